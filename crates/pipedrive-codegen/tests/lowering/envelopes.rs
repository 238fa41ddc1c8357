//! Components behind aliases, Pipedrive's envelope however it is written, long tag names, and
//! what an envelope holds beside `data`: `related_objects`, `additional_data`, 0/1 flags.

#[allow(clippy::wildcard_imports)]
use super::*;

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

/// A name the config gives a schema place comes before every rule; two entries that give two
/// types one name are an error naming the entry, not a silently ignored name.
#[test]
fn config_names_come_first_and_a_name_two_types_claim_is_an_error() {
    let paths = "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{in: query, name: sort_by, schema: {type: string, enum: [id, name]}}, {in: query, name: order, schema: {type: string, enum: [asc, desc]}}]\n      responses: {'200': {description: ok}}\n";
    let text = document(paths);
    let lower_named = |given: &[(&str, &str)]| {
        let loaded = parse_document("v2", "v2.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
        let given: Vec<pipedrive_codegen::config::TypeName> = given
            .iter()
            .map(|(at, name)| pipedrive_codegen::config::TypeName {
                at: (*at).to_owned(),
                name: (*name).to_owned(),
            })
            .collect();
        pipedrive_codegen::lower::lower_with(
            &[loaded],
            &TagSelection::All,
            &pipedrive_codegen::lower::Naming {
                given: &given,
                config_file: "codegen.yaml",
                ..Default::default()
            },
        )
    };
    let sort_by = "v2.yaml#/paths/~1a/get/parameters/0/schema";
    let order = "v2.yaml#/paths/~1a/get/parameters/1/schema";

    let api = lower_named(&[(sort_by, "SortField")])
        .unwrap_or_else(|e| panic!("{e}"))
        .api;
    assert_eq!(names(&api), ["GetAOrder", "SortField"]);

    let clash = lower_named(&[(sort_by, "Sorting"), (order, "Sorting")]);
    let Err(error) = clash else {
        panic!("two types named `Sorting` were accepted")
    };
    let message = error.to_string();
    assert!(
        message.contains("codegen.yaml") && message.contains("another type has that name"),
        "{message}"
    );
}
