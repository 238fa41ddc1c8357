//! Scrubbing secrets out of text that came from a server, before it is kept or logged.
//!
//! A leaf module: `auth` (which knows the tokens) implements [`Redact`], while `failure`,
//! `error_body`, `decode`, `pagination` and the OAuth client only hold a `&dyn Redact`, so neither
//! side needs the other. The comparison ignores ASCII case, because some places a server can echo
//! a token into lowercase it: a host name in a redirect's URL is one.

/// Something that may need scrubbing out of server text.
pub(crate) trait Redact {
    fn redact(&self, text: &str) -> String;
}

/// What stands in for a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// `text` with every occurrence of each non-empty secret, in any ASCII case, replaced by
/// [`REDACTED`].
pub(crate) fn scrub<'a>(text: &str, secrets: impl IntoIterator<Item = &'a str>) -> String {
    let mut scrubbed = text.to_owned();
    for secret in secrets {
        if let Some(replaced) = replace_ignoring_case(&scrubbed, secret) {
            scrubbed = replaced;
        }
    }
    scrubbed
}

/// `text` with `secret` replaced wherever it occurs in any ASCII case, or `None` if it does not
/// occur (or is empty). ASCII case folding keeps every byte's length, so the places found in the
/// folded text are the places in `text`, and they fall on character boundaries because `secret`
/// starts and ends with whole characters.
fn replace_ignoring_case(text: &str, secret: &str) -> Option<String> {
    if secret.is_empty() || text.len() < secret.len() {
        return None;
    }
    // Checked without allocating first: nearly every text holds no secret (a request id is
    // scrubbed on every response).
    let found = text
        .as_bytes()
        .windows(secret.len())
        .any(|window| window.eq_ignore_ascii_case(secret.as_bytes()));
    if !found {
        return None;
    }
    let folded = text.to_ascii_lowercase();
    let needle = secret.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, _) in folded.match_indices(&needle) {
        out.push_str(text.get(copied..at)?);
        out.push_str(REDACTED);
        copied = at + needle.len();
    }
    out.push_str(text.get(copied..)?);
    Some(out)
}

/// Redactors for the unit tests of the modules that take a `&dyn Redact`.
#[cfg(test)]
pub(crate) mod test_redactors {
    use super::Redact;

    /// Redacts nothing, for tests of the text handling alone.
    pub(crate) struct NoSecret;

    impl Redact for NoSecret {
        fn redact(&self, text: &str) -> String {
            text.to_owned()
        }
    }

    /// Redacts `SECRET-1`, standing in for the token.
    pub(crate) struct Token;

    impl Redact for Token {
        fn redact(&self, text: &str) -> String {
            text.replace("SECRET-1", "[redacted]")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_is_scrubbed_in_any_ascii_case() {
        let text = "host secret-abc.example, header SECRET-ABC, again Secret-Abc.";
        assert_eq!(
            scrub(text, ["SECRET-ABC"]),
            "host <redacted>.example, header <redacted>, again <redacted>."
        );
    }

    #[test]
    fn text_around_the_secret_keeps_its_case_and_its_non_ascii_characters() {
        assert_eq!(
            scrub("Ünïcode TOKEN ünd Mehr", ["token"]),
            "Ünïcode <redacted> ünd Mehr"
        );
        assert_eq!(scrub("nothing here", ["token", ""]), "nothing here");
        assert_eq!(scrub("to", ["token"]), "to");
    }
}
