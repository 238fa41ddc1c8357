//! Operations in the IR: the request line, parameters, body, response, pagination and
//! deprecation of each, as lowering found them in the documents.

use serde::{Deserialize, Serialize};

#[allow(clippy::wildcard_imports)]
use super::*;

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// `operationId` as written in the document (`getStages`).
    pub id: String,
    /// The API version (document) the operation belongs to.
    pub api: String,
    /// The OpenAPI tag that selected it (`Stages`).
    pub tag: String,
    /// Rust module for the tag (`stages`).
    pub tag_module: String,
    /// Method name on the tag's API struct (`get_stages`).
    pub fn_name: String,
    /// Name of the request builder type (`GetStages`).
    pub builder_name: String,
    pub method: HttpMethod,
    /// Path template as written in the document (`/stages/{id}`).
    pub path: String,
    /// Path template including the server prefix (`/api/v2/stages/{id}`).
    pub full_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The description, with Pipedrive's HTML turned into Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Parameters in document order.
    pub parameters: Vec<Parameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    pub response: Response,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Pipedrive's `x-token-cost`: rate-limit tokens one call spends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_cost: Option<u32>,
    /// OAuth scopes that allow the call, as listed in `security`.
    pub oauth_scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation: Option<Deprecation>,
    /// Where the operation is defined: file and JSON pointer.
    pub source: String,
    /// How the generated builder takes the operation's inputs: filled in after lowering by
    /// [`crate::surface`]. `None` only in an `api.json` written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builder: Option<BuilderSurface>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    /// A GET without the body: status and headers only.
    Head,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
        }
    }
}

/// A deprecated operation, parameter or field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deprecation {
    /// The note for `#[deprecated(note = ...)]`; emit adds where the replacement is in the crate.
    pub note: String,
    /// What to use instead (`GET /api/v2/deals?stage_id={id}`), when the document says or the
    /// generator can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// Where the replacement came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement_source: Option<ReplacementSource>,
    /// Where the replacement is in the generated crate, when the documents have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement_target: Option<ReplacementTarget>,
}

/// Where a deprecated operation's replacement is, found by its method and path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplacementTarget {
    /// Generated in this crate: the operation with this API version and operationId.
    Generated { api: String, operation_id: String },
    /// In the documents, but its tag is not generated.
    NotGenerated { tag: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplacementSource {
    /// Named in the operation's description ("Please use ... instead").
    Description,
    /// A newer API version has an operation with the same operationId.
    SameOperationIdInNewerApi,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// Rust identifier for the builder field and setter.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    /// The document's `default`: what the server uses when the parameter is left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Literal>,
    /// Rules the value must meet, checked before sending: from the schema (`minimum`,
    /// `maxLength`, ...) or, where Pipedrive states a bound only in prose (`limit`'s 500), the
    /// description. Only those the Rust type does not already guarantee.
    #[serde(
        default,
        alias = "maximum",
        deserialize_with = "constraint::constraints_or_maximum",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub constraints: Vec<Constraint>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How an array is written in a query string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub array_style: Option<ArrayStyle>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    /// `path`, `query` or `header`, as OpenAPI's `in` says.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// `style: form` with `explode: true` repeats the name (`ids=1&ids=2`); without explode the values
/// are joined with commas (`ids=1,2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrayStyle {
    pub explode: bool,
}

/// A JSON literal from the document (defaults, enum values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Integer(i64),
    Number(f64),
    String(String),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Integer(i) => write!(f, "{i}"),
            Literal::Number(n) => write!(f, "{n}"),
            Literal::String(s) => write!(f, "{s}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestBody {
    pub encoding: BodyEncoding,
    /// The `Content-Type` the body is sent with, where it is not the encoding's usual one
    /// ([`BodyEncoding::media_type`]): another JSON type (`application/merge-patch+json`) or
    /// text type (`text/csv`), as the document writes it. `None` keeps `api.json` as it was for
    /// documents that use only the usual types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The body's type. When it is a named struct its fields become builder setters; any other
    /// body (an array, say) is passed whole.
    pub ty: TypeRef,
    pub required: bool,
    /// Rules on the body as a whole, checked before sending: `min_properties` on a struct body
    /// (fields set), `min_items`/`max_items` on a list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
}

impl RequestBody {
    /// The `Content-Type` the body is sent with.
    pub fn content_type(&self) -> &str {
        self.media_type.as_deref().unwrap_or(self.encoding.media_type())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// The body's type serialised as JSON.
    Json,
    /// A struct's fields as `application/x-www-form-urlencoded`.
    Form,
    /// A struct's fields (files among them) as `multipart/form-data` parts.
    Multipart,
    /// A `String` sent as it is (`text/plain`, `text/csv`, ...).
    Text,
    /// Raw bytes sent as they are (`application/octet-stream`, or a document's `*/*`).
    Bytes,
}

impl BodyEncoding {
    /// The media type a body of this encoding is sent as unless the document names another.
    pub fn media_type(self) -> &'static str {
        match self {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart => "multipart/form-data",
            BodyEncoding::Text => "text/plain",
            BodyEncoding::Bytes => "application/octet-stream",
        }
    }

    /// Whether the builder serialises a typed value (JSON, a form, multipart parts) rather than
    /// sending text or bytes the caller passes as they are.
    pub fn is_serialised(self) -> bool {
        matches!(self, BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart)
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Success status codes the document lists (`200`, `201`).
    pub statuses: Vec<u16>,
    pub body: ResponseBody,
    /// The success bodies the document gives as examples, for the generated crate's test that
    /// each decodes. Test data, not API: `api.json` and the IR snapshot leave them out (they
    /// would add a third to `api.json`, which no comparison reads), and the emitted
    /// `tests/documented_examples.json` shows them instead.
    #[serde(skip)]
    pub examples: Vec<ResponseExample>,
}

/// One documented success body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseExample {
    /// The status it is documented for.
    pub status: u16,
    /// Where the document gives it: file and JSON pointer.
    pub source: String,
    /// The body, as JSON.
    pub body: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ResponseBody {
    /// Pipedrive's `{success, data, additional_data}` envelope; the call returns `data`, and
    /// `send_with_meta()` the rest: `additional_data` and (v1 lists) `related_objects`, typed
    /// where the document describes them (`None`: kept as JSON).
    Envelope {
        data: TypeRef,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional_data: Option<TypeRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        related_objects: Option<TypeRef>,
    },
    /// Any other JSON body, returned whole.
    Json { ty: TypeRef },
    /// Text (`text/plain`, `text/csv`, ...), decoded as UTF-8 into a `String`.
    Text,
    /// Raw bytes (a file download).
    Binary,
    /// No body the generator can type.
    Empty,
}

impl ResponseBody {
    /// Every type the body names: `data` (or the whole body), then `additional_data` and
    /// `related_objects`.
    pub fn types(&self) -> Vec<&TypeRef> {
        match self {
            ResponseBody::Envelope {
                data,
                additional_data,
                related_objects,
            } => [Some(data), additional_data.as_ref(), related_objects.as_ref()]
                .into_iter()
                .flatten()
                .collect(),
            ResponseBody::Json { ty } => vec![ty],
            ResponseBody::Text | ResponseBody::Binary | ResponseBody::Empty => Vec::new(),
        }
    }

    /// [`ResponseBody::types`], to rewrite them (renames).
    pub fn types_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            ResponseBody::Envelope {
                data,
                additional_data,
                related_objects,
            } => [Some(data), additional_data.as_mut(), related_objects.as_mut()]
                .into_iter()
                .flatten()
                .collect(),
            ResponseBody::Json { ty } => vec![ty],
            ResponseBody::Text | ResponseBody::Binary | ResponseBody::Empty => Vec::new(),
        }
    }
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "style")]
pub enum Pagination {
    /// v2: `cursor` query parameter, `additional_data.next_cursor` in the response.
    Cursor {
        cursor_param: String,
        limit_param: Option<String>,
        /// The type of the items, when they are `data.items` rather than `data` itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data_items: Option<TypeRef>,
    },
    /// v1: `start`/`limit` query parameters, `additional_data.pagination` in the response.
    Offset {
        start_param: String,
        limit_param: Option<String>,
        /// As for [`Pagination::Cursor`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data_items: Option<TypeRef>,
    },
}

impl Pagination {
    /// The type of a page's items when the response's `data` is an object that holds them in
    /// `items` (the search endpoints: `data: {items: [...]}`); `None` when `data` is the list.
    /// The operation's `send()` still returns the whole `data`; its pages hold the items.
    pub fn data_items(&self) -> Option<&TypeRef> {
        match self {
            Pagination::Cursor { data_items, .. } | Pagination::Offset { data_items, .. } => data_items.as_ref(),
        }
    }

    /// [`Pagination::data_items`], to rewrite it (names).
    pub fn data_items_mut(&mut self) -> Option<&mut TypeRef> {
        match self {
            Pagination::Cursor { data_items, .. } | Pagination::Offset { data_items, .. } => data_items.as_mut(),
        }
    }
}

impl Operation {
    /// Every type reference the operation's code names: parameters, request body, response
    /// (data, `additional_data`, `related_objects`), and page items.
    pub fn types(&self) -> Vec<&TypeRef> {
        let mut types: Vec<&TypeRef> = self.parameters.iter().map(|p| &p.ty).collect();
        types.extend(self.request_body.as_ref().map(|b| &b.ty));
        types.extend(self.response.body.types());
        types.extend(self.pagination.as_ref().and_then(Pagination::data_items));
        types
    }

    /// [`Operation::types`], to rewrite them (final names, renames).
    pub fn types_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut types: Vec<&mut TypeRef> = self.parameters.iter_mut().map(|p| &mut p.ty).collect();
        types.extend(self.request_body.as_mut().map(|b| &mut b.ty));
        types.extend(self.response.body.types_mut());
        types.extend(self.pagination.as_mut().and_then(Pagination::data_items_mut));
        types
    }
}
