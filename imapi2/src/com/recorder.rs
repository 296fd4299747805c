//! `MsftDiscRecorder2` behind [`DiscRecorder2`].

use std::any::Any;

use cdr_sim::{DiscRecorder2, HrResult};
use windows::Win32::Foundation::VARIANT_BOOL;
use windows::Win32::Storage::Imapi::IDiscRecorder2;
use windows_core::BSTR;

use super::call;
use super::safearray::{conversion, SafeArray};
use crate::codes::E_RECORDER_OF_ANOTHER_BACKEND;
use crate::convert::{from_variant_bool, ints_from_variants, strings_from_variants};

/// One recorder object.
pub(crate) struct ComRecorder {
    pub(crate) recorder: IDiscRecorder2,
}

// SAFETY: see the module doc of `com`: an MTA object, used only from MTA threads (every member
// goes through `call`, which checks that the thread is in the MTA first).
unsafe impl Send for ComRecorder {}
// SAFETY: as for Send; IMAPI2's objects synchronise concurrent calls themselves.
unsafe impl Sync for ComRecorder {}

impl ComRecorder {
    pub(crate) fn new(recorder: IDiscRecorder2) -> ComRecorder {
        ComRecorder { recorder }
    }

    /// The COM recorder behind a contract recorder, when it is one of this backend's; else
    /// [`E_RECORDER_OF_ANOTHER_BACKEND`], as the simulator answers.
    pub(crate) fn of(recorder: &dyn DiscRecorder2) -> HrResult<&ComRecorder> {
        recorder.as_any().downcast_ref::<ComRecorder>().ok_or(E_RECORDER_OF_ANOTHER_BACKEND)
    }

    fn string(&self, f: impl FnOnce(&IDiscRecorder2) -> windows_core::Result<BSTR>) -> HrResult<String> {
        call(|| f(&self.recorder)).map(|b| b.to_string())
    }

    fn ints(
        &self,
        what: &'static str,
        f: impl FnOnce(&IDiscRecorder2) -> windows_core::Result<*mut windows::Win32::System::Com::SAFEARRAY>,
    ) -> HrResult<Vec<i32>> {
        // SAFETY: the getter returns a SAFEARRAY the caller owns.
        let array = call(|| f(&self.recorder)).map(|p| unsafe { SafeArray::from_raw(p) })?;
        ints_from_variants(what, &array.values()?).map_err(conversion)
    }
}

// SAFETY (every `unsafe` block below): a call of an IMAPI2 member through the `windows`
// bindings on a valid interface pointer, with arguments that live for the call.
impl DiscRecorder2 for ComRecorder {
    fn initialize_disc_recorder(&self, recorder_unique_id: &str) -> HrResult<()> {
        call(|| unsafe { self.recorder.InitializeDiscRecorder(&BSTR::from(recorder_unique_id)) })
    }
    fn active_disc_recorder(&self) -> HrResult<String> {
        self.string(|r| unsafe { r.ActiveDiscRecorder() })
    }
    fn vendor_id(&self) -> HrResult<String> {
        self.string(|r| unsafe { r.VendorId() })
    }
    fn product_id(&self) -> HrResult<String> {
        self.string(|r| unsafe { r.ProductId() })
    }
    fn product_revision(&self) -> HrResult<String> {
        self.string(|r| unsafe { r.ProductRevision() })
    }
    fn volume_name(&self) -> HrResult<String> {
        self.string(|r| unsafe { r.VolumeName() })
    }
    fn volume_path_names(&self) -> HrResult<Vec<String>> {
        // SAFETY: the getter returns a SAFEARRAY the caller owns.
        let array = call(|| unsafe { self.recorder.VolumePathNames() }).map(|p| unsafe { SafeArray::from_raw(p) })?;
        strings_from_variants("VolumePathNames", &array.values()?).map_err(conversion)
    }
    fn device_can_load_media(&self) -> HrResult<bool> {
        call(|| unsafe { self.recorder.DeviceCanLoadMedia() }).map(|b| from_variant_bool(b.0))
    }
    fn legacy_device_number(&self) -> HrResult<i32> {
        call(|| unsafe { self.recorder.LegacyDeviceNumber() })
    }
    fn supported_profiles(&self) -> HrResult<Vec<i32>> {
        self.ints("SupportedProfiles", |r| unsafe { r.SupportedProfiles() })
    }
    fn current_profiles(&self) -> HrResult<Vec<i32>> {
        self.ints("CurrentProfiles", |r| unsafe { r.CurrentProfiles() })
    }
    fn supported_feature_pages(&self) -> HrResult<Vec<i32>> {
        self.ints("SupportedFeaturePages", |r| unsafe { r.SupportedFeaturePages() })
    }
    fn current_feature_pages(&self) -> HrResult<Vec<i32>> {
        self.ints("CurrentFeaturePages", |r| unsafe { r.CurrentFeaturePages() })
    }
    fn supported_mode_pages(&self) -> HrResult<Vec<i32>> {
        self.ints("SupportedModePages", |r| unsafe { r.SupportedModePages() })
    }
    fn exclusive_access_owner(&self) -> HrResult<String> {
        self.string(|r| unsafe { r.ExclusiveAccessOwner() })
    }
    fn acquire_exclusive_access(&self, force: bool, client_name: &str) -> HrResult<()> {
        call(|| unsafe { self.recorder.AcquireExclusiveAccess(VARIANT_BOOL::from(force), &BSTR::from(client_name)) })
    }
    fn release_exclusive_access(&self) -> HrResult<()> {
        call(|| unsafe { self.recorder.ReleaseExclusiveAccess() })
    }
    fn eject_media(&self) -> HrResult<()> {
        call(|| unsafe { self.recorder.EjectMedia() })
    }
    fn close_tray(&self) -> HrResult<()> {
        call(|| unsafe { self.recorder.CloseTray() })
    }
    fn disable_mcn(&self) -> HrResult<()> {
        call(|| unsafe { self.recorder.DisableMcn() })
    }
    fn enable_mcn(&self) -> HrResult<()> {
        call(|| unsafe { self.recorder.EnableMcn() })
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
