//! Decoding success bodies: Pipedrive's `{"success", "data", "additional_data"}` envelope, a
//! whole body without one, text, or a body with nothing to decode; and the fingerprint of a page's
//! items, by which page streams notice a server that serves the same items again. A call and
//! [`crate::decode_body`] (a canned answer, no HTTP) both decode through the functions here.
//!
//! A body that should hold the envelope and does not (empty, or JSON of another shape) is a
//! decode error, never an empty result: a list call must not report "no items" for an answer that
//! did not come from Pipedrive's API.
//!
//! A failed decode is retried through `serde_path_to_error`, so a mismatch between the spec-generated types and
//! what the live API sends is reported with the JSON path (`data[2].days_to_rotten`) and the
//! operation, which is what someone needs to fix a generated type or report a spec bug.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiErrorBody, Error, ErrorKind};
use crate::error_body::snippet;
use crate::operation::Operation;
use crate::redact::Redact;
use crate::response::{ApiResponse, ResponseMeta};

/// Pipedrive's response envelope. Error fields are read so a `success: false` body is not
/// mistaken for data. `R` is the type of `related_objects`, which v1 lists send beside `data`
/// (the persons, organizations and users its items refer to).
#[derive(Deserialize)]
struct Envelope<T, R = serde::de::IgnoredAny> {
    #[serde(default)]
    success: Option<bool>,
    // `Option` so a missing or null `data` is told apart from a present one; see `envelope`.
    data: Option<T>,
    #[serde(default)]
    additional_data: Option<Value>,
    #[serde(default = "none")]
    related_objects: Option<R>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_info: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
    /// v1's name for `code`. A field of its own rather than an alias of `code`, so a body with
    /// both is not a duplicate-field error.
    #[serde(default, rename = "errorCode")]
    error_code: Option<Value>,
}

/// Where the items of a list endpoint's page are in Pipedrive's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ListAt {
    /// `data` is the list, `{"data": [...]}`: most list endpoints.
    #[default]
    Data,
    /// `data` is an object whose `items` is the list, `{"data": {"items": [...]}}`: the search
    /// endpoints.
    DataItems,
}

/// `data` of a [`ListAt::DataItems`] page. Other fields of `data` are skipped; a missing or
/// null `items` is an empty page, as a null `data` is for [`ListAt::Data`].
///
/// Written out rather than derived: a derived struct also reads a JSON array field by field, so
/// a page with its list at `data` would fail at `data[0]` with "expected a sequence" instead of
/// at `data` with what was expected there.
pub(crate) struct DataItems<T> {
    items: Vec<T>,
}

impl<T> DataItems<T> {
    pub(crate) fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for DataItems<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = DataItems<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object with the list in `items`")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut items = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "items" && items.is_none() {
                        items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default());
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(DataItems {
                    items: items.unwrap_or_default(),
                })
            }
        }

        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// `None`, for a field whose type has no `Default` of its own.
fn none<R>() -> Option<R> {
    None
}

/// What an envelope held besides `data`: `additional_data` as sent (pagination state, and
/// whatever else the operation documents there) and `related_objects`.
#[derive(Debug)]
pub(crate) struct Besides<R> {
    pub(crate) additional_data: Option<Value>,
    pub(crate) related_objects: Option<R>,
}

/// Decodes an envelope; returns `data`, `additional_data` and `related_objects`.
///
/// A missing or null `data` is decoded from JSON `null`, so `T = Option<_>` or `()` gets its empty
/// value while any other `T` is a decode error at `data`. An empty body, or JSON that is not an
/// object with `success` or `data`, is a decode error.
pub(crate) fn envelope<T: DeserializeOwned, R: DeserializeOwned>(
    body: &[u8],
    operation: &'static Operation,
    redactor: &dyn Redact,
) -> Result<(T, Besides<R>), Error> {
    if is_blank(body) {
        return Err(not_an_envelope(operation, "the response body is empty"));
    }
    if !starts_an_object(body) {
        // Not JSON at all is reported as such, with a snippet.
        from_slice::<serde::de::IgnoredAny>(body, operation, redactor)?;
        return Err(not_an_envelope(operation, "the response is JSON but not an object")
            .with_body_snippet(snippet(body, redactor)));
    }
    let envelope: Envelope<T, R> = from_slice(body, operation, redactor)?;
    if envelope.success.is_none() && envelope.data.is_none() {
        return Err(
            not_an_envelope(operation, "the response has neither `success` nor `data`")
                .with_body_snippet(snippet(body, redactor)),
        );
    }
    if envelope.success == Some(false) {
        return Err(unsuccessful(&envelope, operation, redactor));
    }
    let data = match envelope.data {
        Some(data) => data,
        None => T::deserialize(Value::Null)
            .map_err(|err| decode_error(operation, "data", &err.to_string()).with_source(err))?,
    };
    let besides = Besides {
        additional_data: envelope.additional_data,
        related_objects: envelope.related_objects,
    };
    Ok((data, besides))
}

/// `additional_data` as `A`: the type an operation documents for it (`Value` where it does
/// not). A mismatch is a decode error at `additional_data`, with the path inside it.
pub(crate) fn additional_data<A: DeserializeOwned>(value: Value, operation: &'static Operation) -> Result<A, Error> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let path = if path == "." {
            "additional_data".to_owned()
        } else {
            format!("additional_data.{path}")
        };
        let inner = err.into_inner();
        decode_error(operation, &path, &without_position(&inner)).with_source(inner)
    })
}

/// An envelope decoded as an operation's answer: `data` as `T`, `additional_data` as `A` (and as
/// sent, for its pagination state) and `related_objects` as `R`, waiting for the metadata of the
/// exchange that brought it.
pub(crate) struct Decoded<T, A, R> {
    data: T,
    raw_additional_data: Option<Value>,
    additional_data: Option<A>,
    related_objects: Option<R>,
}

impl<T, A, R> Decoded<T, A, R> {
    /// The answer, with `meta`.
    pub(crate) fn into_response(self, meta: ResponseMeta) -> ApiResponse<T, A, R> {
        ApiResponse::from_parts(
            self.data,
            self.raw_additional_data.as_ref(),
            self.additional_data,
            self.related_objects,
            meta,
        )
    }

    fn map<U>(self, f: impl FnOnce(T) -> U) -> Decoded<U, A, R> {
        Decoded {
            data: f(self.data),
            raw_additional_data: self.raw_additional_data,
            additional_data: self.additional_data,
            related_objects: self.related_objects,
        }
    }
}

/// Decodes an operation's answer in Pipedrive's envelope: [`envelope`], then `additional_data`
/// as `A`. What a call sends through and what [`crate::decode_body`] runs, so the two cannot
/// decode differently.
pub(crate) fn envelope_answer<T, A, R>(
    body: &[u8],
    operation: &'static Operation,
    redactor: &dyn Redact,
) -> Result<Decoded<T, A, R>, Error>
where
    T: DeserializeOwned,
    A: DeserializeOwned,
    R: DeserializeOwned,
{
    let (data, besides) = envelope::<T, R>(body, operation, redactor)?;
    let additional_data = match &besides.additional_data {
        Some(value) => Some(additional_data::<A>(value.clone(), operation)?),
        None => None,
    };
    Ok(Decoded {
        data,
        raw_additional_data: besides.additional_data,
        additional_data,
        related_objects: besides.related_objects,
    })
}

/// Decodes a list page, found `at` its place in the envelope; a null or missing list is empty.
pub(crate) fn list_answer<T, A, R>(
    body: &[u8],
    operation: &'static Operation,
    redactor: &dyn Redact,
    at: ListAt,
) -> Result<Decoded<Vec<T>, A, R>, Error>
where
    T: DeserializeOwned,
    A: DeserializeOwned,
    R: DeserializeOwned,
{
    Ok(match at {
        ListAt::Data => {
            envelope_answer::<Option<Vec<T>>, A, R>(body, operation, redactor)?.map(Option::unwrap_or_default)
        }
        ListAt::DataItems => envelope_answer::<Option<DataItems<T>>, A, R>(body, operation, redactor)?
            .map(|data| data.map(DataItems::into_items).unwrap_or_default()),
    })
}

/// Redacts nothing: for a body decoded without a client ([`crate::decode_body`]), which knows no
/// token to hide.
pub(crate) struct NoToken;

impl Redact for NoToken {
    fn redact(&self, text: &str) -> String {
        text.to_owned()
    }
}

/// Decodes a body that is `T` itself, with no envelope. An empty body decodes from `null`.
pub(crate) fn whole<T: DeserializeOwned>(
    body: &[u8],
    operation: &'static Operation,
    redactor: &dyn Redact,
) -> Result<T, Error> {
    if is_blank(body) {
        return T::deserialize(Value::Null)
            .map_err(|err| decode_error(operation, ".", &err.to_string()).with_source(err));
    }
    from_slice(body, operation, redactor)
}

/// Decodes a text body (`text/plain`, `text/csv`, ...) as UTF-8. Text in another charset is
/// refused rather than guessed at: a decode error naming the first byte that is not UTF-8.
pub(crate) fn text(body: &[u8], operation: &'static Operation) -> Result<String, Error> {
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_owned()),
        Err(err) => Err(Error::new(
            ErrorKind::Decode,
            Some(operation),
            format!(
                "{}: could not decode the response as text: the {} bytes are not UTF-8 from byte {} on",
                operation.id,
                body.len(),
                err.valid_up_to()
            ),
        )
        .with_source(err)),
    }
}

/// Checks the body of an operation whose documented response has no data: blank or any JSON
/// is success, except an envelope saying `success: false`; a body that is not JSON is not
/// Pipedrive's answer.
pub(crate) fn no_data(body: &[u8], operation: &'static Operation, redactor: &dyn Redact) -> Result<(), Error> {
    if is_blank(body) {
        return Ok(());
    }
    let value: Value = from_slice(body, operation, redactor)?;
    let Ok(envelope) = Envelope::<serde::de::IgnoredAny>::deserialize(&value) else {
        return Ok(());
    };
    if envelope.success == Some(false) {
        return Err(unsuccessful(&envelope, operation, redactor));
    }
    Ok(())
}

/// What a page's items are, in 64 bits: the hash of the raw JSON of its `data`. Two pages with
/// the same fingerprint hold the same items (barring a collision, about one in 2^64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint(u64);

/// `data` of a page, as the text the server sent.
#[derive(Deserialize)]
struct RawData<'a> {
    #[serde(borrow, default)]
    data: Option<&'a serde_json::value::RawValue>,
}

/// The [`Fingerprint`] of a page's body: its `data` hashed as sent. Scanning the body once more
/// costs far less than decoding it, and needs nothing of the item type.
pub(crate) fn fingerprint(body: &[u8]) -> Fingerprint {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    match serde_json::from_slice::<RawData<'_>>(body) {
        Ok(RawData { data: Some(data) }) => data.get().hash(&mut hasher),
        _ => body.hash(&mut hasher),
    }
    Fingerprint(hasher.finish())
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Whether the first character that is not whitespace opens a JSON object.
fn starts_an_object(body: &[u8]) -> bool {
    body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
}

/// A body where Pipedrive's envelope was expected and is not.
fn not_an_envelope(operation: &'static Operation, what: &str) -> Error {
    Error::new(
        ErrorKind::Decode,
        Some(operation),
        format!(
            "{}: {what}, where Pipedrive's envelope `{{\"success\": true, \"data\": ...}}` was expected; \
             is Config::base_url pointing at the API, and is no proxy answering in its place?",
            operation.id
        ),
    )
}

/// Deserialises, naming the JSON path of a failure; a body that is not JSON is reported with a snippet.
fn from_slice<T: DeserializeOwned>(
    body: &[u8],
    operation: &'static Operation,
    redactor: &dyn Redact,
) -> Result<T, Error> {
    // The fast path decodes with plain serde_json: tracking the path costs an allocation per
    // key and doubled decode time (BENCHMARKS.md). Only a failed decode is run again through
    // `serde_path_to_error`, to name the JSON path in the error.
    if let Ok(value) = serde_json::from_slice::<T>(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        json_error(&path, err.into_inner(), body, operation, redactor)
    })?;
    // Trailing data after the value means the body is not the JSON document we think it is.
    deserializer
        .end()
        .map_err(|err| json_error(".", err, body, operation, redactor))?;
    Ok(value)
}

/// A syntax error means the body is not JSON (report a snippet); a data error names the path.
fn json_error(
    path: &str,
    inner: serde_json::Error,
    body: &[u8],
    operation: &'static Operation,
    redactor: &dyn Redact,
) -> Error {
    if inner.is_syntax() || inner.is_eof() {
        Error::new(
            ErrorKind::Decode,
            Some(operation),
            format!(
                "{}: the response is not valid JSON ({}); is Config::base_url pointing at the API?",
                operation.id,
                without_position(&inner)
            ),
        )
        .with_body_snippet(snippet(body, redactor))
        .with_source(inner)
    } else {
        // serde_json quotes the offending value ("invalid type: string \"…\""); a server that
        // echoed the token there must not get it into the message, nor through the source.
        // The path names the server's map keys, which may be anything, the token included.
        let reason = without_position(&inner);
        let redacted = redactor.redact(&reason);
        let error = decode_error(operation, &redactor.redact(path), &redacted);
        if redacted == reason {
            error.with_source(inner)
        } else {
            error
        }
    }
}

/// The decode error, naming the operation and the JSON path that failed.
fn decode_error(operation: &'static Operation, path: &str, reason: &str) -> Error {
    let place = if path == "." || path.is_empty() {
        "at the top level".to_owned()
    } else {
        format!("at `{path}`")
    };
    Error::new(
        ErrorKind::Decode,
        Some(operation),
        format!("{}: could not decode the response {place}: {reason}", operation.id),
    )
    .with_decode_path(path.to_owned())
}

/// `serde_json`'s message without its " at line L column C" suffix: the path already says where,
/// and API bodies are usually one long line.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix).map(str::to_owned).unwrap_or(text)
}

/// A 2xx body saying `success: false`, reported like an error status.
fn unsuccessful<T, R>(envelope: &Envelope<T, R>, operation: &'static Operation, redactor: &dyn Redact) -> Error {
    let text = |value: &Option<Value>| match value {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(redactor.redact(text)),
        Some(other) => Some(redactor.redact(&other.to_string())),
    };
    let body = ApiErrorBody {
        success: Some(false),
        error: text(&envelope.error),
        error_info: text(&envelope.error_info),
        code: [&envelope.code, &envelope.error_code]
            .into_iter()
            .find_map(|code| code.as_ref().filter(|code| !code.is_null()))
            .cloned(),
    };
    let mut message = format!("{}: Pipedrive answered with success: false", operation.id);
    if let Some(error) = &body.error {
        message.push_str(&format!(": {error:?}"));
    }
    if let Some(info) = &body.error_info {
        message.push_str(&format!(" (error_info: {info})"));
    }
    Error::new(ErrorKind::Api, Some(operation), message).with_api_error(Some(body))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::operation::Method;
    use crate::redact::test_redactors::{NoSecret, Token};

    static OP: Operation = Operation {
        id: "getStages",
        api: "v2",
        method: Method::Get,
        path: "/api/v2/stages",
        token_cost: 5,
        oauth_scopes: &[],
        deprecated: false,
    };

    #[derive(Debug, Deserialize)]
    struct Stage {
        #[allow(dead_code)]
        days_to_rotten: i64,
    }

    #[test]
    fn names_the_failing_path_without_line_numbers() {
        let body = br#"{"success":true,"data":[{"days_to_rotten":1},{"days_to_rotten":2},{"days_to_rotten":"x"}]}"#;
        let err = envelope::<Vec<Stage>, Value>(body, &OP, &NoSecret).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.decode_path(), Some("data[2].days_to_rotten"));
        assert_eq!(
            err.to_string(),
            "getStages: could not decode the response at `data[2].days_to_rotten`: invalid type: string \"x\", expected i64"
        );
    }

    #[test]
    fn a_token_quoted_in_a_decode_error_is_redacted_from_message_and_source() {
        let body = br#"{"success":true,"data":[{"days_to_rotten":"SECRET-1"}]}"#;
        let err = envelope::<Vec<Stage>, Value>(body, &OP, &Token).unwrap_err();
        assert_eq!(err.decode_path(), Some("data[0].days_to_rotten"));
        assert!(err.to_string().contains("string \"[redacted]\""), "{err}");
        assert!(std::error::Error::source(&err).is_none());
        assert!(!format!("{err:?}").contains("SECRET-1"), "{err:?}");
        // Nothing to hide: the serde_json error stays available as the source.
        let err = envelope::<Vec<Stage>, Value>(br#"{"data":[{"days_to_rotten":"x"}]}"#, &OP, &Token).unwrap_err();
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn missing_data_is_null() {
        let (data, extra) = envelope::<Option<i64>, Value>(br#"{"success":true}"#, &OP, &NoSecret).unwrap();
        assert_eq!(data, None);
        assert!(extra.additional_data.is_none() && extra.related_objects.is_none());
        envelope::<(), Value>(br#"{"success":true}"#, &OP, &NoSecret).unwrap();
        let err = envelope::<Vec<i64>, Value>(br#"{"success":true}"#, &OP, &NoSecret).unwrap_err();
        assert_eq!(err.decode_path(), Some("data"));
    }

    #[test]
    fn success_false_is_an_api_error() {
        let err =
            envelope::<i64, Value>(br#"{"success":false,"error":"nope","code":"ERR_X"}"#, &OP, &NoSecret).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.api_error().unwrap().error.as_deref(), Some("nope"));
        assert_eq!(err.api_error().unwrap().code, Some(Value::from("ERR_X")));
        // v1 names the code `errorCode`; a body with both keeps `code` and still decodes.
        let err =
            envelope::<i64, Value>(br#"{"success":false,"error":"nope","errorCode":401}"#, &OP, &NoSecret).unwrap_err();
        assert_eq!(err.api_error().unwrap().code, Some(Value::from(401)));
        let both = br#"{"success":false,"code":"ERR_X","errorCode":401}"#;
        let err = envelope::<i64, Value>(both, &OP, &NoSecret).unwrap_err();
        assert_eq!(err.api_error().unwrap().code, Some(Value::from("ERR_X")));
    }

    #[test]
    fn trailing_garbage_and_non_json_are_decode_errors_with_snippets() {
        let err = whole::<Value>(b"<html>oops</html>", &OP, &NoSecret).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.body_snippet(), Some("<html>oops</html>"));
        let err = whole::<Value>(b"{} {}", &OP, &NoSecret).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
    }

    #[test]
    fn an_empty_body_or_json_without_the_envelope_is_a_decode_error() {
        for body in [
            &b""[..],
            b"  \n",
            b"{}",
            br#"{"items":[1]}"#,
            b"[1, 2]",
            br#""text""#,
            br#"{"data":null}"#,
        ] {
            let err = envelope::<Option<Vec<i64>>, Value>(body, &OP, &NoSecret).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode, "{body:?}");
            assert!(err.to_string().contains("Pipedrive's envelope"), "{err}");
        }
        let (data, _) =
            envelope::<Option<Vec<i64>>, Value>(br#"{"success":true,"data":null}"#, &OP, &NoSecret).unwrap();
        assert_eq!(data, None, "v1's empty list");
        let (data, _) = envelope::<Vec<i64>, Value>(br#"{"data":[1]}"#, &OP, &NoSecret).unwrap();
        assert_eq!(data, vec![1], "`data` alone is an envelope");
    }

    #[test]
    fn a_body_without_data_may_be_empty_or_any_json_but_not_a_failure_or_not_json() {
        no_data(b"", &OP, &NoSecret).unwrap();
        no_data(br#"{"success":true,"data":{"id":1}}"#, &OP, &NoSecret).unwrap();
        no_data(b"[]", &OP, &NoSecret).unwrap();
        let err = no_data(br#"{"success":false,"error":"gone"}"#, &OP, &NoSecret).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        let err = no_data(b"<html>proxy</html>", &OP, &NoSecret).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
    }

    #[test]
    fn fingerprints_tell_pages_by_their_items_alone() {
        let a = fingerprint(br#"{"success":true,"data":[1,2],"additional_data":{"next_cursor":"x"}}"#);
        let b = fingerprint(br#"{"success":true,"data":[1,2],"additional_data":{"next_cursor":"y"}}"#);
        let c = fingerprint(br#"{"success":true,"data":[1,3],"additional_data":{"next_cursor":"y"}}"#);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
