//! `IDiscRecorder2Ex` on `MsftDiscRecorder2`: the MMC pass-through read-back tools use, answered
//! by [`crate::mmc`] from the simulated disc. A command that ends in CHECK CONDITION returns the
//! success code `S_IMAPI_COMMAND_HAS_SENSE_DATA` with the sense bytes, as IMAPI2 does; the
//! members that do not send a command are not implemented (E_NOTIMPL).

use cdr_sim::{Backend, Hresult};
use windows::Win32::Foundation::{E_INVALIDARG, E_NOTIMPL, E_POINTER};
use windows::Win32::Storage::Imapi::{
    IDiscRecorder2Ex_Impl, IMAPI_FEATURE_PAGE_TYPE, IMAPI_MODE_PAGE_REQUEST_TYPE, IMAPI_MODE_PAGE_TYPE,
    IMAPI_PROFILE_TYPE, IMAPI_READ_TRACK_ADDRESS_TYPE,
};
use windows_core::HRESULT;

use super::errors::Com;
use super::factory::simulator;
use super::recorder::Recorder_Impl;
use crate::guard::guard;
use crate::mmc::{answer, capabilities, invalid_opcode, Answer, Drive};

/// `S_IMAPI_COMMAND_HAS_SENSE_DATA`: the command ended in CHECK CONDITION; see the sense buffer.
const S_IMAPI_COMMAND_HAS_SENSE_DATA: Hresult = Hresult(0x00AA_0200);

impl Recorder_Impl {
    /// The answer to `cdb` on this recorder's drive.
    fn command(&self, cdb: &[u8]) -> windows_core::Result<Answer> {
        let simulator = simulator()?;
        guard(|| {
            let sim = simulator.current();
            let disc = sim.read_back(self.inner.as_ref())?;
            let profiles: Vec<u16> =
                self.inner.supported_profiles()?.into_iter().filter_map(|p| u16::try_from(p).ok()).collect();
            let drive = Drive { disc: &disc, profiles: &profiles, capabilities: capabilities(sim.drive_profile()) };
            Ok(answer(cdb, &drive))
        })
        .com()
    }
}

/// The CDB bytes of a call, checked.
///
/// # Safety
/// `cdb` points to `size` readable bytes (or is NULL).
unsafe fn cdb_of<'a>(cdb: *const u8, size: u32) -> windows_core::Result<&'a [u8]> {
    if cdb.is_null() {
        return Err(E_POINTER.into());
    }
    if !(6..=16).contains(&size) {
        return Err(E_INVALIDARG.into());
    }
    // SAFETY: per the contract above.
    Ok(unsafe { std::slice::from_raw_parts(cdb, size as usize) })
}

/// Writes the sense bytes and returns S_IMAPI_COMMAND_HAS_SENSE_DATA through the vtable.
///
/// # Safety
/// `sense_buffer` is NULL or 18 writable bytes.
unsafe fn check_condition(sense: &[u8; 18], sense_buffer: *mut u8) -> windows_core::Result<()> {
    if !sense_buffer.is_null() {
        // SAFETY: IDiscRecorder2Ex's sense buffer is 18 bytes.
        unsafe { std::ptr::copy_nonoverlapping(sense.as_ptr(), sense_buffer, 18) };
    }
    Err(windows_core::Error::from_hresult(HRESULT(S_IMAPI_COMMAND_HAS_SENSE_DATA.as_i32())))
}

/// `answer` through the vtable of a member that gives back no data: S_OK, or the sense bytes
/// with S_IMAPI_COMMAND_HAS_SENSE_DATA.
///
/// # Safety
/// As [`check_condition`].
unsafe fn without_data(answer: Answer, sense_buffer: *mut u8) -> windows_core::Result<()> {
    match answer {
        Answer::Data(_) => Ok(()),
        // SAFETY: per the contract above.
        Answer::Sense(s) => unsafe { check_condition(&s, sense_buffer) },
    }
}

impl IDiscRecorder2Ex_Impl for Recorder_Impl {
    fn SendCommandNoData(&self, cdb: *const u8, size: u32, sense: *mut u8, _timeout: u32) -> windows_core::Result<()> {
        // SAFETY: the caller's buffers, as the interface defines them.
        unsafe { without_data(self.command(cdb_of(cdb, size)?)?, sense) }
    }

    fn SendCommandSendDataToDevice(
        &self,
        cdb: *const u8,
        size: u32,
        sense: *mut u8,
        _timeout: u32,
        _buffer: *const u8,
        _buffer_size: u32,
    ) -> windows_core::Result<()> {
        // Nothing is written to the simulated drive through the pass-through: every command
        // that sends data (WRITE, MODE SELECT, SEND CUE SHEET) is one this drive refuses.
        // SAFETY: as above.
        unsafe {
            cdb_of(cdb, size)?;
            without_data(invalid_opcode(), sense)
        }
    }

    fn SendCommandGetDataFromDevice(
        &self,
        cdb: *const u8,
        size: u32,
        sense: *mut u8,
        _timeout: u32,
        buffer: *mut u8,
        buffer_size: u32,
        fetched: *mut u32,
    ) -> windows_core::Result<()> {
        // SAFETY: the caller's buffers, as the interface defines them.
        unsafe {
            if !fetched.is_null() {
                *fetched = 0;
            }
            match self.command(cdb_of(cdb, size)?)? {
                Answer::Data(data) => {
                    if buffer.is_null() && buffer_size > 0 {
                        return Err(E_POINTER.into());
                    }
                    let n = data.len().min(buffer_size as usize);
                    std::ptr::copy_nonoverlapping(data.as_ptr(), buffer, n);
                    if !fetched.is_null() {
                        *fetched = n as u32;
                    }
                    Ok(())
                }
                Answer::Sense(s) => check_condition(&s, sense),
            }
        }
    }

    fn ReadDvdStructure(
        &self,
        _: u32,
        _: u32,
        _: u32,
        _: u32,
        _: *mut *mut u8,
        _: *mut u32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn SendDvdStructure(&self, _: u32, _: *const u8, _: u32) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetAdapterDescriptor(&self, _: *mut *mut u8, _: *mut u32) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetDeviceDescriptor(&self, _: *mut *mut u8, _: *mut u32) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetDiscInformation(&self, _: *mut *mut u8, _: *mut u32) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetTrackInformation(
        &self,
        _: u32,
        _: IMAPI_READ_TRACK_ADDRESS_TYPE,
        _: *mut *mut u8,
        _: *mut u32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetFeaturePage(
        &self,
        _: IMAPI_FEATURE_PAGE_TYPE,
        _: bool,
        _: *mut *mut u8,
        _: *mut u32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetModePage(
        &self,
        _: IMAPI_MODE_PAGE_TYPE,
        _: IMAPI_MODE_PAGE_REQUEST_TYPE,
        _: *mut *mut u8,
        _: *mut u32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn SetModePage(&self, _: IMAPI_MODE_PAGE_REQUEST_TYPE, _: *const u8, _: u32) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetSupportedFeaturePages(
        &self,
        _: bool,
        _: *mut *mut IMAPI_FEATURE_PAGE_TYPE,
        _: *mut u32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetSupportedProfiles(&self, _: bool, _: *mut *mut IMAPI_PROFILE_TYPE, _: *mut u32) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetSupportedModePages(
        &self,
        _: IMAPI_MODE_PAGE_REQUEST_TYPE,
        _: *mut *mut IMAPI_MODE_PAGE_TYPE,
        _: *mut u32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }
    fn GetByteAlignmentMask(&self) -> windows_core::Result<u32> {
        Ok(0)
    }
    fn GetMaximumNonPageAlignedTransferSize(&self) -> windows_core::Result<u32> {
        Ok(65_536)
    }
    fn GetMaximumPageAlignedTransferSize(&self) -> windows_core::Result<u32> {
        Ok(65_536)
    }
}
