//! The system under test: what makes a fresh backend for each case.

use cdr_sim::{Backend, DriveProfile, MediaProfile, SimBackend};

/// A maker of backends: one fresh backend per case, with this drive and this disc in the tray.
pub trait Sut: Send + Sync {
    /// A short name for reports (`sim`, or a mutant's name).
    fn name(&self) -> String;
    /// A new backend.
    fn backend(&self, drive: &DriveProfile, media: Option<&MediaProfile>) -> Box<dyn Backend>;
}

/// The simulator, [`SimBackend`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Simulator;

impl Sut for Simulator {
    fn name(&self) -> String {
        "sim".into()
    }

    fn backend(&self, drive: &DriveProfile, media: Option<&MediaProfile>) -> Box<dyn Backend> {
        Box::new(SimBackend::new(drive.clone(), media.cloned()))
    }
}
