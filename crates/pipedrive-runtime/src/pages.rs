//! The named stream types of pagination, [`Pages`] and [`Items`], so a caller can keep a stream
//! in a struct field or name it in a signature, and [`items`], which flattens pages into items.
//!
//! Both are a boxed `Stream` behind a struct: one allocation per stream, not per page, in
//! exchange for a type that needs no `impl Trait` to name.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, Stream, StreamExt};

use crate::error::Error;
use crate::response::ApiResponse;

/// The boxed stream inside [`Pages`] and [`Items`].
type Boxed<I> = Pin<Box<dyn Stream<Item = Result<I, Error>> + Send + 'static>>;

/// A stream of the pages of a list endpoint, one [`ApiResponse`] per page, fetched one at a time
/// as it is polled; returned by [`crate::cursor_pages`] and [`crate::offset_pages`]. It ends after
/// the last page or after the first error. `Send`, `Unpin` and `'static`, so it can be stored in a
/// struct or moved into a task.
pub struct Pages<T> {
    inner: Boxed<ApiResponse<Vec<T>>>,
}

impl<T> Pages<T> {
    /// Wraps any stream of pages: the runtime's own, or one an application builds in its tests.
    pub fn new<S>(pages: S) -> Self
    where
        S: Stream<Item = Result<ApiResponse<Vec<T>>, Error>> + Send + 'static,
    {
        Self { inner: Box::pin(pages) }
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<ApiResponse<Vec<T>>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("item", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

/// A stream of the items of a list endpoint across its pages, holding one page in memory;
/// returned by [`items`]. It ends after the last item or after the first error. `Send`, `Unpin`
/// and `'static`, like [`Pages`].
pub struct Items<T> {
    inner: Boxed<T>,
}

impl<T> Items<T> {
    /// Wraps any stream of items: the runtime's own, or one an application builds in its tests.
    pub fn new<S>(items: S) -> Self
    where
        S: Stream<Item = Result<T, Error>> + Send + 'static,
    {
        Self { inner: Box::pin(items) }
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("item", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

/// Flattens a page stream into items, holding one page in memory at a time. The first error is
/// yielded and ends the stream.
pub fn items<T, S>(pages: S) -> Items<T>
where
    S: Stream<Item = Result<ApiResponse<Vec<T>>, Error>> + Send + 'static,
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
    Items::new(stream::unfold(state, |mut state| async move {
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
