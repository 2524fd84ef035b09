//! Text as editors save it, made uniform: UTF-8 checked, BOM and CR removed, NFC.
//! And Vietnamese folded to ASCII for slugs (`Đảng bộ phường` -> `dang-bo-phuong`).

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use crate::diagnostics::Location;

/// Why a file's bytes are not text we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// Where the first byte that is not UTF-8 sits.
    pub at: Location,
    pub byte: u8,
}

/// Bytes of a source file -> NFC text with `\n` line ends and no byte order mark.
pub fn decode_source(bytes: &[u8]) -> Result<String, NotUtf8> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Vietnamese text is mostly multi-byte, which std's check takes slowly; the
    // SIMD check says only yes or no, so std's is asked where the bad byte is.
    let checked = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
    let text = match checked {
        Ok(text) => text,
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix is valid UTF-8, so it can be used to locate the bad byte.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let mut at = Location::of_offset(prefix, prefix.len());
            if prefix.is_empty() {
                at = Location { line: 1, column: 1 };
            }
            return Err(NotUtf8 {
                at,
                byte: bytes[good],
            });
        }
    };
    let text = if text.contains('\r') {
        normalize_line_ends(text)
    } else {
        text.to_string()
    };
    Ok(to_nfc(text))
}

fn normalize_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// NFC form of `text`, without copying when all its characters are ones NFC
/// leaves alone (the common case: Vietnamese typed precomposed).
pub fn to_nfc(text: String) -> String {
    if all_nfc_stable(&text) {
        return text;
    }
    nfc_by_runs(&text)
}

/// Whether every character of `text` is [`is_nfc_stable`], read from its bytes
/// rather than decoded one by one (this look covers every article's text): a
/// byte from 0xCC up starts a character from U+0300 up, and of those only the
/// three-byte letters `ạ` … `ỹ` (E1 BA A0 – E1 BB B9) and punctuation U+2010 –
/// U+203F (E2 80 90 – E2 80 BF) are stable.
fn all_nfc_stable(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes[from..].iter().position(|&b| b >= 0xCC) {
        let start = from + at;
        let stable = match bytes[start..] {
            [0xE1, 0xBA, third, ..] => third >= 0xA0,
            [0xE1, 0xBB, third, ..] => third <= 0xB9,
            [0xE2, 0x80, third, ..] => third >= 0x90,
            _ => false,
        };
        if !stable {
            return false;
        }
        from = start + 3;
    }
    true
}

/// NFC of `text`, normalising only the runs of characters that are not
/// [`is_nfc_stable`], each with the stable character before it (which a mark may
/// compose with): a stable character is a boundary NFC never reaches across, so
/// the rest is copied as it is. Decomposed Vietnamese (`a` + U+0323 + U+0302)
/// has such runs in nearly every word, but each only a few characters long.
fn nfc_by_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // `text[copied..]` is not in `out` yet; a run, if in one, starts at `run`.
    let mut copied = 0;
    let mut run: Option<usize> = None;
    let mut last_stable = 0;
    for (i, c) in text.char_indices() {
        if is_nfc_stable(c) {
            if let Some(start) = run.take() {
                out.extend(text[start..i].nfc());
                copied = i;
            }
            last_stable = i;
        } else if run.is_none() {
            // The character before is stable (or there is none): the run starts there.
            let start = last_stable;
            out.push_str(&text[copied..start]);
            run = Some(start);
        }
    }
    match run {
        Some(start) => out.extend(text[start..].nfc()),
        None => out.push_str(&text[copied..]),
    }
    out
}

/// Whether `c` is left as it is by NFC whatever surrounds it: it has no
/// decomposition, combines with nothing before it and is a starter. True of
/// everything below the combining marks (U+0300), of the precomposed Vietnamese
/// letters (U+1EA0–U+1EF9: `ạ` … `ỹ`) and of most punctuation (`–`, `“`, `…`);
/// text made only of such characters is NFC without a closer look.
fn is_nfc_stable(c: char) -> bool {
    c < '\u{0300}'
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || ('\u{2010}'..='\u{203F}').contains(&c)
}

/// `Đ` or `đ` for the Icelandic `Ð` (U+00D0) or `ð`, which old input
/// methods, fonts and converters put for them (the two look the same); any
/// other character as it is.
pub fn d_for_eth(c: char) -> char {
    match c {
        'Ð' => 'Đ',
        'ð' => 'đ',
        c => c,
    }
}

/// Folds one character to its ASCII base letters: `ệ` -> `e`, `Đ` -> `D`.
/// Characters without an ASCII base are dropped (returned as an empty iterator):
/// the Icelandic `Ð` too, so that addresses published with it stay where they
/// are (new names are written with `Đ`: see [`d_for_eth`]).
pub fn fold_char(c: char) -> impl Iterator<Item = char> {
    let base: Box<dyn Iterator<Item = char>> = match c {
        'đ' => Box::new(std::iter::once('d')),
        'Đ' => Box::new(std::iter::once('D')),
        c if c.is_ascii() => Box::new(std::iter::once(c)),
        c => Box::new(
            std::iter::once(c)
                .nfd()
                .filter(|c| !is_combining_mark(*c) && c.is_ascii()),
        ),
    };
    base
}

/// The longest slug made from a title; a longer one is cut (a slug given in the
/// front matter is kept whole).
const MAX_TITLE_SLUG_CHARS: usize = 80;

/// The slug of an article without `slug:`: its title, folded and cut to length.
pub fn title_slug(title: &str) -> String {
    let mut slug = slugify(title);
    if slug.len() > MAX_TITLE_SLUG_CHARS {
        slug.truncate(MAX_TITLE_SLUG_CHARS);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// The URL name of a content file that gives none: its name without the
/// extension, folded. `"dan-van/2014/Tổng kết.md"` -> `"tong-ket"`.
pub fn file_slug(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    slugify(stem)
}

/// A URL-safe name: ASCII lower-case letters, digits and single hyphens.
/// `"Tổng kết công tác Dân vận năm 2013"` -> `"tong-ket-cong-tac-dan-van-nam-2013"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    let mut push = |c: char, slug: &mut String| {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut slug); // its own fold, without making an iterator for it
            continue;
        }
        if is_combining_mark(c) {
            continue; // a tone mark of decomposed (NFD) text: part of its letter
        }
        let mut folded = fold_char(c).peekable();
        if folded.peek().is_none() {
            push(' ', &mut slug); // no ASCII form (€, 中): separates like a space
        }
        for c in folded {
            push(c, &mut slug);
        }
    }
    slug
}

/// `text` cut to at most `max_chars` characters at a word boundary, with `…` when cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => &cut[..i],
        _ => &cut[..],
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–".contains(c));
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_folds_vietnamese() {
        assert_eq!(slugify("Đảng bộ phường"), "dang-bo-phuong");
        assert_eq!(slugify("Tin tức - Sự kiện"), "tin-tuc-su-kien");
        assert_eq!(
            slugify("Tổng kết công tác dân vận và quy chế Dân chủ cơ sở"),
            "tong-ket-cong-tac-dan-van-va-quy-che-dan-chu-co-so"
        );
        assert_eq!(slugify("  ../../etc/passwd  "), "etc-passwd");
        assert_eq!(
            slugify("THÔNG BÁO số 12/TB-UBND"),
            "thong-bao-so-12-tb-ubnd"
        );
        assert_eq!(slugify("Giá 5€/kg"), "gia-5-kg");
    }

    #[test]
    fn slug_of_nfd_equals_slug_of_nfc() {
        let nfc = "Hội nghị Nguyễn Thị Định";
        let nfd: String = nfc.nfd().collect();
        assert_eq!(slugify(&nfd), slugify(nfc));
    }

    #[test]
    fn long_slugs_are_cut_without_trailing_hyphen() {
        let slug = title_slug(&"Hội nghị ".repeat(30));
        assert!(slug.len() <= MAX_TITLE_SLUG_CHARS);
        assert!(!slug.ends_with('-'));
    }

    #[test]
    fn decode_strips_bom_crlf_and_composes() {
        let nfd: String = "Dân vận\r\nhoà".nfd().collect();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(nfd.as_bytes());
        assert_eq!(decode_source(&bytes).unwrap(), "Dân vận\nhoà");
    }

    #[test]
    fn windows_1258_is_located() {
        // "Dân vận" in Windows-1258: 0xE2 is "â", not valid UTF-8 here.
        let bytes = b"title: x\nD\xE2n v\xF2\xDEn";
        let err = decode_source(bytes).unwrap_err();
        assert_eq!(err.at, Location { line: 2, column: 2 });
        assert_eq!(err.byte, 0xE2);
    }

    #[test]
    fn nfc_stable_characters_are_nfc_and_starters() {
        use unicode_normalization::char::canonical_combining_class;
        let ranges = [
            '\u{0}'..='\u{02FF}',
            '\u{1EA0}'..='\u{1EF9}',
            '\u{2010}'..='\u{203F}',
        ];
        for c in ranges.into_iter().flatten() {
            assert!(is_nfc_stable(c), "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            // Yes alone means no decomposition and no composing with what is before.
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "{c:?}"
            );
        }
        for c in [
            '\u{0300}', '\u{0301}', '\u{0323}', '\u{1EFA}', '\u{2000}', '\u{2126}',
        ] {
            assert!(!is_nfc_stable(c), "{c:?}");
        }
    }

    #[test]
    fn windows_1258_mid_line_is_located() {
        let bytes = "tiêu đề: x\nmột hai \u{1EA1}".as_bytes().to_vec();
        let mut bad = bytes.clone();
        bad.extend_from_slice(b" ba\xF2n");
        let err = decode_source(&bad).unwrap_err();
        assert_eq!(
            err.at,
            Location {
                line: 2,
                column: 13
            }
        );
        assert_eq!(err.byte, 0xF2);
    }

    /// `slugify` as it was before its ASCII shortcut: every character folded
    /// through [`fold_char`].
    fn slugify_by_folding(text: &str) -> String {
        let mut slug = String::new();
        let mut pending_hyphen = false;
        for c in text.chars() {
            if is_combining_mark(c) {
                continue;
            }
            let mut folded = fold_char(c).peekable();
            if folded.peek().is_none() {
                pending_hyphen = true;
            }
            for c in folded {
                if c.is_ascii_alphanumeric() {
                    if pending_hyphen && !slug.is_empty() {
                        slug.push('-');
                    }
                    pending_hyphen = false;
                    slug.push(c.to_ascii_lowercase());
                } else {
                    pending_hyphen = true;
                }
            }
        }
        slug
    }

    proptest::proptest! {
        #[test]
        fn slugify_equals_folding_every_character(text in "[a-zA-Z0-9 ./_€中!-]{0,12}([\\PC]{0,6}[a-zĐđươạệẫ\u{0300}-\u{0309}\u{0323} -]{0,12}){0,3}") {
            proptest::prop_assert_eq!(slugify(&text), slugify_by_folding(&text));
        }

        /// The look at the bytes agrees with the look at each character, around
        /// every edge of the stable ranges.
        #[test]
        fn stable_bytes_agree_with_stable_characters(text in "[a-z\u{2FF}-\u{301}\u{1E9F}-\u{1EA1}\u{1EF8}-\u{1EFA}\u{200F}-\u{2011}\u{203E}-\u{2041}\u{1100}\u{FFFF}\u{10000}]{0,12}") {
            proptest::prop_assert_eq!(all_nfc_stable(&text), text.chars().all(is_nfc_stable));
        }

        /// The fast path agrees with the full normalisation on Vietnamese text
        /// written every way: precomposed, decomposed, with stray marks.
        #[test]
        fn to_nfc_equals_full_nfc(text in "[a-zA-Z0-9 .,:–“”…\u{C0}-\u{1B0}\u{1EA0}-\u{1EF9}\u{0300}-\u{0309}\u{0323}\u{2000}-\u{2012}\u{1100}-\u{1112}\u{1161}-\u{1175}\u{AC00}-\u{AC10}\u{212B}\u{0340}\u{0344}]{0,40}") {
            let expected: String = text.nfc().collect();
            proptest::prop_assert_eq!(nfc_by_runs(&text), expected.clone());
            proptest::prop_assert_eq!(to_nfc(text.clone()), expected);
        }

        /// Any bytes: decoded exactly when std accepts them, located where std says.
        #[test]
        fn decode_agrees_with_std(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64), prefix in "[a-zđươạệ\n ]{0,30}") {
            let mut all = prefix.into_bytes();
            all.extend_from_slice(&bytes);
            match (decode_source(&all), std::str::from_utf8(&all)) {
                (Ok(_), Ok(_)) => {}
                (Err(e), Err(std_err)) => proptest::prop_assert_eq!(e.byte, all[std_err.valid_up_to()]),
                (ours, std) => proptest::prop_assert!(false, "{:?} vs {:?}", ours, std),
            }
        }
    }

    #[test]
    fn shorten_cuts_at_word_boundary() {
        assert_eq!(shorten("một hai ba bốn", 9), "một hai…");
        assert_eq!(shorten("ngắn", 10), "ngắn");
    }
}
