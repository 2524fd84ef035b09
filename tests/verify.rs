//! `bantin verify` against a real static server on a real TCP port, serving the
//! build untouched or a tampered copy of it (a changed page, a removed image, a
//! page with a betting link injected out of sight).

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use common::*;

/// Serves the files of `root` as a static host does (`/a/` is `/a/index.html`,
/// anything else 404) on a free port of this machine; returns its address.
fn static_server(root: PathBuf) -> String {
    cloaking_server(root.clone(), root)
}

/// [`static_server`] of `root`, but of `to_crawlers` to a request whose
/// User-Agent says Googlebot: a hacked host's cloaking.
fn cloaking_server(root: PathBuf, to_crawlers: PathBuf) -> String {
    host(root, to_crawlers, false).0
}

/// What a host answered: (asked as Googlebot, status, body bytes sent).
type Answers = std::sync::Arc<std::sync::Mutex<Vec<(bool, u16, usize)>>>;

/// [`cloaking_server`], tagging each file with an `ETag` and answering 304
/// to a request whose `If-None-Match` names the file it would send, as nginx
/// and Apache do, when `etags`; with every answer it gives.
fn host(root: PathBuf, to_crawlers: PathBuf, etags: bool) -> (String, Answers) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let answers = Answers::default();
    let log = answers.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (root, to_crawlers, log) = (root.clone(), to_crawlers.clone(), log.clone());
            std::thread::spawn(move || answer(&root, &to_crawlers, etags, &log, stream));
        }
    });
    (format!("http://{addr}"), answers)
}

fn answer(root: &Path, to_crawlers: &Path, etags: bool, log: &Answers, mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut root = root;
    let mut crawler = false;
    let mut if_none_match = None;
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("user-agent:") && lower.contains("googlebot") {
            root = to_crawlers;
            crawler = true;
        }
        if let Some(tag) = lower.strip_prefix("if-none-match:") {
            if_none_match = Some(tag.trim().to_string());
        }
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_encoding::percent_decode_str(target)
        .decode_utf8_lossy()
        .into_owned();
    let mut file = root.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    let (mut status, mut body) = match (path.contains(".."), fs::read(&file)) {
        (false, Ok(bytes)) => ("200 OK", bytes),
        _ => ("404 Not Found", b"<h1>404</h1>".to_vec()),
    };
    // `index.html.headers` beside `index.html`: lines the host adds to its head.
    let mut extra = fs::read_to_string(format!("{}.headers", file.display())).unwrap_or_default();
    if !extra.is_empty() && !extra.ends_with('\n') {
        extra.push('\n');
    }
    if etags && status == "200 OK" {
        // A tag of the file's bytes (nginx's is of its time and size).
        let tag = format!("\"{:x}-{:x}\"", fnv(&body), body.len());
        if if_none_match.as_deref() == Some(tag.as_str()) {
            (status, body) = ("304 Not Modified", Vec::new());
        }
        extra.push_str(&format!("ETag: {tag}\n"));
    }
    let extra = extra.replace('\n', "\r\n");
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let code = status[..3].parse().unwrap_or(0);
    log.lock().unwrap().push((crawler, code, body.len()));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// A hash of `bytes` for an `ETag` (FNV-1a).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let path = to.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// The built site as a host holds it: a copy of its output, for a test to
/// tamper with.
fn hosted_copy(site: &TestSite) -> tempfile::TempDir {
    let host = tempfile::tempdir().unwrap();
    copy_tree(&site.public(), host.path());
    host
}

/// The page (relative path of its `index.html`) of the article titled `title`,
/// wherever its slug puts it.
fn article_page(public: &Path, title: &str) -> String {
    let h1 = format!("<h1>{title}</h1>");
    tree(public)
        .into_iter()
        .find(|(rel, bytes)| {
            rel.ends_with("index.html") && String::from_utf8_lossy(bytes).contains(&h1)
        })
        .map(|(rel, _)| rel)
        .unwrap_or_else(|| panic!("no page has {h1}"))
}

/// Each line of `report` begins as the same line of `expected` does, and
/// there are as many.
fn assert_lines_begin(report: &str, expected: &[String]) {
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{report}");
    for (line, expected) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line}\nexpected {expected}"
        );
    }
}

fn verify(public: &Path, base: &str) -> std::process::Output {
    bantin()
        .arg("verify")
        .arg("--site")
        .arg(public)
        .arg(base)
        .output()
        .unwrap()
}

#[test]
fn untampered_site_verifies() {
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "", "nothing to report");
    let files = tree(&site.public()).len() - 1; // the build's mark is not published
    assert!(
        stderr(&out).contains(&format!("verify passed: the {files} files at {base}")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn tampered_site_reports_each_changed_missing_and_foreign_link() {
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let article = article_page(live.path(), "Tổng kết công tác dân vận năm 2013");
    let page = fs::read_to_string(live.path().join(&article)).unwrap();
    // Injected as on hacked portals: out of sight, to a betting host.
    let injected = page.replacen(
        "</main>",
        "<div style=\"display:none\"><a href=\"https://okvip-nha-cai.example/\">nhà cái uy tín</a></div></main>",
        1,
    );
    assert_ne!(page, injected, "the article has a <main>");
    fs::write(live.path().join(&article), injected).unwrap();
    // A notice whose words were changed, linking nowhere new.
    let notice = article_page(live.path(), "Thông báo lịch tiếp công dân tháng 02/2014");
    let text = fs::read_to_string(live.path().join(&notice)).unwrap();
    fs::write(
        live.path().join(&notice),
        text.replace("Lịch tiếp công dân.", "Lịch tiếp công dân đã hủy."),
    )
    .unwrap();
    fs::remove_file(live.path().join("images/hoi-nghi.jpg")).unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let url = |page: &str| format!("{base}/{}", page.trim_end_matches("index.html"));
    let (article, notice) = (url(&article), url(&notice));
    let expected = [
        format!("{article}: differs from the build from line "),
        format!(
            "{article}: links to okvip-nha-cai.example, a host the build never links to (https://okvip-nha-cai.example/)"
        ),
        format!("{base}/images/hoi-nghi.jpg: missing (HTTP 404)"),
        format!("{notice}: differs from the build from line "),
    ];
    assert_lines_begin(&report, &expected);
    assert!(
        stderr(&out).contains("2 differ, 1 missing, 1 link(s) to new hosts"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_hacked_page_cannot_send_escape_sequences_to_the_terminal() {
    // Links injected into a page, whose addresses carry what a terminal obeys:
    // erase the line and move up (hiding the finding), reorder the line.
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let page = live.path().join(article_page(
        &site.public(),
        "Hội xuân chợ hoa tết Giáp Ngọ",
    ));
    let html = fs::read_to_string(&page).unwrap().replace(
        "</body>",
        "<a href=\"https://okvip\u{1b}[2K\u{1b}[1A.example/\">x</a>\
         <meta http-equiv=\"refresh\" content=\"0;url=https://jun88\u{202e}.example/\"></body>",
    );
    fs::write(&page, html).unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    for obeyed in ['\u{1b}', '\u{202e}'] {
        assert!(!text.contains(obeyed), "{obeyed:?} printed raw:\n{text}");
    }
    assert!(
        stdout(&out).contains("links to okvip\\u{1b}[2k\\u{1b}[1a.example, a host"),
        "{text}"
    );
    assert!(stdout(&out).contains("jun88\\u{202e}.example"), "{text}");
}

#[test]
fn a_folder_linked_into_itself_is_checked_once() {
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let files = tree(&site.public()).len() - 1; // the build's mark is not published
    let base = static_server(live.path().to_path_buf());
    // Two links back to the folder they are in: 2^40 paths, verify never ended.
    std::os::unix::fs::symlink(".", site.public().join("ban-sao")).unwrap();
    std::os::unix::fs::symlink(".", site.public().join("images/ban-sao")).unwrap();
    let out = bantin()
        .arg("verify")
        .arg("--site")
        .arg(site.public())
        .arg(&base)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains(&format!("verify passed: the {files} files at {base}")),
        "{}",
        stderr(&out)
    );
}

/// A host that gives the home page `home`, then holds every other
/// connection open and never answers (a host that hangs, a tarpit); its
/// address.
fn host_that_stops_answering(home: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            if request_line.starts_with("GET / ") {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    home.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&home);
            } else {
                held.push(stream);
            }
        }
    });
    format!("http://{addr}")
}

/// A built site of many pages, for a host to stop answering part way.
fn site_of_many_pages() -> TestSite {
    let site = TestSite::good();
    for n in 0..40 {
        site.write(
            &format!("content/thong-bao/tb-{n}.md"),
            &article(
                &format!("Thông báo số {n}"),
                "2014-02-01",
                "Thông báo",
                "x\n",
            ),
        );
    }
    site.build_ok();
    site
}

fn verify_quickly(public: &Path, base: &str, format: &str) -> std::process::Output {
    bantin()
        .arg("verify")
        .arg("--site")
        .arg(public)
        .args(["--timeout", "1", "--jobs", "8", "--format", format])
        .arg(base)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

#[test]
fn a_host_that_stops_answering_is_not_asked_for_every_file() {
    // The home page comes, then every connection is held open and never
    // answered: twice the timeout a file, hours for a portal. Verify stops
    // after some files in a row.
    let site = site_of_many_pages();
    let home = fs::read(site.public().join("index.html")).unwrap();
    let base = host_that_stops_answering(home);
    // The build's own mark (`.bantin…`) is not published.
    let files = tree(&site.public()).len() - 1;
    let out = verify_quickly(&site.public(), &base, "text");
    // 2: the site could not be checked, which is not a site found changed
    // (1): an audit going through many wards' sites asks again later.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let asked = stdout(&out).lines().count();
    assert!(
        asked < 16 + 8 + 1,
        "{asked} files asked for of a host that answers none:\n{}",
        stdout(&out)
    );
    assert!(
        err.contains(&format!(
            "verify could not check the site: {} of {files} files checked at {base}: {asked} not fetched, {} not checked: the host stopped answering",
            asked + 1,
            files - asked - 1
        )),
        "{err}"
    );
    assert!(
        err.contains("the files the host gave are the build's: run it again when it answers"),
        "{err}"
    );
}

/// [`static_server`] of `root`, but one that closes the connection without
/// a word when asked for a path ending in `dropped`, every time.
fn host_dropping(root: PathBuf, dropped: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Answers::default();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut peek = [0u8; 1024];
            let n = stream.peek(&mut peek).unwrap_or(0);
            let request = String::from_utf8_lossy(&peek[..n]).into_owned();
            let target = request.split_whitespace().nth(1).unwrap_or("/");
            if target.ends_with(dropped) {
                continue; // dropped: closed unanswered
            }
            let (root, log) = (root.clone(), log.clone());
            std::thread::spawn(move || answer(&root, &root, false, &log, stream));
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_file_the_host_never_gives_is_not_a_site_found_changed() {
    // One picture the host never gives (a connection closed unanswered,
    // twice): that file could not be checked (2), which is not a site found
    // changed (1). A changed page beside it is found, whatever is left.
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let base = host_dropping(live.path().to_path_buf(), "hoi-nghi.jpg");
    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = stdout(&out);
    assert_eq!(report.lines().count(), 1, "{report}");
    assert!(
        report.starts_with(&format!("{base}/images/hoi-nghi.jpg: cannot fetch (")),
        "{report}"
    );
    assert!(
        stderr(&out).starts_with("verify could not check the site: ")
            && stderr(&out).contains(": 1 not fetched;"),
        "{}",
        stderr(&out)
    );

    let article = article_page(live.path(), "Tổng kết công tác dân vận năm 2013");
    let page = fs::read_to_string(live.path().join(&article)).unwrap();
    fs::write(live.path().join(&article), page.replace("</h1>", "</h1>!")).unwrap();
    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("verify failed: ") && stderr(&out).contains("1 differ, "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_host_that_stops_answering_after_a_planted_link_fails_the_site() {
    // The home page the host gives carries a betting link; then it stops
    // answering. What was found is found: 1, the site is at fault, whatever
    // was left unchecked.
    let site = site_of_many_pages();
    let home = fs::read_to_string(site.public().join("index.html")).unwrap();
    let planted = home.replacen(
        "</main>",
        "<div style=\"display:none\"><a href=\"https://jun88.example/\">nhà cái</a></div></main>",
        1,
    );
    assert_ne!(home, planted, "the home page has a <main>");
    let base = host_that_stops_answering(planted.into_bytes());
    let out = verify_quickly(&site.public(), &base, "json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        findings
            .iter()
            .any(|f| f["kind"] == "betting-link" && f["host"] == "jun88.example"),
        "{findings:#?}"
    );
    let err = stderr(&out);
    assert!(err.starts_with("verify failed: "), "{err}");
    assert!(
        err.contains("1 link(s) to new hosts")
            && err.contains("not checked: the host stopped answering"),
        "{err}"
    );
}

#[test]
fn host_that_does_not_answer_is_one_clear_error() {
    let site = TestSite::good();
    site.build_ok();
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = verify(&site.public(), &format!("http://127.0.0.1:{port}"));
    // 2: nothing was compared (1 says the site was found changed).
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("error: cannot reach http://127.0.0.1:{port}/: ")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one error, not one a file:\n{err}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn verify_without_a_build_or_with_a_bad_address_says_what_to_do() {
    let site = TestSite::good();
    let out = verify(&site.public(), "http://127.0.0.1:9");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds no built site"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint: run `bantin build` first"));

    site.build_ok();
    let out = verify(&site.public(), "phuongmau.gov.vn");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`phuongmau.gov.vn` is not a site address"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_script_planted_in_a_published_picture_or_xml_file_is_named() {
    let site = TestSite::good();
    let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"9\" height=\"9\"/></svg>";
    site.write("content/images/logo.svg", logo);
    site.build_ok();
    let live = hosted_copy(&site);
    // The logo gains a handler, the sitemap a script of XHTML's; the colour of
    // the rectangle changes, which runs nothing.
    fs::write(
        live.path().join("images/logo.svg"),
        logo.replace("<rect", "<rect\nonmouseover=\"fetch('/admin/')\""),
    )
    .unwrap();
    let sitemap = fs::read_to_string(live.path().join("sitemap.xml")).unwrap();
    let planted = sitemap.replacen(
        "</urlset>",
        "<script xmlns=\"http://www.w3.org/1999/xhtml\">x</script></urlset>",
        1,
    );
    assert_ne!(sitemap, planted);
    fs::write(live.path().join("sitemap.xml"), planted).unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    for expected in [
        format!(
            "{base}/images/logo.svg: holds what a browser runs at the site's address: an event handler (`onmouseover`) at line 1"
        ),
        format!(
            "{base}/sitemap.xml: holds what a browser runs at the site's address: a <script> element at line "
        ),
    ] {
        assert!(report.contains(&expected), "no `{expected}` in:\n{report}");
    }
    assert!(
        stderr(&out).contains("2 differ, 2 holding scripts"),
        "{}",
        stderr(&out)
    );

    // A change that runs nothing is only a difference.
    fs::write(live.path().join("sitemap.xml"), sitemap).unwrap();
    fs::write(
        live.path().join("images/logo.svg"),
        logo.replace("height=\"9\"", "height=\"9\" fill=\"red\""),
    )
    .unwrap();
    let out = verify(&site.public(), &base);
    let report = stdout(&out);
    assert!(!report.contains("holds what"), "{report}");
    assert!(report.contains("images/logo.svg: differs"), "{report}");
}

#[test]
fn links_shown_to_search_engines_alone_are_found() {
    // The portal's staff and verify's own requests get the build's pages;
    // Googlebot gets one with betting links, which is all the hack is for.
    let site = TestSite::good();
    site.build_ok();
    let readers = hosted_copy(&site);
    let crawlers = hosted_copy(&site);
    let article = article_page(crawlers.path(), "Tổng kết công tác dân vận năm 2013");
    let page = fs::read_to_string(crawlers.path().join(&article)).unwrap();
    let cloaked = page.replacen(
        "</main>",
        "<div style=\"position:absolute;left:-9999px\"><a href=\"https://nha-cai-so-1.example/\">nhà cái</a></div></main>",
        1,
    );
    assert_ne!(page, cloaked);
    fs::write(crawlers.path().join(&article), cloaked).unwrap();
    let base = cloaking_server(readers.path().to_path_buf(), crawlers.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let url = format!("{base}/{}", article.trim_end_matches("index.html"));
    let report = stdout(&out);
    let expected = [
        format!(
            "{url}: the host shows search engines (asked as Googlebot) another page than readers: other bytes from line "
        ),
        format!(
            "{url}: links to nha-cai-so-1.example, a host the build never links to (https://nha-cai-so-1.example/)"
        ),
    ];
    assert_lines_begin(&report, &expected);
    assert!(
        stderr(&out).contains("1 link(s) to new hosts, 1 shown otherwise to search engines"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_host_refusing_a_googlebot_from_elsewhere_is_not_reported_as_cloaking() {
    // A firewall answers a Googlebot that is not at Google's addresses with
    // an error, not a page: nothing was shown to compare, nothing to report.
    let site = TestSite::good();
    site.build_ok();
    let readers = hosted_copy(&site);
    let nothing = tempfile::tempdir().unwrap();
    let base = cloaking_server(readers.path().to_path_buf(), nothing.path().to_path_buf());
    let out = verify(&site.public(), &base);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn links_planted_in_feeds_and_sitemaps_are_named_as_their_hosts_are() {
    // The build links to the ministry's site; the hacked feed and sitemap link
    // to a look-alike of it (a Cyrillic `о`) and to a betting host written
    // with percent-escapes and capitals, inside the HTML an entry carries.
    let site = TestSite::good();
    site.write(
        "content/dan-van/2013/bo.md",
        &article(
            "Văn bản của Bộ",
            "2013-06-01",
            "Dân vận",
            "Xem [trang của Bộ](https://moj.example/van-ban).\n",
        ),
    );
    site.build_ok();
    let live = hosted_copy(&site);
    let feed = fs::read_to_string(live.path().join("feed.xml")).unwrap();
    let planted = feed.replacen(
        "</entry>",
        "<link rel=\"related\" href=\"https://m\u{43e}j.example/\"/>\
         <summary type=\"html\">&lt;a href=&quot;https://%4EHA-CAI.example./&quot;&gt;x&lt;/a&gt;</summary></entry>",
        1,
    );
    assert_ne!(feed, planted, "the feed has an entry");
    fs::write(live.path().join("feed.xml"), planted).unwrap();
    let sitemap = fs::read_to_string(live.path().join("sitemap.xml")).unwrap();
    fs::write(
        live.path().join("sitemap.xml"),
        sitemap.replacen(
            "</urlset>",
            "<url><loc>https://Nha-Cai.example/trang</loc></url></urlset>",
            1,
        ),
    )
    .unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    for expected in [
        format!(
            "{base}/feed.xml: links to xn--mj-fmc.example (m\u{43e}j.example), a host the build never links to (https://m\u{43e}j.example/)"
        ),
        format!(
            "{base}/feed.xml: links to nha-cai.example, a host the build never links to (https://%4EHA-CAI.example./)"
        ),
        format!(
            "{base}/sitemap.xml: links to nha-cai.example, a host the build never links to (https://Nha-Cai.example/trang)"
        ),
    ] {
        assert!(report.contains(&expected), "no `{expected}` in:\n{report}");
    }
    assert!(!report.contains("links to moj.example"), "{report}");
}

#[test]
fn a_link_planted_in_a_published_pdf_is_named() {
    let site = TestSite::good();
    // The plan as published links to the ministry, which no page does.
    site.write_bytes(
        "content/tep/ke-hoach.pdf",
        &pdf_linking_to(&demo_pdf(), &["https://moj.example/van-ban"]),
    );
    site.write(
        "content/dan-van/2013/ke-hoach.md",
        &article(
            "Kế hoạch",
            "2013-06-01",
            "Dân vận",
            "[Tải kế hoạch](/tep/ke-hoach.pdf)\n",
        ),
    );
    site.build_ok();
    let live = hosted_copy(&site);
    // The plan replaced by one whose page also links to a betting host.
    let planted = pdf_linking_to(
        &demo_pdf(),
        &[
            "https://moj.example/van-ban",
            "https://Nha-Cai.example/khuyen-mai",
        ],
    );
    fs::write(live.path().join("tep/ke-hoach.pdf"), planted).unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let expected = [
        format!("{base}/tep/ke-hoach.pdf: differs from the build from byte "),
        format!(
            "{base}/tep/ke-hoach.pdf: links to nha-cai.example, a host the build never links to (https://Nha-Cai.example/khuyen-mai)"
        ),
    ];
    assert_lines_begin(&report, &expected);
}

/// `pdf` with a link to each of `uris` over its first page.
fn pdf_linking_to(pdf: &[u8], uris: &[&str]) -> Vec<u8> {
    use lopdf::{Object, dictionary};
    let mut pdf = lopdf::Document::load_mem(pdf).unwrap();
    let mut links = Vec::new();
    for uri in uris {
        let action = dictionary! { "S" => "URI", "URI" => Object::string_literal(*uri) };
        let rect: Vec<Object> = vec![0.into(), 0.into(), 600.into(), 800.into()];
        let link = pdf.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Link", "Rect" => rect, "A" => action,
        });
        links.push(Object::Reference(link));
    }
    let first = *pdf.get_pages().values().next().unwrap();
    pdf.get_object_mut(first)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Annots", links);
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_refresh_header_sending_crawlers_away_is_found() {
    // A hacked `.htaccess` sends search engines on with a `Refresh` header:
    // the page's bytes are the build's, its head is not.
    let site = TestSite::good();
    site.build_ok();
    let readers = hosted_copy(&site);
    let crawlers = hosted_copy(&site);
    let article = article_page(crawlers.path(), "Tổng kết công tác dân vận năm 2013");
    fs::write(
        crawlers.path().join(format!("{article}.headers")),
        "Refresh: 0; url=https://nha-cai.example/\n",
    )
    .unwrap();
    let base = cloaking_server(readers.path().to_path_buf(), crawlers.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let url = format!("{base}/{}", article.trim_end_matches("index.html"));
    assert_eq!(
        stdout(&out),
        format!(
            "{url}: the host shows search engines (asked as Googlebot) another page than readers: a Refresh header to 0; url=https://nha-cai.example/\n"
        )
    );

    // Sent to every reader, it is the host's answer for the file itself.
    fs::write(
        readers.path().join(format!("{article}.headers")),
        "Refresh: 0; url=https://nha-cai.example/\n",
    )
    .unwrap();
    let out = verify(&site.public(), &base);
    assert_eq!(
        stdout(&out),
        format!(
            "{url}: the host sends the browser on with a Refresh header (0; url=https://nha-cai.example/)\n"
        )
    );
    assert!(
        stderr(&out).contains("1 sent on by a Refresh header"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_site_folder_may_be_given_as_the_help_says() {
    // `--site` "or the site's folder (holding site.yaml), whose public/ is
    // then read": a loop over the wards' folders verifies each.
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.root(), &base);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("verify passed"), "{}", stderr(&out));

    // A site folder not built yet names its public/ and what to do.
    let unbuilt = TestSite::good();
    let out = verify(&unbuilt.root(), &base);
    assert_eq!(out.status.code(), Some(2));
    let expected = format!(
        "error: {} holds no built site",
        unbuilt.root().join("public").display()
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint: run `bantin build` first"));
}

#[test]
fn an_encoded_script_redirect_planted_on_the_host_is_named_by_its_host() {
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let cases = [
        (
            "Tổng kết công tác dân vận năm 2013",
            r#"<script>eval(atob("bG9jYXRpb249J2h0dHBzOi8vb2t2aXAuZXhhbXBsZS8n"))</script>"#,
            "okvip.example",
        ),
        (
            "Thông báo lịch tiếp công dân tháng 02/2014",
            "<script>if(/google/.test(document.referrer))location.href=String.fromCharCode(104,116,116,112,115,58,47,47,106,117,110,56,56,46,101,120,97,109,112,108,101)</script>",
            "jun88.example",
        ),
    ];
    let mut pages = Vec::new();
    for (title, script, _) in cases {
        let page = article_page(live.path(), title);
        let text = fs::read_to_string(live.path().join(&page)).unwrap();
        fs::write(
            live.path().join(&page),
            text.replacen("</body>", &format!("{script}</body>"), 1),
        )
        .unwrap();
        pages.push(page);
    }
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    for (page, (_, _, host)) in pages.iter().zip(cases) {
        let url = format!("{base}/{}", page.trim_end_matches("index.html"));
        let expected = format!("{url}: links to {host}, a host the build never links to");
        assert!(
            report.lines().any(|l| l.starts_with(&expected)),
            "{expected}\n{report}"
        );
    }
}

#[test]
fn a_page_is_not_sent_twice_by_a_host_that_tags_its_files() {
    // Every page is asked for a second time as Googlebot (the cloaking
    // check); a host that tags its files, as nginx and Apache do, answers
    // that second request with 304 and no page when it is the same file.
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let (base, answers) = host(live.path().to_path_buf(), live.path().to_path_buf(), true);

    let out = verify(&site.public(), &base);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let answers = answers.lock().unwrap().clone();
    let pages = tree(&site.public())
        .keys()
        .filter(|rel| rel.ends_with(".html"))
        .count();
    let files = tree(&site.public()).len() - 1; // the build's mark is not published
    let to_readers = answers.iter().filter(|(crawler, _, _)| !crawler).count();
    let to_crawler: Vec<_> = answers.iter().filter(|(crawler, _, _)| *crawler).collect();
    assert_eq!(to_readers, files, "one request a file");
    assert_eq!(to_crawler.len(), pages, "one more a page");
    assert!(
        to_crawler
            .iter()
            .all(|(_, status, sent)| *status == 304 && *sent == 0),
        "{to_crawler:?}"
    );

    // A page shown otherwise to Googlebot is another file, with another tag:
    // sent, and reported.
    let crawlers = hosted_copy(&site);
    let article = article_page(crawlers.path(), "Tổng kết công tác dân vận năm 2013");
    let page = fs::read_to_string(crawlers.path().join(&article)).unwrap();
    fs::write(
        crawlers.path().join(&article),
        page.replacen(
            "</main>",
            "<a href=\"https://okvip.example/\">nhà cái</a></main>",
            1,
        ),
    )
    .unwrap();
    let (base, _) = host(
        live.path().to_path_buf(),
        crawlers.path().to_path_buf(),
        true,
    );
    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1));
    let url = format!("{base}/{}", article.trim_end_matches("index.html"));
    assert!(
        stdout(&out).contains(&format!(
            "{url}: the host shows search engines (asked as Googlebot) another page than readers"
        )),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("links to okvip.example"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_redirect_appended_to_a_published_script_is_named_by_its_host() {
    // Hacked portals append a redirect for visitors from a search engine to
    // a script every page loads (jquery.js, the theme's own).
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let script = tree(live.path())
        .into_keys()
        .find(|rel| rel.ends_with(".js"))
        .expect("the build publishes a script");
    let mut text = fs::read_to_string(live.path().join(&script)).unwrap();
    text.push_str(
        "\n;(function(){if(/google|coccoc/.test(document.referrer))window.location=atob(\"aHR0cHM6Ly9va3ZpcC5leGFtcGxlL3Z1aQ==\")})();\n",
    );
    fs::write(live.path().join(&script), text).unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = verify(&site.public(), &base);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let url = format!("{base}/{script}");
    let expected = [
        format!("{url}: differs from the build from line "),
        format!(
            "{url}: links to okvip.example, a host the build never links to (https://okvip.example/vui)"
        ),
    ];
    assert_lines_begin(&stdout(&out), &expected);
}

#[test]
fn verify_in_json_names_each_planted_link_by_kind_host_and_line() {
    let site = TestSite::good();
    site.build_ok();
    let live = hosted_copy(&site);
    let article = article_page(live.path(), "Tổng kết công tác dân vận năm 2013");
    let page = fs::read_to_string(live.path().join(&article)).unwrap();
    // A betting brand's host written with character references, a bank's
    // name with a Cyrillic `і`, and an ordinary new host, each on its line.
    let injected = page.replacen(
        "</main>",
        "<div style=\"display:none\">\n<a href=\"https://&#111;kvip.example/\">nhà cái</a>\n\
         <a href=\"https://v\u{456}etcombank.example/\">đăng nhập</a>\n\
         <a href=\"https://quang-cao.example/\">quảng cáo</a>\n</div></main>",
        1,
    );
    assert_ne!(page, injected, "the article has a <main>");
    fs::write(live.path().join(&article), &injected).unwrap();
    let base = static_server(live.path().to_path_buf());

    let out = bantin()
        .args(["verify", "--format", "json", "--site"])
        .arg(site.public())
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let url = format!("{base}/{}", article.trim_end_matches("index.html"));
    let line_of =
        |needle: &str| injected.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    for (kind, host, written) in [
        ("betting-link", "okvip.example", "&#111;kvip"),
        ("look-alike-host", "xn--vetcombank-x2i.example", "etcombank"),
        ("foreign-host", "quang-cao.example", "quang-cao"),
    ] {
        assert!(
            findings.iter().any(|f| f["url"] == url.as_str()
                && f["kind"] == kind
                && f["host"] == host
                && f["line"] == line_of(written)
                && f["severity"] == "error"),
            "{kind} {host}: {findings:#?}"
        );
    }
    // The text says the same, a look-alike shown in the letters a reader sees.
    let text = verify(&site.public(), &base);
    let report = stdout(&text);
    assert!(
        report.contains("links to xn--vetcombank-x2i.example (v\u{456}etcombank.example), a host the build never links to"),
        "{report}"
    );
    assert!(
        report.contains(": a betting site (it matches `okvip`)"),
        "{report}"
    );
}
