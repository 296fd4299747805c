//! A fuzz case written as a scenario ([`super::repro`]) and run by the scenario runner makes the
//! same calls as the fuzz executor made: the same members with the same arguments, from the
//! same place (a step, or the Update handler at the same event), answered with the same
//! HRESULTs. The executor's sink and trigger matching are its own code; this is what keeps them
//! in step with the runner's.

use std::path::Path;
use std::sync::Arc;

use cdr_scenario::call::Value;
use cdr_scenario::runner::{self, RunOptions};
use cdr_scenario::transcript::{EventRecord, Transcript};
use cdr_sim::Hresult;
use proptest::strategy::{Strategy, ValueTree};

use super::campaign::{replay, test_runner};
use super::repro::{client_name, write_trace};
use super::{machine, Simulator, Sut, Trace};
use crate::Member;

/// One call as made: who, what, with which arguments, from where, and what it answered.
#[derive(Debug, PartialEq)]
struct Made {
    client: String,
    /// The member's name; `None` for a disc change.
    call: Option<String>,
    args: Vec<Value>,
    /// `None` for a step; the handler call's number in its step and the event that fired it.
    from: Option<(usize, EventRecord)>,
    hex: String,
}

/// The calls of a traced fuzz case, each step's handler calls before the step's own answer.
fn fuzz_calls(trace: &Trace) -> Vec<Made> {
    let mut out = Vec::new();
    for s in &trace.steps {
        let client = client_name(s.client).to_string();
        for (n, (d, fired)) in s.during.iter().enumerate() {
            let Some(f) = fired else { continue };
            let (call, args) = d.member.to_call().expect("a handler call is a call");
            let from = Some((n + 1, EventRecord::from(&f.event)));
            out.push(Made { client: client.clone(), call: Some(call.to_string()), args, from, hex: f.hr.hex() });
        }
        let (call, args) = match s.member.to_call() {
            Some((call, args)) => (Some(call.to_string()), args),
            None => (None, Vec::new()),
        };
        out.push(Made { client, call, args, from: None, hex: s.hr.hex() });
    }
    out
}

/// The calls of a scenario run, in the same order.
fn runner_calls(t: &Transcript) -> Vec<Made> {
    let mut out = Vec::new();
    for s in &t.steps {
        for d in s.during.iter().filter(|d| d.fired) {
            out.push(Made {
                client: s.client.clone(),
                call: Some(d.call.clone()),
                args: d.args.clone(),
                from: Some((d.during, d.event.clone().expect("a fired call has its event"))),
                hex: d.hex.clone().expect("a fired call has its HRESULT"),
            });
        }
        let args = s.args.clone();
        out.push(Made { client: s.client.clone(), call: s.call.clone(), args, from: None, hex: s.hex.clone() });
    }
    out
}

/// What the compared cases reached, so that the test shows it compared the hard parts.
#[derive(Debug, Default)]
struct Reached {
    cases: usize,
    left_out: usize,
    calls: usize,
    handler_calls: usize,
    nested_tracks: usize,
    cancels: usize,
    inserts: usize,
    second_client: usize,
}

#[test]
fn a_fuzz_case_replayed_as_a_scenario_makes_the_same_calls() {
    let sut: Arc<dyn Sut> = Arc::new(Simulator);
    let cases = 250;
    let mut tr = test_runner(12, cases);
    let strategy = machine::sequence(24);
    let mut reached = Reached::default();
    for case in 0..cases {
        let (env, ops, _) = strategy.new_tree(&mut tr).expect("a case").current();
        let (_, trace) = replay(&sut, &env, &ops, true);
        if trace.left_out {
            // The executor does not follow calls the spec leaves open; the scenario makes them.
            reached.left_out += 1;
            continue;
        }
        let text = write_trace(&env, &trace, None, "a fuzz case, replayed");
        let scenario = cdr_scenario::scenario::parse(Path::new("replayed.toml"), &text)
            .unwrap_or_else(|e| panic!("case {case}: the scenario does not parse: {e}\n{text}"));
        let transcript = runner::run(&scenario, &RunOptions::default())
            .unwrap_or_else(|e| panic!("case {case}: the scenario does not run: {e}\n{text}"));
        let fuzz = fuzz_calls(&trace);
        let run = runner_calls(&transcript);
        assert_eq!(fuzz.len(), run.len(), "case {case}: the number of calls differs\n{text}");
        for (k, (f, r)) in fuzz.iter().zip(&run).enumerate() {
            assert_eq!(f, r, "case {case}, call {k}: the fuzz executor (left) and the runner (right) differ\n{text}");
        }
        reached.cases += 1;
        reached.calls += fuzz.len();
        for s in &trace.steps {
            reached.inserts += usize::from(matches!(s.member, Member::Insert(_)));
            reached.second_client += usize::from(s.client != crate::Client::A);
            for (d, fired) in &s.during {
                let Some(f) = fired else { continue };
                reached.handler_calls += 1;
                let ok = f.hr == Hresult::S_OK;
                reached.nested_tracks += usize::from(ok && matches!(d.member, Member::AddAudioTrack(_)));
                reached.cancels += usize::from(ok && d.member == Member::CancelAddTrack);
            }
        }
    }
    assert!(reached.cases >= cases as usize * 9 / 10, "most cases are compared: {reached:?}");
    assert!(reached.handler_calls >= 50, "{reached:?}");
    assert!(reached.nested_tracks >= 5, "{reached:?}");
    assert!(reached.cancels >= 5, "{reached:?}");
    assert!(reached.inserts >= 5 && reached.second_client >= 50, "{reached:?}");
}
