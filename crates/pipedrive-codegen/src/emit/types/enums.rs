//! Enums of a types module: string enums (`as_str`, `FromStr`, and serde through them) and
//! integer enums (`value()`, serde as numbers), open ones keeping unknown values.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::serde_impls::integer_values_expected;
use super::*;
use crate::emit::tokens::{doc_lines, int, paragraphs};
use crate::ident::to_ident;
use crate::ir::{EnumVariant, Literal, Trait, TypeDef};

impl Module<'_> {
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

    pub(super) fn emit_string_enum(
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
            quote!(#doc #is_default #ident,)
        });
        let (unknown_variant, as_str_unknown, from_str) = if open {
            (
                quote! {
                    /// A value this version of the client does not know, as sent.
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
                quote!(),
                quote!(),
                quote! {
                    impl std::str::FromStr for #name {
                        type Err = pipedrive_runtime::ParseEnumError;

                        fn from_str(value: &str) -> #result<Self, Self::Err> {
                            match value {
                                #( #wires => #ok(Self::#idents), )*
                                other => #err(pipedrive_runtime::ParseEnumError::one_of(#type_name, other, &[#(#wires),*])),
                            }
                        }
                    }
                },
            )
        };
        let doc = self.enum_doc(def, default, open);
        let derives = derive_attr(def, &[Trait::Serialize, Trait::Deserialize]);
        let serde = self.string_enum_serde(def, variants, open);
        quote! {
            #doc
            #derives
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

            #serde
        }
    }

    /// Integer enums (`visible_to: 1, 3, 5, 7`) travel as numbers, which serde's derive cannot
    /// express for unit variants; the impls are written out.
    pub(super) fn emit_integer_enum(
        &self,
        def: &TypeDef,
        variants: &[EnumVariant],
        default: Option<&Literal>,
        open: bool,
    ) -> TokenStream {
        let name = to_ident(&def.name);
        let (result, ok, err) = (self.scope.result(), self.scope.ok(), self.scope.err());
        let unknown = format_ident!("{}", UNKNOWN_VARIANT);
        let idents: Vec<_> = variants.iter().map(|v| to_ident(&v.rust_name)).collect();
        let values: Vec<_> = variants.iter().map(|v| int(literal_i64(&v.value))).collect();
        let items = variants.iter().zip(&idents).map(|(v, ident)| {
            let doc = doc_lines(&format!("`{}`", v.value));
            let is_default = (default == Some(&v.value)).then(|| quote!(#[default]));
            quote!(#doc #is_default #ident,)
        });
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
            let expected = integer_values_expected(variants);
            (
                quote!(),
                quote!(),
                quote! {
                    other => {
                        let unexpected = serde::de::Unexpected::Signed(other);
                        return #err(<D::Error as serde::de::Error>::invalid_value(unexpected, &#expected));
                    }
                },
            )
        };
        let doc = self.enum_doc(def, default, open);
        // Numbers on the wire, which serde's derive cannot express for unit variants.
        let derives = derive_attr(def, &[Trait::Serialize, Trait::Deserialize]);
        quote! {
            #doc
            #derives
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
}
