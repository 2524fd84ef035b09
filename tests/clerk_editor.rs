//! What a clerk of a ward office meets writing with `bantin new` and in the
//! editor of `bantin serve`: titles typed with an old input method, and the
//! warnings of a save told to an editor opened after it. The real binary.

mod common;
mod serve_common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::*;
use serde_json::json;
use serve_common::{PATIENCE, Server};

#[test]
fn a_title_typed_with_the_icelandic_eth_for_d_keeps_its_d_in_the_address() {
    // Old input methods and text copied from old documents put `Ð` (U+00D0)
    // for `Đ`: the two look the same, and the clerk cannot tell.
    let site = TestSite::good();
    let out = bantin()
        .args(["new", "--root"])
        .arg(site.root())
        .args(["--category", "Thông báo", "ÐẢNG ỦY phường An Khánh họp"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim().to_string();
    assert!(
        path.ends_with("/dang-uy-phuong-an-khanh-hop.md"),
        "the file is named as the title reads: {path}"
    );
    // The title is written as it reads, with `Đ`.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title: \"ĐẢNG ỦY phường An Khánh họp\""),
        "{text}"
    );
    // Content published with `Ð` keeps its addresses: a tag typed so is
    // where the site published it.
    site.write(
        "content/thong-bao/dang-uy.md",
        &article_with(
            "Đảng ủy họp",
            "2014-02-02",
            "Thông báo",
            "tags: [\"Ðảng ủy\"]\n",
            "x\n",
        ),
    );
    site.build_ok();
    let tag = site.page("/tags/ang-uy/");
    assert!(tag.contains("Đảng ủy họp"), "{tag}");
}

/// The editor's event stream (`/admin/events`), read for `wait` after it
/// opens: the events it told, raw.
fn editor_events(addr: SocketAddr, wait: Duration) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    write!(
        stream,
        "GET /admin/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut seen = Vec::new();
    let started = Instant::now();
    while started.elapsed() < wait {
        let mut buf = [0; 4096];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// The editor's save of `raw` into `path` (`persistEntry`); the answer's status.
fn save(addr: SocketAddr, path: &str, raw: &str) -> u16 {
    let request = json!({
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{ "slug": "x", "path": path, "raw": raw }],
            "assets": [],
            "options": { "commitMessage": "Sửa tin", "useWorkflow": false, "status": "" },
        },
    });
    act(addr, &request)
}

#[test]
fn an_editor_opened_after_a_save_is_told_its_warnings_until_the_next_save() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";
    let good = std::fs::read_to_string(site.root().join(notice)).unwrap();
    let rebuilds = server.rebuilds();
    // The clerk saves an article with a tag of no letters: it publishes,
    // with a warning. Then she reloads the editor (or opens it in a tab).
    let tagged = good.replace("title:", "tags: [\"…\"]\ntitle:");
    assert_eq!(save(server.addr, notice, &tagged), 200);
    server.wait_until("the save rebuilt", || server.rebuilds() > rebuilds);
    let deadline = Instant::now() + PATIENCE;
    let told = loop {
        let told = editor_events(server.addr, Duration::from_millis(700));
        if told.contains("event: warned") || Instant::now() > deadline {
            break told;
        }
    };
    assert!(
        told.contains("event: ok")
            && told.contains("event: warned")
            && told.contains(
                "content/thong-bao/lich-tiep-cong-dan.md:2:1: warning: the tag `…` has no letters"
            ),
        "the editor opened after the save is told its warning:\n{told}"
    );
    // Known as the first save's, so that the editor's page can tell it from a
    // late notice of an earlier save.
    assert!(told.contains(r#"data: {"save":1,"text":"#), "{told}");

    // Her next save (the tag left as it is) brings nothing new: an editor
    // opened after it is not told the old save's warning again.
    let rebuilds = server.rebuilds();
    let resaved = tagged.replace("views: 10", "views: 11");
    assert_eq!(save(server.addr, notice, &resaved), 200);
    server.wait_until("the save rebuilt", || server.rebuilds() > rebuilds);
    let told = editor_events(server.addr, Duration::from_millis(1500));
    assert!(
        told.contains("event: ok") && !told.contains("event: warned"),
        "{told}"
    );
}

/// `POST /api/v1` of `request` as the editor's page sends it; the answer's status.
fn act(addr: SocketAddr, request: &serde_json::Value) -> u16 {
    let body = request.to_string();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1 HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

/// The clerk saves an article whose picture she has not uploaded yet: told.
/// She uploads it: an editor opened after that is not told the picture is
/// missing.
#[test]
fn a_warning_an_upload_answers_is_not_told_again() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";
    let good = std::fs::read_to_string(site.root().join(notice)).unwrap();
    let rebuilds = server.rebuilds();
    let pictured = format!("{good}\n![Lịch](/images/2026/lich.png)\n");
    assert_eq!(save(server.addr, notice, &pictured), 200);
    server.wait_until("the save rebuilt", || server.rebuilds() > rebuilds);
    let deadline = Instant::now() + PATIENCE;
    let told = loop {
        let told = editor_events(server.addr, Duration::from_millis(700));
        if told.contains("event: warned") {
            break told;
        }
        assert!(
            Instant::now() < deadline,
            "the save's warning is never told"
        );
    };
    assert!(told.contains("/images/2026/lich.png"), "{told}");

    let rebuilds = server.rebuilds();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let uploaded = json!({
        "action": "persistMedia",
        "params": { "branch": "main", "asset": {
            "path": "content/images/2026/lich.png",
            "content": base64::engine::general_purpose::STANDARD.encode(png),
            "encoding": "base64",
        } },
    });
    assert_eq!(act(server.addr, &uploaded), 200);
    server.wait_until("the upload rebuilt", || server.rebuilds() > rebuilds);
    let told = editor_events(server.addr, Duration::from_millis(1500));
    assert!(
        told.contains("event: ok") && !told.contains("event: warned"),
        "{told}"
    );
}
