//! Lowering an operation's parameters: path-level ones merged with the operation's own, each
//! lowered to a typed input (with what its description adds: a format, a list of IDs, a maximum
//! in prose) and the rules checked before sending, checked against what the generated builder can send, and the path template checked
//! against them.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Parameter as OaParameter, QueryStyle, ReferenceOr};

use super::constraints::{self, Place};
use super::operation::OperationSite;
use super::quirks;
use super::types::{Lowered, SchemaCtx, TypeCollector, text_scalar};
use crate::error::{Diagnostic, pointer_join};
use crate::ident::{pascal_words, snake_ident, unique};
use crate::ir::{ArrayStyle, Constraint, Direction, ParamLocation, Parameter, Scalar, TypeRef};
use crate::markdown::html_to_markdown;

/// Builder fields that parameters must not take.
const BUILDER_FIELDS: [&str; 3] = ["client", "body", "call_options"];

fn resolve_parameter<'d>(
    site: &OperationSite<'d>,
    p: &'d ReferenceOr<OaParameter>,
    pointer: &str,
) -> Result<&'d OaParameter, Diagnostic> {
    site.component(p, pointer, "parameters", "a parameter", |c| &c.parameters)
}

/// The operation's parameters, each lowered, with Rust names unique in the builder.
pub(super) fn lower_parameters<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Parameter>, Diagnostic> {
    let mut taken: BTreeSet<String> = BUILDER_FIELDS.iter().map(|s| (*s).to_owned()).collect();
    let mut seen_wire: BTreeMap<(&str, &str), String> = BTreeMap::new();
    let mut out = Vec::new();
    for (param, pointer) in listed_parameters(site, warnings)? {
        let data = param.parameter_data_ref();
        if let Some(first) = seen_wire.get(&(location_name(param), data.name.as_str())) {
            warnings.push(listed_twice(site, &pointer, &data.name, first));
            continue;
        }
        seen_wire.insert((location_name(param), data.name.as_str()), pointer.clone());
        let mut lowered = lower_parameter(site, types, param, &pointer, builder_name, warnings)?;
        lowered.rust_name = unique(snake_ident(&data.name, "param"), &mut taken);
        out.push(lowered);
    }
    Ok(out)
}

/// A parameter listed a second time in the same place: a warning, as the first is what the
/// builder sends (a document's slip, not a reason to refuse the operation).
fn listed_twice(site: &OperationSite<'_>, pointer: &str, name: &str, first: &str) -> Diagnostic {
    site.error(
        pointer,
        format!("parameter `{name}` is listed twice (first at {first}); the first is used and this one left out"),
    )
    .expected("each parameter once per location")
    .warning()
}

/// The parameters that apply, with their pointers: the path item's first, replaced by the
/// operation's own with the same name and place (an operation's own listed twice: the first).
fn listed_parameters<'d>(
    site: &OperationSite<'d>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(&'d OaParameter, String)>, Diagnostic> {
    let mut listed: Vec<(&'d OaParameter, String)> = Vec::new();
    let item_pointer = pointer_join("/paths", site.path);
    for (i, p) in site.path_item.parameters.iter().enumerate() {
        let pointer = pointer_join(&pointer_join(&item_pointer, "parameters"), i);
        listed.push((resolve_parameter(site, p, &pointer)?, pointer));
    }
    let op_pointer = site.pointer();
    let mut own: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for (i, p) in site.op.parameters.iter().enumerate() {
        let pointer = pointer_join(&pointer_join(&op_pointer, "parameters"), i);
        let param = resolve_parameter(site, p, &pointer)?;
        let name = param.parameter_data_ref().name.as_str();
        if let Some(first) = own.get(&(location_name(param), name)) {
            warnings.push(listed_twice(site, &pointer, name, first));
            continue;
        }
        own.insert((location_name(param), name), pointer.clone());
        let key = (location_name(param), &param.parameter_data_ref().name);
        listed.retain(|(q, _)| (location_name(q), &q.parameter_data_ref().name) != key);
        listed.push((param, pointer));
    }
    Ok(listed)
}

/// One parameter, its Rust name still to be made unique by the caller.
fn lower_parameter<'d>(
    site: &OperationSite<'d>,
    types: &mut TypeCollector<'d>,
    param: &'d OaParameter,
    pointer: &str,
    builder_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Parameter, Diagnostic> {
    let data = param.parameter_data_ref();
    let (location, array_style) = parameter_location(site, param, pointer)?;
    let schema = match &data.format {
        openapiv3::ParameterSchemaOrContent::Schema(schema) => schema,
        openapiv3::ParameterSchemaOrContent::Content(_) => {
            return Err(site
                .error(
                    &pointer_join(pointer, "content"),
                    format!("parameter `{}` uses `content`, which is not supported yet", data.name),
                )
                .expected("a `schema`"));
        }
    };
    let ctx = SchemaCtx {
        field: Some(data.name.clone()),
        ..SchemaCtx::new(
            pointer_join(pointer, "schema"),
            format!("{builder_name}{}", pascal_words(&data.name)),
            Direction::Request,
            Some(&site.id),
        )
    };
    let mut lowered: Lowered = types.lower(schema, &ctx)?;
    let array_style = retype_from_description(&mut lowered, location, data.description.as_deref(), array_style);
    check_parameter_type(site, &ctx.pointer, &data.name, location, &lowered.ty, types)?;
    let constraints = parameter_constraints(site, &ctx.pointer, data, &lowered, warnings);
    let is_array = matches!(lowered.ty, TypeRef::Array(_));
    Ok(Parameter {
        name: data.name.clone(),
        rust_name: String::new(),
        location,
        required: data.required || location == ParamLocation::Path,
        ty: lowered.ty,
        default: lowered.default,
        constraints,
        deprecated: data.deprecated.unwrap_or(false) || lowered.deprecated,
        description: data.description.as_deref().and_then(html_to_markdown),
        array_style: if is_array { array_style } else { None },
    })
}

/// Where a parameter goes, and how a list is written there: `style: form` in a query (repeated
/// unless `explode: false`), comma-separated in a header. Other query styles and cookies are
/// refused.
fn parameter_location(
    site: &OperationSite<'_>,
    param: &OaParameter,
    pointer: &str,
) -> Result<(ParamLocation, Option<ArrayStyle>), Diagnostic> {
    let data = param.parameter_data_ref();
    match param {
        OaParameter::Path { .. } => Ok((ParamLocation::Path, None)),
        OaParameter::Query { style, .. } => {
            if !matches!(style, QueryStyle::Form) {
                return Err(site
                    .error(
                        &pointer_join(pointer, "style"),
                        format!("query parameter style `{style:?}` is not supported yet"),
                    )
                    .expected("`style: form` (the default)"));
            }
            let explode = data.explode.unwrap_or(true);
            Ok((ParamLocation::Query, Some(ArrayStyle { explode })))
        }
        OaParameter::Header { .. } => Ok((ParamLocation::Header, Some(ArrayStyle { explode: false }))),
        OaParameter::Cookie { .. } => Err(site
            .error(&pointer_join(pointer, "in"), "cookie parameters are not supported")
            .expected("`in: query`, `header` or `path`")),
    }
}

/// What a text parameter's description adds to its schema: a format, or that the text is a
/// comma-separated list of IDs. The documents write the latter both ways: v1's bulk deletes take
/// `ids` as a string, and v2's `deal_ids` as an array of integers with `explode: false`, which is
/// the same query (`ids=1,2,3`). The array is what a caller means, so it is lowered as one.
/// Returns the array style, changed for such a list.
fn retype_from_description(
    lowered: &mut Lowered,
    location: ParamLocation,
    description: Option<&str>,
    array_style: Option<ArrayStyle>,
) -> Option<ArrayStyle> {
    if lowered.ty != TypeRef::Scalar(Scalar::String) {
        return array_style;
    }
    if location == ParamLocation::Query && description.is_some_and(quirks::is_comma_separated_ids) {
        lowered.ty = TypeRef::Array(Box::new(TypeRef::Scalar(Scalar::I64)));
        return Some(ArrayStyle { explode: false });
    }
    lowered.ty = TypeRef::Scalar(text_scalar(None, description));
    array_style
}

/// The rules worth checking before sending a parameter: its schema's, and, where Pipedrive
/// states a maximum only in prose (`limit`: "a maximum value of 500 is allowed"), that one.
fn parameter_constraints(
    site: &OperationSite<'_>,
    pointer: &str,
    data: &openapiv3::ParameterData,
    lowered: &Lowered,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Constraint> {
    let mut found = lowered.constraints.clone();
    if !found.iter().any(|c| matches!(c, Constraint::Maximum(_))) {
        let prose = data.description.as_deref().and_then(quirks::maximum_from_description);
        found.extend(prose.map(Constraint::Maximum));
    }
    let at = constraints::Site {
        file: &site.doc.file,
        pointer,
        op_id: Some(&site.id),
        what: format!("parameter `{}`", data.name),
    };
    constraints::worth_checking(&found, &lowered.ty, Place::Value, false, &at, warnings)
}

pub(super) fn location_name(p: &OaParameter) -> &'static str {
    match p {
        OaParameter::Query { .. } => "query",
        OaParameter::Header { .. } => "header",
        OaParameter::Path { .. } => "path",
        OaParameter::Cookie { .. } => "cookie",
    }
}

/// Parameters are scalars, enums, or (outside the path) arrays of them.
pub(super) fn check_parameter_type(
    site: &OperationSite<'_>,
    pointer: &str,
    name: &str,
    location: ParamLocation,
    ty: &TypeRef,
    types: &TypeCollector<'_>,
) -> Result<(), Diagnostic> {
    let simple = |t: &TypeRef| match t {
        TypeRef::Scalar(Scalar::Binary) => false,
        TypeRef::Scalar(_) => true,
        TypeRef::Named(n) => types.is_enum(n),
        _ => false,
    };
    let ok = match ty {
        TypeRef::Array(inner) => location != ParamLocation::Path && simple(inner),
        other => simple(other),
    };
    if ok {
        return Ok(());
    }
    let found = match ty {
        TypeRef::Any => "a schema with no type (any JSON value)",
        TypeRef::Scalar(Scalar::Binary) => "a file",
        TypeRef::Map(_) => "a map",
        TypeRef::Named(_) => "an object or a union",
        TypeRef::Array(inner) if simple(inner) => "an array",
        TypeRef::Array(_) => "an array of values that are not plain",
        TypeRef::Nullable(_) => "a nullable value inside another",
        // Other scalars are simple, and accepted above.
        TypeRef::Scalar(_) => "a value",
    };
    let location = format!("{location:?}").to_lowercase();
    Err(site
        .error(
            pointer,
            format!("parameter `{name}` is {found}, which the generator cannot put in a {location} yet"),
        )
        .expected("a string, number, integer, boolean or enum, or an array of those in a query or header"))
}

/// Every `{name}` in the path template has a path parameter, and every path parameter is in it.
pub(super) fn check_path_template(site: &OperationSite<'_>, parameters: &[Parameter]) -> Result<(), Diagnostic> {
    let mut in_template = BTreeSet::new();
    let mut rest = site.path;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else {
            return Err(site
                .error(
                    &pointer_join("/paths", site.path),
                    format!("path template `{}` has an unclosed `{{`", site.path),
                )
                .expected("`{name}` segments"));
        };
        in_template.insert(after.get(..close).unwrap_or(""));
        rest = after.get(close + 1..).unwrap_or("");
    }
    let path_params: BTreeSet<&str> = parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    if let Some(missing) = path_params.iter().find(|p| !in_template.contains(*p)) {
        return Err(site
            .error(
                &pointer_join(&site.pointer(), "parameters"),
                format!(
                    "path parameter `{missing}` does not appear in the path template `{}`",
                    site.path
                ),
            )
            .expected(format!("`{{{missing}}}` in the path, or `in: query`")));
    }
    if let Some(unbound) = in_template.iter().find(|t| !path_params.contains(*t)) {
        return Err(site
            .error(
                &pointer_join(&site.pointer(), "parameters"),
                format!(
                    "the path template `{}` has `{{{unbound}}}` but no path parameter `{unbound}`",
                    site.path
                ),
            )
            .expected(format!("a parameter with `name: {unbound}` and `in: path`")));
    }
    Ok(())
}
