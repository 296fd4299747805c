//! The set-up tables of the scenario format — `[drive]` (with `[drive.calibration]`), `[media]`,
//! `fault_seed` and `[[fault]]` — read from another document that embeds them, such as the COM
//! server's configuration file, with the same checks and the same `file:line:column` errors as
//! in a scenario. There, `media = { file = "x.disc.toml" }` may also put a saved disc in the
//! tray.

use std::path::Path;

use cdr_sim::{DiscSnapshot, DriveProfile, MediaProfile, SimBackend, SimulatedDevice};
use toml::Spanned;

use super::node::Node;
use super::{profiles, Resolved, ScenarioError};
use crate::durable::SavedDisc;
use crate::faults::rules::FaultFile;
use crate::faults::FaultConfig;
use crate::transcript::SetupRecord;

/// The set-up tables as a document's own serde type read them.
#[derive(Clone, Copy)]
pub struct SetupTables<'a> {
    /// `drive`: a built-in name, a path, or a table of keys.
    pub drive: Option<&'a Spanned<Node>>,
    /// `media`: a built-in name, `"none"`, a path, a table of keys, or `{ file = "..." }`.
    pub media: Option<&'a Spanned<Node>>,
    /// `[[fault]]` tables.
    pub fault: &'a [Spanned<FaultFile>],
    /// `fault_seed`.
    pub fault_seed: Option<u64>,
}

/// The disc in the tray at the start.
#[derive(Clone, Debug)]
pub enum Tray {
    /// A media profile, or an empty tray.
    Media(Resolved<Option<MediaProfile>>),
    /// A saved disc, loaded and checked.
    Saved {
        /// The file as written and where it resolved.
        file: SavedDisc,
        /// Its disc.
        disc: Box<DiscSnapshot>,
    },
}

/// A checked set-up: the drive, the disc in its tray, the fault rules.
#[derive(Clone, Debug)]
pub struct Setup {
    /// The drive.
    pub drive: Resolved<DriveProfile>,
    /// The disc at the start.
    pub tray: Tray,
    /// Fault rules and their seed (empty: none).
    pub faults: FaultConfig,
    /// The same in full, for a transcript (`Transcript::setup`).
    pub record: SetupRecord,
}

/// Checks the set-up tables of `text` (the contents of `path`; relative paths resolve against
/// its directory). Every mistake is reported, each with its line and column.
pub fn setup(path: &Path, text: &str, tables: SetupTables<'_>) -> Result<Setup, ScenarioError> {
    let mut errors = Vec::new();
    let drive = profiles::drive(tables.drive, path, text).map_err(|e| errors.push(e)).ok();
    let tray = tray(path, text, tables.media).map_err(|e| errors.push(e)).ok();
    let rules = crate::faults::placed_rules(path, text, tables.fault).map_err(|e| errors.push(e)).ok();
    let faults = rules.map(|rules| FaultConfig { rules, seed: tables.fault_seed });
    if let Some(Err(message)) = faults.as_ref().map(FaultConfig::validate) {
        errors.push(ScenarioError::at_position(path, (1, 1), message));
    }
    if let Some(e) = ScenarioError::all(path, errors) {
        return Err(e);
    }
    let (Some(drive), Some(tray), Some(faults)) = (drive, tray, faults) else {
        unreachable!("every part that failed left an error")
    };
    let fault = fault_tables(text);
    let (media, disc) = match &tray {
        Tray::Media(m) => (m.profile.clone(), None),
        Tray::Saved { disc, .. } => (None, Some((**disc).clone())),
    };
    let record = SetupRecord { drive: drive.profile.clone(), media, disc, fault_seed: tables.fault_seed, fault };
    Ok(Setup { drive, tray, faults, record })
}

/// The `[[fault]]` tables of `text` as written (text that parsed as TOML already).
fn fault_tables(text: &str) -> Vec<toml::Table> {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|mut t| t.remove("fault"))
        .and_then(|f| match f {
            toml::Value::Array(a) => Some(a.into_iter().filter_map(|v| v.as_table().cloned()).collect()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The set-up of a scenario (`text` is its file's text) as a transcript records it.
pub fn record_of(scenario: &super::Scenario, text: &str) -> SetupRecord {
    SetupRecord {
        drive: scenario.drive.profile.clone(),
        media: scenario.media.profile.clone(),
        disc: None,
        fault_seed: scenario.faults.seed,
        fault: fault_tables(text),
    }
}

fn tray(path: &Path, text: &str, media: Option<&Spanned<Node>>) -> Result<Tray, ScenarioError> {
    if let Some(saved) = media.map(|m| super::build::saved_disc_at(path, text, m)).transpose()?.flatten() {
        let disc = crate::durable::load(&saved.path).map_err(|e| {
            let span = media.map(Spanned::span).unwrap_or(0..0);
            ScenarioError::at(path, text, span, format!("the saved disc cannot be used: {e}"))
        })?;
        return Ok(Tray::Saved { file: saved, disc: Box::new(disc) });
    }
    profiles::media(media, path, text).map(Tray::Media)
}

impl Setup {
    /// The simulator with this drive and disc (the fault rules are the caller's to apply).
    pub fn simulator(&self) -> Result<SimBackend, String> {
        match &self.tray {
            Tray::Media(m) => SimBackend::try_new(self.drive.profile.clone(), m.profile.clone()),
            Tray::Saved { file, disc } => {
                let sim = SimBackend::try_new(self.drive.profile.clone(), None)?;
                sim.insert_disc(disc)
                    .map_err(|hr| format!("{}: the drive refused the saved disc: {hr}", file.path.display()))?;
                Ok(sim)
            }
        }
    }

    /// Where the disc at the start came from, for transcripts.
    pub fn media_label(&self) -> String {
        match &self.tray {
            Tray::Media(m) => m.label.clone(),
            Tray::Saved { file, .. } => format!("file {}", file.written),
        }
    }
}
