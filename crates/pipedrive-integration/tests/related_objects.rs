//! Nothing Pipedrive sends beside `data` is lost: a v1 list's `related_objects` (the users,
//! persons and organizations its items refer to, keyed by id) and its `additional_data`, typed
//! as the documents describe them, from `send_with_meta()` and from each page of `pages()`.

#![allow(deprecated)] // v1 getDeals is deprecated by Pipedrive (v2 has no related_objects), and still served.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::client;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `GET /v1/deals` as the live API answers it: one deal, the next page's start nested under
/// `additional_data.pagination`, and the deal's user, person and organization in
/// `related_objects`, keyed by their ids.
async fn mount_deals_with_related_objects(server: &MockServer) {
    let body = json!({
        "success": true,
        // `getDeals` documents the user fields as objects (unlike `getStageDeals`, whose example
        // `common::v1_deal` is): a deal with the ids alone is enough here.
        "data": [{"id": 7, "title": "Deal 7", "person_id": {"value": 1101, "name": "Grace"}}],
        "additional_data": {
            "pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}
        },
        "related_objects": {
            "user": {"123": {"id": 123, "name": "Ada", "email": "ada@example.com", "has_pic": 0, "active_flag": true}},
            "person": {"1101": {"id": 1101, "name": "Grace", "active_flag": true}},
            "organization": {"5": {"id": 5, "name": "Analytical Engines", "people_count": 2}},
            "stage": {"2": {"id": 2, "name": "Qualified"}}
        }
    });
    Mock::given(method("GET"))
        .and(path("/v1/deals"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn send_with_meta_gives_the_related_objects_of_a_v1_list_typed() {
    let server = MockServer::start().await;
    mount_deals_with_related_objects(&server).await;

    let answer = client(&server).v1().deals().get_deals().send_with_meta().await.unwrap();

    assert_eq!(answer.data.len(), 1);
    let related = answer.related_objects.expect("related_objects was sent");
    let users = related.user.expect("users were sent");
    assert_eq!(users["123"].name.as_deref(), Some("Ada"));
    assert_eq!(users["123"].email.as_deref(), Some("ada@example.com"));
    let persons = related.person.expect("persons were sent");
    assert_eq!(persons["1101"].name.as_deref(), Some("Grace"));
    let organizations = related.organization.expect("organizations were sent");
    assert_eq!(organizations["5"].name.as_deref(), Some("Analytical Engines"));
    // A kind of related object the document does not list is kept as sent.
    assert_eq!(related.extra["stage"]["2"]["name"], "Qualified");

    let additional = answer.additional_data.expect("additional_data was sent");
    let pagination = additional.pagination.expect("pagination was sent");
    assert_eq!(pagination.more_items_in_collection, Some(false));
    assert_eq!(pagination.limit, Some(100));
}

#[tokio::test]
async fn each_page_carries_its_related_objects() {
    let server = MockServer::start().await;
    mount_deals_with_related_objects(&server).await;

    let pages: Vec<_> = client(&server)
        .v1()
        .deals()
        .get_deals()
        .pages()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(pages.len(), 1, "more_items_in_collection is false: one page");
    let page = &pages[0];
    assert_eq!(page.data.len(), 1);
    let users = page
        .related_objects
        .as_ref()
        .and_then(|r| r.user.as_ref())
        .expect("users were sent");
    assert_eq!(users["123"].id, Some(123));
}
