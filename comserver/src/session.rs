//! The process's session: the simulated drive and disc every COM object works on (one per
//! process, as a process's IMAPI2 objects share the machine's drives), the recording of every
//! call, and the outputs.
//!
//! **When the files are written.** The transcript and the disc file are written, each whole
//! and atomically (a temporary file renamed over the target), every time the application
//! lets the disc go:
//! - after every `ReleaseMedia` (whatever it answered): the end of a burn;
//! - when the last object of the server is released (the application is done with IMAPI2,
//!   also when it never called ReleaseMedia, or exits after releasing its objects).
//!
//! Each write replaces the server's own earlier one, so the files always hold everything up
//! to the last such point; a file that existed before the process started is never replaced
//! unless the configuration says `overwrite = true` (a configuration naming one is refused
//! when it is read). Not at DLL unload: `DllCanUnloadNow` keeps the DLL for the life of the
//! process, and files are not written from `DllMain`. A failed write is reported on stderr;
//! it cannot change an answer the application already has.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use cdr_scenario::faults::{FaultInjector, FaultProbe};
use cdr_scenario::recording::{Recording, RecordingProbe};
use cdr_scenario::runner::{environment, Labels};
use cdr_scenario::scenario::setup::Setup;
use cdr_scenario::transcript::{Environment, Transcript};
use cdr_sim::profile::{drive_by_name, media_by_name, DEFAULT_DRIVE, DEFAULT_MEDIA};
use cdr_sim::{Backend, DiscRecorder2, SimBackend};

use crate::config::{Config, ConfigError};
use crate::simulator::Simulator;

/// The simulator, recorded (and fault-injected when the configuration has rules).
pub struct Session {
    config: Option<Config>,
    drive: cdr_sim::DriveProfile,
    simulator: Arc<Simulator>,
    backend: Recording<Box<dyn Backend>>,
    probe: RecordingProbe,
    reader: Arc<dyn DiscRecorder2>,
    environment: Environment,
    /// The files written so far by this process (they may be replaced).
    written: Mutex<Written>,
    leases: AtomicUsize,
}

#[derive(Default)]
struct Written {
    transcript: bool,
    disc: bool,
}

/// An object of the server alive: when the last lease goes, the outputs are written.
pub struct Lease(Arc<Session>);

impl Drop for Lease {
    fn drop(&mut self) {
        if self.0.leases.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.write_outputs_reporting();
        }
    }
}

impl Session {
    /// The session of the configuration named by the environment (see [`crate::config`]).
    pub fn from_env() -> Result<Arc<Session>, ConfigError> {
        Session::new(Config::from_env()?)
    }

    /// A session with `config`'s drive, disc and faults; `None`: the default drive with a
    /// blank 80-minute CD-R, nothing written.
    pub fn new(config: Option<Config>) -> Result<Arc<Session>, ConfigError> {
        let where_ = |m: String| {
            ConfigError(match &config {
                Some(c) => format!("{}: {m}", c.path.display()),
                None => m,
            })
        };
        let sim = match &config {
            Some(c) => c.setup.simulator().map_err(where_)?,
            None => {
                let drive = drive_by_name(DEFAULT_DRIVE).ok_or_else(|| where_("no built-in default drive".into()))?;
                SimBackend::try_new(drive, media_by_name(DEFAULT_MEDIA)).map_err(where_)?
            }
        };
        // The drive as the simulator itself reports it, read through a recorder of its own:
        // neither recorded nor counted by fault rules.
        let reader = sim.create_recorder().map_err(|hr| where_(format!("cannot create a recorder: {hr}")))?;
        let unique_id = sim.unique_id().to_string();
        reader.initialize_disc_recorder(&unique_id).map_err(|hr| where_(format!("cannot open the drive: {hr}")))?;
        let drive = sim.drive_profile().clone();
        let simulator = Arc::new(Simulator::new(sim));
        let handle: Box<dyn Backend> = Box::new(Arc::clone(&simulator));
        let (inner, faults): (Box<dyn Backend>, Option<FaultProbe>) = match config.as_ref().map(|c| &c.setup.faults) {
            Some(f) if !f.is_empty() => {
                let injector = FaultInjector::new(handle, f.clone());
                let probe = injector.probe();
                (Box::new(injector), Some(probe))
            }
            _ => (handle, None),
        };
        let backend = Recording::new(inner, faults);
        let probe = backend.probe();
        let (drive_label, media_label) = match &config {
            Some(c) => (c.setup.drive.label.clone(), c.setup.media_label()),
            None => (DEFAULT_DRIVE.to_string(), DEFAULT_MEDIA.to_string()),
        };
        let labels = Labels { drive: &drive_label, media: &media_label };
        let environment = environment(&backend, labels, &drive.calibration, 0, reader.as_ref(), &unique_id);
        let session = Arc::new(Session {
            config,
            simulator,
            drive,
            backend,
            probe,
            reader,
            environment,
            written: Mutex::new(Written::default()),
            leases: AtomicUsize::new(0),
        });
        let weak: Weak<Session> = Arc::downgrade(&session);
        session.probe.on_release(Arc::new(move || {
            if let Some(s) = weak.upgrade() {
                s.write_outputs_reporting();
            }
        }));
        Ok(session)
    }

    /// The backend the COM objects use.
    pub fn backend(&self) -> &dyn Backend {
        &self.backend
    }

    /// The simulator under the recording: the drive new objects are made on, which a loopback
    /// `configure` request replaces (see [`Simulator`]).
    pub fn simulator(&self) -> &Simulator {
        &self.simulator
    }

    /// The configuration, when one was given.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// A lease for a new object: the outputs are written when the last one is dropped.
    pub fn lease(self: &Arc<Self>) -> Lease {
        self.leases.fetch_add(1, Ordering::AcqRel);
        Lease(Arc::clone(self))
    }

    /// The transcript of every call so far, with the disc as it is now.
    pub fn transcript(&self) -> Transcript {
        // The reader was made on the session's first drive; after a loopback `configure` the
        // disc is read through a recorder of the drive now in use.
        let disc = self
            .backend
            .read_back(self.reader.as_ref())
            .or_else(|_| self.simulator.read_back_current())
            .unwrap_or(cdr_sim::DiscReadBack { media: None });
        let name = match &self.config {
            Some(c) => c.path.to_string_lossy().replace('\\', "/"),
            None => "<no configuration>".to_string(),
        };
        Transcript {
            scenario: name,
            description: "calls made through cdr-comserver".to_string(),
            passed: true,
            environment: self.environment.clone(),
            failures: Vec::new(),
            steps: self.probe.steps(),
            disc_id: cdr_scenario::discid::DiscIdentity::of(&disc),
            disc,
            image: None,
            faults: self.probe.fault_report(),
            source: None,
            setup: Some(self.setup_record()),
        }
    }

    fn setup_record(&self) -> cdr_scenario::transcript::SetupRecord {
        match &self.config {
            Some(Config { setup: Setup { record, .. }, .. }) => record.clone(),
            None => cdr_scenario::transcript::SetupRecord {
                drive: self.drive.clone(),
                media: media_by_name(DEFAULT_MEDIA),
                disc: None,
                fault_seed: None,
                fault: Vec::new(),
            },
        }
    }

    /// Writes the transcript and the disc where the configuration says (nothing without one).
    pub fn write_outputs(&self) -> Result<(), String> {
        let Some(config) = &self.config else { return Ok(()) };
        let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
        let mut problems = Vec::new();
        if let Some(path) = &config.transcript {
            let t = self.transcript();
            let text = if path.extension().is_some_and(|e| e == "json") { t.to_json() } else { t.to_toml() };
            match text
                .map_err(|e| e.to_string())
                .and_then(|text| write(path, &text, config.overwrite || written.transcript))
            {
                Ok(()) => written.transcript = true,
                Err(e) => problems.push(e),
            }
        }
        if let Some(path) = &config.disc {
            match self.backend.simulated().and_then(|device| device.export_disc()) {
                Some(disc) => match cdr_scenario::durable::save(path, &disc, config.overwrite || written.disc) {
                    Ok(()) => written.disc = true,
                    Err(e) => problems.push(e.to_string()),
                },
                None => problems.push(format!("{}: not written: there is no disc in the drive", path.display())),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    fn write_outputs_reporting(&self) {
        if let Err(e) = self.write_outputs() {
            eprintln!("cdr-comserver: {e}");
        }
    }
}

fn write(path: &Path, text: &str, overwrite: bool) -> Result<(), String> {
    cdr_scenario::durable::write_atomically(path, text, overwrite).map_err(|e| e.to_string())
}
