//! Finds the site's source files: every `*.md` under content/van-ban/ is a
//! document, every YAML file under content/lich-cong-tac/ a week of the
//! schedule, every other `*.md` under content/ an article, every other file an
//! asset. Hidden files, editors' backups and links out of content/ (or to a
//! hidden file) are left out; such a link is reported.
//!
//! A file is known by its path in NFC, whatever the bytes of its name on disk:
//! a Mac, an iPhone or a zip made on a Mac names files in decomposed Unicode
//! (NFD), while every link an editor types is precomposed (NFC), and a web
//! server compares bytes. Two files whose names differ only in that way would
//! be one address: an error naming both.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::document::is_document;
use super::text::to_nfc;
use super::week::is_week_file;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::FileStamp;

/// A file under content/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to content/, `/`-separated, in NFC: `dan-van/2014/tong-ket.md`.
    /// The file is published at this path, and links reach it by it.
    pub rel: String,
    /// Where it is on disk: its name there may be in another Unicode form
    /// than `rel` (`Le\u{302}\u{303}-ho\u{323}\u{302}i.jpg`, from a Mac).
    pub abs: PathBuf,
    /// Its stamp when found, if taken then (an article or a file to copy,
    /// found for a build that compares with the last): stamped beside its
    /// folder's other files, it need not be looked up by its whole path again.
    pub stamp: Option<FileStamp>,
}

#[derive(Debug, Default, Clone)]
pub struct SourceFiles {
    pub articles: Vec<SourceFile>,
    pub assets: Vec<SourceFile>,
    /// The documents (văn bản): Markdown files under content/van-ban/.
    pub documents: Vec<SourceFile>,
    /// The weeks of the work schedule (`lich-cong-tac/2025-W27.yaml`).
    pub weeks: Vec<SourceFile>,
}

/// All sources under `content_dir` (which lies in `site_root`), sorted by path;
/// articles and files to copy with their stamps if `stamp_files`.
pub fn find_sources(
    site_root: &Path,
    content_dir: &Path,
    stamp_files: bool,
) -> (SourceFiles, Vec<Diagnostic>) {
    let mut found = SourceFiles::default();
    let mut problems = Vec::new();
    if site_root.canonicalize().is_err() {
        return (found, problems);
    }
    // Links may lead anywhere inside content/, not beside it: a link to
    // `../.git/config` or `../site.yaml` would publish the site's own files.
    let root = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let mut walk = Walk {
        root,
        stamp_files,
        visited_dirs: HashSet::new(),
        found: &mut found,
        problems: &mut problems,
    };
    if content_dir.is_dir() {
        walk.dir(content_dir, "");
    }
    for files in [
        &mut found.articles,
        &mut found.assets,
        &mut found.documents,
        &mut found.weeks,
    ] {
        files.sort_by(|a, b| a.rel.cmp(&b.rel).then_with(|| a.abs.cmp(&b.abs)));
        problems.extend(one_file_a_name(files, content_dir));
    }
    (found, problems)
}

/// Leaves one file of each name in `files` (sorted by name), the one named on
/// disk as it is published if there is one, and reports each other: two names
/// in two Unicode forms (`a\u{301}.jpg` and `á.jpg`, side by side on Linux)
/// are one address, and one file would silently replace the other.
fn one_file_a_name(files: &mut Vec<SourceFile>, content_dir: &Path) -> Vec<Diagnostic> {
    if files.windows(2).all(|w| w[0].rel != w[1].rel) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let mut kept: Vec<SourceFile> = Vec::with_capacity(files.len());
    let mut rest = std::mem::take(files).into_iter().peekable();
    while let Some(first) = rest.next() {
        let mut twins = vec![first];
        while let Some(next) = rest.next_if(|f| f.rel == twins[0].rel) {
            twins.push(next);
        }
        let keep = twins
            .iter()
            .position(|f| written_as(f, content_dir) == f.rel)
            .unwrap_or(0);
        let kept_file = twins.swap_remove(keep);
        for twin in &twins {
            problems.push(same_name(twin, &kept_file, content_dir));
        }
        kept.push(kept_file);
    }
    *files = kept;
    problems
}

/// The error for `twin`, whose name is `kept`'s in another Unicode form.
fn same_name(twin: &SourceFile, kept: &SourceFile, content_dir: &Path) -> Diagnostic {
    let (twin_name, kept_name) = (written_as(twin, content_dir), written_as(kept, content_dir));
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let clash = if is_article(&kept.rel) || is_week_file(&kept.rel) {
        format!("a link to {} could be either", display_path(&kept.rel))
    } else {
        format!(
            "both would be published as /{}, one over the other",
            kept.rel
        )
    };
    let hint = if file_name(&twin_name) != file_name(&kept_name) {
        format!(
            "keep one: delete {} if it is a second copy of the same file, or rename it; \
             a name without tone marks (e.g. `{}`) is the same in every form",
            display_path(&twin_name),
            plain_name(&file_name(&twin.rel)),
        )
    } else {
        "the names of their folders differ so: keep one folder, moving into it the files \
         of the other (and one of these two files)"
            .to_string()
    };
    Diagnostic::error(
        display_path(&twin_name),
        format!(
            "this file and {} are named alike in two Unicode forms, this one {}, the other {}: {clash}",
            display_path(&kept_name),
            unicode_form(&twin_name),
            unicode_form(&kept_name),
        ),
    )
    .with_hint(hint)
}

/// `name` folded to ASCII, its extension kept: `Lễ hội.JPG` -> `le-hoi.jpg`.
fn plain_name(name: &str) -> String {
    use super::text::slugify;
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => {
            format!("{}.{}", slugify(stem), slugify(extension))
        }
        _ => slugify(name),
    }
}

/// The path of `file` relative to `content_dir`, as its name is written on disk.
fn written_as(file: &SourceFile, content_dir: &Path) -> String {
    file.abs
        .strip_prefix(content_dir)
        .ok()
        .and_then(|rel| rel.to_str())
        .map_or_else(|| file.rel.clone(), |rel| rel.replace('\\', "/"))
}

/// Which Unicode form `path` is written in, for an editor; unless it is
/// precomposed, with the combining marks of its names shown apart: two names
/// in two forms look alike.
fn unicode_form(path: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, is_nfc, is_nfd};
    if is_nfc(path) {
        return "precomposed (NFC)".to_string();
    }
    let spelt: String = path
        .chars()
        .map(|c| match is_combining_mark(c) {
            true => c.escape_unicode().to_string(),
            false => c.to_string(),
        })
        .collect();
    match is_nfd(path) {
        true => format!("decomposed (NFD, as a Mac names files: `{spelt}`)"),
        false => format!("partly decomposed (`{spelt}`)"),
    }
}

/// The file under `content_dir` the site knows as `rel` (a [`SourceFile::rel`],
/// in NFC): `content_dir/rel`, or, when no file has those bytes, the one whose
/// name (or a folder's) is `rel`'s in another Unicode form.
pub fn on_disk(content_dir: &Path, rel: &str) -> PathBuf {
    let direct = content_dir.join(rel);
    if rel.is_ascii() || direct.symlink_metadata().is_ok() || safe_relative(rel).is_none() {
        return direct;
    }
    let mut path = content_dir.to_path_buf();
    for part in rel.split('/') {
        let next = path.join(part);
        if next.symlink_metadata().is_ok() {
            path = next;
            continue;
        }
        let twin = fs::read_dir(&path).ok().and_then(|entries| {
            entries.filter_map(Result::ok).find(|entry| {
                entry.file_name().to_str().is_some_and(|name| {
                    !is_ignored(name) && !name.is_ascii() && to_nfc(name.to_string()) == part
                })
            })
        });
        match twin {
            Some(entry) => path = entry.path(),
            None => return direct,
        }
    }
    path
}

struct Walk<'a> {
    /// The canonical content folder: no link is followed out of it.
    root: PathBuf,
    stamp_files: bool,
    /// Canonical folders already walked, so a link loop is walked once.
    visited_dirs: HashSet<PathBuf>,
    found: &'a mut SourceFiles,
    problems: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, rel: &str) {
        if let Ok(canonical) = dir.canonicalize()
            && !self.visited_dirs.insert(canonical)
        {
            return;
        }
        let shown = display_path(rel);
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.problems.push(Diagnostic::error(
                    shown,
                    format!("cannot read this folder: {e}"),
                ));
                return;
            }
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_cached_key(|e| e.file_name());
        // Each entry is looked at in parallel (a folder may hold thousands of
        // articles, each stamped), then taken in order: folders are walked in
        // the order of their names, which decides which of two links to one
        // folder is walked.
        let stamp_files = self.stamp_files;
        let looked: Vec<Looked> = entries
            .par_iter()
            .map(|entry| look(entry, rel, stamp_files))
            .collect();
        for looked in looked {
            match looked {
                Looked::Entry {
                    path,
                    kind,
                    rel,
                    stamp,
                } => self.entry(&path, kind, rel, stamp),
                Looked::Problem(problem) => self.problems.push(problem),
                Looked::Skipped => {}
            }
        }
    }

    fn entry(&mut self, path: &Path, kind: fs::FileType, rel: String, stamp: Option<FileStamp>) {
        let (is_dir, is_file) = if kind.is_symlink() {
            let target = match path.canonicalize() {
                Ok(target)
                    if target.starts_with(&self.root) && !hidden_below(&self.root, &target) =>
                {
                    fs::metadata(&target).ok()
                }
                Ok(target) if target.starts_with(&self.root) => {
                    self.problems.push(
                        Diagnostic::error(display_path(&rel), format!("a symbolic link to {}, a hidden file", target.display()))
                            .with_hint("hidden files are never published: copy the file under a name without a leading `.` instead"),
                    );
                    return;
                }
                Ok(target) => {
                    self.problems.push(
                        Diagnostic::error(display_path(&rel), format!("a symbolic link to {}, outside the site's content folder", target.display()))
                            .with_hint("bantin never follows links out of content/: copy the file into content/ instead"),
                    );
                    return;
                }
                Err(_) => {
                    self.problems.push(
                        Diagnostic::error(display_path(&rel), "a symbolic link to nothing")
                            .with_hint("remove the link or point it at a file inside the site"),
                    );
                    return;
                }
            };
            let Some(meta) = target else { return };
            (meta.is_dir(), meta.is_file())
        } else {
            (kind.is_dir(), kind.is_file())
        };
        if is_dir {
            self.dir(path, &rel);
        } else if is_file {
            let file = SourceFile {
                abs: path.to_path_buf(),
                rel,
                stamp,
            };
            if is_document(&file.rel) {
                self.found.documents.push(file);
            } else if is_article(&file.rel) {
                self.found.articles.push(file);
            } else if is_week_file(&file.rel) {
                self.found.weeks.push(file);
            } else {
                self.found.assets.push(file);
            }
        }
    }
}

/// An entry of a folder, looked at.
enum Looked {
    Entry {
        path: PathBuf,
        kind: fs::FileType,
        rel: String,
        stamp: Option<FileStamp>,
    },
    Problem(Diagnostic),
    Skipped,
}

/// The entry `entry` of the folder `rel`: its path and kind, and its stamp if
/// it is an article or a file to copy and `stamp_files`.
fn look(entry: &fs::DirEntry, rel: &str, stamp_files: bool) -> Looked {
    let name = entry.file_name();
    let Some(name) = name.to_str() else {
        return Looked::Problem(
            Diagnostic::error(
                display_path(rel),
                format!("the name {:?} is not UTF-8 text", entry.file_name()),
            )
            .with_hint("rename the file with a UTF-8 name (file names become URLs)"),
        );
    };
    if is_ignored(name) {
        return Looked::Skipped;
    }
    // Published, and linked to, by its NFC name (see the module's comment);
    // most names are ASCII, which is NFC, and need no copy.
    let name = match name.is_ascii() {
        true => std::borrow::Cow::Borrowed(name),
        false => std::borrow::Cow::Owned(to_nfc(name.to_string())),
    };
    let child_rel = if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    };
    // The kind as the folder listing gives it, without a call per file.
    let Ok(kind) = entry.file_type() else {
        return Looked::Skipped;
    };
    // Through the folder already open: no lookup of the whole path.
    let stamp =
        (stamp_files && kind.is_file() && !is_document(&child_rel) && !is_week_file(&child_rel))
            .then(|| FileStamp::of_metadata(&entry.metadata().ok()?).ok())
            .flatten();
    Looked::Entry {
        path: entry.path(),
        kind,
        rel: child_rel,
        stamp,
    }
}

/// Whether `target`, inside `root`, is or lies in a hidden file or folder.
fn hidden_below(root: &Path, target: &Path) -> bool {
    target.strip_prefix(root).is_ok_and(|below| {
        below
            .components()
            .any(|c| c.as_os_str().to_str().is_some_and(is_ignored))
    })
}

/// `content/<rel>`, as paths are shown to editors.
pub fn display_path(rel: &str) -> String {
    if rel.is_empty() {
        "content".to_string()
    } else {
        format!("content/{rel}")
    }
}

pub fn is_article(rel: &str) -> bool {
    // By bytes: a name may end in a letter of several (`ghi-chú`).
    let bytes = rel.as_bytes();
    bytes.len() > 3 && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// Hidden files and folders, and editors' backup and lock files (`bai.md~`,
/// `#bai.md#`), which must never be published.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// `rel` as a path that stays inside the folder it is joined to, or `None`:
/// no `..`, no root, no empty or `.` parts, no backslashes or NUL.
pub fn safe_relative(rel: &str) -> Option<PathBuf> {
    is_safe_relative(rel).then(|| PathBuf::from(rel))
}

/// Whether [`safe_relative`] takes `rel`.
fn is_safe_relative(rel: &str) -> bool {
    if rel.is_empty() || rel.contains(['\\', '\0']) {
        return false;
    }
    rel.split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "",
            "a//b",
            "./a",
            "a\\..\\b",
            "a/./b",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
        assert!(safe_relative("dan-van/tong-ket/index.html").is_some());
    }

    #[test]
    fn finds_articles_and_assets_skipping_hidden_and_backups() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        fs::create_dir_all(content.join("dan-van/2014")).unwrap();
        fs::create_dir_all(content.join(".git")).unwrap();
        fs::write(content.join("dan-van/2014/a.md"), "x").unwrap();
        fs::write(content.join("dan-van/2014/a.md~"), "x").unwrap();
        fs::write(content.join("dan-van/2014/.a.md.swp"), "x").unwrap();
        fs::write(content.join(".git/config"), "x").unwrap();
        fs::write(content.join("dan-van/anh.jpg"), "x").unwrap();
        let (found, problems) = find_sources(site.path(), &content, false);
        assert!(problems.is_empty());
        let rels = |v: &[SourceFile]| v.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        assert_eq!(rels(&found.articles), ["dan-van/2014/a.md"]);
        assert_eq!(rels(&found.assets), ["dan-van/anh.jpg"]);
    }

    #[test]
    fn names_in_decomposed_unicode_are_known_by_their_nfc_form_and_found_again_from_it() {
        use unicode_normalization::UnicodeNormalization;
        let nfd = |text: &str| text.nfd().collect::<String>();
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        let folder = content.join(nfd("ảnh-cũ"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(nfd("Lễ-hội.jpg")), "x").unwrap();
        fs::write(folder.join(nfd("bài.md")), "x").unwrap();
        let (found, problems) = find_sources(site.path(), &content, false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.assets[0].rel, "ảnh-cũ/Lễ-hội.jpg");
        assert_eq!(found.assets[0].abs, folder.join(nfd("Lễ-hội.jpg")));
        assert_eq!(found.articles[0].rel, "ảnh-cũ/bài.md");
        assert_eq!(
            on_disk(&content, "ảnh-cũ/Lễ-hội.jpg"),
            folder.join(nfd("Lễ-hội.jpg"))
        );
        assert_eq!(
            on_disk(&content, "ảnh-cũ/khác.jpg"),
            content.join("ảnh-cũ/khác.jpg")
        );
    }

    #[test]
    fn two_names_in_two_unicode_forms_are_one_error_and_the_precomposed_file_is_kept() {
        use unicode_normalization::UnicodeNormalization;
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        fs::create_dir_all(&content).unwrap();
        let decomposed: String = "á.jpg".nfd().collect();
        fs::write(content.join(&decomposed), "nfd").unwrap();
        fs::write(content.join("á.jpg"), "nfc").unwrap();
        let (found, problems) = find_sources(site.path(), &content, false);
        assert_eq!(found.assets.len(), 1);
        assert_eq!(found.assets[0].abs, content.join("á.jpg"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, format!("content/{decomposed}"));
        assert!(
            problems[0].message.contains("content/á.jpg"),
            "{problems:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        fs::create_dir_all(&content).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), content.join("a.md")).unwrap();
        std::os::unix::fs::symlink(outside.path(), content.join("dir")).unwrap();
        let (found, problems) = find_sources(site.path(), &content, false);
        assert!(found.articles.is_empty());
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("outside the site"));
    }
}
