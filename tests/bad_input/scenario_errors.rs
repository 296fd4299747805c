//! What the scenario loader refuses, and where it says the fault is.

use std::path::Path;

use cdr_scenario::call::Value;
use cdr_scenario::scenario::{self, Action, Trigger};

fn err(text: &str) -> String {
    scenario::parse(Path::new("s.toml"), text).unwrap_err().to_string()
}

const HEAD: &str = "description = \"d\"\n";

#[test]
fn call_level_checks_name_their_position() {
    let e = err(&format!("{HEAD}[[step]]\ncall = \"get_FreeSectorsOnMedia\"\nargs = [1]\n"));
    assert_eq!(e, "s.toml:4:8: get_FreeSectorsOnMedia takes no arguments, found 1");
    let e = err(&format!("{HEAD}[[step]]\ncall = \"PrepareMedia\"\nvalue = 1\n"));
    assert_eq!(e, "s.toml:4:9: PrepareMedia returns no value: remove `value`");
    let e = err(&format!("{HEAD}[[step]]\ncall = \"PrepareMedia\"\nexpect = \"E_NOPE\"\n"));
    assert!(e.starts_with("s.toml:4:10: `E_NOPE` is not an HRESULT"), "{e}");
    let e = err(&format!("{HEAD}[[step]]\ncall = \"AddAudioTrack\"\n"));
    assert!(e.starts_with("s.toml:3:8: AddAudioTrack needs a `track`"), "{e}");
    let e = err(&format!("{HEAD}[[step]]\ncall = \"AddAudioTrack\"\ntrack = {{ sectors = 1, bytes = 2 }}\n"));
    assert!(e.contains("exactly one of"), "{e}");
    let e = err(&format!("{HEAD}[[step]]\ncall = \"put_Recorder\"\nargs = [\"ghost\"]\n"));
    assert!(e.contains("no client named `ghost`"), "{e}");
    let e = err(&format!("{HEAD}[[step]]\ncall = \"PrepareMedia\"\ninsert = \"cdr74\"\n"));
    assert!(e.contains("either `call` or `insert`"), "{e}");
}

#[test]
fn during_checks() {
    let on_prepare = format!(
        "{HEAD}[[step]]\ncall = \"PrepareMedia\"\n[[step.during]]\nwhen = {{ action = \"WRITING\" }}\ncall = \"CancelAddTrack\"\n"
    );
    assert!(err(&on_prepare).contains("put them on an AddAudioTrack step"));
    let percent = format!(
        "{HEAD}[[step]]\ncall = \"AddAudioTrack\"\ntrack = {{ sectors = 1 }}\n[[step.during]]\nwhen = {{ action = \"FINISHING\", percent = 5 }}\ncall = \"CancelAddTrack\"\n"
    );
    assert!(err(&percent).contains("`percent` goes with action = \"WRITING\" only"));
    let both = format!(
        "{HEAD}[[step]]\ncall = \"AddAudioTrack\"\ntrack = {{ sectors = 1 }}\n[[step.during]]\nwhen = {{ sector = 1, action = \"WRITING\" }}\ncall = \"CancelAddTrack\"\n"
    );
    assert!(err(&both).contains("`when` must be one of"));
    let bad_action = format!(
        "{HEAD}[[step]]\ncall = \"AddAudioTrack\"\ntrack = {{ sectors = 1 }}\n[[step.during]]\nwhen = {{ action = \"WRITE\" }}\ncall = \"CancelAddTrack\"\n"
    );
    let e = err(&bad_action);
    assert!(e.starts_with("s.toml:6:19:") && e.contains("unknown variant `WRITE`"), "{e}");
}

#[test]
fn a_good_scenario_is_typed() {
    let text = format!(
        "{HEAD}seed = 7\n[[step]]\ncall = \"put_ClientName\"\nargs = []\n[[step]]\nclient = \"b\"\ncall = \"IsCurrentMediaSupported\"\nargs = [\"main\"]\nexpect = [\"S_OK\", \"0xC0AA0202\"]\nvalue = true\n[[step]]\ncall = \"AddAudioTrack\"\ntrack = {{ seconds = 2 }}\n[[step.during]]\nwhen = {{ sector = 10 }}\ncall = \"get_CurrentPhysicalMediaType\"\nvalue = 2\n"
    );
    let s = scenario::parse(Path::new("s.toml"), &text).unwrap();
    assert_eq!(s.seed, 7);
    assert_eq!(s.clients, ["main", "b"]);
    let Action::Call(first) = &s.steps[0].action else { panic!() };
    assert!(matches!(first.args[..], [Value::Null]));
    assert_eq!(s.steps[1].expect.hresults.as_ref().unwrap().len(), 2);
    assert_eq!(s.steps[2].during[0].when, Trigger::Sector(10));
    assert_eq!(s.steps[2].during[0].expect.value, Some(Value::Str("IMAPI_MEDIA_TYPE_CDR".into())));
}

#[test]
fn profile_files_and_inline_keys_report_their_own_positions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drives")).unwrap();
    std::fs::write(dir.path().join("drives/x.toml"), "profile = \"default\"\n\n[calibration]\npause_sectors = -5\n")
        .unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, format!("{HEAD}drive = \"drives/x.toml\"\n[[step]]\ncall = \"PrepareMedia\"\n")).unwrap();
    let e = scenario::load(&s).unwrap_err().to_string();
    let file = dir.path().join("drives/x.toml");
    assert!(e.starts_with(&format!("{}:4:17:", file.display())), "{e}");
    assert!(e.contains("calibration.pause_sectors"), "{e}");

    std::fs::write(&s, format!("{HEAD}drive = \"drives/none.toml\"\n[[step]]\ncall = \"PrepareMedia\"\n")).unwrap();
    let e = scenario::load(&s).unwrap_err().to_string();
    assert!(e.contains("cannot read drive profile file") && e.contains("none.toml"), "{e}");

    let e = err(&format!(
        "{HEAD}[media]\nprofile = \"cdr80\"\nlead_out = \"79:60:00\"\n[[step]]\ncall = \"PrepareMedia\"\n"
    ));
    assert!(e.starts_with("s.toml:4:12: media key `lead_out`"), "{e}");
    let e = err(&format!("{HEAD}[media]\nprofile = \"none\"\ntype = \"CD-R\"\n[[step]]\ncall = \"PrepareMedia\"\n"));
    assert!(e.contains("cannot describe an empty tray"), "{e}");
    let e = err(&format!("{HEAD}[media]\nprofile = \"cdr80\"\ncolour = \"gold\"\n[[step]]\ncall = \"PrepareMedia\"\n"));
    assert!(e.starts_with("s.toml:4:10: media key `colour`: unknown field `colour`"), "{e}");
}

#[test]
fn inline_overrides_reach_the_profile() {
    let text = format!(
        "{HEAD}[drive]\nprofile = \"plextor-premium\"\nbuffer_underrun_free = false\n[drive.calibration]\nshort_track = \"as_written\"\n[media]\nlead_out = \"74:00:00\"\n[[step]]\ncall = \"PrepareMedia\"\nexpect = \"S_OK\"\n"
    );
    let s = scenario::parse(Path::new("s.toml"), &text).unwrap();
    assert_eq!(s.drive.profile.vendor, "PLEXTOR");
    assert!(!s.drive.profile.buffer_underrun_free);
    assert_eq!(s.drive.profile.calibration.short_track, cdr_sim::profile::ShortTrack::AsWritten);
    assert_eq!(s.drive.profile.calibration.pause_sectors, 150, "other settings keep the profile's value");
    assert_eq!(s.drive.label, "plextor-premium + inline (buffer_underrun_free, calibration.short_track)");
    assert_eq!(s.media.profile.as_ref().unwrap().lead_out.unwrap().to_string(), "74:00:00");
}

#[test]
fn the_retired_pad_short_tracks_key_is_an_error_naming_short_track() {
    // Spec 2, AddAudioTrack: `short_track` replaced `pad_short_tracks`.
    let e = err(&format!("{HEAD}[drive.calibration]\npad_short_tracks = true\n[[step]]\ncall = \"PrepareMedia\"\n"));
    assert!(e.starts_with("s.toml:"), "{e}");
    assert!(e.contains("`pad_short_tracks` was replaced by `short_track`"), "{e}");
}
