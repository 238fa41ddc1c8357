//! Emits the checks a builder's `to_request()` makes before sending: each constrained parameter,
//! body field or whole body handed with its rules, as data, to one runtime function
//! (`runtime::check`, `check_each` for a field of every item of a list body, `check_fields_set`
//! for `minProperties`). The error names the input as the caller set it: its setter or argument.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::inputs::{InputKind, Inputs, body_fields, whole_body};
use super::tokens::int;
use crate::ident::unraw;
use crate::ir::{Api, Constraint, Field, Operation, Parameter, TypeKind, TypeRef};

/// The runtime's rules for `constraints`; `minProperties` has a function of its own.
pub(super) fn rules(constraints: &[Constraint]) -> Vec<TokenStream> {
    constraints
        .iter()
        .filter_map(|c| {
            let (variant, bound) = match *c {
                Constraint::Minimum(n) => ("Minimum", int(n)),
                Constraint::Maximum(n) => ("Maximum", int(n)),
                Constraint::MinLength(n) => ("MinLength", count(n)),
                Constraint::MaxLength(n) => ("MaxLength", count(n)),
                Constraint::MinItems(n) => ("MinItems", count(n)),
                Constraint::MaxItems(n) => ("MaxItems", count(n)),
                Constraint::MinProperties(_) => return None,
            };
            let variant = format_ident!("{variant}");
            Some(quote!(runtime::Constraint::#variant(#bound)))
        })
        .collect()
}

/// A count as code writes it: `255`, not `255u64`.
fn count(n: u64) -> proc_macro2::Literal {
    proc_macro2::Literal::u64_unsuffixed(n)
}

/// `runtime::check(...)?;` for `value` (an expression borrowing the value), or nothing when
/// there is no rule to check.
fn check(name: &str, constraints: &[Constraint], value: &TokenStream) -> Option<TokenStream> {
    let rules = rules(constraints);
    (!rules.is_empty()).then(|| quote!(runtime::check(&Self::OPERATION, #name, &[#(#rules),*], #value)?;))
}

/// The name the caller sets an input by, as text (`type`, not `r#type`).
fn input_name(inputs: &Inputs<'_>, is_it: impl Fn(&InputKind<'_>) -> bool) -> Option<String> {
    inputs
        .arguments
        .iter()
        .chain(&inputs.setters)
        .find(|i| is_it(&i.kind))
        .map(|i| unraw(&i.setter.to_string()).to_owned())
}

/// The check of parameter `p`, whose value is bound to `value` (a reference) where it runs.
pub(super) fn parameter_check(inputs: &Inputs<'_>, p: &Parameter) -> Option<TokenStream> {
    let name = input_name(inputs, |k| matches!(k, InputKind::Param(q) if std::ptr::eq(*q, p)))
        .unwrap_or_else(|| p.rust_name.clone());
    check(&name, &p.constraints, &quote!(value))
}

/// The checks of the body: its constrained fields, or a whole body and the constrained fields
/// of its items, and `minProperties`.
pub(super) fn body_checks(api: &Api, op: &Operation, inputs: &Inputs<'_>) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    if let Some((_, fields)) = body_fields(api, op) {
        for f in fields {
            let name = input_name(inputs, |k| matches!(k, InputKind::BodyField(g) if std::ptr::eq(*g, f)))
                .unwrap_or_else(|| f.rust_name.clone());
            let field = crate::ident::to_ident(&f.rust_name);
            steps.extend(check(&name, &f.constraints, &quote!(&self.body.#field)));
        }
    }
    let Some(body) = op.request_body.as_ref() else {
        return steps;
    };
    let min_properties = body.constraints.iter().find_map(|c| match c {
        Constraint::MinProperties(n) => Some(*n),
        _ => None,
    });
    if let Some(at_least) = min_properties.map(count) {
        let setters: Vec<String> = inputs
            .arguments
            .iter()
            .chain(&inputs.setters)
            .filter(|i| matches!(i.kind, InputKind::BodyField(_)))
            .map(|i| unraw(&i.setter.to_string()).to_owned())
            .collect();
        steps.push(quote!(runtime::check_fields_set(&Self::OPERATION, &self.body, #at_least, &[#(#setters),*])?;));
    }
    if let Some(whole) = whole_body(api, op) {
        let name = input_name(inputs, |k| matches!(k, InputKind::WholeBody(_))).unwrap_or_else(|| "body".to_owned());
        steps.extend(check(&name, &whole.constraints, &quote!(&self.body)));
        steps.extend(item_field_checks(api, op, &name, whole.required));
    }
    steps
}

/// For a whole body that is a list of structs: each constrained field of every item.
fn item_field_checks(api: &Api, op: &Operation, name: &str, required: bool) -> Vec<TokenStream> {
    let Some(TypeRef::Array(item)) = op.request_body.as_ref().map(|b| &b.ty) else {
        return Vec::new();
    };
    let TypeRef::Named(item) = item.as_ref() else {
        return Vec::new();
    };
    let fields: &[Field] = match api
        .types
        .iter()
        .find(|t| t.api == op.api && &t.name == item)
        .map(|t| &t.kind)
    {
        Some(TypeKind::Struct { fields, .. }) => fields,
        _ => return Vec::new(),
    };
    // An optional body is an `Option<Vec<_>>`: its items, when set.
    let items = if required {
        quote!(self.body.iter())
    } else {
        quote!(self.body.iter().flatten())
    };
    fields
        .iter()
        .filter_map(|f| {
            let rules = rules(&f.constraints);
            let field = crate::ident::to_ident(&f.rust_name);
            let user_name = unraw(&f.rust_name);
            (!rules.is_empty()).then(|| {
                quote!(runtime::check_each(&Self::OPERATION, #name, #user_name, &[#(#rules),*], #items.map(|item| &item.#field))?;)
            })
        })
        .collect()
}
