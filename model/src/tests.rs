//! The model against the worked examples of the spec and the simulator's issue.

use std::sync::Arc;

use cdr_sim::profile::{drive_by_name, media_by_name, DiscState};
use cdr_sim::{Hresult as H, TaoWriteAction};

use super::*;

fn model(drive: &str, media: &str) -> Model {
    let env = Env {
        drive: drive_by_name(drive).unwrap(),
        media: vec![media_by_name(media).unwrap(), media_by_name("cdr74").unwrap()],
        initial: Some(0),
    };
    Model::new(Arc::new(env))
}

/// Predicts, checks the prediction is exactly `want`, and applies it.
fn call(m: &mut Model, member: Member, want: Expect) {
    let got = m.predict(Client::A, member);
    assert_eq!(got, want, "{member:?}");
    m.apply(Client::A, member, got.hr.nominal(), None);
}

/// A whole track of `sectors` written by client A, with no handler calls.
fn track(m: &mut Model, sectors: u32) -> Expect {
    m.begin_write(Client::A, Source::Sectors(sectors), 0);
    m.start_data(Client::A).expect("the write starts");
    m.end_write(Client::A, H::S_OK)
}

fn prepared(drive: &str, media: &str) -> Model {
    let mut m = model(drive, media);
    call(&mut m, Member::PutRecorder(true), Expect::ok());
    call(&mut m, Member::PutClientName(NameArg::Name(0)), Expect::ok());
    call(&mut m, Member::PrepareMedia, Expect::ok());
    m
}

#[test]
fn worked_example_cdr80_one_track_of_22500() {
    let mut m = prepared("default", "cdr80");
    call(&mut m, Member::GetTotalSectorsOnMedia, Expect::value(Value::Int(359_997)));
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(359_845)));
    call(&mut m, Member::GetUsedSectorsOnMedia, Expect::value(Value::Int(152)));
    let source = Source::Sectors(22_500);
    assert_eq!(m.predict(Client::A, Member::AddAudioTrack(source)), Expect::ok());
    let w = m.begin_write(Client::A, source, 1);
    assert_eq!((w.track_number, w.start, w.sectors), (1, 0, 22_500));
    m.start_data(Client::A).unwrap();
    // From inside the Update handler during WRITING.
    assert_eq!(m.predict(Client::A, Member::GetFreeSectorsOnMedia), Expect::value(Value::Int(359_845)));
    assert_eq!(
        m.predict(Client::A, Member::GetNumberOfExistingTracks),
        Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
    );
    assert_eq!(m.end_write(Client::A, H::S_OK), Expect::ok());
    call(&mut m, Member::GetNumberOfExistingTracks, Expect::value(Value::Int(1)));
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(337_193)));
    call(&mut m, Member::GetUsedSectorsOnMedia, Expect::value(Value::Int(22_804)));
    let toc = vec![
        0x00, 0x0A, 0x01, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0xAA, 0x00, 0x00, 0x05,
        0x02, 0x02,
    ];
    call(&mut m, Member::GetExpectedTableOfContents, Expect::value(Value::Bytes(toc)));
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    let d = m.disc.as_ref().unwrap();
    assert_eq!(d.status, DiscState::Complete);
    assert_eq!(d.tracks.len(), 1);
    assert_eq!((d.tracks[0].start, d.tracks[0].sectors), (0, 22_500));
    assert_eq!(d.layout.lead_out(d.last().unwrap()), 22_502);
    // The lock and the tray are free again; the object is back to "recorder set".
    assert_eq!(m.format(Client::A).state(), FormatPhase::RecorderSet);
    assert!(m.lock.is_none() && !m.tray_locked());
}

#[test]
fn a_hundredth_track_and_bad_streams_change_nothing() {
    let mut m = prepared("default", "cdr80");
    for _ in 0..99 {
        assert_eq!(m.predict(Client::A, Member::AddAudioTrack(Source::Sectors(1))), Expect::ok());
        track(&mut m, 1);
    }
    let before = m.clone();
    // The track limit is checked before the stream (spec 2, AddAudioTrack check order).
    call(&mut m, Member::AddAudioTrack(Source::Bytes(2353)), Expect::hr(H::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED));
    assert_eq!(m, before);
    let mut fresh = prepared("default", "cdr80");
    let before = fresh.clone();
    call(&mut fresh, Member::AddAudioTrack(Source::Bytes(2353)), Expect::hr(H::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED));
    call(&mut fresh, Member::AddAudioTrack(Source::Bytes(0)), Expect::hr(H::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED));
    call(&mut fresh, Member::AddAudioTrack(Source::Sectors(359_846)), Expect::hr(H::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE));
    assert_eq!(fresh, before);
    assert_eq!(fresh.predict(Client::A, Member::AddAudioTrack(Source::Sectors(359_845))), Expect::ok());
}

/// Spec 2, AddAudioTrack: the DLL does not pad; the drive records a short track as 300 sectors
/// under `short_track = "drive_pads"`, and Free follows the disc after the refresh.
#[test]
fn short_tracks_are_sent_as_they_are_and_padded_by_the_drive() {
    let mut m = prepared("default", "cdr80");
    let w = m.begin_write(Client::A, Source::Sectors(10), 0);
    assert_eq!(w.sectors, 10);
    m.start_data(Client::A).unwrap();
    m.end_write(Client::A, H::S_OK);
    assert_eq!(m.disc.as_ref().unwrap().tracks[0].sectors, 300);
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(359_847 - 2 - 452)));
    let w2 = m.begin_write(Client::A, Source::Sectors(400), 0);
    assert_eq!(w2.start, 300 + 152);
}

/// Spec 2, CancelAddTrack and AddAudioTrack: a cancelled track is closed short on the disc, but
/// the cache keeps its pre-call values until the next successful track's refresh counts both;
/// the TOC then has the DLL's odd header and an all-zero first descriptor.
#[test]
fn a_cancelled_track_is_on_the_disc_and_left_out_of_the_cache() {
    let mut m = prepared("default", "cdr80");
    m.begin_write(Client::A, Source::Sectors(1000), 0);
    m.start_data(Client::A).unwrap();
    assert_eq!(m.predict(Client::A, Member::CancelAddTrack), Expect::ok());
    m.apply(Client::A, Member::CancelAddTrack, H::S_OK, Some(420));
    assert_eq!(m.end_write(Client::A, H::E_IMAPI_REQUEST_CANCELLED), Expect::hr(H::E_IMAPI_REQUEST_CANCELLED));
    let d = m.disc.as_ref().unwrap();
    assert_eq!(d.tracks[0].sectors, 420);
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(359_845)));
    call(&mut m, Member::GetNumberOfExistingTracks, Expect::value(Value::Int(0)));
    call(&mut m, Member::GetExpectedTableOfContents, Expect::hr(H::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC));
    // Outside a write, CancelAddTrack has nothing to cancel.
    call(&mut m, Member::CancelAddTrack, Expect::hr(H::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
    // The next track is announced as track 1 again and written after the cancelled one.
    let w = m.begin_write(Client::A, Source::Sectors(300), 0);
    assert_eq!(w.track_number, 1);
    assert_eq!(m.start_data(Client::A).unwrap().start, 420 + 152);
    m.end_write(Client::A, H::S_OK);
    call(&mut m, Member::GetNumberOfExistingTracks, Expect::value(Value::Int(2)));
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(359_847 - 2 - (572 + 300 + 152))));
    let Expect { value: Check::Exact(Value::Bytes(toc)), .. } =
        m.predict(Client::A, Member::GetExpectedTableOfContents)
    else {
        panic!("a TOC")
    };
    assert_eq!(toc.len(), 8 * 2 + 12);
    assert_eq!(&toc[..4], &[0, 10, 1, 2]);
    assert_eq!(&toc[4..12], &[0; 8]);
    assert_eq!(&toc[12..16], &[0, 0x10, 2, 0]);
}

/// Spec 4: Free is signed and never clamped: a track of exactly Free sectors leaves -152, and
/// every later track is refused.
#[test]
fn a_track_that_fills_the_disc_leaves_free_negative() {
    let mut m = prepared("default", "cdr80");
    assert_eq!(track(&mut m, 359_845), Expect::ok());
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(-152)));
    call(&mut m, Member::GetUsedSectorsOnMedia, Expect::value(Value::Int(359_997 + 152)));
    call(&mut m, Member::AddAudioTrack(Source::Sectors(1)), Expect::hr(H::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE));
}

/// Spec 2 and 3: in the PREPARING handler the writing flag is not set yet: getters answer,
/// CancelAddTrack has nothing to cancel, and a nested AddAudioTrack writes a whole track, after
/// which the outer stream becomes the next track.
#[test]
fn the_preparing_handler_sees_no_write_in_progress() {
    let mut m = prepared("default", "cdr80");
    let outer = m.begin_write(Client::A, Source::Sectors(500), 0);
    assert_eq!(outer.track_number, 1);
    assert_eq!(m.predict(Client::A, Member::GetNumberOfExistingTracks), Expect::value(Value::Int(0)));
    assert_eq!(m.predict(Client::A, Member::CancelAddTrack), Expect::hr(H::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
    let nested = Member::AddAudioTrack(Source::Sectors(300));
    assert_eq!(m.predict(Client::A, nested), Expect::ok());
    m.begin_write(Client::A, Source::Sectors(300), 0);
    m.start_data(Client::A).unwrap();
    assert_eq!(m.end_write(Client::A, H::S_OK), Expect::ok());
    assert_eq!(m.predict(Client::A, Member::GetNumberOfExistingTracks), Expect::value(Value::Int(1)));
    let w = m.start_data(Client::A).unwrap();
    assert_eq!((w.track_number, w.start), (1, 452));
    assert_eq!(m.format(Client::A).state(), FormatPhase::Writing);
    m.end_write(Client::A, H::S_OK);
    assert_eq!(m.disc.as_ref().unwrap().tracks.len(), 2);
    call(&mut m, Member::GetNumberOfExistingTracks, Expect::value(Value::Int(2)));
}

/// Spec 2, AddAudioTrack [choice] `hundredth_track_result`: the limit is checked before
/// PREPARING only; when the PREPARING handler's nested call writes the 99th track, the drive
/// refuses the outer call's 100th, which answers the calibrated code with nothing written.
#[test]
fn a_hundredth_track_after_a_nested_99th_is_refused_by_the_drive() {
    let mut m = prepared("default", "cdr80");
    for _ in 0..98 {
        track(&mut m, 300);
    }
    let outer = Member::AddAudioTrack(Source::Sectors(400));
    assert_eq!(m.predict(Client::A, outer), Expect::ok());
    m.begin_write(Client::A, Source::Sectors(400), 0);
    let nested = Member::AddAudioTrack(Source::Sectors(300));
    assert_eq!(m.predict(Client::A, nested), Expect::ok());
    assert_eq!(track(&mut m, 300), Expect::ok());
    assert_eq!(m.start_data(Client::A), None);
    assert_eq!(m.silent, None);
    assert_eq!(m.take_refused(Client::A), Some(Expect::hr(H::E_FAIL)));
    assert_eq!(m.take_refused(Client::A), None);
    assert_eq!(m.format(Client::A).state(), FormatPhase::Prepared);
    assert_eq!(m.disc.as_ref().unwrap().tracks.len(), 99);
    call(&mut m, Member::GetNumberOfExistingTracks, Expect::value(Value::Int(99)));
    call(&mut m, outer, Expect::hr(H::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED));
}

/// Spec 2, AddAudioTrack [choice] `rejected_nested_add_clears_writing`: a nested call refused
/// with WRITE_IN_PROGRESS clears the outer call's writing flag.
#[test]
fn a_refused_nested_add_clears_the_writing_flag() {
    let mut m = prepared("default", "cdr80");
    m.begin_write(Client::A, Source::Sectors(500), 0);
    m.start_data(Client::A).unwrap();
    let nested = Member::AddAudioTrack(Source::Sectors(1));
    call(&mut m, nested, Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS));
    assert_eq!(m.predict(Client::A, Member::GetNumberOfExistingTracks), Expect::value(Value::Int(0)));
    assert_eq!(m.predict(Client::A, Member::CancelAddTrack), Expect::hr(H::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
    assert_eq!(m.end_write(Client::A, H::S_OK), Expect::ok());
}

/// Spec 2, PrepareMedia: a second call answers MEDIA_IS_PREPARED and un-prepares the object; its
/// lock count and tray lock stay; a later PrepareMedia adds a second count.
#[test]
fn a_second_prepare_unprepares_and_keeps_the_lock() {
    let mut m = prepared("default", "cdr80");
    call(&mut m, Member::PrepareMedia, Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED));
    assert_eq!(m.format(Client::A).state(), FormatPhase::RecorderSet);
    call(&mut m, Member::AddAudioTrack(Source::Sectors(1)), Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(m.lock.map(|l| l.count), Some(1));
    assert!(m.tray_locked());
    call(&mut m, Member::RecorderEjectMedia, Expect::hr(H::E_IMAPI_RECORDER_MEDIA_BUSY));
    call(&mut m, Member::PrepareMedia, Expect::ok());
    assert_eq!(m.lock.map(|l| l.count), Some(2));
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    assert_eq!(m.lock.map(|l| l.count), Some(1));
    assert!(!m.tray_locked());
}

/// Spec 8: exclusive access belongs to the recorder object: the client's own extra lock, taken
/// before or after PrepareMedia, adds to the same count; the other client's recorder object is
/// refused.
#[test]
fn an_extra_lock_on_the_recorder_adds_to_the_count() {
    let mut m = model("default", "cdr80");
    call(&mut m, Member::PutRecorder(true), Expect::ok());
    call(&mut m, Member::PutClientName(NameArg::Name(0)), Expect::ok());
    call(&mut m, Member::RecorderAcquireExclusiveAccess(true, NameArg::Name(1)), Expect::ok());
    call(&mut m, Member::PrepareMedia, Expect::ok());
    call(&mut m, Member::RecorderAcquireExclusiveAccess(false, NameArg::Name(0)), Expect::ok());
    assert_eq!(m.lock.map(|l| l.count), Some(3));
    call(
        &mut m,
        Member::RecorderAcquireExclusiveAccess(false, NameArg::Name(6)),
        Expect::hr(H::E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID),
    );
    m.apply(Client::B, Member::PutRecorder(true), H::S_OK, None);
    m.apply(Client::B, Member::PutClientName(NameArg::Name(3)), H::S_OK, None);
    assert_eq!(m.predict(Client::B, Member::PrepareMedia), Expect::hr(H::E_IMAPI_RECORDER_LOCKED));
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    call(&mut m, Member::RecorderReleaseExclusiveAccess, Expect::ok());
    call(&mut m, Member::RecorderReleaseExclusiveAccess, Expect::ok());
    assert_eq!(m.lock, None);
    call(&mut m, Member::RecorderReleaseExclusiveAccess, Expect::hr(H::E_INVALIDARG));
    assert_eq!(m.predict(Client::B, Member::PrepareMedia), Expect::ok());
}

/// Spec 2, SetWriteSpeed: every PrepareMedia resets the pending request, so one made before a
/// failed PrepareMedia is lost.
#[test]
fn a_failed_prepare_loses_the_pending_speed() {
    let mut m = model("default", "cdr80");
    call(&mut m, Member::PutRecorder(true), Expect::ok());
    m.apply(Client::A, Member::SetWriteSpeed(1200, false), H::S_OK, None);
    call(&mut m, Member::PrepareMedia, Expect::hr(H::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID));
    assert_eq!(m.format(Client::A).pending_speed, (-1, false));
    call(&mut m, Member::GetRequestedWriteSpeed, Expect::value(Value::Int(1200)));
    call(&mut m, Member::PutClientName(NameArg::Name(0)), Expect::ok());
    call(&mut m, Member::PrepareMedia, Expect::ok());
    assert_eq!(m.applied_speed, -1);
}

#[test]
fn second_client_is_refused_the_lock() {
    let mut m = prepared("default", "cdr80");
    let b = Client::B;
    m.apply(b, Member::PutRecorder(true), H::S_OK, None);
    m.apply(b, Member::PutClientName(NameArg::Name(3)), H::S_OK, None);
    assert_eq!(m.predict(b, Member::PrepareMedia), Expect::hr(H::E_IMAPI_RECORDER_LOCKED));
    assert_eq!(
        m.predict(b, Member::RecorderEjectMedia).hr,
        HrSet::Either(H::E_IMAPI_RECORDER_MEDIA_BUSY, H::E_IMAPI_RECORDER_LOCKED)
    );
    assert_eq!(
        m.predict(Client::A, Member::RecorderGetExclusiveAccessOwner),
        Expect::value(Value::Str("Imapi2Sample".into()))
    );
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    assert_eq!(m.predict(b, Member::PrepareMedia), Expect::ok());
}

#[test]
fn rules_of_a_format_object_without_recorder() {
    let m = model("default", "cdr80");
    let a = Client::A;
    assert_eq!(m.predict(a, Member::PrepareMedia), Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    assert_eq!(m.predict(a, Member::SetWriteSpeed(-1, false)), Expect::hr(H::E_IMAPI_RECORDER_REQUIRED));
    assert_eq!(m.predict(a, Member::ReleaseMedia), Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(m.predict(a, Member::GetExpectedTableOfContents), Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(m.predict(a, Member::GetRequestedWriteSpeed), Expect::value(Value::Int(-1)));
    assert_eq!(m.predict(a, Member::GetClientName), Expect::value(Value::Null));
}

#[test]
fn a_drive_without_tao_refuses_to_be_the_recorder() {
    let m = model("no-tao", "cdr80");
    assert_eq!(m.predict(Client::A, Member::PutRecorder(true)), Expect::hr(H::E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED));
    assert_eq!(m.predict(Client::A, Member::IsRecorderSupported(OwnRecorder)), Expect::value(Value::Bool(false)));
}

#[test]
fn used_disc_is_not_blank_and_dvd_is_not_supported() {
    for (media, want) in [
        ("cdr80-complete", H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK),
        ("cdr80-appendable", H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK),
        ("cdrom", H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED),
    ] {
        let mut m = model("default", media);
        call(&mut m, Member::PutRecorder(true), Expect::ok());
        call(&mut m, Member::PutClientName(NameArg::Name(0)), Expect::ok());
        assert_eq!(m.predict(Client::A, Member::PrepareMedia), Expect::hr(want), "{media}");
    }
}

#[test]
fn mid_write_snapshot_and_write_in_progress_rules() {
    let mut m = prepared("default", "cdr80");
    m.begin_write(Client::A, Source::Sectors(500), 0);
    m.start_data(Client::A).unwrap();
    for (member, hr) in [
        (Member::AddAudioTrack(Source::Sectors(1)), H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        (Member::ReleaseMedia, H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        (Member::PrepareMedia, H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED),
        (Member::GetExpectedTableOfContents, H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        (Member::PutClientName(NameArg::Name(1)), H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        (Member::PutDoNotFinalizeMedia(true), H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        (Member::PutBufferUnderrunFreeDisabled(true), H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
        (Member::RecorderEjectMedia, H::E_IMAPI_RECORDER_MEDIA_BUSY),
    ] {
        assert_eq!(m.predict(Client::A, member), Expect::hr(hr), "{member:?}");
    }
    assert_eq!(m.predict(Client::A, Member::GetTotalSectorsOnMedia), Expect::value(Value::Int(359_997)));
    assert_eq!(m.predict(Client::A, Member::GetUsedSectorsOnMedia), Expect::value(Value::Int(152)));
    let _ = TaoWriteAction::Writing;
}

#[test]
fn release_without_tracks_keeps_the_disc_blank_and_dnf_leaves_it_appendable() {
    let mut m = prepared("default", "cdr80");
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    assert_eq!(m.disc.as_ref().unwrap().status, DiscState::Blank);
    // DoNotFinalizeMedia after PrepareMedia is refused (real clients do that).
    call(&mut m, Member::PutDoNotFinalizeMedia(true), Expect::ok());
    call(&mut m, Member::PrepareMedia, Expect::ok());
    call(&mut m, Member::PutDoNotFinalizeMedia(false), Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED));
    track(&mut m, 300);
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    assert_eq!(m.disc.as_ref().unwrap().status, DiscState::Appendable);
    call(&mut m, Member::PrepareMedia, Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK));
    call(&mut m, Member::PutDoNotFinalizeMedia(false), Expect::hr(H::E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY));
}
