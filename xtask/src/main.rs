//! `cargo xtask`: the repository's automation, in Rust so it runs wherever cargo does.
//!
//! `cargo xtask codegen` reads `spec/` (the config and Pipedrive's documents), generates the client
//! crate and writes it to `generated/<crate>/`; `--check` writes nothing and fails, naming the stale
//! files, when `generated/` is not what the spec produces. The paths live here, not in the generator.
//!
//! The alias in `.cargo/config.toml` is the cargo-xtask convention (`run --package xtask --`), so
//! it works from any folder of the repository; the tests in `tests/` run this binary.

mod codegen;
mod lock;

use std::path::PathBuf;
use std::process::ExitCode;

use codegen::{Mode, Options};
use pipedrive_codegen::write::Overwrite;

/// Parsing the YAML documents, most of a run, allocates and frees a few hundred thousand small
/// values; mimalloc does that faster than the system allocator (Stages runs 0.80×, the whole API
/// 0.89×; BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--spec-dir DIR] [--out-dir DIR] [--tags all|TAG,TAG] [--force]
       cargo xtask codegen --fixtures [--check]

  codegen            generate generated/<crate>/ from spec/codegen.yaml and the documents it lists
  --check            do not write; fail, naming the stale files, if the output is not current
  --spec-dir DIR     read codegen.yaml and the documents from DIR instead of spec/
  --out-dir DIR      write <DIR>/<crate>/ instead of generated/<crate>/
  --tags all|A,B     generate these tags instead of the config's (e.g. `all` for the whole API)
  --force            replace <DIR>/<crate>/ even if it holds files the generator did not write
  --fixtures         generate the test fixtures' crates (xtask/tests/fixtures/<name>/ into
                     xtask/tests/generated/<crate>/) instead; run it after changing the generator";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut args = args.iter();
    if args.next().map(String::as_str) != Some("codegen") {
        return Err("the only command is `codegen`".into());
    }
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--check" => options.mode = Mode::Check,
            "--spec-dir" => options.spec_dir = Some(PathBuf::from(value("--spec-dir")?)),
            "--out-dir" => options.out_dir = Some(PathBuf::from(value("--out-dir")?)),
            "--tags" => options.tags = Some(value("--tags")?),
            "--force" => options.overwrite = Overwrite::Force,
            "--fixtures" => options.fixtures = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.fixtures && (options.spec_dir.is_some() || options.out_dir.is_some() || options.tags.is_some()) {
        return Err("`--fixtures` reads and writes fixed folders: leave out --spec-dir, --out-dir and --tags".into());
    }
    Ok(options)
}

/// The whole command: reads the process's arguments, runs, and says how it went.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || matches!(args.first().map(String::as_str), Some("help" | "--help" | "-h")) {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match parse(&args) {
        Ok(options) => codegen::run(&options),
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
