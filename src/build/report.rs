//! What a build is asked to do and what it tells: options, report, errors.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::memo::file::{CacheFor, NotUsed};
use crate::output::OutputError;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// The build's date, which documents' statuses, the schedule's current
    /// week and calendars' DTSTAMP follow: read at the edge (`SOURCE_DATE_EPOCH`, see
    /// [`BuildOptions::build_time_from_env`]); `None`: the time each run starts.
    pub build_time: Option<jiff::Timestamp>,
}

impl BuildOptions {
    /// `SOURCE_DATE_EPOCH` (seconds since 1970), as reproducible builds set it;
    /// `None` when unset or not a number.
    pub fn build_time_from_env() -> Option<jiff::Timestamp> {
        let seconds = std::env::var("SOURCE_DATE_EPOCH").ok()?;
        jiff::Timestamp::from_second(seconds.trim().parse().ok()?).ok()
    }

    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            base_url: None,
            build_time: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// The moment the build is made at: [`BuildOptions::build_time`], else
    /// now. Documents' statuses and the schedule's current week are as of its
    /// date in the site's zone.
    pub fn moment(&self) -> jiff::Timestamp {
        self.build_time.unwrap_or_else(jiff::Timestamp::now)
    }

    /// The build a cache on disk made with these options is for.
    pub fn cache_for(&self) -> CacheFor {
        CacheFor {
            root: self.root.clone(),
            out: self.out_dir(),
            drafts: self.drafts,
            base_url: self.base_url.clone(),
        }
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub articles: usize,
    pub pages: usize,
    /// Pages and search index files written: every page, but with a memo, where
    /// only those whose bytes changed are (copied files are counted apart).
    pub files_written: usize,
    /// Pages rendered: every page, but with a memo, where only those whose
    /// context changed are (each then written if its bytes changed).
    pub pages_rendered: usize,
    pub files_copied: usize,
    /// Warnings: the build succeeded, but an editor should look.
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// How long each stage took, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    /// The report with the stages of its run, which started at `started`.
    pub(super) fn with(mut self, stages: Stages, started: Instant) -> Self {
        self.stages = stages.list;
        self.elapsed = started.elapsed();
        self
    }

    /// One line a stage: `   412.3 ms  render pages`.
    pub fn print_stages(&self) {
        for (stage, took) in &self.stages {
            println!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the site's files; nothing was published.
    #[error("the site has {} error(s)", .0.error_count())]
    Site(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// How a build with a cache went.
pub struct CachedBuild {
    pub result: Result<BuildReport, BuildError>,
    /// Why the cache could not be used, if it could not: then the build started
    /// from nothing (and made a cache for the next).
    pub not_used: Option<NotUsed>,
    /// Why the cache could not be saved, if it could not (the build is done).
    pub not_saved: Option<std::io::Error>,
    /// Why the last build's model was made again rather than patched with
    /// edits that keep the site's shape, if the cache was used.
    pub not_patched: Option<super::NotPatched>,
}

/// Told the name of each stage of a build as it ends, and how long it took.
pub type StageWatcher = Box<dyn Fn(&'static str, Duration) + Send + Sync>;

static STAGE_WATCHER: OnceLock<StageWatcher> = OnceLock::new();

/// Has `watcher` told of every stage of the builds this process runs, as each
/// ends: the command line's progress on a terminal. Set once (a later call is
/// ignored); without it, builds tell no one.
pub fn watch_stages(watcher: StageWatcher) {
    let _ = STAGE_WATCHER.set(watcher);
}

/// Durations of the stages of a build, each measured from the end of the last.
pub(super) struct Stages {
    last: Instant,
    pub(super) list: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub(super) fn new() -> Self {
        Stages {
            last: Instant::now(),
            list: Vec::new(),
        }
    }

    pub(super) fn done(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.list.push((stage, now - self.last));
        if let Some(watcher) = STAGE_WATCHER.get() {
            watcher(stage, now - self.last);
        }
        self.last = now;
    }
}
