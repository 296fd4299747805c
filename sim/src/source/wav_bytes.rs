//! WAV files built byte by byte, for tests of WAV handling: unlike a WAV writer these build any
//! file, malformed ones included (a wrong format tag, an odd chunk, a RIFF size that lies).

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
