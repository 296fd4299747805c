//! A fuzzing campaign: `cases` generated sequences from one seed, run on a system under test
//! against the model; the first failure is shrunk by proptest, then further by removing ops one
//! at a time while the sequence still fails, and traced for writing out as a scenario.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use super::exec::{Runner, Trace};
use super::machine;
use super::outcome::{Disagreement, Stats};
use super::sut::Sut;
use crate::{Env, Op};

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The seed every case is drawn from.
    pub seed: u64,
    /// How many cases.
    pub cases: u32,
    /// At most this many ops per case.
    pub max_steps: usize,
}

/// A shrunk failing sequence.
#[derive(Clone, Debug)]
pub struct Failure {
    /// Its environment.
    pub env: Arc<Env>,
    /// The ops, shrunk.
    pub ops: Vec<Op>,
    /// The disagreement the shrunk sequence shows.
    pub disagreement: Disagreement,
    /// What happened call by call in the shrunk sequence.
    pub trace: Trace,
    /// Ops in the sequence as first found.
    pub found_len: usize,
}

/// What a campaign found.
#[derive(Debug)]
pub struct Report {
    /// Counts of the cases run before the first failure (or of all of them).
    pub stats: Stats,
    /// Wall time of those cases (not of shrinking).
    pub elapsed: Duration,
    /// CPU time of this thread over the same cases, where the platform tells it (a shared
    /// machine stretches wall time; this is the one-core figure).
    pub cpu: Option<Duration>,
    /// A digest of every answer observed by those cases: the same settings give the same one.
    pub fingerprint: blake3::Hash,
    /// The first failure, shrunk.
    pub failure: Option<Failure>,
}

/// The proptest runner of a campaign: seeded, no persistence, no forking, no time limits, so
/// that the same settings give the same cases and the same shrinking.
pub fn test_runner(seed: u64, cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 20_000,
        max_global_rejects: 100_000,
        max_local_rejects: 100_000,
        ..Config::default()
    };
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Counts, wall time, CPU time and fingerprint at the first failure.
type Snapshot = (Stats, Duration, Option<Duration>, blake3::Hash);

/// Runs a campaign on `sut`.
pub fn run(sut: Arc<dyn Sut>, settings: Settings) -> Report {
    let runner = RefCell::new(Runner::new(Arc::clone(&sut)));
    let first: RefCell<Option<Snapshot>> = RefCell::new(None);
    let start = Instant::now();
    let cpu_start = thread_cpu_time();
    let cpu_since = || Some(thread_cpu_time()?.saturating_sub(cpu_start?));
    let mut tr = test_runner(settings.seed, settings.cases);
    let result = tr.run(&machine::sequence(settings.max_steps), |(env, ops, seen)| {
        // Every op counts as seen: the shrinker must not drop ops a failure may depend on.
        if let Some(seen) = seen {
            seen.fetch_add(ops.len(), std::sync::atomic::Ordering::SeqCst);
        }
        let mut r = runner.borrow_mut();
        match r.run_case(&env, &ops) {
            Ok(()) => Ok(()),
            Err(d) => {
                first.borrow_mut().get_or_insert_with(|| (r.stats, start.elapsed(), cpu_since(), r.fingerprint()));
                Err(TestCaseError::fail(d.to_string()))
            }
        }
    });
    let runner = runner.into_inner();
    let (stats, elapsed, cpu, fingerprint) =
        first.into_inner().unwrap_or_else(|| (runner.stats, start.elapsed(), cpu_since(), runner.fingerprint()));
    let failure = match result {
        Ok(()) => None,
        Err(TestError::Fail(_, (env, ops, _))) => Some(minimise(sut, env, ops)),
        Err(TestError::Abort(why)) => panic!("the fuzzing campaign aborted: {why}"),
    };
    Report { stats, elapsed, cpu, fingerprint, failure }
}

/// CPU time of the calling thread (Linux: /proc/thread-self/stat, in clock ticks of 10 ms).
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Runs `ops` once; the disagreement if it fails. A panic of the backend counts as one.
pub fn replay(sut: &Arc<dyn Sut>, env: &Arc<Env>, ops: &[Op], trace: bool) -> (Result<(), Disagreement>, Trace) {
    let mut r = Runner::new(Arc::clone(sut));
    if trace {
        r.trace = Some(Trace::default());
    }
    let result = run_guarded(&mut r, env, ops);
    (result, r.trace.unwrap_or_default())
}

/// Runs one case on `r`, a panic of the backend counting as a disagreement at the last op.
pub fn run_guarded(r: &mut Runner, env: &Arc<Env>, ops: &[Op]) -> Result<(), Disagreement> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.run_case(env, ops)));
    result.unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into());
        let at = super::At { op: ops.len().saturating_sub(1), step: 0, during: None };
        Err(Disagreement::new(at, super::Kind::Rule(super::Rule::Panicked(msg))))
    })
}

/// Delta debugging after proptest's shrinking: drop single ops, split bursts, clear handler
/// calls, and keep each change under which the sequence still fails, until none helps.
pub fn minimise(sut: Arc<dyn Sut>, env: Arc<Env>, mut ops: Vec<Op>) -> Failure {
    let found_len = ops.len();
    let fails = |ops: &[Op]| replay(&sut, &env, ops, false).0.is_err();
    // A failure must fail again as given (the backend is deterministic).
    assert!(fails(&ops), "a failing sequence passed when run again: the backend is not deterministic");
    loop {
        let mut changed = false;
        // The first failing prefix.
        let (res, _) = replay(&sut, &env, &ops, false);
        if let Err(d) = res {
            if d.at.op < ops.len() && fails(&ops[..=d.at.op]) {
                ops.truncate(d.at.op + 1);
            }
        }
        let mut i = ops.len();
        while i > 0 {
            i -= 1;
            let mut cand = ops.clone();
            cand.remove(i);
            if !cand.is_empty() && fails(&cand) {
                ops = cand;
                changed = true;
                continue;
            }
            let op = ops[i];
            let simpler = [
                (op.repeat > 1).then_some(Op { repeat: op.repeat / 2, ..op }),
                (op.repeat > 1).then_some(Op { repeat: op.repeat - 1, ..op }),
                op.plan[1].is_some().then_some(Op { plan: [op.plan[0], None], ..op }),
                op.plan[0].is_some().then_some(Op { plan: [op.plan[1], None], ..op }),
            ];
            for s in simpler.into_iter().flatten() {
                let mut cand = ops.clone();
                cand[i] = s;
                if fails(&cand) {
                    ops = cand;
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let (res, trace) = replay(&sut, &env, &ops, true);
    let disagreement = res.expect_err("the shrunk sequence still fails");
    Failure { env, ops, disagreement, trace, found_len }
}
