//! Watching the site's files: `site.yaml`, `content/`, `themes/` and `templates/`,
//! with notify's debouncer so that an editor's save (several events, often a
//! temporary file renamed over the article) arrives as one batch.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

use crate::content::sources::is_ignored;

/// The folders of the site whose files make the site (besides `site.yaml`).
pub const WATCHED_FOLDERS: [&str; 3] = ["content", "themes", "templates"];

/// How long the debouncer waits for a file's events to settle.
const SETTLE: Duration = Duration::from_millis(25);

pub type SiteDebouncer = Debouncer<RecommendedWatcher, RecommendedCache>;

/// A running watcher of the site at `root`, and the batches of events it sends.
pub struct SiteWatcher {
    root: PathBuf,
    debouncer: SiteDebouncer,
    /// The folders of [`WATCHED_FOLDERS`] watched so far (one may appear later).
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    pub fn start(
        root: &Path,
    ) -> Result<(SiteWatcher, Receiver<DebounceEventResult>), notify::Error> {
        let (sender, events) = channel();
        let mut debouncer = new_debouncer(SETTLE, None, sender)?;
        // The root itself, not recursively: site.yaml, and folders appearing.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = SiteWatcher {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
        };
        watcher.watch_new_folders()?;
        Ok((watcher, events))
    }

    /// Starts watching the folders of [`WATCHED_FOLDERS`] that exist and are not
    /// watched yet (a site may gain `templates/` while served).
    pub fn watch_new_folders(&mut self) -> Result<(), notify::Error> {
        for name in WATCHED_FOLDERS {
            let folder = self.root.join(name);
            if folder.is_dir() && !self.watched.contains(&folder) {
                self.debouncer.watch(&folder, RecursiveMode::Recursive)?;
                self.watched.push(folder);
            }
        }
        Ok(())
    }
}

/// The files of the site that `events` changed, each once, in order.
pub fn changed_files(root: &Path, events: &[DebouncedEvent]) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = Vec::new();
    for event in events {
        if !is_change(&event.kind) {
            continue;
        }
        for path in &event.paths {
            if affects_site(root, path) && !changed.contains(path) {
                changed.push(path.clone());
            }
        }
    }
    changed
}

/// Reading a file is not changing it: the build itself opens every file.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether a change at `path` can change the built site: `site.yaml`, or a file
/// under one of [`WATCHED_FOLDERS`] that is neither hidden nor a backup.
pub fn affects_site(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    // A name that is not UTF-8 is no editor's noise: the build refuses it, and
    // the preview must say so as `bantin build` does.
    let names: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(name) => name.to_str().unwrap_or("\u{fffd}"),
            _ => ".",
        })
        .collect();
    match names.as_slice() {
        [] => false,
        ["site.yaml"] => true,
        [folder, ..] if WATCHED_FOLDERS.contains(folder) => {
            !names.iter().any(|name| is_editor_noise(name))
        }
        _ => false,
    }
}

/// Hidden files and folders (`.bai.md.swp`, `.git/`), backups (`bai.md~`) and
/// lock files (`#bai.md#`): exactly what the build never reads. Only those: a file
/// the build reads (even an odd `bai.md.tmp`, published as an asset) must
/// rebuild, or the preview would differ from a build.
fn is_editor_noise(name: &str) -> bool {
    is_ignored(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_affect_the_site() {
        let root = Path::new("/site");
        for path in [
            "/site/site.yaml",
            "/site/content/dan-van/2014/tong-ket.md",
            "/site/content/images/hoi-nghi.jpg",
            "/site/themes/default/static/style.css",
            "/site/templates/article.html",
            "/site/content/dan-van",
        ] {
            assert!(affects_site(root, Path::new(path)), "{path}");
        }
        use std::os::unix::ffi::OsStrExt;
        let latin1 = Path::new(std::ffi::OsStr::from_bytes(b"/site/content/b\xe0i.md"));
        assert!(affects_site(root, latin1));
    }

    #[test]
    fn output_hidden_and_editor_files_do_not() {
        let root = Path::new("/site");
        for path in [
            "/site/public/index.html",
            "/site/.public.staging-12/index.html",
            "/site/README.md",
            "/site/content/.git/index",
            "/site/content/dan-van/.tong-ket.md.swp",
            "/site/content/dan-van/tong-ket.md~",
            "/site/content/dan-van/#tong-ket.md#",
            "/elsewhere/site.yaml",
            "/site",
        ] {
            assert!(!affects_site(root, Path::new(path)), "{path}");
        }
    }

    #[test]
    fn reading_a_file_is_no_change() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
