//! A test double of `MsftDiscFormat2TrackAtOnce`, written in Rust and reached through real COM
//! (the `windows` vtables and, under Wine or on Windows, the system's ole32 and oleaut32).
//!
//! It stands in for IMAPI2 where no IMAPI2 exists (Wine): [`DoubleFormat::AddAudioTrack`]
//! reads the `IStream` it is given the way a write engine does (Stat, then Reads of an odd size
//! to the end) and after each read fires Update through `IDispatch::Invoke` (DISPID 512,
//! arguments in COM order) on every sink advised on its connection point. The SAFEARRAY
//! getters build their arrays with oleaut32. Everything else answers `E_NOTIMPL`.

use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use windows::Win32::Foundation::{SysAllocStringLen, E_NOINTERFACE, E_NOTIMPL, S_OK, VARIANT_BOOL};
use windows::Win32::Storage::Imapi::{
    IDiscFormat2TrackAtOnce, IDiscFormat2TrackAtOnceEventArgs, IDiscFormat2TrackAtOnceEventArgs_Impl,
    IDiscFormat2TrackAtOnce_Impl, IDiscFormat2_Impl, IDiscRecorder2, IWriteEngine2EventArgs_Impl,
    IMAPI_FORMAT2_TAO_WRITE_ACTION, IMAPI_MEDIA_PHYSICAL_TYPE,
};
use windows::Win32::System::Com::{
    IConnectionPoint, IConnectionPointContainer, IConnectionPointContainer_Impl, IConnectionPoint_Impl, IDispatch,
    IDispatch_Impl, IEnumConnectionPoints, IEnumConnections, IStream, ITypeInfo, DISPATCH_METHOD, DISPPARAMS,
    SAFEARRAY, STATFLAG_NONAME, STATSTG,
};
use windows::Win32::System::Ole::CONNECT_E_NOCONNECTION;
use windows::Win32::System::Ole::{SafeArrayCreateVector, SafeArrayPutElement};
use windows::Win32::System::Variant::{
    VariantClear, VARENUM, VARIANT, VARIANT_0, VARIANT_0_0, VARIANT_0_0_0, VT_DISPATCH, VT_I4, VT_UI1, VT_VARIANT,
};
use windows_core::{implement, IUnknown, Interface, Ref, BSTR, GUID, HRESULT, PCWSTR};

use super::guid;
use crate::codes::DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS;
use crate::progress::RawTaoProgress;

/// `E_IMAPI_REQUEST_CANCELLED`, what the double's AddAudioTrack returns after CancelAddTrack.
pub(crate) const CANCELLED: HRESULT = HRESULT(cdr_sim::Hresult::E_IMAPI_REQUEST_CANCELLED.as_i32());

/// What the double saw; shared by the format object, its connection point and the test.
#[derive(Default)]
pub(crate) struct DoubleState {
    sinks: Mutex<Vec<(u32, IDispatch)>>,
    next_cookie: AtomicU32,
    cancelled: AtomicBool,
    /// The bytes each AddAudioTrack read, in order.
    pub(crate) tracks: Mutex<Vec<Vec<u8>>>,
    /// Every code an Update `Invoke` returned, in order.
    pub(crate) invoke_results: Mutex<Vec<HRESULT>>,
    /// How many times put_Recorder reached the double.
    pub(crate) put_recorder_calls: AtomicU32,
    /// `None`: NULL (never set, or set to NULL); `Some("")`: an empty, non-NULL BSTR.
    client_name: Mutex<Option<String>>,
}

// SAFETY: the interface pointers inside are Update sinks of this crate (`events::UpdateSink`,
// free-threaded Rust objects with atomic reference counts) used from MTA threads; everything
// else is Send + Sync already.
unsafe impl Send for DoubleState {}
// SAFETY: as for Send; every field is behind a Mutex or atomic.
unsafe impl Sync for DoubleState {}

/// The format object.
#[implement(IDiscFormat2TrackAtOnce, IConnectionPointContainer)]
pub(crate) struct DoubleFormat {
    state: Arc<DoubleState>,
    /// The size of each Read of AddAudioTrack: odd on purpose (IMAPI2's own buffer sizes are
    /// not the caller's business).
    read_size: u32,
}

impl DoubleFormat {
    /// A format object over `state` that reads tracks `read_size` bytes at a time.
    pub(crate) fn create(state: Arc<DoubleState>, read_size: u32) -> IDiscFormat2TrackAtOnce {
        DoubleFormat { state, read_size }.into()
    }

    /// Fires Update on every advised sink, as IMAPI2 does: `Invoke(512, [progress, object])`.
    fn fire(&self, progress: RawTaoProgress) {
        let sinks: Vec<IDispatch> = self.state.sinks.lock().unwrap().iter().map(|(_, s)| s.clone()).collect();
        let args = DoubleProgress::dispatch(progress);
        for sink in sinks {
            // SAFETY: the VARIANTs own their references and release them when dropped; rgvarg
            // lives for the call. COM order: rgvarg[0] is the last argument (progress).
            let code = unsafe {
                let mut rgvarg = [dispatch_variant(args.clone()), dispatch_variant(sink.clone())];
                let params = DISPPARAMS { rgvarg: rgvarg.as_mut_ptr(), cArgs: 2, ..Default::default() };
                let result = sink.Invoke(512, &GUID::zeroed(), 0, DISPATCH_METHOD, &params, None, None, None);
                for v in &mut rgvarg {
                    let _ = VariantClear(v);
                }
                result.map(|()| S_OK).unwrap_or_else(|e| e.code())
            };
            self.state.invoke_results.lock().unwrap().push(code);
        }
    }
}

/// A VARIANT of type `vt` holding `value` (whose member must be the one `vt` names).
pub(crate) fn variant(vt: VARENUM, value: VARIANT_0_0_0) -> VARIANT {
    let inner = VARIANT_0_0 { vt, wReserved1: 0, wReserved2: 0, wReserved3: 0, Anonymous: value };
    VARIANT { Anonymous: VARIANT_0 { Anonymous: ManuallyDrop::new(inner) } }
}

/// A VT_DISPATCH VARIANT owning a reference to `d` (VariantClear releases it).
pub(crate) fn dispatch_variant(d: IDispatch) -> VARIANT {
    variant(VT_DISPATCH, VARIANT_0_0_0 { pdispVal: ManuallyDrop::new(Some(d)) })
}

/// A VARIANT of the integer type `vt` holding `n` (VT_I4 or VT_UI1).
pub(crate) fn int_variant(vt: VARENUM, n: i32) -> VARIANT {
    if vt == VT_UI1 {
        variant(vt, VARIANT_0_0_0 { bVal: n as u8 })
    } else {
        variant(vt, VARIANT_0_0_0 { lVal: n })
    }
}

/// A one-dimensional SAFEARRAY of VARIANTs, the caller's to destroy. Takes the values: each
/// is copied in by oleaut32 (VariantCopy), then cleared.
pub(crate) fn variant_array(mut values: Vec<VARIANT>) -> *mut SAFEARRAY {
    // SAFETY: oleaut32 calls on valid VARIANTs that this function owns.
    unsafe {
        let psa = SafeArrayCreateVector(VT_VARIANT, 0, values.len() as u32);
        for (i, v) in values.iter_mut().enumerate() {
            SafeArrayPutElement(psa, &(i as i32), (v as *const VARIANT).cast()).unwrap();
            VariantClear(v).unwrap();
        }
        psa
    }
}

/// A one-dimensional SAFEARRAY of `vt` elements (4-byte or 1-byte integers), the caller's.
pub(crate) fn int_array(vt: VARENUM, values: &[i32]) -> *mut SAFEARRAY {
    // SAFETY: oleaut32 calls; each element is read from a value of the element's size.
    unsafe {
        let psa = SafeArrayCreateVector(vt, 0, values.len() as u32);
        for (i, &n) in values.iter().enumerate() {
            let byte = n as u8;
            let p: *const std::ffi::c_void =
                if vt == VT_UI1 { (&byte as *const u8).cast() } else { (&n as *const i32).cast() };
            SafeArrayPutElement(psa, &(i as i32), p).unwrap();
        }
        psa
    }
}

fn not_implemented<T>() -> windows_core::Result<T> {
    Err(E_NOTIMPL.into())
}

/// An `IDispatch` without type information or names (every member but GetTypeInfoCount is
/// `E_NOTIMPL`): the double's callers use the vtables.
macro_rules! dispatch_without_type_info {
    ($object:ty) => {
        impl IDispatch_Impl for $object {
            fn GetTypeInfoCount(&self) -> windows_core::Result<u32> {
                Ok(0)
            }
            fn GetTypeInfo(&self, _: u32, _: u32) -> windows_core::Result<ITypeInfo> {
                not_implemented()
            }
            fn GetIDsOfNames(
                &self,
                _: *const GUID,
                _: *const PCWSTR,
                _: u32,
                _: u32,
                _: *mut i32,
            ) -> windows_core::Result<()> {
                not_implemented()
            }
            fn Invoke(
                &self,
                _: i32,
                _: *const GUID,
                _: u32,
                _: windows::Win32::System::Com::DISPATCH_FLAGS,
                _: *const DISPPARAMS,
                _: *mut VARIANT,
                _: *mut windows::Win32::System::Com::EXCEPINFO,
                _: *mut u32,
            ) -> windows_core::Result<()> {
                not_implemented()
            }
        }
    };
}

dispatch_without_type_info!(DoubleFormat_Impl);

impl IDiscFormat2_Impl for DoubleFormat_Impl {
    fn IsRecorderSupported(&self, _: Ref<IDiscRecorder2>) -> windows_core::Result<VARIANT_BOOL> {
        not_implemented()
    }
    fn IsCurrentMediaSupported(&self, _: Ref<IDiscRecorder2>) -> windows_core::Result<VARIANT_BOOL> {
        not_implemented()
    }
    fn MediaPhysicallyBlank(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(VARIANT_BOOL(-1))
    }
    fn MediaHeuristicallyBlank(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(VARIANT_BOOL(0))
    }
    /// CD-R and CD-RW, as VARIANTs of VT_I4 (IMAPI2's shape).
    fn SupportedMediaTypes(&self) -> windows_core::Result<*mut SAFEARRAY> {
        Ok(variant_array(vec![int_variant(VT_I4, 2), int_variant(VT_I4, 3)]))
    }
}

impl IDiscFormat2TrackAtOnce_Impl for DoubleFormat_Impl {
    fn PrepareMedia(&self) -> windows_core::Result<()> {
        Ok(())
    }
    /// Stat, then Reads of `read_size` to the end, an Update after each; stops with
    /// `E_IMAPI_REQUEST_CANCELLED` when a handler called CancelAddTrack.
    fn AddAudioTrack(&self, data: Ref<IStream>) -> windows_core::Result<()> {
        let stream = data.ok()?;
        self.state.cancelled.store(false, Ordering::SeqCst);
        let mut stat = STATSTG::default();
        // SAFETY: IStream calls through the vtable with out-pointers valid for the call.
        unsafe { stream.Stat(&mut stat, STATFLAG_NONAME)? };
        let sectors = (stat.cbSize / 2352) as i32;
        let mut track = Vec::new();
        let mut buf = vec![0u8; self.read_size as usize];
        loop {
            let mut read = 0u32;
            // SAFETY: as above; `buf` holds `read_size` bytes.
            let code = unsafe { stream.Read(buf.as_mut_ptr().cast(), self.read_size, Some(&mut read)) };
            track.extend_from_slice(&buf[..read as usize]);
            if code.is_err() {
                self.state.tracks.lock().unwrap().push(track);
                return Err(code.into());
            }
            let done = (track.len() / 2352) as i32;
            self.fire(RawTaoProgress {
                current_track_number: 1,
                current_action: 2, // IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING
                elapsed_time: done / 75,
                remaining_time: (sectors - done) / 75,
                start_lba: 0,
                sector_count: sectors,
                last_read_lba: done,
                last_written_lba: done.saturating_sub(1),
                total_system_buffer: 1 << 20,
                used_system_buffer: 4096,
                free_system_buffer: (1 << 20) - 4096,
            });
            if self.state.cancelled.load(Ordering::SeqCst) {
                self.state.tracks.lock().unwrap().push(track);
                return Err(CANCELLED.into());
            }
            if code != S_OK {
                break; // S_FALSE: the end of the stream
            }
        }
        self.state.tracks.lock().unwrap().push(track);
        Ok(())
    }
    fn CancelAddTrack(&self) -> windows_core::Result<()> {
        self.state.cancelled.store(true, Ordering::SeqCst);
        Ok(())
    }
    fn ReleaseMedia(&self) -> windows_core::Result<()> {
        Ok(())
    }
    fn SetWriteSpeed(&self, _: i32, _: VARIANT_BOOL) -> windows_core::Result<()> {
        not_implemented()
    }
    fn SetRecorder(&self, _: Ref<IDiscRecorder2>) -> windows_core::Result<()> {
        self.state.put_recorder_calls.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn Recorder(&self) -> windows_core::Result<IDiscRecorder2> {
        not_implemented()
    }
    fn SetBufferUnderrunFreeDisabled(&self, _: VARIANT_BOOL) -> windows_core::Result<()> {
        not_implemented()
    }
    fn BufferUnderrunFreeDisabled(&self) -> windows_core::Result<VARIANT_BOOL> {
        not_implemented()
    }
    /// How many tracks AddAudioTrack has read.
    fn NumberOfExistingTracks(&self) -> windows_core::Result<i32> {
        Ok(self.state.tracks.lock().unwrap().len() as i32)
    }
    fn TotalSectorsOnMedia(&self) -> windows_core::Result<i32> {
        not_implemented()
    }
    fn FreeSectorsOnMedia(&self) -> windows_core::Result<i32> {
        not_implemented()
    }
    fn UsedSectorsOnMedia(&self) -> windows_core::Result<i32> {
        not_implemented()
    }
    fn SetDoNotFinalizeMedia(&self, _: VARIANT_BOOL) -> windows_core::Result<()> {
        not_implemented()
    }
    fn DoNotFinalizeMedia(&self) -> windows_core::Result<VARIANT_BOOL> {
        not_implemented()
    }
    /// Four bytes, as a SAFEARRAY of VT_UI1.
    fn ExpectedTableOfContents(&self) -> windows_core::Result<*mut SAFEARRAY> {
        Ok(int_array(VT_UI1, &[0, 0x12, 1, 255]))
    }
    fn CurrentPhysicalMediaType(&self) -> windows_core::Result<IMAPI_MEDIA_PHYSICAL_TYPE> {
        Ok(IMAPI_MEDIA_PHYSICAL_TYPE(2))
    }
    fn SetClientName(&self, value: &BSTR) -> windows_core::Result<()> {
        // BSTR::as_ptr hides NULL (it answers a static empty string): look at the pointer itself.
        // SAFETY: a BSTR is one pointer.
        let pointer: *const u16 = unsafe { std::mem::transmute_copy(value) };
        *self.state.client_name.lock().unwrap() = (!pointer.is_null()).then(|| value.to_string());
        Ok(())
    }
    /// NULL until a name is set (a null BSTR), as IMAPI2 answers; an empty name stays an
    /// empty, non-NULL BSTR (`BSTR::from("")` would be NULL).
    fn ClientName(&self) -> windows_core::Result<BSTR> {
        Ok(match self.state.client_name.lock().unwrap().as_deref() {
            None => BSTR::new(),
            // SAFETY: SysAllocStringLen copies zero characters from a valid (empty) slice.
            Some("") => unsafe { SysAllocStringLen(Some(&[])) },
            Some(s) => BSTR::from(s),
        })
    }
    fn RequestedWriteSpeed(&self) -> windows_core::Result<i32> {
        not_implemented()
    }
    fn RequestedRotationTypeIsPureCAV(&self) -> windows_core::Result<VARIANT_BOOL> {
        not_implemented()
    }
    fn CurrentWriteSpeed(&self) -> windows_core::Result<i32> {
        not_implemented()
    }
    fn CurrentRotationTypeIsPureCAV(&self) -> windows_core::Result<VARIANT_BOOL> {
        not_implemented()
    }
    /// Three speeds, as a SAFEARRAY of VARIANTs of VT_I4.
    fn SupportedWriteSpeeds(&self) -> windows_core::Result<*mut SAFEARRAY> {
        Ok(variant_array(vec![int_variant(VT_I4, 1764), int_variant(VT_I4, 3528), int_variant(VT_I4, 7056)]))
    }
    fn SupportedWriteSpeedDescriptors(&self) -> windows_core::Result<*mut SAFEARRAY> {
        not_implemented()
    }
}

impl IConnectionPointContainer_Impl for DoubleFormat_Impl {
    fn EnumConnectionPoints(&self) -> windows_core::Result<IEnumConnectionPoints> {
        not_implemented()
    }
    fn FindConnectionPoint(&self, riid: *const GUID) -> windows_core::Result<IConnectionPoint> {
        // SAFETY: FindConnectionPoint's contract: `riid` points to a GUID.
        if unsafe { *riid } != guid(DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS) {
            return Err(CONNECT_E_NOCONNECTION.into());
        }
        Ok(DoublePoint { state: self.state.clone() }.into())
    }
}

/// The Update connection point.
#[implement(IConnectionPoint)]
struct DoublePoint {
    state: Arc<DoubleState>,
}

impl IConnectionPoint_Impl for DoublePoint_Impl {
    fn GetConnectionInterface(&self) -> windows_core::Result<GUID> {
        Ok(guid(DIID_DDISC_FORMAT2_TRACK_AT_ONCE_EVENTS))
    }
    fn GetConnectionPointContainer(&self) -> windows_core::Result<IConnectionPointContainer> {
        not_implemented()
    }
    /// Keeps the sink's IDispatch (what IMAPI2 fires Update on).
    fn Advise(&self, sink: Ref<IUnknown>) -> windows_core::Result<u32> {
        let dispatch: IDispatch = sink.ok()?.cast().map_err(|_| windows_core::Error::from(E_NOINTERFACE))?;
        let cookie = self.state.next_cookie.fetch_add(1, Ordering::SeqCst) + 1;
        self.state.sinks.lock().unwrap().push((cookie, dispatch));
        Ok(cookie)
    }
    fn Unadvise(&self, cookie: u32) -> windows_core::Result<()> {
        let mut sinks = self.state.sinks.lock().unwrap();
        let before = sinks.len();
        sinks.retain(|(c, _)| *c != cookie);
        if sinks.len() == before {
            return Err(CONNECT_E_NOCONNECTION.into());
        }
        Ok(())
    }
    fn EnumConnections(&self) -> windows_core::Result<IEnumConnections> {
        not_implemented()
    }
}

/// The Update event's progress object.
#[implement(IDiscFormat2TrackAtOnceEventArgs)]
pub(crate) struct DoubleProgress(pub(crate) RawTaoProgress);

impl DoubleProgress {
    /// The progress object as the `IDispatch` an Update carries.
    pub(crate) fn dispatch(progress: RawTaoProgress) -> IDispatch {
        let args: IDiscFormat2TrackAtOnceEventArgs = DoubleProgress(progress).into();
        args.cast().unwrap()
    }
}

dispatch_without_type_info!(DoubleProgress_Impl);

impl IWriteEngine2EventArgs_Impl for DoubleProgress_Impl {
    fn StartLba(&self) -> windows_core::Result<i32> {
        Ok(self.0.start_lba)
    }
    fn SectorCount(&self) -> windows_core::Result<i32> {
        Ok(self.0.sector_count)
    }
    fn LastReadLba(&self) -> windows_core::Result<i32> {
        Ok(self.0.last_read_lba)
    }
    fn LastWrittenLba(&self) -> windows_core::Result<i32> {
        Ok(self.0.last_written_lba)
    }
    fn TotalSystemBuffer(&self) -> windows_core::Result<i32> {
        Ok(self.0.total_system_buffer)
    }
    fn UsedSystemBuffer(&self) -> windows_core::Result<i32> {
        Ok(self.0.used_system_buffer)
    }
    fn FreeSystemBuffer(&self) -> windows_core::Result<i32> {
        Ok(self.0.free_system_buffer)
    }
}

impl IDiscFormat2TrackAtOnceEventArgs_Impl for DoubleProgress_Impl {
    fn CurrentTrackNumber(&self) -> windows_core::Result<i32> {
        Ok(self.0.current_track_number)
    }
    fn CurrentAction(&self) -> windows_core::Result<IMAPI_FORMAT2_TAO_WRITE_ACTION> {
        Ok(IMAPI_FORMAT2_TAO_WRITE_ACTION(self.0.current_action))
    }
    fn ElapsedTime(&self) -> windows_core::Result<i32> {
        Ok(self.0.elapsed_time)
    }
    fn RemainingTime(&self) -> windows_core::Result<i32> {
        Ok(self.0.remaining_time)
    }
}
