//! Tags as Rust sees them: a module per tag, unique within its API version and short enough for
//! a file name; the tag's struct; one Cargo feature per tag name; and method and builder names
//! unique within each module.

use std::collections::{BTreeMap, BTreeSet};

use crate::ident::{PRELUDE_NAMES, pascal_ident, snake_ident, unique, unraw};
use crate::ir::{Operation, Tag};
use crate::load::LoadedDocument;
use crate::markdown::html_to_markdown;

/// Derive macros of the standard library, which share their names with traits.
const DERIVE_NAMES: [&str; 8] = ["Clone", "Copy", "Debug", "Eq", "Hash", "Ord", "PartialEq", "PartialOrd"];

/// Method and builder names must be unique within a tag module even when two operationIds
/// differ only in case or punctuation.
pub(super) fn make_rust_names_unique(ops: &mut [Operation]) {
    let mut fns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut builders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Taken in each tag's module: the tag's own struct, the prelude names its code uses
    // unqualified (an operation `result` must not become a `Result` builder), `New` (a
    // builder's constructor is `new`, which clippy's `self_named_constructors` denies there), and
    // the derive macros builders use (rustdoc cannot tell a link to a `Copy` builder from the
    // derive).
    for op in ops.iter() {
        let taken = builders.entry(op.tag_module.clone()).or_default();
        taken.insert(tag_struct_name(&op.tag));
        taken.extend(
            PRELUDE_NAMES
                .iter()
                .chain(&["New"])
                .chain(&DERIVE_NAMES)
                .map(|n| (*n).to_owned()),
        );
    }
    for op in ops.iter_mut() {
        // The tag struct's constructor is `new`: an operation `new` must not be a second one.
        let f = fns
            .entry(op.tag_module.clone())
            .or_insert_with(|| BTreeSet::from(["new".to_owned()]));
        op.fn_name = unique(std::mem::take(&mut op.fn_name), f);
        let b = builders.entry(op.tag_module.clone()).or_default();
        op.builder_name = unique(std::mem::take(&mut op.builder_name), b);
    }
}

/// The struct holding a tag's operations: the tag in PascalCase (`Stages`), or with `Api` added
/// where that would shadow a prelude name its module uses (`Result`) or be `New` (the struct's
/// constructor is `new`, which clippy's `self_named_constructors` denies).
pub(super) fn tag_struct_name(tag: &str) -> String {
    let name = pascal_ident(tag, "Api");
    if PRELUDE_NAMES.contains(&name.as_str()) || name == "New" {
        format!("{name}Api")
    } else {
        name
    }
}

/// Names an API version's own module holds besides its tag modules: the `types` module, the
/// `mod.rs` file, and `Api::new` (tag accessors are methods of `Api` named after the module).
const RESERVED_MODULES: [&str; 3] = ["types", "mod", "new"];

/// Longest tag module name before it is made unique. The module is a file, and file systems
/// allow 255 bytes a name; a tag as long as a sentence makes no better module name than its
/// first words.
const MAX_MODULE_LEN: usize = 64;

/// The Rust module of each tag of one API version, unique within it: `Deal Fields` and
/// `DealFields` would both be `deal_fields`, so the tags are taken in sorted order and a later
/// one gets a number (`deal_fields2`), as are tags that would take a reserved name (`types2`).
/// Compared without the raw prefix: the file of module `r#type` is `type.rs`. Names longer than
/// [`MAX_MODULE_LEN`] are cut first.
pub(super) fn tag_modules(api: &str, ops: &[Operation]) -> BTreeMap<String, String> {
    let names: BTreeSet<&str> = ops.iter().map(|o| o.tag.as_str()).collect();
    // The API version's own name too: a tag `V2` in `v2` would be `v2::v2` (clippy's
    // `module_inception`).
    let mut taken: BTreeSet<String> = RESERVED_MODULES
        .iter()
        .map(|s| (*s).to_owned())
        .chain([unraw(api).to_owned()])
        .collect();
    names
        .into_iter()
        .map(|name| {
            let module = shortened(snake_ident(name, "untagged"));
            let module = if taken.contains(unraw(&module)) {
                unique(unraw(&module).to_owned(), &mut taken)
            } else {
                taken.insert(unraw(&module).to_owned());
                module
            };
            (name.to_owned(), module)
        })
        .collect()
}

/// `module` cut to [`MAX_MODULE_LEN`] bytes, at a character boundary and without a trailing `_`.
fn shortened(module: String) -> String {
    if module.len() <= MAX_MODULE_LEN {
        return module;
    }
    let end = (0..=MAX_MODULE_LEN)
        .rev()
        .find(|&i| module.is_char_boundary(i))
        .unwrap_or(0);
    match module.get(..end).map(|s| s.trim_end_matches('_')) {
        Some(cut) if !cut.is_empty() => cut.to_owned(),
        _ => module,
    }
}

/// Features the generated crate has besides one per tag: its default, all tags, its TLS backend.
pub const OTHER_FEATURES: [&str; 3] = ["default", "full", "rustls"];

/// Gives each tag its Cargo feature: the tag's name in snake case (`Deal Fields` → `deal_fields`),
/// the same for tags of the same name in different API versions, so `deals` compiles v1's and
/// v2's Deals. Names are taken in sorted order; one that another tag name or a feature of the
/// crate already has is numbered (`deal_fields2`), like tag modules.
pub fn assign_features(tags: &mut [Tag]) {
    let names: BTreeSet<String> = tags.iter().map(|t| t.name.clone()).collect();
    let mut taken: BTreeSet<String> = OTHER_FEATURES.iter().map(|f| (*f).to_owned()).collect();
    let features: BTreeMap<String, String> = names
        .into_iter()
        .map(|name| {
            let feature = shortened(unraw(&snake_ident(&name, "untagged")).to_owned());
            let feature = unique(feature, &mut taken);
            (name, feature)
        })
        .collect();
    for tag in tags {
        if let Some(feature) = features.get(&tag.name) {
            tag.feature.clone_from(feature);
        }
    }
}

pub(super) fn tags_of(doc: &LoadedDocument, modules: &BTreeMap<String, String>) -> Vec<Tag> {
    modules
        .iter()
        .map(|(name, module)| Tag {
            api: doc.api.clone(),
            name: name.clone(),
            module: module.clone(),
            struct_name: tag_struct_name(name),
            // Chosen once every document's tags are known (`assign_features`).
            feature: String::new(),
            description: doc
                .openapi
                .tags
                .iter()
                .find(|t| &t.name == name)
                .and_then(|t| t.description.as_deref())
                .and_then(html_to_markdown),
        })
        .collect()
}
