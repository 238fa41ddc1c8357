//! Pipedrive's OAuth 2.0 server, `https://oauth.pipedrive.com`: the URL of the page where a user
//! installs an app, exchanging the app's authorization code for tokens, refreshing them, and a
//! [`TokenRefresher`] that refreshes for [`Auth::oauth_with_refresh`](crate::Auth::oauth_with_refresh).
//!
//! The documents describe these (`authorize`, `get-tokens`, `refresh-tokens`) on a server of
//! their own, the token calls with the app's credentials in `Authorization: Basic` rather than
//! the API's token, so the generator leaves them out and they are written here. Pipedrive may answer a refresh with a new refresh
//! token; [`OAuthRefresher`] keeps using the newest and hands each answer to a callback, so the
//! application can store it before the old one stops working.
//!
//! The app's secret, the code and every token are redacted from `Debug` output and from errors,
//! also where the endpoint's answer echoes them.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, HeaderValue};
use serde::Deserialize;

use crate::auth::{RefreshError, Secret, TokenRefresher};
use crate::body::{self, BodyFailure};
use crate::config::DEFAULT_STALL_TIMEOUT;
use crate::encode::encode_query_value;
use crate::error::{Error, ErrorKind};
use crate::error_body::envelope_or_snippet;
use crate::failure::root_cause;
use crate::operation::{Method, Operation};
use crate::redact::{Redact, scrub};

/// Pipedrive's OAuth token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://oauth.pipedrive.com/oauth/token";

/// The page where a user installs (authorizes) an app.
const AUTHORIZE_URL: &str = "https://oauth.pipedrive.com/oauth/authorize";

/// The largest answer read from the token endpoint: tokens and their metadata are a few hundred
/// bytes, an error page a few kilobytes.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

/// How long one call to the token endpoint may take unless [`OAuthApp::timeout`] says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The documents' two operations on the token endpoint, to name them in errors.
static GET_TOKENS: Operation = token_endpoint("get-tokens");
static REFRESH_TOKENS: Operation = token_endpoint("refresh-tokens");

const fn token_endpoint(id: &'static str) -> Operation {
    Operation {
        id,
        api: "oauth",
        method: Method::Post,
        path: "/oauth/token",
        token_cost: 0,
        oauth_scopes: &[],
        deprecated: false,
    }
}

/// An OAuth app's credentials (from Pipedrive's Developer Hub) and where its token endpoint is.
///
/// ```no_run
/// # async fn run(code: &str) -> Result<(), pipedrive_runtime::Error> {
/// use pipedrive_runtime::{Auth, Client, Config, OAuthApp};
///
/// let app = OAuthApp::new("my-client-id", "my-client-secret");
/// let tokens = app.exchange_code(code, "https://example.com/callback").await?;
/// // Store `tokens.refresh_token.expose()`; every refresh below reports the one to store next.
/// let refresher = app.refresher(tokens.refresh_token.expose(), |fresh| {
///     let _ = fresh.refresh_token.expose(); // store it
/// });
/// let client = Client::new(Config::new(Auth::oauth_with_refresh(tokens.access_token.expose(), refresher)))?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    client_id: String,
    client_secret: Secret,
    token_url: String,
    allow_insecure_http: bool,
    timeout: Duration,
    /// The caller's client, or one built on first use and shared by clones.
    http: Arc<OnceLock<reqwest::Client>>,
    /// Whether `http` is the caller's (which may have TLS where this crate was built without).
    custom_http: bool,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_url", &self.token_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// What the token endpoint answers.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct OAuthTokens {
    /// Sent as `Authorization: Bearer` ([`Auth::oauth`](crate::Auth::oauth)).
    pub access_token: Secret,
    /// The refresh token to use from now on: the endpoint's new one, or the one just used when
    /// the answer names none. Store it; it expires when unused for 60 days.
    pub refresh_token: Secret,
    /// `Bearer`.
    pub token_type: Option<String>,
    /// The scopes the user granted, as the endpoint lists them.
    pub scope: Option<String>,
    /// How long the access token lasts from the answer.
    pub expires_in: Option<Duration>,
    /// The company's API address, e.g. `https://acme.pipedrive.com`
    /// (for [`Config::base_url`](crate::Config::base_url)).
    pub api_domain: Option<String>,
}

/// The answer as sent; turned into [`OAuthTokens`] at once.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    api_domain: Option<String>,
}

impl OAuthApp {
    /// The app's client id and client secret; the token endpoint is [`DEFAULT_TOKEN_URL`].
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            token_url: DEFAULT_TOKEN_URL.to_owned(),
            allow_insecure_http: false,
            timeout: DEFAULT_TIMEOUT,
            http: Arc::new(OnceLock::new()),
            custom_http: false,
        }
    }

    /// Another token endpoint (a proxy, a test server). It must be `https://` unless
    /// [`OAuthApp::allow_insecure_http`] allows `http://`.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Allows a plain `http://` token endpoint, for tests against a loopback server. The app's
    /// secret and the tokens would cross the network unencrypted, so it is off by default.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// How long one call to the token endpoint may take (30 s unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends the calls with this HTTP client (its TLS, proxy and pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Arc::new(OnceLock::from(client));
        self.custom_http = true;
        self
    }

    /// The page to send a user's browser to, to install the app (the document's `authorize`):
    /// Pipedrive's authorize page with the app's client id, `redirect_uri` (the callback URL
    /// registered for the app) and `state`, which Pipedrive hands back to the callback with the
    /// code; pass a fresh random value and check it there (RFC 6749, section 10.12).
    pub fn authorize_url(&self, redirect_uri: &str, state: Option<&str>) -> String {
        let mut url = format!(
            "{AUTHORIZE_URL}?client_id={}&redirect_uri={}",
            encode_query_value(&self.client_id),
            encode_query_value(redirect_uri)
        );
        if let Some(state) = state {
            url.push_str("&state=");
            url.push_str(&encode_query_value(state));
        }
        url
    }

    /// Exchanges the authorization code Pipedrive sent to the app's callback for tokens.
    /// `redirect_uri` is the callback URL registered for the app.
    ///
    /// # Errors
    /// [`ErrorKind::Auth`] if the endpoint refuses (a used or expired code, wrong credentials);
    /// [`ErrorKind::Config`] for a token URL that is not `https://`; [`ErrorKind::Timeout`],
    /// [`ErrorKind::Transport`] or [`ErrorKind::Decode`] as for any call.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<OAuthTokens, Error> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ];
        let answer = self.call(&GET_TOKENS, &form, code).await?;
        Ok(answer.into_tokens(None))
    }

    /// Gets a new access token with a refresh token.
    ///
    /// # Errors
    /// [`ErrorKind::Auth`] if the endpoint refuses (a revoked or expired refresh token, wrong
    /// credentials); otherwise as [`OAuthApp::exchange_code`].
    pub async fn refresh(&self, refresh_token: &str) -> Result<OAuthTokens, Error> {
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        let answer = self.call(&REFRESH_TOKENS, &form, refresh_token).await?;
        Ok(answer.into_tokens(Some(refresh_token)))
    }

    /// A [`TokenRefresher`] for [`Auth::oauth_with_refresh`](crate::Auth::oauth_with_refresh)
    /// that starts from `refresh_token`, moves on to each new one the endpoint hands out, and
    /// calls `on_refresh` with every answer (to store its refresh token).
    pub fn refresher(
        &self,
        refresh_token: impl Into<String>,
        on_refresh: impl Fn(&OAuthTokens) + Send + Sync + 'static,
    ) -> OAuthRefresher {
        OAuthRefresher {
            app: self.clone(),
            refresh_token: Arc::new(Mutex::new(Secret::new(refresh_token))),
            one_at_a_time: Arc::default(),
            on_refresh: Arc::new(on_refresh),
        }
    }

    /// Posts `form` to the token endpoint with the app's credentials; `sent` is the code or
    /// refresh token in it, kept out of any error.
    async fn call(
        &self,
        operation: &'static Operation,
        form: &[(&str, &str)],
        sent: &str,
    ) -> Result<TokenAnswer, Error> {
        let redactor = Known(vec![self.client_secret.expose(), sent]);
        let url = self.checked_url(operation)?;
        let http = self.http_client_for(operation)?;
        let mut response = http
            .post(url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .form(form)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|err| self.transport(operation, &err))?;
        let status = response.status();
        // A few hundred bytes of JSON: an answer that pauses or runs on is not a token.
        let stall = self.timeout.min(DEFAULT_STALL_TIMEOUT);
        let body = body::read(&mut response, MAX_ANSWER_BYTES, stall)
            .await
            .map_err(|failed| self.unreadable(operation, failed))?;
        if !status.is_success() {
            return Err(refused(operation, status, &body, &redactor));
        }
        serde_json::from_slice::<TokenAnswer>(&body).map_err(|err| undecodable(operation, &err))
    }

    /// The token URL, refused unless `https://` (or `http://` where allowed).
    fn checked_url(&self, operation: &'static Operation) -> Result<reqwest::Url, Error> {
        let config_error = |why: String| {
            Error::new(
                ErrorKind::Config,
                Some(operation),
                format!("{}: the OAuth token URL {why}", operation.id),
            )
        };
        let url = reqwest::Url::parse(&self.token_url)
            .map_err(|err| config_error(format!("{:?} is not a URL: {err}", self.token_url)))?;
        match url.scheme() {
            "https" => Ok(url),
            "http" if self.allow_insecure_http => Ok(url),
            "http" => Err(config_error(format!(
                "{:?} is plain http, which would send the app's secret and the tokens unencrypted; \
                 use https, or OAuthApp::allow_insecure_http(true) for a loopback test server",
                self.token_url
            ))),
            other => Err(config_error(format!(
                "{:?} has scheme {other:?}; use https",
                self.token_url
            ))),
        }
    }

    fn http_client_for(&self, operation: &'static Operation) -> Result<&reqwest::Client, Error> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        // No redirects: a token endpoint that redirects is misconfigured, and following one would
        // resend the form (with its code or refresh token) to wherever it points.
        let built = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("pipedrive-runtime/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| {
                Error::new(
                    ErrorKind::Config,
                    Some(operation),
                    format!(
                        "{}: could not build an HTTP client for the OAuth token endpoint: {}",
                        operation.id,
                        root_cause(&err)
                    ),
                )
            })?;
        Ok(self.http.get_or_init(|| built))
    }

    /// The answer's body could not be read: the connection failed, it stalled, or it ran on.
    fn unreadable(&self, operation: &'static Operation, failed: BodyFailure) -> Error {
        match failed {
            BodyFailure::Transport(err) => self.transport(operation, &err),
            BodyFailure::Stalled => Error::new(
                ErrorKind::Timeout,
                Some(operation),
                format!(
                    "{}: the OAuth token endpoint stopped sending its answer mid-way; retry later",
                    operation.id
                ),
            ),
            BodyFailure::TooLarge { .. } => Error::new(
                ErrorKind::ResponseTooLarge,
                Some(operation),
                format!(
                    "{}: the OAuth token endpoint's answer is larger than {} bytes, which no token \
                     answer is; is OAuthApp::token_url right?",
                    operation.id, MAX_ANSWER_BYTES
                ),
            ),
        }
    }

    fn transport(&self, operation: &'static Operation, err: &reqwest::Error) -> Error {
        if err.is_timeout() {
            return Error::new(
                ErrorKind::Timeout,
                Some(operation),
                format!(
                    "{}: the OAuth token endpoint did not answer within {} s; retry later or raise OAuthApp::timeout",
                    operation.id,
                    self.timeout.as_secs_f64()
                ),
            );
        }
        let mut message = format!(
            "{}: could not reach the OAuth token endpoint {}: {}",
            operation.id,
            self.token_url,
            root_cause(err)
        );
        // reqwest's words for refusing https without TLS ("scheme is not http") do not say why.
        if !self.custom_http && !cfg!(feature = "rustls") && self.token_url.starts_with("https:") {
            message.push_str(
                ". This runtime was built without a TLS backend (the `rustls` feature is off): enable it, \
                 enable a TLS feature of reqwest, or pass your own client with OAuthApp::http_client",
            );
        }
        Error::new(ErrorKind::Transport, Some(operation), message)
    }
}

impl TokenAnswer {
    /// `used` is the refresh token that was sent, kept when the answer names no new one.
    fn into_tokens(self, used: Option<&str>) -> OAuthTokens {
        let refresh_token = self
            .refresh_token
            .filter(|t| !t.is_empty())
            .or_else(|| used.map(str::to_owned))
            .unwrap_or_default();
        OAuthTokens {
            access_token: Secret::new(self.access_token),
            refresh_token: Secret::new(refresh_token),
            token_type: self.token_type,
            scope: self.scope,
            expires_in: self.expires_in.map(Duration::from_secs),
            api_domain: self.api_domain,
        }
    }
}

/// A refusal from the token endpoint: its status, and what it said (OAuth's `error_description`
/// and `error`, Pipedrive's `message`) or a snippet of its body.
fn refused(operation: &'static Operation, status: StatusCode, body: &[u8], redactor: &Known<'_>) -> Error {
    let (envelope, snippet) = envelope_or_snippet(body, redactor);
    let said = oauth_message(body, redactor).or_else(|| snippet.clone());
    let mut message = format!("{}: Pipedrive's OAuth token endpoint answered {status}", operation.id);
    if let Some(said) = said {
        message.push_str(&format!(": {said}"));
    }
    message.push_str("; check the app's client id and secret, and that the code or refresh token is current");
    Error::new(ErrorKind::Auth, Some(operation), message)
        .with_status(status)
        .with_api_error(envelope)
        .with_body_snippet(snippet)
}

/// `description [error]` from a JSON error body, redacted: the description is OAuth's
/// `error_description`, Pipedrive's `message` or its `error_info`; the code is `error`.
fn oauth_message(body: &[u8], redactor: &Known<'_>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|text| !text.trim().is_empty())
            .map(|text| redactor.redact(text))
    };
    let description = text("error_description")
        .or_else(|| text("message"))
        .or_else(|| text("error_info"));
    match (description, text("error")) {
        (Some(description), Some(code)) => Some(format!("{description} [{code}]")),
        (description, code) => description.or(code),
    }
}

/// An answer that is not the tokens. serde's text can quote a value from the answer, which may be
/// a token, so only a missing field is named.
fn undecodable(operation: &'static Operation, err: &serde_json::Error) -> Error {
    let text = err.to_string();
    let detail = if text.starts_with("missing field") {
        text.split(" at line").next().unwrap_or_default().to_owned()
    } else if err.is_syntax() || err.is_eof() {
        "it is not JSON".to_owned()
    } else {
        "a field has an unexpected type".to_owned()
    };
    Error::new(
        ErrorKind::Decode,
        Some(operation),
        format!(
            "{}: could not read the OAuth token endpoint's answer: {detail}",
            operation.id
        ),
    )
}

/// The secrets of one call, scrubbed from whatever the endpoint says.
struct Known<'a>(Vec<&'a str>);

impl Redact for Known<'_> {
    fn redact(&self, text: &str) -> String {
        scrub(text, self.0.iter().copied())
    }
}

/// Refreshes through an [`OAuthApp`], always with the newest refresh token. Build it with
/// [`OAuthApp::refresher`]. Clones share the refresh token, and refresh one at a time: two
/// clients given the same refresher must not both send a refresh token the first one's answer
/// replaced.
#[derive(Clone)]
pub struct OAuthRefresher {
    app: OAuthApp,
    refresh_token: Arc<Mutex<Secret>>,
    one_at_a_time: Arc<futures::lock::Mutex<()>>,
    on_refresh: Arc<dyn Fn(&OAuthTokens) + Send + Sync>,
}

impl std::fmt::Debug for OAuthRefresher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthRefresher")
            .field("app", &self.app)
            .field("refresh_token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl OAuthRefresher {
    /// The refresh token the next refresh will send: the newest the endpoint handed out.
    pub fn refresh_token(&self) -> Secret {
        self.refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl TokenRefresher for OAuthRefresher {
    fn refresh(&self) -> BoxFuture<'static, Result<String, RefreshError>> {
        let this = self.clone();
        Box::pin(async move {
            let _turn = this.one_at_a_time.lock().await;
            let current = this.refresh_token();
            let tokens = this.app.refresh(current.expose()).await?;
            *this.refresh_token.lock().unwrap_or_else(PoisonError::into_inner) = tokens.refresh_token.clone();
            (this.on_refresh)(&tokens);
            Ok(tokens.access_token.expose().to_owned())
        })
    }
}
