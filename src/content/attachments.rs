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
            AttachmentNote::TextCut => write!(
                f,
                "only its first {MAX_CHARS} characters are searchable"
            ),
            AttachmentNote::TooSlow => write!(
                f,
                "reading its text took longer than {} s, so search skips it",
                TIME_BUDGET.as_secs()
            ),
        }
    }
}

/// The kinds of attachment whose text is read, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    // to end by itself (its result unread).
    let owned = bytes.to_vec();
    let (send, receive) = mpsc::channel();
    let started = std::thread::Builder::new()
        .name("attachment text".into())
        .spawn(move || {
            let read = std::panic::catch_unwind(|| match kind {
                TextKind::Pdf => pdf_text(&owned, Instant::now() + budget),
                TextKind::Docx => docx_text(&owned),
            });
            let _ = send.send(read);
        });
    if started.is_err() {
        return noted(AttachmentNote::TooSlow);
    }
    match receive.recv_timeout(budget) {
        Ok(Ok(read)) => read,
        Ok(Err(_)) => noted(AttachmentNote::Damaged("the PDF reader failed on it".into())),
        Err(_) => noted(AttachmentNote::TooSlow),
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

/// A PDF's text layer, page by page, until `deadline`.
fn pdf_text(bytes: &[u8], deadline: Instant) -> AttachmentText {
    let _ = (bytes, deadline);
    todo!()
}

/// A DOCX's text: the paragraphs of `word/document.xml`, a line each; tabs
/// and line breaks inside a paragraph as spaces and newlines.
fn docx_text(bytes: &[u8]) -> AttachmentText {
    use quick_xml::events::Event;

    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(e) => return noted(AttachmentNote::Damaged(format!("not a DOCX file: {e}"))),
    };
    let mut xml = Vec::new();
    match archive.by_name("word/document.xml") {
        Ok(entry) if entry.encrypted() => return noted(AttachmentNote::Encrypted),
        Ok(entry) => {
            if let Err(e) = entry.take(MAX_XML_BYTES).read_to_end(&mut xml) {
                return noted(AttachmentNote::Damaged(format!("its text cannot be unpacked: {e}")));
            }
        }
        // Word's own encryption wraps the whole file in another container.
        Err(_) if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => {
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
