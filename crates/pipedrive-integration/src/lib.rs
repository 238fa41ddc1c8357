//! Integration tests and examples of the generated Pipedrive client (`generated/pipedrive`). The tests
//! in `tests/` drive every generated Stages operation (v1 and v2) against a wiremock server on
//! loopback and check what goes over the wire (method, path, query, headers, JSON body) and how
//! responses, errors, retries and pagination come back; `examples/` holds runnable programs that
//! use the client against the real API. This library itself is empty.
