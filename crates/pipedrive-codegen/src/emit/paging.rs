//! Emits `pages()` and `stream()` for list operations: the runtime walks the pages (by cursor or
//! by `start`/`limit`), and the builder's `Paged` impl only says how to ask for the next one.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::Scope;
use crate::ident::to_ident;
use crate::ir::{Operation, Pagination, ParamLocation, Parameter, ResponseBody, Scalar, TypeRef};

/// For a list operation: `pages()` and `stream()`, and the `Paged` impl that says where a page's
/// items are and how the builder asks for the page at a position. Empty for other operations.
pub(super) fn emit_paging(op: &Operation, allow: &TokenStream) -> (TokenStream, TokenStream) {
    let Some(pagination) = &op.pagination else {
        return (quote!(), quote!());
    };
    // Where a page's items are: `data` itself, or `data.items` (search results).
    let (item, at) = match (&op.response.body, pagination.data_items()) {
        (
            ResponseBody::Envelope {
                data: TypeRef::Array(item),
                ..
            },
            None,
        ) => (item.as_ref(), quote!(runtime::ListAt::Data)),
        (ResponseBody::Envelope { .. }, Some(item)) => (item, quote!(runtime::ListAt::DataItems)),
        _ => return (quote!(), quote!()),
    };
    let Some((first, set)) = positions(op, pagination) else {
        return (quote!(), quote!());
    };
    let item = Scope::operations().rust_type(item);
    let builder = to_ident(&op.builder_name);
    let methods = quote! {
        /// Every page, fetched one at a time as the stream is polled; the page size is the
        /// `limit` you set. Only one page is held in memory.
        pub fn pages(self) -> runtime::Pages<Self> {
            runtime::Pages::new(self)
        }

        /// Every item across all pages, fetched page by page as the stream is polled.
        pub fn stream(self) -> runtime::Items<Self> {
            runtime::Items::new(self)
        }
    };
    let paged = quote! {
        #allow
        impl runtime::Paged for #builder {
            type Item = #item;
            const LIST_AT: runtime::ListAt = #at;

            fn first_position(&self) -> runtime::Position {
                #first
            }

            fn request_at(&self, position: runtime::Position) -> Result<runtime::Request, runtime::Error> {
                let mut page = self.clone();
                #set
                page.to_request()
            }
        }
    };
    (methods, paged)
}

/// Where the first page starts, and how the builder of a page is set to a position: the cursor,
/// or the start (an `int32` start refused past its range).
fn positions(op: &Operation, pagination: &Pagination) -> Option<(TokenStream, TokenStream)> {
    match pagination {
        // The paging parameters are query parameters; a path or header parameter may share the name.
        Pagination::Cursor { cursor_param, .. } => {
            let field = to_ident(&query_parameter(op, cursor_param)?.rust_name);
            Some((
                quote!(runtime::Position::Cursor(self.#field.clone())),
                quote!(page.#field = position.into_cursor(&Self::OPERATION)?;),
            ))
        }
        Pagination::Offset { start_param, .. } => {
            let p = query_parameter(op, start_param)?;
            let field = to_ident(&p.rust_name);
            match p.ty {
                TypeRef::Scalar(Scalar::I64) => Some((
                    quote!(runtime::Position::Offset(self.#field.unwrap_or(0))),
                    quote!(page.#field = Some(position.into_offset(&Self::OPERATION)?);),
                )),
                TypeRef::Scalar(Scalar::I32) => Some((
                    quote!(runtime::Position::Offset(i64::from(self.#field.unwrap_or(0)))),
                    quote!(page.#field = Some(position.into_offset_i32(&Self::OPERATION)?);),
                )),
                _ => None,
            }
        }
    }
}

fn query_parameter<'o>(op: &'o Operation, name: &str) -> Option<&'o Parameter> {
    op.parameters
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == name)
}
