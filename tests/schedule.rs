//! The leaders' work schedule (lịch công tác), end to end on the real binary:
//! week files read strictly, the week pages and their hooks, the current week
//! as of `SOURCE_DATE_EPOCH`, the iCalendar files as a real parser (ical.js)
//! reads them and as RFC 5545 asks byte by byte, `bantin new --week`, and bad
//! week files, each reported at its file, line and column.

mod common;

use std::path::Path;
use std::process::{Command as StdCommand, Output};

use common::*;
use scraper::{Html, Selector};
use serde_json::Value;

/// Thursday 03/07/2025 10:00 in Hà Nội: inside 2025-W27.
const IN_W27: &str = "1751511600";
/// Monday 30/06/2025 08:00: the first day of 2025-W27.
const MONDAY_W27: &str = "1751245200";
/// Monday 14/07/2025 09:00: 2025-W29, which has no file.
const IN_W29: &str = "1752458400";

const W26: &str = "items:\n  - start: 2025-06-23 07:30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n";

const W27: &str = "note: \"Lịch có thể thay đổi\"\nitems:\n  - start: 2025-07-01 14:00\n    end: \"16:30\"\n    who: [\"Chủ tịch UBND phường\", \"Phó Chủ tịch UBND phường\"]\n    what: \"Hội nghị triển khai, sơ kết; \\\"quý\\\" II\\\\III\"\n    where: \"Phòng họp số 1, tầng 2\"\n    with: \"Trưởng các phòng\"\n    prepares: \"Văn phòng HĐND và UBND\"\n    changed: true\n  - start: 2025-06-30 07:30\n    end: 2025-06-30 09:00\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban đầu tuần\"\n  - start: 2025-07-02\n    end: 2025-07-03\n    who: \"Phó Chủ tịch UBND phường\"\n    what: \"Kiểm tra công trình\"\n  - start: 2025-06-30\n    who: \"Phó Chủ tịch UBND phường\"\n    what: \"Trực lãnh đạo\"\n";

const W28: &str = "items:\n  - start: 2025-07-07 08:00\n    who: \"Chủ tịch UBND phường\"\n    what: \"Tiếp công dân\"\n";

fn schedule_site() -> TestSite {
    TestSite::new(&[
        (
            "content/tin/a.md",
            &article("Tin một", "2025-07-01 10:00", "Tin tức", "Nội dung.\n"),
        ),
        ("content/lich-cong-tac/2025-W26.yaml", W26),
        ("content/lich-cong-tac/2025-W27.yaml", W27),
        ("content/lich-cong-tac/2025-W28.yaml", W28),
    ])
}

fn build_at(site: &TestSite, epoch: &str, args: &[&str]) -> Output {
    bantin()
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .args(args)
        .output()
        .unwrap()
}

fn built(site: &TestSite, epoch: &str) {
    let out = build_at(site, epoch, &[]);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
}

/// The bytes of the output file at `site_path`, as text.
fn file(site: &TestSite, site_path: &str) -> String {
    std::fs::read_to_string(site.public().join(site_path.trim_start_matches('/'))).unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn week_page_lists_items_by_day_and_time_with_the_contract_hooks() {
    let site = schedule_site();
    built(&site, IN_W27);
    let doc = Html::parse_document(&site.page("/lich-cong-tac/2025/tuan-27/"));
    let starts: Vec<&str> = select(&doc, "#lich-tuan tr.muc td.gio time:first-child")
        .iter()
        .map(|t| t.value().attr("datetime").unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2025-06-30",
            "2025-06-30T07:30:00+07:00",
            "2025-07-01T14:00:00+07:00",
            "2025-07-02"
        ],
        "days in order, all-day items first, then by start time"
    );
    let days: Vec<String> = select(&doc, "#lich-tuan .ngay").iter().map(text).collect();
    assert_eq!(
        days,
        [
            "Thứ Hai, 30/06/2025",
            "Thứ Ba, 01/07/2025",
            "Thứ Tư, 02/07/2025",
            "Thứ Năm, 03/07/2025",
            "Thứ Sáu, 04/07/2025"
        ]
    );
    let rows = select(&doc, "#lich-tuan tr.muc");
    let changed = text(&rows[2]);
    for shown in [
        "14:00 – 16:30",
        "Hội nghị triển khai, sơ kết; \"quý\" II\\III",
        "(điều chỉnh)",
        "Chủ tịch UBND phường; Phó Chủ tịch UBND phường",
        "Phòng họp số 1, tầng 2",
        "Trưởng các phòng",
        "Văn phòng HĐND và UBND",
    ] {
        assert!(changed.contains(shown), "{shown:?} not in {changed:?}");
    }
    assert!(!text(&rows[1]).contains("điều chỉnh"));
    let rel = |r: &str| {
        select(&doc, &format!("a[rel={r}]"))
            .first()
            .map(|a| a.value().attr("href").unwrap().to_string())
    };
    assert_eq!(
        rel("prev").as_deref(),
        Some("/lich-cong-tac/2025/tuan-28/"),
        "the newer week"
    );
    assert_eq!(
        rel("next").as_deref(),
        Some("/lich-cong-tac/2025/tuan-26/"),
        "the older week"
    );
    let calendars: Vec<&str> = select(&doc, "a[type='text/calendar']")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(
        calendars,
        [
            "/lich-cong-tac/lich.ics",
            "/lich-cong-tac/lanh-dao/chu-tich-ubnd-phuong.ics",
            "/lich-cong-tac/lanh-dao/pho-chu-tich-ubnd-phuong.ics"
        ]
    );
    for (path, _) in [
        ("lich-cong-tac/lanh-dao/chu-tich-ubnd-phuong.ics", ()),
        ("lich-cong-tac/lich.ics", ()),
    ] {
        assert!(site.public().join(path).is_file(), "{path}");
    }
    // The newest week has no newer one, the oldest no older one.
    let newest = Html::parse_document(&site.page("/lich-cong-tac/2025/tuan-28/"));
    assert!(select(&newest, "a[rel=prev]").is_empty());
    assert_eq!(select(&newest, "a[rel=next]").len(), 1);
}

#[test]
fn index_shows_the_week_of_the_build_date_and_every_week_by_year() {
    let site = schedule_site();
    built(&site, IN_W27);
    let index = Html::parse_document(&site.page("/lich-cong-tac/"));
    assert_eq!(text(&select(&index, "h1")[0]), "Lịch công tác tuần 27/2025");
    assert_eq!(select(&index, "#lich-tuan tr.muc").len(), 4);
    let weeks: Vec<&str> = select(&index, ".lich-cac-tuan li a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(
        weeks,
        [
            "/lich-cong-tac/2025/tuan-28/",
            "/lich-cong-tac/2025/tuan-27/",
            "/lich-cong-tac/2025/tuan-26/"
        ]
    );
    assert_eq!(text(&select(&index, ".lich-cac-tuan h3")[0]), "2025");

    // A week with no file: the latest week before it.
    built(&site, IN_W29);
    let index = Html::parse_document(&site.page("/lich-cong-tac/"));
    assert_eq!(text(&select(&index, "h1")[0]), "Lịch công tác tuần 28/2025");
    // Before every week: the first.
    built(&site, "1700000000");
    let index = Html::parse_document(&site.page("/lich-cong-tac/"));
    assert_eq!(text(&select(&index, "h1")[0]), "Lịch công tác tuần 26/2025");
}

#[test]
fn home_page_menu_and_sitemap_show_the_schedule_only_when_the_site_has_weeks() {
    let site = schedule_site();
    built(&site, MONDAY_W27);
    let home = Html::parse_document(&site.page("/"));
    let block = select(&home, ".lich-tuan-nay");
    assert_eq!(block.len(), 1);
    let block = text(&block[0]);
    assert!(block.starts_with("Lịch công tác tuần này"), "{block}");
    assert!(block.contains("07:30: Họp giao ban đầu tuần"), "{block}");
    assert!(block.contains("14:00: Hội nghị triển khai"), "{block}");
    // Built on Thursday, the block shows the rest of the week: nothing left.
    built(&site, IN_W27);
    let home = Html::parse_document(&site.page("/"));
    let block = text(&select(&home, ".lich-tuan-nay")[0]);
    assert!(!block.contains("Họp giao ban"), "{block}");
    assert!(block.contains("Không có lịch."), "{block}");
    let menu: Vec<String> = select(&home, "nav.menu a").iter().map(text).collect();
    assert!(menu.contains(&"Lịch công tác".to_string()), "{menu:?}");
    let sitemap = file(&site, "/sitemap.xml");
    for week in ["2025/tuan-26/", "2025/tuan-27/", "2025/tuan-28/"] {
        assert!(
            sitemap.contains(&format!(
                "https://phuongmau.example.gov.vn/lich-cong-tac/{week}</loc>"
            )),
            "{week} not in the sitemap"
        );
    }
    assert!(!sitemap.contains(".ics"));

    for week in ["2025-W26", "2025-W27", "2025-W28"] {
        site.remove(&format!("content/lich-cong-tac/{week}.yaml"));
    }
    built(&site, IN_W27);
    let home = site.page("/");
    assert!(!home.contains("Lịch công tác"));
    assert!(!site.public().join("lich-cong-tac").exists());
}

/// Every .ics file of the site, as ical.js reads it.
fn parsed_calendars(public: &Path) -> Vec<Value> {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/ical.js").is_dir(),
        "run `npm ci --prefix tests/browser` first"
    );
    let mut files = vec![public.join("lich-cong-tac/lich.ics")];
    let mut leaders: Vec<_> = std::fs::read_dir(public.join("lich-cong-tac/lanh-dao"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    leaders.sort();
    files.extend(leaders);
    let out = StdCommand::new("node")
        .arg(browser_dir.join("ical.mjs"))
        .args(&files)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "ical.js failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn event<'a>(calendar: &'a Value, summary_start: &str) -> &'a Value {
    calendar["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["summary"].as_str().unwrap().starts_with(summary_start))
        .unwrap_or_else(|| panic!("no event {summary_start}"))
}

#[test]
fn calendars_import_in_a_real_parser_with_every_item() {
    let site = schedule_site();
    built(&site, IN_W27);
    let calendars = parsed_calendars(&site.public());
    let all = &calendars[0];
    assert_eq!(all["version"], "2.0");
    assert!(all["prodid"].as_str().unwrap().contains("bantin"));
    assert_eq!(
        all["events"].as_array().unwrap().len(),
        6,
        "every item of every week"
    );
    let meeting = event(all, "Hội nghị triển khai");
    assert_eq!(meeting["start"]["utc"], "2025-07-01T07:00:00.000Z");
    assert_eq!(meeting["end"]["utc"], "2025-07-01T09:30:00.000Z");
    assert_eq!(
        meeting["summary"], "Hội nghị triển khai, sơ kết; \"quý\" II\\III (điều chỉnh)",
        "commas, semicolons, quotes and backslashes come back as written"
    );
    assert_eq!(meeting["location"], "Phòng họp số 1, tầng 2");
    assert_eq!(
        meeting["description"],
        "Chủ trì: Chủ tịch UBND phường, Phó Chủ tịch UBND phường\nThành phần: Trưởng các phòng\nChuẩn bị: Văn phòng HĐND và UBND"
    );
    assert_eq!(
        meeting["dtstamp"], "2025-07-03T03:00:00.000Z",
        "DTSTAMP is the build's date"
    );
    assert_eq!(
        meeting["url"],
        "https://phuongmau.example.gov.vn/lich-cong-tac/2025/tuan-27/"
    );
    let trip = event(all, "Kiểm tra công trình");
    assert_eq!(trip["start"], serde_json::json!({"date": "2025-07-02"}));
    assert_eq!(
        trip["end"],
        serde_json::json!({"date": "2025-07-04"}),
        "DTEND of a DATE is the day after the last"
    );
    let duty = event(all, "Trực lãnh đạo");
    assert_eq!(duty["end"], serde_json::json!({"date": "2025-07-01"}));
    let uids: std::collections::HashSet<&str> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uid"].as_str().unwrap())
        .collect();
    assert_eq!(uids.len(), 6, "one UID an item");

    // Each leader's calendar holds the items they lead, the same events.
    let names: Vec<&str> = calendars[1..]
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Lịch công tác - Chủ tịch UBND phường",
            "Lịch công tác - Phó Chủ tịch UBND phường"
        ]
    );
    assert_eq!(calendars[1]["events"].as_array().unwrap().len(), 4);
    assert_eq!(calendars[2]["events"].as_array().unwrap().len(), 3);
    assert_eq!(event(&calendars[2], "Hội nghị")["uid"], meeting["uid"]);
}

/// The UID of each event of the site's calendar, by summary.
fn uids(site: &TestSite) -> std::collections::BTreeMap<String, String> {
    parsed_calendars(&site.public())[0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["summary"].as_str().unwrap().to_string(),
                e["uid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn uids_stay_across_builds_and_when_an_items_text_is_corrected() {
    let site = schedule_site();
    built(&site, IN_W27);
    let first = std::fs::read(site.public().join("lich-cong-tac/lich.ics")).unwrap();
    let before = uids(&site);
    built(&site, IN_W27);
    let again = std::fs::read(site.public().join("lich-cong-tac/lich.ics")).unwrap();
    assert_eq!(first, again, "the same files, the same calendar");

    // A clerk corrects the text, the place and who takes part.
    let corrected = W27
        .replace(
            "Họp giao ban đầu tuần",
            "Họp giao ban Thường trực UBND đầu tuần",
        )
        .replace("Phòng họp số 1, tầng 2", "Hội trường")
        .replace("Trưởng các phòng", "Trưởng các phòng, ban");
    site.write("content/lich-cong-tac/2025-W27.yaml", &corrected);
    built(&site, IN_W29);
    let after = uids(&site);
    assert_eq!(
        before["Họp giao ban đầu tuần"],
        after["Họp giao ban Thường trực UBND đầu tuần"]
    );
    let meeting = |m: &std::collections::BTreeMap<String, String>| {
        m.iter()
            .find(|(k, _)| k.starts_with("Hội nghị"))
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(meeting(&before), meeting(&after));

    // Moved to another time, it is another event, unless its `id:` pins it.
    let moved = W27.replace(
        "2025-06-30 07:30\n    end: 2025-06-30 09:00",
        "2025-06-30 08:00\n    end: 2025-06-30 09:00",
    );
    site.write("content/lich-cong-tac/2025-W27.yaml", &moved);
    built(&site, IN_W27);
    assert_ne!(
        uids(&site)["Họp giao ban đầu tuần"],
        before["Họp giao ban đầu tuần"]
    );
    let pinned = |start: &str| {
        W27.replace(
            "  - start: 2025-06-30 07:30\n    end: 2025-06-30 09:00\n",
            &format!("  - id: \"giao-ban-27\"\n    start: {start}\n"),
        )
    };
    site.write(
        "content/lich-cong-tac/2025-W27.yaml",
        &pinned("2025-06-30 07:30"),
    );
    built(&site, IN_W27);
    let pinned_uid = uids(&site)["Họp giao ban đầu tuần"].clone();
    assert_eq!(pinned_uid, "giao-ban-27@phuongmau.example.gov.vn");
    site.write(
        "content/lich-cong-tac/2025-W27.yaml",
        &pinned("2025-07-01 09:00"),
    );
    built(&site, IN_W27);
    assert_eq!(uids(&site)["Họp giao ban đầu tuần"], pinned_uid);
}

#[test]
fn calendar_bytes_follow_rfc_5545() {
    let long_what = "Hội nghị trực tuyến toàn quốc tổng kết công tác cải cách hành chính, chuyển đổi số; triển khai nhiệm vụ năm 2026 \\ phần 1";
    let site = schedule_site();
    site.write(
        "content/lich-cong-tac/2025-W27.yaml",
        &format!("items:\n  - start: 2025-07-01 14:00\n    who: \"Chủ tịch UBND phường\"\n    what: \"{}\"\n    with: \"Dòng một\\nDòng hai\"\n", long_what.replace('\\', "\\\\")),
    );
    built(&site, IN_W27);
    let bytes = std::fs::read(site.public().join("lich-cong-tac/lich.ics")).unwrap();
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let mut folded = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        assert_eq!(line.last(), Some(&b'\r'), "every line ends with CRLF");
        let content = &line[..line.len() - 1];
        assert!(
            content.len() <= 75,
            "{} octets: {:?}",
            content.len(),
            String::from_utf8_lossy(content)
        );
        // A fold never splits a character: each physical line is UTF-8 by itself.
        assert!(
            std::str::from_utf8(content).is_ok(),
            "a character split across lines"
        );
        folded += usize::from(content.first() == Some(&b' '));
    }
    assert!(folded > 0, "the long summary is folded");
    let unfolded = text.replace("\r\n ", "");
    let summary = unfolded
        .lines()
        .find(|l| l.starts_with("SUMMARY:Hội nghị"))
        .unwrap();
    assert_eq!(
        summary,
        "SUMMARY:Hội nghị trực tuyến toàn quốc tổng kết công tác cải cách hành chính\\, chuyển đổi số\\; triển khai nhiệm vụ năm 2026 \\\\ phần 1"
    );
    assert!(
        unfolded.contains("Thành phần: Dòng một\\nDòng hai"),
        "a line break is written \\n"
    );
    for property in [
        "VERSION:2.0\r\n",
        "PRODID:",
        "DTSTAMP:20250703T030000Z",
        "DTSTART:20250701T070000Z",
    ] {
        assert!(unfolded.contains(property), "{property}");
    }
}

/// Builds `site` and returns its error output, insisting that the build failed.
fn fails(site: &TestSite) -> String {
    let out = build_at(site, IN_W27, &[]);
    assert!(!out.status.success(), "the build should fail");
    stderr(&out)
}

fn site_with_week(name: &str, bytes: &[u8]) -> TestSite {
    TestSite::new(&[(
        "content/tin/a.md",
        &article("Tin", "2025-07-01", "Tin tức", "x\n"),
    )])
    .with_bytes(&format!("content/lich-cong-tac/{name}"), bytes)
}

#[test]
fn an_item_outside_its_week_is_an_error_at_its_line() {
    let site = site_with_week("2025-W27.yaml", W28.as_bytes());
    let err = fails(&site);
    assert!(
        err.contains("content/lich-cong-tac/2025-W27.yaml:2:12: error: this item is on 07/07/2025, outside the week 2025-W27 (30/06/2025 to 06/07/2025)"),
        "{err}"
    );
    assert!(err.contains("hint: move it to 2025-W28.yaml"), "{err}");
}

#[test]
fn a_leader_in_two_items_at_once_is_warned_at_the_later_one_and_the_week_builds() {
    let text = "items:\n  - start: 2025-07-01 07:30\n    end: \"09:00\"\n    who: [\"Chủ tịch UBND phường\", \"Phó Chủ tịch\"]\n    what: \"Họp giao ban\"\n  - start: 2025-07-01 09:00\n    who: \"Chủ tịch UBND phường\"\n    what: \"Tiếp công dân\"\n  - start: 2025-07-01 08:00\n    who: \"phó chủ tịch\"\n    what: \"Kiểm tra công trình\"\n  - start: 2025-07-01\n    who: \"Chủ tịch UBND phường\"\n    what: \"Làm việc tại các khu phố\"\n";
    let site = site_with_week("2025-W27.yaml", text.as_bytes());
    let out = build_at(&site, IN_W27, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // 08:00 falls inside 07:30–09:00, whoever wrote the name's case; 09:00
    // starts as the meeting ends, and the all-day item is no clash.
    assert!(
        err.contains("content/lich-cong-tac/2025-W27.yaml:9:1: warning: Phó Chủ tịch leads two items at the same time: this one, 08:00 on 01/07/2025, and “Họp giao ban”, 07:30–09:00 on 01/07/2025 (line 2)"),
        "{err}"
    );
    assert_eq!(err.matches("at the same time").count(), 1, "{err}");
    let week = file(&site, "lich-cong-tac/2025/tuan-27/index.html");
    assert!(
        week.contains("Kiểm tra công trình"),
        "the item is still shown"
    );
}

#[test]
fn an_end_before_its_start_is_an_error() {
    let text = "items:\n  - start: 2025-07-01 14:00\n    end: \"13:00\"\n    who: \"Chủ tịch\"\n    what: \"Họp\"\n";
    let err = fails(&site_with_week("2025-W27.yaml", text.as_bytes()));
    assert!(
        err.contains("2025-W27.yaml:3:10: error: the item ends before it starts"),
        "{err}"
    );
}

#[test]
fn a_file_name_that_is_not_an_iso_week_is_an_error() {
    for (name, hint) in [
        ("2025-27.yaml", "2025-W27.yaml"),
        ("2025-W54.yaml", "2025-W27.yaml"),
        ("tuan-27.yaml", "2025-W27.yaml"),
        ("2025-06-30.yaml", "2025-W27.yaml"),
    ] {
        let err = fails(&site_with_week(name, W27.as_bytes()));
        let stem = name.trim_end_matches(".yaml");
        assert!(
            err.contains(&format!(
                "content/lich-cong-tac/{name}: error: `{stem}` is not the name of a week"
            )),
            "{err}"
        );
        assert!(err.contains(hint), "{err}");
    }
}

#[test]
fn an_unknown_field_names_the_nearest_known_one() {
    let text = W28.replace("what:", "wat:");
    let err = fails(&site_with_week("2025-W28.yaml", text.as_bytes()));
    assert!(
        err.contains("2025-W28.yaml:4:5: error: unknown field `wat`"),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `what`?"), "{err}");
    let err = fails(&site_with_week(
        "2025-W28.yaml",
        format!("notes: \"x\"\n{W28}").as_bytes(),
    ));
    assert!(
        err.contains("2025-W28.yaml:1:1: error: unknown field `notes`"),
        "{err}"
    );
    assert!(err.contains("did you mean `note`?"), "{err}");
}

#[test]
fn an_empty_leader_list_is_an_error() {
    let text = W28.replace("\"Chủ tịch UBND phường\"", "[]");
    let err = fails(&site_with_week("2025-W28.yaml", text.as_bytes()));
    assert!(
        err.contains("2025-W28.yaml:3:10: error: `who` names no leader"),
        "{err}"
    );
}

#[test]
fn a_yaml_syntax_error_is_reported_at_its_line() {
    let text = "items:\n  - start: 2025-07-07 08:00\n    who: \"Chủ tịch\n    what: \"Họp\"\n";
    let err = fails(&site_with_week("2025-W28.yaml", text.as_bytes()));
    assert!(
        err.contains("content/lich-cong-tac/2025-W28.yaml:"),
        "{err}"
    );
    assert!(err.contains("error: the file is not valid YAML"), "{err}");
    let line: u32 = err
        .split("2025-W28.yaml:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3..=5).contains(&line), "line {line}: {err}");
}

#[test]
fn a_zero_byte_week_file_is_a_clear_error() {
    let err = fails(&site_with_week("2025-W28.yaml", b""));
    assert!(
        err.contains("content/lich-cong-tac/2025-W28.yaml:1:1: error: the file is empty (0 bytes)"),
        "{err}"
    );
}

#[test]
fn nfd_crlf_and_bom_give_the_same_pages_and_calendar() {
    use unicode_normalization::UnicodeNormalization;
    let plain = schedule_site();
    built(&plain, IN_W27);
    let messy = schedule_site();
    let nfd: String = W27.nfd().collect::<String>().replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(nfd.as_bytes());
    messy.write_bytes("content/lich-cong-tac/2025-W27.yaml", &bytes);
    built(&messy, IN_W27);
    for path in [
        "/lich-cong-tac/2025/tuan-27/",
        "/lich-cong-tac/lich.ics",
        "/lich-cong-tac/lanh-dao/pho-chu-tich-ubnd-phuong.ics",
    ] {
        let read = |site: &TestSite| match path.ends_with('/') {
            true => site.page(path),
            false => file(site, path),
        };
        assert_eq!(read(&plain), read(&messy), "{path}");
    }
}

#[test]
fn ten_thousand_items_in_a_week_build() {
    let mut text = String::from("items:\n");
    for i in 0..10_000 {
        let day = 30 + i % 5;
        let date = if day <= 30 {
            format!("2025-06-{day}")
        } else {
            format!("2025-07-0{}", day - 30)
        };
        text.push_str(&format!(
            "  - start: {date} {:02}:{:02}\n    who: \"Cán bộ {}\"\n    what: \"Việc số {i}, ngày {date}\"\n",
            7 + (i / 60) % 10,
            i % 60,
            i % 7
        ));
    }
    let site = site_with_week("2025-W27.yaml", text.as_bytes());
    let out = build_at(&site, IN_W27, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = site.page("/lich-cong-tac/2025/tuan-27/");
    assert_eq!(page.matches("<tr class=\"muc").count(), 10_000);
    let ics = file(&site, "/lich-cong-tac/lich.ics");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 10_000);
}

#[test]
fn two_files_of_one_week_are_an_error_naming_both() {
    let site = site_with_week("2025-W28.yaml", W28.as_bytes());
    site.write("content/lich-cong-tac/2025/2025-W28.yaml", W28);
    let err = fails(&site);
    assert!(
        err.contains("content/lich-cong-tac/2025/2025-W28.yaml: error: this file and content/lich-cong-tac/2025-W28.yaml are both the week 2025-W28")
            || err.contains("content/lich-cong-tac/2025-W28.yaml: error: this file and content/lich-cong-tac/2025/2025-W28.yaml are both the week 2025-W28"),
        "{err}"
    );
}

#[test]
fn new_week_writes_next_weeks_working_days_and_never_overwrites() {
    let site = TestSite::new(&[]);
    let new = |args: &[&str]| {
        bantin()
            .env("SOURCE_DATE_EPOCH", IN_W27)
            .arg("new")
            .arg("--root")
            .arg(site.root())
            .args(args)
            .output()
            .unwrap()
    };
    let out = new(&["--week"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = site.root().join("content/lich-cong-tac/2025-W28.yaml");
    assert_eq!(stdout(&out).trim(), path.display().to_string());
    let text = std::fs::read_to_string(&path).unwrap();
    for day in [
        "2025-07-07",
        "2025-07-08",
        "2025-07-09",
        "2025-07-10",
        "2025-07-11",
    ] {
        assert!(text.contains(&format!("start: {day} 07:30")), "{day}");
    }
    // Not filled in, it builds (its items are left out, with a warning).
    let out = build_at(&site, IN_W27, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: this item is not filled in"));

    let out = new(&["--week", "2025-W30"]);
    assert!(out.status.success());
    assert!(
        site.root()
            .join("content/lich-cong-tac/2025-W30.yaml")
            .is_file()
    );
    let out = new(&["--week", "2025-W30"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("never overwrites"));
    let out = new(&["--week", "2025-30"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is not an ISO week"));
}

#[test]
fn check_reports_schedule_problems_and_a_missing_week() {
    let site = site_with_week("2025-W26.yaml", W26.as_bytes());
    site.write(
        "content/lich-cong-tac/2025-W28.yaml",
        &W28.replace("what:", "wat:"),
    );
    let out = bantin()
        .env("SOURCE_DATE_EPOCH", IN_W27)
        .arg("check")
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains("2025-W28.yaml:4:5: error: unknown field `wat`"),
        "{all}"
    );
    assert!(
        all.contains("warning: the work schedule has no week 2025-W27"),
        "{all}"
    );
    assert!(all.contains("bantin new --week 2025-W27"), "{all}");
}

#[test]
fn an_id_given_to_two_items_is_an_error_naming_both() {
    let site = site_with_week(
        "2025-W27.yaml",
        format!("{W27}    id: \"hop\"\n").as_bytes(),
    );
    site.write(
        "content/lich-cong-tac/2025-W28.yaml",
        &format!("{W28}    id: \"hop\"\n"),
    );
    let err = fails(&site);
    assert!(
        err.contains("content/lich-cong-tac/2025-W28.yaml:2:1: error: the id `hop` is also the id of the item at content/lich-cong-tac/2025-W27.yaml:19"),
        "{err}"
    );
}

#[test]
fn a_cached_build_of_a_site_with_a_schedule_patches_its_model_and_equals_a_full_build() {
    let site = schedule_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let (out, cache) = (
        elsewhere.path().join("public"),
        elsewhere.path().join("cache"),
    );
    let cached = |epoch: &str| {
        let args = [
            "--out",
            out.to_str().unwrap(),
            "--cache",
            cache.to_str().unwrap(),
            "--timings",
        ];
        let built = build_at(&site, epoch, &args);
        assert!(built.status.success(), "{}", stderr(&built));
        stdout(&built)
    };
    let same_as_full_build = |epoch: &str, after: &str| {
        built(&site, epoch);
        assert!(
            tree(&out) == tree(&site.public()),
            "after {after}: the cached build differs from a full build"
        );
    };
    // Tuesday of 2025-W27, whose items run from Monday to Thursday.
    let tuesday = IN_W27.parse::<u64>().unwrap() - 2 * 86400;
    cached(&tuesday.to_string());
    let calendar = |tree: &std::collections::BTreeMap<String, Vec<u8>>| {
        String::from_utf8(tree["lich-cong-tac/lich.ics"].clone()).unwrap()
    };
    let before = calendar(&tree(&out));

    // An hour later, the same day: a body edit patches the model, and the
    // calendars, which show the build's time, are made again.
    let later = (tuesday + 3600).to_string();
    site.write(
        "content/tin/a.md",
        &article("Tin một", "2025-07-01 10:00", "Tin tức", "Nội dung mới.\n"),
    );
    let again = cached(&later);
    assert!(!again.contains("made the model again"), "{again}");
    assert_ne!(
        calendar(&tree(&out)),
        before,
        "DTSTAMP follows the build's time"
    );
    same_as_full_build(&later, "a body edit an hour later");

    // The next day, the same week, nothing edited: the model is patched, and
    // the home page's block of the week starts at the new day.
    let next_day = (tuesday + 86400).to_string();
    let again = cached(&next_day);
    assert!(!again.contains("made the model again"), "{again}");
    same_as_full_build(&next_day, "the next day");

    // A week's item edited: the full pipeline.
    site.write(
        "content/lich-cong-tac/2025-W28.yaml",
        &W28.replace("Tiếp công dân", "Tiếp công dân định kỳ"),
    );
    let edited = cached(&next_day);
    assert!(
        edited.contains("made the model again: the work schedule changed"),
        "{edited}"
    );
    same_as_full_build(&next_day, "a week edited");

    // A week later the current week moved on: the full pipeline again.
    site.write(
        "content/tin/a.md",
        &article("Tin một", "2025-07-01 10:00", "Tin tức", "Nội dung khác.\n"),
    );
    let next_week = cached(IN_W29);
    assert!(
        next_week.contains("made the model again: the work schedule changed"),
        "{next_week}"
    );
    same_as_full_build(IN_W29, "a week later");
}

/// The week page's items as `(datetime of the item's <time>, what)`, in order.
fn items_of(site: &TestSite, week_path: &str) -> Vec<(String, String)> {
    let page = Html::parse_document(&site.page(week_path));
    select(&page, "#lich-tuan tr")
        .iter()
        .filter_map(|row| {
            let time = select_in(row, "td time").into_iter().next()?;
            let what = select_in(row, "td").get(1).map(text)?;
            Some((time.attr("datetime")?.to_string(), what))
        })
        .collect()
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    e.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn times_written_as_clerks_write_them_keep_their_hour() {
    // A day first with `7h30` was an all-day item; the ISO day with `7h30`,
    // `14h` or `8 giờ 30` was an error in jiff's words.
    let text = "items:\n  - start: 30/06/2025 7h30\n    end: 11h30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n  - start: 2025-07-01 14h\n    end: 16 giờ 30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Tiếp công dân\"\n  - start: 2025-07-02 8 giờ 30\n    who: \"Phó Chủ tịch UBND phường\"\n    what: \"Kiểm tra công trình\"\n  - start: 03/07/2025 2 giờ chiều\n    who: \"Phó Chủ tịch UBND phường\"\n    what: \"Làm việc với khu phố\"\n  - start: 2025-07-04 cả ngày\n    who: \"Phó Chủ tịch UBND phường\"\n    what: \"Trực lãnh đạo\"\n";
    let site = site_with_week("2025-W27.yaml", text.as_bytes());
    built(&site, IN_W27);
    assert_eq!(
        items_of(&site, "/lich-cong-tac/2025/tuan-27/"),
        [
            ("2025-06-30T07:30:00+07:00", "Họp giao ban"),
            ("2025-07-01T14:00:00+07:00", "Tiếp công dân"),
            ("2025-07-02T08:30:00+07:00", "Kiểm tra công trình"),
            ("2025-07-03T14:00:00+07:00", "Làm việc với khu phố"),
            ("2025-07-04", "Trực lãnh đạo"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let calendar = file(&site, "/lich-cong-tac/lich.ics");
    for line in [
        "DTSTART:20250630T003000Z\r\nDTEND:20250630T043000Z",
        "DTSTART:20250701T070000Z\r\nDTEND:20250701T093000Z",
        "DTSTART;VALUE=DATE:20250704\r\nDTEND;VALUE=DATE:20250705",
    ] {
        assert!(calendar.contains(line), "{line} not in {calendar}");
    }
}

#[test]
fn a_part_of_the_day_without_its_hour_is_an_error_asking_for_the_hour() {
    let text = "items:\n  - start: 2025-07-01 Sáng\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n";
    let err = fails(&site_with_week("2025-W27.yaml", text.as_bytes()));
    assert!(
        err.contains("content/lich-cong-tac/2025-W27.yaml:2:12: error: `2025-07-01 Sáng` says the part of the day (Sáng), not the hour: write the hour it starts, e.g. `2025-07-01 07:30` in the morning or `2025-07-01 14:00` in the afternoon, or the date alone for the whole day"),
        "{err}"
    );
}

#[test]
fn a_week_of_items_with_nothing_under_it_builds_as_a_week_without_engagements() {
    // Tết: the clerk keeps the `items:` line and deletes every item.
    let text = "note: \"Nghỉ Tết Nguyên đán\"\nitems:\n";
    let site = site_with_week("2026-W07.yaml", text.as_bytes());
    built(&site, IN_W27);
    let page = site.page("/lich-cong-tac/2026/tuan-07/");
    assert!(page.contains("Nghỉ Tết Nguyên đán"), "{page}");
    assert!(items_of(&site, "/lich-cong-tac/2026/tuan-07/").is_empty());
}

#[test]
fn a_file_named_for_the_wrong_week_is_one_error_saying_to_rename_it() {
    // Last week's file copied and given this week's dates, but not renamed.
    let text = "items:\n  - start: 2025-07-07 07:30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n  - start: 2025-07-09 14:00\n    who: \"Chủ tịch UBND phường\"\n    what: \"Tiếp công dân\"\n";
    let err = fails(&site_with_week("2025-W27.yaml", text.as_bytes()));
    assert!(
        err.contains("content/lich-cong-tac/2025-W27.yaml:2:12: error: every item of this file is in the week 2025-W28 (07/07/2025 to 13/07/2025), but the file is named for the week 2025-W27 (30/06/2025 to 06/07/2025)"),
        "{err}"
    );
    assert!(
        err.contains("hint: rename the file 2025-W28.yaml, or correct the dates of its items"),
        "{err}"
    );
    assert!(
        err.contains("1 error(s)"),
        "one error, not one an item: {err}"
    );
}

#[test]
fn a_week_saved_by_word_as_unicode_text_gives_the_same_pages() {
    let plain = schedule_site();
    built(&plain, IN_W27);
    for bom in [true, false] {
        let utf16 = schedule_site();
        let mut bytes: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(
            W27.replace('\n', "\r\n")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        utf16.write_bytes("content/lich-cong-tac/2025-W27.yaml", &bytes);
        built(&utf16, IN_W27);
        for path in ["/lich-cong-tac/2025/tuan-27/", "/lich-cong-tac/lich.ics"] {
            let read = |site: &TestSite| match path.ends_with('/') {
                true => site.page(path),
                false => file(site, path),
            };
            assert_eq!(read(&plain), read(&utf16), "{path}, BOM {bom}");
        }
    }
}

#[test]
fn an_item_field_named_as_the_schedules_column_is_told_its_english_name() {
    let text = "items:\n  - start: 2025-07-01 07:30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n    Địa điểm: \"Phòng họp số 1\"\n";
    let err = fails(&site_with_week("2025-W27.yaml", text.as_bytes()));
    assert!(
        err.contains("content/lich-cong-tac/2025-W27.yaml:5:5: error: unknown field `Địa điểm`\n  hint: did you mean `where`? (the fields have English names: `Địa điểm` is `where`)"),
        "{err}"
    );
}

#[test]
fn a_week_file_ending_in_yml_is_told_to_end_in_yaml() {
    for name in ["2025-W28.yml", "2025-W28.YAML"] {
        let err = fails(&site_with_week(name, W28.as_bytes()));
        let ending = name.rsplit_once('.').unwrap().1;
        assert!(
            err.contains(&format!("content/lich-cong-tac/{name}: error: the file's name ends in `.{ending}`, and a week's file in `.yaml`\n  hint: rename it 2025-W28.yaml")),
            "{err}"
        );
    }
}

#[test]
fn leaders_written_in_one_text_with_semicolons_each_get_the_item_in_their_calendar() {
    // The page shows several leaders as "A; B": the clerk writes them so.
    let text = "items:\n  - start: 2025-07-01 07:30\n    who: \"Chủ tịch UBND phường; Phó Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n  - start: 2025-07-02 07:30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Tiếp công dân\"\n";
    let site = site_with_week("2025-W27.yaml", text.as_bytes());
    built(&site, IN_W27);
    let mut calendars: Vec<String> =
        std::fs::read_dir(site.public().join("lich-cong-tac/lanh-dao"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    calendars.sort();
    assert_eq!(
        calendars,
        ["chu-tich-ubnd-phuong.ics", "pho-chu-tich-ubnd-phuong.ics"]
    );
    let chairman = file(&site, "/lich-cong-tac/lanh-dao/chu-tich-ubnd-phuong.ics");
    assert!(chairman.contains("SUMMARY:Họp giao ban"), "{chairman}");
    assert!(chairman.contains("SUMMARY:Tiếp công dân"), "{chairman}");
    let vice = file(
        &site,
        "/lich-cong-tac/lanh-dao/pho-chu-tich-ubnd-phuong.ics",
    );
    assert!(vice.contains("SUMMARY:Họp giao ban"), "{vice}");
    let page = site.page("/lich-cong-tac/2025/tuan-27/");
    assert!(
        page.contains("Chủ tịch UBND phường; Phó Chủ tịch UBND phường"),
        "shown as written"
    );
}

#[test]
fn hours_written_as_a_range_in_start_are_an_error_showing_start_and_end() {
    let text = "items:\n  - start: 2025-07-01 14h-16h30\n    who: \"Chủ tịch UBND phường\"\n    what: \"Họp giao ban\"\n";
    let err = fails(&site_with_week("2025-W27.yaml", text.as_bytes()));
    assert!(
        err.contains("content/lich-cong-tac/2025-W27.yaml:2:12: error: `2025-07-01 14h-16h30` gives the hours from 14h to 16h30: write when it starts in `start` and when it ends in `end`, e.g. `start: 2025-07-01 14h` and `end: \"16h30\"`"),
        "{err}"
    );
}
