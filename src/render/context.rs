//! What templates receive: views of the model, with links, dates and numbers ready
//! to print in the site's language. `docs/themes.md` lists every variable.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use super::format::{has_time_of_day, iso, shown_iso};
use super::locale::Locale;
use crate::config::Agency;
use crate::fingerprint::{Fingerprint, FingerprintWriter};
use crate::site::archive::{PeriodRef, period_path};
use crate::site::model::{Article, Site, Taxon};
use crate::site::plan::{self, ListKind, ListPage, list_page_path};

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// `vi_VN`, for Open Graph.
    pub locale: &'a str,
    pub base_url: &'a str,
    /// Prefix of every link (`""` at the host's root).
    pub base_path: &'a str,
    pub agency: &'a Agency,
    pub logo: Option<String>,
    /// The "Giới thiệu" (About) link, if the site has one.
    pub about: Option<String>,
    pub categories: Vec<TaxonView<'a>>,
    /// The categories of the menu, in its order.
    pub menu: Vec<TaxonView<'a>>,
    pub tags: Vec<TaxonView<'a>>,
    /// Years that have articles, newest first, each with its months: the
    /// "Xem theo ngày" picker.
    pub archive_years: Vec<PeriodView>,
    pub feed_url: String,
    /// None when the site has no search (`search: false`).
    pub search_url: Option<String>,
    /// The search page's script, under its fingerprinted name.
    pub search_script: String,
    pub archive_url: String,
    pub sitemap_url: String,
    /// The register of documents (văn bản), if the site has documents.
    pub documents_url: Option<String>,
    /// The work schedule (lịch công tác), when the site has weeks.
    pub schedule_url: Option<String>,
    /// The theme's stylesheet, under its fingerprinted name.
    pub stylesheet: String,
}

#[derive(Serialize)]
pub struct TaxonView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    /// Its articles, on the pages that show counts (see
    /// [`crate::site::plan::PageKind::shows_counts`]): a count on every page
    /// would make every page change with every new article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// The current page: where it is and how it describes itself (for `<title>`,
/// the description, Open Graph and Dublin Core tags).
#[derive(Serialize)]
pub struct PageView<'a> {
    /// `home`, `article`, `list`, `taxonomies`, `archive_index`, `site_map`,
    /// `search` or `not_found`.
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
    /// `2014-01-17T14:05:00+07:00`, or `2014-01-17` for a date without a
    /// time of day (see [`has_time_of_day`]).
    pub date_iso: String,
    /// The day and its time (`Thứ Sáu, 17/01/2014 - 14:05`), or the day alone
    /// (`Thứ Sáu, 17/01/2014`) for a date without a time of day.
    pub date_long: String,
    pub date_short: String,
    /// Whether the date gives a time of day, for themes that show it apart.
    pub date_has_time: bool,
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

/// The lists under an article.
#[derive(Serialize)]
pub struct Neighbours<'a> {
    /// "Tin mới hơn": the category's newer articles, nearest first.
    pub newer: Vec<Card<'a>>,
    /// "Tin đã đưa": the category's older articles, nearest first.
    pub older: Vec<Card<'a>>,
}

#[derive(Serialize)]
pub struct ListView<'a> {
    /// `news`, `category`, `tag`, `year`, `month` or `day`.
    pub kind: &'static str,
    pub name: String,
    pub number: usize,
    pub total_pages: usize,
    pub articles: Vec<Card<'a>>,
    pub first: String,
    pub last: String,
    /// The newer page (`rel="prev"`), if any.
    pub newer: Option<String>,
    /// The older page (`rel="next"`), if any.
    pub older: Option<String>,
    /// The category's feed, on category lists.
    pub feed_url: Option<String>,
}

/// A category's block on the home page.
#[derive(Serialize)]
pub struct FeaturedView<'a> {
    pub category: TaxonView<'a>,
    pub articles: Vec<Card<'a>>,
}

/// A year, month or day of the archive.
#[derive(Serialize, Clone)]
pub struct PeriodView {
    pub name: String,
    pub url: String,
    /// Its articles: in `site.archive_years` only on the pages that show
    /// counts, as a taxon's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// Months of a year (in `site.archive_years`), newest first.
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
#[derive(Serialize, Clone)]
pub struct Calendar {
    pub name: String,
    pub weekdays: Vec<String>,
    /// Each week has 7 cells; `null` outside the month.
    pub weeks: Vec<Vec<Option<CalendarDay>>>,
}

#[derive(Serialize, Clone)]
pub struct CalendarDay {
    pub day: i8,
    pub url: Option<String>,
    pub count: usize,
    pub current: bool,
}

/// Builds template views of the model in the site's language.
#[derive(Clone, Copy)]
pub struct Views<'a> {
    pub site: &'a Site,
    pub locale: &'a Locale,
}

impl<'a> Views<'a> {
    /// What every page knows of the site; with the counts of articles of its
    /// categories, tags and periods when `counted` (the pages that show them).
    pub fn site_view(&self, stylesheet: String, counted: bool) -> SiteView<'a> {
        let site = self.site;
        let c = &site.config;
        let taxon = |t| match counted {
            true => self.counted_taxon(t),
            false => self.taxon(t),
        };
        let menu: Vec<TaxonView> = if c.menu.is_empty() {
            site.categories.iter().map(taxon).collect()
        } else {
            c.menu
                .iter()
                .filter_map(|name| site.category_named(name))
                .map(taxon)
                .collect()
        };
        SiteView {
            title: &c.title,
            description: &c.description,
            language: c.language.code(),
            locale: &self.locale.formats.locale,
            base_url: &c.base_url,
            base_path: c.base_path(),
            agency: &c.agency,
            logo: c.logo.as_deref().map(|l| self.link_or_url(l)),
            about: c.about.as_deref().map(|l| self.link_or_url(l)),
            categories: site.categories.iter().map(taxon).collect(),
            menu,
            tags: site.tags.iter().map(taxon).collect(),
            archive_years: self.archive_years(counted),
            feed_url: c.link("/feed.xml"),
            search_url: c.search.then(|| c.link("/search/")),
            search_script: c.link(&format!("/{}", crate::search::script_path())),
            archive_url: c.link("/archive/"),
            sitemap_url: c.link("/so-do-trang/"),
            documents_url: (!site.documents.is_empty())
                .then(|| c.link(&format!("/{}/", crate::content::document::DOCUMENTS_DIR))),
            schedule_url: (!site.schedule.is_empty())
                .then(|| c.link(crate::site::schedule::SCHEDULE_PATH)),
            stylesheet,
        }
    }

    /// A site path (`/images/logo.png`) as a link; a full URL as it is.
    fn link_or_url(&self, target: &str) -> String {
        if target.contains("://") {
            target.to_string()
        } else {
            self.site
                .config
                .link(&format!("/{}", target.trim_start_matches('/')))
        }
    }

    pub fn page(&self, path: &str, kind: &'static str, title: String) -> PageView<'a> {
        let config = &self.site.config;
        PageView {
            kind,
            url: config.link(path),
            permalink: config.absolute_url(path),
            title,
            description: &config.description,
            image: None,
            date_iso: None,
            author: None,
        }
    }

    /// A category or tag, without its count of articles.
    pub fn taxon(&self, taxon: &'a Taxon) -> TaxonView<'a> {
        TaxonView {
            name: &taxon.name,
            slug: &taxon.slug,
            url: self.site.config.link(&taxon.url),
            count: None,
        }
    }

    /// A category or tag with its count of articles.
    fn counted_taxon(&self, taxon: &'a Taxon) -> TaxonView<'a> {
        TaxonView {
            count: Some(taxon.articles.len()),
            ..self.taxon(taxon)
        }
    }

    /// An article for a template; `with_body` only for its own page.
    pub fn article(&self, article: &'a Article, with_body: bool) -> ArticleView<'a> {
        let site = self.site;
        let image = article.image.as_deref();
        ArticleView {
            title: &article.title,
            url: site.config.link(&article.url),
            permalink: site.config.absolute_url(&article.url),
            date_iso: shown_iso(&article.date),
            date_long: self.locale.long_date(&article.date),
            date_short: self.locale.short_date(&article.date),
            date_has_time: has_time_of_day(&article.date),
            updated_iso: article.updated.as_ref().map(iso),
            category: self.taxon(&site.categories[article.category]),
            tags: article
                .tags
                .iter()
                .map(|&t| self.taxon(&site.tags[t]))
                .collect(),
            views: article.views,
            views_text: self.locale.count(article.views),
            summary: &article.summary,
            author: article.author.as_deref(),
            source: article.source.as_deref(),
            image: image.map(str::to_string),
            image_in_body: article.image_in_body,
            extra: &article.extra,
            body: with_body.then_some(&*article.body_html),
        }
    }

    /// "Tin mới hơn" and "Tin đã đưa" of the article at `index`.
    pub fn neighbours(&self, cards: &'a Cards, index: usize) -> Neighbours<'a> {
        let (newer, older) = self.site.neighbours(index);
        Neighbours {
            newer: cards.of(*self, newer.iter().rev().copied()),
            older: cards.of(*self, older.iter().copied()),
        }
    }

    /// The most read list shown with a list page: the site's on the news, the
    /// category's on a category.
    pub fn most_read(&self, cards: &'a Cards, list: ListKind) -> Vec<Card<'a>> {
        cards.of(*self, plan::most_read(self.site, list).iter().copied())
    }

    /// The home page's block for each featured category that has articles.
    pub fn featured(&self, cards: &'a Cards) -> Vec<FeaturedView<'a>> {
        plan::featured(self.site)
            .into_iter()
            .map(|(category, articles)| FeaturedView {
                category: self.taxon(category),
                articles: cards.of(*self, articles.iter().copied()),
            })
            .collect()
    }

    pub fn list(&self, cards: &'a Cards, page: &ListPage) -> ListView<'a> {
        let site = self.site;
        let (kind, name) = match page.list {
            ListKind::News => ("news", self.locale.word("news").to_string()),
            ListKind::Category(i) => ("category", site.categories[i].name.clone()),
            ListKind::Tag(i) => ("tag", site.tags[i].name.clone()),
            ListKind::Archive(at) => (
                match at {
                    PeriodRef::Year(_) => "year",
                    PeriodRef::Month(..) => "month",
                    PeriodRef::Day(..) => "day",
                },
                self.period_name(at),
            ),
        };
        let first = page.list.first_path(site);
        let link = |n: usize| site.config.link(&list_page_path(&first, n));
        ListView {
            kind,
            name,
            number: page.number,
            total_pages: page.total_pages,
            articles: cards.of(*self, page.list.articles(site).slice(page.items.clone())),
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

    /// "Năm 2014", "Tháng 01/2014", "Ngày 17/01/2014" (as the language file says).
    pub fn period_name(&self, at: PeriodRef) -> String {
        let (y, m, d) = self.site.archive.numbers(at);
        self.locale.period(y, m, d)
    }

    /// A year, month or day of the archive, with its count of articles.
    pub fn period(&self, at: PeriodRef) -> PeriodView {
        let (y, m, d) = self.site.archive.numbers(at);
        PeriodView {
            name: self.locale.period(y, m, d),
            url: self.site.config.link(&period_path(y, m, d)),
            count: Some(self.site.archive.period(at).articles.len()),
            months: Vec::new(),
        }
    }

    /// Every year with its months; with their counts of articles when `counted`.
    pub fn archive_years(&self, counted: bool) -> Vec<PeriodView> {
        let period = |at| {
            let mut view = self.period(at);
            view.count = view.count.filter(|_| counted);
            view
        };
        self.site
            .archive
            .years
            .iter()
            .enumerate()
            .map(|(y, year)| PeriodView {
                months: (0..year.parts.len())
                    .map(|m| period(PeriodRef::Month(y, m)))
                    .collect(),
                ..period(PeriodRef::Year(y))
            })
            .collect()
    }

    pub fn archive_nav(&self, at: PeriodRef) -> ArchiveNav {
        let calendar = match at {
            PeriodRef::Year(_) => None,
            PeriodRef::Month(y, m) | PeriodRef::Day(y, m, _) => Some(self.calendar(y, m)),
        };
        self.archive_nav_with(at, calendar)
    }

    /// [`Views::archive_nav`] with its month's calendar as [`Views::calendar`]
    /// makes it (a day page's marks its day).
    pub fn archive_nav_with(&self, at: PeriodRef, mut calendar: Option<Calendar>) -> ArchiveNav {
        let archive = &self.site.archive;
        let (newer, older) = archive.neighbours(at);
        let up = match at {
            PeriodRef::Year(_) => Vec::new(),
            PeriodRef::Month(y, _) => vec![self.period(PeriodRef::Year(y))],
            PeriodRef::Day(y, m, d) => {
                let day = archive.years[y].parts[m].parts[d].number;
                let cells = calendar
                    .iter_mut()
                    .flat_map(|c| c.weeks.iter_mut().flatten());
                for cell in cells.flatten() {
                    cell.current = i16::from(cell.day) == day;
                }
                vec![
                    self.period(PeriodRef::Year(y)),
                    self.period(PeriodRef::Month(y, m)),
                ]
            }
        };
        ArchiveNav {
            newer: newer.map(|p| self.period(p)),
            older: older.map(|p| self.period(p)),
            up,
            calendar,
        }
    }

    /// The calendar of month `m` of year `y`, no day marked current.
    pub fn calendar(&self, y: usize, m: usize) -> Calendar {
        let site = self.site;
        let year = site.archive.years[y].number;
        let month = &site.archive.years[y].parts[m];
        let first = jiff::civil::date(year, month.number as i8, 1);
        // Monday = 0 .. Sunday = 6: Vietnamese calendars start the week on Monday.
        let lead = first.weekday().to_monday_zero_offset() as usize;
        let mut cells: Vec<Option<CalendarDay>> = (0..lead).map(|_| None).collect();
        for day in 1..=first.days_in_month() {
            let found = month.parts.iter().find(|p| p.number == day as i16);
            cells.push(Some(CalendarDay {
                day,
                url: found.map(|_| {
                    site.config
                        .link(&period_path(year, month.number, day as i16))
                }),
                count: found.map_or(0, |d| d.articles.len()),
                current: false,
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
            name: self.period_name(PeriodRef::Month(y, m)),
            weekdays: self.locale.formats.weekdays_short.clone(),
            weeks,
        }
    }
}

/// Every article as it appears in lists (an [`ArticleView`] without its body).
/// The fingerprint of every card is made once per build, since pages are told
/// apart by it; a card's template value only when a page that shows it is
/// rendered (a rebuild renders a few pages of a hundred thousand).
#[derive(Clone, Default)]
pub struct Cards {
    prints: Vec<Fingerprint>,
    values: Vec<OnceLock<tera::Value>>,
    /// A category or tag is the same value in every card that shows it: made
    /// once and shared (a map value is reference-counted), which keeps 100,000
    /// cards some hundred megabytes lighter.
    categories: Vec<tera::Value>,
    tags: Vec<tera::Value>,
}

/// One article in a page's lists: its template value for a template, its
/// fingerprint for a page's fingerprint.
#[derive(Clone, Copy)]
pub struct Card<'a> {
    cards: &'a Cards,
    views: Views<'a>,
    index: usize,
}

impl Serialize for Card<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Templates get the card itself; a page's fingerprint, taken in a compact
        // (not human-readable) form, needs only the card's own fingerprint.
        if serializer.is_human_readable() {
            self.cards
                .value(self.views, self.index)
                .serialize(serializer)
        } else {
            serializer.serialize_u128(self.cards.prints[self.index])
        }
    }
}

/// The fingerprint of the card of article `a`: all of its view but the body.
pub fn card_print(views: Views, a: &Article) -> Fingerprint {
    let view = views.article(a, false);
    let mut print = FingerprintWriter::new();
    if print.add_value(&view).is_err() {
        // Its JSON, then: the fields in their order, so as exact.
        let _ = serde_json::to_writer(&mut print, &view);
    }
    print.finish()
}

impl Cards {
    /// The cards of every article.
    pub fn new(views: Views) -> Cards {
        let prints: Vec<Fingerprint> = views
            .site
            .articles
            .par_iter()
            .map(|a| card_print(views, a))
            .collect();
        Cards::with_prints(views, prints)
    }

    /// The cards of every article, whose fingerprints are `prints` (as
    /// [`card_print`] made them); values are made from `views` when first used.
    pub fn with_prints(views: Views, prints: Vec<Fingerprint>) -> Cards {
        let taxon_value = |t| tera::Value::from_serializable(&views.taxon(t));
        Cards {
            values: prints.iter().map(|_| OnceLock::new()).collect(),
            prints,
            categories: views.site.categories.iter().map(taxon_value).collect(),
            tags: views.site.tags.iter().map(taxon_value).collect(),
        }
    }

    /// Makes the card of article `index` of `views`' site anew; returns whether
    /// its fingerprint changed.
    pub fn renew(&mut self, views: Views, index: usize) -> bool {
        let print = card_print(views, &views.site.articles[index]);
        let changed = self.prints[index] != print;
        self.prints[index] = print;
        self.values[index] = OnceLock::new();
        changed
    }

    /// Every card's fingerprint, in the model's order.
    pub fn prints(&self) -> &[Fingerprint] {
        &self.prints
    }

    /// The fingerprint of the card of the article at `index`: all of its view
    /// but the body.
    pub fn print(&self, index: usize) -> Fingerprint {
        self.prints[index]
    }

    /// The template value of the card of the article at `index`, made on first use.
    fn value(&self, views: Views, index: usize) -> &tera::Value {
        self.values[index].get_or_init(|| {
            let article = &views.site.articles[index];
            let value = tera::Value::from_serializable(&views.article(article, false));
            let Some(map) = value.as_map() else {
                return value;
            };
            let mut map = map.clone();
            map.insert("category".into(), self.categories[article.category].clone());
            let tags: Vec<tera::Value> =
                article.tags.iter().map(|&t| self.tags[t].clone()).collect();
            map.insert("tags".into(), tera::Value::from(tags));
            tera::Value::from(map)
        })
    }

    /// The view of the article at `index` on its own page ([`Views::article`]
    /// with its body): its card with the body put in, instead of the whole view
    /// made and converted for the template again.
    pub fn with_body(&self, views: Views, index: usize, body: &str) -> tera::Value {
        let mut view = self
            .value(views, index)
            .as_map()
            .cloned()
            .unwrap_or_default();
        view.insert("body".into(), tera::Value::from(body));
        tera::Value::from(view)
    }

    /// The cards of `articles` (indices into the site's articles), in order.
    pub fn of<'a>(
        &'a self,
        views: Views<'a>,
        articles: impl IntoIterator<Item = usize>,
    ) -> Vec<Card<'a>> {
        articles
            .into_iter()
            .map(|index| Card {
                cards: self,
                views,
                index,
            })
            .collect()
    }
}
