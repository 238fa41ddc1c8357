//! Emits one tag module (`v2::stages`): the tag's API struct, with a method per operation that
//! creates the operation's request builder from its required inputs, and the builders themselves
//! (`builder`). The HTTP work itself is `pipedrive_runtime`'s.

use proc_macro2::TokenStream;
use quote::quote;

use super::builder::emit_builder;
use super::deprecation::{allow_deprecated, deprecated_attr};
use super::inputs::inputs;
use super::lints::trait_method_allow;
use super::tokens::{Scope, doc_lines, inner_doc_lines, paragraphs};
use crate::ident::{to_ident, unraw};
use crate::ir::{Api, Document, Operation, Tag, TypeRef};
use crate::markdown::plain_text_to_markdown;

/// The module of one tag in one API version.
pub fn emit_tag_module(api: &Api, doc: &Document, tag: &Tag, ops: &[&Operation]) -> TokenStream {
    let module_doc = inner_doc_lines(&paragraphs([
        Some(format!(
            "{} operations of {} ({}, paths under `{}`).",
            plain_text_to_markdown(&tag.name),
            plain_text_to_markdown(&doc.title),
            doc.api,
            doc.server_prefix
        )),
        tag.description.clone(),
    ]));
    let struct_name = to_ident(&tag.struct_name);
    let methods = ops.iter().map(|op| emit_entry_method(api, op));
    let builders = ops.iter().map(|op| emit_builder(api, op));
    let struct_doc = doc_lines(&format!(
        "The {} operations of API {}. Get it with `client.{}().{}()`.",
        plain_text_to_markdown(&tag.name),
        doc.api,
        doc.api,
        tag.module
    ));
    let import_types = ops.iter().any(|op| mentions_types(op)).then(|| {
        quote!(
            use super::types;
        )
    });
    quote! {
        #module_doc

        #import_types
        use crate::runtime;

        #struct_doc
        #[derive(Debug, Clone)]
        pub struct #struct_name {
            client: runtime::Client,
        }

        impl #struct_name {
            pub(crate) fn new(client: runtime::Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#builders)*
    }
}

/// Whether the operation's code names a generated type (so the module needs `use super::types`).
fn mentions_types(op: &Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Nullable(inner) | TypeRef::Map(inner) => named(inner),
            TypeRef::Scalar(_) | TypeRef::Any => false,
        }
    }
    // A text or bytes body names none, nor a JSON body of scalars.
    op.types().into_iter().any(named)
}

fn emit_entry_method(api: &Api, op: &Operation) -> TokenStream {
    let fn_name = to_ident(&op.fn_name);
    let builder = to_ident(&op.builder_name);
    let inputs = inputs(api, op);
    let required = &inputs.arguments;
    let mut args = Vec::new();
    let mut values = Vec::new();
    let mut arg_docs = Vec::new();
    let mut arg_details = Vec::new();
    for input in required {
        let name = &input.setter;
        let (ty, into) = Scope::operations().setter_param(input.ty());
        args.push(quote!(#name: #ty));
        values.push(if into { quote!(#name.into()) } else { quote!(#name) });
        let doc = input.doc();
        let (first_line, rest) = doc.split_once('\n').unwrap_or((&doc, ""));
        let arg = unraw(&name.to_string()).to_owned();
        arg_docs.push(format!("- `{arg}`: {first_line}"));
        // A list item holds one line; the rest of a description (a table of the values, say)
        // follows the list rather than being lost.
        let rest = rest.trim();
        if !rest.is_empty() {
            arg_details.push(format!("More on `{arg}`:\n\n{rest}"));
        }
    }
    let doc = doc_lines(&paragraphs([
        op.summary.clone().map(|s| format!("{s}.").replace("..", ".")),
        Some(format!(
            "`{} {}`; see [`{}`] for {}how to send it.",
            op.method.as_str(),
            op.full_path,
            op.builder_name,
            if !inputs.setters.is_empty() {
                "the optional parameters and "
            } else {
                ""
            }
        )),
        (!arg_docs.is_empty()).then(|| arg_docs.join("\n")),
        (!arg_details.is_empty()).then(|| arg_details.join("\n\n")),
    ]));
    let deprecated = deprecated_attr(api, op);
    let allow = allow_deprecated(op);
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let trait_name = trait_method_allow(&op.fn_name);
    let complexity = super::lints::allow_type_complexity(required.iter().map(|i| (i.ty(), 0)));
    quote! {
        #doc
        #deprecated
        #allow
        #too_many
        #trait_name
        #complexity
        pub fn #fn_name(&self, #(#args),*) -> #builder {
            #builder::new(self.client.clone(), #(#values),*)
        }
    }
}
