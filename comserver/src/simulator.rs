//! The simulated drive the server's objects work on, and the loopback requests that replace it
//! or reach past IMAPI2's interfaces (see [`cdr_imapi2::loopback`]).
//!
//! A process has one simulator. A `configure` request replaces it with a fresh drive and disc
//! (as each scenario of a loopback run starts); objects created earlier keep the drive they
//! were made on, as IMAPI2's objects keep theirs.

use std::sync::{Arc, PoisonError, RwLock};

use cdr_imapi2::loopback::{Reply, Request};
use cdr_sim::{
    Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2, HrResult, Hresult, MediaProfile,
    SimBackend, SimulatedDevice,
};

/// The process's simulated drive, replaceable by a `configure` request.
pub struct Simulator {
    current: RwLock<Arc<SimBackend>>,
}

impl Simulator {
    /// Starts with `sim`.
    pub fn new(sim: SimBackend) -> Simulator {
        Simulator { current: RwLock::new(Arc::new(sim)) }
    }

    /// The drive new objects are made on.
    pub fn current(&self) -> Arc<SimBackend> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Carries out `request`. An inconsistent profile is E_INVALIDARG; the simulator's own
    /// failures (a locked tray: E_IMAPI_RECORDER_MEDIA_BUSY) come back unchanged.
    pub fn answer(&self, request: Request) -> HrResult<Reply> {
        if let Request::Configure { drive, media } = request {
            let fresh = SimBackend::try_new(*drive, media).map_err(|_| Hresult::E_INVALIDARG)?;
            *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(fresh);
            return Ok(Reply::Done);
        }
        let sim = self.current();
        let device = sim.simulated().ok_or(Hresult::E_FAIL)?;
        Ok(match request {
            Request::Configure { .. } => unreachable!("handled above"),
            Request::ChangeMedia { media } => {
                sim.change_media(recorder(&sim)?.as_ref(), media.as_ref())?;
                Reply::Done
            }
            Request::ReadBack => Reply::ReadBack(sim.read_back(recorder(&sim)?.as_ref())?),
            Request::ExportDisc => Reply::Disc(device.export_disc()),
            Request::InsertDisc { disc } => {
                device.insert_disc(&disc)?;
                Reply::Done
            }
            Request::ArmDeviceFault { fault } => {
                device.arm_device_fault(fault);
                Reply::Done
            }
            Request::FiredDeviceFaults => Reply::Fired(device.fired_device_faults()),
        })
    }

    /// The disc in the current drive, read through a recorder of its own.
    pub fn read_back_current(&self) -> HrResult<DiscReadBack> {
        let sim = self.current();
        sim.read_back(recorder(&sim)?.as_ref())
    }

    /// [`Simulator::answer`] with the request and the reply as JSON; a request that does not
    /// parse is E_INVALIDARG.
    pub fn answer_json(&self, request: &str) -> HrResult<String> {
        let request: Request = serde_json::from_str(request).map_err(|_| Hresult::E_INVALIDARG)?;
        let reply = self.answer(request)?;
        serde_json::to_string(&reply).map_err(|_| Hresult::E_FAIL)
    }
}

/// The current drive is the backend: each member is the current simulator's.
impl Backend for Simulator {
    fn name(&self) -> String {
        self.current().name()
    }
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        self.current().disc_master()
    }
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        self.current().create_recorder()
    }
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        self.current().create_format()
    }
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        self.current().read_back(recorder)
    }
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        self.current().change_media(recorder, media)
    }
    fn simulated(&self) -> Option<Arc<dyn SimulatedDevice>> {
        self.current().simulated()
    }
}

/// A recorder object on the drive, initialised, for the requests that name one.
fn recorder(sim: &SimBackend) -> HrResult<Arc<dyn DiscRecorder2>> {
    let r = sim.create_recorder()?;
    r.initialize_disc_recorder(sim.unique_id())?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_sim::profile::{drive_by_name, media_by_name};
    use cdr_sim::{DiscState, PhysicalMediaType};

    fn sim() -> Simulator {
        Simulator::new(SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80")))
    }

    fn read_back(s: &Simulator) -> cdr_sim::DiscReadBack {
        match s.answer(Request::ReadBack).unwrap() {
            Reply::ReadBack(rb) => rb,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn configure_gives_new_objects_a_fresh_drive_and_disc() {
        let s = sim();
        let before = s.current();
        assert_eq!(read_back(&s).media.unwrap().status, DiscState::Blank);
        let drive = drive_by_name("default").unwrap();
        s.answer(Request::Configure { drive: Box::new(drive), media: None }).unwrap();
        assert!(!Arc::ptr_eq(&before, &s.current()));
        assert_eq!(read_back(&s).media, None);
    }

    #[test]
    fn change_media_export_and_insert_reach_the_drive() {
        let s = sim();
        let blank80 = read_back(&s).media.unwrap();
        s.answer(Request::ChangeMedia { media: media_by_name("cdr74") }).unwrap();
        let rb = read_back(&s).media.unwrap();
        assert_eq!(rb.media_type, PhysicalMediaType::CdR);
        assert!(rb.last_possible_lead_out < blank80.last_possible_lead_out);
        let Reply::Disc(Some(disc)) = s.answer(Request::ExportDisc).unwrap() else { panic!("no disc") };
        s.answer(Request::ChangeMedia { media: None }).unwrap();
        assert_eq!(read_back(&s).media, None);
        s.answer(Request::InsertDisc { disc }).unwrap();
        assert_eq!(read_back(&s).media.unwrap(), rb);
        assert_eq!(s.answer(Request::FiredDeviceFaults).unwrap(), Reply::Fired(Vec::new()));
    }

    #[test]
    fn bad_requests_are_invalid_arguments_not_panics() {
        let s = sim();
        assert_eq!(s.answer_json("{\"op\":\"nothing\"}"), Err(Hresult::E_INVALIDARG));
        assert_eq!(s.answer_json("not json"), Err(Hresult::E_INVALIDARG));
        let text = s.answer_json("{\"op\":\"read_back\"}").unwrap();
        assert!(text.starts_with("{\"read_back\":"), "{text}");
    }
}
