//! The search query set (`tests/search/queries.txt`) through `bantin search` on the
//! demo site: every kind of Vietnamese query finds what a reader expects.

mod common;

use std::path::Path;

use common::*;

#[test]
fn the_query_set_finds_what_readers_expect() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_root(manifest, &["--out", public.to_str().unwrap()]);
    let cases = query_set();
    assert!(
        cases.len() >= 40,
        "the query set has {} queries",
        cases.len()
    );
    let problems: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let titles: Vec<String> = search_cli(&public, &case.query, 10)
                .into_iter()
                .map(|(title, _)| title)
                .collect();
            case.problem(&titles)
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} queries failed:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}
