//! What only a simulated device can do: suffer a fault in the hardware on demand, and hand its
//! disc over as data to be saved and inserted again later.
//!
//! A real drive has neither: a buffer underrun or a power cut cannot be ordered from it, and a
//! burned disc is a physical object. [`Backend::simulated`](super::Backend::simulated) answers
//! `None` there, and the harness says so instead of pretending.

use super::readback::{Atip, SessionState};
use crate::hresult::{HrResult, Hresult};
use crate::types::PhysicalMediaType;

/// `HRESULT_FROM_WIN32(ERROR_DEVICE_NOT_CONNECTED)` (0x8007048F): what calls to a drive that
/// lost power answer, as Windows removes the device.
pub const DEVICE_NOT_CONNECTED: Hresult = Hresult(0x8007_048F);

/// Controls of a simulated device, reached through `Backend::simulated` (the simulator, or a
/// middleware around it). A handle: every one of a backend acts on the same device.
pub trait SimulatedDevice: Send + Sync {
    /// Arms `fault`: it strikes the first time the write of track `fault.track` reaches
    /// `fault.sector`, then is spent. Faults on the same track and sector strike in arming
    /// order, one per write.
    fn arm_device_fault(&self, fault: DeviceFault);
    /// Faults that have struck, oldest first, with what each did.
    fn fired_device_faults(&self) -> Vec<FiredDeviceFault>;
    /// The disc in the drive (in the tray, open or closed), as data; `None` when there is none.
    fn export_disc(&self) -> Option<DiscSnapshot>;
    /// Puts `disc` in the tray and closes it. A snapshot that is not consistent
    /// ([`DiscSnapshot::validate`]) is E_INVALIDARG; while a prepared session locks the tray,
    /// E_IMAPI_RECORDER_MEDIA_BUSY (as `Backend::change_media`).
    fn insert_disc(&self, disc: &DiscSnapshot) -> HrResult<()>;
}

/// A fault in the drive during a write.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct DeviceFault {
    /// Track number (CurrentTrackNumber, 1..=99) whose write it strikes.
    pub track: u32,
    /// Sectors of that track already written when it strikes (0: before the first sector).
    pub sector: u64,
    /// What happens.
    pub kind: DeviceFaultKind,
}

/// What happens to the drive when a [`DeviceFault`] strikes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceFaultKind {
    /// The host stops supplying data for `stall_ms` (virtual milliseconds). With buffer-underrun
    /// protection (the drive has it and BufferUnderrunFreeDisabled is FALSE) the drive pauses,
    /// re-links and goes on: the write takes `stall_ms` longer and succeeds. Without it, loss of
    /// streaming: the track ends at that sector, damaged, and AddAudioTrack returns
    /// E_IMAPI_LOSS_OF_STREAMING.
    Underrun {
        /// How long the data stops, in virtual milliseconds.
        stall_ms: u64,
    },
    /// The disc leaves the drive: the track ends at that sector, damaged; the tray is open with
    /// the disc out of reach (CloseTray puts it back); AddAudioTrack returns
    /// E_IMAPI_RECORDER_MEDIA_NO_MEDIA.
    MediaRemoved,
    /// The drive loses power: the track ends at that sector, damaged, and the session stays
    /// open; the drive forgets its exclusive access and tray lock and writes nothing more (no
    /// lead-out, no track); AddAudioTrack returns [`DEVICE_NOT_CONNECTED`].
    PowerLoss,
}

impl DeviceFaultKind {
    /// A short name: `underrun`, `media_removed`, `power_loss`.
    pub fn name(self) -> &'static str {
        match self {
            DeviceFaultKind::Underrun { .. } => "underrun",
            DeviceFaultKind::MediaRemoved => "media_removed",
            DeviceFaultKind::PowerLoss => "power_loss",
        }
    }
}

/// A fault that struck, and what it did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct FiredDeviceFault {
    /// The fault as armed.
    pub fault: DeviceFault,
    /// What it did.
    pub outcome: DeviceFaultOutcome,
}

/// What a fault did to the write.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceFaultOutcome {
    /// Buffer-underrun protection caught it: the write resumed `delay_ms` later and went on.
    Resumed {
        /// Virtual milliseconds the write was held up.
        delay_ms: u64,
    },
    /// The track was cut at the fault's sector (damaged when a sector was written) and
    /// AddAudioTrack failed with `hresult`.
    TrackCut {
        /// The HRESULT AddAudioTrack returned.
        hresult: Hresult,
    },
}

/// A disc as data: everything the simulator knows about it, enough to put the same disc in a
/// drive again (read-back and digests equal). Saved by the harness as a versioned file.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscSnapshot {
    /// Physical media type.
    pub media_type: PhysicalMediaType,
    /// ATIP of a recordable CD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atip: Option<Atip>,
    /// Last possible lead-out start (LPL), in LBA.
    pub last_possible_lead_out: i32,
    /// Inserted label side down.
    #[serde(default)]
    pub upside_down: bool,
    /// Write-protected.
    #[serde(default)]
    pub write_protected: bool,
    /// The gaps the disc was written with: pause before tracks after the first, and run-out
    /// blocks after each track (they place the lead-out and the next writable address).
    pub layout: SnapshotLayout,
    /// State of the (only) session: `empty`, `incomplete` (open) or `complete` (closed).
    pub session: SessionState,
    /// With a closed session: whether the disc is finalized (closed to further sessions).
    #[serde(default)]
    pub finalized: bool,
    /// Tracks in order.
    #[serde(default)]
    pub tracks: Vec<SnapshotTrack>,
}

/// Pause and run-out sectors of a written disc.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotLayout {
    /// Pause (pregap) before every track after the first.
    pub pause: u32,
    /// Run-out blocks after each track's data.
    pub run_out: u32,
}

/// One track of a [`DiscSnapshot`].
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotTrack {
    /// Track number, 1..=99, in order.
    pub number: u32,
    /// Start LBA.
    pub start: i32,
    /// Length in sectors.
    pub sectors: u32,
    /// Pregap before the start.
    pub pregap: u32,
    /// BLAKE3 of the audio written, hex; absent for tracks whose content is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The write was interrupted (MMC READ TRACK INFORMATION's Damage bit).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damaged: bool,
}

/// The most tracks a CD holds.
const MAX_TRACKS: usize = 99;
/// The first track's mandatory pregap (spec section 1).
const FIRST_PREGAP: u32 = 150;

impl DiscSnapshot {
    /// Checks that the snapshot describes a disc that can exist: tracks numbered 1..=N (at most
    /// 99) in order, each at least one sector long, starting at or after the end of the one
    /// before plus its pregap, all before the last possible lead-out; digests of 64 hex digits;
    /// a session state that matches the tracks. The message names the first problem.
    pub fn validate(&self) -> Result<(), String> {
        if self.last_possible_lead_out <= 0 {
            return Err(format!("last_possible_lead_out is {}: it must be positive", self.last_possible_lead_out));
        }
        if let Some(atip) = &self.atip {
            if atip.lead_out.to_lba() != self.last_possible_lead_out {
                return Err(format!(
                    "last_possible_lead_out {} does not match the ATIP lead-out {} (LBA {})",
                    self.last_possible_lead_out,
                    atip.lead_out,
                    atip.lead_out.to_lba()
                ));
            }
        }
        if self.tracks.len() > MAX_TRACKS {
            return Err(format!("{} tracks: a CD holds at most {MAX_TRACKS}", self.tracks.len()));
        }
        match (self.session, self.tracks.is_empty()) {
            (SessionState::Empty, false) => {
                return Err("the session is empty but the disc has tracks: use session = \"incomplete\"".into())
            }
            (SessionState::Incomplete, true) => {
                return Err("the session is open (incomplete) but the disc has no track".into())
            }
            _ => {}
        }
        if self.finalized && self.session != SessionState::Complete {
            return Err("finalized = true needs a closed session (session = \"complete\")".into());
        }
        // The first track's pregap lies before LBA 0 (LBA -150..-1 on the first session).
        let mut end: i64 = -i64::from(FIRST_PREGAP);
        for (i, t) in self.tracks.iter().enumerate() {
            let n = i as u32 + 1;
            let at = format!("track {n}");
            if t.number != n {
                return Err(format!("{at} is numbered {}: tracks are numbered 1, 2, ... in order", t.number));
            }
            if t.sectors == 0 {
                return Err(format!("{at} has 0 sectors"));
            }
            let start = i64::from(t.start);
            if start < end + i64::from(t.pregap) {
                return Err(format!(
                    "{at} starts at {} with a pregap of {}, before the end of what precedes it ({end})",
                    t.start, t.pregap
                ));
            }
            end = start + i64::from(t.sectors) + i64::from(self.layout.run_out);
            if end > i64::from(self.last_possible_lead_out) {
                return Err(format!(
                    "{at} ends at {end} (with run-out), past the last possible lead-out {}",
                    self.last_possible_lead_out
                ));
            }
            if let Some(d) = &t.digest {
                if d.len() != 64 || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(format!("{at}: digest {d:?} is not 64 hex digits (BLAKE3)"));
                }
            }
        }
        Ok(())
    }
}
