//! The client side of the loopback interface (see [`crate::loopback`]): `ICdrLoopback` itself,
//! and the simulated-device handle the backend offers when the server has it.

use std::sync::Arc;

use cdr_sim::{DeviceFault, DiscSnapshot, FiredDeviceFault, HrResult, Hresult, SimulatedDevice};
use windows::Win32::Storage::Imapi::IDiscMaster2;
use windows_core::{Interface, BSTR, HRESULT};

use super::call;
use crate::loopback::{Reply, Request};

/// `ICdrLoopback`: one method, a JSON [`Request`] in (UTF-8 bytes), a JSON [`Reply`] out (a
/// BSTR the caller frees), or a failure HRESULT. Implemented by `cdr-comserver`'s
/// `MsftDiscMaster2`; IID [`crate::loopback::IID_LOOPBACK`].
#[windows_core::interface("5F3C2A8E-7B41-4D2E-9C6A-1E8F4B2D7A90")]
pub unsafe trait ICdrLoopback: windows_core::IUnknown {
    /// Carries out `request` (`len` bytes of UTF-8 JSON) and writes the reply into `reply`.
    ///
    /// # Safety
    /// `request` points to `len` readable bytes; `reply` is a writable BSTR slot, which the
    /// caller frees after a success.
    unsafe fn call(&self, request: *const u8, len: usize, reply: *mut BSTR) -> HRESULT;
}

/// The loopback interface of a COM server that has it.
pub(crate) struct Loopback {
    control: ICdrLoopback,
}

// SAFETY: as every object of this backend (see the module doc of `com`): created in the MTA and
// used only from MTA threads (through `call`); the server's objects are free-threaded.
unsafe impl Send for Loopback {}
// SAFETY: as for Send.
unsafe impl Sync for Loopback {}

impl Loopback {
    /// The loopback interface of `master`, when the server behind it has one (IMAPI2 has not).
    pub(crate) fn of(master: &IDiscMaster2) -> Option<Loopback> {
        master.cast::<ICdrLoopback>().ok().map(|control| Loopback { control })
    }

    /// Sends `request`. A reply that cannot be read is
    /// E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE.
    pub(crate) fn send(&self, request: &Request) -> HrResult<Reply> {
        let text = serde_json::to_string(request).map_err(|_| Hresult::E_FAIL)?;
        let mut reply = BSTR::default();
        // SAFETY: the request bytes and the reply slot live for the call.
        call(|| unsafe { self.control.call(text.as_ptr(), text.len(), &mut reply).ok() })?;
        serde_json::from_str(&reply.to_string()).map_err(|_| Hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE)
    }
}

/// The simulated device behind the COM server, as [`SimulatedDevice`].
pub(crate) struct LoopbackDevice(pub(crate) Arc<Loopback>);

impl SimulatedDevice for LoopbackDevice {
    fn arm_device_fault(&self, fault: DeviceFault) {
        // The trait has no failure: a server that refuses shows up as a fault that never fires.
        let _ = self.0.send(&Request::ArmDeviceFault { fault });
    }
    fn fired_device_faults(&self) -> Vec<FiredDeviceFault> {
        match self.0.send(&Request::FiredDeviceFaults) {
            Ok(Reply::Fired(list)) => list,
            _ => Vec::new(),
        }
    }
    fn export_disc(&self) -> Option<DiscSnapshot> {
        match self.0.send(&Request::ExportDisc) {
            Ok(Reply::Disc(disc)) => disc,
            _ => None,
        }
    }
    fn insert_disc(&self, disc: &DiscSnapshot) -> HrResult<()> {
        self.0.send(&Request::InsertDisc { disc: disc.clone() }).map(|_| ())
    }
}
