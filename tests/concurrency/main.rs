//! Calls from several threads: on one format object, and on two format objects on one drive
//! (each through its own recorder object). Every answer must be one IMAPI2 gives in that situation (WRITE_IN_PROGRESS,
//! RECORDER_LOCKED, ...), no call may hang, and no thread may see a torn state: the invariants
//! (Used + Free = Total, tracks on the disc = successful writes, a track on the disc it was
//! prepared for) hold from every thread. Each test runs on the simulator and on the simulator
//! behind the fault-injection middleware (with no rules), with a bounded number of iterations
//! and a watchdog that fails the test instead of hanging.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

use cdr_scenario::faults::{FaultConfig, FaultInjector};
use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, SimBackend, TaoProgress, TaoWriteAction};

/// The longest a test may take before it counts as a deadlock.
const WATCHDOG: Duration = Duration::from_secs(120);

/// Runs `body` on both backends, failing if it does not finish within the watchdog.
fn on_each_backend(name: &str, body: fn(&dyn Backend)) {
    type Make = fn() -> Box<dyn Backend>;
    let makers: [(&str, Make); 2] = [
        ("sim", || Box::new(SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80")))),
        ("faults(sim)", || {
            let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
            Box::new(FaultInjector::new(sim, FaultConfig::default()))
        }),
    ];
    for (label, make) in makers {
        let (tx, rx) = mpsc::channel();
        let worker = thread::spawn(move || {
            let backend = make();
            body(backend.as_ref());
            let _ = tx.send(());
        });
        match rx.recv_timeout(WATCHDOG) {
            Ok(()) => worker.join().unwrap(),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The body panicked: re-raise its message.
                if let Err(p) = worker.join() {
                    std::panic::resume_unwind(p);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{name} on {label}: no answer within {WATCHDOG:?} (deadlock)")
            }
        }
    }
}

fn recorder(backend: &dyn Backend) -> Arc<dyn DiscRecorder2> {
    let r = backend.create_recorder().unwrap();
    r.initialize_disc_recorder(&backend.disc_master().unwrap().item(0).unwrap()).unwrap();
    r
}

fn format(backend: &dyn Backend, recorder: &Arc<dyn DiscRecorder2>, name: &str) -> Arc<dyn DiscFormat2TrackAtOnce> {
    let f = backend.create_format().unwrap();
    f.set_recorder(Some(Arc::clone(recorder))).unwrap();
    f.set_client_name(Some(name)).unwrap();
    f
}

fn add(f: &dyn DiscFormat2TrackAtOnce, sectors: u64, seed: u64) -> Result<(), Hresult> {
    f.add_audio_track(&mut SyntheticPcm::sectors(seed, sectors))
}

/// Reads (Free, Used, Total) and checks Used + Free = Total on a consistent triple: Free only
/// falls during a session, so equal readings of Free before and after mean no track closed in
/// between. Returns whether the triple was consistent (and so checked).
fn check_sector_counts(f: &dyn DiscFormat2TrackAtOnce) -> bool {
    let (Ok(free1), Ok(used), Ok(total), Ok(free2)) =
        (f.free_sectors_on_media(), f.used_sectors_on_media(), f.total_sectors_on_media(), f.free_sectors_on_media())
    else {
        return false;
    };
    if free1 != free2 {
        return false;
    }
    assert_eq!(i64::from(used) + i64::from(free1), i64::from(total), "Used + Free = Total (used {used}, free {free1})");
    true
}

const ALLOWED_WRITE: [Hresult; 2] = [Hresult::S_OK, Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS];

#[test]
fn concurrent_writes_on_one_format_object_answer_write_in_progress_and_each_success_is_one_track() {
    on_each_backend("one format, many writers", |backend| {
        let rec = recorder(backend);
        let f = format(backend, &rec, "Writers");
        f.prepare_media().unwrap();
        const THREADS: usize = 6;
        const ROUNDS: usize = 8;
        let results = Mutex::new(BTreeMap::<String, usize>::new());
        let start = Barrier::new(THREADS);
        thread::scope(|s| {
            for t in 0..THREADS {
                let (f, results, start) = (&f, &results, &start);
                s.spawn(move || {
                    start.wait();
                    for round in 0..ROUNDS {
                        let hr = add(f.as_ref(), 300, (t * ROUNDS + round) as u64).err().unwrap_or(Hresult::S_OK);
                        assert!(ALLOWED_WRITE.contains(&hr), "AddAudioTrack from thread {t} answered {hr}");
                        *results.lock().unwrap().entry(hr.to_string()).or_default() += 1;
                        check_sector_counts(f.as_ref());
                    }
                });
            }
        });
        let results = results.into_inner().unwrap();
        let ok = results.get(&Hresult::S_OK.to_string()).copied().unwrap_or(0);
        assert!(ok >= 1, "{results:?}");
        assert_eq!(results.values().sum::<usize>(), THREADS * ROUNDS);
        assert_eq!(f.number_of_existing_tracks(), Ok(ok as i32), "every success is one track, {results:?}");
        assert!(check_sector_counts(f.as_ref()));
        f.release_media().unwrap();
        let disc = backend.read_back(rec.as_ref()).unwrap().media.unwrap();
        assert_eq!(disc.tracks.len(), ok);
        for pair in disc.tracks.windows(2) {
            assert!(pair[1].start >= pair[0].start + pair[0].sectors as i32, "tracks overlap: {pair:?}");
        }
    });
}

#[test]
fn reads_and_cancels_from_other_threads_during_a_write_see_the_snapshot_and_the_allowed_answers() {
    on_each_backend("one format, readers during a write", |backend| {
        let rec = recorder(backend);
        let f = format(backend, &rec, "Readers");
        f.prepare_media().unwrap();
        const READERS: usize = 4;
        for round in 0..6u64 {
            let done = std::sync::atomic::AtomicBool::new(false);
            let cancels = Mutex::new(Vec::new());
            let write = thread::scope(|s| {
                let writer = s.spawn(|| {
                    let r = add(f.as_ref(), 6_000, round);
                    done.store(true, std::sync::atomic::Ordering::Release);
                    r
                });
                let mut readers = Vec::new();
                for r in 0..READERS {
                    let (f, done, cancels) = (&f, &done, &cancels);
                    readers.push(s.spawn(move || {
                        let mut checked = 0;
                        // At least once, then until the write is over.
                        loop {
                            let last = done.load(std::sync::atomic::Ordering::Acquire);
                            if check_sector_counts(f.as_ref()) {
                                checked += 1;
                            }
                            // !W members answer WRITE_IN_PROGRESS or, between writes, their value.
                            match f.number_of_existing_tracks() {
                                Ok(n) => assert!(n >= 0),
                                Err(hr) => assert_eq!(hr, Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
                            }
                            match f.expected_table_of_contents() {
                                Ok(toc) => assert_eq!(toc.len() % 8, 4),
                                Err(hr) => assert!(
                                    [
                                        Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS,
                                        Hresult::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC
                                    ]
                                    .contains(&hr),
                                    "{hr}"
                                ),
                            }
                            // !W, !P: refused while prepared, writing or not.
                            let put = f.set_do_not_finalize_media(true).unwrap_err();
                            assert!(
                                [Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED]
                                    .contains(&put),
                                "put_DoNotFinalizeMedia answered {put}"
                            );
                            if r == 0 && round % 2 == 1 {
                                let c = f.cancel_add_track().err().unwrap_or(Hresult::S_OK);
                                assert!(
                                    [Hresult::S_OK, Hresult::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS].contains(&c),
                                    "CancelAddTrack answered {c}"
                                );
                                cancels.lock().unwrap().push(c);
                            }
                            if last {
                                break;
                            }
                        }
                        checked
                    }));
                }
                let result = writer.join().unwrap();
                let checked: usize = readers.into_iter().map(|h| h.join().unwrap()).sum();
                assert!(checked > 0, "no reader saw a consistent Free/Used/Total during the write");
                result
            });
            let cancelled_ok = cancels.lock().unwrap().contains(&Hresult::S_OK);
            match write {
                Ok(()) => assert!(!cancelled_ok || round % 2 == 0, "a cancel that succeeded went unheard"),
                Err(Hresult::E_IMAPI_REQUEST_CANCELLED) => assert!(cancelled_ok, "cancelled without a cancel"),
                Err(hr) => panic!("AddAudioTrack answered {hr}"),
            }
            assert!(check_sector_counts(f.as_ref()));
        }
        f.release_media().unwrap();
    });
}

#[test]
fn two_format_objects_on_one_drive_get_recorder_locked_and_never_both_a_session() {
    on_each_backend("two formats, one drive", |backend| {
        // Each format object through its own recorder object on the same drive: exclusive access
        // is counted per recorder object (spec 8), so two format objects sharing one recorder
        // object would both be prepared under its one lock count; across two recorder objects
        // the second PrepareMedia is refused.
        let rec = recorder(backend);
        let rec_b = recorder(backend);
        let a = format(backend, &rec, "First");
        let b = format(backend, &rec_b, "Second");
        const ROUNDS: usize = 40;
        let mut wins = [0usize; 2];
        for round in 0..ROUNDS {
            let start = Barrier::new(2);
            let results: Vec<Result<(), Hresult>> = thread::scope(|s| {
                let handles: Vec<_> = [&a, &b]
                    .into_iter()
                    .map(|f| {
                        let start = &start;
                        s.spawn(move || {
                            start.wait();
                            f.prepare_media()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let ok: Vec<usize> = (0..2).filter(|&i| results[i].is_ok()).collect();
            assert_eq!(ok.len(), 1, "round {round}: exactly one session: {results:?}");
            let loser = 1 - ok[0];
            assert_eq!(results[loser], Err(Hresult::E_IMAPI_RECORDER_LOCKED), "round {round}");
            wins[ok[0]] += 1;
            let (winner, other) = if ok[0] == 0 { (&a, &b) } else { (&b, &a) };
            // While the winner holds the drive the other is refused, also during a write.
            thread::scope(|s| {
                let w = s.spawn(|| add(winner.as_ref(), 300, round as u64));
                // Spec 2's check order: the media checks come before the lock, so once the
                // winner's track is on the disc the answer is MEDIA_IS_NOT_BLANK.
                let refused = other.prepare_media().unwrap_err();
                assert!(
                    [Hresult::E_IMAPI_RECORDER_LOCKED, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK].contains(&refused),
                    "round {round}: {refused}"
                );
                assert_eq!(other.free_sectors_on_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED));
                assert!(ALLOWED_WRITE.contains(&w.join().unwrap().err().unwrap_or(Hresult::S_OK)));
            });
            // Back to a blank disc for the next round: release without finalizing is not
            // possible on a written disc, so put a new blank disc in once the tray is free.
            winner.release_media().unwrap();
            backend.change_media(rec.as_ref(), media_by_name("cdr80").as_ref()).unwrap();
        }
        assert_eq!(wins.iter().sum::<usize>(), ROUNDS, "{wins:?}");
    });
}

#[test]
fn swapping_the_disc_while_another_thread_prepares_never_writes_to_a_disc_the_session_was_not_prepared_for() {
    on_each_backend("insert racing PrepareMedia", |backend| {
        let rec = recorder(backend);
        let f = format(backend, &rec, "Racer");
        let cdr74 = media_by_name("cdr74").unwrap();
        let lpl74 = cdr74.last_possible_lead_out();
        for round in 0..30u64 {
            backend.change_media(rec.as_ref(), media_by_name("cdr80").as_ref()).unwrap();
            let start = Barrier::new(2);
            let (prepared_total, inserted) = thread::scope(|s| {
                let p = s.spawn(|| {
                    start.wait();
                    match f.prepare_media() {
                        Ok(()) => {
                            let total = f.total_sectors_on_media().unwrap();
                            add(f.as_ref(), 300, round).unwrap();
                            f.release_media().unwrap();
                            Some(total)
                        }
                        Err(hr) => panic!("PrepareMedia answered {hr}"),
                    }
                });
                let i = s.spawn(|| {
                    start.wait();
                    backend.change_media(rec.as_ref(), Some(&cdr74))
                });
                (p.join().unwrap(), i.join().unwrap())
            });
            let disc = backend.read_back(rec.as_ref()).unwrap().media.unwrap();
            match inserted {
                Ok(()) => assert!(
                    // Inserted before the session (the track is on the 74-minute disc) or after it
                    // (the new disc is blank): never under a prepared session.
                    disc.last_possible_lead_out == lpl74
                        && (disc.tracks.is_empty() || prepared_total == Some(lpl74 + 150)),
                    "round {round}: {disc:?}, prepared for {prepared_total:?}"
                ),
                Err(hr) => {
                    assert_eq!(hr, Hresult::E_IMAPI_RECORDER_MEDIA_BUSY, "round {round}");
                    assert_eq!(prepared_total, Some(disc.last_possible_lead_out + 150));
                    assert_eq!(disc.tracks.len(), 1);
                }
            }
        }
    });
}

#[test]
fn update_handlers_calling_back_from_the_writing_thread_while_others_call_in_do_not_deadlock() {
    on_each_backend("handler call-backs under contention", |backend| {
        let rec = recorder(backend);
        let f = format(backend, &rec, "Handler");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        f.advise(Arc::new(move |fmt: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
            // Re-entrant calls from the writing thread. A nested AddAudioTrack is tried once per
            // track, at the WRITING event before data flows, where the writing flag is set and it
            // answers WRITE_IN_PROGRESS (spec 2). Not in PREPARING: the flag is not set yet, so
            // there it would write a whole nested track whose own PREPARING would add again,
            // without end. Not later: the rejected call clears the outer call's writing flag
            // (`rejected_nested_add_clears_writing`), so a second try would also write a track.
            if p.current_action == TaoWriteAction::Writing && p.last_written_lba == p.start_lba {
                let add_again = fmt.add_audio_track(&mut SyntheticPcm::sectors(0, 300));
                assert_eq!(add_again, Err(Hresult::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS));
            }
            assert!(check_sector_counts(fmt));
            log.lock().unwrap().push(p.current_action);
        }))
        .unwrap();
        f.prepare_media().unwrap();
        thread::scope(|s| {
            let w = s.spawn(|| (0..4).map(|i| add(f.as_ref(), 3_000, i)).collect::<Vec<_>>());
            for _ in 0..3 {
                s.spawn(|| {
                    for _ in 0..200 {
                        let _ = f.free_sectors_on_media();
                        let _ = rec.exclusive_access_owner();
                        let _ = f.current_write_speed();
                    }
                });
            }
            for r in w.join().unwrap() {
                assert_eq!(r, Ok(()));
            }
        });
        let seen = seen.lock().unwrap();
        assert_eq!(seen.iter().filter(|a| **a == TaoWriteAction::Finishing).count(), 4);
        f.release_media().unwrap();
    });
}
