//! The whole generated API used from outside the crate, as an application would: request structs
//! nested in bodies (one with a required field, built with `new`; one without, built with
//! `Default`; both then given optional fields), the item types search results stream, and dates and
//! times. The test binary compiles this and nothing calls it: what fails is the build, when an
//! application could not write this code (the request structs are `#[non_exhaustive]`, say). What
//! the values do at run time is tested on Stages and in the runtime.
#![allow(dead_code, deprecated)]

use pipedrive::v2::types::{AddActivityRequestAttendeesItem, AddDealFieldRequestOptionsItem};

fn nested_request_structs_are_built_with_new_or_default() -> serde_json::Result<serde_json::Value> {
    let option = AddDealFieldRequestOptionsItem::new("Gold");
    let mut attendee = AddActivityRequestAttendeesItem::default();
    attendee.email = Some("ada@example.com".to_owned());
    serde_json::to_value((&option, &attendee))
}

/// Search results page through `data.items`: their streams yield the result items, while
/// `send()` returns the whole `data`.
fn search_streams_yield_the_result_items(client: &pipedrive::Client) {
    fn yields<T>(_: impl futures::Stream<Item = Result<T, pipedrive::Error>>) {}
    yields::<pipedrive::v2::types::GetDealSearchResponseItemsItem>(client.v2().deals().search_deals("acme").stream());
    yields::<pipedrive::v1::types::GetPersonSearchResponseItemsItem>(
        client.v1().persons().search_persons("ada").stream(),
    );
}

/// `format: date-time` and `format: date` fields are the runtime's text-keeping types, which
/// parse on request; parameters take text or those types.
fn dates_and_times_parse_on_request(
    option: &pipedrive::v2::types::GetActivityFieldsResponseItemOptionsItem,
) -> Option<Result<pipedrive::runtime::time::OffsetDateTime, pipedrive::runtime::TimeError>> {
    option
        .update_time
        .as_ref()
        .map(pipedrive::DateTime::to_offset_date_time)
}

fn date_parameters_take_text_or_dates(client: &pipedrive::Client, day: pipedrive::Date) {
    let _ = client
        .v1()
        .pipelines()
        .get_pipeline_conversion_statistics(1, "2026-01-01", day);
}
