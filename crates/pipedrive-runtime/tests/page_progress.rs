//! Page streams that would never end: pages that keep coming back empty while the server says
//! more follow (v1 with an advancing `next_start`, v2 with fresh cursors), or that serve the same
//! items again and again. Each stops with an error after 10 pages in a row without new items;
//! an honest list with a few empty pages in it is followed to its end.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::{GET_STAGE_DEALS, assert_no_secret, client, get_stages, hits};
use futures::StreamExt;
use pipedrive_runtime::{ApiResponse, Error, ErrorKind, ListAt, Request, cursor_pages, offset_pages};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

/// A server whose every page comes from `page(n)`, n counting from 0.
struct Numbered<F>(F, AtomicU64);

impl<F: Fn(u64) -> Value + Send + Sync> Respond for Numbered<F> {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        let n = self.1.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json((self.0)(n))
    }
}

async fn serving<F: Fn(u64) -> Value + Send + Sync + 'static>(page: F) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Numbered(page, AtomicU64::new(0)))
        .mount(&server)
        .await;
    server
}

fn deals_from(start: i64) -> Result<Request, Error> {
    let mut request = Request::new(&GET_STAGE_DEALS, "/v1/stages/5/deals".to_owned());
    request.query("start", start);
    Ok(request)
}

fn stages_at(cursor: Option<String>) -> Result<Request, Error> {
    let mut request = get_stages();
    if let Some(cursor) = cursor {
        request.query("cursor", cursor);
    }
    Ok(request)
}

/// Every result of a v1 stream over `server` (at most 1 000).
async fn offset_results(server: &MockServer) -> Vec<Result<ApiResponse<Vec<i64>>, Error>> {
    offset_pages::<i64, Value, Value, _>(client(server), ListAt::Data, 0, deals_from)
        .take(1_000)
        .collect()
        .await
}

/// Every result of a v2 stream over `server` (at most 1 000).
async fn cursor_results(server: &MockServer) -> Vec<Result<ApiResponse<Vec<i64>>, Error>> {
    cursor_pages::<i64, Value, Value, _>(client(server), ListAt::Data, None, stages_at)
        .take(1_000)
        .collect()
        .await
}

/// The pages before the error, and the error.
fn split(results: Vec<Result<ApiResponse<Vec<i64>>, Error>>) -> (usize, Error) {
    let pages = results.iter().filter(|result| result.is_ok()).count();
    let last = results.into_iter().last().unwrap();
    (pages, last.unwrap_err())
}

fn assert_no_progress_error(err: &Error) {
    assert_eq!(err.kind(), ErrorKind::Decode);
    let message = err.to_string();
    assert!(message.contains("10 pages in a row brought no new items"), "{message}");
    assert!(message.contains("the pages so far were delivered"), "{message}");
    assert_no_secret(err);
}

#[tokio::test]
async fn v1_empty_pages_with_an_advancing_next_start_stop_after_ten() {
    let server = serving(|n| {
        json!({"success": true, "data": [], "additional_data": {"pagination": {
            "start": n * 100, "limit": 100, "more_items_in_collection": true, "next_start": (n + 1) * 100
        }}})
    })
    .await;
    let (pages, err) = split(offset_results(&server).await);
    assert_eq!(pages, 10);
    assert_eq!(hits(&server).await, 10);
    assert_no_progress_error(&err);
}

#[tokio::test]
async fn v2_empty_pages_with_fresh_cursors_stop_after_ten() {
    let server =
        serving(|n| json!({"success": true, "data": [], "additional_data": {"next_cursor": format!("c{n}")}})).await;
    let (pages, err) = split(cursor_results(&server).await);
    assert_eq!(pages, 10);
    assert_no_progress_error(&err);
}

#[tokio::test]
async fn the_same_items_page_after_page_stop_after_ten_repeats() {
    let server =
        serving(|n| json!({"success": true, "data": [1, 2, 3], "additional_data": {"next_cursor": format!("c{n}")}}))
            .await;
    let (pages, err) = split(cursor_results(&server).await);
    assert_eq!(pages, 11, "the first page brought new items, the ten after it did not");
    assert_no_progress_error(&err);

    // Two pages served in turn are caught the same way.
    let server = serving(|n| {
        json!({"success": true, "data": [n % 2], "additional_data": {"pagination": {
            "start": n, "more_items_in_collection": true, "next_start": n + 1
        }}})
    })
    .await;
    let (pages, err) = split(offset_results(&server).await);
    assert_eq!(pages, 12);
    assert_no_progress_error(&err);
}

/// Nine empty pages in a row, then items, then the end: an honest list is not cut short.
#[tokio::test]
async fn a_list_with_a_few_empty_pages_runs_to_its_end() {
    let server = serving(|n| {
        let data = if (3..12).contains(&n) { json!([]) } else { json!([n]) };
        json!({"success": true, "data": data, "additional_data": {"pagination": {
            "start": n, "more_items_in_collection": n < 15, "next_start": n + 1
        }}})
    })
    .await;
    let results = offset_results(&server).await;
    assert_eq!(results.len(), 16);
    assert!(results.iter().all(Result::is_ok));
}
