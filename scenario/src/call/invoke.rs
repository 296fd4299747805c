//! The one dispatch from a [`Call`] and its arguments to the contract: used by the runner's
//! steps, by `during` calls inside the Update handler, and by the fuzzer.

use std::sync::Arc;

use cdr_sim::{
    AudioStream, DiscFormat2TrackAtOnce, DiscRecorder2, HrResult, Hresult, SupportAnswer, WriteSpeedDescriptor,
};

use super::value::{EnumValue, Value};
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

type Answer = HrResult<(Hresult, Option<Value>)>;

fn done(r: HrResult<()>) -> Answer {
    r.map(|()| (Hresult::S_OK, None))
}

fn val<T>(r: HrResult<T>, f: impl FnOnce(T) -> Value) -> Answer {
    r.map(|v| (Hresult::S_OK, Some(f(v))))
}

/// A support check's flag with its success code (S_FALSE after an internal failure).
fn support(r: HrResult<SupportAnswer>) -> Answer {
    r.map(|a| (a.code, Some(Value::Bool(a.supported))))
}

pub(crate) fn ints(v: Vec<i32>) -> Value {
    Value::List(v.into_iter().map(|n| Value::Int(n.into())).collect())
}

pub(crate) fn strs(v: Vec<String>) -> Value {
    Value::List(v.into_iter().map(Value::Str).collect())
}

pub(crate) fn descriptor(d: WriteSpeedDescriptor) -> Value {
    Value::Table(
        [
            ("MediaType".to_string(), Value::Enum(EnumValue::media_type(d.media_type))),
            ("RotationTypeIsPureCAV".to_string(), Value::Bool(d.rotation_type_is_pure_cav)),
            ("WriteSpeed".to_string(), Value::Int(d.write_speed.into())),
        ]
        .into_iter()
        .collect(),
    )
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

fn dispatch(target: &Target<'_>, call: Call, args: &[Value], stream: Option<&mut dyn AudioStream>) -> Answer {
    use Call::*;
    let f = target.format;
    let r = target.recorder.as_ref();
    match call {
        IsRecorderSupported => {
            let rec = arg_recorder(target, args, 0)?.ok_or(Hresult::E_POINTER)?;
            support(f.is_recorder_supported(rec.as_ref()))
        }
        IsCurrentMediaSupported => {
            let rec = arg_recorder(target, args, 0)?.ok_or(Hresult::E_POINTER)?;
            support(f.is_current_media_supported(rec.as_ref()))
        }
        GetMediaPhysicallyBlank => val(f.media_physically_blank(), Value::Bool),
        GetMediaHeuristicallyBlank => val(f.media_heuristically_blank(), Value::Bool),
        GetSupportedMediaTypes => val(f.supported_media_types(), |v| {
            Value::List(v.into_iter().map(|m| Value::Enum(EnumValue::media_type(m))).collect())
        }),
        PrepareMedia => done(f.prepare_media()),
        AddAudioTrack => match stream {
            Some(s) => done(f.add_audio_track(s)),
            None => Err(Hresult::E_POINTER),
        },
        CancelAddTrack => done(f.cancel_add_track()),
        ReleaseMedia => done(f.release_media()),
        SetWriteSpeed => {
            let hr = f.set_write_speed(arg_i32(args, 0)?, arg_bool(args, 1)?)?;
            Ok((hr, None))
        }
        PutRecorder => done(f.set_recorder(arg_recorder(target, args, 0)?)),
        GetRecorder => match f.recorder()? {
            None => Ok((Hresult::S_OK, Some(Value::Null))),
            Some(rec) => val(rec.active_disc_recorder(), Value::Str),
        },
        PutBufferUnderrunFreeDisabled => done(f.set_buffer_underrun_free_disabled(arg_bool(args, 0)?)),
        GetBufferUnderrunFreeDisabled => val(f.buffer_underrun_free_disabled(), Value::Bool),
        GetNumberOfExistingTracks => val(f.number_of_existing_tracks(), |n| Value::Int(n.into())),
        GetTotalSectorsOnMedia => val(f.total_sectors_on_media(), |n| Value::Int(n.into())),
        GetFreeSectorsOnMedia => val(f.free_sectors_on_media(), |n| Value::Int(n.into())),
        GetUsedSectorsOnMedia => val(f.used_sectors_on_media(), |n| Value::Int(n.into())),
        PutDoNotFinalizeMedia => done(f.set_do_not_finalize_media(arg_bool(args, 0)?)),
        GetDoNotFinalizeMedia => val(f.do_not_finalize_media(), Value::Bool),
        GetExpectedTableOfContents => val(f.expected_table_of_contents(), Value::Bytes),
        GetCurrentPhysicalMediaType => val(f.current_physical_media_type(), |m| Value::Enum(EnumValue::media_type(m))),
        PutClientName => done(f.set_client_name(arg_str(args, 0)?)),
        GetClientName => val(f.client_name(), |n| n.map_or(Value::Null, Value::Str)),
        GetRequestedWriteSpeed => val(f.requested_write_speed(), |n| Value::Int(n.into())),
        GetRequestedRotationTypeIsPureCav => val(f.requested_rotation_type_is_pure_cav(), Value::Bool),
        GetCurrentWriteSpeed => val(f.current_write_speed(), |n| Value::Int(n.into())),
        GetCurrentRotationTypeIsPureCav => val(f.current_rotation_type_is_pure_cav(), Value::Bool),
        GetSupportedWriteSpeeds => val(f.supported_write_speeds(), ints),
        GetSupportedWriteSpeedDescriptors => {
            val(f.supported_write_speed_descriptors(), |v| Value::List(v.into_iter().map(descriptor).collect()))
        }
        PutBurnVerificationLevel => {
            let level = cdr_sim::BurnVerificationLevel::from_value(arg_i32(args, 0)?).ok_or(Hresult::E_INVALIDARG)?;
            done(f.set_burn_verification_level(level))
        }
        GetBurnVerificationLevel => val(f.burn_verification_level(), |l| Value::Enum(EnumValue::verification_level(l))),
        RecorderInitializeDiscRecorder => {
            done(r.initialize_disc_recorder(arg_str(args, 0)?.ok_or(Hresult::E_INVALIDARG)?))
        }
        RecorderGetActiveDiscRecorder => val(r.active_disc_recorder(), Value::Str),
        RecorderGetVendorId => val(r.vendor_id(), Value::Str),
        RecorderGetProductId => val(r.product_id(), Value::Str),
        RecorderGetProductRevision => val(r.product_revision(), Value::Str),
        RecorderGetVolumeName => val(r.volume_name(), Value::Str),
        RecorderGetVolumePathNames => val(r.volume_path_names(), strs),
        RecorderGetDeviceCanLoadMedia => val(r.device_can_load_media(), Value::Bool),
        RecorderGetLegacyDeviceNumber => val(r.legacy_device_number(), |n| Value::Int(n.into())),
        RecorderGetSupportedProfiles => val(r.supported_profiles(), ints),
        RecorderGetCurrentProfiles => val(r.current_profiles(), ints),
        RecorderGetSupportedFeaturePages => val(r.supported_feature_pages(), ints),
        RecorderGetCurrentFeaturePages => val(r.current_feature_pages(), ints),
        RecorderGetSupportedModePages => val(r.supported_mode_pages(), ints),
        RecorderGetExclusiveAccessOwner => val(r.exclusive_access_owner(), Value::Str),
        RecorderAcquireExclusiveAccess => {
            let name = arg_str(args, 1)?.ok_or(Hresult::E_INVALIDARG)?;
            done(r.acquire_exclusive_access(arg_bool(args, 0)?, name))
        }
        RecorderReleaseExclusiveAccess => done(r.release_exclusive_access()),
        RecorderEjectMedia => done(r.eject_media()),
        RecorderCloseTray => done(r.close_tray()),
        RecorderDisableMcn => done(r.disable_mcn()),
        RecorderEnableMcn => done(r.enable_mcn()),
    }
}
