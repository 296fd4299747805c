//! The expected BLAKE3 digest of a written track, computed from the stream independently of any
//! backend: the first sectors of the synthetic PCM, then zero sectors where the track was padded
//! (spec 2, AddAudioTrack \[choice\]), cut short where the write was cancelled.

use std::collections::HashMap;

use cdr_sim::source::SyntheticPcm;
use cdr_sim::{AudioStream, SECTOR_BYTES};

use super::state::Content;

/// Digests already computed, by content (tracks of the same seed and length recur).
#[derive(Default)]
pub struct DigestCache {
    known: HashMap<Content, blake3::Hash>,
    buf: Vec<u8>,
}

impl DigestCache {
    /// An empty cache.
    pub fn new() -> DigestCache {
        DigestCache::default()
    }

    /// The digest of a track holding `content`.
    pub fn digest(&mut self, content: Content) -> blake3::Hash {
        if let Some(h) = self.known.get(&content) {
            return *h;
        }
        let h = self.compute(content);
        self.known.insert(content, h);
        h
    }

    fn compute(&mut self, c: Content) -> blake3::Hash {
        const CHUNK: usize = 28 * SECTOR_BYTES;
        self.buf.resize(CHUNK, 0);
        let mut hasher = blake3::Hasher::new();
        let data_sectors = c.sectors.min(c.stream_sectors) as u64;
        let mut left = data_sectors * SECTOR_BYTES as u64;
        let mut pcm = SyntheticPcm::sectors(c.seed, u64::from(c.stream_sectors));
        while left > 0 {
            let want = left.min(CHUNK as u64) as usize;
            let n = pcm.read(&mut self.buf[..want]).expect("synthetic PCM never fails");
            assert!(n > 0, "synthetic PCM ended early");
            hasher.update(&self.buf[..n]);
            left -= n as u64;
        }
        let mut zeros = (u64::from(c.sectors) - data_sectors) * SECTOR_BYTES as u64;
        self.buf.fill(0);
        while zeros > 0 {
            let n = zeros.min(CHUNK as u64) as usize;
            hasher.update(&self.buf[..n]);
            zeros -= n as u64;
        }
        hasher.finalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_digest_is_stream_then_zero_sectors() {
        let mut cache = DigestCache::new();
        let mut bytes = vec![0; 2 * SECTOR_BYTES];
        let mut pcm = SyntheticPcm::sectors(9, 2);
        assert_eq!(pcm.read(&mut bytes).unwrap(), bytes.len());
        bytes.resize(5 * SECTOR_BYTES, 0);
        let c = Content { seed: 9, stream_sectors: 2, sectors: 5 };
        assert_eq!(cache.digest(c), blake3::hash(&bytes));
        // Cut after one sector.
        let cut = Content { seed: 9, stream_sectors: 2, sectors: 1 };
        assert_eq!(cache.digest(cut), blake3::hash(&bytes[..SECTOR_BYTES]));
    }
}
