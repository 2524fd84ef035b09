//! A legacy page read into blocks in reading order (HTML and plain text alike),
//! and the blocks written back as Markdown.

/// One block of a page: a heading, a paragraph, a list item, a table or an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// The text as a reader sees it, on one line, spaces collapsed.
    pub text: String,
    /// The block as Markdown (without list markers: see [`Kind::Item`]).
    pub markdown: String,
    /// How much of `text` (in chars) sits inside links: menus are all links.
    pub link_chars: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Heading(u8),
    Paragraph,
    /// A list item; `Some(n)` in a numbered list.
    Item(Option<u32>),
    Table,
    Image,
}

impl Block {
    /// A paragraph of plain text (escaped for Markdown).
    pub fn paragraph(text: &str) -> Block {
        let text = collapse_spaces(text);
        Block {
            kind: Kind::Paragraph,
            markdown: escape_markdown(&text),
            text,
            link_chars: 0,
        }
    }

    pub fn with_kind(mut self, kind: Kind) -> Block {
        self.kind = kind;
        self
    }

    /// True when (nearly) all of the text is link text: a menu entry, a "Tin khác" item.
    pub fn is_all_links(&self) -> bool {
        let chars = self.text.chars().filter(|c| !c.is_whitespace()).count();
        chars > 0 && self.link_chars * 10 >= chars * 9
    }
}

/// Whitespace runs (including no-break spaces) -> one space; trimmed.
pub fn collapse_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text made safe to stand in Markdown as itself: `*`, `_`, `[`, `<` and the like are
/// escaped, and so is a start that would read as a heading, quote, list or rule.
pub fn escape_markdown(text: &str) -> String {
    escape_line_start(&escape_inline(text))
}

/// Inline specials escaped: `*`, `_`, `[`, `]`, `<`, `>`, `` ` ``, `|`, `\`.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A start that would read as a heading, list or rule, escaped.
pub fn escape_line_start(text: &str) -> String {
    let first = text.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=' | '~')) {
        return format!("\\{text}");
    }
    // "2014. Năm..." would start a numbered list.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')')) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_string()
}

/// The blocks as a Markdown body: blank lines between blocks, consecutive list
/// items of one kind in one list.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous: Option<Kind> = None;
    let mut number = 0;
    for block in blocks {
        let same_list = matches!(
            (previous, block.kind),
            (Some(Kind::Item(a)), Kind::Item(b)) if a.is_some() == b.is_some()
        );
        if !out.is_empty() {
            out.push_str(if same_list { "\n" } else { "\n\n" });
        }
        match block.kind {
            Kind::Heading(level) => {
                out.push_str(&"#".repeat(usize::from(level.clamp(2, 6))));
                out.push(' ');
                out.push_str(&block.markdown);
            }
            Kind::Item(None) => {
                out.push_str("- ");
                out.push_str(&indent_continuation(&block.markdown, 2));
            }
            Kind::Item(Some(n)) => {
                number = if same_list { number + 1 } else { n.max(1) };
                let marker = format!("{number}. ");
                out.push_str(&marker);
                out.push_str(&indent_continuation(&block.markdown, marker.len()));
            }
            Kind::Paragraph | Kind::Table | Kind::Image => out.push_str(&block.markdown),
        }
        previous = Some(block.kind);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn indent_continuation(markdown: &str, width: usize) -> String {
    markdown.replace('\n', &format!("\n{}", " ".repeat(width)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(
            escape_markdown("a*b_c [1] <x>"),
            "a\\*b\\_c \\[1\\] \\<x\\>"
        );
        assert_eq!(
            escape_markdown("# không phải tiêu đề"),
            "\\# không phải tiêu đề"
        );
        assert_eq!(escape_markdown("2014. Năm"), "2014\\. Năm");
        assert_eq!(escape_markdown("- gạch"), "\\- gạch");
    }

    #[test]
    fn items_make_lists_and_paragraphs_stand_apart() {
        let blocks = vec![
            Block::paragraph("Nhiệm vụ:"),
            Block::paragraph("Một").with_kind(Kind::Item(Some(1))),
            Block::paragraph("Hai").with_kind(Kind::Item(Some(2))),
            Block::paragraph("Ba").with_kind(Kind::Item(None)),
        ];
        assert_eq!(
            to_markdown(&blocks),
            "Nhiệm vụ:\n\n1. Một\n2. Hai\n\n- Ba\n"
        );
    }

    #[test]
    fn spaces_collapse() {
        assert_eq!(
            collapse_spaces("  Dịp này,\u{a0} Ban\n Dân vận "),
            "Dịp này, Ban Dân vận"
        );
    }
}
