//! `IDiscRecorder2`: one optical drive.

use std::any::Any;

use crate::hresult::HrResult;

/// `MsftDiscRecorder2`: identity, profiles and features, counted exclusive access, the tray.
///
/// Exclusive access is counted (spec section 8): each acquire by the holder adds one, each
/// release removes one, and the device is free at zero; another client gets
/// `E_IMAPI_RECORDER_LOCKED`.
///
/// ```
/// use cdr_sim::profile::drive_by_name;
/// use cdr_sim::{Backend, Hresult, SimBackend};
///
/// let sim = SimBackend::new(drive_by_name("default").unwrap(), None);
/// let id = sim.disc_master().unwrap().item(0).unwrap();
/// let (mine, theirs) = (sim.create_recorder().unwrap(), sim.create_recorder().unwrap());
/// mine.initialize_disc_recorder(&id).unwrap();
/// theirs.initialize_disc_recorder(&id).unwrap();
/// mine.acquire_exclusive_access(false, "Mine").unwrap();
/// mine.acquire_exclusive_access(false, "Mine").unwrap();
/// assert_eq!(theirs.acquire_exclusive_access(true, "Theirs"), Err(Hresult::E_IMAPI_RECORDER_LOCKED));
/// mine.release_exclusive_access().unwrap();
/// assert_eq!(theirs.exclusive_access_owner().unwrap(), "Mine");
/// mine.release_exclusive_access().unwrap();
/// theirs.acquire_exclusive_access(false, "Theirs").unwrap();
/// ```
pub trait DiscRecorder2: Send + Sync {
    /// `InitializeDiscRecorder(recorderUniqueId)`: binds this object to a device.
    fn initialize_disc_recorder(&self, recorder_unique_id: &str) -> HrResult<()>;
    /// `ActiveDiscRecorder`: the unique id this object is bound to.
    fn active_disc_recorder(&self) -> HrResult<String>;
    /// `VendorId` (8 characters of INQUIRY data).
    fn vendor_id(&self) -> HrResult<String>;
    /// `ProductId` (16 characters of INQUIRY data).
    fn product_id(&self) -> HrResult<String>;
    /// `ProductRevision` (firmware, 4 characters).
    fn product_revision(&self) -> HrResult<String>;
    /// `VolumeName`: the volume GUID path.
    fn volume_name(&self) -> HrResult<String>;
    /// `VolumePathNames`: drive letters and mount points.
    fn volume_path_names(&self) -> HrResult<Vec<String>>;
    /// `DeviceCanLoadMedia`: the tray closes under software control.
    fn device_can_load_media(&self) -> HrResult<bool>;
    /// `LegacyDeviceNumber`.
    fn legacy_device_number(&self) -> HrResult<i32>;
    /// `SupportedProfiles`: MMC profiles the drive can use.
    fn supported_profiles(&self) -> HrResult<Vec<i32>>;
    /// `CurrentProfiles`: profiles current for the media in the tray.
    fn current_profiles(&self) -> HrResult<Vec<i32>>;
    /// `SupportedFeaturePages`.
    fn supported_feature_pages(&self) -> HrResult<Vec<i32>>;
    /// `CurrentFeaturePages`.
    fn current_feature_pages(&self) -> HrResult<Vec<i32>>;
    /// `SupportedModePages`.
    fn supported_mode_pages(&self) -> HrResult<Vec<i32>>;
    /// `ExclusiveAccessOwner`: the holder's client name, empty when free.
    fn exclusive_access_owner(&self) -> HrResult<String>;
    /// `AcquireExclusiveAccess(force, clientName)`: counted.
    fn acquire_exclusive_access(&self, force: bool, client_name: &str) -> HrResult<()>;
    /// `ReleaseExclusiveAccess`: removes one count.
    fn release_exclusive_access(&self) -> HrResult<()>;
    /// `EjectMedia`: opens the tray (fails while a prepared session locks it).
    fn eject_media(&self) -> HrResult<()>;
    /// `CloseTray`.
    fn close_tray(&self) -> HrResult<()>;
    /// `DisableMcn`: stops media-change notifications.
    fn disable_mcn(&self) -> HrResult<()>;
    /// `EnableMcn`.
    fn enable_mcn(&self) -> HrResult<()>;

    /// The backend object behind the interface (COM's QueryInterface for the implementation).
    fn as_any(&self) -> &dyn Any;
}
