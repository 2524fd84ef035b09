//! The shapes the memo keeps the pipeline's values in: the content's and the
//! model's types know nothing of being kept, and the memo says here how each is
//! written (serde's remote derives, read straight into the types themselves).
//!
//! What differs from the values: an article's Markdown is not kept (its body is,
//! rendered), a body's HTML is kept apart from the rest (see [`super::file`]),
//! dates are kept as the instants they name (put back in the site's zone when
//! read), and front matter's free fields as JSON text.

use std::sync::Arc;

use jiff::Zoned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::content::article::SourceArticle;
use crate::content::front_matter::{FieldLines, FrontMatter};
use crate::content::markdown::{LinkProblem, Reference};
use crate::diagnostics::Location;
use crate::fingerprint::Fingerprint;
use crate::site::model::{Article, Body, Html};

#[derive(Serialize, Deserialize)]
#[serde(remote = "FrontMatter")]
struct SavedFrontMatter {
    title: String,
    date: Zoned,
    category: String,
    views: u64,
    tags: Vec<String>,
    summary: Option<String>,
    author: Option<String>,
    source: Option<String>,
    image: Option<String>,
    slug: Option<String>,
    aliases: Vec<String>,
    updated: Option<Zoned>,
    draft: bool,
    #[serde(with = "as_json")]
    extra: Map<String, Value>,
    lines: FieldLines,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "SourceArticle")]
struct SavedSource {
    source: String,
    #[serde(with = "SavedFrontMatter")]
    front: FrontMatter,
    #[serde(skip)]
    body: String,
    #[serde(skip, default = "dropped")]
    markdown_dropped: bool,
    body_line: u32,
    slug: String,
    category_slug: String,
    tags: Vec<(String, String)>,
    file_print: Fingerprint,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Article")]
struct SavedArticle {
    file: String,
    title: String,
    #[serde(with = "instant")]
    date: Zoned,
    #[serde(with = "instant_or_none")]
    updated: Option<Zoned>,
    category: usize,
    tags: Vec<usize>,
    views: u64,
    summary: String,
    author: Option<String>,
    source: Option<String>,
    image: Option<String>,
    aliases: Vec<String>,
    #[serde(with = "as_json")]
    extra: Map<String, Value>,
    slug: String,
    url: String,
    #[serde(skip)]
    body_html: Html,
    body_print: Fingerprint,
    image_in_body: bool,
    draft: bool,
    category_position: usize,
    lines: FieldLines,
    body_line: u32,
    references: Arc<[(Location, Reference)]>,
    summary_given: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Body")]
struct SavedBody {
    #[serde(skip)]
    html: Html,
    print: Fingerprint,
    first_paragraph: String,
    problems: Vec<(Location, LinkProblem)>,
    references: Arc<[(Location, Reference)]>,
}

/// An article file's reading, to save (its Markdown left out).
#[derive(Serialize)]
pub struct SourceToSave<'a>(#[serde(with = "SavedSource")] pub &'a SourceArticle);

/// An article file's reading as saved: its Markdown dropped.
#[derive(Deserialize)]
pub struct SavedSourceArticle(#[serde(with = "SavedSource")] pub SourceArticle);

/// An article of the model, to save (its body's HTML left out).
#[derive(Serialize)]
pub struct ArticleToSave<'a>(#[serde(with = "SavedArticle")] pub &'a Article);

/// An article of the model as saved, its dates in UTC and its body's HTML empty.
#[derive(Deserialize)]
pub struct SavedModelArticle(#[serde(with = "SavedArticle")] pub Article);

/// A body, to save (its HTML left out).
#[derive(Serialize)]
pub struct BodyToSave<'a>(#[serde(with = "SavedBody")] pub &'a Body);

/// A body as saved, its HTML empty.
#[derive(Deserialize)]
pub struct SavedBodyOf(#[serde(with = "SavedBody")] pub Body);

/// What an article read from the cache says of its Markdown: not kept.
fn dropped() -> bool {
    true
}

/// Serde for a JSON map as its JSON text (the cache's format cannot tell a
/// value's kind by itself).
mod as_json {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::{Map, Value};

    pub fn serialize<S: Serializer>(map: &Map<String, Value>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(map).map_err(S::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

/// Serde for a date as the instant it names (nanoseconds since 1970), read back
/// in UTC: a time zone costs more to write and read than the date itself, and
/// every date of a model is in the site's zone.
mod instant {
    use jiff::{Timestamp, Zoned, tz::TimeZone};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &Zoned, s: S) -> Result<S::Ok, S::Error> {
        date.timestamp().as_nanosecond().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Zoned, D::Error> {
        let nanos = i128::deserialize(d)?;
        let at = Timestamp::from_nanosecond(nanos).map_err(D::Error::custom)?;
        Ok(at.to_zoned(TimeZone::UTC))
    }
}

/// [`instant`] for a date that may be missing.
mod instant_or_none {
    use jiff::{Timestamp, Zoned, tz::TimeZone};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<Zoned>, s: S) -> Result<S::Ok, S::Error> {
        date.as_ref()
            .map(|d| d.timestamp().as_nanosecond())
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Zoned>, D::Error> {
        Option::<i128>::deserialize(d)?
            .map(|nanos| {
                let at = Timestamp::from_nanosecond(nanos).map_err(D::Error::custom)?;
                Ok(at.to_zoned(TimeZone::UTC))
            })
            .transpose()
    }
}
