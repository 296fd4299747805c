//! The simulated recorder and disc (placeholder API; see the module files).

use std::sync::Arc;

use crate::contract::{Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2};
use crate::hresult::HrResult;
use crate::profile::{DriveProfile, MediaProfile};
use crate::sink::SectorSink;

/// A simulated recorder with a disc in its tray, and the class factory for its IMAPI2 objects.
pub struct SimBackend {
    _private: (),
}

impl SimBackend {
    /// One drive with `media` in the tray (`None`: empty tray).
    pub fn new(drive: DriveProfile, media: Option<MediaProfile>) -> SimBackend {
        let _ = (drive, media);
        todo!()
    }

    /// Sends every sector written from now on to `sink` as well (`None` stops).
    pub fn set_sector_sink(&self, sink: Option<Box<dyn SectorSink>>) {
        let _ = sink;
        todo!()
    }

    /// Virtual time since the backend was created, in milliseconds.
    pub fn elapsed_ms(&self) -> u64 {
        todo!()
    }
}

impl Backend for SimBackend {
    fn name(&self) -> String {
        "sim".into()
    }
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        todo!()
    }
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        todo!()
    }
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        todo!()
    }
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        let _ = recorder;
        todo!()
    }
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        let _ = (recorder, media);
        todo!()
    }
}
