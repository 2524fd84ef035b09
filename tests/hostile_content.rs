//! Bad and hostile content, as a ward clerk's slip or an attacker's edit makes
//! it, on the real binary: each is an error naming the file (and line) with a
//! fix, the previous output left as it was; or a page in which it is harmless.

mod common;

use std::fs;

use common::*;

/// Builds `site` (with an output there already), insists that the build fails
/// naming each of `expected`, and that the output was left as it was.
fn refused(site: &TestSite, expected: &[&str]) -> String {
    if !site.public().exists() {
        site.build_ok();
    }
    let before = tree(&site.public());
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success(), "the build should fail:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    for text in expected {
        assert!(err.contains(text), "no `{text}` in:\n{err}");
    }
    assert!(
        tree(&site.public()) == before,
        "a failed build changed the output"
    );
    assert!(leftovers(&site.root()).is_empty());
    err
}

#[cfg(unix)]
#[test]
fn links_from_content_to_the_sites_own_files_or_hidden_files_are_refused() {
    let site = TestSite::good();
    site.write(
        ".git/config",
        "url = https://x:ghp_secret@example.com/phuong.git\n",
    );
    site.write("content/images/.an/ghi-chu.txt", "ghi chú riêng");
    site.build_ok();
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, site.root().join("content").join(name)).unwrap()
    };
    link("../.git/config", "cau-hinh.txt");
    link("../site.yaml", "site.txt");
    link("..", "ca-trang");
    link("images/.an/ghi-chu.txt", "ghi-chu.txt");
    let err = refused(
        &site,
        &[
            "content/cau-hinh.txt: error: a symbolic link to",
            "content/site.txt: error: a symbolic link to",
            "content/ca-trang: error: a symbolic link to",
            "outside the site's content folder",
            "content/ghi-chu.txt: error: a symbolic link to",
            "a hidden file",
        ],
    );
    assert!(!err.contains("ghp_secret"), "{err}");
    // A link inside content/ is still followed.
    for name in ["cau-hinh.txt", "site.txt", "ca-trang", "ghi-chu.txt"] {
        site.remove(&format!("content/{name}"));
    }
    link("images/hoi-nghi.jpg", "anh.jpg");
    site.build_ok();
    assert!(site.public().join("anh.jpg").is_file());
    let published = tree(&site.public());
    assert!(
        published
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("ghp_secret")),
        "the git config was published"
    );
}

#[test]
fn a_script_address_as_the_lead_image_is_an_error_at_its_line() {
    let site = TestSite::good();
    site.build_ok();
    // The article `content/tin/anh.md` with `image:` set to `image`.
    let with_image = |image: &str| {
        let fields = format!("image: \"{image}\"\n");
        site.write(
            "content/tin/anh.md",
            &article_with("Ảnh", "2014-01-17", "Tin", &fields, "x\n"),
        );
    };
    for image in [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(document.cookie)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ] {
        with_image(image);
        refused(
            &site,
            &[
                "content/tin/anh.md:6:1: error: `image:`",
                "would run a script",
                "hint: `image:` is the lead photo's path",
            ],
        );
    }
    // A link out of content/ is named at its line too.
    with_image("../../../etc/passwd");
    refused(
        &site,
        &["content/tin/anh.md:6:1: error: the link `../../../etc/passwd` climbs out"],
    );
    // A picture given whole stays whole in the page and its og:image.
    with_image("data:image/png;base64,iVBORw0KGgo=");
    site.build_ok();
    let page = site.page("/tin/anh/");
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"data:image/png;base64,iVBORw0KGgo=\">"
        ),
        "{page}"
    );
    assert!(!page.contains("javascript:"));
}

#[test]
fn an_address_that_cannot_be_a_file_is_an_error_at_the_file_that_makes_it() {
    let site = TestSite::good();
    site.build_ok();
    let with = |fields: &str| {
        site.write(
            "content/tin/x.md",
            &article_with("Tin", "2014-01-17", "Tin", fields, "x\n"),
        )
    };
    // An alias where a copied file, a feed or another alias is a file.
    with("aliases: [\"/images/hoi-nghi.jpg\"]\n");
    refused(
        &site,
        &[
            "content/tin/x.md:6:1: error: its alias /images/hoi-nghi.jpg/ would be published at /images/hoi-nghi.jpg/index.html, inside /images/hoi-nghi.jpg/, but content/images/hoi-nghi.jpg is published as the file /images/hoi-nghi.jpg",
            "hint: change or remove the alias",
        ],
    );
    with("aliases: [\"/feed.xml\"]\n");
    refused(
        &site,
        &[
            "content/tin/x.md:6:1: error: its alias /feed.xml/",
            "but the news feed is published as the file /feed.xml",
        ],
    );
    with("aliases: [\"/cu/tin.html\", \"/cu/tin.html/2\"]\n");
    refused(
        &site,
        &[
            "content/tin/x.md:6:1: error: its alias /cu/tin.html/2/",
            "but an alias of content/tin/x.md is published as the file /cu/tin.html",
        ],
    );
    site.remove("content/tin/x.md");
    // A copied file inside a folder named like a page the site writes.
    site.write("content/robots.txt/ghi-chu.txt", "x");
    refused(
        &site,
        &[
            "content/robots.txt/ghi-chu.txt: error: this file would be published at /robots.txt/ghi-chu.txt, inside /robots.txt/, but robots.txt is published as the file /robots.txt",
            "hint: move or rename the file",
        ],
    );
    site.remove("content/robots.txt/ghi-chu.txt");
    // Names too long for a file name on disk, at the line that gives them.
    let long = "đ".repeat(300);
    with(&format!("slug: \"{long}\"\n"));
    refused(
        &site,
        &[
            "content/tin/x.md:6:1: error: `slug` is too long to make an address of: 300 characters",
            "hint: shorten `slug`",
        ],
    );
    with(&format!("tags: [\"ok\", \"{long}\"]\n"));
    refused(
        &site,
        &["content/tin/x.md:6:1: error: a tag of `tags` is too long"],
    );
    with(&format!("aliases: [\"/cu/{long}.aspx\"]\n"));
    refused(
        &site,
        &[
            "content/tin/x.md:6:1: error: its alias /cu/",
            "a part of 605 bytes",
            "a file name holds at most 255",
        ],
    );
    site.write(
        "content/tin/x.md",
        &article("Tin", "2014-01-17", &long, "x\n"),
    );
    refused(
        &site,
        &["content/tin/x.md:4:1: error: `category` is too long"],
    );
    site.write(
        "content/van-ban/x.md",
        &format!("---\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"{long}\"\nissued: 2024-01-02\ntitle: \"Thử\"\n---\n"),
    );
    site.remove("content/tin/x.md");
    refused(
        &site,
        &["content/van-ban/x.md:4:1: error: `issuer` is too long"],
    );
    site.remove("content/van-ban/x.md");
    site.build_ok();
}

#[test]
fn a_base_url_with_a_password_a_query_a_bad_port_or_dot_segments_is_refused() {
    let site = TestSite::good();
    site.build_ok();
    let good = "https://phuongmau.example.gov.vn";
    for (url, says) in [
        (
            "https://bien-tap:matkhau@phuongmau.example.gov.vn",
            "holds a user name or password, which every page would publish",
        ),
        (
            "https://phuongmau.example.gov.vn/?lang=vi",
            "has a `?` or `#` part",
        ),
        (
            "https://phuongmau.example.gov.vn/#top",
            "has a `?` or `#` part",
        ),
        (
            "https://phuongmau.example.gov.vn:99999",
            "is not a site address",
        ),
        (
            "https://phuongmau.example.gov.vn\\\\cong",
            "is not a site address",
        ),
        (
            "https://phuongmau.example.gov.vn/a/../../cong",
            "has an empty, `.` or `..` part in its path",
        ),
        ("https://", "is not a site address"),
    ] {
        site.write("site.yaml", &SITE_YAML.replace(good, url));
        let err = refused(
            &site,
            &[
                "site.yaml:2:11: error: `",
                says,
                "write it like \"https://quan2.example.gov.vn\"",
            ],
        );
        assert!(!err.contains("panicked"), "{err}");
        // The address refused is told once, not also as missing.
        assert!(!err.contains("has no `base_url`"), "{err}");
    }
    let out = site.build(&["--base-url", "https://x:y@preview.example.vn"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--base-url: error:"),
        "{}",
        stderr(&out)
    );
    // A port, a path below the host, an IPv6 host and a Vietnamese host are addresses.
    for url in [
        "https://phuongmau.example.gov.vn:8443",
        "https://phuongmau.example.gov.vn/cong-thong-tin",
        "http://[::1]:8080",
        "https://phường.example.vn",
    ] {
        site.write("site.yaml", &SITE_YAML.replace(good, url));
        site.build_ok();
        let sitemap = fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
        assert!(
            sitemap.contains(&format!("<loc>{url}/")),
            "{url}: {sitemap}"
        );
    }
}

#[cfg(unix)]
/// The names in `dir`, as the bytes the disk holds.
fn names_in(dir: &std::path::Path) -> Vec<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let mut names: Vec<Vec<u8>> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().as_bytes().to_vec())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn files_named_in_decomposed_unicode_are_published_under_their_precomposed_names() {
    let pdf = demo_pdf();
    // Saved on a Mac, uploaded from an iPhone, unzipped from a Mac's archive:
    // a picture, a folder of pictures, a decision's PDF, an article.
    let site = TestSite::good()
        .with_bytes(
            &format!("content/images/{}", nfd("Lễ-hội.jpg")),
            b"\xFF\xD8 le hoi",
        )
        .with_bytes(
            &format!("content/{}/{}", nfd("ảnh-cũ"), nfd("chợ-hoa.png")),
            b"\x89PNG cho hoa",
        )
        .with_bytes(
            &format!("content/van-ban/2024/{}", nfd("quyết-định-số-7.pdf")),
            &pdf,
        )
        // No extension, ending in a letter of several bytes (the walk panicked).
        .with_bytes("content/tai-lieu/ghi-chú", b"ghi chu");
    // Everything a clerk types is precomposed (NFC); one link was copied from
    // an address bar, percent-encoded in decomposed form.
    site.write(
        &format!("content/tin/{}", nfd("lễ-hội.md")),
        &article_with(
            "Lễ hội",
            "2014-01-20",
            "Tin",
            "image: /images/Lễ-hội.jpg\n",
            "![Lễ hội](/images/Lễ-hội.jpg)\n\n[Ảnh chợ hoa](../ảnh-cũ/chợ-hoa.png), \
             [ảnh cũ](/images/Le%CC%82%CC%83-ho%CC%A3%CC%82i.jpg), [ghi chú](/tai-lieu/ghi-chú)\n",
        ),
    );
    site.write(
        "content/van-ban/2024/7-qd.md",
        "---\nnumber: \"7/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"UBND phường\"\nissued: 2024-03-12\ntitle: \"Quy chế tiếp công dân\"\nfiles: [\"quyết-định-số-7.pdf\"]\n---\n",
    );
    site.build_ok();
    let public = site.public();
    let bytes = |text: &str| text.as_bytes().to_vec();
    assert!(names_in(&public.join("images")).contains(&bytes("Lễ-hội.jpg")));
    assert!(!names_in(&public.join("images")).contains(&bytes(&nfd("Lễ-hội.jpg"))));
    assert!(names_in(&public).contains(&bytes("ảnh-cũ")));
    assert!(!names_in(&public).contains(&bytes(&nfd("ảnh-cũ"))));
    assert_eq!(names_in(&public.join("ảnh-cũ")), [bytes("chợ-hoa.png")]);
    assert!(names_in(&public.join("van-ban/2024")).contains(&bytes("quyết-định-số-7.pdf")));
    assert_eq!(
        fs::read(public.join("ảnh-cũ/chợ-hoa.png")).unwrap(),
        b"\x89PNG cho hoa"
    );
    assert_eq!(
        fs::read(public.join("tai-lieu/ghi-chú")).unwrap(),
        b"ghi chu"
    );
    // Every address the pages give is where the file is, byte for byte.
    let page = site.page("/tin/le-hoi/");
    for address in [
        "src=\"/images/Lễ-hội.jpg\"",
        "src=\"/images/L%E1%BB%85-h%E1%BB%99i.jpg\"",
        "href=\"/%E1%BA%A3nh-c%C5%A9/ch%E1%BB%A3-hoa.png\"",
    ] {
        assert!(page.contains(address), "no {address} in {page}");
    }
    assert_eq!(
        page.matches("/images/L%E1%BB%85-h%E1%BB%99i.jpg").count(),
        2,
        "the link from the address bar leads there too: {page}"
    );
    let document = site.page("/van-ban/7-2024-qd-ubnd/");
    assert!(
        document.contains("href=\"/van-ban/2024/quyết-định-số-7.pdf\""),
        "{document}"
    );
    let open_data = fs::read_to_string(public.join("van-ban/index.json")).unwrap();
    assert!(
        open_data.contains(&format!("\"bytes\": {},", pdf.len())),
        "{open_data}"
    );
    // Published under its decomposed name by an older bantin: not an address
    // gone, the file is where links lead.
    let record = public.join("published-urls.txt");
    let older = fs::read_to_string(&record).unwrap().replace(
        "/images/Lễ-hội.jpg\t",
        &format!("/images/{}\t", nfd("Lễ-hội.jpg")),
    );
    assert_ne!(older, fs::read_to_string(&record).unwrap());
    fs::write(&record, older).unwrap();
    let again = site.build_ok();
    assert!(
        !stderr(&again).contains("no longer publishes"),
        "{}",
        stderr(&again)
    );
    // check agrees: nothing is missing, no file is unused.
    let out = bantin()
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{said}");
    for name in ["Lễ-hội", "chợ-hoa", "quyết-định-số-7", "ghi-chú"] {
        assert!(!said.contains(name), "{name}: {said}");
        assert!(!said.contains(&nfd(name)), "{name}: {said}");
    }
}

#[test]
fn two_files_whose_names_differ_only_in_unicode_form_are_an_error_naming_both() {
    // Side by side on Linux: both would be one address, one over the other.
    let site = TestSite::good();
    site.build_ok();
    let site = site
        .with_bytes(
            &format!("content/images/{}", nfd("Lễ-hội.jpg")),
            b"from a Mac",
        )
        .with_bytes("content/images/Lễ-hội.jpg", b"typed")
        .with_bytes(
            &format!("content/{}/a.jpg", nfd("ảnh")),
            b"folder from a Mac",
        )
        .with_bytes("content/ảnh/a.jpg", b"folder typed");
    site.write(
        &format!("content/tin/{}", nfd("bài.md")),
        &article("Bài một", "2014-01-20", "Tin", "x\n"),
    );
    site.write(
        "content/tin/bài.md",
        &article("Bài hai", "2014-01-21", "Tin", "y\n"),
    );
    let expected = [
        format!(
            "content/images/{}: error: this file and content/images/Lễ-hội.jpg are named alike in two Unicode forms, \
             this one decomposed (NFD, as a Mac names files: `images/Le\\u{{302}}\\u{{303}}-ho\\u{{323}}\\u{{302}}i.jpg`), \
             the other precomposed (NFC): both would be published as /images/Lễ-hội.jpg, one over the other",
            nfd("Lễ-hội.jpg")
        ),
        format!(
            "hint: keep one: delete content/images/{} if it is a second copy of the same file, or rename it; \
             a name without tone marks (e.g. `le-hoi.jpg`) is the same in every form",
            nfd("Lễ-hội.jpg")
        ),
        format!(
            "content/{}/a.jpg: error: this file and content/ảnh/a.jpg are named alike",
            nfd("ảnh")
        ),
        "hint: the names of their folders differ so: keep one folder".to_string(),
        format!(
            "content/tin/{}: error: this file and content/tin/bài.md are named alike in two Unicode forms",
            nfd("bài.md")
        ),
        "a link to content/tin/bài.md could be either".to_string(),
    ];
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    refused(&site, &expected);
    // check says the same.
    let out = bantin()
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "{said}");
    for text in expected {
        assert!(said.contains(text), "no `{text}` in:\n{said}");
    }
}

#[test]
fn week_53_of_a_year_of_52_weeks_says_which_week_those_days_are() {
    let site = TestSite::good();
    site.build_ok();
    site.write(
        "content/lich-cong-tac/2025-W53.yaml",
        "items:\n  - start: 2025-12-29 07:30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n",
    );
    refused(
        &site,
        &[
            "content/lich-cong-tac/2025-W53.yaml: error: `2025-W53` is not a week: 2025 has 52 weeks in ISO 8601, the last ending on Sunday 28/12/2025",
            "hint: the days from Monday 29/12/2025 on are the week 2026-W01: name the file 2026-W01.yaml",
        ],
    );
    // 2026 has 53 weeks: its week 53 is a week.
    site.remove("content/lich-cong-tac/2025-W53.yaml");
    site.write(
        "content/lich-cong-tac/2026-W53.yaml",
        "items:\n  - start: 2026-12-28 07:30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n",
    );
    site.build_ok();
    assert!(
        site.page("/lich-cong-tac/2026/tuan-53/")
            .contains("Họp giao ban")
    );
}

#[cfg(unix)]
#[test]
fn search_into_a_reader_that_stops_reading_ends_without_a_panic() {
    use std::process::{Command, Stdio};
    let site = TestSite::good();
    site.build_ok();
    for args in [
        &["search", "--site"][..],
        &["search", "--json", "--site"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(args)
            .arg(site.public())
            .arg("dân vận")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first hit is written (`| head -0`).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.status.code() != Some(101), "{err}");
    }
}

#[test]
fn a_percent_encoded_alias_is_published_where_the_host_looks_for_it() {
    let site = TestSite::good();
    site.build_ok();
    // As copied from a browser's address bar on the old portal.
    site.write(
        "content/tin/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Tin",
            "aliases: [\"http://quan2.hochiminhcity.gov.vn/Pages/tin-t%E1%BB%A9c/H%E1%BB%99i%20ngh%E1%BB%8B.aspx?ItemID=5\"]\n",
            "x\n",
        ),
    );
    site.build_ok();
    let redirect = site.public().join("Pages/tin-tức/Hội nghị.aspx/index.html");
    let page =
        fs::read_to_string(&redirect).unwrap_or_else(|e| panic!("{}: {e}", redirect.display()));
    assert!(page.contains("/tin/x/"), "{page}");
    assert!(!site.public().join("Pages/tin-t%E1%BB%A9c").exists());
    // Encoded dots climb no more than written ones, and are named at their line.
    site.write(
        "content/tin/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Tin",
            "aliases: [\"/cu/%2e%2e/%2E%2E/%2e%2e/ra-ngoai/\"]\n",
            "x\n",
        ),
    );
    refused(
        &site,
        &[
            "content/tin/x.md:6:1: error: the alias `/cu/%2e%2e/%2E%2E/%2e%2e/ra-ngoai/` is not a path on this site",
        ],
    );
}

#[test]
fn a_category_named_like_a_page_of_the_site_is_named_at_the_article_that_gives_it() {
    let site = TestSite::good();
    site.build_ok();
    site.write(
        "content/tin/x.md",
        &article("Tin", "2014-01-17", "Tags", "x\n"),
    );
    refused(
        &site,
        &[
            "content/tin/x.md:4:1: error: the list of categories and tags and the list of category `Tags` would both be published at /tags/",
            "hint: rename the category",
        ],
    );
    site.write(
        "content/van-ban/1.md",
        "---\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"UBND phường\"\nissued: 2024-01-02\ntitle: \"Thử\"\n---\n",
    );
    site.write(
        "content/tin/x.md",
        &article("Tin", "2014-01-17", "Văn bản", "x\n"),
    );
    let err = refused(
        &site,
        &[
            "content/tin/x.md:4:1: error: the register of documents and the list of category `Văn bản` would both be published at /van-ban/",
            "content/tin/x.md:4:1: error: the feed of documents and the feed of category `Văn bản` would both be published at /van-ban/feed.xml",
        ],
    );
    assert!(!err.contains("site.yaml"), "{err}");
}

#[test]
fn control_characters_in_titles_and_bodies_leave_the_feeds_well_formed() {
    let site = TestSite::good();
    site.write(
        "content/tin/x.md",
        &article_with(
            "Tin \\x1B[31m đỏ \\a chuông \\uFFFE",
            "2014-02-20",
            "Tin",
            "summary: \"tóm \\x0B tắt\"\n",
            "Có \u{7} chuông, \u{1b} esc, \u{fffe} và \u{85} NEL.\n",
        ),
    );
    site.write(
        "content/van-ban/9.md",
        "---\nnumber: \"9/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"UBND phường\"\nissued: 2024-01-02\ntitle: \"Văn bản \\x1B điều khiển\"\n---\n",
    );
    site.build_ok();
    for feed in ["feed.xml", "tin/feed.xml", "van-ban/feed.xml"] {
        let xml = fs::read_to_string(site.public().join(feed)).unwrap();
        let parsed = roxmltree::Document::parse(&xml);
        assert!(parsed.is_ok(), "{feed}: {:?}", parsed.err());
    }
    let news = fs::read_to_string(site.public().join("feed.xml")).unwrap();
    assert!(
        news.contains("<title>Tin [31m đỏ  chuông </title>"),
        "{news}"
    );
}

#[test]
fn a_file_of_content_cannot_replace_the_search_pages_script_or_index() {
    let site = TestSite::good();
    site.build_ok();
    let script = fs::read_dir(site.public().join("search"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.ends_with(".js"))
        .expect("the search page's script");
    let published = fs::read(site.public().join("search").join(&script)).unwrap();
    for name in [script.as_str(), "manifest.json"] {
        site.write(&format!("content/search/{name}"), "alert(document.cookie)");
        refused(
            &site,
            &[
                &format!(
                    "content/search/{name}: error: this file would be published in /search/, the folder of the search page, its index and its script"
                ),
                "hint: move the file to another folder of content/",
            ],
        );
        site.remove(&format!("content/search/{name}"));
    }
    site.build_ok();
    assert_eq!(
        fs::read(site.public().join("search").join(&script)).unwrap(),
        published
    );
    // A site without search has no such folder: the file is copied.
    site.write("site.yaml", &format!("{SITE_YAML}search: false\n"));
    site.write("content/search/ghi-chu.txt", "x");
    site.build_ok();
    assert!(site.public().join("search/ghi-chu.txt").is_file());
}
