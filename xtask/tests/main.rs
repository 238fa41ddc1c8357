//! One test binary for `cargo xtask codegen` as a user runs it: bad input, the `--check` staleness
//! check, a closed stdout, runs at the same time, spec updates, what the generator refuses to
//! replace, and the whole API compiled.
//!
//! Each file in `tests/` is a module here rather than a crate of its own: every separate test crate
//! is one more binary linked with all of its dependencies (about 25 MB each here), which cost CI
//! disk space and link time. Run one module with `cargo test -p xtask --test tests <module>::`.

mod bad_input;
mod check;
mod closed_stdout;
mod concurrent;
mod full_api;
mod output_safety;
mod spec_update;

use std::path::{Path, PathBuf};

/// The repository root (the parent of `xtask/`), which the modules read `spec/` and fixtures from.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}
