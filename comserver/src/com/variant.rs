//! VARIANT and SAFEARRAY values for the COM side: what the properties return and what
//! `IDispatch::Invoke` receives.

use std::mem::ManuallyDrop;

use windows::Win32::Foundation::{DISP_E_TYPEMISMATCH, E_OUTOFMEMORY, VARIANT_BOOL, VARIANT_FALSE, VARIANT_TRUE};
use windows::Win32::System::Com::{IDispatch, SAFEARRAY};
use windows::Win32::System::Ole::{SafeArrayCreateVector, SafeArrayDestroy, SafeArrayPutElement};
use windows::Win32::System::Variant::{
    VariantChangeType, VariantClear, VARENUM, VARIANT, VAR_CHANGE_FLAGS, VT_ARRAY, VT_BOOL, VT_BSTR, VT_DISPATCH,
    VT_EMPTY, VT_I4, VT_NULL, VT_UI1, VT_UNKNOWN, VT_VARIANT,
};
use windows_core::{IUnknown, Interface, BSTR};

/// An owned VARIANT: cleared (its string, array or interface released) when dropped.
pub(crate) struct Var(VARIANT);

impl Drop for Var {
    fn drop(&mut self) {
        // SAFETY: the VARIANT is initialised and owned by this value.
        unsafe {
            let _ = VariantClear(&mut self.0);
        }
    }
}

impl Var {
    fn with(vt: VARENUM, fill: impl FnOnce(&mut windows::Win32::System::Variant::VARIANT_0_0_0)) -> Var {
        let mut v = VARIANT::default();
        // SAFETY: writing the tag and the matching member of a fresh VARIANT.
        unsafe {
            let inner = &mut *v.Anonymous.Anonymous;
            inner.vt = vt;
            fill(&mut inner.Anonymous);
        }
        Var(v)
    }

    /// VT_EMPTY (the result of a method that returns nothing).
    pub(crate) fn empty() -> Var {
        Var(VARIANT::default())
    }

    /// VT_I4.
    pub(crate) fn i32(value: i32) -> Var {
        Var::with(VT_I4, |u| u.lVal = value)
    }

    /// VT_UI1.
    pub(crate) fn u8(value: u8) -> Var {
        Var::with(VT_UI1, |u| u.bVal = value)
    }

    /// VT_BOOL.
    pub(crate) fn bool(value: bool) -> Var {
        Var::with(VT_BOOL, |u| u.boolVal = variant_bool(value))
    }

    /// VT_BSTR.
    pub(crate) fn string(value: &str) -> Var {
        Var::with(VT_BSTR, |u| u.bstrVal = ManuallyDrop::new(BSTR::from(value)))
    }

    /// VT_DISPATCH (a NULL pointer for `None`, as `Nothing` is in a script).
    pub(crate) fn dispatch(value: Option<IDispatch>) -> Var {
        Var::with(VT_DISPATCH, |u| u.pdispVal = ManuallyDrop::new(value))
    }

    /// VT_UNKNOWN.
    pub(crate) fn unknown(value: IUnknown) -> Var {
        Var::with(VT_UNKNOWN, |u| u.punkVal = ManuallyDrop::new(Some(value)))
    }

    /// VT_ARRAY | VT_VARIANT, taking ownership of `array`.
    pub(crate) fn array(array: *mut SAFEARRAY) -> Var {
        Var::with(VARENUM(VT_ARRAY.0 | VT_VARIANT.0), |u| u.parray = array)
    }

    /// Gives the VARIANT to the caller (who then owns what it holds).
    pub(crate) fn into_raw(self) -> VARIANT {
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so ownership moves to the copy.
        unsafe { std::ptr::read(&this.0) }
    }

    /// Takes ownership of a VARIANT made by [`Var::into_raw`].
    pub(crate) fn from_raw(v: VARIANT) -> Var {
        Var(v)
    }
}

/// VARIANT_TRUE or VARIANT_FALSE.
pub(crate) fn variant_bool(value: bool) -> VARIANT_BOOL {
    if value {
        VARIANT_TRUE
    } else {
        VARIANT_FALSE
    }
}

/// The VARIANT type tag.
pub(crate) fn vt(v: &VARIANT) -> VARENUM {
    // SAFETY: the tag is always initialised.
    unsafe { v.Anonymous.Anonymous.vt }
}

/// `v` converted to `target` as Automation converts arguments (by-reference values are read
/// through, strings parsed); DISP_E_TYPEMISMATCH and friends when it cannot be.
pub(crate) fn coerce(v: &VARIANT, target: VARENUM) -> windows_core::Result<Var> {
    let mut out = Var::empty();
    // SAFETY: both VARIANTs are valid; `out` owns whatever the conversion allocates.
    unsafe { VariantChangeType(&mut out.0, v, VAR_CHANGE_FLAGS(0), target)? };
    Ok(out)
}

/// A LONG argument.
pub(crate) fn to_i32(v: &VARIANT) -> windows_core::Result<i32> {
    let c = coerce(v, VT_I4)?;
    // SAFETY: `c` is VT_I4.
    Ok(unsafe { c.0.Anonymous.Anonymous.Anonymous.lVal })
}

/// A VARIANT_BOOL argument.
pub(crate) fn to_bool(v: &VARIANT) -> windows_core::Result<bool> {
    let c = coerce(v, VT_BOOL)?;
    // SAFETY: `c` is VT_BOOL.
    Ok(unsafe { c.0.Anonymous.Anonymous.Anonymous.boolVal }.as_bool())
}

/// A BSTR argument: `None` for VT_NULL (a NULL string).
pub(crate) fn to_string(v: &VARIANT) -> windows_core::Result<Option<String>> {
    if vt(v) == VT_NULL {
        return Ok(None);
    }
    let c = coerce(v, VT_BSTR)?;
    // SAFETY: `c` is VT_BSTR.
    Ok(Some(unsafe { c.0.Anonymous.Anonymous.Anonymous.bstrVal.to_string() }))
}

/// An object argument: `None` for Nothing (a NULL pointer), VT_EMPTY or VT_NULL.
pub(crate) fn to_unknown(v: &VARIANT) -> windows_core::Result<Option<IUnknown>> {
    if vt(v) == VT_EMPTY || vt(v) == VT_NULL {
        return Ok(None);
    }
    let c = coerce(v, VT_UNKNOWN)?;
    // SAFETY: `c` is VT_UNKNOWN.
    Ok(unsafe { (*c.0.Anonymous.Anonymous.Anonymous.punkVal).clone() })
}

/// An object argument that must be present, as `I`.
pub(crate) fn to_interface<I: Interface>(v: &VARIANT) -> windows_core::Result<Option<I>> {
    match to_unknown(v)? {
        None => Ok(None),
        Some(unknown) => unknown.cast().map(Some).map_err(|_| DISP_E_TYPEMISMATCH.into()),
    }
}

/// A SAFEARRAY of VARIANTs holding `values`, as IMAPI2 returns its list properties. The
/// caller owns it.
pub(crate) fn variant_array(values: Vec<Var>) -> windows_core::Result<*mut SAFEARRAY> {
    let n = u32::try_from(values.len()).map_err(|_| windows_core::Error::from(E_OUTOFMEMORY))?;
    // SAFETY: creating a vector and copying valid VARIANTs into its bounds (PutElement copies).
    unsafe {
        let array = SafeArrayCreateVector(VT_VARIANT, 0, n);
        if array.is_null() {
            return Err(E_OUTOFMEMORY.into());
        }
        for (i, v) in values.iter().enumerate() {
            if let Err(e) = SafeArrayPutElement(array, &(i as i32), (&v.0 as *const VARIANT).cast()) {
                let _ = SafeArrayDestroy(array);
                return Err(e);
            }
        }
        Ok(array)
    }
}

/// A SAFEARRAY of VT_I4 VARIANTs.
pub(crate) fn i32_array(values: &[i32]) -> windows_core::Result<*mut SAFEARRAY> {
    variant_array(values.iter().map(|&v| Var::i32(v)).collect())
}

/// A SAFEARRAY of VT_UI1 VARIANTs (a byte image such as ExpectedTableOfContents).
pub(crate) fn byte_array(values: &[u8]) -> windows_core::Result<*mut SAFEARRAY> {
    variant_array(values.iter().map(|&v| Var::u8(v)).collect())
}

/// A SAFEARRAY of VT_BSTR VARIANTs.
pub(crate) fn string_array(values: &[String]) -> windows_core::Result<*mut SAFEARRAY> {
    variant_array(values.iter().map(|v| Var::string(v)).collect())
}
