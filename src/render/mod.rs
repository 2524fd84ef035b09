//! Page plan -> HTML bytes. Templates are compiled once per build; each page gets
//! its own context, built from the model, so pages render in parallel.

pub mod context;
pub mod format;
pub mod words;

use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::site::model::Site;
use crate::site::plan::{PageKind, PlannedPage};
use crate::theme::Theme;

pub struct Renderer {
    tera: Tera,
    /// Where each template came from, for messages.
    origins: Vec<(String, String)>,
    /// What every page gets: `site` and `words`.
    base: tera::Context,
}

impl Renderer {
    /// Compiles the theme's templates; every template problem is reported.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_escape_fn(escape_html);
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
        for required in ["article.html", "list.html", "404.html"] {
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
        let mut base = tera::Context::new();
        base.insert("site", &context::site_view(site));
        base.insert("words", &words::words(site.config.language));
        Ok(Renderer {
            tera,
            origins,
            base,
        })
    }

    /// Renders one planned page to its bytes.
    pub fn render(&self, site: &Site, page: &PlannedPage) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.base.clone();
        ctx.insert("page", &context::page_view(site, &page.path));
        let template = match &page.kind {
            PageKind::Article(i) => {
                ctx.insert(
                    "article",
                    &context::article_view(site, &site.articles[*i], true),
                );
                "article.html"
            }
            PageKind::List(list) => {
                ctx.insert("list", &context::list_view(site, list));
                "list.html"
            }
            PageKind::NotFound => "404.html",
        };
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

/// Escapes what HTML and XML need escaped; unlike Tera's default, leaves `/` as
/// it is, so links stay readable and pages small.
fn escape_html(text: &str) -> String {
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
        .find(|(name, _)| text.contains(&format!("'{name}'")))
        .map(|(_, origin)| origin.clone())
}
