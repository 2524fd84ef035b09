//! Answers a query from the index files. The search page's script is to mirror
//! this file step by step, so both rank alike.
//!
//! Ranking: every query syllable must match (its folded form; the last one also as a
//! prefix, for search as you type). A match counts by field (title 10, summary 3,
//! body 1), by tone (an exact match of a toned query syllable counts 3 times) and by
//! rarity; query syllables found side by side in a document add a bonus. Scores are
//! whole numbers, so the script and this engine order hits identically; equal
//! scores go to the newer article.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::codec::{ATTACHMENT, BODY, NUMBER, SUMMARY, TITLE, decode_entries};
use super::index::{
    FORMAT_VERSION, Manifest, NAMES_PER_FILE, Shard, bucket_of, bucket_path, meta_path, names_path,
    shard_path, shard_prefix, word_path,
};
use super::text::{
    Syllable, TONE_SIGNS, folded_key, from_telex, has_marks, letter_and_digit_runs, query_char,
    syllables,
};
use crate::content::text::to_nfc;

/// Where index files come from: a built site's folder, or (in tests) memory.
pub trait IndexSource {
    /// The bytes of `search/<path>`.
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
}

/// Reads the index of a built site from disk.
pub struct SiteFolder(pub std::path::PathBuf);

impl IndexSource for SiteFolder {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(super::index::INDEX_DIR).join(path))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot read the search index file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the search index file {0} is damaged; build the site again")]
    Damaged(String),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub url: String,
    pub title: String,
    pub date: String,
    pub category: String,
    pub summary: String,
    pub score: u64,
    /// `"article"`, or `"document"` for a document of the register (văn bản).
    pub kind: &'static str,
    /// Whether every word of the query was found in the document's attached
    /// files only (not in its abstract, fields or text).
    pub in_attachment: bool,
}

/// What a query looks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Articles and documents.
    #[default]
    All,
    /// Documents of the register only.
    Documents,
}

/// The hits, and every file the query read with its size (what a browser fetches).
#[derive(Debug, Default)]
pub struct Answer {
    pub hits: Vec<Hit>,
    /// Every article that matches, of which `hits` are the best.
    pub total: usize,
    pub files: Vec<(String, usize)>,
}

/// Keys a prefix may stand for, at most.
const PREFIX_KEYS: usize = 10;

struct Reader<'a> {
    source: &'a dyn IndexSource,
    files: Vec<(String, usize)>,
    cache: HashMap<String, Vec<u8>>,
}

impl Reader<'_> {
    fn read(&mut self, path: &str) -> Result<&[u8], SearchError> {
        if !self.cache.contains_key(path) {
            let bytes = self.source.read(path).map_err(|source| SearchError::Read {
                path: path.to_string(),
                source,
            })?;
            self.files.push((path.to_string(), bytes.len()));
            self.cache.insert(path.to_string(), bytes);
        }
        Ok(&self.cache[path])
    }

    fn json<T: for<'de> Deserialize<'de>>(&mut self, path: &str) -> Result<T, SearchError> {
        serde_json::from_slice(self.read(path)?).map_err(|_| SearchError::Damaged(path.to_string()))
    }
}

/// Answers `query` with at most `limit` hits, best first.
pub fn search(source: &dyn IndexSource, query: &str, limit: usize) -> Result<Answer, SearchError> {
    search_in(source, query, limit, Scope::All)
}

/// Answers `query` from the entries of `scope`, with at most `limit` hits,
/// best first.
pub fn search_in(
    source: &dyn IndexSource,
    query: &str,
    limit: usize,
    scope: Scope,
) -> Result<Answer, SearchError> {
    let mut reader = Reader {
        source,
        files: Vec::new(),
        cache: HashMap::new(),
    };
    let manifest: Manifest = reader.json("manifest.json")?;
    if manifest.version != FORMAT_VERSION {
        return Err(SearchError::Damaged("manifest.json".into()));
    }
    // Prefix -> the hash naming its shard.
    let shard_names = manifest
        .shards()
        .ok_or(SearchError::Damaged("manifest.json".into()))?;
    let query = from_telex_where_unknown(
        &mut reader,
        &shard_names,
        &to_nfc(query.chars().map(query_char).collect()),
    )?;
    let mut words = syllables(&query);
    // A last word of one letter is still being typed, and too short to stand for
    // every word it begins: the words before it answer alone.
    if words.len() > 1 && words.last().is_some_and(|w| is_lone_letter(&w.folded)) {
        words.pop();
    }
    // Letters run into digits (`qđ1/2025`, `nd30`) that no word of the index
    // stands for: readers leave out the space between a code and its number.
    // Such a word is read as its runs (`qđ 1`).
    let mut read: Vec<Syllable> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let runs = letter_and_digit_runs(&query, word.start, word.end);
        if runs.len() > 1 {
            let as_prefix = i + 1 == words.len() && word.folded.chars().count() >= 2;
            if !is_known(&mut reader, &shard_names, &word.folded, as_prefix)? {
                read.extend(runs);
                continue;
            }
        }
        read.push(word.clone());
    }
    let words = read;
    let numbered = words
        .iter()
        .any(|w| w.folded.starts_with(|c: char| c.is_ascii_digit()));
    let n = manifest.docs.max(1) as f64;
    // Per query syllable: its shard.
    let mut shards: Vec<Shard> = Vec::new();
    // Per query syllable: document -> best weight, and the syllable's rarity.
    let mut per_word: Vec<(BTreeMap<u32, u64>, u64)> = Vec::new();
    // Per query syllable: document -> the fields it was found in.
    let mut found_in: Vec<BTreeMap<u32, u8>> = Vec::new();
    let first_document = manifest.articles.min(manifest.docs) as u32;
    for (i, word) in words.iter().enumerate() {
        let prefix = shard_prefix(&word.folded);
        let Some(hash) = shard_names.get(prefix.as_str()) else {
            return Ok(Answer {
                hits: Vec::new(),
                total: 0,
                files: reader.files,
            });
        };
        let shard: Shard = reader.json(&shard_path(&prefix, hash))?;
        // The last syllable may be still being typed.
        let as_prefix = i + 1 == words.len() && word.folded.chars().count() >= 2;
        let toned = has_marks(&query[word.start..word.end]);
        let mut scores: BTreeMap<u32, u64> = BTreeMap::new();
        let mut fields_of: BTreeMap<u32, u8> = BTreeMap::new();
        for (key, hash) in matching_keys(&shard, &word.folded, as_prefix) {
            let file = word_path(&key, &hash);
            let bytes = reader.read(&file)?.to_vec();
            let variants =
                decode_entries(&bytes, manifest.docs).ok_or(SearchError::Damaged(file))?;
            let whole = key == word.folded;
            for (exact, lists) in variants {
                let tone = if toned && tone_matches(&exact, &word.exact, whole) {
                    3
                } else {
                    1
                };
                for (doc, fields) in lists.postings() {
                    if scope == Scope::Documents && doc < first_document {
                        continue;
                    }
                    let weight =
                        field_weight(fields, numbered && whole) * tone * if whole { 5 } else { 4 };
                    let best = scores.entry(doc).or_default();
                    *best = (*best).max(weight);
                    *fields_of.entry(doc).or_default() |= fields;
                }
            }
        }
        // Rarer syllables weigh more: ln(1 + N/df), in hundredths.
        let idf = (100.0 * (1.0 + n / scores.len().max(1) as f64).ln()).round() as u64;
        per_word.push((scores, idf));
        found_in.push(fields_of);
        shards.push(shard);
    }
    let Some((first, rest)) = per_word.split_first() else {
        return Ok(Answer {
            hits: Vec::new(),
            total: 0,
            files: reader.files,
        });
    };
    let mut totals: BTreeMap<u32, u64> = BTreeMap::new();
    for (&doc, &weight) in &first.0 {
        if rest.iter().all(|(scores, _)| scores.contains_key(&doc)) {
            let total = weight * first.1 + rest.iter().map(|(s, idf)| s[&doc] * idf).sum::<u64>();
            totals.insert(doc, total);
        }
    }
    // Syllables side by side in the query and in the document.
    if !totals.is_empty() {
        for (i, pair) in words.windows(2).enumerate() {
            // The pair's buckets are its first syllable's shard's.
            let buckets = &shards[i].pairs;
            if buckets.is_empty() {
                continue;
            }
            let key = format!("{} {}", pair[0].folded, pair[1].folded);
            let bucket = bucket_of(&key, buckets.len());
            let prefix = shard_prefix(&pair[0].folded);
            let file = bucket_path(&prefix, bucket, &buckets[bucket]);
            let bytes = reader.read(&file)?.to_vec();
            let entries =
                decode_entries(&bytes, manifest.docs).ok_or(SearchError::Damaged(file))?;
            let Some((_, lists)) = entries.into_iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let idf = per_word[i].1 + per_word[i + 1].1;
            for (doc, fields) in lists.postings() {
                if let Some(total) = totals.get_mut(&doc) {
                    *total += 2 * field_weight(fields, numbered) * 5 * idf;
                }
            }
        }
    }
    let mut ranked: Vec<(u32, u64)> = totals.into_iter().collect();
    let total = ranked.len();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    let mut hits = Vec::with_capacity(ranked.len());
    let pages = manifest.names_files();
    for (doc, score) in ranked {
        let chunk = doc as usize / manifest.meta_chunk.max(1);
        let page = chunk / NAMES_PER_FILE;
        let Some(page_hash) = pages.get(page) else {
            return Err(SearchError::Damaged("manifest.json".into()));
        };
        let names_file = names_path(page, page_hash);
        let at = chunk % NAMES_PER_FILE * 4;
        let hash = reader
            .read(&names_file)?
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .ok_or(SearchError::Damaged(names_file))?;
        let file = meta_path(chunk, u32::from_le_bytes(hash));
        let entries: Vec<[String; 5]> = reader.json(&file)?;
        let [url, title, date, category, summary] = entries
            .get(doc as usize % manifest.meta_chunk.max(1))
            .cloned()
            .ok_or(SearchError::Damaged(file))?;
        hits.push(Hit {
            url,
            title,
            date,
            category,
            summary,
            score,
            kind: if doc >= first_document {
                "document"
            } else {
                "article"
            },
            in_attachment: found_in.iter().all(|f| f.get(&doc) == Some(&ATTACHMENT)),
        });
    }
    Ok(Answer {
        hits,
        total,
        files: reader.files,
    })
}

/// Whether the index has the folded word `folded` (as a prefix, a word it
/// begins).
fn is_known(
    reader: &mut Reader<'_>,
    shard_names: &BTreeMap<&str, &str>,
    folded: &str,
    as_prefix: bool,
) -> Result<bool, SearchError> {
    let prefix = shard_prefix(folded);
    Ok(match shard_names.get(prefix.as_str()) {
        Some(hash) => {
            let shard: Shard = reader.json(&shard_path(&prefix, hash))?;
            !matching_keys(&shard, folded, as_prefix).is_empty()
        }
        None => false,
    })
}

/// `query` with each word the index does not know, but knows as Telex typed
/// with the input method off (`quyeets ddinhj` -> `quyết định`), written as
/// meant. A word the index knows is left alone (`cas`, `bus`, `xoong`).
fn from_telex_where_unknown(
    reader: &mut Reader<'_>,
    shard_names: &BTreeMap<&str, &str>,
    query: &str,
) -> Result<String, SearchError> {
    let words = syllables(query);
    let mut meant = String::with_capacity(query.len());
    let mut at = 0;
    for (i, word) in words.iter().enumerate() {
        let Some(telex) = from_telex(&query[word.start..word.end]) else {
            continue;
        };
        let as_prefix = i + 1 == words.len();
        if is_known(reader, shard_names, &word.folded, as_prefix)?
            || !is_known(reader, shard_names, &folded_key(&telex), as_prefix)?
        {
            continue;
        }
        meant.push_str(&query[at..word.start]);
        meant.push_str(&telex);
        at = word.end;
    }
    meant.push_str(&query[at..]);
    Ok(meant)
}

fn is_lone_letter(folded: &str) -> bool {
    let mut chars = folded.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

/// Whether a variant of the index matches a toned query syllable's tone: the same
/// exact key, or (for a prefix) an exact key that begins with the syllable's
/// letters and carries its tone.
fn tone_matches(variant: &str, query_exact: &str, whole: bool) -> bool {
    if whole {
        return variant == query_exact;
    }
    let letters = query_exact.trim_end_matches(TONE_SIGNS);
    let tone = &query_exact[letters.len()..];
    variant.starts_with(letters) && (tone.is_empty() || variant.ends_with(tone))
}

/// The dictionary keys a query syllable stands for, with their file hashes:
/// itself, and as a prefix (the last syllable, typed so far) the most common
/// keys it begins.
fn matching_keys(shard: &Shard, folded: &str, as_prefix: bool) -> Vec<(String, String)> {
    let shard = &shard.words;
    let start = shard.partition_point(|(k, _, _)| k.as_str() < folded);
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut longer: Vec<&(String, String, usize)> = Vec::new();
    for entry in shard[start..]
        .iter()
        .take_while(|(k, _, _)| k.starts_with(folded))
    {
        if entry.0 == folded {
            keys.push((entry.0.clone(), entry.1.clone()));
        } else if as_prefix {
            longer.push(entry);
        }
    }
    longer.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    keys.extend(
        longer
            .into_iter()
            .take(PREFIX_KEYS)
            .map(|(k, h, _)| (k.clone(), h.clone())),
    );
    keys
}

/// A match's weight by the fields it is in. A word of a document's number
/// counts as the number alone, whatever text repeats it, when the query holds
/// a number (a word with digits): so a document whose number holds every word
/// typed ranks above one whose abstract cites it. A query of words alone is
/// not looking for a number: there the number's words (its form, `Công văn`,
/// `Kế hoạch`, and codes) weigh as a title's, or "dan van" and "van hoa" would
/// rank every Công văn and Kế hoạch above the articles about them (while
/// `quyết định` still finds the Quyết định first). Nor does a
/// prefix's match (`số 20` is not a search for every number of 2020–2026, nor
/// `15` for 1520): the query passes `numbered` only for whole words.
fn field_weight(fields: u8, numbered: bool) -> u64 {
    if fields & NUMBER != 0 {
        if numbered {
            return 30;
        }
        return field_weight(fields & !NUMBER | TITLE, numbered);
    }
    [(TITLE, 10), (SUMMARY, 3), (BODY, 1), (ATTACHMENT, 1)]
        .into_iter()
        .filter(|&(field, _)| fields & field != 0)
        .map(|(_, weight)| weight)
        .sum()
}
