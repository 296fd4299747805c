//! The `DDiscFormat2TrackAtOnceEvents` connection point and its Update event.
//!
//! Sinks advise on the format object's connection point; the format object relays the
//! simulator's Update callbacks to every sink as IMAPI2 fires them: `IDispatch::Invoke` with
//! DISPID 512 and the arguments `(object, progress)` (in DISPPARAMS, reversed: `rgvarg[0]` is
//! the progress object). The progress object implements `IDiscFormat2TrackAtOnceEventArgs` and
//! its base `IWriteEngine2EventArgs`, early and late bound. No lock is held while a sink runs,
//! so the handler can call back into the format object (FreeSectorsOnMedia, CancelAddTrack).

use std::sync::{Arc, Mutex, PoisonError};

use cdr_sim::{DiscFormat2TrackAtOnce, TaoProgress, TaoUpdateSink};
use windows::Win32::Foundation::{DISP_E_MEMBERNOTFOUND, E_NOTIMPL, E_POINTER};
use windows::Win32::Storage::Imapi::{
    DDiscFormat2TrackAtOnceEvents, IDiscFormat2TrackAtOnceEventArgs, IDiscFormat2TrackAtOnceEventArgs_Impl,
    IWriteEngine2EventArgs_Impl, IMAPI_FORMAT2_TAO_WRITE_ACTION,
};
use windows::Win32::System::Com::{
    IConnectionPoint, IConnectionPointContainer, IConnectionPoint_Impl, IDispatch, IEnumConnections, ISupportErrorInfo,
    DISPATCH_METHOD, DISPPARAMS,
};
use windows_core::{implement, IUnknown, Interface, Ref, GUID, HRESULT};

use super::dispatch::{dual, Args, Call, Dispatch};
use super::variant::Var;
use crate::dispids::{event_args as e, DispMember, EVENT_ARGS, UPDATE};

/// `CONNECT_E_NOCONNECTION`: Unadvise with a cookie that is not advised.
const CONNECT_E_NOCONNECTION: HRESULT = HRESULT(0x8004_0200_u32 as i32);

/// The sinks advised on one format object, and the object the events name as their source.
#[derive(Default)]
pub(crate) struct Sinks {
    state: Mutex<SinkState>,
}

#[derive(Default)]
struct SinkState {
    next_cookie: u32,
    sinks: Vec<(u32, IDispatch)>,
    /// The format object's IDispatch while AddAudioTrack runs (the events' `object`); held
    /// only for the call, so that the sinks do not keep the format object alive.
    source: Option<IDispatch>,
}

// SAFETY: the interface pointers are used on the thread that calls AddAudioTrack (the
// simulator fires Update synchronously on it) and, for Advise/Unadvise, stored and released
// under the mutex. The classes are registered ThreadingModel=Both and the objects are
// free-threaded, as IMAPI2's are.
unsafe impl Send for Sinks {}
// SAFETY: as above; every access goes through the mutex.
unsafe impl Sync for Sinks {}

impl Sinks {
    fn lock(&self) -> std::sync::MutexGuard<'_, SinkState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets (or, with `None`, clears) the source object named by the events.
    pub(crate) fn set_source(&self, source: Option<IDispatch>) -> Option<IDispatch> {
        std::mem::replace(&mut self.lock().source, source)
    }

    fn advise(&self, sink: IDispatch) -> u32 {
        let mut st = self.lock();
        st.next_cookie += 1;
        let cookie = st.next_cookie;
        st.sinks.push((cookie, sink));
        cookie
    }

    fn unadvise(&self, cookie: u32) -> bool {
        let mut st = self.lock();
        let before = st.sinks.len();
        st.sinks.retain(|(c, _)| *c != cookie);
        st.sinks.len() != before
    }
}

/// The simulator's sink on the format object: fires Update on every advised COM sink.
pub(crate) struct Relay(pub(crate) Arc<Sinks>);

impl TaoUpdateSink for Relay {
    fn update(&self, _format: &dyn DiscFormat2TrackAtOnce, progress: &TaoProgress) {
        let (sinks, source) = {
            let st = self.0.lock();
            (st.sinks.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>(), st.source.clone())
        };
        if sinks.is_empty() {
            return;
        }
        let args: IDiscFormat2TrackAtOnceEventArgs = EventArgs { progress: *progress }.into();
        let args: IDispatch = args.into();
        for sink in sinks {
            // Invoke's arguments in reverse: rgvarg[0] = progress, rgvarg[1] = object.
            let mut argv = [Var::dispatch(Some(args.clone())).into_raw(), Var::dispatch(source.clone()).into_raw()];
            let params = DISPPARAMS { rgvarg: argv.as_mut_ptr(), cArgs: 2, ..Default::default() };
            // SAFETY: Invoke on a sink that advised itself, with arguments that live for the
            // call. What the sink returns is ignored, as IMAPI2 ignores it.
            unsafe {
                let _ = sink.Invoke(UPDATE, &GUID::zeroed(), 0, DISPATCH_METHOD, &params, None, None, None);
            }
            for v in argv {
                drop(Var::from_raw(v));
            }
        }
    }
}

/// The connection point of `DDiscFormat2TrackAtOnceEvents` on one format object.
#[implement(IConnectionPoint)]
pub(crate) struct ConnectionPoint {
    pub(crate) sinks: Arc<Sinks>,
    pub(crate) container: IConnectionPointContainer,
}

impl IConnectionPoint_Impl for ConnectionPoint_Impl {
    fn GetConnectionInterface(&self) -> windows_core::Result<GUID> {
        Ok(DDiscFormat2TrackAtOnceEvents::IID)
    }

    fn GetConnectionPointContainer(&self) -> windows_core::Result<IConnectionPointContainer> {
        Ok(self.container.clone())
    }

    fn Advise(&self, sink: Ref<IUnknown>) -> windows_core::Result<u32> {
        let sink = sink.ok().map_err(|_| windows_core::Error::from(E_POINTER))?;
        // The dispinterface first (what IMAPI2 asks for), else any IDispatch.
        let dispatch: IDispatch = match sink.cast::<DDiscFormat2TrackAtOnceEvents>() {
            Ok(events) => events.into(),
            Err(_) => sink.cast()?,
        };
        Ok(self.sinks.advise(dispatch))
    }

    fn Unadvise(&self, cookie: u32) -> windows_core::Result<()> {
        if self.sinks.unadvise(cookie) {
            Ok(())
        } else {
            Err(CONNECT_E_NOCONNECTION.into())
        }
    }

    fn EnumConnections(&self) -> windows_core::Result<IEnumConnections> {
        Err(E_NOTIMPL.into())
    }
}

/// The progress object of one Update event.
#[implement(IDiscFormat2TrackAtOnceEventArgs, ISupportErrorInfo)]
struct EventArgs {
    progress: TaoProgress,
}

impl IWriteEngine2EventArgs_Impl for EventArgs_Impl {
    fn StartLba(&self) -> windows_core::Result<i32> {
        Ok(self.progress.start_lba)
    }
    fn SectorCount(&self) -> windows_core::Result<i32> {
        Ok(self.progress.sector_count)
    }
    fn LastReadLba(&self) -> windows_core::Result<i32> {
        Ok(self.progress.last_read_lba)
    }
    fn LastWrittenLba(&self) -> windows_core::Result<i32> {
        Ok(self.progress.last_written_lba)
    }
    fn TotalSystemBuffer(&self) -> windows_core::Result<i32> {
        Ok(self.progress.total_system_buffer)
    }
    fn UsedSystemBuffer(&self) -> windows_core::Result<i32> {
        Ok(self.progress.used_system_buffer)
    }
    fn FreeSystemBuffer(&self) -> windows_core::Result<i32> {
        Ok(self.progress.free_system_buffer)
    }
}

impl IDiscFormat2TrackAtOnceEventArgs_Impl for EventArgs_Impl {
    fn CurrentTrackNumber(&self) -> windows_core::Result<i32> {
        Ok(self.progress.current_track_number)
    }
    fn CurrentAction(&self) -> windows_core::Result<IMAPI_FORMAT2_TAO_WRITE_ACTION> {
        Ok(IMAPI_FORMAT2_TAO_WRITE_ACTION(self.progress.current_action as i32))
    }
    fn ElapsedTime(&self) -> windows_core::Result<i32> {
        Ok(self.progress.elapsed_time)
    }
    fn RemainingTime(&self) -> windows_core::Result<i32> {
        Ok(self.progress.remaining_time)
    }
}

impl Dispatch for EventArgs_Impl {
    const TABLE: &'static [DispMember] = EVENT_ARGS;

    fn call(&self, dispid: i32, call: Call, _args: &Args) -> windows_core::Result<Var> {
        let p = &self.progress;
        if call == Call::Put {
            return Err(DISP_E_MEMBERNOTFOUND.into());
        }
        Ok(Var::i32(match dispid {
            e::START_LBA => p.start_lba,
            e::SECTOR_COUNT => p.sector_count,
            e::LAST_READ_LBA => p.last_read_lba,
            e::LAST_WRITTEN_LBA => p.last_written_lba,
            e::TOTAL_SYSTEM_BUFFER => p.total_system_buffer,
            e::USED_SYSTEM_BUFFER => p.used_system_buffer,
            e::FREE_SYSTEM_BUFFER => p.free_system_buffer,
            e::CURRENT_TRACK_NUMBER => p.current_track_number,
            e::CURRENT_ACTION => p.current_action as i32,
            e::ELAPSED_TIME => p.elapsed_time,
            e::REMAINING_TIME => p.remaining_time,
            _ => return Err(DISP_E_MEMBERNOTFOUND.into()),
        }))
    }
}

dual!(EventArgs_Impl);
