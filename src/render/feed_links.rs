//! Links in feed entries, made absolute. A body's links are written for its page
//! (`/images/a.jpg`, `#1` to a footnote); a feed reader shows the body away from
//! that page, where such links lead nowhere, and most readers ignore Atom's
//! `xml:base`. So every link of an entry is written out in full.

use lol_html::html_content::Element;
use lol_html::{HandlerTypes, RewriteStrSettings, element, rewrite_str};

/// The attributes that hold one address.
const ADDRESS_ATTRIBUTES: &[&str] = &["href", "src", "poster", "cite"];

/// `html` (a body as on its page at `page_url`, e.g.
/// `https://phuongmau.gov.vn/dan-van/tong-ket/`) with every relative address made
/// absolute: `/images/a.jpg` -> `https://phuongmau.gov.vn/images/a.jpg`, `#1` ->
/// `https://phuongmau.gov.vn/dan-van/tong-ket/#1`. Absolute addresses
/// (`https:`, `mailto:`, `//host/`) are kept. Without an absolute `page_url`
/// (a site with no `base_url`) the body is returned as it is.
pub fn absolute_links(html: &str, page_url: &str) -> String {
    let Some(origin) = origin_of(page_url) else {
        return html.to_string();
    };
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
        rewrite_addresses(el, origin, page_url)
    }));
    // lol_html fails only on its memory limit or a handler's error (an attribute
    // name it refuses), neither of which these names meet: keep the body then.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

fn rewrite_addresses<H: HandlerTypes>(
    el: &mut Element<'_, '_, H>,
    origin: &str,
    page_url: &str,
) -> lol_html::HandlerResult {
    for &name in ADDRESS_ATTRIBUTES {
        if let Some(value) = el.get_attribute(name)
            && let Some(absolute) = resolve(&value, origin, page_url)
        {
            el.set_attribute(name, &absolute)?;
        }
    }
    if let Some(srcset) = el.get_attribute("srcset") {
        el.set_attribute("srcset", &absolute_srcset(&srcset, origin, page_url))?;
    }
    Ok(())
}

/// `https://host[:port]` of an absolute http(s) address.
fn origin_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find('/').unwrap_or(rest.len());
    (end > 0).then(|| &url[..scheme.len() + 3 + end])
}

/// The absolute form of `value`, or `None` when it is absolute already (or
/// empty: a link to the page itself stays so).
fn resolve(value: &str, origin: &str, page_url: &str) -> Option<String> {
    // Browsers ignore spaces around an address.
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if value.is_empty() || value.starts_with("//") || has_scheme(value) {
        return None;
    }
    if value.starts_with('/') {
        return Some(format!("{origin}{value}"));
    }
    if value.starts_with('#') || value.starts_with('?') {
        let page = page_url.split(['#', '?']).next().unwrap_or(page_url);
        return Some(format!("{page}{value}"));
    }
    // A path relative to the page's folder: `anh.jpg`, `../van-ban/a.pdf`.
    let folder = &page_url[origin.len()..page_url.rfind('/').map_or(origin.len(), |i| i + 1)];
    Some(format!(
        "{origin}{}",
        without_dot_segments(&format!("{folder}{value}"))
    ))
}

/// `mailto:`, `https:`, `data:`…: RFC 3986's scheme, then `:`.
fn has_scheme(value: &str) -> bool {
    let Some((scheme, _)) = value.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `/dan-van/a/../../images/x.jpg` -> `/images/x.jpg` (RFC 3986, 5.2.4); the
/// query and fragment are left alone.
fn without_dot_segments(path: &str) -> String {
    let split = path.find(['?', '#']).unwrap_or(path.len());
    let (path, rest) = path.split_at(split);
    let mut kept: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
        // `a/..` and `a/.` end in a folder.
        if last && matches!(*segment, "." | "..") {
            kept.push("");
        }
    }
    format!("/{}{rest}", kept.join("/"))
}

/// `a.jpg 1x, /b.jpg 2x` with each address made absolute.
fn absolute_srcset(srcset: &str, origin: &str, page_url: &str) -> String {
    srcset
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            let (url, descriptor) = candidate
                .split_once(char::is_whitespace)
                .unwrap_or((candidate, ""));
            let url = resolve(url, origin, page_url).unwrap_or_else(|| url.to_string());
            match descriptor.trim() {
                "" => url,
                d => format!("{url} {d}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://phuongmau.gov.vn/cong/dan-van/tong-ket/";

    #[test]
    fn relative_addresses_become_absolute_and_absolute_ones_stay() {
        let body = concat!(
            r#"<p><a href="/cong/dan-van/hoi-nghi/">a</a> <img src="/cong/images/a.jpg" alt="x">"#,
            r##"<sup class="footnote-reference"><a href="#1">1</a></sup>"##,
            r#"<a href="https://chinhphu.vn/">b</a> <a href="mailto:ubnd@phuongmau.gov.vn">c</a>"#,
            r#"<a href="//cdn.example/x.js">d</a> <a href=" ../../van-ban/a.pdf?x=1&amp;y=2">e</a>"#,
            r#"<img srcset="/cong/a.jpg 1x, b.jpg 2x" src="anh.jpg"></p>"#,
            r#"<pre><code>href="/not/a/link"</code></pre>"#,
        );
        let out = absolute_links(body, PAGE);
        for expected in [
            r#"href="https://phuongmau.gov.vn/cong/dan-van/hoi-nghi/""#,
            r#"src="https://phuongmau.gov.vn/cong/images/a.jpg""#,
            r#"href="https://phuongmau.gov.vn/cong/dan-van/tong-ket/#1""#,
            r#"href="https://chinhphu.vn/""#,
            r#"href="mailto:ubnd@phuongmau.gov.vn""#,
            r#"href="//cdn.example/x.js""#,
            r#"href="https://phuongmau.gov.vn/cong/van-ban/a.pdf?x=1&amp;y=2""#,
            r#"srcset="https://phuongmau.gov.vn/cong/a.jpg 1x, https://phuongmau.gov.vn/cong/dan-van/tong-ket/b.jpg 2x""#,
            r#"src="https://phuongmau.gov.vn/cong/dan-van/tong-ket/anh.jpg""#,
            r#"<code>href="/not/a/link"</code>"#,
        ] {
            assert!(out.contains(expected), "{expected} not in\n{out}");
        }
    }

    #[test]
    fn a_site_without_an_absolute_address_keeps_its_bodies() {
        let body = r#"<a href="/dan-van/">x</a>"#;
        assert_eq!(absolute_links(body, "/dan-van/tong-ket/"), body);
    }

    #[test]
    fn dot_segments_are_removed() {
        assert_eq!(without_dot_segments("/a/b/../c"), "/a/c");
        assert_eq!(without_dot_segments("/a/../../c"), "/c");
        assert_eq!(without_dot_segments("/a/./b/.."), "/a/");
        assert_eq!(without_dot_segments("/a/b?x=../y"), "/a/b?x=../y");
    }
}
