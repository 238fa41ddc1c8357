//! Bad input, end to end: `cargo xtask codegen` on malformed or unsupported specs.
//!
//! Each case writes a config and a document into a temporary spec folder, runs the real xtask
//! binary against a temporary output folder that already holds a generated crate, and asserts
//! the exit code; one line naming the file, the JSON pointer and (inside an operation that has
//! one) the operationId, then what was found and what would be accepted; and that the output
//! folder is exactly as it was, or, where the generator carries on with a warning, that the
//! crate was written and shows how it carried on.

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
    config: Option<String>,
    /// Where the diagnostic points, exactly as printed: `<file>: at <pointer>`, then
    /// ` (operationId `…`)` whenever the pointer is inside an operation that has one. Kept apart
    /// from the message so that no case can leave the location out.
    at: &'static str,
    /// The start of what was found: the message right after `<at>: `.
    found: &'static str,
    /// The start of what would be accepted, right after `; expected ` on the same line; `None`
    /// only where the diagnostic has nothing to suggest.
    accepted: Option<&'static str>,
    /// Further lines stderr must contain (another diagnostic the run reports).
    also: &'static [&'static str],
    outcome: Outcome,
}

/// Whether the run stops or carries on.
enum Outcome {
    /// Exit 1, nothing written.
    Error,
    /// The generator carries on with a warning: exit 0 and a crate written in place of the
    /// previous one. Each `(file, fragment)` in `written` must be in that file (relative to the
    /// output folder), each in `not_written` must not, so the case shows how the generator
    /// carried on, not only that it did.
    Warning {
        written: &'static [(&'static str, &'static str)],
        not_written: &'static [(&'static str, &'static str)],
    },
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
            at: "doc.yaml: at (document root)",
            found: "invalid YAML (line 3, column 1)",
            accepted: Some("a YAML or JSON OpenAPI 3.0 document"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "not openapi",
            document: Some("hello: world\n".into()),
            config: None,
            at: "doc.yaml: at (document root)",
            found: "this is not an OpenAPI document: there is no `openapi` field",
            accepted: Some("`openapi: 3.0.x`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "openapi 3.1",
            document: Some("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into()),
            config: None,
            at: "doc.yaml: at /openapi",
            found: "OpenAPI 3.1.0 is not supported yet",
            accepted: Some("`openapi: 3.0.x`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "swagger 2",
            document: Some("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into()),
            config: None,
            at: "doc.yaml: at /swagger",
            found: "this is a Swagger 2.0 document",
            accepted: Some("`openapi: 3.0.x`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "missing document file",
            document: None,
            config: None,
            at: "doc.yaml: at (document root)",
            found: "cannot read the file",
            // Followed by the full path, which is in a temporary folder.
            accepted: Some("a readable file at "),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "unresolvable ref",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{$ref: '#/components/parameters/Nope'}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0 (operationId `getA`)",
            found: "`$ref: #/components/parameters/Nope` does not resolve",
            accepted: Some("a pointer to an existing object"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // The cycle is in `components`, outside any operation: no operationId applies.
            name: "ref cycle",
            document: Some(format!(
                "{HEADER}paths:\n  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{OK_RESPONSES}components:\n  schemas:\n    A: {{type: object, properties: {{b: {{$ref: '#/components/schemas/B'}}}}}}\n    B: {{type: array, items: {{$ref: '#/components/schemas/A'}}}}\n"
            )),
            config: None,
            at: "doc.yaml: at /components/schemas/A",
            found: "`$ref` cycle: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A",
            accepted: Some("schemas without recursion"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "duplicate operationId",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getThing\n      tags: [T]\n{OK_RESPONSES}  /b:\n    get:\n      operationId: getThing\n      tags: [T]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1b/get/operationId (operationId `getThing`)",
            found: "operationId `getThing` is also used at /paths/~1a/get",
            accepted: Some("operationIds unique within a document"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // The operation has no operationId, so the location cannot name one.
            name: "missing operationId is a warning",
            document: doc(&format!("  /stages:\n    get:\n      tags: [T]\n{OK_RESPONSES}")),
            config: None,
            at: "doc.yaml: at /paths/~1stages/get",
            found: "GET /stages has no operationId; it is named `getStages`, from the method and path",
            accepted: None,
            also: &[],
            outcome: Outcome::Warning {
                // The derived name: `getStages`, a `get_stages` method on the tag's API.
                written: &[
                    ("pipedrive/src/v2/t.rs", "pub fn get_stages(&self) -> GetStages"),
                    ("pipedrive/src/v2/t.rs", "(operationId `getStages`)"),
                ],
                not_written: &[],
            },
        },
        Case {
            name: "path parameter missing from the template",
            document: doc(&format!(
                "  /stages:\n    get:\n      operationId: getStage\n      tags: [T]\n      parameters: [{{in: path, name: id, required: true, schema: {{type: integer}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1stages/get/parameters (operationId `getStage`)",
            found: "path parameter `id` does not appear in the path template `/stages`",
            accepted: Some("`{id}` in the path, or `in: query`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // The pointer names the operation's (absent) `parameters`: where the parameter belongs.
            name: "template placeholder without parameter",
            document: doc(&format!(
                "  /stages/{{id}}:\n    get:\n      operationId: getStage\n      tags: [T]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1stages~1{id}/get/parameters (operationId `getStage`)",
            found: "the path template `/stages/{id}` has `{id}` but no path parameter `id`",
            accepted: Some("a parameter with `name: id` and `in: path`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "enum mixing types",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: mode, schema: {{enum: [fast, 1]}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/schema/enum (operationId `getA`)",
            found: "the enum mixes value types (integer, string)",
            accepted: Some("enum values that are all strings, all integers or all numbers"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "unknown parameter location",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: body, name: x}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/in (operationId `getA`)",
            found: "unknown parameter location `body`",
            accepted: Some("`in: query`, `header`, `path` or `cookie`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // Two diagnostics: the warning about the empty `paths`, then the error it leads to.
            // Neither is inside an operation.
            name: "empty paths",
            document: doc(" {}\n").map(|d| d.replace("paths:\n {}", "paths: {}")),
            config: None,
            at: "doc.yaml: at /paths",
            found: "no operation is tagged T",
            accepted: Some("tags in the config that the documents use"),
            also: &["warning: doc.yaml: at /paths: `paths` is empty: this document contributes no operations"],
            outcome: Outcome::Error,
        },
        Case {
            name: "unsupported construct: not",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: q, schema: {{not: {{type: string}}}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/schema (operationId `getA`)",
            found: "`not` is not supported by the generator yet",
            accepted: Some("`type`, `properties`, `items`, `allOf`, `oneOf` or `anyOf`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "unsupported: cookie parameter",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: cookie, name: c, schema: {{type: string}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/in (operationId `getA`)",
            found: "cookie parameters are not supported",
            accepted: Some("`in: query`, `header` or `path`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "unsupported: text/plain body",
            document: doc(&format!(
                "  /a:\n    post:\n      operationId: addA\n      tags: [T]\n      requestBody: {{content: {{text/plain: {{schema: {{type: string}}}}}}}}\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/post/requestBody/content (operationId `addA`)",
            found: "request body media types [\"text/plain\"] are not supported",
            accepted: Some("`application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "unknown type",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: f, schema: {{type: file}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/schema/type (operationId `getA`)",
            found: "unknown type `file`",
            accepted: Some("`string`, `integer`, `number`, `boolean`, `array` or `object`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // Not caught by the checks before deserializing: the pointer comes from deserializing
            // the operation's parts one by one, the message from serde.
            name: "deserialization error deep in an operation",
            document: doc("  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      responses: 7\n"),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/responses (operationId `getA`)",
            found: "invalid type: integer `7`",
            accepted: Some("a `Responses` object, as OpenAPI 3.0 defines it"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // `.inf` is YAML, not JSON; openapiv3 panicked on it before the load checks refused it.
            name: "number that is not finite",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: n, schema: {{type: integer, maximum: .inf}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/schema/maximum (operationId `getA`)",
            found: "the number `inf` is not finite",
            accepted: Some("a finite number"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "enum default not among its values",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n      parameters: [{{in: query, name: order, schema: {{type: string, enum: [asc, desc], default: ASC}}}}]\n{OK_RESPONSES}"
            )),
            config: None,
            at: "doc.yaml: at /paths/~1a/get/parameters/0/schema/default (operationId `getA`)",
            found: "the default \"ASC\" is not one of the enum values; the enum gets no default",
            accepted: Some("one of \"asc\", \"desc\""),
            also: &[],
            outcome: Outcome::Warning {
                // The enum is generated, without a default variant.
                written: &[
                    ("pipedrive/src/v2/types.rs", "pub enum GetAOrder {"),
                    (
                        "pipedrive/src/v2/t.rs",
                        "pub fn order(mut self, value: types::GetAOrder) -> Self",
                    ),
                ],
                not_written: &[("pipedrive/src/v2/types.rs", "#[default]")],
            },
        },
        Case {
            name: "bad config",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{OK_RESPONSES}"
            )),
            config: Some(
                "crate_name: pipedrive\ndocuments: [{api: v2, file: doc.yaml}]\ntags: [T]\nflavour: spicy\n".into(),
            ),
            at: "codegen.yaml: at /flavour",
            found: "unknown field `flavour`, expected one of `crate_name`, `documents`, `tags`",
            accepted: Some("`crate_name: <name>`, `documents: [{api: v1, file: <file>}, ...]`"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // 400,000 nested `[` took libyaml past two minutes; refused before it parses.
            name: "deep flow nesting",
            document: Some(format!("{HEADER}paths:\n  /a: {}\n", "[".repeat(400_000))),
            config: None,
            at: "doc.yaml: at (document root)",
            // The root and `paths` are two levels, so the 127th bracket (column 7 + 126) is one
            // too many.
            found: "collections nested more than 128 deep (line 5, column 133)",
            accepted: Some("at most 128 nested mappings and lists, the document's root included"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            // A million `- ` (2 MB) took 1.6 s and 425 MB, 5 million 9 s and 2.3 GB. The 127th
            // dash (column 5 + 2 × 126) is one too many.
            name: "deep block nesting",
            document: Some(format!("{HEADER}paths:\n  /a:\n    {}x\n", "- ".repeat(1_000_000))),
            config: None,
            at: "doc.yaml: at (document root)",
            found: "collections nested more than 128 deep (line 6, column 257)",
            accepted: Some("at most 128 nested mappings and lists"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "deep nesting in the config",
            document: doc(&format!(
                "  /a:\n    get:\n      operationId: getA\n      tags: [T]\n{OK_RESPONSES}"
            )),
            // The root and 127 braces fit; the 128th is at column 4 + 4 × 127.
            config: Some(format!("crate_name: pipedrive\nx: {}\n", "{a: ".repeat(200_000))),
            at: "codegen.yaml: at (document root)",
            found: "collections nested more than 128 deep (line 2, column 512)",
            accepted: Some("at most 128 nested mappings and lists"),
            also: &[],
            outcome: Outcome::Error,
        },
        Case {
            name: "50 MB document",
            document: Some(format!("{HEADER}paths: {{}}\n# {}\n", "x".repeat(50 * 1024 * 1024))),
            config: None,
            at: "doc.yaml: at (document root)",
            found: "the file is 52428",
            accepted: Some("a document of at most 33554432 bytes"),
            also: &[],
            outcome: Outcome::Error,
        },
    ]
}

/// Whether `stderr` has the case's diagnostic on one line: the label, the location, what was
/// found, and what would be accepted after `; expected `.
fn has_diagnostic(stderr: &str, case: &Case) -> bool {
    let label = match case.outcome {
        Outcome::Error => "error: ",
        Outcome::Warning { .. } => "warning: ",
    };
    let head = format!("{label}{}: {}", case.at, case.found);
    stderr.lines().any(|line| {
        line.trim_start().starts_with(&head)
            && case
                .accepted
                .is_none_or(|accepted| line.contains(&format!("; expected {accepted}")))
    })
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
            .as_deref()
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
        let stdout = String::from_utf8_lossy(&output.stdout);

        if !has_diagnostic(&stderr, &case) {
            failures.push(format!(
                "[{}] stderr lacks a line `{}: {}…`{}:\n{stderr}",
                case.name,
                case.at,
                case.found,
                case.accepted
                    .map(|a| format!(" with `; expected {a}…`"))
                    .unwrap_or_default()
            ));
        }
        for fragment in case.also {
            if !stderr.contains(fragment) {
                failures.push(format!("[{}] stderr lacks {fragment:?}:\n{stderr}", case.name));
            }
        }
        match case.outcome {
            Outcome::Warning { written, not_written } => {
                if !output.status.success() || stderr.contains("error:") {
                    failures.push(format!(
                        "[{}] should carry on with a warning, exited {:?}:\n{stderr}",
                        case.name,
                        output.status.code()
                    ));
                }
                if !stdout.contains("generated ") {
                    failures.push(format!("[{}] does not report what it generated:\n{stdout}", case.name));
                }
                // The previous generation is replaced as a whole: the sentinel is gone, and
                // nothing of the write is left beside the crate.
                let lib = std::fs::read_to_string(out.join("pipedrive/src/lib.rs")).unwrap_or_default();
                if !lib.starts_with("// @generated by `cargo xtask codegen`") {
                    failures.push(format!("[{}] did not write the crate; lib.rs is:\n{lib}", case.name));
                }
                let beside: Vec<_> = std::fs::read_dir(&out)
                    .expect("list output")
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name != "pipedrive")
                    .collect();
                if !beside.is_empty() {
                    failures.push(format!("[{}] left {beside:?} beside the crate", case.name));
                }
                for (file, fragment) in written {
                    let text = std::fs::read_to_string(out.join(file)).unwrap_or_default();
                    if !text.contains(fragment) {
                        failures.push(format!("[{}] {file} lacks {fragment:?}:\n{text}", case.name));
                    }
                }
                for (file, fragment) in not_written {
                    let text = std::fs::read_to_string(out.join(file)).unwrap_or_default();
                    if text.is_empty() || text.contains(fragment) {
                        failures.push(format!(
                            "[{}] {file} is missing or has {fragment:?}:\n{text}",
                            case.name
                        ));
                    }
                }
            }
            Outcome::Error => {
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

/// A UTF-8 byte-order mark, which some editors put at the start of a file, is allowed on every
/// YAML file the generator reads. Without care it gave "more than one document" on a document
/// and "missing field `documents`" on the config. The crate generated from the spec with marks
/// is byte for byte the one generated from the spec without them.
#[test]
fn a_byte_order_mark_is_accepted_on_every_yaml_file() {
    let root = temp_dir("byte order mark");
    let generate = |spec: &Path, out: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--spec-dir"])
            .arg(spec)
            .arg("--out-dir")
            .arg(out)
            .output()
            .expect("run xtask");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{}:\n{stderr}", spec.display());
        assert!(!stderr.contains("warning:"), "{stderr}");
        snapshot(&out.join("pipedrive"))
    };
    let marked = root.join("spec");
    std::fs::create_dir_all(&marked).expect("create spec dir");
    for file in ["codegen.yaml", "pipedrive-v1.yaml", "pipedrive-v2.yaml"] {
        let mut text = std::fs::read_to_string(crate::root().join("spec").join(file)).expect("read spec");
        if file == "codegen.yaml" {
            // Followed by a comment, the mark went unnoticed; followed by a key, it became part of it.
            text = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| format!("{l}\n"))
                .collect();
            assert!(text.starts_with("crate_name:"), "{text}");
        }
        std::fs::write(marked.join(file), format!("\u{feff}{text}")).expect("write spec");
    }
    let with_marks = generate(&marked, &root.join("with"));
    let without = generate(&crate::root().join("spec"), &root.join("without"));
    assert!(with_marks.len() > 5, "{} files", with_marks.len());
    assert!(with_marks == without, "the marks changed the output");
    let _ = std::fs::remove_dir_all(&root);
}
