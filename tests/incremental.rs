//! Rebuilding in place (`bantin serve`'s preview): after every edit the folder
//! holds exactly what a full build of the same files writes, and a rebuild writes
//! only the pages whose content changed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use bantin::build::{BuildOptions, Pipeline, build};
use common::*;

/// A generated portal (categories, tags, drafts, links between articles).
fn portal(articles: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(articles, &dir.path().join("site"));
    (dir, root)
}

/// A site kept built in place, as `serve` keeps it: its pages and its search index.
struct Preview {
    pages: Pipeline,
}

/// An incremental site over `root`, its folder in `dir`, built once.
fn built(root: &Path, dir: &Path) -> Preview {
    let mut options = BuildOptions::new(root);
    options.out = Some(dir.join("preview"));
    let mut site = Preview {
        pages: Pipeline::on_disk(options, &dir.join("memo")),
    };
    update(&mut site).expect("the first build succeeds");
    site
}

/// Pages and index brought up to date; the number of pages written.
fn update(site: &mut Preview) -> Result<usize, String> {
    let built = site.pages.run().map_err(|e| format!("{e:?}"))?;
    Ok(built.files_written)
}

/// Panics unless the folder equals a full build of the same files.
fn assert_same_as_full_build(site: &Preview, dir: &Path, after: &str) {
    let expected = full_build(site, dir);
    let incremental = tree(&options_out(site));
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !incremental.contains_key(*k))
        .collect();
    let extra: Vec<&String> = incremental
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let differ: Vec<&String> = expected
        .iter()
        .filter(|(k, v)| incremental.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after {after}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

fn options_out(site: &Preview) -> PathBuf {
    site.pages.options().out_dir()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn replace_line(path: &Path, starts: &str, new_line: &str) {
    let text = fs::read_to_string(path).unwrap();
    let changed: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(starts) {
                new_line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_ne!(
        changed.join("\n") + "\n",
        text,
        "no line starts with {starts}"
    );
    fs::write(path, changed.join("\n") + "\n").unwrap();
}

#[test]
fn a_rebuild_without_changes_writes_nothing() {
    let (dir, root) = portal(120);
    let mut site = built(&root, dir.path());
    assert_eq!(update(&mut site).unwrap(), 0);
    assert_same_as_full_build(&site, dir.path(), "no change");
}

/// An editor's change, named.
type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>);

#[test]
fn after_a_series_of_edits_the_folder_is_what_a_full_build_makes() {
    let (dir, root) = portal(150);
    let mut site = built(&root, dir.path());
    let newest = newest_article(&root);
    let old = walk(&root.join("content"))
        .into_iter()
        .find(|p| {
            p.to_string_lossy().contains("/2009/") && p.extension().is_some_and(|e| e == "md")
        })
        .expect("an article of 2009");

    // Each step: an editor's change, then the folder is compared with a full build.
    let steps: Vec<Edit> = vec![
        (
            "a new title on the newest article",
            Box::new(|| replace_line(&newest, "title:", "title: \"Tiêu đề mới của bài mới nhất\"")),
        ),
        (
            "a body edited",
            Box::new(|| {
                let text = fs::read_to_string(&old).unwrap();
                fs::write(&old, text + "\nMột đoạn mới ở cuối bài.\n").unwrap();
            }),
        ),
        (
            "more views",
            Box::new(|| replace_line(&old, "views:", "views: 999999")),
        ),
        (
            "another category",
            Box::new(|| replace_line(&old, "category:", "category: \"Chuyên mục mới\"")),
        ),
        (
            "a new article",
            Box::new(|| {
                fs::write(
                    root.join("content/bai-moi.md"),
                    article(
                        "Bài viết mới toanh",
                        "2030-01-01T08:00:00+07:00",
                        "Thông báo",
                        "Nội dung [bài cũ](chuyen-muc-moi-link.md).\n",
                    )
                    .replace("[bài cũ](chuyen-muc-moi-link.md)", "bài cũ"),
                )
                .unwrap();
            }),
        ),
        (
            "an article renamed",
            Box::new(|| {
                fs::rename(
                    root.join("content/bai-moi.md"),
                    root.join("content/bai-moi-2.md"),
                )
                .unwrap();
            }),
        ),
        (
            "an article deleted",
            Box::new(|| fs::remove_file(root.join("content/bai-moi-2.md")).unwrap()),
        ),
        (
            "an image added",
            Box::new(|| {
                fs::write(root.join("content/anh-moi.png"), b"\x89PNG not really").unwrap()
            }),
        ),
        (
            "the site's title",
            Box::new(|| {
                let yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
                let changed: String = yaml
                    .lines()
                    .map(|l| {
                        if l.starts_with("title:") {
                            "title: \"Cổng thông tin mới\"".to_string()
                        } else {
                            l.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                fs::write(root.join("site.yaml"), changed + "\n").unwrap();
            }),
        ),
    ];
    for (what, edit) in &steps {
        edit();
        update(&mut site).unwrap_or_else(|e| panic!("after {what}: {e}"));
        assert_same_as_full_build(&site, dir.path(), what);
    }
}

#[test]
fn an_edit_writes_only_the_pages_that_show_it() {
    let (dir, root) = portal(150);
    let mut site = built(&root, dir.path());
    let before = full_build(&site, dir.path());
    let old = walk(&root.join("content"))
        .into_iter()
        .find(|p| {
            p.to_string_lossy().contains("/2010/") && p.extension().is_some_and(|e| e == "md")
        })
        .expect("an article of 2010");
    let text = fs::read_to_string(&old).unwrap();
    fs::write(&old, text + "\nMột câu được thêm vào thân bài.\n").unwrap();
    let written = update(&mut site).unwrap();
    let after = full_build(&site, dir.path());
    let changed: Vec<&String> = after
        .iter()
        .filter(|(file, bytes)| before.get(*file) != Some(*bytes))
        .map(|(file, _)| file)
        .collect();
    let pages: Vec<&&String> = changed
        .iter()
        .filter(|f| !f.starts_with("search/"))
        .collect();
    // Its own page, and its category's feed if it is among the newest there.
    assert!((1..=2).contains(&pages.len()), "{pages:?}");
    // The search index is written with the pages, patched: at most a word file
    // and a dictionary shard for each of the sentence's 7 words, and the manifest.
    let index_files = changed.len() - pages.len();
    assert!((1..=2 * 7 + 1).contains(&index_files), "{changed:?}");
    assert_eq!(
        written,
        changed.len(),
        "files written besides those that changed"
    );
    assert_same_as_full_build(&site, dir.path(), "a body edit");
}

#[test]
fn a_broken_edit_changes_nothing_and_its_fix_catches_up() {
    let (dir, root) = portal(60);
    let mut site = built(&root, dir.path());
    let before = tree(&options_out(&site));
    let newest = newest_article(&root);
    let good = fs::read_to_string(&newest).unwrap();
    fs::write(
        &newest,
        good.replacen("title:", "title: [unclosed\ntitle2:", 1),
    )
    .unwrap();
    assert!(
        update(&mut site).is_err(),
        "a broken front matter fails the rebuild"
    );
    assert_eq!(
        tree(&options_out(&site)),
        before,
        "a failed rebuild changed the folder"
    );
    fs::write(&newest, &good).unwrap();
    replace_line(&newest, "title:", "title: \"Đã sửa\"");
    update(&mut site).unwrap();
    assert_same_as_full_build(&site, dir.path(), "the fix");
}

/// The article file with the latest date.
fn newest_article(root: &Path) -> PathBuf {
    walk(&root.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !fs::read_to_string(p).unwrap().contains("draft: true"))
        .max_by_key(|p| {
            let text = fs::read_to_string(p).unwrap();
            text.lines()
                .find_map(|l| l.strip_prefix("date:").map(|d| d.trim().to_string()))
                .unwrap_or_default()
        })
        .unwrap()
}

/// A full build of the site's files now, as its files.
fn full_build(site: &Preview, dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut options = site.pages.options().clone();
    options.out = Some(dir.join("full"));
    build(&options).expect("the full build succeeds");
    tree(&dir.join("full"))
}
