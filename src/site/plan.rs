//! The page plan: every page the site will have, its path and the data it shows,
//! decided before anything is rendered, so rendering is a parallel map over it.
//!
//! What a page shows is decided here and nowhere else: which articles a list,
//! feed, home page block or "Tin mới hơn" list holds ([`feed_entries`],
//! [`featured`], [`most_read`], [`Site::neighbours`]), and, for each page, every
//! article it shows and how ([`PlannedPage::shows`]). The renderer takes its
//! articles from these, and a rebuild asks [`PlannedPage::shows`] which pages an
//! edit touches. A new kind of page is added here and in the renderer only.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::archive::{PeriodRef, period_path};
use super::documents::{FacetKind, NEWEST_DOCUMENTS};
use super::model::{Site, Taxon};
use super::schedule::{CALENDAR_PATH, SCHEDULE_PATH};
use crate::content::document::DOCUMENTS_DIR;
use crate::content::sources::display_path;
use crate::content::sources::safe_relative;
use crate::content::text::{shorten, to_nfc};
use crate::content::week::SCHEDULE_DIR;
use crate::diagnostics::Diagnostic;

/// Entries of one sitemap file: the limit search engines accept.
pub const SITEMAP_LIMIT: usize = 50_000;

/// The record of the addresses a build published, in the output folder.
pub const PUBLISHED_URLS: &str = "published-urls.txt";

/// Articles in a feed.
pub const FEED_ENTRIES: usize = 50;

/// Articles in each featured category's block on the home page.
pub const FEATURED_ARTICLES: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlannedPage {
    /// Site path: `/dan-van/tong-ket/` (a folder, written as its index.html) or
    /// `/feed.xml` (a file).
    pub path: String,
    pub kind: PageKind,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PageKind {
    /// Index into [`Site::articles`].
    Article(usize),
    /// One page of a list of articles.
    List(ListPage),
    /// `/tags/`: every category and tag.
    Taxonomies,
    /// `/archive/`: every year and month, for "Xem theo ngày".
    ArchiveIndex,
    /// `/so-do-trang/`: the human sitemap.
    SiteMap,
    /// `/search/`: the search page.
    Search,
    /// An Atom feed of the whole site (`None`) or of a category.
    Feed(Option<usize>),
    /// `/sitemap.xml` with the planned pages in `entries` (indices into the plan),
    /// or, for a large site, the index of the numbered sitemap files.
    SitemapXml(SitemapPart),
    Robots,
    /// `/published-urls.txt`: every address this build publishes and the file
    /// it comes from, for the next build to tell which ones vanished.
    PublishedUrls,
    /// A redirect from an old URL to the article (index into [`Site::articles`]).
    Alias(usize),
    NotFound,
    /// One page of the register of documents, or of one of its facets.
    Register(RegisterPage),
    /// A document's page (index into the register's documents).
    Document(usize),
    /// A redirect from an old URL to a document (index into the register's documents).
    DocumentAlias(usize),
    /// `/van-ban/feed.xml`: the Atom feed of the newest documents.
    DocumentFeed,
    /// `/van-ban/index.json`: the register as open data.
    DocumentIndex,
    /// `/admin/`: the editor in the browser (Decap CMS), with `cms:` in site.yaml.
    Editor,
    /// `/admin/config.yml`: the editor's configuration.
    EditorConfig,
    /// `/lich-cong-tac/`: the current week of the work schedule, and every week.
    ScheduleIndex,
    /// `/lich-cong-tac/<yyyy>/tuan-<ww>/`: one week (index into the
    /// schedule's weeks).
    ScheduleWeek(usize),
    /// The schedule as iCalendar: every item (`None`, `/lich-cong-tac/lich.ics`)
    /// or one leader's (index into the schedule's leaders).
    ScheduleCalendar(Option<usize>),
}

impl PageKind {
    /// Whether the page shows how many articles each category, tag and period
    /// of the archive has (`site.categories[].count`…): the home page's date
    /// picker, the lists of categories and tags, the site map and the archive.
    /// No other page is given the counts, so no other changes with them.
    pub fn shows_counts(&self) -> bool {
        match self {
            PageKind::List(list) => list.list == ListKind::News && list.number == 1,
            PageKind::Taxonomies | PageKind::ArchiveIndex | PageKind::SiteMap => true,
            PageKind::Article(_)
            | PageKind::Search
            | PageKind::Feed(_)
            | PageKind::SitemapXml(_)
            | PageKind::Robots
            | PageKind::PublishedUrls
            | PageKind::Alias(_)
            | PageKind::NotFound
            | PageKind::Register(_)
            | PageKind::Document(_)
            | PageKind::DocumentAlias(_)
            | PageKind::DocumentFeed
            | PageKind::DocumentIndex
            | PageKind::Editor
            | PageKind::EditorConfig
            | PageKind::ScheduleIndex
            | PageKind::ScheduleWeek(_)
            | PageKind::ScheduleCalendar(_) => false,
        }
    }
}

/// Which documents a page of the register lists, newest `issued` first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RegisterList {
    /// Every document: `/van-ban/`.
    All,
    /// One form, issuing body, field or year (index into its facets):
    /// `/van-ban/loai/quyet-dinh/`.
    Facet(FacetKind, usize),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegisterPage {
    pub list: RegisterList,
    /// 1-based page number.
    pub number: usize,
    pub total_pages: usize,
    /// The slice of the list's documents on this page.
    pub items: Range<usize>,
}

impl RegisterList {
    /// Site path of the list's first page.
    pub fn first_path(self, site: &Site) -> String {
        match self {
            RegisterList::All => format!("/{DOCUMENTS_DIR}/"),
            RegisterList::Facet(kind, i) => site.documents.facets(kind)[i].url.clone(),
        }
    }

    /// The list's documents, as indices into the register, newest first.
    pub fn documents(self, site: &Site) -> ListArticles<'_> {
        match self {
            RegisterList::All => ListArticles::All(site.documents.documents.len()),
            RegisterList::Facet(kind, i) => {
                ListArticles::Some(&site.documents.facets(kind)[i].documents)
            }
        }
    }
}

/// The documents of the home page's "Văn bản mới" block: the newest issued.
pub fn newest_documents(site: &Site) -> Range<usize> {
    0..site.documents.documents.len().min(NEWEST_DOCUMENTS)
}

/// The documents of `/van-ban/feed.xml`: the newest issued.
pub fn document_feed_entries(site: &Site) -> Range<usize> {
    0..site.documents.documents.len().min(FEED_ENTRIES)
}

/// The document whose dates say when a page of the register last changed: its
/// own, or a register page's newest.
pub fn document_last_modified(site: &Site, page: &PlannedPage) -> Option<usize> {
    match &page.kind {
        PageKind::Document(i) => Some(*i),
        PageKind::Register(list) => list
            .list
            .documents(site)
            .slice(list.items.clone())
            .first()
            .copied(),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SitemapPart {
    /// All pages in one file.
    Whole(Range<usize>),
    /// `/sitemap.xml` naming the numbered files.
    Index(usize),
    /// `/sitemap-N.xml`: a slice of the pages.
    Numbered(Range<usize>),
}

/// Which articles a list shows, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ListKind {
    /// All articles: `/`.
    News,
    /// Index into [`Site::categories`]: `/<category-slug>/`.
    Category(usize),
    /// Index into [`Site::tags`]: `/tags/<tag-slug>/`.
    Tag(usize),
    /// A year, month or day of the archive: `/archive/2014/01/17/`.
    Archive(PeriodRef),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListPage {
    pub list: ListKind,
    /// 1-based page number.
    pub number: usize,
    pub total_pages: usize,
    /// The slice of the list's articles on this page.
    pub items: Range<usize>,
}

impl ListKind {
    /// Site path of the list's first page.
    pub fn first_path(self, site: &Site) -> String {
        match self {
            ListKind::News => "/".to_string(),
            ListKind::Category(i) => site.categories[i].url.clone(),
            ListKind::Tag(i) => site.tags[i].url.clone(),
            ListKind::Archive(at) => {
                let (y, m, d) = site.archive.numbers(at);
                period_path(y, m, d)
            }
        }
    }

    /// The list's articles, as indices into [`Site::articles`], newest first.
    pub fn articles(self, site: &Site) -> ListArticles<'_> {
        match self {
            ListKind::News => ListArticles::All(site.articles.len()),
            ListKind::Category(i) => ListArticles::Some(&site.categories[i].articles),
            ListKind::Tag(i) => ListArticles::Some(&site.tags[i].articles),
            ListKind::Archive(at) => ListArticles::Some(&site.archive.period(at).articles),
        }
    }
}

/// A list's articles without copying the full list (0..n for the news).
#[derive(Debug, Clone, Copy)]
pub enum ListArticles<'a> {
    All(usize),
    Some(&'a [usize]),
}

impl ListArticles<'_> {
    pub fn len(&self) -> usize {
        match self {
            ListArticles::All(n) => *n,
            ListArticles::Some(list) => list.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn first(&self) -> Option<usize> {
        match self {
            ListArticles::All(0) => None,
            ListArticles::All(_) => Some(0),
            ListArticles::Some(list) => list.first().copied(),
        }
    }

    pub fn slice(&self, range: Range<usize>) -> Vec<usize> {
        match self {
            ListArticles::All(_) => range.collect(),
            ListArticles::Some(list) => list[range].to_vec(),
        }
    }
}

/// How a page shows an article: which of its parts the page is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Shown {
    /// Its card: title, address, dates, summary, lead image, category, tags, views.
    Card,
    /// Its own page: its card and its whole body.
    Page,
    /// An entry of a feed: its card's fields and its whole body.
    FeedEntry,
    /// A sitemap's line for another page: when that page last changed (the
    /// article's dates).
    LastModified,
    /// A sitemap's line for its own page: its address and dates.
    SitemapEntry,
    /// A redirect from an old address: its address and title.
    Redirect,
}

impl Shown {
    /// Whether a page that shows an article so shows its body.
    pub fn body(self) -> bool {
        matches!(self, Shown::Page | Shown::FeedEntry)
    }

    /// Whether a page that shows an article so shows what `change` changed of it.
    pub fn shows_change(self, change: ArticleChange) -> bool {
        match self {
            Shown::Card | Shown::Redirect => change.card,
            Shown::Page | Shown::FeedEntry => change.card || change.body,
            Shown::LastModified => change.dates,
            Shown::SitemapEntry => change.dates || change.address,
        }
    }
}

/// What changed of an article that kept its place in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleChange {
    /// Anything its card shows (title, dates, summary, lead image, …).
    pub card: bool,
    /// Its body's HTML.
    pub body: bool,
    /// Its date or date of update.
    pub dates: bool,
    /// Its address (its page moved).
    pub address: bool,
}

impl PlannedPage {
    /// The page of article `i`, at its address.
    pub fn article(site: &Site, i: usize) -> PlannedPage {
        PlannedPage {
            path: site.articles[i].url.clone(),
            kind: PageKind::Article(i),
        }
    }

    /// Every article this page shows, and how. Besides these, every page shows
    /// the site: its settings, categories, tags and archive (their names and
    /// counts), and sitemaps show the plan's paths.
    ///
    /// Exhaustive for each kind of page: the renderer takes its articles only
    /// from the same functions, so an edit to an article leaves unchanged every
    /// page that does not list it here.
    pub fn shows(&self, site: &Site, plan: &PagePlan) -> Vec<(usize, Shown)> {
        let cards = |list: &[usize]| list.iter().map(|&i| (i, Shown::Card)).collect::<Vec<_>>();
        match &self.kind {
            PageKind::Article(i) => {
                let (newer, older) = site.neighbours(*i);
                let mut shows = vec![(*i, Shown::Page)];
                shows.extend(cards(newer));
                shows.extend(cards(older));
                shows
            }
            PageKind::List(page) => {
                let mut shows = cards(&page.list.articles(site).slice(page.items.clone()));
                shows.extend(cards(most_read(site, page.list)));
                if (page.list, page.number) == (ListKind::News, 1) {
                    for (_, articles) in featured(site) {
                        shows.extend(cards(articles));
                    }
                }
                shows
            }
            PageKind::Feed(category) => feed_entries(site, *category)
                .into_iter()
                .map(|i| (i, Shown::FeedEntry))
                .collect(),
            PageKind::SitemapXml(SitemapPart::Whole(range) | SitemapPart::Numbered(range)) => plan
                .pages[range.clone()]
            .iter()
            .filter_map(|page| match page.kind {
                PageKind::Article(i) => Some((i, Shown::SitemapEntry)),
                _ => last_modified(site, page).map(|i| (i, Shown::LastModified)),
            })
            .collect(),
            PageKind::Alias(i) => vec![(*i, Shown::Redirect)],
            // Every article's address (its dates along: the closest way shown).
            PageKind::PublishedUrls => (0..site.articles.len())
                .map(|i| (i, Shown::SitemapEntry))
                .collect(),
            // Documents are not articles: the register's pages show none
            // ([`PlannedPage::shows_documents`] says which documents they show).
            PageKind::Register(_)
            | PageKind::Document(_)
            | PageKind::DocumentAlias(_)
            | PageKind::DocumentFeed
            | PageKind::DocumentIndex => Vec::new(),
            // The schedule is not made of articles: its pages show none.
            PageKind::ScheduleIndex | PageKind::ScheduleWeek(_) | PageKind::ScheduleCalendar(_) => {
                Vec::new()
            }
            PageKind::SitemapXml(SitemapPart::Index(_))
            | PageKind::Taxonomies
            | PageKind::ArchiveIndex
            | PageKind::SiteMap
            | PageKind::Search
            | PageKind::Robots
            | PageKind::NotFound
            | PageKind::Editor
            | PageKind::EditorConfig => Vec::new(),
        }
    }
}

impl PlannedPage {
    /// Every document of the register this page shows (as indices into it),
    /// in any way: a row, a card, a feed entry, a relation, a sitemap line.
    /// Besides these, a page may show the register's shape (its facets, and
    /// its documents' addresses and days of issue), which [`Register::shape`]
    /// sums up.
    ///
    /// Exhaustive for each kind of page, as [`PlannedPage::shows`] is for
    /// articles: an edit to a document leaves unchanged every page that does
    /// not list it here.
    ///
    /// [`Register::shape`]: super::documents::Register::shape
    pub fn shows_documents(&self, site: &Site) -> Vec<usize> {
        let register = &site.documents;
        match &self.kind {
            PageKind::Register(page) => page.list.documents(site).slice(page.items.clone()),
            PageKind::Document(i) => {
                let d = &register.documents[*i];
                let mut shows = vec![*i];
                let relations = d.replaces.iter().chain(&d.amends);
                shows.extend(relations.filter_map(|r| r.document));
                shows.extend(d.replaced_by.iter().chain(&d.amended_by));
                shows
            }
            PageKind::DocumentAlias(i) => vec![*i],
            PageKind::DocumentFeed => document_feed_entries(site).collect(),
            PageKind::DocumentIndex => (0..register.documents.len()).collect(),
            PageKind::List(page) if (page.list, page.number) == (ListKind::News, 1) => {
                newest_documents(site).collect()
            }
            // Their addresses, and the days they were issued on (their pages'
            // and the register's pages' last change): the register's shape.
            PageKind::SitemapXml(_) | PageKind::PublishedUrls => Vec::new(),
            PageKind::List(_)
            | PageKind::Article(_)
            | PageKind::Alias(_)
            | PageKind::Feed(_)
            | PageKind::Taxonomies
            | PageKind::ArchiveIndex
            | PageKind::SiteMap
            | PageKind::Search
            | PageKind::Robots
            | PageKind::NotFound
            | PageKind::Editor
            | PageKind::EditorConfig
            | PageKind::ScheduleIndex
            | PageKind::ScheduleWeek(_)
            | PageKind::ScheduleCalendar(_) => Vec::new(),
        }
    }
}

impl PlannedPage {
    /// Whether this page shows the build's day beyond its documents' statuses
    /// (which [`PlannedPage::shows_documents`] and each document's print
    /// follow) and the schedule's current week: the home page's block of the
    /// week from today on, the open data's `as_of`, the weeks the editor
    /// offers. Made again on the first build of a day.
    pub fn shows_the_day(&self, site: &Site) -> bool {
        match &self.kind {
            PageKind::List(page) if (page.list, page.number) == (ListKind::News, 1) => {
                !site.schedule.is_empty()
            }
            PageKind::DocumentIndex | PageKind::EditorConfig => true,
            PageKind::List(_)
            | PageKind::Article(_)
            | PageKind::Alias(_)
            | PageKind::Feed(_)
            | PageKind::Taxonomies
            | PageKind::ArchiveIndex
            | PageKind::SiteMap
            | PageKind::Search
            | PageKind::Robots
            | PageKind::NotFound
            | PageKind::Editor
            | PageKind::SitemapXml(_)
            | PageKind::PublishedUrls
            | PageKind::Register(_)
            | PageKind::Document(_)
            | PageKind::DocumentAlias(_)
            | PageKind::DocumentFeed
            | PageKind::ScheduleIndex
            | PageKind::ScheduleWeek(_)
            | PageKind::ScheduleCalendar(_) => false,
        }
    }
}

/// The articles of a feed: the site's (`None`) or a category's newest.
pub fn feed_entries(site: &Site, category: Option<usize>) -> Vec<usize> {
    match category {
        None => (0..site.articles.len().min(FEED_ENTRIES)).collect(),
        Some(c) => site.categories[c]
            .articles
            .iter()
            .take(FEED_ENTRIES)
            .copied()
            .collect(),
    }
}

/// The home page's blocks: each featured category that exists, with its newest
/// articles.
pub fn featured(site: &Site) -> Vec<(&Taxon, &[usize])> {
    site.config
        .featured
        .iter()
        .filter_map(|name| site.category_named(name))
        .map(|category| {
            let shown = category.articles.len().min(FEATURED_ARTICLES);
            (category, &category.articles[..shown])
        })
        .collect()
}

/// The most read list shown beside a list: the site's beside the news, a
/// category's or tag's beside it, none beside the archive.
pub fn most_read(site: &Site, list: ListKind) -> &[usize] {
    match list {
        ListKind::News => &site.most_read,
        ListKind::Category(i) => &site.categories[i].most_read,
        ListKind::Tag(i) => &site.tags[i].most_read,
        ListKind::Archive(_) => &[],
    }
}

/// The article whose dates say when a page last changed: its own, a list
/// page's newest, else the site's newest (none for the register's pages, which
/// show documents: [`document_last_modified`]).
pub fn last_modified(site: &Site, page: &PlannedPage) -> Option<usize> {
    match &page.kind {
        PageKind::Register(_) | PageKind::Document(_) => None,
        PageKind::Article(i) => Some(*i),
        PageKind::List(list) => list
            .list
            .articles(site)
            .slice(list.items.clone())
            .first()
            .copied(),
        _ => ListKind::News.articles(site).first(),
    }
}

/// Site path of page `number` of a list whose first page is `first`.
pub fn list_page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

#[derive(Debug, Default)]
pub struct PagePlan {
    pub pages: Vec<PlannedPage>,
}

/// Plans every page of `site`. Two pages (or a page and an asset) that would be
/// written to one file are an error naming both.
pub fn plan_pages(site: &Site) -> (PagePlan, Vec<Diagnostic>) {
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    paginate(site, ListKind::News, &mut pages);
    for i in 0..site.categories.len() {
        paginate(site, ListKind::Category(i), &mut pages);
    }
    for i in 0..site.tags.len() {
        paginate(site, ListKind::Tag(i), &mut pages);
    }
    for period in site.archive.all_periods() {
        paginate(site, ListKind::Archive(period), &mut pages);
    }
    pages.extend((0..site.articles.len()).map(|i| PlannedPage::article(site, i)));
    plan_register(site, &mut pages);
    let fixed = [
        ("/tags/", PageKind::Taxonomies),
        ("/archive/", PageKind::ArchiveIndex),
        ("/so-do-trang/", PageKind::SiteMap),
    ];
    let search = site.config.search.then_some(("/search/", PageKind::Search));
    pages.extend(
        fixed
            .into_iter()
            .chain(search)
            .map(|(path, kind)| PlannedPage {
                path: path.to_string(),
                kind,
            }),
    );
    pages.extend(schedule_pages(site));
    // Everything so far is a page a reader can land on: the sitemap lists it.
    let html_pages = pages.len();
    pages.push(PlannedPage {
        path: "/404.html".to_string(),
        kind: PageKind::NotFound,
    });

    pages.extend(feed_pages(site));
    if !site.documents.is_empty() {
        for (path, kind) in [
            ("feed.xml", PageKind::DocumentFeed),
            ("index.json", PageKind::DocumentIndex),
        ] {
            pages.push(PlannedPage {
                path: format!("/{DOCUMENTS_DIR}/{path}"),
                kind,
            });
        }
    }
    pages.extend(schedule_calendars(site));
    plan_sitemaps(html_pages, &mut pages);
    pages.push(PlannedPage {
        path: "/robots.txt".to_string(),
        kind: PageKind::Robots,
    });
    pages.push(PlannedPage {
        path: format!("/{PUBLISHED_URLS}"),
        kind: PageKind::PublishedUrls,
    });
    if site.config.cms.is_some() {
        pages.push(PlannedPage {
            path: "/admin/".to_string(),
            kind: PageKind::Editor,
        });
        pages.push(PlannedPage {
            path: "/admin/config.yml".to_string(),
            kind: PageKind::EditorConfig,
        });
    }
    for (i, article) in site.articles.iter().enumerate() {
        for alias in &article.aliases {
            match alias_path(alias) {
                Some(path) => pages.push(PlannedPage { path, kind: PageKind::Alias(i) }),
                None => problems.push(
                    Diagnostic::error(display_path(&article.file), format!("the alias `{alias}` is not a path on this site"))
                        .at(article.lines.of("aliases").unwrap_or(1), 1)
                        .with_hint("write the old address as a path such as \"/Pages/tin-tuc/2014/hoi-nghi.aspx\", or as a full http(s) address"),
                ),
            }
        }
    }
    for (i, document) in site.documents.documents.iter().enumerate() {
        for alias in &document.aliases {
            match alias_path(alias) {
                Some(path) => pages.push(PlannedPage { path, kind: PageKind::DocumentAlias(i) }),
                None => problems.push(
                    Diagnostic::error(display_path(&document.file), format!("the alias `{alias}` is not a path on this site"))
                        .at(document.lines.of("aliases").unwrap_or(1), 1)
                        .with_hint("write the old address as a path such as \"/Pages/van-ban/25-2024.aspx\", or as a full http(s) address"),
                ),
            }
        }
    }
    problems.extend(collisions(site, &pages));
    (PagePlan { pages }, problems)
}

/// The register's pages (a site without documents has none): the register and
/// each facet, paginated, then every document's page.
fn plan_register(site: &Site, pages: &mut Vec<PlannedPage>) {
    let register = &site.documents;
    if register.is_empty() {
        return;
    }
    let mut lists = vec![RegisterList::All];
    for kind in FacetKind::ALL {
        lists.extend((0..register.facets(kind).len()).map(|i| RegisterList::Facet(kind, i)));
    }
    let per_page = site.config.paginate.max(1);
    for list in lists {
        let count = list.documents(site).len();
        let total_pages = count.div_ceil(per_page).max(1);
        let first = list.first_path(site);
        for number in 1..=total_pages {
            let start = (number - 1) * per_page;
            pages.push(PlannedPage {
                path: list_page_path(&first, number),
                kind: PageKind::Register(RegisterPage {
                    list,
                    number,
                    total_pages,
                    items: start..(start + per_page).min(count),
                }),
            });
        }
    }
    pages.extend(
        register
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| PlannedPage {
                path: d.url.clone(),
                kind: PageKind::Document(i),
            }),
    );
}

/// The schedule's index and its weeks, newest first; none without weeks.
fn schedule_pages(site: &Site) -> impl Iterator<Item = PlannedPage> + '_ {
    let weeks = &site.schedule.weeks;
    let index = (!weeks.is_empty()).then(|| PlannedPage {
        path: SCHEDULE_PATH.to_string(),
        kind: PageKind::ScheduleIndex,
    });
    index
        .into_iter()
        .chain(weeks.iter().enumerate().rev().map(|(i, week)| PlannedPage {
            path: week.url.clone(),
            kind: PageKind::ScheduleWeek(i),
        }))
}

/// The schedule's calendars: every item's, then each leader's. They show the
/// build's time (DTSTAMP), so every build makes them again.
pub fn schedule_calendars(site: &Site) -> impl Iterator<Item = PlannedPage> + '_ {
    let schedule = &site.schedule;
    let whole = (!schedule.is_empty()).then(|| PlannedPage {
        path: CALENDAR_PATH.to_string(),
        kind: PageKind::ScheduleCalendar(None),
    });
    whole.into_iter().chain(
        schedule
            .leaders
            .iter()
            .enumerate()
            .map(|(i, leader)| PlannedPage {
                path: leader.calendar.clone(),
                kind: PageKind::ScheduleCalendar(Some(i)),
            }),
    )
}

/// The Atom feeds: the site's, then each category's.
fn feed_pages(site: &Site) -> impl Iterator<Item = PlannedPage> + '_ {
    let site_feed = PlannedPage {
        path: "/feed.xml".to_string(),
        kind: PageKind::Feed(None),
    };
    let category_feeds = site
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| PlannedPage {
            path: format!("{}feed.xml", c.url),
            kind: PageKind::Feed(Some(i)),
        });
    std::iter::once(site_feed).chain(category_feeds)
}

/// Sitemaps for the first `count` planned pages: one file, or an index and
/// numbered files when there are more than a sitemap may hold.
fn plan_sitemaps(count: usize, pages: &mut Vec<PlannedPage>) {
    if count <= SITEMAP_LIMIT {
        pages.push(PlannedPage {
            path: "/sitemap.xml".to_string(),
            kind: PageKind::SitemapXml(SitemapPart::Whole(0..count)),
        });
        return;
    }
    let files = count.div_ceil(SITEMAP_LIMIT);
    pages.push(PlannedPage {
        path: "/sitemap.xml".to_string(),
        kind: PageKind::SitemapXml(SitemapPart::Index(files)),
    });
    for n in 0..files {
        let range = n * SITEMAP_LIMIT..((n + 1) * SITEMAP_LIMIT).min(count);
        pages.push(PlannedPage {
            path: format!("/sitemap-{}.xml", n + 1),
            kind: PageKind::SitemapXml(SitemapPart::Numbered(range)),
        });
    }
}

/// The site path an old URL is redirected from: the path of a full address,
/// `.html` kept as a file, anything else (`.aspx`, a folder) as a folder's
/// index.html, since static hosts serve HTML only from those. A path copied
/// from a browser's address bar is percent-encoded (`Hoi%20nghi.aspx`): the
/// host decodes a request's path before it looks for the file, so the file is
/// named decoded.
pub fn alias_path(alias: &str) -> Option<String> {
    let alias = alias.trim();
    let path = match alias.split_once("://") {
        Some((_, rest)) => &rest[rest.find('/')?..],
        None => alias,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let inner = path.trim_matches('/');
    safe_relative(inner)?;
    let lower = inner.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        Some(format!("/{inner}"))
    } else {
        Some(format!("/{inner}/"))
    }
}

fn paginate(site: &Site, list: ListKind, pages: &mut Vec<PlannedPage>) {
    let count = list.articles(site).len();
    let per_page = site.config.paginate.max(1);
    // A list with no articles still has its first page (a new site's home page).
    let total_pages = count.div_ceil(per_page).max(1);
    let first = list.first_path(site);
    for number in 1..=total_pages {
        let start = (number - 1) * per_page;
        pages.push(PlannedPage {
            path: list_page_path(&first, number),
            kind: PageKind::List(ListPage {
                list,
                number,
                total_pages,
                items: start..(start + per_page).min(count),
            }),
        });
    }
}

/// The file a site path is written to, relative to the output folder.
pub fn output_file(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        let mut file = String::with_capacity(path.len() + "index.html".len());
        file.push_str(path);
        file.push_str("index.html");
        file
    } else {
        path.to_string()
    }
}

/// The file a page comes from and what it is, in an editor's words.
fn describe(site: &Site, kind: &PageKind) -> (String, String) {
    let file = content_file(site, kind).map_or_else(|| "site.yaml".to_string(), display_path);
    let what = match kind {
        PageKind::Article(_) | PageKind::ScheduleWeek(_) => file.clone(),
        PageKind::Alias(_) | PageKind::DocumentAlias(_) => format!("an alias of {file}"),
        PageKind::Document(_) => format!("the document {file}"),
        PageKind::List(list) => match list.list {
            ListKind::News => "the news list".to_string(),
            ListKind::Category(c) => format!("the list of category `{}`", site.categories[c].name),
            ListKind::Tag(t) => format!("the list of tag `{}`", site.tags[t].name),
            ListKind::Archive(_) => "the date archive".to_string(),
        },
        PageKind::Feed(Some(c)) => format!("the feed of category `{}`", site.categories[*c].name),
        PageKind::Feed(None) => "the news feed".to_string(),
        PageKind::Taxonomies => "the list of categories and tags".to_string(),
        PageKind::ArchiveIndex => "the date archive".to_string(),
        PageKind::SiteMap => "the site map page".to_string(),
        PageKind::Search => "the search page".to_string(),
        PageKind::SitemapXml(_) => "the sitemap".to_string(),
        PageKind::Robots => "robots.txt".to_string(),
        PageKind::PublishedUrls => "the list of published addresses".to_string(),
        PageKind::NotFound => "the 404 page".to_string(),
        PageKind::Register(page) => match page.list {
            RegisterList::All => "the register of documents".to_string(),
            RegisterList::Facet(kind, i) => format!(
                "the register's page of `{}`",
                site.documents.facets(kind)[i].name
            ),
        },
        PageKind::DocumentFeed => "the feed of documents".to_string(),
        PageKind::DocumentIndex => "the register's open data".to_string(),
        PageKind::Editor | PageKind::EditorConfig => "the editor (`cms:`)".to_string(),
        PageKind::ScheduleIndex => "the work schedule".to_string(),
        PageKind::ScheduleCalendar(_) => "the work schedule's calendar".to_string(),
    };
    (file, what)
}

fn collisions(site: &Site, pages: &[PlannedPage]) -> Vec<Diagnostic> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let file = output_file(&page.path);
        let Some(&first) = owner.get(&file) else {
            owner.insert(file, i);
            continue;
        };
        if let (PageKind::Document(a), PageKind::Document(b)) = (&pages[first].kind, &page.kind) {
            let (a, b) = (&site.documents.documents[*a], &site.documents.documents[*b]);
            if a.number_key == b.number_key && a.issued.year() == b.issued.year() {
                continue; // one number twice in a year: an error of its own says so
            }
        }
        let (_, first_what) = describe(site, &pages[first].kind);
        let (path, what) = describe(site, &page.kind);
        // A category or tag named like a page of the site (`tags`, `search`):
        // named where an article gives it, not in site.yaml.
        let given_at = [&page.kind, &pages[first].kind]
            .into_iter()
            .find_map(|kind| taxon_given_at(site, kind));
        let (path, line) = match given_at {
            Some((file, line)) if path == "site.yaml" => (file, line),
            _ => (path, 1),
        };
        let (what, hint) = match page.kind {
            PageKind::Article(_) => (
                "this article".to_string(),
                "rename one of the files, or give one a `slug:` line of its own",
            ),
            PageKind::Alias(_) | PageKind::DocumentAlias(_) => (
                format!("its alias {}", page.path),
                "remove the alias: the address already belongs to a page",
            ),
            PageKind::Document(_) => (what, "give one of them a `slug:` line of its own"),
            _ => (
                what,
                "rename the category or tag so that each page has its own address",
            ),
        };
        problems.push(
            Diagnostic::error(
                path,
                format!(
                    "{what} and {first_what} would both be published at {}",
                    page.path
                ),
            )
            .at(line, 1)
            .with_hint(hint),
        );
    }
    for asset in &site.assets {
        if let Some(&page) = owner.get(&asset.rel) {
            let (_, what) = describe(site, &pages[page].kind);
            problems.push(
                Diagnostic::error(
                    display_path(&asset.rel),
                    format!(
                        "this file and {what} would both be published at /{}",
                        asset.rel
                    ),
                )
                .with_hint("move or rename the file"),
            );
        }
    }
    problems.extend(unwritable(site, pages, &owner));
    problems.extend(in_the_search_folder(site, pages));
    problems
}

/// Files of content/ in the search page's folder, where the search stage
/// writes the index and the page's script beside the page: a copied file
/// there would replace one of them (`search/search.<hash>.js`: a script of
/// anyone's on the portal's pages, past the HTML sanitiser).
fn in_the_search_folder(site: &Site, pages: &[PlannedPage]) -> Vec<Diagnostic> {
    let Some(search) = pages.iter().find(|p| matches!(p.kind, PageKind::Search)) else {
        return Vec::new();
    };
    let folder = search.path.trim_start_matches('/');
    site.assets
        .iter()
        .filter(|asset| asset.rel.starts_with(folder) && asset.rel != output_file(&search.path))
        .map(|asset| {
            Diagnostic::error(
                display_path(&asset.rel),
                format!(
                    "this file would be published in {}, the folder of the search page, its index and its script, which it could replace",
                    search.path
                ),
            )
            .with_hint("move the file to another folder of content/")
        })
        .collect()
}

/// The longest name of a file or folder on disk, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// An output file that cannot be written: a part of its path too long for a
/// file name, or a folder where another page or file is published as a file
/// (an alias `/feed.xml/`, a file `content/robots.txt/x`). Without this, the
/// writer would fail naming only the output folder.
fn unwritable(
    site: &Site,
    pages: &[PlannedPage],
    owner: &HashMap<String, usize>,
) -> Vec<Diagnostic> {
    // The files a folder could clash with: most pages are an `index.html`,
    // which no folder is named; the few others and the copied files are
    // looked up quickly in a small map.
    let files: FxHashMap<&str, Taken> = owner
        .iter()
        .filter(|(file, _)| !file.ends_with("index.html"))
        .map(|(file, &page)| (file.as_str(), Taken::Page(page)))
        .chain(
            site.assets
                .iter()
                .enumerate()
                .map(|(i, asset)| (asset.rel.as_str(), Taken::Asset(i))),
        )
        .collect();
    let mut problems = Vec::new();
    let outputs = pages
        .iter()
        .map(|page| (Some(page), page.path.trim_start_matches('/')))
        .chain(site.assets.iter().map(|asset| (None, asset.rel.as_str())));
    for (page, rel) in outputs {
        // Looked up without a string made: the plan holds every page.
        let long = rel.split('/').find(|part| part.len() > MAX_NAME_BYTES);
        let taken = rel.match_indices('/').find_map(|(i, _)| {
            let folder = &rel[..i];
            let taken = match files.get(folder) {
                Some(&taken) => Some(taken),
                None if folder.ends_with("index.html") => {
                    owner.get(folder).map(|&p| Taken::Page(p))
                }
                None => None,
            };
            taken.map(|taken| (folder, taken))
        });
        if long.is_none() && taken.is_none() {
            continue;
        }
        let (path, what, line, hint) = match page {
            Some(page) => {
                let (path, what) = describe(site, &page.kind);
                let (what, line, hint) = speak_of(site, page, what);
                (path, what, line, hint)
            }
            None => {
                let what = "this file".to_string();
                (display_path(rel), what, None, "move or rename the file")
            }
        };
        let message = match (long, taken) {
            (Some(long), _) => format!(
                "{what} would be published at an address with a part of {} bytes (`{}`): a file name holds at most {MAX_NAME_BYTES}",
                long.len(),
                shorten(long, 40)
            ),
            (None, Some((folder, taken))) => {
                let taken_by = match taken {
                    Taken::Page(page) => describe(site, &pages[page].kind).1,
                    Taken::Asset(asset) => display_path(&site.assets[asset].rel),
                };
                let file = page.map_or_else(|| rel.to_string(), |p| output_file(&p.path));
                format!(
                    "{what} would be published at /{file}, inside /{folder}/, but {taken_by} is published as the file /{folder}"
                )
            }
            (None, None) => continue,
        };
        let problem = Diagnostic::error(&path, message).with_hint(hint);
        problems.push(match line {
            Some(line) => problem.at(line, 1),
            None => problem,
        });
    }
    problems
}

/// For a category's or tag's list or feed: the file of its newest article and the
/// line that names the category or tag there.
fn taxon_given_at(site: &Site, kind: &PageKind) -> Option<(String, u32)> {
    let (taxon, field) = match kind {
        PageKind::List(list) => match list.list {
            ListKind::Category(c) => (&site.categories[c], "category"),
            ListKind::Tag(t) => (&site.tags[t], "tags"),
            _ => return None,
        },
        PageKind::Feed(Some(c)) => (&site.categories[*c], "category"),
        _ => return None,
    };
    let article = &site.articles[*taxon.articles.first()?];
    Some((
        display_path(&article.file),
        article.lines.of(field).unwrap_or(1),
    ))
}

/// What is published as a file: a page of the plan, or a copied file.
#[derive(Clone, Copy)]
enum Taken {
    Page(usize),
    Asset(usize),
}

/// How an error about where `page` is published speaks of it: as `what`
/// (from [`describe`]), at which line of its file, with which hint.
fn speak_of(site: &Site, page: &PlannedPage, what: String) -> (String, Option<u32>, &'static str) {
    match page.kind {
        PageKind::Alias(i) => (
            format!("its alias {}", shorten(&page.path, 80)),
            site.articles[i].lines.of("aliases"),
            "change or remove the alias",
        ),
        PageKind::DocumentAlias(i) => (
            format!("its alias {}", shorten(&page.path, 80)),
            site.documents.documents[i].lines.of("aliases"),
            "change or remove the alias",
        ),
        PageKind::Article(i) => (
            "this article".to_string(),
            site.articles[i].lines.of("slug").or(Some(1)),
            "give the article a short `slug:` of its own",
        ),
        PageKind::Document(i) => (
            "this document".to_string(),
            site.documents.documents[i].lines.of("slug").or(Some(1)),
            "give the document a short `slug:` of its own",
        ),
        _ => (
            what,
            None,
            "rename the category, tag or file so that each page has its own address",
        ),
    }
}

/// Every address the site publishes (its planned pages and its copied
/// content files), sorted, each with the file it comes from in an editor's
/// words (`site.yaml` for the pages made of the whole site).
pub fn published_urls<'a>(site: &'a Site, plan: &'a PagePlan) -> Vec<PublishedUrl<'a>> {
    // Borrowed, not written out: at 100,000 articles two strings an address
    // were some 30 MB on top of the build's peak.
    let mut urls: Vec<PublishedUrl> = plan
        .pages
        .iter()
        .map(|page| PublishedUrl {
            url: Cow::Borrowed(&page.path),
            from: content_file(site, &page.kind),
        })
        .chain(site.assets.iter().map(|asset| PublishedUrl {
            url: Cow::Owned(format!("/{}", asset.rel)),
            from: Some(&asset.rel),
        }))
        .collect();
    urls.sort_unstable_by(|a, b| {
        // Two files at one address (a collision, an error) are few.
        let file = |u: &PublishedUrl| [u.file().0, u.file().1].concat();
        a.url.cmp(&b.url).then_with(|| file(a).cmp(&file(b)))
    });
    urls
}

/// An address the site publishes, and the file under content/ it comes
/// from (`None`: a page made of the whole site).
pub struct PublishedUrl<'a> {
    pub url: Cow<'a, str>,
    pub from: Option<&'a str>,
}

impl PublishedUrl<'_> {
    /// The file it comes from in an editor's words (as [`describe`] tells
    /// it), in two parts: `site.yaml`, or `content/` and the file.
    pub fn file(&self) -> (&'static str, &str) {
        match self.from {
            None => ("site.yaml", ""),
            Some("") => ("content", ""),
            Some(rel) => ("content/", rel),
        }
    }
}

/// The file under content/ a page comes from (`None`: one made of the whole
/// site, which `site.yaml` stands for).
fn content_file<'a>(site: &'a Site, kind: &PageKind) -> Option<&'a str> {
    match kind {
        PageKind::Article(i) | PageKind::Alias(i) => Some(&site.articles[*i].file),
        PageKind::Document(i) | PageKind::DocumentAlias(i) => {
            Some(&site.documents.documents[*i].file)
        }
        PageKind::ScheduleWeek(w) => Some(&site.schedule.weeks[*w].file),
        _ => None,
    }
}

/// A warning for each address `last` (the record of the last build's
/// [`published_urls`]) has that came from a content file and that this
/// build does not publish: readers' bookmarks and search engines still lead there.
pub fn vanished_urls(last: &str, site: &Site, plan: &PagePlan) -> Vec<Diagnostic> {
    let now: std::collections::HashSet<&str> = plan
        .pages
        .iter()
        .map(|page| page.path.as_str())
        .chain(site.assets.iter().map(|asset| asset.rel.as_str()))
        .collect();
    let files: std::collections::HashSet<String> = site
        .articles
        .iter()
        .map(|a| display_path(&a.file))
        .chain(
            site.documents
                .documents
                .iter()
                .map(|d| display_path(&d.file)),
        )
        .collect();
    last.lines()
        .filter_map(|line| line.split_once('\t'))
        .filter(|(url, owner)| owner.starts_with("content/") && url.starts_with('/'))
        .filter(|(url, _)| !now.contains(url) && !now.contains(&url[1..]))
        // A file published under a decomposed (NFD) name by an older bantin
        // is at its NFC name now, where links lead: not gone.
        .filter(|(url, _)| {
            let nfc = to_nfc(url[1..].to_string());
            url.is_ascii() || !now.contains(nfc.as_str())
        })
        .map(|(url, owner)| vanished_url(owner, url, files.contains(owner)))
        .collect()
}

/// The warning for `url`, published by the last build from `file`, that this
/// one does not publish; `still_there`: the file is still an article.
pub fn vanished_url(file: &str, url: &str, still_there: bool) -> Diagnostic {
    let a_week = file
        .strip_prefix("content/")
        .and_then(|rel| rel.strip_prefix(SCHEDULE_DIR))
        .is_some_and(|rest| rest.starts_with('/'));
    let hint = match still_there {
        // A week's address is its file's name: there are no aliases to keep it.
        false if a_week => {
            "the week's file was renamed or deleted: put it back under its name (`2025-W27.yaml` is published at /lich-cong-tac/2025/tuan-27/)".to_string()
        }
        true => format!(
            "if the address changed on purpose, keep the old one alive: add `aliases: [\"{url}\"]` to this file's front matter"
        ),
        false => format!(
            "the file was renamed or deleted: add `aliases: [\"{url}\"]` to the article that takes its place, or put the file back"
        ),
    };
    Diagnostic::warning(
        file,
        format!("{url} was published by the last build and this one no longer publishes it"),
    )
    .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vanished_week_page_is_not_told_to_take_aliases() {
        let week = vanished_url(
            "content/lich-cong-tac/2025-W27.yaml",
            "/lich-cong-tac/2025/tuan-27/",
            false,
        );
        let hint = week.hint.unwrap_or_default();
        assert!(
            hint.starts_with("the week's file was renamed or deleted"),
            "{hint}"
        );
        assert!(!hint.contains("aliases"), "{hint}");
        let article = vanished_url("content/dan-van/a.md", "/dan-van/a/", false);
        assert!(
            article
                .hint
                .unwrap_or_default()
                .contains("aliases: [\"/dan-van/a/\"]")
        );
    }

    #[test]
    fn alias_paths() {
        assert_eq!(
            alias_path("/Pages/tin-tuc.aspx").as_deref(),
            Some("/Pages/tin-tuc.aspx/")
        );
        assert_eq!(
            alias_path("http://quan2.hochiminhcity.gov.vn/Pages/x.aspx?ItemID=12").as_deref(),
            Some("/Pages/x.aspx/")
        );
        assert_eq!(alias_path("/tin/cu.html").as_deref(), Some("/tin/cu.html"));
        assert_eq!(alias_path("/tin/cu/").as_deref(), Some("/tin/cu/"));
        assert_eq!(alias_path("/../../etc/passwd"), None);
        assert_eq!(
            alias_path("/Pages/tin-t%E1%BB%A9c/Hoi%20nghi.aspx").as_deref(),
            Some("/Pages/tin-tức/Hoi nghi.aspx/")
        );
        assert_eq!(alias_path("/%2e%2e/%2E%2E/etc/passwd"), None);
        assert_eq!(alias_path("/a%2F..%2F..%2Fb"), None);
        assert_eq!(alias_path("/a%00b/"), None);
        assert_eq!(alias_path("/a%FFb/"), None);
        assert_eq!(alias_path("https://a.vn"), None);
        assert_eq!(alias_path("/"), None);
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/dan-van/page/2/"), "dan-van/page/2/index.html");
        assert_eq!(output_file("/feed.xml"), "feed.xml");
    }
}
