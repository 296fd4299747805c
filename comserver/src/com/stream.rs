//! The caller's `IStream` as the simulator's track source: `Stat` for the size, then `Read`
//! in order, as IMAPI2 reads it.

use std::io;

use cdr_sim::AudioStream;
use windows::Win32::System::Com::{IStream, STATFLAG_NONAME, STATSTG};

/// The stream AddAudioTrack was given.
pub(crate) struct CallerStream {
    stream: IStream,
    size: Option<u64>,
}

// SAFETY: a CallerStream lives only inside one AddAudioTrack call and is read by the simulator
// on the thread that made that call (the simulator's write is synchronous), so the interface
// pointer is used on the thread the caller gave it on.
unsafe impl Send for CallerStream {}

impl CallerStream {
    /// Asks the stream for its size (`Stat` with STATFLAG_NONAME); a failing Stat leaves the
    /// size unknown, which the simulator rejects as IMAPI2 does (STREAM_NOT_SUPPORTED).
    pub(crate) fn new(stream: IStream) -> CallerStream {
        let mut stat = STATSTG::default();
        // SAFETY: Stat on a valid stream into a local STATSTG (no name is allocated).
        let size = unsafe { stream.Stat(&mut stat, STATFLAG_NONAME) }.ok().map(|()| stat.cbSize);
        CallerStream { stream, size }
    }
}

impl AudioStream for CallerStream {
    fn size(&self) -> Option<u64> {
        self.size
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let mut got = 0u32;
        // SAFETY: Read into `buf`, at most `want` bytes; `got` receives the count.
        let hr = unsafe { self.stream.Read(buf.as_mut_ptr().cast(), want, Some(&mut got)) };
        if hr.is_err() {
            return Err(io::Error::other(format!("IStream::Read failed: {hr:?}")));
        }
        Ok((got as usize).min(buf.len()))
    }
}
