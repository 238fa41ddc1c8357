//! What Pipedrive says only in prose, read out of it.
//!
//! Pipedrive's documents state some rules in descriptions rather than schema keywords (see
//! `SOURCES.md`): the 500-item `limit` cap, the replacement of a deprecated endpoint, and v1's
//! dates and times, which have no `format` but say theirs in words. Each rule
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

/// `"… Format: YYYY-MM-DD HH:MM:SS."` → `Some("date-time")`, `"… Format: YYYY-MM-DD."` →
/// `Some("date")`: the `format` a text field of v1 would have, were it written as a keyword. v1
/// writes its times this way (its dates and times carry no `format`); the generated types keep the
/// text as sent, so the prose being wrong costs nothing but a failed parse on request.
pub fn format_from_description(description: &str) -> Option<&'static str> {
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
            ("The stage creation time", None),
        ];
        for (description, expected) in cases {
            assert_eq!(format_from_description(description), expected, "{description}");
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
