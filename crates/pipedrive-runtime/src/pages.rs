//! The stream types of pagination, [`PageStream`] and [`ItemStream`], so a caller can keep a
//! stream in a struct field or name it in a signature, and [`items`], which flattens pages into
//! items. Generated builders return the lazier [`crate::Pages`] and [`crate::Items`], built on
//! these.
//!
//! Both are a boxed `Stream` behind a struct: one allocation per stream, not per page, in
//! exchange for a type that needs no `impl Trait` to name.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, Stream, StreamExt};

use crate::error::Error;
use serde_json::Value;

use crate::response::ApiResponse;

/// The boxed stream inside [`PageStream`] and [`ItemStream`].
type Boxed<I> = Pin<Box<dyn Stream<Item = Result<I, Error>> + Send + 'static>>;

/// A stream of the pages of a list endpoint, one [`ApiResponse`] per page, fetched one at a time
/// as it is polled; returned by [`crate::cursor_pages`] and [`crate::offset_pages`]. It ends after
/// the last page or after the first error. `Send`, `Unpin` and `'static`, so it can be stored in a
/// struct or moved into a task.
pub struct PageStream<T, A = Value, R = Value> {
    inner: Boxed<ApiResponse<Vec<T>, A, R>>,
}

impl<T, A, R> PageStream<T, A, R> {
    /// Wraps any stream of pages: the runtime's own, or one an application builds in its tests.
    pub fn new<S>(pages: S) -> Self
    where
        S: Stream<Item = Result<ApiResponse<Vec<T>, A, R>, Error>> + Send + 'static,
    {
        Self { inner: Box::pin(pages) }
    }
}

impl<T, A, R> Stream for PageStream<T, A, R> {
    type Item = Result<ApiResponse<Vec<T>, A, R>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T, A, R> std::fmt::Debug for PageStream<T, A, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream")
            .field("item", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

/// A stream of the items of a list endpoint across its pages, holding one page in memory;
/// returned by [`items`]. It ends after the last item or after the first error. `Send`, `Unpin`
/// and `'static`, like [`PageStream`].
pub struct ItemStream<T> {
    inner: Boxed<T>,
}

impl<T> ItemStream<T> {
    /// Wraps any stream of items: the runtime's own, or one an application builds in its tests.
    pub fn new<S>(items: S) -> Self
    where
        S: Stream<Item = Result<T, Error>> + Send + 'static,
    {
        Self { inner: Box::pin(items) }
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("item", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

/// Flattens a page stream into items, holding one page in memory at a time. The first error is
/// yielded and ends the stream.
pub fn items<T, A, R, S>(pages: S) -> ItemStream<T>
where
    S: Stream<Item = Result<ApiResponse<Vec<T>, A, R>, Error>> + Send + 'static,
    T: Send + 'static,
{
    struct State<S, T> {
        pages: Pin<Box<S>>,
        current: std::vec::IntoIter<T>,
        done: bool,
    }
    let state = State {
        pages: Box::pin(pages),
        current: Vec::new().into_iter(),
        done: false,
    };
    ItemStream::new(stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.current.next() {
                return Some((Ok(item), state));
            }
            if state.done {
                return None;
            }
            match state.pages.next().await {
                None => return None,
                Some(Ok(page)) => state.current = page.data.into_iter(),
                Some(Err(err)) => {
                    state.done = true;
                    return Some((Err(err), state));
                }
            }
        }
    }))
}
