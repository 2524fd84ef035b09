//! Vietnamese text as search sees it: syllables, each with two keys.
//!
//! - the **exact** key keeps every mark but writes the tone last, so the old and new
//!   tone placements meet (`hoà` = `hòa` -> `hoa\``, `thuỷ` = `thủy` -> `thuy?`), and
//!   ignores case and Unicode form (NFC or NFD input);
//! - the **folded** key drops every mark and reads đ as d (`Được` -> `duoc`), for
//!   readers who type without tones.
//!
//! Exact matches rank above folded ones, so `bún` finds bún first and bùn after,
//! while `bun` finds both alike.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One syllable of a text: where it is and its two keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    /// Byte range in the text it came from.
    pub start: usize,
    pub end: usize,
    pub exact: String,
    pub folded: String,
}

/// The five Vietnamese tone marks (as combining characters after NFD) and the
/// ASCII sign that stands for each at the end of an exact key. The signs are not
/// letters or digits, so no syllable of a text can end in one by itself.
const TONES: [(char, char); 5] = [
    ('\u{300}', TONE_SIGNS[0]), // huyền
    ('\u{301}', TONE_SIGNS[1]), // sắc
    ('\u{303}', TONE_SIGNS[2]), // ngã
    ('\u{309}', TONE_SIGNS[3]), // hỏi
    ('\u{323}', TONE_SIGNS[4]), // nặng
];

/// The signs that end an exact key carrying a tone.
pub const TONE_SIGNS: [char; 5] = ['`', '\'', '~', '?', '.'];

/// Splits `text` into syllables: runs of letters and digits (with their marks).
pub fn syllables(text: &str) -> Vec<Syllable> {
    syllable_spans(text)
        .map(|(start, end)| syllable_at(text, start, end))
        .collect()
}

/// The syllable of `text` from byte `start` to `end`, with its keys.
fn syllable_at(text: &str, start: usize, end: usize) -> Syllable {
    Syllable {
        start,
        end,
        exact: exact_key(&text[start..end]),
        folded: folded_key(&text[start..end]),
    }
}

/// The byte ranges of the syllables of `text`, without their keys (the index
/// computes keys once per distinct word).
pub fn syllable_spans(text: &str) -> SyllableSpans<'_> {
    SyllableSpans {
        text,
        at: 0,
        markup: false,
    }
}

/// The syllables of the text of an HTML fragment, read in place: tags and
/// character references (`&amp;`, `&#39;`) separate syllables, as the spaces and
/// punctuation they stand for would.
pub fn syllable_spans_in_html(html: &str) -> SyllableSpans<'_> {
    SyllableSpans {
        text: html,
        at: 0,
        markup: true,
    }
}

/// The iterator of [`syllable_spans`]: a plain loop over the text, as it runs
/// over every byte the site indexes.
pub struct SyllableSpans<'a> {
    text: &'a str,
    at: usize,
    /// Whether the text is HTML, whose tags and references are skipped.
    markup: bool,
}

impl SyllableSpans<'_> {
    /// Where a tag (`<…>`) or character reference (`&…;`) starting at `at` ends.
    fn skip_markup(&self, at: usize) -> usize {
        let rest = &self.text.as_bytes()[at..];
        match rest[0] {
            b'<' => rest
                .iter()
                .position(|&b| b == b'>')
                .map_or(self.text.len(), |end| at + end + 1),
            _ => match rest.iter().take(10).position(|&b| b == b';') {
                Some(end)
                    if rest[1..end]
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'#') =>
                {
                    at + end + 1
                }
                _ => at + 1,
            },
        }
    }

    /// The character at byte `at` (a char boundary, not ASCII) and its length,
    /// decoded in place: Vietnamese letters take two or three bytes.
    #[inline]
    fn char_at(&self, at: usize) -> (char, usize) {
        let bytes = &self.text.as_bytes()[at..];
        let tail = |n: usize| u32::from(bytes[n] & 0x3F);
        let (code, width) = match bytes[0] {
            lead @ ..0xE0 => (u32::from(lead & 0x1F) << 6 | tail(1), 2),
            lead @ ..0xF0 => (u32::from(lead & 0x0F) << 12 | tail(1) << 6 | tail(2), 3),
            lead => (
                u32::from(lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3),
                4,
            ),
        };
        // A `str` holds only valid UTF-8, so this is always a char.
        (
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
            width,
        )
    }
}

impl Iterator for SyllableSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        // Skip to the start of a syllable; ASCII is answered from the byte.
        let start = loop {
            let &byte = bytes.get(self.at)?;
            if byte.is_ascii() {
                if byte.is_ascii_alphanumeric() {
                    break self.at;
                }
                self.at = if self.markup && (byte == b'<' || byte == b'&') {
                    self.skip_markup(self.at)
                } else {
                    self.at + 1
                };
                continue;
            }
            let (c, width) = self.char_at(self.at);
            if is_word_char(c) {
                break self.at;
            }
            self.at += width;
        };
        // Run to its end: letters, digits and combining marks.
        while self.at < len {
            let byte = bytes[self.at];
            if byte.is_ascii() {
                if !byte.is_ascii_alphanumeric() {
                    break;
                }
                self.at += 1;
                continue;
            }
            let (c, width) = self.char_at(self.at);
            if !(is_word_char(c) || is_combining_mark(c)) {
                break;
            }
            self.at += width;
        }
        Some((start, self.at))
    }
}

/// Whether `c` belongs in a syllable: a letter or digit. Vietnamese letters are
/// answered from their blocks (Latin-1, Latin Extended-A/B and Additional, all
/// letters but × and ÷) without the general Unicode tables, which cost most of
/// the indexing time otherwise.
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '×' | '÷' => false,
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Lower case, every mark kept, the tone (if any) moved to the end as a sign.
pub fn exact_key(word: &str) -> String {
    let mut base = String::with_capacity(word.len());
    let mut tone = None;
    for c in word.chars().flat_map(char::to_lowercase).nfd() {
        match TONES.iter().find(|(mark, _)| *mark == c) {
            Some((_, sign)) => tone = Some(*sign),
            None => base.push(c),
        }
    }
    let mut key: String = base.nfc().collect();
    key.extend(tone);
    key
}

/// Lower case ASCII where Vietnamese allows it: marks dropped, đ read as d (and
/// the Icelandic ð, which old fonts and converters put for it: `QÐ-UBND`).
pub fn folded_key(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' || c == 'ð' { 'd' } else { c })
        .collect()
}

/// A query's character as the index has it: full-width forms (`１８／２０２３`,
/// from an input method or a pasted PDF) made ASCII, the Icelandic `Ð`
/// made `Đ`.
pub fn query_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        'Ð' => 'Đ',
        'ð' => 'đ',
        c => c,
    }
}

/// The text a document's number (số ký hiệu) is indexed as, in the number
/// field: "Số" and its parts as written (readers type `số 25` as a document
/// heads its number, `Số: 25/2024/QĐ-UBND`), then what readers type besides: the year of
/// issue when the number lacks it (numbers without a year restart each year),
/// each part that begins with zeros without them, and the document's form, by
/// which readers name a document with its number ("quyết định 25",
/// "công văn 123"; a công văn's number has no code of its form). So
/// `25/2024/QĐ-UBND`, `25/2024`, `qđ-ubnd 25`, `QD UBND 25 2024` and
/// `quyet dinh 25` all find every part; `05/KH-UBND`, a Kế hoạch of 2025 ->
/// `Số 05/KH-UBND 2025 5 Kế hoạch`; `123/UBND-VP`, a Công văn of 2024 ->
/// `Số 123/UBND-VP 2024 Công văn cv`.
pub fn number_text(number: &str, form: &str, year: i16) -> String {
    let mut text = format!("Số {number}");
    let parts: Vec<&str> = syllable_spans(number)
        .map(|(start, end)| &number[start..end])
        .collect();
    let year = year.to_string();
    if !parts.contains(&year.as_str()) {
        text.push(' ');
        text.push_str(&year);
    }
    for part in &parts {
        let trimmed = part.trim_start_matches('0');
        if trimmed.len() < part.len() && !trimmed.is_empty() {
            text.push(' ');
            text.push_str(trimmed);
        }
    }
    if !form.is_empty() {
        text.push(' ');
        text.push_str(form);
        // Its initials, which readers write for it (`CV 1250`), when the
        // number has no code of its form (a Công văn's has none; `QĐ`, `KH`,
        // `TTr` are already there).
        let initials: String = syllable_spans(form)
            .filter_map(|(start, _)| form[start..].chars().next())
            .collect();
        let initials = folded_key(&initials);
        let coded = parts
            .iter()
            .any(|part| folded_key(part).starts_with(&initials));
        if initials.chars().count() > 1 && !coded {
            text.push(' ');
            text.push_str(&initials);
        }
    }
    text
}

/// The abbreviations that public administration writes for its common phrases,
/// each with its phrase's syllables: a text holding the phrase is found by the
/// abbreviation, one holding the abbreviation by the phrase's syllables (`pccc`
/// finds "phòng cháy chữa cháy", `ủy ban nhân dân` finds "UBND"). A syllable
/// written with the tone in either place is given in both (`ủy|uỷ`). Only
/// abbreviations of three letters or more: `qd`, `nq` mean too many things.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ubnd", "ủy|uỷ ban nhân dân"),
    ("hđnd|hdnd", "hội đồng nhân dân"),
    ("mttq", "mặt trận tổ quốc"),
    ("ubmttq", "ủy|uỷ ban mặt trận tổ quốc"),
    ("ubkt", "ủy|uỷ ban kiểm tra"),
    ("pccc", "phòng cháy chữa cháy"),
    ("atgt", "an toàn giao thông"),
    ("attp", "an toàn thực phẩm"),
    ("cchc", "cải cách hành chính"),
    ("tthc", "thủ tục hành chính"),
    ("dvc", "dịch vụ công"),
    ("cntt", "công nghệ thông tin"),
    ("cđs|cds", "chuyển đổi số"),
    ("bhyt", "bảo hiểm y tế"),
    ("bhxh", "bảo hiểm xã hội"),
    ("cccd", "căn cước công dân"),
    ("gpmb", "giải phóng mặt bằng"),
    ("qsdđ|qsdd", "quyền sử dụng đất"),
    ("thcs", "trung học cơ sở"),
    ("thpt", "trung học phổ thông"),
    ("lhpn", "liên hiệp phụ nữ"),
    ("ccb", "cựu chiến binh"),
    ("tdp", "tổ dân phố"),
    ("ntm", "nông thôn mới"),
    ("cbcc", "cán bộ công chức"),
];

/// What a word of a text is to [`ABBREVIATIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbreviationPart {
    None,
    /// The abbreviation with this index, as its letters.
    Letters(u8),
    /// A syllable of some abbreviation's phrase, by its number among them.
    Syllable(u8),
}

/// The abbreviations' letters and their phrases' syllables, each as texts are
/// written (lower case, capitals, a capital first), by what they are.
struct AbbreviationWords {
    parts: rustc_hash::FxHashMap<String, AbbreviationPart>,
    /// Per abbreviation: its letters, and its phrase's syllables (as parts and
    /// as the first spelling given).
    phrases: Vec<(&'static str, Vec<(AbbreviationPart, &'static str)>)>,
    /// Per syllable (by number): the phrases that begin with it. Most words of
    /// a text that are syllables of a phrase begin none (`dân`, `nhân`).
    beginning: Vec<Vec<usize>>,
}

static ABBREVIATION_WORDS: std::sync::LazyLock<AbbreviationWords> =
    std::sync::LazyLock::new(|| {
        let mut parts = rustc_hash::FxHashMap::default();
        let mut put = |spelling: &str, part: AbbreviationPart| {
            let mut first = spelling.chars();
            let capital: String = first
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .collect();
            for written in [
                spelling.to_string(),
                spelling.to_uppercase(),
                capital + first.as_str(),
            ] {
                parts.entry(written).or_insert(part);
            }
        };
        let mut syllables: Vec<String> = Vec::new();
        let mut phrases: Vec<(&str, Vec<(AbbreviationPart, &str)>)> = Vec::new();
        for (n, (letters, phrase)) in ABBREVIATIONS.iter().enumerate() {
            for spelling in letters.split('|') {
                put(spelling, AbbreviationPart::Letters(n as u8));
            }
            let words = phrase.split(' ').map(|syllable| {
                let folded = folded_key(syllable.split('|').next().unwrap_or(syllable));
                let number = match syllables.iter().position(|s| *s == folded) {
                    Some(number) => number,
                    None => {
                        syllables.push(folded);
                        syllables.len() - 1
                    }
                };
                let part = AbbreviationPart::Syllable(number as u8);
                for spelling in syllable.split('|') {
                    put(spelling, part);
                }
                (part, syllable.split('|').next().unwrap_or(syllable))
            });
            phrases.push((
                letters.split('|').next().unwrap_or(letters),
                words.collect(),
            ));
        }
        let mut beginning = vec![Vec::new(); syllables.len()];
        for (n, (_, phrase)) in phrases.iter().enumerate() {
            if let Some((AbbreviationPart::Syllable(first), _)) = phrase.first() {
                beginning[usize::from(*first)].push(n);
            }
        }
        AbbreviationWords {
            parts,
            phrases,
            beginning,
        }
    });

/// What the word `surface` (as written in a text) is to the abbreviations.
pub fn abbreviation_part(surface: &str) -> AbbreviationPart {
    match surface.len() {
        // No letters or syllable of the table is longer (in UTF-8).
        ..=12 => ABBREVIATION_WORDS
            .parts
            .get(surface)
            .copied()
            .unwrap_or(AbbreviationPart::None),
        _ => AbbreviationPart::None,
    }
}

/// The words a text also holds by [`ABBREVIATIONS`], given the position and
/// part of each of its words that is a part of one, in order: an abbreviation's
/// letters for each phrase spelt out, the phrase's syllables for each
/// abbreviation. (Most words are no part: only those that are are looked at.)
pub fn abbreviated_words(parts: &[(u32, AbbreviationPart)]) -> Vec<&'static str> {
    let table = &*ABBREVIATION_WORDS;
    let mut added = Vec::new();
    for (at, &(position, part)) in parts.iter().enumerate() {
        match part {
            AbbreviationPart::None => {}
            AbbreviationPart::Letters(n) => {
                added.extend(
                    table.phrases[n as usize]
                        .1
                        .iter()
                        .map(|(_, spelling)| *spelling),
                );
            }
            AbbreviationPart::Syllable(first) => {
                for &n in &table.beginning[usize::from(first)] {
                    let (letters, phrase) = &table.phrases[n];
                    let spelt_out = phrase.len() <= parts.len() - at
                        && (phrase.iter().zip(&parts[at..]).enumerate()).all(
                            |(i, ((wanted, _), (p, part)))| {
                                part == wanted && *p as usize == position as usize + i
                            },
                        );
                    if spelt_out {
                        added.push(*letters);
                    }
                }
            }
        }
    }
    added
}

/// The runs of letters and of digits of the syllable `text[start..end]`, as
/// syllables (a mark goes with the letter before it): `QĐ1` -> `QĐ`, `1`. A
/// syllable of one run is itself.
pub fn letter_and_digit_runs(text: &str, start: usize, end: usize) -> Vec<Syllable> {
    let mut runs = Vec::new();
    let mut run_start = start;
    let mut digits = None;
    for (at, c) in text[start..end].char_indices() {
        if is_combining_mark(c) {
            continue;
        }
        let digit = c.is_ascii_digit();
        if digits.is_some_and(|d| d != digit) {
            runs.push((run_start, start + at));
            run_start = start + at;
        }
        digits = Some(digit);
    }
    runs.push((run_start, end));
    runs.into_iter()
        .map(|(start, end)| syllable_at(text, start, end))
        .collect()
}

/// The syllable a reader meant who typed Vietnamese in Telex with the input
/// method off (or left its keys in): `quyeets` -> `quyết`, `ddinhj` -> `định`,
/// `dduowngf` -> `đường`. Doubled `dd`, `aa`, `ee`, `oo` are `đ`, `â`, `ê`,
/// `ô`; `w` after `a`, `o`, `u` (and `uo`) gives `ă`, `ơ`, `ư` (`ươ`); a last `s`,
/// `f`, `r`, `x`, `j` after a vowel is the tone. `None` when the word is not
/// ASCII letters or reads as itself. Whether the reader meant it is for the
/// index to say: the query takes it only for a word the index does not know.
pub fn from_telex(word: &str) -> Option<String> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let is_vowel = |c: char| "aeiouyăâêôơư".contains(c);
    let mut letters: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let tone = match letters.last() {
        Some('s') => Some('\u{301}'),
        Some('f') => Some('\u{300}'),
        Some('r') => Some('\u{309}'),
        Some('x') => Some('\u{303}'),
        Some('j') => Some('\u{323}'),
        _ => None,
    }
    .filter(|_| letters[..letters.len() - 1].iter().any(|&c| is_vowel(c)));
    if tone.is_some() {
        letters.pop();
    }
    let mut out: Vec<char> = Vec::with_capacity(letters.len());
    for c in letters {
        let before = out.len().checked_sub(2).map(|at| out[at]);
        let last = out.last_mut();
        match (last, c) {
            (Some(last @ 'd'), 'd') => *last = 'đ',
            (Some(last @ 'a'), 'a') => *last = 'â',
            (Some(last @ 'e'), 'e') => *last = 'ê',
            (Some(last @ 'o'), 'o') => *last = 'ô',
            (Some(last @ 'a'), 'w') => *last = 'ă',
            (Some(last @ 'u'), 'w') => *last = 'ư',
            (Some(last @ 'o'), 'w') => {
                *last = 'ơ';
                if before == Some('u') {
                    let at = out.len() - 2;
                    out[at] = 'ư';
                }
            }
            _ => out.push(c),
        }
    }
    if let Some(mark) = tone {
        // After the last vowel, where NFC puts it on the letter.
        let at = out
            .iter()
            .rposition(|&c| is_vowel(c))
            .map_or(out.len(), |at| at + 1);
        out.insert(at, mark);
    }
    let text: String = out.into_iter().collect::<String>().nfc().collect();
    (text != word.to_ascii_lowercase()).then_some(text)
}

/// Whether a query syllable carries any mark, i.e. its writer chose the exact form.
pub fn has_marks(word: &str) -> bool {
    exact_key(word) != folded_key(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, String)> {
        syllables(text)
            .into_iter()
            .map(|s| (s.exact, s.folded))
            .collect()
    }

    #[test]
    fn abbreviations_and_their_phrases_find_each_other() {
        let added = |text: &str| {
            let parts: Vec<(u32, AbbreviationPart)> = (syllable_spans(text).enumerate())
                .map(|(n, (start, end))| (n as u32, abbreviation_part(&text[start..end])))
                .filter(|(_, part)| *part != AbbreviationPart::None)
                .collect();
            abbreviated_words(&parts)
        };
        assert_eq!(added("Tập huấn Phòng cháy chữa cháy năm 2024"), ["pccc"]);
        assert_eq!(added("UỶ BAN NHÂN DÂN phường"), ["ubnd"]);
        assert_eq!(added("Ủy ban Mặt trận Tổ quốc"), ["ubmttq", "mttq"]);
        assert_eq!(added("UBND phường"), ["ủy", "ban", "nhân", "dân"]);
        assert_eq!(
            added("Hđnd và HDND"),
            ["hội", "đồng", "nhân", "dân", "hội", "đồng", "nhân", "dân"]
        );
        // Not a phrase: its syllables apart, or cut short at the text's end.
        assert!(added("phòng họp, cháy nhà; ban nhân dân").is_empty());
        assert!(added("an toàn giao").is_empty());
    }

    #[test]
    fn telex_typed_without_its_input_method_reads_as_meant() {
        let telex = |word: &str| from_telex(word);
        assert_eq!(telex("quyeets").as_deref(), Some("quyết"));
        assert_eq!(telex("ddinhj").as_deref(), Some("định"));
        assert_eq!(telex("DDinhj").as_deref(), Some("định"));
        assert_eq!(telex("dduowngf").as_deref(), Some("đường"));
        assert_eq!(telex("vieetj").as_deref(), Some("việt"));
        assert_eq!(telex("hoaf").as_deref(), Some("hoà"));
        assert_eq!(telex("nawm").as_deref(), Some("năm"));
        assert_eq!(telex("quee").as_deref(), Some("quê"));
        // Itself, or not Telex at all.
        assert_eq!(telex("dan"), None);
        assert_eq!(telex("s"), None);
        assert_eq!(telex("qđ"), None);
        assert_eq!(telex("25"), None);
    }

    #[test]
    fn old_and_new_tone_placement_meet() {
        assert_eq!(exact_key("hoà"), exact_key("hòa"));
        assert_eq!(exact_key("thuỷ"), exact_key("thủy"));
        assert_eq!(exact_key("Hoè"), exact_key("hòe"));
        assert_eq!(exact_key("hòa"), "hoa`");
    }

    #[test]
    fn tones_that_change_meaning_stay_apart_in_exact_keys() {
        assert_ne!(exact_key("bún"), exact_key("bùn"));
        assert_eq!(folded_key("bún"), folded_key("bùn"));
        assert_ne!(exact_key("dân"), exact_key("dẫn"));
    }

    #[test]
    fn folding_reads_d_for_dj_and_drops_every_mark() {
        assert_eq!(folded_key("Được"), "duoc");
        assert_eq!(folded_key("đường"), "duong");
        assert_eq!(folded_key("ĐẢNG"), "dang");
        assert_eq!(exact_key("Đảng"), "đang?");
        assert_eq!(folded_key("QÐ"), "qd");
        let typed: String = "１８／２０２３／QÐ".chars().map(query_char).collect();
        assert_eq!(typed, "18/2023/QĐ");
    }

    #[test]
    fn case_and_unicode_form_do_not_matter() {
        let nfd: String = "Dân Vận".nfd().collect();
        assert_eq!(keys(&nfd), keys("dân vận"));
        assert_eq!(keys("DÂN VẬN"), keys("dân vận"));
        assert!(!has_marks("dan van") && has_marks("dân"));
    }

    #[test]
    fn html_is_read_as_its_text() {
        let html = "<p class=\"x\">Dân<em>vận</em> &amp; Đảng&#39;s &copy;2014 &x</p>";
        let found: Vec<&str> = syllable_spans_in_html(html)
            .map(|(s, e)| &html[s..e])
            .collect();
        assert_eq!(found, ["Dân", "vận", "Đảng", "s", "2014", "x"]);
    }

    #[test]
    fn spans_decode_every_width_of_utf8() {
        let text = "a é ệ 𝐀b ж1";
        let found: Vec<&str> = syllable_spans(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["a", "é", "ệ", "𝐀b", "ж1"]);
    }

    #[test]
    fn the_fast_letter_test_agrees_with_unicode() {
        for c in ('\u{0}'..='\u{2000}').chain('\u{1E00}'..='\u{1FFF}') {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn a_number_is_indexed_with_its_year_its_form_and_without_leading_zeros() {
        assert_eq!(
            number_text("25/2024/QĐ-UBND", "Quyết định", 2024),
            "Số 25/2024/QĐ-UBND Quyết định"
        );
        assert_eq!(
            number_text("05/KH-UBND", "Kế hoạch", 2025),
            "Số 05/KH-UBND 2025 5 Kế hoạch"
        );
        assert_eq!(
            number_text("123/UBND-VP", "Công văn", 2024),
            "Số 123/UBND-VP 2024 Công văn cv"
        );
        assert_eq!(
            number_text("12/TTr-UBND", "Tờ trình", 2024),
            "Số 12/TTr-UBND 2024 Tờ trình"
        );
        assert_eq!(number_text("123/UBND-VP", "", 2024), "Số 123/UBND-VP 2024");
        let folded: Vec<String> = syllables(&number_text("25/2024/QĐ-UBND", "Quyết định", 2024))
            .into_iter()
            .map(|s| s.folded)
            .collect();
        assert_eq!(folded, ["so", "25", "2024", "qd", "ubnd", "quyet", "dinh"]);
    }

    #[test]
    fn a_syllable_splits_into_its_runs_of_letters_and_digits() {
        let runs = |text: &str| -> Vec<String> {
            letter_and_digit_runs(text, 0, text.len())
                .into_iter()
                .map(|s| text[s.start..s.end].to_string())
                .collect()
        };
        assert_eq!(runs("QĐ1"), ["QĐ", "1"]);
        assert_eq!(runs("nd30"), ["nd", "30"]);
        assert_eq!(runs("2025kh"), ["2025", "kh"]);
        assert_eq!(runs(&nfd_of("Quyết1")), [nfd_of("Quyết"), "1".to_string()]);
        assert_eq!(runs("ubnd"), ["ubnd"]);
        assert_eq!(runs("2025"), ["2025"]);
    }

    fn nfd_of(text: &str) -> String {
        text.nfd().collect()
    }

    #[test]
    fn syllables_split_on_anything_but_letters_and_digits() {
        let text = "Quận 2: chuyển-biến “mới”";
        let found: Vec<&str> = syllables(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(found, ["Quận", "2", "chuyển", "biến", "mới"]);
        assert_eq!(keys("12/2014")[1].1, "2014");
    }
}
