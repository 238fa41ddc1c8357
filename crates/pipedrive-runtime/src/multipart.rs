//! An owned, cloneable description of a `multipart/form-data` body.
//!
//! `reqwest::multipart::Form` is consumed when sent and cannot be cloned, but a retry has to send
//! the same body again; so requests keep this description and build a fresh `Form` per attempt.
//! File contents are `Bytes`, so rebuilding never copies them.

use bytes::Bytes;

use crate::error::Error;
use crate::operation::Operation;

/// The parts of a multipart body, in order.
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<(String, PartKind)>,
}

/// One part: a text field or a file.
#[derive(Clone)]
enum PartKind {
    Text(String),
    File {
        file_name: String,
        content_type: Option<String>,
        bytes: Bytes,
    },
}

impl std::fmt::Debug for PartKind {
    // File contents can be megabytes of binary; their length is what helps when debugging.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text(value) => f.debug_tuple("Text").field(value).finish(),
            Self::File {
                file_name,
                content_type,
                bytes,
            } => f
                .debug_struct("File")
                .field("file_name", file_name)
                .field("content_type", content_type)
                .field("len", &bytes.len())
                .finish(),
        }
    }
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), PartKind::Text(value.into())));
        self
    }

    /// Adds a file field; `content_type` defaults to what the server infers (usually octet-stream).
    #[must_use]
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: Option<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        self.parts.push((
            name.into(),
            PartKind::File {
                file_name: file_name.into(),
                content_type,
                bytes: bytes.into(),
            },
        ));
        self
    }

    /// Number of parts.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Builds the `reqwest` form for one attempt.
    pub(crate) fn to_reqwest(&self, operation: &'static Operation) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, kind) in &self.parts {
            let part = match kind {
                PartKind::Text(value) => reqwest::multipart::Part::text(value.clone()),
                PartKind::File {
                    file_name,
                    content_type,
                    bytes,
                } => {
                    let length = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
                    let part = reqwest::multipart::Part::stream_with_length(bytes.clone(), length)
                        .file_name(file_name.clone());
                    match content_type {
                        Some(mime) => part.mime_str(mime).map_err(|err| {
                            Error::invalid_request(
                                operation,
                                format!("multipart field `{name}` has an invalid content type {mime:?}"),
                            )
                            .with_source(err)
                        })?,
                        None => part,
                    }
                }
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}
