//! A page of the old portal's register of documents ("Chi tiết văn bản": a table
//! or lines of `Số ký hiệu`, `Ngày ban hành`, `Trích yếu`…) -> the fields of a
//! document (văn bản) of this site's register, under content/van-ban/.
//!
//! What the page does not show of the fields the register needs (the form, the
//! issuing body, the date of issue, the abstract) is left for the clerk: the file
//! is written outside content/ (`import-incomplete/`), where the build does not
//! read it, and the report names each field to fill in.

use jiff::civil::Date;

use super::dates::find_date;
use super::page::{Block, Kind};
use crate::content::front_matter_text::{FieldValue, front_matter_text};

/// The fields of a document as the old page gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportedDocument {
    pub number: String,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub issued: Option<Date>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    pub signer: Option<String>,
    pub field: Option<String>,
    pub title: Option<String>,
    /// The attachments' addresses as the body's Markdown writes them.
    pub files: Vec<String>,
    /// Blocks of the page that are not fields (a summary, the full text).
    pub body: String,
    /// The texts of the blocks the fields were read from.
    field_texts: Vec<String>,
    /// The form was guessed from the number (`QĐ` -> Quyết định).
    pub kind_guessed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Number,
    Kind,
    Issuer,
    Issued,
    Effective,
    Expires,
    Signer,
    Field,
    Title,
    Files,
}

/// The labels old registers printed, lower-case, without the colon.
const LABELS: &[(&str, Label)] = &[
    ("số ký hiệu", Label::Number),
    ("số kí hiệu", Label::Number),
    ("số/ký hiệu", Label::Number),
    ("số hiệu", Label::Number),
    ("ký hiệu", Label::Number),
    ("số văn bản", Label::Number),
    ("số hiệu văn bản", Label::Number),
    ("loại văn bản", Label::Kind),
    ("hình thức văn bản", Label::Kind),
    ("hình thức", Label::Kind),
    ("thể loại", Label::Kind),
    ("cơ quan ban hành", Label::Issuer),
    ("đơn vị ban hành", Label::Issuer),
    ("nơi ban hành", Label::Issuer),
    ("ngày ban hành", Label::Issued),
    ("ngày ký", Label::Issued),
    ("ngày văn bản", Label::Issued),
    ("ngày có hiệu lực", Label::Effective),
    ("ngày hiệu lực", Label::Effective),
    ("hiệu lực từ ngày", Label::Effective),
    ("ngày hết hiệu lực", Label::Expires),
    ("người ký", Label::Signer),
    ("người ký duyệt", Label::Signer),
    ("lĩnh vực", Label::Field),
    ("trích yếu", Label::Title),
    ("trích yếu nội dung", Label::Title),
    ("tên văn bản", Label::Title),
    ("tệp đính kèm", Label::Files),
    ("file đính kèm", Label::Files),
    ("tập tin đính kèm", Label::Files),
    ("văn bản đính kèm", Label::Files),
    ("đính kèm", Label::Files),
    ("tải về", Label::Files),
];

fn label_of(text: &str) -> Option<Label> {
    let lower = text
        .trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase();
    LABELS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, label)| *label)
}

/// The page's document fields, when it shows a number and at least two other
/// fields of a register (a news article that mentions "số ký hiệu" is no document).
pub fn find_document(blocks: &[Block]) -> Option<ImportedDocument> {
    let mut document = ImportedDocument::default();
    let mut fields = 0;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        i += 1;
        // A label alone in its block, its value in the next (`<div class="label">`).
        if block.kind == Kind::Paragraph
            && let Some(label) = label_of(&block.text)
            && let Some(value) = blocks.get(i).filter(|b| label_of(&b.text).is_none())
        {
            fields += usize::from(document.set(label, &value.markdown));
            document.field_texts.push(block.text.clone());
            document.field_texts.push(value.text.clone());
            i += 1;
            continue;
        }
        let pairs = label_pairs(block);
        if pairs.is_empty() {
            rest.push(block.clone());
            continue;
        }
        document.field_texts.push(block.text.clone());
        for (label, markdown) in pairs {
            fields += usize::from(document.set(label, &markdown));
        }
    }
    if document.number.is_empty() || fields < 3 {
        return None;
    }
    if document.kind.is_none() {
        document.kind = kind_by_number(&document.number).map(str::to_string);
        document.kind_guessed = document.kind.is_some();
    }
    document.body = super::page::to_markdown(&rest);
    Some(document)
}

impl ImportedDocument {
    /// Sets the field `label` from its value's Markdown; whether it was set.
    fn set(&mut self, label: Label, markdown: &str) -> bool {
        let text = plain_text(markdown);
        if text.is_empty() {
            return false;
        }
        let date = || find_date(&text).map(|d| d.date);
        let value = Some(text.clone());
        match label {
            Label::Number => self.number = crate::content::document::tidy_number(&text),
            Label::Kind => self.kind = value,
            Label::Issuer => self.issuer = value,
            Label::Issued => self.issued = date(),
            Label::Effective => self.effective = date(),
            Label::Expires => self.expires = date(),
            Label::Signer => self.signer = value,
            Label::Field => self.field = value,
            Label::Title => self.title = value,
            Label::Files => {
                self.files
                    .extend(crate::content::markdown::destinations(markdown));
            }
        }
        true
    }

    /// The body: the page's text (as the article's reading of it left it, without
    /// menus and counters) but the fields.
    pub fn keep_body(&mut self, body: &[Block]) {
        let rest: Vec<Block> = body
            .iter()
            .filter(|b| !self.field_texts.contains(&b.text))
            .cloned()
            .collect();
        self.body = super::page::to_markdown(&rest);
    }

    /// The fields the page gave, in the contract's words.
    pub fn found(&self) -> Vec<&'static str> {
        let mut found = vec!["number"];
        for (name, present) in [
            ("type", self.kind.is_some() && !self.kind_guessed),
            ("issuer", self.issuer.is_some()),
            ("issued", self.issued.is_some()),
            ("effective", self.effective.is_some()),
            ("expires", self.expires.is_some()),
            ("signer", self.signer.is_some()),
            ("field", self.field.is_some()),
            ("title", self.title.is_some()),
            ("files", !self.files.is_empty()),
        ] {
            if present {
                found.push(name);
            }
        }
        found
    }

    /// The year its file is filed under: of issue, else `fallback`'s.
    pub fn year(&self, fallback: Date) -> i16 {
        self.issued.unwrap_or(fallback).year()
    }

    /// The fields the register needs that the page did not give.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.kind.is_none() {
            missing.push("type");
        }
        if self.issuer.is_none() {
            missing.push("issuer");
        }
        if self.issued.is_none() {
            missing.push("issued");
        }
        if self.title.is_none() {
            missing.push("title");
        }
        missing
    }
}

/// `(label, value)` pairs of a block: the rows of a two-column (or four-column)
/// table, or a line `Số ký hiệu: 25/2022/QĐ-UBND`.
fn label_pairs(block: &Block) -> Vec<(Label, String)> {
    match block.kind {
        Kind::Table => {
            let mut pairs = Vec::new();
            for line in block.markdown.lines() {
                let cells = table_cells(line);
                for pair in cells.chunks(2) {
                    if let [label, value] = pair
                        && let Some(label) = label_of(&plain_text(label))
                    {
                        pairs.push((label, value.clone()));
                    }
                }
            }
            pairs
        }
        Kind::Paragraph | Kind::Item(_) => {
            let Some((label, value)) = block.markdown.split_once(':') else {
                return Vec::new();
            };
            label_of(&plain_text(label))
                .map(|label| vec![(label, value.trim().to_string())])
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// The cells of a Markdown table row (`| a | b \| c |`), split at unescaped bars.
fn table_cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut escaped = false;
    for c in inner.chars() {
        if c == '|' && !escaped {
            cells.push(cell.trim().to_string());
            cell.clear();
            continue;
        }
        escaped = c == '\\' && !escaped;
        cell.push(c);
    }
    if !cell.trim().is_empty() {
        cells.push(cell.trim().to_string());
    }
    cells
}

/// Markdown as the text a reader sees: links' text, escapes and emphasis undone.
fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => text.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => text.push(' '),
            pulldown_cmark::Event::InlineHtml(html) if html.starts_with("<br") => text.push(' '),
            _ => {}
        }
    }
    super::page::collapse_spaces(&text)
}

/// The form a number's code names: `25/2022/QĐ-UBND` -> Quyết định.
fn kind_by_number(number: &str) -> Option<&'static str> {
    let code = number.split('/').find_map(|part| {
        let head = part.split('-').next()?.trim().to_uppercase();
        (!head.is_empty() && !head.chars().all(|c| c.is_ascii_digit())).then_some(head)
    })?;
    Some(match code.as_str() {
        "QĐ" | "QD" => "Quyết định",
        "NQ" => "Nghị quyết",
        "CT" => "Chỉ thị",
        "KH" => "Kế hoạch",
        "TB" => "Thông báo",
        "BC" => "Báo cáo",
        "HD" => "Hướng dẫn",
        "CV" | "UBND" => "Công văn",
        "TTr" | "TTR" => "Tờ trình",
        "GM" => "Giấy mời",
        _ => return None,
    })
}

/// The document file's text: the register's fields and where the page came from.
pub fn document_text(
    document: &ImportedDocument,
    aliases: Option<&str>,
    extra: Vec<(String, FieldValue)>,
) -> String {
    let text = |v: &Option<String>| v.clone().map(FieldValue::Text);
    let date = |v: &Option<Date>| v.map(|d| FieldValue::Plain(d.to_string()));
    let mut fields: Vec<(&str, FieldValue)> =
        vec![("number", FieldValue::Text(document.number.clone()))];
    for (name, value) in [
        ("type", text(&document.kind)),
        ("issuer", text(&document.issuer)),
        ("issued", date(&document.issued)),
        ("effective", date(&document.effective)),
        ("expires", date(&document.expires)),
        ("signer", text(&document.signer)),
        ("field", text(&document.field)),
        ("title", text(&document.title)),
    ] {
        if let Some(value) = value {
            fields.push((name, value));
        }
    }
    if !document.files.is_empty() {
        fields.push(("files", FieldValue::List(document.files.clone())));
    }
    if let Some(alias) = aliases {
        fields.push(("aliases", FieldValue::List(vec![alias.to_string()])));
    }
    fields.push(("extra", FieldValue::Map(extra)));
    let mut out = front_matter_text(&fields);
    out.push_str(&document.body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, &str)]) -> Block {
        let mut lines = Vec::new();
        for (i, (label, value)) in rows.iter().enumerate() {
            lines.push(format!("| {label} | {value} |"));
            if i == 0 {
                lines.push("| --- | --- |".into());
            }
        }
        Block {
            kind: Kind::Table,
            text: String::new(),
            markdown: lines.join("\n"),
            link_chars: 0,
        }
    }

    #[test]
    fn a_register_table_gives_the_fields() {
        let d = find_document(&[table(&[
            ("Số ký hiệu", "25/2022/QĐ\\-UBND"),
            ("Ngày ban hành", "12/03/2022"),
            ("Cơ quan ban hành", "Ủy ban nhân dân Quận 3"),
            ("Trích yếu", "Ban hành **Quy chế** tiếp công dân"),
            ("Tệp đính kèm", "[tải về](/Uploads/a.pdf)"),
        ])])
        .unwrap();
        assert_eq!(d.number, "25/2022/QĐ-UBND");
        assert_eq!(d.issued, Some(Date::new(2022, 3, 12).unwrap()));
        assert_eq!(d.kind.as_deref(), Some("Quyết định"));
        assert!(d.kind_guessed);
        assert_eq!(d.title.as_deref(), Some("Ban hành Quy chế tiếp công dân"));
        assert_eq!(d.files, ["/Uploads/a.pdf"]);
        assert!(d.missing().is_empty());
    }

    #[test]
    fn an_article_mentioning_a_number_is_no_document() {
        let block = Block::paragraph("Số ký hiệu: 25/2022/QĐ-UBND");
        assert!(find_document(&[block, Block::paragraph("Hội nghị tổng kết.")]).is_none());
    }

    #[test]
    fn a_document_without_an_issuer_names_it_missing() {
        let d = find_document(&[
            Block::paragraph("Số hiệu: 05/KH-UBND"),
            Block::paragraph("Ngày ban hành: 05/12/2022"),
            Block::paragraph("Trích yếu: Kế hoạch tổ chức Tết"),
        ])
        .unwrap();
        assert_eq!(d.missing(), ["issuer"]);
        assert!(!document_text(&d, None, Vec::new()).contains("issuer"));
    }
}
