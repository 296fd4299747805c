//! What a [`Recording`](super::Recording) has seen: the steps, the objects by client, the
//! writes under way. Its lock is never held across a call into the backend or a hook.

use std::any::Any;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use cdr_sim::{DiscRecorder2, Hresult, TaoProgress};

use super::client_name;
use crate::call::{Call, Value};
use crate::faults::FaultProbe;
use crate::transcript::{hresult_fields, Check, DuringRecord, EventRecord, EventSummary, StepRecord};

/// One call as made: who, what, with what.
pub(super) struct Entry {
    pub client: usize,
    pub call: Call,
    pub args: Vec<Value>,
    pub track: Option<String>,
}

struct Write {
    client: usize,
    step: usize,
    /// The Update event delivered last (the count of events is `summary.total`).
    last: Option<TaoProgress>,
    summary: EventSummary,
}

#[derive(Default)]
struct State {
    steps: Vec<StepRecord>,
    /// Recorder objects handed out, by client, with the id each was last initialised with.
    recorders: Vec<(Weak<dyn DiscRecorder2>, Option<String>)>,
    formats: usize,
    writes: Vec<Write>,
}

pub(super) struct Journal {
    state: Mutex<State>,
    pub faults: Option<FaultProbe>,
    pub on_release: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
}

fn address(a: &dyn Any) -> *const () {
    a as *const dyn Any as *const ()
}

impl State {
    fn client_of(&self, recorder: &dyn DiscRecorder2) -> Option<usize> {
        let wanted = address(recorder.as_any());
        self.recorders.iter().position(|(r, _)| r.upgrade().is_some_and(|r| address(r.as_any()) == wanted))
    }
}

impl Journal {
    pub fn new(faults: Option<FaultProbe>) -> Journal {
        Journal { state: Mutex::new(State::default()), faults, on_release: Mutex::new(None) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Plain data: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn steps(&self) -> Vec<StepRecord> {
        self.lock().steps.clone()
    }

    /// Numbers the recorder object `me` (a wrapper whose `as_any` is its inner object's).
    pub fn new_recorder(&self, me: Weak<dyn DiscRecorder2>) -> usize {
        let mut st = self.lock();
        st.recorders.push((me, None));
        st.recorders.len() - 1
    }

    pub fn new_format(&self) -> usize {
        let mut st = self.lock();
        st.formats += 1;
        st.formats - 1
    }

    /// The client of a recorder object handed out by this recording.
    pub fn client_of(&self, recorder: &dyn DiscRecorder2) -> Option<usize> {
        self.lock().client_of(recorder)
    }

    pub fn initialised(&self, client: usize, id: &str) {
        if let Some(r) = self.lock().recorders.get_mut(client) {
            r.1 = Some(id.to_string());
        }
    }

    /// The id a recorder object handed out by this recording was last initialised with.
    pub fn recorder_id(&self, recorder: &dyn DiscRecorder2) -> Option<String> {
        let st = self.lock();
        st.client_of(recorder).and_then(|c| st.recorders[c].1.clone())
    }

    /// A recorder argument as a scenario writes it for a call of `caller`.
    pub fn recorder_arg(&self, caller: usize, recorder: Option<&dyn DiscRecorder2>) -> Vec<Value> {
        match recorder {
            None => vec![Value::Null],
            Some(r) => match self.client_of(r) {
                Some(c) if c == caller => vec![],
                Some(c) => vec![Value::Str(client_name(c))],
                None => vec![Value::Str("<a recorder of another backend>".into())],
            },
        }
    }

    /// Records a call and what it answered: a step, or a `during` call of the client's write
    /// under way.
    pub fn record(&self, e: Entry, hr: Hresult, value: Option<Value>) {
        let (symbol, hex) = hresult_fields(hr);
        let released = {
            let mut st = self.lock();
            let open =
                st.writes.iter().find(|w| w.client == e.client).map(|w| {
                    (w.step, format!("event {}", w.summary.total.max(1)), w.last.as_ref().map(EventRecord::from))
                });
            if let Some((step, when, event)) = open {
                let record = &mut st.steps[step];
                record.during.push(DuringRecord {
                    during: record.during.len() + 1,
                    line: 0,
                    when,
                    call: e.call.to_string(),
                    args: e.args,
                    track: e.track,
                    fired: true,
                    hresult: Some(symbol),
                    hex: Some(hex),
                    value,
                    check: Check::Unchecked,
                    event,
                });
                return;
            }
            let mut record = new_step(st.steps.len() + 1, &e);
            record.hresult = symbol;
            record.hex = hex;
            record.value = value;
            self.annotate(&mut record);
            st.steps.push(record);
            e.call == Call::ReleaseMedia
        };
        if released {
            let hook = self.on_release.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if let Some(hook) = hook {
                hook();
            }
        }
    }

    /// Opens the AddAudioTrack step of `e`; `None` when the client has a write under way (this
    /// one is then a `during` call, recorded by [`Journal::record`] when it returns).
    pub fn begin_write(&self, e: &Entry) -> Option<usize> {
        let mut st = self.lock();
        if st.writes.iter().any(|w| w.client == e.client) {
            return None;
        }
        let step = st.steps.len();
        st.steps.push(new_step(step + 1, e));
        st.writes.push(Write { client: e.client, step, last: None, summary: EventSummary::default() });
        Some(step)
    }

    /// Closes the AddAudioTrack step opened as `step`.
    pub fn end_write(&self, step: usize, hr: Hresult) {
        let mut st = self.lock();
        let Some(i) = st.writes.iter().position(|w| w.step == step) else { return };
        let w = st.writes.remove(i);
        let (symbol, hex) = hresult_fields(hr);
        let record = &mut st.steps[step];
        record.hresult = symbol;
        record.hex = hex;
        record.events = Some(w.summary);
        self.annotate(record);
    }

    /// An Update event of `client`'s write.
    pub fn event(&self, client: usize, progress: &TaoProgress) {
        let mut st = self.lock();
        if let Some(w) = st.writes.iter_mut().find(|w| w.client == client) {
            w.last = Some(*progress);
            w.summary.add(progress, false);
        }
    }

    fn annotate(&self, record: &mut StepRecord) {
        if let Some(probe) = &self.faults {
            crate::runner::annotate(record, probe.take_new_events());
        }
    }
}

fn new_step(number: usize, e: &Entry) -> StepRecord {
    StepRecord {
        call: Some(e.call.to_string()),
        args: e.args.clone(),
        track: e.track.clone(),
        ..StepRecord::blank(number, 0, client_name(e.client))
    }
}
