//! The demo site in a real browser (Debian's Chromium, driven by playwright-core):
//! axe-core finds no WCAG 2.1 A/AA violation on any kind of page, at phone and
//! desktop widths, in light and in dark mode (`prefers-color-scheme: dark`);
//! pages load nothing from other hosts, ask for nothing missing (the favicon
//! included) and log no error; an article page stays light in bytes; the text
//! size control works. Screenshots land in target/screenshots/.
//!
//! Needs `chromium` (apt) and `npm ci --prefix tests/browser`; `.ci/run` installs both.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

const PAGES: &[&str] = &[
    "/",
    "/nghi-quyet-trung-uong-4/tong-ket-cong-tac-dan-van-va-quy-che-dan-chu-co-so/",
    "/dan-van/",
    "/tags/dan-van-kheo/",
    "/archive/",
    "/archive/2014/01/",
    "/archive/2014/01/17/",
    "/search/",
    "/so-do-trang/",
    "/no-such-page/",
    "/van-ban/",
    "/van-ban/loai/quyet-dinh/",
    "/van-ban/12-2019-qd-ubnd/",
    "/lich-cong-tac/",
    "/lich-cong-tac/2025/tuan-27/",
];

const ARTICLE: &str =
    "/nghi-quyet-trung-uong-4/tong-ket-cong-tac-dan-van-va-quy-che-dan-chu-co-so/";

fn check_pages() -> Vec<Value> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests/browser");
    assert!(
        browser_dir.join("node_modules/axe-core").is_dir(),
        "run `npm ci --prefix tests/browser` (and install Debian's chromium) first"
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_root(manifest, &["--out", public.to_str().unwrap()]);
    let shots = manifest.join("target/screenshots");
    let result = Command::new("node")
        .arg(browser_dir.join("check.mjs"))
        .arg(&public)
        .arg(&shots)
        .args(PAGES)
        .output()
        .expect("node runs the browser check");
    assert!(
        result.status.success(),
        "browser check failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&result.stdout).expect("the check prints JSON")
}

/// The relative luminance (0 black, 1 white) of a computed `rgb(r, g, b)`.
fn luminance(rgb: &str) -> f64 {
    let channels: Vec<f64> = rgb
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|c| c.trim().parse::<f64>().unwrap() / 255.0)
        .map(|c| match c <= 0.04045 {
            true => c / 12.92,
            false => ((c + 0.055) / 1.055).powf(2.4),
        })
        .collect();
    0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
}

#[test]
fn demo_pages_in_chromium() {
    let report = check_pages();
    assert_eq!(
        report.len(),
        PAGES.len() * 3,
        "each page light at 360 and 1280 px, dark at 360 px"
    );
    let mut problems = Vec::new();
    for page in &report {
        let (path, width, scheme) = (&page["path"], &page["width"], &page["scheme"]);
        let at = format!("{path} at {width}px, {scheme}");
        for violation in page["violations"].as_array().unwrap() {
            problems.push(format!("{at}: {violation}"));
        }
        for url in page["external"].as_array().unwrap() {
            problems.push(format!("{at} requested another host: {url}"));
        }
        for url in page["failed"].as_array().unwrap() {
            problems.push(format!("{at} asked for something missing: {url}"));
        }
        for error in page["consoleErrors"].as_array().unwrap() {
            problems.push(format!("{at} logged an error: {error}"));
        }
        // The scheme took: a dark page under `prefers-color-scheme: dark` only.
        let dark = luminance(page["background"].as_str().unwrap()) < 0.2;
        if dark != (scheme == "dark") {
            problems.push(format!("{at} has the background {}", page["background"]));
        }
    }
    assert!(
        problems.is_empty(),
        "accessibility or privacy problems:\n{}",
        problems.join("\n")
    );

    let article = report.iter().find(|p| p["path"] == ARTICLE).unwrap();
    let weight =
        article["bytes"]["html"].as_u64().unwrap() + article["bytes"]["css"].as_u64().unwrap();
    assert!(
        weight > 1000 && weight < 30 * 1024,
        "an article page weighs {weight} bytes of HTML and CSS"
    );
    assert_eq!(article["textSize"]["before"], "16px");
    assert_eq!(article["textSize"]["after"], "18px", "A+ enlarges the text");
}

#[test]
fn register_rows_narrow_by_form_year_and_status_without_a_round_trip() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "run `npm ci --prefix tests/browser` (and install Debian's chromium) first"
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    // As of a fixed day, so that statuses are known.
    let built = bantin()
        .env("SOURCE_DATE_EPOCH", "1780000000") // 2026-05-28
        .args(["build", "--root"])
        .arg(manifest)
        .args(["--out", public.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    let result = Command::new("node")
        .arg(browser_dir.join("register.mjs"))
        .arg(&public)
        .arg("/van-ban/")
        .output()
        .expect("node runs the register check");
    assert!(
        result.status.success(),
        "register check failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let report: Value = serde_json::from_slice(&result.stdout).unwrap();
    let rows = |key: &str| -> Vec<String> {
        report["narrowed"][key]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(report["formShown"], true);
    // The filter is in place before the table is laid out: the table does not
    // move down when the page's scripts run (Lighthouse measured a layout
    // shift of 0.147 on a phone when the script put the filter in).
    assert_eq!(
        report["tableTop"], report["tableTopBeforeScripts"],
        "the table moves when the page's scripts run"
    );
    assert!(report["layoutShift"].as_f64().unwrap() < 0.01, "{report}");
    assert_eq!(report["all"].as_array().unwrap().len(), 10);
    // On the first page (newest ten), the replaced 2021 decision and the
    // 2021 plan that expired are the ones no longer in force.
    assert_eq!(
        rows("status=het-hieu-luc"),
        ["08/2021/QĐ-UBND", "45/KH-UBND"]
    );
    assert_eq!(rows("type=Kế hoạch"), ["18/KH-UBND", "45/KH-UBND"]);
    assert_eq!(
        rows("year=2021"),
        [
            "112/TB-UBND",
            "1250/UBND-VP",
            "08/2021/QĐ-UBND",
            "45/KH-UBND"
        ]
    );
    assert_eq!(
        report["narrowed"]["year=2021"]["said"],
        "Đang hiện 4/10 văn bản"
    );
    assert_eq!(
        rows("status=het-hieu-luc&year=2021"),
        ["08/2021/QĐ-UBND", "45/KH-UBND"]
    );
    assert_eq!(report["requestsAfterLoad"], 0, "no round trip");
}

/// The demo's week 27 of 2025: the reader's note that a newer schedule may
/// exist shows only after the week, by the reader's clock; the week prints on
/// one A4 landscape page.
#[test]
fn schedule_week_in_chromium_prints_on_one_a4_landscape_page() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests/browser");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_root(manifest, &["--out", public.to_str().unwrap()]);
    let result = Command::new("node")
        .arg(browser_dir.join("schedule.mjs"))
        .arg(&public)
        .arg("/lich-cong-tac/2025/tuan-27/")
        .output()
        .expect("node runs the schedule check");
    assert!(
        result.status.success(),
        "schedule check failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let report: Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(report["ends"], "2025-07-07T00:00:00+07:00");
    assert_eq!(report["duringWeek"], false, "no note during the week");
    assert_eq!(report["afterWeek"], true, "the note once the week is over");
    assert_eq!(report["printedPages"], 1, "{report}");
    let size = report["pageSize"].as_array().unwrap();
    let (w, h) = (size[0].as_f64().unwrap(), size[1].as_f64().unwrap());
    assert!(
        (w - 842.0).abs() < 2.0 && (h - 595.0).abs() < 2.0,
        "A4 landscape: {w} x {h}"
    );
}
