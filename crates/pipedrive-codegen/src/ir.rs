//! The intermediate representation: plain data between lowering and emitting.
//!
//! Lowering (`crate::lower`) turns Pipedrive's OpenAPI documents into an [`Api`]; emitting
//! (`crate::emit`) turns an [`Api`] into Rust source. Nothing here holds token streams or
//! references into the parsed documents, every collection has a deterministic order, and the whole
//! value is `Serialize`, so its snapshot reads as a description of the API: a reviewer sees
//! "operation `getStages` gained a parameter" here before reading any generated code.
//! Names in the IR are final: identifiers are already escaped and types already de-duplicated.

use serde::{Deserialize, Serialize};

mod constraint;
pub use constraint::Constraint;

fn is_false(b: &bool) -> bool {
    !*b
}

/// Everything the generator emits, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// The documents read, in config order.
    pub documents: Vec<Document>,
    /// Tags that have generated operations, sorted by API version and name.
    pub tags: Vec<Tag>,
    /// Generated operations: by API version (config order), tag, then path and method.
    pub operations: Vec<Operation>,
    /// Named types, sorted by API version and name.
    pub types: Vec<TypeDef>,
}

/// One OpenAPI document and the Rust module its operations and types live in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Short API version name from the config (`v1`, `v2`); also the Rust module name.
    pub api: String,
    /// The document's file name, for error messages and docs.
    pub file: String,
    /// `info.title` of the document.
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    /// Path prefix of the document's server (`/v1`, `/api/v2`), put in front of every path.
    pub server_prefix: String,
}

/// An OpenAPI tag: one Rust module per API version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub api: String,
    pub name: String,
    /// Rust module name (`stages`).
    pub module: String,
    /// Name of the struct that groups the tag's operations (`Stages`).
    pub struct_name: String,
    /// The Cargo feature that compiles the tag's operations and the types they use (`stages`),
    /// shared by the tags of the same name in every API version. Empty only in an `api.json`
    /// written before features were.
    #[serde(default)]
    pub feature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

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

/// An operation's builder as code that uses the crate sees it: the inputs the tag method that
/// creates it takes, and its setters, each under a name unique in the builder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuilderSurface {
    /// Arguments of the tag method (`get_stage(id)`), in the order the caller passes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<Input>,
    /// Setters, in builder order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setters: Vec<Input>,
}

impl BuilderSurface {
    /// Every input, arguments first.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        self.arguments.iter().chain(&self.setters)
    }

    /// The input that sets `source`, and whether it is an argument.
    pub fn find(&self, source: &InputSource) -> Option<(&Input, bool)> {
        self.arguments
            .iter()
            .map(|i| (i, true))
            .chain(self.setters.iter().map(|i| (i, false)))
            .find(|(i, _)| &i.source == source)
    }
}

/// One input of a builder: its argument or setter name and what it sets.
///
/// Serialized on one line, so the IR diff reads like a signature: `limit: query limit`,
/// `name: body name`, `due_date: body due_date, null by clear_due_date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Input {
    /// Rust name of the argument or setter (`pipeline_id`).
    pub name: String,
    /// What it sets.
    pub source: InputSource,
    /// For a nullable body field: the method that sends `null` (`clear_due_date`).
    pub clear: Option<String>,
}

/// Between an input's source and its `clear_` method in the one-line form.
const NULL_BY: &str = ", null by ";

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.source)?;
        match &self.clear {
            Some(clear) => write!(f, "{NULL_BY}{clear}"),
            None => Ok(()),
        }
    }
}

impl From<Input> for String {
    fn from(input: Input) -> String {
        input.to_string()
    }
}

impl TryFrom<String> for Input {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let Some((name, rest)) = s.split_once(": ") else {
            return Err(format!("`{s}` is not an input: expected `NAME: SOURCE`"));
        };
        let (source, clear) = match rest.split_once(NULL_BY) {
            Some((source, clear)) => (source, Some(clear.to_owned())),
            None => (rest, None),
        };
        Ok(Input {
            name: name.to_owned(),
            source: InputSource::try_from(source.to_owned())?,
            clear,
        })
    }
}

/// What an [`Input`] sets: `query limit`, `path id`, `header X`, `body name` (a body field) or
/// `body` (a whole body).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum InputSource {
    /// A parameter, by location and name on the wire.
    Parameter { location: ParamLocation, name: String },
    /// A field of a struct body, by name on the wire.
    BodyField(String),
    /// A body that is not a struct (an array, say), passed whole.
    Body,
}

impl std::fmt::Display for InputSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputSource::Parameter { location, name } => write!(f, "{} {name}", location.as_str()),
            InputSource::BodyField(name) => write!(f, "body {name}"),
            InputSource::Body => f.write_str("body"),
        }
    }
}

impl From<InputSource> for String {
    fn from(source: InputSource) -> String {
        source.to_string()
    }
}

impl TryFrom<String> for InputSource {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        if s == "body" {
            return Ok(InputSource::Body);
        }
        let Some((place, name)) = s.split_once(' ') else {
            return Err(format!(
                "`{s}` is not an input: expected `query NAME`, `path NAME`, `header NAME`, `body NAME` or `body`"
            ));
        };
        let location = match place {
            "body" => return Ok(InputSource::BodyField(name.to_owned())),
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            other => {
                return Err(format!(
                    "`{other}` is not where an input goes: expected path, query, header or body"
                ));
            }
        };
        Ok(InputSource::Parameter {
            location,
            name: name.to_owned(),
        })
    }
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
    /// The body's type. When it is a named struct its fields become builder setters; any other
    /// body (an array, say) is passed whole.
    pub ty: TypeRef,
    pub required: bool,
    /// Rules on the body as a whole, checked before sending: `min_properties` on a struct body
    /// (fields set), `min_items`/`max_items` on a list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    Json,
    Form,
    Multipart,
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
            ResponseBody::Binary | ResponseBody::Empty => Vec::new(),
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
            ResponseBody::Binary | ResponseBody::Empty => Vec::new(),
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
}

/// A reference to a type, as used by a field or parameter.
///
/// Serialized as a short type expression so IR diffs read like signatures: `i64`, `string`,
/// `StageItem`, `[StageItem]` (array), `i64?` (nullable), `map<any>`, `any`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum TypeRef {
    Scalar(Scalar),
    /// A type in [`Api::types`] of the same API version.
    Named(String),
    Array(Box<TypeRef>),
    /// A value that may be JSON `null` where no field carries the nullability (array items,
    /// map values, union variants).
    Nullable(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scalar {
    String,
    /// `integer` with no format, or `int64`.
    I64,
    /// `integer` with `format: int32`.
    I32,
    /// `number`.
    F64,
    Bool,
    /// v1's `type: number, enum: [0, 1]`: a `bool` on the Rust side, `0`/`1` on the wire.
    BoolAsNumber,
    /// `format: date` (`YYYY-MM-DD`): the runtime's `Date`, which keeps the text as sent.
    Date,
    /// `format: date-time` (RFC 3339): the runtime's `DateTime`, which keeps the text as sent
    /// (v1 sends `YYYY-MM-DD HH:MM:SS`) and parses it on request.
    DateTime,
    /// `format: uuid`: text.
    Uuid,
    /// `format: binary`: file contents.
    Binary,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    pub api: String,
    /// Final Rust name, unique within its API version.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the type is sent, received, or both. Response types tolerate what the document
    /// does not list; request types are closed.
    pub direction: Direction,
    pub kind: TypeKind,
    /// Every place the (structurally identical) schema appears: file and JSON pointer.
    pub sources: Vec<String>,
    /// The traits the generated type implements, derived or written out: filled in after
    /// lowering by [`crate::surface`]. Empty only in an `api.json` written before they were
    /// recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<Trait>,
}

/// A trait a generated type implements, in the order derives are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Trait {
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    Display,
    FromStr,
}

impl Trait {
    /// The trait's name as code names it (`Default`, `serde::Serialize`).
    pub fn path(self) -> &'static str {
        match self {
            Trait::Debug => "Debug",
            Trait::Clone => "Clone",
            Trait::Copy => "Copy",
            Trait::PartialEq => "PartialEq",
            Trait::Eq => "Eq",
            Trait::Hash => "Hash",
            Trait::PartialOrd => "PartialOrd",
            Trait::Ord => "Ord",
            Trait::Default => "Default",
            Trait::Serialize => "serde::Serialize",
            Trait::Deserialize => "serde::Deserialize",
            Trait::Display => "std::fmt::Display",
            Trait::FromStr => "std::str::FromStr",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// What to do with properties the document does not list.
        additional: Additional,
    },
    Enum {
        repr: EnumRepr,
        variants: Vec<EnumVariant>,
        default: Option<Literal>,
        /// Open enums (response direction) keep values the document does not list.
        open: bool,
    },
    /// `oneOf`/`anyOf`: variants tried in order, then the raw JSON; or, when every variant is
    /// an object that names itself in one property (`item: {enum: [deal]}`), decoded as the
    /// variant that property names.
    Union {
        variants: Vec<UnionVariant>,
        /// The property whose value names the variant (each variant's [`UnionVariant::tag`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discriminator: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Literal>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Whether the field holds its value in a `Box`: its type contains the struct (a tree
    /// node's `parent`), which Rust can only lay out behind a pointer.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
    /// Rules the value must meet, checked before sending (request types only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "policy", content = "value")]
pub enum Additional {
    /// `additionalProperties: false` on a request type: nothing extra.
    None,
    /// Extra properties kept as JSON (every response struct, and `additionalProperties: true`).
    Json,
    /// `additionalProperties: <schema>`.
    Typed(TypeRef),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumRepr {
    String,
    Integer,
    Number,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: Literal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// The value of the union's discriminator that names this variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Whether the variant holds its value in a `Box`, as [`Field::boxed`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub boxed: bool,
}

impl Scalar {
    const ALL: [Scalar; 10] = [
        Scalar::String,
        Scalar::I64,
        Scalar::I32,
        Scalar::F64,
        Scalar::Bool,
        Scalar::BoolAsNumber,
        Scalar::Date,
        Scalar::DateTime,
        Scalar::Uuid,
        Scalar::Binary,
    ];

    /// The name used in type expressions.
    pub fn name(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::I64 => "i64",
            Scalar::I32 => "i32",
            Scalar::F64 => "f64",
            Scalar::Bool => "bool",
            Scalar::BoolAsNumber => "bool-as-number",
            Scalar::Date => "date",
            Scalar::DateTime => "date-time",
            Scalar::Uuid => "uuid",
            Scalar::Binary => "binary",
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Scalar(s) => f.write_str(s.name()),
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::Array(inner) => write!(f, "[{inner}]"),
            TypeRef::Nullable(inner) => write!(f, "{inner}?"),
            TypeRef::Map(inner) => write!(f, "map<{inner}>"),
            TypeRef::Any => f.write_str("any"),
        }
    }
}

impl From<TypeRef> for String {
    fn from(ty: TypeRef) -> String {
        ty.to_string()
    }
}

impl TryFrom<String> for TypeRef {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl std::str::FromStr for TypeRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if let Some(inner) = s.strip_suffix('?') {
            return Ok(TypeRef::Nullable(Box::new(inner.parse()?)));
        }
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            return Ok(TypeRef::Array(Box::new(inner.parse()?)));
        }
        if let Some(inner) = s.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
            return Ok(TypeRef::Map(Box::new(inner.parse()?)));
        }
        if s == "any" {
            return Ok(TypeRef::Any);
        }
        if let Some(scalar) = Scalar::ALL.iter().find(|sc| sc.name() == s) {
            return Ok(TypeRef::Scalar(*scalar));
        }
        if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Ok(TypeRef::Named(s.to_owned()));
        }
        Err(format!("`{s}` is not a type expression"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_round_trip_through_their_one_line_form() {
        let input = Input {
            name: "clear".to_owned(),
            source: InputSource::BodyField("due date".to_owned()),
            clear: Some("clear_clear".to_owned()),
        };
        assert_eq!(input.to_string(), "clear: body due date, null by clear_clear");
        assert_eq!(Input::try_from(input.to_string()), Ok(input));
        let path = Input {
            name: "id".to_owned(),
            source: InputSource::Parameter {
                location: ParamLocation::Path,
                name: "id".to_owned(),
            },
            clear: None,
        };
        assert_eq!(Input::try_from("id: path id".to_owned()), Ok(path));
        assert_eq!(
            Input::try_from("whole: body".to_owned()).map(|i| i.source),
            Ok(InputSource::Body)
        );
        assert!(Input::try_from("id path id".to_owned()).is_err());
        assert!(Input::try_from("id: cookie id".to_owned()).is_err());
    }

    #[test]
    fn type_expressions_round_trip() {
        let ty = TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(TypeRef::Map(Box::new(
            TypeRef::Named("StageItem".into()),
        ))))));
        assert_eq!(ty.to_string(), "[map<StageItem>?]");
        assert_eq!("[map<StageItem>?]".parse::<TypeRef>(), Ok(ty));
        assert_eq!(
            "bool-as-number".parse::<TypeRef>(),
            Ok(TypeRef::Scalar(Scalar::BoolAsNumber))
        );
        assert!("[oops".parse::<TypeRef>().is_err());
    }
}
