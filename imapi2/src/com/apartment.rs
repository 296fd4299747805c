//! COM initialisation: the backend lives in the process's multithreaded apartment (MTA).
//!
//! The first call into the backend takes one reference on the MTA for the whole process
//! (`CoIncrementMTAUsage`) and never gives it back. With it, the MTA exists for as long as the
//! process does, and every thread that has not initialised COM itself is in the *implicit* MTA:
//! it may use the backend's interface pointers without calling `CoInitializeEx`, and no thread
//! ever calls `CoUninitialize`. (Joining each thread with `CoInitializeEx` and leaving in a
//! thread-local destructor would run `CoUninitialize` under the loader lock at thread exit,
//! and on IMAPI2's own event thread when a handler calls in from there.)
//!
//! [`enter_mta`] checks the calling thread on every member: a thread in the MTA (explicit or
//! implicit) goes on; a thread that made itself a single-threaded apartment (STA) keeps it,
//! that is its owner's choice, and is refused with `RPC_E_CHANGED_MODE`: calling MTA objects
//! from an STA thread would break the rule that makes them `Send + Sync` here.

use std::sync::OnceLock;

use cdr_sim::Hresult;
use windows::Win32::System::Com::{
    CoGetApartmentType, CoIncrementMTAUsage, APTTYPE, APTTYPEQUALIFIER, APTTYPEQUALIFIER_NA_ON_IMPLICIT_MTA,
    APTTYPEQUALIFIER_NA_ON_MTA, APTTYPE_MTA, APTTYPE_NA,
};

use super::hr;
use crate::codes::RPC_E_CHANGED_MODE;
use crate::error::Imapi2Error;

/// The process's reference on the MTA: taken once, by the first caller, and kept.
static PROCESS_MTA: OnceLock<Result<(), Hresult>> = OnceLock::new();

/// Makes sure the MTA exists for the rest of the process, and that the calling thread is in it.
/// `RPC_E_CHANGED_MODE` when the thread is a single-threaded apartment.
pub(crate) fn enter_mta() -> Result<(), Hresult> {
    let process = PROCESS_MTA.get_or_init(|| {
        // SAFETY: plain FFI call. The cookie is dropped on purpose: the reference is kept until
        // the process ends (module doc).
        unsafe { CoIncrementMTAUsage() }.map(|_cookie| ()).map_err(|e| hr(&e))
    });
    (*process)?;
    let mut kind = APTTYPE::default();
    let mut qualifier = APTTYPEQUALIFIER::default();
    // SAFETY: two valid out-pointers.
    unsafe { CoGetApartmentType(&mut kind, &mut qualifier) }.map_err(|e| hr(&e))?;
    match kind {
        APTTYPE_MTA => Ok(()),
        APTTYPE_NA if qualifier == APTTYPEQUALIFIER_NA_ON_MTA || qualifier == APTTYPEQUALIFIER_NA_ON_IMPLICIT_MTA => {
            Ok(())
        }
        _ => Err(RPC_E_CHANGED_MODE),
    }
}

/// [`enter_mta`] for opening the backend: a single-threaded apartment gets its own error.
pub(crate) fn check_thread() -> Result<(), Imapi2Error> {
    enter_mta().map_err(|code| {
        if code == RPC_E_CHANGED_MODE {
            Imapi2Error::SingleThreadedApartment(code)
        } else {
            Imapi2Error::com("joining the multithreaded apartment (CoIncrementMTAUsage, CoGetApartmentType)", code)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use windows::Win32::Foundation::RPC_E_CHANGED_MODE as CHANGED_MODE;
    use windows::Win32::System::Com::{
        CoInitializeEx, CoUninitialize, APTTYPEQUALIFIER_IMPLICIT_MTA, COINIT_APARTMENTTHREADED, COINIT_MULTITHREADED,
    };

    fn apartment() -> (APTTYPE, APTTYPEQUALIFIER) {
        let (mut kind, mut qualifier) = (APTTYPE::default(), APTTYPEQUALIFIER::default());
        // SAFETY: two valid out-pointers.
        unsafe { CoGetApartmentType(&mut kind, &mut qualifier) }.unwrap();
        (kind, qualifier)
    }

    #[test]
    fn a_thread_that_never_initialised_com_is_in_the_implicit_mta() {
        std::thread::spawn(|| {
            enter_mta().unwrap();
            assert_eq!(apartment(), (APTTYPE_MTA, APTTYPEQUALIFIER_IMPLICIT_MTA));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn threads_come_and_go_and_the_mta_stays() {
        for _ in 0..8 {
            std::thread::spawn(|| enter_mta().unwrap()).join().unwrap();
        }
        // No thread left the MTA on exit, and the process reference keeps it: a new thread is
        // still in it without initialising COM.
        std::thread::spawn(|| {
            enter_mta().unwrap();
            assert_eq!(apartment().0, APTTYPE_MTA);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn an_explicit_mta_thread_is_accepted() {
        std::thread::spawn(|| {
            // SAFETY: plain FFI calls, balanced on this thread.
            unsafe {
                assert!(CoInitializeEx(None, COINIT_MULTITHREADED).is_ok());
                assert_eq!(enter_mta(), Ok(()));
                CoUninitialize();
            }
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_single_threaded_apartment_is_refused_with_a_clear_error() {
        std::thread::spawn(|| {
            // SAFETY: plain FFI calls, balanced on this thread.
            unsafe { assert!(CoInitializeEx(None, COINIT_APARTMENTTHREADED).is_ok()) };
            assert_eq!(enter_mta(), Err(RPC_E_CHANGED_MODE));
            assert_eq!(RPC_E_CHANGED_MODE.as_i32(), CHANGED_MODE.0);
            let e = check_thread().unwrap_err();
            assert_eq!(e, Imapi2Error::SingleThreadedApartment(RPC_E_CHANGED_MODE));
            assert!(e.to_string().contains("single-threaded COM apartment"), "{e}");
            assert!(e.to_string().contains("multithreaded apartment"), "{e}");
            let open = crate::Imapi2Backend::open().err().expect("an STA thread cannot open the backend");
            assert_eq!(open, e);
            // SAFETY: balances the CoInitializeEx above.
            unsafe { CoUninitialize() };
        })
        .join()
        .unwrap();
    }
}
