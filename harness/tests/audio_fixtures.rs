//! The WAV files under `fixtures/audio/` are generated: this test regenerates each one and checks
//! the committed file is byte-identical (set `CDR_REGENERATE_FIXTURES=1` to rewrite them).

use std::io::Cursor;
use std::path::PathBuf;

/// A 44.1 kHz 16-bit stereo WAV of `frames` frames of a seeded pseudo-random signal, written with
/// hound; with `list`, an odd-sized LIST chunk (and its pad byte) comes before the data, as
/// tagging tools write it.
fn generate(frames: u32, seed: u32, list: bool) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    for _ in 0..frames * 2 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        w.write_sample((x >> 20) as i16 - 2048).unwrap();
    }
    w.finalize().unwrap();
    let wav = out.into_inner();
    if !list {
        return wav;
    }
    // hound writes RIFF, fmt (16 bytes), data: put a LIST chunk between fmt and data.
    let info = b"INFOINAM\x09\0\0\0Song two\0\0";
    let mut list_chunk = b"LIST".to_vec();
    list_chunk.extend_from_slice(&((info.len() - 1) as u32).to_le_bytes()); // odd: the pad byte follows
    list_chunk.extend_from_slice(info);
    let data_at = wav.windows(4).position(|w| w == b"data").unwrap();
    let mut v = wav[..data_at].to_vec();
    v.extend_from_slice(&list_chunk);
    v.extend_from_slice(&wav[data_at..]);
    let riff_len = (v.len() - 8) as u32;
    v[4..8].copy_from_slice(&riff_len.to_le_bytes());
    v
}

/// Every generated fixture: path under `fixtures/audio/`, frames, seed, LIST chunk.
const FIXTURES: &[(&str, u32, u32, bool)] = &[
    ("three-wavs/song1.wav", 1234, 1, false),
    ("three-wavs/song2.wav", 2345, 2, true),
    ("three-wavs/song3.wav", 3456, 3, false),
    // 44-byte header + 1,165 frames x 4 bytes = 4,704 bytes = exactly 2 sectors: passed raw, its
    // size is acceptable and the header is written as audio.
    ("header-aligned/two-sectors.wav", 1165, 4, false),
];

#[test]
fn committed_wav_fixtures_match_their_generator() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/audio");
    let regenerate = std::env::var_os("CDR_REGENERATE_FIXTURES").is_some();
    for &(name, frames, seed, list) in FIXTURES {
        let path = root.join(name);
        let bytes = generate(frames, seed, list);
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (CDR_REGENERATE_FIXTURES=1 writes it)", path.display()));
        assert!(
            committed == bytes,
            "{} differs from its generator (CDR_REGENERATE_FIXTURES=1 rewrites it)",
            path.display()
        );
        let src = cdr_sim::source::WavSource::open(&path).unwrap();
        assert_eq!(src.pcm_bytes(), u64::from(frames) * 4, "{name}");
    }
}
