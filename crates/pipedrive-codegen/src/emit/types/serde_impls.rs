//! `Serialize` and `Deserialize` written out for structs, enums and unions, instead of serde's
//! derive.
//!
//! The derive is most of what it costs to compile a types module: with `#[serde(flatten)]` (the
//! map of properties the document does not list, on every response struct) it expands a struct
//! into about 430 lines, buffering unknown properties through serde's private `Content`, and an
//! untagged enum (open enums, unions) likewise. What Pipedrive's types need is simpler: an object
//! whose properties are matched by name, anything else kept in the map; a string enum read
//! through its `FromStr`; a union tried variant by variant. Written out, that is a line or two
//! per field, the same JSON both ways (an unset optional field is left out), and errors with the
//! same paths and wording.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::Module;
use crate::ident::to_ident;
use crate::ir::{Additional, Direction, EnumVariant, Field, Literal, Scalar, TypeDef, TypeRef, UnionVariant};

/// How a struct field is wrapped in the generated struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrapping {
    /// `T`: a required field that cannot be `null`.
    Plain,
    /// `Option<T>`: optional, or `null` allowed; `None` is left out when sent, except for a
    /// required nullable field of a request, where it is sent as `null`.
    Optional,
    /// `Option<Option<T>>`: an optional nullable field of a request: left out, `null`, or a value.
    Nullable,
}

impl Wrapping {
    /// How `field` of a type sent or received (`direction`) is wrapped.
    pub(super) fn of(field: &Field, direction: Direction) -> Wrapping {
        match (direction, field.required, field.nullable) {
            (_, true, false) => Wrapping::Plain,
            (Direction::Request, false, true) => Wrapping::Nullable,
            _ => Wrapping::Optional,
        }
    }
}

/// Whether the field is v1's 0/1 boolean, read and written through the runtime's `ZeroOne`.
fn zero_one(field: &Field) -> bool {
    field.ty == TypeRef::Scalar(Scalar::BoolAsNumber)
}

impl Module<'_> {
    /// `Serialize` for a struct: a JSON object of its fields (an unset optional field left out,
    /// a required nullable request field sent as `null`), then the map of further properties.
    /// The fields are handed to the runtime's `serialize_object` as a list, type-erased: a
    /// `serialize_entry` per field made each struct a body of generic code, 0.4 s of the 2.35 s
    /// the `deals` feature took to compile (BENCHMARKS.md, "Build cost").
    pub(super) fn struct_serialize(&self, def: &TypeDef, fields: &[Field], extra: Option<&Ident>) -> TokenStream {
        let name = to_ident(&def.name);
        let (result, some) = (self.scope.result(), self.scope.some());
        let helpers = quote!(pipedrive_runtime::serde_helpers);
        let flag = quote!(#helpers::ZeroOne);
        let properties = fields.iter().map(|field| {
            let ident = to_ident(&field.rust_name);
            let wire = &field.name;
            let required_request = def.direction == Direction::Request && field.required;
            let value = match (Wrapping::of(field, def.direction), zero_one(field)) {
                (Wrapping::Plain, false) => quote!(#some(&self.#ident)),
                (Wrapping::Plain, true) => quote!(#some(&#flag(self.#ident))),
                // Sent as `null` when unset.
                (Wrapping::Optional, false) if required_request => quote!(#some(&self.#ident)),
                (Wrapping::Optional, true) if required_request => quote!(#some(&self.#ident.map(#flag))),
                (Wrapping::Optional, false) | (Wrapping::Nullable, false) => quote!(#helpers::present(&self.#ident)),
                (Wrapping::Optional, true) => quote!(#helpers::present(&self.#ident.map(#flag))),
                (Wrapping::Nullable, true) => {
                    quote!(#helpers::present(&self.#ident.map(|value| value.map(#flag))))
                }
            };
            quote!((#wire, #value),)
        });
        let extra = match extra {
            Some(extra) => quote!(#some(&self.#extra)),
            None => quote!(#helpers::NO_EXTRA),
        };
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    #helpers::serialize_object(serializer, &[#(#properties)*], #extra)
                }
            }
        }
    }

    /// `Deserialize` for a struct: each property read into the field of its name (a missing
    /// required one is an error; `null` in an optional one is unset), any other property into the
    /// map of further properties, or skipped where there is none. The fields are read into the
    /// numbered places of one tuple first, so a property named like a local cannot clash.
    pub(super) fn struct_deserialize(
        &self,
        def: &TypeDef,
        fields: &[Field],
        extra: Option<(&Ident, TokenStream)>,
    ) -> TokenStream {
        let name = to_ident(&def.name);
        let (result, ok, some) = (self.scope.result(), self.scope.ok(), self.scope.some());
        let declare = self.fields_tuple(def, fields);
        let slots: Vec<syn::Index> = (0..fields.len()).map(syn::Index::from).collect();
        let arms = fields.iter().zip(&slots).map(|(field, slot)| {
            let wire = &field.name;
            let read = self.read_field(field, def.direction);
            quote!(#wire => __fields.#slot = #read,)
        });
        let build = fields.iter().zip(&slots).map(|(field, slot)| {
            let ident = to_ident(&field.rust_name);
            let wire = &field.name;
            match Wrapping::of(field, def.direction) {
                Wrapping::Plain => quote! {
                    #ident: __fields.#slot.ok_or_else(|| <M::Error as serde::de::Error>::missing_field(#wire))?,
                },
                Wrapping::Optional | Wrapping::Nullable => quote!(#ident: __fields.#slot,),
            }
        });
        let (declare_extra, other, build_extra) = match extra {
            Some((extra, map_type)) => (
                quote!(let mut #extra: #map_type = std::collections::BTreeMap::new();),
                quote!(_ => {
                    #extra.insert(key.into_string(), map.next_value()?);
                }),
                quote!(#extra,),
            ),
            None => (
                quote!(),
                quote!(_ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }),
                quote!(),
            ),
        };
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    struct __Visitor;

                    impl<'de> serde::de::Visitor<'de> for __Visitor {
                        type Value = #name;

                        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            formatter.write_str("an object")
                        }

                        // The tuple of every field's type is long by nature.
                        #[allow(clippy::type_complexity)]
                        fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> #result<#name, M::Error> {
                            #declare
                            #declare_extra
                            while let #some(key) = map.next_key::<pipedrive_runtime::serde_helpers::FieldName<'de>>()? {
                                match key.as_str() {
                                    #(#arms)*
                                    #other
                                }
                            }
                            #ok(#name {
                                #(#build)*
                                #build_extra
                            })
                        }
                    }

                    deserializer.deserialize_map(__Visitor)
                }
            }
        }
    }

    /// The tuple a struct's `Deserialize` reads its fields into, one `Option` each (none for a
    /// struct without fields). The fields are read into one tuple and every read names its type:
    /// with a local per field whose type only the struct literal at the end told, the `deals`
    /// feature took about 4 % longer to build (2.38 s against 2.28 s; typed locals were in
    /// between). These impls were about a third of a tag's build.
    fn fields_tuple(&self, def: &TypeDef, fields: &[Field]) -> Option<TokenStream> {
        let (option, none) = (self.scope.option(), self.scope.none());
        // A place holds the field as the struct stores it, and a required field's as unset
        // until it is read.
        let slot_types = fields.iter().map(|field| {
            let stored = self.stored_type(field, def.direction);
            match Wrapping::of(field, def.direction) {
                Wrapping::Plain => quote!(#option<#stored>,),
                Wrapping::Optional | Wrapping::Nullable => quote!(#stored,),
            }
        });
        let nones = fields.iter().map(|_| quote!(#none,));
        (!fields.is_empty()).then(|| quote!(let mut __fields: (#(#slot_types)*) = (#(#nones)*);))
    }

    /// Reads one property's value as its place in the fields tuple holds it: `Some` of a
    /// required one, `null` as unset for an optional one, 0/1 flags through `ZeroOne`.
    fn read_field(&self, field: &Field, direction: Direction) -> TokenStream {
        let (option, some) = (self.scope.option(), self.scope.some());
        let value = self.value_type(field);
        let flag = quote!(pipedrive_runtime::serde_helpers::ZeroOne);
        match (Wrapping::of(field, direction), zero_one(field)) {
            (Wrapping::Plain, false) => quote!(#some(map.next_value::<#value>()?)),
            (Wrapping::Plain, true) => quote!(#some(map.next_value::<#flag>()?.0)),
            (Wrapping::Optional, false) => quote!(map.next_value::<#option<#value>>()?),
            (Wrapping::Optional, true) => quote!(map.next_value::<#option<#flag>>()?.map(|flag| flag.0)),
            (Wrapping::Nullable, false) => quote!(#some(map.next_value::<#option<#value>>()?)),
            (Wrapping::Nullable, true) => quote!(#some(map.next_value::<#option<#flag>>()?.map(|flag| flag.0))),
        }
    }

    /// `Serialize` and `Deserialize` for a string enum: its text as sent, read through its
    /// `FromStr`; a closed enum refuses text it does not list, with the values it would accept.
    pub(super) fn string_enum_serde(&self, def: &TypeDef, variants: &[EnumVariant], open: bool) -> TokenStream {
        let name = to_ident(&def.name);
        let (result, ok, err) = (self.scope.result(), self.scope.ok(), self.scope.err());
        let wires: Vec<String> = variants.iter().map(|v| v.value.to_string()).collect();
        let parse = if open {
            quote! {
                match text.as_str().parse() {
                    #ok(value) => #ok(value),
                    #err(never) => match never {},
                }
            }
        } else {
            quote! {
                text.as_str()
                    .parse()
                    .map_err(|_| <D::Error as serde::de::Error>::unknown_variant(text.as_str(), &[#(#wires),*]))
            }
        };
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let text = pipedrive_runtime::serde_helpers::FieldName::deserialize_text(deserializer)?;
                    #parse
                }
            }
        }
    }

    /// `Serialize` for a union: the variant's value as it is. `Deserialize` (unless the union
    /// decodes by a property that names the variant, written out elsewhere): each variant tried
    /// in order on the value, JSON that none takes kept in `Other`.
    pub(super) fn union_serde(&self, def: &TypeDef, variants: &[UnionVariant], tagged: bool) -> TokenStream {
        let name = to_ident(&def.name);
        let (result, ok) = (self.scope.result(), self.scope.ok());
        let idents: Vec<Ident> = variants.iter().map(|v| to_ident(&v.rust_name)).collect();
        let serialize = quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    match self {
                        #( Self::#idents(value) => serde::Serialize::serialize(value, serializer), )*
                        Self::Other(value) => serde::Serialize::serialize(value, serializer),
                    }
                }
            }
        };
        if tagged {
            return serialize;
        }
        let attempts = variants.iter().zip(&idents).map(|(v, ident)| {
            let ty = crate::emit::tokens::boxed(self.scope.rust_type(&v.ty), v.boxed);
            quote! {
                if let #ok(value) = <#ty as serde::Deserialize>::deserialize(&value) {
                    return #ok(Self::#ident(value));
                }
            }
        });
        quote! {
            #serialize

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    #(#attempts)*
                    #ok(Self::Other(value))
                }
            }
        }
    }
}

/// The text of the values a closed integer enum accepts, for its decode error: `one of 1, 3, 5`.
pub(super) fn integer_values_expected(variants: &[EnumVariant]) -> String {
    let values: Vec<String> = variants
        .iter()
        .map(|v| match &v.value {
            Literal::Integer(i) => i.to_string(),
            other => other.to_string(),
        })
        .collect();
    format!("one of {}", values.join(", "))
}

/// The type of a struct's map of further properties: JSON values, or the type the document
/// gives them.
pub(super) fn extra_map_type(module: &Module<'_>, additional: &Additional) -> Option<TokenStream> {
    let string = module.scope.string();
    match additional {
        Additional::None => None,
        Additional::Json => Some(quote!(std::collections::BTreeMap<#string, serde_json::Value>)),
        Additional::Typed(t) => {
            let value = module.scope.rust_type(t);
            Some(quote!(std::collections::BTreeMap<#string, #value>))
        }
    }
}
