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
use crate::call::invoke::{descriptor, ints, strs};
use crate::call::{Call, EnumValue, Value};

fn int(n: &i32) -> Option<Value> {
    Some(Value::Int((*n).into()))
}

fn boolean(b: &bool) -> Option<Value> {
    Some(Value::Bool(*b))
}

fn string<S: AsRef<str>>(s: &S) -> Option<Value> {
    Some(Value::Str(s.as_ref().to_string()))
}

fn none<T>(_: &T) -> Option<Value> {
    None
}

/// Runs `f`, records the call with its HRESULT and (on success) the value `value` makes of
/// the result.
fn recorded<T>(
    journal: &Journal,
    entry: Entry,
    f: impl FnOnce() -> HrResult<T>,
    value: impl FnOnce(&T) -> Option<Value>,
) -> HrResult<T> {
    let r = f();
    match &r {
        Ok(v) => journal.record(entry, Hresult::S_OK, value(v)),
        Err(hr) => journal.record(entry, *hr, None),
    }
    r
}

/// A support check with its success code (S_FALSE after an internal failure), as the runner
/// records it.
fn support_recorded(
    journal: &Journal,
    entry: Entry,
    f: impl FnOnce() -> HrResult<SupportAnswer>,
) -> HrResult<SupportAnswer> {
    let r = f();
    match &r {
        Ok(a) => journal.record(entry, a.code, Some(Value::Bool(a.supported))),
        Err(hr) => journal.record(entry, *hr, None),
    }
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
    fn r<T>(
        &self,
        call: Call,
        args: Vec<Value>,
        f: impl FnOnce(&dyn DiscRecorder2) -> HrResult<T>,
        value: impl FnOnce(&T) -> Option<Value>,
    ) -> HrResult<T> {
        let entry = Entry { client: self.client, call, args, track: None };
        recorded(&self.journal, entry, || f(self.inner.as_ref()), value)
    }
}

impl DiscRecorder2 for RecRecorder {
    fn initialize_disc_recorder(&self, id: &str) -> HrResult<()> {
        let args = vec![Value::Str(id.to_string())];
        let r = self.r(Call::RecorderInitializeDiscRecorder, args, |r| r.initialize_disc_recorder(id), none);
        if r.is_ok() {
            self.journal.initialised(self.client, id);
        }
        r
    }
    fn active_disc_recorder(&self) -> HrResult<String> {
        self.r(Call::RecorderGetActiveDiscRecorder, vec![], |r| r.active_disc_recorder(), string)
    }
    fn vendor_id(&self) -> HrResult<String> {
        self.r(Call::RecorderGetVendorId, vec![], |r| r.vendor_id(), string)
    }
    fn product_id(&self) -> HrResult<String> {
        self.r(Call::RecorderGetProductId, vec![], |r| r.product_id(), string)
    }
    fn product_revision(&self) -> HrResult<String> {
        self.r(Call::RecorderGetProductRevision, vec![], |r| r.product_revision(), string)
    }
    fn volume_name(&self) -> HrResult<String> {
        self.r(Call::RecorderGetVolumeName, vec![], |r| r.volume_name(), string)
    }
    fn volume_path_names(&self) -> HrResult<Vec<String>> {
        self.r(Call::RecorderGetVolumePathNames, vec![], |r| r.volume_path_names(), |v| Some(strs(v.clone())))
    }
    fn device_can_load_media(&self) -> HrResult<bool> {
        self.r(Call::RecorderGetDeviceCanLoadMedia, vec![], |r| r.device_can_load_media(), boolean)
    }
    fn legacy_device_number(&self) -> HrResult<i32> {
        self.r(Call::RecorderGetLegacyDeviceNumber, vec![], |r| r.legacy_device_number(), int)
    }
    fn supported_profiles(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetSupportedProfiles, vec![], |r| r.supported_profiles(), |v| Some(ints(v.clone())))
    }
    fn current_profiles(&self) -> HrResult<Vec<i32>> {
        self.r(Call::RecorderGetCurrentProfiles, vec![], |r| r.current_profiles(), |v| Some(ints(v.clone())))
    }
    fn supported_feature_pages(&self) -> HrResult<Vec<i32>> {
        let value = |v: &Vec<i32>| Some(ints(v.clone()));
        self.r(Call::RecorderGetSupportedFeaturePages, vec![], |r| r.supported_feature_pages(), value)
    }
    fn current_feature_pages(&self) -> HrResult<Vec<i32>> {
        let value = |v: &Vec<i32>| Some(ints(v.clone()));
        self.r(Call::RecorderGetCurrentFeaturePages, vec![], |r| r.current_feature_pages(), value)
    }
    fn supported_mode_pages(&self) -> HrResult<Vec<i32>> {
        let value = |v: &Vec<i32>| Some(ints(v.clone()));
        self.r(Call::RecorderGetSupportedModePages, vec![], |r| r.supported_mode_pages(), value)
    }
    fn exclusive_access_owner(&self) -> HrResult<String> {
        self.r(Call::RecorderGetExclusiveAccessOwner, vec![], |r| r.exclusive_access_owner(), string)
    }
    fn acquire_exclusive_access(&self, force: bool, client_name: &str) -> HrResult<()> {
        let args = vec![Value::Bool(force), Value::Str(client_name.to_string())];
        self.r(Call::RecorderAcquireExclusiveAccess, args, |r| r.acquire_exclusive_access(force, client_name), none)
    }
    fn release_exclusive_access(&self) -> HrResult<()> {
        self.r(Call::RecorderReleaseExclusiveAccess, vec![], |r| r.release_exclusive_access(), none)
    }
    fn eject_media(&self) -> HrResult<()> {
        self.r(Call::RecorderEjectMedia, vec![], |r| r.eject_media(), none)
    }
    fn close_tray(&self) -> HrResult<()> {
        self.r(Call::RecorderCloseTray, vec![], |r| r.close_tray(), none)
    }
    fn disable_mcn(&self) -> HrResult<()> {
        self.r(Call::RecorderDisableMcn, vec![], |r| r.disable_mcn(), none)
    }
    fn enable_mcn(&self) -> HrResult<()> {
        self.r(Call::RecorderEnableMcn, vec![], |r| r.enable_mcn(), none)
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
    fn f<T>(
        &self,
        call: Call,
        args: Vec<Value>,
        f: impl FnOnce(&dyn DiscFormat2TrackAtOnce) -> HrResult<T>,
        value: impl FnOnce(&T) -> Option<Value>,
    ) -> HrResult<T> {
        let entry = Entry { client: self.client, call, args, track: None };
        recorded(&self.journal, entry, || f(self.inner.as_ref()), value)
    }

    fn recorder_arg(&self, recorder: Option<&dyn DiscRecorder2>) -> Vec<Value> {
        self.journal.recorder_arg(self.client, recorder)
    }
}

/// Hands Update events to the client's sink with the wrapper as the format object, after
/// noting them for the `during` calls of the write.
struct RecSink {
    sink: Arc<dyn TaoUpdateSink>,
    journal: Arc<Journal>,
    client: usize,
    outer: Weak<RecFormat>,
}

impl TaoUpdateSink for RecSink {
    fn update(&self, format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        self.journal.event(self.client, progress);
        match self.outer.upgrade() {
            Some(outer) => self.sink.update(outer.as_ref(), progress),
            None => self.sink.update(format, progress),
        }
    }
}

impl DiscFormat2TrackAtOnce for RecFormat {
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        let entry = Entry {
            client: self.client,
            call: Call::IsRecorderSupported,
            args: self.recorder_arg(Some(recorder)),
            track: None,
        };
        support_recorded(&self.journal, entry, || self.inner.is_recorder_supported(recorder))
    }
    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        let entry = Entry {
            client: self.client,
            call: Call::IsCurrentMediaSupported,
            args: self.recorder_arg(Some(recorder)),
            track: None,
        };
        support_recorded(&self.journal, entry, || self.inner.is_current_media_supported(recorder))
    }
    fn media_physically_blank(&self) -> HrResult<bool> {
        self.f(Call::GetMediaPhysicallyBlank, vec![], |f| f.media_physically_blank(), boolean)
    }
    fn media_heuristically_blank(&self) -> HrResult<bool> {
        self.f(Call::GetMediaHeuristicallyBlank, vec![], |f| f.media_heuristically_blank(), boolean)
    }
    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>> {
        let value = |v: &Vec<PhysicalMediaType>| {
            Some(Value::List(v.iter().map(|m| Value::Enum(EnumValue::media_type(*m))).collect()))
        };
        self.f(Call::GetSupportedMediaTypes, vec![], |f| f.supported_media_types(), value)
    }
    fn prepare_media(&self) -> HrResult<()> {
        self.f(Call::PrepareMedia, vec![], |f| f.prepare_media(), none)
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
            None => recorded(&self.journal, entry, || self.inner.add_audio_track(data), none),
        }
    }

    fn cancel_add_track(&self) -> HrResult<()> {
        self.f(Call::CancelAddTrack, vec![], |f| f.cancel_add_track(), none)
    }
    fn release_media(&self) -> HrResult<()> {
        self.f(Call::ReleaseMedia, vec![], |f| f.release_media(), none)
    }
    fn set_write_speed(&self, sectors_per_second: i32, pure_cav: bool) -> HrResult<Hresult> {
        let args = vec![Value::Int(sectors_per_second.into()), Value::Bool(pure_cav)];
        let entry = Entry { client: self.client, call: Call::SetWriteSpeed, args, track: None };
        // A success code other than S_OK (S_IMAPI_SPEEDADJUSTED) is the call's HRESULT.
        let r = self.inner.set_write_speed(sectors_per_second, pure_cav);
        self.journal.record(entry, r.unwrap_or_else(|hr| hr), None);
        r
    }
    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()> {
        let args = self.recorder_arg(recorder.as_deref());
        self.f(Call::PutRecorder, args, |f| f.set_recorder(recorder), none)
    }
    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
        // The value is the unique id of the recorder held, as the runner reads it (here from
        // what it was initialised with, without another call to the drive).
        let value = |r: &Option<Arc<dyn DiscRecorder2>>| match r {
            None => Some(Value::Null),
            Some(r) => self.journal.client_of(r.as_ref()).and_then(|c| self.journal.recorder_id(c)).map(Value::Str),
        };
        self.f(Call::GetRecorder, vec![], |f| f.recorder(), value)
    }
    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()> {
        let args = vec![Value::Bool(value)];
        self.f(Call::PutBufferUnderrunFreeDisabled, args, |f| f.set_buffer_underrun_free_disabled(value), none)
    }
    fn buffer_underrun_free_disabled(&self) -> HrResult<bool> {
        self.f(Call::GetBufferUnderrunFreeDisabled, vec![], |f| f.buffer_underrun_free_disabled(), boolean)
    }
    fn number_of_existing_tracks(&self) -> HrResult<i32> {
        self.f(Call::GetNumberOfExistingTracks, vec![], |f| f.number_of_existing_tracks(), int)
    }
    fn total_sectors_on_media(&self) -> HrResult<i32> {
        self.f(Call::GetTotalSectorsOnMedia, vec![], |f| f.total_sectors_on_media(), int)
    }
    fn free_sectors_on_media(&self) -> HrResult<i32> {
        self.f(Call::GetFreeSectorsOnMedia, vec![], |f| f.free_sectors_on_media(), int)
    }
    fn used_sectors_on_media(&self) -> HrResult<i32> {
        self.f(Call::GetUsedSectorsOnMedia, vec![], |f| f.used_sectors_on_media(), int)
    }
    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()> {
        self.f(Call::PutDoNotFinalizeMedia, vec![Value::Bool(value)], |f| f.set_do_not_finalize_media(value), none)
    }
    fn do_not_finalize_media(&self) -> HrResult<bool> {
        self.f(Call::GetDoNotFinalizeMedia, vec![], |f| f.do_not_finalize_media(), boolean)
    }
    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>> {
        let value = |v: &Vec<u8>| Some(Value::Bytes(v.clone()));
        self.f(Call::GetExpectedTableOfContents, vec![], |f| f.expected_table_of_contents(), value)
    }
    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType> {
        let value = |m: &PhysicalMediaType| Some(Value::Enum(EnumValue::media_type(*m)));
        self.f(Call::GetCurrentPhysicalMediaType, vec![], |f| f.current_physical_media_type(), value)
    }
    fn set_client_name(&self, name: Option<&str>) -> HrResult<()> {
        let args = vec![name.map_or(Value::Null, |n| Value::Str(n.to_string()))];
        self.f(Call::PutClientName, args, |f| f.set_client_name(name), none)
    }
    fn client_name(&self) -> HrResult<Option<String>> {
        let value = |n: &Option<String>| Some(n.clone().map_or(Value::Null, Value::Str));
        self.f(Call::GetClientName, vec![], |f| f.client_name(), value)
    }
    fn requested_write_speed(&self) -> HrResult<i32> {
        self.f(Call::GetRequestedWriteSpeed, vec![], |f| f.requested_write_speed(), int)
    }
    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        let f = |f: &dyn DiscFormat2TrackAtOnce| f.requested_rotation_type_is_pure_cav();
        self.f(Call::GetRequestedRotationTypeIsPureCav, vec![], f, boolean)
    }
    fn current_write_speed(&self) -> HrResult<i32> {
        self.f(Call::GetCurrentWriteSpeed, vec![], |f| f.current_write_speed(), int)
    }
    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        let f = |f: &dyn DiscFormat2TrackAtOnce| f.current_rotation_type_is_pure_cav();
        self.f(Call::GetCurrentRotationTypeIsPureCav, vec![], f, boolean)
    }
    fn supported_write_speeds(&self) -> HrResult<Vec<i32>> {
        self.f(Call::GetSupportedWriteSpeeds, vec![], |f| f.supported_write_speeds(), |v| Some(ints(v.clone())))
    }
    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>> {
        let value = |v: &Vec<WriteSpeedDescriptor>| Some(Value::List(v.iter().cloned().map(descriptor).collect()));
        self.f(Call::GetSupportedWriteSpeedDescriptors, vec![], |f| f.supported_write_speed_descriptors(), value)
    }
    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()> {
        let args = vec![Value::Int(i64::from(level as i32))];
        self.f(Call::PutBurnVerificationLevel, args, |f| f.set_burn_verification_level(level), none)
    }
    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel> {
        let value = |l: &BurnVerificationLevel| Some(Value::Enum(EnumValue::verification_level(*l)));
        self.f(Call::GetBurnVerificationLevel, vec![], |f| f.burn_verification_level(), value)
    }

    /// Connection points are not calls of the scenario format: they pass through, with the
    /// sink wrapped.
    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
        let journal = Arc::clone(&self.journal);
        self.inner.advise(Arc::new(RecSink { sink, journal, client: self.client, outer: self.me.clone() }))
    }
    fn unadvise(&self, cookie: u32) -> HrResult<()> {
        self.inner.unadvise(cookie)
    }
    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}
