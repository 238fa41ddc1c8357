//! Lowering one operation: parameters, request body, success response, pagination style,
//! token cost, OAuth scopes and deprecation.
//!
//! Schemas go through the document's [`TypeCollector`]; what is specific to operations (path
//! template checks, parameter styles, which `maximum` is worth checking, Pipedrive's response
//! envelope, its two pagination styles) is decided here. Where a document offers several success
//! responses or media types, the choice follows fixed rules, never the order of its keys.

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use super::components;
use super::parameters::{check_path_template, lower_parameters};
use super::quirks;
use super::request_body::lower_request_body;
use super::response::{detect_pagination, lower_response};
use super::types::TypeCollector;
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_ident, pascal_words, snake_ident};
use crate::ir::{Deprecation, HttpMethod, Operation, ReplacementSource};
use crate::load::LoadedDocument;
use crate::markdown::html_to_markdown;

/// An operation as found in a document, before lowering.
#[derive(Debug, Clone)]
pub struct OperationSite<'d> {
    pub doc: &'d LoadedDocument,
    pub path: &'d str,
    pub method: HttpMethod,
    pub method_key: &'static str,
    pub op: &'d openapiv3::Operation,
    /// The path item the operation is in (its parameters and `servers`).
    pub path_item: &'d openapiv3::PathItem,
    pub tag: &'d str,
    pub server_prefix: &'d str,
    /// operationId, or a name derived from method and path when the document has none.
    pub id: String,
}

impl<'d> OperationSite<'d> {
    pub fn pointer(&self) -> String {
        pointer_join(&pointer_join("/paths", self.path), self.method_key)
    }

    pub(super) fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.doc.file, pointer, message).operation(Some(&self.id))
    }

    /// `value` (at `pointer`) followed through `#/components/<section>/` to what it names, `what`
    /// (see [`components::follow`]); `of` picks that section out of the document's components.
    pub(super) fn component<T>(
        &self,
        value: &'d ReferenceOr<T>,
        pointer: &str,
        section: &str,
        what: &str,
        of: impl Fn(&'d openapiv3::Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'d T, Diagnostic> {
        let components = self.doc.openapi.components.as_ref();
        components::follow(value, section, |name| of(components?).get(name)).map_err(|found| {
            self.error(pointer, found).expected(format!(
                "`#/components/{section}/<name>`, or a chain of them that ends at {what}"
            ))
        })
    }
}

/// Derives a name for an operation without operationId: `GET /stages/{id}/deals` → `getStagesIdDeals`.
pub fn derive_operation_id(method: HttpMethod, path: &str) -> String {
    let words: String = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| pascal_words(s.trim_matches(|c| c == '{' || c == '}')))
        .collect();
    format!("{}{words}", method.as_str().to_ascii_lowercase())
}

pub fn lower_operation<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Operation, Diagnostic> {
    let op = site.op;
    let op_pointer = site.pointer();
    let builder_name = pascal_ident(&site.id, "Operation");

    let parameters = lower_parameters(site, types, &builder_name, warnings)?;
    check_path_template(site, &parameters)?;
    let request_body = match &op.request_body {
        Some(body) => Some(lower_request_body(site, types, body, &builder_name, warnings)?),
        None => None,
    };
    let response = lower_response(site, types, &builder_name, warnings)?;
    let pagination = detect_pagination(&parameters, &response, types);

    let description = op.description.as_deref().and_then(html_to_markdown);
    let deprecation = op.deprecated.then(|| {
        let replacement = op.description.as_deref().and_then(quirks::replacement_from_description);
        Deprecation {
            note: String::new(),
            replacement_source: replacement.as_ref().map(|_| ReplacementSource::Description),
            replacement,
            replacement_target: None,
        }
    });

    Ok(Operation {
        id: site.id.clone(),
        api: site.doc.api.clone(),
        tag: site.tag.to_owned(),
        tag_module: snake_ident(site.tag, "untagged"),
        fn_name: snake_ident(&site.id, "operation"),
        builder_name,
        method: site.method,
        path: site.path.to_owned(),
        full_path: format!("{}{}", site.server_prefix, site.path),
        // A summary is plain text; the docs it goes into are Markdown.
        summary: op
            .summary
            .as_deref()
            .map(crate::markdown::plain_lines_to_markdown)
            .filter(|s| !s.is_empty()),
        description,
        parameters,
        request_body,
        response,
        pagination,
        token_cost: token_cost(site, &op_pointer, warnings),
        oauth_scopes: oauth_scopes(site),
        deprecation,
        source: format!("{}#{op_pointer}", site.doc.file),
        builder: None,
    })
}

/// Reads `x-token-cost`; a value that is not a small non-negative integer is left out.
pub fn token_cost(site: &OperationSite<'_>, op_pointer: &str, warnings: &mut Vec<Diagnostic>) -> Option<u32> {
    let value = site.op.extensions.get("x-token-cost")?;
    match value.as_u64().and_then(|v| u32::try_from(v).ok()) {
        Some(cost) => Some(cost),
        None => {
            warnings.push(
                site.error(
                    &pointer_join(op_pointer, "x-token-cost"),
                    format!("`x-token-cost` is {value}"),
                )
                .expected(format!("a non-negative integer of at most {}", u32::MAX))
                .warning(),
            );
            None
        }
    }
}

fn oauth_scopes(site: &OperationSite<'_>) -> Vec<String> {
    let requirements = site.op.security.as_ref().or(site.doc.openapi.security.as_ref());
    let mut scopes: Vec<String> = Vec::new();
    for requirement in requirements.into_iter().flatten() {
        for scope in requirement.get("oauth2").into_iter().flatten() {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
    }
    scopes
}
