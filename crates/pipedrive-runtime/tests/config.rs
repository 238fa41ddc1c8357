//! Configuration checks done by `Client::new`: base URL scheme, company domain, defaults.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{SECRET, assert_no_secret};
use pipedrive_runtime::{Auth, Client, Config, DEFAULT_BASE_URL, ErrorKind};

fn config() -> Config {
    Config::new(Auth::api_token(SECRET))
}

#[test]
fn default_base_url_is_pipedrive() {
    let client = Client::new(config()).unwrap();
    assert_eq!(client.base_url(), "https://api.pipedrive.com");
    assert_eq!(DEFAULT_BASE_URL, "https://api.pipedrive.com");
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let err = Client::new(config().base_url("http://localhost:8080")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("allow_insecure_http(true)"), "{err}");
    assert!(err.operation_id().is_none());
    assert_no_secret(&err);

    let client = Client::new(config().base_url("http://localhost:8080/").allow_insecure_http(true)).unwrap();
    assert_eq!(client.base_url(), "http://localhost:8080");
}

#[test]
fn company_domain_builds_the_subdomain_url() {
    let client = Client::new(config().company_domain("acme")).unwrap();
    assert_eq!(client.base_url(), "https://acme.pipedrive.com");

    let err = Client::new(config().company_domain("acme.pipedrive.com")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("only the company's subdomain"), "{err}");

    let err = Client::new(config().company_domain("acme/../evil")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[test]
fn later_settings_win() {
    let client = Client::new(config().company_domain("acme").base_url("https://proxy.example.com/pd")).unwrap();
    assert_eq!(client.base_url(), "https://proxy.example.com/pd");
}

/// Pipedrive's docs give `https://api.pipedrive.com/v1` and `.../api/v2` as server URLs; pasted
/// as the base, every path would carry its version twice (`/v1/v1/stages`).
#[test]
fn a_base_url_with_the_api_version_is_refused() {
    let err = Client::new(config().base_url("https://api.pipedrive.com/v1")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(
        err.to_string(),
        "Config::base_url https://api.pipedrive.com/v1 ends with the API version `/v1`, but each \
         operation adds its own prefix (`/v1/...` or `/api/v2/...`), so requests would go to \
         `/v1/v1/...` or `/v1/api/v2/...`; use https://api.pipedrive.com instead"
    );
    let err = Client::new(config().base_url("https://acme.pipedrive.com/api/v2/")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("`/api/v2`"), "{err}");
    assert!(
        err.to_string().ends_with("use https://acme.pipedrive.com instead"),
        "{err}"
    );
}

#[test]
fn credentials_in_the_base_url_are_refused_without_echo() {
    let err = Client::new(config().base_url(format!("https://me:{SECRET}@example.com"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_no_secret(&err);
}

#[test]
fn bad_user_agent_is_a_config_error() {
    let err = Client::new(config().user_agent("pipedrive/1\nx-evil: 1")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

/// Generated code and callers spawn calls onto multi-threaded runtimes: everything must be `Send`.
#[test]
fn clients_requests_and_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = Client::new(config()).unwrap();
    send_sync(&client);
    send_sync(&config());
    send_sync(&common::get_stages());
    send(&client.send_json::<serde_json::Value>(common::get_stages()));
    send(&client.send_list::<serde_json::Value>(common::get_stages()));
    send(&client.send_bytes(common::get_stages()));
    let error = pipedrive_runtime::Error::invalid_request(&common::GET_STAGES, "x");
    send_sync(&error);
}
