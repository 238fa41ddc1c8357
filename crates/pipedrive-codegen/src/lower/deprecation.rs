//! Deprecated operations: what replaces each one, and where that replacement is.
//!
//! The replacement is named by the operation's description ("Please use
//! GET /api/v2/deals?stage_id={id} instead", read by `quirks`) or, failing that, is the operation
//! with the same operationId in a newer document. It is then looked up by method and path among
//! the generated operations, so the docs can point at the Rust call, and otherwise in the
//! documents, so they can say which tag would generate it. A user reading
//! `#[deprecated]` wants the call to make instead, not only an HTTP route.

use std::collections::BTreeMap;

use crate::ir::{Operation, ReplacementSource, ReplacementTarget};
use crate::load::LoadedDocument;

use super::selection::server_prefix;

/// Fills in each deprecated operation's replacement, note and replacement target.
pub(super) fn describe_deprecations(docs: &[&LoadedDocument], operations: &mut [Operation]) {
    if !operations.iter().any(|op| op.deprecation.is_some()) {
        return;
    }
    // Each document's paths, sorted once for every lookup below.
    let routes: Vec<Routes<'_>> = docs.iter().map(|doc| Routes::of(doc)).collect();
    let position = |api: &str| docs.iter().position(|d| d.api == api).unwrap_or(0);
    for op in operations.iter_mut() {
        let Some(dep) = &mut op.deprecation else { continue };
        if dep.replacement.is_none() {
            let newer = routes
                .iter()
                .skip(position(&op.api) + 1)
                .find_map(|r| r.find_operation(&op.id));
            if let Some(replacement) = newer {
                dep.replacement = Some(replacement);
                dep.replacement_source = Some(ReplacementSource::SameOperationIdInNewerApi);
            }
        }
        dep.note = match &dep.replacement {
            Some(r) => format!("deprecated by Pipedrive; use `{r}` instead"),
            None => "deprecated by Pipedrive".to_owned(),
        };
    }
    // (method, path shape) → the first generated operation there; operations are in canonical order.
    let mut generated: BTreeMap<(&str, String), (&str, &str)> = BTreeMap::new();
    for op in operations.iter() {
        generated
            .entry((op.method.as_str(), template_shape(&op.full_path)))
            .or_insert((&op.api, &op.id));
    }
    let targets: Vec<Option<ReplacementTarget>> = operations
        .iter()
        .map(|op| {
            let replacement = op.deprecation.as_ref()?.replacement.as_deref()?;
            let (method, path) = split_replacement(replacement)?;
            let shape = template_shape(path);
            match generated.get(&(method.to_ascii_uppercase().as_str(), shape.clone())) {
                // An operation that names itself as its replacement has nowhere to point.
                Some((api, id)) if (*api, *id) == (op.api.as_str(), op.id.as_str()) => None,
                Some((api, id)) => Some(ReplacementTarget::Generated {
                    api: (*api).to_owned(),
                    operation_id: (*id).to_owned(),
                }),
                None => tag_in_documents(&routes, &method.to_ascii_lowercase(), &shape)
                    .map(|tag| ReplacementTarget::NotGenerated { tag }),
            }
        })
        .collect();
    for (op, target) in operations.iter_mut().zip(targets) {
        if let Some(dep) = &mut op.deprecation {
            dep.replacement_target = target;
        }
    }
}

/// A document's server prefix and raw path items, sorted by path so answers do not depend on
/// key order. Raw: the typed document holds only the selected tags' operations.
struct Routes<'d> {
    prefix: String,
    paths: Vec<(&'d str, &'d serde_yaml::Value)>,
}

impl<'d> Routes<'d> {
    fn of(doc: &'d LoadedDocument) -> Self {
        let mut paths: Vec<(&str, &serde_yaml::Value)> = doc
            .raw
            .get("paths")
            .and_then(serde_yaml::Value::as_mapping)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
            .collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        Routes {
            prefix: server_prefix(doc, &mut Vec::new()),
            paths,
        }
    }

    /// `METHOD /full/path` of the operation with this operationId, if any.
    fn find_operation(&self, id: &str) -> Option<String> {
        self.paths.iter().find_map(|(path, item)| {
            crate::validate::METHODS
                .iter()
                .find(|m| {
                    item.get(**m)
                        .and_then(|op| op.get("operationId"))
                        .and_then(serde_yaml::Value::as_str)
                        == Some(id)
                })
                .map(|method| format!("{} {}{path}", method.to_uppercase(), self.prefix))
        })
    }
}

/// The first tag of the operation at `method` (lowercase) and a path of this shape, in the first
/// document that has one.
fn tag_in_documents(routes: &[Routes<'_>], method: &str, shape: &str) -> Option<String> {
    routes.iter().find_map(|r| {
        r.paths
            .iter()
            .filter(|(path, _)| template_shape(&format!("{}{path}", r.prefix)) == shape)
            .find_map(|(_, item)| {
                let tags = item.get(method)?.get("tags")?.as_sequence()?;
                Some(tags.first()?.as_str()?.to_owned())
            })
    })
}

/// `GET /api/v2/deals?stage_id={id}` → (`GET`, `/api/v2/deals`): the method and the path without
/// its query, or `None` when the text is not a method and an absolute path.
fn split_replacement(replacement: &str) -> Option<(&str, &str)> {
    let (method, rest) = replacement.trim().split_once(' ')?;
    let path = rest.trim().split(['?', '#']).next().unwrap_or_default();
    let is_method = !method.is_empty() && method.chars().all(|c| c.is_ascii_alphabetic());
    (is_method && path.starts_with('/')).then_some((method, path))
}

/// A path template with its parameter names left out, so `/stages/{id}` and `/stages/{stage_id}`
/// are the same path.
fn template_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                shape.push_str("{}");
            }
            '}' => in_parameter = false,
            _ if in_parameter => {}
            _ => shape.push(c),
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_method_and_path_and_drops_the_query() {
        assert_eq!(
            split_replacement("GET /api/v2/deals?stage_id={id}"),
            Some(("GET", "/api/v2/deals"))
        );
        assert_eq!(
            split_replacement("DELETE /api/v2/stages/{id}"),
            Some(("DELETE", "/api/v2/stages/{id}"))
        );
        assert_eq!(split_replacement("the endpoint for activities"), None);
        assert_eq!(split_replacement("GET deals"), None);
    }

    #[test]
    fn compares_templates_without_parameter_names() {
        assert_eq!(
            template_shape("/v1/stages/{id}/deals"),
            template_shape("/v1/stages/{stage_id}/deals")
        );
        assert_ne!(
            template_shape("/v1/stages/{id}"),
            template_shape("/v1/stages/{id}/deals")
        );
        assert_eq!(template_shape("/a/{x}.{y}"), "/a/{}.{}");
    }
}
