//! Failures as IMAPI2 reports them: the exact HRESULT, and an `IErrorInfo` on the thread with
//! IMAPI2's message, so that .NET's COMException and a script's `Err.Description` show it.

use cdr_sim::{HrResult, Hresult};

use crate::guard::{last_panic, E_UNEXPECTED};
use windows::Win32::System::Com::{IErrorInfo, SetErrorInfo};
use windows::Win32::System::Ole::CreateErrorInfo;
use windows_core::{Interface, GUID, HRESULT, HSTRING};

/// The source named in the error information.
pub(crate) const SOURCE: &str = "IMAPI2";

/// The message of `code`: IMAPI2's text for its own codes; for `E_UNEXPECTED`, the panic
/// inside the simulator that caused it (see [`crate::guard`]); else none.
pub(crate) fn message(code: Hresult) -> Option<String> {
    if code == E_UNEXPECTED {
        return last_panic();
    }
    code.message().map(str::to_string)
}

/// A failure with `code`: sets the thread's error information to IMAPI2's message (or clears
/// it when the code has none), and returns the error to give back through the vtable.
pub(crate) fn fail(code: Hresult) -> windows_core::Error {
    let info = message(code).and_then(|text| error_info(&text).ok());
    // SAFETY: SetErrorInfo with a valid (or no) IErrorInfo, as COM servers do before returning.
    unsafe {
        let _ = SetErrorInfo(0, info.as_ref());
    }
    windows_core::Error::from_hresult(HRESULT(code.as_i32()))
}

/// `HRESULT_FROM_WIN32(ERROR_BAD_CONFIGURATION)`: what creating an object answers when the
/// configuration file cannot be used.
pub(crate) const E_BAD_CONFIGURATION: HRESULT = HRESULT(0x8007_064A_u32 as i32);

/// A failure of this server's own (not an IMAPI2 answer): `code`, with `text` as the thread's
/// error information (source `cdr-comserver`).
pub(crate) fn fail_with_text(code: HRESULT, text: &str) -> windows_core::Error {
    let info = error_info_from("cdr-comserver", text).ok();
    // SAFETY: as in `fail`.
    unsafe {
        let _ = SetErrorInfo(0, info.as_ref());
    }
    windows_core::Error::from_hresult(code)
}

fn error_info(text: &str) -> windows_core::Result<IErrorInfo> {
    error_info_from(SOURCE, text)
}

fn error_info_from(source: &str, text: &str) -> windows_core::Result<IErrorInfo> {
    // SAFETY: CreateErrorInfo's object, filled with strings that live for each call.
    unsafe {
        let info = CreateErrorInfo()?;
        info.SetGUID(&GUID::zeroed())?;
        info.SetSource(&HSTRING::from(source))?;
        info.SetDescription(&HSTRING::from(text))?;
        info.cast()
    }
}

/// The contract's result as a COM result, failures through [`fail`].
pub(crate) trait Com<T> {
    /// See the trait.
    fn com(self) -> windows_core::Result<T>;
}

impl<T> Com<T> for HrResult<T> {
    fn com(self) -> windows_core::Result<T> {
        self.map_err(fail)
    }
}

/// A success code other than S_OK given back through a vtable whose generated signature only
/// knows `Result<()>`: `windows_core::Error` carries any non-zero code, and the generated vtable
/// returns it unchanged, so the caller sees `S_IMAPI_SPEEDADJUSTED` as IMAPI2 returns it.
pub(crate) fn success_code(code: Hresult) -> windows_core::Result<()> {
    if code == Hresult::S_OK {
        Ok(())
    } else {
        Err(windows_core::Error::from_hresult(HRESULT(code.as_i32())))
    }
}

/// The contract's code of a COM error.
pub(crate) fn code_of(e: &windows_core::Error) -> Hresult {
    Hresult::from_i32(e.code().0)
}
