//! URLs that never vanish: a page's address comes from its file's name, and
//! every address the last build published that this one would not is a
//! warning naming the file it came from, with the `aliases` line that keeps it.

mod common;

use common::{TestSite, article, article_with, bantin, stderr, stdout};
use std::fs;

fn warnings_of(out: &std::process::Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

#[test]
fn correcting_a_title_keeps_the_page_address() {
    let site = TestSite::good();
    site.build_ok();
    assert!(
        site.page("/dan-van/tong-ket/")
            .contains("Tổng kết công tác dân vận năm 2013")
    );
    let file = "content/dan-van/2014/tong-ket.md";
    let text = fs::read_to_string(site.root().join(file)).unwrap();
    site.write(file, &text.replace("năm 2013", "năm 2013 (đã sửa)"));
    let out = site.build_ok();
    assert!(
        site.page("/dan-van/tong-ket/")
            .contains("năm 2013 (đã sửa)")
    );
    assert!(
        !warnings_of(&out).contains("no longer publishes"),
        "{}",
        warnings_of(&out)
    );
}

#[test]
fn the_build_records_every_address_it_published_with_its_file() {
    let site = TestSite::good();
    site.build_ok();
    let record = fs::read_to_string(site.public().join("published-urls.txt")).unwrap();
    assert!(
        record.contains("/dan-van/tong-ket/\tcontent/dan-van/2014/tong-ket.md\n"),
        "{record}"
    );
    assert!(
        record.contains("/images/hoi-nghi.jpg\tcontent/images/hoi-nghi.jpg\n"),
        "{record}"
    );
    assert!(record.contains("/\tsite.yaml\n"), "{record}");
    // Drafts are not published, so not recorded.
    assert!(!record.contains("nhap"), "{record}");
}

#[test]
fn a_new_slug_warns_of_the_vanished_address_until_an_alias_keeps_it() {
    let site = TestSite::good();
    site.build_ok();
    let file = "content/thong-bao/lich-tiep-cong-dan.md";
    site.write(
        file,
        &article_with(
            "Thông báo lịch tiếp công dân tháng 02/2014",
            "2014-02-01",
            "Thông báo",
            "slug: lich-tiep-dan\n",
            "Lịch.\n",
        ),
    );
    // bantin check says it before anything is published, and so does the build.
    let check = bantin()
        .arg("check")
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    assert!(
        warnings_of(&check).contains("/thong-bao/lich-tiep-cong-dan/ was published"),
        "{}",
        warnings_of(&check)
    );
    let out = site.build_ok();
    let said = warnings_of(&out);
    assert!(
        said.contains("content/thong-bao/lich-tiep-cong-dan.md"),
        "{said}"
    );
    assert!(
        said.contains("/thong-bao/lich-tiep-cong-dan/ was published by the last build"),
        "{said}"
    );
    assert!(
        said.contains(r#"aliases: ["/thong-bao/lich-tiep-cong-dan/"]"#),
        "{said}"
    );

    // Following the hint keeps the old address alive, and the warning goes.
    site.write(
        file,
        &article_with(
            "Thông báo lịch tiếp công dân tháng 02/2014",
            "2014-02-01",
            "Thông báo",
            "slug: lich-tiep-dan\naliases: [\"/thong-bao/lich-tiep-cong-dan/\"]\n",
            "Lịch.\n",
        ),
    );
    // (The build before recorded the new address only: the alias brings the old back.)
    let out = site.build_ok();
    assert!(
        !warnings_of(&out).contains("no longer publishes"),
        "{}",
        warnings_of(&out)
    );
    let redirect = site.page("/thong-bao/lich-tiep-cong-dan/");
    assert!(redirect.contains("/thong-bao/lich-tiep-dan/"), "{redirect}");
}

#[test]
fn a_deleted_article_and_a_removed_image_are_warned_of_by_their_files() {
    let site = TestSite::good();
    site.write(
        "content/thong-bao/bai-cu.md",
        &article("Bài cũ", "2014-02-02", "Thông báo", "Cũ.\n"),
    );
    site.build_ok();
    site.remove("content/thong-bao/bai-cu.md");
    site.write(
        "content/dan-van/2014/tong-ket.md",
        &article(
            "Tổng kết",
            "2014-01-17T14:05:00+07:00",
            "Dân vận",
            "Không còn ảnh.\n",
        ),
    );
    site.remove("content/images/hoi-nghi.jpg");
    let out = site.build_ok();
    let said = warnings_of(&out);
    assert!(said.contains("content/thong-bao/bai-cu.md"), "{said}");
    assert!(
        said.contains("/thong-bao/bai-cu/ was published by the last build"),
        "{said}"
    );
    assert!(said.contains("renamed or deleted"), "{said}");
    assert!(
        said.contains("/images/hoi-nghi.jpg was published by the last build"),
        "{said}"
    );
}

#[test]
fn a_cached_rebuild_warns_of_a_page_moved_by_its_slug_too() {
    let site = TestSite::good();
    let cache = site.dir.path().join("cache");
    let cache = cache.to_str().unwrap();
    let built = site.build(&["--cache", cache]);
    assert!(built.status.success(), "{}", stderr(&built));
    let file = "content/van-hoa/hoi-xuan.md";
    let text = fs::read_to_string(site.root().join(file)).unwrap();
    site.write(
        file,
        &text.replace("views: 10\n", "views: 10\nslug: hoi-xuan-giap-ngo\n"),
    );
    let out = site.build(&["--cache", cache]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = warnings_of(&out);
    assert!(
        said.contains("/van-hoa-the-thao/hoi-xuan/ was published by the last build"),
        "{said}"
    );
    assert!(
        said.contains(r#"aliases: ["/van-hoa-the-thao/hoi-xuan/"]"#),
        "{said}"
    );
}
