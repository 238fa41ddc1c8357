//! Codegen by phase, on the shipped Stages selection and on the whole API (every tag of both
//! documents): parse (YAML → value, the floor), check, deserialize, lower, emit, format, write.
//!
//! Rerun with `cargo bench -p pipedrive-codegen --bench codegen`; BENCHMARKS.md reports the
//! medians as ratios to the YAML parse of both documents measured in the same run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use pipedrive_codegen::emit::{CrateSpec, emit_files, format_files};
use pipedrive_codegen::ir::Api;
use pipedrive_codegen::load::{self, LoadedDocument};
use pipedrive_codegen::lower::lower;
use pipedrive_codegen::{TagSelection, write};

fn main() {
    divan::main();
}

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

const FILES: [(&str, &str); 2] = [("v1", "pipedrive-v1.yaml"), ("v2", "pipedrive-v2.yaml")];

fn texts() -> &'static [(&'static str, &'static str, String)] {
    static TEXTS: OnceLock<Vec<(&str, &str, String)>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        FILES
            .iter()
            .map(|(api, file)| (*api, *file, std::fs::read_to_string(spec_dir().join(file)).unwrap()))
            .collect()
    })
}

fn documents() -> &'static [LoadedDocument] {
    static DOCS: OnceLock<Vec<LoadedDocument>> = OnceLock::new();
    DOCS.get_or_init(|| {
        texts()
            .iter()
            .map(|(api, file, text)| load::parse_document(api, file, text).unwrap())
            .collect()
    })
}

fn stages() -> TagSelection {
    TagSelection::Only(["Stages".to_owned()].into())
}

fn selection(all: bool) -> TagSelection {
    if all { TagSelection::All } else { stages() }
}

fn api(all: bool) -> &'static Api {
    static STAGES: OnceLock<Api> = OnceLock::new();
    static ALL: OnceLock<Api> = OnceLock::new();
    let cell = if all { &ALL } else { &STAGES };
    cell.get_or_init(|| lower(documents(), &selection(all)).unwrap().api)
}

fn spec() -> CrateSpec {
    CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../../crates/pipedrive-runtime".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    }
}

/// The floor: YAML text of both documents (3.7 MB) to values.
#[divan::bench]
fn parse_yaml(bencher: Bencher) {
    bencher.bench(|| {
        for (_, file, text) in texts() {
            divan::black_box(load::parse_yaml(file, text).unwrap());
        }
    });
}

/// The generator's own checks on the raw documents (`$ref`s, operationIds, parameter locations).
#[divan::bench]
fn check(bencher: Bencher) {
    let raws: Vec<_> = texts()
        .iter()
        .map(|(_, file, text)| (*file, load::parse_yaml(file, text).unwrap()))
        .collect();
    bencher.bench(|| {
        for (file, raw) in &raws {
            divan::black_box(load::check(file, raw).unwrap());
        }
    });
}

/// Values to `openapiv3` types.
#[divan::bench]
fn deserialize(bencher: Bencher) {
    let raws: Vec<_> = texts()
        .iter()
        .map(|(_, file, text)| (*file, load::parse_yaml(file, text).unwrap()))
        .collect();
    bencher.bench(|| {
        for (file, raw) in &raws {
            divan::black_box(load::deserialize(file, raw).unwrap());
        }
    });
}

/// Lowering into the IR (Stages, then every tag).
#[divan::bench(args = [false, true])]
fn lower_ir(bencher: Bencher, all: bool) {
    let selection = selection(all);
    bencher.bench(|| divan::black_box(lower(documents(), &selection).unwrap()));
}

/// IR to token streams.
#[divan::bench(args = [false, true])]
fn emit(bencher: Bencher, all: bool) {
    let api = api(all);
    let spec = spec();
    bencher.bench(|| divan::black_box(emit_files(api, &spec)));
}

/// Token streams to formatted text (syn + prettyplease).
#[divan::bench(args = [false, true])]
fn format(bencher: Bencher, all: bool) {
    let api = api(all);
    let spec = spec();
    bencher
        .with_inputs(|| emit_files(api, &spec))
        .bench_values(|files| divan::black_box(format_files(files).unwrap()));
}

/// Comparing with what is on disk when nothing changed (the usual run), and writing a fresh tree.
#[divan::bench(args = [false, true])]
fn write_unchanged(bencher: Bencher, all: bool) {
    let files = format_files(emit_files(api(all), &spec())).unwrap();
    let dir = std::env::temp_dir().join(format!("codegen-bench-{all}-{}", std::process::id()));
    write::write_tree(&dir, &files).unwrap();
    bencher.bench(|| divan::black_box(write::write_tree(&dir, &files).unwrap()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[divan::bench(args = [false, true])]
fn write_fresh(bencher: Bencher, all: bool) {
    let files = format_files(emit_files(api(all), &spec())).unwrap();
    let dir = std::env::temp_dir().join(format!("codegen-bench-fresh-{all}-{}", std::process::id()));
    bencher.bench(|| {
        let _ = std::fs::remove_dir_all(&dir);
        divan::black_box(write::write_tree(&dir, &files).unwrap())
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Everything but writing, as `cargo xtask codegen` runs it: both documents parsed (one thread
/// each), checked, deserialized, lowered, emitted and formatted.
#[divan::bench(args = [false, true])]
fn end_to_end(bencher: Bencher, all: bool) {
    let selection = selection(all);
    bencher.bench(|| {
        let inputs = pipedrive_codegen::load_inputs_with(&spec_dir(), "codegen.yaml", Some(selection.clone())).unwrap();
        let lowered = lower(&inputs.documents, &selection).unwrap();
        divan::black_box(format_files(emit_files(&lowered.api, &spec())).unwrap())
    });
}
