//! How generated calls report what Pipedrive (or something in front of it) refuses: HTML and
//! JSON error bodies, `success: false` in a 200, a 401 with an API token and with a refreshable
//! OAuth token (one refresh, shared by concurrent calls), a failing refresher, and that no error
//! or `Debug` output ever shows a token, even one the server echoes back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{
    SECRET, assert_no_secret, assert_no_secret_in, client, config_with, hits, ok, received, v2_stage, v2_stage_decoded,
};
use pipedrive::RefreshError;
use pipedrive::{Auth, Client, ErrorKind};
use serde_json::json;
use wiremock::matchers::{any, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
