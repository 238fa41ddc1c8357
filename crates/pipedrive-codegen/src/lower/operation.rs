//! Lowering one operation: parameters, request body, success response, pagination style,
//! token cost, OAuth scopes and deprecation.
//!
//! Schemas go through the document's [`TypeCollector`]; what is specific to operations (path
//! template checks, parameter styles, which `maximum` is worth checking, Pipedrive's response
//! envelope, its two pagination styles) is decided here. Where a document offers several success
//! responses or media types, the choice follows fixed rules, never the order of its keys.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    Parameter as OaParameter, QueryStyle, ReferenceOr, RequestBody as OaRequestBody, Response as OaResponse, StatusCode,
};

use super::components;
use super::envelope::envelope;
use super::quirks;
use super::types::{Lowered, SchemaCtx, ShapeBody, TypeCollector, preferred_name, text_scalar};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_ident, pascal_words, snake_ident, unique};
use crate::ir::{
    ArrayStyle, BodyEncoding, Deprecation, Direction, HttpMethod, Operation, Pagination, ParamLocation, Parameter,
    ReplacementSource, RequestBody, Response, ResponseBody, Scalar, TypeRef,
};
use crate::load::LoadedDocument;
use crate::markdown::html_to_markdown;

/// Builder fields that parameters must not take.
const BUILDER_FIELDS: [&str; 3] = ["client", "body", "call_options"];

/// An operation as found in a document, before lowering.
#[derive(Debug, Clone)]
pub struct OperationSite<'d> {
    pub doc: &'d LoadedDocument,
    pub path: &'d str,
    pub method: HttpMethod,
    pub method_key: &'static str,
    pub op: &'d openapiv3::Operation,
    /// The path item the operation is in (its parameters and `servers`).
    pub path_item: &'d openapiv3::PathItem,
    pub tag: &'d str,
    pub server_prefix: &'d str,
    /// operationId, or a name derived from method and path when the document has none.
    pub id: String,
}

impl<'d> OperationSite<'d> {
    pub fn pointer(&self) -> String {
        pointer_join(&pointer_join("/paths", self.path), self.method_key)
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.doc.file, pointer, message).operation(Some(&self.id))
    }

    /// `value` (at `pointer`) followed through `#/components/<section>/` to what it names, `what`
    /// (see [`components::follow`]); `of` picks that section out of the document's components.
    fn component<T>(
        &self,
        value: &'d ReferenceOr<T>,
        pointer: &str,
        section: &str,
        what: &str,
        of: impl Fn(&'d openapiv3::Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'d T, Diagnostic> {
        let components = self.doc.openapi.components.as_ref();
        components::follow(value, section, |name| of(components?).get(name)).map_err(|found| {
            self.error(pointer, found).expected(format!(
                "`#/components/{section}/<name>`, or a chain of them that ends at {what}"
            ))
        })
    }
}

/// Derives a name for an operation without operationId: `GET /stages/{id}/deals` → `getStagesIdDeals`.
pub fn derive_operation_id(method: HttpMethod, path: &str) -> String {
    let words: String = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| pascal_words(s.trim_matches(|c| c == '{' || c == '}')))
        .collect();
    format!("{}{words}", method.as_str().to_ascii_lowercase())
}

pub fn lower_operation<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Operation, Diagnostic> {
    let op = site.op;
    let op_pointer = site.pointer();
    let builder_name = pascal_ident(&site.id, "Operation");

    let parameters = lower_parameters(site, types, &builder_name, warnings)?;
    check_path_template(site, &parameters)?;
    let request_body = match &op.request_body {
        Some(body) => Some(lower_request_body(site, types, body, &builder_name)?),
        None => None,
    };
    let response = lower_response(site, types, &builder_name, warnings)?;
    let pagination = detect_pagination(&parameters, &response, types);

    let description = op.description.as_deref().and_then(html_to_markdown);
    let deprecation = op.deprecated.then(|| {
        let replacement = op.description.as_deref().and_then(quirks::replacement_from_description);
        Deprecation {
            note: String::new(),
            replacement_source: replacement.as_ref().map(|_| ReplacementSource::Description),
            replacement,
            replacement_target: None,
        }
    });

    Ok(Operation {
        id: site.id.clone(),
        api: site.doc.api.clone(),
        tag: site.tag.to_owned(),
        tag_module: snake_ident(site.tag, "untagged"),
        fn_name: snake_ident(&site.id, "operation"),
        builder_name,
        method: site.method,
        path: site.path.to_owned(),
        full_path: format!("{}{}", site.server_prefix, site.path),
        // A summary is plain text; the docs it goes into are Markdown.
        summary: op
            .summary
            .as_deref()
            .map(crate::markdown::plain_lines_to_markdown)
            .filter(|s| !s.is_empty()),
        description,
        parameters,
        request_body,
        response,
        pagination,
        token_cost: token_cost(site, &op_pointer, warnings),
        oauth_scopes: oauth_scopes(site),
        deprecation,
        source: format!("{}#{op_pointer}", site.doc.file),
        builder: None,
    })
}

/// Reads `x-token-cost`; a value that is not a small non-negative integer is left out.
pub fn token_cost(site: &OperationSite<'_>, op_pointer: &str, warnings: &mut Vec<Diagnostic>) -> Option<u32> {
    let value = site.op.extensions.get("x-token-cost")?;
    match value.as_u64().and_then(|v| u32::try_from(v).ok()) {
        Some(cost) => Some(cost),
        None => {
            warnings.push(
                site.error(
                    &pointer_join(op_pointer, "x-token-cost"),
                    format!("`x-token-cost` is {value}"),
                )
                .expected(format!("a non-negative integer of at most {}", u32::MAX))
                .warning(),
            );
            None
        }
    }
}

fn oauth_scopes(site: &OperationSite<'_>) -> Vec<String> {
    let requirements = site.op.security.as_ref().or(site.doc.openapi.security.as_ref());
    let mut scopes: Vec<String> = Vec::new();
    for requirement in requirements.into_iter().flatten() {
        for scope in requirement.get("oauth2").into_iter().flatten() {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
    }
    scopes
}

fn resolve_parameter<'d>(
    site: &OperationSite<'d>,
    p: &'d ReferenceOr<OaParameter>,
    pointer: &str,
) -> Result<&'d OaParameter, Diagnostic> {
    site.component(p, pointer, "parameters", "a parameter", |c| &c.parameters)
}

fn lower_parameters<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Parameter>, Diagnostic> {
    let op_pointer = site.pointer();
    // Path-level parameters first, replaced by operation-level ones with the same name and place.
    let mut raw: Vec<(&'d OaParameter, String)> = Vec::new();
    let item_pointer = pointer_join("/paths", site.path);
    for (i, p) in site.path_item.parameters.iter().enumerate() {
        let pointer = pointer_join(&pointer_join(&item_pointer, "parameters"), i);
        raw.push((resolve_parameter(site, p, &pointer)?, pointer));
    }
    for (i, p) in site.op.parameters.iter().enumerate() {
        let pointer = pointer_join(&pointer_join(&op_pointer, "parameters"), i);
        let param = resolve_parameter(site, p, &pointer)?;
        let key = (location_name(param), &param.parameter_data_ref().name);
        raw.retain(|(q, _)| (location_name(q), &q.parameter_data_ref().name) != key);
        raw.push((param, pointer));
    }

    let mut taken: BTreeSet<String> = BUILDER_FIELDS.iter().map(|s| (*s).to_owned()).collect();
    let mut seen_wire: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (param, pointer) in raw {
        let data = param.parameter_data_ref();
        let (location, mut array_style) = match param {
            OaParameter::Path { .. } => (ParamLocation::Path, None),
            OaParameter::Query { style, .. } => {
                if !matches!(style, QueryStyle::Form) {
                    return Err(site
                        .error(
                            &pointer_join(&pointer, "style"),
                            format!("query parameter style `{style:?}` is not supported yet"),
                        )
                        .expected("`style: form` (the default)"));
                }
                (
                    ParamLocation::Query,
                    Some(ArrayStyle {
                        explode: data.explode.unwrap_or(true),
                    }),
                )
            }
            OaParameter::Header { .. } => (ParamLocation::Header, Some(ArrayStyle { explode: false })),
            OaParameter::Cookie { .. } => {
                return Err(site
                    .error(&pointer_join(&pointer, "in"), "cookie parameters are not supported")
                    .expected("`in: query`, `header` or `path`"));
            }
        };
        if !seen_wire.insert((location_name(param), data.name.as_str())) {
            return Err(site
                .error(&pointer, format!("parameter `{}` is listed twice", data.name))
                .expected("each parameter once per location"));
        }
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => schema,
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                return Err(site
                    .error(
                        &pointer_join(&pointer, "content"),
                        format!("parameter `{}` uses `content`, which is not supported yet", data.name),
                    )
                    .expected("a `schema`"));
            }
        };
        let ctx = SchemaCtx {
            field: Some(data.name.clone()),
            ..SchemaCtx::new(
                pointer_join(&pointer, "schema"),
                format!("{builder_name}{}", pascal_words(&data.name)),
                Direction::Request,
                Some(&site.id),
            )
        };
        let mut lowered: Lowered = types.lower(schema, &ctx)?;
        // The parameter's own description may state what its schema leaves out: a format, or
        // that the text is a comma-separated list of IDs. The documents write the latter both
        // ways: v1's bulk deletes take `ids` as a string, and v2's `deal_ids` as an array of
        // integers with `explode: false`, which is the same query (`ids=1,2,3`). The array is
        // what a caller means, so it is lowered as one.
        if lowered.ty == TypeRef::Scalar(Scalar::String) {
            let description = data.description.as_deref();
            if location == ParamLocation::Query && description.is_some_and(quirks::is_comma_separated_ids) {
                lowered.ty = TypeRef::Array(Box::new(TypeRef::Scalar(Scalar::I64)));
                array_style = Some(ArrayStyle { explode: false });
            } else {
                lowered.ty = TypeRef::Scalar(text_scalar(None, description));
            }
        }
        check_parameter_type(site, &ctx.pointer, &data.name, location, &lowered.ty, types)?;
        let required = data.required || location == ParamLocation::Path;
        let description = data.description.as_deref().and_then(html_to_markdown);
        let maximum = lowered.maximum.or_else(|| {
            let is_integer = matches!(lowered.ty, TypeRef::Scalar(Scalar::I64 | Scalar::I32));
            data.description
                .as_deref()
                .filter(|_| is_integer)
                .and_then(quirks::maximum_from_description)
        });
        let maximum = maximum.filter(|m| maximum_to_check(site, &ctx.pointer, &data.name, &lowered.ty, *m, warnings));
        let is_array = matches!(lowered.ty, TypeRef::Array(_));
        out.push(Parameter {
            name: data.name.clone(),
            rust_name: unique(snake_ident(&data.name, "param"), &mut taken),
            location,
            required,
            ty: lowered.ty,
            default: lowered.default,
            maximum,
            deprecated: data.deprecated.unwrap_or(false) || lowered.deprecated,
            description,
            array_style: if is_array { array_style } else { None },
        });
    }
    Ok(out)
}

/// Whether `maximum` is worth checking before sending, given the parameter's Rust type: only an
/// integer that can be larger than it (not an enum, not an `i32` against a bound above
/// `i32::MAX`). A bound below every value of the type is contradictory: a warning, no check.
fn maximum_to_check(
    site: &OperationSite<'_>,
    pointer: &str,
    name: &str,
    ty: &TypeRef,
    maximum: i64,
    warnings: &mut Vec<Diagnostic>,
) -> bool {
    let (min, max) = match ty {
        TypeRef::Scalar(Scalar::I64) => (i64::MIN, i64::MAX),
        TypeRef::Scalar(Scalar::I32) => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => return false,
    };
    if maximum < min {
        warnings.push(
            site.error(
                &pointer_join(pointer, "maximum"),
                format!("parameter `{name}` has `maximum: {maximum}`, below every value its type ({ty}) holds; the bound is not checked"),
            )
            .expected(format!("a maximum of at least {min}"))
            .warning(),
        );
        return false;
    }
    maximum < max
}

fn location_name(p: &OaParameter) -> &'static str {
    match p {
        OaParameter::Query { .. } => "query",
        OaParameter::Header { .. } => "header",
        OaParameter::Path { .. } => "path",
        OaParameter::Cookie { .. } => "cookie",
    }
}

/// Parameters are scalars, enums, or (outside the path) arrays of them.
fn check_parameter_type(
    site: &OperationSite<'_>,
    pointer: &str,
    name: &str,
    location: ParamLocation,
    ty: &TypeRef,
    types: &TypeCollector<'_>,
) -> Result<(), Diagnostic> {
    let simple = |t: &TypeRef| match t {
        TypeRef::Scalar(Scalar::Binary) => false,
        TypeRef::Scalar(_) => true,
        TypeRef::Named(n) => types.is_enum(n),
        _ => false,
    };
    let ok = match ty {
        TypeRef::Array(inner) => location != ParamLocation::Path && simple(inner),
        other => simple(other),
    };
    if ok {
        return Ok(());
    }
    let found = match ty {
        TypeRef::Any => "a schema with no type (any JSON value)",
        TypeRef::Scalar(Scalar::Binary) => "a file",
        TypeRef::Map(_) => "a map",
        TypeRef::Named(_) => "an object or a union",
        TypeRef::Array(inner) if simple(inner) => "an array",
        TypeRef::Array(_) => "an array of values that are not plain",
        TypeRef::Nullable(_) => "a nullable value inside another",
        // Other scalars are simple, and accepted above.
        TypeRef::Scalar(_) => "a value",
    };
    let location = format!("{location:?}").to_lowercase();
    Err(site
        .error(
            pointer,
            format!("parameter `{name}` is {found}, which the generator cannot put in a {location} yet"),
        )
        .expected("a string, number, integer, boolean or enum, or an array of those in a query or header"))
}

/// Every `{name}` in the path template has a path parameter, and every path parameter is in it.
fn check_path_template(site: &OperationSite<'_>, parameters: &[Parameter]) -> Result<(), Diagnostic> {
    let mut in_template = BTreeSet::new();
    let mut rest = site.path;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else {
            return Err(site
                .error(
                    &pointer_join("/paths", site.path),
                    format!("path template `{}` has an unclosed `{{`", site.path),
                )
                .expected("`{name}` segments"));
        };
        in_template.insert(after.get(..close).unwrap_or(""));
        rest = after.get(close + 1..).unwrap_or("");
    }
    let path_params: BTreeSet<&str> = parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    if let Some(missing) = path_params.iter().find(|p| !in_template.contains(*p)) {
        return Err(site
            .error(
                &pointer_join(&site.pointer(), "parameters"),
                format!(
                    "path parameter `{missing}` does not appear in the path template `{}`",
                    site.path
                ),
            )
            .expected(format!("`{{{missing}}}` in the path, or `in: query`")));
    }
    if let Some(unbound) = in_template.iter().find(|t| !path_params.contains(*t)) {
        return Err(site
            .error(
                &pointer_join(&site.pointer(), "parameters"),
                format!(
                    "the path template `{}` has `{{{unbound}}}` but no path parameter `{unbound}`",
                    site.path
                ),
            )
            .expected(format!("a parameter with `name: {unbound}` and `in: path`")));
    }
    Ok(())
}

fn lower_request_body<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    body: &'d ReferenceOr<OaRequestBody>,
    builder_name: &str,
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
    Ok(RequestBody {
        encoding,
        ty: lowered.ty,
        required: body.required,
    })
}

/// The media type to use among those `accepts` (called with the type without its parameters:
/// `application/json` for `application/json; charset=utf-8`), chosen without regard to the order
/// of the document's keys: exactly `application/json` first, then `application/json` with
/// parameters, then any other accepted type (`application/problem+json`), each in sorted order.
fn preferred_media_type(
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

fn describe_type(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Scalar(_) => "a scalar",
        TypeRef::Named(_) => "an enum or union",
        TypeRef::Array(_) => "an array",
        TypeRef::Nullable(_) => "a nullable value",
        TypeRef::Map(_) => "a map",
        TypeRef::Any => "any JSON",
    }
}

fn lower_response<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Response, Diagnostic> {
    let responses_pointer = pointer_join(&site.pointer(), "responses");
    // `2XX` counts as 200. Sorted by code, an explicit code before the range, so which response
    // decides the type never depends on the order of the document's keys.
    let mut success: Vec<(u16, bool, &'d StatusCode, &'d ReferenceOr<OaResponse>)> = site
        .op
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
    let mut statuses: Vec<u16> = success.iter().map(|(c, _, _, _)| *c).collect();
    statuses.dedup();
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
        let json = preferred_media_type(&response.content, |essence| {
            essence == "application/json" || essence.ends_with("+json")
        });
        let Some((mime, media)) = json else {
            // A non-JSON success body is a download.
            return Ok(Response {
                statuses,
                body: ResponseBody::Binary,
            });
        };
        let schema_pointer = pointer_join(&pointer_join(&pointer_join(&pointer, "content"), mime), "schema");
        let Some(schema) = &media.schema else {
            return Ok(Response {
                statuses,
                body: ResponseBody::Json { ty: TypeRef::Any },
            });
        };
        return Ok(Response {
            statuses,
            body: lower_response_schema(site, types, schema, &schema_pointer, builder_name)?,
        });
    }
    Ok(Response {
        statuses,
        body: ResponseBody::Empty,
    })
}

/// Unwraps Pipedrive's `{success, data, additional_data}` envelope when the schema has one.
fn lower_response_schema<'d>(
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
        let data_ctx = SchemaCtx::new(found.data_pointer, name, Direction::Response, Some(&site.id));
        let lowered = types.lower(found.data, &data_ctx)?;
        let ty = if lowered.nullable && !matches!(lowered.ty, TypeRef::Array(_) | TypeRef::Any) {
            TypeRef::Nullable(Box::new(lowered.ty))
        } else {
            lowered.ty
        };
        return Ok(ResponseBody::Envelope { data: ty });
    }
    let lowered = types.lower(schema, &ctx)?;
    Ok(ResponseBody::Json { ty: lowered.ty })
}

/// v2 lists page with `cursor`; v1 lists with `start`/`limit`. Both need a list in `data`:
/// `data` itself, or (the search endpoints) the `items` of a `data` object that has nothing else.
fn detect_pagination(parameters: &[Parameter], response: &Response, types: &TypeCollector<'_>) -> Option<Pagination> {
    let data_items = match &response.body {
        ResponseBody::Envelope {
            data: TypeRef::Array(_),
        } => None,
        ResponseBody::Envelope {
            data: TypeRef::Named(name),
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
fn items_of_search_results(types: &TypeCollector<'_>, name: &str) -> Option<TypeRef> {
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
