//! Under Wine (`tools/wine-test -p cdr-comserver`): the slots of `format/slots.rs` answer as
//! IMAPI2 does, early bound through the vtable as a C caller calls them (into out variables that
//! hold garbage), and get_Recorder late bound through `IDispatch::Invoke`.

use std::ffi::c_void;

use windows::Win32::Foundation::{E_POINTER, S_FALSE, S_OK, VARIANT_BOOL, VARIANT_FALSE, VARIANT_TRUE};
use windows::Win32::Storage::Imapi::{IDiscFormat2TrackAtOnce, IDiscMaster2, IDiscRecorder2};
use windows::Win32::System::Com::{CoInitializeEx, IDispatch, COINIT_MULTITHREADED, DISPATCH_PROPERTYGET, DISPPARAMS};
use windows::Win32::System::Variant::{VARIANT, VT_DISPATCH};
use windows_core::{Interface, GUID};

use super::factory::Class;
use super::variant::{vt, Var};
use crate::dispids::format::RECORDER;

/// A garbage pointer, as an uninitialised out variable of a C caller holds.
const GARBAGE: *mut c_void = 0xdead_beef_usize as *mut c_void;

fn object<I: Interface>(class: Class) -> I {
    // SAFETY: joining the MTA on a test thread.
    let _ = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
    class.create().expect("the object").cast().expect("the interface")
}

/// get_Recorder through the format object's vtable, into an out pointer holding `initial`.
fn get_recorder(format: &IDiscFormat2TrackAtOnce, initial: *mut c_void) -> (windows_core::HRESULT, *mut c_void) {
    let mut out = initial;
    // SAFETY: get_Recorder with a valid out pointer.
    let hr = unsafe { (Interface::vtable(format).Recorder)(format.as_raw(), &mut out) };
    (hr, out)
}

/// get_Recorder late bound: Invoke's VARIANT (VT_DISPATCH asserted) and its object.
fn invoke_recorder(format: &IDiscFormat2TrackAtOnce) -> Option<IDispatch> {
    let dispatch: IDispatch = format.cast().unwrap();
    let mut result = VARIANT::default();
    // SAFETY: Invoke with arguments that live for the call.
    unsafe {
        dispatch.Invoke(
            RECORDER,
            &GUID::zeroed(),
            0,
            DISPATCH_PROPERTYGET,
            &DISPPARAMS::default(),
            Some(&mut result),
            None,
            None,
        )
    }
    .expect("Invoke of the Recorder getter");
    assert_eq!(vt(&result), VT_DISPATCH);
    // SAFETY: the VARIANT is VT_DISPATCH.
    let object = unsafe { (*result.Anonymous.Anonymous.Anonymous.pdispVal).clone() };
    drop(Var::from_raw(result));
    object
}

#[test]
fn get_recorder_with_none_set_is_s_ok_and_null_whatever_the_out_pointer_held() {
    let format: IDiscFormat2TrackAtOnce = object(Class::Format);
    assert_eq!(get_recorder(&format, GARBAGE), (S_OK, std::ptr::null_mut()));
    // SAFETY: get_Recorder with a NULL out pointer, which it must refuse.
    let hr = unsafe { (Interface::vtable(&format).Recorder)(format.as_raw(), std::ptr::null_mut()) };
    assert_eq!(hr, E_POINTER);
    // Late bound: a NULL object (VT_DISPATCH), what a script sees as Nothing / null.
    assert!(invoke_recorder(&format).is_none());
}

#[test]
fn get_recorder_gives_the_recorder_put_with_a_reference_for_the_caller() {
    let master: IDiscMaster2 = object(Class::Master);
    let recorder: IDiscRecorder2 = object(Class::Recorder);
    // SAFETY: plain calls on valid objects.
    unsafe { recorder.InitializeDiscRecorder(&master.get_Item(0).unwrap()) }.unwrap();
    let format: IDiscFormat2TrackAtOnce = object(Class::Format);
    // SAFETY: as above.
    unsafe { format.SetRecorder(&recorder) }.unwrap();
    let (hr, out) = get_recorder(&format, GARBAGE);
    assert_eq!(hr, S_OK);
    assert_eq!(out, recorder.as_raw(), "the very interface pointer put");
    // SAFETY: the caller's reference, released once.
    drop(unsafe { IDiscRecorder2::from_raw(out) });
    let got: IDiscRecorder2 = invoke_recorder(&format).expect("an object").cast().unwrap();
    // SAFETY: a plain call on a valid object.
    assert_eq!(unsafe { got.ActiveDiscRecorder() }.unwrap(), unsafe { recorder.ActiveDiscRecorder() }.unwrap());
}

#[test]
fn support_checks_write_false_with_s_false_after_an_internal_failure() {
    // A recorder that was never initialised: the check cannot talk to it (spec 2).
    let recorder: IDiscRecorder2 = object(Class::Recorder);
    let format: IDiscFormat2TrackAtOnce = object(Class::Format);
    let vtable = &Interface::vtable(&format).base__;
    for (name, slot) in [
        ("IsRecorderSupported", vtable.IsRecorderSupported),
        ("IsCurrentMediaSupported", vtable.IsCurrentMediaSupported),
    ] {
        let mut flag: VARIANT_BOOL = VARIANT_TRUE;
        // SAFETY: the slot with a valid recorder and out pointer.
        let hr = unsafe { slot(format.as_raw(), recorder.as_raw(), &mut flag) };
        assert_eq!((hr, flag), (S_FALSE, VARIANT_FALSE), "{name}: S_FALSE with FALSE written");
        // SAFETY: the slot with a NULL out pointer, which it must refuse.
        let hr = unsafe { slot(format.as_raw(), recorder.as_raw(), std::ptr::null_mut()) };
        assert_eq!(hr, E_POINTER, "{name}");
    }
}

#[test]
fn array_getters_that_fail_leave_null_in_the_out_pointer() {
    // No recorder put: every one of these fails (SupportedMediaTypes does not: the list is the
    // format's own).
    let format: IDiscFormat2TrackAtOnce = object(Class::Format);
    let vtable = Interface::vtable(&format);
    let getters = [
        ("ExpectedTableOfContents", vtable.ExpectedTableOfContents),
        ("SupportedWriteSpeeds", vtable.SupportedWriteSpeeds),
        ("SupportedWriteSpeedDescriptors", vtable.SupportedWriteSpeedDescriptors),
    ];
    for (name, slot) in getters {
        let mut out = GARBAGE.cast();
        // SAFETY: the getter with a valid out pointer.
        let hr = unsafe { slot(format.as_raw(), &mut out) };
        assert!(hr.is_err(), "{name} without a recorder: {hr:?}");
        assert!(out.is_null(), "{name}: the out pointer was cleared");
    }
}
