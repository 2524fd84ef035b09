//! The article file for an imported page: front matter in the contract's fields,
//! the body as Markdown, and its place under content/. The page's source is kept in
//! `extra.imported_from`, so importing the same page again finds its file.

use crate::content::front_matter_text::{FieldValue, front_matter_text};
use crate::content::text::{slugify, title_slug};
use crate::site::plan::alias_path;

/// Everything the article file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedArticle {
    pub title: String,
    /// `2014-01-17 14:05` or `2014-01-17`, read in the site's time zone.
    pub date: String,
    pub category: String,
    /// Set when the file name is not the title's slug (a second page of that title).
    pub slug: Option<String>,
    pub views: Option<u64>,
    pub author: Option<String>,
    pub source: Option<String>,
    /// The page's old address, when the page gave it.
    pub url: Option<String>,
    /// The old address is the article's new one too (`/tin-tuc/hoi-nghi/`): no
    /// alias, which would be a second page at that address.
    pub same_address: bool,
    /// What identifies the page across imports: see [`source_key`].
    pub imported_from: String,
    /// What identifies the article's text (title and body), so that the same
    /// article saved twice is imported once: see [`text_fingerprint`].
    pub fingerprint: String,
    /// Fields that were guessed, for a person to check.
    pub guessed: Vec<String>,
    pub body: String,
}

impl ImportedArticle {
    /// The old address to redirect, if it can be and needs to be.
    pub fn redirect(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|u| !self.same_address && is_redirectable(u))
    }
}

/// The article file's text.
pub fn article_text(article: &ImportedArticle) -> String {
    let mut fields = vec![
        ("title", FieldValue::Text(article.title.clone())),
        ("date", FieldValue::Plain(article.date.clone())),
        ("category", FieldValue::Text(article.category.clone())),
    ];
    if let Some(slug) = &article.slug {
        fields.push(("slug", FieldValue::Text(slug.clone())));
    }
    if let Some(views) = article.views {
        fields.push(("views", FieldValue::Number(views)));
    }
    if let Some(author) = &article.author {
        fields.push(("author", FieldValue::Text(author.clone())));
    }
    if let Some(source) = &article.source {
        fields.push(("source", FieldValue::Text(source.clone())));
    }
    if let Some(alias) = article.redirect() {
        fields.push(("aliases", FieldValue::List(vec![alias.to_string()])));
    }
    fields.push(("extra", FieldValue::Map(import_extra(article))));
    let mut text = front_matter_text(&fields);
    text.push_str(&article.body);
    text
}

/// The `extra` map of an imported file: where it came from, its text's
/// fingerprint, and the fields that were guessed.
pub fn import_extra(article: &ImportedArticle) -> Vec<(String, FieldValue)> {
    let mut extra = vec![
        (
            "imported_from".to_string(),
            FieldValue::Text(article.imported_from.clone()),
        ),
        (
            "import_text".to_string(),
            FieldValue::Text(article.fingerprint.clone()),
        ),
    ];
    if !article.guessed.is_empty() {
        extra.push((
            "import_guessed".to_string(),
            FieldValue::List(article.guessed.clone()),
        ));
    }
    extra
}

/// An old address a static host can redirect: a path without a query string
/// (`/Pages/tin.aspx?ItemID=12` names many articles by one path).
pub fn is_redirectable(url: &str) -> bool {
    !url.contains('?') && alias_path(url).is_some()
}

/// `content/`-relative path of an article: `<category-slug>/<title-slug>.md`, with
/// `-2`, `-3`… when `n` > 1 (another page with the same title).
pub fn article_rel(category: &str, title: &str, n: usize) -> String {
    let mut folder = slugify(category);
    if folder.is_empty() {
        folder = "tin-tuc".into();
    }
    let mut name = title_slug(title);
    if name.is_empty() {
        name = "bai-viet".into();
    }
    if n > 1 {
        format!("{folder}/{name}-{n}.md")
    } else {
        format!("{folder}/{name}.md")
    }
}

/// The address an article at `rel` gets: `dan-van/hoi-nghi` (folder = category slug).
pub fn page_key(rel: &str) -> String {
    rel.strip_suffix(".md").unwrap_or(rel).to_string()
}

/// What names a page across imports: its old address when known, else its file
/// name with a fingerprint of its bytes (`tin.html#9f86d081884c7d65`).
pub fn source_key(url: Option<&str>, file_name: &str, bytes: &[u8]) -> String {
    match url {
        Some(url) => url.to_string(),
        None => format!("{file_name}#{:016x}", fnv1a(bytes)),
    }
}

/// The fingerprint of an article's title and text as a reader sees them (not its
/// links, which a saved page and a mirrored one write differently).
pub fn text_fingerprint<'a>(title: &str, texts: impl Iterator<Item = &'a str>) -> String {
    let mut all = title.to_string();
    for text in texts {
        all.push('\n');
        all.push_str(text);
    }
    format!("{:016x}", fnv1a(all.as_bytes()))
}

/// FNV-1a, 64 bits: a stable fingerprint (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// The `imported_from` of an article file written by an import, if it is one.
pub fn imported_from(text: &str) -> Option<String> {
    extra_text(text, "imported_from")
}

/// The `import_text` fingerprint of an article file written by an import.
pub fn imported_text(text: &str) -> Option<String> {
    extra_text(text, "import_text")
}

fn extra_text(text: &str, key: &str) -> Option<String> {
    // Read line by line rather than as YAML, so a file an editor broke is still known.
    let mut lines = text.lines();
    if lines.next()?.trim() != "---" {
        return None;
    }
    let prefix = format!("{key}:");
    let line = lines
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.trim_start().strip_prefix(prefix.as_str()))?;
    unquote(line.trim())
}

/// The inverse of `front_matter_text::quote` for the escapes it writes.
fn unquote(value: &str) -> Option<String> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::article::parse_article;

    fn article() -> ImportedArticle {
        ImportedArticle {
            title: "Tổng kết công tác \"dân vận\"".into(),
            date: "2014-01-17 14:05".into(),
            category: "Nghị quyết trung ương 4".into(),
            slug: None,
            views: Some(4351),
            author: Some("Chung Trần".into()),
            source: None,
            url: Some("http://quan2.example.gov.vn/Pages/tong-ket.aspx".into()),
            same_address: false,
            imported_from: "http://quan2.example.gov.vn/Pages/tong-ket.aspx".into(),
            guessed: vec!["date".into()],
            fingerprint: "0123456789abcdef".into(),
            body: "Nội dung.\n".into(),
        }
    }

    #[test]
    fn the_file_parses_under_the_contract() {
        let text = article_text(&article());
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
        let parsed = parse_article("a.md", text.as_bytes(), &tz).unwrap();
        assert_eq!(parsed.front.title, "Tổng kết công tác \"dân vận\"");
        assert_eq!(parsed.front.views, 4351);
        assert_eq!(parsed.front.aliases.len(), 1);
        assert_eq!(
            imported_from(&text).as_deref(),
            Some("http://quan2.example.gov.vn/Pages/tong-ket.aspx")
        );
    }

    #[test]
    fn query_string_addresses_are_not_aliases() {
        let mut a = article();
        a.url = Some("http://quan2.example.gov.vn/Pages/tin.aspx?ItemID=12".into());
        assert!(!article_text(&a).contains("aliases"));
    }

    #[test]
    fn paths_and_keys_are_stable() {
        assert_eq!(
            article_rel("Dân vận", "Hội nghị tổng kết", 1),
            "dan-van/hoi-nghi-tong-ket.md"
        );
        assert_eq!(article_rel("…", "!!!", 2), "tin-tuc/bai-viet-2.md");
        assert_eq!(
            source_key(None, "a.html", b"x"),
            source_key(None, "a.html", b"x")
        );
        assert_ne!(
            source_key(None, "a.html", b"x"),
            source_key(None, "a.html", b"y")
        );
    }
}
