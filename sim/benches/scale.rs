//! Target 5 of `docs/benchmarks.md`: how the simulator's time grows with the track count and
//! with the disc's size.
//!
//! - `tracks/N`: a session of N minimum-length tracks (300 sectors, 4 s) from PrepareMedia to
//!   ReleaseMedia, reading ExpectedTableOfContents and the free space after every track as a
//!   client does. Each track rebuilds the session values (layout, TOC), so a step that is
//!   quadratic in the track count would show as a growing time per track.
//! - `short_tracks/N`: the same with tracks of one sector, which the default calibration pads
//!   with silence to 300: the silence is written and digested like audio (its digest is
//!   memoised by position, so it should cost far less than 300 sectors of audio).
//! - `split_disc/N`: the same 20 minutes of audio as N tracks: the time should not depend on N.
//! - `disc_size/M`: one track of M minutes: the time per sector should not depend on M.
//!
//! Run with `cargo bench -p cdr-sim --bench scale`. After criterion's figures it times each
//! series again (CPU time, best of several runs) and fails if the time per track or per sector at the
//! largest size exceeds the smallest's by more than the allowed factor. Under
//! `cargo test --benches` every routine runs once on small sizes.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use cdr_sim::source::SyntheticPcm;
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscRecorder2, SimBackend, SECTORS_PER_SECOND, SECTOR_BYTES};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::timed;
#[path = "support/setup.rs"]
mod setup;
use setup::{benching, prepared_cdr80};

/// Track counts of the `tracks` and `split_disc` series.
const TRACK_COUNTS: [u64; 4] = [1, 10, 50, 99];
/// Disc sizes of the `disc_size` series, in minutes (80 is the full `cdr80` disc).
const MINUTES: [u64; 4] = [10, 20, 40, 80];
/// The free sectors of a blank 80-minute CD-R.
const FULL_DISC: u64 = 359_845;
/// The minimum track length (4 s).
const MIN_TRACK: u64 = 300;
/// The audio of the `split_disc` series: 20 minutes.
const SPLIT_SECTORS: u64 = 20 * 60 * SECTORS_PER_SECOND as u64;
/// Largest / smallest cost per unit allowed: linear growth gives 1, a quadratic step ~10.
const MAX_GROWTH: f64 = 1.5;

fn minutes_to_sectors(minutes: u64) -> u64 {
    (minutes * 60 * SECTORS_PER_SECOND as u64).min(FULL_DISC)
}

/// A blank 80-minute CD-R, prepared.
struct Session {
    sim: SimBackend,
    recorder: Arc<dyn DiscRecorder2>,
    format: Arc<dyn DiscFormat2TrackAtOnce>,
}

impl Session {
    fn prepared() -> Session {
        let (sim, recorder, format) = prepared_cdr80();
        Session { sim, recorder, format }
    }

    /// Burns `tracks` tracks of `sectors` each (the last takes the remainder of `total` when
    /// given), queries as a client does, releases and reads the disc back.
    fn burn(self, tracks: u64, sectors: u64) -> usize {
        for n in 0..tracks {
            self.format.add_audio_track(&mut SyntheticPcm::sectors(n, sectors)).unwrap();
            black_box(self.format.free_sectors_on_media().unwrap());
            black_box(self.format.expected_table_of_contents().unwrap());
        }
        self.format.release_media().unwrap();
        let disc = self.sim.read_back(self.recorder.as_ref()).unwrap().media.unwrap();
        assert_eq!(disc.tracks.len() as u64, tracks);
        disc.tracks.len()
    }
}

fn series(c: &mut Criterion, counts: &[u64], minutes: &[u64], split: u64) {
    for (name, sectors) in [("tracks", MIN_TRACK), ("short_tracks", 1)] {
        let mut group = c.benchmark_group(name);
        group.sample_size(20);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
        for &n in counts {
            group.throughput(Throughput::Elements(n));
            group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
                b.iter_batched(Session::prepared, |s| s.burn(n, sectors), BatchSize::PerIteration)
            });
        }
        group.finish();
    }

    let mut group = c.benchmark_group("split_disc");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(split * SECTOR_BYTES as u64));
    for &n in counts {
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter_batched(Session::prepared, |s| s.burn(n, split / n), BatchSize::PerIteration)
        });
    }
    group.finish();

    let mut group = c.benchmark_group("disc_size");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    for &m in minutes {
        let sectors = minutes_to_sectors(m);
        group.throughput(Throughput::Bytes(sectors * SECTOR_BYTES as u64));
        group.bench_with_input(BenchmarkId::from_parameter(m), &sectors, |b, &sectors| {
            b.iter_batched(Session::prepared, |s| s.burn(1, sectors), BatchSize::PerIteration)
        });
    }
    group.finish();
}

/// Best CPU seconds of `rounds` burns (wall time measures the other builds on the machine).
fn best(rounds: usize, tracks: u64, sectors: u64) -> f64 {
    (0..rounds)
        .map(|_| {
            let s = Session::prepared();
            timed(|| s.burn(tracks, sectors)).2.as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

/// Prints a series' cost per unit and returns the largest size's over the smallest's.
fn growth(name: &str, unit: &str, points: &[(u64, f64, f64)]) -> f64 {
    println!("{name} (CPU time, best of several):");
    for (size, secs, units) in points {
        println!("  {size:>6}  {:9.2} ms  {:10.3} us/{unit}", secs * 1e3, secs / units * 1e6);
    }
    let per = |p: &(u64, f64, f64)| p.1 / p.2;
    let ratio = per(points.last().unwrap()) / per(&points[0]);
    println!("  cost per {unit}, largest / smallest: {ratio:.3}");
    ratio
}

fn main() {
    let bench = benching();
    let (counts, minutes, split): (&[u64], &[u64], u64) =
        if bench { (&TRACK_COUNTS, &MINUTES, SPLIT_SECTORS) } else { (&[1, 3], &[1], 3 * MIN_TRACK) };

    let mut c = Criterion::default().configure_from_args();
    series(&mut c, counts, minutes, split);
    c.final_summary();

    let rounds = if bench { 5 } else { 1 };
    let tracks: Vec<_> = counts.iter().map(|&n| (n, best(rounds, n, MIN_TRACK), n as f64)).collect();
    let short: Vec<_> = counts.iter().map(|&n| (n, best(rounds, n, 1), n as f64)).collect();
    let split_points: Vec<_> = counts.iter().map(|&n| (n, best(rounds, n, split / n), 1.0)).collect();
    let sizes: Vec<_> = minutes
        .iter()
        .map(|&m| {
            let sectors = minutes_to_sectors(m);
            (m, best(rounds, 1, sectors), sectors as f64)
        })
        .collect();
    let g_tracks = growth("tracks of 300 sectors (N tracks)", "track", &tracks);
    let g_short = growth("tracks of 1 sector padded to 300 (N tracks)", "track", &short);
    let per_track = |p: &[(u64, f64, f64)]| p.last().map_or(0.0, |x| x.1 / x.2);
    println!("  a padded track costs {:.3}x a track of 300 sectors of audio", per_track(&short) / per_track(&tracks));
    let g_split = growth("20 minutes split into N tracks", "disc", &split_points);
    let g_size = growth("one track of M minutes", "sector", &sizes);
    if bench {
        for (what, g) in [
            ("time per track", g_tracks),
            ("time per padded track", g_short),
            ("time per split disc", g_split),
            ("time per sector", g_size),
        ] {
            assert!(g <= MAX_GROWTH, "{what} grows {g:.3}x from the smallest to the largest (at most {MAX_GROWTH})");
        }
        println!(
            "target 5 met: growth {g_tracks:.3} (tracks), {g_short:.3} (padded tracks), {g_split:.3} (split), \
             {g_size:.3} (size) <= {MAX_GROWTH}"
        );
    }
}
