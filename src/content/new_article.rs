//! `bantin new`: the text and place of a new article, ready for an editor to write.

use jiff::Zoned;

use super::front_matter_text::{FieldValue, front_matter_text};
use super::text::{d_for_eth, slugify, title_slug};

/// A new article: its path under content/ and its text.
#[derive(Debug, PartialEq, Eq)]
pub struct NewArticle {
    /// `dan-van/2026/hoi-nghi-tong-ket.md`
    pub rel: String,
    pub text: String,
}

/// The article file for `title` in `category`, dated `now` (already in the site's
/// time zone). The title is written with `Đ` where it was typed with the
/// Icelandic `Ð`, which looks the same (and would name `ÐẢNG ỦY` `ang-uy`);
/// the category as typed, the name of one the site has. Errors say what to
/// change.
pub fn new_article(title: &str, category: &str, now: &Zoned) -> Result<NewArticle, String> {
    let title: String = title.trim().chars().map(d_for_eth).collect();
    let (title, category) = (title.as_str(), category.trim());
    if title.contains(['\n', '\r']) || category.contains(['\n', '\r']) {
        return Err("the title and the category must be on one line".into());
    }
    let slug = title_slug(title);
    if slug.is_empty() {
        return Err(format!(
            "the title `{title}` has no letters or digits to make a file name from"
        ));
    }
    let category_slug = slugify(category);
    if category_slug.is_empty() {
        return Err(format!(
            "the category `{category}` has no letters or digits to make a folder name from"
        ));
    }
    let text = front_matter_text(&[
        ("title", FieldValue::Text(title.to_string())),
        (
            "date",
            FieldValue::Plain(now.strftime("%Y-%m-%dT%H:%M:00%:z").to_string()),
        ),
        ("category", FieldValue::Text(category.to_string())),
        ("views", FieldValue::Number(0)),
    ]);
    Ok(NewArticle {
        rel: format!("{category_slug}/{}/{slug}.md", now.year()),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::article::parse_article;

    fn now() -> Zoned {
        "2026-11-23T09:45:31+07:00[+07:00]".parse().unwrap()
    }

    #[test]
    fn a_title_typed_with_the_icelandic_eth_is_written_and_named_with_d() {
        let new = new_article("ÐẢNG ỦY họp", "Thông báo", &now()).unwrap();
        assert_eq!(new.rel, "thong-bao/2026/dang-uy-hop.md");
        assert!(new.text.contains("title: \"ĐẢNG ỦY họp\""), "{}", new.text);
    }

    #[test]
    fn a_new_article_parses_back_as_written() {
        let new = new_article("Hội nghị \"Dân vận khéo\" năm 2026", "Dân vận", &now()).unwrap();
        assert_eq!(new.rel, "dan-van/2026/hoi-nghi-dan-van-kheo-nam-2026.md");
        let article = parse_article(&new.rel, new.text.as_bytes(), now().time_zone()).unwrap();
        assert_eq!(article.front.title, "Hội nghị \"Dân vận khéo\" năm 2026");
        assert_eq!(article.front.category, "Dân vận");
        assert_eq!(article.front.views, 0);
        assert_eq!(
            article.front.date.strftime("%Y-%m-%d %H:%M").to_string(),
            "2026-11-23 09:45"
        );
    }

    #[test]
    fn titles_without_letters_are_refused() {
        assert!(new_article("!!!", "Dân vận", &now()).is_err());
        assert!(new_article("Tin", "…", &now()).is_err());
        assert!(new_article("Tin\nmới", "Dân vận", &now()).is_err());
    }
}
