//! The IMAPI2 members a scenario can call, their argument and result types, and the one
//! dispatch that invokes them on the contract ([`invoke`]).
//!
//! Names are spelled as the Windows documentation spells them: methods by name
//! (`PrepareMedia`), properties as `get_X` / `put_X`, recorder members prefixed
//! `IDiscRecorder2::`, and the verification level prefixed `IBurnVerification::`.
//!
//! ```
//! use cdr_scenario::call::Call;
//! let c: Call = "get_FreeSectorsOnMedia".parse().unwrap();
//! assert_eq!(c, Call::GetFreeSectorsOnMedia);
//! assert_eq!(Call::RecorderEjectMedia.to_string(), "IDiscRecorder2::EjectMedia");
//! assert!("get_FreeSectors".parse::<Call>().unwrap_err().to_string().contains("get_FreeSectorsOnMedia"));
//! ```

pub(crate) mod invoke;
mod value;

use std::fmt;
use std::str::FromStr;

pub use invoke::{invoke, Target};
pub use value::{format_hex, parse_hex, EnumKind, EnumValue, Value, ValueType};

/// Every member a scenario (or the fuzzer) can call.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Call {
    // IDiscFormat2
    /// `IsRecorderSupported`.
    IsRecorderSupported,
    /// `IsCurrentMediaSupported`.
    IsCurrentMediaSupported,
    /// `get_MediaPhysicallyBlank`.
    GetMediaPhysicallyBlank,
    /// `get_MediaHeuristicallyBlank`.
    GetMediaHeuristicallyBlank,
    /// `get_SupportedMediaTypes`.
    GetSupportedMediaTypes,
    // IDiscFormat2TrackAtOnce: methods
    /// `PrepareMedia`.
    PrepareMedia,
    /// `AddAudioTrack`.
    AddAudioTrack,
    /// `CancelAddTrack`.
    CancelAddTrack,
    /// `ReleaseMedia`.
    ReleaseMedia,
    /// `SetWriteSpeed`.
    SetWriteSpeed,
    // IDiscFormat2TrackAtOnce: properties
    /// `put_Recorder`.
    PutRecorder,
    /// `get_Recorder`.
    GetRecorder,
    /// `put_BufferUnderrunFreeDisabled`.
    PutBufferUnderrunFreeDisabled,
    /// `get_BufferUnderrunFreeDisabled`.
    GetBufferUnderrunFreeDisabled,
    /// `get_NumberOfExistingTracks`.
    GetNumberOfExistingTracks,
    /// `get_TotalSectorsOnMedia`.
    GetTotalSectorsOnMedia,
    /// `get_FreeSectorsOnMedia`.
    GetFreeSectorsOnMedia,
    /// `get_UsedSectorsOnMedia`.
    GetUsedSectorsOnMedia,
    /// `put_DoNotFinalizeMedia`.
    PutDoNotFinalizeMedia,
    /// `get_DoNotFinalizeMedia`.
    GetDoNotFinalizeMedia,
    /// `get_ExpectedTableOfContents`.
    GetExpectedTableOfContents,
    /// `get_CurrentPhysicalMediaType`.
    GetCurrentPhysicalMediaType,
    /// `put_ClientName`.
    PutClientName,
    /// `get_ClientName`.
    GetClientName,
    /// `get_RequestedWriteSpeed`.
    GetRequestedWriteSpeed,
    /// `get_RequestedRotationTypeIsPureCAV`.
    GetRequestedRotationTypeIsPureCav,
    /// `get_CurrentWriteSpeed`.
    GetCurrentWriteSpeed,
    /// `get_CurrentRotationTypeIsPureCAV`.
    GetCurrentRotationTypeIsPureCav,
    /// `get_SupportedWriteSpeeds`.
    GetSupportedWriteSpeeds,
    /// `get_SupportedWriteSpeedDescriptors`.
    GetSupportedWriteSpeedDescriptors,
    // IBurnVerification
    /// `IBurnVerification::put_BurnVerificationLevel`.
    PutBurnVerificationLevel,
    /// `IBurnVerification::get_BurnVerificationLevel`.
    GetBurnVerificationLevel,
    // IDiscRecorder2
    /// `IDiscRecorder2::InitializeDiscRecorder`.
    RecorderInitializeDiscRecorder,
    /// `IDiscRecorder2::get_ActiveDiscRecorder`.
    RecorderGetActiveDiscRecorder,
    /// `IDiscRecorder2::get_VendorId`.
    RecorderGetVendorId,
    /// `IDiscRecorder2::get_ProductId`.
    RecorderGetProductId,
    /// `IDiscRecorder2::get_ProductRevision`.
    RecorderGetProductRevision,
    /// `IDiscRecorder2::get_VolumeName`.
    RecorderGetVolumeName,
    /// `IDiscRecorder2::get_VolumePathNames`.
    RecorderGetVolumePathNames,
    /// `IDiscRecorder2::get_DeviceCanLoadMedia`.
    RecorderGetDeviceCanLoadMedia,
    /// `IDiscRecorder2::get_LegacyDeviceNumber`.
    RecorderGetLegacyDeviceNumber,
    /// `IDiscRecorder2::get_SupportedProfiles`.
    RecorderGetSupportedProfiles,
    /// `IDiscRecorder2::get_CurrentProfiles`.
    RecorderGetCurrentProfiles,
    /// `IDiscRecorder2::get_SupportedFeaturePages`.
    RecorderGetSupportedFeaturePages,
    /// `IDiscRecorder2::get_CurrentFeaturePages`.
    RecorderGetCurrentFeaturePages,
    /// `IDiscRecorder2::get_SupportedModePages`.
    RecorderGetSupportedModePages,
    /// `IDiscRecorder2::get_ExclusiveAccessOwner`.
    RecorderGetExclusiveAccessOwner,
    /// `IDiscRecorder2::AcquireExclusiveAccess`.
    RecorderAcquireExclusiveAccess,
    /// `IDiscRecorder2::ReleaseExclusiveAccess`.
    RecorderReleaseExclusiveAccess,
    /// `IDiscRecorder2::EjectMedia`.
    RecorderEjectMedia,
    /// `IDiscRecorder2::CloseTray`.
    RecorderCloseTray,
    /// `IDiscRecorder2::DisableMcn`.
    RecorderDisableMcn,
    /// `IDiscRecorder2::EnableMcn`.
    RecorderEnableMcn,
}

/// The kind of one argument of a call, as written in a scenario's `args`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Param {
    /// A value of this type (strings here are never NULL unless the type is `OptStr`).
    Value(ValueType),
    /// An `IDiscRecorder2*`: omitted, the calling client's recorder; a string, the recorder of
    /// the client of that name; `[]` (NULL) only where the member accepts NULL (`put_Recorder`).
    Recorder {
        /// Whether NULL may be passed.
        nullable: bool,
    },
}

impl Param {
    /// What to write for this argument, for error messages.
    pub fn describe(self) -> String {
        match self {
            Param::Value(t) => t.describe(),
            Param::Recorder { nullable: true } => "a client's name (its recorder), or [] for NULL".into(),
            Param::Recorder { nullable: false } => "a client's name (its recorder)".into(),
        }
    }
}

const BOOL: Param = Param::Value(ValueType::Bool);
const INT: Param = Param::Value(ValueType::Int);
const STR: Param = Param::Value(ValueType::Str);
const INT_LIST: ValueType = ValueType::List(&ValueType::Int);
const STR_LIST: ValueType = ValueType::List(&ValueType::Str);
const MEDIA_TYPE: ValueType = ValueType::Enum(EnumKind::MediaPhysicalType);
const LEVEL: ValueType = ValueType::Enum(EnumKind::BurnVerificationLevel);

impl Call {
    /// Every call, in the order of the interfaces' documentation.
    pub const ALL: &'static [Call] = &[
        Call::IsRecorderSupported,
        Call::IsCurrentMediaSupported,
        Call::GetMediaPhysicallyBlank,
        Call::GetMediaHeuristicallyBlank,
        Call::GetSupportedMediaTypes,
        Call::PrepareMedia,
        Call::AddAudioTrack,
        Call::CancelAddTrack,
        Call::ReleaseMedia,
        Call::SetWriteSpeed,
        Call::PutRecorder,
        Call::GetRecorder,
        Call::PutBufferUnderrunFreeDisabled,
        Call::GetBufferUnderrunFreeDisabled,
        Call::GetNumberOfExistingTracks,
        Call::GetTotalSectorsOnMedia,
        Call::GetFreeSectorsOnMedia,
        Call::GetUsedSectorsOnMedia,
        Call::PutDoNotFinalizeMedia,
        Call::GetDoNotFinalizeMedia,
        Call::GetExpectedTableOfContents,
        Call::GetCurrentPhysicalMediaType,
        Call::PutClientName,
        Call::GetClientName,
        Call::GetRequestedWriteSpeed,
        Call::GetRequestedRotationTypeIsPureCav,
        Call::GetCurrentWriteSpeed,
        Call::GetCurrentRotationTypeIsPureCav,
        Call::GetSupportedWriteSpeeds,
        Call::GetSupportedWriteSpeedDescriptors,
        Call::PutBurnVerificationLevel,
        Call::GetBurnVerificationLevel,
        Call::RecorderInitializeDiscRecorder,
        Call::RecorderGetActiveDiscRecorder,
        Call::RecorderGetVendorId,
        Call::RecorderGetProductId,
        Call::RecorderGetProductRevision,
        Call::RecorderGetVolumeName,
        Call::RecorderGetVolumePathNames,
        Call::RecorderGetDeviceCanLoadMedia,
        Call::RecorderGetLegacyDeviceNumber,
        Call::RecorderGetSupportedProfiles,
        Call::RecorderGetCurrentProfiles,
        Call::RecorderGetSupportedFeaturePages,
        Call::RecorderGetCurrentFeaturePages,
        Call::RecorderGetSupportedModePages,
        Call::RecorderGetExclusiveAccessOwner,
        Call::RecorderAcquireExclusiveAccess,
        Call::RecorderReleaseExclusiveAccess,
        Call::RecorderEjectMedia,
        Call::RecorderCloseTray,
        Call::RecorderDisableMcn,
        Call::RecorderEnableMcn,
    ];

    /// The Windows spelling: `PrepareMedia`, `get_FreeSectorsOnMedia`,
    /// `IDiscRecorder2::EjectMedia`, `IBurnVerification::put_BurnVerificationLevel`.
    pub fn name(self) -> &'static str {
        use Call::*;
        match self {
            IsRecorderSupported => "IsRecorderSupported",
            IsCurrentMediaSupported => "IsCurrentMediaSupported",
            GetMediaPhysicallyBlank => "get_MediaPhysicallyBlank",
            GetMediaHeuristicallyBlank => "get_MediaHeuristicallyBlank",
            GetSupportedMediaTypes => "get_SupportedMediaTypes",
            PrepareMedia => "PrepareMedia",
            AddAudioTrack => "AddAudioTrack",
            CancelAddTrack => "CancelAddTrack",
            ReleaseMedia => "ReleaseMedia",
            SetWriteSpeed => "SetWriteSpeed",
            PutRecorder => "put_Recorder",
            GetRecorder => "get_Recorder",
            PutBufferUnderrunFreeDisabled => "put_BufferUnderrunFreeDisabled",
            GetBufferUnderrunFreeDisabled => "get_BufferUnderrunFreeDisabled",
            GetNumberOfExistingTracks => "get_NumberOfExistingTracks",
            GetTotalSectorsOnMedia => "get_TotalSectorsOnMedia",
            GetFreeSectorsOnMedia => "get_FreeSectorsOnMedia",
            GetUsedSectorsOnMedia => "get_UsedSectorsOnMedia",
            PutDoNotFinalizeMedia => "put_DoNotFinalizeMedia",
            GetDoNotFinalizeMedia => "get_DoNotFinalizeMedia",
            GetExpectedTableOfContents => "get_ExpectedTableOfContents",
            GetCurrentPhysicalMediaType => "get_CurrentPhysicalMediaType",
            PutClientName => "put_ClientName",
            GetClientName => "get_ClientName",
            GetRequestedWriteSpeed => "get_RequestedWriteSpeed",
            GetRequestedRotationTypeIsPureCav => "get_RequestedRotationTypeIsPureCAV",
            GetCurrentWriteSpeed => "get_CurrentWriteSpeed",
            GetCurrentRotationTypeIsPureCav => "get_CurrentRotationTypeIsPureCAV",
            GetSupportedWriteSpeeds => "get_SupportedWriteSpeeds",
            GetSupportedWriteSpeedDescriptors => "get_SupportedWriteSpeedDescriptors",
            PutBurnVerificationLevel => "IBurnVerification::put_BurnVerificationLevel",
            GetBurnVerificationLevel => "IBurnVerification::get_BurnVerificationLevel",
            RecorderInitializeDiscRecorder => "IDiscRecorder2::InitializeDiscRecorder",
            RecorderGetActiveDiscRecorder => "IDiscRecorder2::get_ActiveDiscRecorder",
            RecorderGetVendorId => "IDiscRecorder2::get_VendorId",
            RecorderGetProductId => "IDiscRecorder2::get_ProductId",
            RecorderGetProductRevision => "IDiscRecorder2::get_ProductRevision",
            RecorderGetVolumeName => "IDiscRecorder2::get_VolumeName",
            RecorderGetVolumePathNames => "IDiscRecorder2::get_VolumePathNames",
            RecorderGetDeviceCanLoadMedia => "IDiscRecorder2::get_DeviceCanLoadMedia",
            RecorderGetLegacyDeviceNumber => "IDiscRecorder2::get_LegacyDeviceNumber",
            RecorderGetSupportedProfiles => "IDiscRecorder2::get_SupportedProfiles",
            RecorderGetCurrentProfiles => "IDiscRecorder2::get_CurrentProfiles",
            RecorderGetSupportedFeaturePages => "IDiscRecorder2::get_SupportedFeaturePages",
            RecorderGetCurrentFeaturePages => "IDiscRecorder2::get_CurrentFeaturePages",
            RecorderGetSupportedModePages => "IDiscRecorder2::get_SupportedModePages",
            RecorderGetExclusiveAccessOwner => "IDiscRecorder2::get_ExclusiveAccessOwner",
            RecorderAcquireExclusiveAccess => "IDiscRecorder2::AcquireExclusiveAccess",
            RecorderReleaseExclusiveAccess => "IDiscRecorder2::ReleaseExclusiveAccess",
            RecorderEjectMedia => "IDiscRecorder2::EjectMedia",
            RecorderCloseTray => "IDiscRecorder2::CloseTray",
            RecorderDisableMcn => "IDiscRecorder2::DisableMcn",
            RecorderEnableMcn => "IDiscRecorder2::EnableMcn",
        }
    }

    /// The arguments, in order. `AddAudioTrack`'s stream is not an argument: it comes from the
    /// step's `track`.
    pub fn params(self) -> &'static [Param] {
        use Call::*;
        match self {
            IsRecorderSupported | IsCurrentMediaSupported => &[Param::Recorder { nullable: false }],
            PutRecorder => &[Param::Recorder { nullable: true }],
            SetWriteSpeed => &[INT, BOOL],
            PutBufferUnderrunFreeDisabled | PutDoNotFinalizeMedia => &[BOOL],
            PutClientName => &[Param::Value(ValueType::OptStr)],
            PutBurnVerificationLevel => &[Param::Value(LEVEL)],
            RecorderInitializeDiscRecorder => &[STR],
            RecorderAcquireExclusiveAccess => &[BOOL, STR],
            _ => &[],
        }
    }

    /// How many leading arguments may be omitted from the end: a recorder argument defaults to
    /// the calling client's recorder.
    pub fn optional_params(self) -> usize {
        self.params().iter().filter(|p| matches!(p, Param::Recorder { .. })).count()
    }

    /// The type of the value the call returns; `None` for members that return only an HRESULT.
    pub fn returns(self) -> Option<ValueType> {
        use Call::*;
        Some(match self {
            IsRecorderSupported
            | IsCurrentMediaSupported
            | GetMediaPhysicallyBlank
            | GetMediaHeuristicallyBlank
            | GetBufferUnderrunFreeDisabled
            | GetDoNotFinalizeMedia
            | GetRequestedRotationTypeIsPureCav
            | GetCurrentRotationTypeIsPureCav
            | RecorderGetDeviceCanLoadMedia => ValueType::Bool,
            GetNumberOfExistingTracks
            | GetTotalSectorsOnMedia
            | GetFreeSectorsOnMedia
            | GetUsedSectorsOnMedia
            | GetRequestedWriteSpeed
            | GetCurrentWriteSpeed
            | RecorderGetLegacyDeviceNumber => ValueType::Int,
            GetSupportedMediaTypes => ValueType::List(&MEDIA_TYPE),
            GetCurrentPhysicalMediaType => MEDIA_TYPE,
            GetBurnVerificationLevel => LEVEL,
            GetExpectedTableOfContents => ValueType::Bytes,
            // get_Recorder answers the unique id of the recorder it holds (NULL when none).
            GetRecorder | GetClientName => ValueType::OptStr,
            GetSupportedWriteSpeeds
            | RecorderGetSupportedProfiles
            | RecorderGetCurrentProfiles
            | RecorderGetSupportedFeaturePages
            | RecorderGetCurrentFeaturePages
            | RecorderGetSupportedModePages => INT_LIST,
            GetSupportedWriteSpeedDescriptors => ValueType::List(&ValueType::SpeedDescriptor),
            RecorderGetActiveDiscRecorder
            | RecorderGetVendorId
            | RecorderGetProductId
            | RecorderGetProductRevision
            | RecorderGetVolumeName
            | RecorderGetExclusiveAccessOwner => ValueType::Str,
            RecorderGetVolumePathNames => STR_LIST,
            PrepareMedia
            | AddAudioTrack
            | CancelAddTrack
            | ReleaseMedia
            | SetWriteSpeed
            | PutRecorder
            | PutBufferUnderrunFreeDisabled
            | PutDoNotFinalizeMedia
            | PutClientName
            | PutBurnVerificationLevel
            | RecorderInitializeDiscRecorder
            | RecorderAcquireExclusiveAccess
            | RecorderReleaseExclusiveAccess
            | RecorderEjectMedia
            | RecorderCloseTray
            | RecorderDisableMcn
            | RecorderEnableMcn => return None,
        })
    }

    /// True for `IDiscRecorder2::` members (called on the client's recorder object).
    pub fn is_recorder_member(self) -> bool {
        self.name().starts_with("IDiscRecorder2::")
    }

    /// Checks and types the arguments written in a scenario. `None` (no `args` key) and
    /// `Some([])` differ only for `put_Recorder` (client's recorder vs NULL) and string
    /// properties (`put_ClientName` with `args = []` passes NULL).
    pub fn check_args(self, args: Option<&[Value]>) -> Result<Vec<Value>, String> {
        let params = self.params();
        let Some(args) = args else {
            return if params.len() == self.optional_params() {
                Ok(Vec::new())
            } else {
                Err(format!("{self} needs `args`: [{}]", self.signature()))
            };
        };
        if args.is_empty() && params.len() == 1 {
            // `args = []` is NULL for a string or a recorder that may be NULL.
            match params[0] {
                Param::Value(ValueType::OptStr) | Param::Recorder { nullable: true } => return Ok(vec![Value::Null]),
                Param::Recorder { nullable: false } => {
                    return Err(format!(
                        "{self} cannot take NULL: omit `args` to use the client's recorder, or name a client"
                    ))
                }
                _ => {}
            }
        }
        let min = params.len() - self.optional_params();
        if args.len() < min || args.len() > params.len() {
            return Err(if params.is_empty() {
                format!("{self} takes no arguments, found {}", args.len())
            } else {
                format!("{self} takes [{}], found {} argument(s)", self.signature(), args.len())
            });
        }
        args.iter()
            .zip(params)
            .enumerate()
            .map(|(i, (arg, param))| {
                let typed = match param {
                    Param::Value(t) => t.coerce(arg),
                    Param::Recorder { nullable } => match arg {
                        Value::Str(s) => Ok(Value::Str(s.clone())),
                        Value::List(l) if l.is_empty() && *nullable => Ok(Value::Null),
                        other => Err(format!("expected {}, found {}", param.describe(), other.kind_name())),
                    },
                };
                typed.map_err(|e| format!("argument {} of {self}: {e}", i + 1))
            })
            .collect()
    }

    /// The argument list for messages, e.g. `integer, boolean`.
    pub fn signature(self) -> String {
        self.params().iter().map(|p| p.describe()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no member; says which name was probably meant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown call `{name}`{}", suggestion_text(.suggestion))]
pub struct UnknownCall {
    /// What was written.
    pub name: String,
    /// The closest known name, if one is close.
    pub suggestion: Option<&'static str>,
}

/// `s`, or its first 100 characters and how much was left out: error messages quote what was
/// written, and a hostile file may hold megabytes.
fn clip(s: &str) -> String {
    const KEEP: usize = 100;
    match s.char_indices().nth(KEEP) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}... ({} more bytes)", &s[..cut], s.len() - cut),
    }
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!(": did you mean `{s}`?"),
        None => ": expected an IMAPI2 member such as PrepareMedia, get_FreeSectorsOnMedia, \
                  IDiscRecorder2::EjectMedia (see docs/scenarios.md for the list)"
            .into(),
    }
}

impl FromStr for Call {
    type Err = UnknownCall;

    /// Accepts the Windows spelling; also the recorder properties without `get_`
    /// (`IDiscRecorder2::VendorId`, as spec section 8 lists them) and an optional
    /// `IDiscFormat2TrackAtOnce::` / `IDiscFormat2::` prefix on format members.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_prefix("IDiscFormat2TrackAtOnce::").or_else(|| t.strip_prefix("IDiscFormat2::")).unwrap_or(t);
        if let Some(c) = Call::ALL.iter().find(|c| c.name() == t) {
            return Ok(*c);
        }
        if let Some(member) = t.strip_prefix("IDiscRecorder2::") {
            let with_get = format!("IDiscRecorder2::get_{member}");
            if let Some(c) = Call::ALL.iter().find(|c| c.name() == with_get) {
                return Ok(*c);
            }
        }
        // No member name is longer than this: a longer string is no misspelling (and comparing
        // a hostile 10 MB string with every name would take minutes).
        const LONGEST_NAME: usize = 64;
        let suggestion = Call::ALL
            .iter()
            .filter(|_| t.len() <= LONGEST_NAME)
            .map(|c| (strsim::jaro_winkler(&t.to_lowercase(), &c.name().to_lowercase()), c.name()))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| name);
        Err(UnknownCall { name: clip(s), suggestion })
    }
}

impl serde::Serialize for Call {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Call {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_is_unique() {
        for c in Call::ALL {
            assert_eq!(c.name().parse::<Call>().unwrap(), *c);
            assert_eq!(Call::ALL.iter().filter(|o| o.name() == c.name()).count(), 1);
        }
        assert_eq!(Call::ALL.len(), 53);
    }

    #[test]
    fn aliases() {
        assert_eq!("IDiscRecorder2::VendorId".parse::<Call>().unwrap(), Call::RecorderGetVendorId);
        assert_eq!("IDiscFormat2TrackAtOnce::PrepareMedia".parse::<Call>().unwrap(), Call::PrepareMedia);
    }

    #[test]
    fn unknown_calls_get_a_suggestion() {
        let e = "PrepareMedium".parse::<Call>().unwrap_err();
        assert_eq!(e.suggestion, Some("PrepareMedia"));
        let e = "Frobnicate".parse::<Call>().unwrap_err();
        assert!(e.to_string().contains("expected an IMAPI2 member"), "{e}");
    }

    #[test]
    fn args_are_checked_against_the_signature() {
        assert!(Call::PrepareMedia.check_args(None).unwrap().is_empty());
        assert!(Call::PrepareMedia.check_args(Some(&[Value::Int(1)])).unwrap_err().contains("takes no arguments"));
        let speed = Call::SetWriteSpeed.check_args(Some(&[Value::Int(-1), Value::Bool(false)])).unwrap();
        assert_eq!(speed, vec![Value::Int(-1), Value::Bool(false)]);
        let e = Call::SetWriteSpeed.check_args(Some(&[Value::Str("fast".into()), Value::Bool(false)])).unwrap_err();
        assert_eq!(e, "argument 1 of SetWriteSpeed: expected an integer, found a string");
        assert!(Call::SetWriteSpeed.check_args(None).unwrap_err().contains("needs `args`"));
        assert!(matches!(Call::PutClientName.check_args(Some(&[])).unwrap()[..], [Value::Null]));
        assert_eq!(
            Call::PutClientName.check_args(Some(&[Value::Str(String::new())])).unwrap(),
            [Value::Str("".into())]
        );
        assert!(Call::PutRecorder.check_args(None).unwrap().is_empty());
        assert!(matches!(Call::PutRecorder.check_args(Some(&[])).unwrap()[..], [Value::Null]));
        assert!(Call::IsRecorderSupported.check_args(Some(&[])).is_err());
        let level =
            Call::PutBurnVerificationLevel.check_args(Some(&[Value::Str("IMAPI_BURN_VERIFICATION_QUICK".into())]));
        assert_eq!(level.unwrap(), [Value::Int(1)]);
    }

    #[test]
    fn every_getter_returns_a_value_and_every_setter_none() {
        for c in Call::ALL {
            let name = c.name().rsplit("::").next().unwrap();
            if name.starts_with("get_") || name.starts_with("Is") {
                assert!(c.returns().is_some(), "{c}");
            }
            if name.starts_with("put_") {
                assert!(c.returns().is_none(), "{c}");
            }
        }
    }
}
