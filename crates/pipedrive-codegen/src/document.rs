//! Places in an OpenAPI document that loading and checking both name: the HTTP methods a path
//! item can hold, and the operation a JSON pointer points into.
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
}
