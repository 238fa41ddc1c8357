//! Scalars: the Rust type of a text, integer or number schema by its `format`, or by what its
//! description says where the documents give no format (`quirks`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Named, SchemaCtx, TypeCollector};
use crate::error::{Diagnostic, pointer_join};
use crate::ir::{EnumRepr, Scalar, TypeRef};
use crate::lower::quirks;

/// The scalar of a text schema: by its `format`, or, without one, by the format its description
/// states in words (v1 gives its dates and times no `format`; see `quirks`).
pub(in crate::lower) fn text_scalar(format: Option<&str>, description: Option<&str>) -> Scalar {
    string_scalar(format.or_else(|| description.and_then(quirks::format_from_description)))
}

pub(in crate::lower) fn string_scalar(format: Option<&str>) -> Scalar {
    match format {
        Some("date") => Scalar::Date,
        Some("date-time") => Scalar::DateTime,
        Some("uuid") => Scalar::Uuid,
        Some("binary") => Scalar::Binary,
        // `byte` (base64), `url`, `email`, Pipedrive's `YYYY-MM-DD` and others stay text.
        _ => Scalar::String,
    }
}

pub(in crate::lower) fn is_zero_one(values: &[&Value]) -> bool {
    let set: BTreeSet<String> = values
        .iter()
        .map(|v| v.as_f64().map_or_else(String::new, |f| f.to_string()))
        .collect();
    set.len() == 2 && set.contains("0") && set.contains("1")
}

impl<'d> TypeCollector<'d> {
    /// A string: an enum of its values, else text by its format (a file only where `ctx`
    /// allows one); and whether `null` is one of its values.
    pub(in crate::lower) fn lower_text(
        &mut self,
        format: Option<&str>,
        values: &[Value],
        named: &Named<'_>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let values = &self.enum_values_as(EnumRepr::String, values, ctx);
        if values.iter().any(|v| !v.is_null()) {
            let ty = self.lower_enum(
                EnumRepr::String,
                values,
                named.default,
                named.title,
                named.description,
                ctx,
            )?;
            return Ok((ty, values.iter().any(Value::is_null)));
        }
        let ty = match text_scalar(format, named.description) {
            Scalar::Binary if !ctx.file => TypeRef::Scalar(Scalar::String),
            scalar => TypeRef::Scalar(scalar),
        };
        Ok((ty, false))
    }

    /// An integer: an enum of its values, else `i64` (`i32` for `format: int32`); and whether
    /// `null` is one of its values.
    pub(in crate::lower) fn lower_integer(
        &mut self,
        format: Option<&str>,
        values: &[Value],
        named: &Named<'_>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let values = &self.enum_values_as(EnumRepr::Integer, values, ctx);
        if values.iter().any(|v| !v.is_null()) {
            let ty = self.lower_enum(
                EnumRepr::Integer,
                values,
                named.default,
                named.title,
                named.description,
                ctx,
            )?;
            return Ok((ty, values.iter().any(Value::is_null)));
        }
        let scalar = if format.is_none() && named.description.is_some_and(quirks::is_zero_one_flag) {
            Scalar::BoolAsNumber
        } else if format == Some("int32") {
            Scalar::I32
        } else {
            Scalar::I64
        };
        Ok((TypeRef::Scalar(scalar), false))
    }

    /// A number: `f64`; v1's `enum: [0, 1]` a `bool` sent as 0/1; an enum of whole numbers an
    /// integer enum; an enum with fractions `f64`, with a warning.
    pub(in crate::lower) fn lower_number(
        &mut self,
        values: &[Value],
        named: &Named<'_>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<TypeRef, Diagnostic> {
        let values = &self.enum_values_as(EnumRepr::Number, values, ctx);
        let present: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if present.is_empty() {
            return Ok(TypeRef::Scalar(Scalar::F64));
        }
        if is_zero_one(&present) {
            return Ok(TypeRef::Scalar(Scalar::BoolAsNumber));
        }
        if present.iter().all(|v| v.as_f64().is_some_and(is_exact_integer)) {
            // `type: number, enum: [1, 3, 5, 7]` holds integers: an integer enum.
            let integers: Vec<Value> = values
                .iter()
                .map(|v| v.as_f64().map_or(Value::Null, |f| Value::from(f as i64)))
                .collect();
            // A whole default becomes the integer it names; any other (`1.5`, a string) goes on
            // as it is, so the check that a default is one of the values reports it instead of
            // truncating it to a value that is.
            let default = named.default.map(|d| match d.as_f64() {
                Some(f) if is_exact_integer(f) => Value::from(f as i64),
                _ => d.clone(),
            });
            return self.lower_enum(
                EnumRepr::Integer,
                &integers,
                default.as_ref(),
                named.title,
                named.description,
                ctx,
            );
        }
        // A Rust enum cannot carry fractional values (nor integers too large for an `f64` to
        // hold exactly); the value is a plain number.
        let listed: Vec<String> = present.iter().map(|v| v.to_string()).collect();
        self.warnings.push(
            self.error(
                ctx,
                &pointer_join(&ctx.pointer, "enum"),
                format!(
                    "a `number` enum with values that are not all integers ({}) is typed as `f64`; any number is accepted",
                    listed.join(", ")
                ),
            )
            .expected("integer values, or `type: string` for named values")
            .warning(),
        );
        Ok(TypeRef::Scalar(Scalar::F64))
    }
}

/// A whole number an `f64` holds exactly.
fn is_exact_integer(f: f64) -> bool {
    f.fract() == 0.0 && f.abs() < 9.0e15
}
