//! Places in an OpenAPI document that loading, checking and lowering all name: the HTTP methods a
//! path item can hold, the operation a JSON pointer points into, and where a local `$ref` points.
//!
//! A leaf: `load` and `validate` both use it, and it uses neither, so neither of them depends on
//! the other for these names.

use serde_yaml::Value;

/// HTTP methods a path item can hold, in the order operations are visited.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The operationId of the operation that contains `pointer`, if it points into one.
pub fn operation_id_at(raw: &Value, pointer: &str) -> Option<String> {
    let mut tokens = pointer.split('/').skip(1);
    if tokens.next()? != "paths" {
        return None;
    }
    let path = unescape_pointer_token(tokens.next()?);
    let method = tokens.next()?;
    raw.get("paths")?
        .get(path.as_str())?
        .get(method)?
        .get("operationId")?
        .as_str()
        .map(str::to_owned)
}

/// Undoes [`crate::error::escape_pointer_token`] (RFC 6901: `~1` → `/`, then `~0` → `~`).
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The reference tokens of a local `$ref` (`#/components/schemas/a~1b` → `components`,
/// `schemas`, `a/b`); `None` for a reference outside the document or one that is no pointer.
///
/// A `$ref` is a URI, so its fragment is percent-decoded first (RFC 3986: `My%20Item` is
/// `My Item`), then split and unescaped as a JSON pointer (RFC 6901: `~1` is `/`, `~0` is `~`),
/// in that order, as RFC 6901 section 6 says.
pub fn reference_tokens(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8().ok()?;
    if decoded.is_empty() {
        return Some(Vec::new());
    }
    Some(
        decoded
            .strip_prefix('/')?
            .split('/')
            .map(unescape_pointer_token)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operation_around_a_pointer_is_found_through_escaped_paths() {
        let raw: Value = serde_yaml::from_str("paths:\n  /a/{id}:\n    get: {operationId: getA, parameters: []}\n")
            .unwrap_or(Value::Null);
        assert_eq!(
            operation_id_at(&raw, "/paths/~1a~1{id}/get/parameters/0").as_deref(),
            Some("getA")
        );
        assert_eq!(operation_id_at(&raw, "/paths/~1a~1{id}/post"), None);
        assert_eq!(operation_id_at(&raw, "/components/schemas/A"), None);
        assert_eq!(unescape_pointer_token("a~1b~0c~01"), "a/b~c~1");
    }

    #[test]
    fn references_are_percent_decoded_then_unescaped() {
        let tokens = |r: &str| reference_tokens(r);
        let owned = |t: &[&str]| Some(t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            tokens("#/components/schemas/a~1b"),
            owned(&["components", "schemas", "a/b"])
        );
        assert_eq!(
            tokens("#/components/schemas/My%20Item"),
            owned(&["components", "schemas", "My Item"])
        );
        // `%7E1` decodes to `~1`, which is then an escaped `/` (decoding comes first).
        assert_eq!(
            tokens("#/components/schemas/a%7E1b"),
            owned(&["components", "schemas", "a/b"])
        );
        assert_eq!(tokens("#"), owned(&[]));
        assert_eq!(tokens("other.yaml#/a"), None);
        assert_eq!(tokens("#a"), None);
        assert_eq!(tokens("#/%FF"), None);
    }
}
