//! What a user sees for unusable input: a scenario that checks nothing is refused with a message
//! that says so; every mistake in a file is reported (each with its line and column, up to a
//! limit); a faults file's mistakes name that file, not the scenario it is added to.

use super::{bad, fixture};

/// Runs `cdr-harness run` with `args`; asserts exit 2 and returns stderr's `error:` lines.
fn errors(args: &[&std::ffi::OsStr]) -> Vec<String> {
    let out = crate::support::harness().arg("run").args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    stderr.lines().filter_map(|l| l.strip_prefix("error: ")).map(str::to_string).collect()
}

#[test]
fn a_scenario_that_checks_nothing_is_an_error_that_says_so() {
    let path = bad("checks-nothing.toml");
    let lines = errors(&[path.as_os_str()]);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with(&format!("{}:1:1: this scenario checks nothing", path.display())), "{lines:#?}");
    assert!(lines[0].contains("[expect_disc]") && lines[0].contains("expect = \"S_OK\""), "{lines:#?}");
}

#[test]
fn every_mistake_in_a_file_is_reported_with_its_position() {
    let path = bad("several-errors.toml");
    let lines = errors(&[path.as_os_str()]);
    let at = |pos: &str| format!("{}:{pos}: ", path.display());
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert!(lines[0].starts_with(&at("8:8")) && lines[0].contains("did you mean `PrepareMedia`"), "{lines:#?}");
    assert!(lines[1].starts_with(&at("13:9")) && lines[1].contains("expected an integer"), "{lines:#?}");
    assert!(lines[2].starts_with(&at("16:8")) && lines[2].contains("AddAudioTrack needs a `track`"), "{lines:#?}");
    assert!(lines[3].starts_with(&at("21:8")) && lines[3].contains("argument 1 of SetWriteSpeed"), "{lines:#?}");
}

#[test]
fn a_file_with_very_many_mistakes_reports_the_first_twenty_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.toml");
    let mut text = String::from("description = \"thirty unknown calls\"\n");
    for _ in 0..30 {
        text += "[[step]]\ncall = \"Burn\"\nexpect = \"S_OK\"\n";
    }
    std::fs::write(&path, text).unwrap();
    let lines = errors(&[path.as_os_str()]);
    assert_eq!(lines.len(), 21, "{lines:#?}");
    assert!(lines[0].starts_with(&format!("{}:3:8: unknown call `Burn`", path.display())), "{lines:#?}");
    assert!(lines[19].starts_with(&format!("{}:60:8: ", path.display())), "{lines:#?}");
    assert_eq!(lines[20], format!("{}: ... and 10 more errors", path.display()));
}

#[test]
fn faults_file_mistakes_name_the_faults_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = fixture("burn/worked-example.toml");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let cases = [
        (write("idle-seed.toml", "# lab faults\nfault_seed = 4\n"), "2:14: fault_seed is set but no [[fault]]"),
        (write("unseeded.toml", "\n[[fault]]\nkind = \"random\"\nrate = 0.1\n"), "2:1: this random fault needs a seed"),
        (
            write(
                "two.toml",
                "[[fault]]\nkind = \"fail_call\"\ncall = \"PrepareMedai\"\n\n[[fault]]\nkind = \"dust\"\n",
            ),
            "3:8: unknown call `PrepareMedai`",
        ),
    ];
    for (faults, message) in cases {
        let lines = errors(&[scenario.as_os_str(), "--faults".as_ref(), faults.as_os_str()]);
        let want = format!("{}:{message}", faults.display());
        assert!(lines[0].starts_with(&want), "want {want}\ngot {lines:#?}");
        assert!(lines.iter().all(|l| !l.contains("worked-example")), "names the faults file only: {lines:#?}");
    }
    let lines = errors(&[scenario.as_os_str(), "--faults".as_ref(), dir.path().join("two.toml").as_os_str()]);
    assert_eq!(lines.len(), 2, "both rules are reported: {lines:#?}");
    assert!(lines[1].contains("two.toml:6:8: unknown fault kind \"dust\""), "{lines:#?}");
}
