//! Release bookkeeping for the generated crate: its version, its changelog, and the IR that the
//! next run compares against.
//!
//! Each generation writes its IR to `api.json` in the crate. The next run reads it back, asks
//! [`crate::changes::compare`] what changed in API terms, bumps the crate version by the semver
//! impact and puts a section on top of `CHANGELOG.md`. Nothing changes when the API does not, so
//! running the generator twice is a no-op and `--check` stays meaningful.

use std::path::Path;

use crate::changes::{self, ApiChanges, current_revision, next_version};
use crate::emit::{Content, EmittedFile, PREAMBLE};
use crate::error::{Diagnostic, Error};
use crate::ir::Api;

/// The IR of the last generation, inside the generated crate.
pub const IR_FILE: &str = "api.json";
/// The changelog, inside the generated crate.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// What the previous generation left behind.
#[derive(Debug, Clone)]
pub struct History {
    pub api: Api,
    /// The generator revision it was made with ([`changes::GENERATOR_CHANGES`]); 0 for an
    /// `api.json` written before revisions were recorded.
    pub generator_revision: u32,
    pub version: String,
    pub changelog: String,
}

/// `api.json` as written: the IR under a note saying where it comes from (JSON has no comments).
#[derive(serde::Serialize, serde::Deserialize)]
struct IrFile {
    #[serde(rename = "_generated")]
    generated: String,
    /// Which of the generator's own changes the crate already has (see `changes::generator`).
    #[serde(default)]
    generator_revision: u32,
    api: Api,
}

/// Reads the previous generation from `crate_dir`; `None` when there is none (no `api.json`).
pub fn read_history(crate_dir: &Path) -> Result<Option<History>, Error> {
    let ir_path = crate_dir.join(IR_FILE);
    if !ir_path.exists() {
        return Ok(None);
    }
    let display = ir_path.display().to_string();
    let text = std::fs::read_to_string(&ir_path).map_err(|source| Error::Io {
        path: display.clone(),
        action: "read",
        source,
    })?;
    let ir: IrFile = serde_json::from_str(&text).map_err(|e| {
        Error::input(
            Diagnostic::new(&display, "", format!("the previous generation's IR cannot be read: {e}"))
                .expected(format!("the {IR_FILE} that `cargo xtask codegen` wrote (restore it from git, or delete it to start a new history)")),
        )
    })?;
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    let version = package_version(&manifest).unwrap_or_else(|| INITIAL_VERSION.to_owned());
    let changelog = std::fs::read_to_string(crate_dir.join(CHANGELOG_FILE)).unwrap_or_default();
    // An `api.json` from before the public surface was recorded gets it from today's rules,
    // which made the same code then.
    let mut api = ir.api;
    crate::surface::attach(&mut api);
    if api.tags.iter().any(|t| t.feature.is_empty()) {
        crate::lower::assign_features(&mut api.tags);
    }
    Ok(Some(History {
        api,
        generator_revision: ir.generator_revision,
        version,
        changelog,
    }))
}

/// Version of a first generation.
pub const INITIAL_VERSION: &str = "0.1.0";

/// The first `version = "..."` line of a manifest (the `[package]` one in generated manifests).
fn package_version(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|l| {
        l.trim()
            .strip_prefix("version = \"")?
            .strip_suffix('"')
            .map(str::to_owned)
    })
}

/// The version, changelog and change report of this generation.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: String,
    pub changelog: String,
    /// Empty on a first generation and when nothing changed.
    pub changes: ApiChanges,
    pub first: bool,
}

/// Decides the version and changelog for `api`, given what was generated before.
pub fn plan_release(crate_name: &str, previous: Option<&History>, api: &Api) -> Result<Release, Error> {
    let Some(previous) = previous else {
        let section = format!(
            "## {crate_name} {INITIAL_VERSION}\n\nFirst generation: {}.\n",
            summary(api)
        );
        return Ok(Release {
            version: INITIAL_VERSION.to_owned(),
            changelog: with_section(crate_name, "", &section),
            changes: ApiChanges::default(),
            first: true,
        });
    };
    let changes = changes::compare_generations(&previous.api, previous.generator_revision, api);
    if changes.is_empty() {
        let changelog = if previous.changelog.is_empty() {
            with_section(
                crate_name,
                "",
                &format!("## {crate_name} {}\n\n{}.\n", previous.version, summary(api)),
            )
        } else {
            previous.changelog.clone()
        };
        return Ok(Release {
            version: previous.version.clone(),
            changelog,
            changes,
            first: false,
        });
    }
    let version = next_version(&previous.version, changes.severity()).map_err(|message| {
        Error::input(
            Diagnostic::new("Cargo.toml", "/package/version", message)
                .expected("the version `cargo xtask codegen` wrote"),
        )
    })?;
    let section = changes.to_markdown(&format!("{crate_name} {version}"));
    let section = format!("{}\n\nNow {}.\n", section.trim_end(), summary(api));
    Ok(Release {
        changelog: with_section(crate_name, &previous.changelog, &section),
        version,
        changes,
        first: false,
    })
}

/// `12 operations (v1: 7, v2: 5), 13 types`.
fn summary(api: &Api) -> String {
    let per_api: Vec<String> = api
        .documents
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d.api,
                api.operations.iter().filter(|o| o.api == d.api).count()
            )
        })
        .collect();
    format!(
        "{} operations ({}), {} types",
        api.operations.len(),
        per_api.join(", "),
        api.types.len()
    )
}

/// Puts `section` above the previous sections, under the changelog's own header.
fn with_section(crate_name: &str, previous: &str, section: &str) -> String {
    let header = format!(
        "<!-- {PREAMBLE} -->\n# Changelog of `{crate_name}`\n\n\
         Written by `cargo xtask codegen`: each section is what a spec update changed in the generated\n\
         API, found by comparing the previous generation's IR (`{IR_FILE}`) with the new one, and what\n\
         an update of the generator changed in it (entries starting \"Generator:\"). Versions follow\n\
         semver (in 0.x, a breaking change bumps the minor version).\n"
    );
    let earlier = previous
        .find("\n## ")
        .map_or("", |at| previous.get(at + 1..).unwrap_or(""));
    let mut out = format!("{header}\n{}\n", section.trim_end());
    if !earlier.is_empty() {
        out.push('\n');
        out.push_str(earlier.trim_end());
        out.push('\n');
    }
    out
}

/// `CHANGELOG.md` and `api.json`, to be written with the crate's other files.
pub fn release_files(api: &Api, release: &Release) -> Result<Vec<EmittedFile>, Error> {
    Ok(vec![
        EmittedFile {
            path: CHANGELOG_FILE.to_owned(),
            content: Content::Text(release.changelog.clone()),
        },
        EmittedFile {
            path: IR_FILE.to_owned(),
            content: Content::Text(ir_file(api)?),
        },
    ])
}

/// The text of `api.json` for `api`.
pub fn ir_file(api: &Api) -> Result<String, Error> {
    let file = IrFile {
        generated: PREAMBLE.to_owned(),
        generator_revision: current_revision(),
        api: api.clone(),
    };
    serde_json::to_string_pretty(&file)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| Error::Emit {
            file: IR_FILE.to_owned(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_package_version() {
        assert_eq!(
            package_version("# x\n[package]\nname = \"p\"\nversion = \"0.3.1\"\n").as_deref(),
            Some("0.3.1")
        );
        assert_eq!(package_version("[package]\nname = \"p\"\n"), None);
    }

    #[test]
    fn new_sections_go_on_top_of_earlier_ones() {
        let first = with_section("p", "", "## p 0.1.0\n\nFirst.\n");
        let second = with_section("p", &first, "## p 0.2.0\n\nSecond.\n");
        let sections: Vec<&str> = second.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(sections, ["## p 0.2.0", "## p 0.1.0"]);
        assert_eq!(second.matches("# Changelog").count(), 1);
        assert!(second.ends_with("First.\n"), "{second}");
    }
}
