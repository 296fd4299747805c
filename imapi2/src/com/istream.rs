//! The `IStream` AddAudioTrack reads: a COM object over the caller's [`AudioStream`].
//!
//! # Lifetime: why a borrowed stream may be handed to COM
//! `add_audio_track(&self, data: &mut dyn AudioStream)` borrows the source for the call only,
//! but a COM object must be `'static` and IMAPI2 may keep a reference to it after the call
//! (nothing in COM forbids an `AddRef` that outlives AddAudioTrack). [`with_track_stream`]
//! makes that sound:
//!
//! 1. The borrow is erased to `'static` and stored in a `Mutex<Option<TrackReader>>` inside
//!    the COM object; nothing else holds it.
//! 2. AddAudioTrack is synchronous: IMAPI2 reads the stream (on whatever thread) before it
//!    returns, and the borrow of `data` lasts the whole call.
//! 3. Before `with_track_stream` returns (normally or by unwinding: a guard's `Drop`), it takes
//!    the mutex and sets the reader to `None`. Taking the mutex waits for a read in progress on
//!    another thread to finish; after it, no code path can reach the erased borrow: every
//!    `Read`, `Seek` and `Stat` takes the same mutex and answers `STG_E_REVERTED` when the
//!    reader is gone.
//!
//! So the erased reference is only used while the real borrow is alive. The stream never holds
//! more than IMAPI2's own read buffer: each `Read` pulls exactly what was asked from the source.

use std::ffi::c_void;
use std::sync::{Mutex, MutexGuard, PoisonError};

use cdr_sim::{AudioStream, HrResult};
use windows::Win32::Foundation::{E_NOTIMPL, E_POINTER, STG_E_ACCESSDENIED, S_FALSE, S_OK};
use windows::Win32::System::Com::{
    ISequentialStream_Impl, IStream, IStream_Impl, LOCKTYPE, STATFLAG, STATSTG, STGC, STGM_READ, STGTY_STREAM,
    STREAM_SEEK,
};
use windows_core::{implement, ComObject, Ref, HRESULT};

use crate::codes::{STG_E_INVALIDFUNCTION, STG_E_REVERTED};
use crate::stream::{SeekOrigin, TrackReader};

/// The COM object. The reader's `'static` is a lie told only under the rules of the module doc.
#[implement(IStream)]
struct TrackStream {
    reader: Mutex<Option<TrackReader<'static>>>,
}

impl TrackStream {
    fn reader(&self) -> MutexGuard<'_, Option<TrackReader<'static>>> {
        // A panic while reading cannot leave the cursor inconsistent in a way that matters:
        // the next read fails or continues; so a poisoned lock is used as it is.
        self.reader.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Detaches the reader from the COM object when dropped (rule 3 of the module doc).
struct Detach<'a>(&'a TrackStream);

impl Drop for Detach<'_> {
    fn drop(&mut self) {
        *self.0.reader() = None;
    }
}

/// Calls `f` with an `IStream` that reads `data`; the stream stops reaching `data` before this
/// function returns.
pub(crate) fn with_track_stream<T>(data: &mut dyn AudioStream, f: impl FnOnce(&IStream) -> HrResult<T>) -> HrResult<T> {
    let reader = TrackReader::new(data);
    // SAFETY: only the lifetime changes. The erased borrow is reachable only through the
    // mutex, and `Detach` removes it before `data`'s borrow ends (module doc, rules 1-3).
    let reader: TrackReader<'static> = unsafe { std::mem::transmute::<TrackReader<'_>, TrackReader<'static>>(reader) };
    let object = ComObject::new(TrackStream { reader: Mutex::new(Some(reader)) });
    let _detach = Detach(object.get());
    let stream: IStream = object.to_interface();
    f(&stream)
}

fn code(h: cdr_sim::Hresult) -> HRESULT {
    HRESULT(h.as_i32())
}

impl ISequentialStream_Impl for TrackStream_Impl {
    fn Read(&self, pv: *mut c_void, cb: u32, pcbread: *mut u32) -> HRESULT {
        if pv.is_null() {
            return E_POINTER;
        }
        let mut guard = self.reader();
        let Some(reader) = guard.as_mut() else { return code(STG_E_REVERTED) };
        let len = cb as usize;
        // SAFETY: IStream::Read's contract: `pv` points to `cb` writable bytes. They are zeroed
        // first so that the slice never covers uninitialised memory.
        let buf = unsafe {
            std::ptr::write_bytes(pv.cast::<u8>(), 0, len);
            std::slice::from_raw_parts_mut(pv.cast::<u8>(), len)
        };
        match reader.read(buf) {
            Ok(n) => {
                if !pcbread.is_null() {
                    // SAFETY: a non-null out-pointer from the caller; n <= cb fits in u32.
                    unsafe { *pcbread = n as u32 };
                }
                if n == len {
                    S_OK
                } else {
                    S_FALSE
                }
            }
            Err(e) => code(e.hresult()),
        }
    }

    fn Write(&self, _pv: *const c_void, _cb: u32, _pcbwritten: *mut u32) -> HRESULT {
        STG_E_ACCESSDENIED
    }
}

impl IStream_Impl for TrackStream_Impl {
    fn Seek(&self, dlibmove: i64, dworigin: STREAM_SEEK, plibnewposition: *mut u64) -> windows_core::Result<()> {
        let mut guard = self.reader();
        let reader = guard.as_mut().ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_REVERTED)))?;
        let origin = SeekOrigin::from_value(dworigin.0)
            .ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_INVALIDFUNCTION)))?;
        let position =
            reader.seek(origin, dlibmove).map_err(|e| windows_core::Error::from_hresult(code(e.hresult())))?;
        if !plibnewposition.is_null() {
            // SAFETY: a non-null out-pointer from the caller.
            unsafe { *plibnewposition = position };
        }
        Ok(())
    }

    fn SetSize(&self, _libnewsize: u64) -> windows_core::Result<()> {
        Err(windows_core::Error::from_hresult(STG_E_ACCESSDENIED))
    }

    fn CopyTo(
        &self,
        _pstm: Ref<IStream>,
        _cb: u64,
        _pcbread: *mut u64,
        _pcbwritten: *mut u64,
    ) -> windows_core::Result<()> {
        Err(E_NOTIMPL.into())
    }

    fn Commit(&self, _grfcommitflags: &STGC) -> windows_core::Result<()> {
        Ok(())
    }

    fn Revert(&self) -> windows_core::Result<()> {
        Ok(())
    }

    fn LockRegion(&self, _liboffset: u64, _cb: u64, _dwlocktype: &LOCKTYPE) -> windows_core::Result<()> {
        Err(windows_core::Error::from_hresult(code(STG_E_INVALIDFUNCTION)))
    }

    fn UnlockRegion(&self, _liboffset: u64, _cb: u64, _dwlocktype: u32) -> windows_core::Result<()> {
        Err(windows_core::Error::from_hresult(code(STG_E_INVALIDFUNCTION)))
    }

    fn Stat(&self, pstatstg: *mut STATSTG, _grfstatflag: &STATFLAG) -> windows_core::Result<()> {
        if pstatstg.is_null() {
            return Err(E_POINTER.into());
        }
        let guard = self.reader();
        let reader = guard.as_ref().ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_REVERTED)))?;
        // A source that cannot say its size cannot be Stat'ed; IMAPI2 then answers what it
        // answers (the spec expects STREAM_NOT_SUPPORTED), and the transcript shows it.
        let size = reader.size().ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_INVALIDFUNCTION)))?;
        let stat = STATSTG { r#type: STGTY_STREAM.0 as u32, cbSize: size, grfMode: STGM_READ, ..Default::default() };
        // SAFETY: a non-null out-pointer to a STATSTG; no name is returned (pwcsName null).
        unsafe { pstatstg.write(stat) };
        Ok(())
    }

    fn Clone(&self) -> windows_core::Result<IStream> {
        Err(E_NOTIMPL.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_sim::source::SyntheticPcm;
    use windows::Win32::System::Com::{STATFLAG_NONAME, STREAM_SEEK_CUR, STREAM_SEEK_END, STREAM_SEEK_SET};

    #[test]
    fn stat_read_seek_and_detach() {
        let mut source = SyntheticPcm::sectors(4, 3);
        let mut expected = vec![0u8; 3 * 2352];
        SyntheticPcm::sectors(4, 3).read(&mut expected).unwrap();
        let mut kept: Option<IStream> = None;
        with_track_stream(&mut source, |stream| {
            kept = Some(stream.clone());
            let mut stat = STATSTG::default();
            // SAFETY: calls of a live IStream with valid out-pointers.
            unsafe {
                stream.Stat(&mut stat, STATFLAG_NONAME).unwrap();
                assert_eq!(stat.cbSize, 3 * 2352);
                let mut end = 0u64;
                stream.Seek(0, STREAM_SEEK_END, Some(&mut end)).unwrap();
                assert_eq!(end, 3 * 2352);
                stream.Seek(0, STREAM_SEEK_SET, None).unwrap();
                let mut buf = vec![0u8; 5000];
                let mut read = 0u32;
                assert_eq!(stream.Read(buf.as_mut_ptr().cast(), 5000, Some(&mut read)), S_OK);
                assert_eq!(&buf[..read as usize], &expected[..5000]);
                assert!(stream.Seek(-1, STREAM_SEEK_CUR, None).is_err(), "no seeking back");
                assert_eq!(stream.Read(buf.as_mut_ptr().cast(), 5000, Some(&mut read)), S_FALSE);
                assert_eq!(read as usize, 3 * 2352 - 5000);
            }
            Ok(())
        })
        .unwrap();
        let stream = kept.unwrap();
        let mut buf = [0u8; 16];
        // SAFETY: as above; the stream is alive (a COM reference), its source is detached.
        let code = unsafe { stream.Read(buf.as_mut_ptr().cast(), 16, None) };
        assert_eq!(code.0, STG_E_REVERTED.as_i32(), "after AddAudioTrack the source is gone");
    }
}
