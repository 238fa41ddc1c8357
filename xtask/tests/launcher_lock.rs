//! `cargo xtask` runs in a workspace of its own (`xtask/launcher/`) with its own `Cargo.lock`.
//! Nothing in cargo keeps that lock in step with the main one, so this does: every package the
//! launcher locks must be locked at the same version, from the same source and with the same
//! checksum in the main workspace. Otherwise the generator `cargo xtask codegen` runs would be
//! built from other dependency versions than the one the tests check.

#![allow(clippy::panic)]

use std::collections::BTreeSet;

use crate::root;

/// One `[[package]]` entry of a lock file, as the fields that identify a build of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Locked {
    name: String,
    version: String,
    /// `None` for path packages.
    source: Option<String>,
    checksum: Option<String>,
}

/// The packages of a `Cargo.lock` (version 4: one `key = "value"` per line in each entry).
fn packages(lock: &str) -> BTreeSet<Locked> {
    let mut out = BTreeSet::new();
    for entry in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            entry.lines().find_map(|line| {
                let value = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
                Some(value.trim_matches('"').to_owned())
            })
        };
        out.insert(Locked {
            name: field("name").unwrap_or_default(),
            version: field("version").unwrap_or_default(),
            source: field("source"),
            checksum: field("checksum"),
        });
    }
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[test]
fn the_launchers_lock_names_the_main_locks_versions() {
    let main = packages(&read("Cargo.lock"));
    let launcher = packages(&read("xtask/launcher/Cargo.lock"));

    // The parser found entries with names and versions in both (a format change would show here
    // instead of as a vacuous pass).
    assert!(main.len() > 100, "{} packages in Cargo.lock", main.len());
    assert!(
        launcher.len() > 20,
        "{} packages in xtask/launcher/Cargo.lock",
        launcher.len()
    );
    assert!(
        launcher.iter().all(|p| !p.name.is_empty() && !p.version.is_empty()),
        "{launcher:#?}"
    );
    for name in ["xtask", "pipedrive-codegen", "serde_yaml", "mimalloc"] {
        assert!(
            launcher.iter().any(|p| p.name == name),
            "{name} missing from the launcher's lock"
        );
    }

    let differing: Vec<String> = launcher
        .iter()
        .filter(|p| p.name != "xtask-launcher" && !main.contains(p))
        .map(|p| {
            let in_main: Vec<&str> = main
                .iter()
                .filter(|m| m.name == p.name)
                .map(|m| m.version.as_str())
                .collect();
            format!("{} {} (Cargo.lock has {in_main:?})", p.name, p.version)
        })
        .collect();
    assert!(
        differing.is_empty(),
        "xtask/launcher/Cargo.lock locks packages Cargo.lock does not: {differing:#?}\n\
         To bring it in step: `cp Cargo.lock xtask/launcher/Cargo.lock && cargo xtask help` \
         (cargo then drops the packages the launcher does not use and keeps the versions)."
    );
}

#[test]
fn a_lock_entry_is_read_field_by_field() {
    let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\
                source = \"registry+https://example\"\nchecksum = \"abc\"\n\n\
                [[package]]\nname = \"b\"\nversion = \"0.1.0\"\ndependencies = [\n \"a\",\n]\n";
    let found: Vec<Locked> = packages(lock).into_iter().collect();
    assert_eq!(
        found,
        [
            Locked {
                name: "a".into(),
                version: "1.0.0".into(),
                source: Some("registry+https://example".into()),
                checksum: Some("abc".into()),
            },
            Locked {
                name: "b".into(),
                version: "0.1.0".into(),
                source: None,
                checksum: None
            },
        ]
    );
}
