//! Lower: turn loaded documents into the IR ([`crate::ir::Api`]).
//!
//! Each document is walked in a canonical order (paths sorted, methods in a fixed order), never in
//! the order of its keys, so the IR does not depend on how a document happens to be laid out.
//! Operations outside the selected tags are skipped. Schemas are interned by structure per document
//! (`types`), named afterwards (`naming`), and operations then point at the final names. Tags get
//! module names unique within their API version, chosen in sorted order. Problems are collected
//! across all operations, so one run reports every error at once.

mod components;
mod deprecation;
mod envelope;
mod examples;
mod naming;
mod operation;
mod parameters;
mod quirks;
mod request_body;
mod response;
mod types;
mod view;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::ReferenceOr;

use crate::config::{TagSelection, TypeName};
use crate::error::{Diagnostic, Error, pointer_join};
use crate::ident::{PRELUDE_NAMES, pascal_ident, snake_ident, unique, unraw};
use crate::ir::{Api, Direction, Document, HttpMethod, Operation, Tag};
use crate::load::LoadedDocument;
use crate::markdown::html_to_markdown;
use operation::{OperationSite, derive_operation_id, lower_operation};
use types::TypeCollector;

pub use naming::UNKNOWN_VARIANT;

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
    let previous = naming.previous;
    let mut docs: Vec<&LoadedDocument> = docs.iter().collect();
    docs.sort_by(|a, b| version_order(&a.api, &b.api));
    let mut errors = Vec::new();
    let mut warnings: Vec<Diagnostic> = docs.iter().flat_map(|d| d.warnings.iter().cloned()).collect();
    let mut documents = Vec::new();
    let mut tags = Vec::new();
    let mut operations = Vec::new();
    let mut types = Vec::new();
    // Selected operations left out because another server answers them.
    let mut elsewhere = 0;

    for &doc in &docs {
        let server_prefix = server_prefix(doc, &mut warnings);
        let mut collector = TypeCollector::new(doc);
        let mut doc_ops: Vec<Operation> = Vec::new();
        let sites = operation_sites(doc, selection, &server_prefix, &mut errors, &mut warnings);
        let sites = on_the_documents_server(doc, sites, &mut warnings, &mut elsewhere);
        for site in sites {
            let lowered = lower_operation(&site, &mut collector, &mut warnings);
            warnings.append(&mut collector.warnings);
            match lowered {
                Ok(op) => doc_ops.push(op),
                Err(d) => errors.push(d),
            }
        }
        let previous_names: BTreeMap<(Direction, String), String> = previous
            .into_iter()
            .flat_map(|api| &api.types)
            .filter(|t| t.api == doc.api)
            .flat_map(|t| {
                t.sources
                    .iter()
                    .map(|source| ((t.direction, source.clone()), t.name.clone()))
            })
            .collect();
        mark_resources(&doc_ops, &mut collector);
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
            &doc_ops,
            &given,
            &collector.shapes,
            &names,
        ));
        for op in &mut doc_ops {
            resolve_operation_refs(op, &names);
        }
        types.extend(naming::build_types(&doc.api, &collector.shapes, &names));
        // Paths are already in order; a stable sort groups them by tag.
        doc_ops.sort_by(|a, b| a.tag.cmp(&b.tag));
        let modules = tag_modules(&doc.api, &doc_ops);
        for op in &mut doc_ops {
            if let Some(module) = modules.get(op.tag.as_str()) {
                op.tag_module.clone_from(module);
            }
        }
        make_rust_names_unique(&mut doc_ops);
        tags.extend(tags_of(doc, &modules));
        documents.push(Document {
            api: doc.api.clone(),
            file: doc.file.clone(),
            title: doc.openapi.info.title.clone(),
            version: doc.openapi.info.version.clone(),
            server_prefix,
        });
        operations.extend(doc_ops);
    }
    if !errors.is_empty() {
        errors.extend(warnings);
        return Err(Error::Input(errors));
    }
    if operations.is_empty() {
        let wanted = match selection {
            TagSelection::All => "any tag".to_owned(),
            TagSelection::Only(t) => t.iter().cloned().collect::<Vec<_>>().join(", "),
        };
        let file = docs.iter().map(|d| d.file.as_str()).collect::<Vec<_>>().join(", ");
        let message = if elsewhere == 0 {
            format!("no operation is tagged {wanted}")
        } else {
            format!(
                "no operation tagged {wanted} can be generated: all {elsewhere} are served by other servers (below)"
            )
        };
        warnings.insert(
            0,
            Diagnostic::new(file, "/paths", message)
                .expected("tags in the config that the documents use, with operations on their document's server"),
        );
        return Err(Error::Input(warnings));
    }
    assign_features(&mut tags);
    deprecation::describe_deprecations(&docs, &mut operations);
    let mut api = Api {
        documents,
        tags,
        operations,
        types,
    };
    crate::surface::attach(&mut api);
    Ok(LoweredApi { api, warnings })
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

/// `https://api.pipedrive.com/api/v2` → `/api/v2`.
pub(super) fn server_prefix(doc: &LoadedDocument, warnings: &mut Vec<Diagnostic>) -> String {
    let Some(server) = doc.openapi.servers.first() else {
        warnings.push(
            Diagnostic::new(
                &doc.file,
                "/servers",
                "the document lists no server; paths are used without a prefix",
            )
            .warning(),
        );
        return String::new();
    };
    let url = server.url.as_str();
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        without_scheme
            .find('/')
            .map_or("", |i| without_scheme.get(i..).unwrap_or(""))
    } else {
        without_scheme
    };
    let prefix = path.trim_end_matches('/');
    if prefix.contains(['{', '}']) {
        warnings.push(
            Diagnostic::new(
                &doc.file,
                "/servers/0/url",
                format!("the path of the server URL `{url}` has `{{` or `}}`; `{prefix}` is put in front of every path as written"),
            )
            .expected("a server URL without variables in its path")
            .warning(),
        );
    }
    prefix.to_owned()
}

/// The sites whose operation is served where the document's other operations are; the others
/// are left out, each with a warning, and counted in `elsewhere`.
///
/// An operation or path item may name servers of its own (Pipedrive's v1 OAuth operations are
/// served by `https://oauth.pipedrive.com`, not `https://api.pipedrive.com/v1`). The generated
/// client sends every request to its one base URL with the document's prefix, with the client's
/// token: generating these would call the wrong host, and send the API token along.
fn on_the_documents_server<'d>(
    doc: &LoadedDocument,
    sites: Vec<OperationSite<'d>>,
    warnings: &mut Vec<Diagnostic>,
    elsewhere: &mut usize,
) -> Vec<OperationSite<'d>> {
    let documents = doc.openapi.servers.first().map(|s| s.url.trim_end_matches('/'));
    sites
        .into_iter()
        .filter(|site| {
            let (servers, pointer) = if site.op.servers.is_empty() {
                (&site.path_item.servers, pointer_join(&pointer_join("/paths", site.path), "servers"))
            } else {
                (&site.op.servers, pointer_join(&site.pointer(), "servers"))
            };
            let Some(own) = servers.first() else { return true };
            if Some(own.url.trim_end_matches('/')) == documents {
                return true;
            }
            *elsewhere += 1;
            warnings.push(
                Diagnostic::new(
                    &doc.file,
                    format!("{pointer}/0/url"),
                    format!(
                        "`{} {}` is served by `{}`, not by the document's server `{}`; it is left out",
                        site.method.as_str(),
                        site.path,
                        own.url,
                        documents.unwrap_or("(none)"),
                    ),
                )
                .operation(Some(&site.id))
                .expected("operations served by the document's server: the generated client sends every request to its one base URL, with its token")
                .warning(),
            );
            false
        })
        .collect()
}

/// The selected operations of a document, in canonical order: paths sorted, then methods.
fn operation_sites<'d>(
    doc: &'d LoadedDocument,
    selection: &TagSelection,
    server_prefix: &'d str,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<OperationSite<'d>> {
    let mut paths: Vec<(&'d String, &'d ReferenceOr<openapiv3::PathItem>)> = doc.openapi.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    // A derived operationId must not take an explicit one, nor another derived one (`/a-b` and
    // `/a_b` both derive `getAB`): operations are told apart by id, in the IR and in the
    // changelog. Paths are sorted, so the numbering is deterministic.
    let mut taken_ids: BTreeSet<String> = paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone()))
        .collect();
    let mut sites = Vec::new();
    for (path, item) in paths {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                errors.push(
                    Diagnostic::new(
                        &doc.file,
                        pointer_join("/paths", path),
                        format!("path item `$ref: {reference}` is not supported"),
                    )
                    .expected("the path item written out"),
                );
                continue;
            }
        };
        let methods: [(&'static str, Option<HttpMethod>, &'d Option<openapiv3::Operation>); 8] = [
            ("get", Some(HttpMethod::Get), &item.get),
            ("put", Some(HttpMethod::Put), &item.put),
            ("post", Some(HttpMethod::Post), &item.post),
            ("delete", Some(HttpMethod::Delete), &item.delete),
            ("patch", Some(HttpMethod::Patch), &item.patch),
            ("options", None, &item.options),
            ("head", None, &item.head),
            ("trace", None, &item.trace),
        ];
        for (method_key, method, op) in methods {
            let Some(op) = op else { continue };
            let Some(tag) = selected_tag(op, selection) else {
                continue;
            };
            // As `OperationSite::pointer` builds it, for the problems found before there is a site.
            let op_pointer = pointer_join(&pointer_join("/paths", path), method_key);
            let Some(method) = method else {
                errors.push(
                    Diagnostic::new(
                        &doc.file,
                        &op_pointer,
                        format!("method `{method_key}` is not supported"),
                    )
                    .operation(op.operation_id.as_deref())
                    .expected("get, put, post, delete or patch"),
                );
                continue;
            };
            let id = match &op.operation_id {
                Some(id) => id.clone(),
                None => {
                    let id = unique(derive_operation_id(method, path), &mut taken_ids);
                    warnings.push(
                        Diagnostic::new(
                            &doc.file,
                            &op_pointer,
                            format!(
                                "{} {path} has no operationId; it is named `{id}`, from the method and path",
                                method_key.to_uppercase()
                            ),
                        )
                        .warning(),
                    );
                    id
                }
            };
            sites.push(OperationSite {
                doc,
                path,
                method,
                method_key,
                op,
                path_item: item,
                tag,
                server_prefix,
                id,
            });
        }
    }
    sites
}

fn selected_tag<'o>(op: &'o openapiv3::Operation, selection: &TagSelection) -> Option<&'o str> {
    if op.tags.is_empty() {
        return matches!(selection, TagSelection::All).then_some(UNTAGGED);
    }
    op.tags.iter().map(String::as_str).find(|t| selection.includes(t))
}

fn resolve_operation_refs(op: &mut Operation, names: &[String]) {
    for p in &mut op.parameters {
        naming::resolve_ref(&mut p.ty, names);
    }
    if let Some(body) = &mut op.request_body {
        naming::resolve_ref(&mut body.ty, names);
    }
    match &mut op.response.body {
        crate::ir::ResponseBody::Envelope { data } => naming::resolve_ref(data, names),
        crate::ir::ResponseBody::Json { ty } => naming::resolve_ref(ty, names),
        crate::ir::ResponseBody::Binary | crate::ir::ResponseBody::Empty => {}
    }
    if let Some(
        crate::ir::Pagination::Cursor {
            data_items: Some(item), ..
        }
        | crate::ir::Pagination::Offset {
            data_items: Some(item), ..
        },
    ) = &mut op.pagination
    {
        naming::resolve_ref(item, names);
    }
}

/// Derive macros of the standard library, which share their names with traits.
const DERIVE_NAMES: [&str; 8] = ["Clone", "Copy", "Debug", "Eq", "Hash", "Ord", "PartialEq", "PartialOrd"];

/// Method and builder names must be unique within a tag module even when two operationIds
/// differ only in case or punctuation.
fn make_rust_names_unique(ops: &mut [Operation]) {
    let mut fns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut builders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Taken in each tag's module: the tag's own struct, the prelude names its code uses
    // unqualified (an operation `result` must not become a `Result` builder), `New` (a
    // builder's constructor is `new`, which clippy's `self_named_constructors` denies there), and
    // the derive macros builders use (rustdoc cannot tell a link to a `Copy` builder from the
    // derive).
    for op in ops.iter() {
        let taken = builders.entry(op.tag_module.clone()).or_default();
        taken.insert(tag_struct_name(&op.tag));
        taken.extend(
            PRELUDE_NAMES
                .iter()
                .chain(&["New"])
                .chain(&DERIVE_NAMES)
                .map(|n| (*n).to_owned()),
        );
    }
    for op in ops.iter_mut() {
        // The tag struct's constructor is `new`: an operation `new` must not be a second one.
        let f = fns
            .entry(op.tag_module.clone())
            .or_insert_with(|| BTreeSet::from(["new".to_owned()]));
        op.fn_name = unique(std::mem::take(&mut op.fn_name), f);
        let b = builders.entry(op.tag_module.clone()).or_default();
        op.builder_name = unique(std::mem::take(&mut op.builder_name), b);
    }
}

/// The struct holding a tag's operations: the tag in PascalCase (`Stages`), or with `Api` added
/// where that would shadow a prelude name its module uses (`Result`) or be `New` (the struct's
/// constructor is `new`, which clippy's `self_named_constructors` denies).
fn tag_struct_name(tag: &str) -> String {
    let name = pascal_ident(tag, "Api");
    if PRELUDE_NAMES.contains(&name.as_str()) || name == "New" {
        format!("{name}Api")
    } else {
        name
    }
}

/// Names an API version's own module holds besides its tag modules: the `types` module, the
/// `mod.rs` file, and `Api::new` (tag accessors are methods of `Api` named after the module).
const RESERVED_MODULES: [&str; 3] = ["types", "mod", "new"];

/// Longest tag module name before it is made unique. The module is a file, and file systems
/// allow 255 bytes a name; a tag as long as a sentence makes no better module name than its
/// first words.
const MAX_MODULE_LEN: usize = 64;

/// The Rust module of each tag of one API version, unique within it: `Deal Fields` and
/// `DealFields` would both be `deal_fields`, so the tags are taken in sorted order and a later
/// one gets a number (`deal_fields2`), as are tags that would take a reserved name (`types2`).
/// Compared without the raw prefix: the file of module `r#type` is `type.rs`. Names longer than
/// [`MAX_MODULE_LEN`] are cut first.
fn tag_modules(api: &str, ops: &[Operation]) -> BTreeMap<String, String> {
    let names: BTreeSet<&str> = ops.iter().map(|o| o.tag.as_str()).collect();
    // The API version's own name too: a tag `V2` in `v2` would be `v2::v2` (clippy's
    // `module_inception`).
    let mut taken: BTreeSet<String> = RESERVED_MODULES
        .iter()
        .map(|s| (*s).to_owned())
        .chain([unraw(api).to_owned()])
        .collect();
    names
        .into_iter()
        .map(|name| {
            let module = shortened(snake_ident(name, "untagged"));
            let module = if taken.contains(unraw(&module)) {
                unique(unraw(&module).to_owned(), &mut taken)
            } else {
                taken.insert(unraw(&module).to_owned());
                module
            };
            (name.to_owned(), module)
        })
        .collect()
}

/// `module` cut to [`MAX_MODULE_LEN`] bytes, at a character boundary and without a trailing `_`.
fn shortened(module: String) -> String {
    if module.len() <= MAX_MODULE_LEN {
        return module;
    }
    let end = (0..=MAX_MODULE_LEN)
        .rev()
        .find(|&i| module.is_char_boundary(i))
        .unwrap_or(0);
    match module.get(..end).map(|s| s.trim_end_matches('_')) {
        Some(cut) if !cut.is_empty() => cut.to_owned(),
        _ => module,
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
        let holders: Vec<&types::Shape> = shapes.iter().filter(|s| s.sources.contains(at)).collect();
        // A place in an operation of a tag not generated names nothing this run; a place in one
        // that is generated must be a type's.
        let generated = ops.iter().any(|op| at.starts_with(&format!("{}/", op.source)));
        let problem = match holders.as_slice() {
            [] if !generated => None,
            [] => Some(format!(
                "the config names the type at `{at}` `{name}`, but no type is there"
            )),
            [_] if !names.iter().any(|n| n == name) => Some(format!(
                "the config names the type at `{at}` `{name}`, but another type has that name"
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

/// Features the generated crate has besides one per tag: its default, all tags, its TLS backend.
pub const OTHER_FEATURES: [&str; 3] = ["default", "full", "rustls"];

/// Gives each tag its Cargo feature: the tag's name in snake case (`Deal Fields` → `deal_fields`),
/// the same for tags of the same name in different API versions, so `deals` compiles v1's and
/// v2's Deals. Names are taken in sorted order; one that another tag name or a feature of the
/// crate already has is numbered (`deal_fields2`), like tag modules.
pub fn assign_features(tags: &mut [Tag]) {
    let names: BTreeSet<String> = tags.iter().map(|t| t.name.clone()).collect();
    let mut taken: BTreeSet<String> = OTHER_FEATURES.iter().map(|f| (*f).to_owned()).collect();
    let features: BTreeMap<String, String> = names
        .into_iter()
        .map(|name| {
            let feature = shortened(unraw(&snake_ident(&name, "untagged")).to_owned());
            let feature = unique(feature, &mut taken);
            (name, feature)
        })
        .collect();
    for tag in tags {
        if let Some(feature) = features.get(&tag.name) {
            tag.feature.clone_from(feature);
        }
    }
}

fn tags_of(doc: &LoadedDocument, modules: &BTreeMap<String, String>) -> Vec<Tag> {
    modules
        .iter()
        .map(|(name, module)| Tag {
            api: doc.api.clone(),
            name: name.clone(),
            module: module.clone(),
            struct_name: tag_struct_name(name),
            // Chosen once every document's tags are known (`assign_features`).
            feature: String::new(),
            description: doc
                .openapi
                .tags
                .iter()
                .find(|t| &t.name == name)
                .and_then(|t| t.description.as_deref())
                .and_then(html_to_markdown),
        })
        .collect()
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
