//! A Markdown body -> HTML, with the portal's extensions:
//! - an image with a title, alone in its paragraph, becomes a `<figure>` with the
//!   title as `<figcaption>` (portal photos carry captions);
//! - headings get `id`s folded from their text, unique in the page;
//! - links to other articles' `.md` files become those articles' page URLs, and
//!   relative links to assets become site paths (pages do not mirror content/);
//! - fenced code is highlighted with CSS classes (syntect, loaded on first use);
//! - HTML the editor wrote is sanitised, kept or escaped as the site says
//!   ([`sanitize`](super::sanitize)), links and images that would run a script
//!   (`javascript:`) are published as text in every mode, and links planted for
//!   betting sites are reported ([`links_audit`](super::links_audit)).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::{LazyLock, Mutex, OnceLock, PoisonError};

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::links_audit::{BettingPatterns, Mentions, is_own_host, link_host, links_to_other_hosts};
use super::sanitize::{RESERVED_IDS, Sanitizer, is_safe_address};
use super::text::slugify;
pub use crate::config::HtmlMode;

/// What a body needs to know of the rest of the site to write its links.
pub trait SiteLinks {
    /// The article whose source is `content_path` (relative to content/, `/`-separated).
    fn article(&self, content_path: &str) -> Option<LinkedArticle<'_>>;
    /// The path every site link starts with (`""` at the host's root).
    fn base_path(&self) -> &str;
}

#[derive(Debug, Clone, Copy)]
pub struct LinkedArticle<'a> {
    pub url: &'a str,
    pub draft: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkProblem {
    /// A link to an article file that does not exist.
    MissingArticle { target: String },
    /// A link to a draft, which has no page until it is published.
    DraftArticle { target: String },
    /// A relative link that climbs out of content/.
    OutsideContent { dest: String },
    /// A link to another host that readers cannot see (`hidden_by` says how):
    /// the way betting links are planted in portals.
    HiddenLink { host: String, hidden_by: String },
    /// A visible link to another host whose host or text matches a betting
    /// pattern (`betting_patterns.txt`).
    BettingLink { host: String, pattern: String },
    /// A link or image whose address would run a script or carry a page
    /// (`javascript:`, `vbscript:`, `data:`): published as text.
    UnsafeAddress { dest: String },
}

/// A body's HTML and what was learnt while writing it.
#[derive(Debug, Default)]
pub struct RenderedBody {
    pub html: String,
    /// The first paragraph as plain text, for the default summary.
    pub first_paragraph: String,
    /// Link problems, each with the byte range of the link in the body.
    pub problems: Vec<(Range<usize>, LinkProblem)>,
    /// Every link and image of the body, in order, for `bantin check`.
    pub references: Vec<Reference>,
}

/// A link or image as written in a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    /// Byte range in the body.
    pub range: Range<usize>,
    pub kind: ReferenceKind,
    /// The destination as written (`../2013/hoi-nghi.md`, `/images/a.jpg`).
    pub dest: String,
    /// An image's alt text (empty for links).
    pub alt: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReferenceKind {
    Link,
    Image,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How a site wants its bodies written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyOptions {
    /// What becomes of HTML written in the Markdown (`html:` in site.yaml).
    pub html: HtmlMode,
    /// The hosts a body's links and iframes are judged against.
    #[serde(with = "interned_hosts")]
    pub hosts: &'static BodyHosts,
}

impl Default for BodyOptions {
    fn default() -> Self {
        BodyOptions {
            html: HtmlMode::default(),
            hosts: BodyHosts::interned(None, Vec::new()),
        }
    }
}

impl BodyOptions {
    /// Everything the options change in a body, as bytes to fingerprint.
    pub fn fingerprint_bytes(&self) -> Vec<u8> {
        let hosts = self.hosts;
        format!("{}\n{:?}\n{:?}", self.html.name(), hosts.own, hosts.iframes).into_bytes()
    }
}

/// The site's own host (its links are never another host's) and the hosts its
/// iframes may show besides YouTube's.
///
/// Kept once for the life of the program for each distinct value, so that
/// [`BodyOptions`] stays a small `Copy` value that the pipeline and its caches
/// pass around freely; a site has one, and only editing site.yaml makes another.
pub struct BodyHosts {
    pub own: Option<String>,
    pub iframes: Vec<String>,
    sanitizer: OnceLock<Sanitizer>,
}

impl BodyHosts {
    /// The one `BodyHosts` with these hosts.
    pub fn interned(own: Option<String>, iframes: Vec<String>) -> &'static BodyHosts {
        static KNOWN: Mutex<Vec<&'static BodyHosts>> = Mutex::new(Vec::new());
        let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hosts) = known.iter().find(|h| h.own == own && h.iframes == iframes) {
            return hosts;
        }
        let hosts: &'static BodyHosts = Box::leak(Box::new(BodyHosts {
            own,
            iframes,
            sanitizer: OnceLock::new(),
        }));
        known.push(hosts);
        hosts
    }

    /// The sanitiser for these hosts, made on first use.
    fn sanitizer(&self) -> &Sanitizer {
        self.sanitizer.get_or_init(|| Sanitizer::new(&self.iframes))
    }
}

impl PartialEq for BodyHosts {
    fn eq(&self, other: &Self) -> bool {
        self.own == other.own && self.iframes == other.iframes
    }
}

impl Eq for BodyHosts {}

impl std::fmt::Debug for BodyHosts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyHosts")
            .field("own", &self.own)
            .field("iframes", &self.iframes)
            .finish()
    }
}

/// [`BodyHosts`] saved as its hosts, and read back into the one kept.
mod interned_hosts {
    use super::BodyHosts;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(hosts: &&'static BodyHosts, s: S) -> Result<S::Ok, S::Error> {
        (&hosts.own, &hosts.iframes).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static BodyHosts, D::Error> {
        let (own, iframes) = <(Option<String>, Vec<String>)>::deserialize(d)?;
        Ok(BodyHosts::interned(own, iframes))
    }
}

/// Renders `body`, an article's Markdown; `source_dir` is the article's folder
/// relative to content/ (`dan-van/2014`), against which relative links resolve.
pub fn render(body: &str, source_dir: &str, links: &dyn SiteLinks) -> RenderedBody {
    render_with(body, source_dir, links, BodyOptions::default())
}

/// [`render`] with the site's options.
pub fn render_with(
    body: &str,
    source_dir: &str,
    links: &dyn SiteLinks,
    options: BodyOptions,
) -> RenderedBody {
    let mut writer = BodyWriter {
        html: options.html,
        links,
        source_dir,
        used_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        out: VecDeque::new(),
        problems: Vec::new(),
        references: Vec::new(),
        wrote_html: false,
        outward_links: Vec::new(),
    };
    let mut html = String::with_capacity(body.len() + body.len() / 4);
    let mut written = Written {
        writer: &mut writer,
        parsed: Parser::new_ext(body, parser_options()).into_offset_iter(),
        block: Vec::new(),
        next: 0,
        first_paragraph: None,
    };
    pulldown_cmark::html::push_html(&mut html, &mut written);
    let first_paragraph = written.first_paragraph.unwrap_or_default();
    let planted = planted_links(body, &html, &writer, options.hosts);
    let mut problems = writer.problems;
    problems.extend(planted);
    problems.sort_by_key(|(range, _)| range.start);
    if writer.wrote_html && options.html == HtmlMode::Sanitize {
        html = options.hosts.sanitizer().clean(&html);
    }
    RenderedBody {
        html,
        first_paragraph,
        problems,
        references: writer.references,
    }
}

/// Links to other hosts that are hidden, or that match a betting pattern.
///
/// A body with HTML of the editor's is judged as a browser would show it (the
/// HTML before sanitising: a hiding style is dropped by the sanitiser, and the
/// link it hid must not become a published link unnoticed); one without is
/// judged by its Markdown links, which cannot hide.
fn planted_links(
    body: &str,
    html: &str,
    writer: &BodyWriter,
    hosts: &BodyHosts,
) -> Vec<(Range<usize>, LinkProblem)> {
    let patterns = BettingPatterns::get();
    let own = hosts.own.as_deref();
    let mut found = Vec::new();
    if !writer.wrote_html {
        for (range, host, text) in &writer.outward_links {
            if is_own_host(host, own) {
                continue;
            }
            if let Some(pattern) = patterns.matching(host, text) {
                let problem = LinkProblem::BettingLink {
                    host: host.clone(),
                    pattern: pattern.to_string(),
                };
                found.push((range.clone(), problem));
            }
        }
        return found;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Where the body writes each host: read once, when a link is found wrong.
    let mut mentions: Option<Mentions> = None;
    for link in links_to_other_hosts(html, own) {
        let count = seen.entry(link.host.clone()).or_default();
        let nth = *count;
        *count += 1;
        let host = link.host.clone();
        let problem = match link.hidden_by {
            Some(how) => LinkProblem::HiddenLink {
                host: link.host,
                hidden_by: how.to_string(),
            },
            None => match patterns.matching(&link.host, &link.text) {
                Some(pattern) => LinkProblem::BettingLink {
                    host: link.host,
                    pattern: pattern.to_string(),
                },
                None => continue,
            },
        };
        // The body's start if the host is written nowhere.
        let range = (mentions.get_or_insert_with(|| Mentions::of(body)))
            .nth(&host, nth)
            .unwrap_or(0..0);
        found.push((range, problem));
    }
    found
}

/// The events of the page, made one top-level block at a time: the writer looks
/// ahead only within a block (a figure, a heading's text), so a long article's
/// events are never all held at once (measured: a 10 MB article of paragraphs).
struct Written<'w, 'a, 'b> {
    writer: &'w mut BodyWriter<'a, 'b>,
    parsed: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// The parsed events of the current top-level block.
    block: Vec<(Event<'a>, Range<usize>)>,
    /// The next event of `block` to write.
    next: usize,
    /// The first top-level paragraph with words, once found.
    first_paragraph: Option<String>,
}

impl Written<'_, '_, '_> {
    /// Reads the next top-level block; `false` at the end of the body.
    fn read_block(&mut self) -> bool {
        self.block.clear();
        self.next = 0;
        let mut depth = 0usize;
        for (event, range) in self.parsed.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.block.push((event, range));
            if depth == 0 {
                break;
            }
        }
        if self.first_paragraph.is_none() {
            let text = first_paragraph_text(&self.block);
            if !text.is_empty() {
                self.first_paragraph = Some(text);
            }
        }
        !self.block.is_empty()
    }
}

impl<'a> Iterator for Written<'_, 'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.writer.out.pop_front() {
                return Some(event);
            }
            if self.next >= self.block.len() && !self.read_block() {
                return None;
            }
            self.next = self.writer.write_from(&self.block, self.next);
        }
    }
}

struct BodyWriter<'a, 'b> {
    html: HtmlMode,
    links: &'b dyn SiteLinks,
    source_dir: &'b str,
    used_ids: HashSet<String>,
    out: VecDeque<Event<'a>>,
    problems: Vec<(Range<usize>, LinkProblem)>,
    references: Vec<Reference>,
    /// Whether the editor's HTML went into the page as HTML.
    wrote_html: bool,
    /// Markdown links to other hosts: where, the host, and their text.
    outward_links: Vec<(Range<usize>, String, String)>,
}

impl<'a> BodyWriter<'a, '_> {
    /// Writes the event at `i` (and those it owns); returns the next index.
    fn write_from(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> usize {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Paragraph) => {
                if let Some(next) = self.try_figure(events, i) {
                    return next;
                }
                self.out.push_back(event.clone());
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let end = matching_end(events, i);
                let alt = plain_text(&events[i + 1..end]);
                self.note(ReferenceKind::Image, dest_url, range, &alt);
                if !is_safe_address(dest_url, true) {
                    self.refuse_address(dest_url, range);
                    self.out.push_back(Event::Text(alt.into()));
                    return end + 1;
                }
                let src = self.resolve(dest_url, range);
                let mut html = String::new();
                write_img(&mut html, &src, &alt, title);
                self.out.push_back(Event::InlineHtml(html.into()));
                return end + 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let end = matching_end(events, i);
                if *link_type == LinkType::Email {
                    // `<ubnd@phuong.gov.vn>`: the writer adds `mailto:`; the
                    // address is no path of the site.
                    self.note(
                        ReferenceKind::Link,
                        &format!("mailto:{dest_url}"),
                        range,
                        "",
                    );
                    self.out.push_back(event.clone());
                    return i + 1;
                }
                self.note(ReferenceKind::Link, dest_url, range, "");
                if !is_safe_address(dest_url, false) {
                    // The text stays, without the link.
                    self.refuse_address(dest_url, range);
                    let mut j = i + 1;
                    while j < end {
                        j = self.write_from(events, j);
                    }
                    return end + 1;
                }
                if let Some(host) = link_host(dest_url) {
                    let text = plain_text(&events[i + 1..end]);
                    self.outward_links.push((range.clone(), host, text));
                }
                let dest = self.resolve(dest_url, range);
                self.out.push_back(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest.into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = matching_end(events, i);
                let wanted = match id {
                    Some(id) => id.to_string(),
                    None => slugify(&plain_text(&events[i + 1..end])),
                };
                let id = self.unique_id(wanted);
                self.out.push_back(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(id.into()),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                let mut j = i + 1;
                while j < end {
                    j = self.write_from(events, j);
                }
                self.out.push_back(Event::End(TagEnd::Heading(*level)));
                return end + 1;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = matching_end(events, i);
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                self.out
                    .push_back(Event::Html(highlight::code_block(&code, lang).into()));
                return end + 1;
            }
            // The editor's markup, shown as text when the site says `html: escape`
            // (a block of it as a paragraph of its own).
            Event::Html(html) | Event::InlineHtml(html) if self.html == HtmlMode::Escape => {
                self.out.push_back(Event::Text(html.clone()));
            }
            Event::Start(Tag::HtmlBlock) if self.html == HtmlMode::Escape => {
                self.out.push_back(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::HtmlBlock) if self.html == HtmlMode::Escape => {
                self.out.push_back(Event::End(TagEnd::Paragraph));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.wrote_html = true;
                self.out.push_back(event.clone());
            }
            _ => self.out.push_back(event.clone()),
        }
        i + 1
    }

    /// `<p><img title></p>` -> `<figure><img><figcaption>title</figcaption></figure>`.
    fn try_figure(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) -> Option<usize> {
        let (
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        ) = events.get(i + 1)?
        else {
            return None;
        };
        if title.trim().is_empty() || !is_safe_address(dest_url, true) {
            return None;
        }
        let image_end = matching_end(events, i + 1);
        if !matches!(
            events.get(image_end + 1),
            Some((Event::End(TagEnd::Paragraph), _))
        ) {
            return None;
        }
        let alt = plain_text(&events[i + 2..image_end]);
        self.note(ReferenceKind::Image, dest_url, range, &alt);
        let src = self.resolve(dest_url, range);
        let mut html = String::from("<figure>");
        write_img(&mut html, &src, &alt, "");
        html.push_str("<figcaption>");
        let _ = escape_html(&mut html, title.trim());
        html.push_str("</figcaption></figure>\n");
        self.out.push_back(Event::Html(html.into()));
        Some(image_end + 2)
    }

    fn unique_id(&mut self, wanted: String) -> String {
        let base = if wanted.is_empty() {
            "muc".to_string()
        } else {
            wanted
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn refuse_address(&mut self, dest: &str, range: &Range<usize>) {
        let dest = dest.to_string();
        self.problems
            .push((range.clone(), LinkProblem::UnsafeAddress { dest }));
    }

    fn note(&mut self, kind: ReferenceKind, dest: &str, range: &Range<usize>, alt: &str) {
        self.references.push(Reference {
            range: range.clone(),
            kind,
            dest: dest.to_string(),
            alt: alt.to_string(),
        });
    }

    /// The link or image destination as the page must write it.
    fn resolve(&mut self, dest: &str, range: &Range<usize>) -> String {
        match resolve_link(dest, self.source_dir, self.links) {
            Ok(url) => url,
            Err((url, problem)) => {
                self.problems.push((range.clone(), problem));
                url
            }
        }
    }
}

/// The destinations of every link and image of `body`, without rendering it.
pub fn destinations(body: &str) -> Vec<String> {
    Parser::new_ext(body, parser_options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => Some(format!("mailto:{dest_url}")),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

/// Resolves one link or image destination written in the article at `source_dir`;
/// on a problem, also returns what to write instead.
pub fn resolve_link(
    dest: &str,
    source_dir: &str,
    links: &dyn SiteLinks,
) -> Result<String, (String, LinkProblem)> {
    let (content_path, suffix) = match local_target(dest, source_dir) {
        LocalTarget::NotLocal => return Ok(dest.to_string()),
        LocalTarget::OutsideContent => {
            let problem = LinkProblem::OutsideContent {
                dest: dest.to_string(),
            };
            return Err((dest.to_string(), problem));
        }
        LocalTarget::Path {
            content_path,
            suffix,
        } => (content_path, suffix),
    };
    if !content_path.to_ascii_lowercase().ends_with(".md") {
        return Ok(format!(
            "{}/{}{}",
            links.base_path(),
            encode_path(&content_path),
            suffix
        ));
    }
    match links.article(&content_path) {
        Some(article) => {
            let url = format!("{}{}{}", links.base_path(), article.url, suffix);
            if article.draft {
                Err((
                    url,
                    LinkProblem::DraftArticle {
                        target: content_path,
                    },
                ))
            } else {
                Ok(url)
            }
        }
        None => Err((
            "#".to_string(),
            LinkProblem::MissingArticle {
                target: content_path,
            },
        )),
    }
}

/// Where a link or image destination leads, seen from content/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalTarget<'d> {
    /// An address elsewhere (`https://`, `mailto:`, `//host`) or in the same page.
    NotLocal,
    /// A relative path that climbs out of content/.
    OutsideContent,
    /// A path in the site, relative to content/, percent-decoded and in NFC
    /// as files are known by (`dan-van/2013/hoi-nghi.md`), and the `?query`
    /// or `#anchor` after it.
    Path {
        content_path: String,
        suffix: &'d str,
    },
}

/// Resolves `dest`, written in an article in `source_dir`, against content/.
pub fn local_target<'d>(dest: &'d str, source_dir: &str) -> LocalTarget<'d> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return LocalTarget::NotLocal;
    }
    let split_at = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(split_at);
    if path.is_empty() {
        return LocalTarget::NotLocal;
    }
    let joined = match path.strip_prefix('/') {
        Some(from_root) => Some(from_root.to_string()),
        None => normalize(&format!("{source_dir}/{path}")),
    };
    match joined {
        // `%CC%81` (a link copied from an address bar) decodes to a
        // decomposed name; the file is published under the NFC one.
        Some(p) => LocalTarget::Path {
            content_path: super::text::to_nfc(percent_decode(&p)),
            suffix,
        },
        None => LocalTarget::OutsideContent,
    }
}

/// `a/b/../c` -> `a/c`; `None` if the path climbs above its root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A content path as it goes in a URL: characters that break URLs are escaped.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
}

fn write_img(html: &mut String, src: &str, alt: &str, title: &str) {
    html.push_str("<img src=\"");
    let _ = escape_href(&mut *html, src);
    html.push_str("\" alt=\"");
    let _ = escape_html(&mut *html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut *html, title);
        html.push('"');
    }
    html.push_str(" loading=\"lazy\">");
}

/// Index of the `End` that closes the `Start` at `start`.
fn matching_end(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// The text of a run of events, as a reader would read it aloud.
fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first top-level paragraph with words in it (a lone photo is not a summary).
fn first_paragraph_text(events: &[(Event, Range<usize>)]) -> String {
    let mut depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let end = matching_end(events, i);
                let text = plain_text(&without_images(&events[i + 1..end]));
                if !text.is_empty() {
                    return text;
                }
                i = end + 1;
                continue;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    String::new()
}

/// Drops the alt text of images (between an image's start and end).
fn without_images<'a>(events: &[(Event<'a>, Range<usize>)]) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::new();
    let mut in_image = 0usize;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image == 0 => out.push((event.clone(), range.clone())),
            _ => {}
        }
    }
    out
}

mod highlight {
    //! Fenced code -> `<pre><code>` with syntect's CSS classes. The syntax set is
    //! loaded on the first code block of the build: most portals have none.

    use super::*;
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::parsing::SyntaxSet;
    use syntect::util::LinesWithEndings;

    static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

    pub fn code_block(code: &str, lang: &str) -> String {
        let mut html = String::with_capacity(code.len() * 2);
        if lang.is_empty() {
            html.push_str("<pre><code>");
            let _ = escape_html(&mut html, code);
            html.push_str("</code></pre>\n");
            return html;
        }
        let syntaxes = &*SYNTAXES;
        let highlighted = syntaxes.find_syntax_by_token(lang).and_then(|syntax| {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                syntaxes,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .ok()?;
            }
            Some(generator.finalize())
        });
        let _ = write!(html, "<pre class=\"code\" data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push_str("\"><code>");
        match highlighted {
            Some(h) => html.push_str(&h),
            None => {
                let _ = escape_html(&mut html, code);
            }
        }
        html.push_str("</code></pre>\n");
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Links(HashMap<&'static str, (&'static str, bool)>);

    impl SiteLinks for Links {
        fn article(&self, path: &str) -> Option<LinkedArticle<'_>> {
            self.0
                .get(path)
                .map(|(url, draft)| LinkedArticle { url, draft: *draft })
        }
        fn base_path(&self) -> &str {
            ""
        }
    }

    fn links() -> Links {
        Links(HashMap::from([
            ("dan-van/2013/hoi-nghi.md", ("/dan-van/hoi-nghi/", false)),
            ("dan-van/2014/nhap.md", ("/dan-van/nhap/", true)),
        ]))
    }

    fn html(md: &str) -> String {
        render(md, "dan-van/2014", &links()).html
    }

    #[test]
    fn captioned_image_becomes_figure() {
        let out = html("![Ảnh hội nghị](/images/a.jpg \"Đồng chí Châu phát biểu\")\n");
        assert_eq!(
            out,
            "<figure><img src=\"/images/a.jpg\" alt=\"Ảnh hội nghị\" loading=\"lazy\"><figcaption>Đồng chí Châu phát biểu</figcaption></figure>\n"
        );
    }

    #[test]
    fn image_without_title_stays_in_paragraph() {
        let out = html("![Ảnh](../../images/a.jpg)\n");
        assert_eq!(
            out,
            "<p><img src=\"/images/a.jpg\" alt=\"Ảnh\" loading=\"lazy\"></p>\n"
        );
    }

    #[test]
    fn article_links_become_page_urls() {
        let r = render(
            "[xem thêm](../2013/hoi-nghi.md#ket-qua)",
            "dan-van/2014",
            &links(),
        );
        assert!(
            r.html.contains("href=\"/dan-van/hoi-nghi/#ket-qua\""),
            "{}",
            r.html
        );
        assert!(r.problems.is_empty());
    }

    #[test]
    fn missing_and_draft_links_are_reported() {
        let r = render(
            "a [x](khong-co.md) b [y](nhap.md)",
            "dan-van/2014",
            &links(),
        );
        assert_eq!(
            r.problems
                .iter()
                .map(|(_, p)| p.clone())
                .collect::<Vec<_>>(),
            [
                LinkProblem::MissingArticle {
                    target: "dan-van/2014/khong-co.md".into()
                },
                LinkProblem::DraftArticle {
                    target: "dan-van/2014/nhap.md".into()
                },
            ]
        );
        assert_eq!(r.problems[0].0.start, 2);
    }

    #[test]
    fn links_cannot_climb_out_of_content() {
        let r = render("[x](../../../../etc/passwd)", "dan-van/2014", &links());
        assert!(matches!(
            r.problems[0].1,
            LinkProblem::OutsideContent { .. }
        ));
    }

    #[test]
    fn external_links_are_untouched() {
        let out = html("[a](https://x.gov.vn/a.md) [b](mailto:a@b.vn) [c](#muc)");
        assert!(out.contains("href=\"https://x.gov.vn/a.md\""));
        assert!(out.contains("href=\"mailto:a@b.vn\""));
        assert!(out.contains("href=\"#muc\""));
    }

    #[test]
    fn headings_get_unique_folded_ids() {
        let out = html("## Kết quả đạt được\n\n## Kết quả đạt được\n\n## Tin đã đưa\n");
        assert!(out.contains("<h2 id=\"ket-qua-dat-duoc\">"), "{out}");
        assert!(out.contains("<h2 id=\"ket-qua-dat-duoc-1\">"), "{out}");
        assert!(out.contains("<h2 id=\"tin-da-dua-1\">"), "{out}");
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let out = html("| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n[^1]: Ghi chú.\n");
        assert!(out.contains("<table>"));
        assert!(out.contains("<del>cũ</del>"));
        assert!(out.contains("footnote"));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let out = html("```json\n{\"a\": 1}\n```\n");
        assert!(
            out.contains("<pre class=\"code\" data-lang=\"json\">"),
            "{out}"
        );
        assert!(out.contains("class=\"hl-"), "{out}");
        let plain = html("```\n<b>\n```\n");
        assert_eq!(plain, "<pre><code>&lt;b&gt;\n</code></pre>\n");
    }

    fn with_html(md: &str, mode: HtmlMode) -> String {
        let options = BodyOptions {
            html: mode,
            ..BodyOptions::default()
        };
        render_with(md, "", &links(), options).html
    }

    #[test]
    fn raw_html_is_sanitised_kept_or_escaped() {
        let md =
            "<div class=\"x\" onclick=\"f()\">khối</div>\n\nchữ <b>đậm</b> ![a](/a.jpg \"Ảnh\")\n";
        let sanitised = html(md);
        assert!(sanitised.contains("<div>khối</div>"), "{sanitised}");
        assert!(sanitised.contains("<b>đậm</b>"), "{sanitised}");
        let kept = with_html(md, HtmlMode::Keep);
        assert!(
            kept.contains("<div class=\"x\" onclick=\"f()\">khối</div>"),
            "{kept}"
        );
        let off = with_html(md, HtmlMode::Escape);
        assert!(
            off.starts_with("<p>&lt;div class=\"x\" onclick=\"f()\"&gt;khối&lt;/div&gt;\n</p>"),
            "{off}"
        );
        assert!(off.contains("&lt;b&gt;đậm&lt;/b&gt;"), "{off}");
        assert!(!off.contains("<div") && !off.contains("<b>"), "{off}");
        assert!(
            off.contains("<img src=\"/a.jpg\""),
            "our own markup stays: {off}"
        );
    }

    #[test]
    fn bodies_without_html_are_not_reserialised() {
        let plain = "## Kết quả\n\nhai  \nba & \"b\"\n\n---\n";
        assert_eq!(html(plain), with_html(plain, HtmlMode::Keep));
        assert!(html(plain).contains("<br />"), "pulldown-cmark's own bytes");
    }

    #[test]
    fn script_addresses_are_never_links_in_any_mode() {
        for mode in [HtmlMode::Sanitize, HtmlMode::Keep, HtmlMode::Escape] {
            let options = BodyOptions {
                html: mode,
                ..BodyOptions::default()
            };
            let r = render_with(
                "[bấm](javascript:alert(1)) [b](jav&#x09;ascript:x) <vbscript:msgbox(1)> ![ảnh](data:text/html,x) ![p](data:image/png;base64,AA)",
                "",
                &links(),
                options,
            );
            assert!(!r.html.contains("href"), "{mode:?}: {}", r.html);
            assert!(
                r.html.contains("bấm") && r.html.contains("ảnh"),
                "{}",
                r.html
            );
            assert!(
                r.html.contains("<img src=\"data:image/png;base64,AA\""),
                "{}",
                r.html
            );
            let refused: Vec<_> = r
                .problems
                .iter()
                .filter(|(_, p)| matches!(p, LinkProblem::UnsafeAddress { .. }))
                .collect();
            assert_eq!(refused.len(), 4, "{mode:?}: {:?}", r.problems);
        }
    }

    #[test]
    fn email_autolinks_are_mailto_links() {
        let r = render("Liên hệ <ubnd.q2@tphcm.gov.vn>.", "tin/2024", &links());
        assert!(
            r.html
                .contains("<a href=\"mailto:ubnd.q2@tphcm.gov.vn\">ubnd.q2@tphcm.gov.vn</a>"),
            "{}",
            r.html
        );
        assert!(r.problems.is_empty());
        assert_eq!(r.references[0].dest, "mailto:ubnd.q2@tphcm.gov.vn");
    }

    #[test]
    fn hidden_links_to_other_hosts_are_found_at_their_line() {
        let body = "Tin.\n\n<div style=\"display:none\">\n\n[nhà cái](https://okvip.com/)\n\n</div>\n\n<p hidden><a href=\"https://mu88.bet\">x</a></p>\n";
        let r = render(body, "", &links());
        let hidden: Vec<_> = r
            .problems
            .iter()
            .map(|(range, p)| (body[..range.start].matches('\n').count() + 1, p.clone()))
            .collect();
        assert_eq!(
            hidden,
            [
                (
                    5,
                    LinkProblem::HiddenLink {
                        host: "okvip.com".into(),
                        hidden_by: "display:none".into()
                    }
                ),
                (
                    9,
                    LinkProblem::HiddenLink {
                        host: "mu88.bet".into(),
                        hidden_by: "the `hidden` attribute".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn visible_betting_links_are_reported_and_honest_ones_are_not() {
        let body = "[Nhà cái uy tín](https://example.com/a) [xem](https://jun88.net)\n\n\
                    <p><a href=\"https://x.club\">tai xiu online</a></p>\n\n\
                    Triệt phá đường dây cá cược: [Bộ Công an](https://bocongan.gov.vn/tin/ca-cuoc) và [cá cược](/tin/a/).\n";
        let r = render(body, "", &links());
        let patterns: Vec<_> = r
            .problems
            .iter()
            .map(|(_, p)| match p {
                LinkProblem::BettingLink { host, pattern } => format!("{host} {pattern}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            patterns,
            ["example.com nhà cái", "jun88.net jun88", "x.club tài xỉu"]
        );
        let honest = render(
            "Triệt phá đường dây cá cược, nhà cái: [Bộ Công an](https://bocongan.gov.vn/tin/ca-cuoc), [tin](../2013/hoi-nghi.md).\n",
            "dan-van/2014",
            &links(),
        );
        assert!(honest.problems.is_empty(), "{:?}", honest.problems);
    }

    #[test]
    fn destinations_of_links_and_images() {
        let body = "[a](x.md) ![b](/anh.jpg \"t\") <https://a.vn> [c][r]\n\n[r]: tep.pdf\n";
        assert_eq!(
            destinations(body),
            ["x.md", "/anh.jpg", "https://a.vn", "tep.pdf"]
        );
    }

    #[test]
    fn first_paragraph_skips_photos() {
        let r = render(
            "![a](/a.jpg \"Ảnh\")\n\n(Website Quận 2) - Ngày 15/01/2014,\nBan Dân vận *họp*.\n\nSau.",
            "",
            &links(),
        );
        assert_eq!(
            r.first_paragraph,
            "(Website Quận 2) - Ngày 15/01/2014, Ban Dân vận họp."
        );
    }
}
