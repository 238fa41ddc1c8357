//! Lowering schemas into type references, interning every object, enum and union by structure.
//!
//! Pipedrive writes every schema inline (there is no `$ref` in its documents), so the same stage
//! object appears in a dozen places. Each object/enum/union is reduced to a [`ShapeKey`]: its
//! structure without descriptions, in a canonical order (properties sorted by name). Identical
//! keys are one shape and later one named type. Names are chosen afterwards (`super::naming`) from
//! the titles and contexts collected here, so a shape's name never depends on which of its copies
//! was seen first in the file, only on the canonical visiting order.
//!
//! The typing rules live here: `integer` → `i64` (`int32` → `i32`), `number` → `f64`, v1's
//! `type: number, enum: [0, 1]` → `bool` sent as 0/1, a `number` enum of whole numbers → an
//! integer enum and one with fractions → `f64` (with a warning), `nullable` → `Option`, formats
//! (`format: binary` is a file only as a property of a multipart body, text anywhere else),
//! `allOf` merged, `oneOf`/`anyOf` as unions, `additionalProperties` honoured.

mod enums;
mod objects;
mod refs;
mod scalars;
mod shapes;
mod unions;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::view::{View, view};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::pascal_words;
use crate::ir::{Direction, Literal, Scalar, TypeRef};
use crate::load::LoadedDocument;
use crate::markdown::html_to_markdown;
use refs::MAX_REF_DEPTH;
pub(super) use refs::Resolved;
pub(super) use scalars::text_scalar;
pub use shapes::{FieldKey, NameHint, Shape, ShapeBody, ShapeKey, literal, literal_from_key, literal_key};

/// Marks a [`TypeRef::Named`] that still holds a shape index rather than a final name.
pub const SHAPE_MARK: char = '\u{1}';

/// Where a schema is being lowered, and what it would be called if it becomes a type.
#[derive(Debug, Clone)]
pub struct SchemaCtx<'c> {
    pub pointer: String,
    /// Name from context (`GetStagesSortBy`, `StageItemLocation`), used when there is no title.
    pub name: String,
    pub direction: Direction,
    pub op_id: Option<&'c str>,
    /// The property or parameter whose schema this is (`sort_direction`), if any: a shape used
    /// by several operations under the same field name is named after the field.
    pub field: Option<String>,
    /// Whether this schema is a `multipart/form-data` body, whose properties are sent as parts.
    pub multipart_body: bool,
    /// Whether a `format: binary` string here is a file: only a property of a multipart body is.
    /// Anywhere else (JSON, form bodies, parameters) it is what the text can carry, a `String`.
    pub file: bool,
}

impl<'c> SchemaCtx<'c> {
    /// A context for a schema that is not inside another: no field, no multipart body.
    pub fn new(pointer: String, name: String, direction: Direction, op_id: Option<&'c str>) -> Self {
        SchemaCtx {
            pointer,
            name,
            direction,
            op_id,
            field: None,
            multipart_body: false,
            file: false,
        }
    }

    fn child(&self, pointer: String, name: String) -> Self {
        SchemaCtx::new(pointer, name, self.direction, self.op_id)
    }
}

/// What a schema lowered to, plus what the enclosing field or parameter needs from it.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub description: Option<String>,
    pub default: Option<Literal>,
    pub deprecated: bool,
    /// Largest value allowed, when the schema states one.
    pub maximum: Option<i64>,
}

/// What a schema says about the type it may become: its title (or component name), its
/// description and its `default`.
pub(in crate::lower) struct Named<'s> {
    pub(in crate::lower) title: Option<&'s str>,
    pub(in crate::lower) description: Option<&'s str>,
    pub(in crate::lower) default: Option<&'s Value>,
}

/// Lowers the schemas of one document and interns their shapes.
#[derive(Debug)]
pub struct TypeCollector<'d> {
    doc: &'d LoadedDocument,
    pub shapes: Vec<Shape>,
    index: BTreeMap<ShapeKey, usize>,
    ref_stack: Vec<String>,
    /// Warnings met while lowering, in visiting order; the caller takes them.
    pub warnings: Vec<Diagnostic>,
}

impl<'d> TypeCollector<'d> {
    pub fn new(doc: &'d LoadedDocument) -> Self {
        TypeCollector {
            doc,
            shapes: Vec::new(),
            index: BTreeMap::new(),
            ref_stack: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The shape a placeholder name stands for.
    pub fn shape_of(&self, name: &str) -> Option<&Shape> {
        let index = name.strip_prefix(SHAPE_MARK)?.parse::<usize>().ok()?;
        self.shapes.get(index)
    }

    pub fn is_enum(&self, name: &str) -> bool {
        self.shape_of(name)
            .is_some_and(|s| matches!(s.key.body, ShapeBody::Enum { .. }))
    }

    /// The shape a placeholder name stands for, to change.
    pub fn shape_mut(&mut self, name: &str) -> Option<&mut Shape> {
        let index = name.strip_prefix(SHAPE_MARK)?.parse::<usize>().ok()?;
        self.shapes.get_mut(index)
    }

    pub fn is_struct(&self, name: &str) -> bool {
        self.shape_of(name)
            .is_some_and(|s| matches!(s.key.body, ShapeBody::Struct { .. }))
    }

    fn error(&self, ctx: &SchemaCtx<'_>, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.doc.file, pointer, message).operation(ctx.op_id)
    }

    /// Lowers a schema reached through a property, item or parameter.
    pub fn lower<S: Borrow<Schema>>(
        &mut self,
        r: &'d ReferenceOr<S>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Lowered, Diagnostic> {
        let resolved = self.resolve(r, &ctx.pointer, ctx)?;
        self.lower_resolved(resolved, ctx)
    }

    fn lower_resolved(&mut self, resolved: Resolved<'d>, ctx: &SchemaCtx<'_>) -> Result<Lowered, Diagnostic> {
        // Lowering recurses once per schema inside a schema, and a document decides how deep
        // `$ref`s go: past the cap it is an error, not a stack overflow that aborts the process.
        if self.ref_stack.len() >= MAX_REF_DEPTH {
            let last = self.ref_stack.last().map_or("", String::as_str);
            return Err(self
                .error(
                    ctx,
                    &ctx.pointer,
                    format!(
                        "schemas nest more than {MAX_REF_DEPTH} deep through `$ref`s (the last one followed: {last})"
                    ),
                )
                .expected(format!("at most {MAX_REF_DEPTH} schemas inside one another")));
        }
        if let Some(reference) = &resolved.reference {
            if self.ref_stack.contains(reference) {
                return Err(self
                    .error(ctx, &ctx.pointer, format!("`$ref: {reference}` refers to itself"))
                    .expected("schemas without recursion"));
            }
            self.ref_stack.push(reference.clone());
        }
        let result = self.lower_schema(&resolved, ctx);
        if resolved.reference.is_some() {
            self.ref_stack.pop();
        }
        result
    }

    /// An array: `Vec` of its items (nullable items as `Option`), or of any JSON value when it
    /// does not say.
    fn lower_array(
        &mut self,
        items: Option<&'d ReferenceOr<Box<Schema>>>,
        named: &Named<'_>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<TypeRef, Diagnostic> {
        let Some(items) = items else {
            return Ok(TypeRef::Array(Box::new(TypeRef::Any)));
        };
        let item_ctx = ctx.child(
            pointer_join(&ctx.pointer, "items"),
            format!("{}Item", preferred_name(named.title, &ctx.name)),
        );
        let item = self.lower(items, &item_ctx)?;
        Ok(TypeRef::Array(Box::new(wrap_nullable(item.ty, item.nullable))))
    }

    /// Lowers one schema, `$ref` already followed: each kind of schema its own named part.
    fn lower_schema(&mut self, resolved: &Resolved<'d>, ctx: &SchemaCtx<'_>) -> Result<Lowered, Diagnostic> {
        let schema = resolved.schema;
        let data = &schema.schema_data;
        let title = data.title.clone().or_else(|| resolved.ref_name.map(str::to_owned));
        let ctx = &SchemaCtx {
            pointer: resolved.pointer.clone(),
            ..ctx.clone()
        };
        let named = Named {
            title: title.as_deref(),
            description: data.description.as_deref(),
            default: data.default.as_ref(),
        };
        let mut nullable = data.nullable;
        let mut maximum = None;
        let ty = match view(schema) {
            View::Object(part) => {
                self.lower_object(&[(part, ctx.pointer.clone())], named.title, named.description, ctx)?
            }
            View::AllOf { parts, own } => {
                let (ty, part_nullable) = self.lower_all_of(parts, own, &named, ctx)?;
                nullable |= part_nullable;
                ty
            }
            View::Array { items } => self.lower_array(items, &named, ctx)?,
            View::String { format, values } => {
                let (ty, null_value) = self.lower_text(format.as_deref(), &values, &named, ctx)?;
                nullable |= null_value;
                ty
            }
            View::Integer {
                format,
                values,
                maximum: max,
            } => {
                maximum = max;
                let (ty, null_value) = self.lower_integer(format.as_deref(), &values, &named, ctx)?;
                nullable |= null_value;
                ty
            }
            View::Number { values } => {
                nullable |= values.iter().any(Value::is_null);
                self.lower_number(&values, &named, ctx)?
            }
            View::Boolean => TypeRef::Scalar(Scalar::Bool),
            View::OneOf(variants) | View::AnyOf(variants) => {
                let keyword = if matches!(view(schema), View::OneOf(_)) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let (ty, variant_nullable) =
                    self.lower_union(keyword, variants, named.title, named.description, ctx)?;
                nullable |= variant_nullable;
                ty
            }
            View::Not => {
                return Err(self
                    .error(ctx, &ctx.pointer, "`not` is not supported by the generator yet")
                    .expected("`type`, `properties`, `items`, `allOf`, `oneOf` or `anyOf`"));
            }
            View::MixedEnum(values) => return Err(self.mixed_enum(&values, ctx)),
            View::UnknownType(t) => {
                return Err(self
                    .error(ctx, &pointer_join(&ctx.pointer, "type"), format!("unknown type `{t}`"))
                    .expected("`string`, `integer`, `number`, `boolean`, `array` or `object`"));
            }
            View::Any => TypeRef::Any,
        };
        Ok(Lowered {
            ty,
            nullable,
            description: data.description.as_deref().and_then(html_to_markdown),
            default: data.default.as_ref().and_then(literal),
            deprecated: data.deprecated,
            maximum,
        })
    }

    fn intern(
        &mut self,
        key: ShapeKey,
        title: Option<&str>,
        description: Option<&str>,
        field_docs: BTreeMap<String, String>,
        ctx: &SchemaCtx<'_>,
    ) -> TypeRef {
        let hint = NameHint {
            title: title.map(str::to_owned),
            context: ctx.name.clone(),
            field: ctx.field.clone(),
        };
        let source = format!("{}#{}", self.doc.file, ctx.pointer);
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.shapes.len();
                self.index.insert(key.clone(), id);
                self.shapes.push(Shape {
                    key,
                    descriptions: BTreeSet::new(),
                    field_docs: BTreeMap::new(),
                    hints: Vec::new(),
                    sources: BTreeSet::new(),
                    resources: BTreeSet::new(),
                });
                id
            }
        };
        if let Some(shape) = self.shapes.get_mut(id) {
            if let Some(text) = description.and_then(html_to_markdown) {
                shape.descriptions.insert(text);
            }
            for (name, doc) in field_docs {
                shape.field_docs.entry(name).or_insert(doc);
            }
            if !shape.hints.contains(&hint) {
                shape.hints.push(hint);
            }
            shape.sources.insert(source);
        }
        TypeRef::Named(format!("{SHAPE_MARK}{id}"))
    }
}

/// Title if there is one, else the context name, as PascalCase words.
pub fn preferred_name(title: Option<&str>, context: &str) -> String {
    match title.map(pascal_words) {
        Some(t) if !t.is_empty() => t,
        _ => context.to_owned(),
    }
}

fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && ty != TypeRef::Any {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}
