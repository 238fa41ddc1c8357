//! `DateTime` and `Date`: they decode whatever text Pipedrive sends, give it back unchanged when
//! sent, and parse the shapes Pipedrive uses into `time` values on request.
#![allow(clippy::unwrap_used)]

use pipedrive_runtime::time::{Month, OffsetDateTime, UtcOffset};
use pipedrive_runtime::{Date, DateTime};
use proptest::prelude::*;

fn utc(year: i32, month: Month, day: u8, hour: u8, minute: u8, second: u8) -> OffsetDateTime {
    let date = pipedrive_runtime::time::Date::from_calendar_date(year, month, day).unwrap();
    date.with_hms(hour, minute, second).unwrap().assume_utc()
}

#[test]
fn rfc3339_keeps_its_offset_and_fraction() {
    let at = DateTime::from("2026-04-14T10:45:20.852Z")
        .to_offset_date_time()
        .unwrap();
    assert_eq!(
        at.replace_nanosecond(0).unwrap(),
        utc(2026, Month::April, 14, 10, 45, 20)
    );
    assert_eq!(at.millisecond(), 852);

    let east = DateTime::from("2026-04-14T12:45:20+02:00")
        .to_offset_date_time()
        .unwrap();
    assert_eq!(east.offset(), UtcOffset::from_hms(2, 0, 0).unwrap());
    assert_eq!(east, utc(2026, Month::April, 14, 10, 45, 20), "the same instant");
}

#[test]
fn v1_space_separated_times_are_utc() {
    let at = DateTime::from("2020-06-08 12:37:56").to_offset_date_time().unwrap();
    assert_eq!(at, utc(2020, Month::June, 8, 12, 37, 56));
    assert_eq!(at.offset(), UtcOffset::UTC);
}

#[test]
fn other_shapes_are_refused_with_the_text_and_what_was_expected() {
    for text in [
        "",
        "2025-03-10",
        "2020-06-08 12:37",
        "2020-06-08 24:00:00",
        "2020-02-30 10:00:00",
        "2020-06-08  12:37:56",
        "2020-6-08 12:37:56",
        "2020-06-08 1:37:56",
        "2020-06-08T12:37:56",
        "+2020-06-08 12:37:56",
        "yesterday",
    ] {
        let err = DateTime::from(text).to_offset_date_time().unwrap_err();
        assert_eq!(err.value(), text);
        let message = err.to_string();
        assert!(message.contains(&format!("`{text}`")), "{message}");
        assert!(
            message.contains("RFC 3339") && message.contains("YYYY-MM-DD HH:MM:SS"),
            "{message}"
        );
    }
}

#[test]
fn dates_parse_only_as_yyyy_mm_dd() {
    let day = Date::from("2024-02-29").to_date().unwrap();
    assert_eq!((day.year(), day.month(), day.day()), (2024, Month::February, 29));
    for text in [
        "2023-02-29",
        "2024-2-29",
        "2024-02-29T00:00:00Z",
        "2024-060",
        "20240229",
        "",
    ] {
        let err = Date::from(text).to_date().unwrap_err();
        assert_eq!(err.value(), text);
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }
}

#[test]
fn any_text_decodes_and_is_sent_back_unchanged() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Stage {
        add_time: Option<DateTime>,
        due: Option<Date>,
    }
    // A shape the document does not promise (a bare date in a date-time field) still decodes.
    let body = r#"{"add_time":"2025-03-10","due":"someday"}"#;
    let stage: Stage = serde_json::from_str(body).unwrap();
    assert_eq!(stage.add_time.as_ref().map(DateTime::as_str), Some("2025-03-10"));
    assert_eq!(stage.due.as_ref().map(Date::as_str), Some("someday"));
    assert_eq!(serde_json::to_string(&stage).unwrap(), body);

    let null: Stage = serde_json::from_str(r#"{"add_time":null,"due":null}"#).unwrap();
    assert_eq!(
        null,
        Stage {
            add_time: None,
            due: None
        }
    );
    assert!(
        serde_json::from_str::<Stage>(r#"{"add_time":5,"due":null}"#).is_err(),
        "a number is not a time"
    );
}

#[test]
fn time_values_are_written_as_pipedrive_reads_them() {
    let at = utc(2026, Month::April, 14, 10, 45, 20);
    let text = DateTime::try_from(at).unwrap();
    assert_eq!(text.as_str(), "2026-04-14T10:45:20Z");
    assert_eq!(text.to_offset_date_time().unwrap(), at, "round trip");
    assert_eq!(
        text.to_string(),
        "2026-04-14T10:45:20Z",
        "Display is the text, as in a query"
    );

    let offset = at.to_offset(UtcOffset::from_hms(-5, 0, 0).unwrap());
    assert_eq!(
        DateTime::try_from(offset).unwrap().as_str(),
        "2026-04-14T05:45:20-05:00"
    );
    let odd_offset = at.to_offset(UtcOffset::from_hms(0, 0, 30).unwrap());
    let err = DateTime::try_from(odd_offset).unwrap_err();
    assert!(err.to_string().contains("RFC 3339 can write"), "{err}");

    // v1's shape, in UTC whatever the offset; the fraction of a second is dropped.
    let v1 = DateTime::v1_utc(offset.replace_millisecond(250).unwrap()).unwrap();
    assert_eq!(v1.as_str(), "2026-04-14 10:45:20");
    let early = utc(0, Month::January, 1, 0, 30, 0).to_offset(UtcOffset::from_hms(1, 0, 0).unwrap());
    assert_eq!(DateTime::v1_utc(early).unwrap().as_str(), "0000-01-01 00:30:00");
    let before_year_0 = utc(0, Month::January, 1, 0, 30, 0).to_offset(UtcOffset::from_hms(-1, 0, 0).unwrap());
    assert!(DateTime::v1_utc(before_year_0).is_ok(), "the year is read in UTC");
    let too_early = utc(-1, Month::December, 31, 23, 0, 0);
    assert!(
        DateTime::v1_utc(too_early)
            .unwrap_err()
            .to_string()
            .contains("year from 0 to 9999")
    );

    let day = pipedrive_runtime::time::Date::from_calendar_date(7, Month::January, 2).unwrap();
    assert_eq!(Date::try_from(day).unwrap().as_str(), "0007-01-02");
    let early = pipedrive_runtime::time::Date::from_calendar_date(-1, Month::January, 2).unwrap();
    assert!(
        Date::try_from(early)
            .unwrap_err()
            .to_string()
            .contains("year from 0 to 9999")
    );
}

proptest! {
    /// Any text decodes, and reading it as a time gives a value or an error, never a panic.
    #[test]
    fn any_text_reads_without_panicking(text in ".{0,40}", near in "[0-9 :T+Z.-]{0,30}") {
        for text in [text, near] {
            let value: DateTime = serde_json::from_value(serde_json::Value::String(text.clone())).unwrap();
            prop_assert_eq!(value.as_str(), text.as_str());
            let _ = value.to_offset_date_time();
            let _ = Date::from(text.as_str()).to_date();
        }
    }

    /// Every valid v1 time reads as that instant in UTC, and every instant written as RFC 3339
    /// reads back as itself.
    #[test]
    fn valid_times_round_trip(
        year in 0i32..=9999,
        month in 1u8..=12,
        day in 1u8..=28,
        hour in 0u8..24,
        minute in 0u8..60,
        second in 0u8..60,
        offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59i32),
    ) {
        let month = Month::try_from(month).unwrap();
        let instant = utc(year, month, day, hour, minute, second);
        let v1 = format!("{year:04}-{:02}-{day:02} {hour:02}:{minute:02}:{second:02}", u8::from(month));
        prop_assert_eq!(DateTime::from(v1.as_str()).to_offset_date_time().unwrap(), instant);

        let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
        let local = instant.to_offset(offset);
        let written = DateTime::try_from(local);
        if (0..=9999).contains(&local.year()) {
            prop_assert_eq!(written.unwrap().to_offset_date_time().unwrap(), instant);
        } else {
            // RFC 3339 cannot write a year the offset moved out of 0 to 9999.
            prop_assert!(written.is_err());
        }

        // Written in v1's shape from any offset, it is the same text.
        prop_assert_eq!(DateTime::v1_utc(local).unwrap().into_string(), v1);

        let date = Date::try_from(instant.date()).unwrap();
        prop_assert_eq!(date.to_date().unwrap(), instant.date());
    }
}
