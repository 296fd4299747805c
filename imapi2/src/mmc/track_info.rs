//! READ TRACK INFORMATION (MMC-5 6.27.3).
//!
//! ```text
//! byte 0-1  length of what follows     byte 8-11   track start address (LBA)
//! byte 2    track number (LSB)         byte 12-15  next writable address
//! byte 3    session number (LSB)       byte 16-19  free blocks
//! byte 5    bit 5 damage,              byte 24-27  track size
//!           bits 3-0 track mode
//! byte 6    bit 6 blank, bits 3-0      byte 28-31  last recorded address
//!           data mode                  byte 32/33  MSBs of track / session number
//! byte 7    bit 1 LRA_V, bit 0 NWA_V
//! ```

use super::{be16, be32, need, MmcParseError};

const CMD: &str = "READ TRACK INFORMATION";

/// The fields of track information that read-back uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrackInformation {
    /// Track number.
    pub number: u16,
    /// Session the track belongs to.
    pub session: u16,
    /// Track mode (CONTROL nibble: 0 for audio without pre-emphasis, 4 for data).
    pub track_mode: u8,
    /// The track holds no data yet (the invisible track of a blank or open session).
    pub blank: bool,
    /// The Damage bit: the track's write was interrupted.
    pub damage: bool,
    /// Start LBA of the track.
    pub start: i32,
    /// Next writable address, when valid (NWA_V).
    pub next_writable_address: Option<i32>,
    /// Free blocks in the track.
    pub free_blocks: u32,
    /// Track size in blocks.
    pub size: u32,
}

/// Parses track information (at least the 28 bytes up to the track size).
pub fn parse_track_information(data: &[u8]) -> Result<TrackInformation, MmcParseError> {
    need(CMD, data, 28)?;
    let declared = usize::from(be16(data, 0)) + 2;
    if declared < 28 {
        return Err(MmcParseError::new(CMD, format!("length field says {declared} bytes, the layout needs 28")));
    }
    let available = declared.min(data.len());
    let (track_msb, session_msb) = if available >= 34 { (data[32], data[33]) } else { (0, 0) };
    Ok(TrackInformation {
        number: u16::from_be_bytes([track_msb, data[2]]),
        session: u16::from_be_bytes([session_msb, data[3]]),
        track_mode: data[5] & 0x0F,
        blank: data[6] & 0x40 != 0,
        damage: data[5] & 0x20 != 0,
        start: be32(data, 8) as i32,
        next_writable_address: (data[7] & 0x01 != 0).then(|| be32(data, 12) as i32),
        free_blocks: be32(data, 16),
        size: be32(data, 24),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Track information as MMC lays it out (36 bytes, as an MMC-3 drive returns it).
    pub(crate) fn track_info(number: u8, session: u8, start: i32, size: u32, nwa: Option<i32>, free: u32) -> Vec<u8> {
        let mut d = vec![0u8; 36];
        d[0..2].copy_from_slice(&34u16.to_be_bytes());
        d[2] = number;
        d[3] = session;
        d[5] = 0x00; // audio, 2 channels, no pre-emphasis
        d[6] = if nwa.is_some() && size == 0 { 0x40 } else { 0 };
        d[7] = u8::from(nwa.is_some());
        d[8..12].copy_from_slice(&start.to_be_bytes());
        d[12..16].copy_from_slice(&nwa.unwrap_or(0).to_be_bytes());
        d[16..20].copy_from_slice(&free.to_be_bytes());
        d[24..28].copy_from_slice(&size.to_be_bytes());
        d
    }

    #[test]
    fn a_closed_audio_track() {
        let t = parse_track_information(&track_info(2, 1, 22_652, 22_500, None, 0)).unwrap();
        assert_eq!(
            t,
            TrackInformation {
                number: 2,
                session: 1,
                track_mode: 0,
                blank: false,
                damage: false,
                start: 22_652,
                next_writable_address: None,
                free_blocks: 0,
                size: 22_500,
            }
        );
    }

    #[test]
    fn the_invisible_track_of_a_blank_disc() {
        let t = parse_track_information(&track_info(1, 1, 0, 0, Some(0), 359_845)).unwrap();
        assert!(t.blank);
        assert_eq!(t.next_writable_address, Some(0));
        assert_eq!(t.free_blocks, 359_845);
    }

    #[test]
    fn msbs_count_only_when_present() {
        let mut d = track_info(5, 1, 0, 300, None, 0);
        d[32] = 1;
        d[33] = 2;
        let t = parse_track_information(&d).unwrap();
        assert_eq!((t.number, t.session), (0x0105, 0x0201));
        // A 28-byte response has no MSBs.
        let mut short = d[..28].to_vec();
        short[0..2].copy_from_slice(&26u16.to_be_bytes());
        let t = parse_track_information(&short).unwrap();
        assert_eq!((t.number, t.session), (5, 1));
    }

    #[test]
    fn bad_responses() {
        let d = track_info(1, 1, 0, 300, None, 0);
        assert!(parse_track_information(&d[..27]).is_err());
        let mut short_len = d;
        short_len[0..2].copy_from_slice(&8u16.to_be_bytes());
        assert!(parse_track_information(&short_len).unwrap_err().reason.contains("length field"));
    }
}
