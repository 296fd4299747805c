//! The rules the revised spec takes from the shipped imapi2.dll (sections 2, 3, 4 and 8), one
//! test per rule, named after it.

use std::sync::{Arc, Mutex};

use cdr_sim::profile::{drive_by_name, NoMediaAnswer, RequestedSpeedAfterPrepare, ShortTrack, TaoDetection};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{
    Backend, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, TaoProgress, TaoWriteAction,
};

use crate::common::{checked, event_log, media_profile, Recorder, Rig, CLIENT, INTERNAL_FAILURE};

const WIP: Hresult = Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS;

/// An event's action, NumberOfExistingTracks and CancelAddTrack as a handler saw them.
type Seen = (TaoWriteAction, Result<i32, Hresult>, Result<(), Hresult>);

/// Another recorder object on the rig's drive, initialised.
fn second_recorder(rig: &Rig) -> Arc<dyn DiscRecorder2> {
    let r = rig.sim.create_recorder().unwrap();
    r.initialize_disc_recorder(&rig.recorder.active_disc_recorder().unwrap()).unwrap();
    r
}

#[test]
fn rule_1_exclusive_access_belongs_to_the_recorder_object() {
    // An extra lock taken after PrepareMedia, same recorder object, same name: one count more.
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.recorder.acquire_exclusive_access(false, CLIENT), Ok(()));
    assert_eq!(rig.recorder.release_exclusive_access(), Ok(()));
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    // Both counts are gone: another recorder object can lock the drive.
    let other = second_recorder(&rig);
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Ok(()));
    assert_eq!(other.release_exclusive_access(), Ok(()));

    // A lock taken before put_Recorder, under another name: PrepareMedia is not refused by it.
    let rig = Rig::new("cdr80");
    rig.recorder.acquire_exclusive_access(true, "OwnLock").unwrap();
    let rig = rig.prepared();
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "OwnLock");
    rig.format.release_media().unwrap();
    // The application's own count is still held after ReleaseMedia.
    let other = second_recorder(&rig);
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    rig.recorder.release_exclusive_access().unwrap();
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Ok(()));

    // A second recorder object on the same drive is another client.
    let rig = Rig::new("cdr80").ready();
    let other = second_recorder(&rig);
    other.acquire_exclusive_access(false, "Other").unwrap();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    // Two format objects on one recorder object share its count.
    other.release_exclusive_access().unwrap();
    rig.format.prepare_media().unwrap();
    let second = rig.second_format();
    assert_eq!(second.prepare_media(), Ok(()));
}

#[test]
fn rule_2_a_second_prepare_media_unprepares_the_object() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED));
    assert_eq!(rig.add(300), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(rig.format.free_sectors_on_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(rig.format.release_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    // The first call's lock count stays held: another recorder object is refused.
    let other = second_recorder(&rig);
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    // The tray stays locked.
    assert_eq!(rig.recorder.eject_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY));
    // A later PrepareMedia succeeds and adds a second count.
    rig.format.prepare_media().unwrap();
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    // ReleaseMedia removed one count and unlocked the tray; the leaked count stays.
    assert_eq!(rig.recorder.eject_media(), Ok(()));
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    rig.recorder.release_exclusive_access().unwrap();
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Ok(()));
}

#[test]
fn rule_3_the_cache_is_refreshed_only_after_a_fully_successful_track() {
    let rig = Rig::new("cdr80").prepared();
    let free = rig.format.free_sectors_on_media().unwrap();
    let cancel = Recorder::new(|f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        if p.current_action == TaoWriteAction::Writing && p.last_written_lba > p.start_lba + 100 {
            let _ = f.cancel_add_track();
        }
    });
    let cookie = rig.format.advise(cancel).unwrap();
    assert_eq!(rig.add(3_000), Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
    rig.format.unadvise(cookie).unwrap();
    // The short track is on the disc, but the cache keeps its pre-call values.
    let short = rig.disc().tracks[0].sectors;
    assert!(short > 100 && short < 3_000, "{short}");
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(0));
    assert_eq!(rig.format.free_sectors_on_media(), Ok(free));
    assert_eq!(rig.format.expected_table_of_contents(), Err(Hresult::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC));
    // The next successful track is announced as track 1 again and its refresh counts both.
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(300).unwrap();
    assert_eq!(log.events()[0].current_track_number, 1);
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(2));
    let start2 = i64::from(short) + 152;
    assert_eq!(rig.disc().tracks[1].start as i64, start2);
    assert_eq!(rig.format.free_sectors_on_media(), Ok(free - (start2 as i32 + 300 + 152)));
    // The odd TOC: header length 8*0 + 10, descriptor 1 never written (all zero).
    let toc = rig.format.expected_table_of_contents().unwrap();
    assert_eq!(toc.len(), 8 * 2 + 12);
    assert_eq!(&toc[..4], &[0, 10, 1, 2]);
    assert_eq!(&toc[4..12], &[0; 8]);
    assert_eq!(&toc[12..15], &[0, 0x10, 2]);
    assert_eq!(&toc[20..23], &[0, 0x10, 0xAA]);
}

#[test]
fn rule_4_the_writing_flag_is_set_after_preparing_and_cleared_before_verifying() {
    let rig = Rig::new("cdr80").prepared();
    rig.format.set_burn_verification_level(BurnVerificationLevel::Quick).unwrap();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let s = seen.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        let cancel = match p.current_action {
            // From PREPARING, CancelAddTrack finds no write in progress.
            TaoWriteAction::Preparing | TaoWriteAction::Verifying => f.cancel_add_track(),
            _ => Ok(()),
        };
        s.lock().unwrap().push((p.current_action, f.number_of_existing_tracks(), cancel));
    });
    rig.format.advise(sink).unwrap();
    rig.add(300).unwrap();
    let seen = seen.lock().unwrap().clone();
    let not_in_progress = Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS);
    assert_eq!(seen.first(), Some(&(TaoWriteAction::Preparing, Ok(0), not_in_progress)));
    assert!(seen.iter().filter(|e| e.0 == TaoWriteAction::Writing).all(|e| e.1 == Err(WIP)));
    assert_eq!(seen.iter().filter(|e| e.0 == TaoWriteAction::Finishing).count(), 1);
    assert!(seen.iter().filter(|e| e.0 == TaoWriteAction::Finishing).all(|e| e.1 == Err(WIP)));
    // VERIFYING: the flag is cleared and the cache refreshed.
    assert_eq!(seen.last(), Some(&(TaoWriteAction::Verifying, Ok(1), not_in_progress)));
}

#[test]
fn rule_4_a_nested_add_audio_track_from_preparing_writes_a_whole_track_first() {
    let rig = Rig::new("cdr80").prepared();
    let nested: Arc<Mutex<Option<Result<(), Hresult>>>> = Arc::default();
    let n = nested.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        let mut slot = n.lock().unwrap();
        if p.current_action == TaoWriteAction::Preparing && slot.is_none() {
            *slot = Some(Ok(()));
            drop(slot);
            let r = f.add_audio_track(&mut SyntheticPcm::sectors(9, 400));
            *n.lock().unwrap() = Some(r);
        }
    });
    rig.format.advise(sink).unwrap();
    rig.add(300).unwrap();
    assert_eq!(*nested.lock().unwrap(), Some(Ok(())));
    let disc = rig.disc();
    // The nested track is track 1; the outer stream became track 2, after it.
    assert_eq!(disc.tracks.iter().map(|t| (t.start, t.sectors)).collect::<Vec<_>>(), [(0, 400), (552, 300)]);
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(2));
}

#[test]
fn rejected_nested_add_clears_writing() {
    for clears in [true, false] {
        let rig = Rig::calibrated("cdr80", |c| c.rejected_nested_add_clears_writing = clears).prepared();
        let seen: Arc<Mutex<Vec<Result<(), Hresult>>>> = Arc::default();
        let s = seen.clone();
        let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
            if p.current_action == TaoWriteAction::Writing {
                let mut s = s.lock().unwrap();
                if s.is_empty() {
                    s.push(f.add_audio_track(&mut SyntheticPcm::sectors(1, 300)));
                    s.push(f.cancel_add_track().map(drop));
                }
            }
        });
        rig.format.advise(sink).unwrap();
        let result = rig.add(3_000);
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen[0], Err(WIP));
        if clears {
            // The flag is gone: CancelAddTrack no longer sees a write in progress.
            assert_eq!(seen[1], Err(Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
            assert_eq!(result, Ok(()));
        } else {
            assert_eq!(seen[1], Ok(()));
            assert_eq!(result, Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
        }
    }
}

#[test]
fn hundredth_track_result() {
    // Spec 2, AddAudioTrack: the DLL checks the 99-track limit before PREPARING only; when the
    // PREPARING handler's nested AddAudioTrack writes the 99th track, the outer call asks the
    // drive for a 100th track's address, which it refuses: the call fails with the calibrated
    // code before any data, with no WRITING or FINISHING and the cache as the nested refresh
    // left it (dll id 55622866541).
    for code in [Hresult::E_FAIL, Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE] {
        let rig = Rig::calibrated("cdr80", |c| c.hundredth_track_result = code).prepared();
        for _ in 0..98 {
            rig.add(300).unwrap();
        }
        let nested: Arc<Mutex<Vec<Result<(), Hresult>>>> = Arc::default();
        let actions: Arc<Mutex<Vec<(TaoWriteAction, i32)>>> = Arc::default();
        let (n, a) = (nested.clone(), actions.clone());
        let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
            a.lock().unwrap().push((p.current_action, p.current_track_number));
            if p.current_action == TaoWriteAction::Preparing && p.current_track_number == 99 {
                let first = n.lock().unwrap().is_empty();
                if first {
                    n.lock().unwrap().push(Ok(()));
                    let r = f.add_audio_track(&mut SyntheticPcm::sectors(5, 300));
                    n.lock().unwrap().push(r);
                }
            }
        });
        rig.format.advise(sink).unwrap();
        let free_after_99 = 359_845 - 99 * 452;
        assert_eq!(rig.add(400), Err(code));
        assert_eq!(nested.lock().unwrap()[1], Ok(()), "the nested call writes track 99");
        let actions = actions.lock().unwrap().clone();
        // The outer PREPARING, then the nested track's events; nothing of the outer track after.
        assert_eq!(actions.first(), Some(&(TaoWriteAction::Preparing, 99)));
        assert_eq!(actions.iter().filter(|e| e.0 == TaoWriteAction::Preparing).count(), 2);
        assert_eq!(actions.iter().filter(|e| e.0 == TaoWriteAction::Finishing).count(), 1);
        assert_eq!(actions.last().map(|e| e.0), Some(TaoWriteAction::Finishing));
        assert_eq!(rig.disc().tracks.len(), 99);
        assert_eq!(rig.disc().tracks.last().map(|t| t.sectors), Some(300));
        assert_eq!(rig.format.number_of_existing_tracks(), Ok(99));
        assert_eq!(rig.format.free_sectors_on_media(), Ok(free_after_99));
        // The object is prepared and not writing: the next call meets the limit as usual.
        assert_eq!(rig.add(300), Err(Hresult::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED));
        assert_eq!(rig.format.release_media(), Ok(()));
    }
    // A cancelled 99th track is on the disc although the cache counts 98: the next track passes
    // the limit check and the drive refuses it the same way.
    let rig = Rig::new("cdr80").prepared();
    for _ in 0..98 {
        rig.add(300).unwrap();
    }
    let sink = Recorder::new(|f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        if p.current_action == TaoWriteAction::Writing && p.last_written_lba > p.start_lba {
            let _ = f.cancel_add_track();
        }
    });
    rig.format.advise(sink).unwrap();
    assert_eq!(rig.add(3_000), Err(Hresult::E_IMAPI_REQUEST_CANCELLED));
    assert_eq!((rig.disc().tracks.len(), rig.format.number_of_existing_tracks()), (99, Ok(98)));
    assert_eq!(rig.add(300), Err(Hresult::E_FAIL));
    assert_eq!(rig.disc().tracks.len(), 99);
}

#[test]
fn rule_5_short_tracks_are_not_padded_by_the_dll() {
    for (setting, on_disc) in [(ShortTrack::DrivePads, 300), (ShortTrack::AsWritten, 10)] {
        let rig = Rig::calibrated("cdr80", |c| c.short_track = setting).prepared();
        let log = event_log();
        rig.format.advise(log.clone()).unwrap();
        rig.add(10).unwrap();
        assert!(log.events().iter().all(|e| e.sector_count == 10));
        assert_eq!(log.last_written(TaoWriteAction::Finishing), [9]);
        assert_eq!(rig.disc().tracks[0].sectors, on_disc);
        let lpl = 359_847;
        assert_eq!(rig.format.free_sectors_on_media(), Ok(lpl - 2 - (on_disc as i32 + 152)));
    }
    // The retired key `pad_short_tracks` in a drive profile is an error naming `short_track`.
    let text = toml::to_string(&drive_by_name("default").unwrap()).unwrap();
    assert!(text.contains("[calibration]\n"), "{text}");
    let text = text.replace("[calibration]\n", "[calibration]\npad_short_tracks = true\n");
    let err = toml::from_str::<cdr_sim::DriveProfile>(&text).unwrap_err().to_string();
    assert!(err.contains("`pad_short_tracks` was replaced by `short_track`"), "{err}");
}

#[test]
fn rule_6_free_is_signed_and_never_clamped() {
    let rig = Rig::new("cdr21-8cm").prepared();
    let free = rig.format.free_sectors_on_media().unwrap();
    let total = rig.format.total_sectors_on_media().unwrap();
    rig.add(free as u64).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(-152));
    assert_eq!(rig.format.used_sectors_on_media(), Ok(total + 152));
    // A negative Free refuses every later track.
    assert_eq!(rig.add(1), Err(Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE));
}

#[test]
fn rule_7_support_checks_follow_the_drive_profile() {
    // Spec 2 (dll id 56065615557): the three kinds of drive a profile expresses.
    let answers = |name: &str, media: &str| {
        let rig = Rig::with(drive_by_name(name).unwrap(), media_profile(media));
        (
            rig.format.is_recorder_supported(rig.recorder.as_ref()),
            rig.format.is_current_media_supported(rig.recorder.as_ref()),
            rig.format.set_recorder(Some(rig.recorder.clone())),
        )
    };
    assert_eq!(answers("default", "cdr80"), (checked(true), checked(true), Ok(())));
    // Feature 0x002D absent: the mode page 2A write bits answer.
    assert_eq!(answers("mode-page-only", "cdr80"), (checked(true), checked(true), Ok(())));
    // No GET CONFIGURATION: FALSE with S_OK.
    let refused = Err(Hresult::E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED);
    assert_eq!(answers("no-get-configuration", "cdr80"), (checked(false), checked(false), refused));
    assert_eq!(answers("no-tao", "cdr80"), (checked(false), checked(false), refused));
    // An empty tray: S_OK and FALSE by default; the docs' error when calibrated so.
    assert_eq!(answers("default", "none").1, checked(false));
    let mut drive = drive_by_name("default").unwrap();
    drive.calibration.is_current_media_supported_no_media = NoMediaAnswer::Error;
    let rig = Rig::with(drive, None);
    assert_eq!(
        rig.format.is_current_media_supported(rig.recorder.as_ref()),
        Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
    );
    // Internal failures (a recorder the check cannot reach): S_FALSE with FALSE, both checks.
    let fresh = rig.sim.create_recorder().unwrap();
    assert_eq!(rig.format.is_recorder_supported(fresh.as_ref()), INTERNAL_FAILURE);
    assert_eq!(rig.format.is_current_media_supported(fresh.as_ref()), INTERNAL_FAILURE);
    assert_eq!(INTERNAL_FAILURE.map(|a| a.code), Ok(Hresult::S_FALSE));
    // The profile key.
    let text = toml::to_string(&drive_by_name("default").unwrap()).unwrap();
    assert!(text.contains("tao_detection = \"feature\""), "{text}");
    let text = text.replace("tao_detection = \"feature\"", "tao_detection = \"no_get_configuration\"");
    let d: cdr_sim::DriveProfile = toml::from_str(&text).unwrap();
    assert_eq!(d.tao_detection, TaoDetection::NoGetConfiguration);
    assert_eq!(drive_by_name("mode-page-only").unwrap().tao_detection, TaoDetection::ModePage);
}

#[test]
fn rule_8_events_cadence_lbas_and_times() {
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    // 48x = 3,600 sectors/s: 7,200 sectors take 2 s, WRITING every 500 ms.
    rig.add(7_200).unwrap();
    let events = log.events();
    let writing: Vec<&TaoProgress> = events.iter().filter(|e| e.current_action == TaoWriteAction::Writing).collect();
    // One before data flows, one at each 500 ms (the last of which is the end), one after.
    assert_eq!(writing.len(), 1 + 3 + 1, "{writing:?}");
    assert_eq!(writing[0].last_written_lba, 0);
    assert_eq!(writing[1].last_written_lba, 1_799);
    assert_eq!(writing.last().unwrap().last_written_lba, 7_199);
    assert!(events.iter().all(|e| e.last_written_lba - e.start_lba < e.sector_count), "never 100 %");
    assert_eq!(events.iter().filter(|e| e.current_action == TaoWriteAction::Finishing).count(), 1);
    // ElapsedTime restarts at each track's PREPARING.
    rig.add(300).unwrap();
    let second = log.events()[events.len()];
    assert_eq!((second.current_action, second.elapsed_time), (TaoWriteAction::Preparing, 0));
    // FULL verification: no VERIFYING, only a longer estimate (write seconds + 5).
    rig.format.set_burn_verification_level(BurnVerificationLevel::Full).unwrap();
    let before = log.events().len();
    rig.add(7_200).unwrap();
    let third = &log.events()[before..];
    assert!(third.iter().all(|e| e.current_action != TaoWriteAction::Verifying));
    assert_eq!(third[0].remaining_time, 1 + 2 + 2 + 5);

    // The 750 sectors/s fallback for an unknown speed is checked on the timeline itself
    // (`clock::tests::full_verification_adds_the_write_time_and_an_unknown_speed_is_750`): a
    // drive profile's speeds are 1x or more, so no simulated drive reports 0.
}

#[test]
fn rule_9_every_prepare_media_resets_the_pending_speed_request() {
    for (setting, after) in [(RequestedSpeedAfterPrepare::Kept, 600), (RequestedSpeedAfterPrepare::Reset, -1)] {
        // A request made before a failed PrepareMedia is lost.
        let rig = Rig::calibrated("cdr80", |c| c.requested_speed_after_prepare = setting);
        rig.format.set_recorder(Some(rig.recorder.clone())).unwrap();
        rig.format.set_write_speed(600, false).unwrap();
        assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID));
        assert_eq!(rig.format.requested_write_speed(), Ok(after));
        rig.format.set_client_name(Some(CLIENT)).unwrap();
        rig.format.prepare_media().unwrap();
        assert_eq!(rig.format.current_write_speed(), Ok(48 * 75));
        rig.format.release_media().unwrap();
        // A request before a successful PrepareMedia applies, once.
        rig.format.set_write_speed(600, false).unwrap();
        rig.format.prepare_media().unwrap();
        assert_eq!(rig.format.current_write_speed(), Ok(600));
        assert_eq!(rig.format.requested_write_speed(), Ok(after));
    }
}

#[test]
fn rule_10_the_recorder_initialisation_and_its_exclusive_access() {
    let sim = cdr_sim::SimBackend::new(drive_by_name("default").unwrap(), media_profile("cdr80"));
    let id = sim.disc_master().unwrap().item(0).unwrap();
    let r = sim.create_recorder().unwrap();
    assert_eq!(r.acquire_exclusive_access(false, "App"), Err(Hresult::E_FAIL));
    assert_eq!(r.release_exclusive_access(), Err(Hresult::E_FAIL));
    assert_eq!(r.initialize_disc_recorder(""), Err(Hresult::E_INVALIDARG));
    assert_eq!(r.initialize_disc_recorder("\\\\?\\no#such#drive"), Err(Hresult(0x8007_0002)));
    assert_eq!(r.initialize_disc_recorder(&id), Ok(()));
    assert_eq!(r.initialize_disc_recorder(&id), Err(Hresult::E_FAIL));
    assert_eq!(r.active_disc_recorder(), Ok(id.clone()));
    // The name is checked on every call; counts are per object.
    assert_eq!(r.release_exclusive_access(), Err(Hresult::E_INVALIDARG));
    r.acquire_exclusive_access(false, "App").unwrap();
    assert_eq!(r.acquire_exclusive_access(false, "bad/name"), Err(Hresult::E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID));
    r.acquire_exclusive_access(false, "Another").unwrap();
    let other = sim.create_recorder().unwrap();
    other.initialize_disc_recorder(&id).unwrap();
    assert_eq!(other.acquire_exclusive_access(true, "Other"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    assert_eq!(other.release_exclusive_access(), Err(Hresult::E_INVALIDARG));
    // A dropped recorder object releases its lock.
    drop(r);
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Ok(()));
}
