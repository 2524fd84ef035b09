//! Documents (văn bản) in the site's one search index: the documents' query set
//! (`tests/search/documents.txt`: numbers in every spelling, toneless abstracts,
//! text found only in a PDF or DOCX, a scan and an encrypted PDF that yield
//! nothing, documents beside articles) through `bantin search` and through the
//! search page in Chromium, identically; hits marked as documents, "documents
//! only", attachments a build cannot read noted and never failing it.
//!
//! The site is the demo site with the documents of
//! `tests/fixtures/search-documents/` added, whose attachments are the files of
//! `tests/fixtures/attachments/` (made by its `make.py`).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Each fixture document's attachment: (file in the site, fixture it is).
const ATTACHMENTS: [(&str, &str); 5] = [
    ("07-2023-qd-ubnd.pdf", "chromium.pdf"),
    ("09-kh-ubnd-2023.docx", "word.docx"),
    ("11-tb-ubnd-2023.pdf", "scan.pdf"),
    ("14-2023-qd-ubnd.pdf", "libreoffice.pdf"),
    ("16-bc-ubnd-2023.pdf", "encrypted.pdf"),
];

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The demo site with the fixture documents and their attachments, in a
/// temporary folder.
fn documents_site() -> tempfile::TempDir {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(manifest.join("site.yaml"), root.join("site.yaml")).unwrap();
    copy_tree(&manifest.join("content"), &root.join("content"));
    copy_tree(&manifest.join("themes"), &root.join("themes"));
    let year = root.join("content/van-ban/2023");
    copy_tree(
        &manifest.join("tests/fixtures/search-documents/van-ban/2023"),
        &year,
    );
    for (name, fixture) in ATTACHMENTS {
        std::fs::copy(
            manifest.join("tests/fixtures/attachments").join(fixture),
            year.join(name),
        )
        .unwrap();
    }
    dir
}

fn build(root: &Path, args: &[&str]) -> (PathBuf, String) {
    let public = root.join("public");
    let mut all = vec!["--out", public.to_str().unwrap()];
    all.extend(args);
    let out = build_root(root, &all);
    (public, stderr(&out) + &stdout(&out))
}

/// `bantin search --json` with `extra` arguments: its hits.
fn hits(site: &Path, query: &str, extra: &[&str]) -> Vec<Value> {
    let out = bantin()
        .args(["search", "--json", "--site"])
        .arg(site)
        .args(extra)
        .arg("--")
        .arg(query)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // One hit a line (JSON lines).
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn cases() -> Vec<QueryCase> {
    let cases = query_set_of(include_str!("search/documents.txt"));
    assert!(cases.len() >= 40, "the set has {} queries", cases.len());
    cases
}

#[test]
fn the_documents_query_set_finds_what_readers_expect() {
    let site = documents_site();
    let (public, _) = build(site.path(), &[]);
    let problems: Vec<String> = cases()
        .iter()
        .filter_map(|case| {
            let titles: Vec<String> = search_cli(&public, &case.query, 10)
                .into_iter()
                .map(|(title, _)| title)
                .collect();
            case.problem(&titles)
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hits_are_marked_as_documents_and_say_when_found_only_in_an_attachment() {
    let site = documents_site();
    let (public, _) = build(site.path(), &[]);
    let number = hits(&public, "25/2024/QĐ-UBND", &[]);
    assert_eq!(number[0]["kind"], "document");
    assert_eq!(number[0]["url"], "/van-ban/25-2024-qd-ubnd/");
    assert_eq!(number[0]["category"], "Quyết định");
    assert_eq!(number[0]["in_attachment"], false);
    let article = hits(&public, "dân vận khéo", &[]);
    assert_eq!(article[0]["kind"], "article");

    // Words of the fixture PDFs and DOCX, in no document's own fields.
    let in_files = hits(&public, "quýt thạch sùng", &[]);
    let urls: Vec<&str> = in_files
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls.iter().filter(|u| u.starts_with("/van-ban/")).count(),
        3,
        "the Chromium and LibreOffice PDFs and the DOCX: {urls:?}"
    );
    for hit in &in_files {
        assert_eq!(hit["kind"], "document");
        assert_eq!(hit["in_attachment"], true, "{hit}");
    }
    // One word in the abstract, one in the file only: not "only in the file".
    let mixed = hits(&public, "lưu trữ quýt", &[]);
    assert_eq!(mixed[0]["url"], "/van-ban/07-2023-qd-ubnd/");
    assert_eq!(mixed[0]["in_attachment"], false);
}

#[test]
fn documents_only_leaves_articles_out() {
    let site = documents_site();
    let (public, _) = build(site.path(), &[]);
    let all = hits(&public, "dân vận", &["--limit", "50"]);
    assert!(all.iter().any(|h| h["kind"] == "article"));
    let documents = hits(&public, "dân vận", &["--limit", "50", "--documents"]);
    assert!(!documents.is_empty());
    assert!(
        documents.iter().all(|h| h["kind"] == "document"),
        "{documents:?}"
    );
    assert_eq!(
        documents[0]["title"],
        "Kế hoạch thực hiện công tác dân vận chính quyền năm 2021"
    );
    let all_documents: Vec<&Value> = all.iter().filter(|h| h["kind"] == "document").collect();
    assert_eq!(all_documents.len(), documents.len());
    // As text, the count says what was searched.
    let said = |args: &[&str]| {
        let out = bantin()
            .args(["search", "--limit", "1", "--site"])
            .arg(&public)
            .args(args)
            .arg("dân vận")
            .output()
            .unwrap();
        stdout(&out).lines().next().unwrap_or_default().to_string()
    };
    let total = documents.len();
    assert_eq!(
        said(&["--documents"]),
        format!("the best 1 of {total} matching documents:")
    );
    assert!(
        said(&[]).ends_with("matching articles and documents:"),
        "{}",
        said(&[])
    );
}

#[test]
fn attachments_search_cannot_read_are_noted_and_the_build_succeeds() {
    let site = documents_site();
    let year = site.path().join("content/van-ban/2023");
    // Besides the scan and the encrypted PDF: an empty file, a truncated one,
    // one that claims a billion pages.
    std::fs::write(year.join("11-tb-ubnd-2023.pdf"), b"").unwrap();
    let chromium = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attachments/chromium.pdf"),
    )
    .unwrap();
    std::fs::write(year.join("14-2023-qd-ubnd.pdf"), &chromium[..400]).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attachments/billion-pages.pdf"),
        year.join("07-2023-qd-ubnd.pdf"),
    )
    .unwrap();
    let (public, report) = build(site.path(), &[]);
    for (file, says) in [
        ("14-2023-qd-ubnd.pdf", "cannot be read"),
        ("16-bc-ubnd-2023.pdf", "protected by a password"),
    ] {
        let at = format!("content/van-ban/2023/{file}: warning: search: ");
        let line = report
            .lines()
            .find(|l| l.starts_with(&at))
            .unwrap_or_else(|| panic!("no note for {file} in:\n{report}"));
        assert!(line.contains(says), "{line}");
    }
    // The empty file is the register's warning already, once.
    assert_eq!(report.matches("11-tb-ubnd-2023.pdf").count(), 1, "{report}");
    assert!(!report.contains("07-2023-qd-ubnd.pdf"), "{report}");
    // The documents are published, with their files, and found by their fields.
    assert!(public.join("van-ban/2023/11-tb-ubnd-2023.pdf").is_file());
    // The one page of the PDF that claims a billion is read.
    let found = hits(&public, "thong bao so 7", &["--limit", "50"]);
    assert!(
        found
            .iter()
            .any(|h| h["url"] == "/van-ban/07-2023-qd-ubnd/"),
        "{found:?}"
    );
    assert_eq!(
        hits(&public, "11/TB-UBND", &[])[0]["url"],
        "/van-ban/11-tb-ubnd-2023/"
    );
}

#[test]
fn extracted_text_is_kept_in_the_cache_by_the_files_bytes() {
    let site = documents_site();
    let cache = site.path().join("cache");
    let cache_arg = cache.to_str().unwrap().to_string();
    let (public, _) = build(site.path(), &["--cache", &cache_arg]);
    let kept = std::fs::read(cache.join("attachments.bin")).unwrap();
    let has = |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
    assert!(has(&kept, "quýt-thạch-sùng"));
    let first = tree(&public.join("search"));

    // A file renamed keeps its text; a file removed takes its text out.
    let year = site.path().join("content/van-ban/2023");
    std::fs::remove_file(year.join("09-kh-ubnd-2023.docx")).unwrap();
    let md = year.join("09-kh-ubnd-2023.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(
        &md,
        text.replace("files: [\"/van-ban/2023/09-kh-ubnd-2023.docx\"]\n", ""),
    )
    .unwrap();
    build(site.path(), &["--cache", &cache_arg]);
    let kept_after = std::fs::read(cache.join("attachments.bin")).unwrap();
    assert!(kept_after.len() < kept.len());
    assert!(!has(&kept_after, "Kế hoạch\nchuyển đổi số"));
    assert!(has(&kept_after, "quýt-thạch-sùng"));

    // A cached build and a full build publish the same index.
    let full = tempfile::tempdir().unwrap();
    let full_public = full.path().join("public");
    build_root(site.path(), &["--out", full_public.to_str().unwrap()]);
    assert_eq!(
        tree(&public.join("search")),
        tree(&full_public.join("search"))
    );
    assert_ne!(first, tree(&public.join("search")));
}

#[test]
fn the_search_page_answers_document_queries_as_bantin_search_does() {
    browser_dir();
    let site = documents_site();
    let (public, _) = build(
        site.path(),
        &["--base-url", "https://example.gov.vn/portal/"],
    );
    let mut queries: Vec<(String, bool)> = cases().into_iter().map(|c| (c.query, false)).collect();
    queries.push(("dân vận".into(), true));
    let report = browser_check(
        "search_documents.mjs",
        &[public.as_os_str(), "/portal/".as_ref()],
        &serde_json::json!(queries),
    );
    assert_eq!(report["errors"], serde_json::json!([]), "script errors");
    let mut problems = Vec::new();
    for ((query, documents), shown) in queries.iter().zip(report["results"].as_array().unwrap()) {
        assert_eq!(shown["query"], query.as_str());
        let extra: &[&str] = if *documents { &["--documents"] } else { &[] };
        let cli: Vec<Value> = hits(&public, query, extra)
            .into_iter()
            .map(|h| {
                serde_json::json!([
                    h["title"],
                    h["url"],
                    h["kind"] == "document",
                    h["in_attachment"]
                ])
            })
            .collect();
        if shown["hits"].as_array().unwrap() != &cli {
            problems.push(format!(
                "{query:?} (documents only: {documents}): the page shows {}, bantin search {cli:?}",
                shown["hits"]
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let last = report["results"].as_array().unwrap().last().unwrap();
    assert!(
        last["url"].as_str().unwrap().contains("loai=van-ban"),
        "{last}"
    );
}

/// Words without a number: a document's form (in its number field) weighs as a
/// title, no more (so "van hoa" does not list every Kế hoạch first) and no less
/// (so "quyết định" lists the Quyết định before news whose title merely holds
/// "giải quyết" and "tái định cư").
#[test]
fn a_form_typed_alone_lists_its_documents_first() {
    let site = documents_site();
    let dir = site.path().join("content/dan-van/2026");
    std::fs::create_dir_all(&dir).unwrap();
    for n in 1..=3 {
        std::fs::write(
            dir.join(format!("giai-quyet-{n}.md")),
            format!(
                "---\ntitle: \"Giải quyết dứt điểm hồ sơ tái định cư khu phố {n}\"\n\
                 date: 2026-12-0{n} 10:00\ncategory: \"Dân vận\"\n---\n\n\
                 Phường giải quyết hồ sơ tái định cư cho các hộ dân khu phố {n}.\n"
            ),
        )
        .unwrap();
    }
    let (public, _) = build(site.path(), &[]);
    let found = hits(&public, "quyết định", &[]);
    let kinds: Vec<&str> = found.iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[..3], ["document"; 3], "{found:?}");
    // The articles are still found.
    let titles: Vec<&str> = found.iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Giải quyết dứt điểm")),
        "{titles:?}"
    );
}
