//! Bad input, end to end: `cargo xtask codegen` on malformed or unsupported specs.
//!
//! Each case writes a config and a document into a temporary spec folder, runs the real xtask
//! binary against a temporary output folder that already holds a generated crate, and asserts
//! the exit code, a message naming the file, the JSON pointer and (where there is one) the
//! operationId, and that the output folder is exactly as it was.

#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

const HEADER: &str =
    "openapi: 3.0.1\ninfo: {title: Test, version: '1'}\nservers: [{url: 'https://api.pipedrive.com/api/v2'}]\n";

/// One malformed spec and what the run must say about it.
struct Case {
    name: &'static str,
    /// The document (`doc.yaml`); `None` leaves the file out.
    document: Option<String>,
    /// Replaces the default config when set.
    config: Option<&'static str>,
    /// Fragments stderr must contain.
    expect: &'static [&'static str],
    /// True when the generator can carry on: exit 0 with a warning.
    warning_only: bool,
}

fn doc(paths: &str) -> Option<String> {
    Some(format!("{HEADER}paths:\n{paths}"))
}

const OK_RESPONSES: &str = "      responses: {'200': {description: ok}}\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "invalid yaml",
            document: Some("openapi: 3.0.1\npaths: [\n".into()),
            config: None,
            expect: &["doc.yaml: at (document root)", "invalid YAML (line"],
            warning_only: false,
        },
        Case {
            name: "not openapi",
            document: Some("hello: world\n".into()),
            config: None,
            expect: &[
                "doc.yaml: at (document root)",
                "not an OpenAPI document",
                "expected `openapi: 3.0.x`",
            ],
            warning_only: false,
        },
        Case {
            name: "openapi 3.1",
            document: Some("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into()),
            config: None,
            expect: &["doc.yaml: at /openapi: OpenAPI 3.1.0 is not supported yet"],
            warning_only: false,
        },
        Case {
            name: "swagger 2",
            document: Some("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into()),
            config: None,
            expect: &["doc.yaml: at /swagger: this is a Swagger 2.0 document"],
            warning_only: false,
        },
        Case {
            name: "missing document file",
            document: None,
            config: None,
            expect: &["doc.yaml: at (document root): cannot read the file"],
            warning_only: false,
        },
        Case {
            name: "unresolvable ref",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{$ref: '#/components/parameters/Nope'}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/get/parameters/0 (operationId `getA`)",
                "`$ref: #/components/parameters/Nope` does not resolve",
            ],
            warning_only: false,
        },
        Case {
            name: "ref cycle",
            document: Some(format!(
                "{HEADER}paths:\n  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{OK_RESPONSES}components:\n  schemas:\n    A: {{type: object, properties: {{b: {{$ref: '#/components/schemas/B'}}}}}}\n    B: {{type: array, items: {{$ref: '#/components/schemas/A'}}}}\n"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /components/schemas/A",
                "`$ref` cycle: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A",
            ],
            warning_only: false,
        },
        Case {
            name: "duplicate operationId",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getThing\n      tags: [T]\n{OK_RESPONSES}  /b:\n    get:\n      operationId: getThing\n      tags: [T]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1b/get/operationId (operationId `getThing`): operationId `getThing` is also used at /paths/~1a/get",
            ],
            warning_only: false,
        },
        Case {
            name: "missing operationId is a warning",
            document: doc(&format!("  /stages:\n    get:\n      tags: [T]\n{OK_RESPONSES}")),
            config: None,
            expect: &[
                "warning: doc.yaml: at /paths/~1stages/get: GET /stages has no operationId; a name is derived from the method and path",
            ],
            warning_only: true,
        },
        Case {
            name: "path parameter missing from the template",
            document: doc(&format!(
                "  /stages:\n    get:\n      operationId: getStage\n      tags: [T]\n      parameters: [{{in: path, name: id, required: true, schema: {{type: integer}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1stages/get/parameters (operationId `getStage`): path parameter `id` does not appear in the path template `/stages`",
            ],
            warning_only: false,
        },
        Case {
            name: "template placeholder without parameter",
            document: doc(&format!(
                "  /stages/{{id}}:\n    get:\n      operationId: getStage\n      tags: [T]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "(operationId `getStage`): the path template `/stages/{id}` has `{id}` but no path parameter `id`",
            ],
            warning_only: false,
        },
        Case {
            name: "enum mixing types",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: mode, schema: {{enum: [fast, 1]}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/get/parameters/0/schema/enum (operationId `getA`): the enum mixes value types (integer, string)",
            ],
            warning_only: false,
        },
        Case {
            name: "unknown parameter location",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: body, name: x}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/get/parameters/0/in (operationId `getA`): unknown parameter location `body`",
            ],
            warning_only: false,
        },
        Case {
            name: "empty paths",
            document: doc(" {}\n").map(|d| d.replace("paths:\n {}", "paths: {}")),
            config: None,
            expect: &[
                "warning: doc.yaml: at /paths: `paths` is empty",
                "error:",
                "no operation is tagged T",
            ],
            warning_only: false,
        },
        Case {
            name: "unsupported construct: not",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: q, schema: {{not: {{type: string}}}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/get/parameters/0/schema (operationId `getA`): `not` is not supported by the generator yet",
            ],
            warning_only: false,
        },
        Case {
            name: "unsupported: cookie parameter",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: cookie, name: c, schema: {{type: string}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/get/parameters/0/in (operationId `getA`): cookie parameters are not supported",
            ],
            warning_only: false,
        },
        Case {
            name: "unsupported: text/plain body",
            document: doc(&format!(
                "  /a:\n    post:\n      operationId: addA\n      tags: [T]\n      requestBody: {{content: {{text/plain: {{schema: {{type: string}}}}}}}}\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/post/requestBody/content (operationId `addA`): request body media types [\"text/plain\"] are not supported",
            ],
            warning_only: false,
        },
        Case {
            name: "unknown type",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: f, schema: {{type: file}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &["doc.yaml: at /paths/~1a/get/parameters/0/schema/type (operationId `getA`): unknown type `file`"],
            warning_only: false,
        },
        Case {
            name: "deserialization error deep in an operation",
            document: doc("  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      responses: 7\n"),
            config: None,
            expect: &["doc.yaml: at /paths/~1a/get/responses (operationId `getA`)"],
            warning_only: false,
        },
        Case {
            // `.inf` is YAML, not JSON; openapiv3 panicked on it before the load checks refused it.
            name: "number that is not finite",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: n, schema: {{type: integer, maximum: .inf}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "doc.yaml: at /paths/~1a/get/parameters/0/schema/maximum (operationId `getA`): the number `inf` is not finite",
                "expected a finite number",
            ],
            warning_only: false,
        },
        Case {
            name: "enum default not among its values",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: order, schema: {{type: string, enum: [asc, desc], default: ASC}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            expect: &[
                "warning: doc.yaml: at /paths/~1a/get/parameters/0/schema/default (operationId `getA`): the default \"ASC\" is not one of the enum values; the enum gets no default",
            ],
            warning_only: true,
        },
        Case {
            name: "bad config",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{OK_RESPONSES}"
            )),
            config: Some("crate_name: pipedrive\ndocuments: [{api: v2, file: doc.yaml}]\ntags: [T]\nflavour: spicy\n"),
            expect: &[
                "codegen.yaml: at /flavour: unknown field `flavour`, expected one of `crate_name`, `documents`, `tags`",
            ],
            warning_only: false,
        },
        Case {
            name: "50 MB document",
            document: Some(format!("{HEADER}paths: {{}}\n# {}\n", "x".repeat(50 * 1024 * 1024))),
            config: None,
            expect: &[
                "doc.yaml: at (document root): the file is 52428",
                "expected a document of at most 33554432 bytes",
            ],
            warning_only: false,
        },
    ]
}

fn temp_dir(name: &str) -> PathBuf {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let dir = std::env::temp_dir().join(format!("xtask-bad-input-{}-{slug}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every file under `dir` with its contents, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list output").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir").display().to_string();
                out.push((rel, std::fs::read(&path).expect("read output")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn bad_specs_fail_clearly_and_leave_the_output_untouched() {
    let mut failures = Vec::new();
    for case in cases() {
        let root = temp_dir(case.name);
        let spec = root.join("spec");
        let out = root.join("generated");
        std::fs::create_dir_all(&spec).expect("create spec dir");
        std::fs::create_dir_all(out.join("pipedrive/src")).expect("create output");
        std::fs::write(out.join("pipedrive/src/lib.rs"), "// the previous generation\n").expect("write sentinel");
        std::fs::write(out.join("pipedrive/Cargo.toml"), "[package]\nname = \"pipedrive\"\n").expect("write sentinel");
        let config = case
            .config
            .unwrap_or("crate_name: pipedrive\ndocuments: [{api: v2, file: doc.yaml}]\ntags: [T]\n");
        std::fs::write(spec.join("codegen.yaml"), config).expect("write config");
        if let Some(document) = &case.document {
            std::fs::write(spec.join("doc.yaml"), document).expect("write document");
        }
        let before = snapshot(&out);

        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--spec-dir"])
            .arg(&spec)
            .arg("--out-dir")
            .arg(&out)
            .output()
            .expect("run xtask");
        let stderr = String::from_utf8_lossy(&output.stderr);

        for fragment in case.expect {
            if !stderr.contains(fragment) {
                failures.push(format!("[{}] stderr lacks {fragment:?}:\n{stderr}", case.name));
            }
        }
        if case.warning_only {
            if !output.status.success() {
                failures.push(format!(
                    "[{}] should carry on with a warning, exited {:?}:\n{stderr}",
                    case.name,
                    output.status.code()
                ));
            }
        } else {
            if output.status.code() != Some(1) {
                failures.push(format!(
                    "[{}] should exit 1, exited {:?}",
                    case.name,
                    output.status.code()
                ));
            }
            if !stderr.contains("nothing was written; the output folder is unchanged") {
                failures.push(format!(
                    "[{}] does not say the output is unchanged:\n{stderr}",
                    case.name
                ));
            }
            if snapshot(&out) != before {
                failures.push(format!("[{}] changed the output folder", case.name));
            }
        }
        if stderr.contains("panicked") {
            failures.push(format!("[{}] panicked:\n{stderr}", case.name));
        }
        let _ = std::fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(cases().len() >= 15);
}
