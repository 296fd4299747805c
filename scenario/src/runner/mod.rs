//! Runs a scenario against a backend of the contract and builds its transcript.
//!
//! The runner never knows which backend it drives: [`run`] builds the simulator from the
//! scenario's drive and media with [`backend_for`], and [`run_without_faults`] takes any `&dyn Backend`
//! (a middleware, the IMAPI2 backend). For each client it creates a recorder (initialised with
//! the id of `IDiscMaster2::Item(0)`) and a format object with an Update sink; then it runs the
//! steps through [`crate::call::invoke`], drops the format objects (as a process exit does),
//! reads the disc back and checks `[expect_disc]`.

mod checks;
mod faulted;
pub(crate) use faulted::annotate;
pub mod image;
mod sink;

use std::sync::Arc;

use cdr_sim::contract::DiscReadBack;
use cdr_sim::{AudioStream, Backend, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, SimBackend};

use crate::call::{invoke, Target, Value};
use crate::scenario::{Action, Scenario, Step, TrackError};
use crate::transcript::{
    hresult_fields, Check, DriveEnvironment, DuringRecord, Environment, EventRecord, Failure, MediaEnvironment,
    StepRecord, Transcript,
};
use sink::Sink;

/// Options of a run that are not in the scenario.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Replaces the scenario's `seed`.
    pub seed: Option<u64>,
    /// Keep every Update event in the transcript, not only the per-action summary.
    pub all_events: bool,
    /// Fault rules added to the scenario's (`--faults FILE`).
    pub faults: Option<crate::faults::FaultConfig>,
    /// Replaces the seed of random faults; with no `random` rule, adds one at the default rate
    /// (`--fault-seed`).
    pub fault_seed: Option<u64>,
    /// `save` steps replace existing files (`--force`).
    pub force: bool,
}

/// A run that could not be carried out (as opposed to one whose expectations failed).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The backend refused to create or initialise an object the run needs.
    #[error("{scenario}: the backend could not {what}: {hr}")]
    Backend {
        /// The scenario.
        scenario: String,
        /// What was being done.
        what: String,
        /// The HRESULT it answered.
        hr: Hresult,
    },
    /// The fault rules cannot be used (e.g. random faults without a seed).
    #[error("{scenario}: {message}")]
    Faults {
        /// The scenario.
        scenario: String,
        /// What is wrong.
        message: String,
    },
    /// A disc could not be saved or a saved one could not be inserted.
    #[error("{scenario}: step {step}: {source}")]
    Durable {
        /// The scenario.
        scenario: String,
        /// The step.
        step: usize,
        /// Why.
        source: crate::durable::DurableError,
    },
    /// A track source could not be opened.
    #[error("{scenario}: step {step}: {source}")]
    Track {
        /// The scenario.
        scenario: String,
        /// The step.
        step: usize,
        /// Why.
        source: TrackError,
    },
    /// The disc image could not be written (`run --image`).
    #[error("{scenario}: disc image: {source}")]
    Image {
        /// The scenario.
        scenario: String,
        /// Why.
        source: crate::image::ImageError,
    },
}

/// Recorder objects by client name.
pub struct Recorders(Vec<(String, Arc<dyn DiscRecorder2>)>);

impl Recorders {
    /// The recorder object of client `name`.
    pub fn get(&self, name: &str) -> Option<Arc<dyn DiscRecorder2>> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, r)| Arc::clone(r))
    }
}

/// The backend a scenario runs on by default: the simulator with the scenario's drive and
/// media. A function of this shape is the plug for other backends.
pub fn backend_for(scenario: &Scenario) -> Box<dyn Backend> {
    Box::new(sim_for(scenario))
}

/// The simulator with the scenario's drive and media (for runs that need the simulator itself,
/// such as recording a disc image).
pub fn sim_for(scenario: &Scenario) -> SimBackend {
    SimBackend::new(scenario.drive.profile.clone(), scenario.media.profile.clone())
}

/// Runs `scenario` on the simulator, through the fault injector when it (or `options`) has
/// fault rules.
pub fn run(scenario: &Scenario, options: &RunOptions) -> Result<Transcript, RunError> {
    run_on_backend(backend_for(scenario), scenario, options)
}

/// Runs `scenario` on `backend`, through the fault injector when it (or `options`) has fault
/// rules.
pub fn run_on_backend<B: Backend>(
    backend: B,
    scenario: &Scenario,
    options: &RunOptions,
) -> Result<Transcript, RunError> {
    match faulted::config_for_run(scenario, options)
        .map_err(|message| RunError::Faults { scenario: scenario.name.clone(), message })?
    {
        None => run_without_faults(&backend, scenario, options),
        Some(config) => faulted::run_with_faults(backend, config, scenario, options),
    }
}

struct Client {
    name: String,
    recorder: Arc<dyn DiscRecorder2>,
    format: Arc<dyn DiscFormat2TrackAtOnce>,
    sink: Arc<Sink>,
}

/// Runs `scenario` on `backend`.
pub fn run_without_faults(
    backend: &dyn Backend,
    scenario: &Scenario,
    options: &RunOptions,
) -> Result<Transcript, RunError> {
    run_without_faults_observed(backend, scenario, options, &mut ())
}

/// Hooks for a middleware that follows a run step by step (the fault injector: it counts only
/// the scenario's own calls, and puts the faults that struck on each step's record).
pub trait RunObserver {
    /// The runner has set up its objects; the first step comes next.
    fn start(&mut self) {}
    /// A step has run; `record` is what the transcript will hold.
    fn step_done(&mut self, _record: &mut StepRecord) {}
}

/// No hooks.
impl RunObserver for () {}

/// As [`run_without_faults`], telling `observer` when the steps start and as each ends.
pub fn run_without_faults_observed(
    backend: &dyn Backend,
    scenario: &Scenario,
    options: &RunOptions,
    observer: &mut dyn RunObserver,
) -> Result<Transcript, RunError> {
    let seed = options.seed.unwrap_or(scenario.seed);
    let fail = |what: &str| {
        let scenario = scenario.name.clone();
        let what = what.to_string();
        move |hr: Hresult| RunError::Backend { scenario, what, hr }
    };
    let master = backend.disc_master().map_err(fail("create IDiscMaster2"))?;
    let unique_id = master.item(0).map_err(fail("list recorder 0 (IDiscMaster2::Item(0))"))?;

    let mut recorders = Vec::new();
    for name in &scenario.clients {
        let recorder = backend.create_recorder().map_err(fail("create IDiscRecorder2"))?;
        recorder.initialize_disc_recorder(&unique_id).map_err(fail("initialise the recorder"))?;
        recorders.push((name.clone(), recorder));
    }
    let recorders = Arc::new(Recorders(recorders));
    let mut clients = Vec::new();
    for (name, recorder) in &recorders.0 {
        let format = backend.create_format().map_err(fail("create IDiscFormat2TrackAtOnce"))?;
        let sink = Arc::new(Sink::new(Arc::clone(recorder), Arc::clone(&recorders), seed, options.all_events));
        format.advise(sink.clone()).map_err(fail("advise the Update sink"))?;
        clients.push(Client { name: name.clone(), recorder: Arc::clone(recorder), format, sink });
    }
    let main = Arc::clone(&clients[0].recorder);
    let labels = Labels { drive: &scenario.drive.label, media: &scenario.media.label };
    let environment =
        environment(backend, labels, &scenario.drive.profile.calibration, seed, main.as_ref(), &unique_id);

    let mut steps = Vec::with_capacity(scenario.steps.len());
    let mut failures = Vec::new();
    observer.start();
    for step in &scenario.steps {
        let client = clients.iter().find(|c| c.name == step.client).expect("every step's client has objects");
        let (mut record, mut f) = run_step(backend, client, &recorders, step, seed, &scenario.name, options.force)?;
        observer.step_done(&mut record);
        steps.push(record);
        failures.append(&mut f);
    }

    // As a process exit does: the format objects go away, prepared or not.
    let sinks: Vec<Arc<Sink>> = clients.iter().map(|c| Arc::clone(&c.sink)).collect();
    drop(clients);
    drop(sinks);
    let disc = backend.read_back(main.as_ref()).map_err(fail("read the disc back"))?;
    if let Some(expect) = &scenario.expect_disc {
        failures.extend(checks::disc(expect, &disc));
    }
    Ok(Transcript {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        passed: failures.is_empty(),
        environment,
        failures,
        steps,
        disc_id: crate::discid::DiscIdentity::of(&disc),
        disc,
        image: None,
        faults: None,
        source: None,
        setup: None,
    })
}

fn run_step(
    backend: &dyn Backend,
    client: &Client,
    recorders: &Recorders,
    step: &Step,
    seed: u64,
    scenario: &str,
    force: bool,
) -> Result<(StepRecord, Vec<Failure>), RunError> {
    let mut record = StepRecord::blank(step.number, step.line, client.name.clone());
    let mut during_failures = Vec::new();
    let (hr, value, what) = match &step.action {
        Action::Insert(media) => {
            record.insert = Some(media.label.clone());
            let hr = match backend.change_media(client.recorder.as_ref(), media.profile.as_ref()) {
                Ok(()) => Hresult::S_OK,
                Err(hr) => hr,
            };
            (hr, None, "insert".to_string())
        }
        Action::InsertSaved(saved) => {
            record.insert = Some(format!("file {}", saved.written));
            let durable = |source| RunError::Durable { scenario: scenario.to_string(), step: step.number, source };
            let hr = crate::durable::insert_into(backend, saved).map_err(durable)?;
            (hr, None, "insert".to_string())
        }
        Action::Save(target) => {
            record.save = Some(target.written.clone());
            let durable = |source| RunError::Durable { scenario: scenario.to_string(), step: step.number, source };
            crate::durable::save_from(backend, target, force).map_err(durable)?;
            (Hresult::S_OK, None, "save".to_string())
        }
        Action::Call(inv) => {
            record.call = Some(inv.call.to_string());
            record.args = inv.args.clone();
            record.track = inv.track.as_ref().map(ToString::to_string);
            let mut stream =
                match &inv.track {
                    Some(t) => Some(t.open(seed.wrapping_add(step.number as u64)).map_err(|source| {
                        RunError::Track { scenario: scenario.to_string(), step: step.number, source }
                    })?),
                    None => None,
                };
            let lookup = |name: &str| recorders.get(name);
            let target = Target { format: client.format.as_ref(), recorder: &client.recorder, lookup: &lookup };
            client.sink.begin_step(step.number, &step.during);
            let (hr, value) =
                invoke(&target, inv.call, &inv.args, stream.as_mut().map(|s| s.as_mut() as &mut dyn AudioStream));
            let events = client.sink.end_step();
            if inv.call == crate::call::Call::AddAudioTrack {
                record.events = Some(events.summary);
            }
            for (d, outcome) in step.during.iter().zip(events.outcomes) {
                let (r, mut f) = during_record(d, outcome, step.number, scenario)?;
                record.during.push(r);
                during_failures.append(&mut f);
            }
            (hr, value, inv.call.to_string())
        }
    };
    let (symbol, hex) = hresult_fields(hr);
    record.hresult = symbol;
    record.hex = hex;
    let (check, mismatches) = checks::call(&step.expect, hr, value.as_ref());
    record.check = check;
    record.value = value;
    let mut failures: Vec<Failure> = mismatches
        .into_iter()
        .map(|(expected, actual)| Failure {
            step: Some(step.number),
            during: None,
            what: what.clone(),
            line: step.line,
            expected,
            actual,
        })
        .collect();
    failures.append(&mut during_failures);
    Ok((record, failures))
}

fn during_record(
    d: &crate::scenario::During,
    outcome: Option<sink::DuringOutcome>,
    step: usize,
    scenario: &str,
) -> Result<(DuringRecord, Vec<Failure>), RunError> {
    let failure = |(expected, actual): (String, String)| Failure {
        step: Some(step),
        during: Some(d.number),
        what: d.invocation.call.to_string(),
        line: d.line,
        expected,
        actual,
    };
    let mut r = DuringRecord {
        during: d.number,
        line: d.line,
        when: d.when.to_string(),
        call: d.invocation.call.to_string(),
        args: d.invocation.args.clone(),
        track: d.invocation.track.as_ref().map(ToString::to_string),
        fired: false,
        hresult: None,
        hex: None,
        value: None,
        check: Check::Fail,
        event: None,
    };
    let Some(o) = outcome else {
        let never = (
            format!("an Update event matching {} during this step's AddAudioTrack", d.when),
            "never triggered".to_string(),
        );
        return Ok((r, vec![failure(never)]));
    };
    let (hr, value): (Hresult, Option<Value>) =
        o.result.map_err(|e| RunError::Track { scenario: scenario.to_string(), step, source: TrackError(e) })?;
    let (symbol, hex) = hresult_fields(hr);
    let (check, mismatches) = checks::call(&d.expect, hr, value.as_ref());
    let event = EventRecord::from(&o.event);
    let (check, mismatches) = match &d.event {
        Some(want) => {
            let mut all = mismatches;
            all.extend(checks::event(want, &event));
            let check = match (all.is_empty(), check) {
                (false, _) => Check::Fail,
                (true, Check::Unchecked) => Check::Pass,
                (true, c) => c,
            };
            (check, all)
        }
        None => (check, mismatches),
    };
    r.fired = true;
    r.hresult = Some(symbol);
    r.hex = Some(hex);
    r.check = check;
    r.value = value;
    r.event = Some(event);
    Ok((r, mismatches.into_iter().map(failure).collect()))
}

/// Where the drive and media profiles of a run came from, for [`environment`].
#[derive(Clone, Copy, Debug)]
pub struct Labels<'a> {
    /// The drive profile's label (`default`, a path, `... + inline (keys)`).
    pub drive: &'a str,
    /// The media profile's label.
    pub media: &'a str,
}

/// The environment of a transcript: the backend, the drive as `recorder` (initialised with
/// `unique_id`) reports it, and the disc in its tray now.
pub fn environment(
    backend: &dyn Backend,
    labels: Labels<'_>,
    calibration: &cdr_sim::Calibration,
    seed: u64,
    recorder: &dyn DiscRecorder2,
    unique_id: &str,
) -> Environment {
    let text = |r: Result<String, Hresult>| r.unwrap_or_else(|hr| format!("<{hr}>"));
    let drive = DriveEnvironment {
        profile: labels.drive.to_string(),
        vendor: text(recorder.vendor_id()),
        product: text(recorder.product_id()),
        revision: text(recorder.product_revision()),
        unique_id: unique_id.to_string(),
        calibration: calibration.clone(),
    };
    let start = backend.read_back(recorder).unwrap_or(DiscReadBack { media: None });
    let media = start.media.map(|m| MediaEnvironment {
        profile: labels.media.to_string(),
        media_type: m.media_type.name().to_string(),
        lead_in: m.atip.map(|a| a.lead_in),
        lead_out: m.atip.map(|a| a.lead_out),
        last_possible_lead_out: m.last_possible_lead_out,
        status: m.status,
        last_session_state: m.last_session_state,
        tracks: m.tracks.iter().map(|t| t.sectors).collect(),
    });
    Environment {
        backend: backend.name(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        seed,
        drive,
        media,
        os: None,
    }
}
