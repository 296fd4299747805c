//! Spec section 4: the track-at-once layout and what the drive reports.

use cdr_sim::{DiscState, SessionState};
use rstest::rstest;

use crate::common::Rig;

blank_cd_test! {
fn tracks_start_at_0_and_each_next_152_sectors_after_the_last_ends(media: &str) {
    let rig = Rig::new(media).prepared();
    let lpl = rig.disc().last_possible_lead_out;
    for sectors in [300, 451, 1_000] {
        rig.add(sectors).unwrap();
    }
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    let layout: Vec<(i32, u32, u32)> = disc.tracks.iter().map(|t| (t.start, t.sectors, t.pregap)).collect();
    assert_eq!(layout, [(0, 300, 150), (452, 451, 150), (1_055, 1_000, 150)]);
    // Lead-out = S(N) + L(N) + 2.
    assert_eq!(disc.lead_out, Some(2_057));
    assert_eq!(disc.last_possible_lead_out, lpl);
}
}

#[rstest]
fn free_for_the_next_track_is_lpl_minus_2_minus_its_start(
    #[values("cdr80", "cdr74", "cdr71-psx", "cdr21-8cm", "cdrw80")] media: &str,
) {
    let rig = Rig::new(media).prepared();
    let lpl = rig.disc().last_possible_lead_out;
    rig.add(1_000).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(lpl - 2 - 1_152));
    rig.add(300).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(lpl - 2 - 1_604));
    assert_eq!(rig.format.total_sectors_on_media(), Ok(lpl + 150));
}

#[test]
fn pause_and_run_out_are_calibration_points() {
    let rig = Rig::calibrated("cdr80", |c| {
        c.pause_sectors = 0;
        c.run_out_sectors = 7;
    })
    .prepared();
    rig.add(300).unwrap();
    rig.add(300).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_847 - 7 - 614));
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.tracks[1].start, 307);
    assert_eq!(disc.tracks[1].pregap, 0);
    assert_eq!(disc.tracks[0].pregap, 150);
    assert_eq!(disc.lead_out, Some(614));
}

#[test]
fn at_most_99_tracks_numbered_1_to_99() {
    let rig = Rig::new("cdr80").prepared();
    for _ in 0..99 {
        rig.add(300).unwrap();
    }
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.tracks.iter().map(|t| t.number).collect::<Vec<_>>(), (1..=99).collect::<Vec<u32>>());
    assert_eq!(disc.tracks[98].start, 98 * 452);
    assert_eq!(disc.lead_out, Some(98 * 452 + 302));
}

#[test]
fn a_blank_disc_reports_blank_an_empty_session_and_the_whole_disc_writable() {
    let disc = Rig::new("cdr80").disc();
    assert_eq!(disc.status, DiscState::Blank);
    assert_eq!(disc.last_session_state, SessionState::Empty);
    assert_eq!(disc.first_track, 1);
    assert_eq!(disc.next_writable_address, Some(0));
    assert_eq!(disc.free_blocks, 359_847);
    assert_eq!(disc.atip.unwrap().lead_out.to_string(), "79:59:72");
}

#[test]
fn discs_that_come_with_tracks_are_laid_out_from_lba_0_in_session_1() {
    let disc = Rig::new("cdr80-complete").disc();
    assert_eq!(disc.status, DiscState::Complete);
    assert_eq!(
        disc.tracks.iter().map(|t| (t.start, t.session)).collect::<Vec<_>>(),
        [(0, 1), (22_652, 1), (40_804, 1)]
    );
    assert!(disc.tracks.iter().all(|t| t.digest.is_none()));
    assert_eq!(disc.lead_out, Some(40_804 + 15_002));
    let open = Rig::new("cdr80-appendable").disc();
    assert_eq!(open.status, DiscState::Appendable);
    assert_eq!(open.last_session_state, SessionState::Incomplete);
    assert_eq!(open.next_writable_address, Some(22_652 + 18_002));
}

#[test]
fn a_blank_cd_rw_is_written_like_a_cd_r() {
    let rig = Rig::new("cdrw80").prepared();
    rig.add(22_500).unwrap();
    assert_eq!(rig.format.free_sectors_on_media(), Ok(359_849 - 2 - 22_652));
    rig.format.release_media().unwrap();
    let disc = rig.disc();
    assert_eq!(disc.status, DiscState::Complete);
    assert_eq!(disc.media_type, cdr_sim::PhysicalMediaType::CdRw);
    assert_eq!(disc.lead_out, Some(22_502));
}

#[test]
fn dvd_media_has_no_atip_and_its_capacity_as_last_possible_lead_out() {
    let disc = Rig::new("dvdplusr").disc();
    assert!(disc.atip.is_none());
    assert_eq!(disc.last_possible_lead_out, 2_295_104);
    assert_eq!(disc.status, DiscState::Blank);
}

#[test]
fn read_back_reports_each_tracks_data_length_and_digest() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(400).unwrap();
    rig.add(400).unwrap();
    let disc = rig.disc();
    assert_eq!(disc.tracks[0].data_bytes, 400 * 2352);
    let (a, b) = (disc.tracks[0].digest.clone().unwrap(), disc.tracks[1].digest.clone().unwrap());
    assert_eq!(a.len(), 64);
    // Same length, same seed (the helper seeds by length): same audio, same digest.
    assert_eq!(a, b);
    let mut data = vec![0; 400 * 2352];
    cdr_sim::AudioStream::read(&mut cdr_sim::source::SyntheticPcm::sectors(400, 400), &mut data).unwrap();
    assert_eq!(a, blake3::hash(&data).to_hex().as_str());
}
