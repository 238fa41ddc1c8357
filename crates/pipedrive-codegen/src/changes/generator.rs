//! Changes of the generator itself that code using the generated crate can notice.
//!
//! Comparing two IRs explains a spec update, but it cannot see a change to what `emit` makes of
//! the same IR: a field's Rust type, a builder's signature, an item renamed. Such changes are
//! listed here by hand, in [`GENERATOR_CHANGES`], each under the next revision number with its
//! severity. `api.json` records the revision a crate was generated with; the next run lists every
//! entry since then in the changelog and bumps the crate version by the most severe one, as it
//! does for a spec update.
//!
//! When to add an entry: when a change to the generator (or to the runtime types the generated
//! code names) changes the generated code outside doc comments in a way a user's code can see.
//! The snapshot diff of `generated/` shows whether it does.

use super::{Recorder, Severity, Subject};

/// One change of the generator's output, for the changelog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratorChange {
    /// 1 for the first entry, one more for each later one.
    pub revision: u32,
    pub severity: Severity,
    /// A sentence in API terms, written as a changelog bullet (without the `- `).
    pub message: &'static str,
}

/// Every change of the generated API made by the generator rather than by a spec update, oldest
/// first. Append; never edit an entry that has shipped (crates generated since carry its revision).
pub const GENERATOR_CHANGES: &[GeneratorChange] = &[
    GeneratorChange {
        revision: 1,
        severity: Severity::Major,
        message: "Generator: fields and parameters the documents mark `format: date-time` or \
                  `format: date` are `DateTime` and `Date` (the text as sent, read with \
                  `to_offset_date_time()` and `to_date()`) instead of `String`; setters still take text",
    },
    GeneratorChange {
        revision: 2,
        severity: Severity::Major,
        message: "Generator: text fields and parameters without a `format` whose description says \
                  `Format: YYYY-MM-DD HH:MM:SS` or `Format: YYYY-MM-DD` (v1's way of giving one) are \
                  read as `date-time` and `date`, so they are `DateTime` and `Date` too; the fields \
                  this changes are listed with the other changes",
    },
    GeneratorChange {
        revision: 3,
        severity: Severity::Major,
        message: "Generator: text fields and parameters without a `format` whose description names \
                  a point in time (\"date and time\", \"creation time\", \"update time\", \"add time\", \
                  \"In RFC3339 format\"; v2's times and many of v1's) are read as `date-time`, so \
                  they are `DateTime`; the fields this changes are listed with the other changes",
    },
    GeneratorChange {
        revision: 4,
        severity: Severity::Major,
        message: "Generator: text query parameters whose description calls them comma-separated IDs \
                  (v1's bulk deletes' `ids`, v2's `ids` filters) take a `Vec<i64>`, sent joined by \
                  commas as before; the parameters this changes are listed with the other changes",
    },
    GeneratorChange {
        revision: 5,
        severity: Severity::Minor,
        message: "Generator: a builder can be awaited itself (`client.v2().stages().get_stage(1).await`); \
                  `send()` and `send_with_meta()` return the named futures `DataFuture` and \
                  `ResponseFuture`, and `pages()` and `stream()` the named streams `Pages` and `Items`, \
                  which a struct can hold; every builder has `deadline()` for the whole call; an \
                  operation whose documented response has no data takes a `204` or an empty body",
    },
    GeneratorChange {
        revision: 6,
        severity: Severity::Minor,
        message: "Generator: request types implement `Deserialize` too, and a type serialized leaves its \
                  unset optional fields out instead of writing `null`, so a value read and written \
                  back is the JSON it came from",
    },
    GeneratorChange {
        revision: 7,
        severity: Severity::Major,
        message: "Generator: each tag is a Cargo feature (`deals`, `persons`, ...; `full` for all, on \
                  by default); with `default-features = false`, enable the tags your code calls",
    },
    GeneratorChange {
        revision: 8,
        severity: Severity::Major,
        message: "Generator: types are named afresh, once, by new rules: a resource's main object \
                  after the resource (`Deal`, `Person`, `Stage`), an enum several operations share \
                  after what it is (`SortDirection`), names the config gives first; every renamed \
                  type is listed below as a rename, and names stay stable again from now on",
    },
    GeneratorChange {
        revision: 9,
        severity: Severity::Major,
        message: "Generator: nothing Pipedrive sends is dropped: `send_with_meta()` and each page \
                  give `related_objects` (the persons, organizations and users a v1 list refers \
                  to) and `additional_data` typed where the documents describe them (JSON \
                  before); and v1's maps keyed by id, which the documents write as an object with \
                  one property such as `USER_ID`, are maps (`BTreeMap<String, _>`) instead of \
                  structs that lost every entry to their unknown fields",
    },
];

/// The revision whose naming rules this generator follows. A crate generated before it gets its
/// types named afresh once, by these rules, instead of keeping its names (see `lower::naming`).
pub const NAMING_RULES_REVISION: u32 = 8;

/// The revision of this generator: that of its last [`GENERATOR_CHANGES`] entry, 0 without any.
pub fn current_revision() -> u32 {
    GENERATOR_CHANGES.last().map_or(0, |c| c.revision)
}

/// Records the entries after revision `since`.
pub(super) fn compare_revisions(since: u32, out: &mut Recorder) {
    for change in GENERATOR_CHANGES.iter().filter(|c| c.revision > since) {
        out.record(
            change.severity,
            &Subject::Generator {
                revision: change.revision,
            },
            change.message.to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_count_up_from_one() {
        let revisions: Vec<u32> = GENERATOR_CHANGES.iter().map(|c| c.revision).collect();
        let expected: Vec<u32> = (1..).take(revisions.len()).collect();
        assert_eq!(revisions, expected, "append entries with the next revision");
        assert_eq!(current_revision(), revisions.last().copied().unwrap_or(0));
    }

    #[test]
    fn messages_are_one_changelog_line_each() {
        for change in GENERATOR_CHANGES {
            assert!(change.message.starts_with("Generator: "), "{}", change.message);
            assert!(
                !change.message.contains('\n') && !change.message.contains("  "),
                "{}",
                change.message
            );
        }
    }
}
