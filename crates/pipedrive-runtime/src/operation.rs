//! Static description of one API operation (method, path template, token cost, scopes).
//!
//! The generator emits one `const` [`Operation`] per operationId (`GetStages::OPERATION`); the runtime reads it to build
//! requests, to count rate-limit tokens, and to name the operation in every error message.

/// HTTP method of an operation: those Pipedrive's documents use, and HEAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`: a `GET` answered with status and headers only.
    Head,
}

impl Method {
    /// The method as written on the wire, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
        }
    }

    /// Whether sending the request twice has the same effect as sending it once (GET, HEAD, PUT,
    /// DELETE).
    ///
    /// Only idempotent requests are retried by default: a retried POST could create a second deal.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Head | Self::Put | Self::Delete)
    }

    /// The matching `reqwest` method.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
            Self::Head => reqwest::Method::HEAD,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the generated code knows about one operation, emitted as an associated `const`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's operationId, e.g. `"getStages"`.
    pub id: &'static str,
    /// Which API the operation belongs to: `"v1"` or `"v2"`.
    pub api: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Full path template including the server prefix, e.g. `"/api/v2/stages/{id}"` or `"/v1/stages/{id}/deals"`.
    pub path: &'static str,
    /// Pipedrive's `x-token-cost`: how many rate-limit tokens one call spends.
    pub token_cost: u32,
    /// OAuth scopes that allow the operation (any one of them suffices).
    pub oauth_scopes: &'static [&'static str],
    /// Whether the spec marks the operation as deprecated.
    pub deprecated: bool,
}
