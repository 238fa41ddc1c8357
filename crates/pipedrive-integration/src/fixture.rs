//! The exchange the overhead measurements share: a loopback server answering `GET
//! /api/v2/stages/1` with one stage and `GET /api/v2/stages?limit=100` with a page of 100, and a
//! generated client pointed at it. Used by `benches/round_trip.rs`, `benches/client_overhead.rs`
//! and `examples/request_profile.rs`, so all three measure the same requests and bodies.

use std::io;
use std::time::Duration;

use pipedrive::runtime::Request;
use pipedrive::runtime::reqwest::header::USER_AGENT;
use pipedrive::{Auth, Client, Config, Error};

use crate::bodies::{stage_body, stages_page_body};
use crate::loopback::Server;

/// `getStage` of stage 1.
pub const ONE: &str = "/api/v2/stages/1";
/// `getStages` with `limit=100`.
pub const PAGE: &str = "/api/v2/stages?limit=100";
/// The generated client's default per-attempt timeout.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Starts a server answering [`ONE`] and [`PAGE`] (exactly these targets) and 404 otherwise.
///
/// # Errors
/// See [`Server::start`].
pub fn server() -> io::Result<Server> {
    let one = stage_body(1);
    let page = stages_page_body(1, 100, None);
    Server::start(move |target| match target {
        ONE => Some(one.clone()),
        PAGE => Some(page.clone()),
        _ => None,
    })
}

/// The generated client for `server`, with API token `token` and the default timeout.
///
/// # Errors
/// See [`Client::new`].
pub fn client(server: &Server, token: &str) -> Result<Client, Error> {
    Client::new(
        Config::new(Auth::api_token(token))
            .base_url(server.base_url())
            .allow_insecure_http(true)
            .timeout(TIMEOUT),
    )
}

/// The generated client's request for [`ONE`]: `get_stage(1)`.
///
/// # Errors
/// See the builder's `to_request`.
pub fn one_stage_request(client: &Client) -> Result<Request, Error> {
    client.v2().stages().get_stage(1).to_request()
}

/// The generated client's request for [`PAGE`]: `get_stages().limit(100)`.
///
/// # Errors
/// See the builder's `to_request`.
pub fn page_request(client: &Client) -> Result<Request, Error> {
    client.v2().stages().get_stages().limit(100).to_request()
}

/// The `User-Agent` the generated client sends, read off the request it builds.
///
/// # Errors
/// Building the request failed.
pub fn user_agent(client: &Client) -> Result<String, Error> {
    let request = one_stage_request(client)?;
    let http = client.runtime().build_request(&request)?;
    let value = http.headers().get(USER_AGENT).and_then(|value| value.to_str().ok());
    Ok(value.unwrap_or_default().to_owned())
}

/// The client side's runtime: one current-thread tokio runtime, on which each measured request
/// is `block_on`ed (the server has its own thread and runtime).
///
/// # Errors
/// The runtime could not be built.
pub fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}
