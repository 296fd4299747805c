//! The class factory of each class, and the simulator the objects share.

use std::sync::{Arc, OnceLock};

use crate::config::ConfigError;
use crate::session::Session;
use windows::Win32::Foundation::{CLASS_E_NOAGGREGATION, E_POINTER};
use windows::Win32::System::Com::{IClassFactory, IClassFactory_Impl};
use windows_core::{implement, IUnknown, Interface, Ref, BOOL, GUID};

use super::errors::{fail_with_text, Com, E_BAD_CONFIGURATION};
use super::format::Format;
use super::master::Master;
use super::recorder::Recorder;
use crate::guard::{guard, guarded_format, guarded_master, guarded_recorder};
use crate::simulator::Simulator;

/// The session's simulator: the drive new objects are made on, which a loopback `configure`
/// request replaces. Fails as object creation does when the configuration cannot be used.
pub(crate) fn simulator() -> windows_core::Result<&'static Simulator> {
    Ok(session().map_err(config_failure)?.simulator())
}

fn config_failure(e: &ConfigError) -> windows_core::Error {
    fail_with_text(E_BAD_CONFIGURATION, &e.to_string())
}

/// The process's session (simulated drive and disc, recording, outputs): every object of
/// every class works on it, as every IMAPI2 object in a process works on the same drives.
/// Created on first use from the configuration `CDR_COMSERVER_CONFIG` names and kept for the
/// life of the process (the DLL is never unloaded, see `DllCanUnloadNow`). A configuration
/// that cannot be used is reported on stderr once, and fails every object's creation.
pub(crate) fn session() -> Result<&'static Arc<Session>, &'static ConfigError> {
    static SESSION: OnceLock<Result<Arc<Session>, ConfigError>> = OnceLock::new();
    SESSION
        .get_or_init(|| {
            let session = Session::from_env();
            if let Err(e) = &session {
                eprintln!("{e}");
            }
            session
        })
        .as_ref()
}

/// Which of IMAPI2's classes a factory makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    Master,
    Recorder,
    Format,
}

impl Class {
    /// The class of `clsid`, if it is one this server provides.
    pub(crate) fn of(clsid: &GUID) -> Option<Class> {
        use windows::Win32::Storage::Imapi::{MsftDiscFormat2TrackAtOnce, MsftDiscMaster2, MsftDiscRecorder2};
        match *clsid {
            c if c == MsftDiscMaster2 => Some(Class::Master),
            c if c == MsftDiscRecorder2 => Some(Class::Recorder),
            c if c == MsftDiscFormat2TrackAtOnce => Some(Class::Format),
            _ => None,
        }
    }

    /// A new object of the class.
    pub(crate) fn create(self) -> windows_core::Result<IUnknown> {
        let session = session().map_err(config_failure)?;
        let sim = session.backend();
        let lease = session.lease();
        // Every simulator object behind a COM object is guarded: a panic in it fails the COM
        // call with E_UNEXPECTED (see crate::guard).
        Ok(match self {
            Class::Master => Master::new(guarded_master(guard(|| sim.disc_master()).com()?), lease).into(),
            Class::Recorder => {
                Recorder { inner: guarded_recorder(guard(|| sim.create_recorder()).com()?), _lease: lease }.into()
            }
            Class::Format => Format::new(guarded_format(guard(|| sim.create_format()).com()?), lease)?.into_unknown(),
        })
    }
}

/// `IClassFactory` for one class.
#[implement(IClassFactory)]
pub(crate) struct Factory(pub(crate) Class);

impl IClassFactory_Impl for Factory_Impl {
    fn CreateInstance(
        &self,
        outer: Ref<IUnknown>,
        riid: *const GUID,
        object: *mut *mut core::ffi::c_void,
    ) -> windows_core::Result<()> {
        if object.is_null() || riid.is_null() {
            return Err(E_POINTER.into());
        }
        // SAFETY: `object` is a valid out pointer.
        unsafe { *object = std::ptr::null_mut() };
        if outer.is_some() {
            return Err(CLASS_E_NOAGGREGATION.into());
        }
        let unknown = self.0.create()?;
        // SAFETY: QueryInterface with the caller's IID into the caller's out pointer.
        unsafe { unknown.query(riid, object).ok() }
    }

    fn LockServer(&self, _lock: BOOL) -> windows_core::Result<()> {
        Ok(())
    }
}
