//! Differential fuzzing: generated call sequences run on a backend and on the reference model
//! ([`crate::model`]) side by side; the first disagreement is shrunk and written as a scenario.

mod calls;
pub mod campaign;
pub mod command;
pub mod exec;
pub mod gen;
pub mod machine;
pub mod mutants;
mod outcome;
mod readback;
pub mod scenario;
pub mod stats;
mod sut;

pub use calls::to_call;
pub use exec::{CaseRun, Runner, Trace, TracedStep};
pub use outcome::{describe_hr, At, Disagreement, Kind, Stats};
pub use readback::check_disc;
pub use sut::{Simulator, Sut};

#[cfg(test)]
mod gen_tests;
