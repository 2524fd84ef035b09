//! Text as editors save it, made uniform: UTF-8 checked, BOM and CR removed, NFC.
//! And Vietnamese folded to ASCII for slugs (`Đảng bộ phường` -> `dang-bo-phuong`).

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark, is_nfc_quick};

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
    let text = match std::str::from_utf8(bytes) {
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

/// NFC form of `text`, without copying when it is already NFC (the common case).
pub fn to_nfc(text: String) -> String {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// Folds one character to its ASCII base letters: `ệ` -> `e`, `Đ` -> `D`.
/// Characters without an ASCII base are dropped (returned as an empty iterator).
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

/// A URL-safe name: ASCII lower-case letters, digits and single hyphens.
/// `"Tổng kết công tác Dân vận năm 2013"` -> `"tong-ket-cong-tac-dan-van-nam-2013"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if is_combining_mark(c) {
            continue; // a tone mark of decomposed (NFD) text: part of its letter
        }
        let mut folded = fold_char(c).peekable();
        if folded.peek().is_none() {
            pending_hyphen = true; // no ASCII form (€, 中): separates like a space
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
    fn shorten_cuts_at_word_boundary() {
        assert_eq!(shorten("một hai ba bốn", 9), "một hai…");
        assert_eq!(shorten("ngắn", 10), "ngắn");
    }
}
