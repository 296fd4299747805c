//! Calibration settings: every **\[choice\]** of `docs/reference/behaviour.md`, with the spec's
//! default, overridable per drive profile so a hardware-lab run can correct it without a code
//! change (`[drive.calibration]` in a scenario or drive file).

use crate::hresult::Hresult;
use crate::types::BurnVerificationLevel;

/// The calibration points of the simulator. `Default` is the spec's stated default for each.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Calibration {
    /// PrepareMedia with an empty tray (spec 2, PrepareMedia \[choice\]).
    /// Default `E_IMAPI_RECORDER_MEDIA_NO_MEDIA`.
    pub prepare_no_media: Hresult,
    /// What reaches the disc for a track shorter than `min_track_sectors` (spec 2, AddAudioTrack
    /// \[choice\] `short_track`; the DLL itself never pads: the space check, SectorCount and
    /// the data sent use the stream's sectors). Default `drive_pads`.
    pub short_track: ShortTrack,
    /// The key `pad_short_tracks` of earlier versions: present, it is an error that names
    /// `short_track`. Never serialised.
    #[serde(rename = "pad_short_tracks", skip_serializing, deserialize_with = "retired_pad_short_tracks")]
    pub retired_pad_short_tracks: Retired,
    /// Minimum track length in sectors a padding drive records (spec 4: 300 = 4 s).
    pub min_track_sectors: u32,
    /// A nested AddAudioTrack rejected with WRITE_IN_PROGRESS clears the outer call's writing
    /// flag (spec 2, AddAudioTrack \[choice\] `rejected_nested_add_clears_writing`, as the DLL's
    /// pseudocode reads). Default true.
    pub rejected_nested_add_clears_writing: bool,
    /// What RequestedWriteSpeed and RequestedRotationTypeIsPureCAV read after a PrepareMedia
    /// (spec 2 \[choice\] `requested_speed_after_prepare`). Default `kept`.
    pub requested_speed_after_prepare: RequestedSpeedAfterPrepare,
    /// A cancelled track stays on the disc, closed short, its sectors consumed (spec 2,
    /// CancelAddTrack [doc + choice]). Default true; false discards it (no track is added).
    pub cancelled_track_kept: bool,
    /// What AddAudioTrack returns after CancelAddTrack. Default `E_IMAPI_REQUEST_CANCELLED`.
    pub cancel_result: Hresult,
    /// What AddAudioTrack returns when the disc already holds 99 tracks after its PREPARING
    /// handler (a nested AddAudioTrack wrote the 99th, or a cancelled 99th track the cache
    /// leaves out): the DLL checks the limit only before PREPARING and then asks the drive for
    /// the next track's address, which a CD drive refuses with ILLEGAL REQUEST; nothing is
    /// written (spec 2, AddAudioTrack \[choice\] `hundredth_track_result`; dll id 55622866541).
    /// Default `E_FAIL`: what IMAPI2 answers for sense data it does not translate (dll id
    /// 55613454410, 55780254181).
    pub hundredth_track_result: Hresult,
    /// ReleaseMedia when not prepared (spec 2, ReleaseMedia \[choice\]; the doc's table says
    /// MEDIA_IS_PREPARED). Default `E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED`.
    pub release_not_prepared: Hresult,
    /// ReleaseMedia with no track written leaves the disc blank (spec 2 \[choice\]). Default true;
    /// false closes an empty session (the disc becomes complete with no tracks).
    pub release_without_tracks_keeps_blank: bool,
    /// A ClientName never set is invalid at PrepareMedia (spec 2, put_ClientName \[choice\]).
    /// Default true (CLIENT_NAME_IS_NOT_VALID); false accepts it as an anonymous client.
    pub unset_client_name_is_invalid: bool,
    /// How UsedSectorsOnMedia is computed (spec 2 \[choice\]). Default `total_minus_free`.
    pub used_sectors: UsedSectorsFormula,
    /// The length field of ExpectedTableOfContents' header (spec 2 \[choice\]). Default `dll`
    /// (8N + 2, as the shipped DLL writes it); `mmc` is 8N + 10.
    pub toc_length_field: TocLengthField,
    /// IsCurrentMediaSupported with an empty tray (spec 2 \[choice\]). Default `false` (S_OK
    /// and FALSE, as the shipped DLL answers); `error` is E_IMAPI_RECORDER_MEDIA_NO_MEDIA, as
    /// the docs say Windows 7 and later return.
    pub is_current_media_supported_no_media: NoMediaAnswer,
    /// MediaPhysicallyBlank / MediaHeuristicallyBlank need a recorder (spec 2 \[choice\]). Default
    /// true: without one they fail with E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED; false: without
    /// one they answer FALSE.
    pub blank_queries_need_recorder: bool,
    /// Burn verification level of a new format object (spec 2, IBurnVerification \[choice\]).
    /// Default NONE.
    pub default_verification_level: BurnVerificationLevel,
    /// What happens to the disc when a prepared format object is dropped without ReleaseMedia
    /// (spec 2, object states \[choice\]). Default `leave_open`: the session stays open and a disc
    /// with tracks reads back appendable (incomplete).
    pub drop_while_prepared: DropWhilePrepared,
    /// EjectMedia while a prepared session locks the tray (spec 8 \[choice\]).
    /// Default `E_IMAPI_RECORDER_MEDIA_BUSY`.
    pub eject_while_locked: Hresult,
    /// How FreeSectorsOnMedia is refreshed after a track (spec 4 \[choice\]). Default `layout`.
    pub free_after_track: FreeAfterTrack,
    /// The pause before every track after the first, in sectors (spec 4 \[choice\]). Default 150.
    pub pause_sectors: u32,
    /// Run-out blocks after each track's data (spec 4 \[choice\]). Default 2.
    pub run_out_sectors: u32,
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration {
            prepare_no_media: Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
            short_track: ShortTrack::DrivePads,
            retired_pad_short_tracks: Retired,
            min_track_sectors: 300,
            rejected_nested_add_clears_writing: true,
            requested_speed_after_prepare: RequestedSpeedAfterPrepare::Kept,
            cancelled_track_kept: true,
            cancel_result: Hresult::E_IMAPI_REQUEST_CANCELLED,
            hundredth_track_result: Hresult::E_FAIL,
            release_not_prepared: Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED,
            release_without_tracks_keeps_blank: true,
            unset_client_name_is_invalid: true,
            used_sectors: UsedSectorsFormula::TotalMinusFree,
            toc_length_field: TocLengthField::Dll,
            is_current_media_supported_no_media: NoMediaAnswer::False,
            blank_queries_need_recorder: true,
            default_verification_level: BurnVerificationLevel::None,
            drop_while_prepared: DropWhilePrepared::LeaveOpen,
            eject_while_locked: Hresult::E_IMAPI_RECORDER_MEDIA_BUSY,
            free_after_track: FreeAfterTrack::Layout,
            pause_sectors: 150,
            run_out_sectors: 2,
        }
    }
}

/// How UsedSectorsOnMedia is computed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsedSectorsFormula {
    /// Used = Total - Free (the spec's default).
    TotalMinusFree,
    /// Used = sectors consumed by written tracks with their overhead (pregap, run-out, pause),
    /// 0 on a blank disc.
    WrittenOnly,
}

/// The header length field of ExpectedTableOfContents.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TocLengthField {
    /// 8N + 2, as the shipped DLL writes it.
    Dll,
    /// 8N + 10, as MMC's READ TOC defines it.
    Mmc,
}

/// An answer to a media question when the tray is empty.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoMediaAnswer {
    /// Fail with E_IMAPI_RECORDER_MEDIA_NO_MEDIA.
    Error,
    /// Answer FALSE.
    False,
}

/// What a dropped, still-prepared format object leaves on the disc.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropWhilePrepared {
    /// The session stays open: tracks written read back as an appendable (incomplete) disc.
    LeaveOpen,
    /// As ReleaseMedia would: close the session and finalize unless DoNotFinalizeMedia.
    Release,
}

/// How FreeSectorsOnMedia is computed after a track closes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeAfterTrack {
    /// Free = LPL - 2 - S(next), the default layout's next start.
    Layout,
    /// The DLL's formula over an NWA that excludes the pause: (LPL + 150) - NWA - 2 with
    /// NWA = S(k) + L(k) + run-out, which reports `pause_sectors` more than the layout.
    DllNwa,
}

/// What a drive records for a track closed with fewer than `min_track_sectors` sectors.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortTrack {
    /// The drive records it as `min_track_sectors` (the data, then silence), as the docs
    /// describe the result: the track length read back, the NWA and Free after the refresh
    /// show it.
    DrivePads,
    /// The track is on the disc as written: the stream's sectors.
    AsWritten,
}

/// What the Requested* speed getters read after a PrepareMedia.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestedSpeedAfterPrepare {
    /// The last values given to SetWriteSpeed, unchanged by PrepareMedia.
    Kept,
    /// -1 / FALSE after every PrepareMedia, failed or successful.
    Reset,
}

/// A calibration key that no longer exists; its presence in a file is an error naming its
/// replacement.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Retired;

/// `pad_short_tracks` was replaced by `short_track`.
fn retired_pad_short_tracks<'de, D: serde::Deserializer<'de>>(_: D) -> Result<Retired, D::Error> {
    Err(serde::de::Error::custom(
        "`pad_short_tracks` was replaced by `short_track` (\"drive_pads\", the default, or \"as_written\")",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retired_padding_key_names_its_replacement() {
        let err = toml::from_str::<Calibration>("pad_short_tracks = false").unwrap_err().to_string();
        assert!(err.contains("short_track"), "{err}");
        let cal: Calibration = toml::from_str("short_track = \"as_written\"").unwrap();
        assert_eq!(cal.short_track, ShortTrack::AsWritten);
        assert!(!toml::to_string(&Calibration::default()).unwrap().contains("pad_short_tracks"));
    }
}
