//! The track source as IMAPI2 reads it: the logic behind the backend's `IStream`.
//!
//! IMAPI2 asks the stream its size (`Stat`) and then reads it in order. A [`TrackReader`] serves
//! that from an [`AudioStream`] without ever holding more than the caller's buffer: it is a
//! forward-only cursor. `Seek` is answered as far as a forward-only source allows: asking the
//! position, seeking to the end to learn the size and back to where reading stopped, or
//! skipping forward (the skipped bytes are read and dropped). Seeking back over bytes already
//! read is `STG_E_INVALIDFUNCTION`.

use std::io;

use cdr_sim::{AudioStream, Hresult};

use crate::codes::{STG_E_INVALIDFUNCTION, STG_E_READFAULT};

/// `STREAM_SEEK`: where a seek offset counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekOrigin {
    /// `STREAM_SEEK_SET` (0).
    Start,
    /// `STREAM_SEEK_CUR` (1).
    Current,
    /// `STREAM_SEEK_END` (2).
    End,
}

impl SeekOrigin {
    /// The origin with this `STREAM_SEEK` number.
    pub fn from_value(n: u32) -> Option<SeekOrigin> {
        match n {
            0 => Some(SeekOrigin::Start),
            1 => Some(SeekOrigin::Current),
            2 => Some(SeekOrigin::End),
            _ => None,
        }
    }
}

/// Why a stream request failed.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// A seek back over bytes already read, or before the start.
    #[error("the track source is read once, in order: cannot seek from byte {from} to {to}")]
    Backwards {
        /// Where the source is.
        from: u64,
        /// Where the seek asked to go (negative: before the start).
        to: i128,
    },
    /// A seek from the end of a source that does not know its size, or an unknown origin.
    #[error("cannot seek: {0}")]
    Unsupported(&'static str),
    /// The source failed to read, after `filled` bytes of this request had been read.
    #[error("the track source failed to read: {error}")]
    Read {
        /// The bytes of the request read before the failure: valid, and counted as consumed.
        filled: usize,
        /// The source's error.
        #[source]
        error: io::Error,
    },
}

impl StreamError {
    /// The HRESULT the `IStream` returns for it.
    pub fn hresult(&self) -> Hresult {
        match self {
            StreamError::Backwards { .. } | StreamError::Unsupported(_) => STG_E_INVALIDFUNCTION,
            StreamError::Read { .. } => STG_E_READFAULT,
        }
    }

    /// The bytes of the request that were read before the failure (0 unless a read failed
    /// part-way): what `IStream::Read` reports as read on its error path.
    pub fn filled(&self) -> usize {
        match self {
            StreamError::Read { filled, .. } => *filled,
            _ => 0,
        }
    }
}

/// A forward-only cursor over a track source.
pub struct TrackReader<'a> {
    inner: &'a mut dyn AudioStream,
    /// Bytes taken from the source so far.
    consumed: u64,
    /// The stream position as IStream's caller sees it (at or after `consumed`).
    position: u64,
}

impl<'a> TrackReader<'a> {
    /// A reader at the start of `inner`.
    pub fn new(inner: &'a mut dyn AudioStream) -> TrackReader<'a> {
        TrackReader { inner, consumed: 0, position: 0 }
    }

    /// The size `Stat` reports: the source's.
    pub fn size(&self) -> Option<u64> {
        self.inner.size()
    }

    /// The current position.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Fills `buf` from the current position; fewer bytes only at the end of the source.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, StreamError> {
        self.skip_to_position(buf)?;
        let mut filled = 0;
        while filled < buf.len() {
            match self.inner.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    // What was read stays read: the cursor follows the source.
                    self.consumed += filled as u64;
                    self.position = self.consumed;
                    return Err(StreamError::Read { filled, error });
                }
            }
        }
        self.consumed += filled as u64;
        self.position = self.consumed;
        Ok(filled)
    }

    /// Reads and drops the bytes between what was consumed and the position (a forward seek),
    /// using `scratch` as the buffer.
    fn skip_to_position(&mut self, scratch: &mut [u8]) -> Result<(), StreamError> {
        let mut local = [0u8; 4096];
        let scratch: &mut [u8] = if scratch.is_empty() { &mut local } else { scratch };
        while self.consumed < self.position {
            let want = usize::try_from(self.position - self.consumed).unwrap_or(usize::MAX).min(scratch.len());
            match self.inner.read(&mut scratch[..want]) {
                Ok(0) => break,
                Ok(n) => self.consumed += n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(StreamError::Read { filled: 0, error }),
            }
        }
        Ok(())
    }

    /// Moves the position; returns the new one. Forward-only: a target before the bytes already
    /// read fails.
    pub fn seek(&mut self, origin: SeekOrigin, offset: i64) -> Result<u64, StreamError> {
        let base: i128 = match origin {
            SeekOrigin::Start => 0,
            SeekOrigin::Current => self.position.into(),
            SeekOrigin::End => self.size().ok_or(StreamError::Unsupported("the source's size is unknown"))?.into(),
        };
        let target = base + i128::from(offset);
        if target < i128::from(self.consumed) {
            return Err(StreamError::Backwards { from: self.consumed, to: target });
        }
        self.position = u64::try_from(target).map_err(|_| StreamError::Unsupported("position beyond 2^64"))?;
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_sources::{FailsAfter, NoSize};
    use cdr_sim::source::SyntheticPcm;

    /// A source that counts how many bytes a single read may return, to check that the reader
    /// never asks for more than the caller's buffer.
    struct Probe {
        inner: SyntheticPcm,
        largest_read: usize,
        reads: usize,
    }

    impl AudioStream for Probe {
        fn size(&self) -> Option<u64> {
            self.inner.size()
        }
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.largest_read = self.largest_read.max(buf.len());
            self.reads += 1;
            // Short reads, as a file or pipe may give.
            let n = buf.len().min(1000);
            self.inner.read(&mut buf[..n])
        }
    }

    fn all_bytes(seed: u64, len: u64) -> Vec<u8> {
        let mut s = SyntheticPcm::bytes(seed, len);
        let mut v = vec![0; len as usize];
        assert_eq!(s.read(&mut v).unwrap(), len as usize);
        v
    }

    #[test]
    fn reads_in_order_filling_each_buffer_and_streams() {
        let len = 2352 * 40;
        let mut probe = Probe { inner: SyntheticPcm::bytes(9, len), largest_read: 0, reads: 0 };
        let mut r = TrackReader::new(&mut probe);
        assert_eq!(r.size(), Some(len));
        let mut got = Vec::new();
        let mut buf = vec![0u8; 65_536];
        loop {
            let n = r.read(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
            if n < buf.len() {
                break;
            }
        }
        assert_eq!(got, all_bytes(9, len));
        assert_eq!(r.position(), len);
        assert!(probe.largest_read <= 65_536, "never more than the caller's buffer");
        assert!(probe.reads > 1);
    }

    #[test]
    fn size_queries_by_seeking_to_the_end_and_back() {
        let mut src = SyntheticPcm::bytes(1, 10_000);
        let mut r = TrackReader::new(&mut src);
        assert_eq!(r.seek(SeekOrigin::Current, 0).unwrap(), 0);
        assert_eq!(r.seek(SeekOrigin::End, 0).unwrap(), 10_000);
        assert_eq!(r.seek(SeekOrigin::Start, 0).unwrap(), 0);
        let mut buf = vec![0; 100];
        assert_eq!(r.read(&mut buf).unwrap(), 100);
        assert_eq!(buf, all_bytes(1, 100));
    }

    #[test]
    fn forward_seeks_skip_and_backward_seeks_fail() {
        let mut src = SyntheticPcm::bytes(2, 10_000);
        let mut r = TrackReader::new(&mut src);
        r.seek(SeekOrigin::Start, 5_000).unwrap();
        let mut buf = vec![0; 10];
        r.read(&mut buf).unwrap();
        assert_eq!(buf, all_bytes(2, 5_010)[5_000..]);
        let e = r.seek(SeekOrigin::Start, 0).unwrap_err();
        assert!(matches!(e, StreamError::Backwards { from: 5_010, to: 0 }), "{e}");
        assert_eq!(e.hresult(), STG_E_INVALIDFUNCTION);
        assert!(r.seek(SeekOrigin::Current, -1).is_err());
        assert_eq!(r.seek(SeekOrigin::Current, 0).unwrap(), 5_010);
    }

    #[test]
    fn seek_from_the_end_needs_a_size() {
        let mut src = NoSize;
        let mut r = TrackReader::new(&mut src);
        assert_eq!(r.size(), None);
        assert!(matches!(r.seek(SeekOrigin::End, 0), Err(StreamError::Unsupported(_))));
    }

    #[test]
    fn read_errors_are_read_faults() {
        struct Broken;
        impl AudioStream for Broken {
            fn size(&self) -> Option<u64> {
                Some(2352)
            }
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let mut src = Broken;
        let mut r = TrackReader::new(&mut src);
        let e = r.read(&mut [0; 16]).unwrap_err();
        assert_eq!(e.hresult(), STG_E_READFAULT);
        assert_eq!(e.filled(), 0);
        assert!(e.to_string().contains("disk gone"));
    }

    #[test]
    fn a_read_failing_part_way_reports_what_it_read() {
        let mut src = FailsAfter(100);
        let mut r = TrackReader::new(&mut src);
        let e = r.read(&mut [0; 300]).unwrap_err();
        assert_eq!(e.filled(), 100);
        assert_eq!(r.position(), 100, "the bytes read stay read");
        assert!(r.seek(SeekOrigin::Start, 99).is_err(), "no going back over them");
    }

    #[test]
    fn origins() {
        assert_eq!(SeekOrigin::from_value(0), Some(SeekOrigin::Start));
        assert_eq!(SeekOrigin::from_value(2), Some(SeekOrigin::End));
        assert_eq!(SeekOrigin::from_value(3), None);
    }
}
