//! Output depends on what the documents say, not on how they are laid out: shuffling the order
//! of every object's keys (paths, methods, properties, responses, …) gives byte-identical files.
//!
//! Runs on both full documents with every tag, so every construct's ordering is covered.

#![allow(clippy::panic, clippy::indexing_slicing)]

use pipedrive_codegen::TagSelection;
use pipedrive_codegen::emit::{CrateSpec, GeneratedFile, emit_crate};
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::lower::lower;
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

fn generate(texts: &[(&str, &str, String)]) -> Vec<GeneratedFile> {
    let docs: Vec<_> = texts
        .iter()
        .map(|(api, file, text)| parse_document(api, file, text).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let lowered = lower(&docs, &TagSelection::All).unwrap_or_else(|e| panic!("{e}"));
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
    };
    emit_crate(&lowered.api, &spec).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn shuffled_key_order_gives_byte_identical_output() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let read = |file: &str| std::fs::read_to_string(spec.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let original = [
        ("v1", "pipedrive-v1.yaml", read("pipedrive-v1.yaml")),
        ("v2", "pipedrive-v2.yaml", read("pipedrive-v2.yaml")),
    ];
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
                shuffle_keys(&mut value, &mut rng);
                (
                    *api,
                    *file,
                    serde_yaml::to_string(&value).unwrap_or_else(|e| panic!("{e}")),
                )
            })
            .collect();
        assert_ne!(shuffled[1].2, original[1].2, "the shuffle changed the text");
        let actual = generate(&shuffled);
        assert_eq!(actual.len(), expected.len());
        for (a, e) in actual.iter().zip(&expected) {
            assert_eq!(a.path, e.path);
            assert!(
                a.contents == e.contents,
                "seed {seed:#x}: {} differs after shuffling keys",
                a.path
            );
        }
    }
}
