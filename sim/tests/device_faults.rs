//! Device faults on the simulator (`SimulatedDevice`): what each leaves on the disc, what
//! AddAudioTrack answers, and the disc as data (export and insert).

use std::sync::{Arc, Mutex};

use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{
    Backend, DeviceFault, DeviceFaultKind, DeviceFaultOutcome, DiscFormat2TrackAtOnce, DiscRecorder2, DiscState,
    Hresult, MediaReadBack, SessionState, SimBackend, SimulatedDevice, TaoProgress, TaoWriteAction,
    DEVICE_NOT_CONNECTED,
};

struct Rig {
    sim: SimBackend,
    device: Arc<dyn SimulatedDevice>,
    recorder: Arc<dyn DiscRecorder2>,
    format: Arc<dyn DiscFormat2TrackAtOnce>,
    actions: Arc<Mutex<Vec<TaoWriteAction>>>,
}

impl Rig {
    fn new(drive: &str) -> Rig {
        let sim = SimBackend::new(drive_by_name(drive).unwrap(), media_by_name("cdr80"));
        let recorder = sim.create_recorder().unwrap();
        recorder.initialize_disc_recorder(sim.unique_id()).unwrap();
        let format = sim.create_format().unwrap();
        format.set_recorder(Some(recorder.clone())).unwrap();
        format.set_client_name(Some("Faults")).unwrap();
        let actions = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&actions);
        format
            .advise(Arc::new(move |_: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress| {
                seen.lock().unwrap().push(p.current_action);
            }))
            .unwrap();
        let device = sim.simulated().expect("the simulator is a simulated device");
        Rig { sim, device, recorder, format, actions }
    }

    fn arm(&self, track: u32, sector: u64, kind: DeviceFaultKind) {
        self.device.arm_device_fault(DeviceFault { track, sector, kind });
    }

    fn add(&self, sectors: u64) -> Result<(), Hresult> {
        self.actions.lock().unwrap().clear();
        self.format.add_audio_track(&mut SyntheticPcm::sectors(7, sectors))
    }

    fn disc(&self) -> Option<MediaReadBack> {
        self.sim.read_back(self.recorder.as_ref()).unwrap().media
    }

    fn saw(&self, action: TaoWriteAction) -> bool {
        self.actions.lock().unwrap().contains(&action)
    }
}

const UNDERRUN: DeviceFaultKind = DeviceFaultKind::Underrun { stall_ms: 2_000 };

#[test]
fn an_underrun_without_protection_cuts_the_track_damaged_and_leaves_the_session_open() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.format.set_buffer_underrun_free_disabled(true).unwrap();
    rig.arm(1, 1_000, UNDERRUN);
    assert_eq!(rig.add(3_000), Err(Hresult::E_IMAPI_LOSS_OF_STREAMING));
    assert!(!rig.saw(TaoWriteAction::Finishing), "a cut track is not closed");
    // The object stays prepared; a failed track leaves the cache as it was (spec 2).
    assert_eq!(rig.format.number_of_existing_tracks(), Ok(0));
    let disc = rig.disc().unwrap();
    assert_eq!((disc.tracks[0].sectors, disc.tracks[0].damaged), (1_000, true));
    assert_eq!(disc.last_session_state, SessionState::Incomplete);
    let fired = rig.device.fired_device_faults();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].outcome, DeviceFaultOutcome::TrackCut { hresult: Hresult::E_IMAPI_LOSS_OF_STREAMING });
}

#[test]
fn a_drive_without_protection_underruns_whatever_the_property_says() {
    let rig = Rig::new("slow-no-burnproof");
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.format.buffer_underrun_free_disabled(), Ok(false));
    rig.arm(1, 500, UNDERRUN);
    assert_eq!(rig.add(1_000), Err(Hresult::E_IMAPI_LOSS_OF_STREAMING));
    assert_eq!(rig.disc().unwrap().tracks[0].sectors, 500);
}

#[test]
fn with_protection_an_underrun_slows_the_write_and_it_succeeds() {
    let elapsed = |fault: bool| {
        let rig = Rig::new("default");
        rig.format.prepare_media().unwrap();
        if fault {
            rig.arm(1, 1_000, UNDERRUN);
        }
        let before = rig.sim.elapsed_ms();
        rig.add(3_000).unwrap();
        let disc = rig.disc().unwrap();
        assert_eq!((disc.tracks[0].sectors, disc.tracks[0].damaged), (3_000, false));
        assert!(rig.saw(TaoWriteAction::Finishing));
        (rig.sim.elapsed_ms() - before, rig.device.fired_device_faults())
    };
    let (plain, none) = elapsed(false);
    let (slowed, fired) = elapsed(true);
    assert!(none.is_empty());
    let DeviceFaultOutcome::Resumed { delay_ms } = fired[0].outcome else { panic!("{fired:?}") };
    assert!(delay_ms >= 2_000);
    assert_eq!(slowed, plain + delay_ms);
}

#[test]
fn a_pulled_disc_leaves_the_tray_open_and_comes_back_with_the_cut_track() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.arm(1, 700, DeviceFaultKind::MediaRemoved);
    assert_eq!(rig.add(2_000), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
    assert_eq!(rig.disc(), None, "the disc is out of the drive's reach");
    assert_eq!(rig.format.current_physical_media_type(), Err(Hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA));
    rig.recorder.close_tray().unwrap();
    let disc = rig.disc().unwrap();
    assert_eq!((disc.tracks[0].sectors, disc.tracks[0].damaged), (700, true));
    assert_eq!(disc.status, DiscState::Appendable);
}

#[test]
fn after_a_power_cut_the_drive_writes_nothing_more_and_forgets_its_locks() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.add(400).unwrap();
    rig.arm(2, 100, DeviceFaultKind::PowerLoss);
    assert_eq!(rig.add(1_000), Err(DEVICE_NOT_CONNECTED));
    assert_eq!(rig.recorder.exclusive_access_owner(), Ok(String::new()));
    assert_eq!(rig.add(1_000), Err(DEVICE_NOT_CONNECTED));
    rig.format.release_media().unwrap();
    let disc = rig.disc().unwrap();
    assert_eq!(disc.tracks.len(), 2);
    assert_eq!((disc.tracks[1].sectors, disc.tracks[1].damaged), (100, true));
    assert_eq!(disc.last_session_state, SessionState::Incomplete, "no lead-out was written");
    assert_eq!(disc.lead_out, None);
    assert_eq!(rig.format.prepare_media(), Err(DEVICE_NOT_CONNECTED));
}

#[test]
fn a_fault_before_the_first_sector_writes_nothing_at_all() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.arm(1, 0, DeviceFaultKind::PowerLoss);
    assert_eq!(rig.add(1_000), Err(DEVICE_NOT_CONNECTED));
    let disc = rig.disc().unwrap();
    assert!(disc.tracks.is_empty());
    assert_eq!(disc.status, DiscState::Blank);
}

#[test]
fn a_fault_strikes_only_its_track_and_waits_while_its_sector_is_not_reached() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.format.set_buffer_underrun_free_disabled(true).unwrap();
    rig.arm(2, 5_000, UNDERRUN);
    rig.add(6_000).unwrap();
    rig.add(1_000).unwrap();
    assert!(rig.device.fired_device_faults().is_empty(), "track 2 ended before sector 5000");
    let disc = rig.disc().unwrap();
    assert!(disc.tracks.iter().all(|t| !t.damaged));
}

#[test]
fn a_fault_at_the_last_sector_strikes_before_the_track_closes() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.arm(1, 600, DeviceFaultKind::PowerLoss);
    assert_eq!(rig.add(600), Err(DEVICE_NOT_CONNECTED));
    assert!(!rig.saw(TaoWriteAction::Finishing));
    let disc = rig.disc().unwrap();
    assert_eq!((disc.tracks[0].sectors, disc.tracks[0].damaged), (600, true));
}

#[test]
fn an_exported_disc_inserted_in_another_drive_reads_back_the_same() {
    let rig = Rig::new("default");
    rig.format.prepare_media().unwrap();
    rig.add(900).unwrap();
    rig.format.set_buffer_underrun_free_disabled(true).unwrap();
    rig.arm(2, 300, UNDERRUN);
    assert_eq!(rig.add(900), Err(Hresult::E_IMAPI_LOSS_OF_STREAMING));
    rig.format.release_media().unwrap();
    let burned = rig.disc().unwrap();
    let snapshot = rig.device.export_disc().unwrap();

    let other = Rig::new("plextor-premium");
    other.device.insert_disc(&snapshot).unwrap();
    assert_eq!(other.disc().unwrap(), burned);
    assert_eq!(other.device.export_disc().unwrap(), snapshot);
    assert_eq!(other.format.prepare_media(), Err(Hresult::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK));
}

#[test]
fn inserting_a_disc_is_refused_while_a_session_locks_the_tray_or_when_it_cannot_exist() {
    let rig = Rig::new("default");
    let snapshot = rig.device.export_disc().unwrap();
    rig.format.prepare_media().unwrap();
    assert_eq!(rig.device.insert_disc(&snapshot), Err(Hresult::E_IMAPI_RECORDER_MEDIA_BUSY));
    rig.format.release_media().unwrap();
    let mut impossible = snapshot.clone();
    impossible.last_possible_lead_out = -1;
    assert_eq!(rig.device.insert_disc(&impossible), Err(Hresult::E_INVALIDARG));
    rig.device.insert_disc(&snapshot).unwrap();
}
