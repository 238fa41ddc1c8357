//! One test binary for the generator's integration tests: lowering rules on small documents, the
//! real documents, snapshots, determinism, mutated documents and spec-update reports.
//!
//! Each file in `tests/` is a module here rather than a crate of its own: every separate test crate
//! is one more binary linked with all of its dependencies (about 25 MB each here), which cost CI
//! disk space and link time. Run one module with `cargo test -p pipedrive-codegen --test tests
//! <module>::`.

mod all_documents;
mod changes;
mod constraints;
mod constructs;
mod determinism;
mod emitted_package;
mod examples;
mod lowering;
mod mutations;
mod nesting;
mod snapshots;
