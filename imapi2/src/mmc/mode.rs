//! MODE SENSE (10) of page 2Ah, the CD/DVD capabilities and mechanical status page (MMC-3
//! 6.3.11): what the drive can read and write, buffer-underrun protection, buffer size and
//! write speed.
//!
//! ```text
//! byte 0-7   mode parameter header (10): mode data length, no block descriptors
//! page byte 0   page code 2Ah           page byte 4   bit 7 BUF (underrun-free recording)
//! page byte 1   page length (20)        page byte 6   bit 3 eject, bits 7-5 loading mechanism
//! page byte 2   bit 1 CD-RW read,       page byte 12-13  buffer size, KB
//!               bit 0 CD-R read         page byte 18-19  maximum write speed, kB/s
//! page byte 3   bit 1 CD-RW write,      page byte 20-21  current write speed, kB/s
//!               bit 0 CD-R write
//! ```

use super::{be16, need, MmcParseError};

const CMD: &str = "MODE SENSE page 2Ah";

/// The MODE SENSE (10) operation code.
pub const MODE_SENSE_10: u8 = 0x5A;
/// The CD/DVD capabilities and mechanical status page.
pub const CAPABILITIES_PAGE: u8 = 0x2A;
/// The page's length field (bytes that follow it), as an MMC-2 drive reports it.
const PAGE_LENGTH: u8 = 20;
/// 1x CD speed in kB/s (75 sectors of 2352 bytes a second, in 1000-byte units, rounded).
pub const CD_1X_KBPS: u32 = 176;

/// The fields of page 2Ah the simulator reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// Reads CD-R.
    pub reads_cd_r: bool,
    /// Reads CD-RW.
    pub reads_cd_rw: bool,
    /// Writes CD-R.
    pub writes_cd_r: bool,
    /// Writes CD-RW.
    pub writes_cd_rw: bool,
    /// Buffer-underrun-free recording (BUF).
    pub buffer_underrun_free: bool,
    /// The tray can be ejected by software.
    pub eject: bool,
    /// Loading mechanism (1: tray).
    pub loading_mechanism: u8,
    /// Buffer size in KB.
    pub buffer_kb: u16,
    /// Maximum write speed in kB/s.
    pub max_write_kbps: u16,
    /// Current write speed in kB/s.
    pub current_write_kbps: u16,
}

/// The MODE SENSE (10) response: header and page 2Ah.
pub fn encode_capabilities(c: &Capabilities) -> Vec<u8> {
    let mut d = vec![0u8; 8 + 2 + usize::from(PAGE_LENGTH)];
    let data_length = (d.len() - 2) as u16;
    d[0..2].copy_from_slice(&data_length.to_be_bytes());
    let p = &mut d[8..];
    p[0] = CAPABILITIES_PAGE;
    p[1] = PAGE_LENGTH;
    p[2] = u8::from(c.reads_cd_r) | (u8::from(c.reads_cd_rw) << 1);
    p[3] = u8::from(c.writes_cd_r) | (u8::from(c.writes_cd_rw) << 1);
    p[4] = u8::from(c.buffer_underrun_free) << 7;
    p[6] = (c.loading_mechanism << 5) | (u8::from(c.eject) << 3);
    p[12..14].copy_from_slice(&c.buffer_kb.to_be_bytes());
    p[18..20].copy_from_slice(&c.max_write_kbps.to_be_bytes());
    p[20..22].copy_from_slice(&c.current_write_kbps.to_be_bytes());
    d
}

/// Parses a MODE SENSE (10) response holding page 2Ah (after any block descriptors).
pub fn parse_capabilities(data: &[u8]) -> Result<Capabilities, MmcParseError> {
    need(CMD, data, 8)?;
    let start = 8 + usize::from(be16(data, 6));
    need(CMD, data, start + 22)?;
    let p = &data[start..];
    if p[0] & 0x3F != CAPABILITIES_PAGE {
        return Err(MmcParseError::new(CMD, format!("page {:02X}h, expected 2Ah", p[0] & 0x3F)));
    }
    if p[1] < PAGE_LENGTH {
        return Err(MmcParseError::new(CMD, format!("page length {}, the layout needs {PAGE_LENGTH}", p[1])));
    }
    Ok(Capabilities {
        reads_cd_r: p[2] & 1 != 0,
        reads_cd_rw: p[2] & 2 != 0,
        writes_cd_r: p[3] & 1 != 0,
        writes_cd_rw: p[3] & 2 != 0,
        buffer_underrun_free: p[4] & 0x80 != 0,
        eject: p[6] & 0x08 != 0,
        loading_mechanism: p[6] >> 5,
        buffer_kb: be16(p, 12),
        max_write_kbps: be16(p, 18),
        current_write_kbps: be16(p, 20),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_survives_encoding() {
        let c = Capabilities {
            reads_cd_r: true,
            reads_cd_rw: true,
            writes_cd_r: true,
            writes_cd_rw: false,
            buffer_underrun_free: true,
            eject: true,
            loading_mechanism: 1,
            buffer_kb: 2048,
            max_write_kbps: 48 * CD_1X_KBPS as u16,
            current_write_kbps: 16 * CD_1X_KBPS as u16,
        };
        let bytes = encode_capabilities(&c);
        assert_eq!(bytes[8], 0x2A);
        assert_eq!(bytes[11] & 3, 1, "writes CD-R, not CD-RW");
        assert_eq!(parse_capabilities(&bytes), Ok(c));
        let mut other = bytes.clone();
        other[8] = 0x05;
        assert!(parse_capabilities(&other).unwrap_err().reason.contains("page 05h"));
        assert!(parse_capabilities(&bytes[..20]).is_err());
    }
}
