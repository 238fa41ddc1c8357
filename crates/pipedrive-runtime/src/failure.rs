//! Turning failed attempts into [`Error`]s with messages that say what happened and what to do.
//!
//! One function per way a call can end badly: a non-success status, a 429 that outlasted the
//! retry budget, an exhausted daily token budget, a 401 that survived a token refresh, a redirect
//! the HTTP client followed to another host, a body too large or too slow, a call past its
//! deadline, and transport failures. Text that came from the server (bodies, header values, host
//! names) is shortened and scrubbed of the token before it is kept.

use std::error::Error as StdError;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, LOCATION};

use crate::auth::AuthState;
use crate::error::{Error, ErrorKind};
use crate::error_body::{self, ErrorBody};
use crate::operation::Operation;
use crate::rate_limit::{DAILY_REMAINING, RateLimit, header_str};
use crate::redact::Redact;
use crate::wording::{format_bytes, format_delay, plural};

/// Header Pipedrive uses to identify a request for its support team.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-correlation-id");

/// Everything known about the last response of a failed call.
#[derive(Debug)]
pub(crate) struct FailedResponse<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
    pub(crate) attempts: u32,
    pub(crate) rate_limit: RateLimit,
    pub(crate) retry_after: Option<Duration>,
}

impl FailedResponse<'_> {
    /// `getStages (GET /api/v2/stages)`
    fn label(&self) -> String {
        label(self.operation)
    }

    /// An error of `kind` carrying this response's data and what its body says.
    fn error(&self, kind: ErrorKind, message: String, body: ErrorBody, auth: &AuthState) -> Error {
        Error::new(kind, Some(self.operation), message)
            .with_status(self.status)
            .with_rate_limit(self.rate_limit)
            .with_retry_after(self.retry_after)
            .with_request_id(request_id(self.headers, auth))
            .with_attempts(self.attempts)
            .with_api_error(body.envelope)
            .with_body_snippet(body.snippet)
            .with_response_body(body.text)
    }
}

/// `getStages (GET /api/v2/stages)`: names the operation without any caller data.
pub(crate) fn label(operation: &Operation) -> String {
    format!("{} ({} {})", operation.id, operation.method.as_str(), operation.path)
}

/// The `x-correlation-id` header, if any, scrubbed of the token: a server (or something in
/// between) may echo request headers into it, and it is kept on errors and logged.
pub(crate) fn request_id(headers: &HeaderMap, redactor: &dyn Redact) -> Option<String> {
    header_str(headers, REQUEST_ID).map(|id| redactor.redact(id))
}

/// A non-success status that is not retried (or no longer): [`ErrorKind::Api`],
/// [`ErrorKind::Auth`] for a 401, or [`ErrorKind::RateLimited`] for a 429.
pub(crate) fn status(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    if response.status == StatusCode::TOO_MANY_REQUESTS {
        return rate_limited(response, auth);
    }
    let body = error_body::read(response.body, auth);
    let mut message = format!("{}: Pipedrive answered {}", response.label(), response.status);
    describe_body(&mut message, &body, response.headers, auth);
    if response.attempts > 1 {
        message.push_str(&format!(" after {} attempts", response.attempts));
    }
    message.push('.');
    if let Some(hint) = hint(response, auth) {
        message.push(' ');
        message.push_str(&hint);
    }
    // A 401 means the credentials were refused whatever the auth: callers catch bad or revoked
    // tokens by matching `Auth`, with the status and envelope set as for any other status.
    let kind = if response.status == StatusCode::UNAUTHORIZED {
        ErrorKind::Auth
    } else {
        ErrorKind::Api
    };
    response.error(kind, message, body, auth)
}

/// Appends what the body says: Pipedrive's envelope, the fields of another JSON error, or the
/// start of a text body, each with the content type when it is not Pipedrive's.
fn describe_body(message: &mut String, body: &ErrorBody, headers: &HeaderMap, redactor: &dyn Redact) {
    // The content type comes from the server like the body, and is scrubbed like it.
    let content_type = || {
        header_str(headers, CONTENT_TYPE)
            .map(|ct| format!(" ({})", redactor.redact(ct)))
            .unwrap_or_default()
    };
    if let Some(envelope) = &body.envelope {
        error_body::describe_envelope(message, envelope);
    } else if let Some(foreign) = &body.foreign {
        message.push_str(&format!(
            " with a JSON error that is not Pipedrive's{}: {foreign}",
            content_type()
        ));
    } else if let Some(snippet) = &body.snippet {
        let json = if body.json { "a JSON" } else { "a non-JSON" };
        message.push_str(&format!(" with {json} body{}: {snippet:?}", content_type()));
    }
}

/// Still 429 after the retries the policy allowed.
fn rate_limited(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    let reset = response.retry_after.or(response.rate_limit.reset_after);
    let when = match reset {
        Some(delay) => format!("the limit resets in {}", format_delay(delay)),
        None => "Pipedrive did not say when the limit resets".to_owned(),
    };
    // A POST or PATCH is not retried by default: raising the wait budget would not help there.
    let advice = if response.operation.method.is_idempotent() {
        "Slow down or raise RetryPolicy::max_total_wait."
    } else {
        "POST and PATCH are not retried unless RetryPolicy::retry_non_idempotent(true); slow down or opt in."
    };
    let message = format!(
        "{}: rate limited (429) after {}; {when}. {advice}",
        response.operation.id,
        plural(response.attempts, "attempt"),
    );
    let body = error_body::read(response.body, auth);
    response
        .error(ErrorKind::RateLimited, message, body, auth)
        .with_body_snippet(None)
        .with_retry_after(reset)
}

/// A 429 that reports the company's daily token budget as used up: waiting minutes does not help.
pub(crate) fn daily_budget_exhausted(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    let remaining = header_str(response.headers, DAILY_REMAINING)
        .filter(|left| left.parse::<i64>().is_ok())
        .unwrap_or("0");
    let cost = response.operation.token_cost;
    // Some tokens may be left, fewer than this call costs.
    let short = if remaining.parse::<i64>().is_ok_and(|left| left > 0) {
        format!(", fewer than the {cost} this call costs")
    } else {
        String::new()
    };
    let message = format!(
        "{}: the company's daily API token budget is exhausted ({DAILY_REMAINING}: {remaining}{short}); \
         it is renewed at the start of the next day; not retried.",
        response.operation.id
    );
    let body = error_body::read(response.body, auth);
    response
        .error(ErrorKind::DailyBudgetExhausted, message, body, auth)
        .with_body_snippet(None)
}

/// A second 401 right after refreshing the OAuth token.
pub(crate) fn unauthorized_after_refresh(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    let body = error_body::read(response.body, auth);
    let mut message = format!(
        "{}: Pipedrive rejected the OAuth access token (401) even after refreshing it",
        response.label()
    );
    if let Some(envelope) = &body.envelope {
        error_body::describe_envelope(&mut message, envelope);
    }
    message.push_str(
        ". Check that the refresher returns a token for this company and that the OAuth app has the required scopes",
    );
    if !response.operation.oauth_scopes.is_empty() {
        message.push_str(&format!(" (one of: {})", response.operation.oauth_scopes.join(", ")));
    }
    message.push('.');
    response.error(ErrorKind::Auth, message, body, auth)
}

/// The HTTP client followed a redirect away from the base URL's origin: only a client passed to
/// `Config::http_client` can, and it is told how to build one that does not.
pub(crate) fn left_origin(
    operation: &'static Operation,
    base_origin: String,
    other_origin: &str,
    attempts: u32,
    auth: &AuthState,
) -> Error {
    // reqwest drops `Authorization` on such a redirect but keeps custom headers (its
    // `remove_sensitive_headers`): an access token stayed behind, an API token did not.
    let sent = if auth.is_oauth() {
        "reqwest does not send Authorization to another origin, so the OAuth access token stayed behind"
    } else {
        "reqwest sent the API token (x-api-token) along with it; replace the token if that host is not yours"
    };
    // The server named the other origin: its host may spell out the token.
    let other_origin = auth.redact(other_origin);
    let message = format!(
        "{}: the HTTP client given to Config::http_client followed a redirect from {base_origin} to \
         {other_origin}; the response was discarded. {sent}. Build the client with \
         .redirect(reqwest::redirect::Policy::none()), or leave Config::http_client unset.",
        label(operation)
    );
    Error::new(ErrorKind::Config, Some(operation), message).with_attempts(attempts)
}

/// The body was larger than the call's limit; `declared` when `Content-Length` said so up front.
pub(crate) fn too_large(operation: &'static Operation, limit: u64, declared: Option<u64>, attempts: u32) -> Error {
    let seen = match declared {
        Some(length) => format!("declares {length} bytes (Content-Length)"),
        None => "went on past it (counted after decompression)".to_owned(),
    };
    Error::new(
        ErrorKind::ResponseTooLarge,
        Some(operation),
        format!(
            "{}: the response body is larger than the limit of {} ({limit} bytes): it {seen}; the rest \
             was not read and the call is not retried. If responses this large are expected, raise \
             Config::max_response_bytes, or CallOptions::set_max_response_bytes for this call.",
            label(operation),
            format_bytes(limit),
        ),
    )
    .with_attempts(attempts)
}

/// The server stopped sending the body mid-way, on the last attempt.
pub(crate) fn stalled(operation: &'static Operation, stall: Duration, attempts: u32) -> Error {
    Error::new(
        ErrorKind::Timeout,
        Some(operation),
        format!(
            "{}: the server stopped sending the response body: no byte came for {} ({}). Retry \
             later, or raise Config::stall_timeout for a server that pauses this long.",
            label(operation),
            format_delay(stall),
            plural(attempts, "attempt"),
        ),
    )
    .with_attempts(attempts)
}

/// The call's deadline passed (or left too little to wait for a retry the server asked for).
pub(crate) fn deadline(operation: &'static Operation, deadline: Duration, attempts: u32) -> Error {
    Error::new(
        ErrorKind::Timeout,
        Some(operation),
        format!(
            "{}: no complete response within the call's deadline of {} ({}, waits included). Retry \
             later, or raise Config::deadline (CallOptions::set_deadline for one call).",
            label(operation),
            format_delay(deadline),
            plural(attempts, "attempt"),
        ),
    )
    .with_attempts(attempts)
}

/// Added to connection failures of a client that can have no TLS: reqwest's own words for
/// refusing https ("invalid URL, scheme is not http") do not say why.
const NO_TLS_BACKEND: &str = " This client was built without a TLS backend (the `rustls` feature \
     is off): enable it, enable a TLS feature of reqwest, or pass your own client with Config::http_client.";

/// The request never got a complete response: timeout or connection failure. `no_tls_backend`:
/// the runtime built the HTTP client itself, without its `rustls` feature, for an https base URL.
pub(crate) struct Transport<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) attempts: u32,
    pub(crate) base_url: &'a str,
    pub(crate) timeout: Duration,
    pub(crate) no_tls_backend: bool,
}

/// The error for a transport failure, with reqwest's error as its source, without its URL: a
/// same-origin redirect the client followed may have put the token in it.
pub(crate) fn transport(facts: &Transport<'_>, err: reqwest::Error, redactor: &dyn Redact) -> Error {
    let Transport {
        operation,
        attempts,
        base_url,
        timeout,
        no_tls_backend,
    } = *facts;
    let err = err.without_url();
    let tries = plural(attempts, "attempt");
    if err.is_timeout() {
        return Error::new(
            ErrorKind::Timeout,
            Some(operation),
            format!(
                "{}: no complete response within {} ({tries}). Retry later or raise Config::timeout.",
                label(operation),
                format_delay(timeout)
            ),
        )
        .with_attempts(attempts)
        .with_source(err);
    }
    let what = if err.is_connect() {
        "could not connect to"
    } else if err.is_redirect() {
        "was sent round in redirects by"
    } else {
        "lost the connection to"
    };
    let message = format!(
        "{}: {what} {base_url} ({tries}): {}. Check the network, proxy settings and Config::base_url.",
        label(operation),
        redactor.redact(&root_cause(&err))
    );
    let error = Error::new(
        ErrorKind::Transport,
        Some(operation),
        with_tls_advice(message, no_tls_backend),
    )
    .with_attempts(attempts);
    // The innermost cause is the server's words where the connection broke on something it sent.
    if redactor.redact(&format!("{err:?}")) == format!("{err:?}") {
        error.with_source(err)
    } else {
        error
    }
}

/// Adds [`NO_TLS_BACKEND`] to a connection failure's message when it applies.
fn with_tls_advice(mut message: String, no_tls_backend: bool) -> String {
    if no_tls_backend {
        message.push_str(NO_TLS_BACKEND);
    }
    message
}

/// A transport failure in a few words, for logs: "timed out" or its innermost cause.
pub(crate) fn transport_cause(err: &reqwest::Error, redactor: &dyn Redact) -> String {
    if err.is_timeout() {
        String::from("timed out")
    } else {
        redactor.redact(&root_cause(err))
    }
}

/// The innermost error message, e.g. "Connection refused (os error 111)": the most specific fact.
pub(crate) fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// What the caller can do about a status.
fn hint(response: &FailedResponse<'_>, auth: &AuthState) -> Option<String> {
    let operation = response.operation;
    let text = match response.status.as_u16() {
        300..=399 => {
            let host = header_str(response.headers, LOCATION)
                .and_then(|location| reqwest::Url::parse(location).ok())
                .and_then(|url| url.host_str().map(str::to_owned));
            match host {
                // The server chose the host name; it may spell out the token.
                Some(host) => format!(
                    "The redirect to {} was not followed so that the token is not sent to another host.",
                    auth.redact(&host)
                ),
                None => "The redirect was not followed.".to_owned(),
            }
        }
        400 => "Check the parameters and body against the API reference.".to_owned(),
        401 => format!(
            "Check the {}: it may be wrong, revoked or expired, or belong to another company.",
            auth.describe()
        ),
        402 => "The company's Pipedrive plan does not include this feature.".to_owned(),
        403 if operation.oauth_scopes.is_empty() || !auth.is_oauth() => {
            "The user lacks permission for this.".to_owned()
        }
        403 => format!(
            "The user lacks permission for this, or the OAuth app lacks a scope (one of: {}).",
            operation.oauth_scopes.join(", ")
        ),
        404 => "Check the id, and that the base URL or company domain is right.".to_owned(),
        405 | 410 if operation.deprecated => {
            "This deprecated endpoint seems to have been removed; use its replacement.".to_owned()
        }
        405 | 410 => "This endpoint seems to have been removed or moved.".to_owned(),
        _ if response.status.is_client_error() => "Check the request.".to_owned(),
        _ if response.status.is_server_error() => "Pipedrive had a problem; try again later.".to_owned(),
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_without_tls_says_so_when_it_cannot_connect() {
        let failure = "getStages: could not connect to https://x (1 attempt): invalid URL, scheme is not http. \
                       Check the network, proxy settings and Config::base_url.";
        let advised = with_tls_advice(failure.to_owned(), true);
        assert!(advised.starts_with(failure), "{advised}");
        assert!(advised.contains("the `rustls` feature is off"), "{advised}");
        assert!(
            advised.ends_with("pass your own client with Config::http_client."),
            "{advised}"
        );
        assert_eq!(with_tls_advice(failure.to_owned(), false), failure);
    }
}
