//! `bantin build` end to end: the real binary on real sites on disk.

mod common;

use common::*;
use unicode_normalization::UnicodeNormalization;

#[test]
fn good_site_builds_article_list_and_asset() {
    let site = TestSite::good();
    let out = site.build_ok();
    assert!(
        stdout(&out).contains("built 4 articles"),
        "{}",
        stdout(&out)
    );
    let page = site.page("/dan-van/tong-ket/");
    assert!(page.contains("<h1>Tổng kết công tác dân vận năm 2013</h1>"));
    assert!(page.contains(
        "<time datetime=\"2014-01-17T14:05:00+07:00\">Thứ Sáu, 17/01/2014 - 14:05</time>"
    ));
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("<figure><img src=\"/images/hoi-nghi.jpg\" alt=\"Hội nghị\" loading=\"lazy\"><figcaption>Đồng chí Châu phát biểu</figcaption></figure>"));
    assert!(
        page.contains("href=\"/dan-van/hoi-nghi/\""),
        "link to the other article"
    );
    assert!(site.public().join("images/hoi-nghi.jpg").is_file());
    let css = stylesheet_of(&page);
    assert!(
        css.starts_with("style.") && css.ends_with(".css") && css.len() > 10,
        "fingerprinted: {css}"
    );
    assert!(site.public().join(css).is_file());
    assert!(site.public().join("404.html").is_file());
    let home = site.page("/");
    assert!(home.contains("id=\"danh-sach\""));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::good();
    site.build_ok();
    assert!(!site.public().join("van-hoa-the-thao/nhap").exists());
    let out = site.build(&["--drafts"]);
    assert!(out.status.success());
    assert!(site.page("/van-hoa-the-thao/nhap/").contains("Bản nháp"));
}

#[test]
fn nfd_crlf_and_bom_give_the_same_pages_as_nfc() {
    let text = article(
        "Hoà giải ở cơ sở: Đảng bộ phường",
        "2014-01-17 14:05",
        "Dân vận",
        "Nội dung “hoà giải” thành.\n",
    );
    let clean = TestSite::new(&[("content/a.md", &text)]);
    clean.build_ok();
    let messy_text: String = text.nfd().collect::<String>().replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(messy_text.as_bytes());
    let messy = TestSite::new(&[]).with_bytes("content/a.md", &bytes);
    messy.build_ok();
    assert_eq!(tree(&clean.public()), tree(&messy.public()));
    assert!(
        clean
            .page("/dan-van/a/")
            .contains("<h1>Hoà giải ở cơ sở: Đảng bộ phường</h1>")
    );
}

/// Each bad file, added to a good site that was built once, must fail the build
/// with a message naming the file (and line), and leave public/ as it was.
fn assert_rejected(file: &str, bytes: &[u8], expected: &[&str]) {
    let site = TestSite::good();
    site.build_ok();
    let before = tree(&site.public());
    site.write_bytes(file, bytes);
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success(), "build of {file} should fail");
    for part in expected {
        assert!(err.contains(part), "expected `{part}` in:\n{err}");
    }
    assert!(err.contains("public was left as it was"), "{err}");
    assert_eq!(
        before,
        tree(&site.public()),
        "public/ changed after a failed build"
    );
    let left = leftovers(&site.root());
    assert!(left.is_empty(), "staging left behind: {left:?}");
}

#[test]
fn missing_title_fails_and_keeps_public() {
    assert_rejected(
        "content/x.md",
        b"---\ndate: 2014-01-17\ncategory: \"D\xC3\xA2n v\xE1\xBA\xADn\"\n---\nx\n",
        &[
            "content/x.md:1:1: error: the article has no `title`",
            "hint: add a line such as `title:",
        ],
    );
}

#[test]
fn impossible_date_fails_and_keeps_public() {
    assert_rejected(
        "content/x.md",
        article("Tin", "2014-02-30 10:00", "Dân vận", "x").as_bytes(),
        &[
            "content/x.md:3:7: error: `date`: `2014-02-30 10:00` is not a real date",
            "hint: write it as",
        ],
    );
}

#[test]
fn negative_views_fail_and_keep_public() {
    let text = article("Tin", "2014-01-17", "Dân vận", "x").replace("views: 10", "views: -5");
    assert_rejected(
        "content/x.md",
        text.as_bytes(),
        &["content/x.md:5:8: error: `views` should be a whole number of 0 or more, not -5"],
    );
}

#[test]
fn non_numeric_views_fail_and_keep_public() {
    let text = article("Tin", "2014-01-17", "Dân vận", "x").replace("views: 10", "views: 4.351");
    assert_rejected(
        "content/x.md",
        text.as_bytes(),
        &["content/x.md:5:8: error: `views`", "thousands separator"],
    );
    let text = article("Tin", "2014-01-17", "Dân vận", "x").replace("views: 10", "views: nhiều");
    assert_rejected(
        "content/x.md",
        text.as_bytes(),
        &["content/x.md:5:8: error: `views` should be a whole number of 0 or more, not `nhiều`"],
    );
}

#[test]
fn misspelled_field_fails_with_suggestion() {
    let text = article("Tin", "2014-01-17", "Dân vận", "x")
        .replace("views: 10", "views: 10\nauther: Minh Thư");
    assert_rejected(
        "content/x.md",
        text.as_bytes(),
        &[
            "content/x.md:6:1: error: unknown field `auther`",
            "hint: did you mean `author`?",
        ],
    );
}

#[test]
fn unclosed_front_matter_fails() {
    assert_rejected(
        "content/x.md",
        "---\ntitle: \"Tin\"\ndate: 2014-01-17\ncategory: Dân vận\n\nThân bài.\n".as_bytes(),
        &[
            "content/x.md:1:1: error: the front matter opened on line 1 is never closed",
            "hint: add a line with only `---`",
        ],
    );
}

#[test]
fn broken_yaml_fails_with_its_line() {
    assert_rejected(
        "content/x.md",
        "---\ntitle: \"Tin\ndate: 2014-01-17\ncategory: Dân vận\n---\nx\n".as_bytes(),
        &["content/x.md:", "error: the front matter is not valid YAML"],
    );
}

#[test]
fn empty_file_fails() {
    assert_rejected(
        "content/x.md",
        b"",
        &["content/x.md:1:1: error: the file is empty"],
    );
}

#[test]
fn windows_1258_file_fails_saying_so() {
    // "Dân vận" as an old Windows editor saves it: â = 0xE2, ậ = 'a' + 0xF2 (dot below).
    let bytes = b"---\ntitle: \"D\xE2n v\xE2\xF2n\"\ndate: 2014-01-17\ncategory: x\n---\n";
    assert_rejected(
        "content/x.md",
        bytes,
        &[
            "content/x.md:2:10: error: the file is not UTF-8 text",
            "Windows-1258",
            "save it again as UTF-8",
        ],
    );
}

#[test]
fn an_article_saved_as_unicode_text_by_notepad_or_word_builds_as_its_utf8_twin() {
    // Notepad's and Word's "Unicode" is UTF-16, little-endian, with a byte order mark.
    let text = article(
        "Hội nghị dân vận khéo",
        "2014-01-17",
        "Dân vận",
        "Nội dung **đầy đủ**.",
    )
    .replace('\n', "\r\n");
    let utf8 = TestSite::good();
    utf8.write("content/dan-van/luu-bang-notepad.md", &text);
    utf8.build_ok();
    for bom in [&[0xFF, 0xFE][..], &[]] {
        let utf16 = TestSite::good();
        let bytes: Vec<u8> = (bom.iter().copied())
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        utf16.write_bytes("content/dan-van/luu-bang-notepad.md", &bytes);
        utf16.build_ok();
        let page = "/dan-van/luu-bang-notepad/";
        assert!(utf16.page(page).contains("<strong>đầy đủ</strong>"));
        assert_eq!(utf8.page(page), utf16.page(page), "BOM: {bom:?}");
    }
}

#[test]
fn two_articles_with_one_url_name_both_files() {
    assert_rejected(
        "content/dan-van/2015/tong-ket.md",
        article(
            "Tổng kết công tác dân vận năm 2013",
            "2015-01-01",
            "Dân vận",
            "x",
        )
        .as_bytes(),
        &[
            "content/dan-van/2014/tong-ket.md:1:1: error: this article and content/dan-van/2015/tong-ket.md would both be published at /dan-van/tong-ket/",
            "hint: rename one of the files, or give one a `slug:` line of its own",
        ],
    );
}

#[test]
fn link_to_missing_article_names_both_files() {
    assert_rejected(
        "content/x.md",
        article(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "Dòng một.\n\nXem [bài cũ](2013/khong-co.md).\n",
        )
        .as_bytes(),
        &["content/x.md:10:5: error: links to content/2013/khong-co.md, which does not exist"],
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = TestSite::good();
    site.write("content/a.md", "");
    site.write(
        "content/b.md",
        &article("Tin", "2014-13-01", "Dân vận", "x"),
    );
    site.write(
        "content/c.md",
        &article("Tin c", "2014-01-01", "Dân vận", "[x](khong.md)"),
    );
    site.write("site.yaml", &format!("{SITE_YAML}paginat: 5\n"));
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    for expected in [
        "content/a.md:1:1",
        "content/b.md:3:7",
        "content/c.md:8:1",
        "site.yaml:6:1: error: unknown field `paginat`",
        "4 error(s)",
    ] {
        assert!(err.contains(expected), "expected `{expected}` in:\n{err}");
    }
}

#[test]
fn slugs_and_links_cannot_climb_out_of_the_output() {
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "../../../..",
            "slug: \"../../../../../evil\"\n",
            "x",
        ),
    );
    let out = site.build(&[]);
    assert!(
        !out.status.success(),
        "a category with no letters cannot make a URL"
    );
    site.write(
        "content/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "slug: \"../../../../../evil\"\n",
            "x",
        ),
    );
    site.build_ok();
    let everything = tree(site.dir.path());
    let outside: Vec<_> = everything
        .keys()
        .filter(|p| !p.starts_with("site/"))
        .collect();
    assert!(outside.is_empty(), "written outside the site: {outside:?}");
    assert!(site.public().join("dan-van/evil/index.html").is_file());
    site.write(
        "content/x.md",
        &article(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "[x](../../../../../../etc/passwd)",
        ),
    );
    let err = stderr(&site.build(&[]));
    assert!(err.contains("climbs out of the content folder"), "{err}");
}

#[test]
fn output_folder_that_holds_the_site_is_refused() {
    let site = TestSite::good();
    for out in [
        site.root(),
        site.dir.path().to_path_buf(),
        site.root().join("content/public"),
    ] {
        let result = site.build(&["--out", out.to_str().unwrap()]);
        assert!(!result.status.success());
        assert!(
            stderr(&result).contains("refusing to build into"),
            "{}",
            stderr(&result)
        );
    }
    assert!(
        site.root()
            .join("content/dan-van/2014/tong-ket.md")
            .is_file()
    );
}

#[test]
fn output_folder_of_other_files_root_or_a_file_is_refused() {
    let site = TestSite::good();
    let others = site.dir.path().join("tai-lieu");
    std::fs::create_dir_all(&others).unwrap();
    std::fs::write(others.join("ke-hoach.docx"), "kế hoạch").unwrap();
    let file = site.dir.path().join("mot-tep.txt");
    std::fs::write(&file, "x").unwrap();
    for (out, why) in [
        (others.clone(), "files that bantin did not make"),
        (std::path::PathBuf::from("/"), "root of the file system"),
        (file.clone(), "a file, not a folder"),
    ] {
        let result = site.build(&["--out", out.to_str().unwrap()]);
        assert!(!result.status.success(), "{}", out.display());
        assert!(stderr(&result).contains(why), "{}", stderr(&result));
    }
    assert_eq!(
        std::fs::read_to_string(others.join("ke-hoach.docx")).unwrap(),
        "kế hoạch"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    // An empty folder is taken, and marked, so the next build replaces it.
    let empty = site.dir.path().join("trong");
    std::fs::create_dir_all(&empty).unwrap();
    for _ in 0..2 {
        let result = site.build(&["--out", empty.to_str().unwrap()]);
        assert!(result.status.success(), "{}", stderr(&result));
    }
    assert!(empty.join(".bantin-output").is_file());
    assert!(empty.join("index.html").is_file());
}

#[test]
fn base_url_option_overrides_site_yaml() {
    let site = TestSite::good();
    let out = site.build(&["--base-url", "https://preview.example.org/pr-12/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = site.page("/dan-van/tong-ket/");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://preview.example.org/pr-12/dan-van/tong-ket/\">"
    ));
    assert!(
        page.contains("href=\"/pr-12/dan-van/hoi-nghi/\""),
        "links keep the base path"
    );
}

#[test]
fn help_lists_only_working_commands() {
    let out = bantin().arg("--help").output().unwrap();
    let help = stdout(&out);
    assert!(help.contains("  new "));
    assert!(help.contains("  search "));
    assert!(help.contains("  import "));
    assert!(help.contains("  check "));
    assert!(help.contains("  serve "));
    assert!(help.contains("  build "));
}

/// The acceptance check on a generated portal of 2,000 articles.
#[test]
fn generated_corpus_builds_completely_and_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(2000, &dir.path().join("site"));
    build_root(&root, &[]);

    let mut published = Vec::new();
    let mut drafts = Vec::new();
    let mut assets = Vec::new();
    for (rel, bytes) in tree(&root.join("content")) {
        if !rel.ends_with(".md") {
            assets.push(rel);
            continue;
        }
        let text = String::from_utf8(bytes)
            .unwrap()
            .nfc()
            .collect::<String>()
            .replace("\r\n", "\n");
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap()
            .trim_matches('"')
            .replace("\\\"", "\"");
        if text.contains("\ndraft: true\n") {
            drafts.push(title)
        } else {
            published.push(title)
        }
    }
    let public = tree(&root.join("public"));
    let mut h1s = std::collections::HashSet::new();
    let mut article_pages = 0;
    for (rel, bytes) in &public {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        assert!(!html.contains('\r'), "CR in {rel}");
        assert!(!html.contains('\u{feff}'), "BOM in {rel}");
        assert!(html.nfc().eq(html.chars()), "NFD text in {rel}");
        assert!(!html.contains(".md\""), "a .md link left in {rel}");
        if html.contains("class=\"article\"") {
            article_pages += 1;
            let h1 = html
                .split("<h1>")
                .nth(1)
                .unwrap()
                .split("</h1>")
                .next()
                .unwrap();
            h1s.insert(
                h1.replace("&quot;", "\"")
                    .replace("&amp;", "&")
                    .replace("&#39;", "'"),
            );
        }
    }
    assert_eq!(
        article_pages,
        published.len(),
        "one page per published article"
    );
    for title in &published {
        assert!(h1s.contains(title), "no <h1> for {title}");
    }
    for title in &drafts {
        assert!(
            !h1s.contains(title) || published.contains(title),
            "draft published: {title}"
        );
    }
    for asset in &assets {
        assert!(public.contains_key(asset), "asset not copied: {asset}");
    }
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(400, &dir.path().join("site"));
    let build = |threads: &str, out: &str| {
        let result = bantin()
            .env("RAYON_NUM_THREADS", threads)
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(result.status.success(), "{}", stderr(&result));
        tree(&dir.path().join(out))
    };
    let one = build("1", "one");
    let two = build("2", "two");
    assert!(one.len() > 400);
    assert!(one == two, "outputs differ between 1 and 2 threads");
}

#[test]
fn content_is_escaped_in_pages_and_feeds() {
    let hostile = "</script><script>alert(1)</script> & \\\"Tin\\\"";
    let site = TestSite::new(&[(
        "content/x.md",
        &article_with(
            hostile,
            "2014-01-17",
            "<b>Dân vận</b>",
            "aliases: [\"/cu.html\"]\nauthor: \"<img src=x onerror=alert(1)>\"\nsource: \"<script>alert(2)</script>\"\ntags: [\"<script>alert(3)</script>\"]\nsummary: \"<script>alert(4)</script>\"\nimage: \"/a.jpg\\\" onerror=\\\"alert(5)\"\n",
            "Thân bài.\n",
        ),
    )]);
    // site.yaml's values too: the site's name, description and agency.
    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}description: \"<script>alert(6)</script>\"\nagency:\n  name: \"</script><script>alert(7)</script>\"\n  address: \"<b>Số 1</b>\"\n"
        )
        .replace(
            "title: \"Cổng thông tin điện tử Phường Mẫu\"",
            "title: \"<script>alert(8)</script> Phường\"",
        ),
    );
    site.build_ok();
    let mut checked = 0;
    for (path, bytes) in tree(&site.public()) {
        // The stylesheet, the theme's icon (an image), and the search index's
        // binary files (their text is escaped by search.js).
        if path.ends_with(".css") || path.ends_with(".ico") || path.ends_with(".bin") {
            continue;
        }
        // Pages, feeds, sitemaps, and any JSON or script the site ships.
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            !text.contains("<script>alert"),
            "{path} lets a value's markup through"
        );
        assert!(
            !text.contains("<img src=x"),
            "{path} lets an author's markup through"
        );
        assert!(
            !text.contains("<b>Dân vận</b>") && !text.contains("<b>Số 1</b>"),
            "{path} lets a category's or the agency's markup through"
        );
        assert!(
            !text.contains("\" onerror"),
            "{path} lets a quote out of an attribute"
        );
        checked += 1;
    }
    assert!(checked > 10);
    let feed = std::fs::read_to_string(site.public().join("feed.xml")).unwrap();
    assert!(
        feed.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Tin&quot;"),
        "{feed}"
    );
    let home = site.page("/");
    assert!(
        home.contains("&lt;script&gt;alert(8)&lt;&#x2F;script&gt;")
            || home.contains("&lt;script&gt;alert(8)&lt;/script&gt;"),
        "{home}"
    );
}

#[test]
fn raw_html_in_bodies_is_sanitised_kept_or_escaped_as_site_yaml_says() {
    let body = "<div class=\"hop\">Khung</div>\n\nChữ <script>alert(1)</script> **đậm**.\n";
    let site = TestSite::new(&[(
        "content/x.md",
        &article("Tin có HTML", "2014-01-17", "Tin", body),
    )]);
    site.build_ok();
    let page = site.page("/tin/x/");
    assert!(page.contains("<div>Khung</div>"), "{page}");
    assert!(
        !page.contains("<script>alert"),
        "sanitised by default: {page}"
    );

    site.write("site.yaml", &format!("{SITE_YAML}html: keep\n"));
    site.build_ok();
    let page = site.page("/tin/x/");
    assert!(page.contains("<div class=\"hop\">Khung</div>"), "{page}");
    assert!(page.contains("<script>alert(1)</script>"), "{page}");

    site.write("site.yaml", &format!("{SITE_YAML}html: escape\n"));
    site.build_ok();
    let page = site.page("/tin/x/");
    assert!(!page.contains("<div class=\"hop\">"), "{page}");
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        page.contains("<p>&lt;div class=\"hop\"&gt;Khung&lt;/div&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("<strong>đậm</strong>"),
        "Markdown still works: {page}"
    );

    site.write("site.yaml", &format!("{SITE_YAML}html: \"không\"\n"));
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("site.yaml:6:7: error: `html` should be one of sanitize, keep, escape"),
        "{}",
        stderr(&out)
    );

    site.write("site.yaml", &format!("{SITE_YAML}unsafe_html: false\n"));
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "site.yaml:6:1: error: `unsafe_html` is no longer a setting: it is now `html`"
        ),
        "{err}"
    );
    assert!(
        err.contains("`html: escape` for `unsafe_html: false`"),
        "{err}"
    );
}

#[test]
fn new_writes_an_article_that_builds_and_never_overwrites() {
    let site = TestSite::good();
    let new = || {
        bantin()
            .args(["new", "--root"])
            .arg(site.root())
            .args([
                "--category",
                "Dân vận",
                "Hội nghị \"Dân vận khéo\" năm 2026",
            ])
            .output()
            .unwrap()
    };
    let first = new();
    assert!(first.status.success(), "{}", stderr(&first));
    let path = stdout(&first).trim().to_string();
    assert!(
        path.ends_with(".md") && path.contains("content/dan-van/"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("views: 0\n")
            && text.contains("title: \"Hội nghị \\\"Dân vận khéo\\\" năm 2026\""),
        "{text}"
    );
    site.build_ok();
    assert!(
        site.page("/dan-van/hoi-nghi-dan-van-kheo-nam-2026/")
            .contains("<h1>Hội nghị &quot;Dân vận khéo&quot; năm 2026</h1>")
    );

    std::fs::write(&path, format!("{text}Bài viết của biên tập viên.\n")).unwrap();
    let second = new();
    assert!(!second.status.success());
    assert!(
        stderr(&second).contains("already exists"),
        "{}",
        stderr(&second)
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .ends_with("Bài viết của biên tập viên.\n"),
        "the editor's text is kept"
    );
}

#[test]
fn a_tag_without_letters_or_digits_is_warned_about_at_its_line_and_left_out() {
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "tags: [\"#\", \"dân vận khéo\", \"Dân Vận Khéo\", \"!!\"]\n",
            "x\n",
        ),
    );
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for tag in ["#", "!!"] {
        assert!(
            err.contains(&format!("content/x.md:6:1: warning: the tag `{tag}` has no letters or digits to make an address from: it is left out")),
            "{err}"
        );
    }
    // Two spellings of one tag are one tag, said nothing about.
    assert_eq!(err.matches("the tag `").count(), 2, "{err}");
    assert!(site.public().join("tags/dan-van-kheo/index.html").is_file());
}
