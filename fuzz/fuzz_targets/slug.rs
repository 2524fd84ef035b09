//! Slug folding: any text folds to plain ASCII words joined by single hyphens, and
//! folding is idempotent ("Đảng bộ" -> "dang-bo" -> "dang-bo").
#![no_main]

use bantin::content::text::{slugify, title_slug};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let slug = slugify(text);
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
    assert_eq!(slugify(&slug), slug);
    let title = title_slug(text);
    assert!(title.len() <= 80);
    assert!(slug.starts_with(&title));
});
