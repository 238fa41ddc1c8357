//! Every Stages operation of API v2 (`/api/v2/stages`) against a local server: the exact method,
//! path, query string, headers and JSON body the generated client sends, how the response is
//! decoded into the generated types (unknown fields, nulls), client-side validation of `limit`,
//! path parameters, `send_with_meta()` metadata and the token accounting of `tokens_spent()`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use common::{
    assert_api_token_headers, assert_json_body, assert_no_body, assert_no_secret, assert_request_line, client, hits,
    ok, ok_with, single_request, v2_stage, v2_stage_decoded,
};
use pipedrive::ErrorKind;
use pipedrive::v2::stages::{AddStage, DeleteStage, GetStage, GetStages, UpdateStage};
use pipedrive::v2::types::{AddStageRequest, GetStagesSortBy, SortDirection, UpdateStageRequest};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts one answer for every request.
async fn answer(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any()).respond_with(template).mount(server).await;
}

#[tokio::test]
async fn get_stages_sends_every_query_parameter_and_decodes_the_list() {
    let server = MockServer::start().await;
    answer(
        &server,
        ok_with(
            json!([v2_stage(1), v2_stage(2)]),
            json!({"next_cursor": "eyJmaWVsZCI6ImlkIiwiZmllbGRWYWx1ZSI6Nywic29ydERpcmVjdGlvbiI6ImFzYyIsImlkIjo3fQ"}),
        ),
    )
    .await;

    let response = client(&server)
        .v2()
        .stages()
        .get_stages()
        .sort_by(GetStagesSortBy::UpdateTime)
        .sort_direction(SortDirection::Desc)
        .limit(50)
        .pipeline_id(1)
        .send_with_meta()
        .await
        .unwrap();

    let request = single_request(&server).await;
    // The generator emits the parameters in the document's order, whatever order the setters ran in.
    assert_request_line(
        &request,
        "GET",
        "/api/v2/stages",
        Some("pipeline_id=1&sort_by=update_time&sort_direction=desc&limit=50"),
    );
    assert_api_token_headers(&request);
    assert_no_body(&request);

    assert_eq!(response.data, vec![v2_stage_decoded(1), v2_stage_decoded(2)]);
    assert_eq!(
        response.next_cursor(),
        Some("eyJmaWVsZCI6ImlkIiwiZmllbGRWYWx1ZSI6Nywic29ydERpcmVjdGlvbiI6ImFzYyIsImlkIjo3fQ")
    );
}

#[tokio::test]
async fn get_stages_without_parameters_sends_no_query_string() {
    let server = MockServer::start().await;
    answer(&server, ok(json!([v2_stage(1)]))).await;

    let stages = client(&server).v2().stages().get_stages().send().await.unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "GET", "/api/v2/stages", None);
    assert_api_token_headers(&request);
    assert_eq!(stages, vec![v2_stage_decoded(1)]);
}

#[tokio::test]
async fn get_stages_sends_a_cursor_percent_encoded() {
    let server = MockServer::start().await;
    answer(&server, ok(json!([]))).await;

    let stages = client(&server)
        .v2()
        .stages()
        .get_stages()
        .cursor("a b&c=d/e+f")
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "GET", "/api/v2/stages", Some("cursor=a+b%26c%3Dd%2Fe%2Bf"));
    let pairs: Vec<_> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs, vec![("cursor".to_owned(), "a b&c=d/e+f".to_owned())]);
    assert!(stages.is_empty());
}

#[tokio::test]
async fn every_sort_value_is_sent_as_its_wire_name() {
    let server = MockServer::start().await;
    answer(&server, ok(json!([]))).await;
    let client = client(&server);

    for &sort_by in GetStagesSortBy::ALL {
        for &direction in SortDirection::ALL {
            client
                .v2()
                .stages()
                .get_stages()
                .sort_by(sort_by)
                .sort_direction(direction)
                .send()
                .await
                .unwrap();
        }
    }

    let queries: Vec<_> = common::received(&server)
        .await
        .iter()
        .map(|request| request.url.query().unwrap().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "sort_by=id&sort_direction=asc",
            "sort_by=id&sort_direction=desc",
            "sort_by=update_time&sort_direction=asc",
            "sort_by=update_time&sort_direction=desc",
            "sort_by=add_time&sort_direction=asc",
            "sort_by=add_time&sort_direction=desc",
            "sort_by=order_nr&sort_direction=asc",
            "sort_by=order_nr&sort_direction=desc",
        ]
    );
    // The Stages responses have no enums; these request enums parse their wire names and refuse others.
    assert_eq!("order_nr".parse::<GetStagesSortBy>().unwrap(), GetStagesSortBy::OrderNr);
    let err = "name".parse::<GetStagesSortBy>().unwrap_err().to_string();
    assert!(err.contains("name") && err.contains("update_time"), "{err}");
}

#[tokio::test]
async fn get_stages_null_data_is_an_empty_list() {
    let server = MockServer::start().await;
    answer(&server, ok_with(json!(null), json!({"next_cursor": null}))).await;

    let response = client(&server)
        .v2()
        .stages()
        .get_stages()
        .send_with_meta()
        .await
        .unwrap();

    assert!(response.data.is_empty());
    assert_eq!(response.next_cursor(), None);
}

#[tokio::test]
async fn get_stages_limit_above_500_is_refused_before_sending() {
    let server = MockServer::start().await;
    answer(&server, ok(json!([]))).await;
    let client = client(&server);

    let err = client.v2().stages().get_stages().limit(501).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert_eq!(err.operation_id(), Some("getStages"));
    assert!(err.to_string().contains("501"), "{err}");
    assert!(err.to_string().contains("500"), "{err}");
    assert_eq!(err.status(), None);
    assert_no_secret(&err);
    assert_eq!(hits(&server).await, 0, "nothing may be sent");
    assert_eq!(client.tokens_spent(), 0, "a refused request costs nothing");

    // The same check guards the request builder, the streams and the boundary value 500 passes.
    let refused = client
        .v2()
        .stages()
        .get_stages()
        .limit(10_000)
        .to_request()
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidRequest);
    let mut pages = Box::pin(client.v2().stages().get_stages().limit(501).pages());
    let first = futures::StreamExt::next(&mut pages).await.unwrap().unwrap_err();
    assert_eq!(first.kind(), ErrorKind::InvalidRequest);
    assert_eq!(hits(&server).await, 0);

    client.v2().stages().get_stages().limit(500).send().await.unwrap();
    let request = single_request(&server).await;
    assert_eq!(request.url.query(), Some("limit=500"));
}

#[tokio::test]
async fn get_stage_puts_the_id_in_the_path_and_decodes_the_stage() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages/1"))
        .respond_with(ok(v2_stage(1)))
        .mount(&server)
        .await;

    let stage = client(&server).v2().stages().get_stage(1).send().await.unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "GET", "/api/v2/stages/1", None);
    assert_api_token_headers(&request);
    assert_no_body(&request);
    assert_eq!(stage, v2_stage_decoded(1));
    // The document gives v2's times no `format`; "The stage creation time" says what they are,
    // and v2 sends RFC 3339: the text as sent, read on request.
    let added = stage.add_time.as_ref().expect("add_time");
    assert_eq!(added.as_str(), "2024-01-01T00:00:00Z");
    assert_eq!(added.to_offset_date_time().unwrap().unix_timestamp(), 1_704_067_200);
}

#[tokio::test]
async fn path_parameters_are_rendered_as_one_encoded_segment() {
    let server = MockServer::start().await;
    answer(&server, ok(v2_stage(1))).await;
    let client = client(&server);

    // Only integer ids exist among the Stages operations, so a value that needs escaping cannot be
    // passed through them; the request builder shows the rendered path, and the runtime's encoder
    // (which the generated code calls for every path parameter) is checked directly.
    assert_eq!(
        client.v2().stages().get_stage(42).to_request().unwrap().path(),
        "/api/v2/stages/42"
    );
    assert_eq!(
        client.v2().stages().update_stage(i64::MAX).to_request().unwrap().path(),
        "/api/v2/stages/9223372036854775807"
    );
    assert_eq!(
        pipedrive::runtime::encode_path_segment("a/b?c#d e"),
        "a%2Fb%3Fc%23d%20e"
    );

    client.v2().stages().delete_stage(-7).send().await.unwrap();
    let request = single_request(&server).await;
    assert_request_line(&request, "DELETE", "/api/v2/stages/-7", None);
}

#[tokio::test]
async fn add_stage_sends_only_the_fields_that_are_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/stages"))
        .respond_with(ok(v2_stage(1)))
        .mount(&server)
        .await;

    let stage = client(&server)
        .v2()
        .stages()
        .add_stage("Stage Name", 1)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "POST", "/api/v2/stages", None);
    assert_api_token_headers(&request);
    assert_json_body(&request, &json!({"name": "Stage Name", "pipeline_id": 1}));
    assert_eq!(stage, v2_stage_decoded(1));
}

#[tokio::test]
async fn add_stage_sends_every_optional_field_that_is_set() {
    let server = MockServer::start().await;
    answer(&server, ok(v2_stage(1))).await;

    client(&server)
        .v2()
        .stages()
        .add_stage(String::from("Qualified"), 3)
        .deal_probability(40)
        .is_deal_rot_enabled(true)
        .days_to_rotten(14)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "POST", "/api/v2/stages", None);
    assert_json_body(
        &request,
        &json!({
            "name": "Qualified",
            "pipeline_id": 3,
            "deal_probability": 40,
            "is_deal_rot_enabled": true,
            "days_to_rotten": 14
        }),
    );
}

/// Request structs are `#[non_exhaustive]`: an application builds one with `new` (the required
/// fields) or `Default`, then assigns the optional fields.
#[test]
fn request_structs_are_built_with_new_or_default_and_send_only_what_is_set() {
    let mut add = AddStageRequest::new("Qualified", 3);
    add.days_to_rotten = Some(14);
    assert_eq!(
        serde_json::to_value(&add).unwrap(),
        json!({"name": "Qualified", "pipeline_id": 3, "days_to_rotten": 14})
    );

    let mut update = UpdateStageRequest::default();
    update.name = Some("Won".to_owned());
    assert_eq!(serde_json::to_value(&update).unwrap(), json!({"name": "Won"}));
}

#[tokio::test]
async fn update_stage_patches_only_the_fields_that_are_set() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/stages/1"))
        .respond_with(ok(v2_stage(1)))
        .mount(&server)
        .await;
    let client = client(&server);

    let stage = client
        .v2()
        .stages()
        .update_stage(1)
        .name("Renamed")
        .is_deal_rot_enabled(false)
        .send()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "PATCH", "/api/v2/stages/1", None);
    assert_api_token_headers(&request);
    assert_json_body(&request, &json!({"name": "Renamed", "is_deal_rot_enabled": false}));
    assert_eq!(stage, v2_stage_decoded(1));
}

#[tokio::test]
async fn update_stage_with_nothing_set_sends_an_empty_object() {
    let server = MockServer::start().await;
    answer(&server, ok(v2_stage(1))).await;

    client(&server).v2().stages().update_stage(5).send().await.unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "PATCH", "/api/v2/stages/5", None);
    assert_json_body(&request, &json!({}));
}

#[tokio::test]
async fn delete_stage_sends_no_body_and_decodes_the_deleted_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/stages/1"))
        .respond_with(ok(json!({"id": 1})))
        .mount(&server)
        .await;

    let deleted = client(&server).v2().stages().delete_stage(1).send().await.unwrap();

    let request = single_request(&server).await;
    assert_request_line(&request, "DELETE", "/api/v2/stages/1", None);
    assert_api_token_headers(&request);
    assert_no_body(&request);
    assert_eq!(deleted.id, Some(1));
    assert!(deleted.extra.is_empty());
}

#[tokio::test]
async fn unknown_fields_land_in_extra_and_nulls_and_missing_fields_decode_as_none() {
    let server = MockServer::start().await;
    answer(
        &server,
        ok(json!({
            "id": 9,
            "name": "Sparse",
            "days_to_rotten": null,
            "is_deal_rot_enabled": false,
            "abc123_custom": "x",
            "new_field": {"nested": [1, 2]}
        })),
    )
    .await;

    let stage = client(&server).v2().stages().get_stage(9).send().await.unwrap();

    assert_eq!(stage.id, Some(9));
    assert_eq!(stage.name.as_deref(), Some("Sparse"));
    assert_eq!(stage.days_to_rotten, None);
    assert_eq!(stage.is_deal_rot_enabled, Some(false));
    assert_eq!(stage.pipeline_id, None, "absent fields are None");
    assert_eq!(stage.add_time, None);
    assert_eq!(stage.extra.len(), 2, "{:?}", stage.extra);
    assert_eq!(stage.extra["abc123_custom"], json!("x"));
    assert_eq!(stage.extra["new_field"], json!({"nested": [1, 2]}));
}

#[tokio::test]
async fn a_wrongly_typed_field_is_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    answer(&server, ok(json!([v2_stage(1), {"id": 2, "days_to_rotten": "two"}]))).await;

    let err = client(&server).v2().stages().get_stages().send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.decode_path(), Some("data[1].days_to_rotten"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_no_secret(&err);
}

#[tokio::test]
async fn send_with_meta_exposes_status_rate_limits_request_id_and_additional_data() {
    let server = MockServer::start().await;
    answer(
        &server,
        ok_with(json!([v2_stage(1)]), json!({"next_cursor": null}))
            .insert_header("x-ratelimit-limit", "80")
            .insert_header("x-ratelimit-remaining", "79")
            .insert_header("x-ratelimit-reset", "2")
            .insert_header("x-daily-ratelimit-token-limit", "30000")
            .insert_header("x-daily-ratelimit-token-remaining", "29995")
            .insert_header("x-correlation-id", "b6e5c1d2-0f3a-4d4e-9d61-3c2b1a0f9e8d"),
    )
    .await;

    let response = client(&server)
        .v2()
        .stages()
        .get_stages()
        .send_with_meta()
        .await
        .unwrap();

    let meta = &response.meta;
    assert_eq!(meta.status.as_u16(), 200);
    assert_eq!(meta.rate_limit.limit, Some(80));
    assert_eq!(meta.rate_limit.remaining, Some(79));
    assert_eq!(meta.rate_limit.reset_after, Some(std::time::Duration::from_secs(2)));
    assert_eq!(meta.rate_limit.daily_token_limit, Some(30_000));
    assert_eq!(meta.rate_limit.daily_token_remaining, Some(29_995));
    assert!(!meta.rate_limit.daily_budget_exhausted());
    assert_eq!(meta.request_id.as_deref(), Some("b6e5c1d2-0f3a-4d4e-9d61-3c2b1a0f9e8d"));
    assert_eq!(meta.operation_id, "getStages");
    assert_eq!(meta.token_cost, GetStages::TOKEN_COST);
    assert_eq!(meta.attempts, 1);
    assert_eq!(
        meta.headers.get("x-correlation-id").unwrap(),
        "b6e5c1d2-0f3a-4d4e-9d61-3c2b1a0f9e8d"
    );
    let additional = response.additional_data.expect("additional_data was sent");
    assert_eq!(additional.next_cursor, None);
    assert_eq!(response.data, vec![v2_stage_decoded(1)]);
}

#[tokio::test]
async fn tokens_spent_adds_each_operations_token_cost() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/stages"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ok(json!({"id": 1})))
        .mount(&server)
        .await;
    answer(&server, ok(v2_stage(1))).await;
    let client = client(&server);
    let stages = client.v2().stages();

    // The costs Pipedrive documents (`x-token-cost`), as the generator carried them over.
    assert_eq!(GetStages::TOKEN_COST, 5);
    assert_eq!(GetStage::TOKEN_COST, 1);
    assert_eq!(AddStage::TOKEN_COST, 5);
    assert_eq!(UpdateStage::TOKEN_COST, 5);
    assert_eq!(DeleteStage::TOKEN_COST, 3);
    assert_eq!(GetStages::OPERATION.token_cost, GetStages::TOKEN_COST);

    assert_eq!(client.tokens_spent(), 0);
    stages.get_stages().send().await.unwrap();
    assert_eq!(client.tokens_spent(), 5);
    stages.get_stage(1).send().await.unwrap();
    assert_eq!(client.tokens_spent(), 6);
    stages.add_stage("A", 1).send().await.unwrap();
    stages.update_stage(1).name("B").send().await.unwrap();
    stages.delete_stage(1).send().await.unwrap();
    assert_eq!(client.tokens_spent(), 5 + 1 + 5 + 5 + 3);
    // Clones share the counter.
    let clone = client.clone();
    clone.v2().stages().get_stage(1).send().await.unwrap();
    assert_eq!(client.tokens_spent(), 20);
    assert_eq!(hits(&server).await, 6);
}

#[tokio::test]
async fn the_client_debug_output_never_shows_the_token() {
    let server = MockServer::start().await;
    let config = common::config(&server);
    let client = pipedrive::Client::new(config.clone()).unwrap();

    for text in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.v2().stages().get_stages()),
        format!("{:?}", client.v2().stages().add_stage("A", 1)),
        format!("{config:?}"),
        format!("{:?}", client.v2().stages().get_stage(1).to_request().unwrap()),
    ] {
        assert!(!text.contains(common::SECRET), "token leaked: {text}");
        assert!(!text.contains("TOKEN-123"), "token leaked: {text}");
    }
    assert!(format!("{client:?}").contains("redacted"), "{client:?}");
}

/// An application's own type for what it reads, e.g. a deal with its custom fields typed.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct MyStage {
    id: i64,
    name: String,
    #[serde(rename = "5f2b1c0e_custom_field")]
    custom: Option<String>,
}

#[tokio::test]
async fn a_generated_request_can_be_decoded_into_the_callers_own_type() {
    let server = MockServer::start().await;
    let mut with_custom_field = v2_stage(2);
    with_custom_field["5f2b1c0e_custom_field"] = json!("gold");
    answer(
        &server,
        ok_with(json!([v2_stage(1), with_custom_field]), json!({"next_cursor": null})),
    )
    .await;

    let client = client(&server);
    let request = client.v2().stages().get_stages().limit(2).to_request().unwrap();
    let response = client.runtime().send_list::<MyStage>(request).await.unwrap();

    assert_request_line(&single_request(&server).await, "GET", "/api/v2/stages", Some("limit=2"));
    let expected = [(1, None), (2, Some("gold".to_owned()))].map(|(id, custom)| MyStage {
        id,
        name: "Stage Name".to_owned(),
        custom,
    });
    assert_eq!(response.data, expected);
    assert_eq!(response.next_cursor(), None);
    assert_eq!(response.meta.operation_id, "getStages");
    assert_eq!(client.tokens_spent(), u64::from(GetStages::TOKEN_COST));
}
