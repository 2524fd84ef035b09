//! YAML mappings read field by field, each field with its line and column.
//!
//! Both `site.yaml` and front matter are read this way instead of straight into a
//! struct, so that every bad field can be reported at its own line, all in one run,
//! and an unknown field can be answered with the nearest known one.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
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

struct Fields(Vec<Field>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("fields written as `name: value`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value: Spanned<Value> = map.next_value()?;
                    fields.push(Field {
                        key: key.value,
                        key_at: location(&key.referenced),
                        value: value.value,
                        value_at: location(&value.referenced),
                    });
                }
                Ok(Fields(fields))
            }
            // An empty document (only comments, or nothing) is a mapping with no fields.
            fn visit_unit<E>(self) -> Result<Fields, E> {
                Ok(Fields(Vec::new()))
            }
            fn visit_none<E>(self) -> Result<Fields, E> {
                Ok(Fields(Vec::new()))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

fn location(l: &serde_saphyr::Location) -> Location {
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
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert_eq!(err.at.line, 2);
    }

    #[test]
    fn a_list_is_not_a_mapping() {
        let err = parse_mapping("- a\n- b\n").unwrap_err();
        assert!(err.message.contains("name: value"), "{}", err.message);
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
