//! Structs of a types module: fields as the documents type them, a constructor for request
//! structs with required fields, and `to_multipart()` for bodies sent as multipart parts.

use proc_macro2::TokenStream;
use quote::quote;

use super::serde_impls::{Wrapping, extra_map_type};
use super::*;
use crate::emit::tokens::{boxed, doc_lines};
use crate::ident::{to_ident, unraw};
use crate::ir::{Additional, Direction, Field, Scalar, TypeDef, TypeRef};

impl Module<'_> {
    pub(super) fn emit_struct(
        &self,
        def: &TypeDef,
        fields: &[Field],
        additional: &Additional,
        multipart: bool,
    ) -> TokenStream {
        let name = to_ident(&def.name);
        let request = def.direction == Direction::Request;
        let field_tokens = fields.iter().map(|field| {
            let ident = to_ident(&field.rust_name);
            let doc = doc_lines(&field_doc(field));
            let ty = self.stored_type(field, def.direction);
            let deprecated = field
                .deprecated
                .then(|| quote!(#[deprecated(note = "deprecated by Pipedrive")]));
            quote! {
                #doc
                #deprecated
                pub #ident: #ty,
            }
        });
        let extra_ident = extra_field_name(fields);
        let extra_type = extra_map_type(self, additional);
        let extra = extra_type.as_ref().map(|map_type| {
            let doc = doc_lines(if request {
                "Further properties to send, beyond those listed above."
            } else {
                "Properties the document does not list (custom fields, for instance), as sent."
            });
            quote! {
                #doc
                pub #extra_ident: #map_type,
            }
        });
        // A field is wrapped in up to two `Option`s (optional, then nullable in a request); the
        // map of further properties is `BTreeMap<String, T>`.
        let extra_map = match additional {
            Additional::Typed(t) => Some(TypeRef::Map(Box::new(t.clone()))),
            Additional::None | Additional::Json => None,
        };
        let complexity = crate::emit::lints::allow_type_complexity(
            fields
                .iter()
                .map(|f| (&f.ty, 2))
                .chain(extra_map.as_ref().map(|m| (m, 0))),
        );
        // serde's traits are written out (`serde_impls`); a struct carrying a file has none: it
        // is sent as multipart parts (`to_multipart`), never as JSON.
        let traits = surface::traits_of(def);
        let derives = derive_attr(def, &[Trait::Serialize, Trait::Deserialize]);
        let attrs = quote! {
            #derives
            #[non_exhaustive]
        };
        let serialize = traits
            .contains(&Trait::Serialize)
            .then(|| self.struct_serialize(def, fields, extra_type.as_ref().map(|_| &extra_ident)));
        let deserialize = traits
            .contains(&Trait::Deserialize)
            .then(|| self.struct_deserialize(def, fields, extra_type.clone().map(|map_type| (&extra_ident, map_type))));
        let doc = type_doc(
            def,
            self.summaries.get(def.name.as_str()),
            request.then(|| request_construction_note(fields)),
        );
        // A response struct without `Default` (a required field whose type has none) still gets
        // built outside the crate, in an application's tests: `new` takes the required fields.
        let constructor =
            (request || !traits.contains(&Trait::Default)).then(|| self.emit_constructor(&name, fields, additional));
        let multipart_impl = multipart.then(|| self.emit_multipart(def, fields));
        // The impls below name every field, deprecated ones too; the warning is for callers.
        let allow = fields
            .iter()
            .any(|f| f.deprecated)
            .then(|| quote!(#[allow(deprecated)]));
        let [constructor, multipart_impl, serialize, deserialize] =
            [constructor.flatten(), multipart_impl, serialize, deserialize]
                .map(|item| item.map(|item| quote!(#allow #item)));
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
            #serialize
            #deserialize
        }
    }

    /// A field's value type, before any `Option`: its type, boxed where it breaks a cycle.
    pub(super) fn value_type(&self, field: &Field) -> TokenStream {
        boxed(self.scope.rust_type(&field.ty), field.boxed)
    }

    /// A field's type as the struct stores it: `T`, `Option<T>`, or for a request's optional
    /// nullable field `Option<Option<T>>` (unset, `Some(None)` to send null, or `Some(Some(v))`).
    pub(super) fn stored_type(&self, field: &Field, direction: Direction) -> TokenStream {
        let option = self.scope.option();
        let ty = self.value_type(field);
        match Wrapping::of(field, direction) {
            Wrapping::Plain => ty,
            Wrapping::Optional => quote!(#option<#ty>),
            Wrapping::Nullable => quote!(#option<#option<#ty>>),
        }
    }

    /// `new(required fields)` for a request struct that has required fields, or a response struct
    /// that has no `Default`. Structs are `#[non_exhaustive]` (so an optional field Pipedrive adds
    /// later is not a breaking change), and a nested request struct, such as an item of a list in
    /// a body, is built by the caller, as is a response in the caller's tests: this is how.
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
            let value = match (into, f.boxed) {
                (false, false) if !f.nullable => return quote!(#ident,),
                (false, false) => quote!(#ident),
                (true, false) => quote!(#ident.into()),
                (_, true) => quote!(std::boxed::Box::new(#ident)),
            };
            if f.nullable {
                quote!(#ident: #some(#value),)
            } else {
                quote!(#ident: #value,)
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
        let complexity = crate::emit::lints::allow_type_complexity(required.iter().map(|f| (&f.ty, 0)));
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
}
