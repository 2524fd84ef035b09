//! What belongs to the portal around an article rather than to the article: menus,
//! "Tin khác" lists, visit counters, search boxes, share buttons, widget leftovers.
//! Judged from a block's text alone, so plain-text pages get the same treatment as
//! HTML; HTML elements are also judged by tag and class in [`super::html`].

use std::sync::LazyLock;

use regex::Regex;

/// Lines that are chrome whatever surrounds them (compared lower-case, without
/// trailing `:`).
#[rustfmt::skip]
const CHROME_LINES: &[&str] = &[
    "tìm kiếm", "tìm kiếm nâng cao", "nhập từ khóa", "nhập từ khoá", "xem theo ngày",
    "site banner", "banner", "số lượt truy cập", "lượt truy cập", "thống kê truy cập",
    "đang truy cập", "đang online", "trực tuyến", "tổng truy cập", "hôm nay", "hôm qua",
    "bản in", "in bài viết", "in trang", "in bài", "gửi email", "gửi bài viết", "email",
    "chia sẻ", "share", "facebook", "twitter", "zalo", "tweet", "like", "quay lại",
    "trở về", "về đầu trang", "lên đầu trang", "đầu trang", "trang chủ", "thăm dò ý kiến",
    "liên kết website", "liên kết", "đăng nhập", "sơ đồ site", "sơ đồ cổng", "rss", "print",
    "back", "top", "ý kiến bạn đọc", "gửi ý kiến", "bình luận", "lịch công tác",
    "thư viện ảnh", "thư viện video", "video clip", "font size", "cỡ chữ", "a a a",
    "a- a a+", "view all", "xem tất cả", "chọn ngày", "xem", "gửi", "đóng", "toàn văn",
];

/// Headings that open a list of other articles: the list is chrome, and so is what
/// follows in the same list.
#[rustfmt::skip]
const RELATED_HEADINGS: &[&str] = &[
    "tin khác", "các tin khác", "tin liên quan", "các tin liên quan", "bài viết liên quan",
    "bài viết khác", "các bài viết khác", "tin mới hơn", "tin đã đưa", "tin cũ hơn",
    "tin cùng chuyên mục", "tin cùng loại", "tin mới", "tin mới nhất", "tin xem nhiều",
    "xem nhiều nhất", "tin nổi bật", "tin tức khác", "tin bài khác", "đọc thêm",
];

/// Words that SharePoint and DotNetNuke widgets leave glued together in saved text
/// (`leftcenterrightdel`: the image alignment buttons of an editor).
#[rustfmt::skip]
const WIDGET_WORDS: &[&str] = &[
    "left", "center", "right", "del", "edit", "delete", "insert", "top", "bottom", "middle",
    "justify", "none", "move", "up", "down", "close", "ok", "cancel",
];

static COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:số lượt truy cập|lượt truy cập|tổng(?: số)? lượt truy cập|truy cập|đang truy cập|đang online|đang trực tuyến|trực tuyến|hôm nay|hôm qua|tuần này|tháng này|tổng cộng|tổng|khách|thành viên|online)\s*[:：]?\s*[\d.,\s]*$")
        .expect("a valid pattern")
});

/// The day the portal shows in its header: `Hôm nay: Thứ Ba, 06/12/2022` (the day
/// the page was saved, not the article's).
static SITE_CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:hôm nay|ngày hôm nay|today)\s*[:：,]?\s*(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\s*,?\s*)?(?:ngày\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{4}.*$")
        .expect("a valid pattern")
});

/// Why a block of text is chrome, or `None` when it may be the article's own text.
pub fn chrome_reason(text: &str) -> Option<&'static str> {
    let t = text.trim().trim_end_matches([':', '：']).trim();
    let lower = t.to_lowercase();
    if lower.is_empty() {
        return Some("empty");
    }
    if !t.chars().any(char::is_alphanumeric) {
        return Some("separator");
    }
    if t.chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '.' || c == ',')
    {
        return Some("counter digits");
    }
    if CHROME_LINES.contains(&lower.as_str()) || is_repeated_phrase(&lower) || is_widget_row(&lower)
    {
        return Some("portal widget");
    }
    if is_related(&lower) {
        return Some("related articles heading");
    }
    if is_portal_name(&lower) {
        return Some("the portal's name");
    }
    if COUNTER.is_match(&lower) {
        return Some("visit counter");
    }
    if SITE_CLOCK.is_match(&lower) {
        return Some("the portal's clock");
    }
    if is_widget_leftover(&lower) {
        return Some("widget leftover");
    }
    None
}

/// `Cổng thông tin điện tử Quận 2`: the portal's name in its banner.
fn is_portal_name(lower: &str) -> bool {
    #[rustfmt::skip]
    const NAMES: &[&str] = &[
        "cổng thông tin điện tử", "cổng thông tin", "cổng ttđt", "trang thông tin điện tử",
        "trang tin điện tử", "bản quyền thuộc", "copyright", "©",
    ];
    // A sentence that happens to start so is text: it ends like one.
    lower.split_whitespace().count() <= 14
        && !lower.ends_with(['.', '!', '?', ';', ':'])
        && NAMES.iter().any(|name| lower.starts_with(name))
}

/// `Xem theo ngày Xem theo ngày`: a widget's label printed twice.
fn is_repeated_phrase(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let n = words.len();
    n >= 2
        && n.is_multiple_of(2)
        && words[..n / 2] == words[n / 2..]
        && CHROME_LINES.contains(&words[..n / 2].join(" ").as_str())
}

/// True for the heading of a "Tin khác" list.
pub fn is_related_heading(text: &str) -> bool {
    let lower = text
        .trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase();
    is_related(&lower)
}

/// `tin cùng chuyên mục`, also as `các tin cùng chuyên mục` (the plural is how
/// many portals word it).
fn is_related(lower: &str) -> bool {
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let single = lower.strip_prefix("các ").unwrap_or(&lower);
    RELATED_HEADINGS.contains(&lower.as_str()) || RELATED_HEADINGS.contains(&single)
}

/// `In trang | Gửi email | Quay lại | Về đầu trang`, `Chia sẻ: Facebook Twitter`:
/// an article's tool bar, widgets side by side with separators between them.
fn is_widget_row(lower: &str) -> bool {
    const SOCIAL: &[&str] = &[
        "facebook", "twitter", "zalo", "email", "tweet", "like", "share",
    ];
    let parts: Vec<&str> = lower
        .split(['|', '•', '·', '/', ':', ',', ';', '-', '–', '[', ']'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            CHROME_LINES.contains(part)
                || part.split_whitespace().all(|word| SOCIAL.contains(&word))
        })
}

/// `leftcenterrightdel`: only widget words, glued, at least two of them.
fn is_widget_leftover(lower: &str) -> bool {
    if !lower.chars().all(|c| c.is_ascii_lowercase()) || lower.len() > 60 {
        return false;
    }
    // reachable[i]: lower[..i] splits into widget words; count of words so far.
    let mut words_to = vec![None; lower.len() + 1];
    words_to[0] = Some(0usize);
    for i in 0..lower.len() {
        let Some(count) = words_to[i] else { continue };
        for word in WIDGET_WORDS {
            if lower[i..].starts_with(word) {
                let end = i + word.len();
                words_to[end] = Some(words_to[end].map_or(count + 1, |c: usize| c.max(count + 1)));
            }
        }
    }
    words_to[lower.len()].is_some_and(|count| count >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_chrome_is_recognised() {
        for chrome in [
            "leftcenterrightdel",
            "Tìm kiếm",
            "Xem theo ngày Xem theo ngày",
            "SỐ LƯỢT TRUY CẬP",
            "3",
            "Site banner",
            "Tin khác",
            "TIN MỚI HƠN",
            "TIN ĐÃ ĐƯA",
            "\u{a0}",
            "Đang truy cập: 12",
            "CỔNG THÔNG TIN ĐIỆN TỬ QUẬN 2",
            "© 2022 UBND phường An Khánh",
            "In trang | Gửi email | Quay lại | Về đầu trang",
            "Chia sẻ: Facebook Twitter",
            "[In bài viết] [Gửi email] [Trở về]",
            "Các tin cùng chuyên mục:",
        ] {
            assert!(chrome_reason(chrome).is_some(), "{chrome}");
        }
    }

    #[test]
    fn article_text_is_not_chrome() {
        for text in [
            "Các tập thể được khen thưởng tại Hội nghị.",
            "Chung Trần - Chuyên viên Ban Dân vận Quận ủy – 0909466335",
            "Đổi mới công tác dân vận trong tình hình mới",
            "Hôm nay, Ủy ban nhân dân phường tổ chức hội nghị.",
            "center",
            "Tin tức - Sự kiện nổi bật",
            "Cổng thông tin điện tử của phường đã được nâng cấp.",
            "Trang chủ của phường - nơi người dân gửi ý kiến",
            "Xem - Gửi - Đóng góp ý kiến về dự thảo",
        ] {
            assert_eq!(chrome_reason(text), None, "{text}");
        }
    }
}
