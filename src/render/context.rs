//! What templates receive: views of the model, with links and dates ready to print.
//! `docs/themes.md` lists every variable.

use serde::Serialize;
use serde_json::{Map, Value};

use super::format;
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
}

#[derive(Serialize)]
pub struct TaxonView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

/// The current page: where it is.
#[derive(Serialize)]
pub struct PageView {
    pub url: String,
    pub permalink: String,
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
    pub image: Option<&'a str>,
    /// The lead image is also in the body, so the page need not show it twice.
    pub image_in_body: bool,
    pub extra: &'a Map<String, Value>,
    /// The body's HTML; only on the article's own page.
    pub body: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ListView<'a> {
    /// `news`, `category` or `tag`.
    pub kind: &'static str,
    pub name: &'a str,
    pub number: usize,
    pub total_pages: usize,
    pub articles: Vec<ArticleView<'a>>,
    pub first: String,
    pub last: String,
    /// The newer page (`rel="prev"`), if any.
    pub newer: Option<String>,
    /// The older page (`rel="next"`), if any.
    pub older: Option<String>,
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
    }
}

pub fn page_view(site: &Site, path: &str) -> PageView {
    PageView {
        url: site.config.link(path),
        permalink: site.config.absolute_url(path),
    }
}

fn taxon_view<'a>(site: &Site, taxon: &'a Taxon) -> TaxonView<'a> {
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
        image,
        image_in_body: image
            .is_some_and(|src| article.body_html.contains(&format!("src=\"{src}\""))),
        extra: &article.extra,
        body: with_body.then_some(article.body_html.as_str()),
    }
}

pub fn list_view<'a>(site: &'a Site, page: &ListPage) -> ListView<'a> {
    let (kind, name) = match page.list {
        ListKind::News => ("news", site.config.title.as_str()),
        ListKind::Category(i) => ("category", site.categories[i].name.as_str()),
        ListKind::Tag(i) => ("tag", site.tags[i].name.as_str()),
    };
    let first = page.list.first_path(site);
    let link = |n: usize| site.config.link(&list_page_path(&first, n));
    let articles = page
        .list
        .articles(site)
        .slice(page.items.clone())
        .into_iter()
        .map(|i| article_view(site, &site.articles[i], false))
        .collect();
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
    }
}
