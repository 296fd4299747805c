//! WAV, raw-file and headerless-PCM track sources: what they stream, and the message each kind of
//! bad file gets.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cdr_sim::source::{PcmFileSource, RawFileSource, SourceError, WavSource};
use cdr_sim::AudioStream;
use cdr_testkit::wav::{chunk, fmt16, fmt_extensible, hound_wav, riff};

/// `n` bytes of recognisable PCM.
fn pcm(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read_all(s: &mut dyn AudioStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0; 5000];
    loop {
        let n = s.read(&mut buf).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

fn padded(mut data: Vec<u8>) -> Vec<u8> {
    let len = data.len().div_ceil(2352) * 2352;
    data.resize(len, 0);
    data
}

#[test]
fn a_cd_audio_wav_streams_its_pcm_padded_to_a_whole_sector() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("song.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    let frames = 3 * 588 + 100; // not a whole sector
    let mut expected = Vec::new();
    for i in 0..frames {
        for ch in 0..2i16 {
            let s = (i as i16).wrapping_mul(31).wrapping_add(ch * 1000);
            w.write_sample(s).unwrap();
            expected.extend_from_slice(&s.to_le_bytes());
        }
    }
    w.finalize().unwrap();

    let mut src = WavSource::open(&path).unwrap();
    assert_eq!(src.pcm_bytes(), frames as u64 * 4);
    assert_eq!(src.size(), Some(4 * 2352));
    let got = read_all(&mut src);
    assert_eq!(got, padded(expected));
    assert!(got[frames * 4..].iter().all(|&b| b == 0));
}

#[test]
fn extra_chunks_are_skipped_odd_ones_with_their_pad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let data = pcm(2352 * 2 + 8);
    let bytes = riff(&[
        chunk(b"bext", &[7; 603]),
        chunk(b"fmt ", &fmt16(1, 2, 44_100, 16)),
        chunk(b"LIST", b"INFOINAM\x05\0\0\0song\0"),
        chunk(b"data", &data),
        chunk(b"id3 ", &[1; 33]),
    ]);
    let mut src = WavSource::open(&write(dir.path(), "tagged.wav", &bytes)).unwrap();
    assert_eq!(read_all(&mut src), padded(data));
}

#[test]
fn extensible_pcm_is_cd_audio_too() {
    let dir = tempfile::tempdir().unwrap();
    let data = pcm(4000);
    let bytes = riff(&[chunk(b"fmt ", &fmt_extensible(1, 2, 44_100, 16)), chunk(b"data", &data)]);
    let mut src = WavSource::open(&write(dir.path(), "ext.wav", &bytes)).unwrap();
    assert_eq!(read_all(&mut src), padded(data));
}

#[test]
fn a_whole_sector_of_pcm_gets_no_padding_and_an_empty_data_chunk_is_an_empty_stream() {
    let dir = tempfile::tempdir().unwrap();
    let data = pcm(2352 * 3);
    let bytes = riff(&[chunk(b"fmt ", &fmt16(1, 2, 44_100, 16)), chunk(b"data", &data)]);
    let mut src = WavSource::open(&write(dir.path(), "exact.wav", &bytes)).unwrap();
    assert_eq!(src.size(), Some(2352 * 3));
    assert_eq!(read_all(&mut src), data);

    let bytes = riff(&[chunk(b"fmt ", &fmt16(1, 2, 44_100, 16)), chunk(b"data", &[])]);
    let mut src = WavSource::open(&write(dir.path(), "empty.wav", &bytes)).unwrap();
    assert_eq!(src.size(), Some(0));
    assert!(read_all(&mut src).is_empty());
}

/// Every kind of bad WAV file, with the words its message must contain.
fn malformed(dir: &Path) -> Vec<(&'static str, PathBuf, Vec<&'static str>)> {
    let ok_fmt = chunk(b"fmt ", &fmt16(1, 2, 44_100, 16));
    let data = chunk(b"data", &pcm(400));
    // 100 frames of a ramp, written by hound.
    let written = |name: &str, channels, sample_rate, bits, float| {
        write(dir, name, &hound_wav(channels, sample_rate, bits, float, 100))
    };
    let mut truncated = riff(&[ok_fmt.clone(), chunk(b"data", &pcm(4000))]);
    truncated.truncate(2000);
    let mut lying = riff(&[ok_fmt.clone(), chunk(b"data", &pcm(400))]);
    let at = lying.len() - 400 - 4;
    lying[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut inconsistent = fmt16(1, 2, 44_100, 16);
    inconsistent[8..12].copy_from_slice(&176_000u32.to_le_bytes());
    vec![
        ("missing", dir.join("nowhere.wav"), vec!["nowhere.wav", "no such file"]),
        ("directory", dir.to_path_buf(), vec!["not a regular file"]),
        ("empty", write(dir, "empty.wav", b""), vec!["not a WAV file", "empty"]),
        (
            "not RIFF",
            write(dir, "notes.wav", b"these are not the samples you are looking for"),
            vec!["not a WAV file", "74 68 65"],
        ),
        ("MP3 named .wav", write(dir, "song.mp3.wav", b"ID3\x03\0\0\0\0\0\x21rest"), vec!["MP3 file"]),
        ("RIFX", write(dir, "be.wav", b"RIFX\0\0\0\x24WAVEfmt "), vec!["big-endian"]),
        (
            "mono",
            written("mono.wav", 1, 44_100, 16, false),
            vec!["44100 Hz, 16-bit, 1 channel (mono)", "needs 44100 Hz, 16-bit, 2 channels"],
        ),
        ("48 kHz", written("48k.wav", 2, 48_000, 16, false), vec!["48000 Hz, 16-bit, 2 channels;"]),
        ("24-bit", written("24bit.wav", 2, 44_100, 24, false), vec!["44100 Hz, 24-bit, 2 channels;"]),
        ("8-bit", written("8bit.wav", 2, 44_100, 8, false), vec!["44100 Hz, 8-bit, 2 channels;"]),
        ("float", written("float.wav", 2, 44_100, 32, true), vec!["32-bit float"]),
        (
            "ADPCM",
            write(dir, "adpcm.wav", &riff(&[chunk(b"fmt ", &fmt16(2, 2, 44_100, 4)), data.clone()])),
            vec!["compressed audio (Microsoft ADPCM, WAV format tag 0x0002)"],
        ),
        (
            "MP3 in WAV",
            write(dir, "mp3.wav", &riff(&[chunk(b"fmt ", &fmt16(0x55, 2, 44_100, 0)), data.clone()])),
            vec!["MPEG Layer 3 (MP3)", "0x0055"],
        ),
        (
            "extensible ADPCM",
            write(dir, "ext-adpcm.wav", &riff(&[chunk(b"fmt ", &fmt_extensible(0x11, 2, 44_100, 4)), data.clone()])),
            vec!["IMA ADPCM", "0x0011"],
        ),
        (
            "truncated data",
            write(dir, "cut.wav", &truncated),
            vec!["truncated", "declares 4000 bytes", "holds only 1956"],
        ),
        ("lying size", write(dir, "liar.wav", &lying), vec!["declares 4294967295 bytes", "holds only 400"]),
        (
            "truncated header",
            write(dir, "stub.wav", &riff(std::slice::from_ref(&ok_fmt))[..30]),
            vec!["truncated", "inside the WAV header, 30 bytes in"],
        ),
        (
            "no data chunk",
            write(dir, "nodata.wav", &riff(&[ok_fmt.clone(), chunk(b"LIST", b"INFO")])),
            vec!["no data chunk", "fmt , LIST"],
        ),
        ("no fmt chunk", write(dir, "nofmt.wav", &riff(std::slice::from_ref(&data))), vec!["no fmt chunk"]),
        (
            "inconsistent fmt",
            write(dir, "rate.wav", &riff(&[chunk(b"fmt ", &inconsistent), data.clone()])),
            vec!["malformed fmt chunk", "176000 bytes per second"],
        ),
        (
            "short fmt",
            write(dir, "tiny-fmt.wav", &riff(&[chunk(b"fmt ", &[1, 0, 2, 0]), data.clone()])),
            vec!["malformed fmt chunk", "4 bytes long"],
        ),
        (
            "partial frame",
            write(dir, "odd.wav", &riff(&[ok_fmt, chunk(b"data", &pcm(402))])),
            vec!["402 bytes is not a whole number of 4-byte stereo frames"],
        ),
    ]
}

#[test]
fn every_malformed_wav_gets_its_own_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = BTreeSet::new();
    for (kind, path, needles) in malformed(dir.path()) {
        let err = WavSource::open(&path).expect_err(kind);
        let msg = err.to_string();
        assert!(msg.starts_with(&path.display().to_string()), "{kind}: message does not name the file: {msg}");
        assert_eq!(err.path(), path, "{kind}");
        for needle in needles {
            assert!(msg.contains(needle), "{kind}: `{needle}` missing from: {msg}");
        }
        let without_path = msg[path.display().to_string().len()..].to_string();
        assert!(seen.insert(without_path.clone()), "{kind}: same message as another kind: {without_path}");
    }
}

#[test]
fn raw_files_pass_every_byte_unpadded() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = riff(&[chunk(b"fmt ", &fmt16(1, 2, 44_100, 16)), chunk(b"data", &pcm(5000))]);
    let path = write(dir.path(), "whole.wav", &bytes);
    let mut src = RawFileSource::open(&path).unwrap();
    assert_eq!(src.size(), Some(bytes.len() as u64));
    assert_eq!(read_all(&mut src), bytes);
    // Even a file that is no WAV at all: raw means raw.
    let mut src = RawFileSource::open(&write(dir.path(), "junk.bin", b"xyz")).unwrap();
    assert_eq!(read_all(&mut src), b"xyz");
    assert!(matches!(RawFileSource::open(&dir.path().join("gone")), Err(SourceError::NotFound { .. })));
}

#[test]
fn headerless_pcm_is_padded_and_must_be_whole_frames() {
    let dir = tempfile::tempdir().unwrap();
    let data = pcm(2352 + 4);
    let mut src = PcmFileSource::open(&write(dir.path(), "a.pcm", &data)).unwrap();
    assert_eq!(src.pcm_bytes(), 2356);
    assert_eq!(src.size(), Some(4704));
    assert_eq!(read_all(&mut src), padded(data));

    let err = PcmFileSource::open(&write(dir.path(), "b.raw", &pcm(4702))).unwrap_err();
    assert!(err.to_string().contains("raw PCM of 4702 bytes is not a whole number of 4-byte stereo frames"), "{err}");

    let mut src = PcmFileSource::open(&write(dir.path(), "c.pcm", b"")).unwrap();
    assert_eq!(src.size(), Some(0));
    assert!(read_all(&mut src).is_empty());
}
