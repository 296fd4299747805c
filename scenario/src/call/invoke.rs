//! The one dispatch from a [`Call`] and its arguments to the contract: used by the runner's
//! steps, by `during` calls inside the Update handler, and by the fuzzer.

use std::sync::Arc;

use cdr_sim::{AudioStream, DiscFormat2TrackAtOnce, DiscRecorder2, HrResult, Hresult};

use super::answer::Answer;
use super::value::Value;
use super::Call;

/// What a call acts on: one client's format object and recorder object, and the other clients'
/// recorders for recorder arguments that name them.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// The client's `MsftDiscFormat2TrackAtOnce`.
    pub format: &'a dyn DiscFormat2TrackAtOnce,
    /// The client's `MsftDiscRecorder2` (recorder members and default recorder arguments).
    pub recorder: &'a Arc<dyn DiscRecorder2>,
    /// The recorder object of the client of a given name (recorder arguments given as a name).
    pub lookup: &'a dyn Fn(&str) -> Option<Arc<dyn DiscRecorder2>>,
}

/// Invokes `call` with `args` (as typed by [`Call::check_args`]) on `target`, and returns the
/// HRESULT and, for members that answer one, the value. Success codes other than S_OK are kept
/// (SetWriteSpeed's `S_IMAPI_SPEEDADJUSTED`, the support checks' `S_FALSE`); a failed call has no value.
///
/// `stream` is AddAudioTrack's data; AddAudioTrack without one is a NULL stream (`E_POINTER`).
/// Arguments that do not match [`Call::params`] (only possible when the caller skipped
/// `check_args`), or a recorder name `lookup` does not know, answer `E_INVALIDARG` without
/// touching the backend.
pub fn invoke(
    target: &Target<'_>,
    call: Call,
    args: &[Value],
    stream: Option<&mut dyn AudioStream>,
) -> (Hresult, Option<Value>) {
    match dispatch(target, call, args, stream) {
        Ok((hr, value)) => (hr, value),
        Err(hr) => (hr, None),
    }
}

type Answered = HrResult<(Hresult, Option<Value>)>;

/// A member's result, as [`Answer`] writes it.
fn answered<T: Answer>(r: HrResult<T>) -> Answered {
    r.map(|v| v.answer())
}

fn arg_bool(args: &[Value], i: usize) -> HrResult<bool> {
    match args.get(i) {
        Some(Value::Bool(b)) => Ok(*b),
        _ => Err(Hresult::E_INVALIDARG),
    }
}

fn arg_i32(args: &[Value], i: usize) -> HrResult<i32> {
    match args.get(i) {
        Some(Value::Int(n)) => i32::try_from(*n).map_err(|_| Hresult::E_INVALIDARG),
        Some(Value::Enum(e)) => Ok(e.number),
        _ => Err(Hresult::E_INVALIDARG),
    }
}

fn arg_str(args: &[Value], i: usize) -> HrResult<Option<&str>> {
    match args.get(i) {
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(Value::Null) => Ok(None),
        _ => Err(Hresult::E_INVALIDARG),
    }
}

/// A recorder argument: omitted = the client's own, a name = that client's, NULL = `None`.
fn arg_recorder(target: &Target<'_>, args: &[Value], i: usize) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
    match args.get(i) {
        None => Ok(Some(Arc::clone(target.recorder))),
        Some(Value::Null) => Ok(None),
        Some(Value::Str(name)) => (target.lookup)(name).map(Some).ok_or(Hresult::E_INVALIDARG),
        Some(_) => Err(Hresult::E_INVALIDARG),
    }
}

fn dispatch(target: &Target<'_>, call: Call, args: &[Value], stream: Option<&mut dyn AudioStream>) -> Answered {
    use Call::*;
    let f = target.format;
    let r = target.recorder.as_ref();
    match call {
        IsRecorderSupported => {
            let rec = arg_recorder(target, args, 0)?.ok_or(Hresult::E_POINTER)?;
            answered(f.is_recorder_supported(rec.as_ref()))
        }
        IsCurrentMediaSupported => {
            let rec = arg_recorder(target, args, 0)?.ok_or(Hresult::E_POINTER)?;
            answered(f.is_current_media_supported(rec.as_ref()))
        }
        GetMediaPhysicallyBlank => answered(f.media_physically_blank()),
        GetMediaHeuristicallyBlank => answered(f.media_heuristically_blank()),
        GetSupportedMediaTypes => answered(f.supported_media_types()),
        PrepareMedia => answered(f.prepare_media()),
        AddAudioTrack => match stream {
            Some(s) => answered(f.add_audio_track(s)),
            None => Err(Hresult::E_POINTER),
        },
        CancelAddTrack => answered(f.cancel_add_track()),
        ReleaseMedia => answered(f.release_media()),
        SetWriteSpeed => answered(f.set_write_speed(arg_i32(args, 0)?, arg_bool(args, 1)?)),
        PutRecorder => answered(f.set_recorder(arg_recorder(target, args, 0)?)),
        GetRecorder => match f.recorder()? {
            None => Ok((Hresult::S_OK, Some(Value::Null))),
            Some(rec) => answered(rec.active_disc_recorder()),
        },
        PutBufferUnderrunFreeDisabled => answered(f.set_buffer_underrun_free_disabled(arg_bool(args, 0)?)),
        GetBufferUnderrunFreeDisabled => answered(f.buffer_underrun_free_disabled()),
        GetNumberOfExistingTracks => answered(f.number_of_existing_tracks()),
        GetTotalSectorsOnMedia => answered(f.total_sectors_on_media()),
        GetFreeSectorsOnMedia => answered(f.free_sectors_on_media()),
        GetUsedSectorsOnMedia => answered(f.used_sectors_on_media()),
        PutDoNotFinalizeMedia => answered(f.set_do_not_finalize_media(arg_bool(args, 0)?)),
        GetDoNotFinalizeMedia => answered(f.do_not_finalize_media()),
        GetExpectedTableOfContents => answered(f.expected_table_of_contents()),
        GetCurrentPhysicalMediaType => answered(f.current_physical_media_type()),
        PutClientName => answered(f.set_client_name(arg_str(args, 0)?)),
        GetClientName => answered(f.client_name()),
        GetRequestedWriteSpeed => answered(f.requested_write_speed()),
        GetRequestedRotationTypeIsPureCav => answered(f.requested_rotation_type_is_pure_cav()),
        GetCurrentWriteSpeed => answered(f.current_write_speed()),
        GetCurrentRotationTypeIsPureCav => answered(f.current_rotation_type_is_pure_cav()),
        GetSupportedWriteSpeeds => answered(f.supported_write_speeds()),
        GetSupportedWriteSpeedDescriptors => answered(f.supported_write_speed_descriptors()),
        PutBurnVerificationLevel => {
            let level = cdr_sim::BurnVerificationLevel::from_value(arg_i32(args, 0)?).ok_or(Hresult::E_INVALIDARG)?;
            answered(f.set_burn_verification_level(level))
        }
        GetBurnVerificationLevel => answered(f.burn_verification_level()),
        RecorderInitializeDiscRecorder => {
            answered(r.initialize_disc_recorder(arg_str(args, 0)?.ok_or(Hresult::E_INVALIDARG)?))
        }
        RecorderGetActiveDiscRecorder => answered(r.active_disc_recorder()),
        RecorderGetVendorId => answered(r.vendor_id()),
        RecorderGetProductId => answered(r.product_id()),
        RecorderGetProductRevision => answered(r.product_revision()),
        RecorderGetVolumeName => answered(r.volume_name()),
        RecorderGetVolumePathNames => answered(r.volume_path_names()),
        RecorderGetDeviceCanLoadMedia => answered(r.device_can_load_media()),
        RecorderGetLegacyDeviceNumber => answered(r.legacy_device_number()),
        RecorderGetSupportedProfiles => answered(r.supported_profiles()),
        RecorderGetCurrentProfiles => answered(r.current_profiles()),
        RecorderGetSupportedFeaturePages => answered(r.supported_feature_pages()),
        RecorderGetCurrentFeaturePages => answered(r.current_feature_pages()),
        RecorderGetSupportedModePages => answered(r.supported_mode_pages()),
        RecorderGetExclusiveAccessOwner => answered(r.exclusive_access_owner()),
        RecorderAcquireExclusiveAccess => {
            let name = arg_str(args, 1)?.ok_or(Hresult::E_INVALIDARG)?;
            answered(r.acquire_exclusive_access(arg_bool(args, 0)?, name))
        }
        RecorderReleaseExclusiveAccess => answered(r.release_exclusive_access()),
        RecorderEjectMedia => answered(r.eject_media()),
        RecorderCloseTray => answered(r.close_tray()),
        RecorderDisableMcn => answered(r.disable_mcn()),
        RecorderEnableMcn => answered(r.enable_mcn()),
    }
}
