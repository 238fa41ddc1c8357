//! The generator's config (`spec/codegen.yaml`): which documents to read, which tags to emit, and
//! the types a maintainer names by hand.
//!
//! The config is data, not code, so that choosing what to generate, or fixing a poor type name,
//! never needs a Rust change (the role of prost-build's `type_attribute` and typify's
//! `with_replacement`).

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::ident::{TAKEN_AT_CRATE_ROOT, is_keyword};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Name of the emitted crate (`pipedrive`).
    pub crate_name: String,
    /// The documents, read together. Lowering orders them by their API names compared as
    /// versions (`v1`, `v2`, `v10`): a later one is the "newer" API a deprecated operation may
    /// point to. The order they are listed in changes nothing.
    pub documents: Vec<DocumentConfig>,
    /// Which operations to emit.
    pub tags: TagSelection,
    /// Types named by hand, before any naming rule: where the rules choose poorly.
    #[serde(default)]
    pub names: Vec<TypeName>,
    /// The reviewed table of documented examples that contradict their schema, relative to the
    /// config's folder ([`crate::mismatches`]); none when absent.
    #[serde(default)]
    pub example_mismatches: Option<String>,
    /// Whether the crate may be published (`cargo publish`); a test fixture's crate says `false`.
    #[serde(default = "publishable")]
    pub publish: bool,
    /// The config's own file name, for errors about it.
    #[serde(skip)]
    pub file: String,
}

fn publishable() -> bool {
    true
}

/// A type named by hand: the type of the schema at `at` is called `name`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeName {
    /// A schema place, as a type's docs give it: `pipedrive-v2.yaml#/paths/...`.
    pub at: String,
    /// The Rust name of its type (`Product`).
    pub name: String,
}

/// One OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// Short name of the API version (`v1`): the Rust module its operations go into.
    pub api: String,
    /// File name, relative to the config's folder.
    pub file: String,
}

/// `tags: all` or `tags: [Stages, Deals]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagSelection {
    All,
    Only(BTreeSet<String>),
}

impl TagSelection {
    pub fn includes(&self, tag: &str) -> bool {
        match self {
            TagSelection::All => true,
            TagSelection::Only(tags) => tags.contains(tag),
        }
    }
}

impl<'de> Deserialize<'de> for TagSelection {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            List(Vec<String>),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Word(w) if w == "all" => Ok(TagSelection::All),
            Raw::Word(w) => Err(serde::de::Error::custom(format!(
                "tags is `{w}`; expected `all` or a list of tag names"
            ))),
            Raw::List(list) => Ok(TagSelection::Only(list.into_iter().collect())),
        }
    }
}

impl Config {
    /// Parses and checks a config. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, Diagnostic> {
        let de = serde_yaml::Deserializer::from_str(text);
        let mut config: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let pointer = crate::load::path_to_pointer(e.path());
            Diagnostic::new(file, pointer, e.inner().to_string()).expected(
                "`crate_name: <name>`, `documents: [{api: v1, file: <file>}, ...]`, `tags: all | [<tag>, ...]` \
                 and, if any, `names: [{at: <file>#<pointer>, name: <TypeName>}, ...]` and \
                 `example_mismatches: <file>`",
            )
        })?;
        config.check(file)?;
        file.clone_into(&mut config.file);
        Ok(config)
    }

    fn check(&self, file: &str) -> Result<(), Diagnostic> {
        if !is_module_name(&self.crate_name.replace('-', "_")) {
            return Err(Diagnostic::new(
                file,
                "/crate_name",
                format!("`{}` is not a crate name", self.crate_name),
            )
            .expected("lowercase letters, digits, `-` and `_`, starting with a letter"));
        }
        if self.documents.is_empty() {
            return Err(Diagnostic::new(file, "/documents", "no documents are listed")
                .expected("at least one `{api: <name>, file: <file>}`"));
        }
        let mut seen = BTreeSet::new();
        for (i, doc) in self.documents.iter().enumerate() {
            if !is_module_name(&doc.api) {
                return Err(Diagnostic::new(
                    file,
                    format!("/documents/{i}/api"),
                    format!("`{}` cannot be a module name", doc.api),
                )
                .expected("lowercase letters, digits and `_`, starting with a letter (e.g. `v1`)"));
            }
            let keyword = is_keyword(&doc.api);
            if keyword || TAKEN_AT_CRATE_ROOT.contains(&doc.api.as_str()) {
                return Err(Diagnostic::new(
                    file,
                    format!("/documents/{i}/api"),
                    if keyword {
                        format!("`{}` is a Rust keyword", doc.api)
                    } else {
                        format!("`{}` is a name the generated crate's root already uses", doc.api)
                    },
                )
                .expected(format!(
                    "a module name other than a Rust keyword and {} (e.g. `v1`)",
                    TAKEN_AT_CRATE_ROOT.map(|n| format!("`{n}`")).join(", ")
                )));
            }
            if !seen.insert(doc.api.as_str()) {
                return Err(Diagnostic::new(
                    file,
                    format!("/documents/{i}/api"),
                    format!("API `{}` is listed twice", doc.api),
                )
                .expected("each API version once"));
            }
        }
        self.check_names(file)?;
        if let TagSelection::Only(tags) = &self.tags {
            if tags.is_empty() {
                return Err(
                    Diagnostic::new(file, "/tags", "the tag list is empty").expected("`all` or at least one tag")
                );
            }
        }
        Ok(())
    }
}

impl Config {
    /// Each hand-given name is a type name and names one place once. (Whether its place is a
    /// type's, and whether the name is free, only lowering can tell.)
    fn check_names(&self, file: &str) -> Result<(), Diagnostic> {
        let mut places = BTreeSet::new();
        for (i, entry) in self.names.iter().enumerate() {
            // `New`: request structs have a `new` constructor, and clippy refuses `New::new`.
            if crate::ident::pascal_ident(&entry.name, "") != entry.name
                || is_keyword(&entry.name)
                || entry.name == "New"
            {
                return Err(Diagnostic::new(
                    file,
                    format!("/names/{i}/name"),
                    format!("`{}` is not a type name", entry.name),
                )
                .expected("a name in PascalCase: letters and digits, starting with a capital letter (`Deal`)"));
            }
            if !entry.at.contains("#/") {
                return Err(Diagnostic::new(
                    file,
                    format!("/names/{i}/at"),
                    format!("`{}` is not a schema place", entry.at),
                )
                .expected(
                    "a document file and a JSON pointer, as a type's docs give them: `pipedrive-v2.yaml#/paths/...`",
                ));
            }
            if !places.insert(entry.at.as_str()) {
                return Err(
                    Diagnostic::new(file, format!("/names/{i}/at"), format!("`{}` is named twice", entry.at))
                        .expected("each schema place once"),
                );
            }
        }
        Ok(())
    }
}

fn is_module_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shipped_shape() {
        let config = Config::parse(
            "codegen.yaml",
            "crate_name: pipedrive\ndocuments:\n  - {api: v1, file: a.yaml}\n  - {api: v2, file: b.yaml}\ntags: [Stages]\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.documents.len(), 2);
        assert!(config.tags.includes("Stages"));
        assert!(!config.tags.includes("Deals"));
    }

    #[test]
    fn refuses_api_names_the_crate_root_cannot_take() {
        for (api, found) in [
            ("type", "`type` is a Rust keyword"),
            ("runtime", "`runtime` is a name the generated crate's root already uses"),
            ("new", "`new` is a name the generated crate's root already uses"),
        ] {
            let text = format!("crate_name: pipedrive\ndocuments:\n  - {{api: {api}, file: a.yaml}}\ntags: all\n");
            let error = Config::parse("codegen.yaml", &text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                error.contains("/documents/0/api") && error.contains(found),
                "{api}: {error}"
            );
        }
    }

    #[test]
    fn types_are_named_by_place_each_place_once_with_a_type_name() {
        let config = |names: &str| {
            Config::parse(
                "c.yaml",
                &format!("crate_name: p\ndocuments: [{{api: v1, file: a.yaml}}]\ntags: all\nnames:\n{names}"),
            )
        };
        let ok = config("  - {at: 'a.yaml#/paths/~1x/get', name: Thing}\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.names.len(), 1);
        for (names, found) in [
            (
                "  - {at: 'a.yaml#/x', name: thing}\n",
                "/names/0/name: `thing` is not a type name",
            ),
            (
                "  - {at: 'a.yaml#/x', name: Self}\n",
                "/names/0/name: `Self` is not a type name",
            ),
            (
                "  - {at: 'a.yaml#/x', name: New}\n",
                "/names/0/name: `New` is not a type name",
            ),
            (
                "  - {at: '/paths/x', name: Thing}\n",
                "/names/0/at: `/paths/x` is not a schema place",
            ),
            (
                "  - {at: 'a.yaml#/x', name: A}\n  - {at: 'a.yaml#/x', name: B}\n",
                "/names/1/at: `a.yaml#/x` is named twice",
            ),
        ] {
            let error = config(names).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains(found), "{names}: {error}");
        }
    }

    #[test]
    fn all_selects_every_tag() {
        let config = Config::parse(
            "c.yaml",
            "crate_name: p\ndocuments: [{api: v1, file: a.yaml}]\ntags: all\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(config.tags.includes("Anything"));
    }

    #[test]
    fn errors_point_into_the_config() {
        let err = Config::parse(
            "c.yaml",
            "crate_name: p\ndocuments: [{api: V1, file: a.yaml}]\ntags: all\n",
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "c.yaml: at /documents/0/api: `V1` cannot be a module name; expected lowercase letters, digits and `_`, starting with a letter (e.g. `v1`)"
            )
        );
        let err = Config::parse("c.yaml", "crate_name: p\ndocuments: []\ntags: all\nextra: 1\n").err();
        assert!(err.is_some_and(|e| e.to_string().contains("unknown field `extra`")));
    }
}
