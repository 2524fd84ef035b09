//! The model of the last build, kept so that a rebuild after edits
//! that keep the site's shape patches it instead of making it again (the
//! build's patched rebuild).
//!
//! Its articles are kept in chunks of [`CHUNK`], in the model's order, each in a
//! file named by a fingerprint of its bytes: such a rebuild reads only the chunks
//! of the articles the pages it renders show, and writes only the chunks of the
//! articles it edited. The rest (categories, tags, archive, card fingerprints,
//! the article files with their stamps) is small and kept whole.

use std::fs;
use std::io;
use std::path::Path;

use jiff::tz::TimeZone;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::file::NotUsed;
use super::saved::{ArticleToSave, SavedModelArticle};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{FileStamp, Fingerprint, FingerprintWriter};
use crate::site::archive::Archive;
use crate::site::documents::Register;
use crate::site::model::{Article, Taxon};
use crate::site::plan::{PagePlan, PlannedPage};
use crate::theme::Theme;

/// Articles a chunk file holds.
pub const CHUNK: usize = 1024;
/// How chunk files' names begin: `model.<n>.<fingerprint>.bin`.
pub const CHUNK_PREFIX: &str = "model.";
/// How plan files' names begin: `plan.<fingerprint>.bin`.
pub const PLAN_PREFIX: &str = "plan.";
/// How the document sources' file's name begins: `documents.<fingerprint>.bin`.
pub const DOCUMENTS_PREFIX: &str = "documents.";

/// The model of a build, but for its articles, which are in the chunk files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastModel {
    /// What it was made with besides the articles: see [`made_from`].
    pub made_from: Fingerprint,
    /// Every article file read (drafts too), in the order found.
    pub files: Vec<ModelFile>,
    /// Every other file under content/ (published as it is), in the order found.
    pub assets: Vec<String>,
    pub categories: Vec<Taxon>,
    pub tags: Vec<Taxon>,
    pub archive: Archive,
    pub most_read: Vec<usize>,
    /// The fingerprint of each article's card.
    pub cards: Vec<Fingerprint>,
    /// The register of documents, as much of it as tells which pages an
    /// edit to documents changes.
    pub register: LastRegister,
    /// The work schedule's [`crate::site::schedule::Schedule::shown_print`].
    pub schedule: Fingerprint,
    /// The build's time (nanoseconds since 1970): its day and, on the
    /// schedule's calendars, itself are shown.
    pub built_at: i128,
    /// The files (by their place in `files`) some body links to: moving one
    /// changes the bodies that link to it.
    pub linked: Vec<u32>,
    /// The model's and the plan's problems (warnings only: the build succeeded).
    pub problems: Vec<Diagnostic>,
    /// The pages of the plan that show bodies, by the article whose body each
    /// shows, sorted by article: made again when that body is edited.
    pub body_pages: BodyPages,
    /// The bodies' HTML of the articles shown on a page beside other bodies (a
    /// feed's), by article: that page is made again when one of them is edited.
    pub shown_bodies: ShownBodies,
    /// Pages the build planned, and the file of its plan (see [`save_plan`]).
    pub planned_pages: usize,
    pub plan_file: String,
    /// The chunk files, in order.
    pub chunks: Vec<String>,
}

/// The register of documents of a build, as a rebuild that patches its model
/// needs it: a document edit changes the pages that show the documents whose
/// prints changed, if the register keeps its shape.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LastRegister {
    /// See [`crate::site::documents::Register::made_from`].
    pub made_from: Fingerprint,
    /// See [`crate::site::documents::Register::shape`].
    pub shape: Fingerprint,
    /// Each document's file's fingerprint and
    /// [`crate::site::documents::Document::shown_print`], in
    /// the register's order.
    pub prints: Vec<(Fingerprint, Fingerprint)>,
    /// The problems found making it (warnings only: the build succeeded).
    pub problems: Vec<Diagnostic>,
    /// The file of the document files' bytes as read (see
    /// [`save_named`]): what a document's words were, for the
    /// search index to take them out when it is edited.
    pub sources_file: String,
}

impl LastRegister {
    /// What is kept of `register`, whose document files' bytes are in `sources_file`.
    pub fn of(register: &Register, sources_file: String) -> LastRegister {
        LastRegister {
            made_from: register.made_from,
            shape: register.shape,
            prints: register
                .documents
                .par_iter()
                .map(|d| (d.source_print, d.shown_print()))
                .collect(),
            problems: register.problems.clone(),
            sources_file,
        }
    }
}

/// Document files and their bytes, by file (relative to content/), sorted:
/// kept in a file of [`save_named`] whose name begins with [`DOCUMENTS_PREFIX`].
pub type DocumentSources = Vec<(String, Vec<u8>)>;

/// Writes `value` in a file named by `prefix` and the fingerprint of its bytes
/// (unless that file exists already: it holds the same); returns the name.
pub fn save_named(dir: &Path, prefix: &str, value: &impl Serialize) -> io::Result<String> {
    // Written out twice, to the fingerprint and to the file, rather than
    // gathered once: the plan's bytes at 100,000 articles (some 10 MB, in a
    // buffer grown to twice that) would come on top of the build's peak.
    let mut print = FingerprintWriter::new();
    postcard::to_io(value, &mut print).map_err(io::Error::other)?;
    let name = format!("{prefix}{:032x}.bin", print.finish());
    let path = dir.join(&name);
    if !path.is_file() {
        super::file::write_whole(&path, |file| {
            postcard::to_io(value, file)
                .map(drop)
                .map_err(io::Error::other)
        })?;
    }
    Ok(name)
}

/// Reads a file [`save_named`] wrote.
pub fn read_named<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, NotUsed> {
    super::file::read_or_remove(&dir.join(name), |path| {
        let bytes = fs::read(path)
            .map_err(|e| NotUsed::new(format!("cannot read {}: {e}", path.display())))?;
        postcard::from_bytes(&bytes)
            .map_err(|e| NotUsed::new(format!("{} is unreadable ({e})", path.display())))
    })
}

/// Pages by the article whose body each shows, sorted by article.
pub type BodyPages = Vec<(u32, PlannedPage)>;

/// The HTML of bodies, by article, sorted.
pub type ShownBodies = Vec<(usize, String)>;

/// An article file as the model took it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFile {
    /// Relative to content/.
    pub file: String,
    pub stamp: FileStamp,
    /// The fingerprint of its bytes ([`crate::content::article::SourceArticle::file_print`]).
    pub content: Fingerprint,
    /// What links to it lead to: its URL, and whether it is a draft.
    pub url: String,
    pub draft: bool,
    /// Its place among the model's articles; `None` for a draft left out.
    pub index: Option<u32>,
}

/// A fingerprint of what a model is made with besides the articles: site.yaml
/// (`config`, as read from it), the theme's templates, language files and
/// stylesheet, and the names of its other files (the pictures articles may show).
pub fn made_from(config: &Config, theme: &Theme) -> Fingerprint {
    let mut print = FingerprintWriter::new();
    print.add(&config.text_print.to_le_bytes());
    let theme_texts = theme
        .templates
        .iter()
        .chain(&theme.languages)
        .chain(&theme.stylesheet);
    for t in theme_texts {
        print.add(t.name.as_bytes());
        print.add(t.text.as_bytes());
    }
    for file in &theme.static_files {
        print.add(file.rel.as_bytes());
    }
    print.finish()
}

/// Writes the chunks of `articles` not already in `dir`; returns every chunk's
/// file name, in order.
pub fn save_chunks(dir: &Path, articles: &[Article]) -> io::Result<Vec<String>> {
    articles
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| write_chunk(dir, n, chunk))
        .collect()
}

/// Writes chunk `n` of `articles` (unless a file holds it already); returns its name.
pub fn write_chunk(dir: &Path, n: usize, articles: &[Article]) -> io::Result<String> {
    let saved: Vec<ArticleToSave> = articles.iter().map(ArticleToSave).collect();
    save_named(dir, &format!("{CHUNK_PREFIX}{n}."), &saved)
}

/// Writes the plan (unless a file holds it already); returns its file name.
pub fn save_plan(dir: &Path, plan: &PagePlan) -> io::Result<String> {
    save_named(dir, PLAN_PREFIX, &plan.pages)
}

/// Reads a plan file.
pub fn read_plan(dir: &Path, name: &str) -> Result<PagePlan, NotUsed> {
    Ok(PagePlan {
        pages: read_named(dir, name)?,
    })
}

/// Reads a chunk file; its articles' dates are put in `zone`, and their bodies'
/// HTML is left empty.
pub fn read_chunk(dir: &Path, name: &str, zone: &TimeZone) -> Result<Vec<Article>, NotUsed> {
    let saved: Vec<SavedModelArticle> = read_named(dir, name)?;
    let mut articles: Vec<Article> = saved.into_iter().map(|saved| saved.0).collect();
    for a in &mut articles {
        a.date = a.date.with_time_zone(zone.clone());
        a.updated = a.updated.take().map(|u| u.with_time_zone(zone.clone()));
    }
    Ok(articles)
}
