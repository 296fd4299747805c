//! Recording: scenarios run on a station (the simulator, or one real recorder) and written as
//! self-contained transcripts with the full environment.
//!
//! On the simulator each scenario gets a fresh drive with its own disc, as `run` does. On a
//! real recorder ([`Station::Shared`]) the drive and its tray persist between scenarios: before
//! each one the disc in the tray is checked against the scenario's `[media]` and the operator
//! is asked for the right one; a scenario that may burn a disc runs only with `--yes`; one that
//! changes discs half way needs an operator. Whatever is not run is skipped, with the reason.

use std::sync::{Arc, Mutex};

use cdr_sim::{Backend, SimBackend};

use super::environment;
use super::media::{self, MatchRules};
use super::operator::{Operator, Reply};
use super::progress::BurnProgress;
use super::station::{ensure_disc, LabBackend, SharedOperator};
use cdr_scenario::runner::{self, RunError, RunOptions};
use cdr_scenario::scenario::Scenario;
use cdr_scenario::transcript::{ScenarioSource, Transcript};

/// Where scenarios are recorded.
#[derive(Clone)]
pub enum Station {
    /// The simulator: each scenario on a fresh simulated drive with the scenario's disc.
    Sim,
    /// One backend shared by every scenario, driving one recorder: the IMAPI2 backend in the
    /// lab (or the simulator standing in for it, in tests).
    Shared {
        /// The backend.
        backend: Arc<dyn Backend>,
        /// IMAPI2's unique id of the chosen recorder.
        unique_id: String,
        /// How the operator knows the recorder (`E:`, `0`).
        label: String,
    },
}

/// How to record.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings {
    /// Replaces each scenario's seed.
    pub seed: Option<u64>,
    /// Keep every Update event.
    pub all_events: bool,
    /// Run scenarios that burn a disc on a shared station (`--yes`).
    pub yes: bool,
    /// When the disc in the tray is the right one.
    pub rules: MatchRules,
    /// Draw progress bars for burns on standard error.
    pub progress: bool,
}

/// What became of one scenario.
#[derive(Debug)]
pub enum Outcome {
    /// It ran; the transcript is complete.
    Recorded(Box<Transcript>),
    /// It was not run (or not to the end): why.
    Skipped(String),
}

/// A scenario that could not be recorded at all.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The runner could not carry it out.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Its drive or disc cannot be simulated.
    #[error("{scenario}: {message}")]
    Profile {
        /// The scenario.
        scenario: String,
        /// What is wrong.
        message: String,
    },
}

/// A recording session: a station, an operator, and whether the operator asked to stop.
pub struct Recording {
    station: Station,
    settings: Settings,
    operator: SharedOperator,
    progress: Arc<BurnProgress>,
    stopped: bool,
    os: String,
}

impl Recording {
    /// A session on `station`, asking `operator` what only a person can do.
    pub fn new(station: Station, settings: Settings, operator: Box<dyn Operator + Send>) -> Self {
        Recording {
            station,
            settings,
            operator: Arc::new(Mutex::new(operator)),
            progress: Arc::new(BurnProgress::new(settings.progress)),
            stopped: false,
            os: environment::current_os(),
        }
    }

    /// True on a shared station (a real recorder), where discs are real.
    pub fn is_real(&self) -> bool {
        matches!(self.station, Station::Shared { .. })
    }

    /// True once the operator asked to stop: every later scenario is skipped.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    fn operator(&self) -> std::sync::MutexGuard<'_, Box<dyn Operator + Send>> {
        self.operator.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records `scenario`; `source` is embedded in the transcript.
    pub fn record(&mut self, scenario: &Scenario, source: Option<ScenarioSource>) -> Result<Outcome, RecordError> {
        if self.stopped {
            return Ok(Outcome::Skipped("recording was stopped by the operator".into()));
        }
        let wanted = scenario.media.profile.as_ref();
        let lab = match &self.station {
            Station::Sim => {
                let sim = SimBackend::try_new(scenario.drive.profile.clone(), scenario.media.profile.clone())
                    .map_err(|message| RecordError::Profile { scenario: scenario.name.clone(), message })?;
                let id = sim.unique_id().to_string();
                LabBackend::new(Arc::new(sim), id)
            }
            Station::Shared { backend, unique_id, label } => {
                let (backend, unique_id, label) = (Arc::clone(backend), unique_id.clone(), label.clone());
                if media::burns(scenario, true) && !self.settings.yes {
                    return Ok(Outcome::Skipped(format!(
                        "burns a disc ({}): pass --yes to record it",
                        media::describe(wanted)
                    )));
                }
                if media::uses_saved_discs(scenario) {
                    return Ok(Outcome::Skipped(
                        "uses saved simulated discs (insert = { file = ... } or save steps): the simulator only".into(),
                    ));
                }
                if !media::inserts(scenario).is_empty() && !self.operator().present() {
                    return Ok(Outcome::Skipped(
                        "changes discs half way (insert steps), which needs an operator: run without --no-prompt"
                            .into(),
                    ));
                }
                if let Some(skip) = self.check_tray(backend.as_ref(), &unique_id, &label, scenario) {
                    return Ok(skip);
                }
                if media::burns(scenario, true) {
                    self.operator().tell(&format!("{}: burns the disc in {label}", scenario.name));
                }
                LabBackend::new(backend, unique_id).with_operator(
                    Arc::clone(&self.operator),
                    label,
                    self.settings.rules,
                )
            }
        };
        let lab = lab.with_progress(self.progress.clone());
        let options =
            RunOptions { seed: self.settings.seed, all_events: self.settings.all_events, ..RunOptions::default() };
        let result = runner::run_on_backend(&lab, scenario, &options);
        self.progress.finish();
        let mut transcript = result?;
        if lab.declined() {
            return Ok(Outcome::Skipped("the operator did not make a disc change the scenario needs".into()));
        }
        transcript.environment.os = Some(self.os.clone());
        transcript.source = source;
        Ok(Outcome::Recorded(Box::new(transcript)))
    }

    /// Before a scenario on a shared station: the right disc in the tray, or the skip.
    fn check_tray(&mut self, backend: &dyn Backend, unique_id: &str, label: &str, s: &Scenario) -> Option<Outcome> {
        let recorder = match backend.create_recorder().and_then(|r| r.initialize_disc_recorder(unique_id).map(|()| r)) {
            Ok(r) => r,
            Err(hr) => return Some(Outcome::Skipped(format!("the recorder cannot be opened: {hr}"))),
        };
        let wanted = s.media.profile.as_ref();
        let rules = self.settings.rules;
        let mut op = self.operator();
        match ensure_disc(backend, recorder.as_ref(), wanted, label, rules, op.as_mut()) {
            Ok(()) => None,
            Err((reply, why)) => {
                drop(op);
                if reply == Reply::Quit {
                    self.stopped = true;
                }
                Some(Outcome::Skipped(format!("needs {} in the tray, but {why}", media::describe(wanted))))
            }
        }
    }
}
