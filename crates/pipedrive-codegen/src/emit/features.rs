//! Cargo features: one per tag (the IR's `Tag::feature`), so an application compiles only the
//! operations it calls and the types they use.
//!
//! A tag module is compiled with its tag's feature; an API version's module with any of its
//! tags' features; a type with the feature of any tag whose operations use it, directly or
//! through another type (a stage inside a deal inside a list of deals). `full` turns them all on.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Operation, Tag, TypeDef, TypeRef};

/// Each feature, in order, with the tags it compiles (one per API version that has the tag) and
/// how many operations each holds: what the crate's docs and README tabulate.
pub(super) fn tags_by_feature(api: &Api) -> Vec<(&str, Vec<(&Tag, usize)>)> {
    all_features(api)
        .into_iter()
        .map(|feature| {
            let tags = api
                .tags
                .iter()
                .filter(|t| t.feature == feature)
                .map(|t| {
                    let count = api
                        .operations
                        .iter()
                        .filter(|o| o.api == t.api && o.tag == t.name)
                        .count();
                    (t, count)
                })
                .collect();
            (feature, tags)
        })
        .collect()
}

/// The features that compile each type of one API version, by type name.
pub(super) fn type_features<'a>(api: &'a Api, api_name: &str) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let types: BTreeMap<&str, &TypeDef> = api
        .types
        .iter()
        .filter(|t| t.api == api_name)
        .map(|t| (t.name.as_str(), t))
        .collect();
    let mut features: BTreeMap<&'a str, BTreeSet<&'a str>> = BTreeMap::new();
    for op in api.operations.iter().filter(|o| o.api == api_name) {
        let Some(feature) = feature_of(api, op) else {
            continue;
        };
        let mut pending: Vec<&str> = Vec::new();
        for ty in op.types() {
            named_in(ty, &mut pending);
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(name) = pending.pop() {
            let Some(def) = types.get(name) else { continue };
            if !seen.insert(def.name.as_str()) {
                continue;
            }
            features.entry(def.name.as_str()).or_default().insert(feature);
            for ty in def.kind.types() {
                named_in(ty, &mut pending);
            }
        }
    }
    features
}

/// The features of an API version's tags.
pub(super) fn api_features<'a>(api: &'a Api, api_name: &str) -> BTreeSet<&'a str> {
    api.tags
        .iter()
        .filter(|t| t.api == api_name)
        .map(|t| t.feature.as_str())
        .collect()
}

/// Every tag's feature, in order.
pub(super) fn all_features(api: &Api) -> BTreeSet<&str> {
    api.tags.iter().map(|t| t.feature.as_str()).collect()
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`; nothing for no
/// feature (an item every build needs).
pub(super) fn cfg_attr<'f>(features: impl IntoIterator<Item = &'f str>) -> TokenStream {
    let features: Vec<&str> = features.into_iter().collect();
    match features.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `items` with `cfg` on each of them: a type's struct or enum and its impls are compiled
/// together or not at all.
pub(super) fn with_cfg(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    let items = split_items(items);
    quote!(#(#cfg #items)*)
}

/// Splits emitted items at their ends, read off the tokens: a `;`, or a `{ ... }` block not
/// followed by one (`const X: T = T { .. };` ends at its `;`). Parsing the items with `syn` to
/// find them cost a second parse of every type, about a tenth of a Stages run's instructions
/// beyond reading the documents; the file is parsed once, for formatting, anyway.
fn split_items(items: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut split = Vec::new();
    let mut current = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        current.push(token);
        if ends {
            split.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        split.push(current.into_iter().collect());
    }
    split
}

fn feature_of<'a>(api: &'a Api, op: &Operation) -> Option<&'a str> {
    api.tags
        .iter()
        .find(|t| t.api == op.api && t.name == op.tag)
        .map(|t| t.feature.as_str())
}

/// Pushes the named types in `ty` onto `out`.
fn named_in<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(name) => out.push(name),
        TypeRef::Array(inner) | TypeRef::Nullable(inner) | TypeRef::Map(inner) => named_in(inner, out),
        TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::with_cfg;

    /// Every item gets the `cfg`, and an item's end is found whether it ends in a block, a `;`
    /// or a block and a `;`.
    #[test]
    fn each_item_gets_the_cfg() {
        let cfg = quote!(#[cfg(feature = "deals")]);
        let items = quote! {
            #[derive(Debug)]
            pub struct A { x: i64 }
            pub struct B(i64);
            impl A { const C: B = B { 0: 1 }; fn f() {} }
            const D: A = A { x: 1 };
            pub type E = A;
        };
        let out = with_cfg(&cfg, items).to_string();
        assert_eq!(out.matches("# [cfg (feature = \"deals\")]").count(), 5, "{out}");
        let file: syn::File = syn::parse_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(file.items.len(), 5, "{out}");
        assert!(
            file.items
                .iter()
                .all(|item| quote!(#item).to_string().starts_with("# [cfg")),
            "{out}"
        );
    }
}
