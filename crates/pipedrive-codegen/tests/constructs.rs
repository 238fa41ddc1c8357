//! Standard OpenAPI 3.0 constructs Pipedrive's documents do not use, each on a small document:
//! escaped `$ref`s, `$ref`s into a property, values and defaults of another type than their
//! schema's, parameters listed twice, recursive schemas, `allOf` with a union, media types
//! beyond JSON, HEAD. What they lower to, and the warnings they bring; the crate xtask's behaviour
//! fixture (`xtask/tests/fixtures/behaviour/`) generates from them is checked in
//! (`cargo xtask codegen --fixtures`) and run by the integration crate's `behaviour` tests.

#![allow(clippy::panic, clippy::indexing_slicing)]

use pipedrive_codegen::ir::{Api, BodyEncoding, Field, Literal, ResponseBody, TypeDef, TypeKind, TypeRef};
use pipedrive_codegen::load::parse_document;
use pipedrive_codegen::lower::lower;
use pipedrive_codegen::{Error, TagSelection};

/// A document with `paths` and `components` (both YAML indented by 2).
fn document(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.1\ninfo: {{title: Test API, version: '1'}}\nservers:\n  - url: 'https://api.pipedrive.com/api/v2'\npaths:\n{paths}components:\n{components}"
    )
}

fn lowered(text: &str, selection: &TagSelection) -> Result<(Api, Vec<String>), Error> {
    let loaded = parse_document("v2", "v2.yaml", text)?;
    let lowered = lower(&[loaded], selection)?;
    Ok((lowered.api, lowered.warnings.iter().map(ToString::to_string).collect()))
}

fn lower_ok(text: &str) -> (Api, Vec<String>) {
    lowered(text, &TagSelection::All).unwrap_or_else(|e| panic!("{e}"))
}

fn lower_err(text: &str) -> String {
    match lowered(text, &TagSelection::All) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name} in {names:?}"))
}

fn field<'a>(def: &'a TypeDef, name: &str) -> &'a Field {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no field {name} in {}", def.name)),
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

/// `GET /a` (operationId `getA`, tag `T`) with `parameters` (a YAML flow list) and a JSON
/// response whose whole body is `response` (a YAML flow mapping).
fn get_a(parameters: &str, response: &str) -> String {
    format!(
        "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: {parameters}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {response}\n"
    )
}

#[test]
fn escaped_and_percent_encoded_refs_resolve() {
    let (api, warnings) = lower_ok(&document(
        &get_a(
            "[{in: query, name: x, schema: {$ref: '#/components/schemas/a~1b'}}, {in: query, name: y, schema: {$ref: '#/components/schemas/My%20Item'}}]",
            "{$ref: '#/components/schemas/Tilde~0Thing'}",
        ),
        "  schemas:\n    a/b: {type: string, enum: [left, right]}\n    My Item: {type: integer, enum: [1, 2]}\n    Tilde~Thing: {type: object, properties: {id: {type: integer}}}\n",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    let op = &api.operations[0];
    let names: Vec<String> = op.parameters.iter().map(|p| p.ty.to_string()).collect();
    assert_eq!(names, ["AB", "MyItem"]);
    assert!(matches!(ty(&api, "AB").kind, TypeKind::Enum { .. }));
    assert_eq!(field(ty(&api, "TildeThing"), "id").ty.to_string(), "i64");
}

#[test]
fn a_ref_into_a_property_of_another_schema_is_that_property() {
    let (api, warnings) = lower_ok(&document(
        &get_a(
            "[{in: query, name: status, schema: {$ref: '#/components/schemas/Deal/properties/status'}}]",
            "{type: object, properties: {owner: {$ref: '#/components/schemas/Deal/properties/owner'}, first_tag: {$ref: '#/components/schemas/Deal/properties/tags/items'}}}",
        ),
        "  schemas:\n    Deal:\n      type: object\n      properties:\n        status: {type: string, enum: [open, won]}\n        owner: {$ref: '#/components/schemas/User'}\n        tags: {type: array, items: {type: object, properties: {label: {type: string}}}}\n    User: {type: object, properties: {id: {type: integer}, name: {type: string}}}\n",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    let response = ty(&api, "GetAResponse");
    // Through a property that is itself a `$ref`, the component it names.
    assert_eq!(field(response, "owner").ty.to_string(), "User");
    let tag = field(response, "first_tag").ty.to_string();
    assert!(matches!(ty(&api, &tag).kind, TypeKind::Struct { .. }), "{tag}");
    let status = &api.operations[0].parameters[0];
    assert!(matches!(&status.ty, TypeRef::Named(n) if matches!(ty(&api, n).kind, TypeKind::Enum { .. })));

    let missing = lower_err(&document(
        &get_a(
            "[{in: query, name: s, schema: {$ref: '#/components/schemas/Deal/properties/nope'}}]",
            "{type: object}",
        ),
        "  schemas:\n    Deal: {type: object, properties: {status: {type: string}}}\n",
    ));
    assert!(
        missing.contains("at /paths/~1a/get/parameters/0/schema (operationId `getA`): `$ref: #/components/schemas/Deal/properties/nope` does not resolve"),
        "{missing}"
    );
}

#[test]
fn a_query_parameter_listed_twice_warns_and_the_first_is_sent() {
    let (api, warnings) = lower_ok(&document(
        &get_a(
            "[{in: query, name: q, schema: {type: integer}}, {in: query, name: q, schema: {type: string}}]",
            "{type: object}",
        ),
        "  schemas: {}\n",
    ));
    let params: Vec<String> = api.operations[0]
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, p.ty))
        .collect();
    assert_eq!(params, ["q i64"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("at /paths/~1a/get/parameters/1 (operationId `getA`): parameter `q` is listed twice (first at /paths/~1a/get/parameters/0); the first is used"),
        "{warnings:?}"
    );
}

#[test]
fn all_of_parts_that_retype_a_property_warn_once_and_the_later_wins() {
    let part = |path: &str, id: &str| {
        format!(
            "  {path}:\n    get:\n      operationId: {id}\n      tags: [T]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                allOf:\n                  - {{type: object, properties: {{kind: {{allOf: [{{type: string, enum: [a, b]}}]}}, n: {{type: integer}}}}}}\n                  - {{type: object, properties: {{kind: {{type: string, enum: [a, b, c]}}, n: {{type: integer}}}}}}\n"
        )
    };
    let (api, warnings) = lower_ok(&document(
        &format!("{}{}", part("/a", "getA"), part("/b", "getB")),
        "  schemas: {}\n",
    ));
    assert_eq!(warnings.len(), 1, "one warning for the two copies: {warnings:?}");
    assert!(
        warnings[0].contains("at /paths/~1a/get/responses/200/content/application~1json/schema/allOf/1/properties/kind (operationId `getA`): `allOf` parts give property `kind` two types: a string enum of 2 values (\"a\", \"b\") at /paths/~1a/get/responses/200/content/application~1json/schema/allOf/0/properties/kind, then a string enum of 3 values (\"a\", \"b\", \"c\"); the later one is used"),
        "{warnings:?}"
    );
    let kind = field(ty(&api, "GetAResponse"), "kind").ty.to_string();
    match &ty(&api, &kind).kind {
        TypeKind::Enum { variants, .. } => assert_eq!(variants.len(), 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn values_and_defaults_of_another_type_are_taken_as_the_schema_says_or_left_out() {
    let (api, warnings) = lower_ok(&document(
        &get_a(
            "[{in: query, name: mode, schema: {type: string, enum: [fast, 1, true]}}, {in: query, name: level, schema: {type: integer, enum: [1, '2', x]}}, {in: query, name: limit, schema: {type: integer, default: ten}}]",
            "{type: object}",
        ),
        "  schemas: {}\n",
    ));
    let expected = [
        "at /paths/~1a/get/parameters/0/schema/enum (operationId `getA`): enum values that are not strings: taken as the schema's type: 1 as \"1\", true as \"true\"; expected string values",
        "at /paths/~1a/get/parameters/1/schema/enum (operationId `getA`): enum values that are not integers: taken as the schema's type: \"2\" as 2; left out: \"x\"; expected integer values",
        "at /paths/~1a/get/parameters/2/schema/default (operationId `getA`): the default \"ten\" is a string; it is left out; expected an integer",
    ];
    for text in expected {
        assert!(
            warnings.iter().any(|w| w.contains(text)),
            "no `{text}` in {warnings:#?}"
        );
    }
    let values = |name: &str| match &ty(&api, name).kind {
        TypeKind::Enum { variants, .. } => variants.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let s = |v: &str| Literal::String(v.to_owned());
    assert_eq!(values("GetAMode"), [s("fast"), s("1"), s("true")]);
    assert_eq!(values("GetALevel"), [Literal::Integer(1), Literal::Integer(2)]);
    assert_eq!(api.operations[0].parameters[2].default, None);
    // Without a `type`, a mix says nothing about what is meant: still an error.
    let mixed = lower_err(&document(
        &get_a("[{in: query, name: m, schema: {enum: [fast, 1]}}]", "{type: object}"),
        "  schemas: {}\n",
    ));
    assert!(
        mixed.contains("the enum mixes value types (integer, string)"),
        "{mixed}"
    );
}

/// Whether the field `name` of `def` is boxed, and its type.
fn boxed_field(api: &Api, def: &str, name: &str) -> (bool, String) {
    let f = field(ty(api, def), name);
    (f.boxed, f.ty.to_string())
}

#[test]
fn recursive_schemas_are_types_that_box_what_holds_them_in_place() {
    let (api, warnings) = lower_ok(&document(
        &get_a(
            "[]",
            "{type: object, properties: {root: {$ref: '#/components/schemas/Node'}, a: {$ref: '#/components/schemas/A'}, expr: {$ref: '#/components/schemas/Expr'}}}",
        ),
        "  schemas:\n    Node:\n      type: object\n      properties:\n        name: {type: string}\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        parent: {$ref: '#/components/schemas/Node'}\n        by_name: {type: object, additionalProperties: {$ref: '#/components/schemas/Node'}}\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n    B:\n      allOf:\n        - {type: object, properties: {label: {type: string}}}\n        - {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n    Expr:\n      oneOf:\n        - {type: integer}\n        - {type: object, properties: {not: {$ref: '#/components/schemas/Expr'}}, required: [not]}\n    Unused: {type: array, items: {$ref: '#/components/schemas/Unused'}}\n",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    // Direct: through a `Vec` or a map no box; in place, a box.
    assert_eq!(boxed_field(&api, "Node", "children"), (false, "[Node]".to_owned()));
    assert_eq!(boxed_field(&api, "Node", "by_name"), (false, "map<Node>".to_owned()));
    assert_eq!(boxed_field(&api, "Node", "parent"), (true, "Node".to_owned()));
    // Mutual, through `allOf`: both steps of the cycle boxed, each type once.
    assert_eq!(boxed_field(&api, "A", "b"), (true, "B".to_owned()));
    assert_eq!(boxed_field(&api, "B", "a"), (true, "A".to_owned()));
    assert_eq!(boxed_field(&api, "GetAResponse", "a"), (false, "A".to_owned()));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with('A') || n.starts_with('B'))
            .count(),
        2,
        "{names:?}"
    );
    // Through `oneOf`: the variant holding the expression boxes it.
    let variant = field(ty(&api, "GetAResponse"), "expr").ty.to_string();
    match &ty(&api, &variant).kind {
        TypeKind::Union { variants, .. } => {
            let object = variants
                .iter()
                .find(|v| v.ty.to_string() != "i64")
                .unwrap_or_else(|| panic!("{variants:?}"));
            let not = boxed_field(&api, &object.ty.to_string(), "not");
            assert_eq!(not, (true, variant.clone()), "{variants:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn recursion_with_no_rust_type_is_refused_only_where_an_operation_uses_it() {
    let schemas = "  schemas:\n    Nested: {type: array, items: {$ref: '#/components/schemas/Nested'}}\n    Loop: {allOf: [{$ref: '#/components/schemas/Loop'}, {type: object, properties: {x: {type: integer}}}]}\n";
    let used = |r: &str| {
        format!(
            "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{r}'}}\n  /b:\n    get:\n      operationId: getB\n      tags: [Other]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Loop'}}\n"
        )
    };
    let nested = match lowered(
        &document(&used("Nested"), schemas),
        &TagSelection::Only(["T".to_owned()].into()),
    ) {
        Ok(_) => panic!("an array of itself has no Rust type"),
        Err(e) => e.to_string(),
    };
    assert!(
        nested.contains("at /components/schemas/Nested (operationId `getA`): `$ref: #/components/schemas/Nested` contains itself, but is not an object with properties nor a union"),
        "{nested}"
    );
    assert!(
        !nested.contains("Loop"),
        "`Loop` is used by a tag not selected: {nested}"
    );
    let looped = lower_err(&document(&used("Loop"), schemas));
    assert!(
        looped.contains("the `allOf` at /components/schemas/Loop includes itself"),
        "{looped}"
    );
    // The tag whose schemas are fine generates, the others' loops notwithstanding.
    let text = document(
        &used("Nested").replace("schemas/Nested", "schemas/Fine"),
        &format!("{schemas}    Fine: {{type: object}}\n"),
    );
    assert!(lowered(&text, &TagSelection::Only(["T".to_owned()].into())).is_ok());
}

#[test]
fn all_of_an_object_and_a_one_of_is_a_union_of_the_object_with_each_variant() {
    let (api, warnings) = lower_ok(&document(
        &get_a("[]", "{$ref: '#/components/schemas/Pet'}"),
        "  schemas:\n    Base: {type: object, required: [name], properties: {name: {type: string}}}\n    Pet:\n      allOf:\n        - {$ref: '#/components/schemas/Base'}\n        - oneOf:\n            - {title: Cat, type: object, properties: {kind: {type: string, enum: [cat]}, lives: {type: integer}}}\n            - {title: Dog, type: object, properties: {kind: {type: string, enum: [dog]}, good: {type: boolean}}}\n",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    let (variants, discriminator) = match &ty(&api, "Pet").kind {
        TypeKind::Union {
            variants,
            discriminator,
        } => (variants, discriminator),
        other => panic!("{other:?}"),
    };
    assert_eq!(discriminator.as_deref(), Some("kind"));
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["Cat", "Dog"]);
    for (variant, own) in [("Cat", "lives"), ("Dog", "good")] {
        let def = ty(&api, variant);
        assert!(field(def, "name").required, "the base's fields are in every variant");
        let _ = field(def, own);
    }
    let refused = lower_err(&document(
        &get_a(
            "[]",
            "{allOf: [{type: object, properties: {a: {type: string}}}, {oneOf: [{type: integer}, {type: string}]}]}",
        ),
        "  schemas: {}\n",
    ));
    assert!(refused.contains("/allOf/1/oneOf/0 (operationId `getA`): a variant of a union that `allOf` combines with an object is not an object"), "{refused}");
}

#[test]
fn head_operations_have_no_body_whatever_the_document_describes() {
    let (api, warnings) = lower_ok(&document(
        "  /files/{id}:\n    head:\n      operationId: checkFile\n      tags: [T]\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {id: {type: integer}}}\n",
        "  schemas: {}\n",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    let op = &api.operations[0];
    assert_eq!(op.method.as_str(), "HEAD");
    assert_eq!(op.response.body, pipedrive_codegen::ir::ResponseBody::Empty);
    let options = lower_err(&document(
        "  /a:\n    options:\n      operationId: optionsA\n      tags: [T]\n      responses: {'200': {description: ok}}\n",
        "  schemas: {}\n",
    ));
    assert!(
        options.contains("method `options` is not supported; expected get, put, post, delete, patch or head"),
        "{options}"
    );
}

/// `POST /a` (operationId `addA`, tag `T`) whose request body's `content` is `content` (a YAML
/// flow mapping), answered by `response_content` (likewise; `{}` for none).
fn add_a(content: &str, response_content: &str) -> String {
    document(
        &format!(
            "  /a:\n    post:\n      operationId: addA\n      tags: [T]\n      requestBody: {{required: true, content: {content}}}\n      responses: {{'200': {{description: ok, content: {response_content}}}}}\n"
        ),
        "  schemas: {}\n",
    )
}

/// The request body `content` lowers to, as (encoding, `Content-Type` sent, type).
fn request_body_of(content: &str) -> (BodyEncoding, String, String) {
    let (api, warnings) = lower_ok(&add_a(content, "{}"));
    assert!(warnings.is_empty(), "{content}: {warnings:?}");
    let body = api.operations[0]
        .request_body
        .as_ref()
        .unwrap_or_else(|| panic!("{content}: no body"));
    (body.encoding, body.content_type().to_owned(), body.ty.to_string())
}

#[test]
fn request_bodies_of_json_text_and_bytes_media_types_are_sent_as_the_document_names_them() {
    let object = "{schema: {type: object, properties: {name: {type: string, nullable: true}}}}";
    let cases = [
        (
            "application/merge-patch+json",
            BodyEncoding::Json,
            "application/merge-patch+json",
            "AddARequest",
        ),
        (
            "application/scim+json",
            BodyEncoding::Json,
            "application/scim+json",
            "AddARequest",
        ),
        (
            "application/json",
            BodyEncoding::Json,
            "application/json",
            "AddARequest",
        ),
        ("text/plain", BodyEncoding::Text, "text/plain", "string"),
        ("text/csv", BodyEncoding::Text, "text/csv", "string"),
        (
            "'text/plain; charset=utf-8'",
            BodyEncoding::Text,
            "text/plain; charset=utf-8",
            "string",
        ),
        (
            "application/octet-stream",
            BodyEncoding::Bytes,
            "application/octet-stream",
            "bytes",
        ),
        // A wildcard is no type to send: bytes go as `application/octet-stream`.
        ("'*/*'", BodyEncoding::Bytes, "application/octet-stream", "bytes"),
    ];
    for (key, encoding, content_type, ty) in cases {
        // Text and bytes are whatever the caller passes, with a schema or without one.
        let schema = if encoding == BodyEncoding::Json {
            object
        } else {
            "{schema: {type: string, format: binary}}"
        };
        for content in [format!("{{{key}: {schema}}}"), format!("{{{key}: {{}}}}")] {
            if encoding == BodyEncoding::Json && !content.contains("schema") {
                continue;
            }
            let expected = (encoding, content_type.to_owned(), ty.to_owned());
            assert_eq!(request_body_of(&content), expected, "{content}");
        }
    }
    // Only a type other than the encoding's usual one is recorded, so `api.json` stays as it was
    // for Pipedrive's documents.
    let (api, _) = lower_ok(&add_a(&format!("{{application/json: {object}}}"), "{}"));
    assert_eq!(
        api.operations[0]
            .request_body
            .as_ref()
            .and_then(|b| b.media_type.clone()),
        None
    );
}

#[test]
fn a_body_offering_several_media_types_takes_json_then_form_multipart_text_bytes_in_any_key_order() {
    let object = "{schema: {type: object, properties: {name: {type: string}}}}";
    // (preferred, other): the first wins whichever the document lists first.
    let pairs = [
        ("application/json", "application/merge-patch+json", "application/json"),
        (
            "application/merge-patch+json",
            "application/x-www-form-urlencoded",
            "application/merge-patch+json",
        ),
        (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ),
        ("multipart/form-data", "text/plain", "multipart/form-data"),
        ("text/plain", "application/octet-stream", "text/plain"),
        ("application/octet-stream", "image/png", "application/octet-stream"),
        // Two of a kind: the first in sorted order.
        ("text/csv", "text/plain", "text/csv"),
    ];
    for (preferred, other, content_type) in pairs {
        for content in [
            format!("{{{preferred}: {object}, {other}: {object}}}"),
            format!("{{{other}: {object}, {preferred}: {object}}}"),
        ] {
            assert_eq!(request_body_of(&content).1, content_type, "{content}");
        }
    }
}

#[test]
fn a_request_body_of_an_unsupported_media_type_or_charset_is_a_located_error() {
    let png = lower_err(&add_a("{image/png: {schema: {type: string, format: binary}}}", "{}"));
    assert!(
        png.contains("at /paths/~1a/post/requestBody/content (operationId `addA`): request body media types [\"image/png\"] are not supported; expected `application/json` or another JSON type (`application/*+json`), `application/x-www-form-urlencoded`, `multipart/form-data`, a text type (`text/*`), `application/octet-stream` or `*/*`"),
        "{png}"
    );
    let latin1 = lower_err(&add_a("{'text/csv; charset=iso-8859-1': {}}", "{}"));
    assert!(
        latin1.contains("at /paths/~1a/post/requestBody/content/text~1csv; charset=iso-8859-1 (operationId `addA`): a text body in charset `iso-8859-1`; expected no charset or `charset=utf-8`"),
        "{latin1}"
    );
}

#[test]
fn an_answer_in_text_is_a_string_and_json_wins_when_offered() {
    let returned = |content: &str| {
        let (api, warnings) = lower_ok(&add_a("{text/plain: {}}", content));
        assert!(warnings.is_empty(), "{warnings:?}");
        api.operations[0].response.body.clone()
    };
    assert_eq!(returned("{text/csv: {schema: {type: string}}}"), ResponseBody::Text);
    assert_eq!(
        returned("{text/plain: {}, application/octet-stream: {}}"),
        ResponseBody::Text
    );
    assert_eq!(
        returned("{application/octet-stream: {}, text/plain: {}}"),
        ResponseBody::Text
    );
    assert_eq!(returned("{image/png: {}}"), ResponseBody::Binary);
    assert_eq!(returned("{'*/*': {}}"), ResponseBody::Binary);
    assert_eq!(
        returned("{text/plain: {}, application/problem+json: {schema: {type: integer}}}"),
        ResponseBody::Json {
            ty: TypeRef::Scalar(pipedrive_codegen::ir::Scalar::I64)
        }
    );
}
