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
    Additional, Api, ArrayStyle, BodyEncoding, Deprecation, Direction, EnumVariant, Field, HttpMethod, Literal,
    Operation, Pagination, ParamLocation, Parameter, RequestBody, ResponseBody, Scalar, TypeDef, TypeKind, TypeRef,
    UnionVariant,
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
        maximum: None,
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

#[test]
fn an_api_compared_with_itself_has_no_changes() {
    let api = base();
    let changes = compare(&api, &api);
    assert!(changes.is_empty());
    assert_eq!(changes.severity(), None);
    assert_eq!(next_version("0.1.0", changes.severity()), Ok("0.1.0".to_owned()));
    assert_eq!(
        changes.to_markdown("pipedrive 0.1.0"),
        "## pipedrive 0.1.0\n\nNo changes to the generated API.\n"
    );

    let (shipped, _) = stages_before_and_after();
    let changes = compare(&shipped, &shipped);
    assert!(changes.is_empty(), "{:?}", listed(&changes));
    assert_eq!(changes.severity(), None);
}

#[test]
fn where_a_schema_sits_in_the_document_is_not_a_change() {
    let changes = edited(|api| {
        for op in &mut api.operations {
            op.source = format!("moved.yaml#/elsewhere/{}", op.id);
        }
        for ty in &mut api.types {
            ty.sources.push("moved.yaml#/another/place".to_owned());
        }
    });
    assert_eq!(changes, []);
}

// ---- operations ----

/// `BASE` with one more operation on `/things/{id}`.
fn base_with_delete() -> Api {
    lower_v2(&format!(
        "{BASE}    delete:\n      operationId: deleteThing\n      tags: [Things]\n      parameters:\n        - {{in: path, name: id, required: true, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok}}\n"
    ))
}

#[test]
fn operations_added_are_minor_and_removed_are_major() {
    let (old, new) = (base(), base_with_delete());
    assert_eq!(
        listed(&compare(&old, &new)),
        change(
            Severity::Minor,
            "Added operation `v2 deleteThing` (`DELETE /api/v2/things/{id}`)"
        )
    );
    assert_eq!(
        listed(&compare(&new, &old)),
        change(
            Severity::Major,
            "Removed operation `v2 deleteThing` (`DELETE /api/v2/things/{id}`)"
        )
    );
    // Removing a deprecated operation points at what replaces it.
    let mut deprecated = new.clone();
    op_mut(&mut deprecated, "deleteThing").deprecation = Some(Deprecation {
        note: "use v3".to_owned(),
        replacement: Some("DELETE /api/v3/things/{id}".to_owned()),
        replacement_source: None,
        replacement_target: None,
    });
    assert_eq!(
        listed(&compare(&deprecated, &old)),
        change(
            Severity::Major,
            "Removed operation `v2 deleteThing` (`DELETE /api/v2/things/{id}`); use `DELETE /api/v3/things/{id}` instead"
        )
    );
}

#[test]
fn deprecating_and_undeprecating_are_minor() {
    let old = base();
    let new = lower_v2(&BASE.replace(
        "      operationId: getThing\n",
        "      operationId: getThing\n      deprecated: true\n",
    ));
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Minor, "`v2 getThing`: now deprecated")
    );
    assert_eq!(
        listed(&compare(&new, &old)),
        change(Severity::Minor, "`v2 getThing`: no longer deprecated")
    );
    let with_replacement = edited(|api| {
        op_mut(api, "getThing").deprecation = Some(Deprecation {
            note: "use v3".to_owned(),
            replacement: Some("GET /api/v3/things/{id}".to_owned()),
            replacement_source: None,
            replacement_target: None,
        });
    });
    assert_eq!(
        with_replacement,
        change(
            Severity::Minor,
            "`v2 getThing`: now deprecated; use `GET /api/v3/things/{id}` instead"
        )
    );
}

#[test]
fn a_new_method_or_path_is_major() {
    assert_eq!(
        edited(|api| op_mut(api, "getThing").method = HttpMethod::Put),
        change(
            Severity::Major,
            "`v2 getThing`: request is now `PUT /api/v2/things/{id}` (was `GET /api/v2/things/{id}`)"
        )
    );
    assert_eq!(
        edited(|api| op_mut(api, "getThing").full_path = "/api/v2/items/{id}".to_owned()),
        change(
            Severity::Major,
            "`v2 getThing`: request is now `GET /api/v2/items/{id}` (was `GET /api/v2/things/{id}`)"
        )
    );
}

#[test]
fn token_cost_scopes_summary_and_description_are_patch() {
    let cases: &[(Edit, &str)] = &[
        (
            |api| op_mut(api, "getThings").token_cost = Some(2),
            "`v2 getThings`: token cost is now 2 (was 5)",
        ),
        (
            |api| op_mut(api, "getThings").oauth_scopes = vec!["things:read".to_owned()],
            "`v2 getThings`: OAuth scopes are now `things:read` (were `things:read`, `admin`)",
        ),
        (
            |api| op_mut(api, "getThings").summary = Some("List\nthings".to_owned()),
            "`v2 getThings`: summary is now \"List things\" (was \"Get all things\")",
        ),
        (
            |api| op_mut(api, "getThings").description = None,
            "`v2 getThings`: description changed",
        ),
        (
            |api| op_mut(api, "getThing").response.statuses = vec![200, 201],
            "`v2 getThing`: success statuses are now 200, 201 (were 200)",
        ),
    ];
    for &(edit, message) in cases {
        assert_eq!(edited(edit), change(Severity::Patch, message));
    }
}

// ---- parameters ----

#[test]
fn parameter_changes() {
    let cases: &[Case] = &[
        (
            |api| {
                op_mut(api, "getThings")
                    .parameters
                    .push(new_param("include_fields", STRING, false))
            },
            Severity::Minor,
            "`v2 getThings`: new optional parameter `include_fields` (`string`)",
        ),
        (
            |api| op_mut(api, "getThings").parameters.push(new_param("owner", I64, true)),
            Severity::Major,
            "`v2 getThings`: new required parameter `owner` (`i64`)",
        ),
        (
            |api| op_mut(api, "getThings").parameters.retain(|p| p.name != "owner_id"),
            Severity::Major,
            "`v2 getThings`: removed optional parameter `owner_id` (`i64`)",
        ),
        (
            |api| param_mut(api, "getThings", "owner_id").ty = STRING,
            Severity::Major,
            "`v2 getThings`: parameter `owner_id` is now `string` (was `i64`)",
        ),
        (
            |api| param_mut(api, "getThings", "owner_id").required = true,
            Severity::Major,
            "`v2 getThings`: parameter `owner_id` is now required",
        ),
        // A path parameter is an argument whatever its `required` says (the URL needs it), so
        // the builder does not change. (Lowering makes every path parameter required anyway.)
        (
            |api| param_mut(api, "getThing", "id").required = false,
            Severity::Patch,
            "`v2 getThing`: parameter `id` is now optional",
        ),
        (
            |api| param_mut(api, "getThings", "sort_by").default = Some(Literal::String("name".to_owned())),
            Severity::Patch,
            "`v2 getThings`: parameter `sort_by` defaults to `name` (was `id`)",
        ),
        (
            |api| param_mut(api, "getThings", "owner_id").default = Some(Literal::Integer(0)),
            Severity::Patch,
            "`v2 getThings`: parameter `owner_id` now defaults to `0`",
        ),
        (
            |api| param_mut(api, "getThings", "limit").maximum = Some(1000),
            Severity::Minor,
            "`v2 getThings`: parameter `limit` accepts at most 1000 (was 500)",
        ),
        (
            |api| param_mut(api, "getThings", "limit").maximum = None,
            Severity::Minor,
            "`v2 getThings`: parameter `limit` no longer has a maximum (was 500)",
        ),
        (
            |api| param_mut(api, "getThings", "owner_id").deprecated = true,
            Severity::Minor,
            "`v2 getThings`: parameter `owner_id` is now deprecated",
        ),
        (
            |api| param_mut(api, "getThings", "sort_by").description = Some("Sort key.".to_owned()),
            Severity::Patch,
            "`v2 getThings`: parameter `sort_by`: description changed",
        ),
        // A text parameter that becomes a list: the type says it; how a list is sent is no
        // second change (there was no list before).
        (
            |api| {
                let param = param_mut(api, "getThings", "owner_id");
                param.ty = TypeRef::Array(Box::new(I64));
                param.array_style = Some(ArrayStyle { explode: false });
            },
            Severity::Major,
            "`v2 getThings`: parameter `owner_id` is now `[i64]` (was `i64`)",
        ),
    ];
    for &(edit, severity, message) in cases {
        assert_eq!(edited(edit), change(severity, message));
    }
}

#[test]
fn a_list_parameter_sent_another_way_says_how() {
    let list = |api: &mut Api, explode: bool| {
        let param = param_mut(api, "getThings", "owner_id");
        param.ty = TypeRef::Array(Box::new(I64));
        param.array_style = Some(ArrayStyle { explode });
    };
    let mut old = base();
    list(&mut old, true);
    let mut new = old.clone();
    list(&mut new, false);
    assert_eq!(
        listed(&compare(&old, &new)),
        change(
            Severity::Patch,
            "`v2 getThings`: parameter `owner_id` is now sent as `owner_id=1,2` (was `owner_id=1&owner_id=2`)"
        )
    );
}

#[test]
fn a_parameter_that_moves_to_a_header_is_removed_and_added() {
    let changes = edited(|api| param_mut(api, "getThings", "owner_id").location = ParamLocation::Header);
    assert_eq!(
        changes,
        [
            (
                Severity::Major,
                "`v2 getThings`: removed optional parameter `owner_id` (`i64`)".to_owned()
            ),
            (
                Severity::Minor,
                "`v2 getThings`: new optional header parameter `owner_id` (`i64`)".to_owned()
            ),
        ]
    );
}

// ---- request body ----

fn whole_body(required: bool) -> RequestBody {
    RequestBody {
        encoding: BodyEncoding::Json,
        ty: TypeRef::Array(Box::new(I64)),
        required,
    }
}

#[test]
fn request_body_changes() {
    let cases: &[Case] = &[
        (
            |api| op_mut(api, "getThing").request_body = Some(whole_body(false)),
            Severity::Minor,
            "`v2 getThing`: new optional request body (`[i64]`)",
        ),
        (
            |api| op_mut(api, "getThing").request_body = Some(whole_body(true)),
            Severity::Major,
            "`v2 getThing`: new required request body (`[i64]`)",
        ),
        // A struct body's required fields become constructor arguments, whatever `required` says.
        (
            |api| {
                let body = op_mut(api, "addThing").request_body.clone();
                op_mut(api, "getThing").request_body = body;
            },
            Severity::Major,
            "`v2 getThing`: new request body (`AddThingRequest`) with required field `name`",
        ),
        (
            |api| op_mut(api, "addThing").request_body = None,
            Severity::Major,
            "`v2 addThing`: request body removed (was `AddThingRequest`)",
        ),
        (
            |api| {
                if let Some(body) = &mut op_mut(api, "addThing").request_body {
                    body.ty = TypeRef::Named("Thing".to_owned());
                }
            },
            Severity::Major,
            "`v2 addThing`: request body is now `Thing` (was `AddThingRequest`)",
        ),
        (
            |api| {
                if let Some(body) = &mut op_mut(api, "addThing").request_body {
                    body.encoding = BodyEncoding::Form;
                }
            },
            Severity::Patch,
            "`v2 addThing`: request body is sent as a URL-encoded form (was JSON)",
        ),
        // The fields of a struct body are the inputs; whether the body itself is required
        // changes nothing in Rust.
        (
            |api| {
                if let Some(body) = &mut op_mut(api, "addThing").request_body {
                    body.required = true;
                }
            },
            Severity::Patch,
            "`v2 addThing`: request body is now required",
        ),
    ];
    for &(edit, severity, message) in cases {
        assert_eq!(edited(edit), change(severity, message));
    }
    // A struct body with optional fields only adds setters.
    let mut old = base();
    let mut filter = type_mut(&mut old, "AddThingRequest").clone();
    filter.name = "ThingFilter".to_owned();
    if let TypeKind::Struct { fields, .. } = &mut filter.kind {
        fields.retain(|f| !f.required);
    }
    old.types.push(filter);
    let mut new = old.clone();
    op_mut(&mut new, "getThing").request_body = Some(RequestBody {
        encoding: BodyEncoding::Json,
        ty: TypeRef::Named("ThingFilter".to_owned()),
        required: false,
    });
    assert_eq!(
        listed(&compare(&old, &new)),
        change(
            Severity::Minor,
            "`v2 getThing`: new request body (`ThingFilter`) with optional fields only"
        )
    );
    // A whole body is a setter when optional and a constructor argument when required.
    let mut old = base();
    op_mut(&mut old, "getThing").request_body = Some(whole_body(false));
    let mut new = old.clone();
    op_mut(&mut new, "getThing").request_body = Some(whole_body(true));
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Major, "`v2 getThing`: request body is now required")
    );
}

// ---- response and pagination ----

#[test]
fn response_and_pagination_changes() {
    let cases: &[Case] = &[
        (
            |api| {
                op_mut(api, "getThing").response.body = ResponseBody::Envelope {
                    data: TypeRef::Named("Thing".to_owned()),
                    additional_data: None,
                    related_objects: None,
                }
            },
            Severity::Major,
            "`v2 getThing`: now returns `Thing` (was no data)",
        ),
        (
            |api| op_mut(api, "getThings").pagination = None,
            Severity::Major,
            "`v2 getThings`: no longer pages (was by cursor; `stream()` and `pages()` are gone)",
        ),
        (
            |api| {
                op_mut(api, "getThings").pagination = Some(Pagination::Offset {
                    start_param: "start".to_owned(),
                    limit_param: Some("limit".to_owned()),
                    data_items: None,
                })
            },
            Severity::Major,
            "`v2 getThings`: now pages by offset (was by cursor)",
        ),
        (
            |api| {
                op_mut(api, "getThings").pagination = Some(Pagination::Cursor {
                    cursor_param: "cursor".to_owned(),
                    limit_param: None,
                    data_items: None,
                })
            },
            Severity::Patch,
            "`v2 getThings`: pages with `cursor` only (was `cursor` and `limit`)",
        ),
        (
            |api| {
                op_mut(api, "getThing").pagination = Some(Pagination::Cursor {
                    cursor_param: "cursor".to_owned(),
                    limit_param: None,
                    data_items: None,
                })
            },
            Severity::Minor,
            "`v2 getThing`: now pages by cursor (`stream()` and `pages()`)",
        ),
        (
            |api| {
                op_mut(api, "getThings").pagination = Some(Pagination::Cursor {
                    cursor_param: "cursor".to_owned(),
                    limit_param: Some("limit".to_owned()),
                    data_items: Some(TypeRef::Named("Thing".to_owned())),
                })
            },
            Severity::Major,
            "`v2 getThings`: pages now hold `data.items` of `Thing` (held `data`)",
        ),
    ];
    for &(edit, severity, message) in cases {
        assert_eq!(edited(edit), change(severity, message));
    }
}

// ---- named types ----

#[test]
fn types_added_are_minor_removed_are_major_and_renamed_are_major_once() {
    let old = base();
    let mut new = old.clone();
    let mut widget = type_mut(&mut new, "Thing").clone();
    widget.name = "Widget".to_owned();
    new.types.push(widget);
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Minor, "Added response struct `v2 Widget`")
    );
    assert_eq!(
        listed(&compare(&new, &old)),
        change(Severity::Major, "Removed response struct `v2 Widget`")
    );
    // The same schema under another name is one change, a rename; the parameter that holds it
    // is unchanged, though it names the type anew.
    assert_eq!(
        edited(|api| {
            type_mut(api, "GetThingsSortBy").name = "SortKey".to_owned();
            param_mut(api, "getThings", "sort_by").ty = TypeRef::Named("SortKey".to_owned());
        }),
        change(
            Severity::Major,
            "Renamed request enum `v2 GetThingsSortBy` to `SortKey`"
        )
    );
    // Another schema that takes the name is a type removed and one added.
    assert_eq!(
        edited(|api| {
            let sort = type_mut(api, "GetThingsSortBy");
            sort.name = "SortKey".to_owned();
            sort.sources = vec!["v2.yaml#/elsewhere".to_owned()];
            param_mut(api, "getThings", "sort_by").ty = TypeRef::Named("SortKey".to_owned());
        }),
        [
            (
                Severity::Major,
                "`v2 getThings`: parameter `sort_by` is now `SortKey` (was `GetThingsSortBy`)".to_owned()
            ),
            (Severity::Major, "Removed request enum `v2 GetThingsSortBy`".to_owned()),
            (Severity::Minor, "Added request enum `v2 SortKey`".to_owned()),
        ]
    );
}

#[test]
fn response_struct_field_changes() {
    let cases: &[Case] = &[
        // Response structs are `#[non_exhaustive]`.
        (
            |api| fields_mut(api, "Thing").push(new_field("color", STRING, false)),
            Severity::Minor,
            "Struct `v2 Thing`: new field `color` (`string`)",
        ),
        (
            |api| fields_mut(api, "Thing").retain(|f| f.name != "name"),
            Severity::Major,
            "Struct `v2 Thing`: removed field `name`",
        ),
        (
            |api| field_mut(api, "Thing", "name").ty = I64,
            Severity::Major,
            "Struct `v2 Thing`: field `name` is now `i64` (was `string`)",
        ),
        (
            |api| field_mut(api, "Thing", "name").required = true,
            Severity::Major,
            "Struct `v2 Thing`: field `name` is now required",
        ),
        // `i64` becomes `Option<i64>`.
        (
            |api| field_mut(api, "Thing", "id").required = false,
            Severity::Major,
            "Struct `v2 Thing`: field `id` is now optional",
        ),
        (
            |api| field_mut(api, "Thing", "label").nullable = false,
            Severity::Major,
            "Struct `v2 Thing`: field `label` is no longer nullable",
        ),
        (
            |api| field_mut(api, "Thing", "name").deprecated = true,
            Severity::Minor,
            "Struct `v2 Thing`: field `name` is now deprecated",
        ),
        (
            |api| field_mut(api, "Thing", "name").description = None,
            Severity::Patch,
            "Struct `v2 Thing`: field `name`: description changed",
        ),
        (
            |api| type_mut(api, "Thing").description = Some("A thing.".to_owned()),
            Severity::Patch,
            "Struct `v2 Thing`: description changed",
        ),
    ];
    for &(edit, severity, message) in cases {
        assert_eq!(edited(edit), change(severity, message));
    }
}

#[test]
fn request_struct_field_changes() {
    let cases: &[Case] = &[
        // One more setter on the builder.
        (
            |api| fields_mut(api, "AddThingRequest").push(new_field("size", I64, false)),
            Severity::Minor,
            "Struct `v2 AddThingRequest`: new optional field `size` (`i64`)",
        ),
        // One more argument of `add_thing(...)`.
        (
            |api| fields_mut(api, "AddThingRequest").push(new_field("size", I64, true)),
            Severity::Major,
            "Struct `v2 AddThingRequest`: new required field `size` (`i64`)",
        ),
        (
            |api| field_mut(api, "AddThingRequest", "color").required = true,
            Severity::Major,
            "Struct `v2 AddThingRequest`: field `color` is now required",
        ),
    ];
    for &(edit, severity, message) in cases {
        assert_eq!(edited(edit), change(severity, message));
    }
    // A nullable optional field is `Option<Option<T>>`, and the builder gains the method that
    // sends `null`.
    assert_eq!(
        edited(|api| field_mut(api, "AddThingRequest", "color").nullable = true),
        [
            (
                Severity::Major,
                "Struct `v2 AddThingRequest`: field `color` is now nullable".to_owned()
            ),
            (
                Severity::Minor,
                "`v2 addThing`: new method `clear_color()` sends `color` as `null`".to_owned()
            ),
        ]
    );
    // `name` leaves `add_thing(name)`; with no required field left the struct gains `Default`.
    assert_eq!(
        edited(|api| field_mut(api, "AddThingRequest", "name").required = false),
        [
            (
                Severity::Major,
                "Struct `v2 AddThingRequest`: field `name` is now optional".to_owned()
            ),
            (
                Severity::Minor,
                "Struct `v2 AddThingRequest`: now implements `Default`".to_owned()
            ),
        ]
    );
}

#[test]
fn an_input_renamed_by_a_clash_is_major_for_a_setter_and_a_patch_for_an_argument() {
    // A new query parameter `name` takes the builder's `name`; the body field it shared the name
    // with is now `name2`. The body type itself did not change: only the recorded builder
    // surface shows the rename. `name` is a required field, an argument of `add_thing(name)`:
    // arguments are passed by position, so the rename is only a patch. An optional one is a
    // setter, and its rename breaks the calls.
    /// `addThing` gets an optional query parameter named `name`.
    fn add_query_parameter(api: &mut Api, name: &str) {
        let mut param = param_mut(api, "getThings", "owner_id").clone();
        param.name = name.to_owned();
        param.rust_name = name.to_owned();
        op_mut(api, "addThing").parameters.push(param);
    }
    assert_eq!(
        edited(|api| add_query_parameter(api, "name")),
        [
            (
                Severity::Minor,
                "`v2 addThing`: new optional parameter `name` (`i64`)".to_owned()
            ),
            (
                Severity::Patch,
                "`v2 addThing`: body field `name` is set with `name2` (was `name`)".to_owned()
            ),
        ]
    );
    assert_eq!(
        edited(|api| add_query_parameter(api, "color")),
        [
            (
                Severity::Major,
                "`v2 addThing`: body field `color` is set with `color2` (was `color`)".to_owned()
            ),
            (
                Severity::Minor,
                "`v2 addThing`: new optional parameter `color` (`i64`)".to_owned()
            ),
        ]
    );
}

#[test]
fn a_response_struct_that_loses_default_says_so() {
    // A required field of a named type has no empty value, so `Thing` stops deriving `Default`.
    assert_eq!(
        edited(|api| field_mut(api, "Thing", "value").required = true),
        [
            (
                Severity::Major,
                "Struct `v2 Thing`: field `value` is now required".to_owned()
            ),
            (
                Severity::Major,
                "Struct `v2 Thing`: no longer implements `Default`".to_owned()
            ),
        ]
    );
}

#[test]
fn enum_values_added_are_minor_and_removed_are_major() {
    let old = base();
    let new = lower_v2(&BASE.replace("enum: [id, name]", "enum: [id, name, add_time]"));
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Minor, "Enum `v2 GetThingsSortBy`: new value `add_time`")
    );
    assert_eq!(
        listed(&compare(&new, &old)),
        change(Severity::Major, "Enum `v2 GetThingsSortBy`: removed value `add_time`")
    );
}

#[test]
fn other_enum_changes() {
    let cases: &[Case] = &[
        (
            |api| {
                if let Some(v) = enum_variants_mut(api, "GetThingsSortBy").last_mut() {
                    v.rust_name = "Title".to_owned();
                }
            },
            Severity::Major,
            "Enum `v2 GetThingsSortBy`: value `name` is now variant `Title` (was `Name`)",
        ),
        (
            |api| {
                if let TypeKind::Enum { open, .. } = &mut type_mut(api, "GetThingsSortBy").kind {
                    *open = true;
                }
            },
            Severity::Major,
            "Enum `v2 GetThingsSortBy`: now keeps values it does not list in `UnknownValue`",
        ),
        (
            |api| {
                if let TypeKind::Enum { default, .. } = &mut type_mut(api, "GetThingsSortBy").kind {
                    *default = Some(Literal::String("name".to_owned()));
                }
            },
            Severity::Patch,
            "Enum `v2 GetThingsSortBy`: defaults to `name` (was `id`)",
        ),
        // No default variant, no `Default` impl.
        (
            |api| {
                if let TypeKind::Enum { default, .. } = &mut type_mut(api, "GetThingsSortBy").kind {
                    *default = None;
                }
            },
            Severity::Major,
            "Enum `v2 GetThingsSortBy`: no longer has a default (was `id`)",
        ),
    ];
    for &(edit, severity, message) in cases {
        assert_eq!(edited(edit), change(severity, message));
    }
}

#[test]
fn union_variant_changes_are_major() {
    let cases: &[(Edit, &str)] = &[
        (
            |api| {
                union_variants_mut(api, "ThingValue").push(UnionVariant {
                    rust_name: "Bool".to_owned(),
                    ty: TypeRef::Scalar(Scalar::Bool),
                    tag: None,
                })
            },
            "Union `v2 ThingValue`: new variant `Bool` (`bool`)",
        ),
        (
            |api| union_variants_mut(api, "ThingValue").retain(|v| v.rust_name != "Integer"),
            "Union `v2 ThingValue`: removed variant `Integer` (`i64`)",
        ),
        (
            |api| {
                if let Some(v) = union_variants_mut(api, "ThingValue").last_mut() {
                    v.ty = TypeRef::Scalar(Scalar::F64);
                }
            },
            "Union `v2 ThingValue`: variant `Integer` is now `f64` (was `i64`)",
        ),
        (
            |api| union_variants_mut(api, "ThingValue").reverse(),
            "Union `v2 ThingValue`: variants are tried in a different order",
        ),
    ];
    for &(edit, message) in cases {
        assert_eq!(edited(edit), change(Severity::Major, message));
    }
}

#[test]
fn a_type_that_changes_kind_or_direction_is_major() {
    assert_eq!(
        edited(|api| {
            type_mut(api, "ThingValue").kind = TypeKind::Struct {
                fields: Vec::new(),
                additional: Additional::Json,
            }
        }),
        change(Severity::Major, "Struct `v2 ThingValue`: now a struct (was a union)")
    );
    assert_eq!(
        edited(|api| type_mut(api, "ThingValue").direction = Direction::Request),
        change(
            Severity::Major,
            "Union `v2 ThingValue`: now a request type (was a response type)"
        )
    );
}

#[test]
fn documents_and_tags() {
    assert_eq!(
        edited(|api| {
            if let Some(doc) = api.documents.first_mut() {
                doc.version = "2.1.0".to_owned();
            }
        }),
        change(Severity::Patch, "API `v2`: document version 2.1.0 (was 2.0.0)")
    );
    assert_eq!(
        edited(|api| {
            if let Some(tag) = api.tags.first_mut() {
                tag.description = Some("Things.".to_owned());
            }
        }),
        change(Severity::Patch, "Tag `v2 Things`: description changed")
    );
    let old = base();
    let mut new = old.clone();
    let mut deals = new.tags.first().cloned().unwrap_or_else(|| panic!("no tag"));
    deals.name = "Deals".to_owned();
    deals.module = "deals".to_owned();
    deals.struct_name = "Deals".to_owned();
    new.tags.push(deals);
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Minor, "Added tag `v2 Deals` (`client.v2().deals()`)")
    );
    assert_eq!(
        listed(&compare(&new, &old)),
        change(Severity::Major, "Removed tag `v2 Deals` (`client.v2().deals()`)")
    );
}

// ---- order and rendering ----

#[test]
fn changes_are_sorted_by_severity_then_subject_and_render_the_same_every_time() {
    let old = base();
    let mut new = base_with_delete();
    op_mut(&mut new, "getThings").token_cost = Some(3);
    fields_mut(&mut new, "Thing").push(new_field("color", STRING, false));
    type_mut(&mut new, "Thing").description = Some("A thing.".to_owned());
    op_mut(&mut new, "addThing")
        .parameters
        .push(new_param("dry_run", TypeRef::Scalar(Scalar::Bool), false));
    new.operations.retain(|o| o.id != "getThing");
    // The comparison must not depend on the order of the lists it is given.
    let mut shuffled = new.clone();
    shuffled.operations.reverse();
    shuffled.types.reverse();

    let changes = compare(&old, &new);
    assert_eq!(compare(&old, &shuffled), changes);
    assert_eq!(changes.severity(), Some(Severity::Major));
    let subjects: Vec<&Subject> = changes.changes().iter().map(|c| &c.subject).collect();
    assert_eq!(
        subjects.first(),
        Some(&&Subject::Operation {
            api: "v2".to_owned(),
            id: "getThing".to_owned()
        })
    );
    let markdown = changes.to_markdown("pipedrive 0.2.0");
    assert_eq!(markdown, changes.to_markdown("pipedrive 0.2.0"));
    assert_eq!(
        markdown,
        "## pipedrive 0.2.0

Breaking changes (semver major).

### Breaking

- Removed operation `v2 getThing` (`GET /api/v2/things/{id}`)

### Non-breaking

- `v2 addThing`: new optional parameter `dry_run` (`bool`)
- Added operation `v2 deleteThing` (`DELETE /api/v2/things/{id}`)
- Struct `v2 Thing`: new field `color` (`string`)

### Documentation and metadata

- `v2 getThings`: token cost is now 3 (was 5)
- Struct `v2 Thing`: description changed
"
    );
}

#[test]
fn verdicts_follow_the_highest_severity() {
    let minor = compare(&base(), &base_with_delete());
    assert_eq!(minor.severity(), Some(Severity::Minor));
    assert!(
        minor
            .to_markdown("x")
            .starts_with("## x\n\nAdditions (semver minor).\n\n### Non-breaking\n")
    );
    let old = base();
    let mut new = old.clone();
    op_mut(&mut new, "getThings").token_cost = Some(3);
    let patch = compare(&old, &new);
    assert_eq!(patch.severity(), Some(Severity::Patch));
    assert!(
        patch
            .to_markdown("x")
            .starts_with("## x\n\nDocumentation and metadata only (semver patch).\n\n### Documentation and metadata\n")
    );
    assert_eq!(next_version("0.1.0", patch.severity()), Ok("0.1.1".to_owned()));
    assert_eq!(next_version("1.4.2", minor.severity()), Ok("1.5.0".to_owned()));
}

// ---- the real update: Pipedrive's v1 document of 2026-01-14 → 2026-08-18 ----

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

#[test]
fn the_2026_08_18_update_removes_six_deprecated_v1_stages_operations() {
    let (before, after) = stages_before_and_after();
    let changes = compare(&before, &after);

    let removed: Vec<(&str, &str)> = changes
        .changes()
        .iter()
        .filter(|c| c.message.starts_with("Removed operation"))
        .filter_map(|c| match &c.subject {
            Subject::Operation { api, id } => Some((api.as_str(), id.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        removed,
        [
            ("v1", "addStage"),
            ("v1", "deleteStage"),
            ("v1", "deleteStages"),
            ("v1", "getStage"),
            ("v1", "getStages"),
            ("v1", "updateStage"),
        ]
    );
    // Every removed operation was deprecated before the update.
    for (_, id) in &removed {
        let op = before.operations.iter().find(|o| o.api == "v1" && o.id == *id);
        assert!(op.is_some_and(|o| o.deprecation.is_some()), "{id} was not deprecated");
    }
    // The types only those operations used go with them; `DealStrict` (getStageDeals) stays.
    let removed_types: Vec<&str> = changes
        .changes()
        .iter()
        .filter(|c| c.message.starts_with("Removed ") && !c.message.starts_with("Removed operation"))
        .filter_map(|c| match &c.subject {
            Subject::Type { api, name } if api == "v1" => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        removed_types,
        [
            "AddStageRequest",
            "DeleteStageResponse",
            "DeleteStagesResponse",
            "Stage",
            "StageWithPipelineInfo",
            "UpdateStageRequest",
        ]
    );
    assert!(after.types.iter().any(|t| t.api == "v1" && t.name == "DealStrict"));
    assert_eq!(
        changes.changes().len(),
        removed.len() + removed_types.len(),
        "{:#?}",
        changes.changes()
    );
    // Nothing about v2 changed, and `getStageDeals`, the one v1 Stages operation kept, is as it was.
    assert!(
        changes.changes().iter().all(|c| match &c.subject {
            Subject::Document { api } | Subject::Tag { api, .. } | Subject::Type { api, .. } => api == "v1",
            Subject::Operation { api, id } => api == "v1" && id != "getStageDeals",
            Subject::Generator { .. } => false,
        }),
        "{:#?}",
        changes.changes()
    );
    assert_eq!(changes.severity(), Some(Severity::Major));
    assert_eq!(next_version("0.1.0", changes.severity()), Ok("0.2.0".to_owned()));

    insta::assert_snapshot!(
        "stages_2026_01_14_to_2026_08_18",
        changes.to_markdown("pipedrive 0.2.0: Pipedrive API v1 document of 2026-08-18")
    );
}

/// A generation made before the generator's last change: the same IR, an older revision.
fn history(api: Api, generator_revision: u32) -> History {
    History {
        api,
        generator_revision,
        version: "0.3.0".to_owned(),
        changelog: String::new(),
    }
}

#[test]
fn generator_changes_since_the_old_revision_are_listed_and_bump_the_version() {
    let api = base();
    let changes = compare_generations(&api, 0, &api);
    // Every entry, most severe first and otherwise in revision order.
    let mut expected: Vec<(Severity, String)> = GENERATOR_CHANGES
        .iter()
        .map(|c| (c.severity, c.message.to_owned()))
        .collect();
    expected.sort_by_key(|(severity, _)| std::cmp::Reverse(*severity));
    assert!(!expected.is_empty());
    assert_eq!(listed(&changes), expected);
    assert!(
        changes
            .changes()
            .iter()
            .all(|c| matches!(c.subject, Subject::Generator { .. }))
    );

    // The release: version bumped by the most severe entry, and a changelog section naming it.
    let release = plan_release("pipedrive", Some(&history(api.clone(), 0)), &api).unwrap_or_else(|e| panic!("{e}"));
    let severity = GENERATOR_CHANGES.iter().map(|c| c.severity).max();
    assert_eq!(Ok(release.version.clone()), next_version("0.3.0", severity));
    assert_ne!(release.version, "0.3.0");
    let first = GENERATOR_CHANGES[0].message;
    assert!(
        release.changelog.contains(&format!("## pipedrive {}", release.version)),
        "{}",
        release.changelog
    );
    assert!(
        release.changelog.contains(&format!("- {first}\n")),
        "{}",
        release.changelog
    );

    // Made with this generator: nothing to report, the version stays.
    let current = current_revision();
    assert!(compare_generations(&api, current, &api).is_empty());
    let release =
        plan_release("pipedrive", Some(&history(api.clone(), current)), &api).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(release.version, "0.3.0");
    assert!(release.changes.is_empty());

    // Spec changes and generator changes together: both listed, most severe first.
    let mut renamed = api.clone();
    op_mut(&mut renamed, "getThings").summary = Some("Get every thing".to_owned());
    let both = compare_generations(&api, 0, &renamed);
    assert_eq!(
        both.changes().len(),
        GENERATOR_CHANGES.len() + 1,
        "{:#?}",
        both.changes()
    );
    assert!(
        both.changes()
            .iter()
            .any(|c| matches!(c.subject, Subject::Operation { .. }))
    );
}

#[test]
fn api_json_records_the_generator_revision_and_reads_none_as_zero() {
    let dir = std::env::temp_dir().join(format!("pipedrive-codegen-revision-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"pipedrive\"\nversion = \"0.3.0\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let api = base();

    let text = ir_file(&api).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.contains(&format!("\"generator_revision\": {}", current_revision())),
        "{text}"
    );
    std::fs::write(dir.join(IR_FILE), &text).unwrap_or_else(|e| panic!("{e}"));
    let read = read_history(&dir).unwrap_or_else(|e| panic!("{e}"));
    let read = read.unwrap_or_else(|| panic!("no history read"));
    assert_eq!(read.generator_revision, current_revision());
    assert_eq!(read.version, "0.3.0");
    assert_eq!(read.api, api);

    // An api.json from before revisions were recorded has had none of the generator's changes.
    let older = text.replace(&format!("\"generator_revision\": {},", current_revision()), "");
    assert_ne!(older, text);
    std::fs::write(dir.join(IR_FILE), &older).unwrap_or_else(|e| panic!("{e}"));
    let read = read_history(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.map(|h| h.generator_revision), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
