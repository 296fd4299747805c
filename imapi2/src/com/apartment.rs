//! COM initialisation: the backend lives in the multithreaded apartment.
//!
//! - [`MtaUsage`] keeps the MTA alive (`CoIncrementMTAUsage`) for as long as any backend object
//!   exists: every object holds an `Arc` of it, so no thread's `CoUninitialize` can tear the
//!   MTA down (and unload imapi2.dll) under a live interface pointer.
//! - [`enter_mta`] joins the calling thread to the MTA once (`CoInitializeEx(MULTITHREADED)`;
//!   `S_FALSE` means the thread already was, and is balanced all the same) and undoes it when
//!   the thread exits. A thread that is a single-threaded apartment answers
//!   `RPC_E_CHANGED_MODE`, which every member then returns: calling MTA objects from an STA
//!   thread would break the rule that makes them `Send + Sync` here.

use std::cell::RefCell;
use std::sync::Arc;

use cdr_sim::Hresult;
use windows::Win32::Foundation::{S_FALSE, S_OK};
use windows::Win32::System::Com::{
    CoDecrementMTAUsage, CoIncrementMTAUsage, CoInitializeEx, CoUninitialize, COINIT_MULTITHREADED, CO_MTA_USAGE_COOKIE,
};

use super::hr;
use crate::error::Imapi2Error;

/// A reference on the MTA, released when dropped.
pub(crate) struct MtaUsage {
    cookie: CO_MTA_USAGE_COOKIE,
}

// SAFETY: the cookie is an opaque token; CoDecrementMTAUsage may be called from any thread
// (it is documented to be callable from any apartment).
unsafe impl Send for MtaUsage {}
// SAFETY: `&MtaUsage` gives no access to the cookie.
unsafe impl Sync for MtaUsage {}

impl MtaUsage {
    /// Takes a reference on the MTA and joins the calling thread to it.
    pub(crate) fn acquire() -> Result<Arc<MtaUsage>, Imapi2Error> {
        enter_mta().map_err(|code| {
            if code == crate::codes::RPC_E_CHANGED_MODE {
                Imapi2Error::SingleThreadedApartment(code)
            } else {
                Imapi2Error::com("CoInitializeEx(COINIT_MULTITHREADED)", code)
            }
        })?;
        // SAFETY: plain FFI call with no arguments.
        let cookie = unsafe { CoIncrementMTAUsage() }.map_err(|e| Imapi2Error::com("CoIncrementMTAUsage", hr(&e)))?;
        Ok(Arc::new(MtaUsage { cookie }))
    }
}

impl Drop for MtaUsage {
    fn drop(&mut self) {
        // SAFETY: the cookie came from CoIncrementMTAUsage and is released once. A failure
        // cannot be reported from drop and leaves the MTA alive, which is harmless.
        let _ = unsafe { CoDecrementMTAUsage(self.cookie) };
    }
}

/// Undoes this thread's `CoInitializeEx` when the thread exits.
struct ThreadCom;

impl Drop for ThreadCom {
    fn drop(&mut self) {
        // SAFETY: balances the successful CoInitializeEx (S_OK or S_FALSE) made on this
        // thread by `enter_mta`; backend objects keep the MTA itself alive (MtaUsage).
        unsafe { CoUninitialize() }
    }
}

thread_local! {
    /// Set once this thread has joined the MTA; dropping it at thread exit leaves.
    static JOINED: RefCell<Option<ThreadCom>> = const { RefCell::new(None) };
}

/// Joins the calling thread to the MTA, once per thread.
pub(crate) fn enter_mta() -> Result<(), Hresult> {
    if JOINED.with(|j| j.borrow().is_some()) {
        return Ok(());
    }
    // SAFETY: plain FFI call; reserved argument is None.
    let code = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
    if code == S_OK || code == S_FALSE {
        JOINED.with(|j| *j.borrow_mut() = Some(ThreadCom));
        Ok(())
    } else {
        // RPC_E_CHANGED_MODE: the thread is a single-threaded apartment. It stays one (that is
        // its owner's choice) and the backend refuses to run on it; any other code is a
        // failure of COM itself. Nothing to undo in either case.
        Err(Hresult::from_i32(code.0))
    }
}
