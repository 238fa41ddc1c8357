//! Emits a builder's `to_request()`: the path with its encoded parameters, query and header
//! parameters as the documents write them, the checks made before sending (`checks`: Pipedrive's
//! 500-item `limit`, a field name's length), and the body in its encoding.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks;
use super::inputs::{inputs, whole_body};
use crate::ident::to_ident;
use crate::ir::{Api, BodyEncoding, Operation, ParamLocation, Parameter, RequestBody, Scalar, TypeRef};

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

/// The statement that sets the builder's body as the request's, in its encoding and with its
/// `Content-Type`: `value` is the body (`self.body`, or `body` bound by reference), `reference`
/// a reference to it. A whole (non-struct) body is JSON, text or bytes: lowering refuses other
/// encodings for one.
fn send_body(body: &RequestBody, value: &TokenStream, reference: &TokenStream) -> TokenStream {
    let content_type = body.content_type();
    match (body.encoding, &body.media_type) {
        (BodyEncoding::Json, None) => quote!(request.json_body(#reference)?;),
        (BodyEncoding::Json, Some(_)) => quote!(request.json_body_as(#reference, #content_type)?;),
        (BodyEncoding::Form, _) => quote!(request.form_body(#reference)?;),
        (BodyEncoding::Multipart, _) => quote!(request.multipart_body(#value.to_multipart());),
        (BodyEncoding::Text, _) => quote!(request.text_body(#reference, #content_type);),
        // `Bytes` clones share the buffer: no copy of the body per request.
        (BodyEncoding::Bytes, _) => quote!(request.bytes_body(#value.clone(), #content_type);),
    }
}

pub(super) fn emit_to_request(api: &Api, op: &Operation) -> TokenStream {
    let path = path_expression(api, op);
    let inputs = inputs(api, op);
    let mut steps = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location != ParamLocation::Path) {
        let field = to_ident(&p.rust_name);
        let wire = &p.name;
        let check = checks::parameter_check(&inputs, p);
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
    steps.extend(checks::body_checks(api, op, &inputs));
    if let Some(body) = &op.request_body {
        steps.push(match whole_body(api, op) {
            Some(whole) if !whole.required => {
                let send = send_body(body, &quote!(body), &quote!(body));
                quote! {
                    if let Some(body) = &self.body {
                        #send
                    }
                }
            }
            _ => send_body(body, &quote!(self.body), &quote!(&self.body)),
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
