//! Following `$ref`s: where a reference points in the document, and how deep lowering follows
//! them.

use std::borrow::Borrow;

use openapiv3::{ReferenceOr, Schema};

use super::{SchemaCtx, TypeCollector};
use crate::error::{Diagnostic, pointer_join};

/// How many `$ref`s deep lowering follows. Real documents nest a handful (Pipedrive's, under 10);
/// inline nesting needs no cap of its own, as the YAML parser stops at 128 levels. Measured: a
/// chain of 5,000 overflowed a test thread's 2 MiB stack.
pub(in crate::lower) const MAX_REF_DEPTH: usize = 64;

/// A schema after following `$ref`: the schema, its component name if any, and where it lives.
pub(in crate::lower) struct Resolved<'d> {
    pub(in crate::lower) schema: &'d Schema,
    pub(in crate::lower) ref_name: Option<&'d str>,
    pub(in crate::lower) pointer: String,
    pub(in crate::lower) reference: Option<String>,
}

impl<'d> TypeCollector<'d> {
    /// Follows a `$ref`, or takes the schema as it is. Generic over `Schema` and `Box<Schema>`,
    /// which `openapiv3` uses in different places.
    pub(in crate::lower) fn resolve<S: Borrow<Schema>>(
        &self,
        r: &'d ReferenceOr<S>,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Resolved<'d>, Diagnostic> {
        match r {
            ReferenceOr::Item(schema) => Ok(Resolved {
                schema: schema.borrow(),
                ref_name: None,
                pointer: pointer.to_owned(),
                reference: None,
            }),
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, pointer, ctx),
        }
    }

    pub(in crate::lower) fn resolve_ref(
        &self,
        reference: &'d str,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Resolved<'d>, Diagnostic> {
        let name = reference.strip_prefix("#/components/schemas/").ok_or_else(|| {
            self.error(ctx, pointer, format!("`$ref: {reference}` does not point at a schema"))
                .expected("`#/components/schemas/<name>`")
        })?;
        // A pointer into a schema (`Deal/properties/owner`) resolves in the document, but the
        // generator names types after whole components.
        if name.contains('/') {
            return Err(self
                .error(
                    ctx,
                    pointer,
                    format!("`$ref: {reference}` points inside a schema, which is not supported yet"),
                )
                .expected("a reference to a whole schema, `#/components/schemas/<name>`"));
        }
        let schema = self
            .doc
            .openapi
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .ok_or_else(|| {
                self.error(ctx, pointer, format!("`$ref: {reference}` does not resolve"))
                    .expected("an existing schema under `components.schemas`")
            })?;
        match schema {
            ReferenceOr::Item(schema) => Ok(Resolved {
                schema,
                ref_name: Some(name),
                pointer: pointer_join("/components/schemas", name),
                reference: Some(reference.to_owned()),
            }),
            ReferenceOr::Reference { reference: next } => Err(self
                .error(
                    ctx,
                    pointer,
                    format!("`$ref: {reference}` points at another `$ref` ({next})"),
                )
                .expected("a reference to a schema object")),
        }
    }
}
