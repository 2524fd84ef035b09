//! The theme's words in the site's language.

use std::collections::BTreeMap;

use crate::config::Language;

/// (key, Vietnamese, English)
const WORDS: &[(&str, &str, &str)] = &[
    ("home", "Trang chủ", "Home"),
    ("menu", "Danh mục chính", "Main menu"),
    ("skip_to_content", "Bỏ qua, đến nội dung", "Skip to content"),
    ("news", "Tin tức", "News"),
    ("breadcrumbs", "Vị trí", "You are here"),
    ("views", "Lượt xem", "Views"),
    ("source", "Nguồn", "Source"),
    ("tags", "Từ khóa", "Tags"),
    ("page", "Trang", "Page"),
    ("pages", "Phân trang", "Pages"),
    ("newer", "Tin mới hơn", "Newer"),
    ("older", "Tin cũ hơn", "Older"),
    ("first_page", "Trang đầu", "First page"),
    ("last_page", "Trang cuối", "Last page"),
    ("no_articles", "Chưa có bài viết.", "No articles yet."),
    ("not_found", "Không tìm thấy trang", "Page not found"),
    (
        "not_found_text",
        "Trang bạn tìm không có hoặc đã được chuyển đi.",
        "The page you are looking for does not exist or has moved.",
    ),
    ("back_home", "Về trang chủ", "Back to the home page"),
    ("categories", "Chuyên mục", "Categories"),
    (
        "categories_and_tags",
        "Chuyên mục và từ khóa",
        "Categories and tags",
    ),
    ("archive", "Xem theo ngày", "Archive by date"),
    ("site_map", "Sơ đồ trang", "Site map"),
    ("newer_articles", "Tin mới hơn", "Newer articles"),
    ("older_articles", "Tin đã đưa", "Earlier articles"),
    ("most_read", "Tin xem nhiều", "Most read"),
    ("previous_article", "Bài trước", "Previous article"),
    ("next_article", "Bài sau", "Next article"),
    ("newer_period", "Mới hơn", "Newer"),
    ("older_period", "Cũ hơn", "Older"),
    ("feed", "Tin mới qua RSS/Atom", "Atom feed"),
    ("articles", "bài", "articles"),
    (
        "redirecting",
        "Trang đã chuyển đến",
        "This page has moved to",
    ),
];

pub fn words(language: Language) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|(key, vi, en)| (*key, if language == Language::Vi { *vi } else { *en }))
        .collect()
}
