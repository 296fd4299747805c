//! # cdr-imapi2: the device contract over the real IMAPI2 COM objects
//!
//! [`Imapi2Backend`] implements [`cdr_sim::Backend`] with `MsftDiscMaster2`,
//! `MsftDiscRecorder2` and `MsftDiscFormat2TrackAtOnce`, so that the scenarios the simulator
//! runs in CI can run on a real recorder in a hardware lab, and the two can be compared. It
//! builds everywhere; only on Windows can it be opened: elsewhere [`Imapi2Backend::open`]
//! fails with [`Imapi2Error::NeedsWindows`].
//!
//! ```no_run
//! use cdr_imapi2::{Imapi2Backend, RecorderSelector};
//! use cdr_sim::Backend;
//! let backend = Imapi2Backend::open()?;
//! let recorder = backend.select_recorder(&"E:".parse::<RecorderSelector>()?)?;
//! let format = backend.create_format().map_err(|hr| cdr_imapi2::Imapi2Error::com("create format", hr))?;
//! format.set_recorder(Some(recorder)).map_err(|hr| cdr_imapi2::Imapi2Error::com("put_Recorder", hr))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Fidelity: this is the real thing, with these seams
//!
//! **Passed through unchanged**: every member of `IDiscMaster2`, `IDiscRecorder2`,
//! `IDiscFormat2`, `IDiscFormat2TrackAtOnce` and `IBurnVerification`, with its HRESULT as
//! IMAPI2 returns it, success codes included (`SetWriteSpeed` reports `S_IMAPI_SPEEDADJUSTED`
//! and its siblings; the `windows` crate's wrappers would turn them into `Ok(())`, so those
//! members call the vtable directly). The Update events, decoded field for field (see
//! [`progress`]); the sink may call back into the format object, CancelAddTrack included.
//!
//! **Added by this crate**: the `IStream` that AddAudioTrack reads is served from the
//! [`AudioStream`](cdr_sim::AudioStream) a buffer at a time (see [`stream`]); values IMAPI2
//! returns that the contract cannot represent fail with `DISP_E_TYPEMISMATCH` or
//! `DISP_E_OVERFLOW` (see [`convert`]); a recorder object from another backend is
//! `E_INVALIDARG`, as in the simulator ([`codes::E_RECORDER_OF_ANOTHER_BACKEND`]). A panic in
//! the caller's track source or Update handler does not unwind into COM: the COM call fails
//! (`E_UNEXPECTED` to IMAPI2), and the panic resumes in the caller when the member that IMAPI2
//! was serving (AddAudioTrack, for instance) returns.
//!
//! **Different from the simulator by nature**:
//! - `read_back` asks the drive (READ DISC INFORMATION, READ TRACK INFORMATION, READ TOC and
//!   ATIP through `IDiscRecorder2Ex`); track digests are `None`, because reading audio back is
//!   neither cheap nor sample-exact on every drive (see [`readback`]).
//! - `change_media` cannot put a disc in a tray: it returns
//!   [`E_CHANGE_MEDIA_NEEDS_OPERATOR`](codes::E_CHANGE_MEDIA_NEEDS_OPERATOR) (`E_NOTIMPL`), and
//!   the record workflow asks the operator to change the disc instead.
//! - Time is real: a track takes as long to burn as the drive needs.
//!
//! ## Threads and COM
//! The backend lives in the multithreaded apartment (MTA). The first call takes one reference
//! on the MTA for the whole process (`CoIncrementMTAUsage`), so every thread that has not
//! initialised COM itself is in the implicit MTA and nothing ever calls `CoUninitialize`. A
//! thread that is a single-threaded apartment is refused: opening the backend there fails with
//! [`Imapi2Error::SingleThreadedApartment`], members answer `RPC_E_CHANGED_MODE`. IMAPI2's
//! objects are free-threaded in the MTA, which is what makes the contract's `Send + Sync` true
//! for them. A machine without IMAPI2 (or Wine) fails to open with
//! [`Imapi2Error::NotInstalled`].
//!
//! ## Modules
//! Portable, and tested on every platform:
//! - [`selector`]: `--recorder 0 | E: | \\?\...`.
//! - [`convert`]: VARIANT, VARIANT_BOOL and SAFEARRAY values to Rust values.
//! - [`progress`]: the Update event's arguments to [`cdr_sim::TaoProgress`].
//! - [`stream`]: the forward-only cursor behind the `IStream`.
//! - [`mmc`] and [`readback`]: the MMC commands of `read_back` and their responses.
//! - [`codes`]: HRESULTs, DISPIDs and CLSIDs.
//! - [`loopback`]: the requests this backend sends to the simulator's own COM server.
//!
//! Windows only: the COM objects themselves (module `com`).

pub mod codes;
pub mod convert;
mod error;
pub mod loopback;
pub mod mmc;
pub mod progress;
pub mod readback;
pub mod selector;
pub mod stream;
#[cfg(test)]
mod test_sources;

#[cfg(windows)]
mod com;
#[cfg(not(windows))]
mod unsupported;

#[cfg(windows)]
pub use com::{ICdrLoopback, ICdrLoopback_Impl, ICdrLoopback_Vtbl, Imapi2Backend};
pub use error::{Imapi2Error, ParseSelectorError};
pub use selector::{RecorderInfo, RecorderSelector};
#[cfg(not(windows))]
pub use unsupported::Imapi2Backend;

/// Update events that a format object of this backend received from IMAPI2 but could not pass
/// to its sinks, because reading the progress object failed (each such `Invoke` returned the
/// failure to IMAPI2). A recording reports a non-zero count next to its event list. `None` for
/// a format object of another backend.
pub fn undelivered_updates(format: &dyn cdr_sim::DiscFormat2TrackAtOnce) -> Option<u32> {
    #[cfg(windows)]
    return com::undelivered_updates(format);
    #[cfg(not(windows))]
    {
        let _ = format;
        None
    }
}
