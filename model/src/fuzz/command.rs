//! `cdr-harness fuzz`: the campaign as a command, with its report.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cdr_scenario::Status;

use super::campaign::{self, Failure, Report, Settings};
use super::outcome::Stats;
use super::repro;
use super::sut::{Simulator, Sut};

/// The options of `cdr-harness fuzz`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The seed; `None` draws one from the operating system (and prints it).
    pub seed: Option<u64>,
    /// Cases to run.
    pub cases: u32,
    /// Most ops per case.
    pub max_steps: usize,
    /// Where a failing sequence is written as a scenario.
    pub save: PathBuf,
}

impl Default for Options {
    fn default() -> Self {
        Options { seed: None, cases: 1000, max_steps: 64, save: PathBuf::from("fuzz-failures") }
    }
}

/// A seed from the operating system's randomness (only the command draws one; everything after
/// it is determined by the seed).
pub fn os_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

/// The counts in words: the first line the totals, the second the rules of the revised spec
/// the cases reached.
pub fn describe_stats(s: &Stats) -> String {
    format!(
        "{} calls, {} tracks written ({} sectors, {} cancelled from the handler), {} handler calls, \
         {} PrepareMedia, {} TRACK_LIMIT_REACHED, {} NOT_ENOUGH_SPACE, {} cases ended where the spec is silent\n\
         reached: {} calls from PREPARING handlers, {} from VERIFYING handlers, {} nested tracks written from \
         PREPARING, {} nested AddAudioTrack refused mid-write, {} second PrepareMedia, {} tracks after a \
         cancelled one, {} short tracks, {} tracks that filled the disc, {} 100th tracks refused by the \
         drive, {} calls with an empty tray, {} extra locks on the recorder",
        s.calls,
        s.writes,
        s.sectors,
        s.cancels,
        s.handler_calls,
        s.prepares,
        s.track_limit,
        s.not_enough_space,
        s.silent,
        s.preparing_calls,
        s.verifying_calls,
        s.nested_tracks,
        s.nested_refused,
        s.second_prepares,
        s.after_cancel,
        s.short_tracks,
        s.full_disc,
        s.hundredth_refused,
        s.empty_tray,
        s.extra_locks,
    )
}

/// Runs the command on the simulator; returns the exit status (passed: all agree, failed: a
/// disagreement, unusable: the scenario could not be written).
pub fn run(opts: &Options, out: &mut dyn Write) -> io::Result<Status> {
    run_on(Arc::new(Simulator), opts, out)
}

/// Runs the command on `sut`.
pub fn run_on(sut: Arc<dyn Sut>, opts: &Options, out: &mut dyn Write) -> io::Result<Status> {
    let seed = match opts.seed {
        Some(s) => s,
        None => {
            let s = os_seed();
            writeln!(out, "seed {s} (drawn; rerun with --seed {s})")?;
            s
        }
    };
    writeln!(
        out,
        "fuzzing {} against the reference model: seed {seed}, {} cases of at most {} steps",
        sut.name(),
        opts.cases,
        opts.max_steps
    )?;
    let settings = Settings { seed, cases: opts.cases, max_steps: opts.max_steps };
    let report = with_quiet_panics(|| campaign::run(Arc::clone(&sut), settings));
    let code = match &report.failure {
        None => {
            writeln!(out, "{} cases passed: {}", report.stats.cases, describe_stats(&report.stats))?;
            writeln!(out, "fingerprint {}", report.fingerprint.to_hex())?;
            Status::Passed
        }
        Some(f) => report_failure(&report, f, seed, opts, out)?,
    };
    let secs = report.elapsed.as_secs_f64().max(1e-9);
    let cpu = match report.cpu {
        Some(c) if c.as_secs_f64() > 0.0 => {
            format!("; on the CPU {:.3} s: {:.0} calls/s", c.as_secs_f64(), report.stats.calls as f64 / c.as_secs_f64())
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "throughput: {:.0} cases/s, {:.0} calls/s (wall {:.3} s{cpu})",
        report.stats.cases as f64 / secs,
        report.stats.calls as f64 / secs,
        secs
    )?;
    Ok(code)
}

fn report_failure(report: &Report, f: &Failure, seed: u64, opts: &Options, out: &mut dyn Write) -> io::Result<Status> {
    writeln!(out, "DISAGREEMENT in case {}: {}", report.stats.cases, f.disagreement)?;
    writeln!(out, "shrunk from {} to {} ops:", f.found_len, f.ops.len())?;
    for (i, op) in f.ops.iter().enumerate() {
        let repeat = if op.repeat > 1 { format!(" x{}", op.repeat) } else { String::new() };
        writeln!(out, "  {:>3}. {}: {:?}{repeat}", i + 1, repro::client_name(op.client), op.member)?;
        for d in op.plan.iter().flatten() {
            writeln!(out, "       from the handler at {:?}: {:?}", d.when, d.member)?;
        }
    }
    let command = format!("cdr-harness fuzz --seed {seed} --cases {} --max-steps {}", opts.cases, opts.max_steps);
    let text = repro::write(f, &command);
    match save(&opts.save, &format!("fuzz-seed-{seed}"), &text) {
        Ok(path) => {
            writeln!(out, "scenario written to {} (replay: cdr-harness run {})", path.display(), path.display())?;
            Ok(Status::Failed)
        }
        Err(e) => {
            writeln!(out, "could not write the scenario under {}: {e}", opts.save.display())?;
            Ok(Status::Unusable)
        }
    }
}

/// Writes `text` as `DIR/STEM.toml`, or `STEM-2.toml`, ... : never over an existing file.
pub fn save(dir: &Path, stem: &str, text: &str) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for n in 1u32.. {
        let name = if n == 1 { format!("{stem}.toml") } else { format!("{stem}-{n}.toml") };
        let path = dir.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("some file name is free")
}

/// Runs `f` with the panic message printer silenced: proptest catches a backend's panics as
/// failures and shrinks them, which would print every panic along the way.
fn with_quiet_panics<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    match r {
        Ok(v) => v,
        Err(p) => {
            let msg = p.downcast_ref::<String>().map(String::as_str).or_else(|| p.downcast_ref::<&str>().copied());
            eprintln!("cdr-harness fuzz: internal error: {}", msg.unwrap_or("a panic"));
            std::panic::resume_unwind(p)
        }
    }
}
