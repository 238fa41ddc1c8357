//! Objects: `properties`, `required` and `additionalProperties` into a struct shape, and `allOf`
//! flattened into the one object its parts describe.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::{
    FieldKey, Lowered, Named, Resolved, SchemaCtx, ShapeBody, ShapeKey, TypeCollector, literal_key, preferred_name,
    wrap_nullable,
};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_words, snake_ident, unique};
use crate::ir::{Additional, Direction, TypeRef};
use crate::lower::view::{ObjectPart, Properties, View, view};

impl<'d> TypeCollector<'d> {
    /// An `allOf`: one object its object parts describe, or the one part that is not an object;
    /// and whether a part is nullable.
    pub(in crate::lower) fn lower_all_of(
        &mut self,
        parts: &'d [ReferenceOr<Schema>],
        own: Option<ObjectPart<'d>>,
        named: &Named<'_>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let (merged, part_title, mut nullable) = self.collect_all_of(parts, own, ctx)?;
        let ty = match merged {
            AllOfResult::Objects(objects) => {
                let name = named.title.map(str::to_owned).or(part_title);
                self.lower_object(&objects, name.as_deref(), named.description, ctx)?
            }
            AllOfResult::Single(lowered) => {
                nullable |= lowered.nullable;
                lowered.ty
            }
        };
        Ok((ty, nullable))
    }

    /// The parts of an `allOf` at `pointer`, flattened through `$ref`s and nested `allOf`s:
    /// object parts depth-first (a nested `allOf`'s own properties before its parts), then the
    /// schema's own properties; the parts that are not
    /// objects; the last title met; whether any part is nullable. Parts without constraints add
    /// nothing. Nothing is lowered, so this can also just look (`envelope`).
    pub(in crate::lower) fn flatten_all_of(
        &self,
        parts: &'d [ReferenceOr<Schema>],
        own: Option<ObjectPart<'d>>,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Result<FlatAllOf<'d>, Diagnostic> {
        let mut objects: Vec<(ObjectPart<'d>, String)> = Vec::new();
        let mut last_title = None;
        let mut nullable = false;
        let mut others: Vec<Resolved<'d>> = Vec::new();
        let mut stack: Vec<(&'d ReferenceOr<Schema>, String)> = parts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p, pointer_join(&pointer_join(pointer, "allOf"), i)))
            .collect();
        while let Some((part, part_pointer)) = stack.pop() {
            let resolved = self.resolve(part, &part_pointer, ctx)?;
            let data = &resolved.schema.schema_data;
            nullable |= data.nullable;
            match view(resolved.schema) {
                View::Object(object) => {
                    if let Some(t) = data.title.as_deref().or(resolved.ref_name) {
                        last_title = Some(t.to_owned());
                    }
                    objects.push((object, resolved.pointer.clone()));
                }
                View::AllOf {
                    parts: inner,
                    own: inner_own,
                } => {
                    if let Some(o) = inner_own {
                        objects.push((o, resolved.pointer.clone()));
                    }
                    for (i, p) in inner.iter().enumerate().rev() {
                        stack.push((p, pointer_join(&pointer_join(&resolved.pointer, "allOf"), i)));
                    }
                }
                View::Any => {}
                _ => others.push(resolved),
            }
        }
        if let Some(o) = own {
            objects.push((o, pointer.to_owned()));
        }
        Ok(FlatAllOf {
            objects,
            others,
            last_title,
            nullable,
        })
    }

    /// Flattens `allOf` (recursively) into object parts. A lone non-object part is lowered as is.
    pub(in crate::lower) fn collect_all_of(
        &mut self,
        parts: &'d [ReferenceOr<Schema>],
        own: Option<ObjectPart<'d>>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<(AllOfResult<'d>, Option<String>, bool), Diagnostic> {
        let FlatAllOf {
            objects,
            mut others,
            last_title,
            nullable,
        } = self.flatten_all_of(parts, own, &ctx.pointer, ctx)?;
        match (objects.is_empty(), others.len()) {
            (_, 0) => Ok((AllOfResult::Objects(objects), last_title, nullable)),
            (true, 1) => {
                let Some(resolved) = others.pop() else {
                    return Ok((AllOfResult::Objects(objects), last_title, nullable));
                };
                let lowered = self.lower_resolved(resolved, ctx)?;
                Ok((AllOfResult::Single(lowered), last_title, nullable))
            }
            _ => Err(self
                .error(
                    ctx,
                    &pointer_join(&ctx.pointer, "allOf"),
                    "`allOf` combines an object with a non-object schema (or several non-object schemas)",
                )
                .expected("`allOf` parts that are all objects, or a single schema")),
        }
    }

    pub(in crate::lower) fn lower_object(
        &mut self,
        parts: &[(ObjectPart<'d>, String)],
        title: Option<&str>,
        description: Option<&str>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<TypeRef, Diagnostic> {
        // Merge parts: later parts win on a repeated property, `required` is the union.
        let mut properties: BTreeMap<&'d str, (&'d ReferenceOr<Box<Schema>>, String)> = BTreeMap::new();
        let mut required: BTreeSet<&str> = BTreeSet::new();
        let mut additional: Option<&'d AdditionalProperties> = None;
        for (part, part_pointer) in parts {
            let props: &'d Properties = part.properties;
            for (name, schema) in props {
                properties.insert(
                    name.as_str(),
                    (schema, pointer_join(&pointer_join(part_pointer, "properties"), name)),
                );
            }
            required.extend(part.required.iter().map(String::as_str));
            if additional.is_none() {
                additional = part.additional;
            }
        }
        let type_name = preferred_name(title, &ctx.name);

        if let Some((name, (schema, pointer))) = placeholder_key(&properties, additional) {
            // The documents write a map keyed by id as an object with one property named for
            // the key (`user: {USER_ID: {...}}`); the answers key it by the ids themselves
            // (`user: {"1234": {...}}`), so as a struct every entry would be lost to the
            // unknown fields. It is the map it describes.
            let value_ctx = SchemaCtx {
                field: Some(name.to_owned()),
                ..ctx.child(pointer.clone(), format!("{type_name}{}", pascal_words(name)))
            };
            let lowered = self.lower(schema, &value_ctx)?;
            return Ok(TypeRef::Map(Box::new(wrap_nullable(lowered.ty, lowered.nullable))));
        }

        if properties.is_empty() {
            // An object with no listed properties is a map.
            let value = match additional {
                Some(AdditionalProperties::Schema(schema)) => {
                    let value_ctx = ctx.child(
                        pointer_join(&ctx.pointer, "additionalProperties"),
                        format!("{type_name}Value"),
                    );
                    let lowered = self.lower(schema, &value_ctx)?;
                    wrap_nullable(lowered.ty, lowered.nullable)
                }
                _ => TypeRef::Any,
            };
            return Ok(TypeRef::Map(Box::new(value)));
        }

        let mut fields = Vec::with_capacity(properties.len());
        let mut field_docs = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for (name, (schema, pointer)) in &properties {
            let field_ctx = SchemaCtx {
                field: Some((*name).to_owned()),
                file: ctx.multipart_body,
                ..ctx.child(pointer.clone(), format!("{type_name}{}", pascal_words(name)))
            };
            let lowered = self.lower(schema, &field_ctx)?;
            if let Some(doc) = lowered.description.clone() {
                field_docs.insert((*name).to_owned(), doc);
            }
            fields.push(FieldKey {
                name: (*name).to_owned(),
                rust_name: unique(snake_ident(name, "field"), &mut taken),
                ty: lowered.ty,
                required: required.contains(name),
                nullable: lowered.nullable,
                deprecated: lowered.deprecated,
                default: lowered.default.as_ref().map(literal_key),
            });
        }
        let additional = match (ctx.direction, additional) {
            (_, Some(AdditionalProperties::Schema(schema))) => {
                let value_ctx = ctx.child(
                    pointer_join(&ctx.pointer, "additionalProperties"),
                    format!("{type_name}Value"),
                );
                let lowered = self.lower(schema, &value_ctx)?;
                Additional::Typed(wrap_nullable(lowered.ty, lowered.nullable))
            }
            (Direction::Response, Some(AdditionalProperties::Any(false))) => Additional::None,
            (Direction::Response, _) => Additional::Json,
            (Direction::Request, Some(AdditionalProperties::Any(true))) => Additional::Json,
            (Direction::Request, _) => Additional::None,
        };
        let key = ShapeKey {
            direction: ctx.direction,
            body: ShapeBody::Struct { fields, additional },
        };
        Ok(self.intern(key, title, description, field_docs, ctx))
    }
}

impl TypeCollector<'_> {
    /// A struct with one optional field, `pagination`, of type `inner`: v1's offset pagination
    /// state as the live API sends it (`additional_data.pagination`), for the lists whose
    /// documents write it flat under `additional_data` (`SOURCES.md` in the shared material;
    /// the document's own example nests it too).
    pub(in crate::lower) fn nested_pagination(&mut self, inner: TypeRef, ctx: &SchemaCtx<'_>) -> TypeRef {
        let field = FieldKey {
            name: "pagination".to_owned(),
            rust_name: "pagination".to_owned(),
            ty: inner,
            required: false,
            nullable: false,
            deprecated: false,
            default: None,
        };
        let key = ShapeKey {
            direction: ctx.direction,
            body: ShapeBody::Struct {
                fields: vec![field],
                additional: Additional::Json,
            },
        };
        let docs = BTreeMap::from([(
            "pagination".to_owned(),
            "Where the page is, and whether more follow.".to_owned(),
        )]);
        self.intern(key, None, None, docs, ctx)
    }
}

/// The one property of an object that stands for its keys, as v1 writes maps keyed by id
/// (`USER_ID`, `PERSON_ID`, `CURRENCY_ID`): upper snake case ending in `_ID`, alone, with no
/// `additionalProperties` schema beside it.
fn placeholder_key<'p, V>(
    properties: &'p BTreeMap<&'p str, V>,
    additional: Option<&AdditionalProperties>,
) -> Option<(&'p str, &'p V)> {
    if matches!(additional, Some(AdditionalProperties::Schema(_))) {
        return None;
    }
    let mut entries = properties.iter();
    let (name, value) = entries.next()?;
    let placeholder = name.len() > "_ID".len()
        && name.ends_with("_ID")
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_uppercase());
    (entries.next().is_none() && placeholder).then_some((*name, value))
}

/// An `allOf` flattened ([`TypeCollector::flatten_all_of`]).
pub(in crate::lower) struct FlatAllOf<'d> {
    pub(in crate::lower) objects: Vec<(ObjectPart<'d>, String)>,
    pub(in crate::lower) others: Vec<Resolved<'d>>,
    pub(in crate::lower) last_title: Option<String>,
    pub(in crate::lower) nullable: bool,
}

pub(in crate::lower) enum AllOfResult<'d> {
    Objects(Vec<(ObjectPart<'d>, String)>),
    Single(Lowered),
}
