//! Saved discs: a save/insert round trip keeps the disc exactly, a save interrupted at any stage
//! leaves the previous file intact, loading refuses what is not a disc, and the committed
//! fixture disc is what the power-cut scenario leaves.

#[path = "../support/scenario_text.rs"]
mod scenario_text;
#[path = "../support/harness.rs"]
mod support;

use std::io;
use std::path::{Path, PathBuf};

use cdr_scenario::durable::{self, DurableError, Fs, SaveIo, SaveStage};
use cdr_scenario::runner::{run, RunOptions};
use cdr_scenario::scenario;
use cdr_sim::DiscSnapshot;
use tempfile::NamedTempFile;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Burns two tracks, one cut by an underrun, leaves the session open and saves the disc.
fn burn() -> String {
    [BURN_HEAD, &scenario_text::name_and_prepare("Saver", "\"S_OK\""), BURN_TAIL].concat()
}

const BURN_HEAD: &str = r#"
description = "Burn two tracks, one cut by an underrun, leave the session open, save the disc"

[[fault]]
kind = "underrun"
track = 2
sector = 700

[[step]]
call = "put_Recorder"

"#;

const BURN_TAIL: &str = r#"
[[step]]
call = "put_BufferUnderrunFreeDisabled"
args = [true]

[[step]]
call = "AddAudioTrack"
track = { sectors = 1500 }
expect = "S_OK"

[[step]]
call = "AddAudioTrack"
track = { sectors = 1500 }
expect = "E_IMAPI_LOSS_OF_STREAMING"

[[step]]
save = "discs/burned.disc.toml"
"#;

const REINSERT: &str = r#"
description = "Put the saved disc back in an empty drive"

[media]
profile = "none"

[[step]]
insert = { file = "discs/burned.disc.toml" }
expect = "S_OK"
"#;

#[test]
fn a_saved_disc_reads_back_exactly_as_it_was_in_a_later_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("burn.toml"), burn()).unwrap();
    std::fs::write(dir.path().join("reinsert.toml"), REINSERT).unwrap();

    let burned = run(&scenario::load(&dir.path().join("burn.toml")).unwrap(), &RunOptions::default()).unwrap();
    assert!(burned.passed, "{:#?}", burned.failures);
    let again = run(&scenario::load(&dir.path().join("reinsert.toml")).unwrap(), &RunOptions::default()).unwrap();
    assert!(again.passed, "{:#?}", again.failures);

    let (before, after) = (burned.disc.media.unwrap(), again.disc.media.unwrap());
    assert_eq!(after, before, "the read-back after re-inserting equals the read-back after burning");
    assert_eq!(after.tracks.len(), 2);
    assert!(after.tracks.iter().all(|t| t.digest.is_some()), "digests survive");
    assert!(after.tracks[1].damaged);
}

#[test]
fn a_save_never_replaces_a_file_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("burn.toml");
    std::fs::write(&scenario, burn()).unwrap();
    let target = dir.path().join("discs/burned.disc.toml");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, "precious").unwrap();
    let cmd = || crate::support::harness();
    let out = cmd().arg("run").arg(&scenario).assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    cmd().arg("run").arg(&scenario).arg("--force").assert().code(0);
    assert!(durable::load(&target).is_ok(), "--force replaced it with the disc");
}

fn a_disc() -> DiscSnapshot {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("burn.toml"), burn()).unwrap();
    run(&scenario::load(&dir.path().join("burn.toml")).unwrap(), &RunOptions::default()).unwrap();
    durable::load(&dir.path().join("discs/burned.disc.toml")).unwrap()
}

/// The real file system, failing at one stage (a write fails after `after_bytes`).
struct Interrupt {
    at: SaveStage,
    after_bytes: usize,
}

impl SaveIo for Interrupt {
    fn create_temp(&mut self, dir: &Path) -> io::Result<NamedTempFile> {
        if self.at == SaveStage::CreateTemp {
            return Err(io::Error::other("interrupted"));
        }
        Fs.create_temp(dir)
    }
    fn write(&mut self, file: &mut NamedTempFile, bytes: &[u8]) -> io::Result<()> {
        if self.at == SaveStage::Write {
            Fs.write(file, &bytes[..self.after_bytes.min(bytes.len())])?;
            return Err(io::Error::other("interrupted"));
        }
        Fs.write(file, bytes)
    }
    fn sync(&mut self, file: &mut NamedTempFile) -> io::Result<()> {
        if self.at == SaveStage::Sync {
            return Err(io::Error::other("interrupted"));
        }
        Fs.sync(file)
    }
    fn rename(&mut self, file: NamedTempFile, target: &Path, overwrite: bool) -> io::Result<()> {
        if self.at == SaveStage::Rename {
            return Err(io::Error::other("interrupted"));
        }
        Fs.rename(file, target, overwrite)
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_save_interrupted_at_any_stage_leaves_the_previous_file_intact() {
    let disc = a_disc();
    let mut other = disc.clone();
    other.tracks.pop();
    let text_len = durable::to_text(&disc).len();
    let mut tried = 0;
    for at in [SaveStage::CreateTemp, SaveStage::Write, SaveStage::Sync, SaveStage::Rename] {
        let cuts: Vec<usize> = match at {
            SaveStage::Write => vec![0, 1, text_len / 2, text_len - 1, text_len],
            _ => vec![0],
        };
        for after_bytes in cuts {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("x.disc.toml");
            durable::save(&target, &other, false).unwrap();
            let previous = std::fs::read(&target).unwrap();
            let e = durable::save_with(&mut Interrupt { at, after_bytes }, &target, &disc, true).unwrap_err();
            assert!(matches!(e, DurableError::Io { .. }), "{at}: {e}");
            assert_eq!(std::fs::read(&target).unwrap(), previous, "{at} after {after_bytes} bytes");
            assert_eq!(durable::load(&target).unwrap(), other);
            assert_eq!(files_in(dir.path()), ["x.disc.toml"], "{at}: no temporary file is left behind");
            tried += 1;
        }
    }
    println!("interrupted saves tried: {tried}");
    assert_eq!(tried, 8);
}

#[test]
fn a_crash_mid_save_leaves_the_old_file_or_the_new_one_never_a_torn_one() {
    let disc = a_disc();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.disc.toml");
    let mut old = disc.clone();
    old.tracks.truncate(1);
    durable::save(&target, &old, false).unwrap();
    // A process that dies after writing half the temporary file: nothing removes it.
    let mut temp = Fs.create_temp(dir.path()).unwrap();
    let text = durable::to_text(&disc);
    Fs.write(&mut temp, &text.as_bytes()[..text.len() / 2]).unwrap();
    let (_, stray) = temp.keep().unwrap();
    assert_eq!(durable::load(&target).unwrap(), old, "the target is untouched");
    assert!(stray.file_name().unwrap().to_string_lossy().starts_with(".disc-"));
    // The next save goes through and the stray file does not disturb it.
    durable::save(&target, &disc, true).unwrap();
    assert_eq!(durable::load(&target).unwrap(), disc);
}

#[test]
fn loading_refuses_what_is_not_a_usable_disc_file() {
    let disc = a_disc();
    let good = durable::to_text(&disc);
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "no `format"),
        ("not toml", b"format = \n".to_vec(), "not TOML"),
        ("other format", good.replace("cdr-sim disc", "something else").into_bytes(), "not a disc file"),
        ("newer version", good.replace("version = 1", "version = 2").into_bytes(), "version 2"),
        ("unknown key", good.replace("finalized = false", "finalised = false").into_bytes(), "unknown field"),
        ("invalid utf-8", [good.as_bytes(), &[0xff, 0xfe]].concat(), "not UTF-8"),
        ("impossible disc", good.replace("start = 1652", "start = 100").into_bytes(), "cannot exist"),
        ("bad digest", good.replacen("digest = \"", "digest = \"zz", 1).into_bytes(), "64 hex digits"),
        (
            "negative lead-out",
            good.replace("last_possible_lead_out = 359847", "last_possible_lead_out = -3").into_bytes(),
            "positive",
        ),
        ("huge", vec![b'#'; 2 << 20], "at most"),
    ];
    for (name, bytes, want) in &cases {
        let path = dir.path().join(format!("{}.disc.toml", name.replace(' ', "-")));
        std::fs::write(&path, bytes).unwrap();
        let e = durable::load(&path).unwrap_err().to_string();
        assert!(e.contains(want), "{name}: {e}");
        assert!(e.contains(&path.display().to_string()), "{name}: the message names the file: {e}");
    }
    assert!(durable::load(dir.path()).unwrap_err().to_string().contains("not a file"));
    assert!(durable::load(&dir.path().join("missing.disc.toml")).is_err());
}

#[test]
fn the_committed_power_cut_disc_is_what_the_power_loss_scenario_leaves() {
    let fixture = manifest().join("fixtures/scenarios/faults/power-loss.toml");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("power-loss.toml");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let with_save = text.replacen("[expect_disc]", "[[step]]\nsave = \"power-cut.disc.toml\"\n\n[expect_disc]", 1);
    assert_ne!(with_save, text, "the fixture has an [expect_disc] to insert the save before");
    std::fs::write(&copy, with_save).unwrap();
    let t = run(&scenario::load(&copy).unwrap(), &RunOptions::default()).unwrap();
    assert!(t.passed, "{:#?}", t.failures);
    let made = std::fs::read_to_string(dir.path().join("power-cut.disc.toml")).unwrap();
    let committed = std::fs::read_to_string(manifest().join("fixtures/discs/power-cut.disc.toml")).unwrap();
    assert_eq!(made, committed, "regenerate fixtures/discs/power-cut.disc.toml from faults/power-loss.toml");
}
