//! The editor in the browser, for real: Decap CMS from npm (pinned in
//! tests/browser/package-lock.json), driven in Debian's Chromium against
//! `bantin serve` (tests/browser/decap.mjs), and the published `/admin/` page's
//! pinned script checked against the npm copy's bytes.
//!
//! Needs `chromium` (apt) and `npm ci --prefix tests/browser`; `.ci/run` installs both.

mod common;
mod serve_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;
use serve_common::Server;

fn decap_dist() -> PathBuf {
    let dist =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/decap-cms/dist");
    assert!(
        dist.join("decap-cms.js").is_file(),
        "run `npm ci --prefix tests/browser` (and install Debian's chromium) first"
    );
    dist
}

/// The site's "today" while the clerk edits and when the site is built:
/// Wednesday 25/11/2026 12:00 in Vietnam (week 2026-W48), so that the dates the
/// clerk types are neither in the future nor leave this week's schedule empty,
/// whatever day the test runs.
const TODAY: &str = "1795582800";
const THIS_WEEK: &str = "2026-W48";

/// A two-pixel PNG.
fn png() -> Vec<u8> {
    let hex = "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73000000154944415478da63f8cfc0f01f0c18fe33fcff0f000edb03fdb1a2c0d60000000049454e44ae426082";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The one file named `name` in a year folder of `content/<folder>/`.
fn in_a_year(site: &TestSite, folder: &str, name: &str) -> PathBuf {
    let dir = site.root().join("content").join(folder);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|year| year.path().join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no {name} in a year folder of {}", dir.display()))
}

#[test]
fn files_saved_in_the_editor_build_without_a_warning() {
    let dist = decap_dist();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = TestSite::good();
    // A site that builds and checks clean before the clerk starts (the
    // table that opens this article gives it no summary of its own).
    let festival = std::fs::read_to_string(site.root().join("content/van-hoa/hoi-xuan.md"))
        .unwrap()
        .replacen("---\n", "---\nsummary: Số hộ tham gia hội xuân.\n", 1);
    site.write("content/van-hoa/hoi-xuan.md", &festival);
    // Data for the site's own templates, which the editor must keep as it is.
    let report = std::fs::read_to_string(site.root().join("content/dan-van/2014/tong-ket.md"))
        .unwrap()
        .replacen("---\n", "---\nextra:\n  chu_thich: \"\"\n", 1);
    site.write("content/dan-van/2014/tong-ket.md", &report);
    // The editor's script from the site itself (no internet in tests), as a
    // portal that must not load third-party scripts does.
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}cms:\n  backend: github\n  repo: ubnd/phuong-mau\n  script: /decap/decap-cms.js\n"),
    );
    let scripts = site.root().join("content/decap");
    std::fs::create_dir_all(&scripts).unwrap();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The script and the parts it loads as the editor needs them.
        if name.ends_with("decap-cms.js") || name.ends_with(".wasm") {
            std::fs::copy(&path, scripts.join(&name)).unwrap();
        }
    }
    let image = site.dir.path().join("anh-cau.png");
    std::fs::write(&image, png()).unwrap();
    // A real PDF, under the name a clerk gives it on a Mac (decomposed, NFD),
    // with the Icelandic `Ð` an old input method put for `Đ`: it must be
    // folded as the same name typed on Windows with `Đ` is (`du`, not `dhu`);
    // and its copy's ` (2)`, which Decap made `-2-.pdf`, ends tidily.
    let pdf = site.dir.path().join(nfd("Quyết định 25 ÐU (2).pdf"));
    std::fs::copy(
        manifest.join("tests/fixtures/attachments/libreoffice.pdf"),
        &pdf,
    )
    .unwrap();
    let shots = manifest.join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let server = Server::start_with_env(&site.root(), &[], &[("SOURCE_DATE_EPOCH", TODAY)]);
    let result = Command::new("node")
        .arg(manifest.join("tests/browser/decap.mjs"))
        .arg(server.origin())
        .arg(site.root())
        .arg(&image)
        .arg(&pdf)
        .arg(THIS_WEEK)
        .arg(&shots)
        .output()
        .expect("node runs the editor check");
    assert!(
        result.status.success(),
        "editor check failed:\n{}\nthe server said:\n{}",
        String::from_utf8_lossy(&result.stderr),
        server.output()
    );
    let report: Value = serde_json::from_slice(&result.stdout).expect("the check prints JSON");
    println!("{report:#}");

    // Decap loaded the generated configuration without an error.
    assert_eq!(report["loadErrors"], serde_json::json!([]));
    let collections = report["collections"].to_string();
    for name in ["Dân vận", "Thông báo", "Văn hóa - Thể thao", "Văn bản"] {
        assert!(collections.contains(name), "{name} in {collections}");
    }

    // The new article: the slug folds đ and tones, the contract's front matter.
    let created = in_a_year(&site, "dan-van", "duong-luong-dinh-cua.md");
    let year = created
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(&created).unwrap();
    assert_eq!(year, "2026", "the year of the article's date");
    for line in [
        "title: Đường Lương Định Của\n",
        "date: 2026-11-25 09:45\n",
        "category: Dân vận\n",
        "views: 12\n",
        "image: /images/2026/anh-cau.png\n",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    assert!(text.contains("đường Lương Định Của được thông xe"));
    assert_eq!(
        std::fs::read(
            site.root()
                .join(format!("content/images/{year}/anh-cau.png"))
        )
        .unwrap(),
        png()
    );
    assert_eq!(
        report["createdPage"], true,
        "the served page shows the lead image"
    );

    // The edited article kept what the clerk did not touch.
    let edited =
        std::fs::read_to_string(site.root().join("content/dan-van/2014/tong-ket.md")).unwrap();
    for part in [
        "views: 4352",
        "120 đại biểu",
        "title: Tổng kết công tác dân vận năm 2013",
        "date: 2014-01-17T14:05:00+07:00",
        "image: /images/hoi-nghi.jpg",
        "hội nghị năm trước](../2013/hoi-nghi.md)",
    ] {
        assert!(edited.contains(part), "{part:?} in:\n{edited}");
    }
    assert!(
        edited.contains("extra:\n  chu_thich: \"\"\n")
            || edited.contains("extra:\n  chu_thich: ''\n"),
        "`extra` kept as it was, empty value and all:\n{edited}"
    );

    // A required field left empty: nothing was sent, nothing written.
    assert_eq!(report["refusedSent"], 0, "{report}");
    assert!(report["refusedUrl"].as_str().unwrap().ends_with("/new"));
    let notices = tree(&site.root().join("content/thong-bao"));
    assert!(
        notices
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("không có tiêu đề")),
        "the refused article was not written"
    );

    // A file that broke the build: its errors over the editor, then gone.
    let banner = report["banner"].as_str().unwrap_or_default();
    assert!(
        banner.contains("content/thong-bao/hong.md:4") && banner.contains("category"),
        "{banner}"
    );
    assert_eq!(report["bannerGone"], true);
    // A file published with a new warning: told over the editor, closed by the clerk.
    let warnings = report["warnings"].as_str().unwrap_or_default();
    assert!(
        warnings.contains("Đã lưu, nhưng cần xem lại")
            && warnings.contains("content/thong-bao/the.md:5:1: warning: the tag `…`"),
        "{warnings}"
    );
    // Written again unchanged, the file rebuilds with nothing new: the notice stays.
    assert_eq!(report["warningsKept"], true);
    // The editor opened again after that rebuild is told too; closed, the
    // notice stays closed on a reload.
    assert_eq!(
        report["warningsAfterReload"], report["warnings"],
        "{report}"
    );
    assert_eq!(report["warningsClosed"], true);
    assert_eq!(report["closedStaysClosed"], true, "{report}");
    // The clerk's next save takes a notice away, for good.
    let second = report["secondWarnings"].as_str().unwrap_or_default();
    assert!(
        second.contains("content/thong-bao/the-khac.md:5:1: warning: the tag `—`"),
        "{second}"
    );
    assert_eq!(report["hiddenBySave"], true, "{report}");
    assert_eq!(report["hiddenAfterSaveAndReload"], true, "{report}");

    // A title typed decomposed, with the Icelandic Ð for Đ: the file is named
    // as the title reads, and the title is saved as the letters it means.
    assert_eq!(
        report["decomposedTitle"], "dang-uy-phuong-tong-ket-nam",
        "{report}"
    );
    let typed = std::fs::read_to_string(
        site.root()
            .join("content/thong-bao/dang-uy-phuong-tong-ket-nam.md"),
    )
    .unwrap();
    assert!(
        typed.contains("title: ĐẢNG ỦY phường tổng kết năm\n"),
        "{typed}"
    );

    // This week's schedule, as the contract writes it; the end time the
    // clerk cleared is not written as "".
    let week = std::fs::read_to_string(
        site.root()
            .join(format!("content/lich-cong-tac/{THIS_WEEK}.yaml")),
    )
    .expect("this week's file");
    assert!(!week.contains("end:"), "{week}");
    for part in [
        "items:\n  - start: 2026-11-23 07:30\n",
        "    who:\n      - Chủ tịch UBND phường\n      - Phó Chủ tịch UBND phường\n",
        "    what: Họp giao ban đầu tuần\n",
        "    where: Phòng họp số 1\n",
    ] {
        assert!(week.contains(part), "{part:?} in:\n{week}");
    }

    // The document and its attachment.
    let document = in_a_year(&site, "van-ban", "25-2024-qd-ubnd.md");
    let text = std::fs::read_to_string(&document).unwrap();
    for line in [
        "number: 25/2024/QĐ-UBND\n",
        "type: Quyết định\n",
        "issuer: Ủy ban nhân dân phường An Khánh\n",
        "title: Ban hành Quy chế tiếp công dân\n",
        "issued: 2024-03-12\n",
        "effective: 2024-03-22\n",
        "signer: Nguyễn Văn A, Chủ tịch\n",
        "files:\n  - /van-ban/tep/quyet-dinh-25-du-2.pdf\n",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    assert!(
        !text.contains("expires"),
        "the cleared date is left out:\n{text}"
    );
    // An article saved elsewhere after the clerk opened it: her save is
    // refused, saying why, and the other one is kept.
    let conflict = report["conflictMessage"].as_str().unwrap_or_default();
    assert!(
        conflict.contains("content/dan-van/2013/hoi-nghi.md was changed after you opened it"),
        "{conflict}"
    );
    assert_eq!(report["conflictKept"], true);
    let meeting =
        std::fs::read_to_string(site.root().join("content/dan-van/2013/hoi-nghi.md")).unwrap();
    assert!(
        meeting.contains("Đã bổ sung danh sách đại biểu.") && !meeting.contains("999"),
        "{meeting}"
    );
    // Another picture with the first article's picture's name, sent with a
    // new article (Decap asks nothing): refused, the first one kept.
    let same = report["sameNameMessage"].as_str().unwrap_or_default();
    assert!(
        same.contains(&format!(
            "content/images/{year}/anh-cau.png already exists and is another file (shown by content/dan-van/{year}/duong-luong-dinh-cua.md)"
        )),
        "{same}"
    );
    assert_eq!(
        std::fs::read(
            site.root()
                .join(format!("content/images/{year}/anh-cau.png"))
        )
        .unwrap(),
        png()
    );
    let attachment = site
        .root()
        .join("content/van-ban/tep/quyet-dinh-25-du-2.pdf");
    let bytes = std::fs::metadata(&attachment)
        .expect("the attachment, its name folded")
        .len();
    assert_eq!(bytes, std::fs::metadata(&pdf).unwrap().len());
    drop(server);

    // What the clerk saved builds and checks with no warning at all, with the
    // real binary (the editor's script copied for this test is not content).
    std::fs::remove_dir_all(&scripts).unwrap();
    for command in ["build", "check"] {
        let out = bantin()
            .env("SOURCE_DATE_EPOCH", TODAY)
            .arg(command)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap();
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(out.status.success(), "bantin {command} failed:\n{said}");
        assert!(
            !said.contains("warning:") && !said.contains("error:"),
            "bantin {command} warned about what the editor saved:\n{said}"
        );
    }
    let article = site.page("/dan-van/duong-luong-dinh-cua/");
    assert!(
        article.contains("<h1>Đường Lương Định Của</h1>"),
        "{article}"
    );
    assert!(article.contains("datetime=\"2026-11-25T09:45:00+07:00\""));
    assert!(
        site.page("/thong-bao/dang-uy-phuong-tong-ket-nam/")
            .contains("<h1>ĐẢNG ỦY phường tổng kết năm</h1>")
    );
    let document = site.page("/van-ban/25-2024-qd-ubnd/");
    let attachments = &document[document.find("id=\"tep-dinh-kem\"").expect(&document)..];
    let link = &attachments[..attachments.find("</li>").unwrap()];
    assert!(
        link.contains("href=\"/van-ban/tep/quyet-dinh-25-du-2.pdf\"") && link.contains("KB"),
        "the attachment's link with its size: {link}"
    );
    let register: Value = serde_json::from_str(
        &std::fs::read_to_string(site.public().join("van-ban/index.json")).unwrap(),
    )
    .unwrap();
    let saved = &register["documents"][0];
    assert_eq!(saved["number"], "25/2024/QĐ-UBND");
    assert_eq!(saved["effective"], "2024-03-22");
    assert_eq!(saved["attachments"][0]["bytes"], bytes);
    let week = site.page("/lich-cong-tac/2026/tuan-48/");
    let listed = &week[week.find("id=\"lich-tuan\"").expect(&week)..];
    assert!(
        listed.contains("datetime=\"2026-11-23T07:30") && listed.contains("Họp giao ban đầu tuần"),
        "{listed}"
    );
}

#[test]
fn the_published_editor_loads_the_pinned_script_with_its_integrity() {
    let dist = decap_dist();
    let site = TestSite::good();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}cms:\n  backend: github\n  repo: ubnd/phuong-mau\n"),
    );
    site.build_ok();
    let page = std::fs::read_to_string(site.public().join("admin/index.html")).unwrap();
    let version: Value = serde_json::from_slice(
        &std::fs::read(dist.parent().unwrap().join("package.json")).unwrap(),
    )
    .unwrap();
    let version = version["version"].as_str().unwrap();
    assert!(
        page.contains(&format!(
            "https://unpkg.com/decap-cms@{version}/dist/decap-cms.js"
        )),
        "the page loads the version the tests run: {page}"
    );
    // The hash of the npm copy's bytes, as a browser computes it.
    let hash = Command::new("node")
        .arg("-e")
        .arg("const c=require('crypto');process.stdout.write('sha384-'+c.createHash('sha384').update(require('fs').readFileSync(process.argv[1])).digest('base64'))")
        .arg(dist.join("decap-cms.js"))
        .output()
        .unwrap();
    let hash = String::from_utf8(hash.stdout).unwrap();
    assert!(
        page.contains(&format!("integrity=\"{hash}\" crossorigin=\"anonymous\"")),
        "integrity {hash} in {page}"
    );
}

/// The editor's page, with the site's own copy of Decap's script (no
/// internet in tests).
fn with_local_decap(site: &TestSite) {
    let dist = decap_dist();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}cms:\n  backend: github\n  repo: ubnd/phuong-mau\n  script: /decap/decap-cms.js\n"),
    );
    let scripts = site.root().join("content/decap");
    std::fs::create_dir_all(&scripts).unwrap();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with("decap-cms.js") || name.ends_with(".wasm") {
            std::fs::copy(&path, scripts.join(&name)).unwrap();
        }
    }
}

/// The order that raced: the notice of a save's rebuild reaches the editor
/// after the clerk saved again. It is not shown over her new save; the
/// notices of the new save's builds are, even one that arrives before the
/// save's answer.
#[test]
fn a_late_notice_of_an_earlier_save_is_not_shown_after_the_next_save() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = TestSite::good();
    with_local_decap(&site);
    let server = Server::start(&site.root());
    let result = Command::new("node")
        .arg(manifest.join("tests/browser/late_notice.mjs"))
        .arg(server.origin())
        .output()
        .expect("node runs the notice check");
    assert!(
        result.status.success(),
        "notice check failed:\n{}\nthe server said:\n{}",
        String::from_utf8_lossy(&result.stderr),
        server.output()
    );
    let report: Value = serde_json::from_slice(&result.stdout).expect("the check prints JSON");
    println!("{report:#}");
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    let text = |key: &str| report[key].as_str().unwrap_or_default().to_string();
    assert!(text("before").contains("before any save"), "{report}");
    assert_eq!(report["hiddenBySave"], true, "{report}");
    // The server numbered the save; the late notice stays hidden.
    assert_eq!(report["firstSave"], "1", "{report}");
    assert_eq!(report["afterLateNotice"], Value::Null, "{report}");
    assert!(text("ofThisSave").contains("of this save"), "{report}");
    assert_eq!(report["beforeAnswer"], Value::Null, "{report}");
    assert_eq!(report["secondSave"], "2", "{report}");
    assert!(
        text("ofTheNextSave").contains("of the next save"),
        "{report}"
    );
}
