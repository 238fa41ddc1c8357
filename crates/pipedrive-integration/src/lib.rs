//! Integration tests, benchmarks and examples of the generated Pipedrive client
//! (`generated/pipedrive`). The tests in `tests/` drive every generated Stages operation (v1 and
//! v2) against a wiremock server on loopback and check what goes over the wire (method, path,
//! query, headers, JSON body) and how responses, errors, retries and pagination come back;
//! `tests/memory.rs` and `benches/client_overhead.rs` measure the client's heap use and
//! per-request overhead; `examples/` holds runnable programs. This library holds what the
//! measurements share: a minimal loopback HTTP server ([`loopback`]), the response bodies it
//! serves ([`bodies`]) and the heap measurement of a paginated stream ([`heap`]).

pub mod bodies;
pub mod heap;
pub mod loopback;
