//! The recording station: middleware around the backend a scenario is recorded on.
//!
//! [`LabBackend`] implements [`Backend`] over any inner backend and changes three things, none
//! of which touches an IMAPI2 answer:
//! - `IDiscMaster2` lists only the recorder chosen with `--recorder`, so the scenario runner
//!   (which uses `Item(0)`) drives that one;
//! - every format object it creates gets a second Update sink, the burn progress bar;
//! - a disc change the inner backend cannot make (the IMAPI2 backend answers
//!   `E_NOTIMPL`) is asked of the operator, and checked against the drive's read-back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use cdr_sim::{
    Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2, HrResult, Hresult, MediaProfile,
    SimulatedDevice, TaoUpdateSink,
};

use super::media::{self, MatchRules};
use super::operator::{Operator, Reply};

/// An operator shared by the scenarios of a recording.
pub type SharedOperator = Arc<Mutex<Box<dyn Operator + Send>>>;

/// Middleware for recording: one recorder, progress bars, disc changes by the operator.
pub struct LabBackend {
    inner: Arc<dyn Backend>,
    unique_id: String,
    progress: Option<Arc<dyn TaoUpdateSink>>,
    operator: Option<SharedOperator>,
    rules: MatchRules,
    recorder_label: String,
    declined: AtomicBool,
}

impl LabBackend {
    /// `inner`, showing only the recorder `unique_id`.
    pub fn new(inner: Arc<dyn Backend>, unique_id: impl Into<String>) -> Self {
        let unique_id = unique_id.into();
        LabBackend {
            inner,
            recorder_label: unique_id.clone(),
            unique_id,
            progress: None,
            operator: None,
            rules: MatchRules::default(),
            declined: AtomicBool::new(false),
        }
    }

    /// Also advises `sink` on every format object (the progress bar).
    pub fn with_progress(mut self, sink: Arc<dyn TaoUpdateSink>) -> Self {
        self.progress = Some(sink);
        self
    }

    /// Asks `operator` for the disc changes the inner backend cannot make; `label` names the
    /// recorder in requests (`E:`), and `rules` say when the disc is the right one.
    pub fn with_operator(mut self, operator: SharedOperator, label: impl Into<String>, rules: MatchRules) -> Self {
        self.operator = Some(operator);
        self.recorder_label = label.into();
        self.rules = rules;
        self
    }

    /// The inner backend.
    pub fn inner(&self) -> &Arc<dyn Backend> {
        &self.inner
    }

    /// True when the operator declined a disc change during the run (the transcript is then
    /// not a recording of the scenario).
    pub fn declined(&self) -> bool {
        self.declined.load(Ordering::Relaxed)
    }
}

/// `IDiscMaster2` listing one recorder.
struct OneRecorder {
    inner: Arc<dyn DiscMaster2>,
    unique_id: String,
}

impl DiscMaster2 for OneRecorder {
    fn count(&self) -> HrResult<i32> {
        Ok(1)
    }
    fn item(&self, index: i32) -> HrResult<String> {
        if index == 0 {
            Ok(self.unique_id.clone())
        } else {
            Err(Hresult::E_INVALIDARG)
        }
    }
    fn is_supported_environment(&self) -> HrResult<bool> {
        self.inner.is_supported_environment()
    }
}

impl Backend for LabBackend {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        let inner = self.inner.disc_master()?;
        Ok(Arc::new(OneRecorder { inner, unique_id: self.unique_id.clone() }))
    }

    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        self.inner.create_recorder()
    }

    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        let format = self.inner.create_format()?;
        if let Some(p) = &self.progress {
            format.advise(Arc::clone(p))?;
        }
        Ok(format)
    }

    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        self.inner.read_back(recorder)
    }

    fn simulated(&self) -> Option<Arc<dyn SimulatedDevice>> {
        self.inner.simulated()
    }

    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        match self.inner.change_media(recorder, media) {
            Err(hr) if media::needs_operator(hr) => match &self.operator {
                Some(op) => {
                    let mut op = op.lock().unwrap_or_else(|p| p.into_inner());
                    match ensure_disc(
                        self.inner.as_ref(),
                        recorder,
                        media,
                        &self.recorder_label,
                        self.rules,
                        op.as_mut(),
                    ) {
                        Ok(()) => Ok(()),
                        Err(_) => {
                            self.declined.store(true, Ordering::Relaxed);
                            Err(hr)
                        }
                    }
                }
                None => Err(hr),
            },
            other => other,
        }
    }
}

/// Until the tray of `recorder` holds `wanted`: reads the disc back, and when it is not the
/// right one asks the operator to put it in. `Err` carries the operator's refusal
/// ([`Reply::Skip`] or [`Reply::Quit`]) and the last mismatch.
pub fn ensure_disc(
    backend: &dyn Backend,
    recorder: &dyn DiscRecorder2,
    wanted: Option<&MediaProfile>,
    label: &str,
    rules: MatchRules,
    operator: &mut dyn Operator,
) -> Result<(), (Reply, String)> {
    loop {
        let why = match backend.read_back(recorder) {
            Ok(rb) => match media::mismatch(wanted, rb.media.as_ref(), rules) {
                None => return Ok(()),
                Some(why) => why,
            },
            Err(hr) => format!("the disc cannot be read back ({hr}); wait until the drive is ready"),
        };
        let request = format!("Put {} into recorder {label} ({why}).", media::describe(wanted));
        match operator.ask(&request) {
            Reply::Ready => continue,
            refusal => return Err((refusal, why)),
        }
    }
}
