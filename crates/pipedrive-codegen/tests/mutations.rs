//! Never a panic: property test that mutates Pipedrive's real documents and runs load, lower and
//! emit on the result.
//!
//! The documents are cut down to a few tags chosen for the constructs they use (Stages; Files for
//! multipart and downloads; DealFields for array bodies and unions; Activities for enums and
//! header-free arrays), so each case runs in milliseconds. Each case applies a handful of random
//! edits anywhere in the tree: replace a node with null, a number, a string that means something
//! to the generator (`$ref`s, type names, keywords), an empty object or list; delete it; rename
//! its key; copy another subtree over it; add a `$ref`. A second property test edits the YAML
//! text itself (cuts and YAML punctuation), so the parser's own errors are exercised too. Each case then runs twice: with every tag, and with the
//! configured Stages selection (which deserializes only the selected path items). Errors are fine
//! if they name the file and a JSON pointer into the mutated document; a panic fails the test.
//! `PROPTEST_CASES` raises the number of cases (CI runs the default, 40).

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::sync::OnceLock;

use pipedrive_codegen::TagSelection;
use pipedrive_codegen::emit::{CrateSpec, emit_crate};
use pipedrive_codegen::load::{check_nesting, parse_document_for};
use pipedrive_codegen::lower::lower;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

const TAGS: [&str; 4] = ["Stages", "Files", "DealFields", "Activities"];

/// Strings that steer the generator into its less travelled paths.
const WORDS: [&str; 20] = [
    "string",
    "integer",
    "number",
    "object",
    "array",
    "boolean",
    "#/components/schemas/Missing",
    "#/paths",
    "{id}",
    "",
    "3.1.0",
    "application/json",
    "multipart/form-data",
    "binary",
    "date-time",
    "self",
    "type",
    "1abc",
    "naïve",
    "x-token-cost",
];

/// The reduced documents (api name, YAML value), built once.
fn bases() -> &'static [(&'static str, Value)] {
    static BASES: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    BASES.get_or_init(|| {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
        [("v1", "pipedrive-v1.yaml"), ("v2", "pipedrive-v2.yaml")]
            .into_iter()
            .map(|(api, file)| {
                let text = std::fs::read_to_string(spec.join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
                let mut doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {file}: {e}"));
                keep_tags(&mut doc);
                (api, doc)
            })
            .collect()
    })
}

/// Drops every path item without an operation tagged with one of [`TAGS`].
fn keep_tags(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    paths.retain(|_, item| {
        item.as_mapping().is_some_and(|ops| {
            ops.values().any(|op| {
                op.get("tags")
                    .and_then(Value::as_sequence)
                    .is_some_and(|tags| tags.iter().any(|t| t.as_str().is_some_and(|t| TAGS.contains(&t))))
            })
        })
    });
}

/// Every node's path from the root (map keys and list indices), depth first, in document order.
fn node_paths(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(path.clone());
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                path.push(k.clone());
                node_paths(v, path, out);
                path.pop();
            }
        }
        Value::Sequence(seq) => {
            for (i, v) in seq.iter().enumerate() {
                path.push(Value::from(i as u64));
                node_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(root: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut current = root;
    for step in path {
        current = match current {
            Value::Mapping(map) => map.get_mut(step)?,
            Value::Sequence(seq) => seq.get_mut(usize::try_from(step.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

#[derive(Debug, Clone)]
struct Edit {
    target: usize,
    kind: u8,
    number: i64,
    word: usize,
    other: usize,
}

fn edit() -> impl Strategy<Value = Edit> {
    (any::<usize>(), 0u8..11, -3i64..600, 0..WORDS.len(), any::<usize>()).prop_map(
        |(target, kind, number, word, other)| Edit {
            target,
            kind,
            number,
            word,
            other,
        },
    )
}

fn apply(doc: &mut Value, edit: &Edit) {
    let mut paths = Vec::new();
    node_paths(doc, &mut Vec::new(), &mut paths);
    let Some(path) = paths.get(edit.target % paths.len().max(1)).cloned() else {
        return;
    };
    let word = WORDS.get(edit.word).copied().unwrap_or("");
    let replacement = match edit.kind {
        0 => Some(Value::Null),
        1 => Some(Value::from(edit.number)),
        2 => Some(Value::from(word)),
        3 => Some(Value::Mapping(Mapping::new())),
        4 => Some(Value::Sequence(Vec::new())),
        5 => Some(Value::Bool(edit.number % 2 == 0)),
        6 => {
            // Copy another subtree over this one.
            let source = paths.get(edit.other % paths.len().max(1)).cloned().unwrap_or_default();
            node_mut(doc, &source).map(|v| v.clone())
        }
        _ => None,
    };
    if let Some(value) = replacement {
        if let Some(node) = node_mut(doc, &path) {
            *node = value;
        }
        return;
    }
    match edit.kind {
        7 => {
            // Delete the node from its parent.
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            match node_mut(doc, parent) {
                Some(Value::Mapping(map)) => {
                    map.remove(last);
                }
                Some(Value::Sequence(seq)) => {
                    if let Some(i) = last
                        .as_u64()
                        .and_then(|i| usize::try_from(i).ok())
                        .filter(|i| *i < seq.len())
                    {
                        seq.remove(i);
                    }
                }
                _ => {}
            }
        }
        8 => {
            if let Some(Value::Mapping(map)) = node_mut(doc, &path) {
                map.insert(Value::from("$ref"), Value::from(word));
            }
        }
        9 => {
            // Rename the node's key in its parent: a path template, a status code, a method, a
            // property name. The new key is a word or a number, as YAML keys may be either.
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            if let Some(Value::Mapping(map)) = node_mut(doc, parent) {
                if let Some(value) = map.remove(last) {
                    let key = if edit.number % 2 == 0 {
                        Value::from(word)
                    } else {
                        Value::from(edit.number)
                    };
                    map.insert(key, value);
                }
            }
        }
        _ => {
            if let Some(Value::Mapping(map)) = node_mut(doc, &path) {
                map.insert(Value::from(word), Value::from(edit.number));
            }
        }
    }
}

/// What one selection made of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Load, lower and emit all succeeded: this many files.
    Generated(usize),
    /// The input was refused with located errors.
    Refused,
}

/// The tags `spec/codegen.yaml` generates. Loading them takes another path than `all`: only the
/// selected path items are deserialized, while the raw document (with every other path, mutated
/// or not) is still checked and used for lookups by lowering.
fn configured_tags() -> TagSelection {
    TagSelection::Only(["Stages".to_owned()].into_iter().collect())
}

/// The JSON pointer's node in `doc`, if there is one. YAML keys may be numbers (`200:` in
/// `responses`), so a token that reads as one is tried both ways.
fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut current = doc;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Mapping(map) => map
                .get(token.as_str())
                .or_else(|| token.parse::<u64>().ok().and_then(|n| map.get(Value::from(n))))?,
            Value::Sequence(seq) => seq.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Whether the document's root itself is what is wrong: not an object, without a field every
/// OpenAPI document has, or with a key that is not a field name (`401:` where `components:` was).
/// Only then may a diagnostic point at `(document root)`.
fn root_is_at_fault(doc: &Value) -> bool {
    doc.as_mapping().is_none_or(|root| {
        ["openapi", "info", "paths"].iter().any(|key| !root.contains_key(*key))
            || root.keys().any(|key| !key.is_string())
    })
}

/// An input error must say where: every problem names the file it is in (`<file>: at …`, as
/// `error.rs` formats it) and a JSON pointer into that document: to the node at fault, or to the
/// object a missing node belongs in. Only a problem with the whole document may point at the root.
fn assert_located(error: &pipedrive_codegen::Error, docs: &[(&str, Value)], stage: &str) {
    let diagnostics = error.diagnostics();
    assert!(
        diagnostics.iter().any(|d| d.is_error()),
        "{stage}: an input error, not an I/O or emit failure: {error}"
    );
    let text = error.to_string();
    for d in diagnostics {
        let doc = docs
            .iter()
            .find(|(api, _)| d.file == format!("{api}.yaml"))
            .map(|(_, doc)| doc)
            .unwrap_or_else(|| panic!("{stage}: a problem names a document's file: {d}"));
        let location = if d.pointer.is_empty() {
            assert!(
                root_is_at_fault(doc),
                "{stage}: a problem points at the document root of a document whose root is fine: {d}"
            );
            "(document root)"
        } else {
            let parent = d.pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
            assert!(
                resolve(doc, &d.pointer).is_some() || resolve(doc, parent).is_some(),
                "{stage}: a pointer that leads nowhere in the document: {d}"
            );
            &d.pointer
        };
        assert!(
            text.contains(&format!("{}: at {location}", d.file)),
            "{stage}: the message names the file and the location `{location}`: {text}"
        );
    }
}

/// Runs load, lower and emit on `docs` with `selection`. Errors are fine if they are located
/// ([`assert_located`]); a panic, or an emit failure after lowering succeeded, fails the test.
fn run_selection(texts: &[(&str, String, String)], docs: &[(&str, Value)], selection: &TagSelection) -> Outcome {
    let stage = format!("{selection:?}");
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    };
    let mut loaded = Vec::new();
    for (api, file, text) in texts {
        match parse_document_for(api, file, text, selection) {
            Ok(doc) => loaded.push(doc),
            Err(e) => {
                assert_located(&e, docs, &format!("{stage}, loading {file}"));
                return Outcome::Refused;
            }
        }
    }
    match lower(&loaded, selection) {
        Ok(lowered) => match emit_crate(&lowered.api, &spec) {
            Ok(files) => Outcome::Generated(files.len()),
            Err(e) => panic!("{stage}: lowering accepted the document but emitting failed: {e}"),
        },
        Err(e) => {
            assert_located(&e, docs, &format!("{stage}, lowering"));
            Outcome::Refused
        }
    }
}

/// Each case runs both selections: `all`, which deserializes every path item, and the configured
/// tags, which deserialize only theirs. A mutation outside Stages fails the first early and
/// reaches lowering and emitting on the second, with the mutated path still in the raw document.
fn run_pipeline(docs: &[(&str, Value)]) -> [Outcome; 2] {
    let texts: Vec<(&str, String, String)> = docs
        .iter()
        .map(|(api, value)| {
            let text = serde_yaml::to_string(value).unwrap_or_else(|e| panic!("serialize {api}: {e}"));
            (*api, format!("{api}.yaml"), text)
        })
        .collect();
    [TagSelection::All, configured_tags()].map(|selection| run_selection(&texts, docs, &selection))
}

/// Without this, a fuzz whose every case is refused would pass: the unmutated documents must get
/// all the way through emitting with both selections.
#[test]
fn the_unmutated_documents_generate() {
    let [all, stages] = run_pipeline(bases());
    let (Outcome::Generated(all), Outcome::Generated(stages)) = (all, stages) else {
        panic!("the unmutated documents were refused: all {all:?}, Stages {stages:?}");
    };
    assert!(
        stages > 0 && all > stages,
        "all tags: {all} files; Stages: {stages} files"
    );
}

/// Text that means something to a YAML parser, inserted by [`mutated_text_never_panics`].
const SNIPPETS: [&str; 10] = ["", ":", "- ", "{", "]", "'", "\t", "&a ", "*a", "\n  x: ["];

/// The byte offset of the char boundary at or before `at`.
fn boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0)
}

/// Runs both selections on texts of which one was edited. Text that is no longer YAML must be
/// refused with the file and line named; text that still parses must pass the nesting check and
/// is held to [`run_selection`].
fn run_texts(texts: &[(&str, String, String)]) {
    let mut docs = Vec::new();
    for (api, file, text) in texts {
        match serde_yaml::from_str::<Value>(text) {
            Ok(value) => {
                // What the parser takes, the nesting check that runs before it must take too.
                if let Err(e) = check_nesting(file, text) {
                    panic!("{file}: serde_yaml parses the text, the nesting check refuses it: {e}");
                }
                docs.push((*api, value));
            }
            Err(_) => {
                let error = parse_document_for(api, file, text, &TagSelection::All)
                    .err()
                    .unwrap_or_else(|| panic!("{file}: serde_yaml refused the text, the loader did not"));
                let message = error.to_string();
                assert!(
                    message.contains(&format!("{file}: ")) && message.contains("invalid YAML"),
                    "a YAML error names the file: {message}"
                );
                return;
            }
        }
    }
    for selection in [TagSelection::All, configured_tags()] {
        run_selection(texts, &docs, &selection);
    }
}

proptest! {
    // 40 cases of two selections take the CPU time 64 cases of `all` alone did (about 7 s in a
    // debug build). Over 400 cases `all` got through to emitting in about one case of four, the
    // Stages selection in about two of three, so in the same time more mutated documents reach
    // lowering and emitting than before.
    #![proptest_config(ProptestConfig { cases: 40, max_shrink_iters: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_never_panic(edits in prop::collection::vec(edit(), 1..6), which in 0usize..2) {
        let mut docs: Vec<(&str, Value)> = bases().to_vec();
        if let Some((_, doc)) = docs.get_mut(which) {
            for e in &edits {
                apply(doc, e);
            }
        }
        run_pipeline(&docs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_text_never_panics(at in any::<usize>(), cut in 0usize..40, snippet in 0..SNIPPETS.len(), which in 0usize..2) {
        let mut texts: Vec<(&str, String, String)> = bases()
            .iter()
            .map(|(api, value)| {
                let text = serde_yaml::to_string(value).unwrap_or_else(|e| panic!("serialize {api}: {e}"));
                (*api, format!("{api}.yaml"), text)
            })
            .collect();
        if let Some((_, _, text)) = texts.get_mut(which) {
            let start = boundary(text, at % text.len().max(1));
            let end = boundary(text, start + cut);
            text.replace_range(start..end, SNIPPETS.get(snippet).copied().unwrap_or(""));
        }
        run_texts(&texts);
    }
}
