//! The COM side of the backend (Windows only): one file per IMAPI2 object, plus COM plumbing.
//!
//! - [`backend`]: `Imapi2Backend`, the class factory, recorder selection, read-back.
//! - [`master`], [`recorder`], [`format`]: the three IMAPI2 objects behind the contract traits.
//! - [`events`]: the Update sink (an `IDispatch` advised on the format's connection point).
//! - [`istream`]: the `IStream` AddAudioTrack reads, over the caller's track source.
//! - [`apartment`]: COM initialisation; [`safearray`]: SAFEARRAY and VARIANT reading.
//!
//! # Why the objects are `Send + Sync`
//! The contract needs `Send + Sync`; `windows` interface pointers are neither, because COM
//! objects in general have apartment affinity. Here every object is created in the MTA, and
//! every member checks that the calling thread is in the MTA before it touches a pointer,
//! refusing STA threads ([`apartment::enter_mta`]). In the MTA an interface pointer may be used
//! from any MTA thread, concurrently (IMAPI2's classes are registered `ThreadingModel=Both` and
//! synchronise internally), and the process's reference on the MTA, taken once and kept, means
//! the MTA outlives every pointer. Under those rules the `unsafe impl Send/Sync` of each object
//! is sound.
//!
//! # Panics do not cross COM
//! The vtables `windows` generates do not catch unwinding, and unwinding through a foreign
//! frame is undefined behaviour. Every entry point of this crate's own COM objects that runs
//! the caller's code (the `IStream` reading the track source, the Update sink calling the
//! handler) catches a panic with [`panics::PanicSlot`], fails the COM call, and the member that
//! IMAPI2 was serving resumes the panic once IMAPI2 has returned.

mod apartment;
mod backend;
#[cfg(test)]
mod double;
mod events;
mod format;
#[cfg(test)]
mod format_tests;
mod istream;
pub(crate) mod loopback;
mod master;
mod panics;
mod readback;
mod recorder;
mod safearray;

pub use backend::Imapi2Backend;
pub use loopback::{ICdrLoopback, ICdrLoopback_Impl, ICdrLoopback_Vtbl};

use cdr_sim::{HrResult, Hresult};
use windows_core::{GUID, HRESULT};

use apartment::enter_mta;

/// See [`crate::undelivered_updates`].
pub(crate) fn undelivered_updates(format: &dyn cdr_sim::DiscFormat2TrackAtOnce) -> Option<u32> {
    let format = format.as_any().downcast_ref::<format::ComFormat>()?;
    Some(format.undelivered_updates.load(std::sync::atomic::Ordering::Relaxed))
}

/// The HRESULT of a `windows` error, unchanged.
pub(crate) fn hr(e: &windows_core::Error) -> Hresult {
    Hresult::from_i32(e.code().0)
}

/// Runs one COM call on an MTA thread, with its failure code unchanged.
pub(crate) fn call<T>(f: impl FnOnce() -> windows_core::Result<T>) -> HrResult<T> {
    enter_mta()?;
    f().map_err(|e| hr(&e))
}

/// A raw vtable return: `Ok(code)` for any success code (S_OK, S_IMAPI_SPEEDADJUSTED, ...),
/// `Err(code)` for a failure.
pub(crate) fn raw(code: HRESULT) -> HrResult<Hresult> {
    Hresult::from_i32(code.0).into_result()
}

/// A GUID from the portable constants of [`crate::codes`].
pub(crate) const fn guid(value: u128) -> GUID {
    GUID::from_u128(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn portable_ids_match_the_windows_metadata() {
        use windows::Win32::Storage::Imapi as imapi;
        use windows_core::Interface;
        assert_eq!(guid(codes::CLSID_MSFT_DISC_MASTER2), imapi::MsftDiscMaster2);
        assert_eq!(guid(codes::CLSID_MSFT_DISC_RECORDER2), imapi::MsftDiscRecorder2);
        assert_eq!(guid(codes::CLSID_MSFT_DISC_FORMAT2_TRACK_AT_ONCE), imapi::MsftDiscFormat2TrackAtOnce);
        assert_eq!(guid(codes::DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS), imapi::DDiscFormat2TrackAtOnceEvents::IID);
        assert_eq!(codes::DISPID_UPDATE as u32, imapi::DISPID_DDISCFORMAT2TAOEVENTS_UPDATE);
    }

    #[test]
    fn portable_codes_match_the_windows_metadata() {
        use windows::Win32::Foundation as f;
        assert_eq!(codes::RPC_E_CHANGED_MODE.as_i32(), f::RPC_E_CHANGED_MODE.0);
        assert_eq!(codes::E_CHANGE_MEDIA_NEEDS_OPERATOR.as_i32(), f::E_NOTIMPL.0);
        assert_eq!(codes::DISP_E_MEMBERNOTFOUND.as_i32(), f::DISP_E_MEMBERNOTFOUND.0);
        assert_eq!(codes::DISP_E_TYPEMISMATCH.as_i32(), f::DISP_E_TYPEMISMATCH.0);
        assert_eq!(codes::DISP_E_OVERFLOW.as_i32(), f::DISP_E_OVERFLOW.0);
        assert_eq!(codes::DISP_E_BADPARAMCOUNT.as_i32(), f::DISP_E_BADPARAMCOUNT.0);
        assert_eq!(codes::STG_E_INVALIDFUNCTION.as_i32(), f::STG_E_INVALIDFUNCTION.0);
        assert_eq!(codes::STG_E_READFAULT.as_i32(), f::STG_E_READFAULT.0);
        assert_eq!(codes::STG_E_REVERTED.as_i32(), f::STG_E_REVERTED.0);
        assert_eq!(codes::E_RECORDER_OF_ANOTHER_BACKEND.as_i32(), f::E_INVALIDARG.0);
        assert_eq!(codes::REGDB_E_CLASSNOTREG.as_i32(), f::REGDB_E_CLASSNOTREG.0);
    }
}
