//! READ DISC INFORMATION, standard disc information (MMC-5 6.22.3.1).
//!
//! ```text
//! byte 0-1  length of what follows      byte 8      disc type
//! byte 2    bit 4 erasable,             byte 9-11   MSBs of bytes 4-6
//!           bits 3-2 last session state byte 16-19  last session lead-in start
//!           bits 1-0 disc status        byte 20-23  last possible lead-out start
//! byte 3    first track on disc                     (MSF in bytes 17-19 / 21-23 on CD,
//! byte 4-6  sessions, first and last                 LBA on other media; FFFFFFFFh when
//!           track in last session (LSB)              not applicable)
//! ```

use cdr_sim::Msf;

use super::{be16, be32, need, MmcParseError};

const CMD: &str = "READ DISC INFORMATION";

/// Disc status (byte 2, bits 1-0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscStatus {
    /// 00b: empty (blank).
    Empty,
    /// 01b: incomplete (appendable).
    Incomplete,
    /// 10b: complete (finalized).
    Complete,
    /// 11b: others (random-access media).
    Other,
}

/// State of the last session (byte 2, bits 3-2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastSessionState {
    /// 00b: empty.
    Empty,
    /// 01b: incomplete.
    Incomplete,
    /// 10b: reserved / damaged.
    Damaged,
    /// 11b: complete.
    Complete,
}

/// The fields of standard disc information that read-back uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscInformation {
    /// The disc is erasable (CD-RW).
    pub erasable: bool,
    /// State of the last session.
    pub last_session_state: LastSessionState,
    /// Disc status.
    pub disc_status: DiscStatus,
    /// Number of the first track on the disc.
    pub first_track: u8,
    /// Number of sessions (an open session counts).
    pub sessions: u16,
    /// First track number in the last session.
    pub first_track_in_last_session: u16,
    /// Last track number in the last session (the invisible track while the session is open).
    pub last_track_in_last_session: u16,
    /// Disc type (0x00 CD-DA or CD-ROM, 0x10 CD-I, 0x20 CD-ROM XA).
    pub disc_type: u8,
    /// Start of the next session's lead-in, as an LBA; `None` when the drive reports none.
    pub last_session_lead_in: Option<i32>,
    /// Last possible start of the lead-out, as an LBA; `None` when the drive reports none.
    pub last_possible_lead_out: Option<i32>,
}

/// Parses standard disc information. `is_cd` selects MSF addresses (CD media) over LBAs.
pub fn parse_disc_information(data: &[u8], is_cd: bool) -> Result<DiscInformation, MmcParseError> {
    need(CMD, data, 24)?;
    let declared = usize::from(be16(data, 0)) + 2;
    if declared < 24 {
        return Err(MmcParseError::new(CMD, format!("length field says {declared} bytes, the layout needs 24")));
    }
    let data_type = data[2] >> 5;
    if data_type != 0 {
        return Err(MmcParseError::new(CMD, format!("data type {data_type}, expected 0 (standard disc information)")));
    }
    let address = |at: usize, name: &str| -> Result<Option<i32>, MmcParseError> {
        let raw = be32(data, at);
        if raw == 0xFFFF_FFFF {
            return Ok(None);
        }
        if !is_cd {
            return Ok(Some(raw as i32));
        }
        let (m, s, f) = (data[at + 1], data[at + 2], data[at + 3]);
        Msf::new(m, s, f)
            .map(|msf| Some(msf.to_lba()))
            .ok_or_else(|| MmcParseError::new(CMD, format!("{name} {m:02}:{s:02}:{f:02} is not an MSF address")))
    };
    Ok(DiscInformation {
        erasable: data[2] & 0x10 != 0,
        last_session_state: match (data[2] >> 2) & 3 {
            0 => LastSessionState::Empty,
            1 => LastSessionState::Incomplete,
            2 => LastSessionState::Damaged,
            _ => LastSessionState::Complete,
        },
        disc_status: match data[2] & 3 {
            0 => DiscStatus::Empty,
            1 => DiscStatus::Incomplete,
            2 => DiscStatus::Complete,
            _ => DiscStatus::Other,
        },
        first_track: data[3],
        sessions: u16::from_be_bytes([data[9], data[4]]),
        first_track_in_last_session: u16::from_be_bytes([data[10], data[5]]),
        last_track_in_last_session: u16::from_be_bytes([data[11], data[6]]),
        disc_type: data[8],
        last_session_lead_in: address(16, "last session lead-in")?,
        last_possible_lead_out: address(20, "last possible lead-out")?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Disc information as MMC lays it out, for a CD.
    pub(crate) fn cd_disc_info(
        status: u8,
        session_state: u8,
        erasable: bool,
        sessions: u8,
        first_last: (u8, u8),
    ) -> Vec<u8> {
        let mut d = vec![0u8; 34];
        d[0..2].copy_from_slice(&32u16.to_be_bytes());
        d[2] = (u8::from(erasable) << 4) | (session_state << 2) | status;
        d[3] = 1;
        d[4] = sessions;
        d[5] = first_last.0;
        d[6] = first_last.1;
        d[8] = 0x00;
        if status != 2 {
            // ATIP of a Taiyo Yuden 80-minute blank (spec section 5).
            d[16..20].copy_from_slice(&[0, 97, 24, 1]);
            d[20..24].copy_from_slice(&[0, 79, 59, 72]);
        } else {
            d[16..24].fill(0xFF);
        }
        d
    }

    #[test]
    fn a_blank_cd_r() {
        let info = parse_disc_information(&cd_disc_info(0, 0, false, 1, (1, 1)), true).unwrap();
        assert_eq!(
            info,
            DiscInformation {
                erasable: false,
                last_session_state: LastSessionState::Empty,
                disc_status: DiscStatus::Empty,
                first_track: 1,
                sessions: 1,
                first_track_in_last_session: 1,
                last_track_in_last_session: 1,
                disc_type: 0,
                last_session_lead_in: Some(-11_849),
                last_possible_lead_out: Some(359_847),
            }
        );
    }

    #[test]
    fn an_open_session_with_two_tracks_on_a_cd_rw() {
        let info = parse_disc_information(&cd_disc_info(1, 1, true, 1, (1, 3)), true).unwrap();
        assert!(info.erasable);
        assert_eq!(info.disc_status, DiscStatus::Incomplete);
        assert_eq!(info.last_session_state, LastSessionState::Incomplete);
        assert_eq!(info.last_track_in_last_session, 3, "the invisible track");
    }

    #[test]
    fn a_complete_disc_has_no_addresses() {
        let info = parse_disc_information(&cd_disc_info(2, 3, false, 1, (1, 12)), true).unwrap();
        assert_eq!(info.disc_status, DiscStatus::Complete);
        assert_eq!(info.last_session_state, LastSessionState::Complete);
        assert_eq!(info.last_possible_lead_out, None);
        assert_eq!(info.last_session_lead_in, None);
    }

    #[test]
    fn msbs_extend_counts() {
        let mut d = cd_disc_info(1, 1, false, 2, (0x10, 0x20));
        d[9] = 1;
        d[10] = 2;
        d[11] = 3;
        let info = parse_disc_information(&d, true).unwrap();
        assert_eq!(info.sessions, 0x0102);
        assert_eq!(info.first_track_in_last_session, 0x0210);
        assert_eq!(info.last_track_in_last_session, 0x0320);
    }

    #[test]
    fn non_cd_media_use_lbas() {
        let mut d = cd_disc_info(0, 0, false, 1, (1, 1));
        d[20..24].copy_from_slice(&2_295_104u32.to_be_bytes());
        assert_eq!(parse_disc_information(&d, false).unwrap().last_possible_lead_out, Some(2_295_104));
    }

    #[test]
    fn the_remaining_states() {
        let info = parse_disc_information(&cd_disc_info(3, 2, false, 1, (1, 1)), true).unwrap();
        assert_eq!(info.disc_status, DiscStatus::Other);
        assert_eq!(info.last_session_state, LastSessionState::Damaged);
    }

    #[test]
    fn bad_responses() {
        let d = cd_disc_info(0, 0, false, 1, (1, 1));
        assert!(parse_disc_information(&d[..23], true).is_err());
        let mut short_len = d.clone();
        short_len[0..2].copy_from_slice(&10u16.to_be_bytes());
        assert!(parse_disc_information(&short_len, true).unwrap_err().reason.contains("length field"));
        let mut other_type = d.clone();
        other_type[2] |= 0x20;
        assert!(parse_disc_information(&other_type, true).unwrap_err().reason.contains("data type 1"));
        let mut bad_msf = d;
        bad_msf[20..24].copy_from_slice(&[0, 79, 60, 0]);
        let e = parse_disc_information(&bad_msf, true).unwrap_err();
        assert_eq!(e.reason, "last possible lead-out 79:60:00 is not an MSF address");
    }
}
