//! `cdr-harness fuzz --backend imapi2 --discs N`: the differential campaign of
//! [`differential`](super::differential) on a real recorder, as a command. Opening the
//! recorder needs Windows; everything after that ([`run_station`]) is portable and tested with
//! the simulator standing in for the recorder.

use std::io::{self, Write};
use std::sync::Arc;

use cdr_scenario::Status;
use cdr_sim::{Backend, DiscRecorder2, DriveProfile, MediaProfile};

use super::differential::{self, lab_env, OperatorTray, Report, Settings, SharedSut, Tray, Verdict};
use super::media::{self, MatchRules};
use super::operator::Operator;
use super::station::ensure_disc;
use cdr_model::fuzz::{Simulator, Sut};

/// Options of the recorder campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Seed of the sequences (drawn and printed when absent).
    pub seed: Option<u64>,
    /// Sequences to draw.
    pub cases: u32,
    /// Most ops per sequence.
    pub max_steps: usize,
    /// Discs the campaign may burn.
    pub discs: u32,
    /// The recorder (`0`, `E:`, `\\?\...`).
    pub recorder: String,
}

/// Runs the campaign on the IMAPI2 recorder `opts.recorder`, asking `operator` for blank
/// discs. Exit status: passed, everything agreed; failed, findings; unusable, the recorder cannot be used (off
/// Windows: "the IMAPI2 backend needs Windows").
pub fn run_imapi2(opts: &Options, operator: Box<dyn Operator + Send>, out: &mut dyn Write) -> io::Result<Status> {
    let opened = (|| {
        let selector: cdr_imapi2::RecorderSelector = opts.recorder.parse()?;
        let backend = cdr_imapi2::Imapi2Backend::open()?;
        let recorder = backend.select_recorder(&selector)?;
        Ok::<_, cdr_imapi2::Imapi2Error>((Arc::new(backend) as Arc<dyn Backend>, recorder))
    })();
    let (backend, recorder) = match opened {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Status::Unusable);
        }
    };
    run_station(backend, recorder, &opts.recorder, operator, opts, out)
}

/// The lab's drive: the default profile (the reference calibration) with the identity and the
/// tray of `recorder`, so that the model predicts what the recorder says about itself.
pub fn lab_drive(recorder: &dyn DiscRecorder2) -> DriveProfile {
    let mut d = cdr_sim::profile::drive_by_name(cdr_sim::profile::DEFAULT_DRIVE).expect("built-in");
    if let Ok(v) = recorder.vendor_id() {
        d.vendor = v;
    }
    if let Ok(p) = recorder.product_id() {
        d.product = p;
    }
    if let Ok(r) = recorder.product_revision() {
        d.revision = r;
    }
    if let Ok(v) = recorder.volume_path_names() {
        d.volume_path_names = v;
    }
    if let Ok(n) = recorder.legacy_device_number() {
        d.legacy_device_number = n;
    }
    if let Ok(c) = recorder.device_can_load_media() {
        d.can_load_media = c;
    }
    d
}

/// The blank disc in the tray as a media profile (its ATIP as read), after asking `operator`
/// for a blank CD-R of any brand if there is none.
pub fn blank_in_tray(
    backend: &dyn Backend,
    recorder: &dyn DiscRecorder2,
    label: &str,
    operator: &mut dyn Operator,
) -> Option<MediaProfile> {
    let any = cdr_sim::profile::media_by_name(cdr_sim::profile::DEFAULT_MEDIA).expect("built-in");
    ensure_disc(backend, recorder, Some(&any), label, MatchRules { any_lead_out: true }, operator).ok()?;
    let m = backend.read_back(recorder).ok()?.media?;
    let mut disc = any;
    disc.name = "lab-blank".into();
    disc.description = "the blank disc in the recorder's tray".into();
    disc.media_type = m.media_type;
    disc.lead_in = m.atip.map(|a| a.lead_in);
    disc.lead_out = m.atip.map(|a| a.lead_out);
    disc.validate().ok()?;
    Some(disc)
}

/// Runs the campaign on a shared `backend` with `recorder` in it, the simulator alongside.
pub fn run_station(
    backend: Arc<dyn Backend>,
    recorder: Arc<dyn DiscRecorder2>,
    label: &str,
    mut operator: Box<dyn Operator + Send>,
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<Status> {
    let unique_id = match recorder.active_disc_recorder() {
        Ok(id) => id,
        Err(hr) => {
            eprintln!("error: the recorder cannot be opened: {hr}");
            return Ok(Status::Unusable);
        }
    };
    let drive = lab_drive(recorder.as_ref());
    let Some(disc) = blank_in_tray(backend.as_ref(), recorder.as_ref(), label, operator.as_mut()) else {
        eprintln!("error: the campaign needs a blank CD-R in recorder {label}");
        return Ok(Status::Unusable);
    };
    let seed = opts.seed.unwrap_or_else(drawn_seed);
    if opts.seed.is_none() {
        writeln!(out, "seed {seed} (drawn; rerun with --seed {seed})")?;
    }
    writeln!(
        out,
        "fuzzing recorder {label} ({} {} {}) against the reference model, with the simulator alongside: \
         seed {seed}, {} cases of at most {} steps, at most {} disc(s); every case on {}",
        drive.vendor.trim(),
        drive.product.trim(),
        drive.revision.trim(),
        opts.cases,
        opts.max_steps,
        opts.discs,
        media::describe(Some(&disc)),
    )?;
    let env = Arc::new(lab_env(drive, disc));
    let rules = MatchRules::default();
    let mut tray = OperatorTray::new(Arc::clone(&backend), Arc::clone(&recorder), label, operator, rules);
    let sut: Arc<dyn Sut> = Arc::new(SharedSut::new(backend, unique_id));
    let settings = Settings { seed, cases: opts.cases, max_steps: opts.max_steps, discs: opts.discs };
    let report = differential::run(sut, Arc::new(Simulator), env, settings, &mut tray as &mut dyn Tray);
    write!(out, "{}", describe(&report))?;
    Ok(if report.findings.is_empty() { Status::Passed } else { Status::Failed })
}

/// A seed from the operating system's randomness (printed, so the run can be repeated).
fn drawn_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

/// The report in words: counts, then each kind of finding with its first case's ops.
pub fn describe(r: &Report) -> String {
    let mut s = format!(
        "ran {} case(s): {} agree; {} disc(s) used; {} left out over the disc budget; {} not run\n",
        r.ran, r.agreed, r.discs_used, r.over_budget, r.not_run
    );
    s += &format!(
        "recorder: {} calls, {} tracks written, {} PrepareMedia; simulator: {} calls, {} tracks written\n",
        r.recorder.calls, r.recorder.writes, r.recorder.prepares, r.simulator.calls, r.simulator.writes
    );
    for (signature, n, f) in r.groups() {
        s += &format!("{n} case(s): {signature} (first: case {})\n", f.case);
        match &f.verdict {
            Verdict::RecorderDiffers(d) | Verdict::SimulatorDiffers(d) => s += &format!("  {d}\n"),
            Verdict::BothDiffer { recorder, simulator } => {
                s += &format!("  recorder:  {recorder}\n  simulator: {simulator}\n");
            }
            Verdict::Agree | Verdict::AnswersDiffer => {}
        }
        let points = f.calibration_points();
        if !points.is_empty() {
            let named: Vec<String> =
                points.iter().map(|p| format!("{p} ({})", super::calibration::spec_point(p))).collect();
            s += &format!("  on calibration point(s): {}\n", named.join("; "));
        }
        for (i, op) in f.ops.iter().enumerate() {
            let repeat = if op.repeat > 1 { format!(" x{}", op.repeat) } else { String::new() };
            s += &format!("  {:>3}. {:?}: {:?}{repeat}\n", i + 1, op.client, op.member);
        }
    }
    s
}
