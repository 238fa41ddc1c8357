//! `cargo xtask codegen`: spec/ → generator → generated/, and the staleness check.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use pipedrive_codegen::emit::CrateSpec;
use pipedrive_codegen::release::{CHANGELOG_FILE, IR_FILE, Release, read_history};
use pipedrive_codegen::write::{
    Overwrite, check_output_location, diff_tree, ensure_generated, recover_interrupted_writes, write_tree_with,
};
use pipedrive_codegen::{Error, Generation, Inputs, TagSelection};

/// Write the output, or only check it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Write,
    Check,
}

/// What `cargo xtask codegen` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub mode: Mode,
    /// Instead of `spec/`.
    pub spec_dir: Option<PathBuf>,
    /// Instead of `generated/`.
    pub out_dir: Option<PathBuf>,
    /// Instead of the config's tags: `all` or `A,B`.
    pub tags: Option<String>,
    /// Whether to replace an output folder that holds files the generator did not write.
    pub overwrite: Overwrite,
    /// The test fixtures' crates ([`FIXTURES`]) instead of `spec/` → `generated/`.
    pub fixtures: bool,
}

/// The documents under `xtask/tests/fixtures/` whose crates are checked in under
/// [`FIXTURES_OUT_DIR`], workspace members like `generated/pipedrive`: the workspace's clippy, test
/// and doc steps build them with the dependencies they share, and xtask's tests check they are
/// current. `awkward` holds names and shapes that once gave code that did not compile;
/// `behaviour` the constructs Pipedrive's documents lack, run by the integration crate's tests.
pub const FIXTURES: [&str; 2] = ["awkward", "behaviour"];

/// Where the fixtures' crates are written, relative to the repository root.
pub const FIXTURES_OUT_DIR: &str = "xtask/tests/generated";

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Where everything lives.
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec_dir: PathBuf,
    pub config_file: String,
    pub generated_dir: PathBuf,
    pub runtime_dir: PathBuf,
    /// The repository root: a crate written inside it names the runtime by a relative path, so a
    /// checked-in crate works from any clone.
    pub root: PathBuf,
    pub tags: Option<TagSelection>,
}

impl Layout {
    pub fn of(root: &Path) -> Self {
        Layout {
            spec_dir: root.join("spec"),
            config_file: "codegen.yaml".into(),
            generated_dir: root.join("generated"),
            runtime_dir: root.join("crates/pipedrive-runtime"),
            root: root.to_path_buf(),
            tags: None,
        }
    }

    pub fn with_options(root: &Path, options: &Options) -> Self {
        let mut layout = Layout::of(root);
        if let Some(dir) = &options.spec_dir {
            layout.spec_dir = dir.clone();
        }
        if let Some(dir) = &options.out_dir {
            layout.generated_dir = dir.clone();
        }
        layout.tags = options.tags.as_deref().map(|t| match t {
            "all" => TagSelection::All,
            list => TagSelection::Only(
                list.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
        });
        layout
    }
}

/// The result of generating into memory: the files and where they go.
pub struct Prepared {
    pub generation: Generation,
    pub crate_dir: PathBuf,
    pub timings: Timings,
    /// What was put right after an interrupted earlier run, for the user.
    pub recovered: Vec<String>,
    /// Held, never read, until the files are written (or checked) and this is dropped; see `lock`.
    pub _lock: Option<crate::lock::OutputLock>,
}

/// Wall time of each phase, printed after a run so a slow phase is visible.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub parse: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
    pub write: Duration,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "parse {:.0} ms, lower {:.0} ms, emit {:.0} ms, format {:.0} ms, write {:.0} ms",
            ms(self.parse),
            ms(self.lower),
            ms(self.emit),
            ms(self.format),
            ms(self.write)
        )
    }
}

/// Loads, lowers and emits; in [`Mode::Write`] also takes the output's lock (see `lock`) and
/// undoes what an interrupted earlier write left behind (see [`recover_interrupted_writes`]).
/// Writes no generated file.
///
/// Generating takes no lock: it writes nothing, so a run refused for bad input, or for a crate
/// folder holding files the generator did not write, leaves nothing behind, not even a lock file.
/// Once a writing run holds the lock, no other run changes the crate until this one has written
/// it; if one did so after this run read the previous generation (or left it moved aside), it
/// generates again from what is there now.
pub fn prepare(layout: &Layout, mode: Mode, overwrite: Overwrite) -> Result<Prepared, Error> {
    let started = Instant::now();
    let inputs = pipedrive_codegen::load_inputs_with(&layout.spec_dir, &layout.config_file, layout.tags.clone())?;
    let parse = started.elapsed();
    let spec = crate_spec(layout, &inputs.config)?;
    let crate_dir = layout.generated_dir.join(&spec.name);
    // A check creates nothing: it waits for a writing run only if one ever made the lock file.
    let check_lock = match mode {
        Mode::Check => crate::lock::for_checking(&crate_dir)?,
        Mode::Write => {
            // Refused here, before generating, when the crate folder holds files the generator
            // did not write. Without the lock another run may be swapping the folder, so a file
            // that vanishes is not an error here; writing checks again, under the lock.
            if let Err(refused @ Error::Refused { .. }) = ensure_generated(&crate_dir, overwrite) {
                return Err(refused);
            }
            None
        }
    };
    let seen = PreviousFiles::read(&crate_dir);
    let generated = generate_against(&inputs, &spec, &crate_dir);
    let (generation, lock, recovered) = match mode {
        Mode::Check => (generated?, check_lock, Vec::new()),
        Mode::Write => {
            // Only reading the previous generation can fail with an I/O error here, and without
            // the lock that may be another run's swap: then generate again under the lock.
            let generated = match generated {
                Ok(generation) => Some(generation),
                Err(Error::Io { .. }) => None,
                Err(other) => return Err(other),
            };
            let lock = crate::lock::for_writing(&crate_dir)?;
            let recovered = recover_interrupted_writes(&crate_dir)?;
            let generation = match generated {
                Some(generation) if PreviousFiles::read(&crate_dir) == seen => generation,
                _ => generate_against(&inputs, &spec, &crate_dir)?,
            };
            (generation, Some(lock), recovered)
        }
    };
    drop_in_background(inputs);
    let timings = Timings {
        parse,
        lower: generation.phase_times.lower,
        emit: generation.phase_times.emit,
        format: generation.phase_times.format,
        write: Duration::ZERO,
    };
    Ok(Prepared {
        generation,
        crate_dir,
        timings,
        recovered,
        _lock: lock,
    })
}

/// What the generated crate is called and how it finds the runtime.
fn crate_spec(layout: &Layout, config: &pipedrive_codegen::config::Config) -> Result<CrateSpec, Error> {
    let crate_name = &config.crate_name;
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let crate_dir = absolute(&layout.generated_dir.join(crate_name));
    let runtime_dir = absolute(&layout.runtime_dir);
    let runtime_path = relative_inside(&absolute(&layout.root), &crate_dir, &runtime_dir)
        .unwrap_or_else(|| runtime_dir.display().to_string());
    Ok(CrateSpec {
        name: crate_name.to_owned(),
        version: "0.1.0".into(),
        runtime_path,
        runtime_version: runtime_version(&layout.runtime_dir)?,
        publish: config.publish,
    })
}

/// `to` as a path from `from` (`../../crates/pipedrive-runtime`), with `/` on every platform so the
/// manifest is the same on every checkout; `None` unless both lie inside `root` and `from` is
/// named without `..` (then an absolute path is all that is sure to work).
fn relative_inside(root: &Path, from: &Path, to: &Path) -> Option<String> {
    let from = from.strip_prefix(root).ok()?;
    let to = to.strip_prefix(root).ok()?;
    fn names(path: &Path) -> Option<Vec<&str>> {
        path.components()
            .map(|c| match c {
                std::path::Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect()
    }
    let (from, to) = (names(from)?, names(to)?);
    let up = std::iter::repeat_n("..", from.len());
    Some(up.chain(to).collect::<Vec<&str>>().join("/"))
}

/// Generates against the previous generation in `crate_dir`: the same call the library's tests
/// make, so they test what this command runs.
fn generate_against(inputs: &Inputs, spec: &CrateSpec, crate_dir: &Path) -> Result<Generation, Error> {
    let previous = read_history(crate_dir)?;
    pipedrive_codegen::generate(inputs, spec, previous.as_ref())
}

/// The files the previous generation is read from, as they were at one moment: if they differ
/// later, another run wrote the crate in between.
#[derive(PartialEq, Eq)]
struct PreviousFiles(Vec<Option<Vec<u8>>>);

impl PreviousFiles {
    fn read(crate_dir: &Path) -> Self {
        PreviousFiles(
            [IR_FILE, CHANGELOG_FILE, "Cargo.toml"]
                .iter()
                .map(|file| std::fs::read(crate_dir.join(file)).ok())
                .collect(),
        )
    }
}

/// Frees `value` on a thread of its own. The parsed documents are trees of a few hundred thousand
/// allocations: freeing them took 17 to 27 ms of a 170 ms Stages run, after everything that
/// needed them was done. On its own thread that overlaps writing and the report, and if the
/// process exits first the operating system takes the memory back at once. Without a thread to
/// spare it is freed here.
fn drop_in_background<T: Send + 'static>(value: T) {
    // On failure `spawn` drops the closure, and `value` with it, right here.
    let _ = std::thread::Builder::new()
        .name("free-documents".to_owned())
        .spawn(move || drop(value));
}

/// The runtime crate's version, read from its manifest so the two never disagree: the generated
/// crate depends on exactly the runtime published with it. A manifest that cannot be read, or
/// names no version, stops the run: a guessed version would publish a crate that depends on a
/// runtime that may not exist.
fn runtime_version(runtime_dir: &Path) -> Result<String, Error> {
    let manifest = runtime_dir.join("Cargo.toml");
    let io = |source: std::io::Error| Error::Io {
        path: manifest.display().to_string(),
        action: "read the runtime's version from",
        source,
    };
    let toml = std::fs::read_to_string(&manifest).map_err(io)?;
    toml.lines()
        .find_map(|l| {
            l.strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "found no `version = \"...\"` line; expected the package's version, as `cargo package` needs it",
            ))
        })
}

/// Runs one generation, or with `--fixtures` one per fixture (all of them, even after a failure,
/// so one run names every stale crate).
pub fn run(options: &Options) -> ExitCode {
    if !options.fixtures {
        return run_one(options);
    }
    let root = project_root();
    let mut failed = false;
    for name in FIXTURES {
        let fixture = Options {
            spec_dir: Some(root.join("xtask/tests/fixtures").join(name)),
            out_dir: Some(root.join(FIXTURES_OUT_DIR)),
            ..options.clone()
        };
        failed |= run_one(&fixture) != ExitCode::SUCCESS;
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn run_one(options: &Options) -> ExitCode {
    let mode = options.mode;
    let started = Instant::now();
    let root = project_root();
    let layout = Layout::with_options(&root, options);
    let prepared = match check_output_location(&layout.spec_dir, &layout.generated_dir)
        .and_then(|()| prepare(&layout, mode, options.overwrite))
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}\n\nnothing was written; the output folder is unchanged.");
            return ExitCode::FAILURE;
        }
    };
    for note in &prepared.recovered {
        eprintln!("note: {note}");
    }
    for warning in &prepared.generation.warnings {
        eprintln!("warning: {warning}");
    }
    let shown_dir = prepared
        .crate_dir
        .strip_prefix(&root)
        .unwrap_or(&prepared.crate_dir)
        .display()
        .to_string();
    let write_started = Instant::now();
    let result = match mode {
        Mode::Write => write_tree_with(&prepared.crate_dir, &prepared.generation.files, options.overwrite),
        Mode::Check => diff_tree(&prepared.crate_dir, &prepared.generation.files),
    };
    let diff = match result {
        Ok(d) => d,
        Err(e) => {
            // Writing is all or nothing (`write`): a refusal or a failure leaves the folder as it was.
            eprintln!("error: {e}\n\nnothing was written; the output folder is unchanged.");
            return ExitCode::FAILURE;
        }
    };
    let api = &prepared.generation.api;
    let elapsed = started.elapsed();
    let timings = Timings {
        write: write_started.elapsed(),
        ..prepared.timings
    };
    match mode {
        Mode::Check if !diff.is_clean() => {
            let command = if options.fixtures {
                "cargo xtask codegen --fixtures"
            } else {
                "cargo xtask codegen"
            };
            eprintln!("{shown_dir} is stale; run `{command}` and commit the result:");
            for path in diff.stale_paths() {
                eprintln!("  {shown_dir}/{path}");
            }
            ExitCode::FAILURE
        }
        Mode::Check => {
            print_report(&format!(
                "{shown_dir} is up to date ({} files, {:.2} s: {timings})\n",
                prepared.generation.files.len(),
                elapsed.as_secs_f64()
            ));
            ExitCode::SUCCESS
        }
        Mode::Write => {
            let mut report = String::new();
            let _ = writeln!(
                report,
                "generated {shown_dir}: {} operations, {} types, {} files ({} added, {} changed, {} removed, {} unchanged) in {:.2} s",
                api.operations.len(),
                api.types.len(),
                prepared.generation.files.len(),
                diff.added.len(),
                diff.changed.len(),
                diff.removed.len(),
                diff.unchanged,
                elapsed.as_secs_f64()
            );
            let _ = writeln!(report, "  {timings}");
            for path in diff.stale_paths() {
                let _ = writeln!(report, "  {path}");
            }
            report_release(&mut report, &prepared.generation.release);
            print_report(&report);
            ExitCode::SUCCESS
        }
    }
}

/// Says what the spec update changed in API terms, next to the file list.
fn report_release(report: &mut String, release: &Release) {
    if release.first {
        let _ = writeln!(
            report,
            "first generation: version {}; CHANGELOG.md and api.json started",
            release.version
        );
    } else if let Some(severity) = release.changes.severity() {
        let _ = writeln!(
            report,
            "\nAPI changes ({} change{}, semver {severity}): version is now {}; see CHANGELOG.md",
            release.changes.changes().len(),
            if release.changes.changes().len() == 1 { "" } else { "s" },
            release.version
        );
        for change in release.changes.changes() {
            let _ = writeln!(report, "  [{}] {}", change.severity, change.message);
        }
    }
}

/// Prints the report on stdout. By then the files are written, so a reader that went away
/// (`cargo xtask codegen | head`) is not a failure: `println!` would panic on the closed pipe.
fn print_report(report: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout.write_all(report.as_bytes()).and_then(|()| stdout.flush())
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("warning: could not print the report: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when generated/ is not what spec/ produces, like `cargo xtask codegen --check`.
    #[test]
    fn generated_code_is_up_to_date() -> Result<(), Error> {
        let prepared = prepare(&Layout::of(&project_root()), Mode::Check, Overwrite::GeneratedOnly)?;
        let diff = diff_tree(&prepared.crate_dir, &prepared.generation.files)?;
        assert!(
            diff.is_clean(),
            "generated/ is stale; run `cargo xtask codegen` and commit the result. Stale files: {:?}",
            diff.stale_paths()
        );
        Ok(())
    }

    /// A crate written inside the repository names the runtime relative to itself, so it builds
    /// from any clone; one written elsewhere gets no relative path (the caller uses an absolute one).
    #[test]
    fn the_runtime_is_named_relative_to_a_crate_inside_the_repository() {
        let root = Path::new("/repo");
        let runtime = root.join("crates/pipedrive-runtime");
        let relative = |crate_dir: &str| relative_inside(root, Path::new(crate_dir), &runtime);
        assert_eq!(
            relative("/repo/generated/pipedrive").as_deref(),
            Some("../../crates/pipedrive-runtime")
        );
        assert_eq!(
            relative("/repo/xtask/tests/generated/pipedrive-awkward").as_deref(),
            Some("../../../../crates/pipedrive-runtime")
        );
        assert_eq!(relative("/tmp/out/pipedrive"), None);
        assert_eq!(relative("/repo/generated/../pipedrive"), None);
    }
}
