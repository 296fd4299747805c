//! Differential fuzzing: generated call sequences run on a backend and on the reference model
//! ([`crate`]) side by side; the first disagreement is shrunk and written as a scenario.
//!
//! - [`gen`]: proptest strategies for a case's environment (drive, calibration, discs) and for
//!   the next op given the model's state, which [`ops`] draws directly from the runner's
//!   generator (one draw per call, no strategy tree); [`machine`] makes them
//!   proptest-state-machine's reference machine (and whole sequences from it) and runs the
//!   simulator as its system under test.
//! - [`exec`]: the differential runner. Every call (steps, handler calls from the Update event,
//!   Total/Free/Used probes of a prepared session) is compared with the model's prediction;
//!   the model follows the phases of each AddAudioTrack as its events show them (the writing
//!   flag set after PREPARING, the track's end and refresh before VERIFYING) and a nested
//!   AddAudioTrack from the PREPARING handler writes its own track inside the outer one; events
//!   are checked against spec 3, the disc read back against the model's disc, the layout, the
//!   99-track limit and the BLAKE3 of what was streamed. A case ends as a scenario run ends:
//!   the format objects are dropped and the disc is read back.
//! - [`campaign`]: seeded cases, proptest's shrinking then delta debugging; [`command`] is
//!   `cdr-harness fuzz`, whose statistics say which rules the cases reached; [`repro`] writes a
//!   failure as a scenario file with the model's expectations, which `cdr-harness run` replays.
//! - [`mutants`]: faults injected around the simulator, to show the suite catches them.
//!
//! ## Entropy
//! Everything is drawn from the campaign's seed (proptest's ChaCha generator); only the
//! command draws a seed from the operating system when none is given, and prints it. The same
//! seed gives the same cases, answers, shrinking and report (the fingerprint line digests every
//! answer); only the throughput line, which is timing, differs between runs.

mod calls;
pub mod campaign;
pub mod command;
pub mod exec;
pub mod gen;
pub mod machine;
pub mod mutants;
pub mod ops;
mod outcome;
mod readback;
pub mod repro;
mod rule;
pub mod stats;
mod sut;

pub use exec::{CaseRun, Fired, Runner, Trace, TracedStep};
pub use outcome::{describe_hr, At, Disagreement, Kind, Stats};
pub use readback::check_disc;
pub use rule::{DiscMismatch, EventProblem, Rule, TrackEventsProblem};
pub use sut::{Simulator, Sut};

#[cfg(test)]
mod gen_tests;
#[cfg(test)]
mod replay_tests;
