//! Emits one operation's request builder: its struct, the constructor the tag method calls, a
//! setter for each optional input, and `send()` (the data), `send_with_meta()` (the data plus
//! status, rate-limit state and `additional_data`), and for list operations `stream()`/`pages()`
//! (`paging`). How the request is encoded is `request`'s.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::deprecation::{self, allow_deprecated, deprecated_attr};
use super::inputs::{Input, InputKind, Inputs, body_fields, inputs, whole_body};
use super::lints::trait_method_allow;
use super::paging::emit_paging;
use super::request::emit_to_request;
use super::tokens::{Scope, doc_lines, paragraphs};
use crate::ident::{to_ident, unraw};
use crate::ir::{Api, Operation, Pagination, Parameter, ResponseBody, TypeRef};
use crate::markdown::code_span;

/// How the runtime decodes the operation's answer (its `Endpoint::Response`), and the type
/// `send()` resolves to.
fn response_decoding(op: &Operation) -> (TokenStream, TokenStream) {
    let scope = Scope::operations();
    match &op.response.body {
        ResponseBody::Envelope {
            data,
            additional_data,
            related_objects,
        } => {
            // `additional_data` and `related_objects` the document does not describe stay JSON,
            // the markers' defaults.
            let beside = match (additional_data, related_objects) {
                (None, None) => quote!(),
                (additional, related) => {
                    let json = || quote!(serde_json::Value);
                    let additional = additional.as_ref().map_or_else(json, |t| scope.rust_type(t));
                    let related = related.as_ref().map_or_else(json, |t| scope.rust_type(t));
                    quote!(, #additional, #related)
                }
            };
            match data {
                TypeRef::Array(item) => {
                    let item = scope.rust_type(item);
                    (quote!(runtime::List<#item #beside>), quote!(Vec<#item>))
                }
                data => {
                    let ty = scope.rust_type(data);
                    (quote!(runtime::Data<#ty #beside>), ty)
                }
            }
        }
        ResponseBody::Json { ty } => {
            let ty = scope.rust_type(ty);
            (quote!(runtime::Body<#ty>), ty)
        }
        ResponseBody::Text => (quote!(runtime::Text), quote!(String)),
        ResponseBody::Binary => (quote!(runtime::Download), quote!(runtime::Bytes)),
        // Nothing typed to return: a 204, an empty body or any JSON is success.
        ResponseBody::Empty => (quote!(runtime::NoData), quote!(())),
    }
}

/// Rust type of a builder field for a parameter.
fn param_field_type(p: &Parameter) -> TokenStream {
    let ty = Scope::operations().rust_type(&p.ty);
    if p.required { ty } else { quote!(Option<#ty>) }
}

pub(super) fn emit_builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = to_ident(&op.builder_name);
    let inputs = inputs(api, op);
    let deprecated = deprecated_attr(api, op);
    let allow = allow_deprecated(op);
    let fields = builder_fields(api, op);
    let constructor = emit_constructor(api, op, &inputs);
    let setters = inputs.setters.iter().map(emit_setter);
    let to_request = emit_to_request(api, op);
    let send = emit_send_methods();
    let (paging_methods, paged_impl) = emit_paging(op, &allow);
    let endpoint = emit_endpoint_impls(op, &allow);
    let doc = builder_doc(api, op);
    let operation = emit_operation_const(op);
    let token_cost = proc_macro2::Literal::u32_unsuffixed(op.token_cost.unwrap_or(0));
    let token_doc = doc_lines(if op.token_cost.is_some() {
        "Rate-limit tokens one call spends (Pipedrive's `x-token-cost`)."
    } else {
        "Rate-limit tokens one call spends: the document does not say (`0`)."
    });
    // Optional parameters are held in an `Option`.
    let struct_complexity = super::lints::allow_type_complexity(op.parameters.iter().map(|p| (&p.ty, 1)));
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        #struct_complexity
        pub struct #builder {
            client: runtime::Client,
            #fields
            call_options: runtime::CallOptions,
        }

        #allow
        impl #builder {
            /// What this operation is: operationId, method, path, token cost, OAuth scopes.
            pub const OPERATION: runtime::Operation = #operation;

            #token_doc
            pub const TOKEN_COST: u32 = #token_cost;

            #constructor

            #(#setters)*

            /// Retries this call by `policy` instead of the client's [`runtime::Config::retry`].
            pub fn retry_policy(mut self, policy: runtime::RetryPolicy) -> Self {
                self.call_options.set_retry(policy);
                self
            }

            /// Gives each attempt of this call `timeout` instead of the client's
            /// [`runtime::Config::timeout`].
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.call_options.set_timeout(timeout);
                self
            }

            /// Gives this call, attempts and waits together, `deadline` instead of the client's
            /// [`runtime::Config::deadline`].
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.call_options.set_deadline(deadline);
                self
            }

            #to_request

            #send

            #paging_methods
        }

        #endpoint

        #paged_impl
    }
}

/// The builder's fields besides the client and call options: one per parameter (optional ones
/// in an `Option`), and the body: a struct body whole, whose fields the setters fill in.
fn builder_fields(api: &Api, op: &Operation) -> TokenStream {
    let params = op.parameters.iter().map(|p| {
        let ident = to_ident(&p.rust_name);
        let ty = param_field_type(p);
        quote!(#ident: #ty,)
    });
    let body = match (body_fields(api, op), whole_body(api, op)) {
        (Some((def, _)), _) => {
            let ty = to_ident(&def.name);
            quote!(body: types::#ty,)
        }
        (None, Some(b)) => {
            let ty = Scope::operations().rust_type(&b.ty);
            if b.required {
                quote!(body: #ty,)
            } else {
                quote!(body: Option<#ty>,)
            }
        }
        (None, None) => quote!(),
    };
    quote!(#(#params)* #body)
}

/// `new()`, which the tag method calls with the builder's arguments: required parameters are
/// set from them, optional ones start unset, and the body starts from its required fields.
fn emit_constructor(api: &Api, op: &Operation, inputs: &Inputs<'_>) -> TokenStream {
    let args = inputs.arguments.iter().map(|i| {
        let name = &i.setter;
        let ty = Scope::operations().rust_type(i.ty());
        quote!(#name: #ty)
    });
    let param_inits = op.parameters.iter().map(|p| {
        let ident = to_ident(&p.rust_name);
        match (p.required, inputs.argument_for_param(p)) {
            (true, Some(arg)) if *arg == ident => quote!(#ident,),
            (true, Some(arg)) => quote!(#ident: #arg,),
            _ => quote!(#ident: None,),
        }
    });
    // The body struct's own constructor takes its required fields (see the types module's
    // `emit_constructor`); one without required fields is `Default`.
    let body_init = match (body_fields(api, op), whole_body(api, op)) {
        (Some((def, fields)), _) => {
            let ty = to_ident(&def.name);
            let args: Vec<&Ident> = fields
                .iter()
                .filter(|f| f.required)
                .filter_map(|f| inputs.argument_for_field(f))
                .collect();
            if args.is_empty() {
                quote!(body: types::#ty::default(),)
            } else {
                quote!(body: types::#ty::new(#(#args),*),)
            }
        }
        (None, Some(b)) => match (b.required, inputs.whole_body_argument()) {
            (true, Some(arg)) if arg == "body" => quote!(body,),
            (true, Some(arg)) => quote!(body: #arg,),
            _ => quote!(body: None,),
        },
        (None, None) => quote!(),
    };
    let too_many = (inputs.arguments.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let complexity = super::lints::allow_type_complexity(inputs.arguments.iter().map(|i| (i.ty(), 0)));
    quote! {
        #too_many
        #complexity
        fn new(client: runtime::Client, #(#args),*) -> Self {
            Self {
                client,
                #(#param_inits)*
                #body_init
                call_options: runtime::CallOptions::default(),
            }
        }
    }
}

/// `send()` and `send_with_meta()`: the builder wrapped in the runtime's futures, which do the
/// sending; nothing of it is compiled here per operation.
fn emit_send_methods() -> TokenStream {
    quote! {
        /// Sends the request; resolves to the response's `data`. Awaiting the builder itself
        /// does the same.
        pub fn send(self) -> runtime::DataFuture<Self> {
            runtime::DataFuture::new(self)
        }

        /// Sends the request; resolves to the data with the HTTP status, rate-limit state,
        /// request id, `additional_data`, `related_objects` and headers.
        pub fn send_with_meta(self) -> runtime::ResponseFuture<Self> {
            runtime::ResponseFuture::new(self)
        }
    }
}

/// What the builder is to the runtime (`Endpoint`), and `.await` on it (`IntoFuture`).
fn emit_endpoint_impls(op: &Operation, allow: &TokenStream) -> TokenStream {
    let builder = to_ident(&op.builder_name);
    let (response, output) = response_decoding(op);
    quote! {
        #allow
        impl runtime::Endpoint for #builder {
            type Response = #response;

            fn operation() -> &'static runtime::Operation {
                &Self::OPERATION
            }

            fn client(&self) -> &runtime::Client {
                &self.client
            }

            fn to_request(&self) -> Result<runtime::Request, runtime::Error> {
                #builder::to_request(self)
            }
        }

        #allow
        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, runtime::Error>;
            type IntoFuture = runtime::DataFuture<Self>;

            fn into_future(self) -> Self::IntoFuture {
                runtime::DataFuture::new(self)
            }
        }
    }
}

fn builder_doc(api: &Api, op: &Operation) -> TokenStream {
    let scopes = if op.oauth_scopes.is_empty() {
        "none listed".to_owned()
    } else {
        op.oauth_scopes
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cost = op.token_cost.map_or_else(
        || "not stated by the document".to_owned(),
        |c| format!("{c} token{}", if c == 1 { "" } else { "s" }),
    );
    let mut facts = vec![
        format!(
            "- Request: `{} {}` (operationId `{}`)",
            op.method.as_str(),
            op.full_path,
            op.id
        ),
        format!("- Cost: {cost} (`x-token-cost`; see [`Self::TOKEN_COST`])"),
        format!("- OAuth scopes: {scopes}"),
    ];
    if let Some(pagination) = &op.pagination {
        let style = match pagination {
            Pagination::Cursor { .. } => "by cursor",
            Pagination::Offset { .. } => "by `start`/`limit`",
        };
        let of = if pagination.data_items().is_some() {
            " of `data.items`"
        } else {
            ""
        };
        facts.push(format!(
            "- Pages {style}: [`{0}::stream`] yields every item{of}, [`{0}::pages`] every page",
            op.builder_name
        ));
    }
    if let Some(bullet) = deprecation::doc_bullet(api, op) {
        facts.push(bullet);
    }
    doc_lines(&paragraphs([
        op.summary.clone(),
        op.description.clone(),
        Some(facts.join("\n")),
    ]))
}

fn emit_operation_const(op: &Operation) -> TokenStream {
    let id = &op.id;
    let api = &op.api;
    let method = format_ident!(
        "{}",
        match op.method {
            crate::ir::HttpMethod::Get => "Get",
            crate::ir::HttpMethod::Post => "Post",
            crate::ir::HttpMethod::Put => "Put",
            crate::ir::HttpMethod::Patch => "Patch",
            crate::ir::HttpMethod::Delete => "Delete",
            crate::ir::HttpMethod::Head => "Head",
        }
    );
    let path = &op.full_path;
    let cost = proc_macro2::Literal::u32_unsuffixed(op.token_cost.unwrap_or(0));
    let scopes = &op.oauth_scopes;
    let deprecated = op.deprecation.is_some();
    quote! {
        runtime::Operation {
            id: #id,
            api: #api,
            method: runtime::Method::#method,
            path: #path,
            token_cost: #cost,
            oauth_scopes: &[#(#scopes),*],
            deprecated: #deprecated,
        }
    }
}

fn emit_setter(input: &Input<'_>) -> TokenStream {
    let setter = &input.setter;
    let doc = doc_lines(&input.doc());
    let (ty, into) = Scope::operations().setter_param(input.ty());
    let value = if into { quote!(value.into()) } else { quote!(value) };
    // Lints a setter's name or argument type can trip, allowed where they do.
    let lint_allows = {
        let n = unraw(&setter.to_string()).to_owned();
        let convention = ["as_", "into_", "is_", "to_", "from_"]
            .iter()
            .any(|p| n.starts_with(p))
            .then(|| quote!(#[allow(clippy::wrong_self_convention)]));
        let trait_name = trait_method_allow(&n);
        let complexity = super::lints::allow_type_complexity([(input.ty(), 0)]);
        quote!(#convention #trait_name #complexity)
    };
    match input.kind {
        InputKind::Param(p) => {
            let field = to_ident(&p.rust_name);
            let deprecated = p
                .deprecated
                .then(|| quote!(#[deprecated(note = "deprecated by Pipedrive")]));
            quote! {
                #doc
                #deprecated
                #lint_allows
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#field = Some(#value);
                    self
                }
            }
        }
        InputKind::WholeBody(_) => quote! {
            #doc
            pub fn #setter(mut self, value: #ty) -> Self {
                self.body = Some(#value);
                self
            }
        },
        InputKind::BodyField(f) => {
            let field = to_ident(&f.rust_name);
            let value = if f.boxed {
                quote!(std::boxed::Box::new(#value))
            } else {
                value
            };
            let set = if f.nullable {
                quote!(Some(Some(#value)))
            } else {
                quote!(Some(#value))
            };
            // A deprecated field's setters are deprecated for the caller; they name the field.
            let deprecated = f
                .deprecated
                .then(|| quote!(#[deprecated(note = "deprecated by Pipedrive")] #[allow(deprecated)]));
            let clear = input.clear.as_ref().map(|clear| {
                let clear_doc = doc_lines(&format!("Sets {} to `null`.", code_span(&f.name)));
                quote! {
                    #clear_doc
                    #deprecated
                    pub fn #clear(mut self) -> Self {
                        self.body.#field = Some(None);
                        self
                    }
                }
            });
            quote! {
                #doc
                #deprecated
                #lint_allows
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.body.#field = #set;
                    self
                }
                #clear
            }
        }
    }
}
