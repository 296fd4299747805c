//! `cdr-harness run --image DIR`: each scenario's disc as BIN/CUE, text TOC and SVG; the disc IDs
//! in the report and the transcript; nothing overwritten without `--force`. The fixture image is
//! split back out by Debian's `bchunk` and compared with the fixture WAV files.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use cdr_scenario::discid::DiscToc;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn cmd() -> Command {
    crate::support::harness()
}

/// The path of `tool`, or a failure naming the Debian package that provides it.
fn tool(tool: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|dir| dir.join(tool)).find(|p| p.is_file()).unwrap_or_else(|| {
        panic!("`{tool}` is not installed: install the Debian package `{package}` (apt-get install {package})")
    })
}

fn three_wavs() -> PathBuf {
    fixtures().join("scenarios/audio/three-wavs.toml")
}

/// The body of a fixture WAV's data chunk, found by a plain RIFF chunk walk (not the code under
/// test; hound 3.5 cannot read song2.wav, whose odd-sized LIST chunk is followed by a pad byte).
fn pcm_of(wav: &Path) -> Vec<u8> {
    let bytes = std::fs::read(wav).unwrap();
    let mut at = 12;
    loop {
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        if &bytes[at..at + 4] == b"data" {
            return bytes[at + 8..at + 8 + len].to_vec();
        }
        at += 8 + len + len % 2;
    }
}

#[test]
fn the_three_wav_scenario_writes_an_image_that_splits_back_into_the_wavs() {
    let bchunk = tool("bchunk", "bchunk");
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    let transcripts = dir.path().join("transcripts");
    let out = cmd()
        .arg("run")
        .arg(three_wavs())
        .arg("--image")
        .arg(&images)
        .arg("--out")
        .arg(&transcripts)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = String::from_utf8(out).unwrap();

    // The disc: tracks at 0, 452 and 904, 300 sectors each; lead-out 1206 (the scenario checks it).
    let toc = DiscToc::new(1, 3, 1206 + 150, vec![150, 602, 1054]).unwrap();
    assert!(report.contains(&format!("image: {}", images.join("three-wavs.cue").display())), "{report}");
    assert!(report.contains(&format!("picture: {}", images.join("three-wavs.svg").display())), "{report}");
    assert!(report.contains(&format!("musicbrainz {}  freedb {}", toc.musicbrainz_id(), toc.freedb_id())), "{report}");

    let transcript: toml::Table =
        std::fs::read_to_string(transcripts.join("three-wavs.transcript.toml")).unwrap().parse().unwrap();
    assert_eq!(transcript["disc_id"]["musicbrainz"].as_str(), Some(toc.musicbrainz_id().as_str()));
    assert_eq!(transcript["disc_id"]["freedb"].as_str(), Some(toc.freedb_id().as_str()));
    let svg_path = images.join("three-wavs.svg").display().to_string();
    assert_eq!(transcript["image"]["svg"].as_str(), Some(svg_path.as_str()));

    let cue = std::fs::read_to_string(images.join("three-wavs.cue")).unwrap();
    let body: Vec<&str> = cue.lines().filter(|l| !l.starts_with("REM")).collect();
    assert_eq!(
        body,
        [
            "FILE \"three-wavs.bin\" BINARY",
            "  TRACK 01 AUDIO",
            "    INDEX 01 00:00:00",
            "  TRACK 02 AUDIO",
            "    INDEX 00 00:04:02",
            "    INDEX 01 00:06:02",
            "  TRACK 03 AUDIO",
            "    INDEX 00 00:10:04",
            "    INDEX 01 00:12:04",
        ]
    );
    let toc_text = std::fs::read_to_string(images.join("three-wavs.toc.txt")).unwrap();
    assert!(toc_text.contains(&format!("musicbrainz disc id: {}", toc.musicbrainz_id())), "{toc_text}");
    let svg = std::fs::read_to_string(images.join("three-wavs.svg")).unwrap();
    assert!(svg.contains("track 3: LBA 904 to 1203 (300 sectors)"), "{svg}");
    assert_eq!(std::fs::metadata(images.join("three-wavs.bin")).unwrap().len(), 1206 * 2352);

    // bchunk: each piece is the WAV's PCM, then silence to 300 sectors and 2 run-out sectors.
    let split = Process::new(&bchunk)
        .arg(images.join("three-wavs.bin"))
        .arg(images.join("three-wavs.cue"))
        .arg(dir.path().join("track"))
        .output()
        .unwrap();
    assert!(split.status.success(), "bchunk: {}", String::from_utf8_lossy(&split.stderr));
    for n in 1..=3 {
        let piece = std::fs::read(dir.path().join(format!("track0{n}.cdr"))).unwrap();
        let pcm = pcm_of(&fixtures().join(format!("audio/three-wavs/song{n}.wav")));
        assert_eq!(piece.len(), (300 + 2) * 2352, "track {n}");
        assert!(piece[..pcm.len()] == pcm[..], "track {n}: the PCM differs from song{n}.wav's");
        assert!(piece[pcm.len()..].iter().all(|&b| b == 0), "track {n}: padding is not silence");
    }
}

#[test]
fn images_are_not_overwritten_without_force_and_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let run = |force: bool| {
        let mut c = cmd();
        c.arg("run").arg(three_wavs()).arg("--image").arg(dir.path());
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    run(false).code(0);
    let bin = dir.path().join("three-wavs.bin");
    let first = std::fs::read(&bin).unwrap();
    std::fs::write(dir.path().join("three-wavs.svg"), "mine").unwrap();
    run(false).code(2).stderr(predicate::str::contains("already exists: pass --force to overwrite images"));
    assert_eq!(std::fs::read_to_string(dir.path().join("three-wavs.svg")).unwrap(), "mine");
    run(true).code(0);
    assert!(std::fs::read(&bin).unwrap() == first, "the same scenario gave a different image");
    assert!(std::fs::read_to_string(dir.path().join("three-wavs.svg")).unwrap().starts_with("<svg"));
}

#[test]
fn a_run_that_burns_nothing_writes_no_image() {
    let dir = tempfile::tempdir().unwrap();
    cmd()
        .arg("run")
        .arg(fixtures().join("scenarios/discs/empty-tray.toml"))
        .arg("--image")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("image: none ("));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn force_alone_is_refused() {
    cmd()
        .arg("run")
        .arg(three_wavs())
        .arg("--force")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force overwrites the files of --out or --image"));
}
