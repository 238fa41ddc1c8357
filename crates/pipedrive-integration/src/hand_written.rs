//! The baseline the client's overhead is measured against: what an application writes when it
//! calls Pipedrive with `reqwest` and `serde_json` directly, without the generated client.
//!
//! Two flavours: [`HandWritten::minimal`] sends only the token (the least code that works), and
//! [`HandWritten::same_request`] sends the very request the generated client sends (the same
//! `User-Agent` and `Accept` headers) with the same per-request timeout, so a comparison against
//! it measures the client's code rather than a difference in what goes over the wire.
//!
//! Two data types for a stage: [`Stage`] holds the fields an application uses with the types it
//! expects (every field present), the least a hand-written caller would write; [`ShapedStage`]
//! has the generated `Stage`'s shape (every field an `Option`, because the spec marks none
//! required, and a map that keeps unknown fields), so a comparison against it measures the
//! client rather than that typing decision. Used by `benches/client_overhead.rs` and
//! `benches/round_trip.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use pipedrive::runtime::{Bytes, DateTime, reqwest};
use pipedrive::v2::types::Stage as GeneratedStage;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Pipedrive's envelope, hand-written.
#[derive(Debug, Deserialize)]
pub struct Envelope<T, A = ()> {
    /// The payload.
    pub data: T,
    /// Pagination state and the like.
    #[serde(default)]
    pub additional_data: A,
}

/// `additional_data` of a cursor-paginated list.
#[derive(Debug, Default, Deserialize)]
pub struct Cursor {
    /// The next page's cursor; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A v2 stage, hand-written.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Stage {
    pub id: i64,
    pub order_nr: i64,
    pub name: String,
    pub is_deleted: bool,
    pub deal_probability: i64,
    pub pipeline_id: i64,
    pub is_deal_rot_enabled: bool,
    pub days_to_rotten: Option<i64>,
    pub add_time: String,
    pub update_time: String,
}

/// A hand-written stage that can be checked against what the generated client decoded.
pub trait SameAs {
    /// Whether `generated` holds the same stage.
    fn same_as(&self, generated: &GeneratedStage) -> bool;
}

/// Whether two lists of stages hold the same stages in the same order.
pub fn all_same<T: SameAs>(hand: &[T], generated: &[GeneratedStage]) -> bool {
    hand.len() == generated.len()
        && hand
            .iter()
            .zip(generated)
            .all(|(hand, generated)| hand.same_as(generated))
}

impl SameAs for Stage {
    /// Also requires that the generated client found no unknown fields.
    fn same_as(&self, generated: &GeneratedStage) -> bool {
        Some(self.id) == generated.id
            && Some(self.order_nr) == generated.order_nr
            && Some(&self.name) == generated.name.as_ref()
            && Some(self.is_deleted) == generated.is_deleted
            && Some(self.deal_probability) == generated.deal_probability
            && Some(self.pipeline_id) == generated.pipeline_id
            && Some(self.is_deal_rot_enabled) == generated.is_deal_rot_enabled
            && self.days_to_rotten == generated.days_to_rotten
            && Some(self.add_time.as_str()) == text(&generated.add_time)
            && Some(self.update_time.as_str()) == text(&generated.update_time)
            && generated.extra.is_empty()
    }
}

/// The text of a generated time, which keeps what Pipedrive sent.
fn text(time: &Option<DateTime>) -> Option<&str> {
    time.as_ref().map(DateTime::as_str)
}

/// A v2 stage shaped like the generated `GeneratedStage`: optional fields and unknown fields kept.
/// Its times are `String`, as a hand-written caller would have them; the generated
/// `DateTime` holds the same text, decoded the same way.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct ShapedStage {
    pub id: Option<i64>,
    pub order_nr: Option<i64>,
    pub name: Option<String>,
    pub is_deleted: Option<bool>,
    pub deal_probability: Option<i64>,
    pub pipeline_id: Option<i64>,
    pub is_deal_rot_enabled: Option<bool>,
    pub days_to_rotten: Option<i64>,
    pub add_time: Option<String>,
    pub update_time: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl SameAs for ShapedStage {
    fn same_as(&self, generated: &GeneratedStage) -> bool {
        self.id == generated.id
            && self.order_nr == generated.order_nr
            && self.name == generated.name
            && self.is_deleted == generated.is_deleted
            && self.deal_probability == generated.deal_probability
            && self.pipeline_id == generated.pipeline_id
            && self.is_deal_rot_enabled == generated.is_deal_rot_enabled
            && self.days_to_rotten == generated.days_to_rotten
            && self.add_time.as_deref() == text(&generated.add_time)
            && self.update_time.as_deref() == text(&generated.update_time)
            && self.extra == generated.extra
    }
}

/// A hand-written caller of one base URL. Its `Debug` leaves the token out.
#[derive(Clone)]
pub struct HandWritten {
    http: reqwest::Client,
    base_url: String,
    token: String,
    /// Sent with `Accept: application/json`, as the generated client does.
    user_agent: Option<String>,
    timeout: Option<Duration>,
}

impl std::fmt::Debug for HandWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandWritten")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl HandWritten {
    /// GET with the `x-api-token` header and nothing else.
    pub fn minimal(base_url: &str, token: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base_url: base_url.to_owned(),
            token: token.to_owned(),
            user_agent: None,
            timeout: None,
        }
    }

    /// GET with the headers the generated client sends (`x-api-token`, `Accept:
    /// application/json`, `user_agent`) and a `timeout` on each request.
    pub fn same_request(base_url: &str, token: &str, user_agent: &str, timeout: Duration) -> Self {
        Self {
            user_agent: Some(user_agent.to_owned()),
            ..Self::minimal(base_url, token).timeout(timeout)
        }
    }

    /// Sets a timeout on each request.
    #[must_use]
    pub fn timeout(self, timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..self
        }
    }

    /// What this caller sends, for a report: `minimal`, `minimal + 30 s timeout` or `same request`.
    pub fn describe(&self) -> String {
        match (&self.user_agent, self.timeout) {
            (None, None) => "minimal".to_owned(),
            (None, Some(timeout)) => format!("minimal + {} s timeout", timeout.as_secs()),
            (Some(_), _) => "same request".to_owned(),
        }
    }

    /// GETs `path_and_query`, checks the status and returns the body.
    ///
    /// # Errors
    /// Transport errors and non-2xx statuses.
    pub async fn get_body(&self, path_and_query: &str) -> Result<Bytes, reqwest::Error> {
        let mut request = self
            .http
            .get(format!("{}{path_and_query}", self.base_url))
            .header("x-api-token", self.token.as_str());
        if let Some(user_agent) = &self.user_agent {
            request = request
                .header("accept", "application/json")
                .header("user-agent", user_agent.as_str());
        }
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        request.send().await?.error_for_status()?.bytes().await
    }

    /// [`HandWritten::get_body`], decoded as `T`.
    ///
    /// # Errors
    /// Transport errors, non-2xx statuses and decode errors, as text.
    pub async fn get_json<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<T, String> {
        let body = self.get_body(path_and_query).await.map_err(|err| err.to_string())?;
        serde_json::from_slice(&body).map_err(|err| err.to_string())
    }
}
