//! The options `cdr-harness fuzz` takes for a real recorder (`--backend imapi2 --discs N`),
//! flattened into the fuzz command's arguments.

use cdr_lab::fuzz_lab::{self, Options};
use cdr_lab::operator::{NoOperator, Operator, Terminal};

use super::Status;

/// Where generated sequences run.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuzzBackend {
    /// The simulator against the model; a failure is shrunk and written as a scenario.
    Sim,
    /// A real recorder through IMAPI2 (Windows only), with the simulator alongside.
    Imapi2,
}

/// The real-recorder options of `fuzz`.
#[derive(clap::Args, Debug)]
pub struct LabArgs {
    /// Where the sequences run: the simulator, or a real recorder through IMAPI2 (Windows only)
    /// with the reference model as the oracle and the simulator alongside (docs/lab.md).
    #[arg(long, value_enum, default_value_t = FuzzBackend::Sim)]
    backend: FuzzBackend,
    /// With --backend imapi2: the most discs the campaign may burn; sequences that may burn
    /// (any AddAudioTrack) run only while one is left (0: none burn).
    #[arg(long, value_name = "N")]
    discs: Option<u32>,
    /// With --backend imapi2: the recorder (0, E:, or IMAPI2's unique id).
    #[arg(long, value_name = "SEL")]
    recorder: Option<String>,
    /// With --backend imapi2: never ask for a disc; stop when the tray does not hold one.
    #[arg(long)]
    no_prompt: bool,
}

/// Runs the real-recorder campaign when `--backend imapi2` is given (`None`: the simulator
/// campaign runs as usual).
pub fn run(lab: &LabArgs, seed: Option<u64>, cases: u32, max_steps: usize) -> anyhow::Result<Option<Status>> {
    if lab.backend == FuzzBackend::Sim {
        if lab.discs.is_some() || lab.recorder.is_some() || lab.no_prompt {
            eprintln!(
                "error: --discs, --recorder and --no-prompt go with --backend imapi2 (the simulator burns no disc)"
            );
            return Ok(Some(Status::Unusable));
        }
        return Ok(None);
    }
    let opts = Options {
        seed,
        cases,
        max_steps,
        discs: lab.discs.unwrap_or(0),
        recorder: lab.recorder.clone().unwrap_or_else(|| "0".into()),
    };
    let operator: Box<dyn Operator + Send> =
        if lab.no_prompt { Box::new(NoOperator) } else { Box::new(Terminal::stdio()) };
    let mut out = std::io::stdout().lock();
    Ok(Some(fuzz_lab::run_imapi2(&opts, operator, &mut out)?))
}
