//! An import on disk: the input files and folders read, each article given its file
//! under content/ (the one it had, or a free one) and written, unless dry-run.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::report::{Change, ImportReport, Outcome, PageReport};
use super::write::{article_rel, article_text, imported_from, page_key};
use super::{ImportedPage, PAGE_EXTENSIONS, import_page};
use crate::content::text::{file_slug, slugify};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (holding site.yaml and content/).
    pub root: PathBuf,
    /// The category for pages that show none.
    pub category: Option<String>,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
    /// Files and folders of saved pages.
    pub inputs: Vec<PathBuf>,
}

/// Why an import could not run at all (a bad page is reported, not an error).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Imports every page of `options.inputs` into `<root>/content`.
pub fn run_import(options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let content = options.root.join("content");
    let mut existing = existing_articles(&content);
    let mut report = ImportReport {
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    for (path, shown) in page_files(&options.inputs, &mut report) {
        let outcome = match std::fs::read(&path) {
            Err(e) => Outcome::Failed(format!("cannot read: {e}")),
            Ok(bytes) => {
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match import_page(
                    &bytes,
                    &file_name,
                    file_date(&path),
                    options.category.as_deref(),
                ) {
                    Err(e) => Outcome::Failed(e.to_string()),
                    Ok(page) => place(page, &content, &mut existing, options.dry_run)?,
                }
            }
        };
        report.pages.push(PageReport {
            input: shown,
            outcome,
        });
    }
    Ok(report)
}

/// What is already under content/: the source of each imported article, and the
/// address (`category-slug/slug`) of every article, so that no new one takes it.
#[derive(Debug, Default)]
struct Existing {
    by_source: HashMap<String, String>,
    addresses: HashSet<String>,
    files: HashSet<String>,
    /// Old addresses taken in this run, with the file key of the page that took it.
    claimed: HashMap<String, String>,
}

/// Gives the page its file (the one it had, or a free one) and writes it.
fn place(
    mut page: ImportedPage,
    content: &Path,
    existing: &mut Existing,
    dry_run: bool,
) -> Result<Outcome, ImportError> {
    if let Some(url) = page.article.url.clone() {
        let first = existing
            .claimed
            .entry(url.clone())
            .or_insert_with(|| page.file_key.clone());
        if *first != page.file_key {
            // Two pages give one address (a CMS that names its home page as every
            // page's canonical link): neither the key nor the alias can be the address.
            page.article.imported_from = page.file_key.clone();
            page.article.url = None;
            page.found.guesses.push((
                "url",
                format!("another page of this import gives the same address ({url}): not kept"),
            ));
            page.article.guessed.push("url".into());
        }
    }
    let key = page.article.imported_from.clone();
    let rel = match existing.by_source.get(&key) {
        Some(rel) => rel.clone(),
        None => (1..)
            .map(|n| article_rel(&page.article.category, &page.article.title, n))
            .find(|rel| {
                !existing.files.contains(rel)
                    && !existing.addresses.contains(&page_key(rel))
                    && !content.join(rel).exists()
            })
            .unwrap_or_default(),
    };
    existing.by_source.insert(key, rel.clone());
    existing.files.insert(rel.clone());
    existing.addresses.insert(page_key(&rel));
    page.article.slug = None;
    let path = content.join(&rel);
    let text = article_text(&page.article);
    let change = match std::fs::read(&path) {
        Ok(old) if old == text.as_bytes() => Change::Unchanged,
        Ok(_) => Change::Kept,
        Err(_) => Change::New,
    };
    if !dry_run && change == Change::New {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ImportError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| ImportError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(Outcome::Imported {
        rel,
        change,
        page: Box::new(page),
    })
}

/// Reads what is already under content/ (files that do not parse are passed over:
/// the build reports them).
fn existing_articles(content: &Path) -> Existing {
    let mut existing = Existing::default();
    let tz = jiff::tz::TimeZone::UTC;
    let mut folders = vec![content.to_path_buf()];
    let mut seen = HashSet::new();
    while let Some(folder) = folders.pop() {
        if !first_visit(&folder, &mut seen) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue; // no content/ yet
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let Ok(rel) = path.strip_prefix(content) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !rel.ends_with(".md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            if let Some(key) = imported_from(&text) {
                existing.by_source.insert(key, rel.clone());
            }
            if let Ok(article) = crate::content::article::parse_article(&rel, &bytes, &tz) {
                let front = &article.front;
                let slug = front
                    .slug
                    .as_deref()
                    .map(slugify)
                    .unwrap_or_else(|| file_slug(&rel));
                existing
                    .addresses
                    .insert(format!("{}/{slug}", slugify(&front.category)));
            }
            existing.files.insert(rel);
        }
    }
    existing
}

/// The page files named by `inputs`, each with how the report shows it; a folder
/// is walked in name order, and its files that are not pages are counted.
fn page_files(inputs: &[PathBuf], report: &mut ImportReport) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push((input.clone(), input.display().to_string()));
            continue;
        }
        let mut found = Vec::new();
        walk(input, &mut found, &mut HashSet::new());
        found.sort();
        for path in found {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if PAGE_EXTENSIONS.contains(&ext.as_str()) {
                let shown = path.display().to_string();
                files.push((path, shown));
            } else {
                let ext = if ext.is_empty() {
                    "no extension".into()
                } else {
                    format!(".{ext}")
                };
                *report.not_pages.entry(ext).or_default() += 1;
            }
        }
    }
    files
}

/// Whether `folder` is walked for the first time. A folder reached again
/// through a link (`a -> .`, `up -> ..`) is walked once: two such links in one
/// folder made 2^40 paths to walk.
fn first_visit(folder: &Path, seen: &mut HashSet<PathBuf>) -> bool {
    folder.canonicalize().is_ok_and(|real| seen.insert(real))
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) {
    if !first_visit(folder, seen) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, seen);
        } else {
            files.push(path);
        }
    }
}

/// The file's modification date, for a page that shows no date (today if unknown).
fn file_date(path: &Path) -> Date {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    modified
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
        .date()
}
