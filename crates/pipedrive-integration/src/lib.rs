//! Integration tests, benchmarks and examples of the generated Pipedrive client
//! (`generated/pipedrive`). The tests in `tests/` drive every generated Stages operation (v1 and
//! v2) against a wiremock server on loopback and check what goes over the wire (method, path,
//! query, headers, JSON body) and how responses, errors, retries and pagination come back;
//! `tests/memory.rs` measures the client's heap use, and `benches/round_trip.rs` and
//! `benches/client_overhead.rs` its per-request overhead; `examples/` holds runnable programs.
//! This library holds what the measurements share: a minimal loopback HTTP server
//! ([`loopback`]), the response bodies it serves ([`bodies`]), the requests the overhead is
//! measured on ([`fixture`]), the hand-written calls the client is compared with
//! ([`hand_written`]), interleaved timing ([`paired`]) and the heap measurement of a paginated
//! stream ([`heap`]).

pub mod bodies;
pub mod fixture;
pub mod hand_written;
pub mod heap;
pub mod loopback;
pub mod paired;

/// The README's example of calling the generated client, compiled (not run) by `cargo test` as
/// a doctest of this crate, so the README cannot drift from the crate it describes.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeExample;
