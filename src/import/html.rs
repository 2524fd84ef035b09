//! HTML pages (saved or crawled `.html`/`.aspx`) -> blocks in reading order, with
//! what the page's head and markup say about the article (hints).
//!
//! Elements that are chrome by their tag (`nav`, `script`, `form`…) or by their
//! class or id (`menu`, `breadcrumb`, `tinkhac`, `share`…) are left out, unless they
//! hold the article's heading or most of the page's text: a wrapper whose class
//! happens to say `header` must not take the article with it.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};

use super::page::{Block, Kind, collapse_spaces, escape_inline, escape_line_start};
use crate::content::links_audit::{
    BettingPatterns, HidingRules, hidden_itself, link_host, links_to_other_hosts,
};

/// What the markup says about the article, beside its text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hints {
    /// `og:title`, else `<title>`.
    pub head_title: Option<String>,
    /// A machine-readable date (`article:published_time`, `<time datetime>`).
    pub date: Option<String>,
    /// `article:section`, else the last link of the breadcrumb.
    pub category: Option<String>,
    pub author: Option<String>,
    /// The page's own address: canonical link, `og:url`, or the "saved from url"
    /// comment browsers write into saved pages.
    pub url: Option<String>,
    /// How many elements were left out as chrome.
    pub chrome_elements: usize,
    /// Links planted in the page (hidden links to other hosts, links to betting
    /// sites), left out of the article: what each was, for the report.
    pub planted: Vec<String>,
    /// Every link and image address kept in the article: as the page wrote it,
    /// and as the Markdown writes it (see [`Reference`]).
    pub references: Vec<Reference>,
}

/// A link or image of the article: the address as the page wrote it
/// (`../images/a.jpg`, `./Trang_files/b.jpg`), which finds the file saved beside
/// the page, and as the Markdown writes it (made absolute against the old address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub written: String,
    pub markdown: String,
    pub image: bool,
}

/// Tags whose content is never article text.
#[rustfmt::skip]
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "footer", "aside", "form",
    "iframe", "button", "input", "select", "textarea", "svg", "object", "embed", "link",
    "meta", "map", "marquee", "label",
];

/// Class or id words (lower-case, split at `-`, `_`, spaces) that mark chrome.
#[rustfmt::skip]
const CHROME_WORDS: &[&str] = &[
    "menu", "menus", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "share",
    "sharing", "social", "sidebar", "related", "tinkhac", "othernews", "othernew", "footer",
    "search", "timkiem", "counter", "visitor", "visitors", "comment", "comments", "pager",
    "pagination", "paging", "widget", "advert", "ads", "quangcao", "login", "lienquan",
    "tinlienquan", "cungchuyenmuc", "xemnhieu", "mostview", "mostviewed", "topnews",
    "hotnews", "weblink", "weblinks", "lienket", "poll", "thamdo", "copyright", "thongke",
    "statistic", "statistics", "leftpane", "rightpane", "leftcol", "rightcol", "leftcolumn",
    "rightcolumn", "rating", "facebook", "zalo", "twitter", "skip", "bottombar", "ribbon",
];

/// Class or id words that mark chrome only when the element holds no heading and no
/// date: `header` names the site's header and the box of an article's title alike.
#[rustfmt::skip]
const WEAK_CHROME_WORDS: &[&str] = &[
    "header", "banner", "logo", "top", "topbar", "other", "toolbar", "print", "tags", "info",
];

/// Parts of class or id words that mark chrome wherever they stand in the word
/// (`MainMenu`, `boxTinKhac`, `ctl00_SearchBox`).
#[rustfmt::skip]
const CHROME_PARTS: &[&str] = &[
    "menu", "breadcrumb", "footer", "search", "sidebar", "counter", "share", "tinkhac",
    "lienquan", "othernews", "relatednews", "quangcao", "ribbon", "timkiem",
];

/// Attributes holding a lazily loaded picture's address, before its `src`.
const LAZY_SOURCES: &[&str] = &["data-src", "data-original", "data-lazy-src"];

/// Class words of an image's caption.
#[rustfmt::skip]
const CAPTION_WORDS: &[&str] = &[
    "caption", "figcaption", "desc", "description", "imagedesc", "image_desc", "chuthich",
    "imgcaption", "photocaption", "pcaption", "img-caption", "image-caption",
];

static SAVED_FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"saved from url=\(\d+\)(\S+?)\s*-->").expect("a valid pattern"));

/// HTTrack's mark on each page it saved: `<!-- Mirrored from host/tin.aspx?ID=1 by
/// HTTrack Website Copier/3.x …`. It renames the file (`tin4b2c.html`), so this,
/// not the file's place in the mirror, is the old address.
static MIRRORED_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*Mirrored from (\S+) by HTTrack Website Copier").expect("a valid pattern")
});

/// The old address in HTTrack's "Mirrored from" comment; HTTrack writes it without
/// `http://` (and with `https://` for a secure host).
pub fn httrack_address(text: &str) -> Option<String> {
    let address = MIRRORED_FROM.captures(text)?.get(1)?.as_str();
    Some(if address.contains("://") {
        address.to_string()
    } else {
        format!("http://{address}")
    })
}

/// The first font an element names: `<font face=".VnTimeH">`, or
/// `style="font-family: '.VnTimeH', serif"`.
fn font_family(element: &ElementRef) -> Option<String> {
    let value = element.value();
    let families = value.attr("face").map(str::to_string).or_else(|| {
        let style = value.attr("style")?.to_ascii_lowercase();
        let start = style.find("font-family")? + "font-family".len();
        let rest = style[start..].trim_start().strip_prefix(':')?;
        Some(rest.split(';').next().unwrap_or("").to_string())
    })?;
    let first = families.split(',').next()?;
    let first = first.trim().trim_matches(|c| c == '\'' || c == '"').trim();
    (!first.is_empty()).then(|| first.to_string())
}

/// `.VnTimeH`, `.VnArialH`, `.VnCentury SchoolbookH`: the TCVN3 fonts whose letters
/// are all capitals (their names end in `H`, for "hoa", upper-case).
fn is_tcvn3_capital_font(font: &str) -> bool {
    let lower = font.to_ascii_lowercase();
    lower.starts_with(".vn") && lower.ends_with('h')
}

/// Reads an HTML page into blocks and hints; `address` is the page's old address
/// by where it was saved, for a page that names none.
pub fn read_html(text: &str, address: Option<&str>) -> (Vec<Block>, Hints) {
    read_html_in(text, address, false)
}

/// [`read_html`] for a page read from TCVN3 bytes (`tcvn3`): the text of its
/// capital fonts (`<font face=".VnTimeH">`) is upper-cased, as the page showed it.
/// TCVN3 has no bytes for toned capitals: they were typed lower-case in a font
/// whose letters are all capitals.
pub fn read_html_in(text: &str, address: Option<&str>, tcvn3: bool) -> (Vec<Block>, Hints) {
    let document = Html::parse_document(text);
    let mut hints = head_hints(&document);
    if hints.url.is_none() {
        hints.url = SAVED_FROM.captures(text).map(|c| c[1].to_string());
    }
    if hints.url.is_none() {
        hints.url = httrack_address(text);
    }
    if hints.url.is_none() {
        hints.url = address.map(str::to_string);
    }
    let body_chars = select_first(&document, "body")
        .map(|b| text_chars(&b))
        .unwrap_or(0);
    let mut reader = Reader {
        blocks: Vec::new(),
        inline: Inline::default(),
        own_host: hints.url.as_deref().and_then(link_host),
        base: hints.url.clone(),
        body_chars,
        capital_fonts: tcvn3,
        chrome_elements: 0,
        hiding: HidingRules::of(&document),
        planted: Vec::new(),
        references: Vec::new(),
    };
    let root = select_first(&document, "body").unwrap_or_else(|| document.root_element());
    reader.children(*root, Context::default());
    reader.flush(Kind::Paragraph);
    hints.chrome_elements = reader.chrome_elements;
    hints.planted = reader.planted;
    hints.references = reader.references;
    (reader.blocks, hints)
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn select_first<'a>(document: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    document.select(&selector(css)?).next()
}

fn attr_of(document: &Html, css: &str, attr: &str) -> Option<String> {
    let value = collapse_spaces(select_first(document, css)?.value().attr(attr)?);
    (!value.is_empty()).then_some(value)
}

fn text_of(element: &ElementRef) -> String {
    collapse_spaces(&element.text().collect::<String>())
}

fn text_chars(element: &ElementRef) -> usize {
    element
        .text()
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

fn head_hints(document: &Html) -> Hints {
    let head_title = attr_of(document, r#"meta[property="og:title"]"#, "content").or_else(|| {
        select_first(document, "title")
            .map(|t| text_of(&t))
            .filter(|t| !t.is_empty())
    });
    let date = [
        (r#"meta[property="article:published_time"]"#, "content"),
        (r#"meta[itemprop="datePublished"]"#, "content"),
        (r#"[itemprop="datePublished"]"#, "datetime"),
        ("time[datetime]", "datetime"),
        (r#"meta[name="pubdate"]"#, "content"),
        (r#"meta[name="date"]"#, "content"),
    ]
    .iter()
    .find_map(|(css, attr)| attr_of(document, css, attr));
    let category = attr_of(document, r#"meta[property="article:section"]"#, "content")
        .or_else(|| breadcrumb_category(document));
    let author = attr_of(document, r#"meta[name="author"]"#, "content").or_else(|| {
        select_first(
            document,
            r#"[itemprop="author"], [rel="author"], .author, .tacgia"#,
        )
        .map(|a| text_of(&a))
        .filter(|a| !a.is_empty() && a.chars().count() <= 80)
    });
    let url = attr_of(document, r#"link[rel="canonical"]"#, "href")
        .or_else(|| attr_of(document, r#"meta[property="og:url"]"#, "content"))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .filter(|u| !is_home_page(u));
    Hints {
        head_title,
        date,
        category,
        author,
        url,
        chrome_elements: 0,
        planted: Vec::new(),
        references: Vec::new(),
    }
}

/// `https://quan2.example.gov.vn/`: a canonical link some CMSs give every page.
pub(crate) fn is_home_page(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(
        path.as_str(),
        "" | "/" | "/default.aspx" | "/index.html" | "/index.php" | "/pages/default.aspx"
    )
}

/// The breadcrumb's last link that is not the home page: `Trang chủ > Tin tức > Dân vận`.
fn breadcrumb_category(document: &Html) -> Option<String> {
    let crumbs = select_first(
        document,
        r#"[class*="breadcrumb"], [id*="breadcrumb"], [class*="duongdan"], [class*="BreadCrumb"]"#,
    )?;
    let links = selector("a")?;
    crumbs
        .select(&links)
        .map(|a| text_of(&a))
        .filter(|t| {
            let lower = t.to_lowercase();
            !t.is_empty() && !matches!(lower.as_str(), "trang chủ" | "home" | "trang nhất")
        })
        .last()
}

/// Class and id words of an element, lower-case.
fn class_words(element: &ElementRef) -> Vec<String> {
    let value = element.value();
    let mut words = Vec::new();
    for name in value.classes().chain(value.id()) {
        let lower = name.to_lowercase();
        words.extend(
            lower
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
        words.push(lower);
    }
    words
}

/// Inline content gathered until the next block starts.
#[derive(Default)]
struct Inline {
    markdown: String,
    text: String,
    link_chars: usize,
}

#[derive(Default, Clone, Copy)]
struct Context {
    /// Inside a list item: paragraphs inside it join the item.
    in_item: bool,
    /// Inside a link: its text counts as link text; nested links are text.
    in_link: bool,
    /// How deep in the page's elements: past [`MAX_DEPTH`] only text is taken.
    depth: usize,
    /// In a TCVN3 capital font (`.VnTimeH`): its letters showed upper-case.
    capitals: bool,
}

/// Deeper than this, an element's text is taken without walking its elements, so
/// that no page can exhaust the stack (real pages nest a few dozen levels).
const MAX_DEPTH: usize = 256;

struct Reader {
    blocks: Vec<Block>,
    inline: Inline,
    base: Option<String>,
    /// The host of the page's own address: its links are not another host's.
    own_host: Option<String>,
    body_chars: usize,
    /// Whether TCVN3 capital fonts (`.VnTimeH`) show their text upper-case: in a
    /// page read from TCVN3 bytes, whose text is already Vietnamese.
    capital_fonts: bool,
    chrome_elements: usize,
    /// The classes and ids the page's `<style>` elements hide.
    hiding: HidingRules,
    planted: Vec<String>,
    references: Vec<Reference>,
}

impl Reader {
    fn children(&mut self, node: NodeRef<Node>, ctx: Context) {
        for child in node.children() {
            self.node(child, ctx);
        }
    }

    fn node(&mut self, node: NodeRef<Node>, ctx: Context) {
        match node.value() {
            Node::Text(text) => self.push_text(text, ctx),
            Node::Element(_) => {
                if let Some(element) = ElementRef::wrap(node) {
                    self.element(element, ctx);
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str, ctx: Context) {
        let upper;
        let text = if ctx.capitals {
            upper = text.to_uppercase();
            upper.as_str()
        } else {
            text
        };
        self.inline.markdown.push_str(&escape_inline(text));
        self.inline.text.push_str(text);
        if ctx.in_link {
            self.inline.link_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        }
    }

    fn is_chrome(&self, element: &ElementRef) -> bool {
        let name = element.value().name();
        if matches!(name, "script" | "style" | "noscript" | "template" | "head") {
            return true;
        }
        let by_tag = SKIPPED_TAGS.contains(&name);
        let words = if by_tag {
            Vec::new()
        } else {
            class_words(element)
        };
        let strong = words.iter().any(|w| {
            CHROME_WORDS.contains(&w.as_str()) || CHROME_PARTS.iter().any(|p| w.contains(p))
        });
        let weak = words
            .iter()
            .any(|w| WEAK_CHROME_WORDS.contains(&w.as_str()));
        if !(by_tag || strong || weak) {
            return false;
        }
        // Never drop the article with its wrapper.
        let holds_heading = selector("h1, [itemprop=articleBody]")
            .is_some_and(|s| element.select(&s).next().is_some());
        let most_of_page = text_chars(element) * 2 > self.body_chars;
        if holds_heading || most_of_page {
            return false;
        }
        // `news-header`, `top-info`: chrome unless it holds a heading or a date,
        // as the boxes around an article's title do.
        if weak && !(by_tag || strong) {
            let holds_title =
                selector("h2, h3").is_some_and(|s| element.select(&s).next().is_some());
            let text = element.text().collect::<Vec<_>>().join(" ");
            return !holds_title && super::dates::find_date(&text).is_none();
        }
        true
    }

    fn element(&mut self, element: ElementRef, ctx: Context) {
        if ctx.depth >= MAX_DEPTH {
            let text = element.text().collect::<Vec<_>>().join(" ");
            self.push_text(&text, ctx);
            return;
        }
        let ctx = Context {
            depth: ctx.depth + 1,
            capitals: match font_family(&element) {
                Some(font) if self.capital_fonts => is_tcvn3_capital_font(&font),
                _ => ctx.capitals,
            },
            ..ctx
        };
        if self.is_chrome(&element) {
            self.chrome_elements += 1;
            return;
        }
        if self.is_planted_block(&element) {
            return;
        }
        let name = element.value().name();
        match name {
            "br" | "hr" => self.flush_in(ctx),
            "img" => self.image(&element, None, ctx),
            "a" => self.link(element, ctx),
            "strong" | "b" => self.wrapped(element, "**", ctx),
            "em" | "i" => self.wrapped(element, "*", ctx),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush(Kind::Paragraph);
                self.children(*element, ctx);
                let level = name[1..].parse().unwrap_or(2);
                self.flush(Kind::Heading(level));
            }
            "li" => {
                self.flush_in(ctx);
                let number = self.item_number(&element);
                self.children(
                    *element,
                    Context {
                        in_item: true,
                        ..ctx
                    },
                );
                self.flush(Kind::Item(number));
            }
            "table" => self.table(element, ctx),
            "figure" => self.figure(element, ctx),
            _ if is_block(name) => {
                if ctx.in_item {
                    self.inline.markdown.push(' ');
                    self.inline.text.push(' ');
                    self.children(*element, ctx);
                    return;
                }
                self.flush(Kind::Paragraph);
                if self.is_caption(&element) {
                    let caption = text_of(&element);
                    if let Some(last) = self.blocks.last_mut()
                        && last.kind == Kind::Image
                        && !caption.is_empty()
                        && !last.markdown.ends_with("\")")
                    {
                        set_caption(last, &caption);
                        return;
                    }
                }
                self.children(*element, ctx);
                self.flush(Kind::Paragraph);
            }
            _ => self.children(*element, ctx),
        }
    }

    /// Whether `element` is hidden from readers and holds links to other hosts:
    /// the links planted in hacked portals for search engines. Noted when it is.
    fn is_planted_block(&mut self, element: &ElementRef) -> bool {
        let Some(how) = hidden_itself(*element, &self.hiding) else {
            return false;
        };
        let links = links_to_other_hosts(&element.html(), self.own_host.as_deref());
        if links.is_empty() {
            return false;
        }
        let hosts: Vec<&str> = links.iter().map(|l| l.host.as_str()).collect();
        self.planted.push(format!(
            "a hidden block ({how}) with links to {}",
            hosts.join(", ")
        ));
        true
    }

    /// Whether the link `element` leads to a betting site by its host or text.
    /// Noted when it does.
    fn is_betting_link(&mut self, element: &ElementRef) -> bool {
        let Some(host) = element.value().attr("href").and_then(link_host) else {
            return false;
        };
        if self.own_host.as_deref() == Some(host.as_str()) {
            return false;
        }
        let text = collapse_spaces(&element.text().collect::<String>());
        match BettingPatterns::get().matching(&host, &text) {
            Some(pattern) => {
                self.planted.push(format!(
                    "a link to {host} (\"{}\", matches `{pattern}`)",
                    crate::content::text::shorten(&text, 40)
                ));
                true
            }
            None => false,
        }
    }

    fn is_caption(&self, element: &ElementRef) -> bool {
        element.value().name() == "figcaption"
            || class_words(element)
                .iter()
                .any(|w| CAPTION_WORDS.contains(&w.as_str()))
    }

    /// The number of an `<ol>` item, counting from the list's `start`.
    fn item_number(&self, element: &ElementRef) -> Option<u32> {
        let parent = element.parent().and_then(ElementRef::wrap)?;
        if parent.value().name() != "ol" {
            return None;
        }
        let start: u32 = parent
            .value()
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        let before = element
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "li")
            .count() as u32;
        Some(start + before)
    }

    fn flush_in(&mut self, ctx: Context) {
        if ctx.in_item {
            self.inline.markdown.push(' ');
            self.inline.text.push(' ');
        } else {
            self.flush(Kind::Paragraph);
        }
    }

    /// Ends the inline content gathered so far as a block of `kind`.
    fn flush(&mut self, kind: Kind) {
        let inline = std::mem::take(&mut self.inline);
        let text = collapse_spaces(&inline.text);
        if text.is_empty() {
            return;
        }
        let markdown = escape_line_start(&collapse_spaces(&inline.markdown));
        self.blocks.push(Block {
            kind,
            text,
            markdown,
            link_chars: inline.link_chars,
        });
    }

    fn wrapped(&mut self, element: ElementRef, mark: &str, ctx: Context) {
        let outer = std::mem::take(&mut self.inline);
        let blocks_before = self.blocks.len();
        self.children(*element, ctx);
        let inner = std::mem::replace(&mut self.inline, outer);
        if self.blocks.len() != blocks_before {
            // A block inside the emphasis: keep its text, drop the emphasis.
            self.append(inner, "", "");
            return;
        }
        self.append(inner, mark, mark);
    }

    /// Appends gathered inline content, wrapped in `open`/`close` around its
    /// trimmed text (Markdown emphasis must not start or end with a space).
    fn append(&mut self, inner: Inline, open: &str, close: &str) {
        let trimmed = inner.markdown.trim();
        if trimmed.is_empty() {
            self.inline.markdown.push_str(&inner.markdown);
        } else {
            if inner.markdown.starts_with(char::is_whitespace) {
                self.inline.markdown.push(' ');
            }
            self.inline.markdown.push_str(open);
            self.inline.markdown.push_str(trimmed);
            self.inline.markdown.push_str(close);
            if inner.markdown.ends_with(char::is_whitespace) {
                self.inline.markdown.push(' ');
            }
        }
        self.inline.text.push_str(&inner.text);
        self.inline.link_chars += inner.link_chars;
    }

    fn link(&mut self, element: ElementRef, ctx: Context) {
        if self.is_betting_link(&element) {
            return; // with its text: "nhà cái uy tín" is no part of the article
        }
        let href = element
            .value()
            .attr("href")
            .map(str::trim)
            .filter(|h| !h.is_empty() && !h.starts_with('#'))
            .filter(|h| is_safe_address(h))
            // A link to a `.md` file would be read as a link to an article of this site.
            .filter(|h| {
                let path = h.split(['?', '#']).next().unwrap_or_default();
                !path.to_ascii_lowercase().ends_with(".md")
            })
            .map(|h| (h.to_string(), self.site_path(self.resolve(h))));
        let outer = std::mem::take(&mut self.inline);
        let blocks_before = self.blocks.len();
        let inner_ctx = Context {
            in_link: true,
            ..ctx
        };
        self.children(*element, inner_ctx);
        let inner = std::mem::replace(&mut self.inline, outer);
        match href {
            Some((written, href)) if !ctx.in_link && self.blocks.len() == blocks_before => {
                let markdown = markdown_url(&href);
                let close = format!("]({markdown})");
                self.references.push(Reference {
                    written,
                    markdown,
                    image: false,
                });
                self.append(inner, "[", &close);
            }
            _ => self.append(inner, "", ""),
        }
    }

    fn image(&mut self, element: &ElementRef, caption: Option<&str>, ctx: Context) {
        // A page that loads its pictures lazily names the picture in `data-src`
        // (`data-original`…) and a blank placeholder in `src`.
        let Some(src) = LAZY_SOURCES
            .iter()
            .chain(["src"].iter())
            .filter_map(|a| element.value().attr(a).map(str::trim))
            .find(|s| !s.is_empty())
        else {
            return;
        };
        if !is_safe_address(src) {
            return;
        }
        let markdown = markdown_url(&self.resolve(src));
        let alt = collapse_spaces(element.value().attr("alt").unwrap_or_default());
        self.flush_in(ctx);
        let mut block = Block {
            kind: Kind::Image,
            text: String::new(),
            markdown: format!("![{}]({markdown})", escape_inline(&alt)),
            link_chars: 0,
        };
        self.references.push(Reference {
            written: src.to_string(),
            markdown,
            image: true,
        });
        if let Some(caption) = caption.filter(|c| !c.is_empty()) {
            set_caption(&mut block, caption);
        }
        self.blocks.push(block);
    }

    fn figure(&mut self, element: ElementRef, ctx: Context) {
        let caption = selector("figcaption")
            .and_then(|s| element.select(&s).next())
            .map(|c| text_of(&c));
        let images: Vec<ElementRef> = selector("img")
            .map(|s| element.select(&s).collect())
            .unwrap_or_default();
        if images.len() != 1 {
            self.flush(Kind::Paragraph);
            self.children(*element, ctx);
            self.flush(Kind::Paragraph);
            return;
        }
        self.image(&images[0], caption.as_deref(), ctx);
        // Text in the figure other than the image and its caption stays.
        for child in element.children() {
            if let Some(e) = ElementRef::wrap(child)
                && matches!(e.value().name(), "img" | "figcaption" | "a" | "picture")
            {
                continue;
            }
            self.node(child, ctx);
        }
        self.flush(Kind::Paragraph);
    }

    fn table(&mut self, element: ElementRef, ctx: Context) {
        self.flush(Kind::Paragraph);
        let rows = table_rows(&element);
        let images: Vec<ElementRef> = selector("img")
            .map(|s| element.select(&s).collect())
            .unwrap_or_default();
        let nested = selector("table").is_some_and(|s| element.select(&s).nth(1).is_some());
        let cells: usize = rows.iter().map(Vec::len).sum();
        // The editors' image box: one image in one cell, its caption in the other.
        if images.len() == 1 && !nested && cells <= 2 && rows.iter().all(|r| r.len() == 1) {
            let caption = rows.iter().map(|r| text_of(&r[0])).find(|t| !t.is_empty());
            self.image(&images[0], caption.as_deref(), ctx);
            return;
        }
        let long_cell = rows.iter().flatten().any(|c| text_chars(c) > 400);
        if nested || !images.is_empty() || long_cell || rows.is_empty() || cells < 2 {
            // A layout table: its cells are parts of the page.
            self.children(*element, ctx);
            self.flush(Kind::Paragraph);
            return;
        }
        let mut reader = Reader {
            blocks: Vec::new(),
            inline: Inline::default(),
            base: self.base.clone(),
            own_host: self.own_host.clone(),
            body_chars: self.body_chars,
            capital_fonts: self.capital_fonts,
            chrome_elements: 0,
            hiding: self.hiding.clone(),
            planted: Vec::new(),
            references: Vec::new(),
        };
        let width = rows.iter().map(Vec::len).max().unwrap_or(1);
        let mut lines = Vec::new();
        let mut text = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let mut line = String::from("|");
            for c in 0..width {
                let cell = row
                    .get(c)
                    .map(|cell| reader.cell_markdown(cell, ctx))
                    .unwrap_or_default();
                if !cell.trim().is_empty() {
                    text.push(row.get(c).map(text_of).unwrap_or_default());
                }
                line.push_str(&format!(" {cell} |"));
            }
            lines.push(line);
            if i == 0 {
                lines.push(format!("|{}", " --- |".repeat(width)));
            }
        }
        self.planted.append(&mut reader.planted);
        self.references.append(&mut reader.references);
        self.blocks.push(Block {
            kind: Kind::Table,
            text: text.join(" "),
            markdown: lines.join("\n"),
            link_chars: 0,
        });
    }

    /// A table cell's content on one line (blocks inside joined by `<br>`).
    fn cell_markdown(&mut self, cell: &ElementRef, ctx: Context) -> String {
        let ctx = Context {
            depth: ctx.depth,
            capitals: ctx.capitals,
            ..Context::default()
        };
        self.children(**cell, ctx);
        self.flush(Kind::Paragraph);
        let parts: Vec<String> = self.blocks.drain(..).map(|b| b.markdown).collect();
        parts.join("<br>")
    }

    /// A link to another page of the old portal's own host, as a path of this site
    /// (`http://quan3.example.gov.vn/tin/a.html` -> `/tin/a.html`): the closed
    /// host answers no more, and the archive redirects the old paths of the pages
    /// it imported (their `aliases`). Files, and pages named by a query string
    /// (which no static host can redirect), keep the old address.
    fn site_path(&self, url: String) -> String {
        let Some(own) = self.own_host.as_deref() else {
            return url;
        };
        if link_host(&url).as_deref() != Some(own) || url.contains('?') {
            return url;
        }
        let Some(rest) = url.split_once("://").map(|(_, rest)| rest) else {
            return url;
        };
        let path = rest.find('/').map_or("/", |i| &rest[i..]);
        if super::assets::is_copied(path) {
            return url;
        }
        path.to_string()
    }

    /// A link or image address made absolute against the page's own address; a
    /// relative one without it becomes a site path (where a saved file is then looked for: see `assets`).
    fn resolve(&self, href: &str) -> String {
        let lower = href.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
        {
            return href.to_string();
        }
        if let Some(rest) = href.strip_prefix("//") {
            return format!("https://{rest}");
        }
        if let Some(base) = &self.base
            && let Some(scheme_end) = base.find("://")
        {
            let host_end = base[scheme_end + 3..]
                .find('/')
                .map_or(base.len(), |i| scheme_end + 3 + i);
            if href.starts_with('/') {
                return format!("{}{href}", &base[..host_end]);
            }
            let dir_end = base
                .rfind('/')
                .filter(|i| *i >= host_end)
                .unwrap_or(host_end);
            return format!("{}/{}", &base[..dir_end], href.trim_start_matches("./"));
        }
        let mut path = href;
        while let Some(rest) = path.strip_prefix("../").or_else(|| path.strip_prefix("./")) {
            path = rest;
        }
        format!("/{}", path.trim_start_matches('/'))
    }
}

fn set_caption(block: &mut Block, caption: &str) {
    let caption = collapse_spaces(caption);
    let title = caption.replace('\\', "\\\\").replace('"', "\\\"");
    if let Some(stripped) = block.markdown.strip_suffix(')') {
        block.markdown = format!("{stripped} \"{title}\")");
    }
    block.text = caption;
}

/// A URL as a Markdown link destination: in `<>` when it holds spaces or parentheses.
pub(crate) fn markdown_url(url: &str) -> String {
    let url: String = url
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                "%20".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if url.contains(['(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url
    }
}

/// A web, mail or phone address, or a relative one: never `javascript:`, `data:`
/// or the like, which an old page may hold and a new one must not run.
fn is_safe_address(address: &str) -> bool {
    let lower = address.trim().to_ascii_lowercase();
    match lower.find(':') {
        Some(colon) if !lower[..colon].contains(['/', '?', '#']) => {
            matches!(&lower[..colon], "http" | "https" | "mailto" | "tel" | "ftp")
        }
        _ => true,
    }
}

/// The rows of a table (not of tables nested in it), each a list of its cells.
fn table_rows<'a>(table: &ElementRef<'a>) -> Vec<Vec<ElementRef<'a>>> {
    let mut rows = Vec::new();
    let mut stack: Vec<ElementRef<'a>> = table.children().filter_map(ElementRef::wrap).collect();
    stack.reverse();
    while let Some(e) = stack.pop() {
        match e.value().name() {
            "tr" => rows.push(
                e.children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .collect(),
            ),
            "thead" | "tbody" | "tfoot" => {
                let mut inner: Vec<ElementRef> =
                    e.children().filter_map(ElementRef::wrap).collect();
                inner.reverse();
                stack.extend(inner);
            }
            _ => {}
        }
    }
    rows
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "center"
            | "blockquote"
            | "pre"
            | "address"
            | "dd"
            | "dt"
            | "dl"
            | "td"
            | "th"
            | "tr"
            | "tbody"
            | "thead"
            | "tfoot"
            | "ul"
            | "ol"
            | "figcaption"
            | "header"
            | "body"
            | "caption"
            | "details"
            | "summary"
            | "fieldset"
            | "legend"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(html: &str) -> String {
        super::super::page::to_markdown(&read_html(html, None).0)
    }

    #[test]
    fn planted_links_are_left_out_and_noted() {
        let page = "<html><head><link rel=\"canonical\" href=\"https://q2.gov.vn/tin/a.html\">\
            <style>.k{display:none}</style></head><body><h1>Hội nghị</h1>\
            <p>Ngày 15/01/2014, hội nghị tổng kết công tác dân vận.</p>\
            <div style=\"position:absolute;left:-9999px\"><a href=\"https://okvip.com\">nhà cái</a></div>\
            <p class=\"k\"><a href=\"https://mu88.bet\">mu88</a></p>\
            <div hidden><a href=\"https://q2.gov.vn/in.html\">In trang</a></div>\
            <p>Chi tiết xem <a href=\"https://bocongan.gov.vn/ca-cuoc\">Bộ Công an về cá cược</a>. \
            <a href=\"https://jun88.net\">Tài xỉu uy tín</a></p></body></html>";
        let (blocks, hints) = read_html(page, None);
        let markdown = super::super::page::to_markdown(&blocks);
        assert!(
            !markdown.contains("okvip") && !markdown.contains("mu88"),
            "{markdown}"
        );
        assert!(
            !markdown.contains("jun88") && !markdown.contains("Tài xỉu"),
            "{markdown}"
        );
        assert!(
            markdown.contains("[Bộ Công an về cá cược](https://bocongan.gov.vn/ca-cuoc)"),
            "{markdown}"
        );
        assert_eq!(
            hints.planted,
            [
                "a hidden block (off-screen positioning) with links to okvip.com",
                "a hidden block (a <style> rule that hides it) with links to mu88.bet",
                "a link to jun88.net (\"Tài xỉu uy tín\", matches `jun88`)",
            ]
        );
    }

    #[test]
    fn paragraphs_links_and_emphasis() {
        let md = markdown(
            "<body><p>Ngày <b>15/01/2014</b>, xem <a href='/tin/a.aspx'>tin cũ</a>.</p><p>Hai</p></body>",
        );
        assert_eq!(
            md,
            "Ngày **15/01/2014**, xem [tin cũ](/tin/a.aspx).\n\nHai\n"
        );
    }

    #[test]
    fn menus_and_scripts_are_left_out() {
        let (blocks, hints) = read_html(
            "<body><div class='menu-top'><ul><li><a href='/'>Trang chủ</a></li></ul></div>\
             <script>var x = 1;</script><div class='content'><h1>Tiêu đề</h1><p>Nội dung bài viết.</p></div></body>",
            None,
        );
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Tiêu đề", "Nội dung bài viết."]);
        assert_eq!(hints.chrome_elements, 2);
    }

    #[test]
    fn a_header_box_with_the_title_and_date_stays() {
        let (blocks, _) = read_html(
            "<body><div class='site-header'>Cổng thông tin điện tử</div>\
             <div class='news-header'><span class='title'>Tiêu đề</span><br><span>17/01/2014 14:05</span></div>\
             <p>Nội dung bài viết dài.</p></body>",
            None,
        );
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Tiêu đề", "17/01/2014 14:05", "Nội dung bài viết dài."]
        );
    }

    #[test]
    fn only_safe_addresses_become_links() {
        let md = markdown(
            "<p><a href='javascript:alert(1)'>a</a> <a href=' JavaScript:x'>b</a> \
             <a href='vbscript:x'>c</a> <a href='/tin/a b(1).aspx'>d</a></p><img src='data:image/png;base64,AA'>",
        );
        assert_eq!(md, "a b c [d](</tin/a%20b(1).aspx>)\n");
    }

    #[test]
    fn deep_nesting_keeps_its_text_and_the_stack() {
        let depth = 20_000;
        let html = format!(
            "{}Chữ ở đáy{}",
            "<div><span>".repeat(depth),
            "</span></div>".repeat(depth)
        );
        let (blocks, _) = read_html(&html, None);
        assert!(blocks.iter().any(|b| b.text.contains("Chữ ở đáy")));
    }

    #[test]
    fn data_tables_become_markdown_tables() {
        let md = markdown(
            "<table><tr><th>Đơn vị</th><th>Số hộ</th></tr><tr><td>Phường 1</td><td>120</td></tr></table>",
        );
        assert_eq!(
            md,
            "| Đơn vị | Số hộ |\n| --- | --- |\n| Phường 1 | 120 |\n"
        );
    }

    #[test]
    fn lazily_loaded_pictures_keep_their_real_address() {
        assert_eq!(
            markdown(
                "<p><img src='/images/blank.gif' data-src='/Uploads/2022/hoi-nghi.jpg' alt='Hội nghị'> \
                 <img src='' data-original='/Uploads/b.jpg'></p>"
            ),
            "![Hội nghị](/Uploads/2022/hoi-nghi.jpg)\n\n![](/Uploads/b.jpg)\n"
        );
    }

    #[test]
    fn figures_and_image_boxes_keep_captions() {
        let md = markdown(
            "<figure><img src='a.jpg' alt='Hội nghị'><figcaption>Đồng chí Châu phát biểu</figcaption></figure>\
             <table class='image'><tr><td><img src='/b.jpg'></td></tr><tr><td>Khen thưởng</td></tr></table>",
        );
        assert_eq!(
            md,
            "![Hội nghị](/a.jpg \"Đồng chí Châu phát biểu\")\n\n![](/b.jpg \"Khen thưởng\")\n"
        );
    }

    #[test]
    fn head_hints_are_read() {
        let (_, hints) = read_html(
            "<!-- saved from url=(0042)http://quan2.example.gov.vn/tin/a.aspx -->\
             <html><head><title>Tin A</title><meta property='article:published_time' content='2014-01-17T14:05:00+07:00'></head>\
             <body><div class='breadcrumb'><a href='/'>Trang chủ</a> &gt; <a href='/dv'>Dân vận</a></div></body></html>",
            None,
        );
        assert_eq!(hints.head_title.as_deref(), Some("Tin A"));
        assert_eq!(hints.date.as_deref(), Some("2014-01-17T14:05:00+07:00"));
        assert_eq!(hints.category.as_deref(), Some("Dân vận"));
        assert_eq!(
            hints.url.as_deref(),
            Some("http://quan2.example.gov.vn/tin/a.aspx")
        );
    }
}
