//! The YAML block at the top of an article, split from the body and checked field
//! by field against the contract (`CONTENT_FORMAT.md`).

use jiff::Zoned;
use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::dates::{DATE_FORMS, parse_date};
use super::text::decode_source;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, Field};

pub const KNOWN_FIELDS: &[&str] = &[
    "title", "date", "category", "views", "tags", "summary", "author", "source", "image", "slug",
    "aliases", "updated", "draft", "extra",
];

const SKELETON: &str = "an article starts with a line `---`, then `title:`, `date:` and \
`category:` lines, then a line `---`, then the text";

/// An article's fields, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Zoned,
    pub category: String,
    pub views: u64,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub image: Option<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub updated: Option<Zoned>,
    pub draft: bool,
    pub extra: Map<String, Value>,
    /// The file line of each field, by name, for problems found later.
    pub lines: FieldLines,
}

/// The file line on which each field of the front matter is written (shared:
/// every copy of an article holds the same).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldLines(std::sync::Arc<[(String, u32)]>);

impl FieldLines {
    /// The line of each of `fields`, whose YAML starts on file line `first_line`.
    pub(crate) fn of_fields(fields: &[Field], first_line: u32) -> FieldLines {
        FieldLines(
            fields
                .iter()
                .map(|f| (f.key.clone(), f.key_at.shifted(first_line).line))
                .collect(),
        )
    }

    /// The line of field `name`, if the front matter has it.
    pub fn of(&self, name: &str) -> Option<u32> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|&(_, line)| line)
    }
}

/// The longest slug a field may make: each is a folder's name on disk, which
/// holds 255 bytes at most, and an address a reader may have to type.
pub const MAX_SLUG_LEN: usize = 200;

/// An error at the line of `field` when `slug`, made of it, is too long to be
/// a part of an address.
pub(crate) fn slug_too_long(
    path: &str,
    lines: &FieldLines,
    field: &str,
    slug: &str,
) -> Option<Diagnostic> {
    (slug.len() > MAX_SLUG_LEN).then(|| {
        let named = match field {
            "tags" => "a tag of `tags`".to_string(),
            _ => format!("`{field}`"),
        };
        Diagnostic::error(
            path,
            format!(
                "{named} is too long to make an address of: {} characters once folded (`{}…`), at most {MAX_SLUG_LEN}",
                slug.len(),
                &slug[..40]
            ),
        )
        .at(lines.of(field).unwrap_or(1), 1)
        .with_hint(format!("shorten `{field}`: it names a page's address"))
    })
}

/// An article file cut in two: the front matter's YAML and the Markdown body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The file line on which the YAML starts (the line after the opening `---`).
    pub yaml_line: u32,
    pub body: &'a str,
    pub body_line: u32,
}

/// Cuts `text` (already decoded: `\n` line ends) at its `---` lines.
pub fn split<'t>(path: &str, text: &'t str) -> Result<Split<'t>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "the file is empty")
            .at(1, 1)
            .with_hint(SKELETON));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        let hint = if first.trim_end() == "+++" {
            "bantin reads YAML front matter between `---` lines, not TOML between `+++`".to_string()
        } else {
            SKELETON.to_string()
        };
        return Err(Diagnostic::error(path, "the article has no front matter")
            .at(1, 1)
            .with_hint(hint));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(lines) {
        if matches!(l.trim_end(), "---" | "...") {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(
        Diagnostic::error(path, "the front matter opened on line 1 is never closed")
            .at(1, 1)
            .with_hint("add a line with only `---` after the last field, before the text"),
    )
}

/// The text of a content file's `bytes` (a BOM dropped, lines ended by `\n`),
/// or the error at its first byte that is not UTF-8. Word's and Notepad's
/// "Unicode" text is UTF-16: it is read as the same text in UTF-8.
pub(crate) fn decode_file(path: &str, bytes: &[u8]) -> Result<String, Vec<Diagnostic>> {
    let utf8 = from_utf16(bytes);
    decode_source(utf8.as_deref().unwrap_or(bytes)).map_err(|e| {
        vec![
            Diagnostic::error(path, format!("the file is not UTF-8 text (byte 0x{:02X})", e.byte))
                .at(e.at.line, e.at.column)
                .with_hint("it was probably saved in an old encoding such as Windows-1258, TCVN3 or VNI; open it and save it again as UTF-8"),
        ]
    })
}

/// The text of a content file as an editor shows it to be changed: UTF-16
/// read as such (as [`decode_file`] reads it), bytes that are not UTF-8 as
/// U+FFFD.
pub fn editable_text(bytes: &[u8]) -> String {
    match from_utf16(bytes) {
        Some(utf8) => String::from_utf8_lossy(&utf8).into_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The text of a file saved as UTF-16 (Word's and Notepad's "Unicode"), as
/// UTF-8 bytes: with its byte order mark, or without one when it starts with
/// an ASCII character (as front matter and YAML do) and so a zero byte. `None` for any
/// other file, or one that is not whole UTF-16.
fn from_utf16(bytes: &[u8]) -> Option<Vec<u8>> {
    let (little_end, units) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        [a, 0, ..] if *a != 0 && a.is_ascii() => (true, bytes),
        [0, a, ..] if *a != 0 && a.is_ascii() => (false, bytes),
        _ => return None,
    };
    if units.len() % 2 != 0 {
        return None;
    }
    let units = units.chunks_exact(2).map(|pair| match little_end {
        true => u16::from_le_bytes([pair[0], pair[1]]),
        false => u16::from_be_bytes([pair[0], pair[1]]),
    });
    let text: String = char::decode_utf16(units).collect::<Result<_, _>>().ok()?;
    Some(text.into_bytes())
}

/// The fields of `split.yaml`, and a reader to check them with; or the
/// YAML's syntax error.
pub(crate) fn read_fields<'a>(
    path: &'a str,
    split: &Split,
) -> Result<(Vec<Field>, FieldReader<'a>), Vec<Diagnostic>> {
    let fields = yaml::parse_mapping(split.yaml).map_err(|e| {
        vec![
            Diagnostic::error(
                path,
                format!("the front matter is not valid YAML: {}", e.message),
            )
            .at_location(Some(e.at.shifted(split.yaml_line)))
            .with_hint(
                "write one `name: value` per line; put text containing `:` or `#` in double quotes",
            ),
        ]
    })?;
    let reader = FieldReader {
        path,
        first_line: split.yaml_line,
        problems: Vec::new(),
    };
    Ok((fields, reader))
}

/// Checks the fields of `split.yaml`; every problem is reported, each at its line.
pub fn parse(path: &str, split: &Split, tz: &TimeZone) -> Result<FrontMatter, Vec<Diagnostic>> {
    let (fields, mut reader) = read_fields(path, split)?;
    let mut title = None;
    let mut date = None;
    let mut category = None;
    let mut fm = FrontMatterOptional::default();
    for field in &fields {
        match field.key.as_str() {
            "title" => title = reader.required_text(field),
            "date" => date = reader.date(field, tz),
            "category" => category = reader.required_text(field),
            "views" => fm.views = reader.views(field).unwrap_or(0),
            "tags" => fm.tags = reader.text_list(field),
            "summary" => fm.summary = reader.optional_text(field),
            "author" => fm.author = reader.optional_text(field),
            "source" => fm.source = reader.optional_text(field),
            "image" => fm.image = reader.optional_text(field),
            "slug" => fm.slug = reader.optional_text(field),
            "aliases" => fm.aliases = reader.text_list(field),
            "updated" => fm.updated = reader.date(field, tz),
            "draft" => fm.draft = reader.flag(field),
            "extra" => fm.extra = reader.map(field),
            _ => reader.problems.push(yaml::unknown_field(
                path,
                field,
                KNOWN_FIELDS,
                split.yaml_line,
            )),
        }
    }
    let opening = Location { line: 1, column: 1 };
    for (name, present, example) in [
        (
            "title",
            fields.iter().any(|f| f.key == "title"),
            "title: \"Hội nghị tổng kết công tác dân vận năm 2013\"",
        ),
        (
            "date",
            fields.iter().any(|f| f.key == "date"),
            "date: 2014-01-17T14:05:00+07:00",
        ),
        (
            "category",
            fields.iter().any(|f| f.key == "category"),
            "category: \"Dân vận\"",
        ),
    ] {
        if !present {
            reader.problems.push(
                Diagnostic::error(path, format!("the article has no `{name}`"))
                    .at_location(Some(opening))
                    .with_hint(format!(
                        "add a line such as `{example}` to the front matter"
                    )),
            );
        }
    }
    match (title, date, category) {
        (Some(title), Some(date), Some(category)) if reader.problems.is_empty() => {
            Ok(FrontMatter {
                title,
                date,
                category,
                views: fm.views,
                tags: fm.tags,
                summary: fm.summary,
                author: fm.author,
                source: fm.source,
                image: fm.image,
                slug: fm.slug,
                aliases: fm.aliases,
                updated: fm.updated,
                draft: fm.draft,
                extra: fm.extra,
                lines: FieldLines::of_fields(&fields, split.yaml_line),
            })
        }
        _ => Err(reader.problems),
    }
}

#[derive(Default)]
struct FrontMatterOptional {
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
    extra: Map<String, Value>,
}

/// Turns fields into typed values, collecting a diagnostic for each bad one
/// (shared by every kind of front matter: articles and documents).
pub(crate) struct FieldReader<'a> {
    pub(crate) path: &'a str,
    pub(crate) first_line: u32,
    pub(crate) problems: Vec<Diagnostic>,
}

impl FieldReader<'_> {
    fn problem(&mut self, field: &Field, message: String, hint: &str) {
        self.problems.push(
            Diagnostic::error(self.path, message)
                .at_location(Some(field.value_at.shifted(self.first_line)))
                .with_hint(hint),
        );
    }

    /// Text of a scalar; numbers are taken as written (`title: 2024`).
    fn scalar_text(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    pub(crate) fn required_text(&mut self, field: &Field) -> Option<String> {
        match Self::scalar_text(&field.value) {
            Some(t) if !t.is_empty() => Some(t),
            None if !field.value.is_null() => {
                let msg = format!(
                    "`{}` should be text, not {}",
                    field.key,
                    yaml::describe(&field.value)
                );
                self.problem(
                    field,
                    msg,
                    "write the text in double quotes on the same line",
                );
                None
            }
            _ => {
                let msg = format!("`{}` is empty", field.key);
                self.problem(
                    field,
                    msg,
                    "write its text after the colon, in double quotes",
                );
                None
            }
        }
    }

    pub(crate) fn optional_text(&mut self, field: &Field) -> Option<String> {
        if field.value.is_null() {
            return None;
        }
        match Self::scalar_text(&field.value) {
            Some(t) if t.is_empty() => None,
            Some(t) => Some(t),
            None => {
                let msg = format!(
                    "`{}` should be text, not {}",
                    field.key,
                    yaml::describe(&field.value)
                );
                self.problem(
                    field,
                    msg,
                    "write the text in double quotes on the same line",
                );
                None
            }
        }
    }

    pub(crate) fn text_list(&mut self, field: &Field) -> Vec<String> {
        let items = match &field.value {
            Value::Null => return Vec::new(),
            Value::Array(items) => items
                .iter()
                .map(Self::scalar_text)
                .collect::<Option<Vec<_>>>(),
            single => Self::scalar_text(single).map(|t| vec![t]),
        };
        match items {
            Some(items) => items.into_iter().filter(|t| !t.is_empty()).collect(),
            None => {
                let msg = format!("`{}` should be a list of names", field.key);
                self.problem(
                    field,
                    msg,
                    &format!(
                        "write it as `{}: [\"quy chế dân chủ\", \"dân vận khéo\"]`",
                        field.key
                    ),
                );
                Vec::new()
            }
        }
    }

    pub(crate) fn date(&mut self, field: &Field, tz: &TimeZone) -> Option<Zoned> {
        let text = match &field.value {
            Value::String(s) => s.clone(),
            other => {
                let msg = format!(
                    "`{}` should be a date, not {}",
                    field.key,
                    yaml::describe(other)
                );
                self.problem(field, msg, DATE_FORMS);
                return None;
            }
        };
        match parse_date(&text, tz) {
            Ok(date) => Some(date),
            Err(msg) => {
                self.problem(field, format!("`{}`: {msg}", field.key), DATE_FORMS);
                None
            }
        }
    }

    fn views(&mut self, field: &Field) -> Option<u64> {
        if let Some(n) = field.value.as_u64() {
            return Some(n);
        }
        let hint = match &field.value {
            // `views: 4.351` is a Vietnamese thousands separator read as a fraction.
            Value::Number(n) if n.as_f64().is_some_and(|f| f > 0.0) => {
                "write the count without a thousands separator, e.g. `views: 4351`"
            }
            Value::String(s) if s.chars().any(|c| c.is_ascii_digit()) => {
                "write only digits, without separators or words, e.g. `views: 4351`"
            }
            _ => "write a whole number of 0 or more, e.g. `views: 4351`",
        };
        let shown = match &field.value {
            Value::String(s) => format!("`{s}`"),
            other => other.to_string(),
        };
        self.problem(
            field,
            format!("`views` should be a whole number of 0 or more, not {shown}"),
            hint,
        );
        None
    }

    pub(crate) fn flag(&mut self, field: &Field) -> bool {
        match &field.value {
            Value::Bool(b) => *b,
            Value::Null => false,
            _ => {
                let msg = format!("`{}` should be true or false", field.key);
                self.problem(
                    field,
                    msg,
                    "write `draft: true` to keep the article unpublished",
                );
                false
            }
        }
    }

    pub(crate) fn map(&mut self, field: &Field) -> Map<String, Value> {
        match &field.value {
            Value::Object(map) => map.clone(),
            Value::Null => Map::new(),
            other => {
                let msg = format!(
                    "`{}` should be a group of fields, not {}",
                    field.key,
                    yaml::describe(other)
                );
                self.problem(
                    field,
                    msg,
                    "indent its fields under it, e.g. `extra:` then `  photographer: \"Minh Thư\"`",
                );
                Map::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(7))
    }

    fn parse_text(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let split = split("a.md", text).map_err(|d| vec![d])?;
        parse("a.md", &split, &vn())
    }

    const GOOD: &str = "---\ntitle: \"Tổng kết công tác dân vận\"\ndate: 2014-01-17 14:05\ncategory: Dân vận\nviews: 4351\ntags: [dân vận khéo]\nextra:\n  photographer: Minh Thư\n---\n\nThân bài.\n";

    #[test]
    fn split_finds_body_and_its_line() {
        let s = split("a.md", GOOD).unwrap();
        assert_eq!(s.body, "\nThân bài.\n");
        assert_eq!(s.body_line, 10);
        assert!(s.yaml.starts_with("title:"));
    }

    #[test]
    fn good_front_matter_is_read() {
        let fm = parse_text(GOOD).unwrap();
        assert_eq!(fm.title, "Tổng kết công tác dân vận");
        assert_eq!(fm.views, 4351);
        assert_eq!(fm.tags, ["dân vận khéo"]);
        assert_eq!(fm.date.hour(), 14);
        assert_eq!(fm.extra["photographer"], "Minh Thư");
        assert!(!fm.draft);
        assert_eq!(fm.lines.of("title"), Some(2));
        assert_eq!(fm.lines.of("views"), Some(5));
        assert_eq!(fm.lines.of("summary"), None);
    }

    #[test]
    fn problems_are_reported_at_their_file_lines() {
        let text = "---\ntitle: \"x\"\ncatgory: Dân vận\ndate: 2014-02-30\nviews: -3\n---\n";
        let errs = parse_text(text).unwrap_err();
        let got: Vec<_> = errs
            .iter()
            .map(|d| (d.line.unwrap(), d.message.as_str()))
            .collect();
        assert_eq!(got[0].0, 3);
        assert!(got[0].1.contains("catgory"));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `category`?"));
        assert_eq!(got[1].0, 4);
        assert!(got[1].1.contains("not a real date"));
        assert_eq!(got[2].0, 5);
        assert!(got[2].1.contains("views"));
        assert!(got[3].1.contains("no `category`"));
        assert_eq!(errs.len(), 4);
    }

    #[test]
    fn thousands_separator_in_views_gets_a_hint() {
        let errs = parse_text("---\ntitle: x\ndate: 2014-01-17\ncategory: c\nviews: 4.351\n---\n")
            .unwrap_err();
        assert!(errs[0].hint.as_deref().unwrap().contains("thousands"));
        let errs = parse_text("---\ntitle: x\ndate: 2014-01-17\ncategory: c\nviews: nhiều\n---\n")
            .unwrap_err();
        assert!(errs[0].message.contains("`nhiều`"));
    }

    #[test]
    fn yaml_syntax_errors_point_into_the_file() {
        let errs = parse_text("---\ntitle: \"x\ndate: 2014-01-17\n---\nbody").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].message.contains("not valid YAML"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].line.unwrap() >= 2);
    }

    #[test]
    fn structural_problems() {
        assert!(split("a.md", "").unwrap_err().message.contains("empty"));
        assert!(
            split("a.md", "  \n\n")
                .unwrap_err()
                .message
                .contains("empty")
        );
        assert!(
            split("a.md", "# Tin\n")
                .unwrap_err()
                .message
                .contains("no front matter")
        );
        assert!(
            split("a.md", "---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
        let toml = split("a.md", "+++\ntitle = 'x'\n+++\n").unwrap_err();
        assert!(toml.hint.unwrap().contains("TOML"));
    }

    #[test]
    fn empty_title_is_an_error() {
        let errs =
            parse_text("---\ntitle: \"\"\ndate: 2014-01-17\ncategory: c\n---\n").unwrap_err();
        assert!(errs[0].message.contains("`title` is empty"));
    }
}
