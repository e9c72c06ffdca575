//! Integration tests: one binary (faster linking, one place to look), driving the real
//! `cluewatch` executable against sites served on 127.0.0.1 by an in-process server.
//!
//! - `support`: temp dirs, the fixture server, running the binary.
//! - `pipeline`: the demo end to end, crawling twice, robots, GBK, leads once, digest content.
//! - `hostile`: a server that misbehaves in every way a crawler meets.
//! - `cli`: import, errors that name file and line, `--json` output.

mod cli;
mod hostile;
mod pipeline;
mod support;
