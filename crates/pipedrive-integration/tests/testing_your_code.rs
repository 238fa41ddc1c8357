//! The generated README's "Testing your code" example, run: an application's own function that
//! calls the client, tested against wiremock with a response model built outside the crate. The
//! code between the markers is the README's, byte for byte (the last test checks), so the example
//! users copy is one that compiles and passes.

#![allow(clippy::panic)]

// README example: begin
// dev-dependencies: tokio (features "macros", "rt-multi-thread"), wiremock, serde_json
use pipedrive::v2::types::Activity;
use pipedrive::{Auth, Client, Config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The code under test: the IDs on the first page.
async fn first_page_ids(client: &Client) -> pipedrive::Result<Vec<i64>> {
    let items = client.v2().activities().get_activities().send().await?;
    Ok(items.iter().filter_map(|item| item.id).collect())
}

#[tokio::test]
async fn reads_the_ids_of_the_first_page() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    let mut item = Activity::default();
    item.id = Some(7);
    Mock::given(method("GET"))
        .and(path("/api/v2/activities"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "success": true,
            "data": [item],
        })))
        .mount(&server)
        .await;
    let config = Config::new(Auth::api_token("test-token"))
        .base_url(server.uri())
        .allow_insecure_http(true);
    let client = Client::new(config)?;

    assert_eq!(first_page_ids(&client).await?, vec![7]);
    Ok(())
}
// README example: end

/// The README's example is the code above: a change to either shows here.
#[test]
fn the_readme_example_is_this_file() {
    let readme_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../generated/pipedrive/README.md");
    let readme = std::fs::read_to_string(readme_path).unwrap_or_else(|e| panic!("{readme_path}: {e}"));
    let section = readme
        .split_once("## Testing your code")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no \"Testing your code\" section in {readme_path}"));
    let example = section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .map(|(code, _)| code)
        .unwrap_or_else(|| panic!("no rust block in the \"Testing your code\" section of {readme_path}"));
    let this_file = include_str!("testing_your_code.rs");
    let here = this_file
        .split_once("// README example: begin\n")
        .and_then(|(_, rest)| rest.split_once("// README example: end\n"))
        .map(|(code, _)| code)
        .unwrap_or_else(|| panic!("no README markers in testing_your_code.rs"));
    assert_eq!(
        here, example,
        "tests/testing_your_code.rs and the README's example differ: copy the README's over"
    );
}
