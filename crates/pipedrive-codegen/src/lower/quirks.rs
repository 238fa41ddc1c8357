//! What Pipedrive says only in prose, read out of it.
//!
//! Pipedrive's documents state some rules in descriptions rather than schema keywords (see
//! `SOURCES.md`): the 500-item `limit` cap and the replacement of a deprecated endpoint. Each rule
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
