//! The token never reaches an error's text, its `Debug`, its sources or a TRACE-level log, when
//! a server (or a proxy in front of it) echoes it back: in the request id, the content type, a
//! redirect's host or URL, a pagination cursor.
//!
//! Each test captures every log record of every crate at TRACE while the call runs, then checks
//! the error and the log for the token in any case (a host name carries it lowercased).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;
use crate::logging::capture;

use common::raw::{self, RawServer};
use common::{SECRET, assert_no_secret, assert_no_token_in, client, get_stages, raw_client};
use futures::StreamExt;
use pipedrive_runtime::{ErrorKind, ListAt, Request, cursor_pages};
use serde_json::{Value, json};
use wiremock::matchers::{method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Calls `server`'s stages, which must fail, capturing the log at TRACE: the error and the log.
async fn failing_call(server: &RawServer) -> (pipedrive_runtime::Error, String) {
    let (captured, _guard) = capture();
    let err = raw_client(&server.uri(), |config| config)
        .send_list::<i64>(get_stages())
        .await
        .unwrap_err();
    (err, captured.text())
}

#[tokio::test]
async fn a_token_echoed_in_the_request_id_is_redacted_on_errors_responses_and_logs() {
    let server = MockServer::start().await;
    Mock::given(query_param("fail", "1"))
        .respond_with(ResponseTemplate::new(500).insert_header("x-correlation-id", format!("id-{SECRET}")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-correlation-id", format!("id-{SECRET}"))
                .set_body_json(json!({"success": true, "data": []})),
        )
        .mount(&server)
        .await;
    let (captured, _guard) = capture();
    let mut failing = get_stages();
    failing.query("fail", 1);
    let err = client(&server).send_list::<i64>(failing).await.unwrap_err();
    let page = client(&server).send_list::<i64>(get_stages()).await.unwrap();
    let log = captured.text();

    assert_eq!(err.request_id(), Some("id-<redacted>"));
    assert_eq!(page.meta.request_id.as_deref(), Some("id-<redacted>"));
    assert!(
        log.contains("request_id=\"id-<redacted>\""),
        "the id is logged, scrubbed:\n{log}"
    );
    assert_no_secret(&err);
    assert_no_token_in(&log);
}

#[tokio::test]
async fn a_token_echoed_in_the_content_type_is_redacted() {
    let server = raw::serve(|mut socket, _| async move {
        let content_type = format!("content-type: text/html; echo={SECRET}");
        raw::respond(
            &mut socket,
            "502 Bad Gateway",
            &[&content_type],
            "<html>bad gateway</html>",
        )
        .await;
    })
    .await;
    let (err, log) = failing_call(&server).await;

    assert_eq!(err.kind(), ErrorKind::Api);
    assert!(err.to_string().contains("(text/html; echo=<redacted>)"), "{err}");
    assert_no_secret(&err);
    assert_no_token_in(&log);
}

#[tokio::test]
async fn a_redirect_to_a_host_named_after_the_token_is_not_followed_nor_named() {
    let server = raw::serve(|mut socket, _| async move {
        let location = format!("location: http://{}.example.com/api/v2/stages", SECRET.to_lowercase());
        raw::respond(&mut socket, "302 Found", &[&location], "").await;
    })
    .await;
    let (err, log) = failing_call(&server).await;

    assert_eq!(err.status().map(|status| status.as_u16()), Some(302));
    assert!(
        err.to_string()
            .contains("The redirect to <redacted>.example.com was not followed"),
        "{err}"
    );
    assert_no_secret(&err);
    assert_no_token_in(&log);
}

/// The client follows redirects within the origin; a server that sends it round through a URL
/// holding the token ends the call with reqwest's redirect error, which names that URL: it is
/// kept as the source without its URL.
#[tokio::test]
async fn a_same_origin_redirect_loop_through_the_tokens_url_leaves_no_trace() {
    let server = raw::serve(|mut socket, _| async move {
        let location = format!("location: /api/v2/{SECRET}/stages");
        raw::respond(&mut socket, "307 Temporary Redirect", &[&location], "").await;
    })
    .await;
    let (err, log) = failing_call(&server).await;

    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.to_string().contains("was sent round in redirects"), "{err}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "reqwest's error is kept, without its URL"
    );
    assert_no_secret(&err);
    assert_no_token_in(&log);
}

#[tokio::test]
async fn a_cursor_echoing_the_token_is_redacted_from_the_pagination_error() {
    let server = MockServer::start().await;
    let page = json!({"success": true, "data": [1], "additional_data": {"next_cursor": SECRET}});
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page.clone()))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let stages_at = |cursor: Option<String>| {
        let mut request: Request = get_stages();
        if let Some(cursor) = cursor {
            request.query("cursor", cursor);
        }
        Ok(request)
    };
    let (captured, _guard) = capture();
    let results: Vec<_> = cursor_pages::<i64, Value, Value, _>(client(&server), ListAt::Data, None, stages_at)
        .collect()
        .await;
    let log = captured.text();

    assert_eq!(results.len(), 3, "two pages, then the error");
    let err = results[2].as_ref().unwrap_err();
    assert!(
        err.to_string()
            .contains("the server returned the cursor it was sent (\"<redacted>\")"),
        "{err}"
    );
    assert_no_secret(err);
    // The cursor is a query value: never logged either.
    assert_no_token_in(&log);
}
