//! The Vietnamese search engine: the index as the build writes it, answered by the
//! query engine in memory and by `bantin search` on a built site.

mod common;

use std::collections::HashMap;

use bantin::build::{BuildOptions, load_site};
use bantin::search::index::build_index;
use bantin::search::query::{IndexSource, search};
use common::*;

struct Memory(HashMap<String, Vec<u8>>);

impl IndexSource for Memory {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        self.0
            .get(&format!("search/{path}"))
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

fn index_of(site: &TestSite) -> Memory {
    let (loaded, _, _) = load_site(&BuildOptions::new(site.root())).unwrap();
    Memory(build_index(&loaded.site).files.into_iter().collect())
}

fn titles(index: &Memory, query: &str) -> Vec<String> {
    search(index, query, 10)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

fn site() -> TestSite {
    TestSite::new(&[
        (
            "content/a.md",
            &article(
                "Món bún riêu của phường 2",
                "2014-01-01",
                "Văn hóa",
                "Hội thi nấu bún riêu.\n",
            ),
        ),
        (
            "content/b.md",
            &article(
                "Nạo vét bùn kênh rạch",
                "2014-01-02",
                "Môi trường",
                "Công nhân nạo vét bùn.\n",
            ),
        ),
        (
            "content/c.md",
            &article(
                "Tổng kết công tác dân vận",
                "2014-01-03",
                "Dân vận",
                "Hội nghị tổng kết.\n",
            ),
        ),
        (
            "content/d.md",
            &article(
                "Vận động người dân hiến đất",
                "2014-01-04",
                "Dân vận",
                "Dân được vận động mở hẻm.\n",
            ),
        ),
        (
            "content/e.md",
            &article(
                "Hoà giải ở cơ sở",
                "2014-01-05",
                "Dân vận",
                "Tổ hòa giải phường Thủy Tiên.\n",
            ),
        ),
        (
            "content/f.md",
            &article(
                "Đường Lương Định Của",
                "2014-01-06",
                "Đô thị",
                "Được sửa chữa.\n",
            ),
        ),
    ])
}

#[test]
fn tones_rank_exact_first_and_toneless_finds_both() {
    let index = index_of(&site());
    assert_eq!(titles(&index, "bún")[0], "Món bún riêu của phường 2");
    assert_eq!(titles(&index, "bùn")[0], "Nạo vét bùn kênh rạch");
    assert_eq!(titles(&index, "bun").len(), 2);
}

#[test]
fn adjacent_syllables_outrank_scattered_ones() {
    let index = index_of(&site());
    let hits = titles(&index, "dan van");
    assert_eq!(
        hits[0], "Tổng kết công tác dân vận",
        "the phrase, not `vận động người dân`"
    );
    assert!(hits.contains(&"Vận động người dân hiến đất".to_string()));
}

#[test]
fn old_and_new_tone_placement_capitals_nfd_and_dj() {
    let index = index_of(&site());
    for query in [
        "hòa giải",
        "hoà giải",
        "HOÀ GIẢI",
        "hoa giai",
        "ho\u{300}a gia\u{309}i",
    ] {
        assert_eq!(
            titles(&index, query).first().map(String::as_str),
            Some("Hoà giải ở cơ sở"),
            "{query}"
        );
    }
    assert_eq!(titles(&index, "thủy tiên")[0], "Hoà giải ở cơ sở");
    assert_eq!(titles(&index, "duong luong")[0], "Đường Lương Định Của");
    assert_eq!(titles(&index, "duoc")[0], "Đường Lương Định Của");
}

#[test]
fn the_last_syllable_matches_as_a_prefix() {
    let index = index_of(&site());
    assert_eq!(
        titles(&index, "nạo v")[..1],
        ["Nạo vét bùn kênh rạch".to_string()]
    );
    assert_eq!(titles(&index, "kenh ra")[0], "Nạo vét bùn kênh rạch");
    assert!(titles(&index, "xyz").is_empty());
    assert!(titles(&index, "  ").is_empty());
}

#[test]
fn the_build_writes_the_index_and_bantin_search_answers_from_it() {
    let site = site();
    site.build_ok();
    let public = site.public();
    assert!(public.join("search/manifest.json").is_file());
    let script = bantin::search::script_path();
    assert!(public.join(&script).is_file(), "{script}");
    let page = site.page("/search/");
    assert!(page.contains(&format!("src=\"/{script}\"")), "{page}");

    let hits = search_cli(&public, "hòa giải", 10);
    assert_eq!(hits[0].0, "Hoà giải ở cơ sở");
    assert_eq!(hits[0].1, "/dan-van/e/");

    let out = bantin()
        .args(["search", "--explain", "--site"])
        .arg(&public)
        .args(["dan", "van"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("Tổng kết công tác dân vận"), "{text}");
    let sizes: Vec<(usize, &str)> = text
        .lines()
        .skip_while(|l| !l.starts_with("files read"))
        .skip(1)
        .filter_map(|l| {
            let (n, rest) = l.trim().split_once("  ")?;
            Some((n.parse().ok()?, rest.trim()))
        })
        .collect();
    let (total, last) = sizes.last().unwrap();
    assert!(last.starts_with("bytes in"), "{text}");
    let listed: usize = sizes[..sizes.len() - 1].iter().map(|(n, _)| n).sum();
    assert_eq!(*total, listed, "{text}");
    for (bytes, path) in &sizes[..sizes.len() - 1] {
        assert_eq!(
            std::fs::metadata(public.join(path)).unwrap().len() as usize,
            *bytes,
            "{path}"
        );
    }
    assert!(sizes.iter().any(|(_, p)| p.starts_with("search/k/dan.")));
    assert!(sizes.iter().any(|(_, p)| p.starts_with("search/b/")));
}

#[test]
fn search_json_prints_one_hit_a_line_best_first() {
    let site = site();
    site.build_ok();
    let run = |args: &[&str]| {
        let out = bantin()
            .args(["search", "--json", "--site"])
            .arg(site.public())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let all = run(&["--limit", "1000", "dan", "van"]);
    let hits: Vec<serde_json::Value> = all
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(hits.len() >= 2, "{all}");
    for hit in &hits {
        assert!(hit["url"].as_str().unwrap().starts_with('/'), "{hit}");
        assert!(!hit["title"].as_str().unwrap().is_empty(), "{hit}");
        assert_eq!(hit["date"].as_str().unwrap().len(), 10, "{hit}");
        assert_eq!(hit["kind"], "article", "{hit}");
    }
    let scores: Vec<u64> = hits.iter().map(|h| h["score"].as_u64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );

    // --limit keeps the best; --explain adds one last line of its own.
    let best = run(&["--limit", "1", "--explain", "dan", "van"]);
    let lines: Vec<&str> = best.lines().collect();
    assert_eq!(lines.len(), 2, "{best}");
    assert_eq!(lines[0], all.lines().next().unwrap());
    let explained: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(explained["total"], hits.len());
    assert!(explained["bytes"].as_u64().unwrap() > 0, "{explained}");
    assert!(
        explained["files"].as_array().unwrap().len() > 1,
        "{explained}"
    );
}

#[test]
fn a_missing_index_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = bantin()
        .args(["search", "--site"])
        .arg(dir.path())
        .arg("dân vận")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("manifest.json") && err.contains("bantin build"),
        "{err}"
    );
}

#[test]
fn a_hostile_title_comes_back_as_the_same_text() {
    let title = "</script><script>alert(1)</script> & \"quoted\"";
    let site = TestSite::new(&[(
        "content/x.md",
        &article_with(
            "placeholder",
            "2020-01-01",
            "Tin",
            "",
            "Nội dung bài viết.\n",
        )
        .replace("\"placeholder\"", &format!("{title:?}")),
    )]);
    site.build_ok();
    let hits = search_cli(&site.public(), "alert script", 10);
    assert_eq!(hits[0].0, title);
    for entry in std::fs::read_dir(site.public().join("search/meta")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("</script>"), "{text}");
    }
}

#[test]
fn search_given_the_site_folder_reads_the_index_its_build_wrote() {
    // `--site .` in the folder holding site.yaml, as a clerk types it.
    let site = site();
    site.build_ok();
    let from_root = search_cli(&site.root(), "dan van", 5);
    assert!(!from_root.is_empty());
    assert_eq!(from_root, search_cli(&site.public(), "dan van", 5));
}

#[test]
fn search_false_leaves_out_the_page_the_index_and_the_box() {
    let site = TestSite::good();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}search: false\n"));
    site.build_ok();
    assert!(!site.public().join("search").exists());
    let home = site.page("/");
    assert!(!home.contains("role=\"search\""), "{home}");
    assert!(!home.contains("/search/"), "{home}");

    site.write("site.yaml", &format!("{config}search: sometimes\n"));
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:") && err.contains("`search` should be true or false"),
        "{err}"
    );
}

/// The index of the site at `root`: every file by its path in the output.
fn index_at(root: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let (loaded, _, _) = load_site(&BuildOptions::new(root)).unwrap();
    build_index(&loaded.site).files.into_iter().collect()
}

#[test]
fn one_edit_renames_a_handful_of_index_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(1500, &dir.path().join("site"));
    let before = index_at(&root);
    let article = markdown_files(&root.join("content"))
        .into_iter()
        .find(|p| !std::fs::read_to_string(p).unwrap().contains("draft: true"))
        .unwrap();
    let mut text = std::fs::read_to_string(&article).unwrap();
    // Four words new to the article: their postings change, and the shards
    // naming them; every other file keeps its name.
    text.push_str("\nBà con phấn khởi.\n");
    std::fs::write(&article, text).unwrap();
    let after = index_at(&root);

    // A name always means the same bytes; only the manifest is rewritten in place.
    for (path, bytes) in &after {
        if let Some(old) = before.get(path) {
            assert!(old == bytes || path == "search/manifest.json", "{path}");
        }
    }
    let gone: Vec<&String> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    let added = after.keys().filter(|p| !before.contains_key(*p)).count();
    let renamed = gone.len();
    assert!(before.len() > 1000, "{} files", before.len());
    assert!(renamed > 0, "the edit changed no index file");
    assert!(
        renamed + added <= 20,
        "one edit took away {renamed} and added {added} of {} files: {gone:?}",
        before.len()
    );
}
