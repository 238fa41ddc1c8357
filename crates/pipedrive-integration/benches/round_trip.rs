//! Per-request overhead of the generated client over hand-written `reqwest` + `serde_json` code,
//! as a ratio measured in alternation ([`pipedrive_integration::paired`]), against the minimal
//! keep-alive HTTP/1.1 server of [`pipedrive_integration::loopback`] in this process.
//!
//! Each comparison runs a baseline call and a candidate call in turn, thousands of times, and
//! reports both medians, their ratio, and the lowest and highest ratio over ten consecutive
//! blocks of rounds (how much the ratio moves with the machine). The hand-written baselines
//! ([`HandWritten`]):
//!
//! - `minimal`: sends only the token and decodes into [`Stage`], every field required: the least
//!   code that works, and the fastest to decode.
//! - `same request, same data`: sends what the generated client sends (the same `User-Agent` and
//!   `Accept`, the same 30 s per-request timeout) and decodes into [`ShapedStage`], shaped like the
//!   generated `Stage` (optional fields, unknown fields kept). Against it, the ratio is the
//!   client's own cost: building the request, auth, retries, metadata, the envelope.
//!
//! Two rows send the generated request through the runtime but decode into [`Stage`], as a
//! caller with their own types would. Two rows compare hand-written calls only: `minimal` against
//! itself (a check of the method: it must come out at 1.00) and against `minimal` with a 30 s
//! timeout (what the timeout alone costs). Before measuring, every generated call is checked to
//! decode the same data as the hand-written ones.
//!
//! A ratio moves by a few percent from run to run (and from build to build), more than within a
//! run, so BENCHMARKS.md reports the median of several runs:
//!
//! ```text
//! cargo bench -p pipedrive-integration --bench round_trip
//! ROUNDS=10000 cargo bench -p pipedrive-integration --bench round_trip   # as in BENCHMARKS.md
//! ```
//!
//! `benches/client_overhead.rs` (divan) splits the same requests into building, the HTTP path
//! and decoding, with allocation counts; `examples/request_profile.rs` counts instructions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::time::Duration;

use divan::black_box;
use pipedrive::Client;
use pipedrive_integration::fixture::{self, ONE, PAGE, TIMEOUT};
use pipedrive_integration::hand_written::{Cursor, Envelope, HandWritten, SameAs, ShapedStage, Stage, all_same};
use pipedrive_integration::paired::{self, Paired};
use serde::de::DeserializeOwned;
use tokio::runtime::Runtime;

const TOKEN: &str = "bench-token";

fn main() {
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(4000_usize);
    let warmup = rounds / 10;

    let server = fixture::server().expect("loopback server");
    let base_url = server.base_url();
    let runtime = fixture::runtime().expect("runtime");
    let client = fixture::client(&server, TOKEN).expect("client");
    let user_agent = fixture::user_agent(&client).expect("user agent");
    let minimal = HandWritten::minimal(&base_url, TOKEN);
    let minimal_with_timeout = HandWritten::minimal(&base_url, TOKEN).timeout(TIMEOUT);
    let same_request = HandWritten::same_request(&base_url, TOKEN, &user_agent, TIMEOUT);

    let run = Run { runtime, client };
    run.check_same_data(&minimal, &same_request);

    let comparisons = [
        (Call::Stage(&minimal, ONE), Call::Generated(ONE)),
        (Call::Shaped(&same_request, ONE), Call::Generated(ONE)),
        (Call::Stage(&minimal, PAGE), Call::Generated(PAGE)),
        (Call::Shaped(&same_request, PAGE), Call::Generated(PAGE)),
        (Call::Stage(&same_request, ONE), Call::GeneratedIntoStage(ONE)),
        (Call::Stage(&same_request, PAGE), Call::GeneratedIntoStage(PAGE)),
        (Call::Raw(&same_request, ONE), Call::GeneratedRaw(ONE)),
        (Call::Raw(&same_request, PAGE), Call::GeneratedRaw(PAGE)),
        (Call::Raw(&minimal, ONE), Call::Raw(&minimal, ONE)),
        (Call::Raw(&minimal, ONE), Call::Raw(&minimal_with_timeout, ONE)),
    ];
    println!("{rounds} rounds each, after {warmup} rounds of warm-up; medians per request\n");
    println!("| request | baseline | candidate | baseline time | candidate time | ratio | ratio over 10 blocks |");
    println!("|---|---|---|---|---|---|---|");
    for (baseline, candidate) in comparisons {
        let paired = paired::measure(warmup, rounds, || run.call(baseline), || run.call(candidate));
        println!(
            "| {} | {} | {} | {} |",
            baseline.request(),
            baseline.describe(),
            candidate.describe(),
            row(&paired)
        );
    }
    drop(server);
}

/// One way of making a request; `&'static str` is the request target, [`ONE`] or [`PAGE`].
#[derive(Clone, Copy)]
enum Call<'a> {
    /// Hand-written, decoded into [`Stage`].
    Stage(&'a HandWritten, &'static str),
    /// Hand-written, decoded into [`ShapedStage`].
    Shaped(&'a HandWritten, &'static str),
    /// Hand-written, body read but not decoded.
    Raw(&'a HandWritten, &'static str),
    /// The generated client's `send()`.
    Generated(&'static str),
    /// The generated client's request through the runtime, decoded into [`Stage`]
    /// (`client.runtime().send_json`/`send_list`, as a caller with their own types would).
    GeneratedIntoStage(&'static str),
    /// The generated client's request through the runtime, body not decoded.
    GeneratedRaw(&'static str),
}

impl Call<'_> {
    fn request(self) -> String {
        let (target, decoded) = match self {
            Self::Stage(_, target)
            | Self::Shaped(_, target)
            | Self::Generated(target)
            | Self::GeneratedIntoStage(target) => (target, true),
            Self::Raw(_, target) | Self::GeneratedRaw(target) => (target, false),
        };
        let what = if target == ONE { "one stage" } else { "100 stages" };
        let decoded = if decoded { "" } else { ", not decoded (HTTP path only)" };
        format!("`GET {target}`, {what}{decoded}")
    }

    fn describe(self) -> String {
        match self {
            Self::Stage(hand, _) if hand.describe() == "minimal" => "minimal".to_owned(),
            Self::Stage(hand, _) => format!("{}, `Stage`", hand.describe()),
            Self::Shaped(hand, _) => format!("{}, same data", hand.describe()),
            Self::Raw(hand, _) => hand.describe(),
            Self::Generated(_) | Self::GeneratedRaw(_) => "generated".to_owned(),
            Self::GeneratedIntoStage(_) => "generated request, `Stage`".to_owned(),
        }
    }
}

struct Run {
    runtime: Runtime,
    client: Client,
}

impl Run {
    fn call(&self, call: Call<'_>) {
        let runtime = &self.runtime;
        match call {
            Call::Stage(hand, ONE) => drop(black_box(runtime.block_on(hand_written_one::<Stage>(hand)))),
            Call::Stage(hand, _) => drop(black_box(runtime.block_on(hand_written_page::<Stage>(hand)))),
            Call::Shaped(hand, ONE) => drop(black_box(runtime.block_on(hand_written_one::<ShapedStage>(hand)))),
            Call::Shaped(hand, _) => drop(black_box(runtime.block_on(hand_written_page::<ShapedStage>(hand)))),
            Call::Raw(hand, target) => drop(black_box(runtime.block_on(hand.get_body(target)).expect("body"))),
            Call::Generated(ONE) => drop(black_box(runtime.block_on(self.generated_one()))),
            Call::Generated(_) => drop(black_box(runtime.block_on(self.generated_page()))),
            Call::GeneratedIntoStage(ONE) => drop(black_box(runtime.block_on(self.generated_into::<Stage>(ONE)))),
            Call::GeneratedIntoStage(_) => drop(black_box(runtime.block_on(self.generated_into::<Stage>(PAGE)))),
            Call::GeneratedRaw(target) => drop(black_box(runtime.block_on(self.generated_raw(target)))),
        }
    }

    /// Both ways must decode the same data, or the comparison means nothing.
    fn check_same_data(&self, minimal: &HandWritten, same_request: &HandWritten) {
        let generated = self.runtime.block_on(self.generated_one());
        let hand = self.runtime.block_on(hand_written_one::<Stage>(minimal));
        assert!(hand.data.same_as(&generated), "{hand:?} vs {generated:?}");
        let hand = self.runtime.block_on(hand_written_one::<ShapedStage>(same_request));
        assert!(hand.data.same_as(&generated), "{hand:?} vs {generated:?}");

        let generated = self.runtime.block_on(self.generated_page());
        assert_eq!(generated.len(), 100);
        let hand = self.runtime.block_on(hand_written_page::<Stage>(minimal));
        assert_eq!(hand.additional_data.next_cursor, None);
        assert!(all_same(&hand.data, &generated));
        let hand = self.runtime.block_on(hand_written_page::<ShapedStage>(same_request));
        assert!(all_same(&hand.data, &generated));

        for target in [ONE, PAGE] {
            let hand = self.runtime.block_on(same_request.get_body(target)).expect("body");
            assert_eq!(hand, self.runtime.block_on(self.generated_raw(target)));
        }
        let own = self.runtime.block_on(self.generated_into::<Stage>(PAGE));
        assert!(all_same(&own, &generated));
    }

    async fn generated_one(&self) -> pipedrive::v2::types::Stage {
        self.client.v2().stages().get_stage(1).send().await.expect("getStage")
    }

    async fn generated_page(&self) -> Vec<pipedrive::v2::types::Stage> {
        let stages = self.client.v2().stages();
        stages.get_stages().limit(100).send().await.expect("getStages")
    }

    /// The generated request for `target`.
    fn generated_request(&self, target: &str) -> pipedrive::runtime::Request {
        let request = if target == ONE {
            fixture::one_stage_request(&self.client)
        } else {
            fixture::page_request(&self.client)
        };
        request.expect("request")
    }

    /// The generated request for `target` through the runtime's HTTP path, without decoding.
    async fn generated_raw(&self, target: &str) -> pipedrive::runtime::Bytes {
        let request = self.generated_request(target);
        let response = self.client.runtime().send_bytes(request).await;
        response.expect("send").data
    }

    /// The generated request for `target`, its `data` decoded into `T` (one) or `Vec<T>` (a page).
    async fn generated_into<T: DeserializeOwned>(&self, target: &str) -> Vec<T> {
        let request = self.generated_request(target);
        let runtime = self.client.runtime();
        if target == ONE {
            vec![runtime.send_json::<T>(request).await.expect("getStage").data]
        } else {
            runtime.send_list::<T>(request).await.expect("getStages").data
        }
    }
}

async fn hand_written_one<T: DeserializeOwned>(baseline: &HandWritten) -> Envelope<T> {
    baseline.get_json(ONE).await.expect("getStage")
}

async fn hand_written_page<T: DeserializeOwned>(baseline: &HandWritten) -> Envelope<Vec<T>, Cursor> {
    baseline.get_json(PAGE).await.expect("getStages")
}

fn row(paired: &Paired) -> String {
    let micros = |d: Option<Duration>| d.map_or_else(|| "-".to_owned(), |d| format!("{:.1} µs", d.as_secs_f64() * 1e6));
    let ratio = paired.ratio().map_or_else(|| "-".to_owned(), |r| format!("{r:.3}"));
    let spread = paired
        .ratio_spread(10)
        .map_or_else(|| "-".to_owned(), |(low, high)| format!("{low:.3} to {high:.3}"));
    format!(
        "{} | {} | {ratio} | {spread}",
        micros(paired.baseline_median()),
        micros(paired.candidate_median())
    )
}
