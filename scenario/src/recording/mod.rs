//! Recording: [`Recording`], a middleware that implements the device contract around any
//! backend and writes down every call made through it as transcript steps, the calls the
//! runner records, so that a session driven by something other than a scenario (an
//! application through the COM server) leaves a transcript `cdr-harness capture` turns into a
//! scenario.
//!
//! **Clients.** Each recorder object and each format object is numbered in the order it is
//! created; the k-th recorder and the k-th format object are client k (`main`, `client2`,
//! `client3`, ...), as the runner creates one recorder and one format object per client, in
//! that order. A recorder passed as an argument (`put_Recorder`, `IsRecorderSupported`) is
//! written as the client it belongs to: no argument for the caller's own, its client's name
//! for another's, `[]` for NULL.
//!
//! **Writes and their handler.** While a client's AddAudioTrack runs, every call of that
//! client (from its Update handler, or from another thread) is a `during` call of the
//! AddAudioTrack step, triggered by the Update event delivered last (`when = "event K"`: the
//! K-th event of the track) and recorded with that event.
//!
//! `IDiscMaster2` members are not calls of the scenario format (the runner lists recorders
//! itself), so they pass through unrecorded.
//!
//! ```
//! use std::io::Cursor;
//! use cdr_scenario::recording::Recording;
//! use cdr_sim::profile::{drive_by_name, media_by_name};
//! use cdr_sim::{Backend, SimBackend};
//!
//! let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
//! let recording = Recording::new(sim, None);
//! let id = recording.disc_master().unwrap().item(0).unwrap();
//! let recorder = recording.create_recorder().unwrap();
//! recorder.initialize_disc_recorder(&id).unwrap();
//! let format = recording.create_format().unwrap();
//! format.set_recorder(Some(recorder)).unwrap();
//! format.set_client_name(Some("Example")).unwrap();
//! format.prepare_media().unwrap();
//! format.add_audio_track(&mut Cursor::new(vec![0u8; 300 * 2352])).unwrap();
//! format.release_media().unwrap();
//! let steps = recording.probe().steps();
//! let calls: Vec<_> = steps.iter().map(|s| s.call.clone().unwrap()).collect();
//! assert_eq!(calls, ["IDiscRecorder2::InitializeDiscRecorder", "put_Recorder", "put_ClientName",
//!                    "PrepareMedia", "AddAudioTrack", "ReleaseMedia"]);
//! assert_eq!(steps[4].track.as_deref(), Some("bytes = 705600"));
//! ```

mod journal;
mod objects;

use std::sync::{Arc, Weak};

use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscRecorder2, HrResult};

use crate::faults::FaultProbe;
use crate::transcript::StepRecord;
use journal::Journal;
use objects::{RecFormat, RecRecorder};

/// The name of client `index` (from 0): `main`, then `client2`, `client3`, ...
pub fn client_name(index: usize) -> String {
    match index {
        0 => crate::scenario::MAIN_CLIENT.to_string(),
        n => format!("client{}", n + 1),
    }
}

/// A backend whose calls are recorded. See the [module docs](self).
pub struct Recording<B: Backend> {
    inner: B,
    journal: Arc<Journal>,
}

impl<B: Backend> Recording<B> {
    /// Wraps `inner`. With `faults` (the probe of a fault injector inside `inner`), the faults
    /// that strike during each step are put on its record, as the runner does.
    pub fn new(inner: B, faults: Option<FaultProbe>) -> Recording<B> {
        Recording { inner, journal: Arc::new(Journal::new(faults)) }
    }

    /// The backend it wraps.
    pub fn inner(&self) -> &B {
        &self.inner
    }

    /// A handle on what was recorded.
    pub fn probe(&self) -> RecordingProbe {
        RecordingProbe { journal: Arc::clone(&self.journal) }
    }
}

/// A handle on a recording's steps.
#[derive(Clone)]
pub struct RecordingProbe {
    journal: Arc<Journal>,
}

impl RecordingProbe {
    /// The steps recorded so far (an AddAudioTrack still running has no HRESULT yet).
    pub fn steps(&self) -> Vec<StepRecord> {
        self.journal.steps()
    }

    /// The fault report of the injector inside, if there is one.
    pub fn fault_report(&self) -> Option<crate::faults::FaultReport> {
        self.journal.faults.as_ref().map(FaultProbe::report)
    }

    /// Calls `hook` after every ReleaseMedia (whatever it answered), outside every lock of
    /// the recording, on the thread that called it: the moment an application lets the disc
    /// go.
    pub fn on_release(&self, hook: Arc<dyn Fn() + Send + Sync>) {
        *self.journal.on_release.lock().unwrap_or_else(|p| p.into_inner()) = Some(hook);
    }
}

impl<B: Backend> Backend for Recording<B> {
    /// `recording(<inner>)`.
    fn name(&self) -> String {
        format!("recording({})", self.inner.name())
    }

    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        self.inner.disc_master()
    }

    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        let inner = self.inner.create_recorder()?;
        let journal = Arc::clone(&self.journal);
        let recorder = Arc::new_cyclic(|me: &Weak<RecRecorder>| {
            let client = self.journal.new_recorder(me.clone());
            RecRecorder { inner, journal, client }
        });
        Ok(recorder)
    }

    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        let inner = self.inner.create_format()?;
        let journal = Arc::clone(&self.journal);
        let client = self.journal.new_format();
        Ok(Arc::new_cyclic(|me| RecFormat { inner, journal, client, me: me.clone() }))
    }

    crate::middleware::pass_through_device_members!();
}

#[cfg(test)]
mod tests;
