//! The two crates users depend on are publishable as they stand: the metadata crates.io shows
//! and docs.rs reads is there, the generated crate's README exists, and the generated crate
//! requires the runtime version that is in the repository (the generator reads it from the
//! runtime's manifest; CI's `cargo package` step packages both together). Read line by line:
//! the manifests are simple, and the generated one is written by the generator.

#![allow(clippy::panic)]

const RUNTIME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../pipedrive-runtime/Cargo.toml");
const GENERATED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../generated/pipedrive/Cargo.toml");

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The value of the first `key = "value"` line.
fn value<'a>(manifest: &'a str, key: &str) -> Option<&'a str> {
    let prefix = format!("{key} = \"");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()).and_then(|v| v.strip_suffix('"')))
}

#[test]
fn the_generated_crate_requires_the_runtime_in_the_repository() {
    let runtime = read(RUNTIME);
    let generated = read(GENERATED);
    let version = value(&runtime, "version").unwrap_or_else(|| panic!("no version in {RUNTIME}"));
    let dependency = generated
        .lines()
        .find(|l| l.starts_with("pipedrive-runtime = {"))
        .unwrap_or_else(|| panic!("no pipedrive-runtime dependency in {GENERATED}"));
    assert!(
        dependency.contains(&format!("version = \"{version}\"")),
        "{GENERATED} requires another runtime than {version}: {dependency}; run `cargo xtask codegen`"
    );
    assert_eq!(value(&runtime, "repository"), value(&generated, "repository"));
}

#[test]
fn both_crates_carry_what_crates_io_and_docs_rs_read() {
    for path in [RUNTIME, GENERATED] {
        let manifest = read(path);
        for key in ["description", "license", "repository", "readme"] {
            // The runtime takes its license from the workspace, which `cargo package` writes in.
            let inherited = manifest.lines().any(|l| l == format!("{key}.workspace = true"));
            assert!(
                inherited || value(&manifest, key).is_some_and(|v| !v.is_empty()),
                "{path}: no {key}"
            );
        }
        for key in ["keywords = [", "categories = [", "publish = true"] {
            assert!(manifest.lines().any(|l| l.starts_with(key)), "{path}: no `{key}`");
        }
        assert!(
            manifest.contains("\n[package.metadata.docs.rs]\n"),
            "{path}: no docs.rs metadata"
        );
        let readme = std::path::Path::new(path).with_file_name(value(&manifest, "readme").unwrap_or_default());
        assert!(readme.is_file(), "{path}: its readme {} is missing", readme.display());
    }
}
