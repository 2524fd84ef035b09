//! `bantin import`: saved pages of a closed legacy portal -> article files under
//! content/, nothing of the articles' text lost.
//!
//! One page goes: bytes -> [`decode`] (UTF-8, Windows-1258, TCVN3, VNI -> NFC) ->
//! blocks ([`html`] or [`plain`]) -> fields and body ([`fields`], using [`dates`]
//! and [`chrome`]) -> an article file ([`write`]). [`import_page`] does that without
//! touching the disk; [`run_import`] reads the inputs, finds where each article
//! goes (the same page always to the same file) and writes, unless dry-run.

pub mod chrome;
pub mod dates;
pub mod decode;
pub mod fields;
pub mod html;
pub mod page;
pub mod plain;
pub mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::content::text::{slugify, title_slug};
use decode::{Encoding, decode_page};
use fields::{Found, find_fields};
use write::{
    ImportedArticle, article_rel, article_text, imported_from, page_key, slug_for, source_key,
};

/// The category of pages that show none, when `--category` is not given.
pub const DEFAULT_CATEGORY: &str = "Tin tức";

/// File name endings read as pages when a folder is imported.
const PAGE_EXTENSIONS: &[&str] = &[
    "html", "htm", "aspx", "asp", "php", "jsp", "shtml", "xhtml", "txt",
];

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

/// One page read and turned into an article, before it is given a file.
#[derive(Debug, Clone)]
pub struct ImportedPage {
    pub encoding: Encoding,
    pub found: Found,
    pub article: ImportedArticle,
    /// The page's key by its file (name and fingerprint), used instead of its
    /// address when another page of the same import claims that address too.
    pub file_key: String,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("the page is empty")]
    Empty,
    #[error("no article text was found on the page (only menus, counters and the like)")]
    NoText,
}

/// Reads one page. `fallback_date` dates a page that shows no date at all (the
/// file's own date); `category` is the category for pages that show none.
pub fn import_page(
    bytes: &[u8],
    file_name: &str,
    fallback_date: Date,
    category: Option<&str>,
) -> Result<ImportedPage, PageError> {
    let decoded = decode_page(bytes);
    if decoded.text.trim().is_empty() {
        return Err(PageError::Empty);
    }
    let (mut blocks, mut hints) = if is_html(file_name, &decoded.text) {
        html::read_html(&decoded.text)
    } else {
        (plain::read_plain(&decoded.text), html::Hints::default())
    };
    let mut encoding = decoded.encoding;
    let sample: String = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(legacy) = decode::hidden_legacy(&sample) {
        encoding = Encoding::Latin1Letters(legacy);
        reread_page(&mut blocks, &mut hints, legacy);
    } else {
        // A page whose menus are Unicode but whose article kept its old font.
        for block in &mut blocks {
            if let Some(legacy) = decode::hidden_legacy(&block.text) {
                encoding = Encoding::Latin1Letters(legacy);
                reread_page(
                    std::slice::from_mut(block),
                    &mut html::Hints::default(),
                    legacy,
                );
            }
        }
    }
    let mut found = find_fields(blocks, &hints);
    if found.body.is_empty() {
        return Err(PageError::NoText);
    }
    let date = match found.date {
        Some(date) => date.front_matter(),
        None => {
            found.guesses.push((
                "date",
                format!("no date on the page: used the file's date ({fallback_date})"),
            ));
            fallback_date.to_string()
        }
    };
    // A category must name a folder and an address: letters or digits.
    found.category = found.category.filter(|c| !slugify(c).is_empty());
    let page_category = found.category.clone();
    let category = match (page_category, category) {
        (Some(own), _) => own,
        (None, Some(given)) => given.to_string(),
        (None, None) => {
            found.guesses.push((
                "category",
                format!("no category on the page: used \"{DEFAULT_CATEGORY}\" (give --category)"),
            ));
            DEFAULT_CATEGORY.to_string()
        }
    };
    let title = match found.title.clone().filter(|t| !t.trim().is_empty()) {
        Some(title) => title,
        None => {
            let stem = file_name
                .rsplit_once('.')
                .map_or(file_name, |(stem, _)| stem);
            found.guesses.retain(|(field, _)| *field != "title");
            found.guesses.push((
                "title",
                "no text to make a title from: used the file name".into(),
            ));
            stem.to_string()
        }
    };
    let slug = slug_for(&article_rel(&category, &title, 1), &title);
    let article = ImportedArticle {
        title,
        date,
        category,
        slug,
        views: found.views,
        author: found.author.clone(),
        source: found.source.clone(),
        url: found.url.clone(),
        imported_from: source_key(found.url.as_deref(), file_name, bytes),
        guessed: found.guesses.iter().map(|(f, _)| f.to_string()).collect(),
        body: page::to_markdown(&found.body),
    };
    Ok(ImportedPage {
        encoding,
        found,
        article,
        file_key: source_key(None, file_name, bytes),
    })
}

/// Every text of the page read again in `legacy` (see [`decode::hidden_legacy`]).
fn reread_page(blocks: &mut [page::Block], hints: &mut html::Hints, legacy: decode::Legacy) {
    let again = |text: &mut String| {
        if let Some(read) = decode::reread(text, legacy) {
            *text = read;
        }
    };
    for block in blocks {
        again(&mut block.text);
        again(&mut block.markdown);
    }
    for text in [
        &mut hints.head_title,
        &mut hints.category,
        &mut hints.author,
    ]
    .into_iter()
    .flatten()
    {
        again(text);
    }
}

/// HTML by its name, or by its first kilobyte when the name says nothing.
fn is_html(file_name: &str, text: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".txt") {
        return false;
    }
    if PAGE_EXTENSIONS
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")))
    {
        return true;
    }
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    ["<html", "<!doctype html", "<body", "<div", "<p>", "<p "]
        .iter()
        .any(|tag| head.contains(tag))
}

/// The fields a page gave, in the report's words: `title, date, time, views`.
pub fn fields_found(found: &Found) -> Vec<&'static str> {
    let guessed: Vec<&str> = found.guesses.iter().map(|(f, _)| *f).collect();
    let mut names = Vec::new();
    let mut add = |name: &'static str, present: bool| {
        if present && !guessed.contains(&name) {
            names.push(name);
        }
    };
    add("title", found.title.is_some());
    add("date", found.date.is_some());
    add(
        "time",
        found.date.is_some_and(|d| d.time.is_some()) && !guessed.contains(&"date"),
    );
    add("category", found.category.is_some());
    add("views", found.views.is_some());
    add("author", found.author.is_some());
    add("source", found.source.is_some());
    add("url", found.url.is_some());
    names
}

/// What became of one input file.
#[derive(Debug, Clone)]
pub struct PageReport {
    /// The input as given (a folder's files as folder/relative path).
    pub input: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// Written (or, in a dry run, to be written) to `content/<rel>`.
    Imported {
        rel: String,
        change: Change,
        page: Box<ImportedPage>,
    },
    /// Read but not imported, with the reason.
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    /// The file came from the same page before and says the same.
    Unchanged,
    /// The file came from the same page before and was changed since (an editor
    /// corrected it): it is left as it is.
    Kept,
}

/// Everything one import did: the report printed at the end.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub pages: Vec<PageReport>,
    /// Files found in folders that are not pages (images, styles), by extension.
    pub not_pages: BTreeMap<String, usize>,
    pub dry_run: bool,
}

impl ImportReport {
    pub fn failed(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| matches!(p.outcome, Outcome::Failed(_)))
            .count()
    }

    /// Pages with a guessed field, each with its guesses.
    pub fn need_a_person(&self) -> Vec<(&str, &[(&'static str, String)])> {
        self.pages
            .iter()
            .filter_map(|p| match &p.outcome {
                Outcome::Imported { page, .. } if !page.found.guesses.is_empty() => {
                    Some((p.input.as_str(), page.found.guesses.as_slice()))
                }
                _ => None,
            })
            .collect()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |c: Change| {
            self.pages
                .iter()
                .filter(|p| matches!(&p.outcome, Outcome::Imported { change, .. } if *change == c))
                .count()
        };
        for report in &self.pages {
            match &report.outcome {
                Outcome::Imported { rel, change, page } => {
                    let what = match (self.dry_run, change) {
                        (true, Change::New) => "would write",
                        (true, Change::Unchanged) => "unchanged",
                        (true, Change::Kept) => "would keep: changed since it was imported",
                        (false, Change::New) => "new",
                        (false, Change::Unchanged) => "unchanged",
                        (false, Change::Kept) => {
                            "kept: changed since it was imported; delete it to import it again"
                        }
                    };
                    writeln!(f, "{} -> content/{rel} ({what})", report.input)?;
                    let found = fields_found(&page.found);
                    writeln!(
                        f,
                        "  found: {}",
                        if found.is_empty() {
                            "nothing".to_string()
                        } else {
                            found.join(", ")
                        }
                    )?;
                    writeln!(
                        f,
                        "  read as {}; {} chrome block(s) left out; {} body block(s)",
                        page.encoding.name(),
                        page.found.chrome_blocks,
                        page.found.body.len()
                    )?;
                    for (field, how) in &page.found.guesses {
                        writeln!(f, "  guessed {field}: {how}")?;
                    }
                    for text in &page.found.unclassified {
                        let text = crate::content::text::shorten(text, 80);
                        writeln!(f, "  kept in the body, unclassified: \"{text}\"")?;
                    }
                }
                Outcome::Failed(why) => writeln!(f, "{}: not imported: {why}", report.input)?,
            }
        }
        for (ext, n) in &self.not_pages {
            writeln!(f, "skipped {n} file(s) that are not pages ({ext})")?;
        }
        let people = self.need_a_person();
        if !people.is_empty() {
            writeln!(f, "\nPages that need a person ({}):", people.len())?;
            for (input, guesses) in &people {
                let fields: Vec<&str> = guesses.iter().map(|(field, _)| *field).collect();
                writeln!(f, "  {input}: check {}", fields.join(", "))?;
            }
        }
        let imported = self.pages.len() - self.failed();
        writeln!(
            f,
            "\n{} {imported} page(s): {} new, {} unchanged, {} kept as edited; {} need a person; {} not imported",
            if self.dry_run {
                "Dry run, nothing written: would import"
            } else {
                "Imported"
            },
            count(Change::New),
            count(Change::Unchanged),
            count(Change::Kept),
            people.len(),
            self.failed()
        )
    }
}

/// Why an import could not run at all (a bad page is reported, not an error).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
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
    page.article.slug = slug_for(&rel, &page.article.title);
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
    while let Some(folder) = folders.pop() {
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
                    .unwrap_or_else(|| title_slug(&front.title));
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
        walk(input, &mut found);
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

fn walk(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, files);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_page_without_fields_is_imported_with_guesses() {
        let page = import_page(
            "Chỉ một đoạn văn của bài viết.\n".as_bytes(),
            "a.txt",
            day(),
            None,
        )
        .unwrap();
        assert_eq!(page.article.category, DEFAULT_CATEGORY);
        assert_eq!(page.article.date, "2026-11-23");
        let guessed: Vec<&str> = page.found.guesses.iter().map(|(f, _)| *f).collect();
        assert_eq!(guessed, ["title", "date", "category"]);
    }

    #[test]
    fn empty_and_chrome_only_pages_are_errors() {
        assert_eq!(
            import_page(b"  \n", "a.txt", day(), None).unwrap_err(),
            PageError::Empty
        );
        assert_eq!(
            import_page("Tìm kiếm\nTin khác\n".as_bytes(), "a.txt", day(), None).unwrap_err(),
            PageError::NoText
        );
    }

    proptest::proptest! {
        /// Whatever the bytes, a page is read or refused, never a panic.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = import_page(&bytes, "a.html", day(), None);
            let _ = import_page(&bytes, "a.txt", day(), None);
        }

        /// Text made of the pieces pages are made of, shuffled: never a panic, and
        /// the article file always parses.
        #[test]
        fn page_like_text_gives_parsable_articles(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<p>", "</p>", "<h1>", "</h1>", "<table><tr><td>", "</td></tr></table>", "<img src='a b.jpg'>",
                "<li>", "<a href='x'>", "</a>", "<figure>", "<figcaption>", "\n", " ", "Ngày 11 tháng 6 năm 2018",
                "17 Tháng Giêng 2014 2:05:00 CH", "Lượt xem: 12", "Tin khác", "*_[]`|#", "1. ", "- ", "\"", "Hội nghị",
                "\u{a0}", "\r", "31/02/2014 25:61", "Tác giả: Ngọc", "\u{301}", "\u{de}", "&#246;",
            ]),
            0..40,
        )) {
            let text: String = parts.concat();
            for name in ["a.html", "a.txt"] {
                if let Ok(page) = import_page(text.as_bytes(), name, day(), None) {
                    let file = write::article_text(&page.article);
                    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
                    let parsed = crate::content::article::parse_article("a.md", file.as_bytes(), &tz);
                    proptest::prop_assert!(parsed.is_ok(), "{file}\n{parsed:?}");
                }
            }
        }
    }

    #[test]
    fn a_given_category_is_no_guess() {
        let page = import_page(
            "Tiêu đề\n\nĐoạn văn.\n".as_bytes(),
            "a.txt",
            day(),
            Some("Dân vận"),
        )
        .unwrap();
        assert_eq!(page.article.category, "Dân vận");
        assert!(!page.found.guesses.iter().any(|(f, _)| *f == "category"));
    }
}
