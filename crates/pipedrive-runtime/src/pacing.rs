//! Pacing: holding requests back while a rate-limit window is used up.
//!
//! Pipedrive limits requests per short window and says, on every response, how many are left
//! (`x-ratelimit-remaining`) and when the window resets (`x-ratelimit-reset`). Once a response
//! says none are left, the next request before the reset can only get a 429. For a GET that costs
//! a round trip and a retry; for a POST or PATCH, which are not retried by default, it is an error
//! the application must handle. So the client remembers when the used-up window ends and waits
//! for it before sending, across all clones of the client.
//!
//! The state is one atomic: the instant sending may resume, in milliseconds since the pacer was
//! made (0 for "no pause"). Every attempt reads it once; only a response reporting 0 requests
//! left writes it. The headers are read once per response, by the client, for this, the logs,
//! errors and the response metadata alike. A wait counts against the call's total wait budget
//! (`RetryPolicy::max_total_wait`), like the waits before retries; a wait longer than what is
//! left of it is not made, and the server decides instead.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::rate_limit::RateLimit;

/// When sending may resume; shared by a client's clones.
#[derive(Debug)]
pub(crate) struct Pacer {
    enabled: bool,
    /// What `resume_at` counts from.
    epoch: Instant,
    /// Milliseconds after `epoch` when the used-up window ends; 0 when there is none.
    resume_at: AtomicU64,
}

impl Pacer {
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            epoch: Instant::now(),
            resume_at: AtomicU64::new(0),
        }
    }

    /// Notes a response's window: if it has no request left, sending pauses until its reset.
    /// `received` is read only then: the clock is not free, and most responses have requests left.
    pub(crate) fn observe(&self, rate_limit: &RateLimit, received: impl FnOnce() -> Instant) {
        if !self.enabled || rate_limit.remaining != Some(0) {
            return;
        }
        let Some(reset) = rate_limit.reset_after else {
            return;
        };
        let Some(until) = received().checked_add(reset) else {
            return;
        };
        // At least 1: 0 means "no pause".
        let until_ms = self.millis_since_epoch(until).max(1);
        self.resume_at.fetch_max(until_ms, Ordering::Relaxed);
    }

    /// How long to wait before sending: `None` if no window is used up, it has reset, or it would
    /// take longer than `longest` to reset. `now` and `longest` are asked only if some window was
    /// used up: most attempts get by with one atomic load.
    pub(crate) fn wait_before_sending(
        &self,
        now: impl FnOnce() -> Instant,
        longest: impl FnOnce() -> Duration,
    ) -> Option<Duration> {
        let resume_at = self.resume_at.load(Ordering::Relaxed);
        if resume_at == 0 {
            return None;
        }
        let wait = Duration::from_millis(resume_at.saturating_sub(self.millis_since_epoch(now())));
        if wait.is_zero() {
            // The window has reset: back to the one-load fast path, unless a response has
            // meanwhile reported a newer window, which then stays.
            let _ = self
                .resume_at
                .compare_exchange(resume_at, 0, Ordering::Relaxed, Ordering::Relaxed);
            return None;
        }
        (wait <= longest()).then_some(wait)
    }

    fn millis_since_epoch(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_millis()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    const LONGEST: Duration = Duration::from_secs(30);

    /// The rate-limit state of a response with these two headers.
    fn reported(remaining: &str, reset: &str) -> RateLimit {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_str(remaining).unwrap());
        headers.insert("x-ratelimit-reset", HeaderValue::from_str(reset).unwrap());
        RateLimit::from_headers(&headers)
    }

    #[test]
    fn a_used_up_window_pauses_sending_until_it_resets() {
        let pacer = Pacer::new(true);
        let received = pacer.epoch + Duration::from_secs(10);
        pacer.observe(&reported("0", "2"), || received);

        assert_eq!(
            pacer.wait_before_sending(|| received, || LONGEST),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            pacer.wait_before_sending(|| received + Duration::from_millis(1500), || LONGEST),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            pacer.wait_before_sending(|| received + Duration::from_secs(2), || LONGEST),
            None
        );
        assert_eq!(
            pacer.resume_at.load(Ordering::Relaxed),
            0,
            "a reset window is forgotten"
        );
        assert_eq!(
            pacer.wait_before_sending(|| received + Duration::from_secs(9), || LONGEST),
            None
        );
    }

    #[test]
    fn requests_left_or_unreadable_headers_do_not_pause() {
        let pacer = Pacer::new(true);
        let now = pacer.epoch;
        pacer.observe(&reported("1", "2"), || now);
        pacer.observe(&reported("0", "soon"), || now);
        pacer.observe(&RateLimit::default(), || now);
        assert_eq!(pacer.wait_before_sending(|| now, || LONGEST), None);
    }

    #[test]
    fn the_latest_end_wins_whatever_order_responses_arrive_in() {
        let pacer = Pacer::new(true);
        let now = pacer.epoch + Duration::from_secs(1);
        pacer.observe(&reported("0", "3"), || now);
        pacer.observe(&reported("0", "1"), || now);
        assert_eq!(
            pacer.wait_before_sending(|| now, || LONGEST),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn a_window_longer_than_the_longest_wait_is_left_to_the_server() {
        let pacer = Pacer::new(true);
        let now = pacer.epoch;
        pacer.observe(&reported("0", "3600"), || now);
        assert_eq!(pacer.wait_before_sending(|| now, || LONGEST), None);
        assert_eq!(
            pacer.wait_before_sending(|| now, || Duration::from_secs(7200)),
            Some(Duration::from_secs(3600))
        );
    }

    #[test]
    fn a_disabled_pacer_never_pauses() {
        let pacer = Pacer::new(false);
        let now = pacer.epoch;
        pacer.observe(&reported("0", "2"), || now);
        assert_eq!(pacer.wait_before_sending(|| now, || LONGEST), None);
    }

    #[test]
    fn fractional_resets_are_kept_to_the_millisecond() {
        let pacer = Pacer::new(true);
        let now = pacer.epoch;
        pacer.observe(&reported("0", "0.25"), || now);
        assert_eq!(
            pacer.wait_before_sending(|| now, || LONGEST),
            Some(Duration::from_millis(250))
        );
    }
}
