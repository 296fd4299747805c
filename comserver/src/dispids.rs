//! The names and DISPIDs IMAPI2 publishes for its dual interfaces, so that late-bound callers
//! (scripts, `dynamic` in C#, `IDispatch::Invoke` from C) reach the same members as early-bound
//! ones. Written by hand from `imapi2.idl` (the `DISPID_*` constants of the Windows SDK); no type
//! library is needed or loaded.
//!
//! ```
//! use cdr_comserver::dispids::{dispid_of, format, FORMAT_TAO};
//! assert_eq!(dispid_of(FORMAT_TAO, "freesectorsonmedia"), Some(format::FREE_SECTORS_ON_MEDIA));
//! assert_eq!(dispid_of(FORMAT_TAO, "NoSuchMember"), None);
//! ```

/// One member of a dispatch interface: its name as IMAPI2 spells it, and its DISPID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DispMember {
    /// The member's name (`FreeSectorsOnMedia`).
    pub name: &'static str,
    /// Its DISPID.
    pub dispid: i32,
}

/// The DISPID of `name` in `table`, compared as `GetIDsOfNames` does: ignoring ASCII case.
pub fn dispid_of(table: &[DispMember], name: &str) -> Option<i32> {
    table.iter().find(|m| m.name.eq_ignore_ascii_case(name)).map(|m| m.dispid)
}

/// The name of the member with `dispid` in `table` (for transcripts and error messages).
pub fn name_of(table: &[DispMember], dispid: i32) -> Option<&'static str> {
    table.iter().find(|m| m.dispid == dispid).map(|m| m.name)
}

/// `DISPID_NEWENUM`: the enumerator that `For Each` asks for.
pub const NEWENUM: i32 = -4;
/// `DISPID_VALUE`: the default member.
pub const VALUE: i32 = 0;

macro_rules! members {
    ($(#[$doc:meta])* $table:ident, mod $module:ident { $( $(#[$mdoc:meta])* $konst:ident = $name:literal, $dispid:expr; )* }) => {
        $(#[$doc])*
        pub mod $module {
            $( $(#[$mdoc])* #[doc = concat!("`", $name, "`.")] pub const $konst: i32 = $dispid; )*
        }
        $(#[$doc])*
        pub const $table: &[DispMember] = &[ $( DispMember { name: $name, dispid: $module::$konst }, )* ];
    };
}

members!(
    /// `IDiscMaster2`.
    MASTER, mod master {
        NEW_ENUM = "_NewEnum", super::NEWENUM;
        ITEM = "Item", super::VALUE;
        COUNT = "Count", 1;
        IS_SUPPORTED_ENVIRONMENT = "IsSupportedEnvironment", 2;
    }
);

members!(
    /// `IDiscRecorder2`.
    RECORDER, mod recorder {
        ACTIVE_DISC_RECORDER = "ActiveDiscRecorder", 0;
        EJECT_MEDIA = "EjectMedia", 256;
        CLOSE_TRAY = "CloseTray", 257;
        ACQUIRE_EXCLUSIVE_ACCESS = "AcquireExclusiveAccess", 258;
        RELEASE_EXCLUSIVE_ACCESS = "ReleaseExclusiveAccess", 259;
        DISABLE_MCN = "DisableMcn", 260;
        ENABLE_MCN = "EnableMcn", 261;
        INITIALIZE_DISC_RECORDER = "InitializeDiscRecorder", 262;
        VENDOR_ID = "VendorId", 513;
        PRODUCT_ID = "ProductId", 514;
        PRODUCT_REVISION = "ProductRevision", 515;
        VOLUME_NAME = "VolumeName", 516;
        VOLUME_PATH_NAMES = "VolumePathNames", 517;
        DEVICE_CAN_LOAD_MEDIA = "DeviceCanLoadMedia", 518;
        LEGACY_DEVICE_NUMBER = "LegacyDeviceNumber", 519;
        SUPPORTED_FEATURE_PAGES = "SupportedFeaturePages", 520;
        CURRENT_FEATURE_PAGES = "CurrentFeaturePages", 521;
        SUPPORTED_PROFILES = "SupportedProfiles", 522;
        CURRENT_PROFILES = "CurrentProfiles", 523;
        SUPPORTED_MODE_PAGES = "SupportedModePages", 524;
        EXCLUSIVE_ACCESS_OWNER = "ExclusiveAccessOwner", 525;
    }
);

members!(
    /// `IDiscFormat2TrackAtOnce` with its base `IDiscFormat2` (one dispatch interface).
    FORMAT_TAO, mod format {
        RECORDER = "Recorder", 256;
        BUFFER_UNDERRUN_FREE_DISABLED = "BufferUnderrunFreeDisabled", 258;
        NUMBER_OF_EXISTING_TRACKS = "NumberOfExistingTracks", 259;
        TOTAL_SECTORS_ON_MEDIA = "TotalSectorsOnMedia", 260;
        FREE_SECTORS_ON_MEDIA = "FreeSectorsOnMedia", 261;
        USED_SECTORS_ON_MEDIA = "UsedSectorsOnMedia", 262;
        DO_NOT_FINALIZE_MEDIA = "DoNotFinalizeMedia", 263;
        EXPECTED_TABLE_OF_CONTENTS = "ExpectedTableOfContents", 266;
        CURRENT_PHYSICAL_MEDIA_TYPE = "CurrentPhysicalMediaType", 267;
        CLIENT_NAME = "ClientName", 270;
        REQUESTED_WRITE_SPEED = "RequestedWriteSpeed", 271;
        REQUESTED_ROTATION_TYPE_IS_PURE_CAV = "RequestedRotationTypeIsPureCAV", 272;
        CURRENT_WRITE_SPEED = "CurrentWriteSpeed", 273;
        CURRENT_ROTATION_TYPE_IS_PURE_CAV = "CurrentRotationTypeIsPureCAV", 274;
        SUPPORTED_WRITE_SPEEDS = "SupportedWriteSpeeds", 275;
        SUPPORTED_WRITE_SPEED_DESCRIPTORS = "SupportedWriteSpeedDescriptors", 276;
        PREPARE_MEDIA = "PrepareMedia", 512;
        ADD_AUDIO_TRACK = "AddAudioTrack", 513;
        CANCEL_ADD_TRACK = "CancelAddTrack", 514;
        RELEASE_MEDIA = "ReleaseMedia", 515;
        SET_WRITE_SPEED = "SetWriteSpeed", 516;
        MEDIA_PHYSICALLY_BLANK = "MediaPhysicallyBlank", 1792;
        MEDIA_HEURISTICALLY_BLANK = "MediaHeuristicallyBlank", 1793;
        SUPPORTED_MEDIA_TYPES = "SupportedMediaTypes", 1794;
        IS_RECORDER_SUPPORTED = "IsRecorderSupported", 2048;
        IS_CURRENT_MEDIA_SUPPORTED = "IsCurrentMediaSupported", 2049;
    }
);

members!(
    /// `IDiscFormat2TrackAtOnceEventArgs` with its base `IWriteEngine2EventArgs`.
    EVENT_ARGS, mod event_args {
        START_LBA = "StartLba", 256;
        SECTOR_COUNT = "SectorCount", 257;
        LAST_READ_LBA = "LastReadLba", 258;
        LAST_WRITTEN_LBA = "LastWrittenLba", 259;
        TOTAL_SYSTEM_BUFFER = "TotalSystemBuffer", 262;
        USED_SYSTEM_BUFFER = "UsedSystemBuffer", 263;
        FREE_SYSTEM_BUFFER = "FreeSystemBuffer", 264;
        CURRENT_TRACK_NUMBER = "CurrentTrackNumber", 768;
        CURRENT_ACTION = "CurrentAction", 769;
        ELAPSED_TIME = "ElapsedTime", 770;
        REMAINING_TIME = "RemainingTime", 771;
    }
);

members!(
    /// `IWriteSpeedDescriptor`.
    SPEED_DESCRIPTOR, mod speed_descriptor {
        MEDIA_TYPE = "MediaType", 257;
        ROTATION_TYPE_IS_PURE_CAV = "RotationTypeIsPureCAV", 258;
        WRITE_SPEED = "WriteSpeed", 259;
    }
);

/// `DISPID_DDISCFORMAT2TAOEVENTS_UPDATE`: the DISPID of `Update(object, progress)` on the
/// event sink.
pub const UPDATE: i32 = 512;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_table_has_unique_names_and_dispids() {
        for table in [MASTER, RECORDER, FORMAT_TAO, EVENT_ARGS, SPEED_DESCRIPTOR] {
            let names: HashSet<String> = table.iter().map(|m| m.name.to_ascii_lowercase()).collect();
            let ids: HashSet<i32> = table.iter().map(|m| m.dispid).collect();
            assert_eq!(names.len(), table.len());
            assert_eq!(ids.len(), table.len());
        }
    }

    #[test]
    fn names_resolve_without_regard_to_case_and_back() {
        assert_eq!(dispid_of(MASTER, "_newenum"), Some(-4));
        assert_eq!(dispid_of(MASTER, "ITEM"), Some(0));
        assert_eq!(dispid_of(RECORDER, "vendorId"), Some(513));
        assert_eq!(dispid_of(FORMAT_TAO, "ReleaseMedia"), Some(515));
        assert_eq!(dispid_of(EVENT_ARGS, "RemainingTime"), Some(771));
        assert_eq!(name_of(FORMAT_TAO, 2049), Some("IsCurrentMediaSupported"));
        assert_eq!(name_of(FORMAT_TAO, 1), None);
        assert_eq!(dispid_of(FORMAT_TAO, "FreeSectorsOnMedia "), None);
    }

    #[test]
    fn the_format_table_holds_every_member_of_both_interfaces() {
        // IDiscFormat2: 5 members; IDiscFormat2TrackAtOnce: 5 methods and 16 properties.
        assert_eq!(FORMAT_TAO.len(), 26);
        assert_eq!(RECORDER.len(), 21);
        assert_eq!(EVENT_ARGS.len(), 11);
    }
}
