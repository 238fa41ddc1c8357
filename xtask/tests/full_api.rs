//! The whole API, not just the configured tags: generate every tag of both documents into a
//! scratch crate and require it to compile with zero warnings and no clippy findings.
//!
//! This is what keeps the generator honest about constructs Stages does not use (multipart
//! uploads, form bodies, unions, integer enums, header and array parameters, downloads). The
//! scratch crate lives under `target/full-api/` with its own target folder, so repeated runs only
//! recompile the generated crate.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

/// An application's view of request structs nested in bodies: one with a required field (built
/// with `new`), one without (built with `Default`), both then given optional fields.
const EXTERNAL_USE: &str = r#"//! Written by xtask's `full_api` test: request structs built from outside the crate.

use pipedrive::v2::types::{AddActivityRequestAttendeesItem, AddDealFieldRequestOptionsItem};

#[test]
fn nested_request_structs_are_built_with_new_or_default() {
    let option = AddDealFieldRequestOptionsItem::new("Gold");
    let mut attendee = AddActivityRequestAttendeesItem::default();
    attendee.email = Some("ada@example.com".to_owned());
    assert_eq!(
        serde_json::to_value(&option).ok(),
        Some(serde_json::json!({"label": "Gold"}))
    );
    assert_eq!(
        serde_json::to_value(&attendee).ok(),
        Some(serde_json::json!({"email": "ada@example.com"}))
    );
}
"#;

#[test]
fn the_full_api_generates_and_compiles_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf();
    let scratch = root.join("target/full-api");
    let out = scratch.join("src");

    let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--tags", "all", "--out-dir"])
        .arg(&out)
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&generated.stdout);
    let stderr = String::from_utf8_lossy(&generated.stderr);
    assert!(generated.status.success(), "generation failed:\n{stderr}");
    assert!(
        !stderr.contains("warning:"),
        "the full documents should generate without warnings:\n{stderr}"
    );
    let operations: usize = stdout
        .split_whitespace()
        .skip_while(|w| !w.ends_with(':'))
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no operation count in {stdout:?}"));
    assert!(
        operations > 400,
        "expected every operation of both documents, got {operations}: {stdout}"
    );

    // The scratch crate sits inside this repository's folder: make it its own workspace, and
    // pin the same dependency versions as the repository.
    let crate_dir = out.join("pipedrive");
    let manifest = crate_dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).expect("read manifest");
    toml.push_str("\n[workspace]\n");
    std::fs::write(&manifest, toml).expect("write manifest");
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("copy Cargo.lock");
    // Clippy's `--all-targets` compiles this as a crate of its own, so it fails if an application
    // cannot build the request structs a body nests (they are `#[non_exhaustive]`).
    std::fs::create_dir_all(crate_dir.join("tests")).expect("create tests/");
    std::fs::write(crate_dir.join("tests/external_use.rs"), EXTERNAL_USE).expect("write tests/external_use.rs");

    // Without the default `rustls` feature: the whole API must build without a TLS stack too (the
    // Stages crate is linted with it by CI's clippy step), and aws-lc's C build is left out.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let clippy = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--all-targets",
            "--no-default-features",
            "--manifest-path",
        ])
        .arg(&manifest)
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .expect("run cargo clippy");
    assert!(
        clippy.status.success(),
        "the full generated API does not build clean:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
}
