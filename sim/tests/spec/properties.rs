//! Spec section 2: the properties' rules (P, !W, !P, R) and defaults.

use std::sync::{Arc, Mutex};

use cdr_sim::profile::{drive_by_name, TocLengthField};
use cdr_sim::{
    Backend, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, SimBackend, TaoProgress,
    TaoWriteAction,
};

use crate::common::{media_profile, Recorder, Rig};

const WIP: Hresult = Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS;
const PREPARED: Hresult = Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED;
const NOT_PREPARED: Hresult = Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED;

/// Runs `call` from inside the first WRITING event of a 300-sector track, when AddAudioTrack's
/// writing flag is set (spec 2, !W: not yet in PREPARING), and returns its answer.
fn during_write<T: Send + 'static>(
    rig: &Rig,
    call: impl Fn(&dyn DiscFormat2TrackAtOnce) -> T + Send + Sync + 'static,
) -> T {
    let answer = Arc::new(Mutex::new(None));
    let a = answer.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
        let mut slot = a.lock().unwrap();
        if slot.is_none() && p.current_action == TaoWriteAction::Writing {
            *slot = Some(call(f));
        }
    });
    let cookie = rig.format.advise(sink).unwrap();
    rig.add(300).unwrap();
    rig.format.unadvise(cookie).unwrap();
    let v = answer.lock().unwrap().take().expect("the handler ran");
    v
}

#[test]
fn put_recorder_while_prepared_is_media_is_prepared_and_while_writing_is_write_in_progress() {
    let rig = Rig::new("cdr80").prepared();
    let rec = rig.recorder.clone();
    assert_eq!(rig.format.set_recorder(Some(rec.clone())), Err(PREPARED));
    assert_eq!(rig.format.set_recorder(None), Err(PREPARED));
    assert_eq!(during_write(&rig, move |f| f.set_recorder(Some(rec.clone()))), Err(WIP));
}

#[test]
fn put_recorder_with_a_drive_without_track_at_once_is_recorder_not_supported() {
    let rig = Rig::with(drive_by_name("no-tao").unwrap(), media_profile("cdr80"));
    assert_eq!(
        rig.format.set_recorder(Some(rig.recorder.clone())),
        Err(Hresult::E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED)
    );
    assert!(rig.format.recorder().unwrap().is_none());
}

#[test]
fn put_recorder_with_a_recorder_of_another_backend_is_invalid_arg() {
    struct Foreign;
    impl DiscRecorder2 for Foreign {
        fn initialize_disc_recorder(&self, _: &str) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn active_disc_recorder(&self) -> cdr_sim::HrResult<String> {
            Ok("x".into())
        }
        fn vendor_id(&self) -> cdr_sim::HrResult<String> {
            Ok("x".into())
        }
        fn product_id(&self) -> cdr_sim::HrResult<String> {
            Ok("x".into())
        }
        fn product_revision(&self) -> cdr_sim::HrResult<String> {
            Ok("x".into())
        }
        fn volume_name(&self) -> cdr_sim::HrResult<String> {
            Ok("x".into())
        }
        fn volume_path_names(&self) -> cdr_sim::HrResult<Vec<String>> {
            Ok(vec![])
        }
        fn device_can_load_media(&self) -> cdr_sim::HrResult<bool> {
            Ok(true)
        }
        fn legacy_device_number(&self) -> cdr_sim::HrResult<i32> {
            Ok(0)
        }
        fn supported_profiles(&self) -> cdr_sim::HrResult<Vec<i32>> {
            Ok(vec![])
        }
        fn current_profiles(&self) -> cdr_sim::HrResult<Vec<i32>> {
            Ok(vec![])
        }
        fn supported_feature_pages(&self) -> cdr_sim::HrResult<Vec<i32>> {
            Ok(vec![0x2D])
        }
        fn current_feature_pages(&self) -> cdr_sim::HrResult<Vec<i32>> {
            Ok(vec![])
        }
        fn supported_mode_pages(&self) -> cdr_sim::HrResult<Vec<i32>> {
            Ok(vec![])
        }
        fn exclusive_access_owner(&self) -> cdr_sim::HrResult<String> {
            Ok(String::new())
        }
        fn acquire_exclusive_access(&self, _: bool, _: &str) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn release_exclusive_access(&self) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn eject_media(&self) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn close_tray(&self) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn disable_mcn(&self) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn enable_mcn(&self) -> cdr_sim::HrResult<()> {
            Ok(())
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.set_recorder(Some(Arc::new(Foreign))), Err(Hresult::E_INVALIDARG));
    // The support checks cannot talk to it: an internal failure, FALSE with S_FALSE.
    assert_eq!(rig.format.is_recorder_supported(&Foreign), crate::common::INTERNAL_FAILURE);
    assert_eq!(rig.format.is_current_media_supported(&Foreign), crate::common::INTERNAL_FAILURE);
    assert_eq!(rig.sim.read_back(&Foreign), Err(Hresult::E_INVALIDARG));
}

#[test]
fn put_recorder_with_an_uninitialised_recorder_is_recorder_required() {
    let rig = Rig::new("cdr80");
    let fresh = rig.sim.create_recorder().unwrap();
    assert_eq!(rig.format.set_recorder(Some(fresh)), Err(Hresult::E_IMAPI_RECORDER_REQUIRED));
}

#[test]
fn get_recorder_returns_the_object_put_and_null_clears_it() {
    let rig = Rig::new("cdr80");
    assert!(rig.format.recorder().unwrap().is_none());
    rig.format.set_recorder(Some(rig.recorder.clone())).unwrap();
    assert!(Arc::ptr_eq(&rig.format.recorder().unwrap().unwrap(), &rig.recorder));
    rig.format.set_recorder(None).unwrap();
    assert!(rig.format.recorder().unwrap().is_none());
    assert_eq!(rig.format.current_physical_media_type(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
}

#[test]
fn put_client_name_with_an_invalid_name_is_client_name_is_not_valid() {
    let rig = Rig::new("cdr80");
    for bad in ["bad/name", "ünïcode", &"x".repeat(64), "tab\t"] {
        assert_eq!(
            rig.format.set_client_name(Some(bad)),
            Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID),
            "{bad}"
        );
    }
    assert_eq!(rig.format.client_name(), Ok(None));
    rig.format.set_client_name(Some("My Burner 2.1: disc-1_a;b,c")).unwrap();
    assert_eq!(rig.format.client_name().unwrap().as_deref(), Some("My Burner 2.1: disc-1_a;b,c"));
}

#[test]
fn put_client_name_accepts_empty_and_null() {
    let rig = Rig::new("cdr80");
    rig.format.set_client_name(Some("")).unwrap();
    assert_eq!(rig.format.client_name(), Ok(Some(String::new())));
    rig.format.set_client_name(None).unwrap();
    assert_eq!(rig.format.client_name(), Ok(None));
}

#[test]
fn put_client_name_while_prepared_is_media_is_prepared_and_while_writing_is_write_in_progress() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.format.set_client_name(Some("Late")), Err(PREPARED));
    assert_eq!(rig.format.set_client_name(None), Err(PREPARED));
    assert_eq!(during_write(&rig, |f| f.set_client_name(None)), Err(WIP));
}

#[test]
fn client_name_and_recorder_can_be_set_in_either_order() {
    let rig = Rig::new("cdr80");
    rig.format.set_client_name(Some("First")).unwrap();
    rig.format.set_recorder(Some(rig.recorder.clone())).unwrap();
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "First");
}

#[test]
fn put_buffer_underrun_free_disabled_needs_prepare_media_and_fails_while_writing() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.buffer_underrun_free_disabled(), Ok(false));
    assert_eq!(rig.format.set_buffer_underrun_free_disabled(true), Err(NOT_PREPARED));
    rig.format.prepare_media().unwrap();
    rig.format.set_buffer_underrun_free_disabled(true).unwrap();
    assert_eq!(rig.format.buffer_underrun_free_disabled(), Ok(true));
    assert_eq!(during_write(&rig, |f| f.set_buffer_underrun_free_disabled(false)), Err(WIP));
    assert_eq!(during_write(&rig, |f| f.buffer_underrun_free_disabled()), Ok(true));
}

#[test]
fn number_of_existing_tracks_needs_prepare_media_and_fails_while_writing() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.number_of_existing_tracks(), Err(NOT_PREPARED));
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(0));
    assert_eq!(during_write(&rig, |f| f.number_of_existing_tracks()), Err(WIP));
}

#[test]
fn total_free_and_used_need_prepare_media() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.total_sectors_on_media(), Err(NOT_PREPARED));
    assert_eq!(rig.format.free_sectors_on_media(), Err(NOT_PREPARED));
    assert_eq!(rig.format.used_sectors_on_media(), Err(NOT_PREPARED));
    assert_eq!(Rig::new("cdr80").format.free_sectors_on_media(), Err(NOT_PREPARED));
}

#[test]
fn used_sectors_counts_only_written_tracks_when_calibrated_so() {
    let rig =
        Rig::calibrated("cdr80", |c| c.used_sectors = cdr_sim::profile::UsedSectorsFormula::WrittenOnly).prepared();
    assert_eq!(rig.format.used_sectors_on_media(), Ok(0));
    rig.add(22_500).unwrap();
    // The first pregap, the track, its run-out and the pause before the next track.
    assert_eq!(rig.format.used_sectors_on_media(), Ok(150 + 22_652));
}

#[test]
fn free_after_a_track_is_150_more_with_the_dll_nwa_formula() {
    let rig = Rig::calibrated("cdr80", |c| c.free_after_track = cdr_sim::profile::FreeAfterTrack::DllNwa).prepared();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_845));
    rig.add(22_500).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(337_193 + 150));
    // The layout is unchanged: the next track still starts after the pause.
    rig.add(300).unwrap();
    assert_eq!(rig.disc().tracks[1].start, 22_652);
}

#[test]
fn a_track_past_the_last_possible_lead_out_fails_at_the_end_of_the_disc() {
    // With the DLL's Free, a track of exactly Free runs 150 sectors past the disc's end.
    let rig =
        Rig::calibrated("cdr21-8cm", |c| c.free_after_track = cdr_sim::profile::FreeAfterTrack::DllNwa).prepared();
    rig.add(300).unwrap();
    let free = rig.format.free_sectors_on_media().unwrap();
    assert_eq!(rig.add(free as u64), Err(Hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE));
    let disc = rig.disc();
    assert_eq!(disc.tracks[1].sectors as i32, free - 150);
    rig.format.release_media().unwrap();
    assert_eq!(rig.disc().lead_out, Some(96_600));
}

#[test]
fn put_do_not_finalize_media_while_prepared_is_media_is_prepared_and_while_writing_is_write_in_progress() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.do_not_finalize_media(), Ok(false));
    rig.format.set_do_not_finalize_media(true).unwrap();
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.format.set_do_not_finalize_media(false), Err(PREPARED));
    assert_eq!(during_write(&rig, |f| f.set_do_not_finalize_media(false)), Err(WIP));
    assert_eq!(rig.format.do_not_finalize_media(), Ok(true));
}

#[test]
fn put_do_not_finalize_media_on_written_media_is_property_for_blank_media_only() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    rig.format.release_media().unwrap();
    assert_eq!(rig.format.set_do_not_finalize_media(true), Err(Hresult::E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY));
    let used = Rig::new("cdr80-appendable").ready();
    assert_eq!(used.format.set_do_not_finalize_media(true), Err(Hresult::E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY));
}

#[test]
fn expected_table_of_contents_checks_write_in_progress_then_not_prepared_then_empty_disc() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.expected_table_of_contents(), Err(NOT_PREPARED));
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.format.expected_table_of_contents(), Err(Hresult::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC));
    assert_eq!(during_write(&rig, |f| f.expected_table_of_contents()), Err(WIP));
    assert_eq!(rig.format.expected_table_of_contents().unwrap().len(), 20);
}

#[test]
fn expected_table_of_contents_has_8n_plus_12_bytes_and_the_mmc_length_field_when_calibrated() {
    let rig = Rig::calibrated("cdr80", |c| c.toc_length_field = TocLengthField::Mmc).prepared();
    for _ in 0..3 {
        rig.add(300).unwrap();
    }
    let toc = rig.format.expected_table_of_contents().unwrap();
    assert_eq!(toc.len(), 8 * 3 + 12);
    assert_eq!(&toc[..4], &[0, 34, 1, 3]);
    // Track 3 starts at 904 (+150 = 1,054 frames = 00:14:04); the lead-out at 1,206 (00:18:06).
    assert_eq!(&toc[20..28], &[0, 0x10, 3, 0, 0, 0, 14, 4]);
    assert_eq!(&toc[28..36], &[0, 0x10, 0xAA, 0, 0, 0, 18, 6]);
}

#[test]
fn requested_write_speed_and_rotation_default_to_fastest_and_clv() {
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.requested_write_speed(), Ok(-1));
    assert_eq!(rig.format.requested_rotation_type_is_pure_cav(), Ok(false));
}

#[test]
fn supported_media_types_are_cd_r_and_cd_rw() {
    let rig = Rig::new("none");
    let types: Vec<i32> = rig.format.supported_media_types().unwrap().iter().map(|t| t.value()).collect();
    assert_eq!(types, [2, 3]);
}

#[test]
fn burn_verification_level_defaults_to_none_and_follows_the_calibration() {
    assert_eq!(Rig::new("cdr80").format.burn_verification_level(), Ok(BurnVerificationLevel::None));
    let rig = Rig::calibrated("cdr80", |c| c.default_verification_level = BurnVerificationLevel::Quick);
    assert_eq!(rig.format.burn_verification_level(), Ok(BurnVerificationLevel::Quick));
}

#[test]
fn put_burn_verification_level_accepts_full_and_is_accepted_while_writing() {
    let rig = Rig::new("cdr80").prepared();
    rig.format.set_burn_verification_level(BurnVerificationLevel::Full).unwrap();
    assert_eq!(rig.format.burn_verification_level(), Ok(BurnVerificationLevel::Full));
    // Spec 2: IBurnVerification has no !W rule.
    assert_eq!(during_write(&rig, |f| f.set_burn_verification_level(BurnVerificationLevel::None)), Ok(()));
    assert_eq!(rig.format.burn_verification_level(), Ok(BurnVerificationLevel::None));
}

#[test]
fn unadvise_of_an_unknown_cookie_fails() {
    let rig = Rig::new("cdr80");
    let cookie = rig.format.advise(crate::common::event_log()).unwrap();
    rig.format.unadvise(cookie).unwrap();
    assert!(rig.format.unadvise(cookie).is_err());
}

#[test]
fn format_objects_of_one_backend_share_the_one_drive() {
    let sim = SimBackend::new(drive_by_name("default").unwrap(), media_profile("cdr80"));
    let id = sim.disc_master().unwrap().item(0).unwrap();
    let (r1, r2) = (sim.create_recorder().unwrap(), sim.create_recorder().unwrap());
    r1.initialize_disc_recorder(&id).unwrap();
    r2.initialize_disc_recorder(&id).unwrap();
    let f1 = sim.create_format().unwrap();
    f1.set_recorder(Some(r1.clone())).unwrap();
    f1.set_client_name(Some("One")).unwrap();
    f1.prepare_media().unwrap();
    assert_eq!(r2.exclusive_access_owner().unwrap(), "One");
    let f2 = sim.create_format().unwrap();
    f2.set_recorder(Some(r2.clone())).unwrap();
    f2.set_client_name(Some("Two")).unwrap();
    assert_eq!(f2.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
}
