//! The reference state machine of proptest-state-machine: the model drives generation (each op
//! is drawn from the state the previous ones lead to), and [`SimTest`] runs the sequence on the
//! simulator, checking every answer against the model as it goes.

use std::sync::Arc;

use cdr_sim::Hresult;
use proptest::strategy::{BoxedStrategy, Strategy};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};

use super::exec::{CaseRun, Runner};
use super::gen;
use super::sut::Simulator;
use crate::{HrSet, Member, Model, Op};

/// The model as a proptest reference state machine.
pub struct Reference;

/// Applies `op` to `m` as the model predicts it, with no backend to observe: loose predictions
/// take their nominal answer, handler calls are assumed to fire, in order, before any sector is
/// written. Only generation uses this; a differential run follows the answers observed.
pub fn apply_nominal(m: &mut Model, op: &Op) {
    for _ in 0..op.repeat.max(1) {
        if m.silent.is_some() {
            return;
        }
        let c = op.client;
        match op.member {
            Member::AddAudioTrack(source) => {
                if m.predict(c, op.member).hr != HrSet::One(Hresult::S_OK) {
                    continue;
                }
                m.begin_write(c, source, 0);
                for d in op.plan.iter().flatten() {
                    let e = m.predict(c, d.member);
                    m.apply(c, d.member, e.hr.nominal(), 0);
                }
                m.end_write(c);
            }
            member => {
                let e = m.predict(c, member);
                m.apply(c, member, e.hr.nominal(), 0);
            }
        }
    }
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
