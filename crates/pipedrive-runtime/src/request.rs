//! A request about to be sent: operation, rendered path, query, extra headers and body.
//!
//! Generated code fills one in per call. It is owned and `Clone`, and bodies are serialised as
//! soon as they are set, so the client can resend it on a retry or after an OAuth token refresh
//! and pagination can derive the next page's request from it.

use bytes::Bytes;

use crate::call_options::CallOptions;
use crate::error::Error;
use crate::multipart::MultipartForm;
use crate::operation::{Method, Operation};

/// A request body, kept in a form that can be sent any number of times.
#[derive(Clone)]
pub(crate) enum Body {
    /// `application/json`
    Json(Bytes),
    /// `application/x-www-form-urlencoded`
    Form(Bytes),
    /// `multipart/form-data`; reqwest supplies the content type with its boundary.
    Multipart(MultipartForm),
}

impl std::fmt::Debug for Body {
    // Bodies can be large; kind and size are what a log line needs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Json(bytes) => write!(f, "Json({} bytes)", bytes.len()),
            Self::Form(bytes) => write!(f, "Form({} bytes)", bytes.len()),
            Self::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
        }
    }
}

/// A request about to be sent. Built by generated code; owned and `Clone` so retries and pagination can resend it.
#[derive(Debug, Clone)]
pub struct Request {
    operation: &'static Operation,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Body>,
    options: CallOptions,
}

impl Request {
    /// Starts a request for `operation`; `path` is already rendered and percent-encoded, e.g. `"/api/v2/stages/5"`.
    ///
    /// Use [`crate::encode_path_segment`] for every value spliced into the template.
    pub fn new(operation: &'static Operation, path: String) -> Self {
        Self {
            operation,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            options: CallOptions::default(),
        }
    }

    /// Overrides the client's retry policy and timeout for this call where `options` sets them.
    pub fn set_options(&mut self, options: CallOptions) {
        self.options = options;
    }

    /// This call's overrides of the client's settings.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The operation's HTTP method.
    pub fn method(&self) -> Method {
        self.operation.method
    }

    /// The rendered path, without base URL or query string.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Adds one `name=value` query parameter (percent-encoded when sent).
    pub fn query(&mut self, name: &'static str, value: impl std::fmt::Display) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds an array query parameter: `name=a&name=b` when `explode`, else `name=a,b`.
    ///
    /// An empty array adds nothing in either style, because `name=` would mean "the empty string"
    /// to the server rather than "no filter".
    pub fn query_array<I, V>(&mut self, name: &'static str, values: I, explode: bool)
    where
        I: IntoIterator<Item = V>,
        V: std::fmt::Display,
    {
        if explode {
            for value in values {
                self.query(name, value);
            }
        } else {
            let joined = values
                .into_iter()
                .map(|value| value.to_string())
                .collect::<Vec<_>>()
                .join(",");
            if !joined.is_empty() {
                self.query.push((name.to_owned(), joined));
            }
        }
    }

    /// Replaces a query parameter's value (adding it if absent); pagination uses it to move the cursor.
    pub fn set_query(&mut self, name: &'static str, value: impl std::fmt::Display) {
        self.query.retain(|(existing, _)| existing != name);
        self.query(name, value);
    }

    /// Adds a header. Names and values are checked when the request is sent; an invalid one is an
    /// [`crate::ErrorKind::InvalidRequest`] error then.
    pub fn header(&mut self, name: &'static str, value: impl std::fmt::Display) {
        self.headers.push((name, value.to_string()));
    }

    /// Sets a JSON body, serialised now so every attempt sends the same bytes.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] if `body` cannot be represented as JSON (e.g. a map with non-string keys).
    pub fn json_body<B: serde::Serialize + ?Sized>(&mut self, body: &B) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|err| {
            Error::invalid_request(
                self.operation,
                format!("the request body cannot be serialised as JSON: {err}"),
            )
            .with_source(err)
        })?;
        self.body = Some(Body::Json(Bytes::from(bytes)));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body, serialised now.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] if `body` is not a flat map or struct of scalar values.
    pub fn form_body<B: serde::Serialize + ?Sized>(&mut self, body: &B) -> Result<(), Error> {
        let text = serde_urlencoded::to_string(body).map_err(|err| {
            Error::invalid_request(
                self.operation,
                format!("the request body cannot be form-encoded: {err}"),
            )
            .with_source(err)
        })?;
        self.body = Some(Body::Form(Bytes::from(text)));
        Ok(())
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart_body(&mut self, form: MultipartForm) {
        self.body = Some(Body::Multipart(form));
    }

    /// Query parameters in the order they were added, before percent-encoding.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// Extra headers set by [`Request::header`], in order.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The serialised JSON or form body; `None` without a body or for multipart.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Some(Body::Json(bytes) | Body::Form(bytes)) => Some(bytes),
            Some(Body::Multipart(_)) | None => None,
        }
    }

    /// The multipart body, if one was set.
    pub fn multipart(&self) -> Option<&MultipartForm> {
        match &self.body {
            Some(Body::Multipart(form)) => Some(form),
            _ => None,
        }
    }

    /// The body, for the client.
    pub(crate) fn body(&self) -> Option<&Body> {
        self.body.as_ref()
    }
}
