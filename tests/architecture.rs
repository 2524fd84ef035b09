//! The shape of the crate: data flows one way through the pipeline's stages,
//! and no module reaches back up it. Each `crate::` path in `src/` is checked
//! against the order of the stages below; a stage that uses a later one (the
//! renderer reading the memo, the model importing the output writer) fails this
//! test with the file and line of the offending path.

use std::fs;
use std::path::{Path, PathBuf};

/// The modules of the crate by stage, earliest first. A module may use the
/// modules of earlier stages and its own, never those of its stage's peers or
/// of later stages. `content::text` (NFC, folding, slugs) is a leaf like the
/// first stage's, though it lives in `content/`.
const STAGES: &[&[&str]] = &[
    &["diagnostics", "fingerprint", "yaml", "content::text"],
    &["config"],
    &["theme"],
    &["content"],
    &["site"],
    &["search"],
    &["render"],
    &["output"],
    &["memo"],
    &["build"],
    // Beside the pipeline: commands that run it or feed it, each on its own.
    &["serve", "check", "import", "init", "verify"],
];

/// The stage of `module` (a path such as `content::text` or `render`), and the
/// name it is known by there.
fn stage_of(module: &str) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for (stage, names) in STAGES.iter().enumerate() {
        for &name in *names {
            let matches = module == name || module.starts_with(&format!("{name}::"));
            // The longest name wins: `content::text` over `content`.
            if matches && best.is_none_or(|(_, known)| name.len() > known.len()) {
                best = Some((stage, name));
            }
        }
    }
    best
}

/// The module a source file belongs to: `src/content/text.rs` -> `content::text`,
/// `src/build/read.rs` -> `build::read`, `src/config.rs` -> `config`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|part| part != "mod")
        .collect();
    parts.join("::")
}

/// Every `crate::a::b` path written in `text` (code and doc links alike), with
/// its line; `use crate::{a, b}` groups are not used in this crate and are
/// reported as such, so that none slips past.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '{')
                .collect();
            found.push((n + 1, path.trim_end_matches(':').to_string()));
            rest = after;
        }
    }
    found
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Every path in `src/` that reaches a later stage or a peer, as
/// `file:line: module uses target`.
fn backward_uses(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let module = module_of(src, &file);
        // The crate's roots: main.rs is the command line above every stage.
        if module == "main" || module == "lib" {
            continue;
        }
        let Some((stage, own)) = stage_of(&module) else {
            problems.push(format!(
                "{}: module `{module}` is in no stage of this test: add it to STAGES",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(&file).unwrap();
        for (line, path) in crate_paths(&text) {
            if path.starts_with('{') {
                problems.push(format!(
                    "{}:{line}: `use crate::{{…}}` groups hide what is used: write one path a module",
                    file.display()
                ));
                continue;
            }
            let Some((target_stage, target)) = stage_of(&path) else {
                problems.push(format!(
                    "{}:{line}: `crate::{path}` is in no stage of this test: add it to STAGES",
                    file.display()
                ));
                continue;
            };
            let backward = target_stage > stage || (target_stage == stage && target != own);
            // Leaves may use one another; a stage's peers may not.
            if backward && !(stage == 0 && target_stage == 0) {
                problems.push(format!(
                    "{}:{line}: `{module}` uses `crate::{path}`, of a later stage or a peer",
                    file.display()
                ));
            }
        }
    }
    problems
}

#[test]
fn no_stage_uses_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = backward_uses(&src);
    assert!(
        problems.is_empty(),
        "data must flow one way (see STAGES in tests/architecture.rs):\n{}",
        problems.join("\n")
    );
}

/// The check itself fails on a stage that uses a later one: a renderer reading
/// the memo, a model using the output writer, a memo using the pipeline.
#[test]
fn a_stage_using_a_later_one_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |rel: &str, text: &str| {
        let path = src.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "render/mod.rs",
        "use crate::site::model::Site;\nuse crate::memo::BuildCache;\n",
    );
    write(
        "site/plan.rs",
        "use crate::content::text::slugify;\nfn f() { crate::output::safe(); }\n",
    );
    write("memo/file.rs", "use crate::build::BuildOptions;\n");
    write("content/text.rs", "use crate::diagnostics::Diagnostic;\n");
    write(
        "serve/mod.rs",
        "use crate::build::Pipeline;\nuse crate::check::run;\n",
    );
    let problems = backward_uses(src);
    let reported = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(
        reported("render/mod.rs:2: `render` uses `crate::memo::BuildCache`"),
        "{problems:#?}"
    );
    assert!(
        reported("site/plan.rs:2: `site::plan` uses `crate::output::safe`"),
        "{problems:#?}"
    );
    assert!(
        reported("memo/file.rs:1: `memo::file` uses `crate::build::BuildOptions`"),
        "{problems:#?}"
    );
    assert!(
        reported("serve/mod.rs:2: `serve` uses `crate::check::run`"),
        "{problems:#?}"
    );
    // Earlier stages and leaves are fine.
    assert_eq!(problems.len(), 4, "{problems:#?}");
}
