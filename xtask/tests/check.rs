//! `cargo xtask codegen --check`, the staleness check CI runs: on a fresh generation it passes;
//! after a file is edited by hand, a stray file added and a generated file deleted, it exits 1
//! naming each of those three paths and no other; and either way it leaves the folder exactly as
//! it was (same files, same bytes, same modification times, nothing created beside the crate).
//!
//! It runs the real xtask binary on the repository's `spec/` with `--out-dir` pointing at a
//! temporary folder, so `generated/` is never involved.

#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::time::SystemTime;

use crate::root;

/// `cargo xtask codegen [--check] --spec-dir spec/ --out-dir <out>`.
fn codegen(check: bool, out: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("codegen");
    if check {
        command.arg("--check");
    }
    // Stages alone: what is checked is the comparison, not the size of the crate.
    command
        .args(["--tags", "Stages", "--spec-dir"])
        .arg(root().join("spec"))
        .arg("--out-dir")
        .arg(out)
        .output()
        .expect("run xtask")
}

/// Everything under `dir`: each folder (`None`) and each file with its bytes and modification
/// time. Folders are included so that a check which only creates one (a staging folder beside
/// the crate, say) still shows; times so that rewriting a file with the same bytes shows.
fn tree(dir: &Path) -> BTreeMap<String, Option<(Vec<u8>, SystemTime)>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list folder").flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).expect("under dir").display().to_string();
            if path.is_dir() {
                out.insert(rel, None);
                stack.push(path);
            } else {
                let modified = entry.metadata().and_then(|m| m.modified()).expect("modification time");
                out.insert(rel, Some((std::fs::read(&path).expect("read file"), modified)));
            }
        }
    }
    out
}

#[test]
fn check_passes_when_current_and_names_each_stale_file_without_touching_anything() {
    let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("generated");
    let crate_dir = out.join("pipedrive");
    // How xtask shows the crate folder in its messages: relative to the repository when inside it.
    let shown = crate_dir
        .strip_prefix(root())
        .unwrap_or(&crate_dir)
        .display()
        .to_string();

    let generated = codegen(false, &out);
    assert!(
        generated.status.success(),
        "generating failed:\n{}",
        String::from_utf8_lossy(&generated.stderr)
    );

    // A fresh generation is current.
    let before = tree(&out);
    let fresh = codegen(true, &out);
    let stdout = String::from_utf8_lossy(&fresh.stdout);
    let stderr = String::from_utf8_lossy(&fresh.stderr);
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "--check on a fresh generation:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(&format!("{shown} is up to date")), "{stdout}");
    assert!(!stderr.contains("stale"), "{stderr}");
    assert!(tree(&out) == before, "--check changed a current output folder");

    // Each way a folder goes stale. The deleted file and the edited one are generated files
    // that do not feed the release history (api.json, CHANGELOG.md), so the check's own plan is
    // the same as the generation's and only these three paths differ.
    let edited = "src/lib.rs";
    let stray = "src/v2/stray.rs";
    let deleted = "src/v1/stages.rs";
    let mut lib = std::fs::read_to_string(crate_dir.join(edited)).expect("read lib.rs");
    lib.push_str("// edited by hand\n");
    std::fs::write(crate_dir.join(edited), lib).expect("edit lib.rs");
    std::fs::write(crate_dir.join(stray), "// not generated\n").expect("add a stray file");
    std::fs::remove_file(crate_dir.join(deleted)).expect("delete a generated file");
    let before = tree(&out);

    let stale = codegen(true, &out);
    let stdout = String::from_utf8_lossy(&stale.stdout);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(
        stale.status.code(),
        Some(1),
        "--check on a stale folder:\n{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{shown} is stale; run `cargo xtask codegen` and commit the result:"
        )),
        "{stderr}"
    );
    assert!(!stdout.contains("up to date"), "{stdout}");
    // Exactly the three paths, each on a line of its own; an untouched file is not listed.
    let listed: Vec<&str> = stderr.lines().filter(|l| l.starts_with("  ")).collect();
    let mut expected: Vec<String> = [edited, stray, deleted]
        .iter()
        .map(|path| format!("  {shown}/{path}"))
        .collect();
    expected.sort();
    assert_eq!(listed, expected, "the stale paths, sorted:\n{stderr}");
    assert!(tree(&out) == before, "--check changed a stale output folder");

    let _ = std::fs::remove_dir_all(&dir);
}
