//! The class factory of a backend: how a client gets its COM objects.

use std::sync::Arc;

use super::format::DiscFormat2TrackAtOnce;
use super::master::DiscMaster2;
use super::readback::DiscReadBack;
use super::recorder::DiscRecorder2;
use super::simulated::SimulatedDevice;
use crate::hresult::HrResult;
use crate::profile::MediaProfile;

/// A provider of the IMAPI2 objects: `CoCreateInstance` of `MsftDiscMaster2`,
/// `MsftDiscRecorder2` and `MsftDiscFormat2TrackAtOnce`, plus the two things a conformance run
/// needs beyond IMAPI2: reading the disc back, and changing the disc in the tray.
pub trait Backend: Send + Sync {
    /// A short name for transcripts: `sim`, `imapi2`, or a middleware's name around its inner one.
    fn name(&self) -> String;
    /// A new `MsftDiscMaster2`.
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>>;
    /// A new, uninitialised `MsftDiscRecorder2` (call `initialize_disc_recorder`).
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>>;
    /// A new `MsftDiscFormat2TrackAtOnce` with no recorder.
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>>;
    /// The disc in `recorder`'s tray as the drive reports it.
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack>;
    /// Puts another disc (or none) in `recorder`'s tray: the simulator swaps it, a real backend
    /// asks the operator. Fails while the tray is locked by a prepared session.
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()>;
    /// A handle on the controls only a simulated device has (device faults, the disc as data);
    /// `None`, the default, for a real drive. Middleware answers with its inner backend's.
    fn simulated(&self) -> Option<Arc<dyn SimulatedDevice>> {
        None
    }
}

/// Implements [`Backend`] for a pointer to one by forwarding every member.
macro_rules! forward_backend {
    ($(#[$doc:meta])* $ptr:ty) => {
        $(#[$doc])*
        impl<B: Backend + ?Sized> Backend for $ptr {
            fn name(&self) -> String {
                (**self).name()
            }
            fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
                (**self).disc_master()
            }
            fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
                (**self).create_recorder()
            }
            fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
                (**self).create_format()
            }
            fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
                (**self).read_back(recorder)
            }
            fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
                (**self).change_media(recorder, media)
            }
            fn simulated(&self) -> Option<Arc<dyn SimulatedDevice>> {
                (**self).simulated()
            }
        }
    };
}

forward_backend!(
    /// A borrowed backend is a backend, so middleware can wrap one the caller keeps using.
    &B
);
forward_backend!(
    /// A boxed backend is a backend, so middleware can wrap whichever one a run chose.
    Box<B>
);
forward_backend!(
    /// A shared backend is a backend, so middleware can wrap one that others also hold.
    Arc<B>
);
