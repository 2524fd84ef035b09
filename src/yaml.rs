//! YAML mappings read field by field, each field with its line and column.
//!
//! Both `site.yaml` and front matter are read this way instead of straight into a
//! struct, so that every bad field can be reported at its own line, all in one run,
//! and an unknown field can be answered with the nearest known one.

use serde::de::{Deserialize, Deserializer, MapAccess, Unexpected, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Location};

/// One `key: value` of a mapping, located in the file it came from.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub key_at: Location,
    pub value: Value,
    pub value_at: Location,
}

/// A document of fields: nothing at all (only comments, or `~`) is no fields.
struct Fields(Vec<Field>);

/// The fields of one mapping inside a document, such as an item of a list:
/// nothing (`-` alone, or `~`) is not a mapping, but an error at it.
pub struct Mapping(pub Vec<Field>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = FieldsVisitor {
            nothing_is_empty: true,
        };
        deserializer.deserialize_map(visitor).map(Fields)
    }
}

impl<'de> Deserialize<'de> for Mapping {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = FieldsVisitor {
            nothing_is_empty: false,
        };
        deserializer.deserialize_map(visitor).map(Mapping)
    }
}

struct FieldsVisitor {
    /// Whether nothing reads as a mapping without fields.
    nothing_is_empty: bool,
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Vec<Field>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("fields written as `name: value`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Field>, A::Error> {
        let mut fields = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            fields.push(field(key, map.next_value()?));
        }
        Ok(fields)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<Field>, E> {
        match self.nothing_is_empty {
            true => Ok(Vec::new()),
            false => Err(E::invalid_type(Unexpected::Unit, &self)),
        }
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Vec<Field>, E> {
        match self.nothing_is_empty {
            true => Ok(Vec::new()),
            false => Err(E::invalid_type(Unexpected::Option, &self)),
        }
    }
}

/// A field of a mapping read by serde-saphyr, its key and value located.
pub fn field(key: Spanned<String>, value: Spanned<Value>) -> Field {
    Field {
        key: key.value,
        key_at: location(&key.referenced),
        value: value.value,
        value_at: location(&value.referenced),
    }
}

/// A place in the text serde-saphyr read, from 1:1.
pub fn location(l: &serde_saphyr::Location) -> Location {
    Location {
        line: l.line().max(1) as u32,
        column: l.column().max(1) as u32,
    }
}

/// A YAML syntax problem, located in the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub at: Location,
}

/// Reads `text` as a YAML mapping. Locations are relative to `text`'s first line.
pub fn parse_mapping(text: &str) -> Result<Vec<Field>, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    if let Some(fields) = plain_mapping(text) {
        return Ok(fields);
    }
    parse_with_saphyr(text)
}

/// Reads the front matter most articles have without the YAML parser, which
/// costs more than the rest of reading an article: one `key: value` a line,
/// each value a double-quoted text without escapes, a list of such texts in
/// `[…]`, a whole number, `true`/`false`, a date or a slug. `None` for
/// anything else (comments, other quoting, nesting, a key twice…): the parser
/// reads that, and reports what is wrong. The fields are those the parser
/// would give, locations included.
fn plain_mapping(text: &str) -> Option<Vec<Field>> {
    // Far from the parser's limits (1,024 characters a key, 64 MiB of text…).
    if text.len() > 64 * 1024 {
        return None;
    }
    let mut fields: Vec<Field> = Vec::new();
    for (line, text) in (1u32..).zip(text.split('\n')) {
        if text.is_empty() {
            continue;
        }
        let field = plain_field(text, Location { line, column: 1 }, plain_value)?;
        if fields.iter().any(|f| f.key == field.key) {
            return None;
        }
        fields.push(field);
    }
    Some(fields)
}

/// One `key: value` line of the plain form (its key at `at`, the value as
/// `value` reads it), as the parser reads it; `None` if it is not one.
pub(crate) fn plain_field(
    text: &str,
    at: Location,
    value: impl Fn(&str) -> Option<Value>,
) -> Option<Field> {
    let (key, text) = text.split_once(": ")?;
    if !is_plain_key(key) {
        return None;
    }
    Some(Field {
        key: key.to_string(),
        key_at: at,
        value: value(text)?,
        // The key is ASCII: its length is its width in characters.
        value_at: Location {
            line: at.line,
            column: at.column + key.len() as u32 + 2,
        },
    })
}

/// A key the parser reads as the same text: lower-case words joined by `_`
/// (no `true`, `null`, `yes`… which it reads as other things).
fn is_plain_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.len() <= 64
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        && !matches!(
            key,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

/// A value of the plain form, as the parser reads it; `None` for any other.
pub(crate) fn plain_value(value: &str) -> Option<Value> {
    match value.as_bytes().first()? {
        b'"' => plain_quoted(value).map(Value::from),
        b'[' => {
            let items = value.strip_prefix('[')?.strip_suffix(']')?;
            if items.is_empty() {
                return Some(Value::Array(Vec::new()));
            }
            items
                .split(", ")
                .map(|item| plain_quoted(item).map(Value::from))
                .collect::<Option<Vec<Value>>>()
                .map(Value::Array)
        }
        b'0'..=b'9' if is_whole_number(value) => value.parse::<u64>().ok().map(Value::from),
        _ if value == "true" || value == "false" => Some(Value::Bool(value == "true")),
        b'0'..=b'9' if is_date(value) => Some(Value::from(value)),
        b'a'..=b'z' if is_slug(value) => Some(Value::from(value)),
        _ => None,
    }
}

/// The text of `"…"` when it holds no `"`, no `\` and nothing YAML treats
/// apart (control characters, line and paragraph separators, BOM).
fn plain_quoted(quoted: &str) -> Option<&str> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let plain = !inner.contains(['"', '\\'])
        && !inner.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
                )
        });
    plain.then_some(inner)
}

/// `0` or digits not starting with `0` (which YAML may read as octal), short
/// enough for a `u64`.
fn is_whole_number(value: &str) -> bool {
    (value == "0" || !value.starts_with('0'))
        && value.len() <= 18
        && value.bytes().all(|b| b.is_ascii_digit())
}

/// `2014-01-17`, `2014-01-17T14:05`, `2014-01-17T14:05:00`, each maybe with `Z`
/// or an offset (`+07:00`): text to the parser, read as a date later.
fn is_date(value: &str) -> bool {
    fn digits(s: &str, n: usize) -> bool {
        s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
    }
    fn clock(s: &str) -> bool {
        let mut parts = s.split(':');
        parts.clone().count() <= 3 && parts.clone().count() >= 2 && parts.all(|p| digits(p, 2))
    }
    let (day, time) = match value.split_once('T') {
        Some((day, time)) => (day, Some(time)),
        None => (value, None),
    };
    let mut ymd = day.split('-');
    let day_ok = matches!(
        (ymd.next(), ymd.next(), ymd.next(), ymd.next()),
        (Some(y), Some(m), Some(d), None) if digits(y, 4) && digits(m, 2) && digits(d, 2)
    );
    let time_ok = match time {
        None => true,
        Some(t) => {
            let t = t.strip_suffix('Z').unwrap_or(t);
            match t.find(['+', '-']) {
                Some(i) => clock(&t[..i]) && clock(&t[i + 1..]) && t[i + 1..].len() == 5,
                None => clock(t),
            }
        }
    };
    day_ok && time_ok
}

/// `quan-4-tong-ket`: lower-case letters and digits in words joined by single
/// hyphens, at least two words, the first starting with a letter (so never a
/// number, a boolean or null to the parser).
fn is_slug(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_lowercase())
        && value.contains('-')
        && value.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Reads `text` with serde-saphyr: anything YAML, and its syntax errors.
fn parse_with_saphyr(text: &str) -> Result<Vec<Field>, SyntaxError> {
    serde_saphyr::from_str::<Fields>(text)
        .map(|fields| fields.0)
        .map_err(|err| {
            let at = err
                .location()
                .map(|l| location(&l))
                .unwrap_or(Location { line: 1, column: 1 });
            SyntaxError {
                message: plain_message(&err.without_snippet().to_string()),
                at,
            }
        })
}

/// serde-saphyr writes `unclosed quote at line 1, column 8` (or, with a snippet,
/// `error: line 1 column 8: unclosed quote`); our diagnostics carry the location
/// themselves, so keep only the message.
fn plain_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let message = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, m)| m),
        None => first,
    };
    let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    // The parser's own words name its options: a clerk needs the key.
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split_once(", set ").map_or(rest, |(key, _)| key);
        return format!("`{key}` is written twice (a duplicate field): keep one of the two lines");
    }
    match message {
        "expected mapping start" => "expected fields written as `name: value`".to_string(),
        m => m.to_string(),
    }
}

/// The known name nearest to `unknown`, if it is near enough to be a likely typo.
pub fn nearest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    let unknown = unknown.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&unknown, k), *k))
        .filter(|(distance, k)| *distance <= (k.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// The error for a field that is not one of `known`, with a suggestion when one fits.
pub fn unknown_field(path: &str, field: &Field, known: &[&str], first_line: u32) -> Diagnostic {
    let d = Diagnostic::error(path, format!("unknown field `{}`", field.key))
        .at_location(Some(field.key_at.shifted(first_line)));
    match nearest(&field.key, known) {
        Some(k) => d.with_hint(format!("did you mean `{k}`?")),
        None => d.with_hint(format!("the known fields are: {}", known.join(", "))),
    }
}

/// A short description of a YAML value, for messages ("a number", "a list").
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a group of fields",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_carry_their_lines() {
        let fields = parse_mapping("title: \"Tin\"\n\nviews: 12\n").unwrap();
        assert_eq!(fields[1].key, "views");
        assert_eq!(fields[1].key_at, Location { line: 3, column: 1 });
        assert_eq!(fields[1].value, Value::from(12));
    }

    #[test]
    fn syntax_error_has_plain_message_and_location() {
        let err = parse_mapping("title: 'Tin\n").unwrap_err();
        assert_eq!(err.message, "unclosed quote");
        assert_eq!(err.at, Location { line: 1, column: 8 });
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse_mapping("title: a\ntitle: b\n").unwrap_err();
        assert_eq!(
            err.message,
            "`title` is written twice (a duplicate field): keep one of the two lines"
        );
        assert_eq!(err.at.line, 2);
    }

    #[test]
    fn a_list_is_not_a_mapping() {
        let err = parse_mapping("- a\n- b\n").unwrap_err();
        assert!(err.message.contains("name: value"), "{}", err.message);
    }

    /// Both readers, field by field: keys, values and locations.
    fn both(text: &str) -> (Option<Vec<Field>>, Result<Vec<Field>, SyntaxError>) {
        (plain_mapping(text), parse_with_saphyr(text))
    }

    fn same(a: &[Field], b: &[Field]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(a, b)| {
                (&a.key, a.key_at, &a.value, a.value_at) == (&b.key, b.key_at, &b.value, b.value_at)
            })
    }

    #[test]
    fn plain_front_matter_reads_as_the_parser_reads_it() {
        let text = "title: \"Quận 4: chuyển biến # tốt\"\ndate: 2019-04-10T05:10:48+07:00\nslug: quan-4-chuyen-bien-5\ncategory: \"Dân vận\"\nviews: 991\ntags: [\"dân vận khéo\", \"tết\"]\n\ndraft: false\naliases: []\nupdated: 2019-04-10\n";
        let (plain, parsed) = both(text);
        let (plain, parsed) = (plain.expect("plain"), parsed.unwrap());
        assert_eq!(plain.len(), 9);
        assert!(same(&plain, &parsed), "{plain:?}\n{parsed:?}");
    }

    #[test]
    fn anything_else_goes_to_the_parser() {
        for text in [
            "title: 'Tin'\n",
            "title: \"a\\\"b\"\n",
            "title: \"a\" # note\n",
            "# comment\ntitle: \"a\"\n",
            "title: \"a\"\ntitle: \"b\"\n",
            "views: 012\n",
            "views: 1e-5\n",
            "draft: yes\n",
            "slug: 1e-5\n",
            "slug: abc\n",
            "extra:\n  a: 1\n",
            "title:  \"a\"\n",
            "title: \"a\"  \n",
            "null: \"a\"\n",
            "Title: \"a\"\n",
            "tags: [\"a\",\"b\"]\n",
            "date: 2019-04-10 05:10\n",
            "title: \"a\tb\"\n",
        ] {
            assert!(plain_mapping(text).is_none(), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the plain reader accepts, the parser reads the same.
        #[test]
        fn plain_reader_agrees_with_the_parser(
            lines in proptest::collection::vec(
                (
                    "[a-z_]{1,8}",
                    proptest::prop_oneof![
                        "\"[a-zA-Z0-9 :#'\\[\\]{},&*!|>%@`ưđạệ-]{0,12}\"",
                        "\\[(\"[a-z ,ạ]{0,5}\"(, )?){0,3}\\]",
                        "[0-9]{1,20}",
                        "[a-z0-9]{1,4}(-[a-z0-9]{1,4}){0,3}",
                        "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?",
                        "true|false|yes|null|~",
                    ],
                ),
                0..6,
            )
        ) {
            let text: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            if let (Some(plain), parsed) = both(&text) {
                let parsed = parsed.map_err(|e| e.message);
                proptest::prop_assert!(parsed.is_ok(), "{:?}: {:?}", text, parsed);
                let parsed = parsed.unwrap();
                proptest::prop_assert!(same(&plain, &parsed), "{:?}\n{:?}\n{:?}", text, plain, parsed);
            }
        }
    }

    #[test]
    fn nearest_suggests_typos_only() {
        let known = ["title", "date", "category", "views"];
        assert_eq!(nearest("catgory", &known), Some("category"));
        assert_eq!(nearest("Title", &known), Some("title"));
        assert_eq!(nearest("view", &known), Some("views"));
        assert_eq!(nearest("photographer", &known), None);
    }
}
