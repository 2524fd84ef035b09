//! A build killed at any moment (SIGKILL, no chance to clean up) leaves `public/`
//! either exactly as the previous build made it or exactly as the new one does:
//! never a mix, never missing.

mod common;

use std::fs;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::*;

#[cfg(unix)]
#[test]
fn killed_builds_leave_the_old_or_the_new_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(120, &dir.path().join("site"));
    let public = root.join("public");
    let yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
    // Two versions of the site that differ on every page: the portal's name.
    let versions = [yaml.clone(), yaml.replace("Quận Mẫu", "Quận Mới")];
    let mut trees = Vec::new();
    let mut full_build = std::time::Duration::ZERO;
    for version in &versions {
        fs::write(root.join("site.yaml"), version).unwrap();
        let started = Instant::now();
        build_root(&root, &[]);
        full_build = full_build.max(started.elapsed());
        trees.push(tree(&public));
    }
    assert_ne!(trees[0], trees[1]);

    let mut current = 1; // public/ holds version 1 now
    let mut kept = 0;
    for attempt in 0..50u32 {
        let next = 1 - current;
        fs::write(root.join("site.yaml"), &versions[next]).unwrap();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("bantin"))
            .args(["build", "--root"])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the whole build, the final swap included.
        std::thread::sleep(full_build.mul_f64(f64::from(attempt % 25) / 20.0));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&public);
        if now == trees[current] {
            kept += 1;
        } else if now == trees[next] {
            current = next;
        } else {
            panic!(
                "kill {attempt}: public/ is neither build ({} files)",
                now.len()
            );
        }
    }
    assert!(
        kept > 0,
        "no build was ever interrupted: the kills came too late"
    );
    let left = leftovers(&root);
    build_root(&root, &[]);
    assert!(
        leftovers(&root).is_empty(),
        "the next build removes what killed builds left: {left:?}"
    );
}
