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

/// The status, head (lower case) and body as text of `GET path`, sent with
/// `Host: host`.
fn get_as(addr: SocketAddr, host: &str, path: &str) -> (u16, String, String) {
    let (status, head, body) = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n"));
    (status, head, String::from_utf8_lossy(&body).into_owned())
}

/// Sends `head` (request line and headers, each ending with CRLF) and reads the
/// answer: status, head in lower case, body bytes (the server sends
/// `Content-Length` for these, so no chunked framing).
fn send(addr: SocketAddr, head: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "{head}Connection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    (status, head, body)
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

#[test]
fn a_large_file_is_streamed_not_held_whole_and_served_in_ranges() {
    // A film of a meeting in content/: the server held each request's copy
    // whole in memory (four requests, four copies), and a browser could not
    // seek in it.
    const SIZE: usize = 32 * 1024 * 1024;
    let film: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    let site = TestSite::good().with_bytes("content/video/hop-giao-ban.mp4", &film);
    let server = Server::start(&site.root());
    let host = format!("Host: {}\r\n", server.addr);
    let path = "/video/hop-giao-ban.mp4";

    let before = server.peak_memory();
    let (status, head, body) = send(server.addr, &format!("GET {path} HTTP/1.1\r\n{host}"));
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    assert!(body == film, "the whole file, byte for byte");
    let grown = server.peak_memory().saturating_sub(before);
    assert!(
        grown < SIZE as u64 / 2,
        "the server took {} MB more to send a {} MB file",
        grown >> 20,
        SIZE >> 20
    );

    // A video player seeking: a range, the end, past the end.
    let part = |range: &str| {
        send(
            server.addr,
            &format!("GET {path} HTTP/1.1\r\n{host}Range: {range}\r\n"),
        )
    };
    let (status, head, body) = part("bytes=1000-1999");
    assert_eq!(status, 206, "{head}");
    assert!(
        head.contains(&format!("content-range: bytes 1000-1999/{SIZE}")),
        "{head}"
    );
    assert_eq!(body, &film[1000..2000]);
    let (status, _, body) = part("bytes=-10");
    assert_eq!(status, 206);
    assert_eq!(body, &film[SIZE - 10..]);
    let (status, head, body) = part(&format!("bytes={SIZE}-"));
    assert_eq!(status, 416, "{head}");
    assert!(
        head.contains(&format!("content-range: bytes */{SIZE}")),
        "{head}"
    );
    assert!(body.is_empty());
    // Several ranges at once are answered with the whole file, as HTTP allows.
    let (status, _, body) = part("bytes=0-1,5-9");
    assert_eq!(status, 200);
    assert_eq!(body.len(), SIZE);
}

#[test]
fn a_file_whose_name_is_not_utf8_breaks_the_preview_as_it_breaks_the_build() {
    // Copied from an old Windows archive: `bài.md` in Windows-1258 bytes.
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let name = std::ffi::OsStr::from_bytes(b"b\xe0i.md");
    let path = site.root().join("content/dan-van").join(name);
    std::fs::write(&path, article("Bài", "2014-01-01", "Dân vận", "x\n")).unwrap();
    let status = server.wait_for_status(false);
    assert!(
        status["errors"].as_str().unwrap().contains("UTF-8"),
        "{status}"
    );
    let build = site.build(&[]);
    assert!(!build.status.success(), "the build refuses it too");
    // Renamed: the preview is good again.
    std::fs::rename(&path, site.root().join("content/dan-van/bai.md")).unwrap();
    server.wait_for_status(true);
    server.wait_for_page("/dan-van/bai/", |page| page.contains("<h1>Bài</h1>"));
}

#[test]
fn svg_and_pages_copied_into_content_run_no_script_at_the_editors_address() {
    // A logo saved from the web and an old portal's page, copied into
    // content/: opened in the preview, their scripts would run at the
    // editor's own address and could write content/ through its API. The
    // build refuses a script in them (tests/scripted_files.rs); what passes
    // its check is still sent sandboxed, a second wall should one be missed.
    let markup = "<p>Trang cũ</p><style>p{color:red}</style>";
    let site = TestSite::good();
    site.write(
        "content/images/logo.svg",
        &format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{markup}</svg>"),
    );
    site.write(
        "content/trang-cu/index.html",
        &format!("<html><body>Trang cũ{markup}</body></html>"),
    );
    site.write(
        "content/trang-cu/tin.xhtml",
        &format!("<html xmlns=\"http://www.w3.org/1999/xhtml\">{markup}</html>"),
    );
    let server = Server::start(&site.root());
    let host = server.addr.to_string();
    for copied in [
        "/images/logo.svg",
        "/trang-cu/",
        "/trang-cu/index.html",
        "/trang-cu/tin.xhtml",
    ] {
        let (status, head, _) = get_as(server.addr, &host, copied);
        assert_eq!(status, 200, "{copied}: {head}");
        assert!(
            head.contains("\r\ncontent-security-policy: sandbox\r\n"),
            "{copied}: {head}"
        );
    }
    // The pages the build made keep their scripts (live reload, search), and
    // pictures are pictures.
    for made in ["/", "/dan-van/", "/search/", "/images/hoi-nghi.jpg"] {
        let (status, head, _) = get_as(server.addr, &host, made);
        assert_eq!(status, 200, "{made}: {head}");
        assert!(!head.contains("content-security-policy"), "{made}: {head}");
    }
}

#[test]
fn an_svg_in_content_whose_script_would_write_an_article_is_refused_not_served() {
    // The attack itself: the script of a picture saves a betting article
    // through the editing API, from the editor's own address.
    let site = TestSite::good();
    site.write(
        "content/images/logo.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg"><script>
fetch('/api/v1', {method: 'POST', headers: {'Content-Type': 'application/json'},
  body: JSON.stringify({action: 'persistEntry', params: {dataFiles: [{path: 'content/dan-van/nha-cai.md',
  raw: '---\ntitle: "Nhà cái"\ndate: 2026-01-01\ncategory: "Dân vận"\n---\n\n[okvip](https://okvip.example/)\n'}]}})})
  .then(r => r.text()).then(t => document.documentElement.setAttribute('data-answer', t));
</script></svg>"#,
    );
    let server = Server::start(&site.root());
    // The preview refuses the picture, as the build does, naming it.
    let status = server.wait_for_status(false);
    let errors = status["errors"].as_str().unwrap();
    assert!(
        errors.contains("content/images/logo.svg:1:41: error: a <script> element"),
        "{status}"
    );
    // Not copied into the preview, so no browser can open it there (in
    // Chromium it wrote the article: tests/scripted_files.rs shows such
    // files run wherever a host serves them).
    assert_eq!(server.get("/images/logo.svg").status, 404);
    assert!(
        !site.root().join("content/dan-van/nha-cai.md").exists(),
        "the picture wrote an article"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_not_served_and_nothing_is_made_in_it() {
    // `bantin serve` started in the wrong folder (the home folder, Downloads).
    let dir = tempfile::tempdir().unwrap();
    let out = bantin()
        .arg("serve")
        .arg("--root")
        .arg(dir.path())
        .args(["--port", "0"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("site.yaml: error: cannot read"), "{err}");
    assert!(err.contains("hint: is "), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing is made in the folder"
    );
}

#[test]
fn a_file_named_in_decomposed_unicode_is_served_at_its_precomposed_address_and_kept_sandboxed() {
    let encoded = |text: &str| {
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    // From a Mac: a picture in a folder, and a logo.
    let site = TestSite::good()
        .with_bytes(
            &format!("content/{}/{}", nfd("ảnh-cũ"), nfd("chợ-hoa.jpg")),
            b"\xFF\xD8 cho hoa",
        )
        .with_bytes(
            &format!("content/images/{}", nfd("biểu-tượng.svg")),
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"5\"/></svg>",
        );
    let server = Server::start(&site.root());
    let host = server.addr.to_string();
    let picture = format!("/{}/{}", encoded("ảnh-cũ"), encoded("chợ-hoa.jpg"));
    let answer = server.get(&picture);
    assert_eq!(answer.status, 200, "{picture}");
    assert_eq!(answer.body, b"\xFF\xD8 cho hoa");
    // An SVG copied from content/ is sent sandboxed (its scripts would run at
    // the editor's address), whatever the form of its name there.
    let logo = format!("/images/{}", encoded("biểu-tượng.svg"));
    let (status, head, _) = get_as(server.addr, &host, &logo);
    assert_eq!(status, 200, "{logo}: {head}");
    assert!(
        head.contains("\r\ncontent-security-policy: sandbox\r\n"),
        "{logo}: {head}"
    );
    // Renamed to its precomposed name, with new bytes: the same address.
    let content = site.root().join("content");
    std::fs::remove_dir_all(content.join(nfd("ảnh-cũ"))).unwrap();
    site.write_bytes("content/ảnh-cũ/chợ-hoa.jpg", b"\xFF\xD8 cho hoa moi");
    server.wait_until("the renamed picture is served", || {
        server.get(&picture).body == b"\xFF\xD8 cho hoa moi"
    });
}
