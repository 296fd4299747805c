//! The hardware-lab workflow end to end: `record` and `compare` through the command, the lab
//! fixtures, calibration hints, the recording station on a shared recorder, and differential
//! fuzzing within a disc budget. No hardware is involved: the simulator stands in for the
//! recorder everywhere, and the IMAPI2 backend is only checked to refuse off Windows.

#[path = "../support/scenario_text.rs"]
mod scenario_text;
#[path = "../support/harness.rs"]
mod support;

mod differential;
mod hints;
mod stations;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cmd() -> Command {
    crate::support::harness()
}

/// Every file under `dir` with `suffix`, sorted.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = cdr_scenario::discover::files_under(dir)
        .map(|p| p.unwrap())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

/// The transcript's backend is the simulator (`sim`, or a middleware around it: `faults(sim)`).
fn recorded_by_the_simulator(text: &str) -> bool {
    text.lines().any(|l| l == "backend = \"sim\"" || (l.starts_with("backend = \"") && l.ends_with("(sim)\"")))
}

/// Replaces the first `from` in `path` with `to`; fails if there is none.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn record_then_compare_reports_no_difference() {
    // A few topics of the fixture scenarios (the whole suite is replayed from fixtures/lab by
    // `lab_fixtures_are_simulator_recordings_and_compare_clean`).
    let out = tempfile::tempdir().unwrap();
    let topics: Vec<PathBuf> = ["burn", "calibration", "faults", "mid-write"]
        .iter()
        .map(|t| repo().join("fixtures/scenarios").join(t))
        .collect();
    let n: usize = topics.iter().map(|t| files(t, ".toml").len()).sum();
    assert!(n >= 10, "the fixture scenarios are there ({n})");
    cmd()
        .arg("record")
        .args(&topics)
        .args(["--backend", "sim", "--out"])
        .arg(out.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("{n} recorded (0 with failed expectations), 0 skipped")));
    let transcripts = files(out.path(), ".transcript.toml");
    assert_eq!(transcripts.len(), n);
    for t in &transcripts {
        let text = std::fs::read_to_string(t).unwrap();
        assert!(recorded_by_the_simulator(&text), "{}", t.display());
        assert!(text.contains("\nos = "), "the OS is recorded: {}", t.display());
        assert!(text.contains("[source]"), "the scenario is embedded: {}", t.display());
    }
    cmd()
        .arg("compare")
        .arg(out.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("{n} same, 0 different, 0 unusable")));
}

#[test]
fn recording_is_deterministic() {
    let scenario = repo().join("fixtures/scenarios/mid-write/snapshot.toml");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        cmd().arg("record").arg(&scenario).args(["--backend", "sim", "--out"]).arg(dir.path()).assert().code(0);
    }
    let read = |d: &tempfile::TempDir| std::fs::read_to_string(d.path().join("snapshot.transcript.toml")).unwrap();
    let strip = |t: String| t.lines().filter(|l| !l.starts_with("path = ")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(read(&a)), strip(read(&b)), "same scenario, same transcript (but for where it lies)");
}

#[test]
fn one_changed_value_makes_compare_name_the_scenario_and_step() {
    let out = tempfile::tempdir().unwrap();
    let scenario = repo().join("fixtures/scenarios/burn/worked-example.toml");
    cmd().arg("record").arg(&scenario).args(["--backend", "sim", "--out"]).arg(out.path()).assert().code(0);
    let t = out.path().join("worked-example.transcript.toml");
    cmd().arg("compare").arg(&t).assert().code(0);
    edit(&t, "value = 359845", "value = 359844");
    cmd()
        .arg("compare")
        .arg(&t)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("burn/worked-example.toml"))
        .stdout(predicate::str::is_match(r"step \d+ \(get_FreeSectorsOnMedia, line \d+\): value").unwrap())
        .stdout(predicate::str::contains("recorded:  359844"))
        .stdout(predicate::str::contains("simulator: 359845"))
        .stdout(predicate::str::contains("0 same, 1 different, 0 unusable"));
}

#[test]
fn lab_fixtures_are_simulator_recordings_and_compare_clean() {
    let lab = repo().join("fixtures/lab");
    let transcripts = files(&lab, ".transcript.toml");
    assert!(!transcripts.is_empty(), "fixtures/lab holds transcripts");
    for t in &transcripts {
        let text = std::fs::read_to_string(t).unwrap();
        assert!(recorded_by_the_simulator(&text), "{} must say it was recorded from the simulator", t.display());
    }
    let readme = std::fs::read_to_string(lab.join("README.md")).unwrap();
    assert!(readme.contains("recorded from the") && readme.contains("never present them as hardware results"));
    let n = transcripts.len();
    cmd()
        .arg("compare")
        .arg(&lab)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("{n} same, 0 different, 0 unusable")));
}

#[test]
fn a_changed_lab_fixture_fails_naming_scenario_and_step() {
    let src = repo().join("fixtures/lab/sim/release/finalize.transcript.toml");
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("finalize.transcript.toml");
    // The copy lies elsewhere: point its scenario path at the scenario itself.
    let scenario = std::fs::canonicalize(repo().join("fixtures/scenarios/release/finalize.toml")).unwrap();
    let text = std::fs::read_to_string(&src).unwrap();
    let moved = text
        .replace("path = \"../../../scenarios/release/finalize.toml\"", &format!("path = '{}'", scenario.display()));
    assert_ne!(moved, text);
    std::fs::write(&t, moved).unwrap();
    cmd().arg("compare").arg(&t).assert().code(0);
    // A drive that answers ReleaseMedia-when-not-prepared as the doc's table says.
    edit(
        &t,
        "call = \"ReleaseMedia\"\nhresult = \"E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED\"\nhex = \"0xC0AA0502\"",
        "call = \"ReleaseMedia\"\nhresult = \"E_IMAPI_DF2TAO_MEDIA_IS_PREPARED\"\nhex = \"0xC0AA0503\"",
    );
    cmd()
        .arg("compare")
        .arg(&t)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("fixtures/scenarios/release/finalize.toml"))
        .stdout(predicate::str::is_match(r"step \d+ \(ReleaseMedia, line \d+\): hresult").unwrap())
        .stdout(predicate::str::contains("recorded:  E_IMAPI_DF2TAO_MEDIA_IS_PREPARED (0xC0AA0503)"))
        .stdout(predicate::str::contains(
            "calibration.release_not_prepared = \"E_IMAPI_DF2TAO_MEDIA_IS_PREPARED\" reconciles this",
        ));
}

#[test]
fn junit_names_scenario_drive_and_firmware() {
    let out = tempfile::tempdir().unwrap();
    let scenarios = [
        repo().join("fixtures/scenarios/burn/two-tracks.toml"),
        repo().join("fixtures/scenarios/discs/unsupported-dvd.toml"),
    ];
    cmd().arg("record").args(&scenarios).args(["--backend", "sim", "--out"]).arg(out.path()).assert().code(0);
    let t = out.path().join("two-tracks.transcript.toml");
    let text = std::fs::read_to_string(&t).unwrap();
    let at = text.find("[disc.media]").unwrap();
    let (head, tail) = text.split_at(at);
    std::fs::write(&t, format!("{head}{}", tail.replacen("free_blocks = ", "free_blocks = 1", 1))).unwrap();
    let output = cmd().arg("compare").arg(out.path()).args(["--format", "junit"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8(output.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 2);
    let suites: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("testsuite")).filter_map(|n| n.attribute("name")).collect();
    assert!(suites.iter().any(|s| s.contains("CDRSIM") && s.contains("1.00")), "{suites:?}");
    assert!(suites.iter().any(|s| s.contains("HL-DT-ST") && s.contains("LG00")), "{suites:?}");
    let failed: Vec<_> = cases.iter().filter(|c| c.children().any(|k| k.has_tag_name("failure"))).collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].attribute("name").unwrap().ends_with("burn/two-tracks.toml"));
    let body = failed[0].children().find(|k| k.has_tag_name("failure")).unwrap().text().unwrap_or_default();
    assert!(body.contains("disc: free_blocks"), "{body}");
}

#[test]
fn record_refuses_to_overwrite_and_keeps_existing_on_request() {
    let out = tempfile::tempdir().unwrap();
    let scenario = repo().join("fixtures/scenarios/not-prepared/no-recorder.toml");
    let rec = || {
        let mut c = cmd();
        c.arg("record").arg(&scenario).args(["--backend", "sim", "--out"]).arg(out.path());
        c
    };
    rec().assert().code(0);
    rec().assert().code(2).stderr(predicate::str::contains("already exists: pass --force"));
    rec()
        .arg("--keep-existing")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("SKIP").and(predicate::str::contains("already recorded")));
    rec().arg("--force").assert().code(0);
}

#[test]
fn unusable_compare_inputs_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    cmd().arg("compare").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("no transcripts"));
    let junk = dir.path().join("junk.transcript.toml");
    std::fs::write(&junk, "scenario = 1\n").unwrap();
    cmd().arg("compare").arg(&junk).assert().code(2).stderr(predicate::str::contains("not a transcript"));

    // An embedded scenario edited by hand is refused, not replayed.
    let scenario = repo().join("fixtures/scenarios/not-prepared/no-recorder.toml");
    cmd().arg("record").arg(&scenario).args(["--backend", "sim", "--out"]).arg(dir.path()).assert().code(0);
    let t = dir.path().join("no-recorder.transcript.toml");
    edit(&t, "text = \"\"\"\ndescription = \"", "text = \"\"\"\ndescription = \"Edited: ");
    cmd().arg("compare").arg(&t).assert().code(2).stderr(predicate::str::contains("edited after recording"));
}

#[test]
fn a_transcript_whose_lead_outs_disagree_is_unusable() {
    // The recorded LPL (359,847 for cdr80) against the recorded ATIP lead-out (79:59:72).
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("fixtures/scenarios/burn/worked-example.toml");
    cmd().arg("record").arg(&scenario).args(["--backend", "sim", "--out"]).arg(dir.path()).assert().code(0);
    let t = dir.path().join("worked-example.transcript.toml");
    cmd().arg("compare").arg(&t).assert().code(0);
    edit(&t, "last_possible_lead_out = 359847", "last_possible_lead_out = 359840");
    cmd()
        .arg("compare")
        .arg(&t)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contradicts itself"))
        .stderr(predicate::str::contains("environment.media.last_possible_lead_out = 359840"))
        .stderr(predicate::str::contains("environment.media.lead_out = \"79:59:72\""))
        .stdout(predicate::str::contains("0 same, 0 different, 1 unusable"));
}

#[cfg(not(windows))]
#[test]
fn imapi2_needs_windows() {
    let out = tempfile::tempdir().unwrap();
    cmd()
        .arg("record")
        .arg(repo().join("fixtures/scenarios"))
        .args(["--backend", "imapi2", "--recorder", "E:", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the IMAPI2 backend needs Windows"))
        .stderr(predicate::str::contains("--backend sim"));
    assert!(files(out.path(), ".toml").is_empty(), "nothing is written");
}

#[test]
fn bad_recorder_selectors_are_refused() {
    let out = tempfile::tempdir().unwrap();
    let scenario = repo().join("fixtures/scenarios/not-prepared/no-recorder.toml");
    cmd()
        .arg("record")
        .arg(&scenario)
        .args(["--backend", "sim", "--recorder", "E:", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the simulator has one recorder"));
    cmd()
        .arg("record")
        .arg(&scenario)
        .args(["--backend", "sim", "--recorder", "nonsense", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a recorder"));
}

#[cfg(not(windows))]
#[test]
fn fuzzing_a_real_recorder_needs_windows() {
    cmd()
        .args(["fuzz", "--backend", "imapi2", "--recorder", "E:", "--discs", "2", "--seed", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the IMAPI2 backend needs Windows"));
    cmd()
        .args(["fuzz", "--discs", "2", "--seed", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go with --backend imapi2"));
}
