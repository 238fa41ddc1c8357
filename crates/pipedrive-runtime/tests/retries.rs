//! Retry behaviour: which statuses and methods are retried, how long the client waits, the total
//! budget, the daily token budget, transport failures and timeouts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::time::{Duration, Instant};

use common::{ADD_STAGE, assert_no_secret, client, config, fast_retries, get_stages, hits};
use pipedrive_runtime::{Client, ErrorKind, Method, Operation, Request, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [1, 2]}))
}

/// Mounts `failures` responses of `template`, then success.
async fn fail_then_succeed(server: &MockServer, template: ResponseTemplate, failures: u64) {
    Mock::given(method("GET"))
        .respond_with(template.clone())
        .up_to_n_times(failures)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .respond_with(template)
        .up_to_n_times(failures)
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ok())
        .mount(server)
        .await;
}

#[tokio::test]
async fn retryable_statuses_are_retried() {
    for status in [429, 502, 503, 504] {
        let server = MockServer::start().await;
        fail_then_succeed(
            &server,
            ResponseTemplate::new(status).insert_header("retry-after", "0"),
            1,
        )
        .await;
        let response = client(&server).send_list::<i64>(get_stages()).await.unwrap();
        assert_eq!(response.meta.attempts, 2, "status {status}");
        assert_eq!(response.data, vec![1, 2]);
        assert_eq!(hits(&server).await, 2, "status {status}");
    }
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [400, 404, 500] {
        let server = MockServer::start().await;
        fail_then_succeed(&server, ResponseTemplate::new(status), 1).await;
        let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.attempts(), Some(1));
        assert_eq!(hits(&server).await, 1);
    }
}

#[tokio::test]
async fn backoff_without_retry_after_uses_the_configured_delays() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(502), 3).await;
    let started = Instant::now();
    let response = client(&server).send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(response.meta.attempts, 4);
    // Three backoffs capped at 5 ms each; generous bound against slow CI.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(503).insert_header("retry-after", "1"), 1).await;
    let started = Instant::now();
    let response = client(&server).send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(response.meta.attempts, 2);
    // Backoff alone would be at most 5 ms: waiting ~1 s shows the header won.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn x_ratelimit_reset_is_honoured_on_429() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "1"),
        1,
    )
    .await;
    let started = Instant::now();
    let response = client(&server).send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(response.meta.attempts, 2);
    assert!(started.elapsed() >= Duration::from_millis(950));
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
        10,
    )
    .await;
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.attempts(), Some(4));
    assert_eq!(hits(&server).await, 4);
    assert!(
        err.to_string()
            .starts_with("getStages: rate limited (429) after 4 attempts;"),
        "{err}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(503).insert_header("retry-after", "0"), 1).await;
    let err = client(&server)
        .send_json::<Option<()>>(Request::new(&ADD_STAGE, "/api/v2/stages".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(hits(&server).await, 1);
    assert!(err.is_transient());
}

static UPDATE_STAGE: Operation = Operation {
    id: "updateStage",
    api: "v2",
    method: Method::Patch,
    path: "/api/v2/stages/{id}",
    token_cost: 5,
    oauth_scopes: &["deals:full"],
    deprecated: false,
};

/// A 429 asks to come back later, but a POST or PATCH that is sent again may take effect twice:
/// without the opt-in it is reported, with the server's delay, and not waited for.
#[tokio::test]
async fn post_and_patch_are_not_retried_after_429_by_default() {
    for (operation, path) in [(&ADD_STAGE, "/api/v2/stages"), (&UPDATE_STAGE, "/api/v2/stages/5")] {
        let server = MockServer::start().await;
        // One 429, then success: a retry would succeed, so only its absence fails the call.
        Mock::given(method(operation.method.as_str()))
            // A delay far above the bound below: a retry would wait it, a loaded machine would not.
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ok())
            .mount(&server)
            .await;
        let started = Instant::now();
        let err = Client::new(config(&server).retry(RetryPolicy::new()))
            .unwrap()
            .send_json::<serde_json::Value>(Request::new(operation, path.to_owned()))
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10), "{}: waited", operation.id);
        assert_eq!(hits(&server).await, 1, "{}", operation.id);
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{}", operation.id);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(err.attempts(), Some(1));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
        assert!(
            err.to_string().ends_with(
                "POST and PATCH are not retried unless RetryPolicy::retry_non_idempotent(true); slow down or opt in."
            ),
            "{err}"
        );
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn post_is_retried_when_opted_in() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(503).insert_header("retry-after", "0"), 1).await;
    let client = Client::new(config(&server).retry(fast_retries().retry_non_idempotent(true))).unwrap();
    let response = client
        .send_json::<Vec<i64>>(Request::new(&ADD_STAGE, "/api/v2/stages".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.meta.attempts, 2);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(429).insert_header("retry-after", "0"), 1).await;
    let client = Client::new(config(&server).retry(RetryPolicy::none())).unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_wait_beyond_the_total_budget_stops_at_once() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "30")
            .insert_header("x-ratelimit-reset", "30")
            .insert_header("x-ratelimit-remaining", "0"),
        1,
    )
    .await;
    let client = Client::new(config(&server).retry(fast_retries().max_total_wait(Duration::from_secs(1)))).unwrap();
    let started = Instant::now();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "must not sleep");
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(err.rate_limit().unwrap().remaining, Some(0));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(
        err.to_string(),
        "getStages: rate limited (429) after 1 attempt; the limit resets in 30 s. \
         Slow down or raise RetryPolicy::max_total_wait."
    );
}

#[tokio::test]
async fn reset_time_comes_from_x_ratelimit_reset_without_retry_after() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "2"),
        1,
    )
    .await;
    let client = Client::new(config(&server).retry(fast_retries().max_total_wait(Duration::from_secs(1)))).unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert!(err.to_string().contains("resets in 2 s"), "{err}");
}

/// A 429 with fewer daily tokens left than the call costs: retrying within the day cannot
/// succeed. With enough left for it, the 429 is the per-window limit and is retried.
#[tokio::test]
async fn a_daily_budget_short_of_the_calls_cost_is_not_retried() {
    let server = MockServer::start().await;
    let short_429 = |left: &str| {
        ResponseTemplate::new(429)
            .insert_header("retry-after", "0")
            .insert_header("x-daily-ratelimit-token-limit", "30000")
            .insert_header("x-daily-ratelimit-token-remaining", left)
    };
    fail_then_succeed(&server, short_429("4"), 5).await;
    // getStages costs 5 tokens.
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DailyBudgetExhausted);
    assert_eq!(hits(&server).await, 1);
    assert!(
        err.to_string()
            .contains("(x-daily-ratelimit-token-remaining: 4, fewer than the 5 this call costs)"),
        "{err}"
    );

    let server = MockServer::start().await;
    fail_then_succeed(&server, short_429("5"), 1).await;
    let stages = client(&server).send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(
        stages.data,
        [1, 2],
        "enough left for the call: an ordinary 429, retried"
    );
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn exhausted_daily_budget_is_not_retried() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "0")
            .insert_header("x-daily-ratelimit-token-limit", "30000")
            .insert_header("x-daily-ratelimit-token-remaining", "0")
            .set_body_json(json!({"success": false, "error": "Daily limit reached"})),
        5,
    )
    .await;
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DailyBudgetExhausted);
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(hits(&server).await, 1);
    assert_eq!(err.rate_limit().unwrap().daily_token_limit, Some(30000));
    assert_eq!(err.rate_limit().unwrap().daily_token_remaining, Some(0));
    assert_eq!(err.api_error().unwrap().error.as_deref(), Some("Daily limit reached"));
    assert_eq!(
        err.to_string(),
        "getStages: the company's daily API token budget is exhausted \
         (x-daily-ratelimit-token-remaining: 0); it is renewed at the start of the next day; not retried."
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn negative_daily_remaining_also_counts_as_exhausted() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429).insert_header("x-daily-ratelimit-token-remaining", "-40"),
        5,
    )
    .await;
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DailyBudgetExhausted);
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let (_socket, address) = common::refusing_address();
    let port = address.port();
    let client = Client::new(
        pipedrive_runtime::Config::new(pipedrive_runtime::Auth::api_token(common::SECRET))
            .base_url(format!("http://127.0.0.1:{port}"))
            .allow_insecure_http(true)
            .retry(fast_retries().max_retries(2)),
    )
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), Some(3));
    assert!(std::error::Error::source(&err).is_some());
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "getStages (GET /api/v2/stages): could not connect to http://127.0.0.1:{port} (3 attempts):"
        )),
        "{message}"
    );
    assert_eq!(client.tokens_spent(), 0, "no response, no tokens");
    assert_no_secret(&err);
}

#[tokio::test]
async fn slow_responses_time_out_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = Client::new(
        config(&server)
            .timeout(Duration::from_millis(50))
            .retry(fast_retries().max_retries(1)),
    )
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.attempts(), Some(2));
    assert!(
        err.to_string()
            .contains("no complete response within 50 ms (2 attempts)"),
        "{err}"
    );
    assert_no_secret(&err);
}
