//! Track sources of AddAudioTrack: synthetic PCM of a given length, or an audio file.

use std::fmt;
use std::path::PathBuf;

use cdr_sim::source::{RawFileSource, SyntheticPcm, WavSource};
use cdr_sim::{AudioStream, SECTORS_PER_SECOND, SECTOR_BYTES};

/// The stream a step passes to AddAudioTrack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackSource {
    /// `{ sectors = N }`: synthetic PCM of N whole sectors.
    Sectors(u64),
    /// `{ seconds = N }`: synthetic PCM of N * 75 sectors.
    Seconds(u64),
    /// `{ bytes = N }`: synthetic PCM of exactly N bytes.
    Bytes(u64),
    /// `{ file = "..." }`: a WAV file's PCM data, padded with silence to a whole sector.
    Wav(AudioFile),
    /// `{ file = "...", raw = true }`: a file's bytes as they are.
    Raw(AudioFile),
}

/// An audio file named by a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudioFile {
    /// As written in the scenario (transcripts show this).
    pub written: String,
    /// Resolved against the scenario's directory.
    pub path: PathBuf,
}

/// A track file that cannot be used; the message names the file and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TrackError(pub String);

impl TrackSource {
    /// The stream's length in bytes for synthetic sources (files: `None`).
    pub fn synthetic_len(&self) -> Option<u64> {
        let sector = SECTOR_BYTES as u64;
        match self {
            TrackSource::Sectors(n) => Some(n.saturating_mul(sector)),
            TrackSource::Seconds(n) => Some(n.saturating_mul(u64::from(SECTORS_PER_SECOND)).saturating_mul(sector)),
            TrackSource::Bytes(n) => Some(*n),
            TrackSource::Wav(_) | TrackSource::Raw(_) => None,
        }
    }

    /// Opens the stream. Synthetic audio is seeded with `seed`; files are checked when opened
    /// (a WAV file must hold 44.1 kHz 16-bit stereo PCM).
    pub fn open(&self, seed: u64) -> Result<Box<dyn AudioStream>, TrackError> {
        if let Some(len) = self.synthetic_len() {
            return Ok(Box::new(SyntheticPcm::bytes(seed, len)));
        }
        match self {
            TrackSource::Wav(file) => match WavSource::open(&file.path) {
                Ok(s) => Ok(Box::new(s)),
                Err(e) => Err(TrackError(e.to_string())),
            },
            TrackSource::Raw(file) => match RawFileSource::open(&file.path) {
                Ok(s) => Ok(Box::new(s)),
                Err(e) => Err(TrackError(e.to_string())),
            },
            _ => unreachable!("synthetic sources returned above"),
        }
    }
}

impl fmt::Display for TrackSource {
    /// The scenario spelling: `sectors = 22500`, `file = "a.wav"`, `file = "a.wav", raw = true`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackSource::Sectors(n) => write!(f, "sectors = {n}"),
            TrackSource::Seconds(n) => write!(f, "seconds = {n}"),
            TrackSource::Bytes(n) => write!(f, "bytes = {n}"),
            TrackSource::Wav(a) => write!(f, "file = {:?}", a.written),
            TrackSource::Raw(a) => write!(f, "file = {:?}, raw = true", a.written),
        }
    }
}
