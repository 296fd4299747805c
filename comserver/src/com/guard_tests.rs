//! Under Wine (`tools/wine-test -p cdr-comserver`): a panic inside the simulator reaches the
//! client as `E_UNEXPECTED` with the panic's message in `IErrorInfo` (early bound) or EXCEPINFO
//! (late bound), and the process goes on.

use std::sync::Arc;

use windows::Win32::Foundation::DISP_E_EXCEPTION;
use windows::Win32::Storage::Imapi::IDiscMaster2;
use windows::Win32::System::Com::{
    CoInitializeEx, GetErrorInfo, IDispatch, COINIT_MULTITHREADED, DISPATCH_PROPERTYGET, DISPPARAMS, EXCEPINFO,
};
use windows::Win32::System::Variant::VARIANT;
use windows_core::{Interface, GUID, HRESULT};

use super::master::Master;
use crate::dispids::master::COUNT;
use crate::guard::tests::Panicking;
use crate::guard::{guarded_master, E_UNEXPECTED};
use crate::session::Session;

fn panicking_master() -> IDiscMaster2 {
    // SAFETY: joining the MTA on a test thread.
    let _ = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
    // A session without a configuration: the lease writes nothing.
    let session = Session::new(None).expect("the default session");
    Master::new(guarded_master(Arc::new(Panicking)), session.lease()).into()
}

#[test]
fn a_panic_is_e_unexpected_with_its_message_in_ierrorinfo() {
    let master = panicking_master();
    // Through the raw vtable, as a C client calls it (the `windows` wrapper would take the
    // error information off the thread itself).
    let mut count = 0i32;
    // SAFETY: get_Count with a valid out pointer.
    let hr = unsafe { (Interface::vtable(&master).Count)(master.as_raw(), &mut count) };
    assert_eq!(hr, HRESULT(E_UNEXPECTED.as_i32()));
    // SAFETY: the thread's error information, set by the server before it returned.
    let info = unsafe { GetErrorInfo(0) }.expect("IErrorInfo is set");
    // SAFETY: reading the description of a valid IErrorInfo.
    let text = unsafe { info.GetDescription() }.unwrap().to_string();
    assert_eq!(text, "the simulator failed unexpectedly (panic: count exploded)");
    // The process (this test) goes on, and so does the object.
    // SAFETY: as above.
    assert!(unsafe { master.get_Item(0) }.is_err());
}

#[test]
fn a_panic_reaches_a_late_bound_caller_as_an_exception_with_its_message() {
    let master: IDispatch = panicking_master().cast().unwrap();
    let params = DISPPARAMS::default();
    let mut result = VARIANT::default();
    let mut excepinfo = EXCEPINFO::default();
    // SAFETY: Invoke with arguments that live for the call.
    let hr = unsafe {
        master.Invoke(
            COUNT,
            &GUID::zeroed(),
            0,
            DISPATCH_PROPERTYGET,
            &params,
            Some(&mut result),
            Some(&mut excepinfo),
            None,
        )
    };
    assert_eq!(hr.unwrap_err().code(), DISP_E_EXCEPTION);
    assert_eq!(excepinfo.scode, E_UNEXPECTED.as_i32());
    assert!(excepinfo.bstrDescription.to_string().ends_with("(panic: count exploded)"));
}
