//! The text of a document's attachments, for search: a PDF's text layer, a
//! DOCX's paragraphs. Pure: the file's bytes in, its text (or nothing) and a
//! note for the build report out.
//!
//! Attachments come from clerks' scanners and old office suites, so nothing here
//! may fail a build or hang it: a scan (no text layer), an encrypted or damaged
//! file, an empty one, one that claims a billion pages each give a note and no
//! text; a long one gives its first [`MAX_PAGES`] pages and [`MAX_CHARS`]
//! characters; reading runs on a thread of its own, given up after
//! [`TIME_BUDGET`], and a panic inside the PDF reader is caught and becomes a note.

use std::fmt;
use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::text::to_nfc;

/// Pages of a PDF whose text is read, at most: the decision and its articles
/// come first; annexes and tables beyond add little to search.
pub const MAX_PAGES: usize = 50;
/// Characters of an attachment's text kept, at most (about 60 pages of prose).
pub const MAX_CHARS: usize = 150_000;
/// Time an attachment may take to read, at most.
pub const TIME_BUDGET: Duration = Duration::from_secs(5);
/// Bytes of a DOCX's `word/document.xml` read, at most (a zip bomb stops here).
const MAX_XML_BYTES: u64 = 20 << 20;

/// What an attachment's text gave: its text (possibly empty) and, when search
/// does not get all of it, why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachmentText {
    /// NFC, one space between words, a newline between paragraphs or lines.
    pub text: String,
    pub note: Option<AttachmentNote>,
}

/// Why search does not get (all) of an attachment's text. Shown in the build
/// report; never an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentNote {
    /// 0 bytes.
    Empty,
    /// A PDF whose pages hold no text: a scan, or text drawn as shapes.
    NoTextLayer,
    /// A password protects its content.
    Encrypted,
    /// Not a readable PDF or DOCX: truncated, damaged, or another format.
    Damaged(String),
    /// Only the first [`MAX_PAGES`] of its `pages` were read.
    PagesLeftOut { pages: usize },
    /// Its text went beyond [`MAX_CHARS`] characters; the rest is left out.
    TextCut,
    /// Reading it took longer than [`TIME_BUDGET`]; what was read is dropped.
    TooSlow,
}

impl fmt::Display for AttachmentNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttachmentNote::Empty => write!(f, "the file is empty (0 bytes); nothing to search"),
            AttachmentNote::NoTextLayer => write!(
                f,
                "the PDF has no text layer (a scan?): search cannot find its words; \
                 export it from the office suite instead of scanning it, or run OCR on it"
            ),
            AttachmentNote::Encrypted => write!(
                f,
                "the file is protected by a password: search cannot read its words"
            ),
            AttachmentNote::Damaged(why) => write!(
                f,
                "the file cannot be read ({why}): search cannot find its words; \
                 check that it opens, and upload it again"
            ),
            AttachmentNote::PagesLeftOut { pages } => write!(
                f,
                "only the first {MAX_PAGES} of its {pages} pages are searchable"
            ),
            AttachmentNote::TextCut => {
                write!(f, "only its first {MAX_CHARS} characters are searchable")
            }
            AttachmentNote::TooSlow => write!(
                f,
                "reading its text took longer than {} s, so search skips it",
                TIME_BUDGET.as_secs()
            ),
        }
    }
}

/// The kinds of attachment whose text is read, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextKind {
    Pdf,
    Docx,
}

impl TextKind {
    /// `"van-ban/qd-25.PDF"` -> PDF; a name whose text is not read -> None.
    pub fn of(name: &str) -> Option<TextKind> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(TextKind::Pdf),
            "docx" => Some(TextKind::Docx),
            _ => None,
        }
    }
}

/// The searchable text of an attachment of `kind`, within the limits above.
pub fn extract(kind: TextKind, bytes: &[u8]) -> AttachmentText {
    extract_within(kind, bytes, TIME_BUDGET)
}

/// [`extract`] with another time budget (tests use a tiny one).
pub fn extract_within(kind: TextKind, bytes: &[u8], budget: Duration) -> AttachmentText {
    if bytes.is_empty() {
        return noted(AttachmentNote::Empty);
    }
    // The reader runs on a thread of its own so that a file that sends it into
    // a long loop costs the build `budget` and no more; the thread is then left
    // to end by itself (its result unread). Each thread that asks keeps its
    // reader for the next file: starting a thread costs more than reading a
    // page of text.
    READER.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = Reader::start();
        }
        let Some(reader) = slot.as_ref() else {
            return noted(AttachmentNote::TooSlow);
        };
        if reader.jobs.send((kind, bytes.to_vec(), budget)).is_err() {
            *slot = None;
            return noted(AttachmentNote::Damaged(
                "the PDF reader failed on it".into(),
            ));
        }
        match reader.read.recv_timeout(budget) {
            Ok(Some(read)) => read,
            Ok(None) => noted(AttachmentNote::Damaged(
                "the PDF reader failed on it".into(),
            )),
            Err(_) => {
                // Left to itself: it ends when it finds no one to answer.
                *slot = None;
                noted(AttachmentNote::TooSlow)
            }
        }
    })
}

thread_local! {
    /// This thread's reader of attachments' text, started when first needed.
    static READER: std::cell::RefCell<Option<Reader>> = const { std::cell::RefCell::new(None) };
}

/// A thread that reads attachments' text, one file at a time, and answers
/// with the text (`None` if reading the file panicked).
struct Reader {
    jobs: mpsc::Sender<(TextKind, Vec<u8>, Duration)>,
    read: mpsc::Receiver<Option<AttachmentText>>,
}

impl Reader {
    fn start() -> Option<Reader> {
        let (jobs, to_read) = mpsc::channel::<(TextKind, Vec<u8>, Duration)>();
        let (answer, read) = mpsc::channel();
        std::thread::Builder::new()
            .name("attachment text".into())
            .spawn(move || {
                for (kind, bytes, budget) in to_read {
                    let text = std::panic::catch_unwind(|| match kind {
                        TextKind::Pdf => pdf_text(&bytes, Instant::now() + budget),
                        TextKind::Docx => docx_text(&bytes),
                    });
                    if answer.send(text.ok()).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Reader { jobs, read })
    }
}

fn noted(note: AttachmentNote) -> AttachmentText {
    AttachmentText {
        text: String::new(),
        note: Some(note),
    }
}

/// Text as search wants it: NFC, control characters gone, runs of spaces one
/// space, blank lines gone, at most [`MAX_CHARS`] characters (cut between
/// words). Returns whether it was cut.
fn tidy(raw: &str) -> (String, bool) {
    let raw = to_nfc(raw.to_string());
    let mut out = String::with_capacity(raw.len().min(MAX_CHARS * 3));
    let mut chars = 0;
    for line in raw.lines() {
        let words = line
            .split(|c: char| c.is_whitespace() || c.is_control() || c == '\u{FFFD}')
            .filter(|w| !w.is_empty());
        let mut first = true;
        for word in words {
            let needed = word.chars().count() + 1;
            if chars + needed > MAX_CHARS {
                return (out, true);
            }
            if !first {
                out.push(' ');
            } else if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(word);
            chars += needed;
            first = false;
        }
    }
    (out, false)
}

fn finished(raw: &str, mut note: Option<AttachmentNote>) -> AttachmentText {
    let (text, cut) = tidy(raw);
    if cut && note.is_none() {
        note = Some(AttachmentNote::TextCut);
    }
    AttachmentText { text, note }
}

/// Bytes a page's content streams may inflate to, at most (a page of text
/// takes tens of kilobytes; a decompression bomb stops here).
const MAX_PAGE_CONTENT: usize = 8 << 20;

/// A PDF's text layer, page by page, until `deadline` (checked between pages).
fn pdf_text(bytes: &[u8], deadline: Instant) -> AttachmentText {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_PAGE_CONTENT),
        ..lopdf::LoadOptions::default()
    };
    let document = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(document) => document,
        Err(e) => return noted(pdf_problem(&e, bytes)),
    };
    // A document that opens with the empty password (protected against
    // editing only) is read; one that needs a password is not.
    if document.is_encrypted() && document.encryption_state.is_none() {
        return noted(AttachmentNote::Encrypted);
    }
    // The page tree as it is, not its claimed /Count: walking it stops at
    // the file's object count, loops included.
    let pages: Vec<u32> = document.get_pages().into_keys().collect();
    if pages.is_empty() {
        return noted(AttachmentNote::Damaged("it has no pages".into()));
    }
    let mut raw = String::new();
    let mut read_pages = 0;
    for &page in pages.iter().take(MAX_PAGES) {
        if Instant::now() > deadline {
            return noted(AttachmentNote::TooSlow);
        }
        // A page that cannot be read (an unknown font encoding, content over
        // the limit) loses its own text only.
        if let Ok(text) = document.extract_text_with_limit(&[page], MAX_PAGE_CONTENT) {
            raw.push_str(&text);
            raw.push('\n');
            read_pages += 1;
        }
        if raw.len() > MAX_CHARS * 4 {
            break;
        }
    }
    let mut read = finished(&raw, None);
    if read.text.is_empty() {
        read.note = Some(match read_pages {
            0 => AttachmentNote::Damaged("no page could be read".into()),
            _ => AttachmentNote::NoTextLayer,
        });
    } else if pages.len() > MAX_PAGES && read.note.is_none() {
        read.note = Some(AttachmentNote::PagesLeftOut { pages: pages.len() });
    }
    read
}

/// Why lopdf could not open a PDF, as the report says it.
fn pdf_problem(error: &lopdf::Error, bytes: &[u8]) -> AttachmentNote {
    match error {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => AttachmentNote::Encrypted,
        _ if !bytes.starts_with(b"%PDF")
            && !bytes[..bytes.len().min(1024)]
                .windows(5)
                .any(|w| w == b"%PDF-") =>
        {
            AttachmentNote::Damaged("not a PDF file".into())
        }
        _ => AttachmentNote::Damaged(format!("a damaged or truncated PDF: {error}")),
    }
}

/// The first bytes of an OLE compound file: Word 97-2003 (`.doc`), and the
/// wrapper Word puts around a DOCX it encrypts.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What an OLE file named `.docx` is: a DOCX encrypted by Word (its streams
/// name `EncryptionInfo`), else an old `.doc` renamed, which readers' Word
/// then refuses as damaged.
fn old_office_file(bytes: &[u8]) -> AttachmentNote {
    let utf16 =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let holds = |name: &str| {
        let name = utf16(name);
        bytes.windows(name.len()).any(|w| w == name)
    };
    if holds("EncryptionInfo") {
        AttachmentNote::Encrypted
    } else {
        AttachmentNote::Damaged(
            "it is a Word 97-2003 document (.doc) named .docx, which Word refuses to open as a .docx; \
             open it in Word and save it as a Word Document (.docx), or name it .doc"
                .into(),
        )
    }
}

/// A DOCX's text: the paragraphs of `word/document.xml`, a line each; tabs
/// and line breaks inside a paragraph as spaces and newlines.
fn docx_text(bytes: &[u8]) -> AttachmentText {
    use quick_xml::events::Event;

    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(_) if bytes.starts_with(&OLE) => return noted(old_office_file(bytes)),
        Err(e) => return noted(AttachmentNote::Damaged(format!("not a DOCX file: {e}"))),
    };
    let mut xml = Vec::new();
    match archive.by_name("word/document.xml") {
        Ok(entry) if entry.encrypted() => return noted(AttachmentNote::Encrypted),
        Ok(entry) => {
            if let Err(e) = entry.take(MAX_XML_BYTES).read_to_end(&mut xml) {
                return noted(AttachmentNote::Damaged(format!(
                    "its text cannot be unpacked: {e}"
                )));
            }
        }
        // Word's own encryption wraps the whole file in another container.
        Err(_) if bytes.starts_with(&OLE) => {
            return noted(AttachmentNote::Encrypted);
        }
        Err(_) => {
            return noted(AttachmentNote::Damaged(
                "no word/document.xml inside: not a Word document".into(),
            ));
        }
    }
    let xml = String::from_utf8_lossy(&xml);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut raw = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) => in_text = tag.local_name().as_ref() == "t",
            Ok(Event::End(tag)) => match tag.local_name().as_ref() {
                "t" => in_text = false,
                "p" => raw.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(tag)) => match tag.local_name().as_ref() {
                "tab" => raw.push(' '),
                "br" | "cr" => raw.push('\n'),
                _ => {}
            },
            Ok(Event::Text(text)) if in_text => raw.push_str(&text.xml10_content()),
            Ok(Event::GeneralRef(reference)) if in_text => {
                if let Ok(Some(c)) = reference.resolve_char_ref() {
                    raw.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&reference) {
                    raw.push_str(s);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                // What was read before the fault is still the document's text.
                let mut read = finished(&raw, None);
                read.note = Some(AttachmentNote::Damaged(format!(
                    "its text is not well-formed XML: {e}"
                )));
                return read;
            }
        }
        if raw.len() > MAX_CHARS * 4 {
            break;
        }
    }
    finished(&raw, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/attachments/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn pdf(name: &str) -> AttachmentText {
        extract(TextKind::Pdf, &fixture(name))
    }

    /// The body text of `make.py`'s fixtures, as it must come out: NFC, every
    /// mark, one space between words.
    fn assert_vietnamese_text(read: &AttachmentText) {
        assert_eq!(read.note, None);
        assert!(is_nfc(&read.text), "{}", read.text);
        let flat = read.text.replace('\n', " ");
        for expected in [
            "25/2024/QĐ-UBND",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "thay thế Quyết định số 12/2019/QĐ-UBND về việc tiếp xúc cử tri và hòa giải ở cơ sở",
            "quýt-thạch-sùng",
        ] {
            assert!(flat.contains(expected), "{expected:?} not in {flat:?}");
        }
    }

    #[test]
    fn a_pdf_printed_by_chromium_gives_its_vietnamese_text() {
        let read = pdf("chromium.pdf");
        assert_vietnamese_text(&read);
        let flat = read.text.replace('\n', " ");
        assert!(flat.contains(
            "QUYẾT ĐỊNH Ban hành Quy chế tiếp công dân của Ủy ban nhân dân phường An Khánh"
        ));
    }

    #[test]
    fn a_pdf_exported_by_libreoffice_gives_its_vietnamese_text() {
        assert_vietnamese_text(&pdf("libreoffice.pdf"));
    }

    #[test]
    fn a_docx_gives_its_paragraphs_with_runs_joined() {
        let read = extract(TextKind::Docx, &fixture("word.docx"));
        assert_vietnamese_text(&read);
        // Runs split mid-word join; a tab is a space, a break a new line.
        assert!(
            read.text
                .starts_with("Số: 25/2024/QĐ-UBND Kế hoạch\nchuyển đổi số\n")
        );
    }

    #[test]
    fn a_scan_has_no_text_layer() {
        assert_eq!(
            pdf("scan.pdf"),
            AttachmentText {
                text: String::new(),
                note: Some(AttachmentNote::NoTextLayer)
            }
        );
    }

    #[test]
    fn an_encrypted_pdf_is_noted_not_read() {
        let read = pdf("encrypted.pdf");
        assert_eq!(read.note, Some(AttachmentNote::Encrypted));
        assert_eq!(read.text, "");
    }

    #[test]
    fn empty_truncated_and_foreign_files_are_noted() {
        assert_eq!(pdf("empty.pdf").note, Some(AttachmentNote::Empty));
        // Cut in half, the page is still there: its text is recovered.
        assert_vietnamese_text(&pdf("truncated.pdf"));
        // Cut before its first page, nothing is.
        let cut = extract(TextKind::Pdf, &fixture("chromium.pdf")[..400]);
        assert!(
            matches!(cut.note, Some(AttachmentNote::Damaged(_))),
            "{cut:?}"
        );
        let html = extract(TextKind::Pdf, b"<!doctype html><p>Not found</p>");
        assert_eq!(
            html.note,
            Some(AttachmentNote::Damaged("not a PDF file".into()))
        );
        let docx = extract(TextKind::Docx, &fixture("chromium.pdf"));
        assert!(
            matches!(docx.note, Some(AttachmentNote::Damaged(_))),
            "{docx:?}"
        );
    }

    #[test]
    fn an_old_word_file_named_docx_is_told_apart_from_an_encrypted_docx() {
        let ole = |stream: &str| {
            let mut bytes = OLE.to_vec();
            bytes.resize(512, 0);
            bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
            bytes.resize(2048, 0);
            extract(TextKind::Docx, &bytes).note
        };
        assert_eq!(ole("EncryptionInfo"), Some(AttachmentNote::Encrypted));
        let doc = ole("WordDocument");
        assert!(
            matches!(&doc, Some(AttachmentNote::Damaged(why)) if why.contains("Word 97-2003 document (.doc) named .docx")),
            "{doc:?}"
        );
    }

    #[test]
    fn a_claimed_billion_pages_or_a_looping_page_tree_read_what_is_there() {
        let billion = pdf("billion-pages.pdf");
        assert_eq!(billion.text, "Thong bao so 7");
        assert_eq!(billion.note, None);
        let looping = pdf("page-loop.pdf");
        assert!(looping.text.starts_with("Thong bao so 7"), "{looping:?}");
    }

    #[test]
    fn a_long_pdf_gives_its_first_pages_and_says_so() {
        let read = pdf("300-pages.pdf");
        assert_eq!(read.note, Some(AttachmentNote::PagesLeftOut { pages: 300 }));
        assert!(read.text.contains(&format!("trang{MAX_PAGES}x")));
        assert!(!read.text.contains(&format!("trang{}x", MAX_PAGES + 1)));
        assert_eq!(read.text.lines().count(), MAX_PAGES);
    }

    #[test]
    fn reading_past_its_time_budget_is_given_up() {
        let read = extract_within(TextKind::Pdf, &fixture("300-pages.pdf"), Duration::ZERO);
        assert_eq!(read.note, Some(AttachmentNote::TooSlow));
        assert_eq!(read.text, "");
    }

    #[test]
    fn text_is_cut_between_words_at_the_limit() {
        let long = "Điều khoản thi hành. ".repeat(MAX_CHARS / 10);
        let (text, cut) = tidy(&long);
        assert!(cut);
        assert!(text.chars().count() <= MAX_CHARS);
        let last = text.rsplit(' ').next().unwrap();
        assert!(["Điều", "khoản", "thi", "hành."].contains(&last), "{last}");
        let (text, cut) = tidy("  a\u{0}b \t c\n\n\nd  ");
        assert!(!cut);
        assert_eq!(text, "a b c\nd");
    }

    #[test]
    fn kinds_are_known_by_extension() {
        assert_eq!(TextKind::of("van-ban/qd.PDF"), Some(TextKind::Pdf));
        assert_eq!(TextKind::of("ke-hoach.docx"), Some(TextKind::Docx));
        assert_eq!(TextKind::of("bang.xlsx"), None);
        assert_eq!(TextKind::of("README"), None);
    }
}
