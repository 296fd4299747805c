//! Spec section 2, ReleaseMedia, and what a format object dropped while prepared leaves.

use cdr_sim::profile::DropWhilePrepared;
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscState, Hresult, SessionState, TaoProgress, TaoWriteAction};

use crate::common::{Recorder, Rig};

#[test]
fn release_media_when_not_prepared_is_media_is_not_prepared() {
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.release_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    let rig = rig.ready();
    assert_eq!(rig.format.release_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
}

#[test]
fn release_media_when_not_prepared_follows_the_calibration() {
    let rig = Rig::calibrated("cdr80", |c| c.release_not_prepared = Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED).ready();
    assert_eq!(rig.format.release_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED));
}

#[test]
fn release_media_from_the_writing_and_finishing_handlers_is_write_in_progress() {
    let rig = Rig::new("cdr80").prepared();
    let answers = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let a = answers.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        if matches!(p.current_action, TaoWriteAction::Writing | TaoWriteAction::Finishing) {
            a.lock().unwrap().push(f.release_media());
        }
    });
    rig.format.advise(sink).unwrap();
    rig.add(300).unwrap();
    let answers = answers.lock().unwrap();
    assert!(answers.len() >= 3);
    assert!(answers.iter().all(|a| *a == Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)));
    rig.format.release_media().unwrap();
}

#[test]
fn release_media_from_the_preparing_handler_releases_and_the_outer_call_is_not_prepared() {
    // PREPARING fires before the writing flag is set (spec 2, !W), so ReleaseMedia there
    // releases the session. What the outer AddAudioTrack then does is not in the spec; the
    // simulator finds no session to write in and writes nothing.
    let rig = Rig::new("cdr80").prepared();
    let answers = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let a = answers.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        if p.current_action == TaoWriteAction::Preparing {
            a.lock().unwrap().push(f.release_media());
        }
    });
    rig.format.advise(sink).unwrap();
    assert_eq!(rig.add(300), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(*answers.lock().unwrap(), [Ok(())]);
    assert!(rig.disc().tracks.is_empty());
    assert_eq!(rig.disc().status, DiscState::Blank);
}

#[test]
fn release_media_after_a_track_closes_and_finalizes_the_session() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    assert_eq!(rig.disc().status, DiscState::Appendable);
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, DiscState::Complete);
    assert_eq!(disc.last_session_state, SessionState::Complete);
    assert_eq!(disc.lead_out, Some(302));
    assert_eq!(disc.next_writable_address, None);
    assert_eq!(disc.free_blocks, 0);
}

#[test]
fn release_media_with_do_not_finalize_media_leaves_the_disc_appendable_with_the_session_closed() {
    let rig = Rig::new("cdr80").ready();
    rig.format.set_do_not_finalize_media(true).unwrap();
    rig.format.prepare_media().unwrap();
    rig.add(22_500).unwrap();
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, DiscState::Appendable);
    assert_eq!(disc.last_session_state, SessionState::Complete);
    assert_eq!(disc.lead_out, Some(22_502));
    // A later session starts 11,400 sectors after the first session's lead-out start.
    assert_eq!(disc.next_writable_address, Some(22_502 + 11_400));
    assert_eq!(disc.free_blocks, 359_847 - 22_502 - 11_400);
    // TAO never appends: the disc is no longer blank.
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK));
}

#[test]
fn release_media_without_a_track_leaves_the_disc_blank() {
    let rig = Rig::new("cdr80").prepared();
    rig.format.release_media().unwrap();
    assert_eq!(rig.disc().status, DiscState::Blank);
    rig.format.prepare_media().unwrap();
}

#[test]
fn release_media_without_a_track_closes_an_empty_session_when_calibrated_so() {
    let rig = Rig::calibrated("cdr80", |c| c.release_without_tracks_keeps_blank = false).prepared();
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, DiscState::Complete);
    assert!(disc.tracks.is_empty());
}

#[test]
fn release_media_releases_the_tray_and_exclusive_access() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "");
    rig.recorder.acquire_exclusive_access(false, "Next").unwrap();
    rig.recorder.release_exclusive_access().unwrap();
    rig.recorder.eject_media().unwrap();
}

#[test]
fn release_media_returns_the_object_to_recorder_set_and_session_properties_fail_again() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    let f = &rig.format;
    let not_prepared = Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED);
    assert_eq!(f.free_sectors_on_media(), not_prepared);
    assert_eq!(f.total_sectors_on_media(), not_prepared);
    assert_eq!(f.used_sectors_on_media(), not_prepared);
    assert_eq!(f.number_of_existing_tracks(), not_prepared);
    assert_eq!(f.expected_table_of_contents(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(f.release_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    // Recorder set: properties that are !P can be set again.
    f.set_client_name(Some("Again")).unwrap();
    assert!(f.recorder().unwrap().is_some());
    let sim_format = f.as_any().downcast_ref::<cdr_sim::SimFormat>().unwrap();
    assert_eq!(sim_format.tao_state(), cdr_sim::TaoState::RecorderSet);
}

#[test]
fn dropping_a_prepared_format_object_releases_the_lock_and_tray_and_leaves_the_session_open() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    let Rig { sim, recorder, format } = rig;
    drop(format);
    assert_eq!(recorder.exclusive_access_owner().unwrap(), "");
    let disc = sim.read_back(recorder.as_ref()).unwrap().media.unwrap();
    assert_eq!(disc.status, DiscState::Appendable);
    assert_eq!(disc.last_session_state, SessionState::Incomplete);
    assert_eq!(disc.tracks.len(), 1);
    assert_eq!(disc.lead_out, None);
    assert_eq!(disc.next_writable_address, Some(302));
    recorder.eject_media().unwrap();
}

#[test]
fn dropping_a_prepared_format_object_releases_the_session_when_calibrated_so() {
    let rig = Rig::calibrated("cdr80", |c| c.drop_while_prepared = DropWhilePrepared::Release).prepared();
    rig.add(300).unwrap();
    let Rig { sim, recorder, format } = rig;
    drop(format);
    let disc = sim.read_back(recorder.as_ref()).unwrap().media.unwrap();
    assert_eq!(disc.status, DiscState::Complete);
    assert_eq!(recorder.exclusive_access_owner().unwrap(), "");
}

#[test]
fn dropping_a_prepared_format_object_with_no_track_leaves_the_disc_blank() {
    let rig = Rig::new("cdr80").prepared();
    let Rig { sim, recorder, format } = rig;
    drop(format);
    assert_eq!(sim.read_back(recorder.as_ref()).unwrap().media.unwrap().status, DiscState::Blank);
}

#[test]
fn while_a_session_is_open_the_tracks_written_so_far_read_back() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    rig.add(400).unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, DiscState::Appendable);
    assert_eq!(disc.last_session_state, SessionState::Incomplete);
    assert_eq!(disc.tracks.iter().map(|t| (t.start, t.sectors)).collect::<Vec<_>>(), [(0, 300), (452, 400)]);
    assert!(disc.tracks.iter().all(|t| t.digest.is_some()));
}

#[test]
fn a_track_being_written_does_not_read_back_until_it_closes() {
    let rig = Rig::new("cdr80").prepared();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    let sim = std::sync::Arc::new(rig);
    let inner = std::sync::Arc::downgrade(&sim);
    let sink = Recorder::new(move |_: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        if p.current_action == TaoWriteAction::Writing {
            let rig = inner.upgrade().unwrap();
            s.lock().unwrap().push(rig.disc().tracks.len());
        }
    });
    sim.format.advise(sink).unwrap();
    sim.add(7_200).unwrap();
    assert!(seen.lock().unwrap().iter().all(|n| *n == 0));
    assert_eq!(sim.disc().tracks.len(), 1);
}
