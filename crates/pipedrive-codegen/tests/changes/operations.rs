//! Changes to operations: added, removed, deprecated, moved; parameters, request bodies,
//! responses and pagination, each with its semver severity.

#[allow(clippy::wildcard_imports)]
use super::*;

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
            |api| param_mut(api, "getThings", "limit").constraints = vec![Constraint::Maximum(1000)],
            Severity::Minor,
            "`v2 getThings`: parameter `limit` is checked for at most 1000 (was at most 500)",
        ),
        (
            |api| param_mut(api, "getThings", "limit").constraints.clear(),
            Severity::Minor,
            "`v2 getThings`: parameter `limit` is no longer checked for at most 500",
        ),
        // Tightening, or a new rule, is minor too: a call the builder now refuses, Pipedrive
        // refuses as well (the rules are the documents'), so no working call breaks.
        (
            |api| param_mut(api, "getThings", "limit").constraints = vec![Constraint::Maximum(100)],
            Severity::Minor,
            "`v2 getThings`: parameter `limit` is checked for at most 100 (was at most 500)",
        ),
        (
            |api| {
                param_mut(api, "getThings", "limit").constraints =
                    vec![Constraint::Minimum(1), Constraint::Maximum(500)]
            },
            Severity::Minor,
            "`v2 getThings`: parameter `limit` is now checked before sending: at least 1",
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
        media_type: None,
        ty: TypeRef::Array(Box::new(I64)),
        required,
        constraints: Vec::new(),
    }
}

#[test]
fn request_body_changes() {
    let cases: &[Case] = &[
        (
            |api| {
                let body = op_mut(api, "addThing").request_body.as_mut();
                body.into_iter()
                    .for_each(|b| b.constraints = vec![Constraint::MinProperties(1)]);
            },
            Severity::Minor,
            "`v2 addThing`: request body is now checked before sending: at least 1 field set",
        ),
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
        // Another JSON type: the same value is sent, under the `Content-Type` the document asks.
        (
            |api| {
                if let Some(body) = &mut op_mut(api, "addThing").request_body {
                    body.media_type = Some("application/merge-patch+json".to_owned());
                }
            },
            Severity::Patch,
            "`v2 addThing`: request body is sent as JSON as `application/merge-patch+json` (was JSON)",
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
}

/// A new struct body with optional fields only adds setters; a whole body is a setter when
/// optional and a constructor argument when required.
#[test]
fn new_and_required_bodies_as_setters_and_arguments() {
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
        media_type: None,
        ty: TypeRef::Named("ThingFilter".to_owned()),
        required: false,
        constraints: Vec::new(),
    });
    assert_eq!(
        listed(&compare(&old, &new)),
        change(
            Severity::Minor,
            "`v2 getThing`: new request body (`ThingFilter`) with optional fields only"
        )
    );
    let mut old = base();
    op_mut(&mut old, "getThing").request_body = Some(whole_body(false));
    let mut new = old.clone();
    op_mut(&mut new, "getThing").request_body = Some(whole_body(true));
    assert_eq!(
        listed(&compare(&old, &new)),
        change(Severity::Major, "`v2 getThing`: request body is now required")
    );
}

/// A body of text or bytes is sent as the caller passes it: turning a JSON body into one is
/// major even where the Rust type stays `String`, since the same value now means the text
/// itself; another text type for the same text is a patch.
#[test]
fn a_body_that_turns_into_text_or_bytes_is_major_and_another_text_type_a_patch() {
    let text = |encoding: BodyEncoding, media_type: Option<&str>, ty: TypeRef| RequestBody {
        encoding,
        media_type: media_type.map(str::to_owned),
        ty,
        required: true,
        constraints: Vec::new(),
    };
    let string = || TypeRef::Scalar(pipedrive_codegen::ir::Scalar::String);
    let bytes = || TypeRef::Scalar(pipedrive_codegen::ir::Scalar::Bytes);
    let cases = [
        (
            text(BodyEncoding::Json, None, string()),
            text(BodyEncoding::Text, Some("text/csv"), string()),
            vec![(
                Severity::Major,
                "`v2 getThing`: request body is sent as text as `text/csv` (was JSON)",
            )],
        ),
        (
            text(BodyEncoding::Text, None, string()),
            text(BodyEncoding::Text, Some("text/csv"), string()),
            vec![(
                Severity::Patch,
                "`v2 getThing`: request body is sent as text as `text/csv` (was text as `text/plain`)",
            )],
        ),
        (
            text(BodyEncoding::Text, None, string()),
            text(BodyEncoding::Bytes, None, bytes()),
            vec![
                (
                    Severity::Major,
                    "`v2 getThing`: request body is now `bytes` (was `string`)",
                ),
                (
                    Severity::Major,
                    "`v2 getThing`: request body is sent as raw bytes as `application/octet-stream` (was text as `text/plain`)",
                ),
            ],
        ),
    ];
    for (before, after, expected) in cases {
        let mut old = base();
        op_mut(&mut old, "getThing").request_body = Some(before);
        let mut new = old.clone();
        op_mut(&mut new, "getThing").request_body = Some(after);
        let expected: Vec<(Severity, String)> = expected.into_iter().map(|(s, m)| (s, m.to_owned())).collect();
        assert_eq!(listed(&compare(&old, &new)), expected);
    }
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
            |api| op_mut(api, "getThing").response.body = ResponseBody::Text,
            Severity::Major,
            "`v2 getThing`: now returns text (`String`) (was no data)",
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
