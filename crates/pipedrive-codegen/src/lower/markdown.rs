//! Pipedrive's descriptions mix HTML (`<a href>`, `<br>`, `<b>`) with Markdown; rustdoc wants
//! Markdown. This turns one into the other and makes the result safe to put in a doc comment:
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
pub fn html_to_markdown(html: &str) -> Option<String> {
    let inline = convert_tags(html);
    let text = tidy_lines(&inline);
    if text.is_empty() { None } else { Some(text) }
}

/// Walks the text, turning known tags into Markdown and dropping unknown ones.
fn convert_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut link_href: Option<String> = None;
    let mut link_text = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            push_text(&mut out, &mut link_href, &mut link_text, rest);
            break;
        };
        let (text, after) = rest.split_at(start);
        push_text(&mut out, &mut link_href, &mut link_text, text);
        match parse_tag(after) {
            Some((tag, len)) => {
                apply_tag(&tag, &mut out, &mut link_href, &mut link_text);
                rest = after.get(len..).unwrap_or("");
            }
            None => {
                // A `<` that does not open a tag is text ("a < b").
                push_text(&mut out, &mut link_href, &mut link_text, "<");
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    if let Some(href) = link_href.take() {
        // An unclosed <a>: keep its text and the link.
        out.push_str(&format!("[{}]({})", link_text.trim(), href));
    }
    out
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
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
    Some((Tag { name, closing, href }, end + 1))
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

fn apply_tag(tag: &Tag, out: &mut String, link_href: &mut Option<String>, link_text: &mut String) {
    let target = if link_href.is_some() {
        &mut *link_text
    } else {
        &mut *out
    };
    match (tag.name.as_str(), tag.closing) {
        ("a", false) => {
            if let Some(href) = &tag.href {
                *link_href = Some(href.clone());
                link_text.clear();
            }
        }
        ("a", true) => {
            if let Some(href) = link_href.take() {
                let text = link_text.trim();
                if text.is_empty() || text == href {
                    out.push_str(&format!("<{href}>"));
                } else {
                    out.push_str(&format!("[{text}]({href})"));
                }
                link_text.clear();
            }
        }
        ("br", _) => target.push_str("\n\n"),
        ("p", _) | ("div", _) => target.push_str("\n\n"),
        ("b" | "strong", _) => target.push_str("**"),
        ("i" | "em", _) => target.push('*'),
        ("code", _) => target.push('`'),
        ("ul" | "ol", _) => target.push('\n'),
        ("li", false) => target.push_str("\n- "),
        _ => {}
    }
}

fn push_text(out: &mut String, link_href: &mut Option<String>, link_text: &mut String, text: &str) {
    let decoded = decode_entities(text);
    if link_href.is_some() {
        link_text.push_str(&decoded);
    } else {
        out.push_str(&escape_markdown(&decoded));
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

/// Escapes what rustdoc would misread in plain text: brackets (intra-doc links), angle brackets
/// (HTML), and wraps bare URLs in `<…>`. Text inside backticks is left alone.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let len = url_len(rest);
            let (url, after) = rest.split_at(len);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = after;
            continue;
        }
        match c {
            '`' => in_code = !in_code,
            '[' | ']' if !in_code => out.push('\\'),
            '<' if !in_code => {
                out.push_str("&lt;");
                rest = &rest[c.len_utf8()..];
                continue;
            }
            '>' if !in_code => {
                out.push_str("&gt;");
                rest = &rest[c.len_utf8()..];
                continue;
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of the URL at the start of `s`: up to whitespace or a closing bracket, without
/// trailing sentence punctuation.
fn url_len(s: &str) -> usize {
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`'))
        .unwrap_or(s.len());
    let url = &s[..end];
    url.trim_end_matches(['.', ',', ';', ':']).len()
}

/// Normalises lines: no indentation that rustdoc would turn into a code block, list
/// continuations indented under their item, fenced blocks marked as text, at most one blank
/// line in a row, no tabs.
fn tidy_lines(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_list_item = false;
    let mut in_fence = false;
    for raw in comment_safe(text).replace('\t', "    ").split('\n') {
        let line = raw.trim();
        if line.starts_with("```") {
            in_fence = !in_fence;
            lines.push(if in_fence {
                "```text".to_owned()
            } else {
                "```".to_owned()
            });
            continue;
        }
        if in_fence {
            lines.push(raw.trim_end().to_owned());
            continue;
        }
        if line.is_empty() {
            in_list_item = false;
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        let is_item = line.starts_with("- ") || line.starts_with("* ") || is_numbered_item(line);
        if is_item {
            in_list_item = true;
            lines.push(line.to_owned());
        } else if in_list_item {
            lines.push(format!("  {line}"));
        } else {
            lines.push(line.to_owned());
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines.join("\n")
}

fn is_numbered_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && line.get(digits..).is_some_and(|r| r.starts_with(". "))
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown;

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
}
