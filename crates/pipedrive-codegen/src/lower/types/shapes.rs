//! Shapes: a type's structure without names or docs, the key under which identical schemas are
//! interned as one type, and the literals (defaults, enum values) inside it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::{Additional, Direction, EnumRepr, Literal, TypeRef};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShapeKey {
    pub direction: Direction,
    pub body: ShapeBody,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShapeBody {
    Struct {
        fields: Vec<FieldKey>,
        additional: Additional,
    },
    Enum {
        repr: EnumRepr,
        values: Vec<String>,
        default: Option<String>,
    },
    Union {
        /// Name, type, and the discriminator value that names the variant.
        variants: Vec<(String, TypeRef, Option<String>)>,
        discriminator: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldKey {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
    pub default: Option<String>,
}

/// One interned shape with everything naming and emitting need.
#[derive(Debug, Clone)]
pub struct Shape {
    pub key: ShapeKey,
    /// Every description its copies give. Copies merged into one type may describe it each in
    /// their own way ("Updated stage object" where an update returns it); only a description all
    /// of them agree on describes the type.
    pub descriptions: BTreeSet<String>,
    /// Field descriptions by wire name, from the first copy that has one.
    pub field_docs: BTreeMap<String, String>,
    pub hints: Vec<NameHint>,
    /// `file#pointer` of every copy.
    pub sources: BTreeSet<String>,
    /// The resources whose main object this is, by name (`Deal`): what their operation that
    /// gets one by id (`GET /deals/{id}`) returns (see `naming`).
    pub resources: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHint {
    pub title: Option<String>,
    pub context: String,
    pub field: Option<String>,
}

/// A document value as an IR literal (objects and arrays have no literal form).
pub fn literal(value: &Value) -> Option<Literal> {
    match value {
        Value::Bool(b) => Some(Literal::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(Literal::Integer)
            .or_else(|| n.as_f64().map(Literal::Number)),
        Value::String(s) => Some(Literal::String(s.clone())),
        _ => None,
    }
}

/// The canonical text of a literal, for shape keys.
pub fn literal_key(literal: &Literal) -> String {
    serde_json::to_string(literal).unwrap_or_default()
}

/// Parses a literal key back.
pub fn literal_from_key(key: &str) -> Option<Literal> {
    serde_json::from_str::<Value>(key).ok().as_ref().and_then(literal)
}
