//! Patching the search index after a few articles changed (what `bantin build
//! --cache` does) gives, byte for byte, the index a full build makes.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use bantin::build::{BuildOptions, LoadedSite, load_site};
use bantin::search::index::{build_index, pairs_per_bucket, shard_prefix};
use bantin::search::patch::{DocText, IndexState, patch_index};
use common::*;

fn load(root: &Path) -> LoadedSite {
    load_site(&BuildOptions::new(root)).unwrap().0
}

/// The published index of the site at `root`, as a full build writes it.
struct Published {
    site: LoadedSite,
    files: BTreeMap<String, Vec<u8>>,
    state: IndexState,
}

fn publish(root: &Path) -> Published {
    let site = load(root);
    let index = build_index(&site.site);
    Published {
        files: index.files.into_iter().collect(),
        state: index.state,
        site,
    }
}

/// Patches `last` to the site at `root` as it is now; `None` if it cannot be.
fn patched(root: &Path, last: &Published) -> Option<Published> {
    let site = load(root);
    let old: HashMap<&str, DocText> = last
        .site
        .site
        .articles
        .iter()
        .map(|a| (a.file.as_str(), DocText::of(a)))
        .collect();
    let now = IndexState::of(&site.site, Default::default());
    let patch = patch_index(
        &site.site,
        now,
        &last.state,
        |file| old.get(file).cloned(),
        |path| last.files.get(path).cloned(),
    )?;
    let mut files = last.files.clone();
    for path in &patch.gone {
        assert!(files.remove(path).is_some(), "{path} was not published");
    }
    for (path, bytes) in patch.files {
        files.insert(path, bytes);
    }
    Some(Published {
        site,
        files,
        state: patch.state,
    })
}

/// Patches `last` to the site at `root` and checks the result against a full
/// build of it; returns the patched index, and how many files it renamed.
fn assert_patch_is_full_build(root: &Path, last: &Published, after: &str) -> (Published, usize) {
    let patched = patched(root, last).unwrap_or_else(|| panic!("after {after}: not patched"));
    let full = publish(root);
    let differ: Vec<&String> = full
        .files
        .keys()
        .chain(patched.files.keys())
        .filter(|p| full.files.get(*p) != patched.files.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "after {after}: {} index files differ, among them {:?}",
        differ.len(),
        &differ[..differ.len().min(8)]
    );
    assert!(
        patched.state == full.state,
        "after {after}: the states differ"
    );
    let renamed = last
        .files
        .keys()
        .filter(|p| !patched.files.contains_key(*p))
        .count();
    (patched, renamed)
}

fn corpus(articles: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(articles, &dir.path().join("site"));
    (dir, root)
}

/// Published articles, by file name order.
fn published_articles(root: &Path) -> Vec<PathBuf> {
    markdown_files(&root.join("content"))
        .into_iter()
        .filter(|path| !fs::read_to_string(path).unwrap().contains("draft: true"))
        .collect()
}

fn edit(path: &Path, change: impl FnOnce(&str) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, change(&text)).unwrap();
}

/// An article with its front matter line `<field>: …` set to `value`.
fn set_field(text: &str, field: &str, value: &str) -> String {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(
            |line| match !done && line.starts_with(&format!("{field}:")) {
                true => {
                    done = true;
                    format!("{field}: {value}")
                }
                false => line.to_string(),
            },
        )
        .collect();
    lines.join("\n") + "\n"
}

fn set_title(text: &str, title: &str) -> String {
    set_field(text, "title", &format!("\"{title}\""))
}

#[test]
fn edits_of_a_few_articles_patch_the_index_into_a_full_builds() {
    let (_dir, root) = corpus(300);
    let files = published_articles(&root);
    let mut index = publish(&root);

    edit(&files[3], |t| format!("{t}\nBà con phấn khởi đón Tết.\n"));
    let (next, renamed) = assert_patch_is_full_build(&root, &index, "common words added");
    assert!(
        (1..=40).contains(&renamed),
        "{renamed} files renamed for one edit"
    );
    index = next;

    edit(&files[10], |t| format!("{t}\nXuất hiện từ Zyxwabc lạ.\n"));
    index = assert_patch_is_full_build(&root, &index, "a word new to the site").0;
    assert!(
        index
            .files
            .keys()
            .any(|p| p.starts_with("search/k/zyxwabc."))
    );

    edit(&files[10], |t| {
        t.replace("\nXuất hiện từ Zyxwabc lạ.\n", "")
    });
    index = assert_patch_is_full_build(&root, &index, "the word's only use removed").0;
    assert!(!index.files.keys().any(|p| p.contains("zyxwabc")));

    edit(&files[20], |t| {
        set_title(t, "Hội nghị tổng kết công tác dân vận năm 2025")
    });
    index = assert_patch_is_full_build(&root, &index, "a new title").0;

    // A body cut to one line drops most of its words and pairs.
    edit(&files[30], |t| {
        let end = t[4..].find("\n---\n").unwrap() + 4;
        format!("{}\n---\n\nNgắn gọn.\n", &t[..end])
    });
    index = assert_patch_is_full_build(&root, &index, "a body cut short").0;

    for (n, file) in files.iter().skip(40).take(3).enumerate() {
        edit(file, |t| {
            format!("{t}\nĐoạn thêm số {n} về cải cách hành chính.\n")
        });
    }
    index = assert_patch_is_full_build(&root, &index, "three articles edited").0;

    // Views are not indexed: nothing to patch but the state.
    edit(&files[50], |t| set_field(t, "views", "987654"));
    assert_patch_is_full_build(&root, &index, "views changed");
}

#[test]
fn a_shard_whose_pairs_outgrow_their_buckets_is_spread_again() {
    let (_dir, root) = corpus(200);
    let files = published_articles(&root);
    let index = publish(&root);
    let per_bucket = pairs_per_bucket(index.state.pairs_by_shard.values().sum());
    let ba = index
        .state
        .pairs_by_shard
        .get(&shard_prefix("ba"))
        .copied()
        .unwrap_or(0);
    // A title of pairs "ba qN", "qN ba": enough new pairs in shard `ba` to need
    // one more bucket (titles' pairs are all indexed), and words in new shards.
    let more = per_bucket - ba % per_bucket + 1;
    let title: Vec<String> = (0..more).map(|n| format!("ba q{n}")).collect();
    let original = fs::read_to_string(&files[5]).unwrap();
    edit(&files[5], |t| set_title(t, &title.join(" ")));
    let (grown, _) = assert_patch_is_full_build(&root, &index, "a shard grown");
    let buckets = |p: &Published| {
        p.files
            .keys()
            .filter(|f| f.starts_with("search/b/ba."))
            .count()
    };
    assert_eq!(buckets(&grown), buckets(&index) + 1);

    fs::write(&files[5], original).unwrap();
    let (shrunk, _) = assert_patch_is_full_build(&root, &grown, "the shard shrunk back");
    assert_eq!(buckets(&shrunk), buckets(&index));
    assert!(shrunk.files == index.files);
}

#[test]
fn added_removed_or_reordered_articles_are_indexed_anew() {
    let (_dir, root) = corpus(120);
    let files = published_articles(&root);
    let index = publish(&root);

    fs::write(
        root.join("content/tin-moi.md"),
        article(
            "Tin mới",
            "2031-01-01T08:00:00+07:00",
            "Tin tức",
            "Nội dung.",
        ),
    )
    .unwrap();
    assert!(patched(&root, &index).is_none(), "an article added");
    fs::remove_file(root.join("content/tin-moi.md")).unwrap();

    // One that no other article links to.
    let texts: Vec<String> = files
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect();
    let unlinked = (0..files.len())
        .find(|&i| {
            let name = files[i].file_name().unwrap().to_str().unwrap();
            !texts.iter().any(|t| t.contains(name))
        })
        .unwrap();
    fs::remove_file(&files[unlinked]).unwrap();
    assert!(patched(&root, &index).is_none(), "an article removed");
    fs::write(&files[unlinked], &texts[unlinked]).unwrap();

    edit(&files[9], |t| {
        set_field(t, "date", "1999-01-01T08:00:00+07:00")
    });
    assert!(
        patched(&root, &index).is_none(),
        "an article moved in the order"
    );
    fs::write(&files[9], &texts[9]).unwrap();

    // Unchanged again: the patch changes nothing but the manifest, rewritten as it was.
    let same = patched(&root, &index).unwrap();
    assert!(same.files == index.files);
}
