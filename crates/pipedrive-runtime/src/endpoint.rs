//! What a generated request builder is to the runtime ([`Endpoint`], and [`Paged`] for list
//! operations), the named futures and streams its `send()`, `send_with_meta()`, `pages()`
//! and `stream()` return, and [`decode_body`], which decodes a canned answer as `send()` would.
//!
//! Generated builders differ only in their fields and in how those become a [`Request`]; the code
//! that sends, retries, decodes and pages is the same for every operation, and it is generic
//! here. A builder's `send()` only wraps the builder in a [`DataFuture`], whose `poll` is
//! compiled in the application that awaits it, for the operations it calls: the generated crate
//! itself compiles no sending code per operation, most of what keeps its build time down
//! (BENCHMARKS.md, "Build cost of the generated crate").

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::decode::{self, ListAt, NoToken};
use crate::error::Error;
use crate::operation::Operation;
use crate::pages::{ItemStream, PageStream, items};
use crate::pagination::{cursor_pages, offset_pages};
use crate::rate_limit::RateLimit;
use crate::request::Request;
use crate::response::{ApiResponse, ResponseMeta};

/// A generated request builder: an operation with the values to send.
pub trait Endpoint: Clone + Send + 'static {
    /// How a success answer is decoded ([`Data`], [`List`], [`Body`], [`Text`], [`Download`]
    /// or [`NoData`]), and so what `send()` resolves to.
    type Response: Decode;

    /// The operation: operationId, method, path template, token cost.
    fn operation() -> &'static Operation;

    /// The client the request goes through.
    fn client(&self) -> &Client;

    /// The HTTP request, refusing values the documents rule out.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] for a value the documents rule out.
    fn to_request(&self) -> Result<Request, Error>;
}

/// How a success answer is read: [`Data`], [`List`], [`Body`], [`Text`], [`Download`] or
/// [`NoData`].
pub trait Decode: 'static {
    /// What `send()` resolves to.
    type Data: Send + 'static;
    /// The type of the envelope's `additional_data`.
    type AdditionalData: DeserializeOwned + Send + 'static;
    /// The type of the envelope's `related_objects`.
    type RelatedObjects: DeserializeOwned + Send + 'static;

    /// Sends `request` through `client` and decodes the answer.
    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send;

    /// Decodes a success `body` of `operation` as [`Decode::send`] does once the answer has
    /// arrived, with `meta` as its metadata; [`decode_body`] is the way to call it.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Decode`] naming the operation and the JSON path that failed, and
    /// [`crate::ErrorKind::Api`] for an envelope saying `success: false`, as from a call.
    fn decode(body: &[u8], operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error>;
}

/// Decodes `body` as a success answer of `B`'s operation, without HTTP: the same decoding its
/// `send()` runs once the answer has arrived (Pipedrive's envelope, `data`, `additional_data`
/// and `related_objects` into the operation's types; a list's `null` as empty; a body without
/// the envelope whole). This is how a unit test turns a canned JSON answer into the generated
/// types, and how the generated crate checks every example Pipedrive documents.
///
/// The answer's [`ResponseMeta`] is that of one attempt answered `200 OK` without headers: no
/// request id, no rate-limit state.
///
/// ```
/// # use pipedrive_runtime::{Client, Endpoint, Operation, Request, Data, Method};
/// # #[derive(Debug, Clone)]
/// # struct GetStage { client: Client }
/// # static GET_STAGE: Operation = Operation {
/// #     id: "getStage", api: "v2", method: Method::Get, path: "/api/v2/stages/{id}",
/// #     token_cost: 1, oauth_scopes: &[], deprecated: false,
/// # };
/// # impl Endpoint for GetStage {
/// #     type Response = Data<Stage>;
/// #     fn operation() -> &'static Operation { &GET_STAGE }
/// #     fn client(&self) -> &Client { &self.client }
/// #     fn to_request(&self) -> pipedrive_runtime::Result<Request> { Ok(Request::new(&GET_STAGE, "/api/v2/stages/1".into())) }
/// # }
/// #[derive(Debug, serde::Deserialize)]
/// struct Stage {
///     id: i64,
///     name: String,
/// }
///
/// // With the generated crate: `decode_body::<pipedrive::v2::stages::GetStage>(body)`.
/// let body = br#"{"success": true, "data": {"id": 4, "name": "Qualified"}}"#;
/// let answer = pipedrive_runtime::decode_body::<GetStage>(body)?;
/// assert_eq!((answer.data.id, answer.data.name.as_str()), (4, "Qualified"));
///
/// // A body the types refuse fails as the call would, naming the operation and the JSON path.
/// let err = pipedrive_runtime::decode_body::<GetStage>(br#"{"success": true, "data": {"id": "4"}}"#)
///     .unwrap_err();
/// assert_eq!(err.decode_path(), Some("data.id"));
/// assert!(err.to_string().starts_with("getStage: could not decode the response at `data.id`"));
/// # Ok::<(), pipedrive_runtime::Error>(())
/// ```
///
/// # Errors
/// [`crate::ErrorKind::Decode`] with the operation and the JSON path ([`Error::decode_path`])
/// where `body` does not fit the operation's types, and [`crate::ErrorKind::Api`] for an
/// envelope saying `success: false`: the errors a call gets for the same body.
pub fn decode_body<B: Endpoint>(body: &[u8]) -> Result<Answer<B::Response>, Error> {
    let operation = B::operation();
    let meta = ResponseMeta {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        rate_limit: RateLimit::default(),
        request_id: None,
        operation_id: operation.id,
        token_cost: operation.token_cost,
        attempts: 1,
    };
    <B::Response as Decode>::decode(body, operation, meta)
}

/// What a call of an operation decoded as `D` returns with its metadata.
pub type Answer<D> = ApiResponse<<D as Decode>::Data, <D as Decode>::AdditionalData, <D as Decode>::RelatedObjects>;

/// A marker of the types a decoding reads, owning none of them (so it is `Send` and `Sync`
/// whatever they are).
type Reads<T> = PhantomData<fn() -> T>;

/// Pipedrive's envelope, whose `data` is `T`; `additional_data` is `A` and `related_objects`
/// is `R`.
#[derive(Debug)]
pub struct Data<T, A = Value, R = Value>(Reads<(T, A, R)>);

/// Pipedrive's envelope, whose `data` is a list of `T` (`null` for an empty one, as v1 sends).
#[derive(Debug)]
pub struct List<T, A = Value, R = Value>(Reads<(T, A, R)>);

/// A JSON body without Pipedrive's envelope, decoded whole as `T`.
#[derive(Debug)]
pub struct Body<T>(Reads<T>);

/// Text (`text/plain`, `text/csv`, ...): the body as a `String`, which must be UTF-8.
#[derive(Debug)]
pub struct Text;

/// A file: the body as bytes.
#[derive(Debug)]
pub struct Download;

/// No data: a `204`, an empty body or any JSON is success.
#[derive(Debug)]
pub struct NoData;

impl<T, A, R> Decode for Data<T, A, R>
where
    T: DeserializeOwned + Send + 'static,
    A: DeserializeOwned + Send + 'static,
    R: DeserializeOwned + Send + 'static,
{
    type Data = T;
    type AdditionalData = A;
    type RelatedObjects = R;

    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send {
        client.send_envelope::<T, A, R>(request)
    }

    fn decode(body: &[u8], operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error> {
        Ok(decode::envelope_answer::<T, A, R>(body, operation, &NoToken)?.into_response(meta))
    }
}

impl<T, A, R> Decode for List<T, A, R>
where
    T: DeserializeOwned + Send + 'static,
    A: DeserializeOwned + Send + 'static,
    R: DeserializeOwned + Send + 'static,
{
    type Data = Vec<T>;
    type AdditionalData = A;
    type RelatedObjects = R;

    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send {
        client.send_list_envelope::<T, A, R>(request, ListAt::Data)
    }

    fn decode(body: &[u8], operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error> {
        Ok(decode::list_answer::<T, A, R>(body, operation, &NoToken, ListAt::Data)?.into_response(meta))
    }
}

impl<T: DeserializeOwned + Send + 'static> Decode for Body<T> {
    type Data = T;
    type AdditionalData = Value;
    type RelatedObjects = Value;

    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send {
        client.send_body::<T>(request)
    }

    fn decode(body: &[u8], operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error> {
        Ok(ApiResponse::new(
            decode::whole::<T>(body, operation, &NoToken)?,
            None,
            meta,
        ))
    }
}

impl Decode for Text {
    type Data = String;
    type AdditionalData = Value;
    type RelatedObjects = Value;

    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send {
        client.send_text(request)
    }

    fn decode(body: &[u8], operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error> {
        Ok(ApiResponse::new(decode::text(body, operation)?, None, meta))
    }
}

impl Decode for Download {
    type Data = Bytes;
    type AdditionalData = Value;
    type RelatedObjects = Value;

    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send {
        client.send_bytes(request)
    }

    fn decode(body: &[u8], _operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error> {
        Ok(ApiResponse::new(Bytes::copy_from_slice(body), None, meta))
    }
}

impl Decode for NoData {
    type Data = ();
    type AdditionalData = Value;
    type RelatedObjects = Value;

    fn send(client: &Client, request: Request) -> impl Future<Output = Result<Answer<Self>, Error>> + Send {
        client.send_empty(request)
    }

    fn decode(body: &[u8], operation: &'static Operation, meta: ResponseMeta) -> Result<Answer<Self>, Error> {
        decode::no_data(body, operation, &NoToken)?;
        Ok(ApiResponse::new((), None, meta))
    }
}

/// The answer of an endpoint with its metadata.
type EndpointAnswer<B> = Answer<<B as Endpoint>::Response>;

/// A boxed future, so that the future types below can be named.
type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// The future of `send_with_meta()`: the data with the HTTP status, rate-limit state, request
/// id, `additional_data`, `related_objects` and headers. Nothing is sent until it is polled.
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<B: Endpoint> {
    state: State<B>,
}

enum State<B: Endpoint> {
    /// Not polled yet: the builder.
    Ready(B),
    /// Sending.
    Sending(Boxed<EndpointAnswer<B>>),
    /// Finished; polling again is a caller's mistake, answered with an error.
    Done,
}

impl<B: Endpoint> ResponseFuture<B> {
    /// The future of sending `endpoint`.
    pub fn new(endpoint: B) -> Self {
        Self {
            state: State::Ready(endpoint),
        }
    }
}

// The builder is moved out before anything is pinned, and the running future is boxed: nothing
// here relies on not moving.
impl<B: Endpoint> Unpin for ResponseFuture<B> {}

impl<B: Endpoint> Future for ResponseFuture<B> {
    type Output = Result<EndpointAnswer<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let State::Ready(_) = this.state {
            if let State::Ready(endpoint) = std::mem::replace(&mut this.state, State::Done) {
                this.state = State::Sending(Box::pin(async move {
                    let request = endpoint.to_request()?;
                    <B::Response as Decode>::send(endpoint.client(), request).await
                }));
            }
        }
        match &mut this.state {
            State::Sending(future) => {
                let answer = std::task::ready!(future.as_mut().poll(cx));
                this.state = State::Done;
                Poll::Ready(answer)
            }
            State::Ready(_) | State::Done => Poll::Ready(Err(Error::polled_after_completion(B::operation()))),
        }
    }
}

impl<B: Endpoint> std::fmt::Debug for ResponseFuture<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Ready(_) => "not sent",
            State::Sending(_) => "sending",
            State::Done => "done",
        };
        f.debug_struct("ResponseFuture")
            .field("operation", &B::operation().id)
            .field("state", &state)
            .finish()
    }
}

/// The future of `send()` (and of awaiting a builder): the response's data.
#[must_use = "a request does nothing until it is awaited"]
pub struct DataFuture<B: Endpoint> {
    inner: ResponseFuture<B>,
}

impl<B: Endpoint> DataFuture<B> {
    /// The future of sending `endpoint`.
    pub fn new(endpoint: B) -> Self {
        Self {
            inner: ResponseFuture::new(endpoint),
        }
    }
}

impl<B: Endpoint> Future for DataFuture<B> {
    type Output = Result<<B::Response as Decode>::Data, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.get_mut().inner)
            .poll(cx)
            .map(|answer| answer.map(ApiResponse::into_data))
    }
}

impl<B: Endpoint> std::fmt::Debug for DataFuture<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataFuture").field("inner", &self.inner).finish()
    }
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Position {
    /// v2: the cursor of the page (`None` for the first).
    Cursor(Option<String>),
    /// v1: the offset of the page's first item.
    Offset(i64),
}

impl Position {
    /// The cursor of a cursor position.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] for an offset: `operation` pages by cursor.
    pub fn into_cursor(self, operation: &'static Operation) -> Result<Option<String>, Error> {
        match self {
            Position::Cursor(cursor) => Ok(cursor),
            Position::Offset(start) => Err(Error::invalid_request(
                operation,
                format!("pages by cursor, not by offset ({start})"),
            )),
        }
    }

    /// The offset of an offset position.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] for a cursor: `operation` pages by offset.
    pub fn into_offset(self, operation: &'static Operation) -> Result<i64, Error> {
        match self {
            Position::Offset(start) => Ok(start),
            Position::Cursor(_) => Err(Error::invalid_request(operation, "pages by offset, not by cursor")),
        }
    }

    /// The offset of an offset position, for an operation whose `start` is an `int32`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] for a cursor, or an offset past `i32`'s range.
    pub fn into_offset_i32(self, operation: &'static Operation) -> Result<i32, Error> {
        let start = self.into_offset(operation)?;
        i32::try_from(start).map_err(|_| {
            Error::invalid_request(
                operation,
                format!("the next page would start at {start}, beyond the `int32` the document allows"),
            )
        })
    }
}

/// A list operation's builder: how to ask for one page.
pub trait Paged: Endpoint {
    /// The type of a page's items.
    type Item: DeserializeOwned + Send + 'static;
    /// Where a page's items are in the envelope.
    const LIST_AT: ListAt;

    /// Where the first page starts: the cursor or start the caller set, if any.
    fn first_position(&self) -> Position;

    /// The request for the page starting at `position`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] for a position the operation cannot take (an
    /// offset past an `int32` start, say) or a value the documents rule out.
    fn request_at(&self, position: Position) -> Result<Request, Error>;
}

/// A page of a list operation `B`: its items with the page's metadata.
pub type Page<B> = ApiResponse<
    Vec<<B as Paged>::Item>,
    <<B as Endpoint>::Response as Decode>::AdditionalData,
    <<B as Endpoint>::Response as Decode>::RelatedObjects,
>;

/// The pages of a list operation, fetched one at a time as the stream is polled (only one page
/// is held in memory); returned by a builder's `pages()`. Ends after the last page or after the
/// first error; ends with an error when the server's pagination does not advance. `Send`,
/// `Unpin` and `'static`, so it can be stored in a struct (`Pages<GetDeals>`) or moved into a
/// task.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<B: Paged> {
    state: PagesState<B>,
}

enum PagesState<B: Paged> {
    Ready(B),
    Paging(PageStream<B::Item, <B::Response as Decode>::AdditionalData, <B::Response as Decode>::RelatedObjects>),
}

impl<B: Paged> Pages<B> {
    /// The pages of `endpoint`, from the position it names.
    pub fn new(endpoint: B) -> Self {
        Self {
            state: PagesState::Ready(endpoint),
        }
    }

    /// The runtime's page stream for `endpoint`, by its style of pagination.
    fn start(
        endpoint: B,
    ) -> PageStream<B::Item, <B::Response as Decode>::AdditionalData, <B::Response as Decode>::RelatedObjects> {
        let client = endpoint.client().clone();
        match endpoint.first_position() {
            Position::Cursor(first) => cursor_pages(client, B::LIST_AT, first, move |cursor| {
                endpoint.request_at(Position::Cursor(cursor))
            }),
            Position::Offset(first) => offset_pages(client, B::LIST_AT, first, move |start| {
                endpoint.request_at(Position::Offset(start))
            }),
        }
    }
}

impl<B: Paged> Unpin for Pages<B> {}

impl<B: Paged> Stream for Pages<B> {
    type Item = Result<Page<B>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let PagesState::Ready(endpoint) = &this.state {
            let stream = Self::start(endpoint.clone());
            this.state = PagesState::Paging(stream);
        }
        match &mut this.state {
            PagesState::Paging(stream) => Pin::new(stream).poll_next(cx),
            PagesState::Ready(_) => Poll::Ready(None),
        }
    }
}

impl<B: Paged> std::fmt::Debug for Pages<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &B::operation().id)
            .field("started", &matches!(self.state, PagesState::Paging(_)))
            .finish()
    }
}

/// The items of a list operation across its pages, one page held in memory at a time; returned
/// by a builder's `stream()`. Ends after the last item or after the first error. `Send`,
/// `Unpin` and `'static`, like [`Pages`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<B: Paged> {
    state: ItemsState<B>,
}

enum ItemsState<B: Paged> {
    Ready(B),
    Streaming(ItemStream<B::Item>),
}

impl<B: Paged> Items<B> {
    /// The items of `endpoint`, from the position it names.
    pub fn new(endpoint: B) -> Self {
        Self {
            state: ItemsState::Ready(endpoint),
        }
    }
}

impl<B: Paged> Unpin for Items<B> {}

impl<B: Paged> Stream for Items<B> {
    type Item = Result<B::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let ItemsState::Ready(endpoint) = &this.state {
            let stream = items(Pages::<B>::start(endpoint.clone()));
            this.state = ItemsState::Streaming(stream);
        }
        match &mut this.state {
            ItemsState::Streaming(stream) => Pin::new(stream).poll_next(cx),
            ItemsState::Ready(_) => Poll::Ready(None),
        }
    }
}

impl<B: Paged> std::fmt::Debug for Items<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("operation", &B::operation().id)
            .field("started", &matches!(self.state, ItemsState::Streaming(_)))
            .finish()
    }
}
