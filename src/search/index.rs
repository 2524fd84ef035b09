//! Writes the search index into `public/search/`, split so that a query fetches
//! only what it needs:
//!
//! - `manifest.json` (small, fetched first): counts and the names of the files below;
//! - `dict/<c>.<hash>.json`: the folded syllables starting with `c`, each with its
//!   posting file and document count (prefix search reads the keys from here);
//! - `k/<syllable>.<hash>.bin`: one syllable's postings, per exact form;
//! - `b/<nn>.<hash>.bin`: postings of adjacent syllable pairs, in 256 buckets;
//! - `metaidx/<n>.<hash>.json` and `meta/<n>.<hash>.json`: what a hit shows (title,
//!   URL, date, category, summary), eight documents a file.
//!
//! Every file but the manifest is named by its content, so it can be cached for ever.
//! Postings are varint-encoded: document-id deltas (documents are numbered newest
//! first) and a byte of field flags.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{exact_key, folded_key, syllable_spans};
use crate::site::model::Site;

pub const INDEX_DIR: &str = "search";
/// Documents per metadata file.
pub const META_CHUNK: usize = 8;
/// Metadata files named per metadata-index file.
pub const META_INDEX_CHUNK: usize = 128;
pub const BIGRAM_BUCKETS: u64 = 256;
/// Longer "syllables" (URLs, codes) are not indexed.
pub const MAX_KEY_CHARS: usize = 24;

/// A key's documents (ascending ids) with the fields it appears in.
type Postings = Vec<(u32, u8)>;
/// A field's text and the byte spans of its syllables.
type FieldText = (String, Vec<(usize, usize)>);

pub const TITLE: u8 = 1;
pub const SUMMARY: u8 = 2;
pub const BODY: u8 = 4;

/// The files of the index, by path under the output folder.
pub struct IndexFiles {
    pub files: Vec<(String, Vec<u8>)>,
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    docs: usize,
    meta_chunk: usize,
    meta_index_chunk: usize,
    bigram_buckets: u64,
    /// First character of a folded key -> its dictionary file.
    dict: BTreeMap<String, String>,
    meta_index: Vec<String>,
    bigrams: Vec<String>,
}

/// Builds the index of the site's articles (drafts are never in a built site).
pub fn build_index(site: &Site) -> IndexFiles {
    // Per document: its three fields' text, and the spans of their syllables.
    let docs: Vec<[FieldText; 3]> = site
        .articles
        .par_iter()
        .map(|a| {
            let spans = |text: String| {
                let spans = syllable_spans(&text).collect();
                (text, spans)
            };
            [
                spans(a.title.clone()),
                spans(a.summary.clone()),
                spans(html_to_text(&a.body_html)),
            ]
        })
        .collect();

    // Keys are made once per distinct word and interned; postings grow in
    // document order, so appending (merging a repeated document's fields) keeps
    // them sorted.
    let mut surface_keys: HashMap<&str, Option<(u32, u32)>> = HashMap::default();
    let mut folded_ids: HashMap<String, u32> = HashMap::default();
    let mut exact_ids: HashMap<String, u32> = HashMap::default();
    let mut folded_names: Vec<String> = Vec::new();
    let mut exact_names: Vec<String> = Vec::new();
    let mut words: HashMap<(u32, u32), Postings> = HashMap::default();
    let mut pairs: HashMap<(u32, u32), Postings> = HashMap::default();
    fn add(postings: &mut Postings, doc: u32, field: u8) {
        match postings.last_mut() {
            Some((last, fields)) if *last == doc => *fields |= field,
            _ => postings.push((doc, field)),
        }
    }
    fn intern(ids: &mut HashMap<String, u32>, names: &mut Vec<String>, key: String) -> u32 {
        let next = names.len() as u32;
        *ids.entry(key).or_insert_with_key(|k| {
            names.push(k.clone());
            next
        })
    }
    for (id, fields) in docs.iter().enumerate() {
        let id = id as u32;
        for ((text, spans), field) in fields.iter().zip([TITLE, SUMMARY, BODY]) {
            let mut previous: Option<u32> = None;
            for &(start, end) in spans {
                let surface = &text[start..end];
                let keys = *surface_keys.entry(surface).or_insert_with(|| {
                    let folded = folded_key(surface);
                    (folded.chars().count() <= MAX_KEY_CHARS).then(|| {
                        let f = intern(&mut folded_ids, &mut folded_names, folded);
                        let e = intern(&mut exact_ids, &mut exact_names, exact_key(surface));
                        (f, e)
                    })
                });
                let Some((f, e)) = keys else {
                    previous = None;
                    continue;
                };
                add(words.entry((f, e)).or_default(), id, field);
                if let Some(before) = previous {
                    add(pairs.entry((before, f)).or_default(), id, field);
                }
                previous = Some(f);
            }
        }
    }

    let mut by_folded: BTreeMap<&str, Vec<(&str, Postings)>> = BTreeMap::new();
    for ((f, e), postings) in words {
        by_folded
            .entry(folded_names[f as usize].as_str())
            .or_default()
            .push((exact_names[e as usize].as_str(), postings));
    }
    let mut files = Vec::new();
    let mut dicts: BTreeMap<String, BTreeMap<String, (String, usize)>> = BTreeMap::new();
    for (folded, mut variants) in by_folded {
        variants.sort_by(|a, b| a.0.cmp(b.0));
        let mut bytes = Vec::new();
        put_varint(&mut bytes, variants.len() as u64);
        let mut all_docs: Vec<u32> = Vec::new();
        for (exact, postings) in &variants {
            put_str(&mut bytes, exact);
            put_postings(&mut bytes, postings);
            all_docs.extend(postings.iter().map(|(d, _)| *d));
        }
        all_docs.sort_unstable();
        all_docs.dedup();
        let name = format!("k/{}.{}.bin", file_key(folded), short_hash(&bytes));
        let first: String = folded.chars().next().map(String::from).unwrap_or_default();
        dicts
            .entry(first)
            .or_default()
            .insert(folded.to_string(), (name.clone(), all_docs.len()));
        files.push((name, bytes));
    }
    let mut dict_names = BTreeMap::new();
    for (first, entries) in dicts {
        let json = serde_json::to_vec(&entries).expect("a dictionary is plain data");
        let name = format!("dict/{}.{}.json", hex_name(&first), short_hash(&json));
        dict_names.insert(first, name.clone());
        files.push((name, json));
    }

    let mut buckets: Vec<Vec<(String, Postings)>> =
        (0..BIGRAM_BUCKETS).map(|_| Vec::new()).collect();
    for ((a, b), postings) in pairs {
        let pair = format!("{} {}", folded_names[a as usize], folded_names[b as usize]);
        buckets[(fnv1a(pair.as_bytes()) % BIGRAM_BUCKETS) as usize].push((pair, postings));
    }
    let mut bigram_names = Vec::new();
    for (n, mut bucket) in buckets.into_iter().enumerate() {
        bucket.sort_by(|a, b| a.0.cmp(&b.0));
        let mut bytes = Vec::new();
        put_varint(&mut bytes, bucket.len() as u64);
        for (pair, postings) in &bucket {
            put_str(&mut bytes, pair);
            put_postings(&mut bytes, postings);
        }
        let name = format!("b/{n:02x}.{}.bin", short_hash(&bytes));
        bigram_names.push(name.clone());
        files.push((name, bytes));
    }

    let meta_names: Vec<String> = site
        .articles
        .chunks(META_CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let entries: Vec<_> = chunk.iter().map(|a| meta_entry(site, a)).collect();
            let json = serde_json::to_vec(&entries).expect("metadata is plain data");
            let name = format!("meta/{n}.{}.json", short_hash(&json));
            files.push((name.clone(), json));
            name
        })
        .collect();
    let meta_index: Vec<String> = meta_names
        .chunks(META_INDEX_CHUNK)
        .enumerate()
        .map(|(n, names)| {
            let json = serde_json::to_vec(names).expect("names are plain data");
            let name = format!("metaidx/{n}.{}.json", short_hash(&json));
            files.push((name.clone(), json));
            name
        })
        .collect();

    let manifest = Manifest {
        version: 1,
        docs: site.articles.len(),
        meta_chunk: META_CHUNK,
        meta_index_chunk: META_INDEX_CHUNK,
        bigram_buckets: BIGRAM_BUCKETS,
        dict: dict_names,
        meta_index,
        bigrams: bigram_names,
    };
    files.push((
        "manifest.json".to_string(),
        serde_json::to_vec(&manifest).expect("plain data"),
    ));
    for (name, _) in &mut files {
        *name = format!("{INDEX_DIR}/{name}");
    }
    IndexFiles { files }
}

/// `[url, title, date_iso, date_short, category, summary]`, as hits show them.
fn meta_entry(site: &Site, a: &crate::site::model::Article) -> [String; 6] {
    [
        site.config.link(&a.url),
        a.title.clone(),
        crate::render::format::iso(&a.date),
        a.date.strftime("%d/%m/%Y").to_string(),
        site.categories[a.category].name.clone(),
        a.summary.clone(),
    ]
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

fn put_postings(out: &mut Vec<u8>, postings: &[(u32, u8)]) {
    put_varint(out, postings.len() as u64);
    let mut last = 0u32;
    for (i, &(doc, fields)) in postings.iter().enumerate() {
        put_varint(out, u64::from(if i == 0 { doc } else { doc - last }));
        out.push(fields);
        last = doc;
    }
}

/// The text of rendered HTML: tags dropped (each leaves a space), the entities
/// our HTML contains decoded. One pass: bodies are most of what is indexed.
pub fn html_to_text(html: &str) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        text.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            text.push(' ');
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else if let Some((entity, c)) = ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            text.push(*c);
            rest = &rest[entity.len()..];
        } else {
            text.push('&');
            rest = &rest[1..];
        }
    }
    text.push_str(rest);
    text
}

pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn short_hash(bytes: &[u8]) -> String {
    format!("{:08x}", fnv1a(bytes) & 0xffff_ffff)
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

/// A dictionary's first character as a file name (`d`, or `u1ea1` beyond ASCII).
pub fn hex_name(first: &str) -> String {
    match first.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
        Some(c) => format!("u{:x}", c as u32),
        None => "_".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(html_to_text("<p>Dân &amp; vận</p>").trim(), "Dân & vận");
        assert_eq!(html_to_text("a<b>b</b>c &lt;d&gt; &x"), "a b c <d> &x");
    }

    #[test]
    fn varints_round_trip_small_and_large() {
        let mut out = Vec::new();
        put_varint(&mut out, 1);
        put_varint(&mut out, 300);
        assert_eq!(out, [1, 0xAC, 0x02]);
    }
}
