//! Spec sections 2 and 3: the Update handler calls back into the format object (and the
//! recorder) without deadlock, and every answer follows the rules for "writing".

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use cdr_sim::{
    Backend, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, TaoProgress, TaoWriteAction,
};

use crate::common::{Recorder, Rig};

const WIP: Hresult = Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS;

/// Every member of the format object and the recorder, called from inside Update.
fn call_everything(
    f: &dyn DiscFormat2TrackAtOnce,
    r: &dyn DiscRecorder2,
) -> Vec<(&'static str, Result<String, Hresult>)> {
    fn s<T: std::fmt::Debug>(r: Result<T, Hresult>) -> Result<String, Hresult> {
        r.map(|v| format!("{v:?}"))
    }
    vec![
        ("IsRecorderSupported", s(f.is_recorder_supported(r))),
        ("IsCurrentMediaSupported", s(f.is_current_media_supported(r))),
        ("MediaPhysicallyBlank", s(f.media_physically_blank())),
        ("MediaHeuristicallyBlank", s(f.media_heuristically_blank())),
        ("SupportedMediaTypes", s(f.supported_media_types())),
        ("AddAudioTrack", s(f.add_audio_track(&mut cdr_sim::source::SyntheticPcm::sectors(1, 300)))),
        ("ReleaseMedia", s(f.release_media())),
        ("SetWriteSpeed", s(f.set_write_speed(-1, false))),
        ("put_Recorder", s(f.set_recorder(None))),
        ("get_Recorder", s(f.recorder().map(|r| r.is_some()))),
        ("put_BufferUnderrunFreeDisabled", s(f.set_buffer_underrun_free_disabled(true))),
        ("get_BufferUnderrunFreeDisabled", s(f.buffer_underrun_free_disabled())),
        ("get_NumberOfExistingTracks", s(f.number_of_existing_tracks())),
        ("get_TotalSectorsOnMedia", s(f.total_sectors_on_media())),
        ("get_FreeSectorsOnMedia", s(f.free_sectors_on_media())),
        ("get_UsedSectorsOnMedia", s(f.used_sectors_on_media())),
        ("put_DoNotFinalizeMedia", s(f.set_do_not_finalize_media(true))),
        ("get_DoNotFinalizeMedia", s(f.do_not_finalize_media())),
        ("get_ExpectedTableOfContents", s(f.expected_table_of_contents())),
        ("get_CurrentPhysicalMediaType", s(f.current_physical_media_type())),
        ("put_ClientName", s(f.set_client_name(Some("x")))),
        ("get_ClientName", s(f.client_name())),
        ("get_RequestedWriteSpeed", s(f.requested_write_speed())),
        ("get_RequestedRotationTypeIsPureCAV", s(f.requested_rotation_type_is_pure_cav())),
        ("get_CurrentWriteSpeed", s(f.current_write_speed())),
        ("get_CurrentRotationTypeIsPureCAV", s(f.current_rotation_type_is_pure_cav())),
        ("get_SupportedWriteSpeeds", s(f.supported_write_speeds())),
        ("get_SupportedWriteSpeedDescriptors", s(f.supported_write_speed_descriptors().map(|d| d.len()))),
        ("put_BurnVerificationLevel", s(f.set_burn_verification_level(BurnVerificationLevel::Quick))),
        ("get_BurnVerificationLevel", s(f.burn_verification_level())),
        ("IDiscRecorder2::ExclusiveAccessOwner", s(r.exclusive_access_owner())),
        ("IDiscRecorder2::EjectMedia", s(r.eject_media())),
        ("IDiscRecorder2::CurrentProfiles", s(r.current_profiles())),
        // Last: a second PrepareMedia un-prepares the object (spec 2).
        ("PrepareMedia", s(f.prepare_media())),
    ]
}

#[test]
fn every_member_called_from_the_update_handler_answers_without_deadlock() {
    // The rejected nested AddAudioTrack keeps the writing flag here, so that every later call
    // in the list meets it (`dll_rules::rejected_nested_add_clears_writing` covers the
    // default).
    let rig = Rig::calibrated("cdr80", |c| c.rejected_nested_add_clears_writing = false).prepared();
    rig.add(300).unwrap();
    let recorder = Arc::clone(&rig.recorder);
    let answers = Arc::new(Mutex::new(None));
    let a = answers.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        // The writing flag is set from the first WRITING event (spec 2, !W).
        if p.current_action != TaoWriteAction::Writing {
            return;
        }
        let mut slot = a.lock().unwrap();
        if slot.is_none() {
            *slot = Some(call_everything(f, recorder.as_ref()));
        }
    });
    rig.format.advise(sink).unwrap();
    let (done, finished) = mpsc::channel();
    let format = Arc::clone(&rig.format);
    thread::spawn(move || {
        done.send(format.add_audio_track(&mut cdr_sim::source::SyntheticPcm::sectors(2, 600))).unwrap();
    });
    let result = finished.recv_timeout(Duration::from_secs(120)).expect("AddAudioTrack deadlocked");
    assert_eq!(result, Ok(()));
    let answers = answers.lock().unwrap().take().unwrap();
    let get = |name: &str| answers.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    for name in [
        "AddAudioTrack",
        "ReleaseMedia",
        "put_Recorder",
        "put_BufferUnderrunFreeDisabled",
        "get_NumberOfExistingTracks",
        "put_DoNotFinalizeMedia",
        "get_ExpectedTableOfContents",
        "put_ClientName",
    ] {
        assert_eq!(get(name), Err(WIP), "{name}");
    }
    assert_eq!(get("PrepareMedia"), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED));
    assert_eq!(get("get_FreeSectorsOnMedia"), Ok("359393".into()));
    assert_eq!(get("get_TotalSectorsOnMedia"), Ok("359997".into()));
    assert_eq!(get("IDiscRecorder2::EjectMedia"), Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY));
    assert_eq!(get("IDiscRecorder2::ExclusiveAccessOwner"), Ok("\"SpecTests\"".into()));
    assert_eq!(get("SetWriteSpeed"), Ok("S_OK (0x00000000)".into()));
    // Spec 2: IBurnVerification has no !W rule; the level applies from the next track.
    assert_eq!(get("put_BurnVerificationLevel"), Ok("()".into()));
    // Nothing the handler tried changed the session, until the second PrepareMedia un-prepared
    // the object: the track was written, the cache not refreshed.
    assert_eq!(rig.format.number_of_existing_tracks(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(rig.disc().tracks.len(), 2);
    assert_eq!(rig.format.client_name(), Ok(Some("SpecTests".into())));
    assert_eq!(rig.format.burn_verification_level(), Ok(BurnVerificationLevel::Quick));
}

#[test]
fn a_format_object_on_another_recorder_object_answers_from_inside_the_handler() {
    let rig = Rig::new("cdr80").prepared();
    let other = rig.second_format();
    let recorder = rig.sim.create_recorder().unwrap();
    recorder.initialize_disc_recorder(&rig.recorder.active_disc_recorder().unwrap()).unwrap();
    other.set_recorder(Some(recorder)).unwrap();
    let answers = Arc::new(Mutex::new(Vec::new()));
    let a = answers.clone();
    let sink = Recorder::new(move |_: &dyn DiscFormat2TrackAtOnce, _: &TaoProgress| {
        a.lock().unwrap().push((other.prepare_media(), other.media_physically_blank()));
    });
    rig.format.advise(sink).unwrap();
    rig.add(300).unwrap();
    for answer in answers.lock().unwrap().iter() {
        assert_eq!(*answer, (Err(Hresult::E_IMAPI_RECORDER_LOCKED), Ok(true)));
    }
}

#[test]
fn a_panicking_handler_leaves_the_format_object_usable() {
    let rig = Rig::new("cdr80").prepared();
    let sink = Recorder::new(|_: &dyn DiscFormat2TrackAtOnce, _: &TaoProgress| panic!("handler bug"));
    let cookie = rig.format.advise(sink).unwrap();
    let format = Arc::clone(&rig.format);
    let r = thread::spawn(move || format.add_audio_track(&mut cdr_sim::source::SyntheticPcm::sectors(1, 300))).join();
    assert!(r.is_err());
    rig.format.unadvise(cookie).unwrap();
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(0));
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
}
