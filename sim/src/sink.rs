//! Where written audio goes besides the digest: an optional observer of every sector the
//! simulated drive writes (a BIN/CUE image writer, a test that keeps the bytes).

use std::io;

/// Receives the sectors the simulated drive writes, in order. Errors are reported by the
/// simulator as a failed write (`E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE`).
pub trait SectorSink: Send {
    /// Track `number` begins at LBA `start`, after `pregap` sectors of pause.
    fn begin_track(&mut self, number: u32, start: i32, pregap: u32) -> io::Result<()>;
    /// Whole 2352-byte sectors of the current track (padding included).
    fn write_sectors(&mut self, data: &[u8]) -> io::Result<()>;
    /// The current track closed with `sectors` sectors (shorter than begun when cancelled).
    fn end_track(&mut self, number: u32, sectors: u32) -> io::Result<()>;
}
