//! [`Imapi2Backend`]: the class factory over the real COM objects, recorder selection, and the
//! two conformance extras (`read_back`, `change_media`).

use std::sync::Arc;

use cdr_sim::{
    Backend, DiscFormat2TrackAtOnce, DiscMaster2, DiscReadBack, DiscRecorder2, DriveProfile, HrResult, Hresult,
    MediaProfile, SimulatedDevice,
};
use windows::Win32::Storage::Imapi::{IDiscFormat2TrackAtOnce, IDiscMaster2, IDiscRecorder2};
use windows::Win32::System::Com::{CoCreateInstance, CLSCTX_ALL};

use super::apartment::check_thread;
use super::format::ComFormat;
use super::loopback::{Loopback, LoopbackDevice};
use super::master::ComMaster;
use super::readback;
use super::recorder::ComRecorder;
use super::{call, guid};
use crate::codes::{
    CLSID_MSFT_DISC_FORMAT2_TRACK_AT_ONCE, CLSID_MSFT_DISC_MASTER2, CLSID_MSFT_DISC_RECORDER2,
    E_CHANGE_MEDIA_NEEDS_OPERATOR, REGDB_E_CLASSNOTREG,
};
use crate::error::Imapi2Error;
use crate::loopback::{Reply, Request};
use crate::selector::{RecorderInfo, RecorderSelector};

/// The IMAPI2 backend: `CoCreateInstance` of the three IMAPI2 classes, in the MTA.
///
/// Opening it makes sure the process's MTA exists for good (see the crate docs, "Threads and
/// COM"). When the classes are `cdr-comserver`'s rather than IMAPI2's, the backend also has the
/// server's loopback interface (see [`crate::loopback`]).
pub struct Imapi2Backend {
    loopback: Option<Arc<Loopback>>,
}

impl Imapi2Backend {
    /// Joins the MTA and checks that IMAPI2 is there (`MsftDiscMaster2` can be created).
    pub fn open() -> Result<Imapi2Backend, Imapi2Error> {
        check_thread()?;
        let mut backend = Imapi2Backend { loopback: None };
        let master = backend.master().map_err(master_error)?;
        backend.loopback = Loopback::of(&master).map(Arc::new);
        Ok(backend)
    }

    /// True when the classes are the simulator's own COM server (`cdr-comserver`), not IMAPI2.
    pub fn is_simulator(&self) -> bool {
        self.loopback.is_some()
    }

    /// On the simulator's COM server: a fresh simulated drive `drive` with `media` in the tray,
    /// for the objects created from now on (as each scenario starts). With IMAPI2, which has no
    /// such thing, [`Imapi2Error::NotASimulator`].
    pub fn configure_simulator(&self, drive: &DriveProfile, media: Option<&MediaProfile>) -> Result<(), Imapi2Error> {
        let loopback = self.loopback.as_ref().ok_or(Imapi2Error::NotASimulator)?;
        let request = Request::Configure { drive: Box::new(drive.clone()), media: media.cloned() };
        loopback.send(&request).map(|_| ()).map_err(|hr| Imapi2Error::com("ICdrLoopback configure", hr))
    }

    fn master(&self) -> HrResult<IDiscMaster2> {
        // SAFETY: CoCreateInstance with a CLSID that lives for the call, no aggregation.
        call(|| unsafe { CoCreateInstance(&guid(CLSID_MSFT_DISC_MASTER2), None, CLSCTX_ALL) })
    }

    fn recorder_for(&self, unique_id: &str) -> Result<ComRecorder, Imapi2Error> {
        // SAFETY: as in `master`.
        let raw: IDiscRecorder2 =
            call(|| unsafe { CoCreateInstance(&guid(CLSID_MSFT_DISC_RECORDER2), None, CLSCTX_ALL) })
                .map_err(|hr| Imapi2Error::com("CoCreateInstance(MsftDiscRecorder2)", hr))?;
        let recorder = ComRecorder::new(raw);
        recorder
            .initialize_disc_recorder(unique_id)
            .map_err(|hr| Imapi2Error::com(format!("InitializeDiscRecorder({unique_id})"), hr))?;
        Ok(recorder)
    }

    /// Every recorder IMAPI2 lists, in `IDiscMaster2` order, with what a selector matches on.
    /// An empty list is not an error here (a machine may have no drive); choosing from it is.
    pub fn recorders(&self) -> Result<Vec<RecorderInfo>, Imapi2Error> {
        let master = ComMaster::new(self.master().map_err(master_error)?);
        let count = master.count().map_err(|hr| Imapi2Error::com("IDiscMaster2::Count", hr))?;
        (0..count)
            .map(|i| {
                let unique_id =
                    master.item(i).map_err(|hr| Imapi2Error::com(format!("IDiscMaster2::Item({i})"), hr))?;
                let r = self.recorder_for(&unique_id)?;
                let ctx = |what: &str| format!("{what} of {unique_id}");
                Ok(RecorderInfo {
                    volume_path_names: r
                        .volume_path_names()
                        .map_err(|hr| Imapi2Error::com(ctx("VolumePathNames"), hr))?,
                    vendor: r.vendor_id().map_err(|hr| Imapi2Error::com(ctx("VendorId"), hr))?,
                    product: r.product_id().map_err(|hr| Imapi2Error::com(ctx("ProductId"), hr))?,
                    revision: r.product_revision().map_err(|hr| Imapi2Error::com(ctx("ProductRevision"), hr))?,
                    unique_id,
                })
            })
            .collect()
    }

    /// The recorder `selector` names, initialised. With no recorder at all this is
    /// [`Imapi2Error::NoRecorders`]; with no match, [`Imapi2Error::NoSuchRecorder`] listing them.
    pub fn select_recorder(&self, selector: &RecorderSelector) -> Result<Arc<dyn DiscRecorder2>, Imapi2Error> {
        let recorders = self.recorders()?;
        let index = selector.resolve(&recorders)?;
        Ok(Arc::new(self.recorder_for(&recorders[index].unique_id)?))
    }
}

/// Why `MsftDiscMaster2` could not be created: not installed, or another COM failure.
fn master_error(hr: Hresult) -> Imapi2Error {
    if hr == REGDB_E_CLASSNOTREG {
        Imapi2Error::NotInstalled(hr)
    } else {
        Imapi2Error::com("CoCreateInstance(MsftDiscMaster2)", hr)
    }
}

impl Backend for Imapi2Backend {
    fn name(&self) -> String {
        "imapi2".into()
    }
    fn disc_master(&self) -> HrResult<Arc<dyn DiscMaster2>> {
        Ok(Arc::new(ComMaster::new(self.master()?)))
    }
    fn create_recorder(&self) -> HrResult<Arc<dyn DiscRecorder2>> {
        // SAFETY: as in `master`.
        let raw: IDiscRecorder2 =
            call(|| unsafe { CoCreateInstance(&guid(CLSID_MSFT_DISC_RECORDER2), None, CLSCTX_ALL) })?;
        Ok(Arc::new(ComRecorder::new(raw)))
    }
    fn create_format(&self) -> HrResult<Arc<dyn DiscFormat2TrackAtOnce>> {
        // SAFETY: as in `master`.
        let raw: IDiscFormat2TrackAtOnce =
            call(|| unsafe { CoCreateInstance(&guid(CLSID_MSFT_DISC_FORMAT2_TRACK_AT_ONCE), None, CLSCTX_ALL) })?;
        Ok(ComFormat::new(raw))
    }
    /// MMC commands through `IDiscRecorder2Ex`; on the simulator's COM server, the simulator's
    /// own read-back (with the digests of what was written).
    fn read_back(&self, recorder: &dyn DiscRecorder2) -> HrResult<DiscReadBack> {
        let recorder = ComRecorder::of(recorder)?;
        match &self.loopback {
            Some(l) => match l.send(&Request::ReadBack)? {
                Reply::ReadBack(rb) => Ok(rb),
                _ => Err(Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE),
            },
            None => readback::read_back(recorder),
        }
    }
    /// A program cannot change the disc in a real tray: always
    /// [`E_CHANGE_MEDIA_NEEDS_OPERATOR`] (`E_NOTIMPL`); the record workflow asks the operator.
    /// The simulator's COM server swaps the disc.
    fn change_media(&self, recorder: &dyn DiscRecorder2, media: Option<&MediaProfile>) -> HrResult<()> {
        ComRecorder::of(recorder)?;
        match &self.loopback {
            Some(l) => l.send(&Request::ChangeMedia { media: media.cloned() }).map(|_| ()),
            None => Err(E_CHANGE_MEDIA_NEEDS_OPERATOR),
        }
    }
    /// The simulated device behind the simulator's COM server; `None` with IMAPI2.
    fn simulated(&self) -> Option<Arc<dyn SimulatedDevice>> {
        self.loopback.as_ref().map(|l| Arc::new(LoopbackDevice(Arc::clone(l))) as Arc<dyn SimulatedDevice>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tools/wine-test` sets `CDR_IMAPI2=absent`: Wine has no IMAPI2. Anywhere else (Windows)
    /// IMAPI2 is part of the system and must open.
    #[test]
    fn opening_without_imapi2_is_a_clear_error_not_a_crash() {
        if std::env::var("CDR_IMAPI2").as_deref() == Ok("absent") {
            let e = Imapi2Backend::open().err().expect("no IMAPI2 here");
            assert_eq!(e, Imapi2Error::NotInstalled(REGDB_E_CLASSNOTREG));
            let msg = e.to_string();
            assert!(msg.starts_with("no optical recorder can be used: IMAPI2 is not installed"), "{msg}");
            assert!(msg.contains("REGDB_E_CLASSNOTREG") || msg.contains("0x80040154"), "{msg}");
            // From another thread (the implicit MTA) the answer is the same.
            let again = std::thread::spawn(|| Imapi2Backend::open().err()).join().unwrap();
            assert_eq!(again, Some(e));
        } else {
            let backend = Imapi2Backend::open().unwrap_or_else(|e| panic!("IMAPI2 should open on Windows: {e}"));
            assert!(backend.recorders().is_ok());
        }
    }

    #[test]
    fn only_an_unregistered_class_means_not_installed() {
        assert_eq!(master_error(REGDB_E_CLASSNOTREG), Imapi2Error::NotInstalled(REGDB_E_CLASSNOTREG));
        assert_eq!(
            master_error(Hresult::E_ACCESSDENIED),
            Imapi2Error::com("CoCreateInstance(MsftDiscMaster2)", Hresult::E_ACCESSDENIED)
        );
    }
}
