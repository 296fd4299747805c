//! Every command line of the docs that invokes `cdr-harness` runs, as written, in a temporary
//! directory laid out like a checkout; nothing is written outside it.
//!
//! What the directory holds, and why:
//! - `fixtures/` as in the repository, except that `fixtures/scenarios/` holds only the topics
//!   of [`SUITE_TOPICS`]: the commands run the suite several times, and the whole suite is the
//!   fixtures test's job;
//! - the files the docs name as the reader's own ([`READERS_FILES`]), taken from
//!   `docs/examples/`;
//! - for a `compare` of a lab folder the repository does not have (the docs name a drive as an
//!   illustration), that folder recorded from the simulator first;
//! - what the COM server writes for an application (`docs/windows-ci.md`): `out/app.transcript.toml`
//!   and `out/app.disc.toml`, written by the server's session with the configuration the doc
//!   shows ([`COMSERVER_CONFIG`]) while an application burns two tracks, and the
//!   `check-disc.toml` the doc describes, which inserts that disc ([`CHECK_DISC`]).
//!
//! A command ends with exit status 0, except one that needs the IMAPI2 backend, which off
//! Windows must end with status 2 and say that it needs Windows.

use std::path::Path;
use std::process::Command;

use crate::markdown::{blocks, root, Block};

/// The topics of the conformance suite the commands run on.
const SUITE_TOPICS: &[&str] = &["burn", "faults"];

/// Files the docs name as the reader's own, and the example each stands for.
const READERS_FILES: &[(&str, &str)] = &[
    ("my-scenario.toml", "docs/examples/one-minute.toml"),
    ("my.toml", "docs/examples/one-minute.toml"),
    ("faults.toml", "docs/examples/one-minute.faults.toml"),
];

/// The COM server configuration the docs show; its outputs are `out/app.transcript.toml` and
/// `out/app.disc.toml`, relative to it.
const COMSERVER_CONFIG: &str = "docs/examples/app.comserver.toml";

/// The `check-disc.toml` of docs/windows-ci.md: the disc the application left, read back.
const CHECK_DISC: &str = r#"description = "The disc the application burned, read back from its saved file"
media = "none"

[[step]]
insert = { file = "out/app.disc.toml" }
expect = "S_OK"

[expect_disc]
sessions = 1
"#;

/// The command of `line` as a shell runs it with `cdr-harness` on the PATH, when the line
/// invokes cdr-harness: `cargo run ... -p cdr-harness -- ARGS`, `cdr-harness ARGS`, or the
/// binary by its path (`target/release/cdr-harness ARGS`, also after a prefix such as
/// `taskset -c 0`). `cargo build -p cdr-harness` and the like do not invoke it.
fn invocation(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    if line.starts_with("cargo ") {
        let (head, rest) = line.split_once(" -- ")?;
        let words: Vec<&str> = head.split_whitespace().collect();
        let runs_harness = words.get(1) == Some(&"run") && words.windows(2).any(|w| w == ["-p", "cdr-harness"]);
        return runs_harness.then(|| format!("cdr-harness {rest}"));
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().enumerate().position(|(i, w)| {
        let name = w.rsplit(['/', '\\']).next().unwrap_or(w);
        let name = name.strip_suffix(".exe").unwrap_or(name);
        name == "cdr-harness" && (i == 0 || !matches!(words[i - 1], "-p" | "--package" | "--bin"))
    })?;
    let start = line.find(words[at]).expect("the word is in the line");
    Some(format!("{}cdr-harness{}", &line[..start], &line[start + words[at].len()..]))
}

/// A temporary directory laid out as the module docs say.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("fixtures");
    for entry in walkdir::WalkDir::new(&fixtures) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&fixtures).unwrap();
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string());
        if parts.next().as_deref() == Some("scenarios") {
            if let Some(topic) = parts.next() {
                if !SUITE_TOPICS.contains(&topic.as_str()) {
                    continue;
                }
            }
        }
        let to = dir.path().join("fixtures").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    for (name, example) in READERS_FILES {
        std::fs::copy(root().join(example), dir.path().join(name)).unwrap();
    }
    com_server_outputs(dir.path());
    std::fs::write(dir.path().join("check-disc.toml"), CHECK_DISC).unwrap();
    dir
}

/// Writes what the COM server's session writes in `dir` for an application that burns two
/// tracks and releases the disc, with [`COMSERVER_CONFIG`].
fn com_server_outputs(dir: &Path) {
    let config = dir.join("cdr-comserver.toml");
    std::fs::copy(root().join(COMSERVER_CONFIG), &config).unwrap();
    let config = cdr_comserver::config::load(&config).unwrap_or_else(|e| panic!("{COMSERVER_CONFIG}: {e}"));
    let session = cdr_comserver::session::Session::new(Some(config)).unwrap();
    {
        let backend = session.backend();
        let id = backend.disc_master().unwrap().item(0).unwrap();
        let recorder = backend.create_recorder().unwrap();
        recorder.initialize_disc_recorder(&id).unwrap();
        let format = backend.create_format().unwrap();
        format.set_recorder(Some(recorder)).unwrap();
        format.set_client_name(Some("App")).unwrap();
        format.prepare_media().unwrap();
        for sectors in [600usize, 1200] {
            let _ = format.add_audio_track(&mut std::io::Cursor::new(vec![1u8; sectors * 2352]));
        }
        let _ = format.release_media();
    }
    drop(session);
    for file in ["out/app.transcript.toml", "out/app.disc.toml"] {
        assert!(dir.join(file).is_file(), "the COM server's session wrote no {file}");
    }
}

/// Runs `command` with `sh` in `dir`: (exit code, what it printed).
fn sh(command: &str, dir: &Path) -> (i32, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", crate::path::path_with_harness())
        .env("SHARD", "1")
        .output()
        .expect("running sh");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// Records a lab folder that `command` (a compare) names and the workspace lacks.
fn record_missing_lab_folders(command: &str, dir: &Path) -> Result<(), String> {
    if !command.starts_with("cdr-harness compare") {
        return Ok(());
    }
    for word in command.split_whitespace().filter(|w| w.starts_with("fixtures/lab/")) {
        if !dir.join(word).exists() {
            let record = format!("cdr-harness record fixtures/scenarios --backend sim --out {word}");
            let (code, text) = sh(&record, dir);
            if code != 0 {
                return Err(format!("setting up {word} with `{record}`: exit {code}\n{text}"));
            }
        }
    }
    Ok(())
}

/// Runs the cdr-harness commands of `block` in order in a fresh workspace; the failures.
fn run_block(block: &Block) -> (usize, Vec<String>) {
    let dir = workspace();
    let mut failures = Vec::new();
    let mut ran = 0;
    for (i, line) in block.text.lines().enumerate() {
        let Some(command) = invocation(line) else { continue };
        let at = format!("{}:{}", block.file, block.line + 1 + i);
        if let Err(e) = record_missing_lab_folders(&command, dir.path()) {
            failures.push(format!("{at}: {e}"));
            continue;
        }
        let (code, text) = sh(&command, dir.path());
        ran += 1;
        let needs_windows = command.contains("--backend imapi2") && !cfg!(windows);
        let ok = if needs_windows { code == 2 && text.contains("needs Windows") } else { code == 0 };
        if !ok {
            let wanted = if needs_windows { "exit 2 saying it needs Windows" } else { "exit 0" };
            failures.push(format!("{at}: `{}` ran as `{command}`: exit {code}, wanted {wanted}\n{text}", line.trim()));
        }
    }
    (ran, failures)
}

#[test]
fn every_cdr_harness_command_in_the_docs_runs() {
    let blocks: Vec<Block> = blocks().into_iter().filter(|b| b.lang == "sh" || b.lang == "powershell").collect();
    // Blocks are independent (each has its own workspace): two workers take them in turn.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(block) = blocks.get(i) else { return mine };
                        mine.push(run_block(block));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a worker")).collect()
    });
    let ran: usize = results.iter().map(|(n, _)| n).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|(_, f)| f).collect();
    assert!(ran >= 20, "only {ran} cdr-harness commands found in README.md and docs/: the extraction is broken");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn invocations_are_told_from_other_cargo_commands() {
    assert_eq!(
        invocation("cargo run --release -p cdr-harness -- run fixtures/scenarios   # main job").as_deref(),
        Some("cdr-harness run fixtures/scenarios   # main job")
    );
    assert_eq!(
        invocation("taskset -c 0 target/release/cdr-harness fuzz --seed 7").as_deref(),
        Some("taskset -c 0 cdr-harness fuzz --seed 7")
    );
    assert_eq!(invocation("cdr-harness compare t/").as_deref(), Some("cdr-harness compare t/"));
    assert_eq!(invocation("cargo bench -p cdr-harness --bench runner"), None);
    assert_eq!(invocation("cargo build --release -p cdr-harness"), None);
    assert_eq!(invocation("cargo test --workspace"), None);
    assert_eq!(invocation("# cdr-harness in a comment"), None);
}
