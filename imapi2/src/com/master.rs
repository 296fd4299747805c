//! `MsftDiscMaster2` behind [`DiscMaster2`].

use cdr_sim::{DiscMaster2, HrResult};
use windows::Win32::Storage::Imapi::IDiscMaster2;

use super::call;
use crate::convert::from_variant_bool;

/// The recorder list.
pub(crate) struct ComMaster {
    master: IDiscMaster2,
}

// SAFETY: see the module doc of `com` (an MTA object used only from MTA threads).
unsafe impl Send for ComMaster {}
// SAFETY: as for Send.
unsafe impl Sync for ComMaster {}

impl ComMaster {
    pub(crate) fn new(master: IDiscMaster2) -> ComMaster {
        ComMaster { master }
    }
}

// SAFETY (every `unsafe` block): an IMAPI2 member called on a valid interface pointer.
impl DiscMaster2 for ComMaster {
    fn count(&self) -> HrResult<i32> {
        call(|| unsafe { self.master.Count() })
    }
    fn item(&self, index: i32) -> HrResult<String> {
        call(|| unsafe { self.master.get_Item(index) }).map(|b| b.to_string())
    }
    fn is_supported_environment(&self) -> HrResult<bool> {
        call(|| unsafe { self.master.IsSupportedEnvironment() }).map(|b| from_variant_bool(b.0))
    }
}
