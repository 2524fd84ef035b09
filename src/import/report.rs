//! The report printed at the end of an import: per page the file written, the fields
//! found, the encoding, the guesses; then the pages that need a person.

use std::collections::BTreeMap;
use std::fmt;

use super::ImportedPage;
use super::assets::PageFiles;
use super::fields::Found;
use crate::diagnostics::printable;

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
        /// Its images and attachments: copied into content/, or not saved with it.
        files: PageFiles,
    },
    /// Read but not imported, with the reason.
    Failed(String),
    /// Left out on purpose (a list page of the old portal), with the reason.
    Skipped(String),
    /// The same article (title and text) as `content/<of>`, saved twice: left out.
    /// `lost_address` is its old address when `of` does not redirect it.
    Duplicate {
        of: String,
        lost_address: Option<String>,
    },
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
    /// Files of browsers' `Trang_files/` folders: parts of their pages, not pages.
    pub saved_with_pages: usize,
    /// Files the mirroring tool wrote or fetched for itself (robots.txt, HTTrack's
    /// log, cache and index pages).
    pub crawler_files: usize,
    pub dry_run: bool,
}

impl ImportReport {
    pub fn failed(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| matches!(p.outcome, Outcome::Failed(_)))
            .count()
    }

    /// List pages of the old portal, left out.
    pub fn list_pages(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| matches!(p.outcome, Outcome::Skipped(_)))
            .count()
    }

    /// Pages that were the same article as another, left out.
    pub fn duplicates(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| matches!(p.outcome, Outcome::Duplicate { .. }))
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

impl ImportReport {
    /// Pages that carried planted links, each with what was left out.
    pub fn with_planted_links(&self) -> Vec<(&str, &[String])> {
        self.pages
            .iter()
            .filter_map(|p| match &p.outcome {
                Outcome::Imported { page, .. } if !page.planted.is_empty() => {
                    Some((p.input.as_str(), page.planted.as_slice()))
                }
                _ => None,
            })
            .collect()
    }
}

/// The page's images and attachments: how many were copied, and each that was not
/// saved with the page (the archive still links it at the closed portal).
fn write_files(f: &mut fmt::Formatter<'_>, files: &PageFiles, dry_run: bool) -> fmt::Result {
    if !files.copied.is_empty() {
        let shown: Vec<String> = files
            .copied
            .iter()
            .map(|c| format!("content/{}", printable(c)))
            .collect();
        writeln!(
            f,
            "  {} {} image(s) and attachment(s): {}",
            if dry_run { "would copy" } else { "copied" },
            files.copied.len(),
            crate::content::text::shorten(&shown.join(", "), 200)
        )?;
    }
    for (address, image) in &files.missing {
        writeln!(
            f,
            "  not saved with the page: {} {} (still linked at its old address; save the file beside the page and import again)",
            if *image { "image" } else { "attachment" },
            printable(address)
        )?;
    }
    Ok(())
}

/// The page's old address when it has a query string (`tin.aspx?ItemID=12`): the
/// archive keeps it as where the page came from but cannot redirect it.
fn unredirectable(page: &ImportedPage) -> Option<&str> {
    page.found.url.as_deref().filter(|u| u.contains('?'))
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
                Outcome::Imported {
                    rel,
                    change,
                    page,
                    files,
                } => {
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
                    writeln!(
                        f,
                        "{} -> {}/{} ({what})",
                        printable(&report.input),
                        if page.incomplete() {
                            super::INCOMPLETE_DIR
                        } else {
                            "content"
                        },
                        printable(rel)
                    )?;
                    let (found, what) = match &page.document {
                        Some(document) => (document.found(), "a document (văn bản): "),
                        None => (fields_found(&page.found), ""),
                    };
                    writeln!(
                        f,
                        "  found: {what}{}",
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
                        writeln!(f, "  guessed {field}: {}", printable(how))?;
                    }
                    if let Some(url) = unredirectable(page) {
                        writeln!(
                            f,
                            "  old address not redirected: {} has a query string, which a static host cannot redirect (kept in extra.imported_from)",
                            printable(url)
                        )?;
                    }
                    write_files(f, files, self.dry_run)?;
                    for planted in &page.planted {
                        writeln!(f, "  left out, planted: {}", printable(planted))?;
                    }
                    for text in &page.found.unclassified {
                        let text = crate::content::text::shorten(text, 80);
                        writeln!(
                            f,
                            "  kept in the body, unclassified: \"{}\"",
                            printable(&text)
                        )?;
                    }
                }
                Outcome::Failed(why) => writeln!(
                    f,
                    "{}: not imported: {}",
                    printable(&report.input),
                    printable(why)
                )?,
                Outcome::Skipped(why) => writeln!(
                    f,
                    "{}: left out: {}",
                    printable(&report.input),
                    printable(why)
                )?,
                Outcome::Duplicate { of, lost_address } => {
                    let what = if crate::content::document::is_document(of) {
                        "document"
                    } else {
                        "article"
                    };
                    writeln!(
                        f,
                        "{}: left out: the same {what} as content/{} (saved twice)",
                        printable(&report.input),
                        printable(of)
                    )?;
                    if let Some(address) = lost_address {
                        writeln!(
                            f,
                            "  its old address {} does not redirect yet: add it to `aliases` in content/{}",
                            printable(address),
                            printable(of)
                        )?;
                    }
                }
            }
        }
        for (ext, n) in &self.not_pages {
            writeln!(
                f,
                "{n} file(s) that are not pages ({}): copied only where an imported page links them",
                printable(ext)
            )?;
        }
        if self.saved_with_pages > 0 {
            writeln!(
                f,
                "read {} file(s) of browsers' `_files` folders as parts of their pages, not as pages",
                self.saved_with_pages
            )?;
        }
        let unredirected = self
            .pages
            .iter()
            .filter(|p| matches!(&p.outcome, Outcome::Imported { page, .. } if unredirectable(page).is_some()))
            .count();
        if unredirected > 0 {
            writeln!(
                f,
                "{unredirected} old address(es) with a query string cannot be redirected: link to the new pages from wherever they were published"
            )?;
        }
        if self.crawler_files > 0 {
            writeln!(
                f,
                "left out {} file(s) that the mirroring tool wrote or fetched for itself (robots.txt, HTTrack's hts-log.txt, hts-cache/ and index pages): not pages of the portal",
                self.crawler_files
            )?;
        }
        let people = self.need_a_person();
        if !people.is_empty() {
            writeln!(f, "\nPages that need a person ({}):", people.len())?;
            for (input, guesses) in &people {
                let fields: Vec<&str> = guesses.iter().map(|(field, _)| *field).collect();
                writeln!(f, "  {}: check {}", printable(input), fields.join(", "))?;
            }
        }
        let planted = self.with_planted_links();
        if !planted.is_empty() {
            writeln!(
                f,
                "\nPages that carried planted links, left out of the articles ({}): the old portal was probably hacked",
                planted.len()
            )?;
            for (input, links) in &planted {
                writeln!(
                    f,
                    "  {}: {} link(s) or block(s)",
                    printable(input),
                    links.len()
                )?;
            }
        }
        let imported = self.pages.len() - self.failed() - self.list_pages() - self.duplicates();
        writeln!(
            f,
            "\n{} {imported} page(s): {} new, {} unchanged, {} kept as edited; {} need a person; {} list page(s) and {} page(s) saved twice left out; {} not imported",
            if self.dry_run {
                "Dry run, nothing written: would import"
            } else {
                "Imported"
            },
            count(Change::New),
            count(Change::Unchanged),
            count(Change::Kept),
            people.len(),
            self.list_pages(),
            self.duplicates(),
            self.failed()
        )
    }
}
