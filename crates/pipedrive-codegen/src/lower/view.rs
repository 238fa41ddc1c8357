//! One uniform view of a schema, whatever shape `openapiv3` parsed it into.
//!
//! `openapiv3` splits schemas into well-formed `Type`s and a catch-all `AnySchema` (used for
//! `properties` without `type`, `items` without `type`, enums of mixed types, an object that also
//! has `allOf`, …). Lowering should not care which: [`view`] maps both onto [`View`], so every
//! typing rule is written once.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;

/// Properties as `openapiv3` stores them.
pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// An object's own part: properties, required names, `additionalProperties`.
#[derive(Debug, Clone, Copy)]
pub struct ObjectPart<'a> {
    pub properties: &'a Properties,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
}

#[derive(Debug)]
pub enum View<'a> {
    Object(ObjectPart<'a>),
    Array {
        items: Option<&'a ReferenceOr<Box<Schema>>>,
    },
    String {
        format: Option<String>,
        values: Vec<Value>,
    },
    Integer {
        format: Option<String>,
        values: Vec<Value>,
    },
    Number {
        values: Vec<Value>,
    },
    Boolean,
    /// `allOf`, plus the schema's own properties when it has both.
    AllOf {
        parts: &'a [ReferenceOr<Schema>],
        own: Option<ObjectPart<'a>>,
    },
    OneOf(&'a [ReferenceOr<Schema>]),
    AnyOf(&'a [ReferenceOr<Schema>]),
    Not,
    /// An `enum` whose values are not all of one JSON type.
    MixedEnum(Vec<Value>),
    /// `type` names something OpenAPI 3.0 does not have.
    UnknownType(String),
    /// No constraints: any JSON value.
    Any,
}

fn format_of<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}")),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn values<T: Clone + Into<Value>>(items: &[Option<T>]) -> Vec<Value> {
    items
        .iter()
        .map(|v| v.clone().map_or(Value::Null, Into::into))
        .collect()
}

/// Maps a parsed schema onto a [`View`].
pub fn view(schema: &Schema) -> View<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => View::Object(ObjectPart {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }),
        SchemaKind::Type(Type::Array(a)) => View::Array {
            items: a.items.as_ref(),
        },
        SchemaKind::Type(Type::String(s)) => View::String {
            // openapiv3 prints known formats as `Date`, `DateTime`, …; normalise to the spec spelling.
            format: format_of(&s.format).map(|f| normalise_format(&f)),
            values: values(&s.enumeration),
        },
        SchemaKind::Type(Type::Integer(i)) => View::Integer {
            format: format_of(&i.format).map(|f| normalise_format(&f)),
            values: values(&i.enumeration),
        },
        SchemaKind::Type(Type::Number(n)) => View::Number {
            values: n
                .enumeration
                .iter()
                .map(|v| {
                    v.and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                        .unwrap_or(Value::Null)
                })
                .collect(),
        },
        SchemaKind::Type(Type::Boolean(_)) => View::Boolean,
        SchemaKind::AllOf { all_of } => View::AllOf {
            parts: all_of,
            own: None,
        },
        SchemaKind::OneOf { one_of } => View::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => View::AnyOf(any_of),
        SchemaKind::Not { .. } => View::Not,
        SchemaKind::Any(any) => view_any(any),
    }
}

/// `AnySchema` holds every keyword; decide what it really is.
fn view_any(any: &openapiv3::AnySchema) -> View<'_> {
    let own = (!any.properties.is_empty() || any.additional_properties.is_some()).then_some(ObjectPart {
        properties: &any.properties,
        required: &any.required,
        additional: any.additional_properties.as_ref(),
    });
    if !any.all_of.is_empty() {
        return View::AllOf {
            parts: &any.all_of,
            own,
        };
    }
    if !any.one_of.is_empty() {
        return View::OneOf(&any.one_of);
    }
    if !any.any_of.is_empty() {
        return View::AnyOf(&any.any_of);
    }
    if any.not.is_some() {
        return View::Not;
    }
    // With a `type`, values of another JSON type are taken as that type (lowering warns); only
    // an enum that states no type and mixes them leaves no way to tell what is meant.
    if any.typ.is_none() && !any.enumeration.is_empty() && !enum_is_uniform(&any.enumeration) {
        return View::MixedEnum(any.enumeration.clone());
    }
    let values = any.enumeration.clone();
    match any.typ.as_deref() {
        Some("object") => View::Object(own.unwrap_or(ObjectPart {
            properties: &any.properties,
            required: &any.required,
            additional: None,
        })),
        Some("array") => View::Array {
            items: any.items.as_ref(),
        },
        Some("string") => View::String {
            format: any.format.clone(),
            values,
        },
        Some("integer") => View::Integer {
            format: any.format.clone(),
            values,
        },
        Some("number") => View::Number { values },
        Some("boolean") => View::Boolean,
        Some(other) => View::UnknownType(other.to_owned()),
        None => match (own, any.items.as_ref()) {
            (Some(part), _) => View::Object(part),
            (None, Some(items)) => View::Array { items: Some(items) },
            (None, None) => match values.iter().find(|v| !v.is_null()) {
                Some(Value::String(_)) => View::String {
                    format: any.format.clone(),
                    values,
                },
                Some(Value::Number(n)) if n.is_i64() => View::Integer { format: None, values },
                Some(Value::Number(_)) => View::Number { values },
                Some(Value::Bool(_)) => View::Boolean,
                _ => View::Any,
            },
        },
    }
}

/// True when every non-null value has the same JSON type (integers and other numbers count as one).
fn enum_is_uniform(values: &[Value]) -> bool {
    let mut kinds = values.iter().filter(|v| !v.is_null()).map(|v| match v {
        Value::Bool(_) => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    });
    match kinds.next() {
        Some(first) => kinds.all(|k| k == first),
        None => true,
    }
}

fn normalise_format(debug: &str) -> String {
    match debug {
        "Date" => "date".into(),
        "DateTime" => "date-time".into(),
        "Password" => "password".into(),
        "Byte" => "byte".into(),
        "Binary" => "binary".into(),
        "Int32" => "int32".into(),
        "Int64" => "int64".into(),
        other => other.to_owned(),
    }
}

/// A short name for the JSON type of a value, for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
