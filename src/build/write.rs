//! The last stage: bytes into the output folder through one writer (a staging
//! folder swapped in whole, or a patch moved in), each file written only when
//! its fingerprint differs from what the folder holds; the search index whole
//! or patched.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::read::{LoadedSite, on_disk_readers};
use crate::content::article::SourceArticle;
use crate::content::sources::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{FileStamp, Fingerprint, fingerprint};
use crate::memo::{BuildCache, IndexWritten};
use crate::output::{OutputError, PendingOutput};
use crate::render::Renderer;
use crate::render::stylesheet::Stylesheet;
use crate::search::index::write_index_files;
use crate::search::patch::{DocText, IndexPatch, IndexState, patch_index};
use crate::site::model::{Body, Site};
use crate::theme::{StaticContent, Theme};

/// The one writer of the output folder for a run: each file goes through it,
/// written into a new folder that replaces the output whole or into a patch of
/// changes to it ([`PendingOutput`]) only when its fingerprint differs from
/// what the folder holds, and everything is moved in at once by
/// [`OutputWriter::commit`].
pub(super) struct OutputWriter<'a> {
    pub pending: PendingOutput,
    /// What the folder holds, by file (relative to it): the memo's, borrowed
    /// by a run that makes every file, taken over by one that makes some.
    pub known: Cow<'a, HashMap<String, Fingerprint>>,
    /// The files that went through, by their fingerprints now.
    pub files: HashMap<String, Fingerprint>,
    /// Files written, of all those that went through.
    pub written: usize,
    /// Whether the files that do not go through are kept (a run that makes only
    /// some pages again) rather than removed (one that makes all of them).
    keeps_the_rest: bool,
    /// Files removed on purpose from a folder whose other files are kept.
    removed: Vec<String>,
}

/// What a committed run left in the folder.
pub(super) struct Committed {
    /// Every file, by its fingerprint.
    pub files: HashMap<String, Fingerprint>,
    pub written: usize,
    /// The files written or removed, when the folder was changed in place
    /// (`None`: it was made anew).
    pub touched: Option<Vec<String>>,
}

impl<'a> OutputWriter<'a> {
    /// A writer for a run that makes every file of `out`, which holds `known`:
    /// the files that do not go through it are removed.
    pub fn whole(out: &Path, known: &'a HashMap<String, Fingerprint>) -> Result<Self, OutputError> {
        Self::new(out, Cow::Borrowed(known), false)
    }

    /// A writer for a run that makes some files of `out`, which holds `known`,
    /// again: the others are kept as they are. `known` becomes the folder's
    /// description after the run (at 100,000 articles a copy would be 15 MB).
    pub fn some(out: &Path, known: HashMap<String, Fingerprint>) -> Result<Self, OutputError> {
        Self::new(out, Cow::Owned(known), true)
    }

    fn new(
        out: &Path,
        known: Cow<'a, HashMap<String, Fingerprint>>,
        keeps_the_rest: bool,
    ) -> Result<Self, OutputError> {
        Ok(OutputWriter {
            pending: PendingOutput::for_output(out, keeps_the_rest || !known.is_empty())?,
            known,
            files: HashMap::default(),
            written: 0,
            keeps_the_rest,
            removed: Vec::new(),
        })
    }

    /// Writes those of `new_files` whose bytes differ from what the folder holds.
    pub fn write_files(&mut self, new_files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
        let (pending, known) = (&self.pending, &*self.known);
        let results: Vec<Result<(Fingerprint, bool), OutputError>> = new_files
            .par_iter()
            .map(|(path, bytes)| {
                let print = fingerprint(bytes);
                let changed = known.get(path) != Some(&print);
                if changed {
                    pending.write(path, bytes)?;
                }
                Ok((print, changed))
            })
            .collect();
        for ((path, _), result) in new_files.iter().zip(results) {
            let (print, changed) = result?;
            self.written += usize::from(changed);
            self.files.insert(path.clone(), print);
        }
        Ok(())
    }

    /// Keeps `files` as the folder holds them.
    pub fn keep(&mut self, files: &[String]) {
        for file in files {
            if let Some(print) = self.known.get(file) {
                self.files.entry(file.clone()).or_insert(*print);
            }
        }
    }

    /// Removes `file` from the folder.
    pub fn remove(&mut self, file: &str) {
        self.files.remove(file);
        self.removed.push(file.to_string());
    }

    /// Moves everything written in and removes the files the site no longer has.
    pub fn commit(self) -> Result<Committed, OutputError> {
        let known = &*self.known;
        let gone: Vec<String> = match self.keeps_the_rest {
            true => self.removed,
            false => known
                .keys()
                .filter(|file| !self.files.contains_key(*file))
                .cloned()
                .collect(),
        };
        // What a description of the folder must look at again: the files written
        // (their fingerprints changed) and removed; all of them if it is new.
        let touched = matches!(self.pending, PendingOutput::Changes(_)).then(|| {
            let written = self
                .files
                .iter()
                .filter(|(file, print)| known.get(*file) != Some(print));
            written
                .map(|(file, _)| file.clone())
                .chain(gone.iter().cloned())
                .collect()
        });
        self.pending.commit(&gone)?;
        let files = match self.keeps_the_rest {
            true => {
                let mut files = self.known.into_owned();
                for file in &gone {
                    files.remove(file);
                }
                files.extend(self.files);
                files
            }
            false => self.files,
        };
        Ok(Committed {
            files,
            written: self.written,
            touched,
        })
    }
}

/// Writes the search index of `site` through `output`: the one writer of its
/// files, whole or patched. Only files whose bytes differ from what the folder
/// holds are written; returns, for a memo to keep (`remember`), the index as
/// now written.
///
/// An index made from the same input as `last` is not made again; one that
/// differs in a few articles is patched, if it can be, with their texts as
/// `last` indexed them.
pub(super) fn write_index(
    site: &Site,
    out: &Path,
    output: &mut OutputWriter,
    last: Option<(&IndexWritten, &LastIndexed)>,
    remember: bool,
) -> Result<Option<IndexWritten>, OutputError> {
    if !remember {
        // Nothing to compare with and nothing to keep: the index, whole.
        whole_index(site, output)?;
        return Ok(None);
    }
    let now = IndexState::of(site, Default::default());
    let known = &output.known;
    let last = last.filter(|(last, _)| last.files.iter().all(|file| known.contains_key(file)));
    if let Some((last, _)) = last.filter(|(last, _)| last.state.same_input(&now)) {
        output.keep(&last.files);
        return Ok(Some(last.clone()));
    }
    let patched = last.and_then(|(last, texts)| {
        let read = |path: &str| std::fs::read(out.join(path)).ok();
        let patch = patch_index(site, now, &last.state, |file| texts.text(file), read)?;
        Some((last, patch))
    });
    if let Some((last, patch)) = patched {
        return write_index_patch(output, &last.files, patch).map(Some);
    }
    let (files, state) = whole_index(site, output)?;
    Ok(Some(IndexWritten { files, state }))
}

/// Writes `patch` of the search index whose files were `last_files` through
/// `output`: the files it changed are written, those it no longer has
/// removed, the others kept. Returns the index as now written.
pub(super) fn write_index_patch(
    output: &mut OutputWriter,
    last_files: &[String],
    patch: IndexPatch,
) -> Result<IndexWritten, OutputError> {
    output.write_files(&patch.files)?;
    let files = index_files_after(last_files, &patch);
    output.keep(&files);
    for gone in &patch.gone {
        output.remove(gone);
    }
    Ok(IndexWritten {
        files,
        state: patch.state,
    })
}

/// Writes every file of the search index of `site` (none if it has no
/// search) through `output`, each step's as it is made; returns their paths
/// and what the index was made from.
fn whole_index(
    site: &Site,
    output: &mut OutputWriter,
) -> Result<(Vec<String>, IndexState), OutputError> {
    if !site.config.search {
        return Ok((Vec::new(), IndexState::of(site, Default::default())));
    }
    let mut paths = Vec::new();
    let state = write_index_files(site, |files| {
        output.write_files(&files)?;
        paths.extend(files.into_iter().map(|(path, _)| path));
        Ok(())
    })?;
    Ok((paths, state))
}

/// The files of an index that were `before` and that `patch` changed: those it
/// did not remove, then those it added.
fn index_files_after(before: &[String], patch: &IndexPatch) -> Vec<String> {
    let gone: HashSet<&String> = patch.gone.iter().collect();
    let mut listed = HashSet::default();
    let added = patch.files.iter().map(|(path, _)| path);
    (before.iter().filter(|file| !gone.contains(file)))
        .chain(added)
        .filter(|file| listed.insert(*file))
        .cloned()
        .collect()
}

/// The articles as the last build indexed them: by file, the article and the
/// body it was made from.
#[derive(Default)]
pub(super) struct LastIndexed(pub(super) HashMap<String, (Arc<SourceArticle>, Arc<Body>)>);

impl LastIndexed {
    pub(super) fn of(cache: &BuildCache) -> Self {
        LastIndexed(
            cache
                .parsed
                .par_iter()
                .filter_map(|(file, parsed)| {
                    let article = parsed.parsed.as_ref().ok()?;
                    let body = cache.bodies.last_body(file)?;
                    Some((file.clone(), (Arc::clone(article), Arc::clone(body))))
                })
                .collect(),
        )
    }

    /// The text of `file` as the model made it from the article and body.
    pub(super) fn text(&self, file: &str) -> Option<DocText<'_>> {
        let (article, body) = self.0.get(file)?;
        Some(article_text(article, body))
    }
}

/// The text the index reads of `article`, whose body is `body`.
pub(super) fn article_text<'a>(article: &'a SourceArticle, body: &'a Body) -> DocText<'a> {
    DocText {
        title: &article.front.title,
        summary: (article.front.summary.as_deref())
            .unwrap_or(&body.first_paragraph)
            .into(),
        body_html: &body.html,
        body_print: body.print,
        number: "".into(),
        attachment: "",
        fields: "".into(),
    }
}

/// Copies the assets and theme files and writes the stylesheet through
/// `output` where they differ from what the folder holds; returns how many
/// were written.
pub(super) fn copy_changed_files(
    loaded: &LoadedSite,
    renderer: &Renderer,
    output: &mut OutputWriter,
    remember: bool,
) -> Result<usize, OutputError> {
    let (patch, known) = (&output.pending, &*output.known);
    let work = copied_files(
        &loaded.site.assets,
        &loaded.checked_copies,
        &loaded.theme,
        renderer.stylesheet(),
        remember,
    );
    // Each copy or link first reads its source's inode, seldom in memory.
    let results: Vec<Result<bool, OutputError>> = on_disk_readers(|| {
        work.par_iter()
            .map(|(rel, print, source)| {
                if known.get(*rel) == Some(print) {
                    return Ok(false);
                }
                match source {
                    Source::Disk(from) => patch.copy(rel, from)?,
                    Source::Bytes(bytes) => patch.write(rel, bytes)?,
                }
                Ok(true)
            })
            .collect()
    });
    let mut written = 0;
    for ((rel, print, _), result) in work.iter().zip(results) {
        written += usize::from(result?);
        output.files.insert(rel.to_string(), *print);
    }
    Ok(written)
}

/// The files a build copies (the content's assets, the theme's static files)
/// and the stylesheet it writes, each by its path in the output, with the
/// fingerprint it is known by and where its bytes come from.
///
/// A copied file is known by its source's path and stamp (taken when the files
/// were found), not read again; with no memo to keep (`remember`), not at all.
/// One read to be checked for scripts is written from the bytes checked
/// (`checked`), the others are linked or copied from disk.
pub(super) fn copied_files<'a>(
    assets: &'a [SourceFile],
    checked: &'a HashMap<String, Vec<u8>>,
    theme: &'a Theme,
    stylesheet: &'a Stylesheet,
    remember: bool,
) -> Vec<(&'a str, Fingerprint, Source<'a>)> {
    let stamp_print = |from: &Path, stamp: Option<FileStamp>| match remember {
        true => copy_print(from, stamp),
        false => 0,
    };
    let mut work: Vec<(&str, Fingerprint, Source)> = Vec::new();
    for asset in assets {
        let print = stamp_print(&asset.abs, asset.stamp);
        let source = match checked.get(&asset.rel) {
            Some(bytes) => Source::Bytes(bytes),
            None => Source::Disk(&asset.abs),
        };
        work.push((&asset.rel, print, source));
    }
    // The site's own file (content/favicon.ico) wins over its theme's.
    let own: HashSet<&str> = assets.iter().map(|a| a.rel.as_str()).collect();
    for file in theme
        .static_files
        .iter()
        .filter(|f| !own.contains(f.rel.as_str()))
    {
        match &file.content {
            StaticContent::Disk(path) => {
                work.push((&file.rel, stamp_print(path, None), Source::Disk(path)))
            }
            StaticContent::Embedded(bytes) => {
                work.push((&file.rel, fingerprint(bytes), Source::Bytes(bytes)))
            }
        }
    }
    work.push((
        &stylesheet.file,
        fingerprint(&stylesheet.bytes),
        Source::Bytes(&stylesheet.bytes),
    ));
    work
}

/// The fingerprint a file copied from `from` is known by: of its path and
/// stamp (`stamp`, or the disk's), not its bytes, which would take reading it.
pub(super) fn copy_print(from: &Path, stamp: Option<FileStamp>) -> Fingerprint {
    let stamp = stamp.or_else(|| FileStamp::of(from).ok());
    fingerprint(format!("{}\0{stamp:?}", from.display()).as_bytes())
}

/// Where a copied file's bytes come from.
pub(super) enum Source<'a> {
    Disk(&'a Path),
    Bytes(&'a [u8]),
}

pub(super) fn output_diagnostic(e: OutputError) -> Diagnostic {
    Diagnostic::error("public", e.to_string())
}
