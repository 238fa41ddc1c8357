//! Every Stages operation of API v1 (`/v1/stages`, all deprecated by Pipedrive) against a local
//! server: the exact method, path, query string (v1 booleans as `0`/`1`, `start`, the bulk `ids`),
//! headers and JSON body the generated client sends, how responses decode into the generated types
//! (custom fields on deals land in `extra`), and each operation's token cost.

#![allow(deprecated)] // The v1 Stages operations are deprecated by Pipedrive; testing them is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{
    assert_api_token_headers, assert_json_body, assert_no_body, assert_request_line, client, ok, ok_with,
    single_request, v1_deal, v1_stage, v1_stage_decoded,
};
use pipedrive::v1::stages::{AddStage, DeleteStage, DeleteStages, GetStage, GetStageDeals, GetStages, UpdateStage};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts one answer for every request.
async fn answer(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any()).respond_with(template).mount(server).await;
}

#[tokio::test]
async fn get_stages_sends_pipeline_start_and_limit_and_decodes_pipeline_info() {
    let server = MockServer::start().await;
    let mut stage = v1_stage();
    stage["pipeline_name"] = json!("Pipeline");
    stage["pipeline_deal_probability"] = json!(false);
    answer(
        &server,
        ok_with(
            json!([stage]),
            json!({"pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}}),
        ),
    )
    .await;

    let response = client(&server)
        .v1()
        .stages()
        .get_stages()
        .limit(100)
        .start(0)
        .pipeline_id(1)
        .send_with_meta()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "GET", "/v1/stages", Some("pipeline_id=1&start=0&limit=100"));
    assert_api_token_headers(&request);
    assert_no_body(&request);

    let [stage] = response.data.as_slice() else {
        panic!("one stage expected: {:?}", response.data)
    };
    assert_eq!(stage.id, Some(1));
    assert_eq!(stage.name.as_deref(), Some("Stage Name"));
    assert_eq!(stage.active_flag, Some(true));
    assert_eq!(stage.rotten_flag, Some(false));
    assert_eq!(stage.rotten_days, Some(1));
    assert_eq!(stage.pipeline_name.as_deref(), Some("Pipeline"));
    assert_eq!(stage.pipeline_deal_probability, Some(false));
    // v1's `Format: YYYY-MM-DD HH:MM:SS` (in the description, no `format`): the text as sent,
    // read as UTC on request.
    let added = stage.add_time.as_ref().expect("add_time");
    assert_eq!(added.as_str(), "2017-08-03 12:51:18");
    assert_eq!(added.to_offset_date_time().unwrap().unix_timestamp(), 1_501_764_678);
    assert!(stage.extra.is_empty(), "{:?}", stage.extra);
    let pagination = response.offset_pagination().unwrap();
    assert_eq!(pagination.start, Some(0));
    assert_eq!(pagination.limit, Some(100));
    assert!(!pagination.more_items_in_collection);
}

#[tokio::test]
async fn get_stage_puts_the_id_in_the_path_and_decodes_the_stage() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/1"))
        .respond_with(ok(v1_stage()))
        .mount(&server)
        .await;

    let stage = client(&server).v1().stages().get_stage(1).send().await.unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "GET", "/v1/stages/1", None);
    assert_api_token_headers(&request);
    assert_no_body(&request);
    assert_eq!(stage, v1_stage_decoded());
}

#[tokio::test]
async fn add_stage_sends_only_the_fields_that_are_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/stages"))
        .respond_with(ok(v1_stage()))
        .mount(&server)
        .await;

    let stage = client(&server)
        .v1()
        .stages()
        .add_stage("Stage Name", 1)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "POST", "/v1/stages", None);
    assert_api_token_headers(&request);
    assert_json_body(&request, &json!({"name": "Stage Name", "pipeline_id": 1}));
    assert_eq!(stage, v1_stage_decoded());
}

#[tokio::test]
async fn add_stage_sends_v1_field_names_for_the_optional_fields() {
    let server = MockServer::start().await;
    answer(&server, ok(v1_stage())).await;

    client(&server)
        .v1()
        .stages()
        .add_stage("Stage Name", 1)
        .deal_probability(100)
        .rotten_flag(true)
        .rotten_days(1)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_json_body(
        &request,
        &json!({
            "name": "Stage Name",
            "pipeline_id": 1,
            "deal_probability": 100,
            "rotten_flag": true,
            "rotten_days": 1
        }),
    );
}

#[tokio::test]
async fn update_stage_puts_only_the_fields_that_are_set() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/stages/1"))
        .respond_with(ok(v1_stage()))
        .mount(&server)
        .await;

    let stage = client(&server)
        .v1()
        .stages()
        .update_stage(1)
        .order_nr(3)
        .name("Renamed")
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "PUT", "/v1/stages/1", None);
    assert_api_token_headers(&request);
    assert_json_body(&request, &json!({"name": "Renamed", "order_nr": 3}));
    assert_eq!(stage, v1_stage_decoded());
}

#[tokio::test]
async fn delete_stage_sends_no_body_and_decodes_the_deleted_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/stages/1"))
        .respond_with(ok(json!({"id": 1})))
        .mount(&server)
        .await;

    let deleted = client(&server).v1().stages().delete_stage(1).send().await.unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "DELETE", "/v1/stages/1", None);
    assert_api_token_headers(&request);
    assert_no_body(&request);
    assert_eq!(deleted.id, Some(1));
}

#[tokio::test]
async fn delete_stages_sends_the_ids_in_the_query_and_decodes_the_deleted_ids() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/stages"))
        .respond_with(ok(json!({"id": [1, 2]})))
        .mount(&server)
        .await;

    let deleted = client(&server)
        .v1()
        .stages()
        .delete_stages(vec![1, 2])
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    // The document types `ids` as text ("The comma-separated stage IDs"); the client takes a list
    // and joins it. The comma is form-encoded on the wire; servers decode it back to `1,2`.
    assert_request_line(&request, "DELETE", "/v1/stages", Some("ids=1%2C2"));
    let pairs: Vec<_> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs, vec![("ids".to_owned(), "1,2".to_owned())]);
    assert_api_token_headers(&request);
    assert_no_body(&request);
    assert_eq!(deleted.id, Some(vec![1, 2]));
}

#[tokio::test]
async fn get_stage_deals_sends_every_query_parameter_with_everyone_as_a_number() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/2/deals"))
        .respond_with(ok_with(
            json!([v1_deal(1)]),
            json!({"pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}}),
        ))
        .mount(&server)
        .await;

    let deals = client(&server)
        .v1()
        .stages()
        .get_stage_deals(2)
        .filter_id(7)
        .user_id(456)
        .everyone(true)
        .start(0)
        .limit(100)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(
        &request,
        "GET",
        "/v1/stages/2/deals",
        Some("filter_id=7&user_id=456&everyone=1&start=0&limit=100"),
    );
    assert_api_token_headers(&request);
    assert_no_body(&request);

    let [deal] = deals.as_slice() else {
        panic!("one deal expected: {deals:?}")
    };
    assert_eq!(deal.id, Some(1));
    assert_eq!(deal.title.as_deref(), Some("Deal 1"));
    assert_eq!(deal.stage_id, Some(2));
    assert_eq!(deal.user_id, Some(456));
    assert_eq!(deal.value, Some(5000.0));
    assert_eq!(deal.weighted_value, Some(5000.0));
    assert_eq!(deal.currency.as_deref(), Some("EUR"));
    assert_eq!(deal.formatted_value.as_deref(), Some("€5,000"));
    assert_eq!(deal.status.as_deref(), Some("open"));
    assert_eq!(deal.probability, None, "null decodes as None");
    assert_eq!(deal.last_activity_id, None);
    assert_eq!(deal.active, Some(true));
    assert_eq!(deal.org_hidden, Some(false));
    assert_eq!(deal.visible_to.as_deref(), Some("1"));
    // `format: date`: the text as sent, parsed on request.
    let close = deal.expected_close_date.as_ref().expect("expected_close_date");
    assert_eq!(close.as_str(), "2019-06-29");
    let close = close.to_date().unwrap();
    assert_eq!((close.year(), u8::from(close.month()), close.day()), (2019, 6, 29));
    assert!(
        deal.extra.is_empty(),
        "every example field is in the type: {:?}",
        deal.extra
    );
}

#[tokio::test]
async fn get_stage_deals_sends_everyone_false_as_zero() {
    let server = MockServer::start().await;
    answer(&server, ok(json!([]))).await;

    let deals = client(&server)
        .v1()
        .stages()
        .get_stage_deals(3)
        .everyone(false)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "GET", "/v1/stages/3/deals", Some("everyone=0"));
    assert!(deals.is_empty());
}

#[tokio::test]
async fn custom_fields_on_a_deal_land_in_extra() {
    let server = MockServer::start().await;
    let mut deal = v1_deal(1);
    deal["abc123_custom"] = json!("x");
    deal["9f8e7d_amount"] = json!(12.5);
    deal["def456_person"] = json!({"name": "Ann", "value": 4});
    answer(&server, ok(json!([deal]))).await;

    let deals = client(&server).v1().stages().get_stage_deals(2).send().await.unwrap();

    let extra = &deals[0].extra;
    assert_eq!(extra.len(), 3, "{extra:?}");
    assert_eq!(extra["abc123_custom"], json!("x"));
    assert_eq!(extra["9f8e7d_amount"], json!(12.5));
    assert_eq!(extra["def456_person"], json!({"name": "Ann", "value": 4}));
    assert_eq!(
        deals[0].title.as_deref(),
        Some("Deal 1"),
        "known fields are not in extra"
    );
    assert!(!extra.contains_key("title"));
}

#[tokio::test]
async fn v1_null_data_for_an_empty_list_is_an_empty_vec() {
    let server = MockServer::start().await;
    answer(
        &server,
        ok_with(json!(null), json!({"pagination": {"more_items_in_collection": false}})),
    )
    .await;

    let deals = client(&server).v1().stages().get_stage_deals(2).send().await.unwrap();

    assert!(deals.is_empty());
}

#[tokio::test]
async fn tokens_spent_adds_each_v1_operations_token_cost() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/stages/2/deals"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/stages"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/stages"))
        .respond_with(ok(json!({"id": [1]})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ok(json!({"id": 1})))
        .mount(&server)
        .await;
    answer(&server, ok(v1_stage())).await;
    let client = client(&server);
    let stages = client.v1().stages();

    assert_eq!(GetStages::TOKEN_COST, 10);
    assert_eq!(GetStage::TOKEN_COST, 2);
    assert_eq!(AddStage::TOKEN_COST, 10);
    assert_eq!(UpdateStage::TOKEN_COST, 10);
    assert_eq!(DeleteStage::TOKEN_COST, 6);
    assert_eq!(DeleteStages::TOKEN_COST, 10);
    assert_eq!(GetStageDeals::TOKEN_COST, 20);

    stages.get_stage_deals(2).send().await.unwrap();
    assert_eq!(client.tokens_spent(), 20);
    stages.get_stages().send().await.unwrap();
    stages.get_stage(1).send().await.unwrap();
    stages.add_stage("A", 1).send().await.unwrap();
    stages.update_stage(1).send().await.unwrap();
    stages.delete_stage(1).send().await.unwrap();
    stages.delete_stages(vec![1]).send().await.unwrap();
    assert_eq!(client.tokens_spent(), 20 + 10 + 2 + 10 + 10 + 6 + 10);
}
