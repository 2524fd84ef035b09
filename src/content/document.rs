//! The bytes of one document file (văn bản, under `content/van-ban/`) -> a
//! [`SourceDocument`], or every problem in it. The front matter is read by the
//! same machinery as an article's ([`super::front_matter`]): the same YAML
//! reader, date forms, hints and NFC/BOM/CRLF handling.

use jiff::Zoned;
use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::front_matter::{self, FieldLines};
use super::front_matter_text::{FieldValue, front_matter_text};
use super::text::{d_for_eth, slugify};
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml;

/// The folder of content/ whose Markdown files are documents.
pub const DOCUMENTS_DIR: &str = "van-ban";

pub const KNOWN_FIELDS: &[&str] = &[
    "number",
    "type",
    "issuer",
    "issued",
    "effective",
    "expires",
    "signer",
    "field",
    "title",
    "files",
    "replaces",
    "amends",
    "slug",
    "draft",
    "aliases",
    "extra",
];

/// The fields by the Vietnamese names clerks know them by (from the forms of
/// other portals' software), folded: `Người ký`, `nguoi_ky`, `nguoiKy` -> `nguoiky`.
const VIETNAMESE_NAMES: &[(&str, &str)] = &[
    ("so", "number"),
    ("sokyhieu", "number"),
    ("sohieu", "number"),
    ("kyhieu", "number"),
    ("sovanban", "number"),
    ("loai", "type"),
    ("loaivanban", "type"),
    ("hinhthuc", "type"),
    ("coquan", "issuer"),
    ("coquanbanhanh", "issuer"),
    ("noibanhanh", "issuer"),
    ("donvibanhanh", "issuer"),
    ("ngaybanhanh", "issued"),
    ("ngayky", "issued"),
    ("ngayhieuluc", "effective"),
    ("ngaycohieuluc", "effective"),
    ("hieuluc", "effective"),
    ("ngayhethieuluc", "expires"),
    ("hethieuluc", "expires"),
    ("nguoiky", "signer"),
    ("linhvuc", "field"),
    ("trichyeu", "title"),
    ("tieude", "title"),
    ("tenvanban", "title"),
    ("noidung", "title"),
    ("tep", "files"),
    ("tepdinhkem", "files"),
    ("dinhkem", "files"),
    ("taptin", "files"),
    ("file", "files"),
    ("thaythe", "replaces"),
    ("suadoi", "amends"),
    ("suadoibosung", "amends"),
];

/// The field a key names in Vietnamese (`nguoi_ky` -> `signer`), from `names`.
pub fn named_in_vietnamese(key: &str, names: &[(&str, &'static str)]) -> Option<&'static str> {
    let folded = slugify(key).replace('-', "");
    names
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|(_, field)| *field)
}

/// The required fields, each with an example line for the hint.
const REQUIRED: &[(&str, &str)] = &[
    ("number", "number: \"25/2024/QĐ-UBND\""),
    ("type", "type: \"Quyết định\""),
    ("issuer", "issuer: \"Ủy ban nhân dân phường An Khánh\""),
    ("issued", "issued: 2024-03-12"),
    (
        "title",
        "title: \"Ban hành Quy chế tiếp công dân của Ủy ban nhân dân phường\"",
    ),
];

const SKELETON: &str = "a document starts with a line `---`, then `number:`, `type:`, \
`issuer:`, `issued:` and `title:` lines, then a line `---` (`bantin new --document` writes one)";

/// A document's fields, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentFront {
    /// Số ký hiệu, as issued: `25/2024/QĐ-UBND`.
    pub number: String,
    /// Hình thức: `Quyết định`, `Kế hoạch`, …
    pub kind: String,
    /// Cơ quan ban hành.
    pub issuer: String,
    /// Ngày ban hành.
    pub issued: Zoned,
    pub effective: Option<Zoned>,
    pub expires: Option<Zoned>,
    pub signer: Option<String>,
    /// Lĩnh vực.
    pub field: Option<String>,
    /// Trích yếu.
    pub title: String,
    /// Attachments as written: asset paths, as in Markdown links.
    pub files: Vec<String>,
    /// Numbers of the documents this one replaces (thay thế).
    pub replaces: Vec<String>,
    /// Numbers of the documents this one amends (sửa đổi, bổ sung).
    pub amends: Vec<String>,
    pub slug: Option<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub extra: Map<String, Value>,
    /// The file line of each field, by name, for problems found later.
    pub lines: FieldLines,
}

/// A document as its file says it, before the register gives it a place.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDocument {
    /// Relative to content/: `van-ban/2024/25-2024-qd-ubnd.md`.
    pub source: String,
    pub front: DocumentFront,
    /// The Markdown after the front matter (NFC, `\n` line ends): a summary or
    /// the full text; may be empty.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: u32,
    /// The URL name: `slug` from the front matter, else [`number_slug`].
    pub slug: String,
    /// The number folded (`25-2024-qd-ubnd`): two spellings of one number
    /// (`QĐ`/`QD`, upper or lower case) are one number.
    pub number_key: String,
    /// A fingerprint of the file's bytes.
    pub file_print: crate::fingerprint::Fingerprint,
}

impl SourceDocument {
    /// The folder of the source, relative to content/ (`van-ban/2024`).
    pub fn source_dir(&self) -> &str {
        self.source.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The path editors know the file by.
    pub fn display_path(&self) -> String {
        super::sources::display_path(&self.source)
    }

    /// The year of `issued`, in the site's zone.
    pub fn year(&self) -> i16 {
        self.front.issued.year()
    }
}

/// Whether `rel` (relative to content/) is a document's file: a Markdown file
/// under `van-ban/`.
pub fn is_document(rel: &str) -> bool {
    rel.strip_prefix(DOCUMENTS_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
        && super::sources::is_article(rel)
}

/// The number as issued, out of the ways clerks copy it: the `Số:` before it
/// on the paper dropped; full-width forms (`２５／２０２４`, from an input
/// method) and dashes (`–`) made plain; the Icelandic `Ð` (U+00D0), which old
/// fonts and converters put for `Đ`, made `Đ`; spaces around `/` and `-`
/// dropped and others made one. `Số: 25 ／ 2024 ／ QÐ–UBND` -> `25/2024/QĐ-UBND`.
/// The register shows, links and finds a document by this form.
pub fn tidy_number(number: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let plain: String = number
        .nfkc()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_whitespace() => ' ',
            c => d_for_eth(c),
        })
        .collect();
    let mut rest = plain.trim();
    // `Số:`, `Số`, `so:`, `SỐ.`: only before a digit (`Sở Tư pháp` is not it).
    for prefix in ["Số", "số", "SỐ", "So", "so", "SO"] {
        if let Some(after) = rest.strip_prefix(prefix) {
            let after = after.trim_start_matches([':', '.', ' ']);
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                rest = after;
            }
            break;
        }
    }
    let mut out = String::with_capacity(rest.len());
    for word in rest.split(' ').filter(|w| !w.is_empty()) {
        let joins = |c: char| c == '/' || c == '-';
        if !out.is_empty() && !out.ends_with(joins) && !word.starts_with(joins) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The default slug: the number folded, with the year added when the number
/// does not hold it (numbers without a year restart every year).
/// `25/2024/QĐ-UBND` -> `25-2024-qd-ubnd`; `05/KH-UBND` of 2025 -> `05-kh-ubnd-2025`.
pub fn number_slug(number: &str, year: i16) -> String {
    let folded = slugify(number);
    let year = year.to_string();
    if folded.split('-').any(|part| part == year) {
        folded
    } else if folded.is_empty() {
        year
    } else {
        format!("{folded}-{year}")
    }
}

/// `bantin new --document`: the path (under content/) and text of a new
/// document file with every field, issued `today` (in the site's zone); the
/// optional fields are left empty for the clerk to fill in.
pub fn new_document(
    number: &str,
    kind: &str,
    issuer: &str,
    title: &str,
    today: &Zoned,
) -> Result<(String, String), String> {
    let number = tidy_number(number);
    let (number, kind, issuer, title) = (number.as_str(), kind.trim(), issuer.trim(), title.trim());
    if [number, kind, issuer, title]
        .iter()
        .any(|t| t.contains(['\n', '\r']))
    {
        return Err("the number, type, issuer and title must each be on one line".into());
    }
    for (name, value) in [
        ("number", number),
        ("type", kind),
        ("issuer", issuer),
        ("title", title),
    ] {
        if slugify(value).is_empty() {
            return Err(format!("the {name} `{value}` has no letters or digits"));
        }
    }
    let date = today.date().to_string();
    let empty = || FieldValue::Plain(String::new());
    let text = front_matter_text(&[
        ("number", FieldValue::Text(number.to_string())),
        ("type", FieldValue::Text(kind.to_string())),
        ("issuer", FieldValue::Text(issuer.to_string())),
        ("issued", FieldValue::Plain(date.clone())),
        ("effective", FieldValue::Plain(date)),
        ("expires", empty()),
        ("signer", FieldValue::Text(String::new())),
        ("field", FieldValue::Text(String::new())),
        ("title", FieldValue::Text(title.to_string())),
        ("files", FieldValue::List(Vec::new())),
        ("replaces", FieldValue::List(Vec::new())),
        ("amends", FieldValue::List(Vec::new())),
    ]);
    let rel = format!(
        "{DOCUMENTS_DIR}/{}/{}.md",
        today.year(),
        number_slug(number, today.year())
    );
    Ok((rel, text))
}

/// Reads one document. `source` is its path relative to content/.
pub fn parse_document(
    source: &str,
    bytes: &[u8],
    tz: &TimeZone,
) -> Result<SourceDocument, Vec<Diagnostic>> {
    let path = super::sources::display_path(source);
    let text = front_matter::decode_file(&path, bytes)?;
    let split = front_matter::split(&path, &text).map_err(|mut d| {
        // The split speaks of articles; this file is a document.
        d.message = d.message.replace("the article", "the document");
        if d.hint
            .as_deref()
            .is_some_and(|h| h.starts_with("an article starts"))
        {
            d.hint = Some(SKELETON.to_string());
        }
        vec![d]
    })?;
    let front = parse_front(&path, &split, tz)?;
    let number_key = slugify(&tidy_number(&front.number));
    if number_key.is_empty() {
        let line = front.lines.of("number").unwrap_or(1);
        return Err(vec![
            Diagnostic::error(
                &path,
                format!("the number `{}` has no letters or digits", front.number),
            )
            .at(line, 1)
            .with_hint("write the số ký hiệu as issued, e.g. `number: \"25/2024/QĐ-UBND\"`"),
        ]);
    }
    let (slug, slug_field) = match &front.slug {
        Some(given) if !slugify(given).is_empty() => (slugify(given), "slug"),
        _ => (
            number_slug(&tidy_number(&front.number), front.issued.year()),
            "number",
        ),
    };
    let facets = [
        ("type", Some(&front.kind)),
        ("issuer", Some(&front.issuer)),
        ("field", front.field.as_ref()),
    ];
    let too_long: Vec<Diagnostic> = facets
        .into_iter()
        .filter_map(|(field, value)| Some((field, slugify(value?))))
        .chain([(slug_field, slug.clone())])
        .filter_map(|(field, slug)| front_matter::slug_too_long(&path, &front.lines, field, &slug))
        .collect();
    if !too_long.is_empty() {
        return Err(too_long);
    }
    let body = if split.body.contains('\0') {
        split.body.replace('\0', "\u{FFFD}")
    } else {
        split.body.to_string()
    };
    Ok(SourceDocument {
        source: source.to_string(),
        body,
        body_line: split.body_line,
        slug,
        number_key,
        front,
        file_print: crate::fingerprint::fingerprint(bytes),
    })
}

/// Checks the fields of a document's front matter; every problem is reported,
/// each at its line.
fn parse_front(
    path: &str,
    split: &front_matter::Split,
    tz: &TimeZone,
) -> Result<DocumentFront, Vec<Diagnostic>> {
    let (fields, mut reader) = front_matter::read_fields(path, split)?;
    let (mut number, mut kind, mut issuer, mut issued, mut title) = (None, None, None, None, None);
    let mut effective = None;
    let mut expires = None;
    let mut signer = None;
    let mut field_name = None;
    let mut files = Vec::new();
    let mut replaces = Vec::new();
    let mut amends = Vec::new();
    let mut slug = None;
    let mut draft = false;
    let mut aliases = Vec::new();
    let mut extra = Map::new();
    for field in &fields {
        match field.key.as_str() {
            "number" => number = reader.required_text(field),
            "type" => kind = reader.required_text(field),
            "issuer" => issuer = reader.required_text(field),
            "issued" => issued = reader.date(field, tz),
            "title" => title = reader.required_text(field),
            // Left empty until known (`bantin new --document` writes them so).
            "effective" if !field.value.is_null() => effective = reader.date(field, tz),
            "expires" if !field.value.is_null() => expires = reader.date(field, tz),
            "effective" | "expires" => {}
            "signer" => signer = reader.optional_text(field),
            "field" => field_name = reader.optional_text(field),
            "files" => files = reader.text_list(field),
            "replaces" => replaces = reader.text_list(field),
            "amends" => amends = reader.text_list(field),
            "slug" => slug = reader.optional_text(field),
            "draft" => draft = reader.flag(field),
            "aliases" => aliases = reader.text_list(field),
            "extra" => extra = reader.map(field),
            _ => {
                let mut problem = yaml::unknown_field(path, field, KNOWN_FIELDS, split.yaml_line);
                if let Some(known) = named_in_vietnamese(&field.key, VIETNAMESE_NAMES) {
                    problem.hint = Some(format!(
                        "did you mean `{known}`? (the fields have English names: `{}` is `{known}`)",
                        field.key
                    ));
                }
                reader.problems.push(problem);
            }
        }
    }
    for (name, example) in REQUIRED {
        if !fields.iter().any(|f| f.key == *name) {
            reader.problems.push(
                Diagnostic::error(path, format!("the document has no `{name}`"))
                    .at_location(Some(Location { line: 1, column: 1 }))
                    .with_hint(format!(
                        "add a line such as `{example}` to the front matter"
                    )),
            );
        }
    }
    match (number, kind, issuer, issued, title) {
        (Some(number), Some(kind), Some(issuer), Some(issued), Some(title))
            if reader.problems.is_empty() =>
        {
            Ok(DocumentFront {
                number,
                kind,
                issuer,
                issued,
                effective,
                expires,
                signer,
                field: field_name,
                title,
                files,
                replaces,
                amends,
                slug,
                draft,
                aliases,
                extra,
                lines: FieldLines::of_fields(&fields, split.yaml_line),
            })
        }
        _ => Err(reader.problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn vn() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(7))
    }

    const DOCUMENT: &str = "---\nnumber: \"25/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: 2024-03-12\neffective: 2024-03-22\ntitle: \"Ban hành Quy chế tiếp công dân\"\nfiles: [\"/van-ban/2024/a.pdf\"]\nreplaces: [\"12/2019/QĐ-UBND\"]\n---\nTóm tắt.\n";

    #[test]
    fn documents_are_the_markdown_files_under_van_ban() {
        assert!(is_document("van-ban/2024/a.md"));
        assert!(is_document("van-ban/a.MD"));
        assert!(!is_document("van-ban/2024/a.pdf"));
        assert!(!is_document("van-ban-cu/a.md"));
        assert!(!is_document("tin/van-ban/a.md"));
    }

    #[test]
    fn fields_are_read() {
        let d = parse_document("van-ban/a.md", DOCUMENT.as_bytes(), &vn()).unwrap();
        assert_eq!(d.front.number, "25/2024/QĐ-UBND");
        assert_eq!(d.front.kind, "Quyết định");
        assert_eq!(d.front.files, ["/van-ban/2024/a.pdf"]);
        assert_eq!(d.front.replaces, ["12/2019/QĐ-UBND"]);
        assert_eq!(d.front.effective.as_ref().unwrap().day(), 22);
        assert_eq!(d.slug, "25-2024-qd-ubnd");
        assert_eq!(d.number_key, "25-2024-qd-ubnd");
        assert_eq!(d.body, "Tóm tắt.\n");
        assert_eq!(d.front.lines.of("files"), Some(8));
    }

    #[test]
    fn a_new_document_has_every_field_and_parses_back() {
        let today: Zoned = "2026-11-23T09:45:31+07:00[+07:00]".parse().unwrap();
        let (rel, text) = new_document(
            "05/KH-UBND",
            "Kế hoạch",
            "UBND phường An Khánh",
            "Kế hoạch \"năm\" 2026",
            &today,
        )
        .unwrap();
        assert_eq!(rel, "van-ban/2026/05-kh-ubnd-2026.md");
        for name in KNOWN_FIELDS.iter().take(12) {
            assert!(text.contains(&format!("\n{name}:")), "{name} in {text}");
        }
        let d = parse_document(&rel, text.as_bytes(), &vn()).unwrap();
        assert_eq!(d.front.title, "Kế hoạch \"năm\" 2026");
        assert_eq!(d.front.issued.date(), jiff::civil::date(2026, 11, 23));
        assert_eq!(d.front.expires, None);
        assert_eq!(d.front.signer, None);
        assert!(new_document("", "Kế hoạch", "UBND", "x", &today).is_err());
    }

    #[test]
    fn a_file_without_front_matter_is_told_how_a_document_starts() {
        let errs =
            parse_document("van-ban/a.md", "Quyết định số 5\n".as_bytes(), &vn()).unwrap_err();
        assert_eq!(errs[0].message, "the document has no front matter");
        assert!(errs[0].hint.as_deref().unwrap().contains("`number:`"));
    }

    #[test]
    fn numbers_without_a_year_take_the_year_of_issue_in_their_slug() {
        assert_eq!(number_slug("05/KH-UBND", 2025), "05-kh-ubnd-2025");
        assert_eq!(number_slug("25/2024/QĐ-UBND", 2024), "25-2024-qd-ubnd");
        assert_eq!(number_slug("123/UBND-VP", 2024), "123-ubnd-vp-2024");
    }

    #[test]
    fn nfd_crlf_bom_read_the_same_as_nfc() {
        let plain = parse_document("van-ban/a.md", DOCUMENT.as_bytes(), &vn()).unwrap();
        let messy: String = DOCUMENT.nfd().collect::<String>().replace('\n', "\r\n");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(messy.as_bytes());
        let messy = parse_document("van-ban/a.md", &bytes, &vn()).unwrap();
        assert_eq!(messy.front, plain.front);
        assert_eq!(messy.body, plain.body);
        assert_eq!(messy.slug, plain.slug);
    }

    #[test]
    fn numbers_are_tidied_as_issued_and_left_alone_when_they_are() {
        for (written, tidy) in [
            ("Số: 25/2024/QĐ-UBND", "25/2024/QĐ-UBND"),
            ("số 25 / 2024 / QĐ - UBND", "25/2024/QĐ-UBND"),
            ("SỐ.05/KH-UBND", "05/KH-UBND"),
            ("２５／２０２４／QĐ–UBND", "25/2024/QĐ-UBND"),
            ("25/2024/QÐ-UBND", "25/2024/QĐ-UBND"),
            ("06-CTr/TU", "06-CTr/TU"),
            ("Sở 12/KH", "Sở 12/KH"),
            ("Số hiệu", "Số hiệu"),
            ("123/UBND-VP", "123/UBND-VP"),
        ] {
            assert_eq!(tidy_number(written), tidy, "{written}");
        }
        let today: Zoned = "2026-11-23T09:45:31+07:00[+07:00]".parse().unwrap();
        let (rel, text) =
            new_document("Số: 07／KH–UBND", "Kế hoạch", "UBND", "Kế hoạch", &today).unwrap();
        assert_eq!(rel, "van-ban/2026/07-kh-ubnd-2026.md");
        assert!(text.contains("number: \"07/KH-UBND\""), "{text}");
    }

    #[test]
    fn a_field_named_in_vietnamese_is_told_its_name() {
        let text = DOCUMENT
            .replace("issued:", "Ngày ban hành:")
            .replace("files:", "tep_dinh_kem:");
        let errs = parse_document("van-ban/a.md", text.as_bytes(), &vn()).unwrap_err();
        let hints: Vec<&str> = errs.iter().filter_map(|d| d.hint.as_deref()).collect();
        assert!(hints.contains(&"did you mean `issued`? (the fields have English names: `Ngày ban hành` is `issued`)"), "{hints:?}");
        assert!(
            hints.contains(
                &"did you mean `files`? (the fields have English names: `tep_dinh_kem` is `files`)"
            ),
            "{hints:?}"
        );
    }

    #[test]
    fn problems_are_reported_at_their_lines_with_hints() {
        let text = "---\nnumber: \"05/KH-UBND\"\ntyp: \"Kế hoạch\"\nissuer: \"UBND\"\nissued: 2025-02-30\n---\n";
        let errs = parse_document("van-ban/a.md", text.as_bytes(), &vn()).unwrap_err();
        let unknown = errs.iter().find(|d| d.message.contains("typ")).unwrap();
        assert_eq!(unknown.line, Some(3));
        assert_eq!(unknown.hint.as_deref(), Some("did you mean `type`?"));
        let date = errs
            .iter()
            .find(|d| d.message.contains("not a real date"))
            .unwrap();
        assert_eq!(date.line, Some(5));
        assert!(errs.iter().any(|d| d.message.contains("no `title`")));
        assert!(errs.iter().any(|d| d.message.contains("no `type`")));
    }
}
