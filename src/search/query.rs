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

use super::index::{BIGRAM_BUCKETS, BODY, SUMMARY, TITLE, fnv1a};
use super::text::{has_marks, syllables};
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
    #[serde(skip)]
    pub date_short: String,
    #[serde(skip)]
    pub category: String,
    #[serde(skip)]
    pub summary: String,
    pub score: u64,
}

/// The hits, and every file the query read with its size (what a browser fetches).
#[derive(Debug, Default)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub files: Vec<(String, usize)>,
}

#[derive(Deserialize)]
struct Manifest {
    docs: u32,
    meta_chunk: usize,
    meta_index_chunk: usize,
    dict: BTreeMap<String, String>,
    meta_index: Vec<String>,
    bigrams: Vec<String>,
}

/// A key's documents (ascending ids) with the fields it appears in.
type Postings = Vec<(u32, u8)>;

/// Keys a prefix may stand for, at most.
const PREFIX_KEYS: usize = 20;

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
    let mut reader = Reader {
        source,
        files: Vec::new(),
        cache: HashMap::new(),
    };
    let manifest: Manifest = reader.json("manifest.json")?;
    let query = to_nfc(query.to_string());
    let words = syllables(&query);
    if words.is_empty() {
        return Ok(Answer {
            hits: Vec::new(),
            files: reader.files,
        });
    }
    let n = manifest.docs.max(1) as f64;
    let mut per_word: Vec<(BTreeMap<u32, u64>, u64)> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let is_last = i + 1 == words.len();
        let toned = has_marks(&query[word.start..word.end]);
        let first = word
            .folded
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default();
        let Some(dict_file) = manifest.dict.get(&first).cloned() else {
            return Ok(Answer {
                hits: Vec::new(),
                files: reader.files,
            });
        };
        let dict: BTreeMap<String, (String, usize)> = reader.json(&dict_file)?;
        // A lone letter is too short to stand for every word it begins.
        let as_prefix = is_last && (words.len() > 1 || word.folded.chars().count() >= 2);
        let keys = matching_keys(&dict, &word.folded, as_prefix);
        let mut scores: BTreeMap<u32, u64> = BTreeMap::new();
        for key in &keys {
            let (file, _) = &dict[key];
            let file = file.clone();
            let bytes = reader.read(&file)?.to_vec();
            let variants = decode_word(&bytes).ok_or_else(|| SearchError::Damaged(file.clone()))?;
            let whole = *key == word.folded;
            for (exact, postings) in variants {
                let tone = if !toned {
                    1
                } else if exact == word.exact
                    || (!whole
                        && exact
                            .starts_with(word.exact.trim_end_matches(['`', '\'', '~', '?', '.'])))
                {
                    3
                } else {
                    1
                };
                for (doc, fields) in postings {
                    let weight = field_weight(fields) * tone * if whole { 5 } else { 4 };
                    let best = scores.entry(doc).or_default();
                    *best = (*best).max(weight);
                }
            }
        }
        // Rarer syllables weigh more: ln(1 + N/df), in hundredths.
        let idf = (100.0 * (1.0 + n / scores.len().max(1) as f64).ln()).round() as u64;
        per_word.push((scores, idf));
    }
    let (first, rest) = per_word.split_first().expect("at least one syllable");
    let mut totals: BTreeMap<u32, u64> = BTreeMap::new();
    for (&doc, &weight) in &first.0 {
        if rest.iter().all(|(scores, _)| scores.contains_key(&doc)) {
            let total = weight * first.1 + rest.iter().map(|(s, idf)| s[&doc] * idf).sum::<u64>();
            totals.insert(doc, total);
        }
    }
    // Syllables side by side in the query and in the document.
    for (i, pair) in words.windows(2).enumerate() {
        let key = format!("{} {}", pair[0].folded, pair[1].folded);
        let bucket = (fnv1a(key.as_bytes()) % BIGRAM_BUCKETS) as usize;
        let Some(file) = manifest.bigrams.get(bucket).cloned() else {
            continue;
        };
        let bytes = reader.read(&file)?.to_vec();
        let pairs = decode_pairs(&bytes).ok_or_else(|| SearchError::Damaged(file.clone()))?;
        if let Some(postings) = pairs.get(&key) {
            let idf = per_word[i].1 + per_word[i + 1].1;
            for &(doc, fields) in postings {
                if let Some(total) = totals.get_mut(&doc) {
                    *total += 2 * field_weight(fields) * 5 * idf;
                }
            }
        }
    }
    let mut ranked: Vec<(u32, u64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    let mut hits = Vec::with_capacity(ranked.len());
    for (doc, score) in ranked {
        let chunk = doc as usize / manifest.meta_chunk;
        let index_file = manifest
            .meta_index
            .get(chunk / manifest.meta_index_chunk)
            .cloned()
            .ok_or_else(|| SearchError::Damaged("manifest.json".into()))?;
        let names: Vec<String> = reader.json(&index_file)?;
        let meta_file = names
            .get(chunk % manifest.meta_index_chunk)
            .cloned()
            .ok_or_else(|| SearchError::Damaged(index_file.clone()))?;
        let entries: Vec<[String; 6]> = reader.json(&meta_file)?;
        let [url, title, date, date_short, category, summary] = entries
            .get(doc as usize % manifest.meta_chunk)
            .cloned()
            .ok_or_else(|| SearchError::Damaged(meta_file.clone()))?;
        hits.push(Hit {
            url,
            title,
            date,
            date_short,
            category,
            summary,
            score,
        });
    }
    Ok(Answer {
        hits,
        files: reader.files,
    })
}

/// The dictionary keys a query syllable stands for: itself, and as a prefix (the
/// last syllable, typed so far) the most common keys it begins.
fn matching_keys(
    dict: &BTreeMap<String, (String, usize)>,
    folded: &str,
    as_prefix: bool,
) -> Vec<String> {
    let mut keys: Vec<String> = dict
        .contains_key(folded)
        .then(|| folded.to_string())
        .into_iter()
        .collect();
    if as_prefix {
        let mut longer: Vec<(&String, usize)> = dict
            .range(folded.to_string()..)
            .take_while(|(k, _)| k.starts_with(folded))
            .filter(|(k, _)| k.as_str() != folded)
            .map(|(k, (_, df))| (k, *df))
            .collect();
        longer.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        keys.extend(longer.into_iter().take(PREFIX_KEYS).map(|(k, _)| k.clone()));
    }
    keys
}

fn field_weight(fields: u8) -> u64 {
    let mut weight = 0;
    if fields & TITLE != 0 {
        weight += 10;
    }
    if fields & SUMMARY != 0 {
        weight += 3;
    }
    if fields & BODY != 0 {
        weight += 1;
    }
    weight
}

struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.data.get(self.at)?;
            self.at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(value);
            }
        }
        None
    }

    fn string(&mut self) -> Option<String> {
        let len = self.varint()? as usize;
        let s = std::str::from_utf8(self.data.get(self.at..self.at + len)?)
            .ok()?
            .to_string();
        self.at += len;
        Some(s)
    }

    fn postings(&mut self) -> Option<Postings> {
        let count = self.varint()?;
        let mut doc = 0u64;
        let mut out = Vec::with_capacity(count.min(1 << 20) as usize);
        for i in 0..count {
            let delta = self.varint()?;
            doc = if i == 0 { delta } else { doc + delta };
            let fields = *self.data.get(self.at)?;
            self.at += 1;
            out.push((u32::try_from(doc).ok()?, fields));
        }
        Some(out)
    }
}

fn decode_word(data: &[u8]) -> Option<Vec<(String, Postings)>> {
    let mut b = Bytes { data, at: 0 };
    let count = b.varint()?;
    (0..count)
        .map(|_| Some((b.string()?, b.postings()?)))
        .collect()
}

fn decode_pairs(data: &[u8]) -> Option<HashMap<String, Postings>> {
    let mut b = Bytes { data, at: 0 };
    let count = b.varint()?;
    (0..count)
        .map(|_| Some((b.string()?, b.postings()?)))
        .collect()
}
