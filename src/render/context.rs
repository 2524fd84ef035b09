//! What templates receive: views of the model, with links and dates ready to print.
//! `docs/themes.md` lists every variable.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use super::format;
use crate::config::Language;
use crate::site::archive::{PeriodRef, period_path};
use crate::site::model::{Article, Site, Taxon};
use crate::site::plan::{ListKind, ListPage, list_page_path};

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    /// Prefix of every link (`""` at the host's root).
    pub base_path: &'a str,
    pub categories: Vec<TaxonView<'a>>,
    pub tags: Vec<TaxonView<'a>>,
    /// Years that have articles, newest first, each with its months: the
    /// "Xem theo ngày" picker.
    pub archive_years: Vec<PeriodView>,
    pub feed_url: String,
}

#[derive(Serialize)]
pub struct TaxonView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

/// The current page: where it is and how it describes itself (for `<title>`,
/// the description, Open Graph and Dublin Core tags).
#[derive(Serialize)]
pub struct PageView<'a> {
    /// `article`, `list`, `taxonomies`, `archive_index`, `site_map` or `not_found`.
    pub kind: &'static str,
    pub url: String,
    pub permalink: String,
    pub title: String,
    pub description: &'a str,
    pub image: Option<String>,
    pub date_iso: Option<String>,
    pub author: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub date_iso: String,
    pub date_long: String,
    pub date_short: String,
    pub updated_iso: Option<String>,
    pub category: TaxonView<'a>,
    pub tags: Vec<TaxonView<'a>>,
    pub views: u64,
    pub views_text: String,
    pub summary: &'a str,
    pub author: Option<&'a str>,
    pub source: Option<&'a str>,
    pub image: Option<String>,
    /// The lead image is also in the body, so the page need not show it twice.
    pub image_in_body: bool,
    pub extra: &'a Map<String, Value>,
    /// The body's HTML; only on the article's own page.
    pub body: Option<&'a str>,
}

/// Every article as it appears in lists (an [`ArticleView`] without its body),
/// made once per build: a page's lists then share them instead of rebuilding them.
pub struct Cards(Vec<tera::Value>);

impl Cards {
    pub fn new(site: &Site) -> Cards {
        Cards(
            site.articles
                .par_iter()
                .map(|a| tera::Value::from_serializable(&article_view(site, a, false)))
                .collect(),
        )
    }

    /// The cards of `articles` (indices into the site's articles), in order.
    pub fn of(&self, articles: impl IntoIterator<Item = usize>) -> Vec<tera::Value> {
        articles.into_iter().map(|i| self.0[i].clone()).collect()
    }
}

/// The lists under an article.
#[derive(Serialize)]
pub struct Neighbours {
    /// "Tin mới hơn": the category's newer articles, nearest first.
    pub newer: Vec<tera::Value>,
    /// "Tin đã đưa": the category's older articles, nearest first.
    pub older: Vec<tera::Value>,
}

#[derive(Serialize)]
pub struct ListView {
    /// `news`, `category`, `tag`, `year`, `month` or `day`.
    pub kind: &'static str,
    pub name: String,
    pub number: usize,
    pub total_pages: usize,
    pub articles: Vec<tera::Value>,
    pub first: String,
    pub last: String,
    /// The newer page (`rel="prev"`), if any.
    pub newer: Option<String>,
    /// The older page (`rel="next"`), if any.
    pub older: Option<String>,
    /// The category's feed, on category lists.
    pub feed_url: Option<String>,
}

/// A year, month or day of the archive.
#[derive(Serialize, Clone)]
pub struct PeriodView {
    pub name: String,
    pub url: String,
    pub count: usize,
    /// Months of a year (on the archive index), newest first.
    pub months: Vec<PeriodView>,
}

/// The archive around a year, month or day page.
#[derive(Serialize)]
pub struct ArchiveNav {
    pub newer: Option<PeriodView>,
    pub older: Option<PeriodView>,
    /// Links up: the year (and month) of a month or day page.
    pub up: Vec<PeriodView>,
    /// The month's calendar, on month and day pages.
    pub calendar: Option<Calendar>,
}

/// A month as weeks from Monday to Sunday; days with articles have a link.
#[derive(Serialize)]
pub struct Calendar {
    pub name: String,
    pub weekdays: [&'static str; 7],
    /// Each week has 7 cells; `null` outside the month.
    pub weeks: Vec<Vec<Option<CalendarDay>>>,
}

#[derive(Serialize)]
pub struct CalendarDay {
    pub day: i8,
    pub url: Option<String>,
    pub count: usize,
    pub current: bool,
}

pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: &c.description,
        language: c.language.code(),
        base_url: &c.base_url,
        base_path: c.base_path(),
        categories: site
            .categories
            .iter()
            .map(|t| taxon_view(site, t))
            .collect(),
        tags: site.tags.iter().map(|t| taxon_view(site, t)).collect(),
        archive_years: archive_years(site),
        feed_url: c.link("/feed.xml"),
    }
}

pub fn page_view<'a>(
    site: &'a Site,
    path: &str,
    kind: &'static str,
    title: String,
) -> PageView<'a> {
    PageView {
        kind,
        url: site.config.link(path),
        permalink: site.config.absolute_url(path),
        title,
        description: &site.config.description,
        image: None,
        date_iso: None,
        author: None,
    }
}

pub fn taxon_view<'a>(site: &Site, taxon: &'a Taxon) -> TaxonView<'a> {
    TaxonView {
        name: &taxon.name,
        slug: &taxon.slug,
        url: site.config.link(&taxon.url),
        count: taxon.articles.len(),
    }
}

/// An article for a template; `with_body` only for its own page.
pub fn article_view<'a>(site: &'a Site, article: &'a Article, with_body: bool) -> ArticleView<'a> {
    let language = site.config.language;
    let image = article.image.as_deref();
    ArticleView {
        title: &article.title,
        url: site.config.link(&article.url),
        permalink: site.config.absolute_url(&article.url),
        date_iso: format::iso(&article.date),
        date_long: format::long_date(&article.date, language),
        date_short: format::short_date(&article.date, language),
        updated_iso: article.updated.as_ref().map(format::iso),
        category: taxon_view(site, &site.categories[article.category]),
        tags: article
            .tags
            .iter()
            .map(|&t| taxon_view(site, &site.tags[t]))
            .collect(),
        views: article.views,
        views_text: format::count(article.views, language),
        summary: &article.summary,
        author: article.author.as_deref(),
        source: article.source.as_deref(),
        image: image.map(str::to_string),
        image_in_body: image
            .is_some_and(|src| article.body_html.contains(&format!("src=\"{src}\""))),
        extra: &article.extra,
        body: with_body.then_some(article.body_html.as_str()),
    }
}

/// "Tin mới hơn" and "Tin đã đưa" of the article at `index`.
pub fn neighbours(site: &Site, cards: &Cards, index: usize) -> Neighbours {
    let article = &site.articles[index];
    let list = &site.categories[article.category].articles;
    let at = article.category_position;
    let n = site.config.related;
    Neighbours {
        newer: cards.of(list[at.saturating_sub(n)..at].iter().rev().copied()),
        older: cards.of(list[at + 1..(at + 1 + n).min(list.len())].iter().copied()),
    }
}

/// The most read list shown with a list page: the site's on the news, the
/// category's on a category.
pub fn most_read(site: &Site, cards: &Cards, list: ListKind) -> Vec<tera::Value> {
    let ranked = match list {
        ListKind::News => &site.most_read,
        ListKind::Category(i) => &site.categories[i].most_read,
        ListKind::Tag(i) => &site.tags[i].most_read,
        ListKind::Archive(_) => return Vec::new(),
    };
    cards.of(ranked.iter().copied())
}

pub fn list_view(site: &Site, cards: &Cards, page: &ListPage) -> ListView {
    let (kind, name) = match page.list {
        ListKind::News => (
            "news",
            super::words::words(site.config.language)["news"].to_string(),
        ),
        ListKind::Category(i) => ("category", site.categories[i].name.clone()),
        ListKind::Tag(i) => ("tag", site.tags[i].name.clone()),
        ListKind::Archive(at) => (
            match at {
                PeriodRef::Year(_) => "year",
                PeriodRef::Month(..) => "month",
                PeriodRef::Day(..) => "day",
            },
            period_name(site, at),
        ),
    };
    let first = page.list.first_path(site);
    let link = |n: usize| site.config.link(&list_page_path(&first, n));
    let articles = cards.of(page.list.articles(site).slice(page.items.clone()));
    ListView {
        kind,
        name,
        number: page.number,
        total_pages: page.total_pages,
        articles,
        first: link(1),
        last: link(page.total_pages),
        newer: (page.number > 1).then(|| link(page.number - 1)),
        older: (page.number < page.total_pages).then(|| link(page.number + 1)),
        feed_url: match page.list {
            ListKind::Category(i) => Some(
                site.config
                    .link(&format!("{}feed.xml", site.categories[i].url)),
            ),
            _ => None,
        },
    }
}

/// "Năm 2014", "Tháng 01/2014", "Ngày 17/01/2014" (or the English forms).
pub fn period_name(site: &Site, at: PeriodRef) -> String {
    let (y, m, d) = site.archive.numbers(at);
    match (site.config.language, at) {
        (Language::Vi, PeriodRef::Year(_)) => format!("Năm {y}"),
        (Language::Vi, PeriodRef::Month(..)) => format!("Tháng {m:02}/{y}"),
        (Language::Vi, PeriodRef::Day(..)) => format!("Ngày {d:02}/{m:02}/{y}"),
        (Language::En, PeriodRef::Year(_)) => format!("{y}"),
        (Language::En, PeriodRef::Month(..)) => format!("{} {y}", month_name_en(m)),
        (Language::En, PeriodRef::Day(..)) => format!("{d} {} {y}", month_name_en(m)),
    }
}

fn month_name_en(m: i16) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

pub fn period_view(site: &Site, at: PeriodRef) -> PeriodView {
    let (y, m, d) = site.archive.numbers(at);
    PeriodView {
        name: period_name(site, at),
        url: site.config.link(&period_path(y, m, d)),
        count: site.archive.period(at).articles.len(),
        months: Vec::new(),
    }
}

/// Every year with its months, for the archive index.
pub fn archive_years(site: &Site) -> Vec<PeriodView> {
    site.archive
        .years
        .iter()
        .enumerate()
        .map(|(y, year)| PeriodView {
            months: (0..year.parts.len())
                .map(|m| period_view(site, PeriodRef::Month(y, m)))
                .collect(),
            ..period_view(site, PeriodRef::Year(y))
        })
        .collect()
}

pub fn archive_nav(site: &Site, at: PeriodRef) -> ArchiveNav {
    let (newer, older) = site.archive.neighbours(at);
    let view = |p: PeriodRef| period_view(site, p);
    let (up, calendar) = match at {
        PeriodRef::Year(_) => (Vec::new(), None),
        PeriodRef::Month(y, m) => (
            vec![view(PeriodRef::Year(y))],
            Some(calendar(site, y, m, None)),
        ),
        PeriodRef::Day(y, m, d) => (
            vec![view(PeriodRef::Year(y)), view(PeriodRef::Month(y, m))],
            Some(calendar(
                site,
                y,
                m,
                Some(site.archive.years[y].parts[m].parts[d].number),
            )),
        ),
    };
    ArchiveNav {
        newer: newer.map(view),
        older: older.map(view),
        up,
        calendar,
    }
}

fn calendar(site: &Site, y: usize, m: usize, current: Option<i16>) -> Calendar {
    let year = site.archive.years[y].number;
    let month = &site.archive.years[y].parts[m];
    let first = jiff::civil::date(year, month.number as i8, 1);
    // Monday = 0 .. Sunday = 6: Vietnamese calendars start the week on Monday.
    let lead = first.weekday().to_monday_zero_offset() as usize;
    let days = first.days_in_month();
    let mut cells: Vec<Option<CalendarDay>> = (0..lead).map(|_| None).collect();
    for day in 1..=days {
        let found = month.parts.iter().position(|p| p.number == day as i16);
        cells.push(Some(CalendarDay {
            day,
            url: found.map(|_| {
                site.config
                    .link(&period_path(year, month.number, day as i16))
            }),
            count: found.map_or(0, |d| month.parts[d].articles.len()),
            current: current == Some(day as i16),
        }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut weeks = Vec::new();
    let mut cells = cells.into_iter().peekable();
    while cells.peek().is_some() {
        weeks.push(cells.by_ref().take(7).collect());
    }
    Calendar {
        name: period_name(site, PeriodRef::Month(y, m)),
        weekdays: match site.config.language {
            Language::Vi => ["T2", "T3", "T4", "T5", "T6", "T7", "CN"],
            Language::En => ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
        },
        weeks,
    }
}
