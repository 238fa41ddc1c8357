//! OAuth refresh on 401, shared refreshed tokens, and redaction of credentials everywhere they could show.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{SECRET, assert_no_secret, config, config_with, get_stages, hits};
use pipedrive_runtime::{Auth, Client, Config, ErrorKind, RefreshError};
use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const OLD: &str = "OLD-SECRET-TOKEN-123";
const NEW: &str = "NEW-SECRET-TOKEN-123";

/// A refresher returning `token`, counting its calls.
fn refresher(
    token: &'static str,
    calls: &Arc<AtomicUsize>,
) -> impl Fn() -> futures::future::Ready<Result<String, RefreshError>> + Send + Sync + 'static {
    let calls = Arc::clone(calls);
    move || {
        calls.fetch_add(1, Ordering::SeqCst);
        futures::future::ready(Ok(token.to_owned()))
    }
}

fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({"success": false, "error": "unauthorized access"}))
}

/// A server that answers every GET with [`unauthorized`], whatever the token.
async fn answering_401() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(unauthorized())
        .mount(&server)
        .await;
    server
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [1]}))
}

#[tokio::test]
async fn a_401_refreshes_once_and_the_new_token_is_shared_by_clones() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {OLD}").as_str()))
        .respond_with(unauthorized())
        .mount(&server)
        .await;
    Mock::given(header("authorization", format!("Bearer {NEW}").as_str()))
        .respond_with(ok())
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh(OLD, refresher(NEW, &calls)),
    ))
    .unwrap();

    let response = client.send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(response.data, vec![1]);
    assert_eq!(response.meta.attempts, 2);
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let clone = client.clone();
    let response = clone.send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(response.meta.attempts, 1, "the clone starts with the new token");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(hits(&server).await, 3);
    assert!(!format!("{client:?}").contains("TOKEN-123"));
}

/// A request sent with the old token can fail after a refresh (another request refreshed while
/// it was in flight); a body echoing either token must not carry it into the error.
#[tokio::test]
async fn error_bodies_are_redacted_of_the_token_before_a_refresh_too() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {OLD}").as_str()))
        .respond_with(unauthorized())
        .mount(&server)
        .await;
    let echo = format!("proxy saw Bearer {OLD}, then Bearer {NEW}");
    Mock::given(header("authorization", format!("Bearer {NEW}").as_str()))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"success": false, "error": echo, "error_info": echo})),
        )
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh(OLD, refresher(NEW, &calls)),
    ))
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(
        err.to_string()
            .contains("proxy saw Bearer <redacted>, then Bearer <redacted>"),
        "{err}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_second_401_is_an_auth_error() {
    let server = answering_401().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh(OLD, refresher(NEW, &calls)),
    ))
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), Some(2));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(hits(&server).await, 2);
    assert!(
        err.to_string()
            .contains("rejected the OAuth access token (401) even after refreshing it"),
        "{err}"
    );
    assert!(err.to_string().contains("deals:read, deals:full"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_failing_refresher_is_an_auth_error_with_its_error_as_source() {
    let server = answering_401().await;
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh(OLD, || async {
            Err::<String, RefreshError>("refresh token revoked".into())
        }),
    ))
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "refresh token revoked");
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}

/// A refresher that never finishes (a token endpoint that does not answer) must not hang the
/// call, nor every other call queued behind the refresh.
#[tokio::test]
async fn a_refresher_that_hangs_is_cut_off_after_the_request_timeout() {
    let server = answering_401().await;
    let config = config_with(
        &server,
        Auth::oauth_with_refresh(OLD, std::future::pending::<Result<String, RefreshError>>),
    )
    .timeout(Duration::from_millis(300));
    let client = Client::new(config).unwrap();
    let started = Instant::now();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(
        err.to_string()
            .contains("the token refresher did not finish within 300 ms"),
        "{err}"
    );
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_refreshed_token_that_cannot_be_a_header_is_an_auth_error() {
    let server = answering_401().await;
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh(OLD, || async {
            Ok::<String, RefreshError>("bad\ntoken-TOKEN-123".to_owned())
        }),
    ))
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_no_secret(&err);
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    let server = MockServer::start().await;
    let auths = [
        (Auth::api_token(SECRET), "Auth::ApiToken(<redacted>)"),
        (Auth::oauth(SECRET), "Auth::OAuth(<redacted>)"),
        (
            Auth::oauth_with_refresh(SECRET, || async { Ok::<String, RefreshError>(NEW.to_owned()) }),
            "Auth::OAuth(<redacted>, with refresher)",
        ),
    ];
    for (auth, expected) in auths {
        assert_eq!(format!("{auth:?}"), expected);
        let config = config_with(&server, auth);
        let config_debug = format!("{config:?}");
        assert!(!config_debug.contains("TOKEN-123"), "{config_debug}");
        let client = Client::new(config).unwrap();
        let client_debug = format!("{client:?} {client:#?}");
        assert!(!client_debug.contains("TOKEN-123"), "{client_debug}");
    }
    if let Auth::ApiToken(secret) = Auth::api_token(SECRET) {
        assert_eq!(format!("{secret:?}"), "<redacted>");
    }
}

#[tokio::test]
async fn tokens_that_cannot_be_headers_are_refused_without_echoing_them() {
    for auth in [
        Auth::api_token(""),
        Auth::api_token(format!("{SECRET}\n")),
        Auth::oauth(format!("{SECRET}\r\nx-evil: 1")),
    ] {
        let err = Client::new(Config::new(auth)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn concurrent_401s_refresh_once() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {OLD}").as_str()))
        .respond_with(unauthorized().set_delay(std::time::Duration::from_millis(50)))
        .mount(&server)
        .await;
    Mock::given(header("authorization", format!("Bearer {NEW}").as_str()))
        .respond_with(ok())
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh(OLD, refresher(NEW, &calls)),
    ))
    .unwrap();
    let (a, b) = tokio::join!(
        client.send_list::<i64>(get_stages()),
        client.send_list::<i64>(get_stages())
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A 401 without a refresher is final, and is an `Auth` error like one after a refresh: callers
/// catch bad or revoked credentials by that kind, with status and envelope as for an API error.
#[tokio::test]
async fn api_token_clients_do_not_refresh() {
    let server = answering_401().await;
    let err = Client::new(config(&server))
        .unwrap()
        .send_list::<i64>(get_stages())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.api_error().unwrap().error.as_deref(), Some("unauthorized access"));
    assert!(!err.is_transient());
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_401_for_an_oauth_token_without_a_refresher_is_an_auth_error() {
    let server = answering_401().await;
    let err = Client::new(config_with(&server, Auth::oauth(OLD)))
        .unwrap()
        .send_list::<i64>(get_stages())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.attempts(), Some(1));
    assert!(err.to_string().contains("Check the OAuth access token"), "{err}");
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}
