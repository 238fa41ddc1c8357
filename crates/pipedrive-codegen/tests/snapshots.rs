//! Snapshots of what the shipped spec/ produces for the Stages tag: the IR, and every generated
//! file.
//!
//! `generated/` holds the whole API (80,000 lines), which `git diff` and the staleness check
//! (`xtask/tests/check.rs`) guard; snapshotting it twice would only double the review. The Stages
//! selection, generated here as a first generation, keeps every kind of generated code small
//! enough to read in a snapshot: a spec update or a generator change shows up here as a
//! reviewable diff (`cargo insta review`), the IR snapshot saying what changed in API terms and
//! the file snapshots showing the code. Also checks that generation is deterministic: two runs
//! give byte-identical output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use pipedrive_codegen::emit::CrateSpec;
use pipedrive_codegen::{Generation, TagSelection, generate, load_inputs_with};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

fn crate_spec() -> CrateSpec {
    CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../../crates/pipedrive-runtime".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    }
}

/// Generates the Stages tag from spec/'s documents, as a first generation (no release history:
/// the checked-in crate's is the whole API's).
fn generate_from_spec() -> Generation {
    let stages = TagSelection::Only(["Stages".to_owned()].into());
    let inputs = load_inputs_with(&spec_dir(), "codegen.yaml", Some(stages)).unwrap_or_else(|e| panic!("{e}"));
    generate(&inputs, &crate_spec(), None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn ir_snapshot() {
    let generation = generate_from_spec();
    insta::assert_yaml_snapshot!("ir", generation.api);
}

#[test]
fn generated_file_snapshots() {
    let generation = generate_from_spec();
    let mut names = Vec::new();
    for file in &generation.files {
        let name = file.path.replace('/', "__");
        insta::assert_snapshot!(name.clone(), file.contents);
        names.push(name);
    }
    // The set of files is part of the output too.
    insta::assert_yaml_snapshot!("file_list", names);
}

#[test]
fn two_generations_are_byte_identical() {
    let first = generate_from_spec();
    let second = generate_from_spec();
    assert_eq!(first.files.len(), second.files.len());
    for (a, b) in first.files.iter().zip(&second.files) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{} differs between two runs", a.path);
    }
    assert_eq!(first.api, second.api);
}

#[test]
fn stages_operations_are_all_there() {
    let generation = generate_from_spec();
    let mut ops: Vec<String> = generation
        .api
        .operations
        .iter()
        .map(|o| format!("{} {} {}", o.api, o.method.as_str(), o.full_path))
        .collect();
    ops.sort();
    assert_eq!(
        ops,
        [
            "v1 DELETE /v1/stages",
            "v1 DELETE /v1/stages/{id}",
            "v1 GET /v1/stages",
            "v1 GET /v1/stages/{id}",
            "v1 GET /v1/stages/{id}/deals",
            "v1 POST /v1/stages",
            "v1 PUT /v1/stages/{id}",
            "v2 DELETE /api/v2/stages/{id}",
            "v2 GET /api/v2/stages",
            "v2 GET /api/v2/stages/{id}",
            "v2 PATCH /api/v2/stages/{id}",
            "v2 POST /api/v2/stages",
        ]
    );
    assert!(
        generation
            .api
            .operations
            .iter()
            .filter(|o| o.api == "v1")
            .all(|o| o.deprecation.is_some())
    );
    assert!(
        generation
            .api
            .operations
            .iter()
            .filter(|o| o.api == "v2")
            .all(|o| o.deprecation.is_none())
    );
}
