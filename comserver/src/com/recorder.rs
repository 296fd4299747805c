//! `MsftDiscRecorder2`: one simulated drive.

use std::sync::Arc;

use cdr_sim::DiscRecorder2;
use windows::Win32::Foundation::{DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND, VARIANT_BOOL};
use windows::Win32::Storage::Imapi::{IDiscRecorder2, IDiscRecorder2_Impl};
use windows::Win32::System::Com::{ISupportErrorInfo, SAFEARRAY};
use windows_core::{implement, BSTR};

use super::dispatch::{dual, Args, Call, Dispatch};
use super::errors::Com;
use super::variant::{i32_array, string_array, to_bool, to_string, variant_bool, Var};
use crate::dispids::{recorder as r, DispMember, RECORDER};
use crate::session::Lease;

/// The COM object over a simulated recorder. The format object recognises its own recorders
/// (`put_Recorder`) by casting back to this type.
#[implement(IDiscRecorder2, windows::Win32::Storage::Imapi::IDiscRecorder2Ex, ISupportErrorInfo)]
pub(crate) struct Recorder {
    pub(crate) inner: Arc<dyn DiscRecorder2>,
    /// Keeps the session's count of live objects (see `crate::session`).
    pub(crate) _lease: Lease,
}

fn name(value: &BSTR) -> String {
    value.to_string()
}

impl IDiscRecorder2_Impl for Recorder_Impl {
    fn EjectMedia(&self) -> windows_core::Result<()> {
        self.inner.eject_media().com()
    }
    fn CloseTray(&self) -> windows_core::Result<()> {
        self.inner.close_tray().com()
    }
    fn AcquireExclusiveAccess(&self, force: VARIANT_BOOL, client: &BSTR) -> windows_core::Result<()> {
        self.inner.acquire_exclusive_access(force.as_bool(), &name(client)).com()
    }
    fn ReleaseExclusiveAccess(&self) -> windows_core::Result<()> {
        self.inner.release_exclusive_access().com()
    }
    fn DisableMcn(&self) -> windows_core::Result<()> {
        self.inner.disable_mcn().com()
    }
    fn EnableMcn(&self) -> windows_core::Result<()> {
        self.inner.enable_mcn().com()
    }
    fn InitializeDiscRecorder(&self, id: &BSTR) -> windows_core::Result<()> {
        self.inner.initialize_disc_recorder(&name(id)).com()
    }
    fn ActiveDiscRecorder(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.active_disc_recorder().com()?.into())
    }
    fn VendorId(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.vendor_id().com()?.into())
    }
    fn ProductId(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.product_id().com()?.into())
    }
    fn ProductRevision(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.product_revision().com()?.into())
    }
    fn VolumeName(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.volume_name().com()?.into())
    }
    fn VolumePathNames(&self) -> windows_core::Result<*mut SAFEARRAY> {
        string_array(&self.inner.volume_path_names().com()?)
    }
    fn DeviceCanLoadMedia(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.device_can_load_media().com()?))
    }
    fn LegacyDeviceNumber(&self) -> windows_core::Result<i32> {
        self.inner.legacy_device_number().com()
    }
    fn SupportedFeaturePages(&self) -> windows_core::Result<*mut SAFEARRAY> {
        i32_array(&self.inner.supported_feature_pages().com()?)
    }
    fn CurrentFeaturePages(&self) -> windows_core::Result<*mut SAFEARRAY> {
        i32_array(&self.inner.current_feature_pages().com()?)
    }
    fn SupportedProfiles(&self) -> windows_core::Result<*mut SAFEARRAY> {
        i32_array(&self.inner.supported_profiles().com()?)
    }
    fn CurrentProfiles(&self) -> windows_core::Result<*mut SAFEARRAY> {
        i32_array(&self.inner.current_profiles().com()?)
    }
    fn SupportedModePages(&self) -> windows_core::Result<*mut SAFEARRAY> {
        i32_array(&self.inner.supported_mode_pages().com()?)
    }
    fn ExclusiveAccessOwner(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.exclusive_access_owner().com()?.into())
    }
}

impl Dispatch for Recorder_Impl {
    const TABLE: &'static [DispMember] = RECORDER;

    fn call(&self, dispid: i32, call: Call, args: &Args) -> windows_core::Result<Var> {
        if call == Call::Put {
            return Err(DISP_E_MEMBERNOTFOUND.into());
        }
        let i = &self.inner;
        let done = |r: cdr_sim::HrResult<()>| r.com().map(|()| Var::empty());
        let string = |r: cdr_sim::HrResult<String>| r.com().map(|s| Var::string(&s));
        let ints = |r: cdr_sim::HrResult<Vec<i32>>| Ok::<_, windows_core::Error>(Var::array(i32_array(&r.com()?)?));
        let arity =
            |n: usize| if args.len() == n { Ok(()) } else { Err(windows_core::Error::from(DISP_E_BADPARAMCOUNT)) };
        match dispid {
            r::EJECT_MEDIA => done(i.eject_media()),
            r::CLOSE_TRAY => done(i.close_tray()),
            r::ACQUIRE_EXCLUSIVE_ACCESS => {
                arity(2)?;
                let client = to_string(args.get(1)?)?.unwrap_or_default();
                done(i.acquire_exclusive_access(to_bool(args.get(0)?)?, &client))
            }
            r::RELEASE_EXCLUSIVE_ACCESS => done(i.release_exclusive_access()),
            r::DISABLE_MCN => done(i.disable_mcn()),
            r::ENABLE_MCN => done(i.enable_mcn()),
            r::INITIALIZE_DISC_RECORDER => {
                arity(1)?;
                done(i.initialize_disc_recorder(&to_string(args.get(0)?)?.unwrap_or_default()))
            }
            r::ACTIVE_DISC_RECORDER => string(i.active_disc_recorder()),
            r::VENDOR_ID => string(i.vendor_id()),
            r::PRODUCT_ID => string(i.product_id()),
            r::PRODUCT_REVISION => string(i.product_revision()),
            r::VOLUME_NAME => string(i.volume_name()),
            r::VOLUME_PATH_NAMES => Ok(Var::array(string_array(&i.volume_path_names().com()?)?)),
            r::DEVICE_CAN_LOAD_MEDIA => Ok(Var::bool(i.device_can_load_media().com()?)),
            r::LEGACY_DEVICE_NUMBER => Ok(Var::i32(i.legacy_device_number().com()?)),
            r::SUPPORTED_FEATURE_PAGES => ints(i.supported_feature_pages()),
            r::CURRENT_FEATURE_PAGES => ints(i.current_feature_pages()),
            r::SUPPORTED_PROFILES => ints(i.supported_profiles()),
            r::CURRENT_PROFILES => ints(i.current_profiles()),
            r::SUPPORTED_MODE_PAGES => ints(i.supported_mode_pages()),
            r::EXCLUSIVE_ACCESS_OWNER => string(i.exclusive_access_owner()),
            _ => Err(DISP_E_MEMBERNOTFOUND.into()),
        }
    }
}

dual!(Recorder_Impl);
