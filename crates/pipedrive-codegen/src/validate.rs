//! Checks on the raw document that deserves a better message than a deserializer can give.
//!
//! `openapiv3` would read an OpenAPI 3.1 document, reject an unknown parameter location with
//! "data did not match any variant", and leave a dangling `$ref` for later. These checks run
//! on the plain YAML value first and say exactly where and what: wrong version, no paths,
//! unknown parameter location, duplicate operationIds, `$ref`s that do not resolve or that loop.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use crate::document::{operation_id_at, unescape_pointer_token};
use crate::error::{Diagnostic, pointer_join};

/// Lowering names the methods through this module.
pub use crate::document::METHODS;

/// Returns warnings, or every error found.
pub fn check_document(file: &str, raw: &Value) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let Some(root) = raw.as_mapping() else {
        return Err(vec![
            Diagnostic::new(file, "", format!("the document is {}, not an object", kind(raw)))
                .expected("an OpenAPI 3.0 document (an object with `openapi`, `info` and `paths`)"),
        ]);
    };
    check_version(file, root.get("openapi"), root.get("swagger")).map_err(|d| vec![d])?;

    match root.get("paths") {
        None => errors.push(
            Diagnostic::new(file, "", "the document has no `paths`")
                .expected("a `paths` object with at least one operation"),
        ),
        Some(Value::Mapping(paths)) if paths.is_empty() => {
            warnings.push(
                Diagnostic::new(
                    file,
                    "/paths",
                    "`paths` is empty: this document contributes no operations",
                )
                .warning(),
            );
        }
        Some(Value::Mapping(paths)) => check_operations(file, paths, &mut errors),
        Some(other) => errors.push(
            Diagnostic::new(file, "/paths", format!("`paths` is {}", kind(other)))
                .expected("an object of path templates"),
        ),
    }
    let found = scan(raw);
    check_numbers(file, raw, &found.non_finite, &mut errors);
    check_refs(file, raw, &found.refs, &mut errors);
    if errors.is_empty() { Ok(warnings) } else { Err(errors) }
}

fn check_version(file: &str, openapi: Option<&Value>, swagger: Option<&Value>) -> Result<(), Diagnostic> {
    let expected = "`openapi: 3.0.x` (OpenAPI 3.0)";
    match openapi {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.1") => {
            Err(Diagnostic::new(file, "/openapi", format!("OpenAPI {v} is not supported yet")).expected(expected))
        }
        Some(other) => {
            Err(Diagnostic::new(file, "/openapi", format!("`openapi` is {}", describe(other))).expected(expected))
        }
        None if swagger.is_some() => {
            Err(Diagnostic::new(file, "/swagger", "this is a Swagger 2.0 document").expected(expected))
        }
        None => Err(
            Diagnostic::new(file, "", "this is not an OpenAPI document: there is no `openapi` field")
                .expected(expected),
        ),
    }
}

fn check_operations(file: &str, paths: &serde_yaml::Mapping, errors: &mut Vec<Diagnostic>) {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths {
        let Some(path) = path.as_str() else {
            errors.push(
                Diagnostic::new(file, "/paths", format!("a path key is {}", describe(path)))
                    .expected("path templates as strings"),
            );
            continue;
        };
        let item_pointer = pointer_join("/paths", path);
        if !path.starts_with('/') {
            errors.push(
                Diagnostic::new(file, &item_pointer, format!("path `{path}` does not start with `/`"))
                    .expected("a path template such as `/stages/{id}`"),
            );
        }
        let Some(item) = item.as_mapping() else {
            errors.push(
                Diagnostic::new(file, &item_pointer, format!("the path item is {}", kind(item)))
                    .expected("an object of operations"),
            );
            continue;
        };
        if let Some(params) = item.get("parameters") {
            check_parameters(file, &pointer_join(&item_pointer, "parameters"), params, None, errors);
        }
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let op_pointer = pointer_join(&item_pointer, method);
            let op_id = op.get("operationId").and_then(Value::as_str);
            // Without an operationId, lowering names the operation from its method and path and
            // warns then: only it knows the name (`unique` numbers a clash) and whether the
            // operation is selected.
            if let Some(id) = op_id {
                if let Some(first) = ids.get(id) {
                    errors.push(
                        Diagnostic::new(
                            file,
                            pointer_join(&op_pointer, "operationId"),
                            format!("operationId `{id}` is also used at {first}"),
                        )
                        .operation(Some(id))
                        .expected("operationIds unique within a document"),
                    );
                } else {
                    ids.insert(id.to_owned(), op_pointer.clone());
                }
            }
            if let Some(params) = op.get("parameters") {
                check_parameters(file, &pointer_join(&op_pointer, "parameters"), params, op_id, errors);
            }
        }
    }
}

fn check_parameters(file: &str, pointer: &str, params: &Value, op: Option<&str>, errors: &mut Vec<Diagnostic>) {
    let Some(list) = params.as_sequence() else {
        errors.push(
            Diagnostic::new(file, pointer, format!("`parameters` is {}", kind(params)))
                .operation(op)
                .expected("a list of parameters"),
        );
        return;
    };
    for (i, param) in list.iter().enumerate() {
        if param.get("$ref").is_some() {
            continue;
        }
        let at = pointer_join(pointer, i);
        match param.get("in") {
            Some(Value::String(loc)) if matches!(loc.as_str(), "query" | "header" | "path" | "cookie") => {}
            Some(other) => errors.push(
                Diagnostic::new(
                    file,
                    pointer_join(&at, "in"),
                    format!("unknown parameter location {}", describe(other)),
                )
                .operation(op)
                .expected("`in: query`, `header`, `path` or `cookie` (OpenAPI 3.0 puts bodies in `requestBody`)"),
            ),
            None => errors.push(
                Diagnostic::new(file, &at, "the parameter has no `in`")
                    .operation(op)
                    .expected("`in: query`, `header`, `path` or `cookie`"),
            ),
        }
        if param.get("name").and_then(Value::as_str).is_none() {
            errors.push(
                Diagnostic::new(file, &at, "the parameter has no `name`")
                    .operation(op)
                    .expected("a `name` string"),
            );
        }
    }
}

/// Numbers JSON cannot hold (`.inf`, `.nan`): the `openapiv3` types cannot take them either.
fn check_numbers(file: &str, raw: &Value, non_finite: &[(String, f64)], errors: &mut Vec<Diagnostic>) {
    for (at, value) in non_finite {
        errors.push(
            Diagnostic::new(file, at, format!("the number `{value}` is not finite"))
                .operation(operation_id_at(raw, at).as_deref())
                .expected("a finite number (JSON has no infinity or NaN)"),
        );
    }
}

/// Every `$ref` must be local (`#/...`) and resolve; schema references must not loop.
fn check_refs(file: &str, raw: &Value, refs: &[(String, String)], errors: &mut Vec<Diagnostic>) {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (at, target) in refs {
        let Some(target_pointer) = target.strip_prefix('#') else {
            errors.push(
                Diagnostic::new(file, at, format!("`$ref: {target}` points outside this document"))
                    .operation(operation_id_at(raw, at).as_deref())
                    .expected("a local reference such as `#/components/schemas/Stage`"),
            );
            continue;
        };
        if resolve_pointer(raw, target_pointer).is_none() {
            errors.push(
                Diagnostic::new(file, at, format!("`$ref: {target}` does not resolve"))
                    .operation(operation_id_at(raw, at).as_deref())
                    .expected("a pointer to an existing object, such as `#/components/schemas/Stage`"),
            );
            continue;
        }
        // The edge goes from the component that contains the $ref to its target.
        if let Some(owner) = component_of(at) {
            edges.entry(owner).or_default().insert(target_pointer.to_owned());
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        let first = cycle.first().cloned().unwrap_or_default();
        errors.push(
            Diagnostic::new(
                file,
                &first,
                format!(
                    "`$ref` cycle: {}",
                    cycle.iter().map(|p| format!("#{p}")).collect::<Vec<_>>().join(" → ")
                ),
            )
            .expected(if first.starts_with("/components/schemas/") {
                "schemas without recursion (recursive schemas are not supported yet)"
            } else {
                "a chain of `$ref`s that ends at a component written out"
            }),
        );
    }
}

/// What one walk over the whole document finds: every `$ref` and where it sits, and every number
/// that is not finite (`.inf`, `.nan`). The path is kept as a stack of borrowed segments and
/// turned into a pointer string only for a find: building a string per node made this pass a
/// fifth of a document's load time.
#[derive(Default)]
struct Scan {
    refs: Vec<(String, String)>,
    non_finite: Vec<(String, f64)>,
}

fn scan(raw: &Value) -> Scan {
    enum Segment<'a> {
        Key(&'a str),
        Index(usize),
    }
    fn pointer(path: &[Segment<'_>]) -> String {
        path.iter().fold(String::new(), |p, s| match s {
            Segment::Key(k) => pointer_join(&p, k),
            Segment::Index(i) => pointer_join(&p, i),
        })
    }
    /// `refs` is false inside an `example`: its value is free-form data, where a `$ref` key is
    /// just a key (a property named `example` is a schema, and is walked as one).
    fn walk<'a>(value: &'a Value, path: &mut Vec<Segment<'a>>, refs: bool, out: &mut Scan) {
        match value {
            Value::Mapping(map) => {
                let in_properties = matches!(path.last(), Some(Segment::Key("properties")));
                for (k, v) in map {
                    let Some(key) = k.as_str() else { continue };
                    if key == "$ref" && refs {
                        if let Value::String(target) = v {
                            out.refs.push((pointer(path), target.clone()));
                        }
                        continue;
                    }
                    let refs = refs && (key != "example" || in_properties);
                    path.push(Segment::Key(key));
                    walk(v, path, refs, out);
                    path.pop();
                }
            }
            Value::Sequence(seq) => {
                for (i, v) in seq.iter().enumerate() {
                    path.push(Segment::Index(i));
                    walk(v, path, refs, out);
                    path.pop();
                }
            }
            Value::Tagged(tagged) => walk(&tagged.value, path, refs, out),
            Value::Number(n) => {
                if let Some(f) = n.as_f64().filter(|f| !f.is_finite()) {
                    out.non_finite.push((pointer(path), f));
                }
            }
            _ => {}
        }
    }
    let mut out = Scan::default();
    walk(raw, &mut Vec::new(), true, &mut out);
    out
}

/// `/components/schemas/A/properties/b` → `/components/schemas/A`.
fn component_of(pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/').skip(1);
    if parts.next()? != "components" {
        return None;
    }
    let section = parts.next()?;
    let name = parts.next()?;
    Some(format!("/components/{section}/{name}"))
}

/// The first cycle among the components' `$ref`s, in sorted (deterministic) order, as the list of
/// components around it with the first repeated at the end.
///
/// A depth-first search with an explicit stack, not recursion: a spec controls how long a chain
/// of `$ref`s is, and a chain of tens of thousands of components would overflow a thread's stack.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    static NO_EDGES: BTreeSet<String> = BTreeSet::new();
    let successors = |node: &str| edges.get(node).unwrap_or(&NO_EDGES).iter();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in edges.keys() {
        if done.contains(start.as_str()) {
            continue;
        }
        // The path from `start`, each node with the `$ref`s still to follow from it.
        let mut path = vec![(start.as_str(), successors(start))];
        let mut on_path: BTreeSet<&str> = BTreeSet::from([start.as_str()]);
        while let Some((node, next_nodes)) = path.last_mut() {
            match next_nodes.next() {
                Some(next) if on_path.contains(next.as_str()) => {
                    let from = path.iter().position(|(n, _)| *n == next.as_str()).unwrap_or(0);
                    let mut cycle: Vec<String> = path
                        .get(from..)
                        .unwrap_or_default()
                        .iter()
                        .map(|(n, _)| (*n).to_owned())
                        .collect();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(next) if done.contains(next.as_str()) => {}
                Some(next) => {
                    on_path.insert(next);
                    path.push((next, successors(next)));
                }
                None => {
                    let node = *node;
                    on_path.remove(node);
                    done.insert(node);
                    path.pop();
                }
            }
        }
    }
    None
}

/// Looks up a JSON pointer (without the leading `#`) in the raw document.
pub fn resolve_pointer<'a>(raw: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(raw);
    }
    let mut current = raw;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = unescape_pointer_token(token);
        current = match current {
            Value::Mapping(map) => map.get(token.as_str())?,
            Value::Sequence(seq) => seq.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "an object",
        Value::Tagged(_) => "a tagged value",
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::Bool(b) => format!("`{b}`"),
        other => kind(other).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        let raw: Value = serde_yaml::from_str(text).unwrap_or(Value::Null);
        check_document("doc.yaml", &raw)
    }

    fn first_error(text: &str) -> String {
        match check(text) {
            Err(errors) => errors.first().map(ToString::to_string).unwrap_or_default(),
            Ok(_) => "<no error>".into(),
        }
    }

    /// `A0 → A1 → … → An`: a chain of components, optionally closed back onto `A{close}`.
    fn chain(n: usize, close: Option<usize>) -> BTreeMap<String, BTreeSet<String>> {
        let mut edges: BTreeMap<String, BTreeSet<String>> = (0..n)
            .map(|i| (format!("A{i:06}"), BTreeSet::from([format!("A{:06}", i + 1)])))
            .collect();
        if let Some(to) = close {
            edges.insert(format!("A{n:06}"), BTreeSet::from([format!("A{to:06}")]));
        }
        edges
    }

    #[test]
    fn a_long_chain_of_refs_is_searched_without_recursion() {
        // Deep enough to overflow a 2 MiB stack with one frame per component.
        assert_eq!(find_cycle(&chain(200_000, None)), None);
        let cycle = find_cycle(&chain(200_000, Some(199_998))).unwrap_or_default();
        assert_eq!(cycle, ["A199998", "A199999", "A200000", "A199998"]);
        let small = find_cycle(&chain(2, Some(0))).unwrap_or_default();
        assert_eq!(small, ["A000000", "A000001", "A000002", "A000000"]);
    }

    #[test]
    fn rejects_other_versions() {
        assert!(first_error("openapi: 3.1.0\npaths: {}").contains("OpenAPI 3.1.0 is not supported yet"));
        assert!(first_error("swagger: '2.0'\npaths: {}").contains("Swagger 2.0"));
        assert!(first_error("hello: world").contains("not an OpenAPI document"));
        assert!(first_error("- 1").contains("is a list, not an object"));
    }

    #[test]
    fn empty_paths_is_a_warning() {
        let warnings = check("openapi: 3.0.1\npaths: {}").unwrap_or_default();
        assert_eq!(warnings.len(), 1);
        assert!(warnings.iter().all(|w| w.pointer == "/paths"));
    }

    #[test]
    fn unknown_parameter_location_points_at_in() {
        let message = first_error(
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: x, in: body}\n",
        );
        assert_eq!(
            message,
            "doc.yaml: at /paths/~1a/get/parameters/0/in (operationId `getA`): unknown parameter location `body`; expected `in: query`, `header`, `path` or `cookie` (OpenAPI 3.0 puts bodies in `requestBody`)"
        );
    }

    #[test]
    fn duplicate_operation_ids() {
        let message =
            first_error("openapi: 3.0.1\npaths:\n  /a:\n    get: {operationId: x}\n  /b:\n    get: {operationId: x}\n");
        assert!(
            message.contains(
                "/paths/~1b/get/operationId (operationId `x`): operationId `x` is also used at /paths/~1a/get"
            ),
            "{message}"
        );
    }

    #[test]
    fn dangling_and_cyclic_refs() {
        let dangling = first_error(
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
        );
        assert!(dangling.contains("at /paths/~1a/get/responses/200 (operationId `getA`): `$ref: #/components/responses/Nope` does not resolve"), "{dangling}");
        let cycle = first_error(
            "openapi: 3.0.1\npaths: {}\ncomponents:\n  schemas:\n    A: {properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {items: {$ref: '#/components/schemas/A'}}\n",
        );
        assert!(
            cycle.contains("`$ref` cycle: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A"),
            "{cycle}"
        );
    }
}
