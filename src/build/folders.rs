//! Where a build may write: the output and cache folders are refused when a
//! build would replace or publish what it must not.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The output folder is replaced whole by each build, so it must not be the site
/// itself, hold it, or lie in its content.
pub(super) fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_abs = absolute(out);
    let refuse = |why: &str| {
        Diagnostic::error(
            "--out",
            format!("refusing to build into {}: {why}", out.display()),
        )
        .with_hint("choose an output folder of its own, such as the default <site>/public")
    };
    if out_abs.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if root.starts_with(&out_abs) {
        return Err(refuse(
            "it holds the site itself, which the build would replace",
        ));
    }
    if out_abs.starts_with(root.join("content")) {
        return Err(refuse("it lies inside content/"));
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return Err(refuse("it is a file, not a folder"));
    }
    if !crate::output::may_replace(&out_abs) {
        return Err(refuse(
            "it holds files that bantin did not make, which the build would delete",
        )
        .with_hint(format!(
            "choose an empty or new folder; if it is the output of an older bantin, delete it once (bantin marks its own output folders with a file {})",
            crate::output::OUTPUT_MARK
        )));
    }
    Ok(())
}

/// Refuses a cache folder the build would read as content or replace as output.
pub(super) fn check_cache_dir(root: &Path, out: &Path, cache_dir: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let dir = absolute(cache_dir);
    let refuse = |why: &str| {
        Diagnostic::error(
            "--cache",
            format!(
                "refusing to keep the cache in {}: {why}",
                cache_dir.display()
            ),
        )
        .with_hint("choose a folder of its own, such as .bantin-cache beside site.yaml")
    };
    if dir.starts_with(root.join("content")) {
        return Err(refuse("it lies inside content/, whose files are published"));
    }
    if dir.starts_with(absolute(out)) {
        return Err(refuse(
            "it lies inside the output folder, which a build replaces",
        ));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(refuse("it is a file, not a folder"));
    }
    Ok(())
}

/// `path` made absolute and free of `.`/`..`, even if it does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    match clean.canonicalize() {
        Ok(real) => real,
        Err(_) => clean,
    }
}
