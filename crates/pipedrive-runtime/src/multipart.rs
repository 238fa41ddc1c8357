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

    /// Adds a file field; without a `content_type`, the part is sent with one guessed from the
    /// file name's extension, or `application/octet-stream` (RFC 7578's default) if none fits.
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
                    let mime = content_type.as_deref().unwrap_or_else(|| guess_content_type(file_name));
                    part.mime_str(mime).map_err(|err| {
                        Error::invalid_request(
                            operation,
                            format!("multipart field `{name}` has an invalid content type {mime:?}"),
                        )
                        .with_source(err)
                    })?
                }
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

/// The content type of a file part sent without one: guessed from the file name's extension by
/// `mime_guess` (already in the tree through reqwest's multipart support), else
/// `application/octet-stream`, which RFC 7578 (section 4.4) names for a file part of unknown type.
fn guess_content_type(file_name: &str) -> &'static str {
    mime_guess::from_path(file_name)
        .first_raw()
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_a_content_type_gets_one_from_its_name_or_octet_stream() {
        assert_eq!(guess_content_type("report.pdf"), "application/pdf");
        assert_eq!(guess_content_type("photo.PNG"), "image/png");
        assert_eq!(guess_content_type("notes"), "application/octet-stream");
        assert_eq!(guess_content_type("data.unknownext"), "application/octet-stream");
    }
}
