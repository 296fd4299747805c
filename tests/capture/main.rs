//! `cdr-harness capture`: transcripts become scenarios that pass on the plain simulator.
//! - every fixture transcript (`fixtures/lab/sim`, recorded by the runner) round-trips:
//!   capture, then `run` passes every step;
//! - a transcript the COM server's session writes (an application's calls, with a configured
//!   drive, disc, faults and Update-handler calls) becomes a scenario that passes, and that
//!   fails when an answer of the simulator changes;
//! - capture refuses to replace a file without --force.

#[path = "../support/path.rs"]
mod path;
#[path = "../support/harness.rs"]
mod support;
mod windows_ci;
#[path = "../support/workflow.rs"]
mod workflow;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cdr_comserver::config;
use cdr_comserver::session::Session;
use cdr_sim::{Backend, DiscFormat2TrackAtOnce, TaoProgress, TaoUpdateSink, TaoWriteAction};
use predicates::prelude::*;

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn transcripts(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".transcript.toml"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_fixture_transcript_captured_runs_green() {
    let all = transcripts(&root().join("fixtures/lab/sim"));
    assert!(all.len() > 100, "{} transcripts", all.len());
    let out = tempfile::tempdir().unwrap();
    for (i, t) in all.iter().enumerate() {
        let scenario = out.path().join(format!("captured-{i:03}.toml"));
        support::harness().arg("capture").arg(t).arg("-o").arg(&scenario).assert().success();
    }
    support::harness()
        .arg("run")
        .arg(out.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("{} passed, 0 failed", all.len())));
}

/// An application's burn, through the session the COM server uses: three tracks, a read of
/// FreeSectorsOnMedia from the Update handler, the second track cancelled from it.
pub(crate) fn application(backend: &dyn Backend) {
    struct Handler {
        read: AtomicBool,
        cancelled: AtomicBool,
    }
    impl TaoUpdateSink for Handler {
        fn update(&self, format: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress) {
            if p.current_action != TaoWriteAction::Writing {
                return;
            }
            if !self.read.swap(true, Ordering::AcqRel) {
                let _ = format.free_sectors_on_media();
            }
            if p.current_track_number == 2 && p.percent() >= 50 && !self.cancelled.swap(true, Ordering::AcqRel) {
                let _ = format.cancel_add_track();
            }
        }
    }
    let id = backend.disc_master().unwrap().item(0).unwrap();
    let recorder = backend.create_recorder().unwrap();
    recorder.initialize_disc_recorder(&id).unwrap();
    let format = backend.create_format().unwrap();
    format.advise(Arc::new(Handler { read: AtomicBool::new(false), cancelled: AtomicBool::new(false) })).unwrap();
    format.set_recorder(Some(recorder)).unwrap();
    format.set_client_name(Some("App")).unwrap();
    let _ = format.supported_write_speeds();
    // As careful applications do: a drive that is becoming ready is asked again.
    for _ in 0..3 {
        if format.prepare_media() != Err(cdr_sim::Hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY) {
            break;
        }
    }
    for sectors in [600usize, 1200, 450] {
        let _ = format.add_audio_track(&mut Cursor::new(vec![1u8; sectors * 2352]));
    }
    let _ = format.release_media();
}

fn session_transcript(dir: &Path, config_text: &str) -> PathBuf {
    let cfg = dir.join("cdr.toml");
    std::fs::write(&cfg, config_text).unwrap();
    let session = Session::new(Some(config::load(&cfg).unwrap())).unwrap();
    application(session.backend());
    dir.join("app.transcript.toml")
}

#[test]
fn a_com_server_transcript_captured_runs_green_and_checks_the_answers() {
    let dir = tempfile::tempdir().unwrap();
    let t = session_transcript(
        dir.path(),
        "[drive]\nprofile = \"default\"\n[drive.calibration]\ncancelled_track_kept = false\n\n[media]\nprofile = \"cdr74\"\n\n\
         [[fault]]\nkind = \"not_ready\"\ncalls = 1\nfrom = \"PrepareMedia\"\n\n[output]\ntranscript = \"app.transcript.toml\"\n",
    );
    let scenario = dir.path().join("app.toml");
    support::harness()
        .arg("capture")
        .arg(&t)
        .arg("-o")
        .arg(&scenario)
        .assert()
        .success()
        .stdout(predicate::str::contains("run it with: cdr-harness run"));
    let text = std::fs::read_to_string(&scenario).unwrap();
    assert!(text.contains("when = { event = "), "{text}");
    assert!(text.contains("call = \"CancelAddTrack\""), "{text}");
    assert!(text.contains("kind = \"not_ready\""), "{text}");
    assert!(text.contains("cancelled_track_kept = false"), "{text}");
    support::harness()
        .arg("run")
        .arg(&scenario)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 passed, 0 failed"));

    // The expectations are the answers: another answer fails the run.
    let free = text.find("call = \"get_FreeSectorsOnMedia\"").unwrap();
    let value_at = free + text[free..].find("value = ").unwrap() + "value = ".len();
    let end = value_at + text[value_at..].find('\n').unwrap();
    let changed = format!("{}{}{}", &text[..value_at], "12345", &text[end..]);
    let wrong = dir.path().join("wrong.toml");
    std::fs::write(&wrong, changed).unwrap();
    support::harness()
        .arg("run")
        .arg(&wrong)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expected: value 12345"));
}

#[test]
fn a_saved_disc_in_the_tray_is_captured_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let saved = root().join("fixtures/discs/power-cut.disc.toml");
    let t = session_transcript(
        dir.path(),
        &format!(
            "media = {{ file = {:?} }}\n\n[output]\ntranscript = \"app.transcript.toml\"\n",
            saved.display().to_string()
        ),
    );
    let scenario = dir.path().join("from-saved.toml");
    support::harness().arg("capture").arg(&t).arg("-o").arg(&scenario).assert().success();
    let start = dir.path().join("from-saved.start.disc.toml");
    assert_eq!(cdr_scenario::durable::load(&start).unwrap(), cdr_scenario::durable::load(&saved).unwrap());
    support::harness().arg("run").arg(&scenario).assert().code(0);
}

#[test]
fn capture_replaces_a_file_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let t = root().join("fixtures/lab/sim/burn/worked-example.transcript.toml");
    let out = dir.path().join("x.toml");
    std::fs::write(&out, "keep").unwrap();
    support::harness()
        .arg("capture")
        .arg(&t)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    support::harness().arg("capture").arg(&t).arg("-o").arg(&out).arg("--force").assert().success();
    assert!(std::fs::read_to_string(&out).unwrap().contains("[[step]]"));
}

#[test]
fn an_unreadable_transcript_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.transcript.toml");
    std::fs::write(&bad, "scenario = 3\n").unwrap();
    support::harness()
        .arg("capture")
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("x.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.transcript.toml"))
        .stderr(predicate::str::contains("panicked").not());
}
