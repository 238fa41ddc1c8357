//! Clippy lints that a name or type from the documents can trip in generated code, and the
//! `#[allow]` each gets where it does: the crate builds clippy-clean whatever Pipedrive names things.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::unraw;
use crate::ir::TypeRef;

/// Method names of std traits (`add`, `clone`, `next`, …) that clippy's `should_implement_trait`
/// flags on a method of matching shape. Pipedrive's names are kept: an `add` field (ids to add)
/// has an `add` setter, not a trait.
const TRAIT_METHOD_NAMES: [&str; 30] = [
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

pub(super) fn trait_method_allow(name: &str) -> Option<TokenStream> {
    TRAIT_METHOD_NAMES
        .contains(&unraw(name))
        .then(|| quote!(#[allow(clippy::should_implement_trait)]))
}

/// `#[allow(clippy::type_complexity)]` where a field or argument type nests as deeply as a
/// document's schema can (`Option<Option<BTreeMap<String, Vec<Option<Vec<f64>>>>>>`), given how
/// many `Option`s wrap it. Clippy scores each type in a type ten times its nesting depth and
/// warns above 250; the allow comes a little early, which costs nothing.
pub(super) fn allow_type_complexity<'t>(types: impl IntoIterator<Item = (&'t TypeRef, u64)>) -> Option<TokenStream> {
    fn score(ty: &TypeRef, depth: u64) -> u64 {
        10 * depth
            + match ty {
                TypeRef::Array(t) | TypeRef::Nullable(t) => score(t, depth + 1),
                // `BTreeMap<String, T>`: the key type is one more type at the next depth.
                TypeRef::Map(t) => 10 * (depth + 1) + score(t, depth + 1),
                TypeRef::Scalar(_) | TypeRef::Named(_) | TypeRef::Any => 0,
            }
    }
    let complex = types
        .into_iter()
        .any(|(ty, options)| (1..=options).map(|d| 10 * d).sum::<u64>() + score(ty, options + 1) > 200);
    complex.then(|| quote!(#[allow(clippy::type_complexity)]))
}
