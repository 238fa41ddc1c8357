//! The emitted crate's root, `src/lib.rs`: its documentation (the APIs and their tags, the
//! Cargo feature of each tag, an example), the guard that names the features when none is on,
//! the runtime's re-exports and the `Client` with one accessor per API version.

use proc_macro2::TokenStream;
use quote::quote;

use super::CrateSpec;
use super::features;
use super::tokens::{doc_lines, inner_doc_lines};
use crate::ident::{to_ident, unraw};
use crate::ir::{Api, Document};
use crate::markdown::plain_text_to_markdown;

/// The documents that have operations of the selected tags. One without any (a tag only v1 has,
/// say) gets no module: an empty `v2::Api` would be a type with nothing to call.
pub(super) fn generated_documents(api: &Api) -> impl Iterator<Item = &Document> {
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

pub(super) fn emit_lib(api: &Api, spec: &CrateSpec) -> TokenStream {
    let doc = root_doc(api, spec);
    let none_enabled = no_feature_guard(api, spec);
    let modules = generated_documents(api).map(|d| {
        let m = to_ident(&d.api);
        let cfg = features::cfg_attr(features::api_features(api, &d.api));
        quote!(#cfg pub mod #m;)
    });
    let client = client_struct(api);
    let user_agent = format!("{}/", spec.name);
    quote! {
        #doc
        // docs.rs builds with `--cfg docsrs` (Cargo.toml) on nightly: each item's page then says
        // which feature it needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]

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

        #client
    }
}

/// The crate's documentation: the APIs and their tags, an example, the features, TLS.
fn root_doc(api: &Api, spec: &CrateSpec) -> TokenStream {
    let crate_name = to_ident(&spec.name.replace('-', "_"));
    inner_doc_lines(&format!(
        "Typed client for the Pipedrive API, generated from Pipedrive's OpenAPI documents by\n\
         `cargo xtask codegen`.\n\n\
         {summary}\n\n\
         Every request is a builder: required parameters up front, optional ones as setters, then\n\
         `send()` (or `.await` the builder). List operations also have `stream()` (every item, page\n\
         by page) and `pages()`. Retries, pacing to the rate limits, authentication, errors and\n\
         `tracing` logs are handled by [`runtime`].\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), {crate_name}::Error> {{\n\
         use {crate_name}::{{Auth, Client, Config}};\n\n\
         let client = Client::new(Config::new(Auth::api_token(\"your-api-token\")))?;\n\
         {example}\n\
         # Ok(())\n\
         # }}\n\
         ```\n\n\
         {features}\n\n\
         TLS comes from the `rustls` feature, on by default. With `default-features = false` the\n\
         crate brings no TLS backend: enable one on `reqwest` in your application (the client this\n\
         crate builds picks it up) or pass your own client with [`Config::http_client`].",
        summary = api_summary(api),
        example = super::package::example_call(api, ""),
        features = features_table(api),
    ))
}

/// The Cargo features, one per tag, as a table: each with the modules it compiles and how many
/// operations they hold. Plain text, not links: a link to a module of a feature that is off
/// would not resolve.
fn features_table(api: &Api) -> String {
    let rows: Vec<String> = features::tags_by_feature(api)
        .into_iter()
        .map(|(feature, tags)| {
            let modules: Vec<String> = tags
                .iter()
                .map(|(t, count)| format!("`{}::{}` ({count})", t.api, unraw(&t.module)))
                .collect();
            format!("| `{feature}` | {} |", modules.join(", "))
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "# Features\n\n\
         One Cargo feature per tag compiles that tag's operations, in every API version, and the\n\
         types they use; `full` (on by default) is all of them. An application that calls a few\n\
         tags builds faster with `default-features = false, features = [\"rustls\", \"deals\", ...]`.\n\n\
         | feature | modules (operations) |\n\
         |---|---|\n\
         {}",
        rows.join("\n")
    )
}

/// With no tag's feature on, the crate would be empty: a compile error names the features.
fn no_feature_guard(api: &Api, spec: &CrateSpec) -> Option<TokenStream> {
    let all = features::all_features(api);
    if all.is_empty() {
        return None;
    }
    let message = format!(
        "{name}: no API feature is enabled, so there is nothing to call. Enable the tags your code calls \
         (`default-features = false, features = [\"rustls\", \"deals\", ...]`), or `full` for all of them \
         (the default). The features are listed in the crate's documentation.",
        name = spec.name
    );
    let any: Vec<&str> = all.iter().copied().collect();
    Some(quote! {
        #[cfg(not(any(#(feature = #any),*)))]
        compile_error!(#message);
    })
}

/// `Client`: its constructors, the runtime underneath, and one accessor per API version.
fn client_struct(api: &Api) -> TokenStream {
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
    quote! {
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
