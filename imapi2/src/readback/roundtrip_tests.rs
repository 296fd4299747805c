//! The encoders of [`crate::mmc::encode`] against the parsers, and the whole read-back: the
//! simulator's disc → [`drive_answers`] → MMC bytes → parsers → [`assemble_read_back`] gives
//! the simulator's read-back again (digests aside: MMC has none).

use std::sync::Arc;

use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{Backend, DiscReadBack, DiscRecorder2, SimBackend};

use super::{assemble_read_back, drive_answers, DriveAnswers};
use crate::mmc::config::parse_configuration_header;
use crate::mmc::disc_info::parse_disc_information;
use crate::mmc::encode;
use crate::mmc::sense::{parse_sense, ILLEGAL_REQUEST};
use crate::mmc::toc::{parse_atip, parse_toc};
use crate::mmc::track_info::parse_track_information;

/// The answers as bytes and back, command by command.
fn through_bytes(a: &DriveAnswers) -> DriveAnswers {
    let header = parse_configuration_header(&encode::configuration(a.current_profile, &[8, 9, 10])).unwrap();
    assert_eq!(header.current_profile, a.current_profile);
    let is_cd = true;
    DriveAnswers {
        current_profile: header.current_profile,
        disc: a.disc.map(|d| parse_disc_information(&encode::disc_information(&d, is_cd), is_cd).unwrap()),
        atip: a.atip.map(|x| parse_atip(&encode::atip(&x)).unwrap()),
        toc: a.toc.as_ref().map(|t| {
            let lba = parse_toc(&encode::toc(t, false), false).unwrap();
            assert_eq!(parse_toc(&encode::toc(t, true), true).unwrap().entries, lba.entries, "MSF and LBA agree");
            lba
        }),
        tracks: a.tracks.iter().map(|t| parse_track_information(&encode::track_information(t)).unwrap()).collect(),
    }
}

/// What MMC cannot carry of the simulator's read-back, cleared on both sides:
/// - digests: MMC has none;
/// - pregaps after the first track: MMC has no pregap field; read-back derives it from the
///   track's start minus the previous track's end, which includes the run-out blocks the
///   drive profile's calibration adds (the simulator counts them outside the pregap);
/// - the next writable address and free blocks of an appendable disc whose last session is
///   closed: read-back reads an invisible track only while the last session is open.
fn comparable(mut rb: DiscReadBack) -> DiscReadBack {
    if let Some(m) = &mut rb.media {
        for t in &mut m.tracks {
            t.digest = None;
            if t.number > m.first_track {
                t.pregap = 0;
            }
        }
        if m.last_session_state == cdr_sim::SessionState::Complete {
            m.next_writable_address = None;
            m.free_blocks = 0;
        }
    }
    rb
}

fn check_round_trip(sim: &SimBackend, recorder: &dyn DiscRecorder2) {
    let rb = sim.read_back(recorder).unwrap();
    let answers = drive_answers(&rb);
    assert_eq!(through_bytes(&answers), answers);
    assert_eq!(comparable(assemble_read_back(&answers).unwrap()), comparable(rb));
}

fn burn(sim: &SimBackend, recorder: &Arc<dyn DiscRecorder2>, sectors: &[u64], finalize: bool) {
    let format = sim.create_format().unwrap();
    format.set_recorder(Some(Arc::clone(recorder))).unwrap();
    format.set_client_name(Some("round trip")).unwrap();
    if !finalize {
        format.set_do_not_finalize_media(true).unwrap();
    }
    format.prepare_media().unwrap();
    for (i, &n) in sectors.iter().enumerate() {
        format.add_audio_track(&mut SyntheticPcm::sectors(i as u64, n)).unwrap();
    }
    format.release_media().unwrap();
}

fn sim(media: &str) -> (SimBackend, Arc<dyn DiscRecorder2>) {
    let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name(media));
    let r = sim.create_recorder().unwrap();
    r.initialize_disc_recorder(sim.unique_id()).unwrap();
    (sim, r)
}

#[test]
fn blank_appendable_and_complete_discs_survive_mmc() {
    let (s, r) = sim("cdr80");
    check_round_trip(&s, r.as_ref());
    burn(&s, &r, &[300, 450], false);
    assert_eq!(s.read_back(r.as_ref()).unwrap().media.unwrap().tracks.len(), 2);
    check_round_trip(&s, r.as_ref());
    let (s, r) = sim("cdr74");
    burn(&s, &r, &[600, 75, 900], true);
    assert_eq!(s.read_back(r.as_ref()).unwrap().media.unwrap().status, cdr_sim::DiscState::Complete);
    check_round_trip(&s, r.as_ref());
}

#[test]
fn a_cd_rw_and_an_empty_tray_survive_mmc() {
    let (s, r) = sim("cdrw80");
    check_round_trip(&s, r.as_ref());
    s.change_media(r.as_ref(), None).unwrap();
    check_round_trip(&s, r.as_ref());
}

#[test]
fn sense_for_an_unknown_command() {
    let s = parse_sense(&encode::sense(ILLEGAL_REQUEST, 0x20, 0)).unwrap();
    assert!(s.is_illegal_request());
    assert_eq!((s.asc, s.ascq), (0x20, 0));
}
