//! Dates and times as Pipedrive sends them: fields the documents mark `format: date-time` or
//! `format: date` are [`DateTime`] and [`Date`], which keep the text as sent and parse it into
//! [`time`] types when asked.
//!
//! Why not parse while decoding: the documents promise RFC 3339 for `date-time`, but v1 sends its
//! times as `YYYY-MM-DD HH:MM:SS` in UTC, and the v2 document's own examples put a bare date in a
//! `date-time` field. A strict type would turn any such drift
//! into a decode error for the whole response; these types always decode, and the caller decides
//! what to do with a value that does not parse.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Month, OffsetDateTime, PrimitiveDateTime, Time};

/// A date and time (`format: date-time`), kept as the text Pipedrive sent or the caller gave.
///
/// [`DateTime::to_offset_date_time`] reads RFC 3339 (`2026-04-14T10:45:20.852Z`, v2) and v1's
/// `YYYY-MM-DD HH:MM:SS`, which is UTC. Build one from text (`"2026-04-14T10:45:20Z".into()`) or
/// from a [`time::OffsetDateTime`]: `DateTime::try_from(now)?` writes RFC 3339, and
/// [`DateTime::v1_utc`] writes v1's shape, for the fields and parameters whose docs say
/// `Format: YYYY-MM-DD HH:MM:SS`.
///
/// Equality compares the text, as sent: `2017-08-03 12:51:18` and `2017-08-03T12:51:18Z` are the
/// same instant but not equal; compare the parsed values for that.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DateTime(String);

/// A calendar date (`format: date`, `YYYY-MM-DD`), kept as text; see [`DateTime`] for why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(String);

/// A date or time that could not be read or written: the text (or value) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    value: String,
    expected: &'static str,
}

const DATE_TIME_SHAPES: &str = "a date and time: RFC 3339 (`2026-04-14T10:45:20Z`) or `YYYY-MM-DD HH:MM:SS` (UTC)";
const DATE_SHAPE: &str = "a date: `YYYY-MM-DD`";

impl DateTime {
    /// `value` as v1 writes times: `YYYY-MM-DD HH:MM:SS` in UTC. Fails for a year (in UTC)
    /// outside 0 to 9999.
    pub fn v1_utc(value: OffsetDateTime) -> Result<Self, TimeError> {
        let utc = value.to_offset(time::UtcOffset::UTC);
        let date = calendar_text(utc.date())
            .ok_or_else(|| TimeError::new(&value.to_string(), "a date and time with a year from 0 to 9999 in UTC"))?;
        Ok(DateTime(format!(
            "{date} {:02}:{:02}:{:02}",
            utc.hour(),
            utc.minute(),
            utc.second()
        )))
    }

    /// The point in time: RFC 3339 keeps its offset, v1's `YYYY-MM-DD HH:MM:SS` is read as UTC.
    pub fn to_offset_date_time(&self) -> Result<OffsetDateTime, TimeError> {
        OffsetDateTime::parse(&self.0, &Rfc3339)
            .ok()
            .or_else(|| space_separated_utc(&self.0))
            .ok_or_else(|| TimeError::new(&self.0, DATE_TIME_SHAPES))
    }
}

impl Date {
    /// The calendar date of a `YYYY-MM-DD` text.
    pub fn to_date(&self) -> Result<time::Date, TimeError> {
        calendar_date(&self.0).ok_or_else(|| TimeError::new(&self.0, DATE_SHAPE))
    }
}

impl TimeError {
    fn new(value: &str, expected: &'static str) -> Self {
        TimeError {
            value: value.to_owned(),
            expected,
        }
    }

    /// The text (or the value, written out) that was refused.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}", self.value, self.expected)
    }
}

impl std::error::Error for TimeError {}

/// `YYYY-MM-DD HH:MM:SS`, v1's shape, as UTC (Pipedrive's v1 times are UTC).
fn space_separated_utc(text: &str) -> Option<OffsetDateTime> {
    let (date, clock) = text.split_once(' ')?;
    let date = calendar_date(date)?;
    let [hour, minute, second] = fixed_numbers(clock, ':', [2, 2, 2])?;
    let clock = Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, clock).assume_utc())
}

/// `YYYY-MM-DD`, nothing more or less (no sign, no week or ordinal dates).
fn calendar_date(text: &str) -> Option<time::Date> {
    let [year, month, day] = fixed_numbers(text, '-', [4, 2, 2])?;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    time::Date::from_calendar_date(i32::from(year), month, u8::try_from(day).ok()?).ok()
}

/// Three runs of ASCII digits of the given widths joined by `separator` (`2026-04-14`,
/// `10:45:20`), and nothing else.
fn fixed_numbers(text: &str, separator: char, widths: [usize; 3]) -> Option<[u16; 3]> {
    let mut parts = text.split(separator);
    let mut numbers = [0u16; 3];
    for (number, width) in numbers.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *number = part.parse().ok()?;
    }
    parts.next().is_none().then_some(numbers)
}

/// What [`DateTime`] and [`Date`] share: built from text, giving it back, shown as it.
macro_rules! keeps_text {
    ($name:ident) => {
        impl $name {
            /// From its text, sent as is.
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The text as Pipedrive sent it (or as given).
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        /// The text, as a query or header value sends it.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }
    };
}

keeps_text!(DateTime);
keeps_text!(Date);

impl TryFrom<OffsetDateTime> for DateTime {
    type Error = TimeError;

    /// Written as RFC 3339 with the value's own offset; fails only where RFC 3339 cannot say it
    /// (a year outside 0 to 9999, an offset with seconds).
    fn try_from(value: OffsetDateTime) -> Result<Self, TimeError> {
        value.format(&Rfc3339).map(DateTime).map_err(|_| {
            TimeError::new(
                &value.to_string(),
                "a date and time RFC 3339 can write (a year from 0 to 9999, an offset in whole minutes)",
            )
        })
    }
}

impl TryFrom<time::Date> for Date {
    type Error = TimeError;

    /// Written as `YYYY-MM-DD`; fails for a year outside 0 to 9999, which that shape cannot hold.
    fn try_from(value: time::Date) -> Result<Self, TimeError> {
        calendar_text(value)
            .map(Date)
            .ok_or_else(|| TimeError::new(&value.to_string(), "a date with a year from 0 to 9999"))
    }
}

/// `YYYY-MM-DD`; `None` for a year outside 0 to 9999, which that shape cannot hold.
fn calendar_text(date: time::Date) -> Option<String> {
    (0..=9999)
        .contains(&date.year())
        .then(|| format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}
