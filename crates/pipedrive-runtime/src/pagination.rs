//! Lazy streams over paginated list endpoints: cursor style (v2) and start/limit style (v1).
//!
//! Pages are fetched one at a time, only when the consumer asks for more, so memory holds one
//! page. Each stream stops on the last page, after the first error, and also when the server
//! fails to advance (a cursor it handed out before, a next offset that is not past the current
//! one, or [`MAX_PAGES_WITHOUT_NEW_ITEMS`] pages in a row without new items), which would
//! otherwise loop forever while spending rate-limit tokens.

use futures::stream;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::decode::ListAt;
use crate::error::{Error, ErrorKind};
use crate::operation::Operation;
use crate::pages::PageStream;
use crate::progress::{CursorCycle, MAX_PAGES_WITHOUT_NEW_ITEMS, PageProgress};
use crate::request::Request;
use crate::response::ApiResponse;

/// What the stream does next.
enum Next<P> {
    /// Fetch the page at this position.
    Fetch(P),
    /// Yield this error, then end.
    Fail(Error),
    /// End.
    Done,
}

/// A page stream's state between polls.
struct PageState<P, F, A> {
    client: Client,
    at: ListAt,
    make_request: F,
    advance: A,
    progress: PageProgress,
    next: Next<P>,
}

/// Pages of a cursor-paginated endpoint, following `additional_data.next_cursor`.
///
/// `make_request` builds the request for a cursor (`None` for the first page unless
/// `first_cursor` is given); each page's items are read `at` their place in the envelope. Stops
/// when `next_cursor` is null, absent or `""`; stops with an [`ErrorKind::Decode`] error after
/// the page if the server hands back the cursor it was sent, or any cursor it handed out before
/// (A → B → A would repeat the same pages forever), or after 10 pages in a row that are empty
/// or repeat a recent page's items while the server says more follow.
pub fn cursor_pages<T, A, R, F>(
    client: Client,
    at: ListAt,
    first_cursor: Option<String>,
    make_request: F,
) -> PageStream<T, A, R>
where
    T: DeserializeOwned + Send + 'static,
    A: DeserializeOwned + Send + 'static,
    R: DeserializeOwned + Send + 'static,
    F: FnMut(Option<String>) -> Result<Request, Error> + Send + 'static,
{
    let mut seen = CursorCycle::starting_at(first_cursor.clone());
    // Cursors come from the server: scrubbed of the token before an error quotes one.
    let redactor = client.clone();
    paginate(
        client,
        at,
        first_cursor,
        make_request,
        move |page, cursor: &Option<String>, operation| match page.next_cursor() {
            None => Next::Done,
            Some(next) if Some(next) == cursor.as_deref() => Next::Fail(stalled(
                operation,
                &format!(
                    "the server returned the cursor it was sent ({:?})",
                    redactor.redact(next)
                ),
            )),
            Some(next) if seen.repeats(next) => Next::Fail(stalled(
                operation,
                &format!(
                    "the server returned a cursor it had handed out before ({:?})",
                    redactor.redact(next)
                ),
            )),
            Some(next) => Next::Fetch(Some(next.to_owned())),
        },
    )
}

/// Pages of a v1 start/limit endpoint.
///
/// `make_request` builds the request for an offset, starting at `first_start`; each page's items
/// are read `at` their place in the envelope. Pagination is read from
/// `additional_data.pagination {start, limit, more_items_in_collection, next_start}` (what the
/// live API sends) or from flat `additional_data {start, limit, more_items_in_collection}` (what
/// the spec documents). The next offset is `next_start` if given, else `start` plus the items on
/// this page (not plus `limit`: if the server capped the page below the `limit` it reports, that
/// would skip items, and a repeated item is the lesser harm). Stops when
/// `more_items_in_collection` is false or absent, or a page is empty without a `next_start` to
/// go on; an empty page that names its `next_start` is followed (items hidden from this user can
/// empty a page in the middle of a list), and every offset must be past the one before. After 10
/// pages in a row that are empty or repeat a recent page's items, the stream ends with an
/// [`ErrorKind::Decode`] error.
pub fn offset_pages<T, A, R, F>(client: Client, at: ListAt, first_start: i64, make_request: F) -> PageStream<T, A, R>
where
    T: DeserializeOwned + Send + 'static,
    A: DeserializeOwned + Send + 'static,
    R: DeserializeOwned + Send + 'static,
    F: FnMut(i64) -> Result<Request, Error> + Send + 'static,
{
    paginate(
        client,
        at,
        first_start,
        make_request,
        |page, &start: &i64, operation| {
            let count = i64::try_from(page.data.len()).unwrap_or(i64::MAX);
            match page.offset_pagination() {
                Some(pagination)
                    if pagination.more_items_in_collection && (count > 0 || pagination.next_start.is_some()) =>
                {
                    let next = pagination
                        .next_start
                        .unwrap_or_else(|| pagination.start.unwrap_or(start).saturating_add(count));
                    if next > start {
                        Next::Fetch(next)
                    } else {
                        Next::Fail(stalled(
                            operation,
                            &format!("the next start {next} is not after the current start {start}"),
                        ))
                    }
                }
                _ => Next::Done,
            }
        },
    )
}

/// The loop both styles share: build the request for a position, fetch the page, yield it, and
/// let `advance` decide the next position from the page (or end, or fail if it stalls); a next
/// page after too many without new items is not fetched.
fn paginate<T, A, R, P, F, G>(client: Client, at: ListAt, first: P, make_request: F, advance: G) -> PageStream<T, A, R>
where
    T: DeserializeOwned + Send + 'static,
    A: DeserializeOwned + Send + 'static,
    R: DeserializeOwned + Send + 'static,
    P: Clone + Send + 'static,
    F: FnMut(P) -> Result<Request, Error> + Send + 'static,
    G: FnMut(&ApiResponse<Vec<T>, A, R>, &P, &'static Operation) -> Next<P> + Send + 'static,
{
    let state = PageState {
        client,
        at,
        make_request,
        advance,
        progress: PageProgress::default(),
        next: Next::Fetch(first),
    };
    PageStream::new(stream::unfold(state, |mut state| async move {
        let position = match std::mem::replace(&mut state.next, Next::Done) {
            Next::Fetch(position) => position,
            Next::Fail(err) => return Some((Err(err), state)),
            Next::Done => return None,
        };
        let request = match (state.make_request)(position.clone()) {
            Ok(request) => request,
            Err(err) => return Some((Err(err), state)),
        };
        let operation = request.operation();
        let (page, fingerprint) = match state.client.fetch_page::<T, A, R>(request, state.at).await {
            Ok(fetched) => fetched,
            Err(err) => return Some((Err(err), state)),
        };
        let idle = state.progress.observe(page.data.len(), fingerprint);
        state.next = match (state.advance)(&page, &position, operation) {
            Next::Fetch(_) if idle >= MAX_PAGES_WITHOUT_NEW_ITEMS => Next::Fail(no_new_items(operation, idle)),
            next => next,
        };
        Some((Ok(page), state))
    }))
}

/// The server's pagination does not move forward.
fn stalled(operation: &'static Operation, why: &str) -> Error {
    Error::new(
        ErrorKind::Decode,
        Some(operation),
        format!(
            "{}: pagination stopped because it did not advance: {why}. This is a server-side problem; \
             the pages so far were delivered.",
            operation.id
        ),
    )
}

/// The server says more items follow, but its last `pages` pages brought none.
fn no_new_items(operation: &'static Operation, pages: u32) -> Error {
    stalled(
        operation,
        &format!(
            "{pages} pages in a row brought no new items (each was empty, or held the same items as a \
             recent page) while the server said more would follow"
        ),
    )
}
