//! The one table of the IMAPI2 members a client can call.
//!
//! [`imapi2_members!`](crate::imapi2_members) holds one row per member and hands all rows to a
//! macro of the caller's: this crate builds [`Call`](super::Call) and its `name`, `params`,
//! `returns`, `interface` and `reach` from it; the reference model builds its member type (the
//! same variants with its own argument types) from it. Adding a row therefore adds a variant
//! everywhere, and every exhaustive `match` over members stops compiling until it handles it.
//!
//! A row reads
//!
//! ```text
//! Variant(parameter: Kind, ...) => "Windows spelling", Interface, Returns, Reach;
//! ```
//!
//! - `Variant`: the Rust name; recorder members are prefixed `Recorder`.
//! - parameters, in the order of the IDL, each with its kind: `Recorder` (an `IDiscRecorder2*`,
//!   never NULL, omitted = the calling client's), `NullableRecorder` (the same, NULL allowed),
//!   `Bool`, `Int`, `Str`, `OptStr` (a BSTR that may be NULL), `Level`
//!   (`IMAPI_BURN_VERIFICATION_LEVEL`) and `Stream` (AddAudioTrack's `IStream*`, which a
//!   scenario gives as the step's `track`, not in `args`). No parentheses: no parameters.
//! - the name as Windows spells it: methods by name, properties as `get_X` / `put_X`,
//!   recorder members prefixed `IDiscRecorder2::`, the verification level `IBurnVerification::`.
//! - the interface that declares it ([`Interface`]).
//! - the type of the value it answers (`Nothing` for members that answer only an HRESULT):
//!   `Bool`, `Int`, `Str`, `OptStr`, `Bytes`, `IntList`, `StrList`, `MediaType`, `MediaTypes`,
//!   `Level`, `SpeedDescriptors`.
//! - what it needs of the drive ([`Reach`]), which decides which injected faults touch it.

/// The interface that declares a member.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Interface {
    /// `IDiscFormat2`, implemented by the format object.
    DiscFormat2,
    /// `IDiscFormat2TrackAtOnce`, the format object's own interface.
    DiscFormat2TrackAtOnce,
    /// `IBurnVerification`, implemented by the format object.
    BurnVerification,
    /// `IDiscRecorder2`, the recorder object.
    DiscRecorder2,
}

/// The COM object a member is called on.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Object {
    /// `MsftDiscFormat2TrackAtOnce` (IDiscFormat2, IDiscFormat2TrackAtOnce, IBurnVerification).
    Format,
    /// `MsftDiscRecorder2`.
    Recorder,
}

impl Interface {
    /// The object that implements the interface.
    pub fn object(self) -> Object {
        match self {
            Interface::DiscFormat2 | Interface::DiscFormat2TrackAtOnce | Interface::BurnVerification => Object::Format,
            Interface::DiscRecorder2 => Object::Recorder,
        }
    }
}

/// What a member needs of the drive, which decides which faults can touch it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reach {
    /// Answered by the IMAPI2 object from its own state (a cached or stored property): a dead
    /// or busy drive does not change the answer.
    Object,
    /// Sends a command to the drive that does not need a disc.
    Device,
    /// Needs the disc (the drive must be ready): a drive becoming ready or busy refuses it.
    Media,
}

/// Hands the table of the 53 IMAPI2 members to `$callback!` (a `macro_rules!` macro in scope
/// at the call site), one row per member in the order of the interfaces' documentation. See
/// the [module documentation](crate::call::table) for the row syntax.
#[macro_export]
macro_rules! imapi2_members {
    ($callback:ident) => {
        $callback! {
            // IDiscFormat2
            IsRecorderSupported(recorder: Recorder) => "IsRecorderSupported", DiscFormat2, Bool, Device;
            IsCurrentMediaSupported(recorder: Recorder) => "IsCurrentMediaSupported", DiscFormat2, Bool, Media;
            GetMediaPhysicallyBlank => "get_MediaPhysicallyBlank", DiscFormat2, Bool, Media;
            GetMediaHeuristicallyBlank => "get_MediaHeuristicallyBlank", DiscFormat2, Bool, Media;
            GetSupportedMediaTypes => "get_SupportedMediaTypes", DiscFormat2, MediaTypes, Object;
            // IDiscFormat2TrackAtOnce: methods
            PrepareMedia => "PrepareMedia", DiscFormat2TrackAtOnce, Nothing, Media;
            AddAudioTrack(data: Stream) => "AddAudioTrack", DiscFormat2TrackAtOnce, Nothing, Media;
            CancelAddTrack => "CancelAddTrack", DiscFormat2TrackAtOnce, Nothing, Object;
            ReleaseMedia => "ReleaseMedia", DiscFormat2TrackAtOnce, Nothing, Media;
            SetWriteSpeed(requested_sectors_per_second: Int, rotation_type_is_pure_cav: Bool)
                => "SetWriteSpeed", DiscFormat2TrackAtOnce, Nothing, Device;
            // IDiscFormat2TrackAtOnce: properties
            PutRecorder(value: NullableRecorder) => "put_Recorder", DiscFormat2TrackAtOnce, Nothing, Device;
            GetRecorder => "get_Recorder", DiscFormat2TrackAtOnce, OptStr, Object;
            PutBufferUnderrunFreeDisabled(value: Bool)
                => "put_BufferUnderrunFreeDisabled", DiscFormat2TrackAtOnce, Nothing, Object;
            GetBufferUnderrunFreeDisabled => "get_BufferUnderrunFreeDisabled", DiscFormat2TrackAtOnce, Bool, Object;
            GetNumberOfExistingTracks => "get_NumberOfExistingTracks", DiscFormat2TrackAtOnce, Int, Object;
            GetTotalSectorsOnMedia => "get_TotalSectorsOnMedia", DiscFormat2TrackAtOnce, Int, Object;
            GetFreeSectorsOnMedia => "get_FreeSectorsOnMedia", DiscFormat2TrackAtOnce, Int, Object;
            GetUsedSectorsOnMedia => "get_UsedSectorsOnMedia", DiscFormat2TrackAtOnce, Int, Object;
            PutDoNotFinalizeMedia(value: Bool) => "put_DoNotFinalizeMedia", DiscFormat2TrackAtOnce, Nothing, Object;
            GetDoNotFinalizeMedia => "get_DoNotFinalizeMedia", DiscFormat2TrackAtOnce, Bool, Object;
            GetExpectedTableOfContents => "get_ExpectedTableOfContents", DiscFormat2TrackAtOnce, Bytes, Object;
            GetCurrentPhysicalMediaType => "get_CurrentPhysicalMediaType", DiscFormat2TrackAtOnce, MediaType, Media;
            PutClientName(value: OptStr) => "put_ClientName", DiscFormat2TrackAtOnce, Nothing, Object;
            GetClientName => "get_ClientName", DiscFormat2TrackAtOnce, OptStr, Object;
            GetRequestedWriteSpeed => "get_RequestedWriteSpeed", DiscFormat2TrackAtOnce, Int, Object;
            GetRequestedRotationTypeIsPureCav
                => "get_RequestedRotationTypeIsPureCAV", DiscFormat2TrackAtOnce, Bool, Object;
            GetCurrentWriteSpeed => "get_CurrentWriteSpeed", DiscFormat2TrackAtOnce, Int, Media;
            GetCurrentRotationTypeIsPureCav => "get_CurrentRotationTypeIsPureCAV", DiscFormat2TrackAtOnce, Bool, Media;
            GetSupportedWriteSpeeds => "get_SupportedWriteSpeeds", DiscFormat2TrackAtOnce, IntList, Media;
            GetSupportedWriteSpeedDescriptors
                => "get_SupportedWriteSpeedDescriptors", DiscFormat2TrackAtOnce, SpeedDescriptors, Media;
            // IBurnVerification
            PutBurnVerificationLevel(value: Level)
                => "IBurnVerification::put_BurnVerificationLevel", BurnVerification, Nothing, Object;
            GetBurnVerificationLevel
                => "IBurnVerification::get_BurnVerificationLevel", BurnVerification, Level, Object;
            // IDiscRecorder2
            RecorderInitializeDiscRecorder(recorder_unique_id: Str)
                => "IDiscRecorder2::InitializeDiscRecorder", DiscRecorder2, Nothing, Device;
            RecorderGetActiveDiscRecorder => "IDiscRecorder2::get_ActiveDiscRecorder", DiscRecorder2, Str, Object;
            RecorderGetVendorId => "IDiscRecorder2::get_VendorId", DiscRecorder2, Str, Object;
            RecorderGetProductId => "IDiscRecorder2::get_ProductId", DiscRecorder2, Str, Object;
            RecorderGetProductRevision => "IDiscRecorder2::get_ProductRevision", DiscRecorder2, Str, Object;
            RecorderGetVolumeName => "IDiscRecorder2::get_VolumeName", DiscRecorder2, Str, Device;
            RecorderGetVolumePathNames => "IDiscRecorder2::get_VolumePathNames", DiscRecorder2, StrList, Device;
            RecorderGetDeviceCanLoadMedia => "IDiscRecorder2::get_DeviceCanLoadMedia", DiscRecorder2, Bool, Device;
            RecorderGetLegacyDeviceNumber => "IDiscRecorder2::get_LegacyDeviceNumber", DiscRecorder2, Int, Device;
            RecorderGetSupportedProfiles => "IDiscRecorder2::get_SupportedProfiles", DiscRecorder2, IntList, Device;
            RecorderGetCurrentProfiles => "IDiscRecorder2::get_CurrentProfiles", DiscRecorder2, IntList, Media;
            RecorderGetSupportedFeaturePages
                => "IDiscRecorder2::get_SupportedFeaturePages", DiscRecorder2, IntList, Device;
            RecorderGetCurrentFeaturePages => "IDiscRecorder2::get_CurrentFeaturePages", DiscRecorder2, IntList, Media;
            RecorderGetSupportedModePages => "IDiscRecorder2::get_SupportedModePages", DiscRecorder2, IntList, Device;
            RecorderGetExclusiveAccessOwner => "IDiscRecorder2::get_ExclusiveAccessOwner", DiscRecorder2, Str, Device;
            RecorderAcquireExclusiveAccess(force: Bool, client_name: Str)
                => "IDiscRecorder2::AcquireExclusiveAccess", DiscRecorder2, Nothing, Device;
            RecorderReleaseExclusiveAccess => "IDiscRecorder2::ReleaseExclusiveAccess", DiscRecorder2, Nothing, Device;
            RecorderEjectMedia => "IDiscRecorder2::EjectMedia", DiscRecorder2, Nothing, Device;
            RecorderCloseTray => "IDiscRecorder2::CloseTray", DiscRecorder2, Nothing, Device;
            RecorderDisableMcn => "IDiscRecorder2::DisableMcn", DiscRecorder2, Nothing, Device;
            RecorderEnableMcn => "IDiscRecorder2::EnableMcn", DiscRecorder2, Nothing, Device;
        }
    };
}
