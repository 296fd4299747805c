//! The Update event sink of one client's format object: records the events of the current
//! step's track and makes its `during` calls through the same dispatch as steps. Its lock is
//! never held across a call into the backend.

use std::sync::{Arc, Mutex, MutexGuard};

use cdr_sim::{DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, TaoProgress, TaoUpdateSink};

use super::Recorders;
use crate::call::{invoke, Target, Value};
use crate::scenario::During;
use crate::transcript::EventSummary;

/// What a `during` call did.
#[derive(Clone, Debug)]
pub struct DuringOutcome {
    /// The event that fired it.
    pub event: TaoProgress,
    /// Its HRESULT and value, or why its track could not be opened.
    pub result: Result<(Hresult, Option<Value>), String>,
}

/// The events and during calls of one step.
#[derive(Default)]
pub struct StepEvents {
    /// Events seen.
    pub summary: EventSummary,
    /// Each `during` of the step, in order: `None` when it never fired.
    pub outcomes: Vec<Option<DuringOutcome>>,
}

struct Active {
    step: usize,
    durings: Vec<During>,
    fired: Vec<bool>,
    events: StepEvents,
}

/// One client's Update sink.
pub struct Sink {
    recorder: Arc<dyn DiscRecorder2>,
    recorders: Arc<Recorders>,
    seed: u64,
    keep_all_events: bool,
    active: Mutex<Option<Active>>,
}

impl Sink {
    /// A sink for the client owning `recorder`.
    pub fn new(recorder: Arc<dyn DiscRecorder2>, recorders: Arc<Recorders>, seed: u64, keep_all_events: bool) -> Self {
        Sink { recorder, recorders, seed, keep_all_events, active: Mutex::new(None) }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Active>> {
        // A panic elsewhere while holding the lock leaves plain data behind: keep going.
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts recording for step `step`, whose `during` calls may fire.
    pub fn begin_step(&self, step: usize, durings: &[During]) {
        let n = durings.len();
        *self.lock() = Some(Active {
            step,
            durings: durings.to_vec(),
            fired: vec![false; n],
            events: StepEvents { outcomes: vec![None; n], ..StepEvents::default() },
        });
    }

    /// Stops recording and hands back what the step saw.
    pub fn end_step(&self) -> StepEvents {
        self.lock().take().map(|a| a.events).unwrap_or_default()
    }
}

impl TaoUpdateSink for Sink {
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        // Under the lock: record the event and pick the calls it fires. Then release it.
        let (step, due) = {
            let mut guard = self.lock();
            let Some(active) = guard.as_mut() else { return };
            active.events.summary.add(progress, self.keep_all_events);
            let ordinal = active.events.summary.total;
            let mut due = Vec::new();
            for (i, d) in active.durings.iter().enumerate() {
                if !active.fired[i] && d.when.matches(progress, ordinal) {
                    active.fired[i] = true;
                    due.push((i, d.clone()));
                }
            }
            (active.step, due)
        };
        for (i, d) in due {
            let lookup = |name: &str| self.recorders.get(name);
            let target = Target { format, recorder: &self.recorder, lookup: &lookup };
            let result = match &d.invocation.track {
                None => Ok(invoke(&target, d.invocation.call, &d.invocation.args, None)),
                Some(t) => match t.open(self.seed.wrapping_add(step as u64)) {
                    Ok(mut s) => Ok(invoke(&target, d.invocation.call, &d.invocation.args, Some(s.as_mut()))),
                    Err(e) => Err(e.to_string()),
                },
            };
            if let Some(active) = self.lock().as_mut() {
                active.events.outcomes[i] = Some(DuringOutcome { event: *progress, result });
            }
        }
    }
}
