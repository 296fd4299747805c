//! `IDiscFormat2` + `IDiscFormat2TrackAtOnce` + `IBurnVerification`: the audio burning object.

use std::any::Any;
use std::sync::Arc;

use super::events::TaoUpdateSink;
use super::recorder::DiscRecorder2;
use super::stream::AudioStream;
use crate::hresult::{HrResult, Hresult};
use crate::types::{BurnVerificationLevel, PhysicalMediaType, SupportAnswer, WriteSpeedDescriptor};

/// `MsftDiscFormat2TrackAtOnce`: every member of spec section 2, spelled as the `windows` crate
/// spells it (getters are the property name, setters `set_` + the property name).
///
/// All members take `&self`, as COM objects are called through shared references: the Update
/// handler calls back into the object while AddAudioTrack runs, and CancelAddTrack may come from
/// another thread. Each member documents its rule from `docs/reference/behaviour.md`; the letters
/// are the spec's: **P** needs PrepareMedia, **!W** fails while writing, **!P** fails while
/// prepared, **R** needs a recorder.
///
/// ```
/// use cdr_sim::{DiscFormat2TrackAtOnce, Hresult};
/// fn free_or_zero(format: &dyn DiscFormat2TrackAtOnce) -> i32 {
///     // Real clients read this before PrepareMedia and swallow the error.
///     match format.free_sectors_on_media() {
///         Ok(free) => free,
///         Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED) => 0,
///         Err(other) => panic!("unexpected {other}"),
///     }
/// }
/// ```
pub trait DiscFormat2TrackAtOnce: Send + Sync {
    // ---- IDiscFormat2 ----

    /// `IsRecorderSupported`: TRUE when the drive has the CD track-at-once feature (0x002D), or
    /// lacks it and has mode page 2A's CD write bits; FALSE with S_OK without GET
    /// CONFIGURATION; internal failures answer FALSE with S_FALSE, not an error.
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer>;
    /// `IsCurrentMediaSupported`: TRUE only for a blank CD-R/RW in a TAO-capable drive; an
    /// empty tray is FALSE with S_OK (by default); internal failures answer FALSE with S_FALSE.
    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer>;
    /// `MediaPhysicallyBlank`: R. Blank as the drive reports it.
    fn media_physically_blank(&self) -> HrResult<bool>;
    /// `MediaHeuristicallyBlank`: R. Blank as heuristics judge it.
    fn media_heuristically_blank(&self) -> HrResult<bool>;
    /// `SupportedMediaTypes`: CD-R and CD-RW.
    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>>;

    // ---- IDiscFormat2TrackAtOnce: methods ----

    /// `PrepareMedia`: R; !P; media checks; client name; exclusive access; tray lock.
    fn prepare_media(&self) -> HrResult<()>;
    /// `AddAudioTrack(data)`: writes one track, firing Update events; checks in spec order.
    fn add_audio_track(&self, data: &mut dyn AudioStream) -> HrResult<()>;
    /// `CancelAddTrack`: only while a write is in progress.
    fn cancel_add_track(&self) -> HrResult<()>;
    /// `ReleaseMedia`: closes (and unless DoNotFinalizeMedia, finalizes) the session.
    fn release_media(&self) -> HrResult<()>;
    /// `SetWriteSpeed(RequestedSectorsPerSecond, RotationTypeIsPureCAV)`: -1 is fastest. The
    /// success code says what the drive adjusted (`S_IMAPI_SPEEDADJUSTED`, ...).
    fn set_write_speed(&self, requested_sectors_per_second: i32, rotation_type_is_pure_cav: bool) -> HrResult<Hresult>;

    // ---- IDiscFormat2TrackAtOnce: properties ----

    /// `put_Recorder`: !W, !P. `None` clears it (a NULL pointer).
    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()>;
    /// `get_Recorder`.
    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>>;
    /// `put_BufferUnderrunFreeDisabled`: P, !W.
    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()>;
    /// `get_BufferUnderrunFreeDisabled`.
    fn buffer_underrun_free_disabled(&self) -> HrResult<bool>;
    /// `get_NumberOfExistingTracks`: P, !W.
    fn number_of_existing_tracks(&self) -> HrResult<i32>;
    /// `get_TotalSectorsOnMedia`: P; cached while writing.
    fn total_sectors_on_media(&self) -> HrResult<i32>;
    /// `get_FreeSectorsOnMedia`: P; during AddAudioTrack, the value from before the call.
    fn free_sectors_on_media(&self) -> HrResult<i32>;
    /// `get_UsedSectorsOnMedia`: P; during a write, the value before the write began.
    fn used_sectors_on_media(&self) -> HrResult<i32>;
    /// `put_DoNotFinalizeMedia`: !W, !P.
    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()>;
    /// `get_DoNotFinalizeMedia`.
    fn do_not_finalize_media(&self) -> HrResult<bool>;
    /// `get_ExpectedTableOfContents`: WRITE_IN_PROGRESS, then MEDIA_IS_NOT_PREPARED, then
    /// TABLE_OF_CONTENTS_EMPTY_DISC; READ TOC format 0 bytes.
    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>>;
    /// `get_CurrentPhysicalMediaType`: R.
    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType>;
    /// `put_ClientName`: !W, !P. `None` passes NULL.
    fn set_client_name(&self, name: Option<&str>) -> HrResult<()>;
    /// `get_ClientName` (`None` when never set or set to NULL).
    fn client_name(&self) -> HrResult<Option<String>>;
    /// `get_RequestedWriteSpeed`: the last value given to SetWriteSpeed (-1 by default).
    fn requested_write_speed(&self) -> HrResult<i32>;
    /// `get_RequestedRotationTypeIsPureCAV`.
    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool>;
    /// `get_CurrentWriteSpeed`: R. The drive's effective speed, sectors/s.
    fn current_write_speed(&self) -> HrResult<i32>;
    /// `get_CurrentRotationTypeIsPureCAV`: R.
    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool>;
    /// `get_SupportedWriteSpeeds`: R. Sectors/s for the current media.
    fn supported_write_speeds(&self) -> HrResult<Vec<i32>>;
    /// `get_SupportedWriteSpeedDescriptors`: R.
    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>>;

    // ---- IBurnVerification ----

    /// `IBurnVerification::put_BurnVerificationLevel`.
    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()>;
    /// `IBurnVerification::get_BurnVerificationLevel`.
    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel>;

    // ---- DDiscFormat2TrackAtOnceEvents connection point ----

    /// `IConnectionPoint::Advise`: registers an Update sink; returns its cookie.
    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32>;
    /// `IConnectionPoint::Unadvise`.
    fn unadvise(&self, cookie: u32) -> HrResult<()>;

    /// The backend object behind the interface (COM's QueryInterface for the implementation),
    /// so a backend can recognise its own objects.
    fn as_any(&self) -> &dyn Any;
}
