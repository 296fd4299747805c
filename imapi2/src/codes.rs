//! HRESULTs this backend returns or recognises beyond the spec's table (spec section 6), and the
//! COM identifiers it uses, as plain constants so that Linux tests can check them.
//!
//! The codes are [`Hresult`]s like every other: a transcript shows them as hex (they are not in
//! the spec's table) and the harness can match them by value.

use cdr_sim::Hresult;

/// `E_NOTIMPL`: what [`Backend::change_media`](cdr_sim::Backend::change_media) returns on real
/// hardware. A program cannot put a disc in a tray; the record workflow asks the operator instead.
pub const E_CHANGE_MEDIA_NEEDS_OPERATOR: Hresult = Hresult::E_NOTIMPL;

/// `RPC_E_CHANGED_MODE`: `CoInitializeEx(COINIT_MULTITHREADED)` on a thread that is already a
/// single-threaded apartment. The backend refuses to run on such a thread (see `com::apartment`).
pub const RPC_E_CHANGED_MODE: Hresult = Hresult(0x8001_0106);

/// `S_FALSE` from `CoInitializeEx`: COM was already initialised as MTA on this thread.
pub const S_FALSE: Hresult = Hresult::S_FALSE;

/// `S_IMAPI_COMMAND_HAS_SENSE_DATA`: a *success* code of `IDiscRecorder2Ex::SendCommand*` saying
/// the device answered CHECK CONDITION and the sense buffer holds why.
pub const S_IMAPI_COMMAND_HAS_SENSE_DATA: Hresult = Hresult(0x00AA_0200);

/// `DISP_E_MEMBERNOTFOUND`: an event sink's answer to a DISPID it does not handle.
pub const DISP_E_MEMBERNOTFOUND: Hresult = Hresult(0x8002_0003);

/// `DISP_E_TYPEMISMATCH`: a value of IMAPI2 had a VARIANT type the backend cannot convert.
pub const DISP_E_TYPEMISMATCH: Hresult = Hresult(0x8002_0005);

/// `DISP_E_OVERFLOW`: a value of IMAPI2 lies outside the range the contract can represent (a
/// media type or verification level number that is not in the enum, a byte above 255).
pub const DISP_E_OVERFLOW: Hresult = Hresult(0x8002_000A);

/// `DISP_E_BADPARAMCOUNT`: an Update event without its two arguments.
pub const DISP_E_BADPARAMCOUNT: Hresult = Hresult(0x8002_000E);

/// `STG_E_INVALIDFUNCTION`: the track stream cannot seek backwards (it is read once, in order).
pub const STG_E_INVALIDFUNCTION: Hresult = Hresult(0x8003_0001);

/// `STG_E_READFAULT`: the track source failed to read.
pub const STG_E_READFAULT: Hresult = Hresult(0x8003_001E);

/// `STG_E_REVERTED`: the track stream was used after AddAudioTrack returned (its source is gone).
pub const STG_E_REVERTED: Hresult = Hresult(0x8003_0102);

/// `E_INVALIDARG`: a recorder object of another backend (a simulated recorder) was passed to
/// this one: to `put_Recorder`, `IsRecorderSupported`, `IsCurrentMediaSupported` or
/// `read_back`. The simulator answers a recorder that is not its own with the same code, so a
/// transcript shows one code whichever backend ran it. (Real IMAPI2 never sees such an object:
/// the backend refuses it before any COM call.)
pub const E_RECORDER_OF_ANOTHER_BACKEND: Hresult = Hresult::E_INVALIDARG;

/// `REGDB_E_CLASSNOTREG`: `CoCreateInstance` of a class that is not registered; for
/// `MsftDiscMaster2`, a machine without IMAPI2 (see [`Imapi2Error::NotInstalled`](crate::Imapi2Error::NotInstalled)).
pub const REGDB_E_CLASSNOTREG: Hresult = Hresult(0x8004_0154);

/// `DISPID_DDISCFORMAT2TAOEVENTS_UPDATE`: the DISPID of `Update(object, progress)`.
pub const DISPID_UPDATE: i32 = 512;

/// `CLSID_MsftDiscMaster2` {2735412E-7F64-5B0F-8F00-5D77AFBE261E}.
pub const CLSID_MSFT_DISC_MASTER2: u128 = 0x2735412e_7f64_5b0f_8f00_5d77afbe261e;
/// `CLSID_MsftDiscRecorder2` {2735412D-7F64-5B0F-8F00-5D77AFBE261E}.
pub const CLSID_MSFT_DISC_RECORDER2: u128 = 0x2735412d_7f64_5b0f_8f00_5d77afbe261e;
/// `CLSID_MsftDiscFormat2TrackAtOnce` {27354129-7F64-5B0F-8F00-5D77AFBE261E} (spec section 7).
pub const CLSID_MSFT_DISC_FORMAT2_TRACK_AT_ONCE: u128 = 0x27354129_7f64_5b0f_8f00_5d77afbe261e;
/// `DIID_DDiscFormat2TrackAtOnceEvents` {2735413F-7F64-5B0F-8F00-5D77AFBE261E}: the connection
/// point the Update sink is advised on.
pub const DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS: u128 = 0x2735413f_7f64_5b0f_8f00_5d77afbe261e;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_from_the_spec_table() {
        for hr in [
            RPC_E_CHANGED_MODE,
            S_IMAPI_COMMAND_HAS_SENSE_DATA,
            DISP_E_MEMBERNOTFOUND,
            DISP_E_TYPEMISMATCH,
            DISP_E_OVERFLOW,
            DISP_E_BADPARAMCOUNT,
            STG_E_INVALIDFUNCTION,
            STG_E_READFAULT,
            STG_E_REVERTED,
            REGDB_E_CLASSNOTREG,
        ] {
            assert_eq!(hr.symbol(), None, "{hr} is already in the spec's table");
        }
        assert!(E_CHANGE_MEDIA_NEEDS_OPERATOR.is_failure());
        assert_eq!(E_CHANGE_MEDIA_NEEDS_OPERATOR.symbol(), Some("E_NOTIMPL"));
        assert!(S_IMAPI_COMMAND_HAS_SENSE_DATA.is_success(), "SendCommand reports sense data as success");
    }

    #[test]
    fn imapi2_clsids_share_the_family_suffix() {
        // Every IMAPI2 class and interface id ends in -7F64-5B0F-8F00-5D77AFBE261E.
        for id in [
            CLSID_MSFT_DISC_MASTER2,
            CLSID_MSFT_DISC_RECORDER2,
            CLSID_MSFT_DISC_FORMAT2_TRACK_AT_ONCE,
            DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS,
        ] {
            assert_eq!(id & 0xFFFF_FFFF_FFFF_FFFF_FFFF_FFFF, 0x7f64_5b0f_8f00_5d77_afbe_261e);
            assert_eq!(id >> 112, 0x2735);
        }
    }
}
