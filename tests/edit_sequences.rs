//! Seeded sequences of the edits editors make (bodies, titles, dates, categories,
//! views, tags, drafts, new, deleted and moved articles, aliases, assets added
//! (some named with tone marks, decomposed as a Mac names files, in folders of
//! either form), renamed between the two Unicode forms and removed, links between articles, other front matter, `site.yaml`, the site
//! theme's templates, static files and language files, the site's own template
//! overrides, documents of the register (văn bản: added and removed, their
//! numbers, dates and so statuses, `replaces`, attachments added, changed and
//! removed), and broken files then their fixes; see `edits_common`). After every
//! edit, `bantin build --cache` into the same folder must write exactly what a
//! fresh full build writes, byte for byte, and `bantin serve` must answer every
//! file of that full build with the same bytes (its live-reload script aside) and
//! 404 for the files the edit removed. A broken file must fail both builds with an
//! error naming it and leave the published output and the served pages as they
//! were, until its fix.
//!
//! CI runs a fixed set of seeds (`cargo test --test edit_sequences`): 8 × 40
//! edits through `build --cache`, and 3 × 40 more through `build --cache` and
//! `serve` both.
//!
//! The longer run, 4,000 edits through `build --cache` and 1,000 more through
//! `build --cache` and `serve`:
//!
//! ```sh
//! BANTIN_EDIT_SEEDS=100 BANTIN_EDITS_PER_SEED=40 BANTIN_SERVE_EDIT_SEEDS=25 \
//!     cargo test --release --test edit_sequences -- --nocapture
//! ```
//!
//! A failure names its seed, step and edit, the edits before it and the first
//! files that differ, and keeps the sequence's folder; it is replayed alone with
//! `BANTIN_EDIT_SEED=<seed> cargo test --test edit_sequences <test name>`
//! (with `BANTIN_EDITS_PER_SEED` as in the run that failed).
//!
//! It found two bugs, both fixed with it: `build --cache` kept the copy of an
//! asset removed from content/ (seed 8, step 1), and `serve` kept reading the
//! old path of a file moved and then saved over at once (seed 1006, step 2).

mod common;
mod edits_common;
mod serve_common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use bantin::serve::reload::SCRIPT as LIVE_RELOAD_SCRIPT;
use common::tree;
use edits_common::{Deck, Edit, EditKind, EditedSite, Outcome, Rng};
use serve_common::{PATIENCE, Server};

/// A folder's files and their bytes, by relative path.
type Files = BTreeMap<String, Vec<u8>>;

/// The seeds a test runs and how many edits each makes.
struct Run {
    seeds: Vec<u64>,
    edits_per_seed: usize,
}

impl Run {
    /// `count` seeds from `first` (`count_variable` in the environment says
    /// otherwise), or only `BANTIN_EDIT_SEED` when it is set.
    fn from_env(first: u64, count: usize, count_variable: &str) -> Run {
        let number = |name: &str| {
            std::env::var(name).ok().map(|v| {
                v.parse::<u64>()
                    .unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
            })
        };
        let edits_per_seed = number("BANTIN_EDITS_PER_SEED").map_or(40, |n| n as usize);
        let seeds = match number("BANTIN_EDIT_SEED") {
            Some(seed) => vec![seed],
            None => {
                let count = number(count_variable).map_or(count as u64, |n| n);
                (first..first + count).collect()
            }
        };
        Run {
            seeds,
            edits_per_seed,
        }
    }
}

/// What a run did, for its summary and its check that every kind of edit came.
#[derive(Default)]
struct Tally {
    edits: usize,
    by_kind: BTreeMap<EditKind, usize>,
    spent: BTreeMap<&'static str, Duration>,
    files_compared: usize,
    model_patched: usize,
}

impl Tally {
    fn add_sequence(&mut self, sequence: &Sequence) {
        self.files_compared += sequence.files_compared;
        self.model_patched += sequence.model_patched;
        for (what, time) in sequence.spent.borrow().iter() {
            *self.spent.entry(what).or_default() += *time;
        }
    }

    fn summary(&self, what: &str, seeds: usize, started: Instant) -> String {
        let spent: Vec<String> = self
            .spent
            .iter()
            .map(|(w, t)| format!("{w} {:.1} s", t.as_secs_f64()))
            .collect();
        format!(
            "{what}: {seeds} seeds, {} edits in {:.1} s ({}), {} files in a full build on average, \
             {} cached builds patched the last model; by kind: {:?}",
            self.edits,
            started.elapsed().as_secs_f64(),
            spent.join(", "),
            self.files_compared / self.edits.max(1),
            self.model_patched,
            self.by_kind
        )
    }

    fn count(&mut self, edit: &Edit) {
        self.edits += 1;
        *self.by_kind.entry(edit.kind).or_default() += 1;
    }

    /// Panics unless every kind of edit but those `not_drawn` was made (a run
    /// of a few edits is exempt).
    fn assert_every_kind_made(&self, what: &str, not_drawn: &[EditKind]) {
        if self.edits < 100 {
            return;
        }
        let missing: Vec<EditKind> = EditKind::all()
            .into_iter()
            .filter(|k| !self.by_kind.contains_key(k) && !not_drawn.contains(k))
            .collect();
        assert!(
            missing.is_empty(),
            "{what}: no edit of kind {missing:?} in {} edits",
            self.edits
        );
    }
}

/// One seed's site, its cached output and cache, and the edits made so far.
struct Sequence {
    test: &'static str,
    seed: u64,
    rng: Rng,
    deck: Deck,
    site: EditedSite,
    /// Holds `site/`, `cache/`, `cached/` (the cached builds' output) and `fresh/`;
    /// kept when the test fails, to look at.
    dir: Option<tempfile::TempDir>,
    /// `--base-url` of both builds (serve's address, when serve is compared).
    base_url: Option<String>,
    /// The cached output after the last build (a failed build must leave it so).
    cached_files: Files,
    /// The last successful full build's files (serve keeps them while broken).
    good_files: Files,
    history: Vec<String>,
    /// Time spent in each part of the work, and files compared, for the run's summary.
    spent: RefCell<BTreeMap<&'static str, Duration>>,
    files_compared: usize,
    /// Cached builds that took the short way (the last model patched).
    model_patched: usize,
}

impl Drop for Sequence {
    fn drop(&mut self) {
        if std::thread::panicking()
            && let Some(dir) = self.dir.take()
        {
            eprintln!(
                "the failed sequence's folder is kept: {}",
                dir.keep().display()
            );
        }
    }
}

impl Sequence {
    /// A new site made from `seed` (not built yet), edited with `deck`.
    fn create(test: &'static str, seed: u64, deck: Deck) -> Sequence {
        let dir = scratch_folder();
        let mut rng = Rng::new(seed);
        let site = EditedSite::create(&dir.path().join("site"), &mut rng);
        Sequence {
            test,
            seed,
            rng,
            deck,
            site,
            dir: Some(dir),
            base_url: None,
            cached_files: Files::new(),
            good_files: Files::new(),
            history: Vec::new(),
            spent: RefCell::default(),
            files_compared: 0,
            model_patched: 0,
        }
    }

    fn root(&self) -> &Path {
        self.site.root()
    }

    fn dir(&self) -> &Path {
        self.dir
            .as_ref()
            .expect("the folder is kept until the end")
            .path()
    }

    fn cached_out(&self) -> PathBuf {
        self.dir().join("cached")
    }

    /// The first builds: the cache is made, and its output is a full build's.
    fn begin(&mut self, base_url: Option<String>) {
        self.base_url = base_url;
        let first = self.cached_build();
        self.assert_built(&first, 0, None, "the first `build --cache`");
        assert!(
            common::stdout(&first).contains("cache not used (there is none"),
            "the first cached build found a cache:\n{}",
            common::stdout(&first)
        );
        self.good_files = self.full_build_files(0, None);
        self.cached_files = tree(&self.cached_out());
        if let Some(diff) = differences(&self.good_files, &self.cached_files) {
            panic!(
                "{}",
                self.failure(
                    0,
                    None,
                    "the first cached build differs from a full build",
                    &diff
                )
            );
        }
    }

    /// Makes the next edit, builds with the cache and without, and compares.
    fn step(&mut self, n: usize) -> Edit {
        let started = Instant::now();
        let edit = self.site.random_edit(&mut self.rng, &mut self.deck);
        *self.spent.borrow_mut().entry("editing").or_default() += started.elapsed();
        self.history
            .push(format!("{n}: [{:?}] {}", edit.kind, edit.description));
        let cached = self.cached_build();
        match &edit.outcome {
            Outcome::Builds => {
                self.assert_built(&cached, n, Some(&edit), "`build --cache`");
                if common::stdout(&cached).contains("patch the model") {
                    self.model_patched += 1;
                }
                let fresh = self.full_build_files(n, Some(&edit));
                self.files_compared += fresh.len();
                let cached_files = self.timed("reading outputs", || tree(&self.cached_out()));
                if let Some(diff) = differences(&fresh, &cached_files) {
                    panic!(
                        "{}",
                        self.failure(
                            n,
                            Some(&edit),
                            "the output of `build --cache` differs from a full build",
                            &diff
                        )
                    );
                }
                self.cached_files = cached_files;
                self.good_files = fresh;
            }
            Outcome::FailsNaming(file) => {
                self.assert_failed(&cached, file, n, &edit, "`build --cache`");
                if let Some(diff) = differences(&self.cached_files, &tree(&self.cached_out())) {
                    panic!(
                        "{}",
                        self.failure(
                            n,
                            Some(&edit),
                            "a failed `build --cache` changed the output",
                            &diff
                        )
                    );
                }
                let fresh = self.full_build();
                self.assert_failed(&fresh, file, n, &edit, "the full build");
            }
        }
        edit
    }

    /// `bantin build --cache` into the same output folder as every step.
    fn cached_build(&self) -> Output {
        let cache = self.dir().join("cache");
        let mut build = self.build_command(&self.cached_out());
        // --timings: the build then says whether it patched the last model.
        build.arg("--cache").arg(cache).arg("--timings");
        self.timed("build --cache", || build.output().expect("bantin runs"))
    }

    /// `bantin build` into a folder made anew.
    fn full_build(&self) -> Output {
        let out = self.dir().join("fresh");
        if out.exists() {
            self.timed("removing full builds", || {
                std::fs::remove_dir_all(&out).expect("the last full build is removed")
            });
        }
        let mut build = self.build_command(&out);
        self.timed("full build", || build.output().expect("bantin runs"))
    }

    /// Runs `work`, adding its time to what `what` took.
    fn timed<T>(&self, what: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let done = work();
        *self.spent.borrow_mut().entry(what).or_default() += started.elapsed();
        done
    }

    fn full_build_files(&self, n: usize, edit: Option<&Edit>) -> Files {
        let out = self.full_build();
        self.assert_built(&out, n, edit, "the full build");
        self.timed("reading outputs", || tree(&self.dir().join("fresh")))
    }

    fn build_command(&self, out: &Path) -> Command {
        let mut build = Command::new(env!("CARGO_BIN_EXE_bantin"));
        build
            .env("SOURCE_DATE_EPOCH", self.site.build_time())
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .arg("--out")
            .arg(out);
        if let Some(base_url) = &self.base_url {
            build.args(["--base-url", base_url]);
        }
        build
    }

    fn assert_built(&self, out: &Output, n: usize, edit: Option<&Edit>, what: &str) {
        if !out.status.success() {
            panic!(
                "{}",
                self.failure(n, edit, &format!("{what} failed"), &common::stderr(out))
            );
        }
        // After the first, every cached build must use the cache, or the
        // comparison would only compare two full builds.
        let said = common::stdout(out);
        if n > 0 && said.contains("cache not used") {
            panic!("{}", self.failure(n, edit, "the cache was not used", &said));
        }
    }

    fn assert_failed(&self, out: &Output, file: &str, n: usize, edit: &Edit, what: &str) {
        let errors = common::stderr(out);
        if out.status.success() {
            panic!(
                "{}",
                self.failure(
                    n,
                    Some(edit),
                    &format!("{what} succeeded on a broken file"),
                    &errors
                )
            );
        }
        if !errors.contains(&format!("{file}:")) {
            panic!(
                "{}",
                self.failure(
                    n,
                    Some(edit),
                    &format!("{what}'s errors do not name {file}"),
                    &errors
                )
            );
        }
        if common::stdout(out).contains("cache not used") {
            panic!(
                "{}",
                self.failure(
                    n,
                    Some(edit),
                    "the cache was not used",
                    &common::stdout(out)
                )
            );
        }
    }

    /// A failure's message: the seed, the step, the edit, what went wrong, the
    /// last edits before it, and how to replay it.
    fn failure(&self, n: usize, edit: Option<&Edit>, what: &str, detail: &str) -> String {
        let edit = edit.map_or("(the site as made)".to_string(), |e| {
            format!("[{:?}] {}", e.kind, e.description)
        });
        let earlier = self.history.len().saturating_sub(12);
        format!(
            "seed {seed}, step {n}, edit {edit}:\n{what}\n{detail}\nthe edits up to it:\n  {history}\n\
             the site: {root}\nreplay: BANTIN_EDIT_SEED={seed} BANTIN_EDITS_PER_SEED=<as run> \
             cargo test --test edit_sequences {test}",
            seed = self.seed,
            history = self.history[earlier..].join("\n  "),
            root = self.root().display(),
            test = self.test,
        )
    }
}

/// A temporary folder, in memory (`/dev/shm`) where the system has one: each
/// edit writes and removes hundreds of small files.
fn scratch_folder() -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("bantin-edits-");
    let memory = Path::new("/dev/shm");
    if memory.is_dir()
        && let Ok(dir) = builder.tempdir_in(memory)
    {
        return dir;
    }
    builder.tempdir().expect("a temporary folder")
}

/// What differs between two folders' files, or `None` when they are the same:
/// the first few missing, extra and different files, each difference shown by
/// a few bytes around its first differing byte.
fn differences(expected: &Files, actual: &Files) -> Option<String> {
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .collect();
    let extra: Vec<&String> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let different: Vec<(&String, &Vec<u8>, &Vec<u8>)> = expected
        .iter()
        .filter_map(|(k, e)| actual.get(k).filter(|a| *a != e).map(|a| (k, e, a)))
        .collect();
    if missing.is_empty() && extra.is_empty() && different.is_empty() {
        return None;
    }
    let mut text = String::new();
    let names = |files: &[&String]| {
        let shown: Vec<&str> = files.iter().take(8).map(|f| f.as_str()).collect();
        let more = files.len().saturating_sub(8);
        format!(
            "{}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    };
    if !missing.is_empty() {
        let _ = writeln!(text, "missing ({}): {}", missing.len(), names(&missing));
    }
    if !extra.is_empty() {
        let _ = writeln!(text, "extra ({}): {}", extra.len(), names(&extra));
    }
    if !different.is_empty() {
        let files: Vec<&String> = different.iter().map(|d| d.0).collect();
        let _ = writeln!(text, "different ({}): {}", different.len(), names(&files));
        for (file, e, a) in different.iter().take(3) {
            let _ = writeln!(text, "  {file}: {}", first_difference(e, a));
        }
    }
    Some(text)
}

/// Where two byte strings first differ, with a few bytes of each around it.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let at = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let around = |bytes: &[u8]| {
        // Widened to whole UTF-8 characters, so that Vietnamese text stays legible.
        let continues = |i: usize| i < bytes.len() && bytes[i] & 0xC0 == 0x80;
        let mut start = at.saturating_sub(40);
        while start > 0 && continues(start) {
            start -= 1;
        }
        let mut end = (at + 60).min(bytes.len());
        while continues(end) {
            end += 1;
        }
        String::from_utf8_lossy(&bytes[start..end]).into_owned()
    };
    format!(
        "{} bytes expected, {} got; first difference at byte {at}: expected …{:?}…, got …{:?}…",
        expected.len(),
        actual.len(),
        around(expected),
        around(actual)
    )
}

// ---- serve ----

/// How many rebuilds (good or failed) serve has reported.
fn rebuilds_reported(server: &Server) -> usize {
    server
        .output()
        .lines()
        .filter(|l| l.starts_with("rebuilt ") || l.starts_with("rebuild failed ("))
        .count()
}

/// Waits until serve has rebuilt after an edit (`rebuilt_before` rebuilds were
/// reported before it), its status is `ok` (or names `broken`), its search
/// index is written, and it answers `expected`; `Err` says what still differs.
fn wait_for_serve(
    server: &Server,
    rebuilt_before: Option<usize>,
    broken: Option<&str>,
    expected: &Files,
    removed: &[String],
) -> Result<(), String> {
    let started = Instant::now();
    if let Some(before) = rebuilt_before {
        while rebuilds_reported(server) <= before {
            if started.elapsed() > PATIENCE {
                return Err("serve did not rebuild after the edit".to_string());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    loop {
        let status = server.get("/__bantin/status").json();
        let state_ok = match broken {
            None => status["ok"] == true,
            Some(file) => {
                status["ok"] == false
                    && status["errors"]
                        .as_str()
                        .is_some_and(|e| e.contains(&format!("{file}:")))
            }
        };
        let problem = if !state_ok {
            format!("the status is {status}")
        } else {
            // One difference is enough to look again later (serve may be at work).
            match served_differences(server, expected, removed, 1) {
                None => return Ok(()),
                Some(difference) => difference,
            }
        };
        if started.elapsed() > PATIENCE {
            let files = served_differences(server, expected, removed, 10)
                .unwrap_or_else(|| "(the files were right at the last look)".to_string());
            return Err(match state_ok {
                true => files,
                false => format!("{problem}\n{files}"),
            });
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// What serve answers that a reader would find different from the full build:
/// a file with other bytes (once the live-reload script, which every HTML page
/// must carry once, is taken out), a file missing, or a removed file still there.
fn served_differences(
    server: &Server,
    expected: &Files,
    removed: &[String],
    limit: usize,
) -> Option<String> {
    let mut problems = Vec::new();
    for (file, bytes) in expected {
        let answer = server.get(&url_path(file));
        let html = file.ends_with(".html") || file.ends_with(".htm");
        let body = if html {
            without_live_reload(&answer.body)
        } else {
            Some(answer.body)
        };
        match body {
            _ if answer.status != 200 => {
                problems.push(format!("{file}: status {}, expected 200", answer.status));
            }
            None => problems.push(format!(
                "{file}: the live-reload script is not in the page once"
            )),
            Some(body) if body != *bytes => {
                problems.push(format!("{file}: {}", first_difference(bytes, &body)));
            }
            Some(_) => {}
        }
        if problems.len() >= limit {
            break;
        }
    }
    for file in removed {
        if problems.len() >= limit {
            break;
        }
        let answer = server.get(&url_path(file));
        if answer.status != 404 {
            problems.push(format!(
                "{file} was removed by the edit but serve answers it with status {}",
                answer.status
            ));
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// An HTML page as served, without the live-reload script serve adds to it;
/// `None` unless the script is there exactly once.
fn without_live_reload(page: &[u8]) -> Option<Vec<u8>> {
    let script = LIVE_RELOAD_SCRIPT.as_bytes();
    let places: Vec<usize> = page
        .windows(script.len())
        .enumerate()
        .filter(|(_, w)| *w == script)
        .map(|(at, _)| at)
        .collect();
    let [at] = places[..] else {
        return None;
    };
    Some([&page[..at], &page[at + script.len()..]].concat())
}

/// The request path of a file of the output, percent-encoded where needed.
fn url_path(file: &str) -> String {
    let mut path = String::from("/");
    for byte in file.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            path.push(byte as char);
        } else {
            let _ = write!(path, "%{byte:02X}");
        }
    }
    path
}

// ---- the tests ----

#[test]
fn after_every_edit_a_cached_build_writes_what_a_full_build_writes() {
    let test = "after_every_edit_a_cached_build_writes_what_a_full_build_writes";
    let run = Run::from_env(1, 8, "BANTIN_EDIT_SEEDS");
    let started = Instant::now();
    let mut tally = Tally::default();
    for &seed in &run.seeds {
        let mut sequence = Sequence::create(test, seed, Deck::for_seed(seed));
        sequence.begin(None);
        let mut n = 0;
        // A sequence ends on a site that builds: a broken file is mended first.
        while n < run.edits_per_seed || sequence.site.is_broken() {
            n += 1;
            let edit = sequence.step(n);
            tally.count(&edit);
        }
        tally.add_sequence(&sequence);
    }
    println!(
        "{}",
        tally.summary("build --cache", run.seeds.len(), started)
    );
    tally.assert_every_kind_made("build --cache", &[]);
}

#[test]
fn after_every_edit_serve_answers_what_a_full_build_writes() {
    let test = "after_every_edit_serve_answers_what_a_full_build_writes";
    let run = Run::from_env(1001, 3, "BANTIN_SERVE_EDIT_SEEDS");
    let started = Instant::now();
    // Edits compared through serve (the cached builds are compared after all).
    let mut tally = Tally::default();
    for &seed in &run.seeds {
        let mut sequence = Sequence::create(test, seed, Deck::new());
        let first = Server::start_with_env(
            sequence.root(),
            &[],
            &[("SOURCE_DATE_EPOCH", edits_common::BUILD_DATE)],
        );
        // Both builds take serve's address, so that one full build is compared
        // with the cached output and with what serve answers.
        sequence.begin(Some(first.origin()));
        if let Err(problem) = wait_for_serve(&first, None, None, &sequence.good_files, &[]) {
            panic!(
                "{}",
                sequence.failure(
                    0,
                    None,
                    "serve's first build differs from a full build",
                    &problem
                )
            );
        }
        let live = &first;
        let mut n = 0;
        while n < run.edits_per_seed || sequence.site.is_broken() {
            n += 1;
            let rebuilt_before = rebuilds_reported(live);
            let before = sequence.good_files.clone();
            let edit = sequence.step(n);
            let broken = match &edit.outcome {
                Outcome::Builds => None,
                Outcome::FailsNaming(file) => Some(file.as_str()),
            };
            let removed: Vec<String> = before
                .keys()
                .filter(|f| !sequence.good_files.contains_key(*f))
                .cloned()
                .collect();
            let waiting = Instant::now();
            let served = wait_for_serve(
                live,
                Some(rebuilt_before),
                broken,
                &sequence.good_files,
                &removed,
            );
            *tally.spent.entry("serve compared").or_default() += waiting.elapsed();
            if let Err(problem) = served {
                let what = match broken {
                    None => "serve does not answer what a full build writes".to_string(),
                    Some(file) => {
                        format!("serve does not keep the last good pages and name {file}")
                    }
                };
                panic!(
                    "{}\nserve said:\n{}",
                    sequence.failure(n, Some(&edit), &what, &problem),
                    last_lines(&live.output(), 20)
                );
            }
            tally.count(&edit);
        }
        tally.add_sequence(&sequence);
    }
    println!("{}", tally.summary("serve", run.seeds.len(), started));
    // Serve's clock is its own: time passing is the cached builds' to try.
    tally.assert_every_kind_made("serve", &[EditKind::TimePasses]);
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}
