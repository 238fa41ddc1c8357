//! Authentication: how the caller proves who they are, and how an OAuth token gets refreshed.
//!
//! Tokens are only ever sent in headers (`x-api-token` or `Authorization: Bearer`), which are
//! marked sensitive so `reqwest`/`http` never print them. Every type here that holds a token has
//! a `Debug` that prints `<redacted>` instead. The refreshed OAuth token lives in [`AuthState`],
//! shared by all clones of a [`crate::Client`], so one refresh serves every clone.

use std::error::Error as StdError;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::error::{Error, ErrorKind};
use crate::operation::Operation;
use crate::redact::{Redact, scrub};
use crate::wording::format_delay;

/// The error type a [`TokenRefresher`] may return.
pub type RefreshError = Box<dyn StdError + Send + Sync>;

/// Supplies a fresh OAuth access token. On a 401 the client refreshes once and retries the request once.
///
/// Implemented for any `Fn() -> impl Future<Output = Result<String, RefreshError>>` closure, so
/// most callers pass `|| async { ... }` (typically a call to Pipedrive's OAuth token endpoint with
/// the stored refresh token).
pub trait TokenRefresher: Send + Sync + 'static {
    /// Fetches a new access token.
    fn refresh(&self) -> BoxFuture<'static, Result<String, RefreshError>>;
}

impl<F, Fut> TokenRefresher for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, RefreshError>> + Send + 'static,
{
    fn refresh(&self) -> BoxFuture<'static, Result<String, RefreshError>> {
        Box::pin(self())
    }
}

/// A token or other credential. Its `Debug` prints `<redacted>` and it has no `Display`.
#[derive(Clone)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    /// The credential itself: for the client's auth header, or for the application to store
    /// (the refresh token of [`OAuthTokens`](crate::OAuthTokens)). Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests authenticate. Build it with [`Auth::api_token`], [`Auth::oauth`] or [`Auth::oauth_with_refresh`].
#[derive(Clone)]
#[non_exhaustive]
pub enum Auth {
    /// A personal or company API token, sent as the `x-api-token` header.
    ApiToken(Secret),
    /// An OAuth access token, sent as `Authorization: Bearer <token>`, optionally refreshable.
    OAuth {
        /// The access token to start with.
        access_token: Secret,
        /// Called once per request on a 401 to get a new token.
        refresher: Option<Arc<dyn TokenRefresher>>,
    },
}

impl Auth {
    /// API token auth, sent as header `x-api-token` (never in the query string, where proxies would log it).
    pub fn api_token(token: impl Into<String>) -> Self {
        Self::ApiToken(Secret::new(token))
    }

    /// OAuth auth without refresh: `Authorization: Bearer <token>`; a 401 is final.
    pub fn oauth(access_token: impl Into<String>) -> Self {
        Self::OAuth {
            access_token: Secret::new(access_token),
            refresher: None,
        }
    }

    /// OAuth auth that calls `refresher` on a 401, retries once with the new token, and keeps
    /// the new token for later calls (across clones of the client). The refresher gets as long
    /// as one request ([`Config::timeout`](crate::Config::timeout), or the call's own timeout);
    /// if it takes longer, the call fails with [`ErrorKind::Auth`].
    pub fn oauth_with_refresh<R: TokenRefresher>(access_token: impl Into<String>, refresher: R) -> Self {
        Self::OAuth {
            access_token: Secret::new(access_token),
            refresher: Some(Arc::new(refresher)),
        }
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ApiToken(_) => f.write_str("Auth::ApiToken(<redacted>)"),
            Self::OAuth { refresher: None, .. } => f.write_str("Auth::OAuth(<redacted>)"),
            Self::OAuth { refresher: Some(_), .. } => f.write_str("Auth::OAuth(<redacted>, with refresher)"),
        }
    }
}

/// The header currently sent, with a counter that changes on every refresh.
struct Current {
    value: HeaderValue,
    secret: Secret,
    /// The token before the last refresh: requests sent with it may still be in flight, and their
    /// error bodies are redacted too.
    previous: Option<Secret>,
    generation: u64,
}

/// Live auth state of a client: the header to send and, for OAuth, how to refresh it.
pub(crate) struct AuthState {
    name: HeaderName,
    bearer: bool,
    current: RwLock<Current>,
    refresher: Option<Arc<dyn TokenRefresher>>,
    /// Serialises refreshes so concurrent 401s trigger one refresh, not one per request.
    refresh_lock: futures::lock::Mutex<()>,
}

impl std::fmt::Debug for AuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthState")
            .field("header", &self.name)
            .field("token", &"<redacted>")
            .field("refreshable", &self.refresher.is_some())
            .finish()
    }
}

/// A token's header value, marked sensitive, or `None` if it cannot be sent in a header.
fn header_value(token: &str, bearer: bool) -> Option<HeaderValue> {
    if token.is_empty() {
        return None;
    }
    let mut value = if bearer {
        HeaderValue::from_str(&format!("Bearer {token}")).ok()?
    } else {
        HeaderValue::from_str(token).ok()?
    };
    value.set_sensitive(true);
    Some(value)
}

impl AuthState {
    /// Validates the configured credential and prepares its header.
    pub(crate) fn new(auth: &Auth) -> Result<Self, Error> {
        let (name, bearer, secret, refresher) = match auth {
            Auth::ApiToken(token) => (HeaderName::from_static("x-api-token"), false, token.clone(), None),
            Auth::OAuth {
                access_token,
                refresher,
            } => (AUTHORIZATION, true, access_token.clone(), refresher.clone()),
        };
        let value = header_value(secret.expose(), bearer).ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                None,
                format!(
                    "the {} is empty or contains characters that cannot be sent in an HTTP header; \
                     check for a stray newline or quote when it was read",
                    if bearer { "OAuth access token" } else { "API token" }
                ),
            )
        })?;
        Ok(Self {
            name,
            bearer,
            current: RwLock::new(Current {
                value,
                secret,
                previous: None,
                generation: 0,
            }),
            refresher,
            refresh_lock: futures::lock::Mutex::new(()),
        })
    }

    /// The header name to send the credential in.
    pub(crate) fn header_name(&self) -> &HeaderName {
        &self.name
    }

    /// The header value to send now, and the generation it belongs to.
    pub(crate) fn current(&self) -> (HeaderValue, u64) {
        // A poisoned lock only means another thread panicked mid-write of a plain value swap;
        // the data is still a complete token, so keep going.
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        (current.value.clone(), current.generation)
    }

    /// Whether a 401 can be answered by refreshing.
    pub(crate) fn can_refresh(&self) -> bool {
        self.refresher.is_some()
    }

    /// Whether requests carry an OAuth access token (not an API token).
    pub(crate) fn is_oauth(&self) -> bool {
        self.bearer
    }

    /// What the credential is called in messages.
    pub(crate) fn describe(&self) -> &'static str {
        if self.bearer { "OAuth access token" } else { "API token" }
    }

    /// Replaces the token after a 401 seen with `seen_generation`. If another request already
    /// refreshed since then, its token is used and the refresher is not called again.
    ///
    /// The refresher runs under a lock every clone shares, so one that hangs (a token endpoint
    /// that never answers) would stall every call that meets a 401: it gets `time_limit`.
    pub(crate) async fn refresh(
        &self,
        seen_generation: u64,
        operation: &'static Operation,
        time_limit: Duration,
    ) -> Result<(), Error> {
        let Some(refresher) = &self.refresher else {
            return Ok(());
        };
        let _guard = self.refresh_lock.lock().await;
        if self.current().1 != seen_generation {
            return Ok(());
        }
        let Ok(refreshed) = tokio::time::timeout(time_limit, refresher.refresh()).await else {
            return Err(Error::new(
                ErrorKind::Auth,
                Some(operation),
                format!(
                    "{}: Pipedrive rejected the OAuth access token (401) and the token refresher did not \
                     finish within {}; check that it reaches the token endpoint, or raise Config::timeout",
                    operation.id,
                    format_delay(time_limit)
                ),
            ));
        };
        let token = refreshed.map_err(|err| {
            Error::new(
                ErrorKind::Auth,
                Some(operation),
                format!(
                    "{}: Pipedrive rejected the OAuth access token (401) and refreshing it failed; \
                     check the refresh token and OAuth app credentials (the refresher's error is the source)",
                    operation.id
                ),
            )
            .with_boxed_source(err)
        })?;
        let value = header_value(&token, true).ok_or_else(|| {
            Error::new(
                ErrorKind::Auth,
                Some(operation),
                format!(
                    "{}: the token refresher returned an access token that is empty or cannot be sent \
                     in an HTTP header",
                    operation.id
                ),
            )
        })?;
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        current.value = value;
        let previous = std::mem::replace(&mut current.secret, Secret::new(token));
        current.previous = Some(previous);
        current.generation = current.generation.wrapping_add(1);
        Ok(())
    }

    /// `text` with every occurrence of the current credential, and of the one it replaced at the
    /// last refresh, replaced by `<redacted>`.
    ///
    /// Applied to text that came from the server (error bodies), in case something in between
    /// echoes request headers back. The previous token matters because a request sent with it
    /// can fail after another request has refreshed.
    fn redact_secrets(&self, text: &str) -> String {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        let secrets = std::iter::once(&current.secret).chain(current.previous.as_ref());
        scrub(text, secrets.map(Secret::expose))
    }
}

impl Redact for AuthState {
    fn redact(&self, text: &str) -> String {
        self.redact_secrets(text)
    }
}
