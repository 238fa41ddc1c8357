//! Pipedrive's descriptions mix HTML (`<a href>`, `<br>`, `<b>`, `<h4>`, `<table>`) with Markdown;
//! rustdoc wants Markdown. This turns one into the other (a table into a Markdown table, a heading
//! into a bold line) and makes the result safe to put in a doc comment:
//! no stray `[`…`]` that rustdoc would read as a broken intra-doc link, no bare URLs, no indented
//! lines that would become doctests, no list continuations that clippy calls lazy.

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

/// Escapes the first character of `line` if Markdown would read it as the start of a block: an
/// ATX heading, a list item, or a fence (a blockquote's `>` is already `&gt;`).
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let after = |n: usize| line.get(n..).unwrap_or("");
    let starts_item = |marker: usize| after(marker).is_empty() || after(marker).starts_with(' ');
    let at =
        if line.starts_with('#') || line.starts_with("~~~") || (line.starts_with(['-', '+', '*']) && starts_item(1)) {
            Some(0)
        } else if (1..=9).contains(&digits) && after(digits).starts_with(['.', ')']) && starts_item(digits + 1) {
            Some(digits)
        } else {
            None
        };
    match at {
        Some(at) => {
            let (head, tail) = line.split_at(at);
            format!("{head}\\{tail}")
        }
        None => line.to_owned(),
    }
}

/// Walks the text, turning known tags into Markdown and dropping unknown ones.
fn convert_tags(html: &str) -> String {
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
/// [`not_a_fence`]; its `<code>` is still code.)
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

/// What the text given to [`escape_markdown`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A description's prose, Markdown already: its backslash escapes are kept.
    Markdown,
    /// The text of a link: as `Markdown`, but URLs are left as they are (a link cannot hold one).
    LinkText,
    /// Plain text: a backslash is a character to show, not an escape.
    Plain,
}

/// Escapes what rustdoc would misread in text: brackets (intra-doc links), angle brackets
/// (HTML), and wraps bare URLs in `<…>`. Code spans (text between matching runs of backticks on
/// one line) are left alone; a backtick without a closing partner is escaped, so what follows it
/// is escaped too.
fn escape_markdown(text: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if mode != Mode::LinkText && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let (url, after) = rest.split_at(url_len(rest));
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = after;
            continue;
        }
        let mut len = c.len_utf8();
        match c {
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                match code_span_len(rest, run) {
                    Some(span) => {
                        out.push_str(rest.get(..span).unwrap_or(""));
                        len = span;
                    }
                    None => {
                        out.push_str(&"\\`".repeat(run));
                        len = run;
                    }
                }
            }
            '\\' if mode == Mode::Plain => out.push_str("\\\\"),
            '\\' => {
                // A Markdown escape stays one, with the character it escapes.
                out.push('\\');
                if let Some(next) = rest
                    .get(1..)
                    .and_then(|r| r.chars().next())
                    .filter(char::is_ascii_punctuation)
                {
                    out.push(next);
                    len += 1;
                }
            }
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = rest.get(len..).unwrap_or("");
    }
    out
}

/// Length of the code span at the start of `s`, which starts with `run` backticks: up to and
/// including the next run of exactly as many on the same line. (Only on one line: the next could
/// start a list item or a heading, which would break the span.)
fn code_span_len(s: &str, run: usize) -> Option<usize> {
    let line = s.split('\n').next().unwrap_or("");
    let mut at = run;
    loop {
        at += line.get(at..)?.find('`')?;
        let rest = line.get(at..)?;
        let found = rest.len() - rest.trim_start_matches('`').len();
        at += found;
        if found == run {
            return Some(at);
        }
    }
}

/// The fence that opens a fenced code block: three or more backticks or tildes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fence {
    ch: char,
    len: usize,
}

impl Fence {
    /// The fence `line` (trimmed) opens, if any. The info string after backticks may not hold a
    /// backtick (then the line is a code span, "```a```").
    fn opening(line: &str) -> Option<Fence> {
        let ch = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let info = line.trim_start_matches(ch);
        let len = line.len() - info.len();
        (len >= 3 && !(ch == '`' && info.contains('`'))).then_some(Fence { ch, len })
    }

    /// Whether `line` (trimmed) closes the block: at least as many of the same character, alone.
    fn closed_by(self, line: &str) -> bool {
        line.len() >= self.len && line.chars().all(|c| c == self.ch)
    }

    fn marker(self) -> String {
        self.ch.to_string().repeat(self.len)
    }
}

/// Length of the URL at the start of `s`: up to whitespace or a closing bracket, without
/// trailing sentence punctuation.
fn url_len(s: &str) -> usize {
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '>' | '"' | '\'' | '`'))
        .unwrap_or(s.len());
    let url = s.get(..end).unwrap_or(s);
    url.trim_end_matches(['.', ',', ';', ':']).len()
}

/// The lines of a description being tidied: no indentation that rustdoc would turn into a code
/// block, list continuations indented under their item's text, at most one blank line in a row.
#[derive(Debug, Default)]
struct Lines {
    lines: Vec<String>,
    /// How far the text of the current list item is indented: its continuation lines are
    /// indented as far, or clippy calls them lazy.
    item_indent: Option<usize>,
}

impl Lines {
    /// A line of a fenced block, as it is; it ends any list item.
    fn push(&mut self, line: String) {
        self.item_indent = None;
        self.lines.push(line);
    }

    /// Converted prose between fenced blocks.
    fn prose(&mut self, text: &str) {
        for raw in text.split('\n') {
            let line = raw.trim();
            if line.is_empty() {
                self.item_indent = None;
                if self.lines.last().is_some_and(|l| !l.is_empty()) {
                    self.lines.push(String::new());
                }
                continue;
            }
            if let Some(marker) = list_marker_len(line) {
                let (marker, item) = line.split_at(marker);
                self.item_indent = Some(marker.len() + 1);
                self.lines.push(format!("{marker} {}", not_a_fence(item.trim_start())));
                continue;
            }
            let line = not_a_fence(line);
            match self.item_indent {
                Some(indent) => self.lines.push(format!("{:indent$}{line}", "")),
                None => self.lines.push(line),
            }
        }
    }

    fn finish(mut self) -> String {
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        let start = self.lines.iter().take_while(|l| l.is_empty()).count();
        self.lines.get(start..).unwrap_or_default().join("\n")
    }
}

/// A line of prose that would open a fenced block, escaped: only the description's own lines open
/// blocks (and have them marked as text), not one its tags make ("<p>```") or a list item's
/// ("- ```"), which would be a doctest.
fn not_a_fence(line: &str) -> String {
    if Fence::opening(line).is_some() {
        format!("\\{line}")
    } else {
        line.to_owned()
    }
}

/// Length of the list item marker that starts `line` (`-`, `*`, `+`, `1.`, `1)`), if it is
/// followed by a space.
fn list_marker_len(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let len = if line.starts_with(['-', '*', '+']) {
        1
    } else if (1..=9).contains(&digits) && line.get(digits..).is_some_and(|r| r.starts_with(['.', ')'])) {
        digits + 1
    } else {
        return None;
    };
    line.get(len..).is_some_and(|r| r.starts_with(' ')).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::{html_to_markdown, plain_lines_to_markdown, plain_text_to_markdown};

    fn md(html: &str) -> String {
        html_to_markdown(html).unwrap_or_default()
    }

    #[test]
    fn a_table_with_a_th_row_becomes_a_markdown_table_between_blank_lines() {
        // As in v1's `field_type` (an empty row, a cell with `&amp;`) and its visibility
        // descriptions (`<h4>`, a `<tr>` that the next one closes, `<th style>`).
        let html = "The type of the field<table><tr><th>Value</th><th>Description</th></tr>\
            <tr><td>`address`</td><td>Address field</td></tr><tr></tr>\
            <tr><td>`date`</td><td>Date &amp; time</td></tr></table>Read more.";
        assert_eq!(
            md(html),
            "The type of the field\n\n\
             | Value | Description |\n\
             | --- | --- |\n\
             | `address` | Address field |\n\
             | `date` | Date & time |\n\n\
             Read more."
        );
        let html = "Read more <a href=\"https://x.com/v\">here</a>.<h4>Light / Growth plans</h4>\
            <table><tr><th style=\"width:40px\">Value</th><th><b>Description</b></th></tr>\
            <tr><td>`1`</td><td>Owner &amp; followers</td><tr><td>`3`</td><td>Entire company</td></tr></table>\
            <h4>Premium plan</h4><table><tr><th>Value</th><th>Description</th></tr>\
            <tr><td>`1`</td><td>Owner only</td></tr></table>";
        assert_eq!(
            md(html),
            "Read more [here](https://x.com/v).\n\n\
             **Light / Growth plans**\n\n\
             | Value | Description |\n| --- | --- |\n| `1` | Owner & followers |\n| `3` | Entire company |\n\n\
             **Premium plan**\n\n\
             | Value | Description |\n| --- | --- |\n| `1` | Owner only |"
        );
    }

    #[test]
    fn a_caption_is_a_bold_line_before_its_table() {
        // As in v1's `default_visibility`: whitespace between the tags, a bold caption and header.
        let html = "Possible values:<br> <table class='role-setting'> <caption><b>Light plans</b></caption> \
            <tr><th><b>Value</b></th><th><b>Description</b></th></tr> <tr><td>`1`</td><td>Owner</td></tr> </table> \
            <br> Read more.";
        assert_eq!(
            md(html),
            "Possible values:\n\n**Light plans**\n\n| Value | Description |\n| --- | --- |\n| `1` | Owner |\n\nRead more."
        );
    }

    #[test]
    fn a_table_without_th_takes_its_first_row_as_header_and_pads_ragged_rows() {
        let html = "<table><tbody><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr>\
            <tr><td colspan=\"2\">wide</td><td>d</td></tr><td>no row</td></tbody></table>";
        assert_eq!(
            md(html),
            "| a | b | |\n| --- | --- | --- |\n| c | | |\n| wide | | d |\n| no row | | |"
        );
        // Nothing but empty rows: no table.
        assert_eq!(html_to_markdown("<table><tr></tr></table>"), None);
    }

    #[test]
    fn a_cell_is_one_line_with_its_pipes_escaped_and_its_links_kept() {
        let html = "<table><tr><th>Filter</th><th>Means</th></tr>\
            <tr><td>`a|b`</td><td>a | b, see <a href=\"https://x.com/q?a|b\">the [docs]</a><br>and\n\
            https://x.com/y<p>then</p></td></tr>\
            <tr><td>\\|</td><td>Options:<ul><li>one</li><li><b>two</b></li></ul></td></tr></table>";
        assert_eq!(
            md(html),
            "| Filter | Means |\n\
             | --- | --- |\n\
             | `a\\|b` | a \\| b, see [the \\[docs\\]](https://x.com/q?a%7Cb) and <https://x.com/y> then |\n\
             | \\| | Options: • one • **two** |"
        );
    }

    #[test]
    fn headings_are_bold_lines_between_blank_lines() {
        assert_eq!(
            md("Intro<h2>Plans <b>and</b>\n prices</h2>Text<h4></h4>more</h5>end"),
            "Intro\n\n**Plans and prices**\n\nText\n\nmore\n\nend"
        );
        // A heading closes the one open; a list item after one is not lazy.
        assert_eq!(
            md("<h3>One<h4>Two</h4><ul><li>item</li></ul>"),
            "**One**\n\n**Two**\n\n- item"
        );
    }

    #[test]
    fn block_tags_keep_their_text_apart_and_inline_ones_keep_their_text() {
        assert_eq!(
            md(
                "One<pre>  two\n    three</pre><blockquote>four</blockquote><hr>five<dl><dt>six</dt><dd>seven</dd></dl>"
            ),
            "One\n\ntwo\nthree\n\nfour\n\n---\n\nfive\n\nsix\n\nseven"
        );
        assert_eq!(
            md("<span class=\"x\">a</span> <u>b</u> 10<sup>3</sup> H<sub>2</sub>O <del>old</del>"),
            "a b 10^3 H2O ~~old~~"
        );
    }

    #[test]
    fn a_table_in_a_cell_is_one_line() {
        let html = "<table><tr><th>Plan</th><th>Values</th></tr><tr><td>Light</td><td>\
            <table><caption>Sets</caption><tr><td>1</td><td>Owner</td></tr><tr><td>3</td><td>All</td></tr></table>\
            </td></tr></table>";
        assert_eq!(
            md(html),
            "| Plan | Values |\n| --- | --- |\n| Light | Sets; 1, Owner; 3, All |"
        );
    }

    #[test]
    fn malformed_tables_and_headings_keep_their_text() {
        // Unclosed everything: closed at the end.
        assert_eq!(
            md("See <table><caption>Cap<tr><th>A<td><a href=\"https://x.com\">x"),
            "See\n\n**Cap**\n\n| A | [x](https://x.com) |\n| --- | --- |"
        );
        assert_eq!(md("<h4>Open <a href=\"/rel\">heading"), "**Open heading (`/rel`)**");
        // Text in a table but in no cell stays, before the table.
        assert_eq!(
            md("<table>stray<tr>row text<td>a</td></tr></table>after"),
            "stray row text\n\n| a |\n| --- |\n\nafter"
        );
        // Cell and row tags outside a table, and closing tags without an opening one.
        assert_eq!(md("a<td>b</td><tr>c</tr></table></caption></h4>d"), "a b\n\nc\n\nd");
        // A link that a table interrupts ends there.
        assert_eq!(
            md("<a href=\"https://x.com\">go<table><tr><td>[c]</td></tr></table>"),
            "[go](https://x.com)\n\n| \\[c\\] |\n| --- |"
        );
        // Nothing panics, whatever is cut where.
        let html = "<h4>é<table><caption>ü<tr><th colspan=999>ñ<td colspan=x>|<a href=\"https://é.com\">ï</table></h4>";
        for end in 0..=html.len() {
            if let Some(prefix) = html.get(..end) {
                let _ = html_to_markdown(prefix);
            }
            if let Some(suffix) = html.get(end..) {
                let _ = html_to_markdown(suffix);
            }
        }
        assert_eq!(
            md("<table><tr><th colspan=999>a</th></tr><tr><td>b</td></tr></table>")
                .lines()
                .nth(1),
            Some("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        );
    }

    #[test]
    fn links_and_line_breaks_become_markdown() {
        let html = "Lists deals. <br>This endpoint has been deprecated. Please use <a href=\"https://developers.pipedrive.com/docs/api/v1/Deals#getDeals\" target=\"_blank\" rel=\"noopener noreferrer\">GET /api/v2/deals?stage_id={id}</a> instead.";
        assert_eq!(
            html_to_markdown(html).as_deref(),
            Some(
                "Lists deals.\n\nThis endpoint has been deprecated. Please use [GET /api/v2/deals?stage_id={id}](https://developers.pipedrive.com/docs/api/v1/Deals#getDeals) instead."
            )
        );
    }

    #[test]
    fn bare_urls_brackets_and_angle_brackets_are_escaped() {
        assert_eq!(
            html_to_markdown("See https://example.com/x. Use [ids] when a < b").as_deref(),
            Some("See <https://example.com/x>. Use \\[ids\\] when a &lt; b")
        );
        assert_eq!(
            html_to_markdown("Keep `[1, 2]` as code").as_deref(),
            Some("Keep `[1, 2]` as code")
        );
    }

    #[test]
    fn indentation_cannot_become_a_doctest_and_lists_stay_tight() {
        let text = "Intro\n\n    indented line\n- item one\ncontinued\n- item two";
        assert_eq!(
            html_to_markdown(text).as_deref(),
            Some("Intro\n\nindented line\n- item one\n  continued\n- item two")
        );
        assert_eq!(
            html_to_markdown("```\nlet x = 1;\n```").as_deref(),
            Some("```text\nlet x = 1;\n```")
        );
    }

    #[test]
    fn tags_and_entities() {
        assert_eq!(
            html_to_markdown("<b>Bold</b> &amp; <i>it</i> <code>x</code><ul><li>a</li><li>b</li></ul>").as_deref(),
            Some("**Bold** & *it* `x`\n\n- a\n- b")
        );
        assert_eq!(html_to_markdown("  <br> ").as_deref(), None);
    }

    #[test]
    fn list_continuations_are_indented_to_the_width_of_their_marker() {
        let text =
            "1. first\ncontinued\n10. tenth\ncontinued\n1) paren\ncontinued\n+ plus\ncontinued\n-   spaced\ncontinued";
        assert_eq!(
            html_to_markdown(text).as_deref(),
            Some(
                "1. first\n   continued\n10. tenth\n    continued\n1) paren\n   continued\n+ plus\n  continued\n- spaced\n  continued"
            )
        );
        // Not list items: no marker space, or a number too long for a marker.
        assert_eq!(
            html_to_markdown("+1 vote\nnext\n1234567890. big\nnext").as_deref(),
            Some("+1 vote\nnext\n1234567890. big\nnext")
        );
    }

    #[test]
    fn plain_text_is_escaped_onto_one_line() {
        assert_eq!(plain_text_to_markdown("Get\tall\r\n deals "), "Get all deals");
        assert_eq!(
            plain_text_to_markdown("[BETA] Get all deals"),
            "\\[BETA\\] Get all deals"
        );
        assert_eq!(
            plain_text_to_markdown("Pipedrive API v2 [beta]"),
            "Pipedrive API v2 \\[beta\\]"
        );
        assert_eq!(
            plain_text_to_markdown("Returns List<Deal>, see https://developers.pipedrive.com"),
            "Returns List&lt;Deal&gt;, see <https://developers.pipedrive.com>"
        );
        assert_eq!(
            plain_text_to_markdown("Use `cursor` or `start"),
            "Use `cursor` or \\`start"
        );
        assert_eq!(plain_text_to_markdown("a\\b \\[x]"), "a\\\\b \\\\\\[x\\]");
        assert_eq!(plain_text_to_markdown("# of deals"), "\\# of deals");
        assert_eq!(plain_text_to_markdown("- deals"), "\\- deals");
        assert_eq!(plain_text_to_markdown("10) deals"), "10\\) deals");
        assert_eq!(plain_text_to_markdown("~~~ deals"), "\\~~~ deals");
        assert_eq!(plain_text_to_markdown("-1 deals"), "-1 deals");
        assert_eq!(plain_text_to_markdown(" \t "), "");
    }

    #[test]
    fn plain_lines_keep_their_breaks_but_start_no_blocks() {
        assert_eq!(plain_lines_to_markdown("Get\rthe\t[d]"), "Get\nthe \\[d\\]");
        assert_eq!(
            plain_lines_to_markdown("\n\nGet\n- all\n  1. deals\n\n\n\n# `here\n\n"),
            "Get\n\\- all\n1\\. deals\n\n\\# \\`here"
        );
        assert_eq!(plain_lines_to_markdown("\r\n \t"), "");
    }

    #[test]
    fn a_backtick_without_a_partner_is_text() {
        assert_eq!(
            html_to_markdown("Use `filter_id to narrow the list [deals].").as_deref(),
            Some("Use \\`filter_id to narrow the list \\[deals\\].")
        );
        assert_eq!(
            html_to_markdown("``a ` [b]`` then `[c] and ``[d]").as_deref(),
            Some("``a ` [b]`` then \\`\\[c\\] and \\`\\`\\[d\\]")
        );
        // A code span ends with its line; what looks like a tag in one is code.
        assert_eq!(
            html_to_markdown("`a\n- b [c]`").as_deref(),
            Some("\\`a\n- b \\[c\\]\\`")
        );
        assert_eq!(
            html_to_markdown("Send `Basic <base64(id:secret)>` or `a &lt; b`, <b>x</b>").as_deref(),
            Some("Send `Basic <base64(id:secret)>` or `a < b`, **x**")
        );
        // A backslash escape in a description stays one.
        assert_eq!(
            html_to_markdown("\\[x\\] and \\`y [z]` \\<b>").as_deref(),
            Some("\\[x\\] and \\`y \\[z\\]\\` \\<b&gt;")
        );
    }

    #[test]
    fn only_absolute_links_are_links_and_their_text_is_escaped() {
        assert_eq!(
            html_to_markdown("See <a href=\"deals\">deals</a>.").as_deref(),
            Some("See deals.")
        );
        assert_eq!(
            html_to_markdown("See <a href=\"webhooks\">the webhooks guide </a>.").as_deref(),
            Some("See the webhooks guide (`webhooks`) .")
        );
        assert_eq!(
            html_to_markdown("<a href=\"/docs\"> </a> <a href=\"#x\">[x]</a>").as_deref(),
            Some("`/docs` \\[x\\] (`#x`)")
        );
        assert_eq!(
            html_to_markdown("<a href=\"https://x.com/changelog\">Deals [beta]</a>").as_deref(),
            Some("[Deals \\[beta\\]](https://x.com/changelog)")
        );
        assert_eq!(
            html_to_markdown(
                "<a href=\"HTTPS://x.com/y\">HTTPS://x.com/y</a> <a href=\"http://x.com/(a) b\">A\n\nB</a>"
            )
            .as_deref(),
            Some("<HTTPS://x.com/y> [A B](http://x.com/%28a%29%20b)")
        );
        // An unclosed link ends with the text.
        assert_eq!(
            html_to_markdown("<a href=\"https://x.com\">see https://x.com").as_deref(),
            Some("[see https://x.com](https://x.com)")
        );
    }

    #[test]
    fn tilde_fences_are_text_like_backtick_fences() {
        assert_eq!(
            html_to_markdown("Request:\n~~~\nGET /deals?ids=[1] <b>https://x.com</b>\n~~~").as_deref(),
            Some("Request:\n~~~text\nGET /deals?ids=[1] <b>https://x.com</b>\n~~~")
        );
        // Only a line of the description opens a fence, not one that its tags make or a list item.
        assert_eq!(html_to_markdown("<p>~~~</p>[x]").as_deref(), Some("\\~~~\n\n\\[x\\]"));
        assert_eq!(
            html_to_markdown("- ~~~\nlet [x]").as_deref(),
            Some("- \\~~~\n  let \\[x\\]")
        );
        assert_eq!(
            html_to_markdown("~~~json\n{\"a\": [1]}\n~~~~\nafter [x]").as_deref(),
            Some("~~~text\n{\"a\": [1]}\n~~~\nafter \\[x\\]")
        );
        // A fence closes only with its own character, at least as many.
        assert_eq!(
            html_to_markdown("~~~~\n```\nnot rust\n~~~\n```\n~~~~").as_deref(),
            Some("~~~~text\n```\nnot rust\n~~~\n```\n~~~~")
        );
        assert_eq!(
            html_to_markdown("```rust\nlet x = [1];\n\nlet y = 2;").as_deref(),
            Some("```text\nlet x = [1];\n\nlet y = 2;\n```")
        );
    }
}
