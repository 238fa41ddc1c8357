//! Lowering an operation's success response: which response and media type, Pipedrive's
//! `{success, data, additional_data}` envelope or a whole body, and the pagination style the
//! parameters and `additional_data` show.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Response as OaResponse, StatusCode};

use super::envelope::{Part, envelope};
use super::examples::documented_examples;
use super::media::{is_json, is_text, preferred_media_type};
use super::operation::OperationSite;
use super::types::{SchemaCtx, ShapeBody, TypeCollector, preferred_name};
use super::view::{View, view};
use crate::error::{Diagnostic, pointer_join};
use crate::ir::{Direction, HttpMethod, Pagination, ParamLocation, Parameter, Response, ResponseBody, Scalar, TypeRef};

pub(super) fn lower_response<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Response, Diagnostic> {
    let mut response = lower_success_body(site, types, builder_name, warnings)?;
    // Only a JSON body decodes into a type; a download's or an empty answer's example tests nothing.
    if matches!(response.body, ResponseBody::Envelope { .. } | ResponseBody::Json { .. }) {
        response.examples = documented_examples(site);
    }
    Ok(response)
}

/// An operation's success responses with their status and key: `2XX` counts as 200. Sorted by
/// code, an explicit code before the range, so which response decides the type never depends on
/// the order of the document's keys.
pub(super) fn success_responses(op: &openapiv3::Operation) -> Vec<(u16, bool, &StatusCode, &ReferenceOr<OaResponse>)> {
    let mut success: Vec<_> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => Some((*c, false, code, r)),
            StatusCode::Range(2) => Some((200, true, code, r)),
            _ => None,
        })
        .collect();
    success.sort_by_key(|(c, is_range, _, _)| (*c, *is_range));
    success
}

/// The success statuses and the body type their first response with content gives.
fn lower_success_body<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Response, Diagnostic> {
    let responses_pointer = pointer_join(&site.pointer(), "responses");
    let success = success_responses(site.op);
    let mut statuses: Vec<u16> = success.iter().map(|(c, _, _, _)| *c).collect();
    statuses.dedup();
    // A HEAD answer has no body, whatever content the document describes (often the GET's).
    if site.method == HttpMethod::Head {
        return Ok(Response {
            statuses,
            body: ResponseBody::Empty,
            examples: Vec::new(),
        });
    }
    // The first success response with content decides the type.
    for (i, (_, _, key, response)) in success.iter().enumerate() {
        let pointer = pointer_join(&responses_pointer, key);
        let response: &'d OaResponse =
            site.component(*response, &pointer, "responses", "a response", |c| &c.responses)?;
        if response.content.is_empty() {
            continue;
        }
        // The call decodes every success body as this one; another success response with a
        // body of its own (a `201` unlike the `200`) would not decode, so the document is told.
        for (_, _, other_key, other) in success.iter().skip(i + 1) {
            let other_pointer = pointer_join(&responses_pointer, other_key);
            let Ok(other) = site.component(*other, &other_pointer, "responses", "a response", |c| &c.responses) else {
                continue;
            };
            // Media types and schemas, not examples, decide whether the bodies differ.
            let bodies = |content: &'d IndexMap<String, openapiv3::MediaType>| {
                content
                    .iter()
                    .map(|(mime, media)| (mime, &media.schema))
                    .collect::<Vec<_>>()
            };
            if !other.content.is_empty() && bodies(&other.content) != bodies(&response.content) {
                warnings.push(
                    site.error(
                        &pointer_join(&other_pointer, "content"),
                        format!("the `{other_key}` response's body differs from the `{key}` response's"),
                    )
                    .expected(format!(
                        "one body for every success status; the call decodes a `{other_key}` body as the `{key}` one"
                    ))
                    .warning(),
                );
            }
        }
        let json = preferred_media_type(&response.content, is_json);
        let Some((mime, media)) = json else {
            // Text is decoded as a `String`; any other success body is a download.
            let text = preferred_media_type(&response.content, is_text).is_some();
            return Ok(Response {
                statuses,
                body: if text { ResponseBody::Text } else { ResponseBody::Binary },
                examples: Vec::new(),
            });
        };
        let schema_pointer = pointer_join(&pointer_join(&pointer_join(&pointer, "content"), mime), "schema");
        let Some(schema) = &media.schema else {
            return Ok(Response {
                statuses,
                body: ResponseBody::Json { ty: TypeRef::Any },
                examples: Vec::new(),
            });
        };
        return Ok(Response {
            statuses,
            body: lower_response_schema(site, types, schema, &schema_pointer, builder_name)?,
            examples: Vec::new(),
        });
    }
    Ok(Response {
        statuses,
        body: ResponseBody::Empty,
        examples: Vec::new(),
    })
}

/// Unwraps Pipedrive's `{success, data, additional_data}` envelope when the schema has one.
pub(super) fn lower_response_schema<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    schema: &'d ReferenceOr<openapiv3::Schema>,
    pointer: &str,
    builder_name: &str,
) -> Result<ResponseBody, Diagnostic> {
    let response_name = format!("{builder_name}Response");
    let ctx = SchemaCtx::new(pointer.to_owned(), response_name, Direction::Response, Some(&site.id));
    if let Some(found) = envelope(types, schema, &ctx) {
        // The envelope is unwrapped, so an untitled `data` takes the envelope's name
        // (`DeleteStageResponse`): it is what the caller gets back.
        let name = preferred_name(found.title, &ctx.name);
        let data_ctx = SchemaCtx::new(found.data.pointer, name, Direction::Response, Some(&site.id));
        let lowered = types.lower(found.data.schema, &data_ctx)?;
        let data = if lowered.nullable && !matches!(lowered.ty, TypeRef::Array(_) | TypeRef::Any) {
            TypeRef::Nullable(Box::new(lowered.ty))
        } else {
            lowered.ty
        };
        let mut beside = |part: Option<Part<'d>>, field: &str, suffix: &str| {
            envelope_part(site, types, part, field, &format!("{builder_name}{suffix}"))
        };
        let additional_data = beside(found.additional_data, "additional_data", "AdditionalData")?;
        let related_objects = beside(found.related_objects, "related_objects", "RelatedObjects")?;
        return Ok(ResponseBody::Envelope {
            data,
            additional_data,
            related_objects,
        });
    }
    let lowered = types.lower(schema, &ctx)?;
    Ok(ResponseBody::Json { ty: lowered.ty })
}

/// `additional_data` or `related_objects` as a type, when the document describes its fields: a
/// struct. An object with no fields listed (a map of anything) stays JSON, as it is sent.
fn envelope_part<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    part: Option<Part<'d>>,
    field_name: &str,
    name: &str,
) -> Result<Option<TypeRef>, Diagnostic> {
    let Some(part) = part else {
        return Ok(None);
    };
    // The field's name is the type's name when several operations share it (`naming`); a
    // pagination state alone is named for its style, whichever operation sends it.
    let probe = SchemaCtx::new(
        part.pointer.clone(),
        name.to_owned(),
        Direction::Response,
        Some(&site.id),
    );
    let (name, flat_offset) = match types
        .resolve(part.schema, &part.pointer, &probe)
        .map(|r| view(r.schema))
    {
        Ok(View::Object(object)) if is_only(object.properties.keys(), &["next_cursor"]) => ("CursorPagination", false),
        Ok(View::Object(object)) if is_only(object.properties.keys(), &OFFSET_PAGINATION) => {
            // v1's lists page by `start`; v2's one `more_items_in_collection` is sent flat.
            ("OffsetPagination", object.properties.contains_key("start"))
        }
        _ => (name, false),
    };
    let ctx = SchemaCtx {
        field: Some(field_name.to_owned()),
        ..SchemaCtx::new(
            part.pointer.clone(),
            name.to_owned(),
            Direction::Response,
            Some(&site.id),
        )
    };
    let lowered = types.lower(part.schema, &ctx)?;
    let TypeRef::Named(lowered) = lowered.ty.clone() else {
        return Ok(None);
    };
    if !types.is_struct(&lowered) {
        return Ok(None);
    }
    if flat_offset && field_name == "additional_data" {
        // Documented flat, sent nested: typed as sent, or every field would always be `None`.
        // The nesting struct's place is the envelope's, so no two types claim one place (the
        // changelog finds renames by place).
        let envelope_pointer = part
            .pointer
            .strip_suffix("/properties/additional_data")
            .unwrap_or(&part.pointer);
        let outer = SchemaCtx {
            field: Some(field_name.to_owned()),
            ..SchemaCtx::new(
                envelope_pointer.to_owned(),
                "AdditionalData".to_owned(),
                Direction::Response,
                Some(&site.id),
            )
        };
        return Ok(Some(types.nested_pagination(TypeRef::Named(lowered), &outer)));
    }
    Ok(Some(TypeRef::Named(lowered)))
}

/// The fields of v1's offset pagination state (`additional_data`, or its `pagination`).
const OFFSET_PAGINATION: [&str; 4] = ["start", "limit", "more_items_in_collection", "next_start"];

/// Whether `keys` is not empty and each is one of `allowed`.
fn is_only<'k>(mut keys: impl Iterator<Item = &'k String>, allowed: &[&str]) -> bool {
    let mut any = false;
    keys.all(|k| {
        any = true;
        allowed.contains(&k.as_str())
    }) && any
}

/// v2 lists page with `cursor`; v1 lists with `start`/`limit`. Both need a list in `data`:
/// `data` itself, or (the search endpoints) the `items` of a `data` object that has nothing else.
pub(super) fn detect_pagination(
    parameters: &[Parameter],
    response: &Response,
    types: &TypeCollector<'_>,
) -> Option<Pagination> {
    let data_items = match &response.body {
        ResponseBody::Envelope {
            data: TypeRef::Array(_),
            ..
        } => None,
        ResponseBody::Envelope {
            data: TypeRef::Named(name),
            ..
        } => Some(items_of_search_results(types, name)?),
        _ => return None,
    };
    let query = |name: &str| {
        parameters
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.name == name && !p.required)
    };
    let limit_param = query("limit").map(|p| p.name.clone());
    if let Some(cursor) = query("cursor").filter(|p| p.ty == TypeRef::Scalar(Scalar::String)) {
        return Some(Pagination::Cursor {
            cursor_param: cursor.name.clone(),
            limit_param,
            data_items,
        });
    }
    if let Some(start) = query("start").filter(|p| matches!(p.ty, TypeRef::Scalar(Scalar::I64 | Scalar::I32))) {
        return Some(Pagination::Offset {
            start_param: start.name.clone(),
            limit_param,
            data_items,
        });
    }
    None
}

/// The item type of a search result's `data`: an object whose only field is the array `items`.
/// A `data` with more (v1 and v2 `itemSearch` add `related_items`) is not paged: its pages would
/// drop the rest, and `send()` returns all of it.
pub(super) fn items_of_search_results(types: &TypeCollector<'_>, name: &str) -> Option<TypeRef> {
    let ShapeBody::Struct { fields, .. } = &types.shape_of(name)?.key.body else {
        return None;
    };
    match fields.as_slice() {
        [only] if only.name == "items" => match &only.ty {
            TypeRef::Array(item) => Some((**item).clone()),
            _ => None,
        },
        _ => None,
    }
}
