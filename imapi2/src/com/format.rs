//! `MsftDiscFormat2TrackAtOnce` (with `IBurnVerification`) behind [`DiscFormat2TrackAtOnce`].
//!
//! Members whose return code matters beyond success/failure, or whose NULL arguments and
//! results the `windows` wrappers cannot express, call the vtable directly:
//! `SetWriteSpeed` and the support checks (success codes: S_IMAPI_SPEEDADJUSTED, S_FALSE),
//! `put_Recorder(NULL)`, `get_Recorder` (NULL when none),
//! `put_ClientName(NULL)` and `get_ClientName` (NULL when never set).

use std::any::Any;
use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Weak};

use cdr_sim::{
    AudioStream, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscRecorder2, HrResult, Hresult, PhysicalMediaType,
    SupportAnswer, TaoUpdateSink, WriteSpeedDescriptor,
};
use windows::Win32::Foundation::{SysAllocStringLen, VARIANT_BOOL};
use windows::Win32::Storage::Imapi::{
    IBurnVerification, IDiscFormat2TrackAtOnce, IDiscRecorder2, IWriteSpeedDescriptor, IMAPI_BURN_VERIFICATION_LEVEL,
};
use windows::Win32::System::Com::SAFEARRAY;
use windows_core::{Interface, BSTR};

use super::apartment::enter_mta;
use super::panics::PanicSlot;
use super::recorder::ComRecorder;
use super::safearray::{conversion, SafeArray};
use super::{call, events, istream, raw};
use crate::convert::{
    bytes_from_variants, from_variant_bool, ints_from_variants, media_type, media_types_from_variants, to_variant_bool,
    verification_level, write_speed_descriptor,
};

/// One format object.
pub(crate) struct ComFormat {
    pub(crate) format: IDiscFormat2TrackAtOnce,
    /// This object, for the Update sink to pass to handlers (see `events`).
    pub(crate) this: Weak<ComFormat>,
    /// Update events whose progress could not be read, so were not delivered.
    pub(crate) undelivered_updates: AtomicU32,
    /// A panic of an Update handler, caught in the sink, resumed by [`ComFormat::resume_panic`].
    pub(crate) panic: PanicSlot,
}

// SAFETY: see the module doc of `com` (an MTA object used only from MTA threads, every member
// going through `call`/`enter_mta`). The atomic and the Weak are Send + Sync themselves.
unsafe impl Send for ComFormat {}
// SAFETY: as for Send. IMAPI2 expects concurrent calls on this object (CancelAddTrack from
// another thread while AddAudioTrack runs) and synchronises them itself.
unsafe impl Sync for ComFormat {}

impl ComFormat {
    pub(crate) fn new(format: IDiscFormat2TrackAtOnce) -> Arc<ComFormat> {
        Arc::new_cyclic(|this| ComFormat {
            format,
            this: this.clone(),
            undelivered_updates: AtomicU32::new(0),
            panic: PanicSlot::default(),
        })
    }

    fn flag(&self, f: impl FnOnce(&IDiscFormat2TrackAtOnce) -> windows_core::Result<VARIANT_BOOL>) -> HrResult<bool> {
        call(|| f(&self.format)).map(|b| from_variant_bool(b.0))
    }

    /// A support check (`IsRecorderSupported`, `IsCurrentMediaSupported`) through its vtable
    /// `slot`: the wrapper's `Result<VARIANT_BOOL>` would hide S_FALSE (spec 2: an internal
    /// failure of the check).
    fn support(&self, recorder: &dyn DiscRecorder2, slot: SupportSlot) -> HrResult<SupportAnswer> {
        let recorder = ComRecorder::of(recorder)?;
        enter_mta()?;
        let mut flag = VARIANT_BOOL(0);
        // SAFETY: a slot of this object's vtable, called on it with a valid recorder pointer and
        // a flag that lives for the call.
        let code = unsafe { slot(self.format.as_raw(), recorder.recorder.as_raw(), &mut flag) };
        raw(code).map(|code| SupportAnswer { code, supported: from_variant_bool(flag.0) })
    }

    fn array(
        &self,
        f: impl FnOnce(&IDiscFormat2TrackAtOnce) -> windows_core::Result<*mut SAFEARRAY>,
    ) -> HrResult<SafeArray> {
        // SAFETY: IMAPI2's SAFEARRAY getters hand the array to the caller.
        call(|| f(&self.format)).map(|p| unsafe { SafeArray::from_raw(p) })
    }

    /// Resumes, in the caller, a panic an Update handler raised while IMAPI2 was serving the
    /// member that just returned (AddAudioTrack fires Update; PrepareMedia and ReleaseMedia
    /// may). The member's own result is dropped with it: the panic is what the caller sees.
    fn resume_panic<T>(&self, result: T) -> T {
        self.panic.resume();
        result
    }

    fn verification(&self) -> HrResult<IBurnVerification> {
        call(|| self.format.cast::<IBurnVerification>())
    }
}

/// The vtable slot of a support check: `(this, recorder, *flag) -> HRESULT`.
type SupportSlot = unsafe extern "system" fn(*mut c_void, *mut c_void, *mut VARIANT_BOOL) -> windows_core::HRESULT;

fn bool_arg(b: bool) -> VARIANT_BOOL {
    VARIANT_BOOL(to_variant_bool(b))
}

// SAFETY (every `unsafe` block that is not commented otherwise): an IMAPI2 member called
// through the `windows` bindings on a valid interface pointer, with arguments that live for
// the call.
impl DiscFormat2TrackAtOnce for ComFormat {
    fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        self.support(recorder, Interface::vtable(&self.format).base__.IsRecorderSupported)
    }
    fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer> {
        self.support(recorder, Interface::vtable(&self.format).base__.IsCurrentMediaSupported)
    }
    fn media_physically_blank(&self) -> HrResult<bool> {
        self.flag(|f| unsafe { f.MediaPhysicallyBlank() })
    }
    fn media_heuristically_blank(&self) -> HrResult<bool> {
        self.flag(|f| unsafe { f.MediaHeuristicallyBlank() })
    }
    fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>> {
        let array = self.array(|f| unsafe { f.SupportedMediaTypes() })?;
        media_types_from_variants(&array.values()?).map_err(conversion)
    }

    fn prepare_media(&self) -> HrResult<()> {
        self.resume_panic(call(|| unsafe { self.format.PrepareMedia() }))
    }
    fn add_audio_track(&self, data: &mut dyn AudioStream) -> HrResult<()> {
        enter_mta()?;
        let result = istream::with_track_stream(data, |stream| {
            // SAFETY: AddAudioTrack on a valid pointer; `stream` lives for the call (and the
            // source behind it is detached by `with_track_stream` afterwards).
            let code =
                unsafe { (Interface::vtable(&self.format).AddAudioTrack)(self.format.as_raw(), stream.as_raw()) };
            raw(code).map(|_| ())
        });
        self.resume_panic(result)
    }
    fn cancel_add_track(&self) -> HrResult<()> {
        call(|| unsafe { self.format.CancelAddTrack() })
    }
    fn release_media(&self) -> HrResult<()> {
        self.resume_panic(call(|| unsafe { self.format.ReleaseMedia() }))
    }
    fn set_write_speed(&self, requested_sectors_per_second: i32, rotation_type_is_pure_cav: bool) -> HrResult<Hresult> {
        enter_mta()?;
        // Through the vtable: the wrapper's `Result<()>` would hide S_IMAPI_SPEEDADJUSTED & co.
        let code = unsafe {
            (Interface::vtable(&self.format).SetWriteSpeed)(
                self.format.as_raw(),
                requested_sectors_per_second,
                bool_arg(rotation_type_is_pure_cav),
            )
        };
        raw(code)
    }

    fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()> {
        enter_mta()?;
        let pointer = match &recorder {
            Some(r) => ComRecorder::of(r.as_ref())?.recorder.as_raw(),
            None => null_mut(),
        };
        // SAFETY: put_Recorder with a valid pointer (IMAPI2 AddRefs what it keeps) or NULL.
        let code = unsafe { (Interface::vtable(&self.format).SetRecorder)(self.format.as_raw(), pointer) };
        raw(code).map(|_| ())
    }
    fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>> {
        enter_mta()?;
        let mut pointer: *mut c_void = null_mut();
        // SAFETY: get_Recorder writes an AddRef'd pointer or NULL.
        let code = unsafe { (Interface::vtable(&self.format).Recorder)(self.format.as_raw(), &mut pointer) };
        raw(code)?;
        if pointer.is_null() {
            return Ok(None);
        }
        // SAFETY: a non-null, AddRef'd IDiscRecorder2 whose reference is now owned here.
        let recorder = unsafe { IDiscRecorder2::from_raw(pointer) };
        Ok(Some(Arc::new(ComRecorder::new(recorder))))
    }
    fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()> {
        call(|| unsafe { self.format.SetBufferUnderrunFreeDisabled(bool_arg(value)) })
    }
    fn buffer_underrun_free_disabled(&self) -> HrResult<bool> {
        self.flag(|f| unsafe { f.BufferUnderrunFreeDisabled() })
    }
    fn number_of_existing_tracks(&self) -> HrResult<i32> {
        call(|| unsafe { self.format.NumberOfExistingTracks() })
    }
    fn total_sectors_on_media(&self) -> HrResult<i32> {
        call(|| unsafe { self.format.TotalSectorsOnMedia() })
    }
    fn free_sectors_on_media(&self) -> HrResult<i32> {
        call(|| unsafe { self.format.FreeSectorsOnMedia() })
    }
    fn used_sectors_on_media(&self) -> HrResult<i32> {
        call(|| unsafe { self.format.UsedSectorsOnMedia() })
    }
    fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()> {
        call(|| unsafe { self.format.SetDoNotFinalizeMedia(bool_arg(value)) })
    }
    fn do_not_finalize_media(&self) -> HrResult<bool> {
        self.flag(|f| unsafe { f.DoNotFinalizeMedia() })
    }
    fn expected_table_of_contents(&self) -> HrResult<Vec<u8>> {
        let array = self.array(|f| unsafe { f.ExpectedTableOfContents() })?;
        bytes_from_variants("ExpectedTableOfContents", &array.values()?).map_err(conversion)
    }
    fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType> {
        let n = call(|| unsafe { self.format.CurrentPhysicalMediaType() })?;
        media_type(n.0).map_err(conversion)
    }
    fn set_client_name(&self, name: Option<&str>) -> HrResult<()> {
        enter_mta()?;
        let value = match name {
            None => BSTR::new(),
            // BSTR::from("") would be NULL; a client passing "" passes an empty, non-NULL BSTR.
            // SAFETY: SysAllocStringLen copies zero characters from a valid (empty) slice.
            Some("") => unsafe { SysAllocStringLen(Some(&[])) },
            Some(s) => BSTR::from(s),
        };
        // SAFETY: put_ClientName with a BSTR (or NULL) that lives for the call; IMAPI2 copies it.
        let code = unsafe {
            (Interface::vtable(&self.format).SetClientName)(self.format.as_raw(), std::mem::transmute_copy(&value))
        };
        raw(code).map(|_| ())
    }
    fn client_name(&self) -> HrResult<Option<String>> {
        enter_mta()?;
        let mut pointer: *mut c_void = null_mut();
        // SAFETY: get_ClientName writes a BSTR the caller owns, or NULL.
        let code = unsafe { (Interface::vtable(&self.format).ClientName)(self.format.as_raw(), &mut pointer) };
        raw(code)?;
        if pointer.is_null() {
            return Ok(None);
        }
        // SAFETY: a BSTR owned from here on, freed when dropped.
        let name = unsafe { BSTR::from_raw(pointer.cast::<u16>()) };
        Ok(Some(name.to_string()))
    }
    fn requested_write_speed(&self) -> HrResult<i32> {
        call(|| unsafe { self.format.RequestedWriteSpeed() })
    }
    fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.flag(|f| unsafe { f.RequestedRotationTypeIsPureCAV() })
    }
    fn current_write_speed(&self) -> HrResult<i32> {
        call(|| unsafe { self.format.CurrentWriteSpeed() })
    }
    fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool> {
        self.flag(|f| unsafe { f.CurrentRotationTypeIsPureCAV() })
    }
    fn supported_write_speeds(&self) -> HrResult<Vec<i32>> {
        let array = self.array(|f| unsafe { f.SupportedWriteSpeeds() })?;
        ints_from_variants("SupportedWriteSpeeds", &array.values()?).map_err(conversion)
    }
    fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>> {
        let array = self.array(|f| unsafe { f.SupportedWriteSpeedDescriptors() })?;
        array
            .dispatches("SupportedWriteSpeedDescriptors")?
            .iter()
            .map(|d| {
                let descriptor: IWriteSpeedDescriptor = call(|| d.cast())?;
                let (media, cav, speed) = call(|| unsafe {
                    Ok((descriptor.MediaType()?, descriptor.RotationTypeIsPureCAV()?, descriptor.WriteSpeed()?))
                })?;
                write_speed_descriptor(media.0, cav.0, speed).map_err(conversion)
            })
            .collect()
    }

    fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()> {
        let verification = self.verification()?;
        call(|| unsafe { verification.SetBurnVerificationLevel(IMAPI_BURN_VERIFICATION_LEVEL(level as i32)) })
    }
    fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel> {
        let verification = self.verification()?;
        let n = call(|| unsafe { verification.BurnVerificationLevel() })?;
        verification_level(n.0).map_err(conversion)
    }

    fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
        events::advise(self, sink)
    }
    fn unadvise(&self, cookie: u32) -> HrResult<()> {
        events::unadvise(self, cookie)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
