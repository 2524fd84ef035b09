//! Restyling and languages: the site's own templates win over the theme's, colours
//! come from site.yaml, another theme can be chosen, and `language: en` switches
//! every word and format of the theme.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn english(site: &TestSite) {
    site.write(
        "site.yaml",
        &SITE_YAML.replace("language: vi", "language: en"),
    );
}

#[test]
fn english_site_uses_english_words_dates_and_numbers() {
    let site = TestSite::good();
    site.write(
        "content/dan-van/2014/tong-ket.md",
        &article_with(
            "Tổng kết công tác dân vận năm 2013",
            "2014-01-17T14:05:00+07:00",
            "Dân vận",
            "views: 4351\n",
            "x",
        )
        .replace("views: 10\n", ""),
    );
    english(&site);
    site.build_ok();
    let page = site.page("/dan-van/tong-ket/");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains(">Friday, 17 January 2014, 14:05</time>"),
        "{page}"
    );
    assert!(page.contains("Views: 4,351"));
    assert!(page.contains(">Home</a>"));
    assert!(page.contains("Skip to content"));
    let archive = site.page("/archive/2014/01/");
    assert!(archive.contains("<h1>January 2014</h1>"));
    assert!(archive.contains("<th scope=\"col\">Mo</th>"));

    // Every Vietnamese word of the theme is gone from the English pages.
    let vi_words = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/languages/vi.yaml"),
    )
    .unwrap();
    let words: Vec<&str> = vi_words
        .lines()
        .skip_while(|l| *l != "words:")
        .filter_map(|l| l.split_once(": ").map(|(_, w)| w.trim_matches('"')))
        .collect();
    assert!(words.len() > 40);
    for file in [
        "/",
        "/dan-van/tong-ket/",
        "/search/",
        "/archive/",
        "/so-do-trang/",
    ] {
        let html = site.page(file);
        for word in &words {
            assert!(
                !html.contains(&format!(">{word}<")),
                "{file} still says `{word}`"
            );
        }
    }
}

#[test]
fn vietnamese_site_uses_vietnamese_forms() {
    let site = TestSite::good();
    site.build_ok();
    let page = site.page("/dan-van/tong-ket/");
    assert!(page.contains(">Thứ Sáu, 17/01/2014 - 14:05</time>"));
    assert!(page.contains("Lượt xem: 10"));
    assert!(
        site.page("/archive/2014/01/")
            .contains("<h1>Tháng 01/2014</h1>")
    );
}

#[test]
fn site_template_overrides_the_theme() {
    let site = TestSite::good();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"rieng\">{{ article.title }}</h1><time datetime=\"{{ article.date_iso }}\">{{ article.date_short }}</time>{% endblock content %}",
    );
    site.build_ok();
    let page = site.page("/dan-van/tong-ket/");
    assert!(page.contains("<h1 class=\"rieng\">Tổng kết công tác dân vận năm 2013</h1>"));
    assert!(
        page.contains("class=\"site-header\""),
        "the theme's base.html is still used"
    );
    assert!(!page.contains("id=\"tin-da-dua\""));
}

#[test]
fn category_and_tag_templates_are_used_when_present() {
    let site = TestSite::good();
    site.write("templates/category.html", "{% extends \"list.html\" %}{% block title %}Chuyên mục: {{ list.name }}{% endblock title %}");
    site.build_ok();
    assert!(
        site.page("/dan-van/")
            .contains("<title>Chuyên mục: Dân vận</title>")
    );
    assert!(
        !site.page("/archive/2014/").contains("Chuyên mục:"),
        "other lists keep list.html"
    );
}

#[test]
fn broken_site_template_is_reported_with_its_file() {
    let site = TestSite::good();
    site.build_ok();
    let before = tree(&site.public());
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ article.title }{% endblock content %}",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("templates/article.html: error: the template does not compile"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, tree(&site.public()));
}

#[test]
fn colours_and_logo_come_from_site_yaml() {
    let site = TestSite::good().with_bytes("content/images/logo.png", b"\x89PNG\r\n\x1a\n");
    site.write("site.yaml", &format!("{SITE_YAML}logo: /images/logo.png\ncolors:\n  primary: \"#004a8f\"\n  dark: \"#002f5c\"\n"));
    site.build_ok();
    let home = site.page("/");
    assert!(home.contains("<img class=\"logo\" src=\"/images/logo.png\""));
    let css = stylesheet_of(&home);
    let css = fs::read_to_string(site.public().join(css)).unwrap();
    assert!(
        css.contains(":root{--dark:#002f5c;--primary:#004a8f;}"),
        "{css}"
    );
}

#[test]
fn the_example_theme_builds_the_same_site() {
    let site = TestSite::good();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/toi-gian");
    copy_dir(&theme, &site.root().join("themes/toi-gian"));
    site.write("site.yaml", &format!("{SITE_YAML}theme: toi-gian\n"));
    site.build_ok();
    let page = site.page("/dan-van/tong-ket/");
    assert!(page.contains("<h1>Tổng kết công tác dân vận năm 2013</h1>"));
    assert!(
        page.contains("id=\"tin-da-dua\"")
            && page.contains("<time datetime=\"2014-01-17T14:05:00+07:00\">")
    );
    assert!(
        !page.contains("class=\"site-header\""),
        "not the default theme"
    );
    assert!(site.page("/").contains("id=\"xem-nhieu\""));
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
