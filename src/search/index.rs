//! Writes the search index into `public/search/`, split so that a query fetches
//! only what it needs:
//!
//! - `manifest.json` (small, fetched first): counts, the dictionary's shards
//!   with the hash naming each, and the hashes naming the names files;
//! - `dict/<ab>.<hash>.json`: the folded syllables beginning with the two letters
//!   `ab`, each with the hash naming its postings file and its document count
//!   (prefix search reads the keys from here), and the hashes naming the shard's
//!   pair buckets;
//! - `k/<syllable>.<hash>.bin`: one folded syllable's postings, per exact form;
//! - `b/<ab>.<n>.<hash>.bin`: postings of adjacent syllable pairs whose first
//!   syllable is in shard `ab`, hashed into buckets of the shard's own (see
//!   [`pairs_per_bucket`]);
//! - `meta/<n>.<hash>.json`: what a hit shows (URL, title, date, category,
//!   summary), [`meta_chunk`] documents a file;
//! - `names/<p>.<hash>.bin`: the hashes naming metadata files
//!   `p·`[`NAMES_PER_FILE`] onwards, four bytes each (little-endian), in order.
//!
//! Every file but the manifest is named by a hash of its own bytes, and the file
//! that leads to it carries that hash: the manifest names the shards and the
//! names files, a shard its postings files and pair buckets, a names file its
//! metadata files. A name therefore always means the same bytes (hosts may cache
//! them for ever), and an edit to one article renames only the files whose bytes
//! it changes, and the few that name them (see
//! `one_edit_renames_a_handful_of_index_files` in `tests/search.rs`).
//!
//! Documents are numbered newest first (so a new article still renumbers all
//! the others, and changes most files). The bytes of postings files and pair
//! buckets are [`super::codec`]'s, which describes them.
//!
//! Indexing runs beside page rendering, so it is built to be cheap: documents are
//! tokenized in parallel chunks against chunk-local tables of the words seen, and
//! each distinct word is keyed once for the whole site. Folded words are then
//! numbered in their order (and variants by folded word and exact form), so each
//! document's sorted ids give up a range of words, or of a shard's pairs, by
//! bisection: postings files and pair buckets are gathered and written a range at
//! a time, in parallel, each pair hashed once.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::codec::{ATTACHMENT, BODY, EntriesWriter, FIELD_BITS, NUMBER, Postings};
use super::patch::{DocText, IndexState};
use super::text::number_text;
use super::text::{AbbreviationPart, abbreviated_words, abbreviation_part, exact_key, folded_key};
use crate::content::text::shorten;
use crate::fingerprint::fingerprint;
use crate::site::documents::Document;
use crate::site::model::{Article, Site};

pub const INDEX_DIR: &str = "search";
pub const FORMAT_VERSION: u32 = 4;
/// Metadata files named by one names file: ten hits read at most ten names
/// files of 256 bytes, and the manifest names one per 64 metadata files.
pub const NAMES_PER_FILE: usize = 64;
/// Metadata files there are, at most (see [`meta_chunk`]).
const MAX_META_FILES: usize = 8192;
/// Characters of the summary a hit shows.
const SNIPPET_CHARS: usize = 200;
/// Longer "syllables" (URLs, codes) are not indexed.
const MAX_KEY_CHARS: usize = 24;
/// Letters of a folded syllable that name its dictionary shard.
pub const SHARD_PREFIX_CHARS: usize = 2;
/// Pair postings per bucket, at least (a bucket is then about a kilobyte)...
const MIN_PAIRS_PER_BUCKET: usize = 1024;
/// ...unless that makes more buckets than this, about.
const MAX_PAIR_BUCKETS: usize = 1536;
/// Pair postings put in buckets at a time, at most (but one shard's at least):
/// on 100,000 articles (~25 million pair postings) the buckets are filled in
/// about five rounds, and hold ~60 MB instead of ~300 MB at once.
const PAIRS_HELD: usize = 5_000_000;
/// Syllables at the head of a body whose adjacent pairs are indexed. News states
/// its subject first; pairs deeper in long bodies would triple the indexing time
/// for little gain in ranking (their words are still all indexed).
const PAIRS_IN_BODY: usize = 200;

/// Adjacent pairs of a field that are indexed, at most: those at the head of
/// a body or an attachment's text, all of the others.
fn pairs_in(field: u8) -> usize {
    match field {
        BODY | ATTACHMENT => PAIRS_IN_BODY,
        _ => usize::MAX,
    }
}
/// Documents tokenized together against one local word table.
const DOC_CHUNK: usize = 64;

/// The files of the index, by path under the output folder.
pub struct IndexFiles {
    pub files: Vec<(String, Vec<u8>)>,
    /// What it was made from, to patch it later (see [`super::patch`]).
    pub state: IndexState,
}

/// `manifest.json`: what a query reads first (the query engine reads it too).
#[derive(Serialize, serde::Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// Entries in all: articles, then documents ([`Entry`]).
    pub docs: usize,
    /// Of which articles: entries from this number on are documents.
    pub articles: usize,
    /// The shards there are, space-separated, each as `<prefix>.<hash>`: the
    /// prefix and the hash naming its file (a prefix holds no `.` or space).
    pub shards: String,
    pub meta_chunk: usize,
    /// The hashes naming the names files (`names/<p>.<hash>.bin`),
    /// space-separated, in order.
    pub names: String,
}

impl Manifest {
    /// Its shards, prefix -> the hash naming its file; `None` if one is
    /// written otherwise.
    pub fn shards(&self) -> Option<BTreeMap<&str, &str>> {
        self.shards
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|s| s.rsplit_once('.'))
            .collect()
    }

    /// The hashes naming its names files, in order.
    pub fn names_files(&self) -> Vec<&str> {
        self.names.split(' ').filter(|s| !s.is_empty()).collect()
    }
}

/// `dict/<prefix>.<hash>.json`: a dictionary shard.
#[derive(Default, Serialize, serde::Deserialize)]
pub struct Shard {
    /// Folded syllables (sorted), each with its postings file's hash and its
    /// document count.
    pub words: Vec<(String, String, usize)>,
    /// The hashes naming the buckets of pairs whose first syllable is in this
    /// shard, in bucket order; a pair `"a b"` is in bucket
    /// `fnv1a32("a b") % pairs.len()`.
    pub pairs: Vec<String>,
}

/// One document of the index: an article, or a document of the register
/// (văn bản). Articles come first, newest first, then documents, newest issued
/// first: so adding documents leaves the articles' numbers as they were, and a
/// hit is a document when its number is at least [`Manifest::articles`].
#[derive(Clone, Copy)]
pub enum Entry<'a> {
    Article(&'a Article),
    Document(&'a Document),
}

impl<'a> Entry<'a> {
    /// Entry `d` of `site`'s index.
    pub fn of(site: &'a Site, d: usize) -> Entry<'a> {
        match site.articles.get(d) {
            Some(a) => Entry::Article(a),
            None => Entry::Document(&site.documents.documents[d - site.articles.len()]),
        }
    }

    /// How many entries `site`'s index has.
    pub fn count(site: &Site) -> usize {
        site.articles.len() + site.documents.documents.len()
    }

    /// Its file, relative to content/.
    pub fn file(self) -> &'a str {
        match self {
            Entry::Article(a) => &a.file,
            Entry::Document(d) => &d.file,
        }
    }

    /// The text its words come from.
    pub fn text(self) -> DocText<'a> {
        match self {
            Entry::Article(a) => DocText::of(a),
            // The fields go with the text, weighing as a body does: a
            // document's form and issuing body repeat in many documents, and
            // should not outrank an article whose summary has the words.
            Entry::Document(d) => DocText {
                title: &d.title,
                summary: "".into(),
                body_html: &d.body_html,
                body_print: fingerprint(d.body_html.as_bytes()),
                number: number_text(&d.number, &d.kind, d.issued.year()).into(),
                attachment: &d.attachment_text,
                fields: format!("{} {}", document_fields(d), issued_text(d)).into(),
            },
        }
    }
}

/// The date of issue as a citation writes it, `ngày 12 tháng 6 năm 2023
/// (12/06/2023)`: readers paste "Quyết định số 18/2023/QĐ-UBND ngày 12/6/2023"
/// from the article that cites it, and every word typed must be found.
fn issued_text(d: &Document) -> String {
    let (day, month, year) = (d.issued.day(), d.issued.month(), d.issued.year());
    format!("ngày {day} tháng {month} năm {year} ({day:02}/{month:02}/{year})")
}

/// What a document's hit shows under its title, and its summary field in the
/// index: its number, form, issuing body, field and signer, which readers
/// search by besides its abstract.
fn document_fields(d: &Document) -> String {
    let mut fields = vec![format!("Số {}", d.number), d.kind.clone(), d.issuer.clone()];
    fields.extend(d.field.clone());
    fields.extend(d.signer.clone());
    fields.join(" · ")
}

/// Builds the index of the site's articles and documents (drafts are never in
/// a built site), all its files at once.
pub fn build_index(site: &Site) -> IndexFiles {
    let mut files = Vec::new();
    let Ok(state) = write_index_files(site, |batch| {
        files.extend(batch);
        Ok::<(), std::convert::Infallible>(())
    });
    IndexFiles { files, state }
}

/// Builds the index of the site's articles and documents (drafts are never in
/// a built site), handing its files (by path under the output folder) to
/// `put` as each step makes them: the whole index (some 70 MB at 100,000
/// articles) is never held at once, and the last step, its peak, holds
/// none of the others' files. Returns what the index was made from.
pub fn write_index_files<E>(
    site: &Site,
    mut put: impl FnMut(Vec<(String, Vec<u8>)>) -> Result<(), E>,
) -> Result<IndexState, E> {
    let texts: Vec<DocText<'_>> = (0..Entry::count(site))
        .into_par_iter()
        .map(|d| Entry::of(site, d).text())
        .collect();
    let (words, mut docs) = read_texts(&texts);
    // Read into terms: the texts (some 14 MB at 100,000 articles) are not
    // held while the postings are written, the index's peak.
    drop(texts);

    let mut files = Vec::new();
    let shard_words = write_words(&words, &docs, &mut files);
    put(under_index_dir(std::mem::take(&mut files)))?;
    docs.par_iter_mut()
        .for_each(|terms| terms.words = Vec::new());
    let (mut shard_pairs, pairs_by_shard) = write_pairs(&words, docs, &mut files);
    put(under_index_dir(std::mem::take(&mut files)))?;
    let mut meta_hashes = vec![0; Entry::count(site).div_ceil(meta_chunk(Entry::count(site)))];
    write_meta(site, 0..meta_hashes.len(), &mut meta_hashes, &mut files);
    let shards = shard_words
        .into_iter()
        .map(|(prefix, words)| {
            let pairs = shard_pairs.remove(&prefix).unwrap_or_default();
            (prefix, Shard { words, pairs })
        })
        .collect();
    write_manifest(site, &shards, &meta_hashes, &mut files);
    put(under_index_dir(files))?;
    put(vec![(
        super::script_path(),
        super::SCRIPT.as_bytes().to_vec(),
    )])?;
    Ok(IndexState::of(site, pairs_by_shard))
}

/// `files`, named by path under `search/`, named by path in the output.
fn under_index_dir(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    for (name, _) in &mut files {
        *name = format!("{INDEX_DIR}/{name}");
    }
    files
}

/// The distinct words of `texts`, and each one's terms in their ids.
fn read_texts(texts: &[DocText<'_>]) -> (Vocabulary, Vec<DocTerms>) {
    let chunks: Vec<ChunkTokens<'_>> = texts.par_chunks(DOC_CHUNK).map(tokenize).collect();
    let mut words = Vocabulary::of(&chunks);
    let chunk_surfaces = std::mem::take(&mut words.chunk_surfaces);
    let docs = chunks
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
    (words, docs)
}

/// A document's words, `(folded, exact)`, and adjacent pairs, `"<folded>
/// <folded>"`, each with the fields it is in.
pub(super) struct Terms {
    pub words: BTreeMap<(String, String), u8>,
    pub pairs: BTreeMap<String, u8>,
}

/// The terms of each of `texts`, read as [`build_index`] reads a site's: what
/// a patch takes out of the index and puts in.
pub(super) fn terms_of(texts: &[DocText<'_>]) -> Vec<Terms> {
    let (words, docs) = read_texts(texts);
    let folded = |id: u32| words.folded[id as usize].as_str();
    let terms = |doc: &DocTerms| Terms {
        words: doc
            .words
            .iter()
            .map(|&word| {
                let (variant, fields) = unpack(word);
                let (f, e) = words.variants[variant as usize];
                (
                    (folded(f).to_string(), words.exact[e as usize].clone()),
                    fields,
                )
            })
            .collect(),
        pairs: doc
            .pairs
            .iter()
            .map(|&pair| {
                let (a, b, fields) = unpack_pair(pair);
                (format!("{} {}", folded(a), folded(b)), fields)
            })
            .collect(),
    };
    docs.iter().map(terms).collect()
}

/// A chunk of documents' terms in chunk-local word ids.
struct ChunkTokens<'a> {
    /// Local id -> the word as written, in the article.
    surfaces: Vec<&'a str>,
    docs: Vec<DocTerms>,
}

/// Reads a chunk of documents into their distinct words and adjacent pairs, in
/// chunk-local ids; a document's tokens are dropped once read, so the site's
/// tokens are never all held at once.
fn tokenize<'a>(texts: &'a [DocText<'a>]) -> ChunkTokens<'a> {
    let mut chunk = ChunkWords::default();
    // Scratch lists, reused from document to document.
    let mut words: Vec<u32> = Vec::new();
    let mut pairs: Vec<u64> = Vec::new();
    // Per local id: the fields it was seen in, in the current document.
    let mut seen: Vec<u8> = Vec::new();
    let mut tokens: Vec<u32> = Vec::new();
    let mut token_parts: Vec<(u32, AbbreviationPart)> = Vec::new();
    let docs = texts
        .iter()
        .map(|doc| {
            words.clear();
            pairs.clear();
            for (field, text, spans) in doc.fields() {
                tokens.clear();
                tokens.extend(spans.map(|(start, end)| chunk.id(&text[start..end])));
                // Words the text holds by abbreviation: found, not side by side.
                // Not in a number: its letters name who issued it (`QĐ-UBND`).
                token_parts.clear();
                if field != NUMBER {
                    let parts = tokens.iter().map(|&local| chunk.parts[local as usize]);
                    token_parts.extend(
                        (0..)
                            .zip(parts)
                            .filter(|(_, part)| *part != AbbreviationPart::None),
                    );
                }
                let also: Vec<u32> = (abbreviated_words(&token_parts).into_iter())
                    .map(|word| chunk.id(word))
                    .collect();
                seen.resize(chunk.surfaces.len(), 0);
                for &local in tokens.iter().chain(&also) {
                    if seen[local as usize] == 0 {
                        words.push(local);
                    }
                    seen[local as usize] |= field;
                }
                let last = pairs_in(field);
                for (position, pair) in tokens.windows(2).enumerate() {
                    if position + 1 > last {
                        break;
                    }
                    pairs.push(pack_pair(pair[0], pair[1], field));
                }
            }
            let words = words
                .iter()
                .map(|&local| pack(local, std::mem::take(&mut seen[local as usize])))
                .collect();
            merge_pairs(&mut pairs);
            DocTerms {
                words,
                pairs: pairs.clone(),
            }
        })
        .collect();
    ChunkTokens {
        surfaces: chunk.surfaces,
        docs,
    }
}

/// A chunk's distinct words as written, by local id.
#[derive(Default)]
struct ChunkWords<'a> {
    ids: HashMap<&'a str, u32>,
    surfaces: Vec<&'a str>,
    /// What each is to the abbreviations (looked up once a word).
    parts: Vec<AbbreviationPart>,
}

impl<'a> ChunkWords<'a> {
    #[inline]
    fn id(&mut self, surface: &'a str) -> u32 {
        if let Some(&id) = self.ids.get(surface) {
            return id;
        }
        let id = self.surfaces.len() as u32;
        self.ids.insert(surface, id);
        self.surfaces.push(surface);
        self.parts.push(abbreviation_part(surface));
        id
    }
}

/// Every distinct word of the site, keyed once.
struct Vocabulary {
    /// Folded words, in order: a folded id is the word's rank.
    folded: Vec<String>,
    exact: Vec<String>,
    /// Variant id -> (folded id, exact id), by folded id and then exact form.
    variants: Vec<(u32, u32)>,
    /// Per folded id: its first variant id (and one more entry, the variants'
    /// count): its variants are those up to the next folded id's first.
    first_variant: Vec<u32>,
    /// Per chunk: local id -> (variant id, folded id), or None for an unindexed word.
    chunk_surfaces: Vec<Vec<Option<(u32, u32)>>>,
    /// Per folded id: the FNV-1a state after hashing `"<folded> "`, where a pair's
    /// hash continues.
    pair_prefix: Vec<u32>,
}

impl Vocabulary {
    fn of(chunks: &[ChunkTokens<'_>]) -> Self {
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
        // Folded ids renumbered in the order of the words, so that pair ids
        // sort as pair names do (see `bucket_file`) and a shard's words have
        // consecutive ids.
        let mut order: Vec<u32> = (0..folded.len() as u32).collect();
        order.par_sort_unstable_by(|&x, &y| folded[x as usize].cmp(&folded[y as usize]));
        let mut renumbered = vec![0u32; folded.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old as usize] = new as u32;
        }
        let folded: Vec<String> = order
            .iter()
            .map(|&old| std::mem::take(&mut folded[old as usize]))
            .collect();
        for (f, _) in &mut variants {
            *f = renumbered[*f as usize];
        }
        // Variants renumbered by folded word and then exact form, so that a
        // folded word's variants have consecutive ids, in the order its
        // postings file lists them.
        let mut order: Vec<u32> = (0..variants.len() as u32).collect();
        order.par_sort_unstable_by_key(|&v| {
            let (f, e) = variants[v as usize];
            (f, exact[e as usize].as_str())
        });
        let mut variant_renumbered = vec![0u32; variants.len()];
        for (new, &old) in order.iter().enumerate() {
            variant_renumbered[old as usize] = new as u32;
        }
        let variants: Vec<(u32, u32)> = order.iter().map(|&v| variants[v as usize]).collect();
        let mut first_variant = Vec::with_capacity(folded.len() + 1);
        for (v, &(f, _)) in variants.iter().enumerate() {
            while first_variant.len() <= f as usize {
                first_variant.push(v as u32);
            }
        }
        first_variant.resize(folded.len() + 1, variants.len() as u32);
        let surface_words: Vec<Option<(u32, u32)>> = surface_words
            .into_iter()
            .map(|word| word.map(|(v, f)| (variant_renumbered[v as usize], renumbered[f as usize])))
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
            first_variant,
            chunk_surfaces,
            pair_prefix,
        }
    }

    /// A document's terms in chunk-local ids -> in the site's ids: words become
    /// variants (in order of first appearance), pairs pairs of folded words; words
    /// too long to index are left out, with the pairs they are part of. `seen` is
    /// scratch space, one entry per variant, zero between calls.
    fn terms(&self, local: DocTerms, surfaces: &[Option<(u32, u32)>], seen: &mut [u8]) -> DocTerms {
        // Both lists are rewritten in place: they only shrink.
        let DocTerms {
            mut words,
            mut pairs,
        } = local;
        let mut kept = 0;
        for at in 0..words.len() {
            let (id, fields) = unpack(words[at]);
            let Some((variant, _)) = surfaces[id as usize] else {
                continue;
            };
            if seen[variant as usize] == 0 {
                words[kept] = variant;
                kept += 1;
            }
            seen[variant as usize] |= fields;
        }
        words.truncate(kept);
        for word in &mut words {
            *word = pack(*word, std::mem::take(&mut seen[*word as usize]));
        }
        words.sort_unstable();
        let folded = |id: u32| surfaces[id as usize].map(|(_, f)| f);
        pairs.retain_mut(|pair| {
            let (a, b, fields) = unpack_pair(*pair);
            match (folded(a), folded(b)) {
                (Some(a), Some(b)) => {
                    *pair = pack_pair(a, b, fields);
                    true
                }
                _ => false,
            }
        });
        merge_pairs(&mut pairs);
        // Sized to fit, as every document's pairs are held at once.
        words.shrink_to_fit();
        pairs.shrink_to_fit();
        DocTerms { words, pairs }
    }
}

/// Each pair once, with all its fields, sorted by its two ids.
fn merge_pairs(pairs: &mut Vec<u64>) {
    pairs.sort_unstable();
    pairs.dedup_by(|pair, kept| {
        let same = *kept >> FIELD_BITS == *pair >> FIELD_BITS;
        if same {
            *kept |= *pair;
        }
        same
    });
}

fn intern(ids: &mut HashMap<String, u32>, names: &mut Vec<String>, key: String) -> u32 {
    let next = names.len() as u32;
    *ids.entry(key).or_insert_with_key(|k| {
        names.push(k.clone());
        next
    })
}

/// One document's distinct words (id and fields, [`pack`]ed) and adjacent
/// pairs `(id, id, fields)`: in chunk-local word ids from [`tokenize`], the
/// words in order of appearance; in variant and folded ids from
/// [`Vocabulary::terms`], both sorted by id.
struct DocTerms {
    words: Vec<u32>,
    pairs: Vec<u64>,
}

/// Writes the postings files; returns the dictionary's entries by shard prefix.
fn write_words(
    words: &Vocabulary,
    docs: &[DocTerms],
    files: &mut Vec<(String, Vec<u8>)>,
) -> BTreeMap<String, Vec<(String, String, usize)>> {
    let docs_total = docs.len();
    // Folded words in a few ranges per thread, each range's postings gathered
    // and written in parallel: a range's variants have consecutive ids, which
    // each document's sorted words give up by bisection.
    let ranges = 2 * rayon::current_num_threads();
    let folded_total = words.folded.len();
    let word_files: Vec<Vec<WordFile<'_>>> = (0..ranges)
        .into_par_iter()
        .map(|range| {
            let folded = range * folded_total / ranges..(range + 1) * folded_total / ranges;
            let low = words.first_variant[folded.start];
            let high = words.first_variant[folded.end];
            // Per variant of the range: its documents and fields, packed.
            let mut postings: Vec<Vec<u32>> = vec![Vec::new(); (high - low) as usize];
            for (doc, terms) in docs.iter().enumerate() {
                let from = terms.words.partition_point(|&w| w >> FIELD_BITS < low);
                let to = terms.words.partition_point(|&w| w >> FIELD_BITS < high);
                for &word in &terms.words[from..to] {
                    let (variant, fields) = unpack(word);
                    postings[(variant - low) as usize].push(pack(doc as u32, fields));
                }
            }
            folded
                .map(|f| {
                    let variants = words.first_variant[f]..words.first_variant[f + 1];
                    let lists =
                        &postings[(variants.start - low) as usize..(variants.end - low) as usize];
                    let bytes = word_file(words, variants, lists, docs_total);
                    let df = match lists {
                        [list] => list.len(),
                        _ => {
                            let mut docs: Vec<u32> =
                                lists.iter().flatten().map(|&p| p >> FIELD_BITS).collect();
                            docs.sort_unstable();
                            docs.dedup();
                            docs.len()
                        }
                    };
                    (words.folded[f].as_str(), short_hash(&bytes), df, bytes)
                })
                .collect()
        })
        .collect();

    let mut shards: BTreeMap<String, Vec<(String, String, usize)>> = BTreeMap::new();
    for (folded, hash, df, bytes) in word_files.into_iter().flatten() {
        files.push((word_path(folded, &hash), bytes));
        shards
            .entry(shard_prefix(folded))
            .or_default()
            .push((folded.to_string(), hash, df));
    }
    for entries in shards.values_mut() {
        entries.sort_unstable();
    }
    shards
}

/// A postings file: (folded key, file name hash, document count, file bytes).
type WordFile<'a> = (&'a str, String, usize, Vec<u8>);

/// A folded word's postings file: its `variants` (by exact form) and their
/// `lists` of documents and fields, packed.
fn word_file(
    words: &Vocabulary,
    variants: std::ops::Range<u32>,
    lists: &[Vec<u32>],
    docs: usize,
) -> Vec<u8> {
    let mut file = EntriesWriter::new(lists.len(), docs);
    let mut postings: Postings = Vec::new();
    for (variant, list) in variants.zip(lists) {
        let (_, exact) = words.variants[variant as usize];
        postings.clear();
        postings.extend(list.iter().map(|&p| unpack(p)));
        file.push(&words.exact[exact as usize], postings.as_slice());
    }
    file.finish()
}

/// Writes the pair postings in buckets, each shard's pairs (by their first
/// syllable) in buckets of their own; returns the hashes naming each shard's
/// buckets, and each shard's count of pair postings (none if it has none).
fn write_pairs(
    words: &Vocabulary,
    docs: Vec<DocTerms>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, usize>) {
    let docs_total = docs.len();
    // Per folded id: its shard's number; per shard: its prefix and its first
    // folded id (folded ids are in order, so a shard's are consecutive).
    let mut prefixes: Vec<String> = Vec::new();
    let mut first_word: Vec<u32> = Vec::new();
    let shard_of: Vec<u32> = words
        .folded
        .iter()
        .enumerate()
        .map(|(id, f)| {
            let prefix = shard_prefix(f);
            if prefixes.last() != Some(&prefix) {
                prefixes.push(prefix);
                first_word.push(id as u32);
            }
            prefixes.len() as u32 - 1
        })
        .collect();
    first_word.push(words.folded.len() as u32);
    let per_shard = docs
        .par_iter()
        .fold(
            || vec![0usize; prefixes.len()],
            |mut counts, terms| {
                for &pair in &terms.pairs {
                    counts[shard_of[(pair >> 32) as usize] as usize] += 1;
                }
                counts
            },
        )
        .reduce(
            || vec![0usize; prefixes.len()],
            |mut all, part| {
                all.iter_mut().zip(part).for_each(|(n, m)| *n += m);
                all
            },
        );
    // Per shard: its first bucket and its bucket count.
    let per_bucket = pairs_per_bucket(per_shard.iter().sum());
    let mut first = Vec::with_capacity(per_shard.len());
    let mut total_buckets = 0;
    for &pairs in &per_shard {
        let buckets = pairs.div_ceil(per_bucket);
        first.push((total_buckets, buckets as u32));
        total_buckets += buckets;
    }
    // Documents split in a few parts per thread, each part's pairs bucketed
    // apart and in parallel: a bucket's entries are sorted whole later, so
    // the parts need not be joined in order.
    let part_docs = docs_total.div_ceil(4 * rayon::current_num_threads()).max(1);
    // A range of shards at a time (their buckets are consecutive), so that
    // only a part of the site's pairs is held twice (in the documents' lists
    // and in buckets). A document's pairs are sorted by first word, so those
    // of the round's shards are found by bisection, and each pair is read once.
    let mut bucket_bytes: Vec<Vec<u8>> = Vec::with_capacity(total_buckets);
    let mut shard_start = 0;
    while shard_start < prefixes.len() {
        let mut shard_end = shard_start;
        let mut held = 0;
        while shard_end < prefixes.len()
            && (shard_end == shard_start || held + per_shard[shard_end] <= PAIRS_HELD)
        {
            held += per_shard[shard_end];
            shard_end += 1;
        }
        let (low, high) = (
            u64::from(first_word[shard_start]) << 32,
            u64::from(first_word[shard_end]) << 32,
        );
        let start = first[shard_start].0;
        let end = first.get(shard_end).map_or(total_buckets, |&(b, _)| b);
        // Per part, per bucket of the round: the bucket's entries.
        let parts: Vec<Vec<Vec<PairEntry>>> = docs
            .par_chunks(part_docs)
            .enumerate()
            .map(|(part, docs)| {
                let mut bucketed = vec![Vec::new(); end - start];
                for (n, terms) in docs.iter().enumerate() {
                    let doc = (part * part_docs + n) as u32;
                    let from = terms.pairs.partition_point(|&p| p < low);
                    let to = terms.pairs.partition_point(|&p| p < high);
                    for &pair in &terms.pairs[from..to] {
                        let (a, b, fields) = unpack_pair(pair);
                        let (first_bucket, buckets) = first[shard_of[a as usize] as usize];
                        let hash = fnv1a32_continue(
                            words.pair_prefix[a as usize],
                            words.folded[b as usize].as_bytes(),
                        );
                        let bucket = first_bucket + (hash % buckets) as usize;
                        bucketed[bucket - start].push((a, b, pack(doc, fields)));
                    }
                }
                bucketed
            })
            .collect();
        let mut by_bucket: Vec<Vec<Vec<PairEntry>>> = vec![Vec::new(); end - start];
        for part in parts {
            for (lists, list) in by_bucket.iter_mut().zip(part) {
                lists.push(list);
            }
        }
        bucket_bytes.par_extend(
            by_bucket
                .into_par_iter()
                .map(|lists| bucket_file(words, lists.concat(), docs_total)),
        );
        shard_start = shard_end;
    }
    drop(docs);
    let counts = prefixes
        .iter()
        .zip(&per_shard)
        .filter(|&(_, &n)| n > 0)
        .map(|(prefix, &n)| (prefix.clone(), n))
        .collect();
    let mut hashes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bucket_bytes = bucket_bytes.into_iter();
    for (prefix, &(_, buckets)) in prefixes.into_iter().zip(&first) {
        let mut names = Vec::with_capacity(buckets as usize);
        for (n, bytes) in bucket_bytes.by_ref().take(buckets as usize).enumerate() {
            let hash = short_hash(&bytes);
            files.push((bucket_path(&prefix, n, &hash), bytes));
            names.push(hash);
        }
        hashes.insert(prefix, names);
    }
    (hashes, counts)
}

/// A pair posting as bucketed: (folded id, folded id, document and fields
/// [`pack`]ed).
type PairEntry = (u32, u32, u32);

/// A pair bucket's bytes from its entries, in any order.
fn bucket_file(words: &Vocabulary, mut entries: Vec<PairEntry>, docs: usize) -> Vec<u8> {
    // By pair, then by document (a document has each pair once). Folded ids
    // are in the order of the words, and no folded word holds a space or a
    // byte below it, so pairs in id order are in the order of their names.
    entries.sort_unstable();
    let groups = entries.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1));
    let mut file = EntriesWriter::new(groups.clone().count(), docs);
    // Scratch, reused from pair to pair.
    let mut key = String::new();
    let mut postings: Postings = Vec::new();
    for group in groups {
        key.clear();
        key.push_str(&words.folded[group[0].0 as usize]);
        key.push(' ');
        key.push_str(&words.folded[group[0].1 as usize]);
        postings.clear();
        postings.extend(group.iter().map(|&(_, _, p)| unpack(p)));
        file.push(&key, postings.as_slice());
    }
    file.finish()
}

/// Pair postings per bucket for `pairs` pair postings in all: as few as keep a
/// bucket about a kilobyte (a query fetches one per adjacent pair), but more on a
/// large site, where that would make too many files: on 100,000 articles a
/// bucket holds ~16,000 postings (~13 KB). A power of two, so that editing an
/// article seldom changes it (and with it every bucket's contents).
pub fn pairs_per_bucket(pairs: usize) -> usize {
    MIN_PAIRS_PER_BUCKET.max(pairs.div_ceil(MAX_PAIR_BUCKETS).next_power_of_two())
}

/// Documents per metadata file for `docs` documents: four (ten hits fetch about
/// ten files of 1.5 KB), doubled while that would make more than
/// [`MAX_META_FILES`] files: sixteen on 100,000 articles (files of ~6 KB, which
/// JSON-compressing hosts send in ~2.5 KB).
pub fn meta_chunk(docs: usize) -> usize {
    let mut chunk = 4;
    while docs.div_ceil(chunk) > MAX_META_FILES {
        chunk *= 2;
    }
    chunk
}

/// Writes the metadata files numbered `chunks`: what the hits of their
/// [`meta_chunk`] entries show, each file named by its own hash, which goes in
/// `hashes` at its number (the names files list them).
pub(super) fn write_meta(
    site: &Site,
    chunks: impl IntoParallelIterator<Item = usize>,
    hashes: &mut [u32],
    files: &mut Vec<(String, Vec<u8>)>,
) {
    let total = Entry::count(site);
    let per_file = meta_chunk(total);
    let made: Vec<(usize, Vec<u8>)> = chunks
        .into_par_iter()
        .map(|chunk| {
            let entries: Vec<_> = (chunk * per_file..total.min((chunk + 1) * per_file))
                .map(|d| meta_entry(site, Entry::of(site, d)))
                .collect();
            (chunk, script_safe_json(&entries))
        })
        .collect();
    for (chunk, bytes) in made {
        hashes[chunk] = content_hash(&bytes);
        files.push((meta_path(chunk, hashes[chunk]), bytes));
    }
}

/// Writes the files that name the others: the dictionary's `shards`, the names
/// files listing `meta_hashes`, and the manifest naming both. The whole index
/// and a patched one end here alike.
pub(super) fn write_manifest(
    site: &Site,
    shards: &BTreeMap<String, Shard>,
    meta_hashes: &[u32],
    files: &mut Vec<(String, Vec<u8>)>,
) {
    let mut names = Vec::new();
    for (p, hashes) in meta_hashes.chunks(NAMES_PER_FILE).enumerate() {
        let bytes: Vec<u8> = hashes.iter().flat_map(|hash| hash.to_le_bytes()).collect();
        let hash = short_hash(&bytes);
        files.push((names_path(p, &hash), bytes));
        names.push(hash);
    }
    let mut named = Vec::with_capacity(shards.len());
    for (prefix, shard) in shards {
        let bytes = serde_json::to_vec(shard).expect("plain data");
        let hash = short_hash(&bytes);
        files.push((shard_path(prefix, &hash), bytes));
        named.push(format!("{prefix}.{hash}"));
    }
    let docs = Entry::count(site);
    let manifest = Manifest {
        version: FORMAT_VERSION,
        docs,
        articles: site.articles.len(),
        shards: named.join(" "),
        meta_chunk: meta_chunk(docs),
        names: names.join(" "),
    };
    files.push((
        "manifest.json".to_string(),
        serde_json::to_vec(&manifest).expect("plain data"),
    ));
}

/// `[url, title, date, category, summary]`, as hits show them; a document's
/// category is its form (Quyết định), its summary its number and issuing body.
pub(super) fn meta_entry<'a>(site: &'a Site, entry: Entry<'a>) -> [std::borrow::Cow<'a, str>; 5] {
    match entry {
        Entry::Article(a) => [
            site.config.link(&a.url).into(),
            a.title.as_str().into(),
            a.date.strftime("%d/%m/%Y").to_string().into(),
            site.categories[a.category].name.as_str().into(),
            shorten(&a.summary, SNIPPET_CHARS).into(),
        ],
        Entry::Document(d) => [
            site.config.link(&d.url).into(),
            d.title.as_str().into(),
            d.issued.strftime("%d/%m/%Y").to_string().into(),
            d.kind.as_str().into(),
            shorten(&document_fields(d), SNIPPET_CHARS).into(),
        ],
    }
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

/// An id (a document or a word variant, below 2^27) and its fields in one `u32`:
/// the index holds one per word of every document at once.
fn pack(id: u32, fields: u8) -> u32 {
    debug_assert!(id < 1 << ID_BITS && u32::from(fields) < 1 << FIELD_BITS);
    id << FIELD_BITS | u32::from(fields)
}

fn unpack(packed: u32) -> (u32, u8) {
    (
        packed >> FIELD_BITS,
        (packed & ((1 << FIELD_BITS) - 1)) as u8,
    )
}

/// Bits of an id beside its fields in a `u32`.
const ID_BITS: u32 = 32 - FIELD_BITS;

/// An adjacent pair of words (ids below 2^27) and its fields in one `u64`, in
/// the order of the two ids: the index holds every document's pairs at once.
fn pack_pair(a: u32, b: u32, fields: u8) -> u64 {
    debug_assert!(a < 1 << ID_BITS && b < 1 << ID_BITS && u32::from(fields) < 1 << FIELD_BITS);
    u64::from(a) << 32 | u64::from(b) << FIELD_BITS | u64::from(fields)
}

fn unpack_pair(packed: u64) -> (u32, u32, u8) {
    (
        (packed >> 32) as u32,
        (packed >> FIELD_BITS) as u32 & ((1 << ID_BITS) - 1),
        (packed & ((1 << FIELD_BITS) - 1)) as u8,
    )
}

/// 32-bit FNV-1a: what the search page's script computes to find a pair's bucket.
fn fnv1a32(bytes: &[u8]) -> u32 {
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

/// What names a file of the index: 32 bits of the FNV-1a 64 hash of its bytes.
fn content_hash(bytes: &[u8]) -> u32 {
    fnv1a64(bytes) as u32
}

/// [`content_hash`] as a file name writes it: eight hex digits.
pub fn short_hash(bytes: &[u8]) -> String {
    format!("{:08x}", content_hash(bytes))
}

/// A folded key as a file name: itself when ASCII, else `u` and its UTF-8 in hex.
fn file_key(folded: &str) -> String {
    if folded.is_ascii() {
        folded.to_string()
    } else {
        std::iter::once("u".to_string())
            .chain(folded.bytes().map(|b| format!("{b:02x}")))
            .collect()
    }
}

/// Where `search/` holds a folded word's postings file, named by its hash.
pub fn word_path(folded: &str, hash: &str) -> String {
    format!("k/{}.{hash}.bin", file_key(folded))
}

/// Where `search/` holds pair bucket `n` of shard `prefix`.
pub fn bucket_path(prefix: &str, n: usize, hash: &str) -> String {
    format!("b/{}.{n}.{hash}.bin", file_key(prefix))
}

/// Where `search/` holds the dictionary shard `prefix`.
pub fn shard_path(prefix: &str, hash: &str) -> String {
    format!("dict/{}.{hash}.json", file_key(prefix))
}

/// Where `search/` holds metadata file `n`.
pub fn meta_path(n: usize, hash: u32) -> String {
    format!("meta/{n}.{hash:08x}.json")
}

/// Where `search/` holds names file `p`.
pub fn names_path(p: usize, hash: &str) -> String {
    format!("names/{p}.{hash}.bin")
}

/// The bucket of a pair `"<folded> <folded>"` among its shard's `buckets`.
pub fn bucket_of(pair: &str, buckets: usize) -> usize {
    fnv1a32(pair.as_bytes()) as usize % buckets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::codec::TITLE;

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn pairs_merge_fields_of_a_repeated_pair() {
        let mut merged = vec![
            pack_pair(3, 7, TITLE),
            pack_pair(1, 9, BODY),
            pack_pair(3, 7, BODY),
            pack_pair(3, 1 << 26, BODY),
        ];
        merge_pairs(&mut merged);
        let merged: Vec<_> = merged.into_iter().map(unpack_pair).collect();
        assert_eq!(
            merged,
            [(1, 9, BODY), (3, 7, TITLE | BODY), (3, 1 << 26, BODY)]
        );
    }

    #[test]
    fn a_bucket_lists_pairs_by_name_and_each_pairs_documents_in_order() {
        // Folded ids in the order of the words: "a" < "ab".
        let words = Vocabulary {
            folded: vec!["a".into(), "ab".into()],
            exact: vec!["a".into(), "ab".into()],
            variants: vec![(0, 0), (1, 1)],
            first_variant: vec![0, 1, 2],
            chunk_surfaces: Vec::new(),
            pair_prefix: Vec::new(),
        };
        // Entries in any order, as the parallel parts leave them.
        let entries = vec![
            (1, 0, pack(5, BODY)),
            (0, 1, pack(9, TITLE)),
            (0, 1, pack(2, TITLE)),
        ];
        let bytes = bucket_file(&words, entries, 16);
        let mut expected = vec![2];
        expected.extend([4, b'a', b' ', b'a', b'b']);
        // "a ab": title in documents 2 and 9 (delta 7), no summary, no body.
        expected.extend([TITLE, 2 << 1, 2, 7]);
        expected.extend([4, b'a', b'b', b' ', b'a']);
        expected.extend([BODY, 1 << 1, 5]);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn shipped_json_never_holds_markup() {
        let json = script_safe_json(&["</script> & <b>"]);
        assert_eq!(json, br#"["\u003c/script\u003e \u0026 \u003cb\u003e"]"#);
        let back: Vec<String> = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, ["</script> & <b>"]);
    }

    #[test]
    fn large_sites_get_fewer_larger_files() {
        assert_eq!(meta_chunk(0), 4);
        assert_eq!(meta_chunk(10_000), 4);
        assert_eq!(meta_chunk(100_000), 16);
        assert_eq!(pairs_per_bucket(3_000_000), 2048);
        assert_eq!(pairs_per_bucket(3_200_000), 4096);
        assert_eq!(pairs_per_bucket(1000), 1024);
    }

    #[test]
    fn shards_are_named_by_two_letters() {
        assert_eq!(shard_prefix("duong"), "du");
        assert_eq!(shard_prefix("a"), "a");
        assert_eq!(file_key("du"), "du");
        assert_eq!(file_key("ж"), "ud0b6");
    }
}
