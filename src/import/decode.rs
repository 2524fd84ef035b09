//! A legacy page's bytes -> NFC text. Old portals saved Vietnamese as UTF-8,
//! Windows-1258 (tone marks as separate combining bytes), TCVN3/ABC (one byte per
//! lower-case letter, used with `.VnTime` fonts) or VNI (a base letter followed by
//! mark bytes, used with `VNI-Times` fonts). Valid UTF-8 is taken as is; otherwise
//! each legacy reading is tried and the one giving the most Vietnamese syllables wins.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use crate::content::text::to_nfc;

/// How a page's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// With a byte order mark, as Windows saves "Unicode" text.
    Utf16,
    Windows1258,
    Tcvn3,
    Vni,
    /// Legacy text stored as the Latin-1 letters it shows without its font: a TCVN3
    /// or VNI page that a browser saved as UTF-8, or wrote as `&#214;` entities.
    Latin1Letters(Legacy),
}

/// The legacy encodings that can hide in Latin-1 letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Windows1258,
    Tcvn3,
    Vni,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 => "UTF-16",
            Encoding::Windows1258 => "Windows-1258",
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI",
            Encoding::Latin1Letters(Legacy::Windows1258) => {
                "Windows-1258 kept as Latin-1 letters (re-read)"
            }
            Encoding::Latin1Letters(Legacy::Tcvn3) => {
                "TCVN3 (ABC) kept as Latin-1 letters (re-read)"
            }
            Encoding::Latin1Letters(Legacy::Vni) => "VNI kept as Latin-1 letters (re-read)",
        }
    }
}

/// The legacy encoding that `sample`'s Latin-1 letters read best in, if one reads
/// better than the letters themselves ("Héi nghÞ" is TCVN3 for "Hội nghị").
pub fn hidden_legacy(sample: &str) -> Option<Legacy> {
    if !sample.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c)) {
        return None;
    }
    let own = vietnamese_score(sample);
    [Legacy::Windows1258, Legacy::Tcvn3, Legacy::Vni]
        .into_iter()
        .filter_map(|legacy| Some((reread(sample, legacy)?, legacy)))
        .map(|(text, legacy)| (vietnamese_score(&text), legacy))
        .filter(|(score, _)| *score > own)
        .max_by_key(|(score, _)| *score)
        .map(|(_, legacy)| legacy)
}

/// `text`'s letters taken back to the Windows-1252 bytes they came from and read
/// in `legacy`; `None` when `text` holds a character Windows-1252 has no byte for.
pub fn reread(text: &str, legacy: Legacy) -> Option<String> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return None;
    }
    Some(match legacy {
        Legacy::Windows1258 => decode_windows_1258(&bytes),
        Legacy::Tcvn3 => decode_tcvn3(&bytes),
        Legacy::Vni => decode_vni(&bytes),
    })
}

/// A page's text and the reading that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// Bytes -> NFC text with `\n` line ends, in whichever encoding reads best.
pub fn decode_page(bytes: &[u8]) -> Decoded {
    // Windows' "Unicode" (UTF-16) text files and pages start with a byte order mark.
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, encoding) = if let Some(utf16) = utf16 {
        let (text, _, _) = utf16.decode(bytes);
        (text.into_owned(), Encoding::Utf16)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), Encoding::Utf8),
            Err(_) => [
                (decode_windows_1258(bytes), Encoding::Windows1258),
                (decode_tcvn3(bytes), Encoding::Tcvn3),
                (decode_vni(bytes), Encoding::Vni),
            ]
            .into_iter()
            // max_by_key keeps the last of equals: ties go to VNI, then TCVN3, as
            // Windows-1258 text rarely ties (its syllables score only under 1258).
            .max_by_key(|(text, _)| vietnamese_score(text))
            .unwrap_or_else(|| (String::new(), Encoding::Utf8)),
        }
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Decoded {
        text: to_nfc(text),
        encoding,
    }
}

/// Windows-1258 writes tones as combining bytes after the letter: compose them.
pub fn decode_windows_1258(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
    text.nfc().collect()
}

/// TCVN3 (TCVN 5712:1993, "ABC"): lower-case letters with marks in 0xA1..=0xFE.
/// Upper-case toned letters have no bytes of their own (they were made with an
/// upper-case font), so they come out lower-case.
#[rustfmt::skip]
const TCVN3: &[(u8, char)] = &[
    (0xA1, 'Ă'), (0xA2, 'Â'), (0xA3, 'Ê'), (0xA4, 'Ô'), (0xA5, 'Ơ'), (0xA6, 'Ư'), (0xA7, 'Đ'),
    (0xA8, 'ă'), (0xA9, 'â'), (0xAA, 'ê'), (0xAB, 'ô'), (0xAC, 'ơ'), (0xAD, 'ư'), (0xAE, 'đ'),
    (0xB5, 'à'), (0xB6, 'ả'), (0xB7, 'ã'), (0xB8, 'á'), (0xB9, 'ạ'),
    (0xBB, 'ằ'), (0xBC, 'ẳ'), (0xBD, 'ẵ'), (0xBE, 'ắ'), (0xC6, 'ặ'),
    (0xC7, 'ầ'), (0xC8, 'ẩ'), (0xC9, 'ẫ'), (0xCA, 'ấ'), (0xCB, 'ậ'),
    (0xCC, 'è'), (0xCE, 'ẻ'), (0xCF, 'ẽ'), (0xD0, 'é'), (0xD1, 'ẹ'),
    (0xD2, 'ề'), (0xD3, 'ể'), (0xD4, 'ễ'), (0xD5, 'ế'), (0xD6, 'ệ'),
    (0xD7, 'ì'), (0xD8, 'ỉ'), (0xDC, 'ĩ'), (0xDD, 'í'), (0xDE, 'ị'),
    (0xDF, 'ò'), (0xE1, 'ỏ'), (0xE2, 'õ'), (0xE3, 'ó'), (0xE4, 'ọ'),
    (0xE5, 'ồ'), (0xE6, 'ổ'), (0xE7, 'ỗ'), (0xE8, 'ố'), (0xE9, 'ộ'),
    (0xEA, 'ờ'), (0xEB, 'ở'), (0xEC, 'ỡ'), (0xED, 'ớ'), (0xEE, 'ợ'),
    (0xEF, 'ù'), (0xF1, 'ủ'), (0xF2, 'ũ'), (0xF3, 'ú'), (0xF4, 'ụ'),
    (0xF5, 'ừ'), (0xF6, 'ử'), (0xF7, 'ữ'), (0xF8, 'ứ'), (0xF9, 'ự'),
    (0xFA, 'ỳ'), (0xFB, 'ỷ'), (0xFC, 'ỹ'), (0xFD, 'ý'), (0xFE, 'ỵ'),
];

/// The high half of a byte table: bytes not named in `pairs` read as Windows-1252
/// (quotes, dashes and the like, which the old editors also used).
fn high_half(pairs: &[(u8, char)]) -> [char; 128] {
    let mut table = ['\u{FFFD}'; 128];
    for (i, slot) in table.iter_mut().enumerate() {
        let byte = [0x80 + i as u8];
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
        *slot = text.chars().next().unwrap_or('\u{FFFD}');
    }
    for &(byte, c) in pairs {
        table[usize::from(byte - 0x80)] = c;
    }
    table
}

static TCVN3_TABLE: LazyLock<[char; 128]> = LazyLock::new(|| high_half(TCVN3));

pub fn decode_tcvn3(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0..0x80 => char::from(b),
            _ => TCVN3_TABLE[usize::from(b - 0x80)],
        })
        .collect()
}

const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31B}';

/// VNI (Windows): marks written as bytes after the base letter (`Vieät` = Việt).
/// Lower-case mark bytes; the upper-case ones are 0x20 lower (`Ù` for `ù`).
const VNI_MARKS: &[(u8, &[char])] = &[
    (0xE2, &[CIRCUMFLEX]),
    (0xEA, &[BREVE]),
    (0xF4, &[HORN]),
    (0xF6, &[HORN]),
    (0xF9, &[ACUTE]),
    (0xF8, &[GRAVE]),
    (0xFB, &[HOOK]),
    (0xF5, &[TILDE]),
    (0xEF, &[DOT]),
    (0xE1, &[CIRCUMFLEX, ACUTE]),
    (0xE0, &[CIRCUMFLEX, GRAVE]),
    (0xE5, &[CIRCUMFLEX, HOOK]),
    (0xE3, &[CIRCUMFLEX, TILDE]),
    (0xE4, &[CIRCUMFLEX, DOT]),
    (0xE9, &[BREVE, ACUTE]),
    (0xE8, &[BREVE, GRAVE]),
    (0xFA, &[BREVE, HOOK]),
    (0xFC, &[BREVE, TILDE]),
    (0xEB, &[BREVE, DOT]),
];

/// VNI letters that are one byte: đ and the toned i (and ỵ).
#[rustfmt::skip]
const VNI_LETTERS: &[(u8, char)] = &[
    (0xF1, 'đ'), (0xD1, 'Đ'),
    (0xED, 'í'), (0xCD, 'Í'), (0xEC, 'ì'), (0xCC, 'Ì'), (0xE6, 'ỉ'), (0xC6, 'Ỉ'),
    (0xF3, 'ĩ'), (0xD3, 'Ĩ'), (0xF2, 'ị'), (0xD2, 'Ị'), (0xEE, 'ỵ'), (0xCE, 'Ỵ'),
];

static VNI_TABLE: LazyLock<[char; 128]> = LazyLock::new(|| high_half(VNI_LETTERS));

fn vni_marks(byte: u8) -> Option<&'static [char]> {
    VNI_MARKS
        .iter()
        .find(|(b, _)| *b == byte || *b - 0x20 == byte)
        .map(|(_, marks)| *marks)
}

pub fn decode_vni(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut in_word = false;
    for &b in bytes {
        if b < 0x80 {
            text.push(char::from(b));
            in_word = b.is_ascii_alphabetic();
            continue;
        }
        // A mark byte is a mark only right after a letter; elsewhere it is the
        // Latin-1 letter it looks like.
        if in_word && let Some(marks) = vni_marks(b) {
            text.extend(marks);
            continue;
        }
        let c = VNI_TABLE[usize::from(b - 0x80)];
        text.push(c);
        in_word = c.is_alphabetic();
    }
    text.nfc().collect()
}

/// Vietnamese syllables minus words that cannot be Vietnamese, among the words
/// holding a letter outside ASCII; stray symbols (`¸`, `µ`) count against too.
pub fn vietnamese_score(text: &str) -> i64 {
    let mut score = 0;
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_ascii() {
            continue;
        }
        score += if is_vietnamese_syllable(word) { 1 } else { -1 };
    }
    let stray = text
        .chars()
        .filter(|c| !c.is_ascii() && !c.is_alphabetic() && !is_common_symbol(*c))
        .count();
    score - stray as i64
}

fn is_common_symbol(c: char) -> bool {
    c.is_whitespace() || "“”‘’–—…•«»°©®·".contains(c)
}

/// `Việt`, `nghiêng`, `ĐẢNG`: base letters with at most one tone mark, and
/// circumflex, breve and horn only where Vietnamese puts them.
pub fn is_vietnamese_syllable(word: &str) -> bool {
    let mut tones = 0;
    let mut previous = ' ';
    for c in word.nfd() {
        let ok = match c {
            'a'..='z' | 'A'..='Z' | 'đ' | 'Đ' => true,
            ACUTE | GRAVE | HOOK | TILDE | DOT => {
                tones += 1;
                tones == 1
            }
            CIRCUMFLEX => "aeoAEO".contains(previous),
            BREVE => "aA".contains(previous),
            HORN => "ouOU".contains(previous),
            _ => false,
        };
        if !ok {
            return false;
        }
        if !is_mark(c) {
            previous = c;
        }
    }
    true
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_taken_as_is() {
        let d = decode_page("Việt Nam\r\n".as_bytes());
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.text, "Việt Nam\n");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Dân vận".encode_utf16().flat_map(u16::to_le_bytes));
        let d = decode_page(&bytes);
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf16, "Dân vận"));
    }

    #[test]
    fn tcvn3_is_detected() {
        // "Việt Nam đổi mới" in TCVN3.
        let d = decode_page(b"Vi\xd6t Nam \xae\xe6i m\xedi");
        assert_eq!(d.encoding, Encoding::Tcvn3);
        assert_eq!(d.text, "Việt Nam đổi mới");
    }

    #[test]
    fn vni_is_detected() {
        // "Việt Nam đổi mới, Đảng bộ" in VNI.
        let d = decode_page(b"Vie\xe4t Nam \xf1o\xe5i mo\xf4\xf9i, \xd1a\xfbng bo\xe4");
        assert_eq!(d.encoding, Encoding::Vni);
        assert_eq!(d.text, "Việt Nam đổi mới, Đảng bộ");
    }

    #[test]
    fn windows_1258_is_detected_and_composed() {
        // "Dân vận" in Windows-1258: `â` is one byte, the dot below another.
        let d = decode_page(b"D\xe2n v\xe2\xf2n \xf0\xf4\xec");
        assert_eq!(d.encoding, Encoding::Windows1258);
        assert_eq!(d.text, "Dân vận đố");
    }

    #[test]
    fn legacy_text_kept_as_latin1_letters_is_reread() {
        // TCVN3 "Hội nghị" shown without its font.
        let shown = "H\u{e9}i ngh\u{de}";
        assert_eq!(hidden_legacy(shown), Some(Legacy::Tcvn3));
        assert_eq!(reread(shown, Legacy::Tcvn3).as_deref(), Some("Hội nghị"));
        assert_eq!(hidden_legacy("Tài chính và Hội nghị"), None);
        assert_eq!(hidden_legacy("Tài chính"), None);
    }

    #[test]
    fn syllables_are_recognised() {
        assert!(is_vietnamese_syllable("Việt"));
        assert!(is_vietnamese_syllable("ĐẢNG"));
        assert!(!is_vietnamese_syllable("ViÖt"));
        assert!(!is_vietnamese_syllable("c¸c"));
    }
}
