//! Compare: a recorded transcript replayed on the simulator configured from its environment,
//! and every difference, with the calibration settings that would reconcile them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::calibration::{self, Setting};
use super::diff::{self, Difference, Strictness};
use super::replay::{self, ReplayError};
use super::source::{self, SourceError};
use cdr_scenario::discover::TRANSCRIPT_SUFFIX;
use cdr_scenario::transcript::Transcript;

/// The drive a transcript was recorded on (a JUnit test case is one scenario x drive x firmware).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DriveId {
    /// Vendor.
    pub vendor: String,
    /// Product.
    pub product: String,
    /// Firmware revision.
    pub revision: String,
}

impl std::fmt::Display for DriveId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.vendor.trim(), self.product.trim(), self.revision.trim())
    }
}

/// A setting that reconciles differences, as checked by replaying with it.
#[derive(Clone, Debug)]
pub struct Hint {
    /// The setting.
    pub setting: Setting,
    /// Indices into [`Compared::differences`] that disappear with it.
    pub reconciles: Vec<usize>,
    /// Differences it brings that were not there before.
    pub introduces: usize,
}

/// One transcript compared.
#[derive(Clone, Debug)]
pub struct Compared {
    /// The transcript file.
    pub path: PathBuf,
    /// The scenario's name.
    pub scenario: String,
    /// The backend that recorded it.
    pub backend: String,
    /// The drive.
    pub drive: DriveId,
    /// Every difference, in order.
    pub differences: Vec<Difference>,
    /// Settings that reconcile some of them, best first.
    pub hints: Vec<Hint>,
    /// Settings that together reconcile every difference, when there are such.
    pub reconciled_by: Option<Vec<Setting>>,
    /// Remarks on the input (a scenario changed since recording, ...).
    pub notes: Vec<String>,
}

/// Why a transcript cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// It cannot be read.
    #[error("{path}: cannot read: {message}", path = .0.display(), message = .1)]
    Read(PathBuf, String),
    /// It is not a transcript.
    #[error("{path}: not a transcript: {message}", path = .0.display(), message = .1)]
    Parse(PathBuf, String),
    /// Its scenario cannot be replayed.
    #[error("{path}: {reason}", path = .0.display(), reason = .1)]
    Source(PathBuf, #[source] Box<SourceError>),
    /// The scenario saves discs to files, which a replay would write again.
    #[error(
        "{path}: the scenario saves discs to files (save steps); compare does not replay it, so as to write no file",
        path = .0.display()
    )]
    Writes(PathBuf),
    /// The replay could not run.
    #[error("{path}: {reason}", path = .0.display(), reason = .1)]
    Replay(PathBuf, #[source] Box<ReplayError>),
    /// The recorded environment contradicts itself, so no replay can stand for it.
    #[error("{path}: the recorded environment contradicts itself: {why}", path = .0.display(), why = .1)]
    Contradiction(PathBuf, String),
}

/// Where a recorded environment contradicts itself: the last possible lead-out LBA
/// (`environment.media.last_possible_lead_out`) against the ATIP lead-out
/// (`environment.media.lead_out`, an MSF) when both were recorded. `compare` trusted one and
/// ignored the other before; now such a transcript is unusable.
pub fn contradiction(env: &cdr_scenario::transcript::Environment) -> Option<String> {
    let media = env.media.as_ref()?;
    let atip = media.lead_out?;
    let lpl = media.last_possible_lead_out;
    (atip.to_lba() != lpl).then(|| {
        format!(
            "environment.media.last_possible_lead_out = {lpl} is not the ATIP lead-out \
             environment.media.lead_out = \"{atip}\" (LBA {})",
            atip.to_lba()
        )
    })
}

/// Reads a transcript file (TOML, or JSON for `*.json`).
pub fn read(path: &Path) -> Result<Transcript, CompareError> {
    let text = std::fs::read_to_string(path).map_err(|e| CompareError::Read(path.to_path_buf(), e.to_string()))?;
    let parsed = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| CompareError::Parse(path.to_path_buf(), e.trim().to_string()))
}

/// Compares the transcript at `path`.
pub fn compare_file(path: &Path) -> Result<Compared, CompareError> {
    let t = read(path)?;
    compare(path, &t)
}

/// Compares `recorded` (read from `path`) with its replay on the simulator.
pub fn compare(path: &Path, recorded: &Transcript) -> Result<Compared, CompareError> {
    if let Some(why) = contradiction(&recorded.environment) {
        return Err(CompareError::Contradiction(path.to_path_buf(), why));
    }
    let loaded = source::load(path, recorded).map_err(|e| CompareError::Source(path.to_path_buf(), Box::new(e)))?;
    let scenario = &loaded.scenario;
    if super::media::saves_discs(scenario) {
        return Err(CompareError::Writes(path.to_path_buf()));
    }
    let strict = Strictness::for_backend(&recorded.environment.backend);
    let cal = recorded.environment.drive.calibration.clone();
    let replay_err = |e| CompareError::Replay(path.to_path_buf(), Box::new(e));
    let replayed = replay::replay(scenario, recorded, &cal).map_err(replay_err)?;
    let differences = diff::diff(recorded, &replayed, strict);

    let mut hints = Vec::new();
    let mut reconciled_by = None;
    if !differences.is_empty() {
        let before: BTreeSet<_> = differences.iter().map(|d| d.key()).collect();
        for setting in calibration::candidates(&differences, recorded, &cal) {
            let Some(c) = setting.apply(&cal) else { continue };
            let Ok(again) = replay::replay(scenario, recorded, &c) else { continue };
            let after_diffs = diff::diff(recorded, &again, strict);
            let after: BTreeSet<_> = after_diffs.iter().map(|d| d.key()).collect();
            let reconciles: Vec<usize> =
                differences.iter().enumerate().filter(|(_, d)| !after.contains(&d.key())).map(|(i, _)| i).collect();
            let introduces = after.difference(&before).count();
            if !reconciles.is_empty() {
                hints.push(Hint { setting, reconciles, introduces });
            }
        }
        hints.sort_by_key(|h| (h.introduces, std::cmp::Reverse(h.reconciles.len())));
        // Settings that leave everything else as it was; failing those, the one that leaves the
        // fewest differences, if it leaves fewer than there were.
        if hints.iter().any(|h| h.introduces == 0) {
            hints.retain(|h| h.introduces == 0);
        } else {
            hints.sort_by_key(|h| h.introduces as isize - h.reconciles.len() as isize);
            hints.truncate(1);
            hints.retain(|h| h.reconciles.len() > h.introduces);
        }
        reconciled_by = together(scenario, recorded, &cal, &hints, strict);
    }
    Ok(Compared {
        path: path.to_path_buf(),
        scenario: recorded.scenario.clone(),
        backend: recorded.environment.backend.clone(),
        drive: DriveId {
            vendor: recorded.environment.drive.vendor.clone(),
            product: recorded.environment.drive.product.clone(),
            revision: recorded.environment.drive.revision.clone(),
        },
        differences,
        hints,
        reconciled_by,
        notes: loaded.notes,
    })
}

/// Settings that together reconcile every difference: the clean hints applied one after the
/// other, each kept only when the replay then differs less; `None` unless nothing is left.
fn together(
    scenario: &cdr_scenario::scenario::Scenario,
    recorded: &Transcript,
    cal: &cdr_sim::Calibration,
    hints: &[Hint],
    strict: Strictness,
) -> Option<Vec<Setting>> {
    let count = |c: &cdr_sim::Calibration| {
        replay::replay(scenario, recorded, c).ok().map(|again| diff::diff(recorded, &again, strict).len())
    };
    let mut settings: Vec<Setting> = Vec::new();
    let mut c = cal.clone();
    let mut left = count(&c)?;
    for h in hints.iter().filter(|h| h.introduces == 0) {
        if left == 0 {
            break;
        }
        if settings.iter().any(|s| s.field == h.setting.field) {
            continue;
        }
        let Some(next) = h.setting.apply(&c) else { continue };
        match count(&next) {
            Some(n) if n < left => {
                c = next;
                left = n;
                settings.push(h.setting.clone());
            }
            _ => {}
        }
    }
    (left == 0 && !settings.is_empty()).then_some(settings)
}

/// Why the paths given hold no transcripts.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// A path does not exist.
    #[error("{}: no such file or directory", .0.display())]
    Missing(PathBuf),
    /// A directory holds no transcript.
    #[error("{}: no transcripts (*{TRANSCRIPT_SUFFIX} or *.transcript.json) in this directory", .0.display())]
    Empty(PathBuf),
    /// A directory cannot be read.
    #[error("{path}: cannot read: {message}", path = .0.display(), message = .1)]
    Walk(PathBuf, String),
}

/// Transcript files: files given by name, and `*.transcript.toml` / `*.transcript.json` under
/// directories (recursively, hidden folders skipped), sorted, without duplicates.
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FindError> {
    let mut out = Vec::new();
    for root in paths {
        if root.is_file() {
            out.push(root.clone());
            continue;
        }
        if !root.is_dir() {
            return Err(FindError::Missing(root.clone()));
        }
        let before = out.len();
        for path in cdr_scenario::discover::files_under(root) {
            let path = path.map_err(|e| FindError::Walk(root.clone(), e))?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name.ends_with(TRANSCRIPT_SUFFIX) || name.ends_with(".transcript.json") {
                out.push(path);
            }
        }
        if out.len() == before {
            return Err(FindError::Empty(root.clone()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
