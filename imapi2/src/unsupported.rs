//! [`Imapi2Backend`] on platforms without IMAPI2: it cannot be opened, so no value of it exists,
//! and code that names it compiles everywhere without `cfg`.

use std::convert::Infallible;
use std::sync::Arc;

use cdr_sim::{Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2, HrResult, MediaProfile};

use crate::error::Imapi2Error;
use crate::selector::{RecorderInfo, RecorderSelector};

/// The IMAPI2 backend. This build is not for Windows: [`Imapi2Backend::open`] always fails with
/// [`Imapi2Error::NeedsWindows`].
pub struct Imapi2Backend {
    never: Infallible,
}

impl Imapi2Backend {
    /// Fails: IMAPI2 exists only on Windows.
    pub fn open() -> Result<Imapi2Backend, Imapi2Error> {
        Err(Imapi2Error::NeedsWindows { os: std::env::consts::OS })
    }

    /// The recorders IMAPI2 lists (unreachable here: no backend can be opened).
    pub fn recorders(&self) -> Result<Vec<RecorderInfo>, Imapi2Error> {
        match self.never {}
    }

    /// True on the simulator's COM server (unreachable here).
    pub fn is_simulator(&self) -> bool {
        match self.never {}
    }

    /// A fresh simulated drive on the simulator's COM server (unreachable here).
    pub fn configure_simulator(
        &self,
        drive: &cdr_sim::DriveProfile,
        media: Option<&MediaProfile>,
    ) -> Result<(), Imapi2Error> {
        let _ = (drive, media);
        match self.never {}
    }

    /// The recorder `selector` names, initialised (unreachable here).
    pub fn select_recorder(&self, selector: &RecorderSelector) -> Result<Arc<dyn DiscRecorder2>, Imapi2Error> {
        let _ = selector;
        match self.never {}
    }
}

impl Backend for Imapi2Backend {
    fn name(&self) -> String {
        match self.never {}
    }
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        match self.never {}
    }
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        match self.never {}
    }
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        match self.never {}
    }
    fn read_back(&self, _: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        match self.never {}
    }
    fn change_media(&self, _: &dyn DiscRecorder2, _: Option<&MediaProfile>) -> HrResult<()> {
        match self.never {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_fails_with_a_clear_message() {
        let err = Imapi2Backend::open().err().expect("IMAPI2 cannot open off Windows");
        assert!(err.is_unsupported_platform());
        let msg = err.to_string();
        assert!(msg.starts_with("the IMAPI2 backend needs Windows"), "{msg}");
        assert!(msg.contains(std::env::consts::OS), "{msg}");
    }
}
