//! Pipedrive's OAuth token endpoint: the code exchange and refresh requests as sent, the refresher
//! that follows rotated refresh tokens through a client's 401s, and secrets kept out of errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{assert_no_secret, config_with, get_stages, hits};
use pipedrive_runtime::{Auth, Client, ErrorKind, OAuthApp, OAuthTokens};
use serde_json::{Value, json};
use wiremock::matchers::{body_string, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "my-app";
const CLIENT_SECRET: &str = "APP-SECRET-TOKEN-123";
/// `Basic base64("my-app:APP-SECRET-TOKEN-123")`.
const BASIC: &str = "Basic bXktYXBwOkFQUC1TRUNSRVQtVE9LRU4tMTIz";

fn app(server: &MockServer) -> OAuthApp {
    OAuthApp::new(CLIENT_ID, CLIENT_SECRET)
        .token_url(format!("{}/oauth/token", server.uri()))
        .allow_insecure_http(true)
}

fn tokens(access: &str, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "scope": "deals:read,base",
        "expires_in": 3599,
        "api_domain": "https://acme.pipedrive.com",
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = Value::from(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// An API request sent with `token`.
fn bearer(token: &str) -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {token}").as_str())
}

/// A page of one stage, `[1]`.
fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [1]}))
}

#[tokio::test]
async fn a_code_is_exchanged_with_basic_auth_and_a_form_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("accept", "application/json"))
        .and(body_string(
            "grant_type=authorization_code&code=CODE-TOKEN-123&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback",
        ))
        .respond_with(tokens("ACCESS-TOKEN-123", Some("REFRESH-TOKEN-123")))
        .expect(1)
        .mount(&server)
        .await;
    let got = app(&server)
        .exchange_code("CODE-TOKEN-123", "https://example.com/callback")
        .await
        .unwrap();
    assert_eq!(got.access_token.expose(), "ACCESS-TOKEN-123");
    assert_eq!(got.refresh_token.expose(), "REFRESH-TOKEN-123");
    assert_eq!(got.token_type.as_deref(), Some("Bearer"));
    assert_eq!(got.scope.as_deref(), Some("deals:read,base"));
    assert_eq!(got.expires_in, Some(Duration::from_secs(3599)));
    assert_eq!(got.api_domain.as_deref(), Some("https://acme.pipedrive.com"));
    let debug = format!("{got:?} {:?}", app(&server));
    assert!(!debug.contains("TOKEN-123"), "{debug}");
    assert!(debug.contains(CLIENT_ID), "the client id is not a secret: {debug}");
}

/// An answer without a new refresh token means the one sent stays valid.
#[tokio::test]
async fn a_refresh_sends_the_refresh_token_and_keeps_it_when_the_answer_has_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", BASIC))
        .and(body_string("grant_type=refresh_token&refresh_token=R0-TOKEN-123"))
        .respond_with(tokens("A1-TOKEN-123", None))
        .expect(1)
        .mount(&server)
        .await;
    let got = app(&server).refresh("R0-TOKEN-123").await.unwrap();
    assert_eq!(got.access_token.expose(), "A1-TOKEN-123");
    assert_eq!(got.refresh_token.expose(), "R0-TOKEN-123");
}

/// The access token runs out twice; each refresh sends the refresh token the one before handed
/// out, and the application hears of every new one.
#[tokio::test]
async fn the_refresher_follows_rotated_refresh_tokens_through_a_clients_401s() {
    let server = MockServer::start().await;
    let unauthorized = || ResponseTemplate::new(401).set_body_json(json!({"success": false, "error": "unauthorized"}));
    Mock::given(bearer("A0-TOKEN-123"))
        .respond_with(unauthorized())
        .mount(&server)
        .await;
    // A1 works once, then has expired.
    Mock::given(bearer("A1-TOKEN-123"))
        .respond_with(ok())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(bearer("A1-TOKEN-123"))
        .respond_with(unauthorized())
        .mount(&server)
        .await;
    Mock::given(bearer("A2-TOKEN-123"))
        .respond_with(ok())
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .and(body_string_contains("refresh_token=R0-TOKEN-123"))
        .respond_with(tokens("A1-TOKEN-123", Some("R1-TOKEN-123")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token"))
        .and(body_string_contains("refresh_token=R1-TOKEN-123"))
        .respond_with(tokens("A2-TOKEN-123", Some("R2-TOKEN-123")))
        .expect(1)
        .mount(&server)
        .await;

    let stored: Arc<Mutex<Vec<String>>> = Arc::default();
    let store = Arc::clone(&stored);
    let refresher = app(&server).refresher("R0-TOKEN-123", move |fresh: &OAuthTokens| {
        store.lock().unwrap().push(fresh.refresh_token.expose().to_owned());
    });
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh("A0-TOKEN-123", refresher.clone()),
    ))
    .unwrap();

    for _ in 0..2 {
        let page = client.send_list::<i64>(get_stages()).await.unwrap();
        assert_eq!(page.data, [1]);
        assert_eq!(page.meta.attempts, 2, "a 401, then the retry with the new token");
    }
    assert_eq!(*stored.lock().unwrap(), ["R1-TOKEN-123", "R2-TOKEN-123"]);
    assert_eq!(refresher.refresh_token().expose(), "R2-TOKEN-123");
    assert_eq!(hits(&server).await, 6);
    let debug = format!("{refresher:?} {client:?}");
    assert!(!debug.contains("TOKEN-123"), "{debug}");
}

/// The endpoint's refusal is an auth error with its status and reason, without the app's secret
/// or the refresh token even when the answer quotes them; through a client too.
#[tokio::test]
async fn a_refused_refresh_is_an_auth_error_that_keeps_the_secrets_out() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "success": false,
            "message": format!("Invalid refresh token R0-TOKEN-123 for client {CLIENT_ID}:{CLIENT_SECRET}"),
        })))
        .mount(&server)
        .await;
    let err = app(&server).refresh("R0-TOKEN-123").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(
        err.to_string().starts_with(
            "refresh-tokens: Pipedrive's OAuth token endpoint answered 400 Bad Request: Invalid refresh token <redacted> for client my-app:<redacted>;"
        ),
        "{err}"
    );
    assert_no_secret(&err);

    // OAuth's own error shape: the description, then the code.
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "Invalid refresh token R0-TOKEN-123",
        })))
        .mount(&server)
        .await;
    let err = app(&server).refresh("R0-TOKEN-123").await.unwrap_err();
    assert!(
        err.to_string()
            .contains("answered 400 Bad Request: Invalid refresh token <redacted> [invalid_grant];"),
        "{err}"
    );
    assert_no_secret(&err);

    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = Client::new(config_with(
        &server,
        Auth::oauth_with_refresh("A0-TOKEN-123", app(&server).refresher("R0-TOKEN-123", |_| {})),
    ))
    .unwrap();
    let err = client.send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(
        std::error::Error::source(&err).is_some_and(|source| source.to_string().contains("answered 400 Bad Request")),
        "the token endpoint's refusal is the source: {err:?}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn an_answer_without_an_access_token_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"refresh_token": "R1-TOKEN-123"})))
        .mount(&server)
        .await;
    let err = app(&server).refresh("R0-TOKEN-123").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(
        err.to_string(),
        "refresh-tokens: could not read the OAuth token endpoint's answer: missing field `access_token`"
    );
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": ["A1-TOKEN-123"]})))
        .with_priority(1)
        .mount(&server)
        .await;
    let err = app(&server).refresh("R0-TOKEN-123").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_no_secret(&err);
}

/// The app's secret and the tokens never travel unencrypted unless a test says so.
#[tokio::test]
async fn plain_http_and_other_schemes_are_refused_before_sending() {
    let server = MockServer::start().await;
    let plain = OAuthApp::new(CLIENT_ID, CLIENT_SECRET).token_url(format!("{}/oauth/token", server.uri()));
    let err = plain.refresh("R0-TOKEN-123").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("OAuthApp::allow_insecure_http(true)"), "{err}");
    assert_no_secret(&err);
    let err = plain
        .token_url("ftp://example.com/token")
        .exchange_code("CODE-TOKEN-123", "https://example.com/callback")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().starts_with("get-tokens: the OAuth token URL"), "{err}");
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn an_unreachable_or_slow_endpoint_is_a_transport_or_timeout_error() {
    let (_socket, address) = common::refusing_address();
    let err = OAuthApp::new(CLIENT_ID, CLIENT_SECRET)
        .token_url(format!("http://{address}/oauth/token"))
        .allow_insecure_http(true)
        .refresh("R0-TOKEN-123")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(
        err.to_string().starts_with(&format!(
            "refresh-tokens: could not reach the OAuth token endpoint http://{address}/oauth/token: "
        )),
        "{err}"
    );
    assert_no_secret(&err);

    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(tokens("A1-TOKEN-123", None).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let err = app(&server)
        .timeout(Duration::from_millis(100))
        .refresh("R0-TOKEN-123")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("raise OAuthApp::timeout"), "{err}");
}

/// Two clients share one refresher and meet a 401 at the same time: the second refresh waits for
/// the first and sends the refresh token it handed out, never the one it replaced.
#[tokio::test]
async fn clients_sharing_a_refresher_refresh_one_after_the_other() {
    let server = MockServer::start().await;
    Mock::given(bearer("A0-TOKEN-123"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(bearer("A1-TOKEN-123"))
        .respond_with(ok())
        .mount(&server)
        .await;
    Mock::given(bearer("A2-TOKEN-123"))
        .respond_with(ok())
        .mount(&server)
        .await;
    // Slow answers, so the second refresh starts while the first is in flight.
    let slow = |access: &str, refresh: &str| tokens(access, Some(refresh)).set_delay(Duration::from_millis(200));
    Mock::given(body_string_contains("refresh_token=R0-TOKEN-123"))
        .respond_with(slow("A1-TOKEN-123", "R1-TOKEN-123"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(body_string_contains("refresh_token=R1-TOKEN-123"))
        .respond_with(slow("A2-TOKEN-123", "R2-TOKEN-123"))
        .expect(1)
        .mount(&server)
        .await;
    let refresher = app(&server).refresher("R0-TOKEN-123", |_| {});
    let client = |refresher| {
        Client::new(config_with(
            &server,
            Auth::oauth_with_refresh("A0-TOKEN-123", refresher),
        ))
        .unwrap()
    };
    let (one, two) = (client(refresher.clone()), client(refresher.clone()));
    let (a, b) = tokio::join!(one.send_list::<i64>(get_stages()), two.send_list::<i64>(get_stages()));
    assert_eq!(a.unwrap().data, [1]);
    assert_eq!(b.unwrap().data, [1]);
    assert_eq!(refresher.refresh_token().expose(), "R2-TOKEN-123");
}

/// A redirect is not followed: a 307 would resend the form, refresh token included, to wherever
/// it points. It is reported like any other refusal.
#[tokio::test]
async fn a_redirect_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/elsewhere", server.uri())))
        .mount(&server)
        .await;
    let err = app(&server).refresh("R0-TOKEN-123").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307));
    assert_eq!(hits(&server).await, 1);
    let sent = &server.received_requests().await.unwrap()[0];
    let agent = sent
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(agent.starts_with("pipedrive-runtime/"), "{agent}");
}

/// The install page: the app's client id, the callback and the state, each percent-encoded.
#[test]
fn the_authorize_url_carries_the_client_id_callback_and_state() {
    let app = OAuthApp::new(CLIENT_ID, CLIENT_SECRET);
    assert_eq!(
        app.authorize_url("https://example.com/callback?from=pd", Some("a b&c=d")),
        "https://oauth.pipedrive.com/oauth/authorize?client_id=my-app\
         &redirect_uri=https%3A%2F%2Fexample.com%2Fcallback%3Ffrom%3Dpd&state=a%20b%26c%3Dd"
    );
    assert_eq!(
        app.authorize_url("https://example.com/callback", None),
        "https://oauth.pipedrive.com/oauth/authorize?client_id=my-app&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback"
    );
    assert!(
        !app.authorize_url("https://example.com/callback", None)
            .contains("SECRET")
    );
}

/// The token endpoint's answer is read within a small limit: an endless one fails at once.
#[tokio::test]
async fn an_endless_answer_from_the_token_endpoint_fails_at_its_limit() {
    let server = common::raw::serve(|mut socket, _| async move {
        common::raw::endless_chunked_body(&mut socket, 64 * 1024 * 1024).await;
    })
    .await;
    let app = OAuthApp::new(CLIENT_ID, CLIENT_SECRET)
        .token_url(format!("{}/oauth/token", server.uri()))
        .allow_insecure_http(true);
    let started = std::time::Instant::now();
    let err = app.refresh("REFRESH-TOKEN-123").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    assert!(err.to_string().contains("is OAuthApp::token_url right?"), "{err}");
    assert_no_secret(&err);
}
