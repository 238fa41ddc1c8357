//! Documented success examples: which ones lowering records and where it says they come from,
//! how the table of known mismatches is checked against the operations, and what the generated
//! crate's test is given. (That the generated test fails on an example that does not decode, and
//! on a table entry that no longer fails, is the generated crate's own test's business: it runs
//! in `cargo test --workspace`.)

#![allow(clippy::panic, clippy::indexing_slicing)]

use pipedrive_codegen::emit::examples::emit_examples;
use pipedrive_codegen::emit::{Content, EmittedFile};
use pipedrive_codegen::ir::{Api, ResponseExample};
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::lower::lower;
use pipedrive_codegen::mismatches::{self, ExampleMismatch};
use pipedrive_codegen::{Error, TagSelection};
use serde_json::json;

/// One document with the operations in `paths` and `components` (both YAML, indented by 2).
fn lower_document(paths: &str, components: &str, tags: &TagSelection) -> Result<Api, Error> {
    let text = format!(
        "openapi: 3.0.1\ninfo: {{title: Test API, version: '1'}}\nservers:\n  - url: 'https://api.pipedrive.com/api/v2'\n\
         paths:\n{paths}components:\n{components}"
    );
    let loaded = parse_document("v2", "v2.yaml", &text)?;
    Ok(lower(&[loaded], tags)?.api)
}

const THING: &str = "
  /things:
    get:
      operationId: getThings
      tags: [Things]
      responses:
        '404':
          description: not found
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
              example: {error: nothing}
        '201':
          description: made
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '200':
          description: ok
          content:
            text/plain:
              example: not JSON
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                second: {value: {id: 2}}
                first: {$ref: '#/components/examples/One'}
                far: {externalValue: 'https://example.com/thing.json'}
  /files/{id}:
    get:
      operationId: getFile
      tags: [Files]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: the file
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
              example: bytes
";

const COMPONENTS: &str = "
  schemas:
    Thing:
      type: object
      properties: {id: {type: integer}}
      example: {id: 3}
  examples:
    One:
      value: {id: 1}
";

fn api() -> Api {
    lower_document(THING, COMPONENTS, &TagSelection::All).unwrap_or_else(|e| panic!("{e}"))
}

fn examples_of<'a>(api: &'a Api, id: &str) -> &'a [ResponseExample] {
    let op = api.operations.iter().find(|op| op.id == id);
    &op.unwrap_or_else(|| panic!("no {id}")).response.examples
}

#[test]
fn every_success_status_gives_its_examples_in_a_fixed_order() {
    let api = api();
    let found: Vec<(u16, &str, &serde_json::Value)> = examples_of(&api, "getThings")
        .iter()
        .map(|e| (e.status, e.source.as_str(), &e.body))
        .collect();
    let media = "v2.yaml#/paths/~1things/get/responses";
    assert_eq!(
        found,
        [
            // `examples` by name, whatever the document's order; an `externalValue` is not read.
            (
                200,
                format!("{media}/200/content/application~1json/examples/first/value").as_str(),
                &json!({"id": 1})
            ),
            (
                200,
                &format!("{media}/200/content/application~1json/examples/second/value"),
                &json!({"id": 2})
            ),
            // A media type without examples of its own gives its schema's, through `$ref`.
            (
                201,
                &format!("{media}/201/content/application~1json/schema/example"),
                &json!({"id": 3})
            ),
        ],
        "the 404's example is not a success, the text/plain one not JSON"
    );
}

#[test]
fn a_download_has_no_examples_to_decode() {
    assert_eq!(examples_of(&api(), "getFile"), []);
}

fn entry(operation: &str, status: u16) -> ExampleMismatch {
    ExampleMismatch {
        api: "v2".into(),
        operation: operation.into(),
        status,
        path: "id".into(),
        reason: "the schema says integer".into(),
    }
}

#[test]
fn table_entries_must_name_a_documented_example() {
    let api = api();
    let entries = [entry("getThings", 201)];
    let selected = mismatches::select(&entries, "m.yaml", &api, &TagSelection::All).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(selected, [&entries[0]]);

    let entries = [entry("getThings", 202), entry("getThing", 200), entry("getFile", 200)];
    let error = mismatches::select(&entries, "m.yaml", &api, &TagSelection::All)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    for found in [
        "m.yaml: at /0/status: v2 getThings documents no example for status 202",
        "m.yaml: at /1/operation: the generated crate has no operation v2 getThing",
        "m.yaml: at /2/status: v2 getFile documents no example for status 200",
    ] {
        assert!(error.contains(found), "{found}\nin: {error}");
    }
}

#[test]
fn entries_for_tags_not_generated_are_left_out() {
    let things = TagSelection::Only(["Things".to_owned()].into());
    let api = lower_document(THING, COMPONENTS, &things).unwrap_or_else(|e| panic!("{e}"));
    let entries = [entry("getElsewhere", 200), entry("getThings", 200)];
    let selected = mismatches::select(&entries, "m.yaml", &api, &things).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(selected, [&entries[1]]);
}

fn text(file: &EmittedFile) -> String {
    match &file.content {
        Content::Text(text) => text.clone(),
        Content::Rust(tokens) => tokens.to_string(),
    }
}

#[test]
fn the_crates_test_gets_every_example_and_the_known_mismatches() {
    let api = api();
    let known = entry("getThings", 201);
    let files = emit_examples(&api, "pipedrive", &[&known], Some("m.yaml"));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        ["tests/documented_examples.json", "tests/documented_examples.rs"]
    );
    let data = text(&files[0]);
    let parsed: serde_json::Value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
    let examples = parsed["examples"].as_array().map(Vec::as_slice).unwrap_or_default();
    assert_eq!(examples.len(), 3);
    assert_eq!(examples[2]["body"], json!({"id": 3}));
    assert!(
        data.lines()
            .nth(3)
            .is_some_and(|line| line
                .starts_with(r#"{"api":"v2","operation":"getThings","status":200,"source":"v2.yaml#/paths/"#)),
        "one example a line, what it is first:\n{data}"
    );
    let test: String = text(&files[1]).split_whitespace().collect();
    for expected in [
        "decoder::<pipedrive::v2::things::GetThings>()",
        r#"Known{api:"v2",operation:"getThings",status:201u16,path:"id",reason:"theschemasaysinteger"}"#,
        r#"include_str!("documented_examples.json")"#,
    ] {
        assert!(test.contains(expected), "{expected}\nin: {test}");
    }
    assert!(!test.contains("GetFile"), "a download has nothing to decode");
    let files_only = TagSelection::Only(["Files".to_owned()].into());
    let none = lower_document(THING, COMPONENTS, &files_only).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        emit_examples(&none, "pipedrive", &[], None).is_empty(),
        "no example, no test"
    );
}
