//! The one error type of the runtime, matchable by [`ErrorKind`].
//!
//! Messages are complete sentences meant for a log or a terminal: they name the operation, say
//! what happened and what to do. Everything a program might branch on (status, Pipedrive's error
//! body, rate limits, the JSON path that failed to decode) is also available as data. Nothing in
//! here ever holds an API token or access token: those live only in request headers.

use std::error::Error as StdError;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::operation::Operation;
use crate::rate_limit::RateLimit;

/// What went wrong, for matching. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Pipedrive (or something in front of it) answered with a non-success status.
    Api,
    /// A success response whose body did not have the expected shape.
    Decode,
    /// Still rate limited (429) after the retries the [`crate::RetryPolicy`] allowed.
    RateLimited,
    /// The company's daily token budget is used up; retrying today does not help.
    DailyBudgetExhausted,
    /// The request could not be built: bad parameter, body that cannot be serialised, bad header.
    InvalidRequest,
    /// No complete response in time: an attempt outlasted its timeout
    /// ([`crate::Config::timeout`]), the server stopped sending the body mid-way
    /// ([`crate::Config::stall_timeout`]), or the whole call outlasted its deadline
    /// ([`crate::Config::deadline`]).
    Timeout,
    /// The connection failed or broke (DNS, TCP, TLS, reset).
    Transport,
    /// Pipedrive rejected the credentials (401): an API token or access token that is wrong,
    /// revoked, expired or of another company, also after refreshing an OAuth token; or the
    /// refresh itself failed. When Pipedrive answered, [`Error::status`] and [`Error::api_error`]
    /// are set as for [`ErrorKind::Api`].
    Auth,
    /// The [`crate::Config`] is unusable (base URL, token characters, HTTP client), or the HTTP
    /// client given to [`crate::Config::http_client`] followed a redirect to another host.
    Config,
    /// The response body was larger than [`crate::Config::max_response_bytes`] (counted after
    /// decompression); the rest was not read, and the call is not retried.
    ResponseTooLarge,
}

/// Pipedrive's error envelope: `{"success": false, "error": "...", "error_info": "...", "code": ...}`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ApiErrorBody {
    /// `success`, normally `false`.
    #[serde(default)]
    pub success: Option<bool>,
    /// Human-readable error.
    #[serde(default)]
    pub error: Option<String>,
    /// Extra explanation, often a link to documentation.
    #[serde(default)]
    pub error_info: Option<String>,
    /// Machine-readable code; a string in v2 (`"ERR_..."`), sometimes a number in v1. The errors
    /// the runtime reports also take it from v1's `errorCode` (e.g. `401`) when `code` is absent.
    #[serde(default)]
    pub code: Option<Value>,
}

impl ApiErrorBody {
    /// Reads the envelope out of a JSON value, if it looks like one (an object with `error` or `success`).
    ///
    /// Lenient on purpose: a non-string `error` is kept as its JSON text rather than losing the whole body.
    /// `code` falls back to `errorCode`, the name v1 uses for it (e.g. in its 401 bodies).
    pub(crate) fn from_value(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        if !object.contains_key("error") && !object.contains_key("success") {
            return None;
        }
        let text = |key: &str| match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => Some(other.to_string()),
        };
        Some(Self {
            success: object.get("success").and_then(Value::as_bool),
            error: text("error"),
            error_info: text("error_info"),
            code: ["code", "errorCode"]
                .into_iter()
                .find_map(|key| object.get(key).filter(|code| !code.is_null()))
                .cloned(),
        })
    }
}

/// An error from building, sending or decoding a request.
pub struct Error {
    inner: Box<Inner>,
}

/// Boxed so `Result<T, Error>` stays one pointer wide on the happy path.
struct Inner {
    kind: ErrorKind,
    message: String,
    operation: Option<&'static Operation>,
    status: Option<StatusCode>,
    api_error: Option<ApiErrorBody>,
    body_snippet: Option<String>,
    response_body: Option<String>,
    decode_path: Option<String>,
    rate_limit: Option<RateLimit>,
    retry_after: Option<Duration>,
    request_id: Option<String>,
    attempts: Option<u32>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Error {
    /// An error of `kind` with a complete message.
    pub(crate) fn new(kind: ErrorKind, operation: Option<&'static Operation>, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                operation,
                status: None,
                api_error: None,
                body_snippet: None,
                response_body: None,
                decode_path: None,
                rate_limit: None,
                retry_after: None,
                request_id: None,
                attempts: None,
                source: None,
            }),
        }
    }

    /// A [`ErrorKind::InvalidRequest`] error for a request generated code refuses to send,
    /// e.g. `"limit is 600, at most 500 is allowed"`.
    pub fn invalid_request(operation: &'static Operation, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(
            ErrorKind::InvalidRequest,
            Some(operation),
            format!("{}: invalid request: {message}", operation.id),
        )
    }

    /// A request future polled again after it finished: a bug in the code polling it.
    pub(crate) fn polled_after_completion(operation: &'static Operation) -> Self {
        Self::new(
            ErrorKind::InvalidRequest,
            Some(operation),
            format!(
                "{}: the request's future was polled after it had finished; build the request again to send it again",
                operation.id
            ),
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The operationId of the call that failed, when the error belongs to one.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.inner.operation.map(|operation| operation.id)
    }

    /// The operation that failed, when the error belongs to one.
    pub fn operation(&self) -> Option<&'static Operation> {
        self.inner.operation
    }

    /// HTTP status of the last response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// Pipedrive's error envelope, when the error body had one.
    pub fn api_error(&self) -> Option<&ApiErrorBody> {
        self.inner.api_error.as_ref()
    }

    /// The start (about 200 characters) of a body that was not JSON, e.g. a proxy's HTML 403 page.
    pub fn body_snippet(&self) -> Option<&str> {
        self.inner.body_snippet.as_deref()
    }

    /// The body of the response the error is about, as text with the token redacted: the start
    /// of it (up to 16 KiB) when it was longer. Set for error statuses and for success bodies
    /// that could not be decoded, when the body was not empty; the message quotes only what
    /// matters of it (Pipedrive's `error`, or a gateway's `title` and `detail`).
    pub fn response_body(&self) -> Option<&str> {
        self.inner.response_body.as_deref()
    }

    /// The JSON path that failed to decode, e.g. `"data[2].days_to_rotten"`.
    pub fn decode_path(&self) -> Option<&str> {
        self.inner.decode_path.as_deref()
    }

    /// Rate-limit headers of the last response, when there was one.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.inner.rate_limit.as_ref()
    }

    /// How long the server asked to wait (`Retry-After`, or `x-ratelimit-reset` on a 429).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// `x-correlation-id` of the last response, for Pipedrive support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// How many attempts were made before giving up, when any request was sent.
    pub fn attempts(&self) -> Option<u32> {
        self.inner.attempts
    }

    /// Whether trying the same call later could succeed (rate limits, timeouts, transport errors, 5xx).
    pub fn is_transient(&self) -> bool {
        match self.inner.kind {
            ErrorKind::RateLimited | ErrorKind::Timeout | ErrorKind::Transport => true,
            ErrorKind::Api => self.inner.status.is_some_and(|s| s.is_server_error()),
            _ => false,
        }
    }

    /// Whether Pipedrive answered 404 Not Found: no such record (or endpoint).
    pub fn is_not_found(&self) -> bool {
        self.has_status(404)
    }

    /// Whether the call was refused for rate limits: a 429 that outlasted the retries
    /// ([`ErrorKind::RateLimited`]), or the company's daily token budget used up
    /// ([`ErrorKind::DailyBudgetExhausted`], also a 429, which waiting minutes does not fix: see
    /// [`Error::kind`] to tell them apart).
    pub fn is_rate_limited(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::RateLimited | ErrorKind::DailyBudgetExhausted
        ) || self.has_status(429)
    }

    /// Whether the credentials were refused ([`ErrorKind::Auth`]: a 401, also after refreshing
    /// an OAuth token, or a failed refresh). A 403 (the user may not do this) is not an auth error.
    pub fn is_auth(&self) -> bool {
        self.inner.kind == ErrorKind::Auth
    }

    /// Whether the call ran out of time ([`ErrorKind::Timeout`]): an attempt's timeout, a body
    /// that stalled, or the call's deadline.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }

    /// Whether the last response had a 5xx status (Pipedrive or a gateway in front of it failed).
    pub fn is_server_error(&self) -> bool {
        self.inner.status.is_some_and(|status| status.is_server_error())
    }

    /// Whether the last response had a 4xx status (the request was refused as sent), including
    /// 401, 404 and 429.
    pub fn is_client_error(&self) -> bool {
        self.inner.status.is_some_and(|status| status.is_client_error())
    }

    fn has_status(&self, code: u16) -> bool {
        self.inner.status.is_some_and(|status| status.as_u16() == code)
    }

    /// Appends a sentence to the message.
    pub(crate) fn with_note(mut self, note: &str) -> Self {
        self.inner.message.push(' ');
        self.inner.message.push_str(note);
        self
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_boxed_source(mut self, source: Box<dyn StdError + Send + Sync>) -> Self {
        self.inner.source = Some(source);
        self
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_api_error(mut self, body: Option<ApiErrorBody>) -> Self {
        self.inner.api_error = body;
        self
    }

    pub(crate) fn with_body_snippet(mut self, snippet: Option<String>) -> Self {
        self.inner.body_snippet = snippet;
        self
    }

    pub(crate) fn with_response_body(mut self, body: Option<String>) -> Self {
        self.inner.response_body = body;
        self
    }

    pub(crate) fn with_decode_path(mut self, path: String) -> Self {
        self.inner.decode_path = Some(path);
        self
    }

    pub(crate) fn with_rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.inner.rate_limit = Some(rate_limit);
        self
    }

    pub(crate) fn with_retry_after(mut self, delay: Option<Duration>) -> Self {
        self.inner.retry_after = delay;
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.inner.request_id = request_id;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = Some(attempts);
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl std::fmt::Debug for Error {
    // Flat and without the `inner` box, and only the fields that are set, so a `{:?}` in a log stays readable.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        let mut out = f.debug_struct("Error");
        out.field("kind", &inner.kind).field("message", &inner.message);
        if let Some(operation) = inner.operation {
            out.field("operation_id", &operation.id);
        }
        if let Some(status) = inner.status {
            out.field("status", &status);
        }
        if let Some(body) = &inner.api_error {
            out.field("api_error", body);
        }
        if let Some(snippet) = &inner.body_snippet {
            out.field("body_snippet", snippet);
        }
        if let Some(body) = &inner.response_body {
            out.field("response_body_len", &body.len());
        }
        if let Some(path) = &inner.decode_path {
            out.field("decode_path", path);
        }
        if let Some(rate_limit) = &inner.rate_limit {
            out.field("rate_limit", rate_limit);
        }
        if let Some(delay) = &inner.retry_after {
            out.field("retry_after", delay);
        }
        if let Some(id) = &inner.request_id {
            out.field("request_id", id);
        }
        if let Some(attempts) = &inner.attempts {
            out.field("attempts", attempts);
        }
        if let Some(source) = &inner.source {
            out.field("source", source);
        }
        out.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}
