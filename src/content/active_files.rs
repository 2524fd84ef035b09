//! Files of content/ that a browser would run scripts of: SVG pictures, HTML,
//! XHTML and XML files are copied to public/ as they are, and served from the
//! portal's own address. Opened by themselves (a link, a planted address), their
//! scripts run there: they can rewrite the portal's pages in that tab, read the
//! editor's sign-in (Decap CMS keeps it in the address's `localStorage`) and
//! commit through it. A static host sends no header that stops them, so such a
//! file is refused at build time, at the line of what would run.
//!
//! SVG, XHTML and XML are read with a real XML reader (quick-xml), HTML as a
//! browser parses it (html5ever, through scraper). What runs:
//! - a `<script>` element, in any namespace;
//! - an event handler attribute (`onload`, `onerror`, …);
//! - a `javascript:` or `vbscript:` address in any attribute (read as browsers
//!   read it: entities decoded, tabs and newlines dropped), a `data:` address
//!   other than a picture's, a `<set>`/`<animate>` that sets one or a handler;
//! - `<iframe srcdoc>`, `<object>`, `<embed>`, `<applet>`;
//! - a `<use>` of another file, an XSLT stylesheet (`<?xml-stylesheet?>`);
//! - a DOCTYPE that declares more than plain-text entities: browsers apply its
//!   declarations, so `<!ENTITY s "<script>…">` or `<!ATTLIST svg onload …>`
//!   would put a script where no reader of the file sees one. Plain entities (old
//!   Illustrator exports name their namespaces so) are expanded before checking.
//!
//! A file with no ending, or one no host knows a type for, is read as a
//! browser guesses it when the host sends no type (Apache's default then).
//!
//! `<foreignObject>` stays (draw.io exports its labels so): what it holds is
//! checked as everything else. Pages of server-side code (`.php`, `.aspx`, …)
//! are refused too: a host set up to run them (Apache with PHP, IIS) would run
//! whatever they hold, which is how hacked portals keep their planted pages.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::sources::display_path;
use crate::diagnostics::{Diagnostic, Location};

/// What a file is read as, by its name's ending, as static hosts type it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveKind {
    /// `image/svg+xml`: every element is SVG's (or XHTML's, in a `<foreignObject>`).
    Svg,
    /// `application/xhtml+xml`.
    Xhtml,
    /// `application/xml` and its kin: only XHTML, SVG and MathML elements act.
    Xml,
    /// `text/html`.
    Html,
    /// Run by the web server itself where it is set up to (PHP, ASP.NET, JSP, CGI).
    ServerCode,
    /// `.svgz`: gzip-compressed SVG, unreadable without the header a host may add.
    CompressedSvg,
    /// No ending, or one no host knows a type for: a host that then sends no
    /// type (Apache's default) lets the browser guess from the first bytes, and
    /// Chromium takes `<html>…` for a page and runs its scripts.
    Untyped,
}

impl ActiveKind {
    /// The kind of the file at `rel`, or `None` for files whose scripts never
    /// run at the portal's address (pictures, PDFs, office files, text).
    pub fn of(rel: &str) -> Option<ActiveKind> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let Some((_, ext)) = name.rsplit_once('.') else {
            return Some(ActiveKind::Untyped);
        };
        let ext = ext.to_ascii_lowercase();
        Some(match ext.as_str() {
            "svg" => ActiveKind::Svg,
            "xhtml" | "xht" => ActiveKind::Xhtml,
            "xml" | "xsl" | "xslt" | "rss" | "atom" | "rdf" => ActiveKind::Xml,
            "html" | "htm" | "shtml" | "shtm" | "stm" => ActiveKind::Html,
            "php" | "php3" | "php4" | "php5" | "php7" | "phtml" | "phar" | "asp" | "aspx"
            | "ashx" | "asmx" | "jsp" | "jspx" | "cgi" => ActiveKind::ServerCode,
            "svgz" => ActiveKind::CompressedSvg,
            _ if mime_guess::from_ext(&ext).first().is_none() => ActiveKind::Untyped,
            _ => return None,
        })
    }
}

/// Whether the file at `rel` must be read by [`check_file`] before it is copied.
pub fn may_run_scripts(rel: &str) -> bool {
    ActiveKind::of(rel).is_some()
}

/// At most this many problems are told for one file; a file planted with
/// hundreds of handlers needs one look, not hundreds of lines.
const TOLD_PER_FILE: usize = 5;

/// The errors of the file at `rel` (relative to content/) holding `bytes`:
/// none if a browser opening it runs nothing of it.
pub fn check_file(rel: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let Some(kind) = ActiveKind::of(rel) else {
        return Vec::new();
    };
    let path = display_path(rel);
    let found = match kind {
        ActiveKind::ServerCode => {
            return vec![
                Diagnostic::error(&path, "a page of server-side code: a web server set up to run it (PHP, ASP.NET) would run whatever it holds at the portal's address")
                    .with_hint("a bantin portal needs no such file: delete it (if an old address must keep working, list it under the article's `aliases:`; if it is a file to download, put it in a .zip)"),
            ];
        }
        ActiveKind::CompressedSvg => {
            return vec![
                Diagnostic::error(
                    &path,
                    "a compressed SVG picture: bantin cannot check it for scripts",
                )
                .with_hint("save it as a plain .svg (or as .png), which every browser shows"),
            ];
        }
        _ => what_runs(kind, bytes),
    };
    let total = found.len();
    let mut problems: Vec<Diagnostic> = found
        .into_iter()
        .take(TOLD_PER_FILE)
        .map(|(at, what)| {
            Diagnostic::error(&path, format!("{what}: {}", what.consequence()))
                .at_location(at)
                .with_hint(hint(kind, &what))
        })
        .collect();
    if total > TOLD_PER_FILE {
        problems.push(Diagnostic::error(
            &path,
            format!(
                "and {} more such things in this file",
                total - TOLD_PER_FILE
            ),
        ));
    }
    problems
}

/// What a clerk can do about `finding` in a file of `kind`.
fn hint(kind: ActiveKind, finding: &Finding) -> &'static str {
    match (kind, finding) {
        (ActiveKind::Svg, Finding::NotXml(_)) => {
            "open the picture in a drawing program (Inkscape) and save it again, or save it as PNG"
        }
        (_, Finding::NotXml(_)) => {
            "correct the file where the error is, or publish its text as an article instead"
        }
        (ActiveKind::Svg, Finding::Declarations(_)) => {
            "delete the lines between `[` and `]>` at the top of the file, or save the picture again as plain SVG (Inkscape: Save As › Plain SVG) or as PNG"
        }
        (ActiveKind::Svg, _) => {
            "a picture needs no script: remove it in a text editor, or save the picture again as plain SVG (Inkscape: Save As › Plain SVG) or as PNG"
        }
        _ => {
            "a file published with the portal must run nothing: remove what runs, or put the page's text in an article (`bantin import` reads old pages)"
        }
    }
}

/// What a browser would run of a file of `kind` holding `bytes`, each at its
/// place, in order (nothing is read of server code or compressed files).
pub fn what_runs(kind: ActiveKind, bytes: &[u8]) -> Vec<(Option<Location>, Finding)> {
    let text = decode(bytes);
    match kind {
        ActiveKind::Html => html_findings(&text),
        ActiveKind::Svg | ActiveKind::Xhtml | ActiveKind::Xml => xml_findings(&text, kind),
        ActiveKind::ServerCode | ActiveKind::CompressedSvg => Vec::new(),
        ActiveKind::Untyped => match sniffed(&text) {
            Some(kind) => what_runs(kind, bytes),
            None => Vec::new(),
        },
    }
}

/// What a browser takes a file sent without a type for, as far as scripts go:
/// markup (its first character, past white space, a `<`) is XML if it starts
/// with `<?xml`, else a page; anything else (`CNAME`, a licence) is text.
fn sniffed(text: &str) -> Option<ActiveKind> {
    let start = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
    match start.get(..5) {
        Some(head) if head.eq_ignore_ascii_case("<?xml") => Some(ActiveKind::Xml),
        _ if start.starts_with('<') => Some(ActiveKind::Html),
        _ => None,
    }
}

/// Something in a file that a browser would run, or that keeps the file from
/// being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Script,
    Handler(String),
    ScriptAddress(String),
    DataAddress(String),
    AnimatedHandler(String),
    Srcdoc,
    Plugin(String),
    UseOfAnotherFile(String),
    Xslt,
    Declarations(&'static str),
    NotXml(String),
}

impl Finding {
    fn consequence(&self) -> &'static str {
        match self {
            Finding::NotXml(_) => {
                "browsers show it broken (or only its start), and bantin cannot check it for scripts"
            }
            Finding::Declarations(_) => {
                "browsers apply them, so they can put a script where none is seen"
            }
            _ => "a browser opening the file runs it at the portal's address",
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Script => write!(f, "a <script> element"),
            Finding::Handler(name) => write!(f, "an event handler (`{name}`)"),
            Finding::ScriptAddress(name) => write!(f, "a script address in `{name}`"),
            Finding::DataAddress(name) => write!(
                f,
                "a `data:` address in `{name}` (only pictures may be given so)"
            ),
            Finding::AnimatedHandler(name) => {
                write!(f, "an animation that sets `{name}`")
            }
            Finding::Srcdoc => write!(f, "an <iframe srcdoc>"),
            Finding::Plugin(name) => write!(f, "an <{name}> element"),
            Finding::UseOfAnotherFile(to) => write!(f, "a <use> of another file (`{to}`)"),
            Finding::Xslt => write!(f, "an XSLT stylesheet (`<?xml-stylesheet?>`)"),
            Finding::Declarations(what) => write!(f, "a DOCTYPE that declares {what}"),
            Finding::NotXml(e) => write!(f, "not well-formed XML ({e})"),
        }
    }
}

/// The file's text as a browser would decode it, as far as markup goes: UTF-16
/// by its byte order mark (or its `<` with a zero byte beside it), else UTF-8,
/// whose ASCII markup every other encoding browsers read shares.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] | [b'<', 0, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] | [0, b'<', ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    match utf16 {
        Some(encoding) => Cow::Owned(encoding.decode_with_bom_removal(bytes).0.into_owned()),
        None => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8_lossy(bytes)
        }
    }
}

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const SVG: &str = "http://www.w3.org/2000/svg";
const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// What runs in an SVG, XHTML or XML file, each at its place, in order.
fn xml_findings(text: &str, kind: ActiveKind) -> Vec<(Option<Location>, Finding)> {
    let mut found = Vec::new();
    let mut reader = NsReader::from_str(text);
    let mut entities: Vec<(String, String)> = Vec::new();
    loop {
        let start = reader.buffer_position() as usize;
        let at = || Some(Location::of_offset(text, start));
        let event = match reader.read_resolved_event() {
            Ok((namespace, event)) => {
                let acts = match (kind, namespace) {
                    (ActiveKind::Xml, ResolveResult::Bound(ns)) => {
                        [XHTML, SVG, MATHML].contains(&ns.into_inner())
                    }
                    (ActiveKind::Xml, _) => false,
                    _ => true,
                };
                (acts, event)
            }
            Err(e) => {
                let at = Location::of_offset(text, reader.error_position() as usize);
                found.push((Some(at), Finding::NotXml(e.to_string())));
                break;
            }
        };
        match event {
            (_, Event::Eof) => break,
            (acts, Event::Start(element) | Event::Empty(element)) => {
                if acts {
                    let (name, attributes) = element_parts(&element, &reader, &entities);
                    found.extend(
                        element_findings(&name, &attributes)
                            .into_iter()
                            .map(|f| (at(), f)),
                    );
                } else if kind == ActiveKind::Xml {
                    // Attributes of another language's element may still be XHTML's
                    // or SVG's by their prefix (`h:onclick`): rare, and refused alike.
                    let (_, attributes) = element_parts(&element, &reader, &entities);
                    let foreign: Vec<_> = attributes
                        .into_iter()
                        .filter(|a| a.namespace == AttributeNamespace::Active)
                        .collect();
                    found.extend(
                        element_findings("", &foreign)
                            .into_iter()
                            .map(|f| (at(), f)),
                    );
                }
            }
            (_, Event::PI(pi)) if is_xslt(&pi) => found.push((at(), Finding::Xslt)),
            (_, Event::DocType(doctype)) => match plain_entities(&doctype) {
                Ok(declared) => entities = declared,
                Err(what) => found.push((at(), Finding::Declarations(what))),
            },
            _ => {}
        }
    }
    found
}

/// An attribute as a browser sees it: its local name, lower-case, its value
/// with entities expanded, and its namespace.
struct Attribute {
    name: String,
    value: String,
    namespace: AttributeNamespace,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AttributeNamespace {
    /// No prefix: the element's own attribute (`onload`, `href`).
    Own,
    /// XHTML's, SVG's or MathML's by its prefix (`h:onclick`).
    Active,
    /// Another vocabulary's (`xlink:href`, `inkscape:label`): never a handler.
    Other,
}

fn element_parts(
    element: &BytesStart,
    reader: &NsReader<&[u8]>,
    entities: &[(String, String)],
) -> (String, Vec<Attribute>) {
    let name = element.local_name().into_inner().to_ascii_lowercase();
    let attributes = element
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|attribute| {
            let (namespace, local) = reader.resolver().resolve_attribute(attribute.key);
            let namespace = match namespace {
                ResolveResult::Bound(ns) if [XHTML, SVG, MATHML].contains(&ns.into_inner()) => {
                    AttributeNamespace::Active
                }
                ResolveResult::Bound(_) | ResolveResult::Unknown(_) => AttributeNamespace::Other,
                ResolveResult::Unbound => AttributeNamespace::Own,
            };
            let resolve = |name: &str| {
                entities
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
            };
            let value = attribute
                .normalized_value_with(quick_xml::XmlVersion::Implicit1_0, 4, resolve)
                .map_or_else(
                    // An undeclared entity: a browser refuses the file; read it raw.
                    |_| attribute.value.clone().into_owned(),
                    Cow::into_owned,
                );
            Attribute {
                name: local.into_inner().to_ascii_lowercase(),
                value,
                namespace,
            }
        })
        .collect();
    (name, attributes)
}

/// Whether a processing instruction's text asks for an XSLT stylesheet, which
/// makes a page of the file (scripts and all) when it is opened.
fn is_xslt(pi: &str) -> bool {
    let Some(rest) = pi.trim_start().strip_prefix("xml-stylesheet") else {
        return false;
    };
    let rest = rest.to_ascii_lowercase();
    !(rest.contains("type=\"text/css\"") || rest.contains("type='text/css'"))
}

/// The plain-text entities of a DOCTYPE's internal subset (`<!ENTITY ns_ai
/// "http://ns.adobe.com/…">`), or what else it declares. A value may hold no
/// markup and no further entity, so nothing can be hidden in or grow from it.
fn plain_entities(doctype: &str) -> Result<Vec<(String, String)>, &'static str> {
    let Some(open) = doctype.find('[') else {
        // An external DTD only: browsers never fetch it.
        return Ok(Vec::new());
    };
    let close = doctype.rfind(']').unwrap_or(doctype.len()).max(open + 1);
    let mut rest = doctype[open + 1..close].trim_start();
    let mut entities = Vec::new();
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").ok_or("an unclosed comment")?;
            rest = comment[end + 3..].trim_start();
            continue;
        }
        let declaration = rest
            .strip_prefix("<!ENTITY")
            .ok_or("more than plain-text entities (elements, attributes or instructions)")?;
        let declaration = declaration.trim_start();
        if declaration.starts_with('%') {
            return Err("a parameter entity");
        }
        let name_end = declaration
            .find(|c: char| c.is_whitespace())
            .ok_or("an entity without a value")?;
        let name = &declaration[..name_end];
        let after_name = declaration[name_end..].trim_start();
        let quote = after_name
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or("an entity read from another file")?;
        let value_end = after_name[1..]
            .find(quote)
            .ok_or("an entity without its closing quote")?;
        let value = &after_name[1..1 + value_end];
        if value.contains(['<', '&', '%']) {
            return Err("an entity holding markup or other entities");
        }
        rest = after_name[value_end + 2..]
            .trim_start()
            .strip_prefix('>')
            .ok_or("an entity read from another file")?
            .trim_start();
        entities.push((name.to_string(), value.to_string()));
    }
    Ok(entities)
}

/// What runs in one element named `name` (local, lower-case; "" when only its
/// attributes are looked at).
fn element_findings(name: &str, attributes: &[Attribute]) -> Vec<Finding> {
    let mut found = Vec::new();
    match name {
        "script" => found.push(Finding::Script),
        "object" | "embed" | "applet" => found.push(Finding::Plugin(name.to_string())),
        _ => {}
    }
    let animates = matches!(
        name,
        "set" | "animate" | "animatemotion" | "animatetransform" | "animatecolor"
    );
    for attribute in attributes {
        let (key, value) = (attribute.name.as_str(), attribute.value.as_str());
        if key.starts_with("on")
            && key.len() > 2
            && attribute.namespace != AttributeNamespace::Other
        {
            found.push(Finding::Handler(key.to_string()));
            continue;
        }
        if key == "srcdoc" && matches!(name, "iframe" | "frame") {
            found.push(Finding::Srcdoc);
        }
        if animates && key == "attributename" {
            let target = value.trim().to_ascii_lowercase();
            let target = target.rsplit(':').next().unwrap_or("");
            if target.starts_with("on") {
                found.push(Finding::AnimatedHandler(value.trim().to_string()));
            }
        }
        // `values="a;javascript:…"`: each of an animation's values is one.
        let parts: Vec<&str> = match key {
            "values" => value.split(';').collect(),
            // `<meta http-equiv="refresh" content="0; url=javascript:…">`.
            "content" => value.split(['=', ';']).collect(),
            _ => vec![value],
        };
        if parts.iter().any(|p| is_script_address(p)) {
            found.push(Finding::ScriptAddress(key.to_string()));
        } else if matches!(key, "href" | "src" | "data" | "action" | "formaction")
            && is_data_address(value)
            && !(matches!(name, "image" | "img" | "feimage") && is_picture_data(value))
        {
            found.push(Finding::DataAddress(key.to_string()));
        }
        if name == "use" && key == "href" && !value.trim_start().starts_with('#') {
            found.push(Finding::UseOfAnotherFile(value.trim().to_string()));
        }
    }
    found
}

/// An address as a browser reads it: leading and trailing spaces and controls
/// trimmed, tabs and newlines inside dropped, lower-case.
fn as_browsers_read(address: &str) -> String {
    address
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

fn is_script_address(value: &str) -> bool {
    let address = as_browsers_read(value);
    address.starts_with("javascript:") || address.starts_with("vbscript:")
}

fn is_data_address(value: &str) -> bool {
    as_browsers_read(value).starts_with("data:")
}

/// A picture given inline (`data:image/png;base64,…`, as Inkscape embeds one);
/// an SVG given so may hold scripts of its own.
fn is_picture_data(value: &str) -> bool {
    let address = as_browsers_read(value);
    address.starts_with("data:image/") && !address.starts_with("data:image/svg")
}

/// What runs in an HTML file, parsed as a browser parses it; each at the line
/// where its tag or attribute first appears in the file.
fn html_findings(text: &str) -> Vec<(Option<Location>, Finding)> {
    let document = scraper::Html::parse_document(text);
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name().to_ascii_lowercase();
        let attributes: Vec<Attribute> = element
            .attrs()
            .map(|(key, value)| Attribute {
                name: key.rsplit(':').next().unwrap_or(key).to_ascii_lowercase(),
                value: value.to_string(),
                namespace: AttributeNamespace::Own,
            })
            .collect();
        for finding in element_findings(&name, &attributes) {
            let needle = match &finding {
                Finding::Handler(key) | Finding::ScriptAddress(key) | Finding::DataAddress(key) => {
                    key.clone()
                }
                _ => format!("<{name}"),
            };
            let at = lower
                .find(&needle)
                .map(|offset| Location::of_offset(text, offset));
            found.push((at, finding));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(rel: &str, text: &str) -> Vec<String> {
        check_file(rel, text.as_bytes())
            .iter()
            .map(|d| {
                format!(
                    "{}:{}: {}",
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.message
                )
            })
            .collect()
    }

    fn refused(rel: &str, text: &str, expected: &str) {
        let found = problems(rel, text);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{rel}: no `{expected}` in {found:?} for\n{text}"
        );
    }

    fn kept(rel: &str, text: &str) {
        assert_eq!(problems(rel, text), Vec::<String>::new(), "{text}");
    }

    const SVG_OPEN: &str =
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">"#;

    #[test]
    fn scripts_handlers_and_script_addresses_in_svg_are_refused_at_their_line() {
        let svg = |body: &str| format!("{SVG_OPEN}\n{body}\n</svg>");
        refused(
            "a.svg",
            &svg("<script>alert(1)</script>"),
            "2:1: a <script> element",
        );
        refused(
            "a.svg",
            &svg("<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">x</svg:script>"),
            "<script>",
        );
        refused("a.svg", &svg("<SCRIPT>x</SCRIPT>"), "<script>");
        refused(
            "a.svg",
            &svg("<rect onload='x'/>"),
            "2:1: an event handler (`onload`)",
        );
        refused("a.svg", &svg("<rect OnClick='x'/>"), "`onclick`");
        refused(
            "a.svg",
            &svg("<a href='javascript:x'><text>a</text></a>"),
            "a script address in `href`",
        );
        refused(
            "a.svg",
            &svg("<a xlink:href=' jav&#x09;ascript:x'/>"),
            "`href`",
        );
        refused("a.svg", &svg("<a xlink:href='vbscript:x'/>"), "`href`");
        refused(
            "a.svg",
            &svg("<a href='data:text/html,x'/>"),
            "a `data:` address in `href`",
        );
        refused(
            "a.svg",
            &svg("<image href='data:image/svg+xml,x'/>"),
            "`data:`",
        );
        refused(
            "a.svg",
            &svg("<use href='data:image/png;base64,AA'/>"),
            "`data:`",
        );
        refused(
            "a.svg",
            &svg("<use href='sprites.svg#a'/>"),
            "a <use> of another file (`sprites.svg#a`)",
        );
        refused(
            "a.svg",
            &svg("<use xlink:href='https://x.example/a.svg#a'/>"),
            "<use> of another file",
        );
        refused(
            "a.svg",
            &svg("<a><set attributeName='href' to='javascript:x'/></a>"),
            "a script address in `to`",
        );
        refused(
            "a.svg",
            &svg("<animate attributeName='href' values='#a;javascript:x'/>"),
            "`values`",
        );
        refused(
            "a.svg",
            &svg("<set attributeName='onmouseover' to='x'/>"),
            "an animation that sets `onmouseover`",
        );
        refused(
            "a.svg",
            &svg(
                "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'><img src='x' onerror='y'/></div></foreignObject>",
            ),
            "`onerror`",
        );
        refused(
            "a.svg",
            &svg(
                "<foreignObject><iframe xmlns='http://www.w3.org/1999/xhtml' srcdoc='x'/></foreignObject>",
            ),
            "<iframe srcdoc>",
        );
        refused(
            "a.svg",
            &svg(
                "<foreignObject><embed xmlns='http://www.w3.org/1999/xhtml' src='a.swf'/></foreignObject>",
            ),
            "an <embed> element",
        );
    }

    #[test]
    fn ordinary_pictures_pass() {
        kept(
            "logo.svg",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
                 <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n\
                 {SVG_OPEN}<defs><linearGradient id='g'/><style>.a{{fill:url(#g)}}</style></defs>\
                 <use xlink:href='#g'/><use href=' #g'/><a href='https://ubnd.example.gov.vn/'><text>UBND</text></a>\
                 <image xlink:href='data:image/png;base64,iVBORw0KGgo='/><image href='anh.jpg'/>\
                 <animate attributeName='opacity' values='0;1'/><set attributeName='fill' to='red'/>\
                 <foreignObject width='10' height='10'><div xmlns='http://www.w3.org/1999/xhtml'>Sơ đồ tổ chức</div></foreignObject>\
                 <metadata>Ông Nguyễn Văn A, chủ tịch</metadata></svg>"
            ),
        );
    }

    #[test]
    fn illustrators_plain_entities_are_expanded_and_any_other_declaration_refused() {
        let illustrator = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [\n\
             \t<!ENTITY ns_extend \"http://ns.adobe.com/Extensibility/1.0/\">\n\
             \t<!-- a comment -->\n\t<!ENTITY ns_ai 'http://ns.adobe.com/AdobeIllustrator/10.0/'>\n]>\n\
             {SVG_OPEN}<rect xmlns:x=\"&ns_extend;\" id=\"&ns_ai;\"/></svg>"
        );
        kept("logo.svg", &illustrator);
        let doctype =
            |subset: &str| format!("<!DOCTYPE svg [\n{subset}\n]>\n{SVG_OPEN}<rect/></svg>");
        refused(
            "a.svg",
            &format!(
                "<!DOCTYPE svg [<!ENTITY a \"javascript\">]>\n{SVG_OPEN}<a href=\"&a;:x\"/></svg>"
            ),
            "a script address in `href`",
        );
        refused(
            "a.svg",
            &doctype("<!ENTITY s \"<script>x</script>\">"),
            "1:1: a DOCTYPE that declares an entity holding markup",
        );
        refused(
            "a.svg",
            &doctype("<!ATTLIST svg onload CDATA \"x\">"),
            "more than plain-text entities",
        );
        refused(
            "a.svg",
            &doctype("<!ENTITY a \"&b;&b;\"><!ENTITY b \"x\">"),
            "other entities",
        );
        refused(
            "a.svg",
            &doctype("<!ENTITY % p \"x\">"),
            "a parameter entity",
        );
        refused(
            "a.svg",
            &doctype("<!ENTITY x SYSTEM \"file:///etc/passwd\">"),
            "another file",
        );
        // A `]>` inside a value or a comment does not end the DOCTYPE early.
        refused(
            "a.svg",
            &doctype("<!ENTITY a \"]>\"><!-- ]> --><!ENTITY s \"<script>x</script>\">"),
            "an entity holding markup",
        );
    }

    #[test]
    fn broken_xml_and_xslt_are_refused() {
        refused(
            "a.svg",
            &format!("{SVG_OPEN}<rect>\n</svg>"),
            "2:1: not well-formed XML",
        );
        refused(
            "a.xml",
            "<?xml-stylesheet type=\"text/xsl\" href=\"a.xsl\"?><a/>",
            "XSLT",
        );
        kept(
            "a.xml",
            "<?xml-stylesheet type=\"text/css\" href=\"a.css\"?><a/>",
        );
    }

    #[test]
    fn xml_acts_only_through_xhtml_svg_and_mathml() {
        kept(
            "du-lieu.xml",
            "<?xml version=\"1.0\"?><ds><item one=\"1\" only=\"x\"><script>in a data file</script></item></ds>",
        );
        kept(
            "feed.rss",
            "<rss><channel><link>https://a.example/</link><script/></channel></rss>",
        );
        refused(
            "a.xml",
            "<root><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">x</h:script></root>",
            "<script>",
        );
        refused(
            "a.xml",
            "<root xmlns:h=\"http://www.w3.org/1999/xhtml\"><item h:onclick=\"x\"/></root>",
            "`onclick`",
        );
        refused(
            "a.xml",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x\"/>",
            "`onload`",
        );
        refused(
            "a.xhtml",
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n<a href=\"javascript:x\">a</a></body></html>",
            "2:1: a script address",
        );
    }

    #[test]
    fn html_is_read_as_a_browser_reads_it() {
        refused(
            "cu/trang.html",
            "<!doctype html>\n<p>Trang cũ</p>\n<script>x</script>",
            "3:1: a <script> element",
        );
        refused("cu/a.HTM", "<body onload=x>", "`onload`");
        refused(
            "a.html",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
            "`onerror`",
        );
        refused(
            "a.html",
            "<a href=\"java&#x0A;script:x\">a</a>",
            "script address",
        );
        refused(
            "a.html",
            "<svg><a xlink:href=\"javascript:x\"><text>a</text></a></svg>",
            "script address",
        );
        refused(
            "a.html",
            "<iframe srcdoc=\"&lt;script&gt;x&lt;/script&gt;\"></iframe>",
            "<iframe srcdoc>",
        );
        refused(
            "a.html",
            "<meta http-equiv=\"refresh\" content=\"0; url=javascript:x\">",
            "script address in `content`",
        );
        refused("a.html", "<object data=\"a.swf\"></object>", "<object>");
        kept(
            "google1a2b3c.html",
            "google-site-verification: google1a2b3c.html",
        );
        kept(
            "cu/tin.html",
            "<!doctype html><html><head><meta charset=utf-8><meta http-equiv=\"refresh\" content=\"0; url=/tin-tuc/\">\
             <title>Tin</title><style>p{color:red}</style></head><body><form action=\"/tim\"><input name=q></form>\
             <p><a href=\"/tin-tuc/\">Tin tức</a> <img src=\"data:image/png;base64,AA\" alt=\"\"></p>\
             <iframe src=\"https://www.youtube.com/embed/x\"></iframe></body></html>",
        );
    }

    #[test]
    fn utf16_files_are_read_as_browsers_read_them() {
        let text = format!("{SVG_OPEN}<script>x</script></svg>");
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let found = check_file("a.svg", &bytes);
        assert!(found[0].message.contains("<script>"), "{found:?}");
    }

    #[test]
    fn server_code_and_compressed_svg_are_refused_and_other_files_not_read() {
        refused(
            "cu/shell.php",
            "<?php system($_GET['c']);",
            "server-side code",
        );
        refused("cu/Default.ASPX", "x", "server-side code");
        refused("a.svgz", "\x1f\u{8b}", "compressed SVG");
        kept("a.pdf", "%PDF-1.4 <script>");
        // Without a known type, a host may send none, and Chromium guesses a page.
        refused(
            "cu/tin",
            "\n<html><script>x</script></html>",
            "2:7: a <script> element",
        );
        refused("cu/tin.bak", "<p><img src=x onerror=y>", "`onerror`");
        refused(
            "cu/tin.old",
            "<?xml version=\"1.0\"?><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\"/>",
            "<script>",
        );
        kept("CNAME", "phuongmau.gov.vn\n");
        kept("LICENSE", "Nội dung <b>được</b> phép sao chép");
        kept("a.txt", "<script>");
        kept("a.png", "<svg onload=x>");
        assert!(may_run_scripts("a/B.SVG") && may_run_scripts("a.b/README"));
        assert!(!may_run_scripts("a/b.jpg") && !may_run_scripts("a/b.DOCX"));
    }

    #[test]
    fn a_file_with_many_scripts_is_told_in_a_few_lines() {
        let body = "<rect onclick='x'/>\n".repeat(40);
        let found = problems("a.svg", &format!("{SVG_OPEN}\n{body}</svg>"));
        assert_eq!(found.len(), TOLD_PER_FILE + 1, "{found:?}");
        assert!(found.last().unwrap().contains("and 35 more"));
    }
}
