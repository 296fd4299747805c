//! `cdr-harness fuzz`: generated call sequences on the simulator against the reference model.

use std::path::PathBuf;

use cdr_harness::fuzz::command::{self, Options};

use super::Status;

/// Examples shown by `cdr-harness fuzz --help`.
pub const EXAMPLES: &str = "\
Examples:
  cdr-harness fuzz --seed 1 --cases 2000       a reproducible campaign (prints cases/s and calls/s)
  cdr-harness fuzz                             a fresh seed from the OS (printed, to rerun with --seed)
  cdr-harness fuzz --seed 7 --save failures/   write a shrunk failing sequence under failures/

On a disagreement the sequence is shrunk and written as a scenario whose expectations are the
reference model's; `cdr-harness run FILE` replays it. Exit status: 0 all agreed, 1 a
disagreement (scenario written), 2 the scenario could not be written.";

/// Arguments of `fuzz`.
#[derive(clap::Args, Debug)]
pub struct FuzzArgs {
    /// Seed of the campaign; drawn from the operating system (and printed) when absent.
    #[arg(long)]
    seed: Option<u64>,
    /// Number of generated sequences.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    cases: u32,
    /// Most calls per sequence (a burst of tracks counts once).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    max_steps: u64,
    /// Directory for the scenario of a failing sequence (never overwrites a file).
    #[arg(long, value_name = "DIR", default_value = "fuzz-failures")]
    save: PathBuf,
}

pub fn fuzz(args: FuzzArgs) -> anyhow::Result<Status> {
    let opts = Options { seed: args.seed, cases: args.cases, max_steps: args.max_steps as usize, save: args.save };
    let mut out = std::io::stdout().lock();
    Ok(match command::run(&opts, &mut out)? {
        0 => Status::Passed,
        1 => Status::Failed,
        _ => Status::Unusable,
    })
}
