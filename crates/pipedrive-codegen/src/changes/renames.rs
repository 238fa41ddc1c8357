//! Types renamed between two generations: found by the schema place they share, and written
//! into the old IR's references before the comparison, so a renamed type is listed once, as a
//! rename, and not again under every field, parameter and operation that names it.

use std::collections::BTreeMap;

use crate::ir::{Api, TypeDef, TypeRef};

/// A removed type that lives on under another name.
pub(super) struct Rename<'a> {
    pub(super) old: &'a TypeDef,
    pub(super) new: &'a TypeDef,
}

/// The types that carry another name in `new` than in `old`: the same schema (they share a place
/// in the document) of the same API version, direction and kind. Matched by place first, so a
/// name that went from one schema to another (`Deal` from a list's item to the struct
/// `GET /deals/{id}` returns) is two renames, not one type changed beyond recognition.
pub(super) fn find<'a>(old: &'a [TypeDef], new: &'a [TypeDef]) -> Vec<Rename<'a>> {
    let mut taken: Vec<&TypeDef> = Vec::new();
    let mut renames = Vec::new();
    for before in old {
        let successor = new.iter().find(|after| {
            after.api == before.api
                && after.direction == before.direction
                && std::mem::discriminant(&after.kind) == std::mem::discriminant(&before.kind)
                && after.sources.iter().any(|s| before.sources.contains(s))
                && !taken.iter().any(|t| std::ptr::eq(*t, *after))
        });
        if let Some(after) = successor {
            taken.push(after);
            if after.name != before.name {
                renames.push(Rename {
                    old: before,
                    new: after,
                });
            }
        }
    }
    renames
}

/// `api` with every reference to a renamed type written with its new name (the types keep
/// their own names, so they still pair as a rename).
pub(super) fn with_new_names(api: &Api, renames: &[Rename<'_>]) -> Api {
    let names: BTreeMap<(&str, &str), &str> = renames
        .iter()
        .map(|r| ((r.old.api.as_str(), r.old.name.as_str()), r.new.name.as_str()))
        .collect();
    let mut api = api.clone();
    for op in &mut api.operations {
        let api_name = op.api.clone();
        for ty in op.types_mut() {
            rewrite(ty, &api_name, &names);
        }
    }
    for def in &mut api.types {
        for ty in def.kind.types_mut() {
            rewrite(ty, &def.api, &names);
        }
    }
    api
}

fn rewrite(ty: &mut TypeRef, api: &str, names: &BTreeMap<(&str, &str), &str>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(new) = names.get(&(api, name.as_str())) {
                (*new).clone_into(name);
            }
        }
        TypeRef::Array(inner) | TypeRef::Nullable(inner) | TypeRef::Map(inner) => rewrite(inner, api, names),
        TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}
