//! From the model's [`Member`] to the harness's [`Call`] and its arguments: the fuzzer invokes
//! the backend through the same dispatch as scenario steps, so a sequence it writes out as a
//! scenario replays call for call.

use cdr_sim::TaoWriteAction;

use crate::{Member, NameArg};
use cdr_scenario::call::{Call, EnumValue, Value};

/// The call and its arguments for `member`; `None` for [`Member::Insert`], which is not a call.
pub fn to_call(member: Member) -> Option<(Call, Vec<Value>)> {
    use Member as M;
    let none = Vec::new;
    Some(match member {
        M::IsRecorderSupported => (Call::IsRecorderSupported, none()),
        M::IsCurrentMediaSupported => (Call::IsCurrentMediaSupported, none()),
        M::GetMediaPhysicallyBlank => (Call::GetMediaPhysicallyBlank, none()),
        M::GetMediaHeuristicallyBlank => (Call::GetMediaHeuristicallyBlank, none()),
        M::GetSupportedMediaTypes => (Call::GetSupportedMediaTypes, none()),
        M::PrepareMedia => (Call::PrepareMedia, none()),
        M::AddAudioTrack(_) => (Call::AddAudioTrack, none()),
        M::CancelAddTrack => (Call::CancelAddTrack, none()),
        M::ReleaseMedia => (Call::ReleaseMedia, none()),
        M::SetWriteSpeed(speed, cav) => (Call::SetWriteSpeed, vec![Value::Int(speed.into()), Value::Bool(cav)]),
        M::PutRecorder(true) => (Call::PutRecorder, none()),
        M::PutRecorder(false) => (Call::PutRecorder, vec![Value::Null]),
        M::GetRecorder => (Call::GetRecorder, none()),
        M::PutBufferUnderrunFreeDisabled(b) => (Call::PutBufferUnderrunFreeDisabled, vec![Value::Bool(b)]),
        M::GetBufferUnderrunFreeDisabled => (Call::GetBufferUnderrunFreeDisabled, none()),
        M::GetNumberOfExistingTracks => (Call::GetNumberOfExistingTracks, none()),
        M::GetTotalSectorsOnMedia => (Call::GetTotalSectorsOnMedia, none()),
        M::GetFreeSectorsOnMedia => (Call::GetFreeSectorsOnMedia, none()),
        M::GetUsedSectorsOnMedia => (Call::GetUsedSectorsOnMedia, none()),
        M::PutDoNotFinalizeMedia(b) => (Call::PutDoNotFinalizeMedia, vec![Value::Bool(b)]),
        M::GetDoNotFinalizeMedia => (Call::GetDoNotFinalizeMedia, none()),
        M::GetExpectedTableOfContents => (Call::GetExpectedTableOfContents, none()),
        M::GetCurrentPhysicalMediaType => (Call::GetCurrentPhysicalMediaType, none()),
        M::PutClientName(name) => (Call::PutClientName, vec![name_value(name)]),
        M::GetClientName => (Call::GetClientName, none()),
        M::GetRequestedWriteSpeed => (Call::GetRequestedWriteSpeed, none()),
        M::GetRequestedRotationTypeIsPureCav => (Call::GetRequestedRotationTypeIsPureCav, none()),
        M::GetCurrentWriteSpeed => (Call::GetCurrentWriteSpeed, none()),
        M::GetCurrentRotationTypeIsPureCav => (Call::GetCurrentRotationTypeIsPureCav, none()),
        M::GetSupportedWriteSpeeds => (Call::GetSupportedWriteSpeeds, none()),
        M::GetSupportedWriteSpeedDescriptors => (Call::GetSupportedWriteSpeedDescriptors, none()),
        M::PutBurnVerificationLevel(level) => {
            (Call::PutBurnVerificationLevel, vec![Value::Enum(EnumValue::verification_level(level))])
        }
        M::GetBurnVerificationLevel => (Call::GetBurnVerificationLevel, none()),
        M::RecActiveDiscRecorder => (Call::RecorderGetActiveDiscRecorder, none()),
        M::RecVendorId => (Call::RecorderGetVendorId, none()),
        M::RecProductId => (Call::RecorderGetProductId, none()),
        M::RecProductRevision => (Call::RecorderGetProductRevision, none()),
        M::RecDeviceCanLoadMedia => (Call::RecorderGetDeviceCanLoadMedia, none()),
        M::RecLegacyDeviceNumber => (Call::RecorderGetLegacyDeviceNumber, none()),
        M::RecVolumePathNames => (Call::RecorderGetVolumePathNames, none()),
        M::RecSupportedFeaturePages => (Call::RecorderGetSupportedFeaturePages, none()),
        M::RecExclusiveAccessOwner => (Call::RecorderGetExclusiveAccessOwner, none()),
        M::RecAcquireExclusiveAccess(force, name) => {
            (Call::RecorderAcquireExclusiveAccess, vec![Value::Bool(force), name_value(name)])
        }
        M::RecReleaseExclusiveAccess => (Call::RecorderReleaseExclusiveAccess, none()),
        M::RecEjectMedia => (Call::RecorderEjectMedia, none()),
        M::RecCloseTray => (Call::RecorderCloseTray, none()),
        M::RecDisableMcn => (Call::RecorderDisableMcn, none()),
        M::RecEnableMcn => (Call::RecorderEnableMcn, none()),
        M::Insert(_) => return None,
    })
}

fn name_value(name: NameArg) -> Value {
    match name.as_str() {
        Some(s) => Value::Str(s.to_owned()),
        None => Value::Null,
    }
}

/// The rank of an action in the spec's per-track sequence (section 3): PREPARING, WRITING,
/// FINISHING, VERIFYING; UNKNOWN never belongs to it.
pub fn action_rank(a: TaoWriteAction) -> u8 {
    match a {
        TaoWriteAction::Unknown => 0,
        TaoWriteAction::Preparing => 1,
        TaoWriteAction::Writing => 2,
        TaoWriteAction::Finishing => 3,
        TaoWriteAction::Verifying => 4,
    }
}
