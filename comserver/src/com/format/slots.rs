//! The slots of the format object's `IDiscFormat2TrackAtOnce` vtable written by hand: the
//! out-parameters the `windows` crate's generated slots cannot give as IMAPI2 does.
//!
//! The generated slots write a result only with S_OK; for an `Err` (even a success code such
//! as S_FALSE or `Error::empty()`, S_OK) they write nothing, so a C caller's out variable keeps
//! whatever it held. IMAPI2 writes it:
//! - **get_Recorder** with no recorder set answers S_OK and `*value = NULL`: its getters clear
//!   the out pointer before anything else (the DLL's `get_ExpectedTableOfContents` does, dll id
//!   56076709766; the get_Recorder of IMAPI2's own SDK sample format, `CMsftEraseSample`,
//!   writes `*value = NULL` then the recorder it holds, NULL when none). Its trait method
//!   returns `Result<IDiscRecorder2>`, which has no NULL, so the whole slot is here.
//! - **IsRecorderSupported** and **IsCurrentMediaSupported** answer an internal failure with
//!   S_FALSE *and FALSE* (spec 2, dll id 56065615557): the slot writes FALSE, then runs the
//!   generated slot, which writes the flag only with S_OK.
//! - The getters of a SAFEARRAY or a BSTR (SupportedMediaTypes, ExpectedTableOfContents,
//!   ClientName, SupportedWriteSpeeds, SupportedWriteSpeedDescriptors) clear the out pointer
//!   first, as `get_ExpectedTableOfContents` does (dll id 56076709766), so a failure leaves
//!   NULL there. The numeric getters write only on success in the DLL too
//!   (`get_CurrentWriteSpeed`, dll id 55643711963), as the generated slots do.
//!
//! [`VTABLE`] is the generated vtable with those slots replaced, and [`into_unknown`] builds the
//! object with it, as `#[implement]`'s own constructor does, in place of `Format`'s generated
//! `From` conversions (which would install the generated vtable).
//!
//! It relies on two names `#[implement]` (windows-implement 0.60) generates for `Format`: the
//! vtable field of the first interface chain, `interface1_` + the interface's name cut to 20
//! characters, and its initialiser `VTABLE_INTERFACE1_...`. Another version that names them
//! otherwise fails to compile here; it cannot go wrong silently.

use std::ffi::c_void;
use std::ptr::{null_mut, NonNull};

use windows::Win32::Foundation::{E_POINTER, S_OK, VARIANT_BOOL, VARIANT_FALSE};
use windows::Win32::Storage::Imapi::{IDiscFormat2TrackAtOnce, IDiscFormat2TrackAtOnce_Vtbl, IDiscFormat2_Vtbl};
use windows::Win32::System::Com::SAFEARRAY;
use windows_core::{AsImpl, ComObject, IUnknown, Interface, HRESULT};

use super::{Format, Format_Impl};

/// The vtable `#[implement]` generates for `IDiscFormat2TrackAtOnce` (with its `IDiscFormat2`
/// and `IDispatch` parts).
const GENERATED: IDiscFormat2TrackAtOnce_Vtbl = Format_Impl::VTABLE_INTERFACE1_IDISCFORMAT2TRACKATO;

/// The generated vtable with the slots of this module in place.
static VTABLE: IDiscFormat2TrackAtOnce_Vtbl = IDiscFormat2TrackAtOnce_Vtbl {
    base__: IDiscFormat2_Vtbl {
        IsRecorderSupported: is_recorder_supported,
        IsCurrentMediaSupported: is_current_media_supported,
        SupportedMediaTypes: supported_media_types,
        ..GENERATED.base__
    },
    Recorder: get_recorder,
    ExpectedTableOfContents: expected_table_of_contents,
    ClientName: client_name,
    SupportedWriteSpeeds: supported_write_speeds,
    SupportedWriteSpeedDescriptors: supported_write_speed_descriptors,
    ..GENERATED
};

/// A slot that writes `$cleared` to its out pointer (E_POINTER for a NULL one), then runs the
/// generated slot `GENERATED.$slot`, which writes the result over it only on S_OK.
macro_rules! clearing_slot {
    ($name:ident => $($slot:ident).+ ($($arg:ident: $ty:ty),*) -> $out:ty = $cleared:expr) => {
        unsafe extern "system" fn $name(this: *mut c_void, $($arg: $ty,)* value: *mut $out) -> HRESULT {
            if value.is_null() {
                return E_POINTER;
            }
            // SAFETY: `value` is the caller's out pointer, not NULL (checked above).
            unsafe { value.write($cleared) };
            // SAFETY: the generated slot of the same signature, called as the caller called this.
            unsafe { (GENERATED.$($slot).+)(this, $($arg,)* value) }
        }
    };
}

clearing_slot!(is_recorder_supported => base__.IsRecorderSupported(recorder: *mut c_void) -> VARIANT_BOOL = VARIANT_FALSE);
clearing_slot!(is_current_media_supported => base__.IsCurrentMediaSupported(recorder: *mut c_void) -> VARIANT_BOOL = VARIANT_FALSE);
clearing_slot!(supported_media_types => base__.SupportedMediaTypes() -> *mut SAFEARRAY = null_mut());
clearing_slot!(expected_table_of_contents => ExpectedTableOfContents() -> *mut SAFEARRAY = null_mut());
clearing_slot!(client_name => ClientName() -> *mut c_void = null_mut());
clearing_slot!(supported_write_speeds => SupportedWriteSpeeds() -> *mut SAFEARRAY = null_mut());
clearing_slot!(supported_write_speed_descriptors => SupportedWriteSpeedDescriptors() -> *mut SAFEARRAY = null_mut());

/// get_Recorder: `*value` cleared first; then S_OK with the recorder put (AddRef'd for the
/// caller) or NULL, or the error with `*value` left NULL; E_POINTER for a NULL `value`.
unsafe extern "system" fn get_recorder(this: *mut c_void, value: *mut *mut c_void) -> HRESULT {
    if value.is_null() {
        return E_POINTER;
    }
    // SAFETY: `value` is the caller's out pointer, not NULL (checked above).
    unsafe { value.write(null_mut()) };
    // SAFETY: this slot is only in VTABLE, which only Format objects carry (into_unknown), so
    // `this` is the IDiscFormat2TrackAtOnce pointer of a live Format object for the call.
    let format: &Format = match unsafe { IDiscFormat2TrackAtOnce::from_raw_borrowed(&this) } {
        Some(interface) => unsafe { interface.as_impl() },
        None => return E_POINTER,
    };
    match format.get_recorder() {
        Ok(recorder) => {
            // SAFETY: as above; the caller owns the reference written.
            unsafe { value.write(recorder.map_or(null_mut(), Interface::into_raw)) };
            S_OK
        }
        // Sets the error's IErrorInfo on the thread, as the generated slots do.
        Err(e) => e.into(),
    }
}

/// The COM object over `format`, its `IDiscFormat2TrackAtOnce` vtable [`VTABLE`].
pub(crate) fn into_unknown(format: Format) -> IUnknown {
    let mut outer = Box::new(format.into_outer());
    outer.interface1_idiscformat2trackato = &VTABLE;
    // SAFETY: what `#[implement]`'s `into_object` does: a boxed object whose reference count
    // starts at one (into_outer), owned from here by the ComObject.
    let object: ComObject<Format> = unsafe { ComObject::from_raw(NonNull::from(Box::leak(outer))) };
    object.into_interface()
}
