//! What `cdr-harness --version` says: the tool's version and the revisions of the two
//! specifications it follows, the IMAPI2 track-at-once behaviour (what every member answers, in
//! which order; summarised for users in `docs/behaviour.md`) and the scenario file format
//! (documented in full in `docs/scenario-format.md`). A revision is the first 12 hex digits of
//! the SHA-256 of the specification's text.

/// `0.1.0 (spec: imapi2-tao 02911df81bfa, scenario-format f0b32b1042d2)`.
pub const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (spec: imapi2-tao 02911df81bfa, scenario-format f0b32b1042d2)");
