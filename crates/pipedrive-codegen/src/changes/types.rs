//! Changes to named types (structs, enums, unions), matched by API version and name.
//!
//! Severities follow what `emit` generates: structs, enums and unions are `#[non_exhaustive]`, so
//! a new field or enum value is minor; every field is a public field, so a retyped, removed or
//! newly `Option` field is major. A request struct's required fields are the arguments of its
//! `new` and of the operation builder's constructor: a new optional field is one more setter
//! (minor), a new required one is one more argument (major).

use super::renames::Rename;
use super::wording::{constraint_changes, default_change};
use super::{Paired, Recorder, Severity, Subject, pair_by_key};
use crate::ident::UNKNOWN_VARIANT;
use crate::ir::{Additional, Direction, EnumRepr, EnumVariant, Field, Literal, Trait, TypeDef, TypeKind, UnionVariant};
use crate::surface;

/// `Default`, `Serialize`: a trait as a sentence names it.
fn trait_name(t: Trait) -> &'static str {
    t.path().rsplit("::").next().unwrap_or(t.path())
}

/// `renamed` pairs types of `old` and `new` under their old and new names ([`super::renames`]).
pub(super) fn compare_types(old: &[TypeDef], new: &[TypeDef], renamed: &[Rename<'_>], out: &mut Recorder) {
    // A renamed type pairs with its new self, not with a type that now has its old name.
    let old_name = |t: &TypeDef| renamed.iter().any(|r| r.old.api == t.api && r.old.name == t.name);
    let new_name = |t: &TypeDef| renamed.iter().any(|r| r.new.api == t.api && r.new.name == t.name);
    let old_kept: Vec<TypeDef> = old.iter().filter(|t| !old_name(t)).cloned().collect();
    let new_kept: Vec<TypeDef> = new.iter().filter(|t| !new_name(t)).cloned().collect();
    for pair in pair_by_key(&old_kept, &new_kept, |t| (t.api.as_str(), t.name.as_str())) {
        match pair {
            Paired::Added(t) => out.record(
                Severity::Minor,
                &subject(t),
                format!(
                    "Added {} {} `{} {}`",
                    direction(t.direction),
                    kind(&t.kind),
                    t.api,
                    t.name
                ),
            ),
            Paired::Removed(t) => out.record(
                Severity::Major,
                &subject(t),
                format!(
                    "Removed {} {} `{} {}`",
                    direction(t.direction),
                    kind(&t.kind),
                    t.api,
                    t.name
                ),
            ),
            Paired::Kept(o, n) => TypeDiff {
                subject: subject(n),
                label: label(n),
                direction: n.direction,
            }
            .record(o, n, out),
        }
    }
    for Rename { old: renamed_from, new } in renamed {
        // The old type as `old` holds it: its references already carry the new names.
        let Some(old) = old
            .iter()
            .find(|t| t.api == renamed_from.api && t.name == renamed_from.name)
        else {
            continue;
        };
        out.record(
            Severity::Major,
            &subject(new),
            format!(
                "Renamed {} {} `{} {}` to `{}`",
                direction(new.direction),
                kind(&new.kind),
                old.api,
                old.name,
                new.name
            ),
        );
        TypeDiff {
            subject: subject(new),
            label: label(new),
            direction: new.direction,
        }
        .record(old, new, out);
    }
}

fn subject(def: &TypeDef) -> Subject {
    Subject::Type {
        api: def.api.clone(),
        name: def.name.clone(),
    }
}

/// `` Struct `v2 StageItem` ``: how every sentence names a type.
fn label(def: &TypeDef) -> String {
    let kind = kind(&def.kind);
    let mut chars = kind.chars();
    let capitalized: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect();
    format!("{capitalized} `{} {}`", def.api, def.name)
}

fn kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Union { .. } => "union",
    }
}

fn direction(direction: Direction) -> &'static str {
    match direction {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

/// One type present on both sides, described by its new kind and direction.
struct TypeDiff {
    subject: Subject,
    label: String,
    direction: Direction,
}

impl TypeDiff {
    fn note(&self, out: &mut Recorder, severity: Severity, what: String) {
        out.record(severity, &self.subject, format!("{}: {what}", self.label));
    }

    fn record(&self, old: &TypeDef, new: &TypeDef, out: &mut Recorder) {
        // Request and response types derive different traits and are built differently.
        if old.direction != new.direction {
            self.note(
                out,
                Severity::Major,
                format!(
                    "now a {} type (was a {} type)",
                    direction(new.direction),
                    direction(old.direction)
                ),
            );
        }
        match (&old.kind, &new.kind) {
            (
                TypeKind::Struct {
                    fields: old_fields,
                    additional: old_additional,
                },
                TypeKind::Struct {
                    fields: new_fields,
                    additional: new_additional,
                },
            ) => {
                self.compare_fields(old_fields, new_fields, out);
                self.compare_additional(old_additional, new_additional, out);
                self.compare_struct_traits(old, new, out);
            }
            (
                TypeKind::Enum {
                    repr: old_repr,
                    variants: old_variants,
                    default: old_default,
                    open: old_open,
                },
                TypeKind::Enum {
                    repr: new_repr,
                    variants: new_variants,
                    default: new_default,
                    open: new_open,
                },
            ) => {
                self.compare_enum_shape((*old_repr, *old_open), (*new_repr, *new_open), out);
                self.compare_enum_values(old_variants, new_variants, out);
                self.compare_enum_default(old_default.as_ref(), new_default.as_ref(), out);
            }
            (
                TypeKind::Union {
                    variants: old_variants, ..
                },
                TypeKind::Union {
                    variants: new_variants, ..
                },
            ) => {
                self.compare_union(old_variants, new_variants, out);
            }
            (old_kind, new_kind) => self.note(
                out,
                Severity::Major,
                format!(
                    "now {} (was {})",
                    kind_with_article(new_kind),
                    kind_with_article(old_kind)
                ),
            ),
        }
        if old.description != new.description {
            self.note(out, Severity::Patch, "description changed".to_owned());
        }
    }

    fn compare_fields(&self, old: &[Field], new: &[Field], out: &mut Recorder) {
        for pair in pair_by_key(old, new, |f| f.name.as_str()) {
            match pair {
                Paired::Added(f) => self.field_added(f, out),
                Paired::Removed(f) => self.note(out, Severity::Major, format!("removed field `{}`", f.name)),
                Paired::Kept(o, n) => self.compare_field(o, n, out),
            }
        }
    }

    fn field_added(&self, field: &Field, out: &mut Recorder) {
        let name = &field.name;
        let ty = &field.ty;
        match self.direction {
            // `#[non_exhaustive]`: nobody builds a response struct field by field.
            Direction::Response => self.note(out, Severity::Minor, format!("new field `{name}` (`{ty}`)")),
            Direction::Request if field.required => {
                self.note(out, Severity::Major, format!("new required field `{name}` (`{ty}`)"))
            }
            Direction::Request => self.note(out, Severity::Minor, format!("new optional field `{name}` (`{ty}`)")),
        }
    }

    fn compare_field(&self, old: &Field, new: &Field, out: &mut Recorder) {
        let name = &new.name;
        if old.ty != new.ty {
            self.note(
                out,
                Severity::Major,
                format!("field `{name}` is now `{}` (was `{}`)", new.ty, old.ty),
            );
        }
        if old.rust_name != new.rust_name {
            self.note(
                out,
                Severity::Major,
                format!(
                    "field `{name}` is now `{}` in Rust (was `{}`)",
                    new.rust_name, old.rust_name
                ),
            );
        }
        if old.required != new.required {
            let now = if new.required { "required" } else { "optional" };
            self.note(
                out,
                made_optional_or_required_severity(),
                format!("field `{name}` is now {now}"),
            );
        }
        // Nullability changes the Rust type of the field (`Option<T>` / `Option<Option<T>>`) and,
        // on requests, whether a `clear_*` setter exists.
        if old.nullable != new.nullable {
            let now = if new.nullable {
                "now nullable"
            } else {
                "no longer nullable"
            };
            self.note(out, Severity::Major, format!("field `{name}` is {now}"));
        }
        if let Some(what) = default_change(old.default.as_ref(), new.default.as_ref()) {
            self.note(out, Severity::Patch, format!("field `{name}` {what}"));
        }
        // Minor, tightening included: see `constraint_changes`.
        for what in constraint_changes(&old.constraints, &new.constraints) {
            self.note(out, Severity::Minor, format!("field `{name}` {what}"));
        }
        if old.deprecated != new.deprecated {
            let now = if new.deprecated {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            self.note(out, Severity::Minor, format!("field `{name}` is {now}"));
        }
        if old.description != new.description {
            self.note(out, Severity::Patch, format!("field `{name}`: description changed"));
        }
    }

    /// Unlisted properties land in an `extra` map (or are not allowed): changing the policy adds,
    /// removes or retypes that public field.
    fn compare_additional(&self, old: &Additional, new: &Additional, out: &mut Recorder) {
        if old != new {
            self.note(
                out,
                Severity::Major,
                format!(
                    "properties the document does not list are now {} (were {})",
                    additional(new),
                    additional(old)
                ),
            );
        }
    }

    /// Losing a trait breaks code that uses it (`..Default::default()`); gaining one is
    /// additive. Structs only: an enum's traits follow from its shape and default, which
    /// `compare_enum_shape` and `compare_enum_default` report, and a union's from its direction.
    fn compare_struct_traits(&self, old: &TypeDef, new: &TypeDef, out: &mut Recorder) {
        let (before, after) = (surface::traits_of(old), surface::traits_of(new));
        for gone in before.iter().filter(|t| !after.contains(t)) {
            self.note(
                out,
                Severity::Major,
                format!("no longer implements `{}`", trait_name(*gone)),
            );
        }
        for added in after.iter().filter(|t| !before.contains(t)) {
            self.note(out, Severity::Minor, format!("now implements `{}`", trait_name(*added)));
        }
    }

    /// An open enum has an extra `UnknownValue(String)` variant and so is not `Copy`; the repr
    /// decides how values are written. Either change alters the generated enum's API.
    fn compare_enum_shape(&self, old: (EnumRepr, bool), new: (EnumRepr, bool), out: &mut Recorder) {
        let (old_repr, old_open) = old;
        let (new_repr, new_open) = new;
        if old_repr != new_repr {
            self.note(
                out,
                Severity::Major,
                format!("values are now {}s (were {}s)", repr(new_repr), repr(old_repr)),
            );
        }
        if old_open != new_open {
            let what = if new_open {
                format!("now keeps values it does not list in `{UNKNOWN_VARIANT}`")
            } else {
                format!("no longer keeps unlisted values (`{UNKNOWN_VARIANT}` is gone)")
            };
            self.note(out, Severity::Major, what);
        }
    }

    /// Enums are `#[non_exhaustive]`, so a new value is minor; a removed or renamed variant breaks
    /// code that names it. Values are matched by what is sent on the wire.
    fn compare_enum_values(&self, old: &[EnumVariant], new: &[EnumVariant], out: &mut Recorder) {
        for pair in pair_by_key(old, new, |v| v.value.to_string()) {
            match pair {
                Paired::Added(v) => self.note(out, Severity::Minor, format!("new value `{}`", v.value)),
                Paired::Removed(v) => self.note(out, Severity::Major, format!("removed value `{}`", v.value)),
                Paired::Kept(o, n) if o.rust_name != n.rust_name => self.note(
                    out,
                    Severity::Major,
                    format!(
                        "value `{}` is now variant `{}` (was `{}`)",
                        n.value, n.rust_name, o.rust_name
                    ),
                ),
                Paired::Kept(..) => {}
            }
        }
    }

    /// The default is the enum's `#[default]` variant: without one there is no `Default` impl.
    fn compare_enum_default(&self, old: Option<&Literal>, new: Option<&Literal>, out: &mut Recorder) {
        let severity = match (old, new) {
            (Some(_), None) => Severity::Major,
            (None, Some(_)) => Severity::Minor,
            _ => Severity::Patch,
        };
        if let Some(what) = default_change(old, new) {
            self.note(out, severity, what);
        }
    }

    /// Union variants are tried in order and users match on them, so any change to the list,
    /// including its order, changes what a value decodes into.
    fn compare_union(&self, old: &[UnionVariant], new: &[UnionVariant], out: &mut Recorder) {
        for pair in pair_by_key(old, new, |v| v.rust_name.as_str()) {
            match pair {
                Paired::Added(v) => self.note(
                    out,
                    Severity::Major,
                    format!("new variant `{}` (`{}`)", v.rust_name, v.ty),
                ),
                Paired::Removed(v) => self.note(
                    out,
                    Severity::Major,
                    format!("removed variant `{}` (`{}`)", v.rust_name, v.ty),
                ),
                Paired::Kept(o, n) if o.ty != n.ty => self.note(
                    out,
                    Severity::Major,
                    format!("variant `{}` is now `{}` (was `{}`)", n.rust_name, n.ty, o.ty),
                ),
                Paired::Kept(..) => {}
            }
        }
        if kept_order(old, new) != kept_order(new, old) {
            self.note(
                out,
                Severity::Major,
                "variants are tried in a different order".to_owned(),
            );
        }
    }
}

/// A field that turns required or optional breaks code either way: on responses `T` becomes
/// `Option<T>` or back; on requests a required body field is an argument of the builder's
/// constructor (`add_stage(name, pipeline_id)`) and an optional one a setter.
fn made_optional_or_required_severity() -> Severity {
    Severity::Major
}

/// The names of `list`'s variants that `other` also has, in `list`'s order.
fn kept_order<'a>(list: &'a [UnionVariant], other: &[UnionVariant]) -> Vec<&'a str> {
    list.iter()
        .filter(|v| other.iter().any(|o| o.rust_name == v.rust_name))
        .map(|v| v.rust_name.as_str())
        .collect()
}

fn additional(policy: &Additional) -> String {
    match policy {
        Additional::None => "not allowed".to_owned(),
        Additional::Json => "kept as JSON in `extra`".to_owned(),
        Additional::Typed(ty) => format!("kept as `{ty}` in `extra`"),
    }
}

fn repr(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
        EnumRepr::Number => "number",
    }
}

fn kind_with_article(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "an enum",
        TypeKind::Union { .. } => "a union",
    }
}
