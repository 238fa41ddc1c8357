//! Renders [`ApiChanges`] as a changelog section: a heading, a one-line verdict, then one bullet
//! per change, grouped by severity.

use std::fmt::Write as _;

use super::{ApiChanges, Severity};

/// Most severe first, as a reader of a changelog wants it.
const SECTIONS: [(Severity, &str); 3] = [
    (Severity::Major, "Breaking"),
    (Severity::Minor, "Non-breaking"),
    (Severity::Patch, "Documentation and metadata"),
];

impl ApiChanges {
    /// A Markdown changelog section: `## {heading}`, the verdict, then a `###` subsection per
    /// severity that has changes. The same changes always give the same bytes.
    pub fn to_markdown(&self, heading: &str) -> String {
        let mut text = format!("## {heading}\n\n{}\n", verdict(self.severity()));
        for (severity, title) in SECTIONS {
            let mut bullets = self.of_severity(severity).peekable();
            if bullets.peek().is_none() {
                continue;
            }
            // Writing to a String cannot fail; the results are ignored rather than unwrapped.
            let _ = write!(text, "\n### {title}\n\n");
            for change in bullets {
                let _ = writeln!(text, "- {}", change.message);
            }
        }
        text
    }
}

/// What the changes mean for the generated crate's version, in one line.
fn verdict(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Major) => "Breaking changes (semver major).",
        Some(Severity::Minor) => "Additions (semver minor).",
        Some(Severity::Patch) => "Documentation and metadata only (semver patch).",
        None => "No changes to the generated API.",
    }
}
