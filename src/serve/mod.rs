//! `bantin serve`: a live preview. Builds the site into a private folder (a fresh
//! temporary folder, removed on exit; never the published `public/`), serves it on
//! 127.0.0.1, watches the site's files, rebuilds on every change and reloads the
//! open pages.
//!
//! Each rebuild is a run of the build's one [`Pipeline`], as `bantin build
//! --cache` runs it, with its memo in the preview folder: only changed files
//! are parsed, only pages that show what changed are made, the search index is
//! patched, and the folder ends as `bantin build` of the same files would make
//! it. The open pages reload once the changes are moved in. A rebuild that
//! fails changes nothing, so an edit that breaks the site leaves the last good
//! pages served, with the errors shown over them.

mod editing;
mod http;
pub mod reload;
mod watch;

use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use notify_debouncer_full::DebounceEventResult;
use notify_debouncer_full::notify;
use tokio::sync::broadcast;

use crate::build::{BuildError, BuildOptions, BuildReport, CachedBuild, LoadedSite, Pipeline};
use crate::content::text::to_nfc;
use crate::diagnostics::printable;
use watch::{SiteWatcher, changed_files};

pub use http::{EVENTS_PATH, STATUS_PATH};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port (the one chosen is printed).
    pub port: u16,
    pub drafts: bool,
    /// Print the stages of every rebuild.
    pub timings: bool,
    /// Answer the editing API (which writes content/) even when listening on
    /// an address other machines can reach.
    pub remote_editing: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("cannot make the preview folder: {0}")]
    Preview(io::Error),
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What the open pages are told after a build.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The pages changed: reload.
    Reload,
    /// Only the stylesheet changed: swap it, keep the page.
    Stylesheet,
    /// The build failed with these errors (as printed); the last good pages stay.
    Broken(String),
    /// The site builds again.
    Fixed,
    /// The pages changed, with warnings the last build did not have (as
    /// printed): what the last save caused, shown over the editor.
    Warned(Notice),
}

/// Warnings a build brought, and the save they follow: the number of saves
/// begun when that build began reading the files (see [`Live::save_begins`]).
/// An editor that has saved since knows them for another save's, however
/// late they reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub save: u64,
}

/// What the editor is told of warnings, kept in one place so that a save
/// and a build's outcome are never told out of order.
#[derive(Default)]
struct Warnings {
    /// The warnings of the last build that succeeded and was told, as printed.
    last: HashSet<String>,
    /// Saves begun through the editor so far.
    saves: u64,
    /// What the last save's rebuilds brought, until the next save (or a
    /// failed build): told to an editor opened meanwhile.
    notice: Option<Notice>,
}

/// Whether the preview folder is gone: nothing may write into it any more.
struct Closed(bool);

/// The state of the preview shared by the rebuilds and the server: the errors of
/// the last build, and the channel to the open pages.
pub struct Live {
    errors: RwLock<Option<String>>,
    warnings: Mutex<Warnings>,
    changes: broadcast::Sender<Change>,
    /// Held while a build writes the preview folder, so that exiting waits for
    /// it; [`Closed`] once the folder is removed, so that no build waiting for
    /// it then makes the folder again.
    building: Mutex<Closed>,
}

impl Live {
    fn new() -> Live {
        Live {
            errors: RwLock::new(None),
            warnings: Mutex::new(Warnings::default()),
            changes: broadcast::channel(16).0,
            building: Mutex::new(Closed(false)),
        }
    }

    /// The errors of the last build, `None` if it succeeded.
    pub fn errors(&self) -> Option<String> {
        self.errors.read().map_or(None, |errors| errors.clone())
    }

    /// The state as a page that connects now must learn it.
    fn current(&self) -> Change {
        self.errors().map_or(Change::Fixed, Change::Broken)
    }

    fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Records the outcome of a build; returns whether the site was broken before.
    fn set_errors(&self, errors: Option<String>) -> bool {
        match self.errors.write() {
            Ok(mut current) => std::mem::replace(&mut *current, errors).is_some(),
            Err(_) => false,
        }
    }

    fn warnings(&self) -> std::sync::MutexGuard<'_, Warnings> {
        self.warnings.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A build begins reading the site's files: what it finds follows the
    /// saves begun so far. Pass the answer to [`Live::built`].
    fn build_begins(&self) -> u64 {
        self.warnings().saves
    }

    /// A save through the editor begins (before it writes anything): what
    /// the last save brought is no longer news, and no build that began
    /// before now may tell it again. Returns the save's number, which the
    /// notices of the builds that follow it carry.
    pub fn save_begins(&self) -> u64 {
        let mut warnings = self.warnings();
        warnings.saves += 1;
        warnings.notice = None;
        warnings.saves
    }

    /// Keeps the warnings of a build that succeeded, begun at `begun` (see
    /// [`Live::build_begins`]), and tells the open editors those the last
    /// build did not have. A build begun before the last save began read
    /// files that save may have changed: it tells nothing, and keeps only
    /// the warnings the last build had too, so that the build that follows
    /// that save tells what the save brought. Deciding and telling under one
    /// lock, no save begins in between.
    fn built(&self, begun: u64, now: Vec<String>) {
        let mut warnings = self.warnings();
        if begun != warnings.saves {
            let now: HashSet<String> = now.into_iter().collect();
            warnings.last.retain(|w| now.contains(w));
            return;
        }
        let new: Vec<String> = (now.iter())
            .filter(|w| !warnings.last.contains(*w))
            .cloned()
            .collect();
        warnings.last = now.into_iter().collect();
        if !new.is_empty() {
            let notice = Notice {
                text: new.join("\n"),
                save: begun,
            };
            warnings.notice = Some(notice.clone());
            self.tell(Change::Warned(notice));
        }
    }

    /// The first build's warnings: the site's own, no save's news.
    fn first_built(&self, now: Vec<String>) {
        self.warnings().last = now.into_iter().collect();
    }

    /// A build failed: its errors are shown instead of the last warnings.
    fn failed(&self, text: String) {
        let mut warnings = self.warnings();
        warnings.notice = None;
        self.set_errors(Some(text.clone()));
        self.tell(Change::Broken(text));
    }

    /// What an editor opened now is told first: the state, then what the
    /// last save brought (unless the site is broken); and the changes after
    /// those, none missed and none told before them.
    fn editor_start(&self) -> (Vec<Change>, broadcast::Receiver<Change>) {
        let warnings = self.warnings();
        let changes = self.subscribe();
        let current = self.current();
        let notice = match current {
            Change::Broken(_) => None,
            _ => warnings.notice.clone().map(Change::Warned),
        };
        (std::iter::once(current).chain(notice).collect(), changes)
    }

    fn tell(&self, change: Change) {
        // No open page is no error.
        let _ = self.changes.send(change);
    }
}

/// Builds, serves and watches the site until Ctrl+C (or SIGTERM).
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // Listening from the start: Ctrl+C during the first build stops after it,
    // cleanly, instead of killing it and leaving its folder behind.
    let stopped = runtime.spawn(stop_signal());
    let wanted = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(wanted))
        .map_err(|source| ServeError::Bind {
            addr: wanted,
            source,
        })?;
    let addr = listener.local_addr()?;
    let preview = preview_folder().map_err(ServeError::Preview)?;
    let build_options = BuildOptions {
        root: options.root.clone(),
        out: Some(preview.path().join("site")),
        drafts: options.drafts,
        // Links in the pages lead back to the preview, not to the published site.
        base_url: Some(format!("http://{addr}/")),
        build_time: BuildOptions::build_time_from_env(),
    };
    let out = build_options.out_dir();
    // Watched from before the first build, so that no edit made while it
    // runs is missed. Events name paths under the folder as watched: watch
    // the real one.
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let (watcher, events) = SiteWatcher::start(&root)?;
    println!("serving the site at http://{addr}/");
    println!("preview files: {}", out.display());
    let live = Arc::new(Live::new());
    let editing = start_editing(options, addr, &live);
    let app = http::router(
        http::Preview {
            dir: Arc::new(out),
            live: Arc::clone(&live),
            loopback: options.bind.is_loopback(),
            content: Arc::new(options.root.join("content")),
        },
        editing.clone(),
    );
    // Served once `ready` goes: when the first build's pages are in, while
    // its memo is saved, or, if it fails, with its errors.
    let (ready, when_ready) = tokio::sync::oneshot::channel::<()>();
    let served = runtime.spawn(async move {
        let _ = when_ready.await;
        axum::serve(listener, app).await
    });
    let mut ready = Some(ready);
    let mut site = Pipeline::on_disk(build_options, &preview.path().join("memo"));
    let published = |loaded: Option<&LoadedSite>| {
        if let (Some(editing), Some(loaded)) = (&editing, loaded) {
            editing.remember(loaded);
        }
        drop(ready.take());
    };
    match told_memo(site.run_cached(published), options.timings) {
        Ok(report) => {
            live.first_built(print_warnings(&report));
            println!(
                "built {} articles into {} pages in {} ms",
                report.articles,
                report.pages,
                report.elapsed.as_millis()
            );
        }
        Err(e) => {
            let text = failure_text(&e);
            eprintln!("{text}");
            eprintln!("build failed: fix the file and save; the pages appear then");
            live.set_errors(Some(text));
        }
    }
    drop(ready);
    println!("watching site.yaml, content/, themes/ and templates/; Ctrl+C stops");

    {
        let live = Arc::clone(&live);
        let timings = options.timings;
        let editing = editing.clone();
        std::thread::spawn(move || {
            let rebuilds = Rebuilds {
                live: &live,
                editing: editing.as_deref(),
                timings,
            };
            rebuild_on_changes(&root, watcher, events, site, &rebuilds)
        });
    }

    let served = runtime.block_on(async {
        tokio::select! {
            served = served => served.unwrap_or_else(|e| Err(io::Error::other(e))),
            _ = stopped => Ok(()),
        }
    });
    // Open event streams never end by themselves: do not wait for them.
    runtime.shutdown_timeout(Duration::from_millis(200));
    // A rebuild under way finishes first, or it would write the folder anew.
    // Writers waiting for these find the folder closed (it would be made anew
    // under a removed temporary folder, and left there).
    live.building.lock().unwrap_or_else(|e| e.into_inner()).0 = true;
    drop(preview);
    served.map_err(ServeError::Io)
}

/// The editing API, if it may be on: on a loopback address, or when asked
/// for (with a warning: anyone who can reach the address can then write the
/// site's content).
fn start_editing(
    options: &ServeOptions,
    addr: SocketAddr,
    live: &Arc<Live>,
) -> Option<Arc<editing::Editing>> {
    if !options.bind.is_loopback() && !options.remote_editing {
        println!(
            "editing in the browser is off: {} can be reached from other machines (add --remote-editing to turn it on)",
            options.bind
        );
        return None;
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: editing in the browser is on at {addr}: anyone who can reach this address can change the site's content/"
        );
    }
    match editing::Editing::new(&options.root, addr, Arc::clone(live)) {
        Ok(editing) => {
            println!("edit in the browser: http://{addr}/admin/");
            Some(Arc::new(editing))
        }
        Err(e) => {
            eprintln!("warning: editing in the browser is off: {e}");
            None
        }
    }
}

/// What a rebuild tells of its outcome, and to whom.
struct Rebuilds<'a> {
    live: &'a Live,
    editing: Option<&'a editing::Editing>,
    timings: bool,
}

/// A private temporary folder for the preview: in memory (`/dev/shm`) where the
/// system has one, as rebuilds rewrite files there many times a minute.
fn preview_folder() -> io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("bantin-serve-");
    let memory = Path::new("/dev/shm");
    if memory.is_dir()
        && let Ok(dir) = builder.tempdir_in(memory)
    {
        return Ok(dir);
    }
    builder.tempdir()
}

/// Ctrl+C, or SIGTERM where there is one.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Rebuilds the site after each batch of changes to its files, for as long as the
/// watcher runs. Batches that arrive during a build are taken together.
fn rebuild_on_changes(
    root: &Path,
    mut watcher: SiteWatcher,
    events: Receiver<DebounceEventResult>,
    mut site: Pipeline,
    rebuilds: &Rebuilds,
) {
    while let Ok(first) = events.recv() {
        let mut changed = Vec::new();
        // Whether every change was named (no lost events, no rescan asked for).
        let mut complete = true;
        for batch in std::iter::once(first).chain(events.try_iter()) {
            match batch {
                Ok(batch) => {
                    complete &= !batch.iter().any(|e| e.need_rescan());
                    for path in changed_files(root, &batch) {
                        if !changed.contains(&path) {
                            changed.push(path);
                        }
                    }
                }
                Err(errors) => {
                    complete = false;
                    for e in errors {
                        eprintln!("warning: watching the site: {e}");
                    }
                }
            }
        }
        if changed.is_empty() && complete {
            continue;
        }
        if let Err(e) = watcher.watch_new_folders() {
            eprintln!("warning: watching the site: {e}");
        }
        rebuild(root, &mut site, rebuilds, &changed);
    }
}

fn rebuild(root: &Path, site: &mut Pipeline, rebuilds: &Rebuilds, changed: &[PathBuf]) {
    let (live, timings) = (rebuilds.live, rebuilds.timings);
    let what = describe(root, changed);
    let content = root.join("content");
    let changed_content: Vec<String> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(&content).ok())
        // Files are known by their names in NFC, whatever the disk holds.
        .map(|rel| to_nfc(rel.to_string_lossy().replace('\\', "/")))
        .collect();
    site.report_changes(changed_content.iter().map(String::as_str));
    let building = live.building.lock().unwrap_or_else(|e| e.into_inner());
    if building.0 {
        return;
    }
    // The open pages reload once the pages are in, while the memo is saved.
    let published = |loaded: Option<&LoadedSite>| {
        if let (Some(editing), Some(loaded)) = (rebuilds.editing, loaded) {
            editing.remember(loaded);
        }
        let was_broken = live.set_errors(None);
        if was_broken {
            live.tell(Change::Fixed);
        }
        // After a failure the open pages may be older than the last batch.
        let stylesheet_only = !was_broken
            && changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css")));
        live.tell(if stylesheet_only {
            Change::Stylesheet
        } else {
            Change::Reload
        });
    };
    let begun = live.build_begins();
    match told_memo(site.run_cached(published), timings) {
        Ok(report) => {
            live.built(begun, print_warnings(&report));
            if timings {
                report.print_stages();
            }
            println!(
                "rebuilt in {} ms, making {} pages again and writing {} changed files ({what})",
                report.elapsed.as_millis(),
                report.pages_rendered,
                report.files_written,
            );
        }
        Err(e) => {
            let text = failure_text(&e);
            eprintln!("{text}");
            eprintln!("rebuild failed ({what}); still serving the last good pages");
            live.failed(text);
        }
    }
}

/// The outcome of a run, having told what became of its memo: why it could
/// not be saved (the next run starts from nothing), and, with `timings`, why
/// the last model was made again rather than patched.
fn told_memo(run: CachedBuild, timings: bool) -> Result<BuildReport, BuildError> {
    if let (Some(why), true) = (&run.not_patched, timings) {
        println!("made the model again: {why}");
    }
    if let Some(e) = &run.not_saved {
        eprintln!(
            "warning: the preview's memo could not be saved: {e}; the next rebuild makes everything"
        );
    }
    run.result
}

/// `content/a.md changed`, or `3 files changed`.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    match changed {
        [] => "changes the watcher could not name".to_string(),
        [one] => format!(
            "{} changed",
            printable(&one.strip_prefix(root).unwrap_or(one).to_string_lossy())
        ),
        many => format!("{} files changed", many.len()),
    }
}

/// Prints the warnings of a build; returns them as printed.
fn print_warnings(report: &BuildReport) -> Vec<String> {
    let printed: Vec<String> = (report.warnings.sorted().iter())
        .map(ToString::to_string)
        .collect();
    for warning in &printed {
        eprintln!("{warning}");
    }
    printed
}

/// A failed build's errors as the terminal shows them (`path:line:col: message`),
/// which is also what the pages show.
fn failure_text(e: &BuildError) -> String {
    match e {
        BuildError::Site(problems) => problems
            .sorted()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("error: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn told(changes: &mut broadcast::Receiver<Change>) -> Vec<Change> {
        std::iter::from_fn(|| changes.try_recv().ok()).collect()
    }

    fn warned(text: &str, save: u64) -> Change {
        Change::Warned(Notice {
            text: text.to_string(),
            save,
        })
    }

    /// The order the race took: the rebuild of one save is under way when
    /// the clerk saves again (fixing what it warns of), and ends after.
    #[test]
    fn a_build_begun_before_a_save_never_tells_its_warnings_after_it() {
        let live = Live::new();
        live.first_built(Vec::new());
        let (_, mut open_editor) = live.editor_start();
        let first_save = live.save_begins();
        let its_build = live.build_begins();
        let second_save = live.save_begins();
        live.built(its_build, vec!["a.md:2:1: warning: the tag `…`".into()]);
        assert_eq!(told(&mut open_editor), []);
        // An editor opened now is told the state, and no warning.
        assert_eq!(live.editor_start().0, [Change::Fixed]);

        // The second save's build finds the warning still there: told, as
        // the second save's.
        let its_build = live.build_begins();
        live.built(its_build, vec!["a.md:2:1: warning: the tag `…`".into()]);
        let notice = warned("a.md:2:1: warning: the tag `…`", second_save);
        assert_eq!(told(&mut open_editor), std::slice::from_ref(&notice));
        assert_eq!(live.editor_start().0, [Change::Fixed, notice]);
        assert!(first_save < second_save);
    }

    #[test]
    fn a_save_takes_the_last_notice_away_and_a_build_without_news_keeps_it() {
        let live = Live::new();
        live.first_built(vec!["old.md:1:1: warning: x".into()]);
        let save = live.save_begins();
        let build = live.build_begins();
        let warnings = vec![
            "old.md:1:1: warning: x".into(),
            "a.md:3:1: warning: y".into(),
        ];
        live.built(build, warnings.clone());
        let notice = warned("a.md:3:1: warning: y", save);
        assert_eq!(live.editor_start().0, [Change::Fixed, notice.clone()]);
        // The same save's file seen written again: nothing new, the notice stays.
        live.built(live.build_begins(), warnings);
        assert_eq!(live.editor_start().0, [Change::Fixed, notice]);
        live.save_begins();
        assert_eq!(live.editor_start().0, [Change::Fixed]);
    }

    #[test]
    fn a_failed_build_shows_its_errors_instead_of_the_notice() {
        let live = Live::new();
        live.first_built(Vec::new());
        live.save_begins();
        live.built(live.build_begins(), vec!["a.md:3:1: warning: y".into()]);
        live.failed("a.md:1:1: error: z".into());
        assert_eq!(
            live.editor_start().0,
            [Change::Broken("a.md:1:1: error: z".into())]
        );
    }

    /// A build that read files of a save under way keeps none of its new
    /// warnings: the build after the save tells them.
    #[test]
    fn warnings_a_late_build_found_are_told_by_the_next() {
        let live = Live::new();
        live.first_built(Vec::new());
        let build = live.build_begins();
        let save = live.save_begins();
        live.built(build, vec!["a.md:3:1: warning: y".into()]);
        live.built(live.build_begins(), vec!["a.md:3:1: warning: y".into()]);
        assert_eq!(
            live.editor_start().0,
            [Change::Fixed, warned("a.md:3:1: warning: y", save)]
        );
    }
}
