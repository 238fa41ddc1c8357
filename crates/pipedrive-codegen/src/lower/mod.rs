//! Lower: turn loaded documents into the IR ([`crate::ir::Api`]).
//!
//! Each document is walked in a canonical order (paths sorted, methods in a fixed order), never in
//! the order of its keys, so the IR does not depend on how a document happens to be laid out.
//! Operations outside the selected tags are skipped. Schemas are interned by structure per document
//! (`types`), named afterwards (`naming`), and operations then point at the final names. Tags get
//! module names unique within their API version, chosen in sorted order. Problems are collected
//! across all operations, so one run reports every error at once.

mod boxing;
mod components;
mod constraints;
mod deprecation;
mod envelope;
mod examples;
mod media;
mod naming;
mod operation;
mod parameters;
mod quirks;
mod request_body;
mod response;
mod selection;
mod tags;
mod types;
mod view;

use std::collections::BTreeMap;

use crate::config::{TagSelection, TypeName};
use crate::error::{Diagnostic, Error};
use crate::ir::{Api, Direction, Document, HttpMethod, Operation, Tag, TypeDef};
use crate::load::LoadedDocument;
use operation::lower_operation;
use selection::{on_the_documents_server, operation_sites, server_prefix};
pub use tags::{OTHER_FEATURES, assign_features};
use tags::{make_rust_names_unique, tag_modules, tags_of};
use types::TypeCollector;

pub use crate::ident::UNKNOWN_VARIANT;

/// The IR and the warnings met while building it.
#[derive(Debug)]
pub struct LoweredApi {
    pub api: Api,
    pub warnings: Vec<Diagnostic>,
}

/// Tag used for operations without tags when every tag is selected.
const UNTAGGED: &str = "Untagged";

/// Lowers the selected operations of all documents, in any order: they are taken oldest API
/// first by their names compared as versions (`v1` before `v2`), as the config orders them, so
/// which API is newer, and the order of the output, never depend on how they were passed.
pub fn lower(docs: &[LoadedDocument], selection: &TagSelection) -> Result<LoweredApi, Error> {
    lower_with(docs, selection, &Naming::default())
}

/// What names types besides the rules (`naming`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Naming<'a> {
    /// The last generation's IR: a type keeps the name it had there if it may still take it (the
    /// naming module's `assign_names` says when).
    pub previous: Option<&'a Api>,
    /// Types named by hand in the config, which no rule overrides.
    pub given: &'a [TypeName],
    /// The config's file name, for errors about `given`.
    pub config_file: &'a str,
}

/// [`lower`], with types named by `naming` where it says.
pub fn lower_with(docs: &[LoadedDocument], selection: &TagSelection, naming: &Naming<'_>) -> Result<LoweredApi, Error> {
    let mut docs: Vec<&LoadedDocument> = docs.iter().collect();
    docs.sort_by(|a, b| version_order(&a.api, &b.api));
    let mut report = Report {
        errors: Vec::new(),
        warnings: docs.iter().flat_map(|d| d.warnings.iter().cloned()).collect(),
        elsewhere: 0,
    };
    let mut api = Api {
        documents: Vec::new(),
        tags: Vec::new(),
        operations: Vec::new(),
        types: Vec::new(),
    };
    for &doc in &docs {
        let lowered = lower_document(doc, selection, naming, &mut report);
        api.documents.push(lowered.document);
        api.tags.extend(lowered.tags);
        api.operations.extend(lowered.operations);
        api.types.extend(lowered.types);
    }
    let Report {
        mut errors,
        mut warnings,
        elsewhere,
    } = report;
    if !errors.is_empty() {
        errors.extend(warnings);
        return Err(Error::Input(errors));
    }
    if api.operations.is_empty() {
        warnings.insert(0, nothing_to_generate(&docs, selection, elsewhere));
        return Err(Error::Input(warnings));
    }
    assign_features(&mut api.tags);
    deprecation::describe_deprecations(&docs, &mut api.operations);
    crate::surface::attach(&mut api);
    Ok(LoweredApi { api, warnings })
}

/// What lowering found wrong, across every document.
struct Report {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Selected operations left out because another server answers them.
    elsewhere: usize,
}

/// One document's part of the IR.
struct LoweredDocument {
    document: Document,
    tags: Vec<Tag>,
    operations: Vec<Operation>,
    types: Vec<TypeDef>,
}

/// Lowers the selected operations of one document, then names its types (the config's names,
/// then the previous generation's, then the rules) and gives its tags their modules.
fn lower_document(
    doc: &LoadedDocument,
    selection: &TagSelection,
    naming: &Naming<'_>,
    report: &mut Report,
) -> LoweredDocument {
    let server_prefix = server_prefix(doc, &mut report.warnings);
    let mut collector = TypeCollector::new(doc);
    let mut ops: Vec<Operation> = Vec::new();
    let sites = operation_sites(doc, selection, &server_prefix, &mut report.errors, &mut report.warnings);
    let sites = on_the_documents_server(doc, sites, &mut report.warnings, &mut report.elsewhere);
    for site in sites {
        let lowered = lower_operation(&site, &mut collector, &mut report.warnings);
        report.warnings.append(&mut collector.warnings);
        match lowered {
            Ok(op) => ops.push(op),
            Err(d) => report.errors.push(d),
        }
    }
    let types = name_types(doc, naming, &mut collector, &mut ops, &mut report.errors);
    // Paths are already in order; a stable sort groups them by tag.
    ops.sort_by(|a, b| a.tag.cmp(&b.tag));
    let modules = tag_modules(&doc.api, &ops);
    for op in &mut ops {
        if let Some(module) = modules.get(op.tag.as_str()) {
            op.tag_module.clone_from(module);
        }
    }
    make_rust_names_unique(&mut ops);
    LoweredDocument {
        document: Document {
            api: doc.api.clone(),
            file: doc.file.clone(),
            title: doc.openapi.info.title.clone(),
            version: doc.openapi.info.version.clone(),
            server_prefix,
        },
        tags: tags_of(doc, &modules),
        operations: ops,
        types,
    }
}

/// Names the document's interned shapes and points its operations at the names.
fn name_types(
    doc: &LoadedDocument,
    naming: &Naming<'_>,
    collector: &mut TypeCollector<'_>,
    ops: &mut [Operation],
    errors: &mut Vec<Diagnostic>,
) -> Vec<TypeDef> {
    let previous_names: BTreeMap<(Direction, String), String> = naming
        .previous
        .into_iter()
        .flat_map(|api| &api.types)
        .filter(|t| t.api == doc.api)
        .flat_map(|t| {
            t.sources
                .iter()
                .map(|source| ((t.direction, source.clone()), t.name.clone()))
        })
        .collect();
    mark_resources(ops, collector);
    let given: BTreeMap<&str, &str> = naming
        .given
        .iter()
        .filter(|n| n.at.split_once('#').is_some_and(|(file, _)| file == doc.file))
        .map(|n| (n.at.as_str(), n.name.as_str()))
        .collect();
    let names = naming::assign_names(&collector.shapes, &previous_names, &given);
    errors.extend(unmatched_names(
        naming.config_file,
        doc,
        ops,
        &given,
        &collector.shapes,
        &names,
    ));
    for op in ops.iter_mut() {
        resolve_operation_refs(op, &names);
    }
    let mut types = naming::build_types(&doc.api, &collector.shapes, &names);
    boxing::mark_boxes(&mut types);
    types
}

/// The error when the selection leaves nothing to generate: no operation has the tags, or
/// every one that has them is served by another server.
fn nothing_to_generate(docs: &[&LoadedDocument], selection: &TagSelection, elsewhere: usize) -> Diagnostic {
    let wanted = match selection {
        TagSelection::All => "any tag".to_owned(),
        TagSelection::Only(t) => t.iter().cloned().collect::<Vec<_>>().join(", "),
    };
    let file = docs.iter().map(|d| d.file.as_str()).collect::<Vec<_>>().join(", ");
    let message = if elsewhere == 0 {
        format!("no operation is tagged {wanted}")
    } else {
        format!("no operation tagged {wanted} can be generated: all {elsewhere} are served by other servers (below)")
    };
    Diagnostic::new(file, "/paths", message)
        .expected("tags in the config that the documents use, with operations on their document's server")
}

/// Compares API names as versions: the letters before the first digit, then the number the
/// digits make (`v2` before `v10`), then the whole name.
fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(name: &str) -> (&str, u64, &str) {
        let digits_at = name.find(|c: char| c.is_ascii_digit()).unwrap_or(name.len());
        let (prefix, rest) = name.split_at(digits_at);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (prefix, digits.parse().unwrap_or(u64::MAX), name)
    }
    key(a).cmp(&key(b))
}

fn resolve_operation_refs(op: &mut Operation, names: &[String]) {
    for ty in op.types_mut() {
        naming::resolve_ref(ty, names);
    }
}

/// Marks each tag's main object: the struct that its operation getting one item by id returns
/// (`GET /deals/{id}` → `data` is a deal) is the resource's own type, named after it (`Deal`,
/// from the tag `Deals`) by `naming`.
fn mark_resources(ops: &[Operation], collector: &mut TypeCollector<'_>) {
    for op in ops {
        let segments: Vec<&str> = op.path.trim_start_matches('/').split('/').collect();
        let by_id = op.method == HttpMethod::Get
            && matches!(segments.as_slice(), [resource, id] if !resource.contains('{') && id.starts_with('{') && id.ends_with('}'));
        let crate::ir::ResponseBody::Envelope {
            data: crate::ir::TypeRef::Named(shape),
            ..
        } = &op.response.body
        else {
            continue;
        };
        if !by_id || !collector.is_struct(shape) {
            continue;
        }
        if let Some(shape) = collector.shape_mut(shape) {
            shape.resources.insert(naming::resource_name(&op.tag));
        }
    }
}

/// The names given in the config for places in `doc` that are no type's, or that two types
/// share (a schema sent and received is two types): errors naming the entry.
fn unmatched_names(
    config_file: &str,
    doc: &LoadedDocument,
    ops: &[Operation],
    given: &BTreeMap<&str, &str>,
    shapes: &[types::Shape],
    names: &[String],
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (&at, &name) in given {
        // Each type at the place, with the name it was given.
        let holders: Vec<&String> = shapes
            .iter()
            .zip(names)
            .filter(|(s, _)| s.sources.contains(at))
            .map(|(_, n)| n)
            .collect();
        // A place in an operation of a tag not generated names nothing this run; a place in one
        // that is generated must be a type's.
        let generated = ops.iter().any(|op| at.starts_with(&format!("{}/", op.source)));
        let problem = match holders.as_slice() {
            [] if !generated => None,
            [] => Some(format!(
                "the config names the type at `{at}` `{name}`, but no type is there"
            )),
            [given] if given.as_str() != name => Some(format!(
                "the config names the type at `{at}` `{name}`, but another type has that name (this one is `{given}`)"
            )),
            [_] => None,
            _ => Some(format!(
                "the config names the type at `{at}` `{name}`, but two types are there (the schema is both sent and received)"
            )),
        };
        if let Some(problem) = problem {
            errors.push(
                Diagnostic::new(config_file, "/names", problem)
                    .expected(format!(
                        "the place of one type of `{}`, as its docs give it (\"Schema at ...\"), and a name no other type takes",
                        doc.file
                    )),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::version_order;

    #[test]
    fn api_names_compare_as_versions() {
        let mut apis = ["v10", "v2", "v1", "beta"];
        apis.sort_by(|a, b| version_order(a, b));
        assert_eq!(apis, ["beta", "v1", "v2", "v10"]);
    }
}
