//! The track digest: BLAKE3 of every sector written, built from BLAKE3's own tree so that a run
//! of silence costs no hashing once its subtrees are known.
//!
//! BLAKE3 hashes 1 KiB chunks into a left-balanced binary tree whose nodes depend only on their
//! bytes and their position. [`TrackHasher`] keeps the tree's completed subtrees on a stack (as
//! `blake3::Hasher` does internally) and hashes data in aligned leaves of [`LEAF`] bytes. Zero
//! bytes, the silence that pads a short track, are taken as whole aligned subtrees whose
//! chaining values are memoised by (offset, length): they are a pure function of those two, so
//! the second short track padded at the same place costs a few table lookups instead of
//! hashing up to 700 KB of zeros. The result is bit-for-bit `blake3::hash` of the same bytes
//! (tested against it over random data/silence splits).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use blake3::hazmat::{max_subtree_len, merge_subtrees_non_root, merge_subtrees_root, ChainingValue, HasherExt, Mode};
use blake3::{Hash, Hasher, CHUNK_LEN};

/// Bytes per data leaf: 64 chunks, enough for BLAKE3's widest SIMD batches.
const LEAF: u64 = 64 * CHUNK_LEN as u64;

/// Zero subtrees up to this size are hashed directly; larger ones are merged from halves.
const ZERO_DIRECT: u64 = 16 * CHUNK_LEN as u64;

/// Memoised zero subtrees at most; past this the table starts again (it is only a cache).
const ZERO_MEMO_MAX: usize = 1 << 16;

static ZEROS: [u8; ZERO_DIRECT as usize] = [0; ZERO_DIRECT as usize];

/// The rightmost subtree: the leaf hasher's input, which starts at `start`, or a memoised zero
/// subtree of `len` bytes ending where the input ends.
enum Pending {
    Open { start: u64 },
    Known { cv: ChainingValue, len: u64 },
}

/// An incremental BLAKE3 hasher with a fast path for runs of zero bytes.
pub(crate) struct TrackHasher {
    /// Completed subtrees, left to right, as (chaining value, length in bytes).
    stack: Vec<(ChainingValue, u64)>,
    /// The rightmost subtree, kept out of the stack until more input shows it is not the root.
    pending: Option<Pending>,
    /// The hasher of the open leaf (`Pending::Open`).
    leaf: Hasher,
    /// Bytes taken so far.
    len: u64,
}

impl TrackHasher {
    /// A hasher over no input.
    pub(crate) fn new() -> TrackHasher {
        TrackHasher { stack: Vec::new(), pending: None, leaf: Hasher::new(), len: 0 }
    }

    /// Takes `data`.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let room = self.open_room();
            let n = (room.min(data.len() as u64)) as usize;
            self.leaf.update(&data[..n]);
            self.len += n as u64;
            data = &data[n..];
        }
    }

    /// Takes `n` zero bytes.
    pub(crate) fn update_zeros(&mut self, mut n: u64) {
        const CHUNK: u64 = CHUNK_LEN as u64;
        while n > 0 {
            // First the open leaf, up to a whole power-of-two number of chunks: then it is a
            // complete subtree and the zeros after it can be taken as whole subtrees.
            if let Some(Pending::Open { start }) = self.pending {
                let used = self.len - start;
                let target = used.next_power_of_two().max(CHUNK).min(capacity(start));
                if used < target {
                    let k = (target - used).min(n).min(ZERO_DIRECT);
                    self.leaf.update(&ZEROS[..k as usize]);
                    self.len += k;
                    n -= k;
                    continue;
                }
            }
            if n < CHUNK {
                self.update(&ZEROS[..n as usize]);
                return;
            }
            // A whole aligned zero subtree, as large as the offset's alignment and `n` allow.
            let size = max_subtree_len(self.len).unwrap_or(u64::MAX).min(prev_power_of_two(n));
            self.close_pending();
            self.pending = Some(Pending::Known { cv: zero_cv(self.len, size), len: size });
            self.len += size;
            n -= size;
        }
    }

    /// The BLAKE3 hash of everything taken.
    pub(crate) fn finalize(&self) -> Hash {
        let Some(pending) = &self.pending else {
            return blake3::hash(&[]);
        };
        if self.stack.is_empty() {
            // The pending subtree is the whole input, from offset 0: it is the root.
            return match *pending {
                Pending::Open { .. } => self.leaf.finalize(),
                Pending::Known { len, .. } if len <= ZERO_DIRECT => blake3::hash(&ZEROS[..len as usize]),
                Pending::Known { len, .. } => {
                    merge_subtrees_root(&zero_cv(0, len / 2), &zero_cv(len / 2, len / 2), Mode::Hash)
                }
            };
        }
        let mut cv = match pending {
            Pending::Open { .. } => self.leaf.finalize_non_root(),
            Pending::Known { cv, .. } => *cv,
        };
        let (root_left, rest) = self.stack.split_first().expect("a non-empty stack");
        for (left, _) in rest.iter().rev() {
            cv = merge_subtrees_non_root(left, &cv, Mode::Hash);
        }
        merge_subtrees_root(&root_left.0, &cv, Mode::Hash)
    }

    /// Bytes the open leaf can still take; opens a new leaf (closing a full one) when needed.
    fn open_room(&mut self) -> u64 {
        if let Some(Pending::Open { start }) = self.pending {
            let room = capacity(start) - (self.len - start);
            if room > 0 {
                return room;
            }
        }
        self.close_pending();
        self.leaf = Hasher::new();
        self.leaf.set_input_offset(self.len);
        self.pending = Some(Pending::Open { start: self.len });
        capacity(self.len)
    }

    /// Moves the pending subtree, which is complete, onto the stack, merging equal neighbours.
    fn close_pending(&mut self) {
        let Some(p) = self.pending.take() else { return };
        let (mut cv, mut len) = match p {
            Pending::Open { start } => (self.leaf.finalize_non_root(), self.len - start),
            Pending::Known { cv, len, .. } => (cv, len),
        };
        // A subtree merges with its left neighbour while the two are the halves of a larger
        // aligned subtree: equal lengths, as in a binary counter.
        while let Some(&(left, left_len)) = self.stack.last() {
            if left_len != len {
                break;
            }
            self.stack.pop();
            cv = merge_subtrees_non_root(&left, &cv, Mode::Hash);
            len *= 2;
        }
        self.stack.push((cv, len));
    }
}

/// How many bytes a leaf starting at `offset` may hold.
fn capacity(offset: u64) -> u64 {
    max_subtree_len(offset).unwrap_or(u64::MAX).min(LEAF)
}

fn prev_power_of_two(n: u64) -> u64 {
    1 << (63 - n.leading_zeros())
}

/// The chaining value of `len` zero bytes at `offset` (an aligned subtree of whole chunks).
fn zero_cv(offset: u64, len: u64) -> ChainingValue {
    static MEMO: OnceLock<Mutex<HashMap<(u64, u64), ChainingValue>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    if let Some(cv) = memo.lock().unwrap_or_else(|p| p.into_inner()).get(&(offset, len)) {
        return *cv;
    }
    let cv = if len <= ZERO_DIRECT {
        let mut h = Hasher::new();
        h.set_input_offset(offset);
        h.update(&ZEROS[..len as usize]);
        h.finalize_non_root()
    } else {
        let half = len / 2;
        merge_subtrees_non_root(&zero_cv(offset, half), &zero_cv(offset + half, half), Mode::Hash)
    };
    let mut m = memo.lock().unwrap_or_else(|p| p.into_inner());
    if m.len() >= ZERO_MEMO_MAX {
        m.clear();
    }
    m.insert((offset, len), cv);
    cv
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of input: data (a byte pattern of this length) or a run of zeros.
    fn run(pieces: &[(bool, usize)]) -> (Hash, Hash) {
        let mut all = Vec::new();
        let mut h = TrackHasher::new();
        for (i, &(zeros, n)) in pieces.iter().enumerate() {
            if zeros {
                h.update_zeros(n as u64);
                all.resize(all.len() + n, 0);
            } else {
                let data: Vec<u8> = (0..n).map(|k| (k * 31 + i * 7 + 1) as u8).collect();
                h.update(&data);
                all.extend_from_slice(&data);
            }
        }
        (h.finalize(), blake3::hash(&all))
    }

    #[test]
    fn empty_input_is_the_hash_of_nothing() {
        assert_eq!(TrackHasher::new().finalize(), blake3::hash(&[]));
    }

    #[test]
    fn edges_of_chunks_leaves_and_subtrees() {
        let c = CHUNK_LEN;
        let l = LEAF as usize;
        for n in [1, c - 1, c, c + 1, 2 * c, 3 * c + 5, l - 1, l, l + 1, 2 * l, 3 * l + c, 705_600] {
            for zeros in [false, true] {
                let (got, want) = run(&[(zeros, n)]);
                assert_eq!(got, want, "{n} bytes, zeros {zeros}");
            }
            // A padded track: data then silence, and the other way round.
            let (got, want) = run(&[(false, n), (true, 705_600 - n.min(705_599))]);
            assert_eq!(got, want, "{n} bytes then silence");
            let (got, want) = run(&[(true, n), (false, 2352)]);
            assert_eq!(got, want, "{n} zeros then data");
        }
    }

    #[test]
    fn silence_at_the_same_place_gives_the_same_hash_twice() {
        let a = run(&[(false, 2352 * 3), (true, 2352 * 297)]);
        let b = run(&[(false, 2352 * 3), (true, 2352 * 297)]);
        assert_eq!(a, b);
        assert_eq!(a.0, a.1);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn equals_blake3_over_any_split(pieces in proptest::collection::vec(
            (any::<bool>(), prop_oneof![0usize..3000, 0usize..200_000]), 0..6)) {
            let (got, want) = run(&pieces);
            prop_assert_eq!(got, want);
        }
    }
}
