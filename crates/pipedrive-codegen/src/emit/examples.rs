//! Emits the generated crate's test that every documented success example decodes:
//! `tests/documented_examples.json` (the examples, one a line) and
//! `tests/documented_examples.rs` (the test).
//!
//! The test decodes each example with the runtime's `decode_body`, the decoding `send()` runs
//! once an answer has arrived, into the type of the operation's builder; it fails listing every
//! example that does not decode (API, operationId, status, JSON path, error and where the
//! document gives the example), except the known mismatches of the reviewed table, and it fails
//! for an entry of that table that no longer fails. The examples live in the test's folder only:
//! `include_str!` puts them in the test binary, never in the library.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::json;

use super::format::PREAMBLE;
use super::tokens::inner_doc_lines;
use super::{Content, EmittedFile};
use crate::ident::to_ident;
use crate::ir::Api;
use crate::mismatches::ExampleMismatch;

/// The examples' file and the test's, inside the crate.
const DATA_PATH: &str = "tests/documented_examples.json";
const TEST_PATH: &str = "tests/documented_examples.rs";

/// The two files, or none when no generated operation documents an example. `table` is the
/// known mismatches' file as the config names it.
pub fn emit_examples(api: &Api, crate_name: &str, known: &[&ExampleMismatch], table: Option<&str>) -> Vec<EmittedFile> {
    let documented: Vec<_> = api
        .operations
        .iter()
        .filter(|op| !op.response.examples.is_empty())
        .collect();
    if documented.is_empty() {
        return Vec::new();
    }
    // One example a line, what it is before its body (a JSON object built with `json!` would
    // sort its keys): a spec update's diff shows which examples changed.
    let lines: Vec<String> = documented
        .iter()
        .flat_map(|op| {
            op.response.examples.iter().map(|example| {
                format!(
                    "{{\"api\":{},\"operation\":{},\"status\":{},\"source\":{},\"body\":{}}}",
                    json!(op.api),
                    json!(op.id),
                    example.status,
                    json!(example.source),
                    example.body
                )
            })
        })
        .collect();
    let data = format!(
        "{{\n\"_generated\": {},\n\"examples\": [\n{}\n]\n}}\n",
        json!(PREAMBLE),
        lines.join(",\n")
    );
    let krate = to_ident(&crate_name.replace('-', "_"));
    let decoders = documented.iter().map(|op| {
        let (version, module, builder) = (to_ident(&op.api), to_ident(&op.tag_module), to_ident(&op.builder_name));
        quote!(decoder::<#krate::#version::#module::#builder>())
    });
    let known = known.iter().map(|entry| {
        let ExampleMismatch {
            api,
            operation,
            status,
            path,
            reason,
        } = entry;
        quote!(Known { api: #api, operation: #operation, status: #status, path: #path, reason: #reason })
    });
    let table = table.map_or_else(
        || "no table: the config names no `example_mismatches`".to_owned(),
        |file| format!("`{file}`, beside the documents"),
    );
    vec![
        EmittedFile {
            path: DATA_PATH.to_owned(),
            content: Content::Text(data),
        },
        EmittedFile {
            path: TEST_PATH.to_owned(),
            content: Content::Rust(test_file(&krate, decoders.collect(), known.collect(), &table)),
        },
    ]
}

/// The test file: what the test reads and the known mismatches; the test itself comes from
/// [`decoding_test`].
fn test_file(
    krate: &proc_macro2::Ident,
    decoders: Vec<TokenStream>,
    known: Vec<TokenStream>,
    table: &str,
) -> TokenStream {
    let doc = inner_doc_lines(&format!(
        "Every success example Pipedrive's documents give decodes into its operation's generated \
         type, through `decode_body`: the decoding `send()` runs on the same answer.\n\n\
         The examples are in `documented_examples.json`, beside this file. An example that \
         contradicts its own schema is a known mismatch, listed with the reason in the reviewed \
         table ({table}) and below; the test also fails when a listed mismatch no longer \
         happens. Any other failure is a generator or runtime bug, or an example to review and \
         list. It needs every tag (`full`), and checks deprecated operations too."
    ));
    let message = format!("the table of known mismatches ({table})");
    let decoding = decoding_test(decoders);
    quote! {
        #doc

        #![cfg(feature = "full")]
        #![allow(deprecated)]

        use std::collections::BTreeMap;
        use std::fmt::Write as _;

        use #krate::runtime::{Endpoint, decode_body};
        use serde_json::Value;

        /// Decodes a body as one operation's answer.
        type Decoder = fn(&[u8]) -> Result<(), #krate::Error>;

        fn decode<B: Endpoint>(body: &[u8]) -> Result<(), #krate::Error> {
            decode_body::<B>(body).map(drop)
        }

        /// An operation's API version and operationId, and how its answer decodes.
        fn decoder<B: Endpoint>() -> ((&'static str, &'static str), Decoder) {
            let operation = B::operation();
            ((operation.api, operation.id), decode::<B> as Decoder)
        }

        /// A failure the document's example causes, not the generated types.
        struct Known {
            api: &'static str,
            operation: &'static str,
            status: u16,
            path: &'static str,
            reason: &'static str,
        }

        impl Known {
            fn matches(&self, (api, operation, status, path, _): &Failure) -> bool {
                (self.api, self.operation, self.status, self.path) == (api.as_str(), operation.as_str(), *status, path.as_str())
            }
        }

        const KNOWN_MISMATCHES: &[Known] = &[#(#known),*];

        /// Where the known mismatches are reviewed.
        const TABLE: &str = #message;

        #decoding
    }
}

/// The test proper, and the decoding it runs: one decoder per operation with examples.
fn decoding_test(decoders: Vec<TokenStream>) -> TokenStream {
    quote! {
        /// An example that did not decode: API, operationId, status, JSON path, and the report line.
        type Failure = (String, String, u16, String, String);

        /// Decodes every example; returns how many decoded, and the failures.
        fn decode_examples() -> (usize, Vec<Failure>) {
            let decoders: BTreeMap<_, Decoder> = [#(#decoders),*].into_iter().collect();
            let data: Value = serde_json::from_str(include_str!("documented_examples.json"))
                .expect("documented_examples.json is JSON");
            let examples = data["examples"].as_array().expect("documented_examples.json lists examples");
            let (mut decoded, mut failures) = (0, Vec::new());
            for example in examples {
                let text = |key: &str| example[key].as_str().unwrap_or_default().to_owned();
                let (api, operation, source) = (text("api"), text("operation"), text("source"));
                let status = example["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or_default();
                let decoder = decoders.get(&(api.as_str(), operation.as_str()));
                let decoder = decoder.unwrap_or_else(|| panic!("{api} {operation}: no operation decodes its example"));
                let body = serde_json::to_vec(&example["body"]).expect("a JSON value serializes");
                match decoder(&body) {
                    Ok(()) => decoded += 1,
                    Err(err) => {
                        let path = err.decode_path().unwrap_or(".").to_owned();
                        let line = format!("{api} {operation} {status} at `{path}`: {err}\n    example: {source}");
                        failures.push((api, operation, status, path, line));
                    }
                }
            }
            (decoded, failures)
        }

        #[test]
        fn every_documented_example_decodes() {
            let (decoded, failures) = decode_examples();
            let mut report = String::new();
            for failure in failures.iter().filter(|failure| !KNOWN_MISMATCHES.iter().any(|known| known.matches(failure))) {
                let _ = writeln!(report, "{}", failure.4);
            }
            for known in KNOWN_MISMATCHES {
                if !failures.iter().any(|failure| known.matches(failure)) {
                    let _ = writeln!(
                        report,
                        "{} {} {} at `{}` is in {TABLE} but no longer fails there: remove or update the entry (its reason: {})",
                        known.api, known.operation, known.status, known.path, known.reason
                    );
                }
            }
            assert!(decoded > 0, "no documented example decoded");
            assert!(
                report.is_empty(),
                "{decoded} of {} documented examples decode; not explained by {TABLE}:\n{report}",
                decoded + failures.len()
            );
            println!(
                "{decoded} of {} documented examples decode; {} known mismatches",
                decoded + failures.len(),
                failures.len()
            );
        }
    }
}
