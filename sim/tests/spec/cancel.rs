//! Spec section 2, CancelAddTrack.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use cdr_sim::{DiscFormat2TrackAtOnce, Hresult, TaoProgress, TaoWriteAction};

use crate::common::{Recorder, Rig};

/// Advises a handler that cancels the write from every WRITING event `when` accepts; returns
/// its cookie.
fn cancel_when_writing(rig: &Rig, when: fn(&TaoProgress) -> bool) -> u32 {
    let sink = Recorder::new(move |format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress| {
        if progress.current_action == TaoWriteAction::Writing && when(progress) {
            let _ = format.cancel_add_track();
        }
    });
    rig.format.advise(sink).unwrap()
}

/// Data has reached the disc in this write.
fn data_written(progress: &TaoProgress) -> bool {
    progress.last_written_lba > progress.start_lba
}

/// A 22,500-sector write cancelled from the handler leaves no track and Free as it was.
fn assert_cancelled_leaving_no_track(rig: &Rig) {
    assert_eq!(rig.add(22_500), Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
    assert!(rig.disc().tracks.is_empty());
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_845));
}

#[test]
fn cancel_add_track_outside_a_write_is_write_not_in_progress() {
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.cancel_add_track(), Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
    let rig = rig.prepared();
    assert_eq!(rig.format.cancel_add_track(), Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
    rig.add(300).unwrap();
    assert_eq!(rig.format.cancel_add_track(), Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
}

#[test]
fn cancel_from_the_handler_closes_the_track_short_and_returns_request_cancelled() {
    let rig = Rig::new("cdr80").prepared();
    let result = Arc::new(Mutex::new(None));
    let r = Arc::clone(&result);
    let sink = Recorder::new(move |format, progress| {
        let moving = progress.last_written_lba > progress.start_lba;
        if progress.current_action == TaoWriteAction::Writing && moving && r.lock().unwrap().is_none() {
            *r.lock().unwrap() = Some(format.cancel_add_track());
        }
    });
    rig.format.advise(sink.clone()).unwrap();
    assert_eq!(rig.add(22_500), Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
    assert_eq!(*result.lock().unwrap(), Some(Ok(())));
    // The write stopped at the first sector boundary after the first WRITING event with data
    // written (500 ms at 48x: 1,800 sectors).
    let disc = rig.disc();
    assert_eq!(disc.tracks.len(), 1);
    assert_eq!(disc.tracks[0].sectors, 1_800);
    // Spec 2 (dll id 55622866541): the cache is not refreshed after a cancel.
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(0));
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_845));
    let actions: Vec<_> = sink.events().iter().map(|e| e.current_action).collect();
    assert_eq!(actions.last(), Some(&TaoWriteAction::Finishing));
    // The one before data flows, the one that cancelled, the one after the engine stopped.
    assert_eq!(actions.iter().filter(|a| **a == TaoWriteAction::Writing).count(), 3);
}

#[test]
fn a_cancel_before_data_flows_leaves_no_track() {
    // The first WRITING event comes before any sector is written: nothing reaches the disc
    // and nothing is closed (what a real drive closes there is not known).
    let rig = Rig::new("cdr80").prepared();
    cancel_when_writing(&rig, |_| true);
    assert_cancelled_leaving_no_track(&rig);
}

#[test]
fn cancel_from_another_thread_stops_the_write() {
    let rig = Rig::new("cdr80").prepared();
    let (to_canceller, from_writer) = mpsc::channel::<()>();
    let (to_writer, from_canceller) = mpsc::channel::<Result<(), Hresult>>();
    let to_canceller = Mutex::new(Some(to_canceller));
    let from_canceller = Mutex::new(from_canceller);
    let sink = Recorder::new(move |_: &dyn DiscFormat2TrackAtOnce, progress: &cdr_sim::TaoProgress| {
        // Once 7,200 sectors are written, let the other thread cancel and wait until it has.
        // LastWrittenLba is StartLba + sectors done - 1 (spec 3); the WRITING event after the
        // engine stopped reads the same LBA and finds the cancel done.
        if progress.current_action == TaoWriteAction::Writing && progress.last_written_lba == 7_199 {
            if let Some(to_canceller) = to_canceller.lock().unwrap().take() {
                to_canceller.send(()).unwrap();
                from_canceller.lock().unwrap().recv().unwrap().unwrap();
            }
        }
    });
    rig.format.advise(sink).unwrap();
    let format = Arc::clone(&rig.format);
    let canceller = thread::spawn(move || {
        from_writer.recv().unwrap();
        let r = format.cancel_add_track();
        to_writer.send(r).unwrap();
        r
    });
    assert_eq!(rig.add(22_500), Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
    assert_eq!(canceller.join().unwrap(), Ok(()));
    assert_eq!(rig.disc().tracks[0].sectors, 7_200);
}

#[test]
fn a_cancelled_track_can_be_discarded_by_calibration() {
    let rig = Rig::calibrated("cdr80", |c| c.cancelled_track_kept = false).prepared();
    cancel_when_writing(&rig, data_written);
    assert_cancelled_leaving_no_track(&rig);
}

#[test]
fn cancel_during_preparing_is_write_not_in_progress_and_the_track_is_written() {
    // Spec 2, CancelAddTrack (dll id 55622866541): PREPARING fires before the writing flag is
    // set, so there is no write to cancel yet.
    let rig = Rig::new("cdr80").prepared();
    let answers = Arc::new(Mutex::new(Vec::new()));
    let a = answers.clone();
    let sink = Recorder::new(move |format: &dyn DiscFormat2TrackAtOnce, progress: &cdr_sim::TaoProgress| {
        if progress.current_action == TaoWriteAction::Preparing {
            a.lock().unwrap().push(format.cancel_add_track());
        }
    });
    rig.format.advise(sink).unwrap();
    assert_eq!(rig.add(22_500), Ok(()));
    assert_eq!(*answers.lock().unwrap(), [Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS)]);
    assert_eq!(rig.disc().tracks[0].sectors, 22_500);
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(1));
}

#[test]
fn release_media_is_still_needed_and_works_after_a_cancel() {
    let rig = Rig::new("cdr80").prepared();
    let cookie = cancel_when_writing(&rig, data_written);
    assert_eq!(rig.add(22_500), Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
    rig.format.unadvise(cookie).unwrap();
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, cdr_sim::DiscState::Complete);
    assert_eq!(disc.tracks.iter().map(|t| t.sectors).collect::<Vec<_>>(), [1_800, 300]);
}
