//! Command descriptor blocks (10 bytes each) for the commands `read_back` sends.

/// GET CONFIGURATION.
pub const GET_CONFIGURATION: u8 = 0x46;
/// READ DISC INFORMATION.
pub const READ_DISC_INFORMATION: u8 = 0x51;
/// READ TRACK INFORMATION.
pub const READ_TRACK_INFORMATION: u8 = 0x52;
/// READ TOC/PMA/ATIP.
pub const READ_TOC_PMA_ATIP: u8 = 0x43;

/// Bytes of the GET CONFIGURATION header.
pub const CONFIGURATION_HEADER_BYTES: u16 = 8;
/// Bytes of standard disc information (MMC-5 6.22.3.1, without OPC tables).
pub const DISC_INFORMATION_BYTES: u16 = 34;
/// Bytes of track information requested (MMC-5 returns up to 48; MMC-3 drives 36).
pub const TRACK_INFORMATION_BYTES: u16 = 48;
/// Bytes of a full TOC: 4 + 8 × (99 tracks + lead-out).
pub const TOC_BYTES: u16 = 4 + 8 * 100;
/// Bytes of ATIP (4-byte header and 24 bytes of descriptor).
pub const ATIP_BYTES: u16 = 28;

/// READ TOC/PMA/ATIP format: the TOC (format 0000b).
pub const TOC_FORMAT_TOC: u8 = 0x0;
/// READ TOC/PMA/ATIP format: ATIP (format 0100b).
pub const TOC_FORMAT_ATIP: u8 = 0x4;

/// GET CONFIGURATION with RT = 10b (one feature), starting at feature 0, for the header only:
/// its bytes 6-7 are the current profile. (Starting feature: bytes 2-3; allocation: bytes 7-8.)
pub fn get_configuration_header() -> [u8; 10] {
    let l = CONFIGURATION_HEADER_BYTES.to_be_bytes();
    [GET_CONFIGURATION, 0x02, 0, 0, 0, 0, 0, l[0], l[1], 0]
}

/// READ DISC INFORMATION, data type 000b (standard disc information).
pub fn read_disc_information() -> [u8; 10] {
    let l = DISC_INFORMATION_BYTES.to_be_bytes();
    [READ_DISC_INFORMATION, 0, 0, 0, 0, 0, 0, l[0], l[1], 0]
}

/// READ TRACK INFORMATION of track `number` (address/number type 01b).
pub fn read_track_information(number: u32) -> [u8; 10] {
    let n = number.to_be_bytes();
    let l = TRACK_INFORMATION_BYTES.to_be_bytes();
    [READ_TRACK_INFORMATION, 0x01, n[0], n[1], n[2], n[3], 0, l[0], l[1], 0]
}

/// READ TOC/PMA/ATIP of `format` with LBA addresses (MSF bit clear), from track 1 (format 0);
/// ATIP ignores the track field. The format goes in byte 2 (MMC-2 and later).
pub fn read_toc(format: u8, alloc: u16) -> [u8; 10] {
    let track = if format == TOC_FORMAT_TOC { 1 } else { 0 };
    let l = alloc.to_be_bytes();
    [READ_TOC_PMA_ATIP, 0, format & 0x0F, 0, 0, 0, track, l[0], l[1], 0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_blocks_follow_mmc() {
        assert_eq!(get_configuration_header(), [0x46, 0x02, 0, 0, 0, 0, 0, 0, 8, 0]);
        assert_eq!(read_disc_information(), [0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0]);
        assert_eq!(read_track_information(3), [0x52, 0x01, 0, 0, 0, 3, 0, 0, 48, 0]);
        assert_eq!(read_toc(TOC_FORMAT_TOC, TOC_BYTES), [0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0]);
        assert_eq!(read_toc(TOC_FORMAT_ATIP, ATIP_BYTES), [0x43, 0, 4, 0, 0, 0, 0, 0, 28, 0]);
    }
}
