//! The typing rules of lowering, one small spec each: what a schema becomes in the IR, and,
//! where the rule is about the Rust side, what the emitted code says.

#![allow(clippy::panic, clippy::indexing_slicing)]

use pipedrive_codegen::emit::{CrateSpec, GeneratedFile, emit_crate};
use pipedrive_codegen::ir::{
    Additional, Api, BodyEncoding, Constraint, Field, Literal, Operation, Pagination, ReplacementSource,
    ReplacementTarget, ResponseBody, Scalar, TypeDef, TypeKind, TypeRef,
};
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::lower::lower;
use pipedrive_codegen::{Error, TagSelection};

/// Wraps `paths` (YAML, indented by 2) in a minimal document.
pub(crate) fn document(paths: &str) -> String {
    format!(
        "openapi: 3.0.1\ninfo: {{title: Test API, version: '1'}}\nservers:\n  - url: 'https://api.pipedrive.com/api/v2'\npaths:\n{paths}"
    )
}

fn lower_docs(docs: &[(&str, &str)]) -> Result<Api, Error> {
    lower_selected(docs, &TagSelection::All)
}

fn lower_selected(docs: &[(&str, &str)], selection: &TagSelection) -> Result<Api, Error> {
    let loaded: Vec<_> = docs
        .iter()
        .map(|(api, text)| parse_document(api, &format!("{api}.yaml"), text))
        .collect::<Result<_, _>>()?;
    Ok(lower(&loaded, selection)?.api)
}

/// Only the operations tagged `tag`.
fn only(tag: &str) -> TagSelection {
    TagSelection::Only([tag.to_owned()].into())
}

pub(crate) fn lower_one(paths: &str) -> Api {
    lower_docs(&[("v2", &document(paths))]).unwrap_or_else(|e| panic!("{e}"))
}

fn emit_files(api: &Api) -> Vec<GeneratedFile> {
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    };
    emit_crate(api, &spec).unwrap_or_else(|e| panic!("{e}"))
}

/// `code` without whitespace and without the trailing commas prettyplease adds where it breaks
/// a call over lines: compare against a pattern squashed the same way, however the printer
/// wrapped it.
pub(crate) fn squashed(code: &str) -> String {
    let joined: String = code.split_whitespace().collect();
    joined
        .replace(",)", ")")
        .replace(",]", "]")
        .replace(",}", "}")
        .replace(",>", ">")
}

pub(crate) fn emit(api: &Api) -> String {
    emit_files(api)
        .into_iter()
        .map(|f| f.contents)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

pub(crate) fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}; types: {:?}", names(api)))
}

fn names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|t| t.name.as_str()).collect()
}

pub(crate) fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

pub(crate) fn field<'a>(def: &'a TypeDef, name: &str) -> &'a Field {
    fields(def)
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

/// A GET returning `{success, data: <data schema>}`.
fn get_returning(data: &str) -> String {
    format!(
        "  /things:\n    get:\n      operationId: getThing\n      tags: [Things]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data:\n{data}"
    )
}

/// Lowers one document and returns the IR with the warnings met.
pub(crate) fn lower_with_warnings(text: &str) -> (Api, Vec<String>) {
    let loaded = parse_document("v2", "v2.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    let lowered = lower(&[loaded], &TagSelection::All).unwrap_or_else(|e| panic!("{e}"));
    let warnings = lowered.warnings.iter().map(ToString::to_string).collect();
    (lowered.api, warnings)
}

mod emitted_code;
mod envelopes;
mod operations;
/// `{success, data: {type: <data_type>}}` as one response's content for `media`.
pub(crate) fn envelope_content(media: &str, data_type: &str) -> String {
    format!(
        "            {media}:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data: {{type: {data_type}}}\n"
    )
}

mod scalars_and_enums;
mod unions_and_shapes;
