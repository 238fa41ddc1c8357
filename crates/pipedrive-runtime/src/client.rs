//! The client: sends [`Request`]s with auth, retries and token refresh, and decodes responses.
//!
//! One attempt loop ([`Client::execute`]) serves every kind of response; the public `send_*`
//! methods only differ in how they decode a success body. State shared by clones (HTTP pool,
//! current OAuth token, tokens spent) lives behind one `Arc`, so cloning a client is cheap.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::AuthState;
use crate::base_url::{self, BaseUrl};
use crate::config::Config;
use crate::decode::{self, DataItems, ListAt};
use crate::encode::is_dot_segment;
use crate::error::{Error, ErrorKind};
use crate::failure::{self, FailedResponse};
use crate::log;
use crate::pacing::Pacer;
use crate::rate_limit::RateLimit;
use crate::request::{Body, Request};
use crate::response::{ApiResponse, ResponseMeta};
use crate::retry::{RetryBudget, RetryPolicy, retryable_status, retryable_transport, server_delay};

/// `Accept` for API calls.
const ACCEPT_JSON: HeaderValue = HeaderValue::from_static("application/json");
/// `Accept` for downloads, whose content type is the file's.
const ACCEPT_ANY: HeaderValue = HeaderValue::from_static("*/*");
/// How many same-host redirects the default HTTP client follows.
const MAX_REDIRECTS: usize = 10;

/// A Pipedrive API client. Cheap to clone; clones share the connection pool, the current OAuth
/// token and the tokens-spent counter. Its `Debug` redacts the token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: BaseUrl,
    http: reqwest::Client,
    auth: AuthState,
    timeout: Duration,
    retry: RetryPolicy,
    pacer: Pacer,
    user_agent: HeaderValue,
    tokens_spent: AtomicU64,
    /// The HTTP client was built here without a TLS backend for an https base URL; connection
    /// failures then say how to get one.
    no_tls_backend: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("pacer", &self.inner.pacer)
            .field("user_agent", &self.inner.user_agent)
            .field("tokens_spent", &self.tokens_spent())
            .finish()
    }
}

/// A success response of one call, before its body is decoded.
struct Raw {
    status: StatusCode,
    rate_limit: RateLimit,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
}

/// The result of one attempt that got a response.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// What one attempt that got a response got.
enum Outcome {
    /// A response from the base URL's origin.
    Answered(Answer),
    /// A response from another origin (`scheme://host:port`), reached by a redirect the HTTP
    /// client followed: only a client passed to `Config::http_client` does.
    LeftOrigin(String),
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
        let http = match config.http_client {
            Some(http) => http,
            None => default_http_client()?,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                base_url,
                http,
                auth,
                timeout: config.timeout,
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
    /// A missing `data` is treated as JSON `null` (so `T = Option<_>` or `()` works; otherwise a decode error).
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<ApiResponse<T>, Error> {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        let operation = request.operation();
        let (data, additional_data) =
            decode::envelope::<T>(&raw.body, operation, &self.inner.auth).map_err(|err| with_response(err, &raw))?;
        Ok(ApiResponse {
            data,
            additional_data,
            meta: Self::meta(&request, raw),
        })
    }

    /// Like [`Client::send_json`] for list endpoints: `data: null` (v1 sends it for empty lists) becomes an empty `Vec`.
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_list<T: DeserializeOwned>(&self, request: Request) -> Result<ApiResponse<Vec<T>>, Error> {
        self.send_list_at(request, ListAt::Data).await
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
        Ok(match at {
            ListAt::Data => self
                .send_json::<Option<Vec<T>>>(request)
                .await?
                .map(Option::unwrap_or_default),
            ListAt::DataItems => self
                .send_json::<Option<DataItems<T>>>(request)
                .await?
                .map(|data| data.map(DataItems::into_items).unwrap_or_default()),
        })
    }

    /// Sends `request` and decodes the whole JSON body as `T` (endpoints without an envelope).
    ///
    /// # Errors
    /// Any [`ErrorKind`]: see [`Error`].
    pub async fn send_body<T: DeserializeOwned>(&self, request: Request) -> Result<ApiResponse<T>, Error> {
        let raw = self.execute(&request, ACCEPT_JSON).await?;
        let data = decode::whole::<T>(&raw.body, request.operation(), &self.inner.auth)
            .map_err(|err| with_response(err, &raw))?;
        Ok(ApiResponse {
            data,
            additional_data: None,
            meta: Self::meta(&request, raw),
        })
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
        Ok(ApiResponse {
            data,
            additional_data: None,
            meta: Self::meta(&request, raw),
        })
    }

    /// Builds the HTTP request the next attempt of `request` would send through
    /// [`Client::send_json`], with the current credentials (in a header marked sensitive), for
    /// inspection, logging or custom sending.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] if the path, a header or the body cannot be sent.
    pub fn build_request(&self, request: &Request) -> Result<reqwest::Request, Error> {
        let (auth, _) = self.inner.auth.current();
        self.prepare(request, ACCEPT_JSON, auth)
    }

    /// The attempt loop ([`Client::attempts`]) in the call's `tracing` span, if anyone listens:
    /// wrapping the loop's future moves it, which costs a call about as much as the rest of
    /// logging (callgrind, BENCHMARKS.md), so it is only wrapped when the span is recorded.
    async fn execute(&self, request: &Request, accept: HeaderValue) -> Result<Raw, Error> {
        let span = log::request_span(request.operation());
        if span.is_disabled() {
            self.attempts(request, accept).await
        } else {
            self.attempts(request, accept).instrument(span).await
        }
    }

    /// The attempt loop: retries, token refresh, token counting; returns a 2xx response.
    async fn attempts(&self, request: &Request, accept: HeaderValue) -> Result<Raw, Error> {
        let inner = &*self.inner;
        let operation = request.operation();
        let retry = request.options().retry().unwrap_or(&inner.retry);
        let timeout = request.options().timeout().unwrap_or(inner.timeout);
        let mut budget = RetryBudget::default();
        let mut attempts: u32 = 0;
        let mut refreshed = false;
        loop {
            attempts = attempts.saturating_add(1);
            // Before the credentials are read: another clone may refresh the token meanwhile.
            if let Some(wait) = inner
                .pacer
                .wait_before_sending(Instant::now, || budget.wait_left(retry))
            {
                budget.charge(wait);
                log::pacing(operation, attempts, wait);
                tokio::time::sleep(wait).await;
            }
            let (auth, generation) = inner.auth.current();
            let http_request = self.prepare(request, accept.clone(), auth)?;
            let started = log::attempt_started();
            let answer = match self.attempt(http_request, operation.token_cost).await {
                Ok(Outcome::Answered(answer)) => answer,
                Ok(Outcome::LeftOrigin(origin)) => {
                    return Err(failure::left_origin(
                        operation,
                        inner.base_url.origin(),
                        &origin,
                        attempts,
                        &inner.auth,
                    ));
                }
                Err(err) => {
                    if retry.allows(operation.method) && retryable_transport(&err, inner.no_tls_backend) {
                        if let Some(delay) = budget.next_delay(retry, None) {
                            log::retrying_transport(operation, attempts, &failure::transport_cause(&err), delay);
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    return Err(failure::transport(
                        operation,
                        &err,
                        attempts,
                        inner.base_url.as_str(),
                        timeout,
                        inner.no_tls_backend,
                    )
                    .with_source(err));
                }
            };
            let Answer { status, headers, body } = answer;
            // Read once per response: pacing, the logs, errors and the response metadata use it.
            let rate_limit = RateLimit::from_headers(&headers);
            inner.pacer.observe(&rate_limit, Instant::now);
            log::answered(attempts, status, started, || failure::request_id(&headers), &rate_limit);
            if status.is_success() {
                return Ok(Raw {
                    status,
                    rate_limit,
                    headers,
                    body,
                    attempts,
                });
            }
            let retry_after = server_delay(status, &headers, &rate_limit);
            let failed = FailedResponse {
                operation,
                status,
                headers: &headers,
                body: &body,
                attempts,
                rate_limit,
                retry_after,
            };
            if status == StatusCode::UNAUTHORIZED && inner.auth.can_refresh() {
                if refreshed {
                    return Err(failure::unauthorized_after_refresh(&failed, &inner.auth));
                }
                refreshed = true;
                log::refreshing_token(operation, attempts);
                inner
                    .auth
                    .refresh(generation, operation, timeout)
                    .await
                    .map_err(|err| err.with_status(status).with_attempts(attempts))?;
                continue;
            }
            // A 429 with too few daily tokens left for this call would fail again all day.
            if status == StatusCode::TOO_MANY_REQUESTS && rate_limit.daily_budget_short_of(operation.token_cost) {
                return Err(failure::daily_budget_exhausted(&failed, &inner.auth));
            }
            if retryable_status(status) && retry.allows(operation.method) {
                if let Some(delay) = budget.next_delay(retry, retry_after) {
                    log::retrying_status(operation, attempts, status, delay, retry_after.is_some());
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return Err(failure::status(&failed, &inner.auth));
        }
    }

    /// Sends one attempt and reads its whole body; counts tokens once the server has answered.
    async fn attempt(&self, http_request: reqwest::Request, token_cost: u32) -> Result<Outcome, reqwest::Error> {
        let mut response = self.inner.http.execute(http_request).await?;
        self.inner
            .tokens_spent
            .fetch_add(u64::from(token_cost), Ordering::Relaxed);
        // A response from elsewhere is not Pipedrive's answer, and its body is not read: the
        // caller's client followed a redirect that the runtime's own client would not have.
        if !self.inner.base_url.same_origin(response.url()) {
            return Ok(Outcome::LeftOrigin(response.url().origin().ascii_serialization()));
        }
        let status = response.status();
        // Taken, not cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Outcome::Answered(Answer { status, headers, body }))
    }

    /// Builds one attempt's HTTP request.
    ///
    /// The `reqwest::Request` is assembled directly rather than through a `RequestBuilder`, which
    /// would merge a second header map into the request's; only multipart bodies go through the
    /// builder, which knows how to frame them.
    fn prepare(&self, request: &Request, accept: HeaderValue, auth: HeaderValue) -> Result<reqwest::Request, Error> {
        let inner = &*self.inner;
        let operation = request.operation();
        let timeout = request.options().timeout().unwrap_or(inner.timeout);
        let url = self.url(request)?;

        let mut headers = HeaderMap::with_capacity(4 + request.headers().len());
        headers.insert(ACCEPT, accept);
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(inner.auth.header_name().clone(), auth);
        let mut extra = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|err| {
                Error::invalid_request(operation, format!("{name:?} is not a valid header name")).with_source(err)
            })?;
            if name == *inner.auth.header_name() {
                return Err(Error::invalid_request(
                    operation,
                    format!("the {name} header is set by the client from Config's Auth"),
                ));
            }
            let value = HeaderValue::from_str(value).map_err(|err| {
                Error::invalid_request(
                    operation,
                    format!("the value of header {name} contains characters not allowed in HTTP headers"),
                )
                .with_source(err)
            })?;
            extra.push((name, value));
        }
        // Headers the operation sets replace the defaults of the same name instead of doubling them.
        for (name, _) in &extra {
            headers.remove(name);
        }
        for (name, value) in extra {
            headers.append(name, value);
        }

        let body = match request.body() {
            None => None,
            Some(Body::Json(bytes)) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Some(reqwest::Body::from(bytes.clone()))
            }
            Some(Body::Form(bytes)) => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                Some(reqwest::Body::from(bytes.clone()))
            }
            Some(Body::Multipart(form)) => {
                // After the headers: reqwest sets the content type with the form's boundary.
                return inner
                    .http
                    .request(operation.method.to_reqwest(), url)
                    .timeout(timeout)
                    .headers(headers)
                    .multipart(form.to_reqwest(operation)?)
                    .build()
                    .map_err(|err| {
                        Error::invalid_request(operation, "the HTTP request could not be built").with_source(err)
                    });
            }
        };
        let mut http_request = reqwest::Request::new(operation.method.to_reqwest(), url);
        *http_request.headers_mut() = headers;
        *http_request.timeout_mut() = Some(timeout);
        *http_request.body_mut() = body;
        Ok(http_request)
    }

    /// `{base_url}{path}?{query}`, refusing paths that URL normalisation would rewrite.
    fn url(&self, request: &Request) -> Result<reqwest::Url, Error> {
        let operation = request.operation();
        let path = request.path();
        if !path.starts_with('/') || path.contains(['?', '#']) {
            return Err(Error::invalid_request(
                operation,
                format!(
                    "the path {path:?} must start with `/` and contain no `?` or `#`; encode values with encode_path_segment"
                ),
            ));
        }
        // After the leading `/`, every segment: an empty path parameter leaves `//` or a
        // trailing `/`, and a `.` or `..` would be collapsed by URL normalisation.
        for segment in path.split('/').skip(1) {
            let problem = if segment.is_empty() {
                "has an empty segment (an empty path parameter?)"
            } else if is_dot_segment(segment) {
                "contains a `.` or `..` segment"
            } else {
                continue;
            };
            return Err(Error::invalid_request(
                operation,
                format!("the path {path:?} {problem}, which would address another endpoint"),
            ));
        }
        let mut url = self.inner.base_url.with_path(path);
        if !request.query_pairs().is_empty() {
            url.query_pairs_mut().extend_pairs(request.query_pairs());
        }
        Ok(url)
    }

    /// Metadata of a success response.
    fn meta(request: &Request, raw: Raw) -> ResponseMeta {
        let operation = request.operation();
        ResponseMeta {
            status: raw.status,
            rate_limit: raw.rate_limit,
            request_id: failure::request_id(&raw.headers),
            operation_id: operation.id,
            token_cost: operation.token_cost,
            attempts: raw.attempts,
            headers: raw.headers,
        }
    }
}

/// Adds the response's facts to a decode error.
fn with_response(err: Error, raw: &Raw) -> Error {
    err.with_status(raw.status)
        .with_rate_limit(raw.rate_limit)
        .with_request_id(failure::request_id(&raw.headers))
        .with_attempts(raw.attempts)
}

/// Whether https requests may fail for want of TLS: only when the runtime builds the HTTP client
/// itself without its `rustls` feature. (The application may still have enabled a TLS backend on
/// reqwest, which Cargo's feature unification hands to that client; the advice is worded for both.)
fn lacks_tls_backend(own_client: bool, rustls_feature: bool, base_url: &BaseUrl) -> bool {
    !own_client && !rustls_feature && base_url.is_https()
}

/// The HTTP client used when none is configured: redirects are followed only within the same
/// origin (scheme, host and port), because reqwest would forward `x-api-token` to another host.
fn default_http_client() -> Result<reqwest::Client, Error> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        if previous.len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let same_origin = previous
            .first()
            .is_some_and(|first| crate::base_url::same_origin(first, attempt.url()));
        if same_origin { attempt.follow() } else { attempt.stop() }
    });
    reqwest::Client::builder().redirect(policy).build().map_err(|err| {
        Error::new(
            ErrorKind::Config,
            None,
            "the HTTP client could not be built (TLS backend or system configuration); \
                 pass your own with Config::http_client",
        )
        .with_source(err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Target;

    fn url(url: &str) -> BaseUrl {
        let Ok(base) = base_url::resolve(&Target::Url(url.to_owned()), true) else {
            unreachable!("{url} is a valid base URL")
        };
        base
    }

    #[test]
    fn only_a_client_built_here_without_rustls_for_https_lacks_tls() {
        let https = url("https://api.pipedrive.com");
        assert!(lacks_tls_backend(false, false, &https));
        assert!(!lacks_tls_backend(false, true, &https), "the rustls feature brings TLS");
        assert!(
            !lacks_tls_backend(true, false, &https),
            "an application's own client brings its own"
        );
        assert!(
            !lacks_tls_backend(false, false, &url("http://127.0.0.1:8080")),
            "plain http needs none"
        );
    }
}
