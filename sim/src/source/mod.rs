//! Track sources: implementations of [`AudioStream`](crate::AudioStream).
//!
//! - [`SyntheticPcm`]: seeded pseudo-random PCM of a given length (`{ sectors = N }`).
//! - [`WavSource`]: a WAV file's PCM data, checked to be CD audio and padded with silence to a
//!   whole sector (`{ file = "song.wav" }`).
//! - [`RawFileSource`]: a file's bytes as they are, header and all (`{ file = "x", raw = true }`).
//! - [`PcmFileSource`]: a headerless CD-audio file, padded like a WAV file's data.
//!
//! File sources check the file when opened, so a bad file is refused with a [`SourceError`]
//! before anything is burned, and then stream it through a fixed 64 KiB buffer: a 700 MB file
//! is never held in memory. None of them panics on any input.

mod error;
mod padded;
mod pcm_file;
mod raw_file;
mod riff;
mod synthetic;
mod wav;

pub use error::{PcmFormat, SourceError, CD_AUDIO_FORMAT};
pub use padded::padded_to_sector;
pub use pcm_file::PcmFileSource;
pub use raw_file::RawFileSource;
pub use synthetic::SyntheticPcm;
pub use wav::WavSource;
