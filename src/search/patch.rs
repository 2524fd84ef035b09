//! Brings a published search index up to date after a few articles changed, by
//! rewriting only the files their words lie in, instead of indexing the whole
//! site again (seconds at 100,000 articles).
//!
//! A document's old words are found by tokenizing its old text (which the caller
//! keeps, and which must hash to what the index was made from), its postings in
//! the published files are replaced by its new ones, and every file whose bytes
//! change is renamed by its new hash, with the files that name it (its dictionary
//! shard, the manifest). The result is byte for byte the index a full build
//! makes: anything the patch cannot do so (articles added, removed or reordered,
//! pair buckets that would be resized site-wide, a file that is not as
//! recorded) gives `None`, and the caller indexes the whole site.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

use super::codec::{
    ATTACHMENT, BODY, FIELDS, FieldLists, NUMBER, SUMMARY, TITLE, decode_entries, encode_entries,
};
use super::index::{
    Entry, FORMAT_VERSION, INDEX_DIR, MAX_KEY_CHARS, Manifest, NAMES_PER_FILE, Shard, content_hash,
    file_key, fnv1a32, meta_chunk, meta_entry, meta_json, pairs_in, pairs_per_bucket, shard_prefix,
    short_hash,
};
use super::text::{SyllableSpans, exact_key, folded_key, syllable_spans, syllable_spans_in_html};
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

    /// One fingerprint of it all: the same input, the same index.
    pub fn input(&self) -> Fingerprint {
        let mut print = FingerprintWriter::new();
        print.add(&self.frame.to_le_bytes());
        for doc in &self.docs {
            print.add(doc.file.as_bytes());
            print.add(&doc.text.to_le_bytes());
            print.add(&doc.shown.to_le_bytes());
        }
        print.finish()
    }
}

fn frame(site: &Site) -> Fingerprint {
    let mut print = FingerprintWriter::new();
    print.add(&(FORMAT_VERSION as u64).to_le_bytes());
    print.add(super::SCRIPT.as_bytes());
    print.add(&[u8::from(site.config.search)]);
    print.finish()
}

/// What the index reads of an entry (keep it in step with the tokenizing in
/// `index` and with `meta_entry`): the same fingerprints, the same index files.
fn indexed_doc(site: &Site, entry: Entry<'_>) -> IndexedDoc {
    let mut shown = FingerprintWriter::new();
    match entry {
        Entry::Article(a) => {
            for part in meta_fields(site, a) {
                shown.add(part.as_bytes());
            }
        }
        Entry::Document(_) => {
            for part in meta_entry(site, entry) {
                shown.add(part.as_bytes());
            }
        }
    }
    IndexedDoc {
        file: entry.file().to_string(),
        text: entry.text().print(),
        shown: shown.finish(),
    }
}

fn meta_fields(site: &Site, a: &Article) -> [String; 3] {
    [
        site.config.link(&a.url),
        a.date.strftime("%d/%m/%Y").to_string(),
        site.categories[a.category].name.clone(),
    ]
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
        // An article's print is what it was before documents were indexed.
        if !self.number.is_empty() || !self.attachment.is_empty() || !self.fields.is_empty() {
            print.add(self.number.as_bytes());
            print.add(self.attachment.as_bytes());
            print.add(self.fields.as_bytes());
        }
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

    /// Its words (folded and exact key) and adjacent pairs (folded keys), each
    /// with the fields it is in: what the full build indexes of it.
    fn terms(&self) -> Terms {
        let mut terms = Terms::default();
        let mut keys: HashMap<&str, Option<WordKeys>> = HashMap::default();
        for (field, text, spans) in self.fields() {
            let tokens: Vec<Option<WordKeys>> = spans
                .map(|(start, end)| {
                    let surface = &text[start..end];
                    keys.entry(surface)
                        .or_insert_with(|| {
                            let folded = folded_key(surface);
                            (folded.chars().count() <= MAX_KEY_CHARS)
                                .then(|| (folded.into(), exact_key(surface).into()))
                        })
                        .clone()
                })
                .collect();
            for (folded, exact) in tokens.iter().flatten() {
                *terms
                    .words
                    .entry((Arc::clone(folded), Arc::clone(exact)))
                    .or_default() |= field;
            }
            let pairs = pairs_in(field);
            for pair in tokens.windows(2).take(pairs) {
                if let [Some((a, _)), Some((b, _))] = pair {
                    *terms.pairs.entry(format!("{a} {b}")).or_default() |= field;
                }
            }
        }
        terms
    }
}

/// A word's folded and exact key.
type WordKeys = (Arc<str>, Arc<str>);

/// Per key (an exact form, a pair): the changed documents that have it now,
/// with its fields in each.
type NowIn = BTreeMap<String, Vec<(u32, u8)>>;

/// A document's words, `(folded, exact)`, and pairs, `"<folded> <folded>"`, with
/// their fields.
#[derive(Default)]
struct Terms {
    words: BTreeMap<(Arc<str>, Arc<str>), u8>,
    pairs: BTreeMap<String, u8>,
}

/// An index patched: the files written anew and those no longer part of it.
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
    // Per document whose text changed: its terms then and now.
    let mut retokenized: Vec<(u32, Terms, Terms)> = Vec::new();
    for &d in &changed {
        let (was, is) = (&last.docs[d as usize], &now.docs[d as usize]);
        if was.text == is.text {
            continue;
        }
        let old = old_text(&was.file).filter(|old| old.print() == was.text)?;
        let new = Entry::of(site, d as usize).text();
        retokenized.push((d, old.terms(), new.terms()));
    }

    let docs = now.docs.len();
    let published = Published::read(&read, docs)?;
    let mut out = Output::default();
    let mut shards = published.shards.clone();
    patch_words(&published, &retokenized, &read, docs, &mut shards, &mut out)?;
    let pairs_by_shard = patch_pairs(
        &published,
        &retokenized,
        last,
        &read,
        docs,
        &mut shards,
        &mut out,
    )?;
    let names = patch_meta(site, &published, &changed, &read, &mut out)?;

    // The shards whose words or buckets changed are written again.
    let mut named: Vec<String> = Vec::with_capacity(shards.len());
    for (prefix, shard) in &shards {
        let hash = match shard {
            ShardNow::Same(hash) => hash.clone(),
            ShardNow::Changed(shard) => {
                if shard.words.is_empty() {
                    continue;
                }
                let bytes = serde_json::to_vec(shard).expect("plain data");
                let hash = short_hash(&bytes);
                out.add(format!("dict/{}.{hash}.json", file_key(prefix)), bytes);
                hash
            }
        };
        named.push(format!("{prefix}.{hash}"));
    }
    for (prefix, hash) in &published.shards_named {
        if matches!(shards.get(prefix), Some(ShardNow::Changed(_)) | None) {
            out.replaced(format!("dict/{}.{hash}.json", file_key(prefix)));
        }
    }
    let manifest = Manifest {
        version: FORMAT_VERSION,
        docs,
        articles: site.articles.len(),
        shards: named.join(" "),
        meta_chunk: meta_chunk(docs),
        names: names.join(" "),
    };
    out.add(
        "manifest.json".to_string(),
        serde_json::to_vec(&manifest).expect("plain data"),
    );
    let mut state = now;
    state.pairs_by_shard = pairs_by_shard;
    Some(out.finish(state))
}

/// The published index's manifest and the shards it names.
struct Published {
    manifest: Manifest,
    /// `(prefix, hash)` in manifest order.
    shards_named: Vec<(String, String)>,
    shards: BTreeMap<String, ShardNow>,
    /// Read on demand: the shards' contents, by prefix.
    contents: std::sync::Mutex<HashMap<String, Arc<Shard>>>,
}

/// A shard as the patch leaves it.
#[derive(Clone)]
enum ShardNow {
    /// Untouched, named by this hash.
    Same(String),
    Changed(Shard),
}

impl Published {
    fn read(read: &impl Fn(&str) -> Option<Vec<u8>>, docs: usize) -> Option<Published> {
        let manifest: Manifest =
            serde_json::from_slice(&read(&format!("{INDEX_DIR}/manifest.json"))?).ok()?;
        if manifest.version != FORMAT_VERSION
            || manifest.docs != docs
            || manifest.meta_chunk != meta_chunk(docs)
        {
            return None;
        }
        let shards_named: Vec<(String, String)> = manifest
            .shards
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|s| {
                let (prefix, hash) = s.rsplit_once('.')?;
                Some((prefix.to_string(), hash.to_string()))
            })
            .collect::<Option<_>>()?;
        let shards = shards_named
            .iter()
            .map(|(prefix, hash)| (prefix.clone(), ShardNow::Same(hash.clone())))
            .collect();
        Some(Published {
            manifest,
            shards_named,
            shards,
            contents: Default::default(),
        })
    }

    /// The published shard of `prefix` (empty if there is none).
    fn shard(&self, prefix: &str, read: &impl Fn(&str) -> Option<Vec<u8>>) -> Option<Arc<Shard>> {
        if let Some(shard) = self.contents.lock().expect("not poisoned").get(prefix) {
            return Some(Arc::clone(shard));
        }
        let shard = match self.shards.get(prefix) {
            Some(ShardNow::Same(hash)) => {
                let path = format!("{INDEX_DIR}/dict/{}.{hash}.json", file_key(prefix));
                serde_json::from_slice(&read(&path)?).ok()?
            }
            _ => Shard {
                words: Vec::new(),
                pairs: Vec::new(),
            },
        };
        let shard = Arc::new(shard);
        self.contents
            .lock()
            .expect("not poisoned")
            .insert(prefix.to_string(), Arc::clone(&shard));
        Some(shard)
    }

    fn changed_shard<'s>(
        &self,
        shards: &'s mut BTreeMap<String, ShardNow>,
        prefix: &str,
        read: &impl Fn(&str) -> Option<Vec<u8>>,
    ) -> Option<&'s mut Shard> {
        if !matches!(shards.get(prefix), Some(ShardNow::Changed(_))) {
            let shard = (*self.shard(prefix, read)?).clone();
            shards.insert(prefix.to_string(), ShardNow::Changed(shard));
        }
        match shards.get_mut(prefix) {
            Some(ShardNow::Changed(shard)) => Some(shard),
            _ => unreachable!("just made"),
        }
    }
}

/// Files written and replaced.
#[derive(Default)]
struct Output {
    files: Vec<(String, Vec<u8>)>,
    replaced: Vec<String>,
}

impl Output {
    /// A file of the index, by path under `search/`.
    fn add(&mut self, path: String, bytes: Vec<u8>) {
        self.files.push((format!("{INDEX_DIR}/{path}"), bytes));
    }

    /// A file of the published index that may no longer be part of it.
    fn replaced(&mut self, path: String) {
        self.replaced.push(format!("{INDEX_DIR}/{path}"));
    }

    fn finish(self, state: IndexState) -> IndexPatch {
        let kept: HashSet<&str> = self.files.iter().map(|(p, _)| p.as_str()).collect();
        let gone = self
            .replaced
            .iter()
            .filter(|p| !kept.contains(p.as_str()))
            .cloned()
            .collect();
        IndexPatch {
            files: self.files,
            gone,
            state,
        }
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

/// Patches `entries` (sorted by key): drops the changed documents `docs`
/// (sorted) from every entry, adds each entry's documents of `now`, and removes
/// entries left empty.
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

/// Rewrites the postings files of every folded word the changed documents had
/// or have; records the new names in their shards.
fn patch_words(
    published: &Published,
    retokenized: &[(u32, Terms, Terms)],
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    docs: usize,
    shards: &mut BTreeMap<String, ShardNow>,
    out: &mut Output,
) -> Option<()> {
    let changed_docs: Vec<u32> = retokenized.iter().map(|(d, _, _)| *d).collect();
    let changed_docs = &changed_docs;
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
                .entry(exact.to_string())
                .or_default()
                .push((*d, fields));
        }
    }
    // Only words whose fields in some document changed: the other files hold
    // the changed documents as they are now.
    let mut differs: HashSet<&str> = HashSet::default();
    for (_, old, new) in retokenized {
        differs.extend(changed_keys(&old.words, &new.words).map(|(folded, _)| &**folded));
    }
    affected.retain(|folded, _| differs.contains(folded));
    let mut by_shard: BTreeMap<String, Vec<(&str, &NowIn)>> = BTreeMap::new();
    for (folded, now) in &affected {
        by_shard
            .entry(shard_prefix(folded))
            .or_default()
            .push((folded, now));
    }
    for prefix in by_shard.keys() {
        published.shard(prefix, read)?;
    }
    // (folded, published hash, new file: (hash, document count, bytes)).
    type Rewritten = (String, Option<String>, Option<(String, usize, Vec<u8>)>);
    let rewritten: Vec<Rewritten> = by_shard
        .par_iter()
        .flat_map_iter(|(prefix, words)| {
            let shard = published.shard(prefix, read);
            words.iter().map(move |(folded, now)| {
                let shard = shard.as_ref()?;
                let at = shard.words.binary_search_by(|w| w.0.as_str().cmp(folded));
                let old_hash = at.ok().map(|i| shard.words[i].1.clone());
                let entries = match &old_hash {
                    Some(hash) => {
                        let path = format!("{INDEX_DIR}/k/{}.{hash}.bin", file_key(folded));
                        decode_entries(&read(&path)?, docs)?
                    }
                    None => Vec::new(),
                };
                let entries = patch_entries(entries, changed_docs, now);
                let file = (!entries.is_empty()).then(|| {
                    let bytes = encode_entries(&entries, docs);
                    let mut in_docs: Vec<u32> =
                        entries.iter().flat_map(|(_, l)| l.0.concat()).collect();
                    in_docs.sort_unstable();
                    in_docs.dedup();
                    (short_hash(&bytes), in_docs.len(), bytes)
                });
                Some((folded.to_string(), old_hash, file))
            })
        })
        .collect::<Option<_>>()?;
    for (folded, old_hash, file) in rewritten {
        let prefix = shard_prefix(&folded);
        let key = file_key(&folded);
        if let Some(hash) = &old_hash {
            out.replaced(format!("k/{key}.{hash}.bin"));
        }
        let shard = published.changed_shard(shards, &prefix, read)?;
        let at = shard.words.binary_search_by(|w| w.0.as_str().cmp(&folded));
        match (at, file) {
            (Ok(i), Some((hash, df, bytes))) => {
                out.add(format!("k/{key}.{hash}.bin"), bytes);
                shard.words[i] = (folded, hash, df);
            }
            (Err(i), Some((hash, df, bytes))) => {
                out.add(format!("k/{key}.{hash}.bin"), bytes);
                shard.words.insert(i, (folded, hash, df));
            }
            (Ok(i), None) => {
                shard.words.remove(i);
            }
            (Err(_), None) => {}
        }
    }
    Some(())
}

/// Rewrites the pair buckets holding pairs the changed documents had or have
/// (every bucket of a shard whose bucket count changes); returns the pair
/// postings per shard now. `None` if the site-wide bucket size would change.
fn patch_pairs(
    published: &Published,
    retokenized: &[(u32, Terms, Terms)],
    last: &IndexState,
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    docs: usize,
    shards: &mut BTreeMap<String, ShardNow>,
    out: &mut Output,
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
    for prefix in affected.keys() {
        published.shard(prefix, read)?;
    }
    // Per shard: the new buckets' hashes and the files written and replaced.
    type Buckets = (String, Vec<String>, Vec<(String, Vec<u8>)>, Vec<String>);
    let patched: Vec<Buckets> = affected
        .par_iter()
        .map(|(prefix, now)| {
            let shard = published.shard(prefix, read)?;
            let key = file_key(prefix);
            let old = &shard.pairs;
            if old.len()
                != last
                    .pairs_by_shard
                    .get(prefix)
                    .copied()
                    .unwrap_or(0)
                    .div_ceil(per_bucket)
            {
                return None;
            }
            let buckets = counts
                .get(prefix)
                .copied()
                .unwrap_or(0)
                .div_ceil(per_bucket);
            let read_bucket = |n: usize| {
                let path = format!("{INDEX_DIR}/b/{key}.{n}.{}.bin", old[n]);
                decode_entries(&read(&path)?, docs)
            };
            let bucket_of =
                |pair: &str, buckets: usize| fnv1a32(pair.as_bytes()) as usize % buckets;
            let mut hashes = old.clone();
            let mut files = Vec::new();
            let mut replaced = Vec::new();
            if buckets == old.len() {
                let mut touched: BTreeMap<usize, NowIn> = BTreeMap::new();
                for pair in now.keys().filter(|pair| differs.contains(pair.as_str())) {
                    touched.entry(bucket_of(pair, buckets)).or_default();
                }
                // A bucket rewritten holds all the changed documents' pairs in it.
                for (pair, postings) in now {
                    if let Some(bucket) = touched.get_mut(&bucket_of(pair, buckets)) {
                        bucket.insert(pair.clone(), postings.clone());
                    }
                }
                for (n, now) in touched {
                    let entries = patch_entries(read_bucket(n)?, &changed_docs, &now);
                    let bytes = encode_entries(&entries, docs);
                    let hash = short_hash(&bytes);
                    replaced.push(format!("b/{key}.{n}.{}.bin", old[n]));
                    files.push((format!("b/{key}.{n}.{hash}.bin"), bytes));
                    hashes[n] = hash;
                }
            } else {
                // The shard's pairs are spread over another number of buckets.
                let mut all: Vec<(String, FieldLists)> = Vec::new();
                for (n, hash) in old.iter().enumerate() {
                    all.extend(read_bucket(n)?);
                    replaced.push(format!("b/{key}.{n}.{hash}.bin"));
                }
                all.sort_by(|x, y| x.0.cmp(&y.0));
                let all = patch_entries(all, &changed_docs, now);
                let mut spread: Vec<Vec<(String, FieldLists)>> = vec![Vec::new(); buckets];
                for entry in all {
                    spread[bucket_of(&entry.0, buckets)].push(entry);
                }
                hashes.clear();
                for (n, entries) in spread.iter().enumerate() {
                    let bytes = encode_entries(entries, docs);
                    let hash = short_hash(&bytes);
                    files.push((format!("b/{key}.{n}.{hash}.bin"), bytes));
                    hashes.push(hash);
                }
            }
            Some((prefix.clone(), hashes, files, replaced))
        })
        .collect::<Option<_>>()?;
    for (prefix, hashes, files, replaced) in patched {
        if files.is_empty() && replaced.is_empty() {
            continue;
        }
        for (path, bytes) in files {
            out.add(path, bytes);
        }
        for path in replaced {
            out.replaced(path);
        }
        published.changed_shard(shards, &prefix, read)?.pairs = hashes;
    }
    Some(counts)
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

/// Rewrites the metadata files of the changed documents and the names files
/// naming them; returns the names files' hashes, in order.
/// The documents whose hits share a file with those of document `d` (of
/// `docs`): a patch that changes `d` writes that file again from all of them.
pub fn sharing_meta_with(docs: usize, d: usize) -> std::ops::Range<usize> {
    let per_file = meta_chunk(docs);
    let first = d / per_file * per_file;
    first..docs.min(first + per_file)
}

fn patch_meta(
    site: &Site,
    published: &Published,
    changed: &[u32],
    read: &impl Fn(&str) -> Option<Vec<u8>>,
    out: &mut Output,
) -> Option<Vec<String>> {
    let per_file = meta_chunk(Entry::count(site));
    let mut names: Vec<String> = published
        .manifest
        .names
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let chunks: BTreeSet<usize> = changed.iter().map(|&d| d as usize / per_file).collect();
    let mut names_files: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
    for chunk in chunks {
        let p = chunk / NAMES_PER_FILE;
        let list = match names_files.entry(p) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(read(&format!(
                "{INDEX_DIR}/names/{p}.{}.bin",
                names.get(p)?
            ))?),
        };
        let at = (chunk % NAMES_PER_FILE) * 4;
        let old = u32::from_le_bytes(list.get(at..at + 4)?.try_into().ok()?);
        let end = Entry::count(site).min((chunk + 1) * per_file);
        let bytes = meta_json(site, chunk * per_file..end);
        let hash = content_hash(&bytes);
        out.replaced(format!("meta/{chunk}.{old:08x}.json"));
        out.add(format!("meta/{chunk}.{hash:08x}.json"), bytes);
        list[at..at + 4].copy_from_slice(&hash.to_le_bytes());
    }
    for (p, list) in names_files {
        out.replaced(format!("names/{p}.{}.bin", names[p]));
        names[p] = short_hash(&list);
        out.add(format!("names/{p}.{}.bin", names[p]), list);
    }
    Some(names)
}
