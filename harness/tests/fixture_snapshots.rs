//! Every scenario under `fixtures/scenarios/` runs on the simulator, passes, and its transcript
//! is an insta snapshot (`snapshots/`). Adding a fixture adds a snapshot: run
//! `cargo insta test -p cdr-harness --accept` (or `INSTA_UPDATE=always cargo test`) and review.

use std::path::Path;

use cdr_harness::runner::{run, RunOptions};
use cdr_harness::scenario;

/// The suite must not shrink silently.
const MIN_FIXTURES: usize = 130;

fn workspace_relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

#[test]
fn every_fixture_passes_and_matches_its_snapshot() {
    let mut count = 0;
    let mut failed = Vec::new();
    insta::glob!("../../fixtures/scenarios", "**/*.toml", |path| {
        count += 1;
        let mut s = scenario::load(path).unwrap_or_else(|e| panic!("{e}"));
        s.name = workspace_relative(path);
        let mut t = run(&s, &RunOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        if !t.passed {
            failed.push(format!("{}: {:#?}", s.name, t.failures));
        }
        t.environment.tool_version = "[version]".into();
        insta::assert_toml_snapshot!(t);
    });
    assert!(count >= MIN_FIXTURES, "only {count} fixtures found; expected at least {MIN_FIXTURES}");
    assert!(failed.is_empty(), "fixtures with failed expectations:\n{}", failed.join("\n"));
}

#[test]
fn the_same_scenario_twice_gives_byte_identical_transcripts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/scenarios/burn/worked-example.toml");
    let s = scenario::load(&path).unwrap();
    let a = run(&s, &RunOptions::default()).unwrap();
    let b = run(&s, &RunOptions::default()).unwrap();
    assert_eq!(a.to_toml().unwrap(), b.to_toml().unwrap());
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
}

#[test]
fn transcripts_round_trip_through_toml_and_json() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/scenarios/mid-write/snapshot.toml");
    let t = run(&scenario::load(&path).unwrap(), &RunOptions::default()).unwrap();
    let from_toml: cdr_harness::transcript::Transcript = toml::from_str(&t.to_toml().unwrap()).unwrap();
    let from_json: cdr_harness::transcript::Transcript = serde_json::from_str(&t.to_json().unwrap()).unwrap();
    assert_eq!(from_toml.to_toml().unwrap(), t.to_toml().unwrap());
    assert_eq!(from_json.to_json().unwrap(), t.to_json().unwrap());
}
