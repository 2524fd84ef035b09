//! Files of content/ that a browser would run scripts of (SVG, HTML, XHTML,
//! XML), copied to public/ as they are and served from the portal's address:
//! each hostile sample below really runs in Chromium off a plain static server
//! (`python3 -m http.server`), where it could read the editor's sign-in (so the
//! rules are not guesses); the build refuses each at its file and line and
//! leaves public/ as it was, and copies the ordinary ones (a logo from
//! Illustrator, a draw.io chart, a search engine's verification page) byte
//! for byte.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;
use serde_json::json;

/// `(file under content/, its text, what the build says of it)`: each writes
/// `ran-<name>` to localStorage when opened (some when `#l` is clicked).
fn hostile() -> Vec<(&'static str, String, &'static str)> {
    let ran = |name: &str| format!("localStorage.setItem('ran-{name}','1')");
    let svg =
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">"#;
    vec![
        (
            "images/logo.svg",
            format!(
                "{svg}\n<script>{}</script><rect width='9' height='9'/></svg>",
                ran("logo.svg")
            ),
            "content/images/logo.svg:2:1: error: a <script> element: a browser opening the file runs it at the portal's address",
        ),
        (
            "images/onload.svg",
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" onload="{}"/>"#,
                ran("onload.svg")
            ),
            "content/images/onload.svg:1:1: error: an event handler (`onload`)",
        ),
        (
            "images/entity.svg",
            format!(
                "<!DOCTYPE svg [\n<!ENTITY s \"<script>{}</script>\">\n]>\n{svg}&s;</svg>",
                ran("entity.svg")
            ),
            "content/images/entity.svg:1:1: error: a DOCTYPE that declares an entity holding markup",
        ),
        (
            "images/attlist.svg",
            format!(
                "<!DOCTYPE svg [\n<!ATTLIST svg onload CDATA \"{}\">\n]>\n{svg}</svg>",
                ran("attlist.svg")
            ),
            "content/images/attlist.svg:1:1: error: a DOCTYPE that declares more than plain-text entities",
        ),
        (
            "images/entity-href.svg",
            format!(
                "<!DOCTYPE svg [<!ENTITY j \"javascript\">]>\n{svg}\n<a id='l' xlink:href=\"&j;:{}\"><rect width='99' height='99'/></a></svg>",
                ran("entity-href.svg")
            ),
            "content/images/entity-href.svg:3:1: error: a script address in `href`",
        ),
        (
            "images/set-href.svg",
            format!(
                "{svg}<a id='l'><set attributeName='href' to=\"javascript:{}\"/><rect width='99' height='99'/></a></svg>",
                ran("set-href.svg")
            ),
            "content/images/set-href.svg:1:94: error: a script address in `to`",
        ),
        (
            "images/chart.svg",
            format!(
                "{svg}<foreignObject width='9' height='9'><div xmlns='http://www.w3.org/1999/xhtml'><img src='x' onerror=\"{}\"/></div></foreignObject></svg>",
                ran("chart.svg")
            ),
            "content/images/chart.svg:1:162: error: an event handler (`onerror`)",
        ),
        (
            "cu/trang.html",
            format!(
                "<!doctype html>\n<p>Trang cũ</p>\n<p><img src=x onerror=\"{}\"></p>",
                ran("trang.html")
            ),
            "content/cu/trang.html:3:15: error: an event handler (`onerror`)",
        ),
        (
            "cu/trang.xhtml",
            format!(
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n<script>{}</script></body></html>",
                ran("trang.xhtml")
            ),
            "content/cu/trang.xhtml:2:1: error: a <script> element",
        ),
        (
            "cu/du-lieu.xml",
            format!(
                "<?xml version=\"1.0\"?>\n<ds><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">{}</h:script></ds>",
                ran("du-lieu.xml")
            ),
            "content/cu/du-lieu.xml:2:5: error: a <script> element",
        ),
    ]
}

/// Files a portal really holds, which run nothing.
fn ordinary() -> Vec<(&'static str, String)> {
    vec![
        (
            // Illustrator's old exports name their namespaces with entities.
            "images/logo-ai.svg",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- Generator: Adobe Illustrator 16.0.0 -->\n\
             <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n\
             \t<!ENTITY ns_extend \"http://ns.adobe.com/Extensibility/1.0/\">\n\
             \t<!ENTITY ns_ai \"http://ns.adobe.com/AdobeIllustrator/10.0/\">\n]>\n\
             <svg version=\"1.1\" xmlns:x=\"&ns_extend;\" xmlns:i=\"&ns_ai;\" xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"90\" height=\"90\" i:viewOrigin=\"0 0\">\n\
             <defs><radialGradient id=\"g\"><stop offset=\"0\" stop-color=\"#d00\"/></radialGradient></defs>\n\
             <circle cx=\"45\" cy=\"45\" r=\"40\" fill=\"url(#g)\"/><use xlink:href=\"#g\"/>\n\
             <image width=\"9\" height=\"9\" xlink:href=\"data:image/png;base64,iVBORw0KGgo=\"/></svg>\n"
                .to_string(),
        ),
        (
            // draw.io writes its labels as XHTML in a <foreignObject>.
            "images/so-do-to-chuc.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"60\"><g>\
             <rect width=\"200\" height=\"60\" fill=\"#fff\" stroke=\"#000\"/>\
             <foreignObject width=\"200\" height=\"60\"><div xmlns=\"http://www.w3.org/1999/xhtml\" \
             style=\"display:flex\"><div>Chủ tịch UBND phường</div></div></foreignObject>\
             <a href=\"https://ubnd.example.gov.vn/\"><text x=\"5\" y=\"50\">UBND</text></a></g></svg>"
                .to_string(),
        ),
        (
            "google1a2b3c4d5e.html",
            "google-site-verification: google1a2b3c4d5e.html".to_string(),
        ),
        (
            "cu/index.html",
            "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=\"0; url=/dan-van/\">\
             <title>Đã chuyển</title><p><a href=\"/dan-van/\">Trang đã chuyển</a></p>"
                .to_string(),
        ),
        (
            "mo/du-lieu.xml",
            "<?xml version=\"1.0\"?>\n<ds><item one=\"1\"><script>a field named so</script></item></ds>"
                .to_string(),
        ),
    ]
}

#[test]
fn a_script_in_a_copied_svg_html_or_xml_file_stops_the_build_at_its_line_and_public_stays() {
    let site = TestSite::good();
    for (rel, text) in ordinary() {
        site.write(&format!("content/{rel}"), &text);
    }
    site.build_ok();
    // The ordinary files are published as they are.
    for (rel, text) in ordinary() {
        assert_eq!(
            std::fs::read(site.public().join(rel)).unwrap(),
            text.as_bytes(),
            "{rel}"
        );
    }
    let before = tree(&site.public());
    for (rel, text, _) in hostile() {
        site.write(&format!("content/{rel}"), &text);
    }
    for command in ["build", "check"] {
        let out = bantin()
            .arg(command)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap();
        // `check` reports on its standard output, `build` on its errors.
        let err = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!out.status.success(), "{command} should fail:\n{err}");
        for (_, _, expected) in hostile() {
            assert!(
                err.contains(expected),
                "{command}: no `{expected}` in:\n{err}"
            );
        }
        assert!(err.contains("hint: a picture needs no script"), "{err}");
        assert!(
            err.contains("hint: delete the lines between `[` and `]>`"),
            "{err}"
        );
    }
    assert!(
        tree(&site.public()) == before,
        "a failed build changed public/"
    );
    assert!(leftovers(&site.root()).is_empty());
}

#[test]
fn server_side_pages_compressed_svg_and_untyped_pages_are_refused_with_what_to_do() {
    let site = TestSite::good();
    site.build_ok();
    let before = tree(&site.public());
    site.write("content/images/up.php", "<?php system($_GET['c']); ?>");
    site.write("content/cu/Default.aspx", "<%@ Page Language=\"C#\" %>");
    site.write_bytes("content/images/logo.svgz", b"\x1f\x8b\x08\x00");
    // No ending: a host that sends no type lets Chromium take it for a page.
    site.write("content/cu/tin", "<html><script>x</script></html>");
    site.write("content/CNAME", "phuongmau.gov.vn\n");
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    for expected in [
        "content/images/up.php: error: a page of server-side code",
        "content/cu/Default.aspx: error: a page of server-side code",
        "list it under the article's `aliases:`",
        "content/images/logo.svgz: error: a compressed SVG picture",
        "save it as a plain .svg",
        "content/cu/tin:1:7: error: a <script> element",
    ] {
        assert!(err.contains(expected), "no `{expected}` in:\n{err}");
    }
    assert!(!err.contains("CNAME"), "{err}");
    assert!(tree(&site.public()) == before);
}

/// `python3 -m http.server` on `dir`, killed when dropped.
struct StaticHost {
    child: Child,
    origin: String,
}

impl StaticHost {
    fn start(dir: &std::path::Path) -> StaticHost {
        let mut child = Command::new("python3")
            .args(["-u", "-m", "http.server", "--bind", "127.0.0.1", "0"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 is installed (.ci/run installs it)");
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split(" port ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        StaticHost {
            child,
            origin: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn what_the_build_refuses_runs_in_chromium_off_a_static_host() {
    let site = TestSite::good();
    site.build_ok();
    // The hostile files as a build that copied them would publish them (or as
    // planted on the host): public/ is what the host serves.
    for (rel, text, _) in hostile() {
        let path = site.public().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let host = StaticHost::start(&site.public());
    let files: Vec<String> = hostile()
        .iter()
        .map(|(rel, _, _)| format!("/{rel}"))
        .collect();
    let report = browser_check(
        "scripted_files.mjs",
        &[host.origin.as_ref()],
        &json!({ "files": files }),
    );
    for file in &files {
        assert_eq!(report["opened"][file], 200, "{file}: {report}");
    }
    let mut expected: Vec<String> = hostile()
        .iter()
        .map(|(rel, _, _)| format!("ran-{}", rel.rsplit('/').next().unwrap()))
        .collect();
    expected.sort();
    let ran: Vec<String> = serde_json::from_value(report["ran"].clone()).unwrap();
    assert_eq!(ran, expected, "each refused file ran at the site's address");
}

#[test]
fn a_script_added_to_a_copied_svg_stops_a_cached_build_too() {
    // `build --cache` patches the last build when only some files changed: a
    // logo that gains a script keeps its name, so the list of files is the same.
    let site = TestSite::good();
    let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"9\" height=\"9\"/></svg>";
    site.write("content/images/logo.svg", logo);
    let cache = site.root().join("cache");
    let cached = || site.build(&["--cache", cache.to_str().unwrap()]);
    assert!(cached().status.success());
    let before = tree(&site.public());
    // A later second, as a save after the build is; a new file, as most
    // editors save (for one saved in place, see the next test).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.remove("content/images/logo.svg");
    site.write(
        "content/images/logo.svg",
        &logo.replace("<rect", "<script>x</script><rect"),
    );
    let out = cached();
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "the cached build should fail:\n{err}"
    );
    assert!(
        err.contains("content/images/logo.svg:1:41: error: a <script> element"),
        "{err}"
    );
    let after = tree(&site.public());
    let changed: Vec<&String> = after
        .keys()
        .chain(before.keys())
        .filter(|k| after.get(*k) != before.get(*k))
        .collect();
    assert!(changed.is_empty(), "public/ changed: {changed:?}");
}

#[test]
fn a_script_written_into_a_published_svg_in_place_does_not_reach_public() {
    // Editors that keep hard links (vim), VS Code and `cp` onto an existing
    // file rewrite a file in place: had public/ linked the logo, it would
    // carry the script at once, with no build, and after the build refused it.
    for cached in [false, true] {
        let site = TestSite::good();
        let logo =
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"9\" height=\"9\"/></svg>";
        site.write("content/images/logo.svg", logo);
        let cache = site.root().join("cache");
        let build = || match cached {
            true => site.build(&["--cache", cache.to_str().unwrap()]),
            false => site.build(&[]),
        };
        assert!(build().status.success());
        let before = tree(&site.public());
        let hostile = logo.replace("<rect", "<script>x</script><rect");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(site.root().join("content/images/logo.svg"))
            .unwrap();
        std::io::Write::write_all(&mut file, hostile.as_bytes()).unwrap();
        drop(file);
        assert_eq!(
            std::fs::read_to_string(site.public().join("images/logo.svg")).unwrap(),
            logo,
            "public/ changed with content/ (cached: {cached})"
        );
        let out = build();
        assert!(!out.status.success(), "cached: {cached}");
        assert!(
            stderr(&out).contains("content/images/logo.svg:1:41: error: a <script> element"),
            "{}",
            stderr(&out)
        );
        assert!(tree(&site.public()) == before, "cached: {cached}");
    }
}
