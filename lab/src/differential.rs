//! Differential fuzzing on a real recorder: generated call sequences run on the recorder and on
//! the simulator side by side, each checked against the reference model, within a budget of
//! discs (`cdr-harness fuzz --backend imapi2 --discs N`).
//!
//! A real recorder is not a fresh backend per case: its tray holds one physical disc, which a
//! burn uses up. So, unlike the simulator campaign:
//! - every case runs in one environment, the lab's: the drive as the recorder identifies
//!   itself (with the reference calibration) and the disc in the tray, blank;
//! - sequences never change discs (`insert` needs a person); ejecting stays possible;
//! - a sequence with an AddAudioTrack may burn: it runs only while the budget has a disc left,
//!   and a disc counts as used once a track was written. Most state rules need no burn at all
//!   (prepare, release, every property, puts, eject), and those sequences always run;
//! - before each case the tray is checked ([`Tray`]) and the operator asked for a fresh blank
//!   after a burn;
//! - nothing is shrunk: shrinking replays sequences, which on a recorder means more discs.
//!
//! The same sequence then runs on the simulator configured as the recorder. For each case the
//! bookkeeping says who departed from the model: the recorder alone (a finding about the drive
//! or the simulator's calibration), the simulator alone (a simulator bug), both, or neither; and
//! when neither, whether their answers were the same (equal fingerprints).
//!
//! All of this is portable and tested on Linux with a second simulator standing in for the
//! recorder (with another calibration, to prove that differences are reported).

use std::collections::BTreeMap;
use std::sync::Arc;

use cdr_sim::{Backend, DiscRecorder2, DiscState, DriveProfile, MediaProfile};
use proptest::strategy::{Strategy, ValueTree};

use super::calibration;
use super::media::MatchRules;
use super::operator::Operator;
use super::station::{ensure_disc, LabBackend};
use cdr_model::fuzz::campaign::{run_guarded, test_runner};
use cdr_model::fuzz::gen;
use cdr_model::fuzz::machine::apply_nominal;
use cdr_model::fuzz::{Disagreement, Kind, Runner, Stats, Sut};
use cdr_model::{Env, Member, Model, Op};

/// Discs a campaign may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Discs allowed.
    pub discs: u32,
    /// Discs used so far.
    pub used: u32,
}

impl Budget {
    /// At most `discs` discs.
    pub fn new(discs: u32) -> Budget {
        Budget { discs, used: 0 }
    }

    /// Discs left.
    pub fn left(&self) -> u32 {
        self.discs.saturating_sub(self.used)
    }

    /// Whether a sequence may run: one that may burn needs a disc left.
    pub fn admits(&self, ops: &[Op]) -> bool {
        !may_burn(ops) || self.left() > 0
    }

    /// Counts a disc used.
    pub fn spend(&mut self) {
        self.used += 1;
    }
}

/// Whether a sequence may write to the disc: it has an AddAudioTrack (on a real recorder any
/// of them may burn, whatever the model predicts).
pub fn may_burn(ops: &[Op]) -> bool {
    ops.iter().any(|op| {
        matches!(op.member, Member::AddAudioTrack(_))
            || op.plan.iter().flatten().any(|d| matches!(d.member, Member::AddAudioTrack(_)))
    })
}

/// Whether an op needs a person (a disc change).
pub fn needs_operator(op: &Op) -> bool {
    matches!(op.member, Member::Insert(_)) || op.plan.iter().flatten().any(|d| matches!(d.member, Member::Insert(_)))
}

/// The lab's environment: `drive` (the recorder's identity, the reference calibration) and
/// `disc`, in the tray at the start of every case.
pub fn lab_env(drive: DriveProfile, disc: MediaProfile) -> Env {
    Env { drive, media: vec![disc], initial: Some(0) }
}

/// Draws `cases` sequences of 1 to `max_steps` ops for `env`, deterministically from `seed`,
/// each op from the state the previous ones lead to (as the fuzzing campaign generates them),
/// leaving out disc changes.
pub fn sequences(env: &Arc<Env>, seed: u64, cases: u32, max_steps: usize) -> Vec<Vec<Op>> {
    let mut runner = test_runner(seed, cases.max(1));
    let max = max_steps.max(1);
    let mut out = Vec::with_capacity(cases as usize);
    for _ in 0..cases {
        let len = (1..=max).new_tree(&mut runner).map(|t| t.current()).unwrap_or(1);
        let mut model = Model::new(Arc::clone(env));
        let mut ops = Vec::with_capacity(len);
        let mut attempts = 0;
        while ops.len() < len && attempts < len * 8 {
            attempts += 1;
            let Ok(tree) = gen::op(&model).new_tree(&mut runner) else { break };
            let op = tree.current();
            if needs_operator(&op) {
                continue;
            }
            apply_nominal(&mut model, &op);
            ops.push(op);
        }
        out.push(ops);
    }
    out
}

/// One backend shared by every case (the recorder), showing one recorder. Each case's backend
/// is the same device; before handing it out the drive's write speed is reset to the fastest
/// (the speed belongs to the drive and would otherwise carry over from the last case).
pub struct SharedSut {
    backend: Arc<dyn Backend>,
    unique_id: String,
}

impl SharedSut {
    /// `backend`, driving the recorder `unique_id`.
    pub fn new(backend: Arc<dyn Backend>, unique_id: impl Into<String>) -> SharedSut {
        SharedSut { backend, unique_id: unique_id.into() }
    }

    /// A recorder object of the shared backend, initialised.
    pub fn recorder(&self) -> Option<Arc<dyn DiscRecorder2>> {
        let r = self.backend.create_recorder().ok()?;
        r.initialize_disc_recorder(&self.unique_id).ok()?;
        Some(r)
    }

    fn reset_speed(&self) {
        let (Some(r), Ok(f)) = (self.recorder(), self.backend.create_format()) else { return };
        if f.set_recorder(Some(r)).is_ok() {
            let _ = f.set_write_speed(-1, false);
        }
    }
}

impl Sut for SharedSut {
    fn name(&self) -> String {
        self.backend.name()
    }

    fn backend(&self, _: &DriveProfile, _: Option<&MediaProfile>) -> Box<dyn Backend> {
        self.reset_speed();
        Box::new(LabBackend::new(Arc::clone(&self.backend), self.unique_id.clone()))
    }
}

/// The disc in the recorder's tray, between cases.
pub trait Tray {
    /// Makes sure `wanted` is in the tray (asking the operator); false stops the campaign.
    fn ready(&mut self, wanted: &MediaProfile) -> bool;
    /// Whether the last case wrote to the disc in the tray; `None` when the tray cannot tell
    /// (each case had a disc of its own).
    fn written(&mut self) -> Option<bool>;
}

/// A tray that is always right: each case has a fresh backend (the simulator standing in).
pub struct FreshEachCase;

impl Tray for FreshEachCase {
    fn ready(&mut self, _: &MediaProfile) -> bool {
        true
    }
    fn written(&mut self) -> Option<bool> {
        None
    }
}

/// The tray of a shared recorder, kept right by the operator: before each case the disc is
/// checked and, when it is not the blank the cases need, the operator is asked for one.
pub struct OperatorTray {
    backend: Arc<dyn Backend>,
    recorder: Arc<dyn DiscRecorder2>,
    label: String,
    operator: Box<dyn Operator + Send>,
    rules: MatchRules,
}

impl OperatorTray {
    /// The tray of `recorder` on `backend`, which the operator knows as `label`.
    pub fn new(
        backend: Arc<dyn Backend>,
        recorder: Arc<dyn DiscRecorder2>,
        label: impl Into<String>,
        operator: Box<dyn Operator + Send>,
        rules: MatchRules,
    ) -> Self {
        OperatorTray { backend, recorder, label: label.into(), operator, rules }
    }
}

impl Tray for OperatorTray {
    fn ready(&mut self, wanted: &MediaProfile) -> bool {
        let r = self.recorder.as_ref();
        ensure_disc(self.backend.as_ref(), r, Some(wanted), &self.label, self.rules, self.operator.as_mut()).is_ok()
    }

    /// Written when the disc is no longer blank; unknown when no disc can be read (an open
    /// tray, a drive not ready).
    fn written(&mut self) -> Option<bool> {
        let media = self.backend.read_back(self.recorder.as_ref()).ok()?.media?;
        Some(media.status != DiscState::Blank || !media.tracks.is_empty())
    }
}

/// What one case showed.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Both agree with the model, and with each other.
    Agree,
    /// Both agree with the model, but answered differently where the model allows either.
    AnswersDiffer,
    /// The recorder departs from the model; the simulator does not.
    RecorderDiffers(Disagreement),
    /// The simulator departs from the model; the recorder does not.
    SimulatorDiffers(Disagreement),
    /// Both depart from the model.
    BothDiffer {
        /// The recorder's departure.
        recorder: Disagreement,
        /// The simulator's.
        simulator: Disagreement,
    },
}

/// A case that did not simply agree.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Its number (from 1, in drawing order).
    pub case: u32,
    /// Its ops.
    pub ops: Vec<Op>,
    /// What it showed.
    pub verdict: Verdict,
}

impl Finding {
    /// A short key grouping findings that show the same thing.
    pub fn signature(&self) -> String {
        let kind = |d: &Disagreement| match d.kind.as_ref() {
            Kind::Answer { member, hr, .. } => format!("{member:?} answered {hr}"),
            Kind::Rule(rule) => rule.subject(),
        };
        match &self.verdict {
            Verdict::Agree => "agree".into(),
            Verdict::AnswersDiffer => "answers differ where the model allows both".into(),
            Verdict::RecorderDiffers(d) => format!("recorder: {}", kind(d)),
            Verdict::SimulatorDiffers(d) => format!("simulator: {}", kind(d)),
            Verdict::BothDiffer { recorder, simulator } if recorder == simulator => {
                format!("both, alike (the model may be wrong): {}", kind(recorder))
            }
            Verdict::BothDiffer { recorder, simulator } => {
                format!("both: recorder {}; simulator {}", kind(recorder), kind(simulator))
            }
        }
    }

    /// True when both backends departed from the model in the same way (the recorder and the
    /// simulator agree with each other; the model, or the spec it follows, may be wrong).
    pub fn alike(&self) -> bool {
        matches!(&self.verdict, Verdict::BothDiffer { recorder, simulator } if recorder == simulator)
    }

    /// The calibration points the recorder's departure falls on (spec [choice]s).
    pub fn calibration_points(&self) -> Vec<&'static str> {
        let d = match &self.verdict {
            Verdict::RecorderDiffers(d) | Verdict::BothDiffer { recorder: d, .. } => d,
            _ => return Vec::new(),
        };
        let Kind::Answer { member, .. } = d.kind.as_ref() else { return Vec::new() };
        let Some(call) = member.call() else { return Vec::new() };
        let probe = super::diff::Difference {
            step: Some(d.at.step),
            during: d.at.during,
            call: call.to_string(),
            line: None,
            aspect: super::diff::Aspect::Hresult,
            field: "hresult".into(),
            recorded: String::new(),
            simulated: String::new(),
        };
        calibration::points(&probe)
    }
}

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Seed of the sequences.
    pub seed: u64,
    /// Sequences to draw.
    pub cases: u32,
    /// Most ops per sequence.
    pub max_steps: usize,
    /// Discs the campaign may use.
    pub discs: u32,
}

/// What a campaign found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Cases run on both backends.
    pub ran: u32,
    /// Of those, cases where everything agreed.
    pub agreed: u32,
    /// Cases that may burn, left out because the budget was spent.
    pub over_budget: u32,
    /// Discs used (a track was written on the recorder).
    pub discs_used: u32,
    /// Cases not run because the campaign stopped (the tray was not made ready).
    pub not_run: u32,
    /// Every case that did not simply agree, in order.
    pub findings: Vec<Finding>,
    /// Counts on the recorder.
    pub recorder: Stats,
    /// Counts on the simulator.
    pub simulator: Stats,
}

impl Report {
    /// Findings grouped by signature, in order of first appearance, with how many cases show each.
    pub fn groups(&self) -> Vec<(String, usize, &Finding)> {
        let mut order: Vec<String> = Vec::new();
        let mut map: BTreeMap<String, (usize, &Finding)> = BTreeMap::new();
        for f in &self.findings {
            let s = f.signature();
            map.entry(s.clone()).and_modify(|e| e.0 += 1).or_insert_with(|| {
                order.push(s.clone());
                (1, f)
            });
        }
        order.into_iter().map(|s| (s.clone(), map[&s].0, map[&s].1)).collect()
    }
}

/// One case on one system under test: the departure from the model, the fingerprint of its
/// answers, and its counts.
fn run_case(sut: &Arc<dyn Sut>, env: &Arc<Env>, ops: &[Op]) -> (Result<(), Disagreement>, blake3::Hash, Stats) {
    let mut r = Runner::new(Arc::clone(sut));
    let res = run_guarded(&mut r, env, ops);
    (res, r.fingerprint(), r.stats)
}

/// The verdict of one case from the two runs.
pub fn classify(
    recorder: Result<(), Disagreement>,
    simulator: Result<(), Disagreement>,
    same_answers: bool,
) -> Verdict {
    match (recorder, simulator) {
        (Ok(()), Ok(())) if same_answers => Verdict::Agree,
        (Ok(()), Ok(())) => Verdict::AnswersDiffer,
        (Err(d), Ok(())) => Verdict::RecorderDiffers(d),
        (Ok(()), Err(d)) => Verdict::SimulatorDiffers(d),
        (Err(recorder), Err(simulator)) => Verdict::BothDiffer { recorder, simulator },
    }
}

/// Runs the campaign: sequences for `env` on `recorder` and on `simulator`, within the budget,
/// with `tray` made ready before each case.
pub fn run(
    recorder: Arc<dyn Sut>,
    simulator: Arc<dyn Sut>,
    env: Arc<Env>,
    settings: Settings,
    tray: &mut dyn Tray,
) -> Report {
    let mut report = Report::default();
    let mut budget = Budget::new(settings.discs);
    let all = sequences(&env, settings.seed, settings.cases, settings.max_steps);
    let wanted = env.media[0].clone();
    for (i, ops) in all.iter().enumerate() {
        if !budget.admits(ops) {
            report.over_budget += 1;
            continue;
        }
        if !tray.ready(&wanted) {
            report.not_run = (all.len() - i) as u32;
            break;
        }
        let (r_res, r_fp, r_stats) = run_case(&recorder, &env, ops);
        // Without a tray to ask, a case that may burn counts once it wrote a track, or stopped
        // early (perhaps half way through one).
        let fallback = may_burn(ops) && (r_stats.writes > 0 || r_res.is_err());
        if tray.written().unwrap_or(fallback) {
            budget.spend();
        }
        let (s_res, s_fp, s_stats) = run_case(&simulator, &env, ops);
        report.ran += 1;
        report.recorder.add(&r_stats);
        report.simulator.add(&s_stats);
        match classify(r_res, s_res, r_fp == s_fp) {
            Verdict::Agree => report.agreed += 1,
            verdict => report.findings.push(Finding { case: i as u32 + 1, ops: ops.clone(), verdict }),
        }
    }
    report.discs_used = budget.used;
    report
}

#[cfg(test)]
#[path = "differential_tests.rs"]
mod tests;
