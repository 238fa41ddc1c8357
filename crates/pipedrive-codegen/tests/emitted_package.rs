//! What the emitted crate offers the code that depends on it, read from the emitted text of
//! small documents: a package crates.io and docs.rs take (manifest, README), response models a
//! test can build, and deprecated fields marked for the caller but not warned about inside.

#![allow(clippy::panic)]

use pipedrive_codegen::TagSelection;
use pipedrive_codegen::emit::{CrateSpec, GeneratedFile, emit_crate};
use pipedrive_codegen::ir::Api;
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::lower::lower;

const THINGS: &str = "openapi: 3.0.1
info: {title: Test API, version: '1'}
servers: [{url: 'https://api.pipedrive.com/api/v2'}]
paths:
  /things:
    get:
      operationId: getThings
      tags: [Things]
      parameters:
        - {in: query, name: cursor, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    post:
      operationId: addThing
      tags: [Things]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                legacy_code: {type: string, nullable: true, deprecated: true}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  data:
                    type: object
                    required: [kind]
                    properties:
                      kind: {type: string, enum: [big, small]}
                      note: {type: string}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer}
        legacy: {type: string, deprecated: true}
";

fn files() -> Vec<GeneratedFile> {
    files_with(true)
}

fn files_with(publish: bool) -> Vec<GeneratedFile> {
    let doc = parse_document("v2", "v2.yaml", THINGS).unwrap_or_else(|e| panic!("{e}"));
    let api: Api = lower(&[doc], &TagSelection::All).unwrap_or_else(|e| panic!("{e}")).api;
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "1.4.2".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.3.1".into(),
        publish,
    };
    emit_crate(&api, &spec).unwrap_or_else(|e| panic!("{e}"))
}

fn file(files: &[GeneratedFile], path: &str) -> String {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.clone())
        .unwrap_or_else(|| panic!("no {path}"))
}

/// Whitespace removed, so a pattern matches however prettyplease broke the lines.
fn squashed(code: &str) -> String {
    code.split_whitespace().collect()
}

#[test]
fn the_manifest_is_publishable_and_requires_the_runtime_it_was_given() {
    let manifest = file(&files(), "Cargo.toml");
    for line in [
        "version = \"1.4.2\"",
        "publish = true",
        "readme = \"README.md\"",
        "pipedrive-runtime = { path = \"../rt\", version = \"0.3.1\", default-features = false }",
        "[package.metadata.docs.rs]",
        "rustdoc-args = [\"--cfg\", \"docsrs\"]",
    ] {
        assert!(manifest.lines().any(|l| l == line), "no `{line}` in:\n{manifest}");
    }
    assert!(!manifest.contains("publish = false"), "{manifest}");
}

/// `publish: false` in the config (a test fixture's crate) keeps `cargo publish` away from it.
#[test]
fn a_crate_the_config_keeps_unpublished_says_so_in_its_manifest() {
    let manifest = file(&files_with(false), "Cargo.toml");
    assert!(manifest.lines().any(|l| l == "publish = false"), "{manifest}");
    assert!(!manifest.contains("publish = true"), "{manifest}");
}

#[test]
fn the_readme_installs_the_version_and_tests_with_a_model_built_outside() {
    let readme = file(&files(), "README.md");
    assert!(readme.starts_with("<!-- @generated"), "{readme}");
    assert!(readme.contains("pipedrive = \"1.4\""), "install line: {readme}");
    assert!(readme.contains("| `things` | v2: 2 |"), "feature table: {readme}");
    // The list operation without arguments is the example; its item type is built in the test.
    assert!(
        readme.contains("client.v2().things().get_things().send().await?"),
        "{readme}"
    );
    for line in [
        "## Testing your code",
        "use pipedrive::v2::types::Thing;",
        "    let mut item = Thing::default();",
        "        .and(path(\"/api/v2/things\"))",
        "        .allow_insecure_http(true);",
    ] {
        assert!(readme.lines().any(|l| l == line), "no `{line}` in:\n{readme}");
    }
}

#[test]
fn a_response_struct_without_default_has_new_with_its_required_fields() {
    let types = squashed(&file(&files(), "src/v2/types.rs"));
    // `kind` is a closed enum without a default: the struct has no `Default`, so `new` takes it.
    assert!(
        types.contains(
            "pubfnnew(kind:AddThingResponseKind)->Self{Self{kind,note:None,extra:std::collections::BTreeMap::new()"
        ),
        "{types}"
    );
    // A response struct with `Default` needs no `new`.
    assert!(!types.contains("implThing{"), "{types}");
}

#[test]
fn deprecated_fields_are_deprecated_for_callers_and_allowed_where_the_crate_names_them() {
    let files = files();
    let types = squashed(&file(&files, "src/v2/types.rs"));
    let deprecated = "#[deprecated(note=\"deprecatedbyPipedrive\")]";
    for field in ["publegacy:Option<String>", "publegacy_code:Option<Option<String>>"] {
        assert!(
            types.contains(&format!("{deprecated}{field}")),
            "{field} not deprecated:\n{types}"
        );
    }
    for item in [
        "#[allow(deprecated)]implserde::SerializeforThing",
        "#[allow(deprecated)]impl<'de>serde::Deserialize<'de>forThing",
        "#[allow(deprecated)]implAddThingRequest{",
    ] {
        assert!(types.contains(item), "no {item}:\n{types}");
    }
    let builder = squashed(&file(&files, "src/v2/things.rs"));
    for setter in ["pubfnlegacy_code(mutself", "pubfnclear_legacy_code(mutself)"] {
        let marked = format!("{deprecated}#[allow(deprecated)]{setter}");
        assert!(builder.contains(&marked), "{setter} not deprecated:\n{builder}");
    }
}
