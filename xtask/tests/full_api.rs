//! Generating documents other than `spec/`, whole: Pipedrive's whole API (every tag, both
//! documents) reports only the warnings it should; the awkward fixture documents
//! (`tests/fixtures/awkward/`), whose names collide with each other and with the generated code's
//! own, warn where they should and get the file names they should; and every fixture's
//! checked-in crate (`tests/generated/`, `cargo xtask codegen --fixtures`) is what the generator
//! makes of it today.
//!
//! Building those crates is the workspace's job, not this test's: they are workspace members, so
//! CI's clippy and doc steps (warnings denied) build them with the dependencies everything else
//! shares, and the integration crate's `behaviour` tests run the behaviour fixture's crate. The
//! checked-in Pipedrive crate (`generated/pipedrive`) is built the same way.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use crate::root;

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
fn generate_fixture(name: &str, crate_name: &str) -> (String, PathBuf) {
    let out = root().join("target/full-api").join(name);
    let _ = std::fs::remove_dir_all(&out);
    let spec = root().join("xtask/tests/fixtures").join(name);
    let (_, stderr) = generate_all(&[
        "--spec-dir".as_ref(),
        spec.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    (stderr, out.join(crate_name))
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
    // The only warnings: v1's three OAuth operations, served by another host, are left out; and
    // v1's `field_type`, which `allOf` parts type two ways (once for each pair of enums).
    let (retyped, warnings): (Vec<&str>, Vec<&str>) = stderr
        .lines()
        .filter(|l| l.contains("warning:"))
        .partition(|l| l.contains("`allOf` parts give property `field_type` two types"));
    assert_eq!(retyped.len(), 2, "expected two warnings about `field_type`:\n{stderr}");
    assert_eq!(warnings.len(), 3, "expected three warnings about OAuth:\n{stderr}");
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
fn awkward_documents_warn_where_they_should_and_get_distinct_file_names() {
    let (stderr, crate_dir) = generate_fixture("awkward", "pipedrive-awkward");
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
}

#[test]
fn the_behaviour_fixture_generates_without_a_warning() {
    let (stderr, _) = generate_fixture("behaviour", "pipedrive-behaviour");
    assert!(!stderr.contains("warning:"), "the document is clean:\n{stderr}");
}

/// The crates the workspace builds are the ones the fixtures generate today, like
/// `generated/pipedrive` (`cargo xtask codegen --check`).
#[test]
fn the_fixtures_checked_in_crates_are_current() {
    let checked = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--fixtures", "--check"])
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&checked.stdout);
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "{stderr}");
    for name in ["pipedrive-awkward", "pipedrive-behaviour"] {
        assert!(
            stdout.contains(&format!("xtask/tests/generated/{name} is up to date")),
            "{name} not checked:\n{stdout}"
        );
    }
}
