//! Changes to operations: the request line, parameters, request body, response, pagination and
//! metadata of each operation, matched by API version and operationId.
//!
//! Severities follow what the generated builder exposes, as [`crate::surface`] recorded it: some
//! inputs are arguments of the tag method that creates the builder (path parameters, required
//! query parameters, required body fields, a required whole body), the others setters. So anything
//! that changes that argument list, a setter, or the type `send()` returns is major; a new setter
//! is minor.

use std::borrow::Cow;

use super::wording::{
    constraint_changes, default_change, encoding, instead, optionality, page_items, pagination_params,
    pagination_style, parameter_kind, returned, scopes, statuses, tokens,
};
use super::{Paired, Recorder, Severity, Subject, one_line, pair_by_key, shown};
use crate::ir::{
    Api, ArrayStyle, BuilderSurface, Input, InputSource, Operation, ParamLocation, Parameter, RequestBody,
    ResponseBody, TypeRef,
};
use crate::surface;

pub(super) fn compare_operations(old: &Api, new: &Api, out: &mut Recorder) {
    for pair in pair_by_key(&old.operations, &new.operations, |o| (o.api.as_str(), o.id.as_str())) {
        match pair {
            Paired::Added(op) => out.record(
                Severity::Minor,
                &subject(op),
                format!("Added operation {} ({})", label(op), request_line(op)),
            ),
            Paired::Removed(op) => out.record(
                Severity::Major,
                &subject(op),
                // Users of a removed operation need its replacement more than anything else.
                format!(
                    "Removed operation {} ({}){}",
                    label(op),
                    request_line(op),
                    op.deprecation.as_ref().map(instead).unwrap_or_default()
                ),
            ),
            Paired::Kept(o, n) => OperationDiff {
                old: o,
                new: n,
                old_builder: surface::builder_of(old, o),
                new_builder: surface::builder_of(new, n),
                subject: subject(n),
                label: label(n),
            }
            .record(out),
        }
    }
}

fn subject(op: &Operation) -> Subject {
    Subject::Operation {
        api: op.api.clone(),
        id: op.id.clone(),
    }
}

/// `` `v1 getStages` ``: how every sentence names an operation.
fn label(op: &Operation) -> String {
    format!("`{} {}`", op.api, op.id)
}

/// `` `GET /v1/stages` ``.
fn request_line(op: &Operation) -> String {
    format!("`{} {}`", op.method.as_str(), op.full_path)
}

/// An input of a builder, and whether it is an argument (else a setter).
type Placed<'a> = (&'a Input, bool);

/// One operation present on both sides, with its builder on each.
struct OperationDiff<'a> {
    old: &'a Operation,
    new: &'a Operation,
    old_builder: Cow<'a, BuilderSurface>,
    new_builder: Cow<'a, BuilderSurface>,
    subject: Subject,
    label: String,
}

impl OperationDiff<'_> {
    fn record(&self, out: &mut Recorder) {
        self.compare_request_line(out);
        self.compare_rust_names(out);
        self.compare_deprecation(out);
        self.compare_parameters(out);
        self.compare_request_body(out);
        self.compare_body_inputs(out);
        self.compare_response(out);
        self.compare_pagination(out);
        self.compare_metadata(out);
    }

    fn note(&self, out: &mut Recorder, severity: Severity, what: String) {
        out.record(severity, &self.subject, format!("{}: {what}", self.label));
    }

    fn compare_request_line(&self, out: &mut Recorder) {
        let (old, new) = (self.old, self.new);
        if old.method != new.method || old.full_path != new.full_path {
            self.note(
                out,
                Severity::Major,
                format!("request is now {} (was {})", request_line(new), request_line(old)),
            );
        }
    }

    /// The tag decides the module and the builder lives under its own name; a move or a rename
    /// breaks every `use` of it. These follow from operationId and tag, so they rarely change alone.
    fn compare_rust_names(&self, out: &mut Recorder) {
        let (old, new) = (self.old, self.new);
        if old.tag != new.tag || old.tag_module != new.tag_module {
            self.note(
                out,
                Severity::Major,
                format!(
                    "moved from tag `{}` (`{}::{}`) to tag `{}` (`{}::{}`)",
                    old.tag, old.api, old.tag_module, new.tag, new.api, new.tag_module
                ),
            );
        }
        if old.fn_name != new.fn_name {
            self.note(
                out,
                Severity::Major,
                format!("method renamed from `{}()` to `{}()`", old.fn_name, new.fn_name),
            );
        }
        if old.builder_name != new.builder_name {
            self.note(
                out,
                Severity::Major,
                format!("builder renamed from `{}` to `{}`", old.builder_name, new.builder_name),
            );
        }
    }

    /// Adding `#[deprecated]` only warns, and removing it only silences a warning: both minor.
    fn compare_deprecation(&self, out: &mut Recorder) {
        match (&self.old.deprecation, &self.new.deprecation) {
            (None, Some(d)) => self.note(out, Severity::Minor, format!("now deprecated{}", instead(d))),
            (Some(_), None) => self.note(out, Severity::Minor, "no longer deprecated".to_owned()),
            (Some(o), Some(n)) if o.replacement != n.replacement => self.note(
                out,
                Severity::Patch,
                format!(
                    "suggested replacement is now {} (was {})",
                    shown(n.replacement.as_ref()),
                    shown(o.replacement.as_ref())
                ),
            ),
            (Some(o), Some(n)) if o.note != n.note => {
                self.note(out, Severity::Patch, "deprecation note changed".to_owned())
            }
            _ => {}
        }
    }

    fn compare_parameters(&self, out: &mut Recorder) {
        let key = |p: &Parameter| (p.name.clone(), location_rank(p.location));
        for pair in pair_by_key(&self.old.parameters, &self.new.parameters, key) {
            match pair {
                Paired::Added(p) => self.note(
                    out,
                    self.added_input_severity(&parameter_source(p)),
                    format!("new {} `{}` (`{}`)", parameter_kind(p), p.name, p.ty),
                ),
                Paired::Removed(p) => self.note(
                    out,
                    Severity::Major,
                    format!("removed {} `{}` (`{}`)", parameter_kind(p), p.name, p.ty),
                ),
                Paired::Kept(o, n) => self.compare_parameter(o, n, out),
            }
        }
    }

    fn compare_parameter(&self, old: &Parameter, new: &Parameter, out: &mut Recorder) {
        let name = &new.name;
        if old.ty != new.ty {
            self.note(
                out,
                Severity::Major,
                format!("parameter `{name}` is now `{}` (was `{}`)", new.ty, old.ty),
            );
        }
        if let Some(severity) = self.renamed(&parameter_source(new)) {
            let (was, now) = self.names_of(&parameter_source(new));
            self.note(
                out,
                severity,
                format!("parameter `{name}` is set with `{now}` (was `{was}`)"),
            );
        }
        // Required parameters are arguments of the method that creates the builder, optional
        // ones are setters: a change either way changes that method's signature.
        if old.required != new.required {
            let now = if new.required { "required" } else { "optional" };
            let severity = if self.moved_between_arguments_and_setters(&parameter_source(new)) {
                Severity::Major
            } else {
                Severity::Patch
            };
            self.note(out, severity, format!("parameter `{name}` is now {now}"));
        }
        if let Some(what) = default_change(old.default.as_ref(), new.default.as_ref()) {
            self.note(out, Severity::Patch, format!("parameter `{name}` {what}"));
        }
        // Minor, tightening included: see `constraint_changes`.
        for what in constraint_changes(&old.constraints, &new.constraints) {
            self.note(out, Severity::Minor, format!("parameter `{name}` {what}"));
        }
        if old.deprecated != new.deprecated {
            let now = if new.deprecated {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            self.note(out, Severity::Minor, format!("parameter `{name}` is {now}"));
        }
        // Only between two lists: when one side is not a list, the type change says it all.
        if let (Some(was), Some(now)) = (old.array_style, new.array_style) {
            if was != now {
                let shape = |style: ArrayStyle| {
                    if style.explode {
                        format!("`{name}=1&{name}=2`")
                    } else {
                        format!("`{name}=1,2`")
                    }
                };
                self.note(
                    out,
                    Severity::Patch,
                    format!("parameter `{name}` is now sent as {} (was {})", shape(now), shape(was)),
                );
            }
        }
        if old.description != new.description {
            self.note(out, Severity::Patch, format!("parameter `{name}`: description changed"));
        }
    }

    fn compare_request_body(&self, out: &mut Recorder) {
        match (&self.old.request_body, &self.new.request_body) {
            (None, Some(body)) => {
                let (severity, what) = added_body(&self.new_builder, body);
                self.note(out, severity, what);
            }
            (Some(body), None) => {
                self.note(
                    out,
                    Severity::Major,
                    format!("request body removed (was `{}`)", body.ty),
                );
            }
            (Some(o), Some(n)) => self.compare_kept_body(o, n, out),
            (None, None) => {}
        }
    }

    fn compare_kept_body(&self, old: &RequestBody, new: &RequestBody, out: &mut Recorder) {
        // Minor, tightening included: see `constraint_changes`.
        for what in constraint_changes(&old.constraints, &new.constraints) {
            self.note(out, Severity::Minor, format!("request body {what}"));
        }
        if old.ty != new.ty {
            self.note(
                out,
                Severity::Major,
                format!("request body is now `{}` (was `{}`)", new.ty, old.ty),
            );
        }
        let (old_sent, new_sent) = (encoding(old), encoding(new));
        if old_sent != new_sent {
            // Between JSON, form and multipart, or from one JSON or text type to another, the
            // builder encodes the body and callers set the same values. Text and bytes are sent
            // as the caller passes them: a body that turns into or out of one means another
            // value (the text itself, not a JSON string), even where the Rust type stays.
            let same_kind =
                old.encoding == new.encoding || (old.encoding.is_serialised() && new.encoding.is_serialised());
            let severity = if same_kind { Severity::Patch } else { Severity::Major };
            self.note(
                out,
                severity,
                format!("request body is sent as {new_sent} (was {old_sent})"),
            );
        }
        if old.required != new.required {
            // A struct body's fields are the builder's inputs, so only a whole body (an array,
            // say) turns into a constructor argument or back into a setter.
            let severity = if self.moved_between_arguments_and_setters(&InputSource::Body) {
                Severity::Major
            } else {
                Severity::Patch
            };
            self.note(
                out,
                severity,
                format!("request body is now {}", optionality(new.required)),
            );
        }
    }

    /// How each body field is set, where the field is on both sides: a setter renamed (made
    /// unique against another input) or a `clear_` method gained or lost. Fields added,
    /// removed or retyped are the body type's changes, listed with the type.
    fn compare_body_inputs(&self, out: &mut Recorder) {
        for was in self.old_builder.inputs() {
            let InputSource::BodyField(field) = &was.source else {
                continue;
            };
            let Some((now, _)) = self.new_builder.find(&was.source) else {
                continue;
            };
            if let Some(severity) = self.renamed(&was.source) {
                self.note(
                    out,
                    severity,
                    format!("body field `{field}` is set with `{}` (was `{}`)", now.name, was.name),
                );
            }
            match (&was.clear, &now.clear) {
                (None, Some(clear)) => self.note(
                    out,
                    Severity::Minor,
                    format!("new method `{clear}()` sends `{field}` as `null`"),
                ),
                (Some(clear), None) => self.note(
                    out,
                    Severity::Major,
                    format!("method `{clear}()` removed (`{field}` can no longer be sent as `null`)"),
                ),
                (Some(a), Some(b)) if a != b => self.note(
                    out,
                    Severity::Major,
                    format!("`{field}` is sent as `null` with `{b}()` (was `{a}()`)"),
                ),
                _ => {}
            }
        }
    }

    /// The input that sets `source` on each side, and whether it is an argument there.
    fn inputs_for(&self, source: &InputSource) -> (Option<Placed<'_>>, Option<Placed<'_>>) {
        (self.old_builder.find(source), self.new_builder.find(source))
    }

    /// How much a new name for the input that sets `source` matters, if it has one: a setter
    /// renamed breaks every call of it; an argument is passed by position, so only its docs
    /// change.
    fn renamed(&self, source: &InputSource) -> Option<Severity> {
        match self.inputs_for(source) {
            (Some((was, was_argument)), Some((now, now_argument))) if was.name != now.name => {
                Some(if was_argument && now_argument {
                    Severity::Patch
                } else {
                    Severity::Major
                })
            }
            _ => None,
        }
    }

    /// The old and new name of the input that sets `source` (empty where there is none).
    fn names_of(&self, source: &InputSource) -> (String, String) {
        let (was, now) = self.inputs_for(source);
        let name = |side: Option<Placed<'_>>| side.map(|(i, _)| i.name.clone()).unwrap_or_default();
        (name(was), name(now))
    }

    /// Whether `source` is an argument on one side and a setter on the other.
    fn moved_between_arguments_and_setters(&self, source: &InputSource) -> bool {
        match self.inputs_for(source) {
            (Some((_, was)), Some((_, now))) => was != now,
            _ => false,
        }
    }

    /// A new argument breaks every call of the method that creates the builder; a new setter
    /// does not.
    fn added_input_severity(&self, source: &InputSource) -> Severity {
        match self.new_builder.find(source) {
            Some((_, true)) => Severity::Major,
            _ => Severity::Minor,
        }
    }

    fn compare_response(&self, out: &mut Recorder) {
        let (old, new) = (&self.old.response, &self.new.response);
        if let (
            ResponseBody::Envelope {
                data: old_data,
                additional_data: old_additional,
                related_objects: old_related,
            },
            ResponseBody::Envelope {
                data: new_data,
                additional_data: new_additional,
                related_objects: new_related,
            },
        ) = (&old.body, &new.body)
        {
            if old_data != new_data {
                self.note(
                    out,
                    Severity::Major,
                    format!("now returns `{new_data}` (was `{old_data}`)"),
                );
            }
            // `send_with_meta()` hands these out typed; JSON is what an undescribed one is.
            for (part, old_part, new_part) in [
                ("additional_data", old_additional, new_additional),
                ("related_objects", old_related, new_related),
            ] {
                if old_part != new_part {
                    let shown =
                        |t: &Option<TypeRef>| t.as_ref().map_or_else(|| "JSON".to_owned(), |t| format!("`{t}`"));
                    self.note(
                        out,
                        Severity::Major,
                        format!("its `{part}` is now {} (was {})", shown(new_part), shown(old_part)),
                    );
                }
            }
        } else if old.body != new.body {
            self.note(
                out,
                Severity::Major,
                format!("now returns {} (was {})", returned(&new.body), returned(&old.body)),
            );
        }
        if old.statuses != new.statuses {
            self.note(
                out,
                Severity::Patch,
                format!(
                    "success statuses are now {} (were {})",
                    statuses(&new.statuses),
                    statuses(&old.statuses)
                ),
            );
        }
    }

    /// Pagination gives the builder `stream()` and `pages()`: gaining them is minor, losing them or
    /// switching style (the page type changes) is major.
    fn compare_pagination(&self, out: &mut Recorder) {
        match (&self.old.pagination, &self.new.pagination) {
            (None, Some(p)) => self.note(
                out,
                Severity::Minor,
                format!("now pages by {} (`stream()` and `pages()`)", pagination_style(p)),
            ),
            (Some(p), None) => self.note(
                out,
                Severity::Major,
                format!(
                    "no longer pages (was by {}; `stream()` and `pages()` are gone)",
                    pagination_style(p)
                ),
            ),
            (Some(o), Some(n)) if pagination_style(o) != pagination_style(n) => self.note(
                out,
                Severity::Major,
                format!("now pages by {} (was by {})", pagination_style(n), pagination_style(o)),
            ),
            (Some(o), Some(n)) if o.data_items() != n.data_items() => self.note(
                out,
                Severity::Major,
                format!("pages now hold {} (held {})", page_items(n), page_items(o)),
            ),
            (Some(o), Some(n)) if o != n => self.note(
                out,
                Severity::Patch,
                format!("pages with {} (was {})", pagination_params(n), pagination_params(o)),
            ),
            _ => {}
        }
    }

    fn compare_metadata(&self, out: &mut Recorder) {
        let (old, new) = (self.old, self.new);
        if old.token_cost != new.token_cost {
            self.note(
                out,
                Severity::Patch,
                format!(
                    "token cost is now {} (was {})",
                    tokens(new.token_cost),
                    tokens(old.token_cost)
                ),
            );
        }
        if old.oauth_scopes != new.oauth_scopes {
            self.note(
                out,
                Severity::Patch,
                format!(
                    "OAuth scopes are now {} (were {})",
                    scopes(&new.oauth_scopes),
                    scopes(&old.oauth_scopes)
                ),
            );
        }
        if old.summary != new.summary {
            let text = |s: &Option<String>| {
                s.as_deref()
                    .map_or_else(|| "none".to_owned(), |s| format!("\"{}\"", one_line(s)))
            };
            self.note(
                out,
                Severity::Patch,
                format!("summary is now {} (was {})", text(&new.summary), text(&old.summary)),
            );
        }
        if old.description != new.description {
            self.note(out, Severity::Patch, "description changed".to_owned());
        }
    }
}

/// Orders parameters of the same name by where they go; OpenAPI keys parameters by (name, in).
fn location_rank(location: ParamLocation) -> u8 {
    match location {
        ParamLocation::Path => 0,
        ParamLocation::Query => 1,
        ParamLocation::Header => 2,
    }
}

/// What sets a parameter.
fn parameter_source(p: &Parameter) -> InputSource {
    InputSource::Parameter {
        location: p.location,
        name: p.name.clone(),
    }
}

/// A new body adds its inputs to the builder: a struct body adds its fields (each that is an
/// argument one more argument, whatever the body's own `required` says), any other body is one
/// input.
fn added_body(builder: &BuilderSurface, body: &RequestBody) -> (Severity, String) {
    let ty = &body.ty;
    let whole = builder.find(&InputSource::Body);
    match whole {
        None => {
            let required: Vec<String> = builder
                .arguments
                .iter()
                .filter_map(|i| match &i.source {
                    InputSource::BodyField(name) => Some(format!("`{name}`")),
                    _ => None,
                })
                .collect();
            match required.as_slice() {
                [] => (
                    Severity::Minor,
                    format!("new request body (`{ty}`) with optional fields only"),
                ),
                [one] => (
                    Severity::Major,
                    format!("new request body (`{ty}`) with required field {one}"),
                ),
                many => (
                    Severity::Major,
                    format!("new request body (`{ty}`) with required fields {}", many.join(", ")),
                ),
            }
        }
        Some((_, argument)) => (
            if argument { Severity::Major } else { Severity::Minor },
            format!("new {} request body (`{ty}`)", optionality(body.required)),
        ),
    }
}
