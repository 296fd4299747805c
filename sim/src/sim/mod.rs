//! The simulated recorder and disc.
//!
//! - `disc` and `layout`: the disc model (sessions, tracks, layout, read-back); no IMAPI2.
//! - `drive` and `features`: the shared device (identity, speeds, exclusive access, tray, the
//!   disc, the virtual clock) and what it reports through GET CONFIGURATION / MODE SENSE.
//! - `master`, `recorder`: `MsftDiscMaster2` and `MsftDiscRecorder2`.
//! - `state`, `format`, `session`, `write`, `toc`, `clock`: `MsftDiscFormat2TrackAtOnce` — its
//!   state machine, properties, session members, write loop and events, table of contents and
//!   virtual time. `digest`: the track digest (BLAKE3, with silence taken as memoised
//!   subtrees).
//! - `fault` and `persist`: what only a simulated device offers (`SimulatedDevice`): device
//!   faults met by the write loop, and the disc as a `DiscSnapshot`.
//! - `backend`: [`SimBackend`], the class factory. `sync`: the lock every object takes.

mod backend;
mod clock;
mod digest;
mod disc;
mod drive;
mod fault;
mod features;
mod format;
mod layout;
mod master;
mod persist;
mod recorder;
mod session;
mod state;
mod sync;
mod toc;
mod write;

pub use backend::SimBackend;
pub use format::SimFormat;
pub use recorder::SimRecorder;
pub use state::TaoState;
