//! Spec section 2, AddAudioTrack: its checks in order (none touches the disc), the write, and
//! the refreshed session values.

use cdr_sim::profile::ShortTrack;
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{DiscFormat2TrackAtOnce, Hresult, TaoWriteAction};

use crate::common::{bytes, event_log, Recorder, Rig, UnknownSize};

#[test]
fn add_audio_track_before_prepare_media_is_media_is_not_prepared() {
    let rig = Rig::new("cdr80").ready();
    assert_eq!(rig.add(300), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
    assert_eq!(Rig::new("cdr80").add(300), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
}

#[test]
fn add_audio_track_from_the_writing_and_finishing_handlers_is_write_in_progress() {
    // Spec 2, !W: the writing flag is set from after PREPARING until after FINISHING. The
    // rejected nested call is told to keep the flag here, so that every later event meets it
    // (`dll_rules::rejected_nested_add_clears_writing` covers the default, and
    // `dll_rules::rule_4_a_nested_add_audio_track_from_preparing_writes_a_whole_track_first`
    // the PREPARING handler, where a nested call writes a whole track).
    let rig = Rig::calibrated("cdr80", |c| c.rejected_nested_add_clears_writing = false).prepared();
    let answers = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let a = answers.clone();
    let sink = Recorder::new(move |format: &dyn DiscFormat2TrackAtOnce, p: &cdr_sim::TaoProgress| {
        if matches!(p.current_action, TaoWriteAction::Writing | TaoWriteAction::Finishing) {
            let answer = format.add_audio_track(&mut SyntheticPcm::sectors(1, 300));
            a.lock().unwrap().push((p.current_action, answer));
        }
    });
    rig.format.advise(sink).unwrap();
    rig.add(300).unwrap();
    let answers = answers.lock().unwrap();
    assert!(answers.iter().any(|a| a.0 == TaoWriteAction::Writing));
    assert!(answers.iter().any(|a| a.0 == TaoWriteAction::Finishing));
    assert!(answers.iter().all(|a| a.1 == Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)), "{answers:?}");
    assert_eq!(rig.disc().tracks.len(), 1);
}

#[test]
fn add_audio_track_after_99_tracks_is_track_limit_reached_and_changes_nothing() {
    let rig = Rig::new("cdr80").prepared();
    for _ in 0..99 {
        rig.add(300).unwrap();
    }
    let before = rig.read_back();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    assert_eq!(rig.add(300), Err(Hresult::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED));
    assert_eq!(rig.read_back(), before);
    assert!(log.events().is_empty());
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(99));
}

#[test]
fn add_audio_track_with_a_stream_of_2353_bytes_is_stream_not_supported_and_changes_nothing() {
    let rig = Rig::new("cdr80").prepared();
    let before = rig.read_back();
    assert_eq!(rig.format.add_audio_track(&mut bytes(2353)), Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED));
    assert_eq!(rig.read_back(), before);
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_845));
}

#[test]
fn add_audio_track_with_an_empty_or_unsized_stream_is_stream_not_supported() {
    let rig = Rig::new("cdr80").prepared();
    assert_eq!(rig.format.add_audio_track(&mut bytes(0)), Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED));
    assert_eq!(rig.format.add_audio_track(&mut UnknownSize), Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED));
}

#[test]
fn add_audio_track_over_2_pow_31_minus_1_sectors_is_stream_not_supported() {
    let rig = Rig::new("cdr80").prepared();
    let too_big = (i32::MAX as u64 + 1) * 2352;
    assert_eq!(
        rig.format.add_audio_track(&mut SyntheticPcm::bytes(1, too_big)),
        Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED)
    );
    // Exactly 2^31-1 sectors passes the stream check and fails on space.
    assert_eq!(
        rig.format.add_audio_track(&mut SyntheticPcm::bytes(1, i32::MAX as u64 * 2352)),
        Err(Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE)
    );
}

#[test]
fn add_audio_track_bigger_than_free_is_not_enough_space_and_changes_nothing() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    let before = rig.read_back();
    let free = rig.format.free_sectors_on_media().unwrap();
    assert_eq!(rig.add(free as u64 + 1), Err(Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE));
    assert_eq!(rig.read_back(), before);
    assert_eq!(rig.format.free_sectors_on_media(), Ok(free));
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(1));
}

#[test]
fn add_audio_track_checks_the_track_limit_before_the_stream() {
    let rig = Rig::new("cdr80").prepared();
    for _ in 0..99 {
        rig.add(300).unwrap();
    }
    assert_eq!(rig.format.add_audio_track(&mut bytes(2353)), Err(Hresult::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED));
}

#[test]
fn add_audio_track_checks_the_stream_before_the_space() {
    let rig = Rig::new("cdr21-8cm").prepared();
    let huge_and_ragged = 400_000 * 2352 + 1;
    assert_eq!(
        rig.format.add_audio_track(&mut SyntheticPcm::bytes(1, huge_and_ragged)),
        Err(Hresult::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED)
    );
}

#[test]
fn a_short_track_is_padded_with_silence_to_300_sectors_by_the_drive_not_the_dll() {
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(10).unwrap();
    let disc = rig.disc();
    assert_eq!(disc.tracks[0].sectors, 300);
    assert_eq!(disc.tracks[0].data_bytes, 300 * 2352);
    // The DLL sends the 10 sectors: the events count them, not the padding.
    assert!(log.events().iter().all(|e| e.sector_count == 10));
    // The digest covers the data and the silence.
    let mut expected = blake3::Hasher::new();
    let mut data = vec![0u8; 10 * 2352];
    cdr_sim::AudioStream::read(&mut SyntheticPcm::sectors(10, 10), &mut data).unwrap();
    expected.update(&data);
    expected.update(&vec![0u8; 290 * 2352]);
    assert_eq!(disc.tracks[0].digest.as_deref(), Some(expected.finalize().to_hex().as_str()));
}

#[test]
fn a_short_track_is_not_padded_when_calibrated_so() {
    let rig = Rig::calibrated("cdr80", |c| c.short_track = cdr_sim::profile::ShortTrack::AsWritten).prepared();
    rig.add(10).unwrap();
    assert_eq!(rig.disc().tracks[0].sectors, 10);
}

#[test]
fn the_space_check_uses_the_unpadded_sector_count() {
    let rig = Rig::new("cdr21-8cm").prepared();
    // Fill up to 200 sectors short of the end: a 10-sector track still fits the check, and the
    // drive pads it only as far as the disc goes.
    let free = rig.format.free_sectors_on_media().unwrap();
    rig.add(free as u64 - 152 - 200).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(200));
    assert_eq!(rig.add(201), Err(Hresult::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE));
    rig.add(10).unwrap();
    assert_eq!(rig.disc().tracks[1].sectors, 200);
    assert_eq!(rig.format.free_sectors_on_media(), Ok(-152));
}

#[test]
fn a_track_that_fills_free_exactly_is_written() {
    let rig = Rig::new("cdr21-8cm").prepared();
    let free = rig.format.free_sectors_on_media().unwrap();
    rig.add(free as u64).unwrap();
    let disc = rig.disc();
    assert_eq!(disc.tracks[0].sectors as i32, free);
    rig.format.release_media().unwrap();
    assert_eq!(rig.disc().lead_out, Some(disc.last_possible_lead_out));
}

#[test]
fn add_audio_track_refreshes_free_used_tracks_and_toc_after_the_track() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(22_500).unwrap();
    rig.add(18_000).unwrap();
    let f = &rig.format;
    assert_eq!(f.number_of_existing_tracks(), Ok(2));
    // S2 = 22,652; S3 = 22,652 + 18,000 + 152 = 40,804.
    assert_eq!(f.free_sectors_on_media(), Ok(359_847 - 2 - 40_804));
    assert_eq!(f.used_sectors_on_media(), Ok(359_997 - (359_847 - 2 - 40_804)));
    assert_eq!(f.total_sectors_on_media(), Ok(359_997));
    let toc = f.expected_table_of_contents().unwrap();
    assert_eq!(toc.len(), 8 * 2 + 12);
    assert_eq!(&toc[..4], &[0x00, 0x12, 0x01, 0x02]);
}

#[test]
fn a_stream_that_ends_early_closes_the_track_short_with_e_fail_and_leaves_the_cache() {
    let rig = Rig::new("cdr80").prepared();
    // States 1,000 sectors, holds 700 and a half.
    let mut stream = (1_000u64 * 2352, std::io::Cursor::new(vec![7u8; 700 * 2352 + 1176]));
    assert_eq!(rig.format.add_audio_track(&mut stream), Err(Hresult::E_FAIL));
    assert_eq!(rig.disc().tracks[0].sectors, 700);
    // Spec 2 (dll id 55622866541): a failed track is on the disc, but the cache is refreshed
    // only after a track whose write and close both succeeded.
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(0));
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_845));
    // The next successful track's refresh counts both.
    rig.add(300).unwrap();
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(2));
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_845 - 700 - 152 - 300 - 152));
}

#[test]
fn a_stream_that_fails_to_read_closes_the_track_short_with_e_fail_and_the_drive_pads_it() {
    struct Failing(u64);
    impl cdr_sim::AudioStream for Failing {
        fn size(&self) -> Option<u64> {
            Some(1_000 * 2352)
        }
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("disk gone"));
            }
            let n = buf.len().min(self.0 as usize);
            buf[..n].fill(1);
            self.0 -= n as u64;
            Ok(n)
        }
    }
    // 128 sectors reach the drive; a drive that pads (`short_track = "drive_pads"`, the
    // default) records the closed track as 300 sectors, one that does not as 128.
    for (setting, on_disc) in [(ShortTrack::DrivePads, 300), (ShortTrack::AsWritten, 128)] {
        let rig = Rig::calibrated("cdr80", |c| c.short_track = setting).prepared();
        assert_eq!(rig.format.add_audio_track(&mut Failing(128 * 2352)), Err(Hresult::E_FAIL));
        assert_eq!(rig.disc().tracks[0].sectors, on_disc, "{setting:?}");
    }
}

#[test]
fn after_a_failed_add_audio_track_the_next_one_works() {
    let rig = Rig::new("cdr80").prepared();
    assert!(rig.format.add_audio_track(&mut bytes(2353)).is_err());
    rig.add(300).unwrap();
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(1));
}

#[test]
fn during_the_write_reads_answer_from_the_cached_values_and_preparing_is_not_writing() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &cdr_sim::TaoProgress| {
        s.lock().unwrap().push((
            p.current_action,
            f.free_sectors_on_media(),
            f.used_sectors_on_media(),
            f.total_sectors_on_media(),
            f.number_of_existing_tracks(),
            f.expected_table_of_contents().map(|t| t.len()),
        ));
    });
    rig.format.advise(sink).unwrap();
    rig.add(22_500).unwrap();
    let free = 359_845 - 452;
    for (action, free_now, used, total, tracks, toc) in seen.lock().unwrap().iter() {
        assert_eq!(*free_now, Ok(free), "{action:?}");
        assert_eq!(*used, Ok(359_997 - free));
        assert_eq!(*total, Ok(359_997));
        if *action == TaoWriteAction::Preparing {
            // Spec 2, !W (dll id 55622866541): PREPARING fires before the writing flag is set.
            assert_eq!(*tracks, Ok(1));
            assert_eq!(*toc, Ok(8 + 12));
        } else {
            assert_eq!(*tracks, Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS), "{action:?}");
            assert_eq!(*toc, Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS), "{action:?}");
        }
    }
    assert!(seen.lock().unwrap().iter().any(|s| s.0 == TaoWriteAction::Preparing));
    assert!(seen.lock().unwrap().iter().any(|s| s.0 == TaoWriteAction::Finishing));
}
