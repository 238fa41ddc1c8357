//! Emits one API version's `types` module: structs, enums and unions from the IR's named types.
//!
//! Request types serialize only and leave unset optional fields out; a nullable optional field is
//! `Option<Option<T>>` so it can be left unchanged, set, or cleared to `null`. Response types
//! deserialize leniently: optional fields default to `None`, unlisted properties land in `extra`,
//! and response enums keep values the document does not list in an `UnknownValue` variant.
//! Structs, enums and unions are `#[non_exhaustive]`, so a value, field or variant that Pipedrive
//! adds later is a minor release of the generated crate, not a breaking one; a request struct the
//! caller builds (an item of a list in a body, say) has `new(required fields)` or `Default`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{Scope, doc_lines, inner_doc_lines, int, paragraphs};
use crate::ident::{to_ident, unique, unraw};
use crate::ir::{
    Additional, Direction, EnumRepr, EnumVariant, Field, Literal, Scalar, TypeDef, TypeKind, TypeRef, UnionVariant,
};
use crate::lower::UNKNOWN_VARIANT;
use crate::markdown::code_span;

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
         Structurally identical schemas in the document are one type here; each type says where it comes from."
    ));
    let items = types.iter().map(|t| match &t.kind {
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
    });
    quote! {
        #doc
        #(#items)*
    }
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

/// Whether a type derives `Copy`: integer enums (their unknown values are numbers) and closed
/// string enums; open string enums keep unknown values as `String`.
pub(super) fn derives_copy(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Enum {
            repr: EnumRepr::String,
            open,
            ..
        } => !open,
        TypeKind::Enum { .. } => true,
        TypeKind::Struct { .. } | TypeKind::Union { .. } => false,
    }
}

/// Whether a struct derives `Default`: where every field has one, i.e. requests with no required
/// field and responses whose required fields are plain values. `changes` uses the same rule to
/// tell when a spec update adds or removes the impl.
pub(crate) fn struct_derives_default(direction: Direction, fields: &[Field]) -> bool {
    match direction {
        Direction::Request => fields.iter().all(|f| !f.required),
        Direction::Response => fields
            .iter()
            .all(|f| !f.required || f.nullable || !matches!(f.ty, TypeRef::Named(_) | TypeRef::Scalar(Scalar::Binary))),
    }
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

impl Module<'_> {
    /// `#[serde(with = ...)]` for v1's 0/1 booleans.
    fn bool_as_number(&self, field: &Field, optional: bool) -> TokenStream {
        if field.ty != TypeRef::Scalar(Scalar::BoolAsNumber) {
            return quote!();
        }
        if optional && field.nullable && !field.required {
            // `Option<Option<bool>>`: left out, `null`, or 0/1.
            quote!(#[serde(default, with = "pipedrive_runtime::serde_helpers::nullable_bool_as_number")])
        } else if optional {
            quote!(#[serde(default, with = "pipedrive_runtime::serde_helpers::option_bool_as_number")])
        } else {
            quote!(#[serde(with = "pipedrive_runtime::serde_helpers::bool_as_number")])
        }
    }

    fn emit_struct(&self, def: &TypeDef, fields: &[Field], additional: &Additional, multipart: bool) -> TokenStream {
        let name = to_ident(&def.name);
        let request = def.direction == Direction::Request;
        let option = self.scope.option();
        let is_none = self.scope.is_none_path();
        // A struct carrying a file is sent as multipart parts (`to_multipart`), never as JSON:
        // it gets no serde derive, and so no serde attributes.
        let serde = !fields.iter().any(|f| f.ty == TypeRef::Scalar(Scalar::Binary));
        let field_tokens = fields.iter().map(|field| {
            let ident = to_ident(&field.rust_name);
            let doc = doc_lines(&field_doc(field));
            let rename = if unraw(&field.rust_name) == field.name {
                quote!()
            } else {
                let wire = &field.name;
                quote!(#[serde(rename = #wire)])
            };
            let ty = self.scope.rust_type(&field.ty);
            let skip = quote!(#[serde(skip_serializing_if = #is_none)]);
            let (ty, attrs) = match (request, field.required, field.nullable) {
                (_, true, false) => (ty, self.bool_as_number(field, false)),
                (true, true, true) => (quote!(#option<#ty>), self.bool_as_number(field, true)),
                (true, false, false) => {
                    let with = self.bool_as_number(field, true);
                    (quote!(#option<#ty>), quote!(#with #skip))
                }
                // Unset, `Some(None)` (send null) or `Some(Some(v))`.
                (true, false, true) => {
                    let with = self.bool_as_number(field, true);
                    (quote!(#option<#option<#ty>>), quote!(#with #skip))
                }
                (false, _, _) => (quote!(#option<#ty>), self.bool_as_number(field, true)),
            };
            let (rename, attrs) = if serde { (rename, attrs) } else { (quote!(), quote!()) };
            quote! {
                #doc
                #rename
                #attrs
                pub #ident: #ty,
            }
        });
        let extra = match additional {
            Additional::None => quote!(),
            Additional::Json | Additional::Typed(_) => {
                let value = match additional {
                    Additional::Typed(t) => self.scope.rust_type(t),
                    _ => quote!(serde_json::Value),
                };
                let ident = extra_field_name(fields);
                let string = self.scope.string();
                let doc = doc_lines(if request {
                    "Further properties to send, beyond those listed above."
                } else {
                    "Properties the document does not list (custom fields, for instance), as sent."
                });
                let flatten = serde.then(|| quote!(#[serde(flatten)]));
                quote! {
                    #doc
                    #flatten
                    pub #ident: std::collections::BTreeMap<#string, #value>,
                }
            }
        };
        let derive_default = struct_derives_default(def.direction, fields).then(|| quote!(Default,));
        // A field is wrapped in up to two `Option`s (optional, then nullable in a request); the
        // map of further properties is `BTreeMap<String, T>`.
        let extra_map = match additional {
            Additional::Typed(t) => Some(TypeRef::Map(Box::new(t.clone()))),
            Additional::None | Additional::Json => None,
        };
        let complexity = allow_type_complexity(
            fields
                .iter()
                .map(|f| (&f.ty, 2))
                .chain(extra_map.as_ref().map(|m| (m, 0))),
        );
        let attrs = if request {
            let serialize = serde.then(|| quote!(serde::Serialize));
            quote! {
                #[derive(Debug, Clone, PartialEq, #derive_default #serialize)]
                #[non_exhaustive]
            }
        } else {
            // No `#[serde(default)]` needed: serde treats a missing `Option` field as `None`.
            quote! {
                #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
            }
        };
        let doc = type_doc(
            def,
            self.summaries.get(def.name.as_str()),
            request.then(|| request_construction_note(fields)),
        );
        let constructor = request.then(|| self.emit_constructor(&name, fields, additional));
        let multipart_impl = multipart.then(|| self.emit_multipart(def, fields));
        quote! {
            #doc
            #attrs
            #complexity
            pub struct #name {
                #(#field_tokens)*
                #extra
            }
            #constructor
            #multipart_impl
        }
    }

    /// `new(required fields)` for a request struct that has required fields. Request structs are
    /// `#[non_exhaustive]` (so an optional field Pipedrive adds later is not a breaking change), and
    /// a nested one, such as an item of a list in a body, is built by the caller: this is how.
    /// Optional fields start unset; the caller assigns the ones it wants.
    fn emit_constructor(
        &self,
        name: &proc_macro2::Ident,
        fields: &[Field],
        additional: &Additional,
    ) -> Option<TokenStream> {
        let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
        if required.is_empty() {
            return None;
        }
        let some = self.scope.some();
        let none = self.scope.none();
        let args = required.iter().map(|f| {
            let ident = to_ident(&f.rust_name);
            let (ty, _) = self.scope.setter_param(&f.ty);
            quote!(#ident: #ty)
        });
        let inits = fields.iter().map(|f| {
            let ident = to_ident(&f.rust_name);
            if !f.required {
                return quote!(#ident: #none,);
            }
            let (_, into) = self.scope.setter_param(&f.ty);
            match (into, f.nullable) {
                (false, false) => quote!(#ident,),
                (false, true) => quote!(#ident: #some(#ident),),
                (true, false) => quote!(#ident: #ident.into(),),
                (true, true) => quote!(#ident: #some(#ident.into()),),
            }
        });
        let extra = match additional {
            Additional::None => quote!(),
            Additional::Json | Additional::Typed(_) => {
                let ident = extra_field_name(fields);
                quote!(#ident: std::collections::BTreeMap::new(),)
            }
        };
        let summary = if required.len() == fields.len() {
            "A value with these fields:"
        } else {
            "A value with the required fields set and the optional ones unset:"
        };
        let doc = doc_lines(&format!(
            "{summary}\n\n{}",
            required
                .iter()
                .map(|f| {
                    let first_line = field_doc(f).lines().next().map(str::to_owned).unwrap_or_default();
                    format!("- `{}`: {first_line}", unraw(&f.rust_name))
                })
                .collect::<Vec<_>>()
                .join("\n")
        ));
        // Clippy's limit is seven arguments.
        let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let complexity = allow_type_complexity(required.iter().map(|f| (&f.ty, 0)));
        Some(quote! {
            impl #name {
                #doc
                #too_many
                #complexity
                pub fn new(#(#args),*) -> Self {
                    Self {
                        #(#inits)*
                        #extra
                    }
                }
            }
        })
    }

    /// `to_multipart()` for bodies sent as `multipart/form-data`: files as file parts,
    /// everything else as text (structured values as JSON).
    fn emit_multipart(&self, def: &TypeDef, fields: &[Field]) -> TokenStream {
        let name = to_ident(&def.name);
        let some = self.scope.some();
        let parts = fields.iter().map(|field| {
            let ident = to_ident(&field.rust_name);
            let wire = &field.name;
            let add = match &field.ty {
                TypeRef::Scalar(Scalar::Binary) => quote!(form = form.file(#wire, value.file_name.clone(), value.content_type.clone(), value.bytes.clone());),
                TypeRef::Scalar(Scalar::BoolAsNumber) => quote!(form = form.text(#wire, u8::from(*value).to_string());),
                TypeRef::Scalar(_) => quote!(form = form.text(#wire, value.to_string());),
                TypeRef::Named(n) if self.enums.contains(n.as_str()) => quote!(form = form.text(#wire, value.to_string());),
                _ => quote!(form = form.text(#wire, serde_json::to_string(value).unwrap_or_default());),
            };
            match (field.required, field.nullable) {
                (true, false) => quote!({ let value = &self.#ident; #add }),
                (false, true) => quote!(if let #some(#some(value)) = &self.#ident { #add }),
                _ => quote!(if let #some(value) = &self.#ident { #add }),
            }
        });
        quote! {
            impl #name {
                /// The body as `multipart/form-data` parts.
                pub fn to_multipart(&self) -> pipedrive_runtime::MultipartForm {
                    let mut form = pipedrive_runtime::MultipartForm::new();
                    #(#parts)*
                    form
                }
            }
        }
    }

    fn enum_doc(&self, def: &TypeDef, default: Option<&Literal>, open: bool) -> TokenStream {
        let default = default.map(|d| {
            format!(
                "Default: {} (what Pipedrive uses when the value is left out; also this type's `Default`).",
                code_span(&d.to_string())
            )
        });
        let open = open.then(|| format!("Values this client does not know yet are kept in `{UNKNOWN_VARIANT}`, so a new server value never breaks decoding."));
        let notes = Some(paragraphs([default, open])).filter(|s| !s.is_empty());
        type_doc(def, self.summaries.get(def.name.as_str()), notes)
    }

    fn emit_string_enum(
        &self,
        def: &TypeDef,
        variants: &[EnumVariant],
        default: Option<&Literal>,
        open: bool,
    ) -> TokenStream {
        let name = to_ident(&def.name);
        let (string, result, ok, err) = (
            self.scope.string(),
            self.scope.result(),
            self.scope.ok(),
            self.scope.err(),
        );
        let unknown = format_ident!("{}", UNKNOWN_VARIANT);
        let idents: Vec<_> = variants.iter().map(|v| to_ident(&v.rust_name)).collect();
        let wires: Vec<String> = variants.iter().map(|v| v.value.to_string()).collect();
        let items = variants.iter().zip(&idents).zip(&wires).map(|((v, ident), wire)| {
            let doc = doc_lines(&code_span(wire));
            let is_default = (default == Some(&v.value)).then(|| quote!(#[default]));
            quote!(#doc #[serde(rename = #wire)] #is_default #ident,)
        });
        let derive_default = default.map(|_| quote!(Default,));
        let (copy, unknown_variant, as_str_unknown, from_str) = if open {
            (
                quote!(),
                quote! {
                    /// A value this version of the client does not know, as sent.
                    #[serde(untagged)]
                    #unknown(#string),
                },
                quote!(Self::#unknown(value) => value,),
                quote! {
                    impl std::str::FromStr for #name {
                        type Err = std::convert::Infallible;

                        fn from_str(value: &str) -> #result<Self, Self::Err> {
                            #ok(match value {
                                #( #wires => Self::#idents, )*
                                other => Self::#unknown(other.to_owned()),
                            })
                        }
                    }
                },
            )
        } else {
            let type_name = &def.name;
            (
                quote!(Copy,),
                quote!(),
                quote!(),
                quote! {
                    impl std::str::FromStr for #name {
                        type Err = pipedrive_runtime::ParseEnumError;

                        fn from_str(value: &str) -> #result<Self, Self::Err> {
                            match value {
                                #( #wires => #ok(Self::#idents), )*
                                other => #err(pipedrive_runtime::ParseEnumError::new(#type_name, other, Self::ALL.iter().map(Self::as_str))),
                            }
                        }
                    }
                },
            )
        };
        let doc = self.enum_doc(def, default, open);
        quote! {
            #doc
            #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default serde::Serialize, serde::Deserialize)]
            #[non_exhaustive]
            #[allow(clippy::enum_variant_names)]
            pub enum #name {
                #(#items)*
                #unknown_variant
            }

            impl #name {
                /// Every value the document lists.
                pub const ALL: &'static [Self] = &[#(Self::#idents),*];

                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#idents => #wires, )*
                        #as_str_unknown
                    }
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #from_str
        }
    }

    /// Integer enums (`visible_to: 1, 3, 5, 7`) travel as numbers, which serde's derive cannot
    /// express for unit variants; the impls are written out.
    fn emit_integer_enum(
        &self,
        def: &TypeDef,
        variants: &[EnumVariant],
        default: Option<&Literal>,
        open: bool,
    ) -> TokenStream {
        let name = to_ident(&def.name);
        let type_name = &def.name;
        let (result, ok, err) = (self.scope.result(), self.scope.ok(), self.scope.err());
        let unknown = format_ident!("{}", UNKNOWN_VARIANT);
        let idents: Vec<_> = variants.iter().map(|v| to_ident(&v.rust_name)).collect();
        let values: Vec<_> = variants.iter().map(|v| int(literal_i64(&v.value))).collect();
        let items = variants.iter().zip(&idents).map(|(v, ident)| {
            let doc = doc_lines(&format!("`{}`", v.value));
            let is_default = (default == Some(&v.value)).then(|| quote!(#[default]));
            quote!(#doc #is_default #ident,)
        });
        let derive_default = default.map(|_| quote!(Default,));
        let (unknown_variant, value_unknown, decode_unknown) = if open {
            (
                quote! {
                    /// A value this version of the client does not know, as sent.
                    #unknown(i64),
                },
                quote!(Self::#unknown(value) => *value,),
                quote!(other => Self::#unknown(other),),
            )
        } else {
            (
                quote!(),
                quote!(),
                quote! {
                    other => {
                        let error = pipedrive_runtime::ParseEnumError::new(#type_name, &other.to_string(), Self::ALL.iter().map(|v| v.value().to_string()));
                        return #err(<D::Error as serde::de::Error>::custom(error));
                    }
                },
            )
        };
        let doc = self.enum_doc(def, default, open);
        quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
            #[non_exhaustive]
            #[allow(clippy::enum_variant_names)]
            pub enum #name {
                #(#items)*
                #unknown_variant
            }

            impl #name {
                /// Every value the document lists.
                pub const ALL: &'static [Self] = &[#(Self::#idents),*];

                /// The value as sent on the wire.
                pub fn value(&self) -> i64 {
                    match self {
                        #( Self::#idents => #values, )*
                        #value_unknown
                    }
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    std::fmt::Display::fmt(&self.value(), f)
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let value = pipedrive_runtime::serde_helpers::integer(deserializer)?;
                    #ok(match value {
                        #( #values => Self::#idents, )*
                        #decode_unknown
                    })
                }
            }
        }
    }

    fn emit_union(&self, def: &TypeDef, variants: &[UnionVariant], discriminator: Option<&str>) -> TokenStream {
        let name = to_ident(&def.name);
        // Only a response decodes; a request union is only ever sent.
        let tagged = discriminator.filter(|_| def.direction == Direction::Response);
        let how = match tagged {
            Some(property) => format!(
                "Decoding reads `{property}` and decodes the variant it names; JSON whose `{property}` names none of them, \
                 or that does not decode as the one it names, is kept in `Other`."
            ),
            None => "Decoding tries each variant in order; JSON that matches none is kept in `Other`.".to_owned(),
        };
        let doc = type_doc(def, self.summaries.get(def.name.as_str()), Some(how));
        let items = variants.iter().map(|v| {
            let ident = to_ident(&v.rust_name);
            let ty = self.scope.rust_type(&v.ty);
            let doc = match (&v.tag, tagged) {
                (Some(tag), Some(property)) => {
                    doc_lines(&format!("The value as `{}`, when `{property}` is `{tag}`.", v.ty))
                }
                _ => doc_lines(&format!("The value as `{}`.", v.ty)),
            };
            quote!(#doc #ident(#ty),)
        });
        let derives = if def.direction == Direction::Request || tagged.is_some() {
            quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)])
        } else {
            quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
        };
        let decode = tagged.map(|property| self.emit_tagged_decode(&name, variants, property));
        quote! {
            #doc
            #derives
            #[serde(untagged)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#items)*
                /// JSON that matched none of the variants above.
                Other(serde_json::Value),
            }

            #decode
        }
    }

    /// `Deserialize` for a union whose `property` names the variant: the variant named, else
    /// `Other`. A missing or unknown name is a value the document does not list yet, and a
    /// variant that does not decode is the document being wrong about it; neither fails the
    /// response the union is part of.
    fn emit_tagged_decode(&self, name: &proc_macro2::Ident, variants: &[UnionVariant], property: &str) -> TokenStream {
        let (result, ok, some) = (self.scope.result(), self.scope.ok(), self.scope.some());
        let arms = variants.iter().filter_map(|v| {
            let tag = v.tag.as_deref()?;
            let ident = to_ident(&v.rust_name);
            let ty = self.scope.rust_type(&v.ty);
            Some(quote!(#some(#tag) => <#ty as serde::Deserialize>::deserialize(&value).map(Self::#ident),))
        });
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    let decoded = match value.get(#property).and_then(serde_json::Value::as_str) {
                        #(#arms)*
                        _ => return #ok(Self::Other(value)),
                    };
                    #ok(decoded.unwrap_or(Self::Other(value)))
                }
            }
        }
    }
}
