//! A real spec update, end to end: generate from Pipedrive's v1 document of 2026-01-14, copy the
//! 2026-08-18 one over it (as a maintainer would), generate again, and check what the run says
//! and writes: six deprecated Stages operations removed, a breaking change, version 0.1.0 →
//! 0.2.0, a new CHANGELOG.md section on top of the first. A third run changes nothing, and a
//! fourth after a simulated crash mid-write restores the crate instead of starting afresh.

#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use crate::root;

/// `spec/codegen.yaml` with one tag selected.
const STAGES_CONFIG: &str = "crate_name: pipedrive
documents:
  - api: v1
    file: pipedrive-v1.yaml
  - api: v2
    file: pipedrive-v2.yaml
tags: [Stages]
";

fn codegen(spec: &Path, out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec-dir"])
        .arg(spec)
        .arg("--out-dir")
        .arg(out)
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "codegen failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn the_2026_08_18_v1_update_is_a_breaking_release_with_a_changelog() {
    let dir = std::env::temp_dir().join(format!("xtask-spec-update-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let spec = dir.join("spec");
    let out = dir.join("generated");
    std::fs::create_dir_all(&spec).expect("create spec dir");
    for file in ["pipedrive-v1.yaml", "pipedrive-v2.yaml"] {
        std::fs::copy(root().join("spec").join(file), spec.join(file)).expect("copy spec");
    }
    // The Stages tag: the update removes six of its seven v1 operations.
    std::fs::write(spec.join("codegen.yaml"), STAGES_CONFIG).expect("write the config");

    let first = codegen(&spec, &out);
    assert!(first.contains("first generation: version 0.1.0"), "{first}");

    std::fs::copy(
        root().join("crates/pipedrive-codegen/tests/fixtures/pipedrive-v1-2026-08-18.yaml"),
        spec.join("pipedrive-v1.yaml"),
    )
    .expect("copy the new document");
    let second = codegen(&spec, &out);
    assert!(
        second.contains("API changes (12 changes, semver major): version is now 0.2.0"),
        "{second}"
    );
    for id in [
        "addStage",
        "deleteStage",
        "deleteStages",
        "getStage",
        "getStages",
        "updateStage",
    ] {
        assert!(
            second.contains(&format!("[major] Removed operation `v1 {id}`")),
            "{id} not reported:\n{second}"
        );
    }
    assert!(
        !second.contains("getStageDeals"),
        "getStageDeals did not change:\n{second}"
    );

    let crate_dir = out.join("pipedrive");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("read manifest");
    assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    let changelog = std::fs::read_to_string(crate_dir.join("CHANGELOG.md")).expect("read changelog");
    let sections: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(sections, ["## pipedrive 0.2.0", "## pipedrive 0.1.0"], "{changelog}");
    assert!(changelog.contains("Breaking changes (semver major)."), "{changelog}");
    assert!(
        changelog.contains("- Removed operation `v1 getStages` (`GET /v1/stages`); use `GET /api/v2/stages` instead"),
        "{changelog}"
    );
    assert!(
        changelog.contains("Now 6 operations (v1: 1, v2: 5), 10 types."),
        "{changelog}"
    );
    let v1_stages = std::fs::read_to_string(crate_dir.join("src/v1/stages.rs")).expect("read v1 stages");
    assert!(v1_stages.contains("pub fn get_stage_deals("));
    assert!(!v1_stages.contains("pub fn get_stages("));

    let third = codegen(&spec, &out);
    assert!(
        third.contains("(0 added, 0 changed, 0 removed, 14 unchanged)"),
        "a second run is a no-op:\n{third}"
    );
    assert!(!third.contains("API changes"), "{third}");

    // A run killed between its two renames leaves the crate moved aside. The next run puts it
    // back before reading the release history from it: still 0.2.0, nothing to write.
    std::fs::rename(&crate_dir, out.join(".pipedrive.old")).expect("move the crate aside");
    let fourth = codegen(&spec, &out);
    assert!(
        fourth.contains("(0 added, 0 changed, 0 removed, 14 unchanged)"),
        "the crate was restored, not generated afresh:\n{fourth}"
    );
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("read manifest");
    assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    assert!(!out.join(".pipedrive.old").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
