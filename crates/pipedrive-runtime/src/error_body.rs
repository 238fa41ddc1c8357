//! Reading what an error response's body says: Pipedrive's error envelope, a JSON error of
//! another shape (a gateway's `application/problem+json`, say), or text.
//!
//! Everything taken from the body is scrubbed of the token first. The message quotes the parts
//! that say what went wrong (Pipedrive's `error`, or `title`, `detail` and `errors`), each
//! bounded; the body itself stays available on the error as text, up to [`BODY_TEXT_BYTES`].

use serde_json::{Map, Value};

use crate::error::ApiErrorBody;
use crate::redact::Redact;

/// How many characters of a non-JSON body the message quotes.
const SNIPPET_CHARS: usize = 200;

/// How many characters of each field of a foreign JSON error the message quotes: enough for a
/// gateway's longest explanation, not enough for a body that is one huge string.
const FIELD_CHARS: usize = 1_000;

/// How many bytes of the body an error keeps as text ([`crate::Error::response_body`]).
pub(crate) const BODY_TEXT_BYTES: usize = 16 * 1024;

/// The fields of a JSON error that is not Pipedrive's envelope, read in this order: RFC 9457's
/// problem details (`title`, `detail`, `errors` as many frameworks add), then the common
/// `message`.
const FOREIGN_FIELDS: [&str; 4] = ["title", "detail", "errors", "message"];

/// What an error response's body says.
#[derive(Debug, Default)]
pub(crate) struct ErrorBody {
    /// Pipedrive's error envelope, when the body is one.
    pub(crate) envelope: Option<ApiErrorBody>,
    /// `title: "…"; detail: "…"` from a JSON body that is not Pipedrive's envelope.
    pub(crate) foreign: Option<String>,
    /// The start of a body that is not JSON (or JSON without any field read above), whitespace
    /// collapsed.
    pub(crate) snippet: Option<String>,
    /// The body as text, bounded.
    pub(crate) text: Option<String>,
    /// Whether the body is JSON.
    pub(crate) json: bool,
}

/// Reads `body`, scrubbing every piece it keeps with `redactor`.
pub(crate) fn read(body: &[u8], redactor: &dyn Redact) -> ErrorBody {
    let text = body_text(body, redactor);
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return ErrorBody {
            snippet: snippet(body, redactor),
            text,
            ..ErrorBody::default()
        };
    };
    if let Some(envelope) = ApiErrorBody::from_value(&value) {
        return ErrorBody {
            envelope: Some(redacted_envelope(envelope, redactor)),
            text,
            json: true,
            ..ErrorBody::default()
        };
    }
    match value.as_object().and_then(|object| foreign_fields(object, redactor)) {
        Some(foreign) => ErrorBody {
            foreign: Some(foreign),
            text,
            json: true,
            ..ErrorBody::default()
        },
        None => ErrorBody {
            snippet: snippet(body, redactor),
            text,
            json: true,
            ..ErrorBody::default()
        },
    }
}

/// Pipedrive's error envelope if the body is one, else a short snippet of the body (the OAuth
/// client's reading, which words its own message).
pub(crate) fn envelope_or_snippet(body: &[u8], redactor: &dyn Redact) -> (Option<ApiErrorBody>, Option<String>) {
    let read = read(body, redactor);
    (read.envelope, read.snippet)
}

fn redacted_envelope(mut envelope: ApiErrorBody, redactor: &dyn Redact) -> ApiErrorBody {
    envelope.error = envelope.error.map(|text| redactor.redact(&text));
    envelope.error_info = envelope.error_info.map(|text| redactor.redact(&text));
    envelope.code = envelope.code.map(|code| match code {
        Value::String(text) => Value::String(redactor.redact(&text)),
        other => other,
    });
    envelope
}

/// `title: "Bad Gateway"; detail: "…"; errors: […]`, or `None` if the object has none of
/// [`FOREIGN_FIELDS`].
fn foreign_fields(object: &Map<String, Value>, redactor: &dyn Redact) -> Option<String> {
    let parts: Vec<String> = FOREIGN_FIELDS
        .iter()
        .filter_map(|&key| {
            let text = match object.get(key)? {
                Value::Null => return None,
                Value::String(text) => format!("{:?}", bounded(&redactor.redact(text), FIELD_CHARS)),
                other => bounded(&redactor.redact(&other.to_string()), FIELD_CHARS),
            };
            Some(format!("{key}: {text}"))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The first [`SNIPPET_CHARS`] characters of `body` with whitespace runs collapsed, or `None` if empty.
pub(crate) fn snippet(body: &[u8], redactor: &dyn Redact) -> Option<String> {
    let text = String::from_utf8_lossy(body.get(..BODY_TEXT_BYTES).unwrap_or(body));
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    Some(bounded(&redactor.redact(&collapsed), SNIPPET_CHARS))
}

/// The first [`BODY_TEXT_BYTES`] of `body` as text (invalid UTF-8 replaced), redacted, or `None`
/// if the body is blank.
pub(crate) fn body_text(body: &[u8], redactor: &dyn Redact) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let start = body.get(..BODY_TEXT_BYTES).unwrap_or(body);
    let mut text = redactor.redact(&String::from_utf8_lossy(start));
    if start.len() < body.len() {
        text.push('…');
    }
    Some(text)
}

/// At most `chars` characters of `text`, with `…` when cut.
fn bounded(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// Appends `: "error" (error_info: ...) [code ...]`.
pub(crate) fn describe_envelope(message: &mut String, body: &ApiErrorBody) {
    if let Some(error) = &body.error {
        message.push_str(&format!(": {error:?}"));
    }
    if let Some(info) = &body.error_info {
        message.push_str(&format!(" (error_info: {info})"));
    }
    match &body.code {
        Some(Value::String(code)) => message.push_str(&format!(" [code {code}]")),
        Some(code) => message.push_str(&format!(" [code {code}]")),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::test_redactors::{NoSecret, Token};

    #[test]
    fn snippets_are_short_collapsed_and_char_safe() {
        let body = format!("<html>\n  <body>{}</body></html>", "é".repeat(500));
        let Some(snippet) = snippet(body.as_bytes(), &NoSecret) else {
            unreachable!("non-empty body")
        };
        assert!(snippet.starts_with("<html> <body>é"));
        assert_eq!(snippet.chars().count(), SNIPPET_CHARS + 1);
        assert!(snippet.ends_with('…'));
        assert_eq!(super::snippet(b"  \n ", &NoSecret), None);
    }

    #[test]
    fn every_text_field_of_an_error_envelope_is_redacted() {
        let body = br#"{"success":false,"error":"bad SECRET-1","error_info":"SECRET-1?","code":"SECRET-1"}"#;
        let (Some(envelope), None) = envelope_or_snippet(body, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.error.as_deref(), Some("bad [redacted]"));
        assert_eq!(envelope.error_info.as_deref(), Some("[redacted]?"));
        assert_eq!(envelope.code, Some(Value::String("[redacted]".into())));
        let (Some(envelope), None) = envelope_or_snippet(br#"{"success":false,"code":404}"#, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.code, Some(Value::from(404)));
    }

    #[test]
    fn v1s_error_code_fills_in_for_code() {
        // The body of a v1 401, as in spec/pipedrive-v1.yaml.
        let body = br#"{"success":false,"error":"unauthorized access","errorCode":401}"#;
        let (Some(envelope), None) = envelope_or_snippet(body, &NoSecret) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.code, Some(Value::from(401)));
        let body = br#"{"success":false,"code":"ERR_X","errorCode":"SECRET-1"}"#;
        let (Some(envelope), None) = envelope_or_snippet(body, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(
            envelope.code,
            Some(Value::from("ERR_X")),
            "`code` wins when both are there"
        );
        let body = br#"{"success":false,"code":null,"errorCode":"SECRET-1"}"#;
        let (Some(envelope), None) = envelope_or_snippet(body, &Token) else {
            unreachable!("an envelope")
        };
        assert_eq!(envelope.code, Some(Value::from("[redacted]")), "redacted like `code`");
    }

    #[test]
    fn a_problem_json_body_is_read_for_its_title_detail_and_errors_in_full() {
        let detail = format!("{} the upstream answered in SECRET-1 ms", "x".repeat(300));
        let body = serde_json::json!({
            "type": "about:blank",
            "title": "Bad Gateway",
            "detail": detail,
            "errors": [{"field": "name"}]
        })
        .to_string();
        let read = read(body.as_bytes(), &Token);
        let Some(foreign) = read.foreign else {
            unreachable!("title and detail are read")
        };
        assert!(
            foreign.starts_with(r#"title: "Bad Gateway"; detail: "xxx"#),
            "{foreign}"
        );
        assert!(
            foreign.contains("the upstream answered in [redacted] ms"),
            "past 200 characters, redacted: {foreign}"
        );
        assert!(foreign.ends_with(r#"errors: [{"field":"name"}]"#), "{foreign}");
        assert!(read.envelope.is_none() && read.snippet.is_none());
        assert_eq!(
            read.text.as_deref().map(str::len),
            Some(body.len() - 8 + "[redacted]".len())
        );
    }

    #[test]
    fn the_kept_body_text_is_bounded() {
        let body = "y".repeat(BODY_TEXT_BYTES * 3);
        let Some(text) = body_text(body.as_bytes(), &NoSecret) else {
            unreachable!("not blank")
        };
        assert_eq!(text.chars().count(), BODY_TEXT_BYTES + 1);
        assert!(text.ends_with('…'));
        let read = read(br#"{"unexpected": true}"#, &NoSecret);
        assert_eq!(
            read.snippet.as_deref(),
            Some(r#"{"unexpected": true}"#),
            "JSON without a known field"
        );
        assert!(read.foreign.is_none());
    }
}
