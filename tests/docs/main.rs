//! The README and docs/ cannot rot: every TOML example in them is a file of `docs/examples/`
//! that passes, every `cdr-harness` command in them runs, the format reference names every key
//! the parser accepts and every calibration setting, the table of Update events is the
//! simulator's, nothing points to documents outside the repository, and ARCHITECTURE.md's rule
//! that modules do not import each other in circles holds (`tools/module-cycles`).

#[cfg(unix)]
#[path = "../support/path.rs"]
mod path;
#[path = "../support/harness.rs"]
mod support;

mod architecture;
mod cadence;
mod calibration;
#[cfg(unix)]
mod commands;
mod drive;
mod examples;
mod links;
mod markdown;
mod reference;
