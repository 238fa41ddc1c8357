//! The generator never deletes or replaces what it did not write. Writing replaces the crate's
//! folder as a whole, so a run refuses (exit 1, a message saying what is there and what to do,
//! every file left as it was):
//! - an output folder that holds the spec folder, as when `--out-dir` is the folder above it and
//!   `crate_name` is the spec folder's name (a run once exited 0 there and deleted the user's
//!   `codegen.yaml` and document, reporting "2 removed"), or that lies inside it;
//! - a crate folder holding files without the generated-file preamble: a folder of the user's
//!   own, or a generated crate the user added a file to, unless `--force` is given.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::root;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-output-safety-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn codegen(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        // Stages alone: what is tested is where the crate goes, not how big it is.
        .args(["codegen", "--tags", "Stages", "--spec-dir"])
        .arg(spec)
        .arg("--out-dir")
        .arg(out)
        .args(extra)
        .output()
        .expect("run xtask")
}

/// Copies the repository's spec folder to `to`, with `crate_name` set to `name`.
fn copy_spec(to: &Path, name: &str) {
    std::fs::create_dir_all(to).expect("create spec dir");
    for file in [
        "pipedrive-v1.yaml",
        "pipedrive-v2.yaml",
        "codegen.yaml",
        "example-mismatches.yaml",
    ] {
        let text = std::fs::read_to_string(root().join("spec").join(file)).expect("read spec");
        let text = text.replace("crate_name: pipedrive", &format!("crate_name: {name}"));
        std::fs::write(to.join(file), text).expect("write spec");
    }
}

/// Every file under `dir` with its bytes, sorted.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// Exit 1, the refusal on stderr with `found` and `expected` in it, and `dir` as it was.
fn assert_refused(output: &Output, dir: &Path, before: &[(PathBuf, Vec<u8>)], found: &str, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error: refusing to write "))
        .unwrap_or_else(|| panic!("no refusal:\n{stderr}"));
    assert!(line.contains(found), "{line}");
    assert!(line.contains(expected), "{line}");
    assert!(
        stderr.contains("nothing was written; the output folder is unchanged"),
        "{stderr}"
    );
    assert!(files(dir) == before, "files changed under {}", dir.display());
}

#[test]
fn an_output_folder_holding_the_spec_folder_or_inside_it_is_refused() {
    let root = temp_dir("spec");
    let spec = root.join("spec");
    // The crate would be written to <root>/spec: the spec folder itself.
    copy_spec(&spec, "spec");
    let before = files(&root);
    let output = codegen(&spec, &root, &[]);
    assert_refused(
        &output,
        &root,
        &before,
        "it holds the spec folder",
        "apart from the spec folder",
    );
    // --force does not make it safe: the run would replace the documents it reads.
    let output = codegen(&spec, &root, &["--force"]);
    assert_refused(
        &output,
        &root,
        &before,
        "it holds the spec folder",
        "apart from the spec folder",
    );

    let output = codegen(&spec, &spec.join("generated"), &[]);
    assert_refused(
        &output,
        &root,
        &before,
        "it is inside the spec folder",
        "apart from the spec folder",
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_crate_folder_with_files_the_generator_did_not_write_is_replaced_only_with_force() {
    let root = temp_dir("foreign");
    let out = root.join("generated");
    let crate_dir = out.join("pipedrive");

    // A folder of the user's own where the crate would go.
    std::fs::create_dir_all(crate_dir.join("src")).expect("create");
    std::fs::write(crate_dir.join("Cargo.toml"), "[package]\nname = \"mine\"\n").expect("write");
    std::fs::write(crate_dir.join("src/lib.rs"), "pub fn mine() {}\n").expect("write");
    let before = files(&root);
    let output = codegen(&crate::root().join("spec"), &out, &[]);
    assert_refused(
        &output,
        &root,
        &before,
        "it holds 2 files that `cargo xtask codegen` did not write (Cargo.toml, src/lib.rs)",
        "pass `--force` to replace the folder anyway",
    );

    // A generated crate with a file the user added: it is named, and the crate is not touched.
    let _ = std::fs::remove_dir_all(&crate_dir);
    assert!(codegen(&crate::root().join("spec"), &out, &[]).status.success());
    std::fs::create_dir_all(crate_dir.join("tests")).expect("create");
    std::fs::write(crate_dir.join("tests/mine.rs"), "#[test]\nfn mine() {}\n").expect("write");
    // Edited below its preamble, so the run has something to write.
    let lib = crate_dir.join("src/lib.rs");
    let edited = format!("{}// edited\n", std::fs::read_to_string(&lib).expect("read"));
    std::fs::write(&lib, edited).expect("edit");
    let before = files(&root);
    let output = codegen(&crate::root().join("spec"), &out, &[]);
    assert_refused(&output, &root, &before, "did not write (tests/mine.rs)", "`--force`");

    // --force replaces the folder: the added file goes, the edit is undone.
    let output = codegen(&crate::root().join("spec"), &out, &["--force"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!crate_dir.join("tests/mine.rs").exists());
    assert!(!std::fs::read_to_string(&lib).expect("read").contains("// edited"));
    let _ = std::fs::remove_dir_all(&root);
}
