//! The scenario file as written: serde types of `docs/reference/scenario-format.md`, with the
//! position of every value that is checked after parsing. `deny_unknown_fields` everywhere: a
//! misspelt key is an error naming its line and column.

use cdr_sim::contract::SessionState;
use cdr_sim::{DiscState, TaoWriteAction};
use toml::Spanned;

use super::node::Node;
use crate::call::{Call, Value};

/// A whole scenario file.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// What the scenario checks, in a sentence a newcomer understands. Required.
    pub description: Option<Spanned<String>>,
    /// Free labels (`["mid-write", "free-sectors"]`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Seed of the synthetic audio of `sectors` / `seconds` / `bytes` tracks (default 0).
    pub seed: Option<u64>,
    /// The recorder: a built-in drive profile name, a path to a drive file, or a table of keys
    /// overriding one (`profile = "..."`, `vendor`, `track_at_once`, `[drive.calibration]`, ...).
    pub drive: Option<Spanned<Node>>,
    /// The disc in the tray at the start: a built-in media name, `"none"`, a path to a media
    /// file, or a table of keys overriding one. Default: a blank 80-minute CD-R (`cdr80`).
    pub media: Option<Spanned<Node>>,
    /// The steps, run in order (`[[step]]`). At least one.
    #[serde(default)]
    pub step: Vec<Spanned<StepFile>>,
    /// Checks of the disc as read back after the last step.
    pub expect_disc: Option<ExpectDiscFile>,
    /// Seed of random faults (`[[fault]]` with `kind = "random"`).
    pub fault_seed: Option<u64>,
    /// Fault rules, applied by the fault-injection middleware (`docs/scenarios.md`, "Faults").
    #[serde(default)]
    pub fault: Vec<Spanned<crate::faults::rules::FaultFile>>,
}

impl super::Parts for ScenarioFile {
    const ARRAYS: &'static [&'static str] = &["step", "fault"];
    fn absorb(&mut self, other: Self) {
        self.step.extend(other.step);
        self.fault.extend(other.fault);
    }
}

/// One `[[step]]`: a call, an `insert` of another disc, or a `save` of the disc in the drive.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    /// The IMAPI2 member to call, in Windows spelling (`PrepareMedia`, `get_FreeSectorsOnMedia`,
    /// `IDiscRecorder2::EjectMedia`, `IBurnVerification::put_BurnVerificationLevel`).
    pub call: Option<Spanned<Call>>,
    /// The call's arguments (`args = ["Imapi2Sample"]`, `args = [-1, false]`).
    pub args: Option<Spanned<Vec<Value>>>,
    /// AddAudioTrack's stream: `{ sectors = N }`, `{ seconds = N }`, `{ bytes = N }`,
    /// `{ file = "a.wav" }` or `{ file = "a.bin", raw = true }`.
    pub track: Option<Spanned<TrackFile>>,
    /// The HRESULT expected (a symbol or hex), or a list of allowed ones; omit to record only.
    pub expect: Option<Spanned<Value>>,
    /// The value expected back; omit to record without checking.
    pub value: Option<Spanned<Value>>,
    /// The client making the call (default `main`): each client has its own format object and
    /// its own recorder object on the same drive.
    pub client: Option<Spanned<String>>,
    /// Instead of a call: put another disc in the tray (a built-in media name, `"none"`, a path
    /// to a media file, or a table of keys), or a saved disc (`{ file = "x.disc.toml" }`).
    pub insert: Option<Spanned<Node>>,
    /// Instead of a call: save the disc in the drive to a file, relative to the scenario
    /// (`save = "discs/x.disc.toml"`, or `{ file = "...", overwrite = true }` to replace one).
    pub save: Option<Spanned<toml::Value>>,
    /// Calls made from inside the Update event handler while this step's AddAudioTrack runs.
    #[serde(default)]
    pub during: Vec<Spanned<DuringFile>>,
}

/// One `[[step.during]]`: a call made from inside the Update handler.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DuringFile {
    /// The event that triggers the call (the first that matches; it fires once).
    pub when: Spanned<WhenFile>,
    /// The member to call on the step's client's format object (or its recorder).
    pub call: Spanned<Call>,
    /// The call's arguments.
    pub args: Option<Spanned<Vec<Value>>>,
    /// A stream, for a re-entrant AddAudioTrack.
    pub track: Option<Spanned<TrackFile>>,
    /// The HRESULT expected, or a list of allowed ones.
    pub expect: Option<Spanned<Value>>,
    /// The value expected back.
    pub value: Option<Spanned<Value>>,
    /// Fields expected of the Update event that fired the call (`event = { track = 2,
    /// remaining = 16 }`); only the fields given are checked.
    pub event: Option<Spanned<EventExpect>>,
}

/// `event = { ... }` of a `during` call: the fields of the triggering Update event to check,
/// named as transcripts name them.
#[derive(serde::Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EventExpect {
    /// CurrentAction: `PREPARING`, `WRITING`, `FINISHING` or `VERIFYING`.
    pub action: Option<TaoWriteAction>,
    /// CurrentTrackNumber.
    pub track: Option<i32>,
    /// StartLba.
    pub start_lba: Option<i32>,
    /// SectorCount.
    pub sector_count: Option<i32>,
    /// LastWrittenLba.
    pub last_written_lba: Option<i32>,
    /// ElapsedTime, seconds.
    pub elapsed: Option<i32>,
    /// RemainingTime, seconds.
    pub remaining: Option<i32>,
}

/// When a `during` call fires.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct WhenFile {
    /// The event's CurrentAction: `PREPARING`, `WRITING`, `FINISHING` or `VERIFYING`.
    pub action: Option<Spanned<TaoWriteAction>>,
    /// With `WRITING`: the first event at which (LastWrittenLba - StartLba) * 100 / SectorCount
    /// reaches this percent.
    pub percent: Option<Spanned<u32>>,
    /// Alone: the first event at which LastWrittenLba - StartLba >= this many sectors.
    pub sector: Option<Spanned<u32>>,
    /// Alone: the K-th Update event of the step's track (from 1), whatever it says; what
    /// `cdr-harness capture` writes, as it pins the very event an application's handler saw.
    pub event: Option<Spanned<u32>>,
}

/// A track source as written.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TrackFile {
    /// Synthetic PCM of this many 2352-byte sectors.
    pub sectors: Option<u64>,
    /// Synthetic PCM of this many seconds (75 sectors each).
    pub seconds: Option<u64>,
    /// Synthetic PCM of exactly this many bytes (for sizes not a multiple of 2352).
    pub bytes: Option<u64>,
    /// An audio file, relative to the scenario: a WAV file's PCM data (44.1 kHz 16-bit stereo,
    /// padded with silence to a whole sector), or with `raw = true` its bytes as they are.
    pub file: Option<String>,
    /// Pass the file's bytes as they are, header and all.
    pub raw: Option<bool>,
}

/// `[expect_disc]`: checks of the disc as read back; only the keys given are checked.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ExpectDiscFile {
    /// `false` expects an empty tray, `true` a disc.
    pub present: Option<Spanned<bool>>,
    /// Disc status: `"blank"`, `"appendable"` or `"complete"`.
    pub status: Option<Spanned<DiscState>>,
    /// Tracks in order: `{ start = LBA, sectors = N }`, optionally `pregap`, `session` and
    /// `digest` (BLAKE3 hex of the audio written).
    pub tracks: Option<Spanned<Vec<ExpectTrackFile>>>,
    /// Start LBA of the lead-out, or `"none"` when no session is closed.
    pub lead_out: Option<Spanned<Value>>,
    /// Number of sessions.
    pub sessions: Option<Spanned<u32>>,
    /// State of the last session: `"empty"`, `"incomplete"` or `"complete"`.
    pub last_session_state: Option<Spanned<SessionState>>,
    /// Physical media type, as a number, symbol or name.
    pub media_type: Option<Spanned<Value>>,
    /// Next writable address, or `"none"` when the disc is complete.
    pub next_writable_address: Option<Spanned<Value>>,
    /// Free blocks of the invisible track.
    pub free_blocks: Option<Spanned<u32>>,
    /// Alternatives, where the real outcome is unknown: the read-back must match at least one
    /// (`[[expect_disc.any_of]]`, each with the keys above), as well as the keys above.
    #[serde(default)]
    pub any_of: Vec<Spanned<ExpectDiscFile>>,
}

/// One expected track.
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectTrackFile {
    /// Start LBA.
    pub start: i32,
    /// Length in sectors.
    pub sectors: u32,
    /// Pregap in sectors.
    pub pregap: Option<u32>,
    /// Session number, from 1.
    pub session: Option<u32>,
    /// BLAKE3 of the audio as written, hex.
    pub digest: Option<String>,
    /// The track's write was interrupted (READ TRACK INFORMATION's Damage bit).
    pub damaged: Option<bool>,
}
