//! The device contract: IMAPI2's audio-burning interfaces as Rust traits.
//!
//! Every backend implements the same traits, and the harness never knows which one it drives:
//!
//! - **The simulated CD-R** ([`crate::SimBackend`]): a recorder, a disc and a virtual clock in
//!   memory; what CI runs.
//! - **Middleware** (in `cdr-harness`): fault injection and transcript recording wrap any
//!   backend and implement the same traits.
//! - **The IMAPI2 backend** (`cdr-imapi2`): the real COM objects through the `windows` crate,
//!   for hardware-lab runs on Windows.
//!
//! A simulated device also offers what no real drive can ([`SimulatedDevice`], reached through
//! [`Backend::simulated`]): faults in the hardware on demand, and its disc as data.
//!
//! The traits mirror the COM interfaces member for member: [`DiscMaster2`] (`IDiscMaster2`),
//! [`DiscRecorder2`] (`IDiscRecorder2`), [`DiscFormat2TrackAtOnce`] (`IDiscFormat2`,
//! `IDiscFormat2TrackAtOnce` and `IBurnVerification`), the Update event ([`TaoUpdateSink`],
//! [`TaoProgress`]) and the audio input ([`AudioStream`], what IMAPI2 asks of an `IStream`).
//! [`Backend`] is the class factory. Every member returns [`HrResult`](crate::HrResult): the
//! HRESULT is the shared language, and a success code other than S_OK is kept where IMAPI2
//! reports one (SetWriteSpeed; the support checks' S_FALSE, [`SupportAnswer`]). IMAPI2's
//! enumerations and small value types ([`PhysicalMediaType`], [`BurnVerificationLevel`], ...)
//! are re-exported here; the drive and media profiles use them too.
//!
//! # Writing a backend
//! Implement [`Backend`] and the three object traits. Take `&self` everywhere and keep state
//! behind interior mutability; never hold a lock while calling a [`TaoUpdateSink`], because the
//! handler calls back in (to read properties, or to call CancelAddTrack). Return the HRESULT
//! IMAPI2 would return, in the spec's check order.

mod backend;
mod events;
mod format;
mod master;
mod readback;
mod recorder;
mod simulated;
mod stream;

pub use crate::types::{
    BurnVerificationLevel, ParseMediaTypeError, PhysicalMediaType, SupportAnswer, WriteSpeedDescriptor,
};
pub use backend::Backend;
pub use events::{TaoProgress, TaoUpdateSink, TaoWriteAction};
pub use format::DiscFormat2TrackAtOnce;
pub use master::DiscMaster2;
pub use readback::{Atip, DiscReadBack, MediaReadBack, SessionState, TrackReadBack};
pub use recorder::DiscRecorder2;
pub use simulated::{
    DeviceFault, DeviceFaultKind, DeviceFaultOutcome, DiscSnapshot, FiredDeviceFault, SimulatedDevice, SnapshotLayout,
    SnapshotTrack, DEVICE_NOT_CONNECTED,
};
pub use stream::AudioStream;
