//! HTML that editors write or paste in a body, cleaned with `ammonia`'s
//! allow-list (`html: sanitize`, the default): formatting, tables, figures,
//! images, lists, headings and links stay; scripts, event handlers, forms,
//! objects, styles that hide content, and `javascript:`-like addresses go; an
//! `<iframe>` stays only when it shows a video from an allowed host.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::links_audit::{declaration, declaration_hides, link_host};

/// Hosts whose videos an `<iframe>` may always show.
pub const DEFAULT_IFRAME_HOSTS: &[&str] = &["youtube.com", "youtube-nocookie.com"];

/// Ids the page templates use for their own hooks: neither headings nor
/// editors' HTML may take them.
pub const RESERVED_IDS: &[&str] = &[
    "danh-sach",
    "tin-moi-hon",
    "tin-da-dua",
    "xem-nhieu",
    "noi-dung",
    "thuoc-tinh",
    "hieu-luc",
    "tep-dinh-kem",
    "van-ban-lien-quan",
    "lich-tuan",
];

/// Classes bantin's own body markup uses (footnotes, highlighted code); an
/// editor's classes could borrow the theme's, such as one that hides.
const OWN_CLASSES: &[&str] = &[
    "code",
    "footnote-reference",
    "footnote-definition",
    "footnote-definition-label",
];

/// CSS properties kept in a `style` attribute: how text and tables look, never
/// where a box goes or whether it shows.
const KEPT_STYLE_PROPERTIES: &[&str] = &[
    "text-align",
    "vertical-align",
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "text-decoration",
    "text-transform",
    "text-indent",
    "white-space",
    "line-height",
    "width",
    "height",
    "max-width",
    "min-width",
    "float",
    "clear",
    "list-style-type",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-collapse",
    "border-spacing",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
];

/// The allow-list sanitiser of a site.
pub struct Sanitizer {
    cleaner: ammonia::Builder<'static>,
}

impl Sanitizer {
    /// A sanitiser whose iframes may show videos from YouTube and from `iframe_hosts`.
    pub fn new(iframe_hosts: &[String]) -> Sanitizer {
        let mut hosts: Vec<String> = DEFAULT_IFRAME_HOSTS.iter().map(|h| h.to_string()).collect();
        hosts.extend(iframe_hosts.iter().cloned());
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .add_tags(["iframe", "section", "figure", "figcaption"])
            .add_clean_content_tags(["object", "embed", "applet", "template"])
            .add_generic_attributes(["id", "class", "style", "dir"])
            .add_tag_attributes("img", ["loading", "title"])
            .add_tag_attributes("pre", ["data-lang"])
            .add_tag_attributes("ol", ["type"])
            .add_tag_attributes(
                "iframe",
                [
                    "src",
                    "width",
                    "height",
                    "title",
                    "allow",
                    "allowfullscreen",
                    "frameborder",
                    "loading",
                    "referrerpolicy",
                ],
            )
            .add_url_schemes(["data"])
            .link_rel(None)
            .attribute_filter(move |element, attribute, value| {
                filter_attribute(element, attribute, value, &hosts)
            });
        Sanitizer { cleaner }
    }

    /// `html` with only what the allow-list keeps.
    pub fn clean(&self, html: &str) -> String {
        let cleaned = self.cleaner.clean(html).to_string();
        without_bare_iframes(&cleaned)
    }
}

/// What becomes of one attribute the allow-list names: kept, changed or dropped.
fn filter_attribute<'v>(
    element: &str,
    attribute: &str,
    value: &'v str,
    iframe_hosts: &[String],
) -> Option<Cow<'v, str>> {
    match (element, attribute) {
        ("iframe", "src") => {
            let host = link_host(value)?;
            let allowed = iframe_hosts
                .iter()
                .any(|h| host == *h || host.ends_with(&format!(".{h}")));
            allowed.then_some(Cow::Borrowed(value))
        }
        (_, "src" | "href") => {
            is_safe_address(value, element == "img").then_some(Cow::Borrowed(value))
        }
        (_, "id") => (!RESERVED_IDS.contains(&value)).then_some(Cow::Borrowed(value)),
        (_, "class") => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| c.starts_with("hl-") || OWN_CLASSES.contains(c))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        (_, "style") => {
            let kept = kept_style(value);
            (!kept.is_empty()).then_some(Cow::Owned(kept))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The declarations of a `style` attribute that only change how text looks:
/// `display:none; color: red` -> `color: red`.
fn kept_style(style: &str) -> String {
    let kept: Vec<String> = style
        .split(';')
        .filter(|written| {
            declaration(written).is_some_and(|(name, value)| {
                KEPT_STYLE_PROPERTIES.contains(&name.as_str())
                    && declaration_hides(&name, &value).is_none()
                    && !["url(", "expression", "\\", "<", "@"]
                        .iter()
                        .any(|bad| value.contains(bad))
            })
        })
        .map(|written| written.trim().to_string())
        .collect();
    kept.join("; ")
}

/// Iframes whose address was not allowed: dropped whole, not left as empty boxes.
fn without_bare_iframes(html: &str) -> String {
    if !html.contains("<iframe") {
        return html.to_string();
    }
    // Serialised by html5ever: every value double-quoted, `"` escaped inside.
    static IFRAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?s)<iframe((?:\s+[^\s=>]+(?:="[^"]*")?)*)>.*?</iframe>"#)
            .expect("a valid pattern")
    });
    IFRAME
        .replace_all(html, |caps: &regex::Captures| {
            let attributes = &caps[1];
            if attributes.contains(" src=\"") {
                format!("<iframe{attributes}></iframe>")
            } else {
                String::new()
            }
        })
        .into_owned()
}

/// Schemes whose addresses run a script, or make a page of the address itself.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "livescript", "data"];

/// Whether `dest` may be published as a link (or, with `image`, as an image's
/// source): anything but a [`SCRIPT_SCHEMES`] address, except that an image may
/// be a `data:image/` one. The scheme is read as browsers read it, after dropping
/// tabs, newlines and leading controls: `jav\tascript:` is `javascript:`.
/// (HTML that editors write gets ammonia's stricter allow-list of schemes.)
pub fn is_safe_address(dest: &str, image: bool) -> bool {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !is_scheme {
        // `/a:b`, `?x=1:2`, `#a:b`: a path, not a scheme.
        return true;
    }
    let scheme = scheme.to_ascii_lowercase();
    if image && scheme == "data" {
        return cleaned[colon + 1..]
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("image/");
    }
    !SCRIPT_SCHEMES.contains(&scheme.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        Sanitizer::new(&["player.vimeo.com".to_string()]).clean(html)
    }

    #[test]
    fn formatting_tables_images_and_links_stay() {
        let html = "<table><thead><tr><th style=\"text-align: right\">Số</th></tr></thead>\
                    <tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>\
                    <figure><img src=\"/a.jpg\" alt=\"Ảnh\" loading=\"lazy\"><figcaption>Chú thích</figcaption></figure>\
                    <h2 id=\"ket-qua\">Kết quả</h2><ul><li><a href=\"https://chinhphu.vn\" title=\"t\">a</a></li></ul>";
        assert_eq!(clean(html), html);
    }

    #[test]
    fn scripts_handlers_and_bad_addresses_go() {
        for (dirty, cleaned) in [
            ("<script>alert(1)</script><p>a</p>", "<p>a</p>"),
            ("<img src=x onerror=alert(1)>", "<img src=\"x\">"),
            ("<svg onload=alert(1)><circle r=1></circle></svg>b", "b"),
            ("<a href=\"jav&#x09;ascript:alert(1)\">a</a>", "<a>a</a>"),
            ("<a href=\" JAVASCRIPT:alert(1)\">a</a>", "<a>a</a>"),
            ("<a href=\"vbscript:msgbox(1)\">a</a>", "<a>a</a>"),
            (
                "<a href=\"data:text/html,<script>alert(1)</script>\">a</a>",
                "<a>a</a>",
            ),
            (
                "<img src=\"data:image/png;base64,iVBO\">",
                "<img src=\"data:image/png;base64,iVBO\">",
            ),
            (
                "<form action=\"/x\"><input name=a><button>Gửi</button></form>",
                "Gửi",
            ),
            ("<object data=\"x.swf\">flash</object>", ""),
            ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
            (
                "<p style=\"display:none;color:red\">a</p>",
                "<p style=\"color:red\">a</p>",
            ),
            (
                "<p style=\"background:url(javascript:alert(1))\">a</p>",
                "<p>a</p>",
            ),
            (
                "<div class=\"visually-hidden hl-k\">a</div>",
                "<div class=\"hl-k\">a</div>",
            ),
            ("<h2 id=\"danh-sach\">a</h2>", "<h2>a</h2>"),
        ] {
            assert_eq!(clean(dirty), cleaned, "{dirty}");
        }
    }

    #[test]
    fn iframes_only_from_allowed_video_hosts() {
        let youtube = "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=\"560\" allowfullscreen=\"\"></iframe>";
        assert_eq!(clean(youtube), youtube);
        let vimeo = "<iframe src=\"https://player.vimeo.com/video/1\"></iframe>";
        assert_eq!(clean(vimeo), vimeo);
        assert_eq!(
            clean("<p>a<iframe src=\"https://okvip.com/\"></iframe>b</p>"),
            "<p>ab</p>"
        );
        assert_eq!(clean("<iframe src=\"javascript:alert(1)\"></iframe>"), "");
        assert_eq!(
            clean("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>"),
            ""
        );
    }

    #[test]
    fn addresses_are_judged_as_browsers_read_them() {
        assert!(is_safe_address("/tin/a/", false));
        assert!(is_safe_address("../anh.jpg", true));
        assert!(is_safe_address("https://a.gov.vn", false));
        assert!(is_safe_address("mailto:a@b.vn", false));
        assert!(is_safe_address("#muc:1", false));
        assert!(!is_safe_address("javascript:alert(1)", false));
        assert!(!is_safe_address("jav\tascript:alert(1)", false));
        assert!(!is_safe_address("\u{1}javascript:x", false));
        assert!(!is_safe_address("VBScript:x", false));
        assert!(!is_safe_address("data:image/png;base64,AA", false));
        assert!(is_safe_address("data:image/png;base64,AA", true));
        assert!(!is_safe_address("data:text/html,x", true));
        assert!(
            is_safe_address("irc://foo.bar:2233/baz", false),
            "CommonMark's autolinks"
        );
    }
}
