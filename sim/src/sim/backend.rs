//! `SimBackend`: one simulated drive, and the class factory for its IMAPI2 objects.

use std::sync::Arc;

use super::disc::Disc;
use super::drive::Drive;
use super::format::SimFormat;
use super::master::SimMaster;
use super::recorder::SimRecorder;
use crate::contract::{
    Backend, DeviceFault, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2, DiscSnapshot,
    FiredDeviceFault, SimulatedDevice,
};
use crate::hresult::{HrResult, Hresult};
use crate::profile::{DriveProfile, MediaProfile};
use crate::sink::SectorSink;

/// A simulated recorder with a disc in its tray, and the class factory for its IMAPI2 objects.
///
/// One backend is one device: DiscMaster2 lists it alone, under
/// [`DriveProfile::unique_id`], and every recorder object initialised with that id shares it.
///
/// ```
/// use std::io::Cursor;
/// use cdr_sim::profile::{drive_by_name, media_by_name};
/// use cdr_sim::{Backend, DiscState, SimBackend};
///
/// let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
/// let id = sim.disc_master().unwrap().item(0).unwrap();
/// let recorder = sim.create_recorder().unwrap();
/// recorder.initialize_disc_recorder(&id).unwrap();
/// let format = sim.create_format().unwrap();
/// format.set_recorder(Some(recorder.clone())).unwrap();
/// format.set_client_name(Some("Example")).unwrap();
/// format.prepare_media().unwrap();
/// assert_eq!(format.free_sectors_on_media().unwrap(), 359_845);
/// format.add_audio_track(&mut Cursor::new(vec![0u8; 300 * 2352])).unwrap();
/// format.release_media().unwrap();
/// let disc = sim.read_back(recorder.as_ref()).unwrap().media.unwrap();
/// assert_eq!(disc.status, DiscState::Complete);
/// assert_eq!(disc.lead_out, Some(302));
/// ```
pub struct SimBackend {
    drive: Arc<Drive>,
}

impl SimBackend {
    /// One drive with `media` in the tray (`None`: empty tray).
    ///
    /// # Panics
    /// When a profile is inconsistent ([`DriveProfile::validate`], [`MediaProfile::validate`]).
    /// The built-in profiles never are; profiles from user input go through
    /// [`SimBackend::try_new`], which reports the problem instead.
    pub fn new(drive: DriveProfile, media: Option<MediaProfile>) -> SimBackend {
        match SimBackend::try_new(drive, media) {
            Ok(sim) => sim,
            Err(message) => panic!("{message} (use SimBackend::try_new for profiles from user input)"),
        }
    }

    /// As [`SimBackend::new`], with a message naming what is wrong with an inconsistent profile.
    pub fn try_new(drive: DriveProfile, media: Option<MediaProfile>) -> Result<SimBackend, String> {
        drive.validate()?;
        if let Some(m) = &media {
            m.validate()?;
        }
        Ok(SimBackend { drive: Arc::new(Drive::new(drive, media.as_ref())) })
    }

    /// Sends every sector written from now on to `sink` as well (`None` stops).
    pub fn set_sector_sink(&self, sink: Option<Box<dyn SectorSink>>) {
        *super::sync::lock(self.drive.sector_sink()) = sink;
    }

    /// Virtual time since the backend was created, in milliseconds.
    pub fn elapsed_ms(&self) -> u64 {
        self.drive.clock().now_ms()
    }

    /// The drive profile.
    pub fn drive_profile(&self) -> &DriveProfile {
        self.drive.profile()
    }

    /// The unique id of the drive (what DiscMaster2 lists).
    pub fn unique_id(&self) -> &str {
        self.drive.unique_id()
    }

    /// The drive behind a recorder object of this simulator.
    fn drive_of<'a>(&self, recorder: &'a dyn DiscRecorder2) -> HrResult<&'a Arc<Drive>> {
        SimRecorder::of(recorder).ok_or(Hresult::E_INVALIDARG)?.drive()
    }
}

impl Backend for SimBackend {
    fn name(&self) -> String {
        "sim".into()
    }

    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        Ok(Arc::new(SimMaster { unique_id: self.drive.unique_id().to_string() }))
    }

    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        Ok(Arc::new(SimRecorder::new(Arc::clone(&self.drive))))
    }

    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        Ok(Arc::new(SimFormat::new(Arc::clone(&self.drive))))
    }

    /// The disc as the drive reports it; `media` is `None` for an empty or open tray. A recorder
    /// that is not this simulator's gives E_INVALIDARG, one not initialised
    /// E_IMAPI_RECORDER_REQUIRED.
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        let drive = self.drive_of(recorder)?;
        let state = drive.state();
        Ok(DiscReadBack { media: state.disc().ok().map(|d| d.read_back()) })
    }

    /// Swaps the disc (or empties the tray) and leaves the tray closed; while a prepared session
    /// locks the tray, E_IMAPI_RECORDER_MEDIA_BUSY. An inconsistent profile is E_INVALIDARG.
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        let drive = self.drive_of(recorder)?;
        if let Some(m) = media {
            m.validate().map_err(|_| Hresult::E_INVALIDARG)?;
        }
        drive.swap_disc(media.map(|m| drive.new_disc(m)))
    }

    fn simulated(&self) -> Option<Arc<dyn SimulatedDevice>> {
        // Another handle on the same device.
        Some(Arc::new(SimBackend { drive: Arc::clone(&self.drive) }))
    }
}

/// Device faults and the disc as data: see [`SimulatedDevice`] and, for what each fault does,
/// [`DeviceFaultKind`](crate::contract::DeviceFaultKind).
///
/// ```
/// use std::io::Cursor;
/// use cdr_sim::profile::{drive_by_name, media_by_name};
/// use cdr_sim::{Backend, DeviceFault, DeviceFaultKind, Hresult, SimBackend};
///
/// let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
/// let recorder = sim.create_recorder().unwrap();
/// recorder.initialize_disc_recorder(sim.unique_id()).unwrap();
/// let format = sim.create_format().unwrap();
/// format.set_recorder(Some(recorder.clone())).unwrap();
/// format.set_client_name(Some("Example")).unwrap();
/// format.prepare_media().unwrap();
/// format.set_buffer_underrun_free_disabled(true).unwrap();
/// let device = sim.simulated().unwrap();
/// device.arm_device_fault(DeviceFault { track: 1, sector: 1_000, kind: DeviceFaultKind::Underrun { stall_ms: 2_000 } });
/// let result = format.add_audio_track(&mut Cursor::new(vec![0u8; 3_000 * 2352]));
/// assert_eq!(result, Err(Hresult::E_IMAPI_LOSS_OF_STREAMING));
/// let disc = device.export_disc().unwrap();
/// assert_eq!((disc.tracks[0].sectors, disc.tracks[0].damaged), (1_000, true));
/// ```
impl SimulatedDevice for SimBackend {
    fn arm_device_fault(&self, fault: DeviceFault) {
        self.drive.faults().arm(fault);
    }

    fn fired_device_faults(&self) -> Vec<FiredDeviceFault> {
        self.drive.faults().fired()
    }

    fn export_disc(&self) -> Option<DiscSnapshot> {
        self.drive.state().disc.as_ref().map(Disc::snapshot)
    }

    fn insert_disc(&self, disc: &DiscSnapshot) -> HrResult<()> {
        let disc = Disc::from_snapshot(disc).map_err(|_| Hresult::E_INVALIDARG)?;
        self.drive.swap_disc(Some(disc))
    }
}
