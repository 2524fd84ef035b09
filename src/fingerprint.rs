//! Content hashes and file stamps: a leaf every stage may use to tell whether
//! something changed, without knowing what a rebuild keeps.

use std::io;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3Default;

/// A 128-bit hash of everything that made an output file (or of its bytes).
pub type Fingerprint = u128;

/// Hashes bytes written to it: serialize a value into it to fingerprint the value.
#[derive(Default)]
pub struct FingerprintWriter {
    hash: Xxh3Default,
    /// Serializers write a few bytes at a time: gathered here first.
    pending: Vec<u8>,
}

/// Bytes gathered before they are hashed.
const PENDING_BYTES: usize = 8 * 1024;

impl FingerprintWriter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, bytes: &[u8]) {
        // Lengths first, so that ("ab", "c") and ("a", "bc") differ.
        self.push(&(bytes.len() as u64).to_le_bytes());
        self.push(bytes);
    }

    fn push(&mut self, bytes: &[u8]) {
        if bytes.len() >= 256 {
            // Long enough to hash at full speed where it lies.
            self.hash.update(&self.pending);
            self.pending.clear();
            self.hash.update(bytes);
            return;
        }
        if self.pending.len() + bytes.len() > PENDING_BYTES {
            self.hash.update(&self.pending);
            self.pending.clear();
        }
        self.pending.extend_from_slice(bytes);
    }

    /// Adds `value` in a compact binary form (not human-readable, so a value can
    /// give its own fingerprint instead of its parts, as the renderer's cards
    /// do). `Err` if the value cannot be written so: then nothing can be told
    /// from this fingerprint.
    pub fn add_value(&mut self, value: &impl serde::Serialize) -> Result<(), postcard::Error> {
        postcard::to_io(value, &mut *self)?;
        self.push(&[0xff]);
        Ok(())
    }

    pub fn finish(&mut self) -> Fingerprint {
        self.hash.update(&self.pending);
        self.pending.clear();
        self.hash.digest128()
    }
}

impl io::Write for FingerprintWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.push(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of some bytes.
pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What identifies a file's contents without reading it: if any part differs, the
/// file changed (replacing a file by renaming another over it changes the inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    len: u64,
    modified_ns: i128,
    inode: u64,
}

impl FileStamp {
    pub fn of(path: &Path) -> io::Result<FileStamp> {
        Self::of_metadata(&std::fs::metadata(path)?)
    }

    pub fn of_metadata(meta: &std::fs::Metadata) -> io::Result<FileStamp> {
        let modified_ns = meta
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Ok(FileStamp {
            len: meta.len(),
            modified_ns,
            inode,
        })
    }
}
