//! The attempt loop behind every call: pacing, sending, reading the body within the call's
//! limits, and deciding after each attempt whether the call is done, waits and tries again,
//! refreshes its OAuth token, or fails.
//!
//! One loop serves every kind of response ([`Client::execute`]); the public `send_*` methods
//! differ only in how they decode the success body it returns. Each decision has a function of
//! its own: [`Client::pace`] before sending, [`Client::after_failure`] when no usable answer came,
//! [`Client::after_answer`] and [`Client::after_error_status`] when one did.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use tracing::Instrument;

use crate::body::{self, BodyFailure};
use crate::client::Client;
use crate::error::Error;
use crate::failure::{self, FailedResponse, Transport};
use crate::limits::CallLimits;
use crate::log;
use crate::operation::Operation;
use crate::rate_limit::RateLimit;
use crate::request::Request;
use crate::retry::{RetryBudget, RetryPolicy, retryable_status, retryable_transport, server_delay};
use crate::wording::format_delay;

/// A success response of one call, before its body is decoded.
pub(crate) struct Raw {
    pub(crate) status: StatusCode,
    pub(crate) rate_limit: RateLimit,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
}

/// The result of one attempt that got a response.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// What one attempt that got a response got.
enum Outcome {
    /// A response from the base URL's origin.
    Answered(Answer),
    /// A response from another origin (`scheme://host:port`), reached by a redirect the HTTP
    /// client followed: only a client passed to `Config::http_client` does.
    LeftOrigin(String),
}

/// What the loop does after an attempt.
enum Step {
    /// The call succeeded.
    Done(Raw),
    /// Wait this long, then try again.
    Wait(Duration),
    /// Try again at once (with a refreshed token).
    Again,
}

/// One call in progress: its settings, and what it has spent so far.
struct Call<'a> {
    operation: &'static Operation,
    retry: &'a RetryPolicy,
    limits: CallLimits,
    budget: RetryBudget,
    attempts: u32,
    refreshed: bool,
    /// A wait for a retry that the deadline did not leave time for.
    cut_short: Option<Duration>,
}

impl Call<'_> {
    /// The wait before the next attempt, or `None` if the call should stop now: the retry
    /// policy's retries or wait budget are used up, or the wait would end past the deadline.
    fn next_delay(&mut self, server_delay: Option<Duration>) -> Option<Duration> {
        let delay = self.budget.next_delay(self.retry, server_delay)?;
        if self.limits.allows_wait(delay) {
            return Some(delay);
        }
        self.cut_short = Some(delay);
        None
    }

    /// `err`, saying so when the deadline is why the call was not retried: its own advice
    /// (slow down, raise the wait budget) would not be enough.
    fn ended(&self, err: Error) -> Error {
        match self.cut_short {
            Some(wait) => err.with_note(&format!(
                "A retry was due in {}, past the call's deadline of {} (Config::deadline, \
                 CallOptions::set_deadline).",
                format_delay(wait),
                format_delay(self.limits.deadline)
            )),
            None => err,
        }
    }

    /// Whether an attempt that failed this way may be tried again.
    fn may_retry(&self) -> bool {
        self.retry.allows(self.operation.method)
    }
}

impl Client {
    /// The attempt loop ([`Client::attempts`]) in the call's `tracing` span, if anyone listens:
    /// wrapping the loop's future moves it, which costs a call about as much as the rest of
    /// logging (callgrind, BENCHMARKS.md), so it is only wrapped when the span is recorded.
    pub(crate) async fn execute(&self, request: &Request, accept: HeaderValue) -> Result<Raw, Error> {
        let span = log::request_span(request.operation());
        if span.is_disabled() {
            self.attempts(request, accept).await
        } else {
            self.attempts(request, accept).instrument(span).await
        }
    }

    /// The attempt loop: returns a 2xx response, or the error that ended the call.
    async fn attempts(&self, request: &Request, accept: HeaderValue) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let operation = request.operation();
        let mut call = Call {
            operation,
            retry: request.options().retry().unwrap_or(&inner.retry),
            limits: inner.limits.for_call(request.options()),
            budget: RetryBudget::default(),
            attempts: 0,
            refreshed: false,
            cut_short: None,
        };
        loop {
            if call.limits.expired() {
                return Err(failure::deadline(operation, call.limits.deadline, call.attempts));
            }
            call.attempts = call.attempts.saturating_add(1);
            // Before the credentials are read: another clone may refresh the token meanwhile.
            self.pace(&mut call).await;
            let (auth, generation) = inner.auth.current();
            let http_request = self.prepare(request, accept.clone(), auth, call.limits.attempt_timeout())?;
            let started = log::attempt_started();
            let step = match self.attempt(http_request, &call.limits, operation.token_cost).await {
                Ok(Outcome::Answered(answer)) => self.after_answer(&mut call, answer, generation, started).await?,
                Ok(Outcome::LeftOrigin(origin)) => {
                    let base = inner.base_url.origin();
                    return Err(failure::left_origin(
                        operation,
                        base,
                        &origin,
                        call.attempts,
                        &inner.auth,
                    ));
                }
                Err(failed) => self.after_failure(&mut call, failed)?,
            };
            match step {
                Step::Done(raw) => return Ok(raw),
                Step::Wait(delay) => tokio::time::sleep(delay).await,
                Step::Again => {}
            }
        }
    }

    /// Waits for a used-up rate-limit window to reset, if an earlier response said it was and
    /// the wait fits in the call's wait budget and deadline.
    async fn pace(&self, call: &mut Call<'_>) {
        let longest = || call.budget.wait_left(call.retry).min(call.limits.left());
        if let Some(wait) = self.inner.pacer.wait_before_sending(Instant::now, longest) {
            call.budget.charge(wait);
            log::pacing(call.operation, call.attempts, wait);
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends one attempt and reads its body within the call's limits; counts tokens once the
    /// server has answered.
    async fn attempt(
        &self,
        http_request: reqwest::Request,
        limits: &CallLimits,
        token_cost: u32,
    ) -> Result<Outcome, BodyFailure> {
        let mut response = self
            .inner
            .http
            .execute(http_request)
            .await
            .map_err(BodyFailure::Transport)?;
        self.inner
            .tokens_spent
            .fetch_add(u64::from(token_cost), Ordering::Relaxed);
        // A response from elsewhere is not Pipedrive's answer, and its body is not read: the
        // caller's client followed a redirect that the runtime's own client would not have.
        if !self.inner.base_url.same_origin(response.url()) {
            return Ok(Outcome::LeftOrigin(response.url().origin().ascii_serialization()));
        }
        let status = response.status();
        // Taken, not cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = body::read(&mut response, limits.max_bytes, limits.stall).await?;
        Ok(Outcome::Answered(Answer { status, headers, body }))
    }

    /// No usable answer: a transport failure or timeout, a body that stalled, or one too large.
    /// The first two are retried where the policy allows; a body too large would only be sent
    /// again.
    fn after_failure(&self, call: &mut Call<'_>, failed: BodyFailure) -> Result<Step, Error> {
        let inner = &*self.inner;
        let operation = call.operation;
        let retryable = match &failed {
            BodyFailure::TooLarge { .. } => false,
            BodyFailure::Stalled => true,
            BodyFailure::Transport(err) => retryable_transport(err, inner.no_tls_backend),
        };
        if retryable && call.may_retry() {
            if let Some(delay) = call.next_delay(None) {
                let cause = match &failed {
                    BodyFailure::Transport(err) => failure::transport_cause(err, &inner.auth),
                    _ => String::from("the response body stalled"),
                };
                log::retrying_transport(operation, call.attempts, &cause, delay);
                return Ok(Step::Wait(delay));
            }
        }
        // A timeout that ran into the call's deadline is the deadline's doing, and says so.
        let failed = match failed {
            BodyFailure::Transport(err) if err.is_timeout() && call.limits.expired() => {
                let deadline = failure::deadline(operation, call.limits.deadline, call.attempts);
                return Err(deadline.with_source(err.without_url()));
            }
            other => other,
        };
        Err(call.ended(match failed {
            BodyFailure::TooLarge { declared } => {
                failure::too_large(operation, call.limits.max_bytes, declared, call.attempts)
            }
            BodyFailure::Stalled => failure::stalled(operation, call.limits.stall, call.attempts),
            BodyFailure::Transport(err) => {
                let facts = Transport {
                    operation,
                    attempts: call.attempts,
                    base_url: inner.base_url.as_str(),
                    timeout: call.limits.timeout,
                    no_tls_backend: inner.no_tls_backend,
                };
                failure::transport(&facts, err, &inner.auth)
            }
        }))
    }

    /// An answer: done if it is a success; otherwise see [`Client::after_error_status`].
    async fn after_answer(
        &self,
        call: &mut Call<'_>,
        answer: Answer,
        generation: u64,
        started: Option<Instant>,
    ) -> Result<Step, Error> {
        let inner = &*self.inner;
        let Answer { status, headers, body } = answer;
        // Read once per response: pacing, the logs, errors and the response metadata use it.
        let rate_limit = RateLimit::from_headers(&headers);
        inner.pacer.observe(&rate_limit, Instant::now);
        let request_id = || failure::request_id(&headers, &inner.auth);
        log::answered(call.attempts, status, started, request_id, &rate_limit);
        if status.is_success() {
            return Ok(Step::Done(Raw {
                status,
                rate_limit,
                headers,
                body,
                attempts: call.attempts,
            }));
        }
        let failed = FailedResponse {
            operation: call.operation,
            status,
            headers: &headers,
            body: &body,
            attempts: call.attempts,
            rate_limit,
            retry_after: server_delay(status, &headers, &rate_limit),
        };
        self.after_error_status(call, &failed, generation).await
    }

    /// A non-success status: refresh the OAuth token after a 401 (once), give up on a 429 that
    /// the daily budget cannot cover, retry a retryable status where the policy and deadline
    /// allow, and otherwise fail with what the response said.
    async fn after_error_status(
        &self,
        call: &mut Call<'_>,
        failed: &FailedResponse<'_>,
        generation: u64,
    ) -> Result<Step, Error> {
        let auth = &self.inner.auth;
        let (operation, status) = (call.operation, failed.status);
        if status == StatusCode::UNAUTHORIZED && auth.can_refresh() {
            if call.refreshed {
                return Err(failure::unauthorized_after_refresh(failed, auth));
            }
            call.refreshed = true;
            log::refreshing_token(operation, call.attempts);
            auth.refresh(generation, operation, call.limits.attempt_timeout())
                .await
                .map_err(|err| err.with_status(status).with_attempts(call.attempts))?;
            return Ok(Step::Again);
        }
        // A 429 with too few daily tokens left for this call would fail again all day.
        if status == StatusCode::TOO_MANY_REQUESTS && failed.rate_limit.daily_budget_short_of(operation.token_cost) {
            return Err(failure::daily_budget_exhausted(failed, auth));
        }
        if retryable_status(status) && call.may_retry() {
            if let Some(delay) = call.next_delay(failed.retry_after) {
                log::retrying_status(operation, call.attempts, status, delay, failed.retry_after.is_some());
                return Ok(Step::Wait(delay));
            }
        }
        Err(call.ended(failure::status(failed, auth)))
    }
}
