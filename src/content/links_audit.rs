//! Links planted in bodies: hidden links to other hosts, and visible links to
//! betting sites.
//!
//! Hundreds of `.gov.vn` portals were found in 2022 carrying links to betting
//! sites, mostly hidden from readers (`display:none`, a zero-sized box, text
//! pushed off the screen) and aimed at search engines. A hidden link to another
//! host has no honest use in an article, so the build refuses it; a visible link
//! whose host or text matches the patterns of `betting_patterns.txt` is a warning
//! (an error under `bantin check --strict`).

use std::collections::HashSet;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node};

use super::text::slugify;

/// The patterns of `betting_patterns.txt`, read once.
static PATTERNS: LazyLock<BettingPatterns> =
    LazyLock::new(|| BettingPatterns::parse(include_str!("betting_patterns.txt")));

/// What marks a link as a betting link; see `betting_patterns.txt`.
#[derive(Debug, Default)]
pub struct BettingPatterns {
    /// Looked for inside host names (separators removed): (as written, folded).
    in_hosts: Vec<(String, String)>,
    /// Looked for as whole words of a link's text: (as written, `-slug-`).
    in_text: Vec<(String, String)>,
    /// Host suffixes whose links are not flagged for their text alone.
    trusted: Vec<String>,
}

impl BettingPatterns {
    /// The compiled-in patterns.
    pub fn get() -> &'static BettingPatterns {
        &PATTERNS
    }

    fn parse(text: &str) -> BettingPatterns {
        let mut patterns = BettingPatterns::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((place, pattern)) = line.split_once(char::is_whitespace) else {
                continue;
            };
            let pattern = pattern.trim().to_string();
            let folded = slugify(&pattern);
            let host_form = folded.replace('-', "");
            match place {
                "both" => {
                    patterns.in_hosts.push((pattern.clone(), host_form));
                    patterns.in_text.push((pattern, format!("-{folded}-")));
                }
                "text" => patterns.in_text.push((pattern, format!("-{folded}-"))),
                "host" => patterns.in_hosts.push((pattern, host_form)),
                "trust" => patterns.trusted.push(pattern.to_ascii_lowercase()),
                // A typo in the file would silently drop patterns: fail the tests.
                other => debug_assert!(false, "betting_patterns.txt: unknown place `{other}`"),
            }
        }
        patterns
    }

    /// The pattern (as written in the file) that a link to `host` reading `text`
    /// matches, if any. `host` is lower-case, as [`link_host`] gives it.
    pub fn matching(&self, host: &str, text: &str) -> Option<&str> {
        let joined: String = host.chars().filter(|c| *c != '.' && *c != '-').collect();
        if let Some((pattern, _)) = self.in_hosts.iter().find(|(_, p)| joined.contains(p)) {
            return Some(pattern);
        }
        if self.is_trusted(host) {
            return None;
        }
        let words = format!("-{}-", slugify(text));
        self.in_text
            .iter()
            .find(|(_, p)| words.contains(p.as_str()))
            .map(|(pattern, _)| pattern.as_str())
    }

    fn is_trusted(&self, host: &str) -> bool {
        self.trusted.iter().any(|suffix| {
            host == suffix
                || host
                    .strip_suffix(suffix.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// The lower-case host of an address that leaves the site (`https://`, `http://`,
/// `//host`), without `www.` and port: `HTTPS://WWW.OkVip.com:443/x` -> `okvip.com`.
pub fn link_host(href: &str) -> Option<String> {
    // Browsers drop these from addresses; so must whoever judges them.
    let cleaned: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let rest = ["https://", "http://", "//"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))?;
    let rest = rest.trim_start_matches('/');
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = host_port
        .split(':')
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

/// Whether `host` is the site's own (`site_host` as [`link_host`] gives it).
pub fn is_own_host(host: &str, site_host: Option<&str>) -> bool {
    site_host.is_some_and(|own| own == host)
}

/// A link to another host found in a body's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    pub host: String,
    /// The text a reader would see, spaces collapsed.
    pub text: String,
    /// Why a reader cannot see it (`display:none`), if they cannot.
    pub hidden_by: Option<&'static str>,
}

/// Every link of `html` (a body, or a part of a page) that leads to a host other
/// than `site_host`, in document order.
pub fn links_to_other_hosts(html: &str, site_host: Option<&str>) -> Vec<FoundLink> {
    let fragment = Html::parse_fragment(html);
    let rules = HidingRules::of(&fragment);
    let mut found = Vec::new();
    for node in fragment.tree.root().descendants() {
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        if !element.value().name().eq_ignore_ascii_case("a") {
            continue;
        }
        let Some(host) = element.value().attr("href").and_then(link_host) else {
            continue;
        };
        if is_own_host(&host, site_host) {
            continue;
        }
        let text = element.text().collect::<Vec<_>>().join(" ");
        found.push(FoundLink {
            host,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            hidden_by: hidden_by(element, &rules),
        });
    }
    found
}

/// Why `element` or one of its ancestors is hidden from readers, if it is.
pub fn hidden_by(element: ElementRef, rules: &HidingRules) -> Option<&'static str> {
    std::iter::successors(Some(element), |e| e.parent().and_then(ElementRef::wrap))
        .find_map(|e| hidden_itself(e, rules))
}

/// Why `element` itself (not counting its ancestors) is hidden, if it is.
pub fn hidden_itself(element: ElementRef, rules: &HidingRules) -> Option<&'static str> {
    let e = element.value();
    if e.attr("hidden").is_some() {
        return Some("the `hidden` attribute");
    }
    if matches!(e.name(), "template" | "noscript") {
        return Some("a <template> or <noscript>, never shown");
    }
    if let Some(reason) = e.attr("style").and_then(style_hides) {
        return Some(reason);
    }
    let by_class = e.classes().any(|c| rules.classes.contains(c));
    let by_id = e.id().is_some_and(|id| rules.ids.contains(id));
    (by_class || by_id).then_some("a <style> rule that hides it")
}

/// Classes and ids that a `<style>` element in the same HTML hides.
#[derive(Debug, Default, Clone)]
pub struct HidingRules {
    classes: HashSet<String>,
    ids: HashSet<String>,
}

impl HidingRules {
    /// The hiding rules of the `<style>` elements of `html`.
    pub fn of(html: &Html) -> HidingRules {
        let mut rules = HidingRules::default();
        for node in html.tree.root().descendants() {
            let Some(style) = ElementRef::wrap(node) else {
                continue;
            };
            if style.value().name() != "style" {
                continue;
            }
            let css: String = style
                .children()
                .filter_map(|c| match c.value() {
                    Node::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            rules.add_css(&css);
        }
        rules
    }

    /// Takes the `.class` and `#id` selectors of rules whose declarations hide.
    fn add_css(&mut self, css: &str) {
        for rule in css.split('}') {
            let Some((selectors, declarations)) = rule.split_once('{') else {
                continue;
            };
            if style_hides(declarations).is_none() {
                continue;
            }
            for selector in selectors.split(',') {
                // The last simple selector is the element the rule hides.
                let last = selector.split_whitespace().last().unwrap_or("");
                for (mark, set) in [('.', &mut self.classes), ('#', &mut self.ids)] {
                    if let Some((_, name)) = last.split_once(mark) {
                        let name = name.split(['.', '#', ':', '[']).next().unwrap_or("");
                        if !name.is_empty() {
                            set.insert(name.to_string());
                        }
                    }
                }
            }
        }
    }
}

/// Why an inline `style` hides its element, if it does.
pub fn style_hides(style: &str) -> Option<&'static str> {
    let declarations: Vec<(String, String)> = declarations(style).collect();
    let value_of = |name: &str| {
        declarations
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(reason) = declarations
        .iter()
        .find_map(|(name, value)| declaration_hides(name, value))
    {
        return Some(reason);
    }
    // A box too small to show anything hides what overflows it only when the
    // overflow is cut.
    let tiny = |name: &str| {
        value_of(name)
            .and_then(length)
            .is_some_and(|(n, _)| n <= 1.0)
    };
    let cut = value_of("overflow").is_some_and(|v| v.contains("hidden") || v.contains("clip"));
    let small = ["width", "height", "max-width", "max-height"]
        .iter()
        .any(|n| tiny(n));
    if (small && cut) || (tiny("width") && tiny("height")) {
        return Some("a zero-sized box");
    }
    None
}

/// Why one CSS declaration alone hides its element, if it does.
pub fn declaration_hides(name: &str, value: &str) -> Option<&'static str> {
    let number = || length(value).map(|(n, _)| n);
    match name {
        "display" if value == "none" => Some("display:none"),
        "visibility" if value == "hidden" || value == "collapse" => Some("visibility:hidden"),
        "font-size" if number().is_some_and(|n| n <= 1.0) => Some("font-size:0"),
        "opacity" if number().is_some_and(|n| n <= 0.05) => Some("opacity:0"),
        "left" | "top" | "right" | "bottom" | "margin-left" | "margin-top" | "text-indent"
            if is_far_off(value) =>
        {
            Some("off-screen positioning")
        }
        "transform" if value.contains("translate") && value.contains("-9") => {
            Some("off-screen positioning")
        }
        "clip" if value.starts_with("rect(") && value[5..].starts_with(['0', '1']) => {
            Some("a clipped-away box")
        }
        "clip-path" if value.contains("inset(50%") || value.contains("inset(100%") => {
            Some("a clipped-away box")
        }
        _ => None,
    }
}

/// The declarations of a `style` attribute, as [`declaration`] reads them.
pub fn declarations(style: &str) -> impl Iterator<Item = (String, String)> + '_ {
    style.split(';').filter_map(declaration)
}

/// One CSS declaration, lower-case and without spaces or `!important`:
/// `Display : NONE !important` -> (`display`, `none`).
pub fn declaration(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim().to_ascii_lowercase();
    let value: String = value
        .to_ascii_lowercase()
        .replace("!important", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (!name.is_empty()).then_some((name, value))
}

/// A CSS length's number and unit: `-9999px` -> (-9999, "px"), `0` -> (0, "").
fn length(value: &str) -> Option<(f64, &str)> {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let number = value[..end].parse::<f64>().ok()?;
    Some((number, &value[end..]))
}

/// A position far off the screen: `-9999px`, `-100em`.
fn is_far_off(value: &str) -> bool {
    match length(value) {
        Some((n, "px" | "")) => n <= -500.0,
        Some((n, _)) => n <= -50.0,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(html: &str) -> Vec<(String, Option<&'static str>)> {
        links_to_other_hosts(html, Some("phuong1.gov.vn"))
            .into_iter()
            .map(|l| (l.host, l.hidden_by))
            .collect()
    }

    #[test]
    fn every_hiding_style_is_seen() {
        for (style, reason) in [
            ("display:none", "display:none"),
            ("DISPLAY : None !important", "display:none"),
            ("visibility: hidden", "visibility:hidden"),
            ("font-size:0px", "font-size:0"),
            ("position:absolute;left:-9999px", "off-screen positioning"),
            ("text-indent:-10000px", "off-screen positioning"),
            ("height:0;overflow:hidden", "a zero-sized box"),
            ("width:1px;height:1px", "a zero-sized box"),
            ("opacity:0", "opacity:0"),
        ] {
            let html = format!("<div style=\"{style}\"><a href=\"https://okvip.com\">x</a></div>");
            assert_eq!(
                hidden(&html),
                [("okvip.com".to_string(), Some(reason))],
                "{style}"
            );
        }
    }

    #[test]
    fn hidden_by_an_ancestor_or_attribute_or_style_rule() {
        let by_ancestor =
            "<div style=\"display:none\"><p><span><a href=\"//mu88.bet/\">a</a></span></p></div>";
        assert_eq!(hidden(by_ancestor)[0].1, Some("display:none"));
        let by_attribute = "<section hidden><a href=\"http://x.com\">a</a></section>";
        assert_eq!(hidden(by_attribute)[0].1, Some("the `hidden` attribute"));
        let by_rule = "<style>p.seo, .k { display: none }</style><p class=\"k\"><a href=\"https://x.com\">a</a></p>";
        assert_eq!(hidden(by_rule)[0].1, Some("a <style> rule that hides it"));
    }

    #[test]
    fn visible_links_and_own_links_are_not_hidden() {
        let html = "<p style=\"color:red;font-size:14px;height:20px\"><a href=\"https://chinhphu.vn\">a</a></p>\
                    <div style=\"display:none\"><a href=\"/tin/\">b</a><a href=\"https://www.phuong1.gov.vn/x\">c</a></div>";
        assert_eq!(hidden(html), [("chinhphu.vn".to_string(), None)]);
    }

    #[test]
    fn hosts_are_read_as_browsers_read_them() {
        assert_eq!(
            link_host("HTTPS://WWW.OkVip.com:443/x").as_deref(),
            Some("okvip.com")
        );
        assert_eq!(link_host(" //user@mu88.bet/").as_deref(), Some("mu88.bet"));
        assert_eq!(
            link_host("ht\ttps://jun88.net").as_deref(),
            Some("jun88.net")
        );
        assert_eq!(link_host("/tin/a/"), None);
        assert_eq!(link_host("mailto:a@b.vn"), None);
    }

    #[test]
    fn betting_hosts_and_words_match_with_or_without_tones() {
        let p = BettingPatterns::get();
        assert_eq!(p.matching("jun88-vip.net", "Trang chủ"), Some("jun88"));
        assert_eq!(p.matching("example.com", "Nhà Cái uy tín"), Some("nhà cái"));
        assert_eq!(p.matching("example.com", "nha cai uy tin"), Some("nhà cái"));
        assert_eq!(p.matching("example.com", "TÀI XỈU online"), Some("tài xỉu"));
        assert_eq!(p.matching("taixiu-online.club", "Xem"), Some("taixiu"));
        assert_eq!(p.matching("example.com", "MU88 chính thức"), Some("mu88"));
    }

    #[test]
    fn ordinary_and_government_links_do_not_match() {
        let p = BettingPatterns::get();
        assert_eq!(p.matching("chinhphu.vn", "Cổng thông tin Chính phủ"), None);
        assert_eq!(p.matching("example.com", "cái nhà văn hoá"), None);
        assert_eq!(
            p.matching("bocongan.gov.vn", "Triệt phá đường dây cá cược bóng đá"),
            None
        );
        assert_eq!(p.matching("vnexpress.net", "Tàu cá cập cảng"), None);
    }
}
