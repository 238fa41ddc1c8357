//! The rules the documents set on a value a request sends (`minimum`, `maxLength`, `minItems`,
//! `minProperties`, ...), as plain data. Lowering reads them, emit hands them to the runtime's one
//! check before sending, and `changes` compares them between generations.
//!
//! Each is serialized on one line (`max_length 255`), so the IR diff reads like the rule.

use serde::{Deserialize, Deserializer, Serialize};

/// One rule on a parameter, a body field or a whole body.
///
/// Integer bounds are inclusive: an exclusive bound of the document is read as the next integer
/// inside it (`exclusiveMaximum: true, maximum: 10` is `Maximum(9)`). Lengths count characters
/// (Unicode scalar values), as JSON Schema counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Constraint {
    /// Smallest integer accepted.
    Minimum(i64),
    /// Largest integer accepted.
    Maximum(i64),
    /// Fewest characters of a text.
    MinLength(u64),
    /// Most characters of a text.
    MaxLength(u64),
    /// Fewest items of a list.
    MinItems(u64),
    /// Most items of a list.
    MaxItems(u64),
    /// Fewest fields a body object sets (`minProperties`): PATCH bodies that must change something.
    MinProperties(u64),
}

impl Constraint {
    /// The rule in words, for docs and the changelog: `at most 255 characters`.
    pub fn describe(self) -> String {
        let plural = |n: u64, one: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        match self {
            Constraint::Minimum(n) => format!("at least {n}"),
            Constraint::Maximum(n) => format!("at most {n}"),
            Constraint::MinLength(n) => format!("at least {}", plural(n, "character")),
            Constraint::MaxLength(n) => format!("at most {}", plural(n, "character")),
            Constraint::MinItems(n) => format!("at least {}", plural(n, "item")),
            Constraint::MaxItems(n) => format!("at most {}", plural(n, "item")),
            Constraint::MinProperties(n) => format!("at least {} set", plural(n, "field")),
        }
    }
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Constraint::Minimum(n) => write!(f, "minimum {n}"),
            Constraint::Maximum(n) => write!(f, "maximum {n}"),
            Constraint::MinLength(n) => write!(f, "min_length {n}"),
            Constraint::MaxLength(n) => write!(f, "max_length {n}"),
            Constraint::MinItems(n) => write!(f, "min_items {n}"),
            Constraint::MaxItems(n) => write!(f, "max_items {n}"),
            Constraint::MinProperties(n) => write!(f, "min_properties {n}"),
        }
    }
}

impl From<Constraint> for String {
    fn from(constraint: Constraint) -> String {
        constraint.to_string()
    }
}

impl TryFrom<String> for Constraint {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let expected = "expected `minimum N`, `maximum N`, `min_length N`, `max_length N`, `min_items N`, \
                        `max_items N` or `min_properties N`";
        let Some((keyword, bound)) = s.split_once(' ') else {
            return Err(format!("`{s}` is not a constraint: {expected}"));
        };
        let signed = || bound.parse::<i64>().map_err(|e| format!("`{s}`: {e}"));
        let count = || bound.parse::<u64>().map_err(|e| format!("`{s}`: {e}"));
        Ok(match keyword {
            "minimum" => Constraint::Minimum(signed()?),
            "maximum" => Constraint::Maximum(signed()?),
            "min_length" => Constraint::MinLength(count()?),
            "max_length" => Constraint::MaxLength(count()?),
            "min_items" => Constraint::MinItems(count()?),
            "max_items" => Constraint::MaxItems(count()?),
            "min_properties" => Constraint::MinProperties(count()?),
            _ => return Err(format!("`{s}` is not a constraint: {expected}")),
        })
    }
}

/// A parameter's constraints as `api.json` stores them: a list, or, in one written before
/// constraints were, the parameter's `maximum` alone (read as `[maximum N]`, so that the first
/// comparison after the change does not report every `limit` as newly checked).
pub(crate) fn constraints_or_maximum<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Constraint>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        List(Vec<Constraint>),
        Maximum(i64),
    }
    Ok(match Stored::deserialize(deserializer)? {
        Stored::List(list) => list,
        Stored::Maximum(maximum) => vec![Constraint::Maximum(maximum)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_round_trip_through_their_one_line_form() {
        for c in [
            Constraint::Minimum(-3),
            Constraint::Maximum(500),
            Constraint::MinLength(1),
            Constraint::MaxLength(255),
            Constraint::MinItems(1),
            Constraint::MaxItems(10),
            Constraint::MinProperties(1),
        ] {
            assert_eq!(Constraint::try_from(c.to_string()), Ok(c));
        }
        assert_eq!(Constraint::MaxLength(255).to_string(), "max_length 255");
        assert!(Constraint::try_from("min_length -1".to_owned()).is_err());
        assert!(Constraint::try_from("pattern x".to_owned()).is_err());
        assert!(Constraint::try_from("maximum".to_owned()).is_err());
    }

    #[test]
    fn rules_read_in_words() {
        assert_eq!(Constraint::MinLength(1).describe(), "at least 1 character");
        assert_eq!(Constraint::MaxItems(10).describe(), "at most 10 items");
        assert_eq!(Constraint::MinProperties(1).describe(), "at least 1 field set");
    }
}
