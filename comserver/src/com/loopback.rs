//! `ICdrLoopback` on `MsftDiscMaster2`: the requests of the IMAPI2 backend's loopback (see
//! [`cdr_imapi2::loopback`]), answered by [`crate::simulator::Simulator`].

use cdr_imapi2::ICdrLoopback_Impl;
use windows::Win32::Foundation::{E_INVALIDARG, E_POINTER, S_OK};
use windows_core::{BSTR, HRESULT};

use super::factory::simulator;
use super::master::Master_Impl;
use crate::guard::guard;

impl ICdrLoopback_Impl for Master_Impl {
    unsafe fn call(&self, request: *const u8, len: usize, reply: *mut BSTR) -> HRESULT {
        if request.is_null() || reply.is_null() {
            return E_POINTER;
        }
        // SAFETY: the caller passes `len` readable bytes and a writable reply slot.
        let bytes = unsafe { std::slice::from_raw_parts(request, len) };
        let Ok(text) = std::str::from_utf8(bytes) else { return E_INVALIDARG };
        let simulator = match simulator() {
            Ok(s) => s,
            Err(e) => return e.code(),
        };
        match guard(|| simulator.answer_json(text)) {
            Ok(json) => {
                // SAFETY: `reply` is a valid out pointer (checked non-null); the caller frees it.
                unsafe { reply.write(BSTR::from(json)) };
                S_OK
            }
            Err(hr) => HRESULT(hr.as_i32()),
        }
    }
}
