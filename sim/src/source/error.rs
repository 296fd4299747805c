//! Why a file cannot be a track: one variant per kind of bad input, each message naming the file,
//! what was found in it, and what a CD track needs.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// What every message ends with: the one format a CD-DA track can hold.
pub const CD_AUDIO_FORMAT: &str = "44100 Hz, 16-bit, 2 channels (stereo)";

/// A file refused as a track source, before anything is burned. `Display` is the whole message,
/// starting with the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The path names no file.
    #[error("{}: no such file", path.display())]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// The path names a directory or a device, not a regular file.
    #[error("{}: not a regular file (a directory or a device); a track source is an audio file", path.display())]
    NotAFile {
        /// The path as given.
        path: PathBuf,
    },
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The file does not start with a RIFF/WAVE header.
    #[error("{}: not a WAV file: {found}; a WAV file starts with \"RIFF\" then \"WAVE\"", path.display())]
    NotRiff {
        /// The path as given.
        path: PathBuf,
        /// What the file starts with, in words.
        found: String,
    },
    /// A RIFF-like container this reader does not take (big-endian RIFX, 64-bit RF64, ...).
    #[error("{}: {container}; convert it to a plain little-endian RIFF WAV of {CD_AUDIO_FORMAT}", path.display())]
    UnsupportedContainer {
        /// The path as given.
        path: PathBuf,
        /// The container, in words.
        container: String,
    },
    /// The file ends inside the WAV header, before the audio data begins.
    #[error("{}: truncated: the file ends inside the WAV header, {len} bytes in, before any audio data", path.display())]
    TruncatedHeader {
        /// The path as given.
        path: PathBuf,
        /// The file's length in bytes.
        len: u64,
    },
    /// No `fmt ` chunk: the audio format is not stated.
    #[error("{}: the WAV file has no fmt chunk (chunks found: {chunks}), so its audio format is unknown", path.display())]
    NoFmt {
        /// The path as given.
        path: PathBuf,
        /// The chunk ids found, comma-separated.
        chunks: String,
    },
    /// No `data` chunk: the file holds no audio.
    #[error("{}: the WAV file has no data chunk (chunks found: {chunks}); it holds no audio", path.display())]
    NoData {
        /// The path as given.
        path: PathBuf,
        /// The chunk ids found, comma-separated.
        chunks: String,
    },
    /// The `fmt ` chunk is inconsistent or of an impossible size.
    #[error("{}: malformed fmt chunk: {detail}", path.display())]
    BadFmt {
        /// The path as given.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },
    /// Compressed audio (ADPCM, MP3, A-law, ...): not PCM at all.
    #[error(
        "{}: compressed audio ({codec}, WAV format tag 0x{tag:04X}); a CD track needs uncompressed PCM, {CD_AUDIO_FORMAT}",
        path.display()
    )]
    Compressed {
        /// The path as given.
        path: PathBuf,
        /// The WAV format tag (from WAVE_FORMAT_EXTENSIBLE's sub-format when extensible).
        tag: u16,
        /// The codec's name.
        codec: String,
    },
    /// PCM, but not CD audio: another rate, sample size, channel count, or float samples.
    #[error("{}: {found}; a CD track needs {CD_AUDIO_FORMAT}", path.display())]
    NotCdAudio {
        /// The path as given.
        path: PathBuf,
        /// The format found.
        found: PcmFormat,
    },
    /// The data chunk claims more bytes than the file holds.
    #[error(
        "{}: truncated: the data chunk declares {declared} bytes of audio but the file holds only {available} \
         after the header (the file was cut short, or its header lies about the size)",
        path.display()
    )]
    TruncatedData {
        /// The path as given.
        path: PathBuf,
        /// Bytes the data chunk's header declares.
        declared: u64,
        /// Bytes actually present after the data chunk's header.
        available: u64,
    },
    /// The audio is not a whole number of stereo frames (4 bytes: 16-bit left, 16-bit right).
    #[error(
        "{}: {what} of {len} bytes is not a whole number of 4-byte stereo frames (16-bit left + 16-bit right); \
         {rest} byte(s) left over",
        path.display(), rest = len % 4
    )]
    PartialFrame {
        /// The path as given.
        path: PathBuf,
        /// "the data chunk" or "raw PCM".
        what: &'static str,
        /// The audio's length in bytes.
        len: u64,
    },
}

impl SourceError {
    /// The path of the refused file.
    pub fn path(&self) -> &std::path::Path {
        match self {
            SourceError::NotFound { path }
            | SourceError::NotAFile { path }
            | SourceError::Io { path, .. }
            | SourceError::NotRiff { path, .. }
            | SourceError::UnsupportedContainer { path, .. }
            | SourceError::TruncatedHeader { path, .. }
            | SourceError::NoFmt { path, .. }
            | SourceError::NoData { path, .. }
            | SourceError::BadFmt { path, .. }
            | SourceError::Compressed { path, .. }
            | SourceError::NotCdAudio { path, .. }
            | SourceError::TruncatedData { path, .. }
            | SourceError::PartialFrame { path, .. } => path,
        }
    }

    /// The error for a failed `open` or `metadata` of `path`.
    pub(crate) fn from_open(path: PathBuf, source: io::Error) -> SourceError {
        if source.kind() == io::ErrorKind::NotFound {
            SourceError::NotFound { path }
        } else {
            SourceError::Io { path, source }
        }
    }
}

/// A PCM format as a WAV file's fmt chunk states it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PcmFormat {
    /// Samples per second per channel.
    pub sample_rate: u32,
    /// Significant bits per sample.
    pub bits_per_sample: u16,
    /// Bytes each sample occupies in the file (the container; 2 for 16-bit CD audio).
    pub container_bytes: u16,
    /// Channels.
    pub channels: u16,
    /// IEEE float samples rather than integers.
    pub float: bool,
}

impl PcmFormat {
    /// True for the one format a CD-DA track holds: 44100 Hz, 16-bit integers in 2-byte
    /// containers, 2 channels.
    pub fn is_cd_audio(&self) -> bool {
        self.sample_rate == 44_100
            && self.bits_per_sample == 16
            && self.container_bytes == 2
            && self.channels == 2
            && !self.float
    }
}

impl fmt::Display for PcmFormat {
    /// `48000 Hz, 16-bit, 2 channels`, `44100 Hz, 32-bit float, 1 channel (mono)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Hz, {}-bit", self.sample_rate, self.bits_per_sample)?;
        if self.float {
            f.write_str(" float")?;
        }
        if u32::from(self.container_bytes) * 8 != u32::from(self.bits_per_sample) {
            write!(f, " in {}-byte containers", self.container_bytes)?;
        }
        match self.channels {
            1 => f.write_str(", 1 channel (mono)"),
            2 => f.write_str(", 2 channels"),
            n => write!(f, ", {n} channels"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(sample_rate: u32, bits: u16, channels: u16, float: bool) -> PcmFormat {
        PcmFormat { sample_rate, bits_per_sample: bits, container_bytes: bits.div_ceil(8), channels, float }
    }

    #[test]
    fn the_brief_example_message() {
        let e = SourceError::NotCdAudio { path: "song.wav".into(), found: fmt(48_000, 16, 2, false) };
        assert_eq!(
            e.to_string(),
            "song.wav: 48000 Hz, 16-bit, 2 channels; a CD track needs 44100 Hz, 16-bit, 2 channels (stereo)"
        );
    }

    #[test]
    fn formats_read_as_people_say_them() {
        assert_eq!(fmt(44_100, 16, 1, false).to_string(), "44100 Hz, 16-bit, 1 channel (mono)");
        assert_eq!(fmt(44_100, 32, 2, true).to_string(), "44100 Hz, 32-bit float, 2 channels");
        assert_eq!(fmt(96_000, 24, 6, false).to_string(), "96000 Hz, 24-bit, 6 channels");
        let padded = PcmFormat { container_bytes: 4, ..fmt(44_100, 16, 2, false) };
        assert_eq!(padded.to_string(), "44100 Hz, 16-bit in 4-byte containers, 2 channels");
        assert!(!padded.is_cd_audio());
        assert!(fmt(44_100, 16, 2, false).is_cd_audio());
    }

    #[test]
    fn partial_frame_names_the_leftover() {
        let e = SourceError::PartialFrame { path: "a.pcm".into(), what: "raw PCM", len: 4702 };
        assert!(e.to_string().contains("2 byte(s) left over"), "{e}");
    }
}
