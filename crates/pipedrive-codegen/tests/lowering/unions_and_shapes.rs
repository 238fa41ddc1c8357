//! Shapes: identical schemas interned once, `allOf` merged, `oneOf`/`anyOf` unions and how they
//! are told apart, `additionalProperties`, and deprecation with its replacement.

#[allow(clippy::wildcard_imports)]
use super::*;

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
