//! Pacing: once a response reports the rate-limit window used up (`x-ratelimit-remaining: 0`),
//! the next request, from any clone of the client and whatever its method, waits for the reset
//! (`x-ratelimit-reset`) instead of earning a 429; unless pacing is off or the wait is longer
//! than the call may wait in total.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::time::{Duration, Instant};

use common::{ADD_STAGE, config, get_stages, hits};
use pipedrive_runtime::{Client, Request, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A successful list whose response used up the window, which resets after `reset` seconds.
fn window_used_up(reset: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": true, "data": [1]}))
        .insert_header("x-ratelimit-limit", "40")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", reset)
}

/// A server answering GETs with `get` and POSTs with a created object.
async fn server(get: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(get).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"success": true, "data": 7})))
        .mount(&server)
        .await;
    server
}

fn add_stage() -> Request {
    let mut request = Request::new(&ADD_STAGE, "/api/v2/stages".to_owned());
    request.json_body(&json!({"name": "Won"})).unwrap();
    request
}

/// Sends a GET with `client` (answered as the server was set up), then a POST with a clone of
/// it; returns the POST's data and the time from before the GET until the POST's answer. Timed
/// from before the GET, the window's end is a lower bound however slowly the test runs.
async fn post_after_a_get(client: &Client) -> (i64, Duration) {
    let started = Instant::now();
    client.send_list::<i64>(get_stages()).await.unwrap();
    let clone = client.clone();
    let created = clone.send_json::<i64>(add_stage()).await.unwrap();
    (created.data, started.elapsed())
}

/// Up to this, a request counts as sent at once; the windows that must not be waited for are 30 s.
const AT_ONCE: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_used_up_window_holds_the_next_request_of_every_clone_until_it_resets() {
    let server = server(window_used_up("0.6")).await;
    // No retries: a POST that met a 429 would fail, so success means it was held back.
    let client = Client::new(config(&server).retry(RetryPolicy::none())).unwrap();

    let (created, took) = post_after_a_get(&client).await;

    assert_eq!(created, 7);
    // The window ends 600 ms after the GET's answer; pacing keeps whole milliseconds.
    assert!(
        took >= Duration::from_millis(598),
        "the POST was answered {took:?} after the GET was sent, before the window reset"
    );
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn pacing_can_be_turned_off() {
    let server = server(window_used_up("30")).await;
    let client = Client::new(config(&server).retry(RetryPolicy::none()).pace_requests(false)).unwrap();
    let (_, took) = post_after_a_get(&client).await;
    assert!(took < AT_ONCE, "waited {took:?}");
}

#[tokio::test]
async fn a_window_longer_than_the_call_may_wait_is_left_to_the_server() {
    let server = server(window_used_up("30")).await;
    let policy = RetryPolicy::none().max_total_wait(Duration::from_secs(1));
    let client = Client::new(config(&server).retry(policy)).unwrap();
    let (_, took) = post_after_a_get(&client).await;
    assert!(took < AT_ONCE, "waited {took:?}");
}

#[tokio::test]
async fn requests_left_in_the_window_are_sent_at_once() {
    let server = server(
        ResponseTemplate::new(200)
            .set_body_json(json!({"success": true, "data": [1]}))
            .insert_header("x-ratelimit-remaining", "1")
            .insert_header("x-ratelimit-reset", "30"),
    )
    .await;
    let client = Client::new(config(&server).retry(RetryPolicy::none())).unwrap();
    let (_, took) = post_after_a_get(&client).await;
    assert!(took < AT_ONCE, "waited {took:?}");
}
