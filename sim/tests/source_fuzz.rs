//! No file source panics on any input: arbitrary bytes, and valid WAV files with bytes changed or
//! cut off. A source that opens must then stream exactly the size it stated.

use std::io::Write;

use cdr_sim::source::{PcmFileSource, RawFileSource, WavSource};
use cdr_sim::AudioStream;
use proptest::prelude::*;

/// Streams `s` to the end; the byte count, or the error text.
fn drain(s: &mut dyn AudioStream) -> Result<u64, String> {
    let mut buf = vec![0; 3001];
    let mut total = 0u64;
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => total += n as u64,
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Opens `bytes` as every kind of source and checks what opens.
fn check_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(bytes).unwrap();
    tmp.flush().unwrap();
    let path = tmp.path();
    match WavSource::open(path) {
        Ok(mut s) => {
            let size = s.size().unwrap();
            prop_assert_eq!(size % 2352, 0);
            prop_assert!(s.pcm_bytes() <= size && size - s.pcm_bytes() < 2352);
            prop_assert_eq!(drain(&mut s), Ok(size));
        }
        Err(e) => prop_assert!(e.to_string().starts_with(&path.display().to_string()), "{}", e),
    }
    let mut raw = RawFileSource::open(path).unwrap();
    prop_assert_eq!(raw.size(), Some(bytes.len() as u64));
    prop_assert_eq!(drain(&mut raw), Ok(bytes.len() as u64));
    match PcmFileSource::open(path) {
        Ok(mut s) => {
            prop_assert_eq!(bytes.len() % 4, 0);
            prop_assert_eq!(drain(&mut s), Ok(s.size().unwrap()));
        }
        Err(e) => prop_assert!(bytes.len() % 4 != 0, "{}", e),
    }
    Ok(())
}

/// A valid CD-audio WAV with a LIST chunk before the data: the seed the mutations start from.
fn valid_wav(data_len: usize) -> Vec<u8> {
    let mut fmt = Vec::new();
    for (v, n) in [(1u32, 2), (2, 2), (44_100, 4), (176_400, 4), (4, 2), (16, 2)] {
        fmt.extend_from_slice(&v.to_le_bytes()[..n]);
    }
    let mut body = b"WAVEfmt \x10\0\0\0".to_vec();
    body.extend_from_slice(&fmt);
    body.extend_from_slice(b"LIST\x05\0\0\0INFO!\0");
    body.extend_from_slice(b"data");
    body.extend_from_slice(&(data_len as u32).to_le_bytes());
    body.extend((0..data_len).map(|i| i as u8));
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend_from_slice(&body);
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_all(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_after_a_riff_header_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut bytes = b"RIFF\xFF\xFF\xFF\xFFWAVE".to_vec();
        bytes.extend_from_slice(&tail);
        check_all(&bytes)?;
    }

    #[test]
    fn mutated_and_cut_wavs_never_panic(
        data_len in 0usize..5000,
        edits in proptest::collection::vec((0usize..64, any::<u8>()), 0..6),
        cut in proptest::option::of(0usize..6000),
    ) {
        let mut bytes = valid_wav(data_len);
        for (at, b) in edits {
            if at < bytes.len() {
                bytes[at] = b;
            }
        }
        if let Some(cut) = cut {
            bytes.truncate(cut);
        }
        check_all(&bytes)?;
    }
}

#[test]
fn the_unmutated_seed_opens() {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(&valid_wav(5000)).unwrap();
    let s = WavSource::open(tmp.path()).unwrap();
    assert_eq!(s.pcm_bytes(), 5000);
}
