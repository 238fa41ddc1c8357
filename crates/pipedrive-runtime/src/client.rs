//! The client: its configuration, the state its clones share, and the public `send_*` methods,
//! which differ only in how they decode a success body.
//!
//! The attempt loop they share is in `attempts`, the building of each HTTP request in `prepare`.
//! State shared by clones (HTTP pool, current OAuth token, tokens spent) lives behind one `Arc`,
//! so cloning a client is cheap.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::attempts::Raw;
use crate::auth::AuthState;
use crate::base_url::{self, BaseUrl};
use crate::config::Config;
use crate::decode::{self, Fingerprint, ListAt};
use crate::error::{Error, ErrorKind};
use crate::error_body;
use crate::failure;
use crate::http_client::{default_http_client, lacks_tls_backend};
use crate::limits::Limits;
use crate::pacing::Pacer;
use crate::redact::Redact;
use crate::request::Request;
use crate::response::{ApiResponse, ResponseMeta};
use crate::retry::RetryPolicy;

/// `Accept` for API calls.
const ACCEPT_JSON: HeaderValue = HeaderValue::from_static("application/json");
/// `Accept` for downloads, whose content type is the file's.
const ACCEPT_ANY: HeaderValue = HeaderValue::from_static("*/*");
/// `Accept` for text answers: any text type, since the document may list several (`text/csv`,
/// `text/plain`) and the call decodes them all the same way.
const ACCEPT_TEXT: HeaderValue = HeaderValue::from_static("text/*");

/// A Pipedrive API client. Cheap to clone; clones share the connection pool, the current OAuth
/// token and the tokens-spent counter. Its `Debug` redacts the token.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) base_url: BaseUrl,
    pub(crate) http: reqwest::Client,
    pub(crate) auth: AuthState,
    pub(crate) limits: Limits,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacer: Pacer,
    pub(crate) user_agent: HeaderValue,
    pub(crate) tokens_spent: AtomicU64,
    /// The HTTP client was built here without a TLS backend for an https base URL; connection
    /// failures then say how to get one.
    pub(crate) no_tls_backend: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("limits", &self.inner.limits)
            .field("retry", &self.inner.retry)
            .field("pacer", &self.inner.pacer)
            .field("user_agent", &self.inner.user_agent)
            .field("tokens_spent", &self.tokens_spent())
            .finish()
    }
}

impl Client {
    /// Validates `config` (base URL scheme and host, token characters, user agent) and builds the
    /// HTTP client if none was given.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] describing what to change.
    pub fn new(config: Config) -> Result<Self, Error> {
        let base_url = base_url::resolve(&config.target, config.allow_insecure_http)?;
        let auth = AuthState::new(&config.auth)?;
        let user_agent = HeaderValue::from_str(&config.user_agent_header()).map_err(|err| {
            Error::new(
                ErrorKind::Config,
                None,
                "Config::user_agent contains characters that cannot be sent in an HTTP header",
            )
            .with_source(err)
        })?;
        let no_tls_backend = lacks_tls_backend(config.http_client.is_some(), cfg!(feature = "rustls"), &base_url);
        let limits = Limits::from_config(&config);
        let http = match config.http_client {
            Some(http) => http,
            None => default_http_client()?,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                base_url,
                http,
                auth,
                limits,
                retry: config.retry,
                pacer: Pacer::new(config.pace_requests),
                user_agent,
                tokens_spent: AtomicU64::new(0),
                no_tls_backend,
            }),
        })
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Running sum of the `token_cost` of every attempt that got a response from the server
    /// (including retried and failed ones), across all clones of this client.
    pub fn tokens_spent(&self) -> u64 {
        self.inner.tokens_spent.load(Ordering::Relaxed)
    }

    /// Sends `request` and decodes Pipedrive's envelope `{"success", "data", "additional_data"}`; `T` is the type of `data`.
    ///
    /// A missing `data` is treated as JSON `null` (so `T = Option<_>` or `()` works; otherwise a
    /// decode error). An empty body, or JSON that is not Pipedrive's envelope (an object with
    /// `success` or `data`), is a decode error: use [`Client::send_empty`] for operations
    /// without data.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<ApiResponse<T>, Error> {
        self.send_envelope::<T, Value, Value>(request).await
    }

    /// [`Client::send_json`] with `additional_data` read as `A` and `related_objects` as `R`:
    /// the types the operation documents for them (generated operations use it).
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_envelope<T, A, R>(&self, request: Request) -> Result<ApiResponse<T, A, R>, Error>
    where
        T: DeserializeOwned,
        A: DeserializeOwned,
        R: DeserializeOwned,
    {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        self.decode_envelope(&request, raw)
    }

    /// Like [`Client::send_json`] for list endpoints: `data: null` (v1 sends it for empty lists)
    /// becomes an empty `Vec`; an empty body or one without the envelope is a decode error.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_list<T: DeserializeOwned>(&self, request: Request) -> Result<ApiResponse<Vec<T>>, Error> {
        self.send_list_envelope::<T, Value, Value>(request, ListAt::Data).await
    }

    /// [`Client::send_list`] for a list found `at` another place of the envelope: the search
    /// endpoints answer `{"data": {"items": [...]}}` ([`ListAt::DataItems`]). A missing or null
    /// list is an empty `Vec`.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_list_at<T: DeserializeOwned>(
        &self,
        request: Request,
        at: ListAt,
    ) -> Result<ApiResponse<Vec<T>>, Error> {
        self.send_list_envelope::<T, Value, Value>(request, at).await
    }

    /// [`Client::send_list_at`] with `additional_data` read as `A` and `related_objects` as `R`
    /// (generated operations use it).
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_list_envelope<T, A, R>(
        &self,
        request: Request,
        at: ListAt,
    ) -> Result<ApiResponse<Vec<T>, A, R>, Error>
    where
        T: DeserializeOwned,
        A: DeserializeOwned,
        R: DeserializeOwned,
    {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        self.decode_list(&request, raw, at)
    }

    /// Sends `request` and decodes the whole JSON body as `T` (endpoints without an envelope).
    /// An empty body decodes as JSON `null`.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_body<T: DeserializeOwned>(&self, request: Request) -> Result<ApiResponse<T>, Error> {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        let data = decode::whole::<T>(&raw.body, request.operation(), &self.inner.auth)
            .map_err(|err| self.with_response(err, &raw))?;
        Ok(ApiResponse::new(data, None, self.meta(&request, raw)))
    }

    /// Sends `request` to an operation whose documented response has no data (most deletes):
    /// a `204`, an empty body or any JSON body is success; a body saying `success: false` is
    /// [`ErrorKind::Api`], and a body that is not JSON (a proxy's HTML page, say) is
    /// [`ErrorKind::Decode`], since the call may not have reached Pipedrive.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_empty(&self, request: Request) -> Result<ApiResponse<()>, Error> {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        decode::no_data(&raw.body, request.operation(), &self.inner.auth)
            .map_err(|err| self.with_response(err, &raw))?;
        Ok(ApiResponse::new((), None, self.meta(&request, raw)))
    }

    /// Sends `request` and returns the raw body, for binary downloads such as files.
    ///
    /// Sent with `Accept: */*`, since the body is the file and not JSON.
    ///
    /// # Errors
    /// Any [`ErrorKind`] except [`ErrorKind::Decode`]: see [`Error`].
    pub async fn send_bytes(&self, request: Request) -> Result<ApiResponse<Bytes>, Error> {
        let raw = self.execute(&request, ACCEPT_ANY).await?;
        let data = raw.body.clone();
        Ok(ApiResponse::new(data, None, self.meta(&request, raw)))
    }

    /// Sends `request` and returns the body as text, for operations that answer `text/plain`,
    /// `text/csv` or another text type. The body must be UTF-8; it is read within
    /// [`crate::Config::max_response_bytes`] like every answer.
    ///
    /// Sent with `Accept: text/*`.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`]. [`ErrorKind::Decode`] for a body that is not UTF-8.
    pub async fn send_text(&self, request: Request) -> Result<ApiResponse<String>, Error> {
        let raw = self.execute(&request, ACCEPT_TEXT).await?;
        let data = decode::text(&raw.body, request.operation()).map_err(|err| self.with_response(err, &raw))?;
        Ok(ApiResponse::new(data, None, self.meta(&request, raw)))
    }

    /// Builds the HTTP request the next attempt of `request` would send through
    /// [`Client::send_json`], with the current credentials (in a header marked sensitive), for
    /// inspection, logging or custom sending.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] if the path, a header or the body cannot be sent.
    pub fn build_request(&self, request: &Request) -> Result<reqwest::Request, Error> {
        let (auth, _) = self.inner.auth.current();
        let timeout = request.options().timeout().unwrap_or(self.inner.limits.timeout);
        self.prepare(request, ACCEPT_JSON, auth, timeout)
    }

    /// One page of a list for a page stream, with the [`Fingerprint`] of its items.
    pub(crate) async fn fetch_page<T, A, R>(
        &self,
        request: Request,
        at: ListAt,
    ) -> Result<(ApiResponse<Vec<T>, A, R>, Fingerprint), Error>
    where
        T: DeserializeOwned,
        A: DeserializeOwned,
        R: DeserializeOwned,
    {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        let fingerprint = decode::fingerprint(&raw.body);
        let page = self.decode_list::<T, A, R>(&request, raw, at)?;
        Ok((page, fingerprint))
    }

    /// `text` scrubbed of the token, for text a server sent that goes into an error or a log.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.inner.auth.redact(text)
    }

    /// Decodes Pipedrive's envelope around `T`, its `additional_data` as `A` and its
    /// `related_objects` as `R`.
    fn decode_envelope<T, A, R>(&self, request: &Request, raw: Raw) -> Result<ApiResponse<T, A, R>, Error>
    where
        T: DeserializeOwned,
        A: DeserializeOwned,
        R: DeserializeOwned,
    {
        let decoded = decode::envelope_answer::<T, A, R>(&raw.body, request.operation(), &self.inner.auth)
            .map_err(|err| self.with_response(err, &raw))?;
        Ok(decoded.into_response(self.meta(request, raw)))
    }

    /// Decodes a list page, found `at` its place in the envelope; a null list is empty.
    fn decode_list<T, A, R>(&self, request: &Request, raw: Raw, at: ListAt) -> Result<ApiResponse<Vec<T>, A, R>, Error>
    where
        T: DeserializeOwned,
        A: DeserializeOwned,
        R: DeserializeOwned,
    {
        let decoded = decode::list_answer::<T, A, R>(&raw.body, request.operation(), &self.inner.auth, at)
            .map_err(|err| self.with_response(err, &raw))?;
        Ok(decoded.into_response(self.meta(request, raw)))
    }

    /// Metadata of a success response.
    fn meta(&self, request: &Request, raw: Raw) -> ResponseMeta {
        let operation = request.operation();
        ResponseMeta {
            status: raw.status,
            rate_limit: raw.rate_limit,
            request_id: failure::request_id(&raw.headers, &self.inner.auth),
            operation_id: operation.id,
            token_cost: operation.token_cost,
            attempts: raw.attempts,
            headers: raw.headers,
        }
    }

    /// Adds the response's facts to a decode error: status, rate limits, request id, attempts,
    /// and the body as text unless it was empty.
    fn with_response(&self, err: Error, raw: &Raw) -> Error {
        let auth = &self.inner.auth;
        err.with_status(raw.status)
            .with_rate_limit(raw.rate_limit)
            .with_request_id(failure::request_id(&raw.headers, auth))
            .with_attempts(raw.attempts)
            .with_response_body(error_body::body_text(&raw.body, auth))
    }
}
