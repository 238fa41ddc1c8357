//! The generated crate's next version, from the most severe change, by Cargo's semver rules.
//!
//! Cargo treats the left-most non-zero component as the major one: for `0.x.y` a breaking change
//! bumps `x` and anything compatible bumps `y`; from `1.0.0` on, major, minor and patch each bump
//! their own component.

use super::Severity;

/// The version that follows `current` after changes of at most `severity`; `None` keeps it.
///
/// `current` must be a plain `MAJOR.MINOR.PATCH` (no pre-release or build metadata: a generated
/// crate is released from a spec, so it has no use for them).
pub fn next_version(current: &str, severity: Option<Severity>) -> Result<String, String> {
    let [major, minor, patch] = parse(current)?;
    let Some(severity) = severity else {
        return Ok(format!("{major}.{minor}.{patch}"));
    };
    let bumped = match (major, severity) {
        (0, Severity::Major) => [0, increment(minor, current)?, 0],
        (0, Severity::Minor | Severity::Patch) => [0, minor, increment(patch, current)?],
        (_, Severity::Major) => [increment(major, current)?, 0, 0],
        (_, Severity::Minor) => [major, increment(minor, current)?, 0],
        (_, Severity::Patch) => [major, minor, increment(patch, current)?],
    };
    let [major, minor, patch] = bumped;
    Ok(format!("{major}.{minor}.{patch}"))
}

fn parse(version: &str) -> Result<[u64; 3], String> {
    let malformed =
        |why: &str| format!("`{version}` is not a version of the form MAJOR.MINOR.PATCH (like `0.1.0`): {why}");
    if version.is_empty() {
        return Err(malformed("it is empty"));
    }
    if version.contains(['-', '+']) {
        return Err(malformed("pre-release and build metadata are not supported"));
    }
    let parts: Vec<&str> = version.split('.').collect();
    let [major, minor, patch] = parts.as_slice() else {
        return Err(malformed(&format!("it has {} dot-separated parts, not 3", parts.len())));
    };
    Ok([
        number(major).map_err(|why| malformed(&why))?,
        number(minor).map_err(|why| malformed(&why))?,
        number(patch).map_err(|why| malformed(&why))?,
    ])
}

/// One component: digits only, no leading zero (semver forbids `01`), fits in a `u64`.
fn number(part: &str) -> Result<u64, String> {
    if part.is_empty() {
        return Err("a component is empty".to_owned());
    }
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{part}` is not a number"));
    }
    if part.len() > 1 && part.starts_with('0') {
        return Err(format!("`{part}` has a leading zero"));
    }
    part.parse().map_err(|_| format!("`{part}` is too large"))
}

fn increment(component: u64, version: &str) -> Result<u64, String> {
    component
        .checked_add(1)
        .ok_or_else(|| format!("`{version}` cannot be bumped: a component is at its largest value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(current: &str, severity: Option<Severity>) -> Result<String, String> {
        next_version(current, severity)
    }

    #[test]
    fn zero_major_versions_bump_minor_for_breaks_and_patch_otherwise() {
        assert_eq!(next("0.1.0", Some(Severity::Major)), Ok("0.2.0".to_owned()));
        assert_eq!(next("0.1.3", Some(Severity::Major)), Ok("0.2.0".to_owned()));
        assert_eq!(next("0.1.3", Some(Severity::Minor)), Ok("0.1.4".to_owned()));
        assert_eq!(next("0.1.3", Some(Severity::Patch)), Ok("0.1.4".to_owned()));
        assert_eq!(next("0.0.7", Some(Severity::Major)), Ok("0.1.0".to_owned()));
    }

    #[test]
    fn stable_versions_bump_their_own_component() {
        assert_eq!(next("1.2.3", Some(Severity::Major)), Ok("2.0.0".to_owned()));
        assert_eq!(next("1.2.3", Some(Severity::Minor)), Ok("1.3.0".to_owned()));
        assert_eq!(next("1.2.3", Some(Severity::Patch)), Ok("1.2.4".to_owned()));
    }

    #[test]
    fn no_change_keeps_the_version() {
        assert_eq!(next("0.1.0", None), Ok("0.1.0".to_owned()));
        assert_eq!(next("3.0.9", None), Ok("3.0.9".to_owned()));
    }

    #[test]
    fn malformed_versions_are_refused_with_the_reason() {
        let cases = [
            ("", "it is empty"),
            ("1.2", "2 dot-separated parts"),
            ("1.2.3.4", "4 dot-separated parts"),
            ("1.x.3", "`x` is not a number"),
            ("01.2.3", "leading zero"),
            ("1..3", "a component is empty"),
            (" 1.2.3", "` 1` is not a number"),
            ("1.2.3-beta.1", "pre-release"),
            ("1.2.3+build", "build metadata"),
            ("1.2.99999999999999999999", "too large"),
        ];
        for (version, reason) in cases {
            // An accepted version leaves the message empty, which fails the first assertion.
            let message = next(version, Some(Severity::Patch)).err().unwrap_or_default();
            assert!(message.contains(reason), "`{version}`: {message:?}");
            assert!(message.contains("MAJOR.MINOR.PATCH"), "{message}");
        }
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = u64::MAX;
        let result = next(&format!("{max}.0.0"), Some(Severity::Major));
        assert!(matches!(&result, Err(m) if m.contains("largest value")), "{result:?}");
    }
}
