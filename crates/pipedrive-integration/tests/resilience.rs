//! How generated calls behave when Pipedrive (or something in front of it) does not simply answer
//! 200: retries that honour `Retry-After` and `x-ratelimit-reset`, no retry of POST/PATCH by
//! default, the daily token budget, rate limiting that outlasts the retries, per-call retry
//! policies and timeouts, connection failures, and the `User-Agent`. Error bodies and
//! authentication are `errors_and_auth`.

#![allow(deprecated)] // v1 update_stage (PUT) is used to show that idempotent writes are retried.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::time::{Duration, Instant};

use common::{
    SECRET, assert_api_token_headers, assert_no_secret, assert_no_secret_in, client, config, hits, ok, received,
    single_request, v1_stage, v2_stage, v2_stage_decoded,
};
use pipedrive::{Auth, Client, ErrorKind, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `failures` answers of `failure`, then success with `success` for every later request.
async fn fail_then(server: &MockServer, failure: ResponseTemplate, failures: u64, success: ResponseTemplate) {
    Mock::given(any())
        .respond_with(failure)
        .up_to_n_times(failures)
        .mount(server)
        .await;
    Mock::given(any()).respond_with(success).mount(server).await;
}

#[tokio::test]
async fn a_get_is_retried_after_429_waiting_for_retry_after() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "1")
            .set_body_json(json!({"success": false, "error": "Too many requests"})),
        1,
        ok(json!([v2_stage(1)])),
    )
    .await;
    let client = client(&server);

    let started = Instant::now();
    let response = client.v2().stages().get_stages().send_with_meta().await.unwrap();
    let elapsed = started.elapsed();

    assert_eq!(hits(&server).await, 2);
    assert_eq!(response.meta.attempts, 2);
    assert!(
        elapsed >= Duration::from_secs(1),
        "waited only {elapsed:?}; Retry-After is 1 s"
    );
    assert_eq!(response.data, vec![v2_stage_decoded(1)]);
    // Both attempts reached the server, so both spent tokens; both carried the same request.
    assert_eq!(client.tokens_spent(), 10);
    for request in received(&server).await {
        assert_eq!(request.url.path(), "/api/v2/stages");
        assert_api_token_headers(&request);
    }
}

#[tokio::test]
async fn a_429_without_retry_after_waits_for_x_ratelimit_reset() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        ResponseTemplate::new(429)
            .insert_header("x-ratelimit-limit", "80")
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", "0.3"),
        1,
        ok(v2_stage(1)),
    )
    .await;

    // Pacing off: after `x-ratelimit-remaining: 0` the pacer alone would hold the retry until
    // the reset, and this test would pass even if the retry ignored `x-ratelimit-reset`.
    let client = Client::new(config(&server).pace_requests(false)).unwrap();
    let started = Instant::now();
    let response = client.v2().stages().get_stage(1).send_with_meta().await.unwrap();

    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.meta.attempts, 2);
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn a_post_is_not_retried_on_503_by_default() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after", "0"),
        1,
        ok(v2_stage(1)),
    )
    .await;

    let err = client(&server)
        .v2()
        .stages()
        .add_stage("Stage Name", 1)
        .send()
        .await
        .unwrap_err();

    assert_eq!(hits(&server).await, 1, "a retried POST could create the stage twice");
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(err.operation_id(), Some("addStage"));
    assert!(err.is_transient());
    assert_no_secret(&err);
}

/// 429 with `Retry-After` under the default policy: a retried POST or PATCH could take effect
/// twice, so the call fails at once (without waiting) as rate limited, saying how to opt in.
#[tokio::test]
async fn a_post_and_a_patch_are_not_retried_on_429_by_default() {
    // A delay far above the time bounds below: a retry would wait it, a loaded machine would not.
    let rate_limited = || {
        ResponseTemplate::new(429)
            .insert_header("retry-after", "30")
            .set_body_json(json!({"success": false, "error": "Too many requests"}))
    };
    let check = |err: &pipedrive::Error, operation_id: &str| {
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(err.attempts(), Some(1));
        assert_eq!(err.operation_id(), Some(operation_id));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
        assert!(err.to_string().contains("retry_non_idempotent(true)"), "{err}");
        assert_no_secret(err);
    };

    let server = MockServer::start().await;
    fail_then(&server, rate_limited(), 1, ok(v2_stage(1))).await;
    let client = Client::new(config(&server).retry(RetryPolicy::new())).unwrap();
    let started = Instant::now();
    let err = client
        .v2()
        .stages()
        .add_stage("Stage Name", 1)
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "waited for Retry-After");
    assert_eq!(hits(&server).await, 1, "a retried POST could create the stage twice");
    check(&err, "addStage");

    let server = MockServer::start().await;
    fail_then(&server, rate_limited(), 1, ok(v2_stage(1))).await;
    let client = Client::new(config(&server).retry(RetryPolicy::new())).unwrap();
    let started = Instant::now();
    let err = client.v2().stages().update_stage(1).name("A").send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "waited for Retry-After");
    assert_eq!(hits(&server).await, 1, "PATCH is not retried by default either");
    assert_eq!(single_request(&server).await.method.as_str(), "PATCH");
    check(&err, "updateStage");
}

#[tokio::test]
async fn a_patch_is_not_retried_but_a_put_and_an_opted_in_post_are() {
    // PATCH (v2 update_stage) is not idempotent by the runtime's rules.
    let server = MockServer::start().await;
    fail_then(&server, ResponseTemplate::new(503), 1, ok(v2_stage(1))).await;
    let err = client(&server)
        .v2()
        .stages()
        .update_stage(1)
        .name("A")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(hits(&server).await, 1);

    // PUT (v1 update_stage) is idempotent: retried.
    let server = MockServer::start().await;
    fail_then(&server, ResponseTemplate::new(503), 1, ok(v1_stage())).await;
    let stage = client(&server)
        .v1()
        .stages()
        .update_stage(1)
        .name("A")
        .send()
        .await
        .unwrap();
    assert_eq!(stage.id, Some(1));
    assert_eq!(hits(&server).await, 2);

    // POST with RetryPolicy::retry_non_idempotent(true): retried, and the same body is sent twice.
    let server = MockServer::start().await;
    fail_then(&server, ResponseTemplate::new(503), 1, ok(v2_stage(1))).await;
    let client = Client::new(config(&server).retry(common::fast_retries().retry_non_idempotent(true))).unwrap();
    client.v2().stages().add_stage("Stage Name", 1).send().await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].body, br#"{"name":"Stage Name","pipeline_id":1}"#);
}

#[tokio::test]
async fn an_exhausted_daily_budget_is_reported_after_exactly_one_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .insert_header("x-daily-ratelimit-token-limit", "30000")
                .insert_header("x-daily-ratelimit-token-remaining", "0")
                .insert_header("x-correlation-id", "req-daily-1")
                .set_body_json(json!({"success": false, "error": "Daily limit exceeded"})),
        )
        .mount(&server)
        .await;

    let err = client(&server).v2().stages().get_stages().send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::DailyBudgetExhausted);
    assert_eq!(hits(&server).await, 1, "retrying cannot help until the budget resets");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    let rate_limit = err.rate_limit().unwrap();
    assert_eq!(rate_limit.daily_token_remaining, Some(0));
    assert_eq!(rate_limit.daily_token_limit, Some(30_000));
    assert_eq!(err.request_id(), Some("req-daily-1"));
    assert_eq!(err.api_error().unwrap().error.as_deref(), Some("Daily limit exceeded"));
    assert!(!err.is_transient());
    assert!(err.to_string().contains("daily"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_429_that_outlasts_the_retries_is_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;

    let err = client(&server).v2().stages().get_stage(1).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(hits(&server).await, 4, "1 attempt + 3 retries");
    assert_eq!(err.attempts(), Some(4));
    assert!(err.is_transient());
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(v2_stage(1)).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = Client::new(
        config(&server)
            .timeout(Duration::from_millis(100))
            .retry(RetryPolicy::none()),
    )
    .unwrap();

    let started = Instant::now();
    let err = client.v2().stages().get_stage(1).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(err.attempts(), Some(1));
    assert!(err.is_transient());
    assert_no_secret(&err);
}

/// One call can override the client's retry policy and timeout; the next call has the client's again.
#[tokio::test]
async fn a_call_can_have_its_own_retry_policy_and_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // The client retries (fast) and waits up to 30 s per attempt.
    let client = Client::new(config(&server)).unwrap();

    let err = client
        .v2()
        .stages()
        .get_stage(1)
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(1), "this call is not retried");
    let err = client.v2().stages().get_stage(1).send().await.unwrap_err();
    assert_eq!(err.attempts(), Some(4), "the next call has the client's policy");

    server.reset().await;
    Mock::given(any())
        .respond_with(ok(v2_stage(1)).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client
        .v2()
        .stages()
        .get_stage(1)
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(err.to_string().contains("within 100 ms"), "{err}");
}

/// A stream's every page is sent with the options of the builder it came from.
#[tokio::test]
async fn a_streams_pages_keep_the_calls_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::new(config(&server)).unwrap();

    let mut stream = std::pin::pin!(
        client
            .v2()
            .stages()
            .get_stages()
            .retry_policy(RetryPolicy::none())
            .stream()
    );
    let err = futures::StreamExt::next(&mut stream).await.unwrap().unwrap_err();

    assert_eq!(err.attempts(), Some(1));
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_after_the_retries() {
    // Not a dropped MockServer: wiremock pools its servers and keeps them listening.
    let (_socket, address) = common::refusing_address();
    let client = Client::new(
        pipedrive::Config::new(Auth::api_token(SECRET))
            .base_url(format!("http://{address}"))
            .allow_insecure_http(true)
            .retry(common::fast_retries()),
    )
    .unwrap();

    let err = client.v2().stages().get_stages().send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), Some(4), "connection failures of a GET are retried");
    assert_eq!(client.tokens_spent(), 0, "no response, no tokens");
    assert!(err.is_transient());
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_plain_http_base_url_is_refused_unless_allowed() {
    let server = MockServer::start().await;
    let err = Client::new(pipedrive::Config::new(Auth::api_token(SECRET)).base_url(server.uri())).unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
    assert_no_secret(&err);

    let err = Client::new(pipedrive::Config::new(Auth::api_token("bad\ntoken")).base_url(server.uri())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_no_secret_in(&err, "bad\ntoken");
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn the_user_agent_names_both_crates() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok(v2_stage(1))).mount(&server).await;

    client(&server).v2().stages().get_stage(1).send().await.unwrap();

    let request = single_request(&server).await;
    let user_agent = common::header(&request, "user-agent");
    assert!(
        user_agent.starts_with(&format!("{} pipedrive-runtime/", pipedrive::CLIENT_LIBRARY)),
        "{user_agent}"
    );
}

#[tokio::test]
async fn a_user_agent_set_in_the_config_is_kept() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok(v2_stage(1))).mount(&server).await;
    let client = Client::new(config(&server).user_agent("my-app/2.0")).unwrap();

    client.v2().stages().get_stage(1).send().await.unwrap();

    let request = single_request(&server).await;
    let user_agent = common::header(&request, "user-agent");
    assert!(
        user_agent.starts_with(&format!("my-app/2.0 {} pipedrive-runtime/", pipedrive::CLIENT_LIBRARY)),
        "the application leads, then the library, then the runtime: {user_agent}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_wait_budget_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;

    let started = Instant::now();
    let err = client(&server).v2().stages().get_stages().send().await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(hits(&server).await, 1, "waiting an hour would overrun the 60 s budget");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.to_string().contains("3600 s"), "{err}");
    assert_no_secret(&err);
}
