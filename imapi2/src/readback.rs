//! The disc as the drive reports it, assembled from MMC responses into the contract's
//! [`DiscReadBack`].
//!
//! The Windows code sends GET CONFIGURATION, READ DISC INFORMATION, READ TOC/PMA/ATIP (ATIP and
//! TOC) and READ TRACK INFORMATION for each track, parses them with [`crate::mmc`], and hands the
//! results to [`assemble_read_back`]. The rules, all checked by the tests below:
//!
//! - No disc (current profile 0): an empty tray.
//! - While the last session is open, its last track is the invisible track: it is not listed,
//!   and its next writable address and free blocks are the disc's.
//! - An appendable disc whose last session is closed reports, as MMC defines it, disc status
//!   01b (incomplete) with the next session as the last one: state 00b (empty), counted in the
//!   number of sessions, its first and last track the invisible track, whose next writable
//!   address and free blocks are the disc's. The read-back names the closed session as the
//!   last (state complete, that many sessions), as the simulator does.
//! - A track's start is its TOC start (index 01) when the TOC has it, else READ TRACK
//!   INFORMATION's start; its length is READ TRACK INFORMATION's track size.
//! - Pregap: 150 sectors for the first track of a session (the mandatory 2 s pregap, MMC); for a
//!   later track, the distance from the end of the previous track (its READ TRACK INFORMATION
//!   start + size) to this track's start. Whether a drive counts run-out blocks in the size
//!   shows up here, and in the compare report, as a calibration difference. MMC has no field
//!   that splits that distance into pause and run-out on a CD (a track is one extent, start and
//!   size; the last recorded address is not reported for CD media), so a drive that leaves
//!   run-out blocks outside the track size reads back pause + run-out as the pregap.
//! - `data_bytes` is the track size × 2352 and `digest` is `None`: the real backend cannot know
//!   what bytes the drive received, and reading audio back is not cheap (nor exact: CD-DA reads
//!   are not sample-accurate on every drive).
//! - The last possible lead-out comes from READ DISC INFORMATION, else ATIP, else (a closed disc
//!   without ATIP) the TOC's lead-out.

use cdr_sim::{DiscReadBack, DiscState, MediaReadBack, PhysicalMediaType, SessionState, TrackReadBack, SECTOR_BYTES};

use crate::convert::media_type_of_profile;
use crate::mmc::disc_info::{DiscInformation, DiscStatus, LastSessionState};
use crate::mmc::toc::{AtipInfo, Toc, TocEntry, LEAD_OUT_TRACK};
use crate::mmc::track_info::TrackInformation;
use crate::mmc::MmcParseError;

const WHAT: &str = "read-back";

/// The mandatory pregap of the first track in a session, in sectors.
pub const FIRST_TRACK_PREGAP: u32 = 150;

/// The lead-in of a session after the first, in sectors (one minute, Orange Book): a closed
/// session's next session has its lead-in this far, plus the first pregap, before its NWA.
pub const LATER_SESSION_LEAD_IN: u32 = 4_500;

/// What the drive answered, command by command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DriveAnswers {
    /// GET CONFIGURATION's current profile (0: no disc).
    pub current_profile: u16,
    /// READ DISC INFORMATION (`None` when there is no disc).
    pub disc: Option<DiscInformation>,
    /// READ ATIP (`None` for discs without ATIP, or when the drive refused the command).
    pub atip: Option<AtipInfo>,
    /// READ TOC format 0 in LBA form (`None` on a blank disc, or when the drive refused).
    pub toc: Option<Toc>,
    /// READ TRACK INFORMATION of every track from the disc's first track to the last track in
    /// the last session (the invisible track included while the session is open), in order.
    pub tracks: Vec<TrackInformation>,
}

/// The track numbers whose READ TRACK INFORMATION [`assemble_read_back`] needs.
pub fn tracks_to_read(disc: &DiscInformation) -> std::ops::RangeInclusive<u16> {
    u16::from(disc.first_track)..=disc.last_track_in_last_session
}

/// Builds the contract's read-back from the drive's answers.
pub fn assemble_read_back(answers: &DriveAnswers) -> Result<DiscReadBack, MmcParseError> {
    if answers.current_profile == 0 {
        return Ok(DiscReadBack { media: None });
    }
    let media_type = media_type_of_profile(i32::from(answers.current_profile)).unwrap_or(PhysicalMediaType::Unknown);
    let disc = answers
        .disc
        .as_ref()
        .ok_or_else(|| MmcParseError::new(WHAT, "a disc is present but READ DISC INFORMATION gave nothing"))?;
    let status = match disc.disc_status {
        DiscStatus::Empty => DiscState::Blank,
        DiscStatus::Incomplete => DiscState::Appendable,
        DiscStatus::Complete => DiscState::Complete,
        DiscStatus::Other => {
            return Err(MmcParseError::new(WHAT, "disc status 3 (random-access media) has no track-at-once layout"))
        }
    };
    let last_session_state = match disc.last_session_state {
        LastSessionState::Empty => SessionState::Empty,
        LastSessionState::Incomplete => SessionState::Incomplete,
        LastSessionState::Complete => SessionState::Complete,
        LastSessionState::Damaged => {
            return Err(MmcParseError::new(WHAT, "the last session is damaged (session state 2)"));
        }
    };
    // The last session MMC reports is open or empty: its last track is the invisible one.
    let open = status != DiscState::Complete && last_session_state != SessionState::Complete;
    // An appendable disc whose last session MMC reports empty, after others: the session
    // before it is closed, and that is the last session of the read-back.
    let next_session_empty = status == DiscState::Appendable && last_session_state == SessionState::Empty;
    let (last_session_state, sessions) = if next_session_empty && disc.sessions > 1 {
        (SessionState::Complete, disc.sessions - 1)
    } else {
        (last_session_state, disc.sessions)
    };
    let expected: Vec<u16> = tracks_to_read(disc).collect();
    let numbers: Vec<u16> = answers.tracks.iter().map(|t| t.number).collect();
    if numbers != expected {
        return Err(MmcParseError::new(
            WHAT,
            format!("READ TRACK INFORMATION answered for tracks {numbers:?}, expected {expected:?}"),
        ));
    }
    let (closed, invisible) = match (open, answers.tracks.split_last()) {
        (true, Some((last, rest))) => (rest, Some(last)),
        (true, None) => return Err(MmcParseError::new(WHAT, "an open session without an invisible track")),
        (false, _) => (answers.tracks.as_slice(), None),
    };
    let mut tracks = Vec::with_capacity(closed.len());
    let mut previous: Option<&TrackInformation> = None;
    for t in closed {
        let start = u8::try_from(t.number).ok().and_then(|n| answers.toc.as_ref()?.track_start(n)).unwrap_or(t.start);
        let pregap = match previous {
            Some(p) if p.session == t.session => {
                let gap = i64::from(start) - (i64::from(p.start) + i64::from(p.size));
                u32::try_from(gap).map_err(|_| {
                    MmcParseError::new(
                        WHAT,
                        format!("track {} starts at {start}, before track {} ends", t.number, p.number),
                    )
                })?
            }
            _ => FIRST_TRACK_PREGAP,
        };
        tracks.push(TrackReadBack {
            number: u32::from(t.number),
            session: u32::from(t.session),
            start,
            sectors: t.size,
            pregap,
            data_bytes: u64::from(t.size) * SECTOR_BYTES as u64,
            digest: None,
            damaged: t.damage,
        });
        previous = Some(t);
    }
    let any_session_closed =
        status == DiscState::Complete || last_session_state == SessionState::Complete || sessions > 1;
    let lead_out = if any_session_closed { answers.toc.as_ref().and_then(Toc::lead_out) } else { None };
    let last_possible_lead_out = disc
        .last_possible_lead_out
        .or_else(|| answers.atip.map(|a| a.atip.lead_out.to_lba()))
        .or(lead_out)
        .ok_or_else(|| MmcParseError::new(WHAT, "no last possible lead-out: neither disc information, ATIP nor TOC"))?;
    Ok(DiscReadBack {
        media: Some(MediaReadBack {
            media_type,
            atip: answers.atip.map(|a| a.atip),
            status,
            last_session_state,
            sessions: u32::from(sessions),
            first_track: u32::from(disc.first_track),
            tracks,
            lead_out,
            last_possible_lead_out,
            next_writable_address: invisible.and_then(|t| t.next_writable_address),
            free_blocks: invisible.map_or(0, |t| t.free_blocks),
        }),
    })
}

/// What a drive answers for the disc `read_back` describes: the inverse of
/// [`assemble_read_back`], used by the simulator's COM server to answer the MMC commands of
/// `IDiscRecorder2Ex` from the simulated disc. Digests are not part of MMC and are dropped.
pub fn drive_answers(read_back: &DiscReadBack) -> DriveAnswers {
    let Some(m) = &read_back.media else { return DriveAnswers::default() };
    let current_profile = m.media_type.mmc_profile().and_then(|p| u16::try_from(p).ok()).unwrap_or(0);
    let erasable = m.media_type == PhysicalMediaType::CdRw;
    let complete = m.status == DiscState::Complete;
    // Room after a closed session: MMC reports the next session, empty, as the last one.
    let next_session = !complete && m.last_session_state == SessionState::Complete;
    // Every disc that is not complete has an invisible track (blank, open or next session).
    let invisible = !complete;
    let last_session = u16::try_from(m.sessions.max(1) + u32::from(next_session)).unwrap_or(u16::MAX);
    let closed_last = m.tracks.last().map(|t| t.number as u16);
    let first_in_last = m
        .tracks
        .iter()
        .find(|t| t.session == u32::from(last_session))
        .map_or_else(|| closed_last.map_or(m.first_track as u16, |n| n + 1), |t| t.number as u16);
    let last_in_last = match (invisible, closed_last) {
        (true, Some(n)) => n + 1,
        (true, None) => m.first_track as u16,
        (false, n) => n.unwrap_or(m.first_track as u16),
    };
    // The next session's lead-in lies before its first pregap and its NWA.
    let next_lead_in =
        m.next_writable_address.map(|nwa| nwa.saturating_sub((LATER_SESSION_LEAD_IN + FIRST_TRACK_PREGAP) as i32));
    let disc = DiscInformation {
        erasable,
        last_session_state: match m.last_session_state {
            _ if next_session => LastSessionState::Empty,
            SessionState::Empty => LastSessionState::Empty,
            SessionState::Incomplete => LastSessionState::Incomplete,
            SessionState::Complete => LastSessionState::Complete,
        },
        disc_status: match m.status {
            DiscState::Blank => DiscStatus::Empty,
            DiscState::Appendable => DiscStatus::Incomplete,
            DiscState::Complete => DiscStatus::Complete,
        },
        first_track: u8::try_from(m.first_track).unwrap_or(1),
        sessions: last_session,
        first_track_in_last_session: first_in_last,
        last_track_in_last_session: last_in_last,
        disc_type: 0,
        // MMC: FFFFFFFFh on a complete disc (read-back then takes ATIP's); the first session's
        // lead-in is ATIP's, a later one's lies before its first track.
        last_session_lead_in: match (complete, next_session) {
            (true, _) => None,
            (false, true) => next_lead_in,
            (false, false) => m.atip.map(|a| a.lead_in.to_lba()),
        },
        last_possible_lead_out: if complete { None } else { Some(m.last_possible_lead_out) },
    };
    let atip = m.atip.map(|atip| AtipInfo { atip, rewritable: erasable, sub_type: 0 });
    let mut entries: Vec<TocEntry> =
        m.tracks.iter().map(|t| TocEntry { adr: 1, control: 0, track: t.number as u8, start: t.start }).collect();
    if let Some(lead_out) = m.lead_out {
        entries.push(TocEntry { adr: 1, control: 0, track: LEAD_OUT_TRACK, start: lead_out });
    }
    let toc = (!m.tracks.is_empty()).then(|| Toc {
        length_field: 8 * entries.len() as u16 + 2,
        first_track: m.tracks.first().map_or(1, |t| t.number as u8),
        last_track: m.tracks.last().map_or(1, |t| t.number as u8),
        entries,
    });
    let mut tracks: Vec<TrackInformation> = m
        .tracks
        .iter()
        .map(|t| TrackInformation {
            number: t.number as u16,
            session: t.session as u16,
            track_mode: 0,
            blank: false,
            damage: t.damaged,
            start: t.start,
            next_writable_address: None,
            free_blocks: 0,
            size: t.sectors,
        })
        .collect();
    if invisible {
        let nwa = m.next_writable_address.unwrap_or(0);
        tracks.push(TrackInformation {
            number: last_in_last,
            session: last_session,
            track_mode: 0,
            blank: true,
            damage: false,
            start: nwa,
            next_writable_address: m.next_writable_address,
            free_blocks: m.free_blocks,
            size: m.free_blocks,
        });
    }
    DriveAnswers { current_profile, disc: Some(disc), atip, toc, tracks }
}

#[cfg(test)]
mod roundtrip_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::disc_info::parse_disc_information;
    use crate::mmc::disc_info::tests::cd_disc_info;
    use crate::mmc::toc::tests::{atip, toc_lba};
    use crate::mmc::toc::{parse_atip, parse_toc};
    use crate::mmc::track_info::parse_track_information;
    use crate::mmc::track_info::tests::track_info;

    fn ti(number: u8, session: u8, start: i32, size: u32, nwa: Option<i32>, free: u32) -> TrackInformation {
        parse_track_information(&track_info(number, session, start, size, nwa, free)).unwrap()
    }

    fn taiyo_yuden_atip() -> Option<AtipInfo> {
        Some(parse_atip(&atip([97, 24, 1], [79, 59, 72], false)).unwrap())
    }

    #[test]
    fn an_empty_tray() {
        let r = assemble_read_back(&DriveAnswers::default()).unwrap();
        assert_eq!(r, DiscReadBack { media: None });
    }

    #[test]
    fn a_blank_cd_r() {
        let answers = DriveAnswers {
            current_profile: 0x0009,
            disc: Some(parse_disc_information(&cd_disc_info(0, 0, false, 1, (1, 1)), true).unwrap()),
            atip: taiyo_yuden_atip(),
            toc: None,
            tracks: vec![ti(1, 1, 0, 0, Some(0), 359_845)],
        };
        let m = assemble_read_back(&answers).unwrap().media.unwrap();
        assert_eq!(m.media_type, PhysicalMediaType::CdR);
        assert_eq!(m.status, DiscState::Blank);
        assert_eq!(m.last_session_state, SessionState::Empty);
        assert_eq!((m.sessions, m.first_track), (1, 1));
        assert!(m.tracks.is_empty());
        assert_eq!(m.lead_out, None);
        assert_eq!(m.last_possible_lead_out, 359_847);
        assert_eq!(m.next_writable_address, Some(0));
        assert_eq!(m.free_blocks, 359_845);
        assert_eq!(m.atip.unwrap().lead_in.to_string(), "97:24:01");
    }

    #[test]
    fn an_open_session_with_two_tracks() {
        // Layout of spec section 4: S1 = 0, S2 = 0 + 22,500 + 152.
        let answers = DriveAnswers {
            current_profile: 0x0009,
            disc: Some(parse_disc_information(&cd_disc_info(1, 1, false, 1, (1, 3)), true).unwrap()),
            atip: taiyo_yuden_atip(),
            toc: Some(parse_toc(&toc_lba(&[(1, 0), (2, 22_652)], 45_154), false).unwrap()),
            // This drive does not count the 2 run-out blocks in the track size.
            tracks: vec![
                ti(1, 1, 0, 22_500, None, 0),
                ti(2, 1, 22_652, 22_500, None, 0),
                ti(3, 1, 45_304, 0, Some(45_304), 314_541),
            ],
        };
        let m = assemble_read_back(&answers).unwrap().media.unwrap();
        assert_eq!(m.status, DiscState::Appendable);
        assert_eq!(m.tracks.len(), 2, "the invisible track is not listed");
        assert_eq!(
            m.tracks[1],
            TrackReadBack {
                number: 2,
                session: 1,
                start: 22_652,
                sectors: 22_500,
                pregap: 152,
                data_bytes: 22_500 * 2352,
                digest: None,
                damaged: false
            }
        );
        assert_eq!(m.tracks[0].pregap, 150);
        assert_eq!(m.lead_out, None, "no session is closed yet");
        assert_eq!(m.next_writable_address, Some(45_304));
        assert_eq!(m.free_blocks, 314_541);
    }

    #[test]
    fn a_closed_session_with_an_empty_next_one_is_an_appendable_disc_with_its_nwa() {
        // One closed session of two tracks (lead-out at 45,154), the next session empty: disc
        // status 01b, state 00b, two sessions, track 3 the invisible track of session 2.
        let answers = DriveAnswers {
            current_profile: 0x0009,
            disc: Some(parse_disc_information(&cd_disc_info(1, 0, false, 2, (3, 3)), true).unwrap()),
            atip: taiyo_yuden_atip(),
            toc: Some(parse_toc(&toc_lba(&[(1, 0), (2, 22_652)], 45_154), false).unwrap()),
            tracks: vec![
                ti(1, 1, 0, 22_500, None, 0),
                ti(2, 1, 22_652, 22_500, None, 0),
                ti(3, 2, 56_554, 303_293, Some(56_554), 303_293),
            ],
        };
        let m = assemble_read_back(&answers).unwrap().media.unwrap();
        assert_eq!(m.status, DiscState::Appendable);
        assert_eq!((m.last_session_state, m.sessions), (SessionState::Complete, 1));
        assert_eq!(m.tracks.len(), 2, "the invisible track is not listed");
        assert_eq!(m.lead_out, Some(45_154));
        assert_eq!((m.next_writable_address, m.free_blocks), (Some(56_554), 303_293));
    }

    #[test]
    fn a_finalized_disc_takes_starts_and_lead_out_from_the_toc() {
        let mut complete = cd_disc_info(2, 3, false, 1, (1, 2));
        complete[16..24].fill(0xFF);
        let answers = DriveAnswers {
            current_profile: 0x0009,
            disc: Some(parse_disc_information(&complete, true).unwrap()),
            atip: taiyo_yuden_atip(),
            toc: Some(parse_toc(&toc_lba(&[(1, 0), (2, 22_652)], 45_154), false).unwrap()),
            // This drive reports track 2's start at its pregap, 150 before index 01.
            tracks: vec![ti(1, 1, 0, 22_502, None, 0), ti(2, 1, 22_502, 22_652, None, 0)],
        };
        let m = assemble_read_back(&answers).unwrap().media.unwrap();
        assert_eq!(m.status, DiscState::Complete);
        assert_eq!(m.tracks[1].start, 22_652, "index 01 from the TOC");
        assert_eq!(m.tracks[1].pregap, 150);
        assert_eq!(m.lead_out, Some(45_154));
        assert_eq!(m.last_possible_lead_out, 359_847, "from ATIP when disc information has none");
        assert_eq!(m.next_writable_address, None);
        assert_eq!(m.free_blocks, 0);
    }

    #[test]
    fn a_pressed_cd_without_atip_uses_the_toc_lead_out() {
        let mut complete = cd_disc_info(2, 3, false, 1, (1, 1));
        complete[16..24].fill(0xFF);
        let answers = DriveAnswers {
            current_profile: 0x0008,
            disc: Some(parse_disc_information(&complete, true).unwrap()),
            atip: None,
            toc: Some(parse_toc(&toc_lba(&[(1, 0)], 300_000), false).unwrap()),
            tracks: vec![ti(1, 1, 0, 300_000, None, 0)],
        };
        let m = assemble_read_back(&answers).unwrap().media.unwrap();
        assert_eq!(m.media_type, PhysicalMediaType::CdRom);
        assert_eq!(m.last_possible_lead_out, 300_000);
        assert_eq!(m.atip, None);
    }

    #[test]
    fn inconsistent_answers_are_errors() {
        let disc = parse_disc_information(&cd_disc_info(1, 1, false, 1, (1, 3)), true).unwrap();
        let base = DriveAnswers {
            current_profile: 0x0009,
            disc: Some(disc),
            atip: taiyo_yuden_atip(),
            toc: None,
            tracks: vec![ti(1, 1, 0, 300, None, 0), ti(3, 1, 452, 0, Some(452), 1000)],
        };
        let e = assemble_read_back(&base).unwrap_err();
        assert!(e.reason.contains("expected [1, 2, 3]"), "{e}");
        assert_eq!(e.hresult(), cdr_sim::Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE);

        let overlapping = DriveAnswers {
            tracks: vec![ti(1, 1, 0, 1000, None, 0), ti(2, 1, 500, 300, None, 0), ti(3, 1, 952, 0, Some(952), 10)],
            ..base.clone()
        };
        assert!(assemble_read_back(&overlapping).unwrap_err().reason.contains("before track 1 ends"));

        let no_disc_info = DriveAnswers { disc: None, ..base.clone() };
        assert!(assemble_read_back(&no_disc_info).is_err());

        let damaged = DriveAnswers {
            disc: Some(parse_disc_information(&cd_disc_info(1, 2, false, 1, (1, 3)), true).unwrap()),
            ..base
        };
        assert!(assemble_read_back(&damaged).unwrap_err().reason.contains("damaged"));
    }
}
