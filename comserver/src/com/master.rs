//! `MsftDiscMaster2`: the list of recorders, with the enumerator `For Each` walks.

use std::sync::{Arc, Mutex, PoisonError};

use cdr_sim::DiscMaster2;
use windows::Win32::Foundation::{DISP_E_BADPARAMCOUNT, E_POINTER, S_FALSE, S_OK, VARIANT_BOOL};
use windows::Win32::Storage::Imapi::{IDiscMaster2, IDiscMaster2_Impl};
use windows::Win32::System::Com::ISupportErrorInfo;
use windows::Win32::System::Ole::{IEnumVARIANT, IEnumVARIANT_Impl};
use windows::Win32::System::Variant::VARIANT;
use windows_core::{implement, BSTR, HRESULT};

use super::dispatch::{dual, Args, Call, Dispatch};
use super::errors::Com;
use super::variant::{to_i32, variant_bool, Var};
use crate::dispids::{master, DispMember, MASTER};
use crate::session::Lease;

/// The COM object over the simulator's master; it also answers the loopback's requests
/// (`ICdrLoopback`, see `super::loopback`).
#[implement(IDiscMaster2, ISupportErrorInfo, cdr_imapi2::ICdrLoopback)]
pub(crate) struct Master {
    inner: Arc<dyn DiscMaster2>,
    _lease: Lease,
}

impl Master {
    pub(crate) fn new(inner: Arc<dyn DiscMaster2>, lease: Lease) -> Master {
        Master { inner, _lease: lease }
    }

    fn ids(&self) -> windows_core::Result<Vec<String>> {
        let count = self.inner.count().com()?;
        (0..count).map(|i| self.inner.item(i).com()).collect()
    }
}

impl IDiscMaster2_Impl for Master_Impl {
    fn _NewEnum(&self) -> windows_core::Result<IEnumVARIANT> {
        Ok(Enum { ids: Arc::new(self.ids()?), next: Mutex::new(0) }.into())
    }

    fn get_Item(&self, index: i32) -> windows_core::Result<BSTR> {
        Ok(BSTR::from(self.inner.item(index).com()?))
    }

    fn Count(&self) -> windows_core::Result<i32> {
        self.inner.count().com()
    }

    fn IsSupportedEnvironment(&self) -> windows_core::Result<VARIANT_BOOL> {
        Ok(variant_bool(self.inner.is_supported_environment().com()?))
    }
}

impl Dispatch for Master_Impl {
    const TABLE: &'static [DispMember] = MASTER;

    fn call(&self, dispid: i32, call: Call, args: &Args) -> windows_core::Result<Var> {
        if call == Call::Put {
            return Err(windows::Win32::Foundation::DISP_E_MEMBERNOTFOUND.into());
        }
        Ok(match dispid {
            master::NEW_ENUM => {
                let e: IEnumVARIANT = Enum { ids: Arc::new(self.ids()?), next: Mutex::new(0) }.into();
                Var::unknown(e.into())
            }
            master::ITEM => {
                if args.len() != 1 {
                    return Err(DISP_E_BADPARAMCOUNT.into());
                }
                Var::string(&self.inner.item(to_i32(args.get(0)?)?).com()?)
            }
            master::COUNT => Var::i32(self.inner.count().com()?),
            _ => Var::bool(self.inner.is_supported_environment().com()?),
        })
    }
}

dual!(Master_Impl);

/// `IEnumVARIANT` over the recorders' unique ids (VT_BSTR), as IMAPI2's enumerator gives them.
#[implement(IEnumVARIANT)]
struct Enum {
    ids: Arc<Vec<String>>,
    next: Mutex<usize>,
}

impl IEnumVARIANT_Impl for Enum_Impl {
    fn Next(&self, celt: u32, rgvar: *mut VARIANT, fetched: *mut u32) -> HRESULT {
        if rgvar.is_null() || (celt > 1 && fetched.is_null()) {
            return E_POINTER;
        }
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let mut n = 0u32;
        while n < celt && *next < self.ids.len() {
            // SAFETY: the caller provides `celt` VARIANT slots.
            unsafe { *rgvar.add(n as usize) = Var::string(&self.ids[*next]).into_raw() };
            *next += 1;
            n += 1;
        }
        if let Some(f) = unsafe { fetched.as_mut() } {
            *f = n;
        }
        if n == celt {
            S_OK
        } else {
            S_FALSE
        }
    }

    fn Skip(&self, celt: u32) -> HRESULT {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let wanted = *next + celt as usize;
        *next = wanted.min(self.ids.len());
        if wanted <= self.ids.len() {
            S_OK
        } else {
            S_FALSE
        }
    }

    fn Reset(&self) -> windows_core::Result<()> {
        *self.next.lock().unwrap_or_else(PoisonError::into_inner) = 0;
        Ok(())
    }

    fn Clone(&self) -> windows_core::Result<IEnumVARIANT> {
        let next = *self.next.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(Enum { ids: Arc::clone(&self.ids), next: Mutex::new(next) }.into())
    }
}
