//! Emit: turn the IR into the files of the client crate.
//!
//! Layout of the emitted crate: `src/lib.rs` (the `Client` and re-exports), one module per API
//! version (`src/v2/mod.rs`), in it one module per tag (`src/v2/stages.rs`) and one `types`
//! module (`src/v2/types.rs`). Rust files are built with `quote!`, parsed with `syn` and printed by
//! prettyplease, then given a one-line preamble (`format`).

mod builder;
mod checks;
mod crate_root;
mod deprecation;
pub mod examples;
mod features;
mod format;
mod inline;
mod inputs;
pub(crate) mod lints;
mod package;
mod paging;
mod request;
mod tag_module;
mod tokens;
pub(crate) mod types;
mod usage;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
pub use crate::ident::TAKEN_AT_CRATE_ROOT;
use crate::ident::{to_ident, unraw};
use crate::ir::{Api, BodyEncoding, Document};
use crate::markdown::plain_text_to_markdown;
pub use format::{PREAMBLE, reformat};
use tokens::{doc_lines, inner_doc_lines};

/// What the emitted crate is called and what it depends on.
#[derive(Debug, Clone)]
pub struct CrateSpec {
    pub name: String,
    pub version: String,
    /// Path from the emitted crate to the runtime crate (`../../crates/pipedrive-runtime`).
    pub runtime_path: String,
    pub runtime_version: String,
    /// Whether `cargo publish` may publish it (`publish:` in the config; a test fixture's crate
    /// may not).
    pub publish: bool,
}

/// One emitted file: its path inside the crate (`/`-separated) and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// One file before formatting: Rust as tokens, anything else as text.
#[derive(Debug)]
pub struct EmittedFile {
    pub path: String,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    Rust(TokenStream),
    Text(String),
}

/// Emits every file of the crate and formats it.
pub fn emit_crate(api: &Api, spec: &CrateSpec) -> Result<Vec<GeneratedFile>, Error> {
    format_files(emit_files(api, spec))
}

/// Formats emitted files (prettyplease for Rust, as is for text), keeping their order.
pub fn format_files(files: Vec<EmittedFile>) -> Result<Vec<GeneratedFile>, Error> {
    files
        .into_iter()
        .map(|file| {
            let contents = match file.content {
                Content::Rust(tokens) => reformat(&file.path, tokens)?,
                Content::Text(text) => text,
            };
            Ok(GeneratedFile {
                path: file.path,
                contents,
            })
        })
        .collect()
}

/// Emits every file of the crate as tokens or text, in a fixed order.
pub fn emit_files(api: &Api, spec: &CrateSpec) -> Vec<EmittedFile> {
    let text = |path: &str, text: String| EmittedFile {
        path: path.to_owned(),
        content: Content::Text(text),
    };
    let rust = |path: String, tokens: TokenStream| EmittedFile {
        path,
        content: Content::Rust(tokens),
    };
    let mut files = vec![
        text("Cargo.toml", package::cargo_toml(api, spec)),
        text("README.md", package::readme(api, spec)),
        // The files are formatted by prettyplease; `cargo fmt` must not rewrite them, or the
        // staleness check would fail after every format run.
        text("rustfmt.toml", format!("# {PREAMBLE}\ndisable_all_formatting = true\n")),
    ];
    files.push(rust("src/lib.rs".into(), crate_root::emit_lib(api, spec)));
    for doc in crate_root::generated_documents(api) {
        files.push(rust(format!("src/{}/mod.rs", doc.api), emit_api_module(api, doc)));
        let types: Vec<_> = api.types.iter().filter(|t| t.api == doc.api).collect();
        let multipart: BTreeSet<String> = api
            .operations
            .iter()
            .filter(|o| o.api == doc.api)
            .filter_map(|o| o.request_body.as_ref())
            .filter(|b| b.encoding == BodyEncoding::Multipart)
            .filter_map(|b| {
                if let crate::ir::TypeRef::Named(name) = &b.ty {
                    Some(name.clone())
                } else {
                    None
                }
            })
            .collect();
        files.push(rust(
            format!("src/{}/types.rs", doc.api),
            types::emit_types_module(
                &doc.api,
                &plain_text_to_markdown(&doc.title),
                &types,
                &multipart,
                &usage::type_summaries(api, &doc.api),
                &features::type_features(api, &doc.api),
            ),
        ));
        for tag in api.tags.iter().filter(|t| t.api == doc.api) {
            let ops: Vec<_> = api
                .operations
                .iter()
                .filter(|o| o.api == doc.api && o.tag == tag.name)
                .collect();
            files.push(rust(
                // rustc looks for the file of `pub mod r#type;` at `type.rs`.
                format!("src/{}/{}.rs", doc.api, unraw(&tag.module)),
                tag_module::emit_tag_module(api, doc, tag, &ops),
            ));
        }
    }
    files
}

fn emit_api_module(api: &Api, doc: &Document) -> TokenStream {
    let module_doc = inner_doc_lines(&format!(
        "{} ({}): operations under `{}`, grouped by tag, and their types.\n\nGenerated from `{}`.",
        plain_text_to_markdown(&doc.title),
        plain_text_to_markdown(&doc.version),
        doc.server_prefix,
        doc.file
    ));
    let tags: Vec<_> = api.tags.iter().filter(|t| t.api == doc.api).collect();
    let mods = tags.iter().map(|t| {
        let m = to_ident(&t.module);
        let feature = &t.feature;
        quote!(#[cfg(feature = #feature)] pub mod #m;)
    });
    let accessors = tags.iter().map(|t| {
        let m = to_ident(&t.module);
        let s = to_ident(&t.struct_name);
        let d = doc_lines(&format!(
            "{} operations (feature `{}`).",
            plain_text_to_markdown(&t.name),
            t.feature
        ));
        let feature = &t.feature;
        quote! {
            #d
            #[cfg(feature = #feature)]
            pub fn #m(&self) -> #m::#s {
                #m::#s::new(self.client.clone())
            }
        }
    });
    let api_doc = doc_lines(&format!(
        "Entry point to {}'s operations. Get it with `client.{}()`.",
        plain_text_to_markdown(&doc.title),
        doc.api
    ));
    quote! {
        #module_doc

        #(#mods)*
        pub mod types;

        #api_doc
        #[derive(Debug, Clone)]
        pub struct Api {
            client: ::pipedrive_runtime::Client,
        }

        impl Api {
            pub(crate) fn new(client: ::pipedrive_runtime::Client) -> Self {
                Self { client }
            }

            #(#accessors)*
        }
    }
}
