//! How the changelog words an operation's parts: kinds of parameters, what `send()` returns,
//! statuses, pagination, token costs, scopes, defaults and maximums, encodings. One place, so
//! every sentence about an operation names these the same way.

use crate::ir::{BodyEncoding, Deprecation, Literal, Pagination, ParamLocation, Parameter, ResponseBody};

/// `optional parameter`, `required path parameter`, `optional header parameter`.
pub(super) fn parameter_kind(p: &Parameter) -> String {
    let place = match p.location {
        ParamLocation::Path => "path ",
        ParamLocation::Query => "",
        ParamLocation::Header => "header ",
    };
    format!("{} {place}parameter", optionality(p.required))
}

pub(super) fn optionality(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// What `send()` gives back, in a sentence.
pub(super) fn returned(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Envelope { data, .. } => format!("`{data}`"),
        ResponseBody::Json { ty } => format!("`{ty}` (the whole body)"),
        ResponseBody::Binary => "raw bytes".to_owned(),
        ResponseBody::Empty => "no data".to_owned(),
    }
}

pub(super) fn statuses(list: &[u16]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

pub(super) fn pagination_style(p: &Pagination) -> &'static str {
    match p {
        Pagination::Cursor { .. } => "cursor",
        Pagination::Offset { .. } => "offset",
    }
}

/// What a page holds: `` `data` `` (the list itself) or `` `data.items` of `T` ``.
pub(super) fn page_items(p: &Pagination) -> String {
    match p.data_items() {
        None => "`data`".to_owned(),
        Some(item) => format!("`data.items` of `{item}`"),
    }
}

/// `` `cursor` and `limit` ``: the query parameters pagination drives.
pub(super) fn pagination_params(p: &Pagination) -> String {
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

pub(super) fn tokens(cost: Option<u32>) -> String {
    cost.map_or_else(|| "not stated".to_owned(), |c| c.to_string())
}

pub(super) fn scopes(list: &[String]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// `; use `GET /api/v2/stages` instead`, when the replacement is known.
pub(super) fn instead(deprecation: &Deprecation) -> String {
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

pub(super) fn maximum_change(old: Option<i64>, new: Option<i64>) -> Option<String> {
    match (old, new) {
        (None, Some(n)) => Some(format!("now accepts at most {n}")),
        (Some(o), None) => Some(format!("no longer has a maximum (was {o})")),
        (Some(o), Some(n)) if o != n => Some(format!("accepts at most {n} (was {o})")),
        _ => None,
    }
}

pub(super) fn encoding(encoding: BodyEncoding) -> &'static str {
    match encoding {
        BodyEncoding::Json => "JSON",
        BodyEncoding::Form => "a URL-encoded form",
        BodyEncoding::Multipart => "multipart/form-data",
    }
}
