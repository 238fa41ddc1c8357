//! Lowering an operation's request body: the media type chosen by fixed rules, the body's
//! schema lowered as a request type (multipart properties may be files), and the rules on the
//! body as a whole checked before sending.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, RequestBody as OaRequestBody};

use super::constraints::{self, Place};
use super::operation::OperationSite;
use super::quirks;
use super::types::{Lowered, SchemaCtx, ShapeBody, TypeCollector};
use crate::error::{Diagnostic, pointer_join};
use crate::ir::{BodyEncoding, Constraint, Direction, RequestBody, TypeRef};

pub(super) fn lower_request_body<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    body: &'d ReferenceOr<OaRequestBody>,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<RequestBody, Diagnostic> {
    let pointer = pointer_join(&site.pointer(), "requestBody");
    let body: &'d OaRequestBody =
        site.component(body, &pointer, "requestBodies", "a request body", |c| &c.request_bodies)?;
    // Prefer JSON, then form, then multipart, when a body offers several.
    let choices = [
        ("application/json", BodyEncoding::Json),
        ("application/x-www-form-urlencoded", BodyEncoding::Form),
        ("multipart/form-data", BodyEncoding::Multipart),
    ];
    let found = choices.iter().find_map(|(mime, enc)| {
        preferred_media_type(&body.content, |essence| essence == *mime).map(|(k, media)| (k, media, *enc))
    });
    let Some((mime, media, encoding)) = found else {
        let offered: Vec<&str> = body.content.keys().map(String::as_str).collect();
        return Err(site
            .error(
                &pointer_join(&pointer, "content"),
                format!("request body media types {offered:?} are not supported"),
            )
            .expected("`application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`"));
    };
    let schema_pointer = pointer_join(&pointer_join(&pointer_join(&pointer, "content"), mime), "schema");
    let Some(schema) = &media.schema else {
        return Err(site
            .error(&schema_pointer, "the request body has no schema")
            .expected("an object schema"));
    };
    let ctx = SchemaCtx {
        multipart_body: encoding == BodyEncoding::Multipart,
        ..SchemaCtx::new(
            schema_pointer.clone(),
            format!("{builder_name}Request"),
            Direction::Request,
            Some(&site.id),
        )
    };
    let lowered = types.lower(schema, &ctx)?;
    let is_struct = matches!(&lowered.ty, TypeRef::Named(name) if types.is_struct(name));
    if encoding != BodyEncoding::Json && !is_struct {
        return Err(site
            .error(
                &schema_pointer,
                format!(
                    "a {mime} body is {}, not an object with properties",
                    describe_type(&lowered.ty)
                ),
            )
            .expected("an object schema: form and multipart bodies are sent field by field"));
    }
    let mut constraints = body_constraints(site, &schema_pointer, &lowered, is_struct, warnings);
    // Required fields are always sent: as many as them is a `minProperties` the type guarantees.
    let required_fields = match &lowered.ty {
        TypeRef::Named(name) => match types.shape_of(name).map(|s| &s.key.body) {
            Some(ShapeBody::Struct { fields, .. }) => fields.iter().filter(|f| f.required).count(),
            _ => 0,
        },
        _ => 0,
    };
    constraints.retain(
        |c| !matches!(c, Constraint::MinProperties(n) if *n <= u64::try_from(required_fields).unwrap_or(u64::MAX)),
    );
    Ok(RequestBody {
        encoding,
        ty: lowered.ty,
        required: body.required,
        constraints,
    })
}

/// The rules on the body as a whole: its schema's (`minProperties` on an object, `minItems` and
/// `maxItems` on a list), and a list's minimum where Pipedrive states it only in prose.
fn body_constraints(
    site: &OperationSite<'_>,
    pointer: &str,
    lowered: &Lowered,
    is_struct: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Constraint> {
    let mut found = lowered.constraints.clone();
    if !found.iter().any(|c| matches!(c, Constraint::MinItems(_))) {
        let prose = lowered
            .description
            .as_deref()
            .and_then(quirks::min_items_from_description);
        found.extend(prose.map(Constraint::MinItems));
    }
    let at = constraints::Site {
        file: &site.doc.file,
        pointer,
        op_id: Some(&site.id),
        what: "the request body".to_owned(),
    };
    constraints::worth_checking(&found, &lowered.ty, Place::Body, is_struct, &at, warnings)
}

/// The media type to use among those `accepts` (called with the type without its parameters:
/// `application/json` for `application/json; charset=utf-8`), chosen without regard to the order
/// of the document's keys: exactly `application/json` first, then `application/json` with
/// parameters, then any other accepted type (`application/problem+json`), each in sorted order.
pub(super) fn preferred_media_type(
    content: &IndexMap<String, openapiv3::MediaType>,
    accepts: impl Fn(&str) -> bool,
) -> Option<(&String, &openapiv3::MediaType)> {
    let essence = |key: &str| key.split(';').next().unwrap_or("").trim().to_owned();
    content
        .iter()
        .filter(|(key, _)| accepts(&essence(key)))
        .min_by_key(|(key, _)| {
            (
                key.as_str() != "application/json",
                essence(key) != "application/json",
                key.as_str(),
            )
        })
}

pub(super) fn describe_type(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Scalar(_) => "a scalar",
        TypeRef::Named(_) => "an enum or union",
        TypeRef::Array(_) => "an array",
        TypeRef::Nullable(_) => "a nullable value",
        TypeRef::Map(_) => "a map",
        TypeRef::Any => "any JSON",
    }
}
