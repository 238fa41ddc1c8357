//! The generated crate as a package: its `Cargo.toml` (what crates.io and docs.rs read) and its
//! `README.md` (what a user reads first: what the crate is, how to add it, an example, the
//! features, and how to test code that calls it).
//!
//! Both are written from the IR so they say what this generation holds: the example calls an
//! operation that exists, the feature table lists every tag's feature. The runtime's version in
//! the dependency comes from [`CrateSpec`], which `cargo xtask` reads from the runtime's own
//! manifest, so the two crates are published in step.

use super::crate_root::generated_documents;
use super::{CrateSpec, PREAMBLE, features};
use crate::ir::{Api, Operation, ResponseBody, Scalar, Trait, TypeKind, TypeRef};
use crate::surface;

/// Where the code lives; the runtime's manifest names the same place (a placeholder until the
/// team confirms it, like the runtime's).
pub const REPOSITORY: &str = "https://github.com/pipedrive-rs/pipedrive-rs";

/// The crate's `Cargo.toml`: package metadata for crates.io and docs.rs, the runtime dependency
/// (path for this repository, version for crates.io), and one feature per tag.
pub(super) fn cargo_toml(api: &Api, spec: &CrateSpec) -> String {
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
repository = "{REPOSITORY}"
readme = "README.md"
keywords = ["pipedrive", "crm", "api", "client", "openapi"]
categories = ["api-bindings", "web-programming::http-client"]
# `api.json` is the generator's record of this generation (the next one compares against it);
# code using the crate has no use for its 2 MB.
exclude = ["api.json", "rustfmt.toml"]
publish = {publish}

[package.metadata.docs.rs]
# Every tag and TLS, each item marked with the feature it needs (`doc_cfg`, nightly on docs.rs).
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

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
        runtime_path = spec.runtime_path,
        runtime_version = spec.runtime_version,
        publish = spec.publish,
    )
}

/// The operation the crate's examples call: a list operation of the newest API that needs no
/// arguments (no required parameter, no body, whose required fields would be arguments too),
/// whose `send()` returns the list itself (not search results holding it).
pub(super) fn list_example(api: &Api) -> Option<&Operation> {
    api.documents.iter().rev().find_map(|d| {
        api.operations.iter().find(|o| {
            o.api == d.api
                && o.pagination.as_ref().is_some_and(|p| p.data_items().is_none())
                && o.deprecation.is_none()
                && o.parameters.iter().all(|p| !p.required)
                && o.request_body.is_none()
        })
    })
}

/// The crate's `README.md`.
pub(super) fn readme(api: &Api, spec: &CrateSpec) -> String {
    let name = &spec.name;
    let krate = name.replace('-', "_");
    let major_minor = spec
        .version
        .rsplit_once('.')
        .map_or(spec.version.as_str(), |(head, _)| head);
    let operations = api.operations.len();
    let documents: Vec<String> = generated_documents(api)
        .map(|d| format!("{} ({})", d.api, d.title))
        .collect();
    let call = example_call(api, "    ");
    format!(
        r#"<!-- {PREAMBLE} -->
# {name}

A typed Rust client for the [Pipedrive](https://developers.pipedrive.com/docs/api/v1) API,
generated from Pipedrive's OpenAPI documents.

- {operations} operations of {documents}.
- Each is a builder: required parameters as arguments, optional ones as setters, typed
  models in the answer.
- Retries, pacing to Pipedrive's rate limits, API-token and OAuth authentication (with
  refresh), errors that say what to do, and lazy pagination come from
  [`pipedrive-runtime`](https://docs.rs/pipedrive-runtime).

## Install

```toml
[dependencies]
{name} = "{major_minor}"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
```

## Example

```rust,no_run
use {krate}::{{Auth, Client, Config}};

#[tokio::main]
async fn main() -> {krate}::Result<()> {{
    let client = Client::new(Config::new(Auth::api_token("your-api-token")))?;
    {call}
    Ok(())
}}
```

List operations also have `stream()` (every item, one page in memory at a time) and `pages()`.
Errors are one type, `{krate}::Error`: ask `is_not_found()`, `is_rate_limited()`, `is_auth()`
or match on `kind()`.

## Features

Each tag of the API is a Cargo feature that compiles its operations, in every API version, and
the types they use. `full` (on by default) turns on all of them, and `rustls` (on by default)
gives the HTTP client TLS. An application that calls a few tags compiles only those:

```toml
{name} = {{ version = "{major_minor}", default-features = false, features = ["rustls", "{first_feature}"] }}
```

Without `rustls`, enable a TLS feature on `reqwest` in your application or pass your own client
to `Config::http_client`.

| feature | operations |
|---|---|
{feature_rows}
{testing}
## Versions

The crate's version follows the API it is generated from: an operation or field Pipedrive
removes is a major release, one it adds a minor one (models are `#[non_exhaustive]`).
`CHANGELOG.md` lists what each release changed, operation by operation.

## License

MIT or Apache-2.0, at your option.
"#,
        documents = documents.join(" and "),
        first_feature = features::all_features(api).into_iter().next().unwrap_or("full"),
        feature_rows = feature_rows(api),
        testing = testing_section(api, &krate),
    )
}

/// The example's call of [`list_example`] (or a line that only uses the client, when there is
/// none), its second line indented by `indent`: the crate's docs and its README show it.
pub(super) fn example_call(api: &Api, indent: &str) -> String {
    list_example(api).map_or_else(
        || "let _ = &client;".to_owned(),
        |o| {
            format!(
                "let items = client.{}().{}().{}().send().await?;\n{indent}println!(\"{{}} items\", items.len());",
                o.api, o.tag_module, o.fn_name
            )
        },
    )
}

/// One table row per feature: the operations it brings, per API version.
fn feature_rows(api: &Api) -> String {
    let mut rows = String::new();
    for (feature, tags) in features::tags_by_feature(api) {
        let per_api: Vec<String> = tags
            .iter()
            .filter(|(_, count)| *count > 0)
            .map(|(t, count)| format!("{}: {count}", t.api))
            .collect();
        rows.push_str(&format!("| `{feature}` | {} |\n", per_api.join(", ")));
    }
    rows
}

/// "Testing your code": how an application tests its own code that calls the client, against a
/// local mock server, with response models built in the test. The example needs a list operation
/// whose items are a struct with `Default` and an optional integer `id`; without one, the
/// section says the same in words.
fn testing_section(api: &Api, krate: &str) -> String {
    let intro = "\n## Testing your code\n\n\
         Code that calls the client is tested against a local HTTP server such as\n\
         [wiremock](https://docs.rs/wiremock): point `Config::base_url` at it and allow plain\n\
         `http` for it with `Config::allow_insecure_http(true)` (refused otherwise, since the\n\
         token would travel in clear text). Response models are `#[non_exhaustive]`, so a test\n\
         builds one with `Default::default()` (or `new(..)` where a required field has no\n\
         default) and sets the public fields it needs; they serialize to the JSON Pipedrive\n\
         sends, leaving unset fields out. Request models deserialize too, so a test can read\n\
         back what was sent.\n"
        .to_owned();
    let Some((op, item)) = list_example(api).and_then(|op| Some((op, example_item(api, op)?))) else {
        return intro;
    };
    format!(
        r#"{intro}
```rust
// dev-dependencies: tokio (features "macros", "rt-multi-thread"), wiremock, serde_json
use {krate}::{api}::types::{item};
use {krate}::{{Auth, Client, Config}};
use wiremock::matchers::{{method, path}};
use wiremock::{{Mock, MockServer, ResponseTemplate}};

/// The code under test: the IDs on the first page.
async fn first_page_ids(client: &Client) -> {krate}::Result<Vec<i64>> {{
    let items = client.{api}().{tag}().{function}().send().await?;
    Ok(items.iter().filter_map(|item| item.id).collect())
}}

#[tokio::test]
async fn reads_the_ids_of_the_first_page() -> Result<(), Box<dyn std::error::Error>> {{
    let server = MockServer::start().await;
    let mut item = {item}::default();
    item.id = Some(7);
    Mock::given(method("GET"))
        .and(path("{path}"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({{
            "success": true,
            "data": [item],
        }})))
        .mount(&server)
        .await;
    let config = Config::new(Auth::api_token("test-token"))
        .base_url(server.uri())
        .allow_insecure_http(true);
    let client = Client::new(config)?;

    assert_eq!(first_page_ids(&client).await?, vec![7]);
    Ok(())
}}
```
"#,
        api = op.api,
        path = op.full_path,
        tag = op.tag_module,
        function = op.fn_name,
    )
}

/// The item type of `op`'s list, if a test can build one: a struct with `Default` and an
/// optional `id: i64`.
fn example_item<'a>(api: &'a Api, op: &Operation) -> Option<&'a str> {
    let ResponseBody::Envelope {
        data: TypeRef::Array(item),
        ..
    } = &op.response.body
    else {
        return None;
    };
    let TypeRef::Named(name) = item.as_ref() else {
        return None;
    };
    let def = api.types.iter().find(|t| t.api == op.api && &t.name == name)?;
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return None;
    };
    let has_id = fields
        .iter()
        .any(|f| f.rust_name == "id" && (!f.required || f.nullable) && f.ty == TypeRef::Scalar(Scalar::I64));
    (has_id && surface::traits_of(def).contains(&Trait::Default)).then_some(def.name.as_str())
}
