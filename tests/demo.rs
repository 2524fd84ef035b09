//! The demo site in the repository: it builds, and two of its pages are pinned
//! byte for byte (insta snapshots), so any change to what readers get is seen.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn build_demo() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = build_root(root, &["--out", public.to_str().unwrap()]);
    assert!(
        stderr(&result).is_empty(),
        "the demo site has warnings:\n{}",
        stderr(&result)
    );
    (out, public)
}

fn page(public: &Path, site_path: &str) -> String {
    fs::read_to_string(
        public
            .join(site_path.trim_start_matches('/'))
            .join("index.html"),
    )
    .unwrap()
}

#[test]
fn demo_site_builds_with_its_seed_articles() {
    let (_dir, public) = build_demo();
    let seed = page(
        &public,
        "/nghi-quyet-trung-uong-4/tong-ket-cong-tac-dan-van-va-quy-che-dan-chu-co-so/",
    );
    assert!(seed.contains("<h1>Tổng kết công tác dân vận và quy chế Dân chủ cơ sở</h1>"));
    assert!(seed.contains(
        "<time datetime=\"2014-01-17T14:05:00+07:00\">Thứ Sáu, 17/01/2014 - 14:05</time>"
    ));
    assert!(seed.contains("Lượt xem: 4.351"));
    assert!(
        public
            .join("Pages/tin-tuc/tong-ket-cong-tac-dan-van-2013.aspx/index.html")
            .is_file()
    );
    assert!(
        !public
            .join("thong-bao/thong-bao-ve-viec-luu-tru-cong-thong-tin-dien-tu-quan")
            .exists(),
        "the draft is not published"
    );
    for image in [
        "images/2014/hoi-nghi-tong-ket-dan-van-2013.png",
        "images/2019/hoi-thi-dan-van-kheo.png",
    ] {
        assert!(public.join(image).is_file(), "{image}");
    }
}

#[test]
fn demo_article_page_snapshot() {
    let (_dir, public) = build_demo();
    insta::assert_snapshot!(
        "article_tong_ket_dan_van",
        page(
            &public,
            "/nghi-quyet-trung-uong-4/tong-ket-cong-tac-dan-van-va-quy-che-dan-chu-co-so/"
        )
    );
}

#[test]
fn demo_category_page_snapshot() {
    let (_dir, public) = build_demo();
    insta::assert_snapshot!("category_dan_van", page(&public, "/dan-van/"));
}

#[test]
fn demo_home_page_snapshot() {
    let (_dir, public) = build_demo();
    insta::assert_snapshot!("home", page(&public, "/"));
}
