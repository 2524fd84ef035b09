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
pub fn read_plain(text: &str) -> Vec<Block> {
    text.lines()
        .map(collapse_spaces)
        .filter(|line| !line.is_empty())
        .map(|line| line_block(&line))
        .collect()
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
