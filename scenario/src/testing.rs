//! Scenarios as `cargo test` test cases: keep scenario files beside your code and run each one
//! as its own test case, with the messages `cdr-harness run` prints.
//!
//! In your crate's `Cargo.toml`:
//!
//! ```toml
//! [dev-dependencies]
//! cdr-scenario = { git = "https://example.invalid/cdr-sim", features = ["cargo-test"] }
//!
//! [[test]]
//! name = "scenarios"
//! harness = false        # the test cases are the scenario files, listed at run time
//! ```
//!
//! and in `tests/scenarios.rs`:
//!
//! ```no_run
//! # #[cfg(feature = "cargo-test")]
//! fn main() -> std::process::ExitCode {
//!     cdr_scenario::testing::Suite::new("tests/scenarios").snapshots("tests/snapshots").run()
//! }
//! # #[cfg(not(feature = "cargo-test"))]
//! # fn main() {}
//! ```
//!
//! `cargo test` then lists one test case per scenario file under `tests/scenarios` (named by
//! its path relative to that folder), runs them in parallel, and accepts the usual test
//! arguments (`cargo test --test scenarios -- burn/` runs the ones whose name contains `burn/`).
//! Paths are relative to the crate's folder, where `cargo test` runs its tests.
//!
//! A case passes when the scenario passes (and, with [`Suite::snapshots`], its transcript
//! equals its snapshot). A failing case prints what `cdr-harness run` prints: `FAIL <path>` and
//! each failed expectation with its step, line, expected and actual; an unusable file prints
//! `error: file:line:column: ...` for each mistake.
//!
//! **Snapshots.** With [`Suite::snapshots`]`("tests/snapshots")` each scenario's transcript (as
//! `cdr-harness run --out` writes it, with the tool version left out) is kept in
//! `tests/snapshots/<path relative to the scenarios, without .toml>.transcript.toml`. A missing
//! or different snapshot fails the case and shows the first difference. To accept the new
//! transcripts, run
//!
//! ```sh
//! CDR_ACCEPT_SNAPSHOTS=1 cargo test --test scenarios
//! git diff tests/snapshots/      # read what changed before committing it
//! ```
//!
//! which writes every snapshot that is missing or different and passes those cases.
//!
//! **Ignored cases.** A scenario tagged `ignore` (`tags = ["ignore"]`) is listed as an ignored
//! test case, run only by `cargo test -- --ignored` (or `--include-ignored`), as `#[ignore]`.
//!
//! [`Suite::run`] needs the `cargo-test` feature (it brings the `libtest-mimic` test harness);
//! [`Suite::cases`] and [`Suite::check`] do not, for harnesses of your own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscRecorder2, HrResult};

use crate::runner::{self, RunOptions};
use crate::scenario;
use crate::transcript::Transcript;

/// The environment variable that makes failing snapshot comparisons write the new snapshot.
pub const ACCEPT_ENV: &str = "CDR_ACCEPT_SNAPSHOTS";

/// The tag that makes a scenario an ignored test case.
pub const IGNORE_TAG: &str = "ignore";

/// The tool version as snapshots show it, so that a new version alone changes no snapshot.
const VERSION_IN_SNAPSHOTS: &str = "[version]";

/// A folder of scenarios run as test cases. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Suite {
    dir: PathBuf,
    snapshots: Option<PathBuf>,
    options: RunOptions,
}

/// One scenario file as a test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The test case's name: the file's path relative to the suite's folder, `/`-separated.
    pub name: String,
    /// The scenario file.
    pub path: PathBuf,
    /// Tagged `ignore`: run only when ignored tests are asked for.
    pub ignored: bool,
}

impl Suite {
    /// The scenarios under `dir` (walked as `cdr-harness run DIR` walks it).
    pub fn new(dir: impl Into<PathBuf>) -> Suite {
        Suite { dir: dir.into(), snapshots: None, options: RunOptions::default() }
    }

    /// Also compares each transcript with its snapshot under `dir` (see the module docs).
    pub fn snapshots(mut self, dir: impl Into<PathBuf>) -> Suite {
        self.snapshots = Some(dir.into());
        self
    }

    /// Runs with these options (seed, every Update event in transcripts, faults, ...).
    pub fn options(mut self, options: RunOptions) -> Suite {
        self.options = options;
        self
    }

    /// The test cases, sorted by name. An error when the folder holds no scenario.
    pub fn cases(&self) -> Result<Vec<Case>, String> {
        let found = crate::discover::find(std::slice::from_ref(&self.dir)).map_err(|e| e.to_string())?;
        Ok(found
            .into_iter()
            .map(|f| {
                let ignored = scenario::load(&f.path).is_ok_and(|s| s.tags.iter().any(|t| t == IGNORE_TAG));
                Case { name: f.relative.to_string_lossy().replace('\\', "/"), path: f.path, ignored }
            })
            .collect())
    }

    /// Runs one case: `Err` holds the message a failing case prints.
    pub fn check(&self, case: &Case) -> Result<(), String> {
        let shown = case.path.to_string_lossy().replace('\\', "/");
        let s = scenario::load(&case.path).map_err(|e| error_lines(&e.to_string()))?;
        let t = runner::run(&s, &self.options).map_err(|e| error_lines(&e.to_string()))?;
        if !t.passed {
            return Err(format!("FAIL  {shown}\n{}", failure_text(&t)));
        }
        match &self.snapshots {
            Some(dir) => self.compare_snapshot(dir, case, t),
            None => Ok(()),
        }
    }

    fn compare_snapshot(&self, dir: &Path, case: &Case, mut t: Transcript) -> Result<(), String> {
        t.environment.tool_version = VERSION_IN_SNAPSHOTS.into();
        let text = t.to_toml().map_err(|e| e.to_string())?;
        let path = dir.join(snapshot_name(&case.name));
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        if std::env::var(ACCEPT_ENV).is_ok_and(|v| v == "1") {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            return std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()));
        }
        let what = match &old {
            None => format!("no snapshot {}", path.display()),
            Some(old) => format!("the transcript differs from {}: {}", path.display(), first_difference(old, &text)),
        };
        Err(format!("{what}\naccept the new transcript with: {ACCEPT_ENV}=1 cargo test (then read git diff)"))
    }

    /// Runs every case as a test case of a `harness = false` test target, with the arguments
    /// `cargo test` passes (filters, `--ignored`, `--list`, `--test-threads`, ...). An empty or
    /// missing folder is a failure, not a run of nothing.
    #[cfg(feature = "cargo-test")]
    pub fn run(self) -> std::process::ExitCode {
        let args = libtest_mimic::Arguments::from_args();
        let cases = match self.cases() {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        let suite = std::sync::Arc::new(self);
        let trials = cases
            .into_iter()
            .map(|case| {
                let suite = std::sync::Arc::clone(&suite);
                let ignored = case.ignored;
                libtest_mimic::Trial::test(case.name.clone(), move || suite.check(&case).map_err(Into::into))
                    .with_ignored_flag(ignored)
            })
            .collect();
        libtest_mimic::run(&args, trials).exit_code()
    }
}

/// Each failed expectation of `t` as `cdr-harness run` prints it: the step (or `expect_disc`
/// key), its line, expected and actual.
pub fn failure_text(t: &Transcript) -> String {
    let mut out = String::new();
    for f in &t.failures {
        out += &format!("  {}\n    expected: {}\n    actual:   {}\n", f.location(), f.expected, f.actual);
    }
    out
}

/// One `error: ` line per error, as the command prints them.
fn error_lines(message: &str) -> String {
    message.lines().map(|l| format!("error: {l}\n")).collect()
}

/// `a/b.toml` -> `a/b.transcript.toml`.
fn snapshot_name(case: &str) -> String {
    format!("{}.transcript.toml", case.strip_suffix(".toml").unwrap_or(case))
}

/// `line N: expected ... found ...` for the first line that differs.
fn first_difference(old: &str, new: &str) -> String {
    let (mut a, mut b) = (old.lines(), new.lines());
    let mut n = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (x, y) => {
                return format!(
                    "line {n}: snapshot `{}`, now `{}`",
                    x.unwrap_or("(end of file)"),
                    y.unwrap_or("(end of file)")
                )
            }
        }
    }
}

/// A client ready to burn, for tests and examples that drive the contract by hand: a recorder
/// initialised on the backend's first drive, and a format object holding it, named `client_name`,
/// with the media prepared.
pub fn prepared_client(
    backend: &dyn Backend,
    client_name: &str,
) -> HrResult<(Arc<dyn DiscRecorder2>, Arc<dyn DiscFormat2TrackAtOnce>)> {
    let recorder = backend.create_recorder()?;
    recorder.initialize_disc_recorder(&backend.disc_master()?.item(0)?)?;
    let format = backend.create_format()?;
    format.set_recorder(Some(Arc::clone(&recorder)))?;
    format.set_client_name(Some(client_name))?;
    format.prepare_media()?;
    Ok((recorder, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_and_differences() {
        assert_eq!(snapshot_name("burn/a.toml"), "burn/a.transcript.toml");
        assert_eq!(first_difference("a\nb\n", "a\nc\n"), "line 2: snapshot `b`, now `c`");
        assert_eq!(first_difference("a\n", "a\nb\n"), "line 2: snapshot `(end of file)`, now `b`");
    }
}
