//! WAV files for tests of WAV handling.
//!
//! [`fmt16`], [`fmt_extensible`], [`chunk`] and [`riff`] build a file byte by byte: unlike a WAV
//! writer they build any file, malformed ones included (a wrong format tag, an odd chunk, a RIFF
//! size that lies). [`hound_wav`] is the whole file a WAV writer makes, in any sample format.

/// A `fmt ` body of 16 bytes (WAVEFORMAT and wBitsPerSample): format tag, channels, sample
/// rate, bits per sample; the block align and byte rate follow from them.
pub fn fmt16(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let block = channels * bits.div_ceil(8);
    let mut v = Vec::new();
    v.extend_from_slice(&tag.to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    v.extend_from_slice(&block.to_le_bytes());
    v.extend_from_slice(&bits.to_le_bytes());
    v
}

/// A WAVE_FORMAT_EXTENSIBLE `fmt ` body (40 bytes) whose sub-format GUID is the standard one
/// for the format tag `sub_tag` (1 for PCM, 3 for IEEE float).
pub fn fmt_extensible(sub_tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let mut v = fmt16(0xFFFE, channels, rate, bits);
    v.extend_from_slice(&22u16.to_le_bytes());
    v.extend_from_slice(&bits.to_le_bytes());
    v.extend_from_slice(&3u32.to_le_bytes());
    v.extend_from_slice(&sub_tag.to_le_bytes());
    v.extend_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]);
    v
}

/// A RIFF chunk: id, little-endian size, body, and the pad byte an odd body takes.
pub fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend_from_slice(body);
    if body.len() % 2 == 1 {
        v.push(0);
    }
    v
}

/// A `RIFF`/`WAVE` file holding `chunks` in order, with the RIFF size they add up to.
pub fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body = chunks.concat();
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
    v.extend_from_slice(b"WAVE");
    v.extend_from_slice(&body);
    v
}

/// A whole WAV file as hound writes it: `frames` frames of a ramp (sample `i` is `i` in the
/// sample type; `i * 100` at 24 and 32 bits, `i / 1000` as float), in any format hound writes,
/// CD audio or not.
pub fn hound_wav(channels: u16, sample_rate: u32, bits: u16, float: bool, frames: u32) -> Vec<u8> {
    let sample_format = if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int };
    let spec = hound::WavSpec { channels, sample_rate, bits_per_sample: bits, sample_format };
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut out, spec).expect("hound writes to memory");
    for i in 0..(i32::from(channels) * frames as i32) {
        match (float, bits) {
            (true, _) => w.write_sample(i as f32 / 1000.0),
            (false, 8) => w.write_sample(i as i8),
            (false, 16) => w.write_sample(i as i16),
            (false, _) => w.write_sample(i * 100),
        }
        .expect("hound writes the sample");
    }
    w.finalize().expect("hound finishes the file");
    out.into_inner()
}
