//! Emits one tag module (`v2::stages`): the tag's API struct and a request builder per operation.
//!
//! A builder takes the required parameters (path, required query and required body fields) up
//! front, has a setter for each optional one, checks what can be checked before sending (Pipedrive's
//! 500-item `limit`), and is sent with `send()` (the data), `send_with_meta()` (the data plus
//! status, rate-limit state and `additional_data`), or, for list operations, `stream()`/`pages()`.
//! The HTTP work itself is `pipedrive_runtime`'s.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deprecation::{self, allow_deprecated, deprecated_attr};
use super::tokens::{Scope, doc_lines, inner_doc_lines, int, paragraphs};
use crate::ident::{to_ident, unique, unraw};
use crate::ir::{
    Api, BodyEncoding, Document, Field, Operation, Pagination, ParamLocation, Parameter, RequestBody, ResponseBody,
    Scalar, Tag, TypeDef, TypeKind, TypeRef,
};
use crate::markdown::{code_span, plain_text_to_markdown};

/// Builder method names that setters must not take, and `client`, the first argument of `new`
/// (a required input is an argument of `new` under its setter's name).
const BUILDER_METHODS: [&str; 10] = [
    "client",
    "new",
    "send",
    "send_with_meta",
    "to_request",
    "pages",
    "stream",
    "clone",
    "retry_policy",
    "timeout",
];

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

fn scope() -> Scope {
    Scope::operations()
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
    op.request_body.is_some()
        || op.parameters.iter().any(|p| named(&p.ty))
        || match &op.response.body {
            ResponseBody::Envelope { data } => named(data),
            ResponseBody::Json { ty } => named(ty),
            ResponseBody::Binary | ResponseBody::Empty => false,
        }
}

/// The body struct of an operation, if its body is a struct (its fields become setters).
fn body_fields<'a>(api: &'a Api, op: &Operation) -> Option<(&'a TypeDef, &'a [Field])> {
    let TypeRef::Named(name) = &op.request_body.as_ref()?.ty else {
        return None;
    };
    let def = api.types.iter().find(|t| t.api == op.api && &t.name == name)?;
    match &def.kind {
        TypeKind::Struct { fields, .. } => Some((def, fields)),
        _ => None,
    }
}

/// A body that is not a struct (an array, say): passed whole, as `body`.
fn whole_body<'a>(api: &Api, op: &'a Operation) -> Option<&'a RequestBody> {
    let body = op.request_body.as_ref()?;
    body_fields(api, op).is_none().then_some(body)
}

/// A value the builder asks for up front or through a setter.
struct Input<'a> {
    setter: proc_macro2::Ident,
    /// For a nullable body field: the method that sends `null` (`clear_<setter>`, unless another
    /// input has that name).
    clear: Option<proc_macro2::Ident>,
    kind: InputKind<'a>,
}

enum InputKind<'a> {
    Param(&'a Parameter),
    BodyField(&'a Field),
    WholeBody(&'a RequestBody),
}

impl Input<'_> {
    fn ty(&self) -> &TypeRef {
        match self.kind {
            InputKind::Param(p) => &p.ty,
            InputKind::BodyField(f) => &f.ty,
            InputKind::WholeBody(b) => &b.ty,
        }
    }

    fn required(&self) -> bool {
        match self.kind {
            InputKind::Param(p) => p.required,
            InputKind::BodyField(f) => f.required,
            InputKind::WholeBody(b) => b.required,
        }
    }

    fn doc(&self) -> String {
        match self.kind {
            InputKind::Param(p) => {
                let default = p
                    .default
                    .as_ref()
                    .map(|d| format!("Default: {} (Pipedrive's, when left out).", code_span(&d.to_string())));
                let max = p
                    .maximum
                    .map(|m| format!("At most {m}; a larger value is refused before sending."));
                let dep = p.deprecated.then(|| "**Deprecated** by Pipedrive.".to_owned());
                // Never empty: the crate warns on missing docs, and CI denies warnings.
                let location = match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                let description = p
                    .description
                    .clone()
                    .or_else(|| Some(format!("Sets the {} {location} parameter.", code_span(&p.name))));
                paragraphs([description, default, max, dep])
            }
            InputKind::BodyField(f) => {
                let default = f
                    .default
                    .as_ref()
                    .map(|d| format!("Default: {}.", code_span(&d.to_string())));
                let dep = f.deprecated.then(|| "**Deprecated** by Pipedrive.".to_owned());
                let null = self
                    .clear
                    .as_ref()
                    .filter(|_| !f.required)
                    .map(|clear| format!("Send `null` with `{clear}()`."));
                let description = f
                    .description
                    .clone()
                    .or_else(|| Some(format!("Sets the request body's {}.", code_span(&f.name))));
                paragraphs([description, default, null, dep])
            }
            InputKind::WholeBody(_) => "The request body.".to_owned(),
        }
    }
}

/// Parameters and body fields in builder order, each with a setter name unique in the builder.
fn inputs<'a>(api: &'a Api, op: &'a Operation) -> Vec<Input<'a>> {
    let mut taken: BTreeSet<String> = BUILDER_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let mut out = Vec::new();
    for p in &op.parameters {
        let name = unique(p.rust_name.clone(), &mut taken);
        out.push(Input {
            setter: to_ident(&name),
            clear: None,
            kind: InputKind::Param(p),
        });
    }
    if let Some((_, fields)) = body_fields(api, op) {
        for f in fields {
            let name = unique(f.rust_name.clone(), &mut taken);
            let clear = f
                .nullable
                // `clear_2fa_enabled`, not `clear__2fa_enabled` (a leading `_` escapes a digit).
                .then(|| {
                    to_ident(&unique(
                        format!("clear_{}", unraw(&name).trim_start_matches('_')),
                        &mut taken,
                    ))
                });
            out.push(Input {
                setter: to_ident(&name),
                clear,
                kind: InputKind::BodyField(f),
            });
        }
    }
    if let Some(body) = whole_body(api, op) {
        let name = unique("body".to_owned(), &mut taken);
        out.push(Input {
            setter: to_ident(&name),
            clear: None,
            kind: InputKind::WholeBody(body),
        });
    }
    out
}

/// Whether the operation's method on its tag struct takes arguments (its required inputs).
pub(super) fn takes_arguments(api: &Api, op: &Operation) -> bool {
    !required_inputs(op, &inputs(api, op)).is_empty()
}

/// Required inputs in the order the caller passes them: path parameters as in the template,
/// then required query/header parameters, then required body fields.
fn required_inputs<'i, 'a>(op: &Operation, inputs: &'i [Input<'a>]) -> Vec<&'i Input<'a>> {
    let mut path: Vec<&Input<'_>> = inputs
        .iter()
        .filter(|i| matches!(i.kind, InputKind::Param(p) if p.location == ParamLocation::Path))
        .collect();
    path.sort_by_key(|i| match i.kind {
        InputKind::Param(p) => op.path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX),
        InputKind::BodyField(_) | InputKind::WholeBody(_) => usize::MAX,
    });
    let rest = inputs
        .iter()
        .filter(|i| i.required() && !matches!(i.kind, InputKind::Param(p) if p.location == ParamLocation::Path));
    path.into_iter().chain(rest).collect()
}

/// The type `send()` returns and the runtime call that produces it from `request`.
fn response_type(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.response.body {
        ResponseBody::Envelope {
            data: TypeRef::Array(item),
        } => {
            let item = scope().rust_type(item);
            (
                quote!(Vec<#item>),
                quote!(self.client.send_list::<#item>(request).await),
            )
        }
        ResponseBody::Envelope { data } => {
            let ty = scope().rust_type(data);
            (ty.clone(), quote!(self.client.send_json::<#ty>(request).await))
        }
        ResponseBody::Json { ty } => {
            let ty = scope().rust_type(ty);
            (ty.clone(), quote!(self.client.send_body::<#ty>(request).await))
        }
        ResponseBody::Binary => (quote!(runtime::Bytes), quote!(self.client.send_bytes(request).await)),
        // Nothing typed to return: the body, if any, is read and dropped.
        ResponseBody::Empty => (
            quote!(()),
            quote!(
                self.client
                    .send_bytes(request)
                    .await
                    .map(|response| response.map(|_| ()))
            ),
        ),
    }
}

fn emit_entry_method(api: &Api, op: &Operation) -> TokenStream {
    let fn_name = to_ident(&op.fn_name);
    let builder = to_ident(&op.builder_name);
    let inputs = inputs(api, op);
    let required = required_inputs(op, &inputs);
    let mut args = Vec::new();
    let mut values = Vec::new();
    let mut arg_docs = Vec::new();
    let mut arg_details = Vec::new();
    for input in &required {
        let name = &input.setter;
        let (ty, into) = scope().setter_param(input.ty());
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
            if inputs.len() > required.len() {
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
    let complexity = super::types::allow_type_complexity(required.iter().map(|i| (i.ty(), 0)));
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

/// Rust type of a builder field for a parameter.
fn param_field_type(p: &Parameter) -> TokenStream {
    let ty = scope().rust_type(&p.ty);
    if p.required { ty } else { quote!(Option<#ty>) }
}

fn emit_builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = to_ident(&op.builder_name);
    let inputs = inputs(api, op);
    let required = required_inputs(op, &inputs);
    let body = body_fields(api, op);
    let deprecated = deprecated_attr(api, op);
    let allow = allow_deprecated(op);

    // Fields of the builder struct.
    let param_fields = op.parameters.iter().map(|p| {
        let ident = to_ident(&p.rust_name);
        let ty = param_field_type(p);
        quote!(#ident: #ty,)
    });
    let whole = whole_body(api, op);
    let body_field = match (body, whole) {
        (Some((def, _)), _) => {
            let ty = to_ident(&def.name);
            Some(quote!(body: types::#ty,))
        }
        (None, Some(b)) => {
            let ty = scope().rust_type(&b.ty);
            Some(if b.required {
                quote!(body: #ty,)
            } else {
                quote!(body: Option<#ty>,)
            })
        }
        (None, None) => None,
    };

    // new(): required inputs as arguments; the body starts from them.
    let new_args = required.iter().map(|i| {
        let name = &i.setter;
        let ty = match i.kind {
            InputKind::Param(p) => scope().rust_type(&p.ty),
            InputKind::BodyField(f) => scope().rust_type(&f.ty),
            InputKind::WholeBody(b) => scope().rust_type(&b.ty),
        };
        quote!(#name: #ty)
    });
    let param_inits = op.parameters.iter().map(|p| {
        let ident = to_ident(&p.rust_name);
        let arg = inputs
            .iter()
            .find(|i| matches!(i.kind, InputKind::Param(q) if std::ptr::eq(q, p)))
            .map(|i| &i.setter);
        match (p.required, arg) {
            (true, Some(arg)) if *arg == ident => quote!(#ident,),
            (true, Some(arg)) => quote!(#ident: #arg,),
            _ => quote!(#ident: None,),
        }
    });
    // The body struct's own constructor takes its required fields (see `types::emit_constructor`);
    // one without required fields is `Default`.
    let body_init = body.map(|(def, fields)| {
        let ty = to_ident(&def.name);
        let args: Vec<&proc_macro2::Ident> = fields
            .iter()
            .filter(|f| f.required)
            .filter_map(|f| {
                inputs
                    .iter()
                    .find(|i| matches!(i.kind, InputKind::BodyField(g) if std::ptr::eq(g, f)))
                    .map(|i| &i.setter)
            })
            .collect();
        if args.is_empty() {
            quote!(body: types::#ty::default(),)
        } else {
            quote!(body: types::#ty::new(#(#args),*),)
        }
    });
    let body_init = body_init.or_else(|| {
        whole.map(|b| {
            let arg = inputs
                .iter()
                .find(|i| matches!(i.kind, InputKind::WholeBody(_)))
                .map(|i| &i.setter);
            match (b.required, arg) {
                (true, Some(arg)) if arg == "body" => quote!(body,),
                (true, Some(arg)) => quote!(body: #arg,),
                _ => quote!(body: None,),
            }
        })
    });
    let too_many = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let setters = inputs.iter().filter(|i| !i.required()).map(|i| emit_setter(i));
    let to_request = emit_to_request(api, op);
    let (output, send_call) = response_type(op);
    let paging = emit_paging(op);
    let doc = builder_doc(api, op);
    let operation = emit_operation_const(op);
    let token_cost = proc_macro2::Literal::u32_unsuffixed(op.token_cost.unwrap_or(0));
    let token_doc = doc_lines(if op.token_cost.is_some() {
        "Rate-limit tokens one call spends (Pipedrive's `x-token-cost`)."
    } else {
        "Rate-limit tokens one call spends: the document does not say (`0`)."
    });

    // Optional parameters are held in an `Option`; required inputs are arguments of `new`.
    let struct_complexity = super::types::allow_type_complexity(op.parameters.iter().map(|p| (&p.ty, 1)));
    let new_complexity = super::types::allow_type_complexity(required.iter().map(|i| (i.ty(), 0)));
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        #struct_complexity
        pub struct #builder {
            client: runtime::Client,
            #(#param_fields)*
            #body_field
            call_options: runtime::CallOptions,
        }

        #allow
        impl #builder {
            /// What this operation is: operationId, method, path, token cost, OAuth scopes.
            pub const OPERATION: runtime::Operation = #operation;

            #token_doc
            pub const TOKEN_COST: u32 = #token_cost;

            #too_many
            #new_complexity
            fn new(client: runtime::Client, #(#new_args),*) -> Self {
                Self {
                    client,
                    #(#param_inits)*
                    #body_init
                    call_options: runtime::CallOptions::default(),
                }
            }

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

            #to_request

            /// Sends the request and returns the response's `data`.
            pub async fn send(self) -> Result<#output, runtime::Error> {
                self.send_with_meta().await.map(runtime::ApiResponse::into_data)
            }

            /// Sends the request and returns the data with the HTTP status, rate-limit state,
            /// request id, `additional_data` and headers.
            pub async fn send_with_meta(self) -> Result<runtime::ApiResponse<#output>, runtime::Error> {
                let request = self.to_request()?;
                #send_call
            }

            #paging
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

/// Method names of std traits (`add`, `clone`, `next`, …) that clippy's `should_implement_trait`
/// flags on a method of matching shape. Pipedrive's names are kept: an `add` field (ids to add)
/// has an `add` setter, not a trait.
const TRAIT_METHOD_NAMES: [&str; 30] = [
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

fn trait_method_allow(name: &str) -> Option<TokenStream> {
    TRAIT_METHOD_NAMES
        .contains(&unraw(name))
        .then(|| quote!(#[allow(clippy::should_implement_trait)]))
}

fn emit_setter(input: &Input<'_>) -> TokenStream {
    let setter = &input.setter;
    let doc = doc_lines(&input.doc());
    let (ty, into) = scope().setter_param(input.ty());
    let value = if into { quote!(value.into()) } else { quote!(value) };
    // Lints a setter's name or argument type can trip, allowed where they do.
    let lint_allows = {
        let n = unraw(&setter.to_string()).to_owned();
        let convention = ["as_", "into_", "is_", "to_", "from_"]
            .iter()
            .any(|p| n.starts_with(p))
            .then(|| quote!(#[allow(clippy::wrong_self_convention)]));
        let trait_name = trait_method_allow(&n);
        let complexity = super::types::allow_type_complexity([(input.ty(), 0)]);
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
            let set = if f.nullable {
                quote!(Some(Some(#value)))
            } else {
                quote!(Some(#value))
            };
            let clear = input.clear.as_ref().map(|clear| {
                let clear_doc = doc_lines(&format!("Sets {} to `null`.", code_span(&f.name)));
                quote! {
                    #clear_doc
                    pub fn #clear(mut self) -> Self {
                        self.body.#field = Some(None);
                        self
                    }
                }
            });
            quote! {
                #doc
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

/// `format!` arguments that render the path template with encoded path parameters.
fn path_expression(api: &Api, op: &Operation) -> TokenStream {
    let path_params: Vec<&Parameter> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    if path_params.is_empty() {
        let path = &op.full_path;
        return quote!(String::from(#path));
    }
    // The server prefix is text, never a template: its braces are escaped like any other text.
    let (prefix, template) = match op.full_path.strip_suffix(op.path.as_str()) {
        Some(prefix) => (prefix, op.path.as_str()),
        None => ("", op.full_path.as_str()),
    };
    let mut format = escape_format_text(prefix);
    let mut args = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        format.push_str(&escape_format_text(before));
        let close = after.find('}').unwrap_or(after.len());
        let name = after.get(1..close).unwrap_or("");
        match path_params.iter().find(|p| p.name == name) {
            Some(p) => {
                let ident = to_ident(&p.rust_name);
                format.push_str("{}");
                // Numbers and enums are passed by value (clippy flags a needless borrow); text by
                // reference.
                let copy = match &p.ty {
                    TypeRef::Scalar(s) => matches!(
                        s,
                        Scalar::I64 | Scalar::I32 | Scalar::F64 | Scalar::Bool | Scalar::BoolAsNumber
                    ),
                    TypeRef::Named(name) => api
                        .types
                        .iter()
                        .any(|t| t.api == op.api && &t.name == name && super::types::derives_copy(t)),
                    _ => false,
                };
                args.push(if p.ty == TypeRef::Scalar(Scalar::BoolAsNumber) {
                    quote!(runtime::encode_path_segment(u8::from(self.#ident)))
                } else if copy {
                    quote!(runtime::encode_path_segment(self.#ident))
                } else {
                    quote!(runtime::encode_path_segment(&self.#ident))
                });
            }
            None => format.push_str(&format!("{{{{{name}}}}}")),
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    format.push_str(&escape_format_text(rest));
    quote!(format!(#format, #(#args),*))
}

/// Text as it reads in a `format!` string: `{` and `}` doubled.
fn escape_format_text(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

fn emit_to_request(api: &Api, op: &Operation) -> TokenStream {
    let path = path_expression(api, op);
    let mut steps = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location != ParamLocation::Path) {
        let field = to_ident(&p.rust_name);
        let wire = &p.name;
        let check = p.maximum.map(|maximum| {
            let max = int(maximum);
            // The wire name comes from the spec: braces in it must not become placeholders.
            let message = format!(
                "`{}` is {{}}; Pipedrive allows at most {maximum}",
                escape_format_text(wire)
            );
            quote! {
                if *value > #max {
                    return Err(runtime::Error::invalid_request(&Self::OPERATION, format!(#message, value)));
                }
            }
        });
        // v1's 0/1 booleans travel as numbers, inside arrays too.
        let zero_one = |item: &TypeRef| *item == TypeRef::Scalar(Scalar::BoolAsNumber);
        let add = match (&p.ty, p.location) {
            (TypeRef::Array(item), ParamLocation::Query) => {
                let explode = p.array_style.is_none_or(|s| s.explode);
                if zero_one(item) {
                    quote!(request.query_array(#wire, value.iter().map(|b| u8::from(*b)), #explode);)
                } else {
                    quote!(request.query_array(#wire, value.iter(), #explode);)
                }
            }
            (TypeRef::Array(item), _) => {
                let values = if zero_one(item) {
                    quote!(value.iter().map(|b| u8::from(*b).to_string()))
                } else {
                    quote!(value.iter().map(ToString::to_string))
                };
                quote!(request.header(#wire, #values.collect::<Vec<_>>().join(","));)
            }
            (TypeRef::Scalar(Scalar::BoolAsNumber), ParamLocation::Query) => {
                quote!(request.query(#wire, u8::from(*value));)
            }
            (TypeRef::Scalar(Scalar::BoolAsNumber), _) => quote!(request.header(#wire, u8::from(*value));),
            (_, ParamLocation::Query) => quote!(request.query(#wire, value);),
            (_, _) => quote!(request.header(#wire, value);),
        };
        steps.push(if p.required {
            quote! {
                let value = &self.#field;
                #check
                #add
            }
        } else {
            quote! {
                if let Some(value) = &self.#field {
                    #check
                    #add
                }
            }
        });
    }
    if let Some(body) = &op.request_body {
        steps.push(match (body.encoding, whole_body(api, op)) {
            // A whole (non-struct) body is always JSON (lowering refuses other encodings).
            (_, Some(whole)) if !whole.required => quote! {
                if let Some(body) = &self.body {
                    request.json_body(body)?;
                }
            },
            (BodyEncoding::Json, _) => quote!(request.json_body(&self.body)?;),
            (BodyEncoding::Form, _) => quote!(request.form_body(&self.body)?;),
            (BodyEncoding::Multipart, _) => quote!(request.multipart_body(self.body.to_multipart());),
        });
    }
    quote! {
        /// Builds the HTTP request without sending it, refusing values the documents rule out.
        pub fn to_request(&self) -> Result<runtime::Request, runtime::Error> {
            let mut request = runtime::Request::new(&Self::OPERATION, #path);
            request.set_options(self.call_options.clone());
            #(#steps)*
            Ok(request)
        }
    }
}

fn query_parameter<'o>(op: &'o Operation, name: &str) -> Option<&'o Parameter> {
    op.parameters
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == name)
}

fn emit_paging(op: &Operation) -> TokenStream {
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
    let item = scope().rust_type(item);
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
