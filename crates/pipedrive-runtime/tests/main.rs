//! One test binary for the runtime's tests against a loopback HTTP server (wiremock): auth,
//! configuration, dates and times, canned answers decoded as calls decode them, logging, OAuth
//! tokens, pacing, pagination, request encoding, bodies beyond JSON (media types), responses and
//! retries,
//! and against misbehaving servers: size and time limits, page progress, foreign bodies, echoed secrets.
//!
//! Each file in `tests/` is a module here rather than a crate of its own: every separate test crate
//! is one more binary linked with all of its dependencies (about 25 MB each here), which cost CI
//! disk space and link time. Run one module with `cargo test -p pipedrive-runtime --test tests
//! <module>::`.

mod api;
mod auth;
mod common;
mod config;
mod datetime;
mod decode_body;
mod foreign_bodies;
mod limits;
mod logging;
mod media_types;
mod oauth;
mod pacing;
mod page_progress;
mod pagination;
mod redirects;
mod request_encoding;
mod responses;
mod retries;
mod secrets;
