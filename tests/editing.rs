//! Editing in the browser under `bantin serve`: the editor's configuration at
//! `/admin/config.yml`, Decap CMS's local backend protocol at `POST /api/v1`
//! (what the editor does when a clerk saves), and every way a hostile request
//! is refused without a file written or deleted. The real binary, over TCP.

mod common;
mod serve_common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine as _;
use common::*;
use serde_json::{Value, json};
use serve_common::Server;

/// A small PNG's first bytes: the signature is what the API looks at.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// An answer of the API: status and body.
struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// `POST /api/v1` with `body`, as the editor's page at the server's own
/// address sends it, with `headers` replacing or adding to those.
fn post_with(addr: SocketAddr, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let own_host = addr.to_string();
    let own_origin = format!("http://{addr}");
    let mut all: Vec<(&str, &str)> = vec![
        ("Host", own_host.as_str()),
        ("Origin", own_origin.as_str()),
        ("Content-Type", "application/json"),
    ];
    for (name, value) in headers {
        all.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        all.push((name, value));
    }
    let length = body.len().to_string();
    if !all
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        all.push(("Content-Length", &length));
    }
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = "POST /api/v1 HTTP/1.1\r\nConnection: close\r\n".to_string();
    for (name, value) in &all {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer and close before the whole body is sent.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    Reply { status, body }
}

fn post(addr: SocketAddr, request: &Value) -> Reply {
    post_with(addr, &[], request.to_string().as_bytes())
}

fn persist(path: &str, raw: &str, assets: Value) -> Value {
    json!({
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{ "slug": "x", "path": path, "raw": raw }],
            "assets": assets,
            "options": { "commitMessage": "Thêm tin", "useWorkflow": false, "status": "" },
        },
    })
}

fn media(path: &str, bytes: &[u8]) -> Value {
    json!({
        "path": path,
        "content": base64::engine::general_purpose::STANDARD.encode(bytes),
        "encoding": "base64",
    })
}

const NEW_ARTICLE: &str = "---\ntitle: Đường Lương Định Của\ndate: 2026-11-23 09:45\ncategory: Dân vận\nviews: 0\nimage: /images/2026/duong.png\n---\n\nCông trình mở rộng đường Lương Định Của.\n\n![Đường](/images/2026/duong.png)\n";

/// [`NEW_ARTICLE`] saved at `rel` through the editor, with its picture.
fn save_new_article(server: &Server, rel: &str) -> Reply {
    post(
        server.addr,
        &persist(
            rel,
            NEW_ARTICLE,
            json!([media("content/images/2026/duong.png", PNG)]),
        ),
    )
}

#[test]
fn an_article_saved_by_the_editor_is_written_whole_and_published() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let rel = "content/dan-van/2026/duong-luong-dinh-cua.md";
    let reply = save_new_article(&server, rel);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["message"], "entry persisted");
    assert_eq!(
        std::fs::read_to_string(site.root().join(rel)).unwrap(),
        NEW_ARTICLE
    );
    assert_eq!(
        std::fs::read(site.root().join("content/images/2026/duong.png")).unwrap(),
        PNG
    );
    let page = server.wait_for_page("/dan-van/duong-luong-dinh-cua/", |p| {
        p.contains("<h1>Đường Lương Định Của</h1>")
    });
    assert!(page.contains("/images/2026/duong.png"));
    let temporary: Vec<String> = tree(&site.root().join("content"))
        .into_keys()
        .filter(|rel| rel.contains("/.") || rel.starts_with('.'))
        .collect();
    assert!(temporary.is_empty(), "temporary files left: {temporary:?}");

    // What the editor reads back: the folder's entries, one entry, the media.
    let listed = post(
        server.addr,
        &json!({ "action": "entriesByFolder",
                 "params": { "branch": "main", "folder": "content/dan-van", "extension": "md", "depth": 2 } }),
    )
    .json();
    let paths: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "content/dan-van/2013/hoi-nghi.md",
            "content/dan-van/2014/tong-ket.md",
            "content/dan-van/2026/duong-luong-dinh-cua.md"
        ]
    );
    let entry = post(
        server.addr,
        &json!({ "action": "getEntry", "params": { "branch": "main", "path": rel } }),
    )
    .json();
    assert_eq!(entry["data"], NEW_ARTICLE);
    let id = entry["file"]["id"].as_str().unwrap();
    assert!(
        !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    let files = post(
        server.addr,
        &json!({ "action": "entriesByFiles",
                 "params": { "branch": "main", "files": [{ "path": rel }, { "path": "content/none.md" }] } }),
    )
    .json();
    assert_eq!(files[0]["data"], NEW_ARTICLE);
    assert_eq!(files[1]["data"], Value::Null);
    let images = post(
        server.addr,
        &json!({ "action": "getMedia", "params": { "branch": "main", "mediaFolder": "content/images/2026" } }),
    )
    .json();
    assert_eq!(images[0]["name"], "duong.png");
    assert_eq!(
        images[0]["content"],
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    let info = post(server.addr, &json!({ "action": "info" })).json();
    assert_eq!(info["type"], "local_fs");
    let preview = post(
        server.addr,
        &json!({ "action": "getDeployPreview", "params": { "branch": "main" } }),
    );
    assert_eq!((preview.status, preview.body.as_str()), (200, "null"));
    let unknown = post(server.addr, &json!({ "action": "unpublishedEntries" }));
    assert_eq!(unknown.status, 422);

    // Deleting the entry takes its page away.
    let deleted = post(
        server.addr,
        &json!({ "action": "deleteFiles",
                 "params": { "branch": "main", "paths": [rel], "options": { "commitMessage": "Xóa" } } }),
    );
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert!(!site.root().join(rel).exists());
    server.wait_until("the deleted article's page is gone", || {
        server.get("/dan-van/duong-luong-dinh-cua/").status == 404
    });
}

#[test]
fn a_saved_file_that_breaks_the_site_shows_its_errors_and_writes_nothing_else() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let rel = "content/dan-van/2026/sai.md";
    let broken =
        "---\ntitle: Tin sai\ndate: 2026-11-23 09:45\ncatgory: Dân vận\n---\n\nNội dung.\n";
    assert_eq!(
        post(server.addr, &persist(rel, broken, json!([]))).status,
        200
    );
    let status = server.wait_for_status(false);
    let errors = status["errors"].as_str().unwrap();
    assert!(
        errors.contains("content/dan-van/2026/sai.md:4") && errors.contains("category"),
        "{errors}"
    );
}

#[test]
fn the_configuration_has_each_category_folder_with_the_contract_fields() {
    let site = TestSite::good();
    site.write(
        "content/lich-cong-tac/2025-W27.yaml",
        "items:\n  - start: 2025-06-30 07:30\n    who: [\"Chủ tịch UBND phường\"]\n    what: \"Họp giao ban\"\n",
    );
    let server = Server::start(&site.root());
    let answer = server.get("/admin/config.yml");
    assert_eq!(answer.status, 200);
    let config: Value = serde_saphyr::from_str(&answer.text()).expect("config.yml is YAML");
    let api = format!("http://{}/api/v1", server.addr);
    assert_eq!(config["local_backend"]["url"], api.as_str());
    assert_eq!(config["backend"]["proxy_url"], api.as_str());
    assert_eq!(config["locale"], "vi");
    let collections = config["collections"].as_array().unwrap();
    let folder = |name: &str| {
        collections
            .iter()
            .find(|c| c["folder"] == format!("content/{name}").as_str())
            .unwrap_or_else(|| panic!("no collection for content/{name}"))
    };
    for (name, category, by_year) in [
        ("dan-van", "Dân vận", true),
        ("thong-bao", "Thông báo", false),
        ("van-hoa", "Văn hóa - Thể thao", false),
    ] {
        let collection = folder(name);
        let fields = collection["fields"].as_array().unwrap();
        let category_field = fields.iter().find(|f| f["name"] == "category").unwrap();
        assert_eq!(category_field["widget"], "hidden");
        assert_eq!(category_field["default"], category);
        assert_eq!(collection["path"] == "{{year}}/{{slug}}", by_year, "{name}");
    }
    let documents = folder("van-ban");
    assert_eq!(documents["identifier_field"], "number");
    let schedule = collections
        .iter()
        .find(|c| c["name"] == "lich-cong-tac")
        .unwrap();
    assert!(
        schedule["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "content/lich-cong-tac/2025-W27.yaml"),
        "a week with a file is offered"
    );
    let page = server.get("/admin/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("rel=\"cms-config-url\""));
    assert!(html.contains("\"events\":\"/admin/events\""));
    assert_eq!(server.get("/admin").status, 308);
}

/// Every file and link under the test's temporary folder, with its bytes (a
/// link: where it leads), links not followed.
fn world(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(
        dir: &std::path::Path,
        rel: &str,
        out: &mut std::collections::BTreeMap<String, Vec<u8>>,
    ) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{rel}{}", entry.file_name().to_string_lossy());
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let to = std::fs::read_link(entry.path()).unwrap();
                out.insert(name, to.to_string_lossy().as_bytes().to_vec());
            } else if kind.is_dir() {
                out.insert(format!("{name}/"), Vec::new());
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.insert(name, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(site.dir.path(), "", &mut out);
    out
}

#[test]
fn paths_leading_out_of_content_are_refused_and_nothing_is_written() {
    let site = TestSite::good();
    site.write("secret.txt", "bí mật");
    std::os::unix::fs::symlink(site.dir.path(), site.root().join("content/ra-ngoai")).unwrap();
    std::os::unix::fs::symlink(
        site.dir.path().join("secret.txt"),
        site.root().join("content/bi-mat.md"),
    )
    .unwrap();
    let server = Server::start(&site.root());
    let before = world(&site);
    let article = "---\ntitle: x\ndate: 2026-01-01\ncategory: Dân vận\n---\n";
    let hostile = [
        "content/../site.yaml",
        "content/../../escaped.md",
        "content/%2e%2e/site.yaml",
        "content/%2E%2E/%2E%2E/escaped.md",
        "content/dan-van/..%2f..%2fsite.yaml",
        "/etc/escaped.md",
        "/tmp/escaped.md",
        "site.yaml",
        "templates/article.html",
        "content/ra-ngoai/escaped.md",
        "content/ra-ngoai/site/site.yaml",
        "content/bi-mat.md",
        "content/dan-van/a\u{0}.md",
        "content/dan-van/CON.md",
        "content/.git/config.md",
        "content/dan-van/tin?.md",
        "content/dan-van/tin\u{202e}dm.exe.md",
    ];
    for path in hostile {
        let reply = post(server.addr, &persist(path, article, json!([])));
        assert_eq!(reply.status, 403, "{path:?}: {}", reply.body);
        let read = post(
            server.addr,
            &json!({ "action": "getEntry", "params": { "branch": "main", "path": path } }),
        );
        assert!(
            read.status == 403 || read.json()["data"].is_null(),
            "{path:?} read: {}",
            read.body
        );
        let media = post(
            server.addr,
            &json!({ "action": "persistMedia",
                     "params": { "branch": "main", "asset": media(path, PNG),
                                 "options": { "commitMessage": "x" } } }),
        );
        assert_eq!(media.status, 403, "{path:?} media: {}", media.body);
        let deleted = post(
            server.addr,
            &json!({ "action": "deleteFile",
                     "params": { "branch": "main", "path": path, "options": { "commitMessage": "x" } } }),
        );
        assert_eq!(deleted.status, 403, "{path:?} delete: {}", deleted.body);
    }
    // A hostile path among good ones: none of them is written or deleted.
    let mixed = json!({
        "action": "deleteFiles",
        "params": { "branch": "main", "paths": ["content/dan-van/2013/hoi-nghi.md", "content/../site.yaml"],
                    "options": { "commitMessage": "x" } },
    });
    assert_eq!(post(server.addr, &mixed).status, 403);
    let mixed = persist(
        "content/dan-van/2026/tot.md",
        article,
        json!([media("content/../escaped.png", PNG)]),
    );
    assert_eq!(post(server.addr, &mixed).status, 403);
    let listing = post(
        server.addr,
        &json!({ "action": "entriesByFolder",
                 "params": { "branch": "main", "folder": "content/ra-ngoai", "extension": "md", "depth": 3 } }),
    );
    assert!(
        listing.status == 403 || listing.json() == json!([]),
        "{}",
        listing.body
    );
    let secret = post(
        server.addr,
        &json!({ "action": "getMediaFile", "params": { "branch": "main", "path": "content/bi-mat.md" } }),
    );
    assert_eq!(secret.status, 403);
    assert!(
        !secret
            .body
            .contains(&base64::engine::general_purpose::STANDARD.encode("bí mật"))
    );
    assert_eq!(world(&site), before, "nothing was written or deleted");
}

#[test]
fn requests_from_another_site_or_host_are_refused() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let before = world(&site);
    let request = persist(
        "content/dan-van/2026/gia-mao.md",
        "---\ntitle: Tin giả\ndate: 2026-01-01\ncategory: Dân vận\n---\n",
        json!([]),
    )
    .to_string();
    let port = server.addr.port();
    let rebinding_host = format!("attacker.example:{port}");
    let rebinding_origin = format!("http://attacker.example:{port}");
    let other_port = format!("http://{}:{}", server.addr.ip(), port + 1);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        // A page of another site open in the same browser.
        vec![("Origin", "https://attacker.example")],
        vec![("Origin", "null")],
        vec![("Origin", other_port.as_str())],
        vec![("Sec-Fetch-Site", "cross-site")],
        // DNS rebinding: the attacker's name, resolved to 127.0.0.1.
        vec![
            ("Host", rebinding_host.as_str()),
            ("Origin", rebinding_origin.as_str()),
        ],
        vec![("Host", rebinding_host.as_str())],
        // A form can post text/plain across sites without asking first.
        vec![("Content-Type", "text/plain")],
    ];
    for headers in &cases {
        let reply = post_with(server.addr, headers, request.as_bytes());
        assert!(
            reply.status == 403 || reply.status == 415,
            "{headers:?}: {} {}",
            reply.status,
            reply.body
        );
    }
    let config = serve_common::request(server.addr, "GET", "/admin/config.yml");
    assert_eq!(config.status, 200);
    assert_eq!(world(&site), before, "nothing was written");
    // The same request from the editor's own page is taken.
    let reply = post_with(server.addr, &[], request.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        site.root()
            .join("content/dan-van/2026/gia-mao.md")
            .is_file()
    );
}

/// `GET /admin/` with the headers a browser sends: status and head (lower case).
fn open_editor(addr: SocketAddr, headers: &[(&str, &str)]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!("GET /admin/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    stream.write_all(format!("{head}\r\n").as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_ascii_lowercase();
    let head = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, head)
}

#[test]
fn a_link_on_another_site_opens_the_editor_but_no_frame_shows_it() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    // The ward's intranet links to the editor: the clerk clicks the link.
    let clicked = [
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Mode", "navigate"),
        ("Sec-Fetch-Dest", "document"),
    ];
    let (status, head) = open_editor(server.addr, &clicked);
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("content-security-policy: frame-ancestors 'none'"),
        "{head}"
    );
    assert!(head.contains("x-frame-options: deny"), "{head}");
    // Typed in the address bar.
    let typed = [("Sec-Fetch-Site", "none"), ("Sec-Fetch-Dest", "document")];
    assert_eq!(open_editor(server.addr, &typed).0, 200);
    // Another site's page shows the editor in a frame, to lay itself over it.
    let framed = [
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Mode", "navigate"),
        ("Sec-Fetch-Dest", "iframe"),
    ];
    assert_eq!(open_editor(server.addr, &framed).0, 403);
    // A page of another site that fetches it.
    let fetched = [
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Mode", "cors"),
        ("Sec-Fetch-Dest", "empty"),
        ("Origin", "https://attacker.example"),
    ];
    assert_eq!(open_editor(server.addr, &fetched).0, 403);
}

#[test]
fn oversized_bodies_and_disallowed_media_are_refused() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let before = world(&site);
    // Larger than the limit, by what it says and by what it sends.
    let declared = post_with(server.addr, &[("Content-Length", "4000000000")], b"{}");
    assert_eq!(declared.status, 413, "{}", declared.body);
    // The clerk knows her file's size, not its size in base64.
    assert!(
        declared
            .body
            .contains("a file of more than about 35 MB cannot be uploaded in the editor"),
        "{}",
        declared.body
    );
    let huge = vec![b' '; 49 * 1024 * 1024];
    let mut chunked = Vec::new();
    chunked.extend_from_slice(format!("{:x}\r\n", huge.len()).as_bytes());
    chunked.extend_from_slice(&huge);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let sent = post_with(
        server.addr,
        &[("Transfer-Encoding", "chunked"), ("Content-Length", "")],
        &chunked,
    );
    assert!(sent.status == 413 || sent.status == 400, "{}", sent.status);
    for (path, bytes) in [
        (
            "content/images/2026/trang.html",
            b"<script>alert(1)</script>".as_slice(),
        ),
        ("content/images/2026/anh.svg", b"<svg onload=\"alert(1)\"/>"),
        ("content/images/2026/anh.png", b"<script>alert(1)</script>"),
        ("content/images/2026/chay.exe", b"MZ\x90\0"),
        ("content/van-ban/2026/qd.pdf", b"not a pdf"),
        (
            "content/van-ban/2026/tep.rar",
            b"<html><script>alert(1)</script>",
        ),
        ("content/van-ban/2026/tep.7z", b"<svg onload=\"alert(1)\"/>"),
        ("content/am-thanh/bai-hat.mp3", b"<script>alert(1)</script>"),
    ] {
        let reply = post(
            server.addr,
            &json!({ "action": "persistMedia",
                     "params": { "branch": "main", "asset": media(path, bytes), "options": { "commitMessage": "x" } } }),
        );
        assert_eq!(reply.status, 415, "{path}: {}", reply.body);
    }
    // An empty file (a download not finished): said so.
    let empty = post(
        server.addr,
        &json!({ "action": "persistMedia", "params": { "asset": media("content/van-ban/tep/qd.pdf", b"") } }),
    );
    assert_eq!(empty.status, 400, "{}", empty.body);
    assert!(
        empty
            .body
            .contains("content/van-ban/tep/qd.pdf: the file is empty (0 bytes)"),
        "{}",
        empty.body
    );
    // An entry must be Markdown or YAML.
    let script = persist("content/dan-van/x.html", "<script>", json!([]));
    assert_eq!(post(server.addr, &script).status, 403);
    assert_eq!(world(&site), before, "nothing was written");
}

#[test]
fn editing_stays_off_on_a_network_address_unless_asked_for() {
    let site = TestSite::good();
    let before = world(&site);
    let server = Server::start_with(&site.root(), &["--bind", "0.0.0.0"]);
    assert!(server.output().contains("editing in the browser is off"));
    let request = persist(
        "content/dan-van/2026/tu-xa.md",
        "---\ntitle: x\ndate: 2026-01-01\ncategory: Dân vận\n---\n",
        json!([]),
    )
    .to_string();
    let own = format!("127.0.0.1:{}", server.addr.port());
    let origin = format!("http://{own}");
    let local = [("Host", own.as_str()), ("Origin", origin.as_str())];
    let reply = post_with(server.addr, &local, request.as_bytes());
    assert_eq!(reply.status, 405, "{}", reply.body);
    assert_eq!(world(&site), before, "nothing was written");
    drop(server);

    let server = Server::start_with(&site.root(), &["--bind", "0.0.0.0", "--remote-editing"]);
    assert!(
        server
            .output()
            .contains("warning: editing in the browser is on"),
        "{}",
        server.output()
    );
    let own = format!("127.0.0.1:{}", server.addr.port());
    let origin = format!("http://{own}");
    let local = [("Host", own.as_str()), ("Origin", origin.as_str())];
    let reply = post_with(server.addr, &local, request.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn a_published_build_has_the_editor_only_with_cms() {
    let site = TestSite::good();
    let out = site.build_ok();
    assert!(
        !site.public().join("admin").exists(),
        "no /admin/ without cms:"
    );
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    // A week of the schedule from long ago: the published editor still offers it.
    site.write(
        "content/lich-cong-tac/2025-W27.yaml",
        "items:\n  - start: 2025-06-30 07:30\n    who: Chủ tịch UBND phường\n    what: Họp giao ban\n",
    );
    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}cms:\n  backend: gitlab\n  repo: ubnd-phuong-mau/cong-thong-tin\n  branch: xuat-ban\n  editorial_workflow: true\n  app_id: 1b2c3d\n  api_root: https://git.tinh.gov.vn/api/v4\n  auth_url: https://git.tinh.gov.vn\n"
        ),
    );
    let out = site.build_ok();
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.public().join("admin/index.html")).unwrap();
    assert!(page.contains("integrity=\"sha384-"), "{page}");
    assert!(page.contains("<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">"));
    let config: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(site.public().join("admin/config.yml")).unwrap(),
    )
    .unwrap();
    assert_eq!(config["backend"]["name"], "gitlab");
    assert_eq!(config["backend"]["repo"], "ubnd-phuong-mau/cong-thong-tin");
    assert_eq!(config["backend"]["branch"], "xuat-ban");
    assert_eq!(config["backend"]["app_id"], "1b2c3d");
    assert_eq!(
        config["backend"]["api_root"],
        "https://git.tinh.gov.vn/api/v4"
    );
    assert_eq!(config["backend"]["base_url"], "https://git.tinh.gov.vn");
    assert_eq!(config["backend"]["auth_type"], "pkce");
    assert_eq!(config["publish_mode"], "editorial_workflow");
    assert!(
        config.get("local_backend").is_none(),
        "the published editor saves to the host"
    );
    assert_eq!(config["site_url"], "https://phuongmau.example.gov.vn");
    let folders: Vec<&str> = config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["folder"].as_str())
        .collect();
    assert_eq!(
        folders,
        [
            "content/dan-van",
            "content/thong-bao",
            "content/van-hoa",
            "content/van-ban"
        ]
    );
    let weeks = config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "lich-cong-tac")
        .expect("the schedule's collection")["files"]
        .to_string();
    assert!(
        weeks.contains("\"content/lich-cong-tac/2025-W27.yaml\""),
        "{weeks}"
    );
    // Not a page readers land on: left out of the sitemap.
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/admin/"));

    // A site that gives its own copy of the script loads that one.
    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}cms:\n  backend: github\n  repo: ubnd/cong\n  script: /js/decap-cms.js\n"
        ),
    );
    site.build_ok();
    let page = std::fs::read_to_string(site.public().join("admin/index.html")).unwrap();
    assert!(
        page.contains("<script src=\"/js/decap-cms.js\"></script>"),
        "{page}"
    );
    assert!(!page.contains("unpkg.com"));

    // And without cms: again, the folder is gone from the published site.
    site.write("site.yaml", SITE_YAML);
    site.build_ok();
    assert!(!site.public().join("admin").exists());
}

#[test]
fn a_bad_cms_setting_is_an_error_at_its_line() {
    let site = TestSite::good();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}cms:\n  backend: svn\n  repo: ubnd/cong\n"),
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(
        said.contains("site.yaml:7") && said.contains("unknown `cms.backend` `svn`"),
        "{said}"
    );
    assert!(
        said.contains("backend: github"),
        "the hint names the choices: {said}"
    );
}

#[test]
fn the_editor_opens_while_the_site_is_broken_and_a_fix_saved_in_it_repairs_it() {
    let site = TestSite::good();
    let rel = "content/thong-bao/lich-tiep-cong-dan.md";
    site.write(
        rel,
        "---\ntitle: Lịch tiếp công dân\ndate: 2014-02-01\ncatgory: Thông báo\n---\n\nLịch.\n",
    );
    let server = Server::start(&site.root());
    server.wait_for_status(false);
    let page = server.get("/admin/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("\"stylesheet\":null"),
        "no stylesheet yet"
    );
    let config: Value = serde_saphyr::from_str(&server.get("/admin/config.yml").text()).unwrap();
    assert_eq!(config["locale"], "vi");
    let fixed =
        "---\ntitle: Lịch tiếp công dân\ndate: 2014-02-01\ncategory: Thông báo\n---\n\nLịch.\n";
    assert_eq!(
        post(server.addr, &persist(rel, fixed, json!([]))).status,
        200
    );
    server.wait_for_status(true);
    let config: Value = serde_saphyr::from_str(&server.get("/admin/config.yml").text()).unwrap();
    let folders = config["collections"].to_string();
    assert!(folders.contains("content/thong-bao"), "{folders}");
    assert!(!server.get("/admin/").text().contains("\"stylesheet\":null"));
}

/// The permission bits a file gets when a program of this process makes it.
fn made_mode() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let umask = status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
        .unwrap();
    0o666 & !umask
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn files_saved_by_the_editor_can_be_read_by_the_web_server() {
    // Saved 0600, an uploaded picture was copied into public/ as 0600: the
    // web server the site is published to could not read it (403).
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let rel = "content/dan-van/2026/duong-luong-dinh-cua.md";
    let reply = save_new_article(&server, rel);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let picture = site.root().join("content/images/2026/duong.png");
    assert_eq!(mode(&picture), made_mode());
    assert_eq!(mode(&site.root().join(rel)), made_mode());
    site.build_ok();
    assert_eq!(
        mode(&site.public().join("images/2026/duong.png")),
        made_mode()
    );

    // A file saved again keeps the permissions it had.
    use std::os::unix::fs::PermissionsExt;
    let saved_again = site.root().join("content/dan-van/2013/hoi-nghi.md");
    std::fs::set_permissions(&saved_again, std::fs::Permissions::from_mode(0o640)).unwrap();
    let reply = post(
        server.addr,
        &persist(
            "content/dan-van/2013/hoi-nghi.md",
            &article(
                "Hội nghị dân vận năm 2012",
                "2013-01-10 09:00",
                "Dân vận",
                "Sửa.\n",
            ),
            json!([]),
        ),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(mode(&saved_again), 0o640);
}

#[test]
fn an_entry_moved_onto_another_file_is_refused_and_nothing_is_lost() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let before = world(&site);
    let moved = json!({
        "action": "persistEntry",
        "params": {
            "dataFiles": [{
                "slug": "x",
                "path": "content/dan-van/2026/bai-moi.md",
                "newPath": "content/dan-van/2013/hoi-nghi.md",
                "raw": "---\ntitle: Bài mới\ndate: 2026-01-01\ncategory: Dân vận\n---\n",
            }],
            "assets": [],
            "options": { "commitMessage": "x" },
        },
    });
    let reply = post(server.addr, &moved);
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("content/dan-van/2013/hoi-nghi.md already exists"),
        "{}",
        reply.body
    );
    assert_eq!(world(&site), before, "nothing was written, moved or lost");
}

#[test]
fn a_file_in_an_old_encoding_is_not_saved_over_with_its_letters_lost() {
    let site = TestSite::good();
    // "Dân vận" in Windows-1258: the build refuses it, and the editor shows
    // its accented letters as U+FFFD.
    let old = b"---\ntitle: D\xe2n v\xe2\xf2n\ndate: 2013-05-01\ncategory: D\xe2n v\xe2\xf2n\n---\n\nB\xe0i c\xfe.\n";
    site.write_bytes("content/dan-van/cu.md", old);
    let server = Server::start(&site.root());
    let shown = post(
        server.addr,
        &json!({ "action": "getEntry", "params": { "path": "content/dan-van/cu.md" } }),
    );
    assert_eq!(shown.status, 200, "{}", shown.body);
    let data = shown.json()["data"].as_str().unwrap().to_string();
    assert!(data.contains('\u{FFFD}'), "{data}");

    // Saved as shown (a title changed, say): refused, the file as it was.
    let edited = data.replace("2013-05-01", "2013-05-02");
    let reply = post(
        server.addr,
        &persist("content/dan-van/cu.md", &edited, json!([])),
    );
    assert_eq!(reply.status, 409, "{}", reply.body);
    let error = reply.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("content/dan-van/cu.md is saved in an old encoding"),
        "{error}"
    );
    assert!(error.contains("save it as UTF-8"), "{error}");
    assert_eq!(
        std::fs::read(site.root().join("content/dan-van/cu.md")).unwrap(),
        old
    );

    // With its letters typed again, it saves, as UTF-8, and builds.
    let fixed = "---\ntitle: Dân vận\ndate: 2013-05-02\ncategory: Dân vận\n---\n\nBài cũ.\n";
    let reply = post(
        server.addr,
        &persist("content/dan-van/cu.md", fixed, json!([])),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/dan-van/cu.md")).unwrap(),
        fixed
    );
}

#[test]
fn an_article_saved_as_unicode_text_is_shown_with_its_letters_and_saved_as_utf8() {
    let site = TestSite::good();
    let text =
        "---\r\ntitle: Dân vận\r\ndate: 2013-05-01\r\ncategory: Dân vận\r\n---\r\n\r\nBài cũ.\r\n";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    site.write_bytes("content/dan-van/cu.md", &utf16);
    let server = Server::start(&site.root());
    let shown = post(
        server.addr,
        &json!({ "action": "getEntry", "params": { "path": "content/dan-van/cu.md" } }),
    );
    assert_eq!(shown.json()["data"].as_str(), Some(text), "{}", shown.body);
    let edited = text.replace("Bài cũ.", "Bài đã sửa.");
    let reply = post(
        server.addr,
        &persist("content/dan-van/cu.md", &edited, json!([])),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/dan-van/cu.md")).unwrap(),
        edited
    );
}

/// `persistMedia` of `bytes` at `rel`, as the editor's media library sends it.
fn upload(server: &Server, rel: &str, bytes: &[u8]) -> Reply {
    post(
        server.addr,
        &json!({ "action": "persistMedia", "params": { "branch": "main", "asset": media(rel, bytes) } }),
    )
}

#[test]
fn an_upload_named_like_a_file_in_another_unicode_form_or_capitals_is_refused() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    // A clerk on Windows uploads `ảnh.png` (precomposed); the site builds.
    let reply = upload(&server, "content/images/2026/ảnh.png", PNG);
    assert_eq!(reply.status, 200, "{}", reply.body);
    server.wait_for_status(true);
    let before = world(&site);

    // A clerk on a Mac uploads another picture she also named `ảnh.png`:
    // decomposed, it would be a second file at the same address, and the
    // next build would fail. Refused, saying why and what to do.
    let mac = format!("content/images/2026/{}", nfd("ảnh.png"));
    let reply = upload(&server, &mac, b"\x89PNG\r\n\x1a\nanother picture");
    assert_eq!(reply.status, 409, "{}", reply.body);
    let error = reply.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("content/images/2026/ already holds `ảnh.png`")
            && error.contains(
                "another Unicode form: this one decomposed (NFD), that one precomposed (NFC)"
            )
            && error.contains("nothing was saved")
            && error.contains("another name (for example `anh-2.png`)"),
        "{error}"
    );
    // The same picture under the same name in capitals: one file on Windows.
    let reply = upload(&server, "content/images/2026/ẢNH.PNG", PNG);
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert!(reply.body.contains("other capitals"), "{}", reply.body);
    // With an article, through the entry's assets: refused alike, the
    // article not written either.
    let article = "---\ntitle: Ảnh\ndate: 2026-11-23 09:45\ncategory: Dân vận\n---\n\nẢnh.\n";
    let reply = post(
        server.addr,
        &persist(
            "content/dan-van/2026/anh.md",
            article,
            json!([media(&mac, PNG)]),
        ),
    );
    assert_eq!(reply.status, 409, "{}", reply.body);
    // Into a folder named in the other form: that is the same folder, and
    // the file goes into it, never into a second folder of the same name.
    site.write_bytes("content/ảnh-đẹp/a.png", PNG);
    let reply = upload(&server, &format!("content/{}/b.png", nfd("ảnh-đẹp")), PNG);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        std::fs::read(site.root().join("content/ảnh-đẹp/b.png")).unwrap(),
        PNG
    );
    site.remove("content/ảnh-đẹp/b.png");
    site.remove("content/ảnh-đẹp/a.png");
    std::fs::remove_dir(site.root().join("content/ảnh-đẹp")).unwrap();
    assert_eq!(world(&site), before, "nothing was written");
    let status = server.get("/__bantin/status").json();
    assert_eq!(status["ok"], true, "{status}");

    // Saved over the very same name (Decap asked the clerk first), it is.
    let reply = upload(
        &server,
        "content/images/2026/ảnh.png",
        b"\x89PNG\r\n\x1a\nnew",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn a_save_over_an_article_changed_since_it_was_opened_is_refused_and_nothing_is_lost() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let rel = "content/dan-van/2013/hoi-nghi.md";
    let opened = post(
        server.addr,
        &json!({ "action": "getEntry", "params": { "path": rel } }),
    )
    .json();
    let opened_id = opened["file"]["id"].as_str().unwrap().to_string();
    let text = opened["data"].as_str().unwrap().to_string();
    let save = |raw: &str, id: &str| {
        let mut request = persist(rel, raw, json!([]));
        request["params"]["dataFiles"][0]["openedId"] = json!(id);
        post(server.addr, &request)
    };

    // Another window saves the article first (a colleague, a text editor).
    let theirs = format!("{text}\nĐã bổ sung danh sách đại biểu.\n");
    site.write(rel, &theirs);
    // This clerk then saves the version she opened: refused, theirs kept.
    let reply = save(&text.replace("Hội nghị", "Hội nghị (sửa)"), &opened_id);
    assert_eq!(reply.status, 409, "{}", reply.body);
    let error = reply.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("content/dan-van/2013/hoi-nghi.md was changed after you opened it")
            && error.contains("reload the page"),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join(rel)).unwrap(),
        theirs
    );

    // Opened again, it saves; the answer gives the new version, with which
    // the next save goes through too.
    let now = post(
        server.addr,
        &json!({ "action": "getEntry", "params": { "path": rel } }),
    )
    .json();
    let mine = theirs.replace("Hội nghị", "Hội nghị (sửa)");
    let reply = save(&mine, now["file"]["id"].as_str().unwrap());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let version = reply.json()["versions"][rel].as_str().unwrap().to_string();
    let again = format!("{mine}\nThêm một dòng.\n");
    let reply = save(&again, &version);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(site.root().join(rel)).unwrap(),
        again
    );
    // Decap's own requests carry no version: saved as ever.
    let reply = post(server.addr, &persist(rel, &mine, json!([])));
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn an_entry_whose_picture_cannot_be_written_is_not_written_either() {
    let site = TestSite::good();
    // `content/images/2026` is a file: the picture's folder cannot be made.
    site.write("content/images/2026", "not a folder");
    let server = Server::start(&site.root());
    let rel = "content/dan-van/2026/duong-luong-dinh-cua.md";
    let reply = save_new_article(&server, rel);
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert!(
        reply.body.contains("content/images/2026/duong.png"),
        "{}",
        reply.body
    );
    assert!(
        !site.root().join(rel).exists(),
        "the article was saved without its picture"
    );
}

#[test]
fn a_picture_saved_with_a_new_article_never_replaces_a_colleagues_of_the_same_name() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    // Clerk A's article and its picture `duong.png`.
    let reply = save_new_article(&server, "content/dan-van/2026/duong-luong-dinh-cua.md");
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Clerk B's new article comes with another picture she also named
    // `duong.png` (Decap sends it without asking): refused, nothing written.
    let other = b"\x89PNG\r\n\x1a\nclerk B's picture";
    let article = "---\ntitle: Đường mới\ndate: 2026-11-24 08:00\ncategory: Dân vận\nimage: /images/2026/duong.png\n---\n\nĐường mới.\n";
    let rel = "content/dan-van/2026/duong-moi.md";
    let reply = post(
        server.addr,
        &persist(
            rel,
            article,
            json!([media("content/images/2026/duong.png", other)]),
        ),
    );
    assert_eq!(reply.status, 409, "{}", reply.body);
    let error = reply.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains(
            "content/images/2026/duong.png already exists and is another file (shown by content/dan-van/2026/duong-luong-dinh-cua.md)"
        ) && error.contains("another name (for example `duong-2.png`)"),
        "{error}"
    );
    assert_eq!(
        std::fs::read(site.root().join("content/images/2026/duong.png")).unwrap(),
        PNG,
        "clerk A's picture is hers"
    );
    assert!(!site.root().join(rel).exists());
    // The same picture sent again (the same bytes) is no change: saved.
    let reply = save_new_article(&server, "content/dan-van/2026/duong-2.md");
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn a_category_folder_named_on_a_mac_is_listed_and_saved_into_by_the_editor() {
    let site = TestSite::good();
    // A category's folder copied from a Mac: its name decomposed (NFD) on disk.
    let folder = nfd("Thi đua khen thưởng");
    site.write(
        &format!("content/{folder}/2026/khen-thuong.md"),
        &article(
            "Khen thưởng tập thể",
            "2026-11-20 08:00",
            "Thi đua khen thưởng",
            "Nội dung.",
        ),
    );
    let server = Server::start(&site.root());
    // The editor names the folder as the site knows it, precomposed.
    let config = server.get("/admin/config.yml").text();
    assert!(
        config.contains("folder: \"content/Thi đua khen thưởng\""),
        "{config}"
    );
    let listed = post(
        server.addr,
        &json!({ "action": "entriesByFolder",
                 "params": { "branch": "main", "folder": "content/Thi đua khen thưởng", "extension": "md", "depth": 2 } }),
    )
    .json();
    let paths: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["content/Thi đua khen thưởng/2026/khen-thuong.md"],
        "the category's article is listed under the folder's name in the editor"
    );
    assert!(
        listed[0]["data"]
            .as_str()
            .is_some_and(|d| d.contains("Khen thưởng tập thể")),
        "{listed}"
    );
    let entry = post(
        server.addr,
        &json!({ "action": "getEntry", "params": { "branch": "main", "path": paths[0] } }),
    )
    .json();
    assert!(
        entry["data"]
            .as_str()
            .is_some_and(|d| d.contains("Khen thưởng tập thể")),
        "{entry}"
    );

    // A new article of the category is saved beside the others, not refused
    // as a folder of the same name, nor put in a second one.
    let raw = article(
        "Biểu dương gia đình văn hóa",
        "2026-11-23 09:45",
        "Thi đua khen thưởng",
        "Mười hộ được biểu dương.",
    );
    let reply = post(
        server.addr,
        &persist(
            "content/Thi đua khen thưởng/2026/bieu-duong.md",
            &raw,
            json!([]),
        ),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        std::fs::read_to_string(
            site.root()
                .join(format!("content/{folder}/2026/bieu-duong.md"))
        )
        .unwrap(),
        raw
    );
    let folders: Vec<String> = std::fs::read_dir(site.root().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("Thi"))
        .collect();
    assert_eq!(folders, [folder], "one folder of the category");
    server.wait_for_page("/thi-dua-khen-thuong/bieu-duong/", |p| {
        p.contains("Biểu dương gia đình văn hóa")
    });
    let status = server.get("/__bantin/status").json();
    assert_eq!(status["ok"], true, "{status}");
}

/// A scan named in another script or with signs only (`公文.pdf`, `—.pdf`)
/// reaches the server from Decap as `.pdf`: the clerk is told to rename it,
/// not that hidden files are not the editor's; the document is not written.
#[test]
fn an_upload_whose_name_decap_emptied_is_refused_with_what_to_do() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    server.wait_for_status(true);
    let before = world(&site);
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    let document = "---\nnumber: \"30/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"UBND phường\"\nissued: 2024-04-01\ntitle: \"Về việc tiếp công dân\"\nfiles: [\"/van-ban/tep/.pdf\"]\n---\n";
    for reply in [
        upload(&server, "content/van-ban/tep/.pdf", pdf),
        post(
            server.addr,
            &persist(
                "content/van-ban/2024/30-2024-qd-ubnd.md",
                document,
                json!([media("content/van-ban/tep/.pdf", pdf)]),
            ),
        ),
    ] {
        assert_eq!(reply.status, 400, "{}", reply.body);
        let error = reply.json()["error"].as_str().unwrap().to_string();
        assert!(
            error.starts_with("content/van-ban/tep/.pdf: the file's name has no letter or digit")
                && error.contains("nothing was saved")
                && error.contains("Rename the file on your computer")
                && error.contains("`quyet-dinh-25.pdf`"),
            "{error}"
        );
    }
    assert_eq!(world(&site), before, "nothing was written");
}

/// A screenshot saved as PNG and named `.jpg`, and an iPhone's photo: the
/// clerk is told what the file is and what to do, and nothing is written.
#[test]
fn a_picture_under_another_types_name_or_an_iphone_photo_is_refused_saying_what_to_do() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    server.wait_for_status(true);
    let before = world(&site);
    let reply = upload(&server, "content/images/2026/anh-hop.jpg", PNG);
    assert_eq!(reply.status, 415, "{}", reply.body);
    let error = reply.json()["error"].as_str().unwrap().to_string();
    assert_eq!(
        error,
        "content/images/2026/anh-hop.jpg: the file is a PNG picture under a .jpg name: nothing was saved. Rename it `anh-hop.png` on your computer and pick it again"
    );
    // An iPhone's photo, under its own name or renamed `.jpg`.
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    for rel in [
        "content/images/2026/img-0042.heic",
        "content/images/2026/img-0042.jpg",
    ] {
        let reply = upload(&server, rel, heic);
        assert_eq!(reply.status, 415, "{}", reply.body);
        let error = reply.json()["error"].as_str().unwrap().to_string();
        assert!(
            error.starts_with(&format!("{rel}: the file is an iPhone photo (HEIC)"))
                && error.contains("Convert it to JPEG")
                && error.contains("Most Compatible"),
            "{error}"
        );
    }
    assert_eq!(world(&site), before, "nothing was written");
}

/// A document saved with an attachment of a name Windows refuses or that
/// disguises its type: refused naming the file, why, and what to do; the
/// document is not written without it.
#[test]
fn an_attachment_with_a_hostile_name_is_refused_saying_how_to_rename_it() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    server.wait_for_status(true);
    let before = world(&site);
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    for (rel, says) in [
        (
            "content/van-ban/tep/CON.pdf",
            "names Windows keeps for itself",
        ),
        (
            "content/van-ban/tep/qd:25.pdf",
            "which Windows refuses in a file's name",
        ),
        (
            "content/van-ban/tep/qd-25.pdf.",
            "cannot be opened on Windows",
        ),
        (
            "content/van-ban/tep/qd\u{202e}fdp.exe",
            "an invisible mark that reorders its letters",
        ),
        (
            "content/van-ban/tep/.qd-25.pdf",
            "a hidden file, which the site never publishes",
        ),
    ] {
        let document = format!(
            "---\nnumber: \"30/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"UBND phường\"\nissued: 2024-04-01\ntitle: \"Về việc tiếp công dân\"\nfiles: [\"{}\"]\n---\n",
            rel.trim_start_matches("content")
        );
        let reply = post(
            server.addr,
            &persist(
                "content/van-ban/2024/30-2024-qd-ubnd.md",
                &document,
                json!([media(rel, pdf)]),
            ),
        );
        assert_eq!(reply.status, 403, "{rel:?}: {}", reply.body);
        let error = reply.json()["error"].as_str().unwrap().to_string();
        // Named as it is, no mark left to reorder the message itself.
        let named = rel.replace('\u{202e}', "\\u{202e}");
        assert!(
            error.starts_with(&format!("{named}: "))
                && error.contains(says)
                && error.contains("rename it"),
            "{rel:?}: {error}"
        );
    }
    assert_eq!(world(&site), before, "nothing was written");
}
