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
    m.apply(Client::A, member, got.hr.nominal(), 0);
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
    // From inside the Update handler during WRITING.
    assert_eq!(m.predict(Client::A, Member::GetFreeSectorsOnMedia), Expect::value(Value::Int(359_845)));
    assert_eq!(
        m.predict(Client::A, Member::GetNumberOfExistingTracks),
        Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
    );
    assert_eq!(m.end_write(Client::A), Expect::ok());
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
        m.begin_write(Client::A, Source::Sectors(1), 0);
        m.end_write(Client::A);
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

#[test]
fn short_tracks_are_padded_to_300_sectors() {
    let mut m = prepared("default", "cdr80");
    let w = m.begin_write(Client::A, Source::Sectors(10), 0);
    assert_eq!((w.stream_sectors, w.sectors), (10, 300));
    m.end_write(Client::A);
    let w2 = m.begin_write(Client::A, Source::Sectors(400), 0);
    assert_eq!(w2.start, 300 + 152);
}

#[test]
fn a_cancelled_track_is_kept_short_and_consumes_its_sectors() {
    let mut m = prepared("default", "cdr80");
    m.begin_write(Client::A, Source::Sectors(1000), 0);
    assert_eq!(m.predict(Client::A, Member::CancelAddTrack), Expect::ok());
    m.apply(Client::A, Member::CancelAddTrack, H::S_OK, 420);
    assert_eq!(m.end_write(Client::A), Expect::hr(H::E_IMAPI_REQUEST_CANCELLED));
    let d = m.disc.as_ref().unwrap();
    assert_eq!(d.tracks[0].sectors, 420);
    call(&mut m, Member::GetFreeSectorsOnMedia, Expect::value(Value::Int(359_847 - 2 - (420 + 152))));
    // Outside a write, CancelAddTrack has nothing to cancel.
    call(&mut m, Member::CancelAddTrack, Expect::hr(H::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS));
}

#[test]
fn second_client_is_refused_the_lock() {
    let mut m = prepared("default", "cdr80");
    let b = Client::B;
    m.apply(b, Member::PutRecorder(true), H::S_OK, 0);
    m.apply(b, Member::PutClientName(NameArg::Name(3)), H::S_OK, 0);
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
    m.begin_write(Client::A, Source::Sectors(300), 0);
    m.end_write(Client::A);
    call(&mut m, Member::ReleaseMedia, Expect::ok());
    assert_eq!(m.disc.as_ref().unwrap().status, DiscState::Appendable);
    call(&mut m, Member::PrepareMedia, Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK));
    call(&mut m, Member::PutDoNotFinalizeMedia(false), Expect::hr(H::E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY));
}
