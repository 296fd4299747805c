//! A WAV file's PCM data as a track: `{ file = "song.wav" }` in scenarios.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek};
use std::path::Path;

use super::error::{PcmFormat, SourceError};
use super::padded::{padded_to_sector, PaddedFile};
use super::riff::{self, ChunkSpan, RiffError};
use crate::contract::AudioStream;

/// Largest `fmt ` chunk read (WAVE_FORMAT_EXTENSIBLE is 40 bytes; codecs add a few more).
const MAX_FMT_BYTES: u32 = 4096;

/// The PCM data of a 44.1 kHz, 16-bit, stereo WAV file, padded with silence (zero bytes) to a
/// whole 2352-byte sector, as well-behaved clients pass it to AddAudioTrack.
///
/// [`WavSource::open`] checks everything before a byte is burned: the file is RIFF/WAVE, its
/// format is CD audio (else a [`SourceError`] saying what was found and what is needed), and its
/// data chunk is really there (a header that claims more audio than the file holds is refused).
/// Chunks other than `fmt ` and `data` (`LIST`, `bext`, `id3 `, ...) are skipped, odd-sized ones
/// with their pad byte. The file is then streamed through a 64 KiB buffer, never read whole.
///
/// The header is parsed in two steps: the chunk walk is this module's (it locates `fmt ` and
/// `data` by seeking over chunk bodies and honours RIFF pad bytes, which hound 3.5 skips), and
/// the `fmt ` chunk is decoded and validated by `hound`.
///
/// ```no_run
/// use cdr_sim::{AudioStream, source::WavSource};
/// let track = WavSource::open("song.wav".as_ref())?;
/// assert_eq!(track.size().unwrap() % 2352, 0);
/// # Ok::<(), cdr_sim::source::SourceError>(())
/// ```
#[derive(Debug)]
pub struct WavSource {
    stream: PaddedFile,
    pcm_bytes: u64,
    size: u64,
}

impl WavSource {
    /// Opens and checks `path`; the stream starts at the first byte of the PCM data.
    pub fn open(path: &Path) -> Result<WavSource, SourceError> {
        let (file, file_len) = open_regular(path)?;
        let mut file = file;
        let io_err = |source: io::Error| SourceError::Io { path: path.to_path_buf(), source };
        let layout = riff::walk(&mut file, file_len).map_err(|e| match e {
            RiffError::NotRiff(found) => SourceError::NotRiff { path: path.to_path_buf(), found },
            RiffError::Container(container) => {
                SourceError::UnsupportedContainer { path: path.to_path_buf(), container }
            }
            RiffError::Truncated => SourceError::TruncatedHeader { path: path.to_path_buf(), len: file_len },
            RiffError::Io(source) => io_err(source),
        })?;
        let truncated = || SourceError::TruncatedHeader { path: path.to_path_buf(), len: file_len };
        let Some(data) = layout.data else {
            return Err(if layout.ended_inside {
                truncated()
            } else {
                SourceError::NoData { path: path.to_path_buf(), chunks: layout.listed() }
            });
        };
        let Some(fmt) = layout.fmt else {
            return Err(SourceError::NoFmt { path: path.to_path_buf(), chunks: layout.listed() });
        };
        let fmt_bytes = read_fmt(&mut file, fmt, file_len, path)?;
        check_format(&fmt_bytes, path)?;

        let available = file_len.saturating_sub(data.offset);
        let pcm_bytes = u64::from(data.len);
        if pcm_bytes > available {
            return Err(SourceError::TruncatedData { path: path.to_path_buf(), declared: pcm_bytes, available });
        }
        if pcm_bytes % 4 != 0 {
            return Err(SourceError::PartialFrame { path: path.to_path_buf(), what: "the data chunk", len: pcm_bytes });
        }
        let size = padded_to_sector(pcm_bytes);
        let stream = PaddedFile::new(path, file, data.offset, pcm_bytes, size - pcm_bytes).map_err(io_err)?;
        Ok(WavSource { stream, pcm_bytes, size })
    }

    /// Bytes of PCM data in the file, before padding.
    pub fn pcm_bytes(&self) -> u64 {
        self.pcm_bytes
    }
}

impl AudioStream for WavSource {
    /// The padded size: PCM bytes rounded up to a whole sector.
    fn size(&self) -> Option<u64> {
        Some(self.size)
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

/// Opens `path` for reading; refuses missing files, directories and devices.
pub(crate) fn open_regular(path: &Path) -> Result<(File, u64), SourceError> {
    let meta = std::fs::metadata(path).map_err(|e| SourceError::from_open(path.to_path_buf(), e))?;
    if !meta.is_file() {
        return Err(SourceError::NotAFile { path: path.to_path_buf() });
    }
    let file = File::open(path).map_err(|e| SourceError::from_open(path.to_path_buf(), e))?;
    // The length of the opened file, not of the path's earlier metadata.
    let len = file.metadata().map_err(|e| SourceError::from_open(path.to_path_buf(), e))?.len();
    Ok((file, len))
}

/// The body of the `fmt ` chunk.
fn read_fmt(file: &mut File, fmt: ChunkSpan, file_len: u64, path: &Path) -> Result<Vec<u8>, SourceError> {
    let bad = |detail: String| SourceError::BadFmt { path: path.to_path_buf(), detail };
    if fmt.len < 16 {
        return Err(bad(format!("it is {} bytes long; a WAV format header needs at least 16", fmt.len)));
    }
    if fmt.len > MAX_FMT_BYTES {
        return Err(bad(format!("it is {} bytes long; a WAV format header is 16 to 40 bytes", fmt.len)));
    }
    if fmt.offset + u64::from(fmt.len) > file_len {
        return Err(SourceError::TruncatedHeader { path: path.to_path_buf(), len: file_len });
    }
    let mut body = vec![0; fmt.len as usize];
    file.seek(io::SeekFrom::Start(fmt.offset))
        .and_then(|_| file.read_exact(&mut body))
        .map_err(|source| SourceError::Io { path: path.to_path_buf(), source })?;
    Ok(body)
}

/// The format tag a `fmt ` body declares (WAVE_FORMAT_EXTENSIBLE resolved to its sub-format),
/// or `None` for an extensible header whose sub-format is not a WAVE format GUID.
fn effective_tag(fmt: &[u8]) -> Option<u16> {
    const EXTENSIBLE: u16 = 0xFFFE;
    /// Bytes 2..16 of every KSDATAFORMAT_SUBTYPE_* GUID derived from a WAVE format tag.
    const GUID_TAIL: [u8; 14] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    let tag = u16::from_le_bytes([fmt[0], fmt[1]]);
    if tag != EXTENSIBLE || fmt.len() < 40 {
        return Some(tag);
    }
    let guid = &fmt[24..40];
    (guid[2..] == GUID_TAIL).then(|| u16::from_le_bytes([guid[0], guid[1]]))
}

/// The name of a WAV format tag (mmreg.h).
fn codec_name(tag: u16) -> &'static str {
    match tag {
        0x0000 => "unknown format",
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0022 => "TrueSpeech",
        0x0031 => "GSM 6.10",
        0x0040 => "G.721 ADPCM",
        0x0050 => "MPEG audio",
        0x0055 => "MPEG Layer 3 (MP3)",
        0x0092 => "Dolby AC-3 over S/PDIF",
        0x00FF => "AAC",
        0x0160..=0x0163 => "Windows Media Audio",
        0x1610 => "MPEG-4 AAC (HE-AAC)",
        0x2000 => "Dolby AC-3",
        0x2001 => "DTS",
        0xF1AC => "FLAC",
        _ => "an unrecognised codec",
    }
}

/// Checks that the `fmt ` body states CD audio: PCM (tag 1 or extensible PCM), 44100 Hz, 16 bits
/// in 2-byte containers, 2 channels.
fn check_format(fmt: &[u8], path: &Path) -> Result<(), SourceError> {
    const PCM: u16 = 0x0001;
    const IEEE_FLOAT: u16 = 0x0003;
    let Some(tag) = effective_tag(fmt) else {
        let guid: Vec<String> = fmt[24..40].iter().map(|b| format!("{b:02X}")).collect();
        return Err(SourceError::Compressed {
            path: path.to_path_buf(),
            tag: 0xFFFE,
            codec: format!("WAVE_FORMAT_EXTENSIBLE with sub-format GUID {}", guid.join("")),
        });
    };
    if tag != PCM && tag != IEEE_FLOAT {
        return Err(SourceError::Compressed { path: path.to_path_buf(), tag, codec: codec_name(tag).into() });
    }
    let channels = u16::from_le_bytes([fmt[2], fmt[3]]);
    let rate = u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]);
    let byte_rate = u32::from_le_bytes([fmt[8], fmt[9], fmt[10], fmt[11]]);
    let block_align = u16::from_le_bytes([fmt[12], fmt[13]]);
    let bits = u16::from_le_bytes([fmt[14], fmt[15]]);

    let spec = hound_spec(fmt).map_err(|e| {
        let detail = match e {
            hound::Error::FormatError("inconsistent fmt chunk") => format!(
                "inconsistent: {byte_rate} bytes per second stated, but {block_align} bytes per frame at {rate} Hz \
                 make {}",
                u64::from(block_align) * u64::from(rate)
            ),
            hound::Error::FormatError(what) => format!(
                "{what} (format tag 0x{tag:04X}, {channels} channels, {rate} Hz, {bits} bits, {block_align} bytes per \
                 frame, fmt chunk of {} bytes)",
                fmt.len()
            ),
            other => other.to_string(),
        };
        SourceError::BadFmt { path: path.to_path_buf(), detail }
    })?;
    let found = PcmFormat {
        sample_rate: spec.sample_rate,
        bits_per_sample: spec.bits_per_sample,
        container_bytes: block_align / channels.max(1),
        channels: spec.channels,
        float: spec.sample_format == hound::SampleFormat::Float,
    };
    if !found.is_cd_audio() {
        return Err(SourceError::NotCdAudio { path: path.to_path_buf(), found });
    }
    Ok(())
}

/// hound's reading of a `fmt ` body, given as a minimal WAV (the chunk and an empty data chunk).
fn hound_spec(fmt: &[u8]) -> hound::Result<hound::WavSpec> {
    let pad = fmt.len() % 2;
    let mut wav = Vec::with_capacity(fmt.len() + 28);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&((4 + 8 + fmt.len() + pad + 8) as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    wav.extend_from_slice(fmt);
    wav.resize(wav.len() + pad, 0);
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&0u32.to_le_bytes());
    Ok(hound::WavReader::new(Cursor::new(wav))?.spec())
}
