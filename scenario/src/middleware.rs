//! What the middlewares around a backend ([`crate::faults::FaultInjector`],
//! [`crate::recording::Recording`]) share: the Update sink that hands the client's handler the
//! wrapper instead of the inner object, and the members of [`cdr_sim::Backend`] that are not
//! IMAPI2 calls and pass straight through.

use std::sync::{Arc, Weak};

use cdr_sim::{DiscFormat2TrackAtOnce, TaoProgress, TaoUpdateSink};

/// Hands Update events to the client's sink with the wrapper `W` as the format object, so
/// that calls made from the handler pass through the middleware too (or the inner object, once
/// the wrapper is gone).
pub(crate) struct OuterSink<W> {
    /// The client's sink.
    pub sink: Arc<dyn TaoUpdateSink>,
    /// The wrapper the inner format object belongs to.
    pub outer: Weak<W>,
}

impl<W: DiscFormat2TrackAtOnce + 'static> TaoUpdateSink for OuterSink<W> {
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        match self.outer.upgrade() {
            Some(outer) => self.sink.update(outer.as_ref(), progress),
            None => self.sink.update(format, progress),
        }
    }
}

/// The members of [`cdr_sim::Backend`] that are not IMAPI2 calls (reading the disc back,
/// changing the media, the simulated device), passed straight to `self.inner`, for a
/// middleware's `impl Backend`.
macro_rules! pass_through_device_members {
    () => {
        /// Not an IMAPI2 call: passes straight through.
        fn read_back(&self, recorder: &dyn cdr_sim::DiscRecorder2) -> cdr_sim::HrResult<cdr_sim::DiscReadBack> {
            self.inner.read_back(recorder)
        }

        fn change_media(
            &self,
            recorder: &dyn cdr_sim::DiscRecorder2,
            media: Option<&cdr_sim::MediaProfile>,
        ) -> cdr_sim::HrResult<()> {
            self.inner.change_media(recorder, media)
        }

        fn simulated(&self) -> Option<std::sync::Arc<dyn cdr_sim::SimulatedDevice>> {
            self.inner.simulated()
        }
    };
}
pub(crate) use pass_through_device_members;
