//! What Pipedrive says only in prose, read out of it.
//!
//! Pipedrive's documents state some rules in descriptions rather than schema keywords (see
//! `SOURCES.md`): the 500-item `limit` cap, the replacement of a deprecated endpoint, and dates
//! and times, which have no `format` in either document but say what they are in words. Each rule
//! here matches Pipedrive's exact phrasing, so a changed sentence stops matching rather than
//! matching something else.

/// `"… Please note that a maximum value of 500 is allowed."` → `Some(500)`.
pub fn maximum_from_description(description: &str) -> Option<i64> {
    const PHRASE: &str = "a maximum value of ";
    let at = description.find(PHRASE)?;
    let rest = description.get(at + PHRASE.len()..)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest.get(digits.len()..)?;
    if !after.starts_with(" is allowed") {
        return None;
    }
    digits.parse().ok()
}

/// `"… Each item must contain a label. At least one option is required."` → `Some(1)`: v2's
/// bodies that add, update or delete a field's options are lists whose schema has no `minItems`
/// but whose description asks for one item at least ("At least one option ID is required").
pub fn min_items_from_description(description: &str) -> Option<u64> {
    const PHRASE: &str = "At least one ";
    let at = description.find(PHRASE)?;
    let sentence = description.get(at + PHRASE.len()..)?.split('.').next()?;
    let noun = sentence.strip_suffix(" is required")?;
    // One or two plain words ("option", "option ID"), not a clause that says something else.
    let words = noun.split(' ').count();
    ((1..=2).contains(&words) && noun.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')).then_some(1)
}

/// `"… Please use <a href=…>GET /api/v2/deals?stage_id={id}</a> instead."` →
/// `Some("GET /api/v2/deals?stage_id={id}")`.
pub fn replacement_from_description(description: &str) -> Option<String> {
    let at = description.find("Please use ")?;
    let rest = description.get(at + "Please use ".len()..)?;
    let end = rest.find(" instead")?;
    let text = strip_tags(rest.get(..end)?);
    let text = text.trim();
    let (method, path) = text.split_once(' ')?;
    let is_method = matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE");
    (is_method && path.starts_with('/')).then(|| text.to_owned())
}

/// The `format` a text field would have, were it written as a keyword: `Some("date-time")` or
/// `Some("date")` when its description says so in one of Pipedrive's phrasings, `None` otherwise.
///
/// Neither document gives its times a `format`; `SOURCES.md` records that v2 sends them as
/// RFC 3339 and v1 as `YYYY-MM-DD HH:MM:SS` in UTC. The descriptions say which fields they are:
/// - v1's explicit shapes, `"… Format: YYYY-MM-DD HH:MM:SS."` and `"… Format: YYYY-MM-DD."`,
///   which win over the phrases below;
/// - the phrases both documents use for a point in time: `"The creation date and time of the
///   deal"`, `"The stage creation time"`, `"The pipeline update time"`, `"The add time of the
///   following"`, and v2's parameters `"… In RFC3339 format, e.g. 2025-01-01T10:20:00Z."`. A
///   phrase matches only as whole words (`add time` is not in `add timezone`), and times of day
///   (`"The due time of the activity"`, `Format: HH:MM`) match none of them.
///
/// The generated `DateTime` and `Date` keep the text as sent and parse only on request, so prose
/// that is wrong costs a failed parse on request, never a failed decode.
pub fn format_from_description(description: &str) -> Option<&'static str> {
    format_from_shape(description).or_else(|| date_time_from_phrase(description))
}

/// `"The comma-separated stage IDs to delete"`, `"Optional comma separated string array of up to
/// 100 entity ids to fetch"` → `true`: a text parameter that is a list of IDs joined by commas.
/// Pipedrive's IDs in these lists are integers (stages, activities, fields, filters, deal
/// products and the entities of v2's list endpoints); lists of other things ("comma-separated
/// string array. The fields to perform the search from") do not say "IDs".
/// Whether an integer's description says it is a flag, `0` or `1`: v1 writes
/// "Whether the user has picture or not. 0 = No picture, 1 = Has picture." and "0 = Not done,
/// 1 = Done" on `integer` fields and parameters with no `enum`, and its own examples send some
/// of them as `true`/`false` (`has_pic` in `related_objects`). As a `bool` read from either and
/// sent as `0`/`1` (`Scalar::BoolAsNumber`), both decode.
pub fn is_zero_one_flag(description: &str) -> bool {
    let text = strip_tags(description);
    text.contains("0 = ") && text.contains(", 1 = ")
}

pub fn is_comma_separated_ids(description: &str) -> bool {
    let lower = description.to_ascii_lowercase();
    (contains_words(&lower, "comma-separated") || contains_words(&lower, "comma separated"))
        && contains_words(&lower, "ids")
}

/// Phrases (lowercase) that name a point in time in Pipedrive's descriptions.
const DATE_TIME_PHRASES: [&str; 7] = [
    "date and time",
    "date & time",
    "creation time",
    "update time",
    "add time",
    "in rfc3339 format",
    "datetime in iso 8601 format",
];

fn date_time_from_phrase(description: &str) -> Option<&'static str> {
    let lower = description.to_ascii_lowercase();
    DATE_TIME_PHRASES
        .iter()
        .any(|phrase| contains_words(&lower, phrase))
        .then_some("date-time")
}

/// Whether `phrase` occurs in `text` with no letter or digit right before or after it.
fn contains_words(text: &str, phrase: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(phrase).any(|(at, _)| {
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(at + phrase.len()..).and_then(|t| t.chars().next());
        !is_word(before) && !is_word(after)
    })
}

/// v1's `Format: YYYY-MM-DD HH:MM:SS` and `Format: YYYY-MM-DD`.
fn format_from_shape(description: &str) -> Option<&'static str> {
    const DATE: &str = "Format: YYYY-MM-DD";
    let at = description.find(DATE)?;
    let rest = description.get(at + DATE.len()..)?;
    if rest.starts_with(" HH:MM:SS") {
        return Some("date-time");
    }
    // The date alone: the phrase ends there (`YYYY-MM-DD.`, the end, or a space before prose),
    // not in another pattern (`YYYY-MM-DDTHH`, `YYYY-MM-DD HH:MM`).
    match rest.chars().next() {
        None | Some('.' | ',' | ';' | ')') => Some("date"),
        Some(' ') if !rest.starts_with(" HH") => Some("date"),
        _ => None,
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v1_date_and_time_formats() {
        let cases = [
            (
                "The stage creation time. Format: YYYY-MM-DD HH:MM:SS.",
                Some("date-time"),
            ),
            ("The timestamp in UTC. Format: YYYY-MM-DD HH:MM:SS", Some("date-time")),
            (
                "Format: YYYY-MM-DD HH:MM:SS. Can be set only when the deal is won.",
                Some("date-time"),
            ),
            (
                "The date when the first interval starts. Format: YYYY-MM-DD.",
                Some("date"),
            ),
            ("The expected close date. Format: YYYY-MM-DD", Some("date")),
            ("Format: YYYY-MM-DD. This date must be today or later.", Some("date")),
            ("Format: YYYY-MM-DDTHH:MM:SSZ", None),
            ("Format: YYYY-MM-DD HH:MM", None),
            ("Format: HH:MM:SS.", None),
            ("The date, as YYYY-MM-DD.", None),
            // An explicit shape wins over a phrase.
            ("The date and time of the call. Format: YYYY-MM-DD.", Some("date")),
        ];
        for (description, expected) in cases {
            assert_eq!(format_from_description(description), expected, "{description}");
        }
    }

    #[test]
    fn reads_points_in_time_from_their_phrasing() {
        let times = [
            "The stage creation time",
            "The pipeline update time",
            "The creation date and time of the deal",
            "The last updated date and time of the deal stage",
            "The date and time of the change in ISO 8601 format",
            "The add time of the following",
            "The optional creation date & time of the deal in UTC.",
            "If set, only deals with an `update_time` later than or equal to this time are returned. In RFC3339 format, e.g. 2025-01-01T10:20:00Z.",
            "The time boundary that points to the start of the range of data. Datetime in ISO 8601 format",
        ];
        for description in times {
            assert_eq!(format_from_description(description), Some("date-time"), "{description}");
        }
        let not_times = [
            "The due time of the activity",
            "The due time of the activity in UTC. Format: HH:MM",
            "The time of the next activity associated with the deal",
            "The date of image upload.",
            "The timezone the activity was created in an external calendar",
            "Lets a user add timezone offsets",
            "The field to sort by. Supported fields: `id`, `update_time`, `add_time`.",
            "Shows the creation timeline",
        ];
        for description in not_times {
            assert_eq!(format_from_description(description), None, "{description}");
        }
    }

    #[test]
    fn reads_comma_separated_ids() {
        let lists_of_ids = [
            "The comma-separated stage IDs to delete",
            "A comma-separated string of activity IDs to exclude from result",
            "Optional comma separated string array of up to 100 entity ids to fetch. If filter_id is provided, this is ignored.",
            "Comma-separated list of deal product IDs to delete. If not provided, all deal products will be deleted.",
        ];
        for description in lists_of_ids {
            assert!(is_comma_separated_ids(description), "{description}");
        }
        let not_lists_of_ids = [
            "A comma-separated string array. The fields to perform the search from. Defaults to all of them.",
            "Optional comma separated string array of custom fields keys to include.",
            "The IDs of the deals, one per request",
            "The ID of the stage",
            "A comma-separated list of idseeds",
        ];
        for description in not_lists_of_ids {
            assert!(!is_comma_separated_ids(description), "{description}");
        }
    }

    #[test]
    fn reads_the_limit_cap() {
        let d = "For pagination, the limit of entries to be returned. If not provided, 100 items will be returned. Please note that a maximum value of 500 is allowed.";
        assert_eq!(maximum_from_description(d), Some(500));
        assert_eq!(maximum_from_description("Items shown per page"), None);
        assert_eq!(maximum_from_description("a maximum value of 500 characters"), None);
    }

    #[test]
    fn a_list_body_asks_for_one_item_in_prose() {
        let add = "Array of options to add. Each item must contain a label. At least one option is required.";
        assert_eq!(min_items_from_description(add), Some(1));
        let delete = "Array of option IDs to delete. At least one option ID is required. The entire request fails if any option does not exist.";
        assert_eq!(min_items_from_description(delete), Some(1));
        assert_eq!(
            min_items_from_description("At least one field must be provided in the request body."),
            None
        );
        assert_eq!(
            min_items_from_description("At least one of the ids, when set, is required"),
            None
        );
        assert_eq!(min_items_from_description("Array of options to add."), None);
    }

    #[test]
    fn reads_the_replacement() {
        let d = "Lists deals in a specific stage. <br>This endpoint has been deprecated. Please use <a href=\"https://developers.pipedrive.com/docs/api/v1/Deals#getDeals\" target=\"_blank\" rel=\"noopener noreferrer\">GET /api/v2/deals?stage_id={id}</a> instead.";
        assert_eq!(
            replacement_from_description(d).as_deref(),
            Some("GET /api/v2/deals?stage_id={id}")
        );
        assert_eq!(
            replacement_from_description("please use the endpoint which is specific for activities instead"),
            None
        );
        assert_eq!(replacement_from_description("Please use this parameter instead"), None);
    }
}
