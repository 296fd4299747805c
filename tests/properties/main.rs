//! Property suite: generated call sequences over every member of the contract, run on the
//! simulator and on the reference model side by side (proptest-state-machine), plus the
//! meta-tests that keep the suite honest: it generated writes, it is deterministic, and it
//! catches injected faults.

use std::sync::Arc;

use cdr_model::fuzz::campaign::{self, Settings};
use cdr_model::fuzz::command::{self, Options};
use cdr_model::fuzz::machine::{Reference, SimTest};
use cdr_model::fuzz::mutants::{BrokenRule, Mutant};
use cdr_model::fuzz::{stats, Simulator};
use proptest::test_runner::{Config, TestRunner};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};

/// Cases per property: the CI budget allows this many in debug within seconds.
const CASES: u32 = 256;
/// Ops per case at most.
const MAX_STEPS: usize = 48;

/// The simulator agrees with the model after every step of every generated sequence, and the
/// sequences did what they are for (a suite that wrote no track checked nothing of the write
/// path).
#[test]
fn simulator_agrees_with_the_model() {
    let before = stats::total();
    let config = Config { cases: CASES, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config.clone());
    let result = runner.run(&Reference::sequential_strategy(1..=MAX_STEPS), |(state, ops, seen)| {
        SimTest::test_sequential(config.clone(), state, ops, seen);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let after = stats::total();
    let cases = after.cases - before.cases;
    let writes = after.writes - before.writes;
    let cancels = after.cancels - before.cancels;
    let handler = after.handler_calls - before.handler_calls;
    let prepares = after.prepares - before.prepares;
    eprintln!("{cases} cases: {}", command::describe_stats(&after));
    assert!(cases >= u64::from(CASES), "only {cases} cases ran");
    assert!(prepares > u64::from(CASES) / 2, "only {prepares} successful PrepareMedia in {cases} cases");
    assert!(writes > u64::from(CASES), "only {writes} tracks written in {cases} cases");
    assert!(cancels > 0, "no write was cancelled from the Update handler");
    assert!(handler > u64::from(CASES) / 4, "only {handler} calls from the Update handler");
    assert!(after.track_limit > before.track_limit, "the 99-track limit was never reached");
    assert!(after.not_enough_space > before.not_enough_space, "NOT_ENOUGH_SPACE was never reached");
}

/// The same seed twice gives the same cases, the same answers and the same report.
#[test]
fn the_same_seed_gives_the_same_run() {
    let opts = Options { seed: Some(11), cases: 64, max_steps: 32, ..Options::default() };
    let run = || {
        let mut out = Vec::new();
        let code = command::run_on(Arc::new(Simulator), &opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // The throughput line is timing, the one thing allowed to differ.
        let stable: Vec<&str> = text.lines().filter(|l| !l.starts_with("throughput:")).collect();
        (code, stable.join("\n"))
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert!(a.1.contains("fingerprint"), "{}", a.1);
    let other = campaign::run(Arc::new(Simulator), Settings { seed: 12, cases: 64, max_steps: 32 });
    let first = campaign::run(Arc::new(Simulator), Settings { seed: 11, cases: 64, max_steps: 32 });
    assert_ne!(other.fingerprint, first.fingerprint, "different seeds should draw different cases");
}

/// Each injected fault is found within the normal case budget, and the failing sequence it
/// shrinks to still fails on the mutant and passes on the simulator.
#[test]
fn every_mutant_is_caught() {
    for fault in BrokenRule::ALL {
        let sut = Arc::new(Mutant(fault));
        let report = campaign::run(sut.clone(), Settings { seed: 1, cases: CASES, max_steps: MAX_STEPS });
        let Some(f) = report.failure else { panic!("mutant {fault:?} survived {CASES} cases") };
        eprintln!(
            "{fault:?}: caught in case {} ({} ops shrunk to {}): {}",
            report.stats.cases,
            f.found_len,
            f.ops.len(),
            f.disagreement
        );
        let (on_mutant, _) = campaign::replay(&(sut as Arc<dyn cdr_model::fuzz::Sut>), &f.env, &f.ops, false);
        assert!(on_mutant.is_err(), "{fault:?}: the shrunk sequence passes on the mutant");
        let (on_sim, _) =
            campaign::replay(&(Arc::new(Simulator) as Arc<dyn cdr_model::fuzz::Sut>), &f.env, &f.ops, false);
        assert!(on_sim.is_ok(), "{fault:?}: the shrunk sequence fails on the simulator too: {:?}", on_sim.err());
    }
}

/// A failure written as a scenario replays through the scenario runner: it fails on the backend
/// that disagreed (the expectations are the model's) and passes on the simulator.
#[test]
fn written_scenarios_replay_the_disagreement() {
    use cdr_model::fuzz::repro;
    use cdr_model::fuzz::Sut;
    use cdr_scenario::runner::{self, RunOptions};
    for fault in BrokenRule::ALL {
        let mutant = Mutant(fault);
        let report = campaign::run(Arc::new(mutant), Settings { seed: 1, cases: CASES, max_steps: MAX_STEPS });
        let f = report.failure.unwrap_or_else(|| panic!("mutant {fault:?} survived"));
        let text = repro::write(&f, "cdr-harness fuzz --seed 1");
        let path = std::path::Path::new("fuzz-failure.toml");
        let parsed = cdr_scenario::scenario::parse(path, &text).unwrap_or_else(|e| panic!("{fault:?}: {e}\n{text}"));
        let backend = mutant.backend(&parsed.drive.profile, parsed.media.profile.as_ref());
        let on_mutant = runner::run_without_faults(backend.as_ref(), &parsed, &RunOptions::default()).unwrap();
        assert!(!on_mutant.passed, "{fault:?}: the scenario passes on the mutant\n{text}");
        let on_sim = runner::run(&parsed, &RunOptions::default()).unwrap();
        assert!(on_sim.passed, "{fault:?}: the scenario fails on the simulator: {:?}\n{text}", on_sim.failures);
    }
}
