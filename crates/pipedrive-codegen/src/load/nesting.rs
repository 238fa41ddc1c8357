//! Refuses YAML nested deeper than [`MAX_DEPTH`] before the parser sees it.
//!
//! serde_yaml refuses a document nested more than 128 collections deep, but only once libyaml
//! has read all of it, and libyaml's time grows with the square of the nesting depth of flow
//! collections (it walks a list with one entry per open `[` or `{` at every token): 400,000
//! nested `[` (800 KB) ran past two minutes. Compact block sequences (`- - - x`) cost it linear
//! time but a few hundred bytes per level: 5 million of them (10 MB) took 9 s and 2.3 GB.
//!
//! This pass counts the open collections in one walk over the bytes, following YAML's rules
//! where they decide whether a bracket or a dash opens one: quoted scalars, comments, block
//! scalars (`|`, `>`) and plain scalars (including the lines that continue them) are skipped, a
//! `[` inside a plain scalar in block context is text, and a key (`name:`) opens a mapping at its
//! column. It stops at the first collection beyond the limit and says where it is. The limit is
//! serde_yaml's own, so a document this pass refuses is one the parser would have refused too,
//! only later. A document that is not valid YAML may be counted loosely; the parser then says
//! what is wrong with it.

use std::cmp::Ordering;

/// Open collections (mappings and sequences, the document's root included) the generator
/// accepts: serde_yaml's recursion limit.
pub const MAX_DEPTH: usize = 128;

/// Where a document first nests deeper than [`MAX_DEPTH`] (1-based, columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

/// Whether a block collection is a mapping or a sequence: a sequence may sit at the same column
/// as the mapping key that holds it (`key:` then `- a` below it), and is still nested in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Mapping,
    Sequence,
}

/// Lines that belong to the scalar before them, and so hold no collections.
#[derive(Debug, Clone, Copy)]
enum Skip {
    None,
    /// After `|` or `>`: lines indented more than `parent`; the first one sets the content's
    /// indentation, and the scalar runs until a line is indented less than it.
    BlockScalar {
        parent: isize,
        content: Option<isize>,
    },
    /// After a plain scalar that ended its line: lines indented more than `parent` continue it.
    Plain {
        parent: isize,
    },
}

/// Checks that `text` nests at most [`MAX_DEPTH`] collections deep.
pub fn check_depth(text: &str) -> Result<(), TooDeep> {
    Scanner::new(text.as_bytes()).run()
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    line_start: usize,
    /// Whether the start of the current line has been looked at (in block context).
    line_begun: bool,
    /// Open flow collections (`[`, `{`).
    flow: usize,
    /// Open block collections, innermost last, each with its column.
    block: Vec<(isize, Block)>,
    /// Whether the next token may start a node (a flow collection, a quoted scalar, a block
    /// indicator); inside a plain scalar it may not.
    node_start: bool,
    /// Column of the node that began on this line in block context, which a `:` makes a key.
    key_column: Option<isize>,
    /// Whether the line (in block context) ends inside a plain scalar.
    in_plain: bool,
    skip: Skip,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Scanner {
            bytes,
            at: 0,
            line: 1,
            line_start: 0,
            line_begun: false,
            flow: 0,
            block: Vec::new(),
            node_start: true,
            key_column: None,
            in_plain: false,
            skip: Skip::None,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// Whether the byte at `at` separates tokens: a space, a tab, a line break or the end.
    fn is_blank(&self, at: usize) -> bool {
        matches!(self.byte(at), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    }

    /// Column of `at` on its line, in bytes. Indentation is spaces, and the indicators that
    /// open block collections on a line (`- `, `? `) are ASCII, so comparing columns in bytes
    /// compares them as YAML does; only a message counts characters.
    fn column(&self, at: usize) -> isize {
        isize::try_from(at.saturating_sub(self.line_start)).unwrap_or(isize::MAX)
    }

    /// Where `at` is, for a message: its column in characters (UTF-8 continuation bytes take none).
    fn too_deep(&self, at: usize) -> TooDeep {
        let chars = self
            .bytes
            .get(self.line_start..at)
            .unwrap_or_default()
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        TooDeep {
            line: self.line,
            column: chars + 1,
        }
    }

    /// Moves to the next byte for which `stops` holds (or the end): the bytes before it cannot
    /// change the count.
    fn skip_until(&mut self, stops: fn(u8) -> bool) {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        self.at += rest.iter().position(|b| stops(*b)).unwrap_or(rest.len());
    }

    /// Moves to the next of up to three bytes (or the end). Most of a document is text that only
    /// these can end. Skipping it in bulk, with byte columns and `memchr`, took the pass from
    /// 117 M to 45 M instructions on Pipedrive's documents (a tenth of a Stages run to 4 %).
    fn skip_to(&mut self, one: u8, two: u8, three: u8) {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        self.at += memchr::memchr3(one, two, three, rest).unwrap_or(rest.len());
    }

    fn depth_ok(&self, at: usize) -> Result<(), TooDeep> {
        if self.block.len() + self.flow > MAX_DEPTH {
            Err(self.too_deep(at))
        } else {
            Ok(())
        }
    }

    fn run(mut self) -> Result<(), TooDeep> {
        while self.at < self.bytes.len() {
            if self.flow == 0 && !self.line_begun {
                self.line_begun = true;
                self.start_block_line()?;
                continue;
            }
            let Some(byte) = self.byte(self.at) else { break };
            if byte == b'\n' {
                self.end_line();
            } else if self.flow > 0 {
                self.flow_token(byte)?;
            } else {
                self.block_token(byte)?;
            }
        }
        Ok(())
    }

    /// Moves past a line break, noting a plain scalar that may go on on the next line.
    fn end_line(&mut self) {
        if self.flow == 0 && self.in_plain {
            self.skip = Skip::Plain {
                parent: self.parent_column(),
            };
        }
        self.in_plain = false;
        self.at += 1;
        self.line += 1;
        self.line_start = self.at;
        // A line that starts inside a flow collection has no block indentation to look at, even
        // if the collection closes on it.
        self.line_begun = self.flow > 0;
    }

    /// Moves to the line break that ends the current line (not past it).
    fn skip_to_line_end(&mut self) {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        self.at += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    }

    /// Column of the innermost open block collection; -1 at the top level.
    fn parent_column(&self) -> isize {
        self.block.last().map_or(-1, |(column, _)| *column)
    }

    /// The start of a line in block context: blank lines, comment lines, lines that belong to a
    /// scalar above, document markers; otherwise the first token may start a node.
    fn start_block_line(&mut self) -> Result<(), TooDeep> {
        let mut first = self.at;
        while self.byte(first) == Some(b' ') {
            first += 1;
        }
        let indent = self.column(first);
        let blank = matches!(self.byte(first), None | Some(b'\n' | b'\r' | b'\t'))
            && self
                .bytes
                .get(first..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| **b != b'\n')
                .all(|b| b.is_ascii_whitespace());
        if blank || self.continues_scalar(indent, self.byte(first)) {
            self.skip_to_line_end();
            self.end_line_keeping_skip();
            return Ok(());
        }
        self.skip = Skip::None;
        self.at = first;
        self.node_start = true;
        self.key_column = None;
        match self.byte(first) {
            Some(b'#' | b'%') => self.skip_to_line_end(),
            Some(b'-' | b'.') if indent == 0 && self.is_document_marker(first) => {
                self.block.clear();
                self.at = first + 3;
            }
            _ => {}
        }
        Ok(())
    }

    /// Like [`Self::end_line`], for a line that belongs to a scalar: the skip goes on.
    fn end_line_keeping_skip(&mut self) {
        if self.byte(self.at) == Some(b'\n') {
            self.at += 1;
        }
        self.line += 1;
        self.line_start = self.at;
        self.line_begun = false;
    }

    /// Whether a line indented by `indent` belongs to the scalar of the lines above it.
    fn continues_scalar(&mut self, indent: isize, first: Option<u8>) -> bool {
        match self.skip {
            Skip::None => false,
            Skip::BlockScalar { parent, content: None } => {
                let more = indent > parent;
                if more {
                    self.skip = Skip::BlockScalar {
                        parent,
                        content: Some(indent),
                    };
                }
                more
            }
            Skip::BlockScalar {
                content: Some(content), ..
            } => indent >= content,
            Skip::Plain { parent } => indent > parent && first != Some(b'#'),
        }
    }

    fn is_document_marker(&self, at: usize) -> bool {
        let marker = self.bytes.get(at..at + 3);
        (marker == Some(b"---") || marker == Some(b"...")) && self.is_blank(at + 3)
    }

    /// Whether a `#` at `at` starts a comment: at the start of a line or after a blank.
    fn starts_comment(&self, at: usize) -> bool {
        at == self.line_start || at.checked_sub(1).is_some_and(|before| self.is_blank(before))
    }

    fn open_flow(&mut self) -> Result<(), TooDeep> {
        self.flow += 1;
        self.node_start = true;
        self.depth_ok(self.at)?;
        self.at += 1;
        Ok(())
    }

    /// A token in a flow collection: every bracket opens or closes one (plain scalars cannot
    /// hold them there); quotes start a scalar only where a node may start.
    fn flow_token(&mut self, byte: u8) -> Result<(), TooDeep> {
        match byte {
            b'[' | b'{' => return self.open_flow(),
            b']' | b'}' => {
                self.flow = self.flow.saturating_sub(1);
                self.node_start = false;
            }
            b',' | b':' | b'?' => self.node_start = true,
            b'#' if self.starts_comment(self.at) => {
                self.skip_to_line_end();
                return Ok(());
            }
            b' ' | b'\t' | b'\r' => {}
            b'\'' | b'"' if self.node_start => {
                self.skip_quoted(byte);
                self.node_start = false;
                return Ok(());
            }
            _ => {
                // A plain scalar, up to the next byte that means something in a flow collection.
                self.node_start = false;
                self.at += 1;
                self.skip_until(|b| {
                    matches!(
                        b,
                        b'[' | b'{' | b']' | b'}' | b',' | b':' | b'?' | b'#' | b'\n' | b' ' | b'\t' | b'\r'
                    )
                });
                return Ok(());
            }
        }
        self.at += 1;
        Ok(())
    }

    /// A token in block context.
    fn block_token(&mut self, byte: u8) -> Result<(), TooDeep> {
        match byte {
            b' ' | b'\t' | b'\r' => self.at += 1,
            b'#' if self.starts_comment(self.at) => self.skip_to_line_end(),
            b':' if !self.node_start && self.is_blank(self.at + 1) => {
                if let Some(column) = self.key_column.take() {
                    self.enter_block(column, Block::Mapping, self.at)?;
                }
                self.in_plain = false;
                self.node_start = true;
                self.at += 1;
            }
            _ if self.node_start => self.block_node(byte)?,
            // Inside a plain scalar only a key's `:`, a comment or the line's end matter.
            _ => {
                self.at += 1;
                self.skip_to(b'\n', b':', b'#');
            }
        }
        Ok(())
    }

    /// The first token of a node in block context.
    fn block_node(&mut self, byte: u8) -> Result<(), TooDeep> {
        let column = self.column(self.at);
        match byte {
            b'[' | b'{' => {
                self.key_column.get_or_insert(column);
                self.open_flow()?;
            }
            b'-' if self.is_blank(self.at + 1) => {
                self.enter_block(column, Block::Sequence, self.at)?;
                self.at += 1;
            }
            b'?' if self.is_blank(self.at + 1) => {
                self.enter_block(column, Block::Mapping, self.at)?;
                self.at += 1;
            }
            b':' if self.is_blank(self.at + 1) => self.at += 1,
            b'\'' | b'"' => {
                self.key_column.get_or_insert(column);
                self.skip_quoted(byte);
                self.node_start = false;
            }
            b'|' | b'>' => {
                self.skip = Skip::BlockScalar {
                    parent: self.parent_column(),
                    content: None,
                };
                self.skip_to_line_end();
            }
            b'&' | b'!' | b'*' => {
                // An anchor or a tag comes before its node; an alias is one.
                self.key_column.get_or_insert(column);
                while !self.is_blank(self.at) {
                    self.at += 1;
                }
                self.node_start = byte != b'*';
            }
            _ => {
                self.key_column.get_or_insert(column);
                self.in_plain = true;
                self.node_start = false;
                self.at += 1;
                self.skip_to(b'\n', b':', b'#');
            }
        }
        Ok(())
    }

    /// A block entry (a `- ` item, a `? ` key or an implicit `key:`) at `column`: closes the
    /// collections it is outside of, and opens a new one unless it is a sibling.
    fn enter_block(&mut self, column: isize, kind: Block, at: usize) -> Result<(), TooDeep> {
        while let Some((open, open_kind)) = self.block.last().copied() {
            let closes = match open.cmp(&column) {
                Ordering::Greater => true,
                // A key at the column of a sequence ends the sequence (it sat under a key).
                Ordering::Equal => open_kind == Block::Sequence && kind == Block::Mapping,
                Ordering::Less => false,
            };
            if !closes {
                break;
            }
            self.block.pop();
        }
        if self.block.last() != Some(&(column, kind)) {
            self.block.push((column, kind));
            self.depth_ok(at)?;
        }
        Ok(())
    }

    /// Moves past a quoted scalar that starts at the current byte, line breaks included.
    fn skip_quoted(&mut self, quote: u8) {
        self.at += 1;
        loop {
            // A single-quoted scalar has no escapes: a backslash is only text in it.
            let escape = if quote == b'"' { b'\\' } else { quote };
            self.skip_to(escape, quote, b'\n');
            let Some(byte) = self.byte(self.at) else { return };
            match byte {
                b'\\' if quote == b'"' => self.at += 1,
                b'\'' if quote == b'\'' && self.byte(self.at + 1) == Some(b'\'') => self.at += 1,
                b'\n' => {
                    self.line += 1;
                    self.line_start = self.at + 1;
                }
                _ if byte == quote => {
                    self.at += 1;
                    return;
                }
                _ => {}
            }
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The depth serde_yaml gives `text`: `Ok` when it parses, `Err` when it is too deep.
    fn parser_accepts(text: &str) -> bool {
        serde_yaml::from_str::<serde_yaml::Value>(text).is_ok()
    }

    fn flow(n: usize) -> String {
        format!("x: {}{}\n", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn the_limit_is_the_parsers() {
        // The root mapping is one level, so 127 brackets below it are the most either accepts.
        for (n, accepted) in [(127, true), (128, false)] {
            let text = flow(n);
            assert_eq!(parser_accepts(&text), accepted, "serde_yaml, {n} levels");
            assert_eq!(check_depth(&text).is_ok(), accepted, "this scan, {n} levels");
        }
        let seq = |n: usize| format!("{}x\n", "- ".repeat(n));
        for (n, accepted) in [(128, true), (129, false)] {
            assert_eq!(parser_accepts(&seq(n)), accepted, "serde_yaml, {n} dashes");
            assert_eq!(check_depth(&seq(n)).is_ok(), accepted, "this scan, {n} dashes");
        }
    }

    #[test]
    fn the_place_is_the_first_collection_beyond_the_limit() {
        let text = format!("openapi: 3.0.1\npaths:\n  /a: {}\n", "[".repeat(400_000));
        // Root, `paths`, `/a`'s value: 126 brackets fit, the 127th is at column 133.
        assert_eq!(
            check_depth(&text),
            Err(TooDeep {
                line: 3,
                column: 6 + 127
            })
        );
        let deep = format!("a:\n{}x\n", "- ".repeat(5_000_000));
        assert_eq!(
            check_depth(&deep),
            Err(TooDeep {
                line: 2,
                column: 2 * 127 + 1
            })
        );
    }

    #[test]
    fn brackets_in_scalars_and_comments_are_text() {
        let text = format!(
            "a: see [this {0}\nb: 'it''s [{0}'\nc: \"[{0}\\\"\"\nd: |\n  [{0}\n  {0}\ne: >-\n    [{0}\n# [{0}\nf: x [{0}\n  [{0} continued\ng: [it's, \"a [\", 'b [']\n",
            "[".repeat(500)
        );
        assert!(parser_accepts(&text), "the test's YAML is valid");
        assert_eq!(check_depth(&text), Ok(()));
    }

    /// `k:` then `levels` lines of `- k:`, each a list at its key's own column holding a mapping,
    /// ending in a list (`- x`) or a scalar (`x`): 2 levels a line, plus the root and the list.
    fn keys_and_lists(levels: usize, list_at_end: bool) -> String {
        let mut text = String::from("k:\n");
        for level in 0..levels {
            text.push_str(&format!("{}- k:\n", " ".repeat(2 * level)));
        }
        // A list may sit at its key's column; a scalar value must be indented past it.
        let end = if list_at_end { "- x" } else { "  x" };
        text.push_str(&format!("{}{end}\n", " ".repeat(2 * levels)));
        text
    }

    #[test]
    fn block_nesting_counts_keys_and_lists_under_keys_as_the_parser_does() {
        for levels in 62..=64 {
            for list_at_end in [false, true] {
                let text = keys_and_lists(levels, list_at_end);
                assert_eq!(
                    check_depth(&text).is_ok(),
                    parser_accepts(&text),
                    "{levels} levels, list at the end: {list_at_end}"
                );
            }
        }
        // Siblings are not nested: a list that ends where a key at its column starts, and
        // mappings side by side.
        let siblings: String = (0..100)
            .map(|i| format!("a{i}:\n- 1\n- 2\nb{i}:\n  c: [1, {{d: 2}}]\n  e:\n  - - f\n"))
            .collect();
        assert!(parser_accepts(&siblings));
        assert_eq!(check_depth(&siblings), Ok(()));
    }
}
