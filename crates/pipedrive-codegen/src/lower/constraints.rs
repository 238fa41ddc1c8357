//! The rules a request schema sets on its value (`minimum`, `maximum`, `minLength`, `maxLength`,
//! `minItems`, `maxItems`, `minProperties`), read into [`Constraint`]s, and the choice of those
//! worth checking before sending given the Rust type the value has.
//!
//! A rule the type already guarantees (`maximum: 9223372036854775807` on an `i64`, `minLength: 0`)
//! is dropped, so the generated code checks nothing twice; one that no value of the type can meet
//! is dropped with a warning, since checking it would refuse every call. Rules on values the
//! runtime does not measure (a `number`'s bounds, a date's length, an enum's maximum) are not read
//! into checks: Pipedrive's documents set none on request values, and the server checks anyway.

use openapiv3::{Schema, SchemaKind, Type};

use crate::error::{Diagnostic, pointer_join};
use crate::ir::{Constraint, Scalar, TypeRef};

/// Where a constrained value is: it decides which rules can apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A parameter, or a field of a request body (a builder input).
    Value,
    /// A request body as a whole: `minProperties` on a struct, `minItems`/`maxItems` on a list.
    Body,
}

/// The document keyword a constraint comes from, for a warning's JSON pointer.
fn keyword(constraint: Constraint) -> &'static str {
    match constraint {
        Constraint::Minimum(_) => "minimum",
        Constraint::Maximum(_) => "maximum",
        Constraint::MinLength(_) => "minLength",
        Constraint::MaxLength(_) => "maxLength",
        Constraint::MinItems(_) => "minItems",
        Constraint::MaxItems(_) => "maxItems",
        Constraint::MinProperties(_) => "minProperties",
    }
}

/// Every constraint keyword `schema` carries, whatever its `type`; [`worth_checking`] then keeps
/// those that apply to the value's Rust type.
pub(super) fn read(schema: &Schema) -> Vec<Constraint> {
    let count = |n: Option<usize>, make: fn(u64) -> Constraint| n.and_then(|n| u64::try_from(n).ok()).map(make);
    let found: [Option<Constraint>; 7] = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => [
            // The smallest and largest integers inside an exclusive bound are one step in.
            i.minimum
                .map(|m| Constraint::Minimum(if i.exclusive_minimum { m.saturating_add(1) } else { m })),
            i.maximum
                .map(|m| Constraint::Maximum(if i.exclusive_maximum { m.saturating_sub(1) } else { m })),
            None,
            None,
            None,
            None,
            None,
        ],
        SchemaKind::Type(Type::String(s)) => [
            None,
            None,
            count(s.min_length, Constraint::MinLength),
            count(s.max_length, Constraint::MaxLength),
            None,
            None,
            None,
        ],
        SchemaKind::Type(Type::Array(a)) => [
            None,
            None,
            None,
            None,
            count(a.min_items, Constraint::MinItems),
            count(a.max_items, Constraint::MaxItems),
            None,
        ],
        SchemaKind::Type(Type::Object(o)) => [
            None,
            None,
            None,
            None,
            None,
            None,
            count(o.min_properties, Constraint::MinProperties),
        ],
        SchemaKind::Any(any) => [
            // `as` saturates, and the document's numbers are finite (checked on load).
            any.minimum.map(|m| {
                Constraint::Minimum(if any.exclusive_minimum == Some(true) {
                    (m.floor() as i64).saturating_add(1)
                } else {
                    m.ceil() as i64
                })
            }),
            any.maximum.map(|m| {
                Constraint::Maximum(if any.exclusive_maximum == Some(true) {
                    (m.ceil() as i64).saturating_sub(1)
                } else {
                    m.floor() as i64
                })
            }),
            count(any.min_length, Constraint::MinLength),
            count(any.max_length, Constraint::MaxLength),
            count(any.min_items, Constraint::MinItems),
            count(any.max_items, Constraint::MaxItems),
            count(any.min_properties, Constraint::MinProperties),
        ],
        // Booleans and numbers have no rule checked here; `allOf`/`oneOf`/`anyOf`/`not` keep
        // theirs in their parts.
        _ => [None; 7],
    };
    found.into_iter().flatten().collect()
}

/// What to do with one constraint on a value of type `ty` (`is_struct` tells a named struct).
enum Verdict {
    Check,
    /// The type already guarantees it, or the runtime does not measure such a value.
    Skip,
    /// No value of the type meets it: what a bound that can be met would look like.
    Contradicts {
        bound: &'static str,
        expected: String,
    },
}

fn verdict(constraint: Constraint, ty: &TypeRef, place: Place, is_struct: bool) -> Verdict {
    let integer_range = match ty {
        TypeRef::Scalar(Scalar::I64) => Some((i64::MIN, i64::MAX)),
        TypeRef::Scalar(Scalar::I32) => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        _ => None,
    };
    let text = *ty == TypeRef::Scalar(Scalar::String);
    let list = matches!(ty, TypeRef::Array(_));
    match (constraint, integer_range) {
        (Constraint::Maximum(m), Some((min, _))) if m < min => Verdict::Contradicts {
            bound: "below",
            expected: format!("a maximum of at least {min}"),
        },
        (Constraint::Minimum(m), Some((_, max))) if m > max => Verdict::Contradicts {
            bound: "above",
            expected: format!("a minimum of at most {max}"),
        },
        (Constraint::Maximum(m), Some((_, max))) if m < max => Verdict::Check,
        (Constraint::Minimum(m), Some((min, _))) if m > min => Verdict::Check,
        (Constraint::MinLength(n), _) if text && n > 0 => Verdict::Check,
        (Constraint::MaxLength(_), _) if text => Verdict::Check,
        (Constraint::MinItems(n), _) if list && n > 0 => Verdict::Check,
        (Constraint::MaxItems(_), _) if list => Verdict::Check,
        (Constraint::MinProperties(n), _) if place == Place::Body && is_struct && n > 0 => Verdict::Check,
        _ => Verdict::Skip,
    }
}

/// Where a constrained value is defined, for warnings: file, the schema's JSON pointer, the
/// operation, and the value as a sentence names it (`parameter `limit``).
pub(super) struct Site<'a> {
    pub(super) file: &'a str,
    pub(super) pointer: &'a str,
    pub(super) op_id: Option<&'a str>,
    pub(super) what: String,
}

/// The constraints of `found` worth checking on a value of type `ty` (`is_struct`: a named
/// struct), in a fixed order; a warning for each that no value of the type can meet.
pub(super) fn worth_checking(
    found: &[Constraint],
    ty: &TypeRef,
    place: Place,
    is_struct: bool,
    site: &Site<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Constraint> {
    let mut kept = Vec::new();
    for &constraint in found {
        match verdict(constraint, ty, place, is_struct) {
            Verdict::Check => kept.push(constraint),
            Verdict::Skip => {}
            Verdict::Contradicts { bound, expected } => {
                let word = keyword(constraint);
                let value = constraint.to_string();
                let value = value.rsplit(' ').next().unwrap_or_default();
                warnings.push(
                    Diagnostic::new(
                        site.file,
                        pointer_join(site.pointer, word),
                        format!(
                            "{} has `{word}: {value}`, {bound} every value its type ({ty}) holds; the bound is not checked",
                            site.what
                        ),
                    )
                    .operation(site.op_id)
                    .expected(expected)
                    .warning(),
                );
            }
        }
    }
    kept.sort_unstable();
    kept.dedup();
    kept
}
