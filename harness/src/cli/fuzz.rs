//! `cdr-harness fuzz`: generated call sequences on the simulator against the reference model.

use std::path::PathBuf;

use cdr_model::fuzz::command::{self, Options};

use super::Status;

/// Examples shown by `cdr-harness fuzz --help`.
pub const EXAMPLES: &str = "\
Examples:
  cdr-harness fuzz --seed 1 --cases 2000       a reproducible campaign (prints cases/s and calls/s)
  cdr-harness fuzz                             a fresh seed from the OS (printed, to rerun with --seed)
  cdr-harness fuzz --seed 7 --save failures/   write a shrunk failing sequence under failures/
  cdr-harness fuzz --backend imapi2 --recorder E: --discs 3 --cases 200
                                               a real recorder (Windows), the simulator alongside

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
    /// A real recorder instead of the simulator (`--backend imapi2 --discs N`).
    #[command(flatten)]
    lab: super::fuzz_lab::LabArgs,
}

pub fn fuzz(args: FuzzArgs) -> anyhow::Result<Status> {
    if let Some(status) = super::fuzz_lab::run(&args.lab, args.seed, args.cases, args.max_steps as usize)? {
        return Ok(status);
    }
    let opts = Options { seed: args.seed, cases: args.cases, max_steps: args.max_steps as usize, save: args.save };
    let mut out = std::io::stdout().lock();
    Ok(command::run(&opts, &mut out)?)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};
    use proptest::prelude::*;

    use super::super::Cli;

    const WORDS: &[&str] = &[
        "cdr-harness",
        "run",
        "fuzz",
        "profiles",
        "--seed",
        "--cases",
        "--max-steps",
        "--save",
        "--format",
        "json",
        "junit",
        "human",
        "--shard",
        "1/2",
        "0/0",
        "--out",
        "--show",
        "cdr80",
        "-1",
        "0",
        "18446744073709551616",
        "--help",
        "-h",
        "--version",
        "--",
        "",
        "=",
        "--seed=",
        "--cases=0",
        "\u{1F4BF}",
        "fixtures/scenarios",
    ];

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn fuzz_arguments_are_checked() {
        assert!(Cli::try_parse_from(["cdr-harness", "fuzz", "--seed", "1", "--cases", "2000"]).is_ok());
        assert!(Cli::try_parse_from(["cdr-harness", "fuzz", "--cases", "0"]).is_err());
        assert!(Cli::try_parse_from(["cdr-harness", "fuzz", "--max-steps", "0"]).is_err());
        assert!(Cli::try_parse_from(["cdr-harness", "fuzz", "--seed", "-3"]).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any argument list parses or is refused with a message; nothing panics.
        #[test]
        fn arbitrary_arguments_never_panic(
            args in proptest::collection::vec(
                prop_oneof![3 => proptest::sample::select(WORDS).prop_map(str::to_owned), 1 => ".{0,12}"],
                0..8,
            )
        ) {
            let argv = std::iter::once("cdr-harness".to_string()).chain(args);
            let _ = Cli::try_parse_from(argv);
        }
    }
}
