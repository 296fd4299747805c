//! The audio input of AddAudioTrack: what IMAPI2 asks of an `IStream` (Stat and Read).

use std::io;

/// A track's data: raw 44.1 kHz 16-bit stereo PCM, 2352 bytes a sector.
///
/// Like an `IStream`, it states its size up front (`Stat`) and is then read sequentially. A
/// backend checks the size before it writes anything (spec section 2: unknown, 0, not a multiple
/// of 2352, or too large gives `E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED`).
pub trait AudioStream: Send {
    /// The stream's size in bytes as `Stat` reports it; `None` when it cannot say.
    fn size(&self) -> Option<u64>;
    /// Reads up to `buf.len()` bytes; `Ok(0)` at the end.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;
}

/// Any reader with a known length is a stream: `(len, reader)`.
impl<R: io::Read + Send> AudioStream for (u64, R) {
    fn size(&self) -> Option<u64> {
        Some(self.0)
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.1.read(buf)
    }
}

/// An in-memory stream (tests and small fixtures).
impl AudioStream for io::Cursor<Vec<u8>> {
    fn size(&self) -> Option<u64> {
        Some(self.get_ref().len() as u64)
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        io::Read::read(self, buf)
    }
}
