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

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::quirks;
use super::view::{ObjectPart, Properties, View, json_kind, view};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_ident, pascal_words, snake_ident, unique};
use crate::ir::{Additional, Direction, EnumRepr, Literal, Scalar, TypeRef};
use crate::load::LoadedDocument;
use crate::markdown::html_to_markdown;

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

/// The structure of a type, without names or docs: equal keys are the same type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShapeKey {
    pub direction: Direction,
    pub body: ShapeBody,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShapeBody {
    Struct {
        fields: Vec<FieldKey>,
        additional: Additional,
    },
    Enum {
        repr: EnumRepr,
        values: Vec<String>,
        default: Option<String>,
    },
    Union {
        /// Name, type, and the discriminator value that names the variant.
        variants: Vec<(String, TypeRef, Option<String>)>,
        discriminator: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldKey {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
    pub default: Option<String>,
}

/// One interned shape with everything naming and emitting need.
#[derive(Debug, Clone)]
pub struct Shape {
    pub key: ShapeKey,
    /// Every description its copies give. Copies merged into one type may describe it each in
    /// their own way ("Updated stage object" where an update returns it); only a description all
    /// of them agree on describes the type.
    pub descriptions: BTreeSet<String>,
    /// Field descriptions by wire name, from the first copy that has one.
    pub field_docs: BTreeMap<String, String>,
    pub hints: Vec<NameHint>,
    /// `file#pointer` of every copy.
    pub sources: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHint {
    pub title: Option<String>,
    pub context: String,
    pub field: Option<String>,
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

/// How many `$ref`s deep lowering follows. Real documents nest a handful (Pipedrive's, under 10);
/// inline nesting needs no cap of its own, as the YAML parser stops at 128 levels. Measured: a
/// chain of 5,000 overflowed a test thread's 2 MiB stack.
const MAX_REF_DEPTH: usize = 64;

/// A schema after following `$ref`: the schema, its component name if any, and where it lives.
pub(super) struct Resolved<'d> {
    pub(super) schema: &'d Schema,
    pub(super) ref_name: Option<&'d str>,
    pub(super) pointer: String,
    reference: Option<String>,
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

    pub fn is_struct(&self, name: &str) -> bool {
        self.shape_of(name)
            .is_some_and(|s| matches!(s.key.body, ShapeBody::Struct { .. }))
    }

    fn error(&self, ctx: &SchemaCtx<'_>, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.doc.file, pointer, message).operation(ctx.op_id)
    }

    /// Follows a `$ref`, or takes the schema as it is. Generic over `Schema` and `Box<Schema>`,
    /// which `openapiv3` uses in different places.
    pub(super) fn resolve<S: Borrow<Schema>>(
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

    fn resolve_ref(&self, reference: &'d str, pointer: &str, ctx: &SchemaCtx<'_>) -> Result<Resolved<'d>, Diagnostic> {
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

    fn lower_schema(&mut self, resolved: &Resolved<'d>, ctx: &SchemaCtx<'_>) -> Result<Lowered, Diagnostic> {
        let schema = resolved.schema;
        let data = &schema.schema_data;
        let title = data.title.clone().or_else(|| resolved.ref_name.map(str::to_owned));
        let ctx = &SchemaCtx {
            pointer: resolved.pointer.clone(),
            ..ctx.clone()
        };
        let mut nullable = data.nullable;
        let mut maximum = None;
        let ty = match view(schema) {
            View::Object(part) => self.lower_object(
                &[(part, ctx.pointer.clone())],
                title.as_deref(),
                data.description.as_deref(),
                ctx,
            )?,
            View::AllOf { parts, own } => {
                let (merged, part_title, part_nullable) = self.collect_all_of(parts, own, ctx)?;
                nullable |= part_nullable;
                match merged {
                    AllOfResult::Objects(objects) => {
                        let name = title.clone().or(part_title);
                        self.lower_object(&objects, name.as_deref(), data.description.as_deref(), ctx)?
                    }
                    AllOfResult::Single(lowered) => {
                        nullable |= lowered.nullable;
                        lowered.ty
                    }
                }
            }
            View::Array { items } => match items {
                Some(items) => {
                    let item_ctx = ctx.child(
                        pointer_join(&ctx.pointer, "items"),
                        format!("{}Item", preferred_name(title.as_deref(), &ctx.name)),
                    );
                    let item = self.lower(items, &item_ctx)?;
                    TypeRef::Array(Box::new(wrap_nullable(item.ty, item.nullable)))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            View::String { format, values } => {
                if values.iter().any(|v| !v.is_null()) {
                    nullable |= values.iter().any(Value::is_null);
                    self.lower_enum(
                        EnumRepr::String,
                        &values,
                        data.default.as_ref(),
                        title.as_deref(),
                        data.description.as_deref(),
                        ctx,
                    )?
                } else {
                    match text_scalar(format.as_deref(), data.description.as_deref()) {
                        Scalar::Binary if !ctx.file => TypeRef::Scalar(Scalar::String),
                        scalar => TypeRef::Scalar(scalar),
                    }
                }
            }
            View::Integer {
                format,
                values,
                maximum: max,
            } => {
                maximum = max;
                if values.iter().any(|v| !v.is_null()) {
                    nullable |= values.iter().any(Value::is_null);
                    self.lower_enum(
                        EnumRepr::Integer,
                        &values,
                        data.default.as_ref(),
                        title.as_deref(),
                        data.description.as_deref(),
                        ctx,
                    )?
                } else if format.as_deref() == Some("int32") {
                    TypeRef::Scalar(Scalar::I32)
                } else {
                    TypeRef::Scalar(Scalar::I64)
                }
            }
            View::Number { values } => {
                let present: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
                nullable |= values.iter().any(Value::is_null);
                if present.is_empty() {
                    TypeRef::Scalar(Scalar::F64)
                } else if is_zero_one(&present) {
                    TypeRef::Scalar(Scalar::BoolAsNumber)
                } else if present
                    .iter()
                    .all(|v| v.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15))
                {
                    // `type: number, enum: [1, 3, 5, 7]` holds integers: an integer enum.
                    let integers: Vec<Value> = values
                        .iter()
                        .map(|v| v.as_f64().map_or(Value::Null, |f| Value::from(f as i64)))
                        .collect();
                    // A whole default becomes the integer it names; any other (`1.5`, a string)
                    // goes on as it is, so the check that a default is one of the values
                    // reports it instead of truncating it to a value that is.
                    let default = data.default.as_ref().map(|d| match d.as_f64() {
                        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
                        _ => d.clone(),
                    });
                    self.lower_enum(
                        EnumRepr::Integer,
                        &integers,
                        default.as_ref(),
                        title.as_deref(),
                        data.description.as_deref(),
                        ctx,
                    )?
                } else {
                    // A Rust enum cannot carry fractional values (nor integers too large for an
                    // `f64` to hold exactly); the value is a plain number.
                    let listed: Vec<String> = present.iter().map(|v| v.to_string()).collect();
                    self.warnings.push(
                        self.error(
                            ctx,
                            &pointer_join(&ctx.pointer, "enum"),
                            format!(
                                "a `number` enum with values that are not all integers ({}) is typed as `f64`; any number is accepted",
                                listed.join(", ")
                            ),
                        )
                        .expected("integer values, or `type: string` for named values")
                        .warning(),
                    );
                    TypeRef::Scalar(Scalar::F64)
                }
            }
            View::Boolean => TypeRef::Scalar(Scalar::Bool),
            View::OneOf(variants) | View::AnyOf(variants) => {
                let keyword = if matches!(view(schema), View::OneOf(_)) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let (ty, variant_nullable) =
                    self.lower_union(keyword, variants, title.as_deref(), data.description.as_deref(), ctx)?;
                nullable |= variant_nullable;
                ty
            }
            View::Not => {
                return Err(self
                    .error(ctx, &ctx.pointer, "`not` is not supported by the generator yet")
                    .expected("`type`, `properties`, `items`, `allOf`, `oneOf` or `anyOf`"));
            }
            View::MixedEnum(values) => {
                let kinds: BTreeSet<&str> = values.iter().filter(|v| !v.is_null()).map(json_kind).collect();
                return Err(self
                    .error(
                        ctx,
                        &pointer_join(&ctx.pointer, "enum"),
                        format!(
                            "the enum mixes value types ({})",
                            kinds.into_iter().collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .expected("enum values that are all strings, all integers or all numbers"));
            }
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

    /// The parts of an `allOf` at `pointer`, flattened through `$ref`s and nested `allOf`s:
    /// object parts depth-first (a nested `allOf`'s own properties before its parts), then the
    /// schema's own properties; the parts that are not
    /// objects; the last title met; whether any part is nullable. Parts without constraints add
    /// nothing. Nothing is lowered, so this can also just look (`envelope`).
    pub(super) fn flatten_all_of(
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
    fn collect_all_of(
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

    fn lower_object(
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

    fn lower_enum(
        &mut self,
        repr: EnumRepr,
        values: &[Value],
        default: Option<&Value>,
        title: Option<&str>,
        description: Option<&str>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<TypeRef, Diagnostic> {
        let mut keys = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let ok = match repr {
                EnumRepr::String => value.is_string(),
                EnumRepr::Integer => value.is_i64(),
                EnumRepr::Number => value.is_number(),
            };
            if value.is_null() {
                continue;
            }
            if !ok {
                return Err(self
                    .error(
                        ctx,
                        &pointer_join(&pointer_join(&ctx.pointer, "enum"), i),
                        format!("enum value `{value}` is a {}", json_kind(value)),
                    )
                    .expected(format!("{} values, matching the schema's type", repr_name(repr))));
            }
            let key = value.to_string();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let mut default = default.filter(|d| !d.is_null()).map(Value::to_string);
        // OpenAPI 3.0 only asks a default to match the type, and a mismatch (`ASC` for `asc`) is
        // the kind of slip a document update brings: the enum is generated without a default.
        if let Some(d) = default.take_if(|d| !keys.contains(d)) {
            let warning = self
                .error(
                    ctx,
                    &pointer_join(&ctx.pointer, "default"),
                    format!("the default {d} is not one of the enum values; the enum gets no default"),
                )
                .expected(format!("one of {}", keys.join(", ")))
                .warning();
            self.warnings.push(warning);
        }
        let key = ShapeKey {
            direction: ctx.direction,
            body: ShapeBody::Enum {
                repr,
                values: keys,
                default,
            },
        };
        Ok(self.intern(key, title, description, BTreeMap::new(), ctx))
    }

    fn lower_union(
        &mut self,
        keyword: &str,
        variants: &'d [ReferenceOr<Schema>],
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
            let lowered = self.lower_resolved(resolved, &variant_ctx)?;
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

    /// An object schema's properties that allow exactly one string (`item: {type: string,
    /// enum: [deal]}`), in document order, with that string; through `allOf` parts too (one
    /// level, as a variant that extends a shared schema has them). Empty for anything else.
    fn constant_properties(&self, schema: &'d Schema, pointer: &str, ctx: &SchemaCtx<'_>) -> Vec<(String, String)> {
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

/// The first property (in the first variant's order) that every variant fixes to a string of
/// its own, and those strings in variant order; `None` if there is no such property.
fn discriminator(constants: &[Vec<(String, String)>]) -> Option<(String, Vec<String>)> {
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

/// An `allOf` flattened ([`TypeCollector::flatten_all_of`]).
pub(super) struct FlatAllOf<'d> {
    pub(super) objects: Vec<(ObjectPart<'d>, String)>,
    pub(super) others: Vec<Resolved<'d>>,
    pub(super) last_title: Option<String>,
    pub(super) nullable: bool,
}

enum AllOfResult<'d> {
    Objects(Vec<(ObjectPart<'d>, String)>),
    Single(Lowered),
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

/// The scalar of a text schema: by its `format`, or, without one, by the format its description
/// states in words (v1 gives its dates and times no `format`; see `quirks`).
pub(super) fn text_scalar(format: Option<&str>, description: Option<&str>) -> Scalar {
    string_scalar(format.or_else(|| description.and_then(quirks::format_from_description)))
}

fn string_scalar(format: Option<&str>) -> Scalar {
    match format {
        Some("date") => Scalar::Date,
        Some("date-time") => Scalar::DateTime,
        Some("uuid") => Scalar::Uuid,
        Some("binary") => Scalar::Binary,
        // `byte` (base64), `url`, `email`, Pipedrive's `YYYY-MM-DD` and others stay text.
        _ => Scalar::String,
    }
}

fn is_zero_one(values: &[&Value]) -> bool {
    let set: BTreeSet<String> = values
        .iter()
        .map(|v| v.as_f64().map_or_else(String::new, |f| f.to_string()))
        .collect();
    set.len() == 2 && set.contains("0") && set.contains("1")
}

fn repr_name(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
        EnumRepr::Number => "number",
    }
}

fn variant_kind_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Scalar(Scalar::String | Scalar::Date | Scalar::DateTime | Scalar::Uuid) => "String".into(),
        TypeRef::Scalar(Scalar::I64 | Scalar::I32) => "Integer".into(),
        TypeRef::Scalar(Scalar::F64) => "Number".into(),
        TypeRef::Scalar(Scalar::Bool | Scalar::BoolAsNumber) => "Bool".into(),
        TypeRef::Scalar(Scalar::Binary) => "Binary".into(),
        TypeRef::Array(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Nullable(inner) => variant_kind_name(inner),
        TypeRef::Named(_) => "Object".into(),
        TypeRef::Any => "Value".into(),
    }
}

/// A document value as an IR literal (objects and arrays have no literal form).
pub fn literal(value: &Value) -> Option<Literal> {
    match value {
        Value::Bool(b) => Some(Literal::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(Literal::Integer)
            .or_else(|| n.as_f64().map(Literal::Number)),
        Value::String(s) => Some(Literal::String(s.clone())),
        _ => None,
    }
}

/// The canonical text of a literal, for shape keys.
pub fn literal_key(literal: &Literal) -> String {
    serde_json::to_string(literal).unwrap_or_default()
}

/// Parses a literal key back.
pub fn literal_from_key(key: &str) -> Option<Literal> {
    serde_json::from_str::<Value>(key).ok().as_ref().and_then(literal)
}
