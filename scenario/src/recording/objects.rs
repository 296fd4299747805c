//! The objects a [`Recording`](super::Recording) hands out: each wraps the inner backend's
//! object and records every member call with its answer, as the runner's dispatch
//! ([`crate::call::invoke`]) types them.

use std::any::Any;
use std::sync::{Arc, Weak};

use cdr_sim::{
    AudioStream, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, HrResult, Hresult, PhysicalMediaType,
    SupportAnswer, TaoProgress, TaoUpdateSink, WriteSpeedDescriptor,
};

use super::journal::{Entry, Journal};
use crate::call::answer::Answer;
use crate::call::{Call, Value};
use crate::middleware::OuterSink;

/// Runs `f` and records the call with what it answered (HRESULT and value, as the runner's
/// dispatch writes them).
fn recorded<T: Answer>(journal: &Journal, entry: Entry, f: impl FnOnce() -> HrResult<T>) -> HrResult<T> {
    let r = f();
    let (hr, value) = match &r {
        Ok(v) => v.answer(),
        Err(hr) => (*hr, None),
    };
    journal.record(entry, hr, value);
    r
}

/// `IDiscRecorder2` recorded. `as_any` answers with the inner object, so the inner backend
/// recognises its own recorder behind the wrapper.
pub struct RecRecorder {
    pub(super) inner: Arc<dyn DiscRecorder2>,
    pub(super) journal: Arc<Journal>,
    pub(super) client: usize,
}

impl RecRecorder {
    fn r<T: Answer>(
        &self,
        call: Call,
        args: Vec<Value>,
        f: impl FnOnce(&dyn DiscRecorder2) -> HrResult<T>,
    ) -> HrResult<T> {
        let entry = Entry { client: self.client, call, args, track: None };
        recorded(&self.journal, entry, || f(self.inner.as_ref()))
    }
}

impl DiscRecorder2 for RecRecorder {
    fn initialize_disc_recorder(&self, id: &str) -> HrResult<()> {
        let args = vec![Value::Str(id.to_string())];
        let r = self.r(Call::RecorderInitializeDiscRecorder, args, |r| r.initialize_disc_recorder(id));
        if r.is_ok() {
            self.journal.initialised(self.client, id);
        }
        r
    }
    fn active_disc_recorder(&self) -> HrResult<String> {
        self.r(Call::RecorderGetActiveDiscRecorder, vec![], |r| r.active_disc_recorder())
    }
    fn vendor_id(&self) -> HrResult<String> {
        self.r(Call::RecorderGetVendorId, vec![], |r| r.vendor_id())
    }
    fn product_id(&self) -> HrResult<String> {
        self.r(Call::RecorderGetProductId, vec![], |r| r.product_id())
    }
    fn product_revision(&self) -> HrResult<String> {
        self.r(Call::RecorderGetProductRevision, vec![], |r| r.product_revision())
    }
    fn volume_name(&self) -> HrResult<String> {
        self.r(Call::RecorderGetVolumeName, vec![], |r| r.volume_name())
    }
    fn volume_path_names(&self) -> HrResult<Vec<String>> {
        self.r(Call::RecorderGetVolumePathNames, vec![], |r| r.volume_path_names())
    }
    fn device_can_load_media(&self) -> HrResult<bool> {
        self.r(Call::RecorderGetDeviceCanLoadMedia, vec![], |r| r.device_can_load_media())
    }
    fn legacy_device_number(&self) -> HrResult<i32> {
        self.r(Call::RecorderGetLegacyDeviceNumber, vec![], |r| r.legacy_device_number())
    }
    fn supported_profiles(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetSupportedProfiles, vec![], |r| r.supported_profiles())
    }
    fn current_profiles(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetCurrentProfiles, vec![], |r| r.current_profiles())
    }
    fn supported_feature_pages(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetSupportedFeaturePages, vec![], |r| r.supported_feature_pages())
    }
    fn current_feature_pages(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetCurrentFeaturePages, vec![], |r| r.current_feature_pages())
    }
    fn supported_mode_pages(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetSupportedModePages, vec![], |r| r.supported_mode_pages())
    }
    fn exclusive_access_owner(&self) -> HrResult<String> {
        self.r(Call::RecorderGetExclusiveAccessOwner, vec![], |r| r.exclusive_access_owner())
    }
    fn acquire_exclusive_access(&self, force: bool, client_name: &str) -> HrResult<()> {
        let args = vec![Value::Bool(force), Value::Str(client_name.to_string())];
        self.r(Call::RecorderAcquireExclusiveAccess, args, |r| r.acquire_exclusive_access(force, client_name))
    }
    fn release_exclusive_access(&self) -> HrResult<()> {
        self.r(Call::RecorderReleaseExclusiveAccess, vec![], |r| r.release_exclusive_access())
    }
    fn eject_media(&self) -> HrResult<()> {
        self.r(Call::RecorderEjectMedia, vec![], |r| r.eject_media())
    }
    fn close_tray(&self) -> HrResult<()> {
        self.r(Call::RecorderCloseTray, vec![], |r| r.close_tray())
    }
    fn disable_mcn(&self) -> HrResult<()> {
        self.r(Call::RecorderDisableMcn, vec![], |r| r.disable_mcn())
    }
    fn enable_mcn(&self) -> HrResult<()> {
        self.r(Call::RecorderEnableMcn, vec![], |r| r.enable_mcn())
    }
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}

/// `MsftDiscFormat2TrackAtOnce` recorded.
pub struct RecFormat {
    pub(super) inner: Arc<dyn DiscFormat2TrackAtOnce>,
    pub(super) journal: Arc<Journal>,
    pub(super) client: usize,
    /// This object, for the Update handlers: they receive the wrapper, so that their calls are
    /// recorded too.
    pub(super) me: Weak<RecFormat>,
}

impl RecFormat {
    fn f<T: Answer>(
        &self,
        call: Call,
        args: Vec<Value>,
        f: impl FnOnce(&dyn DiscFormat2TrackAtOnce) -> HrResult<T>,
    ) -> HrResult<T> {
        let entry = Entry { client: self.client, call, args, track: None };
        recorded(&self.journal, entry, || f(self.inner.as_ref()))
    }

    fn recorder_arg(&self, recorder: Option<&dyn DiscRecorder2>) -> Vec<Value> {
        self.journal.recorder_arg(self.client, recorder)
    }
}

/// Notes Update events for the `during` calls of the write, then hands them to the client's
/// sink with the wrapper as the format object.
struct RecSink {
    outer: OuterSink<RecFormat>,
    journal: Arc<Journal>,
    client: usize,
}

impl TaoUpdateSink for RecSink {
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        self.journal.event(self.client, progress);
        self.outer.update(format, progress);
    }
}

impl DiscFormat2TrackAtOnce for RecFormat {
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        let args = self.recorder_arg(Some(recorder));
        self.f(Call::IsRecorderSupported, args, |f| f.is_recorder_supported(recorder))
    }
    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        let args = self.recorder_arg(Some(recorder));
        self.f(Call::IsCurrentMediaSupported, args, |f| f.is_current_media_supported(recorder))
    }
    fn media_physically_blank(&self) -> HrResult<bool> {
        self.f(Call::GetMediaPhysicallyBlank, vec![], |f| f.media_physically_blank())
    }
    fn media_heuristically_blank(&self) -> HrResult<bool> {
        self.f(Call::GetMediaHeuristicallyBlank, vec![], |f| f.media_heuristically_blank())
    }
    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>> {
        self.f(Call::GetSupportedMediaTypes, vec![], |f| f.supported_media_types())
    }
    fn prepare_media(&self) -> HrResult<()> {
        self.f(Call::PrepareMedia, vec![], |f| f.prepare_media())
    }

    /// The stream is written as `bytes = N` (its size as Stat reports it): the data itself is
    /// the application's, and a synthetic stream of that size gives the same answers.
    fn add_audio_track(&self, data: &mut dyn AudioStream) -> HrResult<()> {
        let track = data.size().map(|n| format!("bytes = {n}"));
        let entry = Entry { client: self.client, call: Call::AddAudioTrack, args: vec![], track };
        match self.journal.begin_write(&entry) {
            Some(step) => {
                let r = self.inner.add_audio_track(data);
                self.journal.end_write(step, r.err().unwrap_or(Hresult::S_OK));
                r
            }
            None => recorded(&self.journal, entry, || self.inner.add_audio_track(data)),
        }
    }

    fn cancel_add_track(&self) -> HrResult<()> {
        self.f(Call::CancelAddTrack, vec![], |f| f.cancel_add_track())
    }
    fn release_media(&self) -> HrResult<()> {
        self.f(Call::ReleaseMedia, vec![], |f| f.release_media())
    }
    fn set_write_speed(&self, sectors_per_second: i32, pure_cav: bool) -> HrResult<Hresult> {
        let args = vec![Value::Int(sectors_per_second.into()), Value::Bool(pure_cav)];
        self.f(Call::SetWriteSpeed, args, |f| f.set_write_speed(sectors_per_second, pure_cav))
    }
    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()> {
        let args = self.recorder_arg(recorder.as_deref());
        self.f(Call::PutRecorder, args, |f| f.set_recorder(recorder))
    }
    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
        // The value is the unique id of the recorder held, as the runner reads it (here from
        // what it was initialised with, without another call to the drive).
        let r = self.inner.recorder();
        let (hr, value) = match &r {
            Ok(None) => (Hresult::S_OK, Some(Value::Null)),
            Ok(Some(r)) => (Hresult::S_OK, self.journal.recorder_id(r.as_ref()).map(Value::Str)),
            Err(hr) => (*hr, None),
        };
        let entry = Entry { client: self.client, call: Call::GetRecorder, args: vec![], track: None };
        self.journal.record(entry, hr, value);
        r
    }
    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()> {
        let args = vec![Value::Bool(value)];
        self.f(Call::PutBufferUnderrunFreeDisabled, args, |f| f.set_buffer_underrun_free_disabled(value))
    }
    fn buffer_underrun_free_disabled(&self) -> HrResult<bool> {
        self.f(Call::GetBufferUnderrunFreeDisabled, vec![], |f| f.buffer_underrun_free_disabled())
    }
    fn number_of_existing_tracks(&self) -> HrResult<i32> {
        self.f(Call::GetNumberOfExistingTracks, vec![], |f| f.number_of_existing_tracks())
    }
    fn total_sectors_on_media(&self) -> HrResult<i32> {
        self.f(Call::GetTotalSectorsOnMedia, vec![], |f| f.total_sectors_on_media())
    }
    fn free_sectors_on_media(&self) -> HrResult<i32> {
        self.f(Call::GetFreeSectorsOnMedia, vec![], |f| f.free_sectors_on_media())
    }
    fn used_sectors_on_media(&self) -> HrResult<i32> {
        self.f(Call::GetUsedSectorsOnMedia, vec![], |f| f.used_sectors_on_media())
    }
    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()> {
        self.f(Call::PutDoNotFinalizeMedia, vec![Value::Bool(value)], |f| f.set_do_not_finalize_media(value))
    }
    fn do_not_finalize_media(&self) -> HrResult<bool> {
        self.f(Call::GetDoNotFinalizeMedia, vec![], |f| f.do_not_finalize_media())
    }
    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>> {
        self.f(Call::GetExpectedTableOfContents, vec![], |f| f.expected_table_of_contents())
    }
    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType> {
        self.f(Call::GetCurrentPhysicalMediaType, vec![], |f| f.current_physical_media_type())
    }
    fn set_client_name(&self, name: Option<&str>) -> HrResult<()> {
        let args = vec![name.map_or(Value::Null, |n| Value::Str(n.to_string()))];
        self.f(Call::PutClientName, args, |f| f.set_client_name(name))
    }
    fn client_name(&self) -> HrResult<Option<String>> {
        self.f(Call::GetClientName, vec![], |f| f.client_name())
    }
    fn requested_write_speed(&self) -> HrResult<i32> {
        self.f(Call::GetRequestedWriteSpeed, vec![], |f| f.requested_write_speed())
    }
    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.f(Call::GetRequestedRotationTypeIsPureCav, vec![], |f| f.requested_rotation_type_is_pure_cav())
    }
    fn current_write_speed(&self) -> HrResult<i32> {
        self.f(Call::GetCurrentWriteSpeed, vec![], |f| f.current_write_speed())
    }
    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.f(Call::GetCurrentRotationTypeIsPureCav, vec![], |f| f.current_rotation_type_is_pure_cav())
    }
    fn supported_write_speeds(&self) -> HrResult<Vec<i32>> {
        self.f(Call::GetSupportedWriteSpeeds, vec![], |f| f.supported_write_speeds())
    }
    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>> {
        self.f(Call::GetSupportedWriteSpeedDescriptors, vec![], |f| f.supported_write_speed_descriptors())
    }
    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()> {
        let args = vec![Value::Int(i64::from(level as i32))];
        self.f(Call::PutBurnVerificationLevel, args, |f| f.set_burn_verification_level(level))
    }
    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel> {
        self.f(Call::GetBurnVerificationLevel, vec![], |f| f.burn_verification_level())
    }

    /// Connection points are not calls of the scenario format: they pass through, with the
    /// sink wrapped.
    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
        let outer = OuterSink { sink, outer: self.me.clone() };
        self.inner.advise(Arc::new(RecSink { outer, journal: Arc::clone(&self.journal), client: self.client }))
    }
    fn unadvise(&self, cookie: u32) -> HrResult<()> {
        self.inner.unadvise(cookie)
    }
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}
