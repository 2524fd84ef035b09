//! The CommonMark spec's examples, built by the real `bantin build` as one site,
//! compared with the spec's expected HTML.
//!
//! Each example is an article of its own; the site says `html: keep`, so that
//! raw HTML is compared with CommonMark itself (the sanitiser is tested in
//! tests/hardening.rs). Both sides are normalised (see [`normalise`]); an
//! example that still differs must be explained by bantin's documented transforms
//! (docs/content.md, "Where bodies differ from CommonMark"), each undone in turn
//! by [`Undo`]. Any other difference is a bug, such as the e-mail autolinks that
//! were published as `mailto:/tin/…`.
//!
//! The examples come from the npm package `commonmark-spec` (pinned in
//! tests/browser/package.json, installed by `npm ci --prefix tests/browser`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::*;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;

/// A spec example: its number, section, Markdown and expected HTML.
struct Example {
    number: u64,
    section: String,
    markdown: String,
    html: String,
}

fn spec_examples() -> Vec<Example> {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/commonmark-spec").is_dir(),
        "run `npm ci --prefix tests/browser` first (it installs the CommonMark spec)"
    );
    let out = Command::new("node")
        .current_dir(&browser_dir)
        .args([
            "-e",
            "process.stdout.write(JSON.stringify(require('commonmark-spec').tests))",
        ])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tests: Vec<Value> = serde_json::from_slice(&out.stdout).expect("the spec's examples");
    // The spec writes tabs as `→`, as its own test runner reads them.
    let text = |t: &Value, key: &str| t[key].as_str().unwrap_or("").replace('→', "\t");
    tests
        .iter()
        .map(|t| Example {
            number: t["number"].as_u64().unwrap_or(0),
            section: text(t, "section"),
            markdown: text(t, "markdown"),
            html: text(t, "html"),
        })
        .collect()
}

/// The folder the examples' articles live in: deep enough that the spec's
/// relative links (`../foo`) stay inside content/.
const FOLDER: &str = "content/vi-du/a/b";

/// The transforms bantin makes to CommonMark's HTML, each undone by its own
/// step of the normalisation (docs/content.md lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Undo {
    /// Headings get `id`s folded from their text.
    HeadingIds,
    /// An image with a title alone in its paragraph becomes a `<figure>`.
    Figures,
    /// Images load lazily (`loading="lazy"`).
    LazyImages,
    /// Fenced code with a language is highlighted (`<pre class="code" data-lang>`
    /// with syntect's spans) instead of `<code class="language-x">`.
    Highlighting,
    /// Relative links and images become site paths (`foo` -> `/vi-du/a/b/foo`),
    /// and links to `.md` files the articles' pages.
    SitePaths,
}

const ALL: &[Undo] = &[
    Undo::HeadingIds,
    Undo::Figures,
    Undo::LazyImages,
    Undo::Highlighting,
    Undo::SitePaths,
];

#[test]
fn every_commonmark_example_builds_and_differs_only_by_documented_transforms() {
    let examples = spec_examples();
    assert!(examples.len() > 600, "{} examples", examples.len());
    let mut files: Vec<(String, String)> = examples
        .iter()
        .map(|e| {
            let path = format!("{FOLDER}/{:03}.md", e.number);
            let fields = format!("slug: \"vi-du-{:03}\"\n", e.number);
            let title = format!("Ví dụ {} ({})", e.number, e.section.replace('"', ""));
            (
                path,
                article_with(&title, "2024-01-01", "Ví dụ", &fields, &e.markdown),
            )
        })
        .collect();
    // The spec links to `./target.md`: as a site would, it has that article.
    files.push((
        format!("{FOLDER}/target.md"),
        article("Đích", "2024-01-01", "Ví dụ", "Đích.\n"),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TestSite::new(&refs);
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}html: keep\n").replace("paginate: 3", "paginate: 200"),
    );
    site.build_ok();

    let mut identical = 0;
    let mut explained: BTreeMap<Undo, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for e in &examples {
        let page = site.page(&format!("/vi-du/vi-du-{:03}/", e.number));
        let ours = article_body(&page);
        let expected = normalise(&e.html, &[]);
        if normalise(ours, &[]) == expected {
            identical += 1;
            continue;
        }
        let undone = |undo: &[Undo]| normalise(ours, undo) == normalise(&e.html, undo);
        if !undone(ALL) {
            unexplained.push(format!(
                "example {} ({}):\n  markdown: {:?}\n  expected: {}\n  bantin:   {}",
                e.number,
                e.section,
                e.markdown,
                normalise(&e.html, ALL),
                normalise(ours, ALL)
            ));
            continue;
        }
        // Name the transforms the example needs: those without which it differs.
        for undo in ALL {
            let others: Vec<Undo> = ALL.iter().copied().filter(|u| u != undo).collect();
            if !undone(&others) {
                *explained.entry(*undo).or_default() += 1;
            }
        }
    }
    println!(
        "{} examples: {identical} identical after normalisation; needing each transform: {explained:?}",
        examples.len()
    );
    assert!(
        unexplained.is_empty(),
        "{} example(s) differ from the spec beyond the documented transforms:\n\n{}",
        unexplained.len(),
        unexplained.join("\n\n")
    );
    assert!(identical * 10 > examples.len() * 8, "{identical} identical");
}

/// The body of an article page of the default theme.
fn article_body(page: &str) -> &str {
    let start = page
        .find("<div class=\"body\">\n")
        .expect("an article body")
        + 19;
    let end = page.rfind("</article>").expect("the article's end");
    let end = page[..end].rfind("\n  </div>").expect("the body's end");
    &page[start..end]
}

/// HTML in a canonical form, as the spec's own test normaliser means it, with
/// the transforms of `undo` undone: parsed as browsers parse it (html5ever),
/// attributes sorted, character references decoded, runs of white space made one
/// space outside `<pre>`, and white space next to block tags dropped.
fn normalise(html: &str, undo: &[Undo]) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    let root = fragment.root_element();
    for child in root.children() {
        write_node(child, undo, false, &mut out);
    }
    let collapsed = collapse_around_blocks(&out);
    collapsed.trim().to_string()
}

fn write_node(node: ego_tree::NodeRef<Node>, undo: &[Undo], in_pre: bool, out: &mut String) {
    match node.value() {
        Node::Text(text) => {
            let text = escape(text, false);
            if in_pre {
                out.push_str(&text);
            } else {
                out.push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
                if text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
                    out.push(' ');
                }
                if text.trim().is_empty() && !text.is_empty() {
                    out.push(' ');
                }
            }
        }
        Node::Comment(c) => {
            out.push_str("<!--");
            out.push_str(c);
            out.push_str("-->");
        }
        Node::Element(_) => {
            if let Some(element) = ElementRef::wrap(node) {
                write_element(element, undo, in_pre, out);
            }
        }
        _ => {}
    }
}

fn write_element(element: ElementRef, undo: &[Undo], in_pre: bool, out: &mut String) {
    let e = element.value();
    let name = e.name();
    // `<figure><img><figcaption>t</figcaption></figure>` -> `<p><img title="t"></p>`.
    if name == "figure" && undo.contains(&Undo::Figures) {
        let img = element
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "img");
        let caption = element
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "figcaption")
            .map(|c| c.text().collect::<String>());
        if let (Some(img), Some(caption)) = (img, caption) {
            out.push_str("<p>");
            let mut attrs = attributes(img, undo);
            attrs.push(("title".to_string(), caption));
            attrs.sort();
            write_open("img", &attrs, out);
            out.push_str("</p>");
            return;
        }
    }
    // `<pre class="code" data-lang="x"><code>spans</code></pre>` ->
    // `<pre><code class="language-x">text</code></pre>`.
    if name == "pre"
        && undo.contains(&Undo::Highlighting)
        && let Some(lang) = e.attr("data-lang")
    {
        out.push_str("<pre><code class=\"language-");
        out.push_str(&escape(lang, true));
        out.push_str("\">");
        out.push_str(&escape(&element.text().collect::<String>(), false));
        out.push_str("</code></pre>");
        return;
    }
    let attrs = attributes(element, undo);
    write_open(name, &attrs, out);
    if is_void(name) {
        return;
    }
    let in_pre = in_pre || name == "pre";
    for child in element.children() {
        write_node(child, undo, in_pre, out);
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn attributes(element: ElementRef, undo: &[Undo]) -> Vec<(String, String)> {
    let e = element.value();
    let name = e.name();
    let is_heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    let mut attrs: Vec<(String, String)> = e
        .attrs()
        .filter(|(key, _)| !(is_heading && *key == "id" && undo.contains(&Undo::HeadingIds)))
        .filter(|(key, value)| {
            !(name == "img"
                && *key == "loading"
                && *value == "lazy"
                && undo.contains(&Undo::LazyImages))
        })
        .map(|(key, value)| {
            let is_address = (key == "href" && name == "a") || (key == "src" && name == "img");
            if is_address && undo.contains(&Undo::SitePaths) && is_site_path(value) {
                return (key.to_string(), "(a site path)".to_string());
            }
            (key.to_string(), value.to_string())
        })
        .collect();
    attrs.sort();
    attrs
}

/// A path in the site, relative or from its root: what bantin rewrites.
fn is_site_path(address: &str) -> bool {
    let has_scheme = address.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !scheme.contains('/')
    });
    !(address.is_empty() || address.starts_with('#') || address.starts_with("//") || has_scheme)
}

fn write_open(name: &str, attrs: &[(String, String)], out: &mut String) {
    out.push('<');
    out.push_str(name);
    for (key, value) in attrs {
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        out.push_str(&escape(value, true));
        out.push('"');
    }
    out.push('>');
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Drops the spaces next to the open and close tags of block elements.
fn collapse_around_blocks(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "address",
        "form",
        "fieldset",
    ];
    let mut out = html.to_string();
    for block in BLOCKS {
        for tag in [
            format!("<{block}>"),
            format!("<{block} "),
            format!("</{block}>"),
        ] {
            loop {
                let before = out.len();
                out = out.replace(&format!(" {tag}"), &tag);
                if out.len() == before {
                    break;
                }
            }
        }
        let close = format!("</{block}>");
        loop {
            let before = out.len();
            out = out.replace(&format!("{close} "), &close);
            out = out.replace(&format!("<{block}> "), &format!("<{block}>"));
            if out.len() == before {
                break;
            }
        }
    }
    out
}
