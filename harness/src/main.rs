//! The `cdr-harness` command: see `cdr-harness --help` and `docs/scenarios.md`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
