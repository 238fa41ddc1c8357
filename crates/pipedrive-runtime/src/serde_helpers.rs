//! serde helpers for shapes Pipedrive's documents use that serde's derive cannot express.
//!
//! v1 encodes booleans as `type: number, enum: [0, 1]`; the generated code types them as `bool`
//! and these modules send `0`/`1`. Reading is lenient, because the live API answers with `true`
//! and `false` in some of those places: numbers, booleans and `"0"`/`"1"` strings are all accepted.
//! [`integer`] reads integer enums that a server may send as `3` or `3.0`.
//!
//! The generated types write their `Serialize` and `Deserialize` out rather than derive them
//! (the derive is most of their compile time); [`FieldName`] and [`ZeroOne`] are what that code
//! reads property names and 0/1 booleans with, and [`serialize_object`] what a struct's
//! `Serialize` hands its fields to.

use serde::de::{self, Deserializer, Unexpected};
use serde::{Deserialize, Serializer};

/// A property name, or a string enum's text, as read: borrowed from the input where it can be
/// (serde_json borrows a string without escapes), so matching it against the known names does
/// not allocate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldName<'de>(std::borrow::Cow<'de, str>);

impl<'de> FieldName<'de> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned: the key under which an unlisted property is kept.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    /// Reads a string from `deserializer`, as a string enum's `Deserialize` does.
    ///
    /// # Errors
    /// When the value is not a string.
    pub fn deserialize_text<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::deserialize(deserializer)
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl<'de> de::Visitor<'de> for Text {
            type Value = FieldName<'de>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Borrowed(text)))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Owned(text.to_owned())))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(Text)
    }
}

/// v1's boolean sent as `0`/`1`: written as `1` or `0`, read from `0`/`1`, `true`/`false` or
/// `"0"`/`"1"` (the live API answers with booleans in some of those places).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZeroOne(pub bool);

impl serde::Serialize for ZeroOne {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(self.0))
    }
}

impl<'de> Deserialize<'de> for ZeroOne {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        bool_from_json(serde_json::Value::deserialize(deserializer)?).map(ZeroOne)
    }
}

/// Reads a `bool` from `0`/`1`, `true`/`false` or `"0"`/`"1"`.
fn bool_from_json<E: de::Error>(value: serde_json::Value) -> Result<bool, E> {
    use serde_json::Value;
    match &value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_f64() == Some(0.0) => Ok(false),
        Value::Number(n) if n.as_f64() == Some(1.0) => Ok(true),
        Value::String(s) if s == "0" || s == "false" => Ok(false),
        Value::String(s) if s == "1" || s == "true" => Ok(true),
        Value::Number(n) => Err(E::invalid_value(
            Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            &"0 or 1",
        )),
        Value::String(s) => Err(E::invalid_value(Unexpected::Str(s), &"0 or 1")),
        _ => Err(E::invalid_type(
            Unexpected::Other("a non-boolean JSON value"),
            &"0 or 1",
        )),
    }
}

/// `bool` sent as `0`/`1`.
pub mod bool_as_number {
    use super::*;

    /// Writes `true` as `1` and `false` as `0`.
    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*value))
    }

    /// Reads `0`/`1`, `true`/`false` or `"0"`/`"1"`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        bool_from_json(serde_json::Value::deserialize(deserializer)?)
    }
}

/// `Option<bool>` sent as `0`/`1`; `null` and a missing field are `None`.
pub mod option_bool_as_number {
    use super::*;

    /// Writes `Some(true)` as `1`, `Some(false)` as `0`, `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(b) => serializer.serialize_u8(u8::from(*b)),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `null`, `0`/`1`, `true`/`false` or `"0"`/`"1"`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Null => Ok(None),
            other => bool_from_json(other).map(Some),
        }
    }
}

/// An optional, nullable `bool` sent as `0`/`1` (PATCH bodies): `None` is left out (with
/// `skip_serializing_if = "Option::is_none"`), `Some(None)` is sent as `null`, `Some(Some(b))` as
/// `0`/`1`.
pub mod nullable_bool_as_number {
    use super::*;

    /// Writes `Some(Some(true))` as `1`, `Some(Some(false))` as `0`, anything else as `null`.
    pub fn serialize<S: Serializer>(value: &Option<Option<bool>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(Some(b)) => serializer.serialize_u8(u8::from(*b)),
            Some(None) | None => serializer.serialize_none(),
        }
    }

    /// Reads `null` as `Some(None)` and `0`/`1`, `true`/`false` or `"0"`/`"1"` as
    /// `Some(Some(_))`; a missing field is `None` (with `#[serde(default)]`).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<bool>>, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Null => Ok(Some(None)),
            other => bool_from_json(other).map(|b| Some(Some(b))),
        }
    }
}

/// Reads an integer written as `3`, `3.0` or `"3"`; used by generated integer enums.
///
/// # Errors
/// When the value is not a whole number.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    use serde_json::Value;
    let value = Value::deserialize(deserializer)?;
    let whole = match &value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    whole.ok_or_else(|| de::Error::invalid_value(Unexpected::Other(&value.to_string()), &"a whole number"))
}

/// One property of a generated struct as [`serialize_object`] sends it: its name, and its value
/// type-erased, or `None` to leave it out (an unset optional field).
pub type Property<'a> = (&'a str, Option<&'a dyn erased_serde::Serialize>);

/// A generated struct's `Serialize`: a JSON object of `properties` in order (those without a
/// value left out), then the entries of `extra`, the properties the document does not list.
///
/// The struct lists its fields, type-erased, rather than writing a `serialize_entry` per field:
/// generic code per field in every struct was a sixth of what a tag cost to compile, and
/// serializing a request body or a test's model does not need the speed of static dispatch.
///
/// # Errors
/// Whatever the serializer or a value's `Serialize` reports.
pub fn serialize_object<S: Serializer, V: serde::Serialize>(
    serializer: S,
    properties: &[Property<'_>],
    extra: Option<&std::collections::BTreeMap<String, V>>,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap as _;
    let mut map = serializer.serialize_map(None)?;
    for (name, value) in properties {
        if let Some(value) = value {
            map.serialize_entry(name, value)?;
        }
    }
    for (name, value) in extra.into_iter().flatten() {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// The `extra` of a struct without a map of further properties.
pub const NO_EXTRA: Option<&std::collections::BTreeMap<String, ()>> = None;

/// An optional field as a [`Property`] value: `None` (left out) when unset.
pub fn present<T: serde::Serialize>(value: &Option<T>) -> Option<&dyn erased_serde::Serialize> {
    value.as_ref().map(|value| value as &dyn erased_serde::Serialize)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Flags {
        #[serde(with = "super::bool_as_number")]
        everyone: bool,
        #[serde(default, with = "super::option_bool_as_number")]
        maybe: Option<bool>,
    }

    #[test]
    fn booleans_travel_as_zero_and_one() {
        let json = serde_json::to_string(&Flags {
            everyone: true,
            maybe: Some(false),
        })
        .unwrap();
        assert_eq!(json, r#"{"everyone":1,"maybe":0}"#);
        let none = serde_json::to_string(&Flags {
            everyone: false,
            maybe: None,
        })
        .unwrap();
        assert_eq!(none, r#"{"everyone":0,"maybe":null}"#);
    }

    #[test]
    fn reading_accepts_what_the_live_api_sends() {
        let read = |s: &str| serde_json::from_str::<Flags>(s);
        assert_eq!(
            read(r#"{"everyone":1}"#).unwrap(),
            Flags {
                everyone: true,
                maybe: None
            }
        );
        assert_eq!(
            read(r#"{"everyone":false,"maybe":true}"#).unwrap(),
            Flags {
                everyone: false,
                maybe: Some(true)
            }
        );
        assert_eq!(
            read(r#"{"everyone":"1","maybe":null}"#).unwrap(),
            Flags {
                everyone: true,
                maybe: None
            }
        );
        assert!(read(r#"{"everyone":2}"#).is_err());
        assert!(read(r#"{"everyone":[]}"#).is_err());
    }

    /// A PATCH body's optional, nullable 0/1 flag: left unchanged, cleared, or set.
    #[test]
    fn a_nullable_flag_is_left_out_sent_as_null_or_as_zero_and_one() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Patch {
            #[serde(
                default,
                with = "super::nullable_bool_as_number",
                skip_serializing_if = "Option::is_none"
            )]
            active: Option<Option<bool>>,
        }
        let json = |active| serde_json::to_string(&Patch { active }).unwrap();
        assert_eq!(json(None), "{}");
        assert_eq!(json(Some(None)), r#"{"active":null}"#);
        assert_eq!(json(Some(Some(true))), r#"{"active":1}"#);
        assert_eq!(json(Some(Some(false))), r#"{"active":0}"#);
        let read = |s: &str| serde_json::from_str::<Patch>(s).unwrap().active;
        assert_eq!(read("{}"), None);
        assert_eq!(read(r#"{"active":null}"#), Some(None));
        assert_eq!(read(r#"{"active":"1"}"#), Some(Some(true)));
    }

    #[test]
    fn field_names_borrow_from_the_input_where_they_can() {
        let plain: super::FieldName<'_> = serde_json::from_str(r#""name""#).unwrap();
        assert!(matches!(plain.0, std::borrow::Cow::Borrowed("name")));
        let escaped: super::FieldName<'_> = serde_json::from_str(r#""na\u006de""#).unwrap();
        assert_eq!(escaped.as_str(), "name");
        assert!(serde_json::from_str::<super::FieldName<'_>>("3").is_err());
    }

    #[test]
    fn zero_one_writes_numbers_and_reads_leniently() {
        assert_eq!(serde_json::to_string(&super::ZeroOne(true)).unwrap(), "1");
        assert_eq!(serde_json::to_string(&Some(super::ZeroOne(false))).unwrap(), "0");
        for (text, flag) in [("1", true), ("0", false), ("true", true), ("\"0\"", false)] {
            assert_eq!(serde_json::from_str::<super::ZeroOne>(text).unwrap().0, flag, "{text}");
        }
        assert_eq!(serde_json::from_str::<Option<super::ZeroOne>>("null").unwrap(), None);
        assert!(serde_json::from_str::<super::ZeroOne>("2").is_err());
    }

    #[test]
    fn integers_may_arrive_as_floats_or_strings() {
        #[derive(Deserialize)]
        struct V(#[serde(deserialize_with = "super::integer")] i64);
        assert_eq!(serde_json::from_str::<V>("3").unwrap().0, 3);
        assert_eq!(serde_json::from_str::<V>("3.0").unwrap().0, 3);
        assert_eq!(serde_json::from_str::<V>("\"7\"").unwrap().0, 7);
        assert!(serde_json::from_str::<V>("3.5").is_err());
    }

    /// A struct's fields in order, unset ones left out, `null` where a value is `None`, then
    /// the further properties.
    #[test]
    fn an_object_is_its_set_properties_in_order_then_the_extra_ones() {
        let (name, unset, cleared) = ("Won".to_owned(), None::<i64>, None::<i64>);
        let extra = std::collections::BTreeMap::from([("custom".to_owned(), 7)]);
        let properties: [super::Property<'_>; 3] = [
            ("name", Some(&name)),
            ("order_nr", super::present(&unset)),
            ("rotten", Some(&cleared)),
        ];
        let text = |extra| {
            let mut out = Vec::new();
            super::serialize_object(&mut serde_json::Serializer::new(&mut out), &properties, extra).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(text(Some(&extra)), r#"{"name":"Won","rotten":null,"custom":7}"#);
        let without = super::serialize_object(serde_json::value::Serializer, &properties, super::NO_EXTRA).unwrap();
        assert_eq!(without, serde_json::json!({"name": "Won", "rotten": null}));
    }
}
