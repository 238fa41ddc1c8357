//! Client configuration: where to send requests, how to authenticate, timeouts, retries, user agent.
//!
//! A plain builder. Nothing is checked here; [`crate::Client::new`] validates the whole
//! configuration at once, so every problem surfaces as one [`crate::ErrorKind::Config`] error at
//! construction time rather than on the first request.

use std::time::Duration;

use crate::auth::Auth;
use crate::retry::RetryPolicy;

/// Pipedrive's API host, used unless a base URL or company domain is set.
pub const DEFAULT_BASE_URL: &str = "https://api.pipedrive.com";

/// The largest response body read by default ([`Config::max_response_bytes`]): 64 MiB. Pipedrive's
/// largest pages (500 items with custom fields) are a few MiB; far below a memory problem.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Time limit of one attempt by default ([`Config::timeout`]): 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Time limit of a whole call by default ([`Config::deadline`]): 60 s, attempts, waits before
/// retries and waits for the rate-limit window together.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// How long the body of a response may pause by default before the attempt fails
/// ([`Config::stall_timeout`]): 10 s.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Any URL: Pipedrive, a proxy, a test server.
    Url(String),
    /// A company subdomain, `https://{company}.pipedrive.com`.
    Company(String),
}

/// How to reach and talk to Pipedrive. Its `Debug` redacts the token.
#[derive(Clone)]
pub struct Config {
    pub(crate) auth: Auth,
    pub(crate) target: Target,
    pub(crate) allow_insecure_http: bool,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) stall_timeout: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) pace_requests: bool,
    pub(crate) user_agent: Option<String>,
    pub(crate) client_library: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("auth", &self.auth)
            .field("target", &self.target)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("custom_http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("stall_timeout", &self.stall_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("pace_requests", &self.pace_requests)
            .field("user_agent", &self.user_agent)
            .field("client_library", &self.client_library)
            .finish()
    }
}

impl Config {
    /// Defaults: `https://api.pipedrive.com`, 30 s per attempt, 60 s per call (its deadline), a
    /// body that pauses 10 s fails its attempt, bodies up to 64 MiB, [`RetryPolicy::new`],
    /// requests paced to the rate-limit window ([`Config::pace_requests`]).
    pub fn new(auth: Auth) -> Self {
        Self {
            auth,
            target: Target::Url(DEFAULT_BASE_URL.to_owned()),
            allow_insecure_http: false,
            http_client: None,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::new(),
            pace_requests: true,
            user_agent: None,
            client_library: None,
        }
    }

    /// Sends requests to `url` (tests, proxies). A path prefix is kept: request paths are appended to it.
    ///
    /// Give it without the API version: `https://api.pipedrive.com`, not the server URLs of
    /// Pipedrive's docs (`.../v1`, `.../api/v2`). Each operation adds its own prefix, so
    /// [`crate::Client::new`] refuses a URL ending in `/v1`, `/v2`, `/api/v1` or `/api/v2`.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Target::Url(url.into());
        self
    }

    /// Sends requests to `https://{company}.pipedrive.com`.
    #[must_use]
    pub fn company_domain(mut self, company: &str) -> Self {
        self.target = Target::Company(company.to_owned());
        self
    }

    /// Allows a plain `http://` base URL, which [`crate::Client::new`] otherwise refuses because the
    /// token would cross the network in clear text.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Uses your own `reqwest::Client` (connection pool, proxy, TLS settings).
    ///
    /// **Build it with `.redirect(reqwest::redirect::Policy::none())`**, or a custom policy that
    /// only follows redirects to the base URL's scheme, host and port. The runtime cannot change a
    /// client's redirect policy, and reqwest's default one follows redirects to any host, where it
    /// drops `Authorization` but keeps custom headers: the API token in `x-api-token` would be
    /// sent to whatever host the redirect names. Should the client follow such a redirect
    /// anyway, the call fails with [`crate::ErrorKind::Config`] and the response is discarded,
    /// but the request, token included, has already gone there. The client built by default
    /// follows redirects within the base URL's origin only.
    ///
    /// The runtime sets the `User-Agent`, `Accept` and auth headers and the per-attempt
    /// [`Config::timeout`] on each request itself.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Time limit for one attempt, from sending until the whole body is read; default 30 s.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit for a whole call, default 60 s: every attempt, the waits before retries and
    /// the waits for a used-up rate-limit window together. An attempt gets what is left of it
    /// when that is less than [`Config::timeout`], and a wait that would end past it is not
    /// made: the call fails at once. When it passes, the call fails with
    /// [`crate::ErrorKind::Timeout`]. A stream of pages gives each page a deadline of its own.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// How long a response body may pause (no byte arriving) before its attempt fails as
    /// [`crate::ErrorKind::Timeout`], which is retried like a timeout; default 10 s. A server
    /// that sends headers and then stalls fails after this, not after [`Config::timeout`].
    #[must_use]
    pub fn stall_timeout(mut self, stall: Duration) -> Self {
        self.stall_timeout = stall;
        self
    }

    /// The largest response body the client reads, counted after decompression; default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`] (64 MiB). A larger one fails the call with
    /// [`crate::ErrorKind::ResponseTooLarge`] as soon as the limit is passed (or at once when
    /// `Content-Length` says so), without being retried; memory never holds more than the limit.
    /// Raise it for large file downloads, or per call with
    /// [`crate::CallOptions::set_max_response_bytes`].
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How failed attempts are retried.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Whether to hold requests back while a rate-limit window is used up; on by default.
    ///
    /// When a response reports no requests left in the window (`x-ratelimit-remaining: 0`), the
    /// client (and its clones) waits until the window resets (`x-ratelimit-reset`) before
    /// sending the next request, instead of sending one that would get a 429: a GET would be
    /// retried after a wasted round trip, a POST or PATCH would fail. The wait counts against
    /// the call's [`RetryPolicy::max_total_wait`]; a longer one is not made.
    #[must_use]
    pub fn pace_requests(mut self, pace: bool) -> Self {
        self.pace_requests = pace;
        self
    }

    /// Your application, e.g. `"my-crm-sync/2.0"`: it leads the `User-Agent`, so Pipedrive (and
    /// your proxies' logs) can tell who is calling.
    #[must_use]
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// The client library on top of the runtime, e.g. `"pipedrive/0.1.0"`; set by the generated
    /// crate. The `User-Agent` is `<user_agent> <client_library> pipedrive-runtime/<version>`.
    #[must_use]
    pub fn client_library(mut self, name_and_version: impl Into<String>) -> Self {
        self.client_library = Some(name_and_version.into());
        self
    }

    /// The `User-Agent` header value.
    pub(crate) fn user_agent_header(&self) -> String {
        let runtime = concat!("pipedrive-runtime/", env!("CARGO_PKG_VERSION"));
        [
            self.user_agent.as_deref(),
            self.client_library.as_deref(),
            Some(runtime),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_puts_the_application_first_then_the_library_then_the_runtime() {
        let runtime = concat!("pipedrive-runtime/", env!("CARGO_PKG_VERSION"));
        let config = Config::new(Auth::api_token("t"));
        assert_eq!(config.user_agent_header(), runtime);
        let config = config.client_library("pipedrive/0.1.0");
        assert_eq!(config.user_agent_header(), format!("pipedrive/0.1.0 {runtime}"));
        let config = config.user_agent("my-app/2.0");
        assert_eq!(
            config.user_agent_header(),
            format!("my-app/2.0 pipedrive/0.1.0 {runtime}")
        );
    }
}
