//! Target 1 of `docs/benchmarks.md`: the data path of AddAudioTrack.
//!
//! A full 80-minute disc (359,845 sectors, 846 MB of PCM from [`SyntheticPcm`]) burned as one
//! track on the simulator, side by side with
//! - `bare_loop`: the same source read through the same 64-sector buffer into the same BLAKE3
//!   digest, and nothing else (the floor the simulator is held to: at most 1.5x);
//! - `source_only`: the source alone, read through that buffer (what the digest adds);
//! - `memcpy_chunk` and `memcpy_dram`: the machine's memory-copy rate for the same 846 MB,
//!   in 64-sector chunks from a buffer in cache, and through 64 MiB buffers that are not.
//!
//! Run with `cargo bench -p cdr-sim --bench data_path`. After criterion's figures (wall time)
//! it times the simulator and the bare loop again, interleaved, and fails if the simulator's
//! CPU time exceeds 1.5 times the bare loop's.
//! Under `cargo test --benches` (criterion's test mode) every routine runs once on a small
//! disc, so the file is checked without a full-disc run in a debug build.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cdr_sim::source::SyntheticPcm;
use cdr_sim::{AudioStream, Backend, DiscFormat2TrackAtOnce, SimBackend, TaoProgress, TaoWriteAction, SECTOR_BYTES};
use criterion::{BatchSize, Criterion, Throughput};

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::timed;
#[path = "support/setup.rs"]
mod setup;
use setup::{benching, prepared_cdr80};

/// The free sectors of a blank 80-minute CD-R (`cdr80`).
const FULL_DISC: u64 = 359_845;
/// The disc of criterion's test mode: enough to cross several Update intervals.
const TEST_DISC: u64 = 4_000;
/// The write loop's buffer: 64 sectors (`CHUNK_SECTORS` in `sim/src/sim/write.rs`).
const CHUNK: usize = 64 * SECTOR_BYTES;
const SEED: u64 = 80;
/// The ratio the simulator must stay under.
const MAX_RATIO: f64 = 1.5;

/// Reads until `buf` is full or the stream ends.
fn read_full(stream: &mut dyn AudioStream, buf: &mut [u8]) -> usize {
    let mut got = 0;
    while got < buf.len() {
        match stream.read(&mut buf[got..]).expect("the synthetic source does not fail") {
            0 => break,
            n => got += n,
        }
    }
    got
}

/// The floor: the source through the write loop's buffer into BLAKE3.
fn bare_loop(sectors: u64) -> blake3::Hash {
    let mut source = SyntheticPcm::sectors(SEED, sectors);
    let mut buf = vec![0u8; CHUNK];
    let mut hasher = blake3::Hasher::new();
    loop {
        let n = read_full(&mut source, &mut buf);
        if n == 0 {
            return hasher.finalize();
        }
        hasher.update(&buf[..n]);
    }
}

/// The source alone.
fn source_only(sectors: u64) -> u64 {
    let mut source = SyntheticPcm::sectors(SEED, sectors);
    let mut buf = vec![0u8; CHUNK];
    let mut sum = 0u64;
    loop {
        let n = read_full(&mut source, &mut buf);
        if n == 0 {
            return sum;
        }
        sum = sum.wrapping_add(u64::from(buf[n - 1]));
    }
}

/// Counts Update events, as a listening client would.
#[derive(Default)]
struct Counter {
    events: AtomicU64,
    writing: AtomicU64,
}

impl cdr_sim::TaoUpdateSink for Counter {
    fn update(&self, _format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        self.events.fetch_add(1, Ordering::Relaxed);
        if progress.current_action == TaoWriteAction::Writing {
            self.writing.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A blank 80-minute CD-R in the default drive, prepared (the setup, not timed).
struct Burn {
    sim: SimBackend,
    recorder: Arc<dyn cdr_sim::DiscRecorder2>,
    format: Arc<dyn DiscFormat2TrackAtOnce>,
    counter: Option<Arc<Counter>>,
}

impl Burn {
    fn prepared(listen: bool) -> Burn {
        let (sim, recorder, format) = prepared_cdr80();
        let counter = listen.then(|| {
            let counter = Arc::new(Counter::default());
            format.advise(counter.clone()).unwrap();
            counter
        });
        Burn { sim, recorder, format, counter }
    }

    /// The timed part: AddAudioTrack of `sectors` sectors.
    fn add(&self, sectors: u64) {
        self.format.add_audio_track(&mut SyntheticPcm::sectors(SEED, sectors)).unwrap();
    }

    /// The digest the simulated disc reports for track 1.
    fn digest(&self) -> String {
        let disc = self.sim.read_back(self.recorder.as_ref()).unwrap().media.unwrap();
        disc.tracks[0].digest.clone().expect("a written track has a digest")
    }
}

/// The simulator must do the work the floor does: same bytes, same digest, events fired.
fn check_same_work(sectors: u64) {
    let burn = Burn::prepared(true);
    burn.add(sectors);
    assert_eq!(burn.digest(), bare_loop(sectors).to_hex().to_string(), "the simulator digests the same bytes");
    let counter = burn.counter.as_ref().unwrap();
    assert!(counter.writing.load(Ordering::Relaxed) > 1, "WRITING events fire during the burn");
    println!(
        "same work: {sectors} sectors, digest {}, {} Update events ({} WRITING)",
        &burn.digest()[..16],
        counter.events.load(Ordering::Relaxed),
        counter.writing.load(Ordering::Relaxed)
    );
}

fn data_path(c: &mut Criterion, sectors: u64) {
    let bytes = sectors * SECTOR_BYTES as u64;
    let mut group = c.benchmark_group("data_path");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(12));

    group.bench_function("memcpy_chunk", |b| {
        let (src, mut dst) = (vec![0x5Au8; CHUNK], vec![0u8; CHUNK]);
        b.iter(|| memcpy_chunk(bytes, &src, &mut dst))
    });
    group.bench_function("memcpy_dram", |b| {
        const BIG: usize = 64 << 20;
        let src = vec![0x5Au8; BIG];
        let mut dst = vec![0u8; BIG];
        b.iter(|| {
            let mut left = bytes as usize;
            while left > 0 {
                let n = left.min(BIG);
                dst[..n].copy_from_slice(black_box(&src[..n]));
                black_box(&mut dst);
                left -= n;
            }
        })
    });
    group.bench_function("source_only", |b| b.iter(|| black_box(source_only(sectors))));
    group.bench_function("bare_loop", |b| b.iter(|| black_box(bare_loop(sectors))));
    group.bench_function("add_audio_track", |b| {
        b.iter_batched(|| Burn::prepared(false), |burn| burn.add(sectors), BatchSize::PerIteration)
    });
    group.bench_function("add_audio_track_listened", |b| {
        b.iter_batched(|| Burn::prepared(true), |burn| burn.add(sectors), BatchSize::PerIteration)
    });
    group.finish();
}

/// Best wall and CPU seconds of a series of runs.
#[derive(Clone, Copy)]
struct Best {
    wall: f64,
    cpu: f64,
}

impl Best {
    const NONE: Best = Best { wall: f64::MAX, cpu: f64::MAX };

    fn add(&mut self, wall: Duration, cpu: Duration) {
        self.wall = self.wall.min(wall.as_secs_f64());
        self.cpu = self.cpu.min(cpu.as_secs_f64());
    }
}

/// Copies `bytes` bytes through a 64-sector buffer in cache (the memory-copy rate the data
/// path is set against).
fn memcpy_chunk(bytes: u64, src: &[u8], dst: &mut [u8]) {
    let mut left = bytes as usize;
    while left > 0 {
        let n = left.min(CHUNK);
        dst[..n].copy_from_slice(black_box(&src[..n]));
        black_box(&mut *dst);
        left -= n;
    }
}

/// What the side-by-side run times, in order; the first is the floor the ratios refer to.
const SIDE_BY_SIDE: [&str; 5] = ["bare loop", "AddAudioTrack", "AddAudioTrack, listened", "source only", "memcpy"];

/// Times the bare loop, the simulator (without and with a listener), the source alone and
/// memcpy interleaved, so that load on a shared machine falls on all alike, and keeps the best
/// of `rounds` each.
fn side_by_side(sectors: u64, rounds: usize) -> [Best; 5] {
    let bytes = sectors * SECTOR_BYTES as u64;
    let (src, mut dst) = (vec![0x5Au8; CHUNK], vec![0u8; CHUNK]);
    let mut best = [Best::NONE; 5];
    for _ in 0..rounds {
        let (_, wall, cpu) = timed(|| black_box(bare_loop(sectors)));
        best[0].add(wall, cpu);
        for (i, listen) in [(1, false), (2, true)] {
            let burn = Burn::prepared(listen);
            let (_, wall, cpu) = timed(|| burn.add(sectors));
            best[i].add(wall, cpu);
        }
        let (_, wall, cpu) = timed(|| black_box(source_only(sectors)));
        best[3].add(wall, cpu);
        let (_, wall, cpu) = timed(|| memcpy_chunk(bytes, &src, &mut dst));
        best[4].add(wall, cpu);
    }
    best
}

fn main() {
    let bench = benching();
    let sectors = if bench { FULL_DISC } else { TEST_DISC };
    check_same_work(sectors);

    let mut c = Criterion::default().configure_from_args();
    data_path(&mut c, sectors);
    c.final_summary();

    let rounds = if bench { 7 } else { 1 };
    let best = side_by_side(sectors, rounds);
    let mb = (sectors * SECTOR_BYTES as u64) as f64 / 1e6;
    println!("side by side, best of {rounds}, {sectors} sectors ({mb:.0} MB); ratios of CPU time to the bare loop's:");
    for (name, b) in SIDE_BY_SIDE.iter().zip(best) {
        println!(
            "  {name:<24} wall {:7.1} ms {:6.0} MB/s   cpu {:7.1} ms {:6.0} MB/s   ratio {:.3}",
            b.wall * 1e3,
            mb / b.wall,
            b.cpu * 1e3,
            mb / b.cpu,
            b.cpu / best[0].cpu
        );
    }
    if bench {
        for (name, b) in SIDE_BY_SIDE.iter().zip(best).skip(1).take(2) {
            let ratio = b.cpu / best[0].cpu;
            assert!(ratio <= MAX_RATIO, "{name} takes {ratio:.3}x the bare loop (at most {MAX_RATIO})");
        }
        println!("target 1 met: at most {MAX_RATIO}x the bare loop");
    }
}
