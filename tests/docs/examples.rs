//! Every TOML block of the docs is an example file of `docs/examples/` (whole, or a run of its
//! lines), and every example file passes when `cdr-harness` runs it.

use std::path::{Path, PathBuf};

use crate::markdown::{blocks, lines, relative, root};

/// Languages a fenced block may have, and what the suite does with each.
const LANGUAGES: &[(&str, &str)] = &[
    ("toml", "an example file of docs/examples/, whole or in part: the example is run"),
    ("sh", "commands: those that invoke cdr-harness are run"),
    ("powershell", "commands: those that invoke cdr-harness are run"),
    ("text", "what a command prints: shown, not run"),
];

/// The example files: every `*.toml` of `docs/examples/` (scenarios and `*.faults.toml`).
pub fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("docs/examples"))
        .expect("docs/examples/")
        .map(|e| e.expect("docs/examples/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
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
        example_files().into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap())).collect();
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
    let missing: Vec<String> = example_files()
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
fn the_excerpt_check_tells_a_run_of_lines_from_scattered_ones() {
    let whole = "a = 1\nb = 2\nc = 3\n";
    assert!(is_part_of("b = 2\nc = 3", whole));
    assert!(is_part_of("a = 1   \nb = 2\n\n", whole));
    assert!(!is_part_of("a = 1\nc = 3", whole));
    assert!(!is_part_of("", whole));
}
