//! Emit: turn the IR into the files of the client crate.
//!
//! Layout of the emitted crate: `src/lib.rs` (the `Client` and re-exports), one module per API
//! version (`src/v2/mod.rs`), in it one module per tag (`src/v2/stages.rs`) and one `types`
//! module (`src/v2/types.rs`). Rust files are built with `quote!`, parsed with `syn` and printed by
//! prettyplease, then given a one-line preamble (`format`).

mod builder;
mod deprecation;
pub mod examples;
mod features;
mod format;
mod inputs;
pub(crate) mod lints;
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
        text("Cargo.toml", cargo_toml(api, spec)),
        // The files are formatted by prettyplease; `cargo fmt` must not rewrite them, or the
        // staleness check would fail after every format run.
        text("rustfmt.toml", format!("# {PREAMBLE}\ndisable_all_formatting = true\n")),
    ];
    files.push(rust("src/lib.rs".into(), emit_lib(api, spec)));
    for doc in generated_documents(api) {
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

fn cargo_toml(api: &Api, spec: &CrateSpec) -> String {
    let tags = features::all_features(api);
    let full = tags.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ");
    let per_tag: String = tags.iter().map(|f| format!("{f} = []\n")).collect();
    format!(
        r#"# {PREAMBLE}
[package]
name = "{name}"
version = "{version}"
description = "Typed client for the Pipedrive API (v1 and v2), generated from Pipedrive's OpenAPI documents."
edition = "2024"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
publish = false

[dependencies]
pipedrive-runtime = {{ path = "{runtime_path}", version = "{runtime_version}", default-features = false }}
serde = "1"
serde_json = "1"

[features]
# Every tag, and TLS. An application that calls a few tags compiles only those:
# `default-features = false, features = ["rustls", "deals", "persons"]`.
default = ["rustls", "full"]
# TLS for the HTTP client the crate builds: rustls with reqwest's default crypto provider. Leave it
# out to bring your own: a TLS feature of reqwest, or a client passed to `Config::http_client`.
rustls = ["pipedrive-runtime/rustls"]
# Every tag of the API.
full = [{full}]
# One feature per tag: its operations, in every API version, and the types they use.
{per_tag}
[lints.rust]
unsafe_code = "forbid"
missing_docs = "warn"
missing_debug_implementations = "warn"
"#,
        name = spec.name,
        version = spec.version,
        full = full,
        per_tag = per_tag,
        runtime_path = spec.runtime_path,
        runtime_version = spec.runtime_version,
    )
}

/// Names `lib.rs` (below) defines or uses next to the API modules, which are each a module and a
/// `Client` method: the runtime's re-export, `Client`'s own methods, and the crates its code
/// names by path. The config refuses an API named like one of them; keep the two in step here.
pub const TAKEN_AT_CRATE_ROOT: [&str; 10] = [
    "runtime",
    "new",
    "from_runtime",
    "tokens_spent",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "futures",
];

/// The documents that have operations of the selected tags. One without any (a tag only v1 has,
/// say) gets no module: an empty `v2::Api` would be a type with nothing to call.
fn generated_documents(api: &Api) -> impl Iterator<Item = &Document> {
    api.documents
        .iter()
        .filter(|d| api.operations.iter().any(|o| o.api == d.api))
}

fn api_summary(api: &Api) -> String {
    let mut lines = Vec::new();
    for doc in generated_documents(api) {
        let tags: Vec<String> = api
            .tags
            .iter()
            .filter(|t| t.api == doc.api)
            // rustdoc resolves `v2::type`, not `v2::r#type`.
            .map(|t| format!("[`{}::{}`]", doc.api, unraw(&t.module)))
            .collect();
        let count = api.operations.iter().filter(|o| o.api == doc.api).count();
        lines.push(format!(
            "- [`{}`]: {} {} (`{}`), {count} operation{}: {}",
            doc.api,
            plain_text_to_markdown(&doc.title),
            plain_text_to_markdown(&doc.version),
            doc.server_prefix,
            if count == 1 { "" } else { "s" },
            tags.join(", ")
        ));
    }
    lines.join("\n")
}

fn emit_lib(api: &Api, spec: &CrateSpec) -> TokenStream {
    let crate_ident = to_ident(&spec.name.replace('-', "_"));
    // The example calls a list operation of the newest API that needs no arguments, if any: no
    // required parameter and no body (whose required fields would be arguments too).
    let example = api
        .documents
        .iter()
        .rev()
        .find_map(|d| {
            api.operations.iter().find(|o| {
                o.api == d.api
                    // `send()` returns the list itself (not search results holding it).
                    && o.pagination.as_ref().is_some_and(|p| p.data_items().is_none())
                    && o.deprecation.is_none()
                    && o.parameters.iter().all(|p| !p.required)
                    && o.request_body.is_none()
            })
        })
        .map_or_else(
            || "let _ = &client;".to_owned(),
            |o| {
                format!(
                    "let items = client.{}().{}().{}().send().await?;\nprintln!(\"{{}} items\", items.len());",
                    o.api, o.tag_module, o.fn_name
                )
            },
        );
    let doc = inner_doc_lines(&format!(
        "Typed client for the Pipedrive API, generated from Pipedrive's OpenAPI documents by\n\
         `cargo xtask codegen`.\n\n\
         {summary}\n\n\
         Every request is a builder: required parameters up front, optional ones as setters, then\n\
         `send()`. List operations also have `stream()` (every item, page by page) and `pages()`.\n\
         Retries, pacing to the rate limits, authentication, errors and `tracing` logs are handled by\n\
         [`runtime`].\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), {crate_name}::Error> {{\n\
         use {crate_name}::{{Auth, Client, Config}};\n\n\
         let client = Client::new(Config::new(Auth::api_token(\"your-api-token\")))?;\n\
         {example}\n\
         # Ok(())\n\
         # }}\n\
         ```\n\n\
         TLS comes from the `rustls` feature, on by default. With `default-features = false` the\n\
         crate brings no TLS backend: enable one on `reqwest` in your application (the client this\n\
         crate builds picks it up) or pass your own client with [`Config::http_client`].",
        summary = api_summary(api),
        crate_name = crate_ident,
    ));
    let modules = generated_documents(api).map(|d| {
        let m = to_ident(&d.api);
        let cfg = features::cfg_attr(features::api_features(api, &d.api));
        quote!(#cfg pub mod #m;)
    });
    let accessors = generated_documents(api).map(|d| {
        let m = to_ident(&d.api);
        let cfg = features::cfg_attr(features::api_features(api, &d.api));
        let adoc = doc_lines(&format!(
            "Operations of {} (`{}`).",
            plain_text_to_markdown(&d.title),
            d.server_prefix
        ));
        quote! {
            #adoc
            #cfg
            pub fn #m(&self) -> #m::Api {
                #m::Api::new(self.runtime.clone())
            }
        }
    });
    let user_agent = format!("{}/", spec.name);
    let all = features::all_features(api);
    let none_enabled = features::cfg_attr(all.iter().copied());
    let none_enabled = (!none_enabled.is_empty()).then(|| {
        let message = format!(
            "{name}: no API feature is enabled, so there is nothing to call. Enable the tags your code calls \
             (`default-features = false, features = [\"rustls\", \"deals\", ...]`), or `full` for all of them \
             (the default). The features are listed in the crate's documentation.",
            name = spec.name
        );
        let any: Vec<&str> = all.iter().copied().collect();
        quote! {
            #[cfg(not(any(#(feature = #any),*)))]
            compile_error!(#message);
        }
    });
    quote! {
        #doc

        #none_enabled

        pub use ::pipedrive_runtime as runtime;
        pub use ::pipedrive_runtime::{
            ApiResponse, Auth, Config, DataFuture, Date, DateTime, Error, ErrorKind, Items, OAuthApp, OAuthTokens, Pages,
            RateLimit, RefreshError, ResponseFuture, ResponseMeta, Result, RetryPolicy,
        };

        #(#modules)*

        /// This crate's part of the `User-Agent`: its name and version. Your application's
        /// [`Config::user_agent`] comes first, the runtime's last.
        pub const CLIENT_LIBRARY: &str = ::std::concat!(#user_agent, ::std::env!("CARGO_PKG_VERSION"));

        /// A Pipedrive client. Cheap to clone: clones share one connection pool, one token
        /// refresher and one count of tokens spent.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: runtime::Client,
        }

        impl Client {
            /// Builds a client from a [`Config`] (token, base URL, timeouts, retries).
            pub fn new(config: Config) -> ::std::result::Result<Self, Error> {
                let runtime = runtime::Client::new(config.client_library(CLIENT_LIBRARY))?;
                ::std::result::Result::Ok(Self { runtime })
            }

            /// Wraps an existing runtime client.
            pub fn from_runtime(runtime: runtime::Client) -> Self {
                Self { runtime }
            }

            /// The runtime client underneath, for what the generated API does not cover.
            pub fn runtime(&self) -> &runtime::Client {
                &self.runtime
            }

            /// Rate-limit tokens spent so far by this client and its clones: each attempt the server
            /// answered adds its operation's `x-token-cost`, so retries and each page of a stream
            /// count too.
            pub fn tokens_spent(&self) -> u64 {
                self.runtime.tokens_spent()
            }

            #(#accessors)*
        }
    }
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
