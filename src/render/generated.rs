//! Pages bantin writes itself rather than through the theme, because their form
//! is fixed by standards: Atom feeds, XML sitemaps, robots.txt, alias redirects.

use std::fmt::Write as _;

use super::feed_links::absolute_links;
use super::format::iso;
use crate::site::model::Site;
use crate::site::plan::{self, PagePlan, PlannedPage, SitemapPart, feed_entries};

/// The Atom feed of the site (`None`) or of a category, newest first.
pub fn atom_feed(site: &Site, category: Option<usize>) -> String {
    let config = &site.config;
    let list = feed_entries(site, category);
    let (title, page_path) = match category {
        None => (config.title.clone(), "/".to_string()),
        Some(c) => {
            let cat = &site.categories[c];
            (format!("{} - {}", cat.name, config.title), cat.url.clone())
        }
    };
    let updated = list
        .iter()
        .map(|&i| {
            let a = &site.articles[i];
            a.updated.as_ref().unwrap_or(&a.date)
        })
        .max();
    let subtitle = (!config.description.is_empty()).then_some(config.description.as_str());
    let mut xml = String::with_capacity(2048 + list.len() * 4096);
    atom_head(&mut xml, site, (&title, subtitle), &page_path, updated);
    for &i in &list {
        let a = &site.articles[i];
        let url = config.absolute_url(&a.url);
        let category = &site.categories[a.category];
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape(&a.title));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&url)
        );
        let _ = writeln!(xml, "    <id>{}</id>", escape(&url));
        let _ = writeln!(xml, "    <published>{}</published>", iso(&a.date));
        let _ = writeln!(
            xml,
            "    <updated>{}</updated>",
            iso(a.updated.as_ref().unwrap_or(&a.date))
        );
        let author = a.author.as_deref().unwrap_or(&config.title);
        let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(author));
        let _ = writeln!(
            xml,
            "    <category term=\"{}\" label=\"{}\"/>",
            escape(&category.slug),
            escape(&category.name)
        );
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(&a.summary));
        xml.push_str("    <content type=\"html\">");
        escape_into(&mut xml, &absolute_links(&a.body_html, &url));
        xml.push_str("</content>\n");
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Writes the head of an Atom feed (all but its entries) of the page at
/// `page_path`, whose newest entry was updated at `updated`.
pub(super) fn atom_head(
    xml: &mut String,
    site: &Site,
    (title, subtitle): (&str, Option<&str>),
    page_path: &str,
    updated: Option<&jiff::Zoned>,
) {
    let config = &site.config;
    let feed_url = config.absolute_url(&format!("{page_path}feed.xml"));
    let updated = updated.map_or_else(|| "1970-01-01T00:00:00+00:00".to_string(), iso);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        config.language.code()
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(title));
    if let Some(subtitle) = subtitle {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape(subtitle));
    }
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&feed_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&config.absolute_url(page_path))
    );
    let _ = writeln!(xml, "  <id>{}</id>", escape(&feed_url));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        escape(&config.title)
    );
    xml.push_str("  <generator>bantin</generator>\n");
}

/// A sitemap file, or the index of the numbered ones.
pub fn sitemap(site: &Site, plan: &PagePlan, part: &SitemapPart) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let entries = match part {
        SitemapPart::Index(files) => {
            xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for n in 1..=*files {
                let loc = site.config.absolute_url(&format!("/sitemap-{n}.xml"));
                let _ = writeln!(xml, "  <sitemap><loc>{}</loc></sitemap>", escape(&loc));
            }
            xml.push_str("</sitemapindex>\n");
            return xml;
        }
        SitemapPart::Whole(range) | SitemapPart::Numbered(range) => &plan.pages[range.clone()],
    };
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in entries {
        let loc = site.config.absolute_url(&page.path);
        match last_modified(site, page) {
            Some(date) => {
                let _ = writeln!(
                    xml,
                    "  <url><loc>{}</loc><lastmod>{date}</lastmod></url>",
                    escape(&loc)
                );
            }
            None => {
                let _ = writeln!(xml, "  <url><loc>{}</loc></url>", escape(&loc));
            }
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// When a page last changed: its article's date, or its newest article's; for
/// the register's pages, its document's date of issue, or its newest document's.
fn last_modified(site: &Site, page: &PlannedPage) -> Option<String> {
    if let Some(d) = plan::document_last_modified(site, page) {
        return Some(iso(&site.documents.documents[d].issued));
    }
    let a = &site.articles[plan::last_modified(site, page)?];
    Some(iso(a.updated.as_ref().unwrap_or(&a.date)))
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.absolute_url("/sitemap.xml")
    )
}

/// The record of the addresses the site publishes: one line an address, a
/// tab, and the file it comes from.
pub fn published_urls(site: &Site, plan: &PagePlan) -> String {
    const HEAD: &str = "# The addresses this build published, each with the file it comes from.\n\
         # The next build warns of every one it would no longer publish.\n";
    let urls = plan::published_urls(site, plan);
    // Its length first: some 20 MB at 100,000 articles, grown by doubling it
    // would hold half as much again, and twice that while it grew.
    let lines = urls.iter().map(|u| {
        let (start, rest) = u.file();
        u.url.len() + start.len() + rest.len() + 2
    });
    let mut text = String::with_capacity(HEAD.len() + lines.sum::<usize>());
    text.push_str(HEAD);
    for u in &urls {
        let (start, rest) = u.file();
        for part in [&*u.url, "\t", start, rest, "\n"] {
            text.push_str(part);
        }
    }
    text
}

/// A page at an article's old address that sends readers (and search engines,
/// through the canonical link) to its page.
pub fn alias_redirect(site: &Site, article: usize) -> String {
    let a = &site.articles[article];
    let target = escape(&site.config.absolute_url(&a.url));
    let title = escape(&a.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = site.config.language.code()
    )
}

/// Escapes text for XML and HTML: `& < > " '`; the characters XML 1.0 does
/// not allow (control characters but tab and line ends, U+FFFE, U+FFFF) are
/// dropped, since one of them makes a feed reader refuse the whole feed.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    out.reserve(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}
