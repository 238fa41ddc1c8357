//! Pipedrive's rate-limit headers, parsed from every response.
//!
//! Pipedrive limits requests per time window (`x-ratelimit-*`) and, separately, spends a daily
//! budget of tokens per company (`x-daily-ratelimit-token-*`, each operation costing its
//! `x-token-cost`). Callers read these to pace themselves; the retry logic reads them to decide
//! how long to wait and whether waiting can help at all.

use std::time::Duration;

use reqwest::header::{AsHeaderName, HeaderMap, HeaderName};

/// Header with the request limit of the current window.
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// Header with the requests left in the current window.
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// Header with the seconds until the current window resets.
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
/// Header with the company's daily token budget.
const DAILY_LIMIT: HeaderName = HeaderName::from_static("x-daily-ratelimit-token-limit");
/// Header with the tokens left today; can go negative.
pub(crate) const DAILY_REMAINING: HeaderName = HeaderName::from_static("x-daily-ratelimit-token-remaining");

/// Rate-limit state reported by one response. Each field is `None` when its header is absent or unreadable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `x-ratelimit-limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`: time until the window resets (the header is in seconds).
    pub reset_after: Option<Duration>,
    /// `x-daily-ratelimit-token-limit`: the company's daily token budget.
    pub daily_token_limit: Option<u64>,
    /// `x-daily-ratelimit-token-remaining`: tokens left today (signed: Pipedrive may report overdraft).
    pub daily_token_remaining: Option<i64>,
}

impl RateLimit {
    /// Reads the rate-limit headers; missing or malformed headers leave their field `None`.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            limit: header_str(headers, LIMIT).and_then(|v| v.parse().ok()),
            remaining: header_str(headers, REMAINING).and_then(|v| v.parse().ok()),
            reset_after: header_str(headers, RESET).and_then(parse_seconds),
            daily_token_limit: header_str(headers, DAILY_LIMIT).and_then(|v| v.parse().ok()),
            daily_token_remaining: header_str(headers, DAILY_REMAINING).and_then(|v| v.parse().ok()),
        }
    }

    /// Whether the daily token budget is used up, which no amount of retrying within the day fixes.
    pub fn daily_budget_exhausted(&self) -> bool {
        self.daily_token_remaining.is_some_and(|left| left <= 0)
    }

    /// Whether what is left of the daily token budget cannot pay for a call costing `cost`
    /// tokens: used up, or fewer tokens left than the call costs (10 left for a call of 20).
    /// Retrying within the day does not fix either.
    pub fn daily_budget_short_of(&self, cost: u32) -> bool {
        self.daily_token_remaining
            .is_some_and(|left| left <= 0 || left < i64::from(cost))
    }
}

/// A header's value as trimmed text, if present and ASCII.
///
/// Takes a [`HeaderName`] constant where it can: looking up by `&str` parses and checks the name
/// on every call, and responses are read on every request.
pub(crate) fn header_str(headers: &HeaderMap, name: impl AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim)
}

/// Parses a non-negative number of seconds, whole (`"2"`) or fractional (`"1.5"`).
pub(crate) fn parse_seconds(value: &str) -> Option<Duration> {
    if let Ok(whole) = value.parse::<u64>() {
        return Some(Duration::from_secs(whole));
    }
    value
        .parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}
