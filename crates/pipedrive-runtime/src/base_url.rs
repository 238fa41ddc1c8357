//! Validation of the configured base URL or company domain.
//!
//! Done once in [`crate::Client::new`]: plain `http://` is refused unless explicitly allowed (the
//! token would travel in clear text), and URLs with credentials, a query or a fragment are refused
//! because request paths are appended to the base and credentials would end up in error messages.
//! A base ending in an API version (`/v1`, `/api/v2`, as Pipedrive's docs write the server URL) is
//! refused too: every operation's path starts with its own, which would then appear twice.
//! The result is kept parsed ([`BaseUrl`]), so a request's URL costs a path parse rather than a
//! parse of the whole URL, host included.

use reqwest::Url;

use crate::config::Target;
use crate::error::{Error, ErrorKind};

/// The validated base URL, parsed.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl(Url);

impl BaseUrl {
    /// The base URL without a trailing slash, e.g. `https://api.pipedrive.com`.
    pub(crate) fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// Whether requests go over TLS.
    pub(crate) fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// `scheme://host[:port]`, for messages.
    pub(crate) fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }

    /// Whether `url` has the base URL's scheme, host and port ([`same_origin`]).
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        same_origin(&self.0, url)
    }

    /// The base URL with `path` (starting with `/`, already percent-encoded) after its path
    /// prefix: the same URL as parsing `{base}{path}`, without parsing scheme and host again.
    pub(crate) fn with_path(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        let prefix = self.0.path().trim_end_matches('/');
        if prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&format!("{prefix}{path}"));
        }
        url
    }
}

/// The base URL requests are sent to.
pub(crate) fn resolve(target: &Target, allow_insecure_http: bool) -> Result<BaseUrl, Error> {
    match target {
        Target::Company(company) => company_url(company),
        Target::Url(url) => validate(url, allow_insecure_http),
    }
    .map(BaseUrl)
}

/// `https://{company}.pipedrive.com`, if `company` is a valid subdomain label.
fn company_url(company: &str) -> Result<Url, Error> {
    let label = company.trim().to_ascii_lowercase();
    if label.contains('.') {
        return Err(config_error(format!(
            "Config::company_domain takes only the company's subdomain (e.g. `acme` for acme.pipedrive.com), \
             got {label:?}; use Config::base_url for a full URL"
        )));
    }
    let valid = !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(config_error(format!(
            "Config::company_domain got {label:?}, which is not a valid subdomain: use 1 to 63 letters, \
             digits and inner hyphens, e.g. `acme` for acme.pipedrive.com"
        )));
    }
    let url = format!("https://{label}.pipedrive.com");
    Url::parse(&url).map_err(|err| config_error(format!("{url} is not a valid URL")).with_source(err))
}

/// Checks scheme, host and the absence of credentials, query and fragment.
fn validate(raw: &str, allow_insecure_http: bool) -> Result<Url, Error> {
    let url = Url::parse(raw.trim()).map_err(|err| {
        config_error(format!(
            "Config::base_url is not a valid absolute URL ({err}); expected e.g. https://api.pipedrive.com"
        ))
        .with_source(err)
    })?;
    // Checked before anything that prints the URL: credentials must not reach an error message.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config_error(
            "Config::base_url contains credentials (user:password@); remove them and pass the token \
             through Auth, which sends it in a header",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http => {}
        "http" => {
            return Err(config_error(format!(
                "Config::base_url {url} uses plain http, which would send the token unencrypted; use https, \
                 or set Config::allow_insecure_http(true) for a local test server or proxy"
            )));
        }
        other => {
            return Err(config_error(format!(
                "Config::base_url {url} has scheme {other:?}; only https (and http when allowed) is supported"
            )));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(config_error(format!("Config::base_url {url} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config_error(format!(
            "Config::base_url {url} has a query or fragment; give only scheme, host and an optional path prefix"
        )));
    }
    if let Some((prefix, version)) = version_suffix(url.path()) {
        let mut suggestion = url.clone();
        suggestion.set_path(prefix);
        let suggestion = suggestion.as_str().trim_end_matches('/');
        return Err(config_error(format!(
            "Config::base_url {url} ends with the API version `{version}`, but each operation adds its own \
             prefix (`/v1/...` or `/api/v2/...`), so requests would go to `{version}/v1/...` or \
             `{version}/api/v2/...`; use {suggestion} instead"
        )));
    }
    Ok(url)
}

/// Splits a base URL's path into what precedes an API version at its end and that version:
/// `/v1` or `/v2`, with the `/api` before it if there is one (`/api/v2`, as in Pipedrive's
/// server URLs). Compared without case, as a user may type it so.
fn version_suffix(path: &str) -> Option<(&str, &str)> {
    let path = path.trim_end_matches('/');
    let lower = path.to_ascii_lowercase();
    let suffix = ["/api/v1", "/api/v2", "/v1", "/v2"]
        .into_iter()
        .find(|suffix| lower.ends_with(suffix))?;
    // ASCII lowercasing keeps byte offsets, so the split falls where the suffix starts in `path`.
    path.split_at_checked(path.len().checked_sub(suffix.len())?)
}

/// Whether two URLs have the same scheme, host and port: the test reqwest applies before keeping
/// `Authorization` on a redirect, and the one the runtime applies to `x-api-token`. Field by
/// field, as `Url::origin` would allocate.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

fn config_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Config, None, message)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn keeps_a_path_prefix_and_drops_the_trailing_slash() {
        let target = Target::Url("https://proxy.example.com/pipedrive/".to_owned());
        assert_eq!(
            resolve(&target, false).unwrap().as_str(),
            "https://proxy.example.com/pipedrive"
        );
    }

    #[test]
    fn with_path_gives_the_url_a_full_parse_would() {
        let bases = [
            "https://api.pipedrive.com",
            "https://api.pipedrive.com/",
            "https://proxy.example.com/pipedrive/",
            "http://127.0.0.1:8080/a%20b",
        ];
        let paths = [
            "/api/v2/stages",
            "/v1/stages/5/deals",
            "/api/v2/stages/a%2Fb",
            "/v1/files/caf\u{e9} menu",
            "/",
        ];
        for base in bases {
            let resolved = resolve(&Target::Url(base.to_owned()), true).unwrap();
            for path in paths {
                let expected = Url::parse(&format!("{}{path}", resolved.as_str())).unwrap();
                assert_eq!(resolved.with_path(path), expected, "{base} + {path}");
            }
        }
    }

    #[test]
    fn same_origin_means_same_scheme_host_and_port() {
        let base = resolve(&Target::Url("https://api.pipedrive.com/pd".to_owned()), true).unwrap();
        assert_eq!(base.origin(), "https://api.pipedrive.com");
        for same in [
            "https://api.pipedrive.com/v1/stages?start=0",
            "https://api.pipedrive.com:443/api/v2/stages",
            "https://API.pipedrive.com/",
        ] {
            assert!(base.same_origin(&Url::parse(same).unwrap()), "{same}");
        }
        for other in [
            "https://evil.example.com/pd/v1/stages",
            "https://api.pipedrive.com:8443/pd",
            "http://api.pipedrive.com/pd",
        ] {
            assert!(!base.same_origin(&Url::parse(other).unwrap()), "{other}");
        }
        let loopback = resolve(&Target::Url("http://127.0.0.1:8080".to_owned()), true).unwrap();
        assert!(!loopback.same_origin(&Url::parse("http://localhost:8080/").unwrap()));
    }

    #[test]
    fn refuses_credentials_without_printing_them() {
        let target = Target::Url("https://user:SECRET-TOKEN-123@example.com".to_owned());
        let err = resolve(&target, false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(!err.to_string().contains("SECRET-TOKEN-123"));
        assert!(!format!("{err:?}").contains("SECRET-TOKEN-123"));
    }

    #[test]
    fn refuses_other_schemes_and_queries() {
        for raw in ["ftp://example.com", "https://example.com/?a=1", "not a url"] {
            let err = resolve(&Target::Url(raw.to_owned()), true).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{raw}");
        }
    }

    #[test]
    fn refuses_a_base_that_ends_with_an_api_version() {
        for (raw, suggestion) in [
            ("https://api.pipedrive.com/v1", "https://api.pipedrive.com"),
            ("https://api.pipedrive.com/v1/", "https://api.pipedrive.com"),
            ("https://acme.pipedrive.com/api/v2", "https://acme.pipedrive.com"),
            ("https://acme.pipedrive.com/api/v1/", "https://acme.pipedrive.com"),
            ("https://proxy.example.com/pd/API/V2", "https://proxy.example.com/pd"),
            ("https://proxy.example.com/pd/v2", "https://proxy.example.com/pd"),
        ] {
            let err = resolve(&Target::Url(raw.to_owned()), false).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{raw}");
            let message = err.to_string();
            assert!(message.contains("each operation adds its own prefix"), "{message}");
            assert!(message.ends_with(&format!("use {suggestion} instead")), "{message}");
        }
        // A version-like name that is not a whole segment is a prefix like any other.
        for raw in [
            "https://proxy.example.com/apiv1",
            "https://proxy.example.com/v10",
            "https://x.com/api",
        ] {
            assert_eq!(resolve(&Target::Url(raw.to_owned()), false).unwrap().as_str(), raw);
        }
    }

    #[test]
    fn company_must_be_a_subdomain_label() {
        assert_eq!(
            resolve(&Target::Company("Acme-2".to_owned()), false).unwrap().as_str(),
            "https://acme-2.pipedrive.com"
        );
        for bad in ["", "-acme", "acme.pipedrive.com", "a/b", "a b"] {
            let err = resolve(&Target::Company(bad.to_owned()), false).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{bad:?}");
        }
    }
}
