//! Every document Pipedrive has published that we hold (both dated snapshots of v1 and v2)
//! generates, with every tag, without an error: each alone and the two pairs of the same date.
//! Every operation is generated but v1's three OAuth operations, which another server answers;
//! they are left out with a warning each, and nothing else warns.
//!
//! The 2026-01-14 v1 and 2026-08-18 v2 documents are the ones in `spec/`; the other two are
//! vendored test fixtures. The crate the ones in `spec/` give is `generated/pipedrive`, which the
//! workspace builds.

#![allow(clippy::panic)]

use std::path::PathBuf;

use pipedrive_codegen::TagSelection;
use pipedrive_codegen::emit::{CrateSpec, emit_crate};
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::lower::lower;

fn path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    match name {
        "v1-2026-01-14" => dir.join("../../spec/pipedrive-v1.yaml"),
        "v2-2026-08-18" => dir.join("../../spec/pipedrive-v2.yaml"),
        other => dir.join(format!("tests/fixtures/pipedrive-{other}.yaml")),
    }
}

/// v1's operations served by `https://oauth.pipedrive.com` (operation-level `servers`), not by the
/// document's `https://api.pipedrive.com/v1`.
const OAUTH_ELSEWHERE: [&str; 3] = ["authorize", "get-tokens", "refresh-tokens"];

/// Generates the documents together; returns the operations and types generated and the
/// operationIds left out, each checked to be left out for its server.
fn generate(names: &[&str]) -> (usize, usize, Vec<String>) {
    let docs: Vec<_> = names
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let api = name.split('-').next().unwrap_or("v1");
            parse_document(api, &format!("{name}.yaml"), &text).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let lowered = lower(&docs, &TagSelection::All).unwrap_or_else(|e| panic!("{names:?}: {e}"));
    // v1's field schemas give `field_type` one enum in one `allOf` part and a longer one in the
    // next: the generator says which it uses, and nothing else.
    let left_out: Vec<String> = lowered
        .warnings
        .iter()
        .filter(|w| {
            !w.message
                .starts_with("`allOf` parts give property `field_type` two types")
        })
        .map(|w| {
            assert!(
                w.message
                    .contains("is served by `https://oauth.pipedrive.com`, not by the document's server"),
                "{names:?}: unexpected warning {w}"
            );
            w.operation_id
                .clone()
                .unwrap_or_else(|| panic!("{names:?}: no operationId in {w}"))
        })
        .collect();
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    };
    let files = emit_crate(&lowered.api, &spec).unwrap_or_else(|e| panic!("{names:?}: {e}"));
    assert!(files.iter().any(|f| f.path.ends_with("/types.rs")));
    (lowered.api.operations.len(), lowered.api.types.len(), left_out)
}

#[test]
fn every_published_document_generates() {
    // Operation counts as SOURCES.md gives them: 275, 213, 123 and 158.
    for (name, operations) in [
        ("v1-2026-01-14", 275),
        ("v1-2026-08-18", 213),
        ("v2-2026-01-14", 123),
        ("v2-2026-08-18", 158),
    ] {
        let (ops, types, left_out) = generate(&[name]);
        let expected_left_out: &[&str] = if name.starts_with("v1") { &OAUTH_ELSEWHERE } else { &[] };
        assert_eq!(left_out, expected_left_out, "{name}: operations left out");
        assert_eq!(
            ops + left_out.len(),
            operations,
            "{name}: every other operation is generated"
        );
        assert!(types > 50, "{name}: {types} types");
    }
}

#[test]
fn both_pairs_of_the_same_date_generate_together() {
    assert_eq!(
        generate(&["v1-2026-01-14", "v2-2026-01-14"]).0,
        275 + 123 - OAUTH_ELSEWHERE.len()
    );
    assert_eq!(
        generate(&["v1-2026-08-18", "v2-2026-08-18"]).0,
        213 + 158 - OAUTH_ELSEWHERE.len()
    );
}
