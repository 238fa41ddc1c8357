//! What the generated client costs per request over hand-written `reqwest` + `serde_json` code,
//! measured on the same requests in one run, against a minimal HTTP/1.1 server started inside this
//! process on 127.0.0.1 (`pipedrive_integration::loopback`: no matching, keep-alive, fixed JSON
//! bodies; not wiremock, whose matching would swamp what is measured).
//!
//! - `get_stage`: `GET /api/v2/stages/1`, one stage (the `getStage` example of
//!   `spec/pipedrive-v2.yaml`). `baseline` is a `reqwest::Client` GET with the `x-api-token`
//!   header and `serde_json::from_slice` into a small hand-written struct; `generated` is
//!   `client.v2().stages().get_stage(1).send()`.
//! - `get_stages_100`: `GET /api/v2/stages?limit=100`, 100 stages and a `next_cursor`, the same
//!   two ways (`get_stages().limit(100).send()`).
//! - Each of these two also has `baseline_body_only` and `generated_body_only`: the same exchange
//!   without decoding (the runtime's `send_bytes` for the generated request), which separates the
//!   client's HTTP path from its decoding.
//! - `build_request` and `decode_100` split the difference further: building the HTTP request
//!   without sending it, and decoding the 100-stage body alone, into the hand-written struct, into
//!   hand-written structs shaped like the generated one (every field an `Option`, then also a
//!   `#[serde(flatten)]` map of unknown fields) and into the generated `StageItem`; and, through
//!   `serde_path_to_error` as the runtime decodes, into the hand-written struct and `StageItem`.
//!
//! The client side runs on one current-thread tokio runtime, built once; each iteration
//! `block_on`s one request, so the time shown is per request. The server has its own thread and
//! runtime. Divan's allocation profiler reports the allocations of each iteration on the
//! benchmark thread, which is the whole client side. What matters is the ratio `generated /
//! baseline` of the medians (target: under 1.05); absolute times move by a few microseconds from
//! run to run on a busy 2-core machine, so compare within one run. Rerun with:
//!
//! ```text
//! cargo bench -p pipedrive-integration --bench client_overhead
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use divan::black_box;
use pipedrive::runtime::{Bytes, reqwest};
use pipedrive::v2::types::StageItem;
use pipedrive::{Auth, Client, Config};
use pipedrive_integration::bodies::{stage_body, stages_page_body};
use pipedrive_integration::loopback::Server;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::runtime::Runtime;

#[global_allocator]
static ALLOCATOR: divan::AllocProfiler = divan::AllocProfiler::system();

const TOKEN: &str = "bench-token";

fn main() {
    // Both ways must decode the same data, or the comparison means nothing.
    let fixture = &*FIXTURE;
    let hand = fixture.runtime.block_on(baseline_get_stage(fixture));
    let generated = fixture.runtime.block_on(generated_get_stage(fixture));
    assert_same(&hand.data, &generated);
    let hand = fixture.runtime.block_on(baseline_get_stages(fixture));
    let generated = fixture.runtime.block_on(generated_get_stages(fixture));
    assert_eq!(hand.data.len(), 100);
    assert_eq!(generated.len(), 100);
    assert_eq!(hand.additional_data.next_cursor, None);
    for (hand, generated) in hand.data.iter().zip(&generated) {
        assert_same(hand, generated);
    }
    divan::main();
}

/// The server, the client-side runtime and both clients, built once.
struct Fixture {
    _server: Server,
    base_url: String,
    runtime: Runtime,
    http: reqwest::Client,
    client: Client,
    page_body: Bytes,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let one = stage_body(1);
    let page = stages_page_body(1, 100, None);
    let served_page = page.clone();
    let server = Server::start(move |target| match target.split_once('?') {
        None if target == "/api/v2/stages/1" => Some(one.clone()),
        Some(("/api/v2/stages", _)) => Some(served_page.clone()),
        _ => None,
    })
    .expect("loopback server");
    let base_url = server.base_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::new(
        Config::new(Auth::api_token(TOKEN))
            .base_url(base_url.as_str())
            .allow_insecure_http(true),
    )
    .expect("client");
    Fixture {
        _server: server,
        base_url,
        runtime,
        http: reqwest::Client::new(),
        client,
        page_body: page,
    }
});

/// Pipedrive's envelope, hand-written.
#[derive(Debug, Deserialize)]
struct Envelope<T, A = ()> {
    data: T,
    #[serde(default)]
    additional_data: A,
}

/// `additional_data` of a cursor-paginated list.
#[derive(Debug, Default, Deserialize)]
struct Cursor {
    next_cursor: Option<String>,
}

/// A v2 stage, hand-written: the fields the application uses, with the types it expects.
#[derive(Debug, Deserialize)]
struct Stage {
    id: i64,
    order_nr: i64,
    name: String,
    is_deleted: bool,
    deal_probability: i64,
    pipeline_id: i64,
    is_deal_rot_enabled: bool,
    days_to_rotten: Option<i64>,
    add_time: String,
    update_time: String,
}

fn assert_same(hand: &Stage, generated: &StageItem) {
    assert_eq!(Some(hand.id), generated.id);
    assert_eq!(Some(hand.order_nr), generated.order_nr);
    assert_eq!(Some(&hand.name), generated.name.as_ref());
    assert_eq!(Some(hand.is_deleted), generated.is_deleted);
    assert_eq!(Some(hand.deal_probability), generated.deal_probability);
    assert_eq!(Some(hand.pipeline_id), generated.pipeline_id);
    assert_eq!(Some(hand.is_deal_rot_enabled), generated.is_deal_rot_enabled);
    assert_eq!(hand.days_to_rotten, generated.days_to_rotten);
    assert_eq!(Some(&hand.add_time), generated.add_time.as_ref());
    assert_eq!(Some(&hand.update_time), generated.update_time.as_ref());
    assert!(generated.extra.is_empty());
}

/// What an application would write without the generated client: GET with the token, check the
/// status, read the body, decode.
async fn hand_written_get<T: DeserializeOwned>(fixture: &Fixture, url: String) -> T {
    let response = fixture
        .http
        .get(url)
        .header("x-api-token", TOKEN)
        .send()
        .await
        .expect("send")
        .error_for_status()
        .expect("status");
    let body = response.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("decode")
}

/// [`hand_written_get`] without the decoding: the HTTP exchange alone.
async fn hand_written_body(fixture: &Fixture, url: String) -> Bytes {
    let response = fixture
        .http
        .get(url)
        .header("x-api-token", TOKEN)
        .send()
        .await
        .expect("send")
        .error_for_status()
        .expect("status");
    response.bytes().await.expect("body")
}

/// The generated request sent through the runtime without decoding (`Client::send_bytes`): the
/// client's HTTP path alone (auth, headers, timeout, retries, metadata).
async fn generated_body(fixture: &Fixture, request: pipedrive::runtime::Request) -> Bytes {
    fixture.client.runtime().send_bytes(request).await.expect("send").data
}

async fn baseline_get_stage(fixture: &Fixture) -> Envelope<Stage> {
    hand_written_get(fixture, format!("{}/api/v2/stages/{}", fixture.base_url, 1)).await
}

async fn baseline_get_stages(fixture: &Fixture) -> Envelope<Vec<Stage>, Cursor> {
    hand_written_get(fixture, format!("{}/api/v2/stages?limit={}", fixture.base_url, 100)).await
}

async fn generated_get_stage(fixture: &Fixture) -> StageItem {
    fixture
        .client
        .v2()
        .stages()
        .get_stage(1)
        .send()
        .await
        .expect("getStage")
}

async fn generated_get_stages(fixture: &Fixture) -> Vec<StageItem> {
    fixture
        .client
        .v2()
        .stages()
        .get_stages()
        .limit(100)
        .send()
        .await
        .expect("getStages")
}

/// `GET /api/v2/stages/1`: one stage.
#[divan::bench_group]
mod get_stage {
    use super::*;

    #[divan::bench]
    fn baseline() -> Envelope<Stage> {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(baseline_get_stage(fixture))
    }

    #[divan::bench]
    fn generated() -> StageItem {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(generated_get_stage(fixture))
    }

    #[divan::bench]
    fn baseline_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        let url = format!("{}/api/v2/stages/{}", fixture.base_url, 1);
        fixture.runtime.block_on(hand_written_body(fixture, url))
    }

    #[divan::bench]
    fn generated_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        let request = fixture.client.v2().stages().get_stage(1).to_request().expect("request");
        fixture.runtime.block_on(generated_body(fixture, request))
    }
}

/// `GET /api/v2/stages?limit=100`: a page of 100 stages.
#[divan::bench_group]
mod get_stages_100 {
    use super::*;

    #[divan::bench]
    fn baseline() -> Envelope<Vec<Stage>, Cursor> {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(baseline_get_stages(fixture))
    }

    #[divan::bench]
    fn generated() -> Vec<StageItem> {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(generated_get_stages(fixture))
    }

    #[divan::bench]
    fn baseline_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        let url = format!("{}/api/v2/stages?limit={}", fixture.base_url, 100);
        fixture.runtime.block_on(hand_written_body(fixture, url))
    }

    #[divan::bench]
    fn generated_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        let request = fixture
            .client
            .v2()
            .stages()
            .get_stages()
            .limit(100)
            .to_request()
            .expect("request");
        fixture.runtime.block_on(generated_body(fixture, request))
    }
}

/// Building the HTTP request for `GET /api/v2/stages?limit=100`, without sending it.
#[divan::bench_group]
mod build_request {
    use super::*;

    #[divan::bench]
    fn baseline() -> reqwest::Request {
        let fixture = &*FIXTURE;
        fixture
            .http
            .get(format!("{}/api/v2/stages?limit={}", fixture.base_url, 100))
            .header("x-api-token", TOKEN)
            .build()
            .expect("request")
    }

    #[divan::bench]
    fn generated() -> reqwest::Request {
        let fixture = &*FIXTURE;
        let request = fixture
            .client
            .v2()
            .stages()
            .get_stages()
            .limit(100)
            .to_request()
            .expect("request");
        fixture.client.runtime().build_request(&request).expect("request")
    }
}

/// Decoding the 100-stage body alone, into progressively more of what the generated client does.
#[divan::bench_group]
mod decode_100 {
    use super::*;

    /// The runtime's envelope, as far as a success body goes.
    #[derive(Deserialize)]
    struct RuntimeEnvelope<T> {
        #[serde(default)]
        #[allow(dead_code)]
        success: Option<bool>,
        #[allow(dead_code)]
        data: Option<T>,
        #[serde(default)]
        #[allow(dead_code)]
        additional_data: Option<Value>,
    }

    /// The generated stage's field types, without the map of unknown fields.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct OptionalStage {
        add_time: Option<String>,
        days_to_rotten: Option<i64>,
        deal_probability: Option<i64>,
        id: Option<i64>,
        is_deal_rot_enabled: Option<bool>,
        is_deleted: Option<bool>,
        name: Option<String>,
        order_nr: Option<i64>,
        pipeline_id: Option<i64>,
        update_time: Option<String>,
    }

    /// The generated stage's shape, hand-written: optional fields and `#[serde(flatten)]` extras.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct FlattenedStage {
        add_time: Option<String>,
        days_to_rotten: Option<i64>,
        deal_probability: Option<i64>,
        id: Option<i64>,
        is_deal_rot_enabled: Option<bool>,
        is_deleted: Option<bool>,
        name: Option<String>,
        order_nr: Option<i64>,
        pipeline_id: Option<i64>,
        update_time: Option<String>,
        #[serde(flatten)]
        extra: BTreeMap<String, Value>,
    }

    fn body() -> &'static [u8] {
        &FIXTURE.page_body
    }

    #[divan::bench]
    fn hand_written() -> Envelope<Vec<Stage>, Cursor> {
        serde_json::from_slice(black_box(body())).expect("decode")
    }

    #[divan::bench]
    fn optional_fields() -> RuntimeEnvelope<Vec<OptionalStage>> {
        serde_json::from_slice(black_box(body())).expect("decode")
    }

    #[divan::bench]
    fn optional_fields_and_flatten() -> RuntimeEnvelope<Vec<FlattenedStage>> {
        serde_json::from_slice(black_box(body())).expect("decode")
    }

    #[divan::bench]
    fn generated_stage_item() -> RuntimeEnvelope<Vec<StageItem>> {
        serde_json::from_slice(black_box(body())).expect("decode")
    }

    #[divan::bench]
    fn hand_written_path_to_error() -> Envelope<Vec<Stage>, Cursor> {
        let mut deserializer = serde_json::Deserializer::from_slice(black_box(body()));
        serde_path_to_error::deserialize(&mut deserializer).expect("decode")
    }

    #[divan::bench]
    fn generated_stage_item_path_to_error() -> RuntimeEnvelope<Vec<StageItem>> {
        let mut deserializer = serde_json::Deserializer::from_slice(black_box(body()));
        serde_path_to_error::deserialize(&mut deserializer).expect("decode")
    }
}
