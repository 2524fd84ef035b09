//! Helpers for end-to-end tests: small real sites on disk and the real binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub const SITE_YAML: &str = "title: \"Cổng thông tin điện tử Phường Mẫu\"\nbase_url: \"https://phuongmau.example.gov.vn\"\nlanguage: vi\ntimezone: \"+07:00\"\npaginate: 3\n";

/// A site folder in a temporary directory (the directory is the test's whole world,
/// so writes outside the site can be seen).
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with site.yaml and the given files (paths relative to the site root).
    pub fn new(files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("site/content")).unwrap();
        let site = TestSite { dir };
        site.write("site.yaml", SITE_YAML);
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// A small good site: three categories, five articles, an image, links.
    pub fn good() -> TestSite {
        TestSite::new(&[
            ("content/dan-van/2014/tong-ket.md", &article_with("Tổng kết công tác dân vận năm 2013", "2014-01-17T14:05:00+07:00", "Dân vận", "image: /images/hoi-nghi.jpg\n", "Ngày 15/01/2014, Ban Dân vận Quận ủy tổ chức hội nghị.\n\n![Hội nghị](/images/hoi-nghi.jpg \"Đồng chí Châu phát biểu\")\n\nXem thêm [hội nghị năm trước](../2013/hoi-nghi.md).\n")),
            ("content/dan-van/2013/hoi-nghi.md", &article("Hội nghị dân vận năm 2012", "2013-01-10 09:00", "Dân vận", "Hội nghị năm 2012.\n")),
            ("content/thong-bao/lich-tiep-cong-dan.md", &article("Thông báo lịch tiếp công dân tháng 02/2014", "2014-02-01", "Thông báo", "Lịch tiếp công dân.\n")),
            ("content/van-hoa/hoi-xuan.md", &article("Hội xuân chợ hoa tết Giáp Ngọ", "2014-01-25 08:00", "Văn hóa - Thể thao", "| Đơn vị | Số hộ |\n|---|---:|\n| Phường 1 | 120 |\n")),
            ("content/van-hoa/nhap.md", &article_with("Bản nháp chưa đăng", "2014-03-01", "Văn hóa - Thể thao", "draft: true\n", "Bản nháp.\n")),
        ])
        .with_bytes("content/images/hoi-nghi.jpg", b"\xFF\xD8\xFF\xE0 not really a jpeg")
    }

    pub fn with_bytes(self, path: &str, bytes: &[u8]) -> TestSite {
        self.write_bytes(path, bytes);
        self
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.root().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, bytes).unwrap();
    }

    pub fn remove(&self, path: &str) {
        fs::remove_file(self.root().join(path)).unwrap();
    }

    /// Runs `bantin build --root <site>` with extra arguments.
    pub fn build(&self, args: &[&str]) -> Output {
        bantin()
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs `bantin check --root <site>` with extra arguments.
    pub fn check(&self, args: &[&str]) -> Output {
        bantin()
            .arg("check")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .output()
            .unwrap()
    }

    pub fn build_ok(&self) -> Output {
        let out = self.build(&[]);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    pub fn page(&self, site_path: &str) -> String {
        let file = self
            .public()
            .join(site_path.trim_start_matches('/'))
            .join("index.html");
        fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }
}

/// `text` in decomposed Unicode (NFD), as a Mac names files.
pub fn nfd(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let decomposed: String = text.nfd().collect();
    assert_ne!(decomposed, text, "{text} has no letter to decompose");
    decomposed
}

/// The bytes of a real decision's PDF: the demo site's.
pub fn demo_pdf() -> Vec<u8> {
    fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/van-ban/2024/25-2024-qd-ubnd.pdf"
    ))
    .unwrap()
}

pub fn bantin() -> Command {
    Command::cargo_bin("bantin").unwrap()
}

/// Runs `bantin build --root <root>` and insists that it succeeds.
pub fn build_root(root: &Path, args: &[&str]) -> Output {
    let out = bantin()
        .arg("build")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        stderr(&out)
    );
    out
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An article file with the three required fields and a body.
pub fn article(title: &str, date: &str, category: &str, body: &str) -> String {
    article_with(title, date, category, "", body)
}

/// An article with more front matter lines (`fields`, each ending in `\n`).
pub fn article_with(title: &str, date: &str, category: &str, fields: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\ncategory: \"{category}\"\nviews: 10\n{fields}---\n\n{body}"
    )
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(&path).unwrap());
        }
    }
}

/// Every Markdown file under `dir`, sorted.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Generates a corpus with the shared generator; `None` when python3 or the
/// generator is missing (they are part of every dev and CI machine).
pub fn generate_corpus(articles: usize, out: &Path) -> PathBuf {
    generate_corpus_with(articles, &[], out)
}

/// [`generate_corpus`] with more of the generator's options (`--documents 60`).
pub fn generate_corpus_with(articles: usize, options: &[&str], out: &Path) -> PathBuf {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gen_corpus.py");
    let status = std::process::Command::new("python3")
        .arg(&generator)
        .args(["--articles", &articles.to_string(), "--out"])
        .arg(out)
        .args(options)
        .output()
        .expect("python3 runs the corpus generator");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    out.to_path_buf()
}

/// The file name of the stylesheet a page links to (`style.<hash>.css`).
pub fn stylesheet_of(page: &str) -> String {
    page.split("<link rel=\"stylesheet\" href=\"/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page links a stylesheet")
        .to_string()
}

/// Staging or old-output folders (`.public.*`) left in `dir`.
pub fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public."))
        .collect()
}

/// One line of the search query set (`tests/search/queries.txt`).
#[derive(Debug, Clone)]
pub struct QueryCase {
    pub line: usize,
    pub query: String,
    pub expect: Expect,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    First(String),
    TopThree(String),
    Found(String),
    NotFound(String),
    Nothing,
}

impl QueryCase {
    /// What is wrong with `titles` (the hits, best first) for this case, if anything.
    pub fn problem(&self, titles: &[String]) -> Option<String> {
        let ok = match &self.expect {
            Expect::First(t) => titles.first() == Some(t),
            Expect::TopThree(t) => titles.iter().take(3).any(|h| h == t),
            Expect::Found(t) => titles.contains(t),
            Expect::NotFound(t) => !titles.contains(t),
            Expect::Nothing => titles.is_empty(),
        };
        (!ok).then(|| {
            format!(
                "queries.txt:{}: {:?} expected {:?}, got {titles:?}",
                self.line, self.query, self.expect
            )
        })
    }
}

pub fn query_set() -> Vec<QueryCase> {
    query_set_of(include_str!("../search/queries.txt"))
}

/// The cases of a query set file written as `queries.txt` is.
pub fn query_set_of(text: &str) -> Vec<QueryCase> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, line)| {
            let (query, arrow, title) = ["=>", "~>", "+>", "!>"]
                .iter()
                .find_map(|arrow| {
                    line.split_once(&format!(" {arrow} "))
                        .map(|(q, t)| (q, *arrow, t.trim().to_string()))
                })
                .unwrap_or_else(|| panic!("queries.txt:{}: no arrow in {line:?}", n + 1));
            let query = match query.strip_prefix("nfd: ") {
                Some(q) => unicode_normalization::UnicodeNormalization::nfd(q).collect(),
                None => query.to_string(),
            };
            let expect = match (arrow, title.as_str()) {
                ("=>", "(none)") => Expect::Nothing,
                ("=>", _) => Expect::First(title),
                ("~>", _) => Expect::TopThree(title),
                ("+>", _) => Expect::Found(title),
                _ => Expect::NotFound(title),
            };
            QueryCase {
                line: n + 1,
                query,
                expect,
            }
        })
        .collect()
}

/// The hits of `bantin search --json` for `query` on a built site: (title, url).
pub fn search_cli(site: &Path, query: &str, limit: usize) -> Vec<(String, String)> {
    let out = bantin()
        .args(["search", "--json", "--limit", &limit.to_string(), "--site"])
        .arg(site)
        .arg("--")
        .arg(query)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bantin search failed: {}",
        stderr(&out)
    );
    // One hit a line (JSON lines), best first.
    stdout(&out)
        .lines()
        .map(|line| {
            let h: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                h["title"].as_str().unwrap().to_string(),
                h["url"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// tests/browser/, where the checks run in Chromium are, with their npm
/// packages installed.
pub fn browser_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "run `npm ci --prefix tests/browser` (and install Debian's chromium) first"
    );
    dir
}

/// Runs the Chromium check `script` of tests/browser/ with `args`, `input`
/// given as JSON on its standard input, and returns the JSON report it prints;
/// a check that fails panics with what it said.
pub fn browser_check(
    script: &str,
    args: &[&std::ffi::OsStr],
    input: &serde_json::Value,
) -> serde_json::Value {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = std::process::Command::new("node")
        .arg(browser_dir().join(script))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("node runs {script}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let result = child.wait_with_output().unwrap();
    assert!(
        result.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    serde_json::from_slice(&result.stdout).unwrap_or_else(|e| panic!("{script} prints JSON: {e}"))
}
