//! Scenario files (`docs/reference/scenario-format.md`): loading, checking, and the checked form
//! the runner executes.
//!
//! [`load`] reads a file, parses it with the serde types of [`file`], and checks everything that
//! can be checked before running: call names, argument types, value types, profiles, track
//! sources and their files. Every error names the file, line and column and says what was
//! expected.

mod build;
mod checks;
pub mod file;
mod node;
mod profiles;
pub mod setup;
mod track;

use std::fmt;
use std::path::{Path, PathBuf};

use cdr_sim::contract::SessionState;
use cdr_sim::{DiscState, DriveProfile, Hresult, MediaProfile, TaoProgress, TaoWriteAction};

pub use crate::document::{document as read_document, line_col, Parts, ScenarioError};
pub use node::Node;
pub use profiles::Resolved;
pub use track::{AudioFile, TrackError, TrackSource};

use crate::call::{Call, Value};

/// The client of a step without `client = ...`.
pub const MAIN_CLIENT: &str = "main";

/// A checked scenario, ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The name transcripts and reports use (by default the path as given).
    pub name: String,
    /// The file it was loaded from.
    pub path: PathBuf,
    /// What it checks.
    pub description: String,
    /// Free labels.
    pub tags: Vec<String>,
    /// Seed of synthetic audio.
    pub seed: u64,
    /// The recorder.
    pub drive: Resolved<DriveProfile>,
    /// The disc in the tray at the start (`None`: empty tray).
    pub media: Resolved<Option<MediaProfile>>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Read-back checks.
    pub expect_disc: Option<ExpectDisc>,
    /// Client names in order of first use; `main` first.
    pub clients: Vec<String>,
    /// Fault rules (`[[fault]]`) and the seed of random faults (`fault_seed`).
    pub faults: crate::faults::FaultConfig,
}

/// One step.
#[derive(Clone, Debug)]
pub struct Step {
    /// 1-based position in the file.
    pub number: usize,
    /// Line of the `[[step]]` header.
    pub line: usize,
    /// The client making it.
    pub client: String,
    /// What it does.
    pub action: Action,
    /// What it should answer.
    pub expect: Expectation,
    /// Calls from inside the Update handler (AddAudioTrack steps only).
    pub during: Vec<During>,
}

/// What a step does.
#[derive(Clone, Debug)]
pub enum Action {
    /// Calls a member.
    Call(Invocation),
    /// Puts another disc (or none) in the tray.
    Insert(Resolved<Option<MediaProfile>>),
    /// Puts a saved disc in the tray (`insert = { file = "..." }`).
    InsertSaved(crate::durable::SavedDisc),
    /// Saves the disc in the drive (`save = "..."`).
    Save(crate::durable::SaveTarget),
}

/// A call with its checked arguments.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// The member.
    pub call: Call,
    /// Arguments typed by [`Call::check_args`].
    pub args: Vec<Value>,
    /// AddAudioTrack's stream.
    pub track: Option<TrackSource>,
}

/// The HRESULTs allowed and the value expected; `None` checks nothing.
#[derive(Clone, Debug, Default)]
pub struct Expectation {
    /// Allowed HRESULTs.
    pub hresults: Option<Vec<Hresult>>,
    /// The value expected back, typed as the call returns it.
    pub value: Option<Value>,
}

/// A call made from inside the Update handler.
#[derive(Clone, Debug)]
pub struct During {
    /// 1-based position within its step.
    pub number: usize,
    /// Line of the `[[step.during]]` header.
    pub line: usize,
    /// The event that fires it.
    pub when: Trigger,
    /// The call.
    pub invocation: Invocation,
    /// What it should answer.
    pub expect: Expectation,
    /// Fields expected of the event that fires it.
    pub event: Option<file::EventExpect>,
}

/// When a `during` call fires: at the first Update event of its step's track that matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// `{ action = "..." }`: the first event with this CurrentAction.
    Action(TaoWriteAction),
    /// `{ action = "WRITING", percent = P }`: the first WRITING event with
    /// (LastWrittenLba - StartLba) * 100 / SectorCount >= P.
    Percent(u32),
    /// `{ sector = N }`: the first event with LastWrittenLba - StartLba >= N.
    Sector(u32),
    /// `{ event = K }`: the K-th Update event of the track (from 1).
    Event(u32),
}

impl Trigger {
    /// Whether `p`, the `ordinal`-th Update event of the track (from 1), fires this trigger.
    pub fn matches(&self, p: &TaoProgress, ordinal: usize) -> bool {
        match *self {
            Trigger::Event(k) => ordinal == k as usize,
            Trigger::Action(a) => p.current_action == a,
            Trigger::Percent(n) => {
                p.current_action == TaoWriteAction::Writing && i64::from(p.percent()) >= i64::from(n)
            }
            Trigger::Sector(n) => i64::from(p.last_written_lba) - i64::from(p.start_lba) >= i64::from(n),
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Action(a) => f.write_str(a.name()),
            Trigger::Percent(n) => write!(f, "WRITING {n}%"),
            Trigger::Sector(n) => write!(f, "sector {n}"),
            Trigger::Event(k) => write!(f, "event {k}"),
        }
    }
}

/// `[expect_disc]`, checked: each `Some` is compared with the read-back.
#[derive(Clone, Debug, Default)]
pub struct ExpectDisc {
    /// Line of the `[expect_disc]` header (or of its first key).
    pub line: usize,
    /// A disc in the tray (`true`) or none.
    pub present: Option<Checked<bool>>,
    /// Disc status.
    pub status: Option<Checked<DiscState>>,
    /// Tracks.
    pub tracks: Option<Checked<Vec<file::ExpectTrackFile>>>,
    /// Lead-out start; `Some(None)` expects no lead-out.
    pub lead_out: Option<Checked<Option<i32>>>,
    /// Sessions.
    pub sessions: Option<Checked<u32>>,
    /// Last session state.
    pub last_session_state: Option<Checked<SessionState>>,
    /// Media type (an enum value).
    pub media_type: Option<Checked<Value>>,
    /// Next writable address; `Some(None)` expects none.
    pub next_writable_address: Option<Checked<Option<i32>>>,
    /// Free blocks.
    pub free_blocks: Option<Checked<u32>>,
    /// Alternatives (`[[expect_disc.any_of]]`): the read-back must match one of them.
    pub any_of: Vec<ExpectDisc>,
}

/// An expected value with the line it was written on.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked<T> {
    /// The expected value.
    pub value: T,
    /// Where it was written.
    pub line: usize,
}

/// Whether the scenario at `path` has a `save` step (false when it cannot be loaded: the run
/// reports that on its own).
pub fn saves_a_disc(path: &Path) -> bool {
    load(path).is_ok_and(|s| s.steps.iter().any(|st| matches!(st.action, Action::Save(_))))
}

/// Reads and checks the scenario at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::file(path, format!("cannot read: {e}")))?;
    parse(path, &text)
}

/// Checks scenario text as if read from `path` (relative paths inside resolve against it).
pub fn parse(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    // A file whose parts are partly unreadable is still checked as far as it can be, so that
    // one run reports every mistake.
    let (raw, mut errors) = crate::document::document_parts::<file::ScenarioFile>(path, text);
    let complete = errors.is_empty();
    let built = raw.map(|raw| build::build(path, text, raw, complete));
    match built {
        Some(Ok(s)) if errors.is_empty() => Ok(s),
        Some(Err(e)) => {
            errors.push(e);
            Err(ScenarioError::all(path, errors).unwrap_or_else(|| unreachable!("one error at least")))
        }
        _ => Err(ScenarioError::all(path, errors).unwrap_or_else(|| unreachable!("one error at least"))),
    }
}

#[cfg(test)]
mod tests {
    use super::file::ScenarioFile;
    use super::*;
    use crate::document::document;

    #[test]
    fn every_table_of_an_array_reports_its_own_error() {
        let text = "description = \"x\"\nbogus = 1\n[[step]]\ncall = \"PrepareMedai\"\n[[step]]\ncall = \"PrepareMedia\"\nexpectt = \"S_OK\"\n";
        let e = document::<ScenarioFile>(Path::new("s.toml"), text).unwrap_err();
        let shown = e.to_string();
        assert_eq!(e.count(), 3, "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[0].starts_with("s.toml:2:1: unknown field `bogus`"), "{shown}");
        assert!(lines[1].starts_with("s.toml:4:8: unknown call `PrepareMedai`"), "{shown}");
        assert!(lines[2].starts_with("s.toml:7:1: unknown field `expectt`"), "{shown}");
    }
}
