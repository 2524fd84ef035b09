//! Finds the site's source files: every `*.md` under content/van-ban/ is a
//! document, every YAML file under content/lich-cong-tac/ a week of the
//! schedule, every other `*.md` under content/ an article, every other file an
//! asset. Hidden files, editors' backups and links out of content/ (or to a
//! hidden file) are left out; such a link is reported.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::document::is_document;
use super::week::is_week_file;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::FileStamp;

/// A file under content/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to content/, `/`-separated: `dan-van/2014/tong-ket.md`.
    pub rel: String,
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
    found.articles.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.documents.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.weeks.sort_by(|a, b| a.rel.cmp(&b.rel));
    (found, problems)
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
    rel.len() > 3 && rel[rel.len() - 3..].eq_ignore_ascii_case(".md")
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
