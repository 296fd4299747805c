//! A headerless PCM file (`.pcm`, `.raw`, `.cdda`): 44.1 kHz 16-bit little-endian stereo samples.

use std::io;
use std::path::Path;

use super::error::SourceError;
use super::padded::{padded_to_sector, PaddedFile};
use super::wav::open_regular;
use crate::contract::AudioStream;

/// The bytes of a headerless CD-audio file, padded with silence (zero bytes) to a whole 2352-byte
/// sector, like a WAV file's data.
///
/// A headerless file says nothing about its format, so it is taken to be CD audio: 44100 Hz,
/// 16-bit signed little-endian, 2 interleaved channels (left first). The one check possible is
/// the length: it must be a whole number of 4-byte stereo frames, else [`SourceError::PartialFrame`]
/// (a file cut mid-frame, or not PCM at all). An empty file is accepted as an empty stream, which
/// the device refuses as it refuses any empty stream. Streamed through a 64 KiB buffer.
#[derive(Debug)]
pub struct PcmFileSource {
    stream: PaddedFile,
    pcm_bytes: u64,
    size: u64,
}

impl PcmFileSource {
    /// Opens and checks `path`.
    pub fn open(path: &Path) -> Result<PcmFileSource, SourceError> {
        let (file, pcm_bytes) = open_regular(path)?;
        if pcm_bytes % 4 != 0 {
            return Err(SourceError::PartialFrame { path: path.into(), what: "raw PCM", len: pcm_bytes });
        }
        let size = padded_to_sector(pcm_bytes);
        let stream = PaddedFile::new(path, file, 0, pcm_bytes, size - pcm_bytes)
            .map_err(|source| SourceError::Io { path: path.into(), source })?;
        Ok(PcmFileSource { stream, pcm_bytes, size })
    }

    /// Bytes of PCM in the file, before padding.
    pub fn pcm_bytes(&self) -> u64 {
        self.pcm_bytes
    }
}

impl AudioStream for PcmFileSource {
    /// The padded size: the file's length rounded up to a whole sector.
    fn size(&self) -> Option<u64> {
        Some(self.size)
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}
