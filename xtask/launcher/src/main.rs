//! What `cargo xtask` runs: the `xtask` library's command, built in this small workspace of its own.
//!
//! Before running any binary, cargo resolves the whole workspace it belongs to against its
//! `Cargo.lock`. The main workspace's lock holds the client's dependencies (reqwest, rustls, tokio,
//! the test servers: about 250 packages), and resolving them took as long as generating the Stages
//! crate. This workspace holds only the generator's (about 30), so cargo hands over sooner.
//! The code, its tests and its lints all live in `xtask/`; this file only calls it.

fn main() -> std::process::ExitCode {
    xtask::main()
}
