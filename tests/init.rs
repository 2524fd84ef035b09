//! `bantin init`: a new site that builds at once, and never into a folder that
//! holds anything.

mod common;

use std::fs;

use common::*;

#[test]
fn init_then_build_publishes_the_home_about_page_and_first_article() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("phuong moi");
    let out = bantin().arg("init").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!("bantin serve --root '{}'", site.display())),
        "{said}"
    );
    assert!(
        said.contains(&format!("bantin build --root '{}'", site.display())),
        "{said}"
    );

    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    for field in ["name", "address", "phone", "email", "responsible"] {
        assert!(
            yaml.contains(&format!("#   {field}: ")),
            "agency {field} commented:\n{yaml}"
        );
    }

    build_root(&site, &[]);
    let public = site.join("public");
    let page = |path: &str| fs::read_to_string(public.join(path).join("index.html")).unwrap();
    let about = page("gioi-thieu/gioi-thieu-chung");
    assert!(about.contains("<h1>Giới thiệu chung</h1>"), "{about}");
    let home = page("");
    assert!(
        home.contains("Khai trương cổng thông tin điện tử"),
        "{home}"
    );
    // The menu leads to the about page and the news category.
    assert!(
        home.contains("href=\"/gioi-thieu/gioi-thieu-chung/\""),
        "{home}"
    );
    assert!(home.contains("href=\"/tin-tuc/\""), "{home}");
    let first = tree(&public)
        .into_keys()
        .find(|p| p.starts_with("tin-tuc/khai-truong") && p.ends_with("index.html"));
    assert!(first.is_some(), "the first article has its page");
}

#[test]
fn init_into_a_folder_that_holds_anything_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ghi-chu.txt"), "của tôi").unwrap();
    let before = tree(dir.path());
    let out = bantin().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("is not empty (it holds `ghi-chu.txt`)")
            && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(tree(dir.path()), before);
}
