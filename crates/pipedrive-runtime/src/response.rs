//! What a successful call returns: the decoded data plus Pipedrive's `additional_data` and
//! `related_objects`, response metadata (status, headers, rate limits, attempts), and the readers for the two
//! pagination styles found in `additional_data`.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::rate_limit::RateLimit;

/// Facts about the HTTP exchange that produced a response.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// HTTP status of the final attempt.
    pub status: StatusCode,
    /// Response headers of the final attempt.
    pub headers: HeaderMap,
    /// Rate-limit headers of the final attempt.
    pub rate_limit: RateLimit,
    /// `x-correlation-id`, which Pipedrive support asks for.
    pub request_id: Option<String>,
    /// The operationId that was called.
    pub operation_id: &'static str,
    /// Tokens one attempt of this operation costs (`x-token-cost`).
    pub token_cost: u32,
    /// How many attempts were made, 1 when nothing was retried.
    pub attempts: u32,
}

/// Decoded data plus everything else a call returned.
///
/// `A` is the type of `additional_data` and `R` that of `related_objects`: the types an
/// operation documents for them, or JSON (`serde_json::Value`) where it documents none. The
/// pagination state in `additional_data` is read as sent, whatever `A` keeps of it.
#[derive(Debug, Clone)]
pub struct ApiResponse<T, A = Value, R = Value> {
    /// The envelope's `data` (or the whole body for endpoints without an envelope).
    pub data: T,
    /// The envelope's `additional_data`: pagination state, and whatever else the operation
    /// sends there.
    pub additional_data: Option<A>,
    /// The envelope's `related_objects`: the persons, organizations, users and stages that
    /// v1 list items refer to, keyed by type and then by id.
    pub related_objects: Option<R>,
    /// Status, headers, rate limits and attempts.
    pub meta: ResponseMeta,
    paging: Paging,
}

/// Pagination state, read from `additional_data` as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Paging {
    next_cursor: Option<String>,
    offset: Option<OffsetPagination>,
}

/// Offset pagination state of a v1 list response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetPagination {
    /// Offset of this page's first item.
    pub start: Option<i64>,
    /// Page size the server applied.
    pub limit: Option<i64>,
    /// Whether another page follows.
    pub more_items_in_collection: bool,
    /// Offset of the next page, when the server says so.
    pub next_start: Option<i64>,
}

impl<T> ApiResponse<T> {
    /// A response with `additional_data` as JSON: what the runtime's own `send_*` methods
    /// return, and what a test of code that takes an `ApiResponse` can build.
    pub fn new(data: T, additional_data: Option<Value>, meta: ResponseMeta) -> Self {
        let paging = additional_data.as_ref().map(Paging::read).unwrap_or_default();
        ApiResponse {
            data,
            additional_data,
            related_objects: None,
            meta,
            paging,
        }
    }
}

impl<T, A, R> ApiResponse<T, A, R> {
    /// A response from an envelope's parts, `additional_data` already read as `A` and its
    /// pagination state from `raw_additional_data`.
    pub(crate) fn from_parts(
        data: T,
        raw_additional_data: Option<&Value>,
        additional_data: Option<A>,
        related_objects: Option<R>,
        meta: ResponseMeta,
    ) -> Self {
        ApiResponse {
            data,
            additional_data,
            related_objects,
            meta,
            paging: raw_additional_data.map(Paging::read).unwrap_or_default(),
        }
    }

    /// The data, dropping metadata.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Transforms the data, keeping metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U, A, R> {
        ApiResponse {
            data: f(self.data),
            additional_data: self.additional_data,
            related_objects: self.related_objects,
            meta: self.meta,
            paging: self.paging,
        }
    }

    /// `additional_data.next_cursor`; `None` when it is null, absent or `""` (all of which mean "last page").
    pub fn next_cursor(&self) -> Option<&str> {
        self.paging.next_cursor.as_deref()
    }

    /// Offset pagination from `additional_data`, in either shape Pipedrive uses.
    ///
    /// The live v1 API nests it (`additional_data.pagination {start, limit, more_items_in_collection, next_start}`),
    /// while parts of the spec document it flat (`additional_data {start, limit, more_items_in_collection}`).
    /// The nested shape wins when both are present. `None` when neither is there.
    pub fn offset_pagination(&self) -> Option<OffsetPagination> {
        self.paging.offset
    }
}

impl Paging {
    fn read(additional: &Value) -> Paging {
        Paging {
            next_cursor: additional
                .get("next_cursor")
                .and_then(Value::as_str)
                .filter(|cursor| !cursor.is_empty())
                .map(str::to_owned),
            offset: offset_pagination(additional),
        }
    }
}

fn offset_pagination(additional: &Value) -> Option<OffsetPagination> {
    let source = match additional.get("pagination") {
        Some(nested) if nested.is_object() => nested,
        _ => additional,
    };
    let fields = ["start", "limit", "more_items_in_collection", "next_start"];
    if !fields.iter().any(|field| source.get(field).is_some()) {
        return None;
    }
    Some(OffsetPagination {
        start: source.get("start").and_then(as_i64),
        limit: source.get("limit").and_then(as_i64),
        more_items_in_collection: source.get("more_items_in_collection").is_some_and(as_flag),
        next_start: source.get("next_start").and_then(as_i64),
    })
}

/// An integer, also when sent as a string or a whole float.
fn as_i64(value: &Value) -> Option<i64> {
    match value {
        // A whole float such as `2.0` is accepted; `as` saturates, so huge values cannot wrap.
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean, also when sent as `1`/`0` (v1 encodes booleans as numbers in places).
fn as_flag(value: &Value) -> bool {
    match value {
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => matches!(text.trim(), "true" | "1"),
        _ => false,
    }
}
