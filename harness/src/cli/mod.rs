//! Command-line interface: one file per subcommand.

mod capture;
mod compare;
mod fired;
mod fuzz;
mod fuzz_lab;
mod html;
mod junit;
mod loopback;
mod profiles;
mod record;
mod report;
mod run;
mod times;
mod typed;
mod version;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use cdr_scenario::Status;

const ABOUT: &str = "Conformance harness for IMAPI2 track-at-once audio burning: runs scenario files \
against the simulated CD-R and writes deterministic transcripts.";

const EXAMPLES: &str = "\
Examples:
  cdr-harness run fixtures/scenarios                      run every scenario under a directory
  cdr-harness run fixtures/scenarios/burn/worked-example.toml   run one file
  cdr-harness run fixtures/scenarios --shard 2/4          the second quarter of the suite (CI)
  cdr-harness run fixtures/scenarios --format junit > report.xml
  cdr-harness run my.toml --out transcripts/              write my.transcript.toml
  cdr-harness profiles                                    list built-in drives and media
  cdr-harness profiles --show cdr80                       print a profile as TOML, to start a file
  cdr-harness record fixtures/scenarios --backend sim --out /tmp/t   record transcripts (docs/lab.md)
  cdr-harness compare /tmp/t                              replay recorded transcripts on the simulator
  cdr-harness capture app.transcript.toml -o app.toml     a transcript (e.g. the COM server's) as a scenario

Exit status: 0 all passed, 1 an expectation failed, 2 unusable input.
Scenario format: docs/scenarios.md";

/// The `cdr-harness` command.
#[derive(Parser, Debug)]
#[command(name = "cdr-harness", version = version::VERSION, about = ABOUT, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run scenarios (files, or directories walked recursively for *.toml).
    #[command(after_help = run::EXAMPLES)]
    Run(run::RunArgs),
    /// List the built-in drive and media profiles with their key figures.
    Profiles(profiles::ProfilesArgs),
    /// Record scenarios with their environment (real recorder or simulator) as self-contained transcripts.
    #[command(after_help = record::EXAMPLES)]
    Record(record::RecordArgs),
    /// Replay recorded transcripts on the simulator and report every difference.
    #[command(after_help = compare::EXAMPLES)]
    Compare(compare::CompareArgs),
    /// Turn a transcript (the COM server's, or one run/record wrote) into a scenario expecting its answers.
    #[command(after_help = capture::EXAMPLES)]
    Capture(capture::CaptureArgs),
    /// Fuzz the simulator against the reference model with generated call sequences.
    #[command(after_help = fuzz::EXAMPLES)]
    Fuzz(fuzz::FuzzArgs),
}

/// Parses the command line and runs the subcommand.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Profiles(args) => profiles::profiles(args),
        Command::Record(args) => record::record(args),
        Command::Compare(args) => compare::compare(args),
        Command::Capture(args) => capture::capture(args),
        Command::Fuzz(args) => fuzz::fuzz(args),
    };
    match status {
        Ok(s) => ExitCode::from(s),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(Status::Unusable)
        }
    }
}
