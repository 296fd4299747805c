//! The simulator configured from a recorded environment: the scenario's drive with the
//! recorded identity (vendor, product, firmware) and calibration, and the scenario's disc with
//! the recorded media type, state, tracks and ATIP lead-in and lead-out.

use cdr_sim::{Calibration, DriveProfile, MediaProfile, Msf, PhysicalMediaType, SimBackend};

use cdr_scenario::runner::{self, RunError, RunOptions};
use cdr_scenario::scenario::{Resolved, Scenario};
use cdr_scenario::transcript::{Environment, MediaEnvironment, Transcript};

/// Why a recorded environment cannot be simulated.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The recorded disc or drive is not something the simulator can hold.
    #[error("the recorded environment cannot be simulated: {0}")]
    Environment(String),
    /// The run itself could not be carried out.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// The drive to replay on: the scenario's profile with the recorded identity and calibration.
pub fn drive(scenario: &Scenario, env: &Environment, calibration: &Calibration) -> DriveProfile {
    let mut d = scenario.drive.profile.clone();
    d.vendor = env.drive.vendor.clone();
    d.product = env.drive.product.clone();
    d.revision = env.drive.revision.clone();
    d.calibration = calibration.clone();
    d
}

/// The disc to replay with: the recorded one, as the scenario's profile overridden by what was
/// read back before the first step. `None` for an empty tray.
pub fn media(scenario: &Scenario, env: &Environment) -> Result<Option<MediaProfile>, String> {
    let Some(m) = &env.media else { return Ok(None) };
    let mut p = match &scenario.media.profile {
        Some(p) => p.clone(),
        None => cdr_sim::profile::media_by_name(cdr_sim::profile::DEFAULT_MEDIA).expect("built-in"),
    };
    apply(&mut p, m)?;
    p.validate()?;
    Ok(Some(p))
}

fn apply(p: &mut MediaProfile, m: &MediaEnvironment) -> Result<(), String> {
    p.media_type = m.media_type.parse::<PhysicalMediaType>().map_err(|e| e.to_string())?;
    let lpl = m.last_possible_lead_out;
    if m.lead_out.is_some() {
        p.lead_in = m.lead_in;
        p.lead_out = m.lead_out;
        p.capacity_sectors = None;
    } else if p.last_possible_lead_out() != lpl {
        // No ATIP was read back (a disc without one, or one the drive did not report): the
        // capacity is what was recorded; a recordable CD keeps it as its lead-out.
        p.lead_in = None;
        if p.media_type.is_cd() && p.media_type != PhysicalMediaType::CdRom {
            p.lead_out = Some(Msf::from_lba(lpl));
            p.capacity_sectors = None;
        } else {
            p.lead_out = None;
            p.capacity_sectors =
                Some(u32::try_from(lpl).map_err(|_| format!("last possible lead-out {lpl} is not a capacity"))?);
        }
    }
    p.state = m.status;
    p.tracks = m.tracks.clone();
    Ok(())
}

/// Replays `scenario` on the simulator configured from `recorded`'s environment, with
/// `calibration` (the recorded one, or one to try).
pub fn replay(
    scenario: &Scenario,
    recorded: &Transcript,
    calibration: &Calibration,
) -> Result<Transcript, ReplayError> {
    let env = &recorded.environment;
    let drive = drive(scenario, env, calibration);
    let media = media(scenario, env).map_err(ReplayError::Environment)?;
    let sim = SimBackend::try_new(drive.clone(), media.clone()).map_err(ReplayError::Environment)?;
    let mut s = scenario.clone();
    s.drive = Resolved { profile: drive, label: env.drive.profile.clone() };
    let label = env.media.as_ref().map_or_else(|| cdr_sim::profile::EMPTY_TRAY.to_string(), |m| m.profile.clone());
    s.media = Resolved { profile: media, label };
    let all_events = recorded.steps.iter().any(|st| st.events.as_ref().is_some_and(|e| !e.all.is_empty()));
    let options = RunOptions { seed: Some(env.seed), all_events, ..RunOptions::default() };
    Ok(runner::run_on_backend(sim, &s, &options)?)
}
