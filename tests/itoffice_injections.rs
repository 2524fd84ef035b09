//! What the province's IT office runs `bantin check` for: proof that no
//! ward's content carries links planted as on the hacked PHP portals, however
//! they are hidden or written, and no false alarm on a portal's own links to
//! the state's sites. Each case is an article file, checked by the real binary.

mod common;

use common::*;

/// A site of one article per body, `content/tin/<name>.md`, with `site_yaml`
/// after the test site's own settings.
fn site_of(site_yaml: &str, bodies: &[(&str, &str)]) -> TestSite {
    let site = TestSite::new(&[]);
    site.write("site.yaml", &format!("{SITE_YAML}{site_yaml}"));
    for (name, body) in bodies {
        site.write(
            &format!("content/tin/{name}.md"),
            &article(
                &format!("Tin {name}"),
                "2024-03-01 08:00",
                "Tin tức",
                &format!("Đoạn đầu của tin.\n\n{body}\n"),
            ),
        );
    }
    site
}

/// The lines of `report` about `content/tin/<name>.md`.
fn about<'a>(report: &'a str, name: &str) -> Vec<&'a str> {
    let path = format!("content/tin/{name}.md:");
    report.lines().filter(|l| l.starts_with(&path)).collect()
}

#[test]
fn scripts_refreshes_frames_and_noscript_blocks_sending_readers_away_are_refused() {
    // `html: keep` publishes HTML as written: each of these reaches readers
    // (or crawlers) as the hacked portals had them.
    let cases: &[(&str, &str, &str)] = &[
        (
            "script",
            r#"<script>if (document.referrer.indexOf("google") > 0) window.location = "https://okvip.example/";</script>"#,
            "a script that sends the reader there",
        ),
        (
            "char-codes",
            "<script>location.href = String.fromCharCode(104,116,116,112,115,58,47,47,111,107,118,105,112,46,101,120,97,109,112,108,101);</script>",
            "a script that sends the reader there",
        ),
        (
            "hex-escapes",
            r#"<script>window.location = "\x68\x74\x74\x70\x73\x3a\x2f\x2fokvip.example";</script>"#,
            "a script that sends the reader there",
        ),
        (
            "base64",
            r#"<script>eval(atob("bG9jYXRpb249J2h0dHBzOi8vb2t2aXAuZXhhbXBsZS8n"));</script>"#,
            "a script that sends the reader there",
        ),
        (
            "written",
            r#"<script>document.write(unescape("%3Ca%20href%3D%22https%3A%2F%2Fokvip.example%2F%22%3Enh%C3%A0%20c%C3%A1i%3C%2Fa%3E"));</script>"#,
            "a script that sends the reader there or writes the link",
        ),
        (
            "js-link",
            r#"<a href="javascript:location=atob('aHR0cHM6Ly9va3ZpcC5leGFtcGxlLw==')">Xem thêm</a>"#,
            "a script that sends the reader there",
        ),
        (
            "refresh",
            r#"<meta http-equiv="refresh" content="0; url=https://okvip.example/">"#,
            "a <meta http-equiv=\"refresh\"> that sends the reader there",
        ),
        (
            "frame",
            r#"<iframe src="https://okvip.example/" width="0" height="0"></iframe>"#,
            "a frame of no size",
        ),
        (
            "noscript",
            r#"<noscript><a href="https://okvip.example/">nhà cái uy tín</a></noscript>"#,
            "a <noscript>, read by search engines and never shown",
        ),
        (
            "pixel",
            r#"<a href="https://okvip.example/"><img src="/p.gif" width="1" height="1" alt=""></a>"#,
            "a link with nothing to see or click",
        ),
    ];
    let bodies: Vec<(&str, &str)> = cases.iter().map(|(n, b, _)| (*n, *b)).collect();
    let site = site_of("html: keep\n", &bodies);
    let out = site.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    for (name, _, how) in cases {
        let lines = about(&report, name);
        assert!(
            lines.iter().any(|l| l.contains(&format!(
                "error: a link to okvip.example hidden from readers ({how}"
            ))),
            "{name}: {lines:?}\n{report}"
        );
    }
    // And the build publishes none of them.
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(!site.public().join("index.html").exists());
}

#[test]
fn a_noscript_link_farm_is_refused_where_html_is_sanitised() {
    // The sanitiser turned the block into text: the betting link's markup was
    // published for every reader to see, and check said nothing.
    let site = site_of(
        "",
        &[(
            "dan-van",
            "<noscript><p><a href=\"https://jun88.example/\">nhà cái jun88</a> <a href=\"https://mu88.example/\">cá cược</a></p></noscript>",
        )],
    );
    let out = site.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report = stdout(&out);
    let lines = about(&report, "dan-van");
    for host in ["jun88.example", "mu88.example"] {
        assert!(
            lines.iter().any(|l| l.contains(&format!(
                "error: a link to {host} hidden from readers (a <noscript>"
            ))),
            "{host}: {lines:?}"
        );
    }
}

#[test]
fn betting_hosts_are_known_however_their_names_are_written() {
    // Each leads a browser to okvip (or a name a reader reads as okvip).
    let written = [
        ("percent", "[Xem thêm](https://%6Fkvip.example/)"),
        ("fullwidth", "[Xem thêm](https://ｏｋｖｉｐ.example/)"),
        ("tone", "[Xem thêm](https://okvíp.example/)"),
        (
            "punycode",
            "<a href=\"https://xn--okvp-xpa.example/\">Xem thêm</a>",
        ),
        ("cyrillic", "[Xem thêm](https://\u{43e}kvip.example/)"),
        (
            "backslash",
            r#"<a href="https:\\%6Fkvip.example\">Xem</a> <a href="https:\\jun%38%38.example">Xem</a>"#,
        ),
    ];
    let site = site_of("", &written);
    // A betting brand's host is an error without `--strict`: no portal links to one.
    let out = site.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    for (name, _) in written {
        let lines = about(&report, name);
        assert!(
            lines.iter().any(|l| l.contains(": error: a link to")
                && l.contains(", a betting site (it matches `")),
            "{name}: {lines:?}\n{report}"
        );
    }
}

#[test]
fn a_portals_links_to_state_sites_and_maps_are_no_alarm() {
    let site = site_of(
        "",
        &[
            (
                "nghi-dinh",
                "Theo [Nghị định 03/2017/NĐ-CP về kinh doanh casino](https://vanban.chinhphu.vn/?pageid=27160&docid=188420) \
                 và [Nghị định 06/2017/NĐ-CP về kinh doanh đặt cược](https://thuvienphapluat.vn/van-ban/Thuong-mai/Nghi-dinh-06-2017.aspx).",
            ),
            (
                "cong-an",
                "Báo Công an nhân dân: [Triệt phá đường dây cá độ bóng đá qua mạng](https://cand.com.vn/phap-luat/triet-pha/) \
                 và [đánh bạc bằng hình thức xóc đĩa](https://congan.com.vn/tin-chinh/xoc-dia.html); \
                 xem [Cổng dịch vụ công](https://dichvucong.gov.vn/) và [Bộ Công an](https://bocongan.gov.vn/).",
            ),
            (
                "lien-he",
                "<iframe src=\"https://www.google.com/maps/embed?pb=!1m18!1m12\" width=\"600\" height=\"450\" style=\"border:0;\" allowfullscreen=\"\" loading=\"lazy\"></iframe>",
            ),
            (
                // Pasted from the old portal: share icons (an icon font, no
                // text) and the Facebook plugin's own loader.
                "chia-se",
                r#"<p><a href="https://www.facebook.com/sharer/sharer.php?u=https://phuongmau.example.gov.vn/"><i class="fa fa-facebook"></i></a> <a href="https://zalo.me/share"><span class="icon-zalo"></span></a> <a class="banner-dvc" href="https://dichvucong.gov.vn/" title="Cổng dịch vụ công quốc gia"></a></p>
<div id="fb-root"></div>
<script>(function(d, s, id) { var js, fjs = d.getElementsByTagName(s)[0]; if (d.getElementById(id)) return; js = d.createElement(s); js.id = id; js.src = "https://connect.facebook.net/vi_VN/sdk.js#xfbml=1&version=v3.2"; fjs.parentNode.insertBefore(js, fjs); }(document, 'script', 'facebook-jssdk'));</script>"#,
            ),
        ],
    );
    let out = site.check(&["--strict"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn betting_links_in_front_matter_are_named_at_their_field() {
    let site = TestSite::new(&[(
        "content/tin/hop-dan.md",
        &article_with(
            "Họp dân khu phố 3",
            "2024-03-01 08:00",
            "Tin tức",
            "summary: \"Xem <a href=\\\"https://okvip.example/\\\">nhà cái uy tín</a>\"\n\
             image: \"https://cdn.jun88.example/banner.jpg\"\n\
             source: \"Theo https://mu88.example/tin\"\n\
             extra:\n  video: \"https://sv388.example/live\"\n",
            "Ngày 01/3, khu phố 3 họp dân.\n",
        ),
    )]);
    let out = site.check(&[]);
    let report = stdout(&out);
    // Lines: title 2, date 3, category 4, views 5, then the fields from 6.
    for (line, field, host) in [
        (6, "summary", "okvip.example"),
        (7, "image", "cdn.jun88.example"),
        (8, "source", "mu88.example"),
        (9, "extra", "sv388.example"),
    ] {
        // Each a betting brand's host: an error, as in a body.
        let expected = format!(
            "content/tin/hop-dan.md:{line}:1: error: the `{field}:` field leads to {host}, which looks like a betting site"
        );
        assert!(
            report.lines().any(|l| l.starts_with(&expected)),
            "{expected}\n{report}"
        );
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn links_to_names_dressed_as_government_sites_are_named() {
    let site = site_of(
        "",
        &[(
            "dich-vu-cong",
            "Nộp hồ sơ tại [Cổng dịch vụ công](https://dichvucong.gov.vn.example-ho-so.com/) \
             hoặc <a href=\"https://chinhphu-gov-vn.top/\">Cổng Chính phủ</a>; \
             tra cứu tại [Bộ Tư pháp](https://m\u{43e}j.gov.vn/) và [Bộ Tư pháp](https://moj.gov.vn/).",
        )],
    );
    let out = site.check(&[]);
    let report = stdout(&out);
    let lines = about(&report, "dich-vu-cong");
    for (host, why) in [
        (
            "dichvucong.gov.vn.example-ho-so.com",
            "its name ends in .com, not .gov.vn",
        ),
        ("chinhphu-gov-vn.top", "its name ends in .top, not .gov.vn"),
        (
            // Shown with the letters a reader sees beside it.
            "xn--mj-fmc.gov.vn (m\u{43e}j.gov.vn)",
            "m\u{43e}j.gov.vn is written with letters of another alphabet",
        ),
    ] {
        let expected = format!("a link to {host}, which only looks like a government site: {why}");
        assert!(
            lines.iter().any(|l| l.contains(&expected)),
            "{expected}\n{lines:?}"
        );
    }
    assert_eq!(lines.len(), 3, "moj.gov.vn itself is not named: {lines:?}");
    // A Markdown link is named at its own line and column, an HTML link
    // where the file writes its host (the body starts on line 7).
    for host in ["dichvucong", "chinhphu-gov-vn"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("content/tin/dich-vu-cong.md:10:") && l.contains(host)),
            "{host}: {lines:?}"
        );
    }
}

#[test]
fn text_sized_in_em_rem_or_percent_is_not_taken_for_hidden_text() {
    // Word and the old portals' editors write sizes in em, rem and %: `1em`
    // is ordinary text, and the build stopped on it as a hidden link.
    let site = site_of(
        "",
        &[
            (
                "em",
                r#"<p style="font-size:1em">Xem <a href="https://chinhphu.vn/">Cổng Chính phủ</a></p>"#,
            ),
            (
                "rem",
                r#"<p><span style="font-size: 0.9rem;">Theo <a href="https://moj.gov.vn/">Bộ Tư pháp</a></span></p>"#,
            ),
            (
                "percent",
                r#"<div style="font-size:85%;max-height:10em;overflow:hidden"><a href="https://hanoi.gov.vn/">Hà Nội</a></div>"#,
            ),
        ],
    );
    let out = site.check(&["--strict"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    // Text no one can read is hidden, whatever its unit.
    let site = site_of(
        "",
        &[
            (
                "pt",
                r#"<span style="font-size:1pt"><a href="https://okvip.example/">.</a></span>"#,
            ),
            (
                "tiny-em",
                r#"<span style="font-size:0.05em"><a href="https://okvip.example/">nhà cái</a></span>"#,
            ),
        ],
    );
    let out = site.check(&[]);
    let report = stdout(&out);
    for name in ["pt", "tiny-em"] {
        assert!(
            about(&report, name)
                .iter()
                .any(|l| l.contains("hidden from readers (font-size:0)")),
            "{name}\n{report}"
        );
    }
}

#[test]
fn betting_banners_and_planted_alt_texts_are_named_at_the_picture() {
    let site = site_of(
        "",
        &[
            ("banner", "![Nhà cái uy tín](https://cdn.okvip.example/banner.gif)"),
            (
                "html-banner",
                r#"<p><img src="https://jun88.example/b.gif" alt="Khuyến mãi"></p>"#,
            ),
            (
                "alt-address",
                "![Hội nghị tổng kết https://mu88.example/ nhà cái](/images/hoi-nghi.jpg)",
            ),
            (
                "alt-brand",
                "![Hội nghị tổng kết năm - OKVIP - đăng ký nhận thưởng](/images/hoi-nghi.jpg)",
            ),
            // An honest photo of a meeting on fighting gambling, and a
            // banner of the national public service portal.
            (
                "hop-phong-chong",
                "![Hội nghị tuyên truyền phòng chống cá độ bóng đá](/images/hoi-nghi.jpg)\n\n![Cổng dịch vụ công quốc gia](https://dichvucong.gov.vn/banner.png)",
            ),
        ],
    )
    .with_bytes("content/images/hoi-nghi.jpg", b"\xFF\xD8\xFF\xE0 a photo");
    let out = site.check(&[]);
    let report = stdout(&out);
    for (name, expected) in [
        (
            "banner",
            // A picture from a betting brand's host: an error, as a link there is.
            "10:1: error: the picture `https://cdn.okvip.example/banner.gif` from cdn.okvip.example looks like a betting banner (it matches `okvip`)",
        ),
        (
            "html-banner",
            // An HTML picture, found in the file by its address.
            "10:14: error: the picture `https://jun88.example/b.gif` from jun88.example looks like a betting banner (it matches `jun88`)",
        ),
        (
            "alt-address",
            "10:1: warning: the alt text of the picture `/images/hoi-nghi.jpg` holds an address at mu88.example: readers never see it, search engines read it",
        ),
        (
            "alt-brand",
            "10:1: warning: the alt text of the picture `/images/hoi-nghi.jpg` holds the betting brand `okvip`",
        ),
    ] {
        assert!(
            about(&report, name).iter().any(|l| l.contains(expected)),
            "{name}: {expected}\n{report}"
        );
    }
    assert_eq!(about(&report, "hop-phong-chong"), Vec::<&str>::new());
}

#[test]
fn betting_links_in_a_documents_fields_are_named_at_their_field() {
    // A document's fields are shown on its page, in the register and in its
    // open data; they were never read for links.
    let site = TestSite::new(&[(
        "content/van-ban/2024/qd-25.md",
        "---\nnumber: \"25/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"Ủy ban nhân dân phường An Khánh\"\nissued: 2024-03-12\n\
         title: \"Ban hành Quy chế tiếp công dân\"\nsigner: \"<a href='https://okvip.example/'>Nguyễn Văn A</a>\"\n\
         field: \"Đất đai https://jun88.example/\"\n---\n\nQuyết định ban hành quy chế.\n",
    )]);
    let out = site.check(&[]);
    let report = stdout(&out);
    for (line, field, host) in [
        (7, "signer", "okvip.example"),
        (8, "field", "jun88.example"),
    ] {
        let expected = format!(
            "content/van-ban/2024/qd-25.md:{line}:1: error: the `{field}:` field leads to {host}, which looks like a betting site"
        );
        assert!(
            report.lines().any(|l| l.starts_with(&expected)),
            "{expected}\n{report}"
        );
    }
}

/// The diagnostics of `bantin check --format json` about
/// `content/tin/<name>.md`.
fn json_about(out: &std::process::Output, name: &str) -> Vec<serde_json::Value> {
    let path = format!("content/tin/{name}.md");
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["path"] == path.as_str())
        .collect()
}

/// The 1-based line and column (in characters) where `needle` is first
/// written in the site's file `rel`.
fn written_at(site: &TestSite, rel: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    let (i, line) = (text.lines().enumerate())
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} is not in {rel}"));
    let column = line[..line.find(needle).unwrap()].chars().count();
    (i as u64 + 1, column as u64 + 1)
}

#[test]
fn a_planted_link_with_an_encoded_host_is_named_where_its_host_is_written() {
    // Each body has a line before the link, so the body's first line is not
    // where the link is; the second hidden link to the same host is named at
    // its own line, not the first one's.
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "percent",
            r#"<div style="display:none"><a href="https://%6Fkvip.example/">x</a></div>"#,
            "okvip.example",
            "%6Fkvip",
        ),
        (
            "decimal",
            r#"<div style="display:none"><a href="https://&#111;kvip.example/">x</a></div>"#,
            "okvip.example",
            "&#111;kvip",
        ),
        (
            "hex",
            r#"<p>Xem <span style="font-size:0"><a href="https://&#x6a;&#x75;n88.example/">x</a></span></p>"#,
            "jun88.example",
            "&#x6a;",
        ),
        (
            "fullwidth",
            r#"<div style="display:none"><a href="https://ＯＫＶＩＰ．example/">x</a></div>"#,
            "okvip.example",
            "ＯＫＶＩＰ",
        ),
        (
            "cyrillic",
            "<div style=\"display:none\"><a href=\"https://\u{43e}kvip.example/\">x</a></div>",
            "xn--kvip-45d.example",
            "\u{43e}kvip",
        ),
        (
            "script-escapes",
            r#"<script>window.location = "\x68\x74\x74\x70\x73\x3a\x2f\x2f\x6f\x6bvip.example";</script>"#,
            "okvip.example",
            r"\x6f\x6bvip",
        ),
        (
            "base64",
            r#"<script>eval(atob("bG9jYXRpb249J2h0dHBzOi8vb2t2aXAuZXhhbXBsZS8n"));</script>"#,
            "okvip.example",
            "bG9jYXRpb249",
        ),
        (
            // The script is named at its own line, not at the link after it.
            "char-codes",
            "<script>location.href = String.fromCharCode(104,116,116,112,115,58,47,47,111,107,118,105,112,46,101,120,97,109,112,108,101);</script>\n\n<div style=\"display:none\"><a href=\"https://okvip.example/\">x</a></div>",
            "okvip.example",
            "fromCharCode",
        ),
        (
            "twice",
            "<div style=\"display:none\"><a href=\"https://&#111;kvip.example/\">x</a></div>\n\nĐoạn giữa.\n\n<div style=\"display:none\"><a href=\"https://%6fkvip.example/\">y</a></div>",
            "okvip.example",
            "%6fkvip",
        ),
    ];
    let bodies: Vec<(&str, String)> = (cases.iter())
        .map(|(name, body, _, _)| (*name, format!("Đoạn hai.\n\n{body}")))
        .collect();
    let bodies: Vec<(&str, &str)> = bodies.iter().map(|(n, b)| (*n, b.as_str())).collect();
    let site = site_of("html: keep\n", &bodies);
    let out = site.check(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for (name, _, host, written) in cases {
        let (line, column) = written_at(&site, &format!("content/tin/{name}.md"), written);
        let found = json_about(&out, name);
        assert!(
            found.iter().any(|d| d["kind"] == "hidden-link"
                && d["host"] == *host
                && d["line"] == line
                && d["column"] == column),
            "{name}: expected {host} at {line}:{column}, found {found:#?}"
        );
    }
}

#[test]
fn a_betting_picture_with_an_encoded_address_is_named_where_it_is_written() {
    // An HTML picture is found in the file by its address; one whose host
    // is written with character references was named at the body's first
    // line (as links were before), for an editor to search the whole body.
    let cases: &[(&str, &str, &str)] = &[
        (
            "decimal",
            r#"<p><img src="https://&#106;un88.example/a.gif" alt="Khuyến mãi"></p>"#,
            "https://&#106;un88",
        ),
        (
            "hex",
            r#"<p>Ảnh: <img src="https://&#x6a;&#x75;n88.example/b.gif" alt="Khuyến mãi"></p>"#,
            "https://&#x6a;",
        ),
        (
            "percent",
            r#"<p><img alt="Khuyến mãi" src="https://%6Aun88.example/c.gif"></p>"#,
            "https://%6Aun88",
        ),
    ];
    let bodies: Vec<(&str, String)> = (cases.iter())
        .map(|(name, body, _)| (*name, format!("Đoạn hai.\n\n{body}")))
        .collect();
    let bodies: Vec<(&str, &str)> = bodies.iter().map(|(n, b)| (*n, b.as_str())).collect();
    // A banner without alt text after a photo without one: named at its
    // own line, not at the photo's (the first picture of the same alt text).
    let after_a_photo =
        "![](/images/hoi-nghi.jpg)\n\n<p><img src=\"https://jun88.example/e.gif\" alt=\"\"></p>";
    let mut bodies = bodies;
    bodies.push(("after-a-photo", after_a_photo));
    let cases = [
        cases,
        &[("after-a-photo", "", "https://jun88.example/e.gif")],
    ]
    .concat();
    for html in ["", "html: keep\n"] {
        let site =
            site_of(html, &bodies).with_bytes("content/images/hoi-nghi.jpg", b"\xFF\xD8 a photo");
        let out = site.check(&["--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        for (name, _, written) in &cases {
            let (line, column) = written_at(&site, &format!("content/tin/{name}.md"), written);
            let found = json_about(&out, name);
            assert!(
                found.iter().any(|d| d["kind"] == "betting-picture"
                    && d["host"] == "jun88.example"
                    && d["severity"] == "error"
                    && d["line"] == line
                    && d["column"] == column),
                "{html}{name}: expected a picture from jun88.example at {line}:{column}, found {found:#?}"
            );
        }
    }
}

#[test]
fn a_look_alike_name_is_shown_in_the_letters_a_reader_sees_and_refused() {
    // `vіetcombank.vn` with a Cyrillic `і`: a bank's name, to phish.
    let site = site_of(
        "",
        &[(
            "ngan-hang",
            "Đăng nhập tại [Vietcombank](https://v\u{456}etcombank.vn/) hoặc [Vietcombank](https://vietcombank.com.vn/).",
        )],
    );
    let out = site.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report = stdout(&out);
    let lines = about(&report, "ngan-hang");
    assert_eq!(lines.len(), 1, "the real bank is not named: {lines:?}");
    assert!(
        lines[0].contains("error: a link to xn--")
            && lines[0].contains(" (v\u{456}etcombank.vn), a look-alike name"),
        "{lines:?}"
    );
}

#[test]
fn check_says_in_json_and_exit_status_what_an_audit_records() {
    let site = site_of(
        "",
        &[
            (
                "sach",
                "Tin bình thường, [Cổng Chính phủ](https://chinhphu.vn/).",
            ),
            (
                "ca-cuoc",
                "[Nhà cái uy tín](https://example.com/khuyen-mai)",
            ),
            ("jun88", "[Xem thêm](https://jun88.example/)"),
            ("anh", "![](/khong-co-chu.jpg)"),
        ],
    );
    let out = site.check(&["--format", "json"]);
    // A betting brand's host is found without --strict: the run fails.
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let jun88 = json_about(&out, "jun88");
    assert_eq!(jun88.len(), 1, "{jun88:#?}");
    assert_eq!(jun88[0]["severity"], "error");
    assert_eq!(jun88[0]["kind"], "betting-link");
    assert_eq!(jun88[0]["host"], "jun88.example");
    let (line, column) = written_at(&site, "content/tin/jun88.md", "[Xem thêm]");
    assert_eq!(
        (&jun88[0]["line"], &jun88[0]["column"]),
        (&line.into(), &column.into())
    );
    // The trade's words alone may be an honest article's: a warning.
    let words = json_about(&out, "ca-cuoc");
    assert_eq!(words[0]["severity"], "warning", "{words:#?}");
    assert_eq!(words[0]["kind"], "betting-link");
    assert_eq!(words[0]["host"], "example.com");
    // Any other problem has no kind and no host; the fields are all there.
    let other = json_about(&out, "anh");
    assert!(!other.is_empty());
    for d in &other {
        assert_eq!(d["kind"], serde_json::Value::Null, "{d}");
        assert_eq!(d["host"], serde_json::Value::Null, "{d}");
        for field in ["path", "line", "column", "severity", "message", "hint"] {
            assert!(d.get(field).is_some(), "{field}: {d}");
        }
    }
    assert!(json_about(&out, "sach").is_empty());

    // A clean site passes; a folder with no site could not be checked (2),
    // which is not a site found at fault (1).
    let clean = site_of("", &[("sach", "Tin bình thường.")]);
    assert_eq!(clean.check(&[]).status.code(), Some(0));
    let nothing = tempfile::tempdir().unwrap();
    let out = bantin()
        .args(["check", "--format", "json", "--root"])
        .arg(nothing.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stdout(&out).contains("site.yaml"), "{}", stdout(&out));
}

#[test]
fn a_body_of_thousands_of_planted_links_is_checked_in_seconds_each_at_its_line() {
    // A link farm as hacked portals carried: 2,000 hidden links to 50 hosts,
    // then a long text. The body was read again for each link (minutes).
    let links: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                "<div style=\"display:none\"><a href=\"https://site{}.example/\">x{i}</a></div>",
                i % 50
            )
        })
        .collect();
    let body = format!(
        "{}\n\n{}",
        links.join("\n\n"),
        "Lorem ipsum dolor sit amet. ".repeat(20_000)
    );
    let site = site_of("", &[("trang-trai", &body)]);
    let started = std::time::Instant::now();
    let out = site.check(&[]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let lines = about(&report, "trang-trai");
    assert_eq!(lines.len(), 2000);
    // Link i is on line 10 + 2i (the body starts on line 8); the 51st link
    // to a host is at its own line, not the first one's.
    for i in [0usize, 50, 1999] {
        let expected = format!(
            "content/tin/trang-trai.md:{}:44: error: a link to site{}.example hidden",
            10 + 2 * i,
            i % 50
        );
        assert!(lines.iter().any(|l| l.starts_with(&expected)), "{expected}");
    }
}
