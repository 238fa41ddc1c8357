//! Response models written back as JSON: what an application that caches or forwards them
//! relies on. A model serialized and read back is the same value (custom fields and properties
//! the documents do not list included), and an optional field that is unset, absent or `null`
//! as sent, is left out rather than written as `null`. Real shapes: a v2 deal, a v1 person with
//! custom fields and nested objects, a v2 stage, and a v1 call log built with `new`.

#![allow(clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Debug;

use pipedrive::v1::types::{CallLog, Person, ResponseCallLogObjectOutcome};
use pipedrive::v2::types::{Deal, Stage};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Reads `sent`, writes it back, reads that again: the two values are equal. Returns the JSON
/// written.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(sent: &Value) -> (T, Value) {
    let read: T = serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("reading {sent}: {e}"));
    let written = serde_json::to_value(&read).unwrap_or_else(|e| panic!("writing {read:?}: {e}"));
    let again: T = serde_json::from_value(written.clone()).unwrap_or_else(|e| panic!("reading back {written}: {e}"));
    assert_eq!(again, read, "not the same value after a round trip through {written}");
    (read, written)
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// The keys of `sent` but those in `dropped`.
fn keys_but<'a>(sent: &'a Value, dropped: &[&str]) -> BTreeSet<&'a str> {
    keys(sent).into_iter().filter(|k| !dropped.contains(k)).collect()
}

#[test]
fn a_v2_deal_round_trips_and_leaves_its_null_fields_out() {
    let sent = json!({
        "id": 42, "title": "Big deal", "value": 5000, "currency": "EUR", "status": "open",
        "owner_id": 7, "person_id": 3, "org_id": null, "pipeline_id": 1, "stage_id": 2,
        "probability": null, "lost_reason": null, "label_ids": [1, 5],
        "add_time": "2026-01-02T03:04:05Z", "expected_close_date": "2026-03-01", "won_time": null,
        "is_deleted": false, "is_archived": false, "visible_to": 3,
        "custom_fields": {"d4de1c1518b4531717c676029a45911c340390a6": {"value": 100, "currency": "USD"},
                          "a5b2b2d9d8f0e5bb12345678901234567890abcd": null},
        "origin": "ManuallyCreated", "a_field_pipedrive_adds_later": {"nested": [1, 2]}
    });
    let (deal, written): (Deal, Value) = round_trip(&sent);
    assert_eq!(
        deal.extra.get("a_field_pipedrive_adds_later"),
        Some(&json!({"nested": [1, 2]}))
    );
    // Every key but the nulls of listed fields; a custom field's null is its value, and stays.
    assert_eq!(
        keys(&written),
        keys_but(&sent, &["org_id", "probability", "lost_reason", "won_time"])
    );
    assert_eq!(written["custom_fields"], sent["custom_fields"]);
    assert_eq!(
        written["add_time"], sent["add_time"],
        "dates are written as they were sent"
    );
}

#[test]
fn a_v1_person_keeps_its_custom_fields_and_nested_objects() {
    let sent = json!({
        "id": 3, "company_id": 1, "name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace",
        "active_flag": true, "visible_to": "3", "label": null,
        "phone": [{"label": "work", "value": "+44 20 0000 0000", "primary": true}],
        "email": [{"label": "", "value": "ada@example.com", "primary": true}],
        "owner_id": {"id": 7, "name": "Grace", "email": "grace@example.com", "has_pic": 0,
                     "pic_hash": null, "active_flag": true, "value": 7},
        "org_id": {"name": "Analytical Engines", "people_count": 2, "owner_id": 7,
                   "address": null, "active_flag": true, "cc_email": "ae@example.com", "value": 9},
        "add_time": "2026-01-02 03:04:05", "update_time": null, "open_deals_count": 1,
        "9dc80c50d78a15643bfc4ca79d76156a73a1a3b0": "Custom text",
        "5b0e1ec1d0a9f3b2c3a4e5f60718293a4b5c6d7e": 12.5,
        "1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5": null
    });
    let (person, written): (Person, Value) = round_trip(&sent);
    assert_eq!(
        person.extra.get("9dc80c50d78a15643bfc4ca79d76156a73a1a3b0"),
        Some(&json!("Custom text"))
    );
    assert_eq!(
        person.extra.get("1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5"),
        Some(&Value::Null)
    );
    assert_eq!(keys(&written), keys_but(&sent, &["label", "update_time"]));
    assert_eq!(keys(&written["owner_id"]), keys_but(&sent["owner_id"], &["pic_hash"]));
    assert_eq!(keys(&written["org_id"]), keys_but(&sent["org_id"], &["address"]));
    assert_eq!(written["phone"], sent["phone"]);
}

#[test]
fn a_stage_and_a_call_log_built_in_code_round_trip() {
    let sent = json!({"id": 2, "name": "Qualified", "order_nr": 1, "pipeline_id": 1,
                      "deal_probability": 40, "is_deal_rot_enabled": false, "days_to_rotten": null,
                      "is_deleted": false, "add_time": "2026-01-02T03:04:05Z", "update_time": null});
    let (_, written): (Stage, Value) = round_trip(&sent);
    assert_eq!(keys(&written), keys_but(&sent, &["days_to_rotten", "update_time"]));

    // A model a test builds: only what it sets is written.
    let mut log = CallLog::new(
        "2026-01-02 03:10:00",
        ResponseCallLogObjectOutcome::Connected,
        "2026-01-02 03:04:05",
        "+44 20 0000 0000",
    );
    log.deal_id = Some(42);
    let written = serde_json::to_value(&log).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        written,
        json!({"deal_id": 42, "end_time": "2026-01-02 03:10:00", "outcome": "connected",
               "start_time": "2026-01-02 03:04:05", "to_phone_number": "+44 20 0000 0000"})
    );
    let again: CallLog = serde_json::from_value(written).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, log);
    // Nothing set, nothing written.
    assert_eq!(serde_json::to_value(Deal::default()).ok(), Some(json!({})));
}
