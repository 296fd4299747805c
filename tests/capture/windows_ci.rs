//! `docs/windows-ci.md`'s GitHub Actions example is the job the project's Windows workflow runs,
//! and its steps that do not need Windows (writing the configuration, checking the transcript
//! and the disc with cdr-harness) pass here on what the COM server's session writes.

use std::path::Path;
use std::process::Command;

use super::{application, root};

/// The job `simulated-burner` of `.github/workflows/windows.yml`, under `jobs:`.
fn workflow_job() -> String {
    let wf = std::fs::read_to_string(root().join(".github/workflows/windows.yml")).unwrap();
    let lines: Vec<&str> = wf.lines().collect();
    let start = lines.iter().position(|l| *l == "  simulated-burner:").expect("the simulated-burner job");
    // Up to the next job (a key indented by two spaces) or the end.
    let is_job = |l: &&str| l.starts_with("  ") && !l.starts_with("   ") && !l.trim_start().starts_with('#');
    let end = lines[start + 1..].iter().position(is_job).map_or(lines.len(), |n| start + 1 + n);
    format!("jobs:\n{}", lines[start..end].join("\n").trim_end())
}

/// The fenced yaml block of the doc.
fn doc_block() -> String {
    let doc = std::fs::read_to_string(root().join("docs/windows-ci.md")).unwrap();
    let start = doc.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let end = start + doc[start..].find("\n```").unwrap();
    doc[start..end].to_string()
}

/// The body of the `run: |` block of the step named `name`, unindented.
fn run_block(job: &str, name: &str) -> String {
    let lines: Vec<&str> = job.lines().collect();
    let at = lines.iter().position(|l| l.trim() == format!("- name: {name}")).unwrap();
    let header = (at..lines.len()).find(|&i| lines[i].trim_end().ends_with("run: |")).unwrap();
    crate::workflow::run_block_at(&lines, header)
}

#[test]
fn the_doc_shows_the_job_the_windows_workflow_runs() {
    let job = workflow_job();
    assert!(job.contains("regsvr32") && job.contains("CDR_COMSERVER_CONFIG") && job.contains("cdr-harness capture"));
    assert_eq!(doc_block(), job, "docs/windows-ci.md's example must be the simulated-burner job of windows.yml");
}

fn bash(script: &str, dir: &Path) {
    let path = crate::path::path_with_harness();
    let status = Command::new("bash").arg("-ec").arg(script).current_dir(dir).env("PATH", path).status().unwrap();
    assert!(status.success(), "{script}");
}

#[test]
fn the_workflow_configures_and_checks_as_documented() {
    let job = workflow_job();
    let dir = tempfile::tempdir().unwrap();
    bash(&run_block(&job, "Configure the drive, the disc and the outputs"), dir.path());
    let config = dir.path().join("burn-out/cdr-comserver.toml");
    // The application, through the session the DLL runs, with the workflow's configuration.
    let session = cdr_comserver::session::Session::new(Some(cdr_comserver::config::load(&config).unwrap())).unwrap();
    application(session.backend());
    assert!(dir.path().join("burn-out/app.transcript.toml").is_file());
    assert!(dir.path().join("burn-out/app.disc.toml").is_file());
    bash(&run_block(&job, "Check the transcript and the disc"), dir.path());
    let out = dir.path().join("burn-out");
    assert!(out.join("image/app-burn.toc.txt").is_file(), "the replay's image");
    let checked: cdr_scenario::transcript::Transcript =
        toml::from_str(&std::fs::read_to_string(out.join("checked/check-disc.transcript.toml")).unwrap()).unwrap();
    assert!(checked.passed);
    let disc = checked.disc.media.as_ref().unwrap();
    assert_eq!(disc.tracks.len(), 3, "the three tracks the application burned (the second cancelled short)");
    let burned: cdr_scenario::transcript::Transcript =
        toml::from_str(&std::fs::read_to_string(out.join("app.transcript.toml")).unwrap()).unwrap();
    assert_eq!(checked.disc_id, burned.disc_id, "the disc file reads back as the disc the application left");
}
