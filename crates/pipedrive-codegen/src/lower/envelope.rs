//! Pipedrive's response envelope, `{success, data, additional_data}`: finding `data` in a
//! response schema, so that an operation returns what is in `data` and lists can page.
//!
//! The documents write the envelope three ways: as one object; behind a `$ref`; and (most of
//! v2's lists, many of v1's) as `allOf: [baseResponse, {data, additional_data}]`, where
//! `success` and `data` sit in different parts. All three are one object once the parts are
//! merged, so the parts are gathered first (as lowering an `allOf` gathers them) and then searched.

use openapiv3::{ReferenceOr, Schema};

use super::types::{SchemaCtx, TypeCollector};
use super::view::{View, view};
use crate::error::pointer_join;

/// The `data` property of an envelope, where it is, and the envelope's own title; and the
/// `additional_data` and `related_objects` beside it, when the document describes them.
pub(super) struct Envelope<'d> {
    pub data: Part<'d>,
    pub additional_data: Option<Part<'d>>,
    pub related_objects: Option<Part<'d>>,
    pub title: Option<&'d str>,
}

/// One property of an envelope and its pointer.
pub(super) struct Part<'d> {
    pub schema: &'d ReferenceOr<Box<Schema>>,
    pub pointer: String,
}

/// `schema` as an envelope, when it is one: its merged parts have both `success` and `data`.
/// A part that does not resolve, or that is neither an object nor unconstrained, means no
/// envelope; lowering the schema as a whole then reports whatever is wrong with it.
pub(super) fn envelope<'d>(
    types: &TypeCollector<'d>,
    schema: &'d ReferenceOr<Schema>,
    ctx: &SchemaCtx<'_>,
) -> Option<Envelope<'d>> {
    let top = types.resolve(schema, &ctx.pointer, ctx).ok()?;
    let title = top.schema.schema_data.title.as_deref().or(top.ref_name);
    let parts = match view(top.schema) {
        View::Object(part) => vec![(part, top.pointer)],
        View::AllOf { parts, own } => {
            let flat = types.flatten_all_of(parts, own, &top.pointer, ctx).ok()?;
            if !flat.others.is_empty() {
                return None;
            }
            flat.objects
        }
        _ => return None,
    };
    if !parts.iter().any(|(part, _)| part.properties.contains_key("success")) {
        return None;
    }
    // Merged as `allOf` merges: a later part's property wins.
    let property = |name: &str| {
        parts.iter().rev().find_map(|(part, at)| {
            Some(Part {
                schema: part.properties.get(name)?,
                pointer: pointer_join(&pointer_join(at, "properties"), name),
            })
        })
    };
    Some(Envelope {
        data: property("data")?,
        additional_data: property("additional_data"),
        related_objects: property("related_objects"),
        title,
    })
}
