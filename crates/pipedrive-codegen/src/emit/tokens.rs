//! Small helpers every emitter uses: Rust types for IR type references and doc attributes.
//!
//! Emitted code uses prelude names (`Option`, `String`) where no generated type can shadow them,
//! and full paths (`::std::option::Option`) in a types module that has a type called `Option` or
//! `String`: readable by default, and never broken by what a document names its schemas.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::{PRELUDE_NAMES, to_ident};
use crate::ir::{Scalar, TypeRef};
use crate::markdown::comment_safe;

/// How emitted code in one module spells types: where named types live and whether std types
/// must be written out in full because a generated type shadows a prelude name.
#[derive(Debug, Clone)]
pub struct Scope {
    types: TokenStream,
    qualified: bool,
}

impl Scope {
    /// An operation module: named types through `types::` (imported as `use super::types;`).
    pub fn operations() -> Self {
        Scope {
            types: quote!(types::),
            qualified: false,
        }
    }

    /// The types module itself: named types by bare name; std types by full path only if a
    /// generated type would shadow a prelude name.
    pub fn types_module<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let qualified = names.into_iter().any(|n| PRELUDE_NAMES.contains(&n));
        Scope {
            types: quote!(),
            qualified,
        }
    }

    pub fn option(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::option::Option)
        } else {
            quote!(Option)
        }
    }

    pub fn string(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::string::String)
        } else {
            quote!(String)
        }
    }

    pub fn vec(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::vec::Vec)
        } else {
            quote!(Vec)
        }
    }

    pub fn result(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::result::Result)
        } else {
            quote!(Result)
        }
    }

    pub fn ok(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::result::Result::Ok)
        } else {
            quote!(Ok)
        }
    }

    pub fn err(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::result::Result::Err)
        } else {
            quote!(Err)
        }
    }

    pub fn some(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::option::Option::Some)
        } else {
            quote!(Some)
        }
    }

    pub fn none(&self) -> TokenStream {
        if self.qualified {
            quote!(::std::option::Option::None)
        } else {
            quote!(None)
        }
    }

    /// Rust type for a type reference.
    pub fn rust_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Scalar(s) => self.scalar(*s),
            TypeRef::Named(name) => {
                let ident = to_ident(name);
                let types = &self.types;
                quote!(#types #ident)
            }
            TypeRef::Array(inner) => {
                let (vec, inner) = (self.vec(), self.rust_type(inner));
                quote!(#vec<#inner>)
            }
            TypeRef::Nullable(inner) => {
                let (option, inner) = (self.option(), self.rust_type(inner));
                quote!(#option<#inner>)
            }
            TypeRef::Map(inner) => {
                let (string, inner) = (self.string(), self.rust_type(inner));
                quote!(std::collections::BTreeMap<#string, #inner>)
            }
            TypeRef::Any => quote!(serde_json::Value),
        }
    }

    pub fn scalar(&self, scalar: Scalar) -> TokenStream {
        match scalar {
            // Dates and times are the runtime's text-keeping types: v1 sends `YYYY-MM-DD
            // HH:MM:SS` where the documents promise RFC 3339, and a strict type would turn a
            // harmless format drift into a decode error. They parse on request instead.
            Scalar::DateTime => quote!(pipedrive_runtime::DateTime),
            Scalar::Date => quote!(pipedrive_runtime::Date),
            // A UUID is only ever passed back to Pipedrive: text is all a caller needs.
            Scalar::String | Scalar::Uuid => self.string(),
            Scalar::I64 => quote!(i64),
            Scalar::I32 => quote!(i32),
            Scalar::F64 => quote!(f64),
            Scalar::Bool | Scalar::BoolAsNumber => quote!(bool),
            Scalar::Binary => quote!(pipedrive_runtime::FileUpload),
            Scalar::Bytes => quote!(pipedrive_runtime::Bytes),
        }
    }

    /// The parameter type of a setter: `impl Into<String>` for text and `impl Into<DateTime>`
    /// (or `Date`) for times, so `&str` works for all of them, and `impl Into<Bytes>` for a body
    /// of bytes, so a `Vec<u8>` does; the `bool` tells whether the value needs `.into()`.
    pub fn setter_param(&self, ty: &TypeRef) -> (TokenStream, bool) {
        match ty {
            TypeRef::Scalar(
                scalar @ (Scalar::String | Scalar::Date | Scalar::DateTime | Scalar::Uuid | Scalar::Bytes),
            ) => {
                let target = self.scalar(*scalar);
                let into = if self.qualified {
                    quote!(::std::convert::Into)
                } else {
                    quote!(Into)
                };
                (quote!(impl #into<#target>), true)
            }
            other => (self.rust_type(other), false),
        }
    }
}

/// An integer literal without a type suffix (`500`, not `500i64`).
pub fn int(value: i64) -> proc_macro2::Literal {
    proc_macro2::Literal::i64_unsuffixed(value)
}

/// `ty` in a `Box` where the IR says the value is boxed ([`crate::ir::Field::boxed`]); spelled
/// out in full, as a document may name a type `Box`.
pub fn boxed(ty: TokenStream, boxed: bool) -> TokenStream {
    if boxed { quote!(std::boxed::Box<#ty>) } else { ty }
}

/// `#[doc = "..."]` lines for a block of Markdown; nothing for empty text. Every doc attribute
/// the generator emits is made here or by [`inner_doc_lines`], so all doc text is made
/// [`comment_safe`].
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = comment_lines(text);
    quote!( #( #[doc = #lines] )* )
}

/// Inner `#![doc = "..."]` lines for a module.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let lines = comment_lines(text);
    quote!( #( #![doc = #lines] )* )
}

/// The lines of a doc comment, each after a space.
fn comment_lines(text: &str) -> Vec<String> {
    comment_safe(text)
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") })
        .collect()
}

/// Joins doc paragraphs, skipping empty ones.
pub fn paragraphs<I: IntoIterator<Item = Option<String>>>(parts: I) -> String {
    parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
