//! What the emitted code says where lowering decides it: doc comments, tag modules and names kept
//! clear of the crate's own, server prefixes, limits on nesting, multipart files, setters' docs.

#[allow(clippy::wildcard_imports)]
use super::*;

#[test]
fn doc_comments_have_no_carriage_returns_or_bidi_controls() {
    let api = lower_one(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      summary: \"Get\\rthings\"\n      description: \"Intro\\r\\r    indented\\r\\nnext \\u202Eevil\\u2066 text\"\n      parameters:\n        - {in: query, name: mode, description: \"a\\rb\\u202Ac\", schema: {type: string, enum: [\"x\\ry\", \"\\u2067z\"]}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    assert!(!code.contains('\r'), "{code:?}");
    assert!(!code.contains(bidi), "{code:?}");
    assert!(
        code.contains("/// Get\n    /// things.\n"),
        "a lone \\r ends a line:\n{code}"
    );
    assert!(
        code.contains("/// Intro\n///\n/// indented\n/// next evil text\n"),
        "a \\r cannot hide an indented line (a doctest):\n{code}"
    );
    assert!(code.contains("/// a\n    /// bc\n"), "{code}");
    // A value quoted as code is one code span on one line.
    assert!(code.contains("    /// `x y`\n"), "{code}");
    // Only comments are cleaned: the wire values stay as they are, escaped in string literals.
    assert!(code.contains(r#"Self::XY => "x\ry","#), "{code}");
    assert!(code.contains(r#""\u{2067}z" => Ok(Self::Z),"#), "{code}");
}

#[test]
fn tag_modules_are_unique_keep_clear_of_the_crates_modules_and_are_filed_unraw() {
    let get = |path: &str, tag: &str| {
        format!("  {path}:\n    get:\n      tags: ['{tag}']\n      responses:\n        '200': {{description: ok}}\n")
    };
    let api = lower_one(
        &[
            get("/a", "DealFields"),
            get("/b", "Deal Fields"),
            get("/c", "types"),
            get("/d", "Type"),
            get("/e", "mod"),
        ]
        .concat(),
    );
    let modules: Vec<(&str, &str)> = api.tags.iter().map(|t| (t.name.as_str(), t.module.as_str())).collect();
    assert_eq!(
        modules,
        [
            ("Deal Fields", "deal_fields"),
            ("DealFields", "deal_fields2"),
            ("Type", "r#type"),
            ("mod", "mod2"),
            ("types", "types2"),
        ]
    );
    for o in &api.operations {
        let tag = api
            .tags
            .iter()
            .find(|t| t.name == o.tag)
            .unwrap_or_else(|| panic!("no tag {}", o.tag));
        assert_eq!(o.tag_module, tag.module, "{}", o.id);
    }
    let spec = CrateSpec {
        name: "pipedrive".into(),
        version: "0.1.0".into(),
        runtime_path: "../rt".into(),
        runtime_version: "0.1.0".into(),
        publish: true,
    };
    let files = emit_crate(&api, &spec).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut unique = paths.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), paths.len(), "a file is written once: {paths:?}");
    for path in [
        "src/v2/deal_fields.rs",
        "src/v2/deal_fields2.rs",
        "src/v2/type.rs",
        "src/v2/mod2.rs",
        "src/v2/types2.rs",
        "src/v2/types.rs",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }
    let module = &files
        .iter()
        .find(|f| f.path == "src/v2/mod.rs")
        .unwrap_or_else(|| panic!("no mod.rs"))
        .contents;
    assert!(module.contains("pub mod r#type;\n"), "{module}");
    let lib = &files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap_or_else(|| panic!("no lib.rs"))
        .contents;
    assert!(
        lib.contains("[`v2::type`]"),
        "rustdoc resolves the link without `r#`:\n{lib}"
    );
    assert_eq!(module.matches("pub mod types;").count(), 1, "{module}");
}

#[test]
fn braces_in_the_server_prefix_are_text_not_format_arguments() {
    let text = "openapi: 3.0.1\ninfo: {title: Test API, version: '1'}\nservers: [{url: 'https://h/a{b'}]\npaths:\n  /stages/{id}:\n    get:\n      operationId: getStage\n      tags: [Stages]\n      parameters: [{in: path, name: id, required: true, schema: {type: integer}}]\n      responses: {'200': {description: ok}}\n";
    let (api, warnings) = lower_with_warnings(text);
    assert_eq!(op(&api, "getStage").full_path, "/a{b/stages/{id}");
    let code = emit(&api);
    assert!(
        code.contains(r#"format!("/a{{b/stages/{}", runtime::encode_path_segment(self.id))"#),
        "{code}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("v2.yaml: at /servers/0/url: ") && w.contains("`/a{b`")),
        "{warnings:?}"
    );
}

#[test]
fn a_maximum_is_checked_only_where_the_parameter_type_can_exceed_it() {
    let text = document(
        "  /things:\n    get:\n      operationId: getThings\n      tags: [Things]\n      parameters:\n        - {in: query, name: huge, schema: {type: integer, format: int32, maximum: 3000000000}}\n        - {in: query, name: choice, schema: {type: integer, enum: [1, 2], maximum: 2}}\n        - {in: query, name: limit, schema: {type: integer, format: int32, maximum: 100}}\n        - {in: query, name: any, schema: {type: integer, maximum: 9223372036854775807}}\n        - {in: query, name: below, schema: {type: integer, format: int32, maximum: -3000000000}}\n      responses:\n        '200': {description: ok}\n",
    );
    let (api, warnings) = lower_with_warnings(&text);
    let maximums: Vec<(&str, Vec<Constraint>)> = op(&api, "getThings")
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.constraints.clone()))
        .collect();
    assert_eq!(
        maximums,
        [
            ("huge", vec![]),
            ("choice", vec![]),
            ("limit", vec![Constraint::Maximum(100)]),
            ("any", vec![]),
            ("below", vec![])
        ]
    );
    let code = emit(&api);
    assert!(code.contains("runtime::Constraint::Maximum(100)"), "{code}");
    assert_eq!(code.matches("runtime::check(").count(), 1, "{code}");
    assert!(!code.contains("3000000000"), "{code}");
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1things/get/parameters/4/schema/maximum (operationId `getThings`): parameter `below` has `maximum: -3000000000`, below every value its type (i32) holds; the bound is not checked; expected a maximum of at least -2147483648"
        ]
    );
}

#[test]
fn number_enums_with_fractions_are_plain_numbers_with_a_warning() {
    let (api, warnings) = lower_with_warnings(&document(&get_returning(
        "                    title: Thing\n                    type: object\n                    properties:\n                      ratio: {type: number, enum: [0.5, 1.5]}\n                      flag: {type: number, enum: [0, 1]}\n                      level: {type: number, enum: [1, 3]}\n",
    )));
    let thing = ty(&api, "Thing");
    assert_eq!(field(thing, "ratio").ty, TypeRef::Scalar(Scalar::F64));
    assert_eq!(field(thing, "flag").ty, TypeRef::Scalar(Scalar::BoolAsNumber));
    assert_eq!(field(thing, "level").ty, TypeRef::Named("ThingLevel".into()));
    assert_eq!(names(&api), ["Thing", "ThingLevel"], "no enum for the fractions");
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1things/get/responses/200/content/application~1json/schema/properties/data/properties/ratio/enum (operationId `getThing`): a `number` enum with values that are not all integers (0.5, 1.5) is typed as `f64`; any number is accepted; expected integer values, or `type: string` for named values"
        ]
    );
    assert!(emit(&api).contains("pub ratio: Option<f64>,"));
}

#[test]
fn binary_is_a_file_only_as_a_multipart_field_and_text_elsewhere() {
    let binary = "{type: string, format: binary}";
    let body = |id: &str, media: &str| {
        format!(
            "  /{id}:\n    post:\n      operationId: {id}\n      tags: [Files]\n      requestBody:\n        content:\n          {media}:\n            schema:\n              type: object\n              properties:\n                file: {binary}\n                name: {{type: string}}\n                nested: {{type: object, properties: {{inner: {binary}}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  success: {{type: boolean}}\n                  data: {{type: object, properties: {{file: {binary}, id: {{type: integer}}}}}}\n"
        )
    };
    let api = lower_one(
        &[
            body("addJson", "application/json"),
            body("addForm", "application/x-www-form-urlencoded"),
            body("addMultipart", "multipart/form-data"),
        ]
        .concat(),
    );
    let named = |t: &TypeRef| match t {
        TypeRef::Named(n) => n.clone(),
        other => panic!("{other} is not a named type"),
    };
    let request = |id: &str| {
        named(
            &op(&api, id)
                .request_body
                .as_ref()
                .unwrap_or_else(|| panic!("no body"))
                .ty,
        )
    };
    let response = |id: &str| match &op(&api, id).response.body {
        ResponseBody::Envelope { data, .. } => named(data),
        other => panic!("{other:?}"),
    };
    let file = |type_name: &str, name: &str| field(ty(&api, type_name), name).ty.clone();
    let text = TypeRef::Scalar(Scalar::String);
    let multipart = request("addMultipart");
    assert_eq!(file(&multipart, "file"), TypeRef::Scalar(Scalar::Binary));
    let nested = named(&field(ty(&api, &multipart), "nested").ty);
    assert_eq!(
        file(&nested, "inner"),
        text,
        "only a direct field of the body is a file"
    );
    assert_eq!(file(&request("addJson"), "file"), text);
    assert_eq!(file(&request("addForm"), "file"), text);
    for id in ["addJson", "addForm", "addMultipart"] {
        assert_eq!(file(&response(id), "file"), text, "a JSON response carries text");
    }
    let code = emit(&api);
    assert_eq!(
        code.matches("pipedrive_runtime::FileUpload").count(),
        2,
        "the field and its setter:\n{code}"
    );
    assert!(
        code.contains("pub file: Option<pipedrive_runtime::FileUpload>,"),
        "{code}"
    );
}

/// A response whose data is `S0`, where each `Si` holds an `Si+1`, down to `S{depth}`.
fn schema_chain(depth: usize) -> String {
    let mut doc = document(&get_returning("                    $ref: '#/components/schemas/S0'\n"));
    doc.push_str("components:\n  schemas:\n");
    for i in 0..depth {
        doc.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
    }
    doc.push_str(&format!(
        "    S{depth}: {{type: object, properties: {{id: {{type: integer}}}}}}\n"
    ));
    doc
}

/// The generator follows `$ref`s by recursion; a spec decides how deep, so the depth is capped
/// with an error before the thread's stack (2 MiB for a test) would overflow.
#[test]
fn schemas_nested_beyond_the_limit_are_an_error_not_a_stack_overflow() {
    let api = lower_docs(&[("v2", &schema_chain(60))]).unwrap_or_else(|e| panic!("{e}"));
    assert!(names(&api).contains(&"S60"), "{:?}", names(&api));
    for depth in [5_000, 65] {
        let Err(err) = lower_docs(&[("v2", &schema_chain(depth))]) else {
            panic!("a chain of {depth} was accepted")
        };
        let message = err.to_string();
        assert!(message.contains("schemas nest more than 64 deep"), "{message}");
        assert!(
            message.contains("at /components/schemas/S63/properties/next (operationId `getThing`)"),
            "{message}"
        );
    }
}

/// The crate warns on missing docs and CI denies warnings, so an item the document gives no
/// description still gets a doc line: here, setters of parameters and body fields without one.
#[test]
fn setters_have_docs_when_the_document_gives_none() {
    let api = lower_one(
        "  /things:\n    patch:\n      operationId: updateThing\n      tags: [Things]\n      parameters:\n        - {in: query, name: mode, schema: {type: string}}\n        - {in: header, name: x-trace, schema: {type: string}}\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {note: {type: string}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let code = emit(&api);
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    let mut setters = 0;
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with("pub fn ") {
            continue;
        }
        let above = lines[..i].iter().rev().find(|l| !l.starts_with("#["));
        assert!(
            above.is_some_and(|l| l.starts_with("///")),
            "no doc for `{line}`:\n{code}"
        );
        setters += usize::from(
            line.starts_with("pub fn mode(") || line.starts_with("pub fn x_trace(") || line.starts_with("pub fn note("),
        );
    }
    assert_eq!(setters, 3, "{code}");
    assert!(code.contains("/// Sets the `mode` query parameter.\n"), "{code}");
    assert!(code.contains("/// Sets the `x-trace` header parameter.\n"), "{code}");
    assert!(code.contains("/// Sets the request body's `note`.\n"), "{code}");
}

/// A tag's struct lives in the tag's module next to its builders: it keeps clear of the prelude
/// names that module uses and of `New` (its constructor is `new`).
#[test]
fn tag_structs_keep_clear_of_prelude_names_and_new() {
    let get = |path: &str, tag: &str| {
        format!("  {path}:\n    get:\n      tags: ['{tag}']\n      responses:\n        '200': {{description: ok}}\n")
    };
    let api = lower_one(&[get("/a", "Result"), get("/b", "new"), get("/c", "Stages")].concat());
    let structs: Vec<&str> = api.tags.iter().map(|t| t.struct_name.as_str()).collect();
    assert_eq!(structs, ["ResultApi", "Stages", "NewApi"]);
}

/// Names a document picks freely must not collide with the names the emitted code uses itself.
#[test]
fn names_from_the_document_keep_clear_of_the_builders_own() {
    let post = |path: &str, id: &str, body: &str| {
        format!(
            "  {path}:\n    post:\n      operationId: {id}\n      tags: [Things]\n      parameters:\n        - {{in: query, name: call_options, schema: {{type: string}}}}\n      requestBody:\n        content:\n          application/json:\n            schema: {body}\n      responses:\n        '200': {{description: ok}}\n"
        )
    };
    let body = "{type: object, required: [client], properties: {client: {type: string}, clear_name: {type: string}, name: {type: string, nullable: true}}}";
    let api = lower_one(
        &[
            post("/a", "new", body),
            post("/b", "result", body),
            post("/c", "send", body),
        ]
        .concat(),
    );
    let rust_names: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.fn_name.as_str(), o.builder_name.as_str()))
        .collect();
    // `ThingsApi::new` is the tag's constructor; a builder `New` would have a `new` (clippy says
    // no); `Result` and `Send` are used from the prelude.
    assert_eq!(rust_names, [("new2", "New2"), ("result", "Result2"), ("send", "Send2")]);
    let params: Vec<&str> = op(&api, "new")
        .parameters
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    assert_eq!(params, ["call_options2"], "the builder's own field is call_options");

    let code = emit(&api);
    assert_eq!(
        code.matches("pub fn clear_name(").count(),
        3,
        "one per builder:\n{code}"
    );
    assert_eq!(code.matches("pub fn clear_name2(").count(), 3, "{code}");
    assert!(code.contains("/// Send `null` with `clear_name2()`."), "{code}");
    assert_eq!(
        code.matches("fn new(client: runtime::Client, client2: String) -> Self")
            .count(),
        3,
        "the body's `client` is not the builder's:\n{code}"
    );
    assert!(
        code.contains("pub fn new2(&self, client2: impl Into<String>) -> New"),
        "{code}"
    );
}

/// The crate's doctest calls a list operation with no arguments: not one whose body has required
/// fields (they are arguments of its builder), which would not compile.
#[test]
fn the_crate_example_calls_a_list_that_needs_no_arguments() {
    let list = |method: &str, path: &str, id: &str, body: &str| {
        format!(
            "  {path}:\n    {method}:\n      operationId: {id}\n      tags: [Things]\n      parameters:\n        - {{in: query, name: cursor, schema: {{type: string}}}}\n{body}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{success: {{type: boolean}}, data: {{type: array, items: {{type: integer}}}}}}}}\n"
        )
    };
    let body = "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {type: object, required: [term], properties: {term: {type: string}}}\n";
    let api = lower_one(
        &[
            list("post", "/a/search", "searchThings", body),
            list("get", "/b", "getThings", ""),
        ]
        .concat(),
    );
    assert!(op(&api, "searchThings").pagination.is_some());
    let code = emit(&api);
    assert!(
        code.contains("//! let items = client.v2().things().get_things().send().await?;"),
        "{code}"
    );
}

/// An operation another server answers (v1's OAuth operations, on `oauth.pipedrive.com`) is left
/// out with a warning at its `servers`, whether the operation or its path item names the server;
/// one that names the document's own server (a trailing `/` aside) is generated.
#[test]
fn operations_served_by_another_server_are_left_out_with_a_warning() {
    let ok = "      responses: {'200': {description: ok}}\n";
    let text = document(&format!(
        "  /oauth/token:\n    post:\n      operationId: getTokens\n      tags: [Oauth]\n      servers: [{{url: 'https://oauth.pipedrive.com'}}]\n{ok}  /oauth/elsewhere:\n    servers: [{{url: 'https://other.example.com/v9'}}]\n    get:\n      operationId: getElsewhere\n      tags: [Oauth]\n{ok}  /stages:\n    get:\n      operationId: getStages\n      servers: [{{url: 'https://api.pipedrive.com/api/v2/'}}]\n{ok}"
    ));
    let (api, warnings) = lower_with_warnings(&text);
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["getStages"]);
    assert_eq!(
        warnings,
        [
            "v2.yaml: at /paths/~1oauth~1elsewhere/servers/0/url (operationId `getElsewhere`): `GET /oauth/elsewhere` is served by `https://other.example.com/v9`, not by the document's server `https://api.pipedrive.com/api/v2`; it is left out; expected operations served by the document's server: the generated client sends every request to its one base URL, with its token",
            "v2.yaml: at /paths/~1oauth~1token/post/servers/0/url (operationId `getTokens`): `POST /oauth/token` is served by `https://oauth.pipedrive.com`, not by the document's server `https://api.pipedrive.com/api/v2`; it is left out; expected operations served by the document's server: the generated client sends every request to its one base URL, with its token",
        ]
    );

    // Selecting only such operations is an error that says why there is nothing to generate.
    let loaded = parse_document("v2", "v2.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    let oauth = lower(&[loaded], &only("Oauth")).map(|l| l.api.operations.len());
    let Err(Error::Input(diagnostics)) = oauth else {
        panic!("expected an input error, got {oauth:?}");
    };
    assert!(
        diagnostics[0]
            .to_string()
            .contains("no operation tagged Oauth can be generated: all 2 are served by other servers"),
        "{}",
        diagnostics[0]
    );
}
