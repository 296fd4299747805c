//! A file's bytes exactly as they are: `{ file = "x.wav", raw = true }` in scenarios.

use std::io;
use std::path::Path;

use super::error::SourceError;
use super::padded::PaddedFile;
use super::wav::open_regular;
use crate::contract::AudioStream;

/// Every byte of a file, header and all, unpadded: what careless clients pass to AddAudioTrack
/// when they hand over a WAV file's stream instead of its PCM data. The size is the file's
/// length, so a 44-byte WAV header usually makes it no multiple of 2352, and the device says so.
/// Streamed through a 64 KiB buffer.
#[derive(Debug)]
pub struct RawFileSource {
    stream: PaddedFile,
    size: u64,
}

impl RawFileSource {
    /// Opens `path`; fails only when it cannot be read.
    pub fn open(path: &Path) -> Result<RawFileSource, SourceError> {
        let (file, size) = open_regular(path)?;
        let stream =
            PaddedFile::new(path, file, 0, size, 0).map_err(|source| SourceError::Io { path: path.into(), source })?;
        Ok(RawFileSource { stream, size })
    }
}

impl AudioStream for RawFileSource {
    /// The file's length in bytes.
    fn size(&self) -> Option<u64> {
        Some(self.size)
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}
