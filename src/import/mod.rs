//! `bantin import`: saved pages of a closed legacy portal -> article files under
//! content/, nothing of the articles' text lost.
//!
//! One page goes: bytes -> [`decode`] (UTF-8, Windows-1258, TCVN3, VNI -> NFC) ->
//! blocks ([`html`] or [`plain`]) -> fields and body ([`fields`], using [`dates`]
//! and [`chrome`]) -> an article file ([`write`]). [`import_page`] does that without
//! touching the disk; [`run_import`] ([`run`]) reads the inputs, finds where each
//! article goes (the same page always to the same file) and writes, unless
//! dry-run; [`report`] says what happened.

pub mod assets;
pub mod chrome;
pub mod dates;
pub mod decode;
pub mod document;
pub mod fields;
pub mod html;
pub mod mhtml;
pub mod page;
pub mod plain;
pub mod report;
pub mod run;
pub mod write;

use jiff::civil::Date;

use crate::content::text::slugify;
use decode::{Encoding, decode_page};
use fields::{Found, find_fields};
use write::{ImportedArticle, source_key};

pub use report::{Change, ImportReport, Outcome, PageReport};
pub use run::{ImportError, ImportOptions, run_import};

/// Where documents that lack a field the register needs are written (outside
/// content/, where the build would refuse them), for a clerk to complete.
pub const INCOMPLETE_DIR: &str = "import-incomplete";

/// The category of pages that show none, when `--category` is not given.
pub const DEFAULT_CATEGORY: &str = "Tin tức";

/// File name endings read as pages when a folder is imported.
pub(crate) const PAGE_EXTENSIONS: &[&str] = &[
    "html", "htm", "aspx", "asp", "php", "jsp", "shtml", "xhtml", "txt", "mhtml", "mht",
];

/// One page read and turned into an article, before it is given a file.
#[derive(Debug, Clone)]
pub struct ImportedPage {
    pub encoding: Encoding,
    pub found: Found,
    pub article: ImportedArticle,
    /// The page's key by its file (name and fingerprint), used instead of its
    /// address when another page of the same import claims that address too.
    pub file_key: String,
    /// Links planted in the page and left out of the article (see
    /// [`html::Hints::planted`]).
    pub planted: Vec<String>,
    /// The article's links and images, as the page wrote them and as the body does.
    pub references: Vec<html::Reference>,
    /// The page is one of the old register's documents: its fields, written as a
    /// document under content/van-ban/ instead of an article.
    pub document: Option<document::ImportedDocument>,
    /// The date for a document's folder when the page shows no date of issue.
    pub fallback_date: Date,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("the page is empty")]
    Empty,
    /// Bytes that are no page at all: a PDF the portal served at a page's address
    /// (`tai-ve.aspx`), a Word file renamed `.txt`, a broken download.
    #[error(
        "not a page: the file holds {0}, not HTML or text (open it to see what it is; an attachment is copied where an imported page links it)"
    )]
    NotText(&'static str),
    #[error("no article text was found on the page (only menus, counters and the like)")]
    NoText,
    /// A list page of the old portal (its home page, a category's page N): its
    /// articles come from their own pages.
    #[error(
        "a list of {links} articles' links, not an article: its articles are imported from their own pages (name the file on the command line to import it anyway)"
    )]
    ListPage { links: usize },
}

impl ImportedPage {
    /// A document that lacks a field the register needs: written outside content/.
    pub fn incomplete(&self) -> bool {
        self.document
            .as_ref()
            .is_some_and(|d| !d.missing().is_empty())
    }
}

/// Where a page was found, for what the page itself may not say.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageContext<'a> {
    /// The date of a page that shows no date at all (the file's own date).
    pub fallback_date: Option<Date>,
    /// The category for pages that show none (`--category`).
    pub category: Option<&'a str>,
    /// The page's old address by where it was saved (`quan3.example.gov.vn/tin/a.html`
    /// in a mirror), used when the page names none.
    pub address: Option<&'a str>,
    /// Import a list page as an article too (a page named on the command line).
    pub list_pages: bool,
    /// The issuing body of documents whose pages show none (`--issuer`).
    pub issuer: Option<&'a str>,
}

/// Reads one page. `fallback_date` dates a page that shows no date at all (the
/// file's own date); `category` is the category for pages that show none.
pub fn import_page(
    bytes: &[u8],
    file_name: &str,
    fallback_date: Date,
    category: Option<&str>,
) -> Result<ImportedPage, PageError> {
    import_page_in(
        bytes,
        file_name,
        PageContext {
            fallback_date: Some(fallback_date),
            category,
            address: None,
            list_pages: true,
            issuer: None,
        },
    )
}

/// Reads one page found where `context` says.
pub fn import_page_in(
    bytes: &[u8],
    file_name: &str,
    context: PageContext,
) -> Result<ImportedPage, PageError> {
    let category = context.category;
    let fallback_date = context
        .fallback_date
        .unwrap_or_else(|| jiff::Zoned::now().date());
    if let Some(kind) = binary_kind(bytes) {
        return Err(PageError::NotText(kind));
    }
    let decoded = decode_page(bytes);
    if decoded.text.trim().is_empty() {
        return Err(PageError::Empty);
    }
    let (mut blocks, mut hints) = if is_html(file_name, &decoded.text) {
        html::read_html_in(
            &decoded.text,
            context.address,
            decoded.encoding == Encoding::Tcvn3,
        )
    } else {
        (plain::read_plain(&decoded.text), html::Hints::default())
    };
    let mut encoding = decoded.encoding;
    let sample: String = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(legacy) = decode::hidden_legacy(&sample) {
        encoding = Encoding::Latin1Letters(legacy);
        reread_page(&mut blocks, &mut hints, legacy);
    } else {
        // A page whose menus are Unicode but whose article kept its old font.
        for block in &mut blocks {
            if let Some(legacy) = decode::hidden_legacy(&block.text) {
                encoding = Encoding::Latin1Letters(legacy);
                reread_page(
                    std::slice::from_mut(block),
                    &mut html::Hints::default(),
                    legacy,
                );
            }
        }
    }
    let headlines = headline_links(&blocks);
    let mut document = document::find_document(&blocks);
    let mut found = find_fields(blocks, &hints);
    if found.body.is_empty() {
        return Err(PageError::NoText);
    }
    if !context.list_pages && is_list_page(&found, headlines) {
        return Err(PageError::ListPage { links: headlines });
    }
    if let Some(document) = &mut document {
        document.keep_body(&found.body);
        if document.issuer.is_none() {
            document.issuer = context.issuer.map(str::to_string);
        }
    }
    let date = match found.date {
        Some(date) => date.front_matter(),
        None => {
            found.guesses.push((
                "date",
                format!("no date on the page: used the file's date ({fallback_date})"),
            ));
            fallback_date.to_string()
        }
    };
    // A category must name a folder and an address: letters or digits.
    found.category = found.category.filter(|c| !slugify(c).is_empty());
    let page_category = found.category.clone();
    let category = match (page_category, category) {
        (Some(own), _) => own,
        (None, Some(given)) => given.to_string(),
        (None, None) => {
            found.guesses.push((
                "category",
                format!("no category on the page: used \"{DEFAULT_CATEGORY}\" (give --category)"),
            ));
            DEFAULT_CATEGORY.to_string()
        }
    };
    let title = match found.title.clone().filter(|t| !t.trim().is_empty()) {
        Some(title) => title,
        None => {
            let stem = file_name
                .rsplit_once('.')
                .map_or(file_name, |(stem, _)| stem);
            found.guesses.retain(|(field, _)| *field != "title");
            found.guesses.push((
                "title",
                "no text to make a title from: used the file name".into(),
            ));
            stem.to_string()
        }
    };
    if let Some(document) = &mut document {
        let page_date = found
            .date
            .filter(|_| !found.guesses.iter().any(|(f, _)| *f == "date"));
        found.guesses.clear();
        if document.issued.is_none()
            && let Some(date) = page_date
        {
            document.issued = Some(date.date);
            found.guesses.push((
                "issued",
                format!(
                    "no date of issue on the page: the page's date ({})",
                    date.date
                ),
            ));
        }
        if document.kind_guessed {
            found.guesses.push((
                "type",
                format!(
                    "no form on the page: \"{}\" by the number {}",
                    document.kind.as_deref().unwrap_or_default(),
                    document.number
                ),
            ));
        }
        for field in document.missing() {
            found.guesses.push((
                field,
                format!(
                    "not on the page: the document is written under {INCOMPLETE_DIR}/ until `{field}` is filled in and it is moved into content/"
                ),
            ));
        }
    }
    // Its file is named from the title, and the file names the page.
    let slug = None;
    let article = ImportedArticle {
        title: title.clone(),
        date,
        category,
        slug,
        views: found.views,
        author: found.author.clone(),
        source: found.source.clone(),
        url: found.url.clone(),
        same_address: false,
        imported_from: source_key(found.url.as_deref(), file_name, bytes),
        guessed: found.guesses.iter().map(|(f, _)| f.to_string()).collect(),
        fingerprint: match &document {
            // One document, however often saved: its number in its year, from its
            // issuer, with its abstract (two merged portals' `05/KH-UBND` of one
            // year are two documents).
            Some(d) => write::text_fingerprint(
                &d.number,
                [
                    d.year(fallback_date).to_string(),
                    d.issuer.clone().unwrap_or_default(),
                    d.title.clone().unwrap_or_default(),
                ]
                .iter()
                .map(String::as_str),
            ),
            // Its title, its date when the page shows it (a notice repeated word
            // for word a year later is another article), and its text.
            None => {
                let shown_date = found
                    .date
                    .filter(|_| !found.guesses.iter().any(|(f, _)| *f == "date"))
                    .map(|d| d.front_matter())
                    .unwrap_or_default();
                write::text_fingerprint(
                    &title,
                    std::iter::once(shown_date.as_str())
                        .chain(found.body.iter().map(|b| b.text.as_str())),
                )
            }
        },
        body: page::to_markdown(&found.body),
    };
    Ok(ImportedPage {
        encoding,
        found,
        article,
        file_key: source_key(None, file_name, bytes),
        planted: hints.planted,
        references: hints.references,
        document,
        fallback_date,
    })
}

/// Blocks that are mostly a link to another page with a headline's words:
/// `[Hội nghị tổng kết công tác dân vận năm 2022](tin/hoi-nghi.html) (05/12/2022)`.
/// Menu entries are too short, links to files (PDF, pictures) are not pages.
fn headline_links(blocks: &[page::Block]) -> usize {
    blocks
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                page::Kind::Paragraph | page::Kind::Heading(_) | page::Kind::Item(_)
            )
        })
        .filter(|b| {
            let chars = b.text.chars().filter(|c| !c.is_whitespace()).count();
            chars > 0 && b.link_chars * 10 >= chars * 6 && b.text.split_whitespace().count() >= 4
        })
        .filter(|b| {
            crate::content::markdown::destinations(&b.markdown)
                .iter()
                .any(|d| !assets::is_copied(d))
        })
        .count()
}

/// A page that lists other pages' headlines and shows no date of its own (an
/// article has its date line) nor an article's long paragraphs.
fn is_list_page(found: &Found, headlines: usize) -> bool {
    let own_date = found.date.is_some() && !found.guesses.iter().any(|(f, _)| *f == "date");
    let long_paragraphs = found
        .body
        .iter()
        .filter(|b| {
            b.kind == page::Kind::Paragraph && !b.is_all_links() && b.text.chars().count() > 300
        })
        .count();
    headlines >= 3 && !own_date && long_paragraphs < 2
}

/// Every text of the page read again in `legacy` (see [`decode::hidden_legacy`]).
fn reread_page(blocks: &mut [page::Block], hints: &mut html::Hints, legacy: decode::Legacy) {
    let again = |text: &mut String| {
        if let Some(read) = decode::reread(text, legacy) {
            *text = read;
        }
    };
    for block in blocks {
        again(&mut block.text);
        again(&mut block.markdown);
    }
    for text in [
        &mut hints.head_title,
        &mut hints.category,
        &mut hints.author,
    ]
    .into_iter()
    .flatten()
    {
        again(text);
    }
}

/// HTML by its name, or by its first kilobyte when the name says nothing.
fn is_html(file_name: &str, text: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".txt") {
        return false;
    }
    if PAGE_EXTENSIONS
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")))
    {
        return true;
    }
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    ["<html", "<!doctype html", "<body", "<div", "<p>", "<p "]
        .iter()
        .any(|tag| head.contains(tag))
}

/// Whether `bytes` are an RSS or Atom feed or a sitemap (`rss.aspx?CatID=5`, which
/// portals offered beside each category): XML listing articles, not an article.
pub(crate) fn is_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<?xml")
        && ["<rss", "<feed", "<urlset", "<sitemapindex", "<rdf:rdf"]
            .iter()
            .any(|root| head.contains(root))
}

/// What `bytes` hold when they are no text: a known file's signature, or else
/// control bytes no page has (a NUL, or one byte in twenty, in its first 4 KiB).
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\xD0\xCF\x11\xE0", "a Word or Excel file (.doc, .xls)"),
        (b"PK\x03\x04", "a ZIP archive (or .docx, .xlsx)"),
        (b"Rar!", "a RAR archive"),
        (b"\xFF\xD8\xFF", "a JPEG picture"),
        (b"\x89PNG", "a PNG picture"),
        (b"GIF8", "a GIF picture"),
        (b"{\\rtf", "an RTF document"),
    ];
    if let Some((_, kind)) = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Some(kind);
    }
    if is_feed(bytes) {
        return Some("an RSS feed or a sitemap (XML)");
    }
    // UTF-16 text has a NUL in every other byte: its byte order mark says so.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    (head.contains(&0) || control * 20 > head.len()).then_some("binary data")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_file_that_is_no_page_is_named_for_what_it_holds() {
        let import = |bytes: &[u8]| import_page(bytes, "tai-ve.aspx", day(), None);
        let pdf = import(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj");
        assert_eq!(
            pdf.unwrap_err().to_string(),
            "not a page: the file holds a PDF document, not HTML or text (open it to see what it is; an attachment is copied where an imported page links it)"
        );
        let feed = import(
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Tin t\xe1\xbb\xa9c</title></channel></rss>",
        );
        assert!(matches!(
            feed,
            Err(PageError::NotText("an RSS feed or a sitemap (XML)"))
        ));
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(
            import(&noise),
            Err(PageError::NotText("binary data"))
        ));
        // Legacy text has high bytes but no control bytes: still a page.
        let tcvn3 = import(b"<h1>Vi\xd6t Nam \xae\xe6i m\xedi</h1>\r\n<p>Vi\xd6t Nam \xae\xe6i m\xedi, n\xa7m 2014.</p>\x0c");
        assert_eq!(tcvn3.unwrap().article.title, "Việt Nam đổi mới");
    }

    #[test]
    fn a_page_without_fields_is_imported_with_guesses() {
        let page = import_page(
            "Chỉ một đoạn văn của bài viết.\n".as_bytes(),
            "a.txt",
            day(),
            None,
        )
        .unwrap();
        assert_eq!(page.article.category, DEFAULT_CATEGORY);
        assert_eq!(page.article.date, "2026-11-23");
        let guessed: Vec<&str> = page.found.guesses.iter().map(|(f, _)| *f).collect();
        assert_eq!(guessed, ["title", "date", "category"]);
    }

    #[test]
    fn empty_and_chrome_only_pages_are_errors() {
        assert_eq!(
            import_page(b"  \n", "a.txt", day(), None).unwrap_err(),
            PageError::Empty
        );
        assert_eq!(
            import_page("Tìm kiếm\nTin khác\n".as_bytes(), "a.txt", day(), None).unwrap_err(),
            PageError::NoText
        );
    }

    proptest::proptest! {
        /// Whatever the bytes, a page is read or refused, never a panic.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = import_page(&bytes, "a.html", day(), None);
            let _ = import_page(&bytes, "a.txt", day(), None);
        }

        /// Text made of the pieces pages are made of, shuffled: never a panic, and
        /// the article file always parses.
        #[test]
        fn page_like_text_gives_parsable_articles(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<p>", "</p>", "<h1>", "</h1>", "<table><tr><td>", "</td></tr></table>", "<img src='a b.jpg'>",
                "<li>", "<a href='x'>", "</a>", "<figure>", "<figcaption>", "\n", " ", "Ngày 11 tháng 6 năm 2018",
                "17 Tháng Giêng 2014 2:05:00 CH", "Lượt xem: 12", "Tin khác", "*_[]`|#", "1. ", "- ", "\"", "Hội nghị",
                "\u{a0}", "\r", "31/02/2014 25:61", "Tác giả: Ngọc", "\u{301}", "\u{de}", "&#246;",
            ]),
            0..40,
        )) {
            let text: String = parts.concat();
            for name in ["a.html", "a.txt"] {
                if let Ok(page) = import_page(text.as_bytes(), name, day(), None) {
                    let file = write::article_text(&page.article);
                    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
                    let parsed = crate::content::article::parse_article("a.md", file.as_bytes(), &tz);
                    proptest::prop_assert!(parsed.is_ok(), "{file}\n{parsed:?}");
                }
            }
        }
    }

    #[test]
    fn one_notice_repeated_a_year_later_is_another_article() {
        let page = |date: &str| {
            let text = format!("Thông báo nghỉ Tết\n{date}\n\nCơ quan nghỉ Tết theo quy định.\n");
            import_page(text.as_bytes(), "a.txt", day(), None).unwrap()
        };
        let (a, b) = (page("Ngày đăng 20/01/2019"), page("Ngày đăng 20/01/2020"));
        assert_ne!(a.article.fingerprint, b.article.fingerprint);
        assert_eq!(
            a.article.fingerprint,
            page("Ngày đăng 20/01/2019").article.fingerprint
        );
    }

    #[test]
    fn a_given_category_is_no_guess() {
        let page = import_page(
            "Tiêu đề\n\nĐoạn văn.\n".as_bytes(),
            "a.txt",
            day(),
            Some("Dân vận"),
        )
        .unwrap();
        assert_eq!(page.article.category, "Dân vận");
        assert!(!page.found.guesses.iter().any(|(f, _)| *f == "category"));
    }
}
