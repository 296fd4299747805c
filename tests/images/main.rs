//! A simulated burn of three WAV files, exported as BIN/CUE and split back out by `bchunk`: the
//! pieces are the WAV files' PCM data, padded with silence to a whole sector and then to the
//! 4 s minimum the simulator pads short tracks to, followed by the track's two run-out sectors.
//! `cuebreakpoints` and `cueprint` read the same index points and track count as the disc's TOC.
//! A missing tool fails the test with the package to install; it never skips.

#[path = "../support/harness.rs"]
mod support;

mod cli;
mod marks;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use cdr_scenario::discid::DiscToc;
use cdr_scenario::image::{DiscImage, ImageOutcome, ImagePaths};
use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::WavSource;
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, SimBackend, SECTOR_BYTES};

/// The path of `tool`, or a failure naming the Debian package that provides it.
fn tool(tool: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|dir| dir.join(tool)).find(|p| p.is_file()).unwrap_or_else(|| {
        panic!("`{tool}` is not installed: install the Debian package `{package}` (apt-get install {package})")
    })
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Writes a 44.1 kHz 16-bit stereo WAV of `frames` frames; returns its PCM bytes.
fn wav(path: &Path, frames: u32, seed: u32) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let mut pcm = Vec::with_capacity(frames as usize * 4);
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    for _ in 0..frames * 2 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let s = (x >> 16) as i16;
        w.write_sample(s).unwrap();
        pcm.extend_from_slice(&s.to_le_bytes());
    }
    w.finalize().unwrap();
    pcm
}

/// A prepared format object on a fresh simulator with a blank 80-minute CD-R.
fn prepared() -> (SimBackend, Arc<dyn cdr_sim::DiscRecorder2>, Arc<dyn DiscFormat2TrackAtOnce>) {
    let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
    let (recorder, format) = cdr_scenario::testing::prepared_client(&sim, "ImageTest").unwrap();
    (sim, recorder, format)
}

#[test]
fn a_simulated_burn_of_three_wavs_splits_back_into_the_wavs() {
    let bchunk = tool("bchunk", "bchunk");
    let cuebreakpoints = tool("cuebreakpoints", "cuetools");
    let cueprint = tool("cueprint", "cuetools");

    let dir = tempfile::tempdir().unwrap();
    // Not whole sectors; the second is shorter than 4 s, so the simulator pads it to 300 sectors.
    let frames = [588 * 400 + 123, 588 * 80 + 7, 588 * 333 + 500];
    let pcms: Vec<Vec<u8>> = frames
        .iter()
        .enumerate()
        .map(|(i, &n)| wav(&dir.path().join(format!("song{}.wav", i + 1)), n, i as u32))
        .collect();

    let (sim, recorder, format) = prepared();
    let image = DiscImage::create(ImagePaths::new(&dir.path().join("out"), "three").unwrap(), false).unwrap();
    image.attach(&sim);
    for i in 0..3 {
        let mut src = WavSource::open(&dir.path().join(format!("song{}.wav", i + 1))).unwrap();
        format.add_audio_track(&mut src).unwrap();
    }
    format.release_media().unwrap();
    let disc = sim.read_back(recorder.as_ref()).unwrap();
    let summary = match image.finish(&sim, &disc).unwrap() {
        ImageOutcome::Written(s) => s,
        other => panic!("{other:?}"),
    };
    let media = disc.media.as_ref().unwrap();
    assert_eq!(media.tracks.len(), 3);
    assert_eq!(summary.bin_bytes, media.lead_out.unwrap() as u64 * SECTOR_BYTES as u64);
    let toc = DiscToc::from_read_back(media).unwrap();
    assert_eq!(summary.musicbrainz_id.as_deref(), Some(toc.musicbrainz_id().as_str()));

    let printed = run(Command::new(&cueprint).arg(&summary.paths.cue));
    assert!(printed.contains("no. of tracks:\t3"), "{printed}");
    let at = |lba: i32| format!("{}:{:02}.{:02}", lba / 4500, lba / 75 % 60, lba % 75);
    let breaks = run(Command::new(&cuebreakpoints).arg(&summary.paths.cue));
    let starts: Vec<String> = media.tracks[1..].iter().map(|t| at(t.start)).collect();
    assert_eq!(breaks.lines().collect::<Vec<_>>(), starts, "INDEX 01 = the disc's start LBAs");
    let gaps = run(Command::new(&cuebreakpoints).arg("--prepend-gaps").arg(&summary.paths.cue));
    let index00: Vec<String> = media.tracks[1..].iter().map(|t| at(t.start - t.pregap as i32)).collect();
    assert_eq!(gaps.lines().collect::<Vec<_>>(), index00, "INDEX 00 = start - pregap");

    // bchunk cuts each track from its INDEX 01 to the next track's INDEX 00 (the end of the file
    // for the last): the track's sectors, then its 2 run-out sectors.
    run(Command::new(&bchunk).arg(&summary.paths.bin).arg(&summary.paths.cue).arg(dir.path().join("piece")));
    let mut pieces: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("piece"))
        .collect();
    pieces.sort();
    assert_eq!(pieces.len(), 3, "bchunk wrote {pieces:?}");
    for ((piece, pcm), t) in pieces.iter().zip(&pcms).zip(&media.tracks) {
        let got = std::fs::read(piece).unwrap();
        let whole_sectors = pcm.len().div_ceil(SECTOR_BYTES) as u32;
        assert_eq!(t.sectors, whole_sectors.max(300), "track {}: padded to a sector, then to 4 s", t.number);
        let next_index00 =
            media.tracks.get(t.number as usize).map_or(media.lead_out.unwrap(), |n| n.start - n.pregap as i32);
        let run_out = (next_index00 - t.start - t.sectors as i32) as usize;
        assert_eq!(run_out, 2, "track {}", t.number);
        assert_eq!(got.len(), (t.sectors as usize + run_out) * SECTOR_BYTES, "{}", piece.display());
        assert!(got[..pcm.len()] == pcm[..], "track {}: the PCM differs from the WAV's", t.number);
        assert!(got[pcm.len()..].iter().all(|&b| b == 0), "track {}: padding and run-out are not silence", t.number);
    }
}
