//! What a ward clerk gets wrong in documents (văn bản), end to end on the real
//! binary: numbers copied with their `Số:` or typed with full-width slashes,
//! dates copied from the paper's heading, attachments with spaces in their
//! names, misspelt or in the wrong case, and a `.doc` renamed `.docx`. Each
//! builds what readers should get, or is refused with a hint that names the fix.

mod common;

use std::process::Output;

use common::{TestSite, bantin, stderr};
use scraper::{Html, Selector};

/// A document file with the given number, date of issue and more lines.
fn document(number: &str, issued: &str, more: &str) -> String {
    format!(
        "---\nnumber: \"{number}\"\ntype: \"Quyết định\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: {issued}\ntitle: \"Ban hành Quy chế tiếp công dân\"\n{more}---\n\nTóm tắt.\n"
    )
}

/// `bantin <command>` of the site as of 01/06/2025, noon in Vietnam.
fn run(command: &str, site: &TestSite) -> Output {
    bantin()
        .env("SOURCE_DATE_EPOCH", "1748754000")
        .arg(command)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap()
}

fn build(site: &TestSite) -> Output {
    run("build", site)
}

/// What `bantin check` says of the site, as of the same day.
fn check(site: &TestSite) -> String {
    let out = run("check", site);
    format!("{}{}", stderr(&out), common::stdout(&out))
}

fn build_ok(site: &TestSite) -> String {
    let out = build(site);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    stderr(&out)
}

fn refused(site: &TestSite) -> String {
    let out = build(site);
    assert!(!out.status.success(), "the build should fail");
    stderr(&out)
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: scraper::ElementRef) -> String {
    element.text().collect::<String>()
}

#[test]
fn a_number_copied_with_so_and_full_width_slashes_is_the_number_as_issued() {
    // The clerk copies "Số: 12/2019/QĐ-UBND" from the paper's heading, typed
    // with an input method's full-width slashes; a later decision replaces it.
    let site = TestSite::new(&[
        (
            "content/van-ban/2019/a.md",
            &document("Số: 12／2019／QĐ–UBND", "2019-04-10", ""),
        ),
        (
            "content/van-ban/2024/b.md",
            &document(
                "25/2024/QĐ-UBND",
                "2024-03-12",
                "replaces: [\"12/2019/QĐ-UBND\"]\n",
            ),
        ),
    ]);
    let err = build_ok(&site);
    assert!(
        err.contains("content/van-ban/2019/a.md:2:1: warning: the number `Số: 12／2019／QĐ–UBND` is shown and found as `12/2019/QĐ-UBND`"),
        "{err}"
    );
    assert!(
        err.contains("hint: write the số ký hiệu alone, as issued: `number: \"12/2019/QĐ-UBND\"`"),
        "{err}"
    );
    assert!(
        !err.contains("not in the register"),
        "the replaced number is found: {err}"
    );
    // Published where its number says, shown as issued, and replaced.
    let page = Html::parse_document(&site.page("/van-ban/12-2019-qd-ubnd/"));
    let fields = text(select(&page, "#thuoc-tinh")[0]);
    assert!(fields.contains("12/2019/QĐ-UBND"), "{fields}");
    assert!(!fields.contains("Số:"), "{fields}");
    assert_eq!(text(select(&page, "#hieu-luc")[0]).trim(), "Hết hiệu lực");
    let newer = Html::parse_document(&site.page("/van-ban/25-2024-qd-ubnd/"));
    let related: Vec<&str> = select(&newer, "#van-ban-lien-quan a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(related, ["/van-ban/12-2019-qd-ubnd/"]);
    // The address the number as written gave (an older bantin published it
    // there) leads to the page.
    assert!(
        err.contains(
            "the address the number as written gives, /van-ban/so-12-2019-qd-ubnd/, leads here"
        ),
        "{err}"
    );
    let old = site.page("/van-ban/so-12-2019-qd-ubnd/");
    assert!(
        old.contains("url=https://phuongmau.example.gov.vn/van-ban/12-2019-qd-ubnd/"),
        "{old}"
    );
}

#[test]
fn attachments_named_with_spaces_get_addresses_valid_in_pages_feeds_and_open_data() {
    let name = "Quyết định 25 (bản scan) 100%.pdf";
    let site = TestSite::new(&[(
        "content/van-ban/2024/a.md",
        &document(
            "25/2024/QĐ-UBND",
            "2024-03-12",
            &format!("files: [\"{name}\"]\n"),
        ),
    )])
    .with_bytes(&format!("content/van-ban/2024/{name}"), b"%PDF-1.4\n");
    build_ok(&site);
    let url = "/van-ban/2024/Quyết%20định%2025%20(bản%20scan)%20100%25.pdf";
    let page = Html::parse_document(&site.page("/van-ban/25-2024-qd-ubnd/"));
    let link = select(&page, "#tep-dinh-kem a")[0];
    assert_eq!(link.attr("href"), Some(url));
    assert_eq!(text(link), name, "the name shown is the file's");
    let feed = std::fs::read_to_string(site.public().join("van-ban/feed.xml")).unwrap();
    assert!(
        feed.contains(&format!("href=\"https://phuongmau.example.gov.vn{url}\"")),
        "{feed}"
    );
    let open: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.public().join("van-ban/index.json")).unwrap())
            .unwrap();
    assert_eq!(
        open["documents"][0]["attachments"][0]["url"],
        format!("https://phuongmau.example.gov.vn{url}")
    );
    // The address leads to the file as a host decodes it.
    assert!(site.public().join("van-ban/2024").join(name).is_file());
}

#[test]
fn a_missing_attachment_names_the_file_the_clerk_meant() {
    let site = TestSite::new(&[
        (
            "content/van-ban/2024/a.md",
            &document(
                "25/2024/QĐ-UBND",
                "2024-03-12",
                "files: [\"/van-ban/2024/25-2024-qd-ubnd.PDF\"]\n",
            ),
        ),
        (
            "content/van-ban/2024/b.md",
            &document(
                "26/2024/QĐ-UBND",
                "2024-03-12",
                "files: [\"van-ban/2024/26-2024-qd-ubnd.pdf\"]\n",
            ),
        ),
        (
            "content/van-ban/2024/c.md",
            &document(
                "27/2024/QĐ-UBND",
                "2024-03-12",
                "files: [\"27-2024-qd-ubmd.pdf\"]\n",
            ),
        ),
    ])
    .with_bytes("content/van-ban/2024/25-2024-qd-ubnd.pdf", b"%PDF-1.4\n")
    .with_bytes("content/van-ban/2024/26-2024-qd-ubnd.pdf", b"%PDF-1.4\n")
    .with_bytes("content/van-ban/2024/27-2024-qd-ubnd.pdf", b"%PDF-1.4\n");
    let err = refused(&site);
    for (file, meant) in [
        ("a", "/van-ban/2024/25-2024-qd-ubnd.pdf"),
        ("b", "/van-ban/2024/26-2024-qd-ubnd.pdf"),
        ("c", "/van-ban/2024/27-2024-qd-ubnd.pdf"),
    ] {
        let at = format!("content/van-ban/2024/{file}.md:7:1: error: the attachment");
        let block = err
            .split("\ncontent/")
            .map(|b| format!("content/{}", b.trim_start_matches("content/")))
            .find(|b| b.starts_with(&at))
            .unwrap_or_else(|| panic!("no `{at}` in:\n{err}"));
        assert!(
            block.contains(&format!("hint: did you mean `{meant}`?")),
            "{block}"
        );
    }
}

#[test]
fn dates_copied_from_the_papers_heading_are_read() {
    let site = TestSite::new(&[(
        "content/van-ban/2024/a.md",
        &document(
            "25/2024/QĐ-UBND",
            "\"ngày 5 tháng 12 năm 2024\"",
            "effective: Ngày 15 tháng 12 năm 2024\n",
        ),
    )]);
    let err = build_ok(&site);
    assert!(!err.contains("warning"), "{err}");
    let page = Html::parse_document(&site.page("/van-ban/25-2024-qd-ubnd/"));
    assert!(!select(&page, "time[datetime='2024-12-05']").is_empty());
    let fields = text(select(&page, "#thuoc-tinh")[0]);
    assert!(
        fields.contains("05/12/2024") && fields.contains("15/12/2024"),
        "{fields}"
    );
}

#[test]
fn a_doc_file_renamed_docx_is_reported_as_such() {
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    doc.resize(4096, 0);
    let site = TestSite::new(&[(
        "content/van-ban/2024/a.md",
        &document(
            "25/2024/QĐ-UBND",
            "2024-03-12",
            "files: [\"quy-che.docx\"]\n",
        ),
    )])
    .with_bytes("content/van-ban/2024/quy-che.docx", &doc);
    let err = build_ok(&site);
    assert!(
        err.contains("content/van-ban/2024/quy-che.docx: warning: search: the file cannot be read (it is a Word 97-2003 document (.doc) named .docx"),
        "{err}"
    );
}

#[test]
fn a_field_named_in_vietnamese_is_told_its_english_name() {
    let site = TestSite::new(&[(
        "content/van-ban/2024/a.md",
        &document(
            "25/2024/QĐ-UBND",
            "2024-03-12",
            "nguoi_ky: \"Nguyễn Văn A\"\n",
        ),
    )]);
    let err = refused(&site);
    assert!(
        err.contains("content/van-ban/2024/a.md:7:1: error: unknown field `nguoi_ky`\n  hint: did you mean `signer`? (the fields have English names: `nguoi_ky` is `signer`)"),
        "{err}"
    );
}

#[test]
fn a_huge_scan_builds_with_a_warning_saying_how_to_make_it_smaller() {
    let site = TestSite::new(&[(
        "content/van-ban/2024/a.md",
        &document("25/2024/QĐ-UBND", "2024-03-12", "files: [\"scan.pdf\"]\n"),
    )]);
    let file = std::fs::File::create(site.root().join("content/van-ban/2024/scan.pdf")).unwrap();
    file.set_len(60 * 1024 * 1024).unwrap();
    let err = build_ok(&site);
    assert!(
        err.contains("content/van-ban/2024/a.md:7:1: warning: the attachment `scan.pdf` is 60 MB: readers on a phone wait long for it"),
        "{err}"
    );
    assert!(err.contains("hint: make it smaller"), "{err}");
    let page = Html::parse_document(&site.page("/van-ban/25-2024-qd-ubnd/"));
    assert!(text(select(&page, "#tep-dinh-kem")[0]).contains("PDF, 60,0 MB"));
}

#[test]
fn check_calls_unused_only_the_files_no_document_uses_drafts_included() {
    let site = TestSite::new(&[
        (
            "content/van-ban/2024/a.md",
            &document(
                "25/2024/QĐ-UBND",
                "2024-03-12",
                "draft: true\nfiles: [\"du-thao.pdf\"]\n",
            ),
        ),
        (
            "content/van-ban/2024/b.md",
            &document("26/2024/QĐ-UBND", "2024-03-12", "")
                .replace("Tóm tắt.", "Xem [phụ lục](phu-luc.xlsx)."),
        ),
    ])
    .with_bytes("content/van-ban/2024/du-thao.pdf", b"%PDF-1.4\n")
    .with_bytes("content/van-ban/2024/phu-luc.xlsx", b"PK")
    .with_bytes("content/van-ban/2024/27-2024-qd-ubnd.pdf", b"%PDF-1.4\n");
    let err = check(&site);
    assert!(
        err.contains("content/van-ban/2024/27-2024-qd-ubnd.pdf: warning: no document lists this file in `files:`, and no article links to it\n  hint: add it to its document's `files:` line (`files: [\"/van-ban/2024/27-2024-qd-ubnd.pdf\"]`)"),
        "{err}"
    );
    assert!(
        !err.contains("du-thao.pdf"),
        "a draft's file is used: {err}"
    );
    assert!(
        !err.contains("phu-luc.xlsx"),
        "a linked file is used: {err}"
    );
}

#[test]
fn a_document_issued_after_today_is_warned_at_its_line() {
    // 2042 for 2024: a slip of the keys that puts it first in the register.
    let site = TestSite::new(&[(
        "content/van-ban/2024/a.md",
        &document("25/2024/QĐ-UBND", "2042-03-12", ""),
    )]);
    let err = build_ok(&site);
    assert!(
        err.contains("content/van-ban/2024/a.md:5:1: warning: `issued` (12/03/2042) is after today (01/06/2025): the register lists the document first, as the newest"),
        "{err}"
    );
}

#[test]
fn check_warns_of_a_form_or_issuer_written_short_beside_its_long_spelling() {
    let issuer =
        |text: &str| text.replace("Ủy ban nhân dân phường An Khánh", "UBND phường An Khánh");
    let site = TestSite::new(&[
        (
            "content/van-ban/a.md",
            &document("1/2024/QĐ-UBND", "2024-03-12", ""),
        ),
        (
            "content/van-ban/b.md",
            &document("2/2024/QĐ-UBND", "2024-04-12", ""),
        ),
        (
            "content/van-ban/c.md",
            &issuer(&document("3/2024/QĐ-UBND", "2024-05-12", "")).replace("Quyết định", "QĐ"),
        ),
    ]);
    let err = check(&site);
    assert!(
        err.contains("content/van-ban/c.md:3:1: warning: `QĐ` is written `Quyết định` in 2 other document(s): the register lists them apart (/van-ban/loai/qd/ and /van-ban/loai/quyet-dinh/)\n  hint: write `type: \"Quyết định\"` as they do"),
        "{err}"
    );
    assert!(
        err.contains("content/van-ban/c.md:4:1: warning: `UBND phường An Khánh` is written `Ủy ban nhân dân phường An Khánh` in 2 other document(s)"),
        "{err}"
    );
    assert!(
        !err.contains("a.md"),
        "the spelling most use is kept: {err}"
    );
}

#[test]
fn one_number_twice_in_a_year_is_one_error_naming_both_files() {
    // The same decision saved twice (a copy kept to edit): the number is the
    // error, not the address the two would share.
    let twice = TestSite::new(&[
        (
            "content/van-ban/a.md",
            &document("25/2024/QĐ-UBND", "2024-05-02", ""),
        ),
        (
            "content/van-ban/b.md",
            &document("25/2024/QĐ-UBND", "2024-05-03", ""),
        ),
    ]);
    let err = refused(&twice);
    assert!(
        err.contains("content/van-ban/b.md:2:1: error: the number `25/2024/QĐ-UBND` of 2024 is also the number of content/van-ban/a.md"),
        "{err}"
    );
    assert!(!err.contains("would both be published"), "{err}");
    assert!(err.contains("1 error(s)"), "{err}");
}
