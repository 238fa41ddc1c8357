//! Changes to types: added, removed and renamed; fields of response and request structs, enum
//! values, union variants, a type that changes kind.

#[allow(clippy::wildcard_imports)]
use super::*;

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
        // A rule checked before sending, new or tighter, is minor: Pipedrive refuses the same
        // calls (see `constraint_changes`).
        (
            |api| field_mut(api, "AddThingRequest", "name").constraints = vec![Constraint::MaxLength(255)],
            Severity::Minor,
            "Struct `v2 AddThingRequest`: field `name` is now checked before sending: at most 255 characters",
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
                    boxed: false,
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
