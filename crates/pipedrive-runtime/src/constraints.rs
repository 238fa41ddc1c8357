//! The checks a generated builder makes before sending: the rules Pipedrive's documents set on a
//! value (`minimum`, `maxLength`, `maxItems`, ...) and on a body (`minProperties`).
//!
//! Generated code passes the rules as data (`&[Constraint::MaxLength(255)]`) to one of these
//! functions rather than writing out a comparison per field, so the crate stays small to build.
//! A value that breaks a rule is an [`ErrorKind::InvalidRequest`](crate::ErrorKind) error naming
//! the operation, the input as the caller set it (the setter or argument), the rule and the value
//! measured; nothing is sent.

use crate::{Error, Operation};

/// One rule on a value. Bounds are inclusive; lengths count characters (Unicode scalar values),
/// as JSON Schema does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// What a rule measures of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// An integer's value.
    Integer(i64),
    /// A text's length in characters.
    Characters(u64),
    /// A list's length.
    Items(u64),
}

/// A value [`check`] can measure. `None`: the value is not set (or is `null`), so no rule applies.
pub trait Checked {
    /// What the rules compare: the value, or its length.
    fn measure(&self) -> Option<Measure>;
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Checked for i64 {
    fn measure(&self) -> Option<Measure> {
        Some(Measure::Integer(*self))
    }
}

impl Checked for i32 {
    fn measure(&self) -> Option<Measure> {
        Some(Measure::Integer(i64::from(*self)))
    }
}

impl Checked for str {
    fn measure(&self) -> Option<Measure> {
        Some(Measure::Characters(count(self.chars().count())))
    }
}

impl Checked for String {
    fn measure(&self) -> Option<Measure> {
        self.as_str().measure()
    }
}

impl<T> Checked for [T] {
    fn measure(&self) -> Option<Measure> {
        Some(Measure::Items(count(self.len())))
    }
}

impl<T> Checked for Vec<T> {
    fn measure(&self) -> Option<Measure> {
        self.as_slice().measure()
    }
}

impl<T: Checked + ?Sized> Checked for &T {
    fn measure(&self) -> Option<Measure> {
        (**self).measure()
    }
}

/// An optional field (`Option<T>`) and a nullable one (`Option<Option<T>>`): checked when set to
/// a value.
impl<T: Checked> Checked for Option<T> {
    fn measure(&self) -> Option<Measure> {
        self.as_ref().and_then(Checked::measure)
    }
}

/// What is wrong with `measure` under `rule`, if anything: `must be at most 500, got 600`.
fn violation(rule: Constraint, measure: Measure) -> Option<String> {
    let plural = |n: u64, one: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match (rule, measure) {
        (Constraint::Minimum(min), Measure::Integer(v)) if v < min => Some(format!("must be at least {min}, got {v}")),
        (Constraint::Maximum(max), Measure::Integer(v)) if v > max => Some(format!("must be at most {max}, got {v}")),
        (Constraint::MinLength(min), Measure::Characters(n)) if n < min => {
            Some(format!("must have at least {}, got {n}", plural(min, "character")))
        }
        (Constraint::MaxLength(max), Measure::Characters(n)) if n > max => {
            Some(format!("must have at most {}, got {n}", plural(max, "character")))
        }
        (Constraint::MinItems(min), Measure::Items(n)) if n < min => {
            Some(format!("must have at least {}, got {n}", plural(min, "item")))
        }
        (Constraint::MaxItems(max), Measure::Items(n)) if n > max => {
            Some(format!("must have at most {}, got {n}", plural(max, "item")))
        }
        _ => None,
    }
}

fn first_violation<V: Checked + ?Sized>(rules: &[Constraint], value: &V) -> Option<String> {
    let measure = value.measure()?;
    rules.iter().find_map(|rule| violation(*rule, measure))
}

/// Checks `value`, the input named `input` (its setter or argument: `field_name`), against
/// `rules`: an [`ErrorKind::InvalidRequest`](crate::ErrorKind) error at the first one it breaks,
/// e.g. "updateDealField: invalid request: `field_name` must have at least 1 character, got 0".
pub fn check<V: Checked + ?Sized>(
    operation: &'static Operation,
    input: &str,
    rules: &[Constraint],
    value: &V,
) -> Result<(), Error> {
    match first_violation(rules, value) {
        Some(problem) => Err(Error::invalid_request(operation, format!("`{input}` {problem}"))),
        None => Ok(()),
    }
}

/// Checks field `field` of every item of the list `input` (a whole body that is a list of
/// objects): the error names the item, `options[2].label`.
pub fn check_each<'a, V: Checked + 'a>(
    operation: &'static Operation,
    input: &str,
    field: &str,
    rules: &[Constraint],
    values: impl IntoIterator<Item = &'a V>,
) -> Result<(), Error> {
    for (i, value) in values.into_iter().enumerate() {
        if let Some(problem) = first_violation(rules, value) {
            return Err(Error::invalid_request(
                operation,
                format!("`{input}[{i}].{field}` {problem}"),
            ));
        }
    }
    Ok(())
}

/// Checks that `body` sets at least `at_least` fields (`minProperties`: a PATCH that must change
/// something), counting what it would send; `setters` are the builder's setters for them, named
/// in the error.
pub fn check_fields_set<B: serde::Serialize>(
    operation: &'static Operation,
    body: &B,
    at_least: u64,
    setters: &[&str],
) -> Result<(), Error> {
    let set = match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(fields)) => count(fields.len()),
        // Not an object: no fields to count (lowering records the rule on struct bodies only).
        Ok(_) => return Ok(()),
        Err(err) => {
            return Err(Error::invalid_request(operation, "the request body could not be encoded").with_source(err));
        }
    };
    if set >= at_least {
        return Ok(());
    }
    let names: Vec<String> = setters.iter().map(|s| format!("`{s}`")).collect();
    let fields = if at_least == 1 { "field" } else { "fields" };
    Err(Error::invalid_request(
        operation,
        format!(
            "the request body must set at least {at_least} {fields} (with {}), got {set}",
            names.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Method;

    static OPERATION: Operation = Operation {
        id: "updateDealField",
        api: "v2",
        method: Method::Patch,
        path: "/api/v2/dealFields/{field_code}",
        token_cost: 5,
        oauth_scopes: &[],
        deprecated: false,
    };

    fn message<T>(result: Result<T, Error>) -> String {
        result.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_value_inside_every_rule_passes_and_one_outside_names_input_rule_and_value() {
        let name = [Constraint::MinLength(1), Constraint::MaxLength(3)];
        assert!(check(&OPERATION, "field_name", &name, "abc").is_ok());
        assert_eq!(
            message(check(&OPERATION, "field_name", &name, "")),
            "updateDealField: invalid request: `field_name` must have at least 1 character, got 0"
        );
        // Characters, not bytes: three letters of four bytes' worth pass a limit of 3.
        assert!(check(&OPERATION, "field_name", &name, "äöü").is_ok());
        assert_eq!(
            message(check(&OPERATION, "field_name", &name, "abcd")),
            "updateDealField: invalid request: `field_name` must have at most 3 characters, got 4"
        );
        let range = [Constraint::Minimum(1), Constraint::Maximum(500)];
        assert!(check(&OPERATION, "limit", &range, &500_i64).is_ok());
        assert_eq!(
            message(check(&OPERATION, "limit", &range, &501_i64)),
            "updateDealField: invalid request: `limit` must be at most 500, got 501"
        );
        assert!(
            message(check(&OPERATION, "order_nr", &range, &0_i32)).ends_with("`order_nr` must be at least 1, got 0")
        );
        let items = [Constraint::MinItems(1), Constraint::MaxItems(2)];
        assert!(message(check(&OPERATION, "ids", &items, &Vec::<i64>::new())).ends_with("at least 1 item, got 0"));
        assert!(message(check(&OPERATION, "ids", &items, &vec![1, 2, 3])).ends_with("at most 2 items, got 3"));
        let error = check(&OPERATION, "limit", &range, &0_i64).err();
        assert_eq!(error.map(|e| e.kind()), Some(crate::ErrorKind::InvalidRequest));
    }

    #[test]
    fn unset_and_null_values_are_not_checked() {
        let name = [Constraint::MinLength(1)];
        assert!(check(&OPERATION, "title", &name, &None::<String>).is_ok());
        assert!(check(&OPERATION, "title", &name, &Some(None::<String>)).is_ok());
        assert!(check(&OPERATION, "title", &name, &Some(Some(String::new()))).is_err());
    }

    #[test]
    fn each_item_of_a_list_is_checked_and_the_error_names_it() {
        let labels = ["a".to_owned(), String::new()];
        assert_eq!(
            message(check_each(
                &OPERATION,
                "body",
                "label",
                &[Constraint::MinLength(1)],
                &labels
            )),
            "updateDealField: invalid request: `body[1].label` must have at least 1 character, got 0"
        );
        assert!(check_each(&OPERATION, "body", "label", &[Constraint::MinLength(1)], &labels[..1]).is_ok());
    }

    #[test]
    fn a_body_that_sets_too_few_fields_is_refused() {
        #[derive(serde::Serialize)]
        struct Patch {
            #[serde(skip_serializing_if = "Option::is_none")]
            field_name: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ui_visibility: Option<Option<bool>>,
        }
        let empty = Patch {
            field_name: None,
            ui_visibility: None,
        };
        assert_eq!(
            message(check_fields_set(
                &OPERATION,
                &empty,
                1,
                &["field_name", "ui_visibility"]
            )),
            "updateDealField: invalid request: the request body must set at least 1 field (with `field_name`, `ui_visibility`), got 0"
        );
        // A field set to `null` is sent, so it counts.
        let null = Patch {
            field_name: None,
            ui_visibility: Some(None),
        };
        assert!(check_fields_set(&OPERATION, &null, 1, &[]).is_ok());
    }
}
