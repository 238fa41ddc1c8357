//! Objects: `properties`, `required` and `additionalProperties` into a struct shape, and `allOf`
//! flattened into the one object its parts describe.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::{
    FieldKey, Lowered, Named, Resolved, SchemaCtx, ShapeBody, ShapeKey, TypeCollector, article, literal_key,
    preferred_name, wrap_nullable,
};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_words, snake_ident, unique};
use crate::ir::{Additional, Constraint, Direction, TypeRef};
use crate::lower::constraints;
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
            AllOfResult::WithUnion { objects, union } => {
                let (keyword, variants) = match view(union.schema) {
                    View::OneOf(variants) => ("oneOf", variants),
                    View::AnyOf(variants) => ("anyOf", variants),
                    _ => ("oneOf", &[][..]),
                };
                let name = named.title.map(str::to_owned).or(part_title);
                let union_ctx = SchemaCtx {
                    pointer: union.pointer.clone(),
                    ..ctx.clone()
                };
                let (ty, variant_nullable) = self.lower_union(
                    keyword,
                    variants,
                    &objects,
                    name.as_deref().or(union.ref_name),
                    named.description,
                    &union_ctx,
                )?;
                nullable |= variant_nullable;
                ty
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
        // Each part with the `allOf`s it is inside, so that one that includes itself through a
        // `$ref` is an error rather than a loop without end.
        let mut stack: Vec<(&'d ReferenceOr<Schema>, String, Vec<String>)> = parts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| {
                (
                    p,
                    pointer_join(&pointer_join(pointer, "allOf"), i),
                    vec![pointer.to_owned()],
                )
            })
            .collect();
        while let Some((part, part_pointer, inside)) = stack.pop() {
            let resolved = self.resolve(part, &part_pointer, ctx)?;
            if inside.contains(&resolved.pointer) {
                return Err(self
                    .error(
                        ctx,
                        &part_pointer,
                        format!("the `allOf` at {} includes itself", resolved.pointer),
                    )
                    .expected("`allOf` parts that do not contain the schema they are part of"));
            }
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
                    let mut inside = inside;
                    inside.push(resolved.pointer.clone());
                    for (i, p) in inner.iter().enumerate().rev() {
                        stack.push((
                            p,
                            pointer_join(&pointer_join(&resolved.pointer, "allOf"), i),
                            inside.clone(),
                        ));
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
        let with_union =
            matches!(others.as_slice(), [only] if matches!(view(only.schema), View::OneOf(_) | View::AnyOf(_)));
        match (objects.is_empty(), others.len()) {
            (_, 0) => Ok((AllOfResult::Objects(objects), last_title, nullable)),
            // An object and a union (`allOf: [Base, {oneOf: [Cat, Dog]}]`): a union of the object
            // with each variant, as what the value is is one of those.
            (false, 1) if with_union => match others.pop() {
                Some(union) => Ok((AllOfResult::WithUnion { objects, union }, last_title, nullable)),
                None => Ok((AllOfResult::Objects(objects), last_title, nullable)),
            },
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
                .expected(
                    "`allOf` parts that are all objects, or objects and one `oneOf`/`anyOf`, or a single schema",
                )),
        }
    }

    pub(in crate::lower) fn lower_object(
        &mut self,
        parts: &[(ObjectPart<'d>, String)],
        title: Option<&str>,
        description: Option<&str>,
        ctx: &SchemaCtx<'_>,
    ) -> Result<TypeRef, Diagnostic> {
        let (properties, required, additional) = self.merge_parts(parts, ctx);
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
        let mut field_constraints = BTreeMap::new();
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
            let rules = self.field_rules(name, &lowered, pointer, ctx);
            fields.push(FieldKey {
                name: (*name).to_owned(),
                rust_name: unique(snake_ident(name, "field"), &mut taken),
                ty: lowered.ty,
                required: required.contains(name),
                nullable: lowered.nullable,
                deprecated: lowered.deprecated,
                default: lowered.default.as_ref().map(literal_key),
            });
            if !rules.is_empty() {
                field_constraints.insert((*name).to_owned(), rules);
            }
        }
        let additional = self.additional_policy(additional, &type_name, ctx)?;
        let key = ShapeKey {
            direction: ctx.direction,
            body: ShapeBody::Struct { fields, additional },
        };
        let ty = self.intern(key, title, description, field_docs, ctx);
        self.add_field_rules(&ty, field_constraints);
        Ok(ty)
    }

    /// The parts of an object merged: later parts win on a repeated property (with a warning when
    /// they retype it), `required` is the union, the first `additionalProperties` counts.
    #[allow(clippy::type_complexity)]
    fn merge_parts(
        &mut self,
        parts: &[(ObjectPart<'d>, String)],
        ctx: &SchemaCtx<'_>,
    ) -> (
        BTreeMap<&'d str, (&'d ReferenceOr<Box<Schema>>, String)>,
        BTreeSet<&'d str>,
        Option<&'d AdditionalProperties>,
    ) {
        let mut properties: BTreeMap<&'d str, (&'d ReferenceOr<Box<Schema>>, String)> = BTreeMap::new();
        let mut required: BTreeSet<&'d str> = BTreeSet::new();
        let mut additional: Option<&'d AdditionalProperties> = None;
        for (part, part_pointer) in parts {
            let props: &'d Properties = part.properties;
            for (name, schema) in props {
                let at = pointer_join(&pointer_join(part_pointer, "properties"), name);
                if let Some((earlier, earlier_at)) = properties.get(name.as_str()) {
                    self.warn_if_retyped(name, (earlier, earlier_at), (schema, &at), ctx);
                }
                properties.insert(name.as_str(), (schema, at));
            }
            required.extend(part.required.iter().map(String::as_str));
            if additional.is_none() {
                additional = part.additional;
            }
        }
        (properties, required, additional)
    }

    /// What a struct does with properties it does not list: a typed map for an
    /// `additionalProperties` schema; responses keep them as JSON unless told `false` (nothing
    /// Pipedrive sends is dropped), requests only when told `true`.
    fn additional_policy(
        &mut self,
        additional: Option<&'d AdditionalProperties>,
        type_name: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Result<Additional, Diagnostic> {
        Ok(match (ctx.direction, additional) {
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
        })
    }

    /// The rules worth checking on field `name` of a request struct (see `lower::constraints`).
    fn field_rules(&mut self, name: &str, lowered: &Lowered, pointer: &str, ctx: &SchemaCtx<'_>) -> Vec<Constraint> {
        let site = constraints::Site {
            file: &self.doc.file,
            pointer,
            op_id: ctx.op_id,
            what: format!("field `{name}`"),
        };
        let place = constraints::Place::Value;
        constraints::worth_checking(
            &lowered.constraints,
            &lowered.ty,
            place,
            false,
            &site,
            &mut self.warnings,
        )
    }

    /// Adds one copy's field rules to the shape `ty` stands for: a type carries every rule any
    /// of its copies states ([`super::Shape::field_constraints`]).
    fn add_field_rules(&mut self, ty: &TypeRef, rules: BTreeMap<String, Vec<Constraint>>) {
        let Some(shape) = (match ty {
            TypeRef::Named(placeholder) => self.shape_mut(placeholder),
            _ => None,
        }) else {
            return;
        };
        for (field, rules) in rules {
            shape.field_constraints.entry(field).or_default().extend(rules);
        }
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

impl<'d> TypeCollector<'d> {
    /// Warns when two `allOf` parts give property `name` different types (v1's `field_type`:
    /// one part's enum of field types, another's longer one): the later part's is used, as for
    /// any repeated property, and the warning says so.
    fn warn_if_retyped(
        &mut self,
        name: &str,
        (earlier, earlier_at): (&'d ReferenceOr<Box<Schema>>, &str),
        (later, later_at): (&'d ReferenceOr<Box<Schema>>, &str),
        ctx: &SchemaCtx<'_>,
    ) {
        let (Some(first), Some(second)) = (
            self.type_summary(earlier, earlier_at, ctx),
            self.type_summary(later, later_at, ctx),
        ) else {
            return;
        };
        // Copies of one schema meet the same conflict in every copy (v1 has 17 of `field_type`):
        // one warning a document tells as much.
        if first.key == second.key || !self.retyped.insert((name.to_owned(), first.key, second.key.clone())) {
            return;
        }
        let warning = self
            .error(
                ctx,
                later_at,
                format!(
                    "`allOf` parts give property `{name}` two types: {} at {earlier_at}, then {}; the later one is used (here and wherever these two parts meet again)",
                    first.shown, second.shown
                ),
            )
            .expected("one type for a property in every part of an `allOf`")
            .warning();
        self.warnings.push(warning);
    }

    /// What a property's schema says its type is, in words, for [`Self::warn_if_retyped`]: the
    /// JSON type, an enum's values, an array's items (one level). `None` where the schema does
    /// not say (no constraints, or a `$ref` that does not resolve: reported where it is lowered).
    fn type_summary<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &'d ReferenceOr<S>,
        pointer: &str,
        ctx: &SchemaCtx<'_>,
    ) -> Option<TypeSummary> {
        let mut resolved = self.resolve(schema, pointer, ctx).ok()?;
        // Through wrappers (`allOf: [{type: string, enum: [...]}]`, as v1 writes them).
        for _ in 0..8 {
            let View::AllOf {
                parts: [only],
                own: None,
            } = view(resolved.schema)
            else {
                break;
            };
            resolved = self.resolve(only, &resolved.pointer, ctx).ok()?;
        }
        let enumerated = |kind: &str, values: &[serde_json::Value]| {
            let present: Vec<String> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(ToString::to_string)
                .collect();
            if present.is_empty() {
                return TypeSummary::new(kind.to_owned(), format!("{} {kind}", article(kind)));
            }
            let shown: Vec<&str> = present.iter().take(3).map(String::as_str).collect();
            let more = if present.len() > 3 { ", …" } else { "" };
            TypeSummary::new(
                format!("{kind} enum {}", present.join(",")),
                format!("a {kind} enum of {} values ({}{more})", present.len(), shown.join(", ")),
            )
        };
        let summary = match view(resolved.schema) {
            View::String { values, .. } => enumerated("string", &values),
            View::Integer { values, .. } => enumerated("integer", &values),
            View::Number { values } => enumerated("number", &values),
            View::Boolean => TypeSummary::plain("a boolean"),
            View::Object(_) | View::AllOf { .. } => TypeSummary::plain("an object"),
            View::OneOf(_) | View::AnyOf(_) => TypeSummary::plain("a union"),
            View::Array { items } => {
                let item = items.and_then(|i| self.type_summary(i, &pointer_join(&resolved.pointer, "items"), ctx));
                let item = item.map_or_else(|| "anything".to_owned(), |i| i.shown);
                TypeSummary::plain(&format!("an array of {item}"))
            }
            View::Any | View::Not | View::MixedEnum(_) | View::UnknownType(_) => return None,
        };
        Some(summary)
    }
}

/// A type in words: `key` compares (an enum's every value), `shown` is what a message says.
#[derive(Debug, PartialEq, Eq)]
struct TypeSummary {
    key: String,
    shown: String,
}

impl TypeSummary {
    fn new(key: String, shown: String) -> Self {
        TypeSummary { key, shown }
    }

    fn plain(shown: &str) -> Self {
        TypeSummary::new(shown.to_owned(), shown.to_owned())
    }
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
    /// Object parts and one `oneOf`/`anyOf`, not lowered yet.
    WithUnion {
        objects: Vec<(ObjectPart<'d>, String)>,
        union: Resolved<'d>,
    },
}
