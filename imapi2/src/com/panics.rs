//! Panics caught at a COM entry point and resumed in the caller once COM has returned.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{Mutex, PoisonError};

/// The first panic caught by [`PanicSlot::catch`], kept until [`PanicSlot::resume`].
#[derive(Default)]
pub(crate) struct PanicSlot(Mutex<Option<Box<dyn Any + Send>>>);

impl PanicSlot {
    /// Runs `f`. When it panics, keeps the panic (the first one, if several) and returns
    /// `None`: the COM entry point then fails its call instead of unwinding into its caller.
    pub(crate) fn catch<T>(&self, f: impl FnOnce() -> T) -> Option<T> {
        // AssertUnwindSafe: whatever `f` touched is either the caller's own state (which the
        // caller will see unwinding through it when the panic resumes) or a Mutex that the
        // entry points read through `PoisonError::into_inner`.
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(value) => Some(value),
            Err(payload) => {
                let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
                slot.get_or_insert(payload);
                None
            }
        }
    }

    /// Resumes the kept panic, if there is one, on the calling thread.
    pub(crate) fn resume(&self) {
        let payload = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(payload) = payload {
            resume_unwind(payload);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_panic_is_kept_and_resumed_once() {
        let slot = PanicSlot::default();
        assert_eq!(slot.catch(|| 7), Some(7));
        slot.resume(); // nothing kept: returns
        assert_eq!(slot.catch(|| -> i32 { panic!("first") }), None);
        assert_eq!(slot.catch(|| -> i32 { panic!("second") }), None);
        let payload = catch_unwind(AssertUnwindSafe(|| slot.resume())).unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"first"));
        slot.resume(); // taken: returns
    }
}
