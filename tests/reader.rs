//! What a reader meets on a ward's portal, on a cheap phone (360 px) or a
//! desktop: the document they came for and its file, the register, the work
//! schedule of this week, and search by what they call a document
//! ("quyết định 2", "cong van 2").

mod common;

use bantin::content::attachments::{TextKind, extract};
use common::*;
use scraper::{Html, Selector};

/// Thursday 03/07/2025 10:00 in Hà Nội: inside 2025-W27.
const IN_W27: &str = "1751511600";
/// Monday 08/12/2025 09:00: months after the last week of the schedule.
const MONTHS_LATER: &str = "1765159200";

const W27: &str = "items:\n  - start: 2025-07-01 14:00\n    who: \"Chủ tịch UBND phường\"\n    what: \"Hội nghị triển khai\"\n";

/// A decision with a long number, a wide table in its text and a PDF; a
/// decision and an official letter (công văn) both numbered 2; a week of the
/// schedule.
fn reader_site() -> TestSite {
    let table = "| STT | Tên thủ tục hành chính | Mã số hồ sơ | Thời hạn giải quyết | Phí, lệ phí | Căn cứ pháp lý | Ghi chú |\n|---|---|---|---|---|---|---|\n| 1 | Chứng thực bản sao từ bản chính giấy tờ, văn bản | 2.000815.000.00.00.H29 | Trong ngày | 2.000 đồng/trang | Nghị định 23/2015/NĐ-CP | |\n";
    let long = format!(
        "---\nnumber: \"12345/2024/QĐ-UBND-KTHTĐT\"\ntype: \"Quyết định\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: 2024-03-05\nsigner: \"Trần Thị Bích, Phó Chủ tịch\"\ntitle: \"Về việc phê duyệt danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường\"\nfiles: [\"danh-muc.pdf\"]\n---\n\nDanh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường, áp dụng từ ngày ký. Các phòng, ban chuyên môn, công chức Tư pháp - Hộ tịch và Bộ phận một cửa có trách nhiệm niêm yết công khai danh mục tại trụ sở và trên cổng thông tin điện tử của phường.\n\n{table}"
    );
    TestSite::new(&[
        (
            "content/tin/a.md",
            &article("Tin một", "2025-07-01 10:00", "Tin tức", "Nội dung.\n"),
        ),
        ("content/van-ban/2024/danh-muc.md", &long),
        (
            "content/van-ban/2024/2-2024-qd-ubnd.md",
            "---\nnumber: \"2/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: 2024-02-01\ntitle: \"Ban hành Quy chế tiếp công dân\"\n---\n\nBan hành kèm theo Quy chế tiếp công dân của phường.\n",
        ),
        (
            "content/van-ban/2024/2-ubnd-vp.md",
            "---\nnumber: \"2/UBND-VP\"\ntype: \"Công văn\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: 2024-02-10\ntitle: \"Về việc triển khai quyết định ban hành Quy chế tiếp công dân\"\n---\n\nĐề nghị các khu phố triển khai quyết định.\n",
        ),
        ("content/lich-cong-tac/2025-W27.yaml", W27),
    ])
    .with_bytes("content/van-ban/2024/danh-muc.pdf", &demo_pdf())
}

fn built(site: &TestSite, epoch: &str) {
    let out = bantin()
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
}

fn text_of(html: &str, selector: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    page.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Readers name a document by its form and number: "quyết định 2" is the
/// decision numbered 2, not the letter numbered 2 that mentions a decision.
/// (Before, the letter came first: "quyết định" was in its title, and only in
/// the decision's fields, which weigh as a body does.)
#[test]
fn a_document_is_found_by_its_form_and_number() {
    let site = reader_site();
    built(&site, IN_W27);
    let public = site.public();
    for query in ["quyết định 2", "quyet dinh 2", "Quyết định số 2"] {
        let hits = search_cli(&public, query, 5);
        assert_eq!(
            hits.first().map(|h| h.1.as_str()),
            Some("/van-ban/2-2024-qd-ubnd/"),
            "{query}: {hits:?}"
        );
    }
    // The code run into the number, as readers type it.
    for query in ["qd2/2024", "QĐ2/2024", "quyết định số2"] {
        let hits = search_cli(&public, query, 5);
        assert_eq!(
            hits.first().map(|h| h.1.as_str()),
            Some("/van-ban/2-2024-qd-ubnd/"),
            "{query}: {hits:?}"
        );
    }
    for query in ["công văn 2", "cong van 2"] {
        let hits = search_cli(&public, query, 5);
        assert_eq!(
            hits.first().map(|h| h.1.as_str()),
            Some("/van-ban/2-ubnd-vp-2024/"),
            "{query}: {hits:?}"
        );
    }
}

/// The home page's schedule block calls its week "this week" only when the
/// build's day is in it; months later it is the latest schedule. The schedule's
/// index does not send the reader to itself.
#[test]
fn the_home_page_calls_a_past_week_the_latest_schedule_not_this_week() {
    let site = reader_site();
    built(&site, IN_W27);
    let heading = text_of(&site.page("/"), ".lich-tuan-nay h2");
    assert_eq!(heading, ["Lịch công tác tuần này"]);
    built(&site, MONTHS_LATER);
    let home = site.page("/");
    let heading = text_of(&home, ".lich-tuan-nay h2");
    assert_eq!(heading, ["Lịch công tác mới nhất"]);
    // The whole week, still.
    let block = text_of(&home, ".lich-tuan-nay").concat();
    assert!(block.contains("14:00: Hội nghị triển khai"), "{block}");
    // The note that a newer schedule may exist sends a week's page to
    // /lich-cong-tac/, and /lich-cong-tac/ to nowhere (it linked to itself).
    let index = Html::parse_document(&site.page("/lich-cong-tac/"));
    let links = Selector::parse(".lich-cu a").unwrap();
    assert_eq!(index.select(&links).count(), 0);
    let week = Html::parse_document(&site.page("/lich-cong-tac/2025/tuan-27/"));
    let hrefs: Vec<&str> = (week.select(&links))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["/lich-cong-tac/"]);
}

/// On a phone: the document's file is on the first screen, the words of a
/// wide table in its text are whole (the table scrolls), the register does not
/// scroll sideways for a long number, a week's page calls its week "this
/// week" only while the reader's clock is in it (never without JavaScript), search hits are readable
/// in dark mode, a day of the archive's calendar is big enough to tap; on
/// paper, the file's address is whole.
#[test]
fn on_a_phone_the_file_is_on_the_first_screen_and_nothing_runs_off_the_side() {
    let site = reader_site();
    built(&site, IN_W27);
    let public = site.public();
    let printed = site.dir.path().join("printed.pdf");
    let report = browser_check(
        "reader.mjs",
        &[
            public.as_os_str(),
            "/van-ban/12345-2024-qd-ubnd-kthtdt/".as_ref(),
            "/van-ban/".as_ref(),
            "/lich-cong-tac/".as_ref(),
            "/search/?q=quyet+dinh+2".as_ref(),
            printed.as_os_str(),
            "/archive/2025/07/".as_ref(),
        ],
        &serde_json::Value::Null,
    );
    let download = &report["document"]["download"];
    assert!(download.is_object(), "no download link: {report}");
    assert!(
        download["bottom"].as_f64().unwrap() <= 740.0,
        "the file's link is below the first screen: {report}"
    );
    assert!(
        download["height"].as_f64().unwrap() >= 24.0,
        "the file's link is too small to tap: {report}"
    );
    assert_eq!(
        download["text"], "Tải về PDF (32 KB): danh-muc.pdf",
        "{report}"
    );
    assert_eq!(
        report["document"]["brokenWords"],
        serde_json::json!([]),
        "words of the table broken across lines: {report}"
    );
    assert_eq!(report["document"]["scrollWidth"], 360, "{report}");
    assert_eq!(report["register"]["scrollWidth"], 360, "{report}");
    // On paper, the file's whole address (it showed `/van-ban/2024/…`, of no
    // use away from the site).
    let paper = extract(TextKind::Pdf, &std::fs::read(&printed).unwrap()).text;
    assert!(
        paper.contains("(https://phuongmau.example.gov.vn/van-ban/2024/danh-muc.pdf)"),
        "{paper}"
    );
    // A day of the archive's calendar was a 20 x 19 px link.
    let days = report["calendarLinks"].as_array().unwrap();
    assert!(!days.is_empty(), "{report}");
    for day in days {
        assert!(
            day[0].as_u64().unwrap() >= 24 && day[1].as_u64().unwrap() >= 24,
            "a day's link too small to tap: {report}"
        );
    }
    assert_eq!(report["schedule"]["duringWeek"], true, "{report}");
    assert_eq!(report["schedule"]["afterWeek"], false, "{report}");
    // Without JavaScript nothing hid it: a week long past was "tuần này".
    assert_eq!(report["schedule"]["noJs"], false, "{report}");
    // The hits' "Văn bản" mark was the site's dark red on the dark page
    // (contrast 2.3:1).
    assert_eq!(report["search"]["light"], serde_json::json!([]), "{report}");
    // The page answers "QĐ2/2024" as `bantin search` does.
    assert_eq!(
        report["search"]["runTogether"][0], "/van-ban/2-2024-qd-ubnd/",
        "{report}"
    );
    assert_eq!(report["search"]["dark"], serde_json::json!([]), "{report}");
}

/// On a phone the main menu was one line scrolling sideways, "Văn bản" and
/// "Lịch công tác" past the screen's edge and every item a 30 px strip. Now
/// its bar opens it, with JavaScript or without: every item within the
/// screen, a whole row 44 px high, a tap on it lands on it. A reader on the
/// keyboard sees where they are in the header.
#[test]
fn every_item_of_the_menu_can_be_reached_and_tapped_and_seen_focused() {
    let site = reader_site();
    built(&site, IN_W27);
    let public = site.public();
    let report = browser_check(
        "reader.mjs",
        &["--menu".as_ref(), public.as_os_str(), "/van-ban/".as_ref()],
        &serde_json::Value::Null,
    );
    let menu = &report["menu"];
    for js in ["js", "noJs"] {
        let items = menu[js].as_array().unwrap();
        let names: Vec<&str> = items.iter().map(|i| i["text"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "Trang chủ",
                "Tin tức",
                "Văn bản",
                "Lịch công tác",
                "Tìm kiếm",
                "Sơ đồ trang"
            ],
            "{js}: {menu}"
        );
        for item in items {
            let (left, right) = (
                item["left"].as_i64().unwrap(),
                item["right"].as_i64().unwrap(),
            );
            assert!(left >= 0 && right <= 360, "{js}: off the screen: {item}");
            assert!(
                item["height"].as_i64().unwrap() >= 44,
                "{js}: too small to tap: {item}"
            );
            assert_eq!(item["tapped"], true, "{js}: a tap misses it: {item}");
        }
    }
    // Nor is anything else on the page too small to tap (the breadcrumbs'
    // "Trang chủ", a 23 px line just under the menu's bar, was).
    assert_eq!(menu["smallTargets"], serde_json::json!([]), "{menu}");
    assert_eq!(menu["smallTargetsOpen"], serde_json::json!([]), "{menu}");
    assert_eq!(menu["openerNoJs"]["text"], "Danh mục", "{menu}");
    assert!(
        menu["openerNoJs"]["height"].as_i64().unwrap() >= 44,
        "{menu}"
    );
    // The keyboard's focus ring in the header was the page's blue on the
    // site's red (1.6:1): a reader tabbing lost where they were.
    let stops = report["focusInHeader"].as_array().unwrap();
    assert!(stops.len() >= 4, "{stops:?}");
    for stop in stops {
        assert!(
            stop["contrast"].as_f64().unwrap() >= 3.0,
            "a focus ring hard to see: {stop}"
        );
    }
}

/// A title, a tag or a summary holding a word longer than a phone's line (an
/// address, a number run into its code) made the page wider than the screen
/// (383 px for the home page, the tag's page and the archive's month; 549 for
/// an article on a generated site): the reader scrolled sideways for each
/// line.
#[test]
fn a_long_word_in_a_title_does_not_widen_the_page_past_a_phone() {
    let address = "https://dichvucong.hanoi.gov.vn/thu-tuc-hanh-chinh/chi-tiet-thu-tuc-12345";
    let site = TestSite::new(&[(
        "content/tin/dai.md",
        &format!(
            "---\ntitle: \"Triển khai Quyết định số 12345/2024/QĐ-UBND-KTHTĐT-VPĐKĐĐ tại {address}\"\ndate: 2025-06-22 10:00\ncategory: \"Tin tức\"\ntags: [\"Chuyển-đổi-số-quốc-gia-giai-đoạn-2021-2025-tầm-nhìn-2030\"]\nsummary: \"Xem {address}\"\n---\n\nNội dung.\n"
        ),
    )]);
    built(&site, IN_W27);
    let pages = [
        "/",
        "/tin/dai/",
        "/tin/",
        "/tags/chuyen-doi-so-quoc-gia-giai-doan-2021-2025-tam-nhin-2030/",
        "/archive/2025/06/",
    ];
    let public = site.public();
    let mut args: Vec<&std::ffi::OsStr> = vec!["--widths".as_ref(), public.as_os_str()];
    args.extend(pages.iter().map(std::ffi::OsStr::new));
    let report = browser_check("reader.mjs", &args, &serde_json::Value::Null);
    for page in pages {
        assert_eq!(report["widths"][page], 360, "{page}: {report}");
    }
}

/// On a slow link the search page's first answer takes seconds; the page
/// showed nothing meanwhile (the reader tapped "Tìm" again, or left). Now it
/// says it is searching, then answers.
#[test]
fn on_a_slow_link_the_search_page_says_it_is_searching() {
    let site = reader_site();
    built(&site, IN_W27);
    let public = site.public();
    let report = browser_check(
        "reader.mjs",
        &["--slow-search".as_ref(), public.as_os_str()],
        &serde_json::Value::Null,
    );
    let slow = &report["slowSearch"];
    assert_eq!(slow["afterAWhile"], "Đang tìm “quyet dinh 2”…", "{slow}");
    assert!(slow["answered"].as_u64().unwrap() >= 1, "{slow}");
}
