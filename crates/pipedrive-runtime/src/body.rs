//! Reading a response body within the call's limits: at most `max_bytes` (counted after
//! decompression, which the HTTP client does as it reads), and no pause longer than the stall
//! time between two pieces.
//!
//! Read piece by piece rather than with `Response::bytes`, which would hold whatever the server
//! sends until the attempt's timeout: an endless body grew a process by gigabytes in seconds. A
//! body of one piece is kept as it came, without a copy.

use std::time::Duration;

use bytes::Bytes;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyFailure {
    /// The connection failed or the attempt's timeout passed.
    Transport(reqwest::Error),
    /// No byte came for the stall time.
    Stalled,
    /// The body is larger than the limit: `declared` when `Content-Length` said so up front.
    TooLarge { declared: Option<u64> },
}

/// How much to reserve up front for a body of unknown length: grows from there as pieces come.
const FIRST_RESERVE: usize = 64 * 1024;

/// Reads `response`'s body: at most `max_bytes`, with no pause longer than `stall`.
pub(crate) async fn read(
    response: &mut reqwest::Response,
    max_bytes: u64,
    stall: Duration,
) -> Result<Bytes, BodyFailure> {
    let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    let declared = response.content_length();
    if declared.is_some_and(|length| length > max_bytes) {
        return Err(BodyFailure::TooLarge { declared });
    }
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    while let Some(piece) = next_piece(response, stall).await? {
        let so_far = first.as_ref().map_or(joined.len(), Bytes::len);
        let needed = so_far.saturating_add(piece.len());
        if needed > max {
            return Err(BodyFailure::TooLarge { declared: None });
        }
        if first.is_none() && joined.is_empty() {
            first = Some(piece);
            continue;
        }
        if let Some(earlier) = first.take() {
            let size_hint = declared.and_then(|length| usize::try_from(length).ok()).unwrap_or(0);
            joined.reserve_exact(size_hint.max(needed).max(FIRST_RESERVE).min(max));
            joined.extend_from_slice(&earlier);
        }
        grow_within(&mut joined, needed, max);
        joined.extend_from_slice(&piece);
    }
    Ok(first.unwrap_or_else(|| Bytes::from(joined)))
}

/// Makes room for `needed` bytes, doubling as a `Vec` does but never past `max`: a body close to
/// the limit must not leave a buffer twice the limit behind.
fn grow_within(buffer: &mut Vec<u8>, needed: usize, max: usize) {
    if buffer.capacity() >= needed {
        return;
    }
    let target = buffer.capacity().saturating_mul(2).max(needed).min(max);
    buffer.reserve_exact(target.saturating_sub(buffer.len()));
}

/// The next piece of the body, `None` at its end.
async fn next_piece(response: &mut reqwest::Response, stall: Duration) -> Result<Option<Bytes>, BodyFailure> {
    match tokio::time::timeout(stall, response.chunk()).await {
        Err(_) => Err(BodyFailure::Stalled),
        Ok(Err(err)) => Err(BodyFailure::Transport(err)),
        Ok(Ok(piece)) => Ok(piece),
    }
}
