//! Lists the stages of a Pipedrive pipeline, fetching them page by page with the generated
//! client's `stream()` (API v2, `GET /api/v2/stages`, 100 stages per request).
//!
//! ```text
//! PIPEDRIVE_API_TOKEN=... PIPEDRIVE_PIPELINE_ID=1 cargo run -p pipedrive-integration --example list_stages
//! ```
//!
//! - `PIPEDRIVE_API_TOKEN` (required): a personal API token, sent as the `x-api-token` header and
//!   never printed.
//! - `PIPEDRIVE_PIPELINE_ID` (optional): the pipeline whose stages to list; every pipeline's when unset.
//! - `PIPEDRIVE_BASE_URL` (optional): defaults to `https://api.pipedrive.com`; plain `http://` is
//!   accepted only for a server on this machine (a local mock or proxy).
//! - `PIPEDRIVE_LOG` (optional): `info` shows retries and waits for the rate-limit window,
//!   `debug` every answered request too (status, time, request id); on stderr, never the token.

use std::pin::pin;
use std::process::ExitCode;

use futures::StreamExt;
use pipedrive::runtime::DEFAULT_BASE_URL;
use pipedrive::{Auth, Client, Config};

/// Exit status for a missing or malformed setting, as opposed to a failed API call.
const USAGE_ERROR: u8 = 2;

#[tokio::main]
async fn main() -> ExitCode {
    if let Ok(level) = std::env::var("PIPEDRIVE_LOG") {
        match level.trim().parse::<tracing::Level>() {
            Ok(level) => tracing_subscriber::fmt()
                .with_max_level(level)
                .with_writer(std::io::stderr)
                .init(),
            Err(_) => {
                eprintln!("error: PIPEDRIVE_LOG must be one of error, warn, info, debug, trace; got {level:?}");
                return ExitCode::from(USAGE_ERROR);
            }
        }
    }
    let token = match std::env::var("PIPEDRIVE_API_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token.trim().to_owned(),
        _ => {
            eprintln!(
                "error: PIPEDRIVE_API_TOKEN is not set.\n\
                 Set it to your Pipedrive API token (Settings > Personal preferences > API), e.g.\n  \
                 PIPEDRIVE_API_TOKEN=... cargo run -p pipedrive-integration --example list_stages"
            );
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let base_url = std::env::var("PIPEDRIVE_BASE_URL")
        .ok()
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let pipeline_id = match std::env::var("PIPEDRIVE_PIPELINE_ID") {
        Err(_) => None,
        Ok(raw) if raw.trim().is_empty() => None,
        Ok(raw) => match raw.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                eprintln!("error: PIPEDRIVE_PIPELINE_ID must be a positive whole number, got {raw:?}");
                return ExitCode::from(USAGE_ERROR);
            }
        },
    };

    let config = Config::new(Auth::api_token(token))
        .base_url(base_url.as_str())
        .allow_insecure_http(is_local_http(&base_url));
    // Errors never contain the token, so printing them is safe.
    let client = match Client::new(config) {
        Ok(client) => client,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(USAGE_ERROR);
        }
    };

    let mut request = client.v2().stages().get_stages().limit(100);
    match pipeline_id {
        Some(id) => {
            request = request.pipeline_id(id);
            println!("Stages of pipeline {id} at {}:", client.runtime().base_url());
        }
        None => println!("Stages of every pipeline at {}:", client.runtime().base_url()),
    }

    let mut stages = pin!(request.stream());
    let mut count: u64 = 0;
    while let Some(stage) = stages.next().await {
        let stage = match stage {
            Ok(stage) => stage,
            Err(err) => {
                eprintln!("error: {err}");
                if let Some(request_id) = err.request_id() {
                    eprintln!("(x-correlation-id for Pipedrive support: {request_id})");
                }
                return ExitCode::FAILURE;
            }
        };
        count += 1;
        println!(
            "  #{:<3} {:<30} id {:<6} pipeline {:<4} probability {:>3}%{}",
            show(stage.order_nr),
            stage.name.as_deref().unwrap_or("(no name)"),
            show(stage.id),
            show(stage.pipeline_id),
            show(stage.deal_probability),
            match (stage.is_deal_rot_enabled, stage.days_to_rotten) {
                (Some(true), Some(days)) => format!(", deals rot after {days} days"),
                (Some(true), None) => ", deals rot".to_owned(),
                _ => String::new(),
            }
        );
    }
    println!("{count} stage(s); {} API token(s) spent.", client.tokens_spent());
    ExitCode::SUCCESS
}

/// Whether `url` is plain `http://` to this machine, the only place an unencrypted token may go.
fn is_local_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host_and_port = rest.split('/').next().unwrap_or_default();
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host_and_port.split(':').next().unwrap_or_default(),
    };
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An optional number, or `?`.
fn show(value: Option<i64>) -> String {
    value.map_or_else(|| "?".to_owned(), |n| n.to_string())
}
