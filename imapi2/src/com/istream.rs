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
//!
//! # What the caller sees
//! - A panic in the source's `read` does not unwind into IMAPI2: that `Read` fails with
//!   `E_UNEXPECTED`, and the panic resumes in the caller when `with_track_stream` returns.
//! - `Read` always sets its bytes-read count, on its error paths too (to the bytes of the
//!   request that are valid in the buffer).
//! - Every `Seek` is reported on standard error (`cdr-imapi2: IStream::Seek(...)`), one line
//!   each, so that a lab run shows how IMAPI2's write engine moves through a track. Seeks are
//!   rare (a handful per track); reads are not logged.

use std::ffi::c_void;
use std::sync::{Mutex, MutexGuard, PoisonError};

use cdr_sim::{AudioStream, HrResult};
use windows::Win32::Foundation::{
    E_NOTIMPL, E_POINTER, E_UNEXPECTED, STG_E_ACCESSDENIED, STG_E_INVALIDFLAG, S_FALSE, S_OK,
};
use windows::Win32::System::Com::{
    CoTaskMemAlloc, ISequentialStream_Impl, IStream, IStream_Impl, LOCKTYPE, STATFLAG, STATFLAG_DEFAULT,
    STATFLAG_NONAME, STATFLAG_NOOPEN, STATSTG, STGC, STGM_READ, STGTY_STREAM, STREAM_SEEK,
};
use windows_core::{implement, ComObject, Ref, HRESULT, PWSTR};

use super::panics::PanicSlot;
use crate::codes::{STG_E_INVALIDFUNCTION, STG_E_REVERTED};
use crate::stream::{SeekOrigin, TrackReader};

/// The name `Stat` gives the stream when asked for one (`STATFLAG_DEFAULT`).
pub(crate) const STREAM_NAME: &str = "cdr-imapi2 track";

/// Where each Seek is reported (standard error, or a test's collector).
pub(crate) type SeekLog = Box<dyn Fn(&str) + Send + Sync>;

/// The COM object. The reader's `'static` is a lie told only under the rules of the module doc.
#[implement(IStream)]
struct TrackStream {
    reader: Mutex<Option<TrackReader<'static>>>,
    /// A panic of the source's `read`, for `with_track_stream` to resume.
    panic: PanicSlot,
    log: SeekLog,
}

impl TrackStream {
    fn reader(&self) -> MutexGuard<'_, Option<TrackReader<'static>>> {
        // A panic while reading cannot leave the cursor inconsistent in a way that matters:
        // the next read fails or continues; so a poisoned lock is used as it is.
        self.reader.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `Read` once `pv` is known to be valid; returns the code and the count to report.
    fn read(&self, pv: *mut c_void, cb: u32) -> (HRESULT, u32) {
        let mut guard = self.reader();
        let Some(reader) = guard.as_mut() else { return (code(STG_E_REVERTED), 0) };
        let len = cb as usize;
        // SAFETY: IStream::Read's contract: `pv` points to `cb` writable bytes. They are zeroed
        // first so that the slice never covers uninitialised memory.
        let buf = unsafe {
            std::ptr::write_bytes(pv.cast::<u8>(), 0, len);
            std::slice::from_raw_parts_mut(pv.cast::<u8>(), len)
        };
        // Counts are at most `cb`, so they fit in u32.
        match reader.read(buf) {
            Ok(n) if n == len => (S_OK, n as u32),
            Ok(n) => (S_FALSE, n as u32),
            Err(e) => (code(e.hresult()), e.filled() as u32),
        }
    }

    fn seek(&self, offset: i64, origin: u32) -> windows_core::Result<u64> {
        let mut guard = self.reader();
        let reader = guard.as_mut().ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_REVERTED)))?;
        let from = reader.position();
        let result = match SeekOrigin::from_value(origin) {
            None => Err(windows_core::Error::from_hresult(code(STG_E_INVALIDFUNCTION))),
            Some(o) => reader.seek(o, offset).map_err(|e| windows_core::Error::from_hresult(code(e.hresult()))),
        };
        let outcome = match &result {
            Ok(to) => format!("-> {to}"),
            Err(e) => format!("-> failed {}", cdr_sim::Hresult::from_i32(e.code().0)),
        };
        (self.log)(&format!("IStream::Seek({offset}, {}) at {from} {outcome}", origin_name(origin)));
        result
    }
}

fn origin_name(origin: u32) -> String {
    match SeekOrigin::from_value(origin) {
        Some(SeekOrigin::Start) => "STREAM_SEEK_SET".into(),
        Some(SeekOrigin::Current) => "STREAM_SEEK_CUR".into(),
        Some(SeekOrigin::End) => "STREAM_SEEK_END".into(),
        None => format!("origin {origin}"),
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
/// function returns. A panic of `data.read` inside a COM call resumes here, after `f`.
pub(crate) fn with_track_stream<T>(data: &mut dyn AudioStream, f: impl FnOnce(&IStream) -> HrResult<T>) -> HrResult<T> {
    with_logged_track_stream(data, Box::new(|line| eprintln!("cdr-imapi2: {line}")), f)
}

/// [`with_track_stream`], each Seek reported to `log`.
pub(crate) fn with_logged_track_stream<T>(
    data: &mut dyn AudioStream,
    log: SeekLog,
    f: impl FnOnce(&IStream) -> HrResult<T>,
) -> HrResult<T> {
    let reader = TrackReader::new(data);
    // SAFETY: only the lifetime changes. The erased borrow is reachable only through the
    // mutex, and `Detach` removes it before `data`'s borrow ends (module doc, rules 1-3).
    let reader: TrackReader<'static> = unsafe { std::mem::transmute::<TrackReader<'_>, TrackReader<'static>>(reader) };
    let object = ComObject::new(TrackStream { reader: Mutex::new(Some(reader)), panic: PanicSlot::default(), log });
    let result = {
        let _detach = Detach(object.get());
        let stream: IStream = object.to_interface();
        f(&stream)
    };
    object.get().panic.resume();
    result
}

fn code(h: cdr_sim::Hresult) -> HRESULT {
    HRESULT(h.as_i32())
}

impl ISequentialStream_Impl for TrackStream_Impl {
    fn Read(&self, pv: *mut c_void, cb: u32, pcbread: *mut u32) -> HRESULT {
        let (result, count) = if pv.is_null() {
            (E_POINTER, 0)
        } else {
            self.panic.catch(|| self.read(pv, cb)).unwrap_or((E_UNEXPECTED, 0))
        };
        if !pcbread.is_null() {
            // SAFETY: a non-null out-pointer from the caller.
            unsafe { *pcbread = count };
        }
        result
    }

    fn Write(&self, _pv: *const c_void, _cb: u32, pcbwritten: *mut u32) -> HRESULT {
        if !pcbwritten.is_null() {
            // SAFETY: a non-null out-pointer from the caller.
            unsafe { *pcbwritten = 0 };
        }
        STG_E_ACCESSDENIED
    }
}

impl IStream_Impl for TrackStream_Impl {
    fn Seek(&self, dlibmove: i64, dworigin: STREAM_SEEK, plibnewposition: *mut u64) -> windows_core::Result<()> {
        let position = self.panic.catch(|| self.seek(dlibmove, dworigin.0)).unwrap_or(Err(E_UNEXPECTED.into()))?;
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

    /// Size, type and mode; with `STATFLAG_DEFAULT` also a name the caller frees with
    /// `CoTaskMemFree`, with `STATFLAG_NONAME` none. Other flags: `STG_E_INVALIDFLAG`.
    fn Stat(&self, pstatstg: *mut STATSTG, grfstatflag: &STATFLAG) -> windows_core::Result<()> {
        if pstatstg.is_null() {
            return Err(E_POINTER.into());
        }
        let named = match *grfstatflag {
            f if f == STATFLAG_DEFAULT || f == STATFLAG_NOOPEN => true,
            f if f == STATFLAG_NONAME => false,
            _ => return Err(STG_E_INVALIDFLAG.into()),
        };
        let size = {
            let guard = self.reader();
            let reader = guard.as_ref().ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_REVERTED)))?;
            // A source that cannot say its size cannot be Stat'ed; IMAPI2 then answers what it
            // answers (the spec expects STREAM_NOT_SUPPORTED), and the transcript shows it.
            reader.size().ok_or_else(|| windows_core::Error::from_hresult(code(STG_E_INVALIDFUNCTION)))?
        };
        let name = if named { task_mem_string(STREAM_NAME)? } else { PWSTR::null() };
        let stat = STATSTG {
            pwcsName: name,
            r#type: STGTY_STREAM.0 as u32,
            cbSize: size,
            grfMode: STGM_READ,
            ..Default::default()
        };
        // SAFETY: a non-null out-pointer to a STATSTG; the name (if any) is the caller's now.
        unsafe { pstatstg.write(stat) };
        Ok(())
    }

    fn Clone(&self) -> windows_core::Result<IStream> {
        Err(E_NOTIMPL.into())
    }
}

/// A NUL-terminated UTF-16 copy of `s` in COM task memory (the caller frees it).
fn task_mem_string(s: &str) -> windows_core::Result<PWSTR> {
    let wide: Vec<u16> = s.encode_utf16().chain([0]).collect();
    // SAFETY: an allocation of exactly the bytes copied into it below.
    let p = unsafe { CoTaskMemAlloc(wide.len() * 2) }.cast::<u16>();
    if p.is_null() {
        return Err(windows::Win32::Foundation::E_OUTOFMEMORY.into());
    }
    // SAFETY: `p` holds `wide.len()` u16s; the regions do not overlap.
    unsafe { std::ptr::copy_nonoverlapping(wide.as_ptr(), p, wide.len()) };
    Ok(PWSTR(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::Arc;

    use cdr_sim::source::SyntheticPcm;
    use windows::Win32::System::Com::{CoTaskMemFree, STREAM_SEEK_CUR, STREAM_SEEK_END, STREAM_SEEK_SET};

    use crate::codes::STG_E_READFAULT;
    use crate::test_sources::{FailsAfter, NoSize, Panics, SOURCE_PANIC};

    const LEN: u64 = 3 * 2352 + 17;

    fn expected(len: u64) -> Vec<u8> {
        let mut v = vec![0u8; len as usize];
        SyntheticPcm::bytes(4, len).read(&mut v).unwrap();
        v
    }

    /// Runs `f` on a stream over `source`, collecting the Seek log.
    fn logged(source: &mut dyn AudioStream, f: impl FnOnce(&IStream)) -> Vec<String> {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        with_logged_track_stream(source, Box::new(move |l| sink.lock().unwrap().push(l.to_string())), |s| {
            f(s);
            Ok(())
        })
        .unwrap();
        let lines = lines.lock().unwrap().clone();
        lines
    }

    fn hr(e: windows_core::Error) -> cdr_sim::Hresult {
        cdr_sim::Hresult::from_i32(e.code().0)
    }

    #[test]
    fn stat_gives_size_type_mode_and_a_name_only_when_asked() {
        let mut source = SyntheticPcm::bytes(4, LEN);
        logged(&mut source, |stream| {
            // SAFETY (here and in the tests below): calls of a live IStream through its vtable,
            // with out-pointers that are valid for the call.
            unsafe {
                let mut stat = STATSTG::default();
                stream.Stat(&mut stat, STATFLAG_NONAME).unwrap();
                assert_eq!(stat.cbSize, LEN);
                assert_eq!(stat.r#type, STGTY_STREAM.0 as u32);
                assert_eq!(stat.grfMode, STGM_READ);
                assert!(stat.pwcsName.is_null(), "STATFLAG_NONAME: no name");
                let mut named = STATSTG::default();
                stream.Stat(&mut named, STATFLAG_DEFAULT).unwrap();
                assert_eq!(named.cbSize, LEN);
                assert_eq!(named.pwcsName.to_string().unwrap(), STREAM_NAME);
                CoTaskMemFree(Some(named.pwcsName.0 as *const c_void));
                let e = stream.Stat(&mut stat, STATFLAG(0x10)).unwrap_err();
                assert_eq!(e.code(), STG_E_INVALIDFLAG);
                let e = stream.Stat(std::ptr::null_mut(), STATFLAG_NONAME).unwrap_err();
                assert_eq!(e.code(), E_POINTER);
            }
        });
    }

    #[test]
    fn stat_of_a_source_without_a_size_fails() {
        logged(&mut NoSize, |stream| {
            let mut stat = STATSTG::default();
            let e = unsafe { stream.Stat(&mut stat, STATFLAG_NONAME) }.unwrap_err();
            assert_eq!(hr(e), STG_E_INVALIDFUNCTION);
        });
    }

    #[test]
    fn reads_of_odd_sizes_deliver_the_source_to_the_end() {
        let mut source = SyntheticPcm::bytes(4, LEN);
        logged(&mut source, |stream| {
            let mut got = Vec::new();
            let mut buf = vec![0u8; 70_000];
            for size in [1u32, 7, 2351, 4097, 65_535].into_iter().cycle() {
                let mut read = 0xdead_u32;
                let code = unsafe { stream.Read(buf.as_mut_ptr().cast(), size, Some(&mut read)) };
                got.extend_from_slice(&buf[..read as usize]);
                if code == S_FALSE {
                    break;
                }
                assert_eq!((code, read), (S_OK, size), "a full read until the end");
            }
            assert_eq!(got, expected(LEN));
            let mut read = 0xdead_u32;
            let code = unsafe { stream.Read(buf.as_mut_ptr().cast(), 100, Some(&mut read)) };
            assert_eq!((code, read), (S_FALSE, 0), "at the end: nothing more");
            assert_eq!(unsafe { stream.Read(buf.as_mut_ptr().cast(), 0, None) }, S_OK, "a read of 0 bytes");
        });
    }

    #[test]
    fn seeks_as_imapi2_may_call_them_and_each_is_logged() {
        let mut source = SyntheticPcm::bytes(4, LEN);
        let all = expected(LEN);
        let log = logged(&mut source, |stream| unsafe {
            let mut pos = u64::MAX;
            stream.Seek(0, STREAM_SEEK_CUR, Some(&mut pos)).unwrap();
            assert_eq!(pos, 0, "where am I");
            stream.Seek(0, STREAM_SEEK_END, Some(&mut pos)).unwrap();
            assert_eq!(pos, LEN, "the size by seeking to the end");
            stream.Seek(0, STREAM_SEEK_SET, None).unwrap();
            let mut buf = vec![0u8; 1000];
            let mut read = 0;
            assert_eq!(stream.Read(buf.as_mut_ptr().cast(), 1000, Some(&mut read)), S_OK);
            assert_eq!(buf, all[..1000]);
            stream.Seek(1000, STREAM_SEEK_SET, Some(&mut pos)).unwrap();
            assert_eq!(pos, 1000, "to where reading stopped");
            stream.Seek(352, STREAM_SEEK_CUR, Some(&mut pos)).unwrap();
            assert_eq!(pos, 1352, "forward: skipped");
            assert_eq!(stream.Read(buf.as_mut_ptr().cast(), 1000, Some(&mut read)), S_OK);
            assert_eq!(buf, all[1352..2352]);
            let e = stream.Seek(0, STREAM_SEEK_SET, Some(&mut pos)).unwrap_err();
            assert_eq!(hr(e), STG_E_INVALIDFUNCTION, "no seeking back over what was read");
            let e = stream.Seek(0, STREAM_SEEK(3), None).unwrap_err();
            assert_eq!(hr(e), STG_E_INVALIDFUNCTION, "no such origin");
            stream.Seek(0, STREAM_SEEK_CUR, Some(&mut pos)).unwrap();
            assert_eq!(pos, 2352, "failed seeks moved nothing");
        });
        assert_eq!(
            log,
            [
                "IStream::Seek(0, STREAM_SEEK_CUR) at 0 -> 0",
                "IStream::Seek(0, STREAM_SEEK_END) at 0 -> 7073",
                "IStream::Seek(0, STREAM_SEEK_SET) at 7073 -> 0",
                "IStream::Seek(1000, STREAM_SEEK_SET) at 1000 -> 1000",
                "IStream::Seek(352, STREAM_SEEK_CUR) at 1000 -> 1352",
                "IStream::Seek(0, STREAM_SEEK_SET) at 2352 -> failed 0x80030001",
                "IStream::Seek(0, origin 3) at 2352 -> failed 0x80030001",
                "IStream::Seek(0, STREAM_SEEK_CUR) at 2352 -> 2352",
            ]
        );
    }

    #[test]
    fn after_the_owner_revoked_it_the_stream_reaches_nothing() {
        let mut source = SyntheticPcm::bytes(4, LEN);
        let mut kept: Option<IStream> = None;
        logged(&mut source, |stream| kept = Some(stream.clone()));
        let stream = kept.unwrap();
        let mut buf = [0u8; 16];
        let mut read = 0xdead_u32;
        // SAFETY: the stream is alive (a COM reference of its own); its source is detached.
        unsafe {
            let code = stream.Read(buf.as_mut_ptr().cast(), 16, Some(&mut read));
            assert_eq!((cdr_sim::Hresult::from_i32(code.0), read), (STG_E_REVERTED, 0));
            let mut stat = STATSTG::default();
            assert_eq!(hr(stream.Stat(&mut stat, STATFLAG_NONAME).unwrap_err()), STG_E_REVERTED);
            assert_eq!(hr(stream.Seek(0, STREAM_SEEK_CUR, None).unwrap_err()), STG_E_REVERTED);
        }
    }

    #[test]
    fn the_error_paths_of_read_set_the_count() {
        logged(&mut FailsAfter(100), |stream| unsafe {
            let mut buf = [0u8; 300];
            let mut read = 0xdead_u32;
            let code = stream.Read(buf.as_mut_ptr().cast(), 300, Some(&mut read));
            assert_eq!(cdr_sim::Hresult::from_i32(code.0), STG_E_READFAULT);
            assert_eq!(read, 100, "the bytes that are valid");
            assert!(buf[..100].iter().all(|&b| b == 7));
            read = 0xdead;
            assert_eq!(stream.Read(std::ptr::null_mut(), 300, Some(&mut read)), E_POINTER);
            assert_eq!(read, 0);
            read = 0xdead;
            assert_eq!(stream.Write(buf.as_ptr().cast(), 300, Some(&mut read)), STG_E_ACCESSDENIED);
            assert_eq!(read, 0, "nothing written");
        });
    }

    #[test]
    fn a_panic_in_the_source_fails_the_read_and_resumes_in_the_caller() {
        let mut seen = None;
        let payload = catch_unwind(AssertUnwindSafe(|| {
            logged(&mut Panics, |stream| {
                let mut buf = [0u8; 64];
                let mut read = 0xdead_u32;
                // SAFETY: as above.
                let code = unsafe { stream.Read(buf.as_mut_ptr().cast(), 64, Some(&mut read)) };
                seen = Some((code, read));
            })
        }))
        .unwrap_err();
        assert_eq!(seen, Some((E_UNEXPECTED, 0)), "the COM call failed instead of unwinding");
        assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some(SOURCE_PANIC));
    }
}
