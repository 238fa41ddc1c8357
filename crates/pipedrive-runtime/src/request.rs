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
    /// JSON, sent as `content_type`: `application/json`, or another JSON media type such as
    /// `application/merge-patch+json`.
    Json { bytes: Bytes, content_type: &'static str },
    /// `application/x-www-form-urlencoded`
    Form(Bytes),
    /// `multipart/form-data`; reqwest supplies the content type with its boundary.
    Multipart(MultipartForm),
    /// UTF-8 text sent as it is, as `content_type` (`text/plain`, `text/csv`).
    Text { bytes: Bytes, content_type: &'static str },
    /// Bytes sent as they are, as `content_type` (`application/octet-stream`).
    Binary { bytes: Bytes, content_type: &'static str },
}

impl Body {
    /// The `Content-Type` the body is sent with; multipart's is `multipart/form-data` with the
    /// boundary reqwest adds when it frames the parts.
    pub(crate) fn content_type(&self) -> &'static str {
        match self {
            Self::Json { content_type, .. } | Self::Text { content_type, .. } | Self::Binary { content_type, .. } => {
                content_type
            }
            Self::Form(_) => FORM,
            Self::Multipart(_) => "multipart/form-data",
        }
    }
}

impl std::fmt::Debug for Body {
    // Bodies can be large and may hold personal data; kind, media type and size are what a log
    // line needs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Json { bytes, content_type } => write!(f, "Json({content_type}, {} bytes)", bytes.len()),
            Self::Form(bytes) => write!(f, "Form({} bytes)", bytes.len()),
            Self::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
            Self::Text { bytes, content_type } => write!(f, "Text({content_type}, {} bytes)", bytes.len()),
            Self::Binary { bytes, content_type } => write!(f, "Binary({content_type}, {} bytes)", bytes.len()),
        }
    }
}

/// The media type of a JSON body unless another is given.
const JSON: &str = "application/json";
/// The media type of a form body.
const FORM: &str = "application/x-www-form-urlencoded";

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

    /// Sets a JSON body, serialised now so every attempt sends the same bytes, sent as
    /// `application/json`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidRequest`] if `body` cannot be represented as JSON (e.g. a map with non-string keys).
    pub fn json_body<B: serde::Serialize + ?Sized>(&mut self, body: &B) -> Result<(), Error> {
        self.json_body_as(body, JSON)
    }

    /// [`Request::json_body`] sent as another JSON media type, for an operation whose document
    /// names one: `application/merge-patch+json` (RFC 7396), say. The value is serialised the
    /// same way; only the `Content-Type` differs.
    ///
    /// `content_type` is checked when the request is sent: one that is not a valid header value
    /// is an [`crate::ErrorKind::InvalidRequest`] error then.
    ///
    /// # Errors
    /// As [`Request::json_body`].
    pub fn json_body_as<B: serde::Serialize + ?Sized>(
        &mut self,
        body: &B,
        content_type: &'static str,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|err| {
            Error::invalid_request(
                self.operation,
                format!("the request body cannot be serialised as JSON: {err}"),
            )
            .with_source(err)
        })?;
        self.body = Some(Body::Json {
            bytes: Bytes::from(bytes),
            content_type,
        });
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

    /// Sets a text body, sent as it is (UTF-8, as Rust's strings are) with `content_type`
    /// (`text/plain`, `text/csv`), for an operation whose document asks for text. Copied once
    /// now, so every attempt sends the same bytes.
    ///
    /// `content_type` is checked when the request is sent, as for [`Request::json_body_as`].
    pub fn text_body(&mut self, text: &str, content_type: &'static str) {
        self.body = Some(Body::Text {
            bytes: Bytes::copy_from_slice(text.as_bytes()),
            content_type,
        });
    }

    /// Sets a body of raw bytes, sent as they are with `content_type`
    /// (`application/octet-stream`), for an operation whose document takes any bytes. `Bytes`
    /// is shared, not copied, by the retries that send it again.
    ///
    /// `content_type` is checked when the request is sent, as for [`Request::json_body_as`].
    pub fn bytes_body(&mut self, bytes: impl Into<Bytes>, content_type: &'static str) {
        self.body = Some(Body::Binary {
            bytes: bytes.into(),
            content_type,
        });
    }

    /// Query parameters in the order they were added, before percent-encoding.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// Extra headers set by [`Request::header`], in order.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The body as it is sent: serialised JSON or form, text or bytes; `None` without a body or
    /// for multipart.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Some(
                Body::Json { bytes, .. } | Body::Form(bytes) | Body::Text { bytes, .. } | Body::Binary { bytes, .. },
            ) => Some(bytes),
            Some(Body::Multipart(_)) | None => None,
        }
    }

    /// The `Content-Type` the body is sent with (`application/json`, `text/csv`, ...); `None`
    /// without a body. For multipart, `multipart/form-data`, to which the client adds the
    /// boundary.
    pub fn content_type(&self) -> Option<&'static str> {
        self.body.as_ref().map(Body::content_type)
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
