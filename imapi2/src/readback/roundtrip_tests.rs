//! The encoders of [`crate::mmc::encode`] against the parsers, and the whole read-back: the
//! simulator's disc → [`drive_answers`] → MMC bytes → parsers → [`assemble_read_back`] gives
//! the simulator's read-back again, as far as MMC carries it (no digests; pregaps after the
//! first track include the run-out blocks, see [`as_mmc_carries`]).

use std::sync::Arc;

use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{Backend, DiscReadBack, DiscRecorder2, DiscState, SessionState, SimBackend};

use super::{assemble_read_back, drive_answers, tracks_to_read, DriveAnswers};
use crate::mmc::config::parse_configuration_header;
use crate::mmc::disc_info::{parse_disc_information, DiscStatus, LastSessionState};
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

/// The simulator's read-back as MMC can carry it:
/// - digests: MMC has none, cleared on both sides;
/// - pregaps after the first track of a session: read-back derives them from the track's start
///   minus the previous track's end (start + size), which includes the run-out blocks the drive
///   profile's calibration puts after each track (the simulator counts them outside the pregap,
///   and MMC has no field that tells them apart on a CD): the expected pregap is the simulator's
///   plus `run_out`.
fn as_mmc_carries(mut rb: DiscReadBack, run_out: u32) -> DiscReadBack {
    if let Some(m) = &mut rb.media {
        let mut previous_session = None;
        for t in &mut m.tracks {
            t.digest = None;
            if previous_session == Some(t.session) {
                t.pregap += run_out;
            }
            previous_session = Some(t.session);
        }
    }
    rb
}

/// Checks the round trip through bytes and back, and returns the simulator's read-back.
fn check_round_trip(sim: &SimBackend, recorder: &dyn DiscRecorder2, run_out: u32) -> DiscReadBack {
    let rb = sim.read_back(recorder).unwrap();
    let answers = drive_answers(&rb);
    assert_eq!(through_bytes(&answers), answers);
    assert_eq!(assemble_read_back(&answers).unwrap(), as_mmc_carries(rb.clone(), run_out));
    rb
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

/// The default drive, with `run_out` run-out blocks after each track.
fn sim_with_run_out(media: &str, run_out: u32) -> (SimBackend, Arc<dyn DiscRecorder2>) {
    let mut drive = drive_by_name("default").unwrap();
    drive.calibration.run_out_sectors = run_out;
    let sim = SimBackend::new(drive, media_by_name(media));
    let r = sim.create_recorder().unwrap();
    r.initialize_disc_recorder(sim.unique_id()).unwrap();
    (sim, r)
}

/// The default drive (2 run-out blocks).
fn sim(media: &str) -> (SimBackend, Arc<dyn DiscRecorder2>) {
    sim_with_run_out(media, DEFAULT_RUN_OUT)
}

const DEFAULT_RUN_OUT: u32 = 2;

#[test]
fn blank_appendable_and_complete_discs_survive_mmc() {
    let (s, r) = sim("cdr80");
    assert_eq!(drive_by_name("default").unwrap().calibration.run_out_sectors, DEFAULT_RUN_OUT);
    check_round_trip(&s, r.as_ref(), DEFAULT_RUN_OUT);
    burn(&s, &r, &[300, 450], false);
    let rb = check_round_trip(&s, r.as_ref(), DEFAULT_RUN_OUT).media.unwrap();
    assert_eq!(rb.tracks.len(), 2);
    // The session is closed and the disc appendable: the next session's NWA and free blocks
    // come through MMC too.
    assert_eq!((rb.status, rb.last_session_state), (DiscState::Appendable, SessionState::Complete));
    assert!(rb.next_writable_address.is_some() && rb.free_blocks > 0, "{rb:?}");
    let (s, r) = sim("cdr74");
    burn(&s, &r, &[600, 75, 900], true);
    let rb = check_round_trip(&s, r.as_ref(), DEFAULT_RUN_OUT).media.unwrap();
    assert_eq!(rb.status, DiscState::Complete);
    assert_eq!((rb.next_writable_address, rb.free_blocks), (None, 0));
}

#[test]
fn an_open_session_survives_mmc() {
    let (s, r) = sim("cdr80-appendable");
    let rb = check_round_trip(&s, r.as_ref(), DEFAULT_RUN_OUT).media.unwrap();
    assert_eq!(rb.last_session_state, SessionState::Incomplete);
    assert!(rb.next_writable_address.is_some());
}

#[test]
fn a_closed_session_with_room_after_it_is_reported_as_mmc_defines_it() {
    let (s, r) = sim("cdr80");
    burn(&s, &r, &[300, 450], false);
    let rb = s.read_back(r.as_ref()).unwrap();
    let m = rb.media.as_ref().unwrap();
    let a = drive_answers(&rb);
    let disc = a.disc.unwrap();
    // Disc status 01b, the next session (2) empty and counted, its invisible track 3.
    assert_eq!((disc.disc_status, disc.last_session_state), (DiscStatus::Incomplete, LastSessionState::Empty));
    assert_eq!(disc.sessions, 2);
    assert_eq!((disc.first_track_in_last_session, disc.last_track_in_last_session), (3, 3));
    let nwa = m.next_writable_address.unwrap();
    assert_eq!(disc.last_session_lead_in, Some(nwa - 4_650), "the next lead-in, before its pregap");
    let invisible = a.tracks.last().unwrap();
    assert_eq!((invisible.number, invisible.session, invisible.blank), (3, 2, true));
    assert_eq!((invisible.next_writable_address, invisible.free_blocks), (Some(nwa), m.free_blocks));
    assert_eq!(tracks_to_read(&disc).last(), Some(3), "read-back asks for the invisible track");
}

#[test]
fn pregaps_read_back_exactly_when_the_drive_leaves_no_run_out() {
    for run_out in [0, 1, DEFAULT_RUN_OUT] {
        let (s, r) = sim_with_run_out("cdr80", run_out);
        burn(&s, &r, &[300, 450, 600], true);
        let rb = s.read_back(r.as_ref()).unwrap();
        let read = assemble_read_back(&drive_answers(&rb)).unwrap().media.unwrap();
        let pregaps: Vec<u32> = read.tracks.iter().map(|t| t.pregap).collect();
        assert_eq!(pregaps, [150, 150 + run_out, 150 + run_out], "run-out {run_out}");
        check_round_trip(&s, r.as_ref(), run_out);
    }
}

#[test]
fn a_cd_rw_and_an_empty_tray_survive_mmc() {
    let (s, r) = sim("cdrw80");
    check_round_trip(&s, r.as_ref(), DEFAULT_RUN_OUT);
    s.change_media(r.as_ref(), None).unwrap();
    check_round_trip(&s, r.as_ref(), DEFAULT_RUN_OUT);
}

#[test]
fn sense_for_an_unknown_command() {
    let s = parse_sense(&encode::sense(ILLEGAL_REQUEST, 0x20, 0)).unwrap();
    assert!(s.is_illegal_request());
    assert_eq!((s.asc, s.ascq), (0x20, 0));
}
