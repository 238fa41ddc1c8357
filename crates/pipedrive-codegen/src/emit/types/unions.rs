//! Unions (`oneOf`/`anyOf`) of a types module: an enum of the variants and `Other`, decoded
//! in order or by the property that names each variant.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::emit::tokens::{boxed, doc_lines};
use crate::ident::to_ident;
use crate::ir::{Direction, Trait, TypeDef, UnionVariant};

impl Module<'_> {
    pub(super) fn emit_union(
        &self,
        def: &TypeDef,
        variants: &[UnionVariant],
        discriminator: Option<&str>,
    ) -> TokenStream {
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
            let ty = boxed(self.scope.rust_type(&v.ty), v.boxed);
            let doc = match (&v.tag, tagged) {
                (Some(tag), Some(property)) => {
                    doc_lines(&format!("The value as `{}`, when `{property}` is `{tag}`.", v.ty))
                }
                _ => doc_lines(&format!("The value as `{}`.", v.ty)),
            };
            quote!(#doc #ident(#ty),)
        });
        // serde's traits are written out: a response union whose variants name themselves
        // decodes by that name, any other tries its variants in order.
        let derives = derive_attr(def, &[Trait::Serialize, Trait::Deserialize]);
        let serde = self.union_serde(def, variants, tagged.is_some());
        let decode = tagged.map(|property| self.emit_tagged_decode(&name, variants, property));
        quote! {
            #doc
            #derives
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#items)*
                /// JSON that matched none of the variants above.
                Other(serde_json::Value),
            }

            #serde

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
            let ty = boxed(self.scope.rust_type(&v.ty), v.boxed);
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
