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
        // splitmix64 of (seed, index): cheap, well mixed, position-addressable.
        let mut z = self.seed.wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)).to_le_bytes()
    }
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
        let mut word = (self.pos + i as u64) / 8;
        let mut chunks = out[i..].chunks_exact_mut(8);
        for chunk in &mut chunks {
            chunk.copy_from_slice(&self.word(word));
            word += 1;
        }
        // Tail.
        let tail = chunks.into_remainder();
        if !tail.is_empty() {
            let w = self.word(word);
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
    fn empty_stream_reads_nothing() {
        assert!(read_all(SyntheticPcm::bytes(0, 0), 16).is_empty());
    }
}
