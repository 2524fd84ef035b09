//! Front matter written out: an article's fields as the YAML block that
//! [`super::front_matter`] reads back. Shared by `bantin new` and `bantin import`.

/// The value of one field, written as YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Text, always double-quoted (titles hold `:`, `#` and quotes).
    Text(String),
    /// Written as is: dates (`2014-01-17 14:05`), `true`.
    Plain(String),
    Number(u64),
    /// A flow list of texts: `["a", "b"]`.
    List(Vec<String>),
    /// A nested map, one field a line, indented by two spaces.
    Map(Vec<(String, FieldValue)>),
}

/// `---`, one line per field in the given order, `---`, an empty line.
pub fn front_matter_text(fields: &[(&str, FieldValue)]) -> String {
    let mut text = String::from("---\n");
    for (name, value) in fields {
        write_field(&mut text, name, value, 0);
    }
    text.push_str("---\n\n");
    text
}

fn write_field(text: &mut String, name: &str, value: &FieldValue, indent: usize) {
    text.push_str(&" ".repeat(indent));
    text.push_str(name);
    text.push(':');
    match value {
        FieldValue::Text(s) => {
            text.push(' ');
            text.push_str(&quote(s));
        }
        FieldValue::Plain(s) => {
            text.push(' ');
            text.push_str(s);
        }
        FieldValue::Number(n) => {
            text.push(' ');
            text.push_str(&n.to_string());
        }
        FieldValue::List(items) => {
            let items: Vec<String> = items.iter().map(|s| quote(s)).collect();
            text.push_str(&format!(" [{}]", items.join(", ")));
        }
        FieldValue::Map(fields) => {
            text.push('\n');
            for (name, value) in fields {
                write_field(text, name, value, indent + 2);
            }
            return;
        }
    }
    text.push('\n');
}

/// A YAML double-quoted scalar: `Hội nghị "Dân vận khéo"` -> `"Hội nghị \"Dân vận khéo\""`.
/// Line breaks and other control characters are escaped, so any text stays one line.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::article::parse_article;

    #[test]
    fn written_fields_parse_back() {
        let text = front_matter_text(&[
            ("title", FieldValue::Text("Tin \"mới\": a\\b\n#1".into())),
            ("date", FieldValue::Plain("2014-01-17 14:05".into())),
            ("category", FieldValue::Text("Dân vận".into())),
            ("views", FieldValue::Number(4351)),
            (
                "aliases",
                FieldValue::List(vec!["/Pages/tin-cu.aspx".into()]),
            ),
            (
                "extra",
                FieldValue::Map(vec![(
                    "imported_from".into(),
                    FieldValue::Text("tin.html".into()),
                )]),
            ),
        ]) + "Nội dung.\n";
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
        let article = parse_article("a.md", text.as_bytes(), &tz).unwrap();
        assert_eq!(article.front.title, "Tin \"mới\": a\\b\n#1");
        assert_eq!(article.front.views, 4351);
        assert_eq!(article.front.aliases, ["/Pages/tin-cu.aspx"]);
        assert_eq!(article.front.extra["imported_from"], "tin.html");
    }
}
