//! What the client tells the application's `tracing` subscriber, under the target `pipedrive`.
//!
//! Every call runs in a DEBUG `pipedrive_request` span naming the operation; inside it, each
//! answered attempt is a DEBUG event (status, request id, rate-limit state, time taken) and each
//! retry or token refresh an INFO event saying why and how long the client waits, so a call that
//! takes seconds because Pipedrive said "slow down" is visible in the logs. The INFO events name
//! the operation themselves, for subscribers that leave DEBUG spans out. Errors are not logged: they
//! are returned, and the caller decides.
//!
//! Only facts that cannot carry a secret are recorded: the operation's path *template* (never
//! the URL with its values), status codes, header values Pipedrive uses for rate limits and
//! request ids, and the innermost cause of a transport error. No header map, body or token is
//! ever a field. With no subscriber listening, all of it costs a call about 140 instructions of
//! some 70,000 (callgrind; BENCHMARKS.md).

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tracing::{Level, Span, debug, debug_span, info};

use crate::operation::Operation;
use crate::rate_limit::RateLimit;

/// The span one call runs in.
pub(crate) fn request_span(operation: &Operation) -> Span {
    debug_span!(
        target: "pipedrive",
        "pipedrive_request",
        operation = operation.id,
        api = operation.api,
        method = operation.method.as_str(),
        path = operation.path,
    )
}

/// When an attempt starts, if [`answered`] will be recorded: reading the clock is most of what
/// logging costs a call when nobody listens.
pub(crate) fn attempt_started() -> Option<Instant> {
    tracing::enabled!(target: "pipedrive", Level::DEBUG).then(Instant::now)
}

/// An attempt got an answer from the server (any status).
pub(crate) fn answered(
    attempt: u32,
    status: StatusCode,
    started: Option<Instant>,
    request_id: impl FnOnce() -> Option<String>,
    rate_limit: &RateLimit,
) {
    debug!(
        target: "pipedrive",
        attempt,
        status = status.as_u16(),
        elapsed_ms = started.map(|at| at.elapsed().as_millis() as u64),
        request_id = request_id().as_deref(),
        ratelimit_remaining = rate_limit.remaining,
        "Pipedrive answered",
    );
}

/// A retryable status; the next attempt follows after `delay`.
pub(crate) fn retrying_status(
    operation: &Operation,
    attempt: u32,
    status: StatusCode,
    delay: Duration,
    from_server: bool,
) {
    info!(
        target: "pipedrive",
        operation = operation.id,
        attempt,
        status = status.as_u16(),
        delay_ms = delay.as_millis() as u64,
        delay_from = if from_server { "server" } else { "backoff" },
        "retrying after HTTP {}", status.as_u16(),
    );
}

/// A transport failure (no answer); the next attempt follows after `delay`.
pub(crate) fn retrying_transport(operation: &Operation, attempt: u32, cause: &str, delay: Duration) {
    info!(
        target: "pipedrive",
        operation = operation.id,
        attempt,
        cause,
        delay_ms = delay.as_millis() as u64,
        "retrying after a transport failure",
    );
}

/// A 401 with a refresh hook configured: the client fetches a new access token and tries again.
pub(crate) fn refreshing_token(operation: &Operation, attempt: u32) {
    info!(
        target: "pipedrive",
        operation = operation.id,
        attempt,
        "access token rejected (HTTP 401); refreshing it and retrying once",
    );
}

/// An earlier response used up the rate-limit window: the attempt waits for it to reset.
pub(crate) fn pacing(operation: &Operation, attempt: u32, wait: Duration) {
    info!(
        target: "pipedrive",
        operation = operation.id,
        attempt,
        delay_ms = wait.as_millis() as u64,
        "waiting for the rate-limit window to reset (x-ratelimit-remaining was 0)",
    );
}
