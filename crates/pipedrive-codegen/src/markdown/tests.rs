//! Tests of the module's functions, through which both halves are reached: the HTML walk (tables,
//! headings, links, tags and entities) and the rustdoc escaping (brackets, backticks, URLs, fences,
//! line starts, list continuations). They check the text a description becomes, not how.

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
        md("One<pre>  two\n    three</pre><blockquote>four</blockquote><hr>five<dl><dt>six</dt><dd>seven</dd></dl>"),
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
        html_to_markdown("<a href=\"HTTPS://x.com/y\">HTTPS://x.com/y</a> <a href=\"http://x.com/(a) b\">A\n\nB</a>")
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
