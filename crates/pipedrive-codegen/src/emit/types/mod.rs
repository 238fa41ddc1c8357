//! Emits one API version's `types` module: structs, enums and unions from the IR's named types.
//!
//! Request types serialize only and leave unset optional fields out; a nullable optional field is
//! `Option<Option<T>>` so it can be left unchanged, set, or cleared to `null`. Response types
//! deserialize leniently: optional fields default to `None`, unlisted properties land in `extra`,
//! and response enums keep values the document does not list in an `UnknownValue` variant.
//! Structs, enums and unions are `#[non_exhaustive]`, so a value, field or variant that Pipedrive
//! adds later is a minor release of the generated crate, not a breaking one; a struct the caller
//! builds (an item of a list in a body, say, or a response in the caller's tests) has `Default`
//! or `new(required fields)`, and its fields are public.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

mod enums;
mod serde_impls;
mod structs;
mod unions;

use super::tokens::{Scope, doc_lines, inner_doc_lines, paragraphs};
use crate::ident::UNKNOWN_VARIANT;
use crate::ident::{unique, unraw};
use crate::ir::{EnumRepr, Field, Literal, Trait, TypeDef, TypeKind};
use crate::markdown::code_span;
use crate::surface;

/// What the emitters of one types module share.
struct Module<'a> {
    scope: Scope,
    enums: BTreeSet<&'a str>,
    /// Where operations use each type, for types the document does not describe.
    summaries: &'a BTreeMap<&'a str, String>,
}

/// The `types` module of one API version. `multipart` names the types sent as multipart bodies.
pub fn emit_types_module(
    api: &str,
    title: &str,
    types: &[&TypeDef],
    multipart: &BTreeSet<String>,
    summaries: &BTreeMap<&str, String>,
    features: &BTreeMap<&str, BTreeSet<&str>>,
) -> TokenStream {
    let module = Module {
        summaries,
        scope: Scope::types_module(types.iter().map(|t| t.name.as_str())),
        enums: types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Enum { .. }))
            .map(|t| t.name.as_str())
            .collect(),
    };
    let doc = inner_doc_lines(&format!(
        "Types of {title} ({api}): request bodies, response data and enums.\n\n\
         Structurally identical schemas in the document are one type here; each type says where it comes from.\n\n\
         Every struct can be built outside this crate, in a test say: with `Default::default()`, or \
         `new(..)` where a required field has no default, then by setting its public fields. \
         A response serializes to JSON that reads back as the same value, unset fields left out (not `null`)."
    ));
    let items = types.iter().map(|t| {
        let items = module.emit_type(t, multipart);
        let cfg = super::features::cfg_attr(features.get(t.name.as_str()).into_iter().flatten().copied());
        super::features::with_cfg(&cfg, items)
    });
    quote! {
        #doc
        #(#items)*
    }
}

impl Module<'_> {
    /// A type's items: its struct, enum or union and their impls.
    fn emit_type(&self, t: &TypeDef, multipart: &BTreeSet<String>) -> TokenStream {
        let module = self;
        match &t.kind {
            TypeKind::Struct { fields, additional } => {
                module.emit_struct(t, fields, additional, multipart.contains(&t.name))
            }
            TypeKind::Enum {
                repr: EnumRepr::String,
                variants,
                default,
                open,
            } => module.emit_string_enum(t, variants, default.as_ref(), *open),
            TypeKind::Enum {
                variants,
                default,
                open,
                ..
            } => module.emit_integer_enum(t, variants, default.as_ref(), *open),
            TypeKind::Union {
                variants,
                discriminator,
            } => module.emit_union(t, variants, discriminator.as_deref()),
        }
    }
}

/// Whether a type is `Copy`: integer enums (their unknown values are numbers) and closed
/// string enums; open string enums keep unknown values as `String`.
pub(super) fn derives_copy(def: &TypeDef) -> bool {
    surface::traits_of(def).contains(&Trait::Copy)
}

/// `#[derive(..)]` of the traits `def` implements (as [`crate::surface`] recorded them) that
/// are derived: all but `Display` and `FromStr`, which are always written out, and the ones in
/// `written_out`.
pub(super) fn derive_attr(def: &TypeDef, written_out: &[Trait]) -> TokenStream {
    let traits = surface::traits_of(def);
    let derived = traits
        .iter()
        .filter(|t| !matches!(t, Trait::Display | Trait::FromStr) && !written_out.contains(t))
        .map(|t| {
            let segments = t.path().split("::").map(|s| format_ident!("{s}"));
            quote!(#(#segments)::*)
        });
    quote!(#[derive(#(#derived),*)])
}

/// Name of the map that keeps unlisted properties: `extra`, unless a property has that name;
/// then `extra_properties`, numbered if a property has that name too.
pub fn extra_field_name(fields: &[Field]) -> proc_macro2::Ident {
    let mut taken: BTreeSet<String> = fields.iter().map(|f| unraw(&f.rust_name).to_owned()).collect();
    let name = if taken.contains("extra") {
        unique("extra_properties".to_owned(), &mut taken)
    } else {
        "extra".to_owned()
    };
    format_ident!("{name}")
}

/// A type's rustdoc: the document's description, or else where operations use it
/// (`summary`); then `notes`; then where the schema is.
fn type_doc(def: &TypeDef, summary: Option<&String>, notes: Option<String>) -> TokenStream {
    let sources = match def.sources.as_slice() {
        [] => None,
        [only] => Some(format!("Schema at `{only}`.")),
        [first, rest @ ..] => Some(format!(
            "Schema at `{first}` and {} more identical place{}.",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        )),
    };
    let description = def.description.clone().or_else(|| summary.cloned());
    doc_lines(&paragraphs([description, notes, sources]))
}

/// How a caller builds a request struct, which is `#[non_exhaustive]`.
fn request_construction_note(fields: &[Field]) -> String {
    let start = if fields.iter().any(|f| f.required) {
        "Build it with [`Self::new`], which takes the required fields"
    } else {
        "Build it with `Default::default()`"
    };
    format!(
        "{start}, then assign the optional fields you want to send. Fields Pipedrive adds later \
         arrive as a minor release: the struct is `#[non_exhaustive]`."
    )
}

fn field_doc(field: &Field) -> String {
    let description = field.description.clone().or_else(|| {
        Some(format!(
            "{} (the document does not describe it).",
            code_span(&field.name)
        ))
    });
    let default = field
        .default
        .as_ref()
        .map(|d| format!("Default: {}.", code_span(&d.to_string())));
    let deprecated = field.deprecated.then(|| "**Deprecated** by Pipedrive.".to_owned());
    paragraphs([description, default, deprecated])
}

fn literal_i64(value: &Literal) -> i64 {
    match value {
        Literal::Integer(i) => *i,
        Literal::Number(n) => *n as i64,
        Literal::Bool(b) => i64::from(*b),
        Literal::String(_) => 0,
    }
}
