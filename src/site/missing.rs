//! What an article shows or links to that the published site will not have:
//! a picture forgotten in a commit, a link to a file renamed since. Readers
//! would see a broken image or a "not found" page.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use crate::content::markdown::{LocalTarget, ReferenceKind, local_target};
use crate::content::sources::display_path;
use crate::content::text::fold_char;
use crate::diagnostics::Diagnostic;
use crate::site::model::Article;

/// Which of an article's references to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Its pictures, in the body and as `image:`: the build tells them, as a
    /// picture is always a file copied from content/ or the theme.
    Pictures,
    /// Its links to anything but articles (whose absence is an error of the
    /// build already): `check` tells them, knowing every page planned.
    Links,
}

/// The files a site publishes, by path relative to the output folder.
pub trait Published {
    fn has(&self, path: &str) -> bool;
    /// A published file named as `path` but for capitals and accents: the one
    /// meant, most likely (a web server tells them apart).
    fn named_like(&self, path: &str) -> Option<&str>;
}

/// Published paths by their form without capitals and accents, made the
/// first time a path is missing (an archive whose pictures were not saved may
/// miss thousands, among as many files).
#[derive(Debug, Default)]
pub struct NamesLike(OnceLock<HashMap<String, String>>);

impl NamesLike {
    /// The path among `paths` that `path` is but for capitals and accents
    /// (the first in their order, of several).
    pub fn find<'p>(&self, path: &str, paths: impl FnOnce() -> Vec<&'p str>) -> Option<&str> {
        let by_loose = self.0.get_or_init(|| {
            let mut by_loose = HashMap::default();
            for path in paths() {
                by_loose
                    .entry(loose(path))
                    .or_insert_with(|| path.to_string());
            }
            by_loose
        });
        by_loose.get(&loose(path)).map(String::as_str)
    }
}

fn loose(path: &str) -> String {
    path.chars()
        .flat_map(fold_char)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The references of `article` of the kind `shown` that lead to nothing the
/// site publishes, each a warning at its line.
pub fn missing_targets(
    article: &Article,
    base_path: &str,
    shown: Shown,
    published: &impl Published,
) -> Vec<Diagnostic> {
    let path = display_path(&article.file);
    let dir = article.file.rsplit_once('/').map_or("", |(dir, _)| dir);
    let kind = match shown {
        Shown::Pictures => ReferenceKind::Image,
        Shown::Links => ReferenceKind::Link,
    };
    let mut found = Vec::new();
    for (at, reference) in article.references.iter() {
        if reference.kind != kind {
            continue;
        }
        let LocalTarget::Path { content_path, .. } = local_target(&reference.dest, dir) else {
            continue;
        };
        if is_article_path(&content_path) || published.has(&content_path) {
            continue;
        }
        let what = match shown {
            Shown::Pictures => "shows the picture",
            Shown::Links => "links to",
        };
        found.push(
            Diagnostic::warning(
                &path,
                format!(
                    "{what} `{}`, but the site has no {}",
                    reference.dest,
                    shown_target(&content_path)
                ),
            )
            .at(at.line, at.column)
            .with_hint(hint(&content_path, published)),
        );
    }
    if shown == Shown::Pictures
        && let (Some(image), Some(line)) = (&article.image, article.lines.of("image"))
        && let LocalTarget::Path { content_path, .. } =
            local_target(strip_base(image, base_path), "")
        && !published.has(&content_path)
    {
        found.push(
            Diagnostic::warning(
                &path,
                format!(
                    "the lead image `{image}` does not exist: the site has no {}",
                    shown_target(&content_path)
                ),
            )
            .at(line, 1)
            .with_hint(hint(&content_path, published)),
        );
    }
    found
}

/// What to do about a missing `content_path`: name the file meant, if one is
/// named like it.
fn hint(content_path: &str, published: &impl Published) -> String {
    match published.named_like(content_path) {
        Some(like) => format!(
            "the site has {}: write its name as it is, capitals and accents included",
            display_path(like)
        ),
        None => "put the file in content/ at that path, or correct the path (a path \
starting with / starts from content/, any other from this article's folder)"
            .to_string(),
    }
}

fn shown_target(content_path: &str) -> String {
    if content_path
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
    {
        display_path(content_path)
    } else {
        format!("page at /{content_path}")
    }
}

/// A site link as written in pages (`/portal/images/a.jpg`) back to the path
/// editors write (`/images/a.jpg`).
pub fn strip_base<'a>(link: &'a str, base_path: &str) -> &'a str {
    if base_path.is_empty() {
        return link;
    }
    match link.strip_prefix(base_path) {
        Some(rest) if rest.starts_with('/') => rest,
        _ => link,
    }
}

fn is_article_path(content_path: &str) -> bool {
    content_path.to_ascii_lowercase().ends_with(".md")
}
