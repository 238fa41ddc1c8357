//! Walking list endpoints page by page through the generated `stream()` and `pages()`: v2 cursor
//! pagination (`additional_data.next_cursor`, ending at `null`) and v1 start/limit pagination in
//! both shapes Pipedrive uses (nested `additional_data.pagination` with `next_start`, and the flat
//! shape the spec documents). Checks the exact query of every page request, the items collected,
//! that pages are fetched lazily, and that a failing or stalled page ends the stream.

#![allow(deprecated)] // v1 getStageDeals is deprecated by Pipedrive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{assert_api_token_headers, assert_no_secret, client, hits, ok_with, received, v1_deal, v2_stage};
use futures::{StreamExt, TryStreamExt};
use pipedrive::ErrorKind;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The raw query string of every request `server` received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|request| request.url.query().unwrap_or_default().to_owned())
        .collect()
}

/// v2 stages with these ids.
fn stages(ids: &[i64]) -> Value {
    Value::Array(ids.iter().map(|&id| v2_stage(id)).collect())
}

/// v1 deals with these ids.
fn deals(ids: &[i64]) -> Value {
    Value::Array(ids.iter().map(|&id| v1_deal(id)).collect())
}

/// Three v2 pages: ids 1-2 (cursor `c1` next), 3-4 (`c2` next), 5 (`next_cursor: null`).
async fn mount_three_cursor_pages(server: &MockServer) {
    let page = |ids: &[i64], next: Value| ok_with(stages(ids), json!({ "next_cursor": next }));
    Mock::given(method("GET"))
        .and(path("/api/v2/stages"))
        .and(query_param_is_missing("cursor"))
        .respond_with(page(&[1, 2], json!("c1")))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages"))
        .and(query_param("cursor", "c1"))
        .respond_with(page(&[3, 4], json!("c2")))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages"))
        .and(query_param("cursor", "c2"))
        .respond_with(page(&[5], Value::Null))
        .mount(server)
        .await;
}

#[tokio::test]
async fn v2_stream_follows_next_cursor_until_null() {
    let server = MockServer::start().await;
    mount_three_cursor_pages(&server).await;
    let client = client(&server);

    let items: Vec<_> = client
        .v2()
        .stages()
        .get_stages()
        .pipeline_id(1)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = items.iter().map(|stage| stage.id.unwrap()).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    assert_eq!(items[0], common::v2_stage_decoded(1));
    assert_eq!(
        queries(&server).await,
        vec![
            "pipeline_id=1&limit=2",
            "pipeline_id=1&limit=2&cursor=c1",
            "pipeline_id=1&limit=2&cursor=c2",
        ],
        "the other parameters are kept on every page; nothing is fetched after next_cursor: null"
    );
    for request in received(&server).await {
        assert_api_token_headers(&request);
    }
    assert_eq!(client.tokens_spent(), 3 * 5);
}

#[tokio::test]
async fn v2_pages_give_one_response_per_page_with_its_metadata() {
    let server = MockServer::start().await;
    mount_three_cursor_pages(&server).await;

    let mut pages = Box::pin(client(&server).v2().stages().get_stages().limit(2).pages());

    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(hits(&server).await, 1, "pages are fetched only when polled");
    assert_eq!(first.data.len(), 2);
    assert_eq!(first.next_cursor(), Some("c1"));
    assert_eq!(first.meta.status.as_u16(), 200);
    assert_eq!(first.meta.attempts, 1);

    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.next_cursor(), Some("c2"));
    let third = pages.next().await.unwrap().unwrap();
    assert_eq!(third.data.len(), 1);
    assert_eq!(third.next_cursor(), None);
    // Typed as documented; the `null` the document does not allow (`SOURCES.md`) is `None`.
    let additional = third.additional_data.expect("additional_data was sent");
    assert_eq!(additional.next_cursor, None);
    assert!(additional.extra.is_empty(), "{:?}", additional.extra);
    assert!(pages.next().await.is_none());
    assert_eq!(
        queries(&server).await,
        vec!["limit=2", "limit=2&cursor=c1", "limit=2&cursor=c2"]
    );
}

#[tokio::test]
async fn v2_stream_starts_from_a_given_cursor() {
    let server = MockServer::start().await;
    mount_three_cursor_pages(&server).await;

    let items: Vec<_> = client(&server)
        .v2()
        .stages()
        .get_stages()
        .limit(2)
        .cursor("c1")
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(
        items.iter().map(|stage| stage.id.unwrap()).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert_eq!(queries(&server).await, vec!["limit=2&cursor=c1", "limit=2&cursor=c2"]);
}

#[tokio::test]
async fn a_stream_fetches_no_more_pages_than_the_consumer_takes() {
    let server = MockServer::start().await;
    mount_three_cursor_pages(&server).await;

    let first_two: Vec<_> = client(&server)
        .v2()
        .stages()
        .get_stages()
        .limit(2)
        .stream()
        .take(2)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(first_two.len(), 2);
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_server_that_repeats_the_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(ok_with(stages(&[1]), json!({"next_cursor": "same"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "same"))
        .respond_with(ok_with(stages(&[2]), json!({"next_cursor": "same"})))
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server).v2().stages().get_stages().stream().collect().await;

    assert_eq!(results.len(), 3, "two items, then the error: {results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, Some(1));
    assert_eq!(results[1].as_ref().unwrap().id, Some(2));
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("did not advance"), "{err}");
    assert_eq!(
        hits(&server).await,
        2,
        "no third request for a cursor that does not move"
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(ok_with(stages(&[1, 2]), json!({"next_cursor": "c1"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"success": false, "error": "boom"})))
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server)
        .v2()
        .stages()
        .get_stages()
        .limit(2)
        .stream()
        .collect()
        .await;

    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_no_secret(err);
    assert_eq!(hits(&server).await, 2, "a 500 is not retried and ends the stream");
}

/// Mounts three v1 deal pages of `limit` 2 (ids 1-2, 3-4, 5) whose `additional_data` is built by `shape`.
async fn mount_three_offset_pages(server: &MockServer, shape: fn(i64, bool, Option<i64>) -> Value) {
    for (start, ids, next_start) in [
        (0, &[1, 2][..], Some(2)),
        (2, &[3, 4][..], Some(4)),
        (4, &[5][..], None),
    ] {
        Mock::given(method("GET"))
            .and(path("/v1/stages/2/deals"))
            .and(query_param("start", start.to_string()))
            .respond_with(ok_with(deals(ids), shape(start, next_start.is_some(), next_start)))
            .mount(server)
            .await;
    }
}

/// `additional_data.pagination {start, limit, more_items_in_collection, next_start}`: what the live API sends.
fn nested(start: i64, more: bool, next_start: Option<i64>) -> Value {
    let mut pagination = json!({"start": start, "limit": 2, "more_items_in_collection": more});
    if let Some(next) = next_start {
        pagination["next_start"] = json!(next);
    }
    json!({ "pagination": pagination })
}

/// `additional_data {start, limit, more_items_in_collection}`: what the spec documents.
fn flat(start: i64, more: bool, _next_start: Option<i64>) -> Value {
    json!({"start": start, "limit": 2, "more_items_in_collection": more})
}

#[tokio::test]
async fn v1_stream_follows_nested_pagination_with_next_start() {
    let server = MockServer::start().await;
    mount_three_offset_pages(&server, nested).await;
    let client = client(&server);

    let items: Vec<_> = client
        .v1()
        .stages()
        .get_stage_deals(2)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = items.iter().map(|deal| deal.id.unwrap()).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    assert_eq!(items[4].title.as_deref(), Some("Deal 5"));
    assert_eq!(
        queries(&server).await,
        vec!["start=0&limit=2", "start=2&limit=2", "start=4&limit=2"]
    );
    assert_eq!(client.tokens_spent(), 3 * 20);
}

#[tokio::test]
async fn v1_stream_follows_the_flat_pagination_shape() {
    let server = MockServer::start().await;
    mount_three_offset_pages(&server, flat).await;

    let items: Vec<_> = client(&server)
        .v1()
        .stages()
        .get_stage_deals(2)
        .everyone(true)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = items.iter().map(|deal| deal.id.unwrap()).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    assert_eq!(
        queries(&server).await,
        vec![
            "everyone=1&start=0&limit=2",
            "everyone=1&start=2&limit=2",
            "everyone=1&start=4&limit=2",
        ]
    );
}

#[tokio::test]
async fn v1_pages_give_page_at_a_time_access_and_honour_next_start() {
    let server = MockServer::start().await;
    Mock::given(query_param("start", "0"))
        .respond_with(ok_with(
            deals(&[1, 2]),
            json!({"pagination": {"start": 0, "limit": 2, "more_items_in_collection": true, "next_start": 10}}),
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "10"))
        .respond_with(ok_with(
            deals(&[11]),
            json!({"pagination": {"start": 10, "limit": 2, "more_items_in_collection": false}}),
        ))
        .mount(&server)
        .await;

    let mut pages = Box::pin(client(&server).v1().stages().get_stage_deals(2).limit(2).pages());

    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(hits(&server).await, 1);
    assert_eq!(
        first.data.iter().map(|deal| deal.id.unwrap()).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let pagination = first.offset_pagination().unwrap();
    assert_eq!(pagination.start, Some(0));
    assert_eq!(pagination.limit, Some(2));
    assert!(pagination.more_items_in_collection);
    assert_eq!(pagination.next_start, Some(10));

    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.data.len(), 1);
    assert!(!second.offset_pagination().unwrap().more_items_in_collection);
    assert!(pages.next().await.is_none());
    assert_eq!(queries(&server).await, vec!["start=0&limit=2", "start=10&limit=2"]);
}

#[tokio::test]
async fn v1_stage_list_pages_from_a_given_start() {
    let server = MockServer::start().await;
    let stage = |id: i64| {
        let mut stage = common::v1_stage();
        stage["id"] = json!(id);
        stage
    };
    Mock::given(query_param("start", "5"))
        .respond_with(ok_with(
            json!([stage(6), stage(7)]),
            json!({"pagination": {"start": 5, "limit": 2, "more_items_in_collection": true, "next_start": 7}}),
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "7"))
        .respond_with(ok_with(
            json!([stage(8)]),
            json!({"pagination": {"start": 7, "limit": 2, "more_items_in_collection": false}}),
        ))
        .mount(&server)
        .await;

    let items: Vec<_> = client(&server)
        .v1()
        .stages()
        .get_stages()
        .pipeline_id(1)
        .start(5)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(
        items.iter().map(|stage| stage.id.unwrap()).collect::<Vec<_>>(),
        vec![6, 7, 8]
    );
    assert_eq!(
        queries(&server).await,
        vec!["pipeline_id=1&start=5&limit=2", "pipeline_id=1&start=7&limit=2"]
    );
}
