//! Any bytes as an article file: an article or diagnostics, never a panic; every
//! diagnostic names the file and, when it has a line, a line inside the file.
#![no_main]

use bantin::content::article::parse_article;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let tz = TimeZone::fixed(jiff::tz::offset(7));
    match parse_article("dan-van/x.md", bytes, &tz) {
        Ok(article) => {
            assert!(!article.front.title.is_empty());
            assert!(!article.slug.is_empty());
            assert!(article.body_line >= 2);
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u32 + 1;
            for p in problems {
                assert_eq!(p.path, "content/dan-van/x.md");
                if let Some(line) = p.line {
                    assert!(line >= 1 && line <= lines, "line {line} of {lines}");
                }
            }
        }
    }
});
