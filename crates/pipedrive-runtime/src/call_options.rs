//! Settings of one call that override the client's: its retry policy, its per-attempt timeout,
//! its deadline and the largest body it reads.
//!
//! One client usually serves different kinds of work: a user waiting on a page wants one quick
//! attempt, a nightly sync wants patience, a file download a longer timeout. Generated builders
//! hold a [`CallOptions`] and set it on the [`crate::Request`] they build, so every attempt of
//! that call, and every page of a stream, uses it.
//!
//! The overrides sit behind one pointer that stays null until something is set: every request
//! carries a `CallOptions`, and requests and their futures are moved around, so an unused one
//! should be one word, not eighty bytes (inline, they cost a decoded request about 100 more
//! instructions of `memcpy` under callgrind).

use std::time::Duration;

use crate::retry::RetryPolicy;

/// Overrides of the client's [`crate::Config`] for one call; what is not set keeps the client's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions(Option<Box<Overrides>>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Overrides {
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_bytes: Option<u64>,
}

impl CallOptions {
    /// Uses `policy` for this call instead of [`crate::Config::retry`].
    pub fn set_retry(&mut self, policy: RetryPolicy) {
        self.overrides().retry = Some(policy);
    }

    /// Gives each attempt of this call `timeout` instead of [`crate::Config::timeout`].
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.overrides().timeout = Some(timeout);
    }

    /// Gives this whole call (attempts and waits together) `deadline` instead of
    /// [`crate::Config::deadline`]; for a stream of pages, each page.
    pub fn set_deadline(&mut self, deadline: Duration) {
        self.overrides().deadline = Some(deadline);
    }

    /// Reads a response body of up to `limit` bytes in this call instead of
    /// [`crate::Config::max_response_bytes`]: for a large file download, say.
    pub fn set_max_response_bytes(&mut self, limit: u64) {
        self.overrides().max_response_bytes = Some(limit);
    }

    /// The deadline set for this call, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.0.as_ref().and_then(|o| o.deadline)
    }

    /// The body size limit set for this call, if any.
    pub fn max_response_bytes(&self) -> Option<u64> {
        self.0.as_ref().and_then(|o| o.max_response_bytes)
    }

    /// The retry policy set for this call, if any.
    pub fn retry(&self) -> Option<&RetryPolicy> {
        self.0.as_ref().and_then(|o| o.retry.as_ref())
    }

    /// The per-attempt timeout set for this call, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.0.as_ref().and_then(|o| o.timeout)
    }

    fn overrides(&mut self) -> &mut Overrides {
        self.0.get_or_insert_with(Box::default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_options_are_one_word_and_set_ones_are_kept() {
        assert_eq!(std::mem::size_of::<CallOptions>(), std::mem::size_of::<usize>());
        let mut options = CallOptions::default();
        assert_eq!((options.retry(), options.timeout()), (None, None));
        options.set_timeout(Duration::from_secs(5));
        assert_eq!(
            (options.retry(), options.timeout()),
            (None, Some(Duration::from_secs(5)))
        );
        options.set_retry(RetryPolicy::none());
        assert_eq!(options.retry(), Some(&RetryPolicy::none()));
        assert_eq!(options.timeout(), Some(Duration::from_secs(5)));
        assert_eq!((options.deadline(), options.max_response_bytes()), (None, None));
        options.set_deadline(Duration::from_secs(9));
        options.set_max_response_bytes(1024);
        assert_eq!(
            (options.deadline(), options.max_response_bytes()),
            (Some(Duration::from_secs(9)), Some(1024))
        );
        assert_eq!(options.timeout(), Some(Duration::from_secs(5)), "kept");
    }
}
