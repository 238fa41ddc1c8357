//! Counts a company's stages as an OAuth app: refreshes the app's tokens at Pipedrive's token
//! endpoint, sends requests to the company's own API domain, and keeps the refresh token file
//! current as Pipedrive hands out new ones (also when a 401 mid-run makes the client refresh).
//!
//! ```text
//! PIPEDRIVE_CLIENT_ID=... PIPEDRIVE_CLIENT_SECRET=... PIPEDRIVE_REFRESH_TOKEN_FILE=./refresh-token \
//!     cargo run -p pipedrive-integration --example oauth_stages
//! ```
//!
//! - `PIPEDRIVE_CLIENT_ID`, `PIPEDRIVE_CLIENT_SECRET` (required): the app's credentials, from
//!   Pipedrive's Developer Hub.
//! - `PIPEDRIVE_REFRESH_TOKEN_FILE` (required): a file holding the refresh token the app got when
//!   a user installed it; rewritten with each new one. Nothing here prints a token or the secret.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use futures::TryStreamExt;
use pipedrive::{Auth, Client, Config, OAuthApp, OAuthTokens};

/// Exit status for a missing or malformed setting, as opposed to a failed API call.
const USAGE_ERROR: u8 = 2;

#[tokio::main]
async fn main() -> ExitCode {
    let setting = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let (Some(client_id), Some(client_secret), Some(token_file)) = (
        setting("PIPEDRIVE_CLIENT_ID"),
        setting("PIPEDRIVE_CLIENT_SECRET"),
        setting("PIPEDRIVE_REFRESH_TOKEN_FILE").map(PathBuf::from),
    ) else {
        eprintln!(
            "error: set PIPEDRIVE_CLIENT_ID, PIPEDRIVE_CLIENT_SECRET and PIPEDRIVE_REFRESH_TOKEN_FILE \
             (see the top of examples/oauth_stages.rs)"
        );
        return ExitCode::from(USAGE_ERROR);
    };
    let refresh_token = match std::fs::read_to_string(&token_file) {
        Ok(text) if !text.trim().is_empty() => text.trim().to_owned(),
        Ok(_) => {
            eprintln!(
                "error: {} is empty; put the app's refresh token in it",
                token_file.display()
            );
            return ExitCode::from(USAGE_ERROR);
        }
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", token_file.display());
            return ExitCode::from(USAGE_ERROR);
        }
    };

    let app = OAuthApp::new(client_id, client_secret);
    // A first refresh gives an access token and the company's API domain.
    let tokens = match app.refresh(&refresh_token).await {
        Ok(tokens) => tokens,
        Err(err) => {
            // Errors never contain the secret or the tokens, so printing them is safe.
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(err) = store(&token_file, &tokens) {
        eprintln!("error: {err}");
        return ExitCode::FAILURE;
    }
    let file = token_file.clone();
    let refresher = app.refresher(tokens.refresh_token.expose(), move |fresh| {
        if let Err(err) = store(&file, fresh) {
            eprintln!("warning: {err}");
        }
    });
    let mut config = Config::new(Auth::oauth_with_refresh(tokens.access_token.expose(), refresher));
    if let Some(domain) = &tokens.api_domain {
        config = config.base_url(domain.as_str());
    }
    let client = match Client::new(config) {
        Ok(client) => client,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(USAGE_ERROR);
        }
    };

    let stages = client.v2().stages().get_stages().limit(500).stream();
    match stages.try_fold(0_u64, |count, _| async move { Ok(count + 1) }).await {
        Ok(count) => {
            println!("{count} stage(s) at {}", client.runtime().base_url());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the refresh token to use next, through a temporary file so a crash never leaves half a
/// token behind.
fn store(path: &Path, tokens: &OAuthTokens) -> Result<(), String> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, tokens.refresh_token.expose())
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|err| format!("cannot store the new refresh token in {}: {err}", path.display()))
}
