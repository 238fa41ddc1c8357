//! Bodies beyond JSON, forms and multipart, on the wire: a JSON body sent as another JSON media
//! type (`application/merge-patch+json`), text and raw bytes sent with their `Content-Type`, and
//! text answers decoded as UTF-8 within the size limit every answer has.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{ADD_STAGE, GET_STAGE, assert_no_secret, client, config, get_stage};
use pipedrive_runtime::{Client, Decode, ErrorKind, Request, ResponseMeta, Text};
use serde_json::json;
use wiremock::matchers::{body_bytes, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": null}))
}

/// `POST /api/v2/stages` with `set` applied to its body.
fn add_stage(set: impl FnOnce(&mut Request)) -> Request {
    let mut request = Request::new(&ADD_STAGE, "/api/v2/stages".to_owned());
    set(&mut request);
    request
}

/// The one request `server` received: its `Content-Type` and body.
async fn received(server: &MockServer) -> (String, Vec<u8>) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request sent");
    let content_type = requests[0]
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (content_type, requests[0].body.clone())
}

#[tokio::test]
async fn each_body_kind_is_sent_with_its_content_type_and_its_bytes_as_given() {
    let merge_patch = add_stage(|r| {
        r.json_body_as(&json!({"name": null}), "application/merge-patch+json")
            .unwrap()
    });
    let csv = add_stage(|r| r.text_body("id,name\n1,Café\n", "text/csv"));
    let octets = add_stage(|r| r.bytes_body(vec![0u8, 159, 146, 150, 255], "application/octet-stream"));
    let plain_json = add_stage(|r| r.json_body(&json!({"name": "A"})).unwrap());
    let cases: [(Request, &str, Vec<u8>); 4] = [
        (
            merge_patch,
            "application/merge-patch+json",
            br#"{"name":null}"#.to_vec(),
        ),
        (csv, "text/csv", "id,name\n1,Café\n".as_bytes().to_vec()),
        (octets, "application/octet-stream", vec![0, 159, 146, 150, 255]),
        (plain_json, "application/json", br#"{"name":"A"}"#.to_vec()),
    ];
    for (request, content_type, body) in cases {
        assert_eq!(request.content_type(), Some(content_type));
        assert_eq!(
            request.body_bytes(),
            Some(&body[..]),
            "{content_type}: the body as it is sent"
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(header("content-type", content_type))
            .and(body_bytes(body.clone()))
            .respond_with(ok())
            .expect(1)
            .mount(&server)
            .await;
        client(&server).send_empty(request).await.unwrap();
        assert_eq!(
            received(&server).await,
            (content_type.to_owned(), body),
            "{content_type}"
        );
    }
}

#[tokio::test]
async fn a_retried_bytes_body_is_sent_again_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_bytes(b"\x00\x01payload".to_vec()))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let mut request = add_stage(|r| r.bytes_body(&b"\x00\x01payload"[..], "application/octet-stream"));
    // POST is not retried by default; this call says it may be.
    let mut options = pipedrive_runtime::CallOptions::default();
    options.set_retry(common::fast_retries().retry_non_idempotent(true));
    request.set_options(options);
    let answer = client(&server).send_empty(request).await.unwrap();
    assert_eq!(answer.meta.attempts, 2);
}

#[tokio::test]
async fn a_media_type_that_is_no_header_value_is_refused_before_sending() {
    let server = MockServer::start().await;
    let request = add_stage(|r| r.text_body("x", "text/plain\r\nx-injected: 1"));
    let err = client(&server).send_empty(request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(
        err.to_string()
            .contains("the body's media type \"text/plain\\r\\nx-injected: 1\" contains characters not allowed"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing sent");
}

#[test]
fn a_requests_debug_names_the_body_kind_and_size_not_its_text() {
    let request = add_stage(|r| r.text_body("secret notes", "text/plain"));
    let debug = format!("{request:?}");
    assert!(debug.contains("Text(text/plain, 12 bytes)"), "{debug}");
    assert!(!debug.contains("secret notes"), "{debug}");
    let request = add_stage(|r| r.bytes_body(vec![1u8; 3], "application/octet-stream"));
    assert!(format!("{request:?}").contains("Binary(application/octet-stream, 3 bytes)"));
}

#[tokio::test]
async fn a_text_answer_is_decoded_as_utf8_and_asked_for_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("accept", "text/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("id;name\n1;Zürich\n", "text/csv; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server).send_text(get_stage()).await.unwrap();
    assert_eq!(answer.data, "id;name\n1;Zürich\n");
    assert_eq!(answer.meta.status, 200);
}

#[tokio::test]
async fn a_text_answer_that_is_not_utf8_is_a_decode_error_that_says_where() {
    let server = MockServer::start().await;
    // `Zürich` in Latin-1: the `ü` is the byte 0xFC, at offset 10.
    let latin1 = b"id;name\n1Z\xFCrich\n".to_vec();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(latin1, "text/csv; charset=iso-8859-1"))
        .mount(&server)
        .await;
    let err = client(&server).send_text(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(
        err.to_string(),
        "getStage: could not decode the response as text: the 16 bytes are not UTF-8 from byte 10 on"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_text_answer_over_the_size_limit_fails_at_the_limit() {
    let server = MockServer::start().await;
    let text = "a line of text\n".repeat(200);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(text.clone(), "text/plain"))
        .mount(&server)
        .await;
    let small = Client::new(config(&server).max_response_bytes(1024)).unwrap();
    let err = small.send_text(get_stage()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge);
    // The same answer within a limit it fits.
    let large = Client::new(config(&server).max_response_bytes(text.len() as u64)).unwrap();
    assert_eq!(large.send_text(get_stage()).await.unwrap().data, text);
}

#[test]
fn a_canned_text_answer_decodes_as_a_call_would() {
    let meta = || ResponseMeta {
        status: pipedrive_runtime::reqwest::StatusCode::OK,
        headers: pipedrive_runtime::reqwest::header::HeaderMap::new(),
        rate_limit: pipedrive_runtime::RateLimit::default(),
        request_id: None,
        operation_id: GET_STAGE.id,
        token_cost: 1,
        attempts: 1,
    };
    let answer = <Text as Decode>::decode("ok ✓".as_bytes(), &GET_STAGE, meta()).unwrap();
    assert_eq!(answer.data, "ok ✓");
    let err = <Text as Decode>::decode(b"\xFF", &GET_STAGE, meta()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}
