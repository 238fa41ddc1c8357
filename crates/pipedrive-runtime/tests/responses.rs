//! Decoding success bodies and reporting failures: envelopes, lists, error bodies, decode paths,
//! rate-limit metadata and token accounting. Redirects and a caller's HTTP client are `redirects`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{
    GET_STAGE, GET_STAGE_DEALS, SECRET, Stage, assert_no_secret, client, config_with, get_stage, get_stages, hits,
};
use pipedrive_runtime::{Auth, Client, ErrorKind, Request, reqwest};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(server: &MockServer, template: ResponseTemplate) {
    Mock::given(method("GET")).respond_with(template).mount(server).await;
}

#[tokio::test]
async fn envelope_data_and_additional_data_are_decoded() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-correlation-id", "abc-123")
            .set_body_json(json!({
                "success": true,
                "data": {"id": 5, "days_to_rotten": null},
                "additional_data": {"note": "x"},
                "related_objects": {}
            })),
    )
    .await;
    let response = client(&server).send_json::<Stage>(get_stage()).await.unwrap();
    assert_eq!(response.meta.request_id.as_deref(), Some("abc-123"));
    assert_eq!(response.meta.operation_id, "getStage");
    assert_eq!(response.meta.token_cost, 1);
    assert_eq!(response.meta.attempts, 1);
    assert_eq!(response.additional_data, Some(json!({"note": "x"})));
    let data = response.map(|stage| stage.id).into_data();
    assert_eq!(data, 5);
}

/// `additional_data` as an operation documents it.
#[derive(Debug, Deserialize, PartialEq)]
struct Paging {
    pagination: Option<Pagination>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Pagination {
    start: Option<i64>,
    more_items_in_collection: Option<bool>,
}

/// `related_objects` of a v1 list: the users its items refer to, by id.
#[derive(Debug, Deserialize, PartialEq)]
struct Related {
    user: std::collections::BTreeMap<String, User>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    name: String,
}

#[tokio::test]
async fn related_objects_and_documented_additional_data_are_decoded_beside_the_list() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "data": [{"id": 1, "days_to_rotten": null}],
            "additional_data": {"pagination": {"start": 0, "more_items_in_collection": true, "next_start": 1}},
            "related_objects": {"user": {"7": {"name": "Ada"}}}
        })),
    )
    .await;
    let page = client(&server)
        .send_list_envelope::<Stage, Paging, Related>(get_stages(), pipedrive_runtime::ListAt::Data)
        .await
        .unwrap();
    assert_eq!(
        page.data,
        [Stage {
            id: 1,
            days_to_rotten: None
        }]
    );
    let related = page.related_objects.as_ref().unwrap();
    assert_eq!(related.user["7"].name, "Ada");
    let paging = page.additional_data.as_ref().unwrap();
    assert_eq!(paging.pagination.as_ref().unwrap().more_items_in_collection, Some(true));
    // The pagination readers see what was sent, whatever the documented type keeps of it.
    assert_eq!(page.offset_pagination().unwrap().next_start, Some(1));
    assert_eq!(paging.pagination.as_ref().unwrap().start, Some(0));
}

#[tokio::test]
async fn additional_data_of_another_shape_than_documented_is_a_decode_error_at_its_path() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "data": [],
            "additional_data": {"pagination": {"start": "first"}}
        })),
    )
    .await;
    let err = client(&server)
        .send_list_envelope::<Stage, Paging, serde_json::Value>(get_stages(), pipedrive_runtime::ListAt::Data)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let message = err.to_string();
    assert!(message.contains("additional_data.pagination.start"), "{message}");
}

#[tokio::test]
async fn v1_null_data_is_an_empty_list() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "data": null,
            "additional_data": {"pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}}
        })),
    )
    .await;
    let request = Request::new(&GET_STAGE_DEALS, "/v1/stages/5/deals".to_owned());
    let response = client(&server).send_list::<Stage>(request.clone()).await.unwrap();
    assert!(response.data.is_empty());
    // send_json with a Vec would be a decode error at `data`: send_list exists for this.
    let err = client(&server).send_json::<Vec<Stage>>(request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.decode_path(), Some("data"));
}

#[tokio::test]
async fn decode_errors_name_the_path_and_operation() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "data": [
                {"id": 1, "days_to_rotten": 3},
                {"id": 2, "days_to_rotten": null},
                {"id": 3, "days_to_rotten": "x"}
            ]
        })),
    )
    .await;
    let err = client(&server).send_list::<Stage>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.operation_id(), Some("getStages"));
    assert_eq!(err.decode_path(), Some("data[2].days_to_rotten"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(
        err.to_string(),
        "getStages: could not decode the response at `data[2].days_to_rotten`: \
         invalid type: string \"x\", expected i64"
    );
    assert!(std::error::Error::source(&err).is_some());
    assert_no_secret(&err);
}

#[tokio::test]
async fn json_error_envelope_is_parsed() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(404)
            .insert_header("x-correlation-id", "req-9")
            .set_body_json(json!({
                "success": false,
                "error": "Stage not found",
                "error_info": "Please check developers.pipedrive.com",
                "code": "ERR_NOT_FOUND",
                "data": null
            })),
    )
    .await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.request_id(), Some("req-9"));
    let body = err.api_error().unwrap();
    assert_eq!(body.success, Some(false));
    assert_eq!(body.error.as_deref(), Some("Stage not found"));
    assert_eq!(body.code, Some(json!("ERR_NOT_FOUND")));
    assert!(err.body_snippet().is_none());
    assert_eq!(
        err.to_string(),
        "getStage (GET /api/v2/stages/{id}): Pipedrive answered 404 Not Found: \"Stage not found\" \
         (error_info: Please check developers.pipedrive.com) [code ERR_NOT_FOUND]. \
         Check the id, and that the base URL or company domain is right."
    );
    assert!(!err.is_transient());
}

#[tokio::test]
async fn numeric_error_codes_are_kept() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(400).set_body_json(json!({"success": false, "error": "Bad", "code": 12})),
    )
    .await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.api_error().unwrap().code, Some(json!(12)));
}

#[tokio::test]
async fn a_403_for_an_oauth_client_names_the_scopes_that_allow_the_call() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(403).set_body_json(json!({"success": false, "error": "Forbidden"})),
    )
    .await;
    let client = Client::new(config_with(&server, Auth::oauth(SECRET))).unwrap();
    let err = client.send_json::<Stage>(get_stage()).await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("or the OAuth app lacks a scope (one of: deals:read)"),
        "{message}"
    );
    assert_no_secret(&err);
}

#[tokio::test]
async fn html_error_page_becomes_an_api_error_with_a_redacted_snippet() {
    let server = MockServer::start().await;
    let page = format!(
        "<html>\n<head><title>403 Forbidden</title></head>\n<body><h1>Forbidden</h1>\
         <p>request headers: x-api-token: {SECRET}</p>{}</body></html>",
        "padding ".repeat(100)
    );
    serve(&server, ResponseTemplate::new(403).set_body_raw(page, "text/html")).await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api, "a non-JSON error is not a decode error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert!(err.api_error().is_none());
    let snippet = err.body_snippet().unwrap();
    assert!(
        snippet.starts_with("<html> <head><title>403 Forbidden</title></head>"),
        "{snippet}"
    );
    assert!(snippet.contains("x-api-token: <redacted>"), "{snippet}");
    assert!(snippet.chars().count() <= 201);
    let message = err.to_string();
    assert!(
        message.starts_with(
            "getStage (GET /api/v2/stages/{id}): Pipedrive answered 403 Forbidden with a non-JSON body (text/html):"
        ),
        "{message}"
    );
    // An API-token client has no OAuth scopes to blame.
    assert!(message.ends_with("The user lacks permission for this."), "{message}");
    assert!(!message.contains("OAuth"), "{message}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn unauthorized_without_refresher_says_to_check_the_token() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(401)
            .set_body_json(json!({"success": false, "error": "unauthorized access", "errorCode": 401})),
    )
    .await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let body = err.api_error().unwrap();
    assert_eq!(body.error.as_deref(), Some("unauthorized access"));
    assert_eq!(body.code, Some(json!(401)), "v1's `errorCode` is the code");
    assert!(err.to_string().contains("[code 401]"), "{err}");
    assert!(err.to_string().contains("Check the API token"), "{err}");
    assert_eq!(hits(&server).await, 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn non_json_success_body_is_a_decode_error_with_snippet() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"),
    )
    .await;
    let err = client(&server).send_json::<Stage>(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.body_snippet(), Some("<html>login</html>"));
    assert!(
        err.to_string().starts_with("getStage: the response is not valid JSON"),
        "{err}"
    );
}

#[tokio::test]
async fn rate_limit_headers_are_parsed() {
    let server = MockServer::start().await;
    serve(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-ratelimit-limit", "80")
            .insert_header("x-ratelimit-remaining", "79")
            .insert_header("x-ratelimit-reset", "2")
            .insert_header("x-daily-ratelimit-token-limit", "30000")
            .insert_header("x-daily-ratelimit-token-remaining", "29995")
            .set_body_json(json!({"success": true, "data": []})),
    )
    .await;
    let response = client(&server).send_list::<Stage>(get_stages()).await.unwrap();
    let limits = response.meta.rate_limit;
    assert_eq!(limits.limit, Some(80));
    assert_eq!(limits.remaining, Some(79));
    assert_eq!(limits.reset_after, Some(std::time::Duration::from_secs(2)));
    assert_eq!(limits.daily_token_limit, Some(30000));
    assert_eq!(limits.daily_token_remaining, Some(29995));
    assert!(!limits.daily_budget_exhausted());
    assert_eq!(response.meta.headers.get("x-ratelimit-limit").unwrap(), "80");
}

#[tokio::test]
async fn missing_or_malformed_rate_limit_headers_are_none() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-ratelimit-limit", "lots".parse().unwrap());
    headers.insert("x-ratelimit-reset", "0.5".parse().unwrap());
    let limits = pipedrive_runtime::RateLimit::from_headers(&headers);
    assert_eq!(limits.limit, None);
    assert_eq!(limits.remaining, None);
    assert_eq!(limits.reset_after, Some(std::time::Duration::from_millis(500)));
}

#[tokio::test]
async fn tokens_spent_counts_every_answered_attempt_across_clones() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": null})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []})))
        .mount(&server)
        .await;
    let client = client(&server);
    let clone = client.clone();
    assert_eq!(client.tokens_spent(), 0);
    client.send_list::<Stage>(get_stages()).await.unwrap(); // 429 + 200: 2 x 5
    clone.send_list::<Stage>(get_stages()).await.unwrap(); // 5
    clone.send_json::<Option<Stage>>(get_stage()).await.unwrap(); // 1
    assert_eq!(client.tokens_spent(), 16);
    assert_eq!(clone.tokens_spent(), 16);
}

#[tokio::test]
async fn send_body_and_send_bytes_skip_the_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/1/download"))
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/oauth/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 3, "days_to_rotten": 1})))
        .mount(&server)
        .await;
    let client = client(&server);
    let bytes = client
        .send_bytes(Request::new(&GET_STAGE, "/v1/files/1/download".to_owned()))
        .await
        .unwrap();
    assert_eq!(bytes.data.as_ref(), &[0u8, 159, 146, 150]);
    let body = client
        .send_body::<Stage>(Request::new(&GET_STAGE, "/oauth/me".to_owned()))
        .await
        .unwrap();
    assert_eq!(
        body.data,
        Stage {
            id: 3,
            days_to_rotten: Some(1)
        }
    );
}

/// An operation documented without data (a delete) goes through `send_empty`, where a 204 is
/// success; one that returns data cannot take an empty body for "nothing".
#[tokio::test]
async fn an_empty_body_is_success_without_data_and_a_decode_error_with_data() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(204)).await;
    let response = client(&server).send_empty(get_stage()).await.unwrap();
    assert_eq!(response.meta.status.as_u16(), 204);
    let err = client(&server)
        .send_json::<Option<Stage>>(get_stage())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(204));
    assert!(err.to_string().contains("the response body is empty"), "{err}");
}
