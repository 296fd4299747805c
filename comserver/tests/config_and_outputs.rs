//! The configuration file and the outputs, through the server's Rust objects (the portable
//! part of the DLL): the drive and disc it chooses, the transcript of the calls and the disc
//! file it writes, and the errors a bad file gets.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use cdr_comserver::config::{self, ConfigError};
use cdr_comserver::session::Session;
use cdr_scenario::transcript::Transcript;
use cdr_sim::{Backend, Hresult};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn session(path: &Path) -> std::sync::Arc<Session> {
    Session::new(Some(config::load(path).unwrap())).unwrap()
}

/// What an application does: list, open the drive, name itself, prepare, burn `tracks`
/// tracks of `sectors` sectors, read the free sectors from its Update handler, release.
fn burn(backend: &dyn Backend, tracks: usize, sectors: usize) -> Vec<Result<(), Hresult>> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    /// Reads FreeSectorsOnMedia at the first WRITING event of the first track.
    struct Reader(AtomicBool);
    impl cdr_sim::TaoUpdateSink for Reader {
        fn update(&self, format: &dyn cdr_sim::DiscFormat2TrackAtOnce, p: &cdr_sim::TaoProgress) {
            if p.current_action == cdr_sim::TaoWriteAction::Writing && !self.0.swap(true, Ordering::AcqRel) {
                let _ = format.free_sectors_on_media();
            }
        }
    }
    let id = backend.disc_master().unwrap().item(0).unwrap();
    let recorder = backend.create_recorder().unwrap();
    let format = backend.create_format().unwrap();
    format.advise(Arc::new(Reader(AtomicBool::new(false)))).unwrap();
    let mut results = vec![
        recorder.initialize_disc_recorder(&id),
        format.set_recorder(Some(recorder)),
        format.set_client_name(Some("App")),
        format.prepare_media(),
    ];
    for _ in 0..tracks {
        results.push(format.add_audio_track(&mut Cursor::new(vec![0u8; sectors * 2352])));
    }
    results.push(format.release_media());
    results
}

fn read_transcript(path: &Path) -> Transcript {
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_configured_drive_and_disc_are_what_the_application_sees_and_both_outputs_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "cdr.toml",
        "[drive]\nprofile = \"default\"\nvendor = \"ACME\"\n[drive.calibration]\nshort_track = \"as_written\"\n\n\
         [media]\nprofile = \"cdr74\"\n\n[output]\ntranscript = \"out/app.transcript.toml\"\ndisc = \"out/app.disc.toml\"\n",
    );
    let s = session(&cfg);
    let recorder = s.backend().create_recorder().unwrap();
    recorder.initialize_disc_recorder(&s.backend().disc_master().unwrap().item(0).unwrap()).unwrap();
    assert_eq!(recorder.vendor_id().unwrap().trim(), "ACME");
    drop(recorder);
    let results = burn(s.backend(), 2, 300);
    assert!(results.iter().all(Result::is_ok), "{results:?}");

    // Written at ReleaseMedia.
    let t = read_transcript(&dir.path().join("out/app.transcript.toml"));
    assert_eq!(t.environment.backend, "recording(sim)");
    assert_eq!(t.environment.drive.vendor.trim(), "ACME");
    assert_eq!(t.environment.drive.calibration.short_track, cdr_sim::profile::ShortTrack::AsWritten);
    assert_eq!(t.environment.media.as_ref().unwrap().profile, "cdr74");
    let calls: Vec<&str> = t.steps.iter().filter_map(|s| s.call.as_deref()).collect();
    assert_eq!(
        calls,
        [
            "IDiscRecorder2::InitializeDiscRecorder",
            "IDiscRecorder2::get_VendorId",
            "IDiscRecorder2::InitializeDiscRecorder",
            "put_Recorder",
            "put_ClientName",
            "PrepareMedia",
            "AddAudioTrack",
            "AddAudioTrack",
            "ReleaseMedia"
        ]
    );
    let add = &t.steps[6];
    assert_eq!(add.track.as_deref(), Some("bytes = 705600"));
    assert_eq!(add.during.len(), 1, "the handler's read of FreeSectorsOnMedia");
    assert_eq!(add.during[0].call, "get_FreeSectorsOnMedia");
    assert!(add.during[0].when.starts_with("event "));
    // The second recorder object made is client2's; the first format object is main's.
    assert_eq!((t.steps[1].client.as_str(), t.steps[2].client.as_str()), ("main", "client2"));
    assert_eq!(t.steps[3].client, "main");
    assert_eq!(t.steps[3].args, [cdr_scenario::call::Value::Str("client2".into())]);
    let setup = t.setup.as_ref().unwrap();
    assert_eq!(setup.drive.vendor, "ACME");
    assert_eq!(setup.media.as_ref().unwrap().name, "cdr74");

    let disc = cdr_scenario::durable::load(&dir.path().join("out/app.disc.toml")).unwrap();
    assert_eq!(disc.tracks.len(), 2);
    assert_eq!(disc.tracks[0].sectors, 300);
    let media = t.disc.media.as_ref().unwrap();
    assert_eq!(media.tracks.len(), 2);
    assert!(t.disc_id.is_some(), "a closed session has disc IDs");
}

#[test]
fn the_last_object_released_writes_the_outputs_even_without_release_media() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "cdr.toml", "[output]\ntranscript = \"t.json\"\ndisc = \"d.disc.toml\"\n");
    let s = session(&cfg);
    let lease = s.lease();
    let second = s.lease();
    let format = s.backend().create_format().unwrap();
    assert_eq!(format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED));
    drop(lease);
    assert!(!dir.path().join("t.json").exists(), "an object is still alive");
    drop(second);
    let t: Transcript = serde_json::from_str(&std::fs::read_to_string(dir.path().join("t.json")).unwrap()).unwrap();
    assert_eq!(t.steps.len(), 1);
    assert_eq!(t.steps[0].hresult, "E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED");
    assert!(cdr_scenario::durable::load(&dir.path().join("d.disc.toml")).is_ok());
}

#[test]
fn files_that_exist_are_refused_unless_the_configuration_says_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.toml", "keep me");
    let cfg = write(dir.path(), "cdr.toml", "[output]\ntranscript = \"t.toml\"\n");
    let e = config::load(&cfg).unwrap_err().to_string();
    assert!(e.contains("cdr.toml:2:14") && e.contains("already exists") && e.contains("overwrite = true"), "{e}");
    assert_eq!(std::fs::read_to_string(dir.path().join("t.toml")).unwrap(), "keep me");

    let cfg = write(dir.path(), "cdr2.toml", "[output]\ntranscript = \"t.toml\"\noverwrite = true\n");
    let s = session(&cfg);
    s.write_outputs().unwrap();
    assert!(std::fs::read_to_string(dir.path().join("t.toml")).unwrap().contains("[environment]"));
}

#[test]
fn a_saved_disc_can_be_the_disc_in_the_tray() {
    let dir = tempfile::tempdir().unwrap();
    let saved = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/discs/power-cut.disc.toml");
    let expected = cdr_scenario::durable::load(&saved).unwrap();
    let cfg = write(dir.path(), "cdr.toml", &format!("media = {{ file = {:?} }}\n", saved.display().to_string()));
    let s = session(&cfg);
    let t = s.transcript();
    assert!(t.environment.media.as_ref().unwrap().profile.starts_with("file "));
    assert_eq!(t.setup.as_ref().unwrap().disc.as_ref(), Some(&expected));
    let tracks = t.disc.media.as_ref().unwrap().tracks.len();
    assert_eq!(tracks, expected.tracks.len());
}

#[test]
fn fault_rules_strike_and_are_on_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "cdr.toml",
        "[[fault]]\nkind = \"fail_call\"\ncall = \"PrepareMedia\"\nhresult = \"E_IMAPI_RECORDER_MEDIA_BUSY\"\n",
    );
    let s = session(&cfg);
    let results = burn(s.backend(), 0, 0);
    assert_eq!(results[3], Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY));
    let t = s.transcript();
    assert_eq!(t.environment.backend, "recording(faults(sim))");
    let prepare = t.steps.iter().find(|s| s.call.as_deref() == Some("PrepareMedia")).unwrap();
    assert_eq!(prepare.hresult, "E_IMAPI_RECORDER_MEDIA_BUSY");
    assert_eq!(prepare.faults.len(), 1);
    assert_eq!(t.faults.as_ref().unwrap().rules[0].struck, 1);
    assert_eq!(t.setup.as_ref().unwrap().fault.len(), 1);
}

fn error_of(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "bad.toml", text);
    let e: ConfigError = config::load(&cfg).unwrap_err();
    e.to_string().replace(&dir.path().display().to_string(), "DIR")
}

#[test]
fn bad_configurations_name_the_file_line_and_column() {
    for (text, want) in [
        ("[drive]\nprofile = \"nope\"\n", "bad.toml:2:11: unknown drive profile `nope`"),
        ("[media]\nprofile = \"cdr80\"\nbogus = 3\n", "bad.toml:3:9: media key `bogus`"),
        ("colour = \"blue\"\n", "bad.toml:1:1: unknown field `colour`"),
        ("[output]\ndisc = \"d.toml\"\n", "bad.toml:2:8: the disc file's name ends in .disc.toml"),
        ("[output]\ntranscript = \"t.txt\"\n", "bad.toml:2:14: the transcript file's name ends in .toml or .json"),
        ("[output]\ntranscrip = \"t.toml\"\n", "bad.toml:2:1: unknown field `transcrip`"),
        ("[[fault]]\nkind = \"fail_call\"\ncall = \"PrepareMedai\"\n", "bad.toml:3:8: unknown call `PrepareMedai`"),
        ("media = { file = \"missing.disc.toml\" }\n", "bad.toml:1:9: the saved disc cannot be used"),
        ("[drive\n", "bad.toml:1:7"),
    ] {
        let e = error_of(text);
        assert!(e.contains(want), "{text:?}: {e}");
        assert!(e.starts_with("cdr-comserver configuration DIR/bad.toml:"), "{e}");
    }
    let e = config::load(Path::new("/nonexistent/cdr.toml")).unwrap_err().to_string();
    assert!(e.contains("/nonexistent/cdr.toml") && e.contains(config::ENV), "{e}");
}

#[test]
fn without_a_configuration_the_default_drive_and_a_blank_cd_r() {
    let s = Session::new(None).unwrap();
    let results = burn(s.backend(), 1, 300);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let t = s.transcript();
    assert_eq!(t.environment.drive.profile, "default");
    assert_eq!(t.environment.media.as_ref().unwrap().profile, "cdr80");
    assert!(s.write_outputs().is_ok(), "nothing to write");
}
