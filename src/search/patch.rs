//! Brings a published search index up to date after a few articles changed, by
//! rewriting only the files their words lie in, instead of indexing the whole
//! site again (seconds at 100,000 articles).
//!
//! A document's old and new words are read as the whole writer reads a site's
//! ([`super::index::terms_of`]), from its old text (which the caller keeps, and
//! which must hash to what the index was made from) and its new one. Its
//! postings in the published files are replaced by its new ones, and every file
//! whose bytes change is renamed by its new hash. The files that name the others
//! (the dictionary's shards, the names files, the manifest) are then written
//! whole, by the whole writer's own [`super::index::write_manifest`]. The result
//! is byte for byte the index a full build makes: anything the patch cannot do
//! so (articles added, removed or reordered, pair buckets that would be resized
//! site-wide, a file that is not as recorded) gives `None`, and the caller
//! indexes the whole site.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use serde::{Deserialize, Serialize};

use super::codec::{
    ATTACHMENT, BODY, FIELDS, FieldLists, NUMBER, SUMMARY, TITLE, decode_entries, encode_entries,
};
use super::index::{
    Entry, FORMAT_VERSION, INDEX_DIR, Manifest, Shard, Terms, bucket_of, bucket_path, meta_chunk,
    meta_entry, meta_path, names_path, pairs_per_bucket, shard_path, shard_prefix, short_hash,
    terms_of, word_path, write_manifest, write_meta,
};
use super::text::{SyllableSpans, syllable_spans, syllable_spans_in_html};
use crate::fingerprint::{Fingerprint, FingerprintWriter};
use crate::site::model::{Article, Site};

/// Documents changed at once beyond which indexing the site again is as quick.
const MAX_CHANGED_DOCS: usize = 512;

/// What an index was made from, document by document, to patch it later.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexState {
    /// The format, the script and the site-wide settings the index was made with.
    pub frame: Fingerprint,
    /// The documents, in index order.
    pub docs: Vec<IndexedDoc>,
    /// Pair postings per dictionary shard (by prefix): they size its buckets.
    pub pairs_by_shard: BTreeMap<String, usize>,
}

/// One document of an index: its file and fingerprints of what the index read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedDoc {
    /// Relative to content/.
    pub file: String,
    /// Of the text that is tokenized: title, summary, body.
    pub text: Fingerprint,
    /// Of what a hit shows besides: link, date, category.
    pub shown: Fingerprint,
}

impl IndexState {
    /// The state of the index of `site`, with its shards' pair counts.
    pub fn of(site: &Site, pairs_by_shard: BTreeMap<String, usize>) -> IndexState {
        IndexState {
            frame: frame(site),
            docs: (0..Entry::count(site))
                .into_par_iter()
                .map(|d| indexed_doc(site, Entry::of(site, d)))
                .collect(),
            pairs_by_shard,
        }
    }

    /// Takes what the index reads of article `d` of `site` (the article `d`
    /// of this state too) from the site.
    pub fn set_doc(&mut self, site: &Site, d: usize) {
        self.docs[d] = indexed_doc(site, Entry::of(site, d));
    }

    /// Whether an index made from `self` is the one made from `other`: the
    /// same documents, read the same (the pair counts follow from them).
    pub fn same_input(&self, other: &IndexState) -> bool {
        self.frame == other.frame && self.docs == other.docs
    }
}

fn frame(site: &Site) -> Fingerprint {
    let mut print = FingerprintWriter::new();
    print.add(&(FORMAT_VERSION as u64).to_le_bytes());
    print.add(super::SCRIPT.as_bytes());
    print.add(&[u8::from(site.config.search)]);
    print.finish()
}

/// What the index reads of an entry: its text, and what its hit shows. The
/// same fingerprints, the same index files.
fn indexed_doc(site: &Site, entry: Entry<'_>) -> IndexedDoc {
    let mut shown = FingerprintWriter::new();
    for part in meta_entry(site, entry) {
        shown.add(part.as_bytes());
    }
    IndexedDoc {
        file: entry.file().to_string(),
        text: entry.text().print(),
        shown: shown.finish(),
    }
}

/// The text of a document of the index (an article, or a document of the
/// register) that its words come from.
#[derive(Clone)]
pub struct DocText<'a> {
    pub title: &'a str,
    pub summary: Cow<'a, str>,
    pub body_html: &'a str,
    /// The fingerprint of `body_html`.
    pub body_print: Fingerprint,
    /// A document's number as [`super::text::number_text`] gives it; empty
    /// for an article.
    pub number: Cow<'a, str>,
    /// The text of a document's attachments; empty for an article.
    pub attachment: &'a str,
    /// A document's fields (form, issuing body, field, signer), read as its
    /// body is; empty for an article.
    pub fields: Cow<'a, str>,
}

impl<'a> DocText<'a> {
    pub fn of(a: &'a Article) -> Self {
        DocText {
            title: &a.title,
            summary: Cow::Borrowed(&a.summary),
            body_html: &a.body_html,
            body_print: a.body_print,
            number: Cow::Borrowed(""),
            attachment: "",
            fields: Cow::Borrowed(""),
        }
    }

    fn print(&self) -> Fingerprint {
        let mut print = FingerprintWriter::new();
        print.add(self.title.as_bytes());
        print.add(self.summary.as_bytes());
        print.add(&self.body_print.to_le_bytes());
        print.add(self.number.as_bytes());
        print.add(self.attachment.as_bytes());
        print.add(self.fields.as_bytes());
        print.finish()
    }

    /// Its fields as the index reads them: field, text, and the text's
    /// syllables (a body is HTML).
    pub(super) fn fields(&self) -> [(u8, &str, SyllableSpans<'_>); 6] {
        [
            (TITLE, self.title, syllable_spans(self.title)),
            (SUMMARY, &self.summary, syllable_spans(&self.summary)),
            (BODY, self.body_html, syllable_spans_in_html(self.body_html)),
            (NUMBER, &self.number, syllable_spans(&self.number)),
            (ATTACHMENT, self.attachment, syllable_spans(self.attachment)),
            (BODY, &self.fields, syllable_spans(&self.fields)),
        ]
    }
}

/// Per key (an exact form, a pair): the changed documents that have it now,
/// with its fields in each.
type NowIn = BTreeMap<String, Vec<(u32, u8)>>;

/// An index patched: the files written anew and those no longer part of it.
#[derive(Default)]
pub struct IndexPatch {
    /// By path in the output (under `search/`).
    pub files: Vec<(String, Vec<u8>)>,
    pub gone: Vec<String>,
    pub state: IndexState,
}

/// The patch that brings the index `last` describes (published in the folder
/// `read` reads, by path in the output) up to date with `site`, whose documents
/// `now` describes ([`IndexState::of`]); `old_text` gives a document's text as
/// last indexed, by its file. `None` when only indexing the whole site can.
pub fn patch_index<'a>(
    site: &Site,
    now: IndexState,
    last: &IndexState,
    old_text: impl Fn(&str) -> Option<DocText<'a>>,
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
) -> Option<IndexPatch> {
    if now.frame != last.frame
        || !site.config.search
        || now.docs.len() != last.docs.len()
        || now
            .docs
            .iter()
            .zip(&last.docs)
            .any(|(n, l)| n.file != l.file)
    {
        return None;
    }
    let changed: Vec<u32> = (0..now.docs.len())
        .filter(|&d| now.docs[d] != last.docs[d])
        .map(|d| d as u32)
        .collect();
    if changed.len() > MAX_CHANGED_DOCS {
        return None;
    }
    // The documents whose text changed, with their texts then and now.
    let (mut retold, mut was, mut is) = (Vec::new(), Vec::new(), Vec::new());
    for &d in &changed {
        let (last_doc, now_doc) = (&last.docs[d as usize], &now.docs[d as usize]);
        if last_doc.text != now_doc.text {
            retold.push(d);
            was.push(old_text(&last_doc.file).filter(|old| old.print() == last_doc.text)?);
            is.push(Entry::of(site, d as usize).text());
        }
    }
    let retokenized: Vec<(u32, Terms, Terms)> = retold
        .into_iter()
        .zip(terms_of(&was).into_iter().zip(terms_of(&is)))
        .map(|(d, (old, new))| (d, old, new))
        .collect();

    let read = |path: &str| read(&format!("{INDEX_DIR}/{path}"));
    let mut patch = Patch::read(&read, now.docs.len())?;
    patch.words(&retokenized, &read)?;
    let pairs_by_shard = patch.pairs(&retokenized, last, &read)?;
    let mut state = now;
    state.pairs_by_shard = pairs_by_shard;
    Some(patch.finish(site, &changed, state))
}

/// An index being patched: its dictionary and the hashes naming its metadata
/// files, as published and then patched; the files written, and the published
/// files they may replace, by path under `search/`.
struct Patch {
    docs: usize,
    shards: BTreeMap<String, Shard>,
    meta_hashes: Vec<u32>,
    files: Vec<(String, Vec<u8>)>,
    replaced: Vec<String>,
}

impl Patch {
    /// Reads the published index with `read`; `None` if it is not one of `docs`
    /// documents. Its shards and names files are all written again at the end
    /// (as the whole writer writes them), so all are replaced.
    fn read(read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync), docs: usize) -> Option<Patch> {
        let manifest: Manifest = serde_json::from_slice(&read("manifest.json")?).ok()?;
        if manifest.version != FORMAT_VERSION
            || manifest.docs != docs
            || manifest.meta_chunk != meta_chunk(docs)
        {
            return None;
        }
        let shard_hashes = manifest.shards()?;
        let shards: BTreeMap<String, Shard> = shard_hashes
            .par_iter()
            .map(|(&prefix, &hash)| {
                let shard = serde_json::from_slice(&read(&shard_path(prefix, hash))?).ok()?;
                Some((prefix.to_string(), shard))
            })
            .collect::<Option<_>>()?;
        let mut replaced: Vec<String> = shard_hashes
            .iter()
            .map(|(prefix, hash)| shard_path(prefix, hash))
            .collect();
        let mut meta_hashes = Vec::new();
        for (p, hash) in manifest.names_files().into_iter().enumerate() {
            let path = names_path(p, hash);
            let bytes = read(&path)?;
            let hashes = bytes.chunks_exact(4);
            meta_hashes.extend(hashes.map(|h| u32::from_le_bytes([h[0], h[1], h[2], h[3]])));
            replaced.push(path);
        }
        if meta_hashes.len() != docs.div_ceil(meta_chunk(docs)) {
            return None;
        }
        Some(Patch {
            docs,
            shards,
            meta_hashes,
            files: Vec::new(),
            replaced,
        })
    }

    /// Rewrites the postings files of every folded word the changed documents
    /// had or have; records the new names in their shards.
    fn words(
        &mut self,
        retokenized: &[(u32, Terms, Terms)],
        read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    ) -> Option<()> {
        let changed_docs: Vec<u32> = retokenized.iter().map(|(d, _, _)| *d).collect();
        // Per folded word: per exact form, the changed documents that have it now.
        let mut affected: BTreeMap<&str, NowIn> = BTreeMap::new();
        for (d, old, new) in retokenized {
            for (folded, _) in old.words.keys() {
                affected.entry(folded).or_default();
            }
            for ((folded, exact), &fields) in &new.words {
                affected
                    .entry(folded)
                    .or_default()
                    .entry(exact.clone())
                    .or_default()
                    .push((*d, fields));
            }
        }
        // Only words whose fields in some document changed: the other files hold
        // the changed documents as they are now.
        let mut differs: HashSet<&str> = HashSet::default();
        for (_, old, new) in retokenized {
            differs.extend(changed_keys(&old.words, &new.words).map(|(folded, _)| folded.as_str()));
        }
        affected.retain(|folded, _| differs.contains(folded));
        // (folded, published hash, new file: (hash, document count, bytes)).
        type Rewritten<'t> = (&'t str, Option<String>, Option<(String, usize, Vec<u8>)>);
        let published = &self.shards;
        let rewritten: Vec<Rewritten> = affected
            .par_iter()
            .map(|(&folded, now)| {
                let old_hash = published.get(&shard_prefix(folded)).and_then(|shard| {
                    let at = shard.words.binary_search_by(|w| w.0.as_str().cmp(folded));
                    Some(shard.words[at.ok()?].1.clone())
                });
                let entries = match &old_hash {
                    Some(hash) => decode_entries(&read(&word_path(folded, hash))?, self.docs)?,
                    None => Vec::new(),
                };
                let entries = patch_entries(entries, &changed_docs, now);
                let file = (!entries.is_empty()).then(|| {
                    let bytes = encode_entries(&entries, self.docs);
                    let in_docs: BTreeSet<u32> = entries
                        .iter()
                        .flat_map(|(_, lists)| lists.0.iter().flatten().copied())
                        .collect();
                    (short_hash(&bytes), in_docs.len(), bytes)
                });
                Some((folded, old_hash, file))
            })
            .collect::<Option<_>>()?;
        for (folded, old_hash, file) in rewritten {
            if let Some(hash) = &old_hash {
                self.replaced.push(word_path(folded, hash));
            }
            let words = &mut self.shards.entry(shard_prefix(folded)).or_default().words;
            let at = words.binary_search_by(|w| w.0.as_str().cmp(folded));
            let word = file.map(|(hash, df, bytes)| {
                self.files.push((word_path(folded, &hash), bytes));
                (folded.to_string(), hash, df)
            });
            match (at, word) {
                (Ok(i), Some(word)) => words[i] = word,
                (Err(i), Some(word)) => words.insert(i, word),
                (Ok(i), None) => {
                    words.remove(i);
                }
                (Err(_), None) => {}
            }
        }
        Some(())
    }

    /// Rewrites the pair buckets holding pairs the changed documents had or
    /// have (every bucket of a shard whose bucket count changes); returns the
    /// pair postings per shard now. `None` if the site-wide bucket size would
    /// change.
    fn pairs(
        &mut self,
        retokenized: &[(u32, Terms, Terms)],
        last: &IndexState,
        read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    ) -> Option<BTreeMap<String, usize>> {
        let changed_docs: Vec<u32> = retokenized.iter().map(|(d, _, _)| *d).collect();
        let mut counts = last.pairs_by_shard.clone();
        // Per shard: per pair, the changed documents that have it now.
        let mut affected: BTreeMap<String, NowIn> = BTreeMap::new();
        for (d, old, new) in retokenized {
            for pair in old.pairs.keys() {
                let prefix = pair_shard(pair);
                let count = counts.get_mut(&prefix)?;
                *count = count.checked_sub(1)?;
                affected
                    .entry(prefix)
                    .or_default()
                    .entry(pair.clone())
                    .or_default();
            }
            for (pair, &fields) in &new.pairs {
                let prefix = pair_shard(pair);
                *counts.entry(prefix.clone()).or_default() += 1;
                affected
                    .entry(prefix)
                    .or_default()
                    .entry(pair.clone())
                    .or_default()
                    .push((*d, fields));
            }
        }
        counts.retain(|_, n| *n > 0);
        let mut differs: HashSet<&str> = HashSet::default();
        for (_, old, new) in retokenized {
            differs.extend(changed_keys(&old.pairs, &new.pairs).map(String::as_str));
        }
        let per_bucket = pairs_per_bucket(last.pairs_by_shard.values().sum());
        if pairs_per_bucket(counts.values().sum()) != per_bucket {
            return None;
        }
        let buckets_for = |pairs: Option<&usize>| pairs.map_or(0, |n| n.div_ceil(per_bucket));
        // Per shard: the new buckets' hashes and the files written and replaced.
        type Buckets = (String, Vec<String>, Vec<(String, Vec<u8>)>, Vec<String>);
        let published = &self.shards;
        let patched: Vec<Buckets> = affected
            .par_iter()
            .map(|(prefix, now)| {
                let old = published.get(prefix).map_or(&[][..], |shard| &shard.pairs);
                if old.len() != buckets_for(last.pairs_by_shard.get(prefix)) {
                    return None;
                }
                let buckets = buckets_for(counts.get(prefix));
                // The buckets read and those written again: the ones a pair whose
                // fields changed is in, or, when the shard's pairs are spread over
                // another number of buckets, all of them.
                let (read_again, written): (Vec<usize>, Vec<usize>) = if buckets == old.len() {
                    let mut touched: Vec<usize> = now
                        .keys()
                        .filter(|pair| differs.contains(pair.as_str()))
                        .map(|pair| bucket_of(pair, buckets))
                        .collect();
                    touched.sort_unstable();
                    touched.dedup();
                    (touched.clone(), touched)
                } else {
                    ((0..old.len()).collect(), (0..buckets).collect())
                };
                let mut entries = Vec::new();
                let mut replaced = Vec::new();
                for &n in &read_again {
                    let path = bucket_path(prefix, n, &old[n]);
                    entries.extend(decode_entries(&read(&path)?, self.docs)?);
                    replaced.push(path);
                }
                // Every changed document's pairs go in: the buckets read hold all
                // the others', so those are whole, and only those are written.
                let mut spread = vec![Vec::new(); buckets];
                for entry in patch_entries(entries, &changed_docs, now) {
                    spread[bucket_of(&entry.0, buckets)].push(entry);
                }
                // All of them when their number changed.
                let mut hashes = old.to_vec();
                hashes.resize(buckets, String::new());
                let mut files = Vec::new();
                for n in written {
                    let bytes = encode_entries(&spread[n], self.docs);
                    hashes[n] = short_hash(&bytes);
                    files.push((bucket_path(prefix, n, &hashes[n]), bytes));
                }
                Some((prefix.clone(), hashes, files, replaced))
            })
            .collect::<Option<_>>()?;
        for (prefix, hashes, files, replaced) in patched {
            self.files.extend(files);
            self.replaced.extend(replaced);
            self.shards.entry(prefix).or_default().pairs = hashes;
        }
        Some(counts)
    }

    /// Writes the metadata files holding the hits of the documents `changed`,
    /// then the files that name the others, as the whole writer does.
    fn finish(mut self, site: &Site, changed: &[u32], state: IndexState) -> IndexPatch {
        let per_file = meta_chunk(self.docs);
        let mut chunks: Vec<usize> = changed.iter().map(|&d| d as usize / per_file).collect();
        chunks.dedup();
        for &chunk in &chunks {
            self.replaced
                .push(meta_path(chunk, self.meta_hashes[chunk]));
        }
        write_meta(site, chunks, &mut self.meta_hashes, &mut self.files);
        self.shards.retain(|_, shard| !shard.words.is_empty());
        write_manifest(site, &self.shards, &self.meta_hashes, &mut self.files);
        let written: HashSet<&str> = self.files.iter().map(|(p, _)| p.as_str()).collect();
        let gone = self
            .replaced
            .iter()
            .filter(|p| !written.contains(p.as_str()))
            .map(|p| format!("{INDEX_DIR}/{p}"))
            .collect();
        let files = self
            .files
            .into_iter()
            .map(|(p, bytes)| (format!("{INDEX_DIR}/{p}"), bytes))
            .collect();
        IndexPatch { files, gone, state }
    }
}

/// Drops `docs` (sorted) from `lists` and adds each of `now` (document, fields).
fn replace_docs(lists: &mut FieldLists, docs: &[u32], now: &[(u32, u8)]) {
    for (list, field) in lists.0.iter_mut().zip(FIELDS) {
        list.retain(|d| docs.binary_search(d).is_err());
        for &(d, fields) in now {
            if fields & field != 0
                && let Err(at) = list.binary_search(&d)
            {
                list.insert(at, d);
            }
        }
    }
}

/// Patches `entries`: drops the changed documents `docs` (sorted) from every
/// entry, adds each entry's documents of `now`, and removes entries left empty;
/// sorted by key.
fn patch_entries(
    entries: Vec<(String, FieldLists)>,
    docs: &[u32],
    now: &NowIn,
) -> Vec<(String, FieldLists)> {
    let mut patched: BTreeMap<String, FieldLists> = entries.into_iter().collect();
    for lists in patched.values_mut() {
        replace_docs(lists, docs, &[]);
    }
    for (key, postings) in now {
        replace_docs(patched.entry(key.clone()).or_default(), &[], postings);
    }
    patched
        .into_iter()
        .filter(|(_, lists)| !lists.is_empty())
        .collect()
}

/// The keys whose fields differ between `old` and `new` (or that only one has).
fn changed_keys<'t, K: Ord>(
    old: &'t BTreeMap<K, u8>,
    new: &'t BTreeMap<K, u8>,
) -> impl Iterator<Item = &'t K> {
    let gone_or_changed = old.iter().filter(|(k, f)| new.get(*k) != Some(*f));
    let added = new.keys().filter(|k| !old.contains_key(*k));
    gone_or_changed.map(|(k, _)| k).chain(added)
}

/// The shard of a pair `"<folded> <folded>"`: its first syllable's.
fn pair_shard(pair: &str) -> String {
    shard_prefix(pair.split_once(' ').map_or(pair, |(first, _)| first))
}

/// The documents whose hits share a file with those of document `d` (of
/// `docs`): a patch that changes `d` writes that file again from all of them.
pub fn sharing_meta_with(docs: usize, d: usize) -> std::ops::Range<usize> {
    let per_file = meta_chunk(docs);
    let first = d / per_file * per_file;
    first..docs.min(first + per_file)
}
