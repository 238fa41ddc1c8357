//! Memory stays flat while `stream()` walks a long list: 10 000 v2 stages served in 100 pages of
//! 100 by the minimal loopback server, consumed item by item through
//! `client.v2().stages().get_stages().limit(100).stream()`, each item dropped as it arrives.
//!
//! A counting global allocator (`peak_alloc`: `std::alloc::System` plus atomic counters of live
//! and peak bytes, the peak resettable) sees every allocation of this binary, which is why this
//! file is its own test binary with a single test. The peak heap growth while streaming every
//! item must stay below twice that of fetching one page with `send()`, plus 64 KiB, and must not
//! grow by more than half between the 1 000th and the 10 000th item; collecting every item into a
//! `Vec`, measured too, must break that bound, so the bound is known to catch a stream that keeps
//! its pages. The figures are printed:
//!
//! ```text
//! cargo test -p pipedrive-integration --test memory -- --nocapture
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

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

const PAGES: u64 = 100;
const PER_PAGE: u64 = 100;
const CHECKPOINT: usize = 1_000;
/// Room for buffers whose size is not tied to a page (HTTP read buffers settling, the runtime).
const SLACK: usize = 64 * 1024;

#[tokio::test(flavor = "current_thread")]
async fn streaming_10_000_stages_holds_one_page_at_a_time() {
    let server = Server::start(paged_stages(PAGES, PER_PAGE)).unwrap();
    let config = Config::new(Auth::api_token("memory-test-token"))
        .base_url(server.base_url())
        .allow_insecure_http(true);
    let client = Client::new(config).unwrap();

    let peaks = heap::stream_peaks(&client, &Counted, PER_PAGE as i64, CHECKPOINT)
        .await
        .unwrap();
    let (collected, collected_items) = heap::collect_peak(&client, &Counted, PER_PAGE as i64).await.unwrap();
    let bound = 2 * peaks.one_page + SLACK;
    eprintln!(
        "peak heap growth: one {PER_PAGE}-stage page with send(): {} B; stream(): after {} items {} B, after {} items {} B; \
         bound {bound} B; collecting all {collected_items} items: {collected} B",
        peaks.one_page, peaks.checkpoint, peaks.at_checkpoint, peaks.items, peaks.all
    );

    assert_eq!(peaks.items as u64, PAGES * PER_PAGE, "every stage is streamed");
    assert_eq!(collected_items as u64, PAGES * PER_PAGE);
    assert!(
        peaks.all < bound,
        "streaming {} items peaked at {} B, above 2 × one page ({} B) + {SLACK} B",
        peaks.items,
        peaks.all,
        peaks.one_page
    );
    assert!(
        2 * peaks.all <= 3 * peaks.at_checkpoint,
        "the peak grew from {} B after {} items to {} B after {}",
        peaks.at_checkpoint,
        peaks.checkpoint,
        peaks.all,
        peaks.items
    );
    assert!(
        collected > bound,
        "collecting every item ({collected} B) should break the bound ({bound} B) that streaming keeps"
    );
}
