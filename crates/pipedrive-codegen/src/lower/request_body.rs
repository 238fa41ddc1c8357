//! Lowering an operation's request body: the media type chosen by fixed rules (`media`), the
//! body's schema lowered as a request type (multipart properties may be files) or, for text and
//! bytes, a `String` or bytes passed whole, and the rules on the body as a whole checked before
//! sending.

use openapiv3::{ReferenceOr, RequestBody as OaRequestBody};

use super::constraints::{self, Place};
use super::media;
use super::operation::OperationSite;
use super::quirks;
use super::types::{Lowered, SchemaCtx, ShapeBody, TypeCollector};
use crate::error::{Diagnostic, pointer_join};
use crate::ir::{BodyEncoding, Constraint, Direction, RequestBody, Scalar, TypeRef};

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
    let content_pointer = pointer_join(&pointer, "content");
    let Some((mime, chosen, encoding)) = media::request_media(&body.content) else {
        let offered: Vec<&str> = body.content.keys().map(String::as_str).collect();
        return Err(site
            .error(
                &content_pointer,
                format!("request body media types {offered:?} are not supported"),
            )
            .expected(media::SUPPORTED_REQUEST_TYPES));
    };
    let media_type = media::sent_media_type(mime, encoding).map_err(|(found, expected)| {
        site.error(&pointer_join(&content_pointer, mime), found)
            .expected(expected)
    })?;
    // Text and bytes are sent as the caller passes them, whatever schema the document gives
    // them (often none, or `format: binary`).
    let whole = match encoding {
        BodyEncoding::Text => Some(Scalar::String),
        BodyEncoding::Bytes => Some(Scalar::Bytes),
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => None,
    };
    if let Some(scalar) = whole {
        return Ok(RequestBody {
            encoding,
            media_type,
            ty: TypeRef::Scalar(scalar),
            required: body.required,
            constraints: Vec::new(),
        });
    }
    let schema_pointer = pointer_join(&pointer_join(&content_pointer, mime), "schema");
    let Some(schema) = &chosen.schema else {
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
        media_type,
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
