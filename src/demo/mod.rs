//! The demo: a bundled sample site ([`site`]) served on loopback by a small HTTP server
//! ([`server`]), which `cluewatch demo` crawls end to end and the integration tests reuse as a
//! fixture server. Owns the sample content and the server; the pipeline itself is the real one.

pub mod server;
pub mod site;
