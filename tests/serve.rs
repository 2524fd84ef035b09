//! `bantin serve` on real sites: the real binary on a free port, asked over HTTP.
//! Edits are made to the site's files as editors make them, and every check polls
//! with a time limit instead of sleeping.

mod common;

mod serve_common;

use std::fs;
use std::time::{Duration, Instant};

use bantin::serve::reload::with_script;
use common::*;
use serve_common::*;

#[test]
fn pages_are_served_with_their_content_types() {
    let site = TestSite::good();
    let server = Server::start(&site.root());

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("Hội xuân chợ hoa tết Giáp Ngọ"));
    assert!(
        home.text().contains("/__bantin/events"),
        "the live-reload script is added to pages"
    );
    let css = server.get(&format!("/{}", stylesheet_of(&home.text())));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let image = server.get("/images/hoi-nghi.jpg");
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), Some("image/jpeg"));
    assert_eq!(image.body, b"\xFF\xD8\xFF\xE0 not really a jpeg");
    let feed = server.get("/feed.xml");
    assert_eq!(feed.status, 200);
    assert!(feed.header("content-type").unwrap().contains("xml"));
    assert!(
        !feed.text().contains("__bantin"),
        "only HTML gets the script"
    );

    let missing = server.get("/khong-co-trang-nay/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        missing.body,
        with_script(server.private_file("404.html").as_bytes()),
        "the site's own 404 page"
    );
    let head = request(server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(server.addr, "POST", "/").status, 405);
    assert!(
        !home.text().contains("Bản nháp chưa đăng"),
        "drafts only with --drafts"
    );
    let folder = server.get("/thong-bao");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/thong-bao/"));

    let status = server.get("/__bantin/status");
    assert_eq!(status.json()["ok"], true);

    // The script exists only in what is sent: the files are a plain build's.
    assert_eq!(server.private.file_name().unwrap(), "site");
    assert_eq!(
        tree(&server.private),
        full_build(&site, &server),
        "the preview files are a plain build's"
    );
    assert!(
        !site.public().exists(),
        "serve never writes the published folder"
    );
    let private = server.private.clone();
    drop(server);
    assert!(
        !private.parent().unwrap().exists(),
        "the private folder is removed on exit"
    );
}

#[test]
fn requests_never_reach_files_outside_the_site() {
    let site = TestSite::good();
    let secret = site.dir.path().join("secret.txt");
    fs::write(&secret, "BÍ MẬT ngoài site").unwrap();
    let server = Server::start(&site.root());

    let attempts = [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsite.yaml",
        "/..%2f..%2fsecret.txt",
        "/thong-bao/../../site.yaml",
        "/thong-bao/%2e%2e%2f%2e%2e%2fsite.yaml",
        "/..%5c..%5csite.yaml",
        "/%252e%252e/site.yaml",
        "//etc/passwd",
        "/../../../../../../etc/passwd",
    ];
    for path in attempts {
        let answer = server.get(path);
        assert!(
            [400, 403, 404].contains(&answer.status),
            "{path}: status {}",
            answer.status
        );
        let text = answer.text();
        assert!(
            !text.contains("base_url") && !text.contains("BÍ MẬT") && !text.contains("root:"),
            "{path} answered a file outside the site:\n{text}"
        );
    }

    // A link in content/ to a file outside: the build refuses it, and the
    // server keeps the last good pages; the link is never served.
    std::os::unix::fs::symlink(&secret, site.root().join("content/bi-mat.txt")).unwrap();
    let status = server.wait_for_status(false);
    assert!(
        status["errors"]
            .as_str()
            .unwrap()
            .contains("content/bi-mat.txt"),
        "{status}"
    );
    assert_eq!(server.get("/").status, 200);
    let answer = server.get("/bi-mat.txt");
    assert_eq!(answer.status, 404);
    assert!(!answer.text().contains("BÍ MẬT"));
}

#[test]
fn edits_creations_renames_and_deletions_show_up() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";

    // An edit in place.
    let started = Instant::now();
    site.write(
        notice,
        &article(
            "Lịch tiếp công dân tháng 03/2014",
            "2014-02-01",
            "Thông báo",
            "Lịch tiếp công dân.\n",
        ),
    );
    server.wait_for_page("/", |page| {
        page.contains("Lịch tiếp công dân tháng 03/2014")
    });
    println!(
        "edit visible on / after {} ms",
        started.elapsed().as_millis()
    );

    // An editor's save: the new text written to a temporary file, renamed over.
    let temp = site
        .root()
        .join("content/thong-bao/.lich-tiep-cong-dan.md.tmp");
    fs::write(
        &temp,
        article(
            "Lịch tiếp công dân tháng 04/2014",
            "2014-02-01",
            "Thông báo",
            "Lịch tiếp công dân.\n",
        ),
    )
    .unwrap();
    fs::rename(&temp, site.root().join(notice)).unwrap();
    server.wait_for_page("/", |page| {
        page.contains("Lịch tiếp công dân tháng 04/2014") && !page.contains("tháng 03/2014")
    });

    // A new article.
    site.write(
        "content/van-hoa/giai-bong-da.md",
        &article(
            "Giải bóng đá phường mở rộng",
            "2014-05-01",
            "Văn hóa - Thể thao",
            "Giải bóng đá.\n",
        ),
    );
    server.wait_for_page("/", |page| page.contains("Giải bóng đá phường mở rộng"));

    // Renamed: its address comes from its file's name, so the page moves.
    fs::rename(
        site.root().join("content/van-hoa/giai-bong-da.md"),
        site.root().join("content/van-hoa/giai-bong-da-2014.md"),
    )
    .unwrap();
    server.wait_until("the page moves with its file", || {
        server.get("/van-hoa-the-thao/giai-bong-da-2014/").status == 200
            && server.get("/van-hoa-the-thao/giai-bong-da/").status == 404
    });
    assert!(
        server
            .get("/")
            .text()
            .contains("Giải bóng đá phường mở rộng")
    );

    // Deleted.
    site.remove("content/van-hoa/giai-bong-da-2014.md");
    server.wait_for_page("/", |page| !page.contains("Giải bóng đá phường mở rộng"));

    // A new image, renamed; an edit of site.yaml.
    site.write_bytes("content/images/moi.png", b"\x89PNG not really");
    server.wait_until("the image is served", || {
        server.get("/images/moi.png").status == 200
    });
    fs::rename(
        site.root().join("content/images/moi.png"),
        site.root().join("content/images/anh-moi.png"),
    )
    .unwrap();
    server.wait_until("the image is served under its new name", || {
        server.get("/images/anh-moi.png").status == 200
            && server.get("/images/moi.png").status == 404
    });
    site.write("site.yaml", &SITE_YAML.replace("Phường Mẫu", "Phường Mới"));
    server.wait_for_page("/", |page| page.contains("Phường Mới"));

    // After it all, the preview is exactly a full build of the same files
    // (once the last rebuild is done).
    assert_preview_is_a_full_build(&site, &server);
}

#[test]
fn an_article_added_while_the_first_build_runs_shows_up() {
    // A site whose first build takes a few seconds (more articles for an
    // optimised bantin), the article added once its files were found: the
    // build cannot have seen it, so only watching from before the build
    // shows it.
    let dir = tempfile::tempdir().unwrap();
    let articles = if cfg!(debug_assertions) { 1500 } else { 15000 };
    let root = generate_corpus(articles, &dir.path().join("site"));
    let server = Server::start_building(&root);
    std::thread::sleep(Duration::from_millis(500));
    fs::write(
        root.join("content/bai-them-khi-dang-dung.md"),
        article(
            "Bài thêm khi đang dựng",
            "2020-01-01",
            "Thông báo",
            "Thêm.\n",
        ),
    )
    .unwrap();
    assert!(
        !server.output().contains("watching site.yaml"),
        "the first build ended before the article was added: make the site larger"
    );
    server.wait_for_page("/sitemap.xml", |map| map.contains("bai-them-khi-dang-dung"));
}

#[test]
fn folders_made_renamed_and_removed_under_content_show_up() {
    let site = TestSite::good();
    let server = Server::start(&site.root());

    // A new folder holding an article, made as a file manager makes it.
    fs::create_dir_all(site.root().join("content/tin-moi/2014")).unwrap();
    site.write(
        "content/tin-moi/2014/khai-truong.md",
        &article(
            "Khai trương nhà văn hóa mới",
            "2014-06-01",
            "Tin mới",
            "Nội dung.\n",
        ),
    );
    server.wait_for_page("/", |page| page.contains("Khai trương nhà văn hóa mới"));

    // The folder renamed: the article is the same (its URL comes from its title).
    fs::rename(
        site.root().join("content/tin-moi/2014"),
        site.root().join("content/tin-moi/2014-cu"),
    )
    .unwrap();
    site.write(
        "content/tin-moi/2014-cu/khai-truong.md",
        &article(
            "Khai trương nhà văn hóa phường",
            "2014-06-01",
            "Tin mới",
            "Nội dung.\n",
        ),
    );
    server.wait_for_page("/", |page| {
        page.contains("Khai trương nhà văn hóa phường") && !page.contains("nhà văn hóa mới")
    });

    // The folder removed with what it holds.
    fs::remove_dir_all(site.root().join("content/tin-moi")).unwrap();
    server.wait_for_page("/", |page| !page.contains("Khai trương nhà văn hóa"));

    assert_preview_is_a_full_build(&site, &server);
}

#[test]
fn changes_made_while_the_site_is_broken_are_all_there_once_it_is_fixed() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";
    let good = fs::read_to_string(site.root().join(notice)).unwrap();

    site.write(notice, &good.replace("title:", "title: [unclosed\nx:"));
    server.wait_for_status(false);
    // While it is broken: an image replaced, another article edited, each
    // rebuilt (and failing) on its own.
    site.write_bytes("content/images/hoi-nghi.jpg", b"a new photo");
    server.wait_until("the image's rebuild fails", || {
        server
            .output()
            .contains("rebuild failed (content/images/hoi-nghi.jpg changed)")
    });
    site.write(
        "content/van-hoa/hoi-xuan.md",
        &article(
            "Hội xuân năm mới",
            "2014-01-25 08:00",
            "Văn hóa - Thể thao",
            "Hội xuân.\n",
        ),
    );
    server.wait_until("the article's rebuild fails", || {
        server
            .output()
            .contains("rebuild failed (content/van-hoa/hoi-xuan.md changed)")
    });
    site.write(notice, &good);
    server.wait_for_status(true);

    server.wait_until("the new image is served", || {
        server.get("/images/hoi-nghi.jpg").text() == "a new photo"
    });
    server.wait_for_page("/", |page| page.contains("Hội xuân năm mới"));
    assert_preview_is_a_full_build(&site, &server);
}

#[test]
fn a_broken_edit_keeps_the_pages_and_shows_the_error_until_fixed() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";
    let good = fs::read_to_string(site.root().join(notice)).unwrap();

    site.write(
        notice,
        &good.replace("category: \"Thông báo\"", "category: [\"Thông báo\""),
    );
    let status = server.wait_for_status(false);
    let errors = status["errors"].as_str().unwrap();
    let place = "content/thong-bao/lich-tiep-cong-dan.md:";
    assert!(
        errors
            .split(place)
            .nth(1)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())),
        "the error names the file and line:\n{errors}"
    );
    let home = server.get("/");
    assert_eq!(home.status, 200, "the last good pages are still served");
    assert!(
        home.text()
            .contains("Thông báo lịch tiếp công dân tháng 02/2014")
    );
    server.wait_until("the terminal prints the same errors", || {
        server.output().contains(errors)
    });

    site.write(notice, &good.replace("tháng 02/2014", "tháng 05/2014"));
    server.wait_for_status(true);
    server.wait_for_page("/", |page| page.contains("tháng 05/2014"));
    server.wait_until("the rebuild is reported", || server.rebuilds() > 0);
}

#[test]
fn open_pages_are_told_what_changed() {
    let site = TestSite::good();
    // The theme on disk, so that its stylesheet can be edited.
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for (rel, bytes) in tree(&theme) {
        site.write_bytes(&format!("themes/default/{rel}"), &bytes);
    }
    let server = Server::start(&site.root());
    let mut events = EventStream::open(server.addr);
    events.wait_for("ok");

    let css = site.root().join("themes/default/static/style.css");
    let mut text = fs::read_to_string(&css).unwrap();
    text.push_str("\nbody{color:#222}\n");
    fs::write(&css, text).unwrap();
    events.wait_for("css");
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";
    let good = fs::read_to_string(site.root().join(notice)).unwrap();
    site.write(notice, &good.replace("tháng 02/2014", "tháng 07/2014"));
    events.wait_for("reload");
    site.write(notice, &good.replace("category: \"", "category: [\""));
    let broken = events.wait_for("broken");
    assert!(
        broken.contains("content/thong-bao/lich-tiep-cong-dan.md:"),
        "{broken}"
    );
    // A page connecting now learns the state first.
    EventStream::open(server.addr).wait_for("broken");
    site.write(notice, &good);
    events.wait_for("ok");
    events.wait_for("reload");
}

#[test]
fn a_save_that_publishes_with_a_new_warning_tells_the_open_editor() {
    // The editor's page listens to the same events: it shows what a save
    // published but should be looked at again, which a clerk in the browser
    // would otherwise never see (it is printed in the terminal).
    let site = TestSite::good();
    // A warning the site has from the start: not told again after each save.
    site.write(
        "content/van-hoa/nhac.md",
        &article_with(
            "Đêm nhạc",
            "2014-02-02",
            "Văn hóa - Thể thao",
            "tags: [\"♪\"]\n",
            "x\n",
        ),
    );
    let server = Server::start(&site.root());
    let mut events = EventStream::open(server.addr);
    events.wait_for("ok");
    let notice = "content/thong-bao/lich-tiep-cong-dan.md";
    let good = fs::read_to_string(site.root().join(notice)).unwrap();
    site.write(notice, &good.replace("title:", "tags: [\"…\"]\ntitle:"));
    events.wait_for("reload");
    let warned = events.wait_for("warned");
    assert!(
        warned.contains(
            "content/thong-bao/lich-tiep-cong-dan.md:2:1: warning: the tag `…` has no letters"
        ),
        "{warned}"
    );
    assert_eq!(warned.matches("warning:").count(), 1, "{warned}");
    assert!(server.output().contains("content/van-hoa/nhac.md:"));
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = TestSite::good();
    site.write("site.yaml", "title: [\n");
    let server = Server::start(&site.root());
    assert_eq!(server.wait_for_status(false)["ok"], false);
    let answer = server.get("/");
    assert_eq!(answer.status, 404);
    assert!(answer.text().contains("/__bantin/events"));

    site.write("site.yaml", SITE_YAML);
    server.wait_for_status(true);
    server.wait_for_page("/", |page| page.contains("Hội xuân chợ hoa tết Giáp Ngọ"));
}

#[test]
fn a_templates_folder_made_while_serving_is_watched() {
    let site = TestSite::good();
    let server = Server::start(&site.root());
    let own = |heading: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<h1>{heading}</h1>{{% endblock content %}}"
        )
    };
    site.write("templates/404.html", &own("Trang riêng của phường"));
    server.wait_for_page("/khong-co/", |page| page.contains("Trang riêng của phường"));
    // Edited again: the new folder is watched too.
    site.write("templates/404.html", &own("Trang riêng đã sửa"));
    server.wait_for_page("/khong-co/", |page| page.contains("Trang riêng đã sửa"));
}

#[test]
fn drafts_are_shown_with_drafts() {
    // The good site's newest article is a draft.
    let site = TestSite::good();
    let server = Server::start_with(&site.root(), &["--drafts"]);
    assert!(server.get("/").text().contains("Bản nháp chưa đăng"));
}

#[test]
fn a_taken_port_is_named_with_a_hint() {
    let site = TestSite::good();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = bantin()
        .arg("serve")
        .arg("--root")
        .arg(site.root())
        .args(["--port", &port])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(&format!("port {port}")), "{err}");
    assert!(err.contains("--port"), "{err}");
}

/// Waits until the preview folder is exactly a full build of the same files
/// (once the last rebuild and the search index are done).
fn assert_preview_is_a_full_build(site: &TestSite, server: &Server) {
    let built = full_build(site, server);
    server.wait_for_private(|served| served == &built);
}

/// The files of a fresh `bantin build` of the site, with the server's base URL.
fn full_build(site: &TestSite, server: &Server) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_root(
        &site.root(),
        &[
            "--out",
            public.to_str().unwrap(),
            "--base-url",
            &server.origin(),
        ],
    );
    tree(&public)
}
