//! The runtime's API as callers name it: `pipedrive_runtime::Result`, the status helpers on
//! `Error`, and the page and item streams as named types kept in a struct.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::time::Duration;

use common::{client, get_stages, raw_client};
use futures::{StreamExt, TryStreamExt};
use pipedrive_runtime::{
    Client, DataFuture, Endpoint, Error, ItemStream, Items, List, ListAt, PageStream, Paged, Pages, Position, Request,
    ResponseFuture, RetryPolicy, cursor_pages,
};
use serde_json::json;
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The error a call gets from a server answering `status` (no retries).
async fn error_for(status: u16) -> Error {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"success": false, "error": "no"})))
        .mount(&server)
        .await;
    let client = pipedrive_runtime::Client::new(common::config(&server).retry(RetryPolicy::none())).unwrap();
    client.send_list::<i64>(get_stages()).await.unwrap_err()
}

/// `[is_not_found, is_rate_limited, is_auth, is_timeout, is_server_error, is_client_error]`
fn helpers(err: &Error) -> [bool; 6] {
    [
        err.is_not_found(),
        err.is_rate_limited(),
        err.is_auth(),
        err.is_timeout(),
        err.is_server_error(),
        err.is_client_error(),
    ]
}

#[tokio::test]
async fn status_helpers_say_what_kind_of_failure_it_was() {
    assert_eq!(helpers(&error_for(404).await), [true, false, false, false, false, true]);
    assert_eq!(helpers(&error_for(429).await), [false, true, false, false, false, true]);
    assert_eq!(helpers(&error_for(401).await), [false, false, true, false, false, true]);
    assert_eq!(
        helpers(&error_for(400).await),
        [false, false, false, false, false, true]
    );
    assert_eq!(
        helpers(&error_for(503).await),
        [false, false, false, false, true, false]
    );

    let daily = {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(429).insert_header("x-daily-ratelimit-token-remaining", "0"))
            .mount(&server)
            .await;
        client(&server).send_list::<i64>(get_stages()).await.unwrap_err()
    };
    assert_eq!(daily.kind(), pipedrive_runtime::ErrorKind::DailyBudgetExhausted);
    assert!(daily.is_rate_limited(), "the daily budget is a rate limit too");

    let server = common::raw::serve(|socket, _| async move {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(socket);
    })
    .await;
    let timed_out = raw_client(&server.uri(), |config| config.timeout(Duration::from_millis(100)))
        .send_list::<i64>(get_stages())
        .await
        .unwrap_err();
    assert_eq!(helpers(&timed_out), [false, false, false, true, false, false]);
}

/// A list operation as the generator writes one: a builder implementing `Endpoint` and `Paged`.
#[derive(Debug, Clone)]
struct ListStages {
    client: Client,
    cursor: Option<String>,
}

impl Endpoint for ListStages {
    type Response = List<i64>;

    fn operation() -> &'static pipedrive_runtime::Operation {
        &common::GET_STAGES
    }

    fn client(&self) -> &Client {
        &self.client
    }

    fn to_request(&self) -> pipedrive_runtime::Result<Request> {
        stages_at(self.cursor.clone())
    }
}

impl Paged for ListStages {
    type Item = i64;
    const LIST_AT: ListAt = ListAt::Data;

    fn first_position(&self) -> Position {
        Position::Cursor(self.cursor.clone())
    }

    fn request_at(&self, position: Position) -> pipedrive_runtime::Result<Request> {
        match position {
            Position::Cursor(cursor) => stages_at(cursor),
            other => Err(pipedrive_runtime::Error::invalid_request(
                &common::GET_STAGES,
                format!("{other:?} is not a cursor"),
            )),
        }
    }
}

/// A type of the application's that keeps a stream of pages and one of items as fields.
struct Sync {
    pages: Pages<ListStages>,
    items: Items<ListStages>,
}

fn stages_at(cursor: Option<String>) -> pipedrive_runtime::Result<Request> {
    let mut request = get_stages();
    if let Some(cursor) = cursor {
        request.query("cursor", cursor);
    }
    Ok(request)
}

/// Two pages: `[1, 2]` then `[3]`.
async fn two_pages() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "data": [1, 2], "additional_data": {"next_cursor": "c1"}})),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": [3]})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn page_and_item_streams_are_named_types_that_a_struct_can_hold() {
    let server = two_pages().await;
    let list = ListStages {
        client: client(&server),
        cursor: None,
    };
    let mut sync = Sync {
        pages: Pages::new(list.clone()),
        items: Items::new(list),
    };
    assert_eq!(
        format!("{:?}", sync.pages),
        "Pages { operation: \"getStages\", started: false }"
    );
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(0),
        "nothing is sent before a poll"
    );
    let first = sync.pages.next().await.unwrap().unwrap();
    assert_eq!(first.data, vec![1, 2]);
    assert_eq!(first.next_cursor(), Some("c1"));
    let rest: Vec<i64> = (&mut sync.items).try_collect().await.unwrap();
    assert_eq!(rest, vec![1, 2, 3]);

    // The runtime's own stream types can be named too, and built by hand, as a test of the
    // application's own code would.
    let stream: PageStream<i64> = cursor_pages(client(&server), ListAt::Data, None, stages_at);
    assert_eq!(
        stream
            .map(|page| page.map(|p| p.data.len()))
            .try_collect::<Vec<_>>()
            .await
            .unwrap(),
        [2, 1]
    );
    let canned = ItemStream::new(futures::stream::iter([Ok(7_i64), Ok(8)]));
    let all: pipedrive_runtime::Result<Vec<i64>> = canned.try_collect().await;
    assert_eq!(all.unwrap(), vec![7, 8]);
}

#[tokio::test]
async fn an_endpoint_sends_when_its_future_is_polled_and_not_before() {
    let server = two_pages().await;
    let list = ListStages {
        client: client(&server),
        cursor: None,
    };
    let data = DataFuture::new(list.clone());
    let with_meta = ResponseFuture::new(ListStages {
        cursor: Some("c1".to_owned()),
        ..list
    });
    assert!(format!("{data:?}").contains("not sent"), "{data:?}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
    assert_eq!(data.await.unwrap(), vec![1, 2]);
    let answer = with_meta.await.unwrap();
    assert_eq!((answer.data, answer.meta.operation_id), (vec![3], "getStages"));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}
