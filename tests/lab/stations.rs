//! The recording station on a shared recorder (the simulator standing in for a real one): the
//! disc is checked before each scenario, the operator is asked for the right one, burns need
//! `--yes`, and whatever does not run is skipped with its reason.

use std::path::Path;
use std::sync::Arc;

use cdr_lab::operator::{NoOperator, Operator, Reply, Scripted};
use cdr_lab::record::{Outcome, Recording, Settings, Station};
use cdr_scenario::scenario::{self, Scenario};
use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::{Backend, DiscRecorder2, MediaProfile, SimBackend};

fn scenario(steps: &str) -> Scenario {
    scenario::parse(Path::new("station.toml"), &format!("description = \"station\"\n{steps}")).unwrap()
}

const READS: &str = "[[step]]\ncall = \"put_Recorder\"\n[[step]]\ncall = \"get_CurrentPhysicalMediaType\"\nexpect = \"S_OK\"\nvalue = \"IMAPI_MEDIA_TYPE_CDR\"\n";
const BURN: &str = "[[step]]\ncall = \"put_Recorder\"\n[[step]]\ncall = \"put_ClientName\"\nargs = [\"Lab\"]\n[[step]]\ncall = \"PrepareMedia\"\n[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\nexpect = \"S_OK\"\n[[step]]\ncall = \"ReleaseMedia\"\n";

/// A shared simulated recorder with `media` in its tray.
fn shared(media: &str) -> (Arc<SimBackend>, Station) {
    let sim = Arc::new(SimBackend::new(drive_by_name("default").unwrap(), media_by_name(media)));
    let id = sim.unique_id().to_string();
    let station = Station::Shared { backend: sim.clone(), unique_id: id, label: "E:".into() };
    (sim, station)
}

/// An operator who puts `disc` in the tray whenever asked.
struct Robot {
    sim: Arc<SimBackend>,
    recorder: Arc<dyn DiscRecorder2>,
    disc: MediaProfile,
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Robot {
    fn new(sim: &Arc<SimBackend>, disc: &str) -> (Robot, Arc<std::sync::Mutex<Vec<String>>>) {
        let recorder = sim.create_recorder().unwrap();
        recorder.initialize_disc_recorder(sim.unique_id()).unwrap();
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let robot = Robot { sim: sim.clone(), recorder, disc: media_by_name(disc).unwrap(), log: log.clone() };
        (robot, log)
    }
}

impl Operator for Robot {
    fn ask(&mut self, request: &str) -> Reply {
        self.log.lock().unwrap().push(request.to_string());
        self.sim.change_media(self.recorder.as_ref(), Some(&self.disc)).unwrap();
        Reply::Ready
    }
    fn tell(&mut self, message: &str) {
        self.log.lock().unwrap().push(message.to_string());
    }
}

fn settings(yes: bool) -> Settings {
    Settings { yes, ..Settings::default() }
}

#[test]
fn the_wrong_disc_is_skipped_without_an_operator() {
    let (_sim, station) = shared("cdr74");
    let mut rec = Recording::new(station, settings(false), Box::new(NoOperator));
    match rec.record(&scenario(READS), None).unwrap() {
        Outcome::Skipped(why) => {
            assert!(why.contains("blank CD-R with ATIP lead-out 79:59:72"), "{why}");
            assert!(why.contains("ATIP lead-out is 74:43:00"), "{why}");
        }
        Outcome::Recorded(_) => panic!("a scenario on the wrong disc is never recorded"),
    }
}

#[test]
fn the_operator_is_asked_for_the_right_disc() {
    let (sim, station) = shared("cdr74");
    let (robot, log) = Robot::new(&sim, "cdr80");
    let mut rec = Recording::new(station, settings(false), Box::new(robot));
    let Outcome::Recorded(t) = rec.record(&scenario(READS), None).unwrap() else {
        panic!("recorded once the disc is right")
    };
    assert!(t.passed, "{:?}", t.failures);
    assert_eq!(t.environment.media.as_ref().unwrap().lead_out.unwrap().to_string(), "79:59:72");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(log[0].starts_with("Put a blank CD-R with ATIP lead-out 79:59:72"), "{}", log[0]);
    assert!(log[0].contains("into recorder E:"), "{}", log[0]);
}

#[test]
fn burns_need_yes_on_a_real_recorder() {
    let (sim, station) = shared("cdr80");
    let (robot, log) = Robot::new(&sim, "cdr80");
    let mut rec = Recording::new(station.clone(), settings(false), Box::new(robot));
    match rec.record(&scenario(BURN), None).unwrap() {
        Outcome::Skipped(why) => assert!(why.contains("pass --yes"), "{why}"),
        Outcome::Recorded(_) => panic!("no burn without --yes"),
    }
    // Even an AddAudioTrack expected to fail may burn on a real drive.
    let refused = "[[step]]\ncall = \"AddAudioTrack\"\ntrack = { sectors = 300 }\nexpect = \"E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED\"\n";
    assert!(matches!(rec.record(&scenario(refused), None).unwrap(), Outcome::Skipped(_)));

    let (robot, log2) = Robot::new(&sim, "cdr80");
    let mut rec = Recording::new(station, settings(true), Box::new(robot));
    let Outcome::Recorded(t) = rec.record(&scenario(BURN), None).unwrap() else { panic!("--yes records the burn") };
    assert!(t.passed, "{:?}", t.failures);
    assert!(log2.lock().unwrap().iter().any(|m| m.contains("burns the disc in E:")), "the burn is announced");
    assert_eq!(t.disc.media.as_ref().unwrap().tracks.len(), 1);
    // The disc is used now: the next scenario needs a fresh blank, and the operator is asked.
    let Outcome::Recorded(_) = rec.record(&scenario(BURN), None).unwrap() else { panic!("a fresh blank was put in") };
    assert!(log2.lock().unwrap().iter().any(|m| m.contains("the disc is complete, not blank")));
    assert!(log.lock().unwrap().is_empty(), "the first operator was never asked");
}

#[test]
fn disc_changes_need_an_operator_and_quit_stops() {
    let (_sim, station) = shared("cdr80");
    let insert = "[[step]]\ninsert = \"cdr74\"\nexpect = \"S_OK\"\n";
    let mut rec = Recording::new(station.clone(), settings(false), Box::new(NoOperator));
    match rec.record(&scenario(insert), None).unwrap() {
        Outcome::Skipped(why) => assert!(why.contains("needs an operator"), "{why}"),
        Outcome::Recorded(_) => panic!("insert steps need a person"),
    }
    let (_sim, station) = shared("cdr74");
    let mut rec = Recording::new(station, settings(false), Box::new(Scripted::new([Reply::Quit])));
    assert!(matches!(rec.record(&scenario(READS), None).unwrap(), Outcome::Skipped(_)));
    assert!(rec.stopped());
    match rec.record(&scenario(READS), None).unwrap() {
        Outcome::Skipped(why) => assert!(why.contains("stopped"), "{why}"),
        Outcome::Recorded(_) => panic!("nothing runs after q"),
    }
}

#[test]
fn the_simulator_station_needs_no_yes_and_no_operator() {
    let mut rec = Recording::new(Station::Sim, settings(false), Box::new(NoOperator));
    let Outcome::Recorded(t) = rec.record(&scenario(BURN), None).unwrap() else { panic!("the simulator burns freely") };
    assert_eq!(t.environment.backend, "sim");
    assert!(t.environment.os.as_deref().is_some_and(|o| !o.is_empty()));
}
