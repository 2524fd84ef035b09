//! `bantin serve` under hostile requests, over real TCP to the real binary:
//! what a page of another site, a crafted address or a careless request can
//! make the preview do.

mod common;
mod serve_common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::*;
use serve_common::Server;

/// The status line and headers of `GET path`, sent with `Host: host`.
fn get_as(addr: SocketAddr, host: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[test]
fn a_folder_asked_for_with_a_doubled_slash_is_redirected_on_this_host() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let host = server.addr.to_string();
    // `Location: //dan-van/` would send the browser to the host `dan-van`.
    for (asked, to) in [
        ("//dan-van", "/dan-van/"),
        ("//dan-van?trang=2", "/dan-van/?trang=2"),
        ("///dan-van//tong-ket", "/dan-van/tong-ket/"),
        ("/dan-van", "/dan-van/"),
    ] {
        let (status, head, _) = get_as(server.addr, &host, asked);
        assert_eq!(status, 308, "{asked}: {head}");
        assert!(
            head.contains(&format!("\r\nlocation: {to}\r\n")),
            "{asked} should redirect to {to}: {head}"
        );
    }
}

#[test]
fn another_sites_name_resolved_here_cannot_read_the_preview_or_its_drafts() {
    // DNS rebinding: a page at attacker.example, whose name is made to resolve
    // to 127.0.0.1, reads the preview as its own site.
    let site = TestSite::good();
    let server = Server::start_with(&site.root(), &["--drafts"]);
    let port = server.addr.port();
    let draft = "/van-hoa-the-thao/nhap/";
    for host in [
        format!("attacker.example:{port}"),
        format!("127.0.0.1.attacker.example:{port}"),
        "attacker.example".to_string(),
    ] {
        for path in [
            "/",
            draft,
            "/__bantin/status",
            "/__bantin/events",
            "/admin/",
        ] {
            let (status, head, body) = get_as(server.addr, &host, path);
            assert_eq!(status, 403, "{host} {path}: {head}");
            assert!(!body.contains("Bản nháp"), "{host} {path}: {body}");
        }
    }
    // The computer's own names still see everything.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("tin.localhost:{port}"),
    ] {
        let (status, head, body) = get_as(server.addr, &host, draft);
        assert_eq!(status, 200, "{host}: {head}");
        assert!(body.contains("Bản nháp chưa đăng"), "{host}");
    }
}

#[test]
fn on_a_network_address_the_preview_answers_to_any_name() {
    // Other machines reach it by the names their network gives it.
    let site = TestSite::good();
    let server = Server::start_with(&site.root(), &["--bind", "0.0.0.0"]);
    let port = server.addr.port();
    let to = SocketAddr::from(([127, 0, 0, 1], port));
    let (status, _, body) = get_as(to, &format!("may-chu-phuong.lan:{port}"), "/");
    assert_eq!(status, 200);
    assert!(body.contains("Hội xuân chợ hoa"));
}

#[test]
fn a_file_name_with_terminal_escapes_is_printed_escaped() {
    // A file copied in from elsewhere, named with what a terminal obeys
    // (clear the screen), breaks the site: the error names it, escaped.
    let site = TestSite::good();
    let server = Server::start(&site.root());
    site.write(
        "content/dan-van/bai-\u{1b}[2J.md",
        "không có front matter\n",
    );
    let status = server.wait_for_status(false);
    let errors = status["errors"].as_str().unwrap().to_string();
    assert!(
        errors.contains("content/dan-van/bai-\\u{1b}[2J.md:1:1: error:"),
        "{errors}"
    );
    server.wait_until("the terminal shows the error", || {
        server.output().contains("bai-\\u{1b}[2J.md")
    });
    assert!(!server.output().contains('\u{1b}'), "{}", server.output());
}
