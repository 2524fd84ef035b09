//! The bytes of one article file -> a [`SourceArticle`], or every problem in it.

use jiff::tz::TimeZone;

use super::front_matter::{self, FrontMatter};
use super::text::{file_slug, slugify};
use crate::diagnostics::Diagnostic;

/// An article as its file says it, before the site gives it a place.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceArticle {
    /// Relative to content/, `/`-separated: `dan-van/2014/tong-ket.md`.
    pub source: String,
    pub front: FrontMatter,
    /// The Markdown after the front matter (NFC, `\n` line ends). Empty when
    /// `markdown_dropped`.
    pub body: String,
    /// Whether `body` was left out (an article a build kept with its rendered
    /// body instead): its file must be read again to render it.
    pub markdown_dropped: bool,
    /// The file line the body starts on, to locate problems found in it.
    pub body_line: u32,
    /// The URL name: `slug` from the front matter, else the file's name, folded.
    pub slug: String,
    pub category_slug: String,
    /// The tags as (slug, name), each slug once, in the order written; tags
    /// without letters or digits are left out.
    pub tags: Vec<(String, String)>,
    /// A fingerprint of the file's bytes: a build cache knows by it a file that
    /// is as it was though its stamp is not (a fresh checkout).
    pub file_print: crate::fingerprint::Fingerprint,
}

impl SourceArticle {
    /// The folder of the source, relative to content/ (`dan-van/2014`).
    pub fn source_dir(&self) -> &str {
        self.source.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The path editors know the file by (`content/dan-van/2014/tong-ket.md`).
    pub fn display_path(&self) -> String {
        super::sources::display_path(&self.source)
    }

    /// The article without its Markdown, for a holder that keeps its rendered
    /// body instead.
    pub fn without_markdown(&self) -> SourceArticle {
        let SourceArticle {
            source,
            front,
            body: _,
            markdown_dropped: _,
            body_line,
            slug,
            category_slug,
            tags,
            file_print,
        } = self;
        SourceArticle {
            source: source.clone(),
            front: front.clone(),
            body: String::new(),
            markdown_dropped: true,
            body_line: *body_line,
            slug: slug.clone(),
            category_slug: category_slug.clone(),
            tags: tags.clone(),
            file_print: *file_print,
        }
    }
}

/// Reads one article. `source` is its path relative to content/.
pub fn parse_article(
    source: &str,
    bytes: &[u8],
    tz: &TimeZone,
) -> Result<SourceArticle, Vec<Diagnostic>> {
    let path = super::sources::display_path(source);
    let text = front_matter::decode_file(&path, bytes)?;
    let split = front_matter::split(&path, &text).map_err(|d| vec![d])?;
    let front = front_matter::parse(&path, &split, tz)?;
    let mut problems = Vec::new();
    // The file's name, not the title: correcting a title never moves a page.
    let slug = match &front.slug {
        Some(given) => slugify(given),
        None => file_slug(source),
    };
    if slug.is_empty() {
        let named = match front.slug {
            Some(_) => "the `slug:`",
            None => "the file's name",
        };
        problems.push(
            Diagnostic::error(
                &path,
                format!("{named} has no letters or digits to make a URL from"),
            )
            .at(1, 1)
            .with_hint("add a `slug:` line, e.g. `slug: thong-bao-lich-tiep-cong-dan`"),
        );
    }
    let category_slug = slugify(&front.category);
    if category_slug.is_empty() {
        problems.push(
            Diagnostic::error(
                &path,
                format!(
                    "the category `{}` has no letters or digits to make a URL from",
                    front.category
                ),
            )
            .at(1, 1)
            .with_hint("name the category with words, e.g. `category: \"Dân vận\"`"),
        );
    }
    let tags = tag_slugs(&front.tags);
    // A slug made of the file's name fits a file name already.
    let given_slug = front.slug.is_some().then_some(("slug", slug.as_str()));
    let too_long = given_slug
        .into_iter()
        .chain([("category", category_slug.as_str())])
        .chain(tags.iter().map(|(slug, _)| ("tags", slug.as_str())))
        .filter_map(|(field, slug)| front_matter::slug_too_long(&path, &front.lines, field, slug));
    problems.extend(too_long);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SourceArticle {
        tags,
        source: source.to_string(),
        body: without_nul(split.body),
        markdown_dropped: false,
        body_line: split.body_line,
        front,
        slug,
        category_slug,
        file_print: crate::fingerprint::fingerprint(bytes),
    })
}

/// The body with NUL characters replaced by U+FFFD, as CommonMark asks (a NUL
/// in a page is an error in every browser).
fn without_nul(body: &str) -> String {
    if body.contains('\0') {
        body.replace('\0', "\u{FFFD}")
    } else {
        body.to_string()
    }
}

fn tag_slugs(tags: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(tags.len());
    for tag in tags {
        let slug = slugify(tag);
        if !slug.is_empty() && !out.iter().any(|(s, _)| *s == slug) {
            out.push((slug, tag.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn vn() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(7))
    }

    const ARTICLE: &str = "---\ntitle: \"Hội nghị Dân vận\"\ndate: 2014-01-17\ncategory: \"Dân vận\"\n---\nThân bài hoà.\n";

    #[test]
    fn nfd_crlf_bom_read_the_same_as_nfc() {
        let plain = parse_article("a.md", ARTICLE.as_bytes(), &vn()).unwrap();
        let messy: String = ARTICLE.nfd().collect::<String>().replace('\n', "\r\n");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(messy.as_bytes());
        let messy = parse_article("a.md", &bytes, &vn()).unwrap();
        assert_eq!(messy.front.title, plain.front.title);
        assert_eq!(messy.body, plain.body);
        assert_eq!(messy.slug, "a");
        assert_eq!(messy.category_slug, "dan-van");
    }

    #[test]
    fn tags_are_slugged_once_each() {
        let text = ARTICLE.replace(
            "category",
            "tags: [Dân vận, Bầu cử, dân vận, \"!!\"]\ncategory",
        );
        let a = parse_article("a.md", text.as_bytes(), &vn()).unwrap();
        let slugs: Vec<_> = a.tags.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(slugs, ["dan-van", "bau-cu"]);
    }

    #[test]
    fn not_utf8_says_so() {
        let errs = parse_article("a.md", b"---\ntitle: D\xE2n v\xF2n\n", &vn()).unwrap_err();
        assert!(errs[0].message.contains("not UTF-8"));
        assert_eq!(errs[0].path, "content/a.md");
        assert_eq!(errs[0].line, Some(2));
    }

    #[test]
    fn given_slug_is_folded_too() {
        let text = ARTICLE.replace("category", "slug: \"../../Tin Mới\"\ncategory");
        let a = parse_article("a.md", text.as_bytes(), &vn()).unwrap();
        assert_eq!(a.slug, "tin-moi");
    }
}
