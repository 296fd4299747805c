//! Spec section 2: SetWriteSpeed and the speed properties, IsRecorderSupported,
//! IsCurrentMediaSupported, MediaPhysicallyBlank / MediaHeuristicallyBlank and
//! CurrentPhysicalMediaType.

use cdr_sim::profile::{drive_by_name, NoMediaAnswer};
use cdr_sim::{DiscFormat2TrackAtOnce, Hresult, PhysicalMediaType};
use rstest::rstest;

use crate::common::{checked, media_profile, Rig, INTERNAL_FAILURE};

#[test]
fn set_write_speed_without_a_recorder_is_recorder_required() {
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.set_write_speed(-1, false), Err(Hresult::E_IMAPI_RECORDER_REQUIRED));
}

#[test]
fn set_write_speed_minus_1_is_the_fastest_and_s_ok() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.set_write_speed(-1, false), Ok(Hresult::S_OK));
    assert_eq!(rig.format.current_write_speed(), Ok(48 * 75));
}

#[test]
fn set_write_speed_to_a_supported_speed_is_s_ok() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.set_write_speed(16 * 75, false), Ok(Hresult::S_OK));
    assert_eq!(rig.format.current_write_speed(), Ok(16 * 75));
}

#[test]
fn set_write_speed_to_an_unsupported_speed_picks_the_closest_and_says_speed_adjusted() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.set_write_speed(1_000, false), Ok(Hresult::S_IMAPI_SPEEDADJUSTED));
    assert_eq!(rig.format.current_write_speed(), Ok(16 * 75));
    assert_eq!(rig.format.set_write_speed(100_000, false), Ok(Hresult::S_IMAPI_SPEEDADJUSTED));
    assert_eq!(rig.format.current_write_speed(), Ok(48 * 75));
    // The requested values are kept as given.
    assert_eq!(rig.format.requested_write_speed(), Ok(100_000));
}

#[test]
fn set_write_speed_pure_cav_on_a_clv_drive_says_rotation_adjusted_or_both_adjusted() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.set_write_speed(16 * 75, true), Ok(Hresult::S_IMAPI_ROTATIONADJUSTED));
    assert_eq!(rig.format.requested_rotation_type_is_pure_cav(), Ok(true));
    assert_eq!(rig.format.current_rotation_type_is_pure_cav(), Ok(false));
    assert_eq!(rig.format.set_write_speed(1_000, true), Ok(Hresult::S_IMAPI_BOTHADJUSTED));
}

#[test]
fn set_write_speed_below_minus_1_is_invalid_arg() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.set_write_speed(-2, false), Err(Hresult::E_INVALIDARG));
    assert_eq!(rig.format.requested_write_speed(), Ok(-1));
}

#[test]
fn write_speeds_follow_the_media_in_the_tray() {
    let rig = Rig::new("cdrw80").ready();
    assert_eq!(rig.format.supported_write_speeds(), Ok(vec![24 * 75, 16 * 75, 10 * 75, 4 * 75]));
    assert_eq!(rig.format.current_write_speed(), Ok(24 * 75));
    let d = rig.format.supported_write_speed_descriptors().unwrap();
    assert_eq!(d.len(), 4);
    assert!(d.iter().all(|d| d.media_type == PhysicalMediaType::CdRw && !d.rotation_type_is_pure_cav));
    // With no media, the drive's CD-R speeds.
    let empty = Rig::new("none").ready();
    assert_eq!(empty.format.supported_write_speeds().unwrap()[0], 48 * 75);
}

#[test]
fn speed_properties_need_a_recorder() {
    let f = Rig::new("cdr80").format;
    let r = Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
    assert_eq!(f.current_write_speed(), r);
    assert_eq!(f.current_rotation_type_is_pure_cav(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    assert_eq!(f.supported_write_speeds(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    assert_eq!(f.supported_write_speed_descriptors(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
}

#[test]
fn is_recorder_supported_is_true_only_with_track_at_once() {
    let tao = Rig::new("cdr80");
    assert_eq!(tao.format.is_recorder_supported(tao.recorder.as_ref()), checked(true));
    let dao = Rig::with(drive_by_name("no-tao").unwrap(), media_profile("cdr80"));
    assert_eq!(dao.format.is_recorder_supported(dao.recorder.as_ref()), checked(false));
    // An uninitialised recorder is an internal failure: FALSE with S_FALSE, not an error
    // (spec 2, dll id 56065615557).
    let fresh = cdr_sim::Backend::create_recorder(&tao.sim).unwrap();
    assert_eq!(tao.format.is_recorder_supported(fresh.as_ref()), INTERNAL_FAILURE);
    assert_eq!(tao.format.is_current_media_supported(fresh.as_ref()), INTERNAL_FAILURE);
}

blank_cd_test! {
fn is_current_media_supported_is_true_for_every_blank_cd_r_and_cd_rw(media: &str) {
    let rig = Rig::new(media);
    assert_eq!(rig.format.is_current_media_supported(rig.recorder.as_ref()), checked(true));
    // Blank as the drive and heuristics report it.
    let rig = rig.ready();
    assert_eq!(rig.format.media_physically_blank(), Ok(true));
    assert_eq!(rig.format.media_heuristically_blank(), Ok(true));
}
}

blank_cd_test! {
/// Each case of the blank-CD matrix is a built-in blank CD, and the matrix has as many cases as
/// there are such discs: a new blank disc fails here until `blank_cd_test!` lists it.
fn the_blank_media_cases_cover_every_built_in_blank_cd(media: &str) {
    let names: Vec<String> = crate::common::blank_writable_media().into_iter().map(|m| m.name).collect();
    assert!(names.iter().any(|n| n == media), "{media} is not a built-in blank CD");
    assert_eq!(names.len(), crate::common::BLANK_CD_CASES, "blank_cd lists {} of {names:?}", crate::common::BLANK_CD_CASES);
}
}

#[rstest]
#[case::appendable("cdr80-appendable")]
#[case::complete("cdr80-complete")]
#[case::used_cd_rw("cdrw80-used")]
#[case::dvd("dvdplusr")]
#[case::pressed_cd("cdrom")]
#[case::upside_down("cdr80-upside-down")]
fn is_current_media_supported_is_false_for_media_tao_cannot_write(#[case] media: &str) {
    let rig = Rig::new(media);
    assert_eq!(rig.format.is_current_media_supported(rig.recorder.as_ref()), checked(false));
}

#[test]
fn is_current_media_supported_is_false_in_a_drive_without_track_at_once() {
    let rig = Rig::with(drive_by_name("no-tao").unwrap(), media_profile("cdr80"));
    assert_eq!(rig.format.is_current_media_supported(rig.recorder.as_ref()), checked(false));
}

#[test]
fn is_current_media_supported_with_no_media_is_s_ok_and_false() {
    // Spec 2 (dll id 56065615557): the DLL answers S_OK and FALSE with an empty tray.
    let rig = Rig::new("none");
    assert_eq!(rig.format.is_current_media_supported(rig.recorder.as_ref()), checked(false));
}

#[test]
fn is_current_media_supported_with_no_media_is_media_no_media_when_calibrated_so() {
    // The docs' answer (Windows 7 and later), the other value of the [choice].
    let rig = Rig::calibrated("none", |c| c.is_current_media_supported_no_media = NoMediaAnswer::Error);
    assert_eq!(
        rig.format.is_current_media_supported(rig.recorder.as_ref()),
        Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
    );
}

#[test]
fn media_blank_queries_need_a_recorder() {
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.media_physically_blank(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    assert_eq!(rig.format.media_heuristically_blank(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    let rig = Rig::calibrated("cdr80", |c| c.blank_queries_need_recorder = false);
    assert_eq!(rig.format.media_physically_blank(), Ok(false));
}

#[test]
fn media_blank_queries_with_no_media_are_media_no_media() {
    let rig = Rig::new("none").ready();
    assert_eq!(rig.format.media_physically_blank(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
    assert_eq!(rig.format.media_heuristically_blank(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
}

#[test]
fn media_blank_queries_are_false_on_a_used_disc_and_readable_before_prepare_media() {
    let rig = Rig::new("cdrw80-used").ready();
    assert_eq!(rig.format.media_physically_blank(), Ok(false));
    assert_eq!(rig.format.media_heuristically_blank(), Ok(false));
}

#[test]
fn current_physical_media_type_needs_a_recorder_but_not_prepare_media() {
    let rig = Rig::new("cdr80");
    assert_eq!(rig.format.current_physical_media_type(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    let rig = rig.ready();
    assert_eq!(rig.format.current_physical_media_type(), Ok(PhysicalMediaType::CdR));
    assert_eq!(Rig::new("cdrw80").ready().format.current_physical_media_type(), Ok(PhysicalMediaType::CdRw));
    assert_eq!(Rig::new("dvdplusr").ready().format.current_physical_media_type(), Ok(PhysicalMediaType::DvdPlusR));
}

#[test]
fn current_physical_media_type_with_no_media_is_media_no_media() {
    let rig = Rig::new("none").ready();
    assert_eq!(rig.format.current_physical_media_type(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
    let rig = Rig::new("cdr80").ready();
    rig.recorder.eject_media().unwrap();
    assert_eq!(rig.format.current_physical_media_type(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
}

#[test]
fn set_write_speed_is_allowed_before_prepare_media_and_while_prepared() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.format.set_write_speed(8 * 75, false), Ok(Hresult::S_OK));
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.format.set_write_speed(4 * 75, false), Ok(Hresult::S_OK));
    assert_eq!(rig.format.current_write_speed(), Ok(4 * 75));
    let f: &dyn DiscFormat2TrackAtOnce = rig.format.as_ref();
    assert_eq!(f.requested_write_speed(), Ok(4 * 75));
}
