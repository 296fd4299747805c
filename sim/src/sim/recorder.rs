//! `MsftDiscRecorder2` on the simulated drive.

use std::any::Any;
use std::sync::{Arc, OnceLock};

use super::drive::{client_name_is_valid, new_client_id, ClientId, Drive};
use super::features;
use crate::contract::DiscRecorder2;
use crate::hresult::{HrResult, Hresult};

/// A recorder object. Every recorder object initialised with the drive's unique id shares the
/// one device; each is a distinct client of its exclusive access, counted per object (spec 8),
/// and a format object given it by put_Recorder locks and unlocks through it.
///
/// AcquireExclusiveAccess and ReleaseExclusiveAccess answer E_FAIL until InitializeDiscRecorder
/// (spec 8); the other members fail with `E_IMAPI_RECORDER_REQUIRED`: IMAPI2 documents that the
/// recorder must be initialised first but not the code they return, so this is the simulator's
/// choice.
pub struct SimRecorder {
    /// The backend's device, reachable once initialised.
    device: Arc<Drive>,
    initialised: OnceLock<()>,
    client: ClientId,
}

impl SimRecorder {
    pub(crate) fn new(device: Arc<Drive>) -> SimRecorder {
        SimRecorder { device, initialised: OnceLock::new(), client: new_client_id() }
    }

    /// The device, or `E_IMAPI_RECORDER_REQUIRED` before InitializeDiscRecorder.
    pub(crate) fn drive(&self) -> HrResult<&Arc<Drive>> {
        self.initialised.get().map(|()| &self.device).ok_or(Hresult::E_IMAPI_RECORDER_REQUIRED)
    }

    /// This object's client token for the drive's exclusive access.
    pub(crate) fn client(&self) -> ClientId {
        self.client
    }

    /// The simulated recorder behind a contract object, if it is one.
    pub(crate) fn of(recorder: &dyn DiscRecorder2) -> Option<&SimRecorder> {
        recorder.as_any().downcast_ref::<SimRecorder>()
    }
}

/// HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): InitializeDiscRecorder with an id that names no
/// device (spec 8; the exact code is the spec's guess).
pub(crate) const NO_SUCH_DEVICE: Hresult = Hresult(0x8007_0002);

/// INQUIRY fields are fixed-width, space-padded ASCII.
fn inquiry_field(value: &str, width: usize) -> String {
    let mut s: String = value.chars().take(width).collect();
    while s.chars().count() < width {
        s.push(' ');
    }
    s
}

impl DiscRecorder2 for SimRecorder {
    fn initialize_disc_recorder(&self, recorder_unique_id: &str) -> HrResult<()> {
        // Spec 8 (dll id 55592021310): an empty id -> E_INVALIDARG.
        if recorder_unique_id.is_empty() {
            return Err(Hresult::E_INVALIDARG);
        }
        // Spec 8: a second call, with any id -> E_FAIL; the first initialisation stays.
        if self.initialised.get().is_some() {
            return Err(Hresult::E_FAIL);
        }
        // Spec 8: an id that names no device -> HRESULT_FROM_WIN32 of the open's error; the
        // object stays uninitialised. Unique ids are device paths, compared without regard to
        // ASCII case.
        if !recorder_unique_id.eq_ignore_ascii_case(self.device.unique_id()) {
            return Err(NO_SUCH_DEVICE);
        }
        let _ = self.initialised.set(());
        Ok(())
    }

    fn active_disc_recorder(&self) -> HrResult<String> {
        Ok(self.drive()?.unique_id().to_string())
    }

    fn vendor_id(&self) -> HrResult<String> {
        Ok(inquiry_field(&self.drive()?.profile().vendor, 8))
    }

    fn product_id(&self) -> HrResult<String> {
        Ok(inquiry_field(&self.drive()?.profile().product, 16))
    }

    fn product_revision(&self) -> HrResult<String> {
        Ok(inquiry_field(&self.drive()?.profile().revision, 4))
    }

    fn volume_name(&self) -> HrResult<String> {
        // A volume GUID derived from the unique id: stable across runs.
        let h = blake3::hash(self.drive()?.unique_id().as_bytes());
        let b = h.as_bytes();
        let hex = |r: std::ops::Range<usize>| b[r].iter().map(|x| format!("{x:02x}")).collect::<String>();
        Ok(format!("\\\\?\\Volume{{{}-{}-{}-{}-{}}}\\", hex(0..4), hex(4..6), hex(6..8), hex(8..10), hex(10..16)))
    }

    fn volume_path_names(&self) -> HrResult<Vec<String>> {
        Ok(self.drive()?.profile().volume_path_names.clone())
    }

    fn device_can_load_media(&self) -> HrResult<bool> {
        Ok(self.drive()?.profile().can_load_media)
    }

    fn legacy_device_number(&self) -> HrResult<i32> {
        Ok(self.drive()?.profile().legacy_device_number)
    }

    fn supported_profiles(&self) -> HrResult<Vec<i32>> {
        Ok(features::supported_profiles(self.drive()?.profile()))
    }

    fn current_profiles(&self) -> HrResult<Vec<i32>> {
        let drive = self.drive()?;
        let state = drive.state();
        Ok(features::current_profiles(drive.profile(), state.disc().ok()))
    }

    fn supported_feature_pages(&self) -> HrResult<Vec<i32>> {
        Ok(features::supported_feature_pages(self.drive()?.profile()))
    }

    fn current_feature_pages(&self) -> HrResult<Vec<i32>> {
        let drive = self.drive()?;
        let state = drive.state();
        Ok(features::current_feature_pages(drive.profile(), state.disc().ok()))
    }

    fn supported_mode_pages(&self) -> HrResult<Vec<i32>> {
        Ok(features::supported_mode_pages(self.drive()?.profile()))
    }

    fn exclusive_access_owner(&self) -> HrResult<String> {
        Ok(self.drive()?.state().exclusive_owner())
    }

    fn acquire_exclusive_access(&self, _force: bool, client_name: &str) -> HrResult<()> {
        // Spec 8 (dll id 55589756848): not initialised -> E_FAIL.
        let drive = self.drive().map_err(|_| Hresult::E_FAIL)?;
        // Spec 8: the name follows the ClientName rules, checked on every call, also when this
        // object already holds the lock.
        if !client_name_is_valid(client_name) {
            return Err(Hresult::E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID);
        }
        // Spec 8: counted per recorder object; another object's lock gives LOCKED, even forced.
        drive.state().acquire(self.client, client_name)
    }

    fn release_exclusive_access(&self) -> HrResult<()> {
        // Spec 8 (dll id 55588307252): not initialised -> E_FAIL; at count 0 the driver's
        // E_INVALIDARG, count unchanged.
        self.drive().map_err(|_| Hresult::E_FAIL)?.state().release(self.client)
    }

    fn eject_media(&self) -> HrResult<()> {
        let drive = self.drive()?;
        let mut state = drive.state();
        // Spec 8 \[choice\]: a prepared session's tray lock refuses the eject (calibration
        // `eject_while_locked`; a success code there means the drive ignores the eject).
        if state.tray_locked {
            return drive.profile().calibration.eject_while_locked.into_result().map(drop);
        }
        state.tray_open = true;
        Ok(())
    }

    fn close_tray(&self) -> HrResult<()> {
        let drive = self.drive()?;
        // A drive that cannot load media (slot or manual tray) cannot close it by command.
        if !drive.profile().can_load_media {
            return Err(Hresult::E_FAIL);
        }
        drive.state().tray_open = false;
        Ok(())
    }

    fn disable_mcn(&self) -> HrResult<()> {
        self.drive().map(drop)
    }

    fn enable_mcn(&self) -> HrResult<()> {
        self.drive().map(drop)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Drop for SimRecorder {
    /// Like a closed device handle (spec 8, dll id 55913915520): whatever exclusive access this
    /// object still holds is gone, including counts PrepareMedia took through it.
    fn drop(&mut self) {
        if self.initialised.get().is_some() {
            self.device.state().release_all(self.client);
        }
    }
}
