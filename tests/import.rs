//! `bantin import` end to end: the real binary on saved legacy pages, copied into a
//! fresh site, then `bantin build` on the result.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use bantin::content::article::{SourceArticle, parse_article};
use common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn seeds() -> PathBuf {
    fixtures().join("seeds")
}

fn page(name: &str) -> PathBuf {
    fixtures().join("pages").join(name)
}

/// Runs `bantin import --root <site> <args>`.
fn import(site: &TestSite, args: &[&str], inputs: &[PathBuf]) -> Output {
    bantin()
        .arg("import")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .args(inputs)
        .output()
        .unwrap()
}

fn import_ok(site: &TestSite, args: &[&str], inputs: &[PathBuf]) -> String {
    let out = import(site, args, inputs);
    assert!(
        out.status.success(),
        "import failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Every article under the site's content/, parsed as the build parses it.
fn articles(site: &TestSite) -> Vec<SourceArticle> {
    let content = site.root().join("content");
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
    tree(&content)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".md"))
        .map(|(rel, bytes)| {
            parse_article(&rel, &bytes, &tz).unwrap_or_else(|e| panic!("{rel}: {e:?}"))
        })
        .collect()
}

/// The article imported from the page file `name`.
fn imported<'a>(articles: &'a [SourceArticle], name: &str) -> &'a SourceArticle {
    articles
        .iter()
        .find(|a| {
            a.front.extra["imported_from"]
                .as_str()
                .is_some_and(|from| from.starts_with(&format!("{name}#")))
        })
        .unwrap_or_else(|| panic!("no article imported from {name}"))
}

fn when(article: &SourceArticle) -> String {
    article.front.date.strftime("%Y-%m-%d %H:%M").to_string()
}

/// Whitespace collapsed and Markdown escapes undone, for comparing text.
fn plain(text: &str) -> String {
    text.replace('\\', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lines `numbers` (1-based) of a seed page, as the page has them.
fn seed_lines(name: &str, numbers: &[usize]) -> Vec<String> {
    let text = std::fs::read_to_string(seeds().join(name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    numbers.iter().map(|&n| plain(lines[n - 1])).collect()
}

const SEED_0: &str = "000_052d0e9998794950.txt";
const SEED_1: &str = "001_bcce608b5f103c57.txt";
const SEED_2: &str = "002_546b4ca9ae962e86.txt";
const SEED_3: &str = "003_7e5c0267e9f3d7c0.txt";
const SEED_4: &str = "004_b32254c16ca3d970.txt";

#[test]
fn seeds_import_with_title_date_time_views_and_category() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[], &[seeds()]);
    let all = articles(&site);
    assert_eq!(all.len(), 5);
    // Read by hand from the seed pages.
    for (name, title, date, views, category) in [
        (
            SEED_0,
            "Tổng kết công tác dân vận và quy chế Dân chủ cơ sở",
            "2014-01-17 14:05",
            4351,
            "Nghị quyết trung ương 4",
        ),
        (
            SEED_1,
            "Giao ban công tác dân vận quý I, triển khai nhiệm vụ trọng tâm quý II/2021",
            "2021-04-08 11:22",
            1748,
            "Tin tức - Sự kiện nổi bật",
        ),
        (
            SEED_4,
            "Đổi mới công tác dân vận trong tình hình mới",
            "2015-06-20 10:30",
            3598,
            "Tin tức sự kiện",
        ),
    ] {
        let a = imported(&all, name);
        assert_eq!(a.front.title, title, "{name}");
        assert_eq!(when(a), date, "{name}");
        assert_eq!(a.front.views, views, "{name}");
        assert_eq!(a.front.category, category, "{name}");
    }
    // 002 has a title but no date line, view count or category: its text opens
    // with "Ngày 11 tháng 6 năm 2018".
    let a = imported(&all, SEED_2);
    assert_eq!(
        a.front.title,
        "Ban Dân vận Huyện ủy khảo sát 5 năm thực hiện Chương trình hành động số 20 của Huyện ủy"
    );
    assert_eq!(when(a), "2018-06-11 00:00");
    assert_eq!(a.front.views, 0);
    // 003 is only the text: the title is made from its first sentence.
    let a = imported(&all, SEED_3);
    assert!(
        a.front
            .title
            .starts_with("Qua 10 năm thực hiện “Quy chế công tác dân vận"),
        "{}",
        a.front.title
    );
    assert_eq!(a.front.author.as_deref(), Some("Chung Trần"));
}

#[test]
fn seeds_keep_every_paragraph_and_leave_chrome_out() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[], &[seeds()]);
    let all = articles(&site);
    // Line numbers of each page's own text, read by hand.
    let body_lines: [(&str, Vec<usize>); 5] = [
        (SEED_0, vec![5, 7, 9, 11, 13, 15]),
        (SEED_1, (6..=38).step_by(2).collect()),
        (SEED_2, vec![5, 7, 9, 11, 13]),
        (SEED_3, vec![1, 3, 5, 7, 12, 14]),
        (SEED_4, vec![15, 17, 19]),
    ];
    for (name, lines) in &body_lines {
        let body = plain(&imported(&all, name).body);
        for line in seed_lines(name, lines) {
            assert!(body.contains(&line), "{name}: lost `{line}`\nbody: {body}");
        }
    }
    let chrome_lines: [(&str, Vec<usize>); 5] = [
        (SEED_0, (19..=37).filter(|n| *n != 21).collect()),
        (SEED_1, vec![]),
        (SEED_2, vec![1, 15]),
        (SEED_3, vec![9]),
        (SEED_4, vec![1, 22, 24, 26]),
    ];
    for (name, lines) in &chrome_lines {
        let article = imported(&all, name);
        let body_lines: Vec<String> = article
            .body
            .lines()
            .map(|l| plain(l.trim_start_matches("- ")))
            .collect();
        for line in seed_lines(name, lines) {
            let line = line.trim_start_matches("• ").to_string();
            assert!(!body_lines.contains(&line), "{name}: chrome `{line}` kept");
        }
        for chrome in [
            "leftcenterrightdel",
            "Tìm kiếm",
            "Tin khác",
            "Xem theo ngày",
            "Số lượt người xem",
            "SỐ LƯỢT TRUY CẬP",
            "TIN MỚI HƠN",
            "TIN ĐÃ ĐƯA",
            "Site banner",
            "Lượt xem",
            "KỶ NIỆM 15 NĂM THÀNH LẬP QUẬN 2",
        ] {
            assert!(!article.body.contains(chrome), "{name}: `{chrome}` kept");
        }
    }
    // The numbered tasks of 001 stay a numbered list.
    let body = &imported(&all, SEED_1).body;
    assert!(body.contains("\n1. Tập trung công tác nắm bắt"), "{body}");
    assert!(body.contains("\n7. Các đơn vị từ Quận đến cơ sở"), "{body}");
}

#[test]
fn seeds_build_into_a_site() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[], &[seeds()]);
    site.build_ok();
    let page =
        site.page("/nghi-quyet-trung-uong-4/tong-ket-cong-tac-dan-van-va-quy-che-dan-chu-co-so/");
    assert!(page.contains("<h1>Tổng kết công tác dân vận và quy chế Dân chủ cơ sở</h1>"));
    assert!(page.contains("datetime=\"2014-01-17T14:05:00+07:00\""));
    assert!(!page.contains("leftcenterrightdel"));
}

#[test]
fn report_names_every_seed_page_that_needed_a_guess() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[], &[seeds()]);
    let people = report
        .split("Pages that need a person")
        .nth(1)
        .unwrap_or_else(|| panic!("no list of pages needing a person:\n{report}"));
    assert!(
        people.contains(&format!("{SEED_2}: check date, category")),
        "{report}"
    );
    assert!(
        people.contains(&format!("{SEED_3}: check title, date, category")),
        "{report}"
    );
    for sure in [SEED_0, SEED_1, SEED_4] {
        assert!(!people.contains(sure), "{sure} needed no guess:\n{report}");
    }
    assert!(
        report.contains("found: title, date, time, category, views"),
        "{report}"
    );
    assert!(
        report.contains("no date on the page: used the file's date"),
        "{report}"
    );
    assert!(report.contains("Imported 5 page(s): 5 new"), "{report}");
    // The guesses are also left in the article, for whoever opens it.
    let all = articles(&site);
    assert_eq!(
        imported(&all, SEED_3).front.extra["import_guessed"],
        serde_json::json!(["title", "date", "category"])
    );
}

#[test]
fn dry_run_writes_nothing() {
    let site = TestSite::new(&[]);
    let before = tree(&site.root());
    let out = import(&site, &["--dry-run"], &[seeds(), fixtures().join("pages")]);
    let report = stdout(&out);
    assert_eq!(tree(&site.root()), before);
    // Every page file but the one with no article text (chrome-only.txt).
    let pages = std::fs::read_dir(fixtures().join("pages")).unwrap().count() + 5 - 1;
    assert!(
        report.contains(&format!("would import {pages} page(s): {pages} new")),
        "{report}"
    );
    assert!(report.contains("chrome-only.txt: not imported"), "{report}");
    assert!(report.contains("Dry run, nothing written"), "{report}");
    assert!(report.contains("(would write)"), "{report}");
}

#[test]
fn importing_again_gives_no_duplicates() {
    let site = TestSite::new(&[]);
    let inputs = [seeds(), page("same-title-a.txt"), page("same-title-b.txt")];
    import_ok(&site, &[], &inputs);
    let first = tree(&site.root().join("content"));
    assert_eq!(first.len(), 7);
    // Again, and with the same pages named one by one instead of by folder.
    let report = import_ok(&site, &[], &inputs);
    assert!(report.contains("0 new, 7 unchanged"), "{report}");
    let one_by_one: Vec<PathBuf> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    import_ok(&site, &[], &one_by_one);
    assert_eq!(tree(&site.root().join("content")), first);
    // An article an editor corrected is left as the editor has it, and not doubled.
    let (rel, _) = first.iter().next().unwrap();
    let corrected = String::from_utf8(first[rel].clone())
        .unwrap()
        .replace("\n---\n", "\nsummary: \"Sửa bởi biên tập viên\"\n---\n");
    site.write(&format!("content/{rel}"), &corrected);
    let report = import_ok(&site, &[], &inputs);
    assert!(
        report.contains("0 new, 6 unchanged, 1 kept as edited"),
        "{report}"
    );
    let after = tree(&site.root().join("content"));
    assert_eq!(after.len(), first.len());
    assert_eq!(after[rel], corrected.as_bytes());
}

#[test]
fn legacy_encodings_are_read_as_nfc() {
    let site = TestSite::new(&[]);
    let names = [
        "mixed-fonts.html",
        "utf-16.txt",
        "tcvn3-saved-as-utf8.html",
        "vni-entities.html",
        "tcvn3.html",
        "tcvn3.txt",
        "vni.html",
        "vni.txt",
        "windows-1258.html",
        "windows-1258.txt",
    ];
    let report = import_ok(&site, &[], &names.map(page));
    let all = articles(&site);
    for (name, encoding, title, sentence) in [
        (
            "tcvn3.html",
            "TCVN3 (ABC)",
            "Hội nghị tổng kết công tác dân vận năm 2008",
            "biểu dương những tập thể, cá nhân có thành tích xuất sắc",
        ),
        (
            "tcvn3.txt",
            "TCVN3 (ABC)",
            "Đường giao thông nông thôn về đến từng thôn",
            "Bà con phấn khởi vì con đường mới",
        ),
        (
            "vni.html",
            "VNI",
            "Ủy ban nhân dân phường Bình Trưng Đông họp mặt Ngày Thương binh Liệt sĩ",
            "Đồng chí Chủ tịch ỦY BAN thăm hỏi",
        ),
        (
            "vni.txt",
            "VNI",
            "Ưu đãi người có công với cách mạng",
            "Ước tính mỗi năm phường vận động",
        ),
        (
            "windows-1258.html",
            "Windows-1258",
            "Ứng dụng công nghệ thông tin trong quản lý đất đai",
            "Người dân có thể tra cứu tình trạng hồ sơ",
        ),
        (
            "windows-1258.txt",
            "Windows-1258",
            "Nông dân xã Tân Thạnh thu hoạch lúa đông xuân được mùa",
            "năng suất lúa đạt 7 tấn một héc-ta",
        ),
        (
            "mixed-fonts.html",
            "TCVN3 (ABC) kept as Latin-1 letters (re-read)",
            "Xã Phú Hòa khánh thành nhà văn hóa ấp",
            "Nhà văn hóa ấp được xây dựng với kinh phí 600 triệu đồng",
        ),
        (
            "utf-16.txt",
            "UTF-16",
            "Chợ phiên nông sản an toàn mở cửa cuối tuần",
            "Chợ phiên có 40 gian hàng rau củ",
        ),
        (
            "tcvn3-saved-as-utf8.html",
            "TCVN3 (ABC) kept as Latin-1 letters (re-read)",
            "Đại hội Hội Cựu chiến binh xã nhiệm kỳ 2007 - 2012",
            "Đại hội đã bầu ban chấp hành mới gồm 9 đồng chí",
        ),
        (
            "vni-entities.html",
            "VNI kept as Latin-1 letters (re-read)",
            "Phường Long Bình tổ chức ngày hội đại đoàn kết toàn dân",
            "Ngày hội có 500 người dân tham gia",
        ),
    ] {
        assert!(report.contains(&format!("{name} -> ")), "{report}");
        let section = report.split(&format!("{name} -> ")).nth(1).unwrap();
        assert!(
            section
                .lines()
                .nth(2)
                .unwrap()
                .contains(&format!("read as {encoding};")),
            "{name}:\n{report}"
        );
        let a = imported(&all, name);
        assert_eq!(a.front.title, title, "{name}");
        assert!(a.body.contains(sentence), "{name}: {}", a.body);
        assert!(unicode_normalization::is_nfc(&a.body), "{name}");
    }
    assert_eq!(imported(&all, "vni.txt").front.views, 1024);
    // Its menu was Unicode already: only the article's own text was read again.
    assert_eq!(
        imported(&all, "mixed-fonts.html").front.category,
        "Tin tức sự kiện"
    );
    assert_eq!(
        imported(&all, "windows-1258.html").front.category,
        "Kinh tế"
    );
    site.build_ok();
}

#[test]
fn each_legacy_date_form_is_read() {
    let site = TestSite::new(&[]);
    let cases = [
        ("dotnet-month-names.txt", "2012-12-03 16:45"), // Tháng Mười Hai, CH
        ("dotnet-sa-midnight.txt", "2016-11-01 00:15"), // Tháng Mười Một, 12:15 SA
        ("tcvn3.txt", "2010-08-20 15:30"),              // Tháng Tám, CH
        ("windows-1258.txt", "2013-04-07 07:45"),       // Tháng Tư, SA
        ("date-updated-line.txt", "2019-03-05 08:15"),  // Cập nhật: dd/MM/yyyy HH:mm
        ("tcvn3.html", "2009-01-15 10:20"),             // Ngày đăng dd/MM/yyyy | HH:mm
        ("date-time-first.html", "2017-01-17 14:05"),   // HH:mm - dd/MM/yyyy
        ("date-hours-h.html", "2014-01-17 09:05"),      // Thứ Năm, dd-MM-yyyy, 9h05
        ("windows-1258.html", "2012-06-15 14:20"),      // Thứ Sáu, dd/MM/yyyy - HH:mm
        ("no-category-iso-meta.html", "2018-09-02 07:30"), // article:published_time
        ("date-only-in-text.txt", "2020-12-18 00:00"),  // "Ngày 18 tháng 12 năm 2020" in the text
        ("date-below-text.html", "2016-04-03 00:00"),   // "Ngày đăng: dd/MM/yyyy" under the text
    ];
    let report = import_ok(&site, &[], &cases.map(|(name, _)| page(name)));
    let all = articles(&site);
    for (name, date) in cases {
        assert_eq!(when(imported(&all, name)), date, "{name}");
    }
    assert!(
        report.contains("no date line: taken from the text (2020-12-18)"),
        "{report}"
    );
}

#[test]
fn html_tables_figures_and_lists_become_markdown_and_pages() {
    let site = TestSite::new(&[]);
    let names = [
        "dnn-layout-table.html",
        "html5-article.html",
        "sharepoint-rte.aspx",
    ];
    import_ok(&site, &[], &names.map(page));
    let all = articles(&site);

    let dnn = imported_by_url(
        &all,
        "http://quan2.example.gov.vn/tin-tuc/tabid/58/ItemId/1201/hoi-xuan",
    );
    assert_eq!(dnn.front.title, "Hội xuân chợ hoa tết Giáp Ngọ năm 2014");
    assert_eq!(dnn.front.category, "Văn hóa - Thể thao");
    assert_eq!(when(dnn), "2014-01-25 08:00");
    assert_eq!(dnn.front.views, 2468);
    assert_eq!(dnn.front.author.as_deref(), Some("Minh Tâm"));
    assert!(
        dnn.body
            .contains("| Phường | Số gian hàng |\n| --- | --- |\n| An Phú | 45 |"),
        "{}",
        dnn.body
    );
    assert!(dnn.body.contains("![Chợ hoa](http://quan2.example.gov.vn/Portals/0/hoi-xuan.jpg \"Lãnh đạo quận cắt băng khai mạc chợ hoa.\")"), "{}", dnn.body);
    assert!(
        dnn.body
            .contains("1. Giữ gìn vệ sinh chung.\n2. Không đốt pháo."),
        "{}",
        dnn.body
    );
    for chrome in [
        "Trang chủ",
        "Giới thiệu",
        "Tìm kiếm",
        "Nhập từ khóa",
        "Số lượt truy cập",
        "3734385",
        "Hội thi nấu bánh tét",
        "Các tin khác",
        "Bản quyền",
        "banner.jpg",
        "Lượt xem",
        "VIEWSTATE",
    ] {
        assert!(!dnn.body.contains(chrome), "`{chrome}` kept:\n{}", dnn.body);
    }

    let html5 = imported_by_url(
        &all,
        "https://ankhanh.example.gov.vn/tin-tuc/dan-van-kheo.html",
    );
    assert_eq!(html5.front.category, "Dân vận khéo");
    assert_eq!(
        html5.front.source.as_deref(),
        Some("Báo Sài Gòn Giải Phóng")
    );
    assert!(html5.body.contains("## Kết quả bước đầu"), "{}", html5.body);
    assert!(
        html5
            .body
            .contains("[“Dân vận khéo”](https://ankhanh.example.gov.vn/van-ban/kh-12.pdf)"),
        "{}",
        html5.body
    );
    for chrome in ["Tin xem nhiều", "Tin A", "© 2022", "Logo"] {
        assert!(
            !html5.body.contains(chrome),
            "`{chrome}` kept:\n{}",
            html5.body
        );
    }

    let sp = imported_by_url(
        &all,
        "http://quan3.example.gov.vn/tin-tuc/Pages/giao-ban-khoi-dan-van.aspx",
    );
    assert_eq!(sp.front.title, "Giao ban khối dân vận quý III năm 2019");
    assert_eq!(sp.front.category, "Hoạt động Mặt trận - Đoàn thể");
    assert_eq!(sp.front.views, 512);
    assert_eq!(sp.front.author.as_deref(), Some("Ngọc Hân"));
    assert!(
        sp.body
            .contains("- Vận động nhân dân giữ gìn trật tự đô thị;"),
        "{}",
        sp.body
    );
    assert!(
        sp.body.contains("\"Quang cảnh buổi giao ban.\")"),
        "{}",
        sp.body
    );
    for chrome in [
        "leftcenterrightdel",
        "Chia sẻ",
        "Bản in",
        "Tin liên quan",
        "Giao ban quý II",
        "Duyệt Trang",
        "Tin, ảnh",
    ] {
        assert!(!sp.body.contains(chrome), "`{chrome}` kept:\n{}", sp.body);
    }

    site.build_ok();
    let article = site.page("/van-hoa-the-thao/hoi-xuan-cho-hoa-tet-giap-ngo-nam-2014/");
    assert!(article.contains("<table>"), "{article}");
    assert!(article.contains("<figcaption>Lãnh đạo quận cắt băng khai mạc chợ hoa.</figcaption>"));
    assert!(article.contains("<ol>"));
    // The old address redirects to the new page.
    let redirect = site.page("/tin-tuc/tabid/58/ItemId/1201/hoi-xuan/");
    assert!(redirect.contains("/van-hoa-the-thao/hoi-xuan-cho-hoa-tet-giap-ngo-nam-2014/"));
}

fn imported_by_url<'a>(articles: &'a [SourceArticle], url: &str) -> &'a SourceArticle {
    articles
        .iter()
        .find(|a| a.front.extra["imported_from"] == url)
        .unwrap_or_else(|| panic!("no article from {url}"))
}

#[test]
fn pages_missing_fields_are_imported_and_named() {
    let site = TestSite::new(&[]);
    let names = [
        "no-date.html",
        "no-title.txt",
        "no-category-iso-meta.html",
        "chrome-only.txt",
    ];
    let out = import(&site, &[], &names.map(page));
    let report = stdout(&out);
    assert!(
        !out.status.success(),
        "a page that could not be imported fails the run"
    );
    assert!(
        report.contains("chrome-only.txt: not imported: no article text was found"),
        "{report}"
    );
    let people = report.split("Pages that need a person").nth(1).unwrap();
    assert!(
        people.contains("no-date.html: check date, category"),
        "{report}"
    );
    assert!(
        people.contains("no-title.txt: check title, date, category"),
        "{report}"
    );
    assert!(
        people.contains("no-category-iso-meta.html: check category"),
        "{report}"
    );
    let all = articles(&site);
    assert_eq!(all.len(), 3);
    let no_title = imported(&all, "no-title.txt");
    assert!(
        no_title
            .front
            .title
            .starts_with("Sáng ngày 20/11/2019, Trường THCS Nguyễn Thị Định")
    );
    assert!(
        no_title
            .body
            .contains("Nhân dịp này, nhà trường khen thưởng 12 giáo viên dạy giỏi.")
    );
    assert!(!no_title.body.contains("Số lượt truy cập"));
    assert_eq!(
        imported(&all, "no-date.html").front.title,
        "Giới thiệu chung về phường Thảo Điền"
    );
    site.build_ok();
}

#[test]
fn a_given_category_files_pages_that_show_none() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &["--category", "Dân vận"], &[seeds()]);
    let all = articles(&site);
    assert_eq!(imported(&all, SEED_2).front.category, "Dân vận");
    assert_eq!(
        imported(&all, SEED_0).front.category,
        "Nghị quyết trung ương 4"
    );
    assert!(
        report.contains(&format!("{SEED_2}: check date\n")),
        "{report}"
    );
}

#[test]
fn same_title_pages_get_two_files_and_two_addresses() {
    let site = TestSite::new(&[]);
    import_ok(
        &site,
        &[],
        &[page("same-title-a.txt"), page("same-title-b.txt")],
    );
    let files = tree(&site.root().join("content"));
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["tin-tuc/thong-bao-2.md", "tin-tuc/thong-bao.md"]
    );
    site.build_ok();
    assert!(site.page("/tin-tuc/thong-bao/").contains("lịch cắt điện"));
    assert!(
        site.page("/tin-tuc/thong-bao-2/")
            .contains("tiêm phòng dại")
    );
}

#[test]
fn an_address_with_a_query_is_kept_but_not_redirected() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[], &[page("query-url.aspx")]);
    let all = articles(&site);
    let a = imported_by_url(
        &all,
        "http://quan9.example.gov.vn/Pages/tin-tuc.aspx?ItemID=4312",
    );
    assert!(a.front.aliases.is_empty());
    assert_eq!(a.front.title, "Quận 9 phát động Tết trồng cây");
    site.build_ok();
}

#[test]
fn an_editors_article_keeps_its_address() {
    let site = TestSite::new(&[(
        "content/tin-tuc/2015/thong-bao.md",
        &article_with(
            "Thông báo",
            "2015-01-01",
            "Tin tức",
            "",
            "Bài của biên tập viên.\n",
        ),
    )]);
    import_ok(&site, &[], &[page("same-title-a.txt")]);
    assert!(site.root().join("content/tin-tuc/thong-bao-2.md").is_file());
    site.build_ok();
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = bantin()
        .arg("import")
        .arg("--root")
        .arg(dir.path())
        .arg(seeds())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("site.yaml"), "{}", stderr(&out));
    assert!(!dir.path().join("content").exists());
}

#[test]
fn pages_sharing_one_address_each_get_an_article() {
    let site = TestSite::new(&[]);
    let inputs = [
        page("shared-canonical-a.html"),
        page("shared-canonical-b.html"),
        page("home-canonical.html"),
    ];
    let report = import_ok(&site, &[], &inputs);
    let all = articles(&site);
    assert_eq!(all.len(), 3, "{report}");
    // The first page keeps the address; the second is known by its file instead.
    let first = imported_by_url(&all, "http://phuong5.example.gov.vn/tin-tuc/chi-tiet.aspx");
    assert_eq!(first.front.title, "Phường 5 ra quân làm sạch kênh rạch");
    let second = imported(&all, "shared-canonical-b.html");
    assert_eq!(second.front.title, "Phường 5 trao nhà tình nghĩa");
    assert!(second.front.aliases.is_empty());
    assert!(
        report.contains("shared-canonical-b.html: check category, url"),
        "{report}"
    );
    // A canonical link to the home page is not the article's address.
    let home = imported(&all, "home-canonical.html");
    assert!(home.front.aliases.is_empty());
    site.build_ok();
    // And again: still three.
    import_ok(&site, &[], &inputs);
    assert_eq!(articles(&site).len(), 3);
}

#[test]
fn nothing_is_skipped_silently() {
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("crawl");
    std::fs::create_dir_all(folder.join("images")).unwrap();
    std::fs::copy(page("no-date.html"), folder.join("tin.aspx")).unwrap();
    std::fs::write(folder.join("images/a.jpg"), b"\xFF\xD8").unwrap();
    std::fs::write(folder.join("style.css"), "body{}").unwrap();
    let missing = site.dir.path().join("khong-co.html");
    let out = import(&site, &[], &[folder, missing]);
    let report = stdout(&out);
    assert!(!out.status.success());
    assert!(report.contains("tin.aspx -> content/"), "{report}");
    assert!(
        report.contains(
            "1 file(s) that are not pages (.jpg): copied only where an imported page links them"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "1 file(s) that are not pages (.css): copied only where an imported page links them"
        ),
        "{report}"
    );
    assert!(
        report.contains("khong-co.html: not imported: cannot read"),
        "{report}"
    );
    assert!(report.contains("1 not imported"), "{report}");
}

#[test]
fn text_wrapped_at_a_width_keeps_its_paragraphs() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[], &[page("hard-wrapped.txt")]);
    let all = articles(&site);
    let a = imported(&all, "hard-wrapped.txt");
    assert_eq!(
        a.front.title,
        "Kế hoạch ra quân tổng vệ sinh môi trường năm 2020"
    );
    assert_eq!(a.front.category, "Thông báo");
    assert_eq!(when(a), "2020-01-04 07:00");
    let paragraphs: Vec<&str> = a.body.trim().split("\n\n").collect();
    assert_eq!(paragraphs.len(), 2, "{}", a.body);
    assert!(paragraphs[0].starts_with("Thực hiện kế hoạch"));
    assert!(paragraphs[0].ends_with("trên toàn địa bàn phường."));
    assert!(paragraphs[1].ends_with("gây dịch bệnh sốt xuất huyết."));
}

#[test]
fn a_hostile_page_cannot_send_escape_sequences_to_the_terminal() {
    // A hacked portal's page: a betting link whose address and text carry
    // terminal escapes (clear the screen, erase the line, set the window's
    // title), and a file name with one. The report shows them, escaped.
    let site = TestSite::new(&[]);
    let pages = tempfile::tempdir().unwrap();
    std::fs::write(
        pages.path().join("tin.html"),
        "<html><body><h1>Hội nghị tổng kết</h1><p>Ngày đăng 08/04/2021 | 11:22</p>\
         <p>Nội dung <a href=\"https://okvip\u{1b}[2K.example/\">nhà cái \u{1b}]0;pwned\u{7} okvip</a> xong.</p>\
         <div style=\"display:none\"><a href=\"https://jun88\u{202e}.example/\">x</a></div></body></html>",
    )
    .unwrap();
    std::fs::write(
        pages.path().join("trang-\u{1b}[31m.html"),
        "<html><body>\u{1b}[2J</body></html>",
    )
    .unwrap();
    let out = import(&site, &["--dry-run"], &[pages.path().to_path_buf()]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    for obeyed in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(obeyed), "{obeyed:?} printed raw:\n{text}");
    }
    assert!(
        text.contains("okvip\\u{1b}[2k.example") && text.contains("\\u{1b}]0;pwned\\u{7}"),
        "{text}"
    );
    assert!(text.contains("jun88\\u{202e}.example"), "{text}");
    assert!(
        text.contains("trang-\\u{1b}[31m.html: not imported"),
        "{text}"
    );
}

#[test]
fn folders_linked_into_themselves_are_walked_once() {
    // Two links back to their own folder, among the saved pages and in the
    // site's content/: 2^40 paths to walk, the import never ended.
    let site = TestSite::new(&[]);
    std::os::unix::fs::symlink(".", site.root().join("content/ban-sao")).unwrap();
    std::os::unix::fs::symlink(".", site.root().join("content/ban-sao-2")).unwrap();
    let pages = tempfile::tempdir().unwrap();
    std::fs::copy(page("html5-article.html"), pages.path().join("tin.html")).unwrap();
    std::os::unix::fs::symlink(".", pages.path().join("lai")).unwrap();
    std::fs::create_dir(pages.path().join("con")).unwrap();
    std::os::unix::fs::symlink("..", pages.path().join("con/len")).unwrap();
    std::os::unix::fs::symlink(".", pages.path().join("con/lai")).unwrap();
    let out = bantin()
        .arg("import")
        .arg("--root")
        .arg(site.root())
        .arg(pages.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let report = stdout(&out);
    assert!(out.status.success(), "{report}{}", stderr(&out));
    assert!(
        report.contains("Imported 1 page(s): 1 new"),
        "one page, read once:\n{report}"
    );
    // The files written, links not followed.
    let written: Vec<String> = std::fs::read_dir(site.root().join("content"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .flat_map(|folder| std::fs::read_dir(folder.path()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
}

#[test]
fn a_tcvn3_title_in_a_capital_font_keeps_its_capitals() {
    // TCVN3 has no bytes for toned capitals: a headline was typed lower-case in
    // `.VnTimeH`, whose letters are all capitals, and the page showed
    // "HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN". Made with make_encoded.py's tcvn3().
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("tcvn3");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("hoi-nghi.htm"),
        b"<html><head><title>UBND</title></head><body><h1><font face=\".VnTimeH\">h\xe9i ngh\xde t\xe6ng k\xd5t c\xabng t\xb8c d\xa9n v\xcbn</font></h1>\
          <p><font face=\".VnTime\">Ng\xb5y \xae\xa8ng 15/01/2014 | 09:30</font></p>\
          <p><font face=\".VnTime\">Ban D\xa9n v\xcbn Qu\xcbn \xf1y t\xe6 ch\xf8c h\xe9i ngh\xde t\xe6ng k\xd5t c\xabng t\xb8c d\xa9n v\xcbn n\xa8m 2013 v\xedi c\xb8c \xae\xe5ng ch\xdd l\xb7nh \xae\xb9o.</font></p>\
          <p style=\"font-family: '.VnArialH', sans-serif\">ph\xc7n ii</p></body></html>",
    )
    .unwrap();
    let report = import_ok(&site, &["--category", "Dân vận"], &[folder]);
    let articles = articles(&site);
    let article = imported(&articles, "hoi-nghi.htm");
    assert_eq!(
        article.front.title, "HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN",
        "{report}"
    );
    assert!(
        article
            .body
            .contains("Ban Dân vận Quận ủy tổ chức hội nghị tổng kết công tác dân vận năm 2013"),
        "{}",
        article.body
    );
    assert!(article.body.contains("PHẦN II"), "{}", article.body);
}

#[test]
fn an_articles_tool_bar_share_line_and_same_category_list_are_left_out() {
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("trang");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("hoi-nghi.html"),
        "<html><head><meta charset=\"utf-8\"></head><body><table><tr><td><div class=\"content\">\
         <h1>Hội nghị tổng kết công tác dân vận năm 2013</h1><p>Thứ Tư, 15/01/2014</p>\
         <p>Ngày 15/01/2014, Ban Dân vận Quận ủy quận 2 đã tổ chức Hội nghị tổng kết công tác dân vận và quy chế dân chủ cơ sở năm 2013.</p>\
         <p>Hội nghị đã đề ra phương hướng năm 2014 cho các cơ quan, đơn vị trên địa bàn quận.</p>\
         <p><a href=\"javascript:window.print()\">In trang</a> | <a href=\"mailto:?subject=x\">Gửi email</a> | \
         <a href=\"javascript:history.back()\">Quay lại</a> | <a href=\"#top\">Về đầu trang</a></p>\
         <p><b>Các tin cùng chuyên mục:</b></p>\
         <p>- <a href=\"/tin/b.html\">Giao ban công tác dân vận quý I</a> (12/03/2014)</p>\
         <p>- <a href=\"/tin/c.html\">Hội nghị triển khai nhiệm vụ năm 2014</a> (10/02/2014)</p>\
         <p>Chia sẻ: <a href=\"https://facebook.com/sharer.php?u=x\">Facebook</a> <a href=\"https://twitter.com/share\">Twitter</a></p>\
         </div></td></tr></table></body></html>",
    )
    .unwrap();
    let report = import_ok(&site, &["--category", "Dân vận"], &[folder]);
    let articles = articles(&site);
    let body = &imported(&articles, "hoi-nghi.html").body;
    assert!(
        body.trim_end()
            .ends_with("cho các cơ quan, đơn vị trên địa bàn quận."),
        "{body}\n{report}"
    );
    for chrome in [
        "In trang",
        "Gửi email",
        "chuyên mục",
        "Giao ban",
        "Facebook",
    ] {
        assert!(!body.contains(chrome), "{chrome}: {body}");
    }
}
