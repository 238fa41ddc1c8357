//! Identifier rules, in one place: how a name from a document becomes a Rust identifier.
//!
//! Documents use names Rust cannot (`type`, `self`, `1st_field`, `x-api-token`, `naïve`); every
//! module, type, field, variant and method name goes through here, so escaping is decided once.
//! Raw identifiers (`r#type`) are kept as strings with their `r#` prefix; [`to_ident`] turns such a
//! string into a `proc_macro2::Ident` at emit time. The names the emitted code reserves for
//! itself live here too, a leaf the config, lowering and emit all read without reading each
//! other (config -> emit -> lower -> config was a cycle).

use heck::{ToPascalCase, ToSnakeCase};

/// Words that cannot be identifiers even as raw identifiers (`r#self` is rejected by rustc).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords of Rust 2024: they need `r#`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keeps ASCII letters, digits and `_`; every other character separates words. Non-ASCII letters
/// are dropped rather than kept: they would trip `non_ascii_idents` lints in users' crates.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { ' ' })
        .collect()
}

/// `update_time`, `x-api-token`, `1st` → a snake_case identifier (`update_time`, `x_api_token`, `_1st`).
/// `fallback` is used when nothing usable is left (a name made only of symbols or non-ASCII).
pub fn snake_ident(name: &str, fallback: &str) -> String {
    let snake = ascii_words(name).to_snake_case();
    escape(if snake.is_empty() {
        fallback.to_snake_case()
    } else {
        snake
    })
}

/// `StageItem`, `addStageRequest`, `sort-by` → a PascalCase identifier.
pub fn pascal_ident(name: &str, fallback: &str) -> String {
    let pascal = ascii_words(name).to_pascal_case();
    escape(if pascal.is_empty() {
        fallback.to_pascal_case()
    } else {
        pascal
    })
}

/// PascalCase without escaping, for building longer names (`GetStages` + `SortBy`).
pub fn pascal_words(name: &str) -> String {
    ascii_words(name).to_pascal_case()
}

/// Whether `name` is a Rust keyword (strict, reserved or weak) and so needs escaping as an
/// identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) || NOT_RAW.contains(&name)
}

fn escape(ident: String) -> String {
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{ident}");
    }
    if NOT_RAW.contains(&ident.as_str()) {
        return format!("{ident}_");
    }
    if KEYWORDS.contains(&ident.as_str()) {
        return format!("r#{ident}");
    }
    ident
}

/// The identifier for an escaped name (`r#type` becomes a raw identifier).
pub fn to_ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// The name without a raw-identifier prefix, for building other names from it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Names from the prelude that emitted code uses unqualified (`Option<…>`, `String::from`,
/// `impl Stream + Send`): a generated type or builder with one of these names would shadow it.
pub const PRELUDE_NAMES: [&str; 13] = [
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Into", "Send", "ToString",
];

/// Makes `candidate` unique among `taken` by appending 2, 3, … and records it. A trailing `_`
/// (the escape of `self`, `Self`) goes before the number: `Self2`, not `Self_2`, which is not
/// camel case.
pub fn unique(candidate: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    let unescaped = unraw(&candidate);
    let trimmed = unescaped.trim_end_matches('_');
    let base = if trimmed.is_empty() { unescaped } else { trimmed }.to_owned();
    let mut n = 2u32;
    loop {
        let next = format!("{base}{n}");
        if taken.insert(next.clone()) {
            return next;
        }
        n += 1;
    }
}

/// The fallback variant of open enums, holding a value the document does not list.
pub const UNKNOWN_VARIANT: &str = "UnknownValue";

/// Names the emitted `lib.rs` (`emit::crate_root`) defines or uses next to the API modules, which are each a module and a
/// `Client` method: the runtime's re-export, `Client`'s own methods, and the crates its code
/// names by path. The config refuses an API named like one of them; keep the two in step here.
pub const TAKEN_AT_CRATE_ROOT: [&str; 10] = [
    "runtime",
    "new",
    "from_runtime",
    "tokens_spent",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "futures",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_numbers_a_taken_name_before_its_escape_underscore() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(unique("Self_".to_owned(), &mut taken), "Self_");
        assert_eq!(unique("Self_".to_owned(), &mut taken), "Self2");
        assert_eq!(unique("r#type".to_owned(), &mut taken), "r#type");
        assert_eq!(unique("r#type".to_owned(), &mut taken), "type2");
        assert_eq!(unique("_".to_owned(), &mut taken), "_");
        assert_eq!(unique("_".to_owned(), &mut taken), "_2");
    }

    #[test]
    fn snake_case_escapes_keywords_digits_and_symbols() {
        assert_eq!(snake_ident("update_time", "f"), "update_time");
        assert_eq!(snake_ident("type", "f"), "r#type");
        assert_eq!(snake_ident("self", "f"), "self_");
        assert_eq!(snake_ident("1st_field", "f"), "_1st_field");
        assert_eq!(snake_ident("x-api-token", "f"), "x_api_token");
        assert_eq!(snake_ident("naïve", "f"), "na_ve");
        assert_eq!(snake_ident("ééé", "field"), "field");
        assert_eq!(snake_ident("pipelineId", "f"), "pipeline_id");
    }

    #[test]
    fn pascal_case_escapes() {
        assert_eq!(pascal_ident("addStageRequest", "T"), "AddStageRequest");
        assert_eq!(pascal_ident("order_nr", "T"), "OrderNr");
        assert_eq!(pascal_ident("Self", "T"), "Self_");
        assert_eq!(pascal_ident("2xx", "T"), "_2xx");
        assert_eq!(pascal_ident("%%", "Value"), "Value");
    }

    #[test]
    fn raw_identifiers_round_trip_through_proc_macro2() {
        assert_eq!(to_ident("r#type").to_string(), "r#type");
        assert_eq!(to_ident("name").to_string(), "name");
    }

    #[test]
    fn unique_appends_numbers() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A2");
        assert_eq!(unique("A".into(), &mut taken), "A3");
    }
}
