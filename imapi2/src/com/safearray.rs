//! SAFEARRAYs and VARIANTs out of COM memory into [`VariantValue`]s (and interface pointers).
//! Every decision about the values is made by the portable [`crate::convert`].

use std::ffi::c_void;

use cdr_sim::{HrResult, Hresult};
use windows::Win32::System::Com::{IDispatch, SAFEARRAY};
use windows::Win32::System::Ole::{
    SafeArrayDestroy, SafeArrayGetDim, SafeArrayGetElement, SafeArrayGetLBound, SafeArrayGetUBound, SafeArrayGetVartype,
};
use windows::Win32::System::Variant::{VariantClear, VARIANT};
use windows_core::{Interface, BSTR};

use super::hr;
use crate::convert::{from_variant_bool, vt, ConversionError, VariantValue};

/// A SAFEARRAY this code owns (returned by an IMAPI2 getter): destroyed on drop.
pub(crate) struct SafeArray(*mut SAFEARRAY);

impl SafeArray {
    /// Takes ownership of `psa` (which may be null: an empty array).
    ///
    /// # Safety
    /// `psa` is null or a SAFEARRAY the caller owns and passes on.
    pub(crate) unsafe fn from_raw(psa: *mut SAFEARRAY) -> SafeArray {
        SafeArray(psa)
    }

    /// The element type and the index range of the one dimension; `None` for a null array.
    fn shape(&self) -> HrResult<Option<(u16, i32, i32)>> {
        if self.0.is_null() {
            return Ok(None);
        }
        // SAFETY: self.0 is a valid SAFEARRAY (from_raw's contract).
        unsafe {
            if SafeArrayGetDim(self.0) != 1 {
                return Err(crate::codes::DISP_E_TYPEMISMATCH);
            }
            let vartype = SafeArrayGetVartype(self.0).map_err(|e| hr(&e))?;
            let lower = SafeArrayGetLBound(self.0, 1).map_err(|e| hr(&e))?;
            let upper = SafeArrayGetUBound(self.0, 1).map_err(|e| hr(&e))?;
            Ok(Some((vartype.0, lower, upper)))
        }
    }

    /// Copies element `index` into `out`.
    ///
    /// # Safety
    /// `out` must point to storage of the array's element type, initialised to "empty" (a
    /// zeroed VARIANT, a null BSTR or interface pointer, or any integer).
    unsafe fn element(&self, index: i32, out: *mut c_void) -> HrResult<()> {
        // SAFETY: per this function's contract, and self.0 valid.
        unsafe { SafeArrayGetElement(self.0, &index, out) }.map_err(|e| hr(&e))
    }

    /// Every element as a plain value.
    pub(crate) fn values(&self) -> HrResult<Vec<VariantValue>> {
        let Some((vartype, lower, upper)) = self.shape()? else { return Ok(Vec::new()) };
        let mut values = Vec::with_capacity(usize::try_from(upper - lower + 1).unwrap_or(0));
        for i in lower..=upper {
            let value = match vartype {
                vt::VARIANT => {
                    let mut v = OwnedVariant::default();
                    // SAFETY: a VT_VARIANT array's elements are VARIANTs; `v` is VT_EMPTY.
                    unsafe { self.element(i, (&mut v.0 as *mut VARIANT).cast())? };
                    v.value()
                }
                vt::BSTR => {
                    let mut s = BSTR::new();
                    // SAFETY: a VT_BSTR array's elements are BSTRs; `s` is null and owns the copy.
                    unsafe { self.element(i, (&mut s as *mut BSTR).cast())? };
                    VariantValue::Bstr(s.to_string())
                }
                vt::I4 | vt::INT => {
                    let mut n = 0i32;
                    // SAFETY: 4-byte signed elements.
                    unsafe { self.element(i, (&mut n as *mut i32).cast())? };
                    VariantValue::I4(n)
                }
                vt::UI1 => {
                    let mut n = 0u8;
                    // SAFETY: 1-byte elements.
                    unsafe { self.element(i, (&mut n as *mut u8).cast())? };
                    VariantValue::UI1(n)
                }
                other => VariantValue::Other(other),
            };
            values.push(value);
        }
        Ok(values)
    }

    /// Every element as an IDispatch (SupportedWriteSpeedDescriptors).
    pub(crate) fn dispatches(&self, what: &'static str) -> HrResult<Vec<IDispatch>> {
        let Some((vartype, lower, upper)) = self.shape()? else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for i in lower..=upper {
            let dispatch = match vartype {
                vt::VARIANT => {
                    let mut v = OwnedVariant::default();
                    // SAFETY: as in `values`.
                    unsafe { self.element(i, (&mut v.0 as *mut VARIANT).cast())? };
                    v.dispatch()
                }
                vt::DISPATCH => {
                    let mut d: Option<IDispatch> = None;
                    // SAFETY: a VT_DISPATCH array's elements are IDispatch pointers; the copy
                    // is AddRef'd and `d` releases it.
                    unsafe { self.element(i, (&mut d as *mut Option<IDispatch>).cast())? };
                    d
                }
                _ => None,
            };
            let found = vartype;
            out.push(dispatch.ok_or(ConversionError::TypeMismatch { what, expected: "an object", found }.hresult())?);
        }
        Ok(out)
    }
}

impl Drop for SafeArray {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the array is owned (from_raw's contract) and destroyed once.
            let _ = unsafe { SafeArrayDestroy(self.0) };
        }
    }
}

/// A VARIANT this code owns: cleared on drop.
#[derive(Default)]
pub(crate) struct OwnedVariant(pub(crate) VARIANT);

impl Drop for OwnedVariant {
    fn drop(&mut self) {
        // SAFETY: the VARIANT is either VT_EMPTY or a copy this code owns.
        let _ = unsafe { VariantClear(&mut self.0) };
    }
}

impl OwnedVariant {
    /// The value, copied out.
    pub(crate) fn value(&self) -> VariantValue {
        variant_value(&self.0)
    }

    /// The interface pointer of a VT_DISPATCH or VT_UNKNOWN VARIANT (AddRef'd), else `None`.
    pub(crate) fn dispatch(&self) -> Option<IDispatch> {
        dispatch_of(&self.0)
    }
}

/// Reads a VARIANT (by value; VT_BYREF is followed one level).
pub(crate) fn variant_value(v: &VARIANT) -> VariantValue {
    // SAFETY: `vt` says which union member is live; only that member is read, and pointers of
    // BYREF variants are valid for the VARIANT's lifetime (automation's rule).
    unsafe {
        let inner = &v.Anonymous.Anonymous;
        let vartype = inner.vt.0;
        let u = &inner.Anonymous;
        if vartype & vt::BYREF != 0 {
            return match vartype & !vt::BYREF {
                vt::I4 | vt::INT if !u.plVal.is_null() => VariantValue::I4(*u.plVal),
                vt::UI1 if !u.pbVal.is_null() => VariantValue::UI1(*u.pbVal),
                vt::BSTR if !u.pbstrVal.is_null() => VariantValue::Bstr((*u.pbstrVal).to_string()),
                _ => VariantValue::Other(vartype),
            };
        }
        match vartype {
            vt::EMPTY => VariantValue::Empty,
            vt::BOOL => VariantValue::Bool(from_variant_bool(u.boolVal.0)),
            vt::I1 => VariantValue::I1(u.cVal),
            vt::I2 => VariantValue::I2(u.iVal),
            vt::I4 | vt::INT => VariantValue::I4(u.lVal),
            vt::I8 => VariantValue::I8(u.llVal),
            vt::UI1 => VariantValue::UI1(u.bVal),
            vt::UI2 => VariantValue::UI2(u.uiVal),
            vt::UI4 | vt::UINT => VariantValue::UI4(u.ulVal),
            vt::UI8 => VariantValue::UI8(u.ullVal),
            vt::BSTR => VariantValue::Bstr(u.bstrVal.to_string()),
            vt::DISPATCH => VariantValue::Dispatch,
            vt::UNKNOWN => VariantValue::Unknown,
            other => VariantValue::Other(other),
        }
    }
}

/// The IDispatch of a VT_DISPATCH, VT_DISPATCH|VT_BYREF or VT_UNKNOWN VARIANT (a new
/// reference), else `None`.
pub(crate) fn dispatch_of(v: &VARIANT) -> Option<IDispatch> {
    // SAFETY: as in `variant_value`: only the member `vt` names is read.
    unsafe {
        let inner = &v.Anonymous.Anonymous;
        let u = &inner.Anonymous;
        match inner.vt.0 {
            vt::DISPATCH => (*u.pdispVal).clone(),
            x if x == vt::DISPATCH | vt::BYREF && !u.ppdispVal.is_null() => (*u.ppdispVal).clone(),
            vt::UNKNOWN => (*u.punkVal).as_ref().and_then(|unk| unk.cast::<IDispatch>().ok()),
            _ => None,
        }
    }
}

/// The HRESULT of a failed conversion, for `?` in members.
pub(crate) fn conversion(e: ConversionError) -> Hresult {
    e.hresult()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::ManuallyDrop;

    use windows::Win32::Foundation::VARIANT_BOOL;
    use windows::Win32::Storage::Imapi::IDiscFormat2TrackAtOnceEventArgs;
    use windows::Win32::System::Com::SAFEARRAYBOUND;
    use windows::Win32::System::Ole::{SafeArrayCreate, SafeArrayCreateVector, SafeArrayPutElement};
    use windows::Win32::System::Variant::{
        VariantChangeType, VARENUM, VARIANT_0_0_0, VAR_CHANGE_FLAGS, VT_BOOL, VT_BSTR, VT_BYREF, VT_DISPATCH, VT_I4,
        VT_I8, VT_R8, VT_UI1, VT_UI2, VT_UNKNOWN,
    };

    use crate::codes::DISP_E_TYPEMISMATCH;
    use crate::com::double::{dispatch_variant, int_array, int_variant, variant, variant_array, DoubleProgress};
    use crate::progress::RawTaoProgress;

    /// A VT_BSTR VARIANT that owns its string (VariantClear frees it).
    fn bstr_variant(s: &str) -> VARIANT {
        variant(VT_BSTR, VARIANT_0_0_0 { bstrVal: ManuallyDrop::new(BSTR::from(s)) })
    }

    fn bool_variant(b: bool) -> VARIANT {
        variant(VT_BOOL, VARIANT_0_0_0 { boolVal: VARIANT_BOOL(if b { -1 } else { 0 }) })
    }

    fn owned(psa: *mut SAFEARRAY) -> SafeArray {
        // SAFETY: a fresh array from oleaut32, owned from here on.
        unsafe { SafeArray::from_raw(psa) }
    }

    #[test]
    fn a_variant_array_of_mixed_values() {
        let array = owned(variant_array(vec![
            int_variant(VT_I4, -5),
            bstr_variant("E:\\"),
            bool_variant(true),
            int_variant(VT_UI1, 200),
            VARIANT::default(),
        ]));
        assert_eq!(
            array.values().unwrap(),
            [
                VariantValue::I4(-5),
                VariantValue::Bstr("E:\\".into()),
                VariantValue::Bool(true),
                VariantValue::UI1(200),
                VariantValue::Empty
            ]
        );
    }

    #[test]
    fn typed_arrays_of_integers_and_strings() {
        assert_eq!(owned(int_array(VT_I4, &[1, -2])).values().unwrap(), [VariantValue::I4(1), VariantValue::I4(-2)]);
        assert_eq!(
            owned(int_array(VT_UI1, &[0, 255])).values().unwrap(),
            [VariantValue::UI1(0), VariantValue::UI1(255)]
        );
        // SAFETY: oleaut32 calls; a VT_BSTR element is passed as the BSTR itself, and copied.
        let strings = unsafe {
            let psa = SafeArrayCreateVector(VT_BSTR, 1, 2);
            for (i, s) in [(1, "\\\\?\\scsi#cdrom"), (2, "F:\\")] {
                let b = BSTR::from(s);
                SafeArrayPutElement(psa, &i, b.as_ptr().cast()).unwrap();
            }
            owned(psa)
        };
        assert_eq!(
            strings.values().unwrap(),
            [VariantValue::Bstr("\\\\?\\scsi#cdrom".into()), VariantValue::Bstr("F:\\".into())],
            "a lower bound of 1 is honoured"
        );
    }

    #[test]
    fn element_types_it_does_not_read_are_named_and_shapes_it_cannot_are_refused() {
        // SAFETY: oleaut32 calls.
        let doubles = owned(unsafe { SafeArrayCreateVector(VT_R8, 0, 1) });
        assert_eq!(doubles.values().unwrap(), [VariantValue::Other(VT_R8.0)]);
        let bounds = [SAFEARRAYBOUND { cElements: 2, lLbound: 0 }, SAFEARRAYBOUND { cElements: 2, lLbound: 0 }];
        // SAFETY: as above; two bounds for two dimensions.
        let square = owned(unsafe { SafeArrayCreate(VT_I4, 2, bounds.as_ptr()) });
        assert_eq!(square.values(), Err(DISP_E_TYPEMISMATCH), "two dimensions");
        assert_eq!(owned(std::ptr::null_mut()).values(), Ok(Vec::new()), "NULL is an empty list");
    }

    #[test]
    fn dispatch_arrays_of_either_shape() {
        let progress = |lba| DoubleProgress::dispatch(RawTaoProgress { last_read_lba: lba, ..Default::default() });
        // SAFETY: oleaut32 calls; a VT_DISPATCH element is passed as the pointer itself (AddRef'd
        // by the array).
        let direct = unsafe {
            let psa = SafeArrayCreateVector(VT_DISPATCH, 0, 2);
            for i in 0..2 {
                let d = progress(i + 10);
                SafeArrayPutElement(psa, &i, d.as_raw()).unwrap();
            }
            owned(psa)
        };
        let wrapped = owned(variant_array(vec![dispatch_variant(progress(20))]));
        for (array, first) in [(direct, 10), (wrapped, 20)] {
            let objects = array.dispatches("test").unwrap();
            let args: IDiscFormat2TrackAtOnceEventArgs = objects[0].cast().unwrap();
            // SAFETY: a getter of a live object.
            assert_eq!(unsafe { args.LastReadLba() }.unwrap(), first);
        }
        let numbers = owned(variant_array(vec![int_variant(VT_I4, 1)]));
        assert_eq!(numbers.dispatches("test").err(), Some(DISP_E_TYPEMISMATCH));
    }

    #[test]
    fn variants_by_reference_and_as_oleaut32_converts_them() {
        let mut n = 1234i32;
        // A VT_I4|VT_BYREF VARIANT pointing to `n`, which outlives it.
        let v = variant(VARENUM(VT_I4.0 | VT_BYREF.0), VARIANT_0_0_0 { plVal: &mut n });
        assert_eq!(variant_value(&v), VariantValue::I4(1234));
        // VariantChangeType: oleaut32 turns the string "42" into VT_I4, and "65535" into VT_UI2.
        for (target, text, want) in [(VT_I4, "42", VariantValue::I4(42)), (VT_UI2, "65535", VariantValue::UI2(65535))] {
            let source = OwnedVariant(bstr_variant(text));
            let mut out = OwnedVariant::default();
            // SAFETY: two valid VARIANTs; `out` receives a value it owns.
            unsafe { VariantChangeType(&mut out.0, &source.0, VAR_CHANGE_FLAGS(0), target) }.unwrap();
            assert_eq!(out.value(), want);
        }
        let wide = variant(VT_I8, VARIANT_0_0_0 { llVal: -1 << 40 });
        assert_eq!(variant_value(&wide), VariantValue::I8(-1 << 40));
        let object: windows_core::IUnknown =
            DoubleProgress::dispatch(RawTaoProgress { start_lba: 7, ..Default::default() }).cast().unwrap();
        // OwnedVariant releases the reference.
        let unknown = OwnedVariant(variant(VT_UNKNOWN, VARIANT_0_0_0 { punkVal: ManuallyDrop::new(Some(object)) }));
        assert_eq!(unknown.value(), VariantValue::Unknown);
        assert!(unknown.dispatch().is_some(), "an IUnknown that is an IDispatch");
    }
}
