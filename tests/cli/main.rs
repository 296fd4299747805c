//! The `cdr-harness` command end to end: exit codes, messages, report formats, transcripts.

#[path = "../support/path.rs"]
mod path;
#[path = "../support/harness.rs"]
mod support;
#[path = "../support/workflow.rs"]
mod workflow;

mod ci_reports;
mod ci_workflow;
mod html_report;
mod human_report;
mod load_errors;
mod wav;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bad(name: &str) -> PathBuf {
    manifest().join("tests/cli/bad").join(name)
}

fn fixture(rel: &str) -> PathBuf {
    manifest().join("fixtures/scenarios").join(rel)
}

fn cmd() -> Command {
    crate::support::harness()
}

/// Runs one broken file and checks it exits 2 naming `file:line:col` and the message.
fn unusable(name: &str, position: &str, message: &str) {
    let path = bad(name);
    let located = format!("{}:{position}:", path.display());
    cmd()
        .arg("run")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(located))
        .stderr(predicate::str::contains(message))
        .stdout(predicate::str::contains("0 passed, 1 failed"));
}

#[test]
fn syntax_error_exits_2_with_position() {
    unusable("syntax-error.toml", "4:21", "invalid basic string");
}

#[test]
fn unknown_key_exits_2_with_position() {
    unusable("unknown-key.toml", "5:1", "unknown field `expcet`");
}

#[test]
fn unknown_call_exits_2_with_a_suggestion() {
    unusable("unknown-call.toml", "4:8", "did you mean `PrepareMedia`?");
}

#[test]
fn wrong_argument_type_exits_2() {
    unusable("wrong-arg-type.toml", "5:8", "argument 1 of SetWriteSpeed: expected an integer, found a string");
}

#[test]
fn wrong_value_type_exits_2() {
    unusable("wrong-value-type.toml", "5:9", "expected an integer, found a string");
}

#[test]
fn missing_wav_exits_2_naming_the_file() {
    unusable("missing-wav.toml", "5:9", "no-such-song.wav");
}

#[test]
fn unknown_profile_and_bad_calibration_exit_2() {
    unusable("unknown-drive.toml", "4:11", "unknown drive profile `plextor-premiun`");
    unusable("bad-calibration.toml", "4:15", "calibration.short_track");
}

#[test]
fn scenarios_that_check_nothing_are_refused() {
    unusable("no-steps.toml", "1:1", "at least one [[step]]");
    unusable("no-description.toml", "1:1", "missing `description`");
}

#[test]
fn a_directory_without_scenarios_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    cmd().arg("run").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("no scenarios"));
    cmd().args(["run", "no/such/dir"]).assert().code(2).stderr(predicate::str::contains("no such file or directory"));
}

#[test]
fn a_wrong_expectation_exits_1_showing_expected_and_actual() {
    cmd()
        .arg("run")
        .arg(bad("wrong-expectation.toml"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("step 4 (get_FreeSectorsOnMedia, line 16)"))
        .stdout(predicate::str::contains("expected: value 360000"))
        .stdout(predicate::str::contains("actual:   value 359845"))
        .stdout(predicate::str::contains("step 5 (ReleaseMedia, line 21)"))
        .stdout(predicate::str::contains("0 passed, 1 failed\n"));
}

#[test]
fn passing_scenarios_exit_0_with_the_closing_line() {
    let out = cmd().arg("run").arg(fixture("burn")).assert().code(0).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().last(), Some("2 passed, 0 failed"), "{text}");
}

#[test]
fn junit_is_well_formed_with_one_testcase_per_scenario() {
    let out = cmd()
        .arg("run")
        .arg(fixture("burn"))
        .arg(bad("wrong-expectation.toml"))
        .arg(bad("unknown-call.toml"))
        .args(["--format", "junit"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 4, "{xml}");
    let failures = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure"))).count();
    let errors = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("error"))).count();
    assert_eq!((failures, errors), (1, 1), "{xml}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("2 passed, 2 failed"));
}

#[test]
fn json_is_one_document() {
    let out = cmd()
        .arg("run")
        .arg(fixture("burn"))
        .arg(bad("wrong-expectation.toml"))
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["passed"], 2);
    assert_eq!(v["failed"], 1);
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 3);
    let failed = scenarios.iter().find(|s| s["status"] == "failed").unwrap();
    // Failures are typed in JSON: the value itself, with the text kept beside it.
    assert_eq!(failed["transcript"]["failures"][0]["expected"], 360000);
    assert_eq!(failed["transcript"]["failures"][0]["expected_text"], "value 360000");
}

#[test]
fn out_writes_identical_transcripts_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let scenario = fixture("mid-write");
    for out in [&a, &b] {
        cmd().arg("run").arg(&scenario).arg("--out").arg(out).assert().code(0);
    }
    let name = Path::new("snapshot.transcript.toml");
    let first = std::fs::read(a.join(name)).unwrap();
    assert!(!first.is_empty());
    assert_eq!(first, std::fs::read(b.join(name)).unwrap());
    cmd()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists: pass --force"));
    cmd().arg("run").arg(&scenario).arg("--out").arg(&a).arg("--force").assert().code(0);
}

#[test]
fn shards_split_the_suite_without_overlap() {
    let all = fixture("");
    let mut seen = Vec::new();
    for k in 1..=3 {
        let out = cmd()
            .arg("run")
            .arg(&all)
            .args(["--shard", &format!("{k}/3")])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        seen.extend(text.lines().filter_map(|l| l.strip_prefix("PASS  ")).map(str::to_string));
    }
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n, "a scenario ran in two shards");
    assert!(n >= 15);
    cmd().arg("run").arg(&all).args(["--shard", "4/3"]).assert().code(2);
}

#[test]
fn help_shows_examples_and_profiles_lists_builtins() {
    cmd().arg("--help").assert().code(0).stdout(predicate::str::contains("Examples:"));
    cmd().args(["run", "--help"]).assert().code(0).stdout(predicate::str::contains("--shard"));
    cmd()
        .arg("profiles")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("plextor-premium"))
        .stdout(predicate::str::contains("79:59:72"))
        .stdout(predicate::str::contains("359847"));
    cmd().args(["profiles", "--show", "nope"]).assert().code(2);
}

#[test]
fn seed_changes_the_synthetic_audio_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = fixture("burn/two-tracks.toml");
    let read = |seed: &str| {
        let out = dir.path().join(seed);
        cmd().arg("run").arg(&scenario).args(["--seed", seed]).arg("--out").arg(&out).assert().code(0);
        std::fs::read_to_string(out.join("two-tracks.transcript.toml")).unwrap()
    };
    let (a, b) = (read("1"), read("2"));
    let digests = |t: &str| t.lines().filter(|l| l.starts_with("digest")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(digests(&a).len(), 2);
    assert!(digests(&a).iter().zip(digests(&b)).all(|(x, y)| *x != y), "seeds 1 and 2 gave the same audio");
    let rest = |t: &str| {
        t.lines().filter(|l| !l.starts_with("digest") && !l.starts_with("seed")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(rest(&a), rest(&b));
}

#[test]
fn the_version_names_the_spec_revisions_it_follows() {
    let want = format!(
        "cdr-harness {} (spec: imapi2-tao 02911df81bfa, scenario-format f0b32b1042d2)\n",
        env!("CARGO_PKG_VERSION")
    );
    cmd().arg("--version").assert().success().stdout(want);
}
