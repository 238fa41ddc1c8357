//! Scalars, formats (read from the documents' prose too), 0/1 flags, enums open and closed, and
//! request structs: what a schema's type becomes.

#[allow(clippy::wildcard_imports)]
use super::*;

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
            r#"("active", pipedrive_runtime::serde_helpers::present(&self.active.map(|value| { value.map(pipedrive_runtime::serde_helpers::ZeroOne) })"#
        ),
        "{code}"
    );
    assert!(
        has(
            r#""active" => { __fields.0 = Some(map.next_value::<Option<pipedrive_runtime::serde_helpers::ZeroOne>>()?.map(|flag| flag.0)); }"#
        ),
        "{code}"
    );
    assert!(has("pub everyone: Option<bool>"), "{code}");
    assert!(
        has(
            r#"("everyone", pipedrive_runtime::serde_helpers::present(&self.everyone.map(pipedrive_runtime::serde_helpers::ZeroOne))"#
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
        squashed(&code).contains(&squashed(
            r#"("days_to_rotten", pipedrive_runtime::serde_helpers::present(&self.days_to_rotten))"#
        )),
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
