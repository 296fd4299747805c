//! The responses of [`crate::mmc`]'s commands in MMC's byte layout: what a drive sends back.
//! The simulator's COM server (`cdr-comserver`) answers `IDiscRecorder2Ex`'s pass-through with
//! these, and the backend's parsers read them, so encoding and decoding live side by side and
//! the tests check that one undoes the other.

use cdr_sim::Msf;

use super::disc_info::{DiscInformation, DiscStatus, LastSessionState};
use super::toc::{AtipInfo, Toc};
use super::track_info::TrackInformation;

/// GET CONFIGURATION: the feature header with `current_profile` (0: no disc), then the Profile
/// List feature (0000h) listing `profiles`, the current one flagged.
pub fn configuration(current_profile: u16, profiles: &[u16]) -> Vec<u8> {
    let mut d = vec![0u8; 8];
    d[6..8].copy_from_slice(&current_profile.to_be_bytes());
    // Feature 0000h, version 0, persistent and current, 4 bytes a profile.
    d.extend_from_slice(&[0x00, 0x00, 0x03, (4 * profiles.len()).min(252) as u8]);
    for &p in profiles.iter().take(63) {
        d.extend_from_slice(&p.to_be_bytes());
        d.extend_from_slice(&[u8::from(p == current_profile), 0]);
    }
    let length = (d.len() - 4) as u32;
    d[0..4].copy_from_slice(&length.to_be_bytes());
    d
}

/// A CD address field: `0 M S F` on CD media, else the LBA; FFFFFFFFh for none.
fn address(value: Option<i32>, is_cd: bool) -> [u8; 4] {
    match value {
        None => [0xFF; 4],
        Some(lba) if is_cd => {
            let m = Msf::from_lba(lba);
            [0, m.m, m.s, m.f]
        }
        Some(lba) => lba.to_be_bytes(),
    }
}

/// READ DISC INFORMATION: standard disc information (34 bytes).
pub fn disc_information(info: &DiscInformation, is_cd: bool) -> Vec<u8> {
    let mut d = vec![0u8; 34];
    d[0..2].copy_from_slice(&32u16.to_be_bytes());
    let state = match info.last_session_state {
        LastSessionState::Empty => 0,
        LastSessionState::Incomplete => 1,
        LastSessionState::Damaged => 2,
        LastSessionState::Complete => 3,
    };
    let status = match info.disc_status {
        DiscStatus::Empty => 0,
        DiscStatus::Incomplete => 1,
        DiscStatus::Complete => 2,
        DiscStatus::Other => 3,
    };
    d[2] = (u8::from(info.erasable) << 4) | (state << 2) | status;
    d[3] = info.first_track;
    let [s_hi, s_lo] = info.sessions.to_be_bytes();
    let [f_hi, f_lo] = info.first_track_in_last_session.to_be_bytes();
    let [l_hi, l_lo] = info.last_track_in_last_session.to_be_bytes();
    (d[4], d[5], d[6]) = (s_lo, f_lo, l_lo);
    d[8] = info.disc_type;
    (d[9], d[10], d[11]) = (s_hi, f_hi, l_hi);
    d[16..20].copy_from_slice(&address(info.last_session_lead_in, is_cd));
    d[20..24].copy_from_slice(&address(info.last_possible_lead_out, is_cd));
    d
}

/// READ TRACK INFORMATION (36 bytes, with the MSBs of track and session number).
pub fn track_information(t: &TrackInformation) -> Vec<u8> {
    let mut d = vec![0u8; 36];
    d[0..2].copy_from_slice(&34u16.to_be_bytes());
    let [n_hi, n_lo] = t.number.to_be_bytes();
    let [s_hi, s_lo] = t.session.to_be_bytes();
    (d[2], d[3], d[32], d[33]) = (n_lo, s_lo, n_hi, s_hi);
    d[5] = (u8::from(t.damage) << 5) | (t.track_mode & 0x0F);
    d[6] = u8::from(t.blank) << 6;
    d[7] = u8::from(t.next_writable_address.is_some());
    d[8..12].copy_from_slice(&t.start.to_be_bytes());
    d[12..16].copy_from_slice(&t.next_writable_address.unwrap_or(0).to_be_bytes());
    d[16..20].copy_from_slice(&t.free_blocks.to_be_bytes());
    d[24..28].copy_from_slice(&t.size.to_be_bytes());
    d
}

/// READ TOC format 0: the header and a descriptor per entry, addresses as `0 M S F` (`msf`) or
/// LBAs. The length field is MMC's, 8N + 2.
pub fn toc(toc: &Toc, msf: bool) -> Vec<u8> {
    let mut d = Vec::with_capacity(4 + 8 * toc.entries.len());
    d.extend_from_slice(&(8 * toc.entries.len() as u16 + 2).to_be_bytes());
    d.extend_from_slice(&[toc.first_track, toc.last_track]);
    for e in &toc.entries {
        d.extend_from_slice(&[0, (e.adr << 4) | (e.control & 0x0F), e.track, 0]);
        d.extend_from_slice(&address(Some(e.start), msf));
    }
    d
}

/// READ TOC format 4: ATIP (28 bytes).
pub fn atip(a: &AtipInfo) -> Vec<u8> {
    let mut d = vec![0u8; 28];
    d[0..2].copy_from_slice(&26u16.to_be_bytes());
    d[6] = 0x80 | (u8::from(a.rewritable) << 6) | ((a.sub_type & 7) << 3);
    let (li, lo) = (a.atip.lead_in, a.atip.lead_out);
    d[8..11].copy_from_slice(&[li.m, li.s, li.f]);
    d[12..15].copy_from_slice(&[lo.m, lo.s, lo.f]);
    d
}

/// Fixed-format sense data (18 bytes) for CHECK CONDITION with `key`, `asc`, `ascq`.
pub fn sense(key: u8, asc: u8, ascq: u8) -> [u8; 18] {
    let mut d = [0u8; 18];
    d[0] = 0x70;
    d[2] = key & 0x0F;
    d[7] = 10;
    d[12] = asc;
    d[13] = ascq;
    d
}
