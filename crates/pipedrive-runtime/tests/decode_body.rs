//! `decode_body`: a canned answer decodes, or fails, exactly as the same body sent by a server to
//! `send_with_meta()` does, for each way of decoding (envelope, list, whole body, no data, file).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::common;

use std::collections::BTreeMap;

use pipedrive_runtime::{
    Answer, Body, Client, Data, Decode, Download, Endpoint, Error, ErrorKind, List, NoData, Request, ResponseFuture,
    RetryPolicy, decode_body,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Stage {
    id: i64,
    name: String,
}

/// A documented `additional_data`, read into a type of its own.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Extra {
    company_id: i64,
}

type Related = BTreeMap<String, BTreeMap<String, Stage>>;

/// A builder as the generator writes one, decoding its answer as `D`.
#[derive(Debug)]
struct Op<D> {
    client: Client,
    decoding: std::marker::PhantomData<fn() -> D>,
}

impl<D> Clone for Op<D> {
    fn clone(&self) -> Self {
        Op {
            client: self.client.clone(),
            decoding: std::marker::PhantomData,
        }
    }
}

impl<D: Decode> Endpoint for Op<D> {
    type Response = D;

    fn operation() -> &'static pipedrive_runtime::Operation {
        &common::GET_STAGE
    }

    fn client(&self) -> &Client {
        &self.client
    }

    fn to_request(&self) -> pipedrive_runtime::Result<Request> {
        Ok(Request::new(&common::GET_STAGE, "/api/v2/stages/1".to_owned()))
    }
}

/// What `send_with_meta()` returns when a server answers `body` (200, no retries).
async fn sent<D: Decode>(body: &[u8]) -> Result<Answer<D>, Error> {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::new(common::config(&server).retry(RetryPolicy::none())).unwrap();
    let op = Op::<D> {
        client,
        decoding: std::marker::PhantomData,
    };
    // What a generated builder's `send_with_meta()` returns.
    ResponseFuture::new(op).await
}

/// The parts of an error a caller reads to find what failed and where.
fn described(err: &Error) -> (ErrorKind, Option<&'static str>, Option<String>, String) {
    (
        err.kind(),
        err.operation_id(),
        err.decode_path().map(str::to_owned),
        err.to_string(),
    )
}

#[tokio::test]
async fn an_envelope_decodes_with_its_additional_data_and_related_objects() {
    let body = json!({
        "success": true,
        "data": {"id": 4, "name": "Qualified"},
        "additional_data": {"company_id": 7, "next_cursor": "c2"},
        "related_objects": {"stage": {"4": {"id": 4, "name": "Qualified"}}},
    })
    .to_string();
    let canned = decode_body::<Op<Data<Stage, Extra, Related>>>(body.as_bytes()).unwrap();
    let live = sent::<Data<Stage, Extra, Related>>(body.as_bytes()).await.unwrap();
    assert_eq!(canned.data, live.data);
    assert_eq!(canned.data.name, "Qualified");
    assert_eq!(canned.additional_data, Some(Extra { company_id: 7 }));
    assert_eq!(canned.additional_data, live.additional_data);
    assert_eq!(canned.related_objects, live.related_objects);
    assert_eq!(canned.related_objects.as_ref().unwrap()["stage"]["4"].id, 4);
    assert_eq!(
        canned.next_cursor(),
        Some("c2"),
        "pagination state is read as from a call"
    );
    assert_eq!(canned.meta.status, 200);
    assert_eq!(canned.meta.operation_id, "getStage");
    assert_eq!(canned.meta.token_cost, 1);
    assert_eq!(canned.meta.request_id, None);
}

#[tokio::test]
async fn a_list_decodes_and_v1s_null_is_empty() {
    let body = br#"{"success":true,"data":[{"id":1,"name":"a"},{"id":2,"name":"b"}],
        "additional_data":{"pagination":{"start":0,"limit":2,"more_items_in_collection":true,"next_start":2}}}"#;
    let canned = decode_body::<Op<List<Stage>>>(body).unwrap();
    assert_eq!(canned.data, sent::<List<Stage>>(body).await.unwrap().data);
    assert_eq!(canned.data.len(), 2);
    assert_eq!(canned.offset_pagination().and_then(|p| p.next_start), Some(2));
    let empty = decode_body::<Op<List<Stage>>>(br#"{"success":true,"data":null}"#).unwrap();
    assert!(empty.data.is_empty());
}

#[tokio::test]
async fn a_whole_body_no_data_and_a_file_decode_as_from_a_call() {
    let body = br#"{"id":4,"name":"no envelope"}"#;
    let canned = decode_body::<Op<Body<Stage>>>(body).unwrap();
    assert_eq!(canned.data, sent::<Body<Stage>>(body).await.unwrap().data);
    decode_body::<Op<NoData>>(b"").unwrap();
    decode_body::<Op<NoData>>(br#"{"success":true}"#).unwrap();
    let file = decode_body::<Op<Download>>(b"%PDF-1.7").unwrap();
    assert_eq!(&file.data[..], b"%PDF-1.7");
}

#[tokio::test]
async fn a_body_the_types_refuse_fails_as_from_a_call_with_operation_and_path() {
    let bodies: [&[u8]; 6] = [
        br#"{"success":true,"data":{"id":4,"name":7}}"#,
        br#"{"success":true,"data":{"id":4}}"#,
        br#"{"success":true,"data":{"id":4,"name":"x"},"additional_data":{"company_id":"seven"}}"#,
        br#"{"success":true,"data":{"id":4,"name":"x"},"related_objects":{"stage":{"4":{"id":"4"}}}}"#,
        br#"{"items":[]}"#,
        b"<html>proxy</html>",
    ];
    let paths = [
        Some("data.name"),
        Some("data"),
        Some("additional_data.company_id"),
        Some("related_objects.stage.4.id"),
        None,
        None,
    ];
    for (body, path) in bodies.iter().zip(paths) {
        let canned = decode_body::<Op<Data<Stage, Extra, Related>>>(body).unwrap_err();
        let live = sent::<Data<Stage, Extra, Related>>(body).await.unwrap_err();
        assert_eq!(
            described(&canned),
            described(&live),
            "{}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(canned.kind(), ErrorKind::Decode);
        assert_eq!(canned.operation_id(), Some("getStage"));
        assert_eq!(canned.decode_path(), path, "{canned}");
    }
    let canned =
        decode_body::<Op<List<Stage>>>(br#"{"success":true,"data":[{"id":1,"name":"a"},{"id":"2"}]}"#).unwrap_err();
    assert_eq!(canned.decode_path(), Some("data[1].id"));
    assert_eq!(
        canned.to_string(),
        "getStage: could not decode the response at `data[1].id`: invalid type: string \"2\", expected i64"
    );
}

#[tokio::test]
async fn success_false_is_an_api_error_as_from_a_call() {
    let body = br#"{"success":false,"error":"Stage not found","code":"ERR_NOT_FOUND"}"#;
    let canned = decode_body::<Op<Data<Stage>>>(body).unwrap_err();
    let live = sent::<Data<Stage>>(body).await.unwrap_err();
    assert_eq!(described(&canned), described(&live));
    assert_eq!(canned.kind(), ErrorKind::Api);
    assert_eq!(
        canned.api_error().and_then(|e| e.error.as_deref()),
        Some("Stage not found")
    );
    assert_eq!(decode_body::<Op<NoData>>(body).unwrap_err().kind(), ErrorKind::Api);
}
