//! The register of documents (văn bản), end to end on the real binary: every
//! Markdown file under content/van-ban/ is a document with its own page, the
//! register and its facets list them, statuses follow the build's date
//! (`SOURCE_DATE_EPOCH`), and bad documents are refused at their file and line.

mod common;

use std::fs;
use std::process::Output;

use common::{TestSite, article, bantin, stderr, stdout};
use scraper::{Html, Selector};

/// A document file with the given number, form, date of issue, title and more lines.
fn document(number: &str, kind: &str, issued: &str, title: &str, more: &str) -> String {
    format!(
        "---\nnumber: \"{number}\"\ntype: \"{kind}\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: {issued}\ntitle: \"{title}\"\n{more}---\n\nTóm tắt văn bản.\n"
    )
}

/// Bytes that start like a PDF, `len` long.
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(len, b' ');
    bytes
}

/// `SOURCE_DATE_EPOCH` for noon of `day` in Vietnam.
fn epoch(day: &str) -> String {
    let date: jiff::civil::Date = day.parse().unwrap();
    let at = date
        .at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
        .unwrap();
    at.timestamp().as_second().to_string()
}

/// `bantin build` of `site` as of `day`.
fn build_on(site: &TestSite, day: &str) -> Output {
    bantin()
        .env("SOURCE_DATE_EPOCH", epoch(day))
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap()
}

fn build_ok_on(site: &TestSite, day: &str) -> Output {
    let out = build_on(site, day);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    out
}

/// A ward's register: a replaced chain, an amendment, an expiring plan, a
/// decision not yet in force, and a news article beside them.
fn ward() -> TestSite {
    TestSite::new(&[
        ("content/van-ban/2019/12-2019.md", &document("12/2019/QĐ-UBND", "Quyết định", "2019-04-10", "Ban hành Quy chế tiếp công dân năm 2019", "field: \"Tiếp công dân\"\n")),
        ("content/van-ban/2024/25-2024.md", &document("25/2024/QĐ-UBND", "Quyết định", "2024-03-12", "Ban hành Quy chế tiếp công dân", "effective: 2024-03-22\nsigner: \"Nguyễn Văn A, Chủ tịch\"\nfield: \"Tiếp công dân\"\nfiles: [\"/van-ban/2024/25-2024-qd-ubnd.pdf\"]\nreplaces: [\"12/2019/QĐ-UBND\"]\n")),
        ("content/van-ban/2024/sua-doi.md", &document("140/QĐ-UBND", "Quyết định", "2024-09-02", "Sửa đổi Quy chế tiếp công dân", "amends: [\"25/2024/QĐ-UBND\"]\n")),
        ("content/van-ban/2025/ke-hoach.md", &document("05/KH-UBND", "Kế hoạch", "2025-01-06", "Kế hoạch cải cách hành chính năm 2025", "effective: 2025-01-06\nexpires: 2025-12-31\nfield: \"Cải cách hành chính\"\n")),
        ("content/van-ban/2025/nha-van-hoa.md", &document("31/2025/QĐ-UBND", "Quyết định", "2025-11-25", "Quy định quản lý nhà văn hóa khu phố", "effective: 2026-01-01\n")),
        ("content/tin/hoi-nghi.md", &article("Hội nghị tiếp xúc cử tri", "2025-06-02 08:00", "Tin tức", "Nội dung.\n")),
    ])
    .with_bytes("content/van-ban/2024/25-2024-qd-ubnd.pdf", &pdf(250_880))
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: scraper::ElementRef) -> String {
    element.text().collect::<String>()
}

#[test]
fn register_lists_documents_newest_issued_first_with_number_date_title_status_and_file() {
    let site = ward();
    build_ok_on(&site, "2025-06-01");
    let page = Html::parse_document(&site.page("/van-ban/"));
    let rows = select(&page, "#danh-sach tbody tr");
    let numbers: Vec<String> = rows
        .iter()
        .map(|row| text(select_in(row, "td a")[0]))
        .collect();
    // paginate: 3 in the test site.yaml: the newest three on the first page.
    assert_eq!(numbers, ["31/2025/QĐ-UBND", "05/KH-UBND", "140/QĐ-UBND"]);
    let older = Html::parse_document(&site.page("/van-ban/page/2/"));
    let numbers: Vec<String> = select(&older, "#danh-sach tbody tr")
        .iter()
        .map(|row| text(select_in(row, "td a")[0]))
        .collect();
    assert_eq!(numbers, ["25/2024/QĐ-UBND", "12/2019/QĐ-UBND"]);
    let row = text(select(&older, "#danh-sach tbody tr")[0]);
    assert!(row.contains("12/03/2024"), "{row}");
    assert!(row.contains("Ban hành Quy chế tiếp công dân"), "{row}");
    assert!(row.contains("Còn hiệu lực"), "{row}");
    assert!(row.contains("PDF") && row.contains("245 KB"), "{row}");
    // The pages link to each other as other listings do.
    assert_eq!(
        select(&page, "link[rel=next]")[0].attr("href"),
        Some("/van-ban/page/2/")
    );
    assert_eq!(
        select(&older, "link[rel=prev]")[0].attr("href"),
        Some("/van-ban/")
    );
    // The script narrowing rows has what it needs on each row.
    assert_eq!(
        select(&page, "#danh-sach tr[data-status=chua-co-hieu-luc]").len(),
        1
    );
}

fn select_in<'a>(element: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    element.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn document_page_has_fields_status_attachments_and_relations_both_ways() {
    let site = ward();
    build_ok_on(&site, "2025-06-01");
    let page = Html::parse_document(&site.page("/van-ban/25-2024-qd-ubnd/"));
    let h1 = select(&page, "h1");
    assert_eq!(h1.len(), 1);
    assert_eq!(text(h1[0]), "Ban hành Quy chế tiếp công dân");
    assert!(!select(&page, "time[datetime='2024-03-12']").is_empty());
    let fields = text(select(&page, "#thuoc-tinh")[0]);
    for expected in [
        "25/2024/QĐ-UBND",
        "Quyết định",
        "Ủy ban nhân dân phường An Khánh",
        "12/03/2024",
        "22/03/2024",
        "Nguyễn Văn A, Chủ tịch",
        "Tiếp công dân",
    ] {
        assert!(fields.contains(expected), "{expected} not in {fields}");
    }
    assert_eq!(text(select(&page, "#hieu-luc")[0]).trim(), "Còn hiệu lực");
    let attachment = select(&page, "#tep-dinh-kem a")[0];
    assert_eq!(
        attachment.attr("href"),
        Some("/van-ban/2024/25-2024-qd-ubnd.pdf")
    );
    assert!(text(select(&page, "#tep-dinh-kem")[0]).contains("PDF, 245 KB"));
    assert_eq!(
        fs::read(site.public().join("van-ban/2024/25-2024-qd-ubnd.pdf"))
            .unwrap()
            .len(),
        250_880
    );
    // It replaces the 2019 decision and is amended by the 140/QĐ-UBND one.
    let related: Vec<&str> = select(&page, "#van-ban-lien-quan a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert!(
        related.contains(&"/van-ban/12-2019-qd-ubnd/"),
        "{related:?}"
    );
    assert!(
        related.contains(&"/van-ban/140-qd-ubnd-2024/"),
        "{related:?}"
    );
    // The replaced one says so, and links here.
    let replaced = Html::parse_document(&site.page("/van-ban/12-2019-qd-ubnd/"));
    assert_eq!(
        text(select(&replaced, "#hieu-luc")[0]).trim(),
        "Hết hiệu lực"
    );
    assert_eq!(
        select(&replaced, "#van-ban-lien-quan a")[0].attr("href"),
        Some("/van-ban/25-2024-qd-ubnd/")
    );
}

#[test]
fn document_page_describes_itself_as_dublin_core_and_schema_org_legislation() {
    let site = ward();
    build_ok_on(&site, "2025-06-01");
    let page = Html::parse_document(&site.page("/van-ban/25-2024-qd-ubnd/"));
    let script = select(&page, "script[type='application/ld+json']");
    let ld: serde_json::Value = serde_json::from_str(&text(script[0])).unwrap();
    assert_eq!(ld["@type"], "Legislation");
    assert_eq!(ld["legislationIdentifier"], "25/2024/QĐ-UBND");
    assert_eq!(ld["legislationType"], "Quyết định");
    assert_eq!(ld["legislationDate"], "2024-03-12");
    assert_eq!(ld["legislationDateOfApplicability"], "2024-03-22");
    assert_eq!(ld["legislationLegalForce"], "InForce");
    assert_eq!(
        ld["legislationPassedBy"]["name"],
        "Ủy ban nhân dân phường An Khánh"
    );
    let meta = |name: &str| {
        select(&page, &format!("meta[name='{name}']"))
            .first()
            .and_then(|m| m.attr("content"))
            .map(str::to_string)
    };
    assert_eq!(meta("DC.type").as_deref(), Some("Quyết định"));
    assert_eq!(meta("DC.date").as_deref(), Some("2024-03-12"));
    assert_eq!(
        meta("DC.creator").as_deref(),
        Some("Ủy ban nhân dân phường An Khánh")
    );
}

#[test]
fn status_follows_the_build_date_in_source_date_epoch() {
    let site = ward();
    let status = |day: &str, path: &str| {
        build_ok_on(&site, day);
        let page = Html::parse_document(&site.page(path));
        text(select(&page, "#hieu-luc")[0]).trim().to_string()
    };
    let decision = "/van-ban/31-2025-qd-ubnd/";
    assert_eq!(status("2025-12-31", decision), "Chưa có hiệu lực");
    assert_eq!(status("2026-01-01", decision), "Còn hiệu lực");
    let plan = "/van-ban/05-kh-ubnd-2025/";
    assert_eq!(status("2025-12-30", plan), "Còn hiệu lực");
    assert_eq!(status("2025-12-31", plan), "Hết hiệu lực");
}

#[test]
fn numbers_without_a_year_repeat_from_year_to_year_with_the_year_in_their_address() {
    let site = TestSite::new(&[
        (
            "content/van-ban/a.md",
            &document(
                "05/KH-UBND",
                "Kế hoạch",
                "2024-01-06",
                "Kế hoạch năm 2024",
                "",
            ),
        ),
        (
            "content/van-ban/b.md",
            &document(
                "05/KH-UBND",
                "Kế hoạch",
                "2025-01-06",
                "Kế hoạch năm 2025",
                "",
            ),
        ),
        (
            "content/van-ban/c.md",
            &document(
                "07/QĐ-UBND",
                "Quyết định",
                "2025-03-01",
                "Thay thế kế hoạch",
                "replaces: [\"05/KH-UBND\"]\n",
            ),
        ),
    ]);
    build_ok_on(&site, "2025-06-01");
    assert!(
        site.page("/van-ban/05-kh-ubnd-2024/")
            .contains("Kế hoạch năm 2024")
    );
    let replaced = Html::parse_document(&site.page("/van-ban/05-kh-ubnd-2025/"));
    // "05/KH-UBND" names the latest issued before the document that replaces it.
    assert_eq!(
        text(select(&replaced, "#hieu-luc")[0]).trim(),
        "Hết hiệu lực"
    );
    let earlier = Html::parse_document(&site.page("/van-ban/05-kh-ubnd-2024/"));
    assert_eq!(
        text(select(&earlier, "#hieu-luc")[0]).trim(),
        "Còn hiệu lực"
    );
}

#[test]
fn facet_pages_list_documents_by_form_issuer_field_and_year() {
    let site = ward();
    build_ok_on(&site, "2025-06-01");
    let numbers = |path: &str| -> Vec<String> {
        let page = Html::parse_document(&site.page(path));
        select(&page, "#danh-sach tbody tr td:first-child a")
            .into_iter()
            .map(text)
            .collect()
    };
    assert_eq!(numbers("/van-ban/loai/ke-hoach/"), ["05/KH-UBND"]);
    assert_eq!(
        numbers("/van-ban/loai/quyet-dinh/"),
        ["31/2025/QĐ-UBND", "140/QĐ-UBND", "25/2024/QĐ-UBND"]
    );
    assert_eq!(
        numbers("/van-ban/loai/quyet-dinh/page/2/"),
        ["12/2019/QĐ-UBND"]
    );
    assert_eq!(
        numbers("/van-ban/linh-vuc/tiep-cong-dan/"),
        ["25/2024/QĐ-UBND", "12/2019/QĐ-UBND"]
    );
    assert_eq!(
        numbers("/van-ban/nam/2024/"),
        ["140/QĐ-UBND", "25/2024/QĐ-UBND"]
    );
    assert_eq!(
        numbers("/van-ban/co-quan/uy-ban-nhan-dan-phuong-an-khanh/").len(),
        3
    );
    // Linked from the register, without JavaScript.
    let register = site.page("/van-ban/");
    for facet in [
        "/van-ban/loai/ke-hoach/",
        "/van-ban/nam/2019/",
        "/van-ban/linh-vuc/cai-cach-hanh-chinh/",
    ] {
        assert!(register.contains(&format!("href=\"{facet}\"")), "{facet}");
    }
}

#[test]
fn open_data_and_feed_list_every_published_document() {
    let site = ward();
    site.write(
        "content/van-ban/nhap.md",
        &document(
            "99/QĐ-UBND",
            "Quyết định",
            "2025-05-01",
            "Bản nháp",
            "draft: true\n",
        ),
    );
    build_ok_on(&site, "2025-06-01");
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(site.public().join("van-ban/index.json")).unwrap())
            .unwrap();
    let documents = index["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 5, "drafts are left out");
    let decision = documents
        .iter()
        .find(|d| d["number"] == "25/2024/QĐ-UBND")
        .unwrap();
    assert_eq!(
        decision["url"],
        "https://phuongmau.example.gov.vn/van-ban/25-2024-qd-ubnd/"
    );
    assert_eq!(decision["status"], "con-hieu-luc");
    assert_eq!(decision["attachments"][0]["bytes"], 250_880);
    assert_eq!(decision["attachments"][0]["media_type"], "application/pdf");
    assert_eq!(
        decision["attachments"][0]["url"],
        "https://phuongmau.example.gov.vn/van-ban/2024/25-2024-qd-ubnd.pdf"
    );
    let feed = fs::read_to_string(site.public().join("van-ban/feed.xml")).unwrap();
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry>").count(), 5);
    let newest = feed.find("31/2025/QĐ-UBND").unwrap();
    let oldest = feed.find("12/2019/QĐ-UBND").unwrap();
    assert!(newest < oldest);
}

#[test]
fn documents_are_not_news_articles() {
    let site = ward();
    build_ok_on(&site, "2025-06-01");
    let home = Html::parse_document(&site.page("/"));
    let news: Vec<String> = select(&home, "#danh-sach a")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(news, ["Hội nghị tiếp xúc cử tri", "Tin tức"]);
    let feed = fs::read_to_string(site.public().join("feed.xml")).unwrap();
    assert_eq!(feed.matches("<entry>").count(), 1);
    // The home page has a "Văn bản mới" block, and the menu a link to the register.
    let block = text(select(&home, ".newest-documents")[0]);
    assert!(block.contains("Văn bản mới") && block.contains("31/2025/QĐ-UBND"));
    assert_eq!(select(&home, "nav.menu a[href='/van-ban/']").len(), 1);
    let sitemap = fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://phuongmau.example.gov.vn/van-ban/25-2024-qd-ubnd/</loc><lastmod>2024-03-12"
    ));
    assert!(sitemap.contains("/van-ban/loai/ke-hoach/"));
}

#[test]
fn a_site_without_documents_has_no_register_and_no_menu_link() {
    let site = TestSite::good();
    site.build_ok();
    assert!(!site.public().join("van-ban").exists());
    assert!(!site.page("/").contains("/van-ban/"));
}

#[test]
fn the_filter_offers_each_form_year_and_status_of_the_pages_rows_once() {
    let site = ward();
    build_ok_on(&site, "2025-06-01");
    let page = Html::parse_document(&site.page("/van-ban/"));
    let options = |filter: &str| -> Vec<(String, String)> {
        select(
            &page,
            &format!("#loc-van-ban select[data-filter={filter}] option"),
        )
        .into_iter()
        .skip(1)
        .map(|o| (o.attr("value").unwrap_or("").to_string(), text(o)))
        .collect()
    };
    let pair = |value: &str, label: &str| (value.to_string(), label.to_string());
    // The first page's rows: 31/2025/QĐ-UBND (2025, not yet in force),
    // 05/KH-UBND (2025, in force), 140/QĐ-UBND (2024, in force).
    assert_eq!(
        options("type"),
        [
            pair("Kế hoạch", "Kế hoạch"),
            pair("Quyết định", "Quyết định")
        ]
    );
    assert_eq!(
        options("year"),
        [pair("2025", "2025"), pair("2024", "2024")]
    );
    assert_eq!(
        options("status"),
        [
            pair("chua-co-hieu-luc", "Chưa có hiệu lực"),
            pair("con-hieu-luc", "Còn hiệu lực")
        ]
    );
}

#[test]
fn a_sites_row_template_makes_every_row_of_the_register_and_its_facets() {
    let site = ward();
    site.write(
        "templates/partials/register_row.html",
        "<tr class=\"own\"><td><a href=\"{{ document.url }}\">{{ document.number }}</a></td><td>{{ document.issuer.name }} · {{ words.document_issued }} {{ document.issued_text }}</td></tr>\n",
    );
    build_ok_on(&site, "2025-06-01");
    for path in [
        "/van-ban/",
        "/van-ban/page/2/",
        "/van-ban/loai/quyet-dinh/",
        "/van-ban/nam/2024/",
    ] {
        let page = Html::parse_document(&site.page(path));
        let rows = select(&page, "#danh-sach tbody tr");
        assert!(!rows.is_empty(), "{path}");
        for row in rows {
            assert_eq!(row.attr("class"), Some("own"), "{path}");
            let shown = text(row);
            assert!(
                shown.contains("Ủy ban nhân dân phường An Khánh · Ngày ban hành"),
                "{path}: {shown}"
            );
        }
    }
    let facet = Html::parse_document(&site.page("/van-ban/nam/2024/"));
    let row = text(select(&facet, "#danh-sach tbody tr")[1]);
    assert_eq!(
        row,
        "25/2024/QĐ-UBNDỦy ban nhân dân phường An Khánh · Ngày ban hành 12/03/2024"
    );
}

#[test]
fn a_sites_register_template_of_its_own_lists_the_documents_views() {
    let site = ward();
    site.write(
        "templates/register.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ list.name }}</h1><ul id=\"danh-sach\">{% for d in list.documents %}<li>{{ d.number }}: {{ d.issuer.name }}, {{ d.status.text }}{% if d.field %}, {{ d.field.name }}{% endif %}</li>{% endfor %}</ul>{% endblock content %}",
    );
    build_ok_on(&site, "2025-06-01");
    let page = Html::parse_document(&site.page("/van-ban/linh-vuc/tiep-cong-dan/"));
    let items: Vec<String> = select(&page, "#danh-sach li")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        items,
        [
            "25/2024/QĐ-UBND: Ủy ban nhân dân phường An Khánh, Còn hiệu lực, Tiếp công dân",
            "12/2019/QĐ-UBND: Ủy ban nhân dân phường An Khánh, Hết hiệu lực, Tiếp công dân",
        ]
    );
}

#[test]
fn a_row_template_that_fails_is_an_error_naming_it_and_the_page() {
    let site = ward();
    site.write(
        "templates/partials/register_row.html",
        "<tr><td>{{ document.number }} {{ document.no_such_field.name }}</td></tr>\n",
    );
    let out = build_on(&site, "2025-06-01");
    assert!(!out.status.success(), "the build should fail");
    let err = stderr(&out);
    for part in [
        "templates/partials/register_row.html: error: rendering /van-ban/",
        "Field `no_such_field` is not defined",
    ] {
        assert!(err.contains(part), "`{part}` not in:\n{err}");
    }
    assert!(
        !site.public().join("van-ban").exists(),
        "nothing is published"
    );
}

/// The build fails; stderr holds every `expected` line part.
fn assert_refused(site: &TestSite, expected: &[&str]) {
    let out = build_on(site, "2025-06-01");
    assert!(!out.status.success(), "the build should fail");
    let err = stderr(&out);
    for part in expected {
        assert!(err.contains(part), "`{part}` not in:\n{err}");
    }
    assert!(!site.public().exists(), "nothing is published");
}

#[test]
fn a_missing_required_field_is_an_error_at_its_file() {
    let site = TestSite::new(&[(
        "content/van-ban/a.md",
        "---\nnumber: \"05/KH-UBND\"\ntype: \"Kế hoạch\"\nissued: 2025-01-06\ntitle: \"Kế hoạch\"\n---\n",
    )]);
    assert_refused(
        &site,
        &[
            "content/van-ban/a.md:1:1: error: the document has no `issuer`",
            "hint: add a line such as `issuer:",
        ],
    );
}

#[test]
fn a_number_twice_in_one_year_names_both_files() {
    let site = TestSite::new(&[
        (
            "content/van-ban/a.md",
            &document("05/KH-UBND", "Kế hoạch", "2025-01-06", "Một", ""),
        ),
        (
            "content/van-ban/b.md",
            &document("05/kh-ubnd", "Kế hoạch", "2025-09-06", "Hai", ""),
        ),
    ]);
    assert_refused(
        &site,
        &[
            "content/van-ban/b.md:2:1: error: the number `05/kh-ubnd` of 2025 is also the number of content/van-ban/a.md",
        ],
    );
}

#[test]
fn a_missing_attachment_is_an_error_at_the_files_line() {
    let site = TestSite::new(&[(
        "content/van-ban/a.md",
        &document(
            "05/KH-UBND",
            "Kế hoạch",
            "2025-01-06",
            "Một",
            "files: [\"ke-hoach.pdf\"]\n",
        ),
    )]);
    assert_refused(
        &site,
        &[
            "content/van-ban/a.md:7:1: error: the attachment `ke-hoach.pdf` does not exist (content/van-ban/ke-hoach.pdf not found)",
        ],
    );
}

#[test]
fn an_attachment_outside_content_is_refused() {
    let site = TestSite::new(&[(
        "content/van-ban/a.md",
        &document(
            "05/KH-UBND",
            "Kế hoạch",
            "2025-01-06",
            "Một",
            "files: [\"../../site.yaml\"]\n",
        ),
    )]);
    assert_refused(
        &site,
        &[
            "content/van-ban/a.md:7:1: error: the attachment `../../site.yaml` is outside the content folder",
        ],
    );
}

#[test]
fn an_unknown_field_is_an_error_with_the_nearest_known_one() {
    let site = TestSite::new(&[(
        "content/van-ban/a.md",
        &document(
            "05/KH-UBND",
            "Kế hoạch",
            "2025-01-06",
            "Một",
            "efective: 2025-01-07\n",
        ),
    )]);
    assert_refused(
        &site,
        &[
            "content/van-ban/a.md:7:1: error: unknown field `efective`",
            "hint: did you mean `effective`?",
        ],
    );
}

#[test]
fn a_document_in_nfd_with_a_bom_and_crlf_publishes_the_same_pages() {
    use unicode_normalization::UnicodeNormalization;
    let text = document(
        "25/2024/QĐ-UBND",
        "Quyết định",
        "2024-03-12",
        "Ban hành Quy chế tiếp công dân",
        "field: \"Tiếp công dân\"\n",
    );
    let plain = TestSite::new(&[("content/van-ban/a.md", &text)]);
    let mut messy_bytes = b"\xEF\xBB\xBF".to_vec();
    messy_bytes.extend(
        text.nfd()
            .collect::<String>()
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    let messy = TestSite::new(&[]).with_bytes("content/van-ban/a.md", &messy_bytes);
    build_ok_on(&plain, "2025-06-01");
    build_ok_on(&messy, "2025-06-01");
    for path in [
        "/van-ban/25-2024-qd-ubnd/",
        "/van-ban/",
        "/van-ban/linh-vuc/tiep-cong-dan/",
    ] {
        assert_eq!(plain.page(path), messy.page(path), "{path}");
    }
}

#[test]
fn an_empty_pdf_attachment_builds_with_a_warning() {
    let site = TestSite::new(&[(
        "content/van-ban/a.md",
        &document(
            "05/KH-UBND",
            "Kế hoạch",
            "2025-01-06",
            "Một",
            "files: [\"/van-ban/rong.pdf\"]\n",
        ),
    )])
    .with_bytes("content/van-ban/rong.pdf", b"");
    let out = build_ok_on(&site, "2025-06-01");
    let said = format!("{}{}", stderr(&out), stdout(&out));
    assert!(
        said.contains("content/van-ban/a.md:7:1: warning: the attachment `/van-ban/rong.pdf` is an empty file (0 bytes)"),
        "{said}"
    );
    assert!(
        text(
            select(
                &Html::parse_document(&site.page("/van-ban/05-kh-ubnd-2025/")),
                "#tep-dinh-kem"
            )[0]
        )
        .contains("PDF, 0 B")
    );
}

#[test]
fn check_reports_documents_problems_at_their_file_and_line() {
    let site = TestSite::new(&[
        (
            "content/van-ban/a.md",
            &document(
                "05/KH-UBND",
                "Kế hoạch",
                "2025-01-06",
                "Một",
                "effective: 2025-01-01\nreplaces: [\"01/QĐ-UBND\"]\n",
            ),
        ),
        (
            "content/van-ban/b.md",
            &document(
                "06/KH-UBND",
                "Kế hoạch",
                "2025-01-06",
                "Hai",
                "files: [\"thieu.pdf\"]\n",
            ),
        ),
    ]);
    let out = bantin()
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = format!("{}{}", stderr(&out), stdout(&out));
    for expected in [
        "content/van-ban/a.md:7:1: warning: `effective` (2025-01-01) is before `issued` (2025-01-06)",
        "content/van-ban/a.md:8:1: warning: `replaces` names `01/QĐ-UBND`, which is not in the register",
        "content/van-ban/b.md:7:1: error: the attachment `thieu.pdf` does not exist",
    ] {
        assert!(said.contains(expected), "`{expected}` not in:\n{said}");
    }
    assert!(!said.contains("no article links to or shows this file"));
}

#[test]
fn new_document_writes_a_file_with_every_field_issued_today_that_builds() {
    let site = TestSite::new(&[]);
    let out = bantin()
        .args(["new", "--root"])
        .arg(site.root())
        .args(["--document", "--number", "05/KH-UBND", "--type", "Kế hoạch"])
        .args([
            "--issuer",
            "Ủy ban nhân dân phường An Khánh",
            "Kế hoạch cải cách hành chính",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
        .date();
    let rel = format!(
        "content/van-ban/{}/05-kh-ubnd-{}.md",
        today.year(),
        today.year()
    );
    assert!(stdout(&out).trim_end().ends_with(&rel), "{}", stdout(&out));
    let text = fs::read_to_string(site.root().join(&rel)).unwrap();
    for field in [
        "number",
        "type",
        "issuer",
        "issued",
        "effective",
        "expires",
        "signer",
        "field",
        "title",
        "files",
        "replaces",
        "amends",
    ] {
        assert!(text.contains(&format!("\n{field}:")), "{field} in {text}");
    }
    assert!(text.contains(&format!("issued: {today}")), "{text}");
    site.build_ok();
    let page = site.page(&format!("/van-ban/05-kh-ubnd-{}/", today.year()));
    assert!(page.contains("Kế hoạch cải cách hành chính"));
    // Never over an existing file.
    let again = bantin()
        .args(["new", "--root"])
        .arg(site.root())
        .args([
            "--document",
            "--number",
            "05/KH-UBND",
            "--type",
            "Kế hoạch",
            "--issuer",
            "UBND",
            "Khác",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn an_article_links_to_a_document_by_its_file_and_old_addresses_redirect() {
    let site = TestSite::new(&[
        (
            "content/van-ban/2024/quy-che.md",
            &document(
                "25/2024/QĐ-UBND",
                "Quyết định",
                "2024-03-12",
                "Ban hành Quy chế tiếp công dân",
                "aliases: [\"/Pages/van-ban/quy-che.aspx\"]\n",
            ),
        ),
        (
            "content/tin/quy-che-moi.md",
            &article(
                "Phường có quy chế tiếp công dân mới",
                "2024-03-13",
                "Tin tức",
                "Xem [quyết định](../van-ban/2024/quy-che.md).\n",
            ),
        ),
    ]);
    build_ok_on(&site, "2025-06-01");
    let news = site.page("/tin-tuc/quy-che-moi/");
    assert!(
        news.contains("href=\"/van-ban/25-2024-qd-ubnd/\""),
        "{news}"
    );
    let redirect = site.page("/Pages/van-ban/quy-che.aspx/");
    assert!(redirect.contains("url=https://phuongmau.example.gov.vn/van-ban/25-2024-qd-ubnd/"));
}
