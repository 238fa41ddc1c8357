//! Runs one kind of request many times against the loopback server, for a profiler.
//!
//! Timing on a shared machine drifts; instruction counts do not. Run under callgrind, this gives
//! the client thread's instructions per request for the generated client and for the
//! hand-written `same request, same data` baseline of `benches/round_trip.rs`, and a profile that
//! shows where the difference goes:
//!
//! ```text
//! cargo build --release -p pipedrive-integration --example request_profile
//! valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=cg.generated-page \
//!     target/release/examples/request_profile generated-page 2000
//! grep summary cg.generated-page-01      # thread 1 is the client; divide by the count
//! callgrind_annotate --inclusive=yes cg.generated-page-01 | head -60
//! ```
//!
//! Kinds: `hand-written-raw`, `generated-raw` (`GET /api/v2/stages/1`, body not decoded),
//! `hand-written-one`, `generated-one` (one stage, decoded), `hand-written-page`,
//! `generated-page` (`GET /api/v2/stages?limit=100`, decoded). Set-up (server, TLS roots of the
//! default HTTP client) is the same for every kind; compare two runs with the same count.

use std::process::ExitCode;

use pipedrive_integration::fixture::{self, ONE, PAGE, TIMEOUT};
use pipedrive_integration::hand_written::{Cursor, Envelope, HandWritten, ShapedStage};

const USAGE: &str = "usage: request_profile <hand-written-raw|generated-raw|hand-written-one|generated-one|\
                     hand-written-page|generated-page> <count>";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(kind), Some(Ok(count))) = (args.next(), args.next().map(|count| count.parse::<usize>())) else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    match run(&kind, count) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("unknown kind {kind:?}; {USAGE}");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("request_profile: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Sends `count` requests of `kind`; `Ok(false)` for an unknown kind.
fn run(kind: &str, count: usize) -> Result<bool, Box<dyn std::error::Error>> {
    let server = fixture::server()?;
    let runtime = fixture::runtime()?;
    let client = fixture::client(&server, "profile-token")?;
    let user_agent = fixture::user_agent(&client)?;
    let hand = HandWritten::same_request(&server.base_url(), "profile-token", &user_agent, TIMEOUT);
    let stages = client.v2().stages();
    runtime.block_on(async {
        for _ in 0..count {
            match kind {
                "hand-written-raw" => drop(hand.get_body(ONE).await?),
                "generated-raw" => {
                    let request = fixture::one_stage_request(&client)?;
                    drop(client.runtime().send_bytes(request).await?);
                }
                "hand-written-one" => drop(hand.get_json::<Envelope<ShapedStage>>(ONE).await?),
                "generated-one" => drop(stages.get_stage(1).send().await?),
                "hand-written-page" => drop(hand.get_json::<Envelope<Vec<ShapedStage>, Cursor>>(PAGE).await?),
                "generated-page" => drop(stages.get_stages().limit(100).send().await?),
                _ => return Ok::<bool, Box<dyn std::error::Error>>(false),
            }
        }
        Ok(true)
    })
}
