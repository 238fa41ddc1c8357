//! Naming: turns interned shapes into named types, deterministically.
//!
//! Every shape carries the titles and context names of all its copies. Shapes with a title go
//! first, the most used first (ties: first seen in the canonical visiting order), and each takes
//! the first of its candidate names that is still free: its titles, then (for a shape used in
//! several places under one field name) that name, then its context names
//! (`GetStagesSortBy`, `StageItemLocation`), then a numbered context name. So a schema titled
//! `StageItem` that appears five times identically is one `StageItem`, and a different schema that
//! also claims the title gets a name from where it is used rather than `StageItem2`. Before all
//! that, a shape keeps the name its type had in the previous generation, if that name is one of
//! its candidates (see [`assign_names`]).

use std::collections::{BTreeMap, BTreeSet};

use super::types::{SHAPE_MARK, Shape, ShapeBody, literal_from_key};
use crate::ident::{pascal_ident, unique};
use crate::ir::{Direction, EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant};

/// The fallback variant of open enums, holding a value the document does not list.
pub const UNKNOWN_VARIANT: &str = "UnknownValue";

/// Chooses a name for every shape; the result is indexed like `shapes`.
///
/// `previous` maps each schema place (`file#pointer`, and whether it was sent or received: one
/// schema may be both, as two types) of the previous generation to the name its type had. A shape that may take that name (it is one of its candidates below, and one of
/// its titles if it has any) keeps it, before any other shape is named: otherwise adding a tag to
/// the config, or Pipedrive adding an operation with the same enum, would rename a type that did
/// not change (`GetStagesSortDirection` becoming `SortDirection` once a second list shares it), a
/// breaking change for nothing. A title the document gives, or a naming rule of a newer
/// generator, still renames: the old name is then no candidate.
pub fn assign_names(shapes: &[Shape], previous: &BTreeMap<(Direction, String), String>) -> Vec<String> {
    let mut order: Vec<usize> = (0..shapes.len()).collect();
    order.sort_by_key(|&i| {
        let shape = shapes.get(i);
        let titled = shape.is_some_and(|s| s.hints.iter().any(|h| h.title.is_some()));
        let uses = shape.map_or(0, |s| s.sources.len());
        (!titled, std::cmp::Reverse(uses), i)
    });
    // `New` is never a type's name: request structs have a `new` constructor, and clippy's
    // `self_named_constructors` denies `New::new`.
    let mut taken = BTreeSet::from(["New".to_owned()]);
    let mut names = vec![String::new(); shapes.len()];
    let candidates: Vec<Vec<String>> = shapes.iter().map(candidate_names).collect();
    for &i in &order {
        let (Some(shape), Some(own)) = (shapes.get(i), candidates.get(i)) else {
            continue;
        };
        // A title is the document's own name for the schema: with one, only a title is kept.
        let titles: Vec<String> = shape
            .hints
            .iter()
            .filter_map(|h| h.title.as_deref())
            .map(|t| pascal_ident(t, "Type"))
            .collect();
        let may_keep =
            |name: &String| (if titles.is_empty() { own } else { &titles }).contains(name) && !taken.contains(name);
        let kept = shape
            .sources
            .iter()
            .filter_map(|source| previous.get(&(shape.key.direction, source.clone())))
            .find(|name| may_keep(name));
        if let (Some(name), Some(slot)) = (kept, names.get_mut(i)) {
            taken.insert(name.clone());
            slot.clone_from(name);
        }
    }
    for i in order {
        let (Some(own), Some(slot)) = (candidates.get(i), names.get_mut(i)) else {
            continue;
        };
        if !slot.is_empty() {
            continue;
        }
        let chosen = own
            .iter()
            .find(|c| !taken.contains(*c))
            .cloned()
            .unwrap_or_else(|| unique(own.first().cloned().unwrap_or_else(|| "Type".into()), &mut taken));
        taken.insert(chosen.clone());
        *slot = chosen;
    }
    names
}

/// The names a shape may take, best first: its titles, then (for a shape used in several
/// places under one field name) that name, then its context names.
fn candidate_names(shape: &Shape) -> Vec<String> {
    let mut candidates: Vec<String> = Vec::new();
    for title in shape.hints.iter().filter_map(|h| h.title.as_deref()) {
        candidates.push(pascal_ident(title, "Type"));
    }
    if let Some(field) = shared_field(shape) {
        candidates.push(pascal_ident(field, "Type"));
    }
    for hint in &shape.hints {
        candidates.push(pascal_ident(&hint.context, "Type"));
    }
    candidates
}

/// The field or parameter name every use of a shape shares, when it is used in more than one
/// place: `sort_direction` for the `asc`/`desc` enum of a dozen list operations, which then reads
/// `SortDirection` rather than borrowing the first operation's name (`GetActivitiesSortDirection`).
fn shared_field(shape: &Shape) -> Option<&str> {
    let first = shape.hints.first()?.field.as_deref()?;
    let contexts: BTreeSet<&str> = shape.hints.iter().map(|h| h.context.as_str()).collect();
    (contexts.len() > 1 && shape.hints.iter().all(|h| h.field.as_deref() == Some(first))).then_some(first)
}

/// Replaces shape placeholders in a type reference with final names.
pub fn resolve_ref(ty: &mut TypeRef, names: &[String]) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(index) = name.strip_prefix(SHAPE_MARK).and_then(|i| i.parse::<usize>().ok()) {
                if let Some(real) = names.get(index) {
                    *name = real.clone();
                }
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => resolve_ref(inner, names),
        TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}

/// Builds the IR types of one API version from its shapes and their names, sorted by name.
pub fn build_types(api: &str, shapes: &[Shape], names: &[String]) -> Vec<TypeDef> {
    let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
    for (shape, name) in shapes.iter().zip(names) {
        let kind = match &shape.key.body {
            ShapeBody::Struct { fields, additional } => {
                let mut additional = additional.clone();
                if let crate::ir::Additional::Typed(ty) = &mut additional {
                    resolve_ref(ty, names);
                }
                TypeKind::Struct {
                    fields: fields
                        .iter()
                        .map(|f| {
                            let mut ty = f.ty.clone();
                            resolve_ref(&mut ty, names);
                            Field {
                                name: f.name.clone(),
                                rust_name: f.rust_name.clone(),
                                ty,
                                required: f.required,
                                nullable: f.nullable,
                                description: shape.field_docs.get(&f.name).cloned(),
                                default: f.default.as_deref().and_then(literal_from_key),
                                deprecated: f.deprecated,
                            }
                        })
                        .collect(),
                    additional,
                }
            }
            ShapeBody::Enum { repr, values, default } => {
                // Open enums carry a fallback variant; no document value may take its name.
                let mut taken = BTreeSet::from([UNKNOWN_VARIANT.to_owned()]);
                TypeKind::Enum {
                    repr: *repr,
                    variants: values
                        .iter()
                        .filter_map(|v| literal_from_key(v))
                        .map(|value| EnumVariant {
                            rust_name: unique(variant_name(&value), &mut taken),
                            value,
                        })
                        .collect(),
                    default: default.as_deref().and_then(literal_from_key),
                    open: shape.key.direction == Direction::Response,
                }
            }
            ShapeBody::Union {
                variants,
                discriminator,
            } => TypeKind::Union {
                variants: variants
                    .iter()
                    .map(|(rust_name, ty, tag)| {
                        let mut ty = ty.clone();
                        resolve_ref(&mut ty, names);
                        UnionVariant {
                            rust_name: rust_name.clone(),
                            ty,
                            tag: tag.clone(),
                        }
                    })
                    .collect(),
                discriminator: discriminator.clone(),
            },
        };
        types.insert(
            name.clone(),
            TypeDef {
                api: api.to_owned(),
                name: name.clone(),
                description: match shape.descriptions.len() {
                    1 => shape.descriptions.first().cloned(),
                    _ => None,
                },
                direction: shape.key.direction,
                kind,
                sources: shape.sources.iter().cloned().collect(),
                traits: Vec::new(),
            },
        );
    }
    types.into_values().collect()
}

/// `update_time` → `UpdateTime`, `0` → `V0`, `-1` → `VMinus1`, `1.5` → `V1_5`, `""` → `Empty`.
fn variant_name(value: &crate::ir::Literal) -> String {
    use crate::ir::Literal;
    match value {
        Literal::String(s) => pascal_ident(s, "Empty"),
        Literal::Integer(i) if *i < 0 => format!("VMinus{}", i.unsigned_abs()),
        Literal::Integer(i) => format!("V{i}"),
        Literal::Number(n) => format!("V{}", n.to_string().replace('-', "Minus").replace('.', "_")),
        Literal::Bool(b) => {
            if *b {
                "True".into()
            } else {
                "False".into()
            }
        }
    }
}
