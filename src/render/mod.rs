//! Page plan -> HTML bytes. Templates are compiled once per build; each page gets
//! its own context, built from the model, so pages render in parallel.

pub mod admin;
pub mod calendar;
pub mod context;
pub mod documents;
pub mod feed_links;
pub mod format;
pub mod generated;
pub mod locale;
pub mod schedule;
pub mod stylesheet;

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;
use tera::Tera;

use crate::fingerprint::{Fingerprint, FingerprintWriter};

use crate::diagnostics::Diagnostic;
use crate::site::archive::PeriodRef;
use crate::site::model::Site;
use crate::site::plan::{ListKind, PageKind, PagePlan, PlannedPage};
use crate::theme::Theme;
use context::{Calendar, Views};
pub use context::{Cards, card_print};
use locale::Locale;
use stylesheet::Stylesheet;

/// The templates a theme must have, one per kind of page.
pub const TEMPLATES: [&str; 8] = [
    "home.html",
    "article.html",
    "list.html",
    "taxonomies.html",
    "archive.html",
    "sitemap.html",
    "search.html",
    "404.html",
];

/// The templates a theme must have when the site has documents.
pub const DOCUMENT_TEMPLATES: [&str; 2] = ["register.html", "document.html"];

/// Room for a typical page, so that its buffer seldom grows.
pub const PAGE_CAPACITY: usize = 32 * 1024;

pub struct Renderer {
    tera: Tera,
    /// Fingerprint of what every page shares: the templates, the words, the site
    /// (`None` if it could not be taken: then every page is rendered).
    shared: Option<Fingerprint>,
    /// Where each template came from, for messages.
    origins: Vec<(String, String)>,
    locale: Locale,
    cards: Cards,
    stylesheet: Stylesheet,
    /// The archive's navigation around each year and month, made when a page of
    /// it is first rendered: all pages of a period show the same (a month's dozens
    /// of pages would otherwise each make its calendar again). Days, with a page
    /// or two each and thousands of them, are not kept.
    archive_navs: Mutex<HashMap<PeriodRef, tera::Value>>,
    /// Months' calendars, which every day page of the month shows.
    month_calendars: Mutex<HashMap<(usize, usize), Calendar>>,
    /// Each document's row in the register's tables and the links to every
    /// facet beside them, made when a page of the register first shows them:
    /// a document is listed on five pages (the register's and its four
    /// facets'), and every page lists every facet.
    register_rows: Vec<OnceLock<documents::RegisterRow>>,
    register_facets: OnceLock<tera::Value>,
    register_facets_print: OnceLock<Option<Fingerprint>>,
    /// The schedule's lists of weeks by year, made when a page of it is first
    /// rendered: every week page of a year shows the same list.
    schedule_years: OnceLock<Vec<schedule::YearList>>,
}

impl Renderer {
    /// Compiles the theme's templates and reads its language file; every problem
    /// is reported.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        Self::with_cards(theme, site, Cards::new)
    }

    /// [`Renderer::new`] for a site whose cards' fingerprints are known (`prints`,
    /// in the model's order): no card is made before a page shows it.
    pub fn with_card_prints(
        theme: &Theme,
        site: &Site,
        prints: Vec<Fingerprint>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        Self::with_cards(theme, site, |views| Cards::with_prints(views, prints))
    }

    fn with_cards(
        theme: &Theme,
        site: &Site,
        cards: impl FnOnce(Views) -> Cards,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        let origins: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let templates = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(e) = tera.add_raw_templates(templates) {
            let origin = origin_in_error(&origins, &e).unwrap_or_else(|| "themes".to_string());
            problems.push(
                Diagnostic::error(
                    origin,
                    format!("the template does not compile: {}", error_chain(&e)),
                )
                .with_hint("see the Tera template syntax: https://keats.github.io/tera/docs/"),
            );
        }
        for required in TEMPLATES {
            if !origins.iter().any(|(name, _)| name == required) {
                problems.push(Diagnostic::error(
                    "themes",
                    format!("the theme has no `{required}` template"),
                ));
            }
        }
        if !site.documents.is_empty() {
            for required in DOCUMENT_TEMPLATES {
                if !origins.iter().any(|(name, _)| name == required) {
                    problems.push(
                        Diagnostic::error(
                            "themes",
                            format!("the theme has no `{required}` template, which the site's documents need"),
                        )
                        .with_hint("copy it from bantin's default theme"),
                    );
                }
            }
        }
        let code = site.config.language.code();
        let locale = match theme.languages.iter().find(|l| l.name == code) {
            Some(file) => Locale::parse(&file.text, &file.origin)
                .map_err(|d| problems.push(d))
                .ok(),
            None => {
                problems.push(
                    Diagnostic::error(
                        "site.yaml",
                        format!("the theme has no language file for `language: {code}`"),
                    )
                    .with_hint(format!("add languages/{code}.yaml to the theme")),
                );
                None
            }
        };
        let (Some(locale), true) = (locale, problems.is_empty()) else {
            return Err(problems);
        };
        let stylesheet = Stylesheet::of(theme, &site.config);
        let views = Views {
            site,
            locale: &locale,
        };
        // Every page's: without counts, which the pages that show them add.
        let site_view = views.site_view(stylesheet.link(&site.config), false);
        tera.global_context().insert("site", &site_view);
        tera.global_context().insert("words", &locale.words);
        let mut shared = FingerprintWriter::new();
        for t in &theme.templates {
            shared.add(t.name.as_bytes());
            shared.add(t.text.as_bytes());
        }
        // The language file: words, and how dates and periods are named.
        for file in &theme.languages {
            shared.add(file.name.as_bytes());
            shared.add(file.text.as_bytes());
        }
        let shared = (shared.add_value(&site_view).is_ok()
            && shared.add_value(&locale.words).is_ok())
        .then(|| shared.finish());
        let cards = cards(views);
        Ok(Renderer {
            tera,
            shared,
            origins,
            cards,
            stylesheet,
            locale,
            archive_navs: Mutex::default(),
            month_calendars: Mutex::default(),
            register_rows: (0..site.documents.documents.len())
                .map(|_| OnceLock::new())
                .collect(),
            register_facets: OnceLock::new(),
            register_facets_print: OnceLock::new(),
            schedule_years: OnceLock::new(),
        })
    }

    /// [`Views::archive_nav`], made once a year or month; a day's with its
    /// month's calendar made once.
    fn archive_nav(&self, views: &Views, at: PeriodRef) -> tera::Value {
        if let PeriodRef::Day(y, m, _) = at {
            let made = (self.month_calendars.lock().ok())
                .and_then(|calendars| calendars.get(&(y, m)).cloned());
            let calendar = made.unwrap_or_else(|| {
                let calendar = views.calendar(y, m);
                if let Ok(mut calendars) = self.month_calendars.lock() {
                    calendars.insert((y, m), calendar.clone());
                }
                calendar
            });
            return tera::Value::from_serializable(&views.archive_nav_with(at, Some(calendar)));
        }
        let made = self
            .archive_navs
            .lock()
            .ok()
            .and_then(|navs| navs.get(&at).cloned());
        if let Some(nav) = made {
            return nav;
        }
        let nav = tera::Value::from_serializable(&views.archive_nav(at));
        if let Ok(mut navs) = self.archive_navs.lock() {
            navs.insert(at, nav.clone());
        }
        nav
    }

    /// `schedule_years`: the weeks of year `only`, or of every year.
    fn insert_schedule_years(&self, ctx: &mut PageContext, views: &Views, only: Option<i16>) {
        let lists = self.schedule_years.get_or_init(|| views.year_lists());
        let shown: Vec<&schedule::YearList> = lists
            .iter()
            .filter(|list| only.is_none_or(|year| list.year == year))
            .collect();
        let prints: Option<Vec<_>> = shown.iter().map(|l| l.print).collect();
        let Some(prints) = prints else {
            return ctx.insert("schedule_years", &views.schedule_years(only));
        };
        ctx.insert_made_of(
            "schedule_years",
            |print| prints.iter().for_each(|p| print.add(&p.to_le_bytes())),
            || shown.iter().map(|l| l.view.clone()).collect::<Vec<_>>(),
        );
    }

    /// Views of the register in the site's language.
    fn document_views<'a>(&'a self, site: &'a Site) -> documents::DocumentViews<'a> {
        documents::DocumentViews {
            site,
            locale: &self.locale,
            rows: &self.register_rows,
            facets: &self.register_facets,
            facets_print: &self.register_facets_print,
            row_template: self
                .tera
                .contains_template(documents::ROW_TEMPLATE)
                .then_some(&self.tera),
        }
    }

    /// `category.html` or `tag.html` when the theme has them, else `list.html`.
    fn list_template(&self, list: ListKind) -> &'static str {
        let specific = match list {
            ListKind::Category(_) => "category.html",
            ListKind::Tag(_) => "tag.html",
            _ => return "list.html",
        };
        if self.tera.contains_template(specific) {
            specific
        } else {
            "list.html"
        }
    }

    /// Makes the card of article `index` of `site` anew (the article was
    /// edited); returns whether its fingerprint changed.
    pub fn renew_card(&mut self, site: &Site, index: usize) -> bool {
        let views = Views {
            site,
            locale: &self.locale,
        };
        self.cards.renew(views, index)
    }

    /// Every article's card (the memo keeps their prints).
    pub fn cards(&self) -> &Cards {
        &self.cards
    }

    /// The stylesheet to publish beside the pages.
    pub fn stylesheet(&self) -> &Stylesheet {
        &self.stylesheet
    }

    /// Renders one planned page to its bytes.
    pub fn render(
        &self,
        site: &Site,
        plan: &PagePlan,
        page: &PlannedPage,
    ) -> Result<Vec<u8>, Diagnostic> {
        match self.prepare(site, plan, page, PageContext::new(true, None)) {
            Prepared::Made(bytes) => Ok(bytes),
            Prepared::Failed(problem) => Err(problem),
            Prepared::Template(template, ctx) => {
                let mut page_bytes = Vec::with_capacity(PAGE_CAPACITY);
                self.render_template(template, &ctx, page, &mut page_bytes)?;
                Ok(page_bytes)
            }
        }
    }

    /// Renders one planned page into `page_bytes` (emptied first): a build reuses
    /// one buffer for many pages instead of allocating and growing one a page.
    pub fn render_into(
        &self,
        site: &Site,
        plan: &PagePlan,
        page: &PlannedPage,
        page_bytes: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        page_bytes.clear();
        match self.prepare(site, plan, page, PageContext::new(true, None)) {
            Prepared::Made(bytes) => {
                page_bytes.extend_from_slice(&bytes);
                Ok(())
            }
            Prepared::Failed(problem) => Err(problem),
            Prepared::Template(template, ctx) => {
                self.render_template(template, &ctx, page, page_bytes)
            }
        }
    }

    /// Renders one planned page to its bytes and fingerprints it in one go (a
    /// first build, with no fingerprints to compare): the fingerprint
    /// [`Renderer::fingerprint`] would give, or the bytes' own.
    pub fn render_printed(
        &self,
        site: &Site,
        plan: &PagePlan,
        page: &PlannedPage,
    ) -> Result<(Vec<u8>, Fingerprint), Diagnostic> {
        match self.prepare(site, plan, page, PageContext::new(true, Some(self.shared))) {
            Prepared::Made(bytes) => {
                let print = crate::fingerprint::fingerprint(&bytes);
                Ok((bytes, print))
            }
            Prepared::Failed(problem) => Err(problem),
            Prepared::Template(template, mut ctx) => {
                let mut bytes = Vec::with_capacity(PAGE_CAPACITY);
                self.render_template(template, &ctx, page, &mut bytes)?;
                let print = ctx
                    .finish_print(template)
                    .unwrap_or_else(|| crate::fingerprint::fingerprint(&bytes));
                Ok((bytes, print))
            }
        }
    }

    fn render_template(
        &self,
        template: &'static str,
        ctx: &PageContext,
        page: &PlannedPage,
        page_bytes: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        // Into bytes directly: `render` would check the whole page is UTF-8 again.
        self.tera
            .render_to(template, &ctx.context, page_bytes)
            .map_err(|e| {
                Diagnostic::error(
                    self.origin(template),
                    format!("rendering {} failed: {}", page.path, error_chain(&e)),
                )
            })
    }

    /// Where `template` came from, for messages.
    fn origin(&self, template: &str) -> String {
        self.origins
            .iter()
            .find(|(name, _)| name == template)
            .map_or_else(|| template.to_string(), |(_, o)| o.clone())
    }

    /// What identifies the bytes of a page without rendering it: the same
    /// fingerprint means the same bytes.
    pub fn fingerprint(&self, site: &Site, plan: &PagePlan, page: &PlannedPage) -> PagePrint {
        match self.prepare(site, plan, page, PageContext::new(false, Some(self.shared))) {
            Prepared::Made(bytes) => PagePrint::Made(bytes),
            Prepared::Template(template, mut ctx) => PagePrint::Context(ctx.finish_print(template)),
            // Rendering the page tells what failed.
            Prepared::Failed(_) => PagePrint::Context(None),
        }
    }

    /// Puts what the page shows into `ctx`, and names its template; or makes a
    /// page that is not the theme's.
    fn prepare(
        &self,
        site: &Site,
        plan: &PagePlan,
        page: &PlannedPage,
        mut ctx: PageContext,
    ) -> Prepared {
        let views = Views {
            site,
            locale: &self.locale,
        };
        let word = |key: &str| self.locale.word(key).to_string();
        if page.kind.shows_counts() {
            let counted = views.site_view(self.stylesheet.link(&site.config), true);
            ctx.insert("site", &counted);
        }
        let (template, page_view) = match &page.kind {
            PageKind::Article(i) => {
                let article = &site.articles[*i];
                // The article's view is its card's and its body.
                ctx.insert_made_of(
                    "article",
                    |print| {
                        print.add(&self.cards.print(*i).to_le_bytes());
                        print.add(&article.body_print.to_le_bytes());
                    },
                    || self.cards.with_body(views, *i, &article.body_html),
                );
                ctx.insert("related", &views.neighbours(&self.cards, *i));
                let mut view = views.page(&page.path, "article", article.title.clone());
                view.description = &article.summary;
                view.image = article.image.as_ref().map(|i| absolute_image(site, i));
                view.date_iso = Some(format::iso(&article.date));
                view.author = article.author.as_deref();
                ("article.html", view)
            }
            PageKind::List(list) => {
                let view = views.list(&self.cards, list);
                let title = match (list.list, list.number) {
                    (ListKind::News, 1) => site.config.title.clone(),
                    (_, 1) => view.name.clone(),
                    (_, n) => format!("{} - {} {n}", view.name, word("page")),
                };
                if let ListKind::Archive(at) = list.list {
                    // Known by what it shows (its periods and the month's
                    // days with their counts): a new article changes the
                    // navigation of its own month and day alone.
                    ctx.insert_made_of(
                        "archive",
                        // Printing into memory cannot fail.
                        |print| drop(print.add_value(&views.archive_nav(at))),
                        || self.archive_nav(&views, at),
                    );
                }
                ctx.insert("most_read", &views.most_read(&self.cards, list.list));
                ctx.insert("list", &view);
                if (list.list, list.number) == (ListKind::News, 1) {
                    ctx.insert("featured", &views.featured(&self.cards));
                    if !site.documents.is_empty() {
                        ctx.insert("newest_documents", &self.document_views(site).newest());
                    }
                    ctx.insert("schedule_week", &views.home_week());
                    ("home.html", views.page(&page.path, "home", title))
                } else {
                    (
                        self.list_template(list.list),
                        views.page(&page.path, "list", title),
                    )
                }
            }
            PageKind::Taxonomies => (
                "taxonomies.html",
                views.page(&page.path, "taxonomies", word("categories_and_tags")),
            ),
            PageKind::ArchiveIndex => (
                "archive.html",
                views.page(&page.path, "archive_index", word("archive")),
            ),
            PageKind::SiteMap => (
                "sitemap.html",
                views.page(&page.path, "site_map", word("site_map")),
            ),
            PageKind::Search => (
                "search.html",
                views.page(&page.path, "search", word("search")),
            ),
            PageKind::NotFound => (
                "404.html",
                views.page(&page.path, "not_found", word("not_found")),
            ),
            PageKind::ScheduleIndex => {
                ctx.insert("week", &views.current_week());
                self.insert_schedule_years(&mut ctx, &views, None);
                (
                    "schedule.html",
                    views.page(&page.path, "schedule", word("schedule")),
                )
            }
            PageKind::ScheduleWeek(w) => {
                let week = views.schedule_week(*w);
                let title = week.title.clone();
                ctx.insert("week", &week);
                // Its own year's weeks (the index lists them all): ten years
                // of weeks on each of ten years' pages would be most of the build.
                let year = site.schedule.weeks[*w].number.year;
                self.insert_schedule_years(&mut ctx, &views, Some(year));
                (
                    "schedule_week.html",
                    views.page(&page.path, "schedule_week", title),
                )
            }
            PageKind::ScheduleCalendar(leader) => {
                let ics = calendar::schedule_calendar(site, *leader, &self.locale);
                return Prepared::Made(ics.into_bytes());
            }
            PageKind::Feed(category) => {
                return Prepared::Made(generated::atom_feed(site, *category).into_bytes());
            }
            PageKind::SitemapXml(part) => {
                return Prepared::Made(generated::sitemap(site, plan, part).into_bytes());
            }
            PageKind::Robots => return Prepared::Made(generated::robots(site).into_bytes()),
            PageKind::PublishedUrls => {
                return Prepared::Made(generated::published_urls(site, plan).into_bytes());
            }
            PageKind::Alias(i) => {
                return Prepared::Made(generated::alias_redirect(site, *i).into_bytes());
            }
            PageKind::Register(register) => {
                let document_views = self.document_views(site);
                let view = match document_views.register(register) {
                    Ok(view) => view,
                    Err(error) => {
                        let origin = self.origin(documents::ROW_TEMPLATE);
                        let message = format!("rendering {} failed: {error}", page.path);
                        return Prepared::Failed(Diagnostic::error(origin, message));
                    }
                };
                let title = match register.number {
                    1 => view.name.clone(),
                    n => format!("{} - {} {n}", view.name, word("page")),
                };
                let print = ctx.printing.then(|| document_views.register_print(&view));
                ctx.insert_printed("list", &view, print.flatten());
                ("register.html", views.page(&page.path, "register", title))
            }
            PageKind::Document(i) => {
                let document = &site.documents.documents[*i];
                let (view, print) = self.document_views(site).page(*i, ctx.printing);
                ctx.insert_printed("document", &view, print);
                let mut view = views.page(
                    &page.path,
                    "document",
                    format!("{} {}", document.kind, document.number),
                );
                view.description = &document.title;
                view.date_iso = Some(document.issued.date().to_string());
                view.author = Some(&document.issuer);
                ("document.html", view)
            }
            PageKind::DocumentAlias(i) => {
                return Prepared::Made(documents::document_redirect(site, *i).into_bytes());
            }
            PageKind::DocumentFeed => {
                return Prepared::Made(documents::document_feed(site, &self.locale).into_bytes());
            }
            PageKind::DocumentIndex => {
                return Prepared::Made(documents::document_index(site, &self.locale).into_bytes());
            }
            PageKind::Editor => {
                let folders = admin::article_folders(site);
                let html = admin::index_html(&site.config, &folders, &self.stylesheet.file, None);
                return Prepared::Made(html.into_bytes());
            }
            PageKind::EditorConfig => {
                return Prepared::Made(admin::published_config(site).into_bytes());
            }
        };
        ctx.insert("page", &page_view);
        Prepared::Template(template, Box::new(ctx))
    }
}

/// A page with its context, or made already, or what kept it from being made.
enum Prepared {
    Template(&'static str, Box<PageContext>),
    Made(Vec<u8>),
    Failed(Diagnostic),
}

/// What identifies a page's bytes.
pub enum PagePrint {
    /// A page of the theme, by the fingerprint of its template and context
    /// (`None` if the context could not be fingerprinted: render it to know).
    Context(Option<Fingerprint>),
    /// A page made in Rust (feeds, sitemaps, redirects), by its bytes, which are
    /// cheaper to make than to describe.
    Made(Vec<u8>),
}

/// What a page's template receives: put into a template context to render it,
/// or into a fingerprint to tell whether it changed.
struct PageContext {
    context: tera::Context,
    fingerprint: FingerprintWriter,
    rendering: bool,
    printing: bool,
    /// Whether the fingerprint covers everything (else it means nothing).
    exact: bool,
}

impl PageContext {
    /// A context for rendering, or fingerprinting (`shared`: the renderer's
    /// fingerprint, itself possibly not taken), or both.
    fn new(rendering: bool, shared: Option<Option<Fingerprint>>) -> Self {
        let mut fingerprint = FingerprintWriter::new();
        let shared_print = shared.flatten();
        fingerprint.add(&shared_print.unwrap_or_default().to_le_bytes());
        PageContext {
            context: tera::Context::new(),
            fingerprint,
            rendering,
            printing: shared.is_some(),
            exact: shared_print.is_some(),
        }
    }

    fn insert(&mut self, key: &'static str, value: &impl serde::Serialize) {
        if self.rendering {
            self.context.insert(key, value);
        }
        if self.printing {
            self.fingerprint.add(key.as_bytes());
            self.exact &= self.fingerprint.add_value(value).is_ok();
        }
    }

    /// Inserts `value`, known by `print` (`None`: it could not be taken).
    fn insert_printed(
        &mut self,
        key: &'static str,
        value: &impl serde::Serialize,
        print: Option<Fingerprint>,
    ) {
        if self.rendering {
            self.context.insert(key, value);
        }
        if self.printing {
            self.fingerprint.add(key.as_bytes());
            match print {
                Some(print) => self.fingerprint.add(&print.to_le_bytes()),
                None => self.exact = false,
            }
        }
    }

    /// The fingerprint of the page made with `template` from this context, if
    /// everything in it could be fingerprinted.
    fn finish_print(&mut self, template: &str) -> Option<Fingerprint> {
        self.fingerprint.add(template.as_bytes());
        self.exact.then(|| self.fingerprint.finish())
    }

    /// Inserts a value that is costly to make but known to be made of inputs
    /// that `inputs` adds to the fingerprint (made only when rendering).
    fn insert_made_of<T: serde::Serialize>(
        &mut self,
        key: &'static str,
        inputs: impl FnOnce(&mut FingerprintWriter),
        make: impl FnOnce() -> T,
    ) {
        if self.rendering {
            self.context.insert(key, &make());
        }
        if self.printing {
            self.fingerprint.add(key.as_bytes());
            inputs(&mut self.fingerprint);
        }
    }
}

/// An image link made absolute for Open Graph (`/images/a.jpg` -> `https://…`).
fn absolute_image(site: &Site, link: &str) -> String {
    // Only a site path takes the site's address: `https://…` and
    // `data:image/…` are whole already.
    if link.contains("://") || !link.starts_with('/') || link.starts_with("//") {
        return link.to_string();
    }
    let path = link.strip_prefix(site.config.base_path()).unwrap_or(link);
    site.config.absolute_url(path)
}

/// Tera nests the useful part of its messages in the error's sources.
fn error_chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ").replace('\n', " ")
}

fn origin_in_error(origins: &[(String, String)], err: &tera::Error) -> Option<String> {
    let text = error_chain(err);
    origins
        .iter()
        .find(|(name, _)| {
            text.contains(&format!("--> {name}:")) || text.contains(&format!("'{name}'"))
        })
        .map(|(_, origin)| origin.clone())
}
