//! Deterministic synthetic PCM: the track source of `{ sectors = N }`, `{ seconds = N }` and
//! `{ bytes = N }` in scenarios.

use std::io;

use crate::contract::AudioStream;
use crate::msf::SECTOR_BYTES;

/// `len` bytes of seeded pseudo-random PCM. The same seed and length give the same bytes; the
/// content of byte `i` does not depend on how the stream is read (buffer sizes, chunking).
///
/// ```
/// use cdr_sim::{AudioStream, source::SyntheticPcm};
/// let mut a = SyntheticPcm::sectors(7, 2);
/// assert_eq!(a.size(), Some(4704));
/// let mut buf = vec![0; 5000];
/// let n = a.read(&mut buf).unwrap();
/// assert_eq!(n, 4704);
/// ```
#[derive(Clone, Debug)]
pub struct SyntheticPcm {
    seed: u64,
    len: u64,
    pos: u64,
}

impl SyntheticPcm {
    /// A stream of exactly `len` bytes.
    pub fn bytes(seed: u64, len: u64) -> SyntheticPcm {
        SyntheticPcm { seed, len, pos: 0 }
    }

    /// A stream of `sectors` whole 2352-byte sectors.
    pub fn sectors(seed: u64, sectors: u64) -> SyntheticPcm {
        Self::bytes(seed, sectors * SECTOR_BYTES as u64)
    }

    /// The 8 bytes of word `index` (bytes `8*index .. 8*index+8`).
    #[inline]
    fn word(&self, index: u64) -> [u8; 8] {
        mix(self.seed, index).to_le_bytes()
    }
}

/// Word `index` of the stream of `seed`: splitmix64 of (seed, index), cheap, well mixed and
/// position-addressable. This is the definition of the synthetic audio; every transcript's
/// digest of a synthetic track depends on it.
#[inline(always)]
fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed.wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Fills `out` (a whole number of words) with words `first..`, eight at a time so that the
/// compiler can turn the eight independent `mix`es into vector instructions.
#[inline(always)]
fn fill_words_portable(seed: u64, first: u64, out: &mut [u8]) {
    let mut index = first;
    let mut blocks = out.chunks_exact_mut(64);
    for block in &mut blocks {
        let mut words = [0u64; 8];
        for (k, w) in words.iter_mut().enumerate() {
            *w = mix(seed, index + k as u64);
        }
        for (bytes, w) in block.chunks_exact_mut(8).zip(words) {
            bytes.copy_from_slice(&w.to_le_bytes());
        }
        index += 8;
    }
    for (k, bytes) in blocks.into_remainder().chunks_exact_mut(8).enumerate() {
        bytes.copy_from_slice(&mix(seed, index + k as u64).to_le_bytes());
    }
}

/// [`fill_words_portable`] compiled for AVX-512 (eight 64-bit multiplies per instruction).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
fn fill_words_avx512(seed: u64, first: u64, out: &mut [u8]) {
    fill_words_portable(seed, first, out)
}

/// [`fill_words_portable`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn fill_words_avx2(seed: u64, first: u64, out: &mut [u8]) {
    fill_words_portable(seed, first, out)
}

/// Fills `out` (a whole number of words) with words `first..`, with the widest vector
/// instructions this CPU has. The bytes are the same on every path (a unit test compares them).
fn fill_words(seed: u64, first: u64, out: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512dq") && is_x86_feature_detected!("avx512vl") {
            // SAFETY: the CPU has the features the function is compiled for (checked above).
            return unsafe { fill_words_avx512(seed, first, out) };
        }
        if is_x86_feature_detected!("avx2") {
            // SAFETY: as above, for AVX2.
            return unsafe { fill_words_avx2(seed, first, out) };
        }
    }
    fill_words_portable(seed, first, out)
}

impl AudioStream for SyntheticPcm {
    fn size(&self) -> Option<u64> {
        Some(self.len)
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len - self.pos).min(buf.len() as u64) as usize;
        let out = &mut buf[..n];
        let mut i = 0;
        // Unaligned head, up to the next 8-byte word boundary.
        while i < n && (self.pos + i as u64) % 8 != 0 {
            let p = self.pos + i as u64;
            out[i] = self.word(p / 8)[(p % 8) as usize];
            i += 1;
        }
        // Whole words.
        let word = (self.pos + i as u64) / 8;
        let whole = (n - i) / 8 * 8;
        fill_words(self.seed, word, &mut out[i..i + whole]);
        // Tail.
        let tail = &mut out[i + whole..];
        if !tail.is_empty() {
            let w = self.word(word + whole as u64 / 8);
            let len = tail.len();
            tail.copy_from_slice(&w[..len]);
        }
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(mut s: SyntheticPcm, chunk: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn content_is_independent_of_chunking() {
        let whole = read_all(SyntheticPcm::bytes(42, 10_001), 20_000);
        assert_eq!(whole.len(), 10_001);
        for chunk in [1, 3, 7, 8, 13, 2352, 4096] {
            assert_eq!(read_all(SyntheticPcm::bytes(42, 10_001), chunk), whole, "chunk {chunk}");
        }
    }

    #[test]
    fn seeds_differ() {
        assert_ne!(read_all(SyntheticPcm::sectors(1, 1), 2352), read_all(SyntheticPcm::sectors(2, 1), 2352));
    }

    #[test]
    fn every_fill_path_gives_the_same_words() {
        let seed = 0xDEAD_BEEF;
        let mut expected = vec![0u8; 8 * 1000];
        for (k, bytes) in expected.chunks_exact_mut(8).enumerate() {
            bytes.copy_from_slice(&mix(seed, 77 + k as u64).to_le_bytes());
        }
        // Lengths that end inside and on an 8-word block.
        for words in [0, 1, 7, 8, 9, 63, 64, 1000] {
            let mut out = vec![0u8; 8 * words];
            fill_words_portable(seed, 77, &mut out);
            assert_eq!(out, expected[..8 * words], "portable, {words} words");
            out.fill(0);
            fill_words(seed, 77, &mut out);
            assert_eq!(out, expected[..8 * words], "dispatched, {words} words");
        }
    }

    #[test]
    fn the_bytes_are_pinned() {
        // The definition of the synthetic audio: transcripts' digests of synthetic tracks
        // depend on these bytes, so a faster generator must give the same ones.
        let digest = |seed, len, chunk| blake3::hash(&read_all(SyntheticPcm::bytes(seed, len), chunk)).to_string();
        assert_eq!(digest(42, 100_003, 4096), "7eaae98a6ef71b2a1776c582c9915e8c982bcac03d53f216ba2aa26c6efb1643");
        assert_eq!(digest(u64::MAX, 999, 13), "626423fa54c4cf447beb4439c699d10ee9fe04f0a9c752735ce1b2ff1cd30932");
        let mut first = [0u8; 8];
        assert_eq!(SyntheticPcm::bytes(1, 8).read(&mut first).unwrap(), 8);
        assert_eq!(u64::from_le_bytes(first), 0x910a_2dec_8902_5cc1);
    }

    #[test]
    fn empty_stream_reads_nothing() {
        assert!(read_all(SyntheticPcm::bytes(0, 0), 16).is_empty());
    }
}
