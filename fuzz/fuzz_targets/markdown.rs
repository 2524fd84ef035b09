//! Any text as an article body, rendered with the portal's extensions (figures,
//! heading ids, `.md` and asset links, highlighted code): HTML, never a panic, and
//! link problems located inside the body.
#![no_main]

use bantin::content::markdown::{self, LinkedArticle, SiteLinks};
use libfuzzer_sys::fuzz_target;

struct Links;

impl SiteLinks for Links {
    fn article(&self, path: &str) -> Option<LinkedArticle<'_>> {
        match path {
            "dan-van/2013/hoi-nghi.md" => Some(LinkedArticle {
                url: "/dan-van/hoi-nghi/",
                draft: false,
            }),
            "dan-van/2014/nhap.md" => Some(LinkedArticle {
                url: "/dan-van/nhap/",
                draft: true,
            }),
            _ => None,
        }
    }
    fn base_path(&self) -> &str {
        "/portal"
    }
}

fuzz_target!(|body: &str| {
    // Each setting of `html`, chosen by the input itself.
    let modes = [
        markdown::HtmlMode::Sanitize,
        markdown::HtmlMode::Keep,
        markdown::HtmlMode::Escape,
    ];
    let options = markdown::BodyOptions {
        html: modes[body.len() % 3],
        hosts: markdown::BodyHosts::interned(Some("phuong1.gov.vn".into()), Vec::new()),
    };
    let rendered = markdown::render_with(body, "dan-van/2014", &Links, options);
    for (range, _) in &rendered.problems {
        assert!(range.start <= range.end && range.end <= body.len());
    }
    for reference in &rendered.references {
        assert!(reference.range.end <= body.len());
    }
});
