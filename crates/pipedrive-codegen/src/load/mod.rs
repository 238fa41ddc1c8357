//! Load: read a document, parse its YAML, check what the `openapiv3` types cannot express,
//! and deserialize it.
//!
//! Before parsing, the text's nesting depth is checked ([`nesting`]), as the parser's time grows
//! with its square. The document is parsed once into a `serde_yaml::Value`. That value is checked first
//! (`crate::validate`) so that the usual mistakes (wrong OpenAPI version, a broken `$ref`, an unknown
//! parameter location) get a precise message, then deserialized into `openapiv3::OpenAPI` with
//! `serde_path_to_error`, so anything left still names the JSON pointer where it went wrong. The
//! raw value is kept beside the typed one for lookups by pointer.

mod nesting;

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::TagSelection;

use crate::document::{METHODS, operation_id_at};
use crate::error::{Diagnostic, Error, escape_pointer_token, pointer_join};
use crate::validate;

/// Documents larger than this are refused before parsing. Pipedrive's largest is under 3 MB.
/// Parsing takes up to about 125 times a document's size in memory (16 MB of `[],` took 2 GB
/// and 7 s, the parser's own events and the tree it builds), and a run must take at most 2 GB and
/// 10 s whatever the document; at this size, 1 GB and 3.5 s (BENCHMARKS.md, "Limits").
pub const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;

/// Operations a run may generate, from all its documents together. Pipedrive's two documents
/// have about 300 and 200. Lowering, emitting and formatting take about a millisecond an
/// operation (a document of 57,000 small operations took 66 s and 3.3 GB to generate); at this
/// limit, with the largest operations that fit the size limit, a run took 4.6 s and 820 MB.
pub const MAX_OPERATIONS: usize = 3_000;

/// A parsed, checked document.
#[derive(Debug)]
pub struct LoadedDocument {
    /// API version name from the config (`v1`).
    pub api: String,
    /// File name for messages.
    pub file: String,
    pub openapi: openapiv3::OpenAPI,
    /// The same document as plain YAML, for pointer lookups and checks.
    pub raw: serde_yaml::Value,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
}

/// A UTF-8 byte-order mark, which some editors put at the start of a file. YAML allows one, but
/// serde_yaml reads it as the start of a second document ("more than one document"), and in
/// `codegen.yaml` as part of the first key ("missing field `documents`").
const BYTE_ORDER_MARK: char = '\u{feff}';

/// Reads a file as text, refusing one that is missing, too large or not UTF-8, and without the
/// byte-order mark it may start with.
pub fn read_text(path: &Path, display: &str) -> Result<String, Error> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::input(
            Diagnostic::new(display, "", format!("cannot read the file: {e}"))
                .expected(format!("a readable file at {}", path.display())),
        )
    })?;
    if meta.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::input(
            Diagnostic::new(display, "", format!("the file is {} bytes", meta.len()))
                .expected(format!("a document of at most {MAX_DOCUMENT_BYTES} bytes")),
        ));
    }
    let mut text = std::fs::read_to_string(path).map_err(|e| {
        Error::input(
            Diagnostic::new(display, "", format!("cannot read the file as UTF-8 text: {e}"))
                .expected("a UTF-8 YAML or JSON document"),
        )
    })?;
    if text.starts_with(BYTE_ORDER_MARK) {
        text.drain(..BYTE_ORDER_MARK.len_utf8());
    }
    Ok(text)
}

/// Parses and checks one document's text: [`parse_yaml`], [`check`], [`deserialize`].
pub fn parse_document(api: &str, file: &str, text: &str) -> Result<LoadedDocument, Error> {
    parse_document_for(api, file, text, &TagSelection::All)
}

/// Like [`parse_document`], but only the path items that hold an operation of a selected tag are
/// deserialized into `openapiv3` types (all of the document is still parsed and checked, and
/// `raw` keeps every path). Deserializing the 275 operations of v1 to generate the 7 of Stages
/// was a third of a run's time.
pub fn parse_document_for(
    api: &str,
    file: &str,
    text: &str,
    selection: &TagSelection,
) -> Result<LoadedDocument, Error> {
    let mut raw = parse_yaml(file, text)?;
    let warnings = check(file, &raw)?;
    check_operation_count(file, &raw, selection)?;
    let openapi = match selection {
        TagSelection::All => deserialize(file, &raw)?,
        TagSelection::Only(tags) => deserialize_selected(file, &mut raw, tags)?,
    };
    Ok(LoadedDocument {
        api: api.to_owned(),
        file: file.to_owned(),
        openapi,
        raw,
        warnings,
    })
}

/// Swaps `paths` for the selected path items while deserializing, then puts it back.
fn deserialize_selected(
    file: &str,
    raw: &mut serde_yaml::Value,
    tags: &BTreeSet<String>,
) -> Result<openapiv3::OpenAPI, Error> {
    let Some(paths) = raw.get_mut("paths") else {
        return deserialize(file, raw);
    };
    let all_paths = std::mem::take(paths);
    let selected: serde_yaml::Mapping = all_paths
        .as_mapping()
        .into_iter()
        .flatten()
        .filter(|(_, item)| has_selected_operation(item, tags))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    *paths = serde_yaml::Value::Mapping(selected);
    let result = deserialize(file, raw);
    if let Some(paths) = raw.get_mut("paths") {
        *paths = all_paths;
    }
    result
}

fn has_selected_operation(item: &serde_yaml::Value, tags: &BTreeSet<String>) -> bool {
    METHODS.iter().filter_map(|m| item.get(m)).any(|op| has_tag(op, tags))
}

/// Whether an operation has one of `tags`.
fn has_tag(operation: &serde_yaml::Value, tags: &BTreeSet<String>) -> bool {
    operation
        .get("tags")
        .and_then(serde_yaml::Value::as_sequence)
        .is_some_and(|t| t.iter().filter_map(serde_yaml::Value::as_str).any(|t| tags.contains(t)))
}

/// How many of the document's operations `selection` selects.
pub fn selected_operations(raw: &serde_yaml::Value, selection: &TagSelection) -> usize {
    raw.get("paths")
        .and_then(serde_yaml::Value::as_mapping)
        .into_iter()
        .flat_map(|paths| paths.values())
        .flat_map(|item| METHODS.iter().filter_map(|m| item.get(m)))
        .filter(|op| match selection {
            TagSelection::All => true,
            TagSelection::Only(tags) => has_tag(op, tags),
        })
        .count()
}

/// Refuses a document whose selected operations are more than [`MAX_OPERATIONS`], before they are
/// deserialized. (The documents of a run together are held to the same limit once all are loaded.)
fn check_operation_count(file: &str, raw: &serde_yaml::Value, selection: &TagSelection) -> Result<(), Error> {
    let selected = selected_operations(raw, selection);
    if selected <= MAX_OPERATIONS {
        return Ok(());
    }
    Err(Error::input(
        Diagnostic::new(
            file,
            "/paths",
            format!("{selected} operations are selected in this document"),
        )
        .expected(too_many_operations()),
    ))
}

/// What a run with too many operations should do instead.
pub fn too_many_operations() -> String {
    format!("at most {MAX_OPERATIONS} operations in a run: select fewer tags (`tags:` in the config, or `--tags`)")
}

/// YAML text to a value, with merge keys applied; refuses oversized or too deeply nested text.
/// A byte-order mark at the start is ignored.
pub fn parse_yaml(file: &str, text: &str) -> Result<serde_yaml::Value, Error> {
    let text = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text);
    if text.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(Error::input(
            Diagnostic::new(file, "", format!("the document is {} bytes", text.len()))
                .expected(format!("a document of at most {MAX_DOCUMENT_BYTES} bytes")),
        ));
    }
    check_nesting(file, text)?;
    let mut raw: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Error::input(
            Diagnostic::new(file, "", format!("invalid YAML{at}: {e}")).expected("a YAML or JSON OpenAPI 3.0 document"),
        )
    })?;
    raw.apply_merge()
        .map_err(|e| Error::input(Diagnostic::new(file, "", format!("invalid YAML merge key: {e}"))))?;
    Ok(raw)
}

/// Refuses text nested deeper than the parser takes, before parsing it (see [`nesting`]).
pub fn check_nesting(file: &str, text: &str) -> Result<(), Error> {
    nesting::check_depth(text).map_err(|at| {
        Error::input(
            Diagnostic::new(
                file,
                "",
                format!(
                    "collections nested more than {} deep (line {}, column {})",
                    nesting::MAX_DEPTH,
                    at.line,
                    at.column
                ),
            )
            .expected(format!(
                "at most {} nested mappings and lists, the document's root included",
                nesting::MAX_DEPTH
            )),
        )
    })
}

/// The checks `openapiv3` cannot express well (see `validate`); returns the warnings.
pub fn check(file: &str, raw: &serde_yaml::Value) -> Result<Vec<Diagnostic>, Error> {
    validate::check_document(file, raw).map_err(Error::Input)
}

/// The value as `openapiv3` types; a failure names the JSON pointer and operation.
pub fn deserialize(file: &str, raw: &serde_yaml::Value) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        // serde loses the path inside `paths` (openapiv3 flattens it); find the failing part.
        let (pointer, message) =
            locate_error(raw).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        let operation = operation_id_at(raw, &pointer);
        let (found, expected) = split_serde_message(&message);
        Error::input(
            Diagnostic::new(file, pointer, found)
                .operation(operation.as_deref())
                .expected(expected),
        )
    })
}

/// Splits serde's `invalid type: integer `7`, expected struct Schema` into what was found and
/// what the document should have there (`a Schema object, as OpenAPI 3.0 defines it`), so the
/// message says "expected" once and names no Rust type. Messages without an "expected" part
/// keep a general one.
fn split_serde_message(message: &str) -> (String, String) {
    const GENERAL: &str = "a valid OpenAPI 3.0 object here";
    let Some((found, wanted)) = message.split_once(", expected ") else {
        return (message.to_owned(), GENERAL.to_owned());
    };
    let wanted = match wanted.strip_prefix("struct ") {
        Some(name) => format!("a `{name}` object, as OpenAPI 3.0 defines it"),
        None => wanted.to_owned(),
    };
    (found.to_owned(), wanted)
}

/// Deserializes the document piece by piece to find where it breaks: each path item, then each
/// operation, then its parameters, request body and responses. Returns the pointer and message.
fn locate_error(raw: &serde_yaml::Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response};

    fn attempt<T: serde::de::DeserializeOwned>(value: &serde_yaml::Value, pointer: &str) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| (format!("{pointer}{}", path_to_pointer(e.path())), e.inner().to_string()))
    }

    let paths = raw.get("paths")?.as_mapping()?;
    for (key, item) in paths {
        let Some(path) = key.as_str() else { continue };
        let item_pointer = pointer_join("/paths", path);
        let Some(broken) = attempt::<PathItem>(item, &item_pointer) else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let op_pointer = pointer_join(&item_pointer, method);
            if attempt::<Operation>(op, &op_pointer).is_none() {
                continue;
            }
            let parts = op
                .get("parameters")
                .and_then(serde_yaml::Value::as_sequence)
                .into_iter()
                .flatten()
                .enumerate();
            for (i, param) in parts {
                let at = pointer_join(&pointer_join(&op_pointer, "parameters"), i);
                if let Some(found) = attempt::<ReferenceOr<Parameter>>(param, &at) {
                    return Some(found);
                }
            }
            if let Some(body) = op.get("requestBody") {
                if let Some(found) =
                    attempt::<ReferenceOr<RequestBody>>(body, &pointer_join(&op_pointer, "requestBody"))
                {
                    return Some(found);
                }
            }
            if let Some(responses) = op.get("responses").and_then(serde_yaml::Value::as_mapping) {
                for (code, response) in responses {
                    let code = code
                        .as_str()
                        .map(str::to_owned)
                        .or_else(|| code.as_u64().map(|c| c.to_string()))
                        .unwrap_or_default();
                    let at = pointer_join(&pointer_join(&op_pointer, "responses"), code);
                    if let Some(found) = attempt::<ReferenceOr<Response>>(response, &at) {
                        return Some(found);
                    }
                }
            }
            return attempt::<Operation>(op, &op_pointer);
        }
        return Some(broken);
    }
    None
}

/// Turns serde's path (`paths./stages.get.parameters[0]`) into a JSON pointer
/// (`/paths/~1stages/get/parameters/0`).
pub fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse_document("v1", "doc.yaml", text) {
            Ok(_) => String::from("<no error>"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn serde_messages_say_expected_once_and_name_no_rust_type() {
        assert_eq!(
            split_serde_message("invalid type: integer `7`, expected struct Schema"),
            (
                "invalid type: integer `7`".to_owned(),
                "a `Schema` object, as OpenAPI 3.0 defines it".to_owned()
            )
        );
        assert_eq!(
            split_serde_message("unknown variant `patchy`, expected one of `get`, `put`"),
            ("unknown variant `patchy`".to_owned(), "one of `get`, `put`".to_owned())
        );
        assert_eq!(
            split_serde_message("missing field `responses`"),
            (
                "missing field `responses`".to_owned(),
                "a valid OpenAPI 3.0 object here".to_owned()
            )
        );
    }

    #[test]
    fn invalid_yaml_names_file_and_line() {
        let message = err("openapi: 3.0.1\npaths: [\n");
        assert!(message.contains("doc.yaml"), "{message}");
        assert!(message.contains("invalid YAML (line"), "{message}");
    }

    #[test]
    fn deserialization_errors_carry_a_pointer_and_the_operation() {
        let text = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /stages:\n    get:\n      operationId: getStages\n      responses: 7\n";
        let message = err(text);
        assert!(message.contains("at /paths/~1stages/get/responses"), "{message}");
        assert!(message.contains("operationId `getStages`"), "{message}");
    }

    #[test]
    fn a_byte_order_mark_is_not_a_second_document() {
        let text = "\u{feff}openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert_eq!(err(text), "<no error>");
        assert!(parse_yaml("doc.yaml", text).is_ok());
    }

    #[test]
    fn oversized_documents_are_refused_before_parsing() {
        let big = "#".repeat((MAX_DOCUMENT_BYTES + 1) as usize);
        let message = err(&big);
        assert!(message.contains("at most 8388608 bytes"), "{message}");
    }

    /// `n` operations, each on a path of its own, tagged `A` or `B` in turn.
    fn operations(n: usize) -> String {
        let paths: String = (0..n)
            .map(|i| {
                format!(
                    "  /p{i}:\n    get: {{tags: [{}], responses: {{}}}}\n",
                    ["A", "B"][i % 2]
                )
            })
            .collect();
        format!("openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}")
    }

    #[test]
    fn too_many_selected_operations_are_refused_before_deserializing() {
        let text = operations(2 * MAX_OPERATIONS + 2);
        let message = match parse_document_for("v1", "doc.yaml", &text, &TagSelection::All) {
            Ok(_) => String::from("<no error>"),
            Err(e) => e.to_string(),
        };
        assert!(
            message
                .contains("doc.yaml: at /paths: 6002 operations are selected in this document; expected at most 3000"),
            "{message}"
        );
        // Half of them are tagged `A`: one over the limit. One tag fewer, and it is taken.
        let only = |tags: &[&str]| TagSelection::Only(tags.iter().map(|t| (*t).to_owned()).collect());
        assert!(parse_document_for("v1", "doc.yaml", &text, &only(&["A"])).is_err());
        let text = operations(2 * MAX_OPERATIONS);
        assert!(parse_document_for("v1", "doc.yaml", &text, &only(&["A"])).is_ok());
    }
}
