//! The time and size limits of one call: the client's settings, overridden by the call's
//! [`CallOptions`], with the instant its deadline passes.
//!
//! Fixed when the call starts, so every attempt, wait and token refresh of the call measures
//! against the same deadline.

use std::time::{Duration, Instant};

use crate::call_options::CallOptions;
use crate::config::Config;

/// The client's limits, from its [`Config`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) stall: Duration,
    pub(crate) max_bytes: u64,
}

impl Limits {
    pub(crate) fn from_config(config: &Config) -> Self {
        Self {
            timeout: config.timeout,
            deadline: config.deadline,
            stall: config.stall_timeout,
            max_bytes: config.max_response_bytes,
        }
    }

    /// The limits of a call that starts now with `options`.
    pub(crate) fn for_call(&self, options: &CallOptions) -> CallLimits {
        let deadline = options.deadline().unwrap_or(self.deadline);
        let now = Instant::now();
        CallLimits {
            timeout: options.timeout().unwrap_or(self.timeout),
            deadline,
            // A deadline too far off to represent is no deadline: a century stands in for it.
            ends_at: now
                .checked_add(deadline)
                .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600)),
            stall: self.stall,
            max_bytes: options.max_response_bytes().unwrap_or(self.max_bytes),
        }
    }
}

/// The limits of one call in progress.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallLimits {
    /// Per attempt, as configured.
    pub(crate) timeout: Duration,
    /// For the whole call, as configured.
    pub(crate) deadline: Duration,
    /// When the deadline passes.
    pub(crate) ends_at: Instant,
    /// The longest pause allowed within a body.
    pub(crate) stall: Duration,
    /// The largest body read.
    pub(crate) max_bytes: u64,
}

impl CallLimits {
    /// What is left of the deadline.
    pub(crate) fn left(&self) -> Duration {
        self.ends_at.saturating_duration_since(Instant::now())
    }

    /// Whether the deadline has passed.
    pub(crate) fn expired(&self) -> bool {
        self.left().is_zero()
    }

    /// The next attempt's time limit: its timeout, or what is left of the deadline if less.
    pub(crate) fn attempt_timeout(&self) -> Duration {
        self.timeout.min(self.left())
    }

    /// Whether a wait of `wait` ends before the deadline, leaving time for an attempt after it.
    pub(crate) fn allows_wait(&self, wait: Duration) -> bool {
        wait < self.left()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Auth;

    #[test]
    fn a_calls_options_override_the_clients_limits_and_the_deadline_bounds_an_attempt() {
        let config = Config::new(Auth::api_token("t"))
            .timeout(Duration::from_secs(30))
            .deadline(Duration::from_secs(3600))
            .max_response_bytes(1000);
        let limits = Limits::from_config(&config);
        let call = limits.for_call(&CallOptions::default());
        assert_eq!((call.timeout, call.max_bytes), (Duration::from_secs(30), 1000));
        assert_eq!(
            call.attempt_timeout(),
            Duration::from_secs(30),
            "the timeout is the smaller"
        );
        assert!(call.allows_wait(Duration::from_secs(60)));
        assert!(!call.allows_wait(Duration::from_secs(3600)));

        let mut options = CallOptions::default();
        options.set_deadline(Duration::from_secs(2));
        options.set_max_response_bytes(5);
        let call = limits.for_call(&options);
        assert!(
            call.attempt_timeout() <= Duration::from_secs(2),
            "the deadline is the smaller"
        );
        assert_eq!(call.max_bytes, 5);
        assert!(!call.expired());

        options.set_deadline(Duration::MAX);
        assert!(
            !limits.for_call(&options).expired(),
            "an unrepresentable deadline is far off"
        );
        options.set_deadline(Duration::ZERO);
        assert!(limits.for_call(&options).expired());
    }
}
