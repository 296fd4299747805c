//! The scenario test cases as `cargo test` runs them: three cases, the one that fails on purpose
//! ignored unless asked for, and its message the one `cdr-harness run` prints.

use cdr_scenario::testing::Suite;

fn suite() -> Suite {
    Suite::new("tests/scenarios").snapshots("tests/snapshots")
}

#[test]
fn three_scenarios_are_three_test_cases() {
    let cases = suite().cases().unwrap();
    let names: Vec<(&str, bool)> = cases.iter().map(|c| (c.name.as_str(), c.ignored)).collect();
    assert_eq!(names, [("burn/one-track.toml", false), ("fails-on-purpose.toml", true), ("not-prepared.toml", false)]);
    for case in cases.iter().filter(|c| !c.ignored) {
        assert_eq!(suite().check(case), Ok(()), "{}", case.name);
    }
}

#[test]
fn the_failing_case_says_what_failed_where() {
    let cases = suite().cases().unwrap();
    let failing = cases.iter().find(|c| c.name == "fails-on-purpose.toml").unwrap();
    assert_eq!(
        suite().check(failing),
        Err("FAIL  tests/scenarios/fails-on-purpose.toml\n  \
             step 4 (get_FreeSectorsOnMedia, line 15)\n    \
             expected: value 360000\n    \
             actual:   value 359845\n"
            .to_string())
    );
}

/// The `scenarios` test binary cargo built beside this one (the newest, should older builds
/// linger in the folder).
fn scenarios_binary() -> std::path::PathBuf {
    let me = std::env::current_exe().unwrap();
    let deps = me.parent().unwrap();
    std::fs::read_dir(deps)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("scenarios-") && p.extension().is_none_or(|e| e == "exe")
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .expect("cargo test builds the scenarios test target first")
}

#[test]
fn cargo_test_runs_three_cases_and_shows_the_failure() {
    let out = std::process::Command::new(scenarios_binary())
        .arg("--include-ignored")
        .arg("--test-threads=1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!out.status.success(), "{stdout}");
    for line in ["test burn/one-track.toml", "test fails-on-purpose.toml", "test not-prepared.toml"] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
    assert!(stdout.contains("---- fails-on-purpose.toml ----"), "{stdout}");
    assert!(stdout.contains("expected: value 360000\n    actual:   value 359845"), "{stdout}");
    assert!(stdout.contains("2 passed; 1 failed; 0 ignored"), "{stdout}");
}
