//! Types in the IR: a reference to a type (`TypeRef`, written as a short type expression in
//! `api.json`), and the named structs, enums and unions the documents' schemas become.

use serde::{Deserialize, Serialize};

#[allow(clippy::wildcard_imports)]
use super::*;

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
    /// A whole request body of raw bytes (`application/octet-stream`, `*/*`): the runtime's
    /// `Bytes`. Never a field's type: a file inside a body is [`Scalar::Binary`].
    Bytes,
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

impl TypeKind {
    /// The type references inside the type: its fields and further properties, or its variants.
    pub fn types(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => {
                let mut types: Vec<&TypeRef> = fields.iter().map(|f| &f.ty).collect();
                if let Additional::Typed(ty) = additional {
                    types.push(ty);
                }
                types
            }
            TypeKind::Enum { .. } => Vec::new(),
            TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        }
    }

    /// [`TypeKind::types`], to rewrite them (renames).
    pub fn types_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => {
                let mut types: Vec<&mut TypeRef> = fields.iter_mut().map(|f| &mut f.ty).collect();
                if let Additional::Typed(ty) = additional {
                    types.push(ty);
                }
                types
            }
            TypeKind::Enum { .. } => Vec::new(),
            TypeKind::Union { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
        }
    }
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
    const ALL: [Scalar; 11] = [
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
        Scalar::Bytes,
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
            Scalar::Bytes => "bytes",
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
