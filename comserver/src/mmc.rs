//! The MMC pass-through of `IDiscRecorder2Ex` (`SendCommandGetDataFromDevice` and its
//! siblings): commands answered from the simulated disc in MMC's byte layout, with the
//! encoders the IMAPI2 backend's parsers read ([`cdr_imapi2::mmc::encode`]).
//!
//! Answered: GET CONFIGURATION (header and Profile List), READ DISC INFORMATION, READ TRACK
//! INFORMATION (by track number; FFh is the invisible track), READ TOC/PMA/ATIP formats 0 (TOC) and 4 (ATIP), MODE SENSE (10)
//! of page 2Ah. Anything else ends in CHECK CONDITION with ILLEGAL REQUEST: INVALID COMMAND
//! OPERATION CODE (20h/00h) for another command, INVALID FIELD IN CDB (24h/00h) for another
//! format, page or address type, or a track that is not there; with no disc in the tray, NOT
//! READY: MEDIUM NOT PRESENT (3Ah/00h).

use cdr_imapi2::mmc::cdb::{
    GET_CONFIGURATION, READ_DISC_INFORMATION, READ_TOC_PMA_ATIP, READ_TRACK_INFORMATION, TOC_FORMAT_ATIP,
    TOC_FORMAT_TOC,
};
use cdr_imapi2::mmc::encode;
use cdr_imapi2::mmc::mode::{encode_capabilities, Capabilities, CAPABILITIES_PAGE, CD_1X_KBPS, MODE_SENSE_10};
use cdr_imapi2::mmc::sense::{ILLEGAL_REQUEST, NOT_READY};
use cdr_imapi2::readback::drive_answers;
use cdr_sim::{DiscReadBack, DriveProfile, PhysicalMediaType};

/// What the drive answers to one command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// GOOD, with these bytes.
    Data(Vec<u8>),
    /// CHECK CONDITION, with this fixed-format sense data.
    Sense([u8; 18]),
}

/// The drive as the commands see it.
pub struct Drive<'a> {
    /// The disc in the tray (the simulator's read-back).
    pub disc: &'a DiscReadBack,
    /// The profiles the drive supports (GET CONFIGURATION's Profile List).
    pub profiles: &'a [u16],
    /// Page 2Ah.
    pub capabilities: Capabilities,
}

/// Page 2Ah of a drive profile: what it reads and writes, BUF, its buffer, and its fastest
/// CD-R write speed (as both maximum and current: the page is read before any SetWriteSpeed).
pub fn capabilities(drive: &DriveProfile) -> Capabilities {
    let writes = |m| !drive.write_speeds.for_media(m).is_empty();
    let reads = |m| drive.readable_media.contains(&m) || writes(m);
    let fastest = drive.write_speeds.for_media(PhysicalMediaType::CdR).last().copied().unwrap_or(0);
    let kbps = u16::try_from(fastest * CD_1X_KBPS).unwrap_or(u16::MAX);
    Capabilities {
        reads_cd_r: reads(PhysicalMediaType::CdR),
        reads_cd_rw: reads(PhysicalMediaType::CdRw),
        writes_cd_r: writes(PhysicalMediaType::CdR),
        writes_cd_rw: writes(PhysicalMediaType::CdRw),
        buffer_underrun_free: drive.buffer_underrun_free,
        eject: true,
        loading_mechanism: 1,
        buffer_kb: u16::try_from(drive.buffer_bytes / 1024).unwrap_or(u16::MAX),
        max_write_kbps: kbps,
        current_write_kbps: kbps,
    }
}

/// READ TRACK INFORMATION's logical track number for the invisible track on a CD.
const INVISIBLE_TRACK: u32 = 0xFF;

/// CHECK CONDITION, ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE (20h/00h): a command
/// this drive does not take.
pub fn invalid_opcode() -> Answer {
    Answer::Sense(encode::sense(ILLEGAL_REQUEST, 0x20, 0))
}

fn invalid_field() -> Answer {
    Answer::Sense(encode::sense(ILLEGAL_REQUEST, 0x24, 0))
}

fn no_medium() -> Answer {
    Answer::Sense(encode::sense(NOT_READY, 0x3A, 0))
}

/// The answer to `cdb`.
pub fn answer(cdb: &[u8], drive: &Drive) -> Answer {
    let Some(&opcode) = cdb.first() else { return invalid_opcode() };
    let answers = drive_answers(drive.disc);
    let byte = |i: usize| cdb.get(i).copied().unwrap_or(0);
    match opcode {
        GET_CONFIGURATION => Answer::Data(encode::configuration(answers.current_profile, drive.profiles)),
        MODE_SENSE_10 if byte(2) & 0x3F == CAPABILITIES_PAGE => Answer::Data(encode_capabilities(&drive.capabilities)),
        MODE_SENSE_10 => invalid_field(),
        READ_DISC_INFORMATION | READ_TRACK_INFORMATION | READ_TOC_PMA_ATIP if answers.disc.is_none() => no_medium(),
        READ_DISC_INFORMATION if byte(1) & 0x07 != 0 => invalid_field(),
        READ_DISC_INFORMATION => {
            answers.disc.map_or_else(no_medium, |d| Answer::Data(encode::disc_information(&d, true)))
        }
        READ_TRACK_INFORMATION => {
            let number = u32::from_be_bytes([byte(2), byte(3), byte(4), byte(5)]);
            let track = match number {
                // FFh on a CD: the invisible track (of the open, empty or next session).
                INVISIBLE_TRACK => answers.tracks.last().filter(|t| t.blank),
                _ => answers.tracks.iter().find(|t| u32::from(t.number) == number),
            };
            match (byte(1) & 0x03, track) {
                (1, Some(t)) => Answer::Data(encode::track_information(t)),
                _ => invalid_field(),
            }
        }
        READ_TOC_PMA_ATIP => {
            let msf = byte(1) & 0x02 != 0;
            match byte(2) & 0x0F {
                TOC_FORMAT_TOC => answers.toc.map_or_else(invalid_field, |t| Answer::Data(encode::toc(&t, msf))),
                TOC_FORMAT_ATIP => answers.atip.map_or_else(invalid_field, |a| Answer::Data(encode::atip(&a))),
                _ => invalid_field(),
            }
        }
        _ => invalid_opcode(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_imapi2::mmc::cdb;
    use cdr_imapi2::mmc::config::parse_configuration_header;
    use cdr_imapi2::mmc::disc_info::parse_disc_information;
    use cdr_imapi2::mmc::mode::parse_capabilities;
    use cdr_imapi2::mmc::sense::parse_sense;
    use cdr_imapi2::mmc::toc::{parse_atip, parse_toc};
    use cdr_imapi2::mmc::track_info::parse_track_information;
    use cdr_imapi2::readback::{assemble_read_back, DriveAnswers};
    use cdr_sim::profile::{drive_by_name, media_by_name};
    use cdr_sim::source::SyntheticPcm;
    use cdr_sim::{Backend, SimBackend};
    use std::sync::Arc;

    fn caps() -> Capabilities {
        Capabilities {
            reads_cd_r: true,
            reads_cd_rw: true,
            writes_cd_r: true,
            writes_cd_rw: true,
            buffer_underrun_free: true,
            eject: true,
            loading_mechanism: 1,
            buffer_kb: 2048,
            max_write_kbps: 8448,
            current_write_kbps: 8448,
        }
    }

    fn data(a: Answer) -> Vec<u8> {
        match a {
            Answer::Data(d) => d,
            Answer::Sense(s) => panic!("CHECK CONDITION {:?}", parse_sense(&s)),
        }
    }

    fn sense(a: Answer) -> (u8, u8, u8) {
        match a {
            Answer::Sense(s) => {
                let s = parse_sense(&s).unwrap();
                (s.key, s.asc, s.ascq)
            }
            Answer::Data(d) => panic!("GOOD with {} bytes", d.len()),
        }
    }

    /// The commands read_back sends, answered and parsed as the IMAPI2 backend does.
    fn read_back_through_mmc(drive: &Drive) -> DiscReadBack {
        let header = parse_configuration_header(&data(answer(&cdb::get_configuration_header(), drive))).unwrap();
        if header.current_profile == 0 {
            return assemble_read_back(&DriveAnswers::default()).unwrap();
        }
        let disc = parse_disc_information(&data(answer(&cdb::read_disc_information(), drive)), true).unwrap();
        let atip = parse_atip(&data(answer(&cdb::read_toc(cdb::TOC_FORMAT_ATIP, cdb::ATIP_BYTES), drive))).ok();
        let toc = match answer(&cdb::read_toc(cdb::TOC_FORMAT_TOC, cdb::TOC_BYTES), drive) {
            Answer::Data(d) => Some(parse_toc(&d, false).unwrap()),
            Answer::Sense(_) => None,
        };
        let tracks = cdr_imapi2::readback::tracks_to_read(&disc)
            .map(|n| parse_track_information(&data(answer(&cdb::read_track_information(n.into()), drive))).unwrap())
            .collect();
        let answers = DriveAnswers { current_profile: header.current_profile, disc: Some(disc), atip, toc, tracks };
        assemble_read_back(&answers).unwrap()
    }

    /// A disc with one track of 750 sectors, finalized or left appendable.
    fn burned(finalize: bool) -> DiscReadBack {
        let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
        let r = sim.create_recorder().unwrap();
        r.initialize_disc_recorder(sim.unique_id()).unwrap();
        let f = sim.create_format().unwrap();
        f.set_recorder(Some(Arc::clone(&r))).unwrap();
        f.set_client_name(Some("mmc")).unwrap();
        f.set_do_not_finalize_media(!finalize).unwrap();
        f.prepare_media().unwrap();
        f.add_audio_track(&mut SyntheticPcm::sectors(1, 750)).unwrap();
        f.release_media().unwrap();
        sim.read_back(r.as_ref()).unwrap()
    }

    fn without_digests(mut disc: DiscReadBack) -> DiscReadBack {
        for t in disc.media.as_mut().unwrap().tracks.iter_mut() {
            t.digest = None;
        }
        disc
    }

    #[test]
    fn encode_then_the_backends_decoder_gives_the_same_values() {
        let disc = burned(true);
        let drive = Drive { disc: &disc, profiles: &[8, 9, 10], capabilities: caps() };
        let mut through = read_back_through_mmc(&drive);
        assert_eq!(through.media.as_mut().unwrap().tracks.len(), 1);
        assert_eq!(through, without_digests(disc.clone()));
        let page = parse_capabilities(&data(answer(&[MODE_SENSE_10, 0, 0x2A, 0, 0, 0, 0, 0, 30, 0], &drive))).unwrap();
        assert_eq!(page, caps());
        let default = capabilities(&drive_by_name("default").unwrap());
        assert!(default.writes_cd_r && default.reads_cd_r);
        assert!(default.max_write_kbps >= CD_1X_KBPS as u16);
    }

    #[test]
    fn an_appendable_disc_with_a_closed_session_keeps_its_next_writable_address() {
        let disc = burned(false);
        let m = disc.media.as_ref().unwrap();
        assert_eq!(m.last_session_state, cdr_sim::SessionState::Complete);
        let nwa = m.next_writable_address.expect("room for another session");
        let drive = Drive { disc: &disc, profiles: &[9], capabilities: caps() };
        assert_eq!(read_back_through_mmc(&drive), without_digests(disc.clone()));
        // The invisible track, by its number (2) and as track FFh.
        for number in [2, INVISIBLE_TRACK] {
            let t = parse_track_information(&data(answer(&cdb::read_track_information(number), &drive))).unwrap();
            assert_eq!((t.number, t.session, t.blank), (2, 2, true), "track {number:#x}");
            assert_eq!((t.next_writable_address, t.free_blocks), (Some(nwa), m.free_blocks));
        }
        // A complete disc has no invisible track.
        let complete = burned(true);
        let drive = Drive { disc: &complete, profiles: &[9], capabilities: caps() };
        let refused = answer(&cdb::read_track_information(INVISIBLE_TRACK), &drive);
        assert_eq!(sense(refused), (ILLEGAL_REQUEST, 0x24, 0));
    }

    #[test]
    fn anything_else_is_a_clear_sense_code() {
        let blank = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
        let r = blank.create_recorder().unwrap();
        r.initialize_disc_recorder(blank.unique_id()).unwrap();
        let disc = blank.read_back(r.as_ref()).unwrap();
        let drive = Drive { disc: &disc, profiles: &[9], capabilities: caps() };
        assert_eq!(sense(answer(&[0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0], &drive)), (ILLEGAL_REQUEST, 0x20, 0), "WRITE (10)");
        assert_eq!(sense(answer(&[], &drive)), (ILLEGAL_REQUEST, 0x20, 0));
        assert_eq!(sense(answer(&cdb::read_toc(2, 100), &drive)), (ILLEGAL_REQUEST, 0x24, 0), "format 2");
        assert_eq!(sense(answer(&cdb::read_toc(0, 100), &drive)), (ILLEGAL_REQUEST, 0x24, 0), "no TOC on a blank");
        assert_eq!(sense(answer(&cdb::read_track_information(7), &drive)), (ILLEGAL_REQUEST, 0x24, 0));
        assert_eq!(sense(answer(&[MODE_SENSE_10, 0, 0x05, 0, 0, 0, 0, 0, 30, 0], &drive)), (ILLEGAL_REQUEST, 0x24, 0));
        let empty = DiscReadBack { media: None };
        let drive = Drive { disc: &empty, profiles: &[9], capabilities: caps() };
        assert_eq!(sense(answer(&cdb::read_disc_information(), &drive)), (NOT_READY, 0x3A, 0));
        assert_eq!(
            parse_configuration_header(&data(answer(&cdb::get_configuration_header(), &drive)))
                .unwrap()
                .current_profile,
            0
        );
        assert_eq!(read_back_through_mmc(&drive), empty);
    }
}
