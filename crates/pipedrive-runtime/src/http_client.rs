//! The HTTP client the runtime builds when the application brings none: redirects only within
//! the base URL's origin, and compressed responses (gzip, brotli) asked for and decoded.
//!
//! Also the check of whether such a client can speak https at all (the `rustls` feature), so
//! that connection failures can say how to get TLS.

use crate::base_url::{self, BaseUrl};
use crate::error::{Error, ErrorKind};

/// How many same-host redirects the default HTTP client follows.
const MAX_REDIRECTS: usize = 10;

/// Whether https requests may fail for want of TLS: only when the runtime builds the HTTP client
/// itself without its `rustls` feature. (The application may still have enabled a TLS backend on
/// reqwest, which Cargo's feature unification hands to that client; the advice is worded for both.)
pub(crate) fn lacks_tls_backend(own_client: bool, rustls_feature: bool, base_url: &BaseUrl) -> bool {
    !own_client && !rustls_feature && base_url.is_https()
}

/// The HTTP client used when none is configured: redirects are followed only within the same
/// origin (scheme, host and port), because reqwest would forward `x-api-token` to another host.
pub(crate) fn default_http_client() -> Result<reqwest::Client, Error> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        if previous.len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let same_origin = previous
            .first()
            .is_some_and(|first| base_url::same_origin(first, attempt.url()));
        if same_origin { attempt.follow() } else { attempt.stop() }
    });
    reqwest::Client::builder().redirect(policy).build().map_err(|err| {
        Error::new(
            ErrorKind::Config,
            None,
            "the HTTP client could not be built (TLS backend or system configuration); \
                 pass your own with Config::http_client",
        )
        .with_source(err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Target;

    fn url(url: &str) -> BaseUrl {
        let Ok(base) = base_url::resolve(&Target::Url(url.to_owned()), true) else {
            unreachable!("{url} is a valid base URL")
        };
        base
    }

    #[test]
    fn only_a_client_built_here_without_rustls_for_https_lacks_tls() {
        let https = url("https://api.pipedrive.com");
        assert!(lacks_tls_backend(false, false, &https));
        assert!(!lacks_tls_backend(false, true, &https), "the rustls feature brings TLS");
        assert!(
            !lacks_tls_backend(true, false, &https),
            "an application's own client brings its own"
        );
        assert!(
            !lacks_tls_backend(false, false, &url("http://127.0.0.1:8080")),
            "plain http needs none"
        );
    }
}
