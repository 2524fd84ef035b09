//! The portal's generated pages on a real build of a generated 2,000-article site:
//! paging, category lists, "Tin mới hơn" / "Tin đã đưa", the date archive, the
//! most-read list, feeds, sitemaps, robots.txt, 404 and aliases.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bantin::content::text::{slugify, title_slug};
use common::*;
use jiff::Timestamp;
use scraper::{Html, Selector};
use unicode_normalization::UnicodeNormalization;

/// An article as the corpus files say it, read independently of bantin's parser.
#[derive(Debug, Clone)]
struct Expected {
    file: String,
    title: String,
    date: Timestamp,
    local_date: (i16, i8, i8),
    category: String,
    views: u64,
    tags: Vec<String>,
    url: String,
}

struct Corpus {
    _dir: tempfile::TempDir,
    public: PathBuf,
    /// Published articles, newest first (ties: by file path).
    articles: Vec<Expected>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = generate_corpus(2000, &dir.path().join("site"));
        build_root(&root, &[]);
        let articles = read_expected(&root.join("content"));
        Corpus {
            public: root.join("public"),
            _dir: dir,
            articles,
        }
    })
}

fn read_expected(content: &Path) -> Vec<Expected> {
    let mut articles = Vec::new();
    for (rel, bytes) in tree(content) {
        if !rel.ends_with(".md") {
            continue;
        }
        let text: String = String::from_utf8(bytes)
            .unwrap()
            .nfc()
            .collect::<String>()
            .replace("\r\n", "\n");
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .map(|v| {
                    v.trim_start_matches('\u{feff}')
                        .trim_matches('"')
                        .replace("\\\"", "\"")
                })
        };
        if field("draft").as_deref() == Some("true") {
            continue;
        }
        let title = field("title").unwrap();
        let category = field("category").unwrap();
        let date: Timestamp = field("date").unwrap().parse().unwrap();
        let local = date.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)));
        let slug = field("slug").unwrap_or_else(|| title_slug(&title));
        articles.push(Expected {
            url: format!("/{}/{}/", slugify(&category), slug),
            file: rel,
            title,
            date,
            local_date: (local.year(), local.month(), local.day()),
            category,
            views: field("views").unwrap().parse().unwrap(),
            tags: field("tags")
                .map(|t| {
                    t.trim_matches(['[', ']'])
                        .split(", ")
                        .map(|t| t.trim_matches('"').to_string())
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
    articles
}

fn read_page(public: &Path, site_path: &str) -> Html {
    let file = public
        .join(site_path.trim_start_matches('/'))
        .join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

fn select(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.value().attr("href").unwrap_or_default().to_string())
        .collect()
}

/// Follows `rel="next"` from `first`, returning the article links of every page.
fn walk_list(public: &Path, first: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = Some(first.to_string());
    let mut previous: Option<String> = None;
    while let Some(current) = path {
        let html = read_page(public, &current);
        pages.push(select(&html, "#danh-sach h2 a"));
        let prev = select(&html, "a[rel=prev]");
        assert_eq!(prev.first(), previous.as_ref(), "rel=prev of {current}");
        path = select(&html, "link[rel=next]").first().cloned();
        previous = Some(current);
        assert!(pages.len() < 10_000, "rel=next loops");
    }
    pages
}

fn assert_list_matches(public: &Path, first: &str, expected: &[&Expected]) {
    let pages = walk_list(public, first);
    assert_eq!(
        pages.len(),
        expected.len().div_ceil(20).max(1),
        "pages of {first}"
    );
    for page in &pages[..pages.len() - 1] {
        assert_eq!(page.len(), 20, "a full page of {first}");
    }
    let listed: Vec<String> = pages.into_iter().flatten().collect();
    let wanted: Vec<String> = expected.iter().map(|a| a.url.clone()).collect();
    assert_eq!(listed, wanted, "{first} lists its articles newest first");
}

#[test]
fn news_pages_follow_rel_next_newest_first() {
    let c = corpus();
    let all: Vec<&Expected> = c.articles.iter().collect();
    assert_list_matches(&c.public, "/", &all);
    let last = read_page(&c.public, &format!("/page/{}/", all.len().div_ceil(20)));
    assert!(
        select(&last, "[rel=next]").is_empty(),
        "the last page has no rel=next"
    );
    assert!(
        !select(&last, "[rel=prev]").is_empty(),
        "the last page has rel=prev"
    );
    assert!(
        !c.public
            .join(format!("page/{}", all.len().div_ceil(20) + 1))
            .exists(),
        "no empty page"
    );
}

#[test]
fn every_category_pages_likewise() {
    let c = corpus();
    let mut by_category: BTreeMap<String, Vec<&Expected>> = BTreeMap::new();
    for a in &c.articles {
        by_category.entry(slugify(&a.category)).or_default().push(a);
    }
    assert!(by_category.len() >= 10);
    for (slug, articles) in by_category {
        assert_list_matches(&c.public, &format!("/{slug}/"), &articles);
    }
}

#[test]
fn every_tag_pages_likewise() {
    let c = corpus();
    let mut by_tag: BTreeMap<String, Vec<&Expected>> = BTreeMap::new();
    for a in &c.articles {
        for tag in &a.tags {
            by_tag.entry(slugify(tag)).or_default().push(a);
        }
    }
    assert!(by_tag.len() >= 10);
    let index = read_page(&c.public, "/tags/");
    let linked = select(&index, "a");
    for (slug, articles) in by_tag {
        assert_list_matches(&c.public, &format!("/tags/{slug}/"), &articles);
        assert!(
            linked.contains(&format!("/tags/{slug}/")),
            "/tags/ links to {slug}"
        );
    }
}

#[test]
fn related_lists_start_with_the_nearest_articles() {
    let c = corpus();
    let mut checked = 0;
    for article in c.articles.iter().step_by(37) {
        let same: Vec<&Expected> = c
            .articles
            .iter()
            .filter(|a| a.category == article.category)
            .collect();
        let at = same.iter().position(|a| a.file == article.file).unwrap();
        let html = read_page(&c.public, &article.url);
        let older = select(&html, "#tin-da-dua a");
        let newer = select(&html, "#tin-moi-hon a");
        match same.get(at + 1) {
            Some(nearest_older) => assert_eq!(
                older.first(),
                Some(&nearest_older.url),
                "#tin-da-dua of {}",
                article.url
            ),
            None => assert!(older.is_empty()),
        }
        match at.checked_sub(1).map(|j| same[j]) {
            Some(nearest_newer) => assert_eq!(
                newer.first(),
                Some(&nearest_newer.url),
                "#tin-moi-hon of {}",
                article.url
            ),
            None => assert!(newer.is_empty()),
        }
        assert!(older.len() <= 5 && newer.len() <= 5);
        checked += 1;
    }
    assert!(checked > 40);
}

#[test]
fn day_archive_lists_each_article_on_its_local_date() {
    let c = corpus();
    let mut days: BTreeMap<(i16, i8, i8), Vec<String>> = BTreeMap::new();
    for a in &c.articles {
        days.entry(a.local_date).or_default().push(a.url.clone());
    }
    for ((y, m, d), urls) in &days {
        let listed: Vec<String> = walk_list(&c.public, &format!("/archive/{y:04}/{m:02}/{d:02}/"))
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(&listed, urls, "day {y}-{m}-{d}");
        assert!(
            c.public
                .join(format!("archive/{y:04}/{m:02}/index.html"))
                .is_file()
        );
        assert!(
            c.public
                .join(format!("archive/{y:04}/index.html"))
                .is_file()
        );
    }
}

#[test]
fn an_article_after_midnight_local_time_is_filed_on_that_day() {
    let site = TestSite::new(&[(
        "content/a.md",
        &article("Giao ban đầu ngày", "2014-01-16T18:30:00Z", "Dân vận", "x"),
    )]);
    site.build_ok();
    let day = site.page("/archive/2014/01/17/");
    assert!(day.contains("/dan-van/a/"));
    assert!(!site.public().join("archive/2014/01/16").exists());
    let page = site.page("/dan-van/a/");
    assert!(
        page.contains("<time datetime=\"2014-01-17T01:30:00+07:00\">"),
        "{page}"
    );
}

#[test]
fn most_read_on_home_starts_with_the_most_viewed() {
    let c = corpus();
    let top = c
        .articles
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.views.cmp(&b.views).then(j.cmp(i)))
        .unwrap()
        .1;
    let home = read_page(&c.public, "/");
    let most_read = select(&home, "#xem-nhieu a");
    assert_eq!(most_read.first(), Some(&top.url));
    assert_eq!(most_read.len(), 10);
}

#[test]
fn feed_is_valid_atom_with_absolute_urls() {
    let c = corpus();
    let xml = fs::read_to_string(c.public.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    assert_eq!(feed.tag_name().name(), "feed");
    for required in ["id", "title", "updated", "author"] {
        assert!(
            feed.children().any(|n| n.has_tag_name((atom, required))),
            "feed has no {required}"
        );
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 50);
    for (entry, expected) in entries.iter().zip(&c.articles) {
        let text = |name: &str| {
            entry
                .children()
                .find(|n| n.has_tag_name((atom, name)))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(
            text("id"),
            format!("https://quanmau.example.gov.vn{}", expected.url)
        );
        assert_eq!(text("title"), expected.title);
        assert!(
            text("updated").parse::<Timestamp>().is_ok(),
            "updated is RFC 3339"
        );
        let link = entry
            .children()
            .find(|n| n.has_tag_name((atom, "link")))
            .unwrap();
        assert!(link.attribute("href").unwrap().starts_with("https://"));
    }
    let category_feed = fs::read_to_string(c.public.join("dan-van/feed.xml")).unwrap();
    roxmltree::Document::parse(&category_feed).expect("category feed is XML");
}

#[test]
fn sitemap_lists_every_article_page() {
    let c = corpus();
    let xml = fs::read_to_string(c.public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: std::collections::HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for a in &c.articles {
        assert!(
            locs.contains(format!("https://quanmau.example.gov.vn{}", a.url).as_str()),
            "{} missing",
            a.url
        );
    }
    assert!(locs.contains("https://quanmau.example.gov.vn/so-do-trang/"));
    assert!(
        doc.descendants()
            .filter(|n| n.has_tag_name("lastmod"))
            .count()
            >= c.articles.len()
    );
    let robots = fs::read_to_string(c.public.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://quanmau.example.gov.vn/sitemap.xml"));
    assert!(c.public.join("404.html").is_file());
    let site_map = read_page(&c.public, "/so-do-trang/");
    assert!(select(&site_map, "a").contains(&"/dan-van/".to_string()));
}

#[test]
fn aliases_redirect_to_the_article() {
    let site = TestSite::new(&[(
        "content/a.md",
        &article_with(
            "Hội nghị tổng kết",
            "2014-01-17",
            "Dân vận",
            "aliases: [\"/Pages/tin-tuc/hoi-nghi.aspx\", \"http://quan2.hochiminhcity.gov.vn/tin/cu.html?id=3\"]\n",
            "x",
        ),
    )]);
    site.build_ok();
    let target = "https://phuongmau.example.gov.vn/dan-van/a/";
    for file in ["Pages/tin-tuc/hoi-nghi.aspx/index.html", "tin/cu.html"] {
        let html = fs::read_to_string(site.public().join(file)).unwrap();
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            )),
            "{html}"
        );
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")));
    }
}

#[test]
fn alias_on_a_real_page_is_an_error() {
    let site = TestSite::good();
    site.write(
        "content/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "aliases: [\"/dan-van/\"]\n",
            "x",
        ),
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("content/x.md:1:1: error: its alias /dan-van/ and the list of category `Dân vận` would both be published at /dan-van/"), "{}", stderr(&out));
    site.write(
        "content/x.md",
        &article_with(
            "Tin",
            "2014-01-17",
            "Dân vận",
            "aliases: [\"/../../../etc/x\"]\n",
            "x",
        ),
    );
    assert!(stderr(&site.build(&[])).contains("is not a path on this site"));
}

#[test]
fn pages_carry_canonical_open_graph_and_dublin_core() {
    let site = TestSite::good();
    site.build_ok();
    let page = site.page("/dan-van/tong-ket/");
    for expected in [
        "<link rel=\"canonical\" href=\"https://phuongmau.example.gov.vn/dan-van/tong-ket/\">",
        "<meta property=\"og:title\" content=\"Tổng kết công tác dân vận năm 2013\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:image\" content=\"https://phuongmau.example.gov.vn/images/hoi-nghi.jpg\">",
        "<meta name=\"DC.title\" content=\"Tổng kết công tác dân vận năm 2013\">",
        "<meta name=\"DC.date\" content=\"2014-01-17T14:05:00+07:00\">",
        "<meta name=\"DC.publisher\" content=\"Cổng thông tin điện tử Phường Mẫu\">",
        "<meta name=\"DC.identifier\" content=\"https://phuongmau.example.gov.vn/dan-van/tong-ket/\">",
        "<meta name=\"DC.description\" content=\"Ngày 15/01/2014, Ban Dân vận Quận ủy tổ chức hội nghị.\">",
        "<meta name=\"DC.creator\"",
    ] {
        assert!(page.contains(expected), "missing {expected}");
    }
}

#[test]
fn a_site_without_articles_still_has_a_home_page() {
    let site = TestSite::new(&[]);
    site.build_ok();
    let home = site.page("/");
    assert!(home.contains("id=\"danh-sach\""));
    assert!(site.public().join("feed.xml").is_file());
}
