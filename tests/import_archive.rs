//! `bantin import` on what an IT officer keeps of a closed portal: a `wget --mirror`
//! folder (host folder, index and list pages, images and attachments beside the
//! articles) and pages saved with the browser's "Save page as" (`Trang_files/`),
//! then `bantin build`: the archive must not lose the pictures, the attachments or
//! the old addresses, nor take the list pages for articles.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import-archive")
}

const HOST: &str = "quan3.hochiminhcity.gov.vn";

fn mirror() -> PathBuf {
    fixtures().join("mirror")
}

fn import(site: &TestSite, inputs: &[PathBuf]) -> Output {
    bantin()
        .arg("import")
        .arg("--root")
        .arg(site.root())
        .args(inputs)
        .output()
        .unwrap()
}

fn import_ok(site: &TestSite, inputs: &[PathBuf]) -> String {
    let out = import(site, inputs);
    assert!(
        out.status.success(),
        "import failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_mirrors_pictures_and_attachments_are_published_at_their_old_paths() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[mirror()]);
    site.build_ok();
    let page = site.page("/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022/");
    assert!(
        page.contains("src=\"/images/2022/hoi-nghi.jpg\""),
        "{page}\n{report}"
    );
    assert!(page.contains("href=\"/Uploads/files/bao-cao-tong-ket-2022.pdf\""));
    assert!(page.contains("href=\"/Uploads/files/ke-hoach-2023.doc\""));
    // The files themselves are in the archive, byte for byte, where the old
    // portal had them (so links to them from elsewhere still work).
    let host = mirror().join(HOST);
    for file in [
        "images/2022/hoi-nghi.jpg",
        "Uploads/files/bao-cao-tong-ket-2022.pdf",
        "Uploads/files/ke-hoach-2023.doc",
        "images/2022/mhx.jpg",
    ] {
        assert_eq!(
            read(site.public().join(file)),
            read(host.join(file)),
            "{file}"
        );
    }
    assert!(
        report.contains("copied 3 image(s) and attachment(s): content/images/2022/hoi-nghi.jpg"),
        "{report}"
    );
    // Importing again copies nothing twice and changes nothing.
    let again = import_ok(&site, &[mirror()]);
    assert!(again.contains("0 new, 6 unchanged"), "{again}");
}

#[test]
fn a_mirrors_pages_keep_their_old_addresses() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[mirror()]);
    site.build_ok();
    // The mirror's folders are the old portal's addresses: each old article
    // address leads to the article in the archive.
    for (old, new) in [
        (
            "tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html",
            "/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022/",
        ),
        (
            "tin-tuc/ra-quan-chien-dich-mua-he-xanh.html",
            "/tin-tuc/ra-quan-chien-dich-mua-he-xanh-nam-2022/",
        ),
    ] {
        let redirect = String::from_utf8(read(site.public().join(old))).unwrap();
        assert!(redirect.contains(new), "{old}: {redirect}");
    }
    // A link between two of the old portal's pages leads, through that redirect,
    // to the archived article, not to the closed host; a page named by a query
    // string (which cannot be redirected) keeps its old address.
    let page = site.page("/tin-tuc/ra-quan-chien-dich-mua-he-xanh-nam-2022/");
    assert!(
        page.contains("href=\"/tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html\""),
        "{page}"
    );
    assert!(page.contains("href=\"http://quan3.hochiminhcity.gov.vn/Pages/tin.aspx?ItemID=12\""));
}

#[test]
fn a_mirrors_list_pages_are_left_out_not_imported_as_articles() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[mirror()]);
    for list in ["index.html", "tin-tuc/index.html"] {
        let line = format!("{HOST}/{list}: left out: a list of 3 articles' links, not an article");
        assert!(report.contains(&line), "{report}");
    }
    assert!(
        report.contains("2 list page(s) and 0 page(s) saved twice left out; 0 not imported"),
        "{report}"
    );
    // Each article once: the home page's headline is not a second copy of it.
    let files: Vec<String> = markdown_files(&site.root().join("content"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("hoi-nghi-tong-ket"))
            .count(),
        1,
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f == "tin-tuc.md"), "{files:?}");
    // Named on the command line, a list page is imported all the same.
    let named = mirror().join(HOST).join("tin-tuc/index.html");
    let report = import_ok(&site, &[named]);
    assert!(
        report.contains("-> content/tin-tuc/tin-tuc.md (new)"),
        "{report}"
    );
}

#[test]
fn a_page_saved_from_the_browser_brings_its_pictures_from_its_files_folder() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[fixtures().join("saved")]);
    site.build_ok();
    let page = site.page("/tin-tuc/dai-bieu-hdnd-quan-tiep-xuc-cu-tri-phuong-9/");
    let src = "/tin-tuc/dai-bieu-hdnd-quan-tiep-xuc-cu-tri-phuong-9/tiep-xuc.jpg";
    assert!(page.contains(&format!("src=\"{src}\"")), "{page}");
    assert_eq!(
        read(site.public().join(src.trim_start_matches('/'))),
        read(fixtures().join("saved/Tiếp xúc cử tri_files/tiep-xuc.jpg"))
    );
    // The frame the browser saved in the `_files` folder is part of the page,
    // not an article of the portal.
    assert!(!report.contains("saved_resource.html"), "{report}");
    assert_eq!(markdown_files(&site.root().join("content")).len(), 1);
    // The attachment the browser did not save is named, with what to do.
    assert!(
        report.contains("not saved with the page: attachment http://quan3.hochiminhcity.gov.vn/Uploads/files/bao-cao-tiep-xuc.pdf (still linked at its old address; save the file beside the page and import again)"),
        "{report}"
    );
}

#[test]
fn a_hacked_page_cannot_copy_files_from_outside_the_imported_folder() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[fixtures().join("hacked")]);
    site.build_ok();
    let content = tree(&site.root().join("content"));
    assert!(
        content.values().all(|bytes| bytes != b"SECRET"),
        "{:?}",
        content.keys()
    );
    assert!(
        tree(&site.public())
            .values()
            .all(|bytes| bytes != b"SECRET")
    );
    assert!(
        report.contains("not saved with the page: image ../../../secret/luong.pdf"),
        "{report}"
    );
    assert!(
        report.contains("not saved with the page: image /images/khong-luu.jpg"),
        "{report}"
    );
}

#[test]
fn injected_scripts_frames_and_betting_links_never_reach_the_archive() {
    let site = TestSite::new(&[]);
    import_ok(&site, &[mirror()]);
    site.build_ok();
    let page = site.page("/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022/");
    for injected in [
        "w88",
        "fb88",
        "nhacai88",
        "<iframe",
        "document.write",
        "jquery.js",
    ] {
        assert!(!page.contains(injected), "{injected}");
    }
}

#[test]
fn two_portals_files_at_one_path_are_both_kept() {
    // Two districts merged into one ward: both portals had /images/2022/hoi-nghi.jpg.
    let site = TestSite::new(&[]);
    site.write_bytes(
        "content/images/2022/hoi-nghi.jpg",
        b"another portal's picture",
    );
    let report = import_ok(&site, &[mirror()]);
    assert!(
        report.contains("content/images/2022/hoi-nghi-2.jpg"),
        "{report}"
    );
    site.build_ok();
    assert_eq!(
        read(site.public().join("images/2022/hoi-nghi.jpg")),
        b"another portal's picture"
    );
    let page = site.page("/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022/");
    assert!(
        page.contains("src=\"/images/2022/hoi-nghi-2.jpg\""),
        "{page}"
    );
}

#[test]
fn the_same_article_saved_twice_is_imported_once_and_keeps_its_old_address() {
    let site = TestSite::new(&[]);
    let article = read(
        mirror()
            .join(HOST)
            .join("tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html"),
    );
    let usb = site.dir.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    // The copies come first by name; the browser's copy names the old address.
    std::fs::write(usb.join("hoi-nghi (1).html"), &article).unwrap();
    std::fs::write(usb.join("hoi-nghi.html"), &article).unwrap();
    let mut saved = b"<!-- saved from url=(0083)http://quan3.hochiminhcity.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html -->\n".to_vec();
    saved.extend_from_slice(&article);
    std::fs::write(usb.join("tin-da-luu.html"), &saved).unwrap();
    let report = import_ok(&site, &[usb]);
    let kept = "content/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022.md";
    for copy in ["hoi-nghi (1).html", "hoi-nghi.html"] {
        let line = format!("{copy}: left out: the same article as {kept} (saved twice)");
        assert!(report.contains(&line), "{report}");
    }
    assert!(
        report.contains(&format!("tin-da-luu.html -> {kept} (new)")),
        "{report}"
    );
    assert_eq!(markdown_files(&site.root().join("content")).len(), 1);
    site.build_ok();
    let redirect = String::from_utf8(read(
        site.public()
            .join("tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html"),
    ))
    .unwrap();
    assert!(redirect.contains("/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022/"));
    // A later import of another copy finds the article imported before.
    let later = site.dir.path().join("later");
    std::fs::create_dir_all(&later).unwrap();
    std::fs::write(later.join("ban-sao.htm"), &article).unwrap();
    let report = import_ok(&site, &[later]);
    assert!(
        report.contains(&format!(
            "ban-sao.htm: left out: the same article as {kept}"
        )),
        "{report}"
    );
    assert_eq!(markdown_files(&site.root().join("content")).len(), 1);
}

#[test]
fn an_old_registers_document_page_becomes_a_document_of_the_register() {
    let site = TestSite::new(&[]);
    let page = mirror()
        .join(HOST)
        .join("van-ban/quyet-dinh-so-25-2022-qd-ubnd.html");
    let report = import_ok(&site, &[mirror().join(HOST)]);
    assert!(
        report.contains("-> content/van-ban/2022/25-2022-qd-ubnd.md (new)"),
        "{report}"
    );
    assert!(
        report.contains("found: a document (văn bản): number, type, issuer, issued, effective, signer, field, title, files"),
        "{report}"
    );
    assert!(page.exists());
    site.build_ok();
    let document = site.page("/van-ban/25-2022-qd-ubnd/");
    assert!(
        document.contains("<h1>Ban hành Quy chế tiếp công dân của Ủy ban nhân dân Quận 3</h1>"),
        "{document}"
    );
    assert!(document.contains("datetime=\"2022-03-12"), "{document}");
    let properties = document.split("id=\"thuoc-tinh\"").nth(1).unwrap();
    for value in [
        "25/2022/QĐ-UBND",
        "Quyết định",
        "Ủy ban nhân dân Quận 3",
        "Nguyễn Văn B",
        "Đất đai",
    ] {
        assert!(properties.contains(value), "{value}: {document}");
    }
    let attachments = document.split("id=\"tep-dinh-kem\"").nth(1).unwrap();
    assert!(
        attachments.contains("href=\"/Uploads/files/25-2022-qd-ubnd.pdf\""),
        "{document}"
    );
    assert_eq!(
        read(site.public().join("Uploads/files/25-2022-qd-ubnd.pdf")),
        read(
            mirror()
                .join(HOST)
                .join("Uploads/files/25-2022-qd-ubnd.pdf")
        )
    );
    // The old page's address leads to the document.
    let redirect = String::from_utf8(read(
        site.public()
            .join("van-ban/quyet-dinh-so-25-2022-qd-ubnd.html"),
    ))
    .unwrap();
    assert!(redirect.contains("/van-ban/25-2022-qd-ubnd/"), "{redirect}");
    // Not also an article.
    let articles = markdown_files(&site.root().join("content"));
    assert!(
        !articles
            .iter()
            .any(|p| p.to_string_lossy().contains("chi-tiet-van-ban")),
        "{articles:?}"
    );
}

#[test]
fn a_document_lacking_its_issuer_waits_outside_content_until_given() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[mirror().join(HOST).join("van-ban")]);
    let waiting = "import-incomplete/van-ban/2022/05-kh-ubnd-2022.md";
    assert!(report.contains(&format!("-> {waiting} (new)")), "{report}");
    assert!(
        report.contains("guessed issuer: not on the page: the document is written under import-incomplete/ until `issuer` is filled in and it is moved into content/"),
        "{report}"
    );
    assert!(
        report.contains("guessed type: no form on the page: \"Kế hoạch\" by the number 05/KH-UBND"),
        "{report}"
    );
    let text = String::from_utf8(read(site.root().join(waiting))).unwrap();
    assert!(text.contains("issued: 2022-12-05"), "{text}");
    assert!(
        text.contains("Tệp đính kèm: [phu-luc.pdf](https://vanban.chinhphu.vn/files/phu-luc.pdf)"),
        "{text}"
    );
    // The build is not stopped by it.
    site.build_ok();
    // Given the issuer, the document goes into the register.
    let out = bantin()
        .args(["import", "--issuer", "Ủy ban nhân dân Quận 3", "--root"])
        .arg(site.root())
        .arg(mirror().join(HOST).join("van-ban"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    site.build_ok();
    let document = site.page("/van-ban/05-kh-ubnd-2022/");
    assert!(document.contains("Ủy ban nhân dân Quận 3"), "{document}");
    assert!(document.contains("Kế hoạch tổ chức các hoạt động mừng Đảng"));
}

#[test]
fn a_mirrored_folder_address_that_is_also_the_new_one_builds() {
    // `/tin-tuc/hoi-xuan/` was saved as `tin-tuc/hoi-xuan/index.html`, and the
    // article's new address is `/tin-tuc/hoi-xuan/` too: no redirect over it.
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[mirror()]);
    assert!(
        report.contains("tin-tuc/hoi-xuan/index.html -> content/tin-tuc/hoi-xuan.md (new)"),
        "{report}"
    );
    let text = String::from_utf8(read(site.root().join("content/tin-tuc/hoi-xuan.md"))).unwrap();
    assert!(!text.contains("aliases"), "{text}");
    assert!(
        text.contains("imported_from: \"http://quan3.hochiminhcity.gov.vn/tin-tuc/hoi-xuan/\""),
        "{text}"
    );
    site.build_ok();
    let page = site.page("/tin-tuc/hoi-xuan/");
    assert!(page.contains("<h1>Hội xuân</h1>"));
    // A Liferay (VNPT portal) attachment, `…/ke-hoach-hoi-xuan.pdf/<id>?version=1.0`,
    // saved by wget as `<id>@version=1.0`: copied at its old path.
    let liferay = "documents/10180/0/ke-hoach-hoi-xuan.pdf/6c1b2f3e-8d2a-4b1e";
    assert!(page.contains(&format!("href=\"/{liferay}\"")), "{page}");
    assert_eq!(read(site.public().join(liferay)), b"%PDF-1.4 liferay");
    // A page wget named `tin.aspx@ItemID=12.html` had the address `tin.aspx?ItemID=12`,
    // which no static host can redirect: kept as where it came from, no alias.
    let text = String::from_utf8(read(
        site.root()
            .join("content/tin-tuc/tuyen-truyen-phong-chong-dich.md"),
    ))
    .unwrap();
    assert!(
        text.contains(
            "imported_from: \"http://quan3.hochiminhcity.gov.vn/tin-tuc/tin.aspx?ItemID=12\""
        ),
        "{text}"
    );
    assert!(!text.contains("aliases"), "{text}");
}

#[test]
fn a_page_saved_as_a_single_file_mhtml_is_imported_with_its_pictures() {
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("mhtml");
    std::fs::create_dir_all(&folder).unwrap();
    let name = "Trao tặng nhà tình nghĩa.mhtml";
    std::fs::copy(fixtures().join("mhtml").join(name), folder.join(name)).unwrap();
    std::fs::write(
        folder.join("hong.mht"),
        "<html><body>Chỉ là HTML</body></html>",
    )
    .unwrap();
    let out = import(&site, &[folder]);
    let report = stdout(&out);
    let slug = "trao-tang-nha-tinh-nghia-cho-gia-dinh-chinh-sach-phuong-9";
    assert!(
        report.contains(&format!("{name} -> content/tin-tuc/{slug}.md (new)")),
        "{report}"
    );
    assert!(
        report.contains("hong.mht: not imported: not a web archive that can be read (no page in it): open it in the browser and save it again as \"Webpage, Complete\""),
        "{report}"
    );
    assert!(!out.status.success());
    site.build_ok();
    let page = site.page(&format!("/tin-tuc/{slug}/"));
    assert!(page.contains("<h1>Trao tặng nhà tình nghĩa cho gia đình chính sách phường 9</h1>"));
    assert!(
        page.contains("datetime=\"2022-07-22T09:00:00+07:00\""),
        "{page}"
    );
    assert!(page.contains("Căn nhà có tổng kinh phí 120 triệu đồng"));
    assert!(!page.contains("casino"));
    let src = format!("/tin-tuc/{slug}/nha-tinh-nghia.jpg");
    assert!(page.contains(&format!("src=\"{src}\"")), "{page}");
    assert_eq!(
        read(site.public().join(src.trim_start_matches('/'))),
        b"\xff\xd8\xff\xe0MHTML-IMAGE"
    );
    // Its old address redirects.
    let redirect = String::from_utf8(read(
        site.public().join("tin-tuc/trao-tang-nha-tinh-nghia.html"),
    ))
    .unwrap();
    assert!(redirect.contains(&format!("/tin-tuc/{slug}/")));
}

#[test]
fn a_mirrors_subfolder_imported_alone_still_finds_its_pictures_and_addresses() {
    let site = TestSite::new(&[]);
    let report = import_ok(&site, &[mirror().join(HOST).join("tin-tuc")]);
    assert!(
        report.contains("copied 3 image(s) and attachment(s): content/images/2022/hoi-nghi.jpg"),
        "{report}"
    );
    let text = String::from_utf8(read(
        site.root()
            .join("content/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022.md"),
    ))
    .unwrap();
    assert!(
        text.contains("aliases: [\"http://quan3.hochiminhcity.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html\"]"),
        "{text}"
    );
}

#[test]
fn articles_imported_before_fingerprints_are_unchanged_not_edited() {
    let site = TestSite::new(&[]);
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/seeds");
    import_ok(&site, std::slice::from_ref(&seeds));
    // What an earlier bantin wrote: the same files without `import_text`.
    for path in markdown_files(&site.root().join("content")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let older: String = text
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("  import_text: "))
            .collect();
        std::fs::write(&path, older).unwrap();
    }
    let report = import_ok(&site, &[seeds]);
    assert!(
        report.contains("0 new, 5 unchanged, 0 kept as edited"),
        "{report}"
    );
}

/// A register page of `issuer` for `05/KH-UBND` of 2022.
fn register_page(issuer: &str, title: &str) -> String {
    format!(
        "<html><body><h1>Chi tiết văn bản</h1><table>\
         <tr><td>Số ký hiệu</td><td>05/KH-UBND</td></tr>\
         <tr><td>Loại văn bản</td><td>Kế hoạch</td></tr>\
         <tr><td>Cơ quan ban hành</td><td>{issuer}</td></tr>\
         <tr><td>Ngày ban hành</td><td>10/01/2022</td></tr>\
         <tr><td>Trích yếu</td><td>{title}</td></tr></table></body></html>"
    )
}

#[test]
fn one_document_saved_twice_is_one_but_two_portals_same_number_is_not_dropped() {
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("van-ban");
    std::fs::create_dir_all(&folder).unwrap();
    let q3 = register_page("Ủy ban nhân dân Quận 3", "Kế hoạch tổ chức Tết");
    std::fs::write(folder.join("a.html"), &q3).unwrap();
    std::fs::write(folder.join("a (1).html"), &q3).unwrap();
    std::fs::write(
        folder.join("b.html"),
        register_page("Ủy ban nhân dân Quận 4", "Kế hoạch phòng chống lụt bão"),
    )
    .unwrap();
    let out = import(&site, &[folder]);
    let report = stdout(&out);
    assert!(
        report.contains("a.html: left out: the same document as content/van-ban/2022/05-kh-ubnd-2022.md (saved twice)")
            || report.contains("a (1).html: left out: the same document as content/van-ban/2022/05-kh-ubnd-2022.md (saved twice)"),
        "{report}"
    );
    // Quận 4's plan is not taken for a copy of Quận 3's: it gets its own file,
    // and the build names both, as the register cannot hold one number twice a year.
    assert!(
        report.contains("b.html -> content/van-ban/2022/05-kh-ubnd-2022-2.md (new)"),
        "{report}"
    );
    let build = site.build(&[]);
    assert!(!build.status.success());
    assert!(
        stderr(&build).contains("05-kh-ubnd-2022-2.md"),
        "{}",
        stderr(&build)
    );
}

#[test]
fn the_portals_clock_in_the_header_is_not_the_articles_date() {
    // Saved on 06/12/2022, the pages show that day in their header: "Thứ Ba,
    // 06/12/2022" beside the menu, or "Hôm nay: Thứ Ba, 06/12/2022".
    let site = TestSite::new(&[]);
    import_ok(&site, &[fixtures().join("clock")]);
    let content = site.root().join("content");
    let text = |rel: &str| String::from_utf8(read(content.join(rel))).unwrap();
    let beside_menu = text("tin-tuc-su-kien/giao-ban-cong-tac-dan-van-quy-i-nam-2021.md");
    assert!(beside_menu.contains("title: \"Giao ban công tác dân vận quý I năm 2021\"\ndate: 2021-04-08 11:22\ncategory: \"Tin tức - Sự kiện\""), "{beside_menu}");
    let today = text("tin-tuc/hoi-nghi-can-bo-chu-chot.md");
    assert!(
        today.contains("date: 2020-03-15\ncategory: \"Tin tức\""),
        "{today}"
    );
    assert!(!today.contains("06/12/2022"), "{today}");
}

/// What HTTrack (WinHTTrack, the IT office's usual mirroring tool) leaves in a
/// project folder: its log, its cache and its own index pages beside the host folder.
fn httrack_project(site: &TestSite) -> PathBuf {
    let project = site.dir.path().join("Quan3");
    std::fs::create_dir_all(project.join("hts-cache")).unwrap();
    std::fs::write(
        project.join("hts-log.txt"),
        "HTTrack3.49-2+htsswf+htsjava launched on Sat, 04 Jan 2025 10:11:02 at http://quan3.hochiminhcity.gov.vn/\n\
         note:\tthe hts-log.txt file, and hts-cache folder, may contain sensitive information,\n\
         \tsuch as username/password authentication for websites mirrored in this project\n\
         HTTrack Website Copier/3.49-2 mirror complete in 2 minutes 10 seconds : 2534 links scanned\n",
    )
    .unwrap();
    std::fs::write(
        project.join("hts-cache/new.txt"),
        "date\tsize\tflags\tstatuscode\tstatus\tMIME\tEtag|Date\tURL\tlocalfile\t(from URL)\n",
    )
    .unwrap();
    std::fs::write(
        project.join("index.html"),
        "<HTML>\n<!-- Created by HTTrack Website Copier/3.49-2 [XR&CO'2014] -->\n\
         <HEAD><TITLE>Local index - HTTrack Website Copier</TITLE></HEAD><BODY>\n\
         <H1>Index of locally available sites:</H1>\n\
         <A HREF=\"quan3.hochiminhcity.gov.vn/index.html\">Quan3</A>\n\
         <!-- Mirror and index made by HTTrack Website Copier/3.49-2 [XR&CO'2014] -->\n</BODY></HTML>\n",
    )
    .unwrap();
    project
}

/// An article of the mirror fixture as HTTrack saves a page: its old address in a
/// "Mirrored from" comment, the file renamed (`tin4b2c.html` for a query address).
fn httrack_page(old_address: &str) -> Vec<u8> {
    let article = read(
        mirror()
            .join(HOST)
            .join("tin-tuc/hoi-nghi-tong-ket-cong-tac-dan-van.html"),
    );
    let mut page = format!(
        "<!-- Mirrored from {old_address} by HTTrack Website Copier/3.x [XR&CO'2014], Sat, 04 Jan 2025 10:11:12 GMT -->\n\
         <!-- Added by HTTrack --><meta http-equiv=\"content-type\" content=\"text/html;charset=UTF-8\" /><!-- /Added by HTTrack -->\n"
    )
    .into_bytes();
    page.extend_from_slice(&article);
    page
}

#[test]
fn a_mirrors_robots_txt_and_httracks_log_cache_and_index_are_not_imported_as_articles() {
    let site = TestSite::new(&[]);
    let project = httrack_project(&site);
    let tin_tuc = project.join(HOST).join("tin-tuc");
    std::fs::create_dir_all(&tin_tuc).unwrap();
    std::fs::write(
        tin_tuc.join("hoi-nghi.html"),
        httrack_page(&format!("{HOST}/tin-tuc/hoi-nghi.aspx")),
    )
    .unwrap();
    // The robots.txt that the crawler read first (wget saves it too).
    std::fs::write(
        project.join(HOST).join("robots.txt"),
        "User-agent: *\nDisallow: /admin/\nDisallow: /DesktopModules/\n",
    )
    .unwrap();
    let report = import_ok(&site, &[project]);
    let articles = markdown_files(&site.root().join("content"));
    assert_eq!(articles.len(), 1, "{articles:?}\n{report}");
    for (path, bytes) in tree(&site.root().join("content")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("HTTrack"), "{path}: {text}");
    }
    assert!(
        report.contains("left out 4 file(s) that the mirroring tool wrote or fetched for itself"),
        "{report}"
    );
    assert!(!report.contains("not imported:"), "{report}");
}

#[test]
fn an_httrack_page_keeps_the_old_address_it_was_mirrored_from() {
    let site = TestSite::new(&[]);
    let project = site.dir.path().join("Quan3");
    let tin_tuc = project.join(HOST).join("tin-tuc");
    std::fs::create_dir_all(&tin_tuc).unwrap();
    // HTTrack saves `hoi-nghi.aspx` as `hoi-nghi.html`: the old address is the `.aspx`.
    std::fs::write(
        tin_tuc.join("hoi-nghi.html"),
        httrack_page(&format!("{HOST}/tin-tuc/hoi-nghi.aspx")),
    )
    .unwrap();
    let report = import_ok(&site, std::slice::from_ref(&project));
    let article = std::fs::read_to_string(
        site.root()
            .join("content/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022.md"),
    )
    .unwrap();
    assert!(
        article.contains(&format!(
            "aliases: [\"http://{HOST}/tin-tuc/hoi-nghi.aspx\"]"
        )),
        "{article}\n{report}"
    );
    site.build_ok();
    let redirect =
        String::from_utf8(read(site.public().join("tin-tuc/hoi-nghi.aspx/index.html"))).unwrap();
    assert!(redirect.contains("/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022/"));
    assert!(!site.public().join("tin-tuc/hoi-nghi.html").exists());
    // A query address (`tin.aspx?ArticleID=123`, saved as `tin4b2c.html`) is the
    // page's source, not the made-up file name, which was never an address.
    let site = TestSite::new(&[]);
    std::fs::remove_file(tin_tuc.join("hoi-nghi.html")).unwrap();
    std::fs::write(
        tin_tuc.join("tin4b2c.html"),
        httrack_page(&format!("{HOST}/tin-tuc/tin.aspx?ArticleID=123")),
    )
    .unwrap();
    let report = import_ok(&site, &[project]);
    let article = std::fs::read_to_string(
        site.root()
            .join("content/dan-van/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2022.md"),
    )
    .unwrap();
    assert!(
        article.contains(&format!(
            "imported_from: \"http://{HOST}/tin-tuc/tin.aspx?ArticleID=123\""
        )),
        "{article}\n{report}"
    );
    assert!(!article.contains("tin4b2c"), "{article}");
}

#[test]
fn the_report_names_each_old_address_that_cannot_be_redirected() {
    let site = TestSite::new(&[]);
    let page = mirror().join(HOST).join("tin-tuc/tin.aspx@ItemID=12.html");
    let report = import_ok(&site, &[page]);
    assert!(
        report.contains(
            "  old address not redirected: http://quan3.hochiminhcity.gov.vn/tin-tuc/tin.aspx?ItemID=12 \
             has a query string, which a static host cannot redirect (kept in extra.imported_from)"
        ),
        "{report}"
    );
    assert!(
        report.contains("1 old address(es) with a query string cannot be redirected"),
        "{report}"
    );
}

#[test]
fn a_pdf_saved_under_a_pages_name_is_reported_not_imported_as_garbage() {
    // The old portal served its attachments at page addresses (`tai-ve.aspx`),
    // and a clerk renamed a Word file `.txt`: neither is a page.
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("mirror").join(HOST).join("van-ban");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("tai-ve.aspx"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("bao-cao.txt"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00B\xe1o c\xe1o",
    )
    .unwrap();
    // Named on the command line, each is read, and the report says what it holds.
    let out = import(
        &site,
        &[folder.join("tai-ve.aspx"), folder.join("bao-cao.txt")],
    );
    let report = stdout(&out);
    assert!(!out.status.success(), "{report}");
    assert!(
        report.contains("van-ban/tai-ve.aspx: not imported: not a page: the file holds a PDF document, not HTML or text"),
        "{report}"
    );
    assert!(
        report.contains("van-ban/bao-cao.txt: not imported: not a page: the file holds a Word or Excel file (.doc, .xls)"),
        "{report}"
    );
    assert!(
        markdown_files(&site.root().join("content")).is_empty(),
        "{report}"
    );
    // Found in a mirror, they are attachments, counted by what they hold.
    let report = import_ok(&site, &[site.dir.path().join("mirror")]);
    for ending in [".pdf", ".doc"] {
        assert!(
            report.contains(&format!("1 file(s) that are not pages ({ending})")),
            "{report}"
        );
    }
    assert!(
        markdown_files(&site.root().join("content")).is_empty(),
        "{report}"
    );
}

#[test]
fn a_page_wget_saved_with_its_query_in_its_name_is_imported() {
    // `wget --mirror` without `--adjust-extension` saves `tin.aspx?ItemID=12` as
    // itself (with `@` for `?` on Windows): a page, not a file of ending `.aspx?…`.
    let site = TestSite::new(&[]);
    let folder = site.dir.path().join("mirror").join(HOST).join("tin-tuc");
    std::fs::create_dir_all(&folder).unwrap();
    let page = read(mirror().join(HOST).join("tin-tuc/tin.aspx@ItemID=12.html"));
    std::fs::write(folder.join("tin.aspx?ItemID=12"), &page).unwrap();
    let report = import_ok(&site, &[site.dir.path().join("mirror")]);
    assert!(
        report.contains(
            "tin-tuc/tin.aspx?ItemID=12 -> content/tin-tuc/tuyen-truyen-phong-chong-dich.md (new)"
        ),
        "{report}"
    );
    let text = String::from_utf8(read(
        site.root()
            .join("content/tin-tuc/tuyen-truyen-phong-chong-dich.md"),
    ))
    .unwrap();
    assert!(
        text.contains(
            "imported_from: \"http://quan3.hochiminhcity.gov.vn/tin-tuc/tin.aspx?ItemID=12\""
        ),
        "{text}"
    );
}

#[test]
fn an_attachment_served_by_a_download_script_is_copied_with_its_page() {
    // DotNetNuke portals served attachments as `LinkClick.aspx?fileticket=…`;
    // wget saved each answer under that name, query and all (`@` on Windows).
    let site = TestSite::new(&[]);
    let host = site.dir.path().join("mirror").join(HOST);
    std::fs::create_dir_all(host.join("tin-tuc")).unwrap();
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nke hoach 05\n".to_vec();
    let doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1bao cao".to_vec();
    std::fs::write(host.join("LinkClick.aspx?fileticket=x7mAbC&tabid=55"), &pdf).unwrap();
    std::fs::write(host.join("DownloadFile.aspx@FileID=5"), &doc).unwrap();
    std::fs::write(host.join("tin-tuc/tai-ve.aspx"), &pdf).unwrap();
    std::fs::write(
        host.join("tin-tuc/ke-hoach.html"),
        "<html><head><meta charset=\"utf-8\"></head><body>\
         <h1>Kế hoạch phòng chống lụt bão năm 2014</h1><p>Ngày đăng 17/01/2014 | 14:05</p>\
         <p>Ủy ban nhân dân quận ban hành kế hoạch phòng chống lụt bão, tìm kiếm cứu nạn năm 2014 cho các phường.</p>\
         <p>Tải về: <a href=\"/LinkClick.aspx?fileticket=x7mAbC&amp;tabid=55\">Kế hoạch số 05</a>, \
         <a href=\"http://quan3.hochiminhcity.gov.vn/DownloadFile.aspx?FileID=5\">Báo cáo</a>, \
         <a href=\"tai-ve.aspx\">Phụ lục</a>, <a href=\"/tin-tuc/tin.aspx?ItemID=12\">tin cũ</a></p></body></html>",
    )
    .unwrap();
    let report = import_ok(&site, &[site.dir.path().join("mirror")]);
    let beside = "tin-tuc/ke-hoach-phong-chong-lut-bao-nam-2014";
    assert!(
        report.contains(&format!(
            "copied 3 image(s) and attachment(s): content/{beside}/LinkClick-fileticket-x7mAbC-tabid-55.pdf, "
        )),
        "{report}"
    );
    site.build_ok();
    let page = site.page(&format!("/{beside}/"));
    assert!(
        page.contains(&format!(
            "href=\"/{beside}/LinkClick-fileticket-x7mAbC-tabid-55.pdf\""
        )),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/{beside}/DownloadFile-FileID-5.doc\"")));
    assert_eq!(
        read(
            site.public()
                .join(beside)
                .join("LinkClick-fileticket-x7mAbC-tabid-55.pdf")
        ),
        pdf
    );
    assert_eq!(
        read(site.public().join(beside).join("DownloadFile-FileID-5.doc")),
        doc
    );
    assert_eq!(read(site.public().join(beside).join("tai-ve.pdf")), pdf);
    // A page's link with a query stays a link to the page.
    assert!(page.contains("href=\"http://quan3.hochiminhcity.gov.vn/tin-tuc/tin.aspx?ItemID=12\""));
}

#[test]
fn a_categorys_rss_feed_saved_by_wget_is_not_imported_as_an_article() {
    // Portals offered `rss.aspx?CatID=5` beside each category, and `rss.aspx`.
    let site = TestSite::new(&[]);
    let host = site.dir.path().join("mirror").join(HOST);
    std::fs::create_dir_all(&host).unwrap();
    let feed = |name: &str| {
        std::fs::write(
        host.join(name),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Tin tức - Quận 3</title>\
         <item><title>Hội nghị tổng kết công tác dân vận năm 2022</title>\
         <description>Ngày 05/12/2022, Ban Dân vận Quận ủy tổ chức hội nghị tổng kết công tác dân vận năm 2022.</description>\
         <pubDate>Mon, 05 Dec 2022 14:30:00 GMT</pubDate></item></channel></rss>\n",
    )
    .unwrap()
    };
    feed("rss.aspx?CatID=5");
    feed("rss.aspx");
    let report = import_ok(&site, &[site.dir.path().join("mirror")]);
    assert!(
        markdown_files(&site.root().join("content")).is_empty(),
        "{report}"
    );
    assert!(
        report.contains("2 file(s) that are not pages (.xml: an RSS feed or a sitemap)"),
        "{report}"
    );
}
