//! Spec section 2, PrepareMedia: its checks in order, and what it sets up.

use cdr_sim::profile::{drive_by_name, MediaProfile};
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscState, Hresult};
use rstest::rstest;

use crate::common::{media_profile, Rig, CLIENT};

#[test]
fn prepare_media_without_a_recorder_is_no_recorder_specified() {
    let rig = Rig::new("cdr80");
    rig.format.set_client_name(Some(CLIENT)).unwrap();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
}

#[test]
fn prepare_media_twice_is_media_is_prepared() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED));
}

#[test]
fn prepare_media_with_an_empty_tray_is_media_no_media() {
    let rig = Rig::new("none").ready();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
}

#[test]
fn prepare_media_with_an_empty_tray_follows_the_calibration() {
    let rig = Rig::calibrated("none", |c| c.prepare_no_media = Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED).ready();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED));
}

#[test]
fn prepare_media_with_the_tray_open_is_media_no_media() {
    let rig = Rig::new("cdr80").ready();
    rig.recorder.eject_media().unwrap();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
    rig.recorder.close_tray().unwrap();
    rig.format.prepare_media().unwrap();
}

#[test]
fn prepare_media_on_an_upside_down_disc_is_media_upside_down() {
    let rig = Rig::new("cdr80-upside-down").ready();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN));
}

#[rstest]
#[case::dvd_plus_r("dvdplusr")]
#[case::dvd_dash_r("dvddashr")]
#[case::pressed_cd("cdrom")]
fn prepare_media_on_media_other_than_cd_r_rw_is_media_is_not_supported(#[case] media: &str) {
    for drive in ["default", "dvd-writer"] {
        let rig = Rig::with(drive_by_name(drive).unwrap(), media_profile(media)).ready();
        assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED), "{drive}");
    }
}

#[rstest]
#[case::appendable("cdr80-appendable")]
#[case::complete("cdr80-complete")]
#[case::used_cd_rw("cdrw80-used")]
fn prepare_media_on_a_used_disc_is_media_is_not_blank(#[case] media: &str) {
    let rig = Rig::new(media).ready();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK));
}

#[test]
fn prepare_media_on_a_write_protected_disc_is_media_write_protected() {
    let rig = Rig::new("cdr80-write-protected").ready();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED));
}

#[test]
fn prepare_media_with_a_client_name_never_set_is_client_name_is_not_valid() {
    let rig = Rig::new("cdr80");
    rig.format.set_recorder(Some(rig.recorder.clone())).unwrap();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID));
}

#[test]
fn prepare_media_accepts_a_name_never_set_when_calibrated_so() {
    let rig = Rig::calibrated("cdr80", |c| c.unset_client_name_is_invalid = false);
    rig.format.set_recorder(Some(rig.recorder.clone())).unwrap();
    rig.format.prepare_media().unwrap();
}

#[test]
fn prepare_media_with_an_empty_client_name_is_client_name_is_not_valid() {
    let rig = Rig::new("cdr80").ready();
    rig.format.set_client_name(Some("")).unwrap();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID));
}

#[test]
fn prepare_media_checks_media_before_the_client_name() {
    let rig = Rig::new("cdr80-complete");
    rig.format.set_recorder(Some(rig.recorder.clone())).unwrap();
    assert_eq!(rig.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK));
}

#[test]
fn prepare_media_while_another_recorder_object_holds_the_lock_is_recorder_locked() {
    // Spec 2 and 8 (dll id 55697799444, 55589756848): PrepareMedia locks through the recorder
    // object given to put_Recorder; the client is that recorder object, not the format object.
    let rig = Rig::new("cdr80").prepared();
    let recorder = rig.sim.create_recorder().unwrap();
    recorder.initialize_disc_recorder(&rig.recorder.active_disc_recorder().unwrap()).unwrap();
    let other = rig.sim.create_format().unwrap();
    other.set_recorder(Some(recorder)).unwrap();
    other.set_client_name(Some("Other")).unwrap();
    assert_eq!(other.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    // The first recorder object's own lock refuses it too.
    rig.format.release_media().unwrap();
    rig.recorder.acquire_exclusive_access(false, "Holder").unwrap();
    assert_eq!(other.prepare_media(), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    rig.recorder.release_exclusive_access().unwrap();
    other.prepare_media().unwrap();
}

#[test]
fn a_second_format_object_on_the_same_recorder_object_shares_its_lock() {
    // Spec 8: a lock the recorder object already holds just adds one.
    let rig = Rig::new("cdr80").prepared();
    let other = rig.second_format();
    assert_eq!(other.prepare_media(), Ok(()));
    other.release_media().unwrap();
    rig.format.release_media().unwrap();
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "");
}

#[test]
fn prepare_media_checks_the_client_name_before_the_lock() {
    let rig = Rig::new("cdr80").prepared();
    let other = rig.second_format();
    other.set_client_name(Some("")).unwrap();
    assert_eq!(other.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID));
}

#[test]
fn prepare_media_acquires_exclusive_access_under_the_client_name_and_locks_the_tray() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), CLIENT);
    assert_eq!(rig.recorder.eject_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY));
}

#[test]
fn prepare_media_failing_leaves_nothing_locked() {
    let rig = Rig::new("cdr80-complete").ready();
    assert!(rig.format.prepare_media().is_err());
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "");
    rig.recorder.eject_media().unwrap();
    let rig = Rig::new("cdr80").ready();
    rig.format.set_client_name(Some("")).unwrap();
    assert!(rig.format.prepare_media().is_err());
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "");
    rig.recorder.eject_media().unwrap();
}

blank_cd_test! {
fn prepare_media_on_a_blank_disc_reports_total_lpl_plus_150_free_lpl_minus_2_and_no_tracks(media: &str) {
    let media: MediaProfile = media_profile(media).unwrap();
    let lpl = media.last_possible_lead_out();
    let rig = Rig::with(drive_by_name("default").unwrap(), Some(media)).prepared();
    let f: &dyn DiscFormat2TrackAtOnce = rig.format.as_ref();
    assert_eq!(f.total_sectors_on_media(), Ok(lpl + 150));
    assert_eq!(f.free_sectors_on_media(), Ok(lpl - 2));
    assert_eq!(f.used_sectors_on_media(), Ok(152));
    assert_eq!(f.number_of_existing_tracks(), Ok(0));
    assert_eq!(rig.disc().status, DiscState::Blank);
}
}

#[test]
fn prepare_media_re_applies_the_requested_write_speed() {
    let rig = Rig::new("cdr80").ready();
    rig.format.set_write_speed(8 * 75, false).unwrap();
    let other = rig.second_format();
    other.set_write_speed(-1, false).unwrap();
    assert_eq!(rig.format.current_write_speed(), Ok(48 * 75));
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.format.current_write_speed(), Ok(8 * 75));
}
