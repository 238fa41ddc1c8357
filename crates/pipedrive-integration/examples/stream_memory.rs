//! Prints the generated client's peak heap use while streaming 1 000 and 10 000 v2 stages (100
//! per page) from the minimal loopback server, next to one page fetched with `send()` and to
//! collecting every item into a `Vec`. The same measurement as `tests/memory.rs`, which asserts on
//! it; figures are the peak growth of live heap bytes over the start of each measurement, counted
//! by a global allocator (`peak_alloc`) for the whole process, server thread included.
//!
//! ```text
//! cargo run --release -p pipedrive-integration --example stream_memory
//! ```

use std::process::ExitCode;

use peak_alloc::PeakAlloc;
use pipedrive::{Auth, Client, Config};
use pipedrive_integration::bodies::paged_stages;
use pipedrive_integration::heap::{self, Heap};
use pipedrive_integration::loopback::Server;

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

/// [`Heap`] over this binary's global allocator.
struct Counted;

impl Heap for Counted {
    fn current(&self) -> usize {
        ALLOCATOR.current_usage()
    }
    fn peak(&self) -> usize {
        ALLOCATOR.peak_usage()
    }
    fn reset_peak(&self) {
        ALLOCATOR.reset_peak_usage();
    }
}

const PER_PAGE: u64 = 100;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("peak heap growth, bytes ({PER_PAGE} stages per page):");
    for total in [1_000, 10_000] {
        let server = Server::start(paged_stages(total / PER_PAGE, PER_PAGE))?;
        let config = Config::new(Auth::api_token("example-token"))
            .base_url(server.base_url())
            .allow_insecure_http(true);
        let client = Client::new(config)?;
        let per_page = i64::try_from(PER_PAGE)?;
        let peaks = heap::stream_peaks(&client, &Counted, per_page, 1_000).await?;
        let (collected, _) = heap::collect_peak(&client, &Counted, per_page).await?;
        println!(
            "  {:>6} items: one page with send() {:>9}   stream() {:>9}   collect into a Vec {:>9}",
            peaks.items, peaks.one_page, peaks.all, collected
        );
    }
    Ok(())
}
