//! The build pipeline: read -> model -> plan -> diff -> render -> write, one
//! function ([`Pipeline::run`]) run the same way by `bantin build`, `bantin
//! build --cache` and `bantin serve`.
//!
//! What a run may reuse from the one before (parsed files, rendered bodies, the
//! fingerprint of every file in the output folder, the search index's state,
//! the last model and plan) is its memo, kept on disk between runs (see
//! [`crate::memo::file`]): by `build --cache` in the folder it names, by
//! `serve` in its private preview folder. A plain build has none, and neither
//! compares nor keeps anything. With a memo, a page is rendered again only
//! when what it shows changed, and a file is written only when its bytes did,
//! so the folder ends as a plain build would make it.
//!
//! The stages, a module each: [`read`] (settings, files, model, plan), or,
//! after edits that keep the site's shape, [`edited`] (the last model and plan
//! patched with the edits); this module (diff and render);
//! [`write`] (the output folder and the search index, through one writer each).

mod edited;
mod folders;
mod read;
mod report;
mod write;

pub use edited::NotPatched;
pub use read::{LoadedSite, load_site, read_site};
pub use report::{BuildError, BuildOptions, BuildReport, CachedBuild, StageWatcher, watch_stages};

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::content::sources::find_sources;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::{Fingerprint, fingerprint};
use crate::memo::file::{self as memo_file, NotUsed};
use crate::memo::{BuildCache, IndexWritten};
use crate::output::OutputError;
use crate::render::{PAGE_CAPACITY, PagePrint, Renderer};
use crate::site::plan::{PagePlan, PlannedPage, output_file};
use edited::{Patched, PatchedModel};
use folders::{check_cache_dir, check_output_dir};
use read::read_site_reusing;
use report::Stages;
use write::{
    LastIndexed, OutputWriter, copy_changed_files, output_diagnostic, write_index,
    write_index_patch,
};

/// Builds the site into the output folder, atomically: on any error the previous
/// output is left exactly as it was. The pipeline with no memo.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    Pipeline::once(options.clone()).run()
}

/// [`build`], reusing what the last build with the same `cache_dir` learnt (see
/// [`crate::memo::file`]): only changed articles are parsed, only pages whose
/// content changed are rendered and only files whose bytes changed are written,
/// and the output is the same as [`build`]'s. A failed build leaves the output
/// as it was. A build that finds another using `cache_dir` tells `waiting`
/// (the other's process number, if known) and waits for it to end.
pub fn build_with_cache(
    options: &BuildOptions,
    cache_dir: &Path,
    waiting: impl FnOnce(&str),
) -> CachedBuild {
    if let Err(d) = check_cache_dir(&options.root, &options.out_dir(), cache_dir) {
        return CachedBuild {
            result: Err(BuildError::Site(vec![d].into())),
            not_used: None,
            not_saved: None,
            not_patched: None,
        };
    }
    let lock = memo_file::lock(cache_dir, waiting);
    let mut pipeline = Pipeline::on_disk(options.clone(), cache_dir);
    let cached = pipeline.run_cached(|_| {});
    drop(lock);
    drop_aside(pipeline);
    cached
}

/// A site built into its output folder by [`Pipeline::run`], and, with a memo,
/// brought up to date in place by each run after: a run parses only the files
/// that changed, renders only the pages whose context changed and writes only
/// the files whose bytes changed, and leaves the folder as a full build of the
/// same files would make it. A run that fails changes nothing in the folder.
pub struct Pipeline {
    options: BuildOptions,
    /// Where the memo is kept between runs; `None` for a build that neither
    /// reuses nor keeps anything.
    disk: Option<DiskMemo>,
    /// The memo of the run under way, when it read the whole of it.
    memo: Option<BuildCache>,
}

/// The memo of `build --cache` and `serve`: a folder read at the start of a
/// run and written at its end, and what became of it in the last run.
struct DiskMemo {
    dir: PathBuf,
    /// Files under content/ a watcher reported changed since the last run that
    /// succeeded (relative to content/): read again whatever their stamps say.
    reported: HashSet<String>,
    /// Why it could not be used: the run started from nothing.
    not_used: Option<NotUsed>,
    /// Why the last model was made again rather than patched.
    not_patched: Option<NotPatched>,
    /// Why it could not be saved (the run is done all the same).
    not_saved: Option<std::io::Error>,
}

/// What the read, model and plan stages made.
#[allow(clippy::large_enum_variant)] // one a run
enum Made {
    /// The site read (reusing what the memo holds) and planned whole: every
    /// page is compared with what the folder holds.
    Read {
        loaded: LoadedSite,
        plan: PagePlan,
        /// The articles as last indexed, before reading replaced them: the
        /// search index is patched by their words.
        last_indexed: LastIndexed,
        warnings: Diagnostics,
    },
    /// The last model and plan patched with edits that keep the site's shape:
    /// only the pages whose `shows` include what changed are made.
    Patched(Box<Patched>),
}

/// What a run finds it has to do.
#[allow(clippy::large_enum_variant)] // one a run
enum ToDo {
    Make(Made),
    /// Nothing changed since the memo on disk was kept: the folder and the memo
    /// stay as they are.
    Nothing(BuildReport),
}

/// What the diff, render and write stages left in the folder.
struct Written {
    /// Every file, by its fingerprint.
    files: HashMap<String, Fingerprint>,
    written: usize,
    rendered: usize,
    copies: usize,
    /// The files written or removed, when the folder was changed in place.
    touched: Option<Vec<String>>,
    index: Option<IndexWritten>,
    /// The renderer, when the run made one (the memo keeps its cards' prints).
    renderer: Option<Renderer>,
}

impl Pipeline {
    /// A site built once, with nothing reused or kept.
    pub fn once(options: BuildOptions) -> Self {
        Pipeline {
            options,
            disk: None,
            memo: None,
        }
    }

    /// A site whose memo is kept in `dir` between runs (`build --cache`, `serve`).
    pub fn on_disk(options: BuildOptions, dir: &Path) -> Self {
        Pipeline {
            disk: Some(DiskMemo {
                dir: dir.to_path_buf(),
                reported: HashSet::default(),
                not_used: None,
                not_patched: None,
                not_saved: None,
            }),
            ..Self::once(options)
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Records the files under content/ (relative to it) a watcher saw change:
    /// the next runs read them again whatever their stamps say (a change may
    /// fall within one tick of the file system's clock), until one succeeds.
    pub fn report_changes<'a>(&mut self, rel_paths: impl IntoIterator<Item = &'a str>) {
        if let Some(disk) = &mut self.disk {
            disk.reported
                .extend(rel_paths.into_iter().map(str::to_string));
        }
    }

    /// Brings the output folder up to date with the site: pages, search index,
    /// copied files and stylesheet, moved in together; then keeps the memo.
    pub fn run(&mut self) -> Result<BuildReport, BuildError> {
        self.run_seeing(|_| {})
    }

    /// [`Pipeline::run`], telling `published` once the folder is up to date,
    /// before the memo is saved (serve reloads the open pages then), with the
    /// site when it was read whole (serve's editor takes its schema from it).
    fn run_seeing(
        &mut self,
        published: impl FnOnce(Option<&LoadedSite>),
    ) -> Result<BuildReport, BuildError> {
        // One moment for the whole run, as the options promise: the register's
        // statuses, the schedule's week and the day the memo keeps agree, even
        // for a run that crosses midnight.
        let unset = self.options.build_time.is_none();
        if unset {
            self.options.build_time = Some(jiff::Timestamp::now());
        }
        let result = self.run_once(published);
        if unset {
            self.options.build_time = None;
        }
        if let Some(memo) = self.memo.take() {
            drop_aside(memo);
        }
        if let (Some(disk), true) = (&mut self.disk, result.is_ok()) {
            disk.reported.clear();
        }
        result
    }

    /// [`Pipeline::run_seeing`], with what became of the memo on disk.
    pub fn run_cached(&mut self, published: impl FnOnce(Option<&LoadedSite>)) -> CachedBuild {
        let result = self.run_seeing(published);
        let disk = self.disk.as_mut();
        let (not_used, not_patched, not_saved) = disk.map_or((None, None, None), |disk| {
            let not_used = disk.not_used.take();
            // Nothing was patched from a memo that was not used.
            let not_patched = disk.not_patched.take().filter(|_| not_used.is_none());
            (not_used, not_patched, disk.not_saved.take())
        });
        CachedBuild {
            result,
            not_used,
            not_saved,
            not_patched,
        }
    }

    /// [`Pipeline::run_seeing`] at the options' moment.
    fn run_once(
        &mut self,
        published: impl FnOnce(Option<&LoadedSite>),
    ) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        let mut stages = Stages::new();
        if let Some(disk) = &mut self.disk {
            (disk.not_used, disk.not_patched, disk.not_saved) = (None, None, None);
        }
        let out = self.options.out_dir();
        check_output_dir(&self.options.root, &out).map_err(|d| BuildError::Site(vec![d].into()))?;
        // A run that fails here has changed nothing, the memo on disk
        // included: the next run patches the last good model with the fix.
        let mut made = match self.model(&mut stages)? {
            ToDo::Nothing(report) => {
                published(None);
                return Ok(report.with(stages, started));
            }
            ToDo::Make(made) => made,
        };
        let written = match self.write(&mut made, &out, &mut stages) {
            Ok(written) => written,
            Err(e) => {
                self.keep_failed(&e);
                drop_aside(made);
                return Err(e);
            }
        };
        // A patched model is the last one's shape, its articles but those
        // shown on the pages made again left blank: what was seen then stands.
        published(match &made {
            Made::Read { loaded, .. } => Some(loaded),
            Made::Patched(_) => None,
        });
        let (articles, pages, warnings) = match &mut made {
            Made::Read {
                loaded,
                plan,
                warnings,
                ..
            } => (loaded.site.articles.len(), plan.pages.len(), warnings),
            Made::Patched(patched) => {
                let model = &mut patched.model;
                let articles = model.loaded.site.articles.len();
                (articles, model.planned_pages, &mut model.warnings)
            }
        };
        let report = BuildReport {
            out,
            articles,
            pages,
            files_written: match self.disk.is_some() {
                true => written.written,
                false => pages,
            },
            pages_rendered: written.rendered,
            files_copied: written.copies,
            warnings: std::mem::take(warnings),
            elapsed: started.elapsed(),
            stages: Vec::new(),
        };
        self.keep(made, written, &mut stages);
        Ok(report.with(stages, started))
    }

    /// The read, model and plan stages: the last model patched with the edits
    /// since, when the memo on disk can tell them; else the site read, reusing
    /// what the memo holds.
    fn model(&mut self, stages: &mut Stages) -> Result<ToDo, BuildError> {
        let mut found = None;
        if let Some(disk) = &mut self.disk {
            // Both take a good part of a second at 100,000 articles, one mostly
            // in the kernel looking at files, the other decoding.
            let root = &self.options.root;
            let (head, walked) = rayon::join(
                || memo_file::load_head(&disk.dir, &self.options.cache_for()),
                || find_sources(root, &root.join("content"), true),
            );
            stages.done("load the cache, find the files");
            let loaded = match head {
                Err(why) => Err(why),
                Ok(head) => {
                    let (options, dir) = (&self.options, &disk.dir);
                    match edited::patch_last_model(
                        options,
                        dir,
                        head,
                        &walked,
                        &disk.reported,
                        stages,
                    ) {
                        Ok(to_do) => {
                            drop_aside(walked);
                            return Ok(to_do);
                        }
                        Err((head, why)) => {
                            disk.not_patched = Some(why);
                            memo_file::load_parts(&disk.dir, *head)
                        }
                    }
                }
            };
            let mut memo = loaded.unwrap_or_else(|why| {
                disk.not_used = Some(why);
                BuildCache::new()
            });
            memo.reread = disk.reported.clone();
            self.memo = Some(memo);
            stages.done("load the whole cache");
            found = Some(walked);
        }
        let last_indexed = match &self.memo {
            Some(memo) if memo.index.is_some() => LastIndexed::of(memo),
            _ => LastIndexed::default(),
        };
        let (loaded, plan, warnings) =
            read_site_reusing(&self.options, self.memo.as_mut(), found, stages)
                .map_err(BuildError::Site)?;
        if let Some(memo) = &mut self.memo {
            memo.drop_markdown();
        }
        if warnings.has_errors() {
            return Err(BuildError::Site(warnings));
        }
        Ok(ToDo::Make(Made::Read {
            loaded,
            plan,
            last_indexed,
            warnings,
        }))
    }

    /// The diff, render and write stages: the pages `made` says to make, the
    /// search index, the copied files, moved into the folder together.
    fn write(
        &self,
        made: &mut Made,
        out: &Path,
        stages: &mut Stages,
    ) -> Result<Written, BuildError> {
        if let Some(disk) = &self.disk {
            // Until it is saved again, the memo on disk describes nothing.
            memo_file::forget(&disk.dir).map_err(|source| OutputError::Io {
                path: disk.dir.join(memo_file::CACHE_FILE),
                source,
            })?;
        }
        let remember = self.disk.is_some();
        let nothing_known = HashMap::default();
        let mut made_renderer = None;
        let (loaded, plan, pages, renderer, mut output, index) = match made {
            Made::Read {
                loaded,
                plan,
                last_indexed,
                ..
            } => {
                let memo = self.memo.as_ref();
                let known = memo.map_or(&nothing_known, |memo| &memo.pages);
                let mut output = OutputWriter::whole(out, known)?;
                // The index before the cards, so that the two, the largest things
                // a build holds besides the model, are never held at once.
                let last = memo
                    .and_then(|memo| memo.index.as_ref())
                    .map(|last| (last, &*last_indexed));
                let index = write_index(&loaded.site, out, &mut output, last, remember)?;
                drop_aside(std::mem::take(last_indexed));
                stages.done("update the search index");
                let renderer = Renderer::new(&loaded.theme, &loaded.site)
                    .map_err(|e| BuildError::Site(e.into()))?;
                let renderer = &*made_renderer.insert(renderer);
                stages.done("compile the templates, make the cards");
                (&*loaded, &*plan, &plan.pages[..], renderer, output, index)
            }
            Made::Patched(patched) => {
                let Patched { head, model } = &mut **patched;
                let mut output = OutputWriter::some(out, std::mem::take(&mut head.pages))?;
                for old in model.moved_from() {
                    output.remove(&output_file(old));
                }
                let search = &mut model.search;
                let patch = std::mem::take(&mut search.patch);
                let index = write_index_patch(&mut output, &search.last_files, patch)?;
                stages.done("update the search index");
                let PatchedModel {
                    loaded,
                    plan,
                    pages,
                    renderer,
                    ..
                } = &*model;
                (loaded, plan, &pages[..], renderer, output, Some(index))
            }
        };
        let rendered =
            render_changed_pages(loaded, plan, pages, renderer, (&mut output, out), remember)?;
        stages.done("render changed pages");
        let copies = copy_changed_files(loaded, renderer, &mut output, remember)?;
        stages.done("copy changed files");
        let committed = output.commit()?;
        stages.done("move the changes in");
        Ok(Written {
            files: committed.files,
            written: committed.written,
            rendered,
            copies,
            touched: committed.touched,
            index,
            renderer: made_renderer,
        })
    }

    /// Keeps what the run learnt: in the memo in memory, and on disk when the
    /// memo is kept there.
    fn keep(&mut self, made: Made, written: Written, stages: &mut Stages) {
        let Written {
            files,
            touched,
            index,
            mut renderer,
            ..
        } = written;
        match made {
            Made::Read { loaded, plan, .. } => {
                if let (Some(disk), Some(memo)) = (&mut self.disk, &mut self.memo) {
                    memo.output_touched = touched;
                    memo.pages = files;
                    memo.index = index;
                    // The cards' values and the templates (some 300 MB at 100,000
                    // articles) are freed while the memo is saved, not held on
                    // top of it: the memo keeps the cards' prints alone.
                    let cards = renderer.take().map(|r| {
                        let prints = r.cards().prints().to_vec();
                        drop_aside(r);
                        prints
                    });
                    let cards = cards.as_deref().unwrap_or_default();
                    let content = self.options.root.join("content");
                    let dirs = (&*disk.dir, &*content);
                    let saved =
                        edited::save_model(&loaded, &plan, memo, cards, dirs).and_then(|model| {
                            memo_file::save(&disk.dir, &self.options.cache_for(), memo, model)
                        });
                    disk.not_saved = saved.err();
                    stages.done("save the cache");
                }
                // Freeing every card, page and article takes longer than the
                // reader should wait.
                drop_aside((renderer, loaded, plan));
            }
            Made::Patched(mut patched) => {
                patched.head.pages = files;
                patched.head.index = index;
                if let Some(disk) = &mut self.disk {
                    let touched = touched.unwrap_or_default();
                    let options = &self.options;
                    disk.not_saved =
                        edited::save_patched(options, &disk.dir, *patched, &touched).err();
                    stages.done("save the cache");
                }
            }
        }
    }

    /// Keeps what a run that failed writing learnt of the files (the folder is
    /// as it was, the memo on disk forgotten): on disk, unless the folder
    /// cannot be told.
    fn keep_failed(&mut self, e: &BuildError) {
        let (Some(disk), Some(memo)) = (&mut self.disk, &mut self.memo) else {
            return;
        };
        // With no folder yet (a first build failed) there is nothing to describe.
        let folder_known = !matches!(e, BuildError::Output(_)) && self.options.out_dir().is_dir();
        if folder_known {
            let saved = memo_file::save(&disk.dir, &self.options.cache_for(), memo, None);
            disk.not_saved = saved.err();
        }
    }
}

/// Renders `pages` (of `plan`) whose fingerprints differ from what the folder
/// `out` holds and writes those whose bytes differ through `output`, recording
/// each one's fingerprint when the memo is kept (`remember`); returns how many
/// were rendered.
fn render_changed_pages(
    loaded: &LoadedSite,
    plan: &PagePlan,
    pages: &[PlannedPage],
    renderer: &Renderer,
    (output, out): (&mut OutputWriter, &Path),
    remember: bool,
) -> Result<usize, BuildError> {
    let site = &loaded.site;
    let (pending, known) = (&output.pending, &*output.known);
    let made: Vec<Result<(String, Fingerprint, bool), Diagnostic>> = pages
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
                            // A context's fingerprint covers more than a page may
                            // show (every category's count, say): one that
                            // changed may leave the bytes as the folder holds them.
                            if let Some(print) = print
                                && known_print.is_some()
                                && holds(out, &file, &bytes)
                            {
                                return Ok(Some((file, print, false)));
                            }
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
    // Every page went through but those whose context's fingerprint was known.
    let mut rendered = pages.len();
    let mut problems = Vec::new();
    for result in made {
        match result {
            Ok((file, print, was_written)) => {
                output.written += usize::from(was_written);
                if !was_written && known.get(&file) == Some(&print) {
                    rendered -= 1;
                }
                output.files.insert(file, print);
            }
            Err(d) => problems.push(d),
        }
    }
    match problems.is_empty() {
        true => Ok(rendered),
        false => Err(BuildError::Site(problems.into())),
    }
}

/// Whether the file `rel` of the folder `out` holds `bytes`.
fn holds(out: &Path, rel: &str, bytes: &[u8]) -> bool {
    let path = out.join(rel);
    std::fs::metadata(&path).is_ok_and(|meta| meta.len() == bytes.len() as u64)
        && std::fs::read(&path).is_ok_and(|held| held == bytes)
}

/// Frees `value` on a thread of its own: freeing a large site's model, cards
/// and pages takes a good part of a second (at exit, the process does it at once).
pub(super) fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
