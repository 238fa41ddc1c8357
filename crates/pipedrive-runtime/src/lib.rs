//! Runtime for the generated Pipedrive client (being written).
