//! The IDispatch half of every dual interface: names to DISPIDs from the tables of
//! [`crate::dispids`], and `Invoke` calling the same members the vtables call.
//!
//! A failure inside `Invoke` is reported as Automation expects: `DISP_E_EXCEPTION` with an
//! EXCEPINFO holding the member's HRESULT and IMAPI2's message (what a script shows as its
//! error), or the HRESULT itself when the caller passed no EXCEPINFO.

use windows::Win32::Foundation::{
    DISP_E_BADPARAMCOUNT, DISP_E_EXCEPTION, DISP_E_MEMBERNOTFOUND, DISP_E_PARAMNOTFOUND, DISP_E_UNKNOWNNAME, E_POINTER,
};
use windows::Win32::System::Com::{
    DISPATCH_FLAGS, DISPATCH_METHOD, DISPATCH_PROPERTYGET, DISPATCH_PROPERTYPUT, DISPATCH_PROPERTYPUTREF, DISPPARAMS,
    EXCEPINFO,
};
use windows::Win32::System::Variant::VARIANT;
use windows_core::{BSTR, PCWSTR};

use super::errors::{code_of, message, SOURCE};
use super::variant::Var;
use crate::dispids::{dispid_of, DispMember};

/// The arguments of one `Invoke`, in the member's order (DISPPARAMS holds them reversed).
pub(crate) struct Args<'a> {
    args: &'a [VARIANT],
}

impl<'a> Args<'a> {
    /// The number of arguments.
    pub(crate) fn len(&self) -> usize {
        self.args.len()
    }

    /// Argument `i` (0-based, in the member's order); DISP_E_PARAMNOTFOUND when absent.
    pub(crate) fn get(&self, i: usize) -> windows_core::Result<&'a VARIANT> {
        if i >= self.args.len() {
            return Err(DISP_E_PARAMNOTFOUND.into());
        }
        Ok(&self.args[self.args.len() - 1 - i])
    }

    /// The single value of a property put.
    pub(crate) fn value(&self) -> windows_core::Result<&'a VARIANT> {
        if self.args.len() != 1 {
            return Err(DISP_E_BADPARAMCOUNT.into());
        }
        self.get(0)
    }
}

/// How a member is being called.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Call {
    /// A property read or a method call (scripts often set both flags).
    GetOrCall,
    /// A property write (`DISPATCH_PROPERTYPUT` or `DISPATCH_PROPERTYPUTREF`).
    Put,
}

/// An object with a dispatch interface.
pub(crate) trait Dispatch {
    /// The names and DISPIDs of its members.
    const TABLE: &'static [DispMember];
    /// Calls member `dispid`.
    fn call(&self, dispid: i32, call: Call, args: &Args) -> windows_core::Result<Var>;
}

/// `GetIDsOfNames`: the member's DISPID; named arguments are not supported
/// (DISP_E_UNKNOWNNAME, their slots DISPID_UNKNOWN).
pub(crate) fn ids_of_names(
    table: &[DispMember],
    names: *const PCWSTR,
    count: u32,
    ids: *mut i32,
) -> windows_core::Result<()> {
    if names.is_null() || ids.is_null() {
        return Err(E_POINTER.into());
    }
    let mut all = true;
    for i in 0..count as usize {
        // SAFETY: GetIDsOfNames's contract: `count` names in, `count` DISPIDs out.
        let (name, slot) = unsafe { (*names.add(i), &mut *ids.add(i)) };
        // SAFETY: each name is a NUL-terminated string.
        let name = unsafe { name.to_string() }.unwrap_or_default();
        let id = if i == 0 { dispid_of(table, &name) } else { None };
        *slot = id.unwrap_or(-1);
        all &= id.is_some();
    }
    if all {
        Ok(())
    } else {
        Err(DISP_E_UNKNOWNNAME.into())
    }
}

/// `Invoke` for `this`.
///
/// # Safety
/// The pointers are those `IDispatch::Invoke` received.
pub(crate) unsafe fn invoke<T: Dispatch>(
    this: &T,
    dispid: i32,
    flags: DISPATCH_FLAGS,
    params: *const DISPPARAMS,
    result: *mut VARIANT,
    excepinfo: *mut EXCEPINFO,
) -> windows_core::Result<()> {
    if !T::TABLE.iter().any(|m| m.dispid == dispid) {
        return Err(DISP_E_MEMBERNOTFOUND.into());
    }
    let call = if flags.0 & (DISPATCH_PROPERTYPUT.0 | DISPATCH_PROPERTYPUTREF.0) != 0 {
        Call::Put
    } else if flags.0 & (DISPATCH_METHOD.0 | DISPATCH_PROPERTYGET.0) != 0 {
        Call::GetOrCall
    } else {
        return Err(DISP_E_MEMBERNOTFOUND.into());
    };
    let args: &[VARIANT] = match unsafe { params.as_ref() } {
        Some(p) if p.cArgs > 0 && !p.rgvarg.is_null() => unsafe {
            std::slice::from_raw_parts(p.rgvarg, p.cArgs as usize)
        },
        _ => &[],
    };
    match this.call(dispid, call, &Args { args }) {
        Ok(value) => {
            if let Some(out) = unsafe { result.as_mut() } {
                *out = value.into_raw();
            }
            Ok(())
        }
        Err(e) if e.code().is_ok() => Ok(()),
        Err(e) => match unsafe { excepinfo.as_mut() } {
            Some(info) => {
                let code = code_of(&e);
                *info = EXCEPINFO {
                    bstrSource: std::mem::ManuallyDrop::new(BSTR::from(SOURCE)),
                    bstrDescription: std::mem::ManuallyDrop::new(BSTR::from(
                        message(code).unwrap_or_default().as_str(),
                    )),
                    scode: code.as_i32(),
                    ..Default::default()
                };
                Err(DISP_E_EXCEPTION.into())
            }
            None => Err(e),
        },
    }
}

/// Implements `IDispatch` for a generated `_Impl` type whose inner type implements
/// [`Dispatch`].
macro_rules! dual {
    ($impl:ty) => {
        impl windows::Win32::System::Com::IDispatch_Impl for $impl {
            fn GetTypeInfoCount(&self) -> windows_core::Result<u32> {
                Ok(0)
            }
            fn GetTypeInfo(&self, _: u32, _: u32) -> windows_core::Result<windows::Win32::System::Com::ITypeInfo> {
                Err(windows::Win32::Foundation::E_NOTIMPL.into())
            }
            fn GetIDsOfNames(
                &self,
                _: *const windows_core::GUID,
                names: *const windows_core::PCWSTR,
                count: u32,
                _: u32,
                ids: *mut i32,
            ) -> windows_core::Result<()> {
                $crate::com::dispatch::ids_of_names(
                    <$impl as $crate::com::dispatch::Dispatch>::TABLE,
                    names,
                    count,
                    ids,
                )
            }
            fn Invoke(
                &self,
                dispid: i32,
                _: *const windows_core::GUID,
                _: u32,
                flags: windows::Win32::System::Com::DISPATCH_FLAGS,
                params: *const windows::Win32::System::Com::DISPPARAMS,
                result: *mut windows::Win32::System::Variant::VARIANT,
                excepinfo: *mut windows::Win32::System::Com::EXCEPINFO,
                _: *mut u32,
            ) -> windows_core::Result<()> {
                // SAFETY: the pointers are Invoke's own.
                unsafe { $crate::com::dispatch::invoke(self, dispid, flags, params, result, excepinfo) }
            }
        }
        impl windows::Win32::System::Com::ISupportErrorInfo_Impl for $impl {
            fn InterfaceSupportsErrorInfo(&self, _: *const windows_core::GUID) -> windows_core::Result<()> {
                Ok(())
            }
        }
    };
}
pub(crate) use dual;
