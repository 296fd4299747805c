//! READ TOC/PMA/ATIP formats 0 (the TOC) and 4 (ATIP), MMC-5 6.26.
//!
//! ```text
//! TOC (format 0)                          ATIP (format 4)
//! byte 0-1  length of what follows        byte 0-1   length of what follows
//! byte 2    first track                   byte 6     bit 6 disc type (1 = CD-RW),
//! byte 3    last track                               bits 5-3 disc sub-type
//! then 8 bytes a track, and the lead-out  byte 8-10  start of lead-in, M S F
//! (track 0xAA):                           byte 12-14 last possible start of lead-out,
//!   byte 1 ADR << 4 | CONTROL                        M S F
//!   byte 2 track number
//!   byte 4-7 start: LBA, or 0 M S F
//! ```
//!
//! The same TOC layout (with MSF addresses) is what `ExpectedTableOfContents` returns, so
//! [`parse_toc`] reads both.

use cdr_sim::{Atip, Msf};

use super::{be16, be32, need, MmcParseError};

const CMD_TOC: &str = "READ TOC";
const CMD_ATIP: &str = "READ ATIP";

/// The track number of the lead-out's TOC descriptor.
pub const LEAD_OUT_TRACK: u8 = 0xAA;

/// One TOC descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TocEntry {
    /// ADR (1: the Q channel encodes the current position).
    pub adr: u8,
    /// CONTROL (0: two-channel audio without pre-emphasis; bit 2: data track).
    pub control: u8,
    /// Track number; [`LEAD_OUT_TRACK`] for the lead-out.
    pub track: u8,
    /// Start address (index 01) as an LBA.
    pub start: i32,
}

/// A table of contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toc {
    /// The header's length field (bytes that follow it).
    pub length_field: u16,
    /// First track number.
    pub first_track: u8,
    /// Last track number.
    pub last_track: u8,
    /// The descriptors in order, the lead-out last.
    pub entries: Vec<TocEntry>,
}

impl Toc {
    /// The lead-out's start LBA, when the TOC has one.
    pub fn lead_out(&self) -> Option<i32> {
        self.entries.iter().find(|e| e.track == LEAD_OUT_TRACK).map(|e| e.start)
    }

    /// The start LBA (index 01) of track `number`.
    pub fn track_start(&self, number: u8) -> Option<i32> {
        self.entries.iter().find(|e| e.track == number).map(|e| e.start)
    }
}

/// Parses a format-0 TOC. `msf` says whether addresses are `0 M S F` (else LBAs).
///
/// The descriptors are read from the bytes present, not from the header's length field: the
/// shipped IMAPI2 DLL writes that field as 8N + 2 where MMC says 8N + 10 (spec section 2), and
/// the field is kept in [`Toc::length_field`] for comparison.
pub fn parse_toc(data: &[u8], msf: bool) -> Result<Toc, MmcParseError> {
    need(CMD_TOC, data, 4)?;
    let body = &data[4..];
    if body.len() % 8 != 0 {
        return Err(MmcParseError::new(CMD_TOC, format!("{} bytes of descriptors, not a multiple of 8", body.len())));
    }
    let entries = body
        .chunks_exact(8)
        .map(|d| {
            let start = if msf {
                Msf::new(d[5], d[6], d[7]).map(Msf::to_lba).ok_or_else(|| {
                    MmcParseError::new(
                        CMD_TOC,
                        format!("track {}: {:02}:{:02}:{:02} is not an MSF address", d[2], d[5], d[6], d[7]),
                    )
                })?
            } else {
                be32(d, 4) as i32
            };
            Ok(TocEntry { adr: d[1] >> 4, control: d[1] & 0x0F, track: d[2], start })
        })
        .collect::<Result<Vec<_>, MmcParseError>>()?;
    Ok(Toc { length_field: be16(data, 0), first_track: data[2], last_track: data[3], entries })
}

/// ATIP of a recordable CD, with the disc type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtipInfo {
    /// Lead-in start and last possible lead-out start.
    pub atip: Atip,
    /// Disc type bit: CD-RW (else CD-R).
    pub rewritable: bool,
    /// Disc sub-type (speed class).
    pub sub_type: u8,
}

/// Parses format-4 ATIP data (at least 15 bytes: header and the two addresses).
pub fn parse_atip(data: &[u8]) -> Result<AtipInfo, MmcParseError> {
    need(CMD_ATIP, data, 15)?;
    let declared = usize::from(be16(data, 0)) + 2;
    if declared < 15 {
        return Err(MmcParseError::new(CMD_ATIP, format!("length field says {declared} bytes: no ATIP descriptor")));
    }
    let msf = |at: usize, name: &str| {
        Msf::new(data[at], data[at + 1], data[at + 2]).ok_or_else(|| {
            MmcParseError::new(
                CMD_ATIP,
                format!("{name} {:02}:{:02}:{:02} is not an MSF address", data[at], data[at + 1], data[at + 2]),
            )
        })
    };
    Ok(AtipInfo {
        atip: Atip { lead_in: msf(8, "lead-in start")?, lead_out: msf(12, "last possible lead-out")? },
        rewritable: data[6] & 0x40 != 0,
        sub_type: (data[6] >> 3) & 0x07,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A TOC with LBA addresses: (track, start) pairs then the lead-out start.
    pub(crate) fn toc_lba(tracks: &[(u8, i32)], lead_out: i32) -> Vec<u8> {
        let n = tracks.len() as u16 + 1;
        let mut d = Vec::new();
        d.extend_from_slice(&(8 * n + 2).to_be_bytes());
        d.push(tracks.first().map_or(1, |t| t.0));
        d.push(tracks.last().map_or(1, |t| t.0));
        for &(track, start) in tracks.iter().chain(std::iter::once(&(LEAD_OUT_TRACK, lead_out))) {
            d.extend_from_slice(&[0, 0x10, track, 0]);
            d.extend_from_slice(&start.to_be_bytes());
        }
        d
    }

    /// ATIP as MMC lays it out.
    pub(crate) fn atip(lead_in: [u8; 3], lead_out: [u8; 3], rw: bool) -> Vec<u8> {
        let mut d = vec![0u8; 28];
        d[0..2].copy_from_slice(&26u16.to_be_bytes());
        d[4] = 0x80 | 0x50;
        d[6] = 0x80 | if rw { 0x40 } else { 0 } | (2 << 3);
        d[8..11].copy_from_slice(&lead_in);
        d[12..15].copy_from_slice(&lead_out);
        d
    }

    #[test]
    fn toc_in_lba_form() {
        let toc = parse_toc(&toc_lba(&[(1, 0), (2, 22_652)], 45_154), false).unwrap();
        assert_eq!((toc.first_track, toc.last_track), (1, 2));
        assert_eq!(toc.entries.len(), 3);
        assert_eq!(toc.entries[1], TocEntry { adr: 1, control: 0, track: 2, start: 22_652 });
        assert_eq!(toc.track_start(2), Some(22_652));
        assert_eq!(toc.lead_out(), Some(45_154));
        assert_eq!(toc.track_start(3), None);
    }

    #[test]
    fn expected_toc_in_msf_form_as_the_dll_writes_it() {
        // Spec section 2: one 22,500-sector track; header length 8N + 2 = 10; the track at
        // 00:02:00; lead-out at 0 + 22,500 + 2 (+150) = 22,652 frames = 05:02:02.
        let bytes = [0, 10, 1, 1, 0, 0x10, 1, 0, 0, 0, 2, 0, 0, 0x10, 0xAA, 0, 0, 5, 2, 2];
        let toc = parse_toc(&bytes, true).unwrap();
        assert_eq!(toc.length_field, 10);
        assert_eq!(toc.track_start(1), Some(0));
        assert_eq!(toc.lead_out(), Some(22_502));
    }

    #[test]
    fn bad_tocs() {
        assert!(parse_toc(&[0, 2, 1], false).is_err());
        assert!(parse_toc(&[0, 2, 1, 1, 0, 0x10], false).unwrap_err().reason.contains("multiple of 8"));
        let bad_msf = [0, 10, 1, 1, 0, 0x10, 1, 0, 0, 0, 60, 0];
        assert!(parse_toc(&bad_msf, true).unwrap_err().reason.contains("00:60:00"));
    }

    #[test]
    fn atip_of_a_taiyo_yuden_80_minute_cd_r() {
        let a = parse_atip(&atip([97, 24, 1], [79, 59, 72], false)).unwrap();
        assert_eq!(a.atip.lead_in, "97:24:01".parse().unwrap());
        assert_eq!(a.atip.lead_out, "79:59:72".parse().unwrap());
        assert_eq!(a.atip.lead_out.to_lba(), 359_847);
        assert!(!a.rewritable);
        assert_eq!(a.sub_type, 2);
    }

    #[test]
    fn atip_of_a_cd_rw() {
        let a = parse_atip(&atip([97, 46, 0], [79, 59, 74], true)).unwrap();
        assert!(a.rewritable);
    }

    #[test]
    fn bad_atip() {
        let good = atip([97, 24, 1], [79, 59, 72], false);
        assert!(parse_atip(&good[..14]).is_err());
        let mut no_descriptor = good.clone();
        no_descriptor[0..2].copy_from_slice(&2u16.to_be_bytes());
        assert!(parse_atip(&no_descriptor).unwrap_err().reason.contains("no ATIP descriptor"));
        let mut bad = good;
        bad[13] = 75;
        assert!(parse_atip(&bad).unwrap_err().reason.contains("last possible lead-out"));
    }
}
