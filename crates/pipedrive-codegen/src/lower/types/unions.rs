//! Unions: `oneOf`/`anyOf` into a union shape, its variants named, and the property that
//! names each variant when every variant fixes one.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::{Lowered, Resolved, SchemaCtx, ShapeBody, ShapeKey, TypeCollector, preferred_name};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_ident, unique};
use crate::ir::{Scalar, TypeRef};
use crate::lower::view::{ObjectPart, View, view};

impl<'d> TypeCollector<'d> {
    pub(in crate::lower) fn lower_union(
        &mut self,
        keyword: &str,
        variants: &'d [ReferenceOr<Schema>],
        base: &[(ObjectPart<'d>, String)],
        title: Option<&str>,
        description: Option<&str>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let type_name = preferred_name(title, &ctx.name);
        let mut resolved_variants = Vec::with_capacity(variants.len());
        for (i, variant) in variants.iter().enumerate() {
            let pointer = pointer_join(&pointer_join(&ctx.pointer, keyword), i);
            resolved_variants.push((self.resolve(variant, &pointer, ctx)?, pointer));
        }
        // Tried in order, an object variant whose fields are all optional takes any object; a
        // property that names each variant (`item: {enum: [deal]}`) decides instead, and names
        // the variants. Only when every variant has one (a variant without would be a guess) and
        // each names a different one.
        let constants: Vec<_> = resolved_variants
            .iter()
            .map(|(resolved, _)| self.constant_properties(resolved.schema, &resolved.pointer, ctx))
            .collect();
        let (discriminator, tags) = match discriminator(&constants) {
            Some((property, tags)) => (Some(property), tags.into_iter().map(Some).collect()),
            None => (None, vec![None; variants.len()]),
        };
        let mut lowered_variants: Vec<(String, TypeRef, Option<String>)> = Vec::new();
        // `Other` is the emitted fallback variant that keeps unmatched JSON.
        let mut taken = BTreeSet::from(["Other".to_owned()]);
        let mut nullable = false;
        for (i, ((resolved, pointer), tag)) in resolved_variants.into_iter().zip(tags).enumerate() {
            let variant_title = resolved
                .schema
                .schema_data
                .title
                .clone()
                .or_else(|| resolved.ref_name.map(str::to_owned));
            let context_name = match &tag {
                Some(tag) => format!("{type_name}{}", pascal_ident(tag, "Variant")),
                None => format!("{type_name}Variant{}", i + 1),
            };
            let variant_ctx = ctx.child(pointer, context_name);
            let lowered = if base.is_empty() {
                self.lower_resolved(resolved, &variant_ctx)?
            } else {
                self.lower_with_base(base, &resolved, variant_title.as_deref(), &variant_ctx)?
            };
            nullable |= lowered.nullable;
            let name = match (&tag, variant_title) {
                (Some(tag), _) => pascal_ident(tag, "Variant"),
                (None, Some(title)) => pascal_ident(&title, "Variant"),
                (None, None) => variant_kind_name(&lowered.ty),
            };
            let ty = lowered.ty;
            // Variants with distinct tags differ in that property, so only untagged ones merge.
            if lowered_variants.iter().any(|(_, t, _)| *t == ty) {
                continue;
            }
            lowered_variants.push((unique(name, &mut taken), ty, tag));
        }
        match lowered_variants.len() {
            0 => Ok((TypeRef::Any, nullable)),
            1 => Ok((lowered_variants.pop().map_or(TypeRef::Any, |(_, t, _)| t), nullable)),
            _ => {
                let key = ShapeKey {
                    direction: ctx.direction,
                    body: ShapeBody::Union {
                        variants: lowered_variants,
                        discriminator,
                    },
                };
                Ok((self.intern(key, title, description, BTreeMap::new(), ctx), nullable))
            }
        }
    }

    /// A variant of a union that an `allOf` combines with object parts (`base`): one object of
    /// those parts and the variant's own, which must be an object too.
    fn lower_with_base(
        &mut self,
        base: &[(ObjectPart<'d>, String)],
        variant: &Resolved<'d>,
        title: Option<&str>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Lowered, Diagnostic> {
        let ctx = &SchemaCtx {
            pointer: variant.pointer.clone(),
            ..ctx.clone()
        };
        let own = match view(variant.schema) {
            View::Object(part) => vec![(part, variant.pointer.clone())],
            View::AllOf { parts, own } => {
                let flat = self.flatten_all_of(parts, own, &variant.pointer, ctx)?;
                if flat.others.is_empty() {
                    flat.objects
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        };
        if own.is_empty() {
            return Err(self
                .error(
                    ctx,
                    &variant.pointer,
                    "a variant of a union that `allOf` combines with an object is not an object",
                )
                .expected("object variants, which are merged with the `allOf`'s object parts"));
        }
        let parts: Vec<(ObjectPart<'d>, String)> = base.iter().cloned().chain(own).collect();
        let data = &variant.schema.schema_data;
        Ok(Lowered {
            ty: self.lower_object(&parts, title, data.description.as_deref(), ctx)?,
            nullable: data.nullable,
            description: None,
            default: None,
            deprecated: data.deprecated,
            constraints: Vec::new(),
        })
    }

    /// An object schema's properties that allow exactly one string (`item: {type: string,
    /// enum: [deal]}`), in document order, with that string; through `allOf` parts too (one
    /// level, as a variant that extends a shared schema has them). Empty for anything else.
    pub(in crate::lower) fn constant_properties(
        &self,
        schema: &'d Schema,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Vec<(String, String)> {
        let parts: Vec<ObjectPart<'d>> = match view(schema) {
            View::Object(object) => vec![object],
            View::AllOf { parts, own } => own
                .into_iter()
                .chain(parts.iter().filter_map(|part| {
                    let resolved = self.resolve(part, pointer, ctx).ok()?;
                    match view(resolved.schema) {
                        View::Object(object) => Some(object),
                        _ => None,
                    }
                }))
                .collect(),
            _ => return Vec::new(),
        };
        parts
            .iter()
            .flat_map(|object| object.properties.iter())
            .filter_map(|(name, property)| {
                let resolved = self.resolve(property, pointer, ctx).ok()?;
                match view(resolved.schema) {
                    View::String { values, .. } => match values.as_slice() {
                        [Value::String(only)] => Some((name.clone(), only.clone())),
                        _ => None,
                    },
                    _ => None,
                }
            })
            .collect()
    }
}

/// The first property (in the first variant's order) that every variant fixes to a string of
/// its own, and those strings in variant order; `None` if there is no such property.
pub(in crate::lower) fn discriminator(constants: &[Vec<(String, String)>]) -> Option<(String, Vec<String>)> {
    let (first, rest) = constants.split_first()?;
    first.iter().find_map(|(property, _)| {
        let tags: Vec<String> = constants
            .iter()
            .map(|fixed| fixed.iter().find(|(name, _)| name == property).map(|(_, v)| v.clone()))
            .collect::<Option<_>>()?;
        let distinct: BTreeSet<&String> = tags.iter().collect();
        (!rest.is_empty() && distinct.len() == tags.len()).then(|| (property.clone(), tags))
    })
}

pub(in crate::lower) fn variant_kind_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Scalar(Scalar::String | Scalar::Date | Scalar::DateTime | Scalar::Uuid) => "String".into(),
        TypeRef::Scalar(Scalar::I64 | Scalar::I32) => "Integer".into(),
        TypeRef::Scalar(Scalar::F64) => "Number".into(),
        TypeRef::Scalar(Scalar::Bool | Scalar::BoolAsNumber) => "Bool".into(),
        TypeRef::Scalar(Scalar::Binary | Scalar::Bytes) => "Binary".into(),
        TypeRef::Array(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Nullable(inner) => variant_kind_name(inner),
        TypeRef::Named(_) => "Object".into(),
        TypeRef::Any => "Value".into(),
    }
}
