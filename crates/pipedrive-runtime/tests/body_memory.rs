//! The process's resident memory while the client reads an endless body stays below the body
//! limit plus 50 MB: the body is read up to `Config::max_response_bytes` and no further.
//!
//! Its own test binary without the test harness, so no other test shares the process and its
//! memory: the peak (`VmHWM` in `/proc/self/status`) is this one call's. The server stops after
//! 512 MiB, so a client that ignored the limit would end too, with a peak far above the bound,
//! rather than run the machine out of memory. Run it alone with
//!
//! ```text
//! cargo test -p pipedrive-runtime --test body_memory
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::raw;
use pipedrive_runtime::{Auth, Client, Config, ErrorKind, RetryPolicy};

const MIB: usize = 1024 * 1024;
/// The body limit under test: small, so the test is quick.
const LIMIT: usize = 8 * MIB;
/// What the server sends at most: far past the limit and the bound.
const SERVED: usize = 512 * MIB;
/// The bound on the peak: the limit plus 50 MB.
const BOUND: usize = LIMIT + 50_000_000;

/// A `kB` figure of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with(field)).unwrap();
    let kilobytes: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kilobytes * 1024
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sent = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&sent);
        let server = raw::serve(move |mut socket, _| {
            let counted = Arc::clone(&counted);
            async move {
                let written = raw::endless_chunked_body(&mut socket, SERVED).await;
                counted.fetch_add(written, Ordering::SeqCst);
            }
        })
        .await;
        let config = Config::new(Auth::api_token(common::SECRET))
            .base_url(server.uri())
            .allow_insecure_http(true)
            .retry(RetryPolicy::none())
            .max_response_bytes(LIMIT as u64);
        let client = Client::new(config).unwrap();
        let before = status_bytes("VmRSS:");
        let started = Instant::now();
        let err = client
            .send_list::<i64>(common::get_stages())
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        let peak = status_bytes("VmHWM:");
        // Let the server notice the client has gone.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let served = sent.load(Ordering::SeqCst);
        println!(
            "body_memory: resident before {:.1} MiB, peak {:.1} MiB (bound {:.1} MiB), server wrote {:.1} MiB, {elapsed:?}",
            before as f64 / MIB as f64,
            peak as f64 / MIB as f64,
            BOUND as f64 / MIB as f64,
            served as f64 / MIB as f64,
        );
        assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
        assert!(served > LIMIT, "the server sent past the limit: {served} bytes");
        assert!(peak < BOUND, "peak resident memory {peak} bytes, bound {BOUND}");
        assert!(elapsed < Duration::from_secs(20), "the 30 s timeout did not end it: {elapsed:?}");
    });
    println!("1 passed, 0 failed");
}
