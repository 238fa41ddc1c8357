//! Pipedrive's response envelope, `{success, data, additional_data}`: finding `data` in a
//! response schema, so that an operation returns what is in `data` and lists can page.
//!
//! The documents write the envelope three ways: as one object; behind a `$ref`; and (most of
//! v2's lists, many of v1's) as `allOf: [baseResponse, {data, additional_data}]`, where
//! `success` and `data` sit in different parts. All three are one object once the parts are
//! merged, so the parts are gathered first and then searched.

use openapiv3::{ReferenceOr, Schema};

use super::types::{Resolved, SchemaCtx, TypeCollector};
use super::view::{ObjectPart, View, view};
use crate::error::pointer_join;

/// `allOf` nesting deeper than this is not taken for an envelope (the documents nest one level).
const MAX_DEPTH: usize = 8;

/// The `data` property of an envelope, where it is, and the envelope's own title.
pub(super) struct Envelope<'d> {
    pub data: &'d ReferenceOr<Box<Schema>>,
    pub data_pointer: String,
    pub title: Option<&'d str>,
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
    let mut parts = Vec::new();
    object_parts(types, top, 0, ctx, &mut parts)?;
    if !parts.iter().any(|(part, _)| part.properties.contains_key("success")) {
        return None;
    }
    // Merged as `allOf` merges: a later part's property wins.
    let (data, part_pointer) = parts
        .iter()
        .rev()
        .find_map(|(part, at)| Some((part.properties.get("data")?, at)))?;
    Some(Envelope {
        data,
        data_pointer: pointer_join(&pointer_join(part_pointer, "properties"), "data"),
        title,
    })
}

/// The object parts of `resolved`, in document order: itself, or its `allOf` parts (followed
/// through `$ref`s and nested `allOf`) and then its own properties.
fn object_parts<'d>(
    types: &TypeCollector<'d>,
    resolved: Resolved<'d>,
    depth: usize,
    ctx: &SchemaCtx<'_>,
    out: &mut Vec<(ObjectPart<'d>, String)>,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match view(resolved.schema) {
        View::Object(part) => out.push((part, resolved.pointer)),
        View::AllOf { parts, own } => {
            for (i, part) in parts.iter().enumerate() {
                let at = pointer_join(&pointer_join(&resolved.pointer, "allOf"), i);
                object_parts(types, types.resolve(part, &at, ctx).ok()?, depth + 1, ctx, out)?;
            }
            if let Some(part) = own {
                out.push((part, resolved.pointer));
            }
        }
        // A part with no constraints (v1's `{title: FieldsResponse}`) adds nothing.
        View::Any => {}
        _ => return None,
    }
    Some(())
}
