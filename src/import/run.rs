//! An import on disk: the input files and folders read, each article given its file
//! under content/ (the one it had, or a free one) and written, unless dry-run.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;

use super::assets::{
    PageFiles, SavedPlace, file_head, find_saved_files, is_host_name, relink, saved_ending,
};
use super::document::{ImportedDocument, document_text};
use super::html::markdown_url;
use super::mhtml::{WebArchive, read_web_archive};
use super::report::{Change, ImportReport, Outcome, PageReport};
use super::write::{
    article_rel, article_text, import_extra, imported_from, imported_text, page_key,
};
use super::{ImportedPage, PAGE_EXTENSIONS, PageContext, PageError, import_page_in};
use crate::content::document::{DOCUMENTS_DIR, number_slug};
use crate::content::text::{file_slug, slugify};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (holding site.yaml and content/).
    pub root: PathBuf,
    /// The category for pages that show none.
    pub category: Option<String>,
    /// The issuing body of documents whose pages show none.
    pub issuer: Option<String>,
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
    let inputs = page_files(&options.inputs, &mut report);
    // A page that names its old address goes first: of an article saved twice (a
    // mirror's copy, a browser's `tin (1).html`), the copy kept is then the one
    // that redirects the old address.
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| !names_its_address(&inputs[i]));
    let mut outcomes: Vec<Option<Outcome>> = vec![None; inputs.len()];
    for i in order {
        let InputPage {
            path, root, named, ..
        } = &inputs[i];
        let outcome = match read_page(path) {
            Err(why) => Outcome::Failed(why),
            Ok((bytes, archive)) => {
                let mut file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                let mut saved = saved_place(&real, root);
                let mut address = saved.mirror.as_ref().and_then(|m| mirror_address(&real, m));
                if let Some(archive) = archive {
                    // Read as the page it holds, with the files saved in it.
                    file_name.push_str(".html");
                    address = address.or(archive.location);
                    saved.embedded = archive.files;
                }
                let context = PageContext {
                    fallback_date: Some(file_date(path)),
                    category: options.category.as_deref(),
                    issuer: options.issuer.as_deref(),
                    address: address.as_deref(),
                    list_pages: *named,
                };
                match import_page_in(&bytes, &file_name, context) {
                    Err(e @ PageError::ListPage { .. }) => Outcome::Skipped(e.to_string()),
                    Err(e) => Outcome::Failed(e.to_string()),
                    Ok(page) => place(page, &saved, &content, &mut existing, options.dry_run)?,
                }
            }
        };
        outcomes[i] = Some(outcome);
    }
    for (input, outcome) in inputs.into_iter().zip(outcomes) {
        if let Some(outcome) = outcome {
            report.pages.push(PageReport {
                input: input.shown,
                outcome,
            });
        }
    }
    Ok(report)
}

/// What is already under content/: the source of each imported article, and the
/// address (`category-slug/slug`) of every article, so that no new one takes it.
#[derive(Debug, Default)]
struct Existing {
    by_source: HashMap<String, String>,
    /// The file of each article text imported, with the old address it has.
    by_text: HashMap<String, (String, Option<String>)>,
    addresses: HashSet<String>,
    files: HashSet<String>,
    /// Old addresses taken in this run, with the file key of the page that took it.
    claimed: HashMap<String, String>,
    /// The next number to try for a file name (`hoi-nghi` -> 3 once `hoi-nghi-2.md`
    /// is taken), so that ten thousand pages titled alike are not counted anew each.
    next_number: HashMap<String, usize>,
    /// Files copied in this run, by where they were saved: a PDF that a thousand
    /// pages link is read and compared once, not a thousand times.
    copied: HashMap<(PathBuf, String), String>,
}

/// Gives the page its file (the one it had, or a free one) and writes it.
fn place(
    mut page: ImportedPage,
    saved: &SavedPlace,
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
    if !existing.by_source.contains_key(&key)
        && let Some((of, address)) = existing.by_text.get(&page.article.fingerprint)
    {
        // The same article saved twice (a mirror's copy and a browser's, `tin (1).html`).
        let lost_address = page
            .article
            .url
            .clone()
            .filter(|u| super::write::is_redirectable(u) && address.as_ref() != Some(u));
        return Ok(Outcome::Duplicate {
            of: of.clone(),
            lost_address,
        });
    }
    let file_of = |n: usize| match &page.document {
        Some(d) => document_rel(d, page.fallback_date, n),
        None => article_rel(&page.article.category, &page.article.title, n),
    };
    let rel = match existing.by_source.get(&key) {
        Some(rel) => rel.clone(),
        None => {
            let first = file_of(1);
            let start = existing.next_number.get(&first).copied().unwrap_or(1);
            let (n, rel) = (start..)
                .map(|n| (n, file_of(n)))
                .find(|(_, rel)| {
                    !existing.files.contains(rel)
                        && !existing.addresses.contains(&page_key(rel))
                        && !content.join(rel).exists()
                })
                .unwrap_or_default();
            existing.next_number.insert(first, n + 1);
            rel
        }
    };
    existing.by_source.insert(key, rel.clone());
    existing
        .by_text
        .entry(page.article.fingerprint.clone())
        .or_insert_with(|| (rel.clone(), page.article.url.clone()));
    existing.files.insert(rel.clone());
    existing.addresses.insert(page_key(&rel));
    page.article.slug = None;
    let new_address = match &page.document {
        Some(d) => format!(
            "/{DOCUMENTS_DIR}/{}/",
            number_slug(&d.number, d.year(page.fallback_date))
        ),
        None => format!("/{}/", page_key(&rel)),
    };
    page.article.same_address = page
        .article
        .url
        .as_deref()
        .and_then(crate::site::plan::alias_path)
        .is_some_and(|old| old == new_address);
    let files = copy_saved_files(&mut page, saved, content, &rel, existing, dry_run)?;
    let path = match page.incomplete() {
        true => content
            .parent()
            .unwrap_or(content)
            .join(super::INCOMPLETE_DIR)
            .join(&rel),
        false => content.join(&rel),
    };
    let text = match &page.document {
        Some(document) => document_text(
            document,
            page.article.redirect(),
            import_extra(&page.article),
        ),
        None => article_text(&page.article),
    };
    let change = match std::fs::read(&path) {
        Ok(old) if old == text.as_bytes() || old == before_fingerprints(&text).as_bytes() => {
            Change::Unchanged
        }
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
        files,
    })
}

/// The file as an import before fingerprints wrote it (no `import_text` line), so
/// that an article imported then is known unchanged, not edited.
fn before_fingerprints(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| !line.starts_with("  import_text: "))
        .collect()
}

/// Copies the images and attachments the page links that were saved with it into
/// content/ (where the old portal had them, so their old addresses still work; or,
/// from a browser's `Trang_files/` folder, beside the article), and links them there.
fn copy_saved_files(
    page: &mut ImportedPage,
    saved: &SavedPlace,
    content: &Path,
    rel: &str,
    existing: &mut Existing,
    dry_run: bool,
) -> Result<PageFiles, ImportError> {
    let saved = SavedPlace {
        own_host: page
            .article
            .url
            .as_deref()
            .and_then(crate::content::links_audit::link_host),
        ..saved.clone()
    };
    let (found, missing) = find_saved_files(&page.references, &saved);
    let mut files = PageFiles {
        missing,
        ..PageFiles::default()
    };
    let beside = page_key(rel);
    let mut moves: Vec<(String, String)> = Vec::new();
    for file in found {
        let name = file.name.clone();
        let wanted = file
            .old_path
            .clone()
            .unwrap_or_else(|| format!("{beside}/{name}"));
        let cache_key = (file.path.clone(), wanted.clone());
        if file.bytes.is_none()
            && let Some(dest) = existing.copied.get(&cache_key)
        {
            moves.push((file.markdown.clone(), format!("/{dest}")));
            files.copied.push(dest.clone());
            continue;
        }
        let Some(bytes) = file
            .bytes
            .clone()
            .or_else(|| std::fs::read(&file.path).ok())
        else {
            files.missing.push((file.markdown.clone(), file.image));
            continue;
        };
        // Another portal's file at the same place (two districts' `/images/logo.jpg`)
        // is not overwritten: this one takes `logo-2.jpg`.
        let Some(dest) = (1..100)
            .map(|n| numbered(&wanted, n))
            .find(|d| std::fs::read(content.join(d)).map_or(true, |old| old == bytes))
        else {
            files.missing.push((file.markdown.clone(), file.image));
            continue;
        };
        let target = content.join(&dest);
        if !dry_run && !target.exists() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|source| ImportError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&target, &bytes).map_err(|source| ImportError::Write {
                path: target.clone(),
                source,
            })?;
        }
        moves.push((file.markdown.clone(), format!("/{dest}")));
        if file.bytes.is_none() {
            existing.copied.insert(cache_key, dest.clone());
        }
        files.copied.push(dest);
    }
    page.article.body = relink(&page.article.body, &moves);
    if let Some(document) = &mut page.document {
        document.body = relink(&document.body, &moves);
        // Only a file of this site can be a document's attachment; another is
        // linked from its text.
        let mut elsewhere = Vec::new();
        document.files = std::mem::take(&mut document.files)
            .into_iter()
            .filter_map(
                |f| match moves.iter().find(|(old, _)| *old == markdown_url(&f)) {
                    Some((_, new)) => Some(new.clone()),
                    None => {
                        elsewhere.push(f);
                        None
                    }
                },
            )
            .collect();
        for address in elsewhere {
            let name = address.rsplit('/').next().unwrap_or(&address).to_string();
            document.body.push_str(&format!(
                "\nTệp đính kèm: [{}]({})\n",
                super::page::escape_inline(&name),
                markdown_url(&address)
            ));
        }
    }
    Ok(files)
}

/// `van-ban/2022/25-2022-qd-ubnd.md` (`-2` for `n` = 2), filed by the year of issue.
fn document_rel(document: &ImportedDocument, fallback: Date, n: usize) -> String {
    let year = document.year(fallback);
    let slug = number_slug(&document.number, year);
    let slug = if slug.is_empty() {
        "van-ban".to_string()
    } else {
        slug
    };
    if n > 1 {
        format!("{DOCUMENTS_DIR}/{year}/{slug}-{n}.md")
    } else {
        format!("{DOCUMENTS_DIR}/{year}/{slug}.md")
    }
}

/// `images/logo.jpg` -> `images/logo-2.jpg` for `n` = 2.
fn numbered(path: &str, n: usize) -> String {
    if n == 1 {
        return path.to_string();
    }
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{n}.{ext}"),
        _ => format!("{name}-{n}"),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// The page's bytes, and the web archive they came out of for an `.mhtml`.
fn read_page(path: &Path) -> Result<(Vec<u8>, Option<WebArchive>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    if !is_web_archive(path) {
        return Ok((bytes, None));
    }
    match read_web_archive(&bytes) {
        Some(mut archive) => Ok((std::mem::take(&mut archive.html), Some(archive))),
        None => Err(
            "not a web archive that can be read (no page in it): open it in the browser and save it again as \"Webpage, Complete\""
                .into(),
        ),
    }
}

fn is_web_archive(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mhtml") || e.eq_ignore_ascii_case("mht"))
}

/// Whether the page names its old address, by where it sits (a mirror's host
/// folder) or by its first bytes (a canonical link, the browser's "saved from url").
fn names_its_address(input: &InputPage) -> bool {
    let real = input
        .path
        .canonicalize()
        .unwrap_or_else(|_| input.path.clone());
    if saved_place(&real, &input.root).mirror.is_some() {
        return true;
    }
    let Ok(file) = std::fs::File::open(&input.path) else {
        return false;
    };
    let mut head = Vec::with_capacity(8192);
    if std::io::Read::read_to_end(&mut std::io::Read::take(file, 8192), &mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    [
        "saved from url=",
        "rel=\"canonical\"",
        "rel='canonical'",
        "og:url",
        "snapshot-content-location:",
        "mirrored from ",
    ]
    .iter()
    .any(|mark| head.contains(mark))
}

/// Where the page was saved: its folder, the folder imported, and the mirror's host
/// folder it sits in, if any.
fn saved_place(page: &Path, root: &Path) -> SavedPlace {
    let page_dir = page.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mirror = page_dir
        .ancestors()
        .take_while(|dir| dir.starts_with(root))
        .find_map(|dir| {
            let name = dir.file_name()?.to_str()?;
            is_host_name(name).then(|| (name.to_ascii_lowercase(), dir.to_path_buf()))
        });
    SavedPlace {
        page_dir,
        input_root: root.to_path_buf(),
        mirror,
        own_host: None,
        embedded: Vec::new(),
    }
}

/// The old address of a page saved in a mirror's host folder:
/// `quan3.example.gov.vn/tin-tuc/a.html` -> `http://quan3.example.gov.vn/tin-tuc/a.html`.
/// `wget --adjust-extension` added `.html` to `.aspx` pages; the old address had none.
fn mirror_address(page: &Path, (host, folder): &(String, PathBuf)) -> Option<String> {
    let rel = page.strip_prefix(folder).ok()?;
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => parts.push(name.to_str()?.to_string()),
            _ => return None,
        }
    }
    // `tin-tuc/hoi-nghi/index.html` was saved from `/tin-tuc/hoi-nghi/`.
    if parts.last().is_some_and(|last| {
        matches!(
            last.to_ascii_lowercase().as_str(),
            "index.html" | "index.htm"
        )
    }) {
        parts.pop();
        parts.push(String::new());
    }
    let mut path = parts.join("/");
    // `wget --restrict-file-names=windows` saved `tin.aspx?ItemID=12` as `tin.aspx@ItemID=12`.
    for ext in [".aspx@", ".asp@", ".php@", ".jsp@"] {
        if let Some(at) = path.to_ascii_lowercase().find(ext) {
            let at = at + ext.len() - 1;
            path.replace_range(at..=at, "?");
            break;
        }
    }
    let lower = path.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".html")
        && [".aspx", ".asp", ".php", ".jsp"]
            .iter()
            .any(|e| stem.ends_with(e) || stem.contains(&format!("{e}?")))
    {
        path.truncate(stem.len());
    }
    let address = format!("http://{host}/{}", path.replace(' ', "%20"));
    (!super::html::is_home_page(&address)).then_some(address)
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
            let from = imported_from(&text);
            if let Some(fingerprint) = imported_text(&text) {
                let address = from.clone().filter(|f| f.contains("://"));
                existing.by_text.insert(fingerprint, (rel.clone(), address));
            }
            if let Some(key) = from {
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

/// The folder a page's files may be read from: the folder imported, or the
/// mirror's host folder it lies in (`bantin import quan3.example.gov.vn/tin-tuc`
/// still finds `quan3.example.gov.vn/images/`), as a real path.
fn reading_root(folder: &Path) -> PathBuf {
    let Ok(real) = folder.canonicalize() else {
        return folder.to_path_buf();
    };
    real.ancestors()
        .find(|dir| {
            dir.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_host_name)
        })
        .map_or_else(|| real.clone(), Path::to_path_buf)
}

/// A page file to read: where it is, how the report shows it, and the folder it
/// was found in (no file outside that folder is read for it).
struct InputPage {
    path: PathBuf,
    shown: String,
    root: PathBuf,
    /// Named on the command line, not found in a folder: always imported.
    named: bool,
}

/// The page files named by `inputs`; a folder is walked in name order, and its
/// files that are not pages are counted.
fn page_files(inputs: &[PathBuf], report: &mut ImportReport) -> Vec<InputPage> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            let folder = input
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            files.push(InputPage {
                path: input.clone(),
                shown: input.display().to_string(),
                root: reading_root(folder),
                named: true,
            });
            continue;
        }
        let mut found = Vec::new();
        walk(input, &mut found, &mut HashSet::new());
        found.sort();
        let root = reading_root(input);
        for (path, with_page) in found {
            // wget keeps a query in the name (`tin.aspx?ItemID=12`, `@` on Windows):
            // the ending is the one before it.
            let mut ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            ext.truncate(ext.find(['?', '@']).unwrap_or(ext.len()));
            // A download script's answer (`LinkClick.aspx?fileticket=…`, `tai-ve.aspx`)
            // saved under the script's name: a document, copied where a page links it.
            // What a page-named file holds, told by its first bytes, read once.
            let head = match PAGE_EXTENSIONS.contains(&ext.as_str()) {
                true => file_head(&path),
                false => Vec::new(),
            };
            if let Some(ending) = saved_ending(&head) {
                ext = ending.to_string();
            } else if super::is_feed(&head) {
                ext = "xml: an RSS feed or a sitemap".to_string();
            }
            if with_page {
                report.saved_with_pages += 1;
            } else if is_crawler_file(&path, input, &head) {
                report.crawler_files += 1;
            } else if PAGE_EXTENSIONS.contains(&ext.as_str()) {
                let shown = path.display().to_string();
                files.push(InputPage {
                    path,
                    shown,
                    root: root.clone(),
                    named: false,
                });
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

/// Whether `path`, found under `folder` and beginning with `head`, is one that
/// the mirroring tool wrote or fetched for itself, not a page of the portal: the `robots.txt` that wget and
/// HTTrack read first; HTTrack's log (`hts-log.txt`, which can hold the password
/// the mirror was made with), its cache (`hts-cache/`), its cookies, and the index
/// pages it makes beside the host folders ("Created by HTTrack Website Copier").
fn is_crawler_file(path: &Path, folder: &Path, head: &[u8]) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    if name.starts_with("hts-") || name == "robots.txt" {
        return true;
    }
    let inside = path.strip_prefix(folder).unwrap_or(path);
    if inside
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "hts-cache"))
    {
        return true;
    }
    let project = path.parent().unwrap_or(Path::new("."));
    if name == "cookies.txt"
        && (project.join("hts-cache").is_dir() || project.join("hts-log.txt").is_file())
    {
        return true;
    }
    if !(name.ends_with(".html") || name.ends_with(".htm")) {
        return false;
    }
    String::from_utf8_lossy(&head[..head.len().min(1024)])
        .contains("<!-- Created by HTTrack Website Copier")
}

/// Whether `folder` is walked for the first time. A folder reached again
/// through a link (`a -> .`, `up -> ..`) is walked once: two such links in one
/// folder made 2^40 paths to walk.
fn first_visit(folder: &Path, seen: &mut HashSet<PathBuf>) -> bool {
    folder.canonicalize().is_ok_and(|real| seen.insert(real))
}

/// The files under `folder`, each with whether it was saved with a page by a
/// browser ("Save page as" writes `Trang.html` and `Trang_files/`, whose frames
/// and scripts are parts of that page, not pages of the portal).
fn walk(folder: &Path, files: &mut Vec<(PathBuf, bool)>, seen: &mut HashSet<PathBuf>) {
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
            if is_browser_files_folder(&path) {
                let mut inner = Vec::new();
                walk(&path, &mut inner, seen);
                files.extend(inner.into_iter().map(|(p, _)| (p, true)));
            } else {
                walk(&path, files, seen);
            }
        } else {
            files.push((path, false));
        }
    }
}

/// `Trang_files/` beside `Trang.html` (or `.htm`, `.mhtml`).
fn is_browser_files_folder(folder: &Path) -> bool {
    let Some(name) = folder.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let Some(stem) = name.strip_suffix("_files") else {
        return false;
    };
    let parent = folder.parent().unwrap_or(Path::new("."));
    ["html", "htm", "xhtml", "shtml", "aspx", "php"]
        .iter()
        .any(|ext| parent.join(format!("{stem}.{ext}")).is_file())
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
