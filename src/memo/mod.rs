//! What a rebuild reuses from the build before it: articles already parsed, bodies
//! already rendered, and the fingerprint of every output file as last written, so
//! a page is rendered and written again only when what it shows changed.
//!
//! Reuse is decided by keys that cover every input of a step, never by guessing
//! what a change touches: a parsed file by its stamp (size, modification time,
//! inode) or, when a watcher names it, by its bytes; a body by a
//! hash of its Markdown and the answers to every link lookup it made; a page by a
//! hash of its template context. So a rebuild writes exactly the files a full
//! build would write differently.

pub mod attachments;
pub mod file;
pub mod model;
pub mod saved;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::sync::Arc;

use crate::content::article::SourceArticle;
use crate::content::markdown::{BodyOptions, LinkedArticle, SiteLinks};
use crate::content::sources::SourceFiles;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{FileStamp, Fingerprint, FingerprintWriter};
use crate::site::model::{Body, KnownBodies, RenderBody};

/// An article file as last parsed.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub stamp: FileStamp,
    pub parsed: Result<Arc<SourceArticle>, Vec<Diagnostic>>,
}

/// A body as last rendered, with what it asked the site while rendering.
#[derive(Debug)]
pub struct CachedBody {
    /// The article it was rendered from: the same one (not a copy) means the
    /// same Markdown, unread since.
    source: Arc<SourceArticle>,
    options: BodyOptions,
    /// Hash of the Markdown, its folder, its first line in the file and the options.
    input: Fingerprint,
    /// Every link lookup made while rendering, with its answer then.
    lookups: Vec<Lookup>,
    base_path: String,
    body: Arc<Body>,
}

impl CachedBody {
    /// The files (relative to content/) the body's links looked up.
    pub fn looked_up(&self) -> impl Iterator<Item = &str> {
        self.lookups.iter().map(|(path, _)| path.as_str())
    }
}

/// A link lookup (an article's source path) and its answer: the article's URL
/// and whether it is a draft, or none.
type Lookup = (String, Option<(String, bool)>);

/// Bodies by source path.
#[derive(Debug, Default)]
pub struct BodyCache(HashMap<String, CachedBody>);

impl BodyCache {
    /// The body of `source` as last rendered, if it is still what rendering it
    /// against `links` would give.
    fn reusable(
        &self,
        source: &Arc<SourceArticle>,
        links: &dyn SiteLinks,
        options: BodyOptions,
    ) -> Option<&CachedBody> {
        let cached = self.0.get(&source.source)?;
        let same_input = match Arc::ptr_eq(&cached.source, source) && cached.options == options {
            true => true,
            false => cached.input == body_input(source, options),
        };
        let same_links = cached.base_path == links.base_path()
            && cached.lookups.iter().all(|(path, answer)| {
                let now = links.article(path).map(|a| (a.url, a.draft));
                now == answer.as_ref().map(|(url, draft)| (url.as_str(), *draft))
            });
        (same_input && same_links).then_some(cached)
    }

    /// Every file (relative to content/) a body's link looked up.
    pub fn linked_files(&self) -> HashSet<&str> {
        self.0.values().flat_map(CachedBody::looked_up).collect()
    }

    /// The body of the file `source` (relative to content/) as last rendered.
    pub fn last_body(&self, source: &str) -> Option<&Arc<Body>> {
        self.0.get(source).map(|cached| &cached.body)
    }

    /// Whether the body of `source` would be rendered again against `links`.
    pub fn is_stale(
        &self,
        source: &Arc<SourceArticle>,
        links: &dyn SiteLinks,
        options: BodyOptions,
    ) -> bool {
        self.reusable(source, links, options).is_none()
    }

    /// Keeps `entry`, rendered anew, as the body of `source`.
    pub fn renew(&mut self, source: String, entry: CachedBody) {
        self.0.insert(source, entry);
    }
}

impl KnownBodies for BodyCache {
    type Entry = CachedBody;

    /// The body of `source` rendered by `render` against `links`: from the cache
    /// when the Markdown is the same and every link it makes still leads where it
    /// led. A body rendered anew comes with its cache entry.
    fn body(
        &self,
        source: &Arc<SourceArticle>,
        links: &dyn SiteLinks,
        options: BodyOptions,
        render: RenderBody,
    ) -> (Arc<Body>, Option<CachedBody>) {
        if let Some(cached) = self.reusable(source, links, options) {
            return (Arc::clone(&cached.body), None);
        }
        let input = body_input(source, options);
        let recorder = RecordingLinks {
            inner: links,
            lookups: RefCell::new(Vec::new()),
        };
        let body = Arc::new(render(source, &recorder, options));
        let entry = CachedBody {
            source: Arc::clone(source),
            options,
            input,
            lookups: recorder.lookups.into_inner(),
            base_path: links.base_path().to_string(),
            body: Arc::clone(&body),
        };
        (body, Some(entry))
    }

    /// Keeps the entries of this build: renewed ones replace theirs, and those of
    /// files no longer in the site go.
    fn keep(&mut self, sources: &[&str], renewed: Vec<(String, CachedBody)>) {
        if renewed.is_empty() && self.0.len() == sources.len() {
            // Every body came from here, and there is no other entry.
            return;
        }
        let keep: HashSet<&str> = sources.iter().copied().collect();
        self.0.retain(|source, _| keep.contains(source.as_str()));
        self.0.extend(renewed);
    }
}

fn body_input(source: &SourceArticle, options: BodyOptions) -> Fingerprint {
    let mut hash = FingerprintWriter::new();
    hash.add(source.body.as_bytes());
    hash.add(source.source_dir().as_bytes());
    hash.add(&source.body_line.to_le_bytes());
    hash.add(&options.fingerprint_bytes());
    hash.finish()
}

/// Answers link lookups from the site and notes each question and answer.
struct RecordingLinks<'a> {
    inner: &'a dyn SiteLinks,
    lookups: RefCell<Vec<Lookup>>,
}

impl SiteLinks for RecordingLinks<'_> {
    fn article(&self, content_path: &str) -> Option<LinkedArticle<'_>> {
        let answer = self.inner.article(content_path);
        self.lookups.borrow_mut().push((
            content_path.to_string(),
            answer.map(|a| (a.url.to_string(), a.draft)),
        ));
        answer
    }

    fn base_path(&self) -> &str {
        self.inner.base_path()
    }
}

/// The search index as last written with the pages.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IndexWritten {
    /// Its files, by path in the output.
    pub files: Vec<String>,
    /// What it was made from, document by document, to patch it.
    pub state: crate::search::patch::IndexState,
}

/// Everything a rebuild can reuse.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// Article files by path relative to content/.
    pub parsed: HashMap<String, ParsedFile>,
    /// The time zone (site.yaml's `timezone`) the dates of `parsed` are in.
    pub parsed_in_zone: String,
    pub bodies: BodyCache,
    /// Every file in the output folder but the search index's (unless it is
    /// written with the pages), as last written.
    pub pages: HashMap<String, Fingerprint>,
    /// When the search index is written with the pages: what it was made from
    /// and its files, as last written.
    pub index: Option<IndexWritten>,
    /// The files under content/ as last found.
    pub sources: Option<SourceFiles>,
    /// Files under content/ a watcher reported changed since the last
    /// successful run: parsed again whatever their stamps say, as a change may
    /// fall within one tick of the file system's clock.
    pub reread: HashSet<String>,
    /// The output files the last rebuild wrote or removed, when it changed a
    /// folder in place; `None` when it made the folder anew.
    pub output_touched: Option<Vec<String>>,
    /// The output folder as the cache on disk described it when loaded.
    pub(crate) output_described: Option<file::OutputState>,
    /// Text extracted from attachments, by the fingerprint of their bytes.
    pub attachment_texts: attachments::AttachmentTexts,
}

impl BuildCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets go of the Markdown of the articles read this run, their bodies
    /// being rendered: the memo keeps bodies, not Markdown (see [`file`]), and
    /// need not hold it until it is saved (some 200 MB at 100,000 articles,
    /// which a build without a memo frees after the model is made).
    pub fn drop_markdown(&mut self) {
        // A body holds the article it was rendered from (see [`BodyCache`]):
        // pointed at the copy, or the Markdown stays held through it.
        let stripped: HashMap<usize, Arc<SourceArticle>> = self
            .parsed
            .par_iter_mut()
            .filter_map(|(_, file)| {
                let article = file.parsed.as_mut().ok()?;
                if article.markdown_dropped {
                    return None;
                }
                let was = Arc::as_ptr(article) as usize;
                *article = Arc::new(article.without_markdown());
                Some((was, Arc::clone(article)))
            })
            .collect();
        self.bodies.0.par_iter_mut().for_each(|(_, body)| {
            if let Some(article) = stripped.get(&(Arc::as_ptr(&body.source) as usize)) {
                body.source = Arc::clone(article);
            }
        });
    }
}
