//! The build pipeline: read -> model -> plan -> diff -> render -> write, one
//! function ([`Pipeline::run`]) run the same way by `bantin build`, `bantin
//! build --cache` and `bantin serve`.
//!
//! What a run may reuse from the one before (parsed files, rendered bodies, the
//! fingerprint of every file in the output folder, the search index's state)
//! is its memo, a [`BuildCache`]: none for a plain build, which then neither
//! compares nor keeps anything; in memory for `serve`; on disk for `--cache`
//! (see [`crate::memo::file`]). With a memo, a page is rendered again only when
//! the fingerprint of what it shows changed, and a file is written only when its
//! bytes did, so the folder ends as a plain build would make it.
//!
//! The stages, a module each: [`read`] (settings, article files, model, plan),
//! this module (diff and render), [`write`] (the output folder and the search
//! index, through one writer each). [`edited`] is the memo's shortcut for
//! `--cache` after edits that keep the site's shape: the last model patched,
//! not made again.

mod edited;
mod folders;
mod read;
mod report;
mod write;

pub use edited::NotPatched;
pub use read::{LoadedSite, load_site, read_site};
pub use report::{BuildError, BuildOptions, BuildReport, CachedBuild, StageWatcher, watch_stages};

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::Diagnostic;
use crate::fingerprint::{Fingerprint, fingerprint};
use crate::memo::BuildCache;
use crate::output::OutputError;
use crate::render::{Cards, PAGE_CAPACITY, PagePrint, Renderer};
use crate::site::plan::{PagePlan, PlannedPage, output_file};
use folders::{check_cache_dir, check_output_dir};
use read::read_site_reusing;
use report::Stages;
use write::{LastIndexed, OutputWriter, copy_changed_files, output_diagnostic, write_index};

/// Builds the site into the output folder, atomically: on any error the previous
/// output is left exactly as it was. The pipeline with no memo.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let built = Pipeline::once(options.clone()).run()?;
    drop_aside((built.loaded, built.plan));
    Ok(built.report)
}

/// What a run made: its report, and the model and plan the output was made from.
pub struct Built {
    pub report: BuildReport,
    pub loaded: LoadedSite,
    pub plan: PagePlan,
}

/// [`build`], reusing what the last build with the same `cache_dir` learnt (see
/// [`crate::memo::file`]): only changed articles are parsed, only pages whose
/// content changed are rendered and only files whose bytes changed are written,
/// and the output is the same as [`build`]'s. A failed build leaves the output
/// as it was.
pub fn build_with_cache(options: &BuildOptions, cache_dir: &Path) -> CachedBuild {
    if let Err(d) = check_cache_dir(&options.root, &options.out_dir(), cache_dir) {
        return CachedBuild {
            result: Err(BuildError::Site(vec![d].into())),
            not_used: None,
            not_saved: None,
            not_patched: None,
        };
    }
    let loading = Instant::now();
    // The last model patched, if only bodies changed; else the whole cache.
    let (loaded, not_patched) = match crate::memo::file::load_head(cache_dir, &options.cache_for())
    {
        Err(why) => (Err(why), None),
        Ok(head) => match edited::rebuild(options, cache_dir, head, loading.elapsed()) {
            Ok(done) => return done,
            Err((head, why)) => (crate::memo::file::load_parts(cache_dir, *head), Some(why)),
        },
    };
    let (cache, not_used) = match loaded {
        Ok(cache) => (cache, None),
        Err(why) => (BuildCache::new(), Some(why)),
    };
    // A cache not used at all says why itself.
    let not_patched = not_patched.filter(|_| not_used.is_none());
    let loaded_in = loading.elapsed();
    if let Err(source) = crate::memo::file::forget(cache_dir) {
        let path = cache_dir.join(crate::memo::file::CACHE_FILE);
        return CachedBuild {
            result: Err(OutputError::Io { path, source }.into()),
            not_used,
            not_saved: None,
            not_patched: None,
        };
    }
    let mut site = Pipeline::resume(options.clone(), cache);
    let (mut result, model) = match site.run() {
        Ok(built) => (Ok(built.report), Some((built.loaded, built.plan))),
        Err(e) => (Err(e), None),
    };
    let cards = site.cards.prints().to_vec();
    // After a failed build the folder is as the cache says, unless writing it
    // failed; with no folder yet (a first build failed) there is nothing to describe.
    let folder_known = !matches!(result, Err(BuildError::Output(_))) && options.out_dir().is_dir();
    let saving = Instant::now();
    let mut cache = site.into_memo();
    let last_model = model
        .as_ref()
        .and_then(|(loaded, plan)| edited::model_to_save(loaded, plan, &cache, &cards));
    let not_saved = folder_known
        .then(|| {
            crate::memo::file::save(cache_dir, &options.cache_for(), &mut cache, last_model).err()
        })
        .flatten();
    drop_aside((cache, model));
    if let Ok(report) = &mut result {
        let saved_in = saving.elapsed();
        report.stages.insert(0, ("load the cache", loaded_in));
        report.stages.push(("save the cache", saved_in));
        report.elapsed += loaded_in + saved_in;
    }
    CachedBuild {
        result,
        not_used,
        not_saved,
        not_patched,
    }
}

/// A site built into its output folder by [`Pipeline::run`], and brought up to
/// date in place by each run after: a run parses only the files that changed,
/// renders only the pages whose context changed and writes only the files whose
/// bytes changed, and leaves the folder as a full build of the same files would
/// make it. A run that fails changes nothing in the folder.
pub struct Pipeline {
    options: BuildOptions,
    /// What the last run left to reuse; `None` for a build that neither reuses
    /// nor keeps anything.
    memo: Option<BuildCache>,
    /// The cards of the last run, to take unchanged ones from.
    cards: Cards,
}

impl Pipeline {
    /// A site built once, with nothing reused or kept.
    pub fn once(options: BuildOptions) -> Self {
        Pipeline {
            options,
            memo: None,
            cards: Cards::none(),
        }
    }

    /// A site to be built in full first and kept up to date (a memo in memory).
    pub fn new(options: BuildOptions) -> Self {
        Self::resume(options, BuildCache::new())
    }

    /// A site whose last build `memo` describes (its output folder still as that
    /// build left it).
    pub fn resume(options: BuildOptions, memo: BuildCache) -> Self {
        Pipeline {
            options,
            memo: Some(memo),
            cards: Cards::none(),
        }
    }

    /// What the runs learnt, to be saved for the next (see [`crate::memo::file`]).
    pub fn into_memo(self) -> BuildCache {
        self.memo.unwrap_or_default()
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Records the files under content/ (relative to it) a watcher saw change
    /// since the last run (see [`BuildCache::report_changes`]). Without a
    /// report, a run looks at every file's stamp.
    pub fn report_changes<'a>(&mut self, rel_paths: impl IntoIterator<Item = &'a str>) {
        if let Some(memo) = &mut self.memo {
            memo.report_changes(rel_paths);
        }
    }

    /// Makes the runs look at every file's stamp until one succeeds: the watcher
    /// lost track.
    pub fn look_at_every_file(&mut self) {
        if let Some(memo) = &mut self.memo {
            memo.lose_track();
        }
    }

    /// Brings the output folder up to date with the site: pages, search index,
    /// copied files and stylesheet, moved in together.
    pub fn run(&mut self) -> Result<Built, BuildError> {
        let started = Instant::now();
        let mut stages = Stages::new();
        let out = self.options.out_dir();
        check_output_dir(&self.options.root, &out).map_err(|d| BuildError::Site(vec![d].into()))?;
        // The articles as last indexed, before reading replaces them: the
        // search index is patched by their words.
        let last_indexed = match &self.memo {
            Some(memo) if memo.index.is_some() => LastIndexed::of(memo),
            _ => LastIndexed::default(),
        };
        let (loaded, plan, warnings) =
            read_site_reusing(&self.options, self.memo.as_mut(), &mut stages)
                .map_err(BuildError::Site)?;
        if warnings.has_errors() {
            return Err(BuildError::Site(warnings));
        }
        let remember = self.memo.is_some();
        let nothing_known = HashMap::default();
        let known = self
            .memo
            .as_ref()
            .map_or(&nothing_known, |memo| &memo.pages);
        let mut output = OutputWriter::whole(&out, known)?;
        // The index before the cards, so that the two, the largest things a
        // build holds besides the model, are never held at once.
        let last = self.memo.as_ref().and_then(|memo| memo.index.as_ref());
        let (written, index) = write_index(
            &loaded.site,
            &out,
            &output.pending,
            known,
            last.map(|last| (last, &last_indexed)),
            &mut output.files,
            remember,
        )?;
        output.written += written;
        drop(last_indexed);
        stages.done("update the search index");
        let renderer = Renderer::new_after(&loaded.theme, &loaded.site, &self.cards)
            .map_err(|e| BuildError::Site(e.into()))?;
        stages.done("compile the templates, make the cards");
        render_changed_pages(
            &loaded,
            &plan,
            &plan.pages,
            &renderer,
            &mut output,
            remember,
        )?;
        stages.done("render changed pages");
        let only_changed = self
            .memo
            .as_ref()
            .and_then(|memo| memo.only_looked_at.as_ref());
        let copies = copy_changed_files(&loaded, &renderer, &mut output, only_changed, remember)?;
        stages.done("copy changed files");
        let committed = output.commit()?;
        stages.done("move the changes in");
        let written = match remember {
            true => committed.written,
            false => plan.pages.len(),
        };
        let earlier = match &mut self.memo {
            Some(memo) => {
                memo.output_touched = committed.touched;
                memo.pages = committed.files;
                memo.index = index;
                memo.reported = None;
                memo.reread.clear();
                memo.lost_track = false;
                std::mem::replace(&mut self.cards, renderer.cards().clone())
            }
            None => Cards::none(),
        };
        // Freeing every card and page takes longer than the reader should wait.
        drop_aside((renderer, earlier));
        Ok(Built {
            report: BuildReport {
                out,
                articles: loaded.site.articles.len(),
                pages: plan.pages.len(),
                pages_written: written,
                files_copied: copies,
                warnings,
                elapsed: started.elapsed(),
                stages: stages.list,
            },
            loaded,
            plan,
        })
    }
}

/// Renders `pages` (of `plan`) whose fingerprints differ from what the folder
/// holds and writes them through `output`, recording each one's fingerprint
/// when the memo is kept (`remember`).
fn render_changed_pages(
    loaded: &LoadedSite,
    plan: &PagePlan,
    pages: &[PlannedPage],
    renderer: &Renderer,
    output: &mut OutputWriter,
    remember: bool,
) -> Result<(), BuildError> {
    let site = &loaded.site;
    let (pending, known) = (&output.pending, output.known);
    let rendered: Vec<Result<(String, Fingerprint, bool), Diagnostic>> = pages
        .par_iter()
        .map_init(
            || Vec::with_capacity(PAGE_CAPACITY),
            |page_bytes, page| {
                let file = output_file(&page.path);
                let write = |bytes: &[u8]| pending.write(&file, bytes).map_err(output_diagnostic);
                if !remember {
                    // Nothing to compare with or to keep: render and write.
                    renderer.render_into(site, plan, page, page_bytes)?;
                    write(page_bytes)?;
                    return Ok(None);
                }
                let known_print = known.get(&file);
                let (print, bytes) = if known.is_empty() {
                    // A first build: nothing to compare, render and fingerprint at once.
                    let (bytes, print) = renderer.render_printed(site, plan, page)?;
                    (print, bytes)
                } else {
                    match renderer.fingerprint(site, plan, page) {
                        PagePrint::Made(bytes) => (fingerprint(&bytes), bytes),
                        PagePrint::Context(Some(print)) if known_print == Some(&print) => {
                            return Ok(Some((file, print, false)));
                        }
                        PagePrint::Context(print) => {
                            let bytes = renderer.render(site, plan, page)?;
                            // Without a fingerprint of its context, a page is known by its bytes.
                            (print.unwrap_or_else(|| fingerprint(&bytes)), bytes)
                        }
                    }
                };
                let changed = known_print != Some(&print);
                if changed {
                    write(&bytes)?;
                }
                Ok(Some((file, print, changed)))
            },
        )
        .filter_map(Result::transpose)
        .collect();
    let mut problems = Vec::new();
    for result in rendered {
        match result {
            Ok((file, print, was_written)) => {
                output.written += usize::from(was_written);
                output.files.insert(file, print);
            }
            Err(d) => problems.push(d),
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(BuildError::Site(problems.into())),
    }
}

/// Frees `value` on a thread of its own: freeing a large site's model, cards
/// and pages takes a good part of a second (at exit, the process does it at once).
fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
