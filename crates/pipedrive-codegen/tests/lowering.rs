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

#[test]
fn scalars_formats_and_nullable() {
    let api = lower_one(&get_returning(
        "                    title: Thing\n                    type: object\n                    properties:\n                      count: {type: integer}\n                      small: {type: integer, format: int32}\n                      value: {type: number}\n                      flag: {type: boolean}\n                      day: {type: string, format: date}\n                      at: {type: string, format: date-time}\n                      uid: {type: string, format: uuid}\n                      link: {type: string, format: url}\n                      odd: {type: string, format: YYYY-MM-DD}\n                      maybe: {type: integer, nullable: true, default: null}\n                      anything: {}\n",
    ));
    let thing = ty(&api, "Thing");
    let expect = [
        ("count", TypeRef::Scalar(Scalar::I64)),
        ("small", TypeRef::Scalar(Scalar::I32)),
        ("value", TypeRef::Scalar(Scalar::F64)),
        ("flag", TypeRef::Scalar(Scalar::Bool)),
        ("day", TypeRef::Scalar(Scalar::Date)),
        ("at", TypeRef::Scalar(Scalar::DateTime)),
        ("uid", TypeRef::Scalar(Scalar::Uuid)),
        ("link", TypeRef::Scalar(Scalar::String)),
        ("odd", TypeRef::Scalar(Scalar::String)),
        ("maybe", TypeRef::Scalar(Scalar::I64)),
        ("anything", TypeRef::Any),
    ];
    for (name, expected) in expect {
        assert_eq!(field(thing, name).ty, expected, "field {name}");
    }
    let maybe = field(thing, "maybe");
    assert!(maybe.nullable);
    assert_eq!(maybe.default, None, "`default: null` is no default");
    assert!(!field(thing, "count").nullable);
    // Fields are sorted by name, so the output does not depend on key order.
    let order: Vec<&str> = fields(thing).iter().map(|f| f.name.as_str()).collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
    let code = emit(&api);
    assert!(code.contains("pub maybe: Option<i64>,"), "{code}");
    assert!(code.contains("pub small: Option<i32>,"));
    // Dates and times keep their text in the runtime's types, which parse on request; a UUID
    // and the non-standard formats stay text.
    assert!(code.contains("pub at: Option<pipedrive_runtime::DateTime>,"), "{code}");
    assert!(code.contains("pub day: Option<pipedrive_runtime::Date>,"));
    for text in ["uid", "link", "odd"] {
        assert!(code.contains(&format!("pub {text}: Option<String>,")), "{text}");
    }
}

#[test]
fn formats_v1_states_in_descriptions_are_read() {
    let api = lower_one(&get_returning(
        "                    title: Thing\n                    type: object\n                    properties:\n                      add_time: {type: string, description: 'The creation time. Format: YYYY-MM-DD HH:MM:SS.'}\n                      due: {type: string, description: 'Due. Format: YYYY-MM-DD.'}\n                      iso: {type: string, description: 'Format: YYYY-MM-DDTHH:MM:SSZ'}\n                      hours: {type: string, description: 'Format: HH:MM:SS.'}\n                      uid: {type: string, format: uuid, description: 'Format: YYYY-MM-DD.'}\n                      kind: {type: string, enum: [a, b], description: 'Format: YYYY-MM-DD.'}\n",
    ));
    let thing = ty(&api, "Thing");
    assert_eq!(field(thing, "add_time").ty, TypeRef::Scalar(Scalar::DateTime));
    assert_eq!(field(thing, "due").ty, TypeRef::Scalar(Scalar::Date));
    assert_eq!(
        field(thing, "iso").ty,
        TypeRef::Scalar(Scalar::String),
        "not the phrase"
    );
    assert_eq!(field(thing, "hours").ty, TypeRef::Scalar(Scalar::String));
    assert_eq!(
        field(thing, "uid").ty,
        TypeRef::Scalar(Scalar::Uuid),
        "a `format` keyword wins"
    );
    assert!(
        matches!(field(thing, "kind").ty, TypeRef::Named(_)),
        "an enum stays one"
    );

    // A parameter says it in its own description, not its schema's.
    let api = lower_one(
        "  /recents:\n    get:\n      operationId: getRecents\n      tags: [Recents]\n      parameters:\n        - {in: query, name: since_timestamp, required: true, description: 'The timestamp in UTC. Format: YYYY-MM-DD HH:MM:SS.', schema: {type: string}}\n        - {in: query, name: term, description: 'Search term', schema: {type: string}}\n      responses:\n        '200': {description: ok}\n",
    );
    let params = &op(&api, "getRecents").parameters;
    let ty_of = |name: &str| params.iter().find(|p| p.name == name).map(|p| p.ty.clone());
    assert_eq!(ty_of("since_timestamp"), Some(TypeRef::Scalar(Scalar::DateTime)));
    assert_eq!(ty_of("term"), Some(TypeRef::Scalar(Scalar::String)));
}

#[test]
fn date_and_time_parameters_take_text_or_the_runtime_types() {
    let api = lower_one(
        "  /deals:\n    get:\n      operationId: getDeals\n      tags: [Deals]\n      parameters:\n        - {in: query, name: updated_since, schema: {type: string, format: date-time}}\n        - {in: query, name: day, required: true, schema: {type: string, format: date}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    assert!(
        code.contains("pub fn get_deals(&self, day: impl Into<pipedrive_runtime::Date>) -> GetDeals"),
        "{code}"
    );
    assert!(
        code.contains("pub fn updated_since(\n        mut self,\n        value: impl Into<pipedrive_runtime::DateTime>,\n    ) -> Self"),
        "{code}"
    );
    // Sent as the text they hold.
    assert!(code.contains("request.query(\"updated_since\", value);"), "{code}");
    assert!(code.contains("request.query(\"day\", value);"), "{code}");
}

#[test]
fn number_zero_one_enum_is_a_bool_sent_as_0_or_1() {
    let api = lower_one(
        "  /deals:\n    get:\n      operationId: getDeals\n      tags: [Deals]\n      parameters:\n        - {in: query, name: everyone, schema: {title: numberBoolean, type: number, enum: [0, 1]}}\n      responses:\n        '200': {description: ok}\n",
    );
    let p = &op(&api, "getDeals").parameters[0];
    assert_eq!(p.ty, TypeRef::Scalar(Scalar::BoolAsNumber));
    assert!(api.types.is_empty(), "no enum type for 0/1: {:?}", names(&api));
    let code = emit(&api);
    assert!(
        code.contains("pub fn everyone(mut self, value: bool) -> Self"),
        "{code}"
    );
    assert!(
        code.contains(r#"request.query("everyone", u8::from(*value));"#),
        "{code}"
    );
}

/// A 0/1 boolean is a number on the wire wherever it goes: a path segment, a query array, a
/// header array.
#[test]
fn zero_one_booleans_are_numbers_in_paths_and_arrays_too() {
    let api = lower_one(
        "  /flags/{on}:\n    get:\n      operationId: getFlags\n      tags: [Flags]\n      parameters:\n        - {in: path, name: on, required: true, schema: {type: number, enum: [0, 1]}}\n        - {in: query, name: states, style: form, explode: false, schema: {type: array, items: {type: number, enum: [0, 1]}}}\n        - {in: header, name: x-states, schema: {type: array, items: {type: number, enum: [0, 1]}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    let compact: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        compact.contains("runtime::encode_path_segment(u8::from(self.on))"),
        "{code}"
    );
    assert!(
        compact.contains(r#"request.query_array("states", value.iter().map(|b| u8::from(*b)), false);"#),
        "{code}"
    );
    assert!(
        compact.contains(r#"request .header( "x-states", value .iter() .map(|b| u8::from(*b).to_string()) .collect::<Vec<_>>() .join(","), );"#),
        "{code}"
    );
}

/// In a PATCH body a 0/1 flag can also be nullable: left unchanged, cleared or set, and when set
/// it still travels as 0/1.
#[test]
fn a_nullable_zero_one_flag_in_a_patch_body_is_sent_as_0_or_1() {
    let api = lower_one(
        "  /deals/{id}:\n    patch:\n      operationId: updateDeal\n      tags: [Deals]\n      parameters:\n        - {in: path, name: id, required: true, schema: {type: integer}}\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {active: {type: number, enum: [0, 1], nullable: true}, everyone: {type: number, enum: [0, 1]}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    let compact = squashed(&code);
    let has = |pattern: &str| compact.contains(&squashed(pattern));
    // Left out, `null`, or 0/1 through the runtime's `ZeroOne`, both ways.
    assert!(has("pub active: Option<Option<bool>>,"), "{code}");
    assert!(
        has(
            r#"if let Some(value) = self.active { map.serialize_entry("active", &value.map(pipedrive_runtime::serde_helpers::ZeroOne))?; }"#
        ),
        "{code}"
    );
    assert!(
        has(
            r#""active" => { field0 = Some(map.next_value::<Option<pipedrive_runtime::serde_helpers::ZeroOne>>()?.map(|flag| flag.0)); }"#
        ),
        "{code}"
    );
    assert!(has("pub everyone: Option<bool>"), "{code}");
    assert!(
        has(
            r#"if let Some(value) = self.everyone { map.serialize_entry("everyone", &pipedrive_runtime::serde_helpers::ZeroOne(value))?; }"#
        ),
        "{code}"
    );
}

#[test]
fn parameter_enums_defaults_and_request_enums_are_closed() {
    let api = lower_one(
        "  /stages:\n    get:\n      operationId: getStages\n      tags: [Stages]\n      parameters:\n        - in: query\n          name: sort_by\n          description: The field to sort by.\n          schema: {type: string, default: id, enum: [id, update_time]}\n        - {in: query, name: start, schema: {type: integer, default: 0}}\n      responses:\n        '200': {description: ok}\n",
    );
    let get = op(&api, "getStages");
    assert_eq!(get.parameters[0].ty, TypeRef::Named("GetStagesSortBy".into()));
    assert_eq!(get.parameters[0].default, Some(Literal::String("id".into())));
    assert_eq!(get.parameters[1].default, Some(Literal::Integer(0)));
    match &ty(&api, "GetStagesSortBy").kind {
        TypeKind::Enum {
            variants,
            default,
            open,
            ..
        } => {
            assert!(!open, "request enums are closed");
            assert_eq!(default, &Some(Literal::String("id".into())));
            let v: Vec<_> = variants
                .iter()
                .map(|v| (v.rust_name.as_str(), v.value.to_string()))
                .collect();
            assert_eq!(v, [("Id", "id".to_owned()), ("UpdateTime", "update_time".to_owned())]);
        }
        other => panic!("{other:?}"),
    }
    let code = emit(&api);
    assert!(code.contains("Self::UpdateTime => \"update_time\","), "{code}");
    assert!(code.contains("#[default]\n    Id,"), "{code}");
    assert!(code.contains("impl std::str::FromStr for GetStagesSortBy"));
    assert!(code.contains("impl std::fmt::Display for GetStagesSortBy"));
    assert!(code.contains("Default: `id`"), "the default is in the docs");
    assert!(
        code.contains("Default: `0` (Pipedrive's, when left out)."),
        "parameter default in the setter docs"
    );
    assert!(!code.contains("UnknownValue"), "no fallback variant on a request enum");
}

#[test]
fn response_enums_are_open() {
    let api = lower_one(&get_returning(
        "                    title: Deal\n                    type: object\n                    properties:\n                      status: {type: string, enum: [open, won, lost]}\n                      visible_to: {type: number, enum: [1, 3, 5, 7]}\n",
    ));
    match &ty(&api, "DealStatus").kind {
        TypeKind::Enum { open, .. } => assert!(open),
        other => panic!("{other:?}"),
    }
    match &ty(&api, "DealVisibleTo").kind {
        TypeKind::Enum { repr, open, .. } => {
            assert_eq!(
                *repr,
                pipedrive_codegen::ir::EnumRepr::Integer,
                "whole numbers make an integer enum"
            );
            assert!(open);
        }
        other => panic!("{other:?}"),
    }
    let code = emit(&api);
    assert!(code.contains("    UnknownValue(String),"), "{code}");
    // Read through `FromStr`, which keeps any text: an open enum never fails a decode.
    assert!(squashed(&code).contains("Err(never)=>matchnever{}"), "{code}");
    assert!(code.contains("UnknownValue(i64),"));
}

#[test]
fn nullable_optional_request_fields_can_be_left_set_or_cleared() {
    let api = lower_one(
        "  /stages/{id}:\n    patch:\n      operationId: updateStage\n      tags: [Stages]\n      parameters:\n        - {in: path, name: id, required: true, schema: {type: integer}}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                name: {type: string}\n                days_to_rotten: {type: integer, nullable: true}\n      responses:\n        '200': {description: ok}\n",
    );
    let body = op(&api, "updateStage")
        .request_body
        .as_ref()
        .unwrap_or_else(|| panic!("no body"));
    assert_eq!(body.encoding, BodyEncoding::Json);
    assert_eq!(body.ty, TypeRef::Named("UpdateStageRequest".into()));
    let code = emit(&api);
    assert!(code.contains("pub days_to_rotten: Option<Option<i64>>,"), "{code}");
    // Unset is left out; `Some(None)` is sent as `null`.
    assert!(
        code.contains(
            "if let Some(value) = &self.days_to_rotten {\n            map.serialize_entry(\"days_to_rotten\", value)?;"
        ),
        "{code}"
    );
    assert!(code.contains("pub fn days_to_rotten(mut self, value: i64) -> Self"));
    assert!(code.contains("self.body.days_to_rotten = Some(Some(value));"));
    assert!(code.contains("pub fn clear_days_to_rotten(mut self) -> Self"));
    assert!(code.contains("self.body.days_to_rotten = Some(None);"));
    assert!(
        code.contains("pub name: Option<String>,"),
        "non-nullable optional fields are plain Options"
    );
}

#[test]
fn request_structs_are_non_exhaustive_and_built_from_their_required_fields() {
    let api = lower_one(
        "  /things:\n    post:\n      operationId: addThing\n      tags: [Things]\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [label, tier, a, b, c, d, e, f]\n              properties:\n                label: {type: string}\n                tier: {type: integer, nullable: true}\n                a: {type: integer}\n                b: {type: integer}\n                c: {type: integer}\n                d: {type: integer}\n                e: {type: integer}\n                f: {type: boolean}\n                note: {type: string}\n                tags:\n                  type: array\n                  items: {type: object, properties: {name: {type: string}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    assert!(
        code.contains("#[non_exhaustive]\npub struct AddThingRequest {"),
        "{code}"
    );
    // Eight required fields: one over clippy's limit for a function's arguments.
    assert!(
        code.contains(
            "    #[allow(clippy::too_many_arguments)]\n    pub fn new(\n        a: i64,\n        b: i64,\n        c: i64,\n        d: i64,\n        e: i64,\n        f: bool,\n        label: impl Into<String>,\n        tier: i64,\n    ) -> Self {"
        ),
        "{code}"
    );
    assert!(code.contains("            label: label.into(),\n"), "{code}");
    assert!(
        code.contains("            tier: Some(tier),\n"),
        "a required nullable field is set, not null:\n{code}"
    );
    assert!(code.contains("            note: None,\n"), "{code}");
    // The list items have no required field: built with `Default`, no `new`.
    assert!(
        code.contains(
            "#[derive(Debug, Clone, PartialEq, Default)]\n#[non_exhaustive]\npub struct AddThingRequestTagsItem {"
        ),
        "{code}"
    );
    assert!(!code.contains("impl AddThingRequestTagsItem {"), "{code}");
}

#[test]
fn identical_inline_schemas_are_one_type_and_different_ones_get_context_names() {
    let stage = "type: object\n                    properties:\n                      id: {type: integer}\n                      name: {type: string, description: 'The name'}";
    let other = "type: object\n                    properties:\n                      id: {type: string}";
    let paths = format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data:\n                    title: StageItem\n                    {stage}\n  /b:\n    get:\n      operationId: getB\n      tags: [T]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data:\n                    title: StageItem\n                    description: The stage object\n                    {stage}\n  /c:\n    get:\n      operationId: getC\n      tags: [T]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                title: GetCResponse\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data:\n                    title: StageItem\n                    {other}\n"
    );
    let api = lower_one(&paths);
    let stage_item = ty(&api, "StageItem");
    assert_eq!(stage_item.sources.len(), 2, "both identical copies point at one type");
    assert_eq!(stage_item.description.as_deref(), Some("The stage object"));
    assert_eq!(
        names(&api),
        ["GetCResponse", "StageItem"],
        "the different schema is named from its context, not StageItem2"
    );
    assert_eq!(
        op(&api, "getA").response.body,
        ResponseBody::Envelope {
            data: TypeRef::Named("StageItem".into()),
            additional_data: None,
            related_objects: None,
        }
    );
    assert_eq!(
        op(&api, "getC").response.body,
        ResponseBody::Envelope {
            data: TypeRef::Named("GetCResponse".into()),
            additional_data: None,
            related_objects: None,
        }
    );
}

#[test]
fn all_of_is_merged_and_one_of_is_a_union() {
    let api = lower_one(&get_returning(
        "                    title: Merged\n                    allOf:\n                      - type: object\n                        required: [id]\n                        properties:\n                          id: {type: integer}\n                      - type: object\n                        properties:\n                          value:\n                            oneOf:\n                              - {type: string}\n                              - {type: integer}\n                          extra_info:\n                            type: object\n                            additionalProperties: {type: integer}\n",
    ));
    let merged = ty(&api, "Merged");
    let names_of: Vec<&str> = fields(merged).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names_of, ["extra_info", "id", "value"]);
    assert!(field(merged, "id").required);
    assert_eq!(
        field(merged, "extra_info").ty,
        TypeRef::Map(Box::new(TypeRef::Scalar(Scalar::I64)))
    );
    assert_eq!(field(merged, "value").ty, TypeRef::Named("MergedValue".into()));
    match &ty(&api, "MergedValue").kind {
        TypeKind::Union {
            variants,
            discriminator,
        } => {
            assert_eq!(*discriminator, None, "scalars name no variant");
            let v: Vec<_> = variants
                .iter()
                .map(|v| (v.rust_name.as_str(), v.ty.to_string()))
                .collect();
            assert_eq!(v, [("String", "string".to_owned()), ("Integer", "i64".to_owned())]);
        }
        other => panic!("{other:?}"),
    }
    let code = emit(&api);
    // Tried in order; JSON no variant takes is kept.
    assert!(
        code.contains("if let Ok(value) = <String as serde::Deserialize>::deserialize(&value) {"),
        "{code}"
    );
    assert!(code.contains("Ok(Self::Other(value))"), "{code}");
    assert!(code.contains("Other(serde_json::Value),"), "unions keep unmatched JSON");
    assert!(
        code.contains("pub id: i64,"),
        "required non-nullable response field is not an Option"
    );
}

/// `anyOf` of objects as v1's `/recents` has them: each variant fixes `item` to its own value.
fn recents(third_item: &str) -> String {
    get_returning(&format!(
        "                    title: Recent\n                    anyOf:\n                      - type: object\n                        properties:\n                          item: {{type: string, enum: [activity]}}\n                          id: {{type: integer}}\n                      - title: RecentDeal\n                        type: object\n                        properties:\n                          item: {{type: string, enum: [deal]}}\n                          data: {{type: object, properties: {{title: {{type: string}}}}}}\n                      - type: object\n                        properties:\n{third_item}                          id: {{type: string}}\n"
    ))
}

#[test]
fn object_unions_are_decoded_by_the_property_that_names_each_variant() {
    let api = lower_one(&recents(
        "                          item: {type: string, enum: [activityType]}\n",
    ));
    match &ty(&api, "Recent").kind {
        TypeKind::Union {
            variants,
            discriminator,
        } => {
            assert_eq!(discriminator.as_deref(), Some("item"));
            let v: Vec<_> = variants
                .iter()
                .map(|v| (v.rust_name.as_str(), v.ty.to_string(), v.tag.as_deref()))
                .collect();
            assert_eq!(
                v,
                [
                    ("Activity", "RecentActivity".to_owned(), Some("activity")),
                    ("Deal", "RecentDeal".to_owned(), Some("deal")),
                    ("ActivityType", "RecentActivityType".to_owned(), Some("activityType")),
                ],
                "variants and their untitled types are named after the value that names them"
            );
        }
        other => panic!("{other:?}"),
    }
    let code = emit(&api);
    assert!(
        code.contains("impl<'de> serde::Deserialize<'de> for Recent {")
            && code.contains("let decoded = match value.get(\"item\").and_then(serde_json::Value::as_str) {")
            && !code.contains("if let Ok(value) = <RecentDeal as serde::Deserialize>::deserialize(&value) {"),
        "decoded by `item`, not by trying the variants in order (which would take the first for every object): {code}"
    );
    assert!(
        code.contains("impl<'de> serde::Deserialize<'de> for Recent {"),
        "{code}"
    );
    assert!(code.contains("match value.get(\"item\").and_then(serde_json::Value::as_str) {"));
    assert!(code.contains("Some(\"deal\") => {\n                <RecentDeal as serde::Deserialize>::deserialize(&value).map(Self::Deal)\n            }"), "{code}");
    assert!(code.contains("_ => return Ok(Self::Other(value)),"));
    assert!(code.contains("Ok(decoded.unwrap_or(Self::Other(value)))"));
}

#[test]
fn a_variant_that_extends_a_shared_schema_names_itself_through_all_of() {
    let api = lower_one(&get_returning(
        "                    title: Event\n                    oneOf:\n                      - allOf:\n                          - {type: object, properties: {id: {type: integer}}}\n                          - {type: object, properties: {kind: {type: string, enum: [created]}}}\n                      - allOf:\n                          - {type: object, properties: {id: {type: integer}}}\n                          - {type: object, properties: {kind: {type: string, enum: [deleted]}}}\n",
    ));
    match &ty(&api, "Event").kind {
        TypeKind::Union {
            variants,
            discriminator,
        } => {
            assert_eq!(discriminator.as_deref(), Some("kind"));
            let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
            assert_eq!(names, ["Created", "Deleted"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn object_unions_without_a_distinct_naming_property_are_tried_in_order() {
    for (third, why) in [
        ("", "a variant without `item`"),
        (
            "                          item: {type: string, enum: [deal]}\n",
            "two variants with `deal`",
        ),
        (
            "                          item: {type: string, enum: [deal, file]}\n",
            "a variant whose `item` allows two values",
        ),
        (
            "                          item: {type: string}\n",
            "a variant whose `item` is any string",
        ),
    ] {
        let api = lower_one(&recents(third));
        match &ty(&api, "Recent").kind {
            TypeKind::Union {
                variants,
                discriminator,
            } => {
                assert_eq!(*discriminator, None, "{why}");
                assert!(variants.iter().all(|v| v.tag.is_none()), "{why}");
                assert_eq!(variants.len(), 3, "{why}");
            }
            other => panic!("{why}: {other:?}"),
        }
        let code = emit(&api);
        // Tried in order: the first variant that decodes, else `Other`.
        assert!(!code.contains("value.get(\"item\")"), "{why}: {code}");
        assert!(
            squashed(&code).contains(&squashed(
                "let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;"
            )),
            "{why}: {code}"
        );
    }
}

#[test]
fn a_request_union_with_a_naming_property_reads_back_by_trying_its_variants() {
    let api = lower_one(
        "  /recents:\n    post:\n      operationId: addRecent\n      tags: [Recents]\n      requestBody:\n        content:\n          application/json:\n            schema:\n              title: NewRecent\n              oneOf:\n                - {type: object, properties: {item: {type: string, enum: [a]}}}\n                - {type: object, properties: {item: {type: string, enum: [b]}}}\n      responses:\n        '200': {description: ok}\n",
    );
    match &ty(&api, "NewRecent").kind {
        TypeKind::Union { discriminator, .. } => assert_eq!(discriminator.as_deref(), Some("item")),
        other => panic!("{other:?}"),
    }
    let code = emit(&api);
    // A request model also reads back (tried in order: only responses decode by the naming
    // property, which a caller's own JSON may not have).
    assert!(code.contains("serde::Deserialize<'de> for NewRecent"), "{code}");
    assert!(!code.contains("value.get(\"item\")"), "{code}");
}

#[test]
fn a_checked_parameter_is_named_in_the_error_as_its_setter_and_never_in_a_format_string() {
    let api = lower_one(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      parameters:\n        - {in: query, name: 'li{mi}t', schema: {type: integer, maximum: 500}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    // The name is data for the runtime's check: a brace in it could never be a format argument.
    assert!(
        squashed(&code).contains(&squashed(
            "runtime::check(&Self::OPERATION, \"li_mi_t\", &[runtime::Constraint::Maximum(500)], value)?;"
        )),
        "{code}"
    );
    assert!(!code.contains("li{mi}t` is"), "{code}");
}

#[test]
fn a_number_enum_default_that_is_not_whole_is_reported_not_truncated() {
    let (api, warnings) = lower_with_warnings(&document(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      parameters:\n        - {in: query, name: size, schema: {type: number, enum: [1, 2, 3], default: 1.5}}\n      responses:\n        '200': {description: ok}\n",
    ));
    match &ty(&api, "GetThingsSize").kind {
        TypeKind::Enum { default, .. } => assert_eq!(*default, None, "1.5 is no value of the enum"),
        other => panic!("{other:?}"),
    }
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("the default 1.5 is not one of the enum values")),
        "{warnings:?}"
    );
    let (api, _) = lower_with_warnings(&document(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      parameters:\n        - {in: query, name: size, schema: {type: number, enum: [1, 2, 3], default: 2.0}}\n      responses:\n        '200': {description: ok}\n",
    ));
    match &ty(&api, "GetThingsSize").kind {
        TypeKind::Enum { default, .. } => assert_eq!(*default, Some(Literal::Integer(2))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn additional_properties_policies() {
    let api = lower_one(&get_returning(
        "                    title: Holder\n                    type: object\n                    properties:\n                      open: {type: object, properties: {a: {type: string}}}\n                      closed: {type: object, additionalProperties: false, properties: {a: {type: integer}}}\n                      typed: {type: object, additionalProperties: {type: string}, properties: {a: {type: boolean}}}\n",
    ));
    let policy = |name: &str| match &ty(&api, name).kind {
        TypeKind::Struct { additional, .. } => additional.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        policy("HolderOpen"),
        Additional::Json,
        "responses keep unlisted properties"
    );
    assert_eq!(policy("HolderClosed"), Additional::None);
    assert_eq!(
        policy("HolderTyped"),
        Additional::Typed(TypeRef::Scalar(Scalar::String))
    );
    let code = emit(&api);
    assert!(
        code.contains("    pub extra: std::collections::BTreeMap<String, serde_json::Value>,"),
        "{code}"
    );
    assert!(
        code.contains("extra.insert(key.into_string(), map.next_value()?);"),
        "{code}"
    );
    assert!(code.contains("pub extra: std::collections::BTreeMap<String, String>,"));
}

#[test]
fn deprecation_takes_the_replacement_from_the_description_or_a_newer_api() {
    let v1 = "openapi: 3.0.1\ninfo: {title: v1, version: '1'}\nservers: [{url: 'https://api.pipedrive.com/v1'}]\npaths:\n  /stages/{id}/deals:\n    get:\n      operationId: getStageDeals\n      deprecated: true\n      tags: [Stages]\n      description: 'Lists deals. <br>Please use <a href=\"https://x\">GET /api/v2/deals?stage_id={id}</a> instead.'\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n  /stages:\n    get:\n      operationId: getStages\n      deprecated: true\n      tags: [Stages]\n      responses: {'200': {description: ok}}\n";
    let v2 = document(
        "  /stages:\n    get:\n      operationId: getStages\n      tags: [Stages]\n      responses: {'200': {description: ok}}\n",
    );
    let api = lower_docs(&[("v1", v1), ("v2", &v2)]).unwrap_or_else(|e| panic!("{e}"));
    let deals = op(&api, "getStageDeals");
    let dep = deals.deprecation.as_ref().unwrap_or_else(|| panic!("not deprecated"));
    assert_eq!(dep.replacement.as_deref(), Some("GET /api/v2/deals?stage_id={id}"));
    assert_eq!(dep.replacement_source, Some(ReplacementSource::Description));
    let stages = api
        .operations
        .iter()
        .find(|o| o.id == "getStages" && o.api == "v1")
        .unwrap_or_else(|| panic!("no v1 getStages"));
    let dep = stages.deprecation.as_ref().unwrap_or_else(|| panic!("not deprecated"));
    assert_eq!(dep.replacement.as_deref(), Some("GET /api/v2/stages"));
    assert_eq!(
        dep.replacement_source,
        Some(ReplacementSource::SameOperationIdInNewerApi)
    );
    let code = emit(&api);
    assert!(code.contains("#[deprecated(\n        note = \"deprecated by Pipedrive; use `GET /api/v2/deals?stage_id={id}` instead\"\n    )]"), "{code}");
    assert!(
        code.contains("#[allow(deprecated)]\nimpl GetStageDeals"),
        "the crate's own uses are allowed"
    );
    assert!(
        deals
            .description
            .as_deref()
            .is_some_and(|d| d.contains("[GET /api/v2/deals?stage_id={id}](https://x)")),
        "HTML links become Markdown"
    );
}

#[test]
fn a_deprecated_operation_names_its_replacement_in_the_crate_or_says_it_is_not_generated() {
    let v1 = "openapi: 3.0.1\ninfo: {title: v1, version: '1'}\nservers: [{url: 'https://api.pipedrive.com/v1'}]\npaths:\n  /stages/{id}/deals:\n    get:\n      operationId: getStageDeals\n      deprecated: true\n      tags: [Stages]\n      description: 'Please use GET /api/v2/deals?stage_id={id} instead.'\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n  /stages/{id}:\n    get:\n      operationId: getStage\n      deprecated: true\n      tags: [Stages]\n      description: 'Please use GET /api/v2/stages/{id} instead.'\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n  /stages:\n    delete:\n      operationId: deleteStages\n      deprecated: true\n      tags: [Stages]\n      description: 'Please use DELETE /api/v2/pipelines/{id} instead.'\n      responses: {'200': {description: ok}}\n";
    // The replacement of getStage is generated under another operationId and parameter name;
    // getDeals exists, but its tag is not selected; no document has /api/v2/pipelines/{id}.
    let v2 = document(
        "  /stages/{stage_id}:\n    get:\n      operationId: fetchStage\n      tags: [Stages]\n      parameters: [{in: path, name: stage_id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n  /deals:\n    get:\n      operationId: getDeals\n      tags: [Deals]\n      responses: {'200': {description: ok}}\n",
    );
    let api = lower_selected(&[("v1", v1), ("v2", &v2)], &only("Stages")).unwrap_or_else(|e| panic!("{e}"));
    let target = |id: &str| {
        op(&api, id)
            .deprecation
            .as_ref()
            .unwrap_or_else(|| panic!("{id} is not deprecated"))
            .replacement_target
            .clone()
    };
    assert_eq!(
        target("getStage"),
        Some(ReplacementTarget::Generated {
            api: "v2".into(),
            operation_id: "fetchStage".into()
        })
    );
    assert_eq!(
        target("getStageDeals"),
        Some(ReplacementTarget::NotGenerated { tag: "Deals".into() })
    );
    assert_eq!(target("deleteStages"), None);

    let code = emit(&api);
    assert!(
        code.contains("note = \"deprecated by Pipedrive; use `GET /api/v2/stages/{id}` instead: `client.v2().stages().fetch_stage(..)`\""),
        "{code}"
    );
    assert!(
        code.contains("/// - **Deprecated** by Pipedrive: use `GET /api/v2/stages/{id}` instead: [`client.v2().stages().fetch_stage(..)`](crate::v2::stages::FetchStage)"),
        "{code}"
    );
    assert!(
        code.contains("note = \"deprecated by Pipedrive; use `GET /api/v2/deals?stage_id={id}` instead (not in this crate: its tag `Deals` is not generated)\""),
        "{code}"
    );
    assert!(
        code.contains("note = \"deprecated by Pipedrive; use `DELETE /api/v2/pipelines/{id}` instead\""),
        "{code}"
    );
}

#[test]
fn an_exclusive_maximum_is_checked_one_below_the_bound() {
    let api = lower_one(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters:\n        - {in: query, name: below, schema: {type: integer, maximum: 10, exclusiveMaximum: true}}\n        - {in: query, name: upto, schema: {type: integer, maximum: 10}}\n      responses: {'200': {description: ok}}\n",
    );
    let maximum = |name: &str| {
        op(&api, "getA")
            .parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.constraints.clone())
    };
    assert_eq!(maximum("below"), Some(vec![Constraint::Maximum(9)]));
    assert_eq!(maximum("upto"), Some(vec![Constraint::Maximum(10)]));
}

#[test]
fn a_document_without_operations_of_the_selected_tags_gets_no_module() {
    let v1 = "openapi: 3.0.1\ninfo: {title: v1, version: '1'}\nservers: [{url: 'https://api.pipedrive.com/v1'}]\npaths:\n  /call-logs:\n    get:\n      operationId: getCallLogs\n      tags: [CallLogs]\n      responses: {'200': {description: ok}}\n";
    let v2 = document(
        "  /deals:\n    get:\n      operationId: getDeals\n      tags: [Deals]\n      responses: {'200': {description: ok}}\n",
    );
    let api = lower_selected(&[("v1", v1), ("v2", &v2)], &only("CallLogs")).unwrap_or_else(|e| panic!("{e}"));
    let files = emit_files(&api);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"src/v1/mod.rs"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("src/v2/")), "{paths:?}");
    let lib = files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .map(|f| f.contents.as_str())
        .unwrap_or_default();
    assert!(lib.contains("pub mod v1;") && !lib.contains("pub mod v2;"), "{lib}");
    assert!(!lib.contains("pub fn v2("), "{lib}");
}

#[test]
fn pagination_styles_token_cost_scopes_and_the_limit_cap() {
    let paths = "  /stages:\n    get:\n      operationId: getStages\n      tags: [Stages]\n      x-token-cost: 5\n      security: [{api_key: []}, {oauth2: ['deals:read', admin]}]\n      parameters:\n        - {in: query, name: limit, description: 'Please note that a maximum value of 500 is allowed.', schema: {type: integer}}\n        - {in: query, name: cursor, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {type: boolean}\n                  data: {type: array, items: {type: object, properties: {id: {type: integer}}}}\n  /deals:\n    get:\n      operationId: getDeals\n      tags: [Deals]\n      parameters:\n        - {in: query, name: start, schema: {type: integer, default: 0}}\n        - {in: query, name: limit, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {type: boolean}\n                  data: {type: array, items: {type: object, properties: {id: {type: integer}}}}\n";
    let api = lower_one(paths);
    let stages = op(&api, "getStages");
    assert_eq!(
        stages.pagination,
        Some(Pagination::Cursor {
            cursor_param: "cursor".into(),
            limit_param: Some("limit".into()),
            data_items: None,
        })
    );
    assert_eq!(stages.token_cost, Some(5));
    assert_eq!(stages.oauth_scopes, ["deals:read", "admin"]);
    assert_eq!(stages.parameters[0].constraints, [Constraint::Maximum(500)]);
    assert_eq!(stages.full_path, "/api/v2/stages");
    let deals = op(&api, "getDeals");
    assert_eq!(
        deals.pagination,
        Some(Pagination::Offset {
            start_param: "start".into(),
            limit_param: Some("limit".into()),
            data_items: None,
        })
    );
    let code = emit(&api);
    assert!(code.contains("runtime::Constraint::Maximum(500)"), "{code}");
    assert!(code.contains("pub const TOKEN_COST: u32 = 5;"));
    assert!(
        code.contains("runtime::Position::Cursor(self.cursor.clone())"),
        "{code}"
    );
    assert!(
        code.contains("runtime::Position::Offset(self.start.unwrap_or(0))"),
        "{code}"
    );
    assert!(code.contains("oauth_scopes: &[\"deals:read\", \"admin\"],"));
}

/// Search endpoints answer `data: {items: [...]}`: they page too, their pages holding the items;
/// `send()` still returns the whole `data`. A `data` with more than `items` (`itemSearch` adds
/// `related_items`) is not paged, since its pages would drop the rest.
#[test]
fn search_results_page_through_data_items() {
    let search = |path: &str, id: &str, paging: &str, data: &str| {
        format!(
            "  {path}:\n    get:\n      operationId: {id}\n      tags: [Search]\n      parameters:\n{paging}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data: {data}\n"
        )
    };
    let cursor = "        - {in: query, name: cursor, schema: {type: string}}\n        - {in: query, name: limit, schema: {type: integer}}\n";
    let offset = "        - {in: query, name: start, schema: {type: integer}}\n";
    let items = "{type: object, properties: {items: {type: array, items: {type: object, properties: {result_score: {type: number}}}}}}";
    let more = "{type: object, properties: {items: {type: array, items: {type: integer}}, related_items: {type: array, items: {type: integer}}}}";
    let api = lower_one(
        &[
            search("/deals/search", "searchDeals", cursor, items),
            search("/persons/search", "searchPersons", offset, items),
            search("/itemSearch", "searchItem", cursor, more),
        ]
        .concat(),
    );
    let deals = op(&api, "searchDeals");
    let ResponseBody::Envelope {
        data: TypeRef::Named(data),
        additional_data: None,
        related_objects: None,
    } = &deals.response.body
    else {
        panic!("{:?}", deals.response.body)
    };
    let item = match fields(ty(&api, data)) {
        [field] if field.name == "items" => match &field.ty {
            TypeRef::Array(item) => (**item).clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(
        deals.pagination,
        Some(Pagination::Cursor {
            cursor_param: "cursor".into(),
            limit_param: Some("limit".into()),
            data_items: Some(item.clone()),
        })
    );
    assert_eq!(
        op(&api, "searchPersons").pagination,
        Some(Pagination::Offset {
            start_param: "start".into(),
            limit_param: None,
            data_items: Some(item.clone()),
        })
    );
    assert_eq!(op(&api, "searchItem").pagination, None);

    // The IR names the item type; a list whose `data` is the list says nothing more.
    let ir = serde_json::to_value(&deals.pagination).unwrap_or_default();
    assert_eq!(ir["data_items"], serde_json::json!(item.to_string()), "{ir}");

    let code = emit(&api);
    let TypeRef::Named(item) = item else { panic!("{item:?}") };
    // `send()` returns the whole `data`; a page holds its `items`.
    assert!(
        code.contains(&format!("type Response = runtime::Data<types::{data}>;")),
        "{code}"
    );
    assert!(code.contains(&format!("type Item = types::{item};")), "{code}");
    assert_eq!(
        code.matches("const LIST_AT: runtime::ListAt = runtime::ListAt::DataItems;")
            .count(),
        2,
        "{code}"
    );
    assert!(
        code.contains("runtime::Position::Cursor(") && code.contains("runtime::Position::Offset("),
        "{code}"
    );
    assert!(
        code.contains("- Pages by cursor: [`SearchDeals::stream`] yields every item of `data.items`"),
        "{code}"
    );
    assert!(!code.contains("SearchItem::stream"), "{code}");
}

#[test]
fn keywords_digits_and_symbols_become_valid_identifiers() {
    let api = lower_one(&get_returning(
        "                    title: Odd\n                    type: object\n                    properties:\n                      type: {type: string}\n                      self: {type: string}\n                      1st: {type: string}\n                      x-custom: {type: string}\n                      xCustom: {type: string}\n",
    ));
    let rust: Vec<(&str, &str)> = fields(ty(&api, "Odd"))
        .iter()
        .map(|f| (f.name.as_str(), f.rust_name.as_str()))
        .collect();
    assert_eq!(
        rust,
        [
            ("1st", "_1st"),
            ("self", "self_"),
            ("type", "r#type"),
            ("x-custom", "x_custom"),
            ("xCustom", "x_custom2")
        ]
    );
    let code = emit(&api);
    assert!(
        code.contains("#[serde(rename = \"type\")]") || code.contains("pub r#type: Option<String>,"),
        "{code}"
    );
    assert!(code.contains("    pub x_custom2: Option<String>,"), "{code}");
    assert!(code.contains("\"xCustom\" => field"), "{code}");
}

#[test]
fn missing_operation_id_is_derived_with_a_warning() {
    let (api, warnings) = lower_with_warnings(&document(
        "  /stages/{id}/deals:\n    get:\n      tags: [Stages]\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n",
    ));
    assert_eq!(api.operations[0].id, "getStagesIdDeals");
    let warning = warnings.iter().find(|w| w.contains("no operationId"));
    assert_eq!(
        warning.map(String::as_str),
        Some(
            "v2.yaml: at /paths/~1stages~1{id}~1deals/get: GET /stages/{id}/deals has no operationId; it is named `getStagesIdDeals`, from the method and path"
        )
    );
}

/// Operations are told apart by id (in the IR, in the changelog): a derived id never takes an
/// explicit one, nor another derived one.
#[test]
fn a_derived_operation_id_does_not_take_one_in_use() {
    let get = |path: &str, id: &str| {
        format!("  {path}:\n    get:\n{id}      tags: [Things]\n      responses: {{'200': {{description: ok}}}}\n")
    };
    let (api, warnings) = lower_with_warnings(&document(
        &[
            get("/a-b", ""),
            get("/a_b", ""),
            get("/things", ""),
            get("/z", "      operationId: getThings\n"),
        ]
        .concat(),
    ));
    let ids: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.path.as_str(), o.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("/a-b", "getAB"),
            ("/a_b", "getAB2"),
            ("/things", "getThings2"),
            ("/z", "getThings")
        ]
    );
    // Each warning names the id the operation got, numbered where it had to be.
    let warned: Vec<&String> = warnings.iter().filter(|w| w.contains("no operationId")).collect();
    assert_eq!(
        warned,
        [
            "v2.yaml: at /paths/~1a-b/get: GET /a-b has no operationId; it is named `getAB`, from the method and path",
            "v2.yaml: at /paths/~1a_b/get: GET /a_b has no operationId; it is named `getAB2`, from the method and path",
            "v2.yaml: at /paths/~1things/get: GET /things has no operationId; it is named `getThings2`, from the method and path",
        ]
    );
}

#[test]
fn a_shape_shared_under_one_field_name_is_named_after_the_field() {
    let param = "      parameters: [{in: query, name: sort_direction, schema: {type: string, default: asc, enum: [asc, desc]}}]\n      responses: {'200': {description: ok}}\n";
    let shared = lower_one(&format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{param}  /b:\n    get:\n      operationId: getB\n      tags: [T]\n{param}"
    ));
    assert_eq!(names(&shared), ["SortDirection"]);
    assert_eq!(
        op(&shared, "getB").parameters[0].ty,
        TypeRef::Named("SortDirection".into())
    );
    let single = lower_one(&format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{param}"
    ));
    assert_eq!(
        names(&single),
        ["GetASortDirection"],
        "used once, the operation's name is clearer"
    );
}

/// Lowers one document and returns the IR with the warnings met.
#[test]
fn undescribed_types_say_where_operations_use_them_and_merged_copies_keep_only_a_shared_description() {
    let stage = "title: Stage\n                    type: object\n                    properties:\n                      id: {type: integer}\n";
    let api = lower_one(&format!(
        "  /stages:\n    get:\n      operationId: getStages\n      tags: [Stages]\n      parameters:\n        - {{in: query, name: sort_by, description: The field to sort by., schema: {{type: string, enum: [id, name]}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data:\n                    type: array\n                    items:\n                      description: A stage\n                      {stage_items}\n    post:\n      operationId: addStage\n      tags: [Stages]\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, properties: {{name: {{type: string}}}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data:\n                    description: Added stage object\n                    {stage}",
        stage_items = stage.replace("\n                    ", "\n                      "),
    ));
    assert_eq!(
        ty(&api, "Stage").description,
        None,
        "two copies describe it differently: neither describes the merged type"
    );
    let code = emit(&api);
    for summary in [
        "/// The field to sort by.\n///\n/// Values of the `sort_by` parameter of `getStages` (`GET /api/v2/stages`).",
        "/// The request body of `addStage` (`POST /api/v2/stages`).",
        "/// One item of what `getStages` (`GET /api/v2/stages`) returns. One more operation uses it too.",
    ] {
        assert!(code.contains(summary), "no {summary:?} in\n{code}");
    }
}

/// `POST /things` answering `200` with `first` and `201` with `second` (YAML flow mappings of a
/// response's `content`).
fn two_success_responses(first: &str, second: &str) -> String {
    document(&format!(
        "  /things:\n    post:\n      operationId: addThing\n      tags: [Things]\n      responses:\n        '201': {{description: created, content: {second}}}\n        '200': {{description: ok, content: {first}}}\n"
    ))
}

#[test]
fn several_success_codes_share_the_first_body_and_a_different_one_is_reported() {
    let json = "{application/json: {schema: {type: object, properties: {id: {type: integer}}}, example: {id: 1}}}";
    let same = "{application/json: {schema: {type: object, properties: {id: {type: integer}}}, example: {id: 2}}}";
    let (api, warnings) = lower_with_warnings(&two_success_responses(json, same));
    let response = &op(&api, "addThing").response;
    assert_eq!(response.statuses, [200, 201]);
    assert!(
        matches!(response.body, ResponseBody::Json { .. }),
        "{:?}",
        response.body
    );
    assert!(warnings.is_empty(), "examples may differ: {warnings:?}");

    let other = "{application/json: {schema: {type: array, items: {type: integer}}}}";
    let (api, warnings) = lower_with_warnings(&two_success_responses(json, other));
    assert_eq!(op(&api, "addThing").response.statuses, [200, 201]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("v2.yaml: at /paths/~1things/post/responses/201/content (operationId `addThing`): the `201` response's body differs from the `200` response's"),
        "{warnings:?}"
    );
}

#[test]
fn a_success_body_that_is_not_json_is_a_download() {
    for content in [
        "{application/octet-stream: {schema: {type: string, format: binary}}}",
        "{text/csv: {}}",
    ] {
        let (api, _) = lower_with_warnings(&document(&format!(
            "  /files/{{id}}/download:\n    get:\n      operationId: downloadFile\n      tags: [Files]\n      parameters:\n        - {{in: path, name: id, required: true, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok, content: {content}}}\n"
        )));
        assert_eq!(
            op(&api, "downloadFile").response.body,
            ResponseBody::Binary,
            "{content}"
        );
        let code = emit(&lower_docs(&[("v2", &document(&format!(
            "  /files/{{id}}/download:\n    get:\n      operationId: downloadFile\n      tags: [Files]\n      parameters:\n        - {{in: path, name: id, required: true, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok, content: {content}}}\n"
        )))]).unwrap_or_else(|e| panic!("{e}")));
        assert!(
            code.contains("type Response = runtime::Download;")
                && code.contains("type Output = Result<runtime::Bytes, runtime::Error>;"),
            "a download returns the bytes: {content}"
        );
    }
}

#[test]
fn a_required_arguments_description_beyond_its_first_line_follows_the_argument_list() {
    let api = lower_one(
        "  /deals/timeline:\n    get:\n      operationId: getDealsTimeline\n      tags: [Deals]\n      parameters:\n        - in: query\n          name: interval\n          required: true\n          description: 'The type of the interval<table><tr><th>Value</th><th>Description</th></tr><tr><td>`day`</td><td>Day</td></tr></table>'\n          schema: {type: string, enum: [day, week]}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    assert!(
        code.contains("/// - `interval`: The type of the interval\n    ///\n    /// More on `interval`:\n    ///\n    /// | Value | Description |\n    /// | --- | --- |\n    /// | `day` | Day |\n"),
        "{code}"
    );
}

#[test]
fn a_type_keeps_its_previous_name_while_it_may_take_it() {
    let lower_after = |text: &str, previous: &Api| {
        let loaded = parse_document("v2", "v2.yaml", text).unwrap_or_else(|e| panic!("{e}"));
        pipedrive_codegen::lower::lower_with(
            &[loaded],
            &TagSelection::All,
            &pipedrive_codegen::lower::Naming {
                previous: Some(previous),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .api
    };
    let param = "      parameters: [{in: query, name: sort_direction, schema: {type: string, enum: [asc, desc]}}]\n      responses: {'200': {description: ok}}\n";
    let one = document(&format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{param}"
    ));
    let two = document(&format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{param}  /b:\n    get:\n      operationId: getB\n      tags: [U]\n{param}"
    ));
    let first = lower_docs(&[("v2", &one)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&first), ["GetASortDirection"]);

    // A second operation (another tag selected, or Pipedrive adding one) shares the enum: alone
    // that would be `SortDirection`, but the type that existed keeps its name.
    assert_eq!(
        names(&lower_docs(&[("v2", &two)]).unwrap_or_else(|e| panic!("{e}"))),
        ["SortDirection"]
    );
    let after = lower_after(&two, &first);
    assert_eq!(names(&after), ["GetASortDirection"]);
    assert_eq!(
        op(&after, "getB").parameters[0].ty,
        TypeRef::Named("GetASortDirection".into())
    );

    // A title the document gives now is a better name; the old one is no candidate any more.
    let titled = one.replace("enum: [asc, desc]", "title: Direction, enum: [asc, desc]");
    assert_eq!(names(&lower_after(&titled, &first)), ["Direction"]);
}

pub(crate) fn lower_with_warnings(text: &str) -> (Api, Vec<String>) {
    let loaded = parse_document("v2", "v2.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    let lowered = lower(&[loaded], &TagSelection::All).unwrap_or_else(|e| panic!("{e}"));
    let warnings = lowered.warnings.iter().map(ToString::to_string).collect();
    (lowered.api, warnings)
}

/// `{success, data: {type: <data_type>}}` as one response's content for `media`.
fn envelope_content(media: &str, data_type: &str) -> String {
    format!(
        "            {media}:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data: {{type: {data_type}}}\n"
    )
}

#[test]
fn the_success_response_and_media_type_do_not_depend_on_key_order() {
    let response = |code: &str, content: &str| {
        format!("        '{code}':\n          description: ok\n          content:\n{content}")
    };
    let get = |responses: &str| {
        lower_one(&format!(
            "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      responses:\n{responses}"
        ))
    };
    let string_data = ResponseBody::Envelope {
        data: TypeRef::Scalar(Scalar::String),
        additional_data: None,
        related_objects: None,
    };
    // `2XX` and `200` both mean 200: the explicit code decides, whichever comes first.
    let explicit = response("200", &envelope_content("application/json", "string"));
    let range = response("2XX", &envelope_content("application/json", "integer"));
    for responses in [format!("{range}{explicit}"), format!("{explicit}{range}")] {
        let api = get(&responses);
        let get_things = op(&api, "getThings");
        assert_eq!(get_things.response.body, string_data, "{responses}");
        assert_eq!(get_things.response.statuses, [200], "a status is listed once");
    }
    // Exactly `application/json` wins over other JSON types and over itself with parameters.
    for other in ["application/problem+json", "application/json; charset=utf-8"] {
        let exact = envelope_content("application/json", "string");
        let other = envelope_content(other, "integer");
        for content in [format!("{other}{exact}"), format!("{exact}{other}")] {
            let api = get(&response("200", &content));
            assert_eq!(op(&api, "getThings").response.body, string_data, "{content}");
        }
    }
    // Request bodies choose the same way.
    let exact = "          application/json:\n            schema: {type: object, properties: {name: {type: string}}}\n";
    let charset =
        "          application/json; charset=utf-8:\n            schema: {type: array, items: {type: integer}}\n";
    for content in [format!("{charset}{exact}"), format!("{exact}{charset}")] {
        let api = lower_one(&format!(
            "  /things:\n    post:\n      operationId: addThing\n      tags: [Things]\n      requestBody:\n        content:\n{content}      responses:\n        '200': {{description: ok}}\n"
        ));
        let body = op(&api, "addThing")
            .request_body
            .as_ref()
            .unwrap_or_else(|| panic!("no body"));
        assert_eq!(body.ty, TypeRef::Named("AddThingRequest".into()), "{content}");
    }
}

#[test]
fn doc_comments_have_no_carriage_returns_or_bidi_controls() {
    let api = lower_one(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      summary: \"Get\\rthings\"\n      description: \"Intro\\r\\r    indented\\r\\nnext \\u202Eevil\\u2066 text\"\n      parameters:\n        - {in: query, name: mode, description: \"a\\rb\\u202Ac\", schema: {type: string, enum: [\"x\\ry\", \"\\u2067z\"]}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    assert!(!code.contains('\r'), "{code:?}");
    assert!(!code.contains(bidi), "{code:?}");
    assert!(
        code.contains("/// Get\n    /// things.\n"),
        "a lone \\r ends a line:\n{code}"
    );
    assert!(
        code.contains("/// Intro\n///\n/// indented\n/// next evil text\n"),
        "a \\r cannot hide an indented line (a doctest):\n{code}"
    );
    assert!(code.contains("/// a\n    /// bc\n"), "{code}");
    // A value quoted as code is one code span on one line.
    assert!(code.contains("    /// `x y`\n"), "{code}");
    // Only comments are cleaned: the wire values stay as they are, escaped in string literals.
    assert!(code.contains(r#"Self::XY => "x\ry","#), "{code}");
    assert!(code.contains(r#""\u{2067}z" => Ok(Self::Z),"#), "{code}");
}

#[test]
fn tag_modules_are_unique_keep_clear_of_the_crates_modules_and_are_filed_unraw() {
    let get = |path: &str, tag: &str| {
        format!("  {path}:\n    get:\n      tags: ['{tag}']\n      responses:\n        '200': {{description: ok}}\n")
    };
    let api = lower_one(
        &[
            get("/a", "DealFields"),
            get("/b", "Deal Fields"),
            get("/c", "types"),
            get("/d", "Type"),
            get("/e", "mod"),
        ]
        .concat(),
    );
    let modules: Vec<(&str, &str)> = api.tags.iter().map(|t| (t.name.as_str(), t.module.as_str())).collect();
    assert_eq!(
        modules,
        [
            ("Deal Fields", "deal_fields"),
            ("DealFields", "deal_fields2"),
            ("Type", "r#type"),
            ("mod", "mod2"),
            ("types", "types2"),
        ]
    );
    for o in &api.operations {
        let tag = api
            .tags
            .iter()
            .find(|t| t.name == o.tag)
            .unwrap_or_else(|| panic!("no tag {}", o.tag));
        assert_eq!(o.tag_module, tag.module, "{}", o.id);
    }
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
    };
    let files = emit_crate(&api, &spec).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut unique = paths.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), paths.len(), "a file is written once: {paths:?}");
    for path in [
        "src/v2/deal_fields.rs",
        "src/v2/deal_fields2.rs",
        "src/v2/type.rs",
        "src/v2/mod2.rs",
        "src/v2/types2.rs",
        "src/v2/types.rs",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }
    let module = &files
        .iter()
        .find(|f| f.path == "src/v2/mod.rs")
        .unwrap_or_else(|| panic!("no mod.rs"))
        .contents;
    assert!(module.contains("pub mod r#type;\n"), "{module}");
    let lib = &files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap_or_else(|| panic!("no lib.rs"))
        .contents;
    assert!(
        lib.contains("[`v2::type`]"),
        "rustdoc resolves the link without `r#`:\n{lib}"
    );
    assert_eq!(module.matches("pub mod types;").count(), 1, "{module}");
}

#[test]
fn braces_in_the_server_prefix_are_text_not_format_arguments() {
    let text = "openapi: 3.0.1\ninfo: {title: Test API, version: '1'}\nservers: [{url: 'https://h/a{b'}]\npaths:\n  /stages/{id}:\n    get:\n      operationId: getStage\n      tags: [Stages]\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n";
    let (api, warnings) = lower_with_warnings(text);
    assert_eq!(op(&api, "getStage").full_path, "/a{b/stages/{id}");
    let code = emit(&api);
    assert!(
        code.contains(r#"format!("/a{{b/stages/{}", runtime::encode_path_segment(self.id))"#),
        "{code}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("v2.yaml: at /servers/0/url: ") && w.contains("`/a{b`")),
        "{warnings:?}"
    );
}

#[test]
fn a_maximum_is_checked_only_where_the_parameter_type_can_exceed_it() {
    let text = document(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      parameters:\n        - {in: query, name: huge, schema: {type: integer, format: int32, maximum: 3000000000}}\n        - {in: query, name: choice, schema: {type: integer, enum: [1, 2], maximum: 2}}\n        - {in: query, name: limit, schema: {type: integer, format: int32, maximum: 100}}\n        - {in: query, name: any, schema: {type: integer, maximum: 9223372036854775807}}\n        - {in: query, name: below, schema: {type: integer, format: int32, maximum: -3000000000}}\n      responses:\n        '200': {description: ok}\n",
    );
    let (api, warnings) = lower_with_warnings(&text);
    let maximums: Vec<(&str, Vec<Constraint>)> = op(&api, "getThings")
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.constraints.clone()))
        .collect();
    assert_eq!(
        maximums,
        [
            ("huge", vec![]),
            ("choice", vec![]),
            ("limit", vec![Constraint::Maximum(100)]),
            ("any", vec![]),
            ("below", vec![])
        ]
    );
    let code = emit(&api);
    assert!(code.contains("runtime::Constraint::Maximum(100)"), "{code}");
    assert_eq!(code.matches("runtime::check(").count(), 1, "{code}");
    assert!(!code.contains("3000000000"), "{code}");
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1things/get/parameters/4/schema/maximum (operationId `getThings`): parameter `below` has `maximum: -3000000000`, below every value its type (i32) holds; the bound is not checked; expected a maximum of at least -2147483648"
        ]
    );
}

#[test]
fn number_enums_with_fractions_are_plain_numbers_with_a_warning() {
    let (api, warnings) = lower_with_warnings(&document(&get_returning(
        "                    title: Thing\n                    type: object\n                    properties:\n                      ratio: {type: number, enum: [0.5, 1.5]}\n                      flag: {type: number, enum: [0, 1]}\n                      level: {type: number, enum: [1, 3]}\n",
    )));
    let thing = ty(&api, "Thing");
    assert_eq!(field(thing, "ratio").ty, TypeRef::Scalar(Scalar::F64));
    assert_eq!(field(thing, "flag").ty, TypeRef::Scalar(Scalar::BoolAsNumber));
    assert_eq!(field(thing, "level").ty, TypeRef::Named("ThingLevel".into()));
    assert_eq!(names(&api), ["Thing", "ThingLevel"], "no enum for the fractions");
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1things/get/responses/200/content/application~1json/schema/properties/data/properties/ratio/enum (operationId `getThing`): a `number` enum with values that are not all integers (0.5, 1.5) is typed as `f64`; any number is accepted; expected integer values, or `type: string` for named values"
        ]
    );
    assert!(emit(&api).contains("pub ratio: Option<f64>,"));
}

#[test]
fn binary_is_a_file_only_as_a_multipart_field_and_text_elsewhere() {
    let binary = "{type: string, format: binary}";
    let body = |id: &str, media: &str| {
        format!(
            "  /{id}:\n    post:\n      operationId: {id}\n      tags: [Files]\n      requestBody:\n        content:\n          {media}:\n            schema:\n              type: object\n              properties:\n                file: {binary}\n                name: {{type: string}}\n                nested: {{type: object, properties: {{inner: {binary}}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data: {{type: object, properties: {{file: {binary}, id: {{type: integer}}}}}}\n"
        )
    };
    let api = lower_one(
        &[
            body("addJson", "application/json"),
            body("addForm", "application/x-www-form-urlencoded"),
            body("addMultipart", "multipart/form-data"),
        ]
        .concat(),
    );
    let named = |t: &TypeRef| match t {
        TypeRef::Named(n) => n.clone(),
        other => panic!("{other} is not a named type"),
    };
    let request = |id: &str| {
        named(
            &op(&api, id)
                .request_body
                .as_ref()
                .unwrap_or_else(|| panic!("no body"))
                .ty,
        )
    };
    let response = |id: &str| match &op(&api, id).response.body {
        ResponseBody::Envelope { data, .. } => named(data),
        other => panic!("{other:?}"),
    };
    let file = |type_name: &str, name: &str| field(ty(&api, type_name), name).ty.clone();
    let text = TypeRef::Scalar(Scalar::String);
    let multipart = request("addMultipart");
    assert_eq!(file(&multipart, "file"), TypeRef::Scalar(Scalar::Binary));
    let nested = named(&field(ty(&api, &multipart), "nested").ty);
    assert_eq!(
        file(&nested, "inner"),
        text,
        "only a direct field of the body is a file"
    );
    assert_eq!(file(&request("addJson"), "file"), text);
    assert_eq!(file(&request("addForm"), "file"), text);
    for id in ["addJson", "addForm", "addMultipart"] {
        assert_eq!(file(&response(id), "file"), text, "a JSON response carries text");
    }
    let code = emit(&api);
    assert_eq!(
        code.matches("pipedrive_runtime::FileUpload").count(),
        2,
        "the field and its setter:\n{code}"
    );
    assert!(
        code.contains("pub file: Option<pipedrive_runtime::FileUpload>,"),
        "{code}"
    );
}

/// A response whose data is `S0`, where each `Si` holds an `Si+1`, down to `S{depth}`.
fn schema_chain(depth: usize) -> String {
    let mut doc = document(&get_returning("                    $ref: '#/components/schemas/S0'\n"));
    doc.push_str("components:\n  schemas:\n");
    for i in 0..depth {
        doc.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
    }
    doc.push_str(&format!(
        "    S{depth}: {{type: object, properties: {{id: {{type: integer}}}}}}\n"
    ));
    doc
}

/// The generator follows `$ref`s by recursion; a spec decides how deep, so the depth is capped
/// with an error before the thread's stack (2 MiB for a test) would overflow.
#[test]
fn schemas_nested_beyond_the_limit_are_an_error_not_a_stack_overflow() {
    let api = lower_docs(&[("v2", &schema_chain(60))]).unwrap_or_else(|e| panic!("{e}"));
    assert!(names(&api).contains(&"S60"), "{:?}", names(&api));
    for depth in [5_000, 65] {
        let Err(err) = lower_docs(&[("v2", &schema_chain(depth))]) else {
            panic!("a chain of {depth} was accepted")
        };
        let message = err.to_string();
        assert!(message.contains("schemas nest more than 64 deep"), "{message}");
        assert!(
            message.contains("at /components/schemas/S63/properties/next (operationId `getThing`)"),
            "{message}"
        );
    }
}

/// The crate warns on missing docs and CI denies warnings, so an item the document gives no
/// description still gets a doc line: here, setters of parameters and body fields without one.
#[test]
fn setters_have_docs_when_the_document_gives_none() {
    let api = lower_one(
        "  /things:\n    patch:\n      operationId: updateThing\n      tags: [Things]\n      parameters:\n        - {in: query, name: mode, schema: {type: string}}\n        - {in: header, name: x-trace, schema: {type: string}}\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {note: {type: string}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    let mut setters = 0;
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with("pub fn ") {
            continue;
        }
        let above = lines[..i].iter().rev().find(|l| !l.starts_with("#["));
        assert!(
            above.is_some_and(|l| l.starts_with("///")),
            "no doc for `{line}`:\n{code}"
        );
        setters += usize::from(
            line.starts_with("pub fn mode(") || line.starts_with("pub fn x_trace(") || line.starts_with("pub fn note("),
        );
    }
    assert_eq!(setters, 3, "{code}");
    assert!(code.contains("/// Sets the `mode` query parameter.\n"), "{code}");
    assert!(code.contains("/// Sets the `x-trace` header parameter.\n"), "{code}");
    assert!(code.contains("/// Sets the request body's `note`.\n"), "{code}");
}

/// A tag's struct lives in the tag's module next to its builders: it keeps clear of the prelude
/// names that module uses and of `New` (its constructor is `new`).
#[test]
fn tag_structs_keep_clear_of_prelude_names_and_new() {
    let get = |path: &str, tag: &str| {
        format!("  {path}:\n    get:\n      tags: ['{tag}']\n      responses:\n        '200': {{description: ok}}\n")
    };
    let api = lower_one(&[get("/a", "Result"), get("/b", "new"), get("/c", "Stages")].concat());
    let structs: Vec<&str> = api.tags.iter().map(|t| t.struct_name.as_str()).collect();
    assert_eq!(structs, ["ResultApi", "Stages", "NewApi"]);
}

/// Names a document picks freely must not collide with the names the emitted code uses itself.
#[test]
fn names_from_the_document_keep_clear_of_the_builders_own() {
    let post = |path: &str, id: &str, body: &str| {
        format!(
            "  {path}:\n    post:\n      operationId: {id}\n      tags: [Things]\n      parameters:\n        - {{in: query, name: call_options, schema: {{type: string}}}}\n      requestBody:\n        content:\n          application/json:\n            schema: {body}\n      responses:\n        '200': {{description: ok}}\n"
        )
    };
    let body = "{type: object, required: [client], properties: {client: {type: string}, clear_name: {type: string}, name: {type: string, nullable: true}}}";
    let api = lower_one(
        &[
            post("/a", "new", body),
            post("/b", "result", body),
            post("/c", "send", body),
        ]
        .concat(),
    );
    let rust_names: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.fn_name.as_str(), o.builder_name.as_str()))
        .collect();
    // `ThingsApi::new` is the tag's constructor; a builder `New` would have a `new` (clippy says
    // no); `Result` and `Send` are used from the prelude.
    assert_eq!(rust_names, [("new2", "New2"), ("result", "Result2"), ("send", "Send2")]);
    let params: Vec<&str> = op(&api, "new")
        .parameters
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    assert_eq!(params, ["call_options2"], "the builder's own field is call_options");

    let code = emit(&api);
    assert_eq!(
        code.matches("pub fn clear_name(").count(),
        3,
        "one per builder:\n{code}"
    );
    assert_eq!(code.matches("pub fn clear_name2(").count(), 3, "{code}");
    assert!(code.contains("/// Send `null` with `clear_name2()`."), "{code}");
    assert_eq!(
        code.matches("fn new(client: runtime::Client, client2: String) -> Self")
            .count(),
        3,
        "the body's `client` is not the builder's:\n{code}"
    );
    assert!(
        code.contains("pub fn new2(&self, client2: impl Into<String>) -> New"),
        "{code}"
    );
}

/// The crate's doctest calls a list operation with no arguments: not one whose body has required
/// fields (they are arguments of its builder), which would not compile.
#[test]
fn the_crate_example_calls_a_list_that_needs_no_arguments() {
    let list = |method: &str, path: &str, id: &str, body: &str| {
        format!(
            "  {path}:\n    {method}:\n      operationId: {id}\n      tags: [Things]\n      parameters:\n        - {{in: query, name: cursor, schema: {{type: string}}}}\n{body}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{success: {{type: boolean}}, data: {{type: array, items: {{type: integer}}}}}}}}\n"
        )
    };
    let body = "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {type: object, required: [term], properties: {term: {type: string}}}\n";
    let api = lower_one(
        &[
            list("post", "/a/search", "searchThings", body),
            list("get", "/b", "getThings", ""),
        ]
        .concat(),
    );
    assert!(op(&api, "searchThings").pagination.is_some());
    let code = emit(&api);
    assert!(
        code.contains("//! let items = client.v2().things().get_things().send().await?;"),
        "{code}"
    );
}

/// An operation another server answers (v1's OAuth operations, on `oauth.pipedrive.com`) is left
/// out with a warning at its `servers`, whether the operation or its path item names the server;
/// one that names the document's own server (a trailing `/` aside) is generated.
#[test]
fn operations_served_by_another_server_are_left_out_with_a_warning() {
    let ok = "      responses: {'200': {description: ok}}\n";
    let text = document(&format!(
        "  /oauth/token:\n    post:\n      operationId: getTokens\n      tags: [Oauth]\n      servers: [{{url: 'https://oauth.pipedrive.com'}}]\n{ok}  /oauth/elsewhere:\n    servers: [{{url: 'https://other.example.com/v9'}}]\n    get:\n      operationId: getElsewhere\n      tags: [Oauth]\n{ok}  /stages:\n    get:\n      operationId: getStages\n      servers: [{{url: 'https://api.pipedrive.com/api/v2/'}}]\n{ok}"
    ));
    let (api, warnings) = lower_with_warnings(&text);
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["getStages"]);
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1oauth~1elsewhere/servers/0/url (operationId `getElsewhere`): `GET /oauth/elsewhere` is served by `https://other.example.com/v9`, not by the document's server `https://api.pipedrive.com/api/v2`; it is left out; expected operations served by the document's server: the generated client sends every request to its one base URL, with its token",
            "v2.yaml: at /paths/~1oauth~1token/post/servers/0/url (operationId `getTokens`): `POST /oauth/token` is served by `https://oauth.pipedrive.com`, not by the document's server `https://api.pipedrive.com/api/v2`; it is left out; expected operations served by the document's server: the generated client sends every request to its one base URL, with its token",
        ]
    );

    // Selecting only such operations is an error that says why there is nothing to generate.
    let loaded = parse_document("v2", "v2.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    let oauth = lower(&[loaded], &only("Oauth")).map(|l| l.api.operations.len());
    let Err(Error::Input(diagnostics)) = oauth else {
        panic!("expected an input error, got {oauth:?}");
    };
    assert!(
        diagnostics[0]
            .to_string()
            .contains("no operation tagged Oauth can be generated: all 2 are served by other servers"),
        "{}",
        diagnostics[0]
    );
}

/// A component that is a `$ref` to another (an alias) is followed to the one it ends at, for
/// parameters, request bodies and responses alike.
#[test]
fn component_refs_are_followed_through_aliases() {
    let text = format!(
        "{}components:\n  parameters:\n    Alias: {{$ref: '#/components/parameters/Limit'}}\n    Limit: {{in: query, name: limit, schema: {{type: integer}}}}\n  requestBodies:\n    Alias: {{$ref: '#/components/requestBodies/Body'}}\n    Body: {{content: {{application/json: {{schema: {{type: object, properties: {{name: {{type: string}}}}}}}}}}}}\n  responses:\n    Alias: {{$ref: '#/components/responses/Ok'}}\n    Ok:\n      description: ok\n      content:\n{}",
        document(
            "  /stages:\n    post:\n      operationId: addStage\n      parameters: [{$ref: '#/components/parameters/Alias'}]\n      requestBody: {$ref: '#/components/requestBodies/Alias'}\n      responses:\n        '200': {$ref: '#/components/responses/Alias'}\n"
        ),
        envelope_content("application/json", "integer"),
    );
    let (api, warnings) = lower_with_warnings(&text);
    assert!(warnings.is_empty(), "{warnings:?}");
    let add = op(&api, "addStage");
    let parameters: Vec<&str> = add.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parameters, ["limit"]);
    assert!(add.request_body.is_some(), "the body behind the alias");
    assert!(
        matches!(
            &add.response.body,
            ResponseBody::Envelope {
                data: TypeRef::Scalar(Scalar::I64),
                additional_data: None,
                related_objects: None,
            }
        ),
        "{:?}",
        add.response.body
    );
}

/// The envelope is found however the document writes it: `allOf: [baseResponse, {data,
/// additional_data}]` (most of v2's lists), with a part that only has a title (v1's fields
/// lists), or behind a `$ref`. The operation returns `data` and its list pages.
#[test]
fn an_envelope_merged_from_all_of_or_behind_a_ref_is_unwrapped_and_its_list_pages() {
    let list = "{type: object, properties: {data: {type: array, items: {type: object, title: Deal, properties: {id: {type: integer}}}}, additional_data: {type: object}}}";
    let base = "{title: baseResponse, type: object, properties: {success: {type: boolean}}}";
    let responses = |schema: &str| {
        format!(
            "      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
        )
    };
    let paths = format!(
        "  /deals:\n    get:\n      operationId: getDeals\n      parameters: [{{in: query, name: cursor, schema: {{type: string}}}}]\n{}  /dealFields:\n    get:\n      operationId: getDealFields\n      parameters: [{{in: query, name: start, schema: {{type: integer}}}}]\n{}  /persons:\n    get:\n      operationId: getPersons\n      parameters: [{{in: query, name: cursor, schema: {{type: string}}}}]\n{}",
        responses(&format!(
            "{{title: GetDealsResponse, type: object, allOf: [{base}, {list}]}}"
        )),
        responses(&format!(
            "{{title: GetFieldsResponse, allOf: [{base}, {{title: FieldsResponse}}, {list}]}}"
        )),
        responses("{$ref: '#/components/schemas/ListResponse'}"),
    );
    let text = format!(
        "{}components:\n  schemas:\n    ListResponse: {{allOf: [{base}, {list}]}}\n",
        document(&paths)
    );
    let (api, warnings) = lower_with_warnings(&text);
    assert!(warnings.is_empty(), "{warnings:?}");
    for id in ["getDeals", "getDealFields", "getPersons"] {
        let operation = op(&api, id);
        assert!(
            matches!(&operation.response.body, ResponseBody::Envelope { data: TypeRef::Array(item), .. } if **item == TypeRef::Named("Deal".into())),
            "{id}: {:?}",
            operation.response.body
        );
        assert!(operation.pagination.is_some(), "{id} pages");
    }
    assert!(
        !names(&api).iter().any(|n| n.ends_with("Response")),
        "no envelope types: {:?}",
        names(&api)
    );
}

/// A tag module is a file, so a tag as long as a sentence gets a module name cut to its first
/// 64 bytes; two tags that are alike that far still get a module each.
#[test]
fn tag_modules_of_very_long_tags_are_shortened_and_stay_unique() {
    let long = "Very ".repeat(60);
    let paths = format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: ['{long}A']\n      responses: {{'200': {{description: ok}}}}\n  /b:\n    get:\n      operationId: getB\n      tags: ['{long}B']\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let api = lower_one(&paths);
    let modules: Vec<&str> = api.tags.iter().map(|t| t.module.as_str()).collect();
    assert_eq!(modules.len(), 2, "{modules:?}");
    assert_ne!(modules[0], modules[1]);
    for module in &modules {
        assert!(module.len() <= 66 && module.starts_with("very_very_"), "{module}");
        assert!(!module.ends_with('_'), "{module}");
    }
    let files = emit_files(&api);
    assert!(
        files.iter().all(|f| f.path.len() < 100),
        "{:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
}

/// What an envelope holds beside `data` is typed where the document describes it: `related_objects`
/// with v1's maps keyed by id (`user: {USER_ID: {...}}` is a map of users, not a struct with a
/// field `USER_ID`), `additional_data` with the pagination state (v1's flat `start`/`limit`
/// typed nested under `pagination`, as the live API sends it), and an undescribed one stays JSON.
#[test]
fn related_objects_and_additional_data_are_typed_and_id_keyed_objects_are_maps() {
    let user = "{type: object, title: userData, properties: {id: {type: integer}, name: {type: string}}}";
    let paths = format!(
        "  /deals:\n    get:\n      operationId: getDeals\n      parameters: [{{in: query, name: start, schema: {{type: integer}}}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{success: {{type: boolean}}, data: {{type: array, items: {{type: object, title: Deal, properties: {{id: {{type: integer}}}}}}}}, additional_data: {{type: object, properties: {{start: {{type: integer}}, limit: {{type: integer}}, more_items_in_collection: {{type: boolean}}}}}}, related_objects: {{type: object, properties: {{user: {{type: object, properties: {{USER_ID: {user}}}}}}}}}}}}}\n  /notes:\n    get:\n      operationId: getNotes\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{success: {{type: boolean}}, data: {{type: object, title: Note, properties: {{content: {{type: string}}}}}}, additional_data: {{type: object}}}}}}\n"
    );
    let api = lower_one(&paths);

    let ResponseBody::Envelope {
        additional_data: Some(TypeRef::Named(additional)),
        related_objects: Some(TypeRef::Named(related)),
        ..
    } = &op(&api, "getDeals").response.body
    else {
        panic!("{:?}", op(&api, "getDeals").response.body)
    };
    let users = field(ty(&api, related), "user");
    assert_eq!(
        users.ty,
        TypeRef::Map(Box::new(TypeRef::Named("UserData".into()))),
        "keyed by the users' ids"
    );
    let pagination = field(ty(&api, additional), "pagination");
    let TypeRef::Named(state) = &pagination.ty else {
        panic!("{:?}", pagination.ty)
    };
    assert_eq!(state, "OffsetPagination");
    let state_fields: Vec<&str> = fields(ty(&api, state)).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(state_fields, ["limit", "more_items_in_collection", "start"]);

    assert!(
        matches!(
            &op(&api, "getNotes").response.body,
            ResponseBody::Envelope {
                additional_data: None,
                related_objects: None,
                ..
            }
        ),
        "an `additional_data` with no fields listed stays JSON: {:?}",
        op(&api, "getNotes").response.body
    );
    let code = squashed(&emit(&api));
    assert!(
        code.contains(&squashed(&format!(
            "runtime::List<types::Deal, types::{additional}, types::{related}>"
        ))),
        "the endpoint decodes the typed parts"
    );
    assert!(
        code.contains(&squashed("runtime::Data<types::Note>")),
        "JSON parts: the marker's defaults"
    );
}

/// An integer the description calls a 0/1 flag is a `bool` read from `0`/`1` or `true`/`false`
/// (v1's `has_pic`, whose examples send both); an integer without such words stays `i64`.
#[test]
fn an_integer_described_as_a_zero_one_flag_is_a_bool_read_either_way() {
    let api = lower_one(&get_returning(
        "                    title: User\n                    type: object\n                    properties:\n                      has_pic: {type: integer, description: 'Whether the user has picture or not. 0 = No picture, 1 = Has picture.'}\n                      count: {type: integer, description: 'How many, 0 or more'}\n",
    ));
    assert_eq!(
        field(ty(&api, "User"), "has_pic").ty,
        TypeRef::Scalar(Scalar::BoolAsNumber)
    );
    assert_eq!(field(ty(&api, "User"), "count").ty, TypeRef::Scalar(Scalar::I64));
}
