//! What goes on the wire: auth and default headers, query and path encoding, and the three body kinds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{ADD_STAGE, GET_STAGE, SECRET, assert_no_secret, client, config_with, get_stages};
use pipedrive_runtime::{Auth, Client, ErrorKind, MultipartForm, Request, RetryPolicy, encode_path_segment};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": null}))
}

#[tokio::test]
async fn api_token_goes_in_x_api_token_with_default_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages"))
        .and(header("x-api-token", SECRET))
        .and(header("accept", "application/json"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;

    client(&server).send_json::<Option<()>>(get_stages()).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let sent = &requests[0];
    assert!(sent.headers.get("authorization").is_none());
    assert!(sent.url.query().is_none(), "token must never be in the query");
    assert_eq!(
        sent.headers.get("user-agent").unwrap(),
        concat!("pipedrive-runtime/", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn oauth_token_goes_in_bearer_and_user_agent_is_prefixed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {SECRET}").as_str()))
        .and(header(
            "user-agent",
            concat!("pipedrive/9.9.9 pipedrive-runtime/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::new(config_with(&server, Auth::oauth(SECRET)).user_agent("pipedrive/9.9.9")).unwrap();
    client.send_json::<Option<()>>(get_stages()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("x-api-token").is_none());
}

#[tokio::test]
async fn auth_headers_are_marked_sensitive() {
    let server = MockServer::start().await;
    for (auth, name) in [
        (Auth::api_token(SECRET), "x-api-token"),
        (Auth::oauth(SECRET), "authorization"),
    ] {
        let client = Client::new(config_with(&server, auth)).unwrap();
        let built = client.build_request(&get_stages()).unwrap();
        let value = built.headers().get(name).unwrap();
        assert!(value.is_sensitive(), "{name} must be sensitive");
        assert!(!format!("{built:?}").contains(SECRET), "reqwest::Request Debug leaks");
    }
}

#[tokio::test]
async fn query_parameters_and_arrays_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;

    let mut request = get_stages();
    request.query("term", "a&b =c");
    request.query("limit", 50);
    request.query_array("ids", [1, 2, 3], true);
    request.query_array("fields", ["x", "y"], false);
    request.query_array("empty", Vec::<u8>::new(), false);
    assert_eq!(request.query_pairs().len(), 6);
    client(&server).send_json::<Option<()>>(request).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let url = &requests[0].url;
    assert_eq!(
        url.query(),
        Some("term=a%26b+%3Dc&limit=50&ids=1&ids=2&ids=3&fields=x%2Cy")
    );
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("term".to_owned(), "a&b =c".to_owned()));
    assert_eq!(pairs[5], ("fields".to_owned(), "x,y".to_owned()));
}

#[tokio::test]
async fn set_query_replaces_a_parameter() {
    let mut request = get_stages();
    request.query("cursor", "a");
    request.query("limit", 1);
    request.set_query("cursor", "b");
    assert_eq!(
        request.query_pairs(),
        &[
            ("limit".to_owned(), "1".to_owned()),
            ("cursor".to_owned(), "b".to_owned())
        ]
    );
}

#[tokio::test]
async fn path_segments_cannot_escape() {
    assert_eq!(encode_path_segment("a/b c?d#é"), "a%2Fb%20c%3Fd%23%C3%A9");
    assert_eq!(encode_path_segment("Az09-._~"), "Az09-._~");
    assert_eq!(encode_path_segment(42), "42");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages/a%2F..%2Fb"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let rendered = format!("/api/v2/stages/{}", encode_path_segment("a/../b"));
    client
        .send_json::<Option<()>>(Request::new(&GET_STAGE, rendered))
        .await
        .unwrap();

    // A whole segment of `..` would be collapsed by URL normalisation: refused, nothing sent.
    // A literal `%` is encoded, so `%2e` in a value cannot become a dot segment either.
    assert_eq!(encode_path_segment("%2e%2E"), "%252e%252E");
    let rendered_by_hand = "/api/v2/stages/%2e%2E".to_owned();
    for rendered in [
        format!("/api/v2/stages/{}", encode_path_segment("..")),
        format!("/api/v2/stages/{}/deals", encode_path_segment(".")),
        rendered_by_hand,
        // An empty value leaves an empty segment: `/stages/` is the collection, not a stage.
        format!("/api/v2/stages/{}", encode_path_segment("")),
        format!("/api/v2/stages/{}/deals", encode_path_segment("")),
    ] {
        let id = rendered.clone();
        let err = client
            .send_json::<Option<()>>(Request::new(&GET_STAGE, rendered))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{id}");
        assert_eq!(err.operation_id(), Some("getStage"));
    }
    assert_eq!(common::hits(&server).await, 1);
}

#[tokio::test]
async fn json_body_is_sent_with_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/stages"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "Won", "pipeline_id": 1})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"success": true, "data": {"id": 7}})))
        .expect(1)
        .mount(&server)
        .await;

    let mut request = Request::new(&ADD_STAGE, "/api/v2/stages".to_owned());
    request.json_body(&json!({"name": "Won", "pipeline_id": 1})).unwrap();
    assert_eq!(
        request.body_bytes(),
        Some(br#"{"name":"Won","pipeline_id":1}"#.as_slice())
    );
    let response = client(&server).send_json::<serde_json::Value>(request).await.unwrap();
    assert_eq!(response.data, json!({"id": 7}));
    assert_eq!(response.meta.status.as_u16(), 201);
}

#[tokio::test]
async fn form_body_is_urlencoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;

    let mut request = Request::new(&ADD_STAGE, "/api/v2/stages".to_owned());
    request.form_body(&[("name", "Won & lost"), ("order_nr", "2")]).unwrap();
    client(&server).send_json::<Option<()>>(request).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, b"name=Won+%26+lost&order_nr=2");
}

#[tokio::test]
async fn form_body_that_is_not_flat_is_an_invalid_request() {
    let mut request = Request::new(&ADD_STAGE, "/api/v2/stages".to_owned());
    let err = request.form_body(&json!({"nested": {"a": 1}})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.to_string().starts_with("addStage: invalid request:"), "{err}");
}

#[tokio::test]
async fn multipart_body_is_rebuilt_for_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ok()).mount(&server).await;

    let form = MultipartForm::new().text("deal_id", "5").file(
        "file",
        "notes.txt",
        Some("text/plain".to_owned()),
        b"hello multipart".to_vec(),
    );
    assert_eq!(form.len(), 2);
    let mut request = Request::new(&ADD_STAGE, "/v1/files".to_owned());
    request.multipart_body(form);
    assert!(request.body_bytes().is_none() && request.multipart().is_some());

    let client = Client::new(common::config(&server).retry(common::fast_retries().retry_non_idempotent(true))).unwrap();
    let response = client.send_json::<Option<()>>(request).await.unwrap();
    assert_eq!(response.meta.attempts, 2);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for sent in &requests {
        let content_type = sent.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        let body = String::from_utf8_lossy(&sent.body);
        assert!(body.contains("name=\"deal_id\"\r\n\r\n5\r\n"), "{body}");
        assert!(
            body.contains("name=\"file\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\nhello multipart"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn bad_headers_and_content_types_are_invalid_requests_not_panics() {
    let server = MockServer::start().await;
    let client = Client::new(common::config(&server).retry(RetryPolicy::none())).unwrap();

    let mut request = get_stages();
    request.header("x-bad", "line\nbreak");
    let err = client.send_json::<Option<()>>(request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);

    let mut request = get_stages();
    request.header("x-api-token", "other");
    let err = client.send_json::<Option<()>>(request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_no_secret(&err);

    let mut request = Request::new(&ADD_STAGE, "/v1/files".to_owned());
    request.multipart_body(MultipartForm::new().file("f", "a", Some("not a mime".to_owned()), vec![1u8]));
    let err = client.send_json::<Option<()>>(request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);

    let err = client
        .send_json::<Option<()>>(Request::new(&GET_STAGE, "stages".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_eq!(common::hits(&server).await, 0);
}

#[tokio::test]
async fn operation_headers_replace_defaults() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("accept", "text/csv"))
        .and(header("x-extra", "1"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let mut request = get_stages();
    request.header("Accept", "text/csv");
    request.header("x-extra", 1);
    client(&server).send_json::<Option<()>>(request).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get_all("accept").iter().count(), 1);
}

#[tokio::test]
async fn query_params_reach_the_server_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("ids", "1,2"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let mut request = get_stages();
    request.query_array("ids", [1, 2], false);
    client(&server).send_json::<Option<()>>(request).await.unwrap();
}
