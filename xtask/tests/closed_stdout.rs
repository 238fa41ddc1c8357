//! `cargo xtask codegen | head -1`: the reader goes away before the report is printed. The files
//! are written by then, so the run must still succeed, and must not panic as `println!` does on
//! a closed pipe.

#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_is_not_a_failure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repository root");
    let out = std::env::temp_dir().join(format!("xtask-closed-stdout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    // The read end is closed before the run starts, so every write to stdout fails with EPIPE.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--tags", "Stages", "--spec-dir"])
        .arg(root.join("spec"))
        .arg("--out-dir")
        .arg(&out)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run xtask");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}\n{stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.join("pipedrive/src/lib.rs").is_file(), "the crate was written");
    let _ = std::fs::remove_dir_all(&out);
}
