//! The rustdoc-safety half of [`markdown`](super): text made safe to put in a doc comment. Inline,
//! [`escape_markdown`] escapes what rustdoc would misread (brackets it would take for intra-doc
//! links, angle brackets it would take for HTML, backticks without a partner) and wraps bare URLs.
//! Line by line, [`Lines`] and [`escape_line_start`] keep lines from becoming doctests, lazy list
//! continuations, fences, headings or list items. Nothing here reads HTML: the walker in
//! [`html`](super::html) escapes its text with [`escape_markdown`] as it writes it, and the
//! module's functions put what it wrote, or plain text, through the line-by-line part.

/// What the text given to [`escape_markdown`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
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
pub(super) fn escape_markdown(text: &str, mode: Mode) -> String {
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
pub(super) fn code_span_len(s: &str, run: usize) -> Option<usize> {
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
pub(super) struct Fence {
    ch: char,
    len: usize,
}

impl Fence {
    /// The fence `line` (trimmed) opens, if any. The info string after backticks may not hold a
    /// backtick (then the line is a code span, "```a```").
    pub(super) fn opening(line: &str) -> Option<Fence> {
        let ch = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let info = line.trim_start_matches(ch);
        let len = line.len() - info.len();
        (len >= 3 && !(ch == '`' && info.contains('`'))).then_some(Fence { ch, len })
    }

    /// Whether `line` (trimmed) closes the block: at least as many of the same character, alone.
    pub(super) fn closed_by(self, line: &str) -> bool {
        line.len() >= self.len && line.chars().all(|c| c == self.ch)
    }

    pub(super) fn marker(self) -> String {
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

/// Escapes the first character of `line` if Markdown would read it as the start of a block: an
/// ATX heading, a list item, or a fence (a blockquote's `>` is already `&gt;`).
pub(super) fn escape_line_start(line: &str) -> String {
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

/// The lines of a description being tidied: no indentation that rustdoc would turn into a code
/// block, list continuations indented under their item's text, at most one blank line in a row.
#[derive(Debug, Default)]
pub(super) struct Lines {
    lines: Vec<String>,
    /// How far the text of the current list item is indented: its continuation lines are
    /// indented as far, or clippy calls them lazy.
    item_indent: Option<usize>,
}

impl Lines {
    /// A line of a fenced block, as it is; it ends any list item.
    pub(super) fn push(&mut self, line: String) {
        self.item_indent = None;
        self.lines.push(line);
    }

    /// Converted prose between fenced blocks.
    pub(super) fn prose(&mut self, text: &str) {
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

    pub(super) fn finish(mut self) -> String {
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
