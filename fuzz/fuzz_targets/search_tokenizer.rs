//! The search text pipeline: syllables lie on character boundaries, in order, and
//! their keys are those of `exact_key` and `folded_key`; folding is idempotent.
//! Read as HTML (as the index reads bodies), the same holds, and no syllable
//! starts inside a tag.
#![no_main]

use bantin::search::text::{exact_key, folded_key, syllable_spans_in_html, syllables};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut last_end = 0;
    for s in syllables(text) {
        assert!(last_end <= s.start && s.start < s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        let word = &text[s.start..s.end];
        assert_eq!(s.exact, exact_key(word));
        assert_eq!(s.folded, folded_key(word));
        assert_eq!(folded_key(&s.folded), s.folded);
        last_end = s.end;
    }
    let _ = exact_key(text);
    let _ = folded_key(text);
    let mut last_end = 0;
    for (start, end) in syllable_spans_in_html(text) {
        assert!(last_end <= start && start < end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert!(text[start..end].chars().next().unwrap().is_alphanumeric());
        let before = &text[..start];
        assert!(
            before.rfind('<').is_none_or(|lt| before[lt..].contains('>')),
            "a syllable inside a tag: {text:?}"
        );
        last_end = end;
    }
});
