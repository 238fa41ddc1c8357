//! Where requests go and what the client sends them with: redirects followed only to the same
//! host (a token never leaves for another one), redirect loops, and an HTTP client the caller
//! brings, with or without its own redirect policy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{GET_STAGE, SECRET, Stage, assert_no_secret, client, config, get_stage, hits};
use pipedrive_runtime::{Client, ErrorKind, Request, reqwest};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn same_host_redirects_are_followed_cross_host_ones_are_not() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/api/v2/stages/5"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/api/v2/stages/6"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/stages/6"))
        .and(header("x-api-token", SECRET))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "data": {"id": 6, "days_to_rotten": null}})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/stages/7"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;

    let client = client(&server);
    let stage = client.send_json::<Stage>(get_stage()).await.unwrap();
    assert_eq!(stage.data.id, 6);

    let err = client
        .send_json::<Stage>(Request::new(&GET_STAGE, "/api/v2/stages/7".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert!(err.to_string().contains("was not followed"), "{err}");
    assert_eq!(hits(&elsewhere).await, 0, "the token must not go to another host");
}

/// reqwest counts another host *or port* as another origin (and drops `Authorization` for it);
/// the default client's policy must also refuse a host that differs by name only: `localhost`
/// and `127.0.0.1` reach the same server here, so a followed redirect would show up on it.
#[tokio::test]
async fn a_redirect_to_the_same_server_under_another_host_name_is_not_followed() {
    let server = MockServer::start().await;
    let port = server.address().port();
    Mock::given(path("/api/v2/stages/5"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("http://localhost:{port}/steal").as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(path("/steal"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    // Not a transport error: had the redirect been followed and `localhost` failed to connect,
    // this test would pass for the wrong reason.
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert!(
        err.to_string().contains("redirect to localhost was not followed"),
        "{err}"
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/api/v2/stages/5");
    assert_no_secret(&err);
}

/// A client built by the caller is the one requests go through, with the runtime's headers.
#[tokio::test]
async fn a_user_supplied_http_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {"id": 5, "days_to_rotten": 2}})),
        )
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert(
        "x-built-by",
        reqwest::header::HeaderValue::from_static("the-application"),
    );
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(defaults)
        .user_agent("app-client/1.0")
        .build()
        .unwrap();
    let client = Client::new(config(&server).http_client(http)).unwrap();
    let stage = client.send_json::<Stage>(get_stage()).await.unwrap();
    assert_eq!(stage.data.id, 5);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let headers = &requests[0].headers;
    assert_eq!(
        headers["x-built-by"], "the-application",
        "sent through the given client"
    );
    assert_eq!(headers["x-api-token"], SECRET);
    let user_agent = headers["user-agent"].to_str().unwrap();
    assert!(user_agent.starts_with("pipedrive-runtime/"), "{user_agent}");
}

/// With `Policy::none()`, as `Config::http_client` tells, a cross-host redirect reaches no one.
#[tokio::test]
async fn a_user_supplied_client_without_redirects_keeps_the_token_home() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    redirect_elsewhere(&server, &elsewhere).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::new(config(&server).http_client(http)).unwrap();
    let err = client.send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(hits(&elsewhere).await, 0);
    assert_no_secret(&err);
}

/// A client with reqwest's default policy follows a redirect to another host (another port
/// counts, as it does for reqwest) and takes `x-api-token` along. The runtime cannot prevent
/// that, but refuses the answer and says how to build the client.
#[tokio::test]
async fn a_user_supplied_client_that_follows_a_cross_host_redirect_is_refused() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    redirect_elsewhere(&server, &elsewhere).await;
    let http = reqwest::Client::new();
    let client = Client::new(config(&server).http_client(http)).unwrap();
    let err = client.send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert_eq!(err.attempts(), Some(1), "not retried");
    assert_eq!(err.status(), None, "the other host's answer is not passed on");
    let message = err.to_string();
    assert!(
        message.contains(&format!(
            "followed a redirect from {} to {}",
            server.uri(),
            elsewhere.uri()
        )),
        "{message}"
    );
    assert!(message.contains("sent the API token (x-api-token)"), "{message}");
    assert!(message.contains("reqwest::redirect::Policy::none()"), "{message}");
    assert!(!message.contains("/steal"), "only the origin is named: {message}");
    assert_no_secret(&err);
    // What the message warns about: reqwest forwarded the token.
    let stolen = elsewhere.received_requests().await.unwrap();
    assert_eq!(stolen.len(), 1);
    assert_eq!(stolen[0].headers["x-api-token"], SECRET);
}

/// `GET /api/v2/stages/5` on `server` answers 302 to `/steal` on `elsewhere`, which answers 200
/// with a stage, so a followed redirect would look like success.
async fn redirect_elsewhere(server: &MockServer, elsewhere: &MockServer) {
    Mock::given(path("/api/v2/stages/5"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/steal?x=1", elsewhere.uri()).as_str()),
        )
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {"id": 6, "days_to_rotten": 1}})),
        )
        .mount(elsewhere)
        .await;
}

/// A redirect loop fails the same way on every attempt: it is reported once, not retried.
#[tokio::test]
async fn a_redirect_loop_is_a_transport_error_that_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/stages/5"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/api/v2/stages/5"))
        .mount(&server)
        .await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), Some(1), "{err}");
    assert!(err.to_string().contains("was sent round in redirects by"), "{err}");
    // The first request and the redirects the default client follows before it gives up.
    assert_eq!(hits(&server).await, 11);
    assert_no_secret(&err);
}
