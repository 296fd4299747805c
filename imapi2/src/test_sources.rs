//! Track sources that misbehave, for the tests of the stream and the `IStream` over it.

use std::io;

use cdr_sim::AudioStream;

/// A source that cannot say its size and has no bytes.
pub(crate) struct NoSize;

impl AudioStream for NoSize {
    fn size(&self) -> Option<u64> {
        None
    }
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Ok(0)
    }
}

/// A source of one sector that gives `.0` bytes of 7, then fails ("disk gone").
pub(crate) struct FailsAfter(pub(crate) usize);

impl AudioStream for FailsAfter {
    fn size(&self) -> Option<u64> {
        Some(2352)
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0 == 0 {
            return Err(io::Error::other("disk gone"));
        }
        let n = buf.len().min(self.0);
        buf[..n].fill(7);
        self.0 -= n;
        Ok(n)
    }
}

/// The message of [`Panics`].
#[cfg(windows)]
pub(crate) const SOURCE_PANIC: &str = "planted panic in AudioStream::read";

/// A source of one sector whose read panics with [`SOURCE_PANIC`] (used by the `IStream`
/// tests, which are Windows code).
#[cfg(windows)]
pub(crate) struct Panics;

#[cfg(windows)]
impl AudioStream for Panics {
    fn size(&self) -> Option<u64> {
        Some(2352)
    }
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        panic!("{SOURCE_PANIC}");
    }
}
