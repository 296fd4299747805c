//! What a differential run reports: a disagreement between backend and model, and counts.

use std::fmt;

use cdr_sim::Hresult;

use super::rule::Rule;
use crate::{Client, Expect, HrSet, Member};
use cdr_scenario::call::Value;

/// Where in a sequence something happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// Index of the op in the sequence.
    pub op: usize,
    /// 1-based step number in the scenario the sequence expands to (a repeated op is several
    /// steps).
    pub step: usize,
    /// The `during` call (0-based) when it happened inside the Update handler.
    pub during: Option<usize>,
}

/// The backend and the model disagree.
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    /// Where.
    pub at: At,
    /// What.
    pub kind: Box<Kind>,
}

/// The kinds of disagreement.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A call answered other than the model predicts.
    Answer {
        /// Who called.
        client: Client,
        /// What.
        member: Member,
        /// The prediction.
        expected: Expect,
        /// The HRESULT answered.
        hr: Hresult,
        /// The value answered.
        value: Option<Value>,
    },
    /// An invariant, an event or the disc read back broke a rule.
    Rule(Rule),
}

impl Disagreement {
    /// A disagreement of `kind` at `at`.
    pub fn new(at: At, kind: Kind) -> Disagreement {
        Disagreement { at, kind: Box::new(kind) }
    }
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step {}", self.at.step)?;
        if let Some(d) = self.at.during {
            write!(f, ", during call {}", d + 1)?;
        }
        match self.kind.as_ref() {
            Kind::Answer { client, member, expected, hr, value } => {
                write!(f, " (client {client:?}): {member:?} answered {hr}")?;
                if let Some(v) = value {
                    write!(f, " = {v:?}")?;
                }
                write!(f, "; the model expects {}", describe_hr(expected.hr))?;
                match expected.value.exact() {
                    Some(v) if hr.is_success() && expected.hr.allows(*hr) => write!(f, " = {v:?}"),
                    _ => Ok(()),
                }
            }
            Kind::Rule(rule) => write!(f, ": {rule}"),
        }
    }
}

/// An allowed-HRESULT set in words.
pub fn describe_hr(hr: HrSet) -> String {
    match hr {
        HrSet::One(h) => h.to_string(),
        HrSet::Either(a, b) => format!("{a} or {b}"),
        HrSet::Failure => "a failure".into(),
        HrSet::Success => "a success code".into(),
        HrSet::Any => "anything".into(),
    }
}

/// Counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Cases run.
    pub cases: u64,
    /// Contract calls made and checked (steps, repeats, handler calls, probes).
    pub calls: u64,
    /// AddAudioTrack calls that wrote a track (completed or cancelled), nested ones included.
    pub writes: u64,
    /// Sectors of the streams of those tracks.
    pub sectors: u64,
    /// Writes cancelled from the handler.
    pub cancels: u64,
    /// Calls made from the Update handler.
    pub handler_calls: u64,
    /// Of those, calls from the PREPARING handler (before the writing flag is set).
    pub preparing_calls: u64,
    /// Of those, calls from the VERIFYING handler (after the flag is cleared and the refresh).
    pub verifying_calls: u64,
    /// Tracks written by an AddAudioTrack nested in the PREPARING handler of another.
    pub nested_tracks: u64,
    /// Nested AddAudioTrack calls refused with WRITE_IN_PROGRESS (they clear the outer call's
    /// writing flag under the default calibration).
    pub nested_refused: u64,
    /// PrepareMedia calls on a prepared object (MEDIA_IS_PREPARED, the object un-prepared).
    pub second_prepares: u64,
    /// Successful tracks whose refresh also counted an earlier cancelled or failed track.
    pub after_cancel: u64,
    /// Tracks written from streams shorter than the 300-sector minimum.
    pub short_tracks: u64,
    /// Successful tracks that left Free negative (the disc filled).
    pub full_disc: u64,
    /// AddAudioTrack calls the drive refused after PREPARING, 99 tracks being on the disc.
    pub hundredth_refused: u64,
    /// Calls made with no disc in the drive (empty or open tray).
    pub empty_tray: u64,
    /// Successful AcquireExclusiveAccess calls on the recorder object, and PrepareMedia calls
    /// that succeeded over a lock the same recorder object already held.
    pub extra_locks: u64,
    /// AddAudioTrack refused with TRACK_LIMIT_REACHED.
    pub track_limit: u64,
    /// AddAudioTrack refused with NOT_ENOUGH_SPACE.
    pub not_enough_space: u64,
    /// Successful PrepareMedia calls.
    pub prepares: u64,
    /// Cases that stopped early in a state the spec says nothing of.
    pub silent: u64,
}

impl Stats {
    /// No counts.
    pub const ZERO: Stats = Stats {
        cases: 0,
        calls: 0,
        writes: 0,
        sectors: 0,
        cancels: 0,
        handler_calls: 0,
        preparing_calls: 0,
        verifying_calls: 0,
        nested_tracks: 0,
        nested_refused: 0,
        second_prepares: 0,
        after_cancel: 0,
        short_tracks: 0,
        full_disc: 0,
        hundredth_refused: 0,
        empty_tray: 0,
        extra_locks: 0,
        track_limit: 0,
        not_enough_space: 0,
        prepares: 0,
        silent: 0,
    };

    /// Adds `o` to these counts.
    pub fn add(&mut self, o: &Stats) {
        self.cases += o.cases;
        self.calls += o.calls;
        self.writes += o.writes;
        self.sectors += o.sectors;
        self.cancels += o.cancels;
        self.handler_calls += o.handler_calls;
        self.preparing_calls += o.preparing_calls;
        self.verifying_calls += o.verifying_calls;
        self.nested_tracks += o.nested_tracks;
        self.nested_refused += o.nested_refused;
        self.second_prepares += o.second_prepares;
        self.after_cancel += o.after_cancel;
        self.short_tracks += o.short_tracks;
        self.full_disc += o.full_disc;
        self.hundredth_refused += o.hundredth_refused;
        self.empty_tray += o.empty_tray;
        self.extra_locks += o.extra_locks;
        self.track_limit += o.track_limit;
        self.not_enough_space += o.not_enough_space;
        self.prepares += o.prepares;
        self.silent += o.silent;
    }
}
