//! Spec section 3: the Update events, their fields, and the DLL's time estimate.

use cdr_sim::{BurnVerificationLevel, TaoProgress, TaoWriteAction};

use crate::common::{event_log, Rig};

fn actions(events: &[TaoProgress]) -> Vec<TaoWriteAction> {
    let mut v: Vec<TaoWriteAction> = events.iter().map(|e| e.current_action).collect();
    v.dedup();
    v
}

#[test]
fn events_run_preparing_writing_finishing_per_track() {
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(22_500).unwrap();
    let events = log.events();
    assert_eq!(actions(&events), [TaoWriteAction::Preparing, TaoWriteAction::Writing, TaoWriteAction::Finishing]);
    assert!(events.iter().all(|e| e.current_track_number == 1 && e.start_lba == 0 && e.sector_count == 22_500));
}

#[test]
fn preparing_names_the_next_track_number() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(300).unwrap();
    let events = log.events();
    assert_eq!(events[0].current_action, TaoWriteAction::Preparing);
    assert_eq!(events[0].current_track_number, 2);
    assert_eq!(events[0].start_lba, 452);
}

#[test]
fn writing_events_grow_last_written_lba_up_to_the_last_sector_and_never_reach_100_percent() {
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(22_500).unwrap();
    let writing = log.last_written(TaoWriteAction::Writing);
    assert!(writing.windows(2).all(|w| w[0] < w[1]), "{writing:?}");
    // Spec 3 (dll id 55858994589, 55760110767): LastWrittenLba ends at StartLba +
    // SectorCount - 1, so a client's percent stops at 99.
    assert_eq!(*writing.last().unwrap(), 22_499);
    let last = log.events().into_iter().rfind(|e| e.current_action == TaoWriteAction::Writing).unwrap();
    assert_eq!(last.percent(), 99);
    assert!(log.events().iter().all(|e| e.percent() < 100));
}

#[test]
fn writing_fires_before_data_flows_every_500_ms_of_virtual_time_and_after_the_engine_finishes() {
    // Spec 3 (dll id 55622866541, 55647651718): 22,500 sectors at 48x (3,600 sectors/s) take
    // 6.25 s: one event before data flows, twelve 500 ms intervals (1,800 sectors each), and
    // one after the engine finishes.
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(22_500).unwrap();
    let writing = log.last_written(TaoWriteAction::Writing);
    let mut expected = vec![0];
    expected.extend((1..=12).map(|k| k * 1_800 - 1));
    expected.push(22_499);
    assert_eq!(writing, expected);
}

#[test]
fn verifying_follows_finishing_only_with_quick_verification() {
    // Spec 2, IBurnVerification (dll id 55622866541): FULL adds no VERIFYING event.
    for (level, verifies) in [
        (BurnVerificationLevel::None, false),
        (BurnVerificationLevel::Quick, true),
        (BurnVerificationLevel::Full, false),
    ] {
        let rig = Rig::new("cdr80").prepared();
        rig.format.set_burn_verification_level(level).unwrap();
        let log = event_log();
        rig.format.advise(log.clone()).unwrap();
        rig.add(300).unwrap();
        let got = actions(&log.events());
        assert_eq!(got.last() == Some(&TaoWriteAction::Verifying), verifies, "{level:?}: {got:?}");
    }
}

#[test]
fn time_estimate_is_write_seconds_plus_21_s_calibration_plus_5_s_finishing_for_the_first_track() {
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(22_500).unwrap();
    let e = log.events();
    // 22,500 / 3,600 = 6 whole seconds; 6 + 21 + 5 = 32.
    assert_eq!((e[0].elapsed_time, e[0].remaining_time), (0, 32));
    // The first WRITING comes before data flows, right after the 21 s of power calibration.
    let first_writing = e.iter().find(|e| e.current_action == TaoWriteAction::Writing).unwrap();
    assert_eq!((first_writing.elapsed_time, first_writing.remaining_time), (21, 11));
    let finishing = e.iter().find(|e| e.current_action == TaoWriteAction::Finishing).unwrap();
    assert_eq!((finishing.elapsed_time, finishing.remaining_time), (27, 5));
    assert_eq!(rig.sim.elapsed_ms(), 21_000 + 6_250 + 5_000);
}

#[test]
fn time_estimate_adds_1_s_for_later_tracks_and_8_s_finishing_with_quick_verification() {
    let rig = Rig::new("cdr80").prepared();
    rig.add(300).unwrap();
    rig.format.set_burn_verification_level(BurnVerificationLevel::Quick).unwrap();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(7_200).unwrap();
    let e = log.events();
    // 7,200 / 3,600 = 2 s; 2 + 1 + 8 = 11.
    assert_eq!((e[0].elapsed_time, e[0].remaining_time), (0, 11));
    let verifying = e.iter().find(|e| e.current_action == TaoWriteAction::Verifying).unwrap();
    assert_eq!((verifying.elapsed_time, verifying.remaining_time), (8, 3));
}

#[test]
fn the_write_speed_sets_the_pace_of_virtual_time() {
    let rig = Rig::new("cdr80").ready();
    rig.format.set_write_speed(4 * 75, false).unwrap();
    rig.format.prepare_media().unwrap();
    let before = rig.sim.elapsed_ms();
    rig.add(3_000).unwrap();
    // 3,000 sectors at 4x (300 sectors/s) = 10 s, + 21 s + 5 s.
    assert_eq!(rig.sim.elapsed_ms() - before, 36_000);
}

#[test]
fn buffer_fields_report_the_drive_buffer_and_read_ahead() {
    let rig = Rig::new("cdr80").prepared();
    let log = event_log();
    rig.format.advise(log.clone()).unwrap();
    rig.add(22_500).unwrap();
    let buffer_sectors = 2 * 1024 * 1024 / 2352;
    for e in log.events() {
        assert_eq!(e.total_system_buffer, 2 * 1024 * 1024);
        assert_eq!(e.used_system_buffer + e.free_system_buffer, e.total_system_buffer);
        assert!(e.last_read_lba >= e.last_written_lba && e.last_read_lba <= 22_500, "{e:?}");
        assert!(e.last_read_lba - e.last_written_lba <= buffer_sectors);
        // Whole sectors read ahead and not yet written. Both LBAs read StartLba until a sector
        // is done (spec 3), so before the first one is written the buffer holds one more
        // sector than the LBAs differ by.
        let ahead = e.last_read_lba - e.last_written_lba;
        let nothing_written = e.last_written_lba == e.start_lba && e.current_action == TaoWriteAction::Writing;
        let buffered = if nothing_written && e.last_read_lba > e.start_lba { ahead + 1 } else { ahead };
        assert_eq!(e.used_system_buffer, buffered * 2352, "{e:?}");
    }
}
