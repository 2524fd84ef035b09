//! Bytes -> disk. A build writes into a staging folder beside the output and swaps
//! it in only when everything succeeded, so a failed build leaves the previous
//! output exactly as it was. A rebuild that changes a few files writes them into a
//! patch folder beside the output and moves them in when all are written. Paths are
//! checked so nothing is written outside.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::sources::safe_relative;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write `{0}`: the path leaves the output folder")]
    UnsafePath(String),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The file that marks an output folder as bantin's own: only such a folder (or an
/// empty one) is replaced by a build, so a mistyped `--out` cannot wipe a folder
/// of other files.
pub const OUTPUT_MARK: &str = ".bantin-output";

const OUTPUT_MARK_TEXT: &str =
    "This folder is made by `bantin build` and replaced whole by each build.\n";

/// Whether a build may replace `out`: it does not exist, is an empty folder, or
/// holds the mark of an earlier build.
pub fn may_replace(out: &Path) -> bool {
    match fs::read_dir(out) {
        Ok(mut entries) => entries.next().is_none() || out.join(OUTPUT_MARK).is_file(),
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

/// A folder being filled with a new build; dropped without [`Staging::commit`], it
/// is removed and the output is untouched.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder beside `out` (same file system, so the swap
    /// is a rename).
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        let (parent, name) = parent_and_name(out);
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        let staging = Staging {
            out: out.to_path_buf(),
            dir,
            committed: false,
        };
        staging.write(OUTPUT_MARK, OUTPUT_MARK_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path inside the output), always
    /// into a new file: a path written twice is replaced, never written through,
    /// since it may be a hard link to a source file (see [`Staging::copy`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        write_in(&self.dir, rel, bytes)
    }

    /// Puts the file `from` at `rel`: as a hard link when `from` is a regular file
    /// on the same file system (no bytes copied, no new inode to allocate), else
    /// as a copy.
    ///
    /// A link is safe here because nothing ever writes into an output file: bantin
    /// writes only new files into a new staging folder ([`Staging::write`], and
    /// `copy` replaces an existing path), and replacing or deleting an output
    /// only unlinks. The swap stays atomic, as a link lives in the staging folder
    /// like a copy. Links to links are copied instead, so the output never holds a
    /// symbolic link. What a link does change: a source file rewritten in place
    /// (not replaced) after the build changes the output's file too, until the
    /// next build replaces it.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        copy_in(&self.dir, rel, from)
    }

    /// Puts the new build in place of the old output. Where the system can swap
    /// two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`), the output
    /// is at every instant either the old build or the new one, even if the process
    /// is killed; elsewhere the old output is moved aside first.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let had_output = self.out.exists();
        if had_output && exchange(&self.dir, &self.out).is_ok() {
            // The staging path now holds the previous output.
            self.committed = true;
            let _ = remove_tree(&self.dir);
            return Ok(());
        }
        let (parent, name) = parent_and_name(&self.out);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if had_output {
            fs::rename(&self.out, &old).map_err(io_error(&self.out))?;
        }
        if let Err(source) = fs::rename(&self.dir, &self.out) {
            if had_output {
                // Put the previous output back: a failed build must not lose it.
                let _ = fs::rename(&old, &self.out);
            }
            return Err(OutputError::Io {
                path: self.out.clone(),
                source,
            });
        }
        self.committed = true;
        if had_output {
            let _ = remove_tree(&old);
        }
        Ok(())
    }
}

/// Removes the folder `dir` and everything in it, its folders in parallel: the
/// output a build replaces holds tens of thousands of files, and unlinking them
/// one by one took a third of a full build's time at 10,000 articles. Links
/// inside are removed, never followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<fs::DirEntry>>>()?;
    entries
        .par_iter()
        .try_for_each(|entry| match entry.file_type()?.is_dir() {
            true => remove_tree(&entry.path()),
            false => fs::remove_file(entry.path()),
        })?;
    fs::remove_dir(dir)
}

/// Writes `bytes` to `rel` inside `dir`, always into a new file (see [`Staging::write`]).
fn write_in(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let path = target(dir, rel)?;
    make_parent(&path)?;
    write_new(&path, bytes).map_err(io_error(&path))
}

/// Puts the file `from` at `rel` inside `dir`, linked or copied (see [`Staging::copy`]).
fn copy_in(dir: &Path, rel: &str, from: &Path) -> Result<(), OutputError> {
    let path = target(dir, rel)?;
    make_parent(&path)?;
    let regular = fs::symlink_metadata(from).is_ok_and(|m| m.file_type().is_file());
    if regular {
        let linked = match fs::hard_link(from, &path) {
            // A path copied twice: the new file replaces the old.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                remove_file_if_any(&path).map_err(io_error(&path))?;
                fs::hard_link(from, &path)
            }
            linked => linked,
        };
        if linked.is_ok() {
            return Ok(());
        }
    }
    remove_file_if_any(&path).map_err(io_error(&path))?;
    // Another file system, no permission to link, too many links: copy.
    fs::copy(from, &path).map(|_| ()).map_err(io_error(from))
}

fn target(dir: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    if safe_relative(rel).is_none() {
        return Err(OutputError::UnsafePath(rel.to_string()));
    }
    // Sized once: a build makes one such path for each of its files.
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + rel.len());
    path.push(dir);
    path.push(rel);
    Ok(path)
}

/// Changes to an output folder in place: the changed files are written into a
/// patch folder beside it, and [`Patch::commit`] moves them in (each move replaces
/// one file in one step) and removes the files the site no longer has. Dropped
/// without a commit, the patch is removed and the output is untouched.
#[derive(Debug)]
pub struct Patch {
    out: PathBuf,
    dir: PathBuf,
    written: std::sync::Mutex<Vec<String>>,
    committed: bool,
}

impl Patch {
    /// Starts a patch of `out`, made (empty, with the output mark) if missing.
    /// `label` tells apart patches of the same folder made at the same time.
    pub fn create(out: &Path, label: &str) -> Result<Patch, OutputError> {
        fs::create_dir_all(out).map_err(io_error(out))?;
        if !out.join(OUTPUT_MARK).exists() {
            write_in(out, OUTPUT_MARK, OUTPUT_MARK_TEXT.as_bytes())?;
        }
        let (parent, name) = parent_and_name(out);
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.{label}.patch-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        Ok(Patch {
            out: out.to_path_buf(),
            dir,
            written: std::sync::Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// A patch of an empty folder (made if missing), written in place: with no
    /// files to keep, moving them in would be wasted work. Dropped without a
    /// commit, it removes what it wrote.
    pub fn in_empty(out: &Path) -> Result<Patch, OutputError> {
        fs::create_dir_all(out).map_err(io_error(out))?;
        if !out.join(OUTPUT_MARK).exists() {
            write_in(out, OUTPUT_MARK, OUTPUT_MARK_TEXT.as_bytes())?;
        }
        Ok(Patch {
            out: out.to_path_buf(),
            dir: out.to_path_buf(),
            written: std::sync::Mutex::new(Vec::new()),
            committed: false,
        })
    }

    fn in_place(&self) -> bool {
        self.dir == self.out
    }

    /// Writes `bytes` to `rel` (a `/`-separated path inside the output).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        write_in(&self.dir, rel, bytes)?;
        self.note(rel);
        Ok(())
    }

    /// Copies the file `from` to `rel`.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        copy_in(&self.dir, rel, from)?;
        self.note(rel);
        Ok(())
    }

    fn note(&self, rel: &str) {
        if let Ok(mut written) = self.written.lock() {
            written.push(rel.to_string());
        }
    }

    /// Moves the written files into the output and removes `gone` (files of the
    /// last build the site no longer has), with folders they leave empty.
    pub fn commit(mut self, gone: &[String]) -> Result<(), OutputError> {
        let mut written =
            std::mem::take(&mut *self.written.lock().map_err(|_| OutputError::Io {
                path: self.dir.clone(),
                source: io::Error::other("a writer panicked"),
            })?);
        written.sort();
        for rel in written.iter().filter(|_| !self.in_place()) {
            let from = target(&self.dir, rel)?;
            let to = target(&self.out, rel)?;
            make_parent(&to)?;
            if to.is_dir() {
                // A page that was a folder's index is now a file of that name.
                fs::remove_dir_all(&to).map_err(io_error(&to))?;
            }
            fs::rename(&from, &to).map_err(io_error(&to))?;
        }
        for rel in gone {
            let path = target(&self.out, rel)?;
            match fs::remove_file(&path) {
                Ok(()) => remove_empty_parents(&self.out, &path),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&path)(e)),
            }
        }
        self.committed = true;
        if !self.in_place() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        Ok(())
    }
}

impl Drop for Patch {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if !self.in_place() {
            let _ = fs::remove_dir_all(&self.dir);
            return;
        }
        if let Ok(written) = self.written.lock() {
            for rel in written.iter() {
                if let Ok(path) = target(&self.out, rel) {
                    let _ = fs::remove_file(&path);
                    remove_empty_parents(&self.out, &path);
                }
            }
        }
    }
}

/// A build's files on their way to the output: a whole new folder that will
/// replace it, or a patch of the changes to it.
#[derive(Debug)]
pub enum PendingOutput {
    New(Staging),
    Changes(Patch),
}

impl PendingOutput {
    /// A patch of `out` when `out` holds what `known_files` says, else a new folder:
    /// a folder the build knows nothing of is replaced whole (unless it is empty,
    /// then it is written in place), so no file of another build can stay in it.
    pub fn for_output(out: &Path, known_files: bool) -> Result<PendingOutput, OutputError> {
        Ok(if known_files {
            PendingOutput::Changes(Patch::create(out, "pages")?)
        } else if is_empty_output(out) {
            PendingOutput::Changes(Patch::in_empty(out)?)
        } else {
            PendingOutput::New(Staging::create(out)?)
        })
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        match self {
            PendingOutput::New(staging) => staging.write(rel, bytes),
            PendingOutput::Changes(patch) => patch.write(rel, bytes),
        }
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        match self {
            PendingOutput::New(staging) => staging.copy(rel, from),
            PendingOutput::Changes(patch) => patch.copy(rel, from),
        }
    }

    /// Publishes the files: swaps the new folder in, or moves the changes in and
    /// removes `gone` (a new folder has no files of the last build to remove).
    pub fn commit(self, gone: &[String]) -> Result<(), OutputError> {
        match self {
            PendingOutput::New(staging) => staging.commit(),
            PendingOutput::Changes(patch) => patch.commit(gone),
        }
    }
}

/// Whether `dir` holds nothing but the output mark (or does not exist).
pub fn is_empty_output(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .all(|e| e.file_name() == OUTPUT_MARK),
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

/// Removes the folders above `path` that are now empty, up to `root`.
fn remove_empty_parents(root: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Swaps two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes staging and old output folders left by builds that were killed
/// (`.public.staging-<pid>`, `.public.old-<pid>` whose process is gone).
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let pid = [".staging-", ".old-", ".pages.patch-", ".index.patch-"]
            .iter()
            .find_map(|kind| {
                file_name
                    .strip_prefix(&format!(".{name}{kind}"))?
                    .parse::<u32>()
                    .ok()
            });
        if let Some(pid) = pid
            && pid != std::process::id()
            && !process_is_running(pid)
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true // cannot tell: leave it
    }
}

/// Writes `bytes` into a new file at `path`, replacing (not truncating) any file
/// there.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let create = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            create()?
        }
        file => file?,
    };
    io::Write::write_all(&mut file, bytes)
}

fn remove_file_if_any(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn make_parent(path: &Path) -> Result<(), OutputError> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    // One call where the folder is new or already there (most files of a build);
    // `create_dir_all` would also look whether an existing one is a folder, and a
    // file in the way makes the write that follows fail anyway.
    match fs::create_dir(parent) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(_) => fs::create_dir_all(parent).map_err(io_error(parent)),
    }
}

fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = out.file_name().map_or_else(
        || "public".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    (parent, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".public.staging-999999999");
        let other = dir.path().join(".other.staging-999999999");
        fs::create_dir(&dead).unwrap();
        fs::create_dir(&other).unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        assert!(!dead.exists());
        assert!(other.exists(), "only this output's leftovers are touched");
        drop(staging);
    }

    #[test]
    fn assets_arrive_byte_identical_linked_or_copied() {
        let dir = tempfile::tempdir().unwrap();
        let image: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let source = dir.path().join("anh.jpg");
        fs::write(&source, &image).unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        staging.copy("tin-tuc/anh.jpg", &source).unwrap();
        // A symbolic link is copied (the output holds no links to follow).
        #[cfg(unix)]
        {
            let link = dir.path().join("lien-ket.jpg");
            std::os::unix::fs::symlink(&source, &link).unwrap();
            staging.copy("tin-tuc/lien-ket.jpg", &link).unwrap();
        }
        staging.commit().unwrap();
        let out = dir.path().join("public/tin-tuc");
        assert_eq!(fs::read(out.join("anh.jpg")).unwrap(), image);
        #[cfg(unix)]
        {
            let copied = out.join("lien-ket.jpg");
            assert!(fs::symlink_metadata(&copied).unwrap().file_type().is_file());
            assert_eq!(fs::read(copied).unwrap(), image);
        }
    }

    #[test]
    fn writing_over_a_linked_asset_leaves_the_source_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("a.css"), dir.path().join("b.css"));
        fs::write(&first, "a").unwrap();
        fs::write(&second, "b").unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        staging.copy("style.css", &first).unwrap();
        staging.copy("style.css", &second).unwrap();
        staging.copy("x.css", &first).unwrap();
        staging.write("x.css", b"page").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(&first).unwrap(), "a");
        assert_eq!(fs::read_to_string(&second).unwrap(), "b");
        let out = dir.path().join("public");
        assert_eq!(fs::read_to_string(out.join("style.css")).unwrap(), "b");
        assert_eq!(fs::read_to_string(out.join("x.css")).unwrap(), "page");
    }

    #[test]
    fn commit_replaces_output_and_drop_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        // Folders in folders, and a link out, which is removed, not followed.
        fs::create_dir_all(out.join("tin-tuc/2024/bai")).unwrap();
        fs::write(out.join("tin-tuc/2024/bai/index.html"), "old").unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "kept").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, out.join("tin-tuc/link")).unwrap();

        let staging = Staging::create(&out).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        drop(staging); // a failed build
        assert_eq!(fs::read_to_string(out.join("old.html")).unwrap(), "old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "staging left behind"
        );

        let staging = Staging::create(&out).unwrap();
        staging.write("a/index.html", b"new").unwrap();
        assert!(matches!(
            staging.write("../evil", b"x"),
            Err(OutputError::UnsafePath(_))
        ));
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(!dir.path().join("evil").exists());
        assert!(!out.join("tin-tuc").exists());
        assert_eq!(fs::read_to_string(&outside).unwrap(), "kept");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "the old output left behind: {names:?}");
    }
}
