//! Shared fixtures for the integration tests: a generated client pointed at a wiremock server with
//! fast retries, readers for what the server received, response bodies taken from the examples in
//! `spec/pipedrive-v2.yaml` and `spec/pipedrive-v1.yaml`, and the check that no error leaks the token.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::error::Error as _;
use std::time::Duration;

use pipedrive::{Auth, Client, Config, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

/// A distinctive token, so a leak is unmistakable.
pub const SECRET: &str = "SECRET-TOKEN-123";

/// An address where connections are refused: a socket bound there but not listening. Keep the
/// socket until the test ends, so no other test's server can take the port in the meantime
/// (binding a listener, noting its port and closing it leaves that race open).
pub fn refusing_address() -> (tokio::net::TcpSocket, std::net::SocketAddr) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let address = socket.local_addr().unwrap();
    (socket, address)
}

/// Retries as the default policy (3 retries, idempotent methods only), but with millisecond backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// A config for `server` with the given auth and fast retries.
pub fn config_with(server: &MockServer, auth: Auth) -> Config {
    Config::new(auth)
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry(fast_retries())
}

/// A config for `server` with the secret API token and fast retries.
pub fn config(server: &MockServer) -> Config {
    config_with(server, Auth::api_token(SECRET))
}

/// A client for `server` with the secret API token and fast retries.
pub fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

/// Every request `server` received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// How many requests `server` received.
pub async fn hits(server: &MockServer) -> usize {
    received(server).await.len()
}

/// The one request `server` received; fails if it received none or several.
pub async fn single_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    requests.remove(0)
}

/// The value of header `name`, which must be present once and be text.
pub fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "header {name} sent {} times", values.len());
    values[0].to_str().unwrap()
}

/// Asserts method, path and the exact raw query string (`None`: no `?` at all).
pub fn assert_request_line(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method, "method of {}", request.url);
    assert_eq!(request.url.path(), path, "path of {}", request.url);
    assert_eq!(request.url.query(), query, "query of {}", request.url);
}

/// Asserts what every API-token request carries: the token in `x-api-token` (and nowhere else),
/// the generated crate's and the runtime's names and versions in `User-Agent`, `Accept: application/json`.
pub fn assert_api_token_headers(request: &Request) {
    assert_eq!(header(request, "x-api-token"), SECRET);
    assert!(
        request.headers.get("authorization").is_none(),
        "no Authorization header with an API token"
    );
    let user_agent = header(request, "user-agent");
    assert!(user_agent.starts_with("pipedrive/"), "User-Agent {user_agent:?}");
    assert!(
        user_agent.contains(pipedrive::CLIENT_LIBRARY),
        "User-Agent {user_agent:?}"
    );
    assert!(user_agent.contains("pipedrive-runtime/"), "User-Agent {user_agent:?}");
    let version = pipedrive::CLIENT_LIBRARY.trim_start_matches("pipedrive/");
    assert!(
        !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'),
        "pipedrive::CLIENT_LIBRARY {:?} has no version",
        pipedrive::CLIENT_LIBRARY
    );
    assert_eq!(header(request, "accept"), "application/json");
    let url = request.url.as_str();
    assert!(!url.contains(SECRET), "token in the URL: {url}");
    assert!(!url.contains("api_token"), "api_token query parameter in {url}");
}

/// Asserts a request without a body: nothing sent, no content type.
pub fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "unexpected body {:?}",
        String::from_utf8_lossy(&request.body)
    );
    assert!(
        request.headers.get("content-type").is_none(),
        "content-type without a body"
    );
}

/// Asserts a JSON body equal to `expected` (no more and no fewer keys), sent as `application/json`.
pub fn assert_json_body(request: &Request, expected: &Value) {
    assert_eq!(header(request, "content-type"), "application/json");
    let body: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(&body, expected, "raw body {}", String::from_utf8_lossy(&request.body));
}

/// A 200 response with Pipedrive's envelope around `data`.
pub fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "success": true, "data": data }))
}

/// A 200 response with Pipedrive's envelope around `data` and `additional_data`.
pub fn ok_with(data: Value, additional_data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true,
        "data": data,
        "additional_data": additional_data,
    }))
}

/// A v2 stage, as in the spec's examples, with the given id.
pub fn v2_stage(id: i64) -> Value {
    json!({
        "id": id,
        "order_nr": 1,
        "name": "Stage Name",
        "is_deleted": false,
        "deal_probability": 100,
        "pipeline_id": 1,
        "is_deal_rot_enabled": true,
        "days_to_rotten": 2,
        "add_time": "2024-01-01T00:00:00Z",
        "update_time": "2024-01-01T00:00:00Z"
    })
}

/// [`v2_stage`] decoded, field by field.
pub fn v2_stage_decoded(id: i64) -> pipedrive::v2::types::Stage {
    let mut stage = pipedrive::v2::types::Stage::default();
    stage.id = Some(id);
    stage.order_nr = Some(1);
    stage.name = Some("Stage Name".to_owned());
    stage.is_deleted = Some(false);
    stage.deal_probability = Some(100);
    stage.pipeline_id = Some(1);
    stage.is_deal_rot_enabled = Some(true);
    stage.days_to_rotten = Some(2);
    stage.add_time = Some("2024-01-01T00:00:00Z".into());
    stage.update_time = Some("2024-01-01T00:00:00Z".into());
    stage
}

/// A v1 stage (`Stage`), as in the spec's examples.
pub fn v1_stage() -> Value {
    json!({
        "id": 1,
        "order_nr": 1,
        "name": "Stage Name",
        "active_flag": true,
        "deal_probability": 100,
        "pipeline_id": 1,
        "rotten_flag": false,
        "rotten_days": 1,
        "add_time": "2017-08-03 12:51:18",
        "update_time": "2020-03-23 13:15:25"
    })
}

/// [`v1_stage`] decoded, field by field.
pub fn v1_stage_decoded() -> pipedrive::v1::types::Stage {
    let mut stage = pipedrive::v1::types::Stage::default();
    stage.id = Some(1);
    stage.order_nr = Some(1);
    stage.name = Some("Stage Name".to_owned());
    stage.active_flag = Some(true);
    stage.deal_probability = Some(100);
    stage.pipeline_id = Some(1);
    stage.rotten_flag = Some(false);
    stage.rotten_days = Some(1);
    stage.add_time = Some("2017-08-03 12:51:18".into());
    stage.update_time = Some("2020-03-23 13:15:25".into());
    stage
}

/// A v1 deal in a stage, from the spec's `getStageDeals` example, with the given id.
pub fn v1_deal(id: i64) -> Value {
    let mut deal: Value = serde_json::from_str(V1_DEAL_EXAMPLE).expect("the example is JSON");
    deal["id"] = json!(id);
    deal["title"] = json!(format!("Deal {id}"));
    deal
}

/// The deal of the spec's `getStageDeals` example (`id` and `title` are replaced by [`v1_deal`]).
const V1_DEAL_EXAMPLE: &str = r#"{
    "id": 1,
    "creator_user_id": 123,
    "user_id": 456,
    "person_id": 1,
    "org_id": 2,
    "stage_id": 2,
    "title": "Deal One",
    "value": 5000,
    "currency": "EUR",
    "add_time": "2019-05-29 04:21:51",
    "update_time": "2019-05-29 04:21:51",
    "stage_change_time": "2019-11-28 15:41:22",
    "active": true,
    "deleted": false,
    "status": "open",
    "probability": null,
    "next_activity_date": "2019-11-29",
    "next_activity_time": "11:30:00",
    "next_activity_id": 128,
    "last_activity_id": null,
    "last_activity_date": null,
    "lost_reason": null,
    "visible_to": "1",
    "close_time": null,
    "pipeline_id": 1,
    "won_time": "2019-11-27 11:40:36",
    "first_won_time": "2019-11-27 11:40:36",
    "lost_time": "2019-11-27 11:40:36",
    "products_count": 0,
    "files_count": 0,
    "notes_count": 2,
    "followers_count": 0,
    "email_messages_count": 4,
    "activities_count": 1,
    "done_activities_count": 0,
    "undone_activities_count": 1,
    "participants_count": 1,
    "expected_close_date": "2019-06-29",
    "last_incoming_mail_time": "2019-05-29 18:21:42",
    "last_outgoing_mail_time": "2019-05-30 03:45:35",
    "label": "11",
    "stage_order_nr": 2,
    "person_name": "Person",
    "org_name": "Organization",
    "next_activity_subject": "Call",
    "next_activity_type": "call",
    "next_activity_duration": "00:30:00",
    "next_activity_note": "Note content",
    "formatted_value": "€5,000",
    "weighted_value": 5000,
    "formatted_weighted_value": "€5,000",
    "weighted_value_currency": "EUR",
    "rotten_time": null,
    "owner_name": "Creator",
    "cc_email": "company+deal1@pipedrivemail.com",
    "org_hidden": false,
    "person_hidden": false
}"#;

/// The error's Display, Debug and every source's Display and Debug, none of which may hold `secret`.
pub fn assert_no_secret_in(err: &Error, secret: &str) {
    let mut texts = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    let mut source = err.source();
    while let Some(inner) = source {
        texts.push(inner.to_string());
        texts.push(format!("{inner:?}"));
        source = inner.source();
    }
    for text in texts {
        assert!(!text.contains(secret), "token leaked: {text}");
    }
}

/// [`assert_no_secret_in`] for the API token every test client uses.
pub fn assert_no_secret(err: &Error) {
    assert_no_secret_in(err, SECRET);
}
