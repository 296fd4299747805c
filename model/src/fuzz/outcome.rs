//! What a differential run reports: a disagreement between backend and model, and counts.

use std::fmt;

use cdr_sim::Hresult;

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
    /// An invariant, an event or the disc read back broke a rule (the message says which).
    Rule(String),
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
            Kind::Rule(msg) => write!(f, ": {msg}"),
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
    /// AddAudioTrack calls that wrote a track (completed or cancelled).
    pub writes: u64,
    /// Sectors written by those tracks.
    pub sectors: u64,
    /// Writes cancelled from the handler.
    pub cancels: u64,
    /// Calls made from the Update handler.
    pub handler_calls: u64,
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
    /// Adds `o` to these counts.
    pub fn add(&mut self, o: &Stats) {
        self.cases += o.cases;
        self.calls += o.calls;
        self.writes += o.writes;
        self.sectors += o.sectors;
        self.cancels += o.cancels;
        self.handler_calls += o.handler_calls;
        self.track_limit += o.track_limit;
        self.not_enough_space += o.not_enough_space;
        self.prepares += o.prepares;
        self.silent += o.silent;
    }
}
