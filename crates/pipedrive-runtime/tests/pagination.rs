//! Cursor and offset pagination streams, and flattening pages into items.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{GET_STAGE_DEALS, client, get_stages, hits};
use futures::{StreamExt, TryStreamExt};
use pipedrive_runtime::{
    ApiResponse, Client, ErrorKind, ListAt, OffsetPagination, Request, ResponseMeta, RetryPolicy, cursor_pages, items,
    offset_pages,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn page(data: Value, additional: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": data, "additional_data": additional}))
}

fn stages_at(cursor: Option<String>) -> Result<Request, pipedrive_runtime::Error> {
    let mut request = get_stages();
    request.query("limit", 2);
    if let Some(cursor) = cursor {
        request.query("cursor", cursor);
    }
    Ok(request)
}

fn deals_from(start: i64) -> Result<Request, pipedrive_runtime::Error> {
    let mut request = Request::new(&GET_STAGE_DEALS, "/v1/stages/5/deals".to_owned());
    request.query("start", start);
    request.query("limit", 2);
    Ok(request)
}

#[tokio::test]
async fn cursor_pages_follow_next_cursor_until_null() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(json!([1, 2]), json!({"next_cursor": "c1"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .respond_with(page(json!([3, 4]), json!({"next_cursor": "c2"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c2"))
        .respond_with(page(json!([5]), json!({"next_cursor": null})))
        .mount(&server)
        .await;

    let pages: Vec<ApiResponse<Vec<i64>>> = cursor_pages(client(&server), ListAt::Data, None, stages_at)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].next_cursor(), Some("c1"));
    assert_eq!(pages[2].next_cursor(), None);

    let all: Vec<i64> = items::<i64, Value, Value, _>(cursor_pages(client(&server), ListAt::Data, None, stages_at))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, vec![1, 2, 3, 4, 5]);
    assert_eq!(hits(&server).await, 6);
}

#[tokio::test]
async fn cursor_pages_start_at_the_given_cursor_and_stop_on_empty_or_absent_cursor() {
    for last in [json!({"next_cursor": ""}), json!({}), Value::Null] {
        let server = MockServer::start().await;
        Mock::given(query_param("cursor", "c1"))
            .respond_with(page(json!([3]), last.clone()))
            .mount(&server)
            .await;
        let pages: Vec<ApiResponse<Vec<i64>>> =
            cursor_pages(client(&server), ListAt::Data, Some("c1".to_owned()), stages_at)
                .try_collect()
                .await
                .unwrap();
        assert_eq!(pages.len(), 1, "{last}");
    }
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(json!([1, 2]), json!({"next_cursor": "more"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(page(json!([3]), json!({"next_cursor": "again"})))
        .mount(&server)
        .await;
    let mut stream = Box::pin(items::<i64, Value, Value, _>(cursor_pages(
        client(&server),
        ListAt::Data,
        None,
        stages_at,
    )));
    assert_eq!(hits(&server).await, 0, "nothing is sent before the first poll");
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    assert_eq!(hits(&server).await, 1, "the second page waits until it is needed");
    assert_eq!(stream.next().await.unwrap().unwrap(), 3);
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(json!([1]), json!({"next_cursor": "same"})))
        .mount(&server)
        .await;
    let results: Vec<_> = cursor_pages::<i64, Value, Value, _>(client(&server), ListAt::Data, None, stages_at)
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("did not advance"), "{err}");
    assert_eq!(hits(&server).await, 2);
}

/// A server whose cursors run in a circle (A → B → A) would repeat the same pages forever; the
/// stream notices within a bounded number of pages, whatever the circle's length.
#[tokio::test]
async fn a_cycle_of_cursors_ends_the_stream_with_an_error() {
    for length in 2..=5_usize {
        let server = MockServer::start().await;
        let cursor = |i: usize| format!("c{}", i % length);
        Mock::given(query_param_is_missing("cursor"))
            .respond_with(page(json!([0]), json!({"next_cursor": cursor(0)})))
            .mount(&server)
            .await;
        for i in 0..length {
            Mock::given(query_param("cursor", cursor(i)))
                .respond_with(page(json!([i + 1]), json!({"next_cursor": cursor(i + 1)})))
                .mount(&server)
                .await;
        }
        let results: Vec<_> = cursor_pages::<i64, Value, Value, _>(client(&server), ListAt::Data, None, stages_at)
            .collect()
            .await;
        let (last, pages) = results.split_last().unwrap();
        assert!(pages.iter().all(Result::is_ok), "cycle of {length}");
        let err = last.as_ref().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.to_string().contains("a cursor it had handed out before"), "{err}");
        let fetched = hits(&server).await;
        assert!(
            fetched > length && fetched <= 3 * length + 1,
            "cycle of {length}: {fetched} pages fetched"
        );
    }
}

/// Distinct cursors are never mistaken for a cycle, however long the list.
#[tokio::test]
async fn a_long_list_of_distinct_cursors_is_followed_to_the_end() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(json!([0]), json!({"next_cursor": "c1"})))
        .mount(&server)
        .await;
    for i in 1..40 {
        let next = if i == 39 {
            Value::Null
        } else {
            json!(format!("c{}", i + 1))
        };
        Mock::given(query_param("cursor", format!("c{i}")))
            .respond_with(page(json!([i]), json!({"next_cursor": next})))
            .mount(&server)
            .await;
    }
    let all: Vec<i64> = items::<i64, Value, Value, _>(cursor_pages(client(&server), ListAt::Data, None, stages_at))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, (0..40).collect::<Vec<_>>());
}

#[tokio::test]
async fn offset_pages_read_the_nested_pagination_of_the_live_api() {
    let server = MockServer::start().await;
    let nested = |start: i64, more: bool, next: Option<i64>| json!({"pagination": {"start": start, "limit": 2, "more_items_in_collection": more, "next_start": next}});
    Mock::given(query_param("start", "0"))
        .respond_with(page(json!([1, 2]), nested(0, true, Some(2))))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "2"))
        .respond_with(page(json!([3, 4]), nested(2, true, Some(4))))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "4"))
        .respond_with(page(json!([5]), nested(4, false, None)))
        .mount(&server)
        .await;
    let all: Vec<i64> = items::<i64, Value, Value, _>(offset_pages(client(&server), ListAt::Data, 0, deals_from))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, vec![1, 2, 3, 4, 5]);
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn offset_pages_read_the_flat_pagination_of_the_spec() {
    let server = MockServer::start().await;
    let flat = |start: i64, more: bool| json!({"start": start, "limit": 2, "more_items_in_collection": more});
    Mock::given(query_param("start", "10"))
        .respond_with(page(json!([1, 2]), flat(10, true)))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "12"))
        .respond_with(page(json!([3, 4]), flat(12, true)))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "14"))
        .respond_with(page(json!([5]), flat(14, false)))
        .mount(&server)
        .await;
    let pages: Vec<ApiResponse<Vec<i64>>> = offset_pages(client(&server), ListAt::Data, 10, deals_from)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[1].offset_pagination(),
        Some(OffsetPagination {
            start: Some(12),
            limit: Some(2),
            more_items_in_collection: true,
            next_start: None
        })
    );
}

#[tokio::test]
async fn offset_pages_stop_on_an_empty_page_or_missing_pagination() {
    let server = MockServer::start().await;
    Mock::given(query_param("start", "0"))
        .respond_with(page(
            Value::Null,
            json!({"pagination": {"start": 0, "more_items_in_collection": true}}),
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "5"))
        .respond_with(page(json!([1]), Value::Null))
        .mount(&server)
        .await;
    let first: Vec<ApiResponse<Vec<i64>>> = offset_pages(client(&server), ListAt::Data, 0, deals_from)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert!(first[0].data.is_empty());
    let second: Vec<ApiResponse<Vec<i64>>> = offset_pages(client(&server), ListAt::Data, 5, deals_from)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(second.len(), 1);
}

/// Items the user may not see can empty a page in the middle of a v1 list; a page that says
/// where the next one starts is followed, not taken for the end.
#[tokio::test]
async fn offset_pages_follow_an_empty_page_that_names_its_next_start() {
    let server = MockServer::start().await;
    Mock::given(query_param("start", "0"))
        .respond_with(page(
            json!([]),
            json!({"pagination": {"start": 0, "limit": 2, "more_items_in_collection": true, "next_start": 2}}),
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "2"))
        .respond_with(page(
            json!([3]),
            json!({"pagination": {"start": 2, "limit": 2, "more_items_in_collection": false}}),
        ))
        .mount(&server)
        .await;
    let all: Vec<i64> = items::<i64, Value, Value, _>(offset_pages(client(&server), ListAt::Data, 0, deals_from))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, vec![3]);
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test]
async fn offset_pages_refuse_a_next_start_that_goes_backwards() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(
            json!([1]),
            json!({"pagination": {"start": 0, "more_items_in_collection": true, "next_start": 0}}),
        ))
        .mount(&server)
        .await;
    let results: Vec<_> = offset_pages::<i64, Value, Value, _>(client(&server), ListAt::Data, 0, deals_from)
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[1].as_ref().unwrap_err().kind(), ErrorKind::Decode);
}

/// Search endpoints put the list one level down, `data: {items: [...]}`; the other fields of
/// `data` are skipped, and a last page with `items` null or missing is an empty page.
#[tokio::test]
async fn cursor_pages_read_the_items_of_search_results() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(
            json!({"items": [1, 2], "related_items": ["x"]}),
            json!({"next_cursor": "c1"}),
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .respond_with(page(json!({"items": [3]}), json!({"next_cursor": "c2"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c2"))
        .respond_with(page(json!({"items": null}), json!({"next_cursor": "c3"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c3"))
        .respond_with(page(json!({}), json!({"next_cursor": null})))
        .mount(&server)
        .await;
    let pages: Vec<ApiResponse<Vec<i64>>> = cursor_pages(client(&server), ListAt::DataItems, None, stages_at)
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.data.len()).collect();
    assert_eq!(sizes, [2, 1, 0, 0]);
    let all: Vec<i64> =
        items::<i64, Value, Value, _>(cursor_pages(client(&server), ListAt::DataItems, None, stages_at))
            .try_collect()
            .await
            .unwrap();
    assert_eq!(all, [1, 2, 3]);
}

#[tokio::test]
async fn offset_pages_read_the_items_of_search_results() {
    let server = MockServer::start().await;
    let nested = |start: i64, more: bool, next: Option<i64>| json!({"pagination": {"start": start, "limit": 2, "more_items_in_collection": more, "next_start": next}});
    Mock::given(query_param("start", "0"))
        .respond_with(page(json!({"items": [1, 2]}), nested(0, true, Some(2))))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "2"))
        .respond_with(page(json!({"items": [3]}), nested(2, false, None)))
        .mount(&server)
        .await;
    let all: Vec<i64> = items::<i64, Value, Value, _>(offset_pages(client(&server), ListAt::DataItems, 0, deals_from))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [1, 2, 3]);
    assert_eq!(hits(&server).await, 2);
}

/// Reading a list at `data.items` from a page that has a plain list at `data` is a decode error
/// at `data`, and one bad item is named by its path under `data.items`.
#[tokio::test]
async fn a_list_in_the_wrong_place_or_a_bad_item_is_a_decode_error_with_its_path() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(json!([1, 2]), json!({})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "bad"))
        .respond_with(page(json!({"items": [1, "two"]}), json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .send_list_at::<i64>(stages_at(None).unwrap(), ListAt::DataItems)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.decode_path(), Some("data"), "{err}");
    let err = client
        .send_list_at::<i64>(stages_at(Some("bad".to_owned())).unwrap(), ListAt::DataItems)
        .await
        .unwrap_err();
    assert_eq!(err.decode_path(), Some("data.items[1]"), "{err}");
    // The same page read where its list is.
    let page = client
        .send_list_at::<i64>(stages_at(None).unwrap(), ListAt::Data)
        .await
        .unwrap();
    assert_eq!(page.data, [1, 2]);
}

#[tokio::test]
async fn the_first_error_ends_the_item_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("cursor"))
        .respond_with(page(json!([1, 2]), json!({"next_cursor": "c1"})))
        .mount(&server)
        .await;
    Mock::given(query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = Client::new(common::config(&server).retry(RetryPolicy::none())).unwrap();
    let results: Vec<_> = items::<i64, Value, Value, _>(cursor_pages(client, ListAt::Data, None, stages_at))
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert_eq!(*results[0].as_ref().unwrap(), 1);
    assert_eq!(*results[1].as_ref().unwrap(), 2);
    assert_eq!(results[2].as_ref().unwrap_err().status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn make_request_errors_are_yielded_and_end_the_stream() {
    let server = MockServer::start().await;
    let results: Vec<_> = cursor_pages::<i64, Value, Value, _>(client(&server), ListAt::Data, None, |_| {
        Err(pipedrive_runtime::Error::invalid_request(
            &common::GET_STAGES,
            "limit is 600, at most 500 is allowed",
        ))
    })
    .collect()
    .await;
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].as_ref().unwrap_err().to_string(),
        "getStages: invalid request: limit is 600, at most 500 is allowed"
    );
    assert_eq!(hits(&server).await, 0);
}

/// A response with the given `additional_data`, for the pagination readers.
fn response(additional: Value) -> ApiResponse<()> {
    ApiResponse::new(
        (),
        Some(additional),
        ResponseMeta {
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            rate_limit: Default::default(),
            request_id: None,
            operation_id: "getStages",
            token_cost: 5,
            attempts: 1,
        },
    )
}

#[test]
fn pagination_readers_accept_both_shapes_and_loose_types() {
    assert_eq!(response(json!({"next_cursor": "abc"})).next_cursor(), Some("abc"));
    assert_eq!(response(json!({"next_cursor": ""})).next_cursor(), None);
    assert_eq!(response(json!({"next_cursor": null})).next_cursor(), None);
    assert_eq!(response(json!({})).offset_pagination(), None);
    assert_eq!(
        response(json!({"pagination": {"start": "4", "limit": 2.0, "more_items_in_collection": 1}}))
            .offset_pagination(),
        Some(OffsetPagination {
            start: Some(4),
            limit: Some(2),
            more_items_in_collection: true,
            next_start: None
        })
    );
    assert_eq!(
        response(json!({"start": 0, "limit": 2})).offset_pagination(),
        Some(OffsetPagination {
            start: Some(0),
            limit: Some(2),
            more_items_in_collection: false,
            next_start: None
        })
    );
}
