//! The hardware lab: recording scenarios with their full environment, and comparing recorded
//! transcripts with the simulator.
//!
//! - [`record`]: runs scenarios on a station (the simulator, or one real recorder through the
//!   IMAPI2 backend) and writes self-contained transcripts: the environment (drive identity and
//!   firmware, media type, ATIP lead-in and lead-out, OS, tool version, backend) and the
//!   scenario itself. On real hardware it checks the disc before each scenario and asks the
//!   operator for the right one ([`operator`], [`media`], [`station`]), asks before burning,
//!   and draws progress bars ([`progress`]).
//! - [`compare`]: replays a recorded scenario on the simulator configured from the recorded
//!   environment ([`replay`], [`source`]), reports every difference step by step ([`diff`]),
//!   and names the calibration settings that reconcile them ([`calibration`]).
//! - [`differential`]: generated call sequences on a real recorder and the simulator side by
//!   side, with the reference model as the oracle, within a budget of discs; [`fuzz_lab`] is
//!   its command (`cdr-harness fuzz --backend imapi2 --discs N`).
//! - [`environment`]: the operating system, read without a clock.
//!
//! Transcripts stay deterministic: nothing here records the time.

pub mod calibration;
pub mod compare;
pub mod diff;
pub mod differential;
pub mod environment;
pub mod fuzz_lab;
pub mod media;
pub mod operator;
pub mod progress;
pub mod record;
pub mod replay;
pub mod source;
pub mod station;
