//! `run --backend imapi2`: scenarios through the IMAPI2 backend against the simulator's own COM
//! server (`cdr-comserver`, registered in place of IMAPI2). Each scenario gets a fresh simulated
//! drive with its `[drive]` and `[media]` (the server's loopback `configure` request); every
//! call then goes through COM, and the transcript should equal the direct run's except for the
//! backend's name. `tools/wine-loopback` runs the fixtures this way under Wine.

use anyhow::bail;
use cdr_imapi2::Imapi2Backend;
use cdr_scenario::runner::{self, RunError, RunOptions};
use cdr_scenario::scenario::Scenario;
use cdr_scenario::transcript::Transcript;

/// Where `run` runs scenarios.
pub enum RunBackend {
    /// The simulator, in process (each scenario on a fresh drive).
    Sim,
    /// The IMAPI2 backend against the simulator's COM server.
    Loopback(Imapi2Backend),
}

impl RunBackend {
    /// Opens the IMAPI2 backend and checks that the classes are the simulator's COM server.
    pub fn loopback() -> anyhow::Result<RunBackend> {
        let backend = Imapi2Backend::open()?;
        if !backend.is_simulator() {
            bail!(cdr_imapi2::Imapi2Error::NotASimulator);
        }
        Ok(RunBackend::Loopback(backend))
    }

    /// Runs `scenario`: on the simulator, or on a freshly configured drive of the COM server.
    pub fn run(&self, scenario: &Scenario, options: &RunOptions) -> Result<Transcript, String> {
        match self {
            RunBackend::Sim => runner::run(scenario, options).map_err(|e| e.to_string()),
            RunBackend::Loopback(backend) => {
                backend
                    .configure_simulator(&scenario.drive.profile, scenario.media.profile.as_ref())
                    .map_err(|e| format!("{}: {e}", scenario.name))?;
                runner::run_on_backend(backend, scenario, options).map_err(|e: RunError| e.to_string())
            }
        }
    }
}
