//! Memory and time stay bounded whatever a server sends: a body past the size limit, a server
//! that never answers, a wait that would outlast the call's deadline, a body that stalls.
//!
//! Time bounds sit far from the value under test: a call that must end after 0.5 s is checked to
//! end within 10 s, against the 30 s timeout (or the minutes of retries) that would hold it
//! otherwise. The process's peak memory for an endless body is checked by the `body_memory` test
//! binary, which runs alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::raw::{self, RawServer};
use common::{assert_no_secret, client, config, fast_retries, get_stages, hits, raw_client};
use pipedrive_runtime::{CallOptions, Client, ErrorKind, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Far from every delay under test here, far below the timeouts that would apply without them.
const BOUND: Duration = Duration::from_secs(10);

/// A raw server counting its connections, each served by `serve_one`.
async fn counting<F, Fut>(serve_one: F) -> (RawServer, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    let server = raw::serve(move |socket, _head| {
        counted.fetch_add(1, Ordering::SeqCst);
        serve_one(socket)
    })
    .await;
    (server, connections)
}

#[tokio::test]
async fn an_endless_body_fails_at_the_limit_at_once_and_is_not_retried() {
    let (server, connections) = counting(|mut socket| async move {
        raw::endless_chunked_body(&mut socket, 256 * 1024 * 1024).await;
    })
    .await;
    let client = raw_client(&server.uri(), |config| {
        config.max_response_bytes(1024 * 1024).retry(fast_retries())
    });
    let started = Instant::now();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    let message = err.to_string();
    assert!(message.contains("limit of 1 MiB (1048576 bytes)"), "{message}");
    assert!(message.contains("raise Config::max_response_bytes"), "{message}");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "a body too large is not asked for again"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_content_length_over_the_limit_fails_before_the_body_is_read() {
    let server = MockServer::start().await;
    let body = format!(r#"{{"success":true,"data":[{}]}}"#, "1,".repeat(1000) + "1");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::new(config(&server).max_response_bytes(1024)).unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge);
    assert!(
        err.to_string()
            .contains(&format!("declares {} bytes (Content-Length)", body.len())),
        "{err}"
    );

    // The same body within a call's own, larger limit.
    let mut request = get_stages();
    let mut options = CallOptions::default();
    options.set_max_response_bytes(body.len() as u64);
    request.set_options(options);
    let page = client.send_list::<i64>(request).await.unwrap();
    assert_eq!(page.data.len(), 1001, "a body of exactly the limit is read");
}

#[tokio::test]
async fn a_server_that_never_answers_is_cut_off_by_the_deadline() {
    let (server, _) = counting(|socket| async move {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(socket);
    })
    .await;
    // Default 30 s per attempt and retries: without the deadline, minutes.
    let client = raw_client(&server.uri(), |config| {
        config.retry(fast_retries()).deadline(Duration::from_millis(500))
    });
    let started = Instant::now();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < BOUND && elapsed >= Duration::from_millis(500), "{elapsed:?}");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_timeout());
    let message = err.to_string();
    assert!(message.contains("within the call's deadline of 500 ms"), "{message}");
    assert!(message.contains("raise Config::deadline"), "{message}");
    assert_no_secret(&err);

    // A call's own deadline overrides the client's.
    let client = raw_client(&server.uri(), |config| config.retry(fast_retries()));
    let mut request = get_stages();
    let mut options = CallOptions::default();
    options.set_deadline(Duration::from_millis(300));
    request.set_options(options);
    let started = Instant::now();
    let err = client.send_list::<i64>(request).await.unwrap_err();
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert!(err.to_string().contains("deadline of 300 ms"), "{err}");
}

/// The deadline covers waits: a retry the server asks to make in 30 s is not waited for when the
/// call has 2 s left; the call ends at once with what the server said.
#[tokio::test]
async fn a_wait_that_would_outlast_the_deadline_is_not_made() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = Client::new(
        config(&server)
            .retry(RetryPolicy::new().max_total_wait(Duration::from_secs(600)))
            .deadline(Duration::from_secs(2)),
    )
    .unwrap();
    let started = Instant::now();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_eq!(err.status().map(|status| status.as_u16()), Some(503));
    assert!(
        err.to_string().ends_with(
            "A retry was due in 30 s, past the call's deadline of 2 s (Config::deadline, CallOptions::set_deadline)."
        ),
        "{err}"
    );
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_body_that_stalls_mid_way_fails_its_attempt_early_and_is_retried() {
    let (server, connections) = counting(|mut socket| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
        raw::write(&mut socket, head.as_bytes()).await;
        raw::write(&mut socket, br#"{"success":true,"#).await;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    })
    .await;
    let client = raw_client(&server.uri(), |config| {
        config
            .stall_timeout(Duration::from_millis(200))
            .retry(fast_retries().max_retries(1))
    });
    let started = Instant::now();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let message = err.to_string();
    assert!(message.contains("no byte came for 200 ms (2 attempts)"), "{message}");
    assert!(message.contains("raise Config::stall_timeout"), "{message}");
    assert_eq!(connections.load(Ordering::SeqCst), 2, "retried like a timeout");
    assert_no_secret(&err);
}

#[tokio::test]
async fn the_defaults_are_documented_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []})))
        .mount(&server)
        .await;
    assert_eq!(pipedrive_runtime::DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
    assert_eq!(pipedrive_runtime::DEFAULT_DEADLINE, Duration::from_secs(60));
    assert_eq!(pipedrive_runtime::DEFAULT_STALL_TIMEOUT, Duration::from_secs(10));
    assert_eq!(pipedrive_runtime::DEFAULT_TIMEOUT, Duration::from_secs(30));
    let debug = format!("{:?}", client(&server));
    assert!(
        debug.contains("deadline: 60s") && debug.contains("max_bytes: 67108864"),
        "{debug}"
    );
}
