//! `#[deprecated]` attributes and doc bullets for deprecated operations.
//!
//! Pipedrive names a replacement as an HTTP route (`GET /api/v2/stages`). When lowering found that
//! route among the generated operations, the note also gives the Rust call to make instead and the
//! docs link to its builder; when the route's tag is not generated, they say so, so nobody looks
//! for it in this crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::inputs::takes_arguments;
use crate::ident::unraw;
use crate::ir::{Api, Deprecation, Operation, ReplacementTarget};
use crate::markdown::code_span;

/// `#[deprecated(note = "...")]` for a deprecated operation's method and builder.
pub(super) fn deprecated_attr(api: &Api, op: &Operation) -> TokenStream {
    let Some(d) = &op.deprecation else {
        return quote!();
    };
    let note = match in_crate(api, d) {
        Some(InCrate::Generated { call, .. }) => format!("{}: `{call}`", d.note),
        Some(InCrate::NotGenerated { tag }) => format!("{}{}", d.note, not_generated(&format!("`{tag}`"))),
        None => d.note.clone(),
    };
    quote!(#[deprecated(note = #note)])
}

/// `#[allow(deprecated)]` for generated code that has to name a deprecated item.
pub(super) fn allow_deprecated(op: &Operation) -> TokenStream {
    if op.deprecation.is_some() {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

/// The builder's doc bullet: `- **Deprecated** by Pipedrive: use ... instead`, and where that is.
pub(super) fn doc_bullet(api: &Api, op: &Operation) -> Option<String> {
    let d = op.deprecation.as_ref()?;
    let Some(replacement) = &d.replacement else {
        return Some("- **Deprecated** by Pipedrive".to_owned());
    };
    // Quoted as code spans: the replacement and the tag are the documents' text.
    let instead = format!("- **Deprecated** by Pipedrive: use {} instead", code_span(replacement));
    Some(match in_crate(api, d) {
        Some(InCrate::Generated { call, builder_path }) => format!("{instead}: [`{call}`]({builder_path})"),
        Some(InCrate::NotGenerated { tag }) => format!("{instead}{}", not_generated(&code_span(&tag))),
        None => instead,
    })
}

/// `tag` as it reads where it goes: plain in a `#[deprecated]` note, a code span in the docs.
fn not_generated(tag: &str) -> String {
    format!(" (not in this crate: its tag {tag} is not generated)")
}

enum InCrate {
    /// `client.v2().stages().get_stages()` and `crate::v2::stages::GetStages`.
    Generated {
        call: String,
        builder_path: String,
    },
    NotGenerated {
        tag: String,
    },
}

fn in_crate(api: &Api, d: &Deprecation) -> Option<InCrate> {
    match d.replacement_target.as_ref()? {
        ReplacementTarget::Generated {
            api: version,
            operation_id,
        } => {
            let target = api
                .operations
                .iter()
                .find(|o| &o.api == version && &o.id == operation_id)?;
            let arguments = if takes_arguments(api, target) { ".." } else { "" };
            Some(InCrate::Generated {
                call: format!(
                    "client.{}().{}().{}({arguments})",
                    target.api, target.tag_module, target.fn_name
                ),
                // Rustdoc reads `r#` in a link as a fragment; it resolves `crate::v2::type::X`.
                builder_path: format!(
                    "crate::{}::{}::{}",
                    unraw(&target.api),
                    unraw(&target.tag_module),
                    unraw(&target.builder_name)
                ),
            })
        }
        ReplacementTarget::NotGenerated { tag } => Some(InCrate::NotGenerated { tag: tag.clone() }),
    }
}
