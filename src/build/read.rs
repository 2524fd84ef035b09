//! The first stages: the site folder read (settings, theme, article files), the
//! model made and the pages planned, reusing what the memo holds.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::report::{BuildOptions, Stages};
use crate::config::{self, CONFIG_FILE, Config};
use crate::content::active_files::{check_file, may_run_scripts};
use crate::content::article::{SourceArticle, parse_article};
use crate::content::attachments::{AttachmentNote, AttachmentText, TextKind};
use crate::content::document::{SourceDocument, parse_document};
use crate::content::markdown::SiteLinks;
use crate::content::sources::{SourceFile, SourceFiles, display_path, find_sources};
use crate::content::week::{SourceWeek, parse_week};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::FileStamp;
use crate::memo::attachments::AttachmentTexts;
use crate::memo::{BuildCache, ParsedFile};
use crate::site::documents::{Register, RegisterInputs, build_register};
use crate::site::missing::{NamesLike, Published, Shown, missing_targets};
use crate::site::model::{Article, ArticleIndex, NoBodiesKnown, Site, body_options, build_site};
use crate::site::plan::{PUBLISHED_URLS, PagePlan, plan_pages, vanished_urls};
use crate::site::schedule::{Schedule, build_schedule};
use crate::theme::{Theme, load_theme};

/// Everything read from the site folder, before any page is made.
pub struct LoadedSite {
    pub config: Config,
    pub theme: Theme,
    pub site: Site,
    /// The model's and the plan's problems (among those returned with it): a
    /// rebuild that patches the model patches them.
    pub site_problems: Vec<Diagnostic>,
    /// The bytes of the copied files that were read for scripts (SVG, HTML,
    /// XML), by path: published as they were checked, never linked to a
    /// source that a save in place could change after the check.
    pub checked_copies: HashMap<String, Vec<u8>>,
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
    read_site_reusing(options, None, None, &mut Stages::new())
}

/// [`read_site`], taking unchanged files and bodies from `cache` and updating
/// it, and the files under content/ from `found` when this run found them.
pub(super) fn read_site_reusing(
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    found: Option<(SourceFiles, Vec<Diagnostic>)>,
    stages: &mut Stages,
) -> Result<(LoadedSite, PagePlan, Diagnostics), Diagnostics> {
    let root = &options.root;
    let (config, mut problems) = read_settings(options)?;
    let theme = load_theme(root, &config.theme);
    let content = root.join("content");
    let (sources, source_problems) =
        found.unwrap_or_else(|| find_sources(root, &content, cache.is_some()));
    problems.extend(source_problems);
    // Files copied as they are: any script in them would run at the portal's address.
    let checked: Vec<(&String, Vec<Diagnostic>, Vec<u8>)> = on_disk_readers(|| {
        let scripted = sources
            .assets
            .par_iter()
            .filter(|f| may_run_scripts(&f.rel));
        scripted
            .map(|file| match std::fs::read(&file.abs) {
                Ok(bytes) => (&file.rel, check_file(&file.rel, &bytes), bytes),
                Err(e) => {
                    let unread = Diagnostic::error(display_path(&file.rel), e.to_string());
                    (&file.rel, vec![unread], Vec::new())
                }
            })
            .collect()
    });
    let mut checked_copies = HashMap::default();
    for (rel, found, bytes) in checked {
        problems.extend(found);
        checked_copies.insert(rel.clone(), bytes);
    }
    if let Some(cache) = cache.as_deref_mut() {
        cache.sources = Some(sources.clone());
    }
    stages.done("find the files");

    let parsed = match cache.as_deref_mut() {
        Some(cache) => {
            if cache.parsed_in_zone != config.timezone_name {
                // Dates are read into the site's zone: another zone, another reading.
                cache.parsed.clear();
                cache.parsed_in_zone = config.timezone_name.clone();
            }
            let reread = &cache.reread;
            parse_articles_reusing(&sources.articles, &config, &mut cache.parsed, reread)
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
    let documents = read_documents(&sources.documents, &config, &mut problems);
    let mut links = ArticleIndex::new(&read, &config);
    links.add_documents(&documents);
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
    let (mut register, register_problems) =
        make_register(options, &config, documents.clone(), &sources.assets, &links);
    let (mut site, mut model_problems) = match cache.as_deref_mut() {
        Some(memo) => build_site(
            config.clone(),
            articles,
            sources.assets,
            options.drafts,
            &mut memo.bodies,
            &links,
        ),
        None => build_site(
            config.clone(),
            articles,
            sources.assets,
            options.drafts,
            &mut NoBodiesKnown,
            &links,
        ),
    };
    let mut no_memo = AttachmentTexts::default();
    let texts = match cache {
        Some(memo) => &mut memo.attachment_texts,
        None => &mut no_memo,
    };
    read_attachment_texts(&mut register, &content, texts, &mut model_problems);
    let copied = CopiedFiles::new(&site.assets, &theme);
    let pictures = (site.articles.par_iter())
        .flat_map_iter(|article| missing_pictures(article, &config, &copied))
        .collect::<Vec<Diagnostic>>();
    model_problems.extend(pictures);
    site.documents = register;
    model_problems.extend(register_problems);
    stages.done("make the model, render bodies");
    let mut site = site;
    let (schedule, schedule_problems) = read_schedule(&sources.weeks, &config, options);
    site.schedule = schedule;
    problems.extend(schedule_problems);
    stages.done("read the work schedule");
    let (plan, plan_problems) = plan_pages(&site);
    let mut site_problems = model_problems;
    site_problems.extend(plan_problems);
    problems.extend(site_problems.iter().cloned());
    // The addresses the last build into the same folder published (after
    // errors, a file that cannot be read is not one that is gone).
    let last_published = std::fs::read(options.out_dir().join(PUBLISHED_URLS));
    if let (Ok(last), false) = (last_published, problems.has_errors()) {
        problems.extend(vanished_urls(&String::from_utf8_lossy(&last), &site, &plan));
    }
    stages.done("plan the pages");
    Ok((
        LoadedSite {
            config,
            theme,
            site,
            site_problems,
            checked_copies,
        },
        plan,
        problems,
    ))
}

/// The config as `options` amend it, and its problems; `Err` only when there is
/// no config to go on.
pub(super) fn read_settings(options: &BuildOptions) -> Result<(Config, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::new();
    let (mut config, config_problems) =
        config::read_config(&options.root).map_err(Diagnostics::from)?;
    problems.extend(config_problems);
    if let Some(url) = &options.base_url
        && let Err(e) = config.set_base_url(url)
    {
        problems.push(Diagnostic::error("--base-url", e));
    }
    // A `base_url` that was refused, or a site.yaml that could not be read
    // whole, is told already: "no `base_url`" would only mislead.
    if config.base_url.is_empty() && !problems.has_errors() {
        problems.push(
            Diagnostic::warning(CONFIG_FILE, "the site has no `base_url`: feeds, sitemaps and canonical links need the site's full address")
                .with_hint("add a line such as `base_url: \"https://quan2.example.gov.vn\"`"),
        );
    }
    Ok((config, problems))
}

/// Reads every week of the work schedule (few, small files: read each time)
/// and makes the schedule as of the build's date.
pub(super) fn read_schedule(
    files: &[SourceFile],
    config: &Config,
    options: &BuildOptions,
) -> (Schedule, Vec<Diagnostic>) {
    let read: Vec<Result<SourceWeek, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|file| match std::fs::read(&file.abs) {
            Ok(bytes) => parse_week(&file.rel, &bytes, &config.timezone),
            Err(e) => Err(vec![Diagnostic::error(
                crate::content::sources::display_path(&file.rel),
                format!("cannot read the file: {e}"),
            )]),
        })
        .collect();
    let mut problems = Vec::new();
    let mut weeks = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(mut week) => {
                problems.append(&mut week.warnings);
                weeks.push(week);
            }
            Err(errs) => problems.extend(errs),
        }
    }
    let built_at = options.moment();
    let today = built_at.to_zoned(config.timezone.clone()).date();
    let (schedule, schedule_problems) = build_schedule(weeks, today, built_at);
    problems.extend(schedule_problems);
    (schedule, problems)
}

/// The register of `documents` as of the build's day, its attachments'
/// sizes as the disk says.
pub(super) fn make_register(
    options: &BuildOptions,
    config: &Config,
    documents: Vec<SourceDocument>,
    assets: &[SourceFile],
    links: &(dyn SiteLinks + Sync),
) -> (Register, Vec<Diagnostic>) {
    build_register(
        documents,
        &RegisterInputs {
            assets,
            size_of: &|file| std::fs::metadata(&file.abs).ok().map(|m| m.len()),
            today: options.moment().to_zoned(config.timezone.clone()).date(),
            include_drafts: options.drafts,
            links,
            body_options: body_options(config),
        },
    )
}

/// An attachment's bytes, its text, and whether the text was extracted now.
type ReadAttachment = (Vec<u8>, Arc<AttachmentText>, bool);

/// Reads the searchable text of every document's PDF and DOCX attachments
/// into the register, as `texts` knows it or extracted now (and then kept);
/// what search cannot read of a file (a scan, a password, damage, pages left
/// out) is a warning at the file, never an error.
pub(super) fn read_attachment_texts(
    register: &mut Register,
    content: &std::path::Path,
    texts: &mut AttachmentTexts,
    problems: &mut Vec<Diagnostic>,
) {
    let mut files: Vec<(&str, TextKind)> = register
        .documents
        .iter()
        .flat_map(|d| &d.attachments)
        .filter_map(|a| Some((a.rel.as_str(), TextKind::of(&a.rel)?)))
        .collect();
    files.sort_unstable();
    files.dedup();
    let known = &*texts;
    let read: Vec<(&str, Result<ReadAttachment, String>)> = files
        .par_iter()
        .map(|&(rel, kind)| {
            // Known by its NFC name, it may be decomposed on disk.
            let path = crate::content::sources::on_disk(content, rel);
            let read = std::fs::read(path).map_err(|e| e.to_string());
            (
                rel,
                read.map(|bytes| {
                    let (text, fresh) = known.text_of(kind, &bytes);
                    (bytes, text, fresh)
                }),
            )
        })
        .collect();
    let mut by_file: HashMap<String, Arc<AttachmentText>> = HashMap::default();
    for (rel, result) in read {
        let path = crate::content::sources::display_path(rel);
        match result {
            Ok((bytes, text, fresh)) => {
                // An empty file is the register's warning already.
                if let Some(note) = text.note.as_ref().filter(|n| **n != AttachmentNote::Empty) {
                    problems.push(Diagnostic::warning(&path, format!("search: {note}")));
                }
                if fresh && let Some(kind) = TextKind::of(rel) {
                    texts.keep(kind, &bytes, Arc::clone(&text));
                }
                by_file.insert(rel.to_string(), text);
            }
            Err(e) => problems.push(Diagnostic::warning(
                &path,
                format!("search: cannot read the attachment: {e}"),
            )),
        }
    }
    texts.keep_used();
    for document in &mut register.documents {
        let text: Vec<&str> = document
            .attachments
            .iter()
            .filter_map(|a| by_file.get(&a.rel))
            .map(|t| t.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        document.attachment_text = text.join("\n");
    }
}

/// Reads and parses every document file, in order; the problems of those that
/// cannot be read go to `problems`. Documents are read again on every run
/// (a register of thousands reads in milliseconds): what a document shows
/// depends on the others and on the date.
pub(super) fn read_documents(
    files: &[SourceFile],
    config: &Config,
    problems: &mut Diagnostics,
) -> Vec<SourceDocument> {
    let read: Vec<Result<SourceDocument, Vec<Diagnostic>>> = on_disk_readers(|| {
        files
            .par_iter()
            .map(|file| match std::fs::read(&file.abs) {
                Ok(bytes) => parse_document(&file.rel, &bytes, &config.timezone),
                Err(e) => Err(vec![Diagnostic::error(
                    crate::content::sources::display_path(&file.rel),
                    format!("cannot read the file: {e}"),
                )]),
            })
            .collect()
    });
    let mut documents = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(document) => documents.push(document),
            Err(errs) => problems.extend(errs),
        }
    }
    documents
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
pub(super) fn on_disk_readers<R: Send>(work: impl FnOnce() -> R + Send) -> R {
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

pub(super) fn read_article(file: &SourceFile, config: &Config) -> Parsed {
    match std::fs::read(&file.abs) {
        Ok(bytes) => parse_article(&file.rel, &bytes, &config.timezone).map(Arc::new),
        Err(e) => Err(vec![Diagnostic::error(
            crate::content::sources::display_path(&file.rel),
            format!("cannot read the file: {e}"),
        )]),
    }
}

/// Parses the article files whose stamps differ from `cache`'s (the others are
/// taken from it) and leaves in `cache` exactly the files of this build. A file
/// in `reread` (one a watcher reported) is parsed again whatever its stamp
/// says, as a change may fall within one tick of the file system's clock.
fn parse_articles_reusing(
    files: &[SourceFile],
    config: &Config,
    cache: &mut HashMap<String, ParsedFile>,
    reread: &HashSet<String>,
) -> Vec<Parsed> {
    enum Read {
        Known(Parsed),
        Fresh(ParsedFile),
        Unstamped(Parsed),
    }
    let read: Vec<Read> = files
        .par_iter()
        .map(|file| {
            let stamp = file.stamp.map_or_else(|| FileStamp::of(&file.abs), Ok);
            let Ok(stamp) = stamp else {
                return Read::Unstamped(read_article(file, config));
            };
            match cache.get(&file.rel) {
                Some(known) if known.stamp == stamp && !reread.contains(&file.rel) => {
                    Read::Known(known.parsed.clone())
                }
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

/// The pictures `article` shows that the site does not publish (`copied`).
pub(super) fn missing_pictures(
    article: &Article,
    config: &Config,
    copied: &CopiedFiles,
) -> Vec<Diagnostic> {
    missing_targets(article, config.base_path(), Shown::Pictures, copied)
}

/// The files a build copies: the content's, sorted, and its theme's.
pub(super) struct CopiedFiles<'a> {
    assets: &'a [SourceFile],
    theme: &'a Theme,
    like: NamesLike,
}

impl<'a> CopiedFiles<'a> {
    pub(super) fn new(assets: &'a [SourceFile], theme: &'a Theme) -> Self {
        CopiedFiles {
            assets,
            theme,
            like: NamesLike::default(),
        }
    }
}

impl Published for CopiedFiles<'_> {
    fn has(&self, path: &str) -> bool {
        (self.assets)
            .binary_search_by(|asset| asset.rel.as_str().cmp(path))
            .is_ok()
            || self.theme.static_files.iter().any(|file| file.rel == path)
    }

    fn named_like(&self, path: &str) -> Option<&str> {
        self.like.find(path, || {
            let assets = self.assets.iter().map(|asset| asset.rel.as_str());
            let statics = self.theme.static_files.iter().map(|file| file.rel.as_str());
            assets.chain(statics).collect()
        })
    }
}
