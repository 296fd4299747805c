//! # cdr-scenario: scenarios, the runner and transcripts
//!
//! Runs scripted IMAPI2 sessions (scenario files, `docs/scenarios.md`) against any backend of
//! the device contract (`cdr_sim::Backend`), and records what happened as a deterministic
//! transcript. The reference model and the fuzzer are `cdr-model`, the hardware lab is
//! `cdr-lab`, and the command is `cdr-harness`; none of them is needed to embed the runner.
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
//! - [`faults`]: the fault-injection middleware and its rules.
//! - [`durable`]: simulated discs saved to files and inserted again.
//! - [`testing`]: scenario files as `cargo test` test cases in your own crate.
//! - [`recording`]: a middleware that records the calls made through it as a transcript (the
//!   COM server's transcripts).
//! - [`capture`]: a transcript turned into a scenario whose expectations are its answers.

pub mod call;
pub mod capture;
pub mod discid;
pub mod discover;
pub mod document;
pub mod durable;
pub mod faults;
pub mod image;
mod middleware;
pub mod recording;
pub mod runner;
pub mod scenario;
pub mod status;
pub mod testing;
pub mod transcript;

pub use status::Status;
