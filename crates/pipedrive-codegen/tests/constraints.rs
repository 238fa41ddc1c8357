//! The rules checked before sending: which schema keywords are read into [`Constraint`]s, on
//! parameters, request body fields and whole bodies, which are dropped (the type guarantees them,
//! a response, a rule no value can meet), and the one runtime call emitted for each.

#![allow(clippy::panic, clippy::indexing_slicing)]

use pipedrive_codegen::ir::{Constraint, Parameter};

use crate::lowering::{document, emit, field, lower_one, lower_with_warnings, op, squashed, ty};

/// A POST to `/things` with `parameters` and a JSON body `schema` (YAML, each indented to fit).
fn post(parameters: &str, schema: &str) -> String {
    format!(
        "  /things:\n    post:\n      operationId: addThing\n      tags: [Things]\n      parameters:\n{parameters}      requestBody:\n        content:\n          application/json:\n            schema:\n{schema}      responses:\n        '200': {{description: ok}}\n"
    )
}

fn param_rules(api: &pipedrive_codegen::ir::Api, name: &str) -> Vec<Constraint> {
    op(api, "addThing")
        .parameters
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.constraints.clone())
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

#[test]
fn every_kind_of_rule_is_read_from_parameters_body_fields_and_the_body() {
    let api = lower_one(&post(
        "        - {in: query, name: count, schema: {type: integer, minimum: 1, maximum: 10}}\n        - {in: query, name: inside, schema: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}}\n        - {in: query, name: code, schema: {type: string, minLength: 2, maxLength: 8}}\n        - {in: query, name: ids, schema: {type: array, items: {type: integer}, minItems: 1, maxItems: 100}}\n",
        "              title: NewThing\n              type: object\n              minProperties: 1\n              properties:\n                name: {type: string, minLength: 1, maxLength: 255}\n                tags: {type: array, items: {type: string}, minItems: 1, maxItems: 3}\n                untyped_list: {items: {type: string}, maxItems: 2}\n                order_nr: {type: integer, minimum: 1, nullable: true}\n",
    ));
    assert_eq!(
        param_rules(&api, "count"),
        [Constraint::Minimum(1), Constraint::Maximum(10)]
    );
    // Exclusive bounds are read as the integers just inside them.
    assert_eq!(
        param_rules(&api, "inside"),
        [Constraint::Minimum(1), Constraint::Maximum(9)]
    );
    assert_eq!(
        param_rules(&api, "code"),
        [Constraint::MinLength(2), Constraint::MaxLength(8)]
    );
    assert_eq!(
        param_rules(&api, "ids"),
        [Constraint::MinItems(1), Constraint::MaxItems(100)]
    );
    let body = ty(&api, "NewThing");
    assert_eq!(
        field(body, "name").constraints,
        [Constraint::MinLength(1), Constraint::MaxLength(255)]
    );
    assert_eq!(
        field(body, "tags").constraints,
        [Constraint::MinItems(1), Constraint::MaxItems(3)]
    );
    // A list without `type` (openapiv3's catch-all schema) is read the same way.
    assert_eq!(field(body, "untyped_list").constraints, [Constraint::MaxItems(2)]);
    assert_eq!(field(body, "order_nr").constraints, [Constraint::Minimum(1)]);
    let request_body = op(&api, "addThing")
        .request_body
        .as_ref()
        .map(|b| b.constraints.clone());
    assert_eq!(request_body, Some(vec![Constraint::MinProperties(1)]));

    let code = squashed(&emit(&api));
    for call in [
        "runtime::check(&Self::OPERATION,\"count\",&[runtime::Constraint::Minimum(1),runtime::Constraint::Maximum(10)],value)?;",
        "runtime::check(&Self::OPERATION,\"name\",&[runtime::Constraint::MinLength(1),runtime::Constraint::MaxLength(255)],&self.body.name)?;",
        "runtime::check(&Self::OPERATION,\"order_nr\",&[runtime::Constraint::Minimum(1)],&self.body.order_nr)?;",
        "runtime::check_fields_set(&Self::OPERATION,&self.body,1,&[\"name\",\"order_nr\",\"tags\",\"untyped_list\"])?;",
    ] {
        assert!(code.contains(call), "{call} in {code}");
    }
    // The checks come before the body is encoded: nothing is built for a refused call.
    let check = code.find("check_fields_set").unwrap_or(usize::MAX);
    let encode = code.find("request.json_body(&self.body)?").unwrap_or(0);
    assert!(check < encode, "{code}");
}

#[test]
fn responses_carry_no_rules_and_rules_the_type_guarantees_are_dropped() {
    let (api, warnings) = lower_with_warnings(&document(&format!(
        "{}  /things/{{id}}:\n    get:\n      operationId: getThing\n      tags: [Things]\n      parameters: [{{in: path, name: id, required: true, schema: {{type: integer}}}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                title: Thing\n                type: object\n                properties:\n                  title: {{type: string, minLength: 1, maxLength: 255}}\n",
        post(
            "        - {in: query, name: empty_ok, schema: {type: string, minLength: 0}}\n        - {in: query, name: small, schema: {type: integer, format: int32, minimum: -3000000000}}\n        - {in: query, name: choice, schema: {type: integer, enum: [1, 2], minimum: 1}}\n        - {in: query, name: ratio, schema: {type: number, minimum: 0.5}}\n        - {in: query, name: when, schema: {type: string, format: date, maxLength: 10}}\n        - {in: query, name: big, schema: {type: integer, format: int32, minimum: 3000000000}}\n",
            "              title: NewThing\n              type: object\n              required: [name]\n              minProperties: 1\n              properties:\n                name: {type: string, minItems: 2}\n                nested: {type: object, minProperties: 1, properties: {a: {type: string}}}\n",
        )
    )));
    assert!(
        field(ty(&api, "Thing"), "title").constraints.is_empty(),
        "nothing checks a response"
    );
    for quiet in ["empty_ok", "small", "choice", "ratio", "when", "big"] {
        assert_eq!(param_rules(&api, quiet), [], "{quiet}");
    }
    let body = ty(&api, "NewThing");
    assert_eq!(field(body, "name").constraints, [], "minItems is no rule for a text");
    assert_eq!(
        field(body, "nested").constraints,
        [],
        "minProperties is checked on bodies only"
    );
    // `name` is required, so the body always sets one field.
    let request_body = op(&api, "addThing")
        .request_body
        .as_ref()
        .map(|b| b.constraints.clone());
    assert_eq!(request_body, Some(vec![]));
    // Only the bound no `i32` can meet is worth a warning; the others are quietly redundant.
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1things/post/parameters/5/schema/minimum (operationId `addThing`): parameter `big` has `minimum: 3000000000`, above every value its type (i32) holds; the bound is not checked; expected a minimum of at most 2147483647"
        ]
    );
    assert!(!emit(&api).contains("runtime::check"), "nothing to check");
}

#[test]
fn a_list_body_is_checked_whole_and_item_by_item() {
    let api = lower_one(&post(
        "        - {in: path, name: code, required: true, schema: {type: string}}\n",
        "              type: array\n              description: Array of options to add. Each item must contain a label. At least one option is required.\n              maxItems: 50\n              items:\n                title: NewOption\n                type: object\n                required: [label]\n                properties:\n                  label: {type: string, minLength: 1, maxLength: 255}\n",
    )
    .replace("/things:", "/things/{code}:"));
    let body = op(&api, "addThing")
        .request_body
        .as_ref()
        .map(|b| b.constraints.clone());
    // `minItems` from the description's "At least one ... is required", `maxItems` from the schema.
    assert_eq!(body, Some(vec![Constraint::MinItems(1), Constraint::MaxItems(50)]));
    let code = squashed(&emit(&api));
    assert!(
        code.contains("runtime::check(&Self::OPERATION,\"body\",&[runtime::Constraint::MinItems(1),runtime::Constraint::MaxItems(50)],&self.body)?;"),
        "{code}"
    );
    // The body is optional here (an `Option<Vec<_>>`): its items, when set.
    assert!(
        code.contains("runtime::check_each(&Self::OPERATION,\"body\",\"label\",&[runtime::Constraint::MinLength(1),runtime::Constraint::MaxLength(255)],self.body.iter().flatten().map(|item|&item.label))?;"),
        "{code}"
    );
}

#[test]
fn one_object_in_two_places_is_one_type_with_the_rules_of_both() {
    // As v2's option objects: the label's length is stated where the options are the body, not
    // where they are a field of another body. One type, so no rename; it carries the rule.
    let paths = format!(
        "{}  /fields:\n    post:\n      operationId: addField\n      tags: [Things]\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                options: {{type: array, items: {{type: object, required: [label], properties: {{label: {{type: string}}}}}}}}\n      responses:\n        '200': {{description: ok}}\n",
        post(
            "        - {in: query, name: x, schema: {type: string}}\n",
            "              type: array\n              items:\n                type: object\n                required: [label]\n                properties:\n                  label: {type: string, minLength: 1}\n",
        )
    );
    let api = lower_one(&paths);
    let option_types: Vec<&str> = api
        .types
        .iter()
        .filter(|t| matches!(&t.kind, pipedrive_codegen::ir::TypeKind::Struct { fields, .. } if fields.len() == 1 && fields[0].name == "label"))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(option_types.len(), 1, "{option_types:?}");
    assert_eq!(
        field(ty(&api, option_types[0]), "label").constraints,
        [Constraint::MinLength(1)]
    );
}

#[test]
fn an_api_json_written_before_constraints_reads_a_maximum_as_one() {
    let stored = r#"{"name": "limit", "rust_name": "limit", "location": "query", "required": false, "ty": "i64", "maximum": 500}"#;
    let parameter: Parameter = serde_json::from_str(stored).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parameter.constraints, [Constraint::Maximum(500)]);
    let written = serde_json::to_value(&parameter).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written["constraints"], serde_json::json!(["maximum 500"]));
    assert!(written.get("maximum").is_none(), "{written}");
    let current: Parameter = serde_json::from_value(written).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(current, parameter);
}
