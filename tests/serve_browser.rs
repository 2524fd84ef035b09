//! `bantin serve` in a real browser (Debian's Chromium, driven by playwright-core):
//! an open page follows an editor's edits by itself: it reloads after an article
//! edit, swaps the stylesheet without reloading after a CSS edit, and shows a
//! broken edit's errors over the page until the file is fixed (screenshot:
//! target/screenshots/serve-errors.png).
//!
//! Needs `chromium` (apt) and `npm ci --prefix tests/browser`; `.ci/run` installs both.

mod common;
mod serve_common;

use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;
use serve_common::Server;

#[test]
fn an_open_page_follows_edits_by_itself() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "run `npm ci --prefix tests/browser` (and install Debian's chromium) first"
    );
    let site = TestSite::good();
    // The theme on disk, so that its stylesheet can be edited.
    for (rel, bytes) in tree(&manifest.join("themes/default")) {
        site.write_bytes(&format!("themes/default/{rel}"), &bytes);
    }
    let shots = manifest.join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let server = Server::start(&site.root());
    let article = site.root().join("content/thong-bao/lich-tiep-cong-dan.md");
    let css = site.root().join("themes/default/static/style.css");
    let result = Command::new("node")
        .arg(browser_dir.join("serve_reload.mjs"))
        .arg(server.origin())
        .arg(&article)
        .arg("Thông báo lịch tiếp công dân tháng 02/2014")
        .arg("Lịch tiếp công dân tháng 06/2014")
        .arg(&css)
        .arg(shots.join("serve-errors.png"))
        .output()
        .expect("node runs the live reload check");
    assert!(
        result.status.success(),
        "live reload check failed:\n{}\nthe server said:\n{}",
        String::from_utf8_lossy(&result.stderr),
        server.output()
    );
    let report: Value = serde_json::from_slice(&result.stdout).expect("the check prints JSON");
    println!("{report:#}");
    assert_eq!(report["errors"], serde_json::json!([]), "script errors");
    assert_eq!(report["reloaded"], true, "the page reloaded by itself");
    assert_eq!(report["cssKeptPage"], true, "a CSS edit does not reload");
    assert_eq!(report["hrefChanged"], true, "the new stylesheet is linked");
    for overlay in [&report["overlay"], &report["overlayOnOpen"]] {
        assert!(
            overlay
                .as_str()
                .unwrap()
                .contains("content/thong-bao/lich-tiep-cong-dan.md:"),
            "the errors name the file and line: {overlay}"
        );
    }
    assert_eq!(report["overlayGone"], true);
}
