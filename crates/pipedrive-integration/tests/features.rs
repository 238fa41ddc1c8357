//! The generated crate's `rustls` feature decides whether a TLS stack (rustls and its C crypto
//! library, aws-lc) is compiled in: on by default, gone with `default-features = false`, so an
//! application that brings its own TLS or its own client does not build a second one.
//!
//! Asked of `cargo tree`, which resolves features the way a dependent crate's build would.

#![allow(clippy::expect_used)]

use std::process::Command;

/// The packages `pipedrive` depends on, with the given extra `cargo tree` arguments.
fn dependencies(extra: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["tree", "--quiet", "--locked", "--offline", "--package", "pipedrive"])
        .args(["--edges", "normal", "--prefix", "none", "--format", "{p}"])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

const TLS_STACK: [&str; 3] = ["rustls", "aws-lc-sys", "hyper-rustls"];

#[test]
fn tls_is_compiled_in_by_default() {
    let packages = dependencies(&[]);
    assert!(packages.iter().any(|p| p == "reqwest"), "{packages:?}");
    for tls in TLS_STACK {
        assert!(packages.iter().any(|p| p == tls), "{tls} missing from {packages:?}");
    }
}

#[test]
fn without_default_features_no_tls_stack_is_built() {
    let packages = dependencies(&["--no-default-features"]);
    assert!(packages.iter().any(|p| p == "reqwest"), "{packages:?}");
    for tls in TLS_STACK {
        assert!(!packages.iter().any(|p| p == tls), "{tls} still in {packages:?}");
    }
}
