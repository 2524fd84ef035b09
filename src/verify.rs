//! `bantin verify`: the live site against the build. Every file of the built
//! folder is fetched from the host that serves it and compared byte for byte;
//! a file that differs, is missing, or answers otherwise is reported, and so is
//! every link of a changed page to a host the build never links to: the mark of
//! the betting links injected into hundreds of hacked `.gov.vn` portals.
//!
//! The network stays here, at the edge: pages are fetched by a few threads, each
//! request with its own timeout, redirects are not followed (a redirect is what
//! the host answers, not the build's file).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rayon::prelude::*;
use scraper::Html;

use crate::content::active_files::{ActiveKind, what_runs};
use crate::content::links_audit::{
    BettingPatterns, addresses_in_script, host_of, mention_of, mixed_alphabets, shown_host,
};
use crate::diagnostics::printable;

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The built site: the output folder of `bantin build`.
    pub site: PathBuf,
    /// Where the site is served, e.g. `https://phuongmau.gov.vn` (a sub-path is kept).
    pub base_url: String,
    /// Files fetched at the same time.
    pub jobs: usize,
    /// How long one file may take, connecting included.
    pub timeout: Duration,
}

/// What is wrong with one published file on the live host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The host answers 404 or 410.
    Missing { url: String, status: u16 },
    /// The host answers with another status than 200.
    Status { url: String, status: u16 },
    /// The host answers with a redirect instead of the file.
    Redirected { url: String, to: String },
    /// The host serves other bytes than the build's.
    Differs { url: String, at: Difference },
    /// A changed page links to a host no page of the build links to.
    ForeignHost {
        url: String,
        /// As DNS is asked for it (`xn--…` for an international name).
        host: String,
        link: String,
        /// The line of the live file where the host is first written, in
        /// a text file.
        line: Option<usize>,
        /// The betting brand the host is named after, if any.
        betting: Option<String>,
    },
    /// The file could not be fetched (after one retry).
    Unreachable { url: String, error: String },
    /// A changed SVG, XHTML or XML file holds what a browser runs at the
    /// site's address (the build refuses such files, so the host's is not it).
    RunsScript { url: String, what: String },
    /// A page the host serves as built to readers, but otherwise to a search
    /// engine (asked as Googlebot, coming from a Google search): the cloaking
    /// by which hacked portals show betting links only where they rank, out
    /// of sight of the portal's own staff.
    Cloaked { url: String, shown: String },
    /// The host sends the file with a `Refresh` header, which sends the
    /// browser elsewhere as a redirect does.
    Refreshed { url: String, to: String },
}

/// Where the live bytes first part from the build's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Of a text file (HTML, CSS, JS, XML, JSON…): the 1-based line.
    Line(usize),
    /// Of any other file: the 0-based byte offset.
    Byte(usize),
}

impl Finding {
    pub fn url(&self) -> &str {
        match self {
            Finding::Missing { url, .. }
            | Finding::Status { url, .. }
            | Finding::Redirected { url, .. }
            | Finding::Differs { url, .. }
            | Finding::ForeignHost { url, .. }
            | Finding::Unreachable { url, .. }
            | Finding::RunsScript { url, .. }
            | Finding::Cloaked { url, .. }
            | Finding::Refreshed { url, .. } => url,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Missing { url, status } => write!(f, "{url}: missing (HTTP {status})"),
            Finding::Status { url, status } => {
                write!(f, "{url}: the host answers HTTP {status}, not the file")
            }
            Finding::Redirected { url, to } => write!(f, "{url}: redirects to {to}"),
            Finding::Differs {
                url,
                at: Difference::Line(line),
            } => write!(f, "{url}: differs from the build from line {line}"),
            Finding::Differs {
                url,
                at: Difference::Byte(byte),
            } => write!(f, "{url}: differs from the build from byte {byte}"),
            Finding::ForeignHost {
                url,
                host,
                link,
                line,
                betting,
            } => {
                write!(
                    f,
                    "{url}: links to {}, a host the build never links to ({link})",
                    printable(&shown_host(host))
                )?;
                if let Some(line) = line {
                    write!(f, ", at line {line}")?;
                }
                match betting {
                    Some(brand) => write!(f, ": a betting site (it matches `{brand}`)"),
                    None if mixed_alphabets(host).is_some() => write!(
                        f,
                        ": a look-alike name, mixing Latin letters with letters of another alphabet"
                    ),
                    None => Ok(()),
                }
            }
            Finding::Unreachable { url, error } => write!(f, "{url}: cannot fetch ({error})"),
            Finding::RunsScript { url, what } => write!(
                f,
                "{url}: holds what a browser runs at the site's address: {what}"
            ),
            Finding::Refreshed { url, to } => write!(
                f,
                "{url}: the host sends the browser on with a Refresh header ({to})"
            ),
            Finding::Cloaked { url, shown } => write!(
                f,
                "{url}: the host shows search engines (asked as Googlebot) another page than readers: {shown}"
            ),
        }
    }
}

impl Finding {
    /// What kind of finding this is, in a word a script can match:
    /// `betting-link`, `look-alike-host` and `foreign-host` (a changed page's
    /// link to a betting site, to a name mixing alphabets, or to any other
    /// host the build never links to), `cloaked`,
    /// `runs-script`, `differs`, `missing`, `status`, `redirected`,
    /// `refreshed`, `unreachable`.
    pub fn kind(&self) -> &'static str {
        match self {
            Finding::ForeignHost {
                betting: Some(_), ..
            } => "betting-link",
            Finding::ForeignHost { host, .. } if mixed_alphabets(host).is_some() => {
                "look-alike-host"
            }
            Finding::ForeignHost { .. } => "foreign-host",
            Finding::Cloaked { .. } => "cloaked",
            Finding::RunsScript { .. } => "runs-script",
            Finding::Differs { .. } => "differs",
            Finding::Missing { .. } => "missing",
            Finding::Status { .. } => "status",
            Finding::Redirected { .. } => "redirected",
            Finding::Refreshed { .. } => "refreshed",
            Finding::Unreachable { .. } => "unreachable",
        }
    }

    /// Whether this finding says only that the host did not give the file
    /// (no answer, or what a host going down or overloaded answers: 502,
    /// 503, 504), not that it gives something else than the build.
    pub fn is_unanswered(&self) -> bool {
        matches!(
            self,
            Finding::Unreachable { .. }
                | Finding::Status {
                    status: 502..=504,
                    ..
                }
        )
    }

    /// The finding as one JSON object, for an audit's record: the file's
    /// `url`, its `line` where there is one, the `kind`, the `host` a link
    /// leads to (as DNS is asked for it, `xn--…` for an international
    /// name), the `severity` (every finding fails the verification: `error`)
    /// and the `message` as the text output says it.
    pub fn to_json(&self) -> serde_json::Value {
        let (host, line) = match self {
            Finding::ForeignHost { host, line, .. } => (Some(host.as_str()), *line),
            Finding::Differs {
                at: Difference::Line(line),
                ..
            } => (None, Some(*line)),
            _ => (None, None),
        };
        serde_json::json!({
            "url": self.url(),
            "line": line,
            "kind": self.kind(),
            "host": host,
            "severity": "error",
            "message": self.to_string(),
        })
    }
}

/// What a verification found: every file checked, every finding in the order of
/// the files.
#[derive(Debug)]
pub struct VerifyReport {
    pub base_url: String,
    pub files: usize,
    pub findings: Vec<Finding>,
    /// Files left unchecked because the host stopped answering (see
    /// [`STOP_AFTER`]).
    pub not_checked: usize,
}

/// How many files in a row the host may fail to give before verify stops
/// asking: a host that went down or holds every connection open (a tarpit)
/// would otherwise take twice the timeout for each file, hours for a portal.
pub const STOP_AFTER: usize = 16;

impl VerifyReport {
    pub fn passed(&self) -> bool {
        self.findings.is_empty() && self.not_checked == 0
    }

    /// Whether some files could not be checked (not fetched, or left when
    /// the host stopped answering) and every file the host did give is the
    /// build's: the verification could not tell whether the site is. What
    /// the host gives otherwise than built (a link to a new host, a changed
    /// page, a missing file…) is found, however many files were left.
    pub fn incomplete(&self) -> bool {
        !self.passed() && self.findings.iter().all(Finding::is_unanswered)
    }

    /// The exit status for a script going through many sites: 0 when every
    /// file is the build's, 1 when the site was found changed, 2 when it
    /// could not be checked (see [`VerifyReport::incomplete`]).
    pub fn exit_status(&self) -> u8 {
        match (self.passed(), self.incomplete()) {
            (true, _) => 0,
            (false, true) => 2,
            (false, false) => 1,
        }
    }

    /// The last line of a run, saying what was checked and what was found.
    pub fn conclusion(&self) -> String {
        let checked = self.files - self.not_checked;
        match self.exit_status() {
            0 => format!(
                "verify passed: the {} files at {} are the build's",
                self.files, self.base_url
            ),
            1 => format!(
                "verify failed: {checked} files checked at {}: {}",
                self.base_url,
                self.summary()
            ),
            _ => format!(
                "verify could not check the site: {checked} of {} files checked at {}: {}; the files the host gave are the build's: run it again when it answers",
                self.files,
                self.base_url,
                self.summary()
            ),
        }
    }

    /// `2 differ, 1 missing, 1 link(s) to new hosts`: the counts that are not 0.
    pub fn summary(&self) -> String {
        let count = |f: fn(&Finding) -> bool| self.findings.iter().filter(|x| f(x)).count();
        let parts = [
            (count(|f| matches!(f, Finding::Differs { .. })), "differ"),
            (count(|f| matches!(f, Finding::Missing { .. })), "missing"),
            (
                count(|f| matches!(f, Finding::ForeignHost { .. })),
                "link(s) to new hosts",
            ),
            (
                count(|f| matches!(f, Finding::Cloaked { .. })),
                "shown otherwise to search engines",
            ),
            (
                count(|f| matches!(f, Finding::RunsScript { .. })),
                "holding scripts",
            ),
            (
                count(|f| matches!(f, Finding::Redirected { .. })),
                "redirected",
            ),
            (
                count(|f| matches!(f, Finding::Refreshed { .. })),
                "sent on by a Refresh header",
            ),
            (
                count(|f| matches!(f, Finding::Status { .. })),
                "with another HTTP status",
            ),
            (
                count(|f| matches!(f, Finding::Unreachable { .. })),
                "not fetched",
            ),
        ];
        let mut said: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        if self.not_checked > 0 {
            said.push(format!(
                "{} not checked: the host stopped answering ({STOP_AFTER} files in a row)",
                self.not_checked
            ));
        }
        said.join(", ")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("`{0}` is not a site address")]
    BaseUrl(String),
    #[error("{0} holds no built site (it has no index.html)")]
    NoSite(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot reach {url}: {error}")]
    Unreachable { url: String, error: String },
    #[error("the home page {url} redirects to {to}")]
    HomeRedirected { url: String, to: String },
    #[error("cannot start the HTTP client: {0}")]
    Client(String),
}

/// Fetches every file of `options.site` from `options.base_url` and compares it
/// with the build. Fails only when nothing can be checked (no built site, a bad
/// address, a host that does not answer for the home page).
pub fn verify(options: &VerifyOptions) -> Result<VerifyReport, VerifyError> {
    let base = base_url(&options.base_url)?;
    let site = built_folder(&options.site)?;
    let site = site.as_path();
    let mut files = Vec::new();
    published_files(site, Path::new(""), &mut files, &mut BTreeSet::new())?;
    files.sort();
    let agent = agent(options);

    // The home page first: a wrong address or a host that is down is one error,
    // not one a file.
    let home = Path::new("index.html");
    let home_url = url_of(&base, home);
    let mut checked = vec![check_file(&agent, site, home, &home_url)];
    match &checked[0].findings[..] {
        [Finding::Unreachable { error, .. }] => {
            return Err(VerifyError::Unreachable {
                url: home_url,
                error: error.clone(),
            });
        }
        [Finding::Redirected { to, .. }] => {
            return Err(VerifyError::HomeRedirected {
                url: home_url,
                to: to.clone(),
            });
        }
        _ => {}
    }

    let rest: Vec<&PathBuf> = files.iter().filter(|f| f.as_path() != home).collect();
    let next = AtomicUsize::new(0);
    // Files the host did not give, in a row (any thread's).
    let unanswered = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(rest.len()));
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| {
                while unanswered.load(Ordering::Relaxed) < STOP_AFTER {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(rel) = rest.get(n) else { break };
                    let url = url_of(&base, rel);
                    let one = check_file(&agent, site, rel, &url);
                    match one.findings.as_slice() {
                        [Finding::Unreachable { .. }] => unanswered.fetch_add(1, Ordering::Relaxed),
                        _ => unanswered.swap(0, Ordering::Relaxed),
                    };
                    done.lock().unwrap_or_else(|e| e.into_inner()).push(one);
                }
            });
        }
    });
    let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    let not_checked = rest.len() - done.len();
    checked.extend(done);
    checked.sort_by(|a, b| a.rel.cmp(&b.rel));

    let changed_links: Vec<&LinkedHost> =
        checked.iter().flat_map(|c| &c.links_of_changed).collect();
    let build_hosts = match changed_links.is_empty() {
        true => BTreeSet::new(),
        false => hosts_of_build(site, &files, &base),
    };
    let mut findings = Vec::new();
    for file in &checked {
        findings.extend(file.findings.iter().cloned());
        let mut said = BTreeSet::new();
        // The build's own copy of the file may link where no page does (an
        // attachment's references): those hosts are not new either.
        let own: Vec<String> = match file.links_of_changed.is_empty() {
            true => Vec::new(),
            false => hosts_of_file(
                &file.rel,
                &fs::read(site.join(&file.rel)).unwrap_or_default(),
            )
            .into_iter()
            .map(|h| h.host)
            .collect(),
        };
        for linked in &file.links_of_changed {
            let known = build_hosts.contains(&linked.host) || own.contains(&linked.host);
            if !known && said.insert(&linked.host) {
                // The live page's own text: shown as a terminal cannot obey it.
                findings.push(Finding::ForeignHost {
                    url: file.url.clone(),
                    host: linked.host.clone(),
                    link: printable(&linked.link).into_owned(),
                    line: linked.line,
                    betting: BettingPatterns::get()
                        .betting_host(&linked.host)
                        .map(str::to_string),
                });
            }
        }
    }
    Ok(VerifyReport {
        base_url: base,
        files: files.len(),
        findings,
        not_checked,
    })
}

/// The built site `--site` names: the folder itself when it holds a built
/// site, else the `public/` of the site folder it is (holding `site.yaml`),
/// as `bantin build` writes it; so that one loop over the wards' folders
/// verifies each.
fn built_folder(given: &Path) -> Result<PathBuf, VerifyError> {
    if given.join("index.html").is_file() {
        return Ok(given.to_path_buf());
    }
    if given.join("site.yaml").is_file() {
        let public = given.join("public");
        return match public.join("index.html").is_file() {
            true => Ok(public),
            false => Err(VerifyError::NoSite(public)),
        };
    }
    Err(VerifyError::NoSite(given.to_path_buf()))
}

/// `https://phuongmau.gov.vn/` -> `https://phuongmau.gov.vn`; a sub-path stays.
fn base_url(text: &str) -> Result<String, VerifyError> {
    let trimmed = text.trim().trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', '#']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(VerifyError::BaseUrl(text.to_string())),
    }
}

fn agent(options: &VerifyOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections_per_host(options.jobs.max(1))
        .user_agent(concat!("bantin-verify/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Every file a static host publishes from `dir`, relative to the site folder.
/// Names starting with `.` (the build's own mark among them) are not published.
/// A folder reached again through a link (`a -> .`) is walked once: two such
/// links made 2^40 paths to fetch.
fn published_files(
    site: &Path,
    rel: &Path,
    files: &mut Vec<PathBuf>,
    seen: &mut BTreeSet<PathBuf>,
) -> Result<(), VerifyError> {
    let dir = site.join(rel);
    if dir.canonicalize().is_ok_and(|real| !seen.insert(real)) {
        return Ok(());
    }
    let entries = fs::read_dir(&dir).map_err(|source| VerifyError::Read {
        path: dir.clone(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| VerifyError::Read {
            path: dir.clone(),
            source,
        })?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = rel.join(&name);
        let full = site.join(&path);
        if full.is_dir() {
            published_files(site, &path, files, seen)?;
        } else if full.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

/// What a path segment keeps unencoded: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The address a static host serves `rel` at: `tin/a/index.html` -> `base/tin/a/`.
fn url_of(base: &str, rel: &Path) -> String {
    let mut url = base.to_string();
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (last, folders) = parts.split_last().expect("a file has a name");
    for folder in folders {
        url.push('/');
        url.extend(utf8_percent_encode(folder, SEGMENT));
    }
    url.push('/');
    if last != "index.html" {
        url.extend(utf8_percent_encode(last, SEGMENT));
    }
    url
}

/// One file fetched and compared.
struct CheckedFile {
    rel: PathBuf,
    url: String,
    findings: Vec<Finding>,
    /// The hosts a changed HTML page links to, to compare with the build's.
    links_of_changed: Vec<LinkedHost>,
}

fn check_file(agent: &ureq::Agent, site: &Path, rel: &Path, url: &str) -> CheckedFile {
    let mut checked = CheckedFile {
        rel: rel.to_path_buf(),
        url: url.to_string(),
        findings: Vec::new(),
        links_of_changed: Vec::new(),
    };
    let built = match fs::read(site.join(rel)) {
        Ok(bytes) => bytes,
        Err(e) => {
            checked.findings.push(Finding::Unreachable {
                url: url.to_string(),
                error: format!("cannot read the built file {}: {e}", rel.display()),
            });
            return checked;
        }
    };
    // A dropped connection or a slow answer is tried once more before it counts.
    let live = fetch(agent, url, built.len()).or_else(|_| fetch(agent, url, built.len()));
    let mut runs = None;
    let finding = match &live {
        Err(error) => Some(Finding::Unreachable {
            url: url.to_string(),
            error: error.clone(),
        }),
        Ok(Live::Status(status @ (404 | 410))) => Some(Finding::Missing {
            url: url.to_string(),
            status: *status,
        }),
        Ok(Live::Status(status)) => Some(Finding::Status {
            url: url.to_string(),
            status: *status,
        }),
        Ok(Live::Redirect(to)) => Some(Finding::Redirected {
            url: url.to_string(),
            to: to.clone(),
        }),
        Ok(Live::Refresh(to)) => Some(Finding::Refreshed {
            url: url.to_string(),
            to: to.clone(),
        }),
        Ok(Live::NotModified) => Some(Finding::Status {
            url: url.to_string(),
            status: 304,
        }),
        Ok(Live::Body(body, _)) => first_difference(&built, body, is_text(rel)).map(|at| {
            checked.links_of_changed = located(hosts_of_file(rel, body), rel, body);
            runs = script_in_changed(rel, body, url);
            Finding::Differs {
                url: url.to_string(),
                at,
            }
        }),
    };
    // A page the reader is given as built is asked for again as a search
    // engine asks: hacked portals show their links to crawlers alone.
    let cloaked = match (&finding, is_html(rel), &live) {
        (None, true, Ok(Live::Body(_, etag))) => as_crawler(
            agent,
            rel,
            &built,
            url,
            etag.as_deref(),
            &mut checked.links_of_changed,
        ),
        _ => None,
    };
    checked.findings.extend(finding);
    checked.findings.extend(cloaked);
    checked.findings.extend(runs);
    checked
}

/// How a search engine's crawler announces itself, and the search it sends a
/// reader from: what cloaking scripts look at.
const CRAWLER_AGENT: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const SEARCH_REFERER: &str = "https://www.google.com/";

/// What the host shows a search engine at `url` instead of the build's page,
/// if anything; the hosts that page links to go to `links`.
///
/// The page is asked for with the `ETag` the reader was given (`If-None-Match`):
/// a static host giving the crawler the same file answers 304 without sending
/// it again, so the second request of each page costs a few bytes, not the
/// page; a host showing the crawler another file (another tag) or a script's
/// page sends that page.
fn as_crawler(
    agent: &ureq::Agent,
    rel: &Path,
    built: &[u8],
    url: &str,
    etag: Option<&str>,
    links: &mut Vec<LinkedHost>,
) -> Option<Finding> {
    let crawler = Asked::AsCrawler { etag };
    let live = fetch_as(agent, url, built.len(), crawler)
        .or_else(|_| fetch_as(agent, url, built.len(), crawler))
        .ok()?;
    let shown = match live {
        Live::NotModified => return None,
        Live::Body(body, _) => {
            let at = first_difference(built, &body, true)?;
            *links = located(hosts_of_file(rel, &body), rel, &body);
            match at {
                Difference::Line(line) => format!("other bytes from line {line}"),
                Difference::Byte(byte) => format!("other bytes from byte {byte}"),
            }
        }
        Live::Redirect(to) => format!("a redirect to {to}"),
        Live::Refresh(to) => format!("a Refresh header to {to}"),
        // A firewall refusing a Googlebot that is not at Google's addresses
        // (403, 429, 503) shows no page at all: nothing to compare.
        Live::Status(_) => return None,
    };
    Some(Finding::Cloaked {
        url: url.to_string(),
        shown,
    })
}

/// What a changed SVG, XHTML or XML file now runs at the site's address, if
/// anything: the pages the build makes run their own scripts, its pictures
/// and XML files never do.
fn script_in_changed(rel: &Path, body: &[u8], url: &str) -> Option<Finding> {
    let kind = ActiveKind::of(&rel.to_string_lossy())?;
    if !matches!(kind, ActiveKind::Svg | ActiveKind::Xhtml | ActiveKind::Xml) {
        return None;
    }
    let (at, what) = what_runs(kind, body).into_iter().next()?;
    let line = at
        .map(|at| format!(" at line {}", at.line))
        .unwrap_or_default();
    Some(Finding::RunsScript {
        url: url.to_string(),
        what: printable(&format!("{what}{line}")).into_owned(),
    })
}

enum Live {
    /// The bytes, with the `ETag` the host gave them.
    Body(Vec<u8>, Option<String>),
    /// 304, to a request with `If-None-Match`: the file the tag names.
    NotModified,
    Status(u16),
    Redirect(String),
    /// A `Refresh` header's value.
    Refresh(String),
}

/// The live file, read whole up to far more than the build's size (a page
/// stuffed with links is still read, a runaway answer is not).
fn fetch(agent: &ureq::Agent, url: &str, built_len: usize) -> Result<Live, String> {
    fetch_as(agent, url, built_len, Asked::AsReader)
}

/// Who asks for a file.
#[derive(Clone, Copy)]
enum Asked<'a> {
    AsReader,
    /// A search engine's crawler, with the tag of the file the reader got.
    AsCrawler {
        etag: Option<&'a str>,
    },
}

/// [`fetch`], as `asked`.
fn fetch_as(
    agent: &ureq::Agent,
    url: &str,
    built_len: usize,
    asked: Asked,
) -> Result<Live, String> {
    let mut request = agent.get(url);
    let mut conditional = false;
    if let Asked::AsCrawler { etag } = asked {
        request = request
            .header("User-Agent", CRAWLER_AGENT)
            .header("Referer", SEARCH_REFERER);
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
            conditional = true;
        }
    }
    let mut response = request.call().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    if status == 304 && conditional {
        return Ok(Live::NotModified);
    }
    if (300..400).contains(&status) {
        // Printed as the host sent it, as far as a terminal can show it: a
        // hacked host's answer must not move the cursor or erase lines.
        let to = response.headers().get("location").map_or_else(
            || "(no Location header)".to_string(),
            |v| printable(&String::from_utf8_lossy(v.as_bytes())).into_owned(),
        );
        return Ok(Live::Redirect(to));
    }
    if status != 200 {
        return Ok(Live::Status(status));
    }
    // A `Refresh` header sends a browser elsewhere as a redirect does (a line
    // of a hacked `.htaccess`); a static host adds none to the build's files.
    if let Some(refresh) = response.headers().get("refresh") {
        let to = printable(&String::from_utf8_lossy(refresh.as_bytes())).into_owned();
        return Ok(Live::Refresh(to));
    }
    let etag = (response.headers().get("etag"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let limit = (built_len as u64).saturating_mul(4).max(16 << 20);
    let mut body = Vec::with_capacity(built_len);
    response
        .body_mut()
        .as_reader()
        .take(limit)
        .read_to_end(&mut body)
        .map_err(|e| e.to_string())?;
    Ok(Live::Body(body, etag))
}

/// The hosts a page, a feed, a sitemap, a script, a stylesheet or an
/// attachment (PDF, Word, Excel, PowerPoint, OpenDocument) links to; none for
/// other files.
fn hosts_of_file(rel: &Path, bytes: &[u8]) -> Vec<LinkedHost> {
    let text = || String::from_utf8_lossy(bytes);
    let extension = rel
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if is_html(rel) {
        linked_hosts(&text())
    } else if is_xml(rel) {
        xml_linked_hosts(&text(), LINK_ATTRIBUTES)
    } else if extension == "pdf" {
        // The host's file is anyone's: a parser's panic must not end the run.
        std::panic::catch_unwind(|| pdf_linked_hosts(bytes)).unwrap_or_default()
    } else if ["docx", "xlsx", "pptx", "odt", "ods", "odp"].contains(&extension.as_str()) {
        std::panic::catch_unwind(|| package_linked_hosts(bytes)).unwrap_or_default()
    } else if ["js", "mjs", "css"].contains(&extension.as_str()) {
        // The addresses a script or a stylesheet goes to, loads or writes: a
        // redirect appended to a theme's script (however it is encoded) is
        // how many hacked portals send their readers away.
        let mut found = Vec::new();
        for link in addresses_in_script(&text()) {
            if let Some(host) = host_of(&link) {
                add_host(&mut found, LinkedHost::unplaced(host, link));
            }
        }
        found
    } else {
        Vec::new()
    }
}

/// The largest part of a changed attachment read for its links.
const MAX_ATTACHMENT_PART: u64 = 16 << 20;

/// The addresses of a PDF's links (`/URI` actions), wherever they sit: in a
/// page's annotations, an outline, a form, the document's opening action.
fn pdf_linked_hosts(bytes: &[u8]) -> Vec<LinkedHost> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_ATTACHMENT_PART as usize),
        ..lopdf::LoadOptions::default()
    };
    let Ok(document) = lopdf::Document::load_mem_with_options(bytes, options) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for object in document.objects.values() {
        pdf_links_in(object, 0, &mut found);
    }
    found
}

/// The `/URI`s of a PDF object and of what it holds (a link's action is
/// often written inside its annotation).
fn pdf_links_in(object: &lopdf::Object, depth: usize, found: &mut Vec<LinkedHost>) {
    if depth > 32 {
        return;
    }
    let dictionary = match object {
        lopdf::Object::Dictionary(d) => d,
        lopdf::Object::Stream(s) => &s.dict,
        lopdf::Object::Array(items) => {
            for item in items {
                pdf_links_in(item, depth + 1, found);
            }
            return;
        }
        _ => return,
    };
    for (key, value) in dictionary.iter() {
        if key.as_slice() == b"URI"
            && let lopdf::Object::String(uri, _) = value
        {
            let link = String::from_utf8_lossy(uri).trim().to_string();
            if let Some(host) = host_of(&link) {
                add_host(found, LinkedHost::unplaced(host, link));
            }
        } else {
            pdf_links_in(value, depth + 1, found);
        }
    }
}

/// The links of an Office (OOXML) or OpenDocument file: the targets of its
/// relationships (`word/_rels/document.xml.rels`: every hyperlink of a Word
/// file), and the `xlink:href` of OpenDocument's text.
fn package_linked_hosts(bytes: &[u8]) -> Vec<LinkedHost> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index(index) else {
            continue;
        };
        let Ok(name) = part.name().map(|n| n.into_owned()) else {
            continue;
        };
        let attributes: &[&str] = if name.ends_with(".rels") {
            &["Target"]
        } else if name == "content.xml" || name == "styles.xml" {
            LINK_ATTRIBUTES
        } else {
            continue;
        };
        let mut xml = Vec::new();
        if part
            .take(MAX_ATTACHMENT_PART)
            .read_to_end(&mut xml)
            .is_err()
        {
            continue;
        }
        for linked in xml_linked_hosts(&String::from_utf8_lossy(&xml), attributes) {
            add_host(&mut found, linked);
        }
    }
    found
}

fn is_xml(rel: &Path) -> bool {
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("atom"))
}

fn is_html(rel: &Path) -> bool {
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

fn is_text(rel: &Path) -> bool {
    const TEXT: &[&str] = &[
        "html",
        "htm",
        "css",
        "js",
        "mjs",
        "xml",
        "json",
        "txt",
        "ics",
        "svg",
        "webmanifest",
    ];
    rel.extension()
        .is_some_and(|e| TEXT.iter().any(|t| e.eq_ignore_ascii_case(t)))
}

/// Where `live` first parts from `built`, or `None` when they are the same bytes.
fn first_difference(built: &[u8], live: &[u8], text: bool) -> Option<Difference> {
    if built == live {
        return None;
    }
    let common = built.iter().zip(live).take_while(|(a, b)| a == b).count();
    Some(match text {
        true => Difference::Line(built[..common].iter().filter(|&&b| b == b'\n').count() + 1),
        false => Difference::Byte(common),
    })
}

/// A host a page links to, with the first link that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkedHost {
    host: String,
    link: String,
    /// Where the host is first written, in a text file; see [`located`].
    line: Option<usize>,
}

/// `links` with the line of `body` (a text file's) where each host is first
/// written, however it is written there (see [`mention_of`]).
fn located(mut links: Vec<LinkedHost>, rel: &Path, body: &[u8]) -> Vec<LinkedHost> {
    if links.is_empty() || !is_text(rel) {
        return links;
    }
    let text = String::from_utf8_lossy(body);
    for linked in &mut links {
        linked.line =
            mention_of(&text, &linked.host, 0).map(|at| text[..at.start].matches('\n').count() + 1);
    }
    links
}

/// The attributes through which a page sends a reader or a crawler elsewhere.
const LINK_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "srcset",
];

/// Every other host a page links to, in the order first seen. A `<meta
/// http-equiv="refresh">` redirect counts as a link.
fn linked_hosts(html: &str) -> Vec<LinkedHost> {
    let document = Html::parse_document(html);
    let mut found: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for node in document.root_element().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let mut links: Vec<&str> = Vec::new();
        for (name, value) in element.attrs() {
            if name == "srcdoc" {
                // A frame's whole page, written in the attribute.
                for inner in linked_hosts(value) {
                    let order = found.len();
                    found.entry(inner.host).or_insert((order, inner.link));
                }
            } else if name == "srcset" {
                links.extend(value.split(',').filter_map(|c| c.split_whitespace().next()));
            } else if LINK_ATTRIBUTES.contains(&name) {
                links.push(value);
            }
        }
        // With scripts on, as browsers and html5ever parse, what a
        // `<noscript>` holds is text; crawlers read it as the page's HTML, and
        // hidden links go there for them.
        if element.name() == "noscript" {
            let inner: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            for linked in linked_hosts(&inner) {
                let order = found.len();
                found.entry(linked.host).or_insert((order, linked.link));
            }
        }
        // A script that writes a link or sends the reader away names the
        // address in its text (`location = "https:\/\/okvip…"`).
        if element.name() == "script" {
            let code: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            for link in addresses_in_script(&code) {
                if let Some(host) = host_of(&link) {
                    let order = found.len();
                    found.entry(host).or_insert((order, link));
                }
            }
        }
        if element.name() == "meta"
            && element
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
            && let Some(content) = element.attr("content")
            && let Some(at) = content.to_ascii_lowercase().find("url=")
        {
            links.push(content[at + 4..].trim_matches(['\'', '"', ' ']));
        }
        for link in links {
            if let Some(host) = host_of(link) {
                let order = found.len();
                found
                    .entry(host)
                    .or_insert_with(|| (order, link.trim().to_string()));
            }
        }
    }
    let mut hosts: Vec<(usize, LinkedHost)> = found
        .into_iter()
        .map(|(host, (order, link))| (order, LinkedHost::unplaced(host, link)))
        .collect();
    hosts.sort_by_key(|(order, _)| *order);
    hosts.into_iter().map(|(_, h)| h).collect()
}

/// Every link of a feed or a sitemap (`<link href>`, `<loc>`, `<id>`), and of
/// the HTML its entries carry as text: a feed reader shows that HTML, a
/// search engine follows those addresses. Read as far as it is well-formed.
fn xml_linked_hosts(xml: &str, attributes: &[&str]) -> Vec<LinkedHost> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found: Vec<LinkedHost> = Vec::new();
    // An element's text comes in pieces: runs of text, entities, CDATA.
    let mut text = String::new();
    loop {
        let event = reader.read_event();
        match &event {
            Ok(Event::Text(run)) => {
                text.push_str(&run.xml10_content());
                continue;
            }
            Ok(Event::GeneralRef(reference)) => {
                if let Ok(Some(c)) = reference.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(reference) {
                    text.push_str(s);
                }
                continue;
            }
            Ok(Event::CData(data)) => {
                text.push_str(data.as_ref());
                continue;
            }
            _ => {}
        }
        for linked in hosts_in_xml_text(&std::mem::take(&mut text)) {
            add_host(&mut found, linked);
        }
        match event {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                for attribute in element.attributes().flatten() {
                    let name = attribute.key.local_name();
                    if !attributes.contains(&name.as_ref()) {
                        continue;
                    }
                    let Ok(value) = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    else {
                        continue;
                    };
                    if let Some(host) = host_of(&value) {
                        let link = value.trim().to_string();
                        add_host(&mut found, LinkedHost::unplaced(host, link));
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    found
}

/// The hosts of an XML element's text: an address (`<loc>`, `<id>`), or HTML
/// (a feed entry's `<content type="html">`).
fn hosts_in_xml_text(text: &str) -> Vec<LinkedHost> {
    let text = text.trim();
    if text.contains('<') {
        return linked_hosts(text);
    }
    host_of(text)
        .map(|host| LinkedHost::unplaced(host, text.to_string()))
        .into_iter()
        .collect()
}

impl LinkedHost {
    /// A host found at `link`, its line not yet looked for (see [`located`]).
    fn unplaced(host: String, link: String) -> LinkedHost {
        LinkedHost {
            host,
            link,
            line: None,
        }
    }
}

fn add_host(found: &mut Vec<LinkedHost>, linked: LinkedHost) {
    if !found.iter().any(|f| f.host == linked.host) {
        found.push(linked);
    }
}

/// Every host the build's own pages, feeds and sitemaps link to, and the
/// site's own host.
fn hosts_of_build(site: &Path, files: &[PathBuf], base: &str) -> BTreeSet<String> {
    let mut hosts: BTreeSet<String> = files
        .par_iter()
        .filter(|rel| is_html(rel) || is_xml(rel))
        .flat_map_iter(|rel| {
            let bytes = fs::read(site.join(rel)).unwrap_or_default();
            hosts_of_file(rel, &bytes).into_iter().map(|h| h.host)
        })
        .collect();
    hosts.extend(host_of(base));
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_not_wholly_checked_is_found_changed_only_by_what_the_host_gave() {
        let url = "https://phuongmau.example.gov.vn/a/".to_string();
        let status = |status| Finding::Status {
            url: url.clone(),
            status,
        };
        let unreachable = Finding::Unreachable {
            url: url.clone(),
            error: "timed out".to_string(),
        };
        let differs = Finding::Differs {
            url: url.clone(),
            at: Difference::Line(3),
        };
        let planted = Finding::ForeignHost {
            url: url.clone(),
            host: "jun88.example".to_string(),
            link: "x".to_string(),
            line: Some(3),
            betting: Some("jun88".to_string()),
        };
        let exit = |findings: Vec<Finding>, not_checked| {
            let report = VerifyReport {
                base_url: "https://phuongmau.example.gov.vn".to_string(),
                files: 40,
                findings,
                not_checked,
            };
            (report.exit_status(), report.conclusion())
        };
        for (findings, not_checked, expected) in [
            (vec![], 0, 0),
            (vec![], 20, 2),
            (vec![unreachable.clone()], 0, 2),
            (vec![unreachable.clone(), status(503)], 20, 2),
            (vec![status(502), status(504)], 0, 2),
            // What a host gives otherwise than built: the site was changed.
            (vec![status(500)], 0, 1),
            (vec![status(403)], 0, 1),
            (vec![unreachable.clone(), differs.clone()], 0, 1),
            (vec![differs], 20, 1),
            (vec![unreachable, planted], 20, 1),
        ] {
            let (status, said) = exit(findings, not_checked);
            assert_eq!(status, expected, "{said}");
            let begins = [
                "verify passed: ",
                "verify failed: ",
                "verify could not check the site: ",
            ];
            assert!(said.starts_with(begins[status as usize]), "{said}");
        }
    }

    #[test]
    fn hosts_are_read_as_browsers_read_links() {
        let cases = [
            ("https://OKVIP.example/nha-cai", Some("okvip.example")),
            ("//mu88.example:8080/x", Some("mu88.example")),
            ("http://user:pw@jun88.example./", Some("jun88.example")),
            ("ht\ttps:\\\\shbet.example", Some("shbet.example")),
            ("https://%6Fkvip.example/", Some("okvip.example")),
            ("  https://[::1]:8080/", Some("[::1]")),
            ("/\\evil.example/", Some("evil.example")),
            // One host however it is written: punycode, full-width, hex IPv4.
            ("https://m\u{43e}j.example/", Some("xn--mj-fmc.example")),
            ("https://XN--MJ-FMC.example./", Some("xn--mj-fmc.example")),
            ("https://ＯＫＶＩＰ．example/", Some("okvip.example")),
            ("http://0x7f.1/", Some("127.0.0.1")),
            ("/dan-van/tong-ket/", None),
            ("../images/a.jpg", None),
            ("#1", None),
            ("mailto:ubnd@phuongmau.gov.vn", None),
            ("tel:+84283", None),
        ];
        for (link, host) in cases {
            assert_eq!(host_of(link).as_deref(), host, "{link:?}");
        }
    }

    #[test]
    fn pages_link_to_hosts_by_every_attribute_and_by_refresh() {
        let html = r#"<html><head><meta http-equiv="Refresh" content="0; url=https://redirect.example/">
            </head><body><a href="/tin/">x</a><div style="display:none"><a href="https://okvip.example/">nhà cái</a></div>
            <img src="https://cdn.example/a.jpg" srcset="/a.jpg 1x, https://big.example/a.jpg 2x">
            <form action="//form.example/post"></form><a href="https://okvip.example/2">again</a>
            <iframe srcdoc="&lt;a href='https://srcdoc.example/'&gt;x&lt;/a&gt;"></iframe>
            <noscript><div style="display:none"><a href="https://noscript.example/">nhà cái</a></div></noscript>
            <script>if (/Mobi/.test(navigator.userAgent)) location.href = "https:\/\/script.example\/nha-cai";</script></body></html>"#;
        let hosts: Vec<String> = linked_hosts(html).into_iter().map(|h| h.host).collect();
        assert_eq!(
            hosts,
            [
                "redirect.example",
                "okvip.example",
                "cdn.example",
                "big.example",
                "form.example",
                "srcdoc.example",
                "noscript.example",
                "script.example"
            ]
        );
    }

    #[test]
    fn a_punycode_host_is_shown_with_the_letters_a_reader_sees() {
        assert_eq!(
            shown_host("xn--mj-fmc.example"),
            "xn--mj-fmc.example (m\u{43e}j.example)"
        );
        assert_eq!(shown_host("okvip.example"), "okvip.example");
    }

    #[test]
    fn feeds_and_sitemaps_link_to_hosts_by_their_addresses_and_html() {
        let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><id>https://phuong.example/</id>
            <entry><link href="https://okvip.example/a"/><content type="html">&lt;p&gt;&lt;a href="//jun88.example/"&gt;x&lt;/a&gt;</content></entry>
            <entry><content type="html"><![CDATA[<img src="https://cdn.example/a.png">]]></content></entry></feed>"#;
        let hosts: Vec<String> = xml_linked_hosts(feed, LINK_ATTRIBUTES)
            .into_iter()
            .map(|h| h.host)
            .collect();
        assert_eq!(
            hosts,
            [
                "phuong.example",
                "okvip.example",
                "jun88.example",
                "cdn.example"
            ]
        );
        let sitemap =
            "<urlset><url><loc>https://okvip.example/</loc></url><url><loc>Tin tức</loc></url>";
        let hosts: Vec<String> = xml_linked_hosts(sitemap, LINK_ATTRIBUTES)
            .into_iter()
            .map(|h| h.host)
            .collect();
        assert_eq!(hosts, ["okvip.example"]);
    }

    /// A one-page PDF whose page links to `uri`, as an office suite writes it.
    fn pdf_linking_to(uri: &str) -> Vec<u8> {
        use lopdf::{Document, Object, dictionary};
        let mut pdf = Document::with_version("1.5");
        let pages = pdf.new_object_id();
        let action = dictionary! { "S" => "URI", "URI" => Object::string_literal(uri) };
        let rect: Vec<Object> = vec![0.into(), 0.into(), 100.into(), 20.into()];
        let link = pdf.add_object(
            dictionary! { "Type" => "Annot", "Subtype" => "Link", "Rect" => rect, "A" => action },
        );
        let links: Vec<Object> = vec![link.into()];
        let page =
            pdf.add_object(dictionary! { "Type" => "Page", "Parent" => pages, "Annots" => links });
        let kids: Vec<Object> = vec![page.into()];
        pdf.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 1 }),
        );
        let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        pdf.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn attachments_link_to_hosts_by_their_links() {
        let pdf = pdf_linking_to("https://OKVIP.example./nha-cai");
        let hosts = hosts_of_file(Path::new("van-ban/tep/qd.pdf"), &pdf);
        assert_eq!(hosts.len(), 1, "{hosts:?}");
        assert_eq!(hosts[0].host, "okvip.example");
        assert_eq!(hosts[0].link, "https://OKVIP.example./nha-cai");

        // A Word file's hyperlinks are its relationships' external targets.
        let mut docx = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        docx.start_file("word/_rels/document.xml.rels", stored)
            .unwrap();
        std::io::Write::write_all(
            &mut docx,
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://jun88.example/" TargetMode="External"/></Relationships>"#,
        )
        .unwrap();
        let docx = docx.finish().unwrap().into_inner();
        let hosts: Vec<String> = hosts_of_file(Path::new("tep/bao-cao.docx"), &docx)
            .into_iter()
            .map(|h| h.host)
            .collect();
        assert_eq!(hosts, ["jun88.example"]);
        // Bytes that are no such file: no host, no panic.
        assert!(hosts_of_file(Path::new("a.pdf"), b"%PDF-1.7 garbage").is_empty());
        assert!(hosts_of_file(Path::new("a.docx"), b"PK\x03\x04garbage").is_empty());
    }

    #[test]
    fn addresses_are_made_as_static_hosts_serve_files() {
        let base = base_url("https://phuongmau.example.gov.vn/").unwrap();
        assert_eq!(
            url_of(&base, Path::new("dan-van/tong-ket/index.html")),
            "https://phuongmau.example.gov.vn/dan-van/tong-ket/"
        );
        assert_eq!(
            url_of(&base, Path::new("index.html")),
            "https://phuongmau.example.gov.vn/"
        );
        assert_eq!(
            url_of(&base, Path::new("images/ảnh hội nghị.jpg")),
            "https://phuongmau.example.gov.vn/images/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg"
        );
        let sub = base_url("http://127.0.0.1:8080/cong/").unwrap();
        assert_eq!(
            url_of(&sub, Path::new("feed.xml")),
            "http://127.0.0.1:8080/cong/feed.xml"
        );
        for bad in [
            "phuongmau.gov.vn",
            "ftp://x.vn",
            "https://",
            "https:///x",
            "",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn differences_are_located_by_line_or_byte() {
        assert_eq!(first_difference(b"a\nb\nc", b"a\nb\nc", true), None);
        assert_eq!(
            first_difference(b"a\nb\nc", b"a\nB\nc", true),
            Some(Difference::Line(2))
        );
        assert_eq!(
            first_difference(b"a\nb", b"a\nb\n<a>", true),
            Some(Difference::Line(2))
        );
        assert_eq!(
            first_difference(b"\x89PNG..", b"\x89PNX..", false),
            Some(Difference::Byte(3))
        );
    }
}
