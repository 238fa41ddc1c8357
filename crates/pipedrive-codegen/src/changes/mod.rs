//! Explains a spec update in API terms: what changed between two IRs, how much it matters to users
//! of the generated crate, and the crate version that follows.
//!
//! [`compare`] walks an old and a new [`Api`] side by side and records one [`Change`] per
//! difference a user could notice, each with a [`Severity`] that follows Cargo's semver rules for
//! the code `emit` generates: removing or retyping anything is [`Severity::Major`], adding to a
//! `#[non_exhaustive]` type or adding an optional input is [`Severity::Minor`], and docs or
//! metadata (token cost, scopes, descriptions) are [`Severity::Patch`]. Operations are identified by
//! API version and operationId (`v1 getStages`), types by API version and name (`v2 StageItem`);
//! a renamed type therefore shows as one removed and one added. `source`/`sources` pointers are
//! ignored: they say where a schema sits in a document, not what the API is.
//!
//! A change of the generator's own output for the same IR (a field's Rust type, say) is no
//! difference between two IRs; such changes are listed by hand in [`GENERATOR_CHANGES`], and
//! [`compare_generations`] adds those made since the old generation to the comparison.
//!
//! [`ApiChanges::to_markdown`] renders a changelog section and [`next_version`] picks the version
//! of the generated crate. Everything is ordered by sorting, never by hashing, so the same two
//! inputs always give byte-identical output.

mod generator;
mod markdown;
mod operations;
mod renames;
mod types;
mod version;
mod wording;

use std::collections::BTreeMap;

use crate::ir::{Api, Document, Tag};

pub use generator::{GENERATOR_CHANGES, GeneratorChange, NAMING_RULES_REVISION, current_revision};
pub use version::next_version;

/// How much a change matters to code that uses the generated crate; ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Documentation or metadata only: nothing a user's code can observe at compile time.
    Patch,
    /// Additive: code that compiled before still compiles.
    Minor,
    /// Breaking: code that compiled before may not compile, or may call something that is gone.
    Major,
}

impl Severity {
    /// `major`, `minor` or `patch`, as semver calls them.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Patch => "patch",
            Severity::Minor => "minor",
            Severity::Major => "major",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a change is about. The derived order (API-level first, then tags, operations, types; each
/// by API version and name) is the order changes are listed in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// A change of the generator's output for the same IR, by its revision
    /// ([`GENERATOR_CHANGES`]).
    Generator { revision: u32 },
    /// A whole API version (document): `v1`.
    Document { api: String },
    /// A tag, i.e. a module of the generated crate: `v1 Stages`.
    Tag { api: String, name: String },
    /// An operation, by API version and operationId: `v1 getStages`.
    Operation { api: String, id: String },
    /// A named type, by API version and name: `v2 StageItem`.
    Type { api: String, name: String },
}

/// One difference between the old and the new API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    pub subject: Subject,
    /// A sentence in API terms, written as a changelog bullet (without the `- `).
    pub message: String,
}

/// Every change between two APIs: most severe first, then by subject.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiChanges {
    changes: Vec<Change>,
}

impl ApiChanges {
    /// The changes, most severe first, then by subject; for one subject, in the order they were found.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The highest severity of any change; `None` when nothing changed.
    pub fn severity(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes of one severity, in list order.
    pub fn of_severity(&self, severity: Severity) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.severity == severity)
    }
}

/// Everything that changed from `old` to `new`, in a deterministic order.
///
/// A type renamed between the two (found by the schema place it keeps) is one change: the rename,
/// then what else changed in it; the places that name it compare as unchanged.
pub fn compare(old: &Api, new: &Api) -> ApiChanges {
    let mut recorder = Recorder::default();
    let renames = renames::find(&old.types, &new.types);
    let old_in_new_names = renames::with_new_names(old, &renames);
    compare_documents(&old.documents, &new.documents, &mut recorder);
    compare_tags(&old.tags, &new.tags, &mut recorder);
    operations::compare_operations(&old_in_new_names, new, &mut recorder);
    types::compare_types(&old_in_new_names.types, &new.types, &renames, &mut recorder);
    recorder.finish()
}

/// Everything that changed from one generation to the next: [`compare`] of their IRs, and the
/// generator's own changes since `old_revision`, the revision the old generation was made with.
pub fn compare_generations(old: &Api, old_revision: u32, new: &Api) -> ApiChanges {
    let mut recorder = Recorder::default();
    generator::compare_revisions(old_revision, &mut recorder);
    recorder.changes.extend(compare(old, new).changes);
    recorder.finish()
}

/// Collects changes while the comparison walks both APIs.
#[derive(Debug, Default)]
struct Recorder {
    changes: Vec<Change>,
}

impl Recorder {
    fn record(&mut self, severity: Severity, subject: &Subject, message: String) {
        self.changes.push(Change {
            severity,
            subject: subject.clone(),
            message,
        });
    }

    /// Sorts by severity and subject. The sort is stable, so one subject's changes keep the order
    /// the walk found them in, which follows the (already deterministic) order of the IR.
    fn finish(mut self) -> ApiChanges {
        self.changes
            .sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.subject.cmp(&b.subject)));
        ApiChanges { changes: self.changes }
    }
}

/// One key's items in the old and the new list.
enum Paired<'a, T> {
    Removed(&'a T),
    Added(&'a T),
    Kept(&'a T, &'a T),
}

/// Matches the items of two lists by `key`, in key order. Keys are assumed unique within a list
/// (operationIds, type names, field names are); a duplicate would keep the last item.
fn pair_by_key<'a, T, K: Ord>(old: &'a [T], new: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<Paired<'a, T>> {
    let mut sides: BTreeMap<K, (Option<&'a T>, Option<&'a T>)> = BTreeMap::new();
    for item in old {
        sides.entry(key(item)).or_default().0 = Some(item);
    }
    for item in new {
        sides.entry(key(item)).or_default().1 = Some(item);
    }
    sides
        .into_values()
        .filter_map(|pair| match pair {
            (Some(o), Some(n)) => Some(Paired::Kept(o, n)),
            (Some(o), None) => Some(Paired::Removed(o)),
            (None, Some(n)) => Some(Paired::Added(n)),
            (None, None) => None,
        })
        .collect()
}

/// Text for an optional value in a sentence: the value in backticks, or `none`.
fn shown<T: std::fmt::Display>(value: Option<&T>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"))
}

/// Keeps a changelog bullet on one line whatever the document's text contains.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn compare_documents(old: &[Document], new: &[Document], out: &mut Recorder) {
    for pair in pair_by_key(old, new, |d| d.api.as_str()) {
        match pair {
            Paired::Added(d) => out.record(
                Severity::Minor,
                &document_subject(d),
                format!(
                    "Added API `{}` (`{}`, paths under `{}`)",
                    d.api, d.file, d.server_prefix
                ),
            ),
            Paired::Removed(d) => out.record(
                Severity::Major,
                &document_subject(d),
                format!("Removed API `{}` (`{}`)", d.api, d.file),
            ),
            Paired::Kept(o, n) => compare_document(o, n, out),
        }
    }
}

fn document_subject(doc: &Document) -> Subject {
    Subject::Document { api: doc.api.clone() }
}

fn compare_document(old: &Document, new: &Document, out: &mut Recorder) {
    let subject = document_subject(new);
    let api = &new.api;
    // Every request goes to a different URL: as breaking as changing each operation's path.
    if old.server_prefix != new.server_prefix {
        out.record(
            Severity::Major,
            &subject,
            format!(
                "API `{api}`: paths now start with `{}` (was `{}`)",
                new.server_prefix, old.server_prefix
            ),
        );
    }
    if old.file != new.file {
        out.record(
            Severity::Patch,
            &subject,
            format!("API `{api}`: read from `{}` (was `{}`)", new.file, old.file),
        );
    }
    if old.title != new.title {
        out.record(
            Severity::Patch,
            &subject,
            format!(
                "API `{api}`: title is now \"{}\" (was \"{}\")",
                one_line(&new.title),
                one_line(&old.title)
            ),
        );
    }
    if old.version != new.version {
        out.record(
            Severity::Patch,
            &subject,
            format!("API `{api}`: document version {} (was {})", new.version, old.version),
        );
    }
}

fn compare_tags(old: &[Tag], new: &[Tag], out: &mut Recorder) {
    for pair in pair_by_key(old, new, |t| (t.api.as_str(), t.name.as_str())) {
        match pair {
            Paired::Added(t) => out.record(
                Severity::Minor,
                &tag_subject(t),
                format!("Added tag `{} {}` (`client.{}().{}()`)", t.api, t.name, t.api, t.module),
            ),
            Paired::Removed(t) => out.record(
                Severity::Major,
                &tag_subject(t),
                format!(
                    "Removed tag `{} {}` (`client.{}().{}()`)",
                    t.api, t.name, t.api, t.module
                ),
            ),
            Paired::Kept(o, n) => compare_tag(o, n, out),
        }
    }
}

fn tag_subject(tag: &Tag) -> Subject {
    Subject::Tag {
        api: tag.api.clone(),
        name: tag.name.clone(),
    }
}

fn compare_tag(old: &Tag, new: &Tag, out: &mut Recorder) {
    let subject = tag_subject(new);
    let label = format!("Tag `{} {}`", new.api, new.name);
    if old.module != new.module || old.struct_name != new.struct_name {
        out.record(
            Severity::Major,
            &subject,
            format!(
                "{label}: now `{api}::{}::{}` (was `{api}::{}::{}`)",
                new.module,
                new.struct_name,
                old.module,
                old.struct_name,
                api = new.api
            ),
        );
    }
    if old.description != new.description {
        out.record(Severity::Patch, &subject, format!("{label}: description changed"));
    }
}
