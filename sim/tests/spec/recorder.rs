//! Spec section 8: the master and the recorder.

use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::{Backend, Hresult, SimBackend};

use crate::common::{media_profile, Rig};

#[test]
fn disc_master_lists_the_one_drive_by_unique_id() {
    let sim = SimBackend::new(drive_by_name("default").unwrap(), None);
    let master = sim.disc_master().unwrap();
    assert_eq!(master.count(), Ok(1));
    assert_eq!(master.item(0).unwrap(), sim.drive_profile().unique_id());
    assert_eq!(master.item(1), Err(Hresult::E_INVALIDARG));
    assert_eq!(master.item(-1), Err(Hresult::E_INVALIDARG));
    assert_eq!(master.is_supported_environment(), Ok(true));
}

#[test]
fn initialize_disc_recorder_with_an_unknown_id_is_the_open_error_and_can_be_retried() {
    // Spec 8 (dll id 55592021310): HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) for a path that
    // names no device; the object stays uninitialised. An empty id is E_INVALIDARG.
    let sim = SimBackend::new(drive_by_name("default").unwrap(), None);
    let r = sim.create_recorder().unwrap();
    assert_eq!(r.initialize_disc_recorder("\\\\?\\nothing"), Err(Hresult(0x8007_0002)));
    assert_eq!(r.initialize_disc_recorder(""), Err(Hresult::E_INVALIDARG));
    assert_eq!(r.vendor_id(), Err(Hresult::E_IMAPI_RECORDER_REQUIRED));
    assert_eq!(r.initialize_disc_recorder(sim.unique_id()), Ok(()));
    assert_eq!(r.initialize_disc_recorder(sim.unique_id()), Err(Hresult::E_FAIL));
}

#[test]
fn recorder_members_before_initialize_disc_recorder_are_recorder_required_and_locks_e_fail() {
    let sim = SimBackend::new(drive_by_name("default").unwrap(), None);
    let r = sim.create_recorder().unwrap();
    let required = Err(Hresult::E_IMAPI_RECORDER_REQUIRED);
    assert_eq!(r.active_disc_recorder(), required);
    assert_eq!(r.eject_media(), Err(Hresult::E_IMAPI_RECORDER_REQUIRED));
    // Spec 8 (dll id 55589756848, 55588307252): the exclusive-access members answer E_FAIL.
    assert_eq!(r.acquire_exclusive_access(false, "x"), Err(Hresult::E_FAIL));
    assert_eq!(r.release_exclusive_access(), Err(Hresult::E_FAIL));
    assert_eq!(r.supported_profiles(), Err(Hresult::E_IMAPI_RECORDER_REQUIRED));
    assert_eq!(sim.read_back(r.as_ref()), Err(Hresult::E_IMAPI_RECORDER_REQUIRED));
}

#[test]
fn recorder_identity_comes_from_the_drive_profile_as_inquiry_fields() {
    let rig = Rig::with(drive_by_name("plextor-premium").unwrap(), None);
    let r = &rig.recorder;
    assert_eq!(r.vendor_id().unwrap(), "PLEXTOR ");
    assert_eq!(r.product_id().unwrap(), "CD-R   PREMIUM  ");
    assert_eq!(r.product_revision().unwrap(), "1.07");
    assert_eq!(r.active_disc_recorder().unwrap(), rig.sim.unique_id());
    assert_eq!(r.volume_path_names().unwrap(), ["E:\\"]);
    assert!(r.volume_name().unwrap().starts_with("\\\\?\\Volume{"));
    assert_eq!(r.device_can_load_media(), Ok(true));
    assert_eq!(r.legacy_device_number(), Ok(0));
}

#[test]
fn recorder_profiles_are_the_media_it_reads_and_writes_and_the_media_in_the_tray() {
    let rig = Rig::new("cdrw80");
    assert_eq!(rig.recorder.supported_profiles().unwrap(), [0x08, 0x09, 0x0A]);
    assert_eq!(rig.recorder.current_profiles().unwrap(), [0x0A]);
    assert!(Rig::new("none").recorder.current_profiles().unwrap().is_empty());
}

#[test]
fn recorder_feature_pages_include_track_at_once_only_on_tao_drives() {
    let tao = Rig::new("cdr80");
    assert!(tao.recorder.supported_feature_pages().unwrap().contains(&0x2D));
    assert!(tao.recorder.current_feature_pages().unwrap().contains(&0x2D));
    let dao = Rig::with(drive_by_name("no-tao").unwrap(), media_profile("cdr80"));
    assert!(!dao.recorder.supported_feature_pages().unwrap().contains(&0x2D));
    assert!(dao.recorder.supported_mode_pages().unwrap().contains(&0x05));
    assert!(dao.recorder.supported_mode_pages().unwrap().contains(&0x2A));
}

#[test]
fn exclusive_access_is_counted() {
    let rig = Rig::new("cdr80");
    let r = &rig.recorder;
    assert_eq!(r.exclusive_access_owner().unwrap(), "");
    r.acquire_exclusive_access(false, "Counted").unwrap();
    r.acquire_exclusive_access(false, "Counted").unwrap();
    assert_eq!(r.exclusive_access_owner().unwrap(), "Counted");
    r.release_exclusive_access().unwrap();
    assert_eq!(r.exclusive_access_owner().unwrap(), "Counted");
    r.release_exclusive_access().unwrap();
    assert_eq!(r.exclusive_access_owner().unwrap(), "");
}

#[test]
fn exclusive_access_held_by_another_client_is_recorder_locked_even_with_force() {
    let rig = Rig::new("cdr80");
    let other = rig.sim.create_recorder().unwrap();
    other.initialize_disc_recorder(rig.sim.unique_id()).unwrap();
    rig.recorder.acquire_exclusive_access(false, "Holder").unwrap();
    assert_eq!(other.acquire_exclusive_access(false, "Other"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    assert_eq!(other.acquire_exclusive_access(true, "Other"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
    // Spec 8 (dll id 55588307252): a recorder object holding no count gets the driver's error.
    assert_eq!(other.release_exclusive_access(), Err(Hresult::E_INVALIDARG));
    assert_eq!(other.exclusive_access_owner().unwrap(), "Holder");
}

#[test]
fn acquire_exclusive_access_with_an_invalid_name_is_client_name_is_not_valid() {
    let rig = Rig::new("cdr80");
    for bad in ["", "no/slash", &"x".repeat(64)] {
        assert_eq!(
            rig.recorder.acquire_exclusive_access(false, bad),
            Err(Hresult::E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID),
            "{bad:?}"
        );
    }
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "");
}

#[test]
fn a_recorder_object_that_goes_away_gives_up_its_exclusive_access() {
    let rig = Rig::new("cdr80");
    let other = rig.sim.create_recorder().unwrap();
    other.initialize_disc_recorder(rig.sim.unique_id()).unwrap();
    other.acquire_exclusive_access(false, "Gone").unwrap();
    drop(other);
    assert_eq!(rig.recorder.exclusive_access_owner().unwrap(), "");
}

#[test]
fn eject_media_while_a_prepared_session_locks_the_tray_is_media_busy() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.recorder.eject_media(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY));
    assert!(rig.read_back().media.is_some());
    let calibrated = Rig::calibrated("cdr80", |c| c.eject_while_locked = Hresult::E_IMAPI_RECORDER_LOCKED).prepared();
    assert_eq!(calibrated.recorder.eject_media(), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
}

#[test]
fn eject_media_puts_the_disc_out_of_reach_until_close_tray() {
    let rig = Rig::new("cdr80").ready();
    rig.recorder.eject_media().unwrap();
    assert!(rig.read_back().media.is_none());
    assert!(rig.recorder.current_profiles().unwrap().is_empty());
    assert_eq!(rig.format.media_physically_blank(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
    rig.recorder.close_tray().unwrap();
    assert_eq!(rig.format.media_physically_blank(), Ok(true));
}

#[test]
fn close_tray_on_a_drive_that_cannot_load_media_fails() {
    let mut drive = drive_by_name("default").unwrap();
    drive.can_load_media = false;
    let rig = Rig::with(drive, media_profile("cdr80"));
    rig.recorder.eject_media().unwrap();
    assert_eq!(rig.recorder.close_tray(), Err(Hresult::E_FAIL));
    assert!(rig.read_back().media.is_none());
}

#[test]
fn change_media_swaps_the_disc_and_closes_the_tray() {
    let rig = Rig::new("cdr80");
    rig.recorder.eject_media().unwrap();
    rig.sim.change_media(rig.recorder.as_ref(), media_by_name("cdr74").as_ref()).unwrap();
    assert_eq!(rig.disc().last_possible_lead_out, 336_075);
    rig.sim.change_media(rig.recorder.as_ref(), None).unwrap();
    assert!(rig.read_back().media.is_none());
}

#[test]
fn change_media_while_the_tray_is_locked_is_media_busy() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(
        rig.sim.change_media(rig.recorder.as_ref(), media_by_name("cdr74").as_ref()),
        Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY)
    );
    assert_eq!(rig.disc().last_possible_lead_out, 359_847);
}

#[test]
fn change_media_with_an_inconsistent_profile_is_invalid_arg() {
    let rig = Rig::new("cdr80");
    let mut bad = media_by_name("cdr80").unwrap();
    bad.lead_out = None;
    assert_eq!(rig.sim.change_media(rig.recorder.as_ref(), Some(&bad)), Err(Hresult::E_INVALIDARG));
    assert_eq!(rig.disc().last_possible_lead_out, 359_847);
}

#[test]
fn recorder_objects_share_the_one_device() {
    let rig = Rig::new("cdr80");
    let other = rig.sim.create_recorder().unwrap();
    other.initialize_disc_recorder(&rig.sim.unique_id().to_uppercase()).unwrap();
    other.eject_media().unwrap();
    assert!(rig.sim.read_back(rig.recorder.as_ref()).unwrap().media.is_none());
}

#[test]
fn try_new_rejects_an_inconsistent_media_profile_with_a_reason() {
    let mut bad = media_by_name("cdr80").unwrap();
    bad.lead_out = None;
    let err = SimBackend::try_new(drive_by_name("default").unwrap(), Some(bad)).err().unwrap();
    assert!(err.contains("lead_out"), "{err}");
    let mut slow = drive_by_name("default").unwrap();
    slow.update_interval_ms = 0;
    assert!(SimBackend::try_new(slow, None).is_err());
}
