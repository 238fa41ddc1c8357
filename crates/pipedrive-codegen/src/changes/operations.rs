//! Changes to operations: the request line, parameters, request body, response, pagination and
//! metadata of each operation, matched by API version and operationId.
//!
//! Severities follow what the generated builder exposes: required inputs (path parameters,
//! required query parameters, required body fields, a required whole body) are arguments of the
//! tag method that creates the builder, optional ones are setters. So anything that changes that
//! argument list, a setter, or the type `send()` returns is major; a new setter is minor.

use super::{Paired, Recorder, Severity, Subject, one_line, pair_by_key, shown};
use crate::ir::{
    Api, ArrayStyle, BodyEncoding, Deprecation, Field, Literal, Operation, Pagination, ParamLocation, Parameter,
    RequestBody, ResponseBody, TypeKind, TypeRef,
};

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
            Paired::Kept(o, n) => {
                let sides = Sides { old, new };
                OperationDiff {
                    sides,
                    old: o,
                    new: n,
                    subject: subject(n),
                    label: label(n),
                }
                .record(out);
            }
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

/// The two APIs, for looking up the types an operation's body refers to.
#[derive(Clone, Copy)]
struct Sides<'a> {
    old: &'a Api,
    new: &'a Api,
}

/// One operation present on both sides.
struct OperationDiff<'a> {
    sides: Sides<'a>,
    old: &'a Operation,
    new: &'a Operation,
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
                    added_input_severity(p.required),
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
        if old.rust_name != new.rust_name {
            self.note(
                out,
                Severity::Major,
                format!(
                    "parameter `{name}` is set with `{}` (was `{}`)",
                    new.rust_name, old.rust_name
                ),
            );
        }
        // Required parameters are arguments of the method that creates the builder, optional
        // ones are setters: a change either way changes that method's signature.
        if old.required != new.required {
            let now = if new.required { "required" } else { "optional" };
            self.note(out, Severity::Major, format!("parameter `{name}` is now {now}"));
        }
        if let Some(what) = default_change(old.default.as_ref(), new.default.as_ref()) {
            self.note(out, Severity::Patch, format!("parameter `{name}` {what}"));
        }
        // The builder refuses values above the maximum before sending; the server enforces its
        // own limit anyway, so this adjusts behaviour without touching any signature.
        if let Some(what) = maximum_change(old.maximum, new.maximum) {
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
                let (severity, what) = added_body(self.sides.new, &self.new.api, body);
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
        if old.ty != new.ty {
            self.note(
                out,
                Severity::Major,
                format!("request body is now `{}` (was `{}`)", new.ty, old.ty),
            );
        }
        if old.encoding != new.encoding {
            // The builder encodes the body; callers set the same values either way.
            self.note(
                out,
                Severity::Patch,
                format!(
                    "request body is sent as {} (was {})",
                    encoding(new.encoding),
                    encoding(old.encoding)
                ),
            );
        }
        if old.required != new.required {
            // A struct body's fields are the builder's inputs, so only a whole body (an array,
            // say) turns into a constructor argument or back into a setter.
            let whole = !is_struct(self.sides.old, &self.old.api, &old.ty)
                || !is_struct(self.sides.new, &self.new.api, &new.ty);
            let severity = if whole { Severity::Major } else { Severity::Patch };
            self.note(
                out,
                severity,
                format!("request body is now {}", optionality(new.required)),
            );
        }
    }

    fn compare_response(&self, out: &mut Recorder) {
        let (old, new) = (&self.old.response, &self.new.response);
        if old.body != new.body {
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

/// `optional parameter`, `required path parameter`, `optional header parameter`.
fn parameter_kind(p: &Parameter) -> String {
    let place = match p.location {
        ParamLocation::Path => "path ",
        ParamLocation::Query => "",
        ParamLocation::Header => "header ",
    };
    format!("{} {place}parameter", optionality(p.required))
}

fn optionality(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// A new optional input is one more setter; a new required one is one more constructor argument.
fn added_input_severity(required: bool) -> Severity {
    if required { Severity::Major } else { Severity::Minor }
}

/// A new body adds its inputs to the builder: a struct body adds its fields (each required one a
/// constructor argument, whatever the body's own `required` says), any other body is one input.
fn added_body(api: &Api, api_name: &str, body: &RequestBody) -> (Severity, String) {
    let ty = &body.ty;
    match struct_fields(api, api_name, ty) {
        Some(fields) => {
            let required: Vec<String> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| format!("`{}`", f.name))
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
        None => (
            added_input_severity(body.required),
            format!("new {} request body (`{ty}`)", optionality(body.required)),
        ),
    }
}

/// The fields of a named struct; `None` for every other type.
fn struct_fields<'a>(api: &'a Api, api_name: &str, ty: &TypeRef) -> Option<&'a [Field]> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let def = api.types.iter().find(|t| t.api == api_name && &t.name == name)?;
    match &def.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        TypeKind::Enum { .. } | TypeKind::Union { .. } => None,
    }
}

fn is_struct(api: &Api, api_name: &str, ty: &TypeRef) -> bool {
    struct_fields(api, api_name, ty).is_some()
}

/// What `send()` gives back, in a sentence.
fn returned(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Envelope { data } => format!("`{data}`"),
        ResponseBody::Json { ty } => format!("`{ty}` (the whole body)"),
        ResponseBody::Binary => "raw bytes".to_owned(),
        ResponseBody::Empty => "no data".to_owned(),
    }
}

fn statuses(list: &[u16]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

fn pagination_style(p: &Pagination) -> &'static str {
    match p {
        Pagination::Cursor { .. } => "cursor",
        Pagination::Offset { .. } => "offset",
    }
}

/// What a page holds: `` `data` `` (the list itself) or `` `data.items` of `T` ``.
fn page_items(p: &Pagination) -> String {
    match p.data_items() {
        None => "`data`".to_owned(),
        Some(item) => format!("`data.items` of `{item}`"),
    }
}

/// `` `cursor` and `limit` ``: the query parameters pagination drives.
fn pagination_params(p: &Pagination) -> String {
    let (position, limit) = match p {
        Pagination::Cursor {
            cursor_param,
            limit_param,
            ..
        } => (cursor_param, limit_param),
        Pagination::Offset {
            start_param,
            limit_param,
            ..
        } => (start_param, limit_param),
    };
    match limit {
        Some(limit) => format!("`{position}` and `{limit}`"),
        None => format!("`{position}` only"),
    }
}

fn tokens(cost: Option<u32>) -> String {
    cost.map_or_else(|| "not stated".to_owned(), |c| c.to_string())
}

fn scopes(list: &[String]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// `; use `GET /api/v2/stages` instead`, when the replacement is known.
fn instead(deprecation: &Deprecation) -> String {
    deprecation
        .replacement
        .as_ref()
        .map(|r| format!("; use `{r}` instead"))
        .unwrap_or_default()
}

/// `now defaults to `1``, `defaults to `1` (was `0`)`, `no longer has a default (was `0`)`.
pub(super) fn default_change(old: Option<&Literal>, new: Option<&Literal>) -> Option<String> {
    match (old, new) {
        (None, Some(n)) => Some(format!("now defaults to `{n}`")),
        (Some(o), None) => Some(format!("no longer has a default (was `{o}`)")),
        (Some(o), Some(n)) if o != n => Some(format!("defaults to `{n}` (was `{o}`)")),
        _ => None,
    }
}

fn maximum_change(old: Option<i64>, new: Option<i64>) -> Option<String> {
    match (old, new) {
        (None, Some(n)) => Some(format!("now accepts at most {n}")),
        (Some(o), None) => Some(format!("no longer has a maximum (was {o})")),
        (Some(o), Some(n)) if o != n => Some(format!("accepts at most {n} (was {o})")),
        _ => None,
    }
}

fn encoding(encoding: BodyEncoding) -> &'static str {
    match encoding {
        BodyEncoding::Json => "JSON",
        BodyEncoding::Form => "a URL-encoded form",
        BodyEncoding::Multipart => "multipart/form-data",
    }
}
