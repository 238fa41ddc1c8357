//! Documents other than Pipedrive's: small awkward documents (`tests/fixtures/awkward/`) whose
//! names collide with each other and with the generated code's own, and whose text and types
//! once gave code that did not compile, must generate a crate with zero warnings, no clippy
//! findings and no rustdoc warnings; and one small document's crate
//! (`tests/fixtures/behaviour/`) is run: its tests decode unions and open enums and encode PATCH
//! bodies and array parameters through the generated code. The scratch crates live under
//! `target/full-api/` and share a target folder of their own, so repeated runs only recompile the
//! generated crates.
//!
//! Pipedrive's whole API is the checked-in crate itself (`generated/pipedrive`): the workspace's
//! clippy, test and doc steps build it, and `crates/pipedrive-integration/tests/external_use.rs`
//! uses it as an application would. Here only what its generation reports is checked.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::root;

/// Makes the generated crate in `crate_dir` a workspace of its own with the repository's pinned
/// dependency versions (it sits inside this repository's folder).
fn stand_alone(crate_dir: &Path) -> PathBuf {
    let manifest = crate_dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).expect("read manifest");
    toml.push_str("\n[workspace]\n");
    std::fs::write(&manifest, toml).expect("write manifest");
    std::fs::copy(root().join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("copy Cargo.lock");
    manifest
}

/// Runs `cargo <args> --manifest-path <manifest>` (then `extra`) in the scratch target folder;
/// panics with cargo's output unless it succeeds.
fn cargo(args: &[&str], manifest: &Path, extra: &[&str], env: &[(&str, &str)], what: &str) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .args(extra)
        .env("CARGO_TARGET_DIR", root().join("target/full-api/target"))
        .envs(env.iter().copied())
        .output()
        .expect("run cargo");
    // A failing test reports on stdout, a failing build on stderr.
    assert!(
        output.status.success(),
        "{what}:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Runs `xtask codegen --tags all` with `args` (where to read and write); panics unless it
/// succeeds. Returns stdout and stderr.
fn generate_all(args: &[&std::ffi::OsStr]) -> (String, String) {
    let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--tags", "all"])
        .args(args)
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&generated.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&generated.stderr).into_owned();
    assert!(generated.status.success(), "generation failed:\n{stderr}");
    (stdout, stderr)
}

/// Generates every tag of `tests/fixtures/<name>/` afresh into `target/full-api/<name>/`.
/// Returns stderr (the warnings) and the generated crate's folder.
fn generate_fixture(name: &str) -> (String, PathBuf) {
    let out = root().join("target/full-api").join(name);
    let _ = std::fs::remove_dir_all(&out);
    let spec = root().join("xtask/tests/fixtures").join(name);
    let (_, stderr) = generate_all(&[
        "--spec-dir".as_ref(),
        spec.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    (stderr, out.join("pipedrive"))
}

/// `cargo clippy --all-targets` with every tag but without the default TLS feature, warnings
/// denied.
fn clippy_clean(manifest: &Path, what: &str) {
    cargo(
        &[
            "clippy",
            "--quiet",
            "--all-targets",
            "--no-default-features",
            "--features",
            "full",
        ],
        manifest,
        &["--", "-D", "warnings"],
        &[],
        what,
    );
}

/// `cargo doc` with every tag but without the default TLS feature, rustdoc warnings denied.
fn docs_clean(manifest: &Path, what: &str) {
    cargo(
        &[
            "doc",
            "--quiet",
            "--no-deps",
            "--no-default-features",
            "--features",
            "full",
        ],
        manifest,
        &[],
        &[("RUSTDOCFLAGS", "-D warnings")],
        what,
    );
}

#[test]
fn the_full_api_generates_with_no_warning_but_the_oauth_operations_left_out() {
    let root = root();
    let scratch = root.join("target/full-api");
    let out = scratch.join("src");
    // Afresh: the crate below gets a test file and a lock file of this test's, which the
    // generator would refuse to replace.
    let _ = std::fs::remove_dir_all(&out);

    let (stdout, stderr) = generate_all(&["--out-dir".as_ref(), out.as_os_str()]);
    // The only warnings: v1's three OAuth operations, served by another host, are left out.
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 3, "expected three warnings:\n{stderr}");
    for (warning, id) in warnings.iter().zip(["authorize", "get-tokens", "refresh-tokens"]) {
        assert!(
            warning.contains(&format!("(operationId `{id}`)"))
                && warning.contains("is served by `https://oauth.pipedrive.com`"),
            "unexpected warning: {warning}"
        );
    }
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
}

#[test]
fn awkward_documents_generate_a_crate_that_builds_clean() {
    let (stderr, crate_dir) = generate_fixture("awkward");
    // The ones it can carry on from are warnings, each naming its place.
    for place in [
        "/paths/~1d/get",
        "/servers/0/url",
        "properties/ratio/enum (operationId `addThing`)",
    ] {
        assert!(stderr.contains(place), "no warning at {place}:\n{stderr}");
    }
    for file in [
        "src/v2/deal_fields2.rs",
        "src/v2/mod2.rs",
        "src/v2/type.rs",
        "src/v2/types2.rs",
    ] {
        assert!(crate_dir.join(file).exists(), "{file} not written");
    }
    let manifest = stand_alone(&crate_dir);
    clippy_clean(&manifest, "the crate of the awkward documents does not build clean");
    docs_clean(&manifest, "the crate of the awkward documents has rustdoc warnings");
}

#[test]
fn generated_unions_enums_and_patch_bodies_behave_at_run_time() {
    let (stderr, crate_dir) = generate_fixture("behaviour");
    assert!(!stderr.contains("warning:"), "the document is clean:\n{stderr}");
    let manifest = stand_alone(&crate_dir);
    std::fs::create_dir_all(crate_dir.join("tests")).expect("create tests/");
    let source = root().join("xtask/tests/fixtures/behaviour/behaviour.rs");
    std::fs::copy(source, crate_dir.join("tests/behaviour.rs")).expect("copy behaviour.rs");
    // Without the TLS feature, like the crates above, so the dependencies they built are reused.
    cargo(
        &[
            "test",
            "--quiet",
            "--no-default-features",
            "--features",
            "full",
            "--test",
            "behaviour",
        ],
        &manifest,
        &[],
        &[],
        "the generated code does not behave as tests/fixtures/behaviour/behaviour.rs expects",
    );
}
