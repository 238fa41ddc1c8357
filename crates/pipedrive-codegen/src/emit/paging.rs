//! Emits `pages()` and `stream()` for list operations: the runtime walks the pages (by cursor or
//! by `start`/`limit`), and the builder only says how to ask for the next one.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::Scope;
use crate::ident::to_ident;
use crate::ir::{Operation, Pagination, ParamLocation, Parameter, ResponseBody, Scalar, TypeRef};

pub(super) fn emit_paging(op: &Operation) -> TokenStream {
    let Some(pagination) = &op.pagination else {
        return quote!();
    };
    // Where a page's items are: `data` itself, or `data.items` (search results).
    let (item, at) = match (&op.response.body, pagination.data_items()) {
        (
            ResponseBody::Envelope {
                data: TypeRef::Array(item),
            },
            None,
        ) => (item.as_ref(), quote!(runtime::ListAt::Data)),
        (ResponseBody::Envelope { .. }, Some(item)) => (item, quote!(runtime::ListAt::DataItems)),
        _ => return quote!(),
    };
    let item = Scope::operations().rust_type(item);
    let (pager, first, set) = match pagination {
        // The paging parameters are query parameters; a path or header parameter may share the name.
        Pagination::Cursor { cursor_param, .. } => {
            let Some(p) = query_parameter(op, cursor_param) else {
                return quote!();
            };
            let field = to_ident(&p.rust_name);
            (
                quote!(cursor_pages),
                quote!(self.#field.clone()),
                quote!(page.#field = position;),
            )
        }
        Pagination::Offset { start_param, .. } => {
            let Some(p) = query_parameter(op, start_param) else {
                return quote!();
            };
            let field = to_ident(&p.rust_name);
            match p.ty {
                TypeRef::Scalar(Scalar::I64) => (
                    quote!(offset_pages),
                    quote!(self.#field.unwrap_or(0)),
                    quote!(page.#field = Some(position);),
                ),
                // An `int32` start: positions are counted in i64 and refused past i32's range.
                TypeRef::Scalar(Scalar::I32) => {
                    let message = format!("`{start_param}` would be {{}}, beyond the `int32` the document allows");
                    (
                        quote!(offset_pages),
                        quote!(i64::from(self.#field.unwrap_or(0))),
                        quote! {
                            page.#field = Some(i32::try_from(position).map_err(|_| {
                                runtime::Error::invalid_request(&Self::OPERATION, format!(#message, position))
                            })?);
                        },
                    )
                }
                _ => return quote!(),
            }
        }
    };
    quote! {
        /// Every page, fetched one at a time as the stream is polled; the page size is the
        /// `limit` you set. Only one page is held in memory.
        pub fn pages(self) -> impl futures::Stream<Item = Result<runtime::ApiResponse<Vec<#item>>, runtime::Error>> + Send + 'static {
            let client = self.client.clone();
            let first = #first;
            runtime::#pager(client, #at, first, move |position| {
                let mut page = self.clone();
                #set
                page.to_request()
            })
        }

        /// Every item across all pages, fetched page by page as the stream is polled.
        pub fn stream(self) -> impl futures::Stream<Item = Result<#item, runtime::Error>> + Send + 'static {
            runtime::items(self.pages())
        }
    }
}

fn query_parameter<'o>(op: &'o Operation, name: &str) -> Option<&'o Parameter> {
    op.parameters
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == name)
}
