//! The repository itself: no file under git's care holds a merge left half done.

use std::path::Path;
use std::process::Command;

/// The 1-based lines of `text` that are git's conflict markers. A line of seven
/// `=` alone is also a Markdown heading's underline, so it counts only in a file
/// that has an opening marker too.
fn conflict_markers(text: &str) -> Vec<usize> {
    let opening = "<".repeat(7);
    let marker = |line: &str, mark: &str| {
        line.strip_prefix(mark)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let opened = text.lines().any(|line| marker(line, &opening));
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            marker(line, &opening)
                || marker(line, &">".repeat(7))
                || marker(line, &"|".repeat(7))
                || (opened && *line == "=".repeat(7))
        })
        .map(|(n, _)| n + 1)
        .collect()
}

#[test]
fn no_tracked_file_holds_conflict_markers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .expect("git runs (this test reads the files git tracks)");
    assert!(
        listed.status.success(),
        "git ls-files failed: {}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let mut found = Vec::new();
    let mut files = 0;
    for name in listed.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        // A file deleted but not yet staged is still listed.
        let Ok(bytes) = std::fs::read(root.join(&name)) else {
            continue;
        };
        files += 1;
        for line in conflict_markers(&String::from_utf8_lossy(&bytes)) {
            found.push(format!("{name}:{line}"));
        }
    }
    assert!(files > 100, "git listed only {files} files");
    assert!(
        found.is_empty(),
        "merge conflict markers left in:\n{}",
        found.join("\n")
    );
}

#[test]
fn markers_are_found_and_headings_are_not() {
    let merged = format!(
        "| a |\n{} HEAD\n| b |\n{}\n| c |\n{} check\n",
        "<".repeat(7),
        "=".repeat(7),
        ">".repeat(7)
    );
    assert_eq!(conflict_markers(&merged), [2, 4, 6]);
    let heading = format!("Tin tức\n{}\n\n{}\n", "=".repeat(7), "<".repeat(6));
    assert_eq!(conflict_markers(&heading), Vec::<usize>::new());
}
