//! Answers that are not Pipedrive's envelope: empty bodies and foreign JSON on calls that return
//! data (decode errors, never an empty list), operations without data (a 204 is success),
//! gateways' `application/problem+json` errors, compressed pages, and file parts without a
//! content type.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::io::Write as _;

use common::{ADD_STAGE, GET_STAGE_DEALS, assert_no_secret, client, get_stages};
use futures::StreamExt;
use pipedrive_runtime::{ErrorKind, ListAt, MultipartForm, Request, offset_pages};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serving(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn deals_from(start: i64) -> Result<Request, pipedrive_runtime::Error> {
    let mut request = Request::new(&GET_STAGE_DEALS, "/v1/stages/5/deals".to_owned());
    request.query("start", start);
    Ok(request)
}

#[tokio::test]
async fn an_empty_200_fails_a_list_call_and_a_v1_stream_instead_of_ending_it() {
    let server = serving(ResponseTemplate::new(200)).await;
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("the response body is empty"), "{err}");
    assert!(
        err.to_string().contains("is Config::base_url pointing at the API"),
        "says what to check: {err}"
    );

    let pages: Vec<_> = offset_pages::<i64, Value, Value, _>(client(&server), ListAt::Data, 0, deals_from)
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().unwrap_err().kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn json_that_is_not_the_envelope_is_a_decode_error_with_the_body() {
    let server = serving(ResponseTemplate::new(200).set_body_json(json!({"items": [1, 2], "total": 2}))).await;
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("neither `success` nor `data`"), "{err}");
    assert_eq!(err.response_body(), Some(r#"{"items":[1,2],"total":2}"#));
}

#[tokio::test]
async fn an_operation_without_data_takes_a_204_or_any_json_but_not_a_failure() {
    let server = serving(ResponseTemplate::new(204)).await;
    let done = client(&server).send_empty(get_stages()).await.unwrap();
    assert_eq!(done.meta.status.as_u16(), 204);

    let server = serving(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {"id": 5}}))).await;
    client(&server).send_empty(get_stages()).await.unwrap();

    let server = serving(ResponseTemplate::new(200).set_body_json(json!({"success": false, "error": "gone"}))).await;
    let err = client(&server).send_empty(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);

    let server = serving(ResponseTemplate::new(200).set_body_raw("<html>portal</html>", "text/html")).await;
    let err = client(&server).send_empty(get_stages()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

/// A gateway's RFC 9457 error: the message quotes its title, detail and errors in full, even
/// where the detail that says what was wrong comes after 200 characters.
#[tokio::test]
async fn a_problem_json_error_shows_its_title_detail_and_errors() {
    let detail = format!(
        "{} The upstream refused the request: field `name` is required.",
        "Context. ".repeat(30)
    );
    let body = json!({
        "type": "https://gateway.example/problems/upstream",
        "title": "Upstream rejected the request",
        "status": 422,
        "detail": detail,
        "errors": [{"field": "name", "message": "required"}]
    });
    let server = serving(ResponseTemplate::new(422).set_body_raw(body.to_string(), "application/problem+json")).await;
    let err = client(&server).send_list::<i64>(get_stages()).await.unwrap_err();
    let message = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert!(
        message.contains("with a JSON error that is not Pipedrive's (application/problem+json)"),
        "{message}"
    );
    assert!(
        message.contains(r#"title: "Upstream rejected the request""#),
        "{message}"
    );
    assert!(
        message.contains("field `name` is required."),
        "the end of the detail: {message}"
    );
    assert!(
        message.contains(r#"errors: [{"field":"name","message":"required"}]"#),
        "{message}"
    );
    assert!(!message.contains("non-JSON"), "{message}");
    assert_eq!(err.response_body(), Some(body.to_string().as_str()));
    assert!(err.is_client_error() && !err.is_server_error());
    assert_no_secret(&err);
}

#[tokio::test]
async fn the_body_kept_on_an_error_is_bounded() {
    let server = serving(ResponseTemplate::new(500).set_body_raw("x".repeat(1024 * 1024), "text/plain")).await;
    let err = client(&server)
        .send_json::<i64>(Request::new(&ADD_STAGE, "/api/v2/stages".to_owned()))
        .await
        .unwrap_err();
    let kept = err.response_body().unwrap();
    assert_eq!(kept.chars().count(), 16 * 1024 + 1, "16 KiB and an ellipsis");
    assert!(err.body_snippet().unwrap().chars().count() <= 201);
}

#[tokio::test]
async fn a_gzip_compressed_page_is_asked_for_and_decoded() {
    let page = json!({"success": true, "data": (0..500).collect::<Vec<i64>>()}).to_string();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(page.as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap();
    assert!(compressed.len() * 2 < page.len(), "the page compresses");
    let server = serving(
        ResponseTemplate::new(200)
            .insert_header("content-encoding", "gzip")
            .set_body_raw(compressed, "application/json"),
    )
    .await;
    let response = client(&server).send_list::<i64>(get_stages()).await.unwrap();
    assert_eq!(response.data.len(), 500);
    assert_eq!(response.data[499], 499);
    let requests = server.received_requests().await.unwrap();
    let accepted = requests[0].headers.get("accept-encoding").unwrap().to_str().unwrap();
    assert!(accepted.contains("gzip"), "{accepted}");
}

#[tokio::test]
async fn a_file_part_without_a_content_type_gets_one_from_its_name_or_octet_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": null})))
        .mount(&server)
        .await;
    let form = MultipartForm::new()
        .file("report", "q3.pdf", None, b"%PDF".to_vec())
        .file("blob", "export.data-unknown", None, vec![0u8, 1, 2]);
    let mut request = Request::new(&ADD_STAGE, "/v1/files".to_owned());
    request.multipart_body(form);
    client(&server).send_empty(request).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&requests[0].body);
    assert!(
        body.contains("filename=\"q3.pdf\"\r\nContent-Type: application/pdf\r\n"),
        "{body}"
    );
    assert!(
        body.contains("filename=\"export.data-unknown\"\r\nContent-Type: application/octet-stream\r\n"),
        "{body}"
    );
}
