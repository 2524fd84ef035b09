//! `bantin build`: the whole pipeline, from the site folder to the output folder.

mod edited;

pub use edited::NotPatched;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::file::NotUsed;
use crate::cache::{BuildCache, IndexWritten, ParsedFile};
use crate::fingerprint::{FileStamp, Fingerprint, fingerprint};
use crate::config::{self, CONFIG_FILE, Config};
use crate::content::article::{SourceArticle, parse_article};
use crate::content::sources::{SourceFile, find_sources};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputError, Patch, PendingOutput, Staging};
use crate::render::{Cards, PAGE_CAPACITY, PagePrint, Renderer};
use crate::search::index::build_index;
use crate::search::patch::{DocText, IndexPatch, IndexState, patch_index};
use crate::site::model::{ArticleIndex, Body, Site, body_options, build_site};
use crate::site::plan::{PagePlan, output_file, plan_pages};
use crate::theme::{StaticContent, Theme, load_theme};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            base_url: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub articles: usize,
    pub pages: usize,
    /// Pages rendered and written (all of them, but in a rebuild), with the files
    /// of the search index when it was updated with them.
    pub pages_written: usize,
    pub files_copied: usize,
    /// Warnings: the build succeeded, but an editor should look.
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// How long each stage took, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    /// One line a stage: `   412.3 ms  render pages`.
    pub fn print_stages(&self) {
        for (stage, took) in &self.stages {
            println!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the site's files; nothing was published.
    #[error("the site has {} error(s)", .0.error_count())]
    Site(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Everything read from the site folder, before any page is made.
pub struct LoadedSite {
    pub config: Config,
    pub theme: Theme,
    pub site: Site,
    /// The model's and the plan's problems (among those returned with it): a
    /// rebuild that patches the model patches them.
    pub site_problems: Vec<Diagnostic>,
}

/// Reads and checks the whole site: config, theme, articles, links, URLs.
/// Returns the model and its warnings, or every problem found.
pub fn load_site(
    options: &BuildOptions,
) -> Result<(LoadedSite, PagePlan, Diagnostics), Diagnostics> {
    let (loaded, plan, problems) = read_site(options)?;
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((loaded, plan, problems))
}

/// Reads the whole site and everything wrong with it, errors included: the model
/// holds the articles that could be read, so `bantin check` can look further.
/// `Err` only when there is no config to go on.
pub fn read_site(
    options: &BuildOptions,
) -> Result<(LoadedSite, PagePlan, Diagnostics), Diagnostics> {
    read_site_reusing(options, None, &mut Stages::new())
}

/// [`read_site`], taking unchanged files and bodies from `cache` and updating it.
fn read_site_reusing(
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    stages: &mut Stages,
) -> Result<(LoadedSite, PagePlan, Diagnostics), Diagnostics> {
    let root = &options.root;
    let (config, mut problems) = read_settings(options)?;
    let theme = load_theme(root, &config.theme);
    let content = root.join("content");
    // With every change under content/ reported, the last list is brought up
    // to date instead of walking the folder, and only reported files are looked at.
    // (Kept until a rebuild succeeds: a failed one's changes still count next time.)
    let reported = cache.as_deref().and_then(|c| c.reported.clone());
    // Taken: it is replaced below by the list this read settles on.
    let known = cache.as_deref_mut().and_then(|c| c.sources.take());
    let updated = match (known, &reported) {
        (Some(mut known), Some(changed)) => {
            let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
            known.update(&content, &changed).then_some(known)
        }
        _ => None,
    };
    let (sources, trusted) = match updated {
        Some(sources) => (sources, reported.as_ref()),
        None => {
            let (sources, source_problems) = find_sources(root, &content, cache.is_some());
            problems.extend(source_problems);
            (sources, None)
        }
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.sources = Some(sources.clone());
        cache.only_looked_at = trusted.cloned();
    }
    stages.done("find the files");

    let parsed = match cache.as_deref_mut() {
        Some(cache) => {
            if cache.parsed_in_zone != config.timezone_name {
                // Dates are read into the site's zone: another zone, another reading.
                cache.parsed.clear();
                cache.parsed_in_zone = config.timezone_name.clone();
            }
            parse_articles_reusing(&sources.articles, &config, &mut cache.parsed, trusted)
        }
        None => read_articles(&sources.articles, &config),
    };
    let mut articles = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(article) => articles.push(article),
            Err(errs) => problems.extend(errs),
        }
    }
    // Made once, of the articles as read: reading a body's Markdown again (its
    // stamp unchanged) changes none of what links resolve to.
    let read = articles.clone();
    let links = ArticleIndex::new(&read, &config);
    if let Some(cache) = cache.as_deref_mut() {
        read_dropped_markdown(
            &mut articles,
            &sources.articles,
            &config,
            &links,
            cache,
            &mut problems,
        );
    }
    let theme = match theme {
        Ok(theme) => theme,
        Err(errs) => {
            problems.extend(errs);
            Theme::default()
        }
    };
    stages.done("read the articles");
    let (site, model_problems) = build_site(
        config.clone(),
        articles,
        sources.assets,
        options.drafts,
        cache.map(|c| &mut c.bodies),
        &links,
    );
    stages.done("make the model, render bodies");
    let (plan, plan_problems) = plan_pages(&site);
    let mut site_problems = model_problems;
    site_problems.extend(plan_problems);
    problems.extend(site_problems.iter().cloned());
    stages.done("plan the pages");
    Ok((
        LoadedSite {
            config,
            theme,
            site,
            site_problems,
        },
        plan,
        problems,
    ))
}

/// The config as `options` amend it, and its problems; `Err` only when there is
/// no config to go on.
fn read_settings(options: &BuildOptions) -> Result<(Config, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::new();
    let (mut config, config_problems) = config::read_config(&options.root).map_err(Diagnostics::from)?;
    problems.extend(config_problems);
    if let Some(url) = &options.base_url
        && let Err(e) = config.set_base_url(url)
    {
        problems.push(Diagnostic::error("--base-url", e));
    }
    if config.base_url.is_empty() {
        problems.push(
            Diagnostic::warning(CONFIG_FILE, "the site has no `base_url`: feeds, sitemaps and canonical links need the site's full address")
                .with_hint("add a line such as `base_url: \"https://quan2.example.gov.vn\"`"),
        );
    }
    Ok((config, problems))
}

/// Reads and parses every article file, in order.
fn read_articles(files: &[SourceFile], config: &Config) -> Vec<Parsed> {
    on_disk_readers(|| {
        files
            .par_iter()
            .map(|file| read_article(file, config))
            .collect()
    })
}

/// Runs `work`'s parallel iterators on [`DISK_READERS`] threads instead of one a core.
///
/// Files not in memory (a fresh checkout, or a machine that evicts pages not read
/// for a while) make a thread wait for the disk one read at a time: with more
/// threads than cores, many reads are in flight at once. At 100,000 articles not
/// in memory, reading them took 5.4 s on 2 threads and 2.0 s on 16.
fn on_disk_readers<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(DISK_READERS)
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Threads reading files: enough reads in flight to keep a disk busy.
const DISK_READERS: usize = 16;

fn read_article(file: &SourceFile, config: &Config) -> Parsed {
    match std::fs::read(&file.abs) {
        Ok(bytes) => parse_article(&file.rel, &bytes, &config.timezone).map(Arc::new),
        Err(e) => Err(vec![Diagnostic::error(
            crate::content::sources::display_path(&file.rel),
            format!("cannot read the file: {e}"),
        )]),
    }
}

/// Parses the article files whose stamps differ from `cache`'s (the others are
/// taken from it) and leaves in `cache` exactly the files of this build.
///
/// With `trusted` (the files a watcher reported changed), a file not in it is
/// taken from the cache without looking at its stamp.
fn parse_articles_reusing(
    files: &[SourceFile],
    config: &Config,
    cache: &mut HashMap<String, ParsedFile>,
    trusted: Option<&HashSet<String>>,
) -> Vec<Parsed> {
    enum Read {
        Known(Parsed),
        Fresh(ParsedFile),
        Unstamped(Parsed),
    }
    let read: Vec<Read> = files
        .par_iter()
        .map(|file| {
            if let (Some(changed), Some(known)) = (trusted, cache.get(&file.rel))
                && !changed.contains(&file.rel)
            {
                return Read::Known(known.parsed.clone());
            }
            let stamp = file.stamp.map_or_else(|| FileStamp::of(&file.abs), Ok);
            let Ok(stamp) = stamp else {
                return Read::Unstamped(read_article(file, config));
            };
            match cache.get(&file.rel) {
                Some(known) if known.stamp == stamp => Read::Known(known.parsed.clone()),
                _ => Read::Fresh(ParsedFile {
                    stamp,
                    parsed: read_article(file, config),
                }),
            }
        })
        .collect();
    let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    cache.retain(|rel, _| present.contains(rel.as_str()));
    files
        .iter()
        .zip(read)
        .map(|(file, read)| match read {
            Read::Known(parsed) => parsed,
            Read::Fresh(entry) => {
                let parsed = entry.parsed.clone();
                cache.insert(file.rel.clone(), entry);
                parsed
            }
            Read::Unstamped(parsed) => {
                cache.remove(&file.rel);
                parsed
            }
        })
        .collect()
}

/// Reads again the articles whose Markdown the cache did not keep and whose
/// bodies are to be rendered again (a link of theirs now leads elsewhere, the
/// options changed): all others take their rendered bodies from the cache.
fn read_dropped_markdown(
    articles: &mut Vec<Arc<SourceArticle>>,
    files: &[SourceFile],
    config: &Config,
    links: &ArticleIndex,
    cache: &mut BuildCache,
    problems: &mut Diagnostics,
) {
    if !articles.iter().any(|a| a.markdown_dropped) {
        // Nothing came from a cache on disk (`serve` keeps everything it read).
        return;
    }
    let options = body_options(config);
    let stale: Vec<usize> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.markdown_dropped && cache.bodies.is_stale(a, links, options))
        .map(|(i, _)| i)
        .collect();
    if stale.is_empty() {
        return;
    }
    let by_rel: HashMap<&str, &SourceFile> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let mut unreadable = HashSet::default();
    for i in stale {
        let rel = articles[i].source.clone();
        let Some(file) = by_rel.get(rel.as_str()) else {
            continue;
        };
        match read_article(file, config) {
            Ok(article) => {
                if let Some(entry) = cache.parsed.get_mut(&rel) {
                    entry.parsed = Ok(Arc::clone(&article));
                }
                articles[i] = article;
            }
            Err(errs) => {
                problems.extend(errs);
                cache.parsed.remove(&rel);
                unreadable.insert(rel);
            }
        }
    }
    articles.retain(|a| !unreadable.contains(&a.source));
}

/// An article file read: the article, or everything wrong with it.
type Parsed = Result<Arc<SourceArticle>, Vec<Diagnostic>>;

/// Builds the site into the output folder, atomically: on any error the previous
/// output is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut stages = Stages::new();
    let out = options.out_dir();
    check_output_dir(&options.root, &out).map_err(|d| BuildError::Site(vec![d].into()))?;
    let (loaded, plan, warnings) =
        read_site_reusing(options, None, &mut stages).map_err(BuildError::Site)?;
    if warnings.has_errors() {
        return Err(BuildError::Site(warnings));
    }
    let staging = Staging::create(&out)?;
    // The index first, and freed before the cards are made: the two are the
    // largest things a build holds besides the model, and need not be held at once.
    if loaded.site.config.search {
        let index_files = build_index(&loaded.site).files;
        let index_errors: Vec<OutputError> = index_files
            .par_iter()
            .filter_map(|(path, bytes)| staging.write(path, bytes).err())
            .collect();
        if let Some(e) = index_errors.into_iter().next() {
            return Err(e.into());
        }
    }
    stages.done("build and write the search index");
    let renderer =
        Renderer::new(&loaded.theme, &loaded.site).map_err(|e| BuildError::Site(e.into()))?;
    stages.done("compile the templates, make the cards");
    let render_problems = render_pages(&loaded, &plan, &renderer, &staging);
    if !render_problems.is_empty() {
        return Err(BuildError::Site(render_problems.into()));
    }
    stages.done("render pages");
    let stylesheet = renderer.stylesheet();
    let mut copies = copy_files(&loaded, &staging);
    copies.extend(staging.write(&stylesheet.file, &stylesheet.bytes).err());
    if let Some(e) = copies.into_iter().next() {
        return Err(e.into());
    }
    stages.done("copy files");
    staging.commit()?;
    stages.done("swap in the new output");
    let report = BuildReport {
        out,
        articles: loaded.site.articles.len(),
        pages: plan.pages.len(),
        pages_written: plan.pages.len(),
        files_copied: loaded.site.assets.len() + loaded.theme.static_files.len() + 1,
        warnings,
        elapsed: started.elapsed(),
        stages: stages.list,
    };
    drop_aside((loaded, plan, renderer));
    Ok(report)
}

/// How a build with a cache went.
pub struct CachedBuild {
    pub result: Result<BuildReport, BuildError>,
    /// Why the cache could not be used, if it could not: then the build started
    /// from nothing (and made a cache for the next).
    pub not_used: Option<NotUsed>,
    /// Why the cache could not be saved, if it could not (the build is done).
    pub not_saved: Option<std::io::Error>,
    /// Why the last build's model was made again rather than patched with
    /// edited bodies, if the cache was used.
    pub not_patched: Option<edited::NotPatched>,
}

/// [`build`], reusing what the last build with the same `cache_dir` learnt (see
/// [`crate::cache::file`]): only changed articles are parsed, only pages whose
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
    let (loaded, not_patched) = match crate::cache::file::load_head(cache_dir, options) {
        Err(why) => (Err(why), None),
        Ok(head) => match edited::rebuild(options, cache_dir, head, loading.elapsed()) {
            Ok(done) => return done,
            Err((head, why)) => (crate::cache::file::load_parts(cache_dir, *head), Some(why)),
        },
    };
    let (cache, not_used) = match loaded {
        Ok(cache) => (cache, None),
        Err(why) => (BuildCache::new(), Some(why)),
    };
    // A cache not used at all says why itself.
    let not_patched = not_patched.filter(|_| not_used.is_none());
    let loaded_in = loading.elapsed();
    if let Err(source) = crate::cache::file::forget(cache_dir) {
        let path = cache_dir.join(crate::cache::file::CACHE_FILE);
        return CachedBuild {
            result: Err(OutputError::Io { path, source }.into()),
            not_used,
            not_saved: None,
            not_patched: None,
        };
    }
    let mut site = Incremental::resume(options.clone(), cache).with_index();
    let (mut result, model) = match site.update_pages() {
        Ok((report, model)) => {
            let planned = report.pages;
            (Ok(report), Some((model, planned)))
        }
        Err(e) => (Err(e), None),
    };
    let cards = site.cards.prints().to_vec();
    // After a failed build the folder is as the cache says, unless writing it
    // failed; with no folder yet (a first build failed) there is nothing to describe.
    let folder_known = !matches!(result, Err(BuildError::Output(_))) && options.out_dir().is_dir();
    let saving = Instant::now();
    let mut cache = site.into_cache();
    let last_model = model
        .as_ref()
        .and_then(|(loaded, planned)| edited::model_to_save(loaded, &cache, &cards, *planned));
    let not_saved = folder_known
        .then(|| crate::cache::file::save(cache_dir, options, &mut cache, last_model).err())
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

/// A site kept built in its output folder and brought up to date in place: a
/// rebuild parses only the files that changed, renders only the pages whose
/// context changed and writes only the files whose bytes changed, and leaves the
/// folder as a full build of the same files would make it. A rebuild that fails
/// changes nothing in the folder.
pub struct Incremental {
    options: BuildOptions,
    cache: BuildCache,
    /// The cards of the last rebuild, to take unchanged ones from.
    cards: Cards,
    /// Whether [`Incremental::update_pages`] brings the search index up to date
    /// too, published with the pages (else an [`IndexUpdater`] does, after them).
    index_with_pages: bool,
}

impl Incremental {
    /// A site to be built in full first; the search index is left to an [`IndexUpdater`].
    pub fn new(options: BuildOptions) -> Self {
        Self::resume(options, BuildCache::new())
    }

    /// A site whose last build `cache` describes (its output folder still as that
    /// build left it); the search index is left to an [`IndexUpdater`].
    pub fn resume(options: BuildOptions, cache: BuildCache) -> Self {
        Incremental {
            options,
            cache,
            cards: Cards::none(),
            index_with_pages: false,
        }
    }

    /// Makes each update publish the search index with the pages, in one step.
    pub fn with_index(mut self) -> Self {
        self.index_with_pages = true;
        self
    }

    /// What this build knows, taken to be saved for the next (see [`crate::cache::file`]).
    pub fn into_cache(self) -> BuildCache {
        self.cache
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Records the files under content/ (relative to it) a watcher saw change
    /// since the last rebuild (see [`BuildCache::report_changes`]). Without a
    /// report, a rebuild looks at every file's stamp.
    pub fn report_changes<'a>(&mut self, rel_paths: impl IntoIterator<Item = &'a str>) {
        self.cache.report_changes(rel_paths);
    }

    /// Makes the next rebuild look at every file's stamp: the watcher lost track.
    pub fn look_at_every_file(&mut self) {
        self.cache.reported = None;
    }

    /// Brings the pages, copied files and stylesheet up to date. The search index,
    /// which needs only the model, is brought up to date by an [`IndexUpdater`]
    /// with the model returned here, so that the pages can be shown first.
    pub fn update_pages(&mut self) -> Result<(BuildReport, LoadedSite), BuildError> {
        let started = Instant::now();
        let mut stages = Stages::new();
        let out = self.options.out_dir();
        check_output_dir(&self.options.root, &out).map_err(|d| BuildError::Site(vec![d].into()))?;
        // The articles as last indexed, before reading replaces them: the
        // search index is patched by their words.
        let last_indexed = match self.index_with_pages && self.cache.index.is_some() {
            true => LastIndexed::of(&self.cache),
            false => LastIndexed::default(),
        };
        let (loaded, plan, warnings) =
            read_site_reusing(&self.options, Some(&mut self.cache), &mut stages)
                .map_err(BuildError::Site)?;
        if warnings.has_errors() {
            return Err(BuildError::Site(warnings));
        }
        let known = &self.cache.pages;
        let pending = PendingOutput::for_output(&out, !known.is_empty())?;
        let mut index_files = HashMap::default();
        let mut index_written = None;
        let mut written = 0;
        if self.index_with_pages {
            // Before the cards are made, so that the two are never held at once.
            let last = self.cache.index.as_ref();
            let (count, index) = write_changed_index(
                &loaded.site,
                &out,
                &pending,
                known,
                last.map(|last| (last, &last_indexed)),
                &mut index_files,
            )?;
            written += count;
            index_written = Some(index);
            stages.done("update the search index");
        }
        let renderer = Renderer::new_after(&loaded.theme, &loaded.site, &self.cards)
            .map_err(|e| BuildError::Site(e.into()))?;
        stages.done("compile the templates, make the cards");
        let rendered: Vec<Result<(String, Fingerprint, bool), Diagnostic>> = plan
            .pages
            .par_iter()
            .map(|page| {
                let file = output_file(&page.path);
                let known_print = known.get(&file);
                let (print, bytes) = if known.is_empty() {
                    // A first build: nothing to compare, render and fingerprint at once.
                    let (bytes, print) = renderer.render_printed(&loaded.site, &plan, page)?;
                    (print, bytes)
                } else {
                    match renderer.fingerprint(&loaded.site, &plan, page) {
                        PagePrint::Made(bytes) => (fingerprint(&bytes), bytes),
                        PagePrint::Context(Some(print)) if known_print == Some(&print) => {
                            return Ok((file, print, false));
                        }
                        PagePrint::Context(print) => {
                            let bytes = renderer.render(&loaded.site, &plan, page)?;
                            // Without a fingerprint of its context, a page is known by its bytes.
                            (print.unwrap_or_else(|| fingerprint(&bytes)), bytes)
                        }
                    }
                };
                let changed = known_print != Some(&print);
                if changed {
                    pending.write(&file, &bytes).map_err(output_diagnostic)?;
                }
                Ok((file, print, changed))
            })
            .collect();
        let mut pages = index_files;
        pages.reserve(rendered.len());
        let mut problems = Vec::new();
        for result in rendered {
            match result {
                Ok((file, print, was_written)) => {
                    written += usize::from(was_written);
                    pages.insert(file, print);
                }
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(BuildError::Site(problems.into()));
        }
        stages.done("render changed pages");
        let only_changed = self.cache.only_looked_at.as_ref();
        let copies = copy_changed_files(
            &loaded,
            &renderer,
            &pending,
            known,
            only_changed,
            &mut pages,
        )?;
        stages.done("copy changed files");
        let gone: Vec<String> = known
            .keys()
            .filter(|file| !pages.contains_key(*file))
            .cloned()
            .collect();
        // What a description of the folder must look at again: the files written
        // (their fingerprints changed) and removed; all of them if it is new.
        let touched = matches!(pending, PendingOutput::Changes(_)).then(|| {
            let written = pages
                .iter()
                .filter(|(file, print)| known.get(*file) != Some(print));
            written
                .map(|(file, _)| file.clone())
                .chain(gone.iter().cloned())
                .collect()
        });
        pending.commit(&gone)?;
        self.cache.output_touched = touched;
        self.cache.pages = pages;
        self.cache.index = index_written;
        self.cache.reported = None;
        stages.done("move the changes in");
        let pages_planned = plan.pages.len();
        let earlier = std::mem::replace(&mut self.cards, renderer.cards().clone());
        // Freeing every card and page takes longer than the reader should wait.
        drop_aside((renderer, plan, earlier));
        Ok((
            BuildReport {
                out,
                articles: loaded.site.articles.len(),
                pages: pages_planned,
                pages_written: written,
                files_copied: copies,
                warnings,
                elapsed: started.elapsed(),
                stages: stages.list,
            },
            loaded,
        ))
    }
}

/// The search index kept up to date in an output folder, apart from the pages
/// (a live preview shows the pages first and updates the index after).
pub struct IndexUpdater {
    out: PathBuf,
    /// The index's files as last written.
    written: HashMap<String, Fingerprint>,
}

impl IndexUpdater {
    pub fn new(options: &BuildOptions) -> Self {
        IndexUpdater {
            out: options.out_dir(),
            written: HashMap::default(),
        }
    }

    /// The index of `site` (the model [`Incremental::update_pages`] returns): every
    /// file, by its path in the output.
    pub fn index_of(site: &Site) -> Vec<(String, Vec<u8>)> {
        match site.config.search {
            true => build_index(site).files,
            false => Vec::new(),
        }
    }

    /// Writes the files of `index` that differ from the folder's and removes those
    /// it no longer has; returns how many were written.
    pub fn write(&mut self, index: &[(String, Vec<u8>)]) -> Result<usize, OutputError> {
        let patch = Patch::create(&self.out, "index")?;
        let mut now = HashMap::with_capacity_and_hasher(index.len(), Default::default());
        let written = write_changed(index, |p, b| patch.write(p, b), &self.written, &mut now)?;
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|file| !now.contains_key(*file))
            .cloned()
            .collect();
        patch.commit(&gone)?;
        self.written = now;
        Ok(written)
    }

    /// Brings the index up to date with `site`; returns how many files were written.
    pub fn update(&mut self, site: &Site) -> Result<usize, OutputError> {
        self.write(&Self::index_of(site))
    }
}

/// Writes the files of the search index of `site` whose bytes differ from
/// `known` (what the folder holds), recording each in `files`; returns how many
/// were written and the index as now written. An index made from the same input
/// as `last` is not made again; one that differs in a few articles is patched,
/// if it can be, with their texts as `last` indexed them.
fn write_changed_index(
    site: &Site,
    out: &Path,
    pending: &PendingOutput,
    known: &HashMap<String, Fingerprint>,
    last: Option<(&IndexWritten, &LastIndexed)>,
    files: &mut HashMap<String, Fingerprint>,
) -> Result<(usize, IndexWritten), OutputError> {
    let now = IndexState::of(site, Default::default());
    let input = now.input();
    let last = last.filter(|(last, _)| last.files.iter().all(|file| known.contains_key(file)));
    if let Some((last, _)) = last.filter(|(last, _)| last.input == input) {
        for file in &last.files {
            files.insert(file.clone(), known[file]);
        }
        return Ok((0, last.clone()));
    }
    let patched = last.and_then(|(last, texts)| {
        let read = |path: &str| std::fs::read(out.join(path)).ok();
        let patch = patch_index(site, now, &last.state, |file| texts.text(file), read)?;
        Some((last, patch))
    });
    if let Some((last, patch)) = patched {
        let written = write_changed(&patch.files, |p, b| pending.write(p, b), known, files)?;
        let now_files = index_files_after(&last.files, &patch);
        for file in &now_files {
            if let Some(print) = known.get(file) {
                files.entry(file.clone()).or_insert(*print);
            }
        }
        let now = IndexWritten {
            input,
            files: now_files,
            state: patch.state,
        };
        return Ok((written, now));
    }
    let (index, state) = match site.config.search {
        true => {
            let index = build_index(site);
            (index.files, index.state)
        }
        false => (Vec::new(), IndexState::of(site, Default::default())),
    };
    let written = write_changed(&index, |p, b| pending.write(p, b), known, files)?;
    let now = IndexWritten {
        input,
        files: index.into_iter().map(|(path, _)| path).collect(),
        state,
    };
    Ok((written, now))
}

/// The files of an index that were `before` and that `patch` changed: those it
/// did not remove, then those it added.
fn index_files_after(before: &[String], patch: &IndexPatch) -> Vec<String> {
    let gone: HashSet<&str> = patch.gone.iter().map(String::as_str).collect();
    let mut files: Vec<String> = before
        .iter()
        .filter(|file| !gone.contains(file.as_str()))
        .cloned()
        .collect();
    let kept: HashSet<String> = files.iter().cloned().collect();
    files.extend(
        patch
            .files
            .iter()
            .map(|(path, _)| path.clone())
            .filter(|path| !kept.contains(path)),
    );
    files
}

/// The articles as the last build indexed them: by file, the article and the
/// body it was made from.
#[derive(Default)]
struct LastIndexed(HashMap<String, (Arc<SourceArticle>, Arc<Body>)>);

impl LastIndexed {
    fn of(cache: &BuildCache) -> Self {
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
    fn text(&self, file: &str) -> Option<DocText<'_>> {
        let (article, body) = self.0.get(file)?;
        Some(DocText {
            title: &article.front.title,
            summary: article
                .front
                .summary
                .as_deref()
                .unwrap_or(&body.first_paragraph),
            body_html: &body.html,
            body_print: body.print,
        })
    }
}

/// Writes with `write` the files whose bytes differ from `known` (what the
/// folder holds), recording each one's fingerprint in `files`; returns how many
/// were written.
fn write_changed(
    new_files: &[(String, Vec<u8>)],
    write: impl Fn(&str, &[u8]) -> Result<(), OutputError> + Sync,
    known: &HashMap<String, Fingerprint>,
    files: &mut HashMap<String, Fingerprint>,
) -> Result<usize, OutputError> {
    let results: Vec<Result<(Fingerprint, bool), OutputError>> = new_files
        .par_iter()
        .map(|(path, bytes)| {
            let print = fingerprint(bytes);
            let changed = known.get(path) != Some(&print);
            if changed {
                write(path, bytes)?;
            }
            Ok((print, changed))
        })
        .collect();
    let mut written = 0;
    for ((path, _), result) in new_files.iter().zip(results) {
        let (print, changed) = result?;
        written += usize::from(changed);
        files.insert(path.clone(), print);
    }
    Ok(written)
}

/// Copies the assets and theme files and writes the stylesheet where they differ
/// from `known` (what the folder holds), recording each in `files`; returns how
/// many were written.
fn copy_changed_files(
    loaded: &LoadedSite,
    renderer: &Renderer,
    patch: &PendingOutput,
    known: &HashMap<String, Fingerprint>,
    only_changed: Option<&HashSet<String>>,
    files: &mut HashMap<String, Fingerprint>,
) -> Result<usize, OutputError> {
    // A copied file is known by its source's path and stamp, not read again.
    let stamp_print = |from: &Path| {
        let stamp = FileStamp::of(from).ok();
        fingerprint(format!("{}\0{stamp:?}", from.display()).as_bytes())
    };
    let mut work: Vec<(&str, Fingerprint, Source)> = Vec::new();
    for asset in &loaded.site.assets {
        // With every change reported, an asset not among them is as it was.
        let unchanged = only_changed
            .filter(|changed| !changed.contains(&asset.rel))
            .and_then(|_| known.get(&asset.rel).copied());
        let print = unchanged.unwrap_or_else(|| stamp_print(&asset.abs));
        work.push((&asset.rel, print, Source::Disk(&asset.abs)));
    }
    for file in &loaded.theme.static_files {
        match &file.content {
            StaticContent::Disk(path) => {
                work.push((&file.rel, stamp_print(path), Source::Disk(path)))
            }
            StaticContent::Embedded(bytes) => {
                work.push((&file.rel, fingerprint(bytes), Source::Bytes(bytes)))
            }
        }
    }
    let stylesheet = renderer.stylesheet();
    work.push((
        &stylesheet.file,
        fingerprint(&stylesheet.bytes),
        Source::Bytes(&stylesheet.bytes),
    ));
    let results: Vec<Result<bool, OutputError>> = work
        .par_iter()
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
        .collect();
    let mut written = 0;
    for ((rel, print, _), result) in work.iter().zip(results) {
        written += usize::from(result?);
        files.insert(rel.to_string(), *print);
    }
    Ok(written)
}

/// Where a copied file's bytes come from.
enum Source<'a> {
    Disk(&'a Path),
    Bytes(&'a [u8]),
}

/// Renders every page of the plan into the staging folder; returns the problems.
fn render_pages(
    loaded: &LoadedSite,
    plan: &PagePlan,
    renderer: &Renderer,
    staging: &Staging,
) -> Vec<Diagnostic> {
    plan.pages
        .par_iter()
        .map_init(
            || Vec::with_capacity(PAGE_CAPACITY),
            |page_bytes, page| {
                if let Err(d) = renderer.render_into(&loaded.site, plan, page, page_bytes) {
                    return Some(Err(d));
                }
                staging
                    .write(&output_file(&page.path), page_bytes)
                    .err()
                    .map(Ok)
            },
        )
        .flatten()
        .collect::<Result<Vec<OutputError>, Diagnostic>>()
        .map_or_else(
            |d| vec![d],
            |io_errors| io_errors.into_iter().map(output_diagnostic).collect(),
        )
}

/// Frees `value` on a thread of its own: freeing a large site's model, cards
/// and pages takes a good part of a second (at exit, the process does it at once).
fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Durations of the stages of a build, each measured from the end of the last.
struct Stages {
    last: Instant,
    list: Vec<(&'static str, Duration)>,
}

impl Stages {
    fn new() -> Self {
        Stages {
            last: Instant::now(),
            list: Vec::new(),
        }
    }

    fn done(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.list.push((stage, now - self.last));
        self.last = now;
    }
}

fn output_diagnostic(e: OutputError) -> Diagnostic {
    Diagnostic::error("public", e.to_string())
}

/// Copies the content's assets and the theme's static files; returns the failures.
fn copy_files(loaded: &LoadedSite, staging: &Staging) -> Vec<OutputError> {
    // Each copy or link first reads its source's inode, seldom in memory.
    on_disk_readers(|| copy_all(loaded, staging))
}

fn copy_all(loaded: &LoadedSite, staging: &Staging) -> Vec<OutputError> {
    let assets = loaded
        .site
        .assets
        .par_iter()
        .filter_map(|a| staging.copy(&a.rel, &a.abs).err());
    let statics = loaded
        .theme
        .static_files
        .par_iter()
        .filter_map(|f| match &f.content {
            StaticContent::Disk(path) => staging.copy(&f.rel, path).err(),
            StaticContent::Embedded(bytes) => staging.write(&f.rel, bytes).err(),
        });
    assets.chain(statics).collect()
}

/// The output folder is replaced whole by each build, so it must not be the site
/// itself, hold it, or lie in its content.
fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_abs = absolute(out);
    let refuse = |why: &str| {
        Diagnostic::error(
            "--out",
            format!("refusing to build into {}: {why}", out.display()),
        )
        .with_hint("choose an output folder of its own, such as the default <site>/public")
    };
    if out_abs.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if root.starts_with(&out_abs) {
        return Err(refuse(
            "it holds the site itself, which the build would replace",
        ));
    }
    if out_abs.starts_with(root.join("content")) {
        return Err(refuse("it lies inside content/"));
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return Err(refuse("it is a file, not a folder"));
    }
    if !crate::output::may_replace(&out_abs) {
        return Err(refuse(
            "it holds files that bantin did not make, which the build would delete",
        )
        .with_hint(format!(
            "choose an empty or new folder; if it is the output of an older bantin, delete it once (bantin marks its own output folders with a file {})",
            crate::output::OUTPUT_MARK
        )));
    }
    Ok(())
}

/// Refuses a cache folder the build would read as content or replace as output.
fn check_cache_dir(root: &Path, out: &Path, cache_dir: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dir = absolute(cache_dir);
    let refuse = |why: &str| {
        Diagnostic::error(
            "--cache",
            format!(
                "refusing to keep the cache in {}: {why}",
                cache_dir.display()
            ),
        )
        .with_hint("choose a folder of its own, such as .bantin-cache beside site.yaml")
    };
    if dir.starts_with(root.join("content")) {
        return Err(refuse("it lies inside content/, whose files are published"));
    }
    if dir.starts_with(absolute(out)) {
        return Err(refuse(
            "it lies inside the output folder, which a build replaces",
        ));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(refuse("it is a file, not a folder"));
    }
    Ok(())
}

/// `path` made absolute and free of `.`/`..`, even if it does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    match clean.canonicalize() {
        Ok(real) => real,
        Err(_) => clean,
    }
}
