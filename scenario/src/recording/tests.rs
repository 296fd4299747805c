//! The recording middleware against the runner: a scenario run through it records the calls
//! the runner records, with the same answers; capture turns that record into a scenario that
//! passes.

use std::path::{Path, PathBuf};

use crate::capture::{scenario_text, CaptureInput};
use crate::recording::Recording;
use crate::runner::{run_without_faults, sim_for, RunOptions};
use crate::scenario::{self, Action};
use crate::transcript::{StepRecord, Transcript};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/scenarios").join(rel)
}

/// The call, arguments, track, HRESULT, value and `during` calls of a step (what the runner
/// and the recording both see), without the scenario's line numbers and checks.
fn essence(s: &StepRecord) -> String {
    let during: Vec<String> = s
        .during
        .iter()
        .map(|d| format!("{} {:?} {:?} {:?} {:?}", d.call, d.args, d.hresult, d.value, d.event))
        .collect();
    format!("{} {:?} {:?} {:?} {} {:?} {during:?}", s.client, s.call, s.args, s.track, s.hresult, s.value)
}

fn recorded(rel: &str) -> (scenario::Scenario, Transcript, Vec<StepRecord>) {
    let s = scenario::load(&fixture(rel)).unwrap();
    let direct = run_without_faults(&sim_for(&s), &s, &RunOptions::default()).unwrap();
    let recording = Recording::new(sim_for(&s), None);
    let through = run_without_faults(&recording, &s, &RunOptions::default()).unwrap();
    assert_eq!(
        through.steps.iter().map(essence).collect::<Vec<_>>(),
        direct.steps.iter().map(essence).collect::<Vec<_>>()
    );
    (s, direct, recording.probe().steps())
}

#[test]
fn a_run_through_the_recording_records_the_calls_the_runner_records() {
    let (s, direct, steps) = recorded("mid-write/readable-while-writing.toml");
    // The runner's own set-up comes first: one InitializeDiscRecorder per client, then the
    // drive's identity for the transcript's environment.
    let setup: Vec<&str> = steps.iter().take(s.clients.len() + 3).filter_map(|r| r.call.as_deref()).collect();
    assert_eq!(
        setup,
        [
            "IDiscRecorder2::InitializeDiscRecorder",
            "IDiscRecorder2::get_VendorId",
            "IDiscRecorder2::get_ProductId",
            "IDiscRecorder2::get_ProductRevision"
        ]
    );
    let own: Vec<&StepRecord> = steps.iter().skip(s.clients.len() + 3).collect();
    assert_eq!(own.len(), direct.steps.len());
    for (r, d) in own.iter().zip(&direct.steps) {
        assert_eq!((&r.call, &r.args, &r.hresult, &r.value), (&d.call, &d.args, &d.hresult, &d.value));
        assert_eq!(r.during.len(), d.during.len(), "{:?}", r.call);
        for (rd, dd) in r.during.iter().zip(&d.during) {
            assert_eq!((&rd.call, &rd.hresult, &rd.value, &rd.event), (&dd.call, &dd.hresult, &dd.value, &dd.event));
            assert!(rd.when.starts_with("event "), "{}", rd.when);
        }
    }
    let add = own.iter().find(|r| r.call.as_deref() == Some("AddAudioTrack")).unwrap();
    assert_eq!(add.track.as_deref(), Some("bytes = 84672000"), "36000 sectors of 2352 bytes");
    assert_eq!(add.events.as_ref().unwrap().total, direct.steps[3].events.as_ref().unwrap().total);
}

#[test]
fn a_captured_recording_passes_on_the_simulator() {
    for rel in
        ["mid-write/readable-while-writing.toml", "clients/second-client-locked.toml", "cancel/from-handler.toml"]
    {
        let path = fixture(rel);
        let s = scenario::load(&path).unwrap();
        let recording = Recording::new(sim_for(&s), None);
        let t = run_without_faults(&recording, &s, &RunOptions::default()).unwrap();
        let mut recorded = t.clone();
        recorded.steps = recording.probe().steps();
        recorded.setup = Some(scenario::setup::record_of(&s, &std::fs::read_to_string(&path).unwrap()));
        assert!(s.steps.iter().all(|st| matches!(st.action, Action::Call(_))), "{rel}: calls only");
        let text = scenario_text(&CaptureInput {
            transcript: &recorded,
            setup: recorded.setup.as_ref().unwrap(),
            scenario_steps: None,
            start_disc_file: None,
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("captured.toml");
        std::fs::write(&out, &text).unwrap();
        let captured = scenario::load(&out).unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"));
        let replay = crate::runner::run(&captured, &RunOptions::default()).unwrap();
        assert!(replay.passed, "{rel}: {:#?}\n{text}", replay.failures);
        // The runner's own opening of each client's recorder is set-up in the replay, not a step.
        let mut opened = std::collections::BTreeSet::new();
        let setup_calls = recorded
            .steps
            .iter()
            .filter(|r| {
                r.call.as_deref() == Some("IDiscRecorder2::InitializeDiscRecorder")
                    && r.hresult == "S_OK"
                    && opened.insert(r.client.clone())
            })
            .count();
        assert_eq!(replay.steps.len(), recorded.steps.len() - setup_calls, "{rel}");
    }
}
