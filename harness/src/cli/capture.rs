//! `cdr-harness capture TRANSCRIPT -o SCENARIO`: a transcript (the COM server's, or one `run`
//! or `record` wrote) turned into a scenario whose expectations are the answers it recorded,
//! so that an application's burn flow becomes a regression test on the plain simulator.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use cdr_scenario::capture::{scenario_text, CaptureInput};
use cdr_scenario::scenario::{self, setup::record_of};

use super::Status;

pub const EXAMPLES: &str = "\
Examples:
  cdr-harness capture out/app.transcript.toml -o tests/scenarios/app-burn.toml
  cdr-harness run tests/scenarios/app-burn.toml

Every step of the transcript becomes a [[step]] expecting the HRESULT and the value it got;
every call made from the Update handler a [[step.during]] at the same Update event, checking
that event; the disc read back at the end becomes [expect_disc]. The drive, the disc in the
tray at the start and the fault rules are the transcript's own (a COM server transcript holds
them; for a transcript of `run` or `record`, the scenario it names or embeds). When the disc at
the start was a saved disc, it is written next to the scenario as <name>.start.disc.toml.
Existing files are replaced only with --force.
Exit status: 0 written, 2 unusable input.";

/// Arguments of `capture`.
#[derive(clap::Args, Debug)]
pub struct CaptureArgs {
    /// The transcript: TOML, or JSON for *.json.
    #[arg(value_name = "TRANSCRIPT")]
    transcript: PathBuf,
    /// The scenario file to write.
    #[arg(short = 'o', long = "out", value_name = "SCENARIO")]
    out: PathBuf,
    /// Replace the scenario (and its start disc file) if they exist.
    #[arg(long)]
    force: bool,
}

/// The saved disc's file next to `out`: `x.toml` -> `x.start.disc.toml`.
fn start_disc_path(out: &Path) -> PathBuf {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "captured".into());
    out.with_file_name(format!("{stem}.start{}", cdr_scenario::durable::SUFFIX))
}

pub fn capture(args: CaptureArgs) -> anyhow::Result<Status> {
    if args.out.extension().is_none_or(|e| e != "toml") || args.out.to_string_lossy().ends_with(".disc.toml") {
        bail!("{}: a scenario file's name ends in .toml (and not .disc.toml)", args.out.display());
    }
    if args.out.exists() && !args.force {
        bail!("{}: already exists: capture replaces a file only with --force", args.out.display());
    }
    let t = cdr_lab::compare::read(&args.transcript)?;
    // The set-up: the recording's own, or that of the scenario that ran.
    let (setup, ran) = match &t.setup {
        Some(s) => (s.clone(), None),
        None => {
            let loaded = cdr_lab::source::load(&args.transcript, &t)
                .with_context(|| format!("{}: no recorded set-up", args.transcript.display()))?;
            let text = match &t.source {
                Some(src) => src.text.clone(),
                None => std::fs::read_to_string(&t.scenario).with_context(|| format!("cannot read {}", t.scenario))?,
            };
            (record_of(&loaded.scenario, &text), Some(loaded.scenario))
        }
    };
    let start = setup.disc.as_ref().map(|disc| (start_disc_path(&args.out), disc));
    let start_name = start.as_ref().and_then(|(p, _)| p.file_name()).map(|n| n.to_string_lossy().into_owned());
    let input = CaptureInput {
        transcript: &t,
        setup: &setup,
        scenario_steps: ran.as_ref().map(|s| s.steps.as_slice()),
        start_disc_file: start_name.as_deref(),
    };
    let text = scenario_text(&input).with_context(|| format!("{}", args.transcript.display()))?;
    if let Some((path, disc)) = &start {
        cdr_scenario::durable::save(path, disc, args.force)?;
        eprintln!("wrote {} (the disc in the tray at the start)", path.display());
    }
    cdr_scenario::durable::write_atomically(&args.out, &text, args.force)?;
    // What was written must be a scenario: checked as `run` would.
    let s = scenario::load(&args.out).map_err(|e| anyhow::anyhow!("the captured scenario does not load: {e}"))?;
    println!(
        "wrote {} ({} steps, {} during calls); run it with: cdr-harness run {}",
        args.out.display(),
        s.steps.len(),
        s.steps.iter().map(|st| st.during.len()).sum::<usize>(),
        args.out.display()
    );
    Ok(Status::Passed)
}
