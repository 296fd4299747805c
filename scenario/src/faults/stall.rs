//! A stream that stops delivering data for a while at a given sector: how the middleware
//! provokes a buffer underrun on a drive it cannot order one from (the real IMAPI2 backend).
//!
//! This is the one place the harness waits on the wall clock, and only against real hardware:
//! on the simulator an underrun is a device fault in virtual time.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cdr_sim::{AudioStream, SECTOR_BYTES};

/// Wraps a track's stream: after `sector` sectors it sleeps `stall` once, then goes on.
pub struct StallingStream<'a> {
    inner: &'a mut dyn AudioStream,
    at: u64,
    pos: u64,
    stall: Duration,
    stalled: Arc<AtomicBool>,
}

impl<'a> StallingStream<'a> {
    /// Stalls `inner` for `stall` once `sector` sectors have been read; `stalled` is set when it
    /// does.
    pub fn new(inner: &'a mut dyn AudioStream, sector: u64, stall: Duration, stalled: Arc<AtomicBool>) -> Self {
        StallingStream { inner, at: sector.saturating_mul(SECTOR_BYTES as u64), pos: 0, stall, stalled }
    }
}

impl AudioStream for StallingStream<'_> {
    fn size(&self) -> Option<u64> {
        self.inner.size()
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let stalled = self.stalled.load(Ordering::Acquire);
        if !stalled && self.pos >= self.at {
            std::thread::sleep(self.stall);
            self.stalled.store(true, Ordering::Release);
        }
        // Stop each read at the stall point, so the stall comes exactly there.
        let limit = match self.stalled.load(Ordering::Acquire) {
            false => buf.len().min(usize::try_from(self.at - self.pos).unwrap_or(usize::MAX)),
            true => buf.len(),
        };
        let n = self.inner.read(&mut buf[..limit])?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn the_data_passes_unchanged_and_the_stall_comes_at_its_sector() {
        let data: Vec<u8> = (0..10 * SECTOR_BYTES).map(|i| (i % 251) as u8).collect();
        let mut inner = Cursor::new(data.clone());
        let flag = Arc::new(AtomicBool::new(false));
        let mut s = StallingStream::new(&mut inner, 3, Duration::ZERO, Arc::clone(&flag));
        assert_eq!(s.size(), Some(data.len() as u64));
        let mut out = Vec::new();
        let mut buf = vec![0u8; 4 * SECTOR_BYTES];
        let first = s.read(&mut buf).unwrap();
        assert_eq!(first, 3 * SECTOR_BYTES, "the first read stops at the stall point");
        assert!(!flag.load(Ordering::Acquire));
        out.extend_from_slice(&buf[..first]);
        loop {
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            assert!(flag.load(Ordering::Acquire));
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, data);
    }

    #[test]
    fn a_stall_past_the_end_never_comes() {
        let mut inner = Cursor::new(vec![0u8; SECTOR_BYTES]);
        let flag = Arc::new(AtomicBool::new(false));
        let mut s = StallingStream::new(&mut inner, 5, Duration::ZERO, Arc::clone(&flag));
        let mut buf = vec![0u8; 8 * SECTOR_BYTES];
        while s.read(&mut buf).unwrap() > 0 {}
        assert!(!flag.load(Ordering::Acquire));
    }
}
