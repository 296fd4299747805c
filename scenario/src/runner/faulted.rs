//! A scenario run through the fault injector: which rules apply (the scenario's, a faults
//! file's, `--fault-seed`), faults marked on the steps they struck, and rules that never struck
//! or cannot be carried out reported as failures (a rule that silently does nothing would let a
//! scenario pass without testing what it says).

use cdr_sim::Backend;

use super::{run_observed, RunError, RunObserver, RunOptions};
use crate::faults::rules::DEFAULT_RANDOM_RATE;
use crate::faults::{FaultConfig, FaultEvent, FaultInjector, FaultProbe, FaultRule, PlacedRule, RandomKind};
use crate::scenario::Scenario;
use crate::transcript::{Failure, StepRecord, Transcript};

/// The rules of a run: the scenario's, then those of `--faults`; the seed from `--fault-seed`,
/// else the faults file's, else the scenario's. `--fault-seed` without a `random` rule adds
/// one at [`DEFAULT_RANDOM_RATE`]. `None` when there is nothing to inject.
pub fn config_for_run(scenario: &Scenario, options: &RunOptions) -> Result<Option<FaultConfig>, String> {
    let mut config = scenario.faults.clone();
    if let Some(extra) = &options.faults {
        config.rules.extend(extra.rules.iter().cloned());
        config.seed = extra.seed.or(config.seed);
    }
    if let Some(seed) = options.fault_seed {
        config.seed = Some(seed);
        if !config.has_random() {
            config.rules.push(PlacedRule {
                rule: FaultRule::Random { rate: DEFAULT_RANDOM_RATE, kinds: RandomKind::DEFAULT.to_vec() },
                origin: "--fault-seed".into(),
                line: 0,
            });
        }
    }
    if config.seed.is_some() && !config.has_random() {
        return Err("fault_seed is set but no [[fault]] has kind = \"random\": the seed would do nothing".into());
    }
    config.validate()?;
    Ok((!config.is_empty()).then_some(config))
}

/// Runs `scenario` on `backend` wrapped in a [`FaultInjector`] with `config`.
pub fn run_with_faults<B: Backend>(
    backend: B,
    config: FaultConfig,
    scenario: &Scenario,
    options: &RunOptions,
) -> Result<Transcript, RunError> {
    let injector = FaultInjector::new(backend, config);
    let probe = injector.probe();
    // The runner's own set-up calls (initialising recorders, reading the drive's identity) are
    // neither counted nor faulted: rules count the scenario's calls.
    probe.set_active(false);
    let mut t = run_observed(&injector, scenario, options, &mut Follow(probe.clone()))?;
    for (rule, origin, line, what, actual) in probe.shortfalls() {
        t.failures.push(Failure {
            step: None,
            during: None,
            what: format!("fault {rule} ({origin})"),
            line,
            expected: what,
            actual,
        });
    }
    t.faults = Some(probe.report());
    t.passed = t.failures.is_empty();
    Ok(t)
}

/// Turns injection on when the steps start and annotates each step's record.
struct Follow(FaultProbe);

impl RunObserver for Follow {
    fn start(&mut self) {
        self.0.set_active(true);
    }
    fn step_done(&mut self, record: &mut StepRecord) {
        annotate(record, self.0.take_new_events());
    }
}

/// Puts the faults that struck during a step on its record, and marks the step's outcome
/// unknown when one of them has an outcome a real drive does not make known.
pub fn annotate(record: &mut StepRecord, events: Vec<FaultEvent>) {
    if let Some(why) = events.iter().find_map(|e| e.outcome_unknown.clone()) {
        record.outcome = Some(format!("unknown: {why}"));
    }
    record.faults = events;
}
