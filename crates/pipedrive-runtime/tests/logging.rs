//! What the client logs through `tracing`: a span per call, why and how long it waits before a
//! retry, token refreshes, and never a token or the values in a URL, whatever the level and
//! whichever crate (ours, reqwest, hyper) logs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{SECRET, config, config_with, get_stages, refusing_address};
use pipedrive_runtime::{Auth, Client, Config, RefreshError, RetryPolicy};
use serde_json::json;
use tracing::subscriber::DefaultGuard;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Everything the subscriber writes, as text.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Records every event of every crate, TRACE and up, on this thread until the guard drops.
/// (`#[tokio::test]` runs the test on one thread, so the client's events land here.)
pub fn capture() -> (Captured, DefaultGuard) {
    capture_at(tracing::Level::TRACE)
}

fn capture_at(level: tracing::Level) -> (Captured, DefaultGuard) {
    // reqwest logs through the `log` crate; this forwards its records to the subscriber below,
    // so they are checked for tokens too. Installed once per process; later calls change nothing.
    let _ = tracing_log::LogTracer::init();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [1]}))
}

fn assert_no_token(log: &str, tokens: &[&str]) {
    for token in tokens {
        assert!(!log.contains(token), "the log holds {token}:\n{log}");
    }
    assert!(!log.contains("TOKEN-123"), "the log holds part of a token:\n{log}");
}

#[tokio::test]
async fn a_retry_is_logged_with_its_reason_and_wait_and_no_token_or_url_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let client = Client::new(config(&server)).unwrap();
    let mut request = get_stages();
    request.query("cursor", "private-cursor-value");

    let (captured, _guard) = capture();
    let response = client.send_list::<i64>(request).await.unwrap();
    let log = captured.text();

    assert_eq!(response.meta.attempts, 2);
    assert!(log.contains("pipedrive_request{"), "no span:\n{log}");
    assert!(log.contains(r#"operation="getStages""#), "{log}");
    assert!(log.contains(r#"path="/api/v2/stages""#), "{log}");
    assert!(log.contains("retrying after HTTP 429"), "{log}");
    assert!(
        log.contains(r#"delay_from="server""#),
        "the wait came from Retry-After:\n{log}"
    );
    assert!(log.contains("status=200"), "the answered attempt is logged:\n{log}");
    assert!(
        !log.contains("private-cursor-value"),
        "a query value was logged:\n{log}"
    );
    assert_no_token(&log, &[SECRET]);
}

/// reqwest's own records (through `log`) reach the subscriber, and hold no token either.
#[tokio::test]
async fn the_http_clients_own_records_are_captured_and_hold_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let client = Client::new(config(&server)).unwrap();

    let (captured, _guard) = capture();
    client.send_list::<i64>(get_stages()).await.unwrap();
    let log = captured.text();

    assert!(log.contains("reqwest::"), "no record of reqwest's:\n{log}");
    assert_no_token(&log, &[SECRET]);
}

/// An application logging at INFO gets no span (it is DEBUG), so the retry names the operation.
#[tokio::test]
async fn at_info_level_a_retry_still_names_its_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let client = Client::new(config(&server)).unwrap();

    let (captured, _guard) = capture_at(tracing::Level::INFO);
    client.send_list::<i64>(get_stages()).await.unwrap();
    let log = captured.text();

    assert!(log.contains("retrying after HTTP 503"), "{log}");
    assert!(log.contains(r#"operation="getStages""#), "{log}");
    assert!(log.contains(r#"delay_from="backoff""#), "{log}");
    assert!(
        !log.contains("pipedrive_request{"),
        "the DEBUG span showed at INFO:\n{log}"
    );
    assert!(
        !log.contains("Pipedrive answered"),
        "a DEBUG event showed at INFO:\n{log}"
    );
}

#[tokio::test]
async fn a_request_held_back_for_the_rate_limit_window_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ok().insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "0.2"),
        )
        .mount(&server)
        .await;
    let client = Client::new(config(&server).retry(RetryPolicy::none())).unwrap();
    client.send_list::<i64>(get_stages()).await.unwrap();

    let (captured, _guard) = capture_at(tracing::Level::INFO);
    client.send_list::<i64>(get_stages()).await.unwrap();
    let log = captured.text();

    assert!(log.contains("waiting for the rate-limit window to reset"), "{log}");
    assert!(log.contains(r#"operation="getStages""#), "{log}");
    assert!(log.contains("delay_ms="), "{log}");
}

#[tokio::test]
async fn a_token_refresh_is_logged_without_either_token() {
    const OLD: &str = "OLD-SECRET-TOKEN-123";
    const NEW: &str = "NEW-SECRET-TOKEN-123";
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {OLD}").as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"success": false, "error": OLD})))
        .mount(&server)
        .await;
    Mock::given(header("authorization", format!("Bearer {NEW}").as_str()))
        .respond_with(ok())
        .mount(&server)
        .await;
    let refresher = || futures::future::ready(Ok::<_, RefreshError>(NEW.to_owned()));
    let client = Client::new(config_with(&server, Auth::oauth_with_refresh(OLD, refresher))).unwrap();

    let (captured, _guard) = capture();
    client.send_list::<i64>(get_stages()).await.unwrap();
    let log = captured.text();

    assert!(log.contains("refreshing it and retrying once"), "{log}");
    assert!(log.contains("status=401"), "{log}");
    assert_no_token(&log, &[OLD, NEW]);
}

#[tokio::test]
async fn a_connection_failure_is_logged_with_its_cause_before_the_retry() {
    let (_socket, address) = refusing_address();
    let config = Config::new(Auth::api_token(SECRET))
        .base_url(format!("http://{address}"))
        .allow_insecure_http(true)
        .retry(RetryPolicy::new().max_retries(1).base_delay(Duration::from_millis(1)));
    let client = Client::new(config).unwrap();

    let (captured, _guard) = capture();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    let log = captured.text();

    assert_eq!(err.attempts(), Some(2));
    assert!(log.contains("retrying after a transport failure"), "{log}");
    assert!(log.to_lowercase().contains("refused"), "the cause is logged:\n{log}");
    assert_no_token(&log, &[SECRET]);
}
