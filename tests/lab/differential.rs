//! Differential fuzzing within a disc budget, with the simulator standing in for the recorder:
//! the same simulator agrees everywhere; one with another calibration is reported, case by
//! case, as the recorder departing from the model on the calibration points it changes.

use std::sync::Arc;

use cdr_model::fuzz::{Simulator, Sut};
use std::sync::atomic::{AtomicU32, Ordering};

use cdr_lab::differential::{self, lab_env, may_burn, FreshEachCase, OperatorTray, Settings, SharedSut, Verdict};
use cdr_lab::media::MatchRules;
use cdr_lab::operator::{Operator, Reply};
use cdr_model::Env;
use cdr_scenario::Status;
use cdr_sim::profile::{drive_by_name, media_by_name, TocLengthField};
use cdr_sim::{Backend, Calibration, DiscRecorder2, DriveProfile, Hresult, MediaProfile, SimBackend};

/// The simulator with a calibration of its own, whatever the case's drive says.
struct Calibrated(Calibration);

impl Sut for Calibrated {
    fn name(&self) -> String {
        "stand-in".into()
    }
    fn backend(&self, drive: &DriveProfile, media: Option<&MediaProfile>) -> Box<dyn Backend> {
        let mut d = drive.clone();
        d.calibration = self.0.clone();
        Box::new(SimBackend::new(d, media.cloned()))
    }
}

fn env() -> Arc<Env> {
    Arc::new(lab_env(drive_by_name("default").unwrap(), media_by_name("cdr80").unwrap()))
}

fn settings(cases: u32, discs: u32) -> Settings {
    Settings { seed: 7, cases, max_steps: 24, discs }
}

#[test]
fn sequences_are_seeded_and_change_no_disc() {
    let a = differential::sequences(&env(), 3, 40, 24);
    let b = differential::sequences(&env(), 3, 40, 24);
    assert_eq!(a, b);
    assert_ne!(a, differential::sequences(&env(), 4, 40, 24));
    assert!(a.iter().all(|ops| !ops.is_empty() && ops.iter().all(|op| !differential::needs_operator(op))));
    let burning = a.iter().filter(|ops| may_burn(ops)).count();
    assert!(burning > 0 && burning < a.len(), "some sequences burn, some do not ({burning} of {})", a.len());
}

/// The departures as one line each, for failure messages.
fn signatures(r: &differential::Report) -> Vec<String> {
    r.groups().into_iter().map(|(s, n, f)| format!("{n} x {s} (first: case {})", f.case)).collect()
}

#[test]
fn the_same_backend_never_differs_from_itself() {
    let r = differential::run(Arc::new(Simulator), Arc::new(Simulator), env(), settings(60, 100), &mut FreshEachCase);
    assert_eq!(r.ran, 60);
    assert!(r.agreed > 0, "{:?}", signatures(&r));
    // Where the model and the simulator disagree (the fuzzer's business), both sides depart
    // alike: the bookkeeping never blames one backend for what the other does too.
    assert!(r.findings.iter().all(|f| f.alike()), "{:?}", signatures(&r));
    assert_eq!(r.agreed as usize + r.findings.len(), 60);
    assert!(r.recorder.prepares > 0, "sessions were prepared");
    assert!(r.discs_used > 0 && r.discs_used <= 60, "burning sequences ran ({} discs)", r.discs_used);
}

#[test]
fn another_calibration_is_reported_on_its_calibration_points() {
    let cal = Calibration {
        release_not_prepared: Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED,
        toc_length_field: TocLengthField::Mmc,
        ..Calibration::default()
    };
    let r =
        differential::run(Arc::new(Calibrated(cal)), Arc::new(Simulator), env(), settings(80, 100), &mut FreshEachCase);
    assert!(!r.findings.is_empty(), "the recorder's other answers are found");
    assert!(
        !r.findings.iter().any(|f| matches!(f.verdict, Verdict::SimulatorDiffers(_))),
        "the simulator is the reference here: {:?}",
        signatures(&r)
    );
    let recorder_only: Vec<_> =
        r.findings.iter().filter(|f| matches!(f.verdict, Verdict::RecorderDiffers(_))).collect();
    assert!(!recorder_only.is_empty(), "{:?}", signatures(&r));
    let points: Vec<&str> = recorder_only.iter().flat_map(|f| f.calibration_points()).collect();
    assert!(points.contains(&"release_not_prepared"), "{points:?}");
    assert!(r.agreed > 0 && r.agreed + r.findings.len() as u32 == r.ran);
}

#[test]
fn no_disc_means_no_burning_sequence() {
    let r = differential::run(Arc::new(Simulator), Arc::new(Simulator), env(), settings(60, 0), &mut FreshEachCase);
    assert!(r.over_budget > 0);
    assert_eq!(r.ran + r.over_budget, 60);
    assert_eq!(r.recorder.writes, 0, "nothing was written");
    assert_eq!(r.discs_used, 0);
    assert!(r.recorder.prepares > 0, "state rules without a burn still ran");
}

/// An operator who puts a fresh blank CD-R in the shared simulator's tray when asked.
struct Robot {
    sim: Arc<SimBackend>,
    recorder: Arc<dyn DiscRecorder2>,
    asked: Arc<AtomicU32>,
}

impl Operator for Robot {
    fn ask(&mut self, _: &str) -> Reply {
        self.asked.fetch_add(1, Ordering::Relaxed);
        match self.sim.change_media(self.recorder.as_ref(), media_by_name("cdr80").as_ref()) {
            Ok(()) => Reply::Ready,
            Err(_) => Reply::Quit,
        }
    }
    fn tell(&mut self, _: &str) {}
}

#[test]
fn a_shared_recorder_spends_at_most_its_discs() {
    let sim = Arc::new(SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80")));
    let shared = SharedSut::new(sim.clone(), sim.unique_id());
    let recorder = shared.recorder().unwrap();
    let asked = Arc::new(AtomicU32::new(0));
    let robot = Robot { sim: sim.clone(), recorder: recorder.clone(), asked: asked.clone() };
    let mut tray = OperatorTray::new(sim.clone(), recorder, "0", Box::new(robot), MatchRules::default());
    let r = differential::run(Arc::new(shared), Arc::new(Simulator), env(), settings(60, 2), &mut tray);
    assert!(r.discs_used > 0 && r.discs_used <= 2, "{} discs", r.discs_used);
    assert!(r.over_budget > 0, "burning sequences beyond the budget were left out");
    assert_eq!(r.ran + r.over_budget, 60);
    let asked = asked.load(Ordering::Relaxed);
    assert!(asked >= r.discs_used - 1, "a fresh blank after each burn ({asked} asked, {} used)", r.discs_used);
    // One device for every case behaves as a fresh simulator per case.
    assert!(r.findings.iter().all(|f| f.alike()), "{:?}", signatures(&r));
}

#[test]
fn the_recorder_command_runs_on_a_stand_in() {
    use cdr_lab::fuzz_lab::{self, Options};
    let sim = Arc::new(SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80")));
    let recorder = sim.create_recorder().unwrap();
    recorder.initialize_disc_recorder(sim.unique_id()).unwrap();
    let asked = Arc::new(AtomicU32::new(0));
    let robot = Robot { sim: sim.clone(), recorder: recorder.clone(), asked: asked.clone() };
    let opts = Options { seed: Some(11), cases: 30, max_steps: 16, discs: 1, recorder: "0".into() };
    let mut out = Vec::new();
    let code = fuzz_lab::run_station(sim.clone(), recorder, "0", Box::new(robot), &opts, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(code == Status::Passed || code == Status::Failed, "{code:?}\n{text}");
    assert!(text.contains("fuzzing recorder 0 (CDRSIM Virtual CD-RW 1.00)"), "{text}");
    assert!(text.contains("seed 11, 30 cases of at most 16 steps, at most 1 disc(s)"), "{text}");
    assert!(text.contains("ATIP lead-out 79:59:72"), "every case on the disc that was in the tray: {text}");
    let ran = text.lines().find(|l| l.starts_with("ran ")).expect("a summary line");
    assert!(ran.contains("disc(s) used") && !ran.contains("; 2 disc(s)"), "{ran}");
    let findings = text.lines().any(|l| !l.starts_with("ran ") && l.contains(" case(s): "));
    assert_eq!(code == Status::Passed, !findings, "findings and the exit code agree: {text}");
}

#[cfg(not(windows))]
#[test]
fn the_recorder_command_needs_windows() {
    use cdr_lab::fuzz_lab::{self, Options};
    use cdr_lab::operator::NoOperator;
    let opts = Options { seed: Some(1), cases: 1, max_steps: 1, discs: 0, recorder: "E:".into() };
    let mut out = Vec::new();
    assert_eq!(fuzz_lab::run_imapi2(&opts, Box::new(NoOperator), &mut out).unwrap(), Status::Unusable);
    assert!(out.is_empty(), "nothing ran");
}
