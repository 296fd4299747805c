//! `get_Recorder` of `IDiscFormat2TrackAtOnce`: one vtable slot written by hand.
//!
//! With no recorder set, IMAPI2 answers S_OK and `*value = NULL`: its getters clear the out
//! pointer before anything else (the DLL's `get_ExpectedTableOfContents` does, dll id
//! 56076709766; the get_Recorder of IMAPI2's own SDK sample format, `CMsftEraseSample`, writes
//! `*value = NULL` then the recorder it holds, NULL when none). The `windows` crate's generated
//! slot cannot give that answer: its trait method returns `Result<IDiscRecorder2>`, which has
//! no NULL, and for an `Err` (even `Error::empty()`, S_OK) it writes nothing, so a C caller's
//! out pointer keeps whatever it held. So the format object's `IDiscFormat2TrackAtOnce` vtable
//! is the generated one with this slot replaced ([`VTABLE`]), and [`into_unknown`] builds the
//! object with it, as `#[implement]`'s own constructor does, in place of `Format`'s generated
//! `From` conversions (which would install the generated vtable).
//!
//! It relies on two names `#[implement]` (windows-implement 0.60) generates for `Format`: the
//! vtable field of the first interface chain, `interface1_` + the interface's name cut to 20
//! characters, and its initialiser `VTABLE_INTERFACE1_...`. Another version that names them
//! otherwise fails to compile here; it cannot go wrong silently.

use std::ffi::c_void;
use std::ptr::{null_mut, NonNull};

use windows::Win32::Foundation::{E_POINTER, S_OK};
use windows::Win32::Storage::Imapi::{IDiscFormat2TrackAtOnce, IDiscFormat2TrackAtOnce_Vtbl};
use windows_core::{AsImpl, ComObject, IUnknown, Interface, HRESULT};

use super::{Format, Format_Impl};

/// The vtable `#[implement]` generates for `IDiscFormat2TrackAtOnce` (with its `IDiscFormat2`
/// and `IDispatch` parts), get_Recorder aside.
static VTABLE: IDiscFormat2TrackAtOnce_Vtbl =
    IDiscFormat2TrackAtOnce_Vtbl { Recorder: get_recorder, ..Format_Impl::VTABLE_INTERFACE1_IDISCFORMAT2TRACKATO };

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
