//! Writes the search index into `public/search/`, split so that a query fetches
//! only what it needs:
//!
//! - `manifest.json` (small, fetched first): counts, the dictionary's shards and
//!   the hashes that name the files below;
//! - `dict/<ab>.<hash>.json`: the folded syllables beginning with the two letters
//!   `ab`, each with the hash naming its postings file and its document count
//!   (prefix search reads the keys from here);
//! - `k/<syllable>.<hash>.bin`: one folded syllable's postings, per exact form;
//! - `b/<n>.<hash>.bin`: postings of adjacent syllable pairs, hashed into buckets
//!   (as many as keep each bucket a few kilobytes);
//! - `meta/<n>.<hash>.json`: what a hit shows (URL, title, date, category,
//!   summary), four documents a file.
//!
//! Every file but the manifest is named by content: a postings file by its own
//! bytes, the other kinds by the bytes of all files of their kind (naming each by
//! its own would put thousands of hashes in the manifest). A name therefore always
//! means the same bytes, and hosts may cache them for ever.
//!
//! Documents are numbered newest first. Postings are three lists of documents,
//! one per field ([`TITLE`], [`SUMMARY`], [`BODY`]), each written as varint
//! deltas or, for common words, as a bitmap of all documents, whichever is smaller.
//!
//! Indexing runs beside page rendering, so it is built to be cheap: documents are
//! tokenized in parallel chunks against chunk-local tables of the words seen, and
//! each distinct word is keyed once for the whole site.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::cache::{Fingerprint, FingerprintWriter};

use super::text::{exact_key, folded_key, syllable_spans, syllable_spans_in_html};
use crate::content::text::shorten;
use crate::site::model::{Article, Site};

pub const INDEX_DIR: &str = "search";
pub const FORMAT_VERSION: u32 = 2;
/// Documents per metadata file.
pub const META_CHUNK: usize = 4;
/// Characters of the summary a hit shows.
const SNIPPET_CHARS: usize = 200;
/// Longer "syllables" (URLs, codes) are not indexed.
pub const MAX_KEY_CHARS: usize = 24;
/// Letters of a folded syllable that name its dictionary shard.
pub const SHARD_PREFIX_CHARS: usize = 2;
/// Pair postings per bigram bucket, about (a bucket is then a few kilobytes).
const PAIRS_PER_BUCKET: usize = 1500;
/// Syllables at the head of a body whose adjacent pairs are indexed. News states
/// its subject first; pairs deeper in long bodies would triple the indexing time
/// for little gain in ranking (their words are still all indexed).
const PAIRS_IN_BODY: usize = 200;
/// Documents tokenized together against one local word table.
const DOC_CHUNK: usize = 64;

pub const TITLE: u8 = 1;
pub const SUMMARY: u8 = 2;
pub const BODY: u8 = 4;
const FIELDS: [u8; 3] = [TITLE, SUMMARY, BODY];

/// A key's documents (ascending ids) with the fields it appears in.
pub type Postings = Vec<(u32, u8)>;

/// The files of the index, by path under the output folder.
pub struct IndexFiles {
    pub files: Vec<(String, Vec<u8>)>,
}

/// `manifest.json`: what a query reads first (the query engine reads it too).
#[derive(Serialize, serde::Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub docs: usize,
    /// Hash naming every dictionary shard.
    pub dict: String,
    /// The shards there are: their prefixes, space-separated.
    pub shards: String,
    pub bigram_buckets: u32,
    /// Hash naming every bigram bucket.
    pub bigrams: String,
    pub meta_chunk: usize,
    /// Hash naming every metadata file.
    pub meta: String,
}

/// Builds the index of the site's articles (drafts are never in a built site).
pub fn build_index(site: &Site) -> IndexFiles {
    let chunks: Vec<ChunkTokens> = site.articles.par_chunks(DOC_CHUNK).map(tokenize).collect();
    let mut words = Vocabulary::of(&chunks);
    let chunk_surfaces = std::mem::take(&mut words.chunk_surfaces);
    let mut docs: Vec<DocTerms> = chunks
        .into_par_iter()
        .zip(chunk_surfaces)
        .flat_map_iter(|(chunk, surfaces)| {
            let mut seen = vec![0u8; words.variants.len()];
            chunk
                .docs
                .into_iter()
                .map(|local| words.terms(local, &surfaces, &mut seen))
                .collect::<Vec<_>>()
        })
        .collect();

    let mut files = Vec::new();
    let (dict_hash, shards) = write_words(&words, &mut docs, &mut files);
    let (bigram_buckets, bigram_hash) = write_pairs(&words, docs, &mut files);
    let meta_hash = write_meta(site, &mut files);
    let manifest = Manifest {
        version: FORMAT_VERSION,
        docs: site.articles.len(),
        dict: dict_hash,
        shards: shards.join(" "),
        bigram_buckets,
        bigrams: bigram_hash,
        meta_chunk: META_CHUNK,
        meta: meta_hash,
    };
    files.push((
        "manifest.json".to_string(),
        serde_json::to_vec(&manifest).expect("plain data"),
    ));
    for (name, _) in &mut files {
        *name = format!("{INDEX_DIR}/{name}");
    }
    files.push((super::script_path(), super::SCRIPT.as_bytes().to_vec()));
    IndexFiles { files }
}

/// A fingerprint of everything [`build_index`] reads from `site` (keep it in
/// step with `tokenize` and `meta_entry`): the same fingerprint, the same index,
/// so a rebuild need not make it again.
pub fn index_input(site: &Site) -> Fingerprint {
    let mut print = FingerprintWriter::new();
    print.add(&(FORMAT_VERSION as u64).to_le_bytes());
    print.add(super::SCRIPT.as_bytes());
    print.add(&[u8::from(site.config.search)]);
    for a in &site.articles {
        print.add(site.config.link(&a.url).as_bytes());
        print.add(a.title.as_bytes());
        print.add(a.summary.as_bytes());
        print.add(&a.body_print.to_le_bytes());
        print.add(a.date.strftime("%d/%m/%Y").to_string().as_bytes());
        print.add(site.categories[a.category].name.as_bytes());
    }
    print.finish()
}

/// A chunk of documents' terms in chunk-local word ids.
struct ChunkTokens {
    /// Local id -> the word as written.
    surfaces: Vec<String>,
    docs: Vec<DocTerms>,
}

/// Reads a chunk of documents into their distinct words and adjacent pairs, in
/// chunk-local ids; a document's tokens are dropped once read, so the site's
/// tokens are never all held at once.
fn tokenize(articles: &[Article]) -> ChunkTokens {
    let mut ids: HashMap<&str, u32> = HashMap::default();
    let mut surfaces: Vec<&str> = Vec::new();
    // Per local id: the fields it was seen in, in the current document.
    let mut seen: Vec<u8> = Vec::new();
    let mut tokens: Vec<u32> = Vec::new();
    let docs = articles
        .iter()
        .map(|a| {
            let mut words = Vec::new();
            let mut pairs = Vec::new();
            let fields = [
                (TITLE, a.title.as_str(), syllable_spans(&a.title)),
                (SUMMARY, a.summary.as_str(), syllable_spans(&a.summary)),
                (BODY, &a.body_html, syllable_spans_in_html(&a.body_html)),
            ];
            for (field, text, spans) in fields {
                tokens.clear();
                tokens.extend(spans.map(|(start, end)| {
                    let surface = &text[start..end];
                    *ids.entry(surface).or_insert_with(|| {
                        surfaces.push(surface);
                        surfaces.len() as u32 - 1
                    })
                }));
                seen.resize(surfaces.len(), 0);
                for &local in &tokens {
                    if seen[local as usize] == 0 {
                        words.push(local);
                    }
                    seen[local as usize] |= field;
                }
                let last = if field == BODY {
                    PAIRS_IN_BODY
                } else {
                    usize::MAX
                };
                for (position, pair) in tokens.windows(2).enumerate() {
                    if position + 1 > last {
                        break;
                    }
                    pairs.push((pair[0], pair[1], field));
                }
            }
            let words = words
                .into_iter()
                .map(|local| pack(local, std::mem::take(&mut seen[local as usize])))
                .collect();
            DocTerms {
                words,
                pairs: merge_pairs(pairs),
            }
        })
        .collect();
    ChunkTokens {
        surfaces: surfaces.into_iter().map(str::to_string).collect(),
        docs,
    }
}

/// Every distinct word of the site, keyed once.
struct Vocabulary {
    folded: Vec<String>,
    exact: Vec<String>,
    /// Variant id -> (folded id, exact id).
    variants: Vec<(u32, u32)>,
    /// Per chunk: local id -> (variant id, folded id), or None for an unindexed word.
    chunk_surfaces: Vec<Vec<Option<(u32, u32)>>>,
    /// Per folded id: the FNV-1a state after hashing `"<folded> "`, where a pair's
    /// hash continues.
    pair_prefix: Vec<u32>,
}

impl Vocabulary {
    fn of(chunks: &[ChunkTokens]) -> Self {
        let mut global: HashMap<&str, u32> = HashMap::default();
        let mut surfaces: Vec<&str> = Vec::new();
        let local_to_global: Vec<Vec<u32>> = chunks
            .iter()
            .map(|chunk| {
                chunk
                    .surfaces
                    .iter()
                    .map(|s| {
                        *global.entry(s).or_insert_with(|| {
                            surfaces.push(s);
                            surfaces.len() as u32 - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let keys: Vec<Option<(String, String)>> = surfaces
            .par_iter()
            .map(|surface| {
                let folded = folded_key(surface);
                (folded.chars().count() <= MAX_KEY_CHARS).then(|| (folded, exact_key(surface)))
            })
            .collect();

        let mut folded_ids: HashMap<String, u32> = HashMap::default();
        let mut exact_ids: HashMap<String, u32> = HashMap::default();
        let mut variant_ids: HashMap<(u32, u32), u32> = HashMap::default();
        let mut folded = Vec::new();
        let mut exact = Vec::new();
        let mut variants = Vec::new();
        let surface_words: Vec<Option<(u32, u32)>> = keys
            .into_iter()
            .map(|key| {
                let (f, e) = key?;
                let f = intern(&mut folded_ids, &mut folded, f);
                let e = intern(&mut exact_ids, &mut exact, e);
                let v = *variant_ids.entry((f, e)).or_insert_with(|| {
                    variants.push((f, e));
                    variants.len() as u32 - 1
                });
                Some((v, f))
            })
            .collect();
        let chunk_surfaces = local_to_global
            .iter()
            .map(|ids| ids.iter().map(|&g| surface_words[g as usize]).collect())
            .collect();
        let pair_prefix = folded
            .iter()
            .map(|f: &String| fnv1a32_continue(fnv1a32(f.as_bytes()), b" "))
            .collect();
        Vocabulary {
            folded,
            exact,
            variants,
            chunk_surfaces,
            pair_prefix,
        }
    }

    /// A document's terms in chunk-local ids -> in the site's ids: words become
    /// variants (in order of first appearance), pairs pairs of folded words; words
    /// too long to index are left out, with the pairs they are part of. `seen` is
    /// scratch space, one entry per variant, zero between calls.
    fn terms(&self, local: DocTerms, surfaces: &[Option<(u32, u32)>], seen: &mut [u8]) -> DocTerms {
        let mut words: Vec<u32> = Vec::new();
        for word in local.words {
            let (id, fields) = unpack(word);
            let Some((variant, _)) = surfaces[id as usize] else {
                continue;
            };
            if seen[variant as usize] == 0 {
                words.push(variant);
            }
            seen[variant as usize] |= fields;
        }
        let words = words
            .into_iter()
            .map(|v| pack(v, std::mem::take(&mut seen[v as usize])))
            .collect();
        let folded = |id: u32| surfaces[id as usize].map(|(_, f)| f);
        let pairs = local
            .pairs
            .into_iter()
            .filter_map(|(a, b, fields)| Some((folded(a)?, folded(b)?, fields)))
            .collect();
        DocTerms {
            words,
            pairs: merge_pairs(pairs),
        }
    }
}

/// Each pair once, with all its fields; sized to fit, as every document's pairs
/// are held at once.
fn merge_pairs(pairs: Vec<(u32, u32, u8)>) -> Vec<(u32, u32, u8)> {
    let mut pairs = merge_fields(pairs, |&(a, b, _)| (a, b), |t| &mut t.2);
    pairs.shrink_to_fit();
    pairs
}

/// Sorts `terms` by key and merges the fields of equal keys into one entry.
fn merge_fields<T, K: Ord>(
    mut terms: Vec<T>,
    key: impl Fn(&T) -> K,
    fields: impl Fn(&mut T) -> &mut u8,
) -> Vec<T> {
    terms.sort_unstable_by_key(&key);
    let mut merged: Vec<T> = Vec::with_capacity(terms.len());
    for mut term in terms {
        match merged.last_mut() {
            Some(last) if key(last) == key(&term) => *fields(last) |= *fields(&mut term),
            _ => merged.push(term),
        }
    }
    merged
}

fn intern(ids: &mut HashMap<String, u32>, names: &mut Vec<String>, key: String) -> u32 {
    let next = names.len() as u32;
    *ids.entry(key).or_insert_with_key(|k| {
        names.push(k.clone());
        next
    })
}

/// One document's distinct words (id and fields, [`pack`]ed), in order of
/// appearance, and adjacent pairs `(id, id, fields)`: in chunk-local word ids
/// from [`tokenize`], in variant and folded ids from [`Vocabulary::terms`].
struct DocTerms {
    words: Vec<u32>,
    pairs: Vec<(u32, u32, u8)>,
}

/// Writes the postings files and the dictionary; returns the dictionary's hash
/// and its shards' prefixes.
/// Each document's words are dropped as they are moved into postings.
fn write_words(
    words: &Vocabulary,
    docs: &mut [DocTerms],
    files: &mut Vec<(String, Vec<u8>)>,
) -> (String, Vec<String>) {
    let docs_total = docs.len();
    let mut counts = vec![0; words.variants.len()];
    for terms in docs.iter() {
        for &word in &terms.words {
            counts[unpack(word).0 as usize] += 1;
        }
    }
    // Per variant: its documents and fields, packed.
    let mut postings: Vec<Vec<u32>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (doc, terms) in docs.iter_mut().enumerate() {
        for word in std::mem::take(&mut terms.words) {
            let (variant, fields) = unpack(word);
            postings[variant as usize].push(pack(doc as u32, fields));
        }
    }
    let mut by_folded: Vec<Vec<u32>> = vec![Vec::new(); words.folded.len()];
    for (v, &(f, _)) in words.variants.iter().enumerate() {
        by_folded[f as usize].push(v as u32);
    }
    // (folded key, file name hash, document count, file bytes)
    let word_files: Vec<(&str, String, usize, Vec<u8>)> = by_folded
        .par_iter()
        .enumerate()
        .map(|(f, variants)| {
            let mut variants: Vec<(&str, &Vec<u32>)> = variants
                .iter()
                .map(|&v| {
                    let (_, e) = words.variants[v as usize];
                    (words.exact[e as usize].as_str(), &postings[v as usize])
                })
                .collect();
            variants.sort_by_key(|&(exact, _)| exact);
            let mut bytes = Vec::new();
            put_varint(&mut bytes, variants.len() as u64);
            let mut docs: Vec<u32> = Vec::new();
            for (exact, list) in &variants {
                let list: Postings = list.iter().map(|&p| unpack(p)).collect();
                put_str(&mut bytes, exact);
                put_postings(&mut bytes, &list, docs_total);
                docs.extend(list.iter().map(|&(d, _)| d));
            }
            docs.sort_unstable();
            docs.dedup();
            let folded = words.folded[f].as_str();
            (folded, short_hash(&bytes), docs.len(), bytes)
        })
        .collect();

    let mut shards: BTreeMap<String, Vec<(&str, &str, usize)>> = BTreeMap::new();
    for (folded, hash, df, _) in &word_files {
        shards
            .entry(shard_prefix(folded))
            .or_default()
            .push((folded, hash, *df));
    }
    let shard_bytes: Vec<(String, Vec<u8>)> = shards
        .into_iter()
        .map(|(prefix, mut entries)| {
            entries.sort_unstable();
            (prefix, serde_json::to_vec(&entries).expect("plain data"))
        })
        .collect();
    let dict_hash = set_hash(shard_bytes.iter().map(|(_, b)| b));
    let prefixes = shard_bytes.iter().map(|(p, _)| p.clone()).collect();
    for (prefix, bytes) in shard_bytes {
        files.push((
            format!("dict/{}.{dict_hash}.json", file_key(&prefix)),
            bytes,
        ));
    }
    for (folded, hash, _, bytes) in word_files {
        files.push((format!("k/{}.{hash}.bin", file_key(folded)), bytes));
    }
    (dict_hash, prefixes)
}

/// Writes the pair postings in buckets; returns the bucket count and their hash.
/// Each document's pairs are dropped as they are moved into buckets.
fn write_pairs(
    words: &Vocabulary,
    docs: Vec<DocTerms>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> (u32, String) {
    let docs_total = docs.len();
    let total: usize = docs.iter().map(|d| d.pairs.len()).sum();
    let buckets = (total / PAIRS_PER_BUCKET).max(1).next_power_of_two() as u32;
    let bucket_of = |a: u32, b: u32| {
        let hash = fnv1a32_continue(
            words.pair_prefix[a as usize],
            words.folded[b as usize].as_bytes(),
        );
        (hash % buckets) as usize
    };
    let mut counts = vec![0; buckets as usize];
    for terms in &docs {
        for &(a, b, _) in &terms.pairs {
            counts[bucket_of(a, b)] += 1;
        }
    }
    // Per bucket: (folded id, folded id, document and fields packed).
    let mut bucketed: Vec<Vec<(u32, u32, u32)>> =
        counts.into_iter().map(Vec::with_capacity).collect();
    for (doc, terms) in docs.into_iter().enumerate() {
        for (a, b, fields) in terms.pairs {
            bucketed[bucket_of(a, b)].push((a, b, pack(doc as u32, fields)));
        }
    }
    let bucket_bytes: Vec<Vec<u8>> = bucketed
        .into_par_iter()
        .map(|mut entries| {
            // Stable: each pair's documents stay in ascending order.
            entries.sort_by_key(|&(a, b, _)| (a, b));
            let mut named: Vec<(String, Postings)> = Vec::new();
            for group in entries.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
                let (a, b) = (group[0].0, group[0].1);
                let name = format!("{} {}", words.folded[a as usize], words.folded[b as usize]);
                named.push((name, group.iter().map(|&(_, _, p)| unpack(p)).collect()));
            }
            named.sort_by(|x, y| x.0.cmp(&y.0));
            let mut bytes = Vec::new();
            put_varint(&mut bytes, named.len() as u64);
            for (name, postings) in &named {
                put_str(&mut bytes, name);
                put_postings(&mut bytes, postings, docs_total);
            }
            bytes
        })
        .collect();
    let hash = set_hash(bucket_bytes.iter());
    for (n, bytes) in bucket_bytes.into_iter().enumerate() {
        files.push((format!("b/{n}.{hash}.bin"), bytes));
    }
    (buckets, hash)
}

/// Writes what hits show, [`META_CHUNK`] documents a file; returns the files' hash.
fn write_meta(site: &Site, files: &mut Vec<(String, Vec<u8>)>) -> String {
    let chunks: Vec<Vec<u8>> = site
        .articles
        .par_chunks(META_CHUNK)
        .map(|chunk| {
            let entries: Vec<_> = chunk.iter().map(|a| meta_entry(site, a)).collect();
            script_safe_json(&entries)
        })
        .collect();
    let hash = set_hash(chunks.iter());
    for (n, bytes) in chunks.into_iter().enumerate() {
        files.push((format!("meta/{n}.{hash}.json"), bytes));
    }
    hash
}

/// `[url, title, date, category, summary]`, as hits show them.
fn meta_entry<'a>(site: &'a Site, a: &'a Article) -> [std::borrow::Cow<'a, str>; 5] {
    [
        site.config.link(&a.url).into(),
        a.title.as_str().into(),
        a.date.strftime("%d/%m/%Y").to_string().into(),
        site.categories[a.category].name.as_str().into(),
        shorten(&a.summary, SNIPPET_CHARS).into(),
    ]
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`: the same
/// value to a JSON reader, but never markup, even if a page someday inlines it.
fn script_safe_json(value: &impl Serialize) -> Vec<u8> {
    let json = serde_json::to_string(value).expect("plain data");
    // The three characters can only occur inside JSON strings, where the
    // escapes mean the same.
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .into_bytes()
}

/// The dictionary shard a folded syllable belongs to: its first letters.
pub fn shard_prefix(folded: &str) -> String {
    folded.chars().take(SHARD_PREFIX_CHARS).collect()
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Writes postings as three document lists, one per field, each either as
/// varint deltas or, when that is smaller (common words), as a bitmap of all
/// `docs` documents: `varint(count << 1 | is_bitmap)` and then the list or map.
fn put_postings(out: &mut Vec<u8>, postings: &[(u32, u8)], docs: usize) {
    let bitmap_len = docs.div_ceil(8);
    let mut list = Vec::new();
    for field in FIELDS {
        list.clear();
        let mut count = 0u64;
        let mut last = 0u32;
        for &(doc, _) in postings.iter().filter(|(_, f)| f & field != 0) {
            put_varint(&mut list, u64::from(doc - last));
            last = doc;
            count += 1;
        }
        if list.len() > bitmap_len {
            put_varint(out, count << 1 | 1);
            let mut map = vec![0u8; bitmap_len];
            for &(doc, _) in postings.iter().filter(|(_, f)| f & field != 0) {
                map[doc as usize / 8] |= 1 << (doc % 8);
            }
            out.extend_from_slice(&map);
        } else {
            put_varint(out, count << 1);
            out.extend_from_slice(&list);
        }
    }
}

/// An id (a document or a word variant, below 2^29) and its fields in one `u32`:
/// the index holds one per word of every document at once.
fn pack(id: u32, fields: u8) -> u32 {
    debug_assert!(id < 1 << 29 && fields < 8);
    id << 3 | u32::from(fields)
}

fn unpack(packed: u32) -> (u32, u8) {
    (packed >> 3, (packed & 7) as u8)
}

/// 32-bit FNV-1a: what the search page's script computes to find a pair's bucket.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    fnv1a32_continue(0x811c_9dc5, bytes)
}

fn fnv1a32_continue(state: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(state, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn short_hash(bytes: &[u8]) -> String {
    format!("{:08x}", fnv1a64(bytes) & 0xffff_ffff)
}

/// One hash for a set of files, from each file's own.
fn set_hash<'a>(files: impl Iterator<Item = &'a Vec<u8>>) -> String {
    let mut all = Vec::new();
    for bytes in files {
        all.extend_from_slice(&fnv1a64(bytes).to_le_bytes());
    }
    short_hash(&all)
}

/// A folded key as a file name: itself when ASCII, else `u` and its UTF-8 in hex.
pub fn file_key(folded: &str) -> String {
    if folded.is_ascii() {
        folded.to_string()
    } else {
        std::iter::once("u".to_string())
            .chain(folded.bytes().map(|b| format!("{b:02x}")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_small_and_large() {
        let mut out = Vec::new();
        put_varint(&mut out, 1);
        put_varint(&mut out, 300);
        assert_eq!(out, [1, 0xAC, 0x02]);
    }

    #[test]
    fn postings_are_a_list_per_field() {
        let mut out = Vec::new();
        put_postings(
            &mut out,
            &[(0, TITLE), (2, BODY | SUMMARY), (300, BODY)],
            1000,
        );
        // title: one document; summary: one; body: two, the second 298 later.
        assert_eq!(out, [2, 0, 2, 2, 4, 2, 0xAA, 0x02]);
    }

    #[test]
    fn common_words_become_bitmaps() {
        let postings: Postings = (0..16).map(|d| (d, BODY)).collect();
        let mut out = Vec::new();
        put_postings(&mut out, &postings, 16);
        assert_eq!(out, [0, 0, 16 << 1 | 1, 0xff, 0xff]);
    }

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn pairs_merge_fields_of_a_repeated_pair() {
        let merged = merge_fields(
            vec![(3u32, TITLE), (1, BODY), (3, BODY)],
            |&(v, _)| v,
            |t| &mut t.1,
        );
        assert_eq!(merged, [(1, BODY), (3, TITLE | BODY)]);
    }

    #[test]
    fn shipped_json_never_holds_markup() {
        let json = script_safe_json(&["</script> & <b>"]);
        assert_eq!(json, br#"["\u003c/script\u003e \u0026 \u003cb\u003e"]"#);
        let back: Vec<String> = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, ["</script> & <b>"]);
    }

    #[test]
    fn shards_are_named_by_two_letters() {
        assert_eq!(shard_prefix("duong"), "du");
        assert_eq!(shard_prefix("a"), "a");
        assert_eq!(file_key("du"), "du");
        assert_eq!(file_key("ж"), "ud0b6");
    }
}
