//! The bytes of the index's binary files, postings files (`k/<syllable>.<hash>.bin`)
//! and pair buckets (`b/<ab>.<n>.<hash>.bin`): their one encoder and decoder in
//! Rust, which the writer ([`super::index`]), the patcher ([`super::patch`]) and
//! the query engine ([`super::query`]) all use. The search page's script reads
//! the same bytes (`decodeEntries` in `search.js`), so the format cannot change
//! without changing the script and [`super::index::FORMAT_VERSION`];
//! `the_bytes_are_what_search_js_reads` below holds an example to both.
//!
//! Both kinds of file are a list of entries, a key each with its postings:
//!
//! ```text
//! file     = varint(number of entries)  entry*
//! entry    = string(key)  varint(fields)  list*
//! fields   = the bits of the fields the key has documents in (title 1,
//!            summary 2, body 4, number 8, attachment 16), or-ed; then one
//!            list per bit set, in that order
//! list     = varint(count << 1 | 0)  varint(document gap) * count
//!          | varint(count << 1 | 1)  bitmap
//! bitmap   = ceil(docs / 8) bytes: document d is bit d % 8 (1 << (d % 8)) of byte d / 8
//! string   = varint(length in bytes)  UTF-8 bytes
//! varint   = 7 bits a byte, least significant first, the high bit set on all
//!            bytes but the last (unsigned LEB128)
//! ```
//!
//! - A postings file's keys are the exact forms of one folded syllable, a pair
//!   bucket's the pairs `"<folded> <folded>"` hashed into it; sorted either way.
//! - Documents are numbered from 0 (newest first) up to `docs`, the number of
//!   articles the manifest gives. A list holds the documents that have the key in
//!   that field, in ascending order, written as gaps (the first from 0), or, when
//!   that takes more bytes than a bitmap of all documents (common words), as the
//!   bitmap; so a list costs at most `ceil(docs / 8)` bytes and its head. A
//!   field without documents has no list (a word of bodies alone costs one
//!   list, not three), and no bit in `fields`.
//!
//! Decoding refuses what the writer never writes, more than the script does
//! (lengths beyond the bytes, documents not below `docs` or not ascending, a
//! bitmap whose count is not its bits', an empty list, unknown field bits,
//! varints beyond 64 bits, bytes after the last entry): damaged or hostile bytes give `None`, never a panic.

/// Field bits: the fields a key appears in within a document, or-ed.
pub const TITLE: u8 = 1;
pub const SUMMARY: u8 = 2;
pub const BODY: u8 = 4;
/// A document's number (số ký hiệu), its parts and its year: a number typed
/// in any spelling meets it here, above any text that mentions it.
pub const NUMBER: u8 = 8;
/// The text of a document's attachments (PDF, DOCX), apart from its body so
/// that a hit found only there can say so.
pub const ATTACHMENT: u8 = 16;
/// The fields in the order a file lists them.
pub const FIELDS: [u8; 5] = [TITLE, SUMMARY, BODY, NUMBER, ATTACHMENT];
/// Bits the fields take where they are packed beside an id.
pub const FIELD_BITS: u32 = 5;

/// A key's documents (ascending) with the fields it appears in, or-ed: the
/// shape in which the writer gathers postings and the query engine weighs them.
pub type Postings = Vec<(u32, u8)>;

/// A key's documents per field (in [`FIELDS`] order), each list ascending: the
/// shape of the bytes, in which the patcher edits postings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldLists(pub [Vec<u32>; 5]);

impl FieldLists {
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }

    /// As [`Postings`]: each document once, with all its fields.
    pub fn postings(&self) -> Postings {
        let mut merged: Postings = self
            .0
            .iter()
            .zip(FIELDS)
            .flat_map(|(list, field)| list.iter().map(move |&doc| (doc, field)))
            .collect();
        merged.sort_unstable();
        merged.dedup_by(|doc, kept| {
            let same = doc.0 == kept.0;
            if same {
                kept.1 |= doc.1;
            }
            same
        });
        merged
    }
}

/// Postings in either shape, read a field at a time, as they are encoded.
pub trait ByField {
    /// The documents (ascending) with the field at `place` in [`FIELDS`].
    fn docs_in(&self, place: usize) -> impl Iterator<Item = u32> + Clone;
}

impl ByField for [(u32, u8)] {
    fn docs_in(&self, place: usize) -> impl Iterator<Item = u32> + Clone {
        let field = FIELDS[place];
        self.iter()
            .filter(move |(_, fields)| fields & field != 0)
            .map(|&(doc, _)| doc)
    }
}

impl ByField for FieldLists {
    fn docs_in(&self, place: usize) -> impl Iterator<Item = u32> + Clone {
        self.0[place].iter().copied()
    }
}

/// Writes a file an entry at a time, keys in order, so that the writer need not
/// gather a file's entries first.
pub struct EntriesWriter {
    bytes: Vec<u8>,
    docs: usize,
    /// Entries announced and not yet written.
    left: usize,
}

impl EntriesWriter {
    /// A file of `entries` entries, of documents numbered below `docs`.
    pub fn new(entries: usize, docs: usize) -> Self {
        let mut bytes = Vec::new();
        put_varint(&mut bytes, entries as u64);
        EntriesWriter {
            bytes,
            docs,
            left: entries,
        }
    }

    pub fn push(&mut self, key: &str, postings: &(impl ByField + ?Sized)) {
        debug_assert!(self.left > 0, "more entries than announced");
        self.left = self.left.saturating_sub(1);
        put_str(&mut self.bytes, key);
        put_postings(&mut self.bytes, postings, self.docs);
    }

    pub fn finish(self) -> Vec<u8> {
        debug_assert_eq!(self.left, 0, "fewer entries than announced");
        self.bytes
    }
}

/// A file of `entries` (sorted by key) of documents numbered below `docs`.
pub fn encode_entries(entries: &[(String, FieldLists)], docs: usize) -> Vec<u8> {
    let mut file = EntriesWriter::new(entries.len(), docs);
    for (key, lists) in entries {
        file.push(key, lists);
    }
    file.finish()
}

/// A file's entries, of documents numbered below `docs`; `None` if the bytes
/// are not such a file.
pub fn decode_entries(data: &[u8], docs: usize) -> Option<Vec<(String, FieldLists)>> {
    let mut bytes = Reader { data, at: 0 };
    let count = bytes.varint()?;
    // An entry takes four bytes at least: a hostile count reserves no more.
    let mut entries = Vec::with_capacity(usize::try_from(count).ok()?.min(data.len() / 4));
    for _ in 0..count {
        let key = bytes.string()?;
        let fields = bytes.varint()?;
        if fields >> FIELDS.len() != 0 {
            return None;
        }
        let mut lists = FieldLists::default();
        for (list, field) in lists.0.iter_mut().zip(FIELDS) {
            if fields & u64::from(field) != 0 {
                bytes.list(docs, list)?;
                if list.is_empty() {
                    return None;
                }
            }
        }
        entries.push((key, lists));
    }
    (bytes.at == data.len()).then_some(entries)
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The bytes [`put_varint`] writes for `n`.
fn varint_len(n: u64) -> usize {
    (64 - n.leading_zeros() as usize).max(1).div_ceil(7)
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Writes the fields a key has documents in, then each one's list in the
/// smaller form (gaps when neither is).
fn put_postings(out: &mut Vec<u8>, postings: &(impl ByField + ?Sized), docs: usize) {
    let bitmap_len = docs.div_ceil(8);
    let fields = (0..FIELDS.len())
        .filter(|&place| postings.docs_in(place).next().is_some())
        .fold(0, |fields, place| fields | FIELDS[place]);
    put_varint(out, u64::from(fields));
    for place in (0..FIELDS.len()).filter(|&place| fields & FIELDS[place] != 0) {
        let in_field = postings.docs_in(place);
        // The gaps' length first, to choose the form before writing.
        let (mut count, mut gaps_len, mut last) = (0u64, 0, 0u32);
        for doc in in_field.clone() {
            gaps_len += varint_len(u64::from(doc - last));
            last = doc;
            count += 1;
        }
        if gaps_len > bitmap_len {
            put_varint(out, count << 1 | 1);
            let map = out.len();
            out.resize(map + bitmap_len, 0);
            for doc in in_field {
                out[map + doc as usize / 8] |= 1 << (doc % 8);
            }
        } else {
            put_varint(out, count << 1);
            let mut last = 0u32;
            for doc in in_field {
                put_varint(out, u64::from(doc - last));
                last = doc;
            }
        }
    }
}

/// Bytes being decoded, from `at` on.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.data.get(self.at)?;
            self.at += 1;
            let bits = u64::from(byte & 0x7f);
            // The tenth byte holds the 64th bit only.
            if shift == 63 && bits > 1 {
                return None;
            }
            value |= bits << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    fn bytes(&mut self, len: u64) -> Option<&'a [u8]> {
        let end = self.at.checked_add(usize::try_from(len).ok()?)?;
        let bytes = self.data.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    fn string(&mut self) -> Option<String> {
        let len = self.varint()?;
        let bytes = self.bytes(len)?;
        Some(std::str::from_utf8(bytes).ok()?.to_string())
    }

    /// One field's list, into `list` (empty).
    fn list(&mut self, docs: usize, list: &mut Vec<u32>) -> Option<()> {
        let head = self.varint()?;
        let count = usize::try_from(head >> 1).ok()?;
        if head & 1 == 1 {
            let map = self.bytes(docs.div_ceil(8) as u64)?;
            list.reserve(count.min(map.len() * 8));
            for (i, &byte) in map.iter().enumerate() {
                let mut bits = byte;
                while bits != 0 {
                    let doc = i * 8 + bits.trailing_zeros() as usize;
                    if doc >= docs {
                        return None;
                    }
                    list.push(u32::try_from(doc).ok()?);
                    bits &= bits - 1;
                }
            }
            (list.len() == count).then_some(())
        } else {
            // A gap takes a byte at least.
            list.reserve(count.min(self.data.len() - self.at));
            let mut doc = 0u64;
            for n in 0..count {
                let gap = self.varint()?;
                // Documents ascend: only the first gap (from 0) may be 0.
                if n > 0 && gap == 0 {
                    return None;
                }
                doc = doc.checked_add(gap)?;
                if doc >= docs as u64 {
                    return None;
                }
                list.push(u32::try_from(doc).ok()?);
            }
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint_bytes(n: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, n);
        out
    }

    fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
        let mut reader = Reader { data: bytes, at: 0 };
        Some((reader.varint()?, reader.at))
    }

    fn lists(title: &[u32], summary: &[u32], body: &[u32]) -> FieldLists {
        FieldLists([
            title.to_vec(),
            summary.to_vec(),
            body.to_vec(),
            Vec::new(),
            Vec::new(),
        ])
    }

    /// Every document of `docs` whose number `keep` accepts, in `field`.
    fn every(docs: u32, field: u8, keep: impl Fn(u32) -> bool) -> Postings {
        (0..docs).filter(|&d| keep(d)).map(|d| (d, field)).collect()
    }

    fn file_of(entries: &[(&str, &[(u32, u8)])], docs: usize) -> Vec<u8> {
        let mut file = EntriesWriter::new(entries.len(), docs);
        for (key, postings) in entries {
            file.push(key, *postings);
        }
        file.finish()
    }

    /// A small deterministic stream of numbers, for arbitrary bytes.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *seed >> 33
    }

    #[test]
    fn varints_round_trip_small_and_large() {
        assert_eq!(varint_bytes(0), [0]);
        assert_eq!(varint_bytes(1), [1]);
        assert_eq!(varint_bytes(127), [0x7f]);
        assert_eq!(varint_bytes(128), [0x80, 0x01]);
        assert_eq!(varint_bytes(300), [0xAC, 0x02]);
        for n in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            1 << 63,
            u64::MAX,
        ] {
            let bytes = varint_bytes(n);
            assert_eq!(bytes.len(), varint_len(n), "{n}");
            assert_eq!(read_varint(&bytes), Some((n, bytes.len())), "{n}");
        }
        assert_eq!(varint_bytes(u64::MAX).len(), 10);
    }

    #[test]
    fn varints_beyond_64_bits_or_cut_short_are_refused() {
        assert_eq!(read_varint(&[]), None);
        assert_eq!(read_varint(&[0x80]), None);
        assert_eq!(read_varint(&[0xff, 0xff]), None);
        // Eleven bytes, and a tenth byte with more than the 64th bit.
        assert_eq!(read_varint(&[0x80; 11]), None);
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert_eq!(read_varint(&too_big), None);
    }

    #[test]
    fn postings_are_a_list_per_field() {
        let postings = [(0, TITLE), (2, BODY | SUMMARY), (300, BODY)];
        let bytes = file_of(&[("k", &postings)], 1000);
        // One entry "k" in title, summary and body (7); title: one document;
        // summary: one; body: two, the second 298 later.
        assert_eq!(bytes, [1, 1, b'k', 7, 2, 0, 2, 2, 4, 2, 0xAA, 0x02]);
        let decoded = decode_entries(&bytes, 1000).unwrap();
        assert_eq!(decoded, [("k".into(), lists(&[0], &[2], &[2, 300]))]);
        assert_eq!(decoded[0].1.postings(), postings);
    }

    #[test]
    fn common_words_become_bitmaps() {
        let postings = every(16, BODY, |_| true);
        let bytes = file_of(&[("a", &postings)], 16);
        assert_eq!(bytes, [1, 1, b'a', BODY, 16 << 1 | 1, 0xff, 0xff]);
        let decoded = decode_entries(&bytes, 16).unwrap();
        assert_eq!(decoded[0].1.postings(), postings);
    }

    #[test]
    fn a_list_is_a_bitmap_only_when_smaller() {
        // Eight documents in 64: eight gap bytes against an eight-byte bitmap.
        let tie = every(64, TITLE, |d| d % 8 == 0);
        let bytes = file_of(&[("a", &tie)], 64);
        assert_eq!(bytes[3..5], [TITLE, 8 << 1]);
        assert_eq!(bytes.len(), 3 + 1 + 1 + 8);
        let nine = every(64, TITLE, |d| d % 8 == 0 || d == 63);
        let bytes = file_of(&[("a", &nine)], 64);
        assert_eq!(bytes[3..5], [TITLE, 9 << 1 | 1]);
        assert_eq!(bytes.len(), 3 + 1 + 1 + 8);
        assert_eq!(decode_entries(&bytes, 64).unwrap()[0].1.postings(), nine);
    }

    #[test]
    fn empty_and_large_postings_round_trip() {
        for docs in [0, 1, 7, 8, 9, 1000] {
            let empty = encode_entries(&[("a".into(), FieldLists::default())], docs);
            assert_eq!(empty, [1, 1, b'a', 0]);
            assert_eq!(
                decode_entries(&empty, docs).unwrap(),
                [("a".into(), FieldLists::default())]
            );
        }
        assert_eq!(encode_entries(&[], 10), [0]);
        assert_eq!(decode_entries(&[0], 10), Some(Vec::new()));

        // 100,000 documents: a common word in bitmaps, a rare one in gaps
        // of every size, in one file.
        let docs = 100_000;
        let mut seed = 7;
        let common = lists(
            &(0..docs).filter(|d| d % 3 == 0).collect::<Vec<_>>(),
            &(0..docs).filter(|d| d % 2 == 1).collect::<Vec<_>>(),
            &(0..docs)
                .filter(|_| !lcg(&mut seed).is_multiple_of(4))
                .collect::<Vec<_>>(),
        );
        let rare = lists(
            &[0, 1, 129, 16_513, docs - 1],
            &[],
            &(0..docs)
                .filter(|_| lcg(&mut seed).is_multiple_of(500))
                .collect::<Vec<_>>(),
        );
        let entries = vec![("ba".to_string(), common), ("bà".to_string(), rare)];
        let bytes = encode_entries(&entries, docs as usize);
        assert_eq!(decode_entries(&bytes, docs as usize), Some(entries.clone()));
        // The other shape writes the same bytes.
        let postings: Vec<(&str, Postings)> = entries
            .iter()
            .map(|(key, lists)| (key.as_str(), lists.postings()))
            .collect();
        let by_postings: Vec<(&str, &[(u32, u8)])> =
            postings.iter().map(|(k, p)| (*k, p.as_slice())).collect();
        assert_eq!(file_of(&by_postings, docs as usize), bytes);
    }

    #[test]
    fn merged_postings_keep_every_field_of_a_document() {
        let lists = lists(&[3, 9], &[1, 3], &[1, 2, 3]);
        assert_eq!(
            lists.postings(),
            [
                (1, SUMMARY | BODY),
                (2, BODY),
                (3, TITLE | SUMMARY | BODY),
                (9, TITLE)
            ]
        );
    }

    /// The bytes `decodeEntries` in `search.js` reads: a count, then per entry a
    /// varint length and the key's UTF-8, the bits of its fields, then per field
    /// with a bit (title, summary, body, number, attachment) a varint head, odd for a bitmap of `ceil(docs / 8)` bytes (bit `d % 8`
    /// of byte `d / 8` is document `d`), even for `head / 2` varint gaps from
    /// 0. Here as a pair bucket of a site of 200 documents.
    #[test]
    fn the_bytes_are_what_search_js_reads() {
        let docs = 200;
        let mut expected = vec![2];
        // "an ninh": title (1) in document 5, body (4) in 0 and 150.
        expected.extend([7, b'a', b'n', b' ', b'n', b'i', b'n', b'h']);
        expected.extend([1 | 4]);
        expected.extend([2, 5]);
        expected.extend([4, 0, 0x96, 0x01]);
        // "dân cư" (the key as UTF-8): body in every even document, which
        // gaps would write in 100 bytes, a bitmap in 25: head 100 << 1 | 1
        // = 201 (0xC9 0x01), then bits 0, 2, 4, 6 of each byte.
        expected.extend([8, b'd', 0xC3, 0xA2, b'n', b' ', b'c', 0xC6, 0xB0]);
        expected.extend([4, 0xC9, 0x01]);
        expected.extend([0x55; 25]);

        let an_ninh = [(0, BODY), (5, TITLE), (150, BODY)];
        let dan_cu = every(docs, BODY, |d| d % 2 == 0);
        let bytes = file_of(&[("an ninh", &an_ninh), ("dân cư", &dan_cu)], docs as usize);
        assert_eq!(bytes, expected);

        let entries = decode_entries(&expected, docs as usize).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], ("an ninh".into(), lists(&[5], &[], &[0, 150])));
        assert_eq!(entries[0].1.postings(), an_ninh);
        assert_eq!(entries[1].0, "dân cư");
        assert_eq!(entries[1].1.postings(), dan_cu);
    }

    #[test]
    fn cut_short_or_followed_by_more_is_refused() {
        let docs = 40;
        let entries = vec![
            ("a".to_string(), lists(&[1, 2], &[], &[39])),
            (
                "b".to_string(),
                lists(&[], &(0..40).collect::<Vec<_>>(), &[]),
            ),
        ];
        let bytes = encode_entries(&entries, docs);
        assert_eq!(decode_entries(&bytes, docs), Some(entries));
        for cut in 0..bytes.len() {
            assert_eq!(decode_entries(&bytes[..cut], docs), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_entries(&longer, docs), None);
    }

    #[test]
    fn documents_out_of_range_or_order_are_refused() {
        // Gaps: document 10 of 10; 3 then 3 again.
        assert_eq!(decode_entries(&[1, 1, b'a', 1, 2, 10], 10), None);
        assert_eq!(decode_entries(&[1, 1, b'a', 1, 4, 3, 0], 10), None);
        assert!(decode_entries(&[1, 1, b'a', 1, 4, 0, 3], 10).is_some());
        // Gaps as large as they come, against every document number there is.
        let mut huge = vec![1, 1, b'a', 1, 4];
        huge.extend(varint_bytes(1 << 63));
        huge.extend(varint_bytes(1 << 63));
        assert_eq!(decode_entries(&huge, usize::MAX), None);
        // Bitmaps: bit 10 of 10 documents set; a count that is not the bits'.
        assert_eq!(decode_entries(&[1, 1, b'a', 1, 3, 0, 0b100], 10), None);
        assert_eq!(decode_entries(&[1, 1, b'a', 1, 5, 0b1, 0], 10), None);
        assert!(decode_entries(&[1, 1, b'a', 1, 5, 0, 0b11], 10).is_some());
        assert_eq!(decode_entries(&[1, 1, b'a', 1, 5, 0, 0b11], 9), None);
    }

    #[test]
    fn unknown_fields_and_empty_lists_are_refused() {
        // A sixth field; a field announced with no documents.
        assert_eq!(decode_entries(&[1, 1, b'a', 32], 10), None);
        assert_eq!(decode_entries(&[1, 1, b'a', NUMBER, 0], 10), None);
        let number_only = encode_entries(
            &[(
                "25".into(),
                FieldLists([vec![], vec![], vec![], vec![3], vec![]]),
            )],
            10,
        );
        assert_eq!(number_only, [1, 2, b'2', b'5', NUMBER, 2, 3]);
        assert_eq!(
            decode_entries(&number_only, 10).unwrap()[0].1.postings(),
            [(3, NUMBER)]
        );
    }

    #[test]
    fn hostile_bytes_give_none_not_a_panic() {
        // Counts and lengths far beyond the bytes, keys that are not UTF-8.
        let mut huge_count = varint_bytes(u64::MAX >> 1);
        huge_count.extend([1, b'a', 0, 0, 0]);
        assert_eq!(decode_entries(&huge_count, 10), None);
        let mut huge_key = vec![1];
        huge_key.extend(varint_bytes(u64::MAX));
        assert_eq!(decode_entries(&huge_key, 10), None);
        assert_eq!(decode_entries(&[1, 1, 0xff, 0, 0, 0], 10), None);
        let mut huge_list = vec![1, 1, b'a'];
        huge_list.extend(varint_bytes(u64::MAX - 1));
        assert_eq!(decode_entries(&huge_list, 10), None);
        // A bitmap of more documents than there could be bytes for.
        assert_eq!(decode_entries(&[1, 1, b'a', 1, 1], usize::MAX), None);

        // Arbitrary bytes, and valid files with a byte changed.
        let valid = encode_entries(
            &[
                (
                    "a".into(),
                    lists(&[1, 2], &[3], &(0..30).collect::<Vec<_>>()),
                ),
                ("b c".into(), lists(&[], &[29], &[0])),
            ],
            30,
        );
        let mut seed = 1;
        for _ in 0..20_000 {
            let len = lcg(&mut seed) as usize % 48;
            let bytes: Vec<u8> = (0..len).map(|_| lcg(&mut seed) as u8).collect();
            let docs = lcg(&mut seed) as usize % 300;
            let _ = decode_entries(&bytes, docs);
            let mut changed = valid.clone();
            let at = lcg(&mut seed) as usize % changed.len();
            changed[at] = lcg(&mut seed) as u8;
            let _ = decode_entries(&changed, 30);
        }
    }
}
