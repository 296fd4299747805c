//! # cdr-harness: scenarios, transcripts and the `cdr-harness` command
//!
//! Runs scripted IMAPI2 sessions (scenario files, `docs/scenarios.md`) against any backend of
//! the device contract (`cdr_sim::Backend`), and records what happened as a deterministic
//! transcript.
//!
//! ## Modules
//! - [`call`]: every IMAPI2 member a scenario can call, its argument and result types, and the
//!   one dispatch that invokes it on the contract.
//! - [`scenario`]: scenario files: parsing, checking, profiles and track sources.
//! - [`runner`]: runs a scenario on a backend (the simulator by default).
//! - [`transcript`]: what happened, serialised to TOML or JSON.
//! - [`discover`]: finding scenario files in directories, and shards.
//! - [`discid`]: the MusicBrainz and FreeDB disc IDs of a table of contents.
//! - [`image`]: the simulated disc as a BIN/CUE image, a text TOC and an SVG picture.
//! - [`model`]: the pure reference model of the spec's rules.
//! - [`fuzz`]: generated call sequences run against a backend and the model side by side.
//! - [`faults`]: the fault-injection middleware and its rules.
//! - [`durable`]: simulated discs saved to files and inserted again.
//! - [`testing`]: scenario files as `cargo test` test cases in your own crate.
//! - [`lab`]: recording on real recorders (or the simulator), and comparing recorded
//!   transcripts with the simulator.

pub mod call;
pub mod discid;
pub mod discover;
pub mod durable;
pub mod faults;
pub mod fuzz;
pub mod image;
pub mod lab;
pub mod model;
pub mod runner;
pub mod scenario;
pub mod testing;
pub mod transcript;
