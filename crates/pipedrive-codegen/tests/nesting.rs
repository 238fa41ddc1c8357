//! The nesting check before parsing (`load::check_nesting`) agrees with the parser: on documents
//! nested right around the limit, built from random chains of mappings and lists whose siblings
//! are scalars that look like YAML syntax (`[`, `- x`, `a: b`, `#`, `|`, quotes, line breaks), it
//! refuses exactly what serde_yaml refuses as too deep, written out by serde_yaml (block style,
//! with the quoting it chooses) and by serde_json (flow style). The real documents pass it.

#![allow(clippy::panic)]

use pipedrive_codegen::load::check_nesting;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Scalars that look like YAML structure, so the serializers quote or fold them.
const SCALARS: [&str; 20] = [
    "[",
    "{",
    "a [b",
    "x]",
    "it's",
    "#x",
    "a #b",
    "a: b",
    "- x",
    "? k",
    "|",
    ">",
    "\"q",
    "'",
    "multi\nline [",
    "&a",
    "*b",
    "!t",
    "---",
    "",
];

/// One level of the chain: a mapping (holding the next level under a key) or a list, with
/// scalars beside it.
#[derive(Debug, Clone)]
struct Level {
    mapping: bool,
    siblings: Vec<usize>,
    /// Where among its siblings the next level goes.
    at: usize,
}

fn level() -> impl Strategy<Value = Level> {
    (
        any::<bool>(),
        prop::collection::vec(0..SCALARS.len(), 0..3),
        any::<usize>(),
    )
        .prop_map(|(mapping, siblings, at)| Level { mapping, siblings, at })
}

/// The chain as a value, innermost level first built; its depth is the number of levels.
fn build(levels: &[Level]) -> Value {
    let mut inner = Value::String("end".into());
    for (depth, level) in levels.iter().enumerate().rev() {
        let at = level.at % (level.siblings.len() + 1);
        let mut items: Vec<Value> = level
            .siblings
            .iter()
            .map(|i| Value::String(SCALARS.get(*i).copied().unwrap_or("").to_owned()))
            .collect();
        items.insert(at, inner);
        inner = if level.mapping {
            let mut map = Mapping::new();
            for (i, item) in items.into_iter().enumerate() {
                let key = SCALARS.get(i % SCALARS.len()).copied().unwrap_or("");
                map.insert(Value::String(format!("{key}{depth}.{i}")), item);
            }
            Value::Mapping(map)
        } else {
            Value::Sequence(items)
        };
    }
    inner
}

fn parser_accepts(text: &str) -> bool {
    match serde_yaml::from_str::<Value>(text) {
        Ok(_) => true,
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => false,
        Err(e) => panic!("the serializer wrote text the parser refuses for another reason: {e}\n{text}"),
    }
}

fn agrees(text: &str, style: &str) {
    let parser = parser_accepts(text);
    let check = check_nesting("doc.yaml", text);
    assert_eq!(
        check.is_ok(),
        parser,
        "{style}: the parser {} it, the check {}: {check:?}",
        if parser { "accepts" } else { "refuses" },
        if check.is_ok() { "accepts" } else { "refuses" },
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_check_refuses_what_the_parser_refuses_as_too_deep(levels in prop::collection::vec(level(), 120..136)) {
        let value = build(&levels);
        let block = serde_yaml::to_string(&value).unwrap_or_else(|e| panic!("serialize: {e}"));
        agrees(&block, "block style");
        let flow = serde_json::to_string(&value).unwrap_or_else(|e| panic!("serialize: {e}"));
        agrees(&flow, "flow style (JSON)");
    }
}

#[test]
fn the_shipped_documents_pass() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    for file in ["pipedrive-v1.yaml", "pipedrive-v2.yaml", "codegen.yaml"] {
        let text = std::fs::read_to_string(spec.join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
        assert!(check_nesting(file, &text).is_ok(), "{file}");
    }
}
