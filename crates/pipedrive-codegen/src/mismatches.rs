//! The reviewed table of documented examples that contradict their own schema
//! (`spec/example-mismatches.yaml`, named by the config's `example_mismatches`).
//!
//! The generated crate's test decodes every documented success example into its operation's type
//! (`emit::examples`). Where an example fails because the document's example and schema disagree,
//! a person checks the schema, lists the failure here with the reason, and the test accepts that
//! one failure (and fails once it no longer happens). The types are never loosened to fit an
//! example: they follow the schema, which is what the server is documented to send.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::config::TagSelection;
use crate::error::{Diagnostic, Error};
use crate::ir::Api;

/// One known mismatch: the failure the test expects, and why it is the document's fault.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleMismatch {
    /// The API version of the operation, as the config names it (`v1`).
    pub api: String,
    /// Its operationId (`getDeals`).
    pub operation: String,
    /// The success status the example is documented for.
    pub status: u16,
    /// Where in the body decoding fails, as the decode error names it (`data[0].id`, or `.` for
    /// the body itself).
    pub path: String,
    /// Why the example, not the schema, is wrong: what the schema says and what the example has.
    pub reason: String,
}

/// Parses and checks the table. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Vec<ExampleMismatch>, Diagnostic> {
    let de = serde_yaml::Deserializer::from_str(text);
    let entries: Option<Vec<ExampleMismatch>> = serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = crate::load::path_to_pointer(e.path());
        Diagnostic::new(file, pointer, e.inner().to_string())
            .expected("a list of `{api: v1, operation: <operationId>, status: 200, path: <JSON path>, reason: <why>}`")
    })?;
    let entries = entries.unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        let problem = if !(200..300).contains(&entry.status) {
            Some((
                "status",
                format!("status {} is not a success status", entry.status),
                "200 to 299",
            ))
        } else if entry.path.trim().is_empty() {
            Some((
                "path",
                "the path is empty".to_owned(),
                "the JSON path the test reports, or `.`",
            ))
        } else if entry.reason.trim().is_empty() {
            Some((
                "reason",
                "the reason is empty".to_owned(),
                "what the schema says and what the example has instead",
            ))
        } else if !seen.insert((&entry.api, &entry.operation, entry.status, &entry.path)) {
            Some((
                "path",
                "the same failure is listed twice".to_owned(),
                "each failure once",
            ))
        } else {
            None
        };
        if let Some((field, found, expected)) = problem {
            return Err(Diagnostic::new(file, format!("/{i}/{field}"), found).expected(expected));
        }
    }
    Ok(entries)
}

/// The entries about operations of `api`, each checked against what its operation documents: a
/// status with no documented example is an error. An entry naming an operation `api` does not
/// have is an error when every tag is generated (a typo, or an operation Pipedrive removed), and
/// is left out when only some tags are.
pub fn select<'m>(
    entries: &'m [ExampleMismatch],
    file: &str,
    api: &Api,
    tags: &TagSelection,
) -> Result<Vec<&'m ExampleMismatch>, Error> {
    let mut selected = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let operation = api
            .operations
            .iter()
            .find(|op| op.api == entry.api && op.id == entry.operation);
        match operation {
            Some(op) if op.response.examples.iter().any(|e| e.status == entry.status) => selected.push(entry),
            Some(op) => problems.push(
                Diagnostic::new(
                    file,
                    format!("/{i}/status"),
                    format!("{} {} documents no example for status {}", entry.api, op.id, entry.status),
                )
                .expected("a status the operation gives a success example for"),
            ),
            None if *tags == TagSelection::All => problems.push(
                Diagnostic::new(
                    file,
                    format!("/{i}/operation"),
                    format!("the generated crate has no operation {} {}", entry.api, entry.operation),
                )
                .expected("an API version and an operationId of a generated operation; remove the entry if Pipedrive removed it"),
            ),
            None => {}
        }
    }
    if problems.is_empty() {
        Ok(selected)
    } else {
        Err(Error::Input(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_an_empty_file() {
        let entries = parse(
            "m.yaml",
            "- {api: v1, operation: getDeals, status: 200, path: 'data[0].id', reason: the schema says integer}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entries.len(), 1);
        assert_eq!(entries.first().map(|e| e.path.as_str()), Some("data[0].id"));
        assert_eq!(parse("m.yaml", "# none yet\n").map(|e| e.len()), Ok(0));
    }

    #[test]
    fn refuses_entries_a_reviewer_could_not_check() {
        let entry = |status: &str, path: &str, reason: &str| {
            format!("- {{api: v1, operation: getDeals, status: {status}, path: '{path}', reason: '{reason}'}}\n")
        };
        for (text, found) in [
            (
                entry("404", "data", "r"),
                "m.yaml: at /0/status: status 404 is not a success status",
            ),
            (entry("200", " ", "r"), "m.yaml: at /0/path: the path is empty"),
            (entry("200", "data", ""), "m.yaml: at /0/reason: the reason is empty"),
            (
                entry("200", "data", "r") + &entry("200", "data", "s"),
                "m.yaml: at /1/path: the same failure is listed twice",
            ),
            (
                "- {api: v1, operation: getDeals, status: 200, path: data}\n".to_owned(),
                "m.yaml: at /0: .[0]: missing field `reason`",
            ),
        ] {
            let error = parse("m.yaml", &text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.starts_with(found), "{text}: {error}");
        }
    }
}
