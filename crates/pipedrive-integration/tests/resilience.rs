//! How generated calls behave when Pipedrive (or something in front of it) does not simply answer
//! 200: retries that honour `Retry-After` and `x-ratelimit-reset`, no retry of POST/PATCH by
//! default, the daily token budget, rate limiting that outlasts the retries, HTML and JSON error
//! bodies, 401 with an API token and with a refreshable OAuth token, timeouts and connection
//! failures, and that no error or `Debug` output ever shows the token.

#![allow(deprecated)] // v1 update_stage (PUT) is used to show that idempotent writes are retried.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{
    SECRET, assert_api_token_headers, assert_no_secret, assert_no_secret_in, client, config, config_with, hits, ok,
    received, single_request, v1_stage, v2_stage, v2_stage_decoded,
};
use pipedrive::RefreshError;
use pipedrive::{Auth, Client, ErrorKind, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{any, header, method};
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
async fn an_html_403_is_an_api_error_with_a_short_snippet() {
    let server = MockServer::start().await;
    let page = format!(
        "<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<h1>Forbidden</h1>\n<p>{}</p>\n</body>\n</html>",
        "Request blocked by the firewall. ".repeat(20)
    );
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_raw(page, "text/html; charset=utf-8"))
        .mount(&server)
        .await;

    let err = client(&server).v2().stages().get_stages().send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Api, "not a decode error: {err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert!(err.api_error().is_none());
    assert!(err.decode_path().is_none());
    let snippet = err.body_snippet().unwrap();
    assert!(
        snippet.starts_with("<html> <head><title>403 Forbidden</title>"),
        "{snippet:?}"
    );
    assert!(snippet.chars().count() <= 201, "{} characters", snippet.chars().count());
    assert!(snippet.ends_with('…'), "{snippet:?}");
    let message = err.to_string();
    assert!(message.contains("403"), "{message}");
    assert!(message.contains("text/html"), "{message}");
    assert!(message.contains("403 Forbidden"), "{message}");
    assert!(message.len() < 600, "the message stays short: {message}");
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_json_error_envelope_is_read_into_api_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-correlation-id", "req-404")
                .set_body_json(json!({
                    "success": false,
                    "error": "Stage not found",
                    "code": "ERR_NOT_FOUND",
                    "error_info": "Please check developers.pipedrive.com for more information about Pipedrive API."
                })),
        )
        .mount(&server)
        .await;

    let err = client(&server).v2().stages().get_stage(404).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let body = err.api_error().unwrap();
    assert_eq!(body.success, Some(false));
    assert_eq!(body.error.as_deref(), Some("Stage not found"));
    assert_eq!(body.code, Some(json!("ERR_NOT_FOUND")));
    assert!(body.error_info.as_deref().unwrap().contains("developers.pipedrive.com"));
    assert_eq!(err.request_id(), Some("req-404"));
    assert!(err.to_string().contains("Stage not found"), "{err}");
    assert!(!err.is_transient());
    assert_eq!(hits(&server).await, 1, "a 404 is not retried");
    assert_no_secret(&err);
}

#[tokio::test]
async fn success_false_in_a_200_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": false, "error": "Nope"})))
        .mount(&server)
        .await;

    let err = client(&server).v2().stages().get_stage(1).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.api_error().unwrap().error.as_deref(), Some("Nope"));
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_token_echoed_by_the_server_is_redacted_from_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "success": false,
            "error": format!("Invalid header x-api-token: {SECRET}"),
            "error_info": format!("sent {SECRET}")
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(format!("<pre>x-api-token: {SECRET}</pre>"), "text/html"))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client.v2().stages().get_stage(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    let body = err.api_error().unwrap();
    assert_eq!(body.error.as_deref(), Some("Invalid header x-api-token: <redacted>"));
    assert_eq!(body.error_info.as_deref(), Some("sent <redacted>"));
    assert_no_secret(&err);

    let err = client.v2().stages().delete_stage(1).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.body_snippet(), Some("<pre>x-api-token: <redacted></pre>"));
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_401_with_an_api_token_is_final_and_says_to_check_the_token() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "success": false,
            "error": "unauthorized access",
            "errorCode": 401
        })))
        .mount(&server)
        .await;

    let err = client(&server).v2().stages().get_stages().send().await.unwrap_err();

    // Bad credentials are `Auth` whether or not a refresh was possible.
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let body = err.api_error().unwrap();
    assert_eq!(body.error.as_deref(), Some("unauthorized access"));
    assert_eq!(body.code, Some(json!(401)), "v1's `errorCode`");
    assert!(err.to_string().contains("API token"), "{err}");
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_401_refreshes_the_oauth_token_once_and_retries_with_the_new_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer old-access-token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"success": false, "error": "token expired"})))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer new-access-token"))
        .respond_with(ok(v2_stage(1)))
        .mount(&server)
        .await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refreshes);
    let auth = Auth::oauth_with_refresh("old-access-token", move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, RefreshError>("new-access-token".to_owned())
        }
    });
    let client = Client::new(config_with(&server, auth)).unwrap();

    let response = client.v2().stages().get_stage(1).send_with_meta().await.unwrap();

    assert_eq!(response.data, v2_stage_decoded(1));
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(common::header(&requests[0], "authorization"), "Bearer old-access-token");
    assert_eq!(common::header(&requests[1], "authorization"), "Bearer new-access-token");
    for request in &requests {
        assert!(request.headers.get("x-api-token").is_none());
        assert_eq!(request.url.path(), "/api/v2/stages/1");
    }

    // The new token is kept, by this client and its clones: no second refresh.
    client.clone().v2().stages().get_stage(1).send().await.unwrap();
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(common::header(&requests[2], "authorization"), "Bearer new-access-token");

    let debug = format!("{client:?}");
    assert!(
        !debug.contains("old-access-token") && !debug.contains("new-access-token"),
        "{debug}"
    );
}

#[tokio::test]
async fn a_401_after_refreshing_is_an_auth_error_without_the_tokens() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"success": false, "error": "unauthorized"})))
        .mount(&server)
        .await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refreshes);
    let auth = Auth::oauth_with_refresh("old-access-token", move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, RefreshError>("new-access-token".to_owned())
        }
    });
    let client = Client::new(config_with(&server, auth)).unwrap();

    let err = client.v2().stages().get_stages().send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(hits(&server).await, 2, "one retry with the new token, no more");
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    assert!(err.to_string().contains("deals:read"), "names the scopes: {err}");
    assert_no_secret_in(&err, "old-access-token");
    assert_no_secret_in(&err, "new-access-token");
}

#[tokio::test]
async fn a_failing_refresher_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let auth = Auth::oauth_with_refresh("old-access-token", || async {
        Err::<String, RefreshError>("refresh token revoked".into())
    });
    let client = Client::new(config_with(&server, auth)).unwrap();

    let err = client.v2().stages().get_stage(1).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(hits(&server).await, 1);
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "refresh token revoked");
    assert_no_secret_in(&err, "old-access-token");
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

#[tokio::test]
async fn concurrent_401s_share_one_token_refresh() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer old-access-token"))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(100)))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer new-access-token"))
        .respond_with(ok(v2_stage(1)))
        .mount(&server)
        .await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refreshes);
    let auth = Auth::oauth_with_refresh("old-access-token", move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, RefreshError>("new-access-token".to_owned())
        }
    });
    let client = Client::new(config_with(&server, auth)).unwrap();

    let (first, second) = tokio::join!(
        client.v2().stages().get_stage(1).send(),
        client.clone().v2().stages().get_stage(1).send()
    );

    assert_eq!(first.unwrap(), v2_stage_decoded(1));
    assert_eq!(second.unwrap(), v2_stage_decoded(1));
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one refresh serves both calls");
    assert_eq!(hits(&server).await, 4, "each call: one 401, one success");
}
