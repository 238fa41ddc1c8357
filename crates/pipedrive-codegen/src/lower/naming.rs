//! Naming: turns interned shapes into named types, deterministically. The README's "Names"
//! section says the same for users.
//!
//! Every shape carries the titles and context names of all its copies, and the resources whose
//! main object it is. Its candidate names, best first: the resource's name (`Deal`, for the
//! struct `GET /deals/{id}` returns; a shape several resources return takes the words their
//! names end in alike: `DealField` and `PersonField` give `Field`), then its titles, then (for a
//! shape used in several places under one field name) that name (`SortDirection` for the
//! `asc`/`desc` of a dozen list operations), then its context names (`GetStagesSortBy`,
//! `StageItemLocation`), then a numbered context name. Shapes of resources go first, then titled
//! ones, the most used first (ties: first seen in the canonical visiting order), and each takes
//! the first of its candidates that is still free. So a schema titled `StageItem` that appears
//! five times identically is one type, and a different schema that also claims the title gets a
//! name from where it is used rather than `StageItem2`.
//!
//! Before the rules: a name the config gives a schema place (`names:`), and then the name a type
//! had in the previous generation, if that is one of its candidates (see [`assign_names`]).

use std::collections::{BTreeMap, BTreeSet};

use super::types::{SHAPE_MARK, Shape, ShapeBody, literal_from_key};
use crate::ident::{UNKNOWN_VARIANT, pascal_ident, unique};
use crate::ir::{Direction, EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Chooses a name for every shape; the result is indexed like `shapes`.
///
/// `previous` maps each schema place (`file#pointer`, and whether it was sent or received: one
/// schema may be both, as two types) of the previous generation to the name its type had. A shape that may take that name (it is one of its candidates below, and one of
/// its titles if it has any) keeps it, before any other shape is named: otherwise adding a tag to
/// the config, or Pipedrive adding an operation with the same enum, would rename a type that did
/// not change (`GetStagesSortDirection` becoming `SortDirection` once a second list shares it), a
/// breaking change for nothing. A title the document gives, or a naming rule of a newer
/// generator, still renames: the old name is then no candidate.
pub fn assign_names(
    shapes: &[Shape],
    previous: &BTreeMap<(Direction, String), String>,
    given: &BTreeMap<&str, &str>,
) -> Vec<String> {
    let mut order: Vec<usize> = (0..shapes.len()).collect();
    order.sort_by_key(|&i| {
        let shape = shapes.get(i);
        let resource = shape.is_some_and(|s| !s.resources.is_empty());
        let titled = shape.is_some_and(|s| s.hints.iter().any(|h| h.title.is_some()));
        let uses = shape.map_or(0, |s| s.sources.len());
        (!resource, !titled, std::cmp::Reverse(uses), i)
    });
    // `New` is never a type's name: request structs have a `new` constructor, and clippy's
    // `self_named_constructors` denies `New::new`.
    let mut taken = BTreeSet::from(["New".to_owned()]);
    let mut names = vec![String::new(); shapes.len()];
    // Names the config gives come first: a maintainer's decision, whatever the rules say.
    for &i in &order {
        let (Some(shape), Some(slot)) = (shapes.get(i), names.get_mut(i)) else {
            continue;
        };
        let chosen = shape.sources.iter().find_map(|source| given.get(source.as_str()));
        if let Some(&name) = chosen.filter(|name| !taken.contains(**name)) {
            taken.insert(name.to_owned());
            name.clone_into(slot);
        }
    }
    let candidates: Vec<Vec<String>> = shapes.iter().map(candidate_names).collect();
    for &i in &order {
        let (Some(shape), Some(own)) = (shapes.get(i), candidates.get(i)) else {
            continue;
        };
        if names.get(i).is_some_and(|n| !n.is_empty()) {
            continue;
        }
        // A resource's name, else a title (the document's own name for the schema), is all a
        // type may keep when it has one.
        let preferred: Vec<String> = match resource_candidate(shape) {
            Some(resource) => vec![resource],
            None => shape
                .hints
                .iter()
                .filter_map(|h| h.title.as_deref())
                .map(|t| pascal_ident(t, "Type"))
                .collect(),
        };
        let may_keep = |name: &String| {
            (if preferred.is_empty() { own } else { &preferred }).contains(name) && !taken.contains(name)
        };
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

/// The names a shape may take, best first: its resource's, its titles, then (for a shape used
/// in several places under one field name) that name, then its context names.
fn candidate_names(shape: &Shape) -> Vec<String> {
    let mut candidates: Vec<String> = resource_candidate(shape).into_iter().collect();
    for title in shape.hints.iter().filter_map(|h| h.title.as_deref()) {
        candidates.push(pascal_ident(title, "Type"));
    }
    if let Some(field) = shared_field(shape) {
        candidates.push(pascal_ident(field, "Type"));
    }
    for hint in &shape.hints {
        candidates.push(pascal_ident(&hint.context, "Type"));
    }
    // Before a number: the one field name it is used under, as a second `additional_data`
    // whose context name (`CursorPagination`) another shape took.
    if let Some(field) = one_field(shape) {
        candidates.push(pascal_ident(field, "Type"));
    }
    candidates
}

/// The field name every use of the shape has, if they agree on one.
fn one_field(shape: &Shape) -> Option<&str> {
    let first = shape.hints.first()?.field.as_deref()?;
    shape
        .hints
        .iter()
        .all(|h| h.field.as_deref() == Some(first))
        .then_some(first)
}

/// The name of a resource, from its tag: the tag in PascalCase, its last word made singular
/// (`Deals` → `Deal`, `ActivityFields` → `ActivityField`, `Currencies` → `Currency`).
pub fn resource_name(tag: &str) -> String {
    let plural = pascal_ident(tag, "Type");
    singular(&plural)
}

/// English plurals as Pipedrive's tags write them: `-ies` → `-y`, `-sses`/`-xes` lose `-es`, a
/// final `-s` goes (not `-ss`: `Business`); a word without one stays (`Mailbox`, `Billing`).
/// Written here rather than taken from an inflection crate: these rules cover every tag, and the
/// maintained crates bring tables of irregular words no tag has.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes"] {
        if let Some(stem) = word.strip_suffix(ending) {
            return format!("{stem}{}", ending.trim_end_matches("es"));
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !stem.is_empty() => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// The resource name a shape takes: its resource's, or, for a shape several resources return,
/// the words their names end in alike (`DealField`, `PersonField` → `Field`), or else the first
/// name in order.
fn resource_candidate(shape: &Shape) -> Option<String> {
    let mut names = shape.resources.iter();
    let first = names.next()?;
    let mut common = words(first);
    for name in names {
        let other = words(name);
        let shared = common
            .iter()
            .rev()
            .zip(other.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        common = common.split_off(common.len() - shared);
    }
    Some(if common.is_empty() {
        first.clone()
    } else {
        common.concat()
    })
}

/// The words of a PascalCase name: `DealField` → `Deal`, `Field`.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
}

/// The field or parameter name every use of a shape shares, when it is used in more than one
/// place: `sort_direction` for the `asc`/`desc` enum of a dozen list operations, which then reads
/// `SortDirection` rather than borrowing the first operation's name (`GetActivitiesSortDirection`).
fn shared_field(shape: &Shape) -> Option<&str> {
    let contexts: BTreeSet<&str> = shape.hints.iter().map(|h| h.context.as_str()).collect();
    one_field(shape).filter(|_| contexts.len() > 1)
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
                                // Decided once every type is named (`boxing`).
                                boxed: false,
                                constraints: shape
                                    .field_constraints
                                    .get(&f.name)
                                    .map(|rules| rules.iter().copied().collect())
                                    .unwrap_or_default(),
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
                            boxed: false,
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
