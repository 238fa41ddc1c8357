//! Small types the generated code names in its own API: file uploads and the error of parsing an
//! enum from text.

use std::fmt;

use bytes::Bytes;

/// A file to send in a `multipart/form-data` body (a `format: binary` field).
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    /// The file name Pipedrive stores.
    pub file_name: String,
    /// MIME type; when `None`, guessed from the file name, else `application/octet-stream`.
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Bytes,
}

impl FileUpload {
    /// A file with a name and contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FileUpload {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the MIME type.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FileUpload {
    // The contents can be large and private: show their size, not the bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

/// A text value that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    type_name: &'static str,
    value: String,
    expected: Vec<String>,
}

impl ParseEnumError {
    /// `value` is not a `type_name`; `expected` lists the values that are.
    pub fn new<I, S>(type_name: &'static str, value: &str, expected: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ParseEnumError {
            type_name,
            value: value.to_owned(),
            expected: expected.into_iter().map(Into::into).collect(),
        }
    }

    /// `value` is not a `type_name`; `expected` lists the values that are. Not generic, unlike
    /// [`ParseEnumError::new`], so each generated enum does not compile a copy of it.
    pub fn one_of(type_name: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        ParseEnumError {
            type_name,
            value: value.to_owned(),
            expected: expected.iter().map(|text| (*text).to_owned()).collect(),
        }
    }

    /// The rejected text.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a {}; expected one of: {}",
            self.value,
            self.type_name,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseEnumError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_lists_the_accepted_values() {
        let e = ParseEnumError::new("SortDirection", "up", ["asc", "desc"]);
        assert_eq!(e.to_string(), "`up` is not a SortDirection; expected one of: asc, desc");
        assert_eq!(e.value(), "up");
        assert_eq!(ParseEnumError::one_of("SortDirection", "up", &["asc", "desc"]), e);
    }

    #[test]
    fn upload_debug_shows_size_not_contents() {
        let upload = FileUpload::new("a.txt", &b"secret contents"[..]).content_type("text/plain");
        let debug = format!("{upload:?}");
        assert!(debug.contains("15 bytes"), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
    }
}
