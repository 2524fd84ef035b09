//! A page's blocks -> the article: title, date, category, views, author and source
//! from the lines around the text, the body without the portal's chrome.
//!
//! A page reads top to bottom as: chrome and menus, the category and date line
//! (`Nghị quyết trung ương 4 17 Tháng Giêng 2014 2:05:00 CH`), the title, the
//! text, the view counter, "Tin khác" lists. The title is the short line next to
//! the date line (or the `<h1>`); the text starts at the first line that cannot be
//! a title. What is neither chrome nor a field stays in the body.

use std::sync::LazyLock;

use regex::Regex;

use super::chrome::{chrome_reason, is_related_heading};
use super::dates::{LegacyDate, find_date};
use super::html::Hints;
use super::page::{Block, Kind};
use crate::content::text::shorten;

/// What one page gave, field by field, and what was guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub title: Option<String>,
    pub date: Option<LegacyDate>,
    pub category: Option<String>,
    pub views: Option<u64>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub body: Vec<Block>,
    /// Fields filled by a guess, each with how it was guessed.
    pub guesses: Vec<(&'static str, String)>,
    /// Blocks left out as chrome.
    pub chrome_blocks: usize,
    /// Text kept in the body that a person should look at: short lines above the
    /// title that are neither chrome nor a field, and text after the article's end.
    pub unclassified: Vec<String>,
}

static VIEWS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:số\s+lượt\s+người\s+xem|số\s+lượt\s+xem|lượt\s+xem|lượt\s+đọc|số\s+lần\s+đọc|số\s+lần\s+xem|đã\s+xem|views?|hits?)\s*[:：]?\s*(?P<a>\d{1,3}(?:[.,]\d{3})+|\d+)|(?P<b>\d{1,3}(?:[.,]\d{3})+|\d+)\s+lượt\s+(?:xem|đọc))")
        .expect("a valid pattern")
});

/// Words around a date that only label it: `Ngày đăng`, `Cập nhật lúc`, `Thứ Năm`.
static DATE_LABELS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\s|[|:,\-–(]|ngày\s+đăng|đăng\s+ngày|ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lúc)?|ngày\s+đưa\s+tin|đăng\s+lúc|ngày|lúc|thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|posted|published|date)*$")
        .expect("a valid pattern")
});

static LABELLED_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?\s*(?P<label>tác\s+giả|người\s+viết|tin,?\s*(?:và\s+|-\s*)?ảnh|bài,?\s*(?:và\s+|-\s*)?ảnh|bài\s+viết|nguồn\s+tin|nguồn|theo)\s*[:：]\s*(?P<who>[^()]+?)\s*\)?\.?$")
        .expect("a valid pattern")
});

static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<name>\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,4})\s*(?:[-–,(]|$)")
        .expect("a valid pattern")
});

/// A line with a date (or a view count) and at most a few words beside it.
#[derive(Debug, PartialEq, Eq)]
struct MetaLine {
    date: Option<LegacyDate>,
    views: Option<u64>,
    /// What is left once the date, the count and their labels are taken out:
    /// the category on .NET-era portals (`Tin tức sự kiện 20 Tháng Sáu 2015 …`).
    rest: String,
}

fn views_in(text: &str) -> Option<(u64, std::ops::Range<usize>)> {
    let c = VIEWS.captures(text)?;
    let digits = c.name("a").or_else(|| c.name("b"))?.as_str();
    let number: String = digits.chars().filter(char::is_ascii_digit).collect();
    Some((number.parse().ok()?, c.get(0)?.range()))
}

fn meta_line(text: &str) -> Option<MetaLine> {
    if text.chars().count() > 160 {
        return None;
    }
    let mut rest = text.to_string();
    let views = views_in(text).map(|(n, range)| {
        rest.replace_range(range, " | ");
        n
    });
    let date = find_date(&rest);
    let mut labelled_date = false;
    if let Some(d) = &date {
        let (before, after) = (&rest[..d.start], &rest[d.end..]);
        // The date sits at one end of the line, the rest is labels or a category.
        let (words, labels) = if DATE_LABELS.is_match(after) {
            (before, after)
        } else if DATE_LABELS.is_match(before) {
            (after, before)
        } else {
            return views.map(|views| MetaLine {
                date: None,
                views: Some(views),
                rest: String::new(),
            });
        };
        labelled_date = !labels.trim().is_empty() || d.time.is_some();
        rest = words.to_string();
    } else if views.is_none() {
        return None;
    }
    let rest = strip_labels(&rest);
    // A title ending in a bare date is a title, not a category and a date.
    if date.is_some() && !rest.is_empty() && !labelled_date {
        return None;
    }
    if rest.split_whitespace().count() > 10 || rest.ends_with(['.', ',', ';']) {
        return None;
    }
    // "… tiếp công dân ngày 15/01/2014 lúc 8:00": the date belongs to a sentence.
    let last_word = rest
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_lowercase();
    if [
        "ngày", "lúc", "vào", "từ", "đến", "trước", "sau", "năm", "tháng",
    ]
    .contains(&last_word.as_str())
    {
        return None;
    }
    Some(MetaLine { date, views, rest })
}

/// A date beside a menu's links (`Thứ Ba, 06/12/2022 Trang chủ | Liên hệ`): the
/// portal's clock in its header, the day the page was saved, not the article's.
fn is_clock_beside_menu(block: &Block, meta: &MetaLine) -> bool {
    let rest_chars = meta.rest.chars().filter(|c| !c.is_whitespace()).count();
    meta.date.is_some()
        && rest_chars > 0
        && block.markdown.matches("](").count() >= 2
        && block.link_chars * 10 >= rest_chars * 9
}

/// `Ngày đăng | ` -> ``; `Tin tức sự kiện ` -> `Tin tức sự kiện`.
fn strip_labels(text: &str) -> String {
    let words: Vec<&str> = text
        .split('|')
        .map(str::trim)
        .filter(|part| !part.is_empty() && !DATE_LABELS.is_match(part))
        .collect();
    let joined = words.join(" ");
    joined
        .trim_matches(|c: char| c.is_whitespace() || "|:-–,(".contains(c))
        .to_string()
}

fn is_title_like(block: &Block) -> bool {
    matches!(block.kind, Kind::Paragraph | Kind::Heading(_))
        && block.text.chars().count() <= 250
        && !block.text.ends_with(['.', ';', ',', ':'])
        && block.text.chars().any(char::is_alphabetic)
        && (!block.is_all_links() || matches!(block.kind, Kind::Heading(_)))
}

/// What the lines above the text gave, by index into the page's blocks.
#[derive(Debug, Default)]
struct Header {
    title_at: Option<usize>,
    /// Title-like lines met before the title was known: the category, or a menu,
    /// or text a person should look at.
    pending: Vec<usize>,
    images_above: Vec<usize>,
    /// What a date line held beside the date: the category on .NET-era portals.
    meta_category: Option<String>,
    date: Option<LegacyDate>,
    views: Option<u64>,
    chrome_blocks: usize,
    /// Where the text starts.
    body_start: usize,
}

/// Walks down from the top until the first block that cannot be a title.
fn read_header(blocks: &[Block]) -> Header {
    let mut header = Header {
        body_start: blocks.len(),
        ..Header::default()
    };
    let mut date_line_seen = false;
    for (i, block) in blocks.iter().enumerate() {
        let above_title = header.title_at.is_none();
        match block.kind {
            Kind::Table => {
                header.body_start = i;
                break;
            }
            Kind::Image if above_title => {
                let lower = block.markdown.to_lowercase();
                if lower.contains("banner") || lower.contains("logo") {
                    header.chrome_blocks += 1;
                } else {
                    header.images_above.push(i); // stays, unclassified
                }
                continue;
            }
            Kind::Image => {
                header.body_start = i;
                break;
            }
            _ => {}
        }
        let menu_entry = block.is_all_links() && !matches!(block.kind, Kind::Heading(_));
        let short_item = matches!(block.kind, Kind::Item(_)) && block.text.chars().count() <= 60;
        if chrome_reason(&block.text).is_some() || (above_title && (menu_entry || short_item)) {
            header.chrome_blocks += 1;
            continue;
        }
        if let Some(meta) = meta_line(&block.text) {
            if is_clock_beside_menu(block, &meta) {
                header.chrome_blocks += 1;
                continue;
            }
            header.date = header.date.or(meta.date);
            header.views = header.views.or(meta.views);
            if !meta.rest.is_empty() {
                header.meta_category = Some(meta.rest);
            }
            date_line_seen |= meta.date.is_some();
            continue;
        }
        if above_title && is_title_like(block) {
            // After a date line the next title-like line is the title (.NET
            // portals); before one, it may be the category above the title.
            let is_h1 = block.kind == Kind::Heading(1);
            if is_h1 || (date_line_seen && header.pending.is_empty()) {
                header.title_at = Some(i);
            } else {
                header.pending.push(i);
            }
            continue;
        }
        header.body_start = i;
        break;
    }
    if header.title_at.is_none() {
        header.title_at = header.pending.pop();
    }
    header
}

/// Reads the fields out of a page's blocks; `hints` come from HTML markup.
pub fn find_fields(blocks: Vec<Block>, hints: &Hints) -> Found {
    let header = read_header(&blocks);
    let mut found = Found {
        url: hints.url.clone(),
        date: header.date,
        views: header.views,
        chrome_blocks: header.chrome_blocks,
        title: header.title_at.map(|i| blocks[i].text.clone()),
        ..Found::default()
    };
    let pending = &header.pending;
    let menu = menu_lines(&blocks, pending);
    let above_title = pending
        .last()
        .filter(|&&i| blocks[i].text.chars().count() <= 60 && !menu.contains(&i))
        .copied();
    let category_above = header.meta_category.is_none() && hints.category.is_none();
    found.category = header
        .meta_category
        .clone()
        .or_else(|| hints.category.clone())
        .or_else(|| above_title.map(|i| blocks[i].text.clone()));
    let mut body = Vec::new();
    for &i in &header.images_above {
        found
            .unclassified
            .push(format!("an image above the title: {}", blocks[i].markdown));
        body.push(blocks[i].clone());
    }
    for &i in pending {
        if category_above && Some(i) == above_title {
            continue;
        }
        if menu.contains(&i) {
            found.chrome_blocks += 1;
            continue;
        }
        found.unclassified.push(blocks[i].text.clone());
        body.push(blocks[i].clone());
    }
    body.extend(body_blocks(&blocks[header.body_start..], &mut found));
    found.body = body;
    take_author_and_source(&mut found, hints);
    fill_by_guess(&mut found, hints);
    found
}

/// Lines above the title that read as a menu: three or more short lines in a row.
fn menu_lines(blocks: &[Block], pending: &[usize]) -> Vec<usize> {
    let mut menu = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let short =
        |i: usize| blocks[i].kind == Kind::Paragraph && blocks[i].text.chars().count() <= 40;
    for &i in pending.iter().chain([usize::MAX].iter()) {
        let continues = i != usize::MAX && short(i) && run.last().is_none_or(|&last| last + 1 == i);
        if continues {
            run.push(i);
            continue;
        }
        if run.len() >= 3 {
            menu.append(&mut run);
        }
        run.clear();
        if i != usize::MAX && short(i) {
            run.push(i);
        }
    }
    menu
}

/// The text after the header: chrome, view counters and "Tin khác" lists out.
fn body_blocks(blocks: &[Block], found: &mut Found) -> Vec<Block> {
    let mut body = Vec::new();
    let mut related = false;
    let mut text_ended = false;
    for block in blocks {
        if matches!(block.kind, Kind::Image | Kind::Table) {
            body.push(block.clone());
            continue;
        }
        if is_related_heading(&block.text) {
            related = true;
            found.chrome_blocks += 1;
            continue;
        }
        if chrome_reason(&block.text).is_some() {
            found.chrome_blocks += 1;
            continue;
        }
        if let Some((views, range)) = views_in(&block.text)
            && block.text.chars().count() <= 80
            && strip_labels(&format!(
                "{}{}",
                &block.text[..range.start],
                &block.text[range.end..]
            ))
            .is_empty()
        {
            found.views = found.views.or(Some(views));
            text_ended = true;
            found.chrome_blocks += 1;
            continue;
        }
        let short = block.text.chars().count() <= 200;
        let listed = matches!(block.kind, Kind::Item(_)) || block.is_all_links();
        if (related || text_ended) && short && (listed || (related && is_title_like(block))) {
            found.chrome_blocks += 1;
            continue;
        }
        // A date line below the text (`Ngày đăng: 17/01/2014`), where some portals put it.
        if block.kind == Kind::Paragraph
            && let Some(meta) = meta_line(&block.text)
            && meta.rest.is_empty()
            && meta.date.is_some()
            && found.date.is_none()
        {
            found.date = meta.date;
            found.views = found.views.or(meta.views);
            continue;
        }
        if !short {
            related = false;
        }
        if related || text_ended {
            found.unclassified.push(block.text.clone()); // kept, but a person should look
        }
        body.push(block.clone());
    }
    body
}

/// `Tác giả: …`, `Nguồn: …` lines and a closing name line (`Chung Trần - Chuyên viên …`).
fn take_author_and_source(found: &mut Found, hints: &Hints) {
    found.author = hints.author.clone();
    let tail = found.body.len().saturating_sub(3);
    let mut taken = Vec::new();
    for i in tail..found.body.len() {
        let block = &found.body[i];
        if block.kind != Kind::Paragraph || block.text.chars().count() > 120 {
            continue;
        }
        if let Some(c) = LABELLED_AUTHOR.captures(&block.text) {
            let who = c["who"].trim().to_string();
            let label = c["label"].to_lowercase();
            if label.starts_with("nguồn") || label == "theo" {
                found.source.get_or_insert(who);
            } else {
                found.author.get_or_insert(who);
            }
            taken.push(i);
        }
    }
    for i in taken.into_iter().rev() {
        found.body.remove(i);
    }
    // A name closing the text: kept in the body (it may carry a title and a phone
    // number), the name alone becomes the author.
    if found.author.is_none()
        && let Some(last) = found.body.last()
        && last.kind == Kind::Paragraph
        && last.text.chars().count() <= 120
        && !last.text.ends_with('.')
        && let Some(c) = NAME_LINE.captures(&last.text)
    {
        found.author = Some(c["name"].to_string());
    }
}

/// A `<title>` without the portal's name after it:
/// `Hội xuân chợ hoa - Cổng thông tin điện tử Quận 2` -> `Hội xuân chợ hoa`.
fn without_site_name(title: &str) -> String {
    #[rustfmt::skip]
    const SITE_NAMES: &[&str] = &[
        "cổng thông tin", "cổng ttđt", "cổng tt", "trang thông tin", "trang tin", "website",
        "trang chủ", "portal", "ubnd", "ủy ban nhân dân", "uỷ ban nhân dân",
    ];
    for separator in [" - ", " | ", " – ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail = tail.trim().to_lowercase();
            if !head.trim().is_empty() && SITE_NAMES.iter().any(|name| tail.starts_with(name)) {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Title and date from the markup or the text when the lines around it had none.
fn fill_by_guess(found: &mut Found, hints: &Hints) {
    if found.date.is_none()
        && let Some(date) = hints.date.as_deref().and_then(find_date)
    {
        found.date = Some(date); // machine-readable: found, not guessed
    }
    if found.title.is_none() {
        if let Some(title) = &hints.head_title {
            found.title = Some(without_site_name(title));
            found
                .guesses
                .push(("title", "taken from the page's <title>".into()));
        } else if let Some(first) = found
            .body
            .iter()
            .find(|b| b.kind == Kind::Paragraph)
            .or_else(|| found.body.iter().find(|b| !b.text.is_empty()))
        {
            let sentence = first
                .text
                .split_inclusive(['.', '!', '?', ';'])
                .next()
                .unwrap_or(&first.text)
                .trim_end_matches(['.', ';']);
            found.title = Some(shorten(sentence, 100));
            found.guesses.push((
                "title",
                "no title on the page: made from the first sentence".into(),
            ));
        }
    }
    if found.date.is_none() {
        let opening = found
            .body
            .iter()
            .filter(|b| b.kind == Kind::Paragraph)
            .take(2)
            .find_map(|b| find_date(&b.text));
        if let Some(date) = opening {
            found.date = Some(date);
            found.guesses.push((
                "date",
                format!(
                    "no date line: taken from the text ({})",
                    date.front_matter()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::plain::read_plain;

    fn plain(text: &str) -> Found {
        find_fields(read_plain(text), &Hints::default())
    }

    #[test]
    fn category_date_line_then_title() {
        let f = plain(
            "Nghị quyết trung ương 4 17 Tháng Giêng 2014 2:05:00 CH\n\nTổng kết công tác dân vận\n\n\
             (Website Quận 2)-Ngày 15/01/2014, Ban Dân Vận tổ chức hội nghị.\n\nSố lượt người xem: 4351\n\
             Xem theo ngày Xem theo ngày\n • Tin cũ một\n • Tin cũ hai\nTìm kiếm\n",
        );
        assert_eq!(f.title.as_deref(), Some("Tổng kết công tác dân vận"));
        assert_eq!(f.category.as_deref(), Some("Nghị quyết trung ương 4"));
        assert_eq!(f.date.unwrap().front_matter(), "2014-01-17 14:05");
        assert_eq!(f.views, Some(4351));
        assert_eq!(f.body.len(), 1);
        assert!(f.guesses.is_empty());
    }

    #[test]
    fn title_then_date_and_views_line() {
        let f = plain(
            "Tin tức - Sự kiện nổi bật\n\nGiao ban công tác dân vận quý I\nNgày đăng 08/04/2021 | 11:22  | Lượt xem: 1748\n\n\
             Chiều ngày 07/4/2021, Khối Dân vận đã họp.\n\n1. Tập trung công tác.\n\n2. Tham mưu.\n",
        );
        assert_eq!(f.title.as_deref(), Some("Giao ban công tác dân vận quý I"));
        assert_eq!(f.category.as_deref(), Some("Tin tức - Sự kiện nổi bật"));
        assert_eq!(f.date.unwrap().front_matter(), "2021-04-08 11:22");
        assert_eq!(f.views, Some(1748));
        assert_eq!(f.body.len(), 3);
    }

    #[test]
    fn missing_title_and_date_are_guessed() {
        let f = plain(
            "Qua 10 năm thực hiện quy chế, công tác dân vận đạt nhiều kết quả. Câu hai.\n\nleftcenterrightdel\n\n\
             Các tập thể được khen thưởng tại Hội nghị.\n\nChung Trần - Chuyên viên Ban Dân vận Quận ủy – 0909466335\n",
        );
        assert_eq!(
            f.title.as_deref(),
            Some("Qua 10 năm thực hiện quy chế, công tác dân vận đạt nhiều kết quả")
        );
        assert_eq!(f.date, None);
        assert_eq!(f.author.as_deref(), Some("Chung Trần"));
        assert_eq!(f.body.len(), 3);
        assert_eq!(f.chrome_blocks, 1);
        assert_eq!(f.guesses.len(), 1);
    }

    #[test]
    fn a_menu_above_the_title_is_no_category() {
        let f = plain(
            "Trang chủ\nGiới thiệu\nTin tức\nVăn bản\nLiên hệ\n\nHội nghị tổng kết năm 2013\n\n\
             Ngày 15/01/2014, Ban Dân vận tổ chức hội nghị tổng kết.\n",
        );
        assert_eq!(f.title.as_deref(), Some("Hội nghị tổng kết năm 2013"));
        assert_eq!(f.category, None);
        assert_eq!(f.body.len(), 1);
    }

    #[test]
    fn labelled_author_and_source_leave_the_body() {
        let f = plain(
            "Tiêu đề\n\nNgày 1/2/2020, nội dung dài của bài viết.\n\nTin, ảnh: Minh Anh\n\n(Nguồn: Báo Tuổi Trẻ)\n",
        );
        assert_eq!(f.author.as_deref(), Some("Minh Anh"));
        assert_eq!(f.source.as_deref(), Some("Báo Tuổi Trẻ"));
        assert_eq!(f.body.len(), 1);
        assert_eq!(f.date.unwrap().front_matter(), "2020-02-01");
        assert_eq!(f.guesses[0].0, "date");
    }

    #[test]
    fn the_portal_name_leaves_a_head_title() {
        assert_eq!(
            without_site_name("Hội xuân chợ hoa - Cổng thông tin điện tử Quận 2"),
            "Hội xuân chợ hoa"
        );
        assert_eq!(without_site_name("Tin tức - Sự kiện"), "Tin tức - Sự kiện");
    }

    #[test]
    fn a_title_ending_in_a_date_stays_a_title() {
        assert_eq!(meta_line("Lịch tiếp công dân 15/01/2014"), None);
        assert_eq!(
            meta_line("Thông báo tiếp công dân ngày 15/01/2014 lúc 8:00"),
            None
        );
        let m = meta_line("Ngày đăng 08/04/2021 | 11:22 | Lượt xem: 1748").unwrap();
        assert_eq!((m.views, m.rest.as_str()), (Some(1748), ""));
    }
}
