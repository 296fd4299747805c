//! The simulator is deterministic: the same calls give the same events, times and digests.

use std::sync::{Arc, Mutex};

use cdr_sim::{Backend, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscReadBack, TaoProgress};

use crate::common::{event_log, Recorder, Rig};

fn session(seed: u64) -> (Vec<TaoProgress>, DiscReadBack, u64) {
    let rig = Rig::new("cdr80").prepared();
    rig.format.set_burn_verification_level(BurnVerificationLevel::Quick).unwrap();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    for (i, sectors) in [4_000u64, 10, 7_777].into_iter().enumerate() {
        rig.format.add_audio_track(&mut cdr_sim::source::SyntheticPcm::sectors(seed + i as u64, sectors)).unwrap();
    }
    rig.format.release_media().unwrap();
    (log.events(), rig.read_back(), rig.sim.elapsed_ms())
}

#[test]
fn two_runs_give_identical_event_sequences_times_and_digests() {
    let a = session(7);
    let b = session(7);
    assert!(a.0.len() > 10);
    assert_eq!(a, b);
}

#[test]
fn different_audio_gives_different_digests_and_the_same_layout() {
    let (events_a, disc_a, time_a) = session(7);
    let (events_b, disc_b, time_b) = session(8);
    assert_eq!((events_a, time_a), (events_b, time_b));
    let (a, b) = (disc_a.media.unwrap(), disc_b.media.unwrap());
    for (x, y) in a.tracks.iter().zip(&b.tracks) {
        assert_eq!((x.start, x.sectors), (y.start, y.sectors));
        assert_ne!(x.digest, y.digest);
    }
}

#[test]
fn a_cancel_at_the_same_event_gives_the_same_short_track() {
    fn cancelled_length() -> u32 {
        let rig = Rig::new("cdr80").prepared();
        let count = Arc::new(Mutex::new(0));
        let sink = Recorder::new(move |f: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
            if p.current_action == cdr_sim::TaoWriteAction::Writing {
                let mut n = count.lock().unwrap();
                *n += 1;
                if *n == 3 {
                    f.cancel_add_track().unwrap();
                }
            }
        });
        rig.format.advise(sink).unwrap();
        assert!(rig.add(30_000).is_err());
        rig.disc().tracks[0].sectors
    }
    // The first WRITING event comes before data flows, then one every 500 ms (1,800 sectors
    // at 48x): the third is at 3,600 sectors.
    assert_eq!(cancelled_length(), 2 * 1_800);
    assert_eq!(cancelled_length(), cancelled_length());
}

#[test]
fn backends_do_not_share_time_or_discs() {
    let a = Rig::new("cdr80").prepared();
    let b = Rig::new("cdr80");
    a.add(300).unwrap();
    assert_eq!(b.sim.elapsed_ms(), 0);
    assert!(b.sim.read_back(b.recorder.as_ref()).unwrap().media.unwrap().tracks.is_empty());
}
