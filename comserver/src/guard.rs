//! Panics stop at the COM boundary: a panic inside the simulator fails the COM call with
//! `E_UNEXPECTED` and a message, instead of unwinding into the client (which, through an
//! `extern "system"` vtable, would abort the client's process).
//!
//! The server's objects hold their simulator objects through the wrappers here ([`guarded_format`],
//! [`guarded_recorder`], [`guarded_master`]); every contract member runs under [`guard`], which
//! catches the panic, keeps its message for the thread ([`last_panic`]: the COM side puts it in
//! `IErrorInfo` and in a script's EXCEPINFO) and answers [`E_UNEXPECTED`].
//!
//! ```
//! use cdr_comserver::guard::{guard, last_panic, E_UNEXPECTED};
//! assert_eq!(guard(|| Ok::<_, cdr_sim::Hresult>(3)), Ok(3));
//! assert_eq!(guard(|| -> cdr_sim::HrResult<i32> { panic!("drive on fire") }), Err(E_UNEXPECTED));
//! assert!(last_panic().unwrap().contains("drive on fire"));
//! ```

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use cdr_sim::{
    AudioStream, BurnVerificationLevel, DiscFormat2TrackAtOnce, DiscMaster2, DiscRecorder2, HrResult, Hresult,
    PhysicalMediaType, SupportAnswer, TaoUpdateSink, WriteSpeedDescriptor,
};

/// `E_UNEXPECTED` (0x8000FFFF): what a call whose simulator code panicked returns.
pub const E_UNEXPECTED: Hresult = Hresult(0x8000_FFFF);

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The message of the last panic [`guard`] caught on this thread, as the error text to show
/// (`the simulator failed unexpectedly (panic: ...)`).
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// Runs `f`; a panic becomes `Err(E_UNEXPECTED)`, its message kept for [`last_panic`].
pub fn guard<T>(f: impl FnOnce() -> HrResult<T>) -> HrResult<T> {
    // AssertUnwindSafe: the simulator's state is behind mutexes that every entry point reads
    // through `PoisonError::into_inner`; a call after a panic sees the state as the panic left it.
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let text = format!("the simulator failed unexpectedly (panic: {})", payload_text(payload.as_ref()));
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
            Err(E_UNEXPECTED)
        }
    }
}

fn payload_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}

/// Forwards each listed member to `self.0` under [`guard`].
macro_rules! guarded {
    ($( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )*) => {
        $( fn $name(&self $(, $arg: $ty)*) -> $ret { guard(|| self.0.$name($($arg),*)) } )*
    };
}

struct Master(Arc<dyn DiscMaster2>);
struct Recorder(Arc<dyn DiscRecorder2>);
struct Format(Arc<dyn DiscFormat2TrackAtOnce>);

/// `master` with every member under [`guard`].
pub fn guarded_master(master: Arc<dyn DiscMaster2>) -> Arc<dyn DiscMaster2> {
    Arc::new(Master(master))
}

/// `recorder` with every member under [`guard`]; `as_any` is the inner recorder's, so the
/// simulator still recognises it as its own.
pub fn guarded_recorder(recorder: Arc<dyn DiscRecorder2>) -> Arc<dyn DiscRecorder2> {
    Arc::new(Recorder(recorder))
}

/// `format` with every member under [`guard`].
pub fn guarded_format(format: Arc<dyn DiscFormat2TrackAtOnce>) -> Arc<dyn DiscFormat2TrackAtOnce> {
    Arc::new(Format(format))
}

impl DiscMaster2 for Master {
    guarded! {
        fn count(&self) -> HrResult<i32>;
        fn item(&self, index: i32) -> HrResult<String>;
        fn is_supported_environment(&self) -> HrResult<bool>;
    }
}

impl DiscRecorder2 for Recorder {
    guarded! {
        fn initialize_disc_recorder(&self, recorder_unique_id: &str) -> HrResult<()>;
        fn active_disc_recorder(&self) -> HrResult<String>;
        fn vendor_id(&self) -> HrResult<String>;
        fn product_id(&self) -> HrResult<String>;
        fn product_revision(&self) -> HrResult<String>;
        fn volume_name(&self) -> HrResult<String>;
        fn volume_path_names(&self) -> HrResult<Vec<String>>;
        fn device_can_load_media(&self) -> HrResult<bool>;
        fn legacy_device_number(&self) -> HrResult<i32>;
        fn supported_profiles(&self) -> HrResult<Vec<i32>>;
        fn current_profiles(&self) -> HrResult<Vec<i32>>;
        fn supported_feature_pages(&self) -> HrResult<Vec<i32>>;
        fn current_feature_pages(&self) -> HrResult<Vec<i32>>;
        fn supported_mode_pages(&self) -> HrResult<Vec<i32>>;
        fn exclusive_access_owner(&self) -> HrResult<String>;
        fn acquire_exclusive_access(&self, force: bool, client_name: &str) -> HrResult<()>;
        fn release_exclusive_access(&self) -> HrResult<()>;
        fn eject_media(&self) -> HrResult<()>;
        fn close_tray(&self) -> HrResult<()>;
        fn disable_mcn(&self) -> HrResult<()>;
        fn enable_mcn(&self) -> HrResult<()>;
    }
    fn as_any(&self) -> &dyn Any {
        self.0.as_any()
    }
}

impl DiscFormat2TrackAtOnce for Format {
    guarded! {
        fn is_recorder_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer>;
        fn is_current_media_supported(&self, recorder: &dyn DiscRecorder2) -> HrResult<SupportAnswer>;
        fn media_physically_blank(&self) -> HrResult<bool>;
        fn media_heuristically_blank(&self) -> HrResult<bool>;
        fn supported_media_types(&self) -> HrResult<Vec<PhysicalMediaType>>;
        fn prepare_media(&self) -> HrResult<()>;
        fn add_audio_track(&self, data: &mut dyn AudioStream) -> HrResult<()>;
        fn cancel_add_track(&self) -> HrResult<()>;
        fn release_media(&self) -> HrResult<()>;
        fn set_write_speed(&self, requested_sectors_per_second: i32, rotation_type_is_pure_cav: bool) -> HrResult<Hresult>;
        fn set_recorder(&self, recorder: Option<Arc<dyn DiscRecorder2>>) -> HrResult<()>;
        fn recorder(&self) -> HrResult<Option<Arc<dyn DiscRecorder2>>>;
        fn set_buffer_underrun_free_disabled(&self, value: bool) -> HrResult<()>;
        fn buffer_underrun_free_disabled(&self) -> HrResult<bool>;
        fn number_of_existing_tracks(&self) -> HrResult<i32>;
        fn total_sectors_on_media(&self) -> HrResult<i32>;
        fn free_sectors_on_media(&self) -> HrResult<i32>;
        fn used_sectors_on_media(&self) -> HrResult<i32>;
        fn set_do_not_finalize_media(&self, value: bool) -> HrResult<()>;
        fn do_not_finalize_media(&self) -> HrResult<bool>;
        fn expected_table_of_contents(&self) -> HrResult<Vec<u8>>;
        fn current_physical_media_type(&self) -> HrResult<PhysicalMediaType>;
        fn set_client_name(&self, name: Option<&str>) -> HrResult<()>;
        fn client_name(&self) -> HrResult<Option<String>>;
        fn requested_write_speed(&self) -> HrResult<i32>;
        fn requested_rotation_type_is_pure_cav(&self) -> HrResult<bool>;
        fn current_write_speed(&self) -> HrResult<i32>;
        fn current_rotation_type_is_pure_cav(&self) -> HrResult<bool>;
        fn supported_write_speeds(&self) -> HrResult<Vec<i32>>;
        fn supported_write_speed_descriptors(&self) -> HrResult<Vec<WriteSpeedDescriptor>>;
        fn set_burn_verification_level(&self, level: BurnVerificationLevel) -> HrResult<()>;
        fn burn_verification_level(&self) -> HrResult<BurnVerificationLevel>;
        fn advise(&self, sink: Arc<dyn TaoUpdateSink>) -> HrResult<u32>;
        fn unadvise(&self, cookie: u32) -> HrResult<()>;
    }
    fn as_any(&self) -> &dyn Any {
        self.0.as_any()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use cdr_sim::profile::{drive_by_name, media_by_name};
    use cdr_sim::{Backend, SimBackend};

    /// A master whose members panic (a simulator bug, for the tests of the boundary).
    pub(crate) struct Panicking;

    impl DiscMaster2 for Panicking {
        fn count(&self) -> HrResult<i32> {
            panic!("count exploded")
        }
        fn item(&self, _: i32) -> HrResult<String> {
            panic!("{}", String::from("item exploded"))
        }
        fn is_supported_environment(&self) -> HrResult<bool> {
            std::panic::panic_any(42_u8)
        }
    }

    #[test]
    fn a_panic_is_e_unexpected_with_its_message() {
        let m = guarded_master(Arc::new(Panicking));
        assert_eq!(m.count(), Err(E_UNEXPECTED));
        assert_eq!(last_panic().as_deref(), Some("the simulator failed unexpectedly (panic: count exploded)"));
        assert_eq!(m.item(0), Err(E_UNEXPECTED));
        assert!(last_panic().unwrap().ends_with("(panic: item exploded)"));
        assert_eq!(m.is_supported_environment(), Err(E_UNEXPECTED));
        assert!(last_panic().unwrap().ends_with("(panic: no message)"));
    }

    #[test]
    fn guarded_objects_answer_as_the_simulator_and_stay_its_own() {
        let sim = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
        let master = guarded_master(sim.disc_master().unwrap());
        let id = master.item(0).unwrap();
        let recorder = guarded_recorder(sim.create_recorder().unwrap());
        recorder.initialize_disc_recorder(&id).unwrap();
        let format = guarded_format(sim.create_format().unwrap());
        // The simulator recognises a guarded recorder as its own (as_any passes through).
        format.set_recorder(Some(Arc::clone(&recorder))).unwrap();
        assert_eq!(format.is_current_media_supported(recorder.as_ref()), Ok(SupportAnswer::checked(true)));
        format.set_client_name(Some("guard test")).unwrap();
        assert_eq!(format.prepare_media(), Ok(()));
        assert_eq!(sim.read_back(recorder.as_ref()).unwrap().media.unwrap().status, cdr_sim::DiscState::Blank);
        assert_eq!(format.release_media(), Ok(()));
    }
}
