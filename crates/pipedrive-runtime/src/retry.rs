//! When to retry a failed attempt and how long to wait first.
//!
//! The server's word wins: `Retry-After` (seconds or an HTTP date), else `x-ratelimit-reset` on a
//! 429. Otherwise the delay is exponential backoff with full jitter, so many clients that failed
//! together do not retry together. A total-wait budget bounds the whole call: if the next wait
//! would overrun it, the client gives up at once instead of sleeping only to fail afterwards.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{DATE, HeaderMap, RETRY_AFTER};

use crate::operation::Method;
use crate::rate_limit::{RateLimit, header_str, parse_seconds};

/// How failed attempts are retried. Retried: 429, 502, 503, 504, connection failures and
/// timeouts, for idempotent methods (GET, PUT, DELETE) unless [`RetryPolicy::retry_non_idempotent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) max_total_wait: Duration,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            max_total_wait: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default: at most 3 retries, at most 60 s of waiting in total, backoff from 500 ms up to
    /// 30 s, POST and PATCH not retried.
    pub fn new() -> Self {
        Self::default()
    }

    /// Never retry. Waiting for the rate-limit window before sending ([`Config::pace_requests`])
    /// is separate and still bounded by [`RetryPolicy::max_total_wait`]; set that to zero as well
    /// for a call that must not wait at all.
    ///
    /// [`Config::pace_requests`]: crate::Config::pace_requests
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// At most `n` retries (so `n + 1` attempts).
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// At most `d` spent waiting in one call, summed over its retries and any wait for a used-up
    /// rate-limit window ([`crate::Config::pace_requests`]); default 60 s.
    #[must_use]
    pub fn max_total_wait(mut self, d: Duration) -> Self {
        self.max_total_wait = d;
        self
    }

    /// Backoff starts from `d` (doubled per retry, then jittered) when the server gives no delay.
    #[must_use]
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Backoff never exceeds `d`. Delays the server asks for are honoured as given (the total
    /// budget still applies), because retrying earlier would only be rejected again.
    #[must_use]
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// Opt in to retrying POST and PATCH, which may then take effect twice (e.g. create two deals)
    /// if the first attempt reached Pipedrive but its response was lost.
    #[must_use]
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// Whether requests with `method` may be retried at all.
    pub(crate) fn allows(&self, method: Method) -> bool {
        method.is_idempotent() || self.retry_non_idempotent
    }

    /// Exponential backoff with full jitter for retry number `retry` (0-based): uniformly random
    /// in `[0, backoff_ceiling(retry)]`.
    fn backoff(&self, retry: u32) -> Duration {
        let cap_nanos = u64::try_from(self.backoff_ceiling(retry).as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=cap_nanos))
    }

    /// The longest backoff before retry number `retry` (0-based):
    /// `min(max_delay, base_delay * 2^retry)`, without overflowing for large `retry`.
    fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// Statuses worth another attempt: rate limited, or a gateway/server that may recover.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether a failure to get any answer is worth another attempt. A refused or dropped connection
/// and a timeout are; a redirect loop, a request reqwest cannot build, and an `https://` URL on a
/// client without a TLS backend fail the same way every time, so retrying them only spends the
/// call's wait budget before the same error.
pub(crate) fn retryable_transport(err: &reqwest::Error, no_tls_backend: bool) -> bool {
    !(no_tls_backend || err.is_redirect() || err.is_builder())
}

/// The wait the server asked for: `Retry-After`, else `x-ratelimit-reset` on a 429.
pub(crate) fn server_delay(status: StatusCode, headers: &HeaderMap, rate_limit: &RateLimit) -> Option<Duration> {
    if let Some(value) = header_str(headers, RETRY_AFTER) {
        // A date is a moment on the server's clock: measure it from the server's `Date`, not from
        // ours, which may run ahead (no wait at all) or behind (a longer one).
        let server_now = header_str(headers, DATE)
            .and_then(|date| httpdate::parse_http_date(date).ok())
            .unwrap_or_else(SystemTime::now);
        if let Some(delay) = parse_retry_after(value, server_now) {
            return Some(delay);
        }
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        return rate_limit.reset_after;
    }
    None
}

/// Parses `Retry-After`: delay-seconds, or an HTTP date (a date in the past means "now").
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Some(delay) = parse_seconds(value) {
        return Some(delay);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Retries made so far in one call, and time spent waiting (for retries and for pacing).
#[derive(Debug, Default)]
pub(crate) struct RetryBudget {
    retries: u32,
    waited: Duration,
}

impl RetryBudget {
    /// What is left of the call's total wait budget.
    pub(crate) fn wait_left(&self, policy: &RetryPolicy) -> Duration {
        policy.max_total_wait.saturating_sub(self.waited)
    }

    /// Charges a wait that is not a retry (pacing) to the call's total wait budget.
    pub(crate) fn charge(&mut self, wait: Duration) {
        self.waited = self.waited.saturating_add(wait);
    }

    /// The delay before the next attempt, or `None` if the policy says stop now: retries used
    /// up, or the wait would overrun the total budget.
    pub(crate) fn next_delay(&mut self, policy: &RetryPolicy, server_delay: Option<Duration>) -> Option<Duration> {
        if self.retries >= policy.max_retries {
            return None;
        }
        let delay = server_delay.unwrap_or_else(|| policy.backoff(self.retries));
        let waited = self.waited.checked_add(delay)?;
        if waited > policy.max_total_wait {
            return None;
        }
        self.retries += 1;
        self.waited = waited;
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn a_retry_after_date_is_measured_from_the_servers_date_header() {
        let mut headers = HeaderMap::new();
        // Both in 1994: measured from this machine's clock, the date would be long past (no wait).
        headers.insert(RETRY_AFTER, "Sun, 06 Nov 1994 08:49:47 GMT".parse().unwrap());
        headers.insert(DATE, "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap());
        let none = RateLimit::from_headers(&HeaderMap::new());
        assert_eq!(
            server_delay(StatusCode::SERVICE_UNAVAILABLE, &headers, &none),
            Some(Duration::from_secs(10))
        );
        headers.insert(DATE, "not a date".parse().unwrap());
        assert_eq!(
            server_delay(StatusCode::SERVICE_UNAVAILABLE, &headers, &none),
            Some(Duration::ZERO),
            "without a usable Date, the local clock"
        );
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(
            server_delay(StatusCode::SERVICE_UNAVAILABLE, &headers, &none),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn backoff_is_capped_by_max_delay() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(250));
        for retry in 0..40 {
            let delay = policy.backoff(retry);
            let cap = Duration::from_millis(100 * (1u64 << retry.min(10))).min(Duration::from_millis(250));
            assert!(delay <= cap, "retry {retry}: {delay:?} > {cap:?}");
        }
    }

    /// Without a server delay, the wait before retry n is uniform in `[0, min(max, base * 2^n)]`:
    /// its ceiling and its mean double per retry until `max_delay`, and the values spread over the
    /// whole range (a fixed delay would make clients that failed together retry together).
    #[test]
    fn backoff_doubles_up_to_max_delay_with_full_jitter() {
        // The thread-local generator `backoff` draws from, seeded: the same samples every run.
        fastrand::seed(0x5eed);
        const SAMPLES: u32 = 2_000;
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1))
            .max_retries(u32::MAX)
            .max_total_wait(Duration::MAX);
        let ceilings: Vec<u64> = (0..7)
            .map(|retry| u64::try_from(policy.backoff_ceiling(retry).as_millis()).unwrap())
            .collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000, 1000]);

        let mut means = Vec::new();
        for retry in 0..7 {
            let ceiling = policy.backoff_ceiling(retry);
            // Through the budget, as the client asks for a delay: retry `retry` of a call.
            let mut delays: Vec<Duration> = (0..SAMPLES)
                .map(|_| {
                    let mut budget = RetryBudget {
                        retries: retry,
                        waited: Duration::ZERO,
                    };
                    budget.next_delay(&policy, None).unwrap()
                })
                .collect();
            assert!(
                delays.iter().all(|delay| *delay <= ceiling),
                "retry {retry}: above {ceiling:?}"
            );
            delays.sort();
            let (lowest, highest) = (delays[0], delays[delays.len() - 1]);
            assert!(lowest < ceiling / 10, "retry {retry}: lowest {lowest:?} of {ceiling:?}");
            assert!(
                highest > ceiling * 9 / 10,
                "retry {retry}: highest {highest:?} of {ceiling:?}"
            );
            let mean = delays.iter().sum::<Duration>() / SAMPLES;
            let ratio = mean.as_secs_f64() / ceiling.as_secs_f64();
            assert!(
                (0.45..0.55).contains(&ratio),
                "retry {retry}: mean {mean:?} of {ceiling:?}"
            );
            means.push(mean.as_secs_f64());
            delays.dedup();
            assert!(
                delays.len() > 1_990,
                "retry {retry}: only {} distinct delays",
                delays.len()
            );
        }
        for (retry, pair) in means.windows(2).enumerate() {
            let growth = pair[1] / pair[0];
            let expected = if retry < 3 {
                2.0
            } else if retry == 3 {
                1.25
            } else {
                1.0
            };
            assert!(
                (growth - expected).abs() < 0.15,
                "retry {retry} to {}: mean grew {growth:.2}x, expected {expected}x",
                retry + 1
            );
        }
    }

    #[test]
    fn budget_stops_when_the_wait_would_overrun_it() {
        let policy = RetryPolicy::new().max_retries(5).max_total_wait(Duration::from_secs(3));
        let mut budget = RetryBudget::default();
        assert_eq!(
            budget.next_delay(&policy, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(budget.next_delay(&policy, Some(Duration::from_secs(2))), None);
        assert_eq!(
            budget.next_delay(&policy, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn budget_stops_after_max_retries() {
        let policy = RetryPolicy::new().max_retries(2);
        let mut budget = RetryBudget::default();
        assert!(budget.next_delay(&policy, Some(Duration::ZERO)).is_some());
        assert!(budget.next_delay(&policy, Some(Duration::ZERO)).is_some());
        assert!(budget.next_delay(&policy, Some(Duration::ZERO)).is_none());
        assert!(
            RetryBudget::default()
                .next_delay(&RetryPolicy::none(), Some(Duration::ZERO))
                .is_none()
        );
    }

    #[test]
    fn only_idempotent_methods_by_default() {
        let policy = RetryPolicy::new();
        assert!(policy.allows(Method::Get) && policy.allows(Method::Put) && policy.allows(Method::Delete));
        assert!(!policy.allows(Method::Post) && !policy.allows(Method::Patch));
        assert!(policy.retry_non_idempotent(true).allows(Method::Post));
    }

    #[test]
    fn a_pacing_wait_counts_against_the_calls_total_wait() {
        let policy = RetryPolicy::new().max_total_wait(Duration::from_secs(60));
        let mut budget = RetryBudget::default();
        budget.charge(Duration::from_secs(55));
        assert_eq!(budget.wait_left(&policy), Duration::from_secs(5));
        assert_eq!(budget.next_delay(&policy, Some(Duration::from_secs(10))), None);
        assert_eq!(
            budget.next_delay(&policy, Some(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(budget.wait_left(&policy), Duration::ZERO);
    }
}
