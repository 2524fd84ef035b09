//! A rebuild after edits that leave the site's shape as it was (`build
//! --cache`): the last build's model (see [`crate::memo::model`]) is patched
//! with the edited articles, and only the pages that show what changed of them
//! are made again, as the last plan's [`PlannedPage::shows`] says, with their
//! words in the search index.
//!
//! The shape is every article's place: its file, date, category, tags, views,
//! aliases and draft flag. Its title, summary, lead image, dates of update,
//! other fields and body may change, and so may its address (its `slug:`)
//! when no other article links to it: a page that shows its card is
//! made again when its card changed, one that shows its body when its body did,
//! and a page that moved is written at its new address and removed from the old.
//!
//! It is taken only when nothing else can have changed: the same site.yaml and
//! theme, the same article files, each edited one in its place. Then every page
//! that shows none of the edits is what it was, byte for byte. Anything else is
//! left to the full rebuild, which reads every article and is as exact.

use std::collections::BTreeSet;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::read::{
    CopiedFiles, LoadedSite, make_register, missing_pictures, on_disk_readers, read_article,
    read_attachment_texts, read_documents, read_schedule, read_settings,
};
use super::report::{BuildReport, Stages};
use super::write::{article_text, copied_files, copy_print};
use super::{Made, ToDo};
use crate::config::Config;
use crate::content::active_files::may_run_scripts;
use crate::content::article::SourceArticle;
use crate::content::document::parse_document;
use crate::content::markdown::{LinkedArticle, SiteLinks};
use crate::content::sources::{SourceFile, SourceFiles, display_path, on_disk};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::{FileStamp, Fingerprint, fingerprint};
use crate::memo::attachments::AttachmentTexts;
use crate::memo::file::{self, Head};
use crate::memo::model::{
    BodyPages, CHUNK, DOCUMENTS_PREFIX, DocumentSources, LastModel, LastRegister, ModelFile,
    ShownBodies, made_from, read_chunk, read_named, read_plan, save_chunks, save_named, save_plan,
    write_chunk,
};
use crate::memo::{BodyCache, BuildCache, CachedBody, ParsedFile};
use crate::render::Renderer;
use crate::render::stylesheet::Stylesheet;
use crate::search::index::Entry as IndexEntry;
use crate::search::patch::{IndexPatch, patch_index, sharing_meta_with};
use crate::site::documents::{Document, Register, document_url};
use crate::site::model::{
    Article, Body, Html, KnownBodies, Site, body_options, make_article, render_body,
};
use crate::site::plan::{
    ArticleChange, PageKind, PagePlan, PlannedPage, output_file, schedule_calendars, vanished_url,
};
use crate::site::schedule::Schedule;
use crate::theme::{Theme, load_theme};
use jiff::tz::TimeZone;

/// Edited articles (or documents) beyond which the full rebuild is taken (each
/// edit reads a part of the cache and renders its pages one by one).
const MAX_EDITS: usize = 16;
/// Documents that look otherwise (a status that changed with the day, a
/// relation) beyond which the full rebuild is taken.
const MAX_DOCUMENTS_SHOWN_CHANGED: usize = 64;

/// Saves in `dir` what the patched rebuild keeps of a build: its model, but
/// for the articles' bodies, and the pages of its plan that show bodies
/// (`None` if some article or document file could not be read).
pub(super) fn save_model(
    loaded: &LoadedSite,
    plan: &PagePlan,
    cache: &BuildCache,
    cards: &[Fingerprint],
    (dir, content): (&Path, &Path),
) -> std::io::Result<Option<LastModel>> {
    let site = &loaded.site;
    let index: HashMap<&str, u32> = site
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.file.as_str(), i as u32))
        .collect();
    let files = cache.sources.as_ref().and_then(|sources| {
        sources
            .articles
            .iter()
            .map(|found| {
                let parsed = cache.parsed.get(&found.rel)?;
                let source = parsed.parsed.as_ref().ok()?;
                Some(ModelFile {
                    file: found.rel.clone(),
                    stamp: parsed.stamp,
                    content: source.file_print,
                    url: crate::site::model::article_url(source),
                    draft: source.front.draft,
                    index: index.get(found.rel.as_str()).copied(),
                })
            })
            .collect::<Option<Vec<ModelFile>>>()
    });
    // Read again (a file changed since it was read is told apart later by
    // the search index's fingerprint of its text).
    let document_sources = site
        .documents
        .documents
        .par_iter()
        .map(|d| {
            Some((
                d.file.clone(),
                std::fs::read(on_disk(content, &d.file)).ok()?,
            ))
        })
        .collect::<Option<DocumentSources>>();
    let (Some(files), Some(mut document_sources), true) =
        (files, document_sources, cards.len() == site.articles.len())
    else {
        return Ok(None);
    };
    document_sources.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (body_pages, shown_bodies) = pages_showing_bodies(site, plan);
    let linked_files = cache.bodies.linked_files();
    let linked = files
        .iter()
        .enumerate()
        .filter(|(_, file)| linked_files.contains(file.file.as_str()))
        .map(|(f, _)| f as u32)
        .collect();
    std::fs::create_dir_all(dir)?;
    let sources_file = save_named(dir, DOCUMENTS_PREFIX, &document_sources)?;
    Ok(Some(LastModel {
        made_from: made_from(&loaded.config, &loaded.theme),
        files,
        assets: site.assets.iter().map(|a| a.rel.clone()).collect(),
        categories: site.categories.clone(),
        tags: site.tags.clone(),
        archive: site.archive.clone(),
        most_read: site.most_read.clone(),
        cards: cards.to_vec(),
        register: LastRegister::of(&site.documents, sources_file),
        schedule: site.schedule.shown_print(),
        built_at: site.schedule.built_at.as_nanosecond(),
        linked,
        problems: loaded.site_problems.clone(),
        body_pages,
        shown_bodies,
        planned_pages: plan.pages.len(),
        plan_file: save_plan(dir, plan)?,
        chunks: save_chunks(dir, &site.articles)?,
    }))
}

/// The pages of `plan` that show bodies, by the article whose body each shows
/// (a page showing several is listed under each), sorted by article, but for
/// the articles' own pages, which show their bodies and are known from the
/// articles; and the HTML of every body shown on a page beside other bodies (a
/// feed): making such a page again after one of them is edited needs the others.
fn pages_showing_bodies(site: &Site, plan: &PagePlan) -> (BodyPages, ShownBodies) {
    let per_page: Vec<(Vec<u32>, &PlannedPage)> = plan
        .pages
        .par_iter()
        .filter(|page| !matches!(page.kind, PageKind::Article(_)))
        .filter_map(|page| {
            let bodies: Vec<u32> = page
                .shows(site, plan)
                .into_iter()
                .filter(|(_, how)| how.body())
                .map(|(i, _)| i as u32)
                .collect();
            (!bodies.is_empty()).then_some((bodies, page))
        })
        .collect();
    let mut body_pages = Vec::new();
    let mut shared: BTreeSet<usize> = BTreeSet::new();
    for (bodies, page) in per_page {
        if bodies.len() > 1 {
            shared.extend(bodies.iter().map(|&i| i as usize));
        }
        body_pages.extend(bodies.into_iter().map(|i| (i, page.clone())));
    }
    body_pages.sort_by_key(|(i, _)| *i);
    let shown_bodies = shared
        .into_iter()
        .map(|i| (i, site.articles[i].body_html.to_string()))
        .collect();
    (body_pages, shown_bodies)
}

/// Why the last model was not patched: the rebuild makes it again.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotPatched(String);

fn not_patched(why: impl Into<String>) -> NotPatched {
    NotPatched(why.into())
}

/// One edited article, read and checked.
struct Edit {
    /// Its place among the model's files and articles, and its part of the cache.
    file: usize,
    index: usize,
    part: usize,
    source: Arc<SourceArticle>,
    stamp: FileStamp,
    /// The article with its new body, and the body as the cache keeps it.
    article: Article,
    body_entry: CachedBody,
    old_source: Arc<SourceArticle>,
    old_body: Arc<Body>,
    /// Its address before.
    old_url: String,
    /// The problems with its links, before and now (warnings only).
    old_problems: Vec<Diagnostic>,
    problems: Vec<Diagnostic>,
}

impl Edit {
    /// What changed of the article, its card's fingerprint having changed or not.
    fn change(&self, card: bool) -> ArticleChange {
        let front = (&self.source.front, &self.old_source.front);
        ArticleChange {
            card,
            body: self.article.body_print != self.old_body.print,
            dates: front.0.date != front.1.date || front.0.updated != front.1.updated,
            address: self.article.url != self.old_url,
        }
    }
}

/// The last model patched with every edit since the build `head` describes,
/// the files under content/ being as `found` this run (those `reported`
/// changed looked at whatever their stamps say), if each edit leaves the
/// site's shape as it was; else `head` back, for the full rebuild, and why.
pub(super) fn patch_last_model(
    options: &super::BuildOptions,
    cache_dir: &Path,
    mut head: Head,
    found: &(SourceFiles, Vec<Diagnostic>),
    reported: &HashSet<String>,
    stages: &mut Stages,
) -> Result<ToDo, (Box<Head>, NotPatched)> {
    let Some(model) = head.model.take() else {
        let why = not_patched("the cache has no model (the build that made it failed)");
        return Err((Box::new(head), why));
    };
    let found = (found, reported);
    let patched = patch(options, cache_dir, (&head, &model), found, stages);
    head.model = Some(model);
    match patched {
        Ok(Patch::Edits(model)) => Ok(ToDo::Make(Made::Patched(Box::new(Patched {
            head,
            model: *model,
        })))),
        Ok(Patch::Unchanged(report)) => {
            // Nothing more to do than to free the memo's head, some 100 MB at
            // 100,000 articles: not worth waiting for.
            super::drop_aside(head);
            Ok(ToDo::Nothing(report))
        }
        Err(why) => Err((Box::new(head), why)),
    }
}

/// The last model patched with its edits, and the memo it came from.
pub(super) struct Patched {
    /// The memo's head as loaded: its model is the one patched.
    pub head: Head,
    pub model: PatchedModel,
}

/// What [`patch`] found.
enum Patch {
    /// Nothing changed since: no article, document, week, copied file or
    /// setting, nor the day, nor, for a site with calendars, the build's time.
    Unchanged(BuildReport),
    Edits(Box<PatchedModel>),
}

/// The site patched with its edits, ready for the pages to be made.
pub(super) struct PatchedModel {
    pub loaded: LoadedSite,
    pub renderer: Renderer,
    edits: Vec<Edit>,
    /// Files unchanged but for their stamps, with their new stamps.
    restamped: Vec<(usize, FileStamp)>,
    /// The parts of the cache and chunks of the model read, by number.
    parts: HashMap<usize, BuildCache>,
    chunks: HashMap<usize, Vec<Article>>,
    /// The pages to make again, and the plan they are part of when it was read
    /// (sitemaps list its pages).
    pub pages: Vec<PlannedPage>,
    pub plan: PagePlan,
    pub search: SearchPatch,
    pub warnings: Diagnostics,
    /// Pages a full build plans.
    pub planned_pages: usize,
    /// The register as the memo is to keep it: `None` if it is the last one.
    register: Option<RegisterNow>,
    /// The build's time, which the schedule's calendars show.
    built_at: i128,
}

/// The register as the memo is to keep it, and, when documents were edited,
/// which ones and the document files' bytes as the last build read them.
struct RegisterNow {
    kept: LastRegister,
    edited: Vec<usize>,
    sources: Option<DocumentSources>,
}

impl PatchedModel {
    /// The addresses of the edited articles that moved, as they were.
    pub fn moved_from(&self) -> impl Iterator<Item = &str> {
        self.edits
            .iter()
            .filter(|e| e.article.url != e.old_url)
            .map(|e| e.old_url.as_str())
    }
}

/// Reads the edits and patches the model with them; `Err` unless every edit
/// keeps the site's shape.
fn patch(
    options: &super::BuildOptions,
    cache_dir: &Path,
    (head, model): (&Head, &LastModel),
    ((sources, source_problems), reported): (&(SourceFiles, Vec<Diagnostic>), &HashSet<String>),
    stages: &mut Stages,
) -> Result<Patch, NotPatched> {
    let known = &head.pages;
    let (config, theme, mut warnings) = same_settings(options, head, model)?;
    if source_problems.iter().any(Diagnostic::is_error) {
        // A link out of the site, say: the full pipeline tells it, and fails.
        return Err(not_patched("a file under content/ cannot be taken"));
    }
    let Edited { edited, restamped } = find_edits(sources, model, reported)?;
    // A changed file that may run scripts (an SVG, a page) is checked by the
    // full pipeline, which refuses it if it now does.
    let print = |a: &SourceFile| copy_print(&a.abs, a.stamp);
    if (sources.assets.iter())
        .any(|a| may_run_scripts(&a.rel) && known.get(&a.rel) != Some(&print(a)))
    {
        return Err(not_patched("a copied file that may run scripts changed"));
    }
    warnings.extend(source_problems.iter().cloned());
    stages.done("find the edits");
    // Documents are read again, each time: the pages that show them are made
    // again if they show documents that look otherwise now.
    let mut problems = Diagnostics::new();
    let documents = read_documents(&sources.documents, &config, &mut problems);
    if problems.has_errors() {
        return Err(not_patched("a document has errors"));
    }
    warnings.extend(problems.into_vec());
    let mut links = ModelLinks::new(&model.files, config.base_path())
        .ok_or_else(|| not_patched("the cache's list of articles is out of order"))?;
    links.documents = documents
        .iter()
        .map(|d| (d.source.clone(), (document_url(&d.slug), d.front.draft)))
        .collect();
    let (mut register, _) = make_register(options, &config, documents, &sources.assets, &links);
    if !register
        .documents
        .iter()
        .all(|d| attachments_unchanged(d, &sources.assets, known))
    {
        // Their text, in the search index, is read again from the files.
        return Err(not_patched("a document's attachment changed"));
    }
    let documents_changed = (register.made_from != model.register.made_from)
        .then(|| changed_documents(&register, &model.register))
        .transpose()?;
    stages.done("read the documents");
    let ScheduleNow {
        schedule,
        day_changed,
        calendars_again,
    } = schedule_now(options, &config, &sources.weeks, model, &mut warnings)?;
    let built_at = schedule.built_at.as_nanosecond();
    stages.done("read the work schedule");
    if edited.is_empty()
        && restamped.is_empty()
        && documents_changed.is_none()
        && !calendars_again
        && !day_changed
    {
        let stylesheet = Stylesheet::of(&theme, &config);
        // Files to check for scripts are unchanged (else not patched): no bytes needed.
        let unchecked = HashMap::default();
        let copied = copied_files(&sources.assets, &unchecked, &theme, &stylesheet, true);
        if copied
            .iter()
            .all(|(rel, print, _)| known.get(*rel) == Some(print))
        {
            stages.done("compare the copied files");
            warnings.extend(model.problems.iter().cloned());
            return Ok(Patch::Unchanged(BuildReport {
                out: options.out_dir(),
                articles: model.cards.len(),
                pages: model.planned_pages,
                files_written: 0,
                pages_rendered: 0,
                files_copied: 0,
                warnings,
                elapsed: Default::default(),
                stages: Vec::new(),
            }));
        }
    }
    let documents_before = match &documents_changed {
        Some(changed) => documents_before(
            options,
            &config,
            cache_dir,
            &model.register,
            (&mut register, &changed.edited),
            &sources.assets,
            &links,
        )?,
        None => DocumentsBefore::default(),
    };

    let mut store = Store::new(cache_dir, head, model, &config)?;
    let copied = CopiedFiles::new(&sources.assets, &theme);
    let edits = edited
        .iter()
        .map(|&f| {
            read_edit(
                f,
                &sources.articles[f],
                (&config, &copied),
                &links,
                &mut store,
            )
        })
        .collect::<Result<Vec<Edit>, NotPatched>>()?;
    stages.done("read the edited articles");

    if !register.is_empty() && edits.iter().any(|e| e.article.url != e.old_url) {
        return Err(not_patched(
            "an article moves, and documents may link to it",
        ));
    }
    let mut site = site_around(
        config.clone(),
        sources.assets.clone(),
        (register, schedule),
        &edits,
        store.model,
    );
    let mut renderer = Renderer::with_card_prints(&theme, &site, model.cards.clone())
        .map_err(|_| not_patched("the theme has errors"))?;
    let changes: Vec<(usize, ArticleChange)> = edits
        .iter()
        .map(|edit| {
            let card = renderer.renew_card(&site, edit.index);
            (edit.index, edit.change(card))
        })
        .collect();
    let shown_changed = documents_changed.as_ref().map_or(&[][..], |c| &c.shown[..]);
    let (mut pages, plan) = pages_showing(
        &site,
        (&edits, &changes),
        shown_changed,
        day_changed,
        &store,
    )?;
    if calendars_again {
        pages.retain(|page| !matches!(page.kind, PageKind::ScheduleCalendar(_)));
        pages.extend(schedule_calendars(&site));
    }
    let documents_edited = documents_changed
        .as_ref()
        .map_or(&[][..], |c| &c.edited[..]);
    fill_shown(
        &mut site,
        &pages,
        &plan,
        (&edits, documents_edited),
        &mut store,
    )?;
    stages.done("patch the model");

    let search = patch_search(options, head, &site, &edits, &documents_before.documents)?;
    stages.done("patch the search index");

    let mut problems: Vec<Diagnostic> = model.problems.clone();
    let mut replace = |old: &[Diagnostic], now: &[Diagnostic]| {
        for old in old {
            if let Some(at) = problems.iter().position(|d| d == old) {
                problems.remove(at);
            }
        }
        problems.extend(now.iter().cloned());
    };
    for edit in &edits {
        replace(&edit.old_problems, &edit.problems);
    }
    let register = documents_changed.map(|changed| {
        replace(&model.register.problems, &changed.now.problems);
        RegisterNow {
            kept: changed.now,
            edited: changed.edited,
            sources: documents_before.sources,
        }
    });
    warnings.extend(problems.iter().cloned());
    for edit in edits.iter().filter(|e| e.article.url != e.old_url) {
        let file = edit.source.display_path();
        warnings.push(vanished_url(&file, &edit.old_url, true));
    }
    Ok(Patch::Edits(Box::new(PatchedModel {
        loaded: LoadedSite {
            config,
            theme,
            site,
            site_problems: problems,
            // Files to check for scripts are unchanged (else not patched), so
            // none is written.
            checked_copies: HashMap::default(),
        },
        renderer,
        edits,
        restamped,
        parts: store.parts,
        chunks: store.chunks,
        pages,
        plan,
        search,
        warnings,
        planned_pages: model.planned_pages,
        register,
        built_at,
    })))
}

/// The work schedule as of this build, and what the time that passed since
/// the last build changes.
struct ScheduleNow {
    schedule: Schedule,
    /// The build's day is another: the pages that show it are made again.
    day_changed: bool,
    /// The build's time is another on a site with calendars, which show it.
    calendars_again: bool,
}

/// The weeks read again, each time, as the documents are; `Err` if what the
/// schedule shows (a week's items, the current week) changed, which takes the
/// full pipeline, or if a new day changes what the patched model cannot make.
fn schedule_now(
    options: &super::BuildOptions,
    config: &Config,
    weeks: &[SourceFile],
    model: &LastModel,
    warnings: &mut Diagnostics,
) -> Result<ScheduleNow, NotPatched> {
    let (schedule, problems) = read_schedule(weeks, config, options);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(not_patched("a week of the work schedule has errors"));
    }
    warnings.extend(problems);
    if schedule.shown_print() != model.schedule {
        return Err(not_patched("the work schedule changed"));
    }
    let last_built_at = jiff::Timestamp::from_nanosecond(model.built_at)
        .map_err(|_| not_patched("the cache's time of build is out of range"))?;
    let day = |at: jiff::Timestamp| at.to_zoned(config.timezone.clone()).date();
    let day_changed = day(schedule.built_at) != day(last_built_at);
    if day_changed && config.cms.is_some() {
        // The editor's settings offer the weeks around the day, and are made
        // of every article's folder, which the patched model does not hold.
        return Err(not_patched(
            "a new day: the editor offers the weeks around it",
        ));
    }
    Ok(ScheduleNow {
        calendars_again: !schedule.is_empty() && schedule.built_at != last_built_at,
        day_changed,
        schedule,
    })
}

/// What changed of the register's documents since the last build.
struct DocumentsChanged {
    /// What the memo keeps of the register now.
    now: LastRegister,
    /// The documents (by their place in the register) that look otherwise on
    /// a page, and those whose files changed.
    shown: Vec<usize>,
    edited: Vec<usize>,
}

/// The documents of `register` that changed since the `last` register;
/// `Err` if its shape changed (the pages it plans, the addresses of its
/// documents), or too many did.
fn changed_documents(
    register: &Register,
    last: &LastRegister,
) -> Result<DocumentsChanged, NotPatched> {
    if register.shape != last.shape || register.documents.len() != last.prints.len() {
        return Err(not_patched(
            "documents were added, removed, published, renamed or moved in the register",
        ));
    }
    let now = LastRegister::of(register, last.sources_file.clone());
    let changed = |print: fn(&(Fingerprint, Fingerprint)) -> Fingerprint| -> Vec<usize> {
        (0..now.prints.len())
            .filter(|&i| print(&now.prints[i]) != print(&last.prints[i]))
            .collect()
    };
    let shown = changed(|(_, shown)| *shown);
    let edited = changed(|(file, _)| *file);
    if shown.len() > MAX_DOCUMENTS_SHOWN_CHANGED || edited.len() > MAX_EDITS {
        return Err(not_patched("many documents changed"));
    }
    Ok(DocumentsChanged { now, shown, edited })
}

/// The edited documents as the last build indexed them, and the document
/// files' bytes as the last build read them.
#[derive(Default)]
struct DocumentsBefore {
    /// By their place in the register.
    documents: Vec<(usize, Document)>,
    sources: Option<DocumentSources>,
}

/// The `edited` documents of `register` as the last build made them, from
/// their files' bytes then (for the search index to take their words out);
/// each edited document of `register` is given its attachments' text (their
/// files are unchanged: see [`attachments_unchanged`]). `Err` if one cannot
/// be made as it was, or its attachments are others: the full rebuild reads
/// their text.
fn documents_before(
    options: &super::BuildOptions,
    config: &Config,
    cache_dir: &Path,
    last: &LastRegister,
    (register, edited): (&mut Register, &[usize]),
    assets: &[SourceFile],
    links: &ModelLinks,
) -> Result<DocumentsBefore, NotPatched> {
    if edited.is_empty() {
        return Ok(DocumentsBefore::default());
    }
    let sources = read_named::<DocumentSources>(cache_dir, &last.sources_file)
        .map_err(|e| not_patched(e.to_string()))?;
    let mut before = Register::default();
    for &i in edited {
        let file = &register.documents[i].file;
        let at = sources
            .binary_search_by(|(f, _)| f.as_str().cmp(file))
            .map_err(|_| not_patched("the cache lacks a document's file"))?;
        let source = parse_document(file, &sources[at].1, &config.timezone)
            .map_err(|_| not_patched("the cache's copy of a document is unreadable"))?;
        let (mut made, _) = make_register(options, config, vec![source], assets, links);
        let old = made
            .documents
            .pop()
            .ok_or_else(|| not_patched("a document was a draft"))?;
        if old.attachments != register.documents[i].attachments {
            return Err(not_patched("a document's attachments changed"));
        }
        before.documents.push(old);
    }
    // Their text is the same then and now: the files are.
    let mut texts = AttachmentTexts::load(cache_dir);
    let content = options.root.join("content");
    read_attachment_texts(&mut before, &content, &mut texts, &mut Vec::new());
    for (&i, old) in edited.iter().zip(&before.documents) {
        register.documents[i].attachment_text = old.attachment_text.clone();
    }
    Ok(DocumentsBefore {
        documents: edited.iter().copied().zip(before.documents).collect(),
        sources: Some(sources),
    })
}

/// Whether every attachment of `document` is the file the output folder holds
/// (copied as the last build found it).
fn attachments_unchanged(
    document: &Document,
    assets: &[SourceFile],
    known: &HashMap<String, Fingerprint>,
) -> bool {
    document.attachments.iter().all(|a| {
        let at = assets.binary_search_by(|f| f.rel.as_str().cmp(&a.rel)).ok();
        at.is_some_and(|at| {
            known.get(&a.rel) == Some(&copy_print(&assets[at].abs, assets[at].stamp))
        })
    })
}

/// The config and theme, if they are what the model was made with; with the
/// config's warnings.
fn same_settings(
    options: &super::BuildOptions,
    head: &Head,
    model: &LastModel,
) -> Result<(Config, Theme, Diagnostics), NotPatched> {
    let unreadable = |_| not_patched("site.yaml cannot be read");
    let (config, warnings) = read_settings(options).map_err(unreadable)?;
    let theme = load_theme(&options.root, &config.theme)
        .map_err(|_| not_patched("the theme has errors"))?;
    if warnings.has_errors() {
        return Err(not_patched("site.yaml has errors"));
    }
    if made_from(&config, &theme) != model.made_from || head.zone != config.timezone_name {
        return Err(not_patched("site.yaml or the theme changed"));
    }
    Ok((config, theme, warnings))
}

/// The article files that changed since the last model.
struct Edited {
    /// Article files whose bytes changed, by their place in the model's list.
    edited: Vec<usize>,
    /// Article files whose stamps changed but not their bytes (a fresh
    /// checkout), with their new stamps.
    restamped: Vec<(usize, FileStamp)>,
}

/// Which articles of the files under content/ (`sources`) changed, looking at
/// the bytes of those whose stamps changed or that were `reported`; `Err` if
/// the list of articles did.
fn find_edits<'a>(
    sources: &'a SourceFiles,
    model: &LastModel,
    reported: &HashSet<String>,
) -> Result<Edited, NotPatched> {
    let found = |files: &'a [SourceFile]| files.iter().map(|f| &f.rel);
    if !found(&sources.articles).eq(model.files.iter().map(|f| &f.file)) {
        return Err(not_patched("articles were added, removed or renamed"));
    }
    if !found(&sources.assets).eq(&model.assets) {
        return Err(not_patched("files were added to or removed from content/"));
    }
    let stamp_changed = |f: usize| sources.articles[f].stamp != Some(model.files[f].stamp);
    let looked_at: Vec<usize> = (0..model.files.len())
        .filter(|&f| stamp_changed(f) || reported.contains(&sources.articles[f].rel))
        .collect();
    // Their bytes tell which changed.
    let same_bytes: Vec<bool> = on_disk_readers(|| {
        looked_at
            .par_iter()
            .map(|&f| {
                let bytes = std::fs::read(&sources.articles[f].abs);
                bytes.is_ok_and(|bytes| fingerprint(&bytes) == model.files[f].content)
            })
            .collect()
    });
    let mut edited = Vec::new();
    let mut restamped = Vec::new();
    for (f, same) in looked_at.into_iter().zip(same_bytes) {
        match (same, sources.articles[f].stamp) {
            (true, Some(_)) if !stamp_changed(f) => {}
            (true, Some(stamp)) => restamped.push((f, stamp)),
            _ => edited.push(f),
        }
    }
    if edited.len() > MAX_EDITS {
        return Err(not_patched(format!("{} articles changed", edited.len())));
    }
    Ok(Edited { edited, restamped })
}

/// Article file `f` (found as `found`) read again, if only its body changed.
fn read_edit(
    f: usize,
    found: &SourceFile,
    (config, copied): (&Config, &CopiedFiles),
    links: &ModelLinks,
    store: &mut Store,
) -> Result<Edit, NotPatched> {
    let path = display_path(&found.rel);
    let changed = |what: &str| not_patched(format!("{path}: {what}"));
    let index = store.model.files[f]
        .index
        .ok_or_else(|| changed("a draft was edited"))? as usize;
    let stamp = found.stamp.ok_or_else(|| changed("cannot be stamped"))?;
    let source = read_article(found, config).map_err(|_| changed("it has errors"))?;
    let part = file::part_of(&found.rel);
    let cached = store.part(part)?;
    let (old_source, old_body) = match (
        cached.parsed.get(&found.rel),
        cached.bodies.last_body(&found.rel),
    ) {
        (
            Some(ParsedFile {
                parsed: Ok(source), ..
            }),
            Some(body),
        ) => (Arc::clone(source), Arc::clone(body)),
        _ => return Err(changed("not in the cache")),
    };
    if old_source.file_print != store.model.files[f].content {
        return Err(changed("the cache's reading of it is not its model's"));
    }
    if let Some(field) = shape_changed(&old_source, &source) {
        return Err(changed(&format!("its {field} changed")));
    }
    let options = body_options(config);
    let (body, entry) = BodyCache::default().body(&source, links, options, render_body);
    let old = store.article(index)?;
    let (mut article, mut problems) =
        make_article(&source, &body, links, old.category, old.tags.clone());
    problems.extend(missing_pictures(&article, config, copied));
    let (_, mut old_problems) = make_article(
        &old_source,
        &old_body,
        links,
        old.category,
        old.tags.clone(),
    );
    old_problems.extend(missing_pictures(old, config, copied));
    article.category_position = old.category_position;
    let old_url = old.url.clone();
    let linked = store.model.linked.binary_search(&(f as u32)).is_ok();
    if article.url != old_url && linked {
        return Err(changed("it moves, and other articles link to it"));
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(changed("its body has errors"));
    }
    Ok(Edit {
        file: f,
        index,
        part,
        source,
        stamp,
        article,
        body_entry: entry.ok_or_else(|| changed("its body was not rendered"))?,
        old_source,
        old_body,
        old_url,
        old_problems,
        problems,
    })
}

/// The model around the edits: the last model's lists, taxonomies and archive,
/// the edited articles, and of every other article its place in its category
/// (what the plan's [`PlannedPage::shows`] looks at); [`fill_shown`] fills in
/// the articles the pages to make again show.
fn site_around(
    config: Config,
    assets: Vec<SourceFile>,
    (documents, schedule): (Register, Schedule),
    edits: &[Edit],
    model: &LastModel,
) -> Site {
    let articles = model.cards.len();
    let mut site = Site {
        config,
        articles: vec![Article::default(); articles],
        categories: model.categories.clone(),
        tags: model.tags.clone(),
        archive: model.archive.clone(),
        most_read: model.most_read.clone(),
        assets,
        drafts_left_out: Vec::new(),
        documents,
        schedule,
    };
    for (c, category) in site.categories.iter().enumerate() {
        for (position, &i) in category.articles.iter().enumerate() {
            if let Some(article) = site.articles.get_mut(i) {
                article.category = c;
                article.category_position = position;
            }
        }
    }
    for edit in edits {
        site.articles[edit.index] = edit.article.clone();
    }
    site
}

/// The pages that show what changed of the edited articles, of the
/// `documents` that look otherwise, and, on a new day, the day; and the plan
/// they are part of. After edits to bodies alone these are the pages kept
/// from the last plan by the article whose body they show; after any other
/// change, every page of the last plan (read then, with the pages of articles
/// that moved at their new addresses) that shows what changed.
fn pages_showing(
    site: &Site,
    (edits, changes): (&[Edit], &[(usize, ArticleChange)]),
    documents: &[usize],
    day_changed: bool,
    store: &Store,
) -> Result<(Vec<PlannedPage>, PagePlan), NotPatched> {
    let model = store.model;
    let bodies_alone = !changes
        .iter()
        .any(|(_, change)| change.card || change.dates || change.address);
    if bodies_alone && documents.is_empty() && !day_changed {
        let mut pages: Vec<PlannedPage> = Vec::new();
        for edit in edits {
            let i = edit.index;
            pages.push(PlannedPage::article(site, i));
            let first = model.body_pages.partition_point(|(j, _)| (*j as usize) < i);
            let showing = model.body_pages[first..]
                .iter()
                .take_while(|(j, _)| *j as usize == i);
            for (_, page) in showing {
                if !pages.contains(page) {
                    pages.push(page.clone());
                }
            }
        }
        return Ok((pages, PagePlan::default()));
    }
    let mut plan =
        read_plan(store.dir, &model.plan_file).map_err(|e| not_patched(e.to_string()))?;
    if plan.pages.len() != model.planned_pages {
        return Err(not_patched("the cache's plan is not its model's"));
    }
    move_pages(site, edits, &mut plan)?;
    let changed: HashMap<usize, ArticleChange> = changes.iter().copied().collect();
    let documents: HashSet<usize> = documents.iter().copied().collect();
    let pages: Vec<PlannedPage> = plan
        .pages
        .par_iter()
        .filter(|page| {
            (!changed.is_empty()
                && page.shows(site, &plan).iter().any(|(i, how)| {
                    changed
                        .get(i)
                        .is_some_and(|change| how.shows_change(*change))
                }))
                || (!documents.is_empty()
                    && page
                        .shows_documents(site)
                        .iter()
                        .any(|d| documents.contains(d)))
                || (day_changed && page.shows_the_day(site))
        })
        .cloned()
        .collect();
    Ok((pages, plan))
}

/// Puts the pages of the edited articles that moved at their new addresses in
/// `plan`; `Err` if another page or file has one of those addresses already.
fn move_pages(site: &Site, edits: &[Edit], plan: &mut PagePlan) -> Result<(), NotPatched> {
    let moved: Vec<&Edit> = edits
        .iter()
        .filter(|e| e.article.url != e.old_url)
        .collect();
    if moved.is_empty() {
        return Ok(());
    }
    let taken: HashSet<String> = plan
        .pages
        .par_iter()
        .map(|page| output_file(&page.path))
        .chain(site.assets.par_iter().map(|asset| asset.rel.clone()))
        .collect();
    for edit in moved {
        if taken.contains(&output_file(&edit.article.url)) {
            let path = edit.source.display_path();
            return Err(not_patched(format!("{path}: it moves to an address taken")));
        }
        let page = plan
            .pages
            .iter_mut()
            .find(|page| page.kind == PageKind::Article(edit.index))
            .ok_or_else(|| not_patched("the cache's plan is not its model's"))?;
        page.path = edit.article.url.clone();
    }
    Ok(())
}

/// Puts into `site` every article the pages to make again show (and the search
/// index's neighbours of each edited article and document (by its place in
/// the register): its file of what hits show holds theirs too), with the
/// bodies they show.
fn fill_shown(
    site: &mut Site,
    pages: &[PlannedPage],
    plan: &PagePlan,
    (edits, documents): (&[Edit], &[usize]),
    store: &mut Store,
) -> Result<(), NotPatched> {
    let model = store.model;
    let edited: BTreeSet<usize> = edits.iter().map(|e| e.index).collect();
    let mut shown: BTreeSet<usize> = BTreeSet::new();
    let mut bodies_shown: BTreeSet<usize> = BTreeSet::new();
    for page in pages {
        for (j, how) in page.shows(site, plan) {
            shown.insert(j);
            if how.body() {
                bodies_shown.insert(j);
            }
        }
    }
    // The search index's entries of the edits: articles', then documents'
    // (documents are all in the site already).
    let entries = IndexEntry::count(site);
    let edited_entries = edits.iter().map(|e| e.index);
    let articles = site.articles.len();
    for d in edited_entries.chain(documents.iter().map(|&i| articles + i)) {
        shown.extend(sharing_meta_with(entries, d).filter(|&j| j < articles));
    }
    for &j in shown.difference(&edited) {
        site.articles[j] = store.article(j)?.clone();
    }
    // Bodies shown beside others (a feed's) are kept with the model; any other
    // (a neighbour's own page, made again for an edited card) is in its part.
    for &j in bodies_shown.difference(&edited) {
        let article = &site.articles[j];
        let kept = match model.shown_bodies.binary_search_by_key(&j, |(i, _)| *i) {
            Ok(at) => Html::from(model.shown_bodies[at].1.clone()),
            Err(_) => {
                let part = store.part(file::part_of(&article.file))?;
                let body = part.bodies.last_body(&article.file);
                body.map(|body| body.html.clone()).unwrap_or_default()
            }
        };
        if fingerprint(kept.as_bytes()) != article.body_print {
            return Err(not_patched("the cache lacks a body a page shows"));
        }
        site.articles[j].body_html = kept;
    }
    Ok(())
}

/// The search index with the edits, made before anything is written.
pub(super) struct SearchPatch {
    /// Its files as last written.
    pub last_files: Vec<String>,
    /// The files to write and remove (none for a site without search), and
    /// what the index is made from now.
    pub patch: IndexPatch,
}

fn patch_search(
    options: &super::BuildOptions,
    head: &Head,
    site: &Site,
    edits: &[Edit],
    documents_before: &[(usize, Document)],
) -> Result<SearchPatch, NotPatched> {
    let unpatchable = || not_patched("the search index cannot be patched");
    let last = head.index.as_ref().ok_or_else(unpatchable)?;
    let mut now = last.state.clone();
    let entries = IndexEntry::count(site);
    if now.docs.len() != entries || !last.files.iter().all(|f| head.pages.contains_key(f)) {
        return Err(unpatchable());
    }
    for edit in edits {
        now.set_doc(site, edit.index);
    }
    for (i, _) in documents_before {
        now.set_doc(site, site.articles.len() + i);
    }
    let last_files = last.files.clone();
    if !site.config.search {
        let patch = IndexPatch {
            state: now,
            ..IndexPatch::default()
        };
        return Ok(SearchPatch { last_files, patch });
    }
    let out = options.out_dir();
    let read = |path: &str| std::fs::read(out.join(path)).ok();
    let old_text = |f: &str| match edits.iter().find(|e| e.source.source == f) {
        Some(e) => Some(article_text(&e.old_source, &e.old_body)),
        None => {
            let (_, d) = documents_before.iter().find(|(_, d)| d.file == f)?;
            Some(IndexEntry::Document(d).text())
        }
    };
    let patch = patch_index(site, now, &last.state, old_text, read).ok_or_else(unpatchable)?;
    Ok(SearchPatch { last_files, patch })
}

/// The parts of the cache and the chunks of the model that the rebuild reads,
/// each read once, when first needed.
struct Store<'a> {
    dir: &'a Path,
    head: &'a Head,
    model: &'a LastModel,
    zone: TimeZone,
    parts: HashMap<usize, BuildCache>,
    chunks: HashMap<usize, Vec<Article>>,
}

impl<'a> Store<'a> {
    fn new(
        dir: &'a Path,
        head: &'a Head,
        model: &'a LastModel,
        config: &Config,
    ) -> Result<Self, NotPatched> {
        let articles = model.files.iter().filter(|f| f.index.is_some()).count();
        if model.cards.len() != articles || model.chunks.len() != articles.div_ceil(CHUNK) {
            return Err(not_patched("the cache's model is inconsistent"));
        }
        Ok(Store {
            dir,
            head,
            model,
            zone: config.timezone.clone(),
            parts: HashMap::default(),
            chunks: HashMap::default(),
        })
    }

    /// Part `n` of the cache.
    fn part(&mut self, n: usize) -> Result<&BuildCache, NotPatched> {
        if let Entry::Vacant(slot) = self.parts.entry(n) {
            let part =
                file::load_part(self.dir, self.head, n).map_err(|e| not_patched(e.to_string()))?;
            slot.insert(part);
        }
        Ok(&self.parts[&n])
    }

    /// Article `i` of the model, as the last build made it (without its body's HTML).
    fn article(&mut self, i: usize) -> Result<&Article, NotPatched> {
        let c = i / CHUNK;
        if let Entry::Vacant(slot) = self.chunks.entry(c) {
            let name = self
                .model
                .chunks
                .get(c)
                .ok_or_else(|| not_patched("the cache's model is inconsistent"))?;
            let chunk =
                read_chunk(self.dir, name, &self.zone).map_err(|e| not_patched(e.to_string()))?;
            slot.insert(chunk);
        }
        self.chunks[&c]
            .get(i % CHUNK)
            .ok_or_else(|| not_patched("the cache's model is inconsistent"))
    }
}

/// What of the site's shape two readings of an article file differ in, if
/// anything: its place in the lists, taxonomies, archive and most read lists,
/// its aliases, whether it is published.
fn shape_changed(old: &SourceArticle, new: &SourceArticle) -> Option<&'static str> {
    let (o, n) = (&old.front, &new.front);
    [
        ("date", o.date != n.date),
        (
            "category",
            o.category != n.category || old.category_slug != new.category_slug,
        ),
        ("tags", old.tags != new.tags),
        ("views", o.views != n.views),
        ("draft flag", o.draft != n.draft),
        ("aliases", o.aliases != n.aliases),
    ]
    .into_iter()
    .find_map(|(field, changed)| changed.then_some(field))
}

/// Saves the memo after the pages of `patched` were made: the edited
/// articles' parts and chunks, then the cache file, which describes the output
/// folder as the files `touched` (relative to it) changed it.
pub(super) fn save_patched(
    options: &super::BuildOptions,
    cache_dir: &Path,
    patched: Patched,
    touched: &[String],
) -> std::io::Result<()> {
    let Patched {
        mut head,
        model: mut patched,
        ..
    } = patched;
    let mut model = head
        .model
        .take()
        .ok_or_else(|| std::io::Error::other("the cache has no model"))?;
    let mut parts_written = BTreeSet::new();
    let mut chunks_written = BTreeSet::new();
    let edited: Vec<usize> = patched.edits.iter().map(|e| e.index).collect();
    let moved: Vec<(usize, String)> = patched
        .edits
        .iter()
        .filter(|e| e.article.url != e.old_url)
        .map(|e| (e.file, e.article.url.clone()))
        .collect();
    for edit in std::mem::take(&mut patched.edits) {
        // Links an edited body now makes: moving their files changes it.
        for target in edit.body_entry.looked_up() {
            let found = model
                .files
                .binary_search_by(|f| f.file.as_str().cmp(target));
            if let Ok(f) = found
                && let Err(at) = model.linked.binary_search(&(f as u32))
            {
                model.linked.insert(at, f as u32);
            }
        }
        let rel = edit.source.source.clone();
        let file_print = edit.source.file_print;
        let part = patched
            .parts
            .get_mut(&edit.part)
            .ok_or_else(|| std::io::Error::other("a part of an edit was not read"))?;
        part.parsed.insert(
            rel.clone(),
            ParsedFile {
                stamp: edit.stamp,
                parsed: Ok(edit.source),
            },
        );
        part.bodies.renew(rel, edit.body_entry);
        parts_written.insert(edit.part);
        model.files[edit.file].stamp = edit.stamp;
        model.files[edit.file].content = file_print;
        let (c, at) = (edit.index / CHUNK, edit.index % CHUNK);
        let chunk = patched
            .chunks
            .get_mut(&c)
            .ok_or_else(|| std::io::Error::other("a chunk of an edit was not read"))?;
        let article = &patched.loaded.site.articles[edit.index];
        chunk[at] = article.clone();
        if let Ok(kept) = model
            .shown_bodies
            .binary_search_by_key(&edit.index, |(i, _)| *i)
        {
            model.shown_bodies[kept].1 = article.body_html.to_string();
        }
        chunks_written.insert(c);
    }
    for &(f, stamp) in &patched.restamped {
        model.files[f].stamp = stamp;
    }
    for n in parts_written {
        head.part_files[n] = file::save_part(cache_dir, &patched.parts[&n], n)?;
    }
    for c in chunks_written {
        model.chunks[c] = write_chunk(cache_dir, c, &patched.chunks[&c])?;
    }
    for &i in &edited {
        model.cards[i] = patched.renderer.cards().print(i);
    }
    if !moved.is_empty() {
        for (f, url) in &moved {
            model.files[*f].url.clone_from(url);
        }
        model.plan_file = save_plan(cache_dir, &patched.plan)?;
    }
    if let Some(RegisterNow {
        kept: mut register,
        edited,
        sources,
    }) = patched.register.take()
    {
        if let Some(mut sources) = sources {
            // The edited documents' files as they are now (see `model_to_save`).
            let content = options.root.join("content");
            for i in edited {
                let file = &patched.loaded.site.documents.documents[i].file;
                if let Ok(at) = sources.binary_search_by(|(f, _)| f.as_str().cmp(file)) {
                    sources[at].1 = std::fs::read(on_disk(&content, file))?;
                }
            }
            register.sources_file = save_named(cache_dir, DOCUMENTS_PREFIX, &sources)?;
        }
        model.register = register;
    }
    model.built_at = patched.built_at;
    model.problems = std::mem::take(&mut patched.loaded.site_problems);
    head.model = Some(model);
    file::save_head(cache_dir, &options.cache_for(), head, touched)
}

/// Answers link lookups from the model's files, sorted by path, and the
/// documents read.
struct ModelLinks<'a> {
    files: &'a [ModelFile],
    base_path: String,
    /// Documents' addresses and draft flags, by file.
    documents: HashMap<String, (String, bool)>,
}

impl<'a> ModelLinks<'a> {
    fn new(files: &'a [ModelFile], base_path: &str) -> Option<Self> {
        files
            .is_sorted_by(|a, b| a.file < b.file)
            .then(|| ModelLinks {
                files,
                base_path: base_path.to_string(),
                documents: HashMap::default(),
            })
    }
}

impl SiteLinks for ModelLinks<'_> {
    fn article(&self, content_path: &str) -> Option<LinkedArticle<'_>> {
        let found = self
            .files
            .binary_search_by(|f| f.file.as_str().cmp(content_path));
        match found {
            Ok(at) => Some(LinkedArticle {
                url: &self.files[at].url,
                draft: self.files[at].draft,
            }),
            Err(_) => self
                .documents
                .get(content_path)
                .map(|(url, draft)| LinkedArticle { url, draft: *draft }),
        }
    }

    fn base_path(&self) -> &str {
        &self.base_path
    }
}
