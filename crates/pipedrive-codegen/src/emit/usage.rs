//! A summary for each type the document leaves undescribed, from where the operations use it:
//! the parameter it holds the values of (with that parameter's description), the body an
//! operation sends, or what an operation returns. Without it such a type's rustdoc would open
//! with a note ("Default: ...", "Build it with ...") or only the schema's JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Operation, ResponseBody, TypeRef};

/// Where a type is used first (operations in IR order), and every operation that uses it.
struct Use<'a> {
    first: Place<'a>,
    operations: BTreeSet<&'a str>,
}

enum Place<'a> {
    Parameter {
        op: &'a Operation,
        name: &'a str,
        description: Option<&'a str>,
    },
    Body(&'a Operation),
    Response {
        op: &'a Operation,
        item: bool,
    },
    /// `additional_data` or `related_objects` of an envelope.
    EnvelopePart {
        op: &'a Operation,
        part: &'static str,
    },
}

/// The named type `ty` is, or holds as a list's items or behind `Option`; with whether it is
/// the items of a list.
fn named(ty: &TypeRef) -> Option<(&str, bool)> {
    match ty {
        TypeRef::Named(name) => Some((name, false)),
        TypeRef::Array(inner) => named(inner).map(|(name, _)| (name, true)),
        TypeRef::Nullable(inner) => named(inner),
        TypeRef::Scalar(_) | TypeRef::Map(_) | TypeRef::Any => None,
    }
}

/// Summaries of the types of API version `api_name` that operations use directly, by type name.
pub fn type_summaries<'a>(api: &'a Api, api_name: &str) -> BTreeMap<&'a str, String> {
    let mut uses: BTreeMap<&'a str, Use<'a>> = BTreeMap::new();
    let mut record = |name: &'a str, place: Place<'a>| {
        let op = place.op().id.as_str();
        uses.entry(name)
            .or_insert_with(|| Use {
                first: place,
                operations: BTreeSet::new(),
            })
            .operations
            .insert(op);
    };
    for op in api.operations.iter().filter(|o| o.api == api_name) {
        for p in &op.parameters {
            if let Some((name, _)) = named(&p.ty) {
                let description = p.description.as_deref();
                record(
                    name,
                    Place::Parameter {
                        op,
                        name: &p.name,
                        description,
                    },
                );
            }
        }
        if let Some((name, _)) = op.request_body.as_ref().and_then(|b| named(&b.ty)) {
            record(name, Place::Body(op));
        }
        let returned = match &op.response.body {
            ResponseBody::Envelope {
                data,
                additional_data,
                related_objects,
            } => {
                for (ty, part) in [
                    (additional_data, "additional_data"),
                    (related_objects, "related_objects"),
                ] {
                    if let Some((name, _)) = ty.as_ref().and_then(named) {
                        record(name, Place::EnvelopePart { op, part });
                    }
                }
                named(data)
            }
            ResponseBody::Json { ty } => named(ty),
            ResponseBody::Text | ResponseBody::Binary | ResponseBody::Empty => None,
        };
        if let Some((name, item)) = returned {
            record(name, Place::Response { op, item });
        }
    }
    uses.into_iter().map(|(name, u)| (name, u.summary())).collect()
}

impl<'a> Place<'a> {
    fn op(&self) -> &'a Operation {
        match self {
            Place::Parameter { op, .. } | Place::Response { op, .. } | Place::EnvelopePart { op, .. } => op,
            Place::Body(op) => op,
        }
    }
}

impl Use<'_> {
    fn summary(&self) -> String {
        let op = self.first.op();
        let call = format!("`{}` (`{} {}`)", op.id, op.method.as_str(), op.full_path);
        let line = match &self.first {
            Place::Parameter { name, description, .. } => {
                let usage = format!("Values of the `{name}` parameter of {call}.");
                match description {
                    Some(text) => format!("{text}\n\n{usage}"),
                    None => usage,
                }
            }
            Place::Body(_) => format!("The request body of {call}."),
            Place::Response { item: false, .. } => format!("What {call} returns."),
            Place::Response { item: true, .. } => format!("One item of what {call} returns."),
            Place::EnvelopePart { part, .. } => format!("The `{part}` {call} sends beside its data."),
        };
        match self.operations.len().saturating_sub(1) {
            0 => line,
            1 => format!("{line} One more operation uses it too."),
            n => format!("{line} {n} more operations use it too."),
        }
    }
}
