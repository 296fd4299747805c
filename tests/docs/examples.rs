//! Every TOML block of the docs is an example file of `docs/examples/` (whole, or a run of its
//! lines), and every example file passes when `cdr-harness` runs it, or, for a COM server
//! configuration (`*.comserver.toml`), the COM server accepts it. Every YAML block is a whole
//! job of a workflow of `.github/workflows/`.

use std::path::{Path, PathBuf};

use crate::markdown::{blocks, lines, relative, root};

/// Languages a fenced block may have, and what the suite does with each.
const LANGUAGES: &[(&str, &str)] = &[
    ("toml", "an example file of docs/examples/, whole or in part: the example is run (a *.comserver.toml is parsed)"),
    ("yaml", "a whole job of a workflow of .github/workflows/, under `jobs:`"),
    ("sh", "commands: those that invoke cdr-harness are run"),
    ("powershell", "commands: those that invoke cdr-harness are run"),
    ("text", "what a command prints: shown, not run"),
];

/// Every `*.toml` of `docs/examples/`, sorted.
fn toml_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("docs/examples"))
        .expect("docs/examples/")
        .map(|e| e.expect("docs/examples/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// The example files `cdr-harness run` runs: every `*.toml` of `docs/examples/` (scenarios and
/// `*.faults.toml`) but the COM server configurations.
pub fn example_files() -> Vec<PathBuf> {
    toml_files().into_iter().filter(|p| !is_config_file(p)).collect()
}

/// The COM server configurations of `docs/examples/` (`*.comserver.toml`).
pub fn config_files() -> Vec<PathBuf> {
    toml_files().into_iter().filter(|p| is_config_file(p)).collect()
}

fn is_config_file(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".comserver.toml")
}

fn is_faults_file(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".faults.toml")
}

/// True when `part` is a run of consecutive lines of `whole` (trailing white space ignored).
fn is_part_of(part: &str, whole: &str) -> bool {
    let (part, whole) = (lines(part), lines(whole));
    !part.is_empty() && whole.windows(part.len()).any(|w| w == part.as_slice())
}

#[test]
fn every_block_has_a_language_the_suite_knows() {
    let unknown: Vec<String> = blocks()
        .iter()
        .filter(|b| !LANGUAGES.iter().any(|(l, _)| *l == b.lang))
        .map(|b| format!("{}: a ```{} block", b.at(), b.lang))
        .collect();
    let known: Vec<String> = LANGUAGES.iter().map(|(l, what)| format!("{l} ({what})")).collect();
    assert!(
        unknown.is_empty(),
        "code blocks this suite cannot classify (give each one of: {}):\n{}",
        known.join("; "),
        unknown.join("\n")
    );
}

#[test]
fn every_toml_block_is_an_example_file_or_part_of_one() {
    let examples: Vec<(PathBuf, String)> =
        toml_files().into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap())).collect();
    let mut unmatched = Vec::new();
    let mut used = 0;
    for block in blocks().iter().filter(|b| b.lang == "toml") {
        match examples.iter().find(|(_, text)| is_part_of(&block.text, text)) {
            Some(_) => used += 1,
            None => unmatched.push(format!(
                "{}: a toml block that is neither a file of docs/examples/ nor a run of lines of one; \
                 put it in an example that passes (it starts: {:?})",
                block.at(),
                block.text.lines().next().unwrap_or("")
            )),
        }
    }
    assert!(unmatched.is_empty(), "{}", unmatched.join("\n"));
    assert!(used >= 10, "only {used} toml blocks found in README.md and docs/: the extraction is broken");
}

#[test]
fn the_readme_scenario_is_an_example_file_whole() {
    let readme: Vec<_> = blocks().into_iter().filter(|b| b.file == "README.md" && b.lang == "toml").collect();
    let first = readme.first().expect("README.md has a toml block");
    let file = std::fs::read_to_string(root().join("docs/examples/one-minute.toml")).unwrap();
    assert_eq!(
        lines(&first.text),
        lines(&file),
        "{}: the scenario in one minute is docs/examples/one-minute.toml",
        first.at()
    );
}

/// Runs `cdr-harness run ARGS` in `dir`: (exit code, stdout and stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = crate::support::harness().current_dir(dir).arg("run").args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// A copy of docs/examples/ in a temporary directory, so that `save` steps write there.
pub fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in example_files() {
        std::fs::copy(&file, dir.path().join(file.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn every_example_passes() {
    let dir = examples_copy();
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in example_files() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let args: Vec<String> = if is_faults_file(&file) {
            let scenario = name.trim_end_matches(".faults.toml").to_string() + ".toml";
            if !dir.path().join(&scenario).exists() {
                failures.push(format!("docs/examples/{name}: a faults file runs with {scenario}, which is missing"));
                continue;
            }
            vec![scenario, "--faults".into(), name.clone()]
        } else {
            vec![name.clone()]
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, text) = run_in(dir.path(), &argv);
        ran += 1;
        if code != 0 || !text.contains("1 passed, 0 failed") {
            failures.push(format!("cdr-harness run {}: exit {code}\n{text}", args.join(" ")));
        }
    }
    assert!(ran >= 10, "only {ran} examples ran");
    assert!(failures.is_empty(), "examples that do not pass:\n{}", failures.join("\n"));
}

#[test]
fn every_example_file_is_shown_or_named_in_the_docs() {
    let docs: String = crate::markdown::doc_files().iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let blocks = blocks();
    let missing: Vec<String> = toml_files()
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            !docs.contains(&name) && !blocks.iter().any(|b| b.lang == "toml" && is_part_of(&b.text, &text))
        })
        .map(|f| relative(f))
        .collect();
    assert!(missing.is_empty(), "example files no document shows or names: {missing:?}");
}

#[test]
fn every_config_example_is_accepted_by_the_com_server() {
    let dir = tempfile::tempdir().unwrap();
    let files = config_files();
    assert!(!files.is_empty(), "docs/examples/ has no *.comserver.toml: docs/windows-ci.md shows one");
    let mut failures = Vec::new();
    for file in files {
        // A copy in an empty directory: the outputs it names do not exist yet, as on first use.
        let copy = dir.path().join(file.file_name().unwrap());
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&copy, &text).unwrap();
        match cdr_comserver::config::parse(&copy, &text) {
            Ok(c) if c.transcript.is_some() && c.disc.is_some() => {}
            Ok(_) => failures.push(format!("{}: names no transcript or no disc in [output]", relative(&file))),
            Err(e) => failures.push(format!("{}: {e}", relative(&file))),
        }
    }
    assert!(failures.is_empty(), "COM server configurations the server refuses:\n{}", failures.join("\n"));
}

#[test]
fn the_config_check_refuses_a_configuration_the_server_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.comserver.toml");
    assert!(cdr_comserver::config::parse(&path, "[drive]\nprofile = \"no-such-drive\"\n").is_err());
    assert!(cdr_comserver::config::parse(&path, "[output]\ntranscript = \"out/app.txt\"\n").is_err());
}

/// The workflows of `.github/workflows/`: (file, text).
fn workflows() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root().join(".github/workflows"))
        .expect(".github/workflows/")
        .map(|e| e.expect(".github/workflows/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .map(|p| (relative(&p), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// True when `block` is `jobs:` followed by a whole job of `workflow`: from the line of its
/// key (indented by two spaces under `jobs:`) up to the next job's key or the end of the file.
fn is_job_of(block: &str, workflow: &str) -> bool {
    let block = lines(block);
    let wf = lines(workflow);
    let Some((&"jobs:", job)) = block.split_first() else { return false };
    let is_job_key = |l: &str| {
        l.starts_with("  ") && !l.starts_with("   ") && !l.trim_start().starts_with('#') && l.trim_end().ends_with(':')
    };
    let Some(first) = job.first().copied().filter(|l| is_job_key(l)) else { return false };
    let Some(jobs_at) = wf.iter().position(|l| *l == "jobs:") else { return false };
    let Some(start) = wf[jobs_at..].iter().position(|l| *l == first).map(|n| jobs_at + n) else { return false };
    let end = wf[start + 1..].iter().position(|l| is_job_key(l)).map_or(wf.len(), |n| start + 1 + n);
    let mut whole = wf[start..end].to_vec();
    while whole.last().is_some_and(|l| l.is_empty() || l.trim_start().starts_with('#')) {
        whole.pop();
    }
    whole == job
}

#[test]
fn every_yaml_block_is_a_job_of_a_workflow() {
    let workflows = workflows();
    let mut unmatched = Vec::new();
    for block in blocks().iter().filter(|b| b.lang == "yaml") {
        if !workflows.iter().any(|(_, text)| is_job_of(&block.text, text)) {
            unmatched.push(format!(
                "{}: a yaml block that is not `jobs:` and a whole job of a workflow of .github/workflows/ \
                 (it starts: {:?})",
                block.at(),
                block.text.lines().nth(1).unwrap_or("")
            ));
        }
    }
    assert!(unmatched.is_empty(), "{}", unmatched.join("\n"));
}

#[test]
fn the_job_check_wants_a_whole_job() {
    let wf = "on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n\n  b:\n    runs-on: y\n";
    assert!(is_job_of("jobs:\n  a:\n    runs-on: x\n    steps: []\n", wf));
    assert!(is_job_of("jobs:\n  b:\n    runs-on: y", wf));
    assert!(!is_job_of("jobs:\n  a:\n    runs-on: x\n", wf), "a job cut short");
    assert!(!is_job_of("  a:\n    runs-on: x\n    steps: []\n", wf), "without jobs:");
    assert!(!is_job_of("jobs:\n  a:\n    runs-on: z\n    steps: []\n", wf), "a changed line");
}

#[test]
fn the_excerpt_check_tells_a_run_of_lines_from_scattered_ones() {
    let whole = "a = 1\nb = 2\nc = 3\n";
    assert!(is_part_of("b = 2\nc = 3", whole));
    assert!(is_part_of("a = 1   \nb = 2\n\n", whole));
    assert!(!is_part_of("a = 1\nc = 3", whole));
    assert!(!is_part_of("", whole));
}
