//! Heap use of the generated client while it walks a paginated list, read from a counting global
//! allocator that the measuring binary installs (`tests/memory.rs`, `examples/stream_memory.rs`).
//!
//! Every figure is the peak growth of live heap bytes over what was live when the measurement
//! started, across the whole process (client, runtime and the loopback server's thread), so it
//! includes the page being decoded, its raw body and the HTTP buffers.

use futures::{StreamExt, TryStreamExt};
use pipedrive::{Client, Error};

/// A counting global allocator: live bytes, the peak since the last reset, and a reset.
pub trait Heap {
    /// Bytes allocated and not yet freed.
    fn current(&self) -> usize;
    /// Highest [`Heap::current`] since the last [`Heap::reset_peak`].
    fn peak(&self) -> usize;
    /// Sets the peak to the current value.
    fn reset_peak(&self);
}

/// Peak heap growth, in bytes, while fetching and walking `GET /api/v2/stages` with `limit(per_page)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamPeaks {
    /// One page fetched with `send()` and dropped.
    pub one_page: usize,
    /// `stream()`, after the first `checkpoint` items.
    pub at_checkpoint: usize,
    /// `stream()`, after every item.
    pub all: usize,
    /// How many items `checkpoint` was.
    pub checkpoint: usize,
    /// How many items the stream yielded.
    pub items: usize,
}

/// Measures [`StreamPeaks`]: one page with `send()`, then every item through `stream()`, each
/// item dropped as soon as it arrives. A first page is fetched and dropped beforehand so that
/// the connection, the pool and lazily built state exist before anything is measured.
///
/// # Errors
/// Any error of the client.
pub async fn stream_peaks(
    client: &Client,
    heap: &dyn Heap,
    per_page: i64,
    checkpoint: usize,
) -> Result<StreamPeaks, Error> {
    let stages = || client.v2().stages().get_stages().limit(per_page);
    drop(stages().send().await?);

    let start = Start::now(heap);
    drop(stages().send().await?);
    let one_page = start.growth(heap);

    let start = Start::now(heap);
    let mut items = 0;
    let mut at_checkpoint = 0;
    let mut stream = std::pin::pin!(stages().stream());
    while let Some(item) = stream.next().await {
        drop(item?);
        items += 1;
        if items == checkpoint {
            at_checkpoint = start.growth(heap);
        }
    }
    let all = start.growth(heap);
    Ok(StreamPeaks {
        one_page,
        at_checkpoint,
        all,
        checkpoint,
        items,
    })
}

/// Peak heap growth, in bytes, while collecting every item of the same list into a `Vec` (what
/// `stream()` avoids), and how many items that was.
///
/// # Errors
/// Any error of the client.
pub async fn collect_peak(client: &Client, heap: &dyn Heap, per_page: i64) -> Result<(usize, usize), Error> {
    let start = Start::now(heap);
    let all: Vec<_> = client
        .v2()
        .stages()
        .get_stages()
        .limit(per_page)
        .stream()
        .try_collect()
        .await?;
    let growth = start.growth(heap);
    Ok((growth, all.len()))
}

/// Live bytes when a measurement started, with the peak reset.
struct Start(usize);

impl Start {
    fn now(heap: &dyn Heap) -> Self {
        heap.reset_peak();
        Self(heap.current())
    }

    /// Peak growth since [`Start::now`].
    fn growth(&self, heap: &dyn Heap) -> usize {
        heap.peak().saturating_sub(self.0)
    }
}
