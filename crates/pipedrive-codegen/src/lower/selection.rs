//! Which operations of a document are generated: those of the selected tags, served by the
//! document's own server (its first `servers` entry, whose path becomes every operation's
//! prefix), each with the place (`OperationSite`) lowering reads it from.

use std::collections::BTreeSet;

use openapiv3::ReferenceOr;

use super::UNTAGGED;
use super::operation::{OperationSite, derive_operation_id};
use crate::config::TagSelection;
use crate::error::{Diagnostic, pointer_join};
use crate::ident::unique;
use crate::ir::HttpMethod;
use crate::load::LoadedDocument;

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
pub(super) fn on_the_documents_server<'d>(
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
pub(super) fn operation_sites<'d>(
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

pub(super) fn selected_tag<'o>(op: &'o openapiv3::Operation, selection: &TagSelection) -> Option<&'o str> {
    if op.tags.is_empty() {
        return matches!(selection, TagSelection::All).then_some(UNTAGGED);
    }
    op.tags.iter().map(String::as_str).find(|t| selection.includes(t))
}
