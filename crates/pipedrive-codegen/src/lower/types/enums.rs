//! Enums: `enum` values of a string, integer or number schema into an enum shape.

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

pub(in crate::lower) fn repr_name(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
        EnumRepr::Number => "number",
    }
}

impl TypeCollector<'_> {
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
