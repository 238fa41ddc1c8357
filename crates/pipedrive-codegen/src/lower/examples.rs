//! The success bodies an operation's document gives as examples, for the generated crate's test
//! that each one decodes into the operation's type (`emit::examples`).
//!
//! An example is where OpenAPI puts one: a JSON media type's `example`, the `value` of each of its
//! `examples`, or, when the media type gives neither, its schema's `example`. Every success
//! response counts, not only the one whose schema typed the call: the call decodes each success
//! status's body as that type, so each documented body should decode. Examples are collected in
//! the order lowering decides the type in (status, an explicit one before `2XX`), then by example
//! name, never in the order of the document's keys. A reference that leads nowhere is left out
//! here: what decides the type is reported by lowering the body, and an example is test data, not
//! a reason to stop a run.

use openapiv3::MediaType;

use super::media::{is_json, preferred_media_type};
use super::operation::OperationSite;
use super::response::success_responses;
use crate::error::pointer_join;
use crate::ir::ResponseExample;

/// Every documented success example of the operation at `site`.
pub(super) fn documented_examples(site: &OperationSite<'_>) -> Vec<ResponseExample> {
    let responses_pointer = pointer_join(&site.pointer(), "responses");
    let mut found = Vec::new();
    for (status, _, key, response) in success_responses(site.op) {
        let pointer = pointer_join(&responses_pointer, key);
        let Ok(response) = site.component(response, &pointer, "responses", "a response", |c| &c.responses) else {
            continue;
        };
        if let Some((mime, media)) = preferred_media_type(&response.content, is_json) {
            let media_pointer = pointer_join(&pointer_join(&pointer, "content"), mime);
            for (at, body) in media_examples(site, media, &media_pointer) {
                found.push(ResponseExample {
                    status,
                    source: format!("{}#{at}", site.doc.file),
                    body: body.clone(),
                });
            }
        }
    }
    found
}

/// A media type's examples, each with its JSON pointer: `example`, then `examples` by name,
/// else the schema's `example`.
fn media_examples<'d>(
    site: &OperationSite<'d>,
    media: &'d MediaType,
    pointer: &str,
) -> Vec<(String, &'d serde_json::Value)> {
    let mut found = Vec::new();
    if let Some(example) = &media.example {
        found.push((pointer_join(pointer, "example"), example));
    }
    let mut named: Vec<_> = media.examples.iter().collect();
    named.sort_by_key(|(name, _)| *name);
    for (name, example) in named {
        let at = pointer_join(&pointer_join(pointer, "examples"), name);
        let Ok(example) = site.component(example, &at, "examples", "an example", |c| &c.examples) else {
            continue;
        };
        // An `externalValue` is a URL: the generator reads no network.
        if let Some(value) = &example.value {
            found.push((pointer_join(&at, "value"), value));
        }
    }
    if found.is_empty() {
        let at = pointer_join(pointer, "schema");
        let schema = media
            .schema
            .as_ref()
            .and_then(|schema| site.component(schema, &at, "schemas", "a schema", |c| &c.schemas).ok());
        if let Some(example) = schema.and_then(|schema| schema.schema_data.example.as_ref()) {
            found.push((pointer_join(&at, "example"), example));
        }
    }
    found
}
