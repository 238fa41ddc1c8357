//! Response bodies for the loopback server: v2 stages exactly as in the `getStage` example of
//! `spec/pipedrive-v2.yaml` (only `id` varies), in Pipedrive's `{"success", "data",
//! "additional_data"}` envelope, one stage or a page of them with a `next_cursor`.

use pipedrive::runtime::Bytes;
use serde_json::{Value, json};

/// The `getStage` example's stage, with the given id.
pub fn stage(id: u64) -> Value {
    json!({
        "id": id,
        "order_nr": 1,
        "name": "Stage Name",
        "is_deleted": false,
        "deal_probability": 100,
        "pipeline_id": 1,
        "is_deal_rot_enabled": true,
        "days_to_rotten": 2,
        "add_time": "2024-01-01T00:00:00Z",
        "update_time": "2024-01-01T00:00:00Z"
    })
}

/// `GET /api/v2/stages/{id}`: one stage in the envelope.
pub fn stage_body(id: u64) -> Bytes {
    Bytes::from(json!({ "success": true, "data": stage(id) }).to_string())
}

/// `GET /api/v2/stages`: `count` stages with ids from `first_id`, and `next_cursor` (`null` on the last page).
pub fn stages_page_body(first_id: u64, count: u64, next_cursor: Option<&str>) -> Bytes {
    let data: Vec<Value> = (first_id..first_id.saturating_add(count)).map(stage).collect();
    Bytes::from(
        json!({
            "success": true,
            "data": data,
            "additional_data": { "next_cursor": next_cursor },
        })
        .to_string(),
    )
}

/// A handler for [`crate::loopback::Server`] serving `pages × per_page` stages at
/// `/api/v2/stages`, one page per request: no `cursor` is the first page, `cursor=p{n}` page `n`
/// (from 0); the last page's `next_cursor` is `null`. Unknown paths and cursors are a 404.
///
/// Every page is built here, up front, so that serving one allocates nothing beyond the
/// response head: a heap measurement that starts after this sees the client, not the server.
pub fn paged_stages(pages: u64, per_page: u64) -> impl Fn(&str) -> Option<Bytes> + Send + Sync + 'static {
    let bodies: Vec<Bytes> = (0..pages)
        .map(|page| {
            let next = (page + 1 < pages).then(|| format!("p{}", page + 1));
            stages_page_body(page * per_page + 1, per_page, next.as_deref())
        })
        .collect();
    move |target| {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path != "/api/v2/stages" {
            return None;
        }
        let page = match query.split('&').find_map(|pair| pair.strip_prefix("cursor=")) {
            None => 0,
            Some(cursor) => cursor.strip_prefix('p')?.parse::<usize>().ok()?,
        };
        bodies.get(page).cloned()
    }
}
