//! The generated crate's public surface, computed once from the IR: how each operation's builder
//! takes its inputs, and which traits each type implements.
//!
//! Lowering ends with [`attach`], which records both in the IR; emit writes the code they
//! describe and `changes` compares them between two generations. Before, each re-derived the rules
//! (which inputs are arguments, how setter names are made unique, which structs are `Default`),
//! and a drift between the two would have made the semver verdict lie. Recorded in the IR, a
//! change to a setter's name is also in the IR diff a reviewer reads first.

use std::collections::BTreeSet;

use crate::ident::{unique, unraw};
use crate::ir::{
    Api, BuilderSurface, Direction, EnumRepr, Field, Input, InputSource, Operation, ParamLocation, Scalar, Trait,
    TypeDef, TypeKind, TypeRef,
};

/// Builder method names that setters must not take, and `client`, the first argument of the
/// builder's `new` (a required input is an argument of `new` under its setter's name).
pub const BUILDER_METHODS: [&str; 10] = [
    "client",
    "new",
    "send",
    "send_with_meta",
    "to_request",
    "pages",
    "stream",
    "clone",
    "retry_policy",
    "timeout",
];

/// Records every operation's builder surface and every type's traits where the IR lacks them:
/// all of them after lowering, none in an IR that already has them.
pub fn attach(api: &mut Api) {
    let builders: Vec<Option<BuilderSurface>> = api
        .operations
        .iter()
        .map(|op| op.builder.is_none().then(|| builder(api, op)))
        .collect();
    for (op, surface) in api.operations.iter_mut().zip(builders) {
        if let Some(surface) = surface {
            op.builder = Some(surface);
        }
    }
    for def in &mut api.types {
        if def.traits.is_empty() {
            def.traits = traits(def);
        }
    }
}

/// The operation's recorded builder surface, or the one it would have.
pub fn builder_of<'a>(api: &Api, op: &'a Operation) -> std::borrow::Cow<'a, BuilderSurface> {
    match &op.builder {
        Some(surface) => std::borrow::Cow::Borrowed(surface),
        None => std::borrow::Cow::Owned(builder(api, op)),
    }
}

/// The type's recorded traits, or the ones it would have.
pub fn traits_of(def: &TypeDef) -> std::borrow::Cow<'_, [Trait]> {
    if def.traits.is_empty() {
        std::borrow::Cow::Owned(traits(def))
    } else {
        std::borrow::Cow::Borrowed(&def.traits)
    }
}

/// The struct an operation's body is, if it is one: its fields are the builder's inputs.
pub fn body_struct<'a>(api: &'a Api, op: &Operation) -> Option<(&'a TypeDef, &'a [Field])> {
    let TypeRef::Named(name) = &op.request_body.as_ref()?.ty else {
        return None;
    };
    let def = api.types.iter().find(|t| t.api == op.api && &t.name == name)?;
    match &def.kind {
        TypeKind::Struct { fields, .. } => Some((def, fields)),
        TypeKind::Enum { .. } | TypeKind::Union { .. } => None,
    }
}

/// How the builder of `op` takes its inputs. Every parameter, body field or whole body gets a
/// name unique in the builder (its Rust name, numbered on a clash with another input or a
/// builder method); a nullable body field also gets `clear_<name>`, which sends `null`. Required
/// inputs are arguments: path parameters in template order, then required query and header
/// parameters, then required body fields or a required whole body. The rest are setters, in
/// builder order: parameters as the document lists them, then body fields, then a whole body.
pub fn builder(api: &Api, op: &Operation) -> BuilderSurface {
    let mut taken: BTreeSet<String> = BUILDER_METHODS.iter().map(|s| (*s).to_owned()).collect();
    // (input, required, position of a path parameter in the template)
    let mut inputs: Vec<(Input, bool, Option<usize>)> = Vec::new();
    for p in &op.parameters {
        let input = Input {
            name: unique(p.rust_name.clone(), &mut taken),
            source: InputSource::Parameter {
                location: p.location,
                name: p.name.clone(),
            },
            clear: None,
        };
        let position =
            (p.location == ParamLocation::Path).then(|| op.path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX));
        inputs.push((input, p.required, position));
    }
    match (body_struct(api, op), &op.request_body) {
        (Some((_, fields)), _) => {
            for f in fields {
                let name = unique(f.rust_name.clone(), &mut taken);
                // `clear_2fa_enabled`, not `clear__2fa_enabled` (a leading `_` escapes a digit).
                let clear = f
                    .nullable
                    .then(|| unique(format!("clear_{}", unraw(&name).trim_start_matches('_')), &mut taken));
                let input = Input {
                    name,
                    source: InputSource::BodyField(f.name.clone()),
                    clear,
                };
                inputs.push((input, f.required, None));
            }
        }
        (None, Some(body)) => {
            let input = Input {
                name: unique("body".to_owned(), &mut taken),
                source: InputSource::Body,
                clear: None,
            };
            inputs.push((input, body.required, None));
        }
        (None, None) => {}
    }
    let mut path: Vec<(Input, usize)> = Vec::new();
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    for (input, required, position) in inputs {
        match position {
            Some(at) => path.push((input, at)),
            None if required => arguments.push(input),
            None => setters.push(input),
        }
    }
    path.sort_by_key(|(_, at)| *at);
    BuilderSurface {
        arguments: path.into_iter().map(|(input, _)| input).chain(arguments).collect(),
        setters,
    }
}

/// The traits a generated type implements, derived or written out, in derive order.
pub fn traits(def: &TypeDef) -> Vec<Trait> {
    use Trait::*;
    let mut traits = vec![Debug, Clone];
    match &def.kind {
        TypeKind::Struct { fields, .. } => {
            traits.push(PartialEq);
            if struct_derives_default(def.direction, fields) {
                traits.push(Default);
            }
            // A struct carrying a file is sent as multipart parts, never as JSON. Any other
            // goes both ways: a response can be stored and read back, a request built from JSON.
            if !fields.iter().any(|f| f.ty == TypeRef::Scalar(Scalar::Binary)) {
                traits.extend([Serialize, Deserialize]);
            }
        }
        TypeKind::Enum {
            repr, default, open, ..
        } => {
            // An open string enum keeps unknown values as `String`; an integer one as `i64`.
            if *repr != EnumRepr::String || !open {
                traits.push(Copy);
            }
            traits.extend([PartialEq, Eq, Hash, PartialOrd, Ord]);
            if default.is_some() {
                traits.push(Default);
            }
            traits.extend([Serialize, Deserialize, Display]);
            if *repr == EnumRepr::String {
                traits.push(FromStr);
            }
        }
        TypeKind::Union { .. } => traits.extend([PartialEq, Serialize, Deserialize]),
    }
    traits
}

/// Whether a struct has `Default`: where every field has one, i.e. requests with no required
/// field and responses whose required fields are plain values.
fn struct_derives_default(direction: Direction, fields: &[Field]) -> bool {
    match direction {
        Direction::Request => fields.iter().all(|f| !f.required),
        Direction::Response => fields
            .iter()
            .all(|f| !f.required || f.nullable || !matches!(f.ty, TypeRef::Named(_) | TypeRef::Scalar(Scalar::Binary))),
    }
}
