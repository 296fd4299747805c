//! `cdr-harness compare TRANSCRIPT...`: replay recorded transcripts on the simulator and report
//! every difference, with the calibration settings that reconcile them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::junit::{Case, Verdict};
use cdr_lab::compare::{self, Compared, DriveId};

use super::Status;

pub const EXAMPLES: &str = "\
Examples:
  cdr-harness compare /tmp/t
  cdr-harness compare fixtures/lab/plextor-px716a-1.11/
  cdr-harness compare fixtures/lab --format junit > compare.xml

Each transcript is replayed on the simulator configured from its recorded environment (drive
identity, calibration, media type, ATIP lead-in and lead-out) and compared step by step:
HRESULT, value, Update events, `during` calls, and the disc read back. Transcripts recorded on
real hardware are compared without the fields that differ by nature (real seconds, the number
of WRITING events, track digests). Where a difference falls on a calibration point of the spec,
the settings that reconcile it are named, checked by replaying with them.
Exit status: 0 no differences, 1 differences, 2 unusable input.";

/// Report format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Differences by transcript, with calibration hints, then a summary per drive.
    Human,
    /// JUnit XML: one test case per scenario x drive x firmware.
    Junit,
}

/// Arguments of `compare`.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Transcript files, or directories searched recursively for *.transcript.toml.
    #[arg(required = true, value_name = "TRANSCRIPT")]
    paths: Vec<PathBuf>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

type Outcome = Result<Compared, String>;

pub fn compare(args: CompareArgs) -> anyhow::Result<Status> {
    let files = match compare::find(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("0 same, 0 different, 0 unusable");
            return Ok(Status::Unusable);
        }
    };
    let results: Vec<(PathBuf, Outcome)> =
        files.into_iter().map(|p| (p.clone(), compare::compare_file(&p).map_err(|e| e.to_string()))).collect();
    for (_, r) in &results {
        if let Err(e) = r {
            eprintln!("error: {e}");
        }
    }
    match args.format {
        Format::Human => print!("{}", human(&results)),
        Format::Junit => println!("{}", junit(&results)?),
    }
    let same = results.iter().filter(|(_, r)| r.as_ref().is_ok_and(|c| c.differences.is_empty())).count();
    let unusable = results.iter().filter(|(_, r)| r.is_err()).count();
    let different = results.len() - same - unusable;
    let line = format!("{same} same, {different} different, {unusable} unusable");
    match args.format {
        Format::Human => println!("{line}"),
        Format::Junit => eprintln!("{line}"),
    }
    Ok(if unusable > 0 {
        Status::Unusable
    } else if different > 0 {
        Status::Failed
    } else {
        Status::Passed
    })
}

fn title(c: &Compared) -> String {
    format!("{} on {} ({})", c.scenario, c.drive, c.backend)
}

/// The differences of one transcript with their hints, indented.
fn details(c: &Compared) -> String {
    let mut out = String::new();
    for n in &c.notes {
        out += &format!("  note: {n}\n");
    }
    for (i, d) in c.differences.iter().enumerate() {
        out += &format!(
            "  {}: {}\n    recorded:  {}\n    simulator: {}\n",
            d.location(),
            d.field,
            d.recorded,
            d.simulated
        );
        for h in c.hints.iter().filter(|h| h.reconciles.contains(&i)) {
            let extra = if h.introduces > 0 {
                format!(", but brings {} other difference(s)", h.introduces)
            } else {
                String::new()
            };
            out += &format!("    calibration point: {} reconciles this ({}{extra})\n", h.setting, h.setting.spec());
        }
    }
    if let Some(settings) = &c.reconciled_by {
        let list: Vec<String> = settings.iter().map(ToString::to_string).collect();
        out += &format!("  with {} the replay matches the recording exactly\n", list.join(" and "));
    }
    out
}

fn human(results: &[(PathBuf, Outcome)]) -> String {
    let mut out = String::new();
    let mut per_drive: BTreeMap<DriveId, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (path, r) in results {
        match r {
            Ok(c) if c.differences.is_empty() => {
                out += &format!("SAME  {} ({})\n", path.display(), title(c));
                for n in &c.notes {
                    out += &format!("  note: {n}\n");
                }
            }
            Ok(c) => {
                out += &format!("DIFF  {} ({}): {} difference(s)\n", path.display(), title(c), c.differences.len());
                out += &details(c);
                for h in c.hints.iter().filter(|h| h.introduces == 0) {
                    per_drive
                        .entry(c.drive.clone())
                        .or_default()
                        .entry(h.setting.to_string())
                        .or_default()
                        .push(c.scenario.clone());
                }
            }
            Err(_) => out += &format!("ERROR {} (unusable: see the error above)\n", path.display()),
        }
    }
    for (drive, settings) in per_drive {
        out += &format!("calibration settings that reconcile differences on {drive}:\n");
        for (setting, scenarios) in settings {
            out += &format!("  {setting}   ({} scenario(s): {})\n", scenarios.len(), scenarios.join(", "));
        }
    }
    out
}

fn junit(results: &[(PathBuf, Outcome)]) -> anyhow::Result<String> {
    let cases = results
        .iter()
        .map(|(path, r)| match r {
            Ok(c) => Case {
                suite: format!("{} ({})", c.drive, c.backend),
                name: c.scenario.clone(),
                class: c.drive.to_string(),
                verdict: if c.differences.is_empty() {
                    Verdict::Passed
                } else {
                    Verdict::Failed {
                        message: format!("{} difference(s) from the simulator", c.differences.len()),
                        details: details(c),
                    }
                },
                time: None,
            },
            Err(e) => Case {
                suite: "unusable transcripts".to_string(),
                name: path.to_string_lossy().replace('\\', "/"),
                class: "unusable".to_string(),
                verdict: Verdict::Unusable { message: e.clone() },
                time: None,
            },
        })
        .collect();
    super::junit::report("cdr-harness compare", &[], cases, None)
}
