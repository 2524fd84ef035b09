//! What a clerk of a ward office meets writing with `bantin new` and in the
//! editor of `bantin serve`: titles typed with an old input method, and the
//! warnings of a save told to an editor opened after it. The real binary.

mod common;

use common::*;

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
    // A tag and a category typed so are one with those typed with `Đ`.
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
    let tag = site.page("/tags/dang-uy/");
    assert!(tag.contains("Đảng ủy họp"), "{tag}");
}
