//! Turning failed attempts into [`Error`]s with messages that say what happened and what to do.
//!
//! One function per way a call can end badly: a non-success status, a 429 that outlasted the
//! retry budget, an exhausted daily token budget, a 401 that survived a token refresh, a redirect
//! the HTTP client followed to another host, and transport failures. Text that came from the
//! server is shortened and scrubbed of the token.

use std::error::Error as StdError;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, LOCATION};
use serde_json::Value;

use crate::auth::AuthState;
use crate::error::{ApiErrorBody, Error, ErrorKind};
use crate::operation::Operation;
use crate::rate_limit::{DAILY_REMAINING, RateLimit, header_str};

/// How many characters of a non-JSON body an error keeps.
const SNIPPET_CHARS: usize = 200;

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

    /// An error of `kind` carrying this response's data.
    fn error(&self, kind: ErrorKind, message: String) -> Error {
        Error::new(kind, Some(self.operation), message)
            .with_status(self.status)
            .with_rate_limit(self.rate_limit)
            .with_retry_after(self.retry_after)
            .with_request_id(request_id(self.headers))
            .with_attempts(self.attempts)
    }
}

/// `getStages (GET /api/v2/stages)`: names the operation without any caller data.
pub(crate) fn label(operation: &Operation) -> String {
    format!("{} ({} {})", operation.id, operation.method.as_str(), operation.path)
}

/// The `x-correlation-id` header, if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    header_str(headers, REQUEST_ID).map(str::to_owned)
}

/// A non-success status that is not retried (or no longer): [`ErrorKind::Api`],
/// [`ErrorKind::Auth`] for a 401, or [`ErrorKind::RateLimited`] for a 429.
pub(crate) fn status(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    if response.status == StatusCode::TOO_MANY_REQUESTS {
        return rate_limited(response, auth);
    }
    let (api_error, snippet) = read_error_body(response.body, auth);
    let mut message = format!("{}: Pipedrive answered {}", response.label(), response.status);
    if let Some(body) = &api_error {
        describe_api_error(&mut message, body);
    } else if let Some(snippet) = &snippet {
        let kind = header_str(response.headers, CONTENT_TYPE)
            .map(|ct| format!(" ({ct})"))
            .unwrap_or_default();
        message.push_str(&format!(" with a non-JSON body{kind}: {snippet:?}"));
    }
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
    response
        .error(kind, message)
        .with_api_error(api_error)
        .with_body_snippet(snippet)
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
    let (api_error, _) = read_error_body(response.body, auth);
    response
        .error(ErrorKind::RateLimited, message)
        .with_api_error(api_error)
        .with_retry_after(reset)
}

/// A 429 that reports the company's daily token budget as used up: waiting minutes does not help.
pub(crate) fn daily_budget_exhausted(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    let remaining = header_str(response.headers, DAILY_REMAINING).unwrap_or("0");
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
    let (api_error, _) = read_error_body(response.body, auth);
    response
        .error(ErrorKind::DailyBudgetExhausted, message)
        .with_api_error(api_error)
}

/// A second 401 right after refreshing the OAuth token.
pub(crate) fn unauthorized_after_refresh(response: &FailedResponse<'_>, auth: &AuthState) -> Error {
    let (api_error, snippet) = read_error_body(response.body, auth);
    let mut message = format!(
        "{}: Pipedrive rejected the OAuth access token (401) even after refreshing it",
        response.label()
    );
    if let Some(body) = &api_error {
        describe_api_error(&mut message, body);
    }
    message.push_str(
        ". Check that the refresher returns a token for this company and that the OAuth app has the required scopes",
    );
    if !response.operation.oauth_scopes.is_empty() {
        message.push_str(&format!(" (one of: {})", response.operation.oauth_scopes.join(", ")));
    }
    message.push('.');
    response
        .error(ErrorKind::Auth, message)
        .with_api_error(api_error)
        .with_body_snippet(snippet)
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
    let message = format!(
        "{}: the HTTP client given to Config::http_client followed a redirect from {base_origin} to \
         {other_origin}; the response was discarded. {sent}. Build the client with \
         .redirect(reqwest::redirect::Policy::none()), or leave Config::http_client unset.",
        label(operation)
    );
    Error::new(ErrorKind::Config, Some(operation), message).with_attempts(attempts)
}

/// Added to connection failures of a client that can have no TLS: reqwest's own words for
/// refusing https ("invalid URL, scheme is not http") do not say why.
const NO_TLS_BACKEND: &str = " This client was built without a TLS backend (the `rustls` feature \
     is off): enable it, enable a TLS feature of reqwest, or pass your own client with Config::http_client.";

/// The request never got a complete response: timeout or connection failure. `no_tls_backend`:
/// the runtime built the HTTP client itself, without its `rustls` feature, for an https base URL.
pub(crate) fn transport(
    operation: &'static Operation,
    err: &reqwest::Error,
    attempts: u32,
    base_url: &str,
    timeout: Duration,
    no_tls_backend: bool,
) -> Error {
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
        .with_attempts(attempts);
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
        root_cause(err)
    );
    Error::new(
        ErrorKind::Transport,
        Some(operation),
        with_tls_advice(message, no_tls_backend),
    )
    .with_attempts(attempts)
}

/// Adds [`NO_TLS_BACKEND`] to a connection failure's message when it applies.
fn with_tls_advice(mut message: String, no_tls_backend: bool) -> String {
    if no_tls_backend {
        message.push_str(NO_TLS_BACKEND);
    }
    message
}

/// A transport failure in a few words, for logs: "timed out" or its innermost cause.
pub(crate) fn transport_cause(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        String::from("timed out")
    } else {
        root_cause(err)
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

/// Something that may need scrubbing out of server text.
pub(crate) trait Redact {
    fn redact(&self, text: &str) -> String;
}

/// `text` with every occurrence of each non-empty secret replaced by `<redacted>`.
pub(crate) fn scrub<'a>(text: &str, secrets: impl IntoIterator<Item = &'a str>) -> String {
    let mut scrubbed = text.to_owned();
    for secret in secrets {
        if !secret.is_empty() && scrubbed.contains(secret) {
            scrubbed = scrubbed.replace(secret, "<redacted>");
        }
    }
    scrubbed
}

impl Redact for AuthState {
    fn redact(&self, text: &str) -> String {
        AuthState::redact(self, text)
    }
}

/// Pipedrive's error envelope if the body is one, else a short snippet of the body.
pub(crate) fn read_error_body(body: &[u8], redactor: &dyn Redact) -> (Option<ApiErrorBody>, Option<String>) {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        if let Some(mut envelope) = ApiErrorBody::from_value(&value) {
            envelope.error = envelope.error.map(|text| redactor.redact(&text));
            envelope.error_info = envelope.error_info.map(|text| redactor.redact(&text));
            envelope.code = envelope.code.map(|code| match code {
                Value::String(text) => Value::String(redactor.redact(&text)),
                other => other,
            });
            return (Some(envelope), None);
        }
    }
    (None, snippet(body, redactor))
}

/// The first [`SNIPPET_CHARS`] characters of `body` with whitespace runs collapsed, or `None` if empty.
pub(crate) fn snippet(body: &[u8], redactor: &dyn Redact) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    let redacted = redactor.redact(&collapsed);
    let mut short: String = redacted.chars().take(SNIPPET_CHARS).collect();
    if short.len() < redacted.len() {
        short.push('…');
    }
    Some(short)
}

/// Appends `: "error" (error_info: ...) [code ...]`.
fn describe_api_error(message: &mut String, body: &ApiErrorBody) {
    if let Some(error) = &body.error {
        message.push_str(&format!(": {error:?}"));
    }
    if let Some(info) = &body.error_info {
        message.push_str(&format!(" (error_info: {info})"));
    }
    match &body.code {
        Some(Value::String(code)) => message.push_str(&format!(" [code {code}]")),
        Some(code) => message.push_str(&format!(" [code {code}]")),
        None => {}
    }
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
                Some(host) => {
                    format!("The redirect to {host} was not followed so that the token is not sent to another host.")
                }
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

/// "2 s", or "350 ms" below one second; rounds up so "resets in 0 s" never appears.
pub(crate) fn format_delay(delay: Duration) -> String {
    if delay < Duration::from_secs(1) {
        return format!("{} ms", delay.as_millis());
    }
    let secs = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
    format!("{secs} s")
}

/// "1 attempt", "3 attempts".
fn plural(count: u32, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Redactors for the unit tests of this module and of `decode`.
#[cfg(test)]
pub(crate) mod test_redactors {
    use super::Redact;

    /// Redacts nothing, for tests of the text handling alone.
    pub(crate) struct NoSecret;

    impl Redact for NoSecret {
        fn redact(&self, text: &str) -> String {
            text.to_owned()
        }
    }

    /// Redacts `SECRET-1`, standing in for the token.
    pub(crate) struct Token;

    impl Redact for Token {
        fn redact(&self, text: &str) -> String {
            text.replace("SECRET-1", "[redacted]")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_redactors::{NoSecret, Token};
    use super::*;

    #[test]
    fn snippets_are_short_collapsed_and_char_safe() {
        let body = format!("<html>\n  <body>{}</body></html>", "é".repeat(500));
        let Some(snippet) = snippet(body.as_bytes(), &NoSecret) else {
            unreachable!("non-empty body")
        };
        assert!(snippet.starts_with("<html> <body>é"));
        assert_eq!(snippet.chars().count(), SNIPPET_CHARS + 1);
        assert!(snippet.ends_with('…'));
        assert_eq!(super::snippet(b"  \n ", &NoSecret), None);
    }

    #[test]
    fn every_text_field_of_an_error_envelope_is_redacted() {
        let body = br#"{"success":false,"error":"bad SECRET-1","error_info":"SECRET-1?","code":"SECRET-1"}"#;
        let (Some(envelope), None) = read_error_body(body, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.error.as_deref(), Some("bad [redacted]"));
        assert_eq!(envelope.error_info.as_deref(), Some("[redacted]?"));
        assert_eq!(envelope.code, Some(Value::String("[redacted]".into())));
        let (Some(envelope), None) = read_error_body(br#"{"success":false,"code":404}"#, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.code, Some(Value::from(404)));
    }

    #[test]
    fn v1s_error_code_fills_in_for_code() {
        // The body of a v1 401, as in spec/pipedrive-v1.yaml.
        let body = br#"{"success":false,"error":"unauthorized access","errorCode":401}"#;
        let (Some(envelope), None) = read_error_body(body, &NoSecret) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.code, Some(Value::from(401)));
        let body = br#"{"success":false,"code":"ERR_X","errorCode":"SECRET-1"}"#;
        let (Some(envelope), None) = read_error_body(body, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(
            envelope.code,
            Some(Value::from("ERR_X")),
            "`code` wins when both are there"
        );
        let body = br#"{"success":false,"code":null,"errorCode":"SECRET-1"}"#;
        let (Some(envelope), None) = read_error_body(body, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.code, Some(Value::from("[redacted]")), "redacted like `code`");
    }

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

    #[test]
    fn delays_read_naturally() {
        assert_eq!(format_delay(Duration::from_millis(350)), "350 ms");
        assert_eq!(format_delay(Duration::from_secs(2)), "2 s");
        assert_eq!(format_delay(Duration::from_millis(1200)), "2 s");
    }
}
