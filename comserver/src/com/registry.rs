//! Registration in the Windows registry, following the plan and the rule of
//! [`crate::registration`]: write only keys that are absent or this DLL's, delete only this
//! DLL's.

use windows::Win32::Foundation::{ERROR_FILE_NOT_FOUND, E_INVALIDARG, WIN32_ERROR};
use windows::Win32::System::Registry::{
    RegCloseKey, RegCreateKeyExW, RegDeleteTreeW, RegGetValueW, RegOpenKeyExW, RegSetValueExW, HKEY, HKEY_CURRENT_USER,
    HKEY_LOCAL_MACHINE, KEY_READ, KEY_WRITE, REG_OPTION_NON_VOLATILE, REG_SZ, RRF_RT_REG_SZ,
};
use windows_core::{HRESULT, HSTRING, PCWSTR};

use crate::registration::{decide, plan, roots, Decision, Scope, MARKER, SCOPE_VARIABLE};

/// `SELFREG_E_CLASS`: the classes could not be registered (here: a key belongs to someone else).
const SELFREG_E_CLASS: HRESULT = HRESULT(0x8004_0201_u32 as i32);

/// The scope from the environment and this DLL's path.
pub(super) fn scope_and_path() -> windows_core::Result<(Scope, String)> {
    let setting = std::env::var(SCOPE_VARIABLE).ok();
    // (windows_core::Error::new would call RoOriginateErrorW, which Wine 8 does not have.)
    let scope = Scope::from_setting(setting.as_deref()).map_err(|_| windows_core::Error::from_hresult(E_INVALIDARG))?;
    Ok((scope, super::module_path()?))
}

fn hive(scope: Scope) -> HKEY {
    match scope {
        Scope::User => HKEY_CURRENT_USER,
        Scope::Machine => HKEY_LOCAL_MACHINE,
    }
}

fn full(scope: Scope, path: &str) -> HSTRING {
    HSTRING::from(format!(r"{}\{path}", scope.classes_root()))
}

fn check(e: WIN32_ERROR) -> windows_core::Result<()> {
    e.ok()
}

/// Whether the key exists, and its marker value.
fn marker(scope: Scope, path: &str) -> windows_core::Result<(bool, Option<String>)> {
    let mut key = HKEY::default();
    // SAFETY: opening a key by name into a local handle, closed below.
    let opened = unsafe { RegOpenKeyExW(hive(scope), &full(scope, path), None, KEY_READ, &mut key) };
    if opened == ERROR_FILE_NOT_FOUND {
        return Ok((false, None));
    }
    check(opened)?;
    let mut buf = vec![0u16; 4096];
    let mut size = (buf.len() * 2) as u32;
    // SAFETY: reading a string value into `buf` of `size` bytes.
    let got = unsafe {
        RegGetValueW(
            key,
            PCWSTR::null(),
            &HSTRING::from(MARKER),
            RRF_RT_REG_SZ,
            None,
            Some(buf.as_mut_ptr().cast()),
            Some(&mut size),
        )
    };
    // SAFETY: the handle was opened above.
    unsafe {
        let _ = RegCloseKey(key);
    }
    if got.is_err() {
        return Ok((true, None));
    }
    let len = (size as usize / 2).saturating_sub(1);
    Ok((true, Some(String::from_utf16_lossy(&buf[..len]))))
}

/// Writes the plan, after checking that no key of it belongs to someone else.
pub(super) fn register(scope: Scope, dll: &str) -> windows_core::Result<()> {
    for root in roots() {
        let (exists, m) = marker(scope, &root)?;
        if decide(exists, m.as_deref(), dll) == Decision::Foreign {
            // The key exists and is not this server's (a real IMAPI2's): write nothing.
            return Err(windows_core::Error::from_hresult(SELFREG_E_CLASS));
        }
    }
    for key in plan(dll) {
        let mut handle = HKEY::default();
        // SAFETY: creating/opening a key into a local handle, closed below.
        unsafe {
            check(RegCreateKeyExW(
                hive(scope),
                &full(scope, &key.path),
                None,
                None,
                REG_OPTION_NON_VOLATILE,
                KEY_WRITE,
                None,
                &mut handle,
                None,
            ))?;
        }
        let mut result = Ok(());
        for (name, value) in &key.values {
            let data: Vec<u8> = value.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
            let name = HSTRING::from(name.as_str());
            // SAFETY: a REG_SZ value from a NUL-terminated UTF-16 buffer.
            let set = unsafe { RegSetValueExW(handle, &name, None, REG_SZ, Some(&data)) };
            if let Err(e) = check(set) {
                result = Err(e);
                break;
            }
        }
        // SAFETY: the handle was opened above.
        unsafe {
            let _ = RegCloseKey(handle);
        }
        result?;
    }
    Ok(())
}

/// Deletes every root key of the plan that is this DLL's; leaves the others.
pub(super) fn unregister(scope: Scope, dll: &str) -> windows_core::Result<()> {
    for root in roots() {
        let (exists, m) = marker(scope, &root)?;
        if exists && decide(exists, m.as_deref(), dll) == Decision::Ours {
            // SAFETY: deleting a key, its values and its subkeys, by name.
            check(unsafe { RegDeleteTreeW(hive(scope), &full(scope, &root)) })?;
        }
    }
    Ok(())
}
