//! The site model: published articles newest first, their categories and tags,
//! URLs, and bodies rendered with links resolved across the site.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use jiff::Zoned;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::content::article::SourceArticle;
use crate::content::front_matter::FieldLines;
use crate::content::links_audit::{BettingPatterns, shown_host};
use crate::content::markdown::{self, LinkProblem, LinkedArticle, Reference, SiteLinks};
use crate::content::sources::{SourceFile, display_path};
use crate::content::text::{shorten, slugify};
use crate::diagnostics::{Diagnostic, Location, Locator, Planted};

use super::archive::Archive;
use super::documents::Register;

/// Characters of a summary made from the first paragraph.
const SUMMARY_CHARS: usize = 220;

/// A published article, as the site's pages show it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Relative to content/: `dan-van/2014/tong-ket.md`.
    pub file: String,
    pub title: String,
    pub date: Zoned,
    pub updated: Option<Zoned>,
    /// Index into [`Site::categories`].
    pub category: usize,
    /// Indices into [`Site::tags`].
    pub tags: Vec<usize>,
    pub views: u64,
    pub summary: String,
    pub author: Option<String>,
    pub source: Option<String>,
    /// The lead image as a site link.
    pub image: Option<String>,
    pub aliases: Vec<String>,
    pub extra: Map<String, Value>,
    pub slug: String,
    /// Site path of the page: `/dan-van/tong-ket/`.
    pub url: String,
    pub body_html: Html,
    /// The fingerprint of the body's HTML.
    pub body_print: crate::fingerprint::Fingerprint,
    /// Whether the lead image is also in the body, so a page need not show it twice.
    pub image_in_body: bool,
    pub draft: bool,
    /// Where the article sits in its category's list (0 = newest).
    pub category_position: usize,
    /// The file line of each front matter field.
    pub lines: FieldLines,
    /// The file line the body starts on.
    pub body_line: u32,
    /// The links and images of the body, each with its place in the file.
    pub references: Arc<[(Location, Reference)]>,
    /// Whether the summary was written in the front matter (else it is the
    /// first paragraph).
    pub summary_given: bool,
}

/// A category or a tag: a name and the articles filed under it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Taxon {
    pub name: String,
    pub slug: String,
    /// Site path of its first listing page.
    pub url: String,
    /// Indices into [`Site::articles`], newest first.
    pub articles: Vec<usize>,
    /// Its most viewed articles, most viewed first.
    pub most_read: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Published articles (and drafts when asked for), newest first.
    pub articles: Vec<Article>,
    /// Sorted by slug.
    pub categories: Vec<Taxon>,
    pub tags: Vec<Taxon>,
    pub archive: Archive,
    /// The site's most viewed articles, most viewed first.
    pub most_read: Vec<usize>,
    pub assets: Vec<SourceFile>,
    /// Drafts not published by this run, as read (so `check` knows which files
    /// they use).
    pub drafts_left_out: Vec<Arc<SourceArticle>>,
    /// The register of documents (văn bản); empty on a site without them.
    pub documents: Register,
    /// The leaders' work schedule (lịch công tác), empty when the site has none.
    pub schedule: super::schedule::Schedule,
}

impl Site {
    /// The articles listed under the one at `index` (see [`Config::related`]):
    /// its category's newer ones (oldest first) and older ones (newest first).
    pub fn neighbours(&self, index: usize) -> (&[usize], &[usize]) {
        let article = &self.articles[index];
        let list = &self.categories[article.category].articles;
        let at = article.category_position;
        let n = self.config.related;
        (
            &list[at.saturating_sub(n)..at],
            &list[at + 1..(at + 1 + n).min(list.len())],
        )
    }

    /// The category called `name` (any spelling that folds to its slug).
    pub fn category_named(&self, name: &str) -> Option<&Taxon> {
        let slug = crate::content::text::slugify(name);
        self.categories.iter().find(|c| c.slug == slug)
    }
}

/// Bodies rendered by an earlier build, which a rebuild takes instead of
/// rendering them again; the build pipeline's memo keeps them.
pub trait KnownBodies: Sync {
    /// What is kept of a body rendered anew.
    type Entry: Send;

    /// The body of `source` rendered by `render` against `links`: the one known,
    /// if rendering it again would give the same, else rendered anew with what
    /// to keep of it.
    fn body(
        &self,
        source: &Arc<SourceArticle>,
        links: &dyn SiteLinks,
        options: markdown::BodyOptions,
        render: RenderBody,
    ) -> (Arc<Body>, Option<Self::Entry>);

    /// Keeps the bodies of the articles in `files`: those `renewed`, and the
    /// others as they were; those of other files are forgotten.
    fn keep(&mut self, files: &[&str], renewed: Vec<(String, Self::Entry)>);
}

/// No bodies known: each is rendered (a build with nothing to reuse).
pub struct NoBodiesKnown;

impl KnownBodies for NoBodiesKnown {
    type Entry = ();

    fn body(
        &self,
        source: &Arc<SourceArticle>,
        links: &dyn SiteLinks,
        options: markdown::BodyOptions,
        render: RenderBody,
    ) -> (Arc<Body>, Option<()>) {
        (Arc::new(render(source, links, options)), None)
    }

    fn keep(&mut self, _: &[&str], _: Vec<(String, ())>) {}
}

/// How a body is rendered: [`render_body`].
pub type RenderBody = fn(&SourceArticle, &dyn SiteLinks, markdown::BodyOptions) -> Body;

/// Builds the model from every parsed article. Problems found across articles
/// (shared URLs, broken links) are returned with the model; errors among them
/// mean the site must not be published.
///
/// With `bodies`, a body whose Markdown and links are as last time is taken from
/// them instead of rendered again, and they are brought up to date.
pub fn build_site(
    config: Config,
    sources: Vec<Arc<SourceArticle>>,
    assets: Vec<SourceFile>,
    include_drafts: bool,
    bodies: &mut impl KnownBodies,
    index: &ArticleIndex,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let all = sources;
    let (mut sources, drafts_left_out): (Vec<Arc<SourceArticle>>, Vec<Arc<SourceArticle>>) = all
        .iter()
        .cloned()
        .partition(|a| include_drafts || !a.front.draft);
    sources.sort_by(|a, b| {
        b.front
            .date
            .timestamp()
            .cmp(&a.front.date.timestamp())
            .then_with(|| a.source.cmp(&b.source))
    });

    let mut categories = group(
        &sources,
        |a| [(a.category_slug.as_str(), a.front.category.as_str())],
        "/",
    );
    let mut tags = group(
        &sources,
        |a| {
            a.tags
                .iter()
                .map(|(slug, name)| (slug.as_str(), name.as_str()))
        },
        "/tags/",
    );
    let category_of: HashMap<&str, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.as_str(), i))
        .collect();
    let tag_of: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();

    let body_options = body_options(&config);
    let known = &*bodies;
    let rendered: Vec<(Article, Vec<Diagnostic>, Option<_>)> = sources
        .par_iter()
        .map(|source| {
            let category = category_of[source.category_slug.as_str()];
            let tag_ids: Vec<usize> = source
                .tags
                .iter()
                .map(|(slug, _)| tag_of[slug.as_str()])
                .collect();
            let (body, renewed) = known.body(source, index, body_options, render_body);
            let (article, problems) = make_article(source, &body, index, category, tag_ids);
            (article, problems, renewed)
        })
        .collect();
    let mut articles = Vec::with_capacity(rendered.len());
    let mut renewed_bodies = Vec::new();
    for (article, article_problems, renewed) in rendered {
        if let Some(entry) = renewed {
            renewed_bodies.push((article.file.clone(), entry));
        }
        articles.push(article);
        problems.extend(article_problems);
    }
    let files: Vec<&str> = articles.iter().map(|a| a.file.as_str()).collect();
    bodies.keep(&files, renewed_bodies);
    for category in &categories {
        for (position, &i) in category.articles.iter().enumerate() {
            articles[i].category_position = position;
        }
    }
    for taxon in categories.iter_mut().chain(tags.iter_mut()) {
        taxon.most_read = most_read(&articles, &taxon.articles, config.most_read);
    }
    let all: Vec<usize> = (0..articles.len()).collect();
    let site = Site {
        most_read: most_read(&articles, &all, config.most_read),
        archive: Archive::new(&articles),
        config,
        articles,
        categories,
        tags,
        assets,
        drafts_left_out,
        documents: Register::default(),
        schedule: Default::default(),
    };
    (site, problems)
}

/// How bodies are rendered for `config`.
pub fn body_options(config: &Config) -> markdown::BodyOptions {
    let own_host = crate::content::links_audit::link_host(&config.base_url);
    markdown::BodyOptions {
        html: config.html,
        hosts: markdown::BodyHosts::interned(own_host, config.iframe_hosts.clone()),
    }
}

/// Every article's future URL, drafts included, by source path: what the links
/// of bodies resolve to.
pub struct ArticleIndex<'s> {
    by_file: HashMap<&'s str, (String, bool)>,
    base_path: String,
}

impl<'s> ArticleIndex<'s> {
    /// The index of every article read (drafts too).
    pub fn new(sources: &'s [Arc<SourceArticle>], config: &Config) -> Self {
        ArticleIndex {
            by_file: sources
                .iter()
                .map(|a| (a.source.as_str(), (article_url(a), a.front.draft)))
                .collect(),
            base_path: config.base_path().to_string(),
        }
    }
}

impl<'s> ArticleIndex<'s> {
    /// Adds the documents read (drafts too): a link to a document's file leads
    /// to its page.
    pub fn add_documents(&mut self, documents: &'s [crate::content::document::SourceDocument]) {
        for d in documents {
            self.by_file.insert(
                d.source.as_str(),
                (super::documents::document_url(&d.slug), d.front.draft),
            );
        }
    }
}

impl SiteLinks for ArticleIndex<'_> {
    fn article(&self, content_path: &str) -> Option<LinkedArticle<'_>> {
        self.by_file
            .get(content_path)
            .map(|(url, draft)| LinkedArticle { url, draft: *draft })
    }

    fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// Text shared, not copied: its own, or a part of a larger text held by many
/// (the bodies read from one cache file share that file's text, instead of
/// each being allocated and copied on its own).
#[derive(Clone, Default)]
pub struct Html {
    text: Arc<String>,
    range: std::ops::Range<usize>,
}

impl Html {
    /// The `range` of `text`; `None` unless it lies within it, on character
    /// boundaries.
    pub fn part_of(text: &Arc<String>, range: std::ops::Range<usize>) -> Option<Html> {
        text.get(range.clone())?;
        Some(Html {
            text: Arc::clone(text),
            range,
        })
    }
}

impl From<String> for Html {
    fn from(text: String) -> Html {
        let range = 0..text.len();
        Html {
            text: Arc::new(text),
            range,
        }
    }
}

impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        // In bounds and on boundaries: checked when made.
        &self.text[self.range.clone()]
    }
}

impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// `/<category-slug>/<slug>/`.
pub fn article_url(a: &SourceArticle) -> String {
    format!("/{}/{}/", a.category_slug, a.slug)
}

/// An article's body as HTML, with its links placed in the file.
#[derive(Debug)]
pub struct Body {
    pub html: Html,
    /// The fingerprint of the HTML.
    pub print: crate::fingerprint::Fingerprint,
    /// The first paragraph as plain text, shortened: the summary when the front
    /// matter gives none.
    pub first_paragraph: String,
    pub problems: Vec<(Location, LinkProblem)>,
    pub references: Arc<[(Location, Reference)]>,
}

/// Renders the body of `source`, its links resolved by `links`.
pub fn render_body(
    source: &SourceArticle,
    links: &dyn SiteLinks,
    options: markdown::BodyOptions,
) -> Body {
    let rendered = markdown::render_with(&source.body, source.source_dir(), links, options);
    let mut locator = Locator::new(&source.body);
    let mut at = |offset: usize| locator.locate(offset).shifted(source.body_line);
    Body {
        problems: rendered
            .problems
            .into_iter()
            .map(|(range, problem)| (at(range.start), problem))
            .collect(),
        references: rendered
            .references
            .into_iter()
            .map(|r| (at(r.range.start), r))
            .collect(),
        print: crate::fingerprint::fingerprint(rendered.html.as_bytes()),
        html: rendered.html.into(),
        first_paragraph: shorten(&rendered.first_paragraph, SUMMARY_CHARS),
    }
}

/// The article of `source`, with `body`, and the problems with its links.
pub fn make_article(
    source: &SourceArticle,
    body: &Body,
    index: &dyn SiteLinks,
    category: usize,
    tags: Vec<usize>,
) -> (Article, Vec<Diagnostic>) {
    let path = source.display_path();
    let mut problems: Vec<Diagnostic> = body
        .problems
        .iter()
        .map(|(at, problem)| link_diagnostic(&path, problem).at(at.line, at.column))
        .collect();
    let image_line = source.front.lines.of("image").unwrap_or(1);
    let image = source.front.image.as_deref().and_then(|image| {
        // A `javascript:` address would be the page's `<img src>` and og:image.
        if !crate::content::sanitize::is_safe_address(image, true) {
            problems.push(
                Diagnostic::error(
                    &path,
                    format!("`image:` `{}` is not a picture's address: it would run a script", shorten(image, 60)),
                )
                .at(image_line, 1)
                .with_hint("`image:` is the lead photo's path, e.g. `/images/2014/hoi-nghi.jpg`, or an address starting with https://"),
            );
            return None;
        }
        Some(
            markdown::resolve_link(image, source.source_dir(), index).unwrap_or_else(
                |(url, problem)| {
                    problems.push(link_diagnostic(&path, &problem).at(image_line, 1).with_hint(
                        "`image:` is the lead photo's path, e.g. `/images/2014/hoi-nghi.jpg`",
                    ));
                    url
                },
            ),
        )
    });
    // Tags that make no address (`"#"`, `"!!"`) are left out of the pages;
    // the clerk who wrote one is told so. (Fewer slugs than tags: one was
    // left out, or two spelt one tag.)
    if source.tags.len() < source.front.tags.len() {
        let tags_line = source.front.lines.of("tags").unwrap_or(1);
        let unusable = source.front.tags.iter().filter(|t| slugify(t).is_empty());
        problems.extend(unusable.map(|tag| {
            Diagnostic::warning(
                &path,
                format!(
                    "the tag `{}` has no letters or digits to make an address from: it is left out",
                    shorten(tag, 60)
                ),
            )
            .at(tags_line, 1)
            .with_hint("write the tag in words, e.g. `tags: [\"dân vận khéo\"]`, or remove it")
        }));
    }
    let summary = match &source.front.summary {
        Some(s) => s.clone(),
        None => body.first_paragraph.clone(),
    };
    let image_in_body = image
        .as_deref()
        .is_some_and(|src| body.html.contains(&format!("src=\"{src}\"")));
    let f = &source.front;
    let article = Article {
        image_in_body,
        file: source.source.clone(),
        title: f.title.clone(),
        date: f.date.clone(),
        updated: f.updated.clone(),
        category,
        tags,
        views: f.views,
        summary,
        author: f.author.clone(),
        source: f.source.clone(),
        image,
        aliases: f.aliases.clone(),
        extra: f.extra.clone(),
        slug: source.slug.clone(),
        url: article_url(source),
        body_html: body.html.clone(),
        body_print: body.print,
        draft: f.draft,
        category_position: 0,
        lines: f.lines.clone(),
        body_line: source.body_line,
        references: body.references.clone(),
        summary_given: f.summary.is_some(),
    };
    (article, problems)
}

pub(crate) fn link_diagnostic(path: &str, problem: &LinkProblem) -> Diagnostic {
    match problem {
        LinkProblem::MissingArticle { target } => Diagnostic::error(
            path,
            format!("links to {}, which does not exist", display_path(target)),
        )
        .with_hint("check the file name; a relative link starts from this article's folder"),
        LinkProblem::DraftArticle { target } => Diagnostic::warning(
            path,
            format!(
                "links to {}, which is a draft: the link works once it is published",
                display_path(target)
            ),
        ),
        LinkProblem::OutsideContent { dest } => Diagnostic::error(
            path,
            format!("the link `{dest}` climbs out of the content folder"),
        )
        .with_hint("link to files inside content/, or write a full address starting with https://"),
        LinkProblem::HiddenLink { host, hidden_by } => Diagnostic::error(
            path,
            format!("a link to {} hidden from readers ({hidden_by}): hidden links are how betting sites are planted in portals", shown_host(host)),
        )
        .planted(Planted::HiddenLink, Some(host))
        .with_hint("delete the hidden block; if nobody here wrote it, the text was pasted from a hacked page or the account was misused: check the other articles too"),
        // A betting brand's host is never a portal's honest link: refused as
        // a hidden one is; the trade's words alone may be an honest article's.
        LinkProblem::BettingLink { host, pattern } => match BettingPatterns::get().betting_host(host) {
            Some(brand) => Diagnostic::error(
                path,
                format!("a link to {}, a betting site (it matches `{brand}`): a portal never links to one", shown_host(host)),
            )
            .planted(Planted::BettingLink, Some(host))
            .with_hint("delete the link; if nobody here wrote it, the text was pasted from a hacked page or the account was misused: check the other articles too"),
            None => Diagnostic::warning(
                path,
                format!("a link to {} looks like a betting link (it matches `{pattern}`)", shown_host(host)),
            )
            .planted(Planted::BettingLink, Some(host))
            .with_hint("remove the link unless it is meant; the patterns are in src/content/betting_patterns.txt (docs/robustness.md)"),
        },
        LinkProblem::UnsafeAddress { dest } => Diagnostic::warning(
            path,
            format!("`{}` would run a script or open a page made of the address: published as text, not as a link", shorten(dest, 60)),
        )
        .with_hint("write an address starting with https://, a site path, or mailto:"),
    }
}

/// Groups articles (in order) by slug; a group's name is its most used spelling.
fn group<'a, K: IntoIterator<Item = (&'a str, &'a str)>>(
    sorted: &'a [Arc<SourceArticle>],
    keys: impl Fn(&'a SourceArticle) -> K,
    url_prefix: &str,
) -> Vec<Taxon> {
    let mut by_slug: HashMap<&str, (Vec<usize>, HashMap<&str, usize>)> = HashMap::default();
    for (i, article) in sorted.iter().enumerate() {
        for (slug, name) in keys(article) {
            let (articles, names) = by_slug.entry(slug).or_default();
            if articles.last() != Some(&i) {
                articles.push(i);
            }
            *names.entry(name).or_default() += 1;
        }
    }
    let mut groups: Vec<Taxon> = by_slug
        .into_iter()
        .map(|(slug, (articles, names))| {
            let name = names
                .into_iter()
                .max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| b.cmp(a)))
                .map(|(name, _)| name)
                .unwrap_or_default();
            Taxon {
                url: format!("{url_prefix}{slug}/"),
                name: name.to_string(),
                slug: slug.to_string(),
                articles,
                most_read: Vec::new(),
            }
        })
        .collect();
    groups.sort_by(|a, b| a.slug.cmp(&b.slug));
    groups
}

/// The `count` most viewed of `list` (newest first); equal views: newer first.
fn most_read(articles: &[Article], list: &[usize], count: usize) -> Vec<usize> {
    let mut ranked = list.to_vec();
    // The list is newest first and the sort is stable, so ties stay newest first.
    ranked.sort_by(|&a, &b| articles[b].views.cmp(&articles[a].views));
    ranked.truncate(count);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_a_part_of_a_shared_text_only_on_its_character_boundaries() {
        let text = Arc::new("<p>Dân vận</p><p>Tin</p>".to_string());
        let first = Html::part_of(&text, 0..17).unwrap();
        let second = Html::part_of(&text, 17..text.len()).unwrap();
        assert_eq!(&*first, "<p>Dân vận</p>");
        assert_eq!(&*second, "<p>Tin</p>");
        // "â" is two bytes: a range that cuts it, or runs past the end, is refused.
        assert!(Html::part_of(&text, 0..5).is_none());
        assert!(Html::part_of(&text, 17..text.len() + 1).is_none());
        assert_eq!(&*Html::from("riêng".to_string()), "riêng");
    }
}
