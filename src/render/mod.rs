//! Page plan -> HTML bytes. Templates are compiled once per build; each page gets
//! its own context, built from the model, so pages render in parallel.

pub mod context;
pub mod format;
pub mod generated;
pub mod words;

use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::site::model::Site;
use crate::site::plan::{ListKind, PageKind, PagePlan, PlannedPage};
use crate::theme::Theme;

/// The templates a theme must have, one per kind of page.
pub const TEMPLATES: [&str; 6] = [
    "article.html",
    "list.html",
    "taxonomies.html",
    "archive.html",
    "sitemap.html",
    "404.html",
];

pub struct Renderer {
    tera: Tera,
    /// Where each template came from, for messages.
    origins: Vec<(String, String)>,
    cards: context::Cards,
}

impl Renderer {
    /// Compiles the theme's templates; every template problem is reported.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        let templates: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        let origins: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            let origin = origin_in_error(&origins, &e).unwrap_or_else(|| "themes".to_string());
            return Err(vec![
                Diagnostic::error(
                    origin,
                    format!("the template does not compile: {}", error_chain(&e)),
                )
                .with_hint("see the Tera template syntax: https://keats.github.io/tera/docs/"),
            ]);
        }
        let mut problems = Vec::new();
        for required in TEMPLATES {
            if !origins.iter().any(|(name, _)| name == required) {
                problems.push(Diagnostic::error(
                    "themes",
                    format!("the theme has no `{required}` template"),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        tera.global_context()
            .insert("site", &context::site_view(site));
        tera.global_context()
            .insert("words", &words::words(site.config.language));
        Ok(Renderer {
            tera,
            origins,
            cards: context::Cards::new(site),
        })
    }

    /// Renders one planned page to its bytes.
    pub fn render(
        &self,
        site: &Site,
        plan: &PagePlan,
        page: &PlannedPage,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = tera::Context::new();
        let words = words::words(site.config.language);
        let (template, page_view) = match &page.kind {
            PageKind::Article(i) => {
                let article = &site.articles[*i];
                ctx.insert("article", &context::article_view(site, article, true));
                ctx.insert("related", &context::neighbours(site, &self.cards, *i));
                let mut view =
                    context::page_view(site, &page.path, "article", article.title.clone());
                view.description = &article.summary;
                view.image = article.image.as_ref().map(|i| absolute_image(site, i));
                view.date_iso = Some(format::iso(&article.date));
                view.author = article.author.as_deref();
                ("article.html", view)
            }
            PageKind::List(list) => {
                let view = context::list_view(site, &self.cards, list);
                let title = match (list.list, list.number) {
                    (ListKind::News, 1) => site.config.title.clone(),
                    (_, 1) => view.name.clone(),
                    (_, n) => format!("{} - {} {n}", view.name, words["page"]),
                };
                if let ListKind::Archive(at) = list.list {
                    ctx.insert("archive", &context::archive_nav(site, at));
                }
                ctx.insert(
                    "most_read",
                    &context::most_read(site, &self.cards, list.list),
                );
                ctx.insert("list", &view);
                (
                    "list.html",
                    context::page_view(site, &page.path, "list", title),
                )
            }
            PageKind::Taxonomies => {
                let title = words["categories_and_tags"].to_string();
                let view = context::page_view(site, &page.path, "taxonomies", title);
                ("taxonomies.html", view)
            }
            PageKind::ArchiveIndex => {
                let title = words["archive"].to_string();
                let view = context::page_view(site, &page.path, "archive_index", title);
                ("archive.html", view)
            }
            PageKind::SiteMap => {
                let title = words["site_map"].to_string();
                (
                    "sitemap.html",
                    context::page_view(site, &page.path, "site_map", title),
                )
            }
            PageKind::NotFound => {
                let title = words["not_found"].to_string();
                (
                    "404.html",
                    context::page_view(site, &page.path, "not_found", title),
                )
            }
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

/// Escapes what HTML and XML need escaped; unlike Tera's default, leaves `/` as
/// it is, so links stay readable and pages small.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
