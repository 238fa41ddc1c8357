//! What a request builder asks for, as [`crate::surface`] recorded it: each of the operation's
//! parameters and body fields (or its whole body) is an argument of the tag method that creates
//! the builder or a setter, under a name unique in the builder. Here each recorded input is put
//! next to the IR item it sets, for the emitters to read its type and docs.

use proc_macro2::Ident;

use super::tokens::paragraphs;
use crate::ident::to_ident;
use crate::ir::{Api, Constraint, Field, InputSource, Operation, Parameter, RequestBody, TypeRef};
use crate::markdown::code_span;
use crate::surface;

pub(super) use crate::surface::body_struct as body_fields;

/// A body that is not a struct (an array, say): passed whole, as `body`.
pub(super) fn whole_body<'a>(api: &Api, op: &'a Operation) -> Option<&'a RequestBody> {
    let body = op.request_body.as_ref()?;
    body_fields(api, op).is_none().then_some(body)
}

/// A value the builder asks for up front or through a setter.
pub(super) struct Input<'a> {
    pub(super) setter: Ident,
    /// For a nullable body field: the method that sends `null` (`clear_<setter>`, unless another
    /// input has that name).
    pub(super) clear: Option<Ident>,
    pub(super) kind: InputKind<'a>,
}

pub(super) enum InputKind<'a> {
    Param(&'a Parameter),
    BodyField(&'a Field),
    WholeBody(&'a RequestBody),
}

/// A builder's inputs: the tag method's arguments, in the order the caller passes them, and the
/// setters, in builder order.
pub(super) struct Inputs<'a> {
    pub(super) arguments: Vec<Input<'a>>,
    pub(super) setters: Vec<Input<'a>>,
}

impl<'a> Inputs<'a> {
    /// The argument that sets `p`, if it is one.
    pub(super) fn argument_for_param(&self, p: &Parameter) -> Option<&Ident> {
        self.arguments
            .iter()
            .find(|i| matches!(i.kind, InputKind::Param(q) if std::ptr::eq(q, p)))
            .map(|i| &i.setter)
    }

    /// The argument that sets body field `f`, if it is one.
    pub(super) fn argument_for_field(&self, f: &Field) -> Option<&Ident> {
        self.arguments
            .iter()
            .find(|i| matches!(i.kind, InputKind::BodyField(g) if std::ptr::eq(g, f)))
            .map(|i| &i.setter)
    }

    /// The argument that is the whole body, if it is one.
    pub(super) fn whole_body_argument(&self) -> Option<&Ident> {
        self.arguments
            .iter()
            .find(|i| matches!(i.kind, InputKind::WholeBody(_)))
            .map(|i| &i.setter)
    }
}

/// The inputs of `op`'s builder, each with the IR item it sets.
pub(super) fn inputs<'a>(api: &'a Api, op: &'a Operation) -> Inputs<'a> {
    let surface = surface::builder_of(api, op);
    let resolve = |list: &[crate::ir::Input]| -> Vec<Input<'a>> {
        list.iter()
            .filter_map(|input| {
                Some(Input {
                    setter: to_ident(&input.name),
                    clear: input.clear.as_deref().map(to_ident),
                    kind: input_kind(api, op, &input.source)?,
                })
            })
            .collect()
    };
    Inputs {
        arguments: resolve(&surface.arguments),
        setters: resolve(&surface.setters),
    }
}

/// The IR item an input sets; `None` for a recorded input the operation no longer has, which
/// [`surface::attach`] never records.
fn input_kind<'a>(api: &'a Api, op: &'a Operation, source: &InputSource) -> Option<InputKind<'a>> {
    match source {
        InputSource::Parameter { location, name } => op
            .parameters
            .iter()
            .find(|p| p.location == *location && &p.name == name)
            .map(InputKind::Param),
        InputSource::BodyField(name) => body_fields(api, op)?
            .1
            .iter()
            .find(|f| &f.name == name)
            .map(InputKind::BodyField),
        InputSource::Body => op.request_body.as_ref().map(InputKind::WholeBody),
    }
}

/// Whether the operation's method on its tag struct takes arguments (its required inputs).
pub(super) fn takes_arguments(api: &Api, op: &Operation) -> bool {
    !surface::builder_of(api, op).arguments.is_empty()
}

impl Input<'_> {
    pub(super) fn ty(&self) -> &TypeRef {
        match self.kind {
            InputKind::Param(p) => &p.ty,
            InputKind::BodyField(f) => &f.ty,
            InputKind::WholeBody(b) => &b.ty,
        }
    }

    pub(super) fn doc(&self) -> String {
        match self.kind {
            InputKind::Param(p) => {
                let default = p
                    .default
                    .as_ref()
                    .map(|d| format!("Default: {} (Pipedrive's, when left out).", code_span(&d.to_string())));
                let rules = checked_before_sending(&p.constraints);
                let dep = p.deprecated.then(|| "**Deprecated** by Pipedrive.".to_owned());
                // Never empty: the crate warns on missing docs, and CI denies warnings.
                let location = p.location.as_str();
                let description = p
                    .description
                    .clone()
                    .or_else(|| Some(format!("Sets the {} {location} parameter.", code_span(&p.name))));
                paragraphs([description, default, rules, dep])
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
                let rules = checked_before_sending(&f.constraints);
                paragraphs([description, default, rules, null, dep])
            }
            InputKind::WholeBody(b) => paragraphs([
                Some("The request body.".to_owned()),
                checked_before_sending(&b.constraints),
            ]),
        }
    }
}

/// `Checked before sending: at least 1 character and at most 255 characters.`, for an input's
/// docs; `None` without rules.
fn checked_before_sending(constraints: &[Constraint]) -> Option<String> {
    let rules: Vec<String> = constraints.iter().map(|c| c.describe()).collect();
    (!rules.is_empty()).then(|| format!("Checked before sending: {}.", rules.join(" and ")))
}
