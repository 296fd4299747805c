//! # cdr-sim: the IMAPI2 track-at-once contract and a simulated CD-R
//!
//! **This is not a CD burner.** It is a model of one, exact where Windows applications can
//! observe the difference, so that software which burns audio CDs through IMAPI2 can be tested
//! in CI with no drive. The behavioural reference is `shared/spec/imapi2-tao.md`; section
//! numbers below refer to it.
//!
//! ## Fidelity contract
//!
//! **Modelled**, rule for rule:
//! - The `IDiscFormat2TrackAtOnce` state machine (no recorder, recorder set, prepared, writing)
//!   with every member's HRESULT in the spec's check order (section 2), including the
//!   prepared / not-prepared rules and the mid-write snapshot: FreeSectorsOnMedia,
//!   UsedSectorsOnMedia and TotalSectorsOnMedia report the values from before AddAudioTrack
//!   began until the track closes.
//! - The Update event with every field of `IDiscFormat2TrackAtOnceEventArgs` (section 3):
//!   PREPARING, WRITING with a growing LastWrittenLba, FINISHING, VERIFYING under QUICK
//!   verification; elapsed and remaining seconds from the DLL's estimate, in virtual time.
//!   Handlers may call back into the format object (reads, CancelAddTrack) without deadlock.
//! - The disc (section 4): ATIP lead-in and last possible lead-out (section 5), track layout
//!   with pregaps, run-out and pauses, sessions and their state, lead-out, the 99-track limit,
//!   and what READ DISC/TRACK INFORMATION would report, plus a BLAKE3 digest of each track's
//!   audio.
//! - The recorder (section 8): identity, profiles, features, counted exclusive access shared by
//!   every format object on the drive, tray lock, eject and close.
//!
//! **Not modelled**: the bytes of the lead-in, subcode (Q channel, ISRC, MCN, CD-TEXT), data
//! tracks and the data formats (`IDiscFormat2Data`, erase), disc-at-once and raw writing, the
//! physical process (laser power, jitter, C1/C2 errors), real time (nothing sleeps), and
//! multiple sessions beyond what a disc brings into the tray. Media-change notification is
//! accepted but has no observer. Faults (buffer underruns, pulled discs, busy drives) come from
//! the harness's fault-injection middleware, not from the simulator by itself.
//!
//! **Calibration points**: every behaviour the spec marks **[choice]** is a field of
//! [`profile::Calibration`] in the drive profile, with the spec's default. A hardware-lab
//! comparison that disagrees names the setting that would reconcile it.
//!
//! ## Entropy and time
//! The simulator reads no wall clock and no randomness: time is a virtual clock advanced by the
//! write speed, and synthetic audio is generated from a seed. The same scenario gives the same
//! transcript, byte for byte.
//!
//! ## Modules
//! - [`contract`]: the traits every backend implements (start here).
//! - [`hresult`]: the HRESULT newtype and every code of section 6.
//! - [`profile`]: drive and media profiles, and the calibration settings.
//! - [`msf`]: MSF <-> LBA.
//! - [`source`]: track sources (synthetic PCM, WAV, raw files).
//! - [`sink`]: an observer of written sectors (image export).
//! - [`SimBackend`]: the simulated recorder and disc.

pub mod contract;
pub mod hresult;
pub mod msf;
pub mod profile;
mod sim;
pub mod sink;
pub mod source;

pub use contract::*;
pub use hresult::{HrResult, Hresult, ParseHresultError};
pub use msf::{Msf, ParseMsfError, SECTORS_PER_SECOND, SECTOR_BYTES};
pub use profile::{Calibration, DiscState, DriveProfile, MediaProfile};
pub use sim::{SimBackend, SimFormat, SimRecorder, TaoState};
pub use sink::SectorSink;
