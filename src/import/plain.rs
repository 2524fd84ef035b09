//! Plain-text pages (a page copied from the browser, or text saved by a crawler):
//! one block a line, since such text keeps each paragraph on its own line.

use std::sync::LazyLock;

use regex::Regex;

use super::page::{Block, Kind, collapse_spaces};

static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[.)]\s+(\S.*)$").expect("a valid pattern"));

/// Bullets that old editors typed or pasted before list items.
const BULLETS: &[char] = &[
    '•', '·', '-', '–', '*', '+', '●', '○', '■', '□', '◦', '▪', '►', '»',
];

/// Each non-empty line becomes a block; `1. …` and `• …` lines become list items.
/// Text wrapped at a fixed width (no line longer than [`WRAPPED_WIDTH`]) has its
/// paragraphs' lines joined again.
pub fn read_plain(text: &str) -> Vec<Block> {
    let lines: Vec<String> = text.lines().map(collapse_spaces).collect();
    let wrapped = lines.iter().all(|l| l.chars().count() <= WRAPPED_WIDTH)
        && lines
            .iter()
            .filter(|l| l.chars().count() >= WRAPPED_FULL)
            .count()
            >= 3;
    let mut joined: Vec<String> = Vec::new();
    let mut continues = false;
    for line in lines {
        if line.is_empty() {
            continues = false;
            continue;
        }
        let item = is_item(&line);
        match joined.last_mut() {
            Some(last) if wrapped && continues && !item => {
                last.push(' ');
                last.push_str(&line);
            }
            _ => joined.push(line.clone()),
        }
        // A full line of wrapped text goes on in the next line.
        continues = line.chars().count() >= WRAPPED_FULL;
    }
    joined.iter().map(|line| line_block(line)).collect()
}

/// The widest line of text wrapped by a tool (e-mail, `lynx -dump`, a PDF copy).
const WRAPPED_WIDTH: usize = 100;
/// A wrapped line this long was cut by the width, not by the paragraph's end.
const WRAPPED_FULL: usize = 60;

fn is_item(line: &str) -> bool {
    line_block(line).kind != Kind::Paragraph
}

fn line_block(line: &str) -> Block {
    if let Some(c) = NUMBERED.captures(line) {
        let number = c[1].parse().ok();
        return Block::paragraph(&c[2]).with_kind(Kind::Item(number));
    }
    let mut chars = line.chars();
    if let (Some(first), Some(' ')) = (chars.next(), chars.next())
        && BULLETS.contains(&first)
    {
        return Block::paragraph(chars.as_str()).with_kind(Kind::Item(None));
    }
    Block::paragraph(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_paragraphs_are_joined() {
        let line = "Hội nghị tổng kết công tác dân vận năm 2013 được tổ chức tại hội trường";
        let text = format!("Tiêu đề\n\n{line}\n{line}\ncuối đoạn.\n\n{line}\nđoạn hai.\n- mục\n");
        let blocks = read_plain(&text);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Tiêu đề".to_string(),
                format!("{line} {line} cuối đoạn."),
                format!("{line} đoạn hai."),
                "mục".to_string()
            ]
        );
    }

    #[test]
    fn lines_become_blocks_and_items() {
        let blocks =
            read_plain(" • Thành phố Hồ Chí Minh\n\n1. Tập trung công tác\n\u{a0}\nĐoạn văn.\n");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].kind, Kind::Item(None));
        assert_eq!(blocks[0].text, "Thành phố Hồ Chí Minh");
        assert_eq!(blocks[1].kind, Kind::Item(Some(1)));
        assert_eq!(blocks[2].kind, Kind::Paragraph);
    }
}
