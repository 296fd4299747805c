//! The exported BIN/CUE opened by tools nobody here wrote: Debian's `bchunk` splits it back into
//! tracks, `cuetools` (`cuebreakpoints`, `cueprint`) read its track count and index points.
//! A missing tool fails the test with the package to install; it never skips.
//!
//! Each track is written as the simulator writes it (spec section 4 default layout: S1 = 0,
//! S(k+1) = S(k) + L(k) + 2 run-out + 150 pause, lead-out = S(N) + L(N) + 2; WAV data padded to a
//! whole sector, then short tracks padded with silence to 300 sectors), through the image's
//! sector sink.

use std::path::{Path, PathBuf};
use std::process::Command;

use cdr_harness::image::{DiscImage, ImageOutcome, ImagePaths};
use cdr_sim::source::WavSource;
use cdr_sim::{
    Atip, AudioStream, DiscReadBack, DiscState, MediaReadBack, PhysicalMediaType, SectorSink, SessionState,
    TrackReadBack, SECTOR_BYTES,
};

const RUN_OUT: u32 = 2;
const PAUSE: u32 = 150;
const MIN_TRACK: u64 = 300;

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

/// Writes a 44.1 kHz 16-bit stereo WAV of `frames` stereo frames; returns its PCM bytes.
fn wav(path: &Path, frames: u32, seed: u32) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let mut pcm = Vec::with_capacity(frames as usize * 4);
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
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

/// Burns `sources` through `sink` as the simulator lays tracks out; returns the disc as read back.
fn burn(sink: &mut dyn SectorSink, sources: Vec<WavSource>) -> DiscReadBack {
    let mut tracks = Vec::new();
    let mut start = 0i32;
    for (i, mut src) in sources.into_iter().enumerate() {
        let number = i as u32 + 1;
        let data_sectors = src.size().unwrap() / SECTOR_BYTES as u64;
        let sectors = data_sectors.max(MIN_TRACK);
        let mut buf = vec![0u8; SECTOR_BYTES * 16];
        let mut hasher = blake3::Hasher::new();
        sink.begin_track(number, start, PAUSE).unwrap();
        let mut written = 0;
        while written < sectors {
            let n = (sectors - written).min(16) as usize;
            let chunk = &mut buf[..n * SECTOR_BYTES];
            let mut got = 0;
            while got < chunk.len() {
                let r = src.read(&mut chunk[got..]).unwrap();
                if r == 0 {
                    break;
                }
                got += r;
            }
            chunk[got..].fill(0); // the drive's padding to the minimum length
            sink.write_sectors(chunk).unwrap();
            hasher.update(chunk);
            written += n as u64;
        }
        sink.end_track(number, sectors as u32).unwrap();
        tracks.push(TrackReadBack {
            number,
            session: 1,
            start,
            sectors: sectors as u32,
            pregap: PAUSE,
            data_bytes: sectors * SECTOR_BYTES as u64,
            digest: Some(hasher.finalize().to_hex().to_string()),
            damaged: false,
        });
        start += sectors as i32 + (RUN_OUT + PAUSE) as i32;
    }
    let lead_out = start - PAUSE as i32;
    DiscReadBack {
        media: Some(MediaReadBack {
            media_type: PhysicalMediaType::CdR,
            atip: Some(Atip { lead_in: "97:24:01".parse().unwrap(), lead_out: "79:59:72".parse().unwrap() }),
            status: DiscState::Complete,
            last_session_state: SessionState::Complete,
            sessions: 1,
            first_track: 1,
            tracks,
            lead_out: Some(lead_out),
            last_possible_lead_out: 359_847,
            next_writable_address: None,
            free_blocks: 0,
        }),
    }
}

#[test]
fn bchunk_and_cuetools_split_three_wavs_back_out_byte_for_byte() {
    let bchunk = tool("bchunk", "bchunk");
    let cuebreakpoints = tool("cuebreakpoints", "cuetools");
    let cueprint = tool("cueprint", "cuetools");

    let dir = tempfile::tempdir().unwrap();
    // Lengths that are not whole sectors; the second is shorter than 4 s, so the drive pads it.
    let frames = [588 * 400 + 123, 588 * 80 + 7, 588 * 333 + 500];
    let mut pcms = Vec::new();
    let mut sources = Vec::new();
    for (i, &n) in frames.iter().enumerate() {
        let path = dir.path().join(format!("song{}.wav", i + 1));
        pcms.push(wav(&path, n, i as u32));
        sources.push(WavSource::open(&path).unwrap());
    }

    let out = dir.path().join("image");
    let image = DiscImage::create(ImagePaths::new(&out, "three wavs").unwrap(), false).unwrap();
    let disc = burn(&mut image.sink(), sources);
    let summary = match image.complete(&disc).unwrap() {
        ImageOutcome::Written(s) => s,
        other => panic!("{other:?}"),
    };
    let media = disc.media.as_ref().unwrap();
    assert_eq!(summary.tracks, 3);
    assert_eq!(summary.bin_bytes, media.lead_out.unwrap() as u64 * SECTOR_BYTES as u64);

    // cueprint: the track count.
    let printed = run(Command::new(&cueprint).arg(&summary.paths.cue));
    assert!(printed.contains("no. of tracks:\t3"), "{printed}");

    // cuebreakpoints: INDEX 01 of tracks 2 and 3 at their start LBAs; INDEX 00 at start - pregap.
    let at = |lba: i32| format!("{}:{:02}.{:02}", lba / 4500, lba / 75 % 60, lba % 75);
    let breaks = run(Command::new(&cuebreakpoints).arg(&summary.paths.cue));
    let expected: Vec<String> = media.tracks[1..].iter().map(|t| at(t.start)).collect();
    assert_eq!(breaks.lines().collect::<Vec<_>>(), expected);
    let gaps = run(Command::new(&cuebreakpoints).arg("--prepend-gaps").arg(&summary.paths.cue));
    let expected: Vec<String> = media.tracks[1..].iter().map(|t| at(t.start - t.pregap as i32)).collect();
    assert_eq!(gaps.lines().collect::<Vec<_>>(), expected);

    // bchunk: each track from its INDEX 01 to the next track's INDEX 00 (the end of the file for
    // the last), i.e. its audio and the two run-out sectors after it, which are silence.
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
        let padded_sectors = (pcm.len().div_ceil(SECTOR_BYTES) as u64).max(MIN_TRACK);
        assert_eq!(u64::from(t.sectors), padded_sectors, "track {}", t.number);
        let track_bytes = padded_sectors as usize * SECTOR_BYTES;
        assert_eq!(got.len(), track_bytes + RUN_OUT as usize * SECTOR_BYTES, "{}", piece.display());
        assert!(got[..pcm.len()] == pcm[..], "track {}: the PCM differs from the WAV's", t.number);
        assert!(got[pcm.len()..].iter().all(|&b| b == 0), "track {}: padding and run-out are not silence", t.number);
    }
}
