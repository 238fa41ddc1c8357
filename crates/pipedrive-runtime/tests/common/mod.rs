//! Shared fixtures for the integration tests: operations as the generator would emit them, a
//! client pointed at a wiremock server with fast retries, and the check that no error leaks the token.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::error::Error as _;
use std::time::Duration;

use pipedrive_runtime::{Auth, Client, Config, Error, Method, Operation, Request, RetryPolicy};
use wiremock::MockServer;

/// A distinctive token, so a leak is unmistakable.
pub const SECRET: &str = "SECRET-TOKEN-123";

pub static GET_STAGES: Operation = Operation {
    id: "getStages",
    api: "v2",
    method: Method::Get,
    path: "/api/v2/stages",
    token_cost: 5,
    oauth_scopes: &["deals:read", "deals:full"],
    deprecated: false,
};

pub static GET_STAGE: Operation = Operation {
    id: "getStage",
    api: "v2",
    method: Method::Get,
    path: "/api/v2/stages/{id}",
    token_cost: 1,
    oauth_scopes: &["deals:read"],
    deprecated: false,
};

pub static ADD_STAGE: Operation = Operation {
    id: "addStage",
    api: "v2",
    method: Method::Post,
    path: "/api/v2/stages",
    token_cost: 5,
    oauth_scopes: &["deals:full"],
    deprecated: false,
};

pub static GET_STAGE_DEALS: Operation = Operation {
    id: "getStageDeals",
    api: "v1",
    method: Method::Get,
    path: "/v1/stages/{id}/deals",
    token_cost: 20,
    oauth_scopes: &["deals:read"],
    deprecated: true,
};

/// An address where connections are refused: a socket bound there but not listening. Keep the
/// socket until the test ends, so no other test's server can take the port in the meantime
/// (binding a listener, noting its port and closing it leaves that race open).
pub fn refusing_address() -> (tokio::net::TcpSocket, std::net::SocketAddr) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let address = socket.local_addr().unwrap();
    (socket, address)
}

/// Retries as the default policy, but with millisecond backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// A config for `server` with the secret API token and fast retries.
pub fn config(server: &MockServer) -> Config {
    config_with(server, Auth::api_token(SECRET))
}

/// A config for `server` with the given auth and fast retries.
pub fn config_with(server: &MockServer, auth: Auth) -> Config {
    Config::new(auth)
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry(fast_retries())
}

/// A client for `server` with the secret API token and fast retries.
pub fn client(server: &MockServer) -> Client {
    Client::new(config(server)).unwrap()
}

/// `GET /api/v2/stages`.
pub fn get_stages() -> Request {
    Request::new(&GET_STAGES, "/api/v2/stages".to_owned())
}

/// The error's Display, Debug and every source's Display and Debug, none of which may hold the token.
pub fn assert_no_secret(err: &Error) {
    let mut texts = vec![err.to_string(), format!("{err:?}")];
    let mut source = err.source();
    while let Some(inner) = source {
        texts.push(inner.to_string());
        texts.push(format!("{inner:?}"));
        source = inner.source();
    }
    for text in texts {
        assert_no_token_in(&text);
    }
}

pub mod raw;

/// How many requests `server` received.
pub async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// `text` holds no part of the token, in any case: a host name carries it lowercased.
pub fn assert_no_token_in(text: &str) {
    let lower = text.to_ascii_lowercase();
    assert!(!lower.contains("token-123"), "token leaked: {text}");
}

/// A client for a raw server at `uri` with the secret token, no retries and `config` applied.
pub fn raw_client(uri: &str, config: impl FnOnce(Config) -> Config) -> Client {
    let base = Config::new(Auth::api_token(SECRET))
        .base_url(uri)
        .allow_insecure_http(true)
        .retry(RetryPolicy::none());
    Client::new(config(base)).unwrap()
}

/// The part of a v2 stage the tests decode into.
#[derive(Debug, serde::Deserialize, PartialEq)]
pub struct Stage {
    pub id: i64,
    pub days_to_rotten: Option<i64>,
}

/// `GET /api/v2/stages/5`.
pub fn get_stage() -> Request {
    Request::new(&GET_STAGE, "/api/v2/stages/5".to_owned())
}
