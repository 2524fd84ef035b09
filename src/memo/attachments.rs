//! The text extracted from attachments (PDF, DOCX), by the fingerprint of the
//! file's bytes: reading a PDF's text layer costs milliseconds to seconds, so a
//! rebuild reads only files whose bytes it has not read before (a file moved or
//! renamed keeps its text). Kept on disk by `build --cache` in its own file.

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

use crate::content::attachments::{AttachmentNote, AttachmentText, TextKind, extract};
use crate::fingerprint::{Fingerprint, fingerprint};

/// The cache file's name in the cache folder.
const FILE: &str = "attachments.bin";

/// Extracted texts by the fingerprint of the file's bytes and its kind.
#[derive(Debug, Default)]
pub struct AttachmentTexts {
    known: HashMap<Fingerprint, Arc<AttachmentText>>,
    /// The fingerprints asked for since [`AttachmentTexts::keep_used`]: what a
    /// build still attaches (the rest is dropped when the cache is saved).
    used: Mutex<HashSet<Fingerprint>>,
}

impl AttachmentTexts {
    /// The text of an attachment of `kind` with these `bytes`: as read before,
    /// or read now (and kept).
    pub fn text_of(&self, kind: TextKind, bytes: &[u8]) -> (Arc<AttachmentText>, bool) {
        let print = key(kind, bytes);
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(print);
        match self.known.get(&print) {
            Some(text) => (Arc::clone(text), false),
            None => (Arc::new(extract(kind, bytes)), true),
        }
    }

    /// Keeps a text read by [`AttachmentTexts::text_of`].
    pub fn keep(&mut self, kind: TextKind, bytes: &[u8], text: Arc<AttachmentText>) {
        self.known.insert(key(kind, bytes), text);
    }

    /// Forgets the texts of files no build asked for since the last call.
    pub fn keep_used(&mut self) {
        let used = std::mem::take(self.used.get_mut().unwrap_or_else(|e| e.into_inner()));
        self.known.retain(|print, _| used.contains(print));
    }

    /// Writes the texts into the cache folder `dir`.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let saved: Vec<SavedText<'_>> = self
            .known
            .iter()
            .map(|(print, text)| SavedText {
                print: *print,
                text: Cow::Borrowed(&text.text),
                note: text.note.clone(),
            })
            .collect();
        let bytes = postcard::to_allocvec(&saved).map_err(std::io::Error::other)?;
        super::file::write_whole(&dir.join(FILE), |file| {
            std::io::Write::write_all(file, &bytes)
        })
    }

    /// The texts kept in the cache folder `dir`; none when there are none or
    /// they cannot be read (they are read from the files again).
    pub fn load(dir: &Path) -> AttachmentTexts {
        let Ok(bytes) = std::fs::read(dir.join(FILE)) else {
            return AttachmentTexts::default();
        };
        let Ok(saved) = postcard::from_bytes::<Vec<SavedText>>(&bytes) else {
            return AttachmentTexts::default();
        };
        AttachmentTexts {
            known: saved
                .into_iter()
                .map(|t| {
                    let text = AttachmentText {
                        text: t.text.into_owned(),
                        note: t.note,
                    };
                    (t.print, Arc::new(text))
                })
                .collect(),
            used: Mutex::default(),
        }
    }
}

/// What names a text: the bytes and how they were read.
fn key(kind: TextKind, bytes: &[u8]) -> Fingerprint {
    fingerprint(bytes) ^ (kind as u128 + 1)
}

/// A text as kept: borrowed when saved, owned when loaded.
#[derive(Serialize, Deserialize)]
struct SavedText<'a> {
    print: Fingerprint,
    text: Cow<'a, str>,
    #[serde(with = "SavedNote")]
    note: Option<AttachmentNote>,
}

/// How a note is kept.
#[derive(Serialize, Deserialize)]
#[serde(remote = "AttachmentNote")]
enum SavedNoteShape {
    Empty,
    NoTextLayer,
    Encrypted,
    Damaged(String),
    PagesLeftOut { pages: usize },
    TextCut,
    TooSlow,
}

/// [`SavedNoteShape`] for an optional note.
struct SavedNote;

impl SavedNote {
    fn serialize<S: serde::Serializer>(
        note: &Option<AttachmentNote>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape<'a>(#[serde(with = "SavedNoteShape")] &'a AttachmentNote);
        note.as_ref().map(Shape).serialize(serializer)
    }

    fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<AttachmentNote>, D::Error> {
        #[derive(Deserialize)]
        struct Shape(#[serde(with = "SavedNoteShape")] AttachmentNote);
        Ok(Option::<Shape>::deserialize(deserializer)?.map(|Shape(note)| note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_survive_the_disk_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut texts = AttachmentTexts::default();
        let docx = b"not a zip".to_vec();
        let (read, fresh) = texts.text_of(TextKind::Docx, &docx);
        assert!(fresh);
        texts.keep(TextKind::Docx, &docx, Arc::clone(&read));
        let (again, fresh) = texts.text_of(TextKind::Docx, &docx);
        assert!(!fresh && Arc::ptr_eq(&read, &again));
        // The same bytes read as another kind are another text.
        assert!(texts.text_of(TextKind::Pdf, &docx).1);
        texts.save(dir.path()).unwrap();

        let mut loaded = AttachmentTexts::load(dir.path());
        assert_eq!(loaded.known.len(), 1);
        let (back, fresh) = loaded.text_of(TextKind::Docx, &docx);
        assert!(!fresh);
        assert_eq!(*back, *read);
        assert!(matches!(back.note, Some(AttachmentNote::Damaged(_))));
        loaded.keep_used();
        assert_eq!(loaded.known.len(), 1);
        loaded.keep_used();
        assert!(loaded.known.is_empty());

        std::fs::write(dir.path().join(FILE), b"\xff\xff\xff").unwrap();
        assert!(AttachmentTexts::load(dir.path()).known.is_empty());
    }
}
