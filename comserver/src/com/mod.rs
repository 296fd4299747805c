//! The COM server (Windows only): the objects, their class factories and the DLL's exports.

pub(crate) mod dispatch;
mod errors;
mod events;
mod factory;
mod format;
#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod guard_tests;
mod loopback;
mod master;
mod recorder;
mod recorder_ex;
mod registry;
mod stream;
mod variant;

use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, Ordering};

use windows::Win32::Foundation::{CLASS_E_CLASSNOTAVAILABLE, E_POINTER, HINSTANCE, S_FALSE, S_OK};
use windows::Win32::System::Com::IClassFactory;
use windows::Win32::System::SystemServices::DLL_PROCESS_ATTACH;
use windows_core::{BOOL, GUID, HRESULT};

use factory::{Class, Factory};

/// This DLL's module handle, for its own path at registration.
static MODULE: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());

/// Keeps the module handle.
#[no_mangle]
extern "system" fn DllMain(module: HINSTANCE, reason: u32, _reserved: *mut c_void) -> BOOL {
    if reason == DLL_PROCESS_ATTACH {
        MODULE.store(module.0, Ordering::Relaxed);
    }
    true.into()
}

/// `DllGetClassObject`: the class factory of `MsftDiscMaster2`, `MsftDiscRecorder2` or
/// `MsftDiscFormat2TrackAtOnce`.
///
/// # Safety
/// COM's contract: `clsid` and `iid` are valid, `out` is a valid out pointer.
#[no_mangle]
pub unsafe extern "system" fn DllGetClassObject(
    clsid: *const GUID,
    iid: *const GUID,
    out: *mut *mut c_void,
) -> HRESULT {
    if clsid.is_null() || iid.is_null() || out.is_null() {
        return E_POINTER;
    }
    // SAFETY: checked non-null above; valid per the contract.
    unsafe {
        *out = std::ptr::null_mut();
        let Some(class) = Class::of(&*clsid) else { return CLASS_E_CLASSNOTAVAILABLE };
        let factory: IClassFactory = Factory(class).into();
        windows_core::Interface::query(&factory, iid, out)
    }
}

/// `DllCanUnloadNow`: never. The simulated drive and its disc live in this DLL for the life
/// of the process, as a real drive outlives the objects that use it.
#[no_mangle]
pub extern "system" fn DllCanUnloadNow() -> HRESULT {
    S_FALSE
}

/// `DllRegisterServer`: registers the classes per user, or machine-wide when
/// `CDR_COMSERVER_SCOPE=machine` (see [`crate::registration`]).
#[no_mangle]
pub extern "system" fn DllRegisterServer() -> HRESULT {
    match registry::scope_and_path() {
        Ok((scope, path)) => registry::register(scope, &path).map_or_else(|e| e.code(), |()| S_OK),
        Err(e) => e.code(),
    }
}

/// `DllUnregisterServer`: removes this DLL's keys from the scope, and nothing else.
#[no_mangle]
pub extern "system" fn DllUnregisterServer() -> HRESULT {
    match registry::scope_and_path() {
        Ok((scope, path)) => registry::unregister(scope, &path).map_or_else(|e| e.code(), |()| S_OK),
        Err(e) => e.code(),
    }
}

/// This DLL's path.
fn module_path() -> windows_core::Result<String> {
    use windows::Win32::Foundation::HMODULE;
    use windows::Win32::System::LibraryLoader::GetModuleFileNameW;
    let mut buf = vec![0u16; 32_768];
    // SAFETY: GetModuleFileNameW into a buffer of the given length.
    let n = unsafe { GetModuleFileNameW(Some(HMODULE(MODULE.load(Ordering::Relaxed))), &mut buf) } as usize;
    if n == 0 || n >= buf.len() {
        return Err(windows_core::Error::from_thread());
    }
    Ok(String::from_utf16_lossy(&buf[..n]))
}
