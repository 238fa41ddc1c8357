//! Pipedrive's descriptions mix HTML (`<a href>`, `<br>`, `<b>`, `<h4>`, `<table>`) with Markdown;
//! rustdoc wants Markdown. This module turns one into the other and makes the result, like any
//! plain text the emitter quotes, safe to put in a doc comment. It has two parts:
//!
//! - [`html`] walks a description's tags and writes Markdown: a table becomes a Markdown table, a
//!   heading a bold line, a link a Markdown link (only an absolute one), an entity its character.
//! - [`rustdoc`] makes text safe as rustdoc: no stray `[`…`]` that rustdoc would read as a broken
//!   intra-doc link, no bare URLs, no indented lines that would become doctests, no list
//!   continuations that clippy calls lazy, no line that opens a fence, heading or list by accident.
//!
//! The functions here are what the rest of the crate calls, and join the two: [`html_to_markdown`]
//! keeps a description's fenced blocks as text, gives the prose between them to the walker (which
//! escapes its text as it writes it) and tidies the lines; the plain-text ones only escape.

mod html;
mod rustdoc;
#[cfg(test)]
mod tests;

use html::convert_tags;
use rustdoc::{Fence, Lines, Mode, escape_line_start, escape_markdown};

/// Text that can go in a `///` comment: `\r\n` and a lone `\r` (which rustc rejects in a doc
/// comment) become `\n`, and Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, which
/// trip rustc's deny-by-default `text_direction_codepoint_in_comment`) are dropped. Every doc
/// attribute the emitter writes goes through this (`emit::tokens::doc_lines`); descriptions go
/// through it before their lines are tidied, so a `\r` cannot hide an indented line.
pub fn comment_safe(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c == '\r' { '\n' } else { c })
        .collect()
}

/// Converts a description to rustdoc-safe Markdown. Returns `None` for an empty description.
///
/// Fenced blocks (``` or ~~~) are found first, on the description's own lines, and kept as
/// written, marked as text; only the prose between them is converted and escaped. So a block's
/// text is never escaped, and what is escaped is never read as a block.
pub fn html_to_markdown(html: &str) -> Option<String> {
    let text = comment_safe(html).replace('\t', "    ");
    let mut doc = Lines::default();
    let mut prose: Vec<&str> = Vec::new();
    let mut fence: Option<Fence> = None;
    for line in text.split('\n') {
        if let Some(open) = fence {
            if open.closed_by(line.trim()) {
                doc.push(open.marker());
                fence = None;
            } else {
                doc.push(line.trim_end().to_owned());
            }
        } else if let Some(open) = Fence::opening(line.trim()) {
            doc.prose(&convert_tags(&prose.join("\n")));
            prose.clear();
            // Whatever its language, a block from a document is not a doctest.
            doc.push(format!("{}text", open.marker()));
            fence = Some(open);
        } else {
            prose.push(line);
        }
    }
    match fence {
        Some(open) => doc.push(open.marker()),
        None => doc.prose(&convert_tags(&prose.join("\n"))),
    }
    let text = doc.finish();
    if text.is_empty() { None } else { Some(text) }
}

/// Plain text (a summary, a document's title, a tag name) as Markdown for a doc comment, on one
/// line: every run of whitespace (tabs and line breaks too) becomes one space; brackets, angle
/// brackets, backslashes and backticks without a closing partner are escaped, so they show as
/// written; bare URLs are wrapped in `<…>`; a start that Markdown would read as a heading, list
/// item or fence is escaped. Text in matching backticks stays code.
pub(crate) fn plain_text_to_markdown(text: &str) -> String {
    let line = comment_safe(text).split_whitespace().collect::<Vec<_>>().join(" ");
    escape_line_start(&escape_markdown(&line, Mode::Plain))
}

/// Plain text that may run over several lines (a summary) as Markdown: each line as by
/// [`plain_text_to_markdown`], so none can start a list item, heading or fence (nor be a lazy
/// continuation of one); at most one blank line in a row, none at the ends.
pub(crate) fn plain_lines_to_markdown(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in comment_safe(text).split('\n').map(plain_text_to_markdown) {
        if !line.is_empty() || lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(line);
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

/// `text` as inline code: fenced by more backticks than it holds in a row, padded with a space
/// where it starts or ends with a backtick, on one line. The emitter quotes names, defaults and
/// enum values from the documents with it.
pub(crate) fn code_span(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}
