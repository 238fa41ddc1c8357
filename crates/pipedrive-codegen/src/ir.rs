//! The intermediate representation: plain data between lowering and emitting.
//!
//! Lowering (`crate::lower`) turns Pipedrive's OpenAPI documents into an [`Api`]; emitting
//! (`crate::emit`) turns an [`Api`] into Rust source. Nothing here holds token streams or
//! references into the parsed documents, every collection has a deterministic order, and the whole
//! value is `Serialize`, so its snapshot reads as a description of the API: a reviewer sees
//! "operation `getStages` gained a parameter" here before reading any generated code.
//! Names in the IR are final: identifiers are already escaped and types already de-duplicated.
//!
//! Here: the API, its documents and tags. Operations are in `operation.rs`, types in `types.rs`,
//! a builder's public surface in `surface.rs`, the rules checked before sending in
//! `constraint.rs`; all are re-exported, so every item is `crate::ir::Name`.

use serde::{Deserialize, Serialize};

mod constraint;
mod operation;
mod surface;
mod types;

pub use constraint::Constraint;
pub use operation::*;
pub use surface::*;
pub use types::*;

fn is_false(b: &bool) -> bool {
    !*b
}

/// Everything the generator emits, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// The documents read, in config order.
    pub documents: Vec<Document>,
    /// Tags that have generated operations, sorted by API version and name.
    pub tags: Vec<Tag>,
    /// Generated operations: by API version (config order), tag, then path and method.
    pub operations: Vec<Operation>,
    /// Named types, sorted by API version and name.
    pub types: Vec<TypeDef>,
}

/// One OpenAPI document and the Rust module its operations and types live in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Short API version name from the config (`v1`, `v2`); also the Rust module name.
    pub api: String,
    /// The document's file name, for error messages and docs.
    pub file: String,
    /// `info.title` of the document.
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    /// Path prefix of the document's server (`/v1`, `/api/v2`), put in front of every path.
    pub server_prefix: String,
}

/// An OpenAPI tag: one Rust module per API version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub api: String,
    pub name: String,
    /// Rust module name (`stages`).
    pub module: String,
    /// Name of the struct that groups the tag's operations (`Stages`).
    pub struct_name: String,
    /// The Cargo feature that compiles the tag's operations and the types they use (`stages`),
    /// shared by the tags of the same name in every API version. Empty only in an `api.json`
    /// written before features were.
    #[serde(default)]
    pub feature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
