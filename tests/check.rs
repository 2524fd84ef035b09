//! `bantin check` on real sites: the demo passes; a site seeded with one of each
//! kind of warning gets each reported at its file and line, all in one run, and
//! the check writes nothing.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

fn check(root: &Path, args: &[&str]) -> std::process::Output {
    bantin()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn demo_site_passes_strict_check_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    copy_dir(&repo.join("themes"), &dir.path().join("themes"));
    let before = tree(dir.path());
    let out = check(dir.path(), &["--strict"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "", "the demo has problems");
    assert!(stderr(&out).contains("check passed: 0 error(s), 0 warning(s)"));
    assert!(tree(dir.path()) == before, "check wrote into the site");
}

/// One article of each kind of warning. `article_with` puts the title on line 2,
/// the date on line 3, extra fields from line 6 and the body's first text two
/// lines after the closing `---`.
fn seeded() -> TestSite {
    TestSite::new(&[
        (
            "content/tin/2014/hop-dan.md",
            &article(
                "Họp dân khu phố 3",
                "2014-01-17 08:00",
                "Tin tức",
                "Đoạn đầu.\n\n![](/images/anh.jpg)\n\nXem [tài liệu](../../files/khong-co.pdf) và [mục cũ](/khong-co-muc/).\n",
            ),
        ),
        (
            "content/tin/2014/hop-dan-lan-2.md",
            &article_with(
                "Họp dân khu phố 3",
                "2014-01-17 15:00",
                "Tin tức",
                "slug: hop-dan-lan-2\n",
                "Bản đăng lại.\n",
            ),
        ),
        (
            "content/tin/tuong-lai.md",
            &article(
                "Tin của năm sau",
                "2099-01-01 08:00",
                "Tin tức",
                "Chưa tới.\n",
            ),
        ),
        (
            "content/tin/chi-co-anh.md",
            &article_with(
                "Chỉ có ảnh",
                "2014-02-01",
                "Tin tức",
                "image: /images/khong-co.jpg\n",
                "![Ảnh hội nghị](/images/anh.jpg)\n\n## Kết quả\n",
            ),
        ),
        ("content/images/anh.jpg", "jpeg"),
        ("content/files/thua.pdf", "pdf"),
    ])
}

fn expected_warnings() -> Vec<(&'static str, Option<u64>, &'static str)> {
    vec![
        ("content/files/thua.pdf", None, "no article links to"),
        ("content/tin/2014/hop-dan-lan-2.md", Some(2), "same title"),
        ("content/tin/2014/hop-dan.md", Some(10), "no alt text"),
        (
            "content/tin/2014/hop-dan.md",
            Some(12),
            "content/files/khong-co.pdf",
        ),
        (
            "content/tin/2014/hop-dan.md",
            Some(12),
            "page at /khong-co-muc/",
        ),
        ("content/tin/chi-co-anh.md", Some(6), "lead image"),
        ("content/tin/chi-co-anh.md", Some(8), "no summary"),
        ("content/tin/tuong-lai.md", Some(3), "in the future"),
    ]
}

#[test]
fn each_kind_of_warning_is_reported_at_its_file_and_line() {
    let site = seeded();
    let out = check(&site.root(), &[]);
    let text = stdout(&out);
    assert!(out.status.success(), "warnings alone pass:\n{text}");
    for (path, line, message) in expected_warnings() {
        let at = match line {
            Some(line) => format!("{path}:{line}:"),
            None => format!("{path}: warning:"),
        };
        assert!(
            text.lines()
                .any(|l| l.starts_with(&at) && l.contains("warning") && l.contains(message)),
            "no `{at} … {message}` in:\n{text}"
        );
    }
    assert_eq!(
        text.lines().filter(|l| l.contains(": warning: ")).count(),
        expected_warnings().len(),
        "{text}"
    );
    assert!(text.contains("  hint: "));
    assert!(!site.public().exists());
}

#[test]
fn strict_fails_on_warnings() {
    let site = seeded();
    let out = check(&site.root(), &["--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("check failed: 0 error(s), 8 warning(s)"));
    let clean = TestSite::good();
    clean.remove("content/van-hoa/nhap.md");
    // A table alone makes no summary: the editor writes one.
    clean.write(
        "content/van-hoa/hoi-xuan.md",
        &article_with(
            "Hội xuân chợ hoa tết Giáp Ngọ",
            "2014-01-25 08:00",
            "Văn hóa - Thể thao",
            "summary: \"Số hộ tham gia hội xuân.\"\n",
            "| Đơn vị | Số hộ |\n|---|---:|\n| Phường 1 | 120 |\n",
        ),
    );
    let out = check(&clean.root(), &["--strict"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn json_gives_one_object_a_line_with_location_and_hint() {
    let site = seeded();
    let out = check(&site.root(), &["--format", "json"]);
    assert!(out.status.success());
    let objects: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), expected_warnings().len());
    for ((path, line, message), o) in expected_warnings().into_iter().zip(&objects) {
        assert_eq!(o["path"], path);
        assert_eq!(o["line"].as_u64(), line);
        assert_eq!(o["severity"], "warning");
        assert!(o["message"].as_str().unwrap().contains(message), "{o}");
        assert!(o["hint"].is_string());
        assert_eq!(o["column"].is_null(), line.is_none());
    }
}

#[test]
fn errors_and_warnings_come_in_one_run_and_errors_fail() {
    let site = seeded();
    site.write(
        "content/tin/loi.md",
        &article_with(
            "Bài có lỗi",
            "2014-03-01",
            "Tin tức",
            "catgory: x\n",
            "Thân.\n",
        ),
    );
    site.write(
        "content/tin/lien-ket-hong.md",
        &article(
            "Liên kết hỏng",
            "2014-03-02",
            "Tin tức",
            "Xem [bài](khong-co.md).\n",
        ),
    );
    let out = check(&site.root(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("content/tin/loi.md:6:1: error: unknown field `catgory`"),
        "{text}"
    );
    assert!(
        text.contains("content/tin/lien-ket-hong.md:8:5: error: links to content/tin/khong-co.md"),
        "{text}"
    );
    assert!(
        text.contains("content/tin/tuong-lai.md:3:1: warning:"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("check failed: 2 error(s)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_without_site_yaml_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path(), &[]);
    // Nothing could be checked (2), as `verify` says it: not a site found
    // at fault (1), for a script going through many wards' folders.
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("site.yaml"));
}

#[test]
fn template_errors_are_found_without_building() {
    let site = TestSite::good();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ article.title }{% endblock content %}",
    );
    let out = check(&site.root(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("templates/article.html: error: the template does not compile"),
        "{}",
        stdout(&out)
    );
    // A template that compiles but fails on a page: reported once, not per page.
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ article.khong_co.sau }}{% endblock content %}",
    );
    let out = check(&site.root(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let errors: Vec<_> = text.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    assert!(errors[0].starts_with("templates/article.html: error: rendering /"));
    assert!(errors[0].ends_with("(and 3 other page(s))"), "{text}");
    assert!(!site.public().exists());
}

#[test]
fn a_missing_theme_is_one_error_not_one_per_template() {
    let site = TestSite::good();
    site.write("site.yaml", &format!("{SITE_YAML}theme: khong-co\n"));
    let out = check(&site.root(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(text.matches(": error: ").count(), 1, "{text}");
    assert!(
        text.contains("the theme `khong-co` is not in themes/khong-co/"),
        "{text}"
    );
}
