//! Enums: `enum` values of a string, integer or number schema into an enum shape, values of
//! another JSON type than the schema's taken as its type.

use std::collections::BTreeMap;

use serde_json::Value;

use std::collections::BTreeSet;

use super::{SchemaCtx, ShapeBody, ShapeKey, TypeCollector};
use crate::error::{Diagnostic, pointer_join};
use crate::ir::{EnumRepr, TypeRef};
use crate::lower::view::json_kind;

impl<'d> TypeCollector<'d> {
    pub(in crate::lower) fn lower_enum(
        &mut self,
        repr: EnumRepr,
        values: &[Value],
        default: Option<&Value>,
        title: Option<&str>,
        description: Option<&str>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<TypeRef, Diagnostic> {
        let mut keys = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let ok = match repr {
                EnumRepr::String => value.is_string(),
                EnumRepr::Integer => value.is_i64(),
                EnumRepr::Number => value.is_number(),
            };
            if value.is_null() {
                continue;
            }
            if !ok {
                return Err(self
                    .error(
                        ctx,
                        &pointer_join(&pointer_join(&ctx.pointer, "enum"), i),
                        format!("enum value `{value}` is a {}", json_kind(value)),
                    )
                    .expected(format!("{} values, matching the schema's type", repr_name(repr))));
            }
            let key = value.to_string();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let mut default = default.filter(|d| !d.is_null()).map(Value::to_string);
        // OpenAPI 3.0 only asks a default to match the type, and a mismatch (`ASC` for `asc`) is
        // the kind of slip a document update brings: the enum is generated without a default.
        if let Some(d) = default.take_if(|d| !keys.contains(d)) {
            let warning = self
                .error(
                    ctx,
                    &pointer_join(&ctx.pointer, "default"),
                    format!("the default {d} is not one of the enum values; the enum gets no default"),
                )
                .expected(format!("one of {}", keys.join(", ")))
                .warning();
            self.warnings.push(warning);
        }
        let key = ShapeKey {
            direction: ctx.direction,
            body: ShapeBody::Enum {
                repr,
                values: keys,
                default,
            },
        };
        Ok(self.intern(key, title, description, BTreeMap::new(), ctx))
    }
}

/// Whether `value` is already of the JSON type `repr` names.
fn fits(repr: EnumRepr, value: &Value) -> bool {
    match repr {
        EnumRepr::String => value.is_string(),
        EnumRepr::Integer => value.is_i64(),
        EnumRepr::Number => value.is_number(),
    }
}

/// `value` as the JSON type `repr` names, if it has such a reading.
fn convert(repr: EnumRepr, value: &Value) -> Option<Value> {
    match (repr, value) {
        (EnumRepr::String, Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
        (EnumRepr::Integer, Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
        (EnumRepr::Integer, Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| Value::from(f as i64)),
        (EnumRepr::Number, Value::String(text)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        _ => None,
    }
}

pub(in crate::lower) fn repr_name(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
        EnumRepr::Number => "number",
    }
}

impl TypeCollector<'_> {
    /// `values` as the schema's type says (`repr`): a value of another JSON type is converted
    /// where it can be (`1` in a string enum is `"1"`, `"2"` in an integer enum is `2`) and left
    /// out where it cannot, with one warning naming both. `null` stays.
    pub(in crate::lower) fn enum_values_as(
        &mut self,
        repr: EnumRepr,
        values: &[Value],
        ctx: &SchemaCtx<'_>,
    ) -> Vec<Value> {
        let mut taken = Vec::new();
        let mut converted = Vec::new();
        let mut left_out = Vec::new();
        for value in values {
            if value.is_null() || fits(repr, value) {
                taken.push(value.clone());
                continue;
            }
            match convert(repr, value) {
                Some(as_repr) => {
                    converted.push(format!("{value} as {as_repr}"));
                    taken.push(as_repr);
                }
                None => left_out.push(value.to_string()),
            }
        }
        if !converted.is_empty() || !left_out.is_empty() {
            let mut message = format!("enum values that are not {}s:", repr_name(repr));
            if !converted.is_empty() {
                message.push_str(&format!(" taken as the schema's type: {}", converted.join(", ")));
            }
            if !left_out.is_empty() {
                let sep = if converted.is_empty() { "" } else { ";" };
                message.push_str(&format!("{sep} left out: {}", left_out.join(", ")));
            }
            let warning = self
                .error(ctx, &pointer_join(&ctx.pointer, "enum"), message)
                .expected(format!("{} values, matching the schema's type", repr_name(repr)))
                .warning();
            self.warnings.push(warning);
        }
        taken
    }

    /// The error for an enum whose values are of more than one JSON type.
    pub(in crate::lower) fn mixed_enum(&self, values: &[Value], ctx: &SchemaCtx<'_>) -> Diagnostic {
        let kinds: BTreeSet<&str> = values.iter().filter(|v| !v.is_null()).map(json_kind).collect();
        self.error(
            ctx,
            &pointer_join(&ctx.pointer, "enum"),
            format!(
                "the enum mixes value types ({})",
                kinds.into_iter().collect::<Vec<_>>().join(", ")
            ),
        )
        .expected("enum values that are all strings, all integers or all numbers")
    }
}
