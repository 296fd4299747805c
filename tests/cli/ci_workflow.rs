//! The GitHub Actions workflow of `docs/ci/scenarios.yml`: the project runs that very file
//! (`.github/workflows/scenarios.yml` is a copy), and its shard command, run as written for each
//! shard of the matrix, covers the suite exactly once with JUnit reports a CI tool can read.

use std::path::Path;
use std::process::Command;

use super::manifest as root;

/// The body of the `run: |` block that holds `needle`, unindented.
fn run_block(workflow: &str, needle: &str) -> String {
    let lines: Vec<&str> = workflow.lines().collect();
    let start = lines.iter().position(|l| l.contains(needle)).unwrap();
    // Walk back to the `run: |` line, then take the block's lines.
    let header = (0..=start).rev().find(|&i| lines[i].trim_end().ends_with("run: |")).unwrap();
    crate::workflow::run_block_at(&lines, header)
}

#[test]
fn the_project_runs_the_documented_workflow() {
    let docs = std::fs::read_to_string(root().join("docs/ci/scenarios.yml")).unwrap();
    let project = std::fs::read_to_string(root().join(".github/workflows/scenarios.yml")).unwrap();
    assert_eq!(docs, project, ".github/workflows/scenarios.yml must be a copy of docs/ci/scenarios.yml");
}

#[test]
fn the_shards_of_the_workflow_cover_the_suite_once() {
    let workflow = std::fs::read_to_string(root().join("docs/ci/scenarios.yml")).unwrap();
    let script = run_block(&workflow, "cdr-harness run");
    assert!(workflow.contains("shard: [1, 2, 3, 4]") && workflow.contains("SHARDS: \"4\""), "{workflow}");
    let path = crate::path::path_with_harness();
    let out = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for shard in 1..=4 {
        let script = script.replace("${{ matrix.shard }}", &shard.to_string());
        let status = Command::new("bash")
            .arg("-ec")
            .arg(&script)
            .current_dir(out.path())
            .env("PATH", &path)
            .env("SCENARIOS", root().join("fixtures/scenarios"))
            .env("SHARDS", "4")
            .status()
            .unwrap();
        assert!(status.success(), "shard {shard}: {script}");
        let xml = std::fs::read_to_string(out.path().join(format!("junit-{shard}.xml"))).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for case in doc.descendants().filter(|n| n.has_tag_name("testcase")) {
            assert!(case.attribute("time").is_some() && case.attribute("classname").is_some());
            names.push(case.attribute("name").unwrap().to_string());
        }
    }
    let suite = scenario_count(&root().join("fixtures/scenarios"));
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((names.len(), unique.len()), (suite, suite), "each scenario once across the four shards");
}

fn scenario_count(dir: &Path) -> usize {
    cdr_scenario::discover::find(&[dir.to_path_buf()]).unwrap().len()
}
