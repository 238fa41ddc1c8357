//! The HTML half of [`markdown`](super): a walk over a description's prose that turns the tags
//! Pipedrive writes into Markdown (a `<table>` into a Markdown table, an `<h4>` into a bold line,
//! an `<a href>` into a link, `<br>` and block tags into paragraph breaks) and drops the rest,
//! keeping their text. The text between tags is decoded and escaped as it is written, with
//! [`escape_markdown`]; what the walk returns is tidied line by line in
//! [`html_to_markdown`](super::html_to_markdown), which also keeps fenced blocks out of it.

use super::code_span;
use super::rustdoc::{Mode, code_span_len, escape_markdown};

/// Walks the text, turning known tags into Markdown and dropping unknown ones.
pub(super) fn convert_tags(html: &str) -> String {
    let mut converter = Converter {
        out: String::with_capacity(html.len()),
        link: None,
        heading: None,
        tables: Vec::new(),
    };
    let mut rest = html;
    while !rest.is_empty() {
        let Some(start) = rest.find(['<', '`']) else {
            converter.push_text(rest);
            break;
        };
        let (text, after) = rest.split_at(start);
        let escaped = text.len() - text.trim_end_matches('\\').len();
        if escaped % 2 == 1 {
            // A Markdown escape ("\`", "\<"): the character is text.
            converter.push_text(text.get(..text.len() - 1).unwrap_or(""));
            let c = after.get(..1).unwrap_or("");
            converter.out.push('\\');
            converter.out.push_str(c);
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        converter.push_text(text);
        if after.starts_with('`') {
            // A code span is code, what looks like a tag in it too ("`Basic <base64(id:secret)>`");
            // a backtick without a partner is text.
            let run = after.len() - after.trim_start_matches('`').len();
            match code_span_len(after, run) {
                Some(len) => {
                    let span = after.get(..len).unwrap_or("");
                    converter.out.push_str(&decode_entities(span));
                    rest = after.get(len..).unwrap_or("");
                }
                None => {
                    converter.push_text(after.get(..run).unwrap_or(""));
                    rest = after.get(run..).unwrap_or("");
                }
            }
            continue;
        }
        match parse_tag(after) {
            Some((tag, len)) => {
                converter.apply_tag(&tag);
                rest = after.get(len..).unwrap_or("");
            }
            None => {
                // A `<` that does not open a tag is text ("a < b").
                converter.push_text("<");
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    converter.finish()
}

/// Tags that only separate blocks of text: each becomes a paragraph break, so the text on either
/// side does not run together. (`<pre>` too: what a tag opens is never a code block, see
/// `not_a_fence` in [`rustdoc`](super::rustdoc); its `<code>` is still code.)
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "pre",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "details",
    "summary",
    "address",
    "center",
    "fieldset",
    "legend",
    "dl",
    "dt",
    "dd",
];

/// The most columns one `colspan` may take, so a malformed one cannot blow up a table.
const MAX_COLSPAN: usize = 16;

/// The Markdown written so far, and what is open in it: the `<a>` whose text is being written, a
/// heading, and tables (the innermost last). The text of each is written to `out` as it comes, and
/// taken back out of it when the link, heading, caption or cell closes. Links and headings close
/// before any table tag is applied, so what is taken is always the end of `out`.
struct Converter {
    out: String,
    link: Option<OpenLink>,
    /// Where the open heading's text starts in the output.
    heading: Option<usize>,
    tables: Vec<OpenTable>,
}

struct OpenLink {
    href: String,
    /// Where the link's text starts in the output.
    start: usize,
}

/// A `<table>` being read: its captions and rows so far, each cell's text as Markdown on one line
/// with its pipes escaped.
#[derive(Debug, Default)]
struct OpenTable {
    captions: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Whether the last row is still open: a cell outside one opens a row of its own.
    row_open: bool,
    part: Part,
}

/// What of a table is open: the text written since `start` is its text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Part {
    #[default]
    None,
    Caption {
        start: usize,
    },
    Cell {
        start: usize,
        header: bool,
        /// Its `colspan`: the columns it takes, at least one.
        span: usize,
    },
}

impl Converter {
    fn apply_tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("a", false) => {
                if let Some(href) = &tag.href {
                    self.close_link();
                    self.link = Some(OpenLink {
                        href: href.trim().to_owned(),
                        start: self.out.len(),
                    });
                }
            }
            ("a", true) => self.close_link(),
            ("table", false) => {
                self.close_inline();
                self.tables.push(OpenTable::default());
            }
            ("table", true) => self.close_table(),
            ("caption", false) => self.open_part(|start| Part::Caption { start }),
            ("tr", false) => self.open_row(),
            ("tr", true) => self.close_row(),
            ("td" | "th", false) => {
                let (header, span) = (name == "th", tag.span);
                self.open_part(|start| Part::Cell { start, header, span });
            }
            ("td" | "th" | "caption", true) => self.close_part(),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.close_heading();
                self.close_link();
                self.heading = Some(self.out.len());
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => match self.heading {
                Some(_) => self.close_heading(),
                None => self.out.push_str("\n\n"),
            },
            ("br", _) => self.out.push_str("\n\n"),
            (block, _) if BLOCK_TAGS.contains(&block) => self.out.push_str("\n\n"),
            // A thematic break, on a line of its own between blank lines (after a paragraph's
            // line, `---` would underline it as a heading).
            ("hr", _) => self.out.push_str("\n\n---\n\n"),
            // A heading, a caption and a header cell are already bold.
            ("b" | "strong", _) if !self.in_bold_text() => self.out.push_str("**"),
            ("i" | "em", _) => self.out.push('*'),
            ("del" | "s" | "strike", _) => self.out.push_str("~~"),
            ("sup", false) => self.out.push('^'),
            ("code", _) => self.out.push('`'),
            ("ul" | "ol", _) => self.out.push('\n'),
            // A cell is one line: its items run on, each after a bullet.
            ("li", false) if self.in_cell() => self.out.push_str("\n• "),
            ("li", false) => self.out.push_str("\n- "),
            // `span`, `u`, `font`, `sub`, `tbody` and the like: only their text is kept.
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        let decoded = decode_entities(text);
        // A link cannot hold a link, so the text of one keeps its URLs as they are.
        let mode = if self.link.as_ref().is_some_and(|l| is_absolute_url(&l.href)) {
            Mode::LinkText
        } else {
            Mode::Markdown
        };
        self.out.push_str(&escape_markdown(&decoded, mode));
    }

    /// Whether the text being written is shown bold anyway: a heading's, a caption's or a header
    /// cell's.
    fn in_bold_text(&self) -> bool {
        self.heading.is_some()
            || self
                .tables
                .last()
                .is_some_and(|t| matches!(t.part, Part::Caption { .. } | Part::Cell { header: true, .. }))
    }

    /// Whether the text being written is in a table cell (of the innermost table).
    fn in_cell(&self) -> bool {
        self.tables.last().is_some_and(|t| matches!(t.part, Part::Cell { .. }))
    }

    /// Closes what is open, innermost first, and returns the Markdown.
    fn finish(mut self) -> String {
        self.close_inline();
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.out
    }

    /// Ends the open link and heading: a table tag ends both (a link cannot span cells).
    fn close_inline(&mut self) {
        self.close_link();
        self.close_heading();
    }

    /// Ends the open heading: its text, on one line, becomes a bold line between blank lines.
    /// (Not a `#` heading: a description is part of an item's docs, under the item's own
    /// headings.)
    fn close_heading(&mut self) {
        self.close_link();
        let Some(start) = self.heading.take() else {
            return;
        };
        let text = one_line(&take_from(&mut self.out, start));
        if text.is_empty() {
            self.out.push_str("\n\n");
        } else {
            self.out.push_str(&format!("\n\n**{text}**\n\n"));
        }
    }

    /// Opens a caption or a cell of the innermost table, closing the one open; a cell opens a row
    /// if none is. Outside a table, a cell's text is only kept apart from the text before it.
    fn open_part(&mut self, part: impl FnOnce(usize) -> Part) {
        self.close_part();
        let start = self.out.len();
        let Some(table) = self.tables.last_mut() else {
            self.out.push(' ');
            return;
        };
        let part = part(start);
        if matches!(part, Part::Cell { .. }) && !table.row_open {
            table.rows.push(Vec::new());
            table.row_open = true;
        }
        table.part = part;
    }

    /// Closes the open caption or cell of the innermost table, taking its text out of `out`.
    fn close_part(&mut self) {
        self.close_inline();
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        match std::mem::take(&mut table.part) {
            Part::None => {}
            Part::Caption { start } => {
                let text = one_line(&take_from(&mut self.out, start));
                if !text.is_empty() {
                    table.captions.push(text);
                }
            }
            Part::Cell { start, span, .. } => {
                let text = escape_pipes(&one_line(&take_from(&mut self.out, start)));
                if table.rows.is_empty() {
                    table.rows.push(Vec::new());
                }
                if let Some(row) = table.rows.last_mut() {
                    row.push(text);
                    row.extend(std::iter::repeat_n(String::new(), span.saturating_sub(1)));
                }
            }
        }
    }

    /// Opens a row of the innermost table, closing the one open. (A space keeps text in no
    /// cell apart from the row's; outside a table, a row is a paragraph.)
    fn open_row(&mut self) {
        self.close_row();
        if let Some(table) = self.tables.last_mut() {
            table.rows.push(Vec::new());
            table.row_open = true;
        }
    }

    fn close_row(&mut self) {
        self.close_part();
        match self.tables.last_mut() {
            Some(table) => {
                table.row_open = false;
                self.out.push(' ');
            }
            None => self.out.push_str("\n\n"),
        }
    }

    /// Closes the innermost table and writes it: a Markdown table between blank lines, after its
    /// captions as bold lines; in a cell of another table, on one line. Text that was in the
    /// table but in no cell stays before it.
    fn close_table(&mut self) {
        self.close_part();
        let Some(table) = self.tables.pop() else {
            self.out.push_str("\n\n");
            return;
        };
        if self.tables.last().is_some_and(|t| t.part != Part::None) {
            let rows = table.rows.iter().filter(|row| !row.is_empty()).map(|row| {
                let cells: Vec<&str> = row.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
                cells.join(", ")
            });
            let text: Vec<String> = table.captions.into_iter().chain(rows).collect();
            self.out.push_str(&format!(" {} ", text.join("; ")));
            return;
        }
        self.out.push_str("\n\n");
        for caption in &table.captions {
            self.out.push_str(&format!("**{caption}**\n\n"));
        }
        self.out.push_str(&markdown_table(&table.rows));
        self.out.push_str("\n\n");
    }

    /// Ends the open link. Only an absolute http(s) URL becomes a link (or an autolink, if the
    /// text is the URL or empty): rustdoc would read a relative one as a path to an item. A
    /// relative link becomes its text followed by where it pointed, in backticks.
    fn close_link(&mut self) {
        let Some(link) = self.link.take() else {
            return;
        };
        if !self.out.is_char_boundary(link.start) {
            // Cannot happen (the link's text is the end of `out`); its text is kept as it is.
            return;
        }
        let text = self.out.get(link.start..).unwrap_or("");
        let href = link.href;
        if is_absolute_url(&href) {
            // One line: a line break in a link's text would end the link.
            let text = one_line(text);
            let href = encode_href(&href);
            self.out.truncate(link.start);
            if text.is_empty() || text == href {
                self.out.push_str(&format!("<{href}>"));
            } else {
                self.out.push_str(&format!("[{text}]({href})"));
            }
        } else if text.trim().is_empty() {
            self.out.truncate(link.start);
            if !href.is_empty() {
                self.out.push_str(&code_span(&href));
            }
        } else if !href.is_empty() && text.trim() != escape_markdown(&href, Mode::Markdown) {
            let end = self.out.trim_end().len().max(link.start);
            let tail = self.out.split_off(end);
            self.out.push_str(&format!(" ({})", code_span(&href)));
            self.out.push_str(&tail);
        }
    }
}

/// The text of `out` from `start`, taken out of it; nothing if `start` is not in it.
fn take_from(out: &mut String, start: usize) -> String {
    if out.is_char_boundary(start) {
        out.split_off(start)
    } else {
        String::new()
    }
}

/// `text` on one line: every run of whitespace, line breaks too, one space; none at the ends.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `cell` with every pipe not already escaped escaped, so it stays in its cell; in a code span
/// too, where a table reads `\|` as a pipe all the same. A pipe after an odd number of
/// backslashes is escaped already.
fn escape_pipes(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut backslashes = 0usize;
    for c in cell.chars() {
        if c == '|' && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

/// Rows of cells as a Markdown table: the first row with a cell is the header (a table needs one;
/// it is the `<th>` row when there is one), rows without cells are left out, and short rows are
/// padded with empty cells. Nothing if no row has a cell.
fn markdown_table(rows: &[Vec<String>]) -> String {
    let rows: Vec<&Vec<String>> = rows.iter().filter(|row| !row.is_empty()).collect();
    let width = rows.iter().map(|row| row.len()).max().unwrap_or(0);
    let mut lines = Vec::with_capacity(rows.len() + 1);
    for (n, row) in rows.iter().enumerate() {
        let mut line = String::from("|");
        let padding = width.saturating_sub(row.len());
        for cell in row.iter().map(String::as_str).chain(std::iter::repeat_n("", padding)) {
            if cell.is_empty() {
                line.push_str(" |");
            } else {
                line.push_str(&format!(" {cell} |"));
            }
        }
        lines.push(line);
        if n == 0 {
            lines.push(format!("|{}", " --- |".repeat(width)));
        }
    }
    lines.join("\n")
}

fn is_absolute_url(href: &str) -> bool {
    ["https://", "http://"]
        .iter()
        .any(|scheme| href.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)))
}

/// `href` as a link destination that Markdown reads whole, in `(…)` and in `<…>`, in a table
/// cell too: whitespace, control characters, angle brackets, parentheses, backslashes and pipes
/// percent-encoded.
fn encode_href(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '(' | ')' | '\\' | '|') {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    /// Its `colspan`, for a cell: at least one, at most [`MAX_COLSPAN`].
    span: usize,
}

/// Parses `<name attr="v" ...>` at the start of `s`; returns the tag and its length in bytes.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let end = s.find('>')?;
    let inner = s.get(1..end)?.trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let href = attribute(inner, "href");
    let span = attribute(inner, "colspan")
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLSPAN);
    Some((
        Tag {
            name,
            closing,
            href,
            span,
        },
        end + 1,
    ))
}

fn attribute(inner: &str, attr: &str) -> Option<String> {
    let key = format!("{attr}=");
    let at = inner.find(&key)?;
    let value = inner.get(at + key.len()..)?;
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = value.get(1..)?;
        let close = body.find(quote)?;
        body.get(..close).map(decode_entities)
    } else {
        Some(decode_entities(value.split_whitespace().next().unwrap_or("")))
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
