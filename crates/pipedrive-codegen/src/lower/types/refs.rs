//! Following `$ref`s: where a reference points in the document (a component, or a schema
//! inside one), and how deep lowering follows them.

use std::borrow::Borrow;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::{SchemaCtx, TypeCollector};
use crate::document::reference_tokens;
use crate::error::{Diagnostic, pointer_join};
use crate::lower::view::{View, view};

/// How many `$ref`s deep lowering follows. Real documents nest a handful (Pipedrive's, under 10);
/// inline nesting needs no cap of its own, as the YAML parser stops at 128 levels. Measured: a
/// chain of 5,000 overflowed a test thread's 2 MiB stack.
pub(in crate::lower) const MAX_REF_DEPTH: usize = 64;

/// A schema after following `$ref`: the schema, its component name if any, and where it lives.
pub(in crate::lower) struct Resolved<'d> {
    pub(in crate::lower) schema: &'d Schema,
    pub(in crate::lower) ref_name: Option<&'d str>,
    pub(in crate::lower) pointer: String,
    pub(in crate::lower) reference: Option<String>,
}

impl<'d> TypeCollector<'d> {
    /// Follows a `$ref`, or takes the schema as it is. Generic over `Schema` and `Box<Schema>`,
    /// which `openapiv3` uses in different places.
    pub(in crate::lower) fn resolve<S: Borrow<Schema>>(
        &self,
        r: &'d ReferenceOr<S>,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Resolved<'d>, Diagnostic> {
        match r {
            ReferenceOr::Item(schema) => Ok(Resolved {
                schema: schema.borrow(),
                ref_name: None,
                pointer: pointer.to_owned(),
                reference: None,
            }),
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, pointer, ctx),
        }
    }

    /// Follows `$ref: reference` (at `pointer`) to a schema: a component
    /// (`#/components/schemas/Deal`, names escaped as RFC 6901 and 3986 say), or a schema inside
    /// one (`#/components/schemas/Deal/properties/owner`), through any `$ref`s on the way.
    pub(in crate::lower) fn resolve_ref(
        &self,
        reference: &'d str,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Resolved<'d>, Diagnostic> {
        let (schema, at, name) = self.follow_ref(reference, 0).map_err(|problem| {
            let expected = match problem {
                RefProblem::NotASchema => {
                    "`#/components/schemas/<name>`, or a schema inside one (`.../properties/<name>`, `.../items`)"
                }
                RefProblem::Missing => "an existing schema under `components.schemas`",
                RefProblem::TooLong => "a chain of at most 32 `$ref`s that ends at a schema written out",
            };
            let found = match problem {
                RefProblem::NotASchema => format!("`$ref: {reference}` does not point at a schema"),
                RefProblem::Missing => format!("`$ref: {reference}` does not resolve"),
                RefProblem::TooLong => {
                    format!("`$ref: {reference}` starts a chain of `$ref`s that loops or is too long")
                }
            };
            self.error(ctx, pointer, found).expected(expected)
        })?;
        Ok(Resolved {
            schema,
            ref_name: name,
            pointer: at,
            reference: Some(reference.to_owned()),
        })
    }

    /// The schema `reference` points at, its pointer, and its component name when it is a
    /// whole component. `hops` counts the `$ref`s followed so far.
    fn follow_ref(&self, reference: &'d str, hops: usize) -> Result<(&'d Schema, String, Option<&'d str>), RefProblem> {
        if hops >= MAX_REF_HOPS {
            return Err(RefProblem::TooLong);
        }
        let tokens = reference_tokens(reference).ok_or(RefProblem::NotASchema)?;
        let (name, inside) = match tokens.as_slice() {
            [components, schemas, name, inside @ ..] if components == "components" && schemas == "schemas" => {
                (name, inside)
            }
            _ => return Err(RefProblem::NotASchema),
        };
        let (name, component) = self
            .doc
            .openapi
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(name.as_str()))
            .ok_or(RefProblem::Missing)?;
        // The name of the component the schema is, if it is a whole one.
        let (mut schema, mut at, mut whole) = match component {
            ReferenceOr::Item(schema) => (schema, pointer_join("/components/schemas", name), Some(name.as_str())),
            ReferenceOr::Reference { reference } => self.follow_ref(reference, hops + 1)?,
        };
        let mut steps = inside.iter();
        while let Some(step) = steps.next() {
            let (next, token) = match step_into(schema, step, steps.as_slice().first().map(String::as_str)) {
                Some(Step::Plain(next)) => (next, None),
                Some(Step::Keyed(next)) => (next, steps.next()),
                None => return Err(RefProblem::Missing),
            };
            at = pointer_join(&at, step);
            if let Some(index) = token {
                at = pointer_join(&at, index);
            }
            (schema, at, whole) = match next {
                Ok(item) => (item, at, None),
                Err(next) => self.follow_ref(next, hops + 1)?,
            };
        }
        Ok((schema, at, whole))
    }
}

/// Longest chain of `$ref`s followed to one schema; a longer one is taken for a loop.
const MAX_REF_HOPS: usize = 32;

/// Why a `$ref` does not lead to a schema.
#[derive(Debug, Clone, Copy)]
enum RefProblem {
    NotASchema,
    Missing,
    TooLong,
}

/// A schema one step inside another: itself (`Ok`) or the `$ref` it is (`Err`).
type Inner<'d> = Result<&'d Schema, &'d str>;

/// One step of a pointer inside a schema: a keyword (`items`) or a keyword with its key or
/// index (`properties/<name>`, `allOf/<i>`), which takes the next token too.
enum Step<'d> {
    Plain(Inner<'d>),
    Keyed(Inner<'d>),
}

fn inner<S: Borrow<Schema>>(r: &ReferenceOr<S>) -> Inner<'_> {
    match r {
        ReferenceOr::Item(schema) => Ok(schema.borrow()),
        ReferenceOr::Reference { reference } => Err(reference.as_str()),
    }
}

/// The schema `step` (and `key`, when the step takes one) names inside `schema`.
fn step_into<'d>(schema: &'d Schema, step: &str, key: Option<&str>) -> Option<Step<'d>> {
    let view = view(schema);
    let part_of = |view: &View<'d>| match view {
        View::Object(part) | View::AllOf { own: Some(part), .. } => Some(*part),
        _ => None,
    };
    match step {
        "properties" => {
            let key = key?;
            let property = part_of(&view)?.properties.get(key)?;
            Some(Step::Keyed(inner(property)))
        }
        "additionalProperties" => match part_of(&view)?.additional? {
            AdditionalProperties::Schema(schema) => Some(Step::Plain(inner(schema))),
            AdditionalProperties::Any(_) => None,
        },
        "items" => match view {
            View::Array { items: Some(items) } => Some(Step::Plain(inner(items))),
            _ => None,
        },
        "allOf" | "oneOf" | "anyOf" => {
            let key = key?;
            let list = match (step, view) {
                ("allOf", View::AllOf { parts, .. }) => parts,
                ("oneOf", View::OneOf(list)) | ("anyOf", View::AnyOf(list)) => list,
                _ => return None,
            };
            let part = list.get(key.parse::<usize>().ok()?)?;
            Some(Step::Keyed(inner(part)))
        }
        _ => None,
    }
}
