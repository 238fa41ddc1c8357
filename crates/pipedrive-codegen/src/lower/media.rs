//! Which of a body's media types the generator uses, and what the call does with it. JSON wins
//! whenever it is offered (exactly `application/json`, then with parameters, then another
//! `+json` type such as `application/merge-patch+json`); after it a request body takes a form,
//! multipart, text (`text/*`), then bytes (`application/octet-stream`, `*/*`), and an answer
//! text, then bytes. Chosen by rank and then by sorted key, never by the order of the
//! document's keys, so the same document always gives the same client.

use indexmap::IndexMap;
use openapiv3::MediaType;

use crate::ir::BodyEncoding;

/// A media type without its parameters, lowercased (media types are case-insensitive):
/// `application/json` for `Application/JSON; charset=utf-8`.
pub(super) fn essence(key: &str) -> String {
    key.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type (its [`essence`]) is JSON, which the call encodes and decodes as such.
pub(super) fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a media type (its [`essence`]) is text: sent from and answered as a `String`.
pub(super) fn is_text(essence: &str) -> bool {
    essence.starts_with("text/")
}

/// Whether a request body of this media type (its [`essence`]) is sent as raw bytes.
fn is_bytes(essence: &str) -> bool {
    essence == "application/octet-stream" || essence == "*/*"
}

/// What the request bodies the generator supports may be, for an error about one that is none.
pub(super) const SUPPORTED_REQUEST_TYPES: &str = "`application/json` or another JSON type (`application/*+json`), `application/x-www-form-urlencoded`, `multipart/form-data`, a text type (`text/*`), `application/octet-stream` or `*/*`";

/// Whether a media type (its [`essence`]) is one a kind of body takes.
type Accepts = fn(&str) -> bool;

/// The request body's media type and how it is sent, by the preference above; `None` when the
/// body offers none the generator supports.
pub(super) fn request_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType, BodyEncoding)> {
    let choices: [(Accepts, BodyEncoding); 5] = [
        (is_json, BodyEncoding::Json),
        (|e| e == "application/x-www-form-urlencoded", BodyEncoding::Form),
        (|e| e == "multipart/form-data", BodyEncoding::Multipart),
        (is_text, BodyEncoding::Text),
        (is_bytes, BodyEncoding::Bytes),
    ];
    choices.iter().find_map(|(accepts, encoding)| {
        preferred_media_type(content, accepts).map(|(key, media)| (key, media, *encoding))
    })
}

/// The `Content-Type` to send for the document's `key`, chosen as `encoding`: `None` where it
/// is the encoding's usual type ([`BodyEncoding::media_type`]). JSON's parameters are dropped,
/// as before (RFC 8259 defines none); a wildcard (`text/*`, `*/*`) is sent as the usual type.
///
/// # Errors
/// What is wrong with `key` as a `Content-Type`, and what would be accepted: characters a header
/// cannot carry, or a text type in a charset other than UTF-8, which Rust's strings are.
pub(super) fn sent_media_type(key: &str, encoding: BodyEncoding) -> Result<Option<String>, (String, String)> {
    let key = key.trim();
    let essence = essence(key);
    let usual = match encoding {
        BodyEncoding::Json => essence == "application/json",
        BodyEncoding::Form | BodyEncoding::Multipart => true,
        BodyEncoding::Text => essence == "text/*" || key == BodyEncoding::Text.media_type(),
        BodyEncoding::Bytes => essence == "*/*" || key == BodyEncoding::Bytes.media_type(),
    };
    if usual {
        return Ok(None);
    }
    if !key.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
        return Err((
            format!("the media type {key:?} cannot be sent as a `Content-Type` header"),
            "visible ASCII characters only".to_owned(),
        ));
    }
    if encoding == BodyEncoding::Text {
        if let Some(charset) = charset(key).filter(|c| !c.eq_ignore_ascii_case("utf-8")) {
            return Err((
                format!("a text body in charset `{charset}`"),
                "no charset or `charset=utf-8`: the client sends Rust strings, which are UTF-8".to_owned(),
            ));
        }
    }
    Ok(Some(key.to_owned()))
}

/// The `charset` parameter of a media type, without quotes.
fn charset(key: &str) -> Option<&str> {
    key.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// The media type to use among those `accepts` (called with the [`essence`]), chosen without
/// regard to the order of the document's keys: exactly `application/json` first, then
/// `application/json` with parameters, then any other accepted type
/// (`application/problem+json`), each in sorted order.
pub(super) fn preferred_media_type(
    content: &IndexMap<String, MediaType>,
    accepts: impl Fn(&str) -> bool,
) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .filter(|(key, _)| accepts(&essence(key)))
        .min_by_key(|(key, _)| {
            (
                key.as_str() != "application/json",
                essence(key) != "application/json",
                key.as_str(),
            )
        })
}
