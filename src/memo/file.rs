//! The build cache on disk (`bantin build --cache DIR`): what a build learnt,
//! kept for the next build of the same site into the same folder, so that it
//! parses, renders and writes only what changed.
//!
//! A cache describes one output folder as one build left it, and is used only
//! when all it was made with is the same: the bantin program, the site and
//! output folders, the options, and the output folder itself. The folder is
//! known by its stamp, or, when that changed (a CI cache restores the folder
//! anew), by the size and modification time of every file in it. Anything else
//! makes a full build, which writes a new cache.
//!
//! The file is removed before a build touches the output and written after, so
//! a build stopped half-way leaves no cache that could lie about the folder.
//!
//! Articles are kept without their Markdown (their rendered bodies are kept): the
//! few whose bodies must be rendered again are read again from their files,
//! which their stamps say are unchanged.
//!
//! Articles and bodies, nearly all of the cache, are kept in [`PARTS`] part
//! files by their path, each named by a fingerprint of what it holds: a build
//! that changed a few articles writes a few parts, and the parts are read in
//! parallel. The cache file names the parts it goes with. A part's bodies'
//! HTML follows the rest as one text, which the bodies read back share instead
//! of each being allocated and copied.
//!
//! The model of the build is kept too, its articles in chunk files of their own
//! (see [`super::model`]): a rebuild after edits that keep the site's shape patches it
//! and reads the cache file, the edited articles' parts and a few chunks only.
//! A part or chunk that cannot be read is removed, to be written anew.

use std::borrow::Cow;
use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::model::{CHUNK_PREFIX, DOCUMENTS_PREFIX, LastModel, PLAN_PREFIX};
use super::saved::{BodyToSave, SavedBodyOf, SavedSourceArticle, SourceToSave};
use super::{BodyCache, BuildCache, CachedBody, IndexWritten, Lookup, ParsedFile};
use crate::content::article::SourceArticle;
use crate::content::markdown::BodyOptions;
use crate::fingerprint::{FileStamp, Fingerprint};
use crate::site::model::{Body, Html};

/// The cache's file in the cache folder.
pub const CACHE_FILE: &str = "bantin-build.cache";
/// The file a build holds locked while it uses the cache folder, naming its process.
pub const LOCK_FILE: &str = "bantin-build.lock";
/// Changes whenever what is saved changes shape.
const FORMAT: u32 = 20;
/// Part files the articles and bodies are spread over: one edit rewrites one,
/// about 1/256 of the whole.
const PARTS: usize = 256;
/// How part files' names begin: `part.<n>.<fingerprint>.bin`.
const PART_PREFIX: &str = "part.";

/// The part an article and its body are kept in, by its path.
pub fn part_of(source: &str) -> usize {
    (crate::fingerprint::fingerprint(source.as_bytes()) % PARTS as u128) as usize
}

fn part_file(part: usize, identity: Fingerprint) -> String {
    format!("{PART_PREFIX}{part}.{identity:032x}.bin")
}

/// A part's articles and bodies, borrowed to be saved.
type PartToSave<'a> = Part<SourceToSave<'a>, SavedBody<'a, BodyToSave<'a>>>;

/// The articles and bodies of one part, as saved.
#[derive(Serialize, Deserialize)]
struct Part<A, B> {
    articles: Vec<(FileStamp, A)>,
    bodies: Vec<B>,
}

/// The build a cache on disk is for: one of this site into this output folder
/// with these options.
#[derive(Debug, Clone)]
pub struct CacheFor {
    pub root: PathBuf,
    pub out: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// What a cache was made with: it is used only if all of it is the same.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct MadeWith {
    format: u32,
    version: String,
    /// The program that made it (another build of bantin may make other pages).
    program: Option<FileStamp>,
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    base_url: Option<String>,
}

impl MadeWith {
    /// For a build with `options` into its output folder as it is now; `None` if
    /// there is no output folder.
    fn now(options: &CacheFor) -> Option<MadeWith> {
        let out = options.out.canonicalize().ok()?;
        Some(MadeWith {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            program: std::env::current_exe()
                .ok()
                .and_then(|exe| FileStamp::of(&exe).ok()),
            root: options.root.canonicalize().ok()?,
            out,
            drafts: options.drafts,
            base_url: options.base_url.clone(),
        })
    }

    /// Why a cache made with `self` cannot serve a build made with `now`.
    fn mismatch(&self, now: &MadeWith) -> Option<&'static str> {
        if self.format != now.format || self.version != now.version || self.program != now.program {
            Some("it was made by another build of bantin")
        } else if self.root != now.root || self.out != now.out {
            Some("it was made for another site or output folder")
        } else if self.drafts != now.drafts || self.base_url != now.base_url {
            Some("it was made with other options (--drafts, --base-url)")
        } else {
            None
        }
    }
}

/// The output folder as a build left it.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct OutputState {
    folder: FileStamp,
    /// Every file in it: path, size, modification time (ns since 1970).
    files: Vec<(String, u64, i128)>,
}

impl OutputState {
    fn of(out: &Path) -> io::Result<OutputState> {
        let mut files = Vec::new();
        list_files(out, "", &mut files)?;
        files.sort_unstable();
        Ok(OutputState {
            folder: FileStamp::of(out)?,
            files,
        })
    }

    /// The state of `out` that was `self` before the files `touched` (relative
    /// to it) were written or removed: only those are looked at again, and
    /// merged into the list, which stays sorted.
    fn after(self, out: &Path, touched: &[String]) -> io::Result<OutputState> {
        let mut now: Vec<(&str, Option<(u64, i128)>)> = touched
            .par_iter()
            .map(|rel| {
                let meta = fs::symlink_metadata(out.join(rel)).ok();
                let stat = meta.and_then(|meta| Some((meta.len(), modified_ns(&meta).ok()?)));
                (rel.as_str(), stat)
            })
            .collect();
        now.sort_unstable_by(|x, y| x.0.cmp(y.0));
        now.dedup_by(|x, y| x.0 == y.0);
        let mut files = Vec::with_capacity(self.files.len() + now.len());
        let mut now = now.into_iter().peekable();
        let looked_at = |(rel, stat): (&str, Option<(u64, i128)>)| {
            stat.map(|(len, modified)| (rel.to_string(), len, modified))
        };
        for (path, len, modified) in self.files {
            while let Some(earlier) = now.next_if(|(rel, _)| *rel < path.as_str()) {
                files.extend(looked_at(earlier));
            }
            match now.next_if(|(rel, _)| *rel == path) {
                Some(same) => files.extend(looked_at(same)),
                None => files.push((path, len, modified)),
            }
        }
        files.extend(now.filter_map(looked_at));
        Ok(OutputState {
            folder: FileStamp::of(out)?,
            files,
        })
    }

    /// Whether `out` is still as `self` says: the same folder untouched at its
    /// top, or (a folder restored from a CI cache) every file of the same size
    /// and time.
    fn still_describes(&self, out: &Path) -> bool {
        if FileStamp::of(out).is_ok_and(|stamp| stamp == self.folder) {
            return true;
        }
        let mut files = Vec::with_capacity(self.files.len());
        list_files(out, "", &mut files).is_ok() && {
            files.sort_unstable();
            files == self.files
        }
    }
}

/// Every file under `dir` with its size and modification time; folders are
/// read in parallel (a large site's output has a folder per page).
fn list_files(dir: &Path, prefix: &str, files: &mut Vec<(String, u64, i128)>) -> io::Result<()> {
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            folders.push((entry.path(), rel + "/"));
            continue;
        }
        let meta = entry.metadata()?;
        files.push((rel, meta.len(), modified_ns(&meta)?));
    }
    let nested: Vec<io::Result<Vec<(String, u64, i128)>>> = folders
        .par_iter()
        .map(|(path, rel)| {
            let mut inner = Vec::new();
            list_files(path, rel, &mut inner).map(|()| inner)
        })
        .collect();
    for inner in nested {
        files.extend(inner?);
    }
    Ok(())
}

fn modified_ns(meta: &fs::Metadata) -> io::Result<i128> {
    Ok(meta
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128))
}

/// A body as saved: [`CachedBody`] without the article, which is saved once,
/// and without its HTML, which follows the part's bodies (`B`: the body).
/// Borrowed from the cache when saved, owned when read.
#[derive(Serialize, Deserialize)]
struct SavedBody<'a, B> {
    source: Cow<'a, str>,
    options: BodyOptions,
    input: Fingerprint,
    lookups: Cow<'a, [Lookup]>,
    base_path: Cow<'a, str>,
    /// Bytes of HTML it has after those of the bodies before it.
    html_len: u64,
    body: B,
}

/// Why the cache could not be used: the build starts from nothing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotUsed(String);

impl NotUsed {
    pub(crate) fn new(why: String) -> NotUsed {
        NotUsed(why)
    }
}

/// The cache file: all the cache but the parts and the model's chunks.
pub struct Head {
    /// The output folder as the cache describes it.
    pub(crate) output: OutputState,
    /// The time zone the parts' dates are in.
    pub zone: String,
    /// The part files, by part.
    pub part_files: Vec<String>,
    /// Every file in the output folder, as last written (see [`BuildCache::pages`]).
    pub pages: HashMap<String, Fingerprint>,
    pub index: Option<IndexWritten>,
    pub model: Option<LastModel>,
}

/// The cache file in `dir` for a build with `options`, if there is one it can
/// use ([`load_parts`] reads the rest).
pub fn load_head(dir: &Path, options: &CacheFor) -> Result<Head, NotUsed> {
    let path = dir.join(CACHE_FILE);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(NotUsed(format!("there is none in {} yet", dir.display())));
        }
        Err(e) => return Err(NotUsed(format!("cannot read {}: {e}", path.display()))),
    };
    let unreadable =
        |e: postcard::Error| NotUsed(format!("{} is unreadable ({e})", path.display()));
    let (made, rest) = postcard::take_from_bytes::<MadeWith>(&bytes).map_err(unreadable)?;
    let now = MadeWith::now(options)
        .ok_or_else(|| NotUsed("there is no output folder to update".to_string()))?;
    if let Some(why) = made.mismatch(&now) {
        return Err(NotUsed(why.to_string()));
    }
    let (output, rest) = postcard::take_from_bytes::<OutputState>(rest).map_err(unreadable)?;
    if !output.still_describes(&now.out) {
        return Err(NotUsed(
            "the output folder was changed since (or is not the one the cache describes)"
                .to_string(),
        ));
    }
    let ((zone, part_files, pages, index, model), _) =
        postcard::take_from_bytes(rest).map_err(unreadable)?;
    Ok(Head {
        output,
        zone,
        part_files,
        pages,
        index,
        model,
    })
}

/// The whole cache: `head` and the parts it names.
pub fn load_parts(dir: &Path, head: Head) -> Result<BuildCache, NotUsed> {
    // Every part is read, even after one that cannot be: each of those is removed.
    let read: Vec<Result<Part<_, _>, NotUsed>> = head
        .part_files
        .par_iter()
        .map(|name| read_or_remove(&dir.join(name), read_part))
        .collect();
    let parts: Vec<Part<Arc<SourceArticle>, SavedBody<'static, Arc<Body>>>> =
        read.into_iter().collect::<Result<_, NotUsed>>()?;
    let mut cache = parts_cache(parts);
    cache.parsed_in_zone = head.zone;
    cache.pages = head.pages;
    cache.index = head.index;
    cache.output_described = Some(head.output);
    cache.attachment_texts = super::attachments::AttachmentTexts::load(dir);
    Ok(cache)
}

/// Part `n` of the cache `head` describes, as a cache of its articles and bodies alone.
pub fn load_part(dir: &Path, head: &Head, n: usize) -> Result<BuildCache, NotUsed> {
    let name = head
        .part_files
        .get(n)
        .ok_or_else(|| NotUsed(format!("the cache has no part {n}")))?;
    let mut cache = parts_cache(vec![read_or_remove(&dir.join(name), read_part)?]);
    cache.parsed_in_zone = head.zone.clone();
    Ok(cache)
}

/// A cache of the articles and bodies of `parts`.
fn parts_cache(parts: Vec<Part<Arc<SourceArticle>, SavedBody<'static, Arc<Body>>>>) -> BuildCache {
    let mut cache = BuildCache::new();
    let articles = parts.iter().map(|p| p.articles.len()).sum();
    cache.parsed = HashMap::with_capacity_and_hasher(articles, Default::default());
    let mut bodies = Vec::with_capacity(articles);
    for part in parts {
        for (stamp, article) in part.articles {
            let source = article.source.clone();
            let parsed = Ok(article);
            cache.parsed.insert(source, ParsedFile { stamp, parsed });
        }
        bodies.extend(part.bodies);
    }
    let mut kept = HashMap::with_capacity_and_hasher(bodies.len(), Default::default());
    for saved in bodies {
        // A body is kept with the very article it was rendered from, so that an
        // unchanged article is known as such without hashing its Markdown again.
        let Some(Ok(source)) = cache.parsed.get(&*saved.source).map(|p| &p.parsed) else {
            continue;
        };
        let entry = CachedBody {
            source: Arc::clone(source),
            options: saved.options,
            input: saved.input,
            lookups: saved.lookups.into_owned(),
            base_path: saved.base_path.into_owned(),
            body: saved.body,
        };
        kept.insert(saved.source.into_owned(), entry);
    }
    cache.bodies = BodyCache(kept);
    cache
}

/// `read` of the file at `path`; a file that cannot be read is removed, so that
/// the next save, which would find one of its name there and keep it, writes it
/// anew (else every build after would find it unreadable again).
pub(crate) fn read_or_remove<T>(
    path: &Path,
    read: impl FnOnce(&Path) -> Result<T, NotUsed>,
) -> Result<T, NotUsed> {
    let read = read(path);
    if read.is_err() {
        let _ = fs::remove_file(path);
    }
    read
}

/// Reads a part file: the length of what precedes the bodies' HTML, the
/// articles and bodies, then their HTML, one text they all share (read straight
/// into it, with no copy of the whole on the way).
fn read_part(
    path: &Path,
) -> Result<Part<Arc<SourceArticle>, SavedBody<'static, Arc<Body>>>, NotUsed> {
    let unreadable = |why: String| NotUsed(format!("{} is unreadable ({why})", path.display()));
    let cannot_read = |e: io::Error| match e.kind() {
        io::ErrorKind::UnexpectedEof => unreadable("cut short".to_string()),
        _ => NotUsed(format!("cannot read {}: {e}", path.display())),
    };
    let mut file = fs::File::open(path).map_err(cannot_read)?;
    let mut head_len = [0; 8];
    file.read_exact(&mut head_len).map_err(cannot_read)?;
    let head_len = usize::try_from(u64::from_le_bytes(head_len))
        .map_err(|_| unreadable("a length out of range".to_string()))?;
    let file_len = file.metadata().map_err(cannot_read)?.len();
    let html_len = usize::try_from(file_len.saturating_sub(8))
        .ok()
        .and_then(|rest| rest.checked_sub(head_len))
        .ok_or_else(|| unreadable("shorter than it says".to_string()))?;
    let mut head = vec![0; head_len];
    file.read_exact(&mut head).map_err(cannot_read)?;
    let mut html = Vec::with_capacity(html_len);
    file.read_to_end(&mut html).map_err(cannot_read)?;
    let part: Part<SavedSourceArticle, SavedBody<'static, SavedBodyOf>> =
        postcard::from_bytes(&head).map_err(|e| unreadable(e.to_string()))?;
    if simdutf8::basic::from_utf8(&html).is_err() {
        return Err(unreadable("HTML that is not UTF-8".to_string()));
    }
    // SAFETY: these very bytes were checked as UTF-8 just above.
    let html = Arc::new(unsafe { String::from_utf8_unchecked(html) });
    let mut at: usize = 0;
    let mut bodies = Vec::with_capacity(part.bodies.len());
    for saved in part.bodies {
        let end = usize::try_from(saved.html_len)
            .ok()
            .and_then(|len| at.checked_add(len));
        let Some(text) = end.and_then(|end| Html::part_of(&html, at..end)) else {
            return Err(unreadable("a body's HTML is cut short".to_string()));
        };
        at += text.len();
        let mut body = saved.body.0;
        body.html = text;
        bodies.push(SavedBody {
            body: Arc::new(body),
            source: saved.source,
            options: saved.options,
            input: saved.input,
            lookups: saved.lookups,
            base_path: saved.base_path,
            html_len: saved.html_len,
        });
    }
    if at != html.len() {
        return Err(unreadable("HTML no body owns".to_string()));
    }
    Ok(Part {
        articles: part
            .articles
            .into_iter()
            .map(|(stamp, saved)| (stamp, Arc::new(saved.0)))
            .collect(),
        bodies,
    })
}

/// Writes a part file: the length of the articles and bodies, they, then the
/// bodies' HTML.
fn write_part(path: &Path, part: &PartToSave) -> io::Result<()> {
    let head = postcard::to_allocvec(part).map_err(io::Error::other)?;
    write_whole(path, |file| {
        file.write_all(&(head.len() as u64).to_le_bytes())?;
        file.write_all(&head)?;
        for saved in &part.bodies {
            file.write_all(saved.body.0.html.as_bytes())?;
        }
        Ok(())
    })
}

/// The cache folder, held by one build at a time until this is dropped.
///
/// Two builds with one cache that overlap (a scheduled build and one started
/// by hand) would each patch the output folder and save a cache, and the cache
/// saved last could describe pages the other wrote: a page left stale with no
/// word. The lock is the operating system's, so a build that was killed holds
/// nothing.
pub struct CacheLock {
    _held: Option<fs::File>,
}

/// Takes the cache folder `dir` for this build, first telling `waiting` the
/// process that holds it, if one does, and waiting for it. A folder that
/// cannot be locked (one that cannot be written, a file system without locks)
/// gives no lock: saving the cache says what fails.
pub fn lock(dir: &Path, waiting: impl FnOnce(&str)) -> CacheLock {
    let path = dir.join(LOCK_FILE);
    let held = (|| {
        fs::create_dir_all(dir)?;
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                waiting(fs::read_to_string(&path).unwrap_or_default().trim());
                file.lock()?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
        file.set_len(0)?;
        write!(file, "{}", std::process::id())?;
        io::Result::Ok(file)
    })();
    CacheLock { _held: held.ok() }
}

/// Removes the cache in `dir`, if any: done before a build changes the output.
pub fn forget(dir: &Path) -> io::Result<()> {
    match fs::remove_file(dir.join(CACHE_FILE)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Saves `cache`, which describes the output folder of `options` as it is now,
/// into `dir` (made if missing), with the last build's `model` (see
/// [`super::model`]), its files written already. Articles that could not be
/// parsed are left out: they are read again next time.
pub fn save(
    dir: &Path,
    options: &CacheFor,
    cache: &mut BuildCache,
    model: Option<LastModel>,
) -> io::Result<()> {
    let made = made_now(options)?;
    // A folder changed in place is looked at only where it changed.
    let output = match (cache.output_described.take(), &cache.output_touched) {
        (Some(before), Some(touched)) => before.after(&made.out, touched)?,
        _ => OutputState::of(&made.out)?,
    };
    fs::create_dir_all(dir)?;
    cache.attachment_texts.save(dir)?;
    let head = Head {
        output,
        zone: cache.parsed_in_zone.clone(),
        part_files: save_parts(dir, cache)?,
        pages: std::mem::take(&mut cache.pages),
        index: cache.index.take(),
        model,
    };
    write_head(dir, &made, &head)
}

/// Saves `head` (its parts and chunks already written) as the cache of the
/// output folder of `options`, which the files `touched` (relative to it) are
/// all that changed in since `head` described it.
pub fn save_head(
    dir: &Path,
    options: &CacheFor,
    mut head: Head,
    touched: &[String],
) -> io::Result<()> {
    let made = made_now(options)?;
    head.output = head.output.after(&made.out, touched)?;
    write_head(dir, &made, &head)
}

fn made_now(options: &CacheFor) -> io::Result<MadeWith> {
    MadeWith::now(options).ok_or_else(|| io::Error::other("the output folder is missing"))
}

/// Writes the cache file, then removes the part and chunk files it does not name.
fn write_head(dir: &Path, made: &MadeWith, head: &Head) -> io::Result<()> {
    let Head {
        output,
        zone,
        part_files,
        pages,
        index,
        model,
    } = head;
    write_whole(&dir.join(CACHE_FILE), |file| {
        put(file, made)?;
        put(file, output)?;
        put(file, &(zone, part_files, pages, index, model))
    })?;
    // Parts and chunks of earlier caches are of no more use.
    let chunks = model.as_ref().map_or(&[][..], |m| &m.chunks[..]);
    let plan = model.as_ref().map(|m| m.plan_file.as_str());
    let documents = model.as_ref().map(|m| m.register.sources_file.as_str());
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        let unlisted = (name.starts_with(PART_PREFIX) && !part_files.iter().any(|p| *p == name))
            || (name.starts_with(CHUNK_PREFIX) && !chunks.iter().any(|c| *c == name))
            || (name.starts_with(PLAN_PREFIX) && plan != Some(&*name))
            || (name.starts_with(DOCUMENTS_PREFIX) && documents != Some(&*name));
        if unlisted {
            let _ = fs::remove_file(dir.join(&*name));
        }
    }
    Ok(())
}

/// Writes part `n` of `cache`, which holds that part's articles and bodies (see
/// [`load_part`]); returns its file name.
pub fn save_part(dir: &Path, cache: &BuildCache, n: usize) -> io::Result<String> {
    let part = gather_parts(cache).swap_remove(n);
    write_part_named(dir, n, part, &cache.parsed_in_zone)
}

/// Writes the parts whose contents changed (a part is named by a fingerprint of
/// them, so one already there holds them); returns every part's file name.
fn save_parts(dir: &Path, cache: &BuildCache) -> io::Result<Vec<String>> {
    gather_parts(cache)
        .into_par_iter()
        .enumerate()
        .map(|(n, part)| write_part_named(dir, n, part, &cache.parsed_in_zone))
        .collect()
}

/// Part `n`, written unless a file holds it already; returns its file name.
fn write_part_named(dir: &Path, n: usize, mut part: PartToSave, zone: &str) -> io::Result<String> {
    part.articles
        .sort_unstable_by(|x, y| x.1.0.source.cmp(&y.1.0.source));
    part.bodies.sort_unstable_by(|x, y| x.source.cmp(&y.source));
    let name = part_file(n, identity(&part, zone));
    let path = dir.join(&name);
    if !path.is_file() {
        write_part(&path, &part)?;
    }
    Ok(name)
}

/// The articles and bodies of `cache` in their parts.
fn gather_parts(cache: &BuildCache) -> Vec<PartToSave<'_>> {
    let mut parts: Vec<PartToSave> = (0..PARTS)
        .map(|_| Part {
            articles: Vec::new(),
            bodies: Vec::new(),
        })
        .collect();
    for (source, p) in &cache.parsed {
        if let Ok(article) = &p.parsed {
            parts[part_of(source)]
                .articles
                .push((p.stamp, SourceToSave(article)));
        }
    }
    for (source, c) in &cache.bodies.0 {
        parts[part_of(source)].bodies.push(SavedBody {
            source: Cow::Borrowed(source),
            options: c.options,
            input: c.input,
            lookups: Cow::Borrowed(&c.lookups),
            base_path: Cow::Borrowed(&c.base_path),
            html_len: c.body.html.len() as u64,
            body: BodyToSave(&c.body),
        });
    }
    parts
}

/// A fingerprint of what a part holds, without writing it out: an article is
/// known by its file's stamp (and the time zone its dates were read in), a body
/// by what it was rendered from and the fingerprint of its HTML.
fn identity(part: &PartToSave, zone: &str) -> Fingerprint {
    let mut print = crate::fingerprint::FingerprintWriter::new();
    // A part of another format holds the same under another shape.
    print.add(&FORMAT.to_le_bytes());
    print.add(zone.as_bytes());
    for (stamp, article) in &part.articles {
        print.add(article.0.source.as_bytes());
        let _ = print.add_value(stamp);
    }
    for body in &part.bodies {
        print.add(body.source.as_bytes());
        let _ = print.add_value(&(
            body.options,
            body.input,
            &body.lookups,
            &body.base_path,
            body.body.0.print,
        ));
    }
    print.finish()
}

/// Writes `value` in the cache's format.
fn put(file: &mut impl Write, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
    postcard::to_io(value, file)
        .map(drop)
        .map_err(io::Error::other)
}

/// Writes a file whole or not at all: into a temporary file renamed over it.
pub(crate) fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let partial = path.with_file_name(format!(".{name}.{}", std::process::id()));
    let written = (|| {
        let mut file = BufWriter::with_capacity(1 << 20, fs::File::create(&partial)?);
        write(&mut file)?;
        file.flush()?;
        fs::rename(&partial, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_described_after_changes_is_described_as_listing_it_would() {
        let out = tempfile::tempdir().unwrap();
        let out = out.path();
        fs::create_dir_all(out.join("tin/a")).unwrap();
        for (rel, text) in [("b.html", "b"), ("tin/a/index.html", "a"), ("z.xml", "z")] {
            fs::write(out.join(rel), text).unwrap();
        }
        let before = OutputState::of(out).unwrap();
        // One file rewritten longer, one removed, three added (one before all
        // others in order, one after all, one in a new folder), one named twice.
        fs::write(out.join("tin/a/index.html"), "a, longer").unwrap();
        fs::remove_file(out.join("z.xml")).unwrap();
        fs::write(out.join("a.css"), "a").unwrap();
        fs::create_dir_all(out.join("tin/c")).unwrap();
        fs::write(out.join("tin/c/index.html"), "c").unwrap();
        fs::write(out.join("zz.txt"), "zz").unwrap();
        let touched: Vec<String> = [
            "tin/a/index.html",
            "z.xml",
            "a.css",
            "tin/c/index.html",
            "a.css",
            "zz.txt",
        ]
        .map(String::from)
        .to_vec();
        let after = before.after(out, &touched).unwrap();
        assert_eq!(after, OutputState::of(out).unwrap());
        assert_eq!(after.files.len(), 5);
    }
}
