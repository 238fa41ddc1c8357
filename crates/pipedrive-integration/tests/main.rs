//! One test binary for the generated Stages client against a loopback HTTP server: every operation,
//! pagination, resilience, and the TLS feature.
//!
//! Each file in `tests/` is a module here rather than a crate of its own: every separate test crate
//! is one more binary linked with all of its dependencies (about 25 MB each here), which cost CI
//! disk space and link time. Run one module with `cargo test -p pipedrive-integration --test tests
//! <module>::`.

mod behaviour;
mod common;
mod constraints;
mod errors_and_auth;
mod external_use;
mod features;
mod pagination;
mod publishable;
mod related_objects;
mod resilience;
mod round_trips;
mod stages_v1;
mod stages_v2;
mod testing_your_code;
