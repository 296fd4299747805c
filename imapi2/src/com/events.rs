//! The Update sink: an `IDispatch` (implementing the `DDiscFormat2TrackAtOnceEvents`
//! dispinterface) advised on the format object's connection point.
//!
//! IMAPI2 fires Update as `Invoke(DISPID 512, [progress, object])` on its writing thread; some
//! callers use the dispinterface's vtable slot `Update(object, progress)` instead, so both lead
//! to [`UpdateSink::deliver`]. `deliver` reads the eleven properties of the progress object,
//! decodes them with [`crate::progress`], and calls the registered [`TaoUpdateSink`] with the
//! very format object the sink was advised on. No lock of this crate is held during that call,
//! so the handler can call back in: read properties, or CancelAddTrack. A panic of the handler
//! is caught: that `Invoke` fails with `E_UNEXPECTED`, and the format object resumes the panic
//! in its caller when the member IMAPI2 was serving returns (see `ComFormat::resume_panic`).

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};

use cdr_sim::{HrResult, TaoUpdateSink};
use windows::Win32::Foundation::{E_NOTIMPL, E_POINTER, E_UNEXPECTED};
use windows::Win32::Storage::Imapi::{
    DDiscFormat2TrackAtOnceEvents, DDiscFormat2TrackAtOnceEvents_Impl, IDiscFormat2TrackAtOnceEventArgs,
};
use windows::Win32::System::Com::{
    IConnectionPoint, IConnectionPointContainer, IDispatch, IDispatch_Impl, ITypeInfo, DISPATCH_FLAGS, DISPPARAMS,
    EXCEPINFO,
};
use windows::Win32::System::Variant::VARIANT;
use windows_core::{implement, Interface, Ref, GUID, HRESULT, PCWSTR};

use super::format::ComFormat;
use super::safearray::dispatch_of;
use super::{call, guid};
use crate::codes::{
    DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS, DISPID_UPDATE, DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND,
};
use crate::progress::{decode_progress, update_argument_slot, RawTaoProgress, UpdateArgument};

/// The sink object COM holds.
#[implement(DDiscFormat2TrackAtOnceEvents)]
struct UpdateSink {
    /// The format object the sink was advised on. Weak: the format object owns IMAPI2's object,
    /// which owns this sink through the connection point; a strong reference would be a cycle.
    format: Weak<ComFormat>,
    sink: Arc<dyn TaoUpdateSink>,
}

fn error(h: cdr_sim::Hresult) -> windows_core::Error {
    windows_core::Error::from_hresult(HRESULT(h.as_i32()))
}

impl UpdateSink {
    fn deliver(&self, progress: &IDispatch) -> windows_core::Result<()> {
        let Some(format) = self.format.upgrade() else {
            // The format object is gone; nobody is listening.
            return Ok(());
        };
        let raw = match read_progress(progress) {
            Ok(raw) => raw,
            Err(e) => {
                format.undelivered_updates.fetch_add(1, Ordering::Relaxed);
                return Err(e);
            }
        };
        // No lock is held here: the handler may call any member of `format`.
        let progress = decode_progress(&raw);
        format.panic.catch(|| self.sink.update(&*format, &progress)).ok_or_else(|| E_UNEXPECTED.into())
    }
}

/// The properties of `IDiscFormat2TrackAtOnceEventArgs`, as COM returns them.
fn read_progress(progress: &IDispatch) -> windows_core::Result<RawTaoProgress> {
    let args: IDiscFormat2TrackAtOnceEventArgs = progress.cast()?;
    // SAFETY: property getters of a valid interface pointer, on the thread IMAPI2 called us on.
    unsafe {
        Ok(RawTaoProgress {
            current_track_number: args.CurrentTrackNumber()?,
            current_action: args.CurrentAction()?.0,
            elapsed_time: args.ElapsedTime()?,
            remaining_time: args.RemainingTime()?,
            start_lba: args.StartLba()?,
            sector_count: args.SectorCount()?,
            last_read_lba: args.LastReadLba()?,
            last_written_lba: args.LastWrittenLba()?,
            total_system_buffer: args.TotalSystemBuffer()?,
            used_system_buffer: args.UsedSystemBuffer()?,
            free_system_buffer: args.FreeSystemBuffer()?,
        })
    }
}

impl IDispatch_Impl for UpdateSink_Impl {
    fn GetTypeInfoCount(&self) -> windows_core::Result<u32> {
        Ok(0)
    }

    fn GetTypeInfo(&self, _itinfo: u32, _lcid: u32) -> windows_core::Result<ITypeInfo> {
        Err(E_NOTIMPL.into())
    }

    fn GetIDsOfNames(
        &self,
        _riid: *const GUID,
        _rgsznames: *const PCWSTR,
        _cnames: u32,
        _lcid: u32,
        _rgdispid: *mut i32,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }

    fn Invoke(
        &self,
        dispidmember: i32,
        _riid: *const GUID,
        _lcid: u32,
        _wflags: DISPATCH_FLAGS,
        pdispparams: *const DISPPARAMS,
        _pvarresult: *mut VARIANT,
        _pexcepinfo: *mut EXCEPINFO,
        _puargerr: *mut u32,
    ) -> windows_core::Result<()> {
        if dispidmember != DISPID_UPDATE {
            return Err(error(DISP_E_MEMBERNOTFOUND));
        }
        // SAFETY: IDispatch::Invoke's contract: `pdispparams` is null or valid for the call.
        let params = unsafe { pdispparams.as_ref() }.ok_or_else(|| windows_core::Error::from_hresult(E_POINTER))?;
        let slot =
            update_argument_slot(params.cArgs, UpdateArgument::Progress).ok_or_else(|| error(DISP_E_BADPARAMCOUNT))?;
        if params.rgvarg.is_null() {
            return Err(windows_core::Error::from_hresult(E_POINTER));
        }
        // SAFETY: `rgvarg` holds `cArgs` VARIANTs and `slot < cArgs`.
        let arg = unsafe { &*params.rgvarg.add(slot) };
        let progress = dispatch_of(arg).ok_or_else(|| windows_core::Error::from_hresult(E_POINTER))?;
        self.deliver(&progress)
    }
}

impl DDiscFormat2TrackAtOnceEvents_Impl for UpdateSink_Impl {
    fn Update(&self, _object: Ref<IDispatch>, progress: Ref<IDispatch>) -> windows_core::Result<()> {
        self.deliver(progress.ok()?)
    }
}

fn connection_point(format: &ComFormat) -> HrResult<IConnectionPoint> {
    call(|| {
        let container: IConnectionPointContainer = format.format.cast()?;
        // SAFETY: FindConnectionPoint on a valid pointer with a GUID that lives for the call.
        unsafe { container.FindConnectionPoint(&guid(DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS)) }
    })
}

/// `IConnectionPoint::Advise` of a new sink that forwards to `sink`; returns IMAPI2's cookie.
pub(crate) fn advise(format: &ComFormat, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32> {
    let point = connection_point(format)?;
    let object: DDiscFormat2TrackAtOnceEvents = UpdateSink { format: format.this.clone(), sink }.into();
    // SAFETY: Advise on a valid pointer; COM takes its own reference to the sink.
    call(|| unsafe { point.Advise(&object) })
}

/// `IConnectionPoint::Unadvise(cookie)`.
pub(crate) fn unadvise(format: &ComFormat, cookie: u32) -> HrResult<()> {
    let point = connection_point(format)?;
    // SAFETY: Unadvise on a valid pointer.
    call(|| unsafe { point.Unadvise(cookie) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::ManuallyDrop;
    use std::sync::Mutex;

    use windows::Win32::System::Com::DISPATCH_METHOD;
    use windows::Win32::System::Variant::{
        VariantClear, VARENUM, VARIANT_0_0_0, VT_BYREF, VT_DISPATCH, VT_I4, VT_UNKNOWN,
    };

    use crate::com::double::{dispatch_variant, int_variant, variant, DoubleFormat, DoubleProgress, DoubleState};
    use crate::progress::decode_progress;

    fn sink() -> IDispatch {
        let sink: Arc<dyn TaoUpdateSink> =
            Arc::new(|_: &dyn cdr_sim::DiscFormat2TrackAtOnce, _: &cdr_sim::TaoProgress| {});
        let object: DDiscFormat2TrackAtOnceEvents = UpdateSink { format: Weak::new(), sink }.into();
        object.cast().unwrap()
    }

    #[test]
    fn invoke_rejects_other_members_and_missing_arguments() {
        let dispatch = sink();
        let params = DISPPARAMS::default();
        // SAFETY: Invoke on a live object with valid (empty) parameters.
        unsafe {
            let e = dispatch.Invoke(513, &GUID::zeroed(), 0, DISPATCH_FLAGS(1), &params, None, None, None).unwrap_err();
            assert_eq!(e.code().0, DISP_E_MEMBERNOTFOUND.as_i32());
            let e = dispatch
                .Invoke(DISPID_UPDATE, &GUID::zeroed(), 0, DISPATCH_FLAGS(1), &params, None, None, None)
                .unwrap_err();
            assert_eq!(e.code().0, DISP_E_BADPARAMCOUNT.as_i32());
            assert_eq!(dispatch.GetTypeInfoCount().unwrap(), 0);
        }
    }

    fn raw(lba: i32) -> RawTaoProgress {
        RawTaoProgress {
            current_track_number: 2,
            current_action: 2,
            elapsed_time: 3,
            remaining_time: 4,
            start_lba: 100,
            sector_count: 50,
            last_read_lba: lba,
            last_written_lba: lba - 1,
            total_system_buffer: 8,
            used_system_buffer: 5,
            free_system_buffer: 3,
        }
    }

    /// A sink advised (by hand) for a format object over the double, recording what it gets.
    fn sink_of(format: &Arc<ComFormat>) -> (IDispatch, Arc<Mutex<Vec<cdr_sim::TaoProgress>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let sink: Arc<dyn TaoUpdateSink> =
            Arc::new(move |_: &dyn cdr_sim::DiscFormat2TrackAtOnce, p: &cdr_sim::TaoProgress| {
                log.lock().unwrap().push(*p)
            });
        let object: DDiscFormat2TrackAtOnceEvents = UpdateSink { format: Arc::downgrade(format), sink }.into();
        (object.cast().unwrap(), seen)
    }

    /// `Invoke(512)` with `[progress, object]` in COM order; the VARIANTs are cleared after.
    fn invoke(dispatch: &IDispatch, mut progress: VARIANT) -> windows_core::Result<()> {
        let mut args = [progress.clone(), dispatch_variant(dispatch.clone())];
        // SAFETY: Invoke on a live object with two valid VARIANTs that live for the call.
        unsafe {
            let params = DISPPARAMS { rgvarg: args.as_mut_ptr(), cArgs: 2, ..Default::default() };
            let result = dispatch.Invoke(DISPID_UPDATE, &GUID::zeroed(), 0, DISPATCH_METHOD, &params, None, None, None);
            let _ = VariantClear(&mut args[1]);
            let _ = VariantClear(&mut progress);
            result
        }
    }

    fn double_format() -> Arc<ComFormat> {
        ComFormat::new(DoubleFormat::create(Arc::new(DoubleState::default()), 2352))
    }

    #[test]
    fn invoke_decodes_the_progress_of_each_variant_shape() {
        let format = double_format();
        let (dispatch, seen) = sink_of(&format);
        invoke(&dispatch, dispatch_variant(DoubleProgress::dispatch(raw(110)))).unwrap();
        let mut by_ref = Some(DoubleProgress::dispatch(raw(111)));
        // A VT_DISPATCH|VT_BYREF VARIANT pointing at `by_ref`, which outlives the call;
        // VariantClear of a BYREF VARIANT releases nothing.
        let v = variant(VARENUM(VT_DISPATCH.0 | VT_BYREF.0), VARIANT_0_0_0 { ppdispVal: &mut by_ref });
        invoke(&dispatch, v).unwrap();
        let unknown: windows_core::IUnknown = DoubleProgress::dispatch(raw(112)).cast().unwrap();
        // `invoke` clears (releases) it.
        let v = variant(VT_UNKNOWN, VARIANT_0_0_0 { punkVal: ManuallyDrop::new(Some(unknown)) });
        invoke(&dispatch, v).unwrap();
        let want: Vec<_> = [110, 111, 112].map(|lba| decode_progress(&raw(lba))).into();
        assert_eq!(*seen.lock().unwrap(), want);
        assert_eq!(format.undelivered_updates.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_progress_that_is_not_one_is_counted_and_refused() {
        let format = double_format();
        let (dispatch, seen) = sink_of(&format);
        // An IDispatch without IDiscFormat2TrackAtOnceEventArgs (the format object itself).
        let wrong: IDispatch = format.format.cast().unwrap();
        let e = invoke(&dispatch, dispatch_variant(wrong)).unwrap_err();
        assert_eq!(e.code(), windows::Win32::Foundation::E_NOINTERFACE);
        assert_eq!(format.undelivered_updates.load(Ordering::Relaxed), 1);
        assert_eq!(crate::undelivered_updates(&*format), Some(1));
        let e = invoke(&dispatch, int_variant(VT_I4, 5)).unwrap_err();
        assert_eq!(e.code(), E_POINTER, "not an object at all");
        assert!(seen.lock().unwrap().is_empty());
    }

    #[test]
    fn the_dispinterface_slot_delivers_too() {
        let format = double_format();
        let (dispatch, seen) = sink_of(&format);
        let events: DDiscFormat2TrackAtOnceEvents = dispatch.cast().unwrap();
        let object: IDispatch = format.format.cast().unwrap();
        // SAFETY: the vtable's Update(object, progress) with two live pointers.
        unsafe { events.Update(&object, &DoubleProgress::dispatch(raw(7))) }.unwrap();
        assert_eq!(*seen.lock().unwrap(), [decode_progress(&raw(7))]);
    }

    #[test]
    fn the_sink_answers_for_the_dispinterface() {
        let dispatch = sink();
        assert!(dispatch.cast::<DDiscFormat2TrackAtOnceEvents>().is_ok());
    }
}
