//! Inputs far beyond any real portal: each ends in a page or a clear error, never
//! a crash, a hang or memory beyond a few times the input. Peak memory is that of
//! the bantin process itself (`wait4`), so tests running beside it do not count.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Run {
    success: bool,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the process, in MB.
    peak_mb: u64,
    took: Duration,
}

/// Runs bantin with `args` and measures its peak memory.
// The child is waited for by `wait4`, which also gives its peak memory.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str], root: &Path) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).unwrap();
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet waited for; the pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    Run {
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        peak_mb: usage.ru_maxrss as u64 / 1024,
        took: started.elapsed(),
    }
}

fn build(site: &TestSite) -> Run {
    let run = run(&["build"], &site.root());
    eprintln!(
        "build: {} MB peak, {:.1} s",
        run.peak_mb,
        run.took.as_secs_f64()
    );
    run
}

const PARAGRAPH: &str = "Ngày 15/01/2014, Ban Dân vận Quận ủy quận 2 đã tổ chức Hội nghị tổng kết công tác dân vận năm 2013 với sự tham dự của **đại diện các đơn vị** và [các phường](#phuong).\n\n";

#[test]
fn ten_megabyte_article_becomes_a_page() {
    let body = PARAGRAPH.repeat(10 * 1024 * 1024 / PARAGRAPH.len() + 1);
    let site = TestSite::new(&[(
        "content/tin/rat-dai.md",
        &article("Báo cáo rất dài", "2014-01-17", "Tin", &body),
    )]);
    site.write(
        "content/tin/ngan.md",
        &article("Tin ngắn", "2014-01-18", "Tin", "Ngắn.\n"),
    );
    let run = build(&site);
    assert!(run.success, "{}", run.stderr);
    let page = site.page("/tin/rat-dai/");
    assert!(page.len() > body.len());
    assert_eq!(
        page.matches("<strong>đại diện các đơn vị</strong>").count(),
        body.matches("**đại diện").count()
    );
    // Measured: 75 MB in a debug build for 10 MB of dense Markdown.
    assert!(run.peak_mb < 150, "{} MB for a 10 MB article", run.peak_mb);
}

#[test]
fn five_thousand_levels_of_lists_and_quotes_become_pages() {
    let site = TestSite::new(&[
        (
            "content/tin/danh-sach.md",
            &article(
                "Danh sách lồng nhau",
                "2014-01-17",
                "Tin",
                &("- ".repeat(5000) + "mục\n"),
            ),
        ),
        (
            "content/tin/so-thu-tu.md",
            &article(
                "Danh sách đánh số",
                "2014-01-18",
                "Tin",
                &("1. ".repeat(5000) + "mục\n"),
            ),
        ),
        (
            "content/tin/trich-dan.md",
            &article(
                "Trích dẫn lồng nhau",
                "2014-01-19",
                "Tin",
                &("> ".repeat(5000) + "lời\n"),
            ),
        ),
        (
            "content/tin/tron.md",
            &article(
                "Trộn lẫn",
                "2014-01-20",
                "Tin",
                &("> - ".repeat(2500) + "lời\n"),
            ),
        ),
        (
            "content/tin/ngoac.md",
            &article(
                "Ngoặc và nhấn",
                "2014-01-21",
                "Tin",
                &("[".repeat(5000) + &"*".repeat(5000) + &"_".repeat(5000) + "\n"),
            ),
        ),
    ]);
    let run = build(&site);
    assert!(run.success, "{}", run.stderr);
    assert!(site.page("/tin/danh-sach/").matches("<ul>").count() >= 5000);
    assert!(site.page("/tin/trich-dan/").matches("<blockquote>").count() >= 5000);
    assert!(run.peak_mb < 200, "{} MB", run.peak_mb);
}

#[test]
fn one_megabyte_title_becomes_a_page_with_a_short_url() {
    let title = "Tiêu đề rất dài ".repeat(1024 * 1024 / 18 + 1);
    let site = TestSite::new(&[(
        "content/tin/dai.md",
        &article(title.trim(), "2014-01-17", "Tin", "Thân bài.\n"),
    )]);
    let run = build(&site);
    assert!(run.success, "{}", run.stderr);
    // The address comes from the file's name, whatever the title's length.
    let pages: Vec<_> = fs::read_dir(site.public().join("tin"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.contains('.') && name != "page")
        .collect();
    assert_eq!(pages, ["dai"]);
    let page = site.page("/tin/dai/");
    assert!(page.contains(title.trim()));
    // The title is on every page of the site (lists, most read): a few MB each.
    assert!(run.peak_mb < 200, "{} MB", run.peak_mb);
}

/// Writes `count` files into `dir`, one article in `every`, the rest small assets.
fn fill_folder(dir: &Path, count: u32, every: u32) {
    fs::create_dir_all(dir).unwrap();
    let made = Instant::now();
    for i in 0..count {
        if i % every == 0 {
            let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 2000 + (i / 336) % 25);
            let text = format!(
                "---\ntitle: \"Bài số {i}\"\ndate: {year}-{month:02}-{day:02}\ncategory: \"Tin\"\n---\nThân bài {i}.\n"
            );
            fs::write(dir.join(format!("bai-{i:06}.md")), text).unwrap();
        } else {
            fs::write(dir.join(format!("tep-{i:06}.txt")), i.to_string()).unwrap();
        }
    }
    eprintln!(
        "made {count} files in {:.1} s",
        made.elapsed().as_secs_f64()
    );
}

#[test]
fn hundred_thousand_files_in_one_folder_build() {
    let site = TestSite::new(&[]);
    fill_folder(&site.root().join("content/tin"), 100_000, 50);
    let run = build(&site);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("built 2000 articles"), "{}", run.stdout);
    assert!(site.public().join("tin/bai-099950/index.html").is_file());
    assert_eq!(
        fs::read_to_string(site.public().join("tin/tep-099999.txt")).unwrap(),
        "99999"
    );
    assert!(run.peak_mb < 512, "{} MB", run.peak_mb);
}

/// The same with every file an article: 128,493 pages. Slow in a debug build
/// (83 s beside a fuzzer on 2 cores); run with `cargo test --test limits -- --ignored`.
#[test]
#[ignore]
fn hundred_thousand_articles_in_one_folder_build() {
    let site = TestSite::new(&[]);
    fill_folder(&site.root().join("content/tin"), 100_000, 1);
    let run = build(&site);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stdout.contains("built 100000 articles"),
        "{}",
        run.stdout
    );
    assert!(site.public().join("tin/bai-so-99999/index.html").is_file());
    // Measured: 466-487 MB (debug build), about 4.7 kB per article for the model
    // and the planned pages.
    assert!(run.peak_mb < 1024, "{} MB", run.peak_mb);
}

#[test]
fn zero_byte_files_are_clear_errors_or_copied() {
    let site = TestSite::good();
    site.build_ok();
    let before = tree(&site.public());
    // A zero-byte asset is an asset like any other.
    site.write("content/images/trong.png", "");
    let run = build(&site);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        fs::read(site.public().join("images/trong.png")).unwrap(),
        b""
    );
    let before_empty_article = tree(&site.public());
    assert_ne!(before, before_empty_article);
    // A zero-byte article is an error naming it; the output stays as it was.
    site.write("content/tin/trong.md", "");
    let run = build(&site);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("content/tin/trong.md:1:1: error: the file is empty"),
        "{}",
        run.stderr
    );
    assert!(tree(&site.public()) == before_empty_article);
    site.remove("content/tin/trong.md");
    // A zero-byte site.yaml: the site has no title.
    site.write("site.yaml", "");
    let run = build(&site);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("site.yaml:1:1: error: the site has no `title`"),
        "{}",
        run.stderr
    );
    assert!(tree(&site.public()) == before_empty_article);
}
