//! The browser tab's icon: the default theme ships one (`/favicon.ico`, asked for by
//! every browser, and an SVG), every page links it, `logo:` stands in for it, and a
//! site's own `content/favicon.ico` wins.

mod common;

use common::*;

/// Every HTML page of the built site, by path, with its text.
fn pages(site: &TestSite) -> Vec<(String, String)> {
    tree(&site.public())
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn every_page_links_the_themes_icon_which_is_published() {
    let site = TestSite::good();
    site.build_ok();
    let ico = std::fs::read(site.public().join("favicon.ico")).unwrap();
    assert_eq!(&ico[..4], b"\0\0\x01\0", "an ICO file");
    assert_eq!(&ico[22..26], b"\x89PNG", "holding a PNG");
    let svg = std::fs::read_to_string(site.public().join("favicon.svg")).unwrap();
    roxmltree::Document::parse(&svg).expect("the SVG icon is XML");
    let all = pages(&site);
    assert!(all.len() > 10);
    for (path, html) in all {
        if html.contains("http-equiv=\"refresh\"") {
            continue; // an alias's redirect page, left at once
        }
        assert!(
            html.contains("<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"32x32\">")
                && html
                    .contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"),
            "{path} does not link the icon"
        );
    }
}

#[test]
fn the_logo_stands_in_for_the_icon_below_a_base_path_too() {
    let site = TestSite::good();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}logo: \"/images/hoi-nghi.jpg\"\n"),
    );
    let out = site.build(&["--base-url", "https://example.gov.vn/cong/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = site.page("/");
    assert!(
        home.contains("<link rel=\"icon\" href=\"/cong/images/hoi-nghi.jpg\">"),
        "{home}"
    );
    assert!(!home.contains("favicon.svg"), "{home}");
    // Browsers still ask the host's root for /favicon.ico now and then.
    assert!(site.public().join("favicon.ico").is_file());
}

#[test]
fn a_sites_own_favicon_wins_over_the_themes() {
    let site = TestSite::good().with_bytes("content/favicon.ico", b"our own icon");
    site.build_ok();
    assert_eq!(
        std::fs::read(site.public().join("favicon.ico")).unwrap(),
        b"our own icon"
    );
}
