//! `changes`: how a spec update is explained in API terms and what version it leads to.
//!
//! Small cases start from one lowered spec (`BASE`) and change either the spec text or the IR, one
//! thing at a time, and check the sentence and severity each difference gets. The real case
//! compares the Stages IR of the 2026-01-14 v1 document (in `spec/`) with that of the 2026-08-18
//! one (vendored in `tests/fixtures/`), both next to the v2 document in `spec/`.

#![allow(clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use pipedrive_codegen::changes::{
    ApiChanges, GENERATOR_CHANGES, Severity, Subject, compare_generations, current_revision, next_version,
};
use pipedrive_codegen::ir::{
    Additional, Api, ArrayStyle, BodyEncoding, Constraint, Deprecation, Direction, EnumVariant, Field, HttpMethod,
    Literal, Operation, Pagination, ParamLocation, Parameter, RequestBody, ResponseBody, Scalar, TypeDef, TypeKind,
    TypeRef, UnionVariant,
};
use pipedrive_codegen::load::{parse_document, read_text};
use pipedrive_codegen::lower::lower;
use pipedrive_codegen::release::{History, IR_FILE, ir_file, plan_release, read_history};
use pipedrive_codegen::{TagSelection, load_inputs_with};

/// Three operations of one tag: a cursor-paged list with an enum parameter, a create with a struct
/// body, and a get by id. The list returns `Thing`, a response struct with a union field.
const BASE: &str = r#"openapi: 3.0.1
info: {title: Test API, version: '2.0.0'}
servers:
  - url: 'https://api.pipedrive.com/api/v2'
paths:
  /things:
    get:
      operationId: getThings
      tags: [Things]
      summary: Get all things
      description: Returns every thing.
      x-token-cost: 5
      security: [{api_key: []}, {oauth2: ['things:read', admin]}]
      parameters:
        - {in: query, name: sort_by, description: The field to sort by., schema: {type: string, default: id, enum: [id, name]}}
        - {in: query, name: owner_id, schema: {type: integer}}
        - {in: query, name: limit, schema: {type: integer, maximum: 500}}
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
                  data:
                    type: array
                    items:
                      title: Thing
                      type: object
                      required: [id]
                      properties:
                        id: {type: integer}
                        name: {type: string, description: The name}
                        label: {type: string, nullable: true}
                        value:
                          oneOf:
                            - {type: string}
                            - {type: integer}
    post:
      operationId: addThing
      tags: [Things]
      x-token-cost: 10
      security: [{oauth2: [admin]}]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                color: {type: string}
      responses:
        '200': {description: ok}
  /things/{id}:
    get:
      operationId: getThing
      tags: [Things]
      parameters:
        - {in: path, name: id, required: true, description: The ID, schema: {type: integer}}
      responses:
        '200': {description: ok}
"#;

/// `changes::compare` of two IRs as lowering would have made them: the cases below edit a lowered
/// IR by hand, so the public surface lowering records (builder inputs, traits) is recorded again
/// from the edited IR, as `surface::attach` does at the end of lowering.
fn compare(old: &Api, new: &Api) -> ApiChanges {
    pipedrive_codegen::changes::compare(&resurfaced(old), &resurfaced(new))
}

fn resurfaced(api: &Api) -> Api {
    let mut api = api.clone();
    for op in &mut api.operations {
        op.builder = None;
    }
    for def in &mut api.types {
        def.traits.clear();
    }
    pipedrive_codegen::surface::attach(&mut api);
    api
}

fn lower_v2(text: &str) -> Api {
    let doc = parse_document("v2", "v2.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    lower(&[doc], &TagSelection::All).unwrap_or_else(|e| panic!("{e}")).api
}

fn base() -> Api {
    lower_v2(BASE)
}

/// One edit of the base IR.
type Edit = fn(&mut Api);

/// An edit, and the one change it should be reported as.
type Case = (Edit, Severity, &'static str);

/// The changes as (severity, sentence), in list order.
fn listed(changes: &ApiChanges) -> Vec<(Severity, String)> {
    changes
        .changes()
        .iter()
        .map(|c| (c.severity, c.message.clone()))
        .collect()
}

/// Everything `edit` changes in a copy of the base IR.
fn edited(edit: impl FnOnce(&mut Api)) -> Vec<(Severity, String)> {
    let old = base();
    let mut new = old.clone();
    edit(&mut new);
    listed(&compare(&old, &new))
}

fn change(severity: Severity, message: &str) -> Vec<(Severity, String)> {
    vec![(severity, message.to_owned())]
}

fn op_mut<'a>(api: &'a mut Api, id: &str) -> &'a mut Operation {
    api.operations
        .iter_mut()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn param_mut<'a>(api: &'a mut Api, op: &str, name: &str) -> &'a mut Parameter {
    op_mut(api, op)
        .parameters
        .iter_mut()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

fn type_mut<'a>(api: &'a mut Api, name: &str) -> &'a mut TypeDef {
    api.types
        .iter_mut()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn fields_mut<'a>(api: &'a mut Api, ty: &str) -> &'a mut Vec<Field> {
    match &mut type_mut(api, ty).kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{ty} is not a struct: {other:?}"),
    }
}

fn field_mut<'a>(api: &'a mut Api, ty: &str, name: &str) -> &'a mut Field {
    fields_mut(api, ty)
        .iter_mut()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn new_field(name: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        name: name.to_owned(),
        rust_name: name.to_owned(),
        ty,
        required,
        nullable: false,
        description: None,
        default: None,
        deprecated: false,
        boxed: false,
        constraints: Vec::new(),
    }
}

fn new_param(name: &str, ty: TypeRef, required: bool) -> Parameter {
    Parameter {
        name: name.to_owned(),
        rust_name: name.to_owned(),
        location: ParamLocation::Query,
        required,
        ty,
        default: None,
        constraints: Vec::new(),
        deprecated: false,
        description: None,
        array_style: None,
    }
}

fn enum_variants_mut<'a>(api: &'a mut Api, ty: &str) -> &'a mut Vec<EnumVariant> {
    match &mut type_mut(api, ty).kind {
        TypeKind::Enum { variants, .. } => variants,
        other => panic!("{ty} is not an enum: {other:?}"),
    }
}

fn union_variants_mut<'a>(api: &'a mut Api, ty: &str) -> &'a mut Vec<UnionVariant> {
    match &mut type_mut(api, ty).kind {
        TypeKind::Union { variants, .. } => variants,
        other => panic!("{ty} is not a union: {other:?}"),
    }
}

const STRING: TypeRef = TypeRef::Scalar(Scalar::String);
const I64: TypeRef = TypeRef::Scalar(Scalar::I64);

// ---- nothing changed ----

mod operations;
mod releases;
mod types;

/// `BASE` with one more operation on `/things/{id}`.
fn base_with_delete() -> Api {
    lower_v2(&format!(
        "{BASE}    delete:\n      operationId: deleteThing\n      tags: [Things]\n      parameters:\n        - {{in: path, name: id, required: true, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok}}\n"
    ))
}

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

/// The Stages IR of the shipped documents (`spec/`), and as it is once the 2026-08-18 v1 document
/// is copied over `spec/pipedrive-v1.yaml`. The new document is read under that same name, as it
/// would be after the copy, so both IRs name their documents alike.
fn stages_before_and_after() -> (Api, Api) {
    let stages = TagSelection::Only(["Stages".to_owned()].into());
    let mut inputs = load_inputs_with(&spec_dir(), "codegen.yaml", Some(stages)).unwrap_or_else(|e| panic!("{e}"));
    let before = lower(&inputs.documents, &inputs.config.tags)
        .unwrap_or_else(|e| panic!("{e}"))
        .api;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pipedrive-v1-2026-08-18.yaml");
    let text = read_text(&fixture, "pipedrive-v1-2026-08-18.yaml").unwrap_or_else(|e| panic!("{e}"));
    let v1 = inputs
        .documents
        .iter_mut()
        .find(|d| d.api == "v1")
        .unwrap_or_else(|| panic!("spec/codegen.yaml lists no v1 document"));
    let file = v1.file.clone();
    *v1 = parse_document("v1", &file, &text).unwrap_or_else(|e| panic!("{e}"));
    let after = lower(&inputs.documents, &inputs.config.tags)
        .unwrap_or_else(|e| panic!("{e}"))
        .api;
    (before, after)
}
