//! Calibration hints: a "drive" that behaves as another calibration says (the simulator with
//! that calibration), recorded under the reference calibration as a real drive's transcript
//! is; compare must name the setting that reconciles the differences, checked by replaying.

use std::path::PathBuf;

use cdr_lab::compare::{self, Compared};
use cdr_lab::source;
use cdr_scenario::runner::{self, RunOptions};
use cdr_scenario::scenario;
use cdr_sim::profile::{FreeAfterTrack, NoMediaAnswer, ShortTrack, TocLengthField};
use cdr_sim::{Calibration, Hresult};

/// put_Recorder, put_ClientName and PrepareMedia (expected to succeed).
fn prepare() -> String {
    format!("\n[[step]]\ncall = \"put_Recorder\"\n{}", crate::scenario_text::name_and_prepare("Lab", "\"S_OK\""))
}

/// Records `steps` on a drive calibrated by `change`, as a transcript claiming the reference
/// calibration, and compares it.
fn compared(steps: &str, change: impl FnOnce(&mut Calibration)) -> (tempfile::TempDir, Compared) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.toml");
    let text = format!("description = \"a calibration point\"\n{steps}");
    std::fs::write(&path, &text).unwrap();
    let mut s = scenario::load(&path).unwrap();
    change(&mut s.drive.profile.calibration);
    let mut t = runner::run(&s, &RunOptions::default()).unwrap();
    t.environment.drive.calibration = Calibration::default();
    let out: PathBuf = dir.path().join("lab/case.transcript.toml");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    t.source = Some(source::embed(&path, &text, &out).unwrap());
    std::fs::write(&out, t.to_toml().unwrap()).unwrap();
    let c = compare::compare_file(&out).unwrap();
    (dir, c)
}

fn assert_hint(c: &Compared, setting: &str) {
    assert!(!c.differences.is_empty(), "the drive's answers differ");
    let hints: Vec<String> = c.hints.iter().map(|h| h.setting.to_string()).collect();
    assert!(hints.iter().any(|h| h == setting), "{setting} not among {hints:?}; differences: {:#?}", c.differences);
    let h = c.hints.iter().find(|h| h.setting.to_string() == setting).unwrap();
    assert_eq!(h.introduces, 0, "{setting} brings no other difference");
    assert!(c.reconciled_by.is_some(), "some settings reconcile everything: {hints:?}");
}

#[test]
fn release_before_prepare_answering_media_is_prepared() {
    let (_d, c) =
        compared("[[step]]\ncall = \"put_Recorder\"\nexpect = \"S_OK\"\n[[step]]\ncall = \"ReleaseMedia\"\n", |cal| {
            cal.release_not_prepared = Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED;
        });
    assert_eq!(c.differences.len(), 1, "{:#?}", c.differences);
    assert_eq!(c.differences[0].call, "ReleaseMedia");
    assert_hint(&c, "calibration.release_not_prepared = \"E_IMAPI_DF2TAO_MEDIA_IS_PREPARED\"");
}

#[test]
fn toc_header_length_as_mmc_says() {
    let steps = prepare() + "[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\n[[step]]\ncall = \"get_ExpectedTableOfContents\"\n";
    let (_d, c) = compared(&steps, |cal| cal.toc_length_field = TocLengthField::Mmc);
    assert!(c.differences.iter().all(|d| d.call == "get_ExpectedTableOfContents"), "{:#?}", c.differences);
    assert_hint(&c, "calibration.toc_length_field = \"mmc\"");
}

#[test]
fn free_150_higher_after_a_track() {
    let steps = prepare() + "[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\n[[step]]\ncall = \"get_FreeSectorsOnMedia\"\n";
    let (_d, c) = compared(&steps, |cal| cal.free_after_track = FreeAfterTrack::DllNwa);
    let free = c.differences.iter().find(|d| d.call == "get_FreeSectorsOnMedia").expect("Free differs");
    let (r, s): (i64, i64) = (free.recorded.parse().unwrap(), free.simulated.parse().unwrap());
    assert_eq!(r - s, 150);
    assert_hint(&c, "calibration.free_after_track = \"dll_nwa\"");
}

#[test]
fn is_current_media_supported_an_error_with_no_media() {
    // The default is the DLL's S_OK and FALSE; a drive recorded answering the docs' error.
    let steps = "[media]\nprofile = \"none\"\n[[step]]\ncall = \"put_Recorder\"\nexpect = \"S_OK\"\n[[step]]\ncall = \"IsCurrentMediaSupported\"\n";
    let (_d, c) = compared(steps, |cal| cal.is_current_media_supported_no_media = NoMediaAnswer::Error);
    assert_hint(&c, "calibration.is_current_media_supported_no_media = \"error\"");
}

#[test]
fn short_tracks_not_padded() {
    let steps =
        prepare() + "[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 10 }\n[[step]]\ncall = \"ReleaseMedia\"\n";
    let (_d, c) = compared(&steps, |cal| cal.short_track = ShortTrack::AsWritten);
    assert!(c.differences.iter().any(|d| d.field == "tracks[0].sectors" && d.recorded == "10" && d.simulated == "300"));
    assert_hint(&c, "calibration.short_track = \"as_written\"");
}

#[test]
fn differences_off_the_calibration_points_get_no_hint() {
    // The drive's identity is configured from the transcript, so a changed vendor answer is a
    // plain difference, on no calibration point.
    let steps = "[[step]]\ncall = \"IDiscRecorder2::get_VendorId\"\nexpect = \"S_OK\"\n";
    let (dir, _) = compared(steps, |_| {});
    let t = dir.path().join("lab/case.transcript.toml");
    let text = std::fs::read_to_string(&t).unwrap();
    std::fs::write(&t, text.replacen("value = \"CDRSIM  \"", "value = \"PLEXTOR \"", 1)).unwrap();
    let c = compare::compare_file(&t).unwrap();
    assert_eq!(c.differences.len(), 1, "{:#?}", c.differences);
    assert!(c.hints.is_empty(), "{:?}", c.hints);
    assert!(c.reconciled_by.is_none());
}

#[test]
fn hardware_transcripts_ignore_what_differs_by_nature() {
    let steps = prepare() + "[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 3000 }\n";
    let (dir, c) = compared(&steps, |_| {});
    assert!(c.differences.is_empty(), "{:#?}", c.differences);
    let t = dir.path().join("lab/case.transcript.toml");
    let text = std::fs::read_to_string(&t).unwrap();
    // Real seconds, another number of WRITING events, no digests.
    let real = text
        .replace("elapsed = ", "elapsed = 7")
        .replace("remaining = ", "remaining = 9")
        .lines()
        .filter(|l| !l.starts_with("digest = "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(real.contains("action = \"WRITING\"\ncount = "));
    let real = real.replace("action = \"WRITING\"\ncount = ", "action = \"WRITING\"\ncount = 1");
    std::fs::write(&t, real.replace("backend = \"sim\"", "backend = \"imapi2\"")).unwrap();
    let c = compare::compare_file(&t).unwrap();
    assert!(c.differences.is_empty(), "hardware transcripts: {:#?}", c.differences);
    std::fs::write(&t, real).unwrap();
    let c = compare::compare_file(&t).unwrap();
    let fields: Vec<&str> = c.differences.iter().map(|d| d.field.as_str()).collect();
    assert!(fields.iter().any(|f| f.ends_with("elapsed")), "{fields:?}");
    assert!(fields.iter().any(|f| f.ends_with("digest")), "{fields:?}");
}
