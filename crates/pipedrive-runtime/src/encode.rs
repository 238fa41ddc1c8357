//! Percent-encoding of values that generated code splices into path templates (and of the
//! query values of the OAuth authorize URL).
//!
//! Path parameters come from callers (ids, but also free text such as a field key), so each value
//! is encoded as one opaque segment: a `/` or `?` inside it cannot change which endpoint is called.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything except RFC 3986 "unreserved" characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters), so `a/b` cannot escape its segment.
///
/// The values `.` and `..` stay as they are (URL parsers treat even `%2E` as a dot segment), and
/// an empty value stays empty; the client refuses to send a path with such a segment instead,
/// see [`crate::Client`].
pub fn encode_path_segment(value: impl std::fmt::Display) -> String {
    utf8_percent_encode(&value.to_string(), NOT_UNRESERVED).to_string()
}

/// Percent-encodes a query value the same way: nothing but unreserved characters stays as is.
pub(crate) fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Whether `segment` is one that URL normalisation would remove or collapse (`.`, `..`, `%2e`, ...).
/// Checked for every segment of every request, so it compares in place rather than lowercasing a copy.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    const DOT_SEGMENTS: [&str; 6] = [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."];
    segment.len() <= 6 && DOT_SEGMENTS.iter().any(|dot| segment.eq_ignore_ascii_case(dot))
}
