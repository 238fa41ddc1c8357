//! Operations: checked parameters, pagination and search results, identifiers and derived
//! operationIds, names shared under one field, success responses and their media types.

#[allow(clippy::wildcard_imports)]
use super::*;

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
    assert!(code.contains("\"xCustom\" => __fields."), "{code}");
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
fn a_success_body_that_is_neither_json_nor_text_is_a_download_and_text_a_string() {
    for (content, body, marker, output) in [
        (
            "{application/octet-stream: {schema: {type: string, format: binary}}}",
            ResponseBody::Binary,
            "runtime::Download",
            "runtime::Bytes",
        ),
        (
            "{image/png: {}}",
            ResponseBody::Binary,
            "runtime::Download",
            "runtime::Bytes",
        ),
        ("{text/csv: {}}", ResponseBody::Text, "runtime::Text", "String"),
    ] {
        let text = document(&format!(
            "  /files/{{id}}/download:\n    get:\n      operationId: downloadFile\n      tags: [Files]\n      parameters:\n        - {{in: path, name: id, required: true, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok, content: {content}}}\n"
        ));
        let (api, _) = lower_with_warnings(&text);
        assert_eq!(op(&api, "downloadFile").response.body, body, "{content}");
        let code = emit(&lower_docs(&[("v2", &text)]).unwrap_or_else(|e| panic!("{e}")));
        assert!(
            code.contains(&format!("type Response = {marker};"))
                && code.contains(&format!("type Output = Result<{output}, runtime::Error>;")),
            "{content}: `send()` returns {output}"
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
