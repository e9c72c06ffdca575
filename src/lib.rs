//! cluewatch finds public-interest-litigation leads in public notices and news on the open web.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! [`crawl`] fetches pages politely → [`extract`] turns a response into fields →
//! [`ingest`] writes each [`document::Document`] to the [`index`], runs the [`rules`] and records
//! [`leads`] in the [`store`] → [`digest`] renders the day's new leads. [`cli`] is the command line;
//! [`demo`] serves a bundled sample site on loopback and runs everything on it.

pub mod cli;
pub mod config;
pub mod crawl;
pub mod demo;
pub mod digest;
pub mod document;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod leads;
pub mod rules;
pub mod store;
