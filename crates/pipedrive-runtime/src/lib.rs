//! Runtime for the generated Pipedrive API client: HTTP, auth, retries, rate limits, errors and
//! pagination, so that the generated code stays a thin layer of types and one function per
//! operation.
//!
//! Generated code describes each operation as a static [`Operation`], builds a [`Request`] per
//! call (path rendered with [`encode_path_segment`], query, body) and hands it to a [`Client`]
//! method that matches the response shape: [`Client::send_json`] (Pipedrive's envelope),
//! [`Client::send_list`] (or [`Client::send_list_at`] where the list is `data.items`),
//! [`Client::send_body`], [`Client::send_empty`] (no data), [`Client::send_text`] or
//! [`Client::send_bytes`]. A request body is JSON ([`Request::json_body`], or
//! [`Request::json_body_as`] for another JSON media type such as `application/merge-patch+json`),
//! a form, multipart, text ([`Request::text_body`]) or bytes ([`Request::bytes_body`]). List
//! endpoints are walked lazily with [`cursor_pages`] or [`offset_pages`] (a [`PageStream`]),
//! flattened by [`items`] (an [`ItemStream`]).
//!
//! Generated builders implement [`Endpoint`] (and [`Paged`] for lists): their `send()` is a
//! [`DataFuture`], `send_with_meta()` a [`ResponseFuture`], `pages()` [`Pages`] and `stream()`
//! [`Items`], all generic here, so the sending code is compiled only for the operations an
//! application calls.
//!
//! Every call is bounded for any answer a server can send: a body is read up to
//! [`Config::max_response_bytes`] (64 MiB by default), an attempt fails when its body pauses
//! longer than [`Config::stall_timeout`] (10 s), the whole call, waits included, ends at
//! [`Config::deadline`] (60 s), and a page stream ends with an error after 10 pages in a row
//! without new items.
//!
//! Dates and times (`format: date-time` and `format: date`, or a description that says so) are
//! [`DateTime`] and [`Date`]: they keep the text Pipedrive sent, so a time in another shape than
//! documented never fails a decode, and parse it into [`time`] types on request.
//!
//! Tokens only ever travel in headers marked sensitive, and every type that holds one redacts it
//! in `Debug`; errors never contain them. [`OAuthApp`] gets and refreshes OAuth tokens at
//! Pipedrive's token endpoint, which the generator leaves out (another server, other credentials).
//!
//! Calls are visible to a [`tracing`](https://docs.rs/tracing) subscriber under the target
//! `pipedrive`: a `pipedrive_request` span per call, a DEBUG event per answered attempt and an
//! INFO event per retry, token refresh or wait for a used-up rate-limit window, with the reason
//! and the wait. Events carry the
//! operation's path template, never the URL with its values, and never a header or a token.
//!
//! TLS comes from the `rustls` feature, on by default: rustls with reqwest's default crypto
//! provider. With `default-features = false` the runtime brings no TLS backend; enable one on
//! `reqwest` in the application (the client built here picks it up, since Cargo unifies features)
//! or pass your own client with [`Config::http_client`].

mod attempts;
mod auth;
mod base_url;
mod body;
mod call_options;
mod client;
mod config;
mod constraints;
mod datetime;
mod decode;
mod encode;
mod endpoint;
mod error;
mod error_body;
mod failure;
mod generated_support;
mod http_client;
mod limits;
mod log;
mod multipart;
mod oauth;
mod operation;
mod pacing;
mod pages;
mod pagination;
mod prepare;
mod progress;
mod rate_limit;
mod redact;
mod request;
mod response;
mod retry;
pub mod serde_helpers;
mod wording;

pub use auth::{Auth, RefreshError, Secret, TokenRefresher};
pub use call_options::CallOptions;
pub use client::Client;
pub use config::{
    Config, DEFAULT_BASE_URL, DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_STALL_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use constraints::{Checked, Constraint, Measure, check, check_each, check_fields_set};
pub use datetime::{Date, DateTime, TimeError};
pub use decode::ListAt;
pub use encode::encode_path_segment;
pub use endpoint::{
    Answer, Body, Data, DataFuture, Decode, Download, Endpoint, Items, List, NoData, Page, Paged, Pages, Position,
    ResponseFuture, Text, decode_body,
};
pub use error::{ApiErrorBody, Error, ErrorKind};
pub use generated_support::{FileUpload, ParseEnumError};
pub use multipart::MultipartForm;
pub use oauth::{DEFAULT_TOKEN_URL, OAuthApp, OAuthRefresher, OAuthTokens};
pub use operation::{Method, Operation};
pub use pages::{ItemStream, PageStream, items};
pub use pagination::{cursor_pages, offset_pages};
pub use rate_limit::RateLimit;
pub use request::Request;
pub use response::{ApiResponse, OffsetPagination, ResponseMeta};
pub use retry::RetryPolicy;

/// `Result` with the runtime's [`Error`] as its error type unless another is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Re-exported so generated code and callers name the same versions the runtime uses.
pub use bytes;
pub use bytes::Bytes;
pub use futures;
pub use reqwest;
pub use serde_json;
pub use time;
