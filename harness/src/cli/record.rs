//! `cdr-harness record PATH... --backend imapi2|sim`: record scenarios with their environment.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use cdr_imapi2::{Imapi2Backend, RecorderSelector};
use cdr_lab::media::{self, MatchRules};
use cdr_lab::operator::{NoOperator, Operator, Terminal};
use cdr_lab::record::{Outcome, Recording, Settings, Station};
use cdr_lab::source;
use cdr_scenario::discover::{self, Found};
use cdr_scenario::scenario::{self, Scenario};
use cdr_scenario::transcript::Transcript;

use super::Status;

pub const EXAMPLES: &str = "\
Examples:
  cdr-harness record fixtures/scenarios --backend sim --out /tmp/t
  cdr-harness record fixtures/scenarios --backend imapi2 --recorder E: --out fixtures/lab/plextor-px716a-1.11/
  cdr-harness record fixtures/scenarios --backend imapi2 --recorder E: --out fixtures/lab/plextor-px716a-1.11/ --yes --keep-existing

Each transcript embeds its scenario and the environment it ran in (drive vendor, product and
firmware, media type, ATIP lead-in and lead-out, OS, tool version, backend); it records no time.
On a real recorder (--backend imapi2, Windows only) the disc in the tray is checked before each
scenario and you are asked to insert the right one (--no-prompt skips the scenario instead);
scenarios that may burn a disc (any AddAudioTrack) run only with --yes.
Exit status: 0 every scenario recorded and passed its expectations, 1 some scenario was skipped
or failed an expectation (skipped is never passed), 2 unusable input or backend.";

/// The backend to record on.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendArg {
    /// The simulator (each scenario on a fresh simulated drive with its own disc).
    Sim,
    /// A real recorder through IMAPI2 (Windows only).
    Imapi2,
}

/// Arguments of `record`.
#[derive(clap::Args, Debug)]
pub struct RecordArgs {
    /// Scenario files, or directories to search recursively for *.toml scenarios.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Where the scenarios run.
    #[arg(long, value_enum)]
    backend: BackendArg,
    /// The recorder: an index (0), a drive letter (E:) or IMAPI2's unique id (\\?\...).
    #[arg(long, value_name = "SEL", default_value = "0")]
    recorder: String,
    /// Write each transcript into DIR, as <relative path>.transcript.toml.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Overwrite transcripts that already exist.
    #[arg(long, conflicts_with = "keep_existing")]
    force: bool,
    /// Skip scenarios whose transcript already exists (a second pass, e.g. with --yes).
    #[arg(long)]
    keep_existing: bool,
    /// Run scenarios that may burn a disc on a real recorder.
    #[arg(long)]
    yes: bool,
    /// Never ask the operator: a scenario whose disc is not in the tray is skipped.
    #[arg(long)]
    no_prompt: bool,
    /// Accept a disc of the right type and state whatever its ATIP lead-out (any brand).
    #[arg(long)]
    any_lead_out: bool,
    /// Seed of synthetic audio, replacing each scenario's `seed`.
    #[arg(long)]
    seed: Option<u64>,
    /// Keep every Update event in transcripts, not only the per-action summary.
    #[arg(long)]
    all_events: bool,
}

pub fn record(args: RecordArgs) -> anyhow::Result<Status> {
    let selector: RecorderSelector = match args.recorder.parse() {
        Ok(s) => s,
        Err(e) => return unusable(e),
    };
    let station = match args.backend {
        BackendArg::Sim => {
            if selector != RecorderSelector::Index(0) {
                return unusable(format!(
                    "--recorder {selector}: the simulator has one recorder per scenario, recorder 0"
                ));
            }
            Station::Sim
        }
        BackendArg::Imapi2 => match open_imapi2(&selector) {
            Ok(s) => s,
            Err(e) => return unusable(e),
        },
    };

    let found = match discover::find(&args.paths) {
        Ok(f) => f,
        Err(e) => return unusable(e),
    };
    let mut scenarios = Vec::with_capacity(found.len());
    let mut broken = 0;
    for f in &found {
        match load(&f.path) {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                eprintln!("error: {e}");
                broken += 1;
            }
        }
    }
    if broken > 0 {
        eprintln!("error: {broken} scenario(s) cannot be used: nothing was recorded");
        return Ok(Status::Unusable);
    }
    let targets: Vec<PathBuf> = found.iter().map(|f| discover::transcript_path(&args.out, f)).collect();
    if let Some(msg) = conflicts(&found, &targets, args.force || args.keep_existing) {
        return unusable(msg);
    }

    let operator: Box<dyn Operator + Send> =
        if args.no_prompt { Box::new(NoOperator) } else { Box::new(Terminal::stdio()) };
    let settings = Settings {
        seed: args.seed,
        all_events: args.all_events,
        yes: args.yes,
        rules: MatchRules { any_lead_out: args.any_lead_out },
        progress: std::io::stderr().is_terminal(),
    };
    let mut recording = Recording::new(station, settings, operator);
    let real = recording.is_real();
    let (mut recorded, mut failed, mut skipped, mut errors) = (0, 0, 0, 0);
    for ((f, (s, text)), target) in found.iter().zip(&scenarios).zip(&targets) {
        let name = f.path.to_string_lossy().replace('\\', "/");
        if args.keep_existing && target.exists() {
            println!("SKIP  {name}: already recorded in {}", target.display());
            skipped += 1;
            continue;
        }
        let burn = if media::burns(s, real) { " (burns a disc)" } else { "" };
        let src =
            source::embed(&f.path, text, target).with_context(|| format!("cannot locate {}", f.path.display()))?;
        match recording.record(s, Some(src)) {
            Ok(Outcome::Recorded(t)) => {
                write(target, &t)?;
                recorded += 1;
                if t.passed {
                    println!("REC   {name}{burn}");
                } else {
                    failed += 1;
                    println!("FAIL  {name}{burn}: recorded, {} expectation(s) failed", t.failures.len());
                    for fl in &t.failures {
                        println!("  {}\n    expected: {}\n    actual:   {}", fl.location(), fl.expected, fl.actual);
                    }
                }
            }
            Ok(Outcome::Skipped(why)) => {
                skipped += 1;
                println!("SKIP  {name}: {why}");
            }
            Err(e) => {
                errors += 1;
                eprintln!("error: {e}");
                println!("ERROR {name} (see the error above)");
            }
        }
    }
    println!(
        "{recorded} recorded ({failed} with failed expectations), {skipped} skipped, {errors} unusable; transcripts in {}",
        args.out.display()
    );
    Ok(if errors > 0 {
        Status::Unusable
    } else if failed > 0 || skipped > 0 {
        Status::Failed
    } else {
        Status::Passed
    })
}

fn unusable(e: impl std::fmt::Display) -> anyhow::Result<Status> {
    eprintln!("error: {e}");
    Ok(Status::Unusable)
}

/// The IMAPI2 backend with the chosen recorder (fails off Windows, or without that recorder).
fn open_imapi2(selector: &RecorderSelector) -> Result<Station, cdr_imapi2::Imapi2Error> {
    let backend = Imapi2Backend::open()?;
    let recorder = backend.select_recorder(selector)?;
    let unique_id = recorder
        .active_disc_recorder()
        .map_err(|hr| cdr_imapi2::Imapi2Error::com("IDiscRecorder2::ActiveDiscRecorder", hr))?;
    Ok(Station::Shared { backend: Arc::new(backend), unique_id, label: selector.to_string() })
}

/// A scenario and the text it was parsed from (embedded in its transcript).
fn load(path: &Path) -> Result<(Scenario, String), scenario::ScenarioError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| scenario::ScenarioError::file(path, format!("cannot read: {e}")))?;
    let s = scenario::parse(path, &text)?;
    Ok((s, text))
}

/// Two scenarios writing one file, or a transcript that exists and may not be touched.
fn conflicts(found: &[Found], targets: &[PathBuf], existing_ok: bool) -> Option<String> {
    for (i, t) in targets.iter().enumerate() {
        if let Some(j) = targets[..i].iter().position(|o| o == t) {
            return Some(format!(
                "{} and {} would both write {}: record them with separate --out directories",
                found[j].path.display(),
                found[i].path.display(),
                t.display()
            ));
        }
        if t.exists() && !existing_ok {
            return Some(format!(
                "{} already exists: pass --force to overwrite transcripts, or --keep-existing to skip them",
                t.display()
            ));
        }
    }
    None
}

fn write(path: &Path, t: &Transcript) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, t.to_toml()?).with_context(|| format!("cannot write {}", path.display()))
}
