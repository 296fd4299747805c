//! The objects a [`FaultInjector`](super::FaultInjector) hands out: each wraps the inner
//! backend's object and sends every member through [`Shared::before`], so a rule can fail any
//! call. The Update sink is wrapped too, so calls made from inside the handler pass through the
//! injector as well.

use std::any::Any;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use cdr_sim::{
    AudioStream, BurnVerificationLevel, DeviceFaultKind, DiscFormat2TrackAtOnce, DiscMaster2, DiscRecorder2, HrResult,
    Hresult, PhysicalMediaType, SupportAnswer, TaoUpdateSink, WriteSpeedDescriptor, SECTOR_BYTES,
};

use super::member::Member;
use super::report::Applied;
use super::rules::FaultRule;
use super::stall::StallingStream;
use super::state::{Shared, Verdict, Write};
use crate::call::Call;
use crate::middleware::OuterSink;

/// Runs `f` unless the injector refuses the call; replaces its answer when a rule says so.
fn guard<T>(shared: &Shared, member: Member, f: impl FnOnce() -> HrResult<T>) -> HrResult<T> {
    match shared.before(member, None).0 {
        Verdict::Pass => f(),
        Verdict::Refuse(hr) => Err(hr),
        Verdict::Replace(hr, event) => {
            let real = f().err().unwrap_or(Hresult::S_OK);
            shared.replaced(event, real);
            Err(hr)
        }
    }
}

/// `IDiscMaster2` through the injector.
pub struct FaultMaster {
    pub(crate) inner: Arc<dyn DiscMaster2>,
    pub(crate) shared: Arc<Shared>,
}

impl DiscMaster2 for FaultMaster {
    fn count(&self) -> HrResult<i32> {
        guard(&self.shared, Member::MasterCount, || self.inner.count())
    }
    fn item(&self, index: i32) -> HrResult<String> {
        guard(&self.shared, Member::MasterItem, || self.inner.item(index))
    }
    fn is_supported_environment(&self) -> HrResult<bool> {
        guard(&self.shared, Member::MasterIsSupportedEnvironment, || self.inner.is_supported_environment())
    }
}

/// `IDiscRecorder2` through the injector. `as_any` answers with the inner object, so the inner
/// backend recognises its own recorder behind the wrapper.
pub struct FaultRecorder {
    pub(crate) inner: Arc<dyn DiscRecorder2>,
    pub(crate) shared: Arc<Shared>,
}

impl FaultRecorder {
    fn g<T>(&self, call: Call, f: impl FnOnce(&dyn DiscRecorder2) -> HrResult<T>) -> HrResult<T> {
        guard(&self.shared, Member::Call(call), || f(self.inner.as_ref()))
    }
}

impl DiscRecorder2 for FaultRecorder {
    fn initialize_disc_recorder(&self, id: &str) -> HrResult<()> {
        self.g(Call::RecorderInitializeDiscRecorder, |r| r.initialize_disc_recorder(id))
    }
    fn active_disc_recorder(&self) -> HrResult<String> {
        self.g(Call::RecorderGetActiveDiscRecorder, |r| r.active_disc_recorder())
    }
    fn vendor_id(&self) -> HrResult<String> {
        self.g(Call::RecorderGetVendorId, |r| r.vendor_id())
    }
    fn product_id(&self) -> HrResult<String> {
        self.g(Call::RecorderGetProductId, |r| r.product_id())
    }
    fn product_revision(&self) -> HrResult<String> {
        self.g(Call::RecorderGetProductRevision, |r| r.product_revision())
    }
    fn volume_name(&self) -> HrResult<String> {
        self.g(Call::RecorderGetVolumeName, |r| r.volume_name())
    }
    fn volume_path_names(&self) -> HrResult<Vec<String>> {
        self.g(Call::RecorderGetVolumePathNames, |r| r.volume_path_names())
    }
    fn device_can_load_media(&self) -> HrResult<bool> {
        self.g(Call::RecorderGetDeviceCanLoadMedia, |r| r.device_can_load_media())
    }
    fn legacy_device_number(&self) -> HrResult<i32> {
        self.g(Call::RecorderGetLegacyDeviceNumber, |r| r.legacy_device_number())
    }
    fn supported_profiles(&self) -> HrResult<Vec<i32>> {
        self.g(Call::RecorderGetSupportedProfiles, |r| r.supported_profiles())
    }
    fn current_profiles(&self) -> HrResult<Vec<i32>> {
        self.g(Call::RecorderGetCurrentProfiles, |r| r.current_profiles())
    }
    fn supported_feature_pages(&self) -> HrResult<Vec<i32>> {
        self.g(Call::RecorderGetSupportedFeaturePages, |r| r.supported_feature_pages())
    }
    fn current_feature_pages(&self) -> HrResult<Vec<i32>> {
        self.g(Call::RecorderGetCurrentFeaturePages, |r| r.current_feature_pages())
    }
    fn supported_mode_pages(&self) -> HrResult<Vec<i32>> {
        self.g(Call::RecorderGetSupportedModePages, |r| r.supported_mode_pages())
    }
    fn exclusive_access_owner(&self) -> HrResult<String> {
        self.g(Call::RecorderGetExclusiveAccessOwner, |r| r.exclusive_access_owner())
    }
    fn acquire_exclusive_access(&self, force: bool, client_name: &str) -> HrResult<()> {
        self.g(Call::RecorderAcquireExclusiveAccess, |r| r.acquire_exclusive_access(force, client_name))
    }
    fn release_exclusive_access(&self) -> HrResult<()> {
        self.g(Call::RecorderReleaseExclusiveAccess, |r| r.release_exclusive_access())
    }
    fn eject_media(&self) -> HrResult<()> {
        self.g(Call::RecorderEjectMedia, |r| r.eject_media())
    }
    fn close_tray(&self) -> HrResult<()> {
        self.g(Call::RecorderCloseTray, |r| r.close_tray())
    }
    fn disable_mcn(&self) -> HrResult<()> {
        self.g(Call::RecorderDisableMcn, |r| r.disable_mcn())
    }
    fn enable_mcn(&self) -> HrResult<()> {
        self.g(Call::RecorderEnableMcn, |r| r.enable_mcn())
    }
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}

/// `MsftDiscFormat2TrackAtOnce` through the injector.
pub struct FaultFormat {
    pub(crate) inner: Arc<dyn DiscFormat2TrackAtOnce>,
    pub(crate) shared: Arc<Shared>,
    /// This object, for the Update handlers: they receive the wrapper, not the inner object.
    pub(crate) me: Weak<FaultFormat>,
}

impl FaultFormat {
    fn g<T>(&self, call: Call, f: impl FnOnce(&dyn DiscFormat2TrackAtOnce) -> HrResult<T>) -> HrResult<T> {
        guard(&self.shared, Member::Call(call), || f(self.inner.as_ref()))
    }

    /// The emulated underrun (real backends) for this write, if a rule has one: (rule, fault).
    fn emulated_underrun(&self, track: u32) -> Option<(usize, cdr_sim::DeviceFault)> {
        let st = self.shared.state();
        self.shared.config.rules.iter().enumerate().find_map(|(i, r)| match (&r.rule, &self.shared.plan[i]) {
            (FaultRule::Device(f), Applied::Emulated(_))
                if f.track == track && matches!(f.kind, DeviceFaultKind::Underrun { .. }) && st.struck(i) == 0 =>
            {
                Some((i, *f))
            }
            _ => None,
        })
    }
}

impl DiscFormat2TrackAtOnce for FaultFormat {
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        self.g(Call::IsRecorderSupported, |f| f.is_recorder_supported(recorder))
    }
    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        self.g(Call::IsCurrentMediaSupported, |f| f.is_current_media_supported(recorder))
    }
    fn media_physically_blank(&self) -> HrResult<bool> {
        self.g(Call::GetMediaPhysicallyBlank, |f| f.media_physically_blank())
    }
    fn media_heuristically_blank(&self) -> HrResult<bool> {
        self.g(Call::GetMediaHeuristicallyBlank, |f| f.media_heuristically_blank())
    }
    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>> {
        self.g(Call::GetSupportedMediaTypes, |f| f.supported_media_types())
    }
    fn prepare_media(&self) -> HrResult<()> {
        self.g(Call::PrepareMedia, |f| f.prepare_media())
    }

    /// AddAudioTrack: random device faults are drawn for this write, an emulated underrun wraps
    /// the stream, and afterwards the device faults that struck are recorded.
    fn add_audio_track(&self, data: &mut dyn AudioStream) -> HrResult<()> {
        let member = Member::Call(Call::AddAudioTrack);
        // The track this write would be (an extra read of a cached property, not counted), when
        // a rule needs it.
        let track = match self.shared.needs_track_number {
            true => self.inner.number_of_existing_tracks().ok().map(|n| n.max(0) as u32 + 1),
            false => None,
        };
        let write = track.map(|track| Write { track, sectors: data.size().map(|b| b / SECTOR_BYTES as u64) });
        let (verdict, nth) = self.shared.before(member, write);
        let emulated = track.and_then(|t| self.emulated_underrun(t));
        let run = |data: &mut dyn AudioStream| match emulated {
            Some((rule, fault)) => {
                let DeviceFaultKind::Underrun { stall_ms } = fault.kind else { unreachable!("an underrun") };
                let stalled = Arc::new(AtomicBool::new(false));
                let mut stream =
                    StallingStream::new(data, fault.sector, Duration::from_millis(stall_ms), Arc::clone(&stalled));
                let r = self.inner.add_audio_track(&mut stream);
                if stalled.load(Ordering::Acquire) {
                    self.shared.stalled(rule, nth, &fault);
                }
                r
            }
            None => self.inner.add_audio_track(data),
        };
        let result = match verdict {
            Verdict::Pass => run(data),
            Verdict::Refuse(hr) => Err(hr),
            Verdict::Replace(hr, event) => {
                let real = run(data).err().unwrap_or(Hresult::S_OK);
                self.shared.replaced(event, real);
                Err(hr)
            }
        };
        self.shared.after_write(nth);
        result
    }

    fn cancel_add_track(&self) -> HrResult<()> {
        self.g(Call::CancelAddTrack, |f| f.cancel_add_track())
    }
    fn release_media(&self) -> HrResult<()> {
        self.g(Call::ReleaseMedia, |f| f.release_media())
    }
    fn set_write_speed(&self, sectors_per_second: i32, pure_cav: bool) -> HrResult<Hresult> {
        self.g(Call::SetWriteSpeed, |f| f.set_write_speed(sectors_per_second, pure_cav))
    }
    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()> {
        self.g(Call::PutRecorder, |f| f.set_recorder(recorder))
    }
    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
        self.g(Call::GetRecorder, |f| f.recorder())
    }
    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()> {
        self.g(Call::PutBufferUnderrunFreeDisabled, |f| f.set_buffer_underrun_free_disabled(value))
    }
    fn buffer_underrun_free_disabled(&self) -> HrResult<bool> {
        self.g(Call::GetBufferUnderrunFreeDisabled, |f| f.buffer_underrun_free_disabled())
    }
    fn number_of_existing_tracks(&self) -> HrResult<i32> {
        self.g(Call::GetNumberOfExistingTracks, |f| f.number_of_existing_tracks())
    }
    fn total_sectors_on_media(&self) -> HrResult<i32> {
        self.g(Call::GetTotalSectorsOnMedia, |f| f.total_sectors_on_media())
    }
    fn free_sectors_on_media(&self) -> HrResult<i32> {
        self.g(Call::GetFreeSectorsOnMedia, |f| f.free_sectors_on_media())
    }
    fn used_sectors_on_media(&self) -> HrResult<i32> {
        self.g(Call::GetUsedSectorsOnMedia, |f| f.used_sectors_on_media())
    }
    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()> {
        self.g(Call::PutDoNotFinalizeMedia, |f| f.set_do_not_finalize_media(value))
    }
    fn do_not_finalize_media(&self) -> HrResult<bool> {
        self.g(Call::GetDoNotFinalizeMedia, |f| f.do_not_finalize_media())
    }
    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>> {
        self.g(Call::GetExpectedTableOfContents, |f| f.expected_table_of_contents())
    }
    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType> {
        self.g(Call::GetCurrentPhysicalMediaType, |f| f.current_physical_media_type())
    }
    fn set_client_name(&self, name: Option<&str>) -> HrResult<()> {
        self.g(Call::PutClientName, |f| f.set_client_name(name))
    }
    fn client_name(&self) -> HrResult<Option<String>> {
        self.g(Call::GetClientName, |f| f.client_name())
    }
    fn requested_write_speed(&self) -> HrResult<i32> {
        self.g(Call::GetRequestedWriteSpeed, |f| f.requested_write_speed())
    }
    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.g(Call::GetRequestedRotationTypeIsPureCav, |f| f.requested_rotation_type_is_pure_cav())
    }
    fn current_write_speed(&self) -> HrResult<i32> {
        self.g(Call::GetCurrentWriteSpeed, |f| f.current_write_speed())
    }
    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.g(Call::GetCurrentRotationTypeIsPureCav, |f| f.current_rotation_type_is_pure_cav())
    }
    fn supported_write_speeds(&self) -> HrResult<Vec<i32>> {
        self.g(Call::GetSupportedWriteSpeeds, |f| f.supported_write_speeds())
    }
    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>> {
        self.g(Call::GetSupportedWriteSpeedDescriptors, |f| f.supported_write_speed_descriptors())
    }
    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()> {
        self.g(Call::PutBurnVerificationLevel, |f| f.set_burn_verification_level(level))
    }
    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel> {
        self.g(Call::GetBurnVerificationLevel, |f| f.burn_verification_level())
    }

    /// Connection points are not IMAPI2 members a rule can name: they pass straight through,
    /// with the sink wrapped.
    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
        self.inner.advise(Arc::new(OuterSink { sink, outer: self.me.clone() }))
    }
    fn unadvise(&self, cookie: u32) -> HrResult<()> {
        self.inner.unadvise(cookie)
    }
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}
