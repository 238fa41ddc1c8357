//! The Pipedrive client generator, as a library: load → lower into IR → emit → write.
//!
//! - [`load`] reads Pipedrive's OpenAPI documents and the config (`spec/codegen.yaml`).
//! - [`lower`] turns the selected operations into the plain-data IR in [`ir`].
//! - [`surface`] records, at the end of lowering, how the crate will show each operation and type
//!   (builder arguments and setters, traits): [`emit`] writes it, [`changes`] compares it.
//! - [`emit`] turns the IR into the files of a Rust crate (formatted with prettyplease).
//! - `markdown` makes the documents' descriptions (HTML and Markdown) safe rustdoc, for both:
//!   lowering stores the converted text in the IR, emitting quotes names and writes doc comments.
//! - [`write`](mod@write) puts those files on disk atomically, or checks that what is on disk is current.
//!
//! Nothing here knows where the repository keeps its files: `xtask` passes the paths in.

pub mod changes;
pub mod config;
pub(crate) mod document;
pub mod emit;
pub mod error;
pub mod ident;
pub mod ir;
pub mod load;
pub mod lower;
pub(crate) mod markdown;
pub mod mismatches;
pub mod release;
pub mod surface;
pub(crate) mod validate;
pub mod write;

pub use config::{Config, TagSelection};
pub use error::{Diagnostic, Error};

use std::path::Path;

use load::LoadedDocument;

/// The config and the documents it names, parsed and checked.
#[derive(Debug)]
pub struct Inputs {
    pub config: Config,
    pub documents: Vec<LoadedDocument>,
    /// The documented examples known to contradict their schema (the config's
    /// `example_mismatches`), which the generated crate's test accepts.
    pub example_mismatches: Vec<mismatches::ExampleMismatch>,
}

/// Reads `config_file` (relative to `spec_dir`) and every document it lists.
pub fn load_inputs(spec_dir: &Path, config_file: &str) -> Result<Inputs, Error> {
    load_inputs_with(spec_dir, config_file, None)
}

/// [`load_inputs`], generating `tags` instead of the config's when given.
pub fn load_inputs_with(spec_dir: &Path, config_file: &str, tags: Option<TagSelection>) -> Result<Inputs, Error> {
    let config_text = load::read_text(&spec_dir.join(config_file), config_file)?;
    load::check_nesting(config_file, &config_text)?;
    let mut config = Config::parse(config_file, &config_text).map_err(Error::input)?;
    if let Some(tags) = tags {
        config.tags = tags;
    }
    let selection = &config.tags;
    // Parsing the YAML is most of a run's time; the documents are independent, so each gets a
    // thread. Results are collected in config order, so the output does not depend on timing.
    let results: Vec<Result<LoadedDocument, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = config
            .documents
            .iter()
            .map(|doc| {
                scope.spawn(move || {
                    load::read_text(&spec_dir.join(&doc.file), &doc.file)
                        .and_then(|text| load::parse_document_for(&doc.api, &doc.file, &text, selection))
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(&config.documents)
            .map(|(handle, doc)| {
                handle.join().unwrap_or_else(|_| {
                    Err(Error::input(Diagnostic::new(
                        &doc.file,
                        "",
                        "the parser thread stopped unexpectedly",
                    )))
                })
            })
            .collect()
    });
    let mut documents = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for loaded in results {
        match loaded {
            Ok(d) => documents.push(d),
            Err(Error::Input(d)) => errors.extend(d),
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    check_operation_total(config_file, &config, &documents)?;
    let example_mismatches = match &config.example_mismatches {
        Some(file) => {
            let text = load::read_text(&spec_dir.join(file), file)?;
            load::check_nesting(file, &text)?;
            mismatches::parse(file, &text).map_err(Error::input)?
        }
        None => Vec::new(),
    };
    Ok(Inputs {
        config,
        documents,
        example_mismatches,
    })
}

/// Refuses a run whose documents together select more than [`load::MAX_OPERATIONS`] operations
/// (each document was held to it on its own while loading).
fn check_operation_total(config_file: &str, config: &Config, documents: &[LoadedDocument]) -> Result<(), Error> {
    let counts: Vec<(&str, usize)> = documents
        .iter()
        .map(|d| (d.file.as_str(), load::selected_operations(&d.raw, &config.tags)))
        .collect();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    if total <= load::MAX_OPERATIONS {
        return Ok(());
    }
    let each: Vec<String> = counts.iter().map(|(file, n)| format!("{n} in {file}")).collect();
    Err(Error::input(
        Diagnostic::new(
            config_file,
            "/tags",
            format!("the selected tags have {total} operations ({})", each.join(", ")),
        )
        .expected(load::too_many_operations()),
    ))
}

/// Everything one run produces, before anything is written.
#[derive(Debug)]
pub struct Generation {
    pub api: ir::Api,
    pub files: Vec<emit::GeneratedFile>,
    pub warnings: Vec<Diagnostic>,
    /// The crate version, changelog and what changed since `previous`.
    pub release: release::Release,
    /// How long each phase took, for the run's report.
    pub phase_times: PhaseTimes,
}

/// Wall time of the phases [`generate`] runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhaseTimes {
    /// Lowering into the IR, and comparing it with the previous generation.
    pub lower: std::time::Duration,
    /// Emitting token streams and release files.
    pub emit: std::time::Duration,
    /// Formatting them into source text.
    pub format: std::time::Duration,
}

/// Lowers, decides the release against the previous generation (if any), emits and formats.
/// `spec.version` is replaced by the release's version. Nothing is written: pass `files` to
/// [`write::write_tree`].
pub fn generate(
    inputs: &Inputs,
    spec: &emit::CrateSpec,
    previous: Option<&release::History>,
) -> Result<Generation, Error> {
    let started = std::time::Instant::now();
    // Types keep their names from one generation to the next, unless the naming rules changed
    // since the previous one: this generation renames once, and the changelog lists the renames.
    let keep = previous.filter(|h| h.generator_revision >= changes::NAMING_RULES_REVISION);
    let naming = lower::Naming {
        previous: keep.map(|h| &h.api),
        given: &inputs.config.names,
        config_file: &inputs.config.file,
    };
    let lowered = lower::lower_with(&inputs.documents, &inputs.config.tags, &naming)?;
    let table = inputs.config.example_mismatches.as_deref();
    let known = mismatches::select(
        &inputs.example_mismatches,
        table.unwrap_or_default(),
        &lowered.api,
        &inputs.config.tags,
    )?;
    let release = release::plan_release(&spec.name, previous, &lowered.api)?;
    let lowered_at = std::time::Instant::now();
    let spec = emit::CrateSpec {
        version: release.version.clone(),
        ..spec.clone()
    };
    let mut emitted = emit::emit_files(&lowered.api, &spec);
    emitted.extend(emit::examples::emit_examples(&lowered.api, &spec.name, &known, table));
    emitted.extend(release::release_files(&lowered.api, &release)?);
    let emitted_at = std::time::Instant::now();
    let files = emit::format_files(emitted)?;
    let phase_times = PhaseTimes {
        lower: lowered_at - started,
        emit: emitted_at - lowered_at,
        format: emitted_at.elapsed(),
    };
    Ok(Generation {
        api: lowered.api,
        files,
        warnings: lowered.warnings,
        release,
        phase_times,
    })
}
