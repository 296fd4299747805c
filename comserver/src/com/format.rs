//! `MsftDiscFormat2TrackAtOnce`: `IDiscFormat2`, `IDiscFormat2TrackAtOnce`, `IBurnVerification`
//! and the connection point of its Update event, over the simulator's format object.

use std::sync::{Arc, Mutex, PoisonError};

use cdr_sim::{BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, Hresult, PhysicalMediaType};
use windows::Win32::Foundation::{
    DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND, DISP_E_OVERFLOW, E_NOTIMPL, E_POINTER, VARIANT_BOOL,
};
use windows::Win32::Storage::Imapi::{
    DDiscFormat2TrackAtOnceEvents, IBurnVerification, IBurnVerification_Impl, IDiscFormat2TrackAtOnce,
    IDiscFormat2TrackAtOnce_Impl, IDiscFormat2_Impl, IDiscRecorder2, IWriteSpeedDescriptor, IWriteSpeedDescriptor_Impl,
    IMAPI_BURN_VERIFICATION_LEVEL, IMAPI_MEDIA_PHYSICAL_TYPE,
};
use windows::Win32::System::Com::{
    IConnectionPoint, IConnectionPointContainer, IConnectionPointContainer_Impl, IDispatch, IEnumConnectionPoints,
    IStream, ISupportErrorInfo, SAFEARRAY,
};
use windows_core::{implement, IUnknown, IUnknownImpl, Interface, Ref, BSTR, GUID};

use super::dispatch::{dual, Args, Call, Dispatch};
use super::errors::{fail, success_code, Com};
use super::events::{ConnectionPoint, Relay, Sinks};
use super::recorder::Recorder;
use super::stream::CallerStream;
use super::variant::{
    byte_array, i32_array, to_bool, to_i32, to_interface, to_string, variant_array, variant_bool, Var,
};
use crate::dispids::{format as f, speed_descriptor as sd, DispMember, FORMAT_TAO, SPEED_DESCRIPTOR};
use crate::session::Lease;

mod slots;

/// The COM object over the simulator's format object. Made into a COM object only by
/// [`Format::into_unknown`] (its get_Recorder slot is written by hand), never by the generated
/// `From` conversions.
#[implement(IDiscFormat2TrackAtOnce, IBurnVerification, IConnectionPointContainer, ISupportErrorInfo)]
pub(crate) struct Format {
    inner: Arc<dyn DiscFormat2TrackAtOnce>,
    /// The recorder object the client gave to put_Recorder, returned by get_Recorder.
    recorder: Mutex<Option<IDiscRecorder2>>,
    sinks: Arc<Sinks>,
    _lease: Lease,
}

// SAFETY: the stored recorder pointer is one of this server's own free-threaded objects
// (put_Recorder accepts nothing else), so it may be used and released on any thread.
unsafe impl Send for Format {}
// SAFETY: as above; the pointer is only touched under the mutex.
unsafe impl Sync for Format {}

impl Format {
    /// A format object over `inner`, relaying its Update events to the connection point.
    pub(crate) fn new(inner: Arc<dyn DiscFormat2TrackAtOnce>, lease: Lease) -> windows_core::Result<Format> {
        let sinks = Arc::new(Sinks::default());
        inner.advise(Arc::new(Relay(Arc::clone(&sinks)))).com()?;
        Ok(Format { inner, recorder: Mutex::new(None), sinks, _lease: lease })
    }

    /// The COM object, with the out-parameters IMAPI2 writes (see `slots`).
    pub(crate) fn into_unknown(self) -> IUnknown {
        slots::into_unknown(self)
    }

    fn set_recorder(&self, recorder: Option<IDiscRecorder2>) -> windows_core::Result<()> {
        let sim = recorder.as_ref().map(own_recorder).transpose()?;
        self.inner.set_recorder(sim).com()?;
        *self.recorder.lock().unwrap_or_else(PoisonError::into_inner) = recorder;
        Ok(())
    }

    fn get_recorder(&self) -> windows_core::Result<Option<IDiscRecorder2>> {
        self.inner.recorder().com()?;
        Ok(self.recorder.lock().unwrap_or_else(PoisonError::into_inner).clone())
    }

    fn add_audio_track(&self, this: &Format_Impl, data: Option<IStream>) -> windows_core::Result<()> {
        let Some(stream) = data else { return Err(fail(Hresult::E_POINTER)) };
        let mut stream = CallerStream::new(stream);
        let me: IDispatch = this.to_object().into_interface::<IUnknown>().cast()?;
        // The outer call names the object; a nested call (from a handler) keeps it.
        let previous = self.sinks.set_source(Some(me));
        let result = self.inner.add_audio_track(&mut stream);
        drop(self.sinks.set_source(previous));
        result.com()
    }

    fn set_write_speed(&self, speed: i32, pure_cav: bool) -> windows_core::Result<()> {
        success_code(self.inner.set_write_speed(speed, pure_cav).com()?)
    }

    /// The support check's flag and success code (S_FALSE after an internal failure).
    fn is_recorder_supported(
        &self,
        recorder: Option<IDiscRecorder2>,
        media: bool,
    ) -> windows_core::Result<cdr_sim::SupportAnswer> {
        let recorder = own_recorder(&recorder.ok_or_else(|| fail(Hresult::E_POINTER))?)?;
        if media {
            self.inner.is_current_media_supported(&*recorder).com()
        } else {
            self.inner.is_recorder_supported(&*recorder).com()
        }
    }

    fn speed_descriptors(&self) -> windows_core::Result<*mut SAFEARRAY> {
        let list = self.inner.supported_write_speed_descriptors().com()?;
        variant_array(
            list.into_iter()
                .map(|d| {
                    let d: IWriteSpeedDescriptor = SpeedDescriptor(d).into();
                    Var::dispatch(Some(d.into()))
                })
                .collect(),
        )
    }
}

/// The simulator's recorder behind one of this server's recorder objects; another IMAPI2
/// implementation's recorder is E_INVALIDARG, as the simulator answers a recorder of another
/// backend.
fn own_recorder(recorder: &IDiscRecorder2) -> windows_core::Result<Arc<dyn DiscRecorder2>> {
    match recorder.cast_object_ref::<Recorder>() {
        Ok(own) => Ok(Arc::clone(&own.inner)),
        Err(_) => Err(fail(Hresult::E_INVALIDARG)),
    }
}

/// A support check's answer through the vtable: the flag with S_OK, or S_FALSE.
fn support(answer: cdr_sim::SupportAnswer) -> windows_core::Result<VARIANT_BOOL> {
    success_code(answer.code)?;
    Ok(variant_bool(answer.supported))
}

fn media_type(t: PhysicalMediaType) -> IMAPI_MEDIA_PHYSICAL_TYPE {
    IMAPI_MEDIA_PHYSICAL_TYPE(t as i32)
}

impl IDiscFormat2_Impl for Format_Impl {
    // An S_FALSE answer (FALSE after an internal failure) goes back as the HRESULT S_FALSE; the
    // vtable's slot (`slots`) has written FALSE to the caller's flag before this runs.
    fn IsRecorderSupported(&self, recorder: Ref<IDiscRecorder2>) -> windows_core::Result<VARIANT_BOOL> {
        support(self.is_recorder_supported(recorder.cloned(), false)?)
    }
    fn IsCurrentMediaSupported(&self, recorder: Ref<IDiscRecorder2>) -> windows_core::Result<VARIANT_BOOL> {
        support(self.is_recorder_supported(recorder.cloned(), true)?)
    }
    fn MediaPhysicallyBlank(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.media_physically_blank().com()?))
    }
    fn MediaHeuristicallyBlank(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.media_heuristically_blank().com()?))
    }
    fn SupportedMediaTypes(&self) -> windows_core::Result<*mut SAFEARRAY> {
        let types: Vec<i32> = self.inner.supported_media_types().com()?.into_iter().map(|t| t as i32).collect();
        i32_array(&types)
    }
}

impl IDiscFormat2TrackAtOnce_Impl for Format_Impl {
    fn PrepareMedia(&self) -> windows_core::Result<()> {
        self.inner.prepare_media().com()
    }
    fn AddAudioTrack(&self, data: Ref<IStream>) -> windows_core::Result<()> {
        self.add_audio_track(self, data.cloned())
    }
    fn CancelAddTrack(&self) -> windows_core::Result<()> {
        self.inner.cancel_add_track().com()
    }
    fn ReleaseMedia(&self) -> windows_core::Result<()> {
        self.inner.release_media().com()
    }
    fn SetWriteSpeed(&self, speed: i32, pure_cav: VARIANT_BOOL) -> windows_core::Result<()> {
        self.set_write_speed(speed, pure_cav.as_bool())
    }
    fn SetRecorder(&self, value: Ref<IDiscRecorder2>) -> windows_core::Result<()> {
        self.set_recorder(value.cloned())
    }
    fn Recorder(&self) -> windows_core::Result<IDiscRecorder2> {
        // Not the vtable's get_Recorder: `slots` replaces that slot, since this
        // signature has no room for S_OK with NULL. For Rust callers of the trait, "no
        // recorder" is `Error::empty()` (S_OK and nothing).
        match self.get_recorder()? {
            Some(recorder) => Ok(recorder),
            None => Err(windows_core::Error::empty()),
        }
    }
    fn SetBufferUnderrunFreeDisabled(&self, value: VARIANT_BOOL) -> windows_core::Result<()> {
        self.inner.set_buffer_underrun_free_disabled(value.as_bool()).com()
    }
    fn BufferUnderrunFreeDisabled(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.buffer_underrun_free_disabled().com()?))
    }
    fn NumberOfExistingTracks(&self) -> windows_core::Result<i32> {
        self.inner.number_of_existing_tracks().com()
    }
    fn TotalSectorsOnMedia(&self) -> windows_core::Result<i32> {
        self.inner.total_sectors_on_media().com()
    }
    fn FreeSectorsOnMedia(&self) -> windows_core::Result<i32> {
        self.inner.free_sectors_on_media().com()
    }
    fn UsedSectorsOnMedia(&self) -> windows_core::Result<i32> {
        self.inner.used_sectors_on_media().com()
    }
    fn SetDoNotFinalizeMedia(&self, value: VARIANT_BOOL) -> windows_core::Result<()> {
        self.inner.set_do_not_finalize_media(value.as_bool()).com()
    }
    fn DoNotFinalizeMedia(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.do_not_finalize_media().com()?))
    }
    fn ExpectedTableOfContents(&self) -> windows_core::Result<*mut SAFEARRAY> {
        byte_array(&self.inner.expected_table_of_contents().com()?)
    }
    fn CurrentPhysicalMediaType(&self) -> windows_core::Result<IMAPI_MEDIA_PHYSICAL_TYPE> {
        Ok(media_type(self.inner.current_physical_media_type().com()?))
    }
    fn SetClientName(&self, value: &BSTR) -> windows_core::Result<()> {
        // A NULL BSTR and an empty one are the same to COM's marshalling; IMAPI2 rejects both.
        let name = value.to_string();
        self.inner.set_client_name(if value.is_empty() { None } else { Some(&name) }).com()
    }
    fn ClientName(&self) -> windows_core::Result<BSTR> {
        Ok(self.inner.client_name().com()?.map(BSTR::from).unwrap_or_default())
    }
    fn RequestedWriteSpeed(&self) -> windows_core::Result<i32> {
        self.inner.requested_write_speed().com()
    }
    fn RequestedRotationTypeIsPureCAV(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.requested_rotation_type_is_pure_cav().com()?))
    }
    fn CurrentWriteSpeed(&self) -> windows_core::Result<i32> {
        self.inner.current_write_speed().com()
    }
    fn CurrentRotationTypeIsPureCAV(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.current_rotation_type_is_pure_cav().com()?))
    }
    fn SupportedWriteSpeeds(&self) -> windows_core::Result<*mut SAFEARRAY> {
        i32_array(&self.inner.supported_write_speeds().com()?)
    }
    fn SupportedWriteSpeedDescriptors(&self) -> windows_core::Result<*mut SAFEARRAY> {
        self.speed_descriptors()
    }
}

impl IBurnVerification_Impl for Format_Impl {
    fn SetBurnVerificationLevel(&self, value: IMAPI_BURN_VERIFICATION_LEVEL) -> windows_core::Result<()> {
        let level = BurnVerificationLevel::from_value(value.0).ok_or_else(|| fail(Hresult::E_INVALIDARG))?;
        self.inner.set_burn_verification_level(level).com()
    }
    fn BurnVerificationLevel(&self) -> windows_core::Result<IMAPI_BURN_VERIFICATION_LEVEL> {
        Ok(IMAPI_BURN_VERIFICATION_LEVEL(self.inner.burn_verification_level().com()? as i32))
    }
}

impl IConnectionPointContainer_Impl for Format_Impl {
    fn EnumConnectionPoints(&self) -> windows_core::Result<IEnumConnectionPoints> {
        Err(E_NOTIMPL.into())
    }
    fn FindConnectionPoint(&self, riid: *const GUID) -> windows_core::Result<IConnectionPoint> {
        // SAFETY: FindConnectionPoint's contract: `riid` is NULL or valid.
        let riid = unsafe { riid.as_ref() }.ok_or_else(|| windows_core::Error::from(E_POINTER))?;
        if *riid != DDiscFormat2TrackAtOnceEvents::IID {
            // CONNECT_E_NOCONNECTION.
            return Err(windows_core::Error::from_hresult(windows_core::HRESULT(0x8004_0200_u32 as i32)));
        }
        let container: IConnectionPointContainer = self.to_object().into_interface::<IUnknown>().cast()?;
        Ok(ConnectionPoint { sinks: Arc::clone(&self.sinks), container }.into())
    }
}

impl Dispatch for Format_Impl {
    const TABLE: &'static [DispMember] = FORMAT_TAO;

    fn call(&self, dispid: i32, call: Call, args: &Args) -> windows_core::Result<Var> {
        let i = &self.inner;
        let done = |r: cdr_sim::HrResult<()>| r.com().map(|()| Var::empty());
        let int = |r: cdr_sim::HrResult<i32>| r.com().map(Var::i32);
        let boolean = |r: cdr_sim::HrResult<bool>| r.com().map(Var::bool);
        let arity =
            |n: usize| if args.len() == n { Ok(()) } else { Err(windows_core::Error::from(DISP_E_BADPARAMCOUNT)) };
        let put = call == Call::Put;
        match (dispid, put) {
            (f::RECORDER, true) => {
                self.set_recorder(to_interface::<IDiscRecorder2>(args.value()?)?)?;
                Ok(Var::empty())
            }
            (f::RECORDER, false) => Ok(Var::dispatch(self.get_recorder()?.map(|r| r.into()))),
            (f::BUFFER_UNDERRUN_FREE_DISABLED, true) => {
                done(i.set_buffer_underrun_free_disabled(to_bool(args.value()?)?))
            }
            (f::BUFFER_UNDERRUN_FREE_DISABLED, false) => boolean(i.buffer_underrun_free_disabled()),
            (f::DO_NOT_FINALIZE_MEDIA, true) => done(i.set_do_not_finalize_media(to_bool(args.value()?)?)),
            (f::DO_NOT_FINALIZE_MEDIA, false) => boolean(i.do_not_finalize_media()),
            (f::CLIENT_NAME, true) => {
                let name = to_string(args.value()?)?.filter(|s| !s.is_empty());
                done(i.set_client_name(name.as_deref()))
            }
            (f::CLIENT_NAME, false) => Ok(Var::string(&i.client_name().com()?.unwrap_or_default())),
            (_, true) => Err(DISP_E_MEMBERNOTFOUND.into()),
            (f::NUMBER_OF_EXISTING_TRACKS, _) => int(i.number_of_existing_tracks()),
            (f::TOTAL_SECTORS_ON_MEDIA, _) => int(i.total_sectors_on_media()),
            (f::FREE_SECTORS_ON_MEDIA, _) => int(i.free_sectors_on_media()),
            (f::USED_SECTORS_ON_MEDIA, _) => int(i.used_sectors_on_media()),
            (f::EXPECTED_TABLE_OF_CONTENTS, _) => Ok(Var::array(byte_array(&i.expected_table_of_contents().com()?)?)),
            (f::CURRENT_PHYSICAL_MEDIA_TYPE, _) => Ok(Var::i32(i.current_physical_media_type().com()? as i32)),
            (f::REQUESTED_WRITE_SPEED, _) => int(i.requested_write_speed()),
            (f::REQUESTED_ROTATION_TYPE_IS_PURE_CAV, _) => boolean(i.requested_rotation_type_is_pure_cav()),
            (f::CURRENT_WRITE_SPEED, _) => int(i.current_write_speed()),
            (f::CURRENT_ROTATION_TYPE_IS_PURE_CAV, _) => boolean(i.current_rotation_type_is_pure_cav()),
            (f::SUPPORTED_WRITE_SPEEDS, _) => Ok(Var::array(i32_array(&i.supported_write_speeds().com()?)?)),
            (f::SUPPORTED_WRITE_SPEED_DESCRIPTORS, _) => Ok(Var::array(self.speed_descriptors()?)),
            (f::PREPARE_MEDIA, _) => done(i.prepare_media()),
            (f::ADD_AUDIO_TRACK, _) => {
                arity(1)?;
                self.add_audio_track(self, to_interface::<IStream>(args.get(0)?)?)?;
                Ok(Var::empty())
            }
            (f::CANCEL_ADD_TRACK, _) => done(i.cancel_add_track()),
            (f::RELEASE_MEDIA, _) => done(i.release_media()),
            (f::SET_WRITE_SPEED, _) => {
                arity(2)?;
                self.set_write_speed(to_i32(args.get(0)?)?, to_bool(args.get(1)?)?)?;
                Ok(Var::empty())
            }
            (f::MEDIA_PHYSICALLY_BLANK, _) => boolean(i.media_physically_blank()),
            (f::MEDIA_HEURISTICALLY_BLANK, _) => boolean(i.media_heuristically_blank()),
            (f::SUPPORTED_MEDIA_TYPES, _) => {
                let types: Vec<i32> = i.supported_media_types().com()?.into_iter().map(|t| t as i32).collect();
                Ok(Var::array(i32_array(&types)?))
            }
            (f::IS_RECORDER_SUPPORTED | f::IS_CURRENT_MEDIA_SUPPORTED, _) => {
                arity(1)?;
                let recorder = to_interface::<IDiscRecorder2>(args.get(0)?)?;
                // Through IDispatch the flag is the result; S_FALSE has no place there.
                Ok(Var::bool(self.is_recorder_supported(recorder, dispid == f::IS_CURRENT_MEDIA_SUPPORTED)?.supported))
            }
            _ => Err(DISP_E_MEMBERNOTFOUND.into()),
        }
    }
}

dual!(Format_Impl);

/// `IWriteSpeedDescriptor`: one entry of SupportedWriteSpeedDescriptors.
#[implement(IWriteSpeedDescriptor, ISupportErrorInfo)]
struct SpeedDescriptor(cdr_sim::WriteSpeedDescriptor);

impl IWriteSpeedDescriptor_Impl for SpeedDescriptor_Impl {
    fn MediaType(&self) -> windows_core::Result<IMAPI_MEDIA_PHYSICAL_TYPE> {
        Ok(media_type(self.0.media_type))
    }
    fn RotationTypeIsPureCAV(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.0.rotation_type_is_pure_cav))
    }
    fn WriteSpeed(&self) -> windows_core::Result<i32> {
        Ok(self.0.write_speed)
    }
}

impl Dispatch for SpeedDescriptor_Impl {
    const TABLE: &'static [DispMember] = SPEED_DESCRIPTOR;

    fn call(&self, dispid: i32, call: Call, _args: &Args) -> windows_core::Result<Var> {
        match (dispid, call) {
            (_, Call::Put) => Err(DISP_E_MEMBERNOTFOUND.into()),
            (sd::MEDIA_TYPE, _) => Ok(Var::i32(self.0.media_type as i32)),
            (sd::ROTATION_TYPE_IS_PURE_CAV, _) => Ok(Var::bool(self.0.rotation_type_is_pure_cav)),
            (sd::WRITE_SPEED, _) => Ok(Var::i32(self.0.write_speed)),
            _ => Err(DISP_E_OVERFLOW.into()),
        }
    }
}

dual!(SpeedDescriptor_Impl);
