//! The report of a `run`: human text, one JSON document, or JUnit XML; and the closing line.

use std::path::PathBuf;

use super::junit::{Case, Verdict};
use cdr_scenario::transcript::Transcript;

use super::times::Clock;

/// Report format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A line per scenario, the failures with expected and actual.
    Human,
    /// One JSON document with every transcript.
    Json,
    /// JUnit XML, one testcase per scenario.
    Junit,
}

/// What became of one scenario.
pub enum Outcome {
    /// It ran (passed or not).
    Ran(Box<Transcript>),
    /// It could not be used; the message names the file (and line:column).
    Unusable(String),
}

/// One scenario's result.
pub struct ScenarioResult {
    /// Its path as found.
    pub name: String,
    /// Its path relative to the directory given.
    pub relative: PathBuf,
    /// What became of it.
    pub outcome: Outcome,
    /// Wall-clock time it took to load and run (reported only with `--times wall`).
    pub wall: std::time::Duration,
}

impl ScenarioResult {
    /// Its transcript, when it ran.
    pub fn transcript(&self) -> Option<&Transcript> {
        match &self.outcome {
            Outcome::Ran(t) => Some(t),
            Outcome::Unusable(_) => None,
        }
    }
}

fn counts(results: &[ScenarioResult]) -> (usize, usize) {
    let passed = results.iter().filter(|r| matches!(&r.outcome, Outcome::Ran(t) if t.passed)).count();
    (passed, results.len() - passed)
}

/// The closing line `N passed, N failed`: on stdout for human output, on stderr otherwise (so
/// stdout stays one JSON or XML document).
pub fn closing(format: Format, passed: usize, failed: usize) {
    let line = format!("{passed} passed, {failed} failed");
    match format {
        Format::Human => println!("{line}"),
        Format::Json | Format::Junit => eprintln!("{line}"),
    }
}

/// Prints an error on stderr, one `error: ` line per error (a file with several mistakes
/// reports each).
pub fn error(message: &str) {
    for line in message.lines() {
        eprintln!("error: {line}");
    }
}

/// Prints the report and the closing line. Unusable scenarios are also reported on stderr.
pub fn print(format: Format, results: &[ScenarioResult], times: Option<Clock>) -> anyhow::Result<()> {
    for r in results {
        if let Outcome::Unusable(msg) = &r.outcome {
            error(msg);
        }
    }
    match format {
        Format::Human => print!("{}", human(results)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&json(results, times))?),
        Format::Junit => println!("{}", junit(results, times)?),
    }
    let (passed, failed) = counts(results);
    closing(format, passed, failed);
    Ok(())
}

/// With `--image`: where the image went, and the disc's IDs.
fn image_text(t: &Transcript) -> String {
    let Some(image) = &t.image else {
        return String::new();
    };
    match (&image.cue, &image.svg, &image.not_written) {
        (Some(cue), Some(svg), _) => {
            let ids = t
                .disc_id
                .as_ref()
                .map(|d| format!("\n      musicbrainz {}  freedb {}", d.musicbrainz, d.freedb))
                .unwrap_or_default();
            format!("      image: {cue}  picture: {svg}{ids}\n")
        }
        (_, _, Some(why)) => format!("      image: none ({why})\n"),
        _ => String::new(),
    }
}

/// Where each `during` call fired (or that it never did).
fn during_text(t: &Transcript) -> String {
    t.steps.iter().flat_map(super::fired::during_lines).map(|l| format!("      {l}\n")).collect()
}

fn human(results: &[ScenarioResult]) -> String {
    let mut out = String::new();
    for r in results {
        match &r.outcome {
            Outcome::Ran(t) if t.passed => {
                out += &format!("PASS  {}\n", r.name);
                out += &during_text(t);
                out += &image_text(t);
            }
            Outcome::Ran(t) => {
                out += &format!("FAIL  {}\n", r.name);
                out += &cdr_scenario::testing::failure_text(t);
                out += &during_text(t);
                out += &image_text(t);
            }
            Outcome::Unusable(_) => out += &format!("ERROR {} (unusable: see the error above)\n", r.name),
        }
    }
    out
}

fn json(results: &[ScenarioResult], times: Option<Clock>) -> serde_json::Value {
    let (passed, failed) = counts(results);
    let scenarios: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let mut v = match &r.outcome {
                Outcome::Ran(t) => {
                    let mut transcript = serde_json::json!(t);
                    super::typed::type_failures(&mut transcript);
                    serde_json::json!({
                        "scenario": r.name,
                        "status": if t.passed { "passed" } else { "failed" },
                        "transcript": transcript,
                    })
                }
                Outcome::Unusable(msg) => serde_json::json!({
                    "scenario": r.name,
                    "status": "error",
                    "error": msg,
                }),
            };
            if let Some(clock) = times {
                let seconds = super::times::time_of(clock, r.wall, r.transcript()).as_secs_f64();
                v["time"] = serde_json::json!({ "clock": clock.name(), "seconds": seconds });
            }
            v
        })
        .collect();
    serde_json::json!({ "passed": passed, "failed": failed, "scenarios": scenarios })
}

/// The JUnit class of a scenario: its topic, the folder it is in relative to the directory
/// given (`burn`, `faults/lab`), or for a file named on its own the name of its folder.
fn topic(r: &ScenarioResult) -> String {
    let relative = r.relative.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
    if !relative.is_empty() {
        return relative;
    }
    let folder = std::path::Path::new(&r.name).parent().and_then(|p| p.file_name());
    folder.map_or_else(|| "scenarios".to_string(), |f| f.to_string_lossy().into_owned())
}

fn junit(results: &[ScenarioResult], times: Option<Clock>) -> anyhow::Result<String> {
    let time = |r: &ScenarioResult| times.map(|clock| super::times::time_of(clock, r.wall, r.transcript()));
    let cases = results
        .iter()
        .map(|r| Case {
            suite: "scenarios".to_string(),
            name: r.name.clone(),
            class: topic(r),
            verdict: match &r.outcome {
                Outcome::Ran(t) if t.passed => Verdict::Passed,
                Outcome::Ran(t) => Verdict::Failed {
                    message: format!("{} expectation(s) failed", t.failures.len()),
                    details: cdr_scenario::testing::failure_text(t),
                },
                Outcome::Unusable(msg) => Verdict::Unusable { message: msg.clone() },
            },
            time: time(r),
        })
        .collect();
    let total = times.map(|_| results.iter().filter_map(time).sum());
    super::junit::report("cdr-harness", &["scenarios"], cases, total)
}
