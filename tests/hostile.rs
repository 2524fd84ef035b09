//! Hostile or broken inputs on the real binary: each is a clear error naming the
//! file, or a page in which it stays text; never a file outside the output folder,
//! never a half-written output.

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// Every file under the test's temporary folder that is not in the site folder.
fn written_outside_the_site(site: &TestSite) -> Vec<String> {
    tree(site.dir.path())
        .into_keys()
        .filter(|p| !p.starts_with("site/") && !p.starts_with("ngoai/"))
        .collect()
}

fn fails_with(site: &TestSite, expected: &str) -> String {
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success(), "the build should fail:\n{err}");
    assert!(err.contains(expected), "no `{expected}` in:\n{err}");
    assert!(!site.public().exists() || leftovers(&site.root()).is_empty());
    err
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_refused_and_loops_walked_once() {
    let site = TestSite::good();
    let outside = site.dir.path().join("ngoai");
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        outside.join("mat.md"),
        article("Mật", "2014-01-17", "Tin", "Bí mật.\n"),
    )
    .unwrap();
    fs::write(outside.join("mat.pdf"), "bí mật").unwrap();
    std::os::unix::fs::symlink(outside.join("mat.md"), site.root().join("content/mat.md")).unwrap();
    std::os::unix::fs::symlink(&outside, site.root().join("content/ngoai")).unwrap();
    let err = fails_with(&site, "outside the site");
    assert!(err.contains("content/mat.md"), "{err}");
    assert!(err.contains("content/ngoai"), "{err}");
    fs::remove_file(site.root().join("content/mat.md")).unwrap();
    fs::remove_file(site.root().join("content/ngoai")).unwrap();
    // A link back up inside content/ makes a loop: walked once, the build ends.
    std::os::unix::fs::symlink("..", site.root().join("content/dan-van/vong")).unwrap();
    let started = Instant::now();
    site.build_ok();
    assert!(started.elapsed() < Duration::from_secs(30));
    fs::remove_file(site.root().join("content/dan-van/vong")).unwrap();
    assert!(!site.public().join("mat.pdf").exists());
    assert!(written_outside_the_site(&site).is_empty());
}

#[test]
fn hostile_aliases_slugs_and_tags_stay_inside_the_output() {
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "slug: \"/../../../../tmp/ra-ngoai\"\naliases: [\"../../../../ra-ngoai.html\", \"/..%2F..%2Fra-ngoai/\", \"C:\\\\ra-ngoai\\\\x.html\"]\ntags: [\"../../..\", \"../etc/passwd\", \"/\"]\n",
            "x\n",
        ),
    );
    let out = site.build(&[]);
    // Either refused or built, but never written outside.
    assert!(
        written_outside_the_site(&site).is_empty(),
        "{}",
        stderr(&out)
    );
    if out.status.success() {
        assert!(
            site.public()
                .join("dan-van/tmp-ra-ngoai/index.html")
                .is_file()
        );
        assert!(site.public().join("tags/etc-passwd/index.html").is_file());
    }
}

#[test]
fn yaml_alias_bomb_is_an_error_not_a_hang() {
    let mut lines = vec!["  a0: &a0 \"hi\"".to_string()];
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        lines.push(format!("  a{i}: &a{i} [{refs}]"));
    }
    let site = TestSite::good();
    site.write(
        "content/bom.md",
        &article_with(
            "Bom",
            "2014-01-17",
            "Tin",
            &format!("extra:\n{}\n", lines.join("\n")),
            "x\n",
        ),
    );
    let started = Instant::now();
    fails_with(&site, "content/bom.md:");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let site = TestSite::good();
    let lists = "[".repeat(100_000) + &"]".repeat(100_000);
    let maps = "{a: ".repeat(50_000) + "1" + &"}".repeat(50_000);
    for deep in [lists, maps] {
        site.write(
            "content/sau.md",
            &article_with(
                "Sâu",
                "2014-01-17",
                "Tin",
                &format!("extra: {deep}\n"),
                "x\n",
            ),
        );
        fails_with(&site, "content/sau.md:6:");
    }
}

#[test]
fn quotes_in_heading_ids_link_and_image_destinations_and_captions_stay_inside_attributes() {
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article(
            "Tin",
            "2014-01-17",
            "Tin",
            "## Mục {#a\"onclick=\"alert(1)}\n\n## Khác {#b\"onclick=alert(1) .c\"onclick=alert(1)}\n\n[x](<a.pdf\"onmouseover=\"alert(2)>) ![y](<b.jpg\" onerror=\"alert(3)>)\n\n![z](/c.jpg \"t\\\" onerror=\\\"alert(4)\")\n\n[w](/d.pdf \"t\\\" onclick=\\\"alert(5)\")\n",
        ),
    );
    site.build_ok();
    let page = scraper::Html::parse_document(&site.page("/tin/x/"));
    let handlers = scraper::Selector::parse("[onclick], [onmouseover], [onerror]").unwrap();
    let found: Vec<_> = page.select(&handlers).map(|e| e.html()).collect();
    assert!(found.is_empty(), "{found:?}");
    let scripts = scraper::Selector::parse("script").unwrap();
    assert!(
        page.select(&scripts)
            .all(|s| !s.inner_html().contains("alert"))
    );
}

#[cfg(unix)]
#[test]
fn file_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::good();
    let name = std::ffi::OsStr::from_bytes(b"tin-c\xF3-d\xE2u.md");
    fs::write(site.root().join("content").join(name), "x").unwrap();
    fails_with(&site, "is not UTF-8 text");
}

#[test]
fn huge_numbers_and_far_years_are_errors_at_their_lines() {
    let site = TestSite::good();
    site.write(
        "content/so.md",
        "---\ntitle: \"Số\"\ndate: 99999-01-01\ncategory: \"Tin\"\nviews: 99999999999999999999999999\nupdated: 2014-13-45\n---\nx\n",
    );
    let err = fails_with(&site, "content/so.md:3:");
    assert!(err.contains("content/so.md:5:"), "{err}");
    assert!(err.contains("content/so.md:6:"), "{err}");
}

#[test]
fn file_name_without_letters_or_digits_asks_for_a_slug() {
    let site = TestSite::good();
    site.write(
        "content/🎉!!!.md",
        &article("!!! ??? 🎉", "2014-01-17", "Tin", "x\n"),
    );
    let err = fails_with(
        &site,
        "content/🎉!!!.md:1:1: error: the file's name has no letters or digits",
    );
    assert!(err.contains("slug:"), "{err}");
}

#[test]
fn hostile_site_addresses_and_theme_names_are_refused() {
    let site = TestSite::good();
    site.write(
        "site.yaml",
        &SITE_YAML.replace("https://phuongmau.example.gov.vn", "javascript:alert(1)"),
    );
    fails_with(&site, "site.yaml:2:");
    site.write("site.yaml", SITE_YAML);
    let out = site.build(&[
        "--base-url",
        "https://x.gov.vn/\"><script>alert(1)</script>",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--base-url"), "{}", stderr(&out));
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}theme: \"../../../etc\"\n"),
    );
    fails_with(&site, "is not a theme name");
}

#[test]
fn nul_and_control_characters_in_a_body_become_a_page() {
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article(
            "Ký tự lạ",
            "2014-01-17",
            "Tin",
            "Có \u{0} NUL, \u{7} chuông, \u{202E} đảo chiều, \u{FEFF} BOM.\n",
        ),
    );
    site.build_ok();
    let page = site.page("/tin/x/");
    assert!(!page.contains('\u{0}'));
    assert!(page.contains("chuông"));
}

#[test]
fn a_folder_named_like_an_article_is_walked_as_a_folder() {
    let site = TestSite::good();
    site.write("content/tin.md/anh.jpg", "jpeg");
    site.build_ok();
    assert!(site.public().join("tin.md/anh.jpg").is_file());
}

#[test]
fn five_thousand_tags_on_one_article_build() {
    let tags: Vec<String> = (0..5000).map(|i| format!("\"thẻ {i}\"")).collect();
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article_with(
            "Nhiều thẻ",
            "2014-01-17",
            "Tin",
            &format!("tags: [{}]\n", tags.join(", ")),
            "x\n",
        ),
    );
    site.build_ok();
    assert!(site.public().join("tags/the-4999/index.html").is_file());
}

#[test]
fn an_article_without_a_folder_and_a_missing_content_folder() {
    let site = TestSite::good();
    site.write(
        "content/goc.md",
        &article("Ở gốc", "2014-01-17", "Tin", "x\n"),
    );
    site.build_ok();
    assert!(site.page("/tin/goc/").contains("Ở gốc"));
    fs::remove_dir_all(site.root().join("content")).unwrap();
    site.build_ok();
    assert!(site.public().join("index.html").is_file());
    assert!(!Path::new(&site.public().join("tin")).exists());
}
