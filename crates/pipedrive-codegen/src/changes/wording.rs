//! How the changelog words an operation's parts: kinds of parameters, what `send()` returns,
//! statuses, pagination, token costs, scopes, defaults and checked rules, encodings. One place, so
//! every sentence about an operation names these the same way.

use crate::ir::{
    BodyEncoding, Constraint, Deprecation, Literal, Pagination, ParamLocation, Parameter, RequestBody, ResponseBody,
};

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
        ResponseBody::Text => "text (`String`)".to_owned(),
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

/// What changed in the rules an input is checked against before sending, one phrase per rule:
/// `is now checked before sending: at most 500`, `is checked for at most 100 (was at most 500)`,
/// `is no longer checked for at least 1 item`.
///
/// Every such change is [`super::Severity::Minor`], tightening included. The rules are the
/// documents' own: a call a new or tighter rule refuses is one Pipedrive refuses anyway (the
/// server checks the same rule), so no call that worked stops working; what changes is that it
/// fails before sending, as `ErrorKind::InvalidRequest`, instead of with the server's 400. No
/// signature changes either way. It is not a patch: a caller sees a different error for the same
/// call. (A rule the live API does not enforce would break callers; lowering reads none such.)
pub(super) fn constraint_changes(old: &[Constraint], new: &[Constraint]) -> Vec<String> {
    let same_rule = |a: &Constraint, b: &Constraint| std::mem::discriminant(a) == std::mem::discriminant(b);
    let mut out = Vec::new();
    for n in new {
        match old.iter().find(|o| same_rule(o, n)) {
            None => out.push(format!("is now checked before sending: {}", n.describe())),
            Some(o) if o != n => out.push(format!("is checked for {} (was {})", n.describe(), o.describe())),
            Some(_) => {}
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| same_rule(o, n))) {
        out.push(format!("is no longer checked for {}", o.describe()));
    }
    out
}

/// How a request body is sent: `JSON`, `JSON as `application/merge-patch+json``, `a URL-encoded
/// form`, `multipart/form-data`, `text as `text/csv``, `raw bytes as `application/octet-stream``.
pub(super) fn encoding(body: &RequestBody) -> String {
    let content_type = body.content_type();
    match body.encoding {
        BodyEncoding::Json if body.media_type.is_none() => "JSON".to_owned(),
        BodyEncoding::Json => format!("JSON as `{content_type}`"),
        BodyEncoding::Form => "a URL-encoded form".to_owned(),
        BodyEncoding::Multipart => "multipart/form-data".to_owned(),
        BodyEncoding::Text => format!("text as `{content_type}`"),
        BodyEncoding::Bytes => format!("raw bytes as `{content_type}`"),
    }
}
