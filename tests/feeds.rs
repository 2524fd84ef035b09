//! Feed entries as a feed reader gets them: read with an XML parser, each entry's
//! HTML read with an HTML parser, every link and image absolute, so that it leads
//! where it leads on the article's page.

mod common;

use common::*;

const BODY: &str = "Hội nghị tổng kết[^1].\n\n\
![Hội nghị](/images/hoi-nghi.jpg \"Đồng chí Châu phát biểu\")\n\n\
Xem thêm [hội nghị năm trước](../2013/hoi-nghi.md), [danh mục](/dan-van/) và \
[Cổng Chính phủ](https://chinhphu.vn/), liên hệ [thư](mailto:ubnd@phuongmau.gov.vn).\n\n\
<a href=\"?trang=2\">trang 2</a> <img src=\"anh-nho.jpg\" alt=\"ảnh\">\n\n\
[^1]: Theo báo cáo của Ban Dân vận.\n";

fn site() -> TestSite {
    TestSite::new(&[
        (
            "content/dan-van/2014/tong-ket.md",
            &article(
                "Tổng kết công tác dân vận",
                "2014-01-17 14:05",
                "Dân vận",
                BODY,
            ),
        ),
        (
            "content/dan-van/2013/hoi-nghi.md",
            &article("Hội nghị dân vận", "2013-01-10", "Dân vận", "Hội nghị.\n"),
        ),
    ])
    .with_bytes("content/images/hoi-nghi.jpg", b"\xFF\xD8\xFF\xE0 jpeg")
}

/// Every address (`href`, `src`) in the content of the feed's entry titled `title`,
/// with the entry's own link.
fn entry_addresses(feed_xml: &str, title: &str) -> (String, Vec<String>) {
    let doc = roxmltree::Document::parse(feed_xml).expect("the feed is well-formed XML");
    let entry = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .find(|e| {
            e.children()
                .any(|c| c.has_tag_name("title") && c.text() == Some(title))
        })
        .unwrap_or_else(|| panic!("no entry {title}"));
    let child = |name: &str| {
        entry
            .children()
            .find(|c| c.has_tag_name(name))
            .unwrap_or_else(|| panic!("entry has no {name}"))
    };
    let link = child("link").attribute("href").unwrap().to_string();
    let html = child("content").text().unwrap_or_default();
    let fragment = scraper::Html::parse_fragment(html);
    let mut addresses = Vec::new();
    for node in fragment.root_element().descendants() {
        if let Some(element) = node.value().as_element() {
            for attr in ["href", "src"] {
                addresses.extend(element.attr(attr).map(str::to_string));
            }
        }
    }
    (link, addresses)
}

fn check_feed(feed: &str, origin: &str, base_path: &str) {
    let (page, addresses) = entry_addresses(feed, "Tổng kết công tác dân vận");
    assert!(
        page.starts_with(&format!("{origin}{base_path}/dan-van/")),
        "{page}"
    );
    let (older, _) = entry_addresses(feed, "Hội nghị dân vận");
    let expected = [
        format!("{page}#1"),
        format!("{origin}{base_path}/images/hoi-nghi.jpg"),
        older,
        format!("{origin}{base_path}/dan-van/"),
        "https://chinhphu.vn/".to_string(),
        "mailto:ubnd@phuongmau.gov.vn".to_string(),
        format!("{page}?trang=2"),
        format!("{page}anh-nho.jpg"),
    ];
    for address in &expected {
        assert!(
            addresses.contains(address),
            "{address} not among {addresses:#?}"
        );
    }
    for address in &addresses {
        assert!(
            address.starts_with(&format!("{origin}{base_path}/"))
                || address.starts_with("https://chinhphu.vn/")
                || address.starts_with("mailto:"),
            "a relative address left in the feed: {address}"
        );
    }
}

#[test]
fn feed_entries_carry_absolute_links_images_and_footnotes() {
    let site = site();
    site.build_ok();
    let origin = "https://phuongmau.example.gov.vn";
    for feed in ["feed.xml", "dan-van/feed.xml"] {
        let xml = std::fs::read_to_string(site.public().join(feed)).unwrap();
        check_feed(&xml, origin, "");
    }
    // The page itself keeps its links as written for it.
    let page = std::fs::read_to_string(
        tree(&site.public())
            .keys()
            .find(|p| p.starts_with("dan-van/") && p.contains("tong-ket"))
            .map(|p| site.public().join(p))
            .unwrap(),
    )
    .unwrap();
    assert!(page.contains("src=\"/images/hoi-nghi.jpg\""), "{page}");
    assert!(page.contains("href=\"#1\""), "{page}");
}

#[test]
fn feed_links_keep_the_base_urls_path() {
    let site = site();
    let out = site.build(&["--base-url", "https://example.gov.vn/cong/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = std::fs::read_to_string(site.public().join("feed.xml")).unwrap();
    check_feed(&xml, "https://example.gov.vn", "/cong");
}
