//! `cdr-harness run PATH...`: run scenarios, report, write transcripts.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{bail, Context};
use cdr_scenario::discover::{self, Found, Shard};
use cdr_scenario::image::ImagePaths;
use cdr_scenario::runner::image;
use cdr_scenario::runner::RunOptions;
use cdr_scenario::scenario;
use cdr_scenario::transcript::Transcript;

use super::loopback::RunBackend;
use super::report::{self, Format, Outcome, ScenarioResult};
use super::Status;

pub const EXAMPLES: &str = "\
Examples:
  cdr-harness run fixtures/scenarios
  cdr-harness run fixtures/scenarios/burn/worked-example.toml --format json
  cdr-harness run fixtures/scenarios --shard 1/4 --format junit > shard1.xml
  cdr-harness run fixtures/scenarios --out target/transcripts --force
  cdr-harness run fixtures/scenarios/audio --image target/images
  cdr-harness run my.toml --faults lab-faults.toml       add fault rules to every scenario
  cdr-harness run fixtures/scenarios --fault-seed random  seeded random faults (the seed is printed)

Directories are walked recursively for *.toml, skipping folders named drives, media and lab,
hidden folders, and *.transcript.toml files. The last line is `N passed, N failed` (on stdout
with --format human, on stderr with json and junit, whose stdout is one document).
Exit status: 0 all passed, 1 an expectation failed, 2 unusable input.";

/// Arguments of `run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Scenario files, or directories to search recursively for *.toml scenarios.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write each scenario's transcript (TOML) into DIR, as <relative path>.transcript.toml.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write each simulated disc as a BIN/CUE image with a text TOC and an SVG of its layout into
    /// DIR, as <relative path without .toml>.bin, .cue, .toc.txt and .svg.
    #[arg(long, value_name = "DIR")]
    image: Option<PathBuf>,
    /// With --out or --image: overwrite files that already exist; also lets `save` steps replace
    /// disc files.
    #[arg(long)]
    force: bool,
    /// Run only shard K of N (1-based), split deterministically by sorted path.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Seed of synthetic audio, replacing each scenario's `seed`.
    #[arg(long)]
    seed: Option<u64>,
    /// Keep every Update event in transcripts, not only the per-action summary.
    #[arg(long)]
    all_events: bool,
    /// Fault rules to add to every scenario: a TOML file of [[fault]] tables (and fault_seed).
    #[arg(long, value_name = "FILE")]
    faults: Option<PathBuf>,
    /// Also write the run as one self-contained HTML page, DIR/index.html: pass or fail per
    /// scenario, each failed expectation, the event that fired each handler call, the disc drawn.
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    /// Report each scenario's time on this clock (JUnit `time`, JSON `time`): `virtual`, the
    /// simulated drive's (deterministic), or `wall`, this machine's. Without it reports carry no
    /// time and are byte-identical between runs.
    #[arg(long, value_enum, value_name = "CLOCK")]
    times: Option<super::times::Clock>,
    /// Seed of random faults, turning them on if no rule asks for them; `random` draws a seed
    /// and prints it.
    #[arg(long, value_name = "N|random")]
    fault_seed: Option<FaultSeed>,
    /// Where the scenarios run: `sim`, the simulator in this process; `imapi2`, the IMAPI2
    /// backend against the simulator's own COM server registered in IMAPI2's place (Windows or
    /// Wine; see tools/wine-loopback).
    #[arg(long, value_enum, default_value = "sim")]
    backend: super::record::BackendArg,
}

/// `--fault-seed`: a number, or `random`.
#[derive(Clone, Copy, Debug)]
pub enum FaultSeed {
    /// This seed.
    Given(u64),
    /// Draw one (from the operating system's randomness) and print it.
    Draw,
}

impl std::str::FromStr for FaultSeed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "random" => Ok(FaultSeed::Draw),
            n => n.parse().map(FaultSeed::Given).map_err(|_| format!("`{n}`: expected a number or `random`")),
        }
    }
}

/// A seed from the process's randomly keyed hasher (the standard library seeds it from the
/// operating system), so no extra dependency is needed for one number.
fn draw_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id().into());
    h.finish()
}

pub fn run(args: RunArgs) -> anyhow::Result<Status> {
    let found = match discover::find(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            report::closing(args.format, 0, 0);
            return Ok(Status::Unusable);
        }
    };
    let total = found.len();
    let found = match args.shard {
        Some(Shard { k, n }) => {
            let mine = discover::shard(found, k, n);
            if mine.is_empty() {
                eprintln!("error: shard {k}/{n} holds no scenarios ({total} in all): use fewer shards");
                report::closing(args.format, 0, 0);
                return Ok(Status::Unusable);
            }
            mine
        }
        None => found,
    };
    if args.force
        && args.out.is_none()
        && args.image.is_none()
        && !found.iter().any(|f| cdr_scenario::scenario::saves_a_disc(&f.path))
    {
        bail!("--force overwrites the files of --out or --image, or the discs of `save` steps: give one of them");
    }
    let targets = match &args.out {
        Some(dir) => Some(transcript_targets(dir, &found, args.force)?),
        None => None,
    };
    let images = match &args.image {
        Some(dir) => {
            let relatives: Vec<&std::path::Path> = found.iter().map(|f| f.relative.as_path()).collect();
            Some(image::plan_images(dir, &relatives, args.force).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };

    let faults = match &args.faults {
        Some(path) => match cdr_scenario::faults::load_faults_file(path) {
            Ok(c) => Some(c),
            Err(e) => {
                report::error(&e.to_string());
                report::closing(args.format, 0, 0);
                return Ok(Status::Unusable);
            }
        },
        None => None,
    };
    if let (Some(config), Some(path), None) = (&faults, &args.faults, args.fault_seed) {
        if let Some(rule) = config.rules.iter().find(|r| config.seed.is_none() && r.is_random()) {
            eprintln!(
                "error: {}:{}:1: this random fault needs a seed: set fault_seed = N in this file, or pass --fault-seed N",
                path.display(),
                rule.line
            );
            report::closing(args.format, 0, 0);
            return Ok(Status::Unusable);
        }
    }
    let fault_seed = args.fault_seed.map(|s| match s {
        FaultSeed::Given(n) => n,
        FaultSeed::Draw => {
            let n = draw_seed();
            eprintln!("fault seed: {n} (rerun with --fault-seed {n} for the same faults)");
            n
        }
    });
    let backend = match args.backend {
        super::record::BackendArg::Sim => RunBackend::Sim,
        super::record::BackendArg::Imapi2 if args.image.is_some() => {
            bail!("--image needs the simulator in this process: use it with --backend sim")
        }
        super::record::BackendArg::Imapi2 => match RunBackend::loopback() {
            Ok(b) => b,
            Err(e) => {
                report::error(&format!("{e:#}"));
                report::closing(args.format, 0, 0);
                return Ok(Status::Unusable);
            }
        },
    };
    let options = RunOptions { seed: args.seed, all_events: args.all_events, faults, fault_seed, force: args.force };
    let progress = (found.len() > 5 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(found.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut results = Vec::with_capacity(found.len());
    for (i, f) in found.iter().enumerate() {
        if let Some(bar) = &progress {
            bar.set_message(f.path.display().to_string());
        }
        let image = images.as_ref().map(|paths| (paths[i].clone(), args.force));
        results.push(run_one(f, &backend, &options, image));
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }

    if let Some(targets) = targets {
        for (result, target) in results.iter().zip(targets) {
            if let Outcome::Ran(t) = &result.outcome {
                write_transcript(&target, t)?;
            }
        }
    }
    report::print(args.format, &results, args.times)?;
    if let Some(dir) = &args.report {
        let page = super::html::write(dir, &results)?;
        eprintln!("report: {}", page.display());
    }
    let unusable = results.iter().any(|r| matches!(r.outcome, Outcome::Unusable(_)));
    let failed = results.iter().any(|r| matches!(&r.outcome, Outcome::Ran(t) if !t.passed));
    Ok(if unusable {
        Status::Unusable
    } else if failed {
        Status::Failed
    } else {
        Status::Passed
    })
}

fn run_one(
    found: &Found,
    backend: &RunBackend,
    options: &RunOptions,
    image: Option<(ImagePaths, bool)>,
) -> ScenarioResult {
    let started = std::time::Instant::now();
    let name = found.path.to_string_lossy().replace('\\', "/");
    let outcome = match scenario::load(&found.path) {
        Err(e) => Outcome::Unusable(e.to_string()),
        Ok(s) => {
            let ran = match image {
                Some((paths, force)) => image::run_with_image(&s, options, paths, force).map_err(|e| e.to_string()),
                None => backend.run(&s, options),
            };
            match ran {
                Ok(t) => Outcome::Ran(Box::new(t)),
                Err(e) => Outcome::Unusable(e),
            }
        }
    };
    ScenarioResult { name, relative: found.relative.clone(), outcome, wall: started.elapsed() }
}

/// Where each transcript goes; refuses to overwrite without `--force`, before anything runs.
fn transcript_targets(dir: &std::path::Path, found: &[Found], force: bool) -> anyhow::Result<Vec<PathBuf>> {
    let targets: Vec<PathBuf> = found.iter().map(|f| discover::transcript_path(dir, f)).collect();
    for (i, t) in targets.iter().enumerate() {
        if let Some(j) = targets[..i].iter().position(|o| o == t) {
            bail!(
                "{} and {} would both write {}: run them with separate --out directories",
                found[j].path.display(),
                found[i].path.display(),
                t.display()
            );
        }
        if t.exists() && !force {
            bail!("{} already exists: pass --force to overwrite transcripts", t.display());
        }
    }
    Ok(targets)
}

fn write_transcript(path: &std::path::Path, t: &Transcript) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let text = t.to_toml()?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
