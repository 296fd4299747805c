//! The Update event of `DDiscFormat2TrackAtOnceEvents` and its arguments (spec section 3).

use super::format::DiscFormat2TrackAtOnce;

/// `IMAPI_FORMAT2_TAO_WRITE_ACTION`: what the write engine is doing when it fires Update.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[repr(i32)]
pub enum TaoWriteAction {
    /// `IMAPI_FORMAT2_TAO_WRITE_ACTION_UNKNOWN`.
    Unknown = 0,
    /// Preparing the track (power calibration before the first track).
    Preparing = 1,
    /// Streaming data; fired repeatedly with a growing LastWrittenLba.
    Writing = 2,
    /// Synchronising the cache and closing the track.
    Finishing = 3,
    /// Re-reading the track's information (QUICK verification only).
    Verifying = 4,
}

impl TaoWriteAction {
    /// The action with this number.
    pub fn from_value(n: i32) -> Option<Self> {
        Some(match n {
            0 => Self::Unknown,
            1 => Self::Preparing,
            2 => Self::Writing,
            3 => Self::Finishing,
            4 => Self::Verifying,
            _ => return None,
        })
    }

    /// The short name used in scenarios and transcripts: `PREPARING`, `WRITING`, ...
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "UNKNOWN",
            Self::Preparing => "PREPARING",
            Self::Writing => "WRITING",
            Self::Finishing => "FINISHING",
            Self::Verifying => "VERIFYING",
        }
    }
}

/// `IDiscFormat2TrackAtOnceEventArgs` (which extends `IWriteEngine2EventArgs`): every field.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct TaoProgress {
    /// Track being written, 1..=99 (existing tracks + 1).
    pub current_track_number: i32,
    /// What the engine is doing.
    pub current_action: TaoWriteAction,
    /// Seconds since AddAudioTrack began (virtual time on the simulator).
    pub elapsed_time: i32,
    /// Estimated seconds left, per the DLL's estimate (spec section 3).
    pub remaining_time: i32,
    /// First LBA of the track.
    pub start_lba: i32,
    /// Sectors in the track.
    pub sector_count: i32,
    /// How far the stream has been read into the buffer: StartLba + sectors read - 1 (StartLba
    /// before any).
    pub last_read_lba: i32,
    /// How far the track has been written: StartLba + sectors written - 1 (StartLba before
    /// any), ending at StartLba + SectorCount - 1, so `(LastWrittenLba - StartLba) /
    /// SectorCount`, the fraction clients show, never reaches 1 (spec 3, dll ids 55858994589,
    /// 55760110767).
    pub last_written_lba: i32,
    /// Size of the system buffer in bytes.
    pub total_system_buffer: i32,
    /// Bytes of the system buffer in use.
    pub used_system_buffer: i32,
    /// Bytes of the system buffer free.
    pub free_system_buffer: i32,
}

impl TaoProgress {
    /// Percent of the track written, as real clients compute it:
    /// `(LastWrittenLba - StartLba) / SectorCount`, 0..=100.
    pub fn percent(&self) -> i32 {
        if self.sector_count <= 0 {
            return 0;
        }
        let done = i64::from(self.last_written_lba) - i64::from(self.start_lba);
        (done * 100 / i64::from(self.sector_count)).clamp(0, 100) as i32
    }
}

/// The event sink of `DDiscFormat2TrackAtOnceEvents`: receives Update on the writing thread.
///
/// The handler may call back into `format` (the same object AddAudioTrack runs on) to read
/// properties or to call CancelAddTrack; a backend must not hold a lock across this call.
///
/// A closure is a sink. This one cancels half-way; during the write, FreeSectorsOnMedia still
/// reports the value from before the call:
/// ```
/// use std::sync::Arc;
/// use cdr_sim::profile::{drive_by_name, media_by_name};
/// use cdr_sim::source::SyntheticPcm;
/// use cdr_sim::{Backend, DiscFormat2TrackAtOnce, Hresult, SimBackend, TaoProgress, TaoWriteAction};
///
/// let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
/// let recorder = sim.create_recorder().unwrap();
/// recorder.initialize_disc_recorder(sim.unique_id()).unwrap();
/// let format = sim.create_format().unwrap();
/// format.set_recorder(Some(recorder.clone())).unwrap();
/// format.set_client_name(Some("Doc")).unwrap();
/// format.prepare_media().unwrap();
/// format
///     .advise(Arc::new(|f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
///         assert_eq!(f.free_sectors_on_media(), Ok(359_845));
///         if p.current_action == TaoWriteAction::Writing && p.percent() >= 50 {
///             let _ = f.cancel_add_track();
///         }
///     }))
///     .unwrap();
/// let result = format.add_audio_track(&mut SyntheticPcm::sectors(1, 36_000));
/// assert_eq!(result, Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
/// // The track is on the disc, closed short, but the format object's cache (track count,
/// // Free, Used, TOC) is refreshed only after a track that succeeded: it still says 0 tracks.
/// assert_eq!(format.number_of_existing_tracks(), Ok(0));
/// assert_eq!(format.free_sectors_on_media(), Ok(359_845));
/// let disc = sim.read_back(recorder.as_ref()).unwrap().media.unwrap();
/// assert!(disc.tracks[0].sectors >= 18_000 && disc.tracks[0].sectors < 36_000);
/// ```
pub trait TaoUpdateSink: Send + Sync {
    /// `Update(object, progress)`.
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress);
}

impl<F> TaoUpdateSink for F
where
    F: Fn(&dyn DiscFormat2TrackAtOnce, &TaoProgress) + Send + Sync,
{
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        self(format, progress)
    }
}
