//! The reference state machine of proptest-state-machine: the model drives generation (each op
//! is drawn from the state the previous ones lead to), and [`SimTest`] runs the sequence on the
//! simulator, checking every answer against the model as it goes.

use std::sync::Arc;

use cdr_sim::{Hresult, TaoWriteAction};
use proptest::strategy::{BoxedStrategy, Strategy};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};

use super::exec::{CaseRun, Runner};
use super::gen;
use super::sut::Simulator;
use crate::{Client, Env, HandlerCall, HrSet, Member, Model, Op};
use cdr_scenario::scenario::Trigger;

/// The model as a proptest reference state machine.
pub struct Reference;

/// Applies `op` to `m` as the model predicts it, with no backend to observe: loose predictions
/// take their nominal answer; handler calls are assumed to fire in order, those of the
/// PREPARING handler before the writing flag is set, those of the VERIFYING handler after the
/// track's end, the others before any sector is written. Only generation uses this; a
/// differential run follows the answers observed.
pub fn apply_nominal(m: &mut Model, op: &Op) {
    for _ in 0..op.repeat.max(1) {
        if m.silent.is_some() {
            return;
        }
        let c = op.client;
        match op.member {
            Member::AddAudioTrack(source) if m.predict(c, op.member).hr == HrSet::One(Hresult::S_OK) => {
                m.begin_write(c, source, 0);
                let phase = |d: &HandlerCall| match d.when {
                    Trigger::Action(TaoWriteAction::Preparing) => 0,
                    Trigger::Action(TaoWriteAction::Verifying) => 2,
                    _ => 1,
                };
                for p in 0..3 {
                    if p == 1 && m.start_data(c).is_none() {
                        return;
                    }
                    if p == 2 {
                        m.end_write(c, Hresult::S_OK);
                    }
                    for d in op.plan.iter().flatten().filter(|d| phase(d) == p) {
                        if m.silent.is_some() {
                            return;
                        }
                        nominal_call(m, c, d.member, (p == 1).then_some(0));
                    }
                }
            }
            member => nominal_call(m, c, member, None),
        }
    }
}

/// One call with its nominal answer; a nested AddAudioTrack that passes its checks writes its
/// whole track.
fn nominal_call(m: &mut Model, c: Client, member: Member, written: Option<u32>) {
    let e = m.predict(c, member);
    match member {
        Member::AddAudioTrack(source) if e.hr == HrSet::One(Hresult::S_OK) => {
            m.begin_write(c, source, 0);
            if m.start_data(c).is_some() {
                m.end_write(c, Hresult::S_OK);
            }
        }
        _ => m.apply(c, member, e.hr.nominal(), written),
    }
}

/// The counter proptest-state-machine's shrinking uses to tell the ops a failing run reached
/// from those it never saw; a runner adds the number of ops it ran.
pub type SeenCounter = Option<Arc<std::sync::atomic::AtomicUsize>>;

/// A whole case: an environment and up to `max_steps` ops, generated as the reference machine
/// does (each op from the state the previous ones lead to).
pub fn sequence(max_steps: usize) -> impl Strategy<Value = (Arc<Env>, Vec<Op>, SeenCounter)> {
    Reference::sequential_strategy(1..=max_steps.max(1)).prop_map(|(m, ops, seen)| (Arc::clone(&m.env), ops, seen))
}

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        gen::env().prop_map(|env| Model::new(Arc::new(env))).boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Op> {
        gen::op(state)
    }

    fn apply(mut state: Model, op: &Op) -> Model {
        apply_nominal(&mut state, op);
        state
    }
}

/// The simulator as the system under test of proptest-state-machine: every step is checked
/// against the model (answers, handler calls, events, invariants, read-back); a disagreement
/// panics with its description, which proptest then shrinks.
pub struct SimTest;

/// The simulator's side of a case in progress.
pub struct SimCase {
    runner: Runner,
    run: Option<CaseRun>,
}

impl SimCase {
    fn check(&mut self, r: Result<(), super::Disagreement>) {
        if let Err(d) = r {
            panic!("the simulator disagrees with the model at {d}");
        }
    }
}

impl StateMachineTest for SimTest {
    type SystemUnderTest = SimCase;
    type Reference = Reference;

    fn init_test(ref_state: &Model) -> SimCase {
        let mut runner = Runner::new(Arc::new(Simulator));
        let run = runner.start(&ref_state.env);
        let mut case = SimCase { runner, run: None };
        match run {
            Ok(run) => case.run = Some(run),
            Err(d) => case.check(Err(d)),
        }
        case
    }

    fn apply(mut sut: SimCase, _ref_state: &Model, op: Op) -> SimCase {
        let mut run = sut.run.take().expect("a started case");
        let r = sut.runner.step(&mut run, &op);
        sut.run = Some(run);
        sut.check(r);
        sut
    }

    fn teardown(mut sut: SimCase) {
        let run = sut.run.take().expect("a started case");
        let r = sut.runner.finish(run);
        sut.check(r);
        super::stats::record(&sut.runner.stats);
    }
}
