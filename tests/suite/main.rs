//! `cdr_scenario::testing::Suite`: snapshots of transcripts, missing and changed ones reported
//! with where they differ, and accepted with CDR_ACCEPT_SNAPSHOTS=1.

use cdr_scenario::testing::{Suite, ACCEPT_ENV};

#[test]
fn snapshots_are_checked_and_accepted_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir_all(scenarios.join("burn")).unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/burn/two-tracks.toml");
    std::fs::copy(&source, scenarios.join("burn/two.toml")).unwrap();
    let suite = Suite::new(&scenarios).snapshots(dir.path().join("snapshots"));
    let cases = suite.cases().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].name, "burn/two.toml");

    let e = suite.check(&cases[0]).unwrap_err();
    assert!(e.starts_with("no snapshot ") && e.contains("snapshots/burn/two.transcript.toml"), "{e}");
    assert!(e.contains("CDR_ACCEPT_SNAPSHOTS=1 cargo test"), "{e}");

    // SAFETY of the environment: this is the only test of this binary, so no other thread reads it.
    std::env::set_var(ACCEPT_ENV, "1");
    assert_eq!(suite.check(&cases[0]), Ok(()));
    std::env::remove_var(ACCEPT_ENV);
    let snapshot = dir.path().join("snapshots/burn/two.transcript.toml");
    let text = std::fs::read_to_string(&snapshot).unwrap();
    assert!(text.contains("tool_version = \"[version]\""), "{text}");
    assert_eq!(suite.check(&cases[0]), Ok(()), "the accepted snapshot matches");

    std::fs::write(&snapshot, text.replacen("lead_out = ", "lead_out = 1", 1)).unwrap();
    let e = suite.check(&cases[0]).unwrap_err();
    assert!(e.contains("the transcript differs from") && e.contains("snapshot `lead_out = 1"), "{e}");
}
