//! Which fields and union variants hold their value in a `Box`.
//!
//! A struct that contains itself by value (a tree node's `parent: Option<Node>`), directly or
//! through other structs and unions (`A` → `B` → `A`), has no size Rust can lay out. As
//! prost-build and typify do, each such step inside a cycle goes through a `Box`; a `Vec` or a map
//! already holds its items behind a pointer, so `children: Vec<Node>` needs none. Decided on the
//! named IR, once per API version, in the order of the types: deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Marks [`crate::ir::Field::boxed`] and [`crate::ir::UnionVariant::boxed`] on `types` (one API
/// version's): every step by value from a type to one that leads back to it.
pub(super) fn mark_boxes(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|def| (def.name.clone(), by_value(def).into_iter().map(str::to_owned).collect()))
        .collect();
    for def in types.iter_mut() {
        let name = def.name.clone();
        let cycles_back = |ty: &TypeRef| held(ty).is_some_and(|target| reaches(&edges, target, &name));
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields {
                    field.boxed = cycles_back(&field.ty);
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    variant.boxed = cycles_back(&variant.ty);
                }
            }
            TypeKind::Enum { .. } => {}
        }
    }
}

/// The named type a value of `ty` holds in place: through `Option`, not through `Vec` or a map.
fn held(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) => held(inner),
        TypeRef::Scalar(_) | TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => None,
    }
}

/// The types a value of `def` holds in place.
fn by_value(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| held(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| held(&v.ty)).collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// Whether `to` is `from` or held in place by it, at any depth. Walked with a stack of its own,
/// not by recursion: a document decides how long a chain of types is.
fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut pending = vec![from];
    while let Some(name) = pending.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name) {
            pending.extend(edges.get(name).into_iter().flatten().map(String::as_str));
        }
    }
    false
}
