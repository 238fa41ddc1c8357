//! Output depends on what the documents say, not on how they are laid out: shuffling the order
//! of every object's keys (paths, methods, properties, responses, …) gives byte-identical files,
//! and so does listing the documents in the config in the other order.
//!
//! Runs on both full documents with every tag, so every construct's ordering is covered.

#![allow(clippy::panic, clippy::indexing_slicing)]

use pipedrive_codegen::config::DocumentConfig;
use pipedrive_codegen::emit::{CrateSpec, GeneratedFile};
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::{Config, Inputs, TagSelection};
use serde_yaml::{Mapping, Value};

/// A tiny deterministic generator (xorshift64*), so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Reorders the keys of every mapping (lists keep their order: it is meaningful).
fn shuffle_keys(value: &mut Value, rng: &mut Rng) {
    match value {
        Value::Mapping(map) => {
            let mut entries: Vec<(Value, Value)> = std::mem::take(map).into_iter().collect();
            for i in (1..entries.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                entries.swap(i, j);
            }
            let mut shuffled = Mapping::new();
            for (k, mut v) in entries {
                shuffle_keys(&mut v, rng);
                shuffled.insert(k, v);
            }
            *map = shuffled;
        }
        Value::Sequence(seq) => seq.iter_mut().for_each(|v| shuffle_keys(v, rng)),
        _ => {}
    }
}

/// Every file of a first generation, as `cargo xtask codegen` writes it: the crate's code, and
/// `api.json` and `CHANGELOG.md`, which list documents and operations too.
fn generate(texts: &[(&str, &str, String)]) -> Vec<GeneratedFile> {
    let documents: Vec<_> = texts
        .iter()
        .map(|(api, file, text)| parse_document(api, file, text).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let inputs = Inputs {
        config: Config {
            crate_name: "pipedrive".into(),
            documents: texts
                .iter()
                .map(|(api, file, _)| DocumentConfig {
                    api: (*api).to_owned(),
                    file: (*file).to_owned(),
                })
                .collect(),
            tags: TagSelection::All,
            names: Vec::new(),
            example_mismatches: None,
            publish: true,
            file: "codegen.yaml".into(),
        },
        documents,
        example_mismatches: Vec::new(),
    };
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    };
    pipedrive_codegen::generate(&inputs, &spec, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .files
}

/// The two shipped documents as `(api, file, text)`, in the config's order (v1, then v2).
fn shipped_documents() -> [(&'static str, &'static str, String); 2] {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let read = |file: &str| std::fs::read_to_string(spec.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    [
        ("v1", "pipedrive-v1.yaml", read("pipedrive-v1.yaml")),
        ("v2", "pipedrive-v2.yaml", read("pipedrive-v2.yaml")),
    ]
}

/// Asserts both generations write the same files with the same bytes; on failure names every
/// file that differs, with its first differing line. The order of the list is not compared: each
/// file is written to its own path, so only paths and contents reach the disk.
fn assert_same_files(actual: &[GeneratedFile], expected: &[GeneratedFile], what: &str) {
    let by_path = |files: &[GeneratedFile]| {
        files
            .iter()
            .map(|f| (f.path.clone(), f.contents.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (actual, expected) = (by_path(actual), by_path(expected));
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{what}: the set of files differs"
    );
    let mut differences = Vec::new();
    for ((path, a), e) in actual.iter().zip(expected.values()) {
        if a != e {
            let line = a
                .lines()
                .zip(e.lines())
                .position(|(a, e)| a != e)
                // Otherwise one file is the other plus more lines.
                .unwrap_or_else(|| a.lines().count().min(e.lines().count()));
            differences.push(format!(
                "{path}, first at line {}:\n  got:      {:?}\n  expected: {:?}",
                line + 1,
                a.lines().nth(line).unwrap_or("(end of file)"),
                e.lines().nth(line).unwrap_or("(end of file)"),
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{what}: {} file(s) differ:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn shuffled_key_order_gives_byte_identical_output() {
    let original = shipped_documents();
    let expected = generate(&original);
    assert!(
        expected.len() > 50,
        "every tag of both documents: {} files",
        expected.len()
    );

    for seed in [0x9E37_79B9_7F4A_7C15_u64, 42] {
        let mut rng = Rng(seed);
        let shuffled: Vec<(&str, &str, String)> = original
            .iter()
            .map(|(api, file, text)| {
                let mut value: Value = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
                // The same value written out unshuffled: the document's own text differs from any
                // re-serialisation (quoting, flow style, comments), so only this shows whether the
                // shuffle really reordered keys, and without that the test would prove nothing.
                let unshuffled = serde_yaml::to_string(&value).unwrap_or_else(|e| panic!("{e}"));
                shuffle_keys(&mut value, &mut rng);
                let text = serde_yaml::to_string(&value).unwrap_or_else(|e| panic!("{e}"));
                // `assert!`, not `assert_ne!`: on failure the two documents would be printed whole.
                assert!(
                    text != unshuffled,
                    "seed {seed:#x}: the shuffle left {file}'s key order as it was"
                );
                (*api, *file, text)
            })
            .collect();
        let actual = generate(&shuffled);
        assert_same_files(&actual, &expected, &format!("seed {seed:#x}, keys shuffled"));
    }
}

/// Which document is listed first in `codegen.yaml` is layout too: each operation keeps its own
/// document's API module and server prefix, so listing v2 before v1 must give the same crate.
#[test]
fn document_order_in_the_config_gives_byte_identical_output() {
    let [v1, v2] = shipped_documents();
    let expected = generate(&[v1.clone(), v2.clone()]);
    let reversed = generate(&[v2, v1]);
    assert_same_files(&reversed, &expected, "documents listed v2, v1");
}
