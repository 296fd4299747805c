//! The fault-injection middleware itself: what it does on a backend that is not a simulated
//! device (the real drive's case), that calls from inside the Update handler pass through it,
//! `into_inner`, and that random faults follow their seed.

#[path = "../support/harness.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cdr_scenario::call::Call;
use cdr_scenario::faults::{Applied, FaultConfig, FaultInjector, FaultRule, Member, PlacedRule, RandomKind};
use cdr_scenario::runner::{run, RunOptions};
use cdr_scenario::scenario;
use cdr_sim::profile::{drive_by_name, media_by_name, MediaProfile};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{
    Backend, DeviceFault, DeviceFaultKind, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2, HrResult,
    Hresult, SimBackend, TaoProgress,
};

/// The simulator seen as a real drive would be: no `SimulatedDevice` controls.
struct Opaque(SimBackend);

impl Backend for Opaque {
    fn name(&self) -> String {
        "opaque".into()
    }
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        self.0.disc_master()
    }
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        self.0.create_recorder()
    }
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        self.0.create_format()
    }
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        self.0.read_back(recorder)
    }
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        self.0.change_media(recorder, media)
    }
}

fn sim() -> SimBackend {
    SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"))
}

fn placed(rule: FaultRule) -> PlacedRule {
    PlacedRule { rule, origin: "test".into(), line: 0 }
}

fn prepared(b: &dyn Backend) -> (Arc<dyn DiscRecorder2>, Arc<dyn DiscFormat2TrackAtOnce>) {
    cdr_scenario::testing::prepared_client(b, "Injected").unwrap()
}

#[test]
fn on_a_backend_that_is_not_simulated_an_underrun_is_emulated_and_the_rest_is_reported_not_possible() {
    let underrun = DeviceFault { track: 1, sector: 100, kind: DeviceFaultKind::Underrun { stall_ms: 5 } };
    let power = DeviceFault { track: 1, sector: 200, kind: DeviceFaultKind::PowerLoss };
    let config =
        FaultConfig { rules: vec![placed(FaultRule::Device(underrun)), placed(FaultRule::Device(power))], seed: None };
    let injector = FaultInjector::new(Opaque(sim()), config);
    assert!(matches!(injector.plan()[0], Applied::Emulated(_)), "{:?}", injector.plan());
    assert!(matches!(&injector.plan()[1], Applied::Impossible(why) if why.contains("cut the drive's power")));
    let (r, f) = prepared(&injector);
    // The stream stalls (wall clock) at sector 100; the simulator does not notice, the write succeeds.
    f.add_audio_track(&mut SyntheticPcm::sectors(1, 400)).unwrap();
    let events = injector.state().events().to_vec();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].fault, "underrun");
    assert!(events[0].outcome_unknown.is_some(), "a stalled stream may or may not underrun a real drive");
    let shortfalls = injector.probe().shortfalls();
    assert_eq!(shortfalls.len(), 1, "{shortfalls:?}");
    assert!(shortfalls[0].4.starts_with("not possible"));
    f.release_media().unwrap();
    let disc = injector.read_back(r.as_ref()).unwrap().media.unwrap();
    assert_eq!((disc.tracks[0].sectors, disc.tracks[0].damaged), (400, false));
}

#[test]
fn calls_from_inside_the_update_handler_pass_through_the_injector() {
    let rule = FaultRule::FailCall {
        member: Member::Call(Call::GetFreeSectorsOnMedia),
        nth: 2,
        hresult: Hresult::E_FAIL,
        reaches_backend: false,
    };
    let injector = FaultInjector::new(sim(), FaultConfig { rules: vec![placed(rule)], seed: None });
    let (_, f) = prepared(&injector);
    let failed = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&failed);
    f.advise(Arc::new(move |fmt: &dyn DiscFormat2TrackAtOnce, _: &TaoProgress| {
        if fmt.free_sectors_on_media() == Err(Hresult::E_FAIL) {
            seen.fetch_add(1, Ordering::Relaxed);
        }
    }))
    .unwrap();
    f.add_audio_track(&mut SyntheticPcm::sectors(2, 600)).unwrap();
    assert_eq!(failed.load(Ordering::Relaxed), 1, "the handler's 2nd call was the one refused");
    assert!(injector.state().calls(Member::Call(Call::GetFreeSectorsOnMedia)) >= 3);
    assert_eq!(injector.state().events()[0].call, "get_FreeSectorsOnMedia #2");
}

#[test]
fn into_inner_gives_the_backend_back_with_its_disc() {
    let injector = FaultInjector::new(sim(), FaultConfig::default());
    let (r, f) = prepared(&injector);
    f.add_audio_track(&mut SyntheticPcm::sectors(3, 300)).unwrap();
    f.release_media().unwrap();
    let inner = injector.into_inner();
    assert_eq!(inner.read_back(r.as_ref()).unwrap().media.unwrap().tracks.len(), 1);
}

#[test]
fn random_faults_follow_their_seed() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/faults/random.toml");
    let s = scenario::load(&path).unwrap();
    let a = run(&s, &RunOptions::default()).unwrap();
    let b = run(&s, &RunOptions::default()).unwrap();
    assert_eq!(a.to_toml().unwrap(), b.to_toml().unwrap(), "same seed, byte-identical transcripts");
    let struck = |t: &cdr_scenario::transcript::Transcript| -> Vec<String> {
        t.steps.iter().flat_map(|s| s.faults.iter().map(|f| f.call.clone())).collect()
    };
    assert_eq!(struck(&a), ["PrepareMedia #4", "AddAudioTrack #3"]);
    let other = run(&s, &RunOptions { fault_seed: Some(8), ..RunOptions::default() }).unwrap();
    assert_ne!(struck(&other), struck(&a), "another seed strikes other calls");
    assert_eq!(other.faults.unwrap().seed, Some(8));
}

#[test]
fn random_device_faults_are_drawn_at_a_sector_of_the_track_being_written() {
    let rule = FaultRule::Random { rate: 1.0, kinds: vec![RandomKind::Underrun] };
    let injector = FaultInjector::new(sim(), FaultConfig { rules: vec![placed(rule)], seed: Some(3) });
    let (r, f) = prepared(&injector);
    f.set_buffer_underrun_free_disabled(true).unwrap();
    assert_eq!(f.add_audio_track(&mut SyntheticPcm::sectors(4, 5_000)), Err(Hresult::E_IMAPI_LOSS_OF_STREAMING));
    let disc = injector.read_back(r.as_ref()).unwrap().media.unwrap();
    assert!(disc.tracks.is_empty() || (disc.tracks[0].damaged && disc.tracks[0].sectors < 5_000), "{disc:?}");
    let events = injector.state().events().to_vec();
    assert!(events.iter().any(|e| e.fault == "underrun" && e.effect.contains("fault seed 3")), "{events:?}");
}

fn cli() -> assert_cmd::Command {
    crate::support::harness()
}

#[test]
fn a_faults_file_adds_its_rules_to_every_scenario_of_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let faults = dir.path().join("lab-faults.toml");
    std::fs::write(
        &faults,
        "[[fault]]\nkind = \"fail_call\"\ncall = \"PrepareMedia\"\nhresult = \"E_IMAPI_RECORDER_COMMAND_TIMEOUT\"\n",
    )
    .unwrap();
    let worked = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/burn/worked-example.toml");
    let out = dir.path().join("out");
    let o = cli().arg("run").arg(&worked).arg("--faults").arg(&faults).arg("--out").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "the scenario expected PrepareMedia to succeed: {stdout}");
    assert!(stdout.contains("E_IMAPI_RECORDER_COMMAND_TIMEOUT"), "{stdout}");
    let transcript = std::fs::read_to_string(out.join("worked-example.transcript.toml")).unwrap();
    assert!(transcript.contains("origin = \"lab-faults.toml:1\""), "{transcript}");
    assert!(transcript.contains("backend = \"faults(sim)\""));
}

#[test]
fn a_drawn_fault_seed_is_printed_and_replays_the_same_run() {
    let worked = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/burn/worked-example.toml");
    let first =
        cli().arg("run").arg(&worked).arg("--fault-seed").arg("random").arg("--format").arg("json").output().unwrap();
    let stderr = String::from_utf8_lossy(&first.stderr);
    let seed: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("fault seed: "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no drawn seed on stderr: {stderr}"));
    let again = cli()
        .arg("run")
        .arg(&worked)
        .arg("--fault-seed")
        .arg(seed.to_string())
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout), String::from_utf8_lossy(&first.stdout), "seed {seed} replays");
    assert_eq!(again.status.code(), first.status.code());
}
