//! Page plan -> HTML bytes. Templates are compiled once per build; each page gets
//! its own context, built from the model, so pages render in parallel.

pub mod context;
pub mod format;
pub mod generated;
pub mod locale;
pub mod stylesheet;

use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::site::model::Site;
use crate::site::plan::{ListKind, PageKind, PagePlan, PlannedPage};
use crate::theme::Theme;
use context::{Cards, Views};
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

pub struct Renderer {
    tera: Tera,
    /// Where each template came from, for messages.
    origins: Vec<(String, String)>,
    locale: Locale,
    cards: Cards,
    stylesheet: Stylesheet,
}

impl Renderer {
    /// Compiles the theme's templates and reads its language file; every problem
    /// is reported.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
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
        let stylesheet = Stylesheet::new(
            theme.stylesheet.as_ref().map_or("", |s| s.text.as_str()),
            &site.config.colors,
        );
        let views = Views {
            site,
            locale: &locale,
        };
        let site_view = views.site_view(site.config.link(&format!("/{}", stylesheet.file)));
        tera.global_context().insert("site", &site_view);
        tera.global_context().insert("words", &locale.words);
        let cards = Cards::new(views);
        Ok(Renderer {
            tera,
            origins,
            cards,
            stylesheet,
            locale,
        })
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
        let views = Views {
            site,
            locale: &self.locale,
        };
        let word = |key: &str| self.locale.word(key).to_string();
        let mut ctx = tera::Context::new();
        let (template, page_view) = match &page.kind {
            PageKind::Article(i) => {
                let article = &site.articles[*i];
                ctx.insert("article", &views.article(article, true));
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
                    ctx.insert("archive", &views.archive_nav(at));
                }
                ctx.insert("most_read", &views.most_read(&self.cards, list.list));
                ctx.insert("list", &view);
                if (list.list, list.number) == (ListKind::News, 1) {
                    ctx.insert("featured", &views.featured(&self.cards));
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
            PageKind::Feed(category) => {
                return Ok(generated::atom_feed(site, *category).into_bytes());
            }
            PageKind::SitemapXml(part) => {
                return Ok(generated::sitemap(site, plan, part).into_bytes());
            }
            PageKind::Robots => return Ok(generated::robots(site).into_bytes()),
            PageKind::Alias(i) => return Ok(generated::alias_redirect(site, *i).into_bytes()),
        };
        ctx.insert("page", &page_view);
        self.tera
            .render(template, &ctx)
            .map(String::into_bytes)
            .map_err(|e| {
                let origin = self
                    .origins
                    .iter()
                    .find(|(name, _)| name == template)
                    .map_or_else(|| template.to_string(), |(_, o)| o.clone());
                Diagnostic::error(
                    origin,
                    format!("rendering {} failed: {}", page.path, error_chain(&e)),
                )
            })
    }
}

/// An image link made absolute for Open Graph (`/images/a.jpg` -> `https://…`).
fn absolute_image(site: &Site, link: &str) -> String {
    if link.contains("://") {
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
