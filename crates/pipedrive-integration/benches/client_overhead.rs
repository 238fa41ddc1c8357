//! What the generated client costs per request over hand-written `reqwest` + `serde_json` code,
//! measured on the same requests in one run, against a minimal HTTP/1.1 server started inside this
//! process on 127.0.0.1 (`pipedrive_integration::loopback`: no matching, keep-alive, fixed JSON
//! bodies; not wiremock, whose matching would swamp what is measured).
//!
//! - `get_stage`: `GET /api/v2/stages/1`, one stage (the `getStage` example of
//!   `spec/pipedrive-v2.yaml`). `baseline` is `HandWritten::minimal`, a `reqwest::Client` GET
//!   with the `x-api-token` header and `serde_json::from_slice` into the hand-written `Stage`;
//!   `generated` is `client.v2().stages().get_stage(1).send()`.
//! - `get_stages_100`: `GET /api/v2/stages?limit=100`, 100 stages and a `next_cursor`, the same
//!   two ways (`get_stages().limit(100).send()`).
//! - Each of these two also has `baseline_body_only` and `generated_body_only`: the same exchange
//!   without decoding (the runtime's `send_bytes` for the generated request), which separates the
//!   client's HTTP path from its decoding.
//! - `build_request` and `decode_100` split the difference further: building the HTTP request
//!   without sending it, and decoding the 100-stage body alone, into the hand-written struct, into
//!   hand-written structs shaped like the generated one (every field an `Option`, then also a
//!   `#[serde(flatten)]` map of unknown fields) and into the generated `GeneratedStage`; and, through
//!   `serde_path_to_error` as the runtime decodes, into the hand-written struct and `GeneratedStage`.
//!
//! The client side runs on one current-thread tokio runtime, built once; each iteration
//! `block_on`s one request, so the time shown is per request. The server has its own thread and
//! runtime. Divan's allocation profiler reports the allocations of each iteration on the
//! benchmark thread, which is the whole client side. Divan runs one benchmark after the other, so
//! a drift in the machine's speed between them shows up in their ratio: these figures attribute
//! costs and count allocations, while `benches/round_trip.rs` measures the headline ratios in
//! alternation. Rerun with:
//!
//! ```text
//! cargo bench -p pipedrive-integration --bench client_overhead
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::LazyLock;

use divan::black_box;
use pipedrive::Client;
use pipedrive::runtime::{Bytes, reqwest};
use pipedrive::v2::types::Stage as GeneratedStage;
use pipedrive_integration::bodies::stages_page_body;
use pipedrive_integration::fixture::{self, ONE, PAGE};
use pipedrive_integration::hand_written::{Cursor, Envelope, HandWritten, SameAs, ShapedStage, Stage, all_same};
use pipedrive_integration::loopback::Server;
use serde::Deserialize;
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
    assert!(all_same(&hand.data, &generated));
    divan::main();
}

/// The server, the client-side runtime and both clients, built once.
struct Fixture {
    _server: Server,
    base_url: String,
    runtime: Runtime,
    http: reqwest::Client,
    hand: HandWritten,
    client: Client,
    page_body: Bytes,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let server = fixture::server().expect("loopback server");
    let base_url = server.base_url();
    let runtime = fixture::runtime().expect("runtime");
    let client = fixture::client(&server, TOKEN).expect("client");
    Fixture {
        _server: server,
        hand: HandWritten::minimal(&base_url, TOKEN),
        base_url,
        runtime,
        http: reqwest::Client::new(),
        client,
        page_body: stages_page_body(1, 100, None),
    }
});

fn assert_same(hand: &Stage, generated: &GeneratedStage) {
    assert!(hand.same_as(generated), "{hand:?} vs {generated:?}");
}

/// The generated request sent through the runtime without decoding (`Client::send_bytes`): the
/// client's HTTP path alone (auth, headers, timeout, retries, metadata).
async fn generated_body(fixture: &Fixture, request: pipedrive::runtime::Request) -> Bytes {
    fixture.client.runtime().send_bytes(request).await.expect("send").data
}

async fn baseline_get_stage(fixture: &Fixture) -> Envelope<Stage> {
    fixture.hand.get_json(ONE).await.expect("getStage")
}

async fn baseline_get_stages(fixture: &Fixture) -> Envelope<Vec<Stage>, Cursor> {
    fixture.hand.get_json(PAGE).await.expect("getStages")
}

async fn generated_get_stage(fixture: &Fixture) -> GeneratedStage {
    fixture
        .client
        .v2()
        .stages()
        .get_stage(1)
        .send()
        .await
        .expect("getStage")
}

async fn generated_get_stages(fixture: &Fixture) -> Vec<GeneratedStage> {
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
    fn generated() -> GeneratedStage {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(generated_get_stage(fixture))
    }

    #[divan::bench]
    fn baseline_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(fixture.hand.get_body(ONE)).expect("body")
    }

    #[divan::bench]
    fn generated_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        let request = fixture::one_stage_request(&fixture.client).expect("request");
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
    fn generated() -> Vec<GeneratedStage> {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(generated_get_stages(fixture))
    }

    #[divan::bench]
    fn baseline_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        fixture.runtime.block_on(fixture.hand.get_body(PAGE)).expect("body")
    }

    #[divan::bench]
    fn generated_body_only() -> Bytes {
        let fixture = &*FIXTURE;
        let request = fixture::page_request(&fixture.client).expect("request");
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
            .get(format!("{}{PAGE}", fixture.base_url))
            .header("x-api-token", TOKEN)
            .build()
            .expect("request")
    }

    #[divan::bench]
    fn generated() -> reqwest::Request {
        let fixture = &*FIXTURE;
        let request = fixture::page_request(&fixture.client).expect("request");
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
    fn optional_fields_and_flatten() -> RuntimeEnvelope<Vec<ShapedStage>> {
        serde_json::from_slice(black_box(body())).expect("decode")
    }

    #[divan::bench]
    fn generated_stage_item() -> RuntimeEnvelope<Vec<GeneratedStage>> {
        serde_json::from_slice(black_box(body())).expect("decode")
    }

    #[divan::bench]
    fn hand_written_path_to_error() -> Envelope<Vec<Stage>, Cursor> {
        let mut deserializer = serde_json::Deserializer::from_slice(black_box(body()));
        serde_path_to_error::deserialize(&mut deserializer).expect("decode")
    }

    #[divan::bench]
    fn generated_stage_item_path_to_error() -> RuntimeEnvelope<Vec<GeneratedStage>> {
        let mut deserializer = serde_json::Deserializer::from_slice(black_box(body()));
        serde_path_to_error::deserialize(&mut deserializer).expect("decode")
    }
}
