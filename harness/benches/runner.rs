//! Targets 3 and 5 of `docs/benchmarks.md` for the harness: scenarios per second, and how a
//! run with its transcript grows with the track count.
//!
//! Each measured unit is what `cdr-harness run` does per scenario besides reading the file:
//! parse the TOML, run it on the simulator (listening to every Update event), and serialise
//! the transcript to TOML.
//!
//! - `small`: the conformance scenarios with little audio (at most [`SMALL_SECTORS`]), one
//!   after another; the check then times each on its own and asks 1,000 or more per second.
//! - `suite`: every scenario under `fixtures/scenarios`, one after another (the in-process part
//!   of `cdr-harness run fixtures/scenarios`).
//! - `tracks/N`: `bench/scenarios/tracks-NN.toml`, N minimum-length tracks with a
//!   NumberOfExistingTracks check after each, the TOC and the disc read back: the cost per
//!   track must not grow with N (no quadratic step in layout, TOC or transcript).
//!
//! Run with `cargo bench -p cdr-harness --bench runner`. Under `cargo test --benches` every
//! routine runs once and the checks only print.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use cdr_scenario::runner::{self, RunOptions};
use cdr_scenario::scenario::{self, Action, Scenario};
use criterion::{BenchmarkId, Criterion, Throughput};

#[path = "../../sim/benches/support/cpu_time.rs"]
mod cpu_time;
use cpu_time::timed;

/// Audio of a "small" scenario: at most this many sectors in all (16 s).
const SMALL_SECTORS: u64 = 1_200;
/// Small scenarios per second each must reach.
const MIN_PER_SECOND: f64 = 1_000.0;
/// Largest / smallest cost per track allowed in the `tracks` series.
const MAX_GROWTH: f64 = 1.5;
const TRACK_COUNTS: [u32; 4] = [1, 10, 50, 99];

fn benching() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the harness is in the workspace").to_path_buf()
}

/// A scenario file and its text.
struct Fixture {
    name: String,
    path: PathBuf,
    text: String,
}

impl Fixture {
    fn read(path: PathBuf, root: &Path) -> Fixture {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        Fixture { name, path, text }
    }

    fn parse(&self) -> Scenario {
        scenario::parse(&self.path, &self.text).unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }

    /// What `run` does per scenario: parse, run, serialise the transcript. Returns its length.
    fn run(&self) -> usize {
        let scenario = self.parse();
        let transcript = runner::run(&scenario, &RunOptions::default()).expect("the scenario runs");
        assert!(transcript.passed, "{} passes", self.name);
        transcript.to_toml().expect("the transcript serialises").len()
    }

    /// Sectors of synthetic and file audio the scenario's steps ask for.
    fn audio_sectors(&self) -> u64 {
        let s = self.parse();
        let tracks = s.steps.iter().flat_map(|step| {
            let own = match &step.action {
                Action::Call(inv) => inv.track.as_ref(),
                _ => None,
            };
            own.into_iter().chain(step.during.iter().filter_map(|d| d.invocation.track.as_ref()))
        });
        tracks.map(|t| t.synthetic_len().unwrap_or(0).div_ceil(2352).max(300)).sum()
    }
}

/// Every conformance scenario, sorted by path.
fn suite() -> Vec<Fixture> {
    let root = workspace().join("fixtures/scenarios");
    let found = cdr_scenario::discover::find(std::slice::from_ref(&root)).expect("the conformance suite is there");
    assert!(!found.is_empty(), "no scenarios under {}", root.display());
    found.into_iter().map(|f| Fixture::read(f.path, &root)).collect()
}

fn tracks_fixture(n: u32) -> Fixture {
    let root = workspace().join("bench/scenarios");
    Fixture::read(root.join(format!("tracks-{n:02}.toml")), &root)
}

fn benches(c: &mut Criterion, small: &[&Fixture], all: &[Fixture]) {
    let mut group = c.benchmark_group("small");
    group.throughput(Throughput::Elements(small.len() as u64));
    group.sample_size(20);
    group.bench_function("each_once", |b| b.iter(|| small.iter().map(|f| f.run()).sum::<usize>()));
    group.finish();

    let mut group = c.benchmark_group("suite");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.sample_size(20);
    group.bench_function("fixtures", |b| b.iter(|| all.iter().map(Fixture::run).sum::<usize>()));
    group.finish();

    let mut group = c.benchmark_group("tracks");
    group.sample_size(20);
    for n in TRACK_COUNTS {
        let f = tracks_fixture(n);
        group.throughput(Throughput::Elements(u64::from(n)));
        group.bench_with_input(BenchmarkId::from_parameter(n), &f, |b, f| b.iter(|| black_box(f.run())));
    }
    group.finish();
}

/// Best CPU seconds of `rounds` runs of `f`.
fn best_cpu(rounds: usize, f: &Fixture) -> f64 {
    (0..rounds).map(|_| timed(|| f.run()).2.as_secs_f64()).fold(f64::MAX, f64::min)
}

fn main() {
    let bench = benching();
    let all = suite();
    let small: Vec<&Fixture> = all.iter().filter(|f| f.audio_sectors() <= SMALL_SECTORS).collect();
    assert!(!small.is_empty(), "no conformance scenario has at most {SMALL_SECTORS} sectors of audio");

    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &small, &all);
    c.final_summary();

    let rounds = if bench { 20 } else { 1 };
    let mut rates: Vec<(f64, &str)> = small.iter().map(|f| (1.0 / best_cpu(rounds, f), f.name.as_str())).collect();
    rates.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!(
        "{} small scenarios of {} (parse + run + transcript; CPU time, best of {rounds}): median {:.0} per second; slowest:",
        small.len(),
        all.len(),
        rates[rates.len() / 2].0
    );
    for (per_second, name) in rates.iter().take(5) {
        println!("  {name:<56} {per_second:8.0} per second");
    }
    let slowest = rates[0].0;
    let suite_cpu = (0..rounds.min(5))
        .map(|_| timed(|| all.iter().map(Fixture::run).sum::<usize>()).2.as_secs_f64())
        .fold(f64::MAX, f64::min);
    println!("the whole suite ({} scenarios): {:.1} ms CPU", all.len(), suite_cpu * 1e3);

    let points: Vec<(u32, f64)> =
        TRACK_COUNTS.iter().map(|&n| (n, best_cpu(rounds.min(5), &tracks_fixture(n)))).collect();
    println!("bench/scenarios/tracks-NN.toml (CPU time, best of {}):", rounds.min(5));
    for (n, secs) in &points {
        println!("  {n:>3} tracks  {:8.2} ms  {:8.1} us/track", secs * 1e3, secs / f64::from(*n) * 1e6);
    }
    let per = |(n, secs): (u32, f64)| secs / f64::from(n);
    let growth = per(*points.last().unwrap()) / per(points[0]);
    println!("  cost per track, largest / smallest: {growth:.3}");

    if bench {
        assert!(
            slowest >= MIN_PER_SECOND,
            "a small scenario runs {slowest:.0} times per second (at least {MIN_PER_SECOND})"
        );
        assert!(
            growth <= MAX_GROWTH,
            "the cost per track grows {growth:.3}x from 1 to 99 tracks (at most {MAX_GROWTH})"
        );
        println!("targets met: small scenarios {slowest:.0}/s or more; cost per track growth {growth:.3}");
    }
}
