//! Bad and hostile content, as a ward clerk's slip or an attacker's edit makes
//! it, on the real binary: each is an error naming the file (and line) with a
//! fix, the previous output left as it was; or a page in which it is harmless.

mod common;

use common::*;

/// Builds `site` (with an output there already), insists that the build fails
/// naming each of `expected`, and that the output was left as it was.
fn refused(site: &TestSite, expected: &[&str]) -> String {
    if !site.public().exists() {
        site.build_ok();
    }
    let before = tree(&site.public());
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success(), "the build should fail:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    for text in expected {
        assert!(err.contains(text), "no `{text}` in:\n{err}");
    }
    assert!(
        tree(&site.public()) == before,
        "a failed build changed the output"
    );
    assert!(leftovers(&site.root()).is_empty());
    err
}

#[cfg(unix)]
#[test]
fn links_from_content_to_the_sites_own_files_or_hidden_files_are_refused() {
    let site = TestSite::good();
    site.write(
        ".git/config",
        "url = https://x:ghp_secret@example.com/phuong.git\n",
    );
    site.write("content/images/.an/ghi-chu.txt", "ghi chú riêng");
    site.build_ok();
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, site.root().join("content").join(name)).unwrap()
    };
    link("../.git/config", "cau-hinh.txt");
    link("../site.yaml", "site.txt");
    link("..", "ca-trang");
    link("images/.an/ghi-chu.txt", "ghi-chu.txt");
    let err = refused(
        &site,
        &[
            "content/cau-hinh.txt: error: a symbolic link to",
            "content/site.txt: error: a symbolic link to",
            "content/ca-trang: error: a symbolic link to",
            "outside the site's content folder",
            "content/ghi-chu.txt: error: a symbolic link to",
            "a hidden file",
        ],
    );
    assert!(!err.contains("ghp_secret"), "{err}");
    // A link inside content/ is still followed.
    for name in ["cau-hinh.txt", "site.txt", "ca-trang", "ghi-chu.txt"] {
        site.remove(&format!("content/{name}"));
    }
    link("images/hoi-nghi.jpg", "anh.jpg");
    site.build_ok();
    assert!(site.public().join("anh.jpg").is_file());
    let published = tree(&site.public());
    assert!(
        published
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("ghp_secret")),
        "the git config was published"
    );
}

#[test]
fn a_script_address_as_the_lead_image_is_an_error_at_its_line() {
    let site = TestSite::good();
    site.build_ok();
    for image in [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(document.cookie)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ] {
        site.write(
            "content/tin/anh.md",
            &article_with(
                "Ảnh",
                "2014-01-17",
                "Tin",
                &format!("image: \"{image}\"\n"),
                "x\n",
            ),
        );
        refused(
            &site,
            &[
                "content/tin/anh.md:6:1: error: `image:`",
                "would run a script",
                "hint: `image:` is the lead photo's path",
            ],
        );
    }
    // A link out of content/ is named at its line too.
    site.write(
        "content/tin/anh.md",
        &article_with(
            "Ảnh",
            "2014-01-17",
            "Tin",
            "image: \"../../../etc/passwd\"\n",
            "x\n",
        ),
    );
    refused(
        &site,
        &["content/tin/anh.md:6:1: error: the link `../../../etc/passwd` climbs out"],
    );
    // A picture given whole stays whole in the page and its og:image.
    site.write(
        "content/tin/anh.md",
        &article_with(
            "Ảnh",
            "2014-01-17",
            "Tin",
            "image: \"data:image/png;base64,iVBORw0KGgo=\"\n",
            "x\n",
        ),
    );
    site.build_ok();
    let page = site.page("/tin/anh/");
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"data:image/png;base64,iVBORw0KGgo=\">"
        ),
        "{page}"
    );
    assert!(!page.contains("javascript:"));
}
