//! Progress of a build by stage: a spinner on a terminal, nothing in a pipe or a CI
//! log, one line a stage where `--progress` asks for it.

mod common;

use std::process::Command;

use common::*;

#[test]
fn a_build_into_a_pipe_shows_no_progress() {
    let site = TestSite::good();
    let out = site.build(&[]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(!err.contains("find the files"), "{err}");
    assert!(!err.contains("building"), "{err}");
}

#[test]
fn progress_when_asked_is_a_line_a_stage_in_a_pipe() {
    let site = TestSite::good();
    let out = site.build(&["--progress"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let stages: Vec<&str> = err
        .lines()
        .filter_map(|line| line.split_once(" ms  ").map(|(_, stage)| stage))
        .collect();
    let at = |stage: &str| {
        stages
            .iter()
            .position(|s| *s == stage)
            .unwrap_or_else(|| panic!("no `{stage}` in:\n{err}"))
    };
    assert!(at("find the files") < at("read the articles"));
    assert!(at("read the articles") < at("render changed pages"));
    assert!(!err.contains('\r'), "no redraws in a log:\n{err:?}");
    // What is written is the same.
    assert!(
        stdout(&out).starts_with("built 4 articles"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn on_a_terminal_a_spinner_names_the_stages_and_is_cleared() {
    let site = TestSite::good();
    let binary = env!("CARGO_BIN_EXE_bantin");
    // `script` (util-linux) runs the build on a pseudo-terminal, as a clerk's shell.
    let out = Command::new("script")
        .args(["-qec"])
        .arg(format!("{binary} build --root '{}'", site.root().display()))
        .arg("/dev/null")
        .output()
        .expect("script runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(shown.contains("building"), "{shown:?}");
    assert!(shown.contains("render changed pages ✓"), "{shown:?}");
    // Cleared (carriage return, erase line) before the summary, which stands alone.
    let last = shown.trim_end().rsplit(['\r', '\n']).next().unwrap();
    let last = last.strip_prefix("\u{1b}[2K").unwrap_or(last);
    assert!(last.starts_with("built 4 articles"), "{shown:?}");
}
