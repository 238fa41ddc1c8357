//! The rules the documents set on what a request sends, checked by the generated builders before
//! anything is sent: a v2 `update*Field` PATCH with no field set (`minProperties: 1`), a value out
//! of range, a text too short or too long, an empty list body. Each is an
//! `ErrorKind::InvalidRequest` error naming the operation, the input as the caller set it and the
//! rule, and the server never sees a request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{client, hits, ok, single_request};
use pipedrive::ErrorKind;
use pipedrive::v2::types::AddDealFieldRequestOptionsItem;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

async fn answering_ok() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok(json!({}))).mount(&server).await;
    server
}

#[tokio::test]
async fn an_update_field_patch_without_a_field_is_refused_before_sending() {
    let server = answering_ok().await;
    let client = client(&server);

    let err = client
        .v2()
        .deal_fields()
        .update_deal_field("abc123")
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_eq!(err.operation_id(), Some("updateDealField"));
    let message = err.to_string();
    assert!(message.starts_with("updateDealField: invalid request: "), "{message}");
    assert!(message.contains("must set at least 1 field"), "{message}");
    assert!(
        message.contains("`field_name`") && message.contains("`ui_visibility`"),
        "{message}"
    );
    assert!(message.ends_with("got 0"), "{message}");
    assert_eq!(err.status(), None);
    assert_eq!(hits(&server).await, 0, "nothing may be sent");
    assert_eq!(client.tokens_spent(), 0, "a refused request costs nothing");

    // One field set is enough, and it is what goes out (sent through the runtime, which reads
    // `data` as any JSON: the answer here is no deal field).
    let one_field = client
        .v2()
        .deal_fields()
        .update_deal_field("abc123")
        .field_name("Renamed");
    let sent = client
        .runtime()
        .send_json::<serde_json::Value>(one_field.to_request().unwrap());
    sent.await.unwrap();
    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        request.body_json::<serde_json::Value>().unwrap(),
        json!({"field_name": "Renamed"})
    );
}

#[tokio::test]
async fn values_outside_the_documents_rules_are_refused_naming_operation_input_and_rule() {
    let server = answering_ok().await;
    let client = client(&server);
    let fields = client.v2().deal_fields();

    let empty_name = fields
        .update_deal_field("abc123")
        .field_name("")
        .to_request()
        .unwrap_err();
    assert_eq!(
        empty_name.to_string(),
        "updateDealField: invalid request: `field_name` must have at least 1 character, got 0"
    );
    let long_name = fields.add_deal_field(
        "x".repeat(256),
        pipedrive::v2::types::AddDealFieldRequestFieldType::Varchar,
    );
    assert_eq!(
        long_name.send().await.unwrap_err().to_string(),
        "addDealField: invalid request: `field_name` must have at most 255 characters, got 256"
    );

    // Integer ranges, on a body field and on a query parameter.
    let order = client
        .v2()
        .project_boards()
        .update_project_board(7)
        .order_nr(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(order.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        order.to_string(),
        "updateProjectBoard: invalid request: `order_nr` must be at least 1, got 0"
    );
    let limit = client.v2().deals().get_deals().limit(501).send().await.unwrap_err();
    assert_eq!(
        limit.to_string(),
        "getDeals: invalid request: `limit` must be at most 500, got 501"
    );

    // A list body the documents ask at least one item of, and the items' own rules.
    let none = fields
        .add_deal_field_options("abc123", Vec::new())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        none.to_string(),
        "addDealFieldOptions: invalid request: `body` must have at least 1 item, got 0"
    );
    let blank = vec![
        AddDealFieldRequestOptionsItem::new("Gold"),
        AddDealFieldRequestOptionsItem::new(""),
    ];
    let blank = fields.add_deal_field_options("abc123", blank).send().await.unwrap_err();
    assert_eq!(
        blank.to_string(),
        "addDealFieldOptions: invalid request: `body[1].label` must have at least 1 character, got 0"
    );
    assert_eq!(hits(&server).await, 0, "nothing may be sent");

    // The boundary values pass.
    let lowest = client.v2().project_boards().update_project_board(7).order_nr(1);
    let sent = client
        .runtime()
        .send_json::<serde_json::Value>(lowest.to_request().unwrap());
    sent.await.unwrap();
    assert_eq!(hits(&server).await, 1);
}
