//! Transcripts: what happened when a scenario ran, in a form that serialises to TOML and JSON
//! deterministically (no maps with unstable order, no wall clock) and reads well in review.
//!
//! A transcript holds the environment (backend, drive identity and calibration, the disc as it
//! was at the start, seed, tool version), every step and `during` call with its HRESULT (symbol
//! and hex as separate fields), value and check, a compact summary of each track's Update events,
//! the failures, and the disc as read back at the end.

use cdr_sim::contract::{DiscReadBack, SessionState};
use cdr_sim::{Calibration, DiscState, Hresult, Msf, TaoProgress};

use crate::call::Value;

/// The record of one run of one scenario.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Transcript {
    /// The scenario's name (its path as given).
    pub scenario: String,
    /// What the scenario checks.
    pub description: String,
    /// True when every expectation held.
    pub passed: bool,
    /// Where it ran.
    pub environment: Environment,
    /// Every failed expectation, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Failure>,
    /// Every step, in order.
    pub steps: Vec<StepRecord>,
    /// The tray as read back after the last step and after the format objects were dropped.
    pub disc: DiscReadBack,
    /// The MusicBrainz and FreeDB IDs of the disc read back (absent without a closed session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disc_id: Option<crate::discid::DiscIdentity>,
    /// The image files of the disc (`run --image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageRecord>,
    /// The fault rules of the run and how each was applied (absent without faults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<crate::faults::FaultReport>,
    /// The scenario that ran, embedded by `cdr-harness record` so that the transcript replays on
    /// its own (`cdr-harness compare`); absent in `run --out` transcripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ScenarioSource>,
    /// The drive, disc and fault rules a recording middleware ran with (the COM server's
    /// transcripts), in full, so that `cdr-harness capture` rebuilds the same set-up; absent in
    /// the runner's transcripts, whose scenario says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<SetupRecord>,
}

/// The set-up of a recorded session, complete enough to run its calls again.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetupRecord {
    /// The drive profile, every key.
    pub drive: cdr_sim::DriveProfile,
    /// The disc in the tray at the start, as a media profile (absent: see `disc`, else an empty
    /// tray).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<cdr_sim::MediaProfile>,
    /// The disc in the tray at the start when it was a saved disc (`media = { file = ... }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disc: Option<cdr_sim::DiscSnapshot>,
    /// Seed of random faults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault_seed: Option<u64>,
    /// The `[[fault]]` tables as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fault: Vec<toml::Table>,
}

/// A scenario as it was when a transcript was recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioSource {
    /// The scenario file relative to the transcript's folder (`/`-separated), against which the
    /// files it names (drive and media profiles, WAV tracks) are found again.
    pub path: String,
    /// BLAKE3 of `text`, hex: an edited copy of the scenario is refused, not replayed.
    pub blake3: String,
    /// The scenario file's text.
    pub text: String,
}

/// Where a scenario ran.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Environment {
    /// The backend (`sim`, `imapi2`, or a middleware around one).
    pub backend: String,
    /// `cdr-harness` version (redacted in snapshots).
    pub tool_version: String,
    /// Seed of synthetic audio.
    pub seed: u64,
    /// The recorder.
    pub drive: DriveEnvironment,
    /// The disc in the tray at the start; absent for an empty tray.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaEnvironment>,
    /// The operating system of the machine that recorded it (`cdr-harness record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
}

/// The recorder as the backend reports it, and the calibration in effect.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DriveEnvironment {
    /// Where the profile came from (`default`, a path, `... + inline (keys)`).
    pub profile: String,
    /// IDiscRecorder2::VendorId.
    pub vendor: String,
    /// IDiscRecorder2::ProductId.
    pub product: String,
    /// IDiscRecorder2::ProductRevision (firmware).
    pub revision: String,
    /// IDiscMaster2 unique id of the recorder.
    pub unique_id: String,
    /// Every calibration setting in effect.
    pub calibration: Calibration,
}

/// The disc at the start, as read back before the first step.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MediaEnvironment {
    /// Where the profile came from.
    pub profile: String,
    /// Physical media type.
    #[serde(rename = "type")]
    pub media_type: String,
    /// ATIP lead-in start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_in: Option<Msf>,
    /// ATIP last possible lead-out start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_out: Option<Msf>,
    /// Last possible lead-out as an LBA (the LPL).
    pub last_possible_lead_out: i32,
    /// Disc status.
    pub status: DiscState,
    /// State of the last session.
    pub last_session_state: SessionState,
    /// Sectors of each track already on the disc.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<u32>,
}

/// Whether a step's expectations held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// Every expectation held.
    Pass,
    /// An expectation failed (see `failures`).
    Fail,
    /// Nothing was expected: recorded only.
    Unchecked,
}

/// One step as it ran.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StepRecord {
    /// 1-based step number.
    pub step: usize,
    /// Line of the step in the scenario.
    pub line: usize,
    /// The client that made it.
    pub client: String,
    /// The member called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
    /// AddAudioTrack's stream, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// For an `insert` step: the disc put in the tray.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert: Option<String>,
    /// For a `save` step: the file the disc was saved to, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save: Option<String>,
    /// `unknown: <why>` when a fault struck this step whose real outcome is not known: the
    /// HRESULT and the disc are then checked against every listed possibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// HRESULT symbol (or hex when unknown).
    pub hresult: String,
    /// HRESULT hex.
    pub hex: String,
    /// The value returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Whether its expectations held.
    pub check: Check,
    /// Update events of an AddAudioTrack step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventSummary>,
    /// Calls made from the Update handler.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub during: Vec<DuringRecord>,
    /// Faults that struck during this step (its call, or calls from its Update handler).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<crate::faults::FaultEvent>,
}

impl StepRecord {
    /// A step that has not run yet: no call, no answer, nothing checked.
    pub fn blank(step: usize, line: usize, client: String) -> StepRecord {
        StepRecord {
            step,
            line,
            client,
            call: None,
            args: Vec::new(),
            track: None,
            insert: None,
            save: None,
            outcome: None,
            hresult: String::new(),
            hex: String::new(),
            value: None,
            check: Check::Unchecked,
            events: None,
            during: Vec::new(),
            faults: Vec::new(),
        }
    }
}

/// A `during` call as it ran (or did not).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DuringRecord {
    /// 1-based position within the step.
    pub during: usize,
    /// Line in the scenario.
    pub line: usize,
    /// The trigger as written: `WRITING 50%`, `PREPARING`, `sector 1000`.
    pub when: String,
    /// The member called.
    pub call: String,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
    /// A re-entrant AddAudioTrack's stream, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// Whether a matching event came.
    pub fired: bool,
    /// HRESULT symbol (absent when it never fired).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hresult: Option<String>,
    /// HRESULT hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
    /// The value returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Whether its expectations held (a call that never fired fails).
    pub check: Check,
    /// The event that triggered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventRecord>,
}

/// The fields of an Update event that a transcript keeps.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventRecord {
    /// CurrentAction.
    pub action: String,
    /// CurrentTrackNumber.
    pub track: i32,
    /// StartLba.
    pub start_lba: i32,
    /// SectorCount.
    pub sector_count: i32,
    /// LastWrittenLba.
    pub last_written_lba: i32,
    /// ElapsedTime, seconds.
    pub elapsed: i32,
    /// RemainingTime, seconds.
    pub remaining: i32,
}

impl From<&TaoProgress> for EventRecord {
    fn from(p: &TaoProgress) -> Self {
        EventRecord {
            action: p.current_action.name().to_string(),
            track: p.current_track_number,
            start_lba: p.start_lba,
            sector_count: p.sector_count,
            last_written_lba: p.last_written_lba,
            elapsed: p.elapsed_time,
            remaining: p.remaining_time,
        }
    }
}

/// The Update events of one AddAudioTrack, compactly.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventSummary {
    /// Number of events.
    pub total: usize,
    /// Per action, in order of first occurrence: count, first and last event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionSummary>,
    /// Every event, only when asked for (`--all-events`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<EventRecord>,
}

/// The events of one action.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionSummary {
    /// The action.
    pub action: String,
    /// How many events had it.
    pub count: usize,
    /// The first of them.
    pub first: EventRecord,
    /// The last of them.
    pub last: EventRecord,
}

impl EventSummary {
    /// Adds one event; keeps it whole when `keep_all`.
    pub fn add(&mut self, p: &TaoProgress, keep_all: bool) {
        let e = EventRecord::from(p);
        self.total += 1;
        match self.actions.iter_mut().find(|a| a.action == e.action) {
            Some(a) => {
                a.count += 1;
                a.last = e.clone();
            }
            None => self.actions.push(ActionSummary {
                action: e.action.clone(),
                count: 1,
                first: e.clone(),
                last: e.clone(),
            }),
        }
        if keep_all {
            self.all.push(e);
        }
    }
}

/// A failed expectation: where, what was expected, what happened.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// Step number (absent for `expect_disc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// `during` number within the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub during: Option<usize>,
    /// The call (or `insert`, or `expect_disc.<key>`).
    pub what: String,
    /// Line in the scenario.
    pub line: usize,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
}

impl Failure {
    /// Where, for reports: `step 3 (get_FreeSectorsOnMedia, line 12)`.
    pub fn location(&self) -> String {
        match (self.step, self.during) {
            // A fault rule's `what` already says where it was written (`fault 1 (faults.toml:3)`),
            // which may be another file than the scenario.
            (None, _) if self.what.starts_with("fault ") => self.what.clone(),
            (Some(s), Some(d)) => format!("step {s}, during {d} ({}, line {})", self.what, self.line),
            (Some(s), None) => format!("step {s} ({}, line {})", self.what, self.line),
            _ => format!("{} (line {})", self.what, self.line),
        }
    }
}

/// An HRESULT as (symbol or hex, hex).
pub fn hresult_fields(hr: Hresult) -> (String, String) {
    (hr.symbol().map_or_else(|| hr.hex(), str::to_string), hr.hex())
}

/// A transcript that cannot be serialised (it holds a value TOML cannot express).
#[derive(Debug, thiserror::Error)]
#[error("cannot serialise the transcript: {0}")]
pub struct SerializeError(String);

impl Transcript {
    /// The numbers of the tracks whose write was cancelled, from a run's transcript: each
    /// AddAudioTrack step (or re-entrant `during` AddAudioTrack) that answered
    /// E_IMAPI_REQUEST_CANCELLED, with the track number its Update events carried.
    pub fn cancelled_tracks(&self) -> Vec<u32> {
        let cancelled = Hresult::E_IMAPI_REQUEST_CANCELLED.hex();
        let mut out: Vec<u32> = self
            .steps
            .iter()
            .filter(|s| s.call.as_deref() == Some("AddAudioTrack") && s.hex == cancelled)
            .filter_map(|s| s.events.as_ref()?.actions.first().map(|a| a.first.track))
            .filter_map(|n| u32::try_from(n).ok())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// TOML, deterministic.
    pub fn to_toml(&self) -> Result<String, SerializeError> {
        toml::to_string(self).map_err(|e| SerializeError(e.to_string()))
    }

    /// Pretty JSON, deterministic.
    pub fn to_json(&self) -> Result<String, SerializeError> {
        serde_json::to_string_pretty(self).map_err(|e| SerializeError(e.to_string()))
    }
}

/// The image files of a run, as its transcript records them.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRecord {
    /// The CUE sheet (absent when no image was written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// The BIN file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// The text table of contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toc: Option<String>,
    /// The SVG picture of the disc layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
    /// Why no image was written (nothing was burned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_written: Option<String>,
}
