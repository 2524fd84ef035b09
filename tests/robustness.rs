//! No input makes bantin panic: arbitrary bytes as article files, arbitrary
//! Markdown bodies, arbitrary titles for slugs.

use bantin::content::article::parse_article;
use bantin::content::markdown::{self, LinkedArticle, SiteLinks};
use bantin::content::text::{slugify, title_slug};
use jiff::tz::TimeZone;
use proptest::prelude::*;

struct NoArticles;

impl SiteLinks for NoArticles {
    fn article(&self, _: &str) -> Option<LinkedArticle<'_>> {
        None
    }
    fn base_path(&self) -> &str {
        "/portal"
    }
}

fn tz() -> TimeZone {
    TimeZone::fixed(jiff::tz::offset(7))
}

/// Pieces editors really write, shuffled into front matter that is almost right.
fn front_matter_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title: \"Hội nghị\"\n".to_string()),
        Just("date: 2014-01-17 14:05\n".to_string()),
        Just("date: 2014-02-30\n".to_string()),
        Just("category: Dân vận\n".to_string()),
        Just("views: -1\n".to_string()),
        Just("tags: [a, [b]]\n".to_string()),
        Just("extra:\n  a: {b: [1, 2]}\n".to_string()),
        Just("aliases: /x\n".to_string()),
        Just("---\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just(": : :\n".to_string()),
        Just("&a [*a, *a]\n".to_string()),
        "[^\u{0}]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_bytes_give_an_article_or_errors(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_article("x.md", &bytes, &tz());
    }

    #[test]
    fn almost_right_front_matter_never_panics(pieces in proptest::collection::vec(front_matter_piece(), 0..12), body in ".{0,80}") {
        let text = format!("---\n{}---\n{}", pieces.concat(), body);
        if let Err(errors) = parse_article("x.md", text.as_bytes(), &tz()) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert_eq!(e.path.as_str(), "content/x.md");
            }
        }
    }

    #[test]
    fn any_markdown_renders(body in "(\\PC|\n|[\\[\\]()!#*`>|~-]){0,300}") {
        let rendered = markdown::render(&body, "dan-van/2014", &NoArticles);
        for (range, _) in rendered.problems {
            prop_assert!(range.start <= body.len());
        }
    }

    #[test]
    fn slugs_are_plain_ascii_words(title in "\\PC{0,120}") {
        let slug = slugify(&title);
        prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert_eq!(slugify(&slug), slug.clone());
        prop_assert!(title_slug(&title).len() <= 80);
    }
}

#[test]
fn deeply_nested_markdown_renders() {
    let lists = "- ".repeat(5000) + "x\n";
    let quotes = "> ".repeat(5000) + "x\n";
    for body in [lists, quotes, "[".repeat(10_000), "*".repeat(10_000)] {
        let rendered = markdown::render(&body, "", &NoArticles);
        assert!(!rendered.html.is_empty());
    }
}
